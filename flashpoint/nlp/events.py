"""Event extraction from a parsed Doc (contract first; the extractor follows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from flashpoint.schema import ArticleContext


@dataclass(slots=True)
class EventRecord:
    """One event stated in one sentence: the fields of EVENT_COLUMNS minus story_id."""

    event_id: str
    article_id: str
    sentence_idx: int
    start_char: int
    end_char: int
    event_type: str
    trigger: str
    actors: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    location: str | None = None
    event_date: str | None = None
    date_precision: str = "unknown"
    date_basis: str = "unknown"
    date_text: str | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    is_space_launch: bool = False


def extract_events(doc: Doc, context: ArticleContext) -> list[EventRecord]:
    """Events stated in ``doc`` (not yet implemented: returns none)."""
    return []
