"""Modality of an event mention: did it happen, will it, might it, or does someone say so?

A launch that "might" happen or that North Korea "did not" carry out must not land on a
timeline. The modality is read off the dependency path from the trigger up to the clause
that asserts it: negation and modal auxiliaries on the trigger (or its support verb, as in
"held talks"), the verbs that govern it through ``xcomp`` ("plans to deploy", "agreed to
hold talks", "able to fire"), conditional clauses ("if"), nouns that frame it ("plans for",
"the possibility of") and reporting verbs ("KCNA said it had launched", "according to").

Modalities, by precedence: negated > possible > planned > claimed > asserted.

One more modality is given after dating, not here: ``generic``, for a mention that names a
kind of event or a habit rather than one occurrence ("nuclear tests", "several rounds of
sanctions", "the CTBT forbids nuclear tests") and that no date ties to one occurrence
(:func:`flashpoint.nlp.events.extract.extract_events`). Like ``negated``, it is kept in the
events table and never drawn on the timeline or scored as having happened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from flashpoint.config import resource_path

ASSERTED = "asserted"


NEGATED = "negated"


PLANNED = "planned"


POSSIBLE = "possible"


CLAIMED = "claimed"

# A kind of event or a habit, not one occurrence: the labelling guide labels generic and
# habitual mentions only when they refer to particular events (tests/data/README.md).
GENERIC = "generic"


NEG_DEPS = frozenset({"neg"})


AUX_DEPS = frozenset({"aux", "auxpass"})


# Dependencies through which a governing word frames the event below it.
FRAMING_DEPS = frozenset(
    {
        "xcomp",
        "ccomp",
        "pcomp",
        "pobj",
        "dobj",
        "acomp",
        "oprd",
        "prep",
        "advcl",
        "nsubjpass",
        "nsubj",
        "attr",
        "conj",
        "appos",
        "compound",
        "amod",
    }
)


CLAUSE_BOUNDARY_DEPS = frozenset({"relcl", "acl", "parataxis"})


MODALITY_LEXICON = resource_path("lexicons", "modality_cues.json")


CUE_SETS = (
    "negating_verbs",
    "negating_nouns",
    "planning_verbs",
    "planning_adj",
    "planning_nouns",
    "possible_verbs",
    "possible_adj",
    "possible_nouns",
    "reporting_verbs",
    "doubting_verbs",
    "future_aux",
    "possible_aux",
    "conditional_marks",
    "cause_preps",
    "cause_nouns",
    "happening_verbs",
    "definite_markers",
    "attempt_verbs",
    "prospective_preps",
    "halting_words",
    "ongoing_adj",
    "singling_adj",
    "backshift_aux",
)


def load_cues(path: Path = MODALITY_LEXICON) -> dict[str, frozenset[str]]:
    """The cue word sets: long word lists are data, not code.

    A missing set or a non-string entry is an error naming the file, since a silently
    empty set would turn every negated or planned event into an asserted one.
    """
    return build_cues(json.loads(path.read_text(encoding="utf-8")), source=str(path))


def build_cues(raw: object, source: str) -> dict[str, frozenset[str]]:
    """The cue sets from the parsed cue file (an object of word lists, one per CUE_SETS
    name); ``source`` names it in errors."""
    cues: dict[str, frozenset[str]] = {}
    for name in CUE_SETS:
        words = raw.get(name) if isinstance(raw, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"{source}: '{name}' must be a list of words")
        cues[name] = frozenset(w.lower() for w in words)
    return cues


@lru_cache(maxsize=1)
def default_cues() -> dict[str, frozenset[str]]:
    """The cue sets of the shipped cue file, read once."""
    return load_cues()


@dataclass(frozen=True, slots=True)
class ModalityResult:
    """The modality, the word that decided it, and who reports the event (if anyone)."""

    modality: str
    cue: str | None = None
    source: Token | None = None


def _aux_modality(verb: Token, cues: Mapping[str, frozenset[str]]) -> str | None:
    """Negation and modal auxiliaries directly on a verb (or adjective/noun predicate)."""
    result: str | None = None
    for child in verb.children:
        lower = child.lower_
        if child.dep_ in NEG_DEPS:
            return NEGATED
        if child.dep_ in AUX_DEPS or child.tag_ == "MD":
            if lower in cues["future_aux"] or (
                lower in cues["backshift_aux"] and _reported_future(verb, cues)
            ):
                result = result or PLANNED
            elif lower in cues["possible_aux"]:
                result = POSSIBLE
            elif lower in ("going", "gon"):
                result = result or PLANNED
    # "is to deploy", "are set to", "going to": be + xcomp
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and verb.head.i < verb.i:
        marks = [c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"]
        if marks:
            result = result or PLANNED
    return result


def _reported_future(verb: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """ "Seoul said the remaining launchers would be installed soon", "announced that the
    systems would be sent this year": in a clause reported in the past, "would" is the
    reported speaker's "will" shifted back (sequence of tenses), so the event is planned,
    not merely possible; unless a condition hangs on it ("said it would retaliate if ...").
    Plain linguistic grounds; dev: demo-corpus THAAD and Kuril articles (gold planned)."""
    if verb.dep_ != "ccomp" or lemma_of(verb.head) not in cues["reporting_verbs"]:
        return False
    if verb.head.tag_ not in ("VBD", "VBN"):
        return False
    return not any(
        (c.dep_ == "mark" and c.lower_ in cues["conditional_marks"])
        or (c.dep_ == "advcl" and _is_conditional(c, cues))
        for c in verb.children
    )


def _is_cause(prep: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """A preposition that introduces what prompted the governing event ("over the launch",
    "in response to the test"): that event is a given, not framed by the governor's
    modality."""
    lower = prep.lower_
    return lower in cues["cause_preps"] or (
        lower in ("to", "for") and prep.head.lower_ in cues["cause_nouns"]
    )


def _is_conditional(verb: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in cues["conditional_marks"] for c in verb.children)


def _has_particle(verb: Token, particles: set[str]) -> bool:
    return any(c.dep_ == "prt" and c.lower_ in particles for c in verb.children)


def lemma_of(word: Token) -> str:
    return word.lemma_.lower()


def _negating(word: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """A word that negates the event ("call off", "rule out": the particle is checked)."""
    lemma = word.lemma_.lower()
    if lemma == "call":
        return _has_particle(word, {"off"})
    if lemma == "rule":
        return _has_particle(word, {"out"})
    if lemma in ("delay", "postpone", "oppose"):
        return False  # delayed or opposed events are still planned, handled below
    return (word.pos_ in ("VERB", "AUX") and lemma in cues["negating_verbs"]) or (
        word.pos_ in ("NOUN", "PROPN") and lemma in cues["negating_nouns"]
    )


# Support verbs that carry out the event rather than seek it: "agreed sanctions", "called
# an emergency meeting", "ordered drills", "set talks" (their plans are read elsewhere).
SUPPORT_DONE = frozenset(
    {"agree", "announce", "approve", "be", "begin", "call", "confirm", "finalize", "go"}
    | {"move", "order", "resolve", "set", "start"}
)


def _support_modality(verb: Token, cues: Mapping[str, frozenset[str]]) -> str | None:
    """The light verb of a nominal trigger that itself seeks or weighs the event:
    "weighing new measures", "sought tougher sanctions", "proposed talks" (possible);
    "prepared sanctions", "scheduled talks" (planned). The governing verbs above a trigger
    are cues already; the support verb is the same word in the same role. Only in the
    active voice: "the exercise had been planned well before" is about one that happened,
    and passives are read by the adjective cues ("scheduled"). Plain
    linguistic grounds; dev: demo japan-reaction-fifth-test, Korea Herald kh-940710f3cef8,
    Reuters isot-7cd4c6502279."""
    lemma = verb.lemma_.lower()
    if lemma in SUPPORT_DONE or _has_particle(verb, {"through", "ahead"}):
        return None
    if lemma in cues["possible_verbs"]:
        return POSSIBLE
    if lemma in cues["planning_verbs"]:
        return PLANNED
    return None


def _sought_for(prep: Token) -> bool:
    """ "preparing for a first meeting", "would push for tougher sanctions", "pressed for
    new UN sanctions": what a planning verb (or "press") works for is planned or sought,
    as its object would be ("prepare a meeting"). Only "for": "agreed at the talks",
    "pressed ahead with the drills" are settings. Plain linguistic grounds (dev: demo
    tillerson-meets-xi-beijing)."""
    return prep.dep_ == "prep" and prep.lower_ == "for"


def _failure_of_what_happened(verb: Token, dep: str) -> bool:
    """ "the launch failed", "the talks failed to produce a deal", "a missile failed soon
    after launch": what fails as subject, or around which it fails, took place (the
    guide counts a failed launch as a launch); only what one "failed to" do did not.
    Plain linguistic grounds; seen in dev in the demo corpus (slbm-500km,
    abe-putin-moscow-kurils) and Korea Herald (kh-b992803c7f3c)."""
    return verb.lemma_.lower() == "fail" and dep != "xcomp"


def prospective(prep: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """ "ahead of the drills", "in advance of the summit": the preposition and the word it
    hangs from put the event after the clause they modify, so it is still to come ("on the
    eve of" is left out: it is often told looking back). Plain linguistic grounds; the dev
    gold labels such events planned in Reuters, news-cluster and Korea Herald articles."""
    return (
        prep.dep_ == "prep"
        and prep.head != prep
        and f"{prep.head.lower_} {prep.lower_}" in cues["prospective_preps"]
    )


def _planned_to_happen(
    verb: Token, cues: Mapping[str, frozenset[str]], *, light: bool = False
) -> bool:
    """ "(the drills) are scheduled to begin", "(the exercise,) which is due to start",
    "drills slated to take place": the event noun is the subject of a planning participle
    or adjective whose complement is the event taking place, so it is planned. ``light``:
    ``verb`` is the event's own light verb ("the drills were scheduled to coincide with
    the visit"), so any complement will do. Without a complement the planning word says
    nothing of the future ("the exercise had been planned well before the test" took
    place). Plain linguistic grounds (the guide: scheduled events are planned); dev: demo
    thaad-first-elements-osan ("is due to start next week")."""
    predicates = [verb] + [c for c in verb.children if c.dep_ == "acomp"]
    planning = any(
        (p.tag_ == "VBN" and lemma_of(p) in cues["planning_verbs"] - {"be", "go", "begin"})
        or p.lower_ in cues["planning_adj"]
        for p in predicates
    )
    if not planning:
        return False
    for predicate in predicates:
        for comp in predicate.children:
            if comp.dep_ != "xcomp" or not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in comp.children
            ):
                continue
            if (
                light
                or lemma_of(comp) in cues["happening_verbs"]
                or any(c.dep_ == "auxpass" for c in comp.children)
            ):
                return True
    return False


def _infinitival_relative(verb: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """ "the destroyers to be deployed to Japan", "troops to be sent": an infinitival
    relative clause on a noun tells what is still to be done with it, so the event is
    planned; unless the noun is singled out ("the first country to deploy the system",
    "the only navy to send ships"), where it tells what happened. Not a noun's own
    complement ("the order to launch", "an opportunity to visit": ``acl``), which the
    planning and possibility nouns read. Plain linguistic grounds; seen in the full
    corpus's Korea Herald articles."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in ("NOUN", "PROPN"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    return not any(c.lower_ in cues["singling_adj"] or c.tag_ == "JJS" for c in verb.head.children)


def _halt_sought(trigger: Token, halt: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """ "urged Washington to halt the deployment", "called for a halt to the deployment",
    "demanded that ongoing drills be suspended": halting or suspending presupposes that
    the activity is under way, and when the halt is only sought (urged, called for,
    demanded) nothing stopped it: the deployment or exercise itself happened. Only for a
    definite or ongoing event noun ("the deployment", "their drills", "ongoing drills"; not
    "in exchange for a halt to drills", which speaks of future ones). Plain linguistic
    grounds (the presupposition of "stop"); dev: four demo-corpus THAAD articles, Korea
    Herald kh-3b3002672a42."""
    if lemma_of(halt) not in cues["halting_words"] or trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    if not (
        _definite(trigger, cues)
        or any(c.dep_ == "amod" and c.lower_ in cues["ongoing_adj"] for c in trigger.children)
    ):
        return False
    current, via_for = halt, False
    for _ in range(3):
        if current.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl"):
            return False
        via_for = via_for or (current.dep_ == "prep" and current.lower_ == "for")
        current = current.head
        lemma = lemma_of(current)
        if lemma in cues["possible_verbs"] or current.lower_ in cues["possible_nouns"]:
            return lemma != "call" or via_for or _has_particle(current, {"for"})
    return False


def _according_to(token: Token) -> Token | None:
    """The source of "according to X" governing the clause of ``token``."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            for grand in child.children:
                if grand.lower_ == "to":
                    for obj in grand.children:
                        if obj.dep_ == "pobj":
                            return obj
                if grand.dep_ == "pobj":
                    return grand
        if child.dep_ == "prep" and child.lower_ == "to" and child.head.lower_ == "according":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def event_modality(
    trigger: Token,
    support: Token | None = None,
    *,
    speaks_for_actor: Callable[[Token], bool] | None = None,
    cues: Mapping[str, frozenset[str]] | None = None,
    ongoing: bool = False,
) -> ModalityResult:
    """The modality of the event whose trigger word is ``trigger``.

    ``support`` is the light verb of a nominal trigger ("held" in "held talks").
    ``speaks_for_actor(source)`` says whether a reporting source is the actor itself or
    its mouthpiece ("KCNA said it had launched"): such reports are ``claimed``; a third
    party's report ("Seoul's military said the North fired") stays ``asserted``.
    ``cues`` are the word sets of :func:`load_cues` (None: the shipped cue file).
    ``ongoing``: the event is an activity that goes on for a while (a deployment, an
    exercise), so a halt sought for it presupposes it is under way (:func:`_halt_sought`).
    """
    if cues is None:
        cues = default_cues()
    found: list[tuple[str, str]] = []  # (modality, cue)
    source: Token | None = None
    claimed_cue: str | None = None

    def note(modality: str, cue: Token) -> None:
        found.append((modality, cue.text))

    heads = [trigger] if support is None else [trigger, support]
    if support is not None and trigger.dep_ not in ("nsubjpass", "nsubj"):
        support_cue = _support_modality(support, cues)
        if support_cue:
            note(support_cue, support)
    subject_of = support if support is not None else trigger.head
    if (
        trigger.dep_ in ("nsubj", "nsubjpass")
        and trigger.head == subject_of
        and _planned_to_happen(subject_of, cues, light=support is not None)
    ):
        note(PLANNED, subject_of)
    if support is None and _infinitival_relative(trigger, cues):
        note(PLANNED, trigger)
    for head in heads:
        aux = _aux_modality(head, cues)
        if aux:
            note(aux, head)
        if _is_conditional(head, cues):
            note(POSSIBLE, head)
        for child in head.children:
            lower = child.lower_
            if child.dep_ == "det" and lower in ("no",) and head.pos_ in ("NOUN", "PROPN"):
                note(NEGATED, child)
            if child.dep_ in ("amod", "compound") and lower in (
                "possible",
                "potential",
                "hypothetical",
                "imminent",
                "likely",
                "feared",
                "suspected",
                "alleged",
            ):
                note(POSSIBLE, child)
            if child.dep_ in ("amod", "compound") and lower in (
                "planned",
                "upcoming",
                "proposed",
                "scheduled",
                "future",
                "next",
                "expected",
                "forthcoming",
                "prospective",
                "further",
            ):
                note(PLANNED if lower != "proposed" else POSSIBLE, child)
            if child.dep_ == "neg" and lower in ("never",):
                note(NEGATED, child)
            if (
                child.dep_ in ("relcl", "acl")
                and head.pos_ in ("NOUN", "PROPN")
                and _planned_to_happen(child, cues)
            ):
                note(PLANNED, child)
        acc = _according_to(head)
        if acc is not None:
            source = acc

    # Walk up the governing words.
    current = support if support is not None else trigger
    steps = 0
    while current.dep_ not in ("ROOT",) and current.head != current and steps < 12:
        steps += 1
        dep = current.dep_
        head = current.head
        if dep == "advcl" and current.tag_ == "VBD" and _past_time_clause(current):
            break  # "will install ... after North Korea launched a missile": that happened
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
            # "its plan to launch", "the possibility of a test", "a decision to deploy"
            if head.lower_ in cues["possible_nouns"]:
                note(POSSIBLE, head)
            elif head.lower_ in cues["planning_nouns"]:
                note(PLANNED, head)
            break
        if dep in CLAUSE_BOUNDARY_DEPS:
            break
        if dep == "pobj" and prospective(head, cues):
            note(PLANNED, head.head)
            break  # "fired a missile ahead of the drills": they are still to come
        if dep == "pobj" and _is_cause(head, cues):
            break  # "will impose sanctions in response to Sunday's launch": a given
        if _presupposed_topic(current, trigger, cues):
            break  # "warned that holding the drills would be like throwing fuel on a fire"
        lemma = head.lemma_.lower()
        lower = head.lower_
        if (
            lemma_of(head) == "reject"
            and dep == "dobj"
            and any(c.dep_ in ("det", "poss") and c.lower_ != "a" for c in current.children)
        ):
            break  # "rejected the UN resolution": it was adopted; rejecting is a reaction
        if (
            _negating(head, cues)
            and not _failure_of_what_happened(head, dep)
            and dep
            in (
                "xcomp",
                "ccomp",
                "pcomp",
                "pobj",
                "dobj",
                "prep",
                "nsubj",
                "nsubjpass",
                "compound",
            )
        ):
            if ongoing and _halt_sought(trigger, head, cues):
                break  # "urged Seoul to halt the deployment": it is under way
            note(NEGATED, head)
            break
        if (
            head.pos_ in ("NOUN", "PROPN")
            and dep in ("pobj", "prep", "acl", "compound", "xcomp")
            and lower in cues["possible_nouns"]
        ):
            note(POSSIBLE, head)
        elif (
            head.pos_ in ("NOUN", "PROPN")
            and dep in ("pobj", "prep", "acl", "xcomp", "compound")
            and lower in cues["planning_nouns"]
        ):
            note(PLANNED, head)
        elif (
            head.pos_ == "ADJ"
            and lower in cues["possible_adj"]
            and dep in ("xcomp", "prep", "pcomp", "pobj")
        ):
            note(POSSIBLE, head)
        elif head.pos_ == "ADJ" and lower in cues["planning_adj"] and dep in ("xcomp", "prep"):
            note(PLANNED, head)
        elif head.pos_ in ("VERB", "AUX") and dep in (
            "xcomp",
            "dobj",
            "prep",
            "pcomp",
            "ccomp",
            "advcl",
            "nsubjpass",
            "pobj",
        ):
            if (
                (dep in ("xcomp", "dobj", "pcomp", "nsubjpass") or _sought_for(current))
                and lemma in cues["planning_verbs"]
                and lemma
                not in (
                    "be",
                    "go",
                    "announce",
                    "confirm",
                    "begin",
                    "start",
                    "order",
                    "approve",
                    "move",
                    "set",
                )
            ):
                note(PLANNED, head)
            elif dep == "xcomp" and lemma in (
                "begin",
                "start",
                "move",
                "order",
                "approve",
                "set",
                "go",
                "announce",
            ):
                if (lemma == "go" and head.tag_ == "VBG") or lemma in (
                    "order",
                    "approve",
                    "announce",
                    "set",
                ):
                    note(PLANNED, head)
            elif (
                dep == "xcomp"
                and lemma == "be"
                and any(
                    c.lower_
                    in ("set", "due", "scheduled", "slated", "poised", "expected", "likely")
                    for c in head.children
                )
            ):
                note(PLANNED, head)
            elif (
                dep in ("xcomp", "dobj", "ccomp", "pcomp", "prep", "pobj")
                and lemma in cues["possible_verbs"]
            ):
                if lemma == "call" and not _has_particle(head, {"for"}) and dep != "prep":
                    pass
                elif lemma == "press" and not _sought_for(current):
                    pass  # "pressed ahead with the drills" goes on with them
                else:
                    note(POSSIBLE, head)
            if lemma in cues["reporting_verbs"] and dep in ("ccomp",):
                source = source or _subject(head)
                if lemma in cues["doubting_verbs"]:
                    claimed_cue = head.text
            # Aux of a governing verb carries over through xcomp ("will try to", "may be able to")
            # and to events framed as its complement or adjunct ("will hold talks after meeting").
            if dep in (
                "xcomp",
                "pcomp",
                "advcl",
                "prep",
                "pobj",
                "dobj",
                "nsubjpass",
                "conj",
            ) and not (dep == "advcl" and _is_conditional(current, cues)):
                aux = _aux_modality(head, cues)
                if aux and not (aux == NEGATED and dep not in ("xcomp", "dobj")):
                    note(aux, head)
            if _is_conditional(head, cues) and dep in (
                "xcomp",
                "dobj",
                "pobj",
                "prep",
                "nsubjpass",
            ):
                note(POSSIBLE, head)
        if dep == "advcl" and _is_conditional(current, cues):
            note(POSSIBLE, current)
        acc = _according_to(head)
        if acc is not None and source is None:
            source = acc
        if dep == "ccomp":
            break  # the complement of a report or belief is its own clause
        current = head

    # Reported by a party: "X said ..." at the end of the sentence (parataxis/ccomp root).
    root = trigger.sent.root
    if (
        source is None
        and root.lemma_.lower() in cues["reporting_verbs"]
        and root != trigger
        and root != support
    ):
        anchor = support if support is not None else trigger
        path = _path_up(anchor, root) if root in list(anchor.ancestors) else []
        # Only what the report says, not what happened around it: "North Korea fired a
        # missile, Seoul said" is reported; "Lavrov declared ... after meeting" is not.
        if (
            path
            and path[-1].dep_ in ("ccomp", "parataxis")
            and not any(t.dep_ in CLAUSE_BOUNDARY_DEPS - {"parataxis"} for t in path)
        ):
            source = _subject(root)
            if root.lemma_.lower() in cues["doubting_verbs"]:
                claimed_cue = root.text

    kinds = {modality for modality, _ in found}
    for modality in (NEGATED, POSSIBLE, PLANNED):
        if modality in kinds:
            cue = next(c for m, c in found if m == modality)
            return ModalityResult(modality, cue, source)
    if source is not None and (
        claimed_cue or (speaks_for_actor is not None and speaks_for_actor(source))
    ):
        return ModalityResult(CLAIMED, claimed_cue or source.text, source)
    return ModalityResult(ASSERTED, None, source)


def _definite(noun: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    return any(
        (c.dep_ == "det" and c.lower_ in cues["definite_markers"]) or c.dep_ == "poss"
        for c in noun.children
    )


def _presupposed_topic(current: Token, trigger: Token, cues: Mapping[str, frozenset[str]]) -> bool:
    """A definite event that is the subject of a complement clause ("warned that holding
    the drills would be like ...", "asked whether the launch was a success"): the report,
    warning or question is about what is said of it, while the definite phrase takes the
    event as known. So the verbs above do not frame it, unless the complement's verb is
    the event happening ("warned that the drills would go ahead")."""
    if current.dep_ not in ("nsubj", "csubj") or current.head.dep_ != "ccomp":
        return False
    if current.head.lemma_.lower() in cues["happening_verbs"]:
        return False
    if current.dep_ == "csubj":
        return current.tag_ == "VBG" and trigger.head == current and _definite(trigger, cues)
    return current == trigger and trigger.pos_ in ("NOUN", "PROPN") and _definite(trigger, cues)


def _past_time_clause(verb: Token) -> bool:
    """ "after/since/because/when North Korea launched": a clause the main verb's plans or
    doubts do not reach."""
    return any(
        c.dep_ == "mark" and c.lower_ in ("after", "since", "because", "when", "as")
        for c in verb.children
    )


def _path_up(token: Token, stop: Token) -> list[Token]:
    path = []
    current = token
    while current != stop and current.head != current:
        path.append(current)
        current = current.head
    return path


# Events whose attempt is the event: a launch that was tried was fired (or blew up on
# the pad), a test that was attempted was set off; a meeting that was tried need not
# have taken place.
ATTEMPTED_IS_DONE_TYPES = frozenset({"missile_launch", "nuclear_test"})

# Events that are activities going on for a while (a deployment stays, an exercise runs for
# days), unlike a launch or a test: halting one presupposes that it is under way.
ONGOING_TYPES = frozenset({"deployment", "exercise"})


def attempted_in_past(
    trigger: Token, cues: Mapping[str, frozenset[str]], support: Token | None = None
) -> bool:
    """ "North Korea tried to launch a missile", "attempted a missile launch the following
    day", "had tried twice to fire": a launch attempt that was made. The guide counts
    failed launches as launches, so such an attempt is asserted, unlike "will try to
    launch" or "may have tried to launch" (the attempt itself not asserted). Plain
    linguistic grounds; seen in dev in five demo-corpus articles on Musudan failures."""
    anchor = support if support is not None else trigger
    verb = anchor.head
    if anchor.dep_ not in ("xcomp", "dobj") or verb.lemma_.lower() not in cues["attempt_verbs"]:
        return False
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in verb.children
    )


def without_attempts(cues: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The cue sets with trying and attempting no longer a possibility: the modality of
    an attempt that was made is what frames the attempt (a report, a "may have")."""
    changed = dict(cues)
    changed["possible_verbs"] = cues["possible_verbs"] - cues["attempt_verbs"]
    return changed
