"""Which date an event takes: dates in the sentence the parser hangs elsewhere, times
counted from another event ("the following month", "a week later"), and well-known
events dated from data/reference. Every sentence here is written for the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from spacy.language import Language

from flashpoint.nlp.dates import EventDate, resolve_event_date, sequence_shift, shift_event_date
from flashpoint.nlp.events import EventRecord, extract_events
from flashpoint.nlp.pipeline import LEMMA_FIXER, lemma_fix_patterns, load_lemma_fixes
from flashpoint.schema import ArticleContext


def events(nlp: Language, text: str, published: datetime | None) -> list[EventRecord]:
    context = ArticleContext("article-1", published, "datetime" if published else "unknown")
    return extract_events(nlp(text), context)


def dated(nlp: Language, text: str, published: datetime | None, event_type: str) -> list[str]:
    return [e.event_date or "-" for e in events(nlp, text, published) if e.event_type == event_type]


WEDNESDAY = datetime(2017, 7, 5, 7, 50, tzinfo=UTC)


# -- the pipeline's small repairs ------------------------------------------------------------


def test_staged_is_lemmatised_as_stage_so_the_drill_has_its_light_verb(nlp: Language) -> None:
    doc = nlp("The two navies staged a joint drill off the coast on Wednesday.")
    assert [t.lemma_ for t in doc if t.lower_ == "staged"] == ["stage"]
    drill = [e for e in events(nlp, doc.text, WEDNESDAY) if e.event_type == "exercise"]
    assert [(e.trigger, e.event_date) for e in drill] == [("staged drill", "2017-07-05")]


def test_lemma_fixes_are_data_and_a_bad_row_is_named(tmp_path, nlp: Language) -> None:  # type: ignore[no-untyped-def]
    assert load_lemma_fixes()[("staged", "VERB")] == "stage"
    assert {"patterns": [[{"LOWER": "staged", "POS": "VERB"}]], "attrs": {"LEMMA": "stage"}} in (
        lemma_fix_patterns()
    )
    # an attribute ruler right after the lemmatiser
    names = nlp.pipe_names
    assert nlp.get_pipe_meta(LEMMA_FIXER).factory == "attribute_ruler"
    assert names.index(LEMMA_FIXER) == names.index("lemmatizer") + 1
    bad = tmp_path / "fixes.csv"
    bad.write_text("form,pos,lemma,why\nstaged,,stage,no pos\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"fixes\.csv:2"):
        load_lemma_fixes(bad)


def test_a_named_exercise_with_its_year_is_split_so_exercise_stays_a_noun(nlp: Language) -> None:
    text = (
        "Chinese and Russian warships took part in the Joint Sea-2016 exercise "
        "from September 12 to 19, 2016."
    )
    words = [t.text for t in nlp(text)]
    assert "Sea-2016" not in words and words.count("2016") == 2
    assert dated(nlp, text, None, "exercise") == ["2016-09-12"]


def test_weapon_names_with_numbers_are_not_split(nlp: Language) -> None:
    words = [t.text for t in nlp("China sold the FD-2000 system.")]
    assert "FD-2000" in words


# -- dates the parser attached elsewhere ----------------------------------------------------


def test_a_bill_signed_on_a_day_dates_the_sanctions_it_carries(nlp: Language) -> None:
    text = (
        "President Barack Obama on Thursday signed into law a bill that broadens "
        "U.S. sanctions against North Korea."
    )
    assert dated(nlp, text, datetime(2016, 2, 18, 23, 0, tzinfo=UTC), "sanction") == ["2016-02-18"]


def test_a_reaction_on_a_day_does_not_date_the_sanctions_it_is_about(nlp: Language) -> None:
    text = "Japan on Monday criticised the sanctions imposed by the council last year."
    assert dated(nlp, text, datetime(2017, 9, 12, tzinfo=UTC), "sanction") == ["2016"]


def test_a_date_opening_a_coordinated_clause_belongs_to_that_clause(nlp: Language) -> None:
    text = (
        "In August, a North Korean submarine-launched missile flew about 500 kilometres, "
        "the longest flight of its kind, and on Sept. 9 the North conducted its fifth "
        "nuclear test."
    )
    found = events(nlp, text, datetime(2016, 9, 30, 7, 0, tzinfo=UTC))
    assert {e.event_type: e.event_date for e in found} == {
        "missile_launch": "2016-08",
        "nuclear_test": "2016-09-09",
    }


def test_a_when_clause_after_a_date_happened_then(nlp: Language) -> None:
    text = (
        "Officials said the rocket was the three-stage type the North used in December "
        "2012, when it put its first satellite into orbit."
    )
    found = dated(nlp, text, datetime(2016, 2, 7, 2, 0, tzinfo=UTC), "missile_launch")
    # December 2012 from the when-clause; the one satellite launch that month makes it a day.
    assert found == ["2012-12-12"]


def test_the_same_day_as_a_dated_event_in_the_sentence_before(nlp: Language) -> None:
    text = (
        "The first launchers arrived at Osan Air Base on March 6. That was the same day "
        "North Korea fired four ballistic missiles."
    )
    found = dated(nlp, text, datetime(2017, 3, 17, 10, 0, tzinfo=UTC), "missile_launch")
    assert found == ["2017-03-06"]


# -- times counted from another event -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("the following month", (1, "month")),
        ("the next day", (1, "day")),
        ("A week later", (1, "week")),
        ("three days later", (3, "day")),
        ("the same day", (0, "day")),
        ("later that day", (0, "day")),
        ("this week", None),
        ("last month", None),
        ("four years before", (-4, "year")),
        ("two days earlier", (-2, "day")),
        ("four years ago", None),  # from the time of writing, not from another event
    ],
)
def test_sequence_expressions(text: str, shift: tuple[int, str] | None) -> None:
    assert sequence_shift(text) == shift


def test_a_shift_is_no_finer_than_what_it_counts_from() -> None:
    day = EventDate("2017-05-14", "day", "explicit", "May 14")
    month = EventDate("2013-02", "month", "explicit", "February 2013")
    assert shift_event_date(day, 1, "week", "a week later").value == "2017-05-21"
    assert shift_event_date(month, 1, "month", "the following month").value == "2013-03"
    assert shift_event_date(month, 1, "day", "the next day").value == "2013-02"


def test_the_following_month_counts_from_the_date_before_it(nlp: Language) -> None:
    text = (
        "After the North's third nuclear test, in February 2013, Washington flew B-52 "
        "bombers over the peninsula the following month."
    )
    found = dated(nlp, text, datetime(2016, 1, 10, tzinfo=UTC), "deployment")
    assert found == ["2013-03"]


def test_a_week_later_counts_from_the_last_dated_event(nlp: Language) -> None:
    text = "On May 14, the North tested the Hwasong-12. A week later it tested a Pukguksong-2."
    found = dated(nlp, text, datetime(2017, 5, 22, 3, 0, tzinfo=UTC), "missile_launch")
    assert found == ["2017-05-14", "2017-05-21"]


def test_years_before_count_back_from_the_date_just_given(nlp: Language) -> None:
    """ "four years before", unlike "four years ago", counts from the time the sentence
    gave (2004), not from publication (2016)."""
    text = (
        "The industrial park opened in 2004, following talks between the two Koreas "
        "four years before."
    )
    assert dated(nlp, text, datetime(2016, 2, 11, tzinfo=UTC), "meeting") == ["2000"]


def test_days_earlier_count_back_from_the_day_of_the_sentence_before(nlp: Language) -> None:
    text = "North Korea fired a missile on Sunday. Two days earlier, the two Koreas held talks."
    found = dated(nlp, text, datetime(2017, 3, 21, 3, 0, tzinfo=UTC), "meeting")
    assert found == ["2017-03-17"]  # Sunday the 19th, less two days


def test_the_following_day_after_a_stated_day(nlp: Language) -> None:
    text = (
        "North Korea held a military parade in Pyongyang on April 15 and launched a "
        "missile the following day."
    )
    found = dated(nlp, text, datetime(2017, 4, 24, tzinfo=UTC), "missile_launch")
    assert found == ["2017-04-16"]


# -- well-known events (data/reference) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "event_type", "expected"),
    [
        ("Seoul recalled North Korea's fourth nuclear test.", "nuclear_test", "2016-01-06"),
        ("The council acted after its fifth nuclear test.", "nuclear_test", "2016-09-09"),
        ("Resolution 2371 banned the North's coal exports.", "sanction", "2017-08-05"),
        # One nuclear test that month: the day. Two that year: only the year.
        ("Seoul recalled the North's nuclear test in January 2016.", "nuclear_test", "2016-01-06"),
        ("Two nuclear tests were carried out by North Korea in 2016.", "nuclear_test", "2016"),
        # a meeting counted in a series its phrase names (data/reference/names.csv)
        ("Kim recalled the first inter-Korean summit in 2000.", "meeting", "2000-06-13"),
        ("The second inter-Korean summit yielded a joint declaration.", "meeting", "2007-10-02"),
        # no series named: no day from the catalogue
        ("Kim recalled the first summit in 2000.", "meeting", "2000"),
    ],
)
def test_well_known_events_take_their_day(
    nlp: Language, text: str, event_type: str, expected: str
) -> None:
    found = [e for e in events(nlp, text, datetime(2017, 12, 1, tzinfo=UTC))]
    dates = [(e.event_date, e.date_basis) for e in found if e.event_type == event_type]
    assert dates and dates[0][0] == expected, dates
    if len(expected) == 10:
        assert dates[0][1] == "reference"


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (datetime(2017, 8, 29, 3, tzinfo=UTC), "2017-08-21"),  # Ulchi Freedom Guardian
        (datetime(2017, 4, 10, 3, tzinfo=UTC), "2017-03-01"),  # Foal Eagle alone
        (datetime(2017, 3, 15, 3, tzinfo=UTC), "-"),  # Key Resolve and Foal Eagle: which?
        (datetime(2017, 9, 20, 3, tzinfo=UTC), "-"),  # none under way
    ],
)
def test_allied_drills_under_way_take_the_day_the_exercise_began(
    nlp: Language, published: datetime, expected: str
) -> None:
    text = (
        "The launch came as U.S. and South Korean forces conduct annual military drills "
        "on the peninsula."
    )
    assert dated(nlp, text, published, "exercise") == [expected]


def test_drills_by_one_side_are_not_the_allies_exercise(nlp: Language) -> None:
    text = "The launch came as South Korean forces conduct military drills near the border."
    assert dated(nlp, text, datetime(2017, 8, 29, 3, tzinfo=UTC), "exercise") == ["-"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # April 2017 had launches on Wednesday the 5th, Sunday the 16th, Saturday the 29th.
        ("North Korea fired a ballistic missile into the East Sea on Sunday.", "2017-04-16"),
        ("North Korea fired a ballistic missile from Sinpo on Wednesday.", "2017-04-05"),
        # no launch on a Monday in those weeks: the month the article gives, no more
        ("North Korea fired a ballistic missile on Monday.", "2017-04"),
    ],
)
def test_a_weekday_in_a_month_dated_article_finds_the_one_launch_that_day(
    nlp: Language, text: str, expected: str
) -> None:
    assert dated_in_month(nlp, text, 2017, 4, "missile_launch") == [expected]


def test_two_launches_on_that_weekday_leave_the_month(nlp: Language) -> None:
    # May 2017: Sunday the 14th and Sunday the 21st.
    text = "North Korea fired a ballistic missile into the East Sea on Sunday."
    assert dated_in_month(nlp, text, 2017, 5, "missile_launch") == ["2017-05"]


def test_the_only_launch_of_a_named_month_takes_its_day(nlp: Language) -> None:
    # September 2016 had one launch day (the 5th); 2016-2017 launches are all catalogued.
    text = "North Korea test-fired a ballistic missile in September."
    found = dated_in_month(nlp, text, 2016, 12, "missile_launch")
    assert found == ["2016-09-05"]


def test_a_thaad_milestone_takes_its_day_other_deployments_keep_the_month(
    nlp: Language,
) -> None:
    text = "The THAAD battery was first deployed in the county in April."
    assert dated_in_month(nlp, text, 2017, 10, "deployment") == ["2017-04-26"]
    text = "The U.S. military deployed Patriot batteries to the base in April."
    assert dated_in_month(nlp, text, 2017, 10, "deployment") == ["2017-04"]


def test_a_catalogue_day_of_the_mention_wins_over_a_day_taken_from_before(
    nlp: Language,
) -> None:
    # "fired" inside the June sentence reads as the Monday launch of the sentence before;
    # merged with "tested ... in June" (June 2016 held one launch day, the 22nd), the
    # event keeps the day the catalogue gave its own month.
    text = (
        "North Korea fired three ballistic missiles on Monday. In June, the North tested "
        "a different missile that appeared to have been fired at a steeper angle."
    )
    found = dated(nlp, text, datetime(2016, 9, 5, 4, 0, tzinfo=UTC), "missile_launch")
    assert found == ["2016-09-05", "2016-06-22"]


@pytest.mark.parametrize(
    ("text", "year", "month", "expected"),
    [
        # a named annual exercise: the edition of the article's year, by its first day
        (
            "North Korea has criticized the ongoing Ulchi Freedom Guardian exercise.",
            2017,
            8,
            "2017-08-21",
        ),
        ("North Korea condemned the Key Resolve drill.", 2016, 3, "2016-03-07"),
        # two names, one combined event: the earlier first day (Foal Eagle, 1 March 2017)
        ("North Korea condemned the Key Resolve and Foal Eagle exercises.", 2017, 3, "2017-03-01"),
        # no edition of that exercise yet in the article's year: no day
        ("North Korea condemned the Ulchi Freedom Guardian exercise.", 2017, 3, "-"),
        # an unnamed drill keeps what the article gives
        ("North Korea condemned the joint naval drill.", 2017, 8, "-"),
    ],
)
def test_a_named_annual_exercise_takes_the_first_day_of_that_years_edition(
    nlp: Language, text: str, year: int, month: int, expected: str
) -> None:
    assert dated_in_month(nlp, text, year, month, "exercise") == [expected]


def test_a_day_the_article_states_wins_over_the_catalogue(nlp: Language) -> None:
    # A made-up day: the article's own statement is what the timeline shows.
    text = "On Sept. 10 the North conducted its fifth nuclear test."
    found = dated(nlp, text, datetime(2016, 9, 30, tzinfo=UTC), "nuclear_test")
    assert found == ["2016-09-10"]


def test_the_latest_nuclear_test_is_the_last_one_before_publication(nlp: Language) -> None:
    text = "The council condemned the latest nuclear test by North Korea."
    found = dated(nlp, text, datetime(2017, 9, 20, tzinfo=UTC), "nuclear_test")
    assert found == ["2017-09-03"]


# -- what a sanction and an after-clause are --------------------------------------------------


def test_sanction_verbs_with_plural_goods_are_not_generic(nlp: Language) -> None:
    text = (
        "The Security Council on Wednesday adopted new sanctions on North Korea. "
        "It also bans exports of copper and nickel."
    )
    found = dated(nlp, text, datetime(2016, 11, 30, 22, 0, tzinfo=UTC), "sanction")
    assert found == ["2016-11-30", "2016-11-30"]


def test_a_past_after_clause_stays_asserted_under_an_order(nlp: Language) -> None:
    text = (
        "Moon ordered officials to speed up the installation of the launchers after "
        "North Korea launched another missile late on Friday."
    )
    launch = [
        e
        for e in events(nlp, text, datetime(2017, 7, 29, 10, 0, tzinfo=UTC))
        if e.event_type == "missile_launch"
    ]
    assert [(e.modality, e.event_date) for e in launch] == [("asserted", "2017-07-28")]


def test_a_weekday_that_agrees_with_the_catalogue_is_kept(nlp: Language) -> None:
    text = "On Sunday the North conducted its sixth nuclear test."
    found = [
        (e.event_date, e.date_basis)
        for e in events(nlp, text, datetime(2017, 9, 4, 3, 0, tzinfo=UTC))
        if e.event_type == "nuclear_test"
    ]
    assert found == [("2017-09-03", "relative")]


def test_a_catalogue_event_after_publication_is_never_the_one_meant(nlp: Language) -> None:
    text = "Analysts said the North conducted its sixth nuclear test."
    found = dated(nlp, text, datetime(2017, 3, 21, 3, 0, tzinfo=UTC), "nuclear_test")
    assert "2017-09-03" not in found


# -- h1: dates of participles, bounding clauses, anaphoric intervals and merged mentions -------


def _at(day: int, month: int = 11) -> datetime:
    return datetime(2018, month, day, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "published", "event_type", "expected"),
    [
        # a participle on the subject takes the date opening its clause
        (
            "On March 3, a rocket launched from a coastal site also crossed over the island.",
            _at(20, 3),
            "missile_launch",
            ["2018-03-03"],
        ),
        # a perfect deployment is not dated by the day it was reported
        (
            "The navy said China has deployed new anti-ship missiles on the reef, a state "
            "newspaper reported on Monday.",
            _at(16),
            "deployment",
            ["-"],
        ),
        # "the following year" counts from the date of the sentence before
        (
            "The agreement was signed in April 2011. It collapsed after Japan joined sanctions "
            "against Iran the following year.",
            _at(16),
            "sanction",
            ["2012"],
        ),
        # "It came three days after ...": counted from the event dated last
        (
            "North Korea fired a missile on Tuesday. It came three days after the allies began "
            "their spring drills.",
            _at(14),
            "exercise",
            ["2018-11-10"],
        ),
        # "responded with a drill": the drill is the response
        (
            "Late on Sunday, Japanese and U.S. forces responded with a joint naval drill.",
            _at(12),
            "exercise",
            ["2018-11-11"],
        ),
        # a bare participle clause spells out its verb's act, the same day
        (
            "The council tightened sanctions on Monday, capping fuel imports and banning seafood "
            "exports.",
            _at(16),
            "sanction",
            ["2018-11-12"],
        ),
        # minutes after another event is the same news, not history
        (
            "Radar tracked the rocket for 12 minutes after it lifted off from the coast. North "
            "Korea fired the rocket on Wednesday.",
            _at(16),
            "missile_launch",
            ["2018-11-14"],
        ),
        # a first summit between two leaders is the one the article reports
        (
            "The launch came while Moon was in Washington for his first summit with Trump. The "
            "two leaders had met on Thursday.",
            _at(17),
            "meeting",
            ["2018-11-15", "2018-11-15"],
        ),
        # an exercise going on at publication takes the day the article says it began
        (
            "North Korea fired a missile on Friday as the allies stage their annual drills. The "
            "allies began the drills on Monday.",
            _at(17),
            "exercise",
            ["2018-11-12", "2018-11-12"],
        ),
        # "talks in Beijing on Friday" is one event that later mentions refer to
        (
            "Moon and Xi agreed at talks in Beijing on Friday to keep in touch. The visit is "
            "Moon's second to China.",
            _at(17),
            "meeting",
            ["2018-11-16", "2018-11-16"],
        ),
        # "this month" is refined only by a day of the same actors' event
        (
            "The Security Council on Monday imposed sanctions on Pyongyang. Japan has also "
            "tightened its own measures against the North this month.",
            _at(20),
            "sanction",
            ["2018-11-19", "2018-11"],
        ),
        # two mentions of one launch merged: the finer date wins
        (
            "The resolution follows several North Korean missile launches this year, most "
            "recently a missile that landed off Japan on Tuesday.",
            _at(17),
            "missile_launch",
            ["2018-11-13"],
        ),
        # a launch compared with another one does not take the other one's date
        (
            "Officials said North Korea fired a ballistic missile, similar to one fired over "
            "Japan last month.",
            _at(16),
            "missile_launch",
            ["2018-11-16"],
        ),
        # ... also where the parser hangs the participle on "similar"
        (
            "Seoul said the North fired a medium-range missile, similar to that fired over "
            "Japan last month.",
            _at(16),
            "missile_launch",
            ["2018-11-16"],
        ),
        # a clause on the launch's own missile dates the launch
        (
            "North Korea fired a missile that flew over Japan on Tuesday.",
            _at(16),
            "missile_launch",
            ["2018-11-13"],
        ),
        # a relative clause the parser hung on "the middle of" the exercise
        (
            "The ministers met in the middle of the annual Iron Shield exercise, which began on "
            "October 8.",
            _at(17, 10),
            "exercise",
            ["2018-10-08"],
        ),
        # a time noun phrase right after "launches of ..." dates the launches
        (
            "The senators condemned the North's three launches of cruise missiles last month.",
            _at(17, 10),
            "missile_launch",
            ["2018-09"],
        ),
    ],
)
def test_h1_dating_rules(
    nlp: Language, text: str, published: datetime, event_type: str, expected: list[str]
) -> None:
    assert dated(nlp, text, published, event_type) == expected


def test_h1_a_date_in_a_since_clause_is_not_the_meeting_s(nlp: Language) -> None:
    text = (
        "Lee, meeting Abe for the first time since Tokyo agreed in May to build the radar, "
        "said ties were strong."
    )
    assert "2018-05" not in dated(nlp, text, _at(12, 9), "meeting")


# -- h3: habits, history, captions, states and ongoing events -------------------------------

TUESDAY = datetime(2017, 7, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "The navy staged a drill on Monday. The drills are held twice a year, "
        "an officer told reporters on Tuesday.",
        "The navy staged a drill on Monday. The drills are held two or three times a year, "
        "an officer told reporters on Tuesday.",
    ],
)
def test_a_habit_has_no_date(nlp: Language, text: str) -> None:
    assert dated(nlp, text, TUESDAY, "exercise") == ["2017-07-03", "-"]


def test_acting_after_each_event_is_a_habit(nlp: Language) -> None:
    text = "Japan imposed sanctions on Monday. Washington has tightened sanctions after every test."
    assert dated(nlp, text, TUESDAY, "sanction") == ["2017-07-03", "-"]


def test_in_the_past_and_past_events_take_no_date(nlp: Language) -> None:
    text = (
        "The North conducted a nuclear test on Sunday. "
        "The gas has been tied to its nuclear tests in the past."
    )
    assert dated(nlp, text, TUESDAY, "nuclear_test") == ["2017-07-02", "-"]
    text = "The Security Council adopted sanctions on Monday. Critics say past sanctions were weak."
    assert dated(nlp, text, TUESDAY, "sanction") == ["2017-07-03", "-"]


def test_step_up_carries_sanctions_for_the_body_it_is_asked_of(nlp: Language) -> None:
    text = "The test on Sunday led the Security Council to step up sanctions against the North."
    found = [e for e in events(nlp, text, TUESDAY) if e.event_type == "sanction"]
    assert [(e.trigger, e.actors) for e in found] == [("step sanctions", ["org:unsc"])]


def test_being_under_sanctions_since_a_year_is_a_state_not_an_event(nlp: Language) -> None:
    # The labelling guide: a regime in force is a background state (checks.py).
    text = "Cuba has been under U.S. sanctions aimed at squeezing its leaders since 1962."
    assert dated(nlp, text, TUESDAY, "sanction") == []


def test_an_aim_in_the_infinitive_does_not_take_an_earlier_events_date(nlp: Language) -> None:
    text = (
        "The Security Council adopted sanctions on Monday. "
        "The minister denounced the attempts by Washington to impose sanctions on Pyongyang."
    )
    assert dated(nlp, text, TUESDAY, "sanction") == ["2017-07-03", "-"]


def test_an_event_going_on_when_reported_gets_the_month(nlp: Language) -> None:
    text = "The officials said on Tuesday that the two armies were holding drills near the border."
    assert dated(nlp, text, TUESDAY, "exercise") == ["2017-07"]


def test_photo_captions_date_what_they_show(nlp: Language) -> None:
    text = (
        "In this undated picture released by state media on Tuesday, "
        "a rocket is launched from a mobile launcher."
    )
    assert dated(nlp, text, TUESDAY, "missile_launch") == ["-"]
    text = "This picture, taken June 20, 2017, shows an interceptor battery being deployed."
    assert dated(nlp, text, TUESDAY, "deployment") == ["2017-06-20"]


def test_calling_a_resolution_names_it_and_does_not_date_it(nlp: Language) -> None:
    text = (
        "The Security Council adopted a resolution a week ago. "
        "North Korea on Tuesday called the resolution a brutal act of war."
    )
    assert dated(nlp, text, TUESDAY, "sanction") == ["2017-06-27", "2017-06-27"]


def test_those_drills_reported_as_done_are_the_ones_named(nlp: Language) -> None:
    text = (
        "The two navies began joint drills on Monday. "
        "Those drills were being held in the Yellow Sea, the ministry said."
    )
    assert dated(nlp, text, TUESDAY, "exercise") == ["2017-07-03", "2017-07-03"]


def test_earlier_than_only_compares_timing(nlp: Language) -> None:
    text = "The army started its winter drills three weeks earlier than last year, an officer said."
    assert dated(nlp, text, TUESDAY, "exercise") == ["2017-07-04"]


# -- h2: actors of enacted instruments, generic plurals, coordinated dates, other instances,
# -- detection verbs, anaphoric sanctions, home zones, "later Sunday" ----------------------


def test_sanctions_in_a_resolution_are_imposed_by_whoever_votes_it(nlp: Language) -> None:
    text = (
        "The launch came days after the Security Council voted in favour of a resolution "
        "toughening sanctions on North Korea."
    )
    sanction = [
        e
        for e in events(nlp, text, datetime(2017, 9, 15, 1, 0, tzinfo=UTC))
        if e.event_type == "sanction"
    ]
    assert [(e.actors[:1], e.event_date) for e in sanction] == [(["org:unsc"], "2017-09-11")]


def test_a_plural_noun_tagged_as_a_verb_is_still_a_generic_mention(nlp: Language) -> None:
    text = (
        "North Korea fired a missile on Friday. "
        "Beijing opposes DPRK ballistic missile launches against the resolutions, the minister said."
    )
    assert dated(nlp, text, datetime(2017, 9, 15, 1, 0, tzinfo=UTC), "missile_launch") == [
        "2017-09-15",
        "-",
    ]


def test_a_share_of_many_tests_has_no_date(nlp: Language) -> None:
    text = (
        "North Korea fired a rocket on Sunday. "
        "An analyst said that most of the country's rocket and missile tests had been failures."
    )
    assert dated(nlp, text, datetime(2016, 2, 7, 9, 0, tzinfo=UTC), "missile_launch") == [
        "2016-02-07",
        "-",
    ]


def test_a_hyphenated_participle_is_a_kind_of_weapon_not_a_launch(nlp: Language) -> None:
    text = "The country still relies on liquid-launched rockets, a dated technology."
    assert dated(nlp, text, datetime(2016, 2, 7, 9, 0, tzinfo=UTC), "missile_launch") == []


def test_coordinated_months_date_the_mention_by_both(nlp: Language) -> None:
    text = (
        "Residents were worried about the missile launches that took place in August and September."
    )
    assert dated(nlp, text, datetime(2017, 11, 6, 4, 0, tzinfo=UTC), "missile_launch") == ["2017"]


def test_a_date_of_the_one_compared_with_is_not_the_trigger_s(nlp: Language) -> None:
    text = "It said that it had fired a Kwangmyongsong-4, a newer satellite than the one launched three years ago."
    found = dated(nlp, text, datetime(2016, 2, 7, 9, 0, tzinfo=UTC), "missile_launch")
    assert found and "2013" not in found


def test_a_test_confirmed_on_a_day_took_place_that_day(nlp: Language) -> None:
    text = "Officials have confirmed another missile test by North Korea on Friday morning."
    thursday_evening_in_america = datetime(2017, 9, 14, 0, 0, tzinfo=UTC)
    assert dated(nlp, text, thursday_evening_in_america, "missile_launch") == ["2017-09-15"]


def test_these_sanctions_are_the_ones_just_reported(nlp: Language) -> None:
    text = (
        "The council passed new sanctions on Pyongyang on Monday. "
        "The North has warned of retaliation for these sanctions."
    )
    found = dated(nlp, text, datetime(2017, 9, 14, 12, 0, tzinfo=UTC), "sanction")
    assert found == ["2017-09-11", "2017-09-11"]


def test_leaders_meeting_at_home_are_dated_by_their_clock(nlp: Language) -> None:
    text = "Seoul and Tokyo held emergency security meetings after the launch."
    context = ArticleContext(
        "article-1", datetime(2016, 2, 5, 22, 0, tzinfo=UTC), "datetime", dateline="Washington"
    )
    meetings = [e for e in extract_events(nlp(text), context) if e.event_type == "meeting"]
    assert [e.event_date for e in meetings] == ["2016-02-06"]


def test_later_and_earlier_with_a_weekday_point_forward_and_back() -> None:
    saturday = datetime(2016, 2, 6, 12, 0, tzinfo=UTC)
    assert resolve_event_date("later Sunday", saturday, "datetime").value == "2016-02-07"
    assert resolve_event_date("earlier Friday", saturday, "datetime").value == "2016-02-05"


# -- lead: last round ------------------------------------------------------------------------


def test_days_after_without_a_count_moves_no_date(nlp: Language) -> None:
    text = (
        "North Korea fired a missile on Friday. It comes just days after the United "
        "Nations Security Council passed sanctions on Pyongyang."
    )
    found = dated(nlp, text, datetime(2017, 9, 15, 3, 0, tzinfo=UTC), "sanction")
    assert found != ["2017-09-14"]


def test_a_prompted_consequence_does_not_share_the_cause_s_date(nlp: Language) -> None:
    text = (
        "North Korea conducted its sixth nuclear test on Sept. 3, prompting the U.N. "
        "Security Council to step up sanctions."
    )
    found = dated(nlp, text, datetime(2017, 9, 13, tzinfo=UTC), "sanction")
    assert "2017-09-03" not in found


def test_a_rejected_resolution_still_happened(nlp: Language) -> None:
    text = "North Korea has rejected the UN resolution as a plot led by the United States."
    found = [e for e in events(nlp, text, datetime(2016, 12, 2, tzinfo=UTC))]
    assert [e.modality for e in found if e.event_type == "sanction"] == ["asserted"]


def test_the_un_resolution_is_not_dated_like_another_party_s_sanctions(nlp: Language) -> None:
    text = (
        "South Korea and Japan announced new unilateral sanctions on North Korea on Friday. "
        "North Korea has rejected the UN resolution as a plot."
    )
    found = dated(nlp, text, datetime(2016, 12, 2, 9, 0, tzinfo=UTC), "sanction")
    assert found[0] == "2016-12-02" and found[-1] != "2016-12-02"


def test_the_first_successful_satellite_launch_is_the_first_to_reach_orbit(
    nlp: Language,
) -> None:
    text = "Experts said it was the first successful satellite launch by North Korea."
    found = dated(nlp, text, datetime(2016, 2, 7, tzinfo=UTC), "missile_launch")
    assert found == ["2012-12-12"]


def test_a_national_security_council_is_not_the_un_security_council(nlp: Language) -> None:
    text = "Seoul held a National Security Council meeting on Friday."
    found = [e for e in events(nlp, text, datetime(2017, 11, 2, tzinfo=UTC))]
    # Not the UN body meeting: Seoul's own council, one government's meeting and no event
    # between parties (checks.py).
    assert not any("org:unsc" in e.actors for e in found)
    assert [e for e in found if e.event_type == "meeting"] == []


# -- h4: pronoun number, sentence-opening dates, counted events, presupposed topics -----------


def test_a_singular_pronoun_does_not_take_a_plural_reporter_as_antecedent(nlp: Language) -> None:
    text = (
        "North Korea launched a rocket on Sunday. Japanese experts said the rocket resembled "
        "the model the North flew in December 2012, when it put its first satellite into orbit."
    )
    found = [e for e in events(nlp, text, datetime(2016, 2, 8, tzinfo=UTC))]
    orbit = [e for e in found if e.trigger == "put"]
    assert [(e.actors, e.event_date) for e in orbit] == [(["country:PRK"], "2012-12-12")]


def test_a_date_opening_the_sentence_dates_a_participle_on_its_subject(nlp: Language) -> None:
    text = (
        "The talks ended on Friday. Late last month, a rocket fired by the North splashed "
        "down near the coast."
    )
    found = dated(nlp, text, datetime(2016, 9, 10, tzinfo=UTC), "missile_launch")
    assert found == ["2016-08"]


def test_a_support_verb_carries_the_events_its_measure_noun_counts(nlp: Language) -> None:
    text = "The two armies held a second round of joint drills near the border in May 2014."
    assert dated(nlp, text, None, "exercise") == ["2014-05"]


def test_a_day_possessive_on_the_subject_dates_the_verb_s_event(nlp: Language) -> None:
    text = "Analysts are still debating whether Tuesday's missile flew on a lofted path."
    found = dated(nlp, text, datetime(2017, 5, 18, 6, 0, tzinfo=UTC), "missile_launch")
    assert found == ["2017-05-16"]


def test_a_trailing_date_is_shared_by_a_coordinated_verb_with_no_date(nlp: Language) -> None:
    text = (
        "The minister said Pyongyang had conducted a nuclear test and fired 15 missiles this year."
    )
    found = [e for e in events(nlp, text, datetime(2016, 10, 3, tzinfo=UTC))]
    assert [e.event_date for e in found if e.event_type == "nuclear_test"] == ["2016"]


def test_a_perfect_with_until_now_is_a_history_with_no_date(nlp: Language) -> None:
    text = (
        "North Korea fired a missile on Monday. The site is unusual, as the army had "
        "until now tested its rockets near the capital."
    )
    found = dated(nlp, text, datetime(2016, 6, 21, tzinfo=UTC), "missile_launch")
    assert found == ["2016-06-20", "-"]


def test_a_definite_event_as_topic_of_a_warning_is_not_framed_by_it(nlp: Language) -> None:
    text = (
        "The allies started their spring exercise on Tuesday. Pyongyang warned that staging "
        "the exercise would be an act of war."
    )
    found = [e for e in events(nlp, text, datetime(2017, 3, 8, tzinfo=UTC))]
    drills = [(e.modality, e.event_date) for e in found if e.event_type == "exercise"]
    assert drills == [("asserted", "2017-03-07"), ("asserted", "2017-03-07")]


# -- h5: states, habits in the simple present, counted parts, the nearest antecedent -----------


def test_the_presence_of_forces_dated_only_by_the_news_day_gets_the_month(
    nlp: Language,
) -> None:
    text = (
        "Two American jets flew over the border area, the air force said. "
        "Pyongyang said the presence of the carrier groups raised tension."
    )
    found = dated(nlp, text, datetime(2018, 3, 14, tzinfo=UTC), "deployment")
    assert found[-1] == "2018-03"


def test_a_support_verb_in_the_simple_present_with_a_bare_plural_is_generic(
    nlp: Language,
) -> None:
    text = (
        "North Korea carried out a nuclear test on Tuesday. "
        "The region stays unstable wherever you have nuclear tests, the envoy said."
    )
    found = dated(nlp, text, datetime(2019, 5, 9, tzinfo=UTC), "nuclear_test")
    assert found == ["2019-05-07", "-"]


def test_a_period_after_an_ordinal_part_of_a_series_is_the_count_s_scope(
    nlp: Language,
) -> None:
    text = (
        "Russia and China held naval drills on Tuesday. "
        "Those drills are the second part of joint naval exercises this year."
    )
    found = dated(nlp, text, datetime(2019, 5, 9, tzinfo=UTC), "exercise")
    assert found == ["2019-05-07", "2019-05-07"]


def test_the_launch_right_after_an_older_dated_launch_is_that_launch(nlp: Language) -> None:
    text = (
        "North Korea launched a rocket on Sunday. "
        "On March 3, 2011, it conducted a similar launch that it called a success. "
        "But foreign governments said the launch was a failure."
    )
    found = dated(nlp, text, datetime(2019, 2, 10, tzinfo=UTC), "missile_launch")
    assert found[-1] == "2011-03-03"


def test_a_new_paragraph_or_the_latest_launch_goes_back_to_the_news(nlp: Language) -> None:
    older = "North Korea launched a rocket on Sunday. In April 2011 it made a similar launch."
    published = datetime(2019, 2, 10, tzinfo=UTC)
    after_break = dated(nlp, older + "\n\nThe launch was condemned.", published, "missile_launch")
    latest = dated(nlp, older + " The latest launch was condemned.", published, "missile_launch")
    assert after_break[-1] == "2019-02-10" and latest[-1] == "2019-02-10"


def test_an_event_vaguely_days_before_a_dated_clause_does_not_take_its_day(
    nlp: Language,
) -> None:
    text = "The allies opened their drills on Tuesday, only days after Pyongyang fired a rocket."
    found = dated(nlp, text, datetime(2019, 5, 9, tzinfo=UTC), "missile_launch")
    assert found == ["-"]


def test_a_country_s_own_sanctions_are_not_dated_from_the_un_catalogue(nlp: Language) -> None:
    text = "The United States imposed new sanctions on North Korea in September."
    found = dated(nlp, text, datetime(2017, 11, 1, tzinfo=UTC), "sanction")
    assert found == ["2017-09"]  # not 2017-09-11, the Security Council's resolution 2375


# -- a11date: talks and drills going on as the article is written ---------------------------


def month_dated(nlp: Language, text: str, event_type: str) -> list[str]:
    """Dates of one type in an article known only to its month (October 2017)."""
    context = ArticleContext("article-1", datetime(2017, 10, 1, tzinfo=UTC), "month")
    return [
        e.event_date or "-"
        for e in extract_events(nlp(text), context)
        if e.event_type == event_type
    ]


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Talks between the two Koreas are currently underway at the border village.", "meeting"),
        ("The talks are under way.", "meeting"),
        ("The envoys said consultations are currently going on among the allies.", "meeting"),
        ("The foreign minister is making his third visit to Beijing this year.", "meeting"),
        ("The North denounced the ongoing joint drills between Seoul and Washington.", "exercise"),
        ("The drills are being held near the border.", "exercise"),
    ],
)
def test_talks_or_drills_going_on_at_publication_take_its_month(
    nlp: Language, text: str, event_type: str
) -> None:
    assert month_dated(nlp, text, event_type) == ["2017-10"]


def test_ongoing_drills_take_the_day_they_began_when_the_article_gives_it(
    nlp: Language,
) -> None:
    text = "The allies began their joint drills on Monday. The ongoing drills angered Pyongyang."
    found = dated(nlp, text, datetime(2017, 8, 23, 1, 0, tzinfo=UTC), "exercise")
    assert found == ["2017-08-21", "2017-08-21"]


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        # many launches, not one event going on
        ("The North has carried out an ongoing series of missile tests.", "missile_launch"),
        # an open-ended process
        ("Moscow and Washington are continuing a dialogue on the nuclear deal.", "meeting"),
        # a habit
        ("The allies are conducting joint drills regularly.", "exercise"),
        # a time of its own that the month of publication cannot read
        ("The two sides are meeting next week in Geneva.", "meeting"),
    ],
)
def test_series_processes_habits_and_unread_times_are_not_going_on_now(
    nlp: Language, text: str, event_type: str
) -> None:
    assert month_dated(nlp, text, event_type) == ["-"]


# -- a11date: "the latest" of a catalogued series in an article dated to its month ----------


def dated_in_month(nlp: Language, text: str, year: int, month: int, event_type: str) -> list[str]:
    context = ArticleContext("article-1", datetime(year, month, 1, tzinfo=UTC), "month")
    found = extract_events(nlp(text), context)
    return [e.event_date or "-" for e in found if e.event_type == event_type]


@pytest.mark.parametrize(
    ("text", "year", "month", "event_type", "expected"),
    [
        # no nuclear test in October 2016: the latest is the fifth, 9 September 2016
        ("The regime criticized its latest nuclear test.", 2016, 10, "nuclear_test", "2016-09-09"),
        # no Security Council sanctions in October 2016: Resolution 2270 of 2 March 2016
        (
            "Seoul supports the latest U.N. sanctions against Pyongyang.",
            2016,
            10,
            "sanction",
            "2016-03-02",
        ),
        # "latest" on the head of "sanctions resolution": Resolution 2375 of 11 September
        (
            "The ministry is implementing the latest U.N. Security Council sanctions resolution.",
            2017,
            10,
            "sanction",
            "2017-09-11",
        ),
        # the ICBM series: 28 July 2017 was the last ICBM launch before August 2017
        (
            "Tensions rose after the North's latest launch of an intercontinental ballistic "
            "missile.",
            2017,
            8,
            "missile_launch",
            "2017-07-28",
        ),
    ],
)
def test_the_latest_of_a_series_before_the_publication_month(
    nlp: Language, text: str, year: int, month: int, event_type: str, expected: str
) -> None:
    assert dated_in_month(nlp, text, year, month, event_type) == [expected]


@pytest.mark.parametrize(
    ("text", "year", "month", "event_type"),
    [
        # September 2016 holds a test (the 9th): written before or after it, no telling
        ("The regime criticized its latest nuclear test.", 2016, 9, "nuclear_test"),
        # launches in general are no complete series
        ("Tensions rose after the North's latest missile launch.", 2017, 8, "missile_launch"),
    ],
)
def test_the_latest_stays_undated_when_the_month_or_the_series_leaves_it_open(
    nlp: Language, text: str, year: int, month: int, event_type: str
) -> None:
    assert dated_in_month(nlp, text, year, month, event_type) == ["-"]


def test_the_latest_un_sanctions_reach_back_past_a_month_in_a_dated_article(
    nlp: Language,
) -> None:
    text = "Seoul supports the latest U.N. sanctions against Pyongyang."
    assert dated(nlp, text, datetime(2017, 10, 20, tzinfo=UTC), "sanction") == ["2017-09-11"]


def test_recent_tests_in_the_plural_are_several_events_with_no_one_day(nlp: Language) -> None:
    text = "Tensions were sparked by the North's recent nuclear tests."
    assert dated_in_month(nlp, text, 2017, 10, "nuclear_test") == ["-"]


# -- dates carried from another mention of the type (issue #11) -------------------------------

AFTER_TUESDAY = datetime(2017, 8, 29, 6, 0, tzinfo=UTC)


def test_a_mention_in_a_sentence_set_in_an_older_year_takes_no_carried_day(
    nlp: Language,
) -> None:
    text = (
        "North Korea fired a ballistic missile over Japan on Tuesday. The engineer rose after "
        "playing a role in the North's launch of a rocket in 2012."
    )
    assert dated(nlp, text, AFTER_TUESDAY, "missile_launch") == ["2017-08-29", "-"]


@pytest.mark.parametrize(
    "second",
    [
        # a bound compares the news with history: the mention is the news
        "It was the first time a North Korean missile flew over Japan since 2009.",
        # "the latest" is the newest launch, whatever older year the sentence names
        "The House bill had been introduced in 2015 but was brought to a vote only after "
        "the latest launch.",
        # a day with no year may be the coming one: no older year is stated
        "The launch came ahead of the anniversary of the party's founding on Oct. 10.",
        # the older year is another launch's, compared with this one
        "It said that it had fired a newer satellite than the one launched three years ago.",
    ],
)
def test_a_bound_or_the_latest_keeps_the_carried_day(nlp: Language, second: str) -> None:
    text = f"North Korea fired a ballistic missile over Japan on Tuesday. {second}"
    assert dated(nlp, text, AFTER_TUESDAY, "missile_launch") == ["2017-08-29", "2017-08-29"]
