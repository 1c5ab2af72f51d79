"""Event extraction against gold labels: precision/recall/F1 per event type, actor and date
accuracy, and a baseline that ``make eval`` holds the line against.

Gold files, one article per line, events exhaustive (an article with none has ``[]``)::

    tests/data/gold_events_sample_*.jsonl   {"ref": url, "events": [{"quote": ..., ...}]}
    tests/data/gold_events_shared.jsonl     {"ref": id, "corpus": "<csv>", "events":
                                             [{"start": 12, "end": 80, ...}]}

Each gold event has ``event_type``, ``actors``, ``participants``, ``weapons``,
``location``, ``event_date`` ("YYYY-MM-DD" | "YYYY-MM" | "YYYY" | null), ``modality`` and
``is_space_launch``; its evidence is a quote of the article text (demo corpus) or offsets
into the raw CSV ``text`` (../shared). A predicted event matches a gold one when both are in
the same article, of the same type, and the gold evidence overlaps the predicted event's
evidence sentence (compared without whitespace, quote and dash differences). Each gold event
is matched at most once and each predicted event at most once; among the possible pairings
the one with most matches, then most agreement on actors and dates, is taken.

Run: ``python -m flashpoint.eval.events [GOLD...] [--shared DIR] [--model NAME]
[--baseline FILE] [--write-baseline FILE]``. Exit status 1 when an event type's F1 falls
more than 0.05 below the baseline.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.config import REPO_ROOT, SAMPLE_DIR
from flashpoint.eval import DEFAULT_SHARED_DIR, Score, TextLocator, read_csv_rows
from flashpoint.jsonl import jsonl_lines
from flashpoint.schema import EVENT_TYPES, ArticleContext

GOLD_DIR = REPO_ROOT / "tests" / "data"
# Development gold: rules may be written against its errors.
DEV_GOLD: tuple[Path, ...] = (
    GOLD_DIR / "gold_events_sample_a.jsonl",
    GOLD_DIR / "gold_events_sample_b.jsonl",
    GOLD_DIR / "gold_events_shared.jsonl",
    GOLD_DIR / "gold_events_dev.jsonl",
)
DEFAULT_GOLD = DEV_GOLD
DEFAULT_BASELINE = GOLD_DIR / "eval_baseline.json"
# Sealed: labelled from the guide before the system ran on these articles; never tuned on.
TEST_GOLD: tuple[Path, ...] = (GOLD_DIR / "gold_events_test.jsonl",)
# Acceptance targets, read off the strict scores (see EventReport.strict).
F1_TARGETS: dict[str, float] = {
    "missile_launch": 0.85,
    "meeting": 0.85,
    "deployment": 0.85,
    "nuclear_test": 0.80,
    "exercise": 0.80,
    "sanction": 0.80,
}
ACTOR_TARGET = 0.85
DATE_TARGET = 0.90
# What a timeline draws as having happened: the strict scores count only these.
HAPPENED = frozenset({"asserted", "claimed"})
REGRESSION_TOLERANCE = 0.05
SAMPLE = "sample"


# -- gold ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEvent:
    event_type: str
    evidence: str  # the quote, or the raw CSV span
    actors: tuple[str, ...]
    event_date: str | None
    modality: str
    is_space_launch: bool
    where: str  # "gold_events_shared.jsonl:3#2", for error listings


@dataclass(slots=True)
class GoldArticle:
    corpus: str  # "sample" or a CSV file name under ../shared/corpora
    ref: str
    events: list[dict[str, Any]]
    where: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.corpus, self.ref)


def read_gold(path: Path) -> tuple[list[GoldArticle], list[str]]:
    """Gold articles of one file; malformed lines become notes, not crashes."""
    articles: list[GoldArticle] = []
    notes: list[str] = []
    if not path.is_file():
        return articles, [f"{path.name}: not found, skipped"]
    for line in jsonl_lines(path):
        where, record = line.where, line.record
        if line.error is not None:
            notes.append(f"{where}: {line.error}")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("ref"), str):
            notes.append(f"{where}: needs a 'ref'")
            continue
        events = record.get("events")
        if not isinstance(events, list):
            notes.append(f"{where}: needs an 'events' list")
            continue
        corpus = record.get("corpus") or SAMPLE
        articles.append(GoldArticle(str(corpus), record["ref"], events, where))
    return articles, notes


def _gold_events(article: GoldArticle, raw: str, notes: list[str]) -> list[GoldEvent]:
    out: list[GoldEvent] = []
    for index, event in enumerate(article.events):
        where = f"{article.where}#{index}"
        if not isinstance(event, dict) or event.get("event_type") not in EVENT_TYPES:
            notes.append(f"{where}: no valid event_type")
            continue
        if isinstance(event.get("quote"), str):
            evidence = event["quote"]
        elif isinstance(event.get("start"), int) and isinstance(event.get("end"), int):
            evidence = raw[event["start"] : event["end"]]
        else:
            notes.append(f"{where}: needs a 'quote' or 'start'/'end'")
            continue
        if not evidence.strip():
            notes.append(f"{where}: empty evidence")
            continue
        out.append(
            GoldEvent(
                event_type=event["event_type"],
                evidence=evidence,
                actors=tuple(sorted(a for a in event.get("actors") or [] if isinstance(a, str))),
                event_date=event.get("event_date") or None,
                modality=str(event.get("modality") or "asserted"),
                is_space_launch=bool(event.get("is_space_launch")),
                where=where,
            )
        )
    return out


# -- articles ------------------------------------------------------------------------------


def _sample_articles(refs: set[str], sample_dir: Path) -> dict[str, dict[str, Any]]:
    """Demo-corpus articles by url or external id, read with the project's own readers."""
    from flashpoint.ingest.readers import read_source
    from flashpoint.schema import RawArticle

    # An article without url or id is named by its file: "data/sample/desk/x.txt".
    by_path = {str((REPO_ROOT / ref).resolve()): ref for ref in refs if "://" not in ref}
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in sample_dir.rglob("*") if p.is_file()):
        for item in read_source(str(path)):
            if not isinstance(item, RawArticle):
                continue
            origin = str(Path(item.origin.split("#", 1)[0]).resolve()) if item.origin else ""
            for key in (item.url, item.external_id, by_path.get(origin)):
                if key and key in refs:
                    found[key] = _row_from_raw(item, raw=item.text)
    return found


def _row_from_raw(item: Any, *, raw: str) -> dict[str, Any]:
    return {
        "text": item.text,
        "raw": raw,
        "title": item.title,
        "published": item.published,
        "published_precision": item.published_precision,
        "dateline": item.dateline,
        "source": item.source,
    }


def _shared_articles(corpus: str, refs: set[str], shared_dir: Path) -> dict[str, dict[str, Any]]:
    """Rows of a shared CSV by id, cleaned and dated the way ingest does it."""
    from flashpoint.ingest.clean import clean_body
    from flashpoint.ingest.pubdate import apply_stated_precision, parse_publication_date

    found: dict[str, dict[str, Any]] = {}
    for ref, row in read_csv_rows(shared_dir / "corpora" / corpus, refs).items():
        raw = row.get("text") or ""
        cleaned = clean_body(raw, title=row.get("title"))
        published, precision = parse_publication_date(row.get("date"))
        published, precision = apply_stated_precision(
            published, precision, row.get("date_precision")
        )
        found[ref] = {
            "text": cleaned.text,
            "raw": raw,
            "title": row.get("title"),
            "published": published,
            "published_precision": precision,
            "dateline": cleaned.dateline,
            "source": row.get("source"),
        }
    return found


# -- scoring -------------------------------------------------------------------------------


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class EventReport:
    scores: dict[str, Score]
    actor_exact: Ratio = field(default_factory=Ratio)  # same actor set
    actor_overlap: Ratio = field(default_factory=Ratio)  # a shared actor (or both none)
    modality: Ratio = field(default_factory=Ratio)
    date_exact: Ratio = field(default_factory=Ratio)  # asserted gold events, null == null
    date_within_day: Ratio = field(default_factory=Ratio)
    dated_exact: Ratio = field(default_factory=Ratio)  # asserted gold events with a date
    dated_within_day: Ratio = field(default_factory=Ratio)
    # Strict: only events reported as having happened (asserted, claimed) on both sides, and
    # a match also needs a shared actor (or a gold event with none): what a user of the
    # timeline relies on, and how the independent evaluation counts.
    strict: dict[str, Score] = field(default_factory=lambda: {t: Score(t) for t in EVENT_TYPES})
    strict_actor_exact: Ratio = field(default_factory=Ratio)
    strict_day_dates: Ratio = field(default_factory=Ratio)  # asserted, gold day-precise
    strict_errors: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0
    split: str = "dev"
    corpora: set[str] = field(default_factory=set)  # which gold sets were scored
    errors: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        total = Score("all")
        for score in self.scores.values():
            total.add(score)
        return total

    @property
    def strict_overall(self) -> Score:
        total = Score("all")
        for score in self.strict.values():
            total.add(score)
        return total

    def f1_by_type(self) -> dict[str, float]:
        return {t: s.f1 for t, s in self.scores.items() if s.f1 is not None}

    def strict_f1_by_type(self) -> dict[str, float]:
        return {t: s.f1 for t, s in self.strict.items() if s.f1 is not None}

    def to_dict(self) -> dict[str, Any]:
        def ratio(r: Ratio) -> dict[str, Any]:
            return {"value": r.value, "hits": r.hits, "total": r.total}

        return {
            "articles": self.articles,
            "types": {
                t: {
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                    "tp": s.true_positives,
                    "predicted": s.predicted,
                    "gold": s.gold,
                }
                for t, s in [*self.scores.items(), ("all", self.overall)]
            },
            "actor_exact": ratio(self.actor_exact),
            "actor_overlap": ratio(self.actor_overlap),
            "modality": ratio(self.modality),
            "date_exact": ratio(self.date_exact),
            "date_within_day": ratio(self.date_within_day),
            "dated_exact": ratio(self.dated_exact),
            "dated_within_day": ratio(self.dated_within_day),
            "strict": {
                t: {"precision": s.precision, "recall": s.recall, "f1": s.f1}
                for t, s in [*self.strict.items(), ("all", self.strict_overall)]
            },
            "strict_actor_exact": ratio(self.strict_actor_exact),
            "strict_day_dates": ratio(self.strict_day_dates),
            "notes": self.notes,
        }

    @staticmethod
    def _row(score: Score) -> str:
        return (
            f"{score.label:<16}{_pct(score.precision):>6}{_pct(score.recall):>6}"
            f"{_pct(score.f1):>6}{score.true_positives:>6}{score.predicted:>6}{score.gold:>6}"
        )

    def table(self, errors: int = 0) -> str:
        """The report as text: one row per event type, then the attribute accuracies."""

        lines = [
            f"Events on {self.articles} gold articles ({self.split})",
            "Any modality; a match needs the same type and overlapping evidence:",
            f"{'event type':<16}{'P':>6}{'R':>6}{'F1':>6}{'tp':>6}{'pred':>6}{'gold':>6}",
        ]
        for score in [*self.scores.values(), self.overall]:
            lines.append(self._row(score))
        lines.append("")
        lines.append("Strict: asserted/claimed on both sides; a match also needs a shared actor:")
        lines.append(
            f"{'event type':<16}{'P':>6}{'R':>6}{'F1':>6}{'tp':>6}{'pred':>6}{'gold':>6}  target"
        )
        for score in [*self.strict.values(), self.strict_overall]:
            target = F1_TARGETS.get(score.label)
            mark = ""
            if target is not None and score.f1 is not None:
                mark = f"{'ok' if score.f1 >= target else 'BELOW'} {target:.2f}"
            lines.append(f"{self._row(score)}  {mark}")
        for label, r, target in (
            ("strict: actors exact", self.strict_actor_exact, ACTOR_TARGET),
            ("strict: day-precise gold dates within a day", self.strict_day_dates, DATE_TARGET),
        ):
            mark = "" if r.value is None else ("ok" if r.value >= target else "BELOW")
            lines.append(
                f"{label:<46}{_pct(r.value):>5}%  ({r.hits}/{r.total})  {mark} {target:.2f}"
            )
        lines.append("")
        for label, r in (
            ("actors exact (matched events)", self.actor_exact),
            ("actors overlap (matched events)", self.actor_overlap),
            ("modality (matched events)", self.modality),
            ("date exact (asserted)", self.date_exact),
            ("date within one day (asserted)", self.date_within_day),
            ("  of those with a gold date: exact", self.dated_exact),
            ("  of those with a gold date: within one day", self.dated_within_day),
        ):
            lines.append(f"{label:<46}{_pct(r.value):>5}%  ({r.hits}/{r.total})")
        if errors and self.errors:
            lines.append("")
            lines.append(f"First {min(errors, len(self.errors))} of {len(self.errors)} errors:")
            for error in self.errors[:errors]:
                lines.append("  " + json.dumps(error, ensure_ascii=False)[:300])
        if errors and self.strict_errors:
            lines.append("")
            lines.append(
                f"First {min(errors, len(self.strict_errors))} of {len(self.strict_errors)}"
                " strict errors:"
            )
            for error in self.strict_errors[:errors]:
                lines.append("  " + json.dumps(error, ensure_ascii=False)[:300])
        for note in self.notes[:20]:
            lines.append(f"note: {note}")
        return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:4.0f}"


def _parse_iso(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def dates_agree(predicted: str | None, gold: str | None, *, days: int = 0) -> bool:
    """Same value at the same precision; with ``days``, day dates that far apart agree."""
    if predicted == gold:
        return True
    if days:
        a, b = _parse_iso(predicted), _parse_iso(gold)
        if a is not None and b is not None:
            return abs((a - b).days) <= days
    return False


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _locate(locator: TextLocator, evidence: str) -> tuple[int, int] | None:
    """Where the gold evidence is in the processed text, ignoring whitespace, quotes,
    dashes and, failing that, all punctuation."""
    found = locator.find(evidence)
    if found is not None:
        return found
    words = re.findall(r"\w+", evidence)
    if not words:
        return None
    pattern = r"\W*".join(re.escape(w) for w in words)
    match = re.search(pattern, locator.text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def _agreement(predicted: dict[str, Any], gold: GoldEvent) -> float:
    score = 0.0
    if tuple(sorted(predicted["actors"])) == gold.actors:
        score += 1
    if dates_agree(predicted["event_date"], gold.event_date, days=1):
        score += 1
    if predicted["modality"] == gold.modality:
        score += 0.5
    return score


def match_events(
    predicted: list[dict[str, Any]],
    gold: list[tuple[GoldEvent, tuple[int, int] | None]],
    *,
    shared_actor: bool = False,
) -> list[tuple[int, int]]:
    """(predicted index, gold index) pairs: most matches first, then most agreement. With
    ``shared_actor``, a pair also needs an actor in common (unless the gold names none)."""
    if not predicted or not gold:
        return []
    from scipy.optimize import linear_sum_assignment

    cost = np.zeros((len(predicted), len(gold)))
    for i, event in enumerate(predicted):
        span = (int(event["start_char"]), int(event["end_char"]))
        for j, (gold_event, located) in enumerate(gold):
            if (
                located is not None
                and event["event_type"] == gold_event.event_type
                and _overlap(span, located)
                and (
                    not shared_actor
                    or not gold_event.actors
                    or bool(set(event["actors"]) & set(gold_event.actors))
                )
            ):
                cost[i, j] = -(100.0 + _agreement(event, gold_event))
    rows, cols = linear_sum_assignment(cost)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if cost[i, j] < 0]


def score_article(
    report: EventReport,
    predicted: list[dict[str, Any]],
    gold: list[GoldEvent],
    text: str,
    ref: str,
) -> None:
    """Add one article's matches, misses and attribute agreement to ``report``."""
    locator = TextLocator(text)
    located: list[tuple[GoldEvent, tuple[int, int] | None]] = []
    for gold_event in gold:
        span = _locate(locator, gold_event.evidence)
        if span is None:
            report.notes.append(f"{gold_event.where}: evidence not found in the processed text")
        located.append((gold_event, span))
    pairs = match_events(predicted, located)
    matched_predicted = {i for i, _ in pairs}
    matched_gold = {j for _, j in pairs}
    for predicted_event in predicted:
        report.scores[predicted_event["event_type"]].predicted += 1
    for gold_event, _ in located:
        report.scores[gold_event.event_type].gold += 1
    for i, j in pairs:
        event, (gold_event, _) = predicted[i], located[j]
        report.scores[gold_event.event_type].true_positives += 1
        actors = tuple(sorted(event["actors"]))
        report.actor_exact.add(actors == gold_event.actors)
        report.actor_overlap.add(
            bool(set(actors) & set(gold_event.actors)) or (not actors and not gold_event.actors)
        )
        report.modality.add(event["modality"] == gold_event.modality)
        if gold_event.modality == "asserted":
            exact = dates_agree(event["event_date"], gold_event.event_date)
            near = dates_agree(event["event_date"], gold_event.event_date, days=1)
            report.date_exact.add(exact)
            report.date_within_day.add(near)
            if gold_event.event_date:
                report.dated_exact.add(exact)
                report.dated_within_day.add(near)
            if not near:
                report.errors.append(
                    {
                        "kind": "date",
                        "ref": ref,
                        "where": gold_event.where,
                        "type": gold_event.event_type,
                        "gold": gold_event.event_date,
                        "predicted": event["event_date"],
                        "date_text": event["date_text"],
                        "gold_evidence": gold_event.evidence[:120],
                    }
                )
        if actors != gold_event.actors:
            report.errors.append(
                {
                    "kind": "actors",
                    "ref": ref,
                    "where": gold_event.where,
                    "type": gold_event.event_type,
                    "gold": list(gold_event.actors),
                    "predicted": list(actors),
                    "gold_evidence": gold_event.evidence[:120],
                }
            )
    _score_strict(report, predicted, located, text, ref)
    for j, (gold_event, gold_span) in enumerate(located):
        if j not in matched_gold:
            report.errors.append(
                {
                    "kind": "missed",
                    "ref": ref,
                    "where": gold_event.where,
                    "type": gold_event.event_type,
                    "gold_evidence": gold_event.evidence[:160],
                    "located": gold_span is not None,
                }
            )
    for i, spurious in enumerate(predicted):
        if i not in matched_predicted:
            report.errors.append(
                {
                    "kind": "spurious",
                    "ref": ref,
                    "type": spurious["event_type"],
                    "trigger": spurious["trigger"],
                    "sentence": text[int(spurious["start_char"]) : int(spurious["end_char"])][:200],
                }
            )


def _score_strict(
    report: EventReport,
    predicted: list[dict[str, Any]],
    located: list[tuple[GoldEvent, tuple[int, int] | None]],
    text: str,
    ref: str,
) -> None:
    """The strict scores: what happened, who did it, and on which day."""
    happened = [event for event in predicted if event["modality"] in HAPPENED]
    gold = [pair for pair in located if pair[0].modality in HAPPENED]
    for event in happened:
        report.strict[event["event_type"]].predicted += 1
    for gold_event, _ in gold:
        report.strict[gold_event.event_type].gold += 1
    pairs = match_events(happened, gold, shared_actor=True)
    _strict_errors(report, happened, gold, pairs, text, ref)
    for i, j in pairs:
        event, gold_event = happened[i], gold[j][0]
        report.strict[gold_event.event_type].true_positives += 1
        report.strict_actor_exact.add(tuple(sorted(event["actors"])) == gold_event.actors)
        if gold_event.modality == "asserted" and _parse_iso(gold_event.event_date) is not None:
            report.strict_day_dates.add(
                dates_agree(event["event_date"], gold_event.event_date, days=1)
            )


def _strict_errors(
    report: EventReport,
    happened: list[dict[str, Any]],
    gold: list[tuple[GoldEvent, tuple[int, int] | None]],
    pairs: list[tuple[int, int]],
    text: str,
    ref: str,
) -> None:
    """What the strict scores missed or invented, for ``--errors`` on the dev set."""
    matched_predicted = {i for i, _ in pairs}
    matched_gold = {j for _, j in pairs}
    for j, (gold_event, _) in enumerate(gold):
        if j not in matched_gold:
            report.strict_errors.append(
                {
                    "kind": "strict-missed",
                    "ref": ref,
                    "where": gold_event.where,
                    "type": gold_event.event_type,
                    "gold_actors": list(gold_event.actors),
                    "gold_evidence": gold_event.evidence[:160],
                }
            )
    for i, event in enumerate(happened):
        if i not in matched_predicted:
            report.strict_errors.append(
                {
                    "kind": "strict-spurious",
                    "type": event["event_type"],
                    "modality": event["modality"],
                    "actors": list(event["actors"]),
                    "trigger": event["trigger"],
                    "ref": ref,
                    "sentence": text[int(event["start_char"]) : int(event["end_char"])][:200],
                }
            )


def article_docs(
    articles: dict[tuple[str, str], dict[str, Any]], nlp: Any
) -> Iterable[tuple[tuple[str, str], Any]]:
    """(key, processed Doc) of each article, in the order of ``articles``, each Doc made
    with its article attached the way ingest does it."""
    from flashpoint.nlp.events.component import set_article

    keys = list(articles)
    docs = []
    for key in keys:
        article = articles[key]
        context = ArticleContext(
            article_id=f"{key[0]}:{key[1]}",
            published=article.get("published"),
            published_precision=article.get("published_precision") or "unknown",
            dateline=article.get("dateline"),
            title=article.get("title"),
            source=article.get("source"),
        )
        docs.append(set_article(nlp.make_doc(article["text"]), context))
    yield from zip(keys, nlp.pipe(docs, batch_size=16), strict=True)


def _predict(
    articles: dict[tuple[str, str], dict[str, Any]], nlp: Any
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    return {
        key: [asdict(event) for event in doc._.events] for key, doc in article_docs(articles, nlp)
    }


def load_gold_articles(
    gold_paths: Path | str | Sequence[Path | str] = DEFAULT_GOLD,
    shared_dir: Path | str | None = DEFAULT_SHARED_DIR,
    *,
    sample_dir: Path = SAMPLE_DIR,
) -> tuple[list[GoldArticle], dict[tuple[str, str], dict[str, Any]], list[str]]:
    """The gold articles of ``gold_paths``, the texts found for them (by
    :attr:`GoldArticle.key`) and notes on what was skipped. Shared-corpus articles are
    skipped with a note when ``shared_dir`` has no corpora; gold files that do not exist
    yet are skipped with a note."""
    paths = (
        [Path(gold_paths)] if isinstance(gold_paths, str | Path) else [Path(p) for p in gold_paths]
    )
    gold: list[GoldArticle] = []
    notes: list[str] = []
    for path in paths:
        read, path_notes = read_gold(path)
        gold += read
        notes += path_notes
    shared = Path(shared_dir) if shared_dir else None
    wanted: dict[str, set[str]] = {}
    for gold_article in gold:
        wanted.setdefault(gold_article.corpus, set()).add(gold_article.ref)

    articles: dict[tuple[str, str], dict[str, Any]] = {}
    for corpus, refs in wanted.items():
        if corpus == SAMPLE:
            try:
                found_articles = _sample_articles(refs, sample_dir)
            except ImportError as error:
                notes.append(f"demo-corpus gold skipped: readers unavailable ({error})")
                continue
        else:
            if shared is None or not (shared / "corpora" / corpus).is_file():
                notes.append(f"{corpus}: not under {shared}/corpora; its gold skipped")
                continue
            found_articles = _shared_articles(corpus, refs, shared)
        for ref, found_article in found_articles.items():
            articles[(corpus, ref)] = found_article
    return gold, articles, notes


def gold_events_of(
    article: GoldArticle, text: dict[str, Any], notes: list[str] | None = None
) -> list[GoldEvent]:
    """The gold events of one article, ``text`` being what :func:`load_gold_articles`
    found for it (their evidence is a quote or a span of its raw text)."""
    return _gold_events(article, text["raw"], notes if notes is not None else [])


def locate_gold(gold: list[GoldEvent], text: str) -> list[tuple[GoldEvent, tuple[int, int] | None]]:
    """Each gold event with where its evidence is in the processed ``text`` (None: not
    found), the form :func:`match_events` takes."""
    locator = TextLocator(text)
    return [(gold_event, _locate(locator, gold_event.evidence)) for gold_event in gold]


def score_predictions(
    gold: list[GoldArticle],
    articles: dict[tuple[str, str], dict[str, Any]],
    predictions: dict[tuple[str, str], list[dict[str, Any]]],
    *,
    notes: list[str] | None = None,
    split: str = "dev",
) -> EventReport:
    """Score ``predictions`` (event rows by article key) against the gold articles found in
    ``articles``; a gold article with no text is noted and left out."""
    report = EventReport(
        scores={t: Score(t) for t in EVENT_TYPES}, notes=list(notes or []), split=split
    )
    for article in gold:
        if article.key not in articles:
            report.notes.append(f"{article.where}: article {article.ref!r} not found")
            continue
        text = articles[article.key]
        events = _gold_events(article, text["raw"], report.notes)
        score_article(report, predictions[article.key], events, text["text"], article.ref)
        report.articles += 1
        report.corpora.add(article.corpus)
    return report


def evaluate_events(
    gold_paths: Path | str | Sequence[Path | str] = DEFAULT_GOLD,
    nlp: Any = None,
    shared_dir: Path | str | None = DEFAULT_SHARED_DIR,
    *,
    sample_dir: Path = SAMPLE_DIR,
    split: str = "dev",
) -> EventReport:
    """Run the pipeline over the gold articles and score the events it extracts.

    ``nlp`` defaults to :func:`flashpoint.nlp.pipeline.load_pipeline`. Shared-corpus
    articles are skipped with a note when ``shared_dir`` has no corpora; gold files that
    do not exist yet are skipped with a note.
    """
    gold, articles, notes = load_gold_articles(gold_paths, shared_dir, sample_dir=sample_dir)
    if nlp is None:
        from flashpoint.nlp.pipeline import load_pipeline

        nlp = load_pipeline()
    predictions = _predict(articles, nlp) if articles else {}
    return score_predictions(gold, articles, predictions, notes=notes, split=split)


# -- baseline ------------------------------------------------------------------------------


def scope_of(report: EventReport) -> str:
    """Which gold was scored ("sample", "sample+<csv>..."): a baseline holds per scope,
    since a checkout without ../shared scores fewer articles."""
    return "+".join(sorted(report.corpora)) or "none"


def _baseline_entry(report: EventReport) -> dict[str, Any]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "f1": {t: round(v, 4) for t, v in sorted(report.f1_by_type().items())},
        "strict_f1": {t: round(v, 4) for t, v in sorted(report.strict_f1_by_type().items())},
        "date_within_day": rounded(report.date_within_day.value),
        "strict_day_dates": rounded(report.strict_day_dates.value),
        "strict_actor_exact": rounded(report.strict_actor_exact.value),
        "articles": report.articles,
    }


def write_baseline(report: EventReport, path: Path | str = DEFAULT_BASELINE) -> dict[str, Any]:
    """Record this run as the line to hold for its split and scope, keeping what the file
    holds for the others."""
    target = Path(path)
    try:
        baseline: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        baseline = {}
    events = baseline.setdefault("events", {})
    events.setdefault(report.split, {})[scope_of(report)] = _baseline_entry(report)
    target.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return baseline


def regressions(
    report: EventReport, baseline_path: Path | str, tolerance: float = REGRESSION_TOLERANCE
) -> list[str]:
    """What fell more than ``tolerance`` below the baseline recorded for the same split and
    scope: F1 per event type (any modality, and strict), date accuracy and strict actor
    accuracy. No baseline for this scope: nothing to compare."""
    baseline = json.loads(Path(baseline_path).read_text(encoding="utf-8"))
    scope: dict[str, Any] = (
        baseline.get("events", {}).get(report.split, {}).get(scope_of(report), {})
    )
    now = _baseline_entry(report)
    problems = []
    for key, label in (
        ("date_within_day", "dates within one day"),
        ("strict_day_dates", "strict: day-precise dates within one day"),
        ("strict_actor_exact", "strict: actors exact"),
    ):
        before, current = scope.get(key), now[key]
        if before is not None and current is not None and current < before - tolerance:
            problems.append(f"{label}: {current:.3f} < baseline {before:.3f} - {tolerance}")
    for key, label in (("f1", "F1"), ("strict_f1", "strict F1")):
        for event_type, before in sorted(scope.get(key, {}).items()):
            current = now[key].get(event_type)
            if current is None:
                problems.append(f"{event_type}: no {label} now (baseline {before:.3f})")
            elif current < before - tolerance:
                problems.append(
                    f"{event_type}: {label} {current:.3f} < baseline {before:.3f} - {tolerance}"
                )
    return [f"{report.split}: {problem}" for problem in problems]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flashpoint.eval.events", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: tests/data)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument("--model", default=None, help="spaCy model name or path")
    parser.add_argument("--baseline", type=Path, help="fail if an F1 drops below this baseline")
    parser.add_argument("--write-baseline", type=Path, help="record this run as the baseline")
    parser.add_argument("--errors", type=int, default=0, help="list the first N errors")
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)

    from flashpoint.nlp.pipeline import load_pipeline

    report = evaluate_events(args.gold or DEFAULT_GOLD, load_pipeline(args.model), args.shared)
    print(report.table(errors=args.errors))
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    if args.write_baseline:
        write_baseline(report, args.write_baseline)
        print(f"baseline written to {args.write_baseline}")
    if args.baseline:
        if not args.baseline.is_file():
            print(f"no baseline at {args.baseline}: nothing to compare", file=sys.stderr)
            return 0
        problems = regressions(report, args.baseline)
        for problem in problems:
            print(f"REGRESSION {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
