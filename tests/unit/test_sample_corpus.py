"""The demo corpus in data/sample: enough articles, every event type, several formats.

Counts come from the hand gold labels (what the articles report), and the readers must take
every article in, so `make run` opens a dashboard worth looking at.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from flashpoint.config import sample_sources
from flashpoint.ingest.readers import read_source
from flashpoint.schema import EVENT_TYPES, RawArticle, Reject

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
GOLD = [REPO / "tests" / "data" / f"gold_events_sample_{part}.jsonl" for part in ("a", "b")]
# Articles (not sentences) reporting at least one asserted event of each type.
MINIMUM_ARTICLES = {
    "missile_launch": 15,
    "deployment": 8,
    "meeting": 12,
    "exercise": 2,
    "sanction": 3,
    "nuclear_test": 3,
}


def _gold() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for path in GOLD for line in path.read_text().splitlines() if line]


def _read_all() -> tuple[list[RawArticle], list[Reject]]:
    items = [item for source in sample_sources() for item in read_source(source)]
    return (
        [i for i in items if isinstance(i, RawArticle)],
        [i for i in items if isinstance(i, Reject)],
    )


def test_every_event_type_is_covered_by_enough_articles() -> None:
    per_type: Counter[str] = Counter()
    for article in _gold():
        types = {e["event_type"] for e in article["events"] if e["modality"] == "asserted"}
        per_type.update(types)
    assert set(per_type) == set(EVENT_TYPES)
    for event_type, minimum in MINIMUM_ARTICLES.items():
        assert per_type[event_type] >= minimum, (event_type, per_type[event_type])


def test_key_real_events_are_in_the_gold_on_their_dates() -> None:
    dated = {
        (e["event_type"], e["event_date"])
        for article in _gold()
        for e in article["events"]
        if e["modality"] == "asserted"
    }
    for expected in [
        ("missile_launch", "2016-02-07"),  # Kwangmyongsong-4 satellite launch
        ("missile_launch", "2017-07-04"),  # Hwasong-14
        ("missile_launch", "2017-07-28"),
        ("missile_launch", "2017-08-29"),  # over Hokkaido
        ("missile_launch", "2017-09-15"),
        ("missile_launch", "2017-11-29"),  # Hwasong-15
        ("nuclear_test", "2016-01-06"),
        ("nuclear_test", "2016-09-09"),
        ("nuclear_test", "2017-09-03"),
        ("meeting", "2017-03-20"),  # Japan–Russia 2+2 in Tokyo
        ("sanction", "2016-03-02"),  # UNSC 2270
        ("deployment", "2017-04-26"),  # THAAD into Seongju
    ]:
        assert expected in dated, expected


def test_all_articles_read_in_five_formats_with_the_planted_defects_rejected() -> None:
    articles, rejects = _read_all()
    gold_refs = {article["ref"] for article in _gold()}
    assert len(gold_refs) >= 80
    keys = {a.url or a.origin for a in articles}
    # Every labelled article is read (a planted duplicate may appear twice, never missing).
    missing = {ref for ref in gold_refs if not any(ref in key for key in keys)}
    assert not missing
    suffixes = {Path(a.origin.split("#")[0]).suffix for a in articles}
    assert {".md", ".txt", ".jsonl", ".html", ".xml", ".csv"} <= suffixes
    # The malformed JSONL line and the empty-bodied CSV row, each with its reason.
    reasons = {Path(r.origin.split("#")[0]).suffix: r.reason for r in rejects}
    assert set(reasons) == {".jsonl", ".csv"}, rejects
    for article in articles:
        words = len(article.text.split())
        assert 120 <= words <= 520, (article.origin, words)
        # Plain text carries no metadata; everything else names one of our fictional desks.
        assert article.source is None or "Flashpoint" in article.source, article.origin
        assert article.source or article.origin.endswith(".txt"), article.origin
