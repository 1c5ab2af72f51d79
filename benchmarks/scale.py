"""Scale benchmark: the three analyst pages on a 100k-article corpus, pandas vs DuckDB.

    python benchmarks/scale.py [--articles 100000] [--seed-corpus DIR] [--filters 20]
                               [--scale-corpus DIR] [--paths pandas,duckdb] [--ray]

1. A seed corpus: the given one, else the first 400 Korea Herald articles of
   ../shared/corpora ingested here (else the demo corpus).
2. The scale corpus built from it (benchmarks/scale_corpus.py), ``--articles`` articles
   (``--scale-corpus DIR``: kept there and reused when it exists).
3. The DuckDB query index built once, in a process of its own (``index_build_s``: what
   the first open after a commit costs; flashpoint/query.py ``ensure_index``).
4. Each query path in a process of its own, as a dashboard server would run it:
   ``first_load_s`` (open the corpus — for DuckDB, attach its index —, entity catalog,
   sidebar options), then for each of ``--filters`` different filters every figure of the
   Overview, Timeline and Co-occurrence pages built (data, then Plotly figure) — its
   median is ``filter_ms_median`` — and the process's RSS afterwards.
5. Hooks for the other scale measurements, each from its own module in benchmarks/:
   ``incremental_ratio`` from ``incremental_bench.incremental_ratio(scale_corpus,
   workdir)`` when that module exists, and (``--ray``) ``ray_vs_inprocess`` from
   ``ray_bench.ray_vs_inprocess``.

The last line printed is one JSON object (keys: articles, mentions, filter_ms_median,
first_load_s, rss_mb, incremental_ratio, ray_vs_inprocess; null where not measured; and
index_build_s, query_path), with the dashboard's path at this size (DuckDB from
components/data.py's INDEX_FROM_ARTICLES on); both paths' figures and their ratios are
printed above it. Record ``uptime`` with it: the ratios are the comparable numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))

PATHS = ("pandas", "duckdb")
INDEX_FROM_ARTICLES = 2_000  # as components/data.py (not imported: it needs Streamlit)


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident set size of this process, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                found[key] = int(value.split()[0]) / 1024
    return round(found.get("VmRSS", 0.0), 1), round(found.get("VmHWM", 0.0), 1)


def bench_filters(options: Any, n: int) -> list[Any]:
    """``n`` different filters an analyst would try, from what the corpus offers."""
    from flashpoint.analysis.filters import Filters

    countries = [c for c in options.countries if c in PREFERRED_COUNTRIES] or list(
        options.countries[:6]
    )
    first = options.first_day or date(2015, 1, 1)
    last = options.last_day or date(2018, 1, 1)
    years = list(range(first.year, last.year + 1))
    found: list[Filters] = [Filters()]
    found += [Filters(countries=(c,)) for c in countries[:6]]
    found += [Filters(since=date(y, 1, 1), until=date(y, 12, 31)) for y in years[-4:]]
    found += [Filters(types=(t,)) for t in ("missile_launch", "meeting", "sanction")]
    found += [
        Filters(types=("exercise", "deployment"), include_unasserted=True),
        Filters(weapon_classes=("ICBM",)),
        Filters(weapons=("THAAD",)),
        Filters(query="missile"),
        Filters(countries=countries[:1], types=("missile_launch",), since=date(years[-2], 1, 1)),
        Filters(countries=tuple(countries[1:3]), since=date(years[-3], 6, 1)),
        Filters(countries=countries[:1], weapon_classes=("SLBM", "ICBM")),
        Filters(sources=options.sources[:1], until=date(years[-2], 12, 31)),
        Filters(since=date(years[-1], 3, 1), until=date(years[-1], 5, 31), include_unasserted=True),
    ]
    unique = list(dict.fromkeys(found))
    return unique[:n]


PREFERRED_COUNTRIES = ("North Korea", "South Korea", "United States", "China", "Japan", "Russia")


class PandasPages:
    """What components/data.py does today: the whole corpus in pandas."""

    def __init__(self, path: Path) -> None:
        from flashpoint import store
        from flashpoint.analysis.filters import EntityCatalog, filter_options

        self.corpus = store.load_corpus(path)
        self.catalog = EntityCatalog.for_corpus(self.corpus)
        self.options = filter_options(self.corpus, self.catalog)

    def pages(self, filters: Any) -> dict[str, Any]:
        from flashpoint.analysis import cooccurrence, overview, timeline
        from flashpoint.analysis.filters import apply_filters

        view = apply_filters(self.corpus, filters, self.catalog)
        drawn = timeline.timeline(view, self.corpus.stories)
        out: dict[str, Any] = {
            "headline": overview.headline(view),
            "volume": overview.volume(view, freq="week"),
            "by_type": overview.events_by_type(view),
            "top": {k: overview.top_entities(view, k, 10) for k in ("country", "person", "weapon")},
            "timeline": drawn.frame,
            "undated": drawn.undated,
            "cooc": cooccurrence.cooccurrence(
                view.mentions, scope="sentence", metric="npmi", top_n=25, catalog=self.catalog
            ),
        }
        pair = _strongest_pair(out["cooc"])
        if pair:
            out["pair"] = cooccurrence.pair_sentences(
                view.mentions,
                self.corpus.sentences,
                view.articles,
                *pair,
                scope="sentence",
                limit=cooccurrence.PAIR_SHOWN,
            )
        return out


class DuckDBPages:
    """The same page data through flashpoint.query.CorpusQuery."""

    def __init__(self, path: Path) -> None:
        from flashpoint.query import CorpusQuery

        self.query = CorpusQuery(path)
        self.catalog = self.query.catalog
        self.options = self.query.filter_options()

    def pages(self, filters: Any) -> dict[str, Any]:
        from flashpoint.analysis.cooccurrence import PAIR_SHOWN

        q = self.query
        drawn = q.timeline(filters)
        out: dict[str, Any] = {
            "headline": q.headline(filters),
            "volume": q.volume(filters, freq="week"),
            "by_type": q.events_by_type(filters),
            "top": {k: q.top_entities(filters, k, 10) for k in ("country", "person", "weapon")},
            "timeline": drawn.frame,
            "undated": drawn.undated,
            "cooc": q.cooccurrence(filters, scope="sentence", metric="npmi", top_n=25),
        }
        pair = _strongest_pair(out["cooc"])
        if pair:
            out["pair"] = q.pair_sentences(filters, *pair, scope="sentence", limit=PAIR_SHOWN)
        return out


def _strongest_pair(result: Any) -> tuple[str, str] | None:
    """The pair the co-occurrence page shows first."""
    if result.is_empty or len(result.matrix) < 2:
        return None
    top = result.long_form().iloc[0]
    ids = result.label_to_id()
    return ids[top["entity_a"]], ids[top["entity_b"]]


def build_figures(data: dict[str, Any], filters: Any) -> int:
    """Every figure of the three pages from their data; returns how many."""
    from flashpoint.analysis.timeline import latest_stories
    from flashpoint.charts import (
        bar_figure,
        chart_title,
        cooccurrence_figure,
        events_by_type_figure,
        timeline_figure,
        volume_figure,
    )

    figures = [
        volume_figure(data["volume"], freq="week", title=chart_title("volume", filters)),
        events_by_type_figure(data["by_type"], title="Events by type"),
        *(
            bar_figure(top, value="articles", label="name", title=kind)
            for kind, top in data["top"].items()
        ),
    ]
    latest_stories(data["timeline"], 10)
    if len(data["timeline"]):
        figures.append(
            timeline_figure(data["timeline"], "type", title=chart_title("timeline", filters))
        )
    if not data["cooc"].is_empty:
        figures.append(
            cooccurrence_figure(data["cooc"], title=chart_title("cooccurrence", filters))
        )
    return len(figures)


def measure_index(corpus: Path) -> dict[str, Any]:
    """Build the corpus's query index (as the first open after a commit does)."""
    from flashpoint.query import ensure_index, index_file

    target = index_file(corpus)
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    built = ensure_index(corpus)
    return {
        "path": "index",
        "index_build_s": round(time.perf_counter() - started, 2),
        "index_mb": round(built.stat().st_size / 1e6, 1),
        "peak_rss_mb": _rss_mb()[1],
    }


def measure(path_name: str, corpus: Path, n_filters: int) -> dict[str, Any]:
    """One query path in this process: first load, then the pages under each filter."""
    if path_name == "index":
        return measure_index(corpus)
    started = time.perf_counter()
    pages = PandasPages(corpus) if path_name == "pandas" else DuckDBPages(corpus)
    first_load = time.perf_counter() - started
    filters = bench_filters(pages.options, n_filters)
    data_ms: list[float] = []
    figure_ms: list[float] = []
    total_ms: list[float] = []
    for current in filters:
        began = time.perf_counter()
        data = pages.pages(current)
        built = time.perf_counter()
        build_figures(data, current)
        done = time.perf_counter()
        data_ms.append((built - began) * 1000)
        figure_ms.append((done - built) * 1000)
        total_ms.append((done - began) * 1000)
    rss, peak = _rss_mb()
    return {
        "path": path_name,
        "filters": len(filters),
        "first_load_s": round(first_load, 2),
        "filter_ms_median": round(statistics.median(total_ms), 1),
        "filter_ms_max": round(max(total_ms), 1),
        "data_ms_median": round(statistics.median(data_ms), 1),
        "figure_ms_median": round(statistics.median(figure_ms), 1),
        "filter_ms": [round(ms) for ms in total_ms],
        "figure_ms": [round(ms) for ms in figure_ms],
        "rss_mb": rss,
        "peak_rss_mb": peak,
    }


def _measure_in_subprocess(path_name: str, corpus: Path, n_filters: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            *("--measure", path_name, "--corpus", str(corpus), "--filters", str(n_filters)),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{path_name} measurement failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def seed_corpus(workdir: Path, articles: int = 400) -> tuple[Path, dict[str, Any]]:
    """The first ``articles`` Korea Herald articles ingested here (or the demo corpus)."""
    from flashpoint.config import sample_sources
    from flashpoint.ingest.run import ingest

    corpus = workdir / "seed"
    if SHARED.exists():
        sys.path.insert(0, str(REPO / "benchmarks"))
        from run import korea_herald_subset  # type: ignore[import-not-found]

        sources = [str(korea_herald_subset(articles, workdir))]
    else:
        sources = sample_sources()
    started = time.perf_counter()
    report = ingest(sources, corpus, progress=False)
    return corpus, {
        "seed_sources": sources,
        "seed_articles": report.added,
        "seed_ingest_s": round(time.perf_counter() - started, 1),
    }


def _scale_counts(corpus: Path) -> dict[str, Any]:
    from flashpoint import store

    counts = dict(store.read_manifest(corpus).get("row_counts", {}))
    return {name: counts.get(name) for name in ("articles", "mentions", "events", "stories")}


def incremental(scale: Path, workdir: Path) -> dict[str, Any] | None:
    """``incremental_ratio``: 500 real Korea Herald articles not in the seed into a copy of
    the scale corpus ÷ the same 500 into an empty corpus (benchmarks/incremental.py).

    The copy is relinked once before the clock: the generator copies its seed's stories
    copy by copy, which is not what linking gives, and a corpus built by ingest carries no
    such backlog (the ratio without that step is printed by ``incremental.py`` alone).
    None without ../shared."""
    from incremental import SHARED, korea_herald_rows, measure  # type: ignore[import-not-found]

    if not SHARED.is_dir():
        return None
    workdir.mkdir(parents=True, exist_ok=True)
    sources = korea_herald_rows(400, 500, workdir)
    return measure(scale, [str(sources)], workdir=workdir / "runs", relink_first=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from scale_corpus import build_scale_corpus  # type: ignore[import-not-found]

    workdir = Path(tempfile.mkdtemp(prefix="flashpoint-scale-"))
    results: dict[str, Any] = {}
    paths = [p for p in args.paths.split(",") if p in PATHS]
    try:
        scale = Path(args.scale_corpus) if args.scale_corpus else workdir / "scale"
        built_seed = None
        if (scale / "manifest.json").exists():
            results["scale_corpus"] = _scale_counts(scale)
            print(f"  scale corpus (kept): {results['scale_corpus']}", flush=True)
        else:
            if args.seed_corpus:
                seed = Path(args.seed_corpus)
            else:
                seed, info = seed_corpus(workdir, args.ray_articles)
                built_seed = seed
                results.update(info)
                print(f"  seed corpus: {info}", flush=True)
            counts = build_scale_corpus(seed, scale, articles=args.articles, progress=False)
            results["scale_corpus"] = counts
            print(f"  scale corpus: {counts}", flush=True)
        run_paths(results, scale, paths, args.filters)
        results["incremental"] = incremental(scale, workdir / "incremental")
        print(f"  incremental: {results['incremental']}", flush=True)
        if args.ray:
            from ray_bench import ray_vs_inprocess  # type: ignore[import-not-found]

            results["ray"] = ray_vs_inprocess(
                workdir / "ray", articles=args.ray_articles, corpus=built_seed
            )
            print(f"  ray: {results['ray']}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def run_paths(results: dict[str, Any], scale: Path, paths: list[str], n_filters: int) -> None:
    """The index build, then each query path, each in a process of its own; ratios."""
    if "duckdb" in paths:
        results["index"] = _measure_in_subprocess("index", scale, n_filters)
        print(f"  index: {results['index']}", flush=True)
    for path_name in paths:
        results[path_name] = _measure_in_subprocess(path_name, scale, n_filters)
        print(f"  {path_name}: {results[path_name]}", flush=True)
    if "pandas" in results and "duckdb" in results:
        pandas_run, duck = results["pandas"], results["duckdb"]
        for key in ("first_load_s", "filter_ms_median", "data_ms_median", "rss_mb"):
            ratio = pandas_run[key] / duck[key] if duck[key] else None
            results[f"pandas_over_duckdb_{key}"] = round(ratio, 2) if ratio else None
            print(f"  pandas / duckdb {key:<18} {results[f'pandas_over_duckdb_{key}']}")


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """The one-line summary: the figures of the path the dashboard uses at this size."""
    counts = results.get("scale_corpus", {})
    articles = counts.get("articles") or 0
    chosen = "duckdb" if articles >= INDEX_FROM_ARTICLES else "pandas"
    best = results.get(chosen) or next((results[p] for p in PATHS if p in results), {})
    ray = results.get("ray") or {}
    return {
        "articles": counts.get("articles"),
        "mentions": counts.get("mentions"),
        "filter_ms_median": best.get("filter_ms_median"),
        "first_load_s": best.get("first_load_s"),
        "rss_mb": best.get("rss_mb"),
        "incremental_ratio": (results.get("incremental") or {}).get("incremental_ratio"),
        "ray_vs_inprocess": ray.get("ray_over_inprocess"),
        "index_build_s": (results.get("index") or {}).get("index_build_s"),
        "query_path": best.get("path"),
    }


def main() -> int:
    sys.path.insert(0, str(REPO / "benchmarks"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--seed-corpus", help="an ingested corpus to scale up (default: ingest one)"
    )
    parser.add_argument("--filters", type=int, default=20)
    parser.add_argument(
        "--scale-corpus", help="where the scale corpus is kept (reused when it exists)"
    )
    parser.add_argument(
        "--paths", default=",".join(PATHS), help="query paths to measure (pandas,duckdb)"
    )
    parser.add_argument("--ray", action="store_true", help="also measure the Ray engine")
    parser.add_argument("--ray-articles", type=int, default=400)
    parser.add_argument("--measure", choices=(*PATHS, "index"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.corpus), args.filters)))
        return 0
    print("== scale", flush=True)
    results = run(args)
    print(json.dumps(summary(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
