"""Entities as event extraction sees them: :class:`EntityIndex` (which entity each token
belongs to) and the span extensions the normaliser sets (``entity_id``, ``entity_type``,
``entity_country``), which trigger checks and role filling both read.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from flashpoint.nlp.events.syntax import (
    noun_phrase,
)


def span_extension(span: Span, name: str) -> str | None:
    if not Span.has_extension(name):
        return None
    value = getattr(span._, name)
    return str(value) if value else None


def entity_type(span: Span) -> str | None:
    kind = span_extension(span, "entity_type")
    if kind:
        return kind
    return "weapon" if span.label_ == "WEAPON" else None


def entity_country(span: Span) -> str | None:
    """The country an entity stands for: itself for a country, its country for a person,
    weapon, place or metonym; an organisation the gazetteer knows but that belongs to no
    country (the UN Security Council) stands for itself."""
    kind = entity_type(span)
    entity_id = span_extension(span, "entity_id")
    if kind == "country":
        return entity_id
    country = span_extension(span, "entity_country")
    if country:
        return country
    if kind == "organization" and entity_id and span.ent_id_:
        if span_extension(span, "sector") == "government":
            return None  # a national organ of no stated country ("a National Security Council")
        return entity_id  # a gazetteer organisation (UN Security Council), not a guess
    return None


class EntityIndex:
    """Which entity each token belongs to, for one Doc.

    With ``body_heads``, a definite description of a body by the head noun of a name the
    article gave before ("the council", "the 15-member council" after "the U.N. Security
    Council") belongs to the latest organisation so named (plain linguistics: a definite
    noun phrase repeating a name's head refers back to it; dev: Reuters isot-a3f91,
    isot-2a085, isot-7cd4c and demo articles on the 2017 resolutions)."""

    def __init__(self, doc: Doc, body_heads: frozenset[str] = frozenset()) -> None:
        self.by_token: dict[int, Span] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.by_token[i] = ent
        if body_heads:
            self._refer_back(doc, body_heads)

    def _refer_back(self, doc: Doc, body_heads: frozenset[str]) -> None:
        named: dict[str, Span] = {}  # head lemma -> latest organisation so named
        for token in doc:
            ent = self.by_token.get(token.i)
            if ent is not None:
                if (
                    token.i == ent.end - 1
                    and entity_type(ent) == "organization"
                    and entity_country(ent)
                ):
                    named[token.lemma_.lower()] = ent
                continue
            lemma = token.lemma_.lower()
            if (
                lemma in body_heads
                and token.is_lower
                and token.pos_ == "NOUN"
                and lemma in named
                and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
                and not any(
                    c.dep_ in ("compound", "nmod", "poss") and c.lemma_.lower() != "member"
                    for c in token.children
                )
            ):
                self.by_token[token.i] = named[lemma]

    def of(self, token: Token) -> Span | None:
        return self.by_token.get(token.i)

    def in_tokens(self, tokens: Iterable[Token]) -> list[Span]:
        seen: dict[int, Span] = {}
        for token in tokens:
            ent = self.by_token.get(token.i)
            if ent is not None:
                seen.setdefault(ent.start, ent)
        return [seen[k] for k in sorted(seen)]


@lru_cache(maxsize=1)
def _news_media() -> frozenset[str]:
    """News agencies and outlets that speak for no government ("(Reuters)" in a photo
    credit): where they stand in a sentence says nothing about who acted."""
    from flashpoint.nlp.gazetteer import Gazetteer

    return frozenset(
        e.entity_id
        for e in Gazetteer.load().entries.values()
        if e.kind == "media" and not e.metonym_of
    )


def np_countries(token: Token, entities: EntityIndex) -> list[str]:
    out: list[str] = []
    media = _news_media()
    for ent in entities.in_tokens(noun_phrase(token)):
        if span_extension(ent, "entity_id") in media:
            continue
        country = entity_country(ent)
        if country and country not in out:
            out.append(country)
    return out
