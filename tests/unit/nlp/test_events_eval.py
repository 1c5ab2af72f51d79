"""The event evaluator: matching by sentence overlap, scores, and the baseline gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flashpoint.eval import Score
from flashpoint.eval.events import (
    EventReport,
    GoldEvent,
    dates_agree,
    read_gold,
    regressions,
    score_article,
    write_baseline,
)
from flashpoint.schema import EVENT_TYPES

TEXT = (
    "North Korea fired four missiles toward Japan on Monday. "
    "Russia and Japan held talks in Tokyo. "
    "The launch drew protests."
)


def span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def predicted(sentence: str, event_type: str, **fields: Any) -> dict[str, Any]:
    start, end = span(sentence)
    base: dict[str, Any] = {
        "event_type": event_type,
        "start_char": start,
        "end_char": end,
        "actors": [],
        "event_date": None,
        "date_text": None,
        "modality": "asserted",
        "trigger": "x",
    }
    return {**base, **fields}


def gold(quote: str, event_type: str, **fields: Any) -> GoldEvent:
    values: dict[str, Any] = {
        "actors": (),
        "event_date": None,
        "modality": "asserted",
        "is_space_launch": False,
        "where": "test",
    }
    values.update(fields)
    return GoldEvent(event_type=event_type, evidence=quote, **values)


def empty_report() -> EventReport:
    return EventReport(scores={t: Score(t) for t in EVENT_TYPES})


def test_a_prediction_matches_gold_quoted_inside_its_sentence() -> None:
    report = empty_report()
    launch = "North Korea fired four missiles toward Japan on Monday."
    score_article(
        report,
        [
            predicted(launch, "missile_launch", actors=["country:PRK"], event_date="2017-03-20"),
            predicted("Russia and Japan held talks in Tokyo.", "meeting", actors=["country:RUS"]),
            predicted("The launch drew protests.", "exercise"),  # wrong type
        ],
        [
            # Whitespace and quote style differ from the text: still found.
            gold(
                "fired  four missiles\ntoward Japan",
                "missile_launch",
                actors=("country:PRK",),
                event_date="2017-03-21",
            ),
            gold("held talks in Tokyo", "meeting", actors=("country:JPN", "country:RUS")),
            gold("The launch drew protests", "missile_launch"),
        ],
        TEXT,
        "ref",
    )
    launch_score = report.scores["missile_launch"]
    assert (launch_score.true_positives, launch_score.predicted, launch_score.gold) == (1, 1, 2)
    assert report.scores["meeting"].f1 == 1.0
    assert report.scores["exercise"].precision == 0.0
    assert (report.actor_exact.hits, report.actor_exact.total) == (1, 2)
    assert (report.actor_overlap.hits, report.actor_overlap.total) == (2, 2)
    # The launch is a day off: not exact, but within one day.
    assert (report.date_exact.hits, report.date_within_day.hits) == (1, 2)
    kinds = sorted(error["kind"] for error in report.errors)
    assert kinds == ["actors", "missed", "spurious"]  # a date within a day is no error


def test_strict_scores_need_a_shared_actor_and_count_only_what_happened() -> None:
    report = empty_report()
    launch = "North Korea fired four missiles toward Japan on Monday."
    talks = "Russia and Japan held talks in Tokyo."
    score_article(
        report,
        [
            # Same sentence and type, but the actor is the country the missiles flew at.
            predicted(launch, "missile_launch", actors=["country:JPN"], event_date="2017-03-20"),
            predicted(talks, "meeting", actors=["country:RUS"], event_date="2017-03-20"),
            predicted("The launch drew protests.", "missile_launch", modality="planned"),
        ],
        [
            gold("fired four missiles", "missile_launch", actors=("country:PRK",)),
            gold(
                "held talks in Tokyo",
                "meeting",
                actors=("country:JPN", "country:RUS"),
                event_date="2017-03-21",
            ),
            gold("The launch drew protests", "missile_launch", modality="possible"),
        ],
        TEXT,
        "ref",
    )
    # Any-modality scoring matches all three; strict scoring only the meeting.
    assert report.overall.true_positives == 3
    launches, meetings = report.strict["missile_launch"], report.strict["meeting"]
    assert (launches.true_positives, launches.predicted, launches.gold) == (0, 1, 1)
    assert (meetings.true_positives, meetings.predicted, meetings.gold) == (1, 1, 1)
    # One of two actors: a match, but not exact; the day-precise date is a day off.
    assert (report.strict_actor_exact.hits, report.strict_actor_exact.total) == (0, 1)
    assert (report.strict_day_dates.hits, report.strict_day_dates.total) == (1, 1)
    assert "Strict" in report.table()


def test_each_gold_event_is_matched_once_per_sentence() -> None:
    report = empty_report()
    sentence = "North Korea fired four missiles toward Japan on Monday."
    score_article(
        report,
        [predicted(sentence, "missile_launch"), predicted(sentence, "missile_launch")],
        [gold("fired four missiles", "missile_launch")],
        TEXT,
        "ref",
    )
    score = report.scores["missile_launch"]
    assert (score.true_positives, score.predicted, score.gold) == (1, 2, 1)
    assert score.precision == 0.5 and score.recall == 1.0


def test_the_best_agreeing_prediction_takes_the_match() -> None:
    report = empty_report()
    sentence = "North Korea fired four missiles toward Japan on Monday."
    score_article(
        report,
        [
            predicted(sentence, "missile_launch", actors=["country:JPN"]),
            predicted(sentence, "missile_launch", actors=["country:PRK"], event_date="2017-03-20"),
        ],
        [
            gold(
                "fired four missiles",
                "missile_launch",
                actors=("country:PRK",),
                event_date="2017-03-20",
            )
        ],
        TEXT,
        "ref",
    )
    assert report.actor_exact.hits == 1 and report.date_exact.hits == 1


def test_dates_agree_at_their_precision() -> None:
    assert dates_agree("2017-03-20", "2017-03-20")
    assert not dates_agree("2017-03-20", "2017-03-21")
    assert dates_agree("2017-03-20", "2017-03-21", days=1)
    assert not dates_agree("2017-03", "2017-03-21", days=1)
    assert dates_agree(None, None)
    assert not dates_agree("2017-03-21", None, days=1)


def test_gold_files_with_bad_lines_give_notes(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"ref": "u1", "events": []}\n'
        "not json\n"
        '{"events": []}\n'
        '{"ref": "u2", "corpus": "x.csv", "events": [{"start": 0, "end": 5, "event_type": "meeting"}]}\n',
        encoding="utf-8",
    )
    articles, notes = read_gold(path)
    assert [(a.corpus, a.ref) for a in articles] == [("sample", "u1"), ("x.csv", "u2")]
    assert len(notes) == 2
    assert read_gold(tmp_path / "missing.jsonl")[0] == []


def _report(f1s: dict[str, tuple[int, int, int]], corpora: set[str]) -> EventReport:
    report = empty_report()
    for event_type, (tp, pred, gold_count) in f1s.items():
        report.scores[event_type] = Score(event_type, tp, pred, gold_count)
    report.corpora = corpora
    report.articles = 3
    return report


def test_the_baseline_gate_fails_on_a_drop_of_more_than_five_points(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(
        _report({"missile_launch": (9, 10, 10), "meeting": (8, 10, 10)}, {"sample"}), path
    )
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert recorded["events"]["dev"]["sample"]["f1"] == {"meeting": 0.8, "missile_launch": 0.9}

    small_drop = _report({"missile_launch": (86, 100, 100), "meeting": (8, 10, 10)}, {"sample"})
    assert regressions(small_drop, path) == []
    big_drop = _report({"missile_launch": (8, 10, 10), "meeting": (8, 10, 10)}, {"sample"})
    problems = regressions(big_drop, path)
    assert len(problems) == 1 and problems[0].startswith("dev: missile_launch: F1")
    missing = _report({"missile_launch": (9, 10, 10)}, {"sample"})
    assert [p.split(":")[1].strip() for p in regressions(missing, path)] == ["meeting"]


def test_the_baseline_gate_holds_date_accuracy_too(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    before = _report({"missile_launch": (9, 10, 10)}, {"sample"})
    for hit in [True] * 9 + [False]:
        before.date_within_day.add(hit)
    write_baseline(before, path)
    worse = _report({"missile_launch": (9, 10, 10)}, {"sample"})
    for hit in [True] * 8 + [False] * 2:
        worse.date_within_day.add(hit)
    problems = regressions(worse, path)
    assert len(problems) == 1 and problems[0].startswith("dev: dates within one day")


def test_the_baseline_gate_holds_strict_scores_per_split(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    dev = _report({"missile_launch": (9, 10, 10)}, {"x.csv"})
    test = _report({"missile_launch": (9, 10, 10)}, {"x.csv"})
    test.split = "test"
    test.strict["missile_launch"] = Score("missile_launch", 9, 10, 10)
    write_baseline(dev, path)
    write_baseline(test, path)
    assert set(json.loads(path.read_text(encoding="utf-8"))["events"]) == {"dev", "test"}
    worse = _report({"missile_launch": (9, 10, 10)}, {"x.csv"})
    worse.split = "test"
    worse.strict["missile_launch"] = Score("missile_launch", 6, 10, 10)
    assert regressions(dev, path) == []
    problems = regressions(worse, path)
    assert len(problems) == 1 and problems[0].startswith("test: missile_launch: strict F1")


def test_baselines_are_kept_per_scope(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(_report({"missile_launch": (9, 10, 10)}, {"sample", "x.csv"}), path)
    write_baseline(_report({"missile_launch": (5, 10, 10)}, {"sample"}), path)
    scopes = json.loads(path.read_text(encoding="utf-8"))["events"]["dev"]
    assert set(scopes) == {"sample", "sample+x.csv"}
    # Without ../shared only the demo-corpus line is held.
    assert regressions(_report({"missile_launch": (5, 10, 10)}, {"sample"}), path) == []
    assert regressions(_report({"missile_launch": (5, 10, 10)}, {"sample", "x.csv"}), path)


@pytest.mark.slow
def test_evaluate_on_the_demo_corpus_gold(nlp: Any) -> None:
    from flashpoint.eval.events import GOLD_DIR, evaluate_events

    report = evaluate_events([GOLD_DIR / "gold_events_sample_a.jsonl"], nlp, None)
    assert report.articles > 0
    assert report.corpora == {"sample"}
    assert report.overall.true_positives > 0
    assert "missile_launch" in report.table()
