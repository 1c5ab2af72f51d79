"""Training data for the learned event filter: labels come from the evaluation's matching,
folds are whole articles."""

from __future__ import annotations

from typing import Any

from flashpoint.eval.events import GoldArticle
from flashpoint.eval.learning import folds_of, happened_labels

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
