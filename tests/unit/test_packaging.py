"""The package carries its data: a non-editable install reads gazetteers, lexicons, reference
events and ingest tables from inside the installed package, not from a checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from flashpoint import config
from flashpoint.store import load_corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


SHIPPED = ("gazetteers", "ingest", "lexicons", "models", "reference")


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (package-dir rules out packages.find): a new
    subpackage left out of the list would be missing from every install."""
    on_disk = {
        ".".join(path.parent.relative_to(REPO_ROOT).parts)
        for path in (REPO_ROOT / "flashpoint").rglob("__init__.py")
    }
    resources = {"flashpoint.resources"} | {f"flashpoint.resources.{name}" for name in SHIPPED}
    assert set(SETUPTOOLS["packages"]) == on_disk | resources


def test_the_shipped_data_folders_are_package_data() -> None:
    """Exactly the folders library code reads ship in the wheel, whole; the demo
    articles (data/sample) and the built corpus (data/corpus) do not."""
    assert SETUPTOOLS["package-dir"] == {"flashpoint.resources": "data"}
    assert SETUPTOOLS["package-data"] == {f"flashpoint.resources.{name}": ["*"] for name in SHIPPED}
    assert all((REPO_ROOT / "data" / name).is_dir() for name in SHIPPED)


def test_a_checkout_reads_its_own_data_folder() -> None:
    assert config.IN_CHECKOUT
    assert config.resource_path("lexicons", "event_triggers.jsonl") == (
        REPO_ROOT / "data" / "lexicons" / "event_triggers.jsonl"
    )
    assert config.GAZETTEER_DIR == REPO_ROOT / "data" / "gazetteers"


def _source_files() -> list[str]:
    """Tracked files plus new ones not yet committed (never ignored ones like data/corpus)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (REPO_ROOT / name).is_file()]


def _repo_state() -> tuple[str, bool, list[str]]:
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO_ROOT, check=True, capture_output=True
    ).stdout.decode()
    return (
        status,
        (REPO_ROOT / "build").exists(),
        sorted(p.name for p in REPO_ROOT.glob("*.egg-info")),
    )


@pytest.mark.slow
def test_non_editable_install_ingests_the_demo_corpus(tmp_path: Path) -> None:
    """`pip install .` (not -e) into a fresh venv, then `flashpoint ingest data/sample/*/`
    from elsewhere: articles and events come out, read with the packaged data."""
    before = _repo_state()
    source = tmp_path / "src"
    for name in _source_files():
        if name.startswith(("data/sample/", "data/corpus/")):
            continue  # not package data; the ingest below reads the repo's own copy
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)

    # A venv of this interpreter that sees the already-installed dependencies (spaCy, the
    # model, pip, setuptools) through a .pth file, so nothing is downloaded. Directories
    # named in a .pth are not site dirs, so this environment's editable flashpoint (a .pth
    # finder) stays invisible.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "_flashpoint_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # Built as `pip install .` builds it: in an isolated environment with the build-system
    # requirements of pyproject.toml (setuptools>=69, wheel), from pip's cache or the index.
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", source],
        check=True,
        cwd=tmp_path,
        env=env,
    )

    where = subprocess.run(
        [python, "-c", "from flashpoint import config; print(config.DATA_ROOT)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert Path(where) == Path(purelib) / "flashpoint" / "resources"
    shipped = Path(where)
    assert sorted(p.name for p in shipped.iterdir() if p.is_dir()) == list(SHIPPED)
    for name in SHIPPED:
        assert sorted(p.name for p in shipped.joinpath(name).iterdir()) == sorted(
            p.name for p in (source / "data" / name).iterdir()
        )

    corpus = tmp_path / "corpus"
    sources = sorted(str(p) for p in (REPO_ROOT / "data" / "sample").iterdir() if p.is_dir())
    run = subprocess.run(
        [venv / "bin" / "flashpoint", "ingest", *sources, "--corpus", str(corpus)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    # Exit 1 means some inputs were rejected (the demo has a few on purpose); 2+ is an error.
    assert run.returncode in (0, 1), run.stdout + run.stderr

    built = load_corpus(corpus)
    assert len(built.articles) >= 20
    assert len(built.events) > 0
    assert set(built.events["event_type"]) >= {"missile_launch", "exercise", "sanction"}
    assert len(built.mentions) > 0
    assert _repo_state() == before
