"""The pages' data per filter from the query index's pre-aggregated tables and from its
rows, in one process, filter by filter (same load for both; docs/scaling.md).

    python benchmarks/aggregates.py --corpus /tmp/q/scale_kh --filters 20

Prints, per filter of ``scale.bench_filters``, whether the aggregates answer it and both
times, then the medians and their ratio as a JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--filters", type=int, default=20)
    args = parser.parse_args()
    summed = scale.DuckDBPages(Path(args.corpus))
    rows = scale.DuckDBPages(Path(args.corpus))
    rows.query.aggregates = None
    aggregates = summed.query.aggregates
    assert aggregates is not None
    summed_ms: list[float] = []
    rows_ms: list[float] = []
    for filters in scale.bench_filters(summed.options, args.filters):
        began = time.perf_counter()
        summed.pages(filters)
        middle = time.perf_counter()
        rows.pages(filters)
        done = time.perf_counter()
        summed_ms.append((middle - began) * 1000)
        rows_ms.append((done - middle) * 1000)
        used = aggregates.selection(filters) is not None
        print(
            f"{filters.slug()[:45]:45s} summed={used!s:5s} "
            f"aggregates={summed_ms[-1]:7.0f} rows={rows_ms[-1]:7.0f}",
            flush=True,
        )
    median_summed, median_rows = statistics.median(summed_ms), statistics.median(rows_ms)
    print(
        json.dumps(
            {
                "data_ms_median_aggregates": round(median_summed, 1),
                "data_ms_median_rows": round(median_rows, 1),
                "rows_over_aggregates": round(median_rows / median_summed, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
