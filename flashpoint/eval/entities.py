"""Entity canonicalisation against gold labels: precision and recall per entity type.

Gold file (``tests/data/gold_mentions*.jsonl``), one labelled sentence per line, labels
exhaustive within the sentence::

    {"ref": "<external_id or url>", "corpus": "sample" | "<CSV in ../shared/corpora>",
     "sentence": {"quote": "..."} | {"start": 10, "end": 99},
     "mentions": [{"text": "Pyongyang", "start": 0, "end": 9,
                   "entity_id": "country:PRK", "entity_type": "country"}]}

Mention offsets are relative to the sentence start; a shared-corpus sentence is given by
offsets into the raw CSV ``text``. The evaluator runs the pipeline over the labelled
articles (or reads an existing corpus), finds each sentence in the processed text, and
matches mentions by overlap: a system mention that overlaps a gold mention and carries the
same entity id is a true positive. Precision of a type = true positives / system mentions
with an entity id of that type inside labelled sentences; recall = true positives / gold
mentions of that type. Gold mentions without an id (an unknowable name) count for neither,
and so do system mentions overlapping them.

Run: ``python -m flashpoint.eval.entities [GOLD...] [--shared DIR] [--model NAME]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from flashpoint.config import REPO_ROOT, SAMPLE_DIR
from flashpoint.eval import DEFAULT_SHARED_DIR, Score, TextLocator, read_csv_rows
from flashpoint.schema import ENTITY_TYPES

DEFAULT_GOLD = REPO_ROOT / "tests" / "data" / "gold_mentions.jsonl"
# The acceptance: countries and weapon systems canonicalised at >= 0.95.
TARGETS: dict[str, float] = {"country": 0.95, "weapon": 0.95}
SAMPLE = "sample"
REMOVED_BY_CLEANING = " is in text cleaning removed"


def meets_target(score: Score) -> bool | None:
    target = TARGETS.get(score.label)
    if target is None or score.precision is None or score.recall is None:
        return None
    return score.precision >= target and score.recall >= target


@dataclass
class EntityReport:
    scores: dict[str, Score]
    sentences: int = 0
    articles: int = 0
    notes: list[str] = field(default_factory=list)  # what was skipped, and why
    errors: list[dict[str, Any]] = field(default_factory=list)  # misses and false alarms

    @property
    def overall(self) -> Score:
        total = Score("overall")
        for score in self.scores.values():
            total.add(score)
        return total

    def to_dict(self) -> dict[str, Any]:
        rows = [*self.scores.values(), self.overall]
        return {
            "sentences": self.sentences,
            "articles": self.articles,
            "scores": {
                s.label: {
                    "tp": s.true_positives,
                    "system": s.predicted,
                    "gold": s.gold,
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                }
                for s in rows
            },
            "notes": self.notes,
        }

    def table(self, errors: int = 15) -> str:
        """The report as text: one row per type, then notes and the first errors."""

        def pct(value: float | None) -> str:
            return "   -  " if value is None else f"{value:6.1%}"

        lines = [
            f"entity canonicalisation: {self.sentences} sentences in {self.articles} articles",
            f"{'type':<13}{'gold':>6}{'system':>8}{'tp':>6}  {'precision':>9}  {'recall':>7}  {'f1':>6}  target",
        ]
        for score in [*self.scores.values(), self.overall]:
            target = TARGETS.get(score.label)
            verdict = {True: "ok", False: "BELOW", None: ""}[meets_target(score)]
            lines.append(
                f"{score.label:<13}{score.gold:>6}{score.predicted:>8}{score.true_positives:>6}"
                f"  {pct(score.precision):>9}  {pct(score.recall):>7}  {pct(score.f1):>6}"
                + (f"  >= {target:.0%} {verdict}" if target else "")
            )
        for note in self.notes:
            lines.append(f"note: {note}")
        for error in self.errors[:errors]:
            lines.append(
                f"{error['kind']}: {error['text']!r} gold={error.get('gold_id')} "
                f"system={error.get('system_id')} ({error['ref']})"
            )
        if len(self.errors) > errors:
            lines.append(f"... and {len(self.errors) - errors} more errors")
        return "\n".join(lines)


@dataclass
class GoldSentence:
    ref: str
    corpus: str
    quote: str | None
    start: int | None
    end: int | None
    mentions: list[dict[str, Any]]
    where: str


def read_gold(path: Path) -> tuple[list[GoldSentence], list[str]]:
    """Parse a gold file; lines that cannot be used are reported, not fatal."""
    sentences: list[GoldSentence] = []
    notes: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{number}"
            try:
                record = json.loads(line)
                sentence = record["sentence"]
                mentions = record.get("mentions") or []
                if not isinstance(mentions, list):
                    raise TypeError("'mentions' must be a list")
                sentences.append(
                    GoldSentence(
                        ref=str(record["ref"]),
                        corpus=str(record.get("corpus") or SAMPLE),
                        quote=sentence.get("quote"),
                        start=sentence.get("start"),
                        end=sentence.get("end"),
                        mentions=mentions,
                        where=where,
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                notes.append(f"{where}: unusable gold line ({error})")
    return sentences, notes


# -- article texts -------------------------------------------------------------------------


def _clean(text: str, title: str | None = None) -> str:
    """The text ingest would store for a raw body (its cleaning, when that module is present)."""
    try:
        from flashpoint.ingest.clean import clean_body
    except ImportError:
        return text
    return clean_body(text, title=title).text


def _sample_articles(refs: set[str], sample_dir: Path) -> dict[str, dict[str, Any]]:
    """Demo-corpus articles by external id or url, read with the project's own readers."""
    from flashpoint.ingest.readers import read_source
    from flashpoint.schema import RawArticle

    found: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in sample_dir.rglob("*") if p.is_file()):
        for item in read_source(str(path)):
            if not isinstance(item, RawArticle):
                continue
            for key in (item.external_id, item.url):
                if key and key in refs:
                    found[key] = {"text": item.text, "raw": item.text, "title": item.title}
    return found


def _shared_articles(corpus: str, refs: set[str], shared_dir: Path) -> dict[str, dict[str, Any]]:
    rows = read_csv_rows(shared_dir / "corpora" / corpus, refs)
    return {
        ref: {
            "text": _clean(row.get("text") or ""),
            "raw": row.get("text") or "",
            "title": row.get("title"),
        }
        for ref, row in rows.items()
    }


# -- matching ------------------------------------------------------------------------------


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _score_sentence(
    gold: list[dict[str, Any]],
    system: list[dict[str, Any]],
    scores: dict[str, Score],
    errors: list[dict[str, Any]],
    ref: str,
) -> None:
    """Count one sentence: gold and system mentions carry absolute start/end offsets."""
    unknowable = [g for g in gold if not g.get("entity_id")]
    gold = [g for g in gold if g.get("entity_id")]
    system = [
        s
        for s in system
        if s.get("entity_id")
        and not any(_overlaps(s["start"], s["end"], u["start"], u["end"]) for u in unknowable)
    ]
    matched_system: set[int] = set()
    for g in gold:
        entity_type = str(g.get("entity_type") or g["entity_id"].partition(":")[0])
        score = scores.setdefault(entity_type, Score(entity_type))
        score.gold += 1
        hit = next(
            (
                i
                for i, s in enumerate(system)
                if i not in matched_system
                and s["entity_id"] == g["entity_id"]
                and _overlaps(s["start"], s["end"], g["start"], g["end"])
            ),
            None,
        )
        if hit is not None:
            matched_system.add(hit)
            score.true_positives += 1
        else:
            near = [
                s["entity_id"]
                for s in system
                if _overlaps(s["start"], s["end"], g["start"], g["end"])
            ]
            errors.append(
                {
                    "kind": "missed",
                    "ref": ref,
                    "text": g.get("text"),
                    "gold_id": g["entity_id"],
                    "system_id": ", ".join(near) or None,
                }
            )
    for i, s in enumerate(system):
        entity_type = str(s.get("entity_type") or "unknown")
        score = scores.setdefault(entity_type, Score(entity_type))
        score.predicted += 1
        if i in matched_system:
            continue
        near = [
            g["entity_id"] for g in gold if _overlaps(s["start"], s["end"], g["start"], g["end"])
        ]
        errors.append(
            {
                "kind": "false",
                "ref": ref,
                "text": s.get("text"),
                "gold_id": ", ".join(near) or None,
                "system_id": s["entity_id"],
            }
        )


def _system_mentions(
    articles: dict[tuple[str, str], dict[str, Any]], source: Any
) -> dict[tuple[str, str], pd.DataFrame]:
    """Mentions per article: from a built corpus's table, or by running the pipeline."""
    from flashpoint.store import Corpus

    if isinstance(source, Corpus):
        mentions = source.mentions
        return {
            key: mentions[mentions["article_id"] == article["article_id"]]
            for key, article in articles.items()
        }
    from flashpoint.nlp.process import process_batch

    nlp = source
    if nlp is None:
        from flashpoint.nlp.pipeline import load_pipeline

        nlp = load_pipeline()
    ids = {key: f"{key[0]}#{key[1]}" for key in articles}
    rows = [{"article_id": ids[key], "text": article["text"]} for key, article in articles.items()]
    tables = process_batch(rows, nlp)
    grouped = dict(tuple(tables.mentions.groupby("article_id", sort=False)))
    empty = tables.mentions.iloc[0:0]
    return {key: grouped.get(ids[key], empty) for key in articles}


def _corpus_articles(
    corpus: Any, wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Labelled articles found in a built corpus, by external id, url or article id."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    by_ref: dict[str, dict[str, Any]] = {}
    for row in corpus.articles.to_dict("records"):
        for column in ("external_id", "url", "article_id"):
            value = row.get(column)
            if isinstance(value, str) and value:
                by_ref.setdefault(value, row)
    for key in wanted:
        row = by_ref.get(key[1])
        if row is not None:
            found[key] = {"text": row["text"], "raw": row["text"], "article_id": row["article_id"]}
    return found


def evaluate_entities(
    gold_path: Path | str | Sequence[Path | str] = DEFAULT_GOLD,
    corpus_or_nlp: Any = None,
    shared_dir: Path | str | None = DEFAULT_SHARED_DIR,
    *,
    sample_dir: Path = SAMPLE_DIR,
) -> EntityReport:
    """Score entity canonicalisation on the gold sentences.

    ``corpus_or_nlp``: a built :class:`flashpoint.store.Corpus` holding the labelled
    articles, or a spaCy pipeline to run over them (None: :func:`load_pipeline`).
    Shared-corpus lines are skipped with a note when ``shared_dir`` is absent.
    """
    paths = [Path(gold_path)] if isinstance(gold_path, str | Path) else [Path(p) for p in gold_path]
    gold: list[GoldSentence] = []
    notes: list[str] = []
    for path in paths:
        sentences, path_notes = read_gold(path)
        gold += sentences
        notes += path_notes
    shared = Path(shared_dir) if shared_dir else None
    has_shared = shared is not None and (shared / "corpora").is_dir()

    wanted: dict[str, set[str]] = {}
    usable: list[GoldSentence] = []
    skipped_shared = 0
    for sentence in gold:
        if sentence.corpus != SAMPLE and not has_shared:
            skipped_shared += 1
            continue
        wanted.setdefault(sentence.corpus, set()).add(sentence.ref)
        usable.append(sentence)
    if skipped_shared:
        notes.append(f"{skipped_shared} shared-corpus sentences skipped: no corpora under {shared}")

    from flashpoint.store import Corpus

    articles: dict[tuple[str, str], dict[str, Any]] = {}
    if isinstance(corpus_or_nlp, Corpus):
        articles = _corpus_articles(
            corpus_or_nlp, {(c, r) for c, refs in wanted.items() for r in refs}
        )
        for corpus, refs in wanted.items():  # gold offsets point into the raw CSV text
            if corpus == SAMPLE or shared is None or not (shared / "corpora" / corpus).is_file():
                continue
            for ref, row in read_csv_rows(shared / "corpora" / corpus, refs).items():
                if (corpus, ref) in articles:
                    articles[(corpus, ref)]["raw"] = row.get("text") or ""
    else:
        for corpus, refs in wanted.items():
            if corpus == SAMPLE:
                try:
                    found = _sample_articles(refs, sample_dir)
                except ImportError as error:
                    notes.append(f"sample sentences skipped: readers unavailable ({error})")
                    continue
            else:
                if shared is None or not (shared / "corpora" / corpus).is_file():
                    notes.append(
                        f"{corpus}: not found under {shared}/corpora; its sentences skipped"
                    )
                    continue
                found = _shared_articles(corpus, refs, shared)
            for ref, article in found.items():
                articles[(corpus, ref)] = article

    system = _system_mentions(articles, corpus_or_nlp) if articles else {}
    scores: dict[str, Score] = {t: Score(t) for t in ENTITY_TYPES}
    errors: list[dict[str, Any]] = []
    counted_sentences = 0
    for sentence in usable:
        key = (sentence.corpus, sentence.ref)
        if key not in articles:
            notes.append(
                f"{sentence.where}: article {sentence.ref!r} not found in {sentence.corpus}"
            )
            continue
        located = _locate(sentence, articles[key])
        if located is None:
            notes.append(f"{sentence.where}: sentence not found in the processed text")
            continue
        start, end, gold_mentions, problems = located
        notes += problems
        frame = system[key]
        inside = frame[(frame["start_char"] < end) & (frame["end_char"] > start)]
        system_mentions = [
            {
                "start": int(row["start_char"]),
                "end": int(row["end_char"]),
                "text": row["text"],
                "entity_id": row["entity_id"] if isinstance(row["entity_id"], str) else None,
                "entity_type": row["entity_type"] if isinstance(row["entity_type"], str) else None,
            }
            for row in inside.to_dict("records")
        ]
        _score_sentence(gold_mentions, system_mentions, scores, errors, sentence.ref)
        counted_sentences += 1
    removed = [n for n in notes if n.endswith(REMOVED_BY_CLEANING)]
    if removed:
        notes = [n for n in notes if not n.endswith(REMOVED_BY_CLEANING)]
        notes.append(
            f"{len(removed)} gold mentions not scored: in text cleaning removed (datelines, credits)"
        )
    unknown_ids = _gold_ids_missing_from_gazetteer(usable)
    if unknown_ids:
        notes.append(
            f"{len(unknown_ids)} gold ids are not in the gazetteer (a gap, or a label to fix): "
            + ", ".join(unknown_ids[:25])
            + (" ..." if len(unknown_ids) > 25 else "")
        )
        unknown = set(unknown_ids)
        misses: dict[str, int] = {}
        for item in errors:
            if item["kind"] == "missed" and item["gold_id"] in unknown:
                kind = str(item["gold_id"]).partition(":")[0].replace("org", "organization")
                misses[kind] = misses.get(kind, 0) + 1
        known = [
            f"{t} {score.true_positives / (score.gold - misses.get(t, 0)):.1%}"
            for t, score in scores.items()
            if score.gold - misses.get(t, 0) > 0
        ]
        notes.append("recall on gold ids the gazetteer has: " + ", ".join(known))
    return EntityReport(
        scores={k: v for k, v in scores.items() if v.gold or v.predicted or k in ENTITY_TYPES},
        sentences=counted_sentences,
        articles=len({(s.corpus, s.ref) for s in usable if (s.corpus, s.ref) in articles}),
        notes=notes,
        errors=errors,
    )


def _gold_ids_missing_from_gazetteer(sentences: list[GoldSentence]) -> list[str]:
    """Gold ids of gazetteer types (not people: an unknown person's slug id is normal)."""
    from flashpoint.nlp.gazetteer import Gazetteer, GazetteerError

    try:
        gazetteer = Gazetteer.load()
    except GazetteerError:
        return []
    ids = {
        str(m.get("entity_id"))
        for s in sentences
        for m in s.mentions
        if m.get("entity_id") and not str(m.get("entity_id")).startswith("person:")
    }
    return sorted(i for i in ids if i not in gazetteer)


def _locate(
    sentence: GoldSentence, article: dict[str, Any]
) -> tuple[int, int, list[dict[str, Any]], list[str]] | None:
    """The labelled sentence's span in the processed text, and its gold mentions there."""
    text: str = article["text"]
    if sentence.quote is not None:
        raw_sentence = sentence.quote
        near = 0
    elif sentence.start is not None and sentence.end is not None:
        raw_sentence = (article.get("raw") or text)[sentence.start : sentence.end]
        near = sentence.start
    else:
        return None
    locator = TextLocator(text)
    found = locator.find(raw_sentence, near)
    skip = 0
    while found is None and skip < min(80, len(raw_sentence) // 2):
        # cleaning may have taken a dateline ("SEOUL (Reuters) -") off the sentence's front
        skip = raw_sentence.find(" ", skip + 1)
        if skip == -1:
            break
        found = locator.find(raw_sentence[skip:], near)
    if found is None:
        return None
    if skip > 0:
        raw_sentence = raw_sentence[skip:]
    start, end = found
    problems: list[str] = []
    mentions: list[dict[str, Any]] = []
    for mention in sentence.mentions:
        m_start, m_end = int(mention["start"]) - max(skip, 0), int(mention["end"]) - max(skip, 0)
        label = mention.get("text")
        if m_end <= 0:
            problems.append(f"{sentence.where}: mention {label!r}{REMOVED_BY_CLEANING}")
            continue
        if label and raw_sentence[m_start:m_end] != label:
            # tolerate off-by-some offsets: take the occurrence of the text closest to them
            position = _closest(raw_sentence, label, m_start)
            if position is None:
                problems.append(f"{sentence.where}: mention {label!r} not in its sentence")
                continue
            m_start, m_end = position, position + len(label)
        mapped = locator.map_inner(raw_sentence, start, m_start, m_end)
        if mapped is None:
            problems.append(f"{sentence.where}: mention {label!r} could not be placed")
            continue
        mentions.append({**mention, "start": mapped[0], "end": mapped[1]})
    return start, end, mentions, problems


def _closest(text: str, needle: str, near: int) -> int | None:
    hits = []
    position = text.find(needle)
    while position != -1:
        hits.append(position)
        position = text.find(needle, position + 1)
    return min(hits, key=lambda hit: abs(hit - near)) if hits else None


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flashpoint.eval.entities")
    parser.add_argument("gold", nargs="*", type=Path, default=[DEFAULT_GOLD])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    from flashpoint.nlp.pipeline import load_pipeline

    report = evaluate_entities(args.gold, load_pipeline(args.model), args.shared)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
