"""Docs with a pinned parse, so an event rule test needs no trained model.

A parse is a plain dict (the shape of tests/data/event_cases.jsonl): ``words``,
``spaces``, ``heads`` (absolute token indices), ``deps``, ``pos``, ``tags``, ``lemmas`` and
``ents`` as ``[start, end, label, entity id]``. :func:`pinned_doc` builds the Doc the way
spaCy's own tests do (``Doc(vocab, words=…, heads=…, deps=…)``), sets the entities with
their gazetteer ids and runs ``flashpoint_normalizer`` over them, which is all the event
component reads besides the parse. :func:`parse_of` stores a parsed Doc in that shape.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from flashpoint.nlp.events import extract_events
from flashpoint.nlp.events.records import EventRecord
from flashpoint.nlp.pipeline import NORMALIZER, blank_pipeline
from flashpoint.schema import ArticleContext

# What a stored case compares: the fields a reader of the timeline sees.
COMPARED = (
    "event_type",
    "trigger",
    "actors",
    "participants",
    "weapons",
    "location",
    "event_date",
    "date_precision",
    "date_basis",
    "modality",
)


def pinned_doc(parse: dict[str, Any]) -> Doc:
    """The Doc of a stored parse, entities normalised, without any trained component."""
    rules = blank_pipeline()
    doc = Doc(
        rules.vocab,
        words=parse["words"],
        spaces=parse["spaces"],
        heads=parse["heads"],
        deps=parse["deps"],
        pos=parse["pos"],
        tags=parse["tags"],
        lemmas=parse["lemmas"],
    )
    doc.ents = [
        Span(doc, start, end, label=label, span_id=entity_id or 0)
        for start, end, label, entity_id in parse["ents"]
    ]
    normalized: Doc = rules.get_pipe(NORMALIZER)(doc)
    return normalized


def parse_of(doc: Doc) -> dict[str, Any]:
    """A parsed Doc in the stored shape (absolute heads)."""
    return {
        "words": [t.text for t in doc],
        "spaces": [bool(t.whitespace_) for t in doc],
        "heads": [t.head.i for t in doc],
        "deps": [t.dep_ for t in doc],
        "pos": [t.pos_ for t in doc],
        "tags": [t.tag_ for t in doc],
        "lemmas": [t.lemma_ for t in doc],
        "ents": [[e.start, e.end, e.label_, e.id_ or None] for e in doc.ents],
    }


def summary(record: EventRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in COMPARED}


def pinned_events(parse: dict[str, Any], context: ArticleContext) -> list[dict[str, Any]]:
    """The events of a stored parse, as the compared fields."""
    return [summary(record) for record in extract_events(pinned_doc(parse), context)]
