"""The ingest run: sources → articles (identified, deduplicated) → NLP tables → store.

Readers never raise for bad input; they yield rejects, which land in
``<corpus>/rejects.jsonl`` and the run's report. Every commit is one atomic manifest swap
(see :mod:`flashpoint.store`), made every ``commit_every`` new articles, so a run killed
midway keeps what it had committed and the next run picks up the rest.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from flashpoint import __version__, store
from flashpoint.ingest.fields import validate_field_map
from flashpoint.ingest.identity import (
    NearDuplicateIndex,
    content_hash,
    make_article_id,
    signatures_frame,
    url_key,
)
from flashpoint.ingest.pubdate import MAX_YEAR, MIN_YEAR
from flashpoint.ingest.readers import (
    DEFAULT_MAX_BYTES,
    directory_files,
    glob_root,
    link_problem,
    open_regular,
    read_source,
    safe_origin,
    safe_text,
)
from flashpoint.schema import ARTICLE_COLUMNS, SIGNATURE_COLUMNS, RawArticle, Reject

ProgressFactory = Callable[[int, str], "Progress"]


@dataclass
class IngestReport:
    sources: int = 0
    read: int = 0
    added: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    skipped_unchanged_files: int = 0
    # Unchanged files whose rejects were logged by an earlier run: not read or logged again.
    unchanged_with_rejects: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)  # rejects.jsonl lines
    notes: list[dict[str, Any]] = field(default_factory=list)  # stored, with a remark
    internal_errors: list[dict[str, Any]] = field(default_factory=list)  # bugs: exit 3
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        """Rejected inputs and rows (a log line with a count stands for that many)."""
        return sum(int(reject.get("count", 1)) for reject in self.rejects)

    def summary(self) -> str:
        lines = [
            f"read {self.read} articles from {self.sources} source(s) in {self.seconds:.1f}s: "
            f"{self.added} added, {self.exact_duplicates} exact duplicates skipped, "
            f"{self.near_duplicates} near-duplicates linked, {self.rejected} rejected"
            + (
                f", {self.skipped_unchanged_files} unchanged file(s) not re-read"
                if self.skipped_unchanged_files
                else ""
            )
        ]
        if self.unchanged_with_rejects:
            lines.append(
                f"  {self.unchanged_with_rejects} unchanged file(s) with rejects logged by an "
                "earlier run were not read again (see rejects.jsonl)"
            )
        for reject in self.rejects[:20]:
            count = int(reject.get("count", 1))
            times = f" ({count} times)" if count > 1 else ""
            lines.append(f"  rejected {reject['origin']}: {reject['reason']}{times}")
        if len(self.rejects) > 20:
            lines.append(f"  … and {len(self.rejects) - 20} more lines (see rejects.jsonl)")
        for note in self.notes[:10]:
            lines.append(f"  note {note['origin']}: {note['note']}")
        if len(self.notes) > 10:
            lines.append(f"  … and {len(self.notes) - 10} more notes (see notes.jsonl)")
        for error in self.internal_errors:
            lines.append(f"  INTERNAL ERROR reading {error['origin']}: {error['reason']}")
        return "\n".join(lines)


MAX_REJECT_LINES_PER_FILE = 200
EXAMPLES_PER_LINE = 5


class _FileRejects:
    """The rejects of one input file as log lines: a reason repeated within the file
    (500 empty feed items) is one line with a count and the first few places; past
    MAX_REJECT_LINES_PER_FILE distinct lines, the rest are counted in one closing line."""

    def __init__(self, source: str, at: str) -> None:
        self.source = source
        self.at = at
        self.lines: list[dict[str, Any]] = []
        self._by_reason: dict[str, dict[str, Any]] = {}
        self.unlisted = 0
        self.total = 0

    def add(self, origin: str, reason: str) -> None:
        self.total += 1
        origin, reason = safe_origin(origin), safe_text(reason)
        line = self._by_reason.get(reason)
        if line is not None:
            line["count"] += 1
            if len(line["examples"]) < EXAMPLES_PER_LINE:
                line["examples"].append(origin)
            return
        if len(self.lines) >= MAX_REJECT_LINES_PER_FILE:
            self.unlisted += 1
            return
        line = {"origin": origin, "reason": reason, "at": self.at, "count": 1, "examples": [origin]}
        self._by_reason[reason] = line
        self.lines.append(line)

    def log_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.lines:
            if line["count"] == 1:
                out.append({"origin": line["origin"], "reason": line["reason"], "at": self.at})
            else:
                out.append({**line, "origin": safe_origin(self.source)})
        if self.unlisted:
            out.append(
                {
                    "origin": safe_origin(self.source),
                    "reason": f"{self.unlisted} more rejects in this file, not listed one by one",
                    "at": self.at,
                    "count": self.unlisted,
                }
            )
        return out


class Progress:
    """A bar on a terminal (articles/s, ETA); plain periodic lines otherwise."""

    def __init__(self, total: int, desc: str, stream: Any = None) -> None:
        self.total = total
        self.desc = desc
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last_line = 0.0
        self._bar: Any = None
        if getattr(self.stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="art", file=self.stream)

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self.last_line >= 5 or self.done >= self.total:
            elapsed = max(now - self.started, 1e-9)
            rate = self.done / elapsed
            eta = (self.total - self.done) / rate if rate else float("inf")
            print(
                f"{self.desc}: {self.done}/{self.total} articles, {rate:.1f}/s, ETA {eta:.0f}s",
                file=self.stream,
                flush=True,
            )
            self.last_line = now

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def expand_sources(sources: Iterable[str]) -> Iterator[str]:
    """Files behind each local source (directories recursively, globs), URLs as they are.

    A source that matches nothing is passed on unchanged so the reader reports it.
    """
    for file, _root in expand_inputs(sources):
        yield file


def expand_inputs(sources: Iterable[str]) -> Iterator[tuple[str, Path | None]]:
    """(file, the folder it was found in) for each input: the folder is None for a file
    or URL named directly, so a symbolic link found in a folder can be checked against it."""
    for source in sources:
        if _is_url(source):
            yield source, None
            continue
        path = Path(source)
        if path.is_dir():
            yield from ((str(file), path) for file in directory_files(path))
        elif path.exists() or path.is_symlink():
            yield source, None
        else:
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                yield source, None
            root = glob_root(source)
            for match in matches:
                if not Path(match).is_dir():
                    yield match, root
            for match in matches:
                if Path(match).is_dir():
                    yield from ((str(file), Path(match)) for file in directory_files(Path(match)))


def file_fingerprint(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any] | None:
    """Size and sha256 of a regular file, or None for anything else: a pipe, a device, a
    file over max_bytes (the reader then says why) — never read, so never a hang."""
    try:
        handle, status = open_regular(path)
    except Exception:  # _Refused (not a regular file) or OSError: the reader reports it
        return None
    digest = hashlib.sha256()
    with handle:
        if status.st_size > max_bytes:
            return None
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        except OSError:
            return None
    return {"size": status.st_size, "sha256": digest.hexdigest()}


def _reading_options_key(field_map: dict[str, str] | None) -> str:
    """What besides a file's bytes decides its rejects: a run with another --map or a
    newer Flashpoint reads a file with rejects again."""
    return json.dumps({"map": sorted((field_map or {}).items()), "version": __version__})


def _article_row(
    raw: RawArticle, article_id: str, digest: str, duplicate_of: str | None, now: datetime
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "external_id": raw.external_id,
        "source": raw.source,
        "url": raw.url,
        "title": raw.title,
        "published": raw.published,
        "published_precision": raw.published_precision,
        "dateline": raw.dateline,
        "text": raw.text,
        "language": raw.language or "en",
        "word_count": len(raw.text.split()),
        "content_hash": digest,
        "duplicate_of": duplicate_of,
        "origin": raw.origin,
        "ingested_at": now,
    }


def articles_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(ARTICLE_COLUMNS))
    frame["published"] = pd.to_datetime(frame["published"], utc=True)
    frame["ingested_at"] = pd.to_datetime(frame["ingested_at"], utc=True)
    frame["word_count"] = frame["word_count"].astype("int64")
    return frame


def _apply_overrides(
    raw: RawArticle, source_name: str | None, date_override: tuple[datetime, str] | None
) -> None:
    if source_name:
        raw.source = safe_text(source_name)
    if date_override is not None and raw.published is None:
        raw.published, raw.published_precision = date_override


def _nlp_rows(articles: pd.DataFrame) -> Iterator[dict[str, Any]]:
    for row in articles.itertuples(index=False):
        published: Any = row.published
        yield {
            "article_id": row.article_id,
            "text": row.text,
            "title": row.title,
            "published": None if pd.isna(published) else pd.Timestamp(published).to_pydatetime(),
            "published_precision": row.published_precision,
            "dateline": row.dateline,
            "source": row.source,
        }


ENGINES: tuple[str, ...] = ("local", "ray")


@dataclass
class NlpSettings:
    model: str | None = None
    gazetteer_file: Path | None = None
    workers: int = 1  # local: spaCy processes; ray: actors (0: one per CPU of Ray)
    batch_size: int = 32
    engine: str = "local"  # "local" (in process) or "ray" (Ray Data, see ray_engine.py)
    ray_address: str | None = None  # ray only: None starts local Ray; "auto", "ray://…"


def _load_nlp(settings: NlpSettings) -> tuple[Any, dict[str, Any]]:
    from flashpoint.nlp.gazetteer import Gazetteer
    from flashpoint.nlp.pipeline import load_pipeline

    gazetteer = Gazetteer.load(user_file=settings.gazetteer_file)
    nlp = load_pipeline(settings.model, gazetteer)
    info = {
        "model": {"name": nlp.meta.get("name"), "version": nlp.meta.get("version")},
        "gazetteer_checksums": gazetteer.checksums(),
    }
    return nlp, info


class NlpRunner:
    """The NLP stage of a run: sentences, mentions and events of an articles frame, in
    process (spaCy, ``workers`` processes) or on Ray (``engine="ray"``). ``info`` is what
    the manifest records about the model and gazetteers."""

    def __init__(self, settings: NlpSettings) -> None:
        if settings.engine not in ENGINES:
            raise ValueError(f"unknown engine {settings.engine!r} (one of {', '.join(ENGINES)})")
        self.settings = settings
        self.nlp: Any = None
        self.ray: Any = None
        self.info: dict[str, Any] = {}
        if settings.engine == "ray":
            from flashpoint.ingest.ray_engine import RayNlpEngine, ray_available

            if not ray_available():
                raise ValueError(
                    "--engine ray needs Ray: pip install 'flashpoint[scale]' (make installs it)"
                )
            workers = settings.workers if settings.workers > 0 else None
            self.ray = RayNlpEngine(
                address=settings.ray_address,
                num_cpus=None if settings.ray_address else workers,
                workers=workers,
                model=settings.model,
                gazetteer_file=settings.gazetteer_file,
                batch_size=settings.batch_size,
            )
            self.ray.start()
        else:
            self.nlp, self.info = _load_nlp(settings)

    def run(
        self, articles: pd.DataFrame, progress: Progress | None = None
    ) -> dict[str, pd.DataFrame]:
        if self.ray is not None:
            tables = self.ray.run(articles)
            self.info = dict(self.ray.info or self.info)
            if progress is not None:
                progress.update(len(articles))
            return tables
        return _run_nlp(articles, self.nlp, self.settings, progress)

    def single(self) -> NlpRunner:
        """The same stage for one article at a time (isolating a failing article)."""
        if self.ray is not None:
            return self
        one = NlpRunner.__new__(NlpRunner)
        one.settings = NlpSettings(
            self.settings.model, self.settings.gazetteer_file, 1, self.settings.batch_size
        )
        one.nlp, one.ray, one.info = self.nlp, None, self.info
        return one

    def close(self) -> None:
        if self.ray is not None:
            self.ray.stop()

    def __enter__(self) -> NlpRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run_nlp(
    articles: pd.DataFrame, nlp: Any, settings: NlpSettings, progress: Progress | None
) -> dict[str, pd.DataFrame]:
    from flashpoint.nlp.process import process_batch

    tables = process_batch(
        _nlp_rows(articles), nlp, n_process=settings.workers, batch_size=settings.batch_size
    )
    if progress is not None:
        progress.update(len(articles))
    return {
        "sentences": tables.sentences,
        "mentions": tables.mentions,
        "events": tables.events,
    }


def _relink_stories(
    events: pd.DataFrame, articles: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from flashpoint.analysis.stories import build_stories

    return build_stories(events, articles)


class IngestInternalError(RuntimeError):
    """A bug met while ingesting (not bad input): the CLI exits 3 and names the input."""

    def __init__(self, where: str, error: BaseException) -> None:
        super().__init__(f"{where}: {type(error).__name__}: {error}")
        self.where = where


def _internal_error(origin: str, error: BaseException) -> dict[str, Any]:
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    place = f" (at {Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return {
        "origin": safe_origin(origin),
        "reason": safe_text(f"internal error: {type(error).__name__}: {error}{place}"),
    }


def _check_published(row: dict[str, Any]) -> str | None:
    """The ingest boundary's own year-range check (the NLP stage counts days from the
    publication date): a date out of range is dropped, and the note says so."""
    published = row["published"]
    if published is None or MIN_YEAR <= published.year <= MAX_YEAR:
        return None
    row["published"], row["published_precision"] = None, "unknown"
    return f"stored undated: publication year {published.year} is outside {MIN_YEAR}–{MAX_YEAR}"


def _nlp_isolated(
    chunk: pd.DataFrame, runner: NlpRunner, progress: Progress | None
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], list[tuple[str, str, BaseException]]]:
    """NLP tables of a chunk. If the batch fails, each article is tried alone and the ones
    that still fail are left out and returned with their error, so the rest go in."""
    try:
        return chunk, runner.run(chunk, progress), []
    except Exception:
        pass
    kept: list[int] = []
    parts: list[dict[str, pd.DataFrame]] = []
    failed: list[tuple[str, str, BaseException]] = []
    single = runner.single()
    for position in range(len(chunk)):
        one = chunk.iloc[[position]]
        try:
            parts.append(single.run(one, progress))
            kept.append(position)
        except Exception as error:
            failed.append((str(one["article_id"].iloc[0]), str(one["origin"].iloc[0]), error))
    survivors = chunk.iloc[kept].reset_index(drop=True)
    tables = {
        name: pd.concat([part[name] for part in parts], ignore_index=True)
        if parts
        else store.empty_table(name)
        for name in ("sentences", "mentions", "events")
    }
    return survivors, tables, failed


def ingest(
    sources: Sequence[str],
    corpus_path: str | os.PathLike[str],
    *,
    source_name: str | None = None,
    date_override: tuple[datetime, str] | None = None,
    field_map: dict[str, str] | None = None,
    nlp_settings: NlpSettings | None = None,
    commit_every: int = 500,
    progress: bool = True,
    allow_private_urls: bool = False,
    url_deadline: float | None = None,
) -> IngestReport:
    """Take sources into the corpus at ``corpus_path``; see the module docstring.

    Each input file is read in isolation: a bug met while reading one (it should not
    happen; readers turn bad input into rejects) is recorded in
    ``report.internal_errors`` with the input named, and the run goes on with the others.
    An error that cannot be isolated (the store failing) is raised as
    :class:`IngestInternalError` naming what was being done.
    """
    validate_field_map(field_map)  # a usage error (ValueError) before anything is read
    settings = nlp_settings or NlpSettings()
    started = time.monotonic()
    report = IngestReport(sources=len(sources))
    root = Path(corpus_path)
    now = datetime.now(UTC)
    at = now.isoformat()
    options_key = _reading_options_key(field_map)
    reader_options: dict[str, Any] = {
        "field_map": field_map,
        "default_source": source_name,
        "allow_private_urls": allow_private_urls,
    }
    if url_deadline is not None:
        reader_options["deadline"] = url_deadline

    with store.writer_lock(root):
        try:
            manifest: dict[str, Any] | None = store.read_manifest(root)
        except store.CorpusNotFound:
            manifest = None
        if manifest is not None:
            known_articles = store.read_table(
                root, "articles", columns=KNOWN_ARTICLE_COLUMNS, manifest=manifest, with_part=True
            )
            fingerprints: dict[str, Any] = dict(manifest.get("sources", {}))
            rejected_before: dict[str, Any] = dict(manifest.get("rejected_sources", {}))
        else:
            known_articles = store.empty_table("articles").reindex(
                columns=[*KNOWN_ARTICLE_COLUMNS, "_part"]
            )
            fingerprints = {}
            rejected_before = {}

        known_ids = set(known_articles["article_id"].dropna())
        known_urls = {url_key(url) for url in known_articles["url"].dropna()}
        known_hashes = set(known_articles["content_hash"].dropna())
        texts = _StoredTexts(root, known_articles)
        near = NearDuplicateIndex()
        if manifest is not None:
            manifest = _ensure_signatures(root, manifest, near, progress=progress)
            _load_signatures(root, manifest, near, texts)
        signature_of: dict[str, Any] = {}  # article_id → band keys, for this run's originals

        new_rows: list[dict[str, Any]] = []
        new_fingerprints: dict[str, Any] = {}
        new_rejected: dict[str, Any] = {}
        source_of: dict[str, str] = {}  # article_id → the input it came from
        for file, folder in expand_inputs(sources):
            fingerprint = None if _is_url(file) else file_fingerprint(file)
            key = str(Path(file).resolve()) if fingerprint else file
            if fingerprint and fingerprints.get(key) == fingerprint:
                report.skipped_unchanged_files += 1
                continue
            earlier = rejected_before.get(key)
            if (
                fingerprint
                and earlier is not None
                and earlier.get("fingerprint") == fingerprint
                and earlier.get("options") == options_key
            ):
                # Same bytes, same reading: the same rejects, already in the log.
                report.unchanged_with_rejects += 1
                new_rejected[key] = earlier
                continue
            file_rejects = _FileRejects(file, at)
            crashed = False
            try:
                items = read_source(file, **reader_options)
                if folder is not None and not _is_url(file):
                    items = _checked_link(file, folder, items)
                for item in items:
                    if isinstance(item, Reject):
                        file_rejects.add(item.origin, item.reason)
                        continue
                    report.read += 1
                    _apply_overrides(item, source_name, date_override)
                    digest = content_hash(item.text)
                    article_id = make_article_id(item, digest)
                    key_of_url = url_key(item.url)
                    if (
                        article_id in known_ids
                        or digest in known_hashes
                        or (key_of_url is not None and key_of_url in known_urls)
                    ):
                        report.exact_duplicates += 1
                        continue
                    row = _article_row(item, article_id, digest, None, now)
                    note = _check_published(row)
                    if note is None and item.meta.get("unparsed_date"):
                        note = (
                            f"stored undated: publication date {item.meta['unparsed_date']!r} "
                            f"is not a readable date in {MIN_YEAR}–{MAX_YEAR}"
                        )
                    duplicate_of = near.find(item.text)
                    if duplicate_of is None:
                        near.add(article_id, item.text)
                        keys = near.band_keys(item.text)
                        if keys is not None:
                            signature_of[article_id] = keys
                    else:
                        report.near_duplicates += 1
                    row["duplicate_of"] = duplicate_of
                    known_ids.add(article_id)
                    known_hashes.add(digest)
                    if key_of_url is not None:
                        known_urls.add(key_of_url)
                    new_rows.append(row)
                    source_of[article_id] = key
                    if note:
                        report.notes.append({"origin": row["origin"], "note": note, "at": at})
            except Exception as error:  # a bug, not bad input: name the input, go on
                crashed = True
                problem = _internal_error(file, error)
                report.internal_errors.append(problem)
                file_rejects.add(problem["origin"], problem["reason"])
            report.rejects.extend(file_rejects.log_lines())
            if fingerprint and not crashed:
                if file_rejects.total == 0:
                    new_fingerprints[key] = fingerprint
                else:
                    # A file with rejects is read again only once it (or --map) changes.
                    new_rejected[key] = {
                        "fingerprint": fingerprint,
                        "options": options_key,
                        "rejects": file_rejects.total,
                    }

        if new_rows:
            _process_and_commit(
                root,
                new_rows,
                report,
                settings,
                progress=progress,
                manifest=manifest,
                known_articles=known_articles,
                texts=texts,
                signature_of=signature_of,
                signature_params=near.params(),
                commit_every=commit_every,
                manifest_sources={**fingerprints, **new_fingerprints},
                old_sources=fingerprints,
                old_rejected=rejected_before,
                rejected_sources=new_rejected,
                source_of=source_of,
                now=now,
            )
        elif new_fingerprints or new_rejected != rejected_before or not store.exists(root):
            store.commit(
                root,
                append={name: store.empty_table(name) for name in store.TABLES},
                manifest_updates={
                    "sources": {**fingerprints, **new_fingerprints},
                    "rejected_sources": new_rejected,
                    "last_ingest": now.isoformat(timespec="seconds"),
                    "signature_params": near.params(),
                },
            )
        store.append_rejects(root, report.rejects)
        store.append_notes(root, report.notes)
    report.seconds = time.monotonic() - started
    return report


def _checked_link(
    file: str, folder: Path, items: Iterator[RawArticle | Reject]
) -> Iterator[RawArticle | Reject]:
    """A file found in a folder that is a link out of it is refused, not read."""
    problem = link_problem(Path(file), folder)
    if problem:
        yield Reject(file, problem)
        return
    yield from items


def _process_and_commit(
    root: Path,
    new_rows: list[dict[str, Any]],
    report: IngestReport,
    settings: NlpSettings,
    *,
    progress: bool,
    manifest: dict[str, Any] | None,
    known_articles: pd.DataFrame,
    texts: _StoredTexts,
    signature_of: dict[str, Any],
    signature_params: dict[str, int],
    commit_every: int,
    manifest_sources: dict[str, Any],
    old_sources: dict[str, Any],
    old_rejected: dict[str, Any],
    rejected_sources: dict[str, Any],
    source_of: dict[str, str],
    now: datetime,
) -> None:
    """NLP over the new articles in chunks, each chunk one atomic commit. Stories are
    linked incrementally (:mod:`flashpoint.ingest.linking`): each commit relinks its new
    events with the existing events in their reach and writes only the parts it changes."""
    from flashpoint.ingest.linking import StoryLinker

    texts.add_new({row["article_id"]: row["text"] for row in new_rows})
    linker = StoryLinker(root, manifest, known_articles, texts)
    bar = Progress(len(new_rows), "ingest") if progress else None
    failed_sources: set[str] = set()
    try:
        with NlpRunner(settings) as runner:
            for start in range(0, len(new_rows), commit_every):
                chunk = articles_frame(new_rows[start : start + commit_every])
                chunk, tables, failed = _nlp_isolated(chunk, runner, bar)
                for article_id, origin, error in failed:
                    problem = _internal_error(origin, error)
                    report.internal_errors.append(problem)
                    report.rejects.append({**problem, "at": now.isoformat()})
                    failed_sources.add(source_of.get(article_id, ""))
                where = f"storing articles {start + 1}–{start + len(chunk)} of this run"
                try:
                    linker.add_articles(chunk)
                    changes = linker.link(tables["events"])
                    signatures = signatures_frame(
                        [
                            (article_id, signature_of[article_id])
                            for article_id in chunk["article_id"]
                            if article_id in signature_of
                        ]
                    )
                    last_chunk = start + commit_every >= len(new_rows)
                    sources = manifest_sources if last_chunk else old_sources
                    rejected = rejected_sources if last_chunk else old_rejected
                    if last_chunk and failed_sources:
                        # A file with an article that failed is read again next time.
                        sources = {k: v for k, v in sources.items() if k not in failed_sources}
                        rejected = {k: v for k, v in rejected.items() if k not in failed_sources}
                    written = store.commit(
                        root,
                        append={
                            "articles": chunk,
                            "sentences": tables["sentences"],
                            "mentions": tables["mentions"],
                            "events": changes.events,
                            "stories": changes.stories,
                            "signatures": signatures,
                        },
                        rewrite=changes.rewrite,
                        manifest_updates={
                            **runner.info,
                            "last_ingest": now.isoformat(timespec="seconds"),
                            # Fingerprints only once every article of those files is in.
                            "sources": sources,
                            "rejected_sources": rejected,
                            "signature_params": signature_params,
                            **(
                                {"last_engine": settings.engine}
                                if settings.engine != "local"
                                else {}
                            ),
                        },
                    )
                    linker.committed(changes, written)
                    texts.committed(chunk["article_id"], written)
                except Exception as error:
                    raise IngestInternalError(where, error) from error
                report.added += len(chunk)
    finally:
        if bar is not None:
            bar.close()


KNOWN_ARTICLE_COLUMNS: list[str] = [
    "article_id",
    "url",
    "content_hash",
    "source",
    "title",
    "published",
    "duplicate_of",
]


class _StoredTexts:
    """Article texts by id, read from the store only when asked for (near-duplicate
    candidates, a story's evidence sentence), and only from the parts holding them."""

    def __init__(self, root: Path, known_articles: pd.DataFrame) -> None:
        self.root = root
        self.part_of: dict[str, str] = dict(
            zip(known_articles["article_id"], known_articles["_part"], strict=True)
        )
        self.new: dict[str, str] = {}

    def add_new(self, texts: dict[str, str]) -> None:
        self.new.update(texts)

    def committed(self, article_ids: Iterable[str], manifest: dict[str, Any]) -> None:
        part = manifest.get("written_parts", {}).get("articles", {}).get("+")
        for article_id in article_ids:
            self.part_of[article_id] = part

    def __call__(self, article_ids: list[str]) -> dict[str, str]:
        found = {a: self.new[a] for a in article_ids if a in self.new}
        by_part: dict[str, list[str]] = {}
        for article_id in article_ids:
            part = self.part_of.get(article_id)
            if article_id not in found and part is not None:
                by_part.setdefault(part, []).append(article_id)
        for part, ids in by_part.items():
            rows = store.read_rows(
                self.root, "articles", key="article_id", values=ids, columns=["text"], parts=[part]
            )
            found.update(zip(rows["article_id"], rows["text"], strict=True))
        return found


def _ensure_signatures(
    root: Path, manifest: dict[str, Any], near: NearDuplicateIndex, *, progress: bool
) -> dict[str, Any]:
    """A corpus stored before the signatures table existed (or with signatures made with
    other index settings) gets it once, from its stored texts; later runs read it."""
    if _has_signatures(manifest, near):
        return manifest
    started = time.monotonic()
    rows: list[tuple[str, Any]] = []
    cache: dict[bytes, Any] = {}  # same text, same keys (copies of one text are common)
    for part in manifest.get("tables", {}).get("articles", []):
        frame = pq.read_table(
            root / part, columns=["article_id", "text", "duplicate_of"]
        ).to_pandas()
        originals = frame[frame["duplicate_of"].isna()]
        for article_id, text in zip(originals["article_id"], originals["text"], strict=True):
            text = text if isinstance(text, str) else ""
            key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
            if key not in cache:
                cache[key] = near.band_keys(text)
            if cache[key] is not None:
                rows.append((str(article_id), cache[key]))
    store.commit(
        root,
        replace={"signatures": signatures_frame(rows)},
        manifest_updates={"signature_params": near.params()},
    )
    if progress:
        print(
            f"near-duplicate signatures computed once for {len(rows)} stored articles "
            f"in {time.monotonic() - started:.1f}s",
            file=sys.stderr,
            flush=True,
        )
    return store.read_manifest(root)


def ensure_signatures(
    corpus_path: str | os.PathLike[str],
    near: NearDuplicateIndex | None = None,
    *,
    progress: bool = True,
) -> bool:
    """Give the corpus its near-duplicate signatures table now, if it has none (an ingest
    would do it first thing). Returns whether it already had one."""
    near = near or NearDuplicateIndex()
    root = Path(corpus_path)
    with store.writer_lock(root):
        manifest = store.read_manifest(root)
        had = _has_signatures(manifest, near)
        _ensure_signatures(root, manifest, near, progress=progress)
    return had


def _has_signatures(manifest: dict[str, Any], near: NearDuplicateIndex) -> bool:
    has_table = "signatures" in manifest.get("tables", {})
    return has_table and manifest.get("signature_params") == near.params()


def _load_signatures(
    root: Path, manifest: dict[str, Any], near: NearDuplicateIndex, texts: _StoredTexts
) -> None:
    import numpy as np

    frame = store.read_table(root, "signatures", manifest=manifest)
    bands = [column for column in SIGNATURE_COLUMNS if column != "article_id"]
    keys = (
        frame[bands].to_numpy(dtype=np.uint64)
        if len(frame)
        else np.zeros((0, len(bands)), dtype=np.uint64)
    )
    near.load_signatures(frame["article_id"].astype(str).tolist(), keys, texts)


def reprocess(
    corpus_path: str | os.PathLike[str],
    *,
    nlp_settings: NlpSettings | None = None,
    progress: bool = True,
) -> int:
    """Re-derive sentences, mentions, events and stories from the stored text (the NLP
    stage in process, or on Ray with ``engine="ray"``), and relink every story."""
    settings = nlp_settings or NlpSettings()
    root = Path(corpus_path)
    if settings.engine == "ray":
        from flashpoint.ingest.ray_engine import reprocess_on_ray

        with NlpRunner(settings) as runner:  # reprocess_on_ray takes the writer lock
            return int(reprocess_on_ray(root, runner.ray)["articles"])
    with store.writer_lock(root):
        articles = store.load_corpus(root, tables=("articles",)).articles
        with NlpRunner(settings) as runner:
            bar = Progress(len(articles), "reprocess") if progress else None
            try:
                tables = runner.run(articles, bar)
            finally:
                if bar is not None:
                    bar.close()
            commit_reprocessed(root, tables, articles, runner.info)
    return len(articles)


def commit_reprocessed(
    root: Path,
    tables: dict[str, pd.DataFrame],
    articles: pd.DataFrame,
    manifest_updates: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The end of every reprocess, in process or on Ray: link all stories of the new
    events and replace the NLP tables in one commit (under the writer lock).
    Returns ``(stories, events)``."""
    stories, events = _relink_stories(tables["events"], articles)
    store.commit(
        root,
        replace={
            "sentences": tables["sentences"],
            "mentions": tables["mentions"],
            "events": events,
            "stories": stories,
        },
        manifest_updates={
            **manifest_updates,
            "last_reprocess": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    return stories, events


def relink(corpus_path: str | os.PathLike[str]) -> tuple[int, int]:
    """Link every event of the corpus into stories again, from scratch (no NLP): what an
    ingest's incremental linking gives in all but the cases docs/scaling.md lists.
    Returns (events, stories)."""
    from flashpoint.analysis.stories import build_stories

    root = Path(corpus_path)
    with store.writer_lock(root):
        manifest = store.read_manifest(root)
        events = store.read_table(root, "events", manifest=manifest)
        articles = store.read_table(
            root, "articles", columns=KNOWN_ARTICLE_COLUMNS, manifest=manifest, with_part=True
        )
        stories, events = build_stories(events, articles, text_of=_StoredTexts(root, articles))
        store.commit(
            root,
            replace={"events": events, "stories": stories},
            manifest_updates={"last_relink": datetime.now(UTC).isoformat(timespec="seconds")},
        )
    return len(events), len(stories)
