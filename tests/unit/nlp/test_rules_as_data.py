"""Word lists of the event rules are data (data/lexicons), not Python literals: what stays in
code under flashpoint/nlp/events is dependency and entity labels, event types and the lexicon's
own schema."""

from __future__ import annotations

import ast
from pathlib import Path

from flashpoint.nlp.events.vocabulary import SET_NAMES, load_word_sets

EVENTS_PACKAGE = Path(__file__).resolve().parents[3] / "flashpoint" / "nlp" / "events"
CODE_SETS = ("_DEPS", "_LABELS", "_TYPES")  # labels of the parse and of the schema
SCHEMA = {"BARE_POLICIES"}  # the values event_triggers.jsonl may use for "bare"


def _string_set(value: ast.expr) -> bool:
    """A set of strings: ``frozenset({"a", "b"})``, ``frozenset(("a", ...))``, ``{"a"}``
    (a plain tuple of names such as ``__all__`` is not a word set)."""
    kinds: tuple[type[ast.expr], ...] = (ast.Set,)
    if isinstance(value, ast.Call) and getattr(value.func, "id", None) in ("frozenset", "set"):
        if not value.args:
            return False
        value, kinds = value.args[0], (ast.Set, ast.Tuple, ast.List)
    elts = getattr(value, "elts", []) if isinstance(value, kinds) else []
    return any(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts)


def word_list_constants(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if (
                isinstance(target, ast.Name)
                and _string_set(node.value)
                and not target.id.endswith(CODE_SETS)
                and target.id not in SCHEMA
            ):
                found.append(f"{path.name}:{node.lineno}: {target.id}")
    return found


def test_no_word_list_is_a_python_literal() -> None:
    assert word_list_constants(EVENTS_PACKAGE) == []


def test_the_check_sees_a_word_list(tmp_path: Path) -> None:
    (tmp_path / "rules.py").write_text(
        'OBJECT_DEPS = frozenset({"dobj"})\nPICTURE_NOUNS = frozenset({"photo", "image"})\n'
    )
    assert word_list_constants(tmp_path) == ["rules.py:2: PICTURE_NOUNS"]


def test_the_shipped_word_sets_are_lower_case_and_not_empty() -> None:
    """The rules compare lower-cased words and lemmas: an upper-case entry never matches."""
    words = load_word_sets()
    for name in SET_NAMES:
        entries = getattr(words, name)
        assert entries, name
        assert all(w == w.lower() for w in entries), name
