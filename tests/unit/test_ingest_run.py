"""The ingest run end to end on small files the tests write: identity, dedup, incremental."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashpoint import store
from flashpoint.cli import main
from flashpoint.ingest.run import expand_sources, ingest

LAUNCH = (
    "North Korea fired a ballistic missile into the sea off its east coast on Tuesday, "
    "South Korea's military said. The launch was the third this month, and Japan lodged a "
    "protest through diplomatic channels in Beijing. Officials in Seoul said the missile "
    "flew about 500 kilometres before it fell into the water."
)
MEETING = (
    "The foreign ministers of Japan and Russia met in Tokyo on Monday for talks on the "
    "disputed islands. Both sides agreed to keep talking about joint economic activity, "
    "while Japan raised concerns about Russian missile deployments on the islands."
)


def _write(path: Path, title: str, body: str, date: str | None = "2017-03-21") -> Path:
    front = f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + "---\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front + body + "\n", encoding="utf-8")
    return path


def test_expand_sources_walks_folders_and_globs(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "one.md", "One", LAUNCH)
    _write(tmp_path / "a" / "deeper" / "two.md", "Two", MEETING)
    (tmp_path / "a" / ".hidden.md").write_text("x")
    assert sorted(Path(p).name for p in expand_sources([str(tmp_path / "a")])) == [
        "one.md",
        "two.md",
    ]
    assert [Path(p).name for p in expand_sources([str(tmp_path / "a" / "*.md")])] == ["one.md"]
    # A source that matches nothing is passed on, so the reader can say so.
    assert list(expand_sources([str(tmp_path / "missing.md")])) == [str(tmp_path / "missing.md")]


def test_second_run_adds_nothing_and_new_files_append(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    corpus = tmp_path / "corpus"
    _write(sources / "a-launch.md", "Launch", LAUNCH)
    # Same text: an exact duplicate; files are read in sorted order, so the first one stays.
    _write(sources / "b-copy.md", "Launch (copy)", LAUNCH)
    first = ingest([str(sources)], corpus, progress=False)
    assert (first.added, first.exact_duplicates) == (1, 1)

    second = ingest([str(sources)], corpus, progress=False)
    assert second.added == 0
    assert second.skipped_unchanged_files == 2  # not even re-read

    _write(sources / "meeting.md", "Meeting", MEETING)
    third = ingest([str(sources)], corpus, progress=False)
    assert third.added == 1
    loaded = store.load_corpus(corpus)
    assert sorted(loaded.articles["title"]) == ["Launch", "Meeting"]
    assert loaded.manifest["row_counts"]["articles"] == 2
    assert set(loaded.sentences["article_id"]) == set(loaded.articles["article_id"])
    assert {"country:PRK", "country:JPN", "country:RUS"} <= set(loaded.mentions["entity_id"])


def test_date_option_fills_only_missing_dates(tmp_path: Path) -> None:
    _write(tmp_path / "in" / "dated.md", "Dated", LAUNCH, date="2017-03-07")
    _write(tmp_path / "in" / "undated.md", "Undated", MEETING, date=None)
    corpus = tmp_path / "corpus"
    code = main(
        [
            "ingest",
            str(tmp_path / "in"),
            "--corpus",
            str(corpus),
            "--date",
            "2017-03-21",
            "--no-progress",
        ]
    )
    assert code == 0
    articles = store.load_corpus(corpus).articles.set_index("title")
    assert articles.loc["Dated", "published"] == datetime(2017, 3, 7, tzinfo=UTC)
    assert articles.loc["Undated", "published"] == datetime(2017, 3, 21, tzinfo=UTC)
    assert articles.loc["Undated", "published_precision"] == "day"


def test_rejected_inputs_give_exit_code_1_and_a_report(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path / "in" / "good.md", "Good", LAUNCH)
    (tmp_path / "in" / "empty.txt").write_text("")
    corpus = tmp_path / "corpus"
    code = main(["ingest", str(tmp_path / "in"), "--corpus", str(corpus), "--no-progress"])
    assert code == 1
    err = capsys.readouterr().err
    assert "1 added" in err and "empty.txt" in err
    rejects = store.read_rejects(corpus)
    assert [Path(r["origin"]).name for r in rejects] == ["empty.txt"]
    assert len(store.load_corpus(corpus).articles) == 1


@pytest.mark.parametrize("argv", [["ingest"], ["chart", "timeline"], ["nonsense"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2


def test_missing_corpus_is_a_usage_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", "--corpus", str(tmp_path / "none")]) == 2
    assert "flashpoint ingest" in capsys.readouterr().err
