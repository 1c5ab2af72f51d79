"""Cleaning: characters, glued sentences, page furniture, datelines, language."""

from __future__ import annotations

import pytest

from flashpoint.ingest.clean import (
    MAX_FURNITURE_LINE,
    clean_body,
    clean_title,
    extract_dateline,
    fix_glued_sentences,
    html_to_text,
    language_problem,
    load_furniture,
    markdown_to_text,
    normalise_unicode,
)


def test_unicode_normalisation_keeps_curly_quotes():
    raw = "The\u00a0U.S.\u200b said \u201cno\u201d\u00ad to\u2009the \ufb01rst \uff21\uff22 plan\u2019s end\r\nNext"
    assert (
        normalise_unicode(raw)
        == "The U.S. said \u201cno\u201d to the first AB plan\u2019s end\nNext"
    )


def test_title_is_one_clean_line():
    assert clean_title("  # Russia:\u00a0U.S.  Missile\nDefense ") == "Russia: U.S. Missile Defense"
    assert clean_title("   ") is None


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("her friend.The team", "her friend. The team"),
        ("officials said Friday.Kim conducted", "officials said Friday. Kim conducted"),
        ("talks with the U.S.The ministry", "talks with the U.S. The ministry"),
        ("at 6 a.m.The launch", "at 6 a.m. The launch"),
        ("in late 2011.The regime", "in late 2011. The regime"),
        ("said the DPRK.The statement", "said the DPRK. The statement"),
        ("on the peninsula?The answer", "on the peninsula? The answer"),
        ("he said.\u201cWe will respond", "he said. \u201cWe will respond"),
        ("its response.\u201dThe ministry", "its response.\u201d The ministry"),
        ('since late 2011."Some analysts said', 'since late 2011. "Some analysts said'),
        ('"It is over," he said."The talks ended."', '"It is over," he said. "The talks ended."'),
        ('"The talks ended."Kim left.', '"The talks ended." Kim left.'),
    ],
)
def test_glued_sentences_get_their_space_back(glued, fixed):
    assert fix_glued_sentences(glued) == fixed


@pytest.mark.parametrize(
    "untouched",
    [
        "the U.S. Forces Korea",
        "the U.S.-led coalition",
        "ranked No.1 in the league",
        "grew 3.5 percent",
        "at 6 a.m. on Monday",
        "J.R.R. Tolkien wrote",
        "see www.koreaherald.com/News.Html for more",
        "write to press@Example.Org today",
        "https://example.com/Report.Final.pdf",
        "version 2.0 of the plan",
        "The end... Then silence",
    ],
)
def test_glued_sentence_fix_leaves_abbreviations_numbers_and_urls_alone(untouched):
    assert fix_glued_sentences(untouched) == untouched


def test_every_furniture_pattern_removes_its_own_example():
    for pattern in load_furniture():
        body = f"The ministry said talks would resume next week in Seoul.\n{pattern.example}\nOfficials gave no date."
        cleaned = clean_body(body)
        assert pattern.example not in cleaned.text, pattern.name
        assert "The ministry said talks would resume next week in Seoul." in cleaned.text, (
            pattern.name
        )
        assert "Officials gave no date." in cleaned.text, pattern.name


@pytest.mark.parametrize(
    "line",
    [
        "Please let us know if you're having issues with commenting.",
        "Comments are closed",
        "Join the conversation",
        "Enlarge this image toggle caption Kim Hong-Ji/Reuters",
        "2937762 09/16/2016 September 16, 2016. Russian Foreign Minister at the meeting",
        "Grigoriy Sisoev/Sputnik via AP",
        "Toru Yamanaka /AFP/Getty Images",
        "FILE PHOTO: Soldiers patrol the border fence, September 16, 2016.",
        "FILE PHOTO, 09/16/2015: Ships sail in formation.",
        "(AP Photo/Ahn Young-joon)",
        "Photo: Yonhap",
        "Xinhua | Updated: 2017-09-15 09:50",
        "The tanker is seen in waters off Yeosu, South Korea. (Hyung Min-woo/Yonhap via AP)",
    ],
)
def test_required_furniture_lines_are_removed(line):
    body = f"The envoy arrived in Tokyo on Monday.\n\n{line}\n\nHe met the foreign minister."
    cleaned = clean_body(body)
    assert cleaned.text == "The envoy arrived in Tokyo on Monday.\n\nHe met the foreign minister."
    assert cleaned.removed


def test_inline_credits_are_removed_from_a_paragraph():
    body = "Troops marched past the stand [Photo/Agencies] on Saturday (AP Photo/Lee Jin-man). Hide Caption 2 of 8"
    assert clean_body(body).text == "Troops marched past the stand on Saturday."


@pytest.mark.parametrize(
    "prose",
    [
        "The ministry declined to comment on the report. (Yonhap)",
        "Photos of the launch site were shown on state television.",
        "File sharing between the agencies was discussed at the meeting.",
        "The missile was identified as a Hwasong-12 by analysts.",
        "Readers can join the conversation at the town hall in Busan on Friday, organisers said, adding that "
        "registration will stay open until Thursday.",
    ],
)
def test_prose_that_resembles_furniture_is_kept(prose):
    assert clean_body(prose).text == prose


def test_long_paragraph_is_never_dropped_as_furniture():
    long_line = "FILE - " + "The talks went on for hours and ended without agreement. " * 20
    assert len(long_line) > MAX_FURNITURE_LINE
    assert clean_body(long_line).text == long_line.strip()


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("SEOUL (Reuters) - North Korea fired", "SEOUL", "North Korea fired"),
        ("TOKYO (AP) \u2014 Japan protested", "TOKYO", "Japan protested"),
        ("SEOUL \u2014 South Korea said", "SEOUL", "South Korea said"),
        ("WASHINGTON, July 4 (Reuters) - The U.S. said", "WASHINGTON", "The U.S. said"),
        ("BEIJING, Sept. 15 (Xinhua) -- China opposes", "BEIJING", "China opposes"),
        ("SEOUL, South Korea \u2014 South Korea launched", "SEOUL", "South Korea launched"),
        ("UNITED NATIONS (AP) -- The council met", "UNITED NATIONS", "The council met"),
        (
            "West Palm Beach, Florida (CNN) President Trump said",
            "West Palm Beach",
            "President Trump said",
        ),
        ("(CNN) North Korean leader Kim", None, "North Korean leader Kim"),
        ("MOSCOW--\u00a0A senior official", "MOSCOW", "\u00a0A senior official".strip()),
    ],
)
def test_dateline_is_extracted(paragraph, dateline, rest):
    found, remainder = extract_dateline(paragraph)
    assert found == dateline
    assert remainder.strip() == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "THIS is the dramatic moment the missile flew",
        "NATO members said on Friday",
        "UPDATE - Talks resume",
        "US - China talks resumed",
        "North Korea - the isolated state - fired",
    ],
)
def test_no_dateline_where_there_is_none(paragraph):
    assert extract_dateline(paragraph) == (None, paragraph)


def test_clean_body_takes_dateline_after_byline_and_drops_repeated_title():
    body = "North Korea Fires Missile\nBy Jane Doe\nSEOUL (Reuters) - North Korea fired a missile on Sunday."
    cleaned = clean_body(body, title="North Korea Fires Missile")
    assert cleaned.dateline == "SEOUL"
    assert cleaned.text == "By Jane Doe\n\nNorth Korea fired a missile on Sunday."


def test_hard_wrapped_lines_are_rejoined_but_lines_stay_paragraphs():
    body = (
        "The envoy arrived in Tokyo\non Monday for talks.\nHe met the minister.\n\nA new paragraph."
    )
    assert (
        clean_body(body).text
        == "The envoy arrived in Tokyo on Monday for talks.\n\nHe met the minister.\n\nA new paragraph."
    )


def test_markdown_to_text():
    markdown = "## Heading\n\nSome **bold** and *italic* and [a link](https://x.org) ![img](a.png).\n\n> quoted\n\n- item one\n\n---\n\n`code`"
    assert markdown_to_text(markdown).split() == [
        "Heading",
        "Some",
        "bold",
        "and",
        "italic",
        "and",
        "a",
        "link",
        ".",
        "quoted",
        "item",
        "one",
        "code",
    ]


def test_html_to_text_keeps_paragraphs_and_drops_scripts_and_captions():
    fragment = "<p>First &amp; one.</p><script>alert(1)</script><figure><figcaption>Photo: X</figcaption></figure><p>Second<br>line.</p>"
    text = html_to_text(fragment)
    assert [line for line in text.split("\n") if line.strip()] == [
        "First & one.",
        "Second",
        "line.",
    ]


def test_language_check_refuses_other_languages(foreign_bodies, english_body):
    assert language_problem(english_body) is None
    assert language_problem("North Korea fired a missile on Sunday.") is None  # short English
    assert language_problem(foreign_bodies["German"]).startswith("not English: 0% of")
    assert language_problem(foreign_bodies["Korean"]) == "not English: mostly Hangul script"
    assert language_problem(foreign_bodies["Russian"]) == "not English: mostly Cyrillic script"
    french = (
        "La Corée du Nord a lancé mardi un nouveau missile balistique qui est tombé en mer, selon le "
        "ministère japonais de la Défense. Le gouvernement a fermement condamné ce tir."
    )
    assert language_problem(french).startswith("not English")
    assert language_problem("12345 --- 678") == "not English: no words in the text"


def test_english_with_a_few_foreign_names_passes(english_body):
    assert (
        language_problem(english_body + " The paper 조선일보 and the agency ТАСС reported it.")
        is None
    )
