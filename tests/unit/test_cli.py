"""The CLI contract on the demo corpus: events, stories, entities, stats and chart."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.analysis.counts import story_counts
from flashpoint.analysis.filters import Filters, apply_filters
from flashpoint.cli import main
from flashpoint.export import chromium_available


def test_events_csv_has_readable_columns_and_evidence(sample_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    argv = ["events", "--corpus", str(sample_corpus), "--type", "missile_launch",
            "--country", "North Korea", "--since", "2017-01-01", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    events = pd.read_csv(out)
    for column in ("event_id", "event_type", "event_date", "date_precision", "date_basis",
                   "modality", "actors", "weapons", "article_id", "source", "title",
                   "published", "evidence"):  # fmt: skip
        assert column in events.columns, column
    assert set(events["event_type"]) == {"missile_launch"}
    assert set(events["modality"]) == {"asserted"}  # the default, like the timeline
    assert (events["event_date"].dropna().str[:4] >= "2017").all()
    # Ids become display names, joined with "; ".
    assert events["actors"].str.contains("North Korea").any()
    assert not events["actors"].fillna("").str.contains("country:").any()
    assert events["weapons"].fillna("").str.contains("Hwasong-14").any()
    assert events["evidence"].str.len().min() > 20


def test_stories_json_groups_reports_of_one_launch(sample_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.json"
    argv = ["events", "--corpus", str(sample_corpus), "--stories", "--type", "missile_launch",
            "--format", "json", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    stories = json.loads(out.read_text())
    by_date = {story["event_date"]: story for story in stories}
    # The Hwasong-14 launch of July 4, 2017 is reported by several desks: one story.
    assert by_date["2017-07-04"]["n_articles"] >= 2
    assert "North Korea" in by_date["2017-07-04"]["actors"]


def test_entities_and_unresolved_listings(sample_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "entities.csv"
    assert main(["entities", "--corpus", str(sample_corpus), "--out", str(out)]) == 0
    entities = pd.read_csv(out)
    top = entities.set_index("entity_name")
    assert top.loc["North Korea", "entity_type"] == "country"
    assert top.loc["THAAD", "entity_type"] == "weapon"
    unresolved = tmp_path / "unresolved.csv"
    argv = ["entities", "--corpus", str(sample_corpus), "--unresolved", "--out", str(unresolved)]
    assert main(argv) == 0
    assert {"text", "count"} <= set(pd.read_csv(unresolved).columns)


def test_stats_prints_counts(sample_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--corpus", str(sample_corpus)]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^articles +90$", printed, re.MULTILINE)
    assert "missile_launch" in printed and "rejects" in printed


def test_stats_counts_stories_and_reports_as_the_dashboard_does(
    sample_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = store.load_corpus(sample_corpus)
    for argv, filters in (
        ([], Filters()),
        (["--country", "North Korea", "--type", "nuclear_test"],
         Filters(countries=("North Korea",), types=("nuclear_test",))),
        (["--include-unasserted", "--since", "2017"],
         Filters(include_unasserted=True, since=date(2017, 1, 1))),
    ):  # fmt: skip
        assert main(["stats", "--corpus", str(sample_corpus), *argv]) == 0
        printed = capsys.readouterr().out
        counts = story_counts(apply_filters(corpus, filters).events)  # what Overview shows
        scope = "asserted, planned, possible, claimed" if filters.include_unasserted else "asserted"
        assert re.search(rf"^stories +{counts.stories} \({scope}\)", printed, re.MULTILINE)
        assert re.search(rf"^reports +{counts.reports} \({scope};", printed, re.MULTILINE)


def test_a_name_that_matches_nothing_is_reported_with_close_names(
    sample_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "--corpus", str(sample_corpus), "--country", "Narnia"]) == 0
    err = capsys.readouterr().err
    assert "--country 'Narnia' matched nothing" in err
    assert main(["events", "--corpus", str(sample_corpus), "--country", "North Koréa"]) == 0
    err = capsys.readouterr().err
    assert "did you mean 'North Korea'" in err
    assert main(["events", "--corpus", str(sample_corpus), "--country", "North Korea"]) == 0
    assert "matched nothing" not in capsys.readouterr().err


def test_usage_errors_are_one_line_and_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["events", "--type", "parade"])
    assert exit_info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("flashpoint events: argument --type: invalid choice: 'parade'")
    assert lines[1] == "Try 'flashpoint events --help'."


@pytest.mark.skipif(not chromium_available(), reason="PNG export needs Chrome/Chromium")
def test_chart_writes_a_png_of_the_requested_size(sample_corpus: Path, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "timeline.png"
    argv = ["chart", "timeline", "--corpus", str(sample_corpus), "--country", "Japan",
            "--out", str(out), "--width", "800", "--height", "450", "--scale", "1"]  # fmt: skip
    assert main(argv) == 0
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (800, 450)


def test_engine_options_are_checked_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("North Korea fired a missile on Sunday.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    code = main(["ingest", str(source), "--corpus", str(corpus), "--ray-address", "auto"])
    assert code == 2
    assert "--ray-address needs --engine ray" in capsys.readouterr().err
    assert not corpus.exists()


def test_relink_keeps_the_stories_of_a_one_shot_ingest(
    sample_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    assert main(["relink", "--corpus", str(copy)]) == 0
    assert "relinked" in capsys.readouterr().err
    before, after = store.load_corpus(sample_corpus), store.load_corpus(copy)
    pd.testing.assert_frame_equal(after.stories, before.stories, check_dtype=False)
    assert after.events["story_id"].tolist() == before.events["story_id"].tolist()
