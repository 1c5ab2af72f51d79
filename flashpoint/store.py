"""Corpus tables on disk: Parquet parts plus a manifest that names them.

Layout of a corpus directory::

    manifest.json        which parts make up each table, row counts, model, gazetteers
    parts/<table>-<uuid>.parquet
    rejects.jsonl        inputs that were refused, with reasons (appended by ingest;
                         rotated to rejects.1.jsonl past LOG_MAX_BYTES)
    notes.jsonl          articles stored with a remark, e.g. undated for an unreadable date
    .lock                held by a writer for the length of a commit

A commit writes new parts first (each to a temporary name, fsynced, then renamed), then
swaps ``manifest.json`` with one ``os.replace``. A reader that opens the manifest sees
either the previous corpus or the new one, whole; a writer killed at any instant leaves
stray parts that no manifest names, which the next commit removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flashpoint import __version__
from flashpoint.schema import INDEX_TABLES, SCHEMA_VERSION, TABLES

MANIFEST = "manifest.json"
PARTS = "parts"
REJECTS = "rejects.jsonl"
NOTES = "notes.jsonl"
LOG_MAX_BYTES = 8 * 1024 * 1024  # rejects.jsonl / notes.jsonl rotate past this size
# Parts dropped from the manifest stay this long, so a reader holding the old manifest
# can still open them.
GRACE_SECONDS = 600


class CorpusNotFound(FileNotFoundError):
    """The directory holds no corpus (no manifest.json)."""


@dataclass
class Corpus:
    path: Path
    manifest: dict[str, Any]
    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    stories: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            frame: pd.DataFrame = getattr(self, name)
            return frame
        return self.extra[name]

    @property
    def generation(self) -> int:
        return int(self.manifest.get("generation", 0))


def empty_table(name: str) -> pd.DataFrame:
    columns = TABLES.get(name) or INDEX_TABLES[name]
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def exists(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / MANIFEST).is_file()


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    manifest_path = Path(path) / MANIFEST
    if not manifest_path.is_file():
        raise CorpusNotFound(f"no corpus at {path} (no {MANIFEST})")
    with manifest_path.open(encoding="utf-8") as handle:
        manifest: dict[str, Any] = json.load(handle)
    return manifest


def _read_parts(root: Path, parts: list[str], name: str) -> pd.DataFrame:
    if not parts:
        return empty_table(name) if name in TABLES else pd.DataFrame()
    frames = [pq.read_table(root / part).to_pandas() for part in parts]
    frames = [frame for frame in frames if len(frame.columns)]
    if not frames:
        return empty_table(name) if name in TABLES else pd.DataFrame()
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def load_corpus(path: str | os.PathLike[str], tables: tuple[str, ...] | None = None) -> Corpus:
    """Read the corpus the manifest names now. Retries once if a writer swapped it mid-read.

    Index tables (:data:`flashpoint.schema.INDEX_TABLES`, ingest's own bookkeeping) are
    read only when named in ``tables``."""
    root = Path(path)
    for attempt in range(3):
        manifest = read_manifest(root)
        try:
            frames = {
                name: _read_parts(root, list(parts), name)
                for name, parts in manifest.get("tables", {}).items()
                if (name in tables if tables is not None else name not in INDEX_TABLES)
            }
        except FileNotFoundError:
            if attempt == 2:
                raise
            time.sleep(0.05)
            continue
        core = {name: frames.pop(name, empty_table(name)) for name in TABLES}
        return Corpus(path=root, manifest=manifest, extra=frames, **core)
    raise AssertionError("unreachable")


def read_table(
    path: str | os.PathLike[str],
    name: str,
    *,
    columns: list[str] | None = None,
    manifest: Mapping[str, Any] | None = None,
    with_part: bool = False,
) -> pd.DataFrame:
    """One table of the corpus, only ``columns`` of it (all when None). With
    ``with_part``, a ``_part`` column names the part each row was read from, so a writer
    can rewrite just the parts holding rows it changes (``commit(rewrite=...)``).

    Meant for the writer (under :func:`writer_lock`, the manifest cannot change
    underneath); readers use :func:`load_corpus`."""
    root = Path(path)
    manifest = manifest if manifest is not None else read_manifest(root)
    parts = list(manifest.get("tables", {}).get(name, []))
    wanted = list(columns) if columns is not None else None
    frames = []
    for part in parts:
        frame = pq.read_table(root / part, columns=wanted).to_pandas()
        if with_part:
            frame["_part"] = part
        frames.append(frame)
    if frames:
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    empty = empty_table(name) if (name in TABLES or name in INDEX_TABLES) else pd.DataFrame()
    if wanted is not None:
        empty = empty.reindex(columns=wanted)
    if with_part:
        empty["_part"] = pd.Series(dtype="object")
    return empty


def read_rows(
    path: str | os.PathLike[str],
    name: str,
    *,
    key: str,
    values: Iterable[Any],
    columns: list[str] | None = None,
    manifest: Mapping[str, Any] | None = None,
    parts: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of a table whose ``key`` is one of ``values`` (only ``columns``),
    filtered in Arrow before anything becomes a Python object: the way to read the text
    of a few articles out of a large corpus. ``parts`` limits the parts read."""
    root = Path(path)
    wanted = sorted({value for value in values if value is not None})
    manifest = manifest if manifest is not None else read_manifest(root)
    names = list(parts) if parts is not None else list(manifest.get("tables", {}).get(name, []))
    read_columns = None if columns is None else list(dict.fromkeys([key, *columns]))
    frames = []
    if wanted:
        keys = pa.array(wanted)
        for part in names:
            table = pq.read_table(root / part, columns=read_columns)
            if table.num_rows == 0:
                continue
            mask = pc.is_in(table.column(key), value_set=keys)
            picked = table.filter(mask)
            if picked.num_rows:
                frames.append(picked.to_pandas())
    if frames:
        return pd.concat(frames, ignore_index=True)
    empty = empty_table(name) if (name in TABLES or name in INDEX_TABLES) else pd.DataFrame()
    return empty.reindex(columns=read_columns) if read_columns is not None else empty


@contextlib.contextmanager
def writer_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """One writer at a time per corpus directory (readers need no lock)."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic_bytes(target: Path, payload: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    with tmp.open("wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def _write_part(root: Path, name: str, frame: pd.DataFrame) -> str:
    parts_dir = root / PARTS
    parts_dir.mkdir(parents=True, exist_ok=True)
    relative = f"{PARTS}/{name}-{uuid.uuid4().hex[:16]}.parquet"
    target = root / relative
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(_to_arrow(frame), tmp, compression="zstd")
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return relative


def commit(
    path: str | os.PathLike[str],
    *,
    append: Mapping[str, pd.DataFrame] | None = None,
    replace: Mapping[str, pd.DataFrame] | None = None,
    rewrite: Mapping[str, Mapping[str, pd.DataFrame]] | None = None,
    manifest_updates: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Add rows to some tables, replace others, and rewrite single parts of others, all
    in one atomic manifest swap.

    ``rewrite`` maps a table to ``{old part: its new rows}``: each named part is replaced
    in place (same position in the table, so row order is kept) by a new part with those
    rows, or dropped when they are none. An incremental ingest uses it to change the
    few parts that hold rows it changed instead of writing the whole table again.

    Must be called under :func:`writer_lock`. Returns the new manifest.
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    try:
        manifest = read_manifest(root)
    except CorpusNotFound:
        manifest = {"generation": 0, "tables": {name: [] for name in TABLES}}
    tables: dict[str, list[str]] = {k: list(v) for k, v in manifest.get("tables", {}).items()}
    row_counts: dict[str, int] = dict(manifest.get("row_counts", {}))
    dropped: list[str] = []
    # Which part each rewritten part became (None: dropped), and "+": the appended one.
    written: dict[str, dict[str, str | None]] = {}

    for name, frame in (replace or {}).items():
        dropped.extend(tables.get(name, []))
        tables[name] = [_write_part(root, name, frame)] if len(frame) else []
        row_counts[name] = len(frame)
    for name, changes in (rewrite or {}).items():
        current = tables.get(name, [])
        for old_part, frame in changes.items():
            if old_part not in current:
                raise ValueError(f"{name}: {old_part} is not a part of the table")
            old_rows = pq.read_metadata(root / old_part).num_rows
            at = current.index(old_part)
            if len(frame):
                current[at] = _write_part(root, name, frame)
                written.setdefault(name, {})[old_part] = current[at]
            else:
                del current[at]
                written.setdefault(name, {})[old_part] = None
            dropped.append(old_part)
            row_counts[name] = row_counts.get(name, 0) - old_rows + len(frame)
        tables[name] = current
    for name, frame in (append or {}).items():
        if len(frame):
            tables.setdefault(name, []).append(_write_part(root, name, frame))
            written.setdefault(name, {})["+"] = tables[name][-1]
            row_counts[name] = row_counts.get(name, 0) + len(frame)
        else:
            tables.setdefault(name, [])
            row_counts.setdefault(name, 0)
    _fsync_dir(root / PARTS) if (root / PARTS).exists() else None

    new_manifest: dict[str, Any] = {
        **manifest,
        **(manifest_updates or {}),
        "schema_version": SCHEMA_VERSION,
        "flashpoint_version": __version__,
        "generation": int(manifest.get("generation", 0)) + 1,
        "committed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "row_counts": row_counts,
        "retired_parts": sorted(set(manifest.get("retired_parts", [])) | set(dropped)),
    }
    payload = json.dumps(new_manifest, indent=2, sort_keys=True).encode("utf-8")
    _write_atomic_bytes(root / MANIFEST, payload)
    _fsync_dir(root)
    new_manifest["retired_parts"] = _collect_garbage(root, new_manifest)
    return {**new_manifest, "written_parts": written}


def _collect_garbage(root: Path, manifest: dict[str, Any]) -> list[str]:
    """Remove parts no manifest names: leftovers of killed writers, and retired parts
    past their grace period. Returns the retired parts still kept."""
    live = {part for parts in manifest["tables"].values() for part in parts}
    now = time.time()
    kept: list[str] = []
    parts_dir = root / PARTS
    if not parts_dir.exists():
        return kept
    retired = set(manifest.get("retired_parts", []))
    for file in parts_dir.iterdir():
        relative = f"{PARTS}/{file.name}"
        if relative in live:
            continue
        try:
            age = now - file.stat().st_mtime
        except FileNotFoundError:
            continue
        if age > GRACE_SECONDS or (relative not in retired and file.name.startswith(".")):
            with contextlib.suppress(FileNotFoundError):
                file.unlink()
        elif relative in retired:
            kept.append(relative)
    return sorted(kept)


def _append_log(root: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """Append JSON lines to a log in the corpus, each line whole JSON. Past
    LOG_MAX_BYTES the log is rotated to ``<name>.1`` (replacing the older one), so the
    logs of a corpus stay under twice that size however often ingest runs."""
    if not rows:
        return
    root.mkdir(parents=True, exist_ok=True)
    log = root / name
    try:
        if log.stat().st_size > LOG_MAX_BYTES:
            os.replace(log, _rotated(log))
    except FileNotFoundError:
        pass
    with log.open("ab") as handle:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False) + "\n"
            # A lone surrogate (from a file name or a JSON escape) cannot be UTF-8.
            handle.write(line.encode("utf-8", "backslashreplace"))
        handle.flush()
        os.fsync(handle.fileno())


def _rotated(log: Path) -> Path:
    return log.with_name(log.stem + ".1" + log.suffix)


def _read_log(root: Path, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    log = root / name
    for file in (_rotated(log), log):
        if not file.exists():
            continue
        with file.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                line = line.strip()
                if not line:
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut short by a killed writer
    return rows


def append_rejects(path: str | os.PathLike[str], rejects: list[dict[str, Any]]) -> None:
    """Rejects are a log: appended line by line, each line whole JSON. A line may stand
    for several rejects of one input (``count``, with the first few ``examples``)."""
    _append_log(Path(path), REJECTS, rejects)


def read_rejects(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The rejects log, the rotated older part first."""
    return _read_log(Path(path), REJECTS)


def append_notes(path: str | os.PathLike[str], notes: list[dict[str, Any]]) -> None:
    """Notes on articles stored with a remark (an unreadable date: stored undated)."""
    _append_log(Path(path), NOTES, notes)


def read_notes(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    return _read_log(Path(path), NOTES)
