"""Sizes and colours for one text size and contrast mode, as a Qt style sheet.

Every size is a base pixel size times the text scale, so the whole screen (controls included)
grows with the text and layouts reflow instead of clipping.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "DejaVu Sans"
MIN_TOUCH_PX = 44  # the smallest touch target at 100%


@dataclass(frozen=True, slots=True)
class Palette:
    window: str
    text: str
    muted: str
    button: str
    button_text: str
    button_border: str
    pressed: str
    disabled: str
    disabled_text: str
    tile: str
    tile_border: str
    link: str
    header: str
    footer: str
    footer_text: str
    overlay: str
    card: str
    highlight: str  # the sentence being read
    highlight_word: str  # the word being read
    highlight_word_text: str
    focus: str  # a focused control's fill
    focus_text: str  # and its words
    focus_ring: str  # the ring round it (and round a block of text with the focus)
    current: str  # the marker of the part on screen, in Contents


# Non-text contrast (WCAG 1.4.11) and the focus ring (2.4.13) are measured from rendered pixels
# in tests/ui/test_contrast.py: tile borders 4.0:1 against the page (4.4:1 against a tile); a
# focused control turns yellow with a near-black ring, 14.5:1 against the yellow and 17.8:1
# against the page (in high contrast a blue ring, 4.0:1 against yellow and 4.8:1 against black).
STANDARD = Palette(
    window="#f6f4ef",
    text="#1b1b1b",
    muted="#4a4a4a",
    button="#0b57a4",
    button_text="#ffffff",
    button_border="#0b57a4",
    pressed="#083f78",
    disabled="#e2e0da",
    disabled_text="#6b6b6b",
    tile="#ffffff",
    tile_border="#7d786c",
    link="#0b57a4",
    header="#e6eef7",
    footer="#1f2d3a",
    footer_text="#ffffff",
    overlay="rgba(20, 24, 28, 200)",
    card="#ffffff",
    highlight="#ffe680",
    highlight_word="#0b57a4",
    highlight_word_text="#ffffff",
    focus="#ffdd00",
    focus_text="#0b0c0c",
    focus_ring="#0b0c0c",
    current="#0b57a4",
)
HIGH_CONTRAST = Palette(
    window="#000000",
    text="#ffffff",
    muted="#ffffff",
    button="#000000",
    button_text="#ffff00",
    button_border="#ffff00",
    pressed="#333300",
    disabled="#000000",
    disabled_text="#9a9a9a",
    tile="#000000",
    tile_border="#ffffff",
    link="#ffff00",
    header="#000000",
    footer="#000000",
    footer_text="#ffffff",
    overlay="rgba(0, 0, 0, 235)",
    card="#000000",
    highlight="#0040a0",
    highlight_word="#ffff00",
    highlight_word_text="#000000",
    focus="#ffff00",
    focus_text="#000000",
    focus_ring="#2f6fff",
    current="#ffff00",
)


# Labels that keys stop on (the keys make every block of text one).
_STOPS = 'QLabel[focusPolicy="TabFocus"], QLabel[focusPolicy="StrongFocus"]'


def controls_cap(width: int, height: int) -> int:
    """The largest scale for the fixed bars (header, previous/next, keyboard, footer) on a
    screen this size, so that the large text still gets most of the height, and the header's
    widest row (text size and contrast) still fits across the width."""
    if height < 600:
        by_height = 100
    elif height < 900:
        by_height = 150
    elif height < 1400:
        by_height = 200
    else:
        by_height = 400
    by_width = 150 if width < 1000 else 200 if width < 1400 else 400
    return min(by_height, by_width)


@dataclass(frozen=True, slots=True)
class Theme:
    percent: int = 100
    high_contrast: bool = False
    controls_max: int = 400

    @property
    def controls(self) -> int:
        """Scale of the fixed bars: the text size, but never more than the screen allows."""
        return min(self.percent, self.controls_max)

    def cpx(self, base: float) -> int:
        return round(base * self.controls / 100)

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else STANDARD

    def px(self, base: float) -> int:
        return round(base * self.percent / 100)

    def hpx(self, base: float) -> int:
        """Headings: they grow with the text up to 200%, then half as fast, so that at 300% a
        title is still larger than the body but one long word still fits a small screen."""
        scale = self.percent if self.percent <= 200 else 200 + (self.percent - 200) / 2
        return round(base * scale / 100)

    @property
    def margin(self) -> int:
        """Around a page's text: it grows with the text up to 200%, then stays, leaving the
        room to the words."""
        return round(20 * min(self.percent, 200) / 100)

    @property
    def body_px(self) -> int:
        return self.px(22)

    @property
    def touch_px(self) -> int:
        return max(MIN_TOUCH_PX, self.px(56))

    @property
    def key_px(self) -> int:
        """On-screen keyboard keys: the smallest comfortable size on a short screen."""
        return MIN_TOUCH_PX if self.controls_max <= 100 else self.control_touch_px

    @property
    def control_touch_px(self) -> int:
        return max(MIN_TOUCH_PX, self.cpx(56))

    @property
    def ring(self) -> int:
        """The focus ring's width: 4 px, growing with the bars to 8 px (WCAG 2.4.13 asks for
        2 px; the issue for 3)."""
        return max(4, min(8, self.cpx(4)))

    @property
    def gap(self) -> int:
        return self.px(12)

    def document_css(self) -> str:
        """For the QTextDocument of a section body (Qt's rich-text CSS subset)."""
        p = self.palette
        return (
            f"p {{ margin-top: 0; margin-bottom: {self.px(14)}px; line-height: 140%; }}"
            f"li {{ margin-bottom: {self.px(8)}px; line-height: 140%; }}"
            f"ul, ol {{ margin-top: 0; margin-bottom: {self.px(14)}px; }}"
            f"h3 {{ font-size: {self.hpx(25)}px; margin-top: {self.px(10)}px; }}"
            f"a {{ color: {p.link}; font-weight: bold; text-decoration: underline; }}"
            f"table {{ border-collapse: collapse; }}"
            f"td, th {{ border: 1px solid {p.tile_border}; padding: {self.px(6)}px; }}"
        )

    def style_sheet(self, *, focus: bool = True) -> str:
        """`focus`: draw the focus (kiosk/ui/focus_shown.py says when). Either way every size
        is the same, so drawing it or not moves nothing."""
        p = self.palette
        radius = self.px(10)
        pad_v, pad_h = self.px(8), self.px(18)
        cpad_v, cpad_h = self.cpx(8), self.cpx(18)
        border = 3 if self.high_contrast else 2
        ring = self.ring
        grow = ring - border  # a focused control's border grows into its padding: no reflow
        key = self.key_px - 2 * ring  # keys: border and padding together are a ring wide
        lang = border + 1  # the language key's border
        return f"""
* {{ font-family: "{FONT_FAMILY}"; font-size: {self.body_px}px; color: {p.text}; }}
#KioskWindow, #ContentArea, QStackedWidget, QScrollArea, #ScrollBody {{ background: {p.window}; }}
QScrollArea {{ border: none; }}
#OverlayArea, #OverlayArea #ScrollBody {{ background: transparent; }}
QTextBrowser, QListView {{ background: {p.window}; border: none; }}
#Header {{ background: {p.header}; border-bottom: {border}px solid {p.tile_border}; }}
#NavBar {{ background: {p.header}; border-top: {border}px solid {p.tile_border}; }}
#Footer {{ background: {p.footer}; color: {p.footer_text}; font-size: {self.cpx(20)}px;
           font-weight: bold; padding: {self.cpx(10)}px {self.cpx(16)}px;
           border-top: {border}px solid {p.footer_text}; }}
#PageTitle {{ font-size: {self.hpx(34)}px; font-weight: bold; }}
#ListTitle {{ font-size: {self.cpx(34)}px; font-weight: bold; }}
#SectionTitle {{ font-size: {self.hpx(28)}px; font-weight: bold; }}
#SectionTitle[speaking="true"] {{ background: {p.highlight}; }}
#Notice {{ background: {p.card}; border-top: {border}px solid {p.button};
           padding: {self.cpx(10)}px {self.cpx(16)}px; font-size: {self.cpx(22)}px; }}
#Hint, #Position {{ color: {p.muted}; font-size: {self.px(20)}px; }}
#SearchHint {{ color: {p.muted}; font-size: {self.cpx(20)}px; }}
#TextSizeLabel {{ font-size: {self.cpx(20)}px; }}
QPushButton {{
    background: {p.button}; color: {p.button_text}; border: {border}px solid {p.button_border};
    border-radius: {radius}px; padding: {pad_v}px {pad_h}px;
    min-height: {self.touch_px - 2 * pad_v - 2 * border}px; font-weight: bold;
}}
#Header QPushButton, #NavBar QPushButton, #Card QPushButton {{
    font-size: {self.cpx(22)}px; padding: {cpad_v}px {cpad_h}px;
    min-height: {self.control_touch_px - 2 * cpad_v - 2 * border}px;
}}
QPushButton:pressed {{ background: {p.pressed}; }}
QPushButton:disabled {{ background: {p.disabled}; color: {p.disabled_text};
                        border-color: {p.disabled}; }}
QPushButton[tile="true"] {{ background: {p.tile}; border: {border}px solid {p.tile_border};
                            padding: {self.px(12)}px; }}
QPushButton[tile="true"]:pressed {{ background: {p.header}; }}
QPushButton[tile="true"][current="true"] {{ border: {border + 2}px solid {p.current}; }}
QPushButton#UsbBanner {{ background: {p.button}; border-radius: 0; border: none;
                        padding: {self.cpx(6)}px; }}
#UsbBanner #TileTitle {{ color: {p.button_text}; font-size: {self.cpx(22)}px; }}
QPushButton#Key {{ padding: {grow}px; font-size: {self.cpx(24)}px;
                   min-height: {key}px; max-height: {key}px; }}
QPushButton#LanguageKey {{ background: {p.tile}; color: {p.link}; font-size: {self.cpx(24)}px;
                           border: {lang}px solid {p.button_border};
                           padding: {ring - lang}px {self.cpx(10) + ring - lang}px;
                           min-height: {key}px; max-height: {key}px; }}
QPushButton#LanguageKey:pressed {{ background: {p.header}; }}
QPushButton#Letter {{ padding: {grow}px; font-size: {self.cpx(24)}px;
                      min-width: {key}px; min-height: {key}px; max-height: {key}px; }}
#TileTitle {{ font-size: {self.hpx(24)}px; font-weight: bold; color: {p.link}; }}
#TileText {{ font-size: {self.px(19)}px; color: {p.muted}; }}
#Overlay {{ background: {p.overlay}; }}
#Card {{ background: {p.card}; border: {border}px solid {p.tile_border};
         border-radius: {radius}px; }}
QScrollBar:vertical {{ background: {p.window}; width: {self.cpx(14)}px; margin: 0; border: none; }}
QScrollBar::handle:vertical {{ background: {p.tile_border}; min-height: {self.cpx(40)}px;
                               border-radius: {self.cpx(7)}px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
#CardTitle {{ font-size: {self.hpx(34)}px; font-weight: bold; }}
{self._stop_rules(ring)}{self._focus_rules(p, ring, grow) if focus else ""}"""

    def _stop_rules(self, ring: int) -> str:
        """A text stop (a label keys stop on) always has a border a ring wide, clear until it
        has the focus and the focus is drawn: the ring never moves its words."""
        return f"{_STOPS} {{ border: {ring}px solid transparent; }}\n"

    def _focus_rules(self, p: Palette, ring: int, grow: int) -> str:
        """Focus always visible (WCAG 2.4.13): a focused control turns `focus` with a ring
        `ring` px wide; a block of text gets the ring only. A border grows into the padding
        of the same state, so nothing moves when the focus does."""
        pad_v, pad_h = self.px(8) - grow, self.px(18) - grow
        cpad_v, cpad_h = self.cpx(8) - grow, self.cpx(18) - grow
        stop_focus = _STOPS.replace("]", "]:focus")
        return f"""
QPushButton:focus {{ background: {p.focus}; color: {p.focus_text};
                     border: {ring}px solid {p.focus_ring}; padding: {pad_v}px {pad_h}px; }}
#Header QPushButton:focus, #NavBar QPushButton:focus, #Card QPushButton:focus {{
    padding: {cpad_v}px {cpad_h}px; }}
QPushButton[tile="true"]:focus, QPushButton#UsbBanner:focus {{
    background: {p.focus}; border: {ring}px solid {p.focus_ring}; }}
#TileTitle[focused="true"], #TileText[focused="true"],
#UsbBanner #TileTitle[focused="true"] {{ color: {p.focus_text}; }}
QPushButton#Key:focus, QPushButton#Letter:focus, QPushButton#LanguageKey:focus {{
    background: {p.focus}; color: {p.focus_text}; border: {ring}px solid {p.focus_ring};
    padding: 0; }}
QPushButton#LanguageKey:focus {{ padding: 0 {self.cpx(10)}px; }}
{stop_focus} {{ border-color: {p.focus_ring}; }}
#Footer:focus, #Notice:focus {{ background: {p.focus}; color: {p.focus_text};
                                border: {ring}px solid {p.focus_ring}; }}
"""
