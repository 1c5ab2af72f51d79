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
  not. So are sanctions a country is under or faces ("under layers of sanctions", "in the
  face of tightening sanctions"), a regime kept ("maintains sanctions"), what is under
  sanctions ("the sanctioned entities"), forces described by where they are stationed now
  ("U.S. soldiers stationed in South Korea", "28,500 troops are stationed there") and an
  event noun that names a kind of place or thing ("the nuclear test site", "sanctions
  relief").
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
* **A meeting of one government's own body** ("told a cabinet meeting that ...", "convened a
  National Security Council meeting", "a plenary meeting of the National Security Council",
  "the parliamentary session") is that government's, whatever other countries its clause
  names ("... urged Pyongyang not to ...", "after North Korea fired"): where the meeting noun
  is modified by, or is "of", a national organ of the gazetteer (government, party, agency,
  military) or a word of the ``domestic_bodies`` set, the clause's countries are no parties,
  and only a co-party the parse names ("a cabinet meeting with U.S. envoys") keeps it.
  Seen in Korea Herald, Reuters, news-cluster and demo articles (kh-0943f6fd9a21,
  kh-34fa4c652a16, kh-fd7a608b85d6, kh-609b9f70355d, isot-9daddedfd0ab, the Ulchi Freedom
  Guardian demo article, two news-cluster NSC meetings).
* **Private people and things hold no meetings.** Talks, visits and arrivals are between
  governments or their officials; a tourist or an asylum seeker arriving somewhere, families
  meeting relatives, businessmen visiting a factory park or a ship that has visited a port
  report travel, not a meeting. A meeting whose every agent is a ``private_parties`` word
  ("most of the families" is the families; "whose visits" is whoever the relative clause
  describes) is dropped (Korea Herald kh-f28d320eab74, kh-609b9f70355d, kh-b798cb7b4df0,
  kh-7c65456c5f7f, kh-b992803c7f3c and two demo articles). Likewise a leader speaking to
  troops, sailors or reporters addresses them: a meeting whose every co-party is such a
  word is no meeting between parties (news-cluster g5w-...f99307; plain word sense).
* **Meeting a requirement.** "Meet" whose object is a ``requirement_nouns`` word ("meet
  international standards", "meet the demand for skills") means satisfying it, a sense with
  no parties (plain word sense; kh-fd7a608b85d6).
* **Some modifiers name both parties.** "The first inter-Korean summit", "inter-Korean
  talks": the meeting is between the two Koreas whoever else the clause names
  (``joint_parties``, rows of data/lexicons/joint_parties.jsonl; plain word sense).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from flashpoint.config import resource_path
from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.events.entities import EntityIndex, span_extension
from flashpoint.nlp.events.records import EventRecord
from flashpoint.nlp.events.vocabulary import WordSets

BACKGROUND_PATTERNS = resource_path("lexicons", "background_states.jsonl")
JOINT_PARTIES = resource_path("lexicons", "joint_parties.jsonl")
TRIGGER_NODE = "trigger"
# Gazetteer kinds of organisation that meet as one body of many parties.
MULTILATERAL_KIND_LABELS = frozenset({"body", "bloc"})
# Gazetteer kinds of organisation that are one state's own organ.
NATIONAL_ORGAN_KIND_LABELS = frozenset({"government", "party", "agency", "military"})
# How a meeting noun names the body whose meeting it is: "cabinet meeting", "plenary
# meeting", "parliamentary session", "ministers' meeting".
BODY_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod"})


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


def _modifier_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in "- \u2010\u2011\u2013")


@lru_cache(maxsize=1)
def _joint_parties_table() -> dict[str, tuple[str, ...]]:
    return {
        _modifier_key(str(row["modifier"])): tuple(str(p) for p in row["parties"])
        for _, row in jsonl_objects(JOINT_PARTIES)
    }


def joint_parties(noun: Token, table: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """The parties a modifier of a meeting noun names at once ("the first inter-Korean
    summit": South and North Korea), from data/lexicons/joint_parties.jsonl: any run of
    the words just before the noun that it governs (module docstring)."""
    table = _joint_parties_table() if table is None else table
    run: list[Token] = []
    for token in reversed(noun.doc[noun.left_edge.i : noun.i]):
        if token.head != noun or token.dep_ not in BODY_MODIFIER_DEPS | {"punct"}:
            break
        run.insert(0, token)
        key = _modifier_key("".join(t.text_with_ws for t in run))
        if key in table:
            return list(table[key])
    return []


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


def is_multilateral_body(entity_id: str) -> bool:
    """Whether ``entity_id`` is a multilateral body (the UN Security Council, ASEAN)."""
    return entity_id in _organisations()[0]


@lru_cache(maxsize=1)
def _national_organs() -> frozenset[str]:
    from flashpoint.nlp.gazetteer import Gazetteer

    return frozenset(
        entry.entity_id
        for entry in Gazetteer.load().entries.values()
        if entry.entity_type == "organization" and entry.kind in NATIONAL_ORGAN_KIND_LABELS
    )


def meeting_bodies(noun: Token) -> list[Token]:
    """The tokens naming whose meeting ``noun`` is: its modifiers ("cabinet meeting") and
    the object of its "of" ("a meeting of the National Security Council")."""
    bodies = [c for c in noun.children if c.dep_ in BODY_MODIFIER_DEPS]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            bodies.extend(c for c in prep.children if c.dep_ == "pobj")
    return bodies


def held_by_one_body(
    noun: Token, parties: Iterable[Token], entities: EntityIndex, words: WordSets
) -> bool:
    """A meeting noun naming one government's own body as the body meeting (a national
    organ of the gazetteer or a ``domestic_bodies`` word), with no other party among
    ``parties`` (module docstring)."""
    bodies = meeting_bodies(noun)
    if any(party not in bodies for party in parties):
        return False  # "a cabinet meeting with U.S. envoys"
    organs = _national_organs()
    for token in bodies:
        entity = entities.of(token)
        if entity is not None:
            if span_extension(entity, "entity_id") in organs:
                return True
            continue  # another entity (the UN Security Council, a country) is no sign
        if token.lemma_.lower() in words.domestic_bodies:
            return True
    return False


def _agent_head(token: Token, words: WordSets) -> Token:
    """The noun an agent stands for: "most of the families" -> families, "whose" -> the
    noun its relative clause describes."""
    if token.lower_ in words.relative_pronouns:
        for ancestor in token.ancestors:
            if ancestor.dep_ == "relcl":
                return ancestor.head
        return token
    if token.lower_ in words.partitive_quantities:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return token


def _all_private(tokens: Iterable[Token], entities: EntityIndex, words: WordSets) -> bool:
    heads = [_agent_head(token, words) for token in tokens]
    return bool(heads) and all(
        entities.of(head) is None and head.lemma_.lower() in words.private_parties for head in heads
    )


def held_by_private_parties(
    agents: Iterable[Token], parties: Iterable[Token], entities: EntityIndex, words: WordSets
) -> bool:
    """Every agent of a meeting a private person or a thing, none an entity, or every
    co-party named one ("speaking to troops at the base" is an address, not a call)
    (module docstring)."""
    return _all_private(agents, entities, words) or _all_private(parties, entities, words)


def meets_a_requirement(verb: Token, words: WordSets) -> bool:
    """ "must meet international standards": "meet" in the sense of satisfying its object
    (module docstring)."""
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in words.satisfying_verbs
        and any(
            child.dep_ == "dobj" and child.lemma_.lower() in words.requirement_nouns
            for child in verb.children
        )
    )


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
