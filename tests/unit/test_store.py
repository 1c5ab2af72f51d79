"""The corpus store: atomic commits, appends and replaces, survival of a killed writer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from flashpoint import store


def _sentences(n: int, article: str = "a") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [article] * n,
            "sentence_idx": range(n),
            "start_char": [i * 10 for i in range(n)],
            "end_char": [i * 10 + 9 for i in range(n)],
        }
    )


def test_missing_corpus_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(store.CorpusNotFound, match="no corpus"):
        store.load_corpus(tmp_path / "nothing")


def test_append_then_replace_keeps_row_counts(tmp_path: Path) -> None:
    with store.writer_lock(tmp_path):
        store.commit(tmp_path, append={"sentences": _sentences(3)})
        store.commit(tmp_path, append={"sentences": _sentences(2, "b")})
    corpus = store.load_corpus(tmp_path)
    assert len(corpus.sentences) == 5
    assert corpus.manifest["row_counts"]["sentences"] == 5
    assert corpus.generation == 2

    with store.writer_lock(tmp_path):
        store.commit(tmp_path, replace={"sentences": _sentences(1, "c")})
    corpus = store.load_corpus(tmp_path)
    assert corpus.sentences["article_id"].tolist() == ["c"]
    # Every table exists, with its columns, even when nothing was written to it.
    assert list(corpus.events.columns)[:3] == ["event_id", "article_id", "sentence_idx"]


def test_retired_parts_stay_for_readers_then_go(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with store.writer_lock(tmp_path):
        store.commit(tmp_path, replace={"sentences": _sentences(3)})
        old_parts = store.read_manifest(tmp_path)["tables"]["sentences"]
        store.commit(tmp_path, replace={"sentences": _sentences(1)})
    # A reader holding the previous manifest can still open the old part.
    assert all((tmp_path / part).exists() for part in old_parts)
    monkeypatch.setattr(store, "GRACE_SECONDS", -1)
    with store.writer_lock(tmp_path):
        store.commit(tmp_path, append={"sentences": _sentences(1, "z")})
    assert not any((tmp_path / part).exists() for part in old_parts)


def test_rejects_log_tolerates_a_torn_last_line(tmp_path: Path) -> None:
    store.append_rejects(tmp_path, [{"origin": "a.csv#row=2", "reason": "empty text"}])
    with (tmp_path / store.REJECTS).open("a") as handle:
        handle.write('{"origin": "b.csv#row=')  # a writer killed mid-line
    assert store.read_rejects(tmp_path) == [{"origin": "a.csv#row=2", "reason": "empty text"}]


WRITER = """
import sys, pandas as pd
from flashpoint import store
path = sys.argv[1]
n = 0
while True:
    n += 1
    frame = pd.DataFrame({"article_id": ["x"] * 20000, "sentence_idx": range(20000),
                          "start_char": range(20000), "end_char": range(20000)})
    with store.writer_lock(path):
        store.commit(path, append={"sentences": frame}, replace={"mentions": frame.assign(
            text="t", label="GPE", entity_id=None, entity_name=None, entity_type=None)})
    print(n, flush=True)
"""


def _kill_after(script: Path, corpus: Path, delay: float) -> None:
    """Run a writer script on the corpus and SIGKILL it after ``delay`` seconds."""
    process = subprocess.Popen(
        [sys.executable, str(script), str(corpus)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_sigkill_mid_write_leaves_a_complete_corpus(tmp_path: Path) -> None:
    """Kill a writer at many instants; each time the corpus loads, whole and consistent."""
    corpus = tmp_path / "corpus"
    with store.writer_lock(corpus):
        store.commit(corpus, append={"sentences": _sentences(7)})
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    delays = [0.35, 0.6, 0.9, 1.3, 1.7]
    for delay in delays:
        before = store.load_corpus(corpus)
        _kill_after(script, corpus, delay)
        after = store.load_corpus(corpus)
        manifest = json.loads((corpus / store.MANIFEST).read_text())
        # The manifest's counts are the rows actually readable: nothing half-written.
        assert len(after.sentences) == manifest["row_counts"]["sentences"]
        assert len(after.sentences) >= len(before.sentences)
        assert (len(after.sentences) - 7) % 20000 == 0
    # Stray temporary parts of killed writers are cleared by the next commit.
    with store.writer_lock(corpus):
        store.commit(corpus, append={"sentences": _sentences(1, "last")})
    assert not [p for p in (corpus / store.PARTS).iterdir() if p.name.startswith(".")]


def test_rewrite_replaces_one_part_in_place(tmp_path: Path) -> None:
    with store.writer_lock(tmp_path):
        store.commit(tmp_path, append={"sentences": _sentences(3, "a")})
        store.commit(tmp_path, append={"sentences": _sentences(2, "b")})
        store.commit(tmp_path, append={"sentences": _sentences(4, "c")})
        parts = store.read_manifest(tmp_path)["tables"]["sentences"]
        written = store.commit(
            tmp_path,
            rewrite={"sentences": {parts[1]: _sentences(1, "B"), parts[2]: _sentences(0)}},
        )
    corpus = store.load_corpus(tmp_path)
    # The rewritten part keeps its place; the emptied one is gone; the first untouched.
    assert corpus.sentences["article_id"].tolist() == ["a", "a", "a", "B"]
    assert corpus.manifest["row_counts"]["sentences"] == 4
    assert corpus.manifest["tables"]["sentences"][0] == parts[0]
    assert written["written_parts"]["sentences"][parts[2]] is None
    assert (tmp_path / parts[1]).exists()  # retired, kept for readers of the old manifest
    with pytest.raises(ValueError, match="not a part"), store.writer_lock(tmp_path):
        store.commit(tmp_path, rewrite={"sentences": {parts[1]: _sentences(1)}})


REWRITER = """
import os, sys, pandas as pd
from flashpoint import store
path = sys.argv[1]
n = 0
while True:
    n += 1
    frame = pd.DataFrame({"article_id": [f"r{os.getpid()}-{n}"] * 20000, "sentence_idx": range(20000),
                          "start_char": range(20000), "end_char": range(20000)})
    with store.writer_lock(path):
        last = store.read_manifest(path)["tables"]["sentences"][-1]
        store.commit(path, rewrite={"sentences": {last: frame}},
                     append={"sentences": frame.head(3)})
    print(n, flush=True)
"""


def test_sigkill_mid_rewrite_leaves_a_complete_corpus(tmp_path: Path) -> None:
    """A writer rewriting parts in place, killed at many instants: the corpus always
    loads whole, with the counts its manifest gives."""
    corpus = tmp_path / "corpus"
    with store.writer_lock(corpus):
        store.commit(corpus, append={"sentences": _sentences(7)})
        store.commit(corpus, append={"sentences": _sentences(5, "b")})
    script = tmp_path / "rewriter.py"
    script.write_text(REWRITER)
    for delay in (0.35, 0.7, 1.1, 1.6):
        _kill_after(script, corpus, delay)
        after = store.load_corpus(corpus)
        manifest = json.loads((corpus / store.MANIFEST).read_text())
        assert len(after.sentences) == manifest["row_counts"]["sentences"]
        assert after.sentences["article_id"].iloc[:7].tolist() == ["a"] * 7
        # Every part is whole: the last one is a 3-row append or a 20000-row rewrite.
        sizes = after.sentences.groupby("article_id", sort=False).size()
        assert set(sizes.iloc[1:]) <= {3, 5, 20000, 20003}
