"""The records passed between the steps of event extraction.

:class:`EventRecord` (one output row), :class:`TriggerSpec` (one lexicon row),
:class:`Lexicon` (the trigger lexicon), :class:`Trigger` (a trigger word found in a
sentence, with the lexicon it was found with) and :class:`ArticleState` (what the article
said so far). Data only: the steps that fill them live in the other modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Token

from flashpoint.nlp.dates import (
    EventDate,
)
from flashpoint.nlp.events.modality import (
    ASSERTED,
)
from flashpoint.nlp.events.syntax import (
    POBJ_DEP,
)
from flashpoint.nlp.events.vocabulary import (
    WordSets,
)


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
    # bare only outside these positions: "the launch was a failure" judges its subject
    not_deps: frozenset[str] = frozenset()
    # the verb's object is the other side of the meeting: "met Kishida", "told the Council"
    object_party: bool = False
    # the object must name a multilateral body: "told the Security Council", not "told the
    # National Security Council" (one government's own) or an unnamed "the council"
    requires_body_object: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The event vocabulary: from data/lexicons/event_triggers.jsonl the trigger specs by
    (lemma, POS), word classes by name and light verbs; from event_words.jsonl the named
    word sets the rules consult (``words``)."""

    triggers: dict[tuple[str, str], tuple[TriggerSpec, ...]]
    classes: dict[str, frozenset[str]]
    support: frozenset[str]
    words: WordSets


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger word found in a sentence, with the evidence that made it count."""

    token: Token
    spec: TriggerSpec
    support: Token | None  # the light verb of a nominal trigger
    evidence: frozenset[str]  # classes found in the object/subject/modifiers
    bare: bool  # accepted on context, without an object or modifier of the needed kind
    is_space: bool
    # the lexicon the trigger was found with: later steps ask it about other words
    lexicon: Lexicon = field(compare=False, repr=False)

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
        if prep.lower_ in self.lexicon.words.coincide_preps and prep.head.pos_ in ("VERB", "AUX"):
            return prep.head
        return verb


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
    # Per event type: the modality of its latest mention while every mention so far was
    # planned or possible, and the types some mention of which was asserted or claimed
    unrealised: dict[str, str] = field(default_factory=dict)
    realised: set[str] = field(default_factory=set)
    # The last sentence with events: its end offset and the stated dates of its events
    previous_end: int = -1
    previous_dates: dict[str, list[EventDate | None]] = field(default_factory=dict)
    # Per event id of a planned mention whose year-less date reads differently back from
    # publication than forward: its date if it happened, None if the date says it is still
    # to come (dating.reading_if_happened)
    past_readings: dict[str, EventDate | None] = field(default_factory=dict)

    def has(self, event_type: str) -> bool:
        return event_type in self.seen

    def latest_of(self, event_types: Iterable[str]) -> str | None:
        wanted = set(event_types)
        return next((t for t in reversed(self.seen) if t in wanted), None)
