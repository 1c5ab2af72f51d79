"""The ingest run: sources → articles (identified, deduplicated) → NLP tables → store.

Readers never raise for bad input; they yield rejects, which land in
``<corpus>/rejects.jsonl`` and the run's report. Every commit is one atomic manifest swap
(see :mod:`flashpoint.store`), made every ``commit_every`` new articles, so a run killed
midway keeps what it had committed and the next run picks up the rest.
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from flashpoint import store
from flashpoint.ingest.identity import NearDuplicateIndex, content_hash, make_article_id, url_key
from flashpoint.ingest.readers import directory_files, read_source
from flashpoint.schema import ARTICLE_COLUMNS, RawArticle, Reject

ProgressFactory = Callable[[int, str], "Progress"]


@dataclass
class IngestReport:
    sources: int = 0
    read: int = 0
    added: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    skipped_unchanged_files: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return len(self.rejects)

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
        for reject in self.rejects[:20]:
            lines.append(f"  rejected {reject['origin']}: {reject['reason']}")
        if self.rejected > 20:
            lines.append(f"  … and {self.rejected - 20} more (see rejects.jsonl)")
        return "\n".join(lines)


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
    for source in sources:
        if _is_url(source):
            yield source
            continue
        path = Path(source)
        if path.is_dir():
            yield from (str(file) for file in directory_files(path))
        elif path.exists():
            yield source
        else:
            matches = sorted(glob.glob(source, recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            dirs = [m for m in matches if Path(m).is_dir()]
            if not matches:
                yield source
            yield from files
            yield from expand_sources(dirs)


def file_fingerprint(path: str) -> dict[str, Any] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return {"size": stat.st_size, "sha256": digest.hexdigest()}


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
        raw.source = source_name
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


@dataclass
class NlpSettings:
    model: str | None = None
    gazetteer_file: Path | None = None
    workers: int = 1
    batch_size: int = 32


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
) -> IngestReport:
    """Take sources into the corpus at ``corpus_path``; see the module docstring."""
    settings = nlp_settings or NlpSettings()
    started = time.monotonic()
    report = IngestReport(sources=len(sources))
    root = Path(corpus_path)
    now = datetime.now(UTC)

    with store.writer_lock(root):
        try:
            existing = store.load_corpus(root, tables=("articles", "events"))
            known_articles = existing.articles
            known_events = existing.events
            fingerprints: dict[str, Any] = dict(existing.manifest.get("sources", {}))
        except store.CorpusNotFound:
            known_articles = store.empty_table("articles")
            known_events = store.empty_table("events")
            fingerprints = {}

        known_ids = set(known_articles["article_id"].dropna())
        known_urls = {url_key(url) for url in known_articles["url"].dropna()}
        known_hashes = set(known_articles["content_hash"].dropna())
        near = NearDuplicateIndex()
        originals = known_articles[known_articles["duplicate_of"].isna()]
        for article_id, text in zip(originals["article_id"], originals["text"], strict=True):
            near.add(article_id, text)

        new_rows: list[dict[str, Any]] = []
        new_fingerprints: dict[str, Any] = {}
        for file in expand_sources(sources):
            fingerprint = None if _is_url(file) else file_fingerprint(file)
            key = str(Path(file).resolve()) if fingerprint else file
            if fingerprint and fingerprints.get(key) == fingerprint:
                report.skipped_unchanged_files += 1
                continue
            file_rejects = 0
            for item in read_source(file, field_map=field_map, default_source=source_name):
                if isinstance(item, Reject):
                    report.rejects.append(
                        {"origin": item.origin, "reason": item.reason, "at": now.isoformat()}
                    )
                    file_rejects += 1
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
                duplicate_of = near.find(item.text)
                if duplicate_of is None:
                    near.add(article_id, item.text)
                else:
                    report.near_duplicates += 1
                known_ids.add(article_id)
                known_hashes.add(digest)
                if key_of_url is not None:
                    known_urls.add(key_of_url)
                new_rows.append(_article_row(item, article_id, digest, duplicate_of, now))
            if fingerprint and file_rejects == 0:
                # A file with rejects is read again next time, so its fixed rows go in.
                new_fingerprints[key] = fingerprint

        store.append_rejects(root, report.rejects)
        if not new_rows:
            if new_fingerprints or not store.exists(root):
                store.commit(
                    root,
                    append={name: store.empty_table(name) for name in store.TABLES},
                    manifest_updates={
                        "sources": {**fingerprints, **new_fingerprints},
                        "last_ingest": now.isoformat(timespec="seconds"),
                    },
                )
            report.seconds = time.monotonic() - started
            return report

        nlp, nlp_info = _load_nlp(settings)
        bar = Progress(len(new_rows), "ingest") if progress else None
        all_events = known_events
        all_articles = known_articles
        try:
            for start in range(0, len(new_rows), commit_every):
                chunk = articles_frame(new_rows[start : start + commit_every])
                tables = _run_nlp(chunk, nlp, settings, bar)
                all_articles = (
                    pd.concat([all_articles, chunk], ignore_index=True)
                    if len(all_articles)
                    else chunk
                )
                all_events = (
                    pd.concat([all_events, tables["events"]], ignore_index=True)
                    if len(all_events)
                    else tables["events"]
                )
                stories, all_events = _relink_stories(all_events, all_articles)
                last_chunk = start + commit_every >= len(new_rows)
                store.commit(
                    root,
                    append={
                        "articles": chunk,
                        "sentences": tables["sentences"],
                        "mentions": tables["mentions"],
                    },
                    replace={"events": all_events, "stories": stories},
                    manifest_updates={
                        **nlp_info,
                        "last_ingest": now.isoformat(timespec="seconds"),
                        # Fingerprints only once every article of those files is in.
                        "sources": {**fingerprints, **(new_fingerprints if last_chunk else {})},
                    },
                )
                report.added += len(chunk)
        finally:
            if bar is not None:
                bar.close()
    report.seconds = time.monotonic() - started
    return report


def reprocess(
    corpus_path: str | os.PathLike[str],
    *,
    nlp_settings: NlpSettings | None = None,
    progress: bool = True,
) -> int:
    """Re-derive sentences, mentions, events and stories from the stored text."""
    settings = nlp_settings or NlpSettings()
    root = Path(corpus_path)
    with store.writer_lock(root):
        corpus = store.load_corpus(root, tables=("articles",))
        articles = corpus.articles
        nlp, nlp_info = _load_nlp(settings)
        bar = Progress(len(articles), "reprocess") if progress else None
        try:
            tables = _run_nlp(articles, nlp, settings, bar)
        finally:
            if bar is not None:
                bar.close()
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
                **nlp_info,
                "last_reprocess": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
    return len(articles)
