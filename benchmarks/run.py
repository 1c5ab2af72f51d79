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


BENCHES = {"ingest": bench_ingest}


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
                print(f"  {key:<22} {value}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
