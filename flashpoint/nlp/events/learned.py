"""A learned second opinion on the rules' events: did this event happen, as reported?

The rules (:mod:`flashpoint.nlp.events.extract`) propose event mentions with a modality.
This module scores each proposal with a small logistic regression over features of the
parse around its trigger (trigger lemma and type, tense and auxiliaries, the lemmas and
modality-cue classes of the words governing it, negation, the sentence's dates, quotes and
entities, how the rules found the actors and the date) and turns the score into a decision:

- a proposal the rules call asserted or claimed whose score is below ``demote_below`` is
  kept, but as ``possible`` (the timeline does not draw it; the event table still lists it);
- a proposal the rules call planned or possible whose score is at least ``promote_at`` is
  made ``asserted``, unless its own words say it is unrealised: a possibility adjective on
  its word ("a possible missile launch", "a potential test"), a planning adjective
  ("its planned drills", "the upcoming drills"; not "a regularly scheduled drill", whose
  adverb makes it a habit), or a preposition that puts it later ("ahead of the drills");
  a negated one never is (the text says it did not happen), nor is a generic one (it
  names a kind of event, not an occurrence);
- anything else is left as the rules said, and so are events of a type the model is not
  used for (``event_types``: chosen in training by cross-validation, see
  :mod:`flashpoint.eval.learning`).

What is reported as having happened cannot be after its report. The rules read a
year-less date of a planned event forward ("on Jan. 6" in a March article: next January);
``doc._.event_past_dates`` has, for such an event, its date if it happened (last January,
the nearer reading) or None where the forward reading is the nearer ("to hold talks on
Dec. 11" in November). A planned event the model would make asserted takes the first, and
with the second stays planned: its date says it is still to come. A planned or possible
event the rules left undated has there the day they would give it as asserted ("officials
suggested the North fired a missile": the day of the report), which it takes if the model
makes it asserted; a month-precise reading is not offered (a report dated to the month says
nothing of the event's time).

The model is trained on the development gold only (``make train``, via
:mod:`flashpoint.eval.learning`): a proposal is a positive example when, made asserted, the
evaluation's own matching (:func:`flashpoint.eval.events.match_events`, strict: same type,
overlapping evidence, a shared actor) pairs it with a gold event reported as having
happened. Its weights are plain JSON (data/models/event_filter.json), read by the
``flashpoint_event_filter`` component that follows ``flashpoint_events``.

Training is pure numpy/scipy: an L2-regularised logistic regression fitted by L-BFGS from
zero weights over features sorted by name, so the same examples give the same file.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import SimpleFrozenList

from flashpoint.config import resource_path
from flashpoint.nlp.events.modality import (
    ASSERTED,
    CLAIMED,
    CUE_SETS,
    PLANNED,
    POSSIBLE,
    default_cues,
    prospective,
)

EVENT_FILTER = "flashpoint_event_filter"
MODEL_FILE = "event_filter.json"
DEFAULT_MODEL = resource_path("models", MODEL_FILE)
HAPPENED_MODALITIES = (ASSERTED, CLAIMED)
# A possibility adjective on the event's own word ("a possible launch", "a potential
# test"): the model does not promote such an event over the word that makes it unrealised.
OWN_CUE_FEATURE = "child_cue=possible_adj"
# Nor over a planning adjective on its word ("its planned annual drills", "the upcoming
# drills"; see _planning_adjective for "a regularly scheduled drill" and "carried out the
# planned exercises", which took place), nor over a preposition that puts the event after
# its clause ("ahead of the drills").
OWN_PLAN_FEATURE = "own_cue=planning_adj"
AHEAD_FEATURE = "frame=prospective_preps"
UNREALISED_FEATURES = (OWN_CUE_FEATURE, OWN_PLAN_FEATURE, AHEAD_FEATURE)
# The cue classes whose membership is a feature: every set of modality_cues.json but the two
# that describe the event's own wording rather than a cue around it.
CUE_FEATURE_SETS = tuple(
    name for name in CUE_SETS if name not in ("happening_verbs", "definite_markers")
)
ANCESTOR_DEPTH = 4
QUOTE_MARKS = ('"', "\u201c", "\u201d")


# -- features ------------------------------------------------------------------------------


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def trigger_token(doc: Doc, row: Mapping[str, Any]) -> Token | None:
    """The trigger word of an event row: the last word of its ``trigger`` text (the first,
    where there are two, is the light verb) within the row's sentence."""
    words = str(row.get("trigger") or "").split()
    if not words:
        return None
    start, end = int(row["start_char"]), int(row["end_char"])
    for token in doc:
        if token.idx >= end:
            break
        if token.idx >= start and token.text == words[-1]:
            return token
    return None


def _cue_classes(word: str, cues: Mapping[str, frozenset[str]]) -> list[str]:
    return [name for name in CUE_FEATURE_SETS if word in cues.get(name, frozenset())]


def _sentence(doc: Doc, token: Token | None, row: Mapping[str, Any]) -> Span | None:
    if token is not None:
        return token.sent
    return doc.char_span(int(row["start_char"]), int(row["end_char"]), alignment_mode="expand")


def context_features(rows: Sequence[Mapping[str, Any]], index: int) -> list[str]:
    """Where row ``index`` stands among the article's event rows: other mentions of its
    type in its sentence, and whether its type was mentioned before."""
    row = rows[index]
    event_type, sentence = row["event_type"], row["sentence_idx"]
    same_sentence = sum(
        1
        for other in rows
        if other["event_type"] == event_type and other["sentence_idx"] == sentence
    )
    earlier = sum(1 for other in rows[:index] if other["event_type"] == event_type)
    return [
        f"same_type_in_sentence={_bucket(same_sentence - 1, (0, 1))}",
        f"earlier_of_type={_bucket(earlier, (0, 1, 3, 8))}",
        f"type|first={event_type}|{earlier == 0}",
    ]


def article_features(
    doc: Doc, rows: Sequence[Mapping[str, Any]], cues: Mapping[str, frozenset[str]] | None = None
) -> list[list[str]]:
    """The feature names of each event row of ``doc``."""
    cues = default_cues() if cues is None else cues
    return [
        sorted({*event_features(doc, row, cues), *context_features(rows, i)})
        for i, row in enumerate(rows)
    ]


def event_features(
    doc: Doc, row: Mapping[str, Any], cues: Mapping[str, frozenset[str]] | None = None
) -> list[str]:
    """The names of the features of one event row of ``doc`` on its own (sorted, no
    repeats)."""
    cues = default_cues() if cues is None else cues
    event_type, modality = str(row["event_type"]), str(row["modality"])
    found: set[str] = {
        f"type={event_type}",
        f"modality={modality}",
        f"type|modality={event_type}|{modality}",
        f"actors={_bucket(len(row.get('actors') or ()), (0, 1, 2))}",
        f"participants={bool(row.get('participants'))}",
        f"weapons={bool(row.get('weapons'))}",
        f"location={row.get('location') is not None}",
        f"date_precision={row.get('date_precision')}",
        f"date_basis={row.get('date_basis')}",
        f"type|date_basis={event_type}|{row.get('date_basis')}",
        f"confidence={round(float(row.get('confidence') or 0.0), 1)}",
        f"sentence_idx={_bucket(int(row.get('sentence_idx') or 0), (0, 1, 3, 7, 15))}",
        f"space={bool(row.get('is_space_launch'))}",
    }
    actors = row.get("actors") or []
    found.update(f"actor_kind={str(a).split(':', 1)[0]}" for a in actors)
    found.add(f"two_words={len(str(row.get('trigger') or '').split()) > 1}")
    token = trigger_token(doc, row)
    sent = _sentence(doc, token, row)
    if sent is not None:
        text = sent.text
        found.add(f"sentence_words={_bucket(len(sent), (10, 20, 35, 60))}")
        quoted = any(mark in text for mark in QUOTE_MARKS)
        found.add(f"quoted={quoted}")
        found.add(f"question={text.rstrip().endswith('?')}")
        found.update(f"sentence_ent={ent.label_}" for ent in sent.ents)
        found.update(
            f"sentence_cue={name}" for word in sent for name in _cue_classes(word.lemma_, cues)
        )
    if token is None:
        found.add("trigger=missing")
        return sorted(found)
    lemma = token.lemma_.lower()
    found.update(
        {
            f"lemma={lemma}",
            f"type|lemma={event_type}|{lemma}",
            f"pos={token.pos_}",
            f"tag={token.tag_}",
            f"dep={token.dep_}",
            f"type|tag={event_type}|{token.tag_}",
            f"modality|tag={modality}|{token.tag_}",
        }
    )
    if _planning_adjective(token, row, cues):
        found.add(OWN_PLAN_FEATURE)
    for child in token.children:
        found.add(f"child_dep={child.dep_}")
        if child.dep_ in ("aux", "auxpass", "neg", "det", "amod", "prt", "mark", "poss"):
            found.add(f"child={child.dep_}:{child.lower_}")
        found.update(f"child_cue={name}" for name in _cue_classes(child.lower_, cues))
    if token.dep_ == "pobj" and prospective(token.head, cues):
        found.add(AHEAD_FEATURE)
    head = token
    for depth in range(1, ANCESTOR_DEPTH + 1):
        if head.head is head:
            break
        arc = head.dep_
        head = head.head
        head_lemma = head.lemma_.lower()
        found.add(f"up{min(depth, 2)}={head_lemma}")
        found.add(f"up_arc{min(depth, 2)}={arc}")
        found.update(f"up_cue={name}" for name in _cue_classes(head_lemma, cues))
        for child in head.children:
            if child.dep_ in ("aux", "neg", "mark"):
                found.add(f"up_child={child.dep_}:{child.lower_}")
                found.update(f"up_cue={name}" for name in _cue_classes(child.lower_, cues))
        if depth == 1:
            found.add(f"head_tag={head.tag_}")
    found.add(f"root_tag={token.sent.root.tag_}")
    left = doc[max(token.i - 3, token.sent.start) : token.i]
    found.update(f"left={word.lower_}" for word in left if word.is_alpha)
    return sorted(found)


def _planning_adjective(
    token: Token, row: Mapping[str, Any], cues: Mapping[str, frozenset[str]]
) -> bool:
    """ "its planned annual drills", "will begin their upcoming drills": a planning adjective
    with no adverb of its own on the event's word ("a regularly scheduled drill" is a
    habit), unless the event's light verb is in the past ("carried out the planned
    exercises": they took place)."""
    if not any(
        child.dep_ == "amod"
        and child.lower_ in cues["planning_adj"]
        and not any(c.dep_ == "advmod" for c in child.children)
        for child in token.children
    ):
        return False
    words = str(row.get("trigger") or "").split()
    support = token.head if len(words) > 1 and token.head.text == words[0] else None
    if support is None:
        return True
    past = support.tag_ == "VBD" or (
        support.tag_ == "VBN"
        and any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in support.children)
    )
    return not past


# -- the model -----------------------------------------------------------------------------


@dataclass
class EventFilterModel:
    """Weights by feature name, a bias and the two decision thresholds."""

    weights: dict[str, float]
    bias: float
    demote_below: float = 0.5
    promote_at: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    # the event types it decides for (None: all); the others keep the rules' modality
    event_types: tuple[str, ...] | None = None

    def applies_to(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types

    def probability(self, features: Iterable[str]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-score))

    def decide(self, modality: str, probability: float, features: Collection[str] = ()) -> str:
        """The modality the event gets: see the module docstring. ``features`` (the
        event's feature names) hold a planned or possible mention whose own words say so
        ("a possible missile launch", "its planned drills", "ahead of the drills") where
        the rules put it."""
        if modality in HAPPENED_MODALITIES:
            return modality if probability >= self.demote_below else POSSIBLE
        if (
            modality in (PLANNED, POSSIBLE)
            and probability >= self.promote_at
            and not any(name in features for name in UNREALISED_FEATURES)
        ):
            return ASSERTED
        return modality

    def to_dict(self) -> dict[str, Any]:
        return {
            "bias": round(self.bias, 6),
            "demote_below": self.demote_below,
            "promote_at": self.promote_at,
            "meta": self.meta,
            "event_types": None if self.event_types is None else sorted(self.event_types),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if round(v, 6)},
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> EventFilterModel:
        return cls(
            weights={str(k): float(v) for k, v in raw["weights"].items()},
            bias=float(raw["bias"]),
            demote_below=float(raw.get("demote_below", 0.5)),
            promote_at=float(raw.get("promote_at", 0.5)),
            meta=dict(raw.get("meta") or {}),
            event_types=None
            if raw.get("event_types") is None
            else tuple(str(t) for t in raw["event_types"]),
        )

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=0, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path | str) -> EventFilterModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def train_filter(
    examples: Sequence[tuple[Sequence[str], int]],
    *,
    sample_weights: Sequence[float] | None = None,
    l2: float = 1.0,
    min_count: int = 2,
    demote_below: float = 0.5,
    promote_at: float = 0.5,
) -> EventFilterModel:
    """A logistic regression on (feature names, label 0/1) examples: features seen in at
    least ``min_count`` examples, L2 penalty ``l2`` on the weights (not the bias), fitted by
    L-BFGS from zero. Deterministic: the same examples give the same weights."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    counts = Counter(name for features, _ in examples for name in set(features))
    names = sorted(name for name, count in counts.items() if count >= min_count)
    index = {name: i for i, name in enumerate(names)}
    rows, cols = [], []
    for row, (features, _) in enumerate(examples):
        for name in sorted(set(features)):
            if name in index:
                rows.append(row)
                cols.append(index[name])
    x = csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(names)), dtype=np.float64
    )
    y = np.array([label for _, label in examples], dtype=np.float64)
    weight = np.ones(len(examples)) if sample_weights is None else np.asarray(sample_weights, float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        # log(1 + e^z) - y z, stably
        value = float(weight @ (np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        residual = weight * (p - y)
        grad = np.concatenate([x.T @ residual + l2 * w, [residual.sum()]])
        return value, grad

    result = minimize(
        loss,
        np.zeros(len(names) + 1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 500, "gtol": 1e-7},
    )
    theta = result.x
    return EventFilterModel(
        weights={name: float(theta[i]) for name, i in index.items()},
        bias=float(theta[-1]),
        demote_below=demote_below,
        promote_at=promote_at,
        meta={"examples": len(examples), "positives": int(y.sum()), "l2": l2},
    )


def apply_filter(
    doc: Doc,
    rows: list[dict[str, Any]],
    model: EventFilterModel,
    cues: Mapping[str, frozenset[str]] | None = None,
    past_dates: Mapping[str, Sequence[str | None] | None] | None = None,
) -> list[dict[str, Any]]:
    """``rows`` (event rows of ``doc``) with the model's modality, and its probability as
    the confidence, for the event types the model decides for. A planned row the model
    would make happened takes its date if it happened from ``past_dates`` (event id ->
    value, precision, basis, text), or stays planned where that maps it to None; so does
    an undated planned or possible row, where ``past_dates`` has its day as asserted."""
    out = []
    for row, features in zip(rows, article_features(doc, rows, cues), strict=True):
        if not model.applies_to(str(row["event_type"])):
            out.append(dict(row))
            continue
        probability = model.probability(features)
        modality = model.decide(str(row["modality"]), probability, features)
        decided = {**row, "modality": modality, "confidence": round(probability, 3)}
        event_id = str(row["event_id"])
        if (
            row["modality"] in (PLANNED, POSSIBLE)
            and modality in HAPPENED_MODALITIES
            and past_dates
        ):
            if event_id in past_dates and past_dates[event_id] is None:
                decided["modality"] = PLANNED  # its date says it is still to come
            elif found := past_dates.get(event_id):
                value, precision, basis, text = found
                decided.update(
                    event_date=value, date_precision=precision, date_basis=basis, date_text=text
                )
        out.append(decided)
    return out


# -- the component -------------------------------------------------------------------------


class EventFilter:
    """``flashpoint_event_filter``: re-decides the modality of ``doc._.events`` with the
    trained model. Without a model (none trained, or the file removed) it changes nothing,
    so the rules' events stand as they are."""

    def __init__(self, nlp: Language, name: str = EVENT_FILTER) -> None:
        self.name = name
        self.model: EventFilterModel | None = None
        self.cues: dict[str, frozenset[str]] = default_cues()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        model: EventFilterModel | None = None,
        path: Path | str | None = None,
    ) -> None:
        """Use ``model``, else the file at ``path``, else data/models/event_filter.json
        if present."""
        if model is not None:
            self.model = model
            return
        target = Path(path) if path is not None else DEFAULT_MODEL
        self.model = EventFilterModel.load(target) if target.is_file() else None

    def __call__(self, doc: Doc) -> Doc:
        if self.model is not None and doc._.event_rows:
            past_dates = doc._.event_past_dates if doc.has_extension("event_past_dates") else None
            doc._.event_rows = apply_filter(
                doc, doc._.event_rows, self.model, self.cues, past_dates
            )
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(path / MODEL_FILE)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()
    ) -> EventFilter:
        target = Path(path) / MODEL_FILE
        self.model = EventFilterModel.load(target) if target.is_file() else None
        return self


@Language.factory(
    EVENT_FILTER,
    assigns=["doc._.event_rows"],
    requires=["doc._.event_rows"],  # and doc._.event_past_dates where set
    default_config={},
)
def make_event_filter(nlp: Language, name: str) -> EventFilter:
    """An empty filter: its model comes from ``initialize`` or ``from_disk``."""
    return EventFilter(nlp, name)
