"""Stored cases (tests/data/event_cases.jsonl): sentences we wrote, the parse the model gave
them when the case was stored, and the events expected from it.

On the stored parse the rules run without any model, so a rule change shows exactly which
expectations it moves. With the current model the sentence is parsed again: a model upgrade
shows which parses changed and which expectations moved with them. Regenerate the file with
tests/unit/nlp/make_event_cases.py when a move is meant.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from parsed import parse_of, pinned_events, summary
from spacy.language import Language

from flashpoint.nlp.events import extract_events
from flashpoint.schema import ArticleContext

CASES_FILE = Path(__file__).resolve().parents[2] / "data" / "event_cases.jsonl"


def load_cases(path: Path = CASES_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def context_of(case: dict[str, Any]) -> ArticleContext:
    article = case["article"]
    published = article.get("published")
    return ArticleContext(
        "article-1",
        datetime.fromisoformat(published) if published else None,
        article.get("published_precision") or "unknown",
        article.get("dateline"),
        article.get("title"),
    )


def _moved(case: dict[str, Any], found: list[dict[str, Any]]) -> str:
    return f"{case['id']}: {case['text']!r}\n  expected {case['expected']}\n  found    {found}"


def test_the_cases_file_holds_written_sentences_with_events() -> None:
    cases = load_cases()
    assert len(cases) >= 100
    assert len({c["id"] for c in cases}) == len(cases)
    assert sum(1 for c in cases if c["expected"]) >= 80


def test_every_case_gives_its_expected_events_on_its_stored_parse() -> None:
    """No model: the rules alone, on the parse stored with the case."""
    moved = [
        _moved(case, found)
        for case in load_cases()
        if (found := pinned_events(case["parse"], context_of(case))) != case["expected"]
    ]
    assert not moved, f"{len(moved)} stored cases moved:\n" + "\n".join(moved)


def test_a_changed_expectation_is_reported() -> None:
    case = next(c for c in load_cases() if c["expected"])
    wrong = {**case, "expected": [{**case["expected"][0], "event_type": "sanction"}]}
    found = pinned_events(wrong["parse"], context_of(wrong))
    assert found != wrong["expected"]
    assert "expected" in _moved(wrong, found)


def test_the_current_model_parses_the_cases_as_stored(nlp: Language) -> None:
    """A model upgrade: which parses changed, and which expectations moved with them."""
    reparsed, moved = [], []
    for case in load_cases():
        doc = nlp(case["text"])
        if parse_of(doc) != case["parse"]:
            reparsed.append(case["id"])
        found = [summary(r) for r in extract_events(doc, context_of(case))]
        if found != case["expected"]:
            moved.append(_moved(case, found))
    assert not moved, (
        f"{len(reparsed)} parses changed ({', '.join(reparsed[:20])}); "
        f"{len(moved)} expectations moved:\n" + "\n".join(moved)
    )
