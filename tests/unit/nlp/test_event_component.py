"""``flashpoint_events`` as a pipeline component: in the worker processes, from its data,
through ``nlp.to_disk`` / ``spacy.load``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import spacy
from spacy.language import Language

from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.events.component import EVENTS, EventExtractor, article_of, set_article
from flashpoint.nlp.events.modality import MODALITY_LEXICON
from flashpoint.nlp.events.triggers import TRIGGER_LEXICON
from flashpoint.nlp.events.vocabulary import WORDS_LEXICON
from flashpoint.nlp.process import process_batch
from flashpoint.schema import ArticleContext
from flashpoint.store import load_corpus

CONTEXT = ArticleContext(
    "a1", datetime(2017, 3, 21, 3, tzinfo=UTC), "datetime", "SEOUL", "Launch", "wire"
)
TEXT = (
    "North Korea fired four missiles toward Japan on Monday. "
    "Seoul said it would not hold talks with Pyongyang."
)


@pytest.fixture(scope="module")
def demo_rows(sample_corpus: Path) -> list[dict[str, Any]]:
    articles = load_corpus(sample_corpus, tables=("articles",)).articles
    return [dict(row) for row in articles.to_dict("records")]


def _events_of(nlp: Language, text: str = TEXT) -> list[dict[str, Any]]:
    doc = nlp(set_article(nlp.make_doc(text), CONTEXT))
    return [asdict(record) for record in doc._.events]


def test_demo_articles_give_the_same_events_in_two_worker_processes(
    nlp: Language, demo_rows: list[dict[str, Any]]
) -> None:
    """Extraction runs inside ``nlp.pipe``: with two processes the events come back from
    the workers on the Docs (``doc._.events``) and equal those of one process."""
    one = process_batch(demo_rows, nlp, n_process=1)
    two = process_batch(demo_rows, nlp, n_process=2, batch_size=4)

    assert len(one.events) > 20
    assert set(one.events["article_id"]) <= {row["article_id"] for row in demo_rows}
    pd.testing.assert_frame_equal(one.events, two.events)
    # the article's own date reached the workers: some events are dated by publication
    assert (two.events["date_basis"] == "publication").any()


def test_the_article_travels_on_the_doc_and_survives_bytes(nlp: Language) -> None:
    doc = set_article(nlp.make_doc(TEXT), CONTEXT)
    again = nlp(type(doc)(nlp.vocab).from_bytes(doc.to_bytes()))

    assert article_of(again) == CONTEXT
    launch = next(e for e in again._.events if e.event_type == "missile_launch")
    assert (launch.article_id, launch.event_date, launch.actors) == (
        "a1",
        "2017-03-20",
        ["country:PRK"],
    )
    assert article_of(nlp.make_doc("no article")) == ArticleContext(article_id="")


def test_round_trip_through_disk_keeps_the_events(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")

    assert loaded.pipe_names == nlp.pipe_names
    assert (tmp_path / "pipeline" / EVENTS / "event_triggers.jsonl").is_file()
    assert _events_of(loaded) == _events_of(nlp)
    assert any(e["event_type"] == "missile_launch" for e in _events_of(loaded))


def test_the_rules_come_from_initialize(nlp: Language) -> None:
    """An extractor uses the rule data it was initialised with: without "fire" among its
    triggers it finds no launch in a sentence the shipped lexicon reads as one."""
    extractor = EventExtractor(nlp)
    with pytest.raises(ValueError, match="initialize"):
        extractor(nlp(TEXT))

    rows = [row for _, row in jsonl_objects(TRIGGER_LEXICON)]
    without_fire = [r for r in rows if not (r.get("kind") == "trigger" and r["lemma"] == "fire")]
    cues = spacy.util.srsly.read_json(MODALITY_LEXICON)
    extractor.initialize(nlp=nlp, triggers=without_fire, modality_cues=cues)
    types = [e.event_type for e in extractor(nlp(TEXT))._.events]
    assert "missile_launch" not in types and "meeting" in types

    extractor.initialize(nlp=nlp)
    assert "missile_launch" in [e.event_type for e in extractor(nlp(TEXT))._.events]


def test_bad_rule_data_is_an_error_naming_it(nlp: Language) -> None:
    extractor = EventExtractor(nlp, "my_events")
    with pytest.raises(ValueError, match="my_events trigger 1"):
        extractor.initialize(triggers=[{"kind": "nonsense"}])
    with pytest.raises(ValueError, match="negating_verbs"):
        extractor.initialize(modality_cues={"planning_verbs": ["plan"]})
    rows = [row for _, row in jsonl_objects(WORDS_LEXICON)]
    with pytest.raises(ValueError, match=r"my_events word set 1: unknown word set 'pictures'"):
        extractor.initialize(words=[{"set": "pictures", "words": ["photo"]}, *rows])
    with pytest.raises(ValueError, match="word sets missing: \\['picture_nouns'\\]"):
        extractor.initialize(words=[r for r in rows if r["set"] != "picture_nouns"])
    with pytest.raises(ValueError, match="must be a list of words"):
        extractor.initialize(
            words=[{**r, "words": "photo"} if r["set"] == "picture_nouns" else r for r in rows]
        )


PROHIBITION = "UN resolutions ban North Korea from launching ballistic missiles."


def test_word_sets_come_from_initialize_and_travel_with_the_pipeline(
    nlp: Language, tmp_path: Path
) -> None:
    """The word sets the rules consult are the component's data: emptying
    ``prohibiting_verbs`` turns "ban North Korea from launching" into a launch, and the
    changed sets are what ``to_disk``/``from_disk`` carry."""
    rows = [row for _, row in jsonl_objects(WORDS_LEXICON)]
    shipped = EventExtractor(nlp, "shipped")
    shipped.initialize(nlp=nlp)
    assert "missile_launch" not in [e.event_type for e in shipped(nlp(PROHIBITION))._.events]

    changed = EventExtractor(nlp, "changed")
    changed.initialize(
        nlp=nlp,
        words=[{**r, "words": []} if r["set"] == "prohibiting_verbs" else r for r in rows],
    )
    assert "missile_launch" in [e.event_type for e in changed(nlp(PROHIBITION))._.events]

    changed.to_disk(tmp_path / "changed")
    reloaded = EventExtractor(nlp, "reloaded").from_disk(tmp_path / "changed")
    assert "missile_launch" in [e.event_type for e in reloaded(nlp(PROHIBITION))._.events]
