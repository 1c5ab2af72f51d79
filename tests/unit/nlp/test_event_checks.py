"""Checks that keep background states and one-sided "meetings" off the timeline
(flashpoint/nlp/events/checks.py). Sentences are written for these tests; the pattern tests
build their Docs from a given parse, so a model change cannot move what they test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from spacy.lang.en import English
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.nlp.events import extract_events
from flashpoint.nlp.events.checks import (
    BackgroundStates,
    PatternError,
    default_background_states,
    is_meeting_of_parties,
    joint_parties,
)
from flashpoint.nlp.events.public_record import not_yet_on_record
from flashpoint.nlp.events.records import EventRecord
from flashpoint.schema import ArticleContext

MONDAY = datetime(2017, 9, 4, 9, 0, tzinfo=UTC)


def parsed(words: list[str], heads: list[int], deps: list[str], lemmas: list[str]) -> Doc:
    return Doc(English().vocab, words=words, heads=heads, deps=deps, lemmas=lemmas)


def found(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    context = ArticleContext("article-1", MONDAY, "datetime")
    return [(e.event_type, e.modality) for e in extract_events(doc, context)]


# -- background states, on given parses -----------------------------------------------------


def test_a_violation_of_resolutions_names_a_norm_not_an_act() -> None:
    # "The test was a violation of UN resolutions ."
    doc = parsed(
        ["The", "test", "was", "a", "violation", "of", "UN", "resolutions", "."],
        [1, 2, 2, 4, 2, 4, 7, 5, 2],
        ["det", "nsubj", "ROOT", "det", "attr", "prep", "compound", "pobj", "punct"],
        ["the", "test", "be", "a", "violation", "of", "UN", "resolution", "."],
    )
    assert default_background_states().tokens(doc) == {7}


def test_being_under_sanctions_and_defying_them_are_states() -> None:
    # "Pyongyang is under sanctions ." / "Pyongyang defied the sanctions ."
    under = parsed(
        ["Pyongyang", "is", "under", "sanctions", "."],
        [1, 1, 1, 2, 1],
        ["nsubj", "ROOT", "prep", "pobj", "punct"],
        ["Pyongyang", "be", "under", "sanction", "."],
    )
    defied = parsed(
        ["Pyongyang", "defied", "the", "sanctions", "."],
        [1, 1, 3, 1, 1],
        ["nsubj", "ROOT", "det", "dobj", "punct"],
        ["Pyongyang", "defy", "the", "sanction", "."],
    )
    assert default_background_states().tokens(under) == {3}
    assert default_background_states().tokens(defied) == {3}


def test_imposing_and_adopting_are_acts() -> None:
    # "The council imposed sanctions ." / "The council adopted a resolution ."
    imposed = parsed(
        ["The", "council", "imposed", "sanctions", "."],
        [1, 2, 2, 2, 2],
        ["det", "nsubj", "ROOT", "dobj", "punct"],
        ["the", "council", "impose", "sanction", "."],
    )
    adopted = parsed(
        ["The", "council", "adopted", "a", "resolution", "."],
        [1, 2, 2, 4, 2, 2],
        ["det", "nsubj", "ROOT", "det", "dobj", "punct"],
        ["the", "council", "adopt", "a", "resolution", "."],
    )
    assert default_background_states().tokens(imposed) == set()
    assert default_background_states().tokens(adopted) == set()


def test_resolutions_that_prohibit_acts_are_the_standing_norm() -> None:
    # "UN resolutions ban the North from testing ." / "Resolution 2371 banned coal exports ."
    words = ["UN", "resolutions", "ban", "the", "North", "from", "testing", "."]
    norms = Doc(
        English().vocab,
        words=words,
        heads=[1, 2, 2, 4, 2, 2, 5, 2],
        deps=["compound", "nsubj", "ROOT", "det", "dobj", "prep", "pcomp", "punct"],
        lemmas=["UN", "resolution", "ban", "the", "North", "from", "test", "."],
    )
    one = Doc(
        English().vocab,
        words=["Resolution", "2371", "banned", "coal", "exports", "."],
        heads=[2, 0, 2, 4, 2, 2],
        deps=["nsubj", "nummod", "ROOT", "compound", "dobj", "punct"],
        lemmas=["resolution", "2371", "ban", "coal", "export", "."],
    )
    # "Firms drill in areas prohibited by sanctions ."
    prohibited = parsed(
        ["Firms", "drill", "in", "areas", "prohibited", "by", "sanctions", "."],
        [1, 1, 1, 2, 3, 4, 5, 1],
        ["nsubj", "ROOT", "prep", "pobj", "acl", "agent", "pobj", "punct"],
        ["firm", "drill", "in", "area", "prohibit", "by", "sanction", "."],
    )
    assert default_background_states().tokens(norms) == {1}
    assert default_background_states().tokens(one) == set()
    assert default_background_states().tokens(prohibited) == {6}


def test_a_resolution_to_a_problem_is_a_settlement() -> None:
    # "They seek a peaceful resolution to the issue ."
    doc = parsed(
        ["They", "seek", "a", "peaceful", "resolution", "to", "the", "issue", "."],
        [1, 1, 4, 4, 1, 4, 7, 5, 1],
        ["nsubj", "ROOT", "det", "amod", "dobj", "prep", "det", "pobj", "punct"],
        ["they", "seek", "a", "peaceful", "resolution", "to", "the", "issue", "."],
    )
    assert default_background_states().tokens(doc) == {4}


def test_forces_a_country_keeps_somewhere_are_a_standing_state() -> None:
    # "Washington keeps 50,000 troops stationed in Japan ."
    kept = parsed(
        ["Washington", "keeps", "50,000", "troops", "stationed", "in", "Japan", "."],
        [1, 1, 3, 1, 3, 4, 5, 1],
        ["nsubj", "ROOT", "nummod", "dobj", "acl", "prep", "pobj", "punct"],
        ["Washington", "keep", "50,000", "troop", "station", "in", "Japan", "."],
    )
    # "Seoul fears China 's military presence ."
    presence = parsed(
        ["Seoul", "fears", "China", "'s", "military", "presence", "."],
        [1, 1, 5, 2, 5, 1, 1],
        ["nsubj", "ROOT", "poss", "case", "amod", "dobj", "punct"],
        ["Seoul", "fear", "China", "'s", "military", "presence", "."],
    )
    assert default_background_states().tokens(kept) == {4}
    assert default_background_states().tokens(presence) == {5}


def test_stationing_forces_and_the_presence_of_particular_ones_are_acts() -> None:
    # "Washington stationed troops in Japan ." / "the presence of the carriers raised tension"
    stationed = parsed(
        ["Washington", "stationed", "troops", "in", "Japan", "."],
        [1, 1, 1, 1, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["Washington", "station", "troop", "in", "Japan", "."],
    )
    presence = parsed(
        ["the", "presence", "of", "the", "carriers", "raised", "tension"],
        [1, 5, 1, 4, 2, 5, 5],
        ["det", "nsubj", "prep", "det", "pobj", "ROOT", "dobj"],
        ["the", "presence", "of", "the", "carrier", "raise", "tension"],
    )
    assert default_background_states().tokens(stationed) == set()
    assert default_background_states().tokens(presence) == set()


def tagged(
    words: list[str], heads: list[int], deps: list[str], lemmas: list[str], tags: list[str]
) -> Doc:
    return Doc(English().vocab, words=words, heads=heads, deps=deps, lemmas=lemmas, tags=tags)


def test_sanctions_a_country_is_under_or_faces_are_a_state() -> None:
    # "Pyongyang lives under layers of sanctions ."
    layers = parsed(
        ["Pyongyang", "lives", "under", "layers", "of", "sanctions", "."],
        [1, 1, 1, 2, 3, 4, 1],
        ["nsubj", "ROOT", "prep", "pobj", "prep", "pobj", "punct"],
        ["Pyongyang", "live", "under", "layer", "of", "sanction", "."],
    )
    # "Trade fell in the face of tightening sanctions ."
    face = parsed(
        ["Trade", "fell", "in", "the", "face", "of", "tightening", "sanctions", "."],
        [1, 1, 1, 4, 2, 4, 5, 6, 1],
        ["nsubj", "ROOT", "prep", "det", "pobj", "prep", "pcomp", "dobj", "punct"],
        ["trade", "fall", "in", "the", "face", "of", "tighten", "sanction", "."],
    )
    # "It tested a bomb in defiance of warnings and sanctions ."
    defied = parsed(
        ["It", "tested", "a", "bomb", "in", "defiance", "of", "warnings", "and", "sanctions", "."],
        [1, 1, 3, 1, 1, 4, 5, 6, 7, 7, 1],
        ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "prep", "pobj", "cc", "conj", "punct"],
        ["it", "test", "a", "bomb", "in", "defiance", "of", "warning", "and", "sanction", "."],
    )
    # "Tokyo maintains sanctions on Moscow ."
    kept = parsed(
        ["Tokyo", "maintains", "sanctions", "on", "Moscow", "."],
        [1, 1, 1, 2, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["Tokyo", "maintain", "sanction", "on", "Moscow", "."],
    )
    # "Banks avoid the sanctioned firms ."
    sanctioned = tagged(
        ["Banks", "avoid", "the", "sanctioned", "firms", "."],
        [1, 1, 4, 4, 1, 1],
        ["nsubj", "ROOT", "det", "amod", "dobj", "punct"],
        ["bank", "avoid", "the", "sanction", "firm", "."],
        ["NNS", "VBP", "DT", "VBN", "NNS", "."],
    )
    states = default_background_states()
    assert states.tokens(layers) == {5}
    assert states.tokens(face) == {7}
    assert states.tokens(defied) == {9}
    assert states.tokens(kept) == {2}
    assert states.tokens(sanctioned) == {3}


def test_carrying_out_lifting_or_monitoring_sanctions_imposes_none() -> None:
    # "Members must carry out the sanctions ."
    carried = parsed(
        ["Members", "must", "carry", "out", "the", "sanctions", "."],
        [2, 2, 2, 2, 5, 2, 2],
        ["nsubj", "aux", "ROOT", "prt", "det", "dobj", "punct"],
        ["member", "must", "carry", "out", "the", "sanction", "."],
    )
    # "The council lifted its sanctions on Iran ."
    lifted = parsed(
        ["The", "council", "lifted", "its", "sanctions", "on", "Iran", "."],
        [1, 2, 2, 4, 2, 4, 5, 2],
        ["det", "nsubj", "ROOT", "poss", "dobj", "prep", "pobj", "punct"],
        ["the", "council", "lift", "its", "sanction", "on", "Iran", "."],
    )
    # "Sanctions on the bank were eased ."
    eased = parsed(
        ["Sanctions", "on", "the", "bank", "were", "eased", "."],
        [5, 0, 3, 1, 5, 5, 5],
        ["nsubjpass", "prep", "det", "pobj", "auxpass", "ROOT", "punct"],
        ["sanction", "on", "the", "bank", "be", "ease", "."],
    )
    # "Trade grew after the lifting of the embargo ."
    lifting = parsed(
        ["Trade", "grew", "after", "the", "lifting", "of", "the", "embargo", "."],
        [1, 1, 1, 4, 2, 4, 7, 5, 1],
        ["nsubj", "ROOT", "prep", "det", "pobj", "prep", "det", "pobj", "punct"],
        ["trade", "grow", "after", "the", "lifting", "of", "the", "embargo", "."],
    )
    # "A panel monitors the sanctions ."
    monitored = parsed(
        ["A", "panel", "monitors", "the", "sanctions", "."],
        [1, 2, 2, 4, 2, 2],
        ["det", "nsubj", "ROOT", "det", "dobj", "punct"],
        ["a", "panel", "monitor", "the", "sanction", "."],
    )
    # "Iran won relief from sanctions ."
    relief = parsed(
        ["Iran", "won", "relief", "from", "sanctions", "."],
        [1, 1, 1, 2, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["Iran", "win", "relief", "from", "sanction", "."],
    )
    states = default_background_states()
    assert states.tokens(carried) == {5}
    assert states.tokens(lifted) == {4}
    assert states.tokens(eased) == {0}
    assert states.tokens(lifting) == {7}
    assert states.tokens(monitored) == {4}
    assert states.tokens(relief) == {4}


def test_carrying_out_a_test_or_imposing_a_ban_stays_an_act() -> None:
    # "The council carried the resolution ." (no particle: passing it, kept)
    passed = parsed(
        ["The", "council", "carried", "the", "resolution", "."],
        [1, 2, 2, 4, 2, 2],
        ["det", "nsubj", "ROOT", "det", "dobj", "punct"],
        ["the", "council", "carry", "the", "resolution", "."],
    )
    # "China imposed a ban on coal ."
    imposed = parsed(
        ["China", "imposed", "a", "ban", "on", "coal", "."],
        [1, 1, 3, 1, 3, 4, 1],
        ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        ["China", "impose", "a", "ban", "on", "coal", "."],
    )
    states = default_background_states()
    assert states.tokens(passed) == set()
    assert states.tokens(imposed) == set()


def test_whatever_measures_may_be_needed_are_no_sanctions_package() -> None:
    # "Tokyo took all possible measures ."
    every = parsed(
        ["Tokyo", "took", "all", "possible", "measures", "."],
        [1, 1, 4, 4, 1, 1],
        ["nsubj", "ROOT", "det", "amod", "dobj", "punct"],
        ["Tokyo", "take", "all", "possible", "measure", "."],
    )
    # "Seoul will take necessary measures ."
    fitting = parsed(
        ["Seoul", "will", "take", "necessary", "measures", "."],
        [2, 2, 2, 4, 2, 2],
        ["nsubj", "aux", "ROOT", "amod", "dobj", "punct"],
        ["Seoul", "will", "take", "necessary", "measure", "."],
    )
    # "The council adopted the strongest possible measures ." (a package: kept)
    strongest = parsed(
        ["The", "council", "adopted", "the", "strongest", "possible", "measures", "."],
        [1, 2, 2, 6, 6, 6, 2, 2],
        ["det", "nsubj", "ROOT", "det", "amod", "amod", "dobj", "punct"],
        ["the", "council", "adopt", "the", "strong", "possible", "measure", "."],
    )
    states = default_background_states()
    assert states.tokens(every) == {4}
    assert states.tokens(fitting) == {4}
    assert states.tokens(strongest) == set()


def test_a_new_round_of_sanctions_is_still_an_act() -> None:
    # "The Council adopted a round of sanctions ." (no state preposition above it)
    adopted = parsed(
        ["The", "Council", "adopted", "a", "round", "of", "sanctions", "."],
        [1, 2, 2, 4, 2, 4, 5, 2],
        ["det", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        ["the", "Council", "adopt", "a", "round", "of", "sanction", "."],
    )
    assert default_background_states().tokens(adopted) == set()


def test_forces_stationed_somewhere_now_are_a_standing_state() -> None:
    # "Soldiers stationed in Korea make maps ."
    described = tagged(
        ["Soldiers", "stationed", "in", "Korea", "make", "maps", "."],
        [4, 0, 1, 2, 4, 4, 4],
        ["nsubj", "acl", "prep", "pobj", "ROOT", "dobj", "punct"],
        ["soldier", "station", "in", "Korea", "make", "map", "."],
        ["NNS", "VBN", "IN", "NNP", "VBP", "NNS", "."],
    )
    # "28,500 troops are stationed in Korea ."
    now = tagged(
        ["28,500", "troops", "are", "stationed", "in", "Korea", "."],
        [1, 3, 3, 3, 3, 4, 3],
        ["nummod", "nsubjpass", "auxpass", "ROOT", "prep", "pobj", "punct"],
        ["28,500", "troop", "be", "station", "in", "Korea", "."],
        ["CD", "NNS", "VBP", "VBN", "IN", "NNP", "."],
    )
    states = default_background_states()
    assert states.tokens(described) == {1}
    assert states.tokens(now) == {3}


def test_forces_that_were_stationed_or_that_there_are_stationed_are_acts() -> None:
    # "2,000 troops were stationed in Korea ."
    past = tagged(
        ["2,000", "troops", "were", "stationed", "in", "Korea", "."],
        [1, 3, 3, 3, 3, 4, 3],
        ["nummod", "nsubjpass", "auxpass", "ROOT", "prep", "pobj", "punct"],
        ["2,000", "troop", "be", "station", "in", "Korea", "."],
        ["CD", "NNS", "VBD", "VBN", "IN", "NNP", "."],
    )
    # "There were two launchers stationed in the county ."
    there = tagged(
        ["There", "were", "two", "launchers", "stationed", "in", "the", "county", "."],
        [1, 1, 3, 1, 3, 4, 7, 5, 1],
        ["expl", "ROOT", "nummod", "attr", "acl", "prep", "det", "pobj", "punct"],
        ["there", "be", "two", "launcher", "station", "in", "the", "county", "."],
        ["EX", "VBD", "CD", "NNS", "VBN", "IN", "DT", "NN", "."],
    )
    states = default_background_states()
    assert states.tokens(past) == set()
    assert states.tokens(there) == set()


def test_an_event_noun_naming_a_kind_of_place_is_no_event() -> None:
    # "Satellites watch the test site ." / "Seoul confirmed the deployment site ."
    site = parsed(
        ["Satellites", "watch", "the", "test", "site", "."],
        [1, 1, 4, 4, 1, 1],
        ["nsubj", "ROOT", "det", "compound", "dobj", "punct"],
        ["satellite", "watch", "the", "test", "site", "."],
    )
    deployment = parsed(
        ["Seoul", "confirmed", "the", "deployment", "site", "."],
        [1, 1, 4, 4, 1, 1],
        ["nsubj", "ROOT", "det", "compound", "dobj", "punct"],
        ["Seoul", "confirm", "the", "deployment", "site", "."],
    )
    states = default_background_states()
    assert states.tokens(site) == {3}
    assert states.tokens(deployment) == set()


def test_patterns_must_name_the_trigger_node_first() -> None:
    with pytest.raises(PatternError, match="first node must be 'trigger'"):
        BackgroundStates([{"id": "x", "pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {}}]}])
    with pytest.raises(PatternError, match="needs an 'id'"):
        BackgroundStates([{"pattern": []}])


# -- meetings take two parties -----------------------------------------------------------------


def meeting(actors: list[str], participants: list[str] | None = None) -> EventRecord:
    return EventRecord(
        "e", "a", 0, 0, 10, "meeting", "met", actors=actors, participants=participants or []
    )


def test_one_country_alone_holds_no_meeting_of_parties() -> None:
    assert not is_meeting_of_parties(meeting(["country:KOR"]))
    # A national organ counts as its country: still one party.
    assert not is_meeting_of_parties(meeting(["country:KOR", "org:kr-nsc"]))


def test_two_countries_a_host_abroad_or_a_multilateral_body_make_a_meeting() -> None:
    assert is_meeting_of_parties(meeting(["country:JPN", "country:RUS"]))
    assert is_meeting_of_parties(meeting(["country:USA"]), host="country:CHN")
    assert is_meeting_of_parties(meeting(["org:unsc"]))
    assert is_meeting_of_parties(meeting(["country:KOR"]), two_sides_in_parse=True)
    # Only where it was held, no party of its own: nothing to go on, kept.
    assert is_meeting_of_parties(meeting(["country:JPN"]), host="country:JPN")


# -- through the extractor, on sentences parsed by the model -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The foreign ministry called the launch a clear violation of UN resolutions.",
        "North Korea has fired dozens of missiles in defiance of U.N. sanctions.",
        "China said it had strictly enforced the Security Council resolutions.",
        "Officials said the new sanctions would not work.",
        "UN Security Council resolutions ban Pyongyang from testing ballistic missiles.",
        "Several U.N. resolutions have prohibited the North from conducting nuclear tests.",
        "The test was inconsistent with UN Resolution 1718.",
    ],
)
def test_norms_named_in_passing_are_no_sanction_events(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "sanction"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Pyongyang fears an attack by the United States, which has 28,500 troops stationed "
        "in South Korea.",
        "Seoul is worried about China's growing military presence in the region.",
    ],
)
def test_forces_kept_as_a_standing_fact_are_no_deployment(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "deployment"] == []


@pytest.mark.parametrize(
    "text",
    [
        "North Korea, which is under layers of international sanctions, held a party congress.",
        "Exports fell in the face of tightening American sanctions.",
        "Banks must stop dealing with the sanctioned entities.",
        "Japan maintains sanctions on Russia over the Ukraine conflict.",
        "The council urged member states to carry out the sanctions on Pyongyang.",
        "Investment poured in after the United Nations lifted its sanctions on Iran.",
        "Beijing refused to ease its sanctions against the North.",
        "Trade recovered following the lifting of international sanctions.",
        "Tehran agreed to curb its nuclear work in return for relief from economic sanctions.",
    ],
)
def test_sanctions_as_a_standing_state_are_no_sanction_events(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "sanction"] == []


@pytest.mark.parametrize(
    "text",
    [
        "The United States imposed sanctions on Monday. Japan tracked the missile and took "
        "all possible measures.",
        "The United States imposed sanctions on Monday. Seoul said it would take necessary "
        "measures to protect its citizens.",
    ],
)
def test_whatever_measures_are_needed_are_no_sanction_event(nlp: Language, text: str) -> None:
    context = ArticleContext("article-1", MONDAY, "datetime")
    triggers = [e.trigger for e in extract_events(nlp(text), context) if e.event_type == "sanction"]
    assert triggers == ["imposed sanctions"]


@pytest.mark.parametrize(
    "text",
    [
        "About 28,500 U.S. troops are stationed in South Korea.",
        "U.S. soldiers stationed in South Korea have been making maps of the North's tunnels.",
    ],
)
def test_troops_stationed_as_a_standing_fact_are_no_deployment(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "deployment"] == []


def test_a_test_site_is_no_nuclear_test(nlp: Language) -> None:
    assert found(nlp, "Satellite images show activity at the North's nuclear test site.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The council condemns all missile launches by the North.",
        "Such missile launches are unacceptable, the minister said.",
        "Seoul urged Pyongyang to join the treaty that forbids nuclear tests.",
    ],
)
def test_statements_about_a_kind_of_event_are_generic(nlp: Language, text: str) -> None:
    assert [m for _, m in found(nlp, text)] == ["generic"]


@pytest.mark.parametrize(
    "text",
    [
        # past tests, named as a kind but reported as done
        "Such missile tests were a clear violation of UN resolutions, he said.",
        # the guide reads what a country opposes as the launches that happened
        "China opposes ballistic missile launches by North Korea.",
    ],
)
def test_reports_of_past_events_named_in_the_plural_stay_asserted(nlp: Language, text: str) -> None:
    assert [m for _, m in found(nlp, text)] == ["asserted"]


def test_stationing_troops_is_still_a_deployment(nlp: Language) -> None:
    text = "The United States stationed 2,000 more troops in South Korea on Monday."
    assert found(nlp, text) == [("deployment", "asserted")]


def test_one_resolution_banning_exports_is_still_an_event(nlp: Language) -> None:
    text = "Resolution 2371 banned the North's coal exports in August."
    assert ("sanction", "asserted") in found(nlp, text)


def test_adopting_sanctions_is_still_an_event(nlp: Language) -> None:
    text = "The Security Council unanimously adopted new sanctions on Monday."
    assert ("sanction", "asserted") in found(nlp, text)


def test_a_cabinet_meeting_is_not_a_meeting_between_parties(nlp: Language) -> None:
    assert found(nlp, "The South Korean cabinet held an emergency meeting on Monday.") == []


@pytest.mark.parametrize(
    "text",
    [
        "President Lee told a cabinet meeting on Monday that the exercises were defensive and "
        "urged Pyongyang to stay calm.",
        "Seoul convened a National Security Council meeting on Tuesday after North Korea "
        "fired a missile.",
        "Lee presided over a plenary meeting of the National Security Council after "
        "Pyongyang's launch.",
        "The minister spoke at the parliamentary session on Friday about the threat from "
        "North Korea.",
    ],
)
def test_one_governments_own_meeting_takes_no_parties_from_its_clause(
    nlp: Language, text: str
) -> None:
    assert [t for t, _ in found(nlp, text) if t == "meeting"] == []


def test_a_body_meeting_with_a_named_co_party_or_a_multilateral_body_stays(
    nlp: Language,
) -> None:
    text = "Japanese ministers held a cabinet meeting with the visiting U.S. envoy on Monday."
    assert found(nlp, text) == [("meeting", "asserted")]
    text = "The UN Security Council held an emergency meeting on North Korea on Sunday."
    assert found(nlp, text) == [("meeting", "asserted")]
    text = "Officials called for a return to the six-party talks with North Korea."
    assert [t for t, _ in found(nlp, text)] == ["meeting"]


@pytest.mark.parametrize(
    "text",
    [
        "A British tourist who had been detained in North Korea arrived in Beijing on Friday.",
        "Refugees who arrived in Japan last year are still waiting for a decision.",
        "Many of the elderly relatives hope to meet their families in the North next month.",
        "Tokyo will ban port calls by any vessel that has visited North Korea.",
        "The businessmen plan to make a visit to the factory park next week.",
        "Speaking to U.S. sailors at the naval base shortly after landing, Trump said the "
        "alliance was strong.",
    ],
)
def test_private_people_and_things_hold_no_meetings(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "meeting"] == []


@pytest.mark.parametrize(
    "text",
    [
        "The new factories must meet international safety standards by 2019.",
        "Schools struggled to meet the growing demand for engineers.",
    ],
)
def test_meeting_a_requirement_is_no_meeting(nlp: Language, text: str) -> None:
    assert [t for t, _ in found(nlp, text) if t == "meeting"] == []


def test_officials_arriving_and_leaders_meeting_stay(nlp: Language) -> None:
    text = "Japanese Prime Minister Shinzo Abe and his wife arrived in Washington on Friday."
    assert found(nlp, text) == [("meeting", "asserted")]
    assert found(nlp, "Abe will meet Putin in Moscow next month.") == [("meeting", "planned")]


def test_talks_between_two_countries_stay(nlp: Language) -> None:
    text = "Japan and Russia held talks in Tokyo on Monday."
    assert found(nlp, text) == [("meeting", "asserted")]


# -- a modifier naming both parties ------------------------------------------------------------

BOTH_KOREAS = ["country:KOR", "country:PRK"]


def test_an_inter_korean_modifier_names_both_koreas_on_a_given_parse() -> None:
    # "the first inter-Korean summit": the tokenizer splits "inter-Korean" at the hyphen
    words = ["Since", "the", "first", "inter", "-", "Korean", "summit", "in", "2000"]
    heads = [0, 6, 6, 6, 6, 6, 0, 6, 7]
    deps = ["ROOT", "det", "amod", "amod", "amod", "amod", "pobj", "prep", "pobj"]
    doc = parsed(words, heads, deps, [w.lower() for w in words])
    assert joint_parties(doc[6]) == BOTH_KOREAS
    # a modifier that is not the noun's own names nobody
    heads = [0, 6, 6, 6, 6, 4, 0, 6, 7]
    doc = parsed(words, heads, deps, [w.lower() for w in words])
    assert joint_parties(doc[6]) == []
    # "Korean" alone is one nation's adjective, not both sides
    doc = parsed(["Korean", "talks"], [1, 1], ["amod", "ROOT"], ["korean", "talk"])
    assert joint_parties(doc[1]) == []


def meeting_actors(nlp: Language, text: str) -> list[list[str]]:
    context = ArticleContext("article-1", MONDAY, "datetime")
    return [e.actors for e in extract_events(nlp(text), context) if e.event_type == "meeting"]


@pytest.mark.parametrize(
    "text",
    [
        "Since the first inter-Korean summit in 2000, the families have met 19 times.",
        "The latest inter-Korean talks on the wage dispute failed to produce a breakthrough.",
        "Officials held inter-Korean talks at the border village on Monday.",
    ],
)
def test_inter_korean_meetings_are_between_the_two_koreas(nlp: Language, text: str) -> None:
    assert meeting_actors(nlp, text) == [BOTH_KOREAS]


def test_a_country_welcoming_an_inter_korean_summit_is_no_party_to_it(nlp: Language) -> None:
    text = "Washington welcomed the inter-Korean summit held in Pyongyang on Monday."
    assert meeting_actors(nlp, text) == [BOTH_KOREAS]


# -- "the two leaders" stands for the parties named before ----------------------------------


def test_the_two_leaders_are_the_parties_named_just_before(nlp: Language) -> None:
    text = (
        "Trump welcomed Moon Jae-in to the White House on Friday. "
        "The two leaders met in the Oval Office on Friday morning."
    )
    assert [sorted(a) for a in meeting_actors(nlp, text)] == [["country:KOR", "country:USA"]]


def test_the_two_leaders_complete_a_meeting_held_in_one_sides_country(nlp: Language) -> None:
    # the place gives the host (China); the leader named before gives the other side
    text = (
        "Xi Jinping praised South Korean President Park Geun-hye on Sunday. "
        "The two leaders met on the sidelines of the summit in Hangzhou."
    )
    assert [sorted(a) for a in meeting_actors(nlp, text)] == [["country:CHN", "country:KOR"]]


# -- what the public record says had not happened yet (public_record.py) --------------------


def deployments(nlp: Language, text: str, published: datetime, precision: str) -> list[str]:
    context = ArticleContext("article-1", published, precision)
    found = extract_events(nlp(text), context)
    return [e.modality for e in found if e.event_type == "deployment"]


AUGUST_2016 = datetime(2016, 8, 15, 3, 0, tzinfo=UTC)
MAY_2017 = datetime(2017, 5, 10, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "China has strongly opposed the deployment of THAAD in South Korea.",
        "Thousands rallied against the deployment of the THAAD battery in Seongju.",
    ],
)
def test_a_thaad_deployment_before_the_first_arrival_is_planned(nlp: Language, text: str) -> None:
    # the first THAAD equipment reached South Korea on 2017-03-06 (data/reference)
    assert deployments(nlp, text, AUGUST_2016, "datetime") == ["planned"]
    assert deployments(nlp, text, datetime(2017, 2, 1, tzinfo=UTC), "month") == ["planned"]
    assert deployments(nlp, text, datetime(2017, 3, 4, 3, 0, tzinfo=UTC), "datetime") == ["planned"]
    # after it, the same words report what happened
    assert deployments(nlp, text, MAY_2017, "datetime") == ["asserted"]


def test_a_month_article_of_the_first_arrivals_month_is_left_alone(nlp: Language) -> None:
    # March 2017 to its month: it may have been written after the 6th
    text = "Thousands rallied against the deployment of the THAAD battery in Seongju."
    assert deployments(nlp, text, datetime(2017, 3, 1, tzinfo=UTC), "month") == ["asserted"]


def test_deployments_outside_the_catalogued_series_are_left_alone(nlp: Language) -> None:
    # THAAD elsewhere is not in the South Korea series; other systems are not catalogued
    guam = "The U.S. military deployed a THAAD battery to Guam."
    assert deployments(nlp, guam, AUGUST_2016, "datetime") == ["asserted"]
    patriot = "The U.S. military deployed Patriot batteries to the base."
    assert deployments(nlp, patriot, AUGUST_2016, "datetime") == ["asserted"]


def test_only_a_record_of_the_series_place_actors_and_time_is_a_plan() -> None:
    def thaad(**fields: object) -> EventRecord:
        return EventRecord("e", "a", 0, 0, 0, "deployment", "deployment", **fields)  # type: ignore[arg-type]

    august = ArticleContext("a", AUGUST_2016, "datetime")
    assert not_yet_on_record(thaad(actors=["country:USA"]), "thaad", august)
    assert not_yet_on_record(thaad(location="place:seongju"), "thaad", august)
    # no series the mention names, or not a deployment
    assert not not_yet_on_record(thaad(), None, august)
    launch = EventRecord("e", "a", 0, 0, 0, "missile_launch", "launch")
    assert not not_yet_on_record(launch, "thaad", august)
    # elsewhere, by someone else, or dated by the text before the coverage (2013)
    assert not not_yet_on_record(thaad(location="place:guam"), "thaad", august)
    assert not not_yet_on_record(thaad(participants=["country:JPN"]), "thaad", august)
    assert not not_yet_on_record(thaad(actors=["country:JPN"]), "thaad", august)
    dated = thaad(event_date="2013", date_precision="year", date_basis="explicit")
    assert not not_yet_on_record(dated, "thaad", august)
    # a date of its own inside the coverage does not make it done
    july = thaad(event_date="2016-07", date_precision="month", date_basis="explicit")
    assert not_yet_on_record(july, "thaad", august)
    # articles dated only to a year, or not at all, say nothing
    assert not not_yet_on_record(thaad(), "thaad", ArticleContext("a", AUGUST_2016, "year"))
    assert not not_yet_on_record(thaad(), "thaad", ArticleContext("a", None, "unknown"))
