"""Roles of a trigger: who did it, with whom, to whom, where, with what.

:func:`trigger_roles` finds the tokens that fill each role: agents (``nsubj``, passive
``agent``, possessor, country modifiers, subjects inherited through ``xcomp``/``advcl``/
``conj``), co-parties ("with", "between"), targets ("toward Japan") and places ("in South
Korea", "into the Sea of Japan", "over Hokkaido"). Roles become canonical entities through
the normaliser's span extensions (:func:`countries_of`, :func:`location_of`,
:func:`weapons_of`); actors are countries (an organisation without a country, like the UN
Security Council, stands for itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from flashpoint.nlp.events.entities import (
    EntityIndex,
    entity_country,
    entity_type,
    np_countries,
    span_extension,
)
from flashpoint.nlp.events.records import (
    Trigger,
)
from flashpoint.nlp.events.syntax import (
    CONJ_DEP,
    LAUNCH_TYPES,
    OBJECT_DEPS,
    POBJ_DEP,
    POSS_DEP,
    PREP_DEP,
    SUBJECT_DEPS,
    clause_head,
    conj_root,
    expand_conjuncts,
    is_passive,
    noun_phrase,
    prep_objects,
    verb_objects,
    verb_subjects,
)
from flashpoint.nlp.events.vocabulary import (
    WordSets,
)

# Through these a verb without its own subject takes its head's ("after meeting", "agreed
# to deploy", "fired missiles and threatened ...").
SUBJECT_INHERIT_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "acomp", "prep"})


SYMMETRIC_TYPES = frozenset({"meeting", "exercise"})


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(slots=True)
class Roles:
    """Token heads filling each role of one trigger."""

    agents: list[Token] = field(default_factory=list)
    parties: list[Token] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    places: list[Token] = field(default_factory=list)
    agent_from: str = "none"  # syntax|inherited|none


def _subject_of(verb: Token, words: WordSets) -> tuple[list[Token], str]:
    """Agents of a verb: its subject, the "by" phrase of a passive, or the subject it
    inherits from the verb it depends on ("after meeting", "agreed to deploy")."""
    current = verb
    how = "syntax"
    for _ in range(6):
        passive = is_passive(current)
        if passive or current.dep_ == "acl":
            agents = [o for _, o in prep_objects(current, words.agent_preps)]
            if agents:
                return expand_conjuncts(agents), how
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects and not passive:
            subject = subjects[0]
            if subject.lower_ in words.relative_pronouns and current.dep_ == "relcl":
                return [current.head], how
            return expand_conjuncts([subject]), how
        if current.dep_ == "relcl" and not passive:
            return [current.head], how
        if current.dep_ == "acl" and not passive:
            enactor = _enacting_verb(current.head, words)
            if enactor is not None:
                return _subject_of(enactor, words)
        if passive or current.dep_ in ("relcl", "acl"):
            break
        dep = current.dep_
        head = current.head
        if head == current:
            break
        if dep == "xcomp":
            controllers = [c for c in head.children if c.dep_ in OBJECT_DEPS]
            if controllers and head.lemma_.lower() not in words.subject_control_verbs:
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


def _enacting_verb(noun: Token, words: WordSets) -> Token | None:
    """The verb that enacts a bill or resolution ("the council voted in favor of a
    resolution toughening sanctions", "adopted a resolution imposing sanctions"): whoever
    enacts the instrument is who imposes what it carries, so its subject is the agent of
    the instrument's own verb."""
    if noun.lemma_.lower() not in words.instrument_nouns or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    current = noun
    for _ in range(6):
        if current.dep_ not in INSTRUMENT_PATH_DEPS or current.head == current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current if current.lemma_.lower() in words.enactment_verbs else None
    return None


def _speakers_at(noun: Token, words: WordSets) -> list[Token]:
    """Who spoke or agreed at a meeting named as the setting of that act: "Abe and Obama
    agreed in a telephone call", "During the conversation, Xi said", "told Seoul in a
    call": a speech act takes place among the meeting's parties, so its subject is one.
    Only speech and agreement verbs: "North Korea fired a missile during the summit" puts
    no launcher at the summit. Pronoun speakers ("During the meeting they agreed") are left
    to the mentions before. (Demo article on the fifth nuclear test, Reuters
    isot-1be5338a25e7, isot-61916bd1b6cf, isot-78d4a88d5306.)"""
    prep = noun.head
    if noun.dep_ != POBJ_DEP or prep.lower_ not in words.setting_preps:
        return []
    verb = prep.head
    lemma = verb.lemma_.lower()
    if verb.pos_ not in ("VERB", "AUX") or not (
        lemma in words.reporting_lemmas
        or lemma in words.subject_control_verbs
        or lemma in words.speech_act_verbs
    ):
        return []
    subjects, _ = _subject_of(verb, words)
    return subjects


def trigger_roles(trigger: Trigger, entities: EntityIndex) -> Roles:
    """Which tokens are the agents, co-parties, objects, targets and places of a trigger."""
    token = trigger.token
    roles = Roles()
    anchors = [token] if trigger.support is None else [token, trigger.support]
    if token.pos_ == "VERB":
        if trigger.spec.role == "subject":
            roles.objects = verb_subjects(token, trigger.lexicon.words)  # the missile that flew
        else:
            roles.agents, roles.agent_from = _subject_of(token, trigger.lexicon.words)
            roles.objects = verb_objects(token, trigger.lexicon.words)
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
            for _, o in prep_objects(token, trigger.lexicon.words.agent_preps | frozenset({"from"}))
            if np_countries(o, entities) and trigger.event_type in LAUNCH_TYPES | {"sanction"}
        ]
        if token.dep_ == CONJ_DEP:  # "North Korea's nuclear and missile tests"
            first = conj_root(token)
            agents += [c for c in first.children if c.dep_ == POSS_DEP]
        roles.agents = expand_conjuncts(agents)
        roles.agent_from = "syntax" if roles.agents else "none"
        if trigger.support is not None:
            subjects, how = _subject_of(trigger.support, trigger.lexicon.words)
            if subjects:
                roles.agents = roles.agents + [s for s in subjects if s not in roles.agents]
                roles.agent_from = how if roles.agent_from == "none" else roles.agent_from
        roles.objects = [o for _, o in prep_objects(token, frozenset({"of"}))]
    for anchor in anchors:
        party_preps = trigger.spec.party_preps or trigger.lexicon.words.party_preps
        roles.parties.extend(o for _, o in prep_objects(anchor, party_preps))
        for prep, obj in prep_objects(anchor, trigger.lexicon.words.target_preps):
            if prep in ("at", "on") and trigger.event_type != "sanction":
                roles.places.append(obj)
            else:
                roles.targets.append(obj)
        for _, obj in prep_objects(
            anchor, trigger.lexicon.words.place_preps - trigger.lexicon.words.target_preps
        ):
            roles.places.append(obj)
    # Prepositional phrases often attach to the object: "fired missiles into the sea",
    # "the deployment of THAAD in South Korea".
    for obj in roles.objects:
        roles.places.extend(
            o
            for _, o in prep_objects(
                obj,
                trigger.lexicon.words.place_preps
                - {"from", "at", "on"}
                - trigger.lexicon.words.target_preps,
            )
        )
        if trigger.event_type == "sanction":
            roles.targets.extend(o for _, o in prep_objects(obj, frozenset({"on", "against"})))
    if (
        trigger.event_type == "sanction"
        and trigger.support is None
        and token.pos_ != "VERB"
        and token.dep_ in SUBJECT_DEPS | OBJECT_DEPS | {"nsubjpass"}
        and token.head.pos_ == "VERB"
    ):
        # "the strongest sanctions ever assembled against Kim Jong Un": what the verb
        # governing the sanctions aims them at is their target (plain linguistics), not
        # a country of the clause that could impose them.
        roles.targets.extend(o for _, o in prep_objects(token.head, frozenset({"on", "against"})))
    if trigger.event_type == "meeting":
        if token.pos_ == "VERB" and trigger.spec.object_party:
            # "Lavrov met Kishida", "Moon visited Washington", "Guterres told the Security
            # Council": the other side is the object.
            roles.parties.extend(o for o in roles.objects if np_countries(o, entities))
        if token.pos_ != "VERB" and not roles.agents:
            speakers = _speakers_at(token, trigger.lexicon.words)
            if speakers and not all(
                is_pronoun_like(s, entities, trigger.lexicon.words) for s in speakers
            ):
                roles.agents, roles.agent_from = speakers, "syntax"
        if token.pos_ != "VERB":
            for child in token.children:
                if child.dep_ == PREP_DEP and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == POBJ_DEP:
                            roles.parties.append(obj)
                            roles.parties.extend(
                                o for _, o in prep_objects(obj, trigger.lexicon.words.party_preps)
                            )
    return roles


def asset_owners(
    assets: Iterable[Token], entities: EntityIndex, words: WordSets
) -> tuple[list[str], list[str]]:
    """Whose forces a deployment moves, from the phrase of what is deployed: the countries
    it names ("U.S. bombers", "Russia's Pacific Fleet", "components of a U.S. THAAD
    battery"), and apart the operators the gazetteer gives for the weapons it names
    ("THAAD launchers", "B-1B bombers"). Places ("the Seongju battery"), makers ("U.S.-made")
    and countries conjoined with the asset (a misparse of "the launchers, Seoul and
    Washington ...") name no owner.

    The deployer of forces is the country they belong to, not a host that agreed to take
    them ("Seoul agreed to host a U.S. battery") nor whoever a clause also names: the
    labelling guide's actor is who did it, and the gold gives the owner of the forces in
    demo-corpus, Korea Herald, Reuters and news-cluster articles alike.
    """
    named: list[str] = []
    operators: list[str] = []
    for token in assets:
        for ent in entities.in_tokens(noun_phrase(token)):
            country = entity_country(ent)
            kind = entity_type(ent)
            if not country or not country.startswith("country:") or kind == "place":
                continue
            if any(t.head.lemma_.lower() in words.maker_verbs for t in ent):
                continue
            if kind == "country" and ent.root.dep_ in (CONJ_DEP, "appos"):
                continue  # a country beside the asset, not its owner (a misparse, mostly)
            found = operators if kind == "weapon" else named
            if country not in found:
                found.append(country)
    return named, operators


def countries_of(tokens: Iterable[Token], entities: EntityIndex) -> list[str]:
    out: list[str] = []
    for token in tokens:
        for country in np_countries(token, entities):
            if country not in out:
                out.append(country)
    return out


def is_pronoun_like(token: Token, entities: EntityIndex, words: WordSets) -> bool:
    return entities.of(token) is None and (
        token.lower_ in words.pronouns
        or token.pos_ == "PRON"
        or token.lower_ in words.generic_agent_heads
    )


def agrees_in_number(pronouns: list[Token], antecedent: Token, words: WordSets) -> bool:
    """ "officials said ... when it put its first satellite into orbit": "it" cannot stand
    for a plural noun phrase, so a plural reporter is not the antecedent of a singular
    pronoun; the pronoun is left to the clauses above it and the article's memory."""
    singular = all(p.lower_ in words.singular_neuter_pronouns for p in pronouns)
    return not (singular and antecedent.tag_ in ("NNS", "NNPS"))


def is_person(token: Token, entities: EntityIndex) -> bool:
    """A named person ("Prime Minister Shinzo Abe"), by the entity the token heads."""
    ent = entities.of(token)
    return ent is not None and (ent.label_ == "PERSON" or entity_type(ent) == "person")


def may_refer_to(
    pronouns: list[Token], antecedent: Token, entities: EntityIndex, words: WordSets
) -> bool:
    """Whether the pronoun agents can stand for ``antecedent``: in number
    (:func:`agrees_in_number`) and in animacy -- "it" and "its" never stand for a person,
    so "North Korea must be punished for its launch, Abe said" does not make Abe's country
    the launcher (plain linguistics)."""
    if not agrees_in_number(pronouns, antecedent, words):
        return False
    neuter = all(p.lower_ in words.singular_neuter_pronouns for p in pronouns)
    return not (neuter and is_person(antecedent, entities))


def clause_agents(verb: Token, words: WordSets) -> list[Token]:
    """Who does what ``verb`` says, pronouns left out: its subject, or the object of a
    verb that controls it ("urged Seoul and Washington to suspend ...": Seoul and
    Washington). A possessive in the verb's object stands for them ("urged Seoul and
    Washington to suspend their drills"), not for the subject of the clause above."""
    agents, _ = _subject_of(verb, words)
    return [a for a in agents if a.pos_ != "PRON"]


def governing_subjects(verb: Token) -> list[Token]:
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


def clause_tokens(trigger: Trigger, exclude: Iterable[Token]) -> list[Token]:
    """Tokens of the clause the trigger belongs to, minus role phrases to leave out."""
    head = clause_head(trigger.clause_verb)
    skip: set[int] = set()
    for token in exclude:
        skip.update(t.i for t in token.subtree)
    return [t for t in head.subtree if t.i not in skip]


# What a launch or deployment moves: the country that owns it is the one moving it.
OWNED_TYPES = LAUNCH_TYPES | frozenset({"deployment"})


def owners_of(trigger: Trigger, roles: Roles, entities: EntityIndex) -> list[str]:
    """Countries named as owners of what was launched or deployed, or as the launch site,
    for a trigger whose clause names no agent: "a North Korean missile flew over
    Hokkaido", "U.S. bombers flew over Osan", "the arrival of a U.S. THAAD battery", "a
    missile launched from a North Korean warship" (plain linguistics: a nationality
    modifier or a possessor names whose the weapon or force is, and a weapon is fired or
    sent by whoever owns it; where a launch starts is the launcher's ground). A country
    that is itself the object or origin is no owner's modifier and counts only as the
    origin of a launch. Class seen in the demo corpus, Reuters (isot-78d4a88d5306) and
    news-cluster (g5w-ec0f1c56574624c7) dev articles."""
    if trigger.event_type not in OWNED_TYPES:
        return []
    found: list[str] = []
    for obj in roles.objects:
        ent = entities.of(obj)
        if ent is not None and entity_type(ent) in ("country", "place"):
            continue  # "the launch of North Korea": not a weapon or a force
        found += [c for c in np_countries(obj, entities) if c not in found]
    if trigger.event_type in LAUNCH_TYPES:
        anchors = [trigger.token] if trigger.support is None else [trigger.token, trigger.support]
        for anchor in anchors:
            for _, origin in prep_objects(anchor, frozenset({"from"})):
                found += [
                    c
                    for c in np_countries(origin, entities)
                    if c.startswith("country:") and c not in found
                ]
    return found


def location_of(places: list[Token], entities: EntityIndex) -> str | None:
    for token in places:
        for inner in [token, *noun_phrase(token)]:
            ent = entities.of(inner)
            if ent is None:
                continue
            kind = entity_type(ent)
            entity_id = span_extension(ent, "entity_id")
            if kind in ("place", "country") and entity_id:
                return entity_id
            if ent.label_ in PLACE_LABELS and kind in (None, "place", "country"):
                return entity_id or ent.text
    return None


def location_country(places: list[Token], entities: EntityIndex) -> str | None:
    for token in places:
        for country in np_countries(token, entities):
            if country.startswith("country:"):
                return country
    return None


def weapons_of(trigger: Trigger, roles: Roles, sent: Span, entities: EntityIndex) -> list[str]:
    """WEAPON entities in the trigger's own phrase or objects, else in its clause, else in
    the sentence (launches and deployments only)."""
    near: list[Token] = list(noun_phrase(trigger.token))
    for obj in roles.objects:
        near.extend(noun_phrase(obj))
    scopes: list[Iterable[Token]] = [near]
    if trigger.event_type == "deployment":
        scopes.append(clause_tokens(trigger, []))
    for scope in scopes:
        found: list[str] = []
        for ent in entities.in_tokens(scope):
            if entity_type(ent) == "weapon":
                weapon = span_extension(ent, "entity_id") or ent.text
                if weapon not in found:
                    found.append(weapon)
        if found:
            return found
    return []
