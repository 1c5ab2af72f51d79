"""Server-side cost of a filter change on every page: the script run, without the browser.

    PYTHONPATH=DIR python benchmarks/page_runs.py CORPUS [--reps 3] [--app DIR]

Runs the dashboard (``app.py`` of ``--app``, default this checkout) under Streamlit's
AppTest in one warm process, opens each page with a country set, adds one event type in
the sidebar (a type and country no cache holds yet) and times that script run. Prints
the runs and the median per page. Compare two checkouts in the same minutes (before and
after, interleaved): on a shared machine only ratios within one sitting mean anything.
The browser's share (Plotly drawing) is measured by
``tests/e2e/test_shared_corpus.py::test_every_page_redraws_after_a_filter_change_on_the_full_corpus``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

PAGES = (
    ("overview", None),
    ("timeline", "pages/timeline.py"),
    ("cooccurrence", "pages/cooccurrence.py"),
    ("map", "pages/map.py"),
    ("articles", "pages/articles.py"),
)
COUNTRIES = ("North Korea", "Japan", "China")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--app", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    os.environ["FLASHPOINT_CORPUS"] = str(args.corpus)

    from streamlit.testing.v1 import AppTest

    from flashpoint.schema import EVENT_TYPES

    runs: dict[str, list[float]] = {}
    for rep in range(args.reps):
        for number, (name, page) in enumerate(PAGES):
            at = AppTest.from_file(str(args.app / "app.py"), default_timeout=300)
            at.query_params.update({"country": COUNTRIES[rep % len(COUNTRIES)]})
            at.run()
            if page:
                at.switch_page(page).run()
            at.multiselect(key="type").set_value([EVENT_TYPES[(number + rep) % len(EVENT_TYPES)]])
            start = time.perf_counter()
            at.run()
            runs.setdefault(name, []).append(time.perf_counter() - start)
            if at.exception:
                raise SystemExit(f"{name}: {at.exception}")
    print("script run after a filter change (s), AppTest, warm process")
    for name, seconds in runs.items():
        listed = " ".join(f"{value:.2f}" for value in seconds)
        print(f"  {name:<13} median {statistics.median(seconds):5.2f}   runs {listed}")


if __name__ == "__main__":
    main()
