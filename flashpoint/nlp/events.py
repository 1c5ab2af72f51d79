"""Events from the dependency parse: who launched, deployed, met or sanctioned, where, when.

A keyword hit says a sentence mentions a launch; the parse says who did it. The extractor
works in small pure steps over one sentence, textacy-style, with a little memory of the
article so far (what was launched, by whom, when):

1. :func:`~flashpoint.nlp.triggers.find_triggers` -- words that name an event (``fire``,
   ``launch``, ``deployment``, ``talks`` ...; data/lexicons/event_triggers.jsonl), kept only
   when their object, subject or modifiers are of the right kind; see
   :mod:`flashpoint.nlp.triggers`.
2. :func:`trigger_roles` -- the tokens that fill each role: agents (``nsubj``, passive
   ``agent``, possessor, country modifiers, subjects inherited through ``xcomp``/``advcl``/
   ``conj``), co-parties ("with", "between"), targets ("toward Japan") and places ("in South
   Korea", "into the Sea of Japan", "over Hokkaido").
3. Roles become canonical entities through the normaliser's span extensions
   (``entity_id``, ``entity_type``, ``entity_country``); actors are countries (an
   organisation without a country, like the UN Security Council, stands for itself).
4. :mod:`flashpoint.nlp.modality` decides asserted/negated/planned/possible/claimed;
   :mod:`flashpoint.nlp.event_dates` decides the date: the date expression attached to the
   trigger's clause, resolved by :mod:`flashpoint.nlp.dates` in the time zone of the place
   the event happened. A later mention of the same event ("the launch") takes the date of
   the first dated report of it in the article.
5. Mentions of one event in one sentence are merged, and launch and sanction actors are
   settled across the article.

The records and syntax helpers all steps share are in :mod:`flashpoint.nlp.event_syntax`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from flashpoint.nlp.dates import (
    UNKNOWN_DATE,
    EventDate,
    TimezoneIndex,
    find_date_spans,
    load_timezones,
)
from flashpoint.nlp.event_dates import (
    _caption_date,
    _date_from_sentence_events,
    _event_tz,
    _is_current,
    _is_progressive,
    _no_particular_time,
    _ongoing_month,
    _reference_date,
    _refine_coarse_dates,
    _resolve_date,
    _takes_article_date,
)
from flashpoint.nlp.event_syntax import (
    CONJ_DEP,
    ENACTMENT_VERBS,
    INSTRUMENT_NOUNS,
    LAUNCH_TYPES,
    OBJECT_DEPS,
    POBJ_DEP,
    POSS_DEP,
    PREP_DEP,
    RELATIVE_PRONOUNS,
    SANCTIONING_BODIES,
    SUBJECT_DEPS,
    ArticleState,
    EventRecord,
    Trigger,
    TriggerSpec,
    _clause_head,
    _conj_root,
    _is_generic,
    _is_passive,
    _reporting_source,
    _verb_objects,
    _verb_subjects,
    expand_conjuncts,
    noun_phrase,
    prep_objects,
)
from flashpoint.nlp.modality import (
    ASSERTED,
    CLAIMED,
    PLANNED,
    POSSIBLE,
    ModalityResult,
    default_cues,
    event_modality,
)
from flashpoint.nlp.triggers import (
    PARTY_PREPS,
    EntityIndex,
    Lexicon,
    _ext,
    _np_countries,
    classes_in,
    entity_type,
    find_triggers,
    load_lexicon,
)
from flashpoint.schema import ArticleContext

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
# "UN resolutions ban North Korea from launching": not an event.
PROHIBITING_VERBS = frozenset(
    {"ban", "prohibit", "bar", "forbid", "prevent", "stop", "restrain", "deter"}
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
AGENT_PREPS = frozenset({"by"})
SYMMETRIC_TYPES = frozenset({"meeting", "exercise"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


# --- Roles ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Roles:
    """Token heads filling each role of one trigger."""

    agents: list[Token] = field(default_factory=list)
    parties: list[Token] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    places: list[Token] = field(default_factory=list)
    agent_from: str = "none"  # syntax|inherited|none


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


# --- Context helpers --------------------------------------------------------------------------


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


def _event_id(article_id: str, sent_start: int, event_type: str, trigger_offset: int) -> str:
    key = f"{article_id}|{sent_start}|{event_type}|{trigger_offset}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# --- Extraction -------------------------------------------------------------------------------


def extract_events(
    doc: Doc,
    context: ArticleContext,
    *,
    lexicon: Lexicon | None = None,
    cues: Mapping[str, frozenset[str]] | None = None,
) -> list[EventRecord]:
    """Events stated in ``doc``, one record per event mention, in reading order.

    ``lexicon`` (trigger rules) and ``cues`` (modality cue words) default to the shipped
    data files; the ``flashpoint_events`` component passes the ones it was initialised with.
    """
    if lexicon is None:
        lexicon = load_lexicon()
    if cues is None:
        cues = default_cues()
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
                        cues,
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
    cues: Mapping[str, frozenset[str]],
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

    modality = event_modality(
        trigger.token, trigger.support, speaks_for_actor=speaks_for_actor, cues=cues
    )
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


# --- Merging mentions of one event ------------------------------------------------------------


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
    "EntityIndex",
    "EventRecord",
    "Lexicon",
    "Trigger",
    "TriggerSpec",
    "extract_events",
    "find_triggers",
    "load_lexicon",
    "trigger_roles",
]
