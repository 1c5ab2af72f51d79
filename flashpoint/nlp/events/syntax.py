"""The terms event extraction is written in: dependency labels (ClearNLP style) and small
questions about a clause's syntax (the words they look for are sets of
:class:`~flashpoint.nlp.events.vocabulary.WordSets`, passed in or reached through the trigger's
lexicon).

Noun phrases, conjuncts and prepositional objects; a verb's subjects and objects; the
reporting clause above a clause; tense (:func:`is_past`, :func:`is_perfect`) and whether a
mention names a kind of event rather than one event (:func:`is_generic`). It imports no
other stage (only the vocabulary), so every stage may use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.tokens import Token

from flashpoint.nlp.events.vocabulary import (
    WordSets,
)

if TYPE_CHECKING:
    from flashpoint.nlp.events.records import Trigger


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


# Where a launch or test happened is the launching country, not where the missile landed.
LAUNCH_TYPES = frozenset({"missile_launch", "nuclear_test"})


# UN sanctions can only be imposed by the Security Council (UN Charter, Chapter VII).
SANCTIONING_BODIES = {"org:un": "org:unsc"}


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


def conj_root(token: Token) -> Token:
    for _ in range(8):
        if token.dep_ != CONJ_DEP or token.head == token:
            break
        token = token.head
    return token


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", *PASSIVE_SUBJECT_DEPS) for c in verb.children)


def verb_objects(verb: Token, words: WordSets) -> list[Token]:
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
            own_subject and own_subject[0].lower_ not in words.relative_pronouns
        ):
            objects = [verb.head]
    if not objects and verb.dep_ == CONJ_DEP:
        first = conj_root(verb)
        if first.pos_ == "VERB":
            objects = [c for c in first.children if c.dep_ in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
    return expand_conjuncts(objects)


def verb_subjects(verb: Token, words: WordSets) -> list[Token]:
    """What a verb says something about: "the *missile* flew", "the *rocket*, which blasted
    off", "the *rocket* flying through the sky"."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects and subjects[0].lower_ in words.relative_pronouns and verb.dep_ == "relcl":
        return [verb.head]
    if not subjects and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]
    if not subjects and verb.dep_ in (CONJ_DEP, "advcl", "xcomp"):
        return verb_subjects(verb.head, words) if verb.head != verb else []
    return expand_conjuncts(subjects)


NOMINAL_DEPS = frozenset(
    {"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos", "compound", "poss"}
)


def pos_key(token: Token) -> str | None:
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


def reporting_source(token: Token, words: WordSets) -> Token | None:
    """The subject of the reporting verb whose complement holds ``token``, or the
    possessor of a noun of saying ("North Korea's claim that it had tested a missile":
    plain linguistics, the noun's clause is its content as a verb's complement is)."""
    current = token
    for _ in range(8):
        if (
            current.dep_ in ("acl", "ccomp")
            and current.head.pos_ == "NOUN"
            and current.head.lemma_.lower() in words.reporting_nouns
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in current.children)
        ):
            owners = [c for c in current.head.children if c.dep_ == POSS_DEP]
            return owners[0] if owners else None
        if (
            current.dep_ in ("ccomp", "parataxis")
            and current.head.lemma_.lower() in words.reporting_lemmas
        ):
            subjects = [c for c in current.head.children if c.dep_ in SUBJECT_DEPS]
            return subjects[0] if subjects else None
        if current.head == current:
            break
        current = current.head
    root = token.sent.root
    if root.lemma_.lower() in words.reporting_lemmas and root != token:
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS and child.i > token.i:
                return child
    return None


def clause_head(token: Token) -> Token:
    head = token
    for _ in range(10):
        if head.pos_ in ("VERB", "AUX") or head.head == head:
            break
        head = head.head
    return head


def path_to(token: Token, ancestor: Token) -> list[Token]:
    path = []
    current = token
    for _ in range(30):
        if current == ancestor or current.head == current:
            break
        path.append(current)
        current = current.head
    return path


def is_perfect(verb: Token) -> bool:
    """ "has deployed", "had been stationed": a state reached at some time before now,
    not the day's news, so a deployment so reported gets no publication date."""
    return any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" and c.i < verb.i for c in verb.children
    )


def is_past(verb: Token, words: WordSets) -> bool:
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
            return reporting_source(current, words) is not None  # backshift under "said"
        if auxes and not (lowers == {"to"} and current.dep_ == "xcomp"):
            return False  # "agreed to strengthen ...": the tense is the governing verb's
        if current.dep_ in ("xcomp", "pcomp", "advcl", "conj", "acomp") and current.head != current:
            current = current.head if current.head.pos_ != "ADP" else current.head.head
            continue
        return False
    return False


def is_generic(trigger: Trigger) -> bool:
    """A kind of event rather than one event: "missile launches", "such tests", "has
    launched dozens of missiles". Generic mentions take no date from context."""
    token = trigger.token
    if pos_key(token) != "VERB" or trigger.support is not None:
        if trigger.support is not None and _habitual_bare_plural(trigger.support, token):
            return True
        if trigger.support is not None or not _plural_noun(token):
            generic = trigger.lexicon.words.generic_determiners - {"new"}
            if trigger.support is not None and is_past(trigger.support, trigger.lexicon.words):
                generic -= (
                    trigger.lexicon.words.demonstratives
                )  # "those drills were being conducted": the ones named
            return any(c.lower_ in generic for c in token.children if c.dep_ in ("det", "amod"))
        dets = [c for c in token.children if c.dep_ in ("det", POSS_DEP, "amod", "nummod")]
        if token.pos_ == "VERB":
            dets += _left_determiners(token)
        if trigger.event_type == "sanction" and any(
            d.lower_ in trigger.lexicon.words.anaphoric_plurals for d in dets
        ):
            return False  # "retaliation for these sanctions": one package, named in plural
        if any(d.lower_ in trigger.lexicon.words.generic_determiners for d in dets):
            return True
        if _partitive_of(token, trigger.lexicon.words):
            return True  # "most of North Korea's missile tests": a share of a set of events
        if token.dep_ == POBJ_DEP and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            # "the flurry of military drills", "the latest round of sanctions"
            dets += [c for c in token.head.head.children if c.dep_ in ("det", POSS_DEP)]
        return not any(
            d.lower_ in trigger.lexicon.words.determiners_definite or d.dep_ in (POSS_DEP, "nummod")
            for d in dets
        )
    if trigger.event_type == "sanction":
        return False  # "it also bans exports of copper": the goods, not a kind of event
    objects = verb_objects(token, trigger.lexicon.words)
    for obj in objects:
        if obj.tag_ in ("NNS", "NNPS"):
            quantities = [
                c for c in obj.children if c.dep_ in ("det", "nummod", "amod", "quantmod")
            ]
            if not quantities or any(
                c.lower_
                in trigger.lexicon.words.vague_quantities
                | trigger.lexicon.words.generic_determiners
                for c in quantities
            ):
                return True
        if obj.lower_ in trigger.lexicon.words.vague_quantities:
            return True
    return False


def states_a_kind(trigger: Trigger) -> bool:
    """A statement about a kind of event, not a report of occurrences: a generic mention
    (:func:`is_generic`) that is the object of a prohibiting verb ("the CTBT that forbids
    nuclear tests": what a treaty bans is a kind of act), or that a kind determiner
    quantifies over in a clause in the simple present ("the Council condemns all
    launches", "such launches are unacceptable"). "Such tests were a violation" reports
    past tests and is not one; nor is "opposes missile launches", which the labelling
    guide reads as the launches that happened."""
    token = trigger.token
    if (pos_key(token) == "VERB" and trigger.support is None) or not is_generic(trigger):
        return False
    words = trigger.lexicon.words
    verb = trigger.support if trigger.support is not None else token.head
    if token.dep_ in OBJECT_DEPS and verb.lemma_.lower() in words.prohibiting_verbs:
        return True
    quantified = any(
        c.lower_ in words.kind_determiners
        for c in token.children
        if c.dep_ in ("det", "amod", "predet")
    )
    return (
        quantified
        and token.dep_ in SUBJECT_DEPS | OBJECT_DEPS
        and verb.tag_ in ("VBP", "VBZ")
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


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
    return token.tag_ in ("NNS", "NNPS") or (token.tag_ == "VBZ" and pos_key(token) == "NOUN")


def _partitive_of(token: Token, words: WordSets) -> bool:
    """A plural event noun counted by a vague quantity through "of" ("most of North
    Korea's tests had failed"): the mention is about a share of many events, however
    definite the set's own determiner, so it has no one date."""
    head = token.head
    return (
        _plural_noun(token)
        and token.dep_ == POBJ_DEP
        and head.lower_ == "of"
        and head.head.lower_ in words.partitive_quantities
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


def counts_its_sides(token: Token, side_counts: frozenset[str]) -> bool:
    """ "the two leaders", "both sides", "the three sides": a plural that counts its sides."""
    return token.tag_ in ("NNS", "NNPS") and any(
        c.dep_ in ("nummod", "det", "predet") and c.lower_ in side_counts for c in token.children
    )
