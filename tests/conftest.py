"""Shared fixtures: the real corpora (skipped where absent) and the trained pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared: the real corpora and the seed article. CI always has it; a clone may not."""
    if not (SHARED_DIR / "corpora").is_dir():
        pytest.skip(f"needs the shared corpora at {SHARED_DIR} (absent in this checkout)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seed_article(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / "000_7b4ea5a74246930f.txt"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The trained pipeline with Flashpoint's components, loaded once per session."""
    from flashpoint.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus (data/sample) built once per session by the real ingest."""
    from flashpoint.config import sample_sources
    from flashpoint.ingest.run import ingest

    path = tmp_path_factory.mktemp("sample_corpus")
    report = ingest(sample_sources(), path, progress=False)
    assert report.added > 0, report.summary()
    return path
