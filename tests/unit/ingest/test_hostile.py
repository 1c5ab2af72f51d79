"""Hostile input, one regression test (or a few) per defect group of issue #13:

1. pipes and devices never hang ingest; 2. one bad input never loses the run (exit 3 for a
bug, naming the input); 3. internal addresses are not fetched and a trickling server is cut
off; 4. CLI CSV neutralises formula cells; 5. salvage of good rows and dates; 6. no silent
drops (zip names, header-only CSVs, links out of the folder); 7. junk is no article, the
rejects log stays small, long words wrap in the reader.

The generated-input fuzz run is in test_hostile_fuzz.py.
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.cli import _write_frame, main
from flashpoint.export import frame_to_csv
from flashpoint.ingest import fetch, readers
from flashpoint.ingest.run import ingest

BODY = (
    "North Korea fired a ballistic missile into the sea off its east coast on Tuesday "
    "and South Korea's military said the launch was the third this month. Japan lodged a "
    "protest through diplomatic channels in Beijing, officials in Tokyo said."
)
MEETING = (
    "The foreign ministers of Japan and Russia met in Tokyo on Monday for talks on the "
    "disputed islands, and both sides agreed to keep talking about joint economic activity."
)


def bounded(function: Callable[[], Any], seconds: float = 60) -> Any:
    """Run function in a thread; fail (instead of hanging the suite) if it does not end."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = function()
        except BaseException as error:  # re-raised below in the test's thread
            result["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: a hang"
    if "error" in result:
        raise result["error"]
    return result.get("value")


def md(title: str, body: str, date: str | None = "2017-03-21") -> str:
    return f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + f"---\n{body}\n"


def csv_rows(rows: list[list[str]]) -> str:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# --- 1. hang ---------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pipes_and_devices_never_hang_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(md("Launch", BODY))
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "direct.fifo")
    corpus = tmp_path / "corpus"
    sources = [str(folder), "/dev/zero", str(tmp_path / "direct.fifo")]
    report = bounded(lambda: ingest(sources, corpus, progress=False))
    reasons = {Path(r["origin"]).name: r["reason"] for r in report.rejects}
    assert reasons["pipe.txt"] == "not a regular file: a named pipe (FIFO) is never read"
    assert reasons["direct.fifo"] == "not a regular file: a named pipe (FIFO) is never read"
    assert reasons["zero"] == "not a regular file: a character device is never read"
    # The link points outside the folder: refused before it is even opened.
    assert reasons["zero.txt"].startswith("symbolic link to a file outside the input folder")
    assert report.added == 1


def test_size_is_checked_before_hashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 65 MB on paper, nothing on disk
        handle.truncate(readers.DEFAULT_MAX_BYTES + 1)
    hashed: list[int] = []
    real_sha = __import__("hashlib").sha256

    def counting_sha() -> Any:
        digest = real_sha()
        real_update = digest.update

        class Counting:
            def update(self, block: bytes) -> None:
                hashed.append(len(block))
                real_update(block)

            def hexdigest(self) -> str:
                return digest.hexdigest()

        return Counting()

    monkeypatch.setattr("flashpoint.ingest.run.hashlib.sha256", counting_sha)
    report = ingest([str(big)], tmp_path / "corpus", progress=False)
    assert report.rejects[0]["reason"].startswith("file too large")
    assert sum(hashed) == 0


# --- 2. one bad input never loses the run ------------------------------------------------------


def test_the_five_crashes_are_rejects_or_stored_and_the_rest_goes_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.md").write_text(md("Good", BODY))
    (folder / "b-bare-cr.dat").write_bytes(b"a,b\rc\n")
    (folder / "c-deep.dat").write_text("[" * 5000)
    (folder / "d-surrogate.json").write_text(json.dumps({"title": "Lone \ud800", "text": MEETING}))
    (folder / "e-year-one.md").write_text(
        md("Year one", BODY.replace("Tuesday", "Wednesday"), "0001-01-01 00:00:00")
    )
    name = os.fsdecode(b"f-name-\xff.md")
    (folder / name).write_text(md("Odd name", BODY.replace("Tuesday", "Friday")))
    corpus = tmp_path / "corpus"
    code = bounded(lambda: main(["ingest", str(folder), "--corpus", str(corpus), "--no-progress"]))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 1  # some inputs rejected, none crashed
    articles = store.load_corpus(corpus).articles.set_index("title")
    assert {"Good", "Lone \ufffd", "Year one", "Odd name"} <= set(articles.index)
    assert pd.isna(articles.loc["Year one", "published"])
    assert articles.loc["Odd name", "origin"].endswith("f-name-\\xff.md")
    rejects = {Path(r["origin"]).name: r["reason"] for r in store.read_rejects(corpus)}
    assert rejects["c-deep.dat"].startswith("invalid JSON: nested too deeply")
    assert "b-bare-cr.dat" in rejects
    notes = store.read_notes(corpus)
    assert any(n["origin"].endswith("e-year-one.md") and "undated" in n["note"] for n in notes)


def test_a_crash_that_escapes_is_exit_3_naming_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-good.md").write_text(md("Good", BODY))
    (tmp_path / "in" / "b-boom.md").write_text(md("Boom", MEETING))
    # The reader's own guard turns parser exceptions into rejects; a bug past it (here in
    # dispatch) must still be isolated by the run.
    monkeypatch.setattr(readers, "_parse_bytes", _raising_for("b-boom.md", readers._parse_bytes))
    corpus = tmp_path / "corpus"
    code = main(["ingest", str(tmp_path / "in"), "--corpus", str(corpus), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 3
    assert "internal error" in err and "b-boom.md" in err
    assert list(store.load_corpus(corpus).articles["title"]) == ["Good"]
    # Not fingerprinted: the next run reads it again (and, the bug fixed, stores it).
    monkeypatch.undo()
    assert ingest([str(tmp_path / "in")], corpus, progress=False).added == 1


def _raising_for(name: str, real: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def parse(data: bytes, file_name: str, origin: str, *args: Any, **kwargs: Any) -> Any:
        if origin.endswith(name):
            raise KeyError("a bug")
        yield from real(data, file_name, origin, *args, **kwargs)

    return parse


# --- 3. URLs -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    requested: ClassVar[list[str]] = []
    redirect_to: ClassVar[str] = ""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        type(self).requested.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", type(self).redirect_to)
            self.end_headers()
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100):  # one byte every 0.2 s: no single read ever times out
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
        else:
            page = f"<html><body><p>{BODY}</p><p>{MEETING}</p></body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)


@pytest.fixture
def local_server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"requested": [], "redirect_to": ""})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1",
     "0.0.0.0", "240.0.0.1", "100.64.0.1", "::1", "fe80::1", "fc00::1", "ff02::1",
     "::ffff:127.0.0.1", "2002:7f00:1::1"],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert fetch.address_problem(address) is not None


def test_public_addresses_are_allowed() -> None:
    assert fetch.address_problem("93.184.216.34") is None
    assert fetch.address_problem("2606:2800:220:1:248:1893:25c8:1946") is None


def test_loopback_urls_are_refused_unless_allowed(local_server: Any, tmp_path: Path) -> None:
    base, handler = local_server
    port = base.rsplit(":", 1)[1]
    for url in (f"{base}/page", f"http://0x7f000001:{port}/page", f"http://2130706433:{port}/p"):
        items = list(readers.read_source(url))
        assert len(items) == 1 and "refused" in items[0].reason, url
        assert "127.0.0.1" in items[0].reason and "loopback" in items[0].reason
    assert handler.requested == []  # not one request reached the server
    (article,) = readers.read_source(f"{base}/page", allow_private_urls=True)
    assert article.text.startswith("North Korea fired")
    # The CLI flag.
    corpus = tmp_path / "corpus"
    argv = ["ingest", f"{base}/page", "--corpus", str(corpus), "--no-progress"]
    assert main(argv) == 1
    assert main([*argv, "--allow-private-urls"]) == 0


def test_every_redirect_is_checked(local_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base, handler = local_server
    port = base.rsplit(":", 1)[1]
    handler.redirect_to = f"http://127.0.0.2:{port}/secret"
    real = fetch.address_problem

    def only_127_0_0_1_is_public(address: str) -> str | None:
        return None if address == "127.0.0.1" else real(address)

    monkeypatch.setattr(fetch, "address_problem", only_127_0_0_1_is_public)
    (reject,) = readers.read_source(f"{base}/redirect")
    assert "refused" in reject.reason and "127.0.0.2" in reject.reason
    assert handler.requested == ["/redirect"]  # the redirect target was never asked


def test_a_trickling_server_is_cut_off_at_the_deadline(local_server: Any) -> None:
    base, _ = local_server
    started = time.monotonic()
    items = bounded(
        lambda: list(
            readers.read_source(f"{base}/trickle", allow_private_urls=True, timeout=5, deadline=1.5)
        ),
        seconds=30,
    )
    assert time.monotonic() - started < 10
    (reject,) = items
    assert reject.reason.startswith("no complete response within 1.5 s")


def test_an_unresolvable_host_is_a_reject() -> None:
    (reject,) = readers.read_source("http://nonexistent.invalid/x", timeout=3)
    assert "resolve" in reject.reason or "unreachable" in reject.reason


# --- 4. CLI CSV ------------------------------------------------------------------------------


def test_cli_csv_neutralises_formula_cells_like_the_dashboard(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain"],
            "actors": [["North Korea"], [], ["Japan", "Russia"], [], []],
            "n": [1, 2, 3, 4, 5],
        }
    )
    out = tmp_path / "out.csv"
    _write_frame(frame, "csv", str(out))
    written = out.read_bytes()
    assert written == frame_to_csv(frame)  # the one function the dashboard uses
    titles = pd.read_csv(out)["title"].tolist()
    assert titles == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "plain"]


def test_events_csv_from_the_cli_has_no_formula_cells(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(md("=cmd|' /C calc'!A0", BODY))
    corpus = tmp_path / "corpus"
    assert main(["ingest", str(tmp_path / "in"), "--corpus", str(corpus), "--no-progress"]) == 0
    out = tmp_path / "events.csv"
    assert main(["events", "--corpus", str(corpus), "--out", str(out)]) == 0
    events = pd.read_csv(out)
    assert len(events) and set(events["title"]) == {"'=cmd|' /C calc'!A0"}


# --- 5. salvage --------------------------------------------------------------------------------


def test_nul_bytes_and_bad_rows_cost_only_their_row(tmp_path: Path) -> None:
    rows = [["title", "text"], ["One", BODY], ["Two", "a\x00b " + MEETING], ["Three", MEETING]]
    path = tmp_path / "nul.csv"
    path.write_text(csv_rows(rows))
    items = list(readers.read_source(path))
    assert [getattr(i, "title", None) for i in items] == ["One", None, "Three"]
    assert items[1].reason == "row contains NUL bytes (line 3)"
    # In a text file a stray NUL is dropped, not the article.
    (tmp_path / "nul.txt").write_bytes(b"Title\n" + BODY.encode() + b"\x00\n")
    (article,) = readers.read_source(tmp_path / "nul.txt")
    assert "\x00" not in article.text


def test_an_unbalanced_quote_names_its_row_and_the_next_rows_go_in(tmp_path: Path) -> None:
    plain = BODY.replace(",", "")
    text = f'title,text\nOne,"{plain}\nTwo,{MEETING.replace(",", "")}\nThree,{plain} again\n'
    path = tmp_path / "quote.csv"
    path.write_text(text)
    items = list(readers.read_source(path))
    reject = items[0]
    assert reject.origin.endswith("#row=1")
    assert "unbalanced quote" in reject.reason and "line 2" in reject.reason
    assert [i.title for i in items[1:]] == ["Two", "Three"]


def test_duplicate_text_column_non_empty_wins_or_a_clear_reject(tmp_path: Path) -> None:
    rows = [["title", "text", "text"], ["A", "", BODY], ["B", MEETING, ""], ["C", BODY, MEETING]]
    path = tmp_path / "dup.csv"
    path.write_text(csv_rows(rows))
    a, b, c = readers.read_source(path)
    assert a.text.startswith("North Korea") and b.text.startswith("The foreign ministers")
    assert "'text' appears 2 times with different values" in c.reason
    path = tmp_path / "dup.json"
    path.write_text('{"text": "", "title": "J", "text": "' + BODY + '"}')
    (article,) = readers.read_source(path)
    assert article.text.startswith("North Korea")


@pytest.mark.parametrize(
    "date", ["0000-00-00", "2017-02-30", "9999-12-31", "0001-01-01 00:00:00", "1850-01-01"]
)
def test_impossible_and_out_of_range_dates_store_the_article_undated(
    tmp_path: Path, date: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(md("Odd date", BODY, date))
    corpus = tmp_path / "corpus"
    report = ingest([str(tmp_path / "in")], corpus, progress=False)
    assert report.added == 1 and report.rejected == 0
    (published,) = store.load_corpus(corpus).articles["published"]
    assert pd.isna(published)
    (note,) = store.read_notes(corpus)
    assert note["origin"].endswith("a.md") and date in note["note"] and "undated" in note["note"]


def test_yaml_dates_still_read(tmp_path: Path) -> None:
    for date, expected in [("2017-03-21", "2017-03-21T00:00:00+00:00"),
                           ("2017-03-21 09:40:00+09:00", "2017-03-21T00:40:00+00:00")]:  # fmt: skip
        path = tmp_path / "a.md"
        path.write_text(md("Dated", BODY, date))
        (article,) = readers.read_source(path)
        assert article.published is not None and article.published.isoformat() == expected


# --- 6. silent drops ------------------------------------------------------------------------


def test_zip_member_names_that_climb_out_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../up.md", md("Up", BODY))
        archive.writestr("..\\back.md", md("Back", BODY))
        archive.writestr("/abs.md", md("Abs", BODY))
        archive.writestr("./here.md", md("Here", MEETING))
    items = list(readers.read_source(path))
    rejects = {i.origin.split("!", 1)[1]: i.reason for i in items if hasattr(i, "reason")}
    assert set(rejects) == {"../up.md", "..\\back.md", "/abs.md"}
    assert all(reason.startswith("unsafe member name") for reason in rejects.values())
    assert [i.title for i in items if not hasattr(i, "reason")] == ["Here"]
    assert not (tmp_path.parent / "up.md").exists()


def test_header_only_csv_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("title,text\n")
    (reject,) = readers.read_source(path)
    assert reject.reason == "no rows after the CSV header"


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.md").write_text(md("Secret", MEETING))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(md("Inside", BODY))
    (folder / "link.md").symlink_to(outside / "secret.md")
    (folder / "same.md").symlink_to(folder / "a.md")  # inside: fine (an exact duplicate)
    (folder / "dangling.md").symlink_to(tmp_path / "nothing.md")
    corpus = tmp_path / "corpus"
    report = ingest([str(folder)], corpus, progress=False)
    reasons = {Path(r["origin"]).name: r["reason"] for r in report.rejects}
    assert reasons["link.md"].startswith("symbolic link to a file outside the input folder")
    assert reasons["dangling.md"].startswith("broken symbolic link")
    assert list(store.load_corpus(corpus).articles["title"]) == ["Inside"]
    # The reader on its own applies the same rule.
    read = list(readers.read_source(folder))
    assert "Secret" not in {getattr(i, "title", None) for i in read}


# --- 7. junk, the rejects log, wrapping --------------------------------------------------------


@pytest.mark.parametrize("value", ["1e999999", "-1e999999", "NaN", "12345", "true"])
def test_a_number_is_no_article_text(tmp_path: Path, value: str) -> None:
    path = tmp_path / "junk.json"
    path.write_text('[{"text": ' + value + '}, {"title": 1e999999, "text": "' + BODY + '"}]')
    junk, good = readers.read_source(path)
    assert junk.reason.startswith(("no article text: the text field holds a number", "empty"))
    assert good.title is None and good.text.startswith("North Korea")


def _feed(items: list[str]) -> str:
    body = "".join(f"<item><title>T{n}</title><description>{text}</description></item>"
                   for n, text in enumerate(items))  # fmt: skip
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{body}</channel></rss>'
    )


def test_repeated_rejects_are_one_line_and_unchanged_files_are_not_relogged(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.xml").write_text(_feed([BODY] + [""] * 300))
    corpus = tmp_path / "corpus"
    first = ingest([str(folder)], corpus, progress=False)
    assert first.added == 1 and first.rejected == 300
    (line,) = store.read_rejects(corpus)
    assert line["origin"] == str(folder / "feed.xml") and line["count"] == 300
    assert line["reason"] == "empty text" and len(line["examples"]) == 5
    second = ingest([str(folder)], corpus, progress=False)
    assert second.unchanged_with_rejects == 1 and second.rejects == []
    assert len(store.read_rejects(corpus)) == 1
    # Changed, it is read again (and the good item is not added twice).
    (folder / "feed.xml").write_text(_feed([BODY, MEETING] + [""] * 300))
    third = ingest([str(folder)], corpus, progress=False)
    assert third.added == 1 and len(store.read_rejects(corpus)) == 2


def test_many_distinct_rejects_in_one_file_are_capped(tmp_path: Path) -> None:
    rows = [["title", "text"]] + [[f"R{n}", "x", "extra"] for n in range(1000)]
    (tmp_path / "bad.csv").write_text(csv_rows(rows))
    report = ingest([str(tmp_path / "bad.csv")], tmp_path / "corpus", progress=False)
    assert report.rejected == 1000
    assert len(store.read_rejects(tmp_path / "corpus")) <= 201


def test_the_rejects_log_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "LOG_MAX_BYTES", 2000)
    for batch in range(20):
        store.append_rejects(tmp_path, [{"origin": f"f{batch}-{n}", "reason": "x" * 50}
                                        for n in range(10)])  # fmt: skip
    assert (tmp_path / "rejects.jsonl").stat().st_size <= 2000 + 1000
    assert (tmp_path / "rejects.1.jsonl").exists()
    assert len(list(tmp_path.glob("rejects*"))) == 2
    assert store.read_rejects(tmp_path)[-1]["origin"] == "f19-9"


def _reader_script(corpus: str, article_id: str) -> None:
    from pathlib import Path

    from components import data, reader

    key = data.corpus_key(Path(corpus))
    assert key is not None
    reader.render_article(key, article_id)


def test_reader_wraps_long_unbroken_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    # The script imports the dashboard's components/ package, which lives at the repo root
    # (an AppTest of app.py puts it on the path; a script made from a function does not).
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[3]))

    word = "x" * 3000
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(md("Long " + "y" * 500, BODY + " " + word + "."))
    corpus = tmp_path / "corpus"
    ingest([str(tmp_path / "in")], corpus, progress=False)
    (article_id,) = store.load_corpus(corpus).articles["article_id"]
    at = AppTest.from_function(_reader_script, args=(str(corpus), article_id), default_timeout=60)
    at.run()
    assert not at.exception
    bodies = [element.proto.body for element in at.html]
    (text,) = [body for body in bodies if word in body]
    assert text.startswith('<div class="fp-reader-text" style="overflow-wrap:anywhere')
    (head,) = [body for body in bodies if "y" * 500 in body]
    assert 'style="overflow-wrap:anywhere' in head
