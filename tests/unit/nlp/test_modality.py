"""Modality: asserted, negated, planned, possible, claimed — read off the parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Token

from flashpoint.nlp.events import EntityIndex, find_triggers, load_lexicon
from flashpoint.nlp.events.modality import MODALITY_LEXICON, event_modality, load_cues


def modality_of(nlp: Language, text: str, word: str, *, actor_media: bool = False) -> str:
    """The modality of the event whose trigger is ``word`` in ``text``."""
    doc = nlp(text)
    entities = EntityIndex(doc)
    triggers = [t for s in doc.sents for t in find_triggers(s, load_lexicon(), entities)]
    trigger = next(t for t in triggers if t.token.text == word)

    def speaks_for_actor(source: Token) -> bool:
        return actor_media and source.text in ("KCNA", "Pyongyang")

    result = event_modality(trigger.token, trigger.support, speaks_for_actor=speaks_for_actor)
    return result.modality


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("North Korea launched a ballistic missile on Sunday.", "launched", "asserted"),
        ("North Korea has fired a missile into the sea.", "fired", "asserted"),
        (
            "Japan will impose sanctions in response to the North's missile launch.",
            "launch",
            "asserted",
        ),
        ("Tokyo will lodge a protest over the missile launch.", "launch", "asserted"),
        ("North Korea did not launch a missile on Sunday.", "launch", "negated"),
        ("Pyongyang denied that it had fired a missile.", "fired", "negated"),
        ("There was no missile launch this week.", "launch", "negated"),
        ("The United States will deploy a THAAD battery in South Korea.", "deploy", "planned"),
        ("Japan plans to hold talks with Russia next month.", "talks", "planned"),
        ("Seoul agreed to deploy the THAAD system.", "deploy", "planned"),
        ("Russia is set to deploy coastal missile systems on the islands.", "deploy", "planned"),
        ("The two sides are due to hold a summit in Beijing.", "summit", "planned"),
        ("North Korea might be able to fire a dozen missiles at once.", "fire", "possible"),
        ("North Korea could launch another missile soon.", "launch", "possible"),
        ("If North Korea fires a missile, Japan will respond.", "fires", "possible"),
        ("Pyongyang is capable of launching missiles from submarines.", "launching", "possible"),
        ("Analysts warned of the possibility of a sixth nuclear test.", "test", "possible"),
    ],
)
def test_modality(nlp: Language, text: str, word: str, expected: str) -> None:
    assert modality_of(nlp, text, word) == expected


def test_a_report_by_the_actors_own_media_is_claimed(nlp: Language) -> None:
    text = "KCNA said it had launched a Hwasong-14 missile on Tuesday."
    assert modality_of(nlp, text, "launched", actor_media=True) == "claimed"


def test_according_to_the_actors_own_media_is_claimed(nlp: Language) -> None:
    text = "According to KCNA, North Korea launched a satellite into orbit."
    assert modality_of(nlp, text, "launched", actor_media=True) == "claimed"


def test_a_third_partys_report_is_asserted(nlp: Language) -> None:
    text = "North Korea fired a ballistic missile on Sunday, South Korea's military said."
    assert modality_of(nlp, text, "fired") == "asserted"


def test_a_doubting_report_verb_is_claimed_whoever_says_it(nlp: Language) -> None:
    text = "Pyongyang claimed that it had successfully tested a hydrogen bomb."
    assert modality_of(nlp, text, "tested") == "claimed"


def test_what_happened_beside_a_statement_is_not_the_statement(nlp: Language) -> None:
    text = "Lavrov declared on Monday after meeting with Japanese officials that THAAD is a risk."
    assert modality_of(nlp, text, "meeting", actor_media=True) == "asserted"


def test_cue_lexicon_missing_set_is_a_clear_error(tmp_path: Path) -> None:
    """A cue file without one of the sets fails loudly instead of asserting everything."""
    broken = tmp_path / "cues.json"
    broken.write_text(json.dumps({"negating_verbs": ["deny"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="negating_nouns"):
        load_cues(broken)


def test_cue_lexicon_is_read_from_data() -> None:
    """The shipped cue file carries the words the rules rely on."""
    cues = load_cues(MODALITY_LEXICON)
    assert "deny" in cues["negating_verbs"]
    assert "plan" in cues["planning_nouns"]
    assert "claim" in cues["doubting_verbs"]
    assert cues["doubting_verbs"] <= cues["reporting_verbs"]
