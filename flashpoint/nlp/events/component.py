"""``flashpoint_events``: event extraction as a spaCy pipeline component.

Configured and initialised like spaCy's own rulers (``span_ruler``, ``attribute_ruler``):
the factory makes an empty component, :meth:`EventExtractor.initialize` loads its data (the
trigger lexicon rows, the modality cue sets and the named word sets; by default the shipped
files under data/lexicons), and ``to_disk``/``from_disk`` write and read that data next to the rest of
the pipeline, so ``nlp.to_disk(path)`` then ``spacy.load(path)`` extracts the same events.

How the article reaches the component. Events need to know the article a Doc came from
(its id, publication time and precision, dateline, title, source: ``ArticleContext``).
That travels on the Doc itself, as ``doc._.article``, set by :func:`set_article` on the
Doc made with ``nlp.make_doc`` before the pipeline runs (``process_batch`` does this). The
value is a plain dict (the publication time as ISO text) because under
``nlp.pipe(n_process=N)`` Docs cross to the worker processes and back as ``Doc.to_bytes``,
which keeps ``doc.user_data`` only if msgpack can encode it. spaCy's own ``as_tuples``
context is not visible to components, so it cannot carry this. A Doc without an article
(``nlp("some text")``) is read as an article with no id and no publication date.

The result is ``doc._.events``: a list of :class:`~flashpoint.nlp.events.records.EventRecord`,
stored as plain dicts in ``doc._.event_rows`` for the same reason. Beside it,
``doc._.event_past_dates`` maps the id of each planned event whose date names no year to
its date if it happened (``[value, precision, basis, text]``, read back from publication),
or to None where the date says the event is still to come, and the id of each undated
planned or possible event to the day the rules would give it as asserted (where they give
one), for the event filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import SimpleFrozenList

from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.dates import EventDate
from flashpoint.nlp.events.checks import BACKGROUND_PATTERNS, BackgroundStates
from flashpoint.nlp.events.extract import (
    extract_events,
)
from flashpoint.nlp.events.modality import (
    CUE_SETS,
    MODALITY_LEXICON,
    build_cues,
)
from flashpoint.nlp.events.records import (
    EventRecord,
    Lexicon,
)
from flashpoint.nlp.events.triggers import (
    TRIGGER_LEXICON,
    build_lexicon,
)
from flashpoint.nlp.events.vocabulary import (
    WORDS_LEXICON,
    build_word_sets,
    word_set_rows,
)
from flashpoint.schema import ArticleContext

EVENTS = "flashpoint_events"


TRIGGERS_FILE = "event_triggers.jsonl"


CUES_FILE = "modality_cues.json"


WORDS_FILE = "event_words.jsonl"


BACKGROUND_FILE = "background_states.jsonl"


def _get_events(doc: Doc) -> list[EventRecord]:
    return [EventRecord(**row) for row in doc._.event_rows or ()]


def _set_events(doc: Doc, records: Iterable[EventRecord]) -> None:
    doc._.event_rows = [asdict(record) for record in records]


def register_doc_extensions() -> None:
    """``doc._.article``, ``doc._.event_rows``, ``doc._.event_past_dates`` and
    ``doc._.events``; idempotent."""
    if not Doc.has_extension("article"):
        Doc.set_extension("article", default=None)
    if not Doc.has_extension("event_rows"):
        Doc.set_extension("event_rows", default=None)
    if not Doc.has_extension("event_past_dates"):
        Doc.set_extension("event_past_dates", default=None)
    if not Doc.has_extension("events"):
        Doc.set_extension("events", getter=_get_events, setter=_set_events)


register_doc_extensions()


def set_article(doc: Doc, context: ArticleContext) -> Doc:
    """Attach the article ``doc`` came from, for ``flashpoint_events`` to read."""
    published = context.published.isoformat() if context.published is not None else None
    doc._.article = {**asdict(context), "published": published}
    return doc


def article_of(doc: Doc) -> ArticleContext:
    """The article attached by :func:`set_article`; an anonymous undated one if none."""
    raw = doc._.article
    if not raw:
        return ArticleContext(article_id="")
    published = raw.get("published")
    return ArticleContext(
        **{**raw, "published": datetime.fromisoformat(published) if published else None}
    )


class EventExtractor:
    """Sets ``doc._.events`` from the parse, the entities and the article of each Doc."""

    def __init__(self, nlp: Language, name: str = EVENTS) -> None:
        self.name = name
        self.trigger_rows: list[dict[str, Any]] = []
        self.cue_sets: dict[str, list[str]] = {}
        self.word_rows: list[dict[str, Any]] = []
        self.lexicon: Lexicon | None = None
        self.cues: dict[str, frozenset[str]] = {}
        self.background: BackgroundStates | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        triggers: Iterable[Mapping[str, Any]] | None = None,
        modality_cues: Mapping[str, Iterable[str]] | None = None,
        words: Iterable[Mapping[str, Any]] | None = None,
        background_states: Iterable[Mapping[str, Any]] | None = None,
    ) -> None:
        """Load the rule data: ``triggers`` (rows of data/lexicons/event_triggers.jsonl),
        ``modality_cues`` (the object of data/lexicons/modality_cues.json) and ``words``
        (rows of data/lexicons/event_words.jsonl, the named word sets) and
        ``background_states`` (DependencyMatcher rows of data/lexicons/background_states.jsonl);
        any left out is read from the shipped file."""
        if triggers is None:
            rows = [row for _, row in jsonl_objects(TRIGGER_LEXICON)]
        else:
            rows = [dict(row) for row in triggers]
        if modality_cues is None:
            raw = srsly.read_json(MODALITY_LEXICON)
        else:
            raw = {name: list(words) for name, words in modality_cues.items()}
        if words is None:
            word_rows = [row for _, row in jsonl_objects(WORDS_LEXICON)]
        else:
            word_rows = [dict(row) for row in words]
        if background_states is None:
            background = [row for _, row in jsonl_objects(BACKGROUND_PATTERNS)]
        else:
            background = [dict(row) for row in background_states]
        self._load(rows, raw, word_rows, background, source=self.name)

    def _load(
        self,
        rows: list[dict[str, Any]],
        raw_cues: Any,
        word_rows: list[dict[str, Any]],
        background: list[dict[str, Any]],
        source: str,
    ) -> None:
        words = build_word_sets(
            ((f"{source} word set {number}", row) for number, row in enumerate(word_rows, 1)),
            source=source,
        )
        lexicon = build_lexicon(
            ((f"{source} trigger {number}", row) for number, row in enumerate(rows, 1)),
            source=source,
            words=words,
        )
        cues = build_cues(raw_cues, source=source)
        self.trigger_rows = rows
        self.cue_sets = {name: sorted(cues[name]) for name in CUE_SETS}
        self.word_rows = word_set_rows(words)
        self.background = BackgroundStates(background, source=f"{source} background states")
        self.lexicon, self.cues = lexicon, cues

    @property
    def is_initialized(self) -> bool:
        return self.lexicon is not None

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None:
            raise ValueError(
                f"{self.name} has no rules yet: call its initialize() (or nlp.initialize())"
            )
        past_readings: dict[str, EventDate | None] = {}
        doc._.events = extract_events(
            doc,
            article_of(doc),
            lexicon=self.lexicon,
            cues=self.cues,
            background=self.background,
            past_readings=past_readings,
        )
        doc._.event_past_dates = {
            event_id: None
            if found is None
            else [found.value, found.precision, found.basis, found.text]
            for event_id, found in past_readings.items()
        }
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / TRIGGERS_FILE, self.trigger_rows)
        srsly.write_json(path / CUES_FILE, self.cue_sets)
        srsly.write_jsonl(path / WORDS_FILE, self.word_rows)
        srsly.write_jsonl(path / BACKGROUND_FILE, self.background.rows if self.background else [])

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()
    ) -> EventExtractor:
        path = Path(path)
        rows = [row for _, row in jsonl_objects(path / TRIGGERS_FILE)]
        words = [row for _, row in jsonl_objects(path / WORDS_FILE)]
        background = [row for _, row in jsonl_objects(path / BACKGROUND_FILE)]
        self._load(rows, srsly.read_json(path / CUES_FILE), words, background, source=str(path))
        return self


@Language.factory(
    EVENTS,
    assigns=["doc._.events", "doc._.event_rows", "doc._.event_past_dates"],
    requires=["token.dep", "token.head", "token.lemma", "token.pos", "doc.ents"],
    default_config={},
)
def make_event_extractor(nlp: Language, name: str) -> EventExtractor:
    """An empty extractor: its rules come from ``initialize`` or ``from_disk``."""
    return EventExtractor(nlp, name)
