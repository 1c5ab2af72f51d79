"""Ray engine vs the in-process NLP stage on the same articles and the same worker count.

    python benchmarks/ray_bench.py [--articles 400] [--workers 2] [--corpus DIR]

Both re-derive every NLP table and the stories from the same stored articles (the first
``--articles`` Korea Herald articles of ../shared, ingested once here, or the demo corpus):
in process with spaCy's ``n_process=workers``, and on local Ray with ``workers`` actors
(Ray itself started before the clock, as a running cluster would be). Checks the tables
are equal and prints the time ratio (Ray ÷ in-process).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

NLP_TABLES = ("sentences", "mentions", "events", "stories")


def tables_equal(left: Path, right: Path) -> bool:
    from flashpoint import store

    a, b = store.load_corpus(left), store.load_corpus(right)
    try:
        for name in NLP_TABLES:
            pd.testing.assert_frame_equal(a.table(name), b.table(name), check_dtype=False)
    except AssertionError:
        return False
    return True


def ray_vs_inprocess(
    workdir: Path, *, articles: int = 400, workers: int = 2, corpus: Path | None = None
) -> dict[str, Any]:
    from flashpoint.ingest.ray_engine import RayNlpEngine, ray_available, reprocess_on_ray
    from flashpoint.ingest.run import NlpSettings, reprocess

    if not ray_available():
        return {"skipped": "ray is not installed (pip install '.[scale]')"}
    workdir.mkdir(parents=True, exist_ok=True)
    if corpus is None:
        from scale import seed_corpus  # type: ignore[import-not-found]

        corpus, _ = seed_corpus(workdir, articles)
    local, on_ray = workdir / "inprocess", workdir / "ray"
    for target in (local, on_ray):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(corpus, target)

    started = time.perf_counter()
    n = reprocess(local, nlp_settings=NlpSettings(workers=workers), progress=False)
    inprocess_s = time.perf_counter() - started

    began = time.perf_counter()
    engine = RayNlpEngine(num_cpus=workers, workers=workers)
    engine.start()
    ray_start_s = time.perf_counter() - began
    try:
        started = time.perf_counter()
        reprocess_on_ray(on_ray, engine)
        ray_s = time.perf_counter() - started
    finally:
        engine.stop()
    return {
        "articles": n,
        "workers": workers,
        "inprocess_s": round(inprocess_s, 1),
        "ray_s": round(ray_s, 1),
        "ray_start_s": round(ray_start_s, 1),
        "tables_equal": tables_equal(local, on_ray),
        "ray_over_inprocess": round(ray_s / inprocess_s, 2),
        "inprocess_articles_per_s_per_worker": round(n / inprocess_s / workers, 2),
        "ray_articles_per_s_per_worker": round(n / ray_s / workers, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--corpus", help="an ingested corpus to reprocess (copied; default: ingest)"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="flashpoint-ray-"))
    try:
        result = ray_vs_inprocess(
            workdir,
            articles=args.articles,
            workers=args.workers,
            corpus=Path(args.corpus) if args.corpus else None,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
