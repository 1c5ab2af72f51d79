"""Train and cross-validate the learned event filter (flashpoint/nlp/events/learned.py).

Candidates are the rules' events on the development gold articles; each is labelled by the
evaluation's own matching (:func:`flashpoint.eval.events.match_events`, strict): made
asserted, does it pair with a gold event reported as having happened, of its type, with
overlapping evidence and a shared actor? Only the dev gold is read; the sealed test set is
never touched here.

``python -m flashpoint.eval.learning cv [--folds 5]`` prints grouped k-fold
cross-validation over dev ARTICLES (a fold's model never saw the articles it is scored on):
strict and any-modality precision, recall and F1, per type and micro, for the rules alone
and with the filter, on all dev articles and on the gold_events_dev.jsonl subset (labelled
like the sealed test set). ``python -m flashpoint.eval.learning train [--out FILE]`` fits
the model on all dev candidates and writes it (``make train``).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.eval import DEFAULT_SHARED_DIR
from flashpoint.eval.events import (
    DEV_GOLD,
    GOLD_DIR,
    HAPPENED,
    SAMPLE,
    EventReport,
    GoldArticle,
    gold_events_of,
    load_gold_articles,
    locate_gold,
    match_events,
    read_gold,
    score_predictions,
)
from flashpoint.nlp.events.learned import (
    DEFAULT_MODEL,
    EVENT_FILTER,
    EventFilterModel,
    article_features,
    train_filter,
)
from flashpoint.nlp.events.modality import default_cues
from flashpoint.schema import EVENT_TYPES

DEV1_GOLD = GOLD_DIR / "gold_events_dev.jsonl"
L2 = 1.0


@dataclass
class Candidates:
    """The rules' events on the dev articles, their features and strict labels."""

    gold: list[GoldArticle]
    articles: dict[tuple[str, str], dict[str, Any]]
    rows: dict[tuple[str, str], list[dict[str, Any]]]
    features: dict[tuple[str, str], list[list[str]]]
    labels: dict[tuple[str, str], list[int]]
    notes: list[str]

    def examples(self, keys: Iterable[tuple[str, str]]) -> list[tuple[list[str], int]]:
        return [
            (features, label)
            for key in sorted(keys)
            for features, label in zip(self.features[key], self.labels[key], strict=True)
        ]

    def weights(self, keys: Iterable[tuple[str, str]], demo_weight: float) -> list[float]:
        """Per example: ``demo_weight`` for the demo corpus (written for and tuned with the
        rules), 1 for the real corpora."""
        return [
            demo_weight if key[0] == SAMPLE else 1.0
            for key in sorted(keys)
            for _ in self.labels[key]
        ]


def happened_labels(
    rows: list[dict[str, Any]],
    gold_article: GoldArticle,
    text: dict[str, Any],
    *,
    shared_actor: bool = False,
) -> list[int]:
    """1 for each row that, reported as asserted, the evaluation's matching pairs with a
    gold event that happened (same type, overlapping evidence; with ``shared_actor``, an
    actor in common too); 0 for the others. The filter is trained without the actor
    condition: it judges whether an event happened, not who did it."""
    located = [
        pair
        for pair in locate_gold(gold_events_of(gold_article, text), text["text"])
        if pair[0].modality in HAPPENED
    ]
    asserted = [{**row, "modality": "asserted"} for row in rows]
    matched = {i for i, _ in match_events(asserted, located, shared_actor=shared_actor)}
    return [int(i in matched) for i in range(len(rows))]


def collect_candidates(
    nlp: Any = None,
    gold_paths: Sequence[Path] = DEV_GOLD,
    shared_dir: Path | None = DEFAULT_SHARED_DIR,
    *,
    shared_actor: bool = False,
) -> Candidates:
    """Run the rules (the pipeline without the filter) over the gold articles and label
    their events (:func:`happened_labels`; ``shared_actor`` as there)."""
    from flashpoint.eval.events import article_docs

    if nlp is None:
        from flashpoint.nlp.pipeline import load_pipeline

        nlp = load_pipeline(event_filter=False)  # the rules' own proposals
    gold, articles, notes = load_gold_articles(gold_paths, shared_dir)
    cues = default_cues()
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    features: dict[tuple[str, str], list[list[str]]] = {}
    disabled = [EVENT_FILTER] if EVENT_FILTER in nlp.pipe_names else []
    with nlp.select_pipes(disable=disabled):
        for key, doc in article_docs(articles, nlp):
            rows[key] = [dict(row) for row in doc._.event_rows or ()]
            features[key] = article_features(doc, rows[key], cues)
    labels = {
        article.key: happened_labels(
            rows[article.key], article, articles[article.key], shared_actor=shared_actor
        )
        for article in gold
        if article.key in articles
    }
    return Candidates(gold, articles, rows, features, labels, notes)


def folds_of(keys: Iterable[tuple[str, str]], k: int) -> dict[tuple[str, str], int]:
    """Articles dealt round-robin into ``k`` folds in the order of a hash of their key:
    balanced, and the same on every machine."""
    ordered = sorted(keys, key=lambda key: hashlib.sha1("|".join(key).encode()).hexdigest())
    return {key: i % k for i, key in enumerate(ordered)}


def filtered_rows(
    model: EventFilterModel, rows: list[dict[str, Any]], features: list[list[str]]
) -> list[dict[str, Any]]:
    return [
        {**row, "modality": model.decide(str(row["modality"]), model.probability(names), names)}
        if model.applies_to(str(row["event_type"]))
        else row
        for row, names in zip(rows, features, strict=True)
    ]


def choose_types(
    candidates: Candidates, keys: Sequence[tuple[str, str]], folds: int = 4
) -> tuple[str, ...]:
    """The event types whose strict F1 the filter raises on ``keys``, measured by an inner
    cross-validation over those articles alone."""
    predictions, _ = cross_validate(candidates, folds, keys=keys)
    gold = [a for a in candidates.gold if a.key in set(keys)]
    rules = score_predictions(gold, candidates.articles, {k: candidates.rows[k] for k in keys})
    learned = score_predictions(gold, candidates.articles, predictions)
    return tuple(
        t
        for t in sorted(rules.strict)
        if (learned.strict[t].f1 or 0.0) > (rules.strict[t].f1 or 0.0)
    )


def cross_validate(
    candidates: Candidates,
    folds: int = 5,
    *,
    l2: float = L2,
    demote_below: float = 0.5,
    promote_at: float = 0.5,
    keys: Sequence[tuple[str, str]] | None = None,
    gate_types: bool = False,
    types: tuple[str, ...] | None = None,
) -> tuple[dict[tuple[str, str], list[dict[str, Any]]], dict[tuple[str, str], list[float]]]:
    """The filtered rows of every article (of ``keys``; default all) from a model trained
    without its fold, and the out-of-fold probabilities. With ``gate_types`` each fold's
    model decides only for the types :func:`choose_types` picks on its training articles
    (nested: the held-out fold plays no part in the choice); with ``types``, only for those
    types."""
    fold_of = folds_of(candidates.labels if keys is None else keys, folds)
    predictions: dict[tuple[str, str], list[dict[str, Any]]] = {}
    probabilities: dict[tuple[str, str], list[float]] = {}
    for fold in range(folds):
        train_keys = [key for key, f in fold_of.items() if f != fold]
        model = train_filter(
            candidates.examples(train_keys), l2=l2, demote_below=demote_below, promote_at=promote_at
        )
        if gate_types:
            model.event_types = choose_types(candidates, train_keys)
        elif types is not None:
            model.event_types = types
        for key in (key for key, f in fold_of.items() if f == fold):
            predictions[key] = filtered_rows(model, candidates.rows[key], candidates.features[key])
            probabilities[key] = [model.probability(names) for names in candidates.features[key]]
    return predictions, probabilities


def with_thresholds(
    candidates: Candidates,
    probabilities: dict[tuple[str, str], list[float]],
    demote_below: float,
    promote_at: float,
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    decider = EventFilterModel({}, 0.0, demote_below=demote_below, promote_at=promote_at)
    return {
        key: [
            {**row, "modality": decider.decide(str(row["modality"]), p, names)}
            for row, p, names in zip(
                candidates.rows[key], probabilities[key], candidates.features[key], strict=True
            )
        ]
        for key in probabilities
    }


def _scores(
    candidates: Candidates,
    predictions: dict[tuple[str, str], list[dict[str, Any]]],
    subset: set[tuple[str, str]] | None = None,
) -> EventReport:
    gold = [a for a in candidates.gold if subset is None or a.key in subset]
    return score_predictions(gold, candidates.articles, predictions)


def comparison(rules: EventReport, learned: EventReport, title: str) -> str:
    """Strict P/R/F1 per type and micro, rules vs filtered, and any-modality micro."""
    lines = [
        f"{title} ({rules.articles} articles)",
        f"{'strict':<16}{'rules P':>8}{'R':>6}{'F1':>6}{'pred':>6}   "
        f"{'learned P':>9}{'R':>6}{'F1':>6}{'pred':>6}{'gold':>6}",
    ]

    def pct(value: float | None) -> str:
        return "   -" if value is None else f"{100 * value:.1f}"

    pairs = [(t, rules.strict[t], learned.strict[t]) for t in rules.strict]
    pairs.append(("micro", rules.strict_overall, learned.strict_overall))
    pairs.append(("any-modality", rules.overall, learned.overall))
    for label, a, b in pairs:
        lines.append(
            f"{label:<16}{pct(a.precision):>8}{pct(a.recall):>6}{pct(a.f1):>6}{a.predicted:>6}   "
            f"{pct(b.precision):>9}{pct(b.recall):>6}{pct(b.f1):>6}{b.predicted:>6}{b.gold:>6}"
        )
    for label, x, y in (
        ("strict actors exact", rules.strict_actor_exact, learned.strict_actor_exact),
        ("strict day dates", rules.strict_day_dates, learned.strict_day_dates),
    ):
        lines.append(
            f"{label:<24}{pct(x.value):>8} ({x.hits}/{x.total})   {pct(y.value):>8} ({y.hits}/{y.total})"
        )
    return "\n".join(lines)


def article_counts(
    candidates: Candidates,
    predictions: dict[tuple[str, str], list[dict[str, Any]]],
    keys: Sequence[tuple[str, str]],
) -> np.ndarray:
    """Per article of ``keys``: strict (true positives, predicted, gold), micro over types."""
    by_key = {article.key: article for article in candidates.gold}
    counts = []
    for key in keys:
        overall = score_predictions([by_key[key]], candidates.articles, predictions).strict_overall
        counts.append((overall.true_positives, overall.predicted, overall.gold))
    return np.array(counts, dtype=float)


def paired_bootstrap(
    candidates: Candidates,
    before: dict[tuple[str, str], list[dict[str, Any]]],
    after: dict[tuple[str, str], list[dict[str, Any]]],
    keys: Iterable[tuple[str, str]],
    rounds: int = 2000,
    seed: int = 0,
) -> tuple[float, float, float, float]:
    """Strict micro F1 after minus before, resampling articles: (difference, 2.5th and
    97.5th percentile, share of rounds where after is not better)."""
    ordered = sorted(keys)
    a, b = article_counts(candidates, before, ordered), article_counts(candidates, after, ordered)

    def f1(counts: np.ndarray) -> np.ndarray:
        tp, predicted, gold = counts[..., 0], counts[..., 1], counts[..., 2]
        return 2 * tp / np.maximum(predicted + gold, 1)

    rng = np.random.RandomState(seed)
    picks = rng.randint(0, len(ordered), size=(rounds, len(ordered)))
    diffs = f1(b[picks].sum(axis=1)) - f1(a[picks].sum(axis=1))
    observed = float(f1(b.sum(axis=0)) - f1(a.sum(axis=0)))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return observed, float(low), float(high), float(np.mean(diffs <= 0))


def dev1_keys() -> set[tuple[str, str]]:
    articles, _ = read_gold(DEV1_GOLD)
    return {article.key for article in articles}


def cv_report(
    candidates: Candidates,
    folds: int = 5,
    sweep: bool = False,
    gate_types: bool = False,
    types: tuple[str, ...] | None = None,
) -> str:
    rules_predictions = {key: candidates.rows[key] for key in candidates.labels}
    learned, probabilities = cross_validate(candidates, folds, gate_types=gate_types, types=types)
    subset = dev1_keys()
    positives = sum(sum(labels) for labels in candidates.labels.values())
    total = sum(len(labels) for labels in candidates.labels.values())
    out = [
        f"{total} candidates, {positives} positives; {folds}-fold CV grouped by article,"
        f" L2 {L2}, thresholds demote<0.5 / promote>=0.5"
        + (", types chosen per fold by inner CV" if gate_types else "")
        + (f", filter used for {', '.join(types)} only" if types is not None else ""),
        "",
        comparison(_scores(candidates, rules_predictions), _scores(candidates, learned), "All dev"),
        "",
        comparison(
            _scores(candidates, rules_predictions, subset),
            _scores(candidates, learned, subset),
            "gold_events_dev.jsonl subset",
        ),
        "",
    ]
    for title, keys in (("all dev", list(candidates.labels)), ("dev1 subset", sorted(subset))):
        diff, low, high, worse = paired_bootstrap(candidates, rules_predictions, learned, keys)
        out.append(
            f"paired bootstrap over articles, {title}: strict micro F1 {diff:+.3f}"
            f" (95% {low:+.3f} .. {high:+.3f}; not better in {100 * worse:.1f}% of rounds)"
        )
    if sweep:
        out += ["", "threshold sweep (diagnostic; out-of-fold probabilities): strict micro P/R/F1"]
        for demote in (0.2, 0.3, 0.4, 0.5, 0.6):
            for promote in (0.5, 0.7, 0.9, 1.01):
                predictions = with_thresholds(candidates, probabilities, demote, promote)
                every = _scores(candidates, predictions).strict_overall
                one = _scores(candidates, predictions, subset).strict_overall
                out.append(
                    f"  demote<{demote:.2f} promote>={promote:.2f}: all "
                    f"{every.precision or 0:.3f}/{every.recall or 0:.3f}/{every.f1 or 0:.3f}"
                    f"  dev1 {one.precision or 0:.3f}/{one.recall or 0:.3f}/{one.f1 or 0:.3f}"
                )
    return "\n".join(out)


def train(
    candidates: Candidates,
    out: Path = DEFAULT_MODEL,
    *,
    gate_types: bool = False,
    types: tuple[str, ...] | None = None,
) -> EventFilterModel:
    model = train_filter(candidates.examples(candidates.labels), l2=L2)
    if gate_types:
        model.event_types = choose_types(candidates, sorted(candidates.labels), folds=5)
    elif types is not None:
        model.event_types = types
    model.meta["articles"] = len(candidates.labels)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    return model


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flashpoint.eval.learning", description=__doc__)
    parser.add_argument("command", choices=("cv", "train"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sweep", action="store_true", help="also print a threshold sweep")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument("--model", default=None, help="spaCy model name or path")
    parser.add_argument(
        "--gate-types",
        action="store_true",
        help="use the model only for the event types it improves under cross-validation",
    )
    parser.add_argument(
        "--skip-types",
        default="",
        help="comma-separated event types the filter leaves as the rules said (those whose"
        " strict F1 it lowers under cross-validation)",
    )
    parser.add_argument(
        "--actor-labels",
        action="store_true",
        help="label a candidate positive only if it also shares an actor with the gold event"
        " (the strict match); the shipped model is trained without this",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    skipped = {t for t in args.skip_types.split(",") if t}
    unknown = skipped - set(EVENT_TYPES)
    if unknown:
        parser.error(f"--skip-types: unknown event types {sorted(unknown)}")
    types = tuple(t for t in EVENT_TYPES if t not in skipped) if skipped else None

    from flashpoint.nlp.pipeline import load_pipeline

    if args.command == "train" and not (args.shared / "corpora").is_dir():
        print(
            f"{args.shared}/corpora is absent: the model is trained on the whole dev gold,"
            " which needs it; nothing written",
            file=sys.stderr,
        )
        return 1
    candidates = collect_candidates(
        load_pipeline(args.model, event_filter=False),
        DEV_GOLD,
        args.shared,
        shared_actor=args.actor_labels,
    )
    if args.command == "cv":
        print(
            cv_report(
                candidates, args.folds, sweep=args.sweep, gate_types=args.gate_types, types=types
            )
        )
    else:
        model = train(candidates, args.out, gate_types=args.gate_types, types=types)
        print(f"{args.out}: {len(model.weights)} weights from {model.meta['examples']} candidates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
