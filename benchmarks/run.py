"""Speed benchmarks. Each reports a ratio against a baseline measured in the same run, so
numbers compare across machines. Not tests: nothing here asserts a time.

    python benchmarks/run.py [--articles N] [--only NAME...]

Uses ../shared/corpora (Korea Herald set) when present, else the demo corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))


def timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def korea_herald_subset(n: int, workdir: Path) -> Path:
    """The first n Korea Herald rows, written to a temporary CSV (outside the repo)."""
    csv.field_size_limit(1 << 30)
    source = SHARED / "koreaherald_2015_2017_security.csv"
    target = workdir / f"kh_{n}.csv"
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames or [], quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for i, row in enumerate(reader):
            if i >= n:
                break
            writer.writerow(row)
    return target


def bench_ingest(n: int, workdir: Path) -> dict[str, Any]:
    """Ingest vs spaCy alone over the same texts; then the incremental re-run."""
    from flashpoint.ingest.readers import read_source
    from flashpoint.ingest.run import ingest
    from flashpoint.nlp.pipeline import load_pipeline

    workdir.mkdir(parents=True, exist_ok=True)
    source = korea_herald_subset(n, workdir) if SHARED.exists() else REPO / "data" / "sample"
    texts = [a.text for a in read_source(str(source)) if hasattr(a, "text")]
    nlp = load_pipeline()
    baseline = timed(lambda: list(nlp.pipe(texts, batch_size=32)))
    corpus = workdir / "corpus"
    first = timed(lambda: ingest([str(source)], corpus, progress=False))
    second = timed(lambda: ingest([str(source)], corpus, progress=False))
    return {
        "articles": len(texts),
        "spacy_pipe_s": round(baseline, 2),
        "ingest_first_s": round(first, 2),
        "ingest_rerun_s": round(second, 3),
        "ingest_over_spacy": round(first / baseline, 2),
        "rerun_over_first": round(second / first, 4),
    }


def _bench_corpus(n: int, workdir: Path) -> Path:
    """A corpus to aggregate over: the Korea Herald subset (or the demo corpus)."""
    from flashpoint.config import sample_sources
    from flashpoint.ingest.run import ingest

    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus"
    sources = [str(korea_herald_subset(n, workdir))] if SHARED.exists() else sample_sources()
    ingest(sources, corpus, progress=False)
    return corpus


def naive_pair_counts(mentions: Any, ids: set[str]) -> dict[tuple[str, str], int]:
    """The obvious Python loop: the baseline the sparse co-occurrence is measured against."""
    units: dict[tuple[str, int], set[str]] = {}
    for article, sentence, entity in zip(
        mentions["article_id"], mentions["sentence_idx"], mentions["entity_id"], strict=True
    ):
        if entity in ids:
            units.setdefault((article, sentence), set()).add(entity)
    counts: dict[tuple[str, str], int] = {}
    for members in units.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return counts


def bench_aggregate(n: int, workdir: Path) -> dict[str, Any]:
    """Co-occurrence (sparse) vs a Python loop; a filter change vs reading the corpus."""
    from datetime import date

    from flashpoint import store
    from flashpoint.analysis.cooccurrence import cooccurrence
    from flashpoint.analysis.filters import EntityCatalog, Filters
    from flashpoint.charts import build_chart

    path = _bench_corpus(n, workdir)
    load_s = timed(lambda: store.load_corpus(path), repeat=3)
    corpus = store.load_corpus(path)
    catalog = EntityCatalog.for_corpus(corpus)
    mentions = corpus.mentions.dropna(subset=["entity_id"])
    top = 200
    sparse_s = timed(
        lambda: cooccurrence(mentions, metric="count", top_n=top, catalog=catalog), repeat=3
    )
    ids = set(mentions["entity_id"].value_counts().index[:top])
    naive_s = timed(lambda: naive_pair_counts(mentions, ids), repeat=3)
    change = Filters(countries=("North Korea",), since=date(2016, 1, 1))
    filter_s = timed(lambda: build_chart("timeline", corpus, change, catalog=catalog), repeat=3)
    return {
        "articles": len(corpus.articles),
        "mentions": len(mentions),
        "cooccurrence_sparse_s": round(sparse_s, 4),
        "cooccurrence_python_loop_s": round(naive_s, 4),
        "loop_over_sparse": round(naive_s / sparse_s, 2),
        "corpus_load_s": round(load_s, 4),
        "filter_change_timeline_s": round(filter_s, 4),
        "filter_change_over_load": round(filter_s / load_s, 2),
    }


BENCHES = {"ingest": bench_ingest, "aggregate": bench_aggregate}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES))
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "latest.json"))
    args = parser.parse_args()
    results: dict[str, Any] = {}
    workdir = Path(tempfile.mkdtemp(prefix="flashpoint-bench-"))
    try:
        for name in args.only or sorted(BENCHES):
            print(f"== {name}", flush=True)
            results[name] = BENCHES[name](args.articles, workdir / name)
            for key, value in results[name].items():
                print(f"  {key:<28} {value}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
