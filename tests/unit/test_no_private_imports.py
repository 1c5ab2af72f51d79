"""No module under flashpoint/ imports an underscore-prefixed name from another module:
what one module offers another is its public (internal) API."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "flashpoint"


def private_imports(root: Path) -> list[str]:
    """``file:line: from module import _name`` for every such import under ``root``."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                found += [
                    f"{path.relative_to(root.parent)}:{node.lineno}: "
                    f"from {node.module} import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.endswith("__")
                ]
            elif isinstance(node, ast.Import):
                found += [
                    f"{path.relative_to(root.parent)}:{node.lineno}: import {alias.name}"
                    for alias in node.names
                    if any(part.startswith("_") for part in alias.name.split("."))
                ]
        found += _private_attributes(tree, root, path)
    return found


def _private_attributes(tree: ast.Module, root: Path, path: Path) -> list[str]:
    """``module._name`` where ``module`` is a module of the package imported by name
    (``from flashpoint.analysis import cooccurrence as cooc`` then ``cooc._labels``)."""
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == root.name:
            modules |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name.split(".")[0] == root.name and alias.asname
            }
    return [
        f"{path.relative_to(root.parent)}:{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.endswith("__")
    ]


def test_no_module_imports_a_private_name_of_another() -> None:
    assert private_imports(PACKAGE) == []


def test_the_scan_finds_a_private_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("def _helper() -> None: ...\n")
    (package / "b.py").write_text("from pkg.a import _helper, public\n")
    assert private_imports(package) == ["pkg/b.py:1: from pkg.a import _helper"]


def test_the_scan_finds_a_private_name_reached_through_its_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("def _helper() -> None: ...\n")
    (package / "b.py").write_text("from pkg import a as mod\n\nmod._helper()\nmod.public()\n")
    assert private_imports(package) == ["pkg/b.py:3: mod._helper"]
