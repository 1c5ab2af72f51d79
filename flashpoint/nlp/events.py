"""Events from the dependency parse: who launched, deployed, met or sanctioned, where, when.

A keyword hit says a sentence mentions a launch; the parse says who did it. The extractor
works in small pure steps over one sentence, textacy-style, with a little memory of the
article so far (what was launched, by whom, when):

1. :func:`find_triggers` -- words that name an event (``fire``, ``launch``, ``deployment``,
   ``talks`` ...; data/lexicons/event_triggers.jsonl), kept only when their object,
   subject or modifiers are of the right kind ("fired four *missiles*", not "fired the
   minister"; "the *missile* flew over Japan"). A nominal trigger picks up its support
   verb ("*held* talks", "*imposed* sanctions"). A bare "the launch" or "the test" counts
   when the article is about launches, and takes the type of the last launch or test.
2. :func:`trigger_roles` -- the tokens that fill each role: agents (``nsubj``, passive
   ``agent``, possessor, country modifiers, subjects inherited through ``xcomp``/``advcl``/
   ``conj``), co-parties ("with", "between"), targets ("toward Japan") and places ("in South
   Korea", "into the Sea of Japan", "over Hokkaido").
3. Roles become canonical entities through the normaliser's span extensions
   (``entity_id``, ``entity_type``, ``entity_country``); actors are countries (an
   organisation without a country, like the UN Security Council, stands for itself).
4. :mod:`flashpoint.nlp.modality` decides asserted/negated/planned/possible/claimed;
   :mod:`flashpoint.nlp.dates` resolves the date expression attached to the trigger's
   clause, in the time zone of the place the event happened. A later mention of the same
   event ("the launch") takes the date of the first dated report of it in the article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from flashpoint.config import REPO_ROOT
from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.dates import (
    NUMBER_WORDS,
    UNKNOWN_DATE,
    Direction,
    EventDate,
    TimezoneIndex,
    as_tzinfo,
    find_date_spans,
    interval_to_date,
    load_timezones,
    resolve_event_date,
    sequence_shift,
    shift_event_date,
)
from flashpoint.nlp.modality import (
    ASSERTED,
    CLAIMED,
    PLANNED,
    POSSIBLE,
    ModalityResult,
    event_modality,
)
from flashpoint.nlp.reference import ReferenceEvent, default_reference_index, ordinal_value
from flashpoint.schema import ArticleContext

TRIGGER_LEXICON = REPO_ROOT / "data" / "lexicons" / "event_triggers.jsonl"

# Dependency labels (ClearNLP style, as the English spaCy models use them).
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
AGENT_DEP = "agent"
PREP_DEP = "prep"
POBJ_DEP = "pobj"
POSS_DEP = "poss"
CONJ_DEP = "conj"
APPOS_DEP = "appos"
NP_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod", "quantmod"})
NP_INNER_DEPS = NP_MODIFIER_DEPS | {POSS_DEP, APPOS_DEP, CONJ_DEP, "cc", "det", "case", "punct"}
# Through these a verb without its own subject takes its head's ("after meeting", "agreed
# to deploy", "fired missiles and threatened ...").
SUBJECT_INHERIT_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "acomp", "prep"})
# "asked the US to deploy": the object of these verbs is the agent of the xcomp.
SUBJECT_CONTROL_VERBS = frozenset(
    {
        "agree",
        "plan",
        "promise",
        "vow",
        "try",
        "decide",
        "want",
        "hope",
        "seek",
        "refuse",
        "threaten",
        "pledge",
        "offer",
        "intend",
        "aim",
        "continue",
        "begin",
        "start",
        "fail",
    }
)
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
PRONOUNS = frozenset(
    {"it", "its", "they", "their", "them", "we", "our", "he", "his", "she", "her", "i"}
)
GENERIC_AGENT_HEADS = frozenset(
    {
        "country",
        "regime",
        "nation",
        "state",
        "government",
        "military",
        "north",
        "side",
        "isolated",
        "communist",
    }
)
DETERMINERS_DEFINITE = frozenset({"the", "this", "that", "its", "their", "his", "her", "our"})
GENERIC_DETERMINERS = frozenset(
    {
        "such",
        "these",
        "those",
        "any",
        "more",
        "further",
        "repeated",
        "frequent",
        "future",
        "other",
        "many",
        "several",
        "multiple",
        "some",
        "no",
        "all",
        "new",
    }
)
# "these"/"those" point back at events just named when the clause reports them as done.
DEMONSTRATIVES = frozenset({"these", "those"})
# "these sanctions" points back at the sanctions just reported: sanctions are one event
# named in the plural, where "these launches" are several events, a kind.
ANAPHORIC_PLURALS = DEMONSTRATIVES
VAGUE_QUANTITIES = frozenset({"dozens", "hundreds", "scores", "many", "numerous", "series"})
TEMPORAL_NOUNS = frozenset(
    {
        "morning",
        "afternoon",
        "evening",
        "night",
        "day",
        "time",
        "hours",
        "weekend",
        "dawn",
        "noon",
        "midnight",
        "week",
        "month",
        "year",
    }
)
# Verbs that only say when the event named by their subject happened: "the launch came on
# June 22", "the drills, which began on August 21".
OCCURRENCE_VERBS = frozenset(
    {"come", "occur", "happen", "take", "begin", "start", "end", "follow", "kick", "open"}
)
# "the previous test", "past sanctions": an older event than the article's news.
EARLIER_MODIFIERS = frozenset({"previous", "prior", "earlier", "past"})
# "conducted regularly", "held two to three times a month", "after each test": a habit,
# not one event, so no particular date (tests/data/README.md: habitual events are null).
HABITUAL_ADVERBS = frozenset(
    {"regularly", "routinely", "usually", "often", "frequently", "habitually", "nowadays"}
)
FREQUENCY_HEADS = frozenset({"times", "once", "twice", "thrice", "per"})
DISTRIBUTIVE_DETERMINERS = frozenset({"each", "every"})
DISTRIBUTIVE_PREPS = frozenset({"after", "following", "before", "with", "during", "upon"})
# A caption's picture: "In this undated photo, ...", "This photo, taken Sept. 12, shows ...".
PICTURE_NOUNS = frozenset({"photo", "photograph", "picture", "image", "footage", "video"})
PICTURE_VERBS = frozenset({"show", "depict", "capture"})
# Dependencies through which adverbials of the clause hang on its verb or on the trigger.
ADJUNCT_DEPS = frozenset(
    {"advmod", "npadvmod", "prep", "pobj", "quantmod", "nummod", "det", "tmod", "obl"}
)
# Verbs that start or finish an event named by their object: "wrapped up the talks on
# Friday" dates the talks.
PHASE_VERBS = frozenset(
    {"begin", "start", "open", "launch", "end", "wrap", "conclude", "finish", "complete", "close"}
)
# Sanctions that come with a law or resolution take its date: "signed into law on Thursday a
# bill that broadens sanctions", "voted on Monday for a resolution toughening sanctions".
ENACTMENT_VERBS = frozenset(
    {"sign", "adopt", "pass", "approve", "enact", "vote", "issue", "unveil", "introduce"}
)
INSTRUMENT_NOUNS = frozenset(
    {"bill", "law", "resolution", "act", "order", "package", "legislation", "decree", "draft"}
)
# Ongoing states whose "since" date is when they began: "deployed there since September".
STATE_TYPES = frozenset({"deployment", "exercise"})
# Event nouns that name a state, not an act: "the presence of the carriers" goes on at the
# time the article speaks of it, so it began at a day the clause's date does not give.
STATE_NOUNS = frozenset({"presence"})
# "under sanctions": the trigger names a state its subject is in.
STATE_PREPS = frozenset({"under"})
# "UN resolutions ban North Korea from launching": not an event.
PROHIBITING_VERBS = frozenset(
    {"ban", "prohibit", "bar", "forbid", "prevent", "stop", "restrain", "deter"}
)
# "declared on Monday after meeting ...": the adjunct happened the same day.
SAME_TIME_MARKERS = frozenset({"after", "before", "while", "when", "upon", "during", "as"})
# "said in a phone call", "during the drills", "at the summit": the verb happens within the
# event, so it dates it.
COINCIDE_PREPS = frozenset({"in", "during", "at", "into", "on"})
# "five days after", "a month before": the event is dated relative to another one.
INTERVAL_MARKS = frozenset({"after", "before", "since", "until", "till"})
INTERVAL_UNITS = frozenset({"day", "week", "month", "year", "hour", "minute"})
SAME_DAY_UNITS = frozenset({"hour", "minute"})
SCOPE_MARKERS = frozenset(
    {
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "latest",
        "last",
        "next",
        "15th",
        "14th",
        "13th",
        "12th",
        "11th",
    }
)

TARGET_PREPS = frozenset({"toward", "towards", "at", "against", "on", "upon"})
PLACE_PREPS = frozenset(
    {
        "in",
        "into",
        "over",
        "near",
        "off",
        "inside",
        "across",
        "onto",
        "to",
        "within",
        "around",
        "outside",
        "from",
        "at",
        "through",
    }
)
DESTINATION_PREPS = frozenset({"to", "into", "in", "onto", "on", "near", "at", "inside"})
PARTY_PREPS = frozenset({"with", "between", "among"})
AGENT_PREPS = frozenset({"by"})
# A date under these prepositions bounds the event, it does not date it ("since 2009").
BOUND_PREPS = frozenset(
    {
        "since",
        "until",
        "till",
        "before",
        "after",
        "by",
        "between",
        "through",
        "ahead",
        "following",
        "prior",
    }
)
REPORTING_LEMMAS = frozenset(
    {
        "say",
        "claim",
        "report",
        "announce",
        "state",
        "tell",
        "add",
        "insist",
        "allege",
        "confirm",
        "declare",
    }
)
# Verbs that take notice of an event as it happens ("officials confirmed a missile test on
# Friday", "radars detected a launch Monday"): their date is, like a reporting clause's, the
# event's unless the event's own phrase says otherwise. Not "announce": what is announced is
# often still to come.
DETECTION_VERBS = frozenset({"confirm", "report", "detect", "spot", "track", "observe"})
HISTORY_ADVERBS = frozenset(
    {"previously", "earlier", "already", "before", "ever", "once", "formerly"}
)
SYMMETRIC_TYPES = frozenset({"meeting", "exercise"})
# Where a launch or test happened is the launching country, not where the missile landed.
LAUNCH_TYPES = frozenset({"missile_launch", "nuclear_test"})
# UN sanctions can only be imposed by the Security Council (UN Charter, Chapter VII).
SANCTIONING_BODIES = {"org:un": "org:unsc"}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PARTY_LABELS = frozenset({"GPE", "NORP", "PERSON", "ORG"})
# An event in East Asia reported with a Western (or zone-less) publication date may fall on
# the day after the printed date; see :func:`_lead_days`.
LEAD_OFFSET = timedelta(hours=6)


# --- Records ------------------------------------------------------------------------------


@dataclass(slots=True)
class EventRecord:
    """One event stated in one sentence: the columns of EVENT_COLUMNS minus story_id."""

    event_id: str
    article_id: str
    sentence_idx: int
    start_char: int
    end_char: int
    event_type: str
    trigger: str
    actors: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    location: str | None = None
    event_date: str | None = None
    date_precision: str = "unknown"
    date_basis: str = "unknown"
    date_text: str | None = None
    modality: str = ASSERTED
    confidence: float = 0.5
    is_space_launch: bool = False


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """One lexicon row: a trigger lemma and what it needs to count as an event."""

    event_type: str
    lemma: str
    pos: str
    needs: frozenset[str] = frozenset()
    bare: frozenset[str] = frozenset({"reject"})
    role: str = "object"  # where ``needs`` is checked on a verb: its object or its subject
    space: frozenset[str] = frozenset()
    prt: frozenset[str] = frozenset()
    not_prt: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()
    party_preps: frozenset[str] = frozenset()
    object_words: frozenset[str] = frozenset()
    requires_destination: bool = False
    requires_weapon: bool = False
    requires_object_head: bool = False
    plural_only: bool = False
    not_passive: bool = False
    sentence_needs: frozenset[str] = frozenset()
    article_needs: frozenset[str] = frozenset()
    support_only: frozenset[str] = frozenset()
    modifier_needs: frozenset[str] = frozenset()
    predicate: bool = False  # "the battery is operational", "a unit is on combat duty"
    bare_without_clause: bool = False  # bare only without "to ..." ("a plan to expand trade")


@dataclass(frozen=True, slots=True)
class Lexicon:
    triggers: dict[tuple[str, str], tuple[TriggerSpec, ...]]
    classes: dict[str, frozenset[str]]
    support: frozenset[str]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger word found in a sentence, with the evidence that made it count."""

    token: Token
    spec: TriggerSpec
    support: Token | None  # the light verb of a nominal trigger
    evidence: frozenset[str]  # classes found in the object/subject/modifiers
    bare: bool  # accepted on context, without an object or modifier of the needed kind
    is_space: bool

    @property
    def event_type(self) -> str:
        return self.spec.event_type

    @property
    def clause_verb(self) -> Token:
        """The word that carries tense, modality and the clause's date."""
        return self.support if self.support is not None else self.token

    @property
    def is_verbal(self) -> bool:
        return self.clause_verb.pos_ in ("VERB", "AUX")

    @property
    def time_verb(self) -> Token:
        """The verb whose time is the event's: the clause verb, or for "said in a phone
        call with Merkel" / "told reporters during the drills" the verb the event frames."""
        verb = self.clause_verb
        if self.is_verbal or verb.dep_ != POBJ_DEP:
            return verb
        prep = verb.head
        if prep.lower_ in COINCIDE_PREPS and prep.head.pos_ in ("VERB", "AUX"):
            return prep.head
        return verb


@dataclass(slots=True)
class Roles:
    """Token heads filling each role of one trigger."""

    agents: list[Token] = field(default_factory=list)
    parties: list[Token] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    places: list[Token] = field(default_factory=list)
    agent_from: str = "none"  # syntax|inherited|none


@dataclass(slots=True)
class ArticleState:
    """What earlier sentences of the article said, for bare mentions ("the launch"),
    pronouns ("it fired") and dates of later mentions of the same event."""

    doc_classes: frozenset[str] = frozenset()
    seen: list[str] = field(default_factory=list)  # event types in reading order
    actors_by_type: dict[str, list[str]] = field(default_factory=dict)
    dated_by_type: dict[str, EventDate] = field(default_factory=dict)
    last_dated: EventDate | None = None  # the latest stated date, for "a week later"
    dated_actors: dict[str, frozenset[str]] = field(default_factory=dict)  # of dated_by_type
    subject_country: str | None = None
    # The last sentence with events: its end offset and the stated dates of its events
    previous_end: int = -1
    previous_dates: dict[str, list[EventDate | None]] = field(default_factory=dict)

    def has(self, event_type: str) -> bool:
        return event_type in self.seen

    def latest_of(self, event_types: Iterable[str]) -> str | None:
        wanted = set(event_types)
        return next((t for t in reversed(self.seen) if t in wanted), None)


# --- Lexicon --------------------------------------------------------------------------------


def _frozen(value: object) -> frozenset[str]:
    if isinstance(value, list):
        return frozenset(str(v).lower() for v in value)
    if isinstance(value, str):
        return frozenset({value.lower()})
    return frozenset()


BARE_POLICIES = frozenset(
    {
        "accept",
        "reject",
        "sentence",
        "article",
        "coref",
        "support",
        "party",
        "multi_agent",
        "foreign_party",
    }
)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = TRIGGER_LEXICON) -> Lexicon:
    """Trigger lemmas, word classes and support verbs from the JSONL lexicon."""
    triggers: dict[tuple[str, str], list[TriggerSpec]] = {}
    classes: dict[str, frozenset[str]] = {}
    support: frozenset[str] = frozenset()
    for where, row in jsonl_objects(path):
        kind = row.get("kind")
        if kind == "class":
            classes[str(row["name"])] = _frozen(row.get("lemmas"))
        elif kind == "support":
            support = support | _frozen(row.get("lemmas"))
        elif kind == "trigger":
            spec = TriggerSpec(
                event_type=str(row["event_type"]),
                lemma=str(row["lemma"]).lower(),
                pos=str(row.get("pos", "VERB")).upper(),
                needs=_frozen(row.get("needs")),
                bare=_frozen(row.get("bare", "reject")),
                role=str(row.get("role", "object")),
                space=_frozen(row.get("space")),
                prt=_frozen(row.get("prt")),
                not_prt=_frozen(row.get("not_prt")),
                preps=_frozen(row.get("preps")),
                party_preps=_frozen(row.get("party_preps")),
                object_words=_frozen(row.get("object_words")),
                requires_destination=bool(row.get("requires_destination", False)),
                requires_weapon=bool(row.get("requires_weapon", False)),
                requires_object_head=bool(row.get("requires_object_head", False)),
                plural_only=bool(row.get("plural_only", False)),
                not_passive=bool(row.get("not_passive", False)),
                sentence_needs=_frozen(row.get("sentence_needs")),
                article_needs=_frozen(row.get("article_needs")),
                support_only=_frozen(row.get("support_only")),
                modifier_needs=_frozen(row.get("modifier_needs")),
                predicate=bool(row.get("predicate", False)),
                bare_without_clause=bool(row.get("bare_without_clause", False)),
            )
            if spec.pos not in ("VERB", "NOUN", "ADJ") or spec.role not in (
                "object",
                "subject",
            ):
                raise ValueError(f"{where}: pos must be VERB, NOUN or ADJ, role object or subject")
            if (spec.pos == "VERB" and spec.predicate) or (
                spec.pos == "ADJ" and not spec.predicate
            ):
                raise ValueError(f"{where}: ADJ triggers are predicates, VERB triggers never")
            if spec.bare - BARE_POLICIES:
                raise ValueError(
                    f"{where}: unknown bare policy {sorted(spec.bare - BARE_POLICIES)}"
                )
            triggers.setdefault((spec.lemma, spec.pos), []).append(spec)
        else:
            raise ValueError(f"{where}: unknown kind {kind!r}")
    unknown = {
        name
        for specs in triggers.values()
        for spec in specs
        for name in spec.needs
        | spec.space
        | spec.sentence_needs
        | spec.modifier_needs
        | spec.article_needs
        if name not in classes
    }
    if unknown:
        raise ValueError(f"{path}: triggers need undefined classes {sorted(unknown)}")
    return Lexicon(
        triggers={key: tuple(specs) for key, specs in triggers.items()},
        classes=classes,
        support=support,
    )


# --- Entities -------------------------------------------------------------------------------


def _ext(span: Span, name: str) -> str | None:
    if not Span.has_extension(name):
        return None
    value = getattr(span._, name)
    return str(value) if value else None


def entity_type(span: Span) -> str | None:
    kind = _ext(span, "entity_type")
    if kind:
        return kind
    return "weapon" if span.label_ == "WEAPON" else None


def entity_country(span: Span) -> str | None:
    """The country an entity stands for: itself for a country, its country for a person,
    weapon, place or metonym; an organisation the gazetteer knows but that belongs to no
    country (the UN Security Council) stands for itself."""
    kind = entity_type(span)
    entity_id = _ext(span, "entity_id")
    if kind == "country":
        return entity_id
    country = _ext(span, "entity_country")
    if country:
        return country
    if kind == "organization" and entity_id and span.ent_id_:
        if _ext(span, "sector") == "government":
            return None  # a national organ of no stated country ("a National Security Council")
        return entity_id  # a gazetteer organisation (UN Security Council), not a guess
    return None


class EntityIndex:
    """Which entity each token belongs to, for one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.by_token: dict[int, Span] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.by_token[i] = ent

    def of(self, token: Token) -> Span | None:
        return self.by_token.get(token.i)

    def in_tokens(self, tokens: Iterable[Token]) -> list[Span]:
        seen: dict[int, Span] = {}
        for token in tokens:
            ent = self.by_token.get(token.i)
            if ent is not None:
                seen.setdefault(ent.start, ent)
        return [seen[k] for k in sorted(seen)]


# --- Phrases --------------------------------------------------------------------------------


def noun_phrase(head: Token, *, follow_of: bool = True) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``: modifiers, possessors, appositions,
    conjuncts and "of" phrases, but not relative clauses or other prepositional phrases."""
    out: list[Token] = []
    stack = [head]
    seen: set[int] = set()
    while stack:
        token = stack.pop()
        if token.i in seen:
            continue
        seen.add(token.i)
        out.append(token)
        for child in token.children:
            if child.dep_ in NP_INNER_DEPS:
                stack.append(child)
            elif follow_of and child.dep_ == PREP_DEP and child.lower_ == "of":
                stack.extend(c for c in child.children if c.dep_ == POBJ_DEP)
    return sorted(out, key=lambda t: t.i)


def expand_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """ "Russia and Japan" -> [Russia, Japan]; "the North's leader, Kim" -> both."""
    out: list[Token] = []
    seen: set[int] = set()
    stack = list(tokens)
    while stack:
        token = stack.pop(0)
        if token.i in seen:
            continue
        seen.add(token.i)
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ in (CONJ_DEP, APPOS_DEP))
    return out


def prep_objects(token: Token, preps: frozenset[str]) -> list[tuple[str, Token]]:
    """(preposition, object) pairs for the given prepositions attached to ``token``."""
    pairs: list[tuple[str, Token]] = []
    for child in token.children:
        if child.dep_ in (PREP_DEP, AGENT_DEP, "dative") and child.lower_ in preps:
            for obj in child.children:
                if obj.dep_ == POBJ_DEP:
                    pairs.extend((child.lower_, o) for o in expand_conjuncts([obj]))
                elif obj.dep_ == PREP_DEP:  # "off the coast of", "out of"
                    pairs.extend((child.lower_, o) for o in obj.children if o.dep_ == POBJ_DEP)
    return pairs


def _keys(token: Token) -> set[str]:
    lower = token.lower_
    keys = {lower, token.lemma_.lower()}
    base = re.sub(r"[-\s]?\d+[a-z]?$", "", lower)
    if base:
        keys.add(base)
    return keys


def classes_in(tokens: Iterable[Token], lexicon: Lexicon, entities: EntityIndex) -> set[str]:
    """Word classes present among ``tokens`` (bigrams too); a WEAPON entity is a projectile
    and an asset."""
    found: set[str] = set()
    seq = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    words: set[str] = set()
    for index, token in enumerate(seq):
        words |= _keys(token)
        if index + 1 < len(seq) and seq[index + 1].i == token.i + 1:
            nxt = seq[index + 1]
            words.add(f"{token.lower_} {nxt.lower_}")
            words.add(f"{token.lemma_.lower()} {nxt.lemma_.lower()}")
        ent = entities.of(token)
        if ent is not None and entity_type(ent) == "weapon":
            found |= {"projectile", "asset"}
    for name, lemmas in lexicon.classes.items():
        if words & lemmas:
            found.add(name)
    return found


# --- Triggers -------------------------------------------------------------------------------


def _support_verb(token: Token, lexicon: Lexicon) -> Token | None:
    """The light verb carrying a nominal trigger: "held talks", "talks were held",
    "imposed sanctions", "took part in drills"."""
    head = token.head
    if head == token:
        return None
    if token.dep_ == CONJ_DEP:
        return _support_verb(_conj_root(token), lexicon)
    if token.dep_ in OBJECT_DEPS and any(c.dep_ == "oprd" for c in head.children):
        return None  # "Abe called the launch a provocation": a judgement, not the act
    if token.dep_ in OBJECT_DEPS and _judged_as(token):
        return None  # the same when the parser missed the second noun phrase
    if head.pos_ in ("VERB", "AUX") and token.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS | {
        "attr",
        "nsubj",
    }:
        lemma = head.lemma_.lower()
        if lemma in lexicon.support and (
            token.dep_ != "nsubj"
            or lemma in ("begin", "start", "end", "continue", "resume", "open", "go", "take")
        ):
            return head
    if (
        token.dep_ == POBJ_DEP
        and head.dep_ in (PREP_DEP, "dative")
        and head.head.pos_ in ("VERB", "AUX")
    ):
        verb = head.head
        if verb.lemma_.lower() in (
            "participate",
            "engage",
            "join",
            "take",
            "enter",
            "proceed",
            "vote",
        ) and head.lower_ in ("in", "into", "with", "for", "on"):
            return verb
    return None


def _judged_as(obj: Token) -> bool:
    """ "called the resolution the most vicious act": "call" with an object directly
    followed by a second noun phrase names or judges the object; it does not convene or
    carry out anything, even when the parser hung the second phrase elsewhere."""
    verb = obj.head
    if verb.lemma_.lower() != "call" or obj.i < verb.i:
        return False
    end = max(t.i for t in obj.subtree) + 1
    if end >= len(obj.doc):
        return False
    following = obj.doc[end]
    return following.pos_ in ("DET", "ADJ") or (
        following.pos_ == "NOUN" and following.ent_type_ not in ("DATE", "TIME")
    )


def _conj_root(token: Token) -> Token:
    for _ in range(8):
        if token.dep_ != CONJ_DEP or token.head == token:
            break
        token = token.head
    return token


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", *PASSIVE_SUBJECT_DEPS) for c in verb.children)


def _verb_objects(verb: Token) -> list[Token]:
    """The thing acted on: direct object, passive subject, or the noun a participle or
    relative clause modifies ("the THAAD system America is installing")."""
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    if (
        not objects
        and verb.dep_ in ("relcl", "acl")
        and verb.head.pos_ in ("NOUN", "PROPN", "PRON")
    ):
        own_subject = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if (verb.dep_ == "acl" and verb.tag_ == "VBN") or (
            own_subject and own_subject[0].lower_ not in RELATIVE_PRONOUNS
        ):
            objects = [verb.head]
    if not objects and verb.dep_ == CONJ_DEP:
        first = _conj_root(verb)
        if first.pos_ == "VERB":
            objects = [c for c in first.children if c.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    return expand_conjuncts(objects)


def _verb_subjects(verb: Token) -> list[Token]:
    """What a verb says something about: "the *missile* flew", "the *rocket*, which blasted
    off", "the *rocket* flying through the sky"."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects and subjects[0].lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return [verb.head]
    if not subjects and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]
    if not subjects and verb.dep_ in (CONJ_DEP, "advcl", "xcomp"):
        return _verb_subjects(verb.head) if verb.head != verb else []
    return expand_conjuncts(subjects)


def _noun_modifiers(noun: Token, entities: EntityIndex) -> tuple[list[Token], list[Token]]:
    """(content modifiers, all modifier tokens) of a nominal trigger. Content modifiers
    are non-entity compounds and "of" objects: they say what kind of launch/test it is."""
    content: list[Token] = []
    tokens: list[Token] = []
    for child in noun.children:
        if child.dep_ in ("compound", "nmod"):
            tokens.extend(noun_phrase(child, follow_of=False))
            ent = entities.of(child)
            if ent is None or entity_type(ent) == "weapon":
                content.append(child)
        elif child.dep_ in ("amod", "npadvmod"):
            tokens.extend(noun_phrase(child, follow_of=False))
        elif child.dep_ == PREP_DEP and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == POBJ_DEP:
                    tokens.extend(noun_phrase(obj))
                    ent = entities.of(obj)
                    if ent is None or entity_type(ent) == "weapon":
                        content.append(obj)
    if noun.dep_ == CONJ_DEP or any(c.dep_ == CONJ_DEP for c in noun.children):
        # "nuclear and missile tests", "missile and nuclear tests": modifiers are shared.
        first = _conj_root(noun)
        if first != noun:
            more, more_tokens = _noun_modifiers(first, entities)
            content += more
            tokens += more_tokens
    for child in noun.children:
        if child.dep_ == "amod":
            for inner in child.children:
                if inner.dep_ == CONJ_DEP:
                    tokens.extend(noun_phrase(inner, follow_of=False))
    return content, tokens


def _destination(token: Token) -> bool:
    return bool(prep_objects(token, DESTINATION_PREPS)) or any(
        c.dep_ == "advmod" and c.lower_ in ("there", "here", "abroad", "overseas")
        for c in token.children
    )


def _party_tokens(token: Token, preps: frozenset[str], entities: EntityIndex) -> list[Token]:
    """Objects of "with"/"between" (or ``preps``) that name a party: a country, person or
    organisation."""
    found = []
    for _, obj in prep_objects(token, preps):
        for inner in noun_phrase(obj):
            ent = entities.of(inner)
            if ent is not None and (entity_country(ent) or ent.label_ in PARTY_LABELS):
                found.append(obj)
                break
    return found


NOMINAL_DEPS = frozenset(
    {"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos", "compound", "poss"}
)


def _pos_key(token: Token) -> str | None:
    """VERB or NOUN, repairing the tagger where the parse disagrees: "staged two missile
    launches" tags "launches" VBZ but attaches it as an object."""
    if token.pos_ == "VERB":
        if token.dep_ in NOMINAL_DEPS and token.tag_ in ("VBZ", "VBP", "VB"):
            return "NOUN"
        return "VERB"
    if token.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    if token.pos_ == "ADJ":
        return "ADJ"
    return None


COPULAS = frozenset({"be", "remain", "become", "stay"})
PREDICATE_PREPS = frozenset({"on", "in"})


def _copula_of(token: Token) -> Token | None:
    """The copula a predicate hangs on: "is" in "the battery is operational" or in "a unit
    is on combat duty"; None when the word is not the predicate of a copula."""
    head = token.head
    if token.dep_ == "acomp" and head.lemma_.lower() in COPULAS:
        return head
    if (
        token.dep_ == POBJ_DEP
        and head.dep_ == PREP_DEP
        and head.lower_ in PREDICATE_PREPS
        and head.head.lemma_.lower() in COPULAS
    ):
        return head.head
    return None


@dataclass(frozen=True, slots=True)
class _Candidate:
    spec: TriggerSpec
    support: Token | None
    evidence: frozenset[str]
    bare: bool
    via_coref: bool


def _check_spec(
    spec: TriggerSpec,
    token: Token,
    pos: str,
    sent: Span,
    lexicon: Lexicon,
    entities: EntityIndex,
    state: ArticleState,
    sentence_classes: set[str],
) -> _Candidate | None:
    """Does ``token`` name an event of ``spec``'s kind here?"""
    if (
        spec.plural_only
        and token.tag_ not in ("NNS", "NNPS")
        and token.lower_ == token.lemma_.lower()
    ):
        return None
    if pos == "VERB":
        if spec.not_passive and _is_passive(token):
            return None
        particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
        if spec.prt and not particles & spec.prt:
            return None
        if particles & spec.not_prt:
            return None
        if (
            spec.preps
            and not spec.needs
            and not any(c.dep_ == PREP_DEP and c.lower_ in spec.preps for c in token.children)
        ):
            return None
    support = _support_verb(token, lexicon) if pos == "NOUN" else None
    if spec.predicate:
        # What the copula says it of is the evidence: "the *battery* is operational".
        support = _copula_of(token)
        if support is None:
            return None
    if spec.support_only and (support is None or support.lemma_.lower() not in spec.support_only):
        return None
    pronoun_role = False
    if spec.predicate and support is not None:
        heads = _verb_subjects(support)
        tokens = [t for h in heads for t in noun_phrase(h)]
        pronoun_role = bool(heads) and all(
            h.pos_ == "PRON" and entities.of(h) is None for h in heads
        )
        content = [h for h in heads if h.pos_ != "PRON"]
    elif pos == "VERB":
        heads = _verb_subjects(token) if spec.role == "subject" else _verb_objects(token)
        tokens = [t for h in heads for t in noun_phrase(h)]
        pronoun_role = bool(heads) and all(
            h.pos_ == "PRON" and entities.of(h) is None for h in heads
        )
        if spec.preps:
            tokens += [
                t
                for c in token.children
                if c.dep_ == PREP_DEP and c.lower_ in spec.preps
                for t in c.subtree
            ]
        content = [h for h in heads if h.pos_ != "PRON"]
        if spec.object_words:
            objects = _verb_objects(token) + [
                o for _, o in prep_objects(token, frozenset({"into", "to"}))
            ]
            if not any(o.lemma_.lower() in spec.object_words for o in objects):
                return None
    else:
        content, tokens = _noun_modifiers(token, entities)
    if spec.requires_object_head and not content:
        return None
    evidence = frozenset(classes_in(tokens, lexicon, entities))
    if spec.event_type == "deployment" and "space" in evidence:
        return None  # a satellite put into orbit is a launch, not a deployment
    bare = False
    via_coref = False
    if spec.modifier_needs and pos == "VERB":
        if not (evidence & spec.modifier_needs and evidence & spec.needs):
            return None
    elif (spec.needs and evidence & spec.needs) or (not spec.needs and "accept" in spec.bare):
        pass
    elif content and spec.needs and not pronoun_role:
        return None  # an object or modifier of the wrong kind: "launched an investigation"
    else:
        bare = True
        accepted = False
        if spec.bare_without_clause and any(c.dep_ in ("acl", "relcl") for c in token.children):
            return None  # "a plan to expand trade": its own clause says what it is about
        # A mention of an event the article already reported needs no further context,
        # whichever policy happens to accept it (set order must not decide).
        via_coref = "coref" in spec.bare and state.has(spec.event_type)
        for policy in sorted(spec.bare):
            if policy == "accept":
                accepted = True
            elif policy == "sentence":
                accepted = bool(sentence_classes & spec.needs)
            elif policy == "article":
                accepted = bool(state.doc_classes & spec.needs) or state.has(spec.event_type)
            elif policy == "coref":
                accepted = via_coref
            elif policy == "support":
                accepted = support is not None
            elif policy == "party":
                preps = spec.party_preps or PARTY_PREPS
                accepted = bool(_party_tokens(token, preps, entities)) or (
                    support is not None and bool(_party_tokens(support, preps, entities))
                )
            elif policy == "multi_agent":
                subjects = _verb_subjects(token) if pos == "VERB" else []
                accepted = len(subjects) > 1 or any(s.lower_ in ("both", "two") for s in subjects)
            elif policy == "foreign_party":
                accepted = _foreign_destination(token, entities)
            if accepted:
                break
        if not accepted:
            return None
    if spec.sentence_needs and not sentence_classes & spec.sentence_needs and not via_coref:
        return None
    if spec.article_needs and not state.doc_classes & spec.article_needs:
        return None
    if spec.requires_destination and not (
        _destination(token) or (support is not None and _destination(support))
    ):
        return None
    if spec.requires_weapon and not any(
        entity_type(ent) == "weapon" for ent in entities.in_tokens(tokens)
    ):
        return None
    return _Candidate(spec, support, evidence, bare, via_coref)


def _foreign_destination(token: Token, entities: EntityIndex) -> bool:
    """A visit or arrival whose destination is a country other than the visitor's."""
    destinations = [o for _, o in prep_objects(token, frozenset({"in", "to", "at"}))]
    hosts = {c for o in destinations for c in _np_countries(o, entities)}
    visitors = (
        {c for s in _verb_subjects(token) for c in _np_countries(s, entities)}
        if token.pos_ == "VERB"
        else set()
    )
    visitors |= {
        c
        for child in token.children
        if child.dep_ == POSS_DEP
        for c in _np_countries(child, entities)
    }
    return bool(hosts - visitors) and bool(hosts)


@lru_cache(maxsize=1)
def _news_media() -> frozenset[str]:
    """News agencies and outlets that speak for no government ("(Reuters)" in a photo
    credit): where they stand in a sentence says nothing about who acted."""
    from flashpoint.nlp.gazetteer import Gazetteer

    return frozenset(
        e.entity_id
        for e in Gazetteer.load().entries.values()
        if e.kind == "media" and not e.metonym_of
    )


def _np_countries(token: Token, entities: EntityIndex) -> list[str]:
    out: list[str] = []
    media = _news_media()
    for ent in entities.in_tokens(noun_phrase(token)):
        if _ext(ent, "entity_id") in media:
            continue
        country = entity_country(ent)
        if country and country not in out:
            out.append(country)
    return out


def _hyphenated_modifier(token: Token) -> bool:
    """ "liquid-launched rockets", "submarine-launched missiles": a participle joined by a
    hyphen into an adjective names a kind of weapon, not an event."""
    return (
        token.dep_ == "amod"
        and token.tag_ in ("VBN", "VBG")
        and token.i > token.sent.start
        and token.nbor(-1).tag_ == "HYPH"
    )


def find_triggers(
    sent: Span, lexicon: Lexicon, entities: EntityIndex, state: ArticleState | None = None
) -> Iterator[Trigger]:
    """Trigger words in a sentence whose objects, subjects or modifiers fit their type."""
    state = state or ArticleState()
    sentence_classes: set[str] | None = None
    for token in sent:
        pos = _pos_key(token)
        if pos is None or _hyphenated_modifier(token):
            continue
        specs: list[TriggerSpec] = []
        for key in dict.fromkeys((token.lemma_.lower(), token.lower_)):
            specs.extend(lexicon.triggers.get((key, pos), ()))
        if not specs:
            continue
        if sentence_classes is None:
            sentence_classes = classes_in(sent, lexicon, entities)
        candidates = [
            c
            for spec in dict.fromkeys(specs)
            if (
                c := _check_spec(spec, token, pos, sent, lexicon, entities, state, sentence_classes)
            )
            is not None
        ]
        if not candidates:
            continue
        # Evidence beats context: "nuclear test" is a nuclear test even in a launch story.
        grounded = [c for c in candidates if not c.bare]
        if grounded:
            chosen = list({c.spec.event_type: c for c in reversed(grounded)}.values())
        else:
            types = [c.spec.event_type for c in candidates]
            latest = state.latest_of(types)
            if latest is None:
                by_article = [c for c in candidates if state.doc_classes & c.spec.needs]
                chosen = by_article[:1] or candidates[:1]
            else:
                chosen = [next(c for c in candidates if c.spec.event_type == latest)]
        for candidate in chosen:
            spec = candidate.spec
            is_space = bool(spec.space and candidate.evidence & spec.space)
            if spec.space and not is_space and pos == "VERB":
                # "a rocket carrying a satellite": the payload is in the object's clause.
                carried = [t for o in _verb_objects(token) for t in o.subtree]
                is_space = bool(classes_in(carried, lexicon, entities) & spec.space)
            if spec.space and not is_space and "projectile" not in candidate.evidence:
                is_space = (
                    bool(sentence_classes & spec.space) and "projectile" not in sentence_classes
                )
            yield Trigger(
                token, spec, candidate.support, candidate.evidence, candidate.bare, is_space
            )


# --- Roles ----------------------------------------------------------------------------------


def _subject_of(verb: Token) -> tuple[list[Token], str]:
    """Agents of a verb: its subject, the "by" phrase of a passive, or the subject it
    inherits from the verb it depends on ("after meeting", "agreed to deploy")."""
    current = verb
    how = "syntax"
    for _ in range(6):
        passive = _is_passive(current)
        if passive or current.dep_ == "acl":
            agents = [o for _, o in prep_objects(current, AGENT_PREPS)]
            if agents:
                return expand_conjuncts(agents), how
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects and not passive:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                return [current.head], how
            return expand_conjuncts([subject]), how
        if current.dep_ == "relcl" and not passive:
            return [current.head], how
        if current.dep_ == "acl" and not passive:
            enactor = _enacting_verb(current.head)
            if enactor is not None:
                return _subject_of(enactor)
        if passive or current.dep_ in ("relcl", "acl"):
            break
        dep = current.dep_
        head = current.head
        if head == current:
            break
        if dep == "xcomp":
            controllers = [c for c in head.children if c.dep_ in OBJECT_DEPS]
            if controllers and head.lemma_.lower() not in SUBJECT_CONTROL_VERBS:
                return expand_conjuncts(controllers), "inherited"
        if dep == "pcomp" and head.pos_ == "ADP":
            head = head.head
        elif dep == PREP_DEP and current.pos_ == "ADP":
            pass
        elif dep not in SUBJECT_INHERIT_DEPS:
            break
        current = head
        how = "inherited"
    return [], "none"


INSTRUMENT_PATH_DEPS = frozenset({"dobj", POBJ_DEP, PREP_DEP, "nsubjpass", "conj", "appos"})


def _enacting_verb(noun: Token) -> Token | None:
    """The verb that enacts a bill or resolution ("the council voted in favor of a
    resolution toughening sanctions", "adopted a resolution imposing sanctions"): whoever
    enacts the instrument is who imposes what it carries, so its subject is the agent of
    the instrument's own verb."""
    if noun.lemma_.lower() not in INSTRUMENT_NOUNS or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    current = noun
    for _ in range(6):
        if current.dep_ not in INSTRUMENT_PATH_DEPS or current.head == current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current if current.lemma_.lower() in ENACTMENT_VERBS else None
    return None


def trigger_roles(trigger: Trigger, entities: EntityIndex) -> Roles:
    """Which tokens are the agents, co-parties, objects, targets and places of a trigger."""
    token = trigger.token
    roles = Roles()
    anchors = [token] if trigger.support is None else [token, trigger.support]
    if token.pos_ == "VERB":
        if trigger.spec.role == "subject":
            roles.objects = _verb_subjects(token)  # the missile that flew
        else:
            roles.agents, roles.agent_from = _subject_of(token)
            roles.objects = _verb_objects(token)
    else:
        agents: list[Token] = []
        for child in token.children:
            if child.dep_ == POSS_DEP or (
                child.dep_ in ("compound", "amod", "nmod", "npadvmod")
                and entities.of(child) is not None
            ):
                agents.append(child)
        agents += [
            o
            for _, o in prep_objects(token, AGENT_PREPS | frozenset({"from"}))
            if _np_countries(o, entities) and trigger.event_type in LAUNCH_TYPES | {"sanction"}
        ]
        if token.dep_ == CONJ_DEP:  # "North Korea's nuclear and missile tests"
            first = _conj_root(token)
            agents += [c for c in first.children if c.dep_ == POSS_DEP]
        roles.agents = expand_conjuncts(agents)
        roles.agent_from = "syntax" if roles.agents else "none"
        if trigger.support is not None:
            subjects, how = _subject_of(trigger.support)
            if subjects:
                roles.agents = roles.agents + [s for s in subjects if s not in roles.agents]
                roles.agent_from = how if roles.agent_from == "none" else roles.agent_from
        roles.objects = [o for _, o in prep_objects(token, frozenset({"of"}))]
    for anchor in anchors:
        party_preps = trigger.spec.party_preps or PARTY_PREPS
        roles.parties.extend(o for _, o in prep_objects(anchor, party_preps))
        for prep, obj in prep_objects(anchor, TARGET_PREPS):
            if prep in ("at", "on") and trigger.event_type != "sanction":
                roles.places.append(obj)
            else:
                roles.targets.append(obj)
        for _, obj in prep_objects(anchor, PLACE_PREPS - TARGET_PREPS):
            roles.places.append(obj)
    # Prepositional phrases often attach to the object: "fired missiles into the sea",
    # "the deployment of THAAD in South Korea".
    for obj in roles.objects:
        roles.places.extend(
            o for _, o in prep_objects(obj, PLACE_PREPS - {"from", "at", "on"} - TARGET_PREPS)
        )
        if trigger.event_type == "sanction":
            roles.targets.extend(o for _, o in prep_objects(obj, frozenset({"on", "against"})))
    if trigger.event_type == "meeting":
        if token.pos_ == "VERB" and token.lemma_.lower() in ("meet", "visit", "discuss", "confer"):
            # "Lavrov met Kishida", "Moon visited Washington": the other side is the object.
            roles.parties.extend(o for o in roles.objects if _np_countries(o, entities))
        if token.pos_ != "VERB":
            for child in token.children:
                if child.dep_ == PREP_DEP and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == POBJ_DEP:
                            roles.parties.append(obj)
                            roles.parties.extend(o for _, o in prep_objects(obj, PARTY_PREPS))
    return roles


# --- Context helpers ------------------------------------------------------------------------


def _countries(tokens: Iterable[Token], entities: EntityIndex) -> list[str]:
    out: list[str] = []
    for token in tokens:
        for country in _np_countries(token, entities):
            if country not in out:
                out.append(country)
    return out


def _is_pronoun_like(token: Token, entities: EntityIndex) -> bool:
    return entities.of(token) is None and (
        token.lower_ in PRONOUNS or token.pos_ == "PRON" or token.lower_ in GENERIC_AGENT_HEADS
    )


SINGULAR_NEUTER_PRONOUNS = frozenset({"it", "its"})


def _agrees_in_number(pronouns: list[Token], antecedent: Token) -> bool:
    """ "officials said ... when it put its first satellite into orbit": "it" cannot stand
    for a plural noun phrase, so a plural reporter is not the antecedent of a singular
    pronoun; the pronoun is left to the clauses above it and the article's memory."""
    singular = all(p.lower_ in SINGULAR_NEUTER_PRONOUNS for p in pronouns)
    return not (singular and antecedent.tag_ in ("NNS", "NNPS"))


def _reporting_source(token: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds ``token``."""
    current = token
    for _ in range(8):
        if (
            current.dep_ in ("ccomp", "parataxis")
            and current.head.lemma_.lower() in REPORTING_LEMMAS
        ):
            subjects = [c for c in current.head.children if c.dep_ in SUBJECT_DEPS]
            return subjects[0] if subjects else None
        if current.head == current:
            break
        current = current.head
    root = token.sent.root
    if root.lemma_.lower() in REPORTING_LEMMAS and root != token:
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS and child.i > token.i:
                return child
    return None


def _governing_subjects(verb: Token) -> list[Token]:
    """Subjects of the clauses above ``verb`` ("Park denounced the launch after she called
    a meeting": she = Park)."""
    current = verb
    for _ in range(6):
        if current.head == current:
            return []
        current = current.head
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS and c.pos_ != "PRON"]
        if subjects:
            return subjects
    return []


def _clause_head(token: Token) -> Token:
    head = token
    for _ in range(10):
        if head.pos_ in ("VERB", "AUX") or head.head == head:
            break
        head = head.head
    return head


def _clause_tokens(trigger: Trigger, exclude: Iterable[Token]) -> list[Token]:
    """Tokens of the clause the trigger belongs to, minus role phrases to leave out."""
    head = _clause_head(trigger.clause_verb)
    skip: set[int] = set()
    for token in exclude:
        skip.update(t.i for t in token.subtree)
    return [t for t in head.subtree if t.i not in skip]


def _location(places: list[Token], entities: EntityIndex) -> str | None:
    for token in places:
        for inner in [token, *noun_phrase(token)]:
            ent = entities.of(inner)
            if ent is None:
                continue
            kind = entity_type(ent)
            entity_id = _ext(ent, "entity_id")
            if kind in ("place", "country") and entity_id:
                return entity_id
            if ent.label_ in PLACE_LABELS and kind in (None, "place", "country"):
                return entity_id or ent.text
    return None


def _location_country(places: list[Token], entities: EntityIndex) -> str | None:
    for token in places:
        for country in _np_countries(token, entities):
            if country.startswith("country:"):
                return country
    return None


def _weapons(trigger: Trigger, roles: Roles, sent: Span, entities: EntityIndex) -> list[str]:
    """WEAPON entities in the trigger's own phrase or objects, else in its clause, else in
    the sentence (launches and deployments only)."""
    near: list[Token] = list(noun_phrase(trigger.token))
    for obj in roles.objects:
        near.extend(noun_phrase(obj))
    scopes: list[Iterable[Token]] = [near]
    if trigger.event_type == "deployment":
        scopes.append(_clause_tokens(trigger, []))
    for scope in scopes:
        found: list[str] = []
        for ent in entities.in_tokens(scope):
            if entity_type(ent) == "weapon":
                weapon = _ext(ent, "entity_id") or ent.text
                if weapon not in found:
                    found.append(weapon)
        if found:
            return found
    return []


def _path_to(token: Token, ancestor: Token) -> list[Token]:
    path = []
    current = token
    for _ in range(30):
        if current == ancestor or current.head == current:
            break
        path.append(current)
        current = current.head
    return path


def _date_attachment(date_span: Span, trigger: Trigger, others: list[Token]) -> int | None:
    """How closely a date expression belongs to the trigger: 0 in its own phrase or clause,
    1 in a reporting clause that governs a verbal trigger ("said on Monday that North
    Korea fired"); None elsewhere, or where it only bounds the event ("since 2009")."""
    anchors = {trigger.token.i, trigger.time_verb.i}
    if trigger.support is not None:
        anchors.add(trigger.support.i)
    other_ids = {t.i for t in others} - anchors
    if not trigger.is_verbal and _follows(date_span, trigger.token):
        return 0  # "the launch on Tuesday", whichever way the parser attached the phrase
    if _fronted_before_subject(date_span, trigger.clause_verb):
        return 0  # ", and on Sept. 9 the North conducted": however the parser hung "on"
    if _adverbial_np_of(date_span) in anchors:
        return 0  # "flew bombers over the peninsula the following month"
    verb = trigger.clause_verb
    if verb.dep_ in ("relcl", "acl") and date_span.start <= verb.head.i < date_span.end:
        return 0  # "the same day North Korea fired", "the day the talks began"
    if _when_clause_of(date_span, trigger.clause_verb):
        return 0  # "in December 2012, when it put its first satellite into orbit"
    if _fronted_before_subject_of_noun(date_span, trigger):
        return 0  # "On Aug. 24, a missile launched from a submarine entered the zone"
    if _set_off_after(date_span, trigger):
        return 0  # "the North's previous test, conducted in January"
    if _names_argument_by_day(date_span, anchors):
        return 0  # "whether Monday's missile fell into that category"
    inside = set(range(date_span.start, date_span.end))
    current = date_span.root
    governing: Token | None = None
    for _ in range(12):
        if current.i in anchors:
            return 0
        if current.i in other_ids:
            shared = _shares_trailing_date(trigger, current)
            return 1 if shared or _simultaneous_with(trigger, current) else None
        if current.dep_ == PREP_DEP and current.lower_ in BOUND_PREPS:
            if current.lower_ == "since" and _since_dates_state(current, trigger, anchors):
                return 0  # "has been operational since May": the state began then
            return None
        if current.pos_ in ("VERB", "AUX") and current.i not in anchors:
            governing = current
            break
        if (
            current.pos_ in ("NOUN", "PROPN")
            and current.i not in inside
            and current.lower_ not in TEMPORAL_NOUNS
            and current.ent_type_ not in ("TIME", "DATE")
            and not _names_same_event(current, trigger)
        ):
            return None  # the date belongs to another noun: "three other ones in 2006"
        if current.head == current:
            break
        current = current.head
    if governing is None:
        return None
    if governing.i in {t.i for t in trigger.token.subtree}:
        if _own_clause_below(governing, trigger.token):
            return None  # "flew 500 km in August, and on Sept. 9 the North conducted a test"
        if _other_event_modifier(governing, trigger):
            return None  # "fired a satellite, newer than the one launched three years ago"
        return 0  # "launched a rocket carrying a satellite on Sunday": the same event
    if not trigger.is_verbal:
        noun = _np_head(trigger.token)
        if governing.lemma_.lower() in OCCURRENCE_VERBS and (
            (noun.dep_ in SUBJECT_DEPS and noun.head == governing)
            or (
                governing.dep_ in ("relcl", "acl")
                and (governing.head == noun or _part_of(governing.head, noun))
            )
        ):
            return 0  # "the launch attempt came on June 22", "the drills, which began on Aug. 21"
        if governing.lemma_.lower() in PHASE_VERBS and _object_of(trigger.token, governing):
            return 0  # "wrapped up two days of talks on Friday", "opened the drills Monday"
        if _counted_by_support(trigger.token, governing):
            return 0  # "held a round of drills in August 2015": holding the round is the act
        if _carried_by_instrument(trigger, governing):
            return 0  # "signed on Thursday a bill that broadens sanctions"
        if noun.dep_ == POBJ_DEP and noun.head.lower_ == "with" and noun.head.head == governing:
            return 0  # "responded on Saturday with a live-fire drill": the drill is the act
        if governing.lemma_.lower() in DETECTION_VERBS and _object_of(trigger.token, governing):
            return 1  # "officials confirmed another missile test Friday morning"
        return None
    path = _path_to(trigger.clause_verb, governing)
    if not path or path[-1].head != governing:
        return None
    if governing.lemma_.lower() in REPORTING_LEMMAS and path[-1].dep_ in ("ccomp", "parataxis"):
        return 1
    if all(t.dep_ in ("conj", "xcomp", "advcl") for t in path) and (
        path[-1].dep_ != "advcl" or _elaborating_participle(path[-1])
    ):
        return 0  # "fired ... and flew over Japan on Tuesday", "tightened ..., banning ..."
    if all(t.dep_ in ("pcomp", "prep", "advcl") for t in path) and any(
        t.lower_ in SAME_TIME_MARKERS
        for t in [*path, *(c for t in path for c in t.children if c.dep_ == "mark")]
    ):
        return 1  # "declared on Monday after meeting Japanese officials"
    return None


def _state_reached_before(trigger: Trigger) -> bool:
    """A deployment reported in the perfect ("has deployed", "had been stationed") is a
    state reached at some earlier time: the day it was reported is not when it happened.
    A phase verb's perfect ("had been completed") is the news itself, so it is not one."""
    verb = trigger.time_verb
    return (
        trigger.event_type == "deployment"
        and trigger.support is None
        and verb.pos_ in ("VERB", "AUX")
        and _is_perfect(verb)
    )


def _since_dates_state(since: Token, trigger: Trigger, anchors: set[int]) -> bool:
    """ "has been operational since May", "has been under U.N. sanctions since 2006": a
    "since" phrase on the verb of a state (a deployment, an exercise, being under
    sanctions) says when the state began, which is the event's date. "Since" needs a
    perfect verb, so a phrase the parser hung on a participle inside the noun phrase
    ("sanctions aimed at impeding its programs since 2006") belongs to the nearest verb
    above it that can take it."""
    state_verbs = set(anchors)
    token = trigger.token
    if token.dep_ == POBJ_DEP and token.head.lower_ in STATE_PREPS:
        state_verbs.add(token.head.head.i)  # "has been under sanctions"
    elif trigger.event_type not in STATE_TYPES:
        return False
    head = since.head
    for _ in range(8):
        if head.i in state_verbs:
            return True
        if _is_perfect(head) or head.head == head:
            return False
        head = head.head
    return False


def _names_argument_by_day(date_span: Span, anchors: set[int]) -> bool:
    """A possessive date on the subject or object of the trigger's verb ("Monday's missile
    flew 900 km", "condemned Sunday's rocket"): the thing is named by the day of the act it
    took part in, which is the trigger's own act."""
    root = date_span.root
    noun = root.head
    return (
        root.dep_ == POSS_DEP
        and root.ent_type_ in ("DATE", "TIME")
        and noun.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | OBJECT_DEPS
        and noun.head.i in anchors
        and noun.head.pos_ in ("VERB", "AUX")
    )


def _adverbial_np_of(date_span: Span) -> int | None:
    """A time noun phrase the parser hung on a noun ("over the peninsula the following
    month"): the index of the verb whose clause it ends, which is where it belongs."""
    root = date_span.root
    if root.dep_ != "npadvmod" or root.head.pos_ not in ("NOUN", "PROPN"):
        return None
    current = root.head
    for _ in range(6):
        if current.pos_ in ("VERB", "AUX"):
            return current.i
        if current.head == current:
            return None
        current = current.head
    return None


def _names_same_event(noun: Token, trigger: Trigger) -> bool:
    """ "blew up on its test launch on Sunday": a noun of the trigger's own event type in
    the trigger's clause is the same event, so its date is the trigger's."""
    if noun.i == trigger.token.i or trigger.clause_verb.pos_ not in ("VERB", "AUX"):
        return False
    if noun.i not in {t.i for t in trigger.clause_verb.subtree}:
        return False
    specs = load_lexicon().triggers.get((noun.lemma_.lower(), "NOUN"), ())
    return any(spec.event_type == trigger.event_type for spec in specs)


def _fronted_before_subject(date_span: Span, verb: Token) -> bool:
    """The date opens the verb's clause, right before its subject ("on Sept. 9 the North
    conducted"), so it is that clause's date whatever head the parser gave it."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    if not subjects or verb.pos_ not in ("VERB", "AUX"):
        return False
    subject_start = min(t.i for t in subjects[0].subtree)
    if not 0 <= subject_start - date_span.end <= 1 or subject_start > verb.i:
        return False
    gap = date_span.doc[date_span.end : subject_start]
    # The sentence may open with the date itself ("Earlier this month, a missile ..."): the
    # token before it then ends the previous sentence, so it says nothing either way.
    opens_sentence = date_span.start == date_span[0].sent.start
    before = date_span.doc[date_span.start - 1] if date_span.start > 0 else None
    return all(t.is_punct for t in gap) and (
        before is None
        or opens_sentence
        or before.lower_ in ("on", "in", "by", "and", ",")
        or bool(before.is_sent_start)
    )


def _when_clause_of(date_span: Span, verb: Token) -> bool:
    """ "<date>, when <clause>": the clause says what happened at that date."""
    doc = date_span.doc
    i = date_span.end
    if i < len(doc) and doc[i].is_punct:
        i += 1
    return i < len(doc) and doc[i].lower_ == "when" and doc[i].head == verb


def _own_clause_below(verb: Token, trigger: Token) -> bool:
    """``verb`` heads a coordinated clause with a subject of its own under the trigger
    ("fired a missile, and the North then conducted ..."): its dates are that clause's."""
    current = verb
    for _ in range(12):
        if current == trigger or current.head == current:
            return False
        has_subject = any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in current.children)
        if has_subject and (
            current.dep_ == CONJ_DEP
            or (
                current.dep_ == "advcl"
                and any(c.dep_ == "mark" and c.lower_ in INTERVAL_MARKS for c in current.children)
            )
        ):
            return True  # "meeting Xi for the first time since Seoul agreed in July"
        current = current.head
    return False


def _shares_trailing_date(trigger: Trigger, verb: Token) -> bool:
    """ "had carried out two nuclear tests and launched 20 missiles this year": a later
    verb coordinated with the trigger's, with no subject of its own, shares its subject and,
    when the trigger's conjunct has no date of its own, the date that closes the pair. It
    ranks below a date in the trigger's own conjunct, which wins where there is one."""
    clause = trigger.clause_verb
    return (
        verb.dep_ == CONJ_DEP
        and verb.head == clause
        and verb.i > clause.i
        and not any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in verb.children)
    )


SIMULTANEITY_MARKS = frozenset({"as", "while", "when"})


def _simultaneous_with(trigger: Trigger, verb: Token) -> bool:
    """The trigger's clause is an "as/while/when" clause of ``verb`` ("fired missiles on
    Monday, as world leaders met in China"): it happened at the time ``verb`` did, so the
    other event's date is this one's too, if less directly."""
    clause = trigger.clause_verb
    return (
        trigger.is_verbal
        and clause.tag_ not in ("VBP", "VBZ")  # "as troops stage drills": began before
        and clause.dep_ == "advcl"
        and clause.head == verb
        and any(c.dep_ == "mark" and c.lower_ in SIMULTANEITY_MARKS for c in clause.children)
    )


def _elaborating_participle(verb: Token) -> bool:
    """A bare participle clause ("tightened sanctions on Monday, capping oil imports")
    spells out what its governing verb did, at the same time; a clause with a
    subordinator ("after", "before") places another event."""
    return (
        verb.tag_ == "VBG"
        and verb.lemma_.lower() not in CONSEQUENCE_VERBS
        and not any(c.dep_ == "mark" for c in verb.children)
    )


# "..., prompting the council to tighten sanctions": what followed, not the same act.
CONSEQUENCE_VERBS = frozenset(
    {"prompt", "lead", "cause", "force", "trigger", "spark", "push", "spur", "provoke", "draw"}
)


def _np_head(token: Token) -> Token:
    """The head of the noun phrase a compound modifier sits in: "launch" in "the launch
    attempt" stands for the whole phrase."""
    current = token
    for _ in range(4):
        if current.dep_ != "compound" or current.head == current:
            break
        current = current.head
    return current


def _part_of(noun: Token, trigger_noun: Token) -> bool:
    """ "the middle of the exercise, which began ...": a part noun whose "of" object is
    the trigger, where a relative clause after the trigger often lands."""
    return (
        trigger_noun.dep_ == POBJ_DEP
        and trigger_noun.head.lower_ == "of"
        and trigger_noun.head.head == noun
    )


def _fronted_before_subject_of_noun(date_span: Span, trigger: Trigger) -> bool:
    """A participle trigger modifying the subject of a clause ("On Aug. 24, a missile
    launched from a submarine entered the zone"): a date opening that clause is the
    participle's too, since the clause reports what the launched missile did then."""
    verb = trigger.clause_verb
    if not trigger.is_verbal or verb.dep_ != "acl" or verb.tag_ != "VBN":
        return False
    noun = verb.head
    if noun.dep_ not in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        return False
    return _fronted_before_subject(date_span, noun.head)


def _set_off_after(date_span: Span, trigger: Trigger) -> bool:
    """A participle clause set off by a comma right after a nominal trigger ("the
    previous test, conducted in January") describes that event, whatever noun the parser
    hung it on; the date is in the clause itself."""
    token = trigger.token
    if trigger.is_verbal or token.pos_ not in ("NOUN", "PROPN"):
        return False
    doc = token.doc
    end = max(t.i for t in token.subtree) + 1
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    verb = doc[end + 1]
    if verb.dep_ != "acl" or verb.tag_ != "VBN":
        return False
    return date_span.root.i in {t.i for t in verb.subtree} and not any(
        t.pos_ in ("VERB", "AUX") and t.i != verb.i for t in _path_to(date_span.root, verb)
    )


# "newer than the one launched in 2013", "as far as the one tested in June", "unlike those
# fired last year": words that bring in another thing of the same kind to compare with.
COMPARISON_WORDS = frozenset({"than", "as", "like", "unlike"})
OTHER_INSTANCE_NOUNS = frozenset({"one", "ones", "those", "that"})


def _other_event_modifier(verb: Token, trigger: Trigger) -> bool:
    """``verb`` is a participle or relative clause on another thing compared with the
    trigger's ("a newer satellite than the one launched three years ago") and names an
    event of the trigger's type itself: a date in it is that other event's. A clause that
    is no event ("a rocket carrying a satellite on Sunday"), or that tells about the
    trigger's own things ("THAAD, whose first parts arrived this month"), still dates it."""
    head = verb.head
    if verb.dep_ not in ("acl", "relcl") or head.i in (trigger.token.i, trigger.time_verb.i):
        return False
    specs = load_lexicon().triggers.get((verb.lemma_.lower(), "VERB"), ())
    if not any(spec.event_type == trigger.event_type for spec in specs):
        return False
    compared = head.lower_ in OTHER_INSTANCE_NOUNS or (
        head.dep_ == POBJ_DEP and head.head.lower_ in COMPARISON_WORDS
    )
    return compared


def _carried_by_instrument(trigger: Trigger, verb: Token) -> bool:
    """Sanctions inside the bill or resolution that ``verb`` enacts ("signed a bill that
    broadens sanctions", "voted in favor of a resolution toughening sanctions")."""
    if trigger.event_type != "sanction" or verb.lemma_.lower() not in ENACTMENT_VERBS:
        return False
    path = _path_to(trigger.token, verb)
    if not path or path[-1].head != verb:
        return False
    return any(t.lemma_.lower() in INSTRUMENT_NOUNS and t.pos_ in ("NOUN", "PROPN") for t in path)


# "a round of talks", "a series of tests", "a wave of sanctions": nouns that only count or
# group the events named by their "of" object.
MEASURE_NOUNS = frozenset(
    {"round", "series", "wave", "set", "salvo", "volley", "batch", "spate", "string", "day"}
)


def _counted_by_support(noun: Token, verb: Token) -> bool:
    """The event noun is counted by a measure noun that a support verb takes as its object
    ("held an earlier round of drills", "conducted a series of tests"): the verb carries
    the events as it would carry the noun itself, so a date on the verb is theirs."""
    if verb.lemma_.lower() not in load_lexicon().support or not _object_of(noun, verb):
        return False
    return noun.head.head.lemma_.lower() in MEASURE_NOUNS


def _object_of(noun: Token, verb: Token) -> bool:
    """``noun`` is the verb's direct object, or what its object counts ("two days of
    talks")."""
    if noun.dep_ == "dobj" and noun.head == verb:
        return True
    head = noun.head
    return (
        noun.dep_ == POBJ_DEP
        and head.lower_ == "of"
        and head.head.dep_ == "dobj"
        and head.head.head == verb
    )


def _follows(date_span: Span, noun: Token) -> bool:
    """The date comes right after the noun ("the launch on Tuesday", "test — on Aug. 29")."""

    def quiet(tokens: Span) -> bool:
        return all(t.is_punct or t.lower_ in ("on", "in", "of", "early", "late") for t in tokens)

    if 0 < date_span.start - noun.i <= 3 and quiet(date_span.doc[noun.i + 1 : date_span.start]):
        return True
    # "launches of intercontinental ballistic missiles last month": right after the whole
    # phrase, whatever the parser made of the time noun phrase
    end = max(t.i for t in noun.subtree) + 1
    rights = list(noun.rights)
    return (
        noun.pos_ in ("NOUN", "PROPN")
        and bool(rights)
        and rights[-1].dep_ == PREP_DEP
        and rights[-1].lower_ == "of"
        and 0 <= date_span.start - end <= 1
        and date_span.root.dep_ == "npadvmod"
        and quiet(date_span.doc[end : date_span.start])
    )


def _is_perfect(verb: Token) -> bool:
    """ "has deployed", "had been stationed": a state reached at some time before now,
    not the day's news, so a deployment so reported gets no publication date."""
    return any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" and c.i < verb.i for c in verb.children
    )


def _is_past(verb: Token) -> bool:
    """Reported as done: simple past, present perfect, or a passive/progressive past."""
    current = verb
    for _ in range(4):
        auxes = [c for c in current.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if current.tag_ == "VBD" and not auxes:
            return True
        if current.tag_ in ("VBP", "VBZ") and not auxes:
            return False  # "as troops stage drills": going on, whatever the main clause's tense
        if lowers & {"has", "have", "'ve", "’ve"} and current.tag_ == "VBN":
            return True
        if lowers & {"was", "were"}:
            return True
        if "had" in lowers:
            return _reporting_source(current) is not None  # backshift under "said"
        if auxes and not (lowers == {"to"} and current.dep_ == "xcomp"):
            return False  # "agreed to strengthen ...": the tense is the governing verb's
        if current.dep_ in ("xcomp", "pcomp", "advcl", "conj", "acomp") and current.head != current:
            current = current.head if current.head.pos_ != "ADP" else current.head.head
            continue
        return False
    return False


def _historical(trigger: Trigger) -> bool:
    """Markers that the event is another, older one: "previously", "five days after North
    Korea fired a missile", "two months before staging its third nuclear test"."""
    verb = trigger.clause_verb
    for child in verb.children:
        if (
            child.dep_ == "advmod"
            and child.lower_ in HISTORY_ADVERBS
            and not any(c.lower_ == "than" for c in child.children)
        ):
            return True  # but "two weeks earlier than last year" only compares the timing
    marks = [c for c in verb.children if c.dep_ == "mark" and c.lower_ in INTERVAL_MARKS]
    if verb.dep_ in (POBJ_DEP, "pcomp") and verb.head.lower_ in INTERVAL_MARKS:
        marks.append(verb.head)
    doc = verb.doc
    for mark in marks:
        before = doc[max(mark.i - 3, verb.sent.start) : mark.i]
        # "37 minutes after it lifted off", "hours after the test": the same news, not an
        # older event
        if any(t.lemma_.lower() in INTERVAL_UNITS - SAME_DAY_UNITS for t in before):
            return True
    return False


def _adjuncts(anchor: Token) -> Iterator[Token]:
    """Words of the adverbials and prepositional phrases hanging on ``anchor``, without
    entering clauses below them: where a frequency or "in the past" would be."""
    stack = [c for c in anchor.children if c.dep_ in ADJUNCT_DEPS]
    while stack:
        token = stack.pop()
        yield token
        stack.extend(
            c for c in token.children if c.dep_ in ADJUNCT_DEPS and c.pos_ not in ("VERB", "AUX")
        )


def _no_particular_time(trigger: Trigger) -> bool:
    """A habit ("conducted two to three times a month", "regularly holds drills",
    "strengthened sanctions following each test", "these days") or history in general
    ("has been linked to its tests in the past"): no one event, so no date at all, not
    even the publication date or an earlier mention's (the labelling guide's null)."""
    anchors = {trigger.token, trigger.clause_verb, trigger.time_verb, _clause_head(trigger.token)}
    if _up_to_now(trigger.time_verb):
        return True
    for anchor in anchors:
        for token in _adjuncts(anchor):
            lower = token.lower_
            dets = {c.lower_ for c in token.children if c.dep_ == "det"}
            if token.dep_ == "advmod" and lower in HABITUAL_ADVERBS:
                return True
            if lower == "past" and token.dep_ == POBJ_DEP and token.head.lower_ == "in":
                return True  # "in the past"
            if token.lemma_.lower() in INTERVAL_UNITS and (
                token.head.lower_ in FREQUENCY_HEADS
                or any(c.lower_ in FREQUENCY_HEADS for c in token.children)
                or dets & DISTRIBUTIVE_DETERMINERS
                or (lower == "days" and "these" in dets)
            ):
                return True  # "three times a month", "every year", "these days"
            if (
                token.dep_ == POBJ_DEP
                and token.head.lower_ in DISTRIBUTIVE_PREPS
                and (lower in DISTRIBUTIVE_DETERMINERS or dets & DISTRIBUTIVE_DETERMINERS)
            ):
                return True  # "following each of its tests", "after every launch"
    return False


def _up_to_now(verb: Token) -> bool:
    """ "had until now been tested from Wonsan", "has so far tested five missiles": a
    perfect verb with "until now" / "so far" sums up every such event before the time of
    speaking, which is a history, not one event with a date."""
    if verb.pos_ not in ("VERB", "AUX") or not _is_perfect(verb):
        return False
    doc = verb.doc
    for child in verb.children:
        if child.dep_ != "advmod" or child.i == 0:
            continue
        before = doc[child.i - 1].lower_
        if (child.lower_ == "now" and before in ("until", "till")) or (
            child.lower_ == "far" and before == "so"
        ):
            return True
    return False


UNREALISED_MODIFIERS = frozenset(
    {"next", "upcoming", "planned", "proposed", "possible", "future", "potential", "further"}
)


def _refers_to_known(trigger: Trigger) -> bool:
    """ "could never tolerate the test", "discussed the launches": a definite or possessed
    event noun names an event that happened, whatever the clause around it hedges, so it
    is dated like an asserted mention."""
    token = trigger.token
    if (
        token.pos_ == "VERB"
        and token.dep_ == "xcomp"
        and token.head.lemma_.lower() in ("appear", "seem")
        and any(c.dep_ == "aux" and c.lower_ == "have" for c in token.children)
    ):
        return True  # "the missile appeared to have fallen": what is hedged is the detail
    if trigger.is_verbal or trigger.support is not None or token.pos_ not in ("NOUN", "PROPN"):
        return False
    children = list(token.children)
    if any(c.lower_ in UNREALISED_MODIFIERS for c in children if c.dep_ in ("amod", "det")):
        return False
    return any(
        (c.dep_ == "det" and c.lower_ in DETERMINERS_DEFINITE) or c.dep_ == POSS_DEP
        for c in children
    )


def _prohibited(trigger: Trigger) -> bool:
    """ "ban North Korea from launching", "prohibited it from carrying out tests"."""
    current = trigger.clause_verb
    for _ in range(4):
        if current.head == current:
            return False
        if current.dep_ == "pcomp" and current.head.lower_ == "from":
            verb = current.head.head
            return verb.lemma_.lower() in PROHIBITING_VERBS
        if current.dep_ not in ("pobj", "pcomp", "prep", "conj"):
            return False
        current = current.head
    return False


def _is_generic(trigger: Trigger) -> bool:
    """A kind of event rather than one event: "missile launches", "such tests", "has
    launched dozens of missiles". Generic mentions take no date from context."""
    token = trigger.token
    if _pos_key(token) != "VERB" or trigger.support is not None:
        if trigger.support is not None and _habitual_bare_plural(trigger.support, token):
            return True
        if trigger.support is not None or not _plural_noun(token):
            generic = GENERIC_DETERMINERS - {"new"}
            if trigger.support is not None and _is_past(trigger.support):
                generic -= DEMONSTRATIVES  # "those drills were being conducted": the ones named
            return any(c.lower_ in generic for c in token.children if c.dep_ in ("det", "amod"))
        dets = [c for c in token.children if c.dep_ in ("det", POSS_DEP, "amod", "nummod")]
        if token.pos_ == "VERB":
            dets += _left_determiners(token)
        if trigger.event_type == "sanction" and any(d.lower_ in ANAPHORIC_PLURALS for d in dets):
            return False  # "retaliation for these sanctions": one package, named in plural
        if any(d.lower_ in GENERIC_DETERMINERS for d in dets):
            return True
        if _partitive_of(token):
            return True  # "most of North Korea's missile tests": a share of a set of events
        if token.dep_ == POBJ_DEP and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            # "the flurry of military drills", "the latest round of sanctions"
            dets += [c for c in token.head.head.children if c.dep_ in ("det", POSS_DEP)]
        return not any(
            d.lower_ in DETERMINERS_DEFINITE or d.dep_ in (POSS_DEP, "nummod") for d in dets
        )
    if trigger.event_type == "sanction":
        return False  # "it also bans exports of copper": the goods, not a kind of event
    objects = _verb_objects(token)
    for obj in objects:
        if obj.tag_ in ("NNS", "NNPS"):
            quantities = [
                c for c in obj.children if c.dep_ in ("det", "nummod", "amod", "quantmod")
            ]
            if not quantities or any(
                c.lower_ in VAGUE_QUANTITIES | GENERIC_DETERMINERS for c in quantities
            ):
                return True
        if obj.lower_ in VAGUE_QUANTITIES:
            return True
    return False


def _habitual_bare_plural(support: Token, noun: Token) -> bool:
    """ "where you have nuclear tests", "countries that hold drills": a support verb in
    the simple present with a bare plural object states what happens in general, not one
    event ("held drills on Monday", "holds its drills" are particular)."""
    if support.tag_ not in ("VBP", "VBZ") or not _plural_noun(noun):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in support.children):
        return False
    return not any(c.dep_ in ("det", POSS_DEP, "nummod") for c in noun.children)


def _plural_noun(token: Token) -> bool:
    """A plural noun, also where the tagger read it as a verb the parse uses as a noun
    ("opposes missile launches" with "launches" tagged VBZ but attached as the object)."""
    return token.tag_ in ("NNS", "NNPS") or (token.tag_ == "VBZ" and _pos_key(token) == "NOUN")


# "most of its tests", "some of the drills": a quantity taken from a set of events.
PARTITIVE_QUANTITIES = frozenset(
    {"most", "many", "some", "all", "several", "few", "dozens", "hundreds", "scores", "majority"}
)


def _partitive_of(token: Token) -> bool:
    """A plural event noun counted by a vague quantity through "of" ("most of North
    Korea's tests had failed"): the mention is about a share of many events, however
    definite the set's own determiner, so it has no one date."""
    head = token.head
    return (
        _plural_noun(token)
        and token.dep_ == POBJ_DEP
        and head.lower_ == "of"
        and head.head.lower_ in PARTITIVE_QUANTITIES
    )


def _left_determiners(token: Token) -> list[Token]:
    """The determiner opening the noun phrase that ends in ``token``, found by reading
    leftwards over its modifiers: a noun the tagger took for a verb ("the bomber drills"
    with "drills" as VBZ) has its "the" hung on the word before it."""
    found: list[Token] = []
    for i in range(token.i - 1, max(token.sent.start, token.i - 5) - 1, -1):
        word = token.doc[i]
        if word.tag_ in ("DT", "PRP$", "POS", "CD") or word.dep_ == POSS_DEP:
            found.append(word)
            if word.tag_ in ("DT", "PRP$"):
                break
        elif word.pos_ not in ("NOUN", "PROPN", "ADJ") and word.tag_ != "HYPH":
            break
    return found


def _has_scope_marker(trigger: Trigger, *, ordinal_only: bool = False) -> bool:
    """ "the 15th test this year", "the second launch this month": the date is a count's
    scope, not the event's date. ``ordinal_only``: "the first successful launch" names an
    older event than the latest one."""
    markers = SCOPE_MARKERS - {"latest", "last", "next"} if ordinal_only else SCOPE_MARKERS
    return any(c.lower_ in markers for c in trigger.token.children if c.dep_ in ("amod", "nummod"))


def _counted_part_of(trigger: Trigger) -> bool:
    """ "the second part of naval exercises this year", "the third round of talks this
    month": the ordinal counts parts of a run of events, so the period is the count's
    scope, as in "the 15th test this year", not when this part happened."""
    token = trigger.token
    head = token.head
    if trigger.is_verbal or token.dep_ != POBJ_DEP or head.lower_ != "of":
        return False
    return any(
        c.lower_ in SCOPE_MARKERS for c in head.head.children if c.dep_ in ("amod", "nummod")
    )


def _event_id(article_id: str, sent_start: int, event_type: str, trigger_offset: int) -> str:
    key = f"{article_id}|{sent_start}|{event_type}|{trigger_offset}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _event_tz(
    event_type: str,
    actors: list[str],
    location: str | None,
    context: ArticleContext,
    zones: TimezoneIndex,
) -> str | None:
    """The time zone whose calendar dates the event: where it happened, else the dateline's."""
    candidates: list[str | None] = []
    if event_type in LAUNCH_TYPES:
        candidates += [zones.for_entity(a) for a in actors[:1]]
        candidates.append(zones.for_entity(location))
    else:
        candidates.append(zones.for_entity(location))
        if location and ":" not in location:
            candidates.append(zones.for_name(location))
        candidates.append(_shared_home_zone(actors, context, zones))
    candidates += [zones.for_name(context.dateline), zones.for_source(context.source)]
    if event_type not in LAUNCH_TYPES:
        candidates += [zones.for_entity(a) for a in actors[:1]]
    return next((zone for zone in candidates if zone), None)


def _shared_home_zone(
    actors: list[str], context: ArticleContext, zones: TimezoneIndex
) -> str | None:
    """ "Park and Abe called emergency meetings", "South Korea held a drill": with no place
    named, actors who all keep one clock (Seoul and Tokyo alike) acted at home, so their
    zone dates the event rather than the reporter's. None when they differ or are unknown."""
    homes = [zones.for_entity(a) for a in actors]
    if not homes or None in homes:
        return None
    at = context.published or datetime(2000, 1, 1, tzinfo=UTC)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    offsets = {_utc_offset(zone, at) for zone in homes}
    return homes[0] if len(offsets) == 1 else None


def _utc_offset(zone: str | None, at: datetime) -> timedelta | None:
    info = as_tzinfo(zone)
    if info is None:
        return None
    return at.astimezone(info).utcoffset()


def _lead_days(event_tz: str | None, context: ArticleContext, zones: TimezoneIndex) -> int:
    """1 when the event's calendar may run a day ahead of the printed publication date:
    an East Asian event in a report dated in a Western zone, or dated by day only."""
    published = context.published
    if published is None or context.published_precision not in ("day", "datetime"):
        return 0
    instant = published if published.tzinfo else published.replace(tzinfo=UTC)
    event_offset = _utc_offset(event_tz, instant)
    if event_offset is None or event_offset < LEAD_OFFSET:
        return 0
    if (
        context.published_precision == "day"
        or instant.astimezone(UTC).time() == datetime.min.time()
    ):
        return 1
    writer = zones.for_name(context.dateline) or zones.for_source(context.source)
    writer_offset = _utc_offset(writer, instant) if writer else timedelta(0)
    return 1 if writer_offset is not None and event_offset - writer_offset >= LEAD_OFFSET else 0


# --- Extraction -----------------------------------------------------------------------------


def extract_events(doc: Doc, context: ArticleContext) -> list[EventRecord]:
    """Events stated in ``doc``, one record per event mention, in reading order."""
    lexicon = load_lexicon()
    zones = load_timezones()
    entities = EntityIndex(doc)
    state = ArticleState(doc_classes=frozenset(classes_in(doc, lexicon, entities)))
    records: list[EventRecord] = []
    undated: list[tuple[EventRecord, Trigger]] = []
    learned_by: dict[int, str] = {}  # id(record) -> how its actors were found
    for sentence_idx, sent in enumerate(doc.sents):
        triggers = list(find_triggers(sent, lexicon, entities, state))
        if triggers:
            date_spans = find_date_spans(sent)
            trigger_tokens = [t.token for t in triggers]
            built = [
                (built_event, trigger)
                for trigger in triggers
                if (
                    built_event := _build_event(
                        trigger,
                        sent,
                        sentence_idx,
                        context,
                        entities,
                        state,
                        zones,
                        date_spans,
                        trigger_tokens,
                    )
                )
                is not None
            ]
            merged = list(_merge_same_sentence(built))
            _date_from_sentence_events(merged)
            for record, trigger, learned in merged:
                records.append(record)
                learned_by[id(record)] = learned
                _remember(state, record, trigger, learned, context)
                if _takes_article_date(record, trigger):
                    undated.append((record, trigger))
            _remember_sentence(state, sent, [record for record, _, _ in merged])
        _remember_subject(sent, entities, state)
    # A mention before the dated report of the same event ("Moon warned after the North's
    # test. Pyongyang fired missiles on Thursday ...") takes its date too.
    for record, trigger in undated:
        known = state.dated_by_type.get(record.event_type)
        if known is not None and record.event_date is None:
            if _is_progressive(trigger):
                # "were discussing ..." before "met on Monday": what was going on before the
                # dated event did not begin that day, so only its month is known
                known = _ongoing_month(known)
            record.event_date, record.date_precision = known.value, known.precision
            record.date_basis, record.date_text = known.basis, known.text
    _refine_coarse_dates(records, doc.text)
    _settle_launch_actors(records, learned_by)
    _settle_sanction_sides(records, learned_by)
    return records


COARSE_RELATIVE = re.compile(r"\b(?:week|month)\b", re.IGNORECASE)


def _refine_coarse_dates(records: list[EventRecord], text: str) -> None:
    """ "The test earlier this month" in an article that gives the test's day elsewhere
    ("conducted on Sept. 3") is that day: a week or month named relative to publication
    takes the one day of the same event type the article dates inside it."""
    days: dict[str, list[tuple[str, set[str]]]] = {}
    for record in records:
        if (
            record.event_date is not None
            and record.date_precision == "day"
            and record.date_basis in ("explicit", "relative")
            and record.modality in (ASSERTED, CLAIMED)
            # stated in the event's own sentence, not taken over from an earlier mention
            and (record.date_text or "") in text[record.start_char : record.end_char]
        ):
            days.setdefault(record.event_type, []).append((record.event_date, set(record.actors)))
    for record in records:
        value = record.event_date
        if (
            value is None
            or record.date_precision not in ("month", "year")
            or record.date_basis != "relative"
            or not COARSE_RELATIVE.search(record.date_text or "")
        ):
            continue
        # Only a day of the same actors' event: "Japan and South Korea have also tightened
        # their measures this month" is not the U.S. law signed on Thursday.
        inside = {
            d
            for d, actors in days.get(record.event_type, ())
            if d.startswith(value)
            and (not record.actors or not actors or actors & set(record.actors))
        }
        if len(inside) == 1:
            record.event_date, record.date_precision = inside.pop(), "day"


def _date_from_sentence_events(merged: list[tuple[EventRecord, Trigger, str]]) -> None:
    """ "The test came five days after North Korea fired a missile": an undated event
    placed by an interval from another event of its sentence takes that event's day,
    moved by the interval."""
    for record, trigger, _ in merged:
        if record.event_date is not None or record.modality not in (ASSERTED, CLAIMED):
            continue
        found = _offset_phrase(trigger)
        if found is None:
            continue
        shift_days, phrase, governing = found
        clause = {t.i for t in governing.subtree} - phrase
        for other, other_trigger, _ in merged:
            if (
                other is record
                or other.date_precision != "day"
                or other.event_date is None
                or other_trigger.token.i not in clause
            ):
                continue
            day = date.fromisoformat(other.event_date) + timedelta(days=shift_days)
            record.event_date, record.date_precision = day.isoformat(), "day"
            record.date_basis, record.date_text = "relative", other.date_text
            break
    # The other way round: "The test came four days after the North fired missiles on
    # Monday" dates the test from the launch.
    for other, other_trigger, _ in merged:
        if other.event_date is None or other.date_precision != "day":
            continue
        found = _offset_phrase(other_trigger)
        if found is None:
            continue
        shift_days, phrase, governing = found
        clause = {t.i for t in governing.subtree} - phrase
        for record, trigger, _ in merged:
            if (
                record is other
                or record.event_date is not None
                or record.modality not in (ASSERTED, CLAIMED)
                or trigger.token.i not in clause
            ):
                continue
            day = date.fromisoformat(other.event_date) - timedelta(days=shift_days)
            record.event_date, record.date_precision = day.isoformat(), "day"
            record.date_basis, record.date_text = "relative", other.date_text


def _settle_launch_actors(records: list[EventRecord], learned_by: dict[int, str]) -> None:
    """A launch or test named without its agent ("Japan called the launch a threat to its
    security") took the countries of its clause, which are mostly the ones reacting;
    the country the article says did the launching (by syntax, anywhere) is the better
    guess."""
    for event_type in LAUNCH_TYPES:
        agents = next(
            (
                r.actors
                for r in records
                if r.event_type == event_type
                and r.actors
                and learned_by.get(id(r)) in ("syntax", "inherited")
                and r.modality in (ASSERTED, CLAIMED)
            ),
            None,
        )
        if not agents:
            continue
        for record in records:
            if record.event_type == event_type and learned_by.get(id(record)) == "clause":
                record.participants = [
                    p for p in dict.fromkeys(record.participants + record.actors) if p not in agents
                ]
                record.actors = list(agents)


def _settle_sanction_sides(records: list[EventRecord], learned_by: dict[int, str]) -> None:
    """Sanctions have two sides: "UN sanctions" are the Security Council's, and a country
    sanctions target somewhere in the article ("sanctions on North Korea") is not the one
    imposing them in "the North Korea sanctions act" unless the syntax says so."""
    sanctions = [r for r in records if r.event_type == "sanction"]
    for record in sanctions:
        record.actors = list(dict.fromkeys(SANCTIONING_BODIES.get(a, a) for a in record.actors))
    targets = {p for r in sanctions for p in r.participants if p.startswith("country:")}
    imposers = {
        a for r in sanctions if learned_by.get(id(r)) in ("syntax", "inherited") for a in r.actors
    }
    wrong_side = targets - imposers
    if not wrong_side:
        return
    fallback = next(
        (
            [a for a in r.actors if a not in wrong_side]
            for r in sanctions
            if learned_by.get(id(r)) in ("syntax", "inherited")
            and any(a not in wrong_side for a in r.actors)
        ),
        [],
    )
    for record in sanctions:
        moved = [a for a in record.actors if a in wrong_side]
        if not moved:
            continue
        record.actors = [a for a in record.actors if a not in wrong_side] or list(fallback)
        record.participants = [
            p for p in dict.fromkeys(record.participants + moved) if p not in record.actors
        ]


def _names_earlier(trigger: Trigger) -> bool:
    """ "its previous test": an older event than the one the article reports."""
    return any(c.dep_ == "amod" and c.lower_ in EARLIER_MODIFIERS for c in trigger.token.children)


def _takes_article_date(record: EventRecord, trigger: Trigger) -> bool:
    """A specific, reported-as-real mention with no date of its own."""
    return (
        record.event_date is None
        and (record.modality in (ASSERTED, CLAIMED) or _refers_to_known(trigger))
        and not _is_generic(trigger)
        and not _historical(trigger)
        and not (_has_scope_marker(trigger, ordinal_only=True) and not _first_meeting(trigger))
        and not _names_earlier(trigger)
        and not _no_particular_time(trigger)
        and not _unreported_act(trigger)
        and not _in_undated_picture(trigger)
    )


def _first_meeting(trigger: Trigger) -> bool:
    """ "for his first summit with Trump": meetings are counted per pair of leaders, so an
    undated first meeting is the one the article reports, not an older one (unlike "the
    first successful launch", which counts a country's whole series)."""
    return trigger.event_type == "meeting" and any(
        c.lower_ == "first" for c in trigger.token.children if c.dep_ in ("amod", "nummod")
    )


def _remember(
    state: ArticleState,
    record: EventRecord,
    trigger: Trigger,
    learned_actors: str,
    context: ArticleContext,
) -> None:
    state.seen.append(record.event_type)
    if record.event_date is not None and record.date_basis in ("explicit", "relative"):
        state.last_dated = EventDate(
            record.event_date, record.date_precision, record.date_basis, record.date_text
        )
    if record.actors and (
        learned_actors in ("syntax", "inherited", "pronoun")
        or (learned_actors == "clause" and record.event_type not in state.actors_by_type)
    ):
        state.actors_by_type[record.event_type] = list(record.actors)
    if (
        (
            record.modality in (ASSERTED, CLAIMED)
            or (record.modality == POSSIBLE and _is_past_date(record.event_date, context))
        )
        and record.event_date is not None
        and record.date_basis in ("explicit", "relative", "reference", "publication")
        and record.event_type not in state.dated_by_type
        # "agreed at talks in Beijing on Thursday": a bare plural with a day of its own is
        # one particular event, not a kind
        and (not _is_generic(trigger) or (_own_date(record) and record.date_precision == "day"))
        and _is_current(record.event_date, context)
    ):
        state.dated_by_type[record.event_type] = EventDate(
            record.event_date, record.date_precision, record.date_basis, record.date_text
        )
        state.dated_actors[record.event_type] = frozenset(record.actors)


def _remember_sentence(state: ArticleState, sent: Span, records: list[EventRecord]) -> None:
    """The events of the sentence just read, each with the date it states itself (None
    if it states none), for a definite mention in the next sentence (_previous_mention)."""
    dates: dict[str, list[EventDate | None]] = {}
    for record in records:
        own = (
            EventDate(record.event_date, record.date_precision, record.date_basis, record.date_text)
            if _own_date(record)
            and record.event_date is not None
            and (record.date_text or "") in sent.text
            else None
        )
        dates.setdefault(record.event_type, []).append(own)
    # the end of its last word: the parser keeps a paragraph break inside the sentence before
    state.previous_end = sent.start_char + len(sent.text.rstrip())
    state.previous_dates = dates


def _is_past_date(value: str | None, context: ArticleContext) -> bool:
    """ "attempted to launch a missile on Thursday": a hedged event dated no later than
    publication was reported as having happened, so later mentions take its date."""
    published = context.published
    if value is None or published is None:
        return False
    return value <= published.date().isoformat()


def _is_current(value: str, context: ArticleContext) -> bool:
    """Is a date the article's news (at most a month before publication), not history?"""
    published = context.published
    if published is None or context.published_precision in ("unknown", "year"):
        return True
    start = published.date() - timedelta(days=31 if context.published_precision != "month" else 62)
    if len(value) == 4:
        return False
    if len(value) == 7:
        return value >= start.strftime("%Y-%m")
    return value >= start.isoformat()


def _remember_subject(sent: Span, entities: EntityIndex, state: ArticleState) -> None:
    root = sent.root
    for child in root.children:
        if child.dep_ in SUBJECT_DEPS:
            countries = _countries([child], entities)
            if countries:
                state.subject_country = countries[0]
            return


def _build_event(
    trigger: Trigger,
    sent: Span,
    sentence_idx: int,
    context: ArticleContext,
    entities: EntityIndex,
    state: ArticleState,
    zones: TimezoneIndex,
    date_spans: list[Span],
    trigger_tokens: list[Token],
) -> tuple[EventRecord, str] | None:
    if _prohibited(trigger):
        return None
    roles = trigger_roles(trigger, entities)
    event_type = trigger.event_type
    excluded = roles.targets + roles.places + roles.objects
    actors = _countries(roles.agents, entities)
    agent_from = roles.agent_from if actors else "none"
    if not actors and roles.agents and all(_is_pronoun_like(a, entities) for a in roles.agents):
        source = _reporting_source(trigger.clause_verb)
        if source is not None and _agrees_in_number(roles.agents, source):
            actors = _countries([source], entities)
        if not actors:
            actors = _countries(_governing_subjects(trigger.clause_verb), entities)
            if event_type in LAUNCH_TYPES:
                # "the Security Council acted over its nuclear test": bodies do not test
                actors = [a for a in actors if a.startswith("country:")]
        if not actors and state.actors_by_type.get(event_type):
            actors = list(state.actors_by_type[event_type])
        if not actors and state.subject_country:
            actors = [state.subject_country]
        agent_from = "pronoun" if actors else "none"
    party_countries = _countries(roles.parties, entities)
    if event_type in SYMMETRIC_TYPES:
        actors += [c for c in party_countries if c not in actors]
    if not actors and state.actors_by_type.get(event_type):
        actors = list(state.actors_by_type[event_type])
        agent_from = "memory"
    if not actors:
        # Countries named in the trigger's own clause, outside its targets and places, its
        # reporter, and (for a nominal trigger) whoever reacts to it ("Japan condemned the
        # launch").
        skip = list(excluded)
        source = _reporting_source(trigger.clause_verb)
        if source is not None:
            skip.append(source)
        if not trigger.is_verbal:
            governor = _clause_head(trigger.token)
            skip.extend(
                c
                for c in governor.children
                if c.dep_ in SUBJECT_DEPS and trigger.token not in c.subtree
            )
        clause_countries = _countries(_clause_tokens(trigger, skip), entities)
        if clause_countries:
            actors = clause_countries if event_type in SYMMETRIC_TYPES else clause_countries[:1]
            agent_from = "clause"
    location = _location(roles.places, entities)
    if event_type == "meeting" and location:
        host = _location_country(roles.places, entities)
        if host and host not in actors and len(actors) < 2:
            actors.append(host)
    participants = [c for c in _countries(roles.targets, entities) if c not in actors]
    if event_type == "missile_launch":
        for token in roles.places:
            if token.head.lower_ in ("over", "toward", "towards", "through", "across"):
                participants += [
                    c
                    for c in _countries([token], entities)
                    if c not in actors and c not in participants
                ]
        participants = [c for c in participants if c.startswith("country:")]
    if event_type == "deployment":
        host = _location_country(roles.places, entities)
        if host and host not in actors and host not in participants:
            participants.append(host)
    if event_type == "sanction":
        participants += [
            c
            for c in _countries(roles.objects, entities)
            if c not in actors and c not in participants
        ]
    weapons = _weapons(trigger, roles, sent, entities)

    def speaks_for_actor(source: Token) -> bool:
        countries = _countries([source], entities)
        return bool(countries) and bool(actors) and countries[0] in actors

    modality = event_modality(trigger.token, trigger.support, speaks_for_actor=speaks_for_actor)
    if modality.modality in (PLANNED, POSSIBLE) and _setting_of_past_act(trigger):
        modality = ModalityResult(ASSERTED, None, modality.source)
    tz = _event_tz(event_type, actors, location, context, zones)
    caption_date = _caption_date(trigger, date_spans, context, tz)
    if caption_date is not None:
        event_date = caption_date
    elif _no_particular_time(trigger):
        event_date = UNKNOWN_DATE
    else:
        known_actors = actors if agent_from in ("syntax", "inherited", "pronoun") else []
        event_date = _resolve_date(
            trigger,
            context,
            date_spans,
            trigger_tokens,
            tz,
            modality.modality,
            state,
            zones,
            [SANCTIONING_BODIES.get(a, a) for a in known_actors],
        )
        event_date = _reference_date(trigger, known_actors, event_date, context, modality.modality)

    confidence = 0.6 if trigger.token.pos_ == "VERB" else 0.45
    if trigger.support is not None:
        confidence += 0.1
    if not trigger.bare:
        confidence += 0.15
    confidence += {
        "syntax": 0.2,
        "inherited": 0.15,
        "pronoun": 0.1,
        "memory": 0.05,
        "clause": 0.05,
    }.get(agent_from, -0.1)
    confidence = round(min(0.99, max(0.05, confidence)), 3)

    record = EventRecord(
        event_id=_event_id(context.article_id, sent.start_char, event_type, trigger.token.idx),
        article_id=context.article_id,
        sentence_idx=sentence_idx,
        start_char=sent.start_char,
        end_char=sent.end_char,
        event_type=event_type,
        trigger=trigger.token.text
        if trigger.support is None
        else f"{trigger.support.text} {trigger.token.text}",
        actors=actors,
        participants=participants,
        weapons=weapons,
        location=location,
        event_date=event_date.value,
        date_precision=event_date.precision,
        date_basis=event_date.basis,
        date_text=event_date.text,
        modality=modality.modality,
        confidence=confidence,
        is_space_launch=trigger.is_space and event_type == "missile_launch",
    )
    return record, agent_from


def _resolve_date(
    trigger: Trigger,
    context: ArticleContext,
    date_spans: list[Span],
    trigger_tokens: list[Token],
    tz: str | None,
    modality: str,
    state: ArticleState,
    zones: TimezoneIndex,
    actors: list[str] | None = None,
) -> EventDate:
    """The trigger's own date expression; else the date of an earlier report of the same
    event in this article; else, for an event reported as just happened, the publication
    date; else unknown."""
    scored: list[tuple[int, int, Span]] = []
    scope = _has_scope_marker(trigger) or _counted_part_of(trigger)
    for span in date_spans:
        rank = _date_attachment(span, trigger, trigger_tokens)
        if rank is None:
            continue
        if (
            scope
            and re.search(r"\b(?:this|last) (?:year|month|week)\b", span.text, re.IGNORECASE)
            and not re.search(r"\d|day\b", span.text, re.IGNORECASE)
        ):
            continue  # "the 15th test this year", but not "the fourth test on Wednesday last week"
        if rank and _state_reached_before(trigger):
            continue  # "the paper reported on Tuesday that Russia has deployed missiles"
        scored.append((rank, abs(span.start - trigger.token.i), span))
    # "after the test in February 2013, ... flew bombers the following month": the
    # sequence expression is this event's; the date it counts from is the other event's.
    scored.sort(key=lambda item: (item[0], sequence_shift(item[2].text) is None, item[1]))
    direction: Direction = "future" if modality == PLANNED else "past"
    lead = _lead_days(tz, context, zones)
    chosen: EventDate | None = None
    chosen_rank = 0
    for rank, _, span in scored:
        shift = sequence_shift(span.text)
        if shift is not None:
            previous = (
                _previous_date(span, date_spans, context, tz, lead)
                or _previous_sentence_date(span, context, tz, lead)
                or state.last_dated
            )
            resolved = shift_event_date(previous, *shift, span.text) if previous else UNKNOWN_DATE
        else:
            resolved = _resolve_in_article(span.text, context, tz, direction=direction, lead=lead)
        if resolved.value is None:
            continue
        if chosen is None:
            joined = _with_coordinated(span, resolved, date_spans, context, tz, direction, lead)
            chosen, chosen_rank = joined, rank
            if joined is not resolved:
                break  # both coordinated dates are read: no finer reading of one of them
        elif (
            rank == chosen_rank
            and chosen.value is not None
            and len(resolved.value) > len(chosen.value)
            and resolved.value.startswith(chosen.value)
        ):
            chosen = resolved  # "two years ago, in March 2014": the finer of two readings
    offset = _offset_date(trigger, date_spans, context, tz, lead)
    if offset is None and chosen is None:
        offset = _offset_from_last_dated(trigger, trigger_tokens, state)
    if offset is not None and modality in (ASSERTED, CLAIMED) and (chosen is None or chosen_rank):
        return offset  # the governing clause's date is not this event's: it is days apart
    if chosen is not None and chosen_rank and offset is None and _historical(trigger):
        # "began on Monday, just days after North Korea fired": the governing clause's
        # day is not the launch's, and a vague interval gives no count to move it by
        chosen = None
    if chosen is not None:
        return _ongoing_month(chosen) if chosen_rank and _is_progressive(trigger) else chosen
    real = modality in (ASSERTED, CLAIMED) or _refers_to_known(trigger)
    if not real or _is_generic(trigger) or _historical(trigger):
        return UNKNOWN_DATE
    past = _past_date_in_sentence(date_spans, trigger, trigger_tokens, context, tz)
    if past is not None:
        return past
    mentioned = _previous_mention(trigger, state, context)
    if mentioned is not None:
        return mentioned
    if _names_earlier(trigger):
        return UNKNOWN_DATE
    earlier = state.dated_by_type.get(trigger.event_type)
    time_verb = trigger.time_verb
    if (
        earlier is not None
        and not _unreported_act(trigger)
        and not _other_sanctioner(trigger, actors, state)
    ):
        if earlier.basis == "publication" and _is_state_noun(trigger):
            # "the presence of the carriers" after a mention dated only by publication:
            # that was the news day, not the day the state began
            return _ongoing_month(earlier)
        return earlier
    just_happened = (
        modality == ASSERTED
        and time_verb.pos_ in ("VERB", "AUX")
        and _is_past(time_verb)
        and not (trigger.event_type == "deployment" and _is_perfect(time_verb))
    )
    if not just_happened:
        return UNKNOWN_DATE
    published = resolve_event_date(
        None,
        context.published,
        context.published_precision,
        tz=tz,
        fallback_to_publication=True,
    )
    return _ongoing_month(published) if _is_progressive(trigger) else published


def _previous_mention(
    trigger: Trigger, state: ArticleState, context: ArticleContext
) -> EventDate | None:
    """ "On April 5, 2009, it conducted a similar launch. But others said the launch was a
    failure": a definite mention with no date of its own, right after a sentence of the same
    paragraph whose only event of that type is an older one with a stated date, is that
    older event (the nearest antecedent), not the article's news."""
    token = trigger.token
    if trigger.is_verbal or not any(
        c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS for c in token.children
    ):
        return None  # "this launch", "its launch": the article's own news
    if any(c.lower_ in LATEST_MODIFIERS for c in token.children):
        return None  # "the latest launch": the newest, not the one just named
    sent = token.sent
    gap = sent.doc.text[max(state.previous_end, 0) : sent.start_char]
    if state.previous_end < 0 or "\n" in gap:
        return None  # a new paragraph turns to something else
    dates = state.previous_dates.get(trigger.event_type, [])
    found = dates[0] if len(dates) == 1 else None
    if found is None or found.value is None or found.basis != "explicit":
        return None
    if _is_current(found.value, context):
        return None  # the news itself is dated from the article's first dated mention
    return found


def _is_progressive(trigger: Trigger) -> bool:
    """ "were discussing a resolution", "has been moving airplanes", "were being
    conducted": the event was going on at the time, not done that day. A noun that names
    a state ("the presence of the carrier groups") is going on in the same way."""
    if _is_state_noun(trigger):
        return True
    verb = trigger.clause_verb
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    if any(a.tag_ == "MD" for a in auxes):
        return False  # "should not be taking place": what is wanted, not what goes on
    if verb.tag_ == "VBG":
        return any(a.lemma_.lower() == "be" for a in auxes)
    return any(a.lower_ == "being" for a in auxes)


def _is_state_noun(trigger: Trigger) -> bool:
    return not trigger.is_verbal and trigger.token.lemma_.lower() in STATE_NOUNS


def _ongoing_month(found: EventDate) -> EventDate:
    """An event going on when a dated clause (its reporting verb, the publication) speaks
    of it began at a day the article does not give: the labelling guide dates it to the
    month."""
    if found.value is None or found.precision != "day":
        return found
    return EventDate(found.value[:7], "month", found.basis, found.text)


def _caption_picture(trigger: Trigger) -> Token | None:
    """The picture a photo caption describes the trigger in: "In this photo ..., a missile
    is launched", "This file photo ... shows a launcher being positioned"."""
    current = trigger.token
    for _ in range(10):
        for child in current.children:
            if child.dep_ == PREP_DEP and child.lower_ == "in":
                for obj in child.children:
                    if obj.dep_ == POBJ_DEP and obj.lemma_.lower() in PICTURE_NOUNS:
                        return obj
            if (
                current.lemma_.lower() in PICTURE_VERBS
                and child.dep_ in SUBJECT_DEPS
                and child.lemma_.lower() in PICTURE_NOUNS
            ):
                return child
        if current.head == current:
            return None
        current = current.head
    return None


def _in_undated_picture(trigger: Trigger) -> bool:
    """ "In this undated photo released on Saturday, a missile is launched": the caption
    says the picture's event has no known date; the release date is not the event's."""
    picture = _caption_picture(trigger)
    return picture is not None and any(
        c.dep_ == "amod" and c.lower_ == "undated" for c in picture.children
    )


def _caption_date(
    trigger: Trigger, date_spans: list[Span], context: ArticleContext, tz: str | None
) -> EventDate | None:
    """What a photo caption says of the date of the event it shows: none for an undated
    picture, the day it was taken for "This photo, taken Sept. 12, shows ..." (the
    picture's date is the date of what it shows); None when the caption does not say."""
    picture = _caption_picture(trigger)
    if picture is None:
        return None
    if _in_undated_picture(trigger):
        return UNKNOWN_DATE
    taken = [c for c in picture.children if c.dep_ == "acl" and c.lemma_.lower() == "take"]
    for span in date_spans:
        if any(span.root.i in {t.i for t in verb.subtree} for verb in taken):
            found = _resolve_in_article(span.text, context, tz)
            if found.value is not None:
                return found
    return None


def _unreported_act(trigger: Trigger) -> bool:
    """ "must enforce sanctions", "moves to impose sanctions": an act put as a duty or an
    aim, by a verb in its base form (an infinitive, or after a modal), is not a report of
    the one event the article dated earlier, so it does not take that event's date."""
    verb = trigger.clause_verb
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ != "VB" or _is_past(verb):
        return False
    return not _refers_to_known(trigger)


def _with_coordinated(
    span: Span,
    resolved: EventDate,
    date_spans: list[Span],
    context: ArticleContext,
    tz: str | None,
    direction: Direction,
    lead: int,
) -> EventDate:
    """ "the launches in August and September": a date coordinated with another one dates
    the mention by both, so the event gets what covers the two (here the year; "on Monday
    and Tuesday", the first day, as for any event of several days)."""
    doc = span.doc
    partner = next(
        (
            other
            for other in date_spans
            if (other.start == span.end + 1 and doc[span.end].lower_ in ("and", "or"))
            or (other.end + 1 == span.start and doc[other.end].lower_ in ("and", "or"))
        ),
        None,
    )
    if partner is None or resolved.value is None or sequence_shift(partner.text) is not None:
        return resolved
    other = _resolve_in_article(partner.text, context, tz, direction=direction, lead=lead)
    if other.value is None:
        return resolved
    (lo1, hi1), (lo2, hi2) = _interval_of(resolved.value), _interval_of(other.value)
    value, precision = interval_to_date(min(lo1, lo2), max(hi1, hi2))
    if value is None:
        return resolved
    first, last = sorted((span, partner), key=lambda s: s.start)
    return EventDate(value, precision, resolved.basis, doc[first.start : last.end].text)


def _resolve_in_article(
    text: str,
    context: ArticleContext,
    tz: str | None,
    *,
    direction: Direction = "past",
    lead: int = 0,
) -> EventDate:
    """A date expression of this article, against its publication date in ``tz``."""
    return resolve_event_date(
        text,
        context.published,
        context.published_precision,
        tz=tz,
        direction=direction,
        lead_days=lead,
    )


def _previous_date(
    span: Span, date_spans: list[Span], context: ArticleContext, tz: str | None, lead: int
) -> EventDate | None:
    """The nearest date stated before ``span`` in its sentence: what "the following month"
    in "after the test in February 2013, ... the following month" counts from."""
    for other in reversed([s for s in date_spans if s.end <= span.start]):
        if sequence_shift(other.text) is not None:
            continue
        resolved = _resolve_in_article(other.text, context, tz, lead=lead)
        if resolved.value is not None:
            return resolved
    return None


def _previous_sentence_date(
    span: Span, context: ArticleContext, tz: str | None, lead: int
) -> EventDate | None:
    """The last date stated in the sentence before: "The format was first used in November
    2013. It was shelved after Japan joined sanctions the following year" counts from 2013,
    whether or not that sentence reported an event the extractor keeps."""
    sent = span.sent
    if sent.start == 0:
        return None
    previous = span.doc[sent.start - 1].sent
    return _previous_date(previous[-1:], find_date_spans(previous), context, tz, lead)


LATEST_MODIFIERS = frozenset({"latest", "recent", "last", "newest", "most"})
# Determiners that point back to something already named ("the launch", "those tests").
ANAPHORIC_DETERMINERS = frozenset({"the", "that", "these", "those"})
# An undated nuclear test or UN sanctions reported as news: the last one this recent.
NEWS_WINDOW_DAYS = 31
RESOLUTION_NUMBER = re.compile(r"\bresolutions?\s+(?:no\.\s*)?(\d{3,4})\b", re.IGNORECASE)


def _reference_date(
    trigger: Trigger,
    actors: list[str],
    current: EventDate,
    context: ArticleContext,
    modality: str,
) -> EventDate:
    """The day of a well-known event the mention identifies (data/reference): "its fourth
    nuclear test", "Resolution 2371", "its first ICBM", "last month's nuclear test" (one
    test that month), "its latest nuclear test", or an undated report of a nuclear test or
    Security Council sanctions shortly after the last one. A day the article states itself
    wins, and so does a weekday within a week of the catalogue's day; a weekday further
    off belongs to another clause than the event named by number."""
    index = default_reference_index()
    event_type = trigger.event_type
    wanted = [SANCTIONING_BODIES.get(a, a) for a in actors]
    found: ReferenceEvent | None = None
    ordinal = _ordinal(trigger.token)
    if ordinal is not None and event_type == "nuclear_test":
        found = index.by_ordinal(event_type, wanted, ordinal)
    elif ordinal is not None and event_type == "missile_launch" and _says_icbm(trigger.token):
        found = index.by_ordinal(event_type, wanted, ordinal, series="icbm")
    elif ordinal is not None and event_type == "missile_launch" and trigger.is_space:
        successful = any(c.lower_ == "successful" for c in trigger.token.children)
        found = index.by_ordinal(
            event_type, wanted, ordinal, series="satellite", successful=successful
        )
    elif event_type == "sanction" and (number := _resolution_number(trigger)) is not None:
        found = index.by_resolution(number)
    if found is not None and _after_publication(found.date, context):
        found = None  # "its sixth test" in an article older than the sixth test: not it
    if found is not None:
        if current.precision == "day" and (
            current.basis == "explicit"
            or (current.basis == "relative" and _days_apart(current.value, found.date) <= 7)
        ):
            return current  # the article's own day (a weekday agrees give or take a zone)
        return _from_reference(found)  # a weekday weeks away is some other clause's
    if current.precision == "day" and current.basis in ("explicit", "relative"):
        return current
    if event_type == "sanction" and wanted and "org:unsc" not in wanted:
        return current  # the catalogue holds the UN's sanctions, not a party's of its own
    if current.value is not None and current.precision in ("month", "year"):
        lo, hi = _interval_of(current.value)
        found = index.only_in(event_type, wanted, lo, hi, series=_series_of(trigger))
    elif (
        (current.value is None or current.basis == "publication")
        and modality in (ASSERTED, CLAIMED)
        and context.published is not None
        and context.published_precision in ("day", "datetime")
        and not _is_generic(trigger)
        and not _names_earlier(trigger)
    ):
        window = _latest_window(trigger, wanted)
        if window:
            found = index.latest_on_or_before(
                event_type, wanted, context.published.date(), within_days=window
            )
    return current if found is None else _from_reference(found)


def _after_publication(day: date, context: ArticleContext) -> bool:
    published = context.published
    if published is None or context.published_precision in ("unknown", "year"):
        return False
    if context.published_precision == "month":
        return (day.year, day.month) > (published.year, published.month)
    return day > published.date() + timedelta(days=1)


def _days_apart(value: str | None, day: date) -> int:
    return abs((date.fromisoformat(value) - day).days) if value and len(value) == 10 else 9999


def _series_of(trigger: Trigger) -> str | None:
    """The catalogue series a launch mention belongs to, if it says: satellite, ICBM."""
    if trigger.event_type != "missile_launch":
        return None
    if trigger.is_space:
        return "satellite"
    return "icbm" if _says_icbm(trigger.token) else None


def _latest_window(trigger: Trigger, actors: list[str]) -> int:
    """How far back an undated report of a complete series' event may reach: "its
    latest nuclear test" any time in the past year; an undated test or Security Council
    sanctions reported as news, a few weeks (the last one before publication)."""
    latest = any(c.lower_ in LATEST_MODIFIERS for c in trigger.token.children if c.dep_ == "amod")
    if trigger.event_type == "nuclear_test":
        return 366 if latest else NEWS_WINDOW_DAYS
    if trigger.event_type == "sanction" and "org:unsc" in actors:
        return NEWS_WINDOW_DAYS
    return 0


def _from_reference(found: ReferenceEvent) -> EventDate:
    return EventDate(found.date.isoformat(), "day", "reference", found.label)


def _setting_of_past_act(trigger: Trigger) -> bool:
    """ "agreed to strengthen ties during a call with Moon", "urged others to act, in a
    phone call with Merkel": the call is where a past act happened, so it happened,
    whatever the infinitive after the act plans."""
    verb = trigger.time_verb
    if trigger.event_type != "meeting" or verb is trigger.clause_verb:
        return False
    for _ in range(4):
        if verb.dep_ != "xcomp" or verb.head == verb:
            break
        verb = verb.head
    return verb.tag_ == "VBD" and not any(c.dep_ == "neg" for c in verb.children)


def _ordinal(token: Token) -> int | None:
    """ "the fourth test", "its sixth and largest nuclear test": the ordinal modifying it."""
    for child in token.children:
        if child.dep_ in ("amod", "nummod") and (value := ordinal_value(child.lower_)):
            return value
    return None


def _says_icbm(token: Token) -> bool:
    words = {t.lower_ for t in token.subtree} | {token.head.lower_}
    return bool(words & {"icbm", "icbms", "intercontinental"})


def _resolution_number(trigger: Trigger) -> int | None:
    """The one Security Council resolution number in the trigger's sentence."""
    numbers = {int(m) for m in RESOLUTION_NUMBER.findall(trigger.token.sent.text)}
    return numbers.pop() if len(numbers) == 1 else None


def _interval_of(value: str) -> tuple[date, date]:
    if len(value) == 10:
        return date.fromisoformat(value), date.fromisoformat(value)
    if len(value) == 4:
        return date(int(value), 1, 1), date(int(value), 12, 31)
    first = date.fromisoformat(value + "-01")
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _other_sanctioner(trigger: Trigger, actors: list[str] | None, state: ArticleState) -> bool:
    """ "Seoul and Tokyo announced sanctions on Friday. ... the UN resolution": each
    sanctioning party's measures are their own event, so the UN's do not take the date of
    the ones the article dated first when those were another party's."""
    if trigger.event_type != "sanction" or not actors:
        return False
    remembered = state.dated_actors.get("sanction", frozenset())
    return bool(remembered) and not remembered & set(actors)


UNIT_DAYS = {"day": 1, "week": 7, "hour": 0, "minute": 0}


def _offset_phrase(
    trigger: Trigger, verb: Token | None = None
) -> tuple[int, set[int], Token] | None:
    """The signed day shift of "<N units> after/before <trigger clause>", the token
    indices of that phrase, and the verb of the clause it modifies (``verb``: the clause
    verb to start from, if not the trigger's)."""
    verb = verb or trigger.clause_verb
    mark = next(
        (c for c in verb.children if c.dep_ == "mark" and c.lower_ in ("after", "before")),
        None,
    )
    if (
        mark is None
        and verb.dep_ in (POBJ_DEP, "pcomp")
        and verb.head.lower_ in ("after", "before")
    ):
        mark = verb.head
    if mark is None:
        return None
    unit = next(
        (
            t
            for t in verb.doc[max(mark.i - 3, verb.sent.start) : mark.i]
            if t.lemma_.lower() in UNIT_DAYS
        ),
        None,
    )
    if unit is None:
        return None
    count = 1
    number = next((c for c in unit.children if c.dep_ == "nummod"), None)
    if number is None and unit.i > 0 and unit.nbor(-1).lower_ in NUMBER_WORDS:
        number = unit.nbor(-1)
    if number is not None:
        if number.lower_.isdigit():
            count = int(number.lower_)
        elif number.lower_ in NUMBER_WORDS:
            count = NUMBER_WORDS[number.lower_]
        else:
            return None
    elif unit.tag_ == "NNS" and not any(c.lower_ in ("a", "an", "one") for c in unit.children):
        return None  # "just days after", "weeks before": no count to move a date by
    days = count * UNIT_DAYS[unit.lemma_.lower()]
    own_clause = mark.head == verb  # "..., five days after North Korea fired"
    phrase = {t.i for t in (verb.subtree if own_clause else mark.subtree)} | {unit.i, mark.i}
    governing = verb.head if own_clause else mark.head
    for _ in range(6):
        if governing.pos_ in ("VERB", "AUX") and governing.i not in phrase:
            break
        if governing.head == governing:
            return None
        governing = governing.head
    else:
        return None
    return (-days if mark.lower_ == "after" else days), phrase, governing


def _offset_date(
    trigger: Trigger,
    date_spans: list[Span],
    context: ArticleContext,
    tz: str | None,
    lead: int,
) -> EventDate | None:
    """ "Drills began on Tuesday, four days after North Korea's nuclear test": the test
    is the dated event's date moved by the interval ("hours after": the same day)."""
    found = _offset_phrase(trigger)
    if found is None:
        return None
    shift_days, phrase, governing = found
    for span in date_spans:
        if span.root.i in phrase:
            continue
        path = _path_to(span.root, governing)
        if not path or path[-1].head != governing:
            continue
        if any(t.pos_ in ("VERB", "AUX") for t in path[1:]):
            continue
        anchor = _resolve_in_article(span.text, context, tz, lead=lead)
        if anchor.value is None or anchor.precision != "day":
            continue
        day = date.fromisoformat(anchor.value) + timedelta(days=shift_days)
        return EventDate(day.isoformat(), "day", "relative", span.text)
    return None


def _offset_from_last_dated(
    trigger: Trigger, trigger_tokens: list[Token], state: ArticleState
) -> EventDate | None:
    """ "It also came two days after the allies began their exercise", "The move came a
    day after ...": an occurrence verb whose subject names no event of its own here refers
    back to the event the article dated last, and the interval counts from that day."""
    token = trigger.token
    act = None
    if not trigger.is_verbal and token.dep_ == POBJ_DEP and token.head.lower_ == "with":
        act = token.head.head  # "marked the anniversary with a drill": the drill is the act
    found = _offset_phrase(trigger, act if act is not None and act.pos_ == "VERB" else None)
    last = state.last_dated
    if found is None or last is None or last.precision != "day" or last.value is None:
        return None
    shift_days, _, governing = found
    if governing.lemma_.lower() not in OCCURRENCE_VERBS:
        return None
    subjects = [c for c in governing.children if c.dep_ in SUBJECT_DEPS]
    if not subjects or any(t in trigger_tokens for subject in subjects for t in subject.subtree):
        return None  # "The launch came ...": that event's own record dates it
    day = date.fromisoformat(last.value) + timedelta(days=shift_days)
    return EventDate(day.isoformat(), "day", "relative", last.text)


def _past_date_in_sentence(
    date_spans: list[Span],
    trigger: Trigger,
    trigger_tokens: list[Token],
    context: ArticleContext,
    tz: str | None,
) -> EventDate | None:
    """An undated mention whose own phrase names a time well before publication is
    about that time, not the article's news: "the North's previous test, conducted in
    January", "the type the North used in December 2012". Bounds ("since 2009", "before
    2020") say nothing about when the mention happened and are skipped."""
    found: list[EventDate] = []
    own = {t.i for t in trigger.token.subtree}
    for span in date_spans:
        if span.root.i not in own:
            continue  # "the blast was bigger than the test in 2016": another noun's date
        between = _path_to(span.root, trigger.token)[1:]
        if any(
            t in trigger_tokens
            or t.lower_ in BOUND_PREPS
            or (t.pos_ == "VERB" and _other_event_modifier(t, trigger))
            for t in between
        ):
            continue  # a nested event's date ("drills ever held, after the test in
            # January"), or a bound ("since 2009")
        if any(c.dep_ == "mark" and c.lower_ in BOUND_PREPS for t in between for c in t.children):
            continue  # a bounding clause's own date: "the first time since Seoul agreed in July"
        resolved = _resolve_in_article(span.text, context, tz)
        if resolved.value is None or _is_current(resolved.value, context):
            continue
        this_year = f"{context.published.year:04d}" if context.published else None
        if resolved.precision == "year" and resolved.value == this_year:
            continue  # "this year": the news is in it too
        found.append(resolved)
    if len({d.value for d in found}) != 1:
        return None  # none, or several times: no way to tell which one is the event's
    return found[0]


def _nested(a: Trigger, b: Trigger) -> bool:
    """One trigger inside the other's phrase: "a similar launch which put the satellite
    into orbit", "the missile that flew over Japan"."""
    return a.token.i in {t.i for t in b.token.subtree} or b.token.i in {
        t.i for t in a.token.subtree
    }


def _dates_nest(a: str | None, b: str | None) -> bool:
    """The same date, or one inside the other ("2016-01" holds "2016-01-06")."""
    if a is None or b is None:
        return a == b
    return a.startswith(b) or b.startswith(a)


def _finer_inside(value: str, coarse: str | None) -> bool:
    """ "2017-05-29" inside "2017": the same event named twice ("launches this year, most
    recently one on Monday") is best dated by the finer reading."""
    return coarse is not None and len(value) > len(coarse) and value.startswith(coarse)


def _own_date(record: EventRecord) -> bool:
    """Dated by an expression of its own sentence (not by context or publication)."""
    return (
        record.event_date is not None
        and record.date_basis in ("explicit", "relative")
        and bool(record.date_text)
    )


def _merge_same_sentence(
    events: list[tuple[tuple[EventRecord, str], Trigger]],
) -> list[tuple[EventRecord, Trigger, str]]:
    """One event per real event per sentence: "met for talks", "the visit, the first
    two-plus-two meeting" and "the missile launch ... the launch" name one event twice."""
    kept: list[tuple[EventRecord, Trigger, str]] = []
    for (record, learned), trigger in sorted(
        events, key=lambda item: (-item[0][0].confidence, item[1].token.i)
    ):
        twin = next(
            (
                item
                for item in kept
                if item[0].event_type == record.event_type
                and (
                    _nested(item[1], trigger)
                    or (
                        (
                            not item[0].actors
                            or not record.actors
                            or set(item[0].actors) & set(record.actors)
                        )
                        and (
                            _dates_nest(item[0].event_date, record.event_date)
                            or not _own_date(item[0])
                            or not _own_date(record)
                        )
                    )
                )
            ),
            None,
        )
        if twin is None:
            kept.append((record, trigger, learned))
            continue
        other = twin[0]
        other.actors.extend(a for a in record.actors if a not in other.actors)
        other.weapons.extend(w for w in record.weapons if w not in other.weapons)
        other.participants = [
            p
            for p in dict.fromkeys(other.participants + record.participants)
            if p not in other.actors
        ]
        other.location = other.location or record.location
        if record.event_date is not None and (
            other.event_date is None
            or (other.date_basis not in ("explicit",) and record.date_basis == "explicit")
            or (_own_date(record) and not _own_date(other))
            or (_own_date(record) and _finer_inside(record.event_date, other.event_date))
        ):
            other.event_date, other.date_precision = record.event_date, record.date_precision
            other.date_basis, other.date_text = record.date_basis, record.date_text
        other.is_space_launch = other.is_space_launch or record.is_space_launch
    return sorted(kept, key=lambda item: item[1].token.i)


__all__ = [
    "ArticleState",
    "EventRecord",
    "Lexicon",
    "Trigger",
    "TriggerSpec",
    "extract_events",
    "find_triggers",
    "load_lexicon",
    "trigger_roles",
]
