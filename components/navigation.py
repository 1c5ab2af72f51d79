"""The dashboard's pages, and the rule that every page runs inside app.py.

app.py draws the shared sidebar and hands the files in ``pages/`` to ``st.navigation``.
Streamlit, though, treats a ``pages/`` folder next to the entry script as its older
automatic navigation until ``st.navigation`` has run once in the server process ("as soon
as any session of your app executes the st.navigation command, your app will ignore the
pages/ directory", its docstring says). So the very first request for a deep link
(``/timeline?country=…`` on a fresh server, and every ``AppTest`` run) executes the page
file alone, without app.py. A page notices this with :func:`require_app`, which calls
``st.navigation`` itself — switching the automatic mode off, through the public API — and
reruns; the rerun goes through app.py and lands on the same page with the same URL.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]

# Set by app.py around the page it runs: a plain context variable, not Session State, so
# nothing outlives the run (Session State writes after st.stop() may not land).
_IN_APP: ContextVar[bool] = ContextVar("flashpoint_in_app", default=False)
_REROUTED = "_fp_rerouted"  # a page has already asked for a rerun through app.py


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to the repository root
    title: str
    icon: str
    url_path: str  # the page's address: /timeline (the default page is also at /)
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "overview", default=True),
    PageSpec("pages/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    PageSpec("pages/cooccurrence.py", "Co-occurrence", ":material/grid_on:", "cooccurrence"),
    PageSpec("pages/map.py", "Map", ":material/map:", "map"),
    PageSpec("pages/articles.py", "Articles", ":material/article:", "articles"),
)


def app_pages(*, icons: bool = True) -> list[st.Page]:
    """The pages as ``st.Page`` objects (paths absolute, so any entry script finds them).

    Without ``icons`` for the rerouting call: a page's Material icon would otherwise
    become the tab's icon, fetched from the internet, before app.py sets its own.
    """
    return [
        st.Page(
            ROOT / spec.file,
            title=spec.title,
            icon=spec.icon if icons else "",
            url_path=spec.url_path,
            default=spec.default,
        )
        for spec in PAGES
    ]


def run(page: st.Page) -> None:
    """app.py's side: run the page ``st.navigation`` chose, marked as run by app.py."""
    st.session_state.pop(_REROUTED, None)
    token = _IN_APP.set(True)
    try:
        page.run()
    finally:
        _IN_APP.reset(token)


def require_app() -> None:
    """A page's first line: make sure this run goes through app.py (sidebar, filters).

    Run by Streamlit's automatic ``pages/`` mode, call ``st.navigation`` (which turns that
    mode off for the whole server) and rerun. If a rerun did not help, the entry script
    is not app.py: say how to open the dashboard.
    """
    if _IN_APP.get():
        return
    if not st.session_state.get(_REROUTED):
        st.session_state[_REROUTED] = True
        st.navigation(app_pages(icons=False), position="hidden")
        st.rerun()
    st.error("Open the dashboard with `streamlit run app.py` (or `flashpoint serve`).")
    st.stop()
