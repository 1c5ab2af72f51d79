"""The NLP stage on Ray Data, for corpora one machine cannot parse in time.

The work is :func:`flashpoint.nlp.process.process_batch`, unchanged: article rows in,
sentence / mention / event rows out. On Ray it runs as ``Dataset.map_batches`` with a class
UDF (:class:`NlpWorker`), so each worker loads the spaCy pipeline once and parses batch
after batch; the driver gathers the rows in input order and writes them through
:mod:`flashpoint.store`, exactly as the in-process run does. Story linking stays on the
driver (it needs every event).

Ray is an optional extra (``pip install 'flashpoint[scale]'``). Local Ray by default;
``address`` joins a cluster (``ray://head:10001`` or ``auto``), whose workers need this
package, the spaCy model and the gazetteer files installed (see docs/scaling.md).
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from flashpoint import store
from flashpoint.schema import TABLES

NLP_TABLES: tuple[str, ...] = ("sentences", "mentions", "events")
# Columns of an article row the NLP stage reads (see process_batch).
ARTICLE_INPUT_COLUMNS: tuple[str, ...] = (
    "article_id",
    "text",
    "title",
    "published",
    "published_precision",
    "dateline",
    "source",
)


def ray_available() -> bool:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


class NlpWorker:
    """Ray Data class UDF: one spaCy pipeline per worker, one call per batch of articles.

    Returns one row per table per batch: the batch's first input position (so the driver
    can restore input order), the table name and the pickled DataFrame, plus the model
    and gazetteer description the manifest records.
    """

    def __init__(
        self, model: str | None = None, gazetteer_file: str | None = None, batch_size: int = 32
    ) -> None:
        from flashpoint.nlp.gazetteer import Gazetteer
        from flashpoint.nlp.pipeline import load_pipeline

        gazetteer = Gazetteer.load(user_file=Path(gazetteer_file) if gazetteer_file else None)
        self.nlp = load_pipeline(model, gazetteer)
        self.batch_size = batch_size
        self.info = {
            "model": {"name": self.nlp.meta.get("name"), "version": self.nlp.meta.get("version")},
            "gazetteer_checksums": gazetteer.checksums(),
        }

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        from flashpoint.nlp.process import process_batch

        rows: list[dict[str, Any]] = [
            {str(key): value for key, value in row.items()}
            for row in batch.drop(columns="_position").to_dict("records")
        ]
        tables = process_batch(rows, self.nlp, batch_size=self.batch_size)
        first = int(batch["_position"].min())
        payloads = [pickle.dumps(getattr(tables, name)) for name in NLP_TABLES]
        payloads.append(pickle.dumps(self.info))
        return pd.DataFrame(
            {
                "position": [first] * (len(NLP_TABLES) + 1),
                "table": [*NLP_TABLES, "info"],
                "payload": payloads,
            }
        )


@dataclass
class RayNlpEngine:
    """The NLP stage of an ingest or reprocess run on Ray.

    ``run(articles)`` has the contract of the in-process ``_run_nlp``: an articles frame in,
    ``{"sentences", "mentions", "events"}`` out, rows in the articles' order.
    """

    address: str | None = None  # None: start local Ray; "auto" / "ray://…": a cluster
    num_cpus: int | None = None  # local Ray only; also the number of workers
    workers: int | None = None  # concurrent pipelines (default: num_cpus, else cluster CPUs)
    model: str | None = None
    gazetteer_file: Path | None = None
    batch_size: int = 32  # spaCy's nlp.pipe batch
    rows_per_task: int = 16  # articles per map_batches call
    info: dict[str, Any] | None = None
    _started_ray: bool = False

    def start(self) -> None:
        import logging

        import ray
        import ray.data

        ray.data.DataContext.get_current().enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        if ray.is_initialized():
            return
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if self.address:
            ray.init(address=self.address, **options)
        else:
            ray.init(
                num_cpus=self.num_cpus or os.cpu_count() or 1,
                object_store_memory=512 * 1024 * 1024,
                **options,
            )
        self._started_ray = True

    def stop(self) -> None:
        import ray

        if self._started_ray and ray.is_initialized():
            ray.shutdown()
        self._started_ray = False

    def __enter__(self) -> RayNlpEngine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _concurrency(self) -> int:
        import ray

        if self.workers:
            return self.workers
        if self.num_cpus and not self.address:
            return self.num_cpus
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def run(self, articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
        import ray.data

        from flashpoint.schema import EVENT_COLUMNS, MENTION_COLUMNS, SENTENCE_COLUMNS

        self.start()
        rows = nlp_rows(articles)
        columns = {"sentences": SENTENCE_COLUMNS, "mentions": MENTION_COLUMNS}
        columns["events"] = EVENT_COLUMNS
        if rows.empty:
            return {name: _empty_table(columns[name]) for name in NLP_TABLES}
        concurrency = self._concurrency()
        blocks = max(concurrency, -(-len(rows) // self.rows_per_task))
        step = -(-len(rows) // blocks)
        pieces = [rows.iloc[i : i + step] for i in range(0, len(rows), step)]
        dataset = ray.data.from_pandas(pieces)
        results = dataset.map_batches(
            NlpWorker,
            fn_constructor_kwargs={
                "model": self.model,
                "gazetteer_file": str(self.gazetteer_file) if self.gazetteer_file else None,
                "batch_size": self.batch_size,
            },
            batch_format="pandas",
            batch_size=self.rows_per_task,
            compute=ray.data.ActorPoolStrategy(size=concurrency),
            num_cpus=1,
        ).to_pandas()
        results = results.sort_values(["position", "table"], kind="stable")
        out: dict[str, pd.DataFrame] = {}
        for name in NLP_TABLES:
            frames = [pickle.loads(p) for p in results.loc[results["table"] == name, "payload"]]
            frames = [frame for frame in frames if len(frame)]
            out[name] = (
                pd.concat(frames, ignore_index=True) if frames else _empty_table(columns[name])
            )
        infos = results.loc[results["table"] == "info", "payload"]
        if len(infos):
            self.info = pickle.loads(infos.iloc[0])
        return out


def nlp_rows(articles: pd.DataFrame) -> pd.DataFrame:
    """The columns the NLP stage reads, plus each row's input position."""
    rows = articles.reindex(columns=list(ARTICLE_INPUT_COLUMNS)).reset_index(drop=True)
    rows["published"] = pd.to_datetime(rows["published"], utc=True, errors="coerce")
    rows["_position"] = range(len(rows))
    return rows


def reprocess_on_ray(
    corpus_path: str | os.PathLike[str],
    engine: RayNlpEngine,
    *,
    chunk_articles: int = 5000,
) -> dict[str, Any]:
    """``flashpoint reprocess`` with the NLP stage on Ray: re-derive sentences, mentions,
    events and stories from the stored articles (read from the corpus's Parquet parts in
    chunks), link stories on the driver, and commit once, atomically (the commit step
    is :func:`flashpoint.ingest.run.commit_reprocessed`, shared with the in-process run)."""
    from flashpoint.ingest.run import commit_reprocessed

    root = Path(corpus_path)
    started = time.perf_counter()
    with store.writer_lock(root):
        manifest = store.read_manifest(root)
        parts = [root / part for part in manifest.get("tables", {}).get("articles", [])]
        gathered: dict[str, list[pd.DataFrame]] = {name: [] for name in NLP_TABLES}
        context: list[pd.DataFrame] = []
        for articles in _article_chunks(parts, chunk_articles):
            tables = engine.run(articles)
            for name in NLP_TABLES:
                gathered[name].append(tables[name])
            keep = ["article_id", "source", "title", "published", "duplicate_of", "text"]
            context.append(articles.reindex(columns=keep))
        tables = {
            name: pd.concat(frames, ignore_index=True) if frames else store.empty_table(name)
            for name, frames in gathered.items()
        }
        articles_context = (
            pd.concat(context, ignore_index=True) if context else store.empty_table("articles")
        )
        nlp_seconds = time.perf_counter() - started
        stories, events = commit_reprocessed(
            root, tables, articles_context, {**(engine.info or {}), "last_engine": "ray"}
        )
    return {
        "articles": len(articles_context),
        "events": len(events),
        "stories": len(stories),
        "nlp_s": round(nlp_seconds, 2),
        "total_s": round(time.perf_counter() - started, 2),
    }


def _article_chunks(parts: Sequence[Path], size: int) -> Any:
    """Stored articles in the order load_corpus reads them, ``size`` rows at a time."""
    import pyarrow.parquet as pq

    pending: list[pd.DataFrame] = []
    held = 0
    for part in parts:
        frame = pq.read_table(part).to_pandas()
        pending.append(frame)
        held += len(frame)
        while held >= size:
            merged = pd.concat(pending, ignore_index=True)
            yield merged.iloc[:size].reset_index(drop=True)
            rest = merged.iloc[size:].reset_index(drop=True)
            pending, held = ([rest] if len(rest) else []), len(rest)
    if held:
        yield pd.concat(pending, ignore_index=True)


__all__ = [
    "ARTICLE_INPUT_COLUMNS",
    "TABLES",
    "NlpWorker",
    "RayNlpEngine",
    "nlp_rows",
    "ray_available",
    "reprocess_on_ray",
]


def _empty_table(columns: tuple[str, ...]) -> pd.DataFrame:
    """An NLP table with no rows, typed as process_batch types one (offsets int64)."""
    from flashpoint.nlp.process import INT_COLUMNS

    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in INT_COLUMNS else "object") for c in columns}
    )
