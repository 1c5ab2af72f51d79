"""Evaluations against hand-labelled gold files (``make eval``).

Gold labels point into article text by quote or by character offsets into the raw source;
the pipeline sees cleaned text. The helpers here find a labelled stretch of raw text in the
processed text, ignoring what cleaning may change (whitespace, quote and dash styles,
case), and carry offsets across.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashpoint.config import REPO_ROOT

DEFAULT_SHARED_DIR = REPO_ROOT.parent / "shared"


@dataclass
class Score:
    """Precision, recall and F1 of one label (an entity type, an event type, "all")."""

    label: str
    true_positives: int = 0
    predicted: int = 0  # what the system produced with this label
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold


_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def squash(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, quotes and dashes folded, lower-cased; and for each
    character kept, its index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text.translate(_FOLD)):
        if char.isspace() or char in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
            continue
        lowered = char.lower()
        chars.append(lowered if len(lowered) == 1 else char)
        index.append(position)
    return "".join(chars), index


class TextLocator:
    """Finds stretches of (raw) text in one processed text, and maps offsets into it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._squashed, self._index = squash(text)

    def find(self, needle: str, near: int = 0) -> tuple[int, int] | None:
        """(start, end) of ``needle`` in the text, the occurrence closest to ``near``."""
        squashed, _ = squash(needle)
        if not squashed:
            return None
        hits = []
        position = self._squashed.find(squashed)
        while position != -1:
            hits.append(position)
            position = self._squashed.find(squashed, position + 1)
        if not hits:
            return None
        best = min(hits, key=lambda hit: abs(self._index[hit] - near))
        return self._index[best], self._index[best + len(squashed) - 1] + 1

    def map_inner(
        self, needle: str, found_start: int, inner_start: int, inner_end: int
    ) -> tuple[int, int] | None:
        """Where ``needle[inner_start:inner_end]`` lies, given ``needle`` was found at
        ``found_start``. None if the inner stretch is only whitespace."""
        _, needle_index = squash(needle)
        kept = [k for k, position in enumerate(needle_index) if inner_start <= position < inner_end]
        if not kept:
            return None
        base = self._squashed_position(found_start)
        first, last = base + kept[0], base + kept[-1]
        if last >= len(self._index):
            return None
        return self._index[first], self._index[last] + 1

    def _squashed_position(self, offset: int) -> int:
        # the first kept character at or after ``offset``
        low, high = 0, len(self._index)
        while low < high:
            middle = (low + high) // 2
            if self._index[middle] < offset:
                low = middle + 1
            else:
                high = middle
        return low


def read_csv_rows(path: Path, refs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Rows of a corpus CSV whose ``id`` or ``url`` is one of ``refs``, keyed by that ref."""
    wanted = set(refs)
    found: dict[str, dict[str, Any]] = {}
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for key in (row.get("id"), row.get("url")):
                if key and key in wanted:
                    found[key] = row
            if len(found) == len(wanted):
                break
    return found
