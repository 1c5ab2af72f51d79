"""Mentions become events: one event per real event per sentence
(:func:`merge_same_sentence`: "met for talks", "the missile launch ... the launch"), and
launch and sanction actors settled across the article (:func:`settle_launch_actors`,
:func:`settle_sanction_sides`).
"""

from __future__ import annotations

from datetime import date

from flashpoint.nlp.events.dating import other_event_modifier
from flashpoint.nlp.events.modality import (
    ASSERTED,
    CLAIMED,
)
from flashpoint.nlp.events.records import (
    EventRecord,
    Trigger,
)
from flashpoint.nlp.events.syntax import (
    LAUNCH_TYPES,
    SANCTIONING_BODIES,
)


def settle_launch_actors(records: list[EventRecord], learned_by: dict[int, str]) -> None:
    """A launch or test named without its agent ("Japan called the launch a threat to its
    security") took the countries of its clause, which are mostly the ones reacting;
    the country the article says did the launching (by syntax, anywhere) is the better
    guess."""
    for event_type in LAUNCH_TYPES:
        agents = next(
            (
                r.actors
                for r in records
                if r.event_type == event_type
                and r.actors
                and learned_by.get(id(r)) in ("syntax", "inherited")
                and r.modality in (ASSERTED, CLAIMED)
            ),
            None,
        )
        if not agents:
            continue
        for record in records:
            if record.event_type == event_type and learned_by.get(id(record)) == "clause":
                record.participants = [
                    p for p in dict.fromkeys(record.participants + record.actors) if p not in agents
                ]
                record.actors = list(agents)


def settle_sanction_sides(records: list[EventRecord], learned_by: dict[int, str]) -> None:
    """Sanctions have two sides: "UN sanctions" are the Security Council's, and a country
    sanctions target somewhere in the article ("sanctions on North Korea") is not the one
    imposing them in "the North Korea sanctions act" unless the syntax says so; nor is a
    country the article has launching or testing (:func:`_launchers`), unless a verb of
    its own imposes them (:func:`_imposes_by_verb`)."""
    sanctions = [r for r in records if r.event_type == "sanction"]
    for record in sanctions:
        record.actors = list(dict.fromkeys(SANCTIONING_BODIES.get(a, a) for a in record.actors))
    targets = {p for r in sanctions for p in r.participants if p.startswith("country:")}
    launchers = _launchers(records, learned_by)
    imposers = {
        a
        for r in sanctions
        if learned_by.get(id(r)) in ("syntax", "inherited")
        for a in r.actors
        if a not in launchers or _imposes_by_verb(r)
    }
    wrong_side = (targets | launchers) - imposers
    if not wrong_side:
        return
    fallback = next(
        (
            [a for a in r.actors if a not in wrong_side]
            for r in sanctions
            if learned_by.get(id(r)) in ("syntax", "inherited")
            and any(a not in wrong_side for a in r.actors)
        ),
        [],
    )
    for record in sanctions:
        moved = [a for a in record.actors if a in wrong_side]
        if not moved:
            continue
        record.actors = [a for a in record.actors if a not in wrong_side] or list(fallback)
        record.participants = [
            p for p in dict.fromkeys(record.participants + moved) if p not in record.actors
        ]


def _launchers(records: list[EventRecord], learned_by: dict[int, str]) -> set[str]:
    """Countries the article says (by syntax) launched or tested something. Sanctions
    answer launches and tests, so the launcher is their target: a launcher named with
    sanctions ("the North Korea Sanctions Enforcement Act", "its sanctions blacklist for
    North Korea"), or the country a sanctions mention took from its clause or from an
    earlier sentence ("the council has strengthened sanctions following each of North
    Korea's tests"), is not the one imposing them. Seen in demo-corpus, Reuters and
    news-cluster dev articles (treasury-sanctions-kim-jong-un, obama-signs-sanctions-act,
    security-council-2356-blacklist; isot-7cd4c6502279, isot-d214be039104; g5w-…e3b96ff,
    g5w-…f9bb4dd); the dev gold never has a launcher imposing sanctions."""
    return {
        a
        for r in records
        if r.event_type in LAUNCH_TYPES
        and r.modality in (ASSERTED, CLAIMED)
        and learned_by.get(id(r)) in ("syntax", "inherited")
        for a in r.actors
        if a.startswith("country:")
    }


def _imposes_by_verb(record: EventRecord) -> bool:
    """A sanction whose actors all are countries and which has a verb of its own ("South
    Korea announced sanctions", "Seoul banned exports"), so that its syntactic actor is the
    verb's subject, not a country named in the noun phrase ("North Korea sanctions")."""
    return " " in record.trigger.strip() and all(a.startswith("country:") for a in record.actors)


def _nested(a: Trigger, b: Trigger) -> bool:
    """One trigger inside the other's phrase: "a similar launch which put the satellite
    into orbit", "the missile that flew over Japan"."""
    return a.token.i in {t.i for t in b.token.subtree} or b.token.i in {
        t.i for t in a.token.subtree
    }


def _compared(a: Trigger, b: Trigger) -> bool:
    """One mention is another thing of the same kind the other is compared with: "fired a
    missile, similar to one fired over Japan last month", "newer than the one launched in
    2013". A date of the one compared with is that other event's, however the parser nests
    the two (the word sets are dating's: comparison_words, other_instance_nouns)."""
    return other_event_modifier(a.clause_verb, b) or other_event_modifier(b.clause_verb, a)


def _dates_nest(a: str | None, b: str | None) -> bool:
    """The same date, or one inside the other ("2016-01" holds "2016-01-06")."""
    if a is None or b is None:
        return a == b
    return a.startswith(b) or b.startswith(a)


# How far a weekday the article gives may lie from a catalogue day and still name the same
# event (as dating.reference_date accepts it: time zones, a report's day after the event).
CATALOGUE_SLACK_DAYS = 7


def _catalogue_agrees(a: EventRecord, b: EventRecord) -> bool:
    """One mention dated by the catalogue of well-known events, the other by a day of its
    own close to it: "carried out its sixth nuclear test" read twice, once as "the sixth
    test" (its catalogue day) and once with the clause's "on Monday"."""
    if "reference" not in (a.date_basis, b.date_basis):
        return False
    if a.date_precision != "day" or b.date_precision != "day" or not a.event_date:
        return False
    if not b.event_date:
        return False
    gap = date.fromisoformat(a.event_date) - date.fromisoformat(b.event_date)
    return abs(gap.days) <= CATALOGUE_SLACK_DAYS


def _finer_inside(value: str, coarse: str | None) -> bool:
    """ "2017-05-29" inside "2017": the same event named twice ("launches this year, most
    recently one on Monday") is best dated by the finer reading."""
    return coarse is not None and len(value) > len(coarse) and value.startswith(coarse)


def own_date(record: EventRecord) -> bool:
    """Dated by an expression of its own sentence (not by context or publication)."""
    return (
        record.event_date is not None
        and record.date_basis in ("explicit", "relative")
        and bool(record.date_text)
    )


def _own_or_catalogued(record: EventRecord) -> bool:
    """:func:`own_date`, or a day the catalogue of well-known events gave this mention
    itself ("the launch in June" when June held one launch; data/reference): such a day
    is as much the mention's own as the month it refined. A catalogue day taken over
    from another mention carries no label (dating._taken_over), so it is not."""
    return own_date(record) or (record.date_basis == "reference" and bool(record.date_text))


def merge_same_sentence(
    events: list[tuple[tuple[EventRecord, str], Trigger]],
) -> list[tuple[EventRecord, Trigger, str]]:
    """One event per real event per sentence: "met for talks", "the visit, the first
    two-plus-two meeting" and "the missile launch ... the launch" name one event twice; a
    mention of another launch it is compared with ("similar to one fired last month") gives
    it no date (:func:`_compared`)."""
    kept: list[tuple[EventRecord, Trigger, str]] = []
    for (record, learned), trigger in sorted(
        events, key=lambda item: (-item[0][0].confidence, item[1].token.i)
    ):
        twin = next(
            (
                item
                for item in kept
                if item[0].event_type == record.event_type
                and (
                    _nested(item[1], trigger)
                    or (
                        (
                            not item[0].actors
                            or not record.actors
                            or set(item[0].actors) & set(record.actors)
                        )
                        and (
                            _dates_nest(item[0].event_date, record.event_date)
                            or _catalogue_agrees(item[0], record)
                            or not _own_or_catalogued(item[0])
                            or not _own_or_catalogued(record)
                        )
                    )
                )
            ),
            None,
        )
        if twin is None:
            kept.append((record, trigger, learned))
            continue
        other = twin[0]
        other.actors.extend(a for a in record.actors if a not in other.actors)
        other.weapons.extend(w for w in record.weapons if w not in other.weapons)
        other.participants = [
            p
            for p in dict.fromkeys(other.participants + record.participants)
            if p not in other.actors
        ]
        other.location = other.location or record.location
        if (
            record.event_date is not None
            and not _compared(twin[1], trigger)
            and (
                other.event_date is None
                or (
                    other.date_basis not in ("explicit", "reference")
                    and record.date_basis in ("explicit", "reference")
                )
                or (_own_or_catalogued(record) and not _own_or_catalogued(other))
                or (
                    _own_or_catalogued(record)
                    and _finer_inside(record.event_date, other.event_date)
                )
            )
        ):
            other.event_date, other.date_precision = record.event_date, record.date_precision
            other.date_basis, other.date_text = record.date_basis, record.date_text
        other.is_space_launch = other.is_space_launch or record.is_space_launch
    return sorted(kept, key=lambda item: item[1].token.i)
