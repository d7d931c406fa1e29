"""Read-aloud on a topic page: the buttons, the highlight that follows the voice, and what a
tap on the text means while it speaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPushButton, QTextEdit

from kiosk.content.sentences import Sentence, split_sentences
from kiosk.speech.choices import AUDIO_LOST, NO_ENGINE, NO_SPEAKER
from kiosk.ui.announce import announce
from kiosk.ui.icons import speaker_icon
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import FitBrowser, ScrollPage

if TYPE_CHECKING:
    from kiosk.speech.narrator import Narrator


class ReadAloud(QObject):
    """Owns the read-aloud buttons of one topic page and drives the shared narrator.

    The text read is the part's heading, a line break, then the body's plain text exactly as
    the QTextDocument holds it, so narrator offsets past the heading are document positions.
    """

    active_changed = Signal(bool)  # the speech buttons replace the page buttons while True
    part_finished = Signal()  # the voice reached the end of this part
    sound_requested = Signal()  # show speed, volume and keep-reading

    def __init__(
        self,
        narrator: Narrator | None,
        language: str,
        heading: QLabel,
        body: FitBrowser,
        area: ScrollPage,
        notice: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.narrator = narrator
        self.language = language
        self.heading = heading
        self.body = body
        self.area = area
        self.notice = notice
        self.offer_next = False
        self._start_offset = 0
        self._marked: tuple[int, int] | None = None
        self._theme = Theme()
        self._connected = False
        # The narrator is shared: it also reads the key help (and talking mode's words).
        # Only a reading of this page's text moves its highlight, buttons and parts; a
        # repeat or a new speed reads the same sentences again, so it stays this page's.
        self._own: list[Sentence] = []
        self._restarting = False

        # Each name holds the words on the button (WCAG 2.5.3), without its signs; the read
        # button's words change ("Read from here"), so its name follows them.
        self.read_button = QPushButton("Read aloud")
        self.pause_button = QPushButton("❚❚ Pause")
        self.pause_button.setAccessibleName("Pause")
        self.stop_button = QPushButton("■ Stop")
        self.stop_button.setAccessibleName("Stop")
        self.again_button = QPushButton("↺ Again")
        self.again_button.setAccessibleName("Again")
        self.again_button.setAccessibleDescription("Say the last sentence again")
        self.sound_button = QPushButton("Sound")
        self.sound_button.setAccessibleDescription("Speed and volume")
        self.read_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.stop_button.clicked.connect(self.stop)
        self.again_button.clicked.connect(self._again)
        self.sound_button.clicked.connect(self.sound_requested)

    @property
    def speech_buttons(self) -> list[QPushButton]:
        return [self.pause_button, self.stop_button, self.again_button, self.sound_button]

    @property
    def speaking(self) -> bool:
        return self.narrator is not None and self.narrator.state != "idle"

    def attach(self) -> None:
        """This page is on screen: follow the shared narrator."""
        self._connect()

    def _connect(self) -> None:
        narrator = self.narrator
        if narrator is None or self._connected:
            return
        self._connected = True
        narrator.sentence_started.connect(self._on_sentence)
        narrator.word_started.connect(self._on_word)
        narrator.state_changed.connect(self._on_state)
        narrator.finished.connect(self._on_finished)
        narrator.failed.connect(self._show_notice)
        narrator.available_changed.connect(self._on_available)

    def disconnect_narrator(self) -> None:
        """The page is going away: it must not react to the shared narrator any more."""
        narrator = self.narrator
        if narrator is not None and self._connected:
            self._connected = False
            narrator.sentence_started.disconnect(self._on_sentence)
            narrator.word_started.disconnect(self._on_word)
            narrator.state_changed.disconnect(self._on_state)
            narrator.finished.disconnect(self._on_finished)
            narrator.failed.disconnect(self._show_notice)
            narrator.available_changed.disconnect(self._on_available)

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        size = theme.cpx(26)
        icon = speaker_icon(theme.palette.button_text, size)
        for button in (self.read_button, self.sound_button):
            button.setIcon(icon)
            button.setIconSize(QSize(size, size))

    # -- the text ----------------------------------------------------------------------------

    def _text(self) -> tuple[str, int]:
        heading = self.heading.text()
        return f"{heading}\n{self.body.toPlainText()}", len(heading) + 1

    def new_part(self) -> None:
        """Another part is on screen: forget the marked sentence and any old highlight."""
        self._start_offset = 0
        self._marked = None
        self.offer_next = False
        self.clear_highlight()
        self._label_read_button()
        self.notice.hide()

    def _label_read_button(self) -> None:
        if self.offer_next:
            self.read_button.setText("Read the next part")
        elif self._start_offset:
            self.read_button.setText("Read from here")
        else:
            self.read_button.setText("Read aloud")

    # -- control -----------------------------------------------------------------------------

    def start(self) -> None:
        if self.offer_next:
            self.offer_next = False
            self.part_finished.emit()  # the page moves on and calls start() again
            return
        narrator = self.narrator
        if narrator is None:
            self._show_notice(NO_ENGINE)
            return
        text, _shift = self._text()
        self.notice.hide()
        self._read(text, self._start_offset)

    def _read(self, text: str, offset: int) -> None:
        narrator = self.narrator
        assert narrator is not None
        self._own = split_sentences(text, self.language)
        self._restart(lambda: narrator.read(text, self.language, offset))

    def _restart(self, start: Callable[[], object]) -> None:
        """Start reading again: the stop before the new start is not the end of speech, so
        the bar (and the key on it, Again or Pause) stays while it happens."""
        self._restarting = True
        try:
            start()
        finally:
            self._restarting = False
        if self.speaking is False:
            self._on_state("idle")  # it could not start

    def _mine(self) -> bool:
        return (
            bool(self._own) and self.narrator is not None and self.narrator.sentences == self._own
        )

    def read_from(self, document_position: int) -> None:
        """Enter on a block of the text (keys): read aloud from its first sentence."""
        _text, shift = self._text()
        self.offer_next = False
        self._start_offset = document_position + shift
        self.start()

    def stop(self) -> None:
        if self.narrator is not None:
            self.narrator.stop()

    def tap_text(self, document_position: int) -> None:
        """A tap on the words: read from that sentence (now if speaking, else when asked)."""
        text, shift = self._text()
        offset = document_position + shift
        if self.speaking and self.narrator is not None:
            self._read(text, offset)
            return
        sentence = next((s for s in split_sentences(text, self.language) if s.end > offset), None)
        if sentence is None:
            return
        self._start_offset = sentence.start
        self._marked = (sentence.start, sentence.end)
        self._highlight(sentence.start, sentence.end, None)
        self._label_read_button()

    def _pause_or_resume(self) -> None:
        narrator = self.narrator
        if narrator is None:
            return
        if narrator.state == "paused":
            narrator.resume()
        else:
            narrator.pause()

    def _again(self) -> None:
        narrator = self.narrator
        if narrator is not None:
            self._restart(narrator.repeat_sentence)

    # -- narrator signals --------------------------------------------------------------------

    def _on_state(self, state: str) -> None:
        if not self._mine() or (state == "idle" and self._restarting):
            return
        self.pause_button.setText("▶ Go on" if state == "paused" else "❚❚ Pause")
        self.pause_button.setAccessibleName("Go on" if state == "paused" else "Pause")
        if state == "idle":
            self.clear_highlight()
        self.active_changed.emit(state != "idle")

    def _on_finished(self) -> None:
        if not self._mine():
            return
        if self.narrator is not None and self.narrator.keep_reading:
            self.part_finished.emit()
        else:
            self.offer_next = True
            self._label_read_button()

    def _show_notice(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.show()
        announce(self.notice, message, assertive=True)

    def _on_available(self, available: bool) -> None:
        """Sound is back: the sentence that said it was gone goes too, so the patient sees
        that "Read aloud" works again without having to try it."""
        if available and self.notice.text() in (AUDIO_LOST, NO_SPEAKER):
            self.notice.hide()

    # -- highlight ---------------------------------------------------------------------------

    def _on_sentence(self, start: int, end: int) -> None:
        if self._mine():
            self._highlight(start, end, None)

    def _on_word(self, start: int, length: int) -> None:
        current = self.narrator.current if self.narrator else None
        if current is not None and self._mine():
            self._highlight(current.start, current.end, (start, start + length))

    def clear_highlight(self) -> None:
        self.body.setExtraSelections([])
        self._set_heading_highlight(False)

    def _set_heading_highlight(self, on: bool) -> None:
        if self.heading.property("speaking") != on:
            self.heading.setProperty("speaking", on)
            self.heading.style().unpolish(self.heading)
            self.heading.style().polish(self.heading)

    def _highlight(self, start: int, end: int, word: tuple[int, int] | None) -> None:
        _text, shift = self._text()
        self._set_heading_highlight(start < shift - 1)
        selections = []
        if end > shift:
            palette = self._theme.palette
            selections.append(
                self._selection(max(0, start - shift), end - shift, palette.highlight, None)
            )
            if word is not None and word[1] > shift:
                selections.append(
                    self._selection(
                        word[0] - shift,
                        word[1] - shift,
                        palette.highlight_word,
                        palette.highlight_word_text,
                    )
                )
        self.body.setExtraSelections(selections)
        if selections:
            cursor = selections[0].cursor  # type: ignore[attr-defined]
            self._keep_in_view(cursor)
        elif start < shift:
            self.area.ensureWidgetVisible(self.heading)

    def _selection(
        self, start: int, end: int, background: str, text: str | None
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.body.document())
        last = self.body.document().characterCount() - 1
        cursor.setPosition(max(0, min(start, last)))
        cursor.setPosition(max(0, min(end, last)), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(background))
        if text:
            fmt.setForeground(QColor(text))
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = fmt  # type: ignore[attr-defined]
        return selection

    def _keep_in_view(self, cursor: QTextCursor) -> None:
        """Scroll the page so the whole sentence being read is on screen."""
        top = QTextCursor(cursor)
        top.setPosition(cursor.selectionStart())
        bottom = QTextCursor(cursor)
        bottom.setPosition(cursor.selectionEnd())
        first = self.body.cursorRect(top)
        last = self.body.cursorRect(bottom)
        origin = self.body.mapTo(self.area.body, first.topLeft())
        height = last.bottom() - first.top()
        margin = self.area.viewport().height() // 6
        centre_y = origin.y() + height // 2
        self.area.ensureVisible(origin.x(), centre_y, 0, max(margin, height // 2 + margin))
