"""Build a large corpus for scale benchmarks from a real ingested one, without any NLP.

    python benchmarks/scale_corpus.py SEED_CORPUS OUT_DIR [--articles 100000] [--seed 14]

The seed corpus's tables are copied again and again; every copy gets new keys (article,
event and story ids, content hashes, URLs) and is moved in time by its own offset of days
(publication times, event dates at their precision, story dates), so filters by date see
a corpus spread over years rather than one period repeated. Entities, offsets, sentences
and texts are kept as they are: every mention still points at the words it names, and
every event at its evidence sentence. Each copy is linked into stories exactly as its
seed was, so the stories table stays consistent with the events without relinking.

Everything is written through :mod:`flashpoint.store`, one commit per chunk of copies, so
memory stays bounded by the chunk size. The texts repeat, so this corpus says nothing
about near-duplicate detection; it is for the query layer and the store.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flashpoint import store  # noqa: E402
from flashpoint.schema import TABLES  # noqa: E402

# Copies are spread over this many days before and after the seed's own dates.
SPREAD_DAYS = 3 * 365


def _prefix(copy: np.ndarray) -> pd.Series:
    names = {int(c): f"x{int(c):05d}." for c in np.unique(copy)}
    return pd.Series(copy).map(names).astype("object")


def _rekey(values: pd.Series, copy: np.ndarray) -> pd.Series:
    """``x00042.<old key>``; nulls stay null."""
    keyed = _prefix(copy).to_numpy() + values.astype("object").fillna("").astype(str).to_numpy()
    return pd.Series(keyed, index=values.index, dtype="object").where(values.notna().to_numpy())


def _shift_dates(dates: pd.Series, offsets: np.ndarray) -> pd.Series:
    """Move ISO dates ("2017-08-29", "2017-08", "2017") by a number of days, keeping each
    one's precision. Other strings and nulls are kept as they are."""
    text = dates.astype("object").where(dates.notna(), None)
    as_str = text.map(lambda value: value if isinstance(value, str) else "")
    out = text.copy()
    for length, fmt, pad in ((10, "%Y-%m-%d", ""), (7, "%Y-%m", "-15"), (4, "%Y", "-07-01")):
        picked = (as_str.str.len() == length).to_numpy()
        if not picked.any():
            continue
        parsed = pd.to_datetime(as_str[picked] + pad, format="%Y-%m-%d", errors="coerce")
        moved = parsed + pd.to_timedelta(offsets[picked], unit="D")
        formatted = moved.dt.strftime(fmt)
        out.loc[picked] = formatted.where(parsed.notna(), as_str[picked]).to_numpy()
    return out


def _shift_times(stamps: pd.Series, offsets: np.ndarray) -> pd.Series:
    parsed = pd.to_datetime(stamps, utc=True, errors="coerce")
    return parsed + pd.to_timedelta(offsets, unit="D")


def _hash_keys(values: pd.Series, copy: np.ndarray) -> pd.Series:
    out = [
        hashlib.sha256(f"{value}|{int(c)}".encode()).hexdigest()
        for value, c in zip(values.astype(str), copy, strict=True)
    ]
    return pd.Series(out, index=values.index, dtype="object")


class Seed:
    """The seed corpus's tables, with each row's article position, ready to be repeated."""

    def __init__(self, path: Path) -> None:
        corpus = store.load_corpus(path)
        self.articles = corpus.articles.reset_index(drop=True)
        if self.articles.empty:
            raise SystemExit(f"{path}: the seed corpus has no articles")
        position = pd.Series(
            np.arange(len(self.articles)), index=self.articles["article_id"].to_numpy()
        )
        self.tables: dict[str, pd.DataFrame] = {}
        for name in ("sentences", "mentions", "events"):
            frame = corpus.table(name)
            frame = frame[frame["article_id"].isin(position.index)].reset_index(drop=True)
            self.tables[name] = frame.assign(
                _pos=frame["article_id"].map(position).to_numpy(dtype=np.int64)
            )
        events = self.tables["events"]
        first_pos = events.groupby("story_id")["_pos"].min()
        stories = corpus.stories[corpus.stories["story_id"].isin(first_pos.index)]
        self.stories = stories.assign(
            _pos=stories["story_id"].map(first_pos).to_numpy(dtype=np.int64)
        ).reset_index(drop=True)
        self.stories_by_id = self.stories.set_index("story_id")["_pos"]

    def __len__(self) -> int:
        return len(self.articles)


def _repeat(
    frame: pd.DataFrame, copies: np.ndarray, limit: int | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame`` once per copy (rows of articles at positions < ``limit`` for the last,
    partial copy); returns the rows and the copy number of each."""
    n = len(frame)
    index = np.tile(np.arange(n), len(copies))
    copy = np.repeat(copies, n)
    if limit is not None and len(copies):
        last = copy == copies[-1]
        keep = ~last | (frame["_pos"].to_numpy()[index] < limit)
        index, copy = index[keep], copy[keep]
    return frame.iloc[index].reset_index(drop=True), copy


def build_chunk(
    seed: Seed, copies: np.ndarray, offsets: np.ndarray, limit: int | None
) -> dict[str, pd.DataFrame]:
    """The tables of ``copies`` (offset ``offsets[copy]`` days each)."""
    articles, copy = _repeat(seed.articles.assign(_pos=np.arange(len(seed))), copies, limit)
    shift = offsets[copy]
    articles["article_id"] = _rekey(articles["article_id"], copy)
    articles["duplicate_of"] = _rekey(articles["duplicate_of"], copy)
    articles["external_id"] = _rekey(articles["external_id"], copy)
    articles["url"] = articles["url"].where(
        articles["url"].isna(), articles["url"].astype(str) + "#copy-" + pd.Series(copy).astype(str)
    )
    articles["content_hash"] = _hash_keys(articles["content_hash"], copy)
    articles["published"] = _shift_times(articles["published"], shift)
    out: dict[str, pd.DataFrame] = {"articles": articles.drop(columns="_pos")}

    for name in ("sentences", "mentions"):
        frame, copy = _repeat(seed.tables[name], copies, limit)
        frame["article_id"] = _rekey(frame["article_id"], copy)
        out[name] = frame.drop(columns="_pos")

    events, copy = _repeat(seed.tables["events"], copies, limit)
    shift = offsets[copy]
    events["article_id"] = _rekey(events["article_id"], copy)
    events["event_id"] = _rekey(events["event_id"], copy)
    events["story_id"] = _rekey(events["story_id"], copy)
    events["event_date"] = _shift_dates(events["event_date"], shift)
    out["events"] = events.drop(columns="_pos")

    stories, copy = _repeat(seed.stories, copies, limit)
    shift = offsets[copy]
    stories["story_id"] = _rekey(stories["story_id"], copy)
    stories["event_date"] = _shift_dates(stories["event_date"], shift)
    for column in ("first_reported", "last_reported"):
        stories[column] = _shift_times(stories[column], shift)
    out["stories"] = stories.drop(columns="_pos")
    return out


def build_scale_corpus(
    seed_path: str | Path,
    out_path: str | Path,
    *,
    articles: int = 100_000,
    seed: int = 14,
    chunk_articles: int = 10_000,
    progress: bool = True,
) -> dict[str, Any]:
    """Write a corpus of ``articles`` articles at ``out_path`` (replaced if it exists)."""
    started = time.perf_counter()
    source = Seed(Path(seed_path))
    n_copies = -(-articles // len(source))
    rng = np.random.default_rng(seed)
    offsets = rng.integers(-SPREAD_DAYS, SPREAD_DAYS + 1, size=n_copies)
    offsets[0] = 0  # the first copy keeps the seed's own dates
    out = Path(out_path)
    if out.exists():
        shutil.rmtree(out)
    per_chunk = max(1, chunk_articles // len(source))
    remainder = articles - (n_copies - 1) * len(source)
    seed_manifest = store.read_manifest(seed_path)
    with store.writer_lock(out):
        for first in range(0, n_copies, per_chunk):
            copies = np.arange(first, min(first + per_chunk, n_copies))
            limit = remainder if copies[-1] == n_copies - 1 else None
            tables = build_chunk(source, copies, offsets, limit)
            store.commit(
                out,
                append={name: tables[name] for name in TABLES},
                manifest_updates={
                    "model": seed_manifest.get("model"),
                    "gazetteer_checksums": seed_manifest.get("gazetteer_checksums"),
                    "scale_corpus": {
                        "seed_corpus": str(Path(seed_path).resolve()),
                        "seed_articles": len(source),
                        "articles": articles,
                        "seed": seed,
                    },
                },
            )
            if progress:
                done = min((copies[-1] + 1) * len(source), articles)
                print(
                    f"scale corpus: {done}/{articles} articles "
                    f"({time.perf_counter() - started:.0f}s)",
                    file=sys.stderr,
                    flush=True,
                )
    manifest = store.read_manifest(out)
    return {
        **manifest["row_counts"],
        "parts": sum(len(parts) for parts in manifest["tables"].values()),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed_corpus", help="an ingested corpus directory to copy from")
    parser.add_argument("out", help="where to write the scale corpus (replaced)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--chunk-articles", type=int, default=10_000)
    args = parser.parse_args()
    counts = build_scale_corpus(
        args.seed_corpus,
        args.out,
        articles=args.articles,
        seed=args.seed,
        chunk_articles=args.chunk_articles,
    )
    print(counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
