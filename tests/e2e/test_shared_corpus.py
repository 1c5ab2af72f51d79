"""The dashboard on real news: a corpus built from ../shared/corpora by the real ingest.

All of the Reuters and news-cluster sets and the first Korea Herald rows (the full 4,127 take
the better part of a quarter hour to parse; `make bench` and the issue notes cover those).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from browsertools import open_page, screenshot
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.shared]

KOREA_HERALD_ROWS = 150
PAGES = {"overview": "/", "timeline": "/timeline", "cooccurrence": "/cooccurrence",
         "articles": "/articles"}  # fmt: skip


def _head_of_csv(source: Path, target: Path, rows: int) -> Path:
    csv.field_size_limit(1 << 30)
    with (
        source.open(encoding="utf-8", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames or [], quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for index, row in enumerate(reader):
            if index >= rows:
                break
            writer.writerow(row)
    return target


@pytest.fixture(scope="module")
def e2e_corpus(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Overrides the demo corpus for this module's dashboard server."""
    from flashpoint.ingest.run import ingest

    work = tmp_path_factory.mktemp("shared_corpus")
    corpora = shared_dir / "corpora"
    sources = [
        str(corpora / "reuters_isot_sample_security.csv"),
        str(corpora / "giveme5w1h_news_cluster_security.csv"),
        str(
            _head_of_csv(
                corpora / "koreaherald_2015_2017_security.csv",
                work / "koreaherald_head.csv",
                KOREA_HERALD_ROWS,
            )
        ),
    ]
    report = ingest(sources, work / "corpus", progress=False)
    assert report.rejected == 0 and report.added > 250, report.summary()
    return work / "corpus"


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_on_real_news(
    page: Page, dashboard: str, console_errors: list[str], name: str
) -> None:
    open_page(page, dashboard + PAGES[name])
    if name == "articles":
        expect(page.locator(".fp-article")).to_be_visible(timeout=60_000)
    else:
        expect(page.locator("[data-testid='stPlotlyChart']").first).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, f"shared-{name}")


def test_a_filter_change_on_real_news_completes(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/timeline?country=North+Korea")
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(1, timeout=60_000)
    # Change a filter in the sidebar, as a reader would: add an event type.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator(".st-key-type").click()
    page.get_by_role("option", name="missile_launch").click()
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "type=missile_launch" in url, timeout=60_000)
    open_page(page, page.url)
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(1, timeout=60_000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "shared-timeline-filtered")
