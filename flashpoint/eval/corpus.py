"""Corpus-wide measures that need no hand labels: run on the whole of ``../shared/corpora``.

* **Undated share**: of the asserted events in the full real corpus, how many carry no date.
  A timeline cannot draw them, so a falling share is progress, as long as background states
  (standing deployments, sanctions in force) are not given dates to get there.
* **Stories against the news-cluster labels**: the news-cluster CSV groups its reports by
  the real event they cover (``event_label``). Each article's *lead story* is the story that
  holds most of its asserted or claimed events (ties: a dated story before an undated one,
  then the one mentioned first: an undated report is a story of its own that no other
  article can share, so on a tie it says nothing about the article's event). Purity and
  completeness are B-cubed precision and recall of lead stories against the labels:

  - purity: for each article, the share of articles with the same lead story that carry its
    label (one story mixing two real events scores low);
  - completeness: for each article, the share of articles reporting the same real event that
    got the same lead story (one event split into several stories scores low). A label
    names a topic that can cover several launches months apart, so reports of one real
    event are the articles with one label published within ``NEWS_CYCLE_DAYS`` of each
    other (chained); completeness against the bare label is printed too.

The corpus is built by the real ingest (``flashpoint.ingest.run.ingest``), either into a
directory the caller names (``--corpus-dir``) or into a cache (:func:`cached_corpus`) keyed on
everything the build depends on: the three CSV files, the package's code, its data files and
the spaCy model. ``make test`` (the browser test on the full corpus) and ``make eval`` then
build it once between them, and any change to the code or the data builds it anew.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

CORPUS_FILES: tuple[str, ...] = (
    "koreaherald_2015_2017_security.csv",
    "reuters_isot_sample_security.csv",
    "giveme5w1h_news_cluster_security.csv",
)
NEWS_CLUSTER = "giveme5w1h_news_cluster_security.csv"
NEWS_CYCLE_DAYS = 3
HAPPENED = ("asserted", "claimed")


@dataclass(frozen=True, slots=True)
class UndatedShare:
    asserted: int
    undated: int

    @property
    def value(self) -> float | None:
        return self.undated / self.asserted if self.asserted else None


@dataclass(frozen=True, slots=True)
class StoryAgreement:
    articles: int  # labelled articles with a lead story
    without_story: int  # labelled articles with no asserted/claimed event
    purity: float | None
    completeness: float | None  # against label + news cycle
    completeness_by_label: float | None  # against the bare label

    def table(self) -> str:
        def pct(value: float | None) -> str:
            return "   -" if value is None else f"{100 * value:4.0f}"

        return "\n".join(
            [
                f"stories on the news-cluster set: {self.articles} articles with a lead story"
                f" ({self.without_story} with none)",
                f"{'purity (B-cubed precision)':<46}{pct(self.purity):>5}%  target 95",
                f"{'completeness (label + news cycle)':<46}{pct(self.completeness):>5}%  target 85",
                f"{'completeness (bare label)':<46}{pct(self.completeness_by_label):>5}%",
            ]
        )


def build_corpus(shared_dir: Path, corpus_dir: Path, *, workers: int = 1) -> None:
    """Ingest the three real corpora into ``corpus_dir`` (an up-to-date corpus reads nothing)."""
    from flashpoint.ingest.run import NlpSettings, ingest

    sources = [str(shared_dir / "corpora" / name) for name in CORPUS_FILES]
    ingest(sources, corpus_dir, nlp_settings=NlpSettings(workers=workers), progress=False)


# The data folders a build reads (data/sample and a built data/corpus are not among them).
BUILD_DATA = ("gazetteers", "ingest", "lexicons", "reference", "models")
CACHE_PREFIX = "shared-corpus-"


def build_key(shared_dir: Path, model: str | None = None) -> str:
    """A digest of what the full corpus build depends on: the three CSV files (name, size,
    modification time), every source file of the package, the data files it reads and the
    spaCy model's name and version."""
    from flashpoint import config
    from flashpoint.nlp.pipeline import resolve_model_name

    digest = hashlib.sha256()
    for name in CORPUS_FILES:
        stat = (shared_dir / "corpora" / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    files = sorted(config.PACKAGE_ROOT.rglob("*.py"))
    for folder in BUILD_DATA:
        root = config.resource_path(folder)
        if root.is_dir():
            files.extend(sorted(path for path in root.rglob("*") if path.is_file()))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    name = resolve_model_name(model)
    try:
        model_version = metadata.version(name.replace("_", "-"))
    except metadata.PackageNotFoundError:  # a model folder, not a package: its name stands
        model_version = "?"
    digest.update(f"{name}:{model_version}".encode())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    """$FLASHPOINT_CACHE, else ~/.cache/flashpoint (outside the work tree)."""
    configured = os.environ.get("FLASHPOINT_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "flashpoint"


def cached_corpus(shared_dir: Path, *, workers: int = 2, root: Path | None = None) -> Path:
    """The full real corpus, built once per :func:`build_key` and kept under ``root``.

    The build goes to a private folder that is renamed into place when complete, so an
    interrupted build is never mistaken for a corpus; builds for other keys are removed."""
    root = root or cache_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{CACHE_PREFIX}{build_key(shared_dir)}"
    if not (target / "manifest.json").is_file():
        building = root / f".building-{target.name}-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        build_corpus(shared_dir, building, workers=workers)
        try:
            os.replace(building, target)
        except OSError:  # another process finished the same build first
            shutil.rmtree(building, ignore_errors=True)
    for stale in root.glob(f"{CACHE_PREFIX}*"):
        if stale != target:
            shutil.rmtree(stale, ignore_errors=True)
    return target


def undated_share(events: pd.DataFrame) -> UndatedShare:
    asserted = events[events["modality"] == "asserted"]
    return UndatedShare(len(asserted), int(asserted["event_date"].isna().sum()))


def lead_stories(events: pd.DataFrame) -> dict[str, str]:
    """article_id → the story holding most of the article's asserted/claimed events (ties:
    a story with a dated event first, then the first mentioned)."""
    linked = events[events["story_id"].notna()]
    dated = set(linked.loc[linked["event_date"].notna(), "story_id"])
    happened = linked[linked["modality"].isin(HAPPENED)]
    happened = happened.sort_values(["article_id", "start_char"])
    lead: dict[str, str] = {}
    for article_id, group in happened.groupby("article_id", sort=False):
        counts = Counter(group["story_id"])
        first_seen = {story: k for k, story in reversed(list(enumerate(group["story_id"])))}
        lead[str(article_id)] = min(
            counts, key=lambda s: (-counts[s], s not in dated, first_seen[s])
        )
    return lead


def news_cycles(published: dict[str, pd.Timestamp], labels: dict[str, str]) -> dict[str, str]:
    """article_id → "label#n": one label's articles chained by publication within
    NEWS_CYCLE_DAYS of each other."""
    cycle: dict[str, str] = {}
    by_label: dict[str, list[str]] = defaultdict(list)
    for article_id, label in labels.items():
        by_label[label].append(article_id)
    for label, ids in by_label.items():
        ids.sort(key=lambda a: (pd.isna(published.get(a)), published.get(a) or pd.Timestamp(0)))
        number, previous = 0, None
        for article_id in ids:
            when = published.get(article_id)
            if previous is not None and (
                when is None
                or pd.isna(when)
                or (when - previous).total_seconds() > NEWS_CYCLE_DAYS * 86400
            ):
                number += 1
            cycle[article_id] = f"{label}#{number}"
            previous = when if when is not None and not pd.isna(when) else previous
    return cycle


def _bcubed(clusters: dict[str, str], truth: dict[str, str]) -> tuple[float, float] | None:
    """Mean B-cubed precision and recall of ``clusters`` against ``truth`` (same keys)."""
    keys = [k for k in clusters if k in truth]
    if not keys:
        return None
    by_cluster: dict[str, list[str]] = defaultdict(list)
    by_truth: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_cluster[clusters[key]].append(key)
        by_truth[truth[key]].append(key)
    precision = recall = 0.0
    for key in keys:
        same_cluster = by_cluster[clusters[key]]
        same_truth = by_truth[truth[key]]
        both = sum(1 for other in same_cluster if truth[other] == truth[key])
        precision += both / len(same_cluster)
        recall += both / len(same_truth)
    return precision / len(keys), recall / len(keys)


def story_agreement(
    events: pd.DataFrame, articles: pd.DataFrame, labels: dict[str, str]
) -> StoryAgreement:
    """Lead stories of the labelled articles (``labels``: external id → event label)."""
    labelled = articles[articles["external_id"].isin(labels)]
    by_article = {
        str(a): labels[str(e)]
        for a, e in zip(labelled["article_id"], labelled["external_id"], strict=True)
    }
    published = dict(zip(labelled["article_id"].astype(str), labelled["published"], strict=True))
    lead = {a: s for a, s in lead_stories(events).items() if a in by_article}
    cycles = news_cycles(published, by_article)
    with_label = _bcubed(lead, by_article)
    with_cycle = _bcubed(lead, cycles)
    return StoryAgreement(
        articles=len(lead),
        without_story=len(by_article) - len(lead),
        purity=None if with_label is None else with_label[0],
        completeness=None if with_cycle is None else with_cycle[1],
        completeness_by_label=None if with_label is None else with_label[1],
    )


def read_labels(path: Path) -> dict[str, str]:
    """id → event_label of a news-cluster CSV."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["event_label"] for row in csv.DictReader(handle) if row["id"]}


def corpus_report(shared_dir: Path, corpus_dir: Path | None = None, *, workers: int = 1) -> str:
    """Build (or reuse) the full real corpus and print both measures; without
    ``corpus_dir``, the cached build (:func:`cached_corpus`)."""
    from flashpoint import store

    if corpus_dir is None:
        corpus_dir = cached_corpus(shared_dir, workers=workers)
    else:
        build_corpus(shared_dir, corpus_dir, workers=workers)
    corpus = store.load_corpus(corpus_dir, tables=("articles", "events"))
    share = undated_share(corpus.events)
    agreement = story_agreement(
        corpus.events, corpus.articles, read_labels(shared_dir / "corpora" / NEWS_CLUSTER)
    )
    value = "-" if share.value is None else f"{100 * share.value:.1f}%"
    return "\n".join(
        [
            f"== Full real corpus: {len(corpus.articles)} articles, {len(corpus.events)} events",
            f"asserted events with no date: {value} ({share.undated}/{share.asserted})",
            agreement.table(),
        ]
    )


def main(argv: Iterable[str] | None = None) -> int:
    import argparse

    from flashpoint.eval import DEFAULT_SHARED_DIR

    parser = argparse.ArgumentParser(prog="python -m flashpoint.eval.corpus", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        help="build the corpus here (default: the cache, see cached_corpus)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not (args.shared / "corpora").is_dir():
        print(f"{args.shared}/corpora is absent: nothing to measure")
        return 0
    print(corpus_report(args.shared, args.corpus_dir, workers=args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
