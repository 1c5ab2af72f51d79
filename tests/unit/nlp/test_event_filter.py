"""The learned event filter (flashpoint/nlp/events/learned.py): its decisions on written
sentences with pinned parses (tests/data/event_filter_cases.jsonl, made by
make_event_filter_cases.py), the training function's determinism, and the component."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import spacy
from parsed import pinned_doc

from flashpoint.nlp.events import EventExtractor, extract_events, set_article
from flashpoint.nlp.events.learned import (
    DEFAULT_MODEL,
    EVENT_FILTER,
    EventFilter,
    EventFilterModel,
    apply_filter,
    train_filter,
)
from flashpoint.schema import ArticleContext

CASES = Path(__file__).resolve().parents[2] / "data" / "event_filter_cases.jsonl"
CONTEXT = ArticleContext("a1", datetime(2017, 3, 22, 3, tzinfo=UTC), "datetime", None, None)


def _case(name: str) -> tuple[Any, list[dict[str, Any]]]:
    for line in CASES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == name:
            doc = pinned_doc(row["parse"])
            return doc, [asdict(record) for record in extract_events(doc, CONTEXT)]
    raise KeyError(name)


def _modalities(rows: list[dict[str, Any]], event_type: str) -> list[str]:
    return [row["modality"] for row in rows if row["event_type"] == event_type]


@pytest.fixture(scope="module")
def shipped() -> EventFilterModel:
    return EventFilterModel.load(DEFAULT_MODEL)


def test_the_shipped_model_keeps_a_plainly_reported_launch(shipped: EventFilterModel) -> None:
    doc, rows = _case("reported_launch")
    assert _modalities(rows, "missile_launch") == ["asserted"]
    filtered = apply_filter(doc, rows, shipped)
    assert _modalities(filtered, "missile_launch") == ["asserted"]
    assert filtered[0]["confidence"] > 0.5


def test_the_shipped_model_does_not_make_a_hypothetical_launch_happen(
    shipped: EventFilterModel,
) -> None:
    doc, rows = _case("hypothetical_launch")
    assert _modalities(rows, "missile_launch") == ["possible"]
    assert _modalities(apply_filter(doc, rows, shipped), "missile_launch") == ["possible"]


def test_the_shipped_model_takes_background_sanctions_off_the_timeline(
    shipped: EventFilterModel,
) -> None:
    """ "The sanctions may hamper ...": the rules read an asserted sanction; the filter
    marks it possible, which the timeline does not draw (a background state, per the
    guide, is no new sanction)."""
    doc, rows = _case("background_sanctions")
    assert _modalities(rows, "sanction") == ["asserted"]
    assert _modalities(apply_filter(doc, rows, shipped), "sanction") == ["possible"]


@pytest.mark.parametrize(
    ("name", "modality"),
    [
        # the event's own words say it is still to come: never promoted
        ("planned_drills", "planned"),
        ("upcoming_drills", "planned"),
        ("drills_ahead", "planned"),
        # a habit, and planned exercises that were carried out: left to the model
        ("habitual_drill", "asserted"),
        ("drills_carried_out", "asserted"),
    ],
)
def test_a_model_sure_it_happened_does_not_promote_an_event_still_to_come(
    name: str, modality: str
) -> None:
    doc, rows = _case(name)
    assert _modalities(rows, "exercise") == ["planned"]
    sure = EventFilterModel({}, bias=10.0)  # promotes whatever it may
    assert _modalities(apply_filter(doc, rows, sure), "exercise") == [modality]


# -- training ------------------------------------------------------------------------------

# Written examples: feature names as event_features makes them.
TINY = [
    (["type=missile_launch", "tag=VBD", "lemma=fire"], 1),
    (["type=missile_launch", "tag=VBD", "lemma=launch"], 1),
    (["type=missile_launch", "tag=VBD", "lemma=fire", "sentence_ent=DATE"], 1),
    (["type=missile_launch", "tag=VB", "lemma=fire", "child=aux:could"], 0),
    (["type=missile_launch", "tag=VB", "lemma=launch", "child=aux:could"], 0),
    (["type=nuclear_test", "tag=VB", "lemma=conduct", "child=aux:could"], 0),
    (["type=nuclear_test", "tag=VBD", "lemma=conduct"], 1),
]


def test_training_is_reproducible_and_learns_the_written_examples() -> None:
    first = train_filter(TINY, min_count=1, l2=0.1)
    second = train_filter(list(TINY), min_count=1, l2=0.1)
    assert first.to_dict() == second.to_dict()
    assert first.probability(["type=missile_launch", "tag=VBD", "lemma=fire"]) > 0.5
    assert first.probability(["type=missile_launch", "tag=VB", "child=aux:could"]) < 0.5


def test_rare_features_are_left_out() -> None:
    model = train_filter(TINY, min_count=2)
    assert "sentence_ent=DATE" not in model.weights
    assert "child=aux:could" in model.weights


def test_a_saved_model_reads_back_the_same(tmp_path: Path) -> None:
    model = train_filter(TINY, min_count=1)
    model.save(tmp_path / "m.json")
    again = EventFilterModel.load(tmp_path / "m.json")
    assert again.to_dict() == model.to_dict()


def test_decisions() -> None:
    model = EventFilterModel({}, 0.0, demote_below=0.4, promote_at=0.7)
    assert model.decide("asserted", 0.39) == "possible"
    assert model.decide("claimed", 0.5) == "claimed"
    assert model.decide("planned", 0.7) == "asserted"
    assert model.decide("possible", 0.69) == "possible"
    assert model.decide("negated", 0.99) == "negated"  # the text says it did not happen
    assert model.decide("generic", 0.99) == "generic"  # a kind of event, no occurrence
    # "a possible missile launch": the event's own word says so
    assert model.decide("possible", 0.9, ["child_cue=possible_adj", "type=exercise"]) == "possible"
    # "a regularly scheduled drill" took place: the planning cue class is left to the model
    assert model.decide("planned", 0.9, ["child_cue=planning_adj"]) == "asserted"
    # "its planned drills", "ahead of the drills": still to come
    assert model.decide("planned", 0.9, ["own_cue=planning_adj"]) == "planned"
    assert model.decide("planned", 0.9, ["frame=prospective_preps"]) == "planned"
    assert model.decide("possible", 0.9, ["up_cue=possible_verbs"]) == "asserted"


def test_a_model_for_some_types_leaves_the_others_as_the_rules_said(
    shipped: EventFilterModel,
) -> None:
    doc, rows = _case("background_sanctions")
    launches_only = EventFilterModel(shipped.weights, shipped.bias, event_types=("missile_launch",))
    assert apply_filter(doc, rows, launches_only) == rows


# -- dates of events found to have happened ------------------------------------------------

# A model that finds every event happened, and one that finds none did.
PROMOTES = EventFilterModel({}, 5.0)
KEEPS = EventFilterModel({}, -5.0, demote_below=0.0)


def _with_past_dates(
    name: str, context: ArticleContext = CONTEXT
) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    doc, _ = _case(name)
    readings: dict[str, Any] = {}
    rows = [asdict(r) for r in extract_events(doc, context, past_readings=readings)]
    return (
        doc,
        rows,
        {
            k: None if v is None else [v.value, v.precision, v.basis, v.text]
            for k, v in readings.items()
        },
    )


def _dates(rows: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(row["modality"], row["event_date"]) for row in rows]


def test_a_planned_test_found_to_have_happened_takes_the_day_before_the_report() -> None:
    """ "plans to conduct a nuclear test on Jan. 6" in a March 2017 article: planned, the
    rules read next January; made asserted, it is the January before the report (what
    happened cannot be after its report), not January 2018."""
    doc, rows, past_dates = _with_past_dates("planned_test_on_a_day")
    assert _dates(rows) == [("planned", "2018-01-06")]
    assert list(past_dates.values()) == [["2017-01-06", "day", "explicit", "Jan. 6"]]
    assert _dates(apply_filter(doc, rows, PROMOTES, past_dates=past_dates)) == [
        ("asserted", "2017-01-06")
    ]
    # left planned, it keeps the forward reading
    assert _dates(apply_filter(doc, rows, KEEPS, past_dates=past_dates)) == [
        ("planned", "2018-01-06")
    ]


@pytest.mark.parametrize(
    ("name", "forward"),
    [("planned_talks_soon", "2017-04-05"), ("planned_talks_on_a_weekday", "2017-03-23")],
)
def test_a_planned_event_whose_date_is_still_to_come_stays_planned(name: str, forward: str) -> None:
    """ "agreed to hold talks on April 5" in a March article: the nearer April 5 is still to
    come, so the talks cannot have happened; "on Thursday" is as near either way, and the
    rules' reading stands. The filter leaves them planned whatever it scores."""
    doc, rows, past_dates = _with_past_dates(name)
    assert _dates(rows) == [("planned", forward)]
    assert list(past_dates.values()) == [None]
    assert _dates(apply_filter(doc, rows, PROMOTES, past_dates=past_dates)) == [
        ("planned", forward)
    ]
    # without the readings (a pipeline without the extractor's) the model decides alone
    assert _dates(apply_filter(doc, rows, PROMOTES)) == [("asserted", forward)]


def test_a_date_that_names_its_year_has_one_reading() -> None:
    doc, rows, past_dates = _with_past_dates("planned_test_on_a_dated_day")
    assert _dates(rows) == [("planned", "2018-01-06")]
    assert past_dates == {}
    assert _dates(apply_filter(doc, rows, PROMOTES, past_dates=past_dates)) == [
        ("asserted", "2018-01-06")
    ]


def test_a_possible_launch_found_to_have_happened_takes_the_day_it_would_have_as_asserted() -> None:
    """ "Officials suggested North Korea fired a ballistic missile": possible, so undated;
    made asserted, it takes what the rules give a launch reported in the past tense with no
    date of its own, the day of the report. Left possible, it stays undated."""
    doc, rows, past_dates = _with_past_dates("suggested_launch")
    assert _dates(rows) == [("possible", None)]
    assert list(past_dates.values()) == [["2017-03-22", "day", "publication", None]]
    assert _dates(apply_filter(doc, rows, PROMOTES, past_dates=past_dates)) == [
        ("asserted", "2017-03-22")
    ]
    assert _dates(apply_filter(doc, rows, KEEPS, past_dates=past_dates)) == [("possible", None)]


def test_a_promoted_event_takes_no_month_from_a_month_dated_report() -> None:
    """The same sentence in an article dated only to the month: the month would say nothing
    of the event's own time, so a promoted event stays undated."""
    month = ArticleContext("a1", datetime(2017, 3, 1, tzinfo=UTC), "month", None, None)
    doc, rows, past_dates = _with_past_dates("suggested_launch", month)
    assert _dates(rows) == [("possible", None)]
    assert past_dates == {}
    assert _dates(apply_filter(doc, rows, PROMOTES, past_dates=past_dates)) == [("asserted", None)]


def test_a_launch_that_could_happen_has_no_date_if_it_happened() -> None:
    """ "could fire another missile soon": nothing in the sentence says when it would have
    happened, so the filter has no date to give it."""
    _, rows, past_dates = _with_past_dates("hypothetical_launch")
    assert _dates(rows) == [("possible", None)]
    assert past_dates == {}


def test_the_components_hand_the_past_reading_to_the_filter() -> None:
    doc, _ = _case("planned_test_on_a_day")
    set_article(doc, CONTEXT)
    extractor = EventExtractor(spacy.blank("en"))
    extractor.initialize()
    component = EventFilter(spacy.blank("en"), EVENT_FILTER)
    component.initialize(model=PROMOTES)
    assert _dates(component(extractor(doc))._.event_rows) == [("asserted", "2017-01-06")]


# -- the component -------------------------------------------------------------------------


def test_the_component_without_a_model_changes_nothing(tmp_path: Path) -> None:
    doc, rows = _case("background_sanctions")
    doc._.event_rows = rows
    component = EventFilter(spacy.blank("en"), EVENT_FILTER)
    component.initialize(path=tmp_path / "absent.json")
    assert component(doc)._.event_rows == rows


def test_the_component_applies_its_model_and_survives_to_disk(
    tmp_path: Path, shipped: EventFilterModel
) -> None:
    doc, rows = _case("background_sanctions")
    component = EventFilter(spacy.blank("en"), EVENT_FILTER)
    component.initialize(model=shipped)
    component.to_disk(tmp_path)
    loaded = EventFilter(spacy.blank("en"), EVENT_FILTER).from_disk(tmp_path)
    doc._.event_rows = rows
    assert _modalities(loaded(doc)._.event_rows, "sanction") == ["possible"]


def test_the_pipeline_runs_the_filter_only_when_asked() -> None:
    from flashpoint.nlp.pipeline import EVENTS, load_pipeline

    assert EVENT_FILTER not in load_pipeline(event_filter=False).pipe_names
    names = load_pipeline(event_filter=True).pipe_names
    assert names[names.index(EVENTS) + 1] == EVENT_FILTER
