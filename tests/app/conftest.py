"""AppTest fixtures: the demo corpus the pages are tested on, and a runner per page."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = {
    "overview": None,  # the default page: app.py alone
    "timeline": "pages/timeline.py",
    "cooccurrence": "pages/cooccurrence.py",
    "map": "pages/map.py",
    "articles": "pages/articles.py",
}


@pytest.fixture(scope="session")
def demo_corpus(request: pytest.FixtureRequest) -> Path:
    """The demo corpus built by the real ingest (tests/conftest.py's ``sample_corpus``).

    FLASHPOINT_TEST_CORPUS may name an already built copy, to save the build when
    iterating on the dashboard alone.
    """
    prebuilt = os.environ.get("FLASHPOINT_TEST_CORPUS")
    if prebuilt:
        return Path(prebuilt)
    path: Path = request.getfixturevalue("sample_corpus")
    return path


RunPage = Callable[..., AppTest]


@pytest.fixture
def run_page(demo_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> RunPage:
    """Open a page of the dashboard, as a link with these query parameters would."""

    def run(
        page: str, params: Mapping[str, str | list[str]] | None = None, corpus: Path | None = None
    ) -> AppTest:
        monkeypatch.setenv("FLASHPOINT_CORPUS", str(corpus or demo_corpus))
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update(dict(params or {}))
        at.run()
        if PAGES[page] is not None and not at.exception:
            at.switch_page(PAGES[page]).run()
        return at

    return run
