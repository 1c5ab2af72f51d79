"""Trigger words: the words of a sentence that name an event of a known type.

The trigger lexicon (data/lexicons/event_triggers.jsonl) lists lemmas (``fire``,
``launch``, ``deployment``, ``talks`` ...), the word classes their object, subject or
modifiers must show ("fired four *missiles*", not "fired the minister"; "the *missile* flew
over Japan") and what may stand in for that evidence when it is missing. A nominal trigger
picks up its support verb ("*held* talks", "*imposed* sanctions"). A bare "the launch" or
"the test" counts when the article is about launches, and takes the type of the last launch
or test. :func:`find_triggers` yields one :class:`~flashpoint.nlp.events.records.Trigger` per
accepted word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from flashpoint.config import resource_path
from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.events.checks import is_multilateral_body
from flashpoint.nlp.events.entities import (
    EntityIndex,
    entity_country,
    entity_type,
    np_countries,
)
from flashpoint.nlp.events.records import (
    ArticleState,
    Lexicon,
    Trigger,
    TriggerSpec,
)
from flashpoint.nlp.events.syntax import (
    CONJ_DEP,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    POBJ_DEP,
    POSS_DEP,
    PREP_DEP,
    SUBJECT_DEPS,
    conj_root,
    counts_its_sides,
    is_passive,
    noun_phrase,
    pos_key,
    prep_objects,
    verb_objects,
    verb_subjects,
)
from flashpoint.nlp.events.vocabulary import (
    WORDS_LEXICON,
    WordSets,
    load_word_sets,
)

TRIGGER_LEXICON = resource_path("lexicons", "event_triggers.jsonl")


PARTY_LABELS = frozenset({"GPE", "NORP", "PERSON", "ORG"})


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
def load_lexicon(path: Path = TRIGGER_LEXICON, words: Path = WORDS_LEXICON) -> Lexicon:
    """Trigger lemmas, word classes and support verbs from the JSONL lexicon, with the word
    sets of ``words``."""
    return build_lexicon(jsonl_objects(path), source=str(path), words=load_word_sets(words))


def build_lexicon(
    rows: Iterable[tuple[str, dict[str, Any]]], source: str, words: WordSets
) -> Lexicon:
    """The lexicon from its rows, each as (where it was read, object): kind ``class``,
    ``support`` or ``trigger``; ``words`` are the named word sets
    (:mod:`~flashpoint.nlp.events.vocabulary`). Errors name the row; ``source`` names the
    whole."""
    triggers: dict[tuple[str, str], list[TriggerSpec]] = {}
    classes: dict[str, frozenset[str]] = {}
    support: frozenset[str] = frozenset()
    for where, row in rows:
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
                not_deps=_frozen(row.get("not_deps")),
                object_party=bool(row.get("object_party", False)),
                requires_body_object=bool(row.get("requires_body_object", False)),
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
        raise ValueError(f"{source}: triggers need undefined classes {sorted(unknown)}")
    return Lexicon(
        triggers={key: tuple(specs) for key, specs in triggers.items()},
        classes=classes,
        support=support,
        words=words,
    )


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


def _support_verb(token: Token, lexicon: Lexicon) -> Token | None:
    """The light verb carrying a nominal trigger: "held talks", "talks were held",
    "imposed sanctions", "took part in drills", also through a noun that counts it out
    ("slapped another round of sanctions", "approved a series of sanctions": plain
    linguistics, the measure noun is the verb's object only grammatically)."""
    head = token.head
    if head == token:
        return None
    if (
        token.dep_ == POBJ_DEP
        and head.lower_ == "of"
        and head.head.pos_ == "NOUN"
        and head.head.lemma_.lower() in lexicon.words.share_nouns
    ):
        return _support_verb(head.head, lexicon)
    if token.dep_ == CONJ_DEP:
        return _support_verb(conj_root(token), lexicon)
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


def _relative_support(token: Token, lexicon: Lexicon) -> Token | None:
    """The light verb of a relative clause whose object the trigger is: "a pact that the
    United States struck with Iran" (plain linguistics: the relative clause's gap is its
    object, so its subject is the agent). Only for triggers that name their light verbs
    (``support_only``): a relative clause elsewhere is often a plan or a judgement of the
    event ("the embargo that Washington had proposed")."""
    for child in token.children:
        if (
            child.dep_ == "relcl"
            and child.pos_ in ("VERB", "AUX")
            and child.lemma_.lower() in lexicon.support
            and not is_passive(child)
            and any(
                c.dep_ in SUBJECT_DEPS and c.lower_ not in lexicon.words.relative_pronouns
                for c in child.children
            )
            and not any(
                c.dep_ in OBJECT_DEPS and c.lower_ not in lexicon.words.relative_pronouns
                for c in child.children
            )
        ):
            return child
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
        first = conj_root(noun)
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


def _destination(token: Token, words: WordSets) -> bool:
    return bool(prep_objects(token, words.destination_preps)) or any(
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


def _elliptical(head: Token) -> bool:
    """ "all three fell into the sea", "three of them came down", "the second climbed to
    1,400 km": a number standing for its noun refers back as a pronoun does (plain
    linguistics: the noun is elided, so the phrase names nothing of its own)."""
    if head.pos_ == "NUM" or head.ent_type_ == "ORDINAL":
        # "three of the missiles" names its noun; "three of them" does not.
        return all(o.pos_ == "PRON" for _, o in prep_objects(head, frozenset({"of"})))
    return False


def _carriers_only(heads: list[Token], lexicon: Lexicon) -> bool:
    """ "B-1B bombers flew over the base", "sent destroyers armed with interceptors": a
    launch verb whose subject or object is an aircraft or a ship reports a flight or a
    dispatch, not a launch, even when the craft is a named weapon or carries missiles
    (the guide: bomber flights are not launches). Dev: sample b-bombers-osan and
    rocket-reaction, Reuters isot-bfacfc6fcc5c (bombers and jets flew from Guam)."""
    carriers = lexicon.classes.get("aircraft", frozenset()) | lexicon.classes.get(
        "vessel", frozenset()
    )
    projectiles = lexicon.classes.get("projectile", frozenset()) | lexicon.classes.get(
        "space", frozenset()
    )
    return bool(heads) and all(_keys(h) & carriers and not _keys(h) & projectiles for h in heads)


def _copula_of(token: Token, words: WordSets) -> Token | None:
    """The copula a predicate hangs on: "is" in "the battery is operational" or in "a unit
    is on combat duty"; None when the word is not the predicate of a copula."""
    head = token.head
    if token.dep_ == "acomp" and head.lemma_.lower() in words.copulas:
        return head
    if (
        token.dep_ == POBJ_DEP
        and head.dep_ == PREP_DEP
        and head.lower_ in words.predicate_preps
        and head.head.lemma_.lower() in words.copulas
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
        if spec.not_passive and is_passive(token):
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
    if support is None and pos == "NOUN" and spec.support_only:
        support = _relative_support(token, lexicon)
    if spec.predicate:
        # What the copula says it of is the evidence: "the *battery* is operational".
        support = _copula_of(token, lexicon.words)
        if support is None:
            return None
    if spec.support_only and (support is None or support.lemma_.lower() not in spec.support_only):
        return None
    pronoun_role = False
    if spec.predicate and support is not None:
        heads = verb_subjects(support, lexicon.words)
        tokens = [t for h in heads for t in noun_phrase(h)]
        pronoun_role = bool(heads) and all(
            h.pos_ == "PRON" and entities.of(h) is None for h in heads
        )
        content = [h for h in heads if h.pos_ != "PRON"]
    elif pos == "VERB":
        heads = (
            verb_subjects(token, lexicon.words)
            if spec.role == "subject"
            else verb_objects(token, lexicon.words)
        )
        tokens = [t for h in heads for t in noun_phrase(h)]
        pronoun_role = bool(heads) and all(
            (h.pos_ == "PRON" and entities.of(h) is None) or _elliptical(h) for h in heads
        )
        if spec.preps:
            tokens += [
                t
                for c in token.children
                if c.dep_ == PREP_DEP and c.lower_ in spec.preps
                for t in c.subtree
            ]
        content = [h for h in heads if h.pos_ != "PRON" and not _elliptical(h)]
        if spec.event_type == "missile_launch" and _carriers_only(content, lexicon):
            return None
        if spec.object_words:
            objects = verb_objects(token, lexicon.words) + [
                o for _, o in prep_objects(token, frozenset({"into", "to"}))
            ]
            if not any(o.lemma_.lower() in spec.object_words for o in objects):
                return None
    else:
        content, tokens = _noun_modifiers(token, entities)
    if spec.requires_object_head and not content:
        return None
    if spec.requires_body_object and not any(
        (ent := entities.of(h)) is not None and is_multilateral_body(entity_country(ent) or "")
        for h in content
    ):
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
        if token.dep_ in spec.not_deps:
            return None  # "the launch was a failure", "claim failure": a judgement of it
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
                preps = spec.party_preps or lexicon.words.party_preps
                accepted = bool(_party_tokens(token, preps, entities)) or (
                    support is not None and bool(_party_tokens(support, preps, entities))
                )
            elif policy == "multi_agent":
                subjects = verb_subjects(token, lexicon.words) if pos == "VERB" else []
                accepted = len(subjects) > 1 or any(
                    s.lower_ in ("both", "two")
                    or counts_its_sides(s, lexicon.words.side_counts)  # "the two leaders"
                    for s in subjects
                )
            elif policy == "foreign_party":
                accepted = _foreign_destination(token, entities, lexicon.words)
            if accepted:
                break
        if not accepted:
            return None
    if spec.sentence_needs and not sentence_classes & spec.sentence_needs and not via_coref:
        return None
    if spec.article_needs and not state.doc_classes & spec.article_needs:
        return None
    if spec.requires_destination and not (
        _destination(token, lexicon.words)
        or (support is not None and _destination(support, lexicon.words))
    ):
        return None
    if spec.requires_weapon and not any(
        entity_type(ent) == "weapon" for ent in entities.in_tokens(tokens)
    ):
        return None
    return _Candidate(spec, support, evidence, bare, via_coref)


def _foreign_destination(token: Token, entities: EntityIndex, words: WordSets) -> bool:
    """A visit or arrival whose destination is a country other than the visitor's."""
    destinations = [o for _, o in prep_objects(token, frozenset({"in", "to", "at"}))]
    hosts = {c for o in destinations for c in np_countries(o, entities)}
    visitors = (
        {c for s in verb_subjects(token, words) for c in np_countries(s, entities)}
        if token.pos_ == "VERB"
        else set()
    )
    visitors |= {
        c
        for child in token.children
        if child.dep_ == POSS_DEP
        for c in np_countries(child, entities)
    }
    return bool(hosts - visitors) and bool(hosts)


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
        pos = pos_key(token)
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
                carried = [t for o in verb_objects(token, lexicon.words) for t in o.subtree]
                is_space = bool(classes_in(carried, lexicon, entities) & spec.space)
            if spec.space and not is_space and "projectile" not in candidate.evidence:
                is_space = (
                    bool(sentence_classes & spec.space) and "projectile" not in sentence_classes
                )
            yield Trigger(
                token,
                spec,
                candidate.support,
                candidate.evidence,
                candidate.bare,
                is_space,
                lexicon,
            )
