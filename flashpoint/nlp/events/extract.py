"""Events from the dependency parse: who launched, deployed, met or sanctioned, where, when.

A keyword hit says a sentence mentions a launch; the parse says who did it. The extractor
works in small pure steps over one sentence, textacy-style, with a little memory of the
article so far (what was launched, by whom, when):

1. :func:`~flashpoint.nlp.events.triggers.find_triggers` -- words that name an event (``fire``,
   ``launch``, ``deployment``, ``talks`` ...; data/lexicons/event_triggers.jsonl), kept only
   when their object, subject or modifiers are of the right kind; see
   :mod:`flashpoint.nlp.events.triggers`.
2. :func:`~flashpoint.nlp.events.roles.trigger_roles` -- the tokens that fill each role: agents (``nsubj``, passive
   ``agent``, possessor, country modifiers, subjects inherited through ``xcomp``/``advcl``/
   ``conj``), co-parties ("with", "between"), targets ("toward Japan") and places ("in South
   Korea", "into the Sea of Japan", "over Hokkaido").
3. Roles become canonical entities through the normaliser's span extensions
   (``entity_id``, ``entity_type``, ``entity_country``); actors are countries (an
   organisation without a country, like the UN Security Council, stands for itself).
4. :mod:`flashpoint.nlp.events.modality` decides asserted/negated/planned/possible/claimed;
   :mod:`flashpoint.nlp.events.dating` decides the date: the date expression attached to the
   trigger's clause, resolved by :mod:`flashpoint.nlp.dates` in the time zone of the place
   the event happened. A later mention of the same event ("the launch") takes the date of
   the first dated report of it in the article.
5. Mentions of one event in one sentence are merged, and launch and sanction actors are
   settled across the article.

Each step is a module of :mod:`flashpoint.nlp.events`; this one holds the order they run in
(:func:`extract_events`), the event record each trigger becomes (``build_event``) and the
article memory between sentences. The ``flashpoint_events`` component
(:mod:`flashpoint.nlp.events.component`) calls it per Doc.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Span, Token

from flashpoint.nlp.dates import (
    UNKNOWN_DATE,
    Direction,
    EventDate,
    TimezoneIndex,
    find_date_spans,
    load_timezones,
)
from flashpoint.nlp.events.checks import (
    BackgroundStates,
    default_background_states,
    held_by_one_body,
    held_by_private_parties,
    is_meeting_of_parties,
    joint_parties,
    meets_a_requirement,
)
from flashpoint.nlp.events.dating import (
    date_from_caption,
    date_from_sentence_events,
    event_timezone,
    is_current,
    is_progressive,
    named_system_series,
    no_particular_time,
    ongoing_month,
    placed_earlier,
    reading_if_happened,
    reference_date,
    refine_coarse_dates,
    resolve_date,
    takes_article_date,
)
from flashpoint.nlp.events.entities import (
    EntityIndex,
    entity_country,
)
from flashpoint.nlp.events.merging import (
    merge_same_sentence,
    own_date,
    settle_launch_actors,
    settle_sanction_sides,
)
from flashpoint.nlp.events.modality import (
    ASSERTED,
    ATTEMPTED_IS_DONE_TYPES,
    CLAIMED,
    GENERIC,
    ONGOING_TYPES,
    PLANNED,
    POSSIBLE,
    ModalityResult,
    attempted_in_past,
    default_cues,
    event_modality,
    without_attempts,
)
from flashpoint.nlp.events.public_record import not_yet_on_record
from flashpoint.nlp.events.records import (
    ArticleState,
    EventRecord,
    Lexicon,
    Trigger,
)
from flashpoint.nlp.events.roles import (
    SYMMETRIC_TYPES,
    Roles,
    asset_owners,
    clause_agents,
    clause_tokens,
    countries_of,
    governing_subjects,
    is_pronoun_like,
    location_country,
    location_of,
    may_refer_to,
    owners_of,
    trigger_roles,
    weapons_of,
)
from flashpoint.nlp.events.syntax import (
    LAUNCH_TYPES,
    SANCTIONING_BODIES,
    SUBJECT_DEPS,
    clause_head,
    counts_its_sides,
    is_generic,
    reporting_source,
    states_a_kind,
)
from flashpoint.nlp.events.triggers import (
    classes_in,
    find_triggers,
    load_lexicon,
)
from flashpoint.nlp.events.vocabulary import WordSets
from flashpoint.schema import ArticleContext

# How many sentences back "the two leaders" may look for the parties it stands for.
RECENT_SENTENCES = 3


def _prohibited(trigger: Trigger) -> bool:
    """ "ban North Korea from launching", "prohibited it from carrying out tests"."""
    current = trigger.clause_verb
    for _ in range(4):
        if current.head == current:
            return False
        if current.dep_ == "pcomp" and current.head.lower_ == "from":
            verb = current.head.head
            return verb.lemma_.lower() in trigger.lexicon.words.prohibiting_verbs
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


def extract_events(
    doc: Doc,
    context: ArticleContext,
    *,
    lexicon: Lexicon | None = None,
    cues: Mapping[str, frozenset[str]] | None = None,
    background: BackgroundStates | None = None,
    past_readings: dict[str, EventDate | None] | None = None,
) -> list[EventRecord]:
    """Events stated in ``doc``, one record per event mention, in reading order.

    ``lexicon`` (trigger rules), ``cues`` (modality cue words) and ``background`` (patterns
    of background states) default to the shipped data files; the ``flashpoint_events``
    component passes the ones it was initialised with. ``past_readings``, when given, gets
    for each planned event whose date names no year ("on Jan. 6") and reads differently
    back from publication than forward, by event id: its date if it happened
    (:func:`~flashpoint.nlp.events.dating.reading_if_happened`), or None where that date
    says the event is still to come; and for each undated planned or possible event, the
    day the rules would give it as asserted, where they give one.
    """
    if lexicon is None:
        lexicon = load_lexicon()
    if cues is None:
        cues = default_cues()
    if background is None:
        background = default_background_states()
    standing_norms = background.tokens(doc)
    zones = load_timezones()
    entities = EntityIndex(doc, lexicon.words.body_heads)
    state = ArticleState(doc_classes=frozenset(classes_in(doc, lexicon, entities)))
    records: list[EventRecord] = []
    undated: list[tuple[EventRecord, Trigger, list[Token]]] = []
    kinds: list[EventRecord] = []  # asserted mentions of a kind of event, not one occurrence
    learned_by: dict[int, str] = {}  # id(record) -> how its actors were found
    recent: list[list[str]] = []  # countries named in the last sentences, latest first
    for sentence_idx, sent in enumerate(doc.sents):
        triggers = [
            trigger
            for trigger in find_triggers(sent, lexicon, entities, state)
            if trigger.token.i not in standing_norms
        ]
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
                        recent,
                    )
                )
                is not None
            ]
            merged = list(merge_same_sentence(built))
            date_from_sentence_events(merged)
            for record, trigger, learned in merged:
                records.append(record)
                learned_by[id(record)] = learned
                _remember(state, record, trigger, learned, context)
                if takes_article_date(record, trigger):
                    undated.append((record, trigger, trigger_tokens))
                if record.modality == ASSERTED and states_a_kind(trigger):
                    kinds.append(record)
            _remember_sentence(state, sent, [record for record, _, _ in merged])
        _remember_subject(sent, entities, state)
        recent = [_named_countries(sent, entities), *recent[: RECENT_SENTENCES - 1]]
    # A mention before the dated report of the same event ("Moon warned after the North's
    # test. Pyongyang fired missiles on Thursday ...") takes its date too.
    for record, trigger, sentence_triggers in undated:
        known = state.dated_by_type.get(record.event_type)
        if (
            known is not None
            and record.event_date is None
            and not placed_earlier(
                trigger,
                known,
                find_date_spans(trigger.token.sent),
                sentence_triggers,
                context,
                None,
            )
        ):
            if is_progressive(trigger):
                # "were discussing ..." before "met on Monday": what was going on before the
                # dated event did not begin that day, so only its month is known
                known = ongoing_month(known)
            record.event_date, record.date_precision = known.value, known.precision
            record.date_basis, record.date_text = known.basis, known.text
    refine_coarse_dates(records, doc.text)
    settle_launch_actors(records, learned_by)
    settle_sanction_sides(records, learned_by)
    # A statement about a kind of event ("the Council condemns all launches", "a treaty
    # that forbids nuclear tests") that no date ties to one occurrence reports no
    # particular event: it stays in the table as generic, off the timeline.
    for record in kinds:
        if record.event_date is None and record.modality == ASSERTED:
            record.modality = GENERIC
    if past_readings is not None:
        past_readings.update(
            (record.event_id, state.past_readings[record.event_id])
            for record in records
            if record.event_id in state.past_readings
            and (
                (record.modality == PLANNED and record.event_date is not None)
                or (
                    record.modality in (PLANNED, POSSIBLE)
                    and record.event_date is None
                    and state.past_readings[record.event_id] is not None
                )
            )
        )
    return records


def _remember(
    state: ArticleState,
    record: EventRecord,
    trigger: Trigger,
    learned_actors: str,
    context: ArticleContext,
) -> None:
    state.seen.append(record.event_type)
    if record.modality in (ASSERTED, CLAIMED):
        state.realised.add(record.event_type)
        state.unrealised.pop(record.event_type, None)
    elif record.modality in (PLANNED, POSSIBLE) and record.event_type not in state.realised:
        state.unrealised[record.event_type] = record.modality
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
        and (not is_generic(trigger) or (own_date(record) and record.date_precision == "day"))
        # a day the catalogue gave a month's mention is as current as that month was
        and is_current(
            record.event_date[:7] if record.date_basis == "reference" else record.event_date,
            context,
        )
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
            if own_date(record)
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
            countries = countries_of([child], entities)
            if countries:
                state.subject_country = countries[0]
            return


def _shows_two_sides(
    roles: Roles,
    entities: EntityIndex,
    side_counts: frozenset[str],
    clause: list[Token] | None = None,
) -> bool:
    """A second side the entities may not resolve: a named co-party ("a call with Moon"),
    a coordinated agent or a plural that counts its sides ("Putin and Abe", "the two
    leaders"; not "ministers", which may all be one government's), or a named agent
    -- or, where the actors were read off the clause, a named person in it -- that belongs
    to no known country ("Moon's visit to China")."""
    if any(entities.of(token) is not None for token in roles.parties):
        return True
    for token in roles.agents:
        if any(c.dep_ == "conj" for c in token.children) or (
            # "the two leaders", "both sides": a plural that counts its sides
            token.tag_ in ("NNS", "NNPS")
            and any(
                c.dep_ in ("nummod", "det", "predet") and c.lower_ in side_counts
                for c in token.children
            )
        ):
            return True
        if entities.of(token) is not None and not countries_of([token], entities):
            return True
    return any(
        (ent := entities.of(token)) is not None
        and ent.label_ == "PERSON"
        and not countries_of([token], entities)
        for token in clause or ()
    )


def _counts_its_sides(roles: Roles, side_counts: frozenset[str]) -> bool:
    """ "the two leaders met", "both sides agreed": a plural agent that counts its sides."""
    return any(counts_its_sides(token, side_counts) for token in roles.agents)


def _named_countries(tokens: Iterable[Token], entities: EntityIndex) -> list[str]:
    """The countries of the named entities in ``tokens`` (a person as his country), in
    reading order."""
    out: list[str] = []
    for ent in entities.in_tokens(tokens):
        country = entity_country(ent)
        if country and country.startswith("country:") and country not in out:
            out.append(country)
    return out


def _other_sides(
    actors: list[str],
    agent_from: str,
    sent: Span,
    roles: Roles,
    entities: EntityIndex,
    recent: list[list[str]],
) -> tuple[list[str], str]:
    """ "Trump welcomed Moon to the White House. The two leaders met in the Oval Office":
    an agent that counts its sides stands for the parties named just before it, so a
    meeting whose parse resolves fewer than two countries takes the others from its own
    sentence (not where it was held) and then from the sentences before, latest first
    (plain linguistics: a definite plural refers back; dev: demo articles on the
    Trump-Moon and Park-Xi summits, Reuters isot-*, Korea Herald kh-*)."""
    have = [a for a in actors if a.startswith("country:")]
    if len(have) >= 2:
        return actors, agent_from
    places = {t.i for token in roles.places for t in token.subtree}
    own = _named_countries((t for t in sent if t.i not in places), entities)
    added = list(actors)
    for country in [*own, *(c for countries in recent for c in countries)]:
        if len(have) >= 2:
            break
        if country not in added:
            added.append(country)
            have.append(country)
    if len(have) < 2:
        return actors, agent_from  # nobody named before: leave it to the checks
    return added, agent_from if actors else "pronoun"


def _deployer(
    actors: list[str], agent_from: str, roles: Roles, entities: EntityIndex, words: WordSets
) -> tuple[list[str], str, list[str]]:
    """Who deployed: the owner of the forces deployed (roles.asset_owners), with the
    agents it displaces as hosts. A country the asset's phrase names is the deployer
    whatever the subject ("Seoul agreed to host a U.S. battery"); a weapon's operator is
    where the parse names no agent of its own ("THAAD launchers arrived") and picks the
    deployer out of several agents ("Seoul and Washington agreed to deploy THAAD")."""
    named, operators = asset_owners(roles.objects, entities, words)
    if named:
        return named, "syntax", [a for a in actors if a not in named]
    if operators and agent_from not in ("syntax", "inherited"):
        return operators, "syntax", []
    if len(actors) > 1 and set(operators) & set(actors):
        return (
            [a for a in actors if a in operators],
            agent_from,
            [a for a in actors if a not in operators],
        )
    return actors, agent_from, []


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
    recent: list[list[str]] | None = None,
) -> tuple[EventRecord, str] | None:
    if _prohibited(trigger):
        return None
    roles = trigger_roles(trigger, entities)
    event_type = trigger.event_type
    excluded = roles.targets + roles.places + roles.objects
    actors = countries_of(roles.agents, entities)
    agent_from = roles.agent_from if actors else "none"
    hosts: list[str] = []
    if event_type == "deployment":
        actors, agent_from, hosts = _deployer(
            actors, agent_from, roles, entities, trigger.lexicon.words
        )
    if (
        not actors
        and roles.agents
        and all(is_pronoun_like(a, entities, trigger.lexicon.words) for a in roles.agents)
    ):
        source = reporting_source(trigger.clause_verb, trigger.lexicon.words)
        if source is not None and may_refer_to(
            roles.agents, source, entities, trigger.lexicon.words
        ):
            actors = countries_of([source], entities)
        verb = trigger.clause_verb.head
        if not actors and trigger.clause_verb.dep_ == "dobj" and verb.pos_ == "VERB":
            # "urged Seoul and Washington to suspend their drills": they are theirs
            controllers = clause_agents(verb, trigger.lexicon.words)
            if controllers and may_refer_to(
                roles.agents, controllers[0], entities, trigger.lexicon.words
            ):
                actors = countries_of(controllers, entities)
        if not actors:
            actors = countries_of(governing_subjects(trigger.clause_verb), entities)
            if event_type in LAUNCH_TYPES:
                # "the Security Council acted over its nuclear test": bodies do not test
                actors = [a for a in actors if a.startswith("country:")]
        if not actors and state.actors_by_type.get(event_type):
            actors = list(state.actors_by_type[event_type])
        if not actors and state.subject_country:
            actors = [state.subject_country]
        agent_from = "pronoun" if actors else "none"
    if not actors:
        actors = owners_of(trigger, roles, entities)
        agent_from = "syntax" if actors else agent_from
    party_countries = countries_of(roles.parties, entities)
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
        source = reporting_source(trigger.clause_verb, trigger.lexicon.words)
        if source is not None:
            skip.append(source)
        if not trigger.is_verbal:
            governor = clause_head(trigger.token)
            skip.extend(
                c
                for c in governor.children
                if c.dep_ in SUBJECT_DEPS and trigger.token not in c.subtree
            )
        clause_countries = countries_of(clause_tokens(trigger, skip), entities)
        if event_type == "sanction":
            # "sanctions would be imposed on North Korea after Pyongyang said ...": the
            # country the sanctions are aimed at does not impose them (plain linguistics)
            aimed_at = countries_of(roles.targets, entities)
            clause_countries = [c for c in clause_countries if c not in aimed_at]
        if clause_countries:
            actors = clause_countries if event_type in SYMMETRIC_TYPES else clause_countries[:1]
            agent_from = "clause"
    if event_type == "meeting":
        joint = joint_parties(trigger.token)
        if joint:
            # "the inter-Korean summit": its modifier names both parties; a clause's or an
            # earlier mention's countries are no parties of it (checks.py)
            kept = actors if agent_from in ("syntax", "inherited", "pronoun") else []
            actors = joint + [a for a in kept if a not in joint]
            agent_from = "syntax"
    if event_type == "meeting" and _counts_its_sides(roles, trigger.lexicon.words.side_counts):
        actors, agent_from = _other_sides(actors, agent_from, sent, roles, entities, recent or [])
    location = location_of(roles.places, entities)
    if event_type == "meeting" and location:
        host = location_country(roles.places, entities)
        if host and host not in actors and len(actors) < 2:
            actors.append(host)
    participants = [c for c in countries_of(roles.targets, entities) if c not in actors]
    if event_type == "missile_launch":
        for token in roles.places:
            if token.head.lower_ in ("over", "toward", "towards", "through", "across"):
                participants += [
                    c
                    for c in countries_of([token], entities)
                    if c not in actors and c not in participants
                ]
        participants = [c for c in participants if c.startswith("country:")]
    if event_type == "deployment":
        participants += [c for c in hosts if c not in actors and c not in participants]
        host = location_country(roles.places, entities)
        if host and host not in actors and host not in participants:
            participants.append(host)
    if event_type == "sanction":
        participants += [
            c
            for c in countries_of(roles.objects, entities)
            if c not in actors and c not in participants
        ]
    weapons = weapons_of(trigger, roles, sent, entities)
    if (
        event_type == "meeting"
        and trigger.token.pos_ not in ("VERB", "AUX")
        and held_by_one_body(trigger.token, roles.parties, entities, trigger.lexicon.words)
    ):
        return None  # one government's own meeting (checks.py)
    if event_type == "meeting" and held_by_private_parties(
        roles.agents, roles.parties, entities, trigger.lexicon.words
    ):
        return None  # travel of private people or things (checks.py)
    if event_type == "meeting" and meets_a_requirement(trigger.token, trigger.lexicon.words):
        return None  # "meet international standards" (checks.py)
    # (actors remembered from an earlier mention were checked with that mention)
    if agent_from != "memory" and not is_meeting_of_parties(
        EventRecord("", "", 0, 0, 0, event_type, "", actors=actors, participants=participants),
        host=location_country(roles.places, entities),
        two_sides_in_parse=_shows_two_sides(
            roles,
            entities,
            trigger.lexicon.words.side_counts,
            list(sent) if agent_from == "clause" else None,
        ),
    ):
        return None

    def speaks_for_actor(source: Token) -> bool:
        countries = countries_of([source], entities)
        return bool(countries) and bool(actors) and countries[0] in actors

    modality = event_modality(
        trigger.token,
        trigger.support,
        speaks_for_actor=speaks_for_actor,
        cues=cues,
        ongoing=event_type in ONGOING_TYPES,
    )
    if (
        modality.modality == POSSIBLE
        and event_type in ATTEMPTED_IS_DONE_TYPES
        and attempted_in_past(trigger.token, cues, trigger.support)
    ):
        modality = event_modality(
            trigger.token,
            trigger.support,
            speaks_for_actor=speaks_for_actor,
            cues=without_attempts(cues),
            ongoing=event_type in ONGOING_TYPES,
        )
    if modality.modality in (PLANNED, POSSIBLE) and _setting_of_past_act(trigger):
        modality = ModalityResult(ASSERTED, None, modality.source)
    tz = event_timezone(event_type, actors, location, context, zones)
    event_id = _event_id(context.article_id, sent.start_char, event_type, trigger.token.idx)
    caption_date = date_from_caption(trigger, date_spans, context, tz)
    if caption_date is not None:
        event_date = caption_date
    elif no_particular_time(trigger):
        event_date = UNKNOWN_DATE
    else:
        known_actors = actors if agent_from in ("syntax", "inherited", "pronoun") else []
        sanctioners = [SANCTIONING_BODIES.get(a, a) for a in known_actors]

        def date_of(as_modality: str, direction: Direction | None = None) -> EventDate:
            return resolve_date(
                trigger,
                context,
                date_spans,
                trigger_tokens,
                tz,
                as_modality,
                state,
                zones,
                sanctioners,
                direction=direction,
            )

        event_date = reference_date(
            trigger, known_actors, date_of(modality.modality), context, modality.modality
        )
        if modality.modality in (PLANNED, POSSIBLE) and event_date.value is None:
            # undated as planned or possible: the day the rules would give it as
            # asserted, for the event filter to use if it finds the event happened. Only
            # a day: a month read from a month-dated report says nothing of this event's
            # time, and an event the filter only guessed happened should not be drawn on
            # the strength of it.
            as_asserted = reference_date(
                trigger, known_actors, date_of(ASSERTED), context, ASSERTED
            )
            if as_asserted.value is not None and as_asserted.precision == "day":
                state.past_readings[event_id] = as_asserted
        if modality.modality == PLANNED and event_date.basis in ("explicit", "relative"):
            past_reading = date_of(modality.modality, direction="past")
            if past_reading.value is not None and past_reading.value != event_date.value:
                state.past_readings[event_id] = reading_if_happened(
                    event_date, past_reading, context
                )

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
        event_id=event_id,
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
    earlier = _antecedent_modality(record, trigger, modality, state)
    if earlier is not None:
        record.modality = earlier
    if record.modality == ASSERTED and not_yet_on_record(
        record, named_system_series(trigger), context
    ):
        record.modality = PLANNED  # done before the record's first arrival: a plan
    return record, agent_from


def _antecedent_modality(
    record: EventRecord, trigger: Trigger, modality: ModalityResult, state: ArticleState
) -> str | None:
    """The modality a later mention takes from the event it refers back to: "the
    deployment", "such a deployment", "the plan" after a decision or talks to deploy
    report that deployment, still planned or possible, not one that happened. A bare
    noun with no cue, no light verb and no date of its own says nothing new about
    whether the event happened, so while every earlier mention of its type was planned or
    possible (none asserted), it takes the latest one's modality. Only a plain definite
    reference refers back ("the deployment", "such a deployment"; not "a new round of
    sanctions", "the latest test"). Seen in demo-corpus and Korea Herald articles where a
    deployment is disputed before it happens, and in talks and tests spoken of before
    they are held."""
    token = trigger.token
    if (
        token.pos_ not in ("NOUN", "PROPN")
        or not any(c.lower_ in trigger.lexicon.words.referring_determiners for c in token.children)
        or any(c.dep_ in ("amod", "nummod") for c in token.children)
        or trigger.support is not None
        or modality.cue is not None
        or record.modality != ASSERTED
        or own_date(record)
    ):
        return None
    return state.unrealised.get(record.event_type)
