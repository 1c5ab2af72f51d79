"""One reader for the project's JSON Lines files: gazetteers, lexicons, reference events
and gold labels. Blank lines and comment lines ("#" or "//") are skipped; every line is
named "file.jsonl:N" so a bad one can be reported where it is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COMMENT_PREFIXES = ("#", "//")


@dataclass(frozen=True, slots=True)
class JsonlLine:
    """One data line: the parsed JSON, or why it could not be used."""

    where: str  # "events.jsonl:12"
    number: int
    record: Any
    error: str | None = None  # "not JSON (Expecting value)"


def jsonl_lines(path: Path | str) -> Iterator[JsonlLine]:
    """Every data line of ``path``, parsed; a line that is not JSON comes with its error
    instead of stopping the reading (callers that note bad lines go on)."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith(COMMENT_PREFIXES):
                continue
            where = f"{path.name}:{number}"
            try:
                yield JsonlLine(where, number, json.loads(line))
            except json.JSONDecodeError as error:
                yield JsonlLine(where, number, None, f"not JSON ({error.msg})")


def jsonl_objects(
    path: Path | str, error: type[Exception] = ValueError
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, object) for each data line; raises ``error`` naming the line at the first
    one that is not a JSON object (data files the program cannot do without)."""
    for line in jsonl_lines(path):
        if line.error is not None:
            raise error(f"{line.where}: {line.error}")
        if not isinstance(line.record, dict):
            raise error(f"{line.where}: expected a JSON object")
        yield line.where, line.record
