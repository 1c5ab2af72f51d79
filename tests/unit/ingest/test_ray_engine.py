"""The NLP stage on local Ray gives the same tables as the in-process ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.ingest.ray_engine import RayNlpEngine, ray_available, reprocess_on_ray

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ray_available(), reason="ray is not installed (extra [scale])"),
]


def test_ray_engine_tables_equal_in_process_ingest(sample_corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    with RayNlpEngine(num_cpus=2) as engine:
        report = reprocess_on_ray(copy, engine)
    expected = store.load_corpus(sample_corpus)
    got = store.load_corpus(copy)
    assert report["articles"] == len(expected.articles) > 0
    assert list(got.articles["article_id"]) == list(expected.articles["article_id"])
    for name in ("sentences", "mentions", "events", "stories"):
        pd.testing.assert_frame_equal(got.table(name), expected.table(name), check_dtype=False)
    assert got.events["event_id"].tolist() == expected.events["event_id"].tolist()
    assert set(got.stories["story_id"]) == set(got.events["story_id"].dropna())
    assert got.manifest["model"] == expected.manifest["model"]
    assert got.manifest["gazetteer_checksums"] == expected.manifest["gazetteer_checksums"]


def test_cli_ingest_on_local_ray_equals_the_in_process_ingest(
    sample_corpus: Path, tmp_path: Path
) -> None:
    from flashpoint.cli import main
    from flashpoint.config import sample_sources

    corpus = tmp_path / "on_ray"
    argv = ["ingest", *sample_sources(), "--corpus", str(corpus), "--no-progress"]
    code = main([*argv, "--engine", "ray", "--workers", "2"])
    assert code == 1  # the demo corpus carries two bad rows on purpose: reported, skipped
    reasons = [reject["reason"] for reject in store.read_rejects(corpus)]
    assert reasons == [reject["reason"] for reject in store.read_rejects(sample_corpus)]
    expected, got = store.load_corpus(sample_corpus), store.load_corpus(corpus)
    assert got.articles["article_id"].tolist() == expected.articles["article_id"].tolist()
    assert got.events["event_id"].tolist() == expected.events["event_id"].tolist()
    for name in ("sentences", "mentions", "events", "stories"):
        pd.testing.assert_frame_equal(got.table(name), expected.table(name), check_dtype=False)
    assert got.manifest["last_engine"] == "ray"
    assert got.manifest["model"] == expected.manifest["model"]
