"""Search as a patient uses it: what comes first for what is typed, misspelled or half typed,
and an index file that rebuilds itself when it is missing, stale or broken."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks.make_library import make_library
from kiosk.content.model import Credits, Section, Topic
from kiosk.library import index_build
from kiosk.library.catalog import Catalog, open_catalog
from kiosk.library.index import Hit, SearchIndex, fingerprint_of, open_index

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "topics" / "sample-en"
PackMaker = Callable[..., Path]  # the `make_pack` fixture (tests/unit/conftest.py)
TopicMd = Callable[..., str]  # the `topic_md` fixture


def first_id(index: SearchIndex, query: str) -> str | None:
    hits = index.search(query)
    return hits[0].topic_id if hits else None


@pytest.fixture(scope="module")
def sample_catalog() -> Catalog:
    return open_catalog([SAMPLE])


@pytest.fixture(scope="module")
def sample(
    sample_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchIndex]:
    data_dir = tmp_path_factory.mktemp("data")
    with open_index(sample_catalog, data_dir / "search.sqlite") as index:
        yield index


def topic(
    topic_id: str,
    title: str,
    body: str = "Nothing here.",
    also: tuple[str, ...] = (),
    language: str = "en",
) -> Topic:
    return Topic(
        id=topic_id,
        title=title,
        category="Tests",
        language=language,
        summary="",
        sections=(Section("Part one", f"<p>{body}</p>\n", 1),),
        credits=Credits(None, (), ()),
        also_called=also,
    )


# --- what comes first -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # exact titles
        ("Type 2 Diabetes", "type-2-diabetes"),
        ("High Blood Pressure", "high-blood-pressure"),
        ("neck pain", "neck-pain"),
        ("Quitting Smoking", "quitting-smoking"),
        # prefixes, as each letter is typed
        ("diab", "type-2-diabetes"),
        ("chol", "cholesterol"),
        ("spin", "spinal-manipulation"),
        ("blood pres", "high-blood-pressure"),
        ("vacc", "childhood-vaccines"),
        # "also called" names
        ("hypertension", "high-blood-pressure"),
        ("lumbago", "low-back-pain"),
        ("jabs", "childhood-vaccines"),
        ("insomnia", "sleep"),
        ("painkillers", "pain-medicines"),
        ("anxiety", "stress-and-worry"),
        ("chiropractic adjustment", "spinal-manipulation"),
        ("high blood sugar", "type-2-diabetes"),
        ("influenza", "colds-and-hand-washing"),
        # words only in the text
        ("thirsty", "type-2-diabetes"),
        ("blurry vision", "type-2-diabetes"),
        # misspelled
        ("diabetis", "type-2-diabetes"),
        ("cholestrol", "cholesterol"),
        ("hart atack", "heart-attack-and-stroke"),
        ("blod presure", "high-blood-pressure"),
        ("spinal manipulaton", "spinal-manipulation"),
        ("hypertenshun", "high-blood-pressure"),
        ("vacines", "childhood-vaccines"),
        # case and accents do not matter
        ("DIABETES", "type-2-diabetes"),
        ("Diabète", "type-2-diabetes"),
        ("HÝPERTENSIÓN", "high-blood-pressure"),
        # a question rather than a name: no topic has every word
        ("how do i quit smoking", "quitting-smoking"),
        # another form of a word (its stem)
        ("dieting", "healthy-eating"),
        ("painful", "neck-pain"),
    ],
)
def test_first_result(sample: SearchIndex, query: str, expected: str) -> None:
    assert first_id(sample, query) == expected


def test_every_sample_title_finds_its_topic(sample: SearchIndex, sample_catalog: Catalog) -> None:
    for each in sample_catalog.topics():
        assert first_id(sample, each.title) == each.id, each.title


def test_title_then_also_called_then_body(tmp_path: Path) -> None:
    """Ranked by where the word is, whatever bm25 says: the text that mentions "walking"
    five times still comes after the topic that is only also called that."""
    topics = [
        topic("sleep", "Sleeping Well", body="Walking helps. Walking walking walking walking."),
        topic("active", "Staying Active", also=("walking", "exercise")),
        topic("aids", "Walking Aids"),
        topic("other", "Something Else"),
    ]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        hits = index.search("walking")
    assert [(h.topic_id, h.field) for h in hits] == [
        ("aids", "title"),
        ("active", "also_called"),
        ("sleep", "body"),
    ]


def test_a_short_title_comes_before_a_longer_one_with_the_same_word(tmp_path: Path) -> None:
    topics = [
        topic("exercise-for-diabetes", "Exercise for Type 2 Diabetes"),
        topic("diabetes", "Type 2 Diabetes"),
        topic("feet", "Diabetes and Your Feet", body="Diabetes diabetes diabetes."),
    ]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        assert first_id(index, "diabetes") == "diabetes"


def test_of_topics_also_called_the_same_the_shorter_title_first(tmp_path: Path) -> None:
    topics = [
        topic("acupuncture", "Acupuncture for High Blood Pressure", also=("hypertension",)),
        topic("bp", "High Blood Pressure", also=("hypertension",)),
        topic("chronic", "Chronic High Blood Pressure", also=("hypertension",)),
    ]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        hits = index.search("hypertension")
    assert [(h.topic_id, h.field) for h in hits] == [
        ("bp", "also_called"),
        ("chronic", "also_called"),
        ("acupuncture", "also_called"),
    ]


def test_results_carry_title_and_a_higher_score_for_a_better_match(sample: SearchIndex) -> None:
    hits = sample.search("blood")
    assert hits[0] == Hit(
        "high-blood-pressure", "High Blood Pressure", hits[0].score, "title", ("Blood",)
    )
    body = [h for h in hits if h.field == "body"]
    assert body and all(b.score <= a.score for a, b in itertools.pairwise(body))


def test_limit(sample: SearchIndex) -> None:
    assert len(sample.search("the", limit=3)) == 3
    assert len(sample.search("the", limit=50)) > 3
    assert sample.search("the", limit=0) == []


# --- other forms of a word: stems, in each topic's language ----------------------------------


@pytest.mark.parametrize(
    ("query", "expected", "field", "matched"),
    [
        # found in the title by its stem, before the texts that have the word as typed
        ("smoke", "quitting-smoking", "title", ("Smoking",)),
        ("quit smoke", "quitting-smoking", "title", ("Quitting", "Smoking")),
        ("washing hands", "colds-and-hand-washing", "title", ("Hand", "Washing")),
        ("vaccination", "childhood-vaccines", "title", ("Vaccines",)),
        ("dieting", "healthy-eating", "also_called", ("diet",)),
        ("sleeps", "sleep", "title", ("Sleeping",)),
        # as each letter is typed, the beginning of a word still finds it
        ("smok", "quitting-smoking", "title", ("Smoking",)),
        ("vacc", "childhood-vaccines", "title", ("Vaccines",)),
    ],
)
def test_other_forms_of_a_word(
    sample: SearchIndex, query: str, expected: str, field: str, matched: tuple[str, ...]
) -> None:
    hit = sample.search(query)[0]
    assert (hit.topic_id, hit.field, hit.matched) == (expected, field, matched)


def test_the_word_as_typed_comes_before_another_form(tmp_path: Path) -> None:
    topics = [
        topic("smoking", "Quitting Smoking"),
        topic("alarms", "Smoke Alarms"),
        topic("smokers", "Help for Smokers"),
        topic("walks", "Walks"),
    ]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        # "Smoke Alarms" and "Smokers" start with what was typed; "Smoking" only shares a stem.
        assert [h.topic_id for h in index.search("smoke")] == ["alarms", "smokers", "smoking"]
        assert [h.topic_id for h in index.search("smoking")] == ["smoking", "alarms"]
        assert [h.topic_id for h in index.search("walking")] == ["walks"]


def mixed_library() -> list[Topic]:
    return [
        topic("quit-en", "Quitting Smoking", body="Smokers who quit live longer."),
        topic("quit-es", "Dejar de fumar", "Los fumadores que lo dejan viven más.", language="es"),
        topic("vaccines-es", "Las vacunas", "La vacunación protege a los niños.", language="es"),
        topic("face-es", "Cuidado de la cara", "Lave la cara con agua tibia.", language="es"),
        topic("carer-en", "Caring for Someone at Home", "Looking after a relative."),
        topic("quit-sw", "Kuacha sigara", "Smoking ni hatari.", language="sw"),
        topic("quit-de", "Mit dem Rauchen aufhören", "Rauchen schadet.", language="de-AT"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fumando", ["quit-es"]),  # Spanish: fumar, fumando, fumadores
        ("vacunacion", ["vaccines-es"]),  # typed without its accent
        ("vacuna", ["vaccines-es"]),
        ("rauchst", ["quit-de"]),  # German, from "de-AT"
        ("smoke", ["quit-en"]),
        # "care" is an English word: not also stemmed as Spanish ("car"), which finds "cara"
        ("care", ["carer-en"]),
        # Swahili has no stemmer: its topic is found by its words as written, never by an
        # English stem of them ("smoke" above does not find "Smoking ni hatari")
        ("sigara", ["quit-sw"]),
        ("smoking", ["quit-en", "quit-sw"]),
    ],
)
def test_each_topic_is_stemmed_in_its_own_language(
    tmp_path: Path, query: str, expected: list[str]
) -> None:
    with SearchIndex.open(tmp_path / "search.sqlite", mixed_library(), "one") as index:
        assert [h.topic_id for h in index.search(query)] == expected


def test_a_word_found_by_its_stem_is_not_taken_for_a_typo(tmp_path: Path) -> None:
    """A patient typing "cares" (in no topic, but "caring" is) does not also get "cars"."""
    topics = [*mixed_library(), topic("car-seats", "Child Seats in Cars")]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        assert [h.topic_id for h in index.search("cares")] == ["carer-en"]
        assert [h.topic_id for h in index.search("carrs")] == ["car-seats"]  # a typo still is


# --- the words to highlight -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "matched"),
    [
        ("diab", ("Diabetes",)),
        ("blod presure", ("Blood", "Pressure")),
        ("hart atack", ("Heart", "Attack")),
        ("TYPE 2", ("Type", "2")),
    ],
)
def test_matched_words_as_written_in_the_title(
    sample: SearchIndex, query: str, matched: tuple[str, ...]
) -> None:
    hit = sample.search(query)[0]
    assert (hit.field, hit.matched) == ("title", matched)


def test_matched_words_of_a_synonym_and_of_the_text(sample: SearchIndex) -> None:
    synonym = sample.search("hypertens")[0]
    assert (synonym.field, synonym.matched) == ("also_called", ("hypertension",))
    text = sample.search("thirsty")[0]
    assert (text.field, text.matched) == ("body", ("thirsty",))


def test_accents_are_ignored_and_kept_for_highlighting(tmp_path: Path) -> None:
    topics = [topic("spots", "Café-au-lait Spots", body="Common in children.")]
    with SearchIndex.open(tmp_path / "search.sqlite", topics, "one") as index:
        for query in ("cafe", "CAFÉ", "càfe au"):
            hits = index.search(query)
            assert [h.topic_id for h in hits] == ["spots"], query
        assert index.search("cafe")[0].matched == ("Café",)


# --- what a patient types is never syntax -----------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"diabetes',
        "*",
        "diab*",
        "AND",
        "diabetes AND",
        "OR NOT",
        "NEAR(",
        "NEAR(diabetes blood, 2)",
        "-",
        "-diabetes",
        ":",
        "title:diabetes",
        "{title}: blood",
        "^blood",
        "+",
        "(((",
        "'; DROP TABLE topic; --",
        "\x00",
        "🙂",
        "a" * 5000,
        " ".join(["blood"] * 200),
    ],
)
def test_any_input_is_safe(sample: SearchIndex, query: str) -> None:
    hits = sample.search(query)
    assert isinstance(hits, list)
    assert sample.search("diabetes")[0].topic_id == "type-2-diabetes"  # the index is unharmed


def test_operators_are_plain_words(sample: SearchIndex) -> None:
    assert first_id(sample, "title:diabetes") == "type-2-diabetes"
    assert first_id(sample, "NEAR(diabetes") == "type-2-diabetes"


@pytest.mark.parametrize("query", ["", "   ", "!!!", "-:*", "\n\t"])
def test_nothing_typed_finds_nothing(sample: SearchIndex, query: str) -> None:
    assert sample.search(query) == []


def test_gibberish_finds_nothing(sample: SearchIndex) -> None:
    assert sample.search("qqxzv") == []


# --- derived data: rebuilt when missing, stale or corrupt -------------------------------------


def index_of(catalog: Catalog, folders: list[Path], path: Path) -> SearchIndex:
    return SearchIndex.open(path, list(catalog.all_topics()), fingerprint_of(folders))


def test_built_when_missing_then_opened_as_is(sample_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "index" / "search.sqlite"
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt
        assert first_id(index, "diabetes") == "type-2-diabetes"
    built = path.stat().st_mtime_ns
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert not index.rebuilt
        assert first_id(index, "diabetes") == "type-2-diabetes"
    assert path.stat().st_mtime_ns == built
    assert sorted(p.name for p in path.parent.iterdir()) == ["search.sqlite"]  # no temp files


def test_rebuilt_after_the_file_is_deleted(sample_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite"
    index_of(sample_catalog, [SAMPLE], path).close()
    path.unlink()
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt
        assert first_id(index, "lumbago") == "low-back-pain"
    assert path.is_file()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"this is not a database\n" * 100, id="garbage"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 3], id="truncated"),
        pytest.param(lambda data: data[:100] + os.urandom(len(data) - 100), id="scrambled"),
    ],
)
def test_rebuilt_when_corrupt(
    sample_catalog: Catalog, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / "search.sqlite"
    index_of(sample_catalog, [SAMPLE], path).close()
    path.write_bytes(damage(path.read_bytes()))
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt
        assert first_id(index, "diabetis") == "type-2-diabetes"
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert not index.rebuilt  # the rebuilt file is good for the next start


def test_a_file_that_is_an_index_of_something_else_is_rebuilt(
    sample_catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "search.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta(key TEXT, value TEXT)")
    db.close()
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt
        assert first_id(index, "neck") == "neck-pain"


def test_rebuilt_when_a_new_pack_version_is_loaded(
    make_pack: PackMaker, topic_md: TopicMd, tmp_path: Path
) -> None:
    manifest = (
        'format = 1\nid = "org.example.clinic"\nversion = {v}\ntitle = "Clinic"\n'
        'languages = ["en"]\npublisher = "Clinic"\n'
    )
    folder = make_pack(
        "clinic",
        {"a.md": topic_md("walking-aids", title="Walking Aids")},
        manifest=manifest.format(v=1),
    )
    path = tmp_path / "search.sqlite"
    with index_of(open_catalog([folder]), [folder], path) as index:
        assert index.rebuilt
        assert first_id(index, "zimmer frame") is None

    (folder / "pack.toml").write_text(manifest.format(v=2), encoding="utf-8")
    (folder / "topics" / "a.md").write_text(
        topic_md("walking-aids", title="Walking Aids", body="A zimmer frame helps."),
        encoding="utf-8",
    )
    with index_of(open_catalog([folder]), [folder], path) as index:
        assert index.rebuilt
        assert first_id(index, "zimmer frame") == "walking-aids"
    with index_of(open_catalog([folder]), [folder], path) as index:
        assert not index.rebuilt


def test_an_index_from_before_stems_is_rebuilt(
    sample_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade, the old file is not kept: "smoke" finds the title with "Smoking"."""
    path = tmp_path / "search.sqlite"
    with monkeypatch.context() as old:
        old.setattr(index_build, "SCHEMA", index_build.SCHEMA - 1)
        SearchIndex.open(path, list(sample_catalog.all_topics()), "same packs").close()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM word_stem")  # as the older version wrote it: no stems
    db.close()
    with SearchIndex.open(path, list(sample_catalog.all_topics()), "same packs") as index:
        assert index.rebuilt
        assert index.search("smoke")[0].field == "title"


def test_the_fingerprint_follows_the_packs(
    make_pack: PackMaker, topic_md: TopicMd, tmp_path: Path
) -> None:
    one = make_pack("one", {"a.md": topic_md("a")})
    two = make_pack("two", {"b.md": topic_md("b")})
    first = fingerprint_of([one, two])
    assert fingerprint_of([one, two]) == first
    assert fingerprint_of([two, one]) != first  # later packs override earlier ones
    assert fingerprint_of([one]) != first

    # An author editing a --pack folder changes no version, only a topic file.
    topic_file = one / "topics" / "a.md"
    stat = topic_file.stat()
    os.utime(topic_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert fingerprint_of([one, two]) != first
    edited = fingerprint_of([one, two])
    (one / "topics" / "c.md").write_text(topic_md("c"), encoding="utf-8")
    assert fingerprint_of([one, two]) != edited


def test_a_fingerprint_for_broken_or_missing_folders(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.toml").write_text("not = [toml", encoding="utf-8")
    assert fingerprint_of([broken]) != fingerprint_of([tmp_path / "missing"])


def test_search_when_the_index_cannot_be_written(
    sample_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full or read-only disk: search still works, from memory, and the next start tries
    the file again."""

    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_build, "build_file", no_space)
    path = tmp_path / "search.sqlite"
    path.write_bytes(b"garbage")
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt
        assert first_id(index, "diabetis") == "type-2-diabetes"
    assert not path.exists()  # the bad file is not left to fail every start


def test_a_failed_build_leaves_the_old_index(
    sample_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "search.sqlite"
    index_of(sample_catalog, [SAMPLE], path).close()
    before = path.read_bytes()
    real = index_build.populate
    calls = []

    def fails_once(*args: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database or disk is full")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index_build, "populate", fails_once)
    with SearchIndex.open(path, list(sample_catalog.all_topics()), "another fingerprint") as index:
        assert first_id(index, "neck") == "neck-pain"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search.sqlite"]


def test_a_file_replaced_while_open_does_not_break_search(
    sample_catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "search.sqlite"
    with index_of(sample_catalog, [SAMPLE], path) as index:
        path.unlink()
        path.write_bytes(b"garbage" * 1000)
        # The open connection still reads the old file; the next start rebuilds.
        assert first_id(index, "neck") == "neck-pain"
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert index.rebuilt


def test_damage_found_by_a_search_rebuilds_the_index(
    sample_catalog: Catalog, tmp_path: Path
) -> None:
    """Damage that opening does not touch shows up at a search: that search still answers."""
    path = tmp_path / "search.sqlite"
    index_of(sample_catalog, [SAMPLE], path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE title_fts")
    db.close()
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert not index.rebuilt
        assert first_id(index, "diabetes") == "type-2-diabetes"
        assert index.rebuilt
    with index_of(sample_catalog, [SAMPLE], path) as index:
        assert not index.rebuilt


# --- thousands of topics ----------------------------------------------------------------------


@pytest.mark.slow
def test_five_thousand_topics(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Not timed here (benchmarks/bench_search.py prints the figures): it builds, and every
    kind of query still finds the right topic among many that look alike."""
    root = tmp_path_factory.mktemp("library")
    folders = make_library(5000, root / "packs", seed=7)
    assert len(folders) == 5
    catalog = open_catalog(folders)
    assert len(catalog) == 5000 and catalog.problems == []
    with open_index(catalog, root / "data" / "search.sqlite") as index:
        assert index.rebuilt
        topics = catalog.topics()
        for known in topics[::499]:
            assert first_id(index, known.title) == known.id, known.title
        diabetes = index.search("diabetis")
        assert diabetes and all("Diabetes" in hit.title for hit in diabetes)
        arthritis = index.search("arthritus")[0]
        assert "Arthritis" in arthritis.title and arthritis.field == "title"
    with open_index(catalog, root / "data" / "search.sqlite") as index:
        assert not index.rebuilt
