"""No corpus yet: say how to build one, and offer to build the demo corpus here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import streamlit as st

from flashpoint import config

_PROGRESS = re.compile(r"(\d+)/(\d+) articles")


def _ingest_command(corpus: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from flashpoint.cli import main; sys.exit(main())",
        "ingest",
        *config.sample_sources(),
        "--corpus",
        str(corpus),
    ]


def build_demo_corpus(corpus: Path) -> tuple[bool, str]:
    """Run `flashpoint ingest data/sample/*/` with a progress bar; (ok, last output)."""
    bar = st.progress(0.0, text="Reading the demo articles…")
    lines: list[str] = []
    with subprocess.Popen(
        _ingest_command(corpus),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=config.REPO_ROOT,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip())
            found = _PROGRESS.search(line)
            if found:
                done, total = int(found.group(1)), max(int(found.group(2)), 1)
                bar.progress(min(done / total, 1.0), text=f"Parsing articles: {done}/{total}")
        code = process.wait()
    bar.progress(1.0, text="Done" if code in (0, 1) else "Failed")
    # Exit 1 means some inputs were rejected (with reasons); the corpus is still built.
    return code in (0, 1), "\n".join(lines[-20:])


def missing_corpus_page() -> None:
    corpus = config.corpus_dir()
    st.title("Flashpoint")
    st.warning(f"There is no corpus at `{corpus}` yet.")
    st.markdown(
        "Build one from your articles with the command line, then reload this page:\n\n"
        f"```\nflashpoint ingest data/sample/*/ --corpus {corpus}\n```\n\n"
        "or point the dashboard at another corpus with `--corpus DIR` "
        "(`flashpoint serve --corpus DIR`) or `FLASHPOINT_CORPUS=DIR`."
    )
    if not config.SAMPLE_DIR.is_dir():
        st.info(f"The demo articles ({config.SAMPLE_DIR}) are not in this checkout.")
        return
    if st.button("Build the demo corpus", type="primary", icon=":material/build:"):
        with st.status("Building the demo corpus…", expanded=True) as status:
            ok, output = build_demo_corpus(corpus)
            if ok:
                status.update(label="Demo corpus built", state="complete")
            else:
                status.update(label="Building the demo corpus failed", state="error")
                st.code(output or "(no output)")
        if ok:
            st.rerun()
