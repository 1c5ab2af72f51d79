"""app.py's frame around the pages: navigation and the sidebar filters.

A link to a page must always run through app.py (its sidebar, its filters), even as the
first request a fresh server gets, and every declared filter must have its sidebar
widget, set from the link.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from flashpoint import store
from flashpoint.analysis.filters import (
    FILTER_FIELDS,
    EntityCatalog,
    FilterField,
    FilterKind,
    Filters,
    filter_options,
)

ROOT = Path(__file__).resolve().parents[2]
APP_FILES = [ROOT / "app.py", *sorted((ROOT / "components").glob("*.py"))]
APP_FILES += sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", ["timeline", "map", "articles"])
def test_a_deep_link_opened_first_runs_through_app_py(
    demo_corpus: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """What a fresh server does with /map?country=… before anyone opened "/": Streamlit
    still treats pages/ as its automatic navigation and runs the page file alone."""
    monkeypatch.setenv("FLASHPOINT_CORPUS", str(demo_corpus))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["country"] = "North Korea"
    at.switch_page(f"pages/{page}.py").run()  # no run of app.py before: a first request
    assert not at.exception
    assert at.title[0].value.casefold() == page  # the page asked for…
    assert at.multiselect(key="country").value == ["North Korea"]  # …inside app.py's frame
    assert at.button(key="clear_filters").label == "Clear filters"
    assert Filters.from_query_params(at.query_params).countries == ("North Korea",)


def test_the_app_uses_no_private_streamlit_api() -> None:
    """Page routing goes through public Streamlit calls only (it once patched
    ``PagesManager.uses_pages_directory``): a Streamlit upgrade should not break it."""
    private = re.compile(r"streamlit\.(runtime|web|proto|elements)\b|PagesManager|\bst\._")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in APP_FILES
        for line in path.read_text().splitlines()
        if private.search(line)
    ]
    assert not found


def _widget(at: AppTest, spec: FilterField) -> Any:
    accessor = {
        FilterKind.SINCE: at.date_input,
        FilterKind.UNTIL: at.date_input,
        FilterKind.NAMES: at.multiselect,
        FilterKind.TEXT: at.text_input,
        FilterKind.SWITCH: at.checkbox,
    }[spec.kind]
    return accessor(key=spec.param)


def _example(spec: FilterField, options: Any) -> Any:
    if spec.kind is FilterKind.SINCE:
        return date(2016, 1, 1)
    if spec.kind is FilterKind.UNTIL:
        return date(2017, 12, 31)
    if spec.kind is FilterKind.NAMES:
        offered = spec.choices or getattr(options, spec.name)
        return tuple(offered[:1])
    if spec.kind is FilterKind.TEXT:
        return "missile"
    return True


def test_every_declared_filter_has_its_widget_set_by_the_link(
    run_page: Any, demo_corpus: Path
) -> None:
    corpus = store.load_corpus(demo_corpus)
    options = filter_options(corpus, EntityCatalog.for_corpus(corpus))
    filters = Filters(**{spec.name: _example(spec, options) for spec in FILTER_FIELDS})
    params = filters.to_query_params()
    assert set(params) == {spec.param for spec in FILTER_FIELDS}  # every filter is set
    at = run_page("timeline", params)
    assert not at.exception
    for spec in FILTER_FIELDS:
        widget = _widget(at, spec)
        assert widget.label == spec.label
        value = widget.value
        expected = getattr(filters, spec.name)
        assert (tuple(value) if spec.kind is FilterKind.NAMES else value) == expected, spec.name
    assert Filters.from_query_params(at.query_params) == filters
    # "Clear filters" resets every declared filter, in the sidebar and in the URL.
    at.button(key="clear_filters").click().run()
    assert not at.exception
    for spec in FILTER_FIELDS:
        assert not _widget(at, spec).value, spec.name
        assert spec.param not in at.query_params
