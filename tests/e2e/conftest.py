"""Browser tests against `streamlit run app.py`, in Debian's Chromium.

One server per test module (started like Streamlit's own e2e harness: headless, a free
port, /_stcore/health polled until "ok"); pages are ready when the app reports
data-test-script-state="notRunning".
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FLASHPOINT_CHROMIUM", "/usr/bin/chromium")
# Streamlit's frontend, opened on a deep link such as /timeline, first asks for
# /timeline/_stcore/health and /timeline/_stcore/host-config, gets 404s, then finds the
# server root. Those two probes are its own, logged as console errors; nothing else is
# excused.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1400, "height": 1000},
        "accept_downloads": True,
    }


@pytest.fixture(scope="session")
def e2e_corpus(request: pytest.FixtureRequest) -> Path:
    """The demo corpus from the real ingest (FLASHPOINT_TEST_CORPUS may name a built one)."""
    prebuilt = os.environ.get("FLASHPOINT_TEST_CORPUS")
    if prebuilt:
        return Path(prebuilt)
    path: Path = request.getfixturevalue("sample_corpus")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except OSError:
        return False


@pytest.fixture(scope="module")
def dashboard(e2e_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free port; yields its base URL."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "FLASHPOINT_CORPUS": str(e2e_corpus)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("w") as log:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
    # No traceback, and no warning from Streamlit about the pages/ folder (app.py hands
    # the pages to st.navigation; see components/navigation.py).
    problems = [
        line
        for line in log_path.read_text().splitlines()
        if "Traceback" in line or re.search(r"\bpages\b", line, re.IGNORECASE)
    ]
    assert not problems, log_path.read_text()


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Console errors of the page; the test fails at teardown if there are any."""
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = str(message.location.get("url", ""))
        if "404" in message.text and where.endswith(STREAMLIT_PROBES):
            return
        errors.append(f"{message.text} ({where})")

    page.on("console", collect)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    yield errors
    assert not errors, "console errors:\n" + "\n".join(errors)
