"""The entity evaluation: finding gold sentences in cleaned text, scoring by overlap and id."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from spacy.language import Language

from flashpoint.eval import TextLocator
from flashpoint.eval.entities import evaluate_entities
from flashpoint.nlp.gazetteer import Gazetteer
from flashpoint.nlp.pipeline import blank_pipeline

# Written for this test. Raw text the way crawls give it: glued sentences, odd spacing.
RAW = (
    "Pyongyang fired a Hwasong-14 on Tuesday.The launch alarmed Seoul.\n\n"
    "Washington   said nothing at all."
)


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Language:
    directory = tmp_path_factory.mktemp("gazetteer")
    rows = [
        {"id": "country:PRK", "name": "North Korea", "metonyms": ["Pyongyang"]},
        {"id": "country:KOR", "name": "South Korea", "metonyms": ["Seoul"]},
        {"id": "country:USA", "name": "United States", "metonyms": ["Washington"]},
    ]
    (directory / "countries.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    weapon = {"id": "weapon:hwasong-14", "name": "Hwasong-14", "operator": "PRK"}
    (directory / "weapons.jsonl").write_text(json.dumps(weapon))
    return blank_pipeline(Gazetteer.load(directory))


def gold_line(sentence: str, mentions: list[tuple[str, str, str]], ref: str = "x-1") -> str:
    start = RAW.index(sentence)
    return json.dumps(
        {
            "ref": ref,
            "corpus": "test.csv",
            "sentence": {"start": start, "end": start + len(sentence)},
            "mentions": [
                {
                    "text": text,
                    "start": sentence.index(text),
                    "end": sentence.index(text) + len(text),
                    "entity_id": entity_id,
                    "entity_type": entity_type,
                }
                for text, entity_id, entity_type in mentions
            ],
        }
    )


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    corpora = tmp_path / "shared" / "corpora"
    corpora.mkdir(parents=True)
    with (corpora / "test.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["x-1", "A launch", RAW])
    return tmp_path / "shared"


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [
        gold_line(
            "Pyongyang fired a Hwasong-14 on Tuesday.",
            [
                ("Pyongyang", "country:PRK", "country"),
                ("Hwasong-14", "weapon:hwasong-14", "weapon"),
            ],
        ),
        gold_line("The launch alarmed Seoul.", [("Seoul", "country:KOR", "country")]),
        # the labeller reads this Washington as a newspaper: the system's country is wrong
        gold_line(
            "Washington   said nothing at all.",
            [("Washington", "org:washington-post", "organization")],
        ),
        gold_line("The launch alarmed Seoul.", [], ref="x-missing"),
        "{broken",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scores_per_type_by_overlap_and_id(rules: Language, gold: Path, shared: Path) -> None:
    report = evaluate_entities(gold, rules, shared)

    country, weapon, organization = (
        report.scores["country"],
        report.scores["weapon"],
        report.scores["organization"],
    )
    assert (country.gold, country.predicted, country.true_positives) == (2, 3, 2)
    assert country.precision == pytest.approx(2 / 3) and country.recall == 1.0
    assert (weapon.precision, weapon.recall) == (1.0, 1.0)
    assert (organization.gold, organization.predicted, organization.recall) == (1, 0, 0.0)
    assert organization.precision is None
    assert report.sentences == 3
    kinds = sorted((e["kind"], e["text"]) for e in report.errors)
    assert kinds == [("false", "Washington"), ("missed", "Washington")]
    assert any("x-missing" in note for note in report.notes)
    assert any("unusable gold line" in note for note in report.notes)
    table = report.table()
    assert "country" in table and "66.7%" in table and "BELOW" in table


def test_shared_lines_are_skipped_with_a_note_without_the_corpora(
    rules: Language, gold: Path, tmp_path: Path
) -> None:
    report = evaluate_entities(gold, rules, tmp_path / "nowhere")

    assert report.sentences == 0
    assert any("4 shared-corpus sentences skipped" in note for note in report.notes)


def test_locator_ignores_spacing_quotes_and_case() -> None:
    locator = TextLocator("He said: “Seoul’s  move was  wrong.” Then he left.")

    found = locator.find('said: "Seoul\'s move was wrong."')
    assert found is not None
    start, end = found
    assert locator.text[start:end] == "said: “Seoul’s  move was  wrong.”"
    raw = 'said: "Seoul\'s move was wrong."'
    inner = locator.map_inner(raw, start, raw.index("move"), raw.index("move") + len("move was"))
    assert inner is not None and locator.text[inner[0] : inner[1]] == "move was"
    assert locator.find("Pyongyang") is None


def test_the_gold_sample_sentences_meet_the_targets(nlp: Language) -> None:
    """The issue's acceptance on the demo corpus's labelled sentences (no ../shared needed)."""
    gold = Path(__file__).resolve().parents[2] / "data" / "gold_mentions.jsonl"
    sample_only = [
        line
        for line in gold.read_text(encoding="utf-8").splitlines()
        if '"corpus": "sample"' in line
    ]
    if not sample_only:
        pytest.skip("no demo-corpus lines in tests/data/gold_mentions.jsonl")
    report = evaluate_entities(gold, nlp, shared_dir=None)

    assert report.sentences == len(sample_only), report.notes
    country = report.scores["country"]
    assert country.precision is not None and country.precision >= 0.95, report.table()
    assert country.recall is not None and country.recall >= 0.95, report.table()
