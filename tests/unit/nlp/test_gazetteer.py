"""Gazetteer files: reading, checking, the alias index, user overrides, ruler patterns."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from flashpoint.jsonl import jsonl_objects
from flashpoint.nlp.gazetteer import (
    Gazetteer,
    GazetteerError,
    alias_key,
    clean_surface,
)

COUNTRIES = [
    {
        "id": "country:PRK",
        "name": "North Korea",
        "iso3": "PRK",
        "aliases": ["DPRK", "the North"],
        "demonyms": ["North Korean"],
        "metonyms": [{"alias": "Pyongyang", "sector": "government"}],
    },
    {
        "id": "country:USA",
        "name": "United States",
        "iso3": "USA",
        "aliases": ["US", "U.S.", "America"],
        "demonyms": ["American"],
        "metonyms": [
            {"alias": "Washington", "sector": "government"},
            {"alias": "Pentagon", "sector": "military"},
        ],
    },
    {
        "id": "country:RUS",
        "name": "Russia",
        "iso3": "RUS",
        "demonyms": ["Russian"],
        "metonyms": [{"alias": "Kremlin", "sector": "government"}],
    },
]
WEAPONS = [
    {
        "id": "weapon:hwasong-14",
        "name": "Hwasong-14",
        "aliases": ["KN-20"],
        "class": "ICBM",
        "operator": "PRK",
        "kind": "missile",
    }
]
PEOPLE = [
    {
        "id": "person:sergey-lavrov",
        "name": "Sergey Lavrov",
        "surname": "Lavrov",
        "country": "country:RUS",
        "role": "foreign minister",
    }
]
ORGS = [
    {
        "id": "org:kcna",
        "name": "Korean Central News Agency",
        "aliases": ["KCNA"],
        "country": "PRK",
        "kind": "media",
        "metonym_of": "country:PRK",
    }
]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def gazetteer_dir(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "countries.jsonl", COUNTRIES)
    write_jsonl(tmp_path / "weapons.jsonl", WEAPONS)
    write_jsonl(tmp_path / "people.jsonl", PEOPLE)
    write_jsonl(tmp_path / "organizations.jsonl", ORGS)
    (tmp_path / "timezones.csv").write_text("country_iso3,tz\nPRK,Asia/Pyongyang\n")
    return tmp_path


def test_entries_carry_type_country_and_class(gazetteer_dir: Path) -> None:
    gazetteer = Gazetteer.load(gazetteer_dir)

    weapon = gazetteer.get("weapon:hwasong-14")
    assert weapon is not None
    assert (weapon.entity_type, weapon.country, weapon.klass) == ("weapon", "country:PRK", "ICBM")
    lavrov = gazetteer.get("person:sergey-lavrov")
    assert lavrov is not None and lavrov.entity_type == "person"
    assert lavrov.country == "country:RUS" and lavrov.surname == "Lavrov"
    assert lavrov.attrs["role"] == "foreign minister"
    assert gazetteer.timezone("country:PRK") == "Asia/Pyongyang"
    assert gazetteer.timezone("weapon:hwasong-14") == "Asia/Pyongyang"  # via its country


def test_lookup_resolves_names_aliases_demonyms_and_metonyms(gazetteer_dir: Path) -> None:
    gazetteer = Gazetteer.load(gazetteer_dir)

    def resolved(text: str) -> tuple[str, str, str | None] | None:
        alias = gazetteer.lookup(text)
        return (alias.entity_id, alias.kind, alias.sector) if alias else None

    assert resolved("North Korean") == ("country:PRK", "demonym", None)
    assert resolved("Pyongyang") == ("country:PRK", "metonym", "government")
    assert resolved("the Kremlin") == ("country:RUS", "metonym", "government")
    assert resolved("Kremlin’s") == ("country:RUS", "metonym", "government")
    assert resolved("the Pentagon") == ("country:USA", "metonym", "military")
    # state media is an organisation of its own that speaks for its state
    assert resolved("KCNA") == ("org:kcna", "alias", None)
    kcna = gazetteer.get("org:kcna")
    assert kcna is not None and (kcna.country, kcna.sector) == ("country:PRK", "government")
    assert resolved("the United States") == ("country:USA", "name", None)
    assert resolved("Hwasong 14") == ("weapon:hwasong-14", "name", None)
    assert resolved("hwasong14") == ("weapon:hwasong-14", "name", None)
    assert resolved("KN 20") == ("weapon:hwasong-14", "alias", None)


def test_short_all_caps_aliases_match_only_in_capitals(gazetteer_dir: Path) -> None:
    gazetteer = Gazetteer.load(gazetteer_dir)

    assert gazetteer.lookup("US") is not None
    assert gazetteer.lookup("us") is None
    assert gazetteer.lookup("Us") is None
    assert gazetteer.lookup("dprk") is None
    assert gazetteer.lookup("AMERICA") is not None  # longer names match in any case
    assert gazetteer.lookup("the North") is not None
    assert gazetteer.lookup("the north") is None


def test_surface_forms_lose_possessive_the_and_curly_quotes() -> None:
    assert clean_surface("South Korea’s") == "South Korea"
    assert clean_surface("the United States'") == "United States"
    assert clean_surface("“Pyongyang”") == "Pyongyang"
    assert clean_surface("U.S.") == "U.S."
    assert alias_key("Hwasong-14") == alias_key("Hwasong 14") == alias_key("HWASONG14")
    assert alias_key("U.S.") != alias_key("US")


def test_user_file_overrides_by_id_and_adds_entries(gazetteer_dir: Path, tmp_path: Path) -> None:
    user = write_jsonl(
        tmp_path / "mine.jsonl",
        [
            {
                "type": "country",
                "id": "country:RUS",
                "name": "Russian Federation",
                "aliases": ["RF"],
            },
            {
                "type": "weapon",
                "id": "weapon:kn-23",
                "name": "KN-23",
                "class": "SRBM",
                "operator": "PRK",
            },
        ],
    )
    gazetteer = Gazetteer.load(gazetteer_dir, user_file=user)

    russia = gazetteer.get("country:RUS")
    assert russia is not None and russia.name == "Russian Federation"
    assert gazetteer.lookup("RF") is not None
    assert gazetteer.lookup("Kremlin") is None  # the override replaced the whole entry
    kn23 = gazetteer.lookup("KN-23")
    assert kn23 is not None and kn23.entity_id == "weapon:kn-23"
    assert "user:mine.jsonl" in gazetteer.checksums()


def test_user_alias_wins_over_a_shipped_one(gazetteer_dir: Path, tmp_path: Path) -> None:
    user = write_jsonl(
        tmp_path / "mine.jsonl",
        [{"type": "org", "id": "org:washington-post", "name": "Washington", "kind": "media"}],
    )
    gazetteer = Gazetteer.load(gazetteer_dir, user_file=user)

    alias = gazetteer.lookup("Washington")
    assert alias is not None and alias.entity_id == "org:washington-post"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "people.jsonl:2: not JSON"),
        ('{"id": "person:x"}', "people.jsonl:2: 'name' is missing"),
        ('{"id": "x", "name": "X"}', "people.jsonl:2: 'id' must be"),
        ('{"id": "person:y", "name": "Y", "aliases": "Y1"}', None),  # a lone string is fine
        ('{"id": "person:sergey-lavrov", "name": "Again"}', "duplicate id"),
    ],
)
def test_bad_lines_name_file_and_line(gazetteer_dir: Path, line: str, message: str | None) -> None:
    path = gazetteer_dir / "people.jsonl"
    path.write_text(path.read_text() + line + "\n", encoding="utf-8")

    if message is None:
        assert Gazetteer.load(gazetteer_dir).get("person:y") is not None
        return
    with pytest.raises(GazetteerError, match=message.replace("(", r"\(")):
        Gazetteer.load(gazetteer_dir)


def test_user_entries_need_a_known_type(gazetteer_dir: Path, tmp_path: Path) -> None:
    no_type = write_jsonl(tmp_path / "a.jsonl", [{"id": "country:XXX", "name": "X"}])
    bad_type = write_jsonl(tmp_path / "b.jsonl", [{"type": "city", "id": "place:x", "name": "X"}])

    with pytest.raises(GazetteerError, match=re.escape("a.jsonl:1: a user entry needs a 'type'")):
        Gazetteer.load(gazetteer_dir, user_file=no_type)
    with pytest.raises(GazetteerError, match="unknown type 'city'"):
        Gazetteer.load(gazetteer_dir, user_file=bad_type)
    with pytest.raises(GazetteerError, match="does not exist"):
        Gazetteer.load(gazetteer_dir, user_file=tmp_path / "missing.jsonl")


def test_checksums_are_sha256_of_each_file_and_change_with_it(gazetteer_dir: Path) -> None:
    before = Gazetteer.load(gazetteer_dir)
    expected = hashlib.sha256((gazetteer_dir / "weapons.jsonl").read_bytes()).hexdigest()
    assert before.checksums()["weapons.jsonl"] == expected
    assert set(before.checksums()) == {
        "countries.jsonl",
        "weapons.jsonl",
        "people.jsonl",
        "organizations.jsonl",
        "timezones.csv",
    }

    write_jsonl(gazetteer_dir / "weapons.jsonl", [*WEAPONS, {"id": "weapon:x", "name": "X-1"}])
    after = Gazetteer.load(gazetteer_dir)
    assert after.checksums()["weapons.jsonl"] != expected
    assert after.fingerprint != before.fingerprint


def test_patterns_follow_spacy_tokens_and_case_rules(gazetteer_dir: Path) -> None:
    patterns = Gazetteer.load(gazetteer_dir).patterns()
    by_tokens = {tuple(next(iter(token.values())) for token in p["pattern"]): p for p in patterns}

    assert by_tokens[("US",)]["pattern"] == [{"ORTH": "US"}]  # case-sensitive
    assert by_tokens[("north", "korea")]["pattern"] == [{"LOWER": "north"}, {"LOWER": "korea"}]
    # spaCy keeps "Hwasong-14" whole but splits "Hwasong 14": both spellings, and "Hwasong14"
    for spelling in [("hwasong-14",), ("hwasong", "14"), ("hwasong14",)]:
        assert by_tokens[spelling]["id"] == "weapon:hwasong-14"
        assert by_tokens[spelling]["label"] == "WEAPON"
    assert by_tokens[("kremlin",)]["id"] == "country:RUS"
    assert by_tokens[("north", "korean")]["label"] == "NORP"
    # an alias written with "the" keeps it, and its capitals: "the north of the country" is
    # not North Korea
    assert by_tokens[("the", "North")]["pattern"] == [{"LOWER": "the"}, {"ORTH": "North"}]
    assert not any(t in {"'s", "’s"} for key in by_tokens for t in key)


def test_an_empty_directory_is_an_empty_gazetteer_and_a_missing_one_an_error(
    tmp_path: Path,
) -> None:
    assert len(Gazetteer.load(tmp_path)) == 0
    with pytest.raises(GazetteerError, match="does not exist"):
        Gazetteer.load(tmp_path / "nope")


def test_shipped_gazetteer_loads_without_alias_conflicts() -> None:
    gazetteer = Gazetteer.load()

    assert {e.entity_type for e in gazetteer.entries.values()} == {
        "country",
        "organization",
        "person",
        "place",
        "weapon",
    }
    assert gazetteer.conflicts == []
    assert gazetteer.timezone("country:PRK") == "Asia/Pyongyang"


def test_one_capitalised_word_names_its_entity_only_with_the_capital(gazetteer_dir: Path) -> None:
    patriot = {"id": "weapon:patriot", "name": "Patriot", "class": "SAM", "operator": "USA"}
    write_jsonl(gazetteer_dir / "weapons.jsonl", [*WEAPONS, patriot])
    gazetteer = Gazetteer.load(gazetteer_dir)

    def resolved(text: str) -> str | None:
        alias = gazetteer.lookup(text)
        return alias.entity_id if alias else None

    assert resolved("Patriot") == resolved("PATRIOT") == "weapon:patriot"
    assert resolved("patriot") is None  # "he called himself a patriot"
    assert resolved("kremlin") is None and resolved("Kremlin") == "country:RUS"
    # designations and phrases are no English words: any case still names them
    assert resolved("hwasong14") == "weapon:hwasong-14"
    assert resolved("north korea") == "country:PRK"
    # a ruler match in the wrong case is recognised as such (plural included)
    assert gazetteer.wrong_case("patriots", "weapon:patriot")
    assert not gazetteer.wrong_case("Patriots", "weapon:patriot")
    assert not gazetteer.wrong_case("hwasong-14", "weapon:hwasong-14")


def test_a_single_letter_designation_gets_no_spelling_with_a_space(gazetteer_dir: Path) -> None:
    a10 = {"id": "weapon:a-10", "name": "A-10", "class": "aircraft", "operator": "USA"}
    write_jsonl(gazetteer_dir / "weapons.jsonl", [*WEAPONS, a10])
    patterns = Gazetteer.load(gazetteer_dir).patterns()
    spellings = {
        tuple(next(iter(token.values())) for token in p["pattern"])
        for p in patterns
        if p["id"] == "weapon:a-10"
    }

    assert ("A-10",) in spellings and ("A10",) in spellings
    assert ("A", "10") not in spellings  # "A 10-year-old boy"


# -- the shipped files ---------------------------------------------------------------------

GOLD_DIR = Path(__file__).resolve().parents[2] / "data"
GOLD_ID_FIELDS = ("entity_id", "actors", "participants", "weapons", "location")


def _gold_ids() -> dict[str, str]:
    """Every entity id in the gold files, with one place that uses it."""
    found: dict[str, str] = {}
    for path in sorted(GOLD_DIR.glob("gold_*.jsonl")):
        for where, record in jsonl_objects(path):
            for item in [*record.get("mentions", []), *record.get("events", [])]:
                for name in GOLD_ID_FIELDS:
                    value = item.get(name)
                    for entity_id in value if isinstance(value, list) else [value]:
                        if isinstance(entity_id, str):
                            found.setdefault(entity_id, where)
    return found


def test_every_gold_id_names_a_shipped_entry() -> None:
    gazetteer = Gazetteer.load()
    gold = _gold_ids()

    assert len(gold) > 100
    # a person the gazetteer does not know gets a slug id (person:choi-jong-kun), by design
    unknown = {i: where for i, where in gold.items() if i not in gazetteer}
    assert all(i.startswith("person:") for i in unknown), unknown


def test_capitals_are_country_metonyms_and_never_places() -> None:
    gazetteer = Gazetteer.load()
    metonyms = {
        alias_key(text): entry.entity_id
        for entry in gazetteer.by_type("country")
        for text, _ in entry.metonyms
    }
    for entry in gazetteer.by_type("place"):
        for text in (entry.name, *entry.aliases):
            assert alias_key(text) not in metonyms, (entry.entity_id, text)
    seoul = gazetteer.lookup("Seoul")
    assert seoul is not None and seoul.entity_id == "country:KOR"
