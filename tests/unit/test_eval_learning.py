"""Training data for the learned event filter: labels come from the evaluation's matching,
folds are whole articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flashpoint.eval.events import GoldArticle
from flashpoint.eval.learning import Candidates, folds_of, happened_labels, main, train
from flashpoint.nlp.events.learned import EventFilterModel

TEXT = "North Korea fired a missile on Monday. Seoul may hold talks with Tokyo. It rained."


def row(sentence: str, event_type: str, modality: str, actors: list[str]) -> dict[str, Any]:
    start = TEXT.index(sentence)
    return {
        "event_type": event_type,
        "start_char": start,
        "end_char": start + len(sentence),
        "modality": modality,
        "actors": actors,
        "event_date": None,
    }


ARTICLE = GoldArticle(
    "sample",
    "written",
    [
        {
            "quote": "North Korea fired a missile on Monday.",
            "event_type": "missile_launch",
            "actors": ["country:PRK"],
            "modality": "asserted",
        },
        {
            "quote": "Seoul may hold talks with Tokyo.",
            "event_type": "meeting",
            "actors": ["country:KOR", "country:JPN"],
            "modality": "possible",
        },
    ],
    "written.jsonl:1",
)
TEXTS = {"text": TEXT, "raw": TEXT}


def test_a_candidate_is_positive_when_it_matches_an_event_that_happened() -> None:
    rows = [
        row(
            "North Korea fired a missile on Monday.", "missile_launch", "possible", ["country:PRK"]
        ),
        row("Seoul may hold talks with Tokyo.", "meeting", "asserted", ["country:KOR"]),
        row("It rained.", "exercise", "asserted", []),
    ]
    # the launch happened whatever the rules said; the talks are only possible; no drill
    assert happened_labels(rows, ARTICLE, TEXTS) == [1, 0, 0]


def test_the_actor_condition_is_optional() -> None:
    rows = [row("North Korea fired a missile on Monday.", "missile_launch", "asserted", [])]
    assert happened_labels(rows, ARTICLE, TEXTS) == [1]
    assert happened_labels(rows, ARTICLE, TEXTS, shared_actor=True) == [0]


def test_folds_keep_articles_whole_and_balanced() -> None:
    keys = [("sample", f"a{i}") for i in range(23)]
    folds = folds_of(keys, 5)
    assert folds == folds_of(list(reversed(keys)), 5)  # order does not matter
    sizes = sorted(list(folds.values()).count(f) for f in range(5))
    assert sizes == [4, 4, 5, 5, 5]


def test_a_model_trained_for_some_types_leaves_the_skipped_ones_to_the_rules(
    tmp_path: Path,
) -> None:
    rows = [
        row(
            "North Korea fired a missile on Monday.", "missile_launch", "asserted", ["country:PRK"]
        ),
        row("Seoul may hold talks with Tokyo.", "meeting", "possible", ["country:KOR"]),
    ]
    key = ("sample", "written")
    candidates = Candidates(
        gold=[ARTICLE],
        articles={key: TEXTS},
        rows={key: rows},
        features={key: [["type=missile_launch"], ["type=meeting"]]},
        labels={key: happened_labels(rows, ARTICLE, TEXTS)},
        notes=[],
    )
    model = train(candidates, tmp_path / "m.json", types=("missile_launch",))
    again = EventFilterModel.load(tmp_path / "m.json")
    assert again.event_types == model.event_types == ("missile_launch",)
    assert not again.applies_to("deployment")


def test_an_unknown_type_to_skip_is_refused_before_any_work() -> None:
    with pytest.raises(SystemExit):
        main(["cv", "--skip-types", "deployments"])
