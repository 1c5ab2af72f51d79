"""Waiting for the app and taking pictures of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
# Pictures the tests take, for a person to look at: outside the work tree, so `make test`
# leaves `git status` clean. `make screenshots` sets FLASHPOINT_README_SCREENSHOTS to
# docs/screenshots to refresh the README's pictures instead.
SCREENSHOTS = Path(
    os.environ.get("FLASHPOINT_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "flashpoint-e2e-screenshots"
)
README_SCREENSHOTS = os.environ.get("FLASHPOINT_README_SCREENSHOTS")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def open_page(page: Page, url: str) -> None:
    """Go to a URL and wait until the script has run and every chart is drawn."""
    page.goto(url)
    wait_ready(page)


def wait_ready(page: Page) -> None:
    """The script run is over and every chart on the page is drawn.

    Called right after an interaction, the app may not have started its rerun yet, so
    give the rerun a moment to begin before waiting for it to end.
    """
    page.wait_for_timeout(300)
    page.wait_for_selector(READY, timeout=120_000)
    undrawn = page.locator("[data-testid='stPlotlyChart']:not(:has(.main-svg))")
    expect(undrawn).to_have_count(0, timeout=60_000)


def screenshot(page: Page, name: str) -> Path:
    """The whole page. Streamlit scrolls inside its main section, not the document, so
    the viewport is stretched to the content's height for the picture."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size or {"width": 1400, "height": 1000}
    height = page.evaluate(
        "() => { const main = document.querySelector(\"[data-testid='stMain']\");"
        " return main ? main.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size(
        {"width": viewport["width"], "height": max(int(height), viewport["height"])}
    )
    wait_ready(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


def readme_screenshot(page: Page, name: str) -> Path | None:
    """The first screen of a page (what a README reader sees), written only when
    ``make screenshots`` asks for it (FLASHPOINT_README_SCREENSHOTS names the folder)."""
    if not README_SCREENSHOTS:
        return None
    folder = Path(README_SCREENSHOTS)
    folder = folder if folder.is_absolute() else REPO_ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    wait_ready(page)
    page.screenshot(path=str(path))
    return path
