"""The shared JSON Lines reader: comments and blanks skipped, bad lines named."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.jsonl import jsonl_lines, jsonl_objects


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_comments_and_blank_lines_are_skipped_and_lines_keep_their_numbers(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '# a comment\n\n// another\n{"a": 1}\n{"b": 2}\n')
    assert [(w, r) for w, r in jsonl_objects(path)] == [
        ("data.jsonl:4", {"a": 1}),
        ("data.jsonl:5", {"b": 2}),
    ]


def test_a_bad_line_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, '{"a": 1}\n{not json\n{"b": 2}\n')
    lines = list(jsonl_lines(path))
    assert [line.error is None for line in lines] == [True, False, True]
    assert lines[1].where == "data.jsonl:2" and lines[1].error.startswith("not JSON")


class DataError(ValueError):
    pass


@pytest.mark.parametrize(("text", "message"), [("{nope\n", "not JSON"), ("[1, 2]\n", "object")])
def test_objects_raise_the_callers_error_naming_the_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DataError, match=rf"data\.jsonl:1: .*{message}"):
        list(jsonl_objects(write(tmp_path, text), DataError))
