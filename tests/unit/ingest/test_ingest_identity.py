"""Identity: content hashes, canonical URLs, stable ids, near-duplicates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flashpoint.ingest.identity import (
    NearDuplicateIndex,
    canonical_url,
    content_hash,
    make_article_id,
    normalise_for_hash,
    source_prefix,
)
from flashpoint.schema import RawArticle

REPO_ROOT = Path(__file__).resolve().parents[3]

WIRE_STORY = """Japan and Russia Hold First Security Talks in Over Three Years

TOKYO - The foreign and defense ministers of Japan and Russia met in Tokyo on Monday for their first two-plus-two security talks since Moscow annexed Crimea, with both sides airing sharp differences over missile defense and a chain of disputed islands.

Russian Foreign Minister Sergei Lavrov told reporters after the meeting that the American missile shield being built up in the region posed a serious risk to security in Asia and would not solve the problem of North Korean weapons.

He singled out the planned deployment of an advanced American interceptor battery in South Korea, calling it out of proportion to the threat it was meant to counter, and warned that Moscow would watch any similar step by Tokyo closely.

Japanese officials said they had explained that their missile defenses were purely defensive and aimed only at the growing arsenal of ballistic missiles in the North, which fired four of them toward the Sea of Japan earlier this month.

The two sides also discussed the islands that Russia calls the southern Kurils and Japan calls its Northern Territories, which Soviet troops seized at the end of the Second World War and which have kept the countries from signing a peace treaty.

Japanese Foreign Minister Fumio Kishida said he had raised concerns about Russian coastal missile batteries deployed on two of the islands last year, while Russia pointed to the need for joint economic projects there.

Both governments agreed to keep talking and to prepare a visit by Prime Minister Shinzo Abe to Russia later in the spring, officials said, though no date was announced and no breakthrough on the territorial question was reported.

Analysts in Tokyo said the meeting showed that Abe still hoped to improve ties with President Vladimir Putin despite Western sanctions imposed on Moscow over Ukraine, which Japan joined with some reluctance.
"""

OTHER_REPORT = """Lavrov Warns Tokyo Over Missile Shield as Island Row Lingers

Sergei Lavrov used a visit to the Japanese capital to criticize Washington's anti-missile system, saying on Monday that its spread across East Asia threatened regional stability more than it protected anyone from Pyongyang.

The Russian diplomat, accompanied by Defense Minister Sergei Shoigu, sat down with Fumio Kishida and Tomomi Inada for the so-called two-plus-two format, a dialogue Japan had frozen after the 2014 seizure of Crimea.

According to the Japanese side, Kishida pressed his guests about anti-ship missiles that Russia stationed on Iturup and Kunashir in November, while Inada described Tokyo's own interceptors as a defensive answer to North Korean launches.

Moscow has long opposed the THAAD battery that Seoul and Washington agreed to install, and Lavrov repeated that objection, adding that arms flowing into the region could trigger a new race.

There was no sign of progress on the territorial dispute over the four islands off Hokkaido, which has prevented a formal end to wartime hostilities for more than seven decades.

The ministers nevertheless said they would continue preparations for a trip by Shinzo Abe to Moscow, and discussed fishing, tourism and visa-free travel for former island residents.
"""


def body(text: str) -> str:
    return text.split("\n\n", 1)[1]


# --- hashes and URLs --------------------------------------------------------------------------


def test_hash_ignores_case_punctuation_and_spacing_but_not_words():
    assert normalise_for_hash("Her friend.The  team’s “plan”") == "her friend the team s plan"
    assert content_hash("North Korea fired a missile.") == content_hash(
        "north korea fired a  missile"
    )
    assert content_hash("Pyongyang’s launch") == content_hash(
        "Pyongyang s launch"
    )  # crawl lost the apostrophe
    assert content_hash("North Korea fired a missile.") != content_hash(
        "North Korea fired two missiles."
    )
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash("x"))


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example.org/2017/03/21/talks",
        "HTTPS://News.Example.org/2017/03/21/talks/",
        "https://news.example.org/2017/03/21/talks?utm_source=twitter&utm_medium=social",
        "https://news.example.org/2017/03/21/talks#comments",
        "https://news.example.org:443/2017/03/21/talks?fbclid=abc",
    ],
)
def test_canonical_url_strips_what_does_not_name_the_page(variant):
    assert canonical_url(variant) == "https://news.example.org/2017/03/21/talks"


def test_canonical_url_keeps_meaningful_parameters_and_refuses_non_http():
    assert (
        canonical_url("http://e.org/view?id=7&b=2&utm_campaign=x") == "http://e.org/view?b=2&id=7"
    )
    assert canonical_url("mailto:desk@example.org") is None
    assert canonical_url("") is None


# --- ids ----------------------------------------------------------------------------------------

ID_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{16}")


def test_id_from_external_id_and_source():
    first = make_article_id(
        RawArticle(text="a", external_id="kh-1", source="The Korea Herald"), "h1"
    )
    again = make_article_id(
        RawArticle(text="changed text", external_id="kh-1", source="The Korea Herald"), "h2"
    )
    other_source = make_article_id(RawArticle(text="a", external_id="kh-1", source="Reuters"), "h1")
    assert first == again  # the input's own id wins over the text
    assert first != other_source
    assert first.startswith("korea-herald-") and ID_SHAPE.fullmatch(first)


def test_id_from_canonical_url_when_no_external_id():
    ids = {
        make_article_id(RawArticle(text="t", url=url, source="Example Wire"), content_hash("t"))
        for url in (
            "https://www.example.org/a/story/",
            "http://example.org/a/story?utm_source=rss",
            "https://example.org/a/story#top",
        )
    }
    assert len(ids) == 1
    (only,) = ids
    assert only.startswith("example-wire-")


def test_id_from_content_hash_as_a_last_resort():
    text = "North Korea fired a missile."
    one = make_article_id(RawArticle(text=text), content_hash(text))
    two = make_article_id(RawArticle(text=text + " Again."), content_hash(text + " Again."))
    assert one != two and one.startswith("article-")


def test_ids_are_stable_across_processes():
    """No dependence on Python's per-process hash seed or on ingest order."""
    code = (
        "from flashpoint.ingest.identity import make_article_id, content_hash\n"
        "from flashpoint.schema import RawArticle\n"
        "r = RawArticle(text='x', url='https://e.org/a?utm_source=1', source='Example Wire')\n"
        "print(make_article_id(r, content_hash('x')), make_article_id(RawArticle(text='y'), content_hash('y')))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("source", "url", "prefix"),
    [
        ("Reuters", None, "reuters"),
        ("The Korea Herald", None, "korea-herald"),
        ("edition.cnn.com", None, "cnn"),
        ("www.chinadaily.com.cn", None, "chinadaily"),
        (None, "https://sample.flashpoint.invalid/2017/07/04/x", "flashpoint"),
        ("Flashpoint Seoul Bureau", None, "flashpoint-seoul"),
        (None, None, "article"),
    ],
)
def test_source_prefix(source, url, prefix):
    assert source_prefix(source, url) == prefix


# --- near-duplicates ------------------------------------------------------------------------------


@pytest.fixture
def index() -> NearDuplicateIndex:
    near = NearDuplicateIndex()
    near.add("wire-1", WIRE_STORY)
    near.add("other-1", OTHER_REPORT)
    return near


def test_wire_copy_with_a_new_headline_is_found(index):
    copy = "Russia Says US Missile Shield Threatens Asia\n\n" + body(WIRE_STORY)
    assert index.find(copy) == "wire-1"


def test_wire_copy_with_the_first_paragraph_trimmed_is_found(index):
    paragraphs = WIRE_STORY.split("\n\n")
    trimmed = "\n\n".join([paragraphs[0], *paragraphs[2:]])
    assert index.find(trimmed) == "wire-1"


def test_wire_copy_with_a_few_words_edited_is_found(index):
    edited = (
        WIRE_STORY.replace("Sergei Lavrov", "Sergey Lavrov")
        .replace("on Monday", "on March 20")
        .replace("sharp differences", "deep differences")
        .replace("with some reluctance", "reluctantly")
    )
    assert index.find(edited) == "wire-1"
    (match,) = index.matches(edited)
    assert 0.7 <= match[1] < 1.0


def test_a_different_report_of_the_same_event_is_not_a_duplicate():
    near = NearDuplicateIndex()
    near.add("wire-1", WIRE_STORY)
    assert near.find(OTHER_REPORT) is None
    assert near.matches(OTHER_REPORT) == []


def test_unrelated_and_empty_texts_find_nothing(index):
    assert index.find("Heavy rain flooded parts of Busan on Tuesday, officials said. " * 10) is None
    assert index.find("") is None
    index.add("empty", "")
    assert len(index) == 3


def test_earliest_copy_wins_a_tie():
    near = NearDuplicateIndex()
    near.add("first", WIRE_STORY)
    near.add("second", WIRE_STORY)
    assert near.find(WIRE_STORY) == "first"
    assert [article_id for article_id, _ in near.matches(WIRE_STORY)] == ["first", "second"]


def test_two_indexes_agree():
    left, right = NearDuplicateIndex(), NearDuplicateIndex()
    assert (left.shingles(WIRE_STORY) == right.shingles(WIRE_STORY)).all()
