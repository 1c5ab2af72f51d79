"""Checks that keep mentions which report no particular act off the timeline.

Two classes of false event, each seen in several sources and backed by the labelling guide
(tests/data/README.md):

* **Background states.** A sanctions regime or a Security Council resolution named as a
  standing norm -- what a launch violates, what a country is under, what China enforces --
  is not an act of imposing or adopting anything: "a clear violation of UN resolutions",
  "in defiance of U.N. sanctions", "has been under sanctions since 2006", "sanctions will
  not work". The constructions are spaCy ``DependencyMatcher`` patterns, one JSON line each,
  in data/lexicons/background_states.jsonl; a trigger noun a pattern matches (its node
  ``trigger``) is dropped before an event is built from it. Forces a country keeps
  somewhere as a standing fact are a background state too, not a deployment ("the United
  States, which has 28,500 troops stationed in South Korea", "a growing military
  presence"); the presence of particular forces ("the presence of the carrier groups") is
  not.
* **A meeting takes two parties.** A meeting is between different parties (two countries,
  or a country and a body), or of a multilateral body (the Security Council, the G20). A
  cabinet meeting, a party session or labour talks name one country, so a meeting mention
  whose actors, participants and host country come to exactly one country, none of them a
  multilateral body, is dropped -- unless the parse shows two sides the entities do not: a
  named co-party ("a call with Moon", "meeting Xi") or a plural or coordinated agent ("the
  two leaders met", "Putin and Abe held talks"). A mention with no party but the place it
  was held says nothing either way and is kept.
  Organisations count as the country they belong to (Seoul's National Security Council is
  South Korea).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from flashpoint.config import resource_path
from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.events.records import EventRecord

BACKGROUND_PATTERNS = resource_path("lexicons", "background_states.jsonl")
TRIGGER_NODE = "trigger"
# Gazetteer kinds of organisation that meet as one body of many parties.
MULTILATERAL_KIND_LABELS = frozenset({"body", "bloc"})


class PatternError(ValueError):
    """A background-state pattern that spaCy's DependencyMatcher cannot take."""


class BackgroundStates:
    """Trigger tokens that name a standing norm rather than an act (see module docstring)."""

    def __init__(self, rows: Iterable[Mapping[str, Any]], source: str = "patterns") -> None:
        self.rows = [dict(row) for row in rows]
        self.source = source
        for number, row in enumerate(self.rows, 1):
            pattern = row.get("pattern")
            if not isinstance(row.get("id"), str) or not isinstance(pattern, list) or not pattern:
                raise PatternError(f"{source} row {number}: needs an 'id' and a 'pattern' list")
            if pattern[0].get("RIGHT_ID") != TRIGGER_NODE:
                raise PatternError(f"{source} row {number}: the first node must be 'trigger'")
        # per vocab; the vocab is held so that its id cannot be reused by another one
        self._matchers: dict[int, tuple[Vocab, DependencyMatcher]] = {}

    @classmethod
    def from_file(cls, path: Path = BACKGROUND_PATTERNS) -> BackgroundStates:
        return cls((row for _, row in jsonl_objects(path)), source=str(path))

    def _matcher(self, vocab: Vocab) -> DependencyMatcher:
        cached = self._matchers.get(id(vocab))
        if cached is not None:
            return cached[1]
        matcher = DependencyMatcher(vocab)
        for row in self.rows:
            try:
                matcher.add(row["id"], [row["pattern"]])
            except ValueError as error:
                raise PatternError(f"{self.source}: pattern {row['id']!r}: {error}") from None
        self._matchers[id(vocab)] = (vocab, matcher)
        return matcher

    def tokens(self, doc: Doc) -> frozenset[int]:
        """Indices of the trigger tokens in ``doc`` that name a background state."""
        if not self.rows or not doc.has_annotation("DEP"):
            return frozenset()
        # the trigger is the pattern's first node, so the first token id of every match
        return frozenset(token_ids[0] for _, token_ids in self._matcher(doc.vocab)(doc))


@lru_cache(maxsize=1)
def default_background_states() -> BackgroundStates:
    return BackgroundStates.from_file()


@lru_cache(maxsize=1)
def _organisations() -> tuple[frozenset[str], dict[str, str]]:
    """Multilateral bodies, and the country each national organisation belongs to."""
    from flashpoint.nlp.gazetteer import Gazetteer

    bodies: set[str] = set()
    country_of: dict[str, str] = {}
    for entry in Gazetteer.load().entries.values():
        if entry.entity_type != "organization":
            continue
        if entry.kind in MULTILATERAL_KIND_LABELS:
            bodies.add(entry.entity_id)
        elif entry.country:
            country_of[entry.entity_id] = entry.country
    return frozenset(bodies), country_of


def meeting_parties(record: EventRecord) -> tuple[set[str], bool]:
    """The distinct parties of a meeting (organisations as their country), and whether one
    of them is a multilateral body."""
    bodies, country_of = _organisations()
    parties: set[str] = set()
    multilateral = False
    for entity_id in [*record.actors, *record.participants]:
        if entity_id in bodies:
            multilateral = True
        parties.add(country_of.get(entity_id, entity_id))
    return parties, multilateral


def is_meeting_of_parties(
    record: EventRecord, *, host: str | None = None, two_sides_in_parse: bool = False
) -> bool:
    """Not a meeting: one country alone (with ``host``, the country of the place it was
    held), no multilateral body and no two sides in the parse (module docstring)."""
    if record.event_type != "meeting" or two_sides_in_parse:
        return True
    parties, multilateral = meeting_parties(record)
    if not parties - {host}:
        return True  # no party of its own, at most where it was held: nothing to go on
    if host is not None:
        parties.add(host)
    return multilateral or len(parties) >= 2
