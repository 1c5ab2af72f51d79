"""Plotly figure cost: the seven figures of the Overview, Timeline and Co-occurrence pages.

    python benchmarks/figures.py --corpus DIR [--filters 20] [--baseline OLD_charts.py]

For each of ``--filters`` benchmark filters (``scale.bench_filters``), the pages' data is
read once through the query index (``scale.DuckDBPages``); then this checkout's
``flashpoint/charts.py`` builds the seven figures (as ``scale.build_figures`` does) and
each is turned into what Streamlit sends (``fig.to_dict()``, then ``plotly.io.to_json``
without validation). Times are CPU time of this process (``time.process_time``), so other
work on a loaded machine moves them less than wall time.

``--baseline FILE`` (another version of ``charts.py``, e.g. ``git show
main:flashpoint/charts.py > /tmp/charts_main.py``) builds the same figures with it, in the
same process and on the same data: the ratio is the comparable number, and every figure's
JSON is compared (parsed) with this version's; differences are counted and named.

The last line printed is one JSON object: ``figures_ms_median`` (seven figures per
filter), ``streamlit_ms_median`` (their to_dict + to_json), the same for the baseline, the
ratio and ``json_differences``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def page_figures(charts: ModuleType, data: dict[str, Any], filters: Any) -> dict[str, Any]:
    """The seven figures of the three pages (as ``scale.build_figures`` builds them)."""
    figures = {
        "volume": charts.volume_figure(
            data["volume"], freq="week", title=charts.chart_title("volume", filters)
        ),
        "by_type": charts.events_by_type_figure(data["by_type"], title="Events by type"),
        **{
            f"top {kind}": charts.bar_figure(top, value="articles", label="name", title=kind)
            for kind, top in data["top"].items()
        },
    }
    if len(data["timeline"]):
        figures["timeline"] = charts.timeline_figure(
            data["timeline"], "type", title=charts.chart_title("timeline", filters)
        )
    if not data["cooc"].is_empty:
        figures["cooccurrence"] = charts.cooccurrence_figure(
            data["cooc"], title=charts.chart_title("cooccurrence", filters)
        )
    return figures


def measure(charts: ModuleType, data: dict[str, Any], filters: Any) -> tuple[float, float, dict]:
    """CPU ms to build the figures, CPU ms for Streamlit's to_dict + to_json, their JSON."""
    import plotly.io as pio

    started = time.process_time()
    figures = page_figures(charts, data, filters)
    built = time.process_time()
    sent = {name: pio.to_json(fig.to_dict(), validate=False) for name, fig in figures.items()}
    done = time.process_time()
    return (built - started) * 1000, (done - built) * 1000, sent


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("baseline_charts", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--filters", type=int, default=20)
    parser.add_argument("--baseline", type=Path, help="another charts.py to compare with")
    args = parser.parse_args()

    from scale import DuckDBPages, bench_filters

    from flashpoint import charts

    baseline = load_module(args.baseline) if args.baseline else None
    pages = DuckDBPages(args.corpus)
    rows: dict[str, list[float]] = {"figures": [], "streamlit": [], "base": [], "base_st": []}
    differences: list[str] = []
    for filters in bench_filters(pages.options, args.filters):
        data = pages.pages(filters)
        figures_ms, streamlit_ms, sent = measure(charts, data, filters)
        rows["figures"].append(figures_ms)
        rows["streamlit"].append(streamlit_ms)
        line = f"  {figures_ms:7.1f} ms figures, {streamlit_ms:6.1f} ms to_dict+to_json"
        if baseline is not None:
            base_ms, base_st_ms, base_sent = measure(baseline, data, filters)
            rows["base"].append(base_ms)
            rows["base_st"].append(base_st_ms)
            line += f" | baseline {base_ms:7.1f} ms, {base_st_ms:6.1f} ms"
            differences += [
                f"{name} under {filters}"
                for name in sent
                if json.loads(sent[name]) != json.loads(base_sent.get(name, "null"))
            ]
        print(f"{line}  ({len(data['timeline'])} stories drawn)", flush=True)

    def median(key: str) -> float | None:
        return round(statistics.median(rows[key]), 1) if rows[key] else None

    result: dict[str, Any] = {
        "filters": len(rows["figures"]),
        "figures_ms_median": median("figures"),
        "streamlit_ms_median": median("streamlit"),
    }
    if baseline is not None:
        result.update(
            baseline_figures_ms_median=median("base"),
            baseline_streamlit_ms_median=median("base_st"),
            baseline_over_this=round(statistics.median(rows["base"]) / median("figures"), 1)
            if median("figures")
            else None,
            json_differences=len(differences),
        )
        for difference in differences:
            print(f"  JSON differs: {difference}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
