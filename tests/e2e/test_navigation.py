"""A fresh server whose first request is a deep link: the page still runs inside app.py.

Until st.navigation has run once in the server process, Streamlit treats pages/ as its
automatic navigation and runs the requested page file alone (components/navigation.py).
This module's server gets no other request before the deep link below.
"""

from __future__ import annotations

import pytest
from browsertools import open_page
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_a_deep_link_as_a_fresh_servers_first_request_shows_the_sidebar(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/map?country=North+Korea&type=missile_launch")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.locator("h1", has_text="Map")).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator(".st-key-country [data-tag]")).to_have_text(["North Korea"])
    expect(sidebar.locator(".st-key-type [data-tag]")).to_have_text(["missile_launch"])
    nav = page.locator("[data-testid='stSidebarNav'] a")
    expect(nav).to_contain_text(["Overview", "Timeline", "Co-occurrence", "Map", "Articles"])
    assert "/map?" in page.url and "country=North+Korea" in page.url
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(1)
