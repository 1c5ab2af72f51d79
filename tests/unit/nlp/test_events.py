"""Event extraction on the trained pipeline: roles from the parse, dates, modality."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import pytest
from spacy.language import Language

from flashpoint.nlp.events import EventRecord, extract_events, load_lexicon
from flashpoint.schema import EVENT_COLUMNS, EVENT_TYPES, ArticleContext

# Tuesday 21 March 2017 (the seed article's publication day).
TUESDAY = datetime(2017, 3, 21, 3, 0, tzinfo=UTC)


def events(
    nlp: Language,
    text: str,
    published: datetime | None = TUESDAY,
    precision: str = "datetime",
    dateline: str | None = None,
) -> list[EventRecord]:
    context = ArticleContext(
        "article-1", published, precision if published else "unknown", dateline
    )
    return extract_events(nlp(text), context)


def only(found: list[EventRecord], event_type: str) -> EventRecord:
    matching = [e for e in found if e.event_type == event_type]
    assert len(matching) == 1, [(e.event_type, e.trigger) for e in found]
    return matching[0]


def test_record_fields_are_the_event_columns_without_story_id() -> None:
    assert [f.name for f in fields(EventRecord)] == [c for c in EVENT_COLUMNS if c != "story_id"]


def test_the_subject_is_the_actor_and_the_direction_a_participant(nlp: Language) -> None:
    launch = only(
        events(nlp, "North Korea fired four missiles toward Japan on Monday."), "missile_launch"
    )
    assert launch.actors == ["country:PRK"]
    assert launch.participants == ["country:JPN"]
    assert launch.event_date == "2017-03-20"
    assert launch.modality == "asserted"


def test_passive_agent_is_the_actor_and_the_sea_the_location(nlp: Language) -> None:
    launch = only(
        events(nlp, "Four ballistic missiles were fired by North Korea into the Sea of Japan."),
        "missile_launch",
    )
    assert launch.actors == ["country:PRK"]
    assert launch.location == "place:sea-of-japan"


@pytest.mark.parametrize(
    "text",
    [
        "Japan condemned the launch of four ballistic missiles by North Korea.",
        "North Korea's launch of an ICBM alarmed its neighbours.",
        "The North Korean missile launch drew protests from Tokyo.",
    ],
)
def test_nominal_launches_take_possessors_modifiers_and_by_phrases(
    nlp: Language, text: str
) -> None:
    launch = only(events(nlp, text), "missile_launch")
    assert launch.actors == ["country:PRK"]


def test_nominal_deployment_by_its_possessor(nlp: Language) -> None:
    deployment = only(
        events(nlp, "Japan is worried about Russia's deployment of coastal missile systems."),
        "deployment",
    )
    assert deployment.actors == ["country:RUS"]


def test_a_relative_clause_deploys_the_noun_it_modifies(nlp: Language) -> None:
    text = "Lavrov denounced the THAAD missile system America is installing in South Korea."
    deployment = only(events(nlp, text), "deployment")
    assert deployment.actors == ["country:USA"]
    assert deployment.location == "country:KOR"
    assert deployment.weapons == ["weapon:thaad"]


@pytest.mark.parametrize(
    ("text", "actors", "participants"),
    [
        # the owner named in the asset's phrase, whoever the subject is
        ("Seoul agreed to host a U.S. missile defence battery.", ["country:USA"], ["country:KOR"]),
        ("Two U.S. B-52 bombers flew over the peninsula on Monday.", ["country:USA"], []),
        # no agent in the parse: the operator of the weapon named
        ("THAAD launchers arrived at a base in the south on Monday.", ["country:USA"], []),
        # several agents: the one the weapon belongs to deploys, the other hosts
        (
            "South Korea and the United States agreed to deploy THAAD.",
            ["country:USA"],
            ["country:KOR"],
        ),
    ],
)
def test_a_deployment_is_by_the_owner_of_the_forces_deployed(
    nlp: Language, text: str, actors: list[str], participants: list[str]
) -> None:
    deployment = only(events(nlp, text), "deployment")
    assert deployment.actors == actors
    assert deployment.participants == participants


@pytest.mark.parametrize(
    "text",
    [
        # a maker is not an owner
        "Japan deployed U.S.-made Patriot batteries around Tokyo.",
        # an operator does not displace the one agent the parse names
        "Japan sent two Aegis destroyers to the Sea of Japan.",
    ],
)
def test_a_country_deploying_weapons_made_elsewhere_is_the_deployer(
    nlp: Language, text: str
) -> None:
    assert only(events(nlp, text), "deployment").actors == ["country:JPN"]


@pytest.mark.parametrize(
    ("text", "modalities"),
    [
        # "the deployment" after a decision to deploy is that deployment, still planned
        (
            "South Korea and the United States decided to deploy a THAAD battery. "
            "China said the deployment would harm its security.",
            ["planned", "planned"],
        ),
        (
            "Russia plans to deploy coastal missiles on the islands. "
            "Tokyo says the deployment violates its sovereignty.",
            ["planned", "planned"],
        ),
        # once one mention reports the deployment as done, a later one refers to it done
        (
            "The United States deployed a THAAD battery in South Korea in March. "
            "China said the deployment would harm its security.",
            ["asserted", "asserted"],
        ),
    ],
)
def test_a_later_mention_of_a_deployment_keeps_its_modality(
    nlp: Language, text: str, modalities: list[str]
) -> None:
    found = [e.modality for e in events(nlp, text) if e.event_type == "deployment"]
    assert found == modalities


def test_a_mention_marked_as_another_event_does_not_refer_back(nlp: Language) -> None:
    text = (
        "The two leaders may hold talks next month. "
        "The talks would be their first. Seoul said the latest talks were useful."
    )
    found = [e.modality for e in events(nlp, text) if e.event_type == "meeting"]
    assert found == ["possible", "possible", "asserted"]


def test_both_sides_of_talks_are_actors(nlp: Language) -> None:
    meeting = only(events(nlp, "Russia and Japan held talks in Tokyo on Monday."), "meeting")
    assert set(meeting.actors) == {"country:RUS", "country:JPN"}
    assert meeting.event_date == "2017-03-20"
    assert meeting.trigger == "held talks"


def test_a_person_meeting_a_person_is_a_meeting_of_their_countries(nlp: Language) -> None:
    meeting = only(events(nlp, "Sergey Lavrov met Fumio Kishida in Tokyo on Monday."), "meeting")
    assert set(meeting.actors) == {"country:RUS", "country:JPN"}


def test_two_plus_two_meeting_and_phone_calls(nlp: Language) -> None:
    found = events(nlp, "The two-plus-two meeting of Japan and Russia was held in Tokyo.")
    assert set(only(found, "meeting").actors) == {"country:JPN", "country:RUS"}
    call = only(events(nlp, "Abe spoke by telephone with Park Geun-hye on Monday."), "meeting")
    assert set(call.actors) == {"country:JPN", "country:KOR"}


def test_apposition_names_the_actor(nlp: Language) -> None:
    text = "The isolated state, North Korea, launched a rocket carrying a satellite on Sunday."
    launch = only(events(nlp, text), "missile_launch")
    assert launch.actors == ["country:PRK"]
    assert launch.is_space_launch
    assert launch.event_date == "2017-03-19"


def test_weapon_entities_in_the_clause(nlp: Language) -> None:
    launch = only(
        events(nlp, "North Korea launched a Hwasong-14 missile on Tuesday."), "missile_launch"
    )
    assert launch.weapons == ["weapon:hwasong-14"]
    assert not launch.is_space_launch


def test_exercises_and_sanctions(nlp: Language) -> None:
    drill = only(
        events(nlp, "The United States and South Korea began joint military drills on Monday."),
        "exercise",
    )
    assert set(drill.actors) == {"country:USA", "country:KOR"}
    sanction = only(
        events(nlp, "The U.N. Security Council imposed new sanctions on North Korea on Saturday."),
        "sanction",
    )
    assert "country:PRK" in sanction.participants
    assert "country:PRK" not in sanction.actors
    assert sanction.event_date == "2017-03-18"


def test_nuclear_tests(nlp: Language) -> None:
    test = only(events(nlp, "North Korea conducted a nuclear test on Sunday."), "nuclear_test")
    assert test.actors == ["country:PRK"]
    assert test.event_date == "2017-03-19"
    assert not [e for e in events(nlp, "Seoul ran a stress test on its banks.") if e.event_type]


@pytest.mark.parametrize(
    "text",
    [
        "The minister fired his spokesman on Monday.",
        "The company launched a new smartphone in Seoul.",
        "Prosecutors launched an investigation into the bank.",
        "Japan did not shoot down the missiles.",
    ],
)
def test_keywords_without_the_right_object_are_not_launches(nlp: Language, text: str) -> None:
    assert [e for e in events(nlp, text) if e.event_type == "missile_launch"] == []


def test_a_date_belongs_to_its_own_clause(nlp: Language) -> None:
    text = "North Korea fired a missile on Sunday, and Japan protested on Monday."
    assert only(events(nlp, text), "missile_launch").event_date == "2017-03-19"


def test_a_report_on_the_publication_day_weekday_is_that_day(nlp: Language) -> None:
    launch = only(events(nlp, "North Korea fired a missile on Tuesday."), "missile_launch")
    assert launch.event_date == "2017-03-21"


def test_just_happened_events_fall_back_to_the_publication_date(nlp: Language) -> None:
    launch = only(
        events(nlp, "North Korea fired a ballistic missile into the sea."), "missile_launch"
    )
    assert (launch.event_date, launch.date_basis) == ("2017-03-21", "publication")


def test_fallback_is_the_local_date_where_the_launch_happened(nlp: Language) -> None:
    # 23:30 UTC on 3 July is the morning of 4 July in North Korea.
    evening = datetime(2017, 7, 3, 23, 30, tzinfo=UTC)
    launch = only(
        events(
            nlp,
            "North Korea fired a ballistic missile into the sea.",
            published=evening,
            dateline="WASHINGTON",
        ),
        "missile_launch",
    )
    assert launch.event_date == "2017-07-04"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The only nuclear test of 2006 (data/reference): its day, not the year.
        ("The 2006 nuclear test shocked the region.", "2006-10-09"),
        ("North Korea conducted its first nuclear test in 2006.", "2006-10-09"),
        ("Last year's missile launch angered Tokyo.", "2016"),
        ("The recent launch of four ballistic missiles worried Japan.", None),
        ("North Korea has previously fired missiles over Japan.", None),
        ("North Korea has launched dozens of missiles.", None),
    ],
)
def test_historical_and_undated_references_never_get_the_publication_date(
    nlp: Language, text: str, expected: str | None
) -> None:
    found = [e for e in events(nlp, text) if e.event_type in ("missile_launch", "nuclear_test")]
    assert found, text
    assert found[0].event_date == expected
    assert found[0].date_basis != "publication"


def test_a_later_mention_takes_the_date_of_the_dated_report(nlp: Language) -> None:
    text = (
        "North Korea fired a ballistic missile over Japan on Sunday. "
        "Japan's prime minister condemned the launch as an unprecedented threat."
    )
    found = [e for e in events(nlp, text) if e.event_type == "missile_launch"]
    assert [e.event_date for e in found] == ["2017-03-19", "2017-03-19"]
    assert found[1].actors == ["country:PRK"]


def test_planned_events_resolve_weekdays_forward(nlp: Language) -> None:
    meeting = only(events(nlp, "Moon will meet Abe in Tokyo on Monday."), "meeting")
    assert meeting.modality == "planned"
    assert meeting.event_date == "2017-03-27"


def test_month_only_publication_gives_month_dates(nlp: Language) -> None:
    # No launch fell on a Tuesday in March 2017 or the week before (the Monday launch of
    # 6 March would take its day from data/reference; test_event_dating.py)
    march = datetime(2017, 3, 1, tzinfo=UTC)
    launch = only(
        events(nlp, "North Korea fired four ballistic missiles on Tuesday.", march, "month"),
        "missile_launch",
    )
    assert (launch.event_date, launch.date_precision) == ("2017-03", "month")


def test_event_ids_are_stable_and_spans_are_the_sentence(nlp: Language) -> None:
    text = "Tension rose. North Korea fired four missiles toward Japan on Monday."
    first = events(nlp, text)
    second = events(nlp, text)
    assert [e.event_id for e in first] == [e.event_id for e in second]
    launch = only(first, "missile_launch")
    assert (
        text[launch.start_char : launch.end_char]
        == "North Korea fired four missiles toward Japan on Monday."
    )
    assert launch.sentence_idx == 1
    assert 0 < launch.confidence <= 1


def test_the_lexicon_is_data_and_is_checked() -> None:
    lexicon = load_lexicon()
    assert ("fire", "VERB") in lexicon.triggers
    assert "projectile" in lexicon.classes
    types = {spec.event_type for specs in lexicon.triggers.values() for spec in specs}
    assert types == set(EVENT_TYPES)  # every type of the schema, and no other


def test_an_adjective_trigger_must_be_a_predicate(tmp_path: Path) -> None:
    """An ADJ row without ``predicate`` could never match; the file says so up front."""
    bad = tmp_path / "triggers.jsonl"
    bad.write_text(
        '{"kind": "class", "name": "asset", "lemmas": ["battery"]}\n'
        '{"kind": "trigger", "event_type": "deployment", "lemma": "operational", '
        '"pos": "ADJ", "needs": ["asset"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"triggers\.jsonl:2"):
        load_lexicon(bad)


# -- the seed article (acceptance) ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events(nlp: Language, seed_article: Path) -> tuple[str, list[EventRecord]]:
    from flashpoint.ingest.readers import read_source
    from flashpoint.schema import RawArticle

    article = next(item for item in read_source(str(seed_article)) if isinstance(item, RawArticle))
    context = ArticleContext(
        "seed",
        datetime(2017, 3, 21, tzinfo=UTC),
        "day",
        article.dateline,
        article.title,
        article.source,
    )
    return article.text, extract_events(nlp(article.text), context)


def _sentence(text: str, event: EventRecord) -> str:
    return text[event.start_char : event.end_char]


def test_seed_two_plus_two_meeting_on_monday(seed_events: tuple[str, list[EventRecord]]) -> None:
    text, found = seed_events
    meetings = [
        e
        for e in found
        if e.event_type == "meeting"
        and {"country:RUS", "country:JPN"} <= set(e.actors)
        and e.event_date == "2017-03-20"
    ]
    assert meetings, [
        (e.trigger, e.actors, e.event_date) for e in found if e.event_type == "meeting"
    ]
    assert meetings[0].modality == "asserted"
    assert "Tokyo" in _sentence(text, meetings[0])


def test_seed_recent_launch_is_north_korean_and_not_dated_on_publication(
    seed_events: tuple[str, list[EventRecord]],
) -> None:
    text, found = seed_events
    launch = next(
        e
        for e in found
        if e.event_type == "missile_launch" and "recent launch" in _sentence(text, e)
    )
    assert launch.actors == ["country:PRK"]
    assert launch.event_date != "2017-03-21"
    assert launch.date_basis != "publication"


def test_seed_might_be_able_to_fire_is_not_an_asserted_launch(
    seed_events: tuple[str, list[EventRecord]],
) -> None:
    text, found = seed_events
    hypothetical = [
        e
        for e in found
        if e.event_type == "missile_launch" and "might be able to fire" in _sentence(text, e)
    ]
    assert hypothetical and all(e.modality != "asserted" for e in hypothetical)


def test_seed_thaad_installed_by_the_us_in_south_korea(
    seed_events: tuple[str, list[EventRecord]],
) -> None:
    text, found = seed_events
    deployment = next(
        e for e in found if e.event_type == "deployment" and "is installing" in _sentence(text, e)
    )
    assert deployment.actors == ["country:USA"]
    assert deployment.location == "country:KOR"
    assert "weapon:thaad" in deployment.weapons


def test_seed_russian_coastal_missile_deployment(
    seed_events: tuple[str, list[EventRecord]],
) -> None:
    text, found = seed_events
    deployment = next(
        e
        for e in found
        if e.event_type == "deployment" and "coastal missile systems" in _sentence(text, e)
    )
    assert deployment.actors == ["country:RUS"]


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Two Russian missile launchers are now operational on Iturup.", "asserted"),
        ("The new interceptor battery should be operational by the end of the year.", "possible"),
        ("A Russian coastal missile unit is on combat duty on Kunashir.", "asserted"),
    ],
)
def test_a_weapon_said_to_be_operational_or_on_duty_is_deployed(
    nlp: Language, text: str, modality: str
) -> None:
    deployment = only(events(nlp, text), "deployment")
    assert deployment.modality == modality


@pytest.mark.parametrize(
    "text",
    [
        "The new airport terminal is now operational.",
        "The police officer was on duty in Seoul that night.",
    ],
)
def test_operational_things_that_are_not_forces_are_not_deployments(
    nlp: Language, text: str
) -> None:
    assert not [e for e in events(nlp, text) if e.event_type == "deployment"]


def test_a_launch_named_by_its_critics_is_the_launchers(nlp: Language) -> None:
    found = events(
        nlp,
        "Japan called the launch a grave threat to Japan's security. "
        "North Korea fired the missile from a site near Pyongyang on Monday.",
    )
    launches = [e for e in found if e.event_type == "missile_launch"]
    assert launches and all(e.actors == ["country:PRK"] for e in launches)


def test_un_sanctions_are_the_security_councils(nlp: Language) -> None:
    sanction = only(events(nlp, "Seoul will press for tougher UN sanctions."), "sanction")
    assert sanction.actors == ["org:unsc"]


def test_the_sanctioned_country_in_a_law_name_is_the_target(nlp: Language) -> None:
    found = events(
        nlp,
        "The North Korea Sanctions Act became law in February. "
        "The United States imposed new sanctions on North Korea on Friday.",
    )
    sanctions = [e for e in found if e.event_type == "sanction"]
    assert sanctions
    assert all("country:PRK" not in e.actors for e in sanctions)
    assert sanctions[-1].actors == ["country:USA"]


def test_who_calls_a_test_a_provocation_did_not_carry_it_out(nlp: Language) -> None:
    test = only(
        events(nlp, "South Korea called the nuclear test a grave provocation."), "nuclear_test"
    )
    assert "country:KOR" not in test.actors


def test_a_launch_that_came_on_a_day_is_dated_by_it(nlp: Language) -> None:
    launch = only(events(nlp, "The first Musudan launch came on June 22, 2016."), "missile_launch")
    assert launch.event_date == "2016-06-22"


def test_a_deployment_since_a_month_began_then(nlp: Language) -> None:
    deployment = only(
        events(nlp, "The THAAD battery has been deployed in Seongju since September 2016."),
        "deployment",
    )
    assert deployment.event_date == "2016-09"


def test_the_finer_of_two_readings_of_one_date(nlp: Language) -> None:
    launch = only(
        events(nlp, "The North last fired Nodong missiles two years ago, in March 2015."),
        "missile_launch",
    )
    assert launch.event_date == "2015-03"


def test_an_older_event_mentioned_with_its_month_takes_it_not_the_news_date(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "North Korea fired a ballistic missile on Monday. "
        "The yield was larger than that of the previous test, conducted in December 2016.",
    )
    dates = {e.trigger: e.event_date for e in found}
    assert dates.get("fired") == "2017-03-20"
    assert "2017-03-20" not in [e.event_date for e in found if e.trigger != "fired"]


def test_a_date_of_another_noun_does_not_redate_the_news(nlp: Language) -> None:
    found = events(
        nlp,
        "North Korea conducted a nuclear test on Monday. "
        "The blast was larger than the previous test, conducted in September 2016.",
    )
    blast = next(e for e in found if e.trigger == "blast")
    assert blast.event_date == "2017-03-20"


def test_setting_off_a_bomb_is_a_nuclear_test_and_dates_later_mentions(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "North Korea said on Monday that it had set off a hydrogen bomb. "
        "South Korea called the test a grave provocation.",
    )
    tests = [e for e in found if e.event_type == "nuclear_test"]
    assert len(tests) == 2
    assert all(e.event_date == "2017-03-20" for e in tests)
    assert all(e.actors == ["country:PRK"] for e in tests)


@pytest.mark.parametrize(
    ("text", "event_type", "expected"),
    [
        (
            "Allied forces began joint drills on Monday, four days after North Korea's "
            "nuclear test.",
            "nuclear_test",
            "2017-03-16",
        ),
        (
            "Japan protested on Monday, five days after North Korea fired an "
            "intermediate-range missile over Hokkaido.",
            "missile_launch",
            "2017-03-15",
        ),
        (
            "Japan protested on Monday, hours after North Korea fired a missile.",
            "missile_launch",
            "2017-03-20",
        ),
    ],
)
def test_days_after_an_event_count_back_from_the_dated_clause(
    nlp: Language, text: str, event_type: str, expected: str
) -> None:
    assert only(events(nlp, text), event_type).event_date == expected


def test_the_plan_after_a_deployment_is_that_deployment(nlp: Language) -> None:
    found = events(
        nlp,
        "The United States will deploy a THAAD battery in South Korea. "
        "China has demanded that the plan be dropped.",
    )
    assert [e.trigger for e in found if e.event_type == "deployment"] == ["deploy", "plan"]


def test_a_plan_to_do_something_else_is_not_a_deployment(nlp: Language) -> None:
    found = events(
        nlp,
        "The United States will deploy a THAAD battery in South Korea. "
        "Japan has a plan to expand trade with China.",
    )
    assert [e.trigger for e in found if e.event_type == "deployment"] == ["deploy"]


def test_a_later_bare_mention_of_a_resolution_is_the_sanction(nlp: Language) -> None:
    """Coreference waives the sentence's context whatever order the policies are tried."""
    found = events(
        nlp,
        "The UN Security Council adopted new sanctions against North Korea on Monday. "
        "Resolution 2321 caps the North's coal sales abroad.",
    )
    assert len([e for e in found if e.event_type == "sanction"]) == 2


def test_an_interval_after_another_event_of_the_sentence_counts_back_from_its_day(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "North Korea conducted a nuclear test on Monday. "
        "The test came three days after Pyongyang fired a missile over Japan.",
    )
    assert only(found, "missile_launch").event_date == "2017-03-17"


def test_a_week_named_relative_to_publication_takes_the_day_the_article_gives(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "Experts are still studying the nuclear test North Korea carried out last week. "
        "Pyongyang conducted the test on March 15, state media said.",
    )
    dates = [e.event_date for e in found if e.event_type == "nuclear_test"]
    assert dates == ["2017-03-15", "2017-03-15"]


def test_a_definite_mention_under_a_hedging_verb_keeps_the_reported_date(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "North Korea conducted a nuclear test on Monday. "
        "Japan said it could never tolerate the test.",
    )
    assert [e.event_date for e in found if e.event_type == "nuclear_test"] == [
        "2017-03-20",
        "2017-03-20",
    ]


def test_a_hedged_indefinite_event_takes_no_date_from_the_article(nlp: Language) -> None:
    found = events(
        nlp,
        "North Korea conducted a nuclear test on Monday. "
        "Analysts said the North could conduct another test.",
    )
    assert [e.event_date for e in found if e.event_type == "nuclear_test"][1:] in ([], [None])


def test_finishing_a_meeting_on_a_day_dates_the_meeting(nlp: Language) -> None:
    found = events(nlp, "Putin and Abe wrapped up two days of talks in Tokyo on Friday.")
    assert only(found, "meeting").event_date == "2017-03-17"


def test_a_hedged_launch_on_a_past_day_dates_later_mentions(nlp: Language) -> None:
    found = events(
        nlp,
        "North Korea attempted to launch a missile on Monday, officials said. "
        "The military said it had detected the launch near Kusong.",
    )
    assert [e.event_date for e in found if e.event_type == "missile_launch"] == [
        "2017-03-20",
        "2017-03-20",
    ]


def test_a_deployment_reported_in_the_perfect_gets_no_publication_date(
    nlp: Language,
) -> None:
    perfect = events(nlp, "Russia has deployed coastal missile systems on the Kuril Islands.")
    assert only(perfect, "deployment").event_date is None
    news = events(nlp, "Russia deployed coastal missile systems on the Kuril Islands.")
    assert only(news, "deployment").event_date == "2017-03-21"


def test_an_ordinal_test_on_a_weekday_last_week_is_dated_that_day(nlp: Language) -> None:
    # Published Wednesday 13 January 2016: the fourth test was on Wednesday 6 January.
    found = events(
        nlp,
        "Tension rose after the North's fourth nuclear test on Wednesday last week.",
        published=datetime(2016, 1, 13, 3, 0, tzinfo=UTC),
    )
    test = only(found, "nuclear_test")
    assert (test.event_date, test.date_basis) == ("2016-01-06", "relative")


def test_the_previous_test_does_not_take_the_reported_tests_date(nlp: Language) -> None:
    found = events(
        nlp,
        "North Korea conducted a nuclear test on Monday. "
        "Experts compared its yield with the previous test.",
    )
    assert [e.event_date for e in found if e.event_type == "nuclear_test"] == [
        "2017-03-20",
        None,
    ]


def test_an_event_days_after_a_dated_one_of_its_sentence_is_dated_forward(
    nlp: Language,
) -> None:
    found = events(
        nlp, "The nuclear test came four days after the North fired three missiles on Thursday."
    )
    assert only(found, "missile_launch").event_date == "2017-03-16"
    assert only(found, "nuclear_test").event_date == "2017-03-20"


def test_a_launch_that_appears_to_have_landed_keeps_the_reported_date(
    nlp: Language,
) -> None:
    found = events(
        nlp,
        "North Korea fired a ballistic missile on Monday. "
        "Japan said the missile appeared to have landed in its economic zone.",
    )
    assert [e.event_date for e in found if e.event_type == "missile_launch"] == [
        "2017-03-20",
        "2017-03-20",
    ]


@pytest.mark.parametrize(
    ("text", "event_type", "actor", "participant"),
    [
        (
            "A North Korean ballistic missile flew over Hokkaido on Tuesday.",
            "missile_launch",
            "country:PRK",
            "country:JPN",
        ),
        (
            "Three Russian warships docked in Manila on Friday.",
            "deployment",
            "country:RUS",
            "country:PHL",
        ),
        (
            "The first parts of a U.S. THAAD battery arrived in South Korea on Monday.",
            "deployment",
            "country:USA",
            "country:KOR",
        ),
        (
            "China protested the arrival of American bombers in South Korea.",
            "deployment",
            "country:USA",
            "country:KOR",
        ),
    ],
)
def test_the_owner_of_what_moved_is_the_actor_not_where_it_went(
    nlp: Language, text: str, event_type: str, actor: str, participant: str
) -> None:
    event = only(events(nlp, text), event_type)
    assert event.actors == [actor]
    assert participant in event.participants


def test_a_launch_site_names_the_launcher_not_the_reporter(nlp: Language) -> None:
    launch = only(
        events(
            nlp, "The missile was launched from a North Korean submarine, Japanese officials said."
        ),
        "missile_launch",
    )
    assert launch.actors == ["country:PRK"]


def test_a_pronoun_after_a_claim_stands_for_the_claimant_not_the_subject(nlp: Language) -> None:
    launch = only(
        events(
            nlp,
            "American and South Korean troops held a drill in reply to North Korea's claim "
            "that it had tested a new missile.",
        ),
        "missile_launch",
    )
    assert launch.actors == ["country:PRK"]


def test_its_launch_is_not_the_launch_of_the_person_reporting(nlp: Language) -> None:
    launch = only(
        events(
            nlp,
            "The world must punish North Korea after its launch of two missiles, "
            "Japanese Prime Minister Shinzo Abe said.",
        ),
        "missile_launch",
    )
    assert "country:JPN" not in launch.actors


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("The UN Security Council slapped a fresh round of sanctions on North Korea.", "org:unsc"),
        (
            "Washington, which has approved a new package of sanctions against Pyongyang, "
            "wants China to act.",
            "country:USA",
        ),
    ],
)
def test_sanctions_counted_out_by_a_measure_noun_are_imposed_by_the_verb_s_subject(
    nlp: Language, text: str, actor: str
) -> None:
    sanction = only(events(nlp, text), "sanction")
    assert sanction.actors == [actor]
    assert sanction.participants == ["country:PRK"]


@pytest.mark.parametrize(
    "text",
    [
        "Beijing asked both sides to make efforts to resume the stalled talks.",
        "The sanctions may hamper any effort to restart negotiations with Pyongyang.",
        "Tokyo said the door would stay open to dialogue with North Korea.",
        "Japan remains open to talks with North Korea.",
        "Putin invited Abe to visit Moscow in May.",
        "Moon offered talks with Pyongyang on military tension.",
        "Seoul renewed its offer of talks with the North.",
    ],
)
def test_efforts_offers_and_invitations_to_meet_are_no_meetings(nlp: Language, text: str) -> None:
    meeting = only(events(nlp, text), "meeting")
    assert meeting.modality == "possible"


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        ("The North's missile launch failed seconds after lift-off.", "missile_launch", "asserted"),
        (
            "A North Korean missile failed soon after launch on Sunday.",
            "missile_launch",
            "asserted",
        ),
        ("The talks between Seoul and Tokyo failed to produce a deal.", "meeting", "asserted"),
        ("Seoul and Tokyo failed to hold talks on Monday.", "meeting", "negated"),
    ],
)
def test_what_fails_took_place_but_what_one_failed_to_do_did_not(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("North Korea tried to fire a missile on Friday, but it exploded.", "asserted"),
        ("North Korea attempted a missile launch on Sunday that failed at once.", "asserted"),
        ("North Korea has tried to launch a Musudan missile three times this year.", "asserted"),
        ("North Korea may have tried to launch a missile on Friday.", "possible"),
        ("North Korea will try to launch a satellite next week.", "possible"),
        ("North Korea did not try to launch a missile on Friday.", "negated"),
    ],
)
def test_a_launch_that_was_attempted_was_a_launch(nlp: Language, text: str, modality: str) -> None:
    assert only(events(nlp, text), "missile_launch").modality == modality


def test_a_meeting_that_was_attempted_need_not_have_taken_place(nlp: Language) -> None:
    meeting = only(events(nlp, "Japan tried to hold talks with China last year."), "meeting")
    assert meeting.modality == "possible"


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        (
            "Seoul sought tougher sanctions at the Security Council on Friday.",
            "sanction",
            "planned",
        ),
        ("Washington proposed new sanctions against North Korea.", "sanction", "possible"),
        ("The two governments scheduled talks for next week.", "meeting", "planned"),
        ("The Security Council agreed new sanctions on Monday.", "sanction", "asserted"),
        ("The UN Security Council called an emergency meeting on Sunday.", "meeting", "asserted"),
        ("The exercise had been planned well before the missile test.", "exercise", "asserted"),
    ],
)
def test_a_light_verb_that_seeks_or_plans_the_event_frames_it(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        ("Both governments are preparing for a summit of their leaders.", "meeting", "planned"),
        ("Washington pressed for tougher sanctions against North Korea.", "sanction", "possible"),
        ("Japan lobbied for new UN sanctions.", "sanction", "possible"),
        ("The allies pressed ahead with the drills despite the warning.", "exercise", "asserted"),
    ],
)
def test_what_one_prepares_or_presses_for_has_not_happened(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        ("Washington hopes to deploy the system next year.", "deployment", "possible"),
        ("The drills are slated to begin on Monday.", "exercise", "planned"),
    ],
)
def test_hoping_and_being_slated_frame_the_event(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    """The small model lemmatises "hopes" as "hop" and "slated" as "slat"
    (data/lexicons/lemma_fixes.csv puts them right), which hid both cues."""
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("North Korea fired a missile on Sunday ahead of the allies' annual drills.", "planned"),
        ("Seoul raised its alert level in advance of the joint exercise.", "planned"),
        ("The allies pressed ahead with the drills despite the warning.", "asserted"),
    ],
)
def test_an_exercise_still_ahead_is_planned(nlp: Language, text: str, modality: str) -> None:
    assert only(events(nlp, text), "exercise").modality == modality


def test_what_happens_ahead_of_a_planned_event_still_happened(nlp: Language) -> None:
    found = events(nlp, "North Korea fired a missile on Sunday ahead of the allies' annual drills.")
    assert only(found, "missile_launch").modality == "asserted"


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The joint drills are scheduled to begin on Monday.", "planned"),
        ("The exercise, which is due to start next week, will involve 20,000 troops.", "planned"),
        ("Drills slated to take place next month will involve 20,000 troops.", "planned"),
        # no complement: planned long ago, and it took place
        ("The exercise had been planned well before the missile test.", "asserted"),
        # expected to anger, not expected to take place
        ("The drills, which were expected to anger Pyongyang, began on Monday.", "asserted"),
    ],
)
def test_an_exercise_scheduled_to_take_place_is_planned(
    nlp: Language, text: str, modality: str
) -> None:
    assert only(events(nlp, text), "exercise").modality == modality


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        # a halt that is only sought presupposes the activity under way
        (
            "China urged Washington to halt the deployment of the THAAD battery.",
            "deployment",
            "asserted",
        ),
        (
            "China called for a halt to the deployment of the missile defence system.",
            "deployment",
            "asserted",
        ),
        (
            "North Korea demanded that the allies suspend their joint military drills.",
            "exercise",
            "asserted",
        ),
        # a halt that took place
        (
            "Seoul suspended the deployment of the remaining launchers in June.",
            "deployment",
            "negated",
        ),
        # tests are not one activity under way: halting them stops future ones
        ("China urged North Korea to halt its missile tests.", "missile_launch", "negated"),
    ],
)
def test_a_halt_sought_for_a_deployment_or_exercise_means_it_is_under_way(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "event_type", "modality"),
    [
        # "would" in a clause reported in the past is the speaker's "will"
        (
            "Seoul said the remaining launchers would be installed at Seongju soon.",
            "deployment",
            "planned",
        ),
        (
            "The minister announced that a new division would be stationed on the islands.",
            "deployment",
            "planned",
        ),
        # a condition keeps it possible; so does "would" outside a report
        (
            "Officials said North Korea would fire a missile if the drills went ahead.",
            "missile_launch",
            "possible",
        ),
        ("North Korea would fire a missile if attacked.", "missile_launch", "possible"),
    ],
)
def test_would_in_a_reported_clause_is_a_plan(
    nlp: Language, text: str, event_type: str, modality: str
) -> None:
    assert only(events(nlp, text), event_type).modality == modality


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The Pentagon listed the destroyers to be deployed to Japan next year.", "planned"),
        ("South Korea was the first country to deploy the system in the region.", "asserted"),
        ("The United States is working to deploy the THAAD system in South Korea.", "planned"),
        ("The lawmakers made a request to redeploy nuclear weapons to the peninsula.", "possible"),
    ],
)
def test_a_deployment_still_to_be_done_or_requested_has_not_happened(
    nlp: Language, text: str, modality: str
) -> None:
    assert only(events(nlp, text), "deployment").modality == modality


@pytest.mark.parametrize(
    ("text", "event_type", "actors"),
    [
        # the possessive in the object of a controlled verb stands for its controller
        (
            "North Korea urged Seoul and Washington to suspend their joint military drills.",
            "exercise",
            ["country:KOR", "country:USA"],
        ),
        (
            "Washington urged Seoul to tighten its sanctions on the North.",
            "sanction",
            ["country:KOR"],
        ),
        # no controller: the pronoun is the subject's
        ("North Korea said it would continue its drills next week.", "exercise", ["country:PRK"]),
    ],
)
def test_whose_drills_a_country_is_urged_to_suspend(
    nlp: Language, text: str, event_type: str, actors: list[str]
) -> None:
    assert sorted(only(events(nlp, text), event_type).actors) == actors


@pytest.mark.parametrize(
    "text",
    [
        "North Korea fired a missile on Monday. Two U.S. B-1B bombers flew over the base.",
        "North Korea fired a missile on Monday. Washington sent a B-52 bomber over the base.",
        "North Korea fired a missile on Monday. Japan sent destroyers armed with interceptor "
        "missiles into the sea.",
    ],
)
def test_bomber_flights_and_ship_dispatches_are_not_launches(nlp: Language, text: str) -> None:
    found = events(nlp, text)
    assert [e.trigger for e in found if e.event_type == "missile_launch"] == ["fired"]


@pytest.mark.parametrize(
    ("follow_up", "trigger"),
    [
        ("Japan said all three fell into the sea.", "fell"),
        ("Three of them came down near the coast.", "came"),
        ("The second climbed to about 1,400 kilometres.", "climbed"),
        ("All three flew roughly 900 kilometres.", "flew"),
    ],
)
def test_a_number_standing_for_the_missiles_reports_their_flight(
    nlp: Language, follow_up: str, trigger: str
) -> None:
    found = events(nlp, "North Korea fired three ballistic missiles on Monday. " + follow_up)
    flight = [e for e in found if e.trigger == trigger]
    assert [(e.event_type, e.actors, e.event_date) for e in flight] == [
        ("missile_launch", ["country:PRK"], "2017-03-20")
    ]


def test_a_number_in_a_story_without_launches_is_not_a_flight(nlp: Language) -> None:
    found = events(nlp, "Exports rose in May. All three fell sharply in June.")
    assert [e for e in found if e.event_type == "missile_launch"] == []


@pytest.mark.parametrize(
    ("follow_up", "trigger", "day"),
    [
        ("The attempt was made at dawn near the coast.", "attempt", "2017-03-17"),
        ("The failure was a blow to the military.", "failure", "2017-03-17"),
        ("Two more missiles failed on March 3.", "failed", "2017-03-03"),
    ],
)
def test_an_attempt_or_failure_in_a_launch_story_is_a_launch(
    nlp: Language, follow_up: str, trigger: str, day: str
) -> None:
    found = events(nlp, "North Korea fired a missile on Friday. " + follow_up)
    mention = [e for e in found if e.trigger.endswith(trigger)]
    assert [(e.event_type, e.actors, e.event_date) for e in mention] == [
        ("missile_launch", ["country:PRK"], day)
    ]


@pytest.mark.parametrize(
    "follow_up",
    [
        "Seoul said the launch was a failure.",
        "Talks with Seoul failed.",
        "An attempt to restart dialogue was rejected.",
        "The failure of diplomacy worried Tokyo.",
    ],
)
def test_judgements_and_other_attempts_are_not_new_launches(nlp: Language, follow_up: str) -> None:
    found = events(nlp, "North Korea fired a missile on Friday. " + follow_up)
    assert len([e for e in found if e.event_type == "missile_launch"]) == 1 + (
        "launch" in follow_up
    )


def test_attempts_and_failures_without_launches_are_no_events(nlp: Language) -> None:
    found = events(nlp, "Talks with Seoul failed. The attempt was a failure.")
    assert [e for e in found if e.event_type == "missile_launch"] == []


def test_the_launcher_is_the_target_of_sanctions_not_their_actor(nlp: Language) -> None:
    # the only country in the sanctions clause is the one whose launch they answer
    found = events(
        nlp,
        "North Korea fired a ballistic missile on Sunday. "
        "Washington is building its North Korea policy on tougher sanctions.",
    )
    sanction = only(found, "sanction")
    assert "country:PRK" not in sanction.actors
    assert "country:PRK" in sanction.participants


def test_a_launcher_imposing_sanctions_by_its_own_verb_keeps_them(nlp: Language) -> None:
    found = events(
        nlp,
        "South Korea test-fired a cruise missile on Monday. "
        "South Korea imposed new sanctions on Pyongyang on Tuesday.",
    )
    assert only(found, "sanction").actors == ["country:KOR"]


def test_barring_a_country_from_trade_is_a_sanction(nlp: Language) -> None:
    found = events(nlp, "The Security Council on Monday barred Pyongyang from exporting textiles.")
    assert only(found, "sanction").actors == ["org:unsc"]


def test_barring_people_from_a_room_is_no_sanction(nlp: Language) -> None:
    found = events(nlp, "The rules bar reporters from the room.")
    assert [e for e in found if e.event_type == "sanction"] == []


def test_who_speaks_or_agrees_in_a_call_is_its_party(nlp: Language) -> None:
    text = (
        "Prime Minister Shinzo Abe and U.S. President Barack Obama agreed in a telephone call "
        "on Friday to seek tougher sanctions against North Korea."
    )
    call = only(events(nlp, text), "meeting")
    assert call.actors == ["country:JPN", "country:USA"]


def test_a_launch_during_a_summit_puts_no_launcher_at_it(nlp: Language) -> None:
    text = "North Korea fired a missile during the summit in Hangzhou."
    summit = only(events(nlp, text), "meeting")
    assert "country:PRK" not in summit.actors


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "The envoy told the U.N. Security Council on Friday that the risk was rising.",
            "org:unsc",
        ),
        ("Feltman warned the 15-member Security Council that tensions were growing.", "org:unsc"),
        ("Wang Yi told the annual U.N. General Assembly that China wanted talks.", "org:unga"),
    ],
)
def test_speaking_to_a_un_body_is_a_meeting_of_that_body(
    nlp: Language, text: str, body: str
) -> None:
    meeting = only(events(nlp, text), "meeting")
    assert body in meeting.actors
    assert meeting.modality == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "Moon told the National Security Council on Friday that the North was ready.",
        "The minister told reporters on Friday that the Security Council would act.",
    ],
)
def test_speaking_to_a_national_council_or_to_reporters_is_no_meeting(
    nlp: Language, text: str
) -> None:
    assert [e for e in events(nlp, text) if e.event_type == "meeting"] == []


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "South and North Korea reached a deal on Monday to ease military tension.",
            ["country:KOR", "country:PRK"],
        ),
        (
            "Japan and South Korea struck an agreement on Monday to settle the dispute.",
            ["country:JPN", "country:KOR"],
        ),
        (
            "He criticized a 2015 pact that the United States struck with Iran.",
            ["country:USA", "country:IRN"],
        ),
    ],
)
def test_parties_reaching_a_deal_have_met(nlp: Language, text: str, actors: list[str]) -> None:
    meeting = only(events(nlp, text), "meeting")
    assert meeting.actors == actors
    assert meeting.modality == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "The union reached a deal with the company on Friday.",
        "Seoul and Tokyo discussed the terms of the deal on Monday.",
    ],
)
def test_a_deal_of_private_parties_or_without_its_light_verb_is_no_meeting(
    nlp: Language, text: str
) -> None:
    found = events(nlp, text)
    assert not [e.trigger for e in found if e.event_type == "meeting" and "deal" in e.trigger]


def test_parties_failing_to_reach_a_deal_did_not_agree(nlp: Language) -> None:
    text = "Tokyo and Seoul failed to reach an agreement on the issue on Monday."
    assert only(events(nlp, text), "meeting").modality == "negated"


def test_the_council_after_the_security_council_is_that_council(nlp: Language) -> None:
    text = (
        "The U.N. Security Council met on Monday. "
        "The 15-member council has tightened sanctions after each nuclear test."
    )
    assert only(events(nlp, text), "sanction").actors == ["org:unsc"]
    text = (
        "Guterres spoke to the U.N. Security Council on Friday. "
        "Later he told the council that the risk was rising."
    )
    told = [e for e in events(nlp, text) if e.event_type == "meeting" and e.trigger == "told"]
    assert len(told) == 1 and "org:unsc" in told[0].actors


def test_a_council_the_article_did_not_name_is_no_body(nlp: Language) -> None:
    text = "The city council met on Monday. The president told the council that taxes would rise."
    assert [e.trigger for e in events(nlp, text) if e.event_type == "meeting"] == ["met"]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        (
            "Abe met Putin in Moscow on Thursday. The two leaders also discussed energy projects.",
            {"country:JPN", "country:RUS"},
        ),
        (
            "Officials of Seoul, Tokyo and Washington met in Tokyo on Tuesday. "
            "The three sides also discussed coordination of policy in Southeast Asia.",
            {"country:KOR", "country:JPN", "country:USA"},
        ),
    ],
)
def test_sides_counted_in_the_subject_discuss_with_each_other(
    nlp: Language, text: str, actors: set[str]
) -> None:
    found = [e for e in events(nlp, text) if e.trigger == "discussed"]
    assert len(found) == 1 and set(found[0].actors) == actors


def test_officials_of_one_side_discussing_a_plan_hold_no_meeting(nlp: Language) -> None:
    found = events(nlp, "Japanese officials discussed the plan on Monday.")
    assert [e for e in found if e.event_type == "meeting"] == []


@pytest.mark.parametrize(
    "text",
    [
        # the verb governing the sanctions aims them: "against North Korea" is their target
        "The toughest sanctions so far were assembled against North Korea last year.",
        "The harshest sanctions in decades were directed against Iran.",
        # a country in a clause below is no imposer when the sanctions are aimed at it
        "Officials said new sanctions would be imposed on North Korea after Pyongyang "
        "rejected the talks.",
    ],
)
def test_the_country_sanctions_are_aimed_at_does_not_impose_them(nlp: Language, text: str) -> None:
    sanction = only(events(nlp, text), "sanction")
    assert sanction.actors == []
    assert len(sanction.participants) == 1
    assert sanction.participants[0] in ("country:PRK", "country:IRN")
