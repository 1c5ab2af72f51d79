"""Which input column or JSON key holds which article field.

Inputs name the same thing many ways (news-please ``maintext``, NewsAPI ``publishedAt``,
RSS ``pubDate``, a spreadsheet's ``Headline``). The aliases live in
``data/ingest/field_aliases.csv`` in priority order: the first alias present wins, so a file
with both ``text`` and ``summary`` columns is read from ``text``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from flashpoint.config import resource_path

ALIASES_FILE = resource_path("ingest", "field_aliases.csv")

# The article fields an input can supply.
FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "text",
    "date",
    "date_precision",
    "source",
    "url",
    "dateline",
)

# A field_map may also use the RawArticle attribute names.
_FIELD_SYNONYMS: dict[str, str] = {
    "external_id": "id",
    "published": "date",
    "published_precision": "date_precision",
    "body": "text",
}


def normalise_key(name: str) -> str:
    """``publishedAt``, ``published_at`` and ``Published At`` are one key."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@functools.cache
def _alias_table(path: Path = ALIASES_FILE) -> dict[str, tuple[str, ...]]:
    aliases: dict[str, list[str]] = {field: [] for field in FIELDS}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            field, alias = row["field"].strip(), row["alias"].strip()
            if field not in aliases:
                raise ValueError(f"{path}: unknown field {field!r} (fields: {', '.join(FIELDS)})")
            aliases[field].append(alias)
    return {field: tuple(names) for field, names in aliases.items()}


def alias_names(field: str) -> tuple[str, ...]:
    """The aliases of a field as written in the data file (for messages)."""
    return _alias_table()[field]


@functools.cache
def load_aliases() -> dict[str, tuple[str, ...]]:
    """field → its aliases, normalised with :func:`normalise_key`, in priority order."""
    return {
        field: tuple(normalise_key(alias) for alias in names)
        for field, names in _alias_table().items()
    }


def canonical_field(name: str) -> str:
    """The field a field_map key names; ValueError for a name that is no field."""
    key = name.strip().lower()
    key = _FIELD_SYNONYMS.get(key, key)
    if key not in FIELDS:
        raise ValueError(f"unknown field {name!r} in field map (fields: {', '.join(FIELDS)})")
    return key


def validate_field_map(field_map: Mapping[str, str] | None) -> dict[str, str]:
    """A user's {"text": "body_column", ...} with its keys checked and made canonical."""
    if not field_map:
        return {}
    checked: dict[str, str] = {}
    for key, column in field_map.items():
        if not isinstance(column, str) or not column:
            raise ValueError(f"field map entry {key!r} must name a column")
        checked[canonical_field(key)] = column
    return checked


def match_columns(
    columns: Iterable[str], field_map: Mapping[str, str] | None = None
) -> dict[str, str]:
    """field → the column that holds it, for the columns a file has.

    An explicit field_map entry wins (its column must exist exactly as named, else it is
    left out and the caller reports it); other fields are found by alias, case- and
    punctuation-insensitively.
    """
    columns = list(columns)
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(normalise_key(column), column)
    explicit = validate_field_map(field_map)
    taken = set()
    mapping: dict[str, str] = {}
    for field, column in explicit.items():
        if column in columns:
            mapping[field] = column
            taken.add(column)
    for field, aliases in load_aliases().items():
        if field in explicit:
            continue
        for alias in aliases:
            found = by_key.get(alias)
            if found is not None and found not in taken:
                mapping[field] = found
                taken.add(found)
                break
    return mapping


def missing_mapped_columns(
    columns: Iterable[str], field_map: Mapping[str, str] | None
) -> list[str]:
    """The columns a field_map names that the input does not have."""
    present = set(columns)
    return [column for column in validate_field_map(field_map).values() if column not in present]
