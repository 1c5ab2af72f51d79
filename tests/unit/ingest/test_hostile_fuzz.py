"""Fuzz: 1,000+ generated hostile inputs (seeded) through one real ingest run.

Kinds, after issue #13: binary junk, broken encodings, oversized and sparse files, CSV/TSV
tricks (bare CR, NUL bytes, stray quotes, duplicate and missing columns, header only),
JSON tricks (deep nesting, lone surrogates, 1e999999, duplicate keys), YAML front matter
with impossible or out-of-range dates, feeds with empty items and entity tricks, zips with
climbing member names and nested zips, pipes, device and outside links, odd file names.
Good rows are mixed into many of them, each with a unique marker word.

Asserted: the run ends (a timeout guard), prints no traceback and exits 0 or 1 (never 3);
every input is accounted for (an article or a reject names it); every good row is stored;
nothing is written outside the corpus; the corpus loads.
"""

from __future__ import annotations

import json
import os
import random
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from flashpoint import store
from flashpoint.cli import main
from flashpoint.ingest.readers import safe_origin

SEED = 13
SENTENCES = [
    "North Korea fired a ballistic missile into the sea off its east coast on Tuesday.",
    "The foreign ministers of Japan and Russia met in Tokyo for talks on the islands.",
    "South Korea and the United States held a joint military exercise near the border.",
    "China said it opposed the deployment of the THAAD system in South Korea.",
    "The Security Council discussed new sanctions after the nuclear test last month.",
    "Officials in Seoul said the launch was the third this month and protested it.",
]
NUMBERS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
]


class Inputs:
    """Writes hostile files into a folder and remembers which good rows they hold."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.count = 0
        self.markers: list[str] = []

    def good_text(self) -> str:
        """English text with a unique marker (a spelled-out number, so it reads as words)."""
        number = len(self.markers)
        marker = "marker " + " ".join(NUMBERS[int(d)] for d in f"{number:04d}")
        self.markers.append(marker)
        picked = self.rng.sample(SENTENCES, 3)
        return f"{picked[0]} The report was filed as {marker}. {picked[1]} {picked[2]}"

    def path(self, suffix: str) -> Path:
        self.count += 1
        return self.folder / f"in{self.count:05d}{suffix}"

    def write(self, suffix: str, content: str | bytes) -> Path:
        target = self.path(suffix)
        target.write_bytes(
            content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        )
        return target


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _generate(inputs: Inputs, outside: Path) -> None:
    rng = inputs.rng
    ext = [".txt", ".md", ".csv", ".json", ".jsonl", ".xml", ".html", ".dat", ".tsv", ""]
    for _ in range(200):  # binary junk under any name
        inputs.write(rng.choice(ext), rng.randbytes(rng.randint(1, 3000)))
    for _ in range(60):  # broken encodings
        body = "Headline\nThe café " + " ".join(SENTENCES)
        data = rng.choice([body.encode("cp1252"), body.encode("utf-8")[:-1] + b"\xc3",
                           b"\xef\xbb\xbf" + body.encode("utf-16-le"), body.encode("utf-16-be")])  # fmt: skip
        inputs.write(rng.choice([".txt", ".md", ".csv"]), data)
    for _ in range(120):  # sniffing traps in files without a known extension
        inputs.write(".dat", rng.choice(["a,b\rc\n", "[" * rng.randint(1000, 20000),
                                         "{" * 3000, "text\r", ",\r\r\n\r", "\t\r\x0b"]))  # fmt: skip
    for _ in range(170):  # CSV / TSV with good rows among bad ones
        delimiter = rng.choice([",", "\t"])
        header = rng.choice([["title", "text"], ["text", "title", "text"], ["Text", "text"]])
        lines = [delimiter.join(header)]
        good = 0
        for _ in range(rng.randint(0, 6)):
            trick = rng.randrange(7)
            text = inputs.good_text() if trick < 3 else ""
            good += trick < 3
            if trick < 3:
                cells = [_csv_cell(text) if h.lower() == "text" else "T" for h in header]
                if header == ["text", "title", "text"]:
                    cells[2] = rng.choice(['""', cells[0]])  # the twin: empty or the same
                if header == ["Text", "text"]:
                    cells[1] = '""'
            elif trick == 3:
                cells = ['"unbalanced ' + "x"]  # swallows the rows after it
            elif trick == 4:
                cells = ["a\x00b"] * len(header)
            elif trick == 5:
                cells = ["1", "2", "3", "4", "5"]
            else:  # unique, so no row is an exact duplicate (those are counted, not logged)
                cells = [f"=HYPERLINK({inputs.count})"] * len(header)
            lines.append(delimiter.join(cells))
        newline = "\r" if rng.random() < 0.2 else "\n"  # old Mac line ends
        inputs.write(".tsv" if delimiter == "\t" else ".csv", newline.join(lines) + newline)
    for _ in range(150):  # JSON and JSONL
        items: list[str] = []
        for _ in range(rng.randint(1, 5)):
            trick = rng.randrange(8)
            if trick < 3:
                text = inputs.good_text()
                items.append('{"title": "T", "text": "", "text": ' + json.dumps(text) + "}"
                             if trick == 2 else json.dumps({"text": text, "date": "2017-02-30"}))  # fmt: skip
            elif trick == 3:
                items.append('{"text": 1e999999}')
            elif trick == 4:
                items.append('{"text": "\\ud800 lone ' + str(inputs.count) + '"}')
            elif trick == 5:
                items.append("[" * 3000 + "]" * 3000)
            elif trick == 6:
                items.append('{"title": "x", "body": null}')
            else:
                items.append('"just a string"')
        if rng.random() < 0.5:
            inputs.write(".jsonl", "\n".join(items) + "\n")
        else:
            inputs.write(".json", "[" + ",".join(items) + "]")
    for _ in range(150):  # Markdown front matter with odd dates, and plain text
        date = rng.choice(["0000-00-00", "2017-02-30", "9999-12-31", "0001-01-01 00:00:00",
                           "1850-07-04", "2017-03-21", "not a date", "[1, 2]", "!!timestamp x",
                           "2017-13-45T99:99:99", "1e999999"])  # fmt: skip
        text = inputs.good_text()
        if rng.random() < 0.15:
            text += "\x00"
        inputs.write(".md", f"---\ntitle: Odd\ndate: {date}\n---\n{text}\n")
    for _ in range(60):  # feeds: empty items, entity tricks, a good item
        body = inputs.good_text()
        empties = "".join("<item><title>e</title><description></description></item>"
                          for _ in range(rng.randint(0, 40)))  # fmt: skip
        doctype = rng.choice(["", '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>',
                              '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'])  # fmt: skip
        inputs.write(".xml", f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel>'
                             f"<title>F</title><item><title>Good</title><description>{body}"
                             f"</description></item>{empties}</channel></rss>")  # fmt: skip
    for _ in range(40):  # zips with climbing names, nested zips, good members
        target = inputs.path(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("good.md", f"---\ntitle: Z\n---\n{inputs.good_text()}\n")
            archive.writestr(rng.choice(["../../escape.md", "..\\escape.md", "/tmp/abs.md",
                                         "a/../../b.md"]), "x")  # fmt: skip
            archive.writestr("./dot/ok.txt", "Title\n" + inputs.good_text())
            archive.writestr("inner.zip", b"PK\x03\x04")
    for _ in range(40):  # links: to a device, outside the folder, dangling, a loop
        link = inputs.path(".txt")
        kind = rng.randrange(4)
        if kind == 0:
            link.symlink_to("/dev/zero")
        elif kind == 1:
            link.symlink_to(outside / "secret.md")
        elif kind == 2:
            link.symlink_to(inputs.folder / "nothing-here")
        else:
            link.symlink_to(link)
    if hasattr(os, "mkfifo"):
        for _ in range(10):
            os.mkfifo(inputs.path(".txt"))
    for number in range(40):  # odd names, good content
        name = rng.choice([b"odd-\xff-%d.md", b"new\nline-%d.md", b"-dash-%d.md",
                           b"sp ace %d.md", ("n" * 200 + "-%d.md").encode()]) % number  # fmt: skip
        inputs.count += 1
        (inputs.folder / os.fsdecode(name)).write_text(f"Title\n{inputs.good_text()}\n")
    with (inputs.path(".txt")).open("wb") as handle:  # oversized (sparse: costs nothing)
        handle.truncate(64 * 1024 * 1024 + 1)


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    seen: dict[str, tuple[int, int]] = {}
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [d for d in subdirs if Path(directory, d) != skip]
        for name in files:
            path = Path(directory, name)
            try:
                status = path.lstat()
            except OSError:
                continue
            seen[str(path)] = (status.st_size, status.st_mtime_ns)
    return seen


def test_fuzz_hostile_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nDo not read this text.\n")
    folder = tmp_path / "in"
    folder.mkdir()
    inputs = Inputs(folder, random.Random(SEED))
    _generate(inputs, outside)
    assert inputs.count >= 1000
    corpus = tmp_path / "corpus"
    before = _snapshot(tmp_path, corpus)

    result: dict[str, Any] = {}
    argv = ["ingest", str(folder), "--corpus", str(corpus), "--no-progress"]
    thread = threading.Thread(target=lambda: result.setdefault("code", main(argv)), daemon=True)
    thread.start()
    thread.join(300)
    assert not thread.is_alive(), "ingest hung"
    err = capsys.readouterr().err
    assert "Traceback" not in err and "INTERNAL ERROR" not in err, err[-3000:]
    assert result["code"] in (0, 1)

    assert _snapshot(tmp_path, corpus) == before  # nothing written outside the corpus
    loaded = store.load_corpus(corpus)
    articles = loaded.articles
    assert len(articles) == loaded.manifest["row_counts"]["articles"]
    texts = "\n".join(articles["text"])
    missing = [marker for marker in inputs.markers if marker + "." not in texts]
    assert missing == [], f"{len(missing)} good rows lost, e.g. {missing[:3]}"
    assert "Do not read this text" not in texts

    named: set[str] = set()
    for origin in articles["origin"]:
        named.add(origin.split("#", 1)[0].split("!", 1)[0])
    for reject in store.read_rejects(corpus):
        for origin in [reject["origin"], *reject.get("examples", [])]:
            named.add(origin.split("#", 1)[0].split("!", 1)[0])
    unaccounted = [
        name for name in os.listdir(folder) if safe_origin(str(folder / name)) not in named
    ]
    assert unaccounted == [], f"{len(unaccounted)} inputs neither stored nor rejected"
