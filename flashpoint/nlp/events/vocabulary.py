"""The named word sets the event rules consult: data/lexicons/event_words.jsonl.

Word lists are data; what a rule does with a set (a lemma or a word form, the head or a
modifier, which tree position) stays in code. :class:`WordSets` names every set the code
uses, so a misspelt name is a type error, and loading fails on a set missing from the file
or unknown to the code: a silently empty set would quietly change events. The
``flashpoint_events`` component loads the sets in ``initialize`` and writes them with the
pipeline; they travel on the :class:`~flashpoint.nlp.events.records.Lexicon` as
``lexicon.words``. The modality cue sets are in data/lexicons/modality_cues.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from flashpoint.config import resource_path
from flashpoint.jsonl import jsonl_objects

WORDS_LEXICON = resource_path("lexicons", "event_words.jsonl")


@dataclass(frozen=True, slots=True)
class WordSets:
    """One field per set of data/lexicons/event_words.jsonl (the file's notes say why)."""

    relative_pronouns: frozenset[str]
    determiners_definite: frozenset[str]
    generic_determiners: frozenset[str]
    kind_determiners: frozenset[str]
    demonstratives: frozenset[str]
    anaphoric_plurals: frozenset[str]
    vague_quantities: frozenset[str]
    enactment_verbs: frozenset[str]
    instrument_nouns: frozenset[str]
    coincide_preps: frozenset[str]
    reporting_lemmas: frozenset[str]
    partitive_quantities: frozenset[str]
    destination_preps: frozenset[str]
    party_preps: frozenset[str]
    copulas: frozenset[str]
    predicate_preps: frozenset[str]
    subject_control_verbs: frozenset[str]
    pronouns: frozenset[str]
    generic_agent_heads: frozenset[str]
    target_preps: frozenset[str]
    place_preps: frozenset[str]
    agent_preps: frozenset[str]
    singular_neuter_pronouns: frozenset[str]
    temporal_nouns: frozenset[str]
    occurrence_verbs: frozenset[str]
    earlier_modifiers: frozenset[str]
    habitual_adverbs: frozenset[str]
    frequency_heads: frozenset[str]
    distributive_determiners: frozenset[str]
    distributive_preps: frozenset[str]
    picture_nouns: frozenset[str]
    picture_verbs: frozenset[str]
    phase_verbs: frozenset[str]
    state_nouns: frozenset[str]
    state_preps: frozenset[str]
    same_time_markers: frozenset[str]
    interval_marks: frozenset[str]
    interval_units: frozenset[str]
    same_day_units: frozenset[str]
    scope_words: frozenset[str]
    bound_preps: frozenset[str]
    detection_verbs: frozenset[str]
    history_adverbs: frozenset[str]
    latest_modifiers: frozenset[str]
    anaphoric_determiners: frozenset[str]
    simultaneity_marks: frozenset[str]
    consequence_verbs: frozenset[str]
    comparison_words: frozenset[str]
    other_instance_nouns: frozenset[str]
    measure_nouns: frozenset[str]
    unrealised_modifiers: frozenset[str]
    prohibiting_verbs: frozenset[str]
    side_counts: frozenset[str]
    domestic_bodies: frozenset[str]
    private_parties: frozenset[str]
    satisfying_verbs: frozenset[str]
    requirement_nouns: frozenset[str]
    setting_preps: frozenset[str]
    speech_act_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    share_nouns: frozenset[str]
    referring_determiners: frozenset[str]
    maker_verbs: frozenset[str]
    ongoing_words: frozenset[str]
    body_heads: frozenset[str]


SET_NAMES: tuple[str, ...] = tuple(f.name for f in fields(WordSets))


def build_word_sets(rows: Iterable[tuple[str, Mapping[str, Any]]], source: str) -> WordSets:
    """The sets from rows ``{"set": name, "words": [...]}``, each as (where it was read,
    object); errors name the row, or ``source`` for a missing set."""
    sets: dict[str, frozenset[str]] = {}
    for where, row in rows:
        name, words = row.get("set"), row.get("words")
        if name not in SET_NAMES:
            raise ValueError(f"{where}: unknown word set {name!r}")
        if name in sets:
            raise ValueError(f"{where}: word set {name!r} given twice")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"{where}: 'words' of {name!r} must be a list of words")
        sets[name] = frozenset(words)
    missing = [name for name in SET_NAMES if name not in sets]
    if missing:
        raise ValueError(f"{source}: word sets missing: {missing}")
    return WordSets(**sets)


def word_set_rows(words: WordSets) -> list[dict[str, Any]]:
    """The rows :func:`build_word_sets` reads back (for ``to_disk``)."""
    return [{"set": name, "words": sorted(getattr(words, name))} for name in SET_NAMES]


@lru_cache(maxsize=4)
def load_word_sets(path: Path = WORDS_LEXICON) -> WordSets:
    """The word sets of a JSONL file (by default the shipped one), read once per path."""
    return build_word_sets(jsonl_objects(path), source=str(path))
