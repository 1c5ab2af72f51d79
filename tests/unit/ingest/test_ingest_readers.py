"""Readers: every format on files the tests write, and every reject with its reason while
the good rows of the same input still come in."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flashpoint.ingest import readers
from flashpoint.ingest.readers import read_source
from flashpoint.schema import Reject

Write = Callable[..., Path]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def paragraphs(body: str, count: int = 2) -> str:
    return "\n\n".join(body.split("\n\n")[:count])


# --- plain text and Markdown ---------------------------------------------------------------


def test_text_file_first_line_is_title_and_date_stays_unknown(write, read_all, english_body):
    path = write("launch.txt", f"North Korea Fires Missile Into Sea\n\n{english_body}\n")
    (article,), rejects = read_all(path)
    assert rejects == []
    assert article.title == "North Korea Fires Missile Into Sea"
    assert article.text.startswith("North Korea fired a ballistic missile")
    assert "North Korea Fires Missile Into Sea" not in article.text
    assert article.published is None and article.published_precision == "unknown"
    assert article.origin == str(path)
    assert article.language == "en"


def test_markdown_front_matter_gives_fields_and_markup_is_dropped(write, read_all, english_body):
    first, rest = english_body.split("\n\n", 1)
    markdown = (
        "---\n"
        "title: Missile Lands Between Korea and Japan\n"
        "date: 2017-05-14T07:30:00+09:00\n"
        "source: Flashpoint Sample Desk\n"
        "url: https://sample.flashpoint.invalid/2017/05/14/missile\n"
        "id: desk-0042\n"
        "tags: [missiles, korea]\n"
        "---\n"
        "# Missile Lands Between Korea and Japan\n\n"
        "![Launch site seen from space, 09/16/2016](launch.jpg)\n\n"
        f"{first.replace('ballistic missile', '**ballistic missile**')}\n\n"
        f"{rest.replace('Japan said', '[Japan](https://www.mofa.go.jp) said')}\n"
    )
    (article,), rejects = read_all(write("story.md", markdown))
    assert rejects == []
    assert article.title == "Missile Lands Between Korea and Japan"
    assert article.published == datetime(2017, 5, 13, 22, 30, tzinfo=UTC)
    assert article.published_precision == "datetime"
    assert article.source == "Flashpoint Sample Desk"
    assert article.url == "https://sample.flashpoint.invalid/2017/05/14/missile"
    assert article.external_id == "desk-0042"
    assert article.text.startswith("North Korea fired a ballistic missile into the sea")
    assert "Japan said the missile" in article.text
    for markup in ("**", "](", "![", "#", "09/16/2016"):
        assert markup not in article.text


def test_front_matter_day_date_is_midnight_utc(write, read_all, english_body):
    text = f"---\ntitle: A Day\ndate: 2017-05-14\n---\n{english_body}\n"
    (article,), _ = read_all(write("day.md", text))
    assert article.published == datetime(2017, 5, 14, tzinfo=UTC)
    assert article.published_precision == "day"


def test_invalid_front_matter_is_rejected_with_the_yaml_problem(write, read_all, english_body):
    text = f"---\ntitle: [unclosed\ndate: 2017-05-14\n---\n{english_body}\n"
    articles, (reject,) = read_all(write("broken.md", text))
    assert articles == []
    assert reject.reason.startswith("invalid YAML front matter")


def test_title_only_file_is_rejected_as_empty_text(write, read_all):
    _, (reject,) = read_all(write("title.txt", "Only A Headline Here\n\n"))
    assert "empty text" in reject.reason


def test_default_source_fills_in_when_the_input_names_none(write, read_all, english_body):
    path = write("plain.txt", f"Headline\n{english_body}")
    (article,), _ = read_all(path, default_source="Flashpoint Tokyo Desk")
    assert article.source == "Flashpoint Tokyo Desk"


# --- HTML ----------------------------------------------------------------------------------


class _CountingHandler(BaseHTTPRequestHandler):
    """Serves the pages registered in `routes` and records every path requested."""

    routes: ClassVar[dict[str, tuple[str, bytes]]] = {}
    requested: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requested.append(self.path)
        content_type, payload = self.routes.get(self.path, ("text/plain", b""))
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_CountingHandler]]]:
    handler = type("Handler", (_CountingHandler,), {"routes": {}, "requested": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def html_page(body: str, *, base: str = "http://127.0.0.1:9", published: str | None) -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paragraphs_html = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Missile Lands Between Korea and Japan | Example Wire</title>
<meta property="og:title" content="Missile Lands Between Korea and Japan">
<meta property="og:site_name" content="Example Wire">
{meta}
<link rel="canonical" href="https://news.example.org/2017/05/14/missile/">
<link rel="stylesheet" href="{base}/style.css">
<script src="{base}/tracker.js"></script>
<script>document.write("INJECTED BY SCRIPT");</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/asia">Asia</a></nav>
<article><h1>Missile Lands Between Korea and Japan</h1>
<figure><img src="{base}/photo.jpg"><figcaption>FILE PHOTO, 09/16/2015: A launch.</figcaption></figure>
<p>SEOUL — Officials gave details of the launch on Sunday morning in a briefing.</p>
{paragraphs_html}
<iframe src="{base}/embed.html"></iframe>
</article>
<footer>Comments are closed for this story.</footer>
</body></html>"""


def test_html_main_text_and_metadata_without_fetching_anything(
    server, write, read_all, english_body
):
    base, handler = server
    path = write(
        "page.html", html_page(english_body, base=base, published="2017-05-14T07:30:00+09:00")
    )
    (article,), rejects = read_all(path)
    assert rejects == []
    assert handler.requested == []  # no stylesheet, script, image or iframe was fetched
    assert article.title == "Missile Lands Between Korea and Japan"
    assert article.source == "Example Wire"
    assert article.url == "https://news.example.org/2017/05/14/missile/"
    assert article.published == datetime(2017, 5, 13, 22, 30, tzinfo=UTC)
    assert article.dateline == "SEOUL"
    assert article.text.startswith("Officials gave details")
    assert "The missile flew about 700 kilometers" in article.text
    for junk in ("INJECTED", "Home", "FILE PHOTO", "Comments are closed", "Missile Lands Between"):
        assert junk not in article.text


def test_html_date_never_comes_from_the_page_text(write, read_all, english_body):
    body = f"Published March 3, 2016. Updated 09/16/2016.\n\n{english_body}"
    (article,), _ = read_all(write("undated.html", html_page(body, published=None)))
    assert article.published is None
    assert article.published_precision == "unknown"


def test_html_declared_legacy_charset_is_honoured(write, read_all, english_body):
    page = html_page(english_body + "\n\nThe café owner said so.", published="2017-05-14")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    (article,), rejects = read_all(write("legacy.html", page.encode("cp1252")))
    assert rejects == []
    assert "The café owner said so." in article.text


# --- JSON and JSONL ---------------------------------------------------------------------------


def test_json_list_with_news_please_fields(write, read_all, english_body):
    items = [
        {
            "title": "Missile Lands Between Korea and Japan",
            "maintext": english_body,
            "date_publish": "2017-05-14 07:30:00",
            "source_domain": "news.example.org",
            "url": "https://news.example.org/a",
            "authors": ["A. Writer"],
        },
        {
            "headline": "Second",
            "article": paragraphs(english_body),
            "publishedAt": "2017-05-15T01:00:00Z",
            "publication": "Example Wire",
        },
    ]
    articles, rejects = read_all(write("items.json", json.dumps(items)))
    assert rejects == []
    first, second = articles
    assert first.title == "Missile Lands Between Korea and Japan"
    assert first.source == "news.example.org"
    assert first.published == datetime(2017, 5, 14, 7, 30, tzinfo=UTC)
    assert first.origin.endswith("items.json#item=1")
    assert second.title == "Second" and second.source == "Example Wire"
    assert second.published == datetime(2017, 5, 15, 1, 0, tzinfo=UTC)


def test_json_single_object_and_newsapi_wrapper(write, read_all, english_body):
    single = {"headline": "One Story", "body": english_body, "id": 17}
    (article,), _ = read_all(write("one.json", json.dumps(single)))
    assert article.external_id == "17" and article.origin.endswith("one.json")
    wrapper = {
        "status": "ok",
        "articles": [
            {
                "source": {"id": None, "name": "Example Wire"},
                "title": "Wrapped",
                "content": english_body,
                "publishedAt": "2017-05-14T00:00:00Z",
            }
        ],
    }
    (wrapped,), rejects = read_all(write("api.json", json.dumps(wrapper)))
    assert rejects == [] and wrapped.source == "Example Wire" and wrapped.title == "Wrapped"


def test_json_bad_items_are_rejected_and_good_ones_come_in(write, read_all, english_body):
    items = [{"title": "Good", "text": english_body}, "just a string", {"title": "No body here"}]
    articles, rejects = read_all(write("mixed.json", json.dumps(items)))
    assert [a.title for a in articles] == ["Good"]
    reasons = {r.origin.rsplit("#", 1)[1]: r.reason for r in rejects}
    assert reasons["item=2"].startswith("not a JSON object")
    assert reasons["item=3"].startswith("no text field")


def test_invalid_json_names_line_and_column(write, read_all):
    _, (reject,) = read_all(write("bad.json", '[{"title": "x",\n "text": }]'))
    assert reject.reason.startswith("invalid JSON") and "line 2" in reject.reason


def test_jsonl_broken_line_is_rejected_with_its_number(write, read_all, english_body):
    good = json.dumps({"title": "Good", "text": english_body})
    path = write("feed.jsonl", f'{good}\n{{"title": "cut off", "text": "abc\n\n{good}\n')
    articles, (reject,) = read_all(path)
    assert len(articles) == 2
    assert reject.origin == f"{path}#line=2"
    assert reject.reason.startswith("invalid JSON")
    assert [a.origin for a in articles] == [f"{path}#line=1", f"{path}#line=4"]


# --- CSV, TSV, Parquet --------------------------------------------------------------------------


def test_csv_columns_found_by_alias(write, read_all, english_body):
    rows = [
        ["guid", "Headline", "Body", "Published", "Publisher", "Link", "section"],
        ["x1", "First", english_body, "2017-05-14", "Example Wire", "https://e.org/1", "World"],
    ]
    (article,), rejects = read_all(write("aliases.csv", csv_text(rows)))
    assert rejects == []
    assert (article.external_id, article.title, article.source, article.url) == (
        "x1",
        "First",
        "Example Wire",
        "https://e.org/1",
    )
    assert (
        article.published == datetime(2017, 5, 14, tzinfo=UTC)
        and article.published_precision == "day"
    )
    assert article.meta["section"] == "World"


def test_csv_date_precision_column_is_respected(write, read_all, english_body):
    rows = [
        ["id", "title", "date", "date_precision", "text"],
        ["a", "Month", "2017-05-14", "month", english_body],
        ["b", "Datetime", "2017-05-14T07:30:00", "datetime", english_body],
    ]
    month, moment = read_all(write("prec.csv", csv_text(rows)))[0]
    assert (month.published, month.published_precision) == (
        datetime(2017, 5, 1, tzinfo=UTC),
        "month",
    )
    assert (moment.published, moment.published_precision) == (
        datetime(2017, 5, 14, 7, 30, tzinfo=UTC),
        "datetime",
    )


def test_csv_row_with_wrong_field_count_is_rejected_others_come_in(write, read_all, english_body):
    text = csv_text([["title", "text", "date"], ["One", english_body, "2017-05-14"]])
    text += '"Two","extra field",' + '"' + english_body + '","2017-05-14"\n'
    text += csv_text([["Three", english_body, "2017-05-16"]])
    path = write("rows.csv", text)
    articles, (reject,) = read_all(path)
    assert [a.title for a in articles] == ["One", "Three"]
    assert reject.origin == f"{path}#row=2"
    assert reject.reason.startswith("expected 3 fields, found 4")
    assert articles[1].origin == f"{path}#row=3"


def test_csv_without_text_column_is_one_reject(write, read_all):
    path = write(
        "notext.csv", csv_text([["title", "date"], ["A", "2017-05-14"], ["B", "2017-05-15"]])
    )
    articles, (reject,) = read_all(path)
    assert articles == []
    assert reject.origin == str(path)
    assert reject.reason.startswith("no text column") and "columns: title, date" in reject.reason


def test_field_map_names_columns_explicitly(write, read_all, english_body):
    rows = [["hed", "story_body", "text"], ["Mapped", english_body, "not the body"]]
    (article,), _ = read_all(
        write("map.csv", csv_text(rows)), field_map={"text": "story_body", "title": "hed"}
    )
    assert article.title == "Mapped" and article.text.startswith("North Korea fired")
    _, (reject,) = read_all(write("map2.csv", csv_text(rows)), field_map={"text": "missing_col"})
    assert "missing_col" in reject.reason


def test_field_map_with_unknown_field_is_a_usage_error():
    with pytest.raises(ValueError, match="unknown field"):
        read_source("anything.csv", field_map={"bodytext": "x"})


def test_tsv(write, read_all, english_body):
    rows = [
        ["title", "text", "source"],
        ["Tabbed", english_body.replace("\n\n", " "), "Example Wire"],
    ]
    (article,), rejects = read_all(write("t.tsv", csv_text(rows, delimiter="\t")))
    assert rejects == [] and article.title == "Tabbed" and article.source == "Example Wire"


def test_parquet_with_timestamp_and_date_columns(tmp_path, read_all, english_body):
    table = pa.table(
        {
            "title": ["Stamped", "Dated", "Empty"],
            "content": [english_body, english_body, None],
            "published": pa.array(
                [datetime(2017, 5, 14, 7, 30, tzinfo=UTC), None, None],
                type=pa.timestamp("us", tz="UTC"),
            ),
            "day": pa.array([None, date(2017, 5, 15), None], type=pa.date32()),
        }
    )
    path = tmp_path / "articles.parquet"
    pq.write_table(table, path)
    articles, (reject,) = read_all(path, field_map={"date": "published"})
    assert articles[0].published == datetime(2017, 5, 14, 7, 30, tzinfo=UTC)
    assert articles[1].published is None  # the mapped date column is empty for this row
    assert reject.origin == f"{path}#row=3" and reject.reason == "empty text"
    # without the map, "published" is found by alias
    articles, _ = read_all(path)
    assert articles[0].published_precision == "datetime"


# --- RSS and Atom ----------------------------------------------------------------------------


def rss_feed(body: str) -> str:
    encoded = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire: Asia</title><link>https://news.example.org</link>
<item>
  <title>Missile Lands Between Korea and Japan</title>
  <link>https://news.example.org/2017/05/14/missile</link>
  <guid>https://news.example.org/?p=42</guid>
  <pubDate>Sun, 14 May 2017 07:30:00 +0900</pubDate>
  <description>A short teaser only.</description>
  <content:encoded><![CDATA[<figure><img src="http://127.0.0.1:9/x.jpg"/><figcaption>Photo: old file image</figcaption></figure>{encoded}<script>alert(1)</script>]]></content:encoded>
</item>
<item>
  <title>Teaser Only</title>
  <link>https://news.example.org/2017/05/15/teaser</link>
  <description>{body.split(chr(10))[0]}</description>
</item>
</channel></rss>"""


def test_rss_prefers_content_encoded_and_reads_feed_metadata(write, read_all, english_body):
    path = write("asia.rss", rss_feed(english_body))
    (first, second), rejects = read_all(path)
    assert rejects == []
    assert first.title == "Missile Lands Between Korea and Japan"
    assert first.source == "Example Wire: Asia"
    assert first.external_id == "https://news.example.org/?p=42"
    assert first.published == datetime(2017, 5, 13, 22, 30, tzinfo=UTC)
    assert first.text.startswith("North Korea fired a ballistic missile")
    assert (
        "teaser" not in first.text
        and "old file image" not in first.text
        and "alert" not in first.text
    )
    assert "\n\n" in first.text  # paragraphs kept
    assert first.origin == f"{path}#item=1"
    assert second.published is None and second.text.startswith("North Korea fired")


def test_atom_feed(write, read_all, english_body):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id>
<updated>2017-05-15T00:00:00Z</updated>
<entry><title>Atom Story</title><id>urn:x:1</id>
<link href="https://news.example.org/atom/1"/>
<published>2017-05-14T07:30:00+09:00</published><updated>2017-05-20T00:00:00Z</updated>
<content type="html">{"".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in english_body.split(chr(10) * 2))}</content>
</entry></feed>"""
    (article,), rejects = read_all(write("desk.atom", atom))
    assert rejects == []
    assert article.published == datetime(2017, 5, 13, 22, 30, tzinfo=UTC)  # published, not updated
    assert article.source == "Atom Desk" and article.url == "https://news.example.org/atom/1"


def test_feed_without_items_and_xml_that_is_no_feed(write, read_all):
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'
    _, (reject,) = read_all(write("empty.xml", empty))
    assert reject.reason == "feed has no items"
    _, (reject,) = read_all(
        write("sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    )
    assert reject.reason.startswith("not an RSS/Atom feed")


# --- archives, directories, globs, sniffing -----------------------------------------------------


def test_zip_members_read_in_memory_and_odd_members_rejected(tmp_path, read_all, english_body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/story.md", f"---\ntitle: Zipped\n---\n{english_body}")
        archive.writestr("b/rows.csv", csv_text([["title", "text"], ["Row", english_body]]))
        archive.writestr("a/.hidden.txt", "Hidden\n" + english_body)
        archive.writestr("__MACOSX/a/._story.md", b"\x00\x05\x16\x07")
        archive.writestr("inner.zip", b"PK\x03\x04 not really")
    path = tmp_path / "bundle.zip"
    path.write_bytes(buffer.getvalue())
    before = sorted(p.name for p in tmp_path.rglob("*"))
    articles, rejects = read_all(path)
    assert sorted(a.origin for a in articles) == [f"{path}!a/story.md", f"{path}!b/rows.csv#row=1"]
    assert [(r.origin, r.reason) for r in rejects] == [
        (f"{path}!inner.zip", "zip inside a zip: not read")
    ]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing extracted


def test_zip_bomb_stops_at_the_size_cap(tmp_path, read_all, english_body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("first.txt", "First\n" + english_body)
        archive.writestr("bomb.txt", b"A" * (4 * 1024 * 1024))
        archive.writestr("after.txt", "After\n" + english_body)
    path = tmp_path / "bomb.zip"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 64 * 1024
    articles, (reject,) = read_all(path, max_bytes=1024 * 1024)
    assert [a.title for a in articles] == ["First"]
    assert reject.origin == f"{path}!bomb.txt" and reject.reason.startswith("archive too large")


def test_zip_bomb_with_lying_header_stops_at_the_cap(tmp_path, read_all):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"A" * (3 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Rewrite the declared uncompressed size (local header and central directory) to 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    articles, rejects = read_all(path, max_bytes=1024 * 1024)
    assert articles == []
    assert [r.origin for r in rejects] == [f"{path}!bomb.txt"]
    assert rejects[0].reason.startswith(("corrupt zip member", "archive too large"))


def test_directory_is_read_recursively_without_hidden_files(
    tmp_path, write, read_all, english_body
):
    write("corpus/one.txt", "One\n" + english_body)
    write("corpus/sub/two.md", "# Two\n\n" + english_body)
    write("corpus/.secret.txt", "Secret\n" + english_body)
    write("corpus/.git/three.txt", "Three\n" + english_body)
    write("corpus/README.md", "# About this folder\n\n" + english_body)
    articles, rejects = read_all(tmp_path / "corpus")
    assert rejects == []
    assert sorted(a.title for a in articles) == ["One", "Two"]
    (readme,), _ = read_all(tmp_path / "corpus" / "README.md")  # named explicitly: read
    assert readme.title == "About this folder"


def test_glob_pattern_and_missing_inputs(tmp_path, write, read_all, english_body):
    write("g/a.txt", "Alpha\n" + english_body)
    write("g/b.txt", "Beta\n" + english_body)
    write("g/c.md", "Gamma\n" + english_body)
    articles, _ = read_all(str(tmp_path / "g" / "*.txt"))
    assert [a.title for a in articles] == ["Alpha", "Beta"]
    _, (reject,) = read_all(str(tmp_path / "g" / "*.csv"))
    assert reject.reason == "no files match this pattern"
    _, (reject,) = read_all(tmp_path / "nowhere.txt")
    assert reject.reason == "no such file or directory"


def test_unknown_extensions_are_sniffed(write, read_all, english_body):
    jsonl = "\n".join(json.dumps({"title": f"L{i}", "text": english_body}) for i in (1, 2))
    articles, _ = read_all(write("dump.dat", jsonl))
    assert [a.title for a in articles] == ["L1", "L2"]
    page = html_page(english_body, published="2017-05-14")
    (html_article,), _ = read_all(write("page.data", page))
    assert html_article.title == "Missile Lands Between Korea and Japan"
    (text_article,), _ = read_all(write("README", "Plain Title\n" + english_body))
    assert text_article.title == "Plain Title"
    (csv_article,), _ = read_all(
        write("table.export", csv_text([["title", "text"], ["C", english_body]]))
    )
    assert csv_article.title == "C"


# --- rejects ----------------------------------------------------------------------------------


def test_unreadable_file_is_rejected(write, read_all, english_body, monkeypatch):
    path = write("locked.txt", "Locked\n" + english_body)
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: permissions are not enforced

        def refuse(_: Path) -> tuple[io.BufferedReader, os.stat_result]:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(readers, "open_regular", refuse)
    try:
        _, (reject,) = read_all(path)
    finally:
        path.chmod(0o644)
    assert reject.reason == "unreadable: permission denied"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
        (b"%PDF-1.7\n" + bytes(100), "PDF document"),
        (b"some text\x00\x01\x02 with NUL bytes" * 10, "contains NUL bytes"),
    ],
)
def test_binary_file_is_rejected(write, read_all, content, kind):
    _, (reject,) = read_all(write("thing.txt", content))
    assert reject.reason == f"binary file ({kind})"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \n"])
def test_empty_file_is_rejected(write, read_all, content):
    _, (reject,) = read_all(write("empty.txt", content))
    assert reject.reason == "empty file"


def test_oversized_file_is_rejected(write, read_all, english_body):
    path = write("big.txt", "Big\n" + english_body * 3)
    _, (reject,) = read_all(path, max_bytes=1000)
    assert reject.reason.startswith("file too large")


def test_oversized_article_is_rejected_others_in_the_file_come_in(write, read_all, english_body):
    rows = [
        ["title", "text"],
        ["Small", english_body],
        ["Huge", english_body * 20],
        ["Small too", english_body],
    ]
    path = write("sizes.csv", csv_text(rows))
    articles, (reject,) = read_all(path, max_article_chars=5000)
    assert [a.title for a in articles] == ["Small", "Small too"]
    assert reject.origin == f"{path}#row=2" and reject.reason.startswith("article too large")


def test_not_utf8_is_refused_with_byte_and_offset(write, read_all, english_body):
    text = "Headline\nThe caf\xe9 " + english_body
    path = write("legacy.txt", text.encode("cp1252"))
    _, (reject,) = read_all(path)
    offset = len("Headline\nThe caf")
    assert reject.reason.startswith(f"not valid UTF-8 (byte 0xe9 at offset {offset})")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_utf8_bom_and_utf16_with_bom_are_read(write, read_all, english_body, encoding):
    path = write(f"bom-{encoding}.txt", ("Headline ‘Quoted’\n" + english_body).encode(encoding))
    (article,), rejects = read_all(path)
    assert rejects == [] and article.title == "Headline ‘Quoted’"


def test_empty_text_rows_are_rejected(write, read_all, english_body):
    rows = [
        ["title", "text"],
        ["Good", english_body],
        ["Blank", "   "],
        ["Furniture only", "Comments are closed for this story."],
    ]
    path = write("blank.csv", csv_text(rows))
    articles, rejects = read_all(path)
    assert [a.title for a in articles] == ["Good"]
    assert [r.reason for r in rejects] == ["empty text", "empty text after removing page furniture"]


def test_non_english_rows_are_rejected_english_rows_come_in(
    write, read_all, english_body, foreign_bodies
):
    rows = [["title", "text"], ["English", english_body]]
    rows += [[name, body] for name, body in foreign_bodies.items()]
    articles, rejects = read_all(write("languages.csv", csv_text(rows)))
    assert [a.title for a in articles] == ["English"]
    reasons = [r.reason for r in rejects]
    assert reasons[0].startswith("not English: 0% of")
    assert reasons[1] == "not English: mostly Hangul script"
    assert reasons[2] == "not English: mostly Cyrillic script"


# --- URLs ---------------------------------------------------------------------------------------


def test_url_of_article_page_and_feed(server, read_all, english_body):
    base, handler = server
    handler.routes["/news/missile"] = (
        "text/html; charset=utf-8",
        html_page(english_body, base=base, published="2017-05-14").encode(),
    )
    handler.routes["/asia/feed"] = ("application/rss+xml", rss_feed(english_body).encode())
    # The test server is on 127.0.0.1, which ingest refuses unless told otherwise.
    (page,), rejects = read_all(f"{base}/news/missile", allow_private_urls=True)
    assert rejects == [] and page.title == "Missile Lands Between Korea and Japan"
    assert page.origin == f"{base}/news/missile"
    assert handler.requested == ["/news/missile"]  # the page's assets were not fetched
    items, _ = read_all(f"{base}/asia/feed", allow_private_urls=True)
    assert [i.origin for i in items] == [f"{base}/asia/feed#item=1", f"{base}/asia/feed#item=2"]


def test_url_errors_are_rejects(server, read_all):
    base, _ = server
    _, (reject,) = read_all(f"{base}/missing", allow_private_urls=True)
    assert reject.reason == "HTTP error 404 Not Found"
    _, (reject,) = read_all("http://127.0.0.1:1/closed-port", timeout=5, allow_private_urls=True)
    assert reject.reason.startswith("network unreachable:")
    _, (reject,) = read_all("ftp://example.invalid/file.txt")
    assert reject.reason.startswith("unsupported URL scheme")


def test_read_source_never_raises_on_garbage(write, read_all):
    garbage = {
        "a.json": "[1, 2, {",
        "b.csv": '"unterminated,\n',
        "c.xml": "<<<>>>",
        "d.html": "<html><body></body></html>",
        "e.parquet": b"PAR1 not really parquet",
        "f.zip": b"PK\x03\x04 broken zip",
        "g.jsonl": "[[[[",
    }
    for name, content in garbage.items():
        write(f"junk/{name}", content)
    articles, rejects = read_all(write("junk/h.txt", "x").parent)
    assert articles == []
    # Every file is rejected (a JSON list item by item, so a.json more than once).
    named = {Path(r.origin.split("#", 1)[0]).name for r in rejects}
    assert named == {*garbage, "h.txt"}
    assert all(isinstance(r, Reject) and r.reason for r in rejects)
