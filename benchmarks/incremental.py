"""Incremental ingest: the same new articles into a large corpus and into an empty one.

    python benchmarks/incremental.py BIG_CORPUS [SOURCE...] [--articles 500] [--skip 400]

BIG_CORPUS is copied (it is not changed), e.g. the 100k scale corpus of
``benchmarks/scale_corpus.py``. The new articles are SOURCE... (files or folders), or by
default ``--articles`` Korea Herald rows of ../shared after the first ``--skip`` (the
scale benchmark's seed is the first 400, so these are real articles not in the seed).
Both ingests run in this process, one after the other, with the same NLP settings;
``incremental_ratio`` is the time into the big corpus ÷ the time into the empty one.

A corpus written without the near-duplicate signatures table (the scale corpus
generator writes none) gets it once, on its first ingest; that one-time cost is measured
apart (``signatures_once_s``) before the clock starts, as it would have been paid by an
earlier ingest of any real corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared" / "corpora"


def korea_herald_rows(skip: int, n: int, workdir: Path) -> Path:
    """Korea Herald rows skip…skip+n of ../shared as a temporary CSV (outside the repo)."""
    import pandas as pd

    rows = pd.read_csv(
        SHARED / "koreaherald_2015_2017_security.csv",
        skiprows=range(1, skip + 1),
        nrows=n,
        dtype=str,
        keep_default_na=False,
    )
    target = workdir / f"kh_{skip}_{skip + n}.csv"
    rows.to_csv(target, index=False, quoting=csv.QUOTE_ALL)
    return target


def _load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return f"load average {os.getloadavg()}"


def measure(
    big_corpus_dir: str | os.PathLike[str],
    texts_dir_or_files: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    workdir: str | os.PathLike[str] | None = None,
    workers: int = 1,
    commit_every: int = 500,
    relink_first: bool = False,
) -> dict[str, Any]:
    """Ingest the same sources into a copy of ``big_corpus_dir`` and into an empty corpus;
    return both times, ``incremental_ratio`` (big ÷ empty) and what each run did.

    ``relink_first``: relink the copy's stories from scratch before the clock (timed
    apart). The scale corpus's stories are its seed's, re-keyed and re-dated copy by copy,
    not what linking its events gives (story ids not derived from event ids, month-dated
    reports moved out of their story's month), so the first ingest relinks and rewrites
    every story it reaches; a corpus built by ingest has no such backlog."""
    from flashpoint import store
    from flashpoint.ingest.identity import NearDuplicateIndex
    from flashpoint.ingest.run import NlpRunner, NlpSettings, ensure_signatures, ingest, relink

    if isinstance(texts_dir_or_files, (str, os.PathLike)):
        sources = [str(texts_dir_or_files)]
    else:
        sources = [str(source) for source in texts_dir_or_files]
    own_workdir = workdir is None
    work = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="fp-incr-"))
    settings = NlpSettings(workers=workers)
    try:
        big, empty = work / "big", work / "empty"
        shutil.rmtree(big, ignore_errors=True)
        shutil.rmtree(empty, ignore_errors=True)
        started = time.perf_counter()
        shutil.copytree(big_corpus_dir, big)
        copy_s = time.perf_counter() - started

        started = time.perf_counter()
        had_signatures = ensure_signatures(big, NearDuplicateIndex(), progress=False)
        signatures_s = time.perf_counter() - started

        relink_s = None
        if relink_first:
            started = time.perf_counter()
            relink(big)
            relink_s = round(time.perf_counter() - started, 1)

        before = store.read_manifest(big)["row_counts"]
        NlpRunner(settings).close()  # the spaCy pipeline loaded (and cached) before the clock
        load_before = _load()
        started = time.perf_counter()
        into_empty = ingest(
            sources, empty, nlp_settings=settings, commit_every=commit_every, progress=False
        )
        empty_s = time.perf_counter() - started
        started = time.perf_counter()
        into_big = ingest(
            sources, big, nlp_settings=settings, commit_every=commit_every, progress=False
        )
        big_s = time.perf_counter() - started
        load_after = _load()

        after = store.read_manifest(big)["row_counts"]
        small = store.read_manifest(empty)["row_counts"]
        return {
            "big_corpus_articles": before.get("articles", 0),
            "big_corpus_events": before.get("events", 0),
            "big_corpus_stories": before.get("stories", 0),
            "new_articles": into_big.added,
            "new_articles_empty": into_empty.added,
            "near_duplicates_big": into_big.near_duplicates,
            "near_duplicates_empty": into_empty.near_duplicates,
            "events_added": after.get("events", 0) - before.get("events", 0),
            "events_empty": small.get("events", 0),
            "stories_big_delta": after.get("stories", 0) - before.get("stories", 0),
            "stories_empty": small.get("stories", 0),
            "copy_s": round(copy_s, 1),
            "signatures_once_s": None if had_signatures else round(signatures_s, 1),
            "relinked_first_s": relink_s,
            "into_empty_s": round(empty_s, 1),
            "into_big_s": round(big_s, 1),
            "incremental_ratio": round(big_s / empty_s, 3) if empty_s else None,
            "workers": workers,
            "load_before": load_before,
            "load_after": load_after,
        }
    finally:
        if own_workdir:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("big_corpus", help="the large corpus (copied, not changed)")
    parser.add_argument("sources", nargs="*", help="new articles (default: Korea Herald rows)")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--skip", type=int, default=400, help="Korea Herald rows to pass over")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--workdir", help="where the copies go (default: a temporary folder)")
    parser.add_argument(
        "--relink-first",
        action="store_true",
        help="relink the copy's stories before the clock (see measure)",
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="fp-incr-src-"))
    try:
        if args.sources:
            sources: list[str] = list(args.sources)
        elif SHARED.exists():
            sources = [str(korea_herald_rows(args.skip, args.articles, scratch))]
        else:
            print("no sources given and no ../shared corpora", file=sys.stderr)
            return 2
        result = measure(
            args.big_corpus,
            sources,
            workdir=args.workdir,
            workers=args.workers,
            relink_first=args.relink_first,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"into the empty corpus: {result['into_empty_s']} s; into the "
        f"{result['big_corpus_articles']}-article corpus: {result['into_big_s']} s; "
        f"ratio {result['incremental_ratio']}",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
