"""Readers: one SOURCE (file, directory, glob, zip, URL) → RawArticle records or Rejects.

A reader never raises for bad input. Whatever cannot be taken in — an unreadable or binary
file, a CSV row with the wrong number of fields, a JSON line that does not parse, a German
article — becomes a ``Reject(origin, reason)`` and reading goes on with the next row, item
or file. Origins name the place exactly: ``path``, ``path#row=N`` (CSV/TSV/Parquet: the Nth
record after the header), ``path#line=N`` (JSONL), ``path#item=N`` (JSON list, feed),
``archive.zip!member``; N counts from 1.

Encodings: UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read. A legacy
encoding is never guessed — cp1252 "decodes" any byte string, so a guess would quietly put
mojibake into the corpus; the reject names the first bad byte so the file can be
re-encoded. HTML and XML that declare their charset (or a URL whose Content-Type does) are
decoded with the declared one.

Nothing a document points to is fetched, and no script runs: HTML goes through lxml (no
network) and trafilatura, feeds through feedparser with external entities off.
"""

from __future__ import annotations

import codecs
import csv
import functools
import glob
import http.client
import io
import json
import math
import os
import re
import stat
import urllib.error
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from flashpoint import __version__
from flashpoint.ingest.clean import (
    clean_body,
    clean_title,
    html_to_text,
    language_problem,
    markdown_to_text,
)
from flashpoint.ingest.fetch import AddressRefused, DeadlinePassed, fetch_url
from flashpoint.ingest.fields import (
    alias_names,
    load_aliases,
    match_columns,
    missing_mapped_columns,
    normalise_key,
    validate_field_map,
)
from flashpoint.ingest.pubdate import apply_stated_precision, as_text, parse_publication_date
from flashpoint.schema import RawArticle, Reject

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # per file, per URL response, per zip (uncompressed)
DEFAULT_MAX_ARTICLE_CHARS = 500_000  # one article's text; a long feature is ~60,000
URL_TIMEOUT_SECONDS = 20.0  # one connect or read
URL_DEADLINE_SECONDS = 60.0  # the whole fetch of one URL, redirects included
USER_AGENT = f"Flashpoint/{__version__} (news ingest)"
MAX_META_VALUE = 300  # longer unmapped values are not copied into RawArticle.meta
MAX_CONSECUTIVE_ROW_ERRORS = 100

EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet",
    ".pq": "parquet", ".xml": "feed", ".rss": "feed", ".atom": "feed", ".zip": "zip",
}  # fmt: skip
CONTENT_TYPES: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html", "application/rss+xml": "feed",
    "application/atom+xml": "feed", "application/rdf+xml": "feed", "application/xml": "feed",
    "text/xml": "feed", "application/json": "json", "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl", "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/markdown": "markdown", "application/zip": "zip",
}  # fmt: skip
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"), (b"\x1f\x8b", "gzip archive"), (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"7z\xbc\xaf", "7-Zip archive"), (b"Rar!", "RAR archive"), (b"BZh9", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"), (b"SQLite format 3", "SQLite database"),
)  # fmt: skip
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip

csv.field_size_limit(2**31 - 1)  # the article size limit applies instead


@dataclass(frozen=True, slots=True)
class _Options:
    field_map: dict[str, str]
    default_source: str | None
    max_bytes: int
    max_article_chars: int
    timeout: float
    deadline: float
    allow_private_urls: bool


@dataclass(slots=True)
class _Record:
    """One article's fields as the input gave them, before cleaning."""

    text: Any = None
    title: Any = None
    date: Any = None
    date_precision: Any = None
    source: Any = None
    url: Any = None
    id: Any = None
    dateline: Any = None
    meta: dict[str, str] = field(default_factory=dict)


class _Refused(Exception):
    """Raised inside a parser for input it cannot read; becomes one Reject."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_source(
    source: str | os.PathLike[str],
    *,
    field_map: Mapping[str, str] | None = None,
    default_source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    timeout: float = URL_TIMEOUT_SECONDS,
    deadline: float = URL_DEADLINE_SECONDS,
    allow_private_urls: bool = False,
) -> Iterator[RawArticle | Reject]:
    """Every article in SOURCE, or a Reject for each input that could not be taken in.

    SOURCE is a file, a directory (read recursively, hidden files skipped), a glob pattern,
    a .zip archive or an http(s) URL of an article page or RSS/Atom feed. ``field_map``
    names columns explicitly ({"text": "body_column"}); an unknown field name in it is a
    usage error (ValueError, raised here, before anything is read). ``default_source`` is
    the source of articles whose input names none. URLs are fetched by
    :func:`flashpoint.ingest.fetch.fetch_url`: public addresses only unless
    ``allow_private_urls``, ``timeout`` per read, ``deadline`` for the whole fetch.
    """
    options = _Options(
        field_map=validate_field_map(field_map),
        default_source=(default_source or "").strip() or None,
        max_bytes=max_bytes,
        max_article_chars=max_article_chars,
        timeout=timeout,
        deadline=deadline,
        allow_private_urls=allow_private_urls,
    )
    return _read_any(os.fspath(source), options)


def _read_any(source: str, options: _Options) -> Iterator[RawArticle | Reject]:
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source):
        yield from _read_url(source, options)
        return
    path = Path(source).expanduser()
    if path.is_dir():
        yield from _read_directory(path, options)
    elif path.exists() or path.is_symlink():
        yield from _read_file(path, source, options)
    elif re.search(r"[*?\[]", source):
        matches = sorted(glob.glob(os.path.expanduser(source), recursive=True))
        if not matches:
            yield Reject(source, "no files match this pattern")
        root = glob_root(os.path.expanduser(source))
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                yield from _read_directory(match_path, options)
            else:
                yield from _read_file(match_path, match, options, root=root)
    else:
        yield Reject(source, "no such file or directory")


def glob_root(pattern: str) -> Path:
    """The folder a glob pattern reads from: its path up to the first wildcard."""
    head = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
    return Path(head if head.endswith(os.sep) else os.path.dirname(head) or ".")


def link_problem(path: Path, root: Path) -> str | None:
    """Why a file found in the folder ``root`` must not be followed: a symbolic link (or a
    path through one) that leads outside the folder. None for a file inside it."""
    try:
        target = path.resolve(strict=True)
        inside = target.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling link, a loop
        return "broken symbolic link: not followed"
    if inside:
        return None
    return "symbolic link to a file outside the input folder: not followed"


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this st_mode is never read (pipes and devices can block forever or
    never end), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file: {kind} is never read"


def open_regular(path: str | os.PathLike[str]) -> tuple[io.BufferedReader, os.stat_result]:
    """Open a regular file for reading without ever blocking on a pipe or device.

    The open is non-blocking (a FIFO would otherwise wait for a writer) and the opened
    descriptor is checked, so a file swapped for a pipe after a stat is still refused.
    Raises _Refused with the reason, or OSError.
    """
    before = os.stat(path)
    reason = not_regular_reason(before.st_mode)
    if reason:
        raise _Refused(reason)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = os.fstat(fd)
        reason = not_regular_reason(opened.st_mode)
        if reason:
            raise _Refused(reason)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), opened
    except BaseException:
        os.close(fd)
        raise


# Files that sit beside articles in a folder without being articles; skipped in a directory
# walk (an explicitly named file is always read).
NOT_ARTICLES = frozenset(
    {"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "NOTICE", "AUTHORS"}
)


def directory_files(root: Path) -> Iterator[Path]:
    """The files a directory source stands for: recursively, in sorted order, without
    hidden files and folders, README/LICENSE-style documents, or symlinked directories."""
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.split(".", 1)[0].upper() in NOT_ARTICLES:
                continue
            yield Path(directory) / name


def _read_directory(root: Path, options: _Options) -> Iterator[RawArticle | Reject]:
    for path in directory_files(root):
        yield from _read_file(path, str(path), options, root=root)


def _read_file(
    path: Path, origin: str, options: _Options, *, root: Path | None = None
) -> Iterator[RawArticle | Reject]:
    """One file. ``root`` is the folder (or glob) it was found in: a link out of it is not
    followed. Only regular files are read, and the size is checked before reading."""
    if root is not None:
        problem = link_problem(path, root)
        if problem:
            yield Reject(origin, problem)
            return
    try:
        handle, status = open_regular(path)
    except _Refused as refused:
        yield Reject(origin, refused.reason)
        return
    except PermissionError:
        yield Reject(origin, "unreadable: permission denied")
        return
    except OSError as error:
        yield Reject(origin, f"unreadable: {error.strerror or error}")
        return
    with handle:
        if status.st_size > options.max_bytes:
            yield Reject(
                origin, f"file too large: {status.st_size:,} bytes (limit {options.max_bytes:,})"
            )
            return
        try:
            data = handle.read(options.max_bytes + 1)
        except OSError as error:
            yield Reject(origin, f"unreadable: {error.strerror or error}")
            return
    if len(data) > options.max_bytes:
        yield Reject(origin, f"file too large: more than {options.max_bytes:,} bytes")
        return
    yield from _parse_bytes(data, path.name, origin, options)


# --- URLs ----------------------------------------------------------------------------------


def _read_url(url: str, options: _Options) -> Iterator[RawArticle | Reject]:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        yield Reject(url, f"unsupported URL scheme {scheme!r}: only http and https are read")
        return
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
        "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
    }
    try:
        fetched = fetch_url(
            url,
            headers=headers,
            max_bytes=options.max_bytes,
            timeout=options.timeout,
            deadline=options.deadline,
            allow_private=options.allow_private_urls,
        )
    except urllib.error.HTTPError as error:
        yield Reject(url, f"HTTP error {error.code} {error.reason}")
        return
    except (AddressRefused, DeadlinePassed) as error:
        yield Reject(url, str(error))
        return
    except urllib.error.URLError as error:
        yield Reject(url, f"network unreachable: {error.reason}")
        return
    except TimeoutError:
        yield Reject(url, "network unreachable: timed out")
        return
    except (OSError, ValueError, http.client.HTTPException) as error:
        yield Reject(url, f"network unreachable: {error}")
        return
    if len(fetched.data) > options.max_bytes:
        yield Reject(url, f"response too large: more than {options.max_bytes:,} bytes")
        return
    name = PurePosixPath(urlsplit(fetched.final_url).path).name
    yield from _parse_bytes(
        fetched.data,
        name,
        url,
        options,
        content_type=fetched.content_type,
        charset=fetched.charset,
        base_url=fetched.final_url,
    )


# --- formats -------------------------------------------------------------------------------


def _format_of(name: str, content_type: str | None) -> str | None:
    if content_type and content_type.lower() in CONTENT_TYPES:
        return CONTENT_TYPES[content_type.lower()]
    return EXTENSIONS.get(PurePosixPath(name).suffix.lower())


def _binary_kind(data: bytes, fmt: str | None = None) -> str | None:
    """What kind of binary file this is, or None for something that may be text."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:8192]
    # A few NUL bytes in text cost only the row or characters they sit in (see the
    # parsers); many mean a binary file, or UTF-16 without a byte order mark. In a file of
    # rows (CSV, TSV, JSONL) that is otherwise UTF-8, NULs cost only their rows.
    nuls = head.count(0)
    if nuls > max(1, len(head) // 100) and not (
        fmt in ("csv", "tsv", "jsonl") and _utf8_prefix(head) and not _utf16_shaped(head)
    ):
        return "contains NUL bytes"
    controls = sum(1 for byte in head if (byte < 9 and byte != 0) or 13 < byte < 32)
    if head and controls / len(head) > 0.1:
        return "mostly control bytes"
    return None


def _utf8_prefix(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_shaped(head: bytes) -> bool:
    """ASCII text in UTF-16 without a BOM: NUL at every other byte."""
    half = max(1, len(head) // 2)
    return max(head[0::2].count(0), head[1::2].count(0)) > 0.3 * half


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes → text by the rules in the module docstring; raises _Refused with a reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                name = encoding.replace("-sig", "").upper()
                raise _Refused(
                    f"not valid {name} (byte 0x{data[error.start]:02x} at offset {error.start})"
                ) from None
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            raise _Refused(f"unknown declared encoding {declared!r}") from None
        try:
            return data.decode(codec)
        except UnicodeDecodeError as error:
            raise _Refused(
                f"not valid {declared} as declared (byte 0x{data[error.start]:02x} at offset {error.start})"
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Refused(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "re-encode the file as UTF-8"
        ) from None


_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._-]+)", re.IGNORECASE)


def _declared_charset(data: bytes, fmt: str) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.match(head)
    if match:
        return match[1].decode("ascii")
    if fmt == "html":
        match = _HTML_CHARSET.search(head)
        if match:
            return match[1].decode("ascii")
    return None


def _sniff(data: bytes) -> str:
    """The format of a file whose name and content type do not say."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"PAR1"):
        return "parquet"
    head = data[:8192].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    lower = head[:2000].lower()
    if head.startswith(("{", "[")):
        first, _, rest = head.partition("\n")
        try:
            one = json.loads(first)
        except (ValueError, RecursionError):
            return "json"
        return "jsonl" if isinstance(one, dict) and rest.strip() else "json"
    if head.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)\b", lower):
            return "feed"
        return "html"
    if head.startswith("---"):
        return "markdown"
    first_line = re.split(r"\r\n?|\n", head, maxsplit=1)[0]
    text_aliases = set(load_aliases()["text"])
    for delimiter, fmt in (("\t", "tsv"), (",", "csv")):
        if delimiter in first_line:
            try:
                columns = next(csv.reader([first_line], delimiter=delimiter), [])
            except csv.Error:
                continue
            if text_aliases & {normalise_key(column) for column in columns}:
                return fmt
    return "text"


def _parse_bytes(
    data: bytes,
    name: str,
    origin: str,
    options: _Options,
    *,
    content_type: str | None = None,
    charset: str | None = None,
    base_url: str | None = None,
) -> Iterator[RawArticle | Reject]:
    """Dispatch by extension or content type, else by content; guard against surprises."""
    if not data.strip():
        yield Reject(origin, "empty file")
        return
    fmt = _format_of(name, content_type)
    try:
        if fmt == "zip" or (fmt is None and data.startswith(b"PK\x03\x04")):
            yield from _read_zip(data, origin, options)
            return
        if fmt != "parquet":
            kind = _binary_kind(data, fmt)
            if kind is not None and not data.startswith(b"PAR1"):
                yield Reject(origin, f"binary file ({kind})")
                return
        if fmt is None:
            fmt = _sniff(data)
            if fmt == "zip":
                yield from _read_zip(data, origin, options)
                return
        if fmt == "parquet":
            yield from _parse_parquet(data, origin, options)
        elif fmt == "feed":
            yield from _parse_feed(data, origin, options, charset)
        else:
            declared = charset or (_declared_charset(data, fmt) if fmt == "html" else None)
            text = decode_bytes(data, declared)
            del data  # the text is all that is needed now; a large file is held once
            if not text.strip():
                yield Reject(origin, "empty file")
            elif fmt == "html":
                yield _parse_html(_without_nul(text), origin, options, base_url)
            elif fmt == "json":
                yield from _parse_json(text, origin, options)
            elif fmt == "jsonl":
                yield from _parse_jsonl(text, origin, options)
            elif fmt in ("csv", "tsv"):
                yield from _parse_delimited(text, origin, options, "\t" if fmt == "tsv" else ",")
            else:
                yield _parse_plain(_without_nul(text), origin, options, markdown=fmt == "markdown")
    except _Refused as refused:
        yield Reject(origin, refused.reason)
    except RecursionError:
        yield Reject(origin, f"could not read {fmt or 'this file'}: nested too deeply")
    except Exception as error:  # a parser library choking on hostile input must not stop the run
        yield Reject(
            origin, f"could not read {fmt or 'this file'}: {type(error).__name__}: {error}"
        )


def _without_nul(text: str) -> str:
    """A stray NUL in a text, Markdown or HTML article is dropped, not the article."""
    return text.replace("\x00", "") if "\x00" in text else text


# --- building an article -------------------------------------------------------------------


def _as_text(value: Any) -> str | None:
    """A text field: a string, or a list of paragraphs (news-please, some JSON exports)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        parts = [
            str(part) for part in value if isinstance(part, str | int | float) and str(part).strip()
        ]
        return "\n\n".join(parts) if parts else None
    return None  # a number, true/false or an object is no article text


def _scalar(value: Any) -> str | None:
    """A one-line field (title, source, url, id) as a string, or None."""
    if isinstance(value, Mapping):  # NewsAPI: "source": {"id": ..., "name": "Reuters"}
        value = value.get("name") or value.get("title") or value.get("id")
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):  # NaN (an empty pandas cell), 1e999999
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, str | int | float):
        text = " ".join(str(value).split())
        return text or None
    return None


def _record_from_mapping(item: Mapping[str, Any], mapping: Mapping[str, str], fmt: str) -> _Record:
    record = _Record()
    for name, column in mapping.items():
        setattr(record, name, item.get(column))
    used = set(mapping.values())
    for key, value in item.items():
        if key in used or value is None:
            continue
        text = _scalar(value) if not isinstance(value, Mapping) else None
        if text and len(text) <= MAX_META_VALUE:
            record.meta[str(key)] = text
    record.meta["format"] = fmt
    return record


def _article(record: _Record, origin: str, options: _Options) -> RawArticle | Reject:
    """Clean, date and check one record; the single place a RawArticle is made."""
    try:
        return _build_article(record, origin, options)
    except Exception as error:  # one odd record must not cost the rest of its file
        return Reject(origin, f"could not clean this article: {type(error).__name__}: {error}")


def safe_text(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate (a JSON "\\ud800" escape)
    becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def safe_origin(origin: str) -> str:
    """A file name as readable UTF-8 text: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) are written ``\\xff``; any other lone surrogate becomes U+FFFD."""
    try:
        origin.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(
            lambda m: f"\\x{ord(m[0]) - 0xDC00:02x}" if 0xDC80 <= ord(m[0]) <= 0xDCFF else "\ufffd",
            origin,
        )
    return origin


_SURROGATE = re.compile("[\ud800-\udfff]")


def _safe(value: str | None) -> str | None:
    return None if value is None else safe_text(value)


def _build_article(record: _Record, origin: str, options: _Options) -> RawArticle | Reject:
    if isinstance(record.text, bool | int | float):
        return Reject(origin, f"no article text: the text field holds a number ({record.text!r})")
    text = _as_text(record.text)
    if text is None or not text.strip():
        return Reject(origin, "empty text")
    text = safe_text(text)
    if len(text) > options.max_article_chars:
        return Reject(
            origin,
            f"article too large: {len(text):,} characters (limit {options.max_article_chars:,})",
        )
    title = clean_title(_scalar(record.title))
    body = clean_body(text, title=title)
    if not body.text:
        reason = "empty text after removing page furniture" if body.removed else "empty text"
        return Reject(origin, reason)
    problem = language_problem(body.text)
    if problem:
        return Reject(origin, problem)

    meta = {safe_text(key): safe_text(value) for key, value in record.meta.items()}
    published, precision = parse_publication_date(record.date)
    if published is None and record.date is not None and as_text(record.date):
        # The article goes in undated; the run notes the date it could not read.
        meta["unparsed_date"] = safe_text(str(as_text(record.date)))[:MAX_META_VALUE]
    published, precision = apply_stated_precision(
        published, precision, _scalar(record.date_precision)
    )
    if body.removed:
        meta["furniture_removed"] = str(len(body.removed))
    dateline = _scalar(record.dateline) or body.dateline
    return RawArticle(
        text=body.text,
        title=_safe(title),
        published=published,
        published_precision=precision,
        source=_safe(_scalar(record.source) or options.default_source),
        url=_safe(_scalar(record.url)),
        external_id=_safe(_scalar(record.id)),
        dateline=_safe(dateline),
        language="en",
        origin=safe_origin(origin),
        meta=meta,
    )


# --- plain text and Markdown -------------------------------------------------------------------

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_YAML_SCALARS = (str, int, float, date)  # datetime is a date


@functools.cache
def _front_matter_loader() -> Any:
    """yaml.SafeLoader that keeps timestamps as the text written: a date then goes through
    parse_publication_date like every other date (year range, impossible days such as
    2017-02-30 or 0000-00-00 leave the article undated instead of failing the file)."""
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        pass

    def timestamp_as_text(loader: FrontMatterLoader, node: Any) -> str:
        return str(loader.construct_scalar(node))

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_as_text)
    return FrontMatterLoader


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter, body). No front matter: (None, text). Bad YAML raises _Refused."""
    import yaml

    if not re.match(r"---[ \t]*\n", text):
        return None, text
    start = text.index("\n") + 1
    end = _FRONT_MATTER_END.search(text, start)
    if end is None:
        return None, text
    block = text[start : end.start()]
    try:
        loaded = yaml.load(block, Loader=_front_matter_loader()) if block.strip() else {}
    except RecursionError:
        raise _Refused("invalid YAML front matter: nested too deeply") from None
    except (ValueError, TypeError) as error:  # a constructor refusing a value
        raise _Refused(f"invalid YAML front matter: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        raise _Refused(f"invalid YAML front matter: {problem}{where}") from None
    if not isinstance(loaded, dict):
        raise _Refused("invalid YAML front matter: not a mapping of keys to values")
    return {str(key): value for key, value in loaded.items()}, text[end.end() :]


def _parse_plain(
    text: str, origin: str, options: _Options, *, markdown: bool
) -> RawArticle | Reject:
    """Front matter gives the fields; otherwise the first non-empty line is the title."""
    text = text.lstrip("\ufeff")
    front, body = split_front_matter(text)
    fmt = "markdown" if markdown else "text"
    record = _Record(meta={"format": fmt})
    if front:
        # Only scalar values: a YAML list or mapping is no article field.
        scalars = {key: value for key, value in front.items() if isinstance(value, _YAML_SCALARS)}
        mapping = match_columns(scalars.keys(), options.field_map)
        record = _record_from_mapping(scalars, mapping, fmt)
        record.text = None  # the body is the file's body, whatever the front matter says
    if record.title is None:
        lines = body.lstrip("\n").split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            record.title = clean_title(lines[0])
            body = "\n".join(lines[1:])
        if not body.strip():
            return Reject(origin, "empty text (the file holds only a title line)")
    record.text = markdown_to_text(body) if markdown else body
    return _article(record, origin, options)


# --- HTML ------------------------------------------------------------------------------------

# <meta> names and properties that state when a page was first published, in priority order.
_PUBLISHED_META: tuple[str, ...] = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "publishdate", "publish-date", "publish_date",
    "pubdate", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date",
    "sailthru.date", "parsely-pub-date", "citation_publication_date", "originalpublicationdate",
)  # fmt: skip


def _html_published(tree: Any) -> str | None:
    """The publication date the page's metadata states: <meta>, JSON-LD datePublished,
    <time itemprop=datePublished>. Dates in the page's text are never used."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        content = (meta.get("content") or "").strip()
        if key in _PUBLISHED_META and content:
            found.setdefault(key, content)
    for key in _PUBLISHED_META:
        if key in found:
            return found[key]
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            value = _find_key(json.loads(script.text), "datePublished")
        except (ValueError, RecursionError):
            continue
        if isinstance(value, str) and value.strip():
            return value.strip()
    for element in tree.iter("time"):
        if (element.get("itemprop") or "").lower() == "datepublished" or element.get(
            "pubdate"
        ) is not None:
            value = element.get("datetime") or element.text_content()
            if value and value.strip():
                return str(value).strip()
    return None


def _find_key(data: Any, key: str, depth: int = 0) -> Any:
    if depth > 8:
        return None
    if isinstance(data, dict):
        if key in data:
            return data[key]
        children: Any = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children:
        value = _find_key(child, key, depth + 1)
        if value is not None:
            return value
    return None


def _parse_html(
    text: str, origin: str, options: _Options, base_url: str | None
) -> RawArticle | Reject:
    """Main text by trafilatura; title, site name and canonical URL from its metadata;
    the publication date from the page's metadata only."""
    import trafilatura
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except Exception as error:  # lxml raises several types for junk
        return Reject(origin, f"not a readable HTML page: {error}")
    published = _html_published(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=base_url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        return Reject(origin, "no article text found in the HTML page")
    record = _Record(
        text=body,
        title=getattr(document, "title", None),
        date=published,
        source=getattr(document, "sitename", None),
        url=getattr(document, "url", None) or base_url,
        meta={"format": "html"},
    )
    return _article(record, origin, options)


# --- JSON and JSONL ---------------------------------------------------------------------------

_JSON_CONTAINERS = (
    "articles",
    "items",
    "data",
    "results",
    "entries",
    "records",
    "docs",
    "documents",
)


def _json_items(document: Any) -> tuple[list[Any], bool] | None:
    """(items, is_list) of a JSON document: one object, a list, or {"articles": [...]}."""
    if isinstance(document, list):
        return document, True
    if isinstance(document, dict):
        keys = {normalise_key(key) for key in document}
        if not keys & set(load_aliases()["text"]):
            for container in _JSON_CONTAINERS:
                value = document.get(container)
                if isinstance(value, list):
                    return value, True
        return [document], False
    return None


class _JsonObject(dict[str, Any]):
    """A JSON object whose duplicate keys were merged: the non-empty value wins, and keys
    given two different non-empty values are listed in ``conflicts``."""

    conflicts: frozenset[str] = frozenset()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    merged = _JsonObject()
    conflicts: set[str] = set()
    for key, value in pairs:
        if key not in merged or _is_empty(merged[key]):
            merged[key] = value
        elif not _is_empty(value) and value != merged[key]:
            conflicts.add(key)
    if conflicts:
        merged.conflicts = frozenset(conflicts)
    return merged


def _load_json(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_json_object)


def _json_record(item: Any, origin: str, options: _Options, fmt: str) -> RawArticle | Reject:
    if not isinstance(item, dict):
        return Reject(origin, f"not a JSON object (found {type(item).__name__})")
    missing = missing_mapped_columns(item.keys(), options.field_map)
    if missing:
        return Reject(
            origin, f"missing field {', '.join(map(repr, missing))} named in the field map"
        )
    mapping = match_columns(item.keys(), options.field_map)
    if "text" not in mapping:
        return Reject(origin, f"no text field (looked for {_text_alias_list()})")
    conflicting = sorted(getattr(item, "conflicts", frozenset()) & set(mapping.values()))
    if conflicting:
        return Reject(
            origin,
            f"key {', '.join(map(repr, conflicting))} appears twice with different values; "
            "keep one or name the right one with --map",
        )
    return _article(_record_from_mapping(item, mapping, fmt), origin, options)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')


def _json_value_end(text: str, pos: int) -> int:
    """Where the JSON value starting at pos ends, found without parsing it (no recursion,
    so a value nested 100,000 deep is skipped like any other)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text, pos):
        token = match[0]
        if token[0] == '"':
            if depth == 0:
                return match.end()
        elif token in "[{":
            depth += 1
        elif token in "]}":
            if depth == 0:
                return match.start()
            depth -= 1
            if depth == 0:
                return match.end()
        elif depth == 0:  # a comma after a number, true, false or null
            return match.start()
    return len(text)


def _json_list_salvage(
    text: str, origin: str, options: _Options, problem: str
) -> Iterator[RawArticle | Reject]:
    """A JSON list that does not parse as a whole, item by item: good items go in, a bad
    one costs only itself, and the list's own breakage ends the reading with a reject."""
    pos = len(text) - len(text.lstrip()) + 1  # past the "["
    number = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            if pos >= len(text):
                yield Reject(origin, f"invalid JSON: {problem}; the list ends early")
            return
        number += 1
        where = f"{origin}#item={number}"
        end = _json_value_end(text, pos)
        try:
            item = _load_json(text[pos:end])
        except RecursionError:
            yield Reject(where, "invalid JSON: nested too deeply")
        except json.JSONDecodeError as error:
            at = pos + error.pos
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
            yield Reject(
                where,
                f"invalid JSON: {error.msg} (line {line}, column {column}); "
                "items after this one in the list not read",
            )
            return
        else:
            yield _json_record(item, where, options, "json")
        pos = end
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos < len(text) and text[pos] != "]":
            yield Reject(origin, f"invalid JSON: {problem}; items after #{number} not read")
            return


def _parse_json(text: str, origin: str, options: _Options) -> Iterator[RawArticle | Reject]:
    try:
        document = _load_json(text)
    except (json.JSONDecodeError, RecursionError) as error:
        if isinstance(error, RecursionError):
            problem = "nested too deeply"
        else:
            problem = f"{error.msg} (line {error.lineno}, column {error.colno})"
        if text.lstrip().startswith("["):
            yield from _json_list_salvage(text, origin, options, problem)
            return
        raise _Refused(f"invalid JSON: {problem}") from None
    items = _json_items(document)
    if items is None:
        raise _Refused("JSON must be an object or a list of objects")
    values, is_list = items
    if not values:
        raise _Refused("JSON list holds no articles")
    for number, item in enumerate(values, 1):
        yield _json_record(item, f"{origin}#item={number}" if is_list else origin, options, "json")


def _parse_jsonl(text: str, origin: str, options: _Options) -> Iterator[RawArticle | Reject]:
    seen = False
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        seen = True
        where = f"{origin}#line={number}"
        try:
            item = _load_json(line)
        except json.JSONDecodeError as error:
            yield Reject(where, f"invalid JSON: {error.msg} (column {error.colno})")
            continue
        except RecursionError:
            yield Reject(where, "invalid JSON: nested too deeply")
            continue
        yield _json_record(item, where, options, "jsonl")
    if not seen:
        yield Reject(origin, "empty file")


def _text_alias_list() -> str:
    return ", ".join(alias_names("text")[:6]) + ", …"


# --- CSV, TSV, Parquet -------------------------------------------------------------------------


def _table_mapping(columns: list[str], options: _Options) -> dict[str, str]:
    """field → column for a table, or _Refused naming what is missing."""
    missing = missing_mapped_columns(columns, options.field_map)
    if missing:
        raise _Refused(
            f"column {', '.join(map(repr, missing))} named in the field map is not in the file "
            f"(columns: {', '.join(columns)})"
        )
    mapping = match_columns(columns, options.field_map)
    if "text" not in mapping:
        raise _Refused(
            f"no text column: expected one of {_text_alias_list()} or a field map entry for "
            f"text (columns: {', '.join(columns)})"
        )
    return mapping


class _Lines:
    """The physical lines of a text from an offset, for a csv.reader; counts what it took,
    so a record that swallowed lines can be named and the lines after it read again."""

    _LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")

    def __init__(self, text: str, pos: int = 0, line: int = 0) -> None:
        self.text, self.pos, self.line = text, pos, line

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        match = self._LINE.match(self.text, self.pos)
        if match is None or match.end() == self.pos:
            raise StopIteration
        self.pos = match.end()
        self.line += 1
        return match[0]

    def after(self, pos: int, line: int) -> _Lines:
        """A fresh reader position: the line after the one starting at ``pos``."""
        lines = _Lines(self.text, pos, line - 1)
        next(lines, None)
        return lines


def _misquoted(raw: str, delimiter: str) -> bool:
    """Whether a record that spans lines got there through a stray quote: a field quoted
    properly over several lines parses strictly; a quote that never closes, or closes in
    the middle of a later field, does not."""
    try:
        for _ in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


MAX_QUOTE_REREADS = 20  # past this many unbalanced quotes in one file, stop re-reading


def _column_groups(header: list[str], mapping: Mapping[str, str]) -> dict[str, list[int]]:
    """Column name → its positions. A column that appears twice (``text`` and ``text``, or
    ``text`` and ``Text`` when one is the text column) is one field read from both."""
    mapped = {normalise_key(column): column for column in mapping.values()}
    groups: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        groups.setdefault(mapped.get(normalise_key(name), name), []).append(index)
    return groups


def _row_item(
    row: list[str], groups: Mapping[str, list[int]], mapped: set[str]
) -> dict[str, str | None] | str:
    """The row as {column: value}, or the reason it cannot be read. Of duplicate columns
    the non-empty one wins; two different non-empty values of a mapped field are refused."""
    item: dict[str, str | None] = {}
    for name, positions in groups.items():
        if len(positions) == 1:
            value = row[positions[0]]
            item[name] = value if value.strip() else None
            continue
        values = [row[i] for i in positions if row[i].strip()]
        if name in mapped and len(set(values)) > 1:
            return (
                f"column {name!r} appears {len(positions)} times with different values; "
                "keep one or name the right one with --map"
            )
        item[name] = values[0] if values else None
    return item


def _parse_delimited(
    text: str, origin: str, options: _Options, delimiter: str
) -> Iterator[RawArticle | Reject]:
    """Rows of a CSV/TSV. A bad row costs only that row: wrong field count, NUL bytes, and
    a quote that never closes (it would swallow the rows after it: the row is refused by
    number and the lines it swallowed are read again as rows of their own)."""
    fmt = "tsv" if delimiter == "\t" else "csv"
    lines = _Lines(text[1:] if text.startswith("\ufeff") else text)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise _Refused("empty file") from None
    except csv.Error as error:
        raise _Refused(f"malformed {fmt.upper()} header: {error}") from None
    mapping = _table_mapping(header, options)
    groups = _column_groups(header, mapping)
    mapped = set(mapping.values())
    row_number = 0
    errors_in_a_row = 0
    rereads = 0
    while True:
        start_pos, start_line = lines.pos, lines.line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row_number += 1
            errors_in_a_row += 1
            yield Reject(
                f"{origin}#row={row_number}",
                f"malformed {fmt.upper()} row: {error} (line {start_line})",
            )
            if errors_in_a_row >= MAX_CONSECUTIVE_ROW_ERRORS:
                yield Reject(
                    origin, f"stopped reading after {errors_in_a_row} malformed rows in a row"
                )
                return
            continue
        errors_in_a_row = 0
        if not any(cell.strip() for cell in row):
            continue  # a blank line holds no record
        row_number += 1
        where = f"{origin}#row={row_number}"
        end_line = lines.line
        if end_line > start_line and _misquoted(lines.text[start_pos : lines.pos], delimiter):
            if rereads >= MAX_QUOTE_REREADS:
                yield Reject(
                    where,
                    f"unbalanced quote on line {start_line}: it swallowed lines "
                    f"{start_line + 1}–{end_line} (too many unbalanced quotes in this file "
                    "to read them again)",
                )
                continue
            rereads += 1
            yield Reject(
                where,
                f"unbalanced quote: the quoted field opened on line {start_line} does not "
                f"close where the row should end (it runs to line {end_line}); the lines "
                "after it are read again as rows of their own",
            )
            lines = lines.after(start_pos, start_line)
            reader = csv.reader(lines, delimiter=delimiter)
            continue
        if len(row) != len(header):
            yield Reject(
                where, f"expected {len(header)} fields, found {len(row)} (line {start_line})"
            )
            continue
        if any("\x00" in cell for cell in row):
            yield Reject(where, f"row contains NUL bytes (line {start_line})")
            continue
        item = _row_item(row, groups, mapped)
        if isinstance(item, str):
            yield Reject(where, f"{item} (line {start_line})")
            continue
        yield _article(_record_from_mapping(item, mapping, fmt), where, options)
    if row_number == 0:
        yield Reject(origin, f"no rows after the {fmt.upper()} header")


def _parse_parquet(data: bytes, origin: str, options: _Options) -> Iterator[RawArticle | Reject]:
    import pyarrow.parquet as pq

    try:
        table_file = pq.ParquetFile(io.BytesIO(data))
        columns = list(table_file.schema_arrow.names)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError, ...
        raise _Refused(f"not a valid Parquet file: {error}") from None
    mapping = _table_mapping(columns, options)
    row_number = 0
    try:
        for batch in table_file.iter_batches(batch_size=1024):
            for item in batch.to_pylist():
                row_number += 1
                yield _article(
                    _record_from_mapping(item, mapping, "parquet"),
                    f"{origin}#row={row_number}",
                    options,
                )
    except Exception as error:
        raise _Refused(f"Parquet file unreadable after row {row_number}: {error}") from None
    if row_number == 0:
        yield Reject(origin, "no rows in the Parquet file")


# --- RSS and Atom --------------------------------------------------------------------------------


def _entry_text(entry: Mapping[str, Any]) -> str | None:
    """content:encoded (Atom <content>) before the summary; HTML turned into text."""
    contents = [item for item in entry.get("content") or [] if (item.get("value") or "").strip()]
    if contents:
        chosen = next(
            (item for item in contents if "html" in (item.get("type") or "")), contents[0]
        )
        value, kind = chosen["value"], chosen.get("type") or ""
    else:
        value = entry.get("summary") or ""
        kind = (entry.get("summary_detail") or {}).get("type") or ""
        if not value.strip():
            return None
    if "html" in kind or re.search(r"<[A-Za-z][^>]*>", value):
        return html_to_text(value)
    return str(value)


def _entry_date(entry: Mapping[str, Any]) -> Any:
    """The entry's publication date as written; Atom's <updated> only when nothing else."""
    for key in ("published", "created", "issued", "updated"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            try:
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (ValueError, OverflowError, TypeError):
                return None
    return None


def _parse_feed(
    data: bytes, origin: str, options: _Options, charset: str | None
) -> Iterator[RawArticle | Reject]:
    import feedparser

    if not _XML_ENCODING.match(data[:4096]) and not any(data.startswith(bom) for bom, _ in _BOMS):
        decode_bytes(data, charset)  # refuses a feed that is neither UTF-8 nor declared
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            raise _Refused("not an RSS/Atom feed" + (f": {problem}" if problem else ""))
        raise _Refused("feed has no items")
    channel = parsed.get("feed") or {}
    channel_title = channel.get("title")
    for number, entry in enumerate(entries, 1):
        source = (entry.get("source") or {}).get("title") or channel_title
        record = _Record(
            text=_entry_text(entry),
            title=entry.get("title"),
            date=_entry_date(entry),
            source=source,
            url=entry.get("link"),
            id=entry.get("id"),
            meta={"format": "feed"},
        )
        if entry.get("author"):
            record.meta["author"] = str(entry["author"])[:MAX_META_VALUE]
        yield _article(record, f"{origin}#item={number}", options)


# --- zip -----------------------------------------------------------------------------------------


def _member_name(name: str) -> tuple[str, str | None]:
    """(name with / separators and no ``.`` parts, why it is unsafe or None). Members
    are never written to disk, but a name that climbs out of the archive (``../x``,
    ``..\\x``, ``/etc/x``, ``C:x``) is refused, as an extractor would have to."""
    unified = name.replace("\\", "/")
    parts = [part for part in unified.split("/") if part not in ("", ".")]
    if unified.startswith("/") or re.match(r"[A-Za-z]:", unified):
        return "/".join(parts), "an absolute path"
    if ".." in parts:
        return "/".join(parts), "a path that climbs out of the archive with '..'"
    return "/".join(parts), None


def _read_zip(data: bytes, origin: str, options: _Options) -> Iterator[RawArticle | Reject]:
    """Members are read into memory by extension, never written to disk. The total
    uncompressed size is capped at max_bytes, counting what is really read (a member's
    declared size can lie), so a zip bomb stops at the cap."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        yield Reject(origin, f"not a valid zip archive: {error}")
        return
    budget = options.max_bytes
    with archive:
        for index, info in enumerate(members):
            name = info.filename
            if info.is_dir():
                continue
            safe_name, unsafe = _member_name(name)
            parts = PurePosixPath(safe_name).parts
            if parts[:1] == ("__MACOSX",) or (parts and parts[-1] == ".DS_Store"):
                continue  # macOS resource forks and folder settings, never articles
            if unsafe:
                yield Reject(f"{origin}!{name}", f"unsafe member name ({unsafe}): not read")
                continue
            if any(part.startswith(".") for part in parts):
                continue  # hidden files are skipped, as in a folder
            where = f"{origin}!{name}"
            if info.flag_bits & 0x1:
                yield Reject(where, "encrypted zip member: not read")
                continue
            if name.lower().endswith(".zip"):
                yield Reject(where, "zip inside a zip: not read")
                continue
            if info.file_size > budget:
                later = sum(1 for other in members[index + 1 :] if not other.is_dir())
                yield Reject(
                    where,
                    f"archive too large: more than {options.max_bytes:,} bytes uncompressed; "
                    f"this member and {later} later ones not read",
                )
                return
            try:
                with archive.open(info) as handle:
                    payload = handle.read(budget + 1)
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,
            ) as error:
                yield Reject(where, f"corrupt zip member: {error}")
                continue
            if len(payload) > budget:
                yield Reject(
                    where, f"archive too large: more than {options.max_bytes:,} bytes uncompressed"
                )
                return
            budget -= len(payload)
            yield from _parse_bytes(payload, name, where, options)
