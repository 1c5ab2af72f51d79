"""Stories: reports of one real-world event, linked across articles.

Nineteen articles about one launch over Hokkaido are one point on a timeline, sized by its
coverage. Two event mentions belong to one story when they are of the same type and
certainty (what happened, what is planned, what might, what did not), share an actor, carry
compatible weapons, and their dates agree within what their precision allows:

* day-precise dates within one day of each other (time zones: a morning launch in Korea is
  the previous evening in Washington);
* a month-precise date only with others of the same month whose weapons match (without
  weapons a month says too little to tell two launches apart);
* year-precise and undated mentions stay stories of their own.

A mention with no actor joins the one story of its type on its day, if there is exactly
one. Linking is done with vectorised joins on (type, certainty, actor, day) buckets and
connected components, so ~50k events link in seconds. Articles marked ``duplicate_of``
another count once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from flashpoint.schema import EVENT_COLUMNS, STORY_COLUMNS

# Which modalities report the same kind of thing: an asserted launch and one KCNA claims
# are one event; a planned meeting is a different story from a denied one.
CERTAINTY: dict[str, str] = {
    "asserted": "happened",
    "claimed": "happened",
    "planned": "planned",
    "possible": "possible",
    "negated": "negated",
}
_PRECISION_RANK = {"datetime": 0, "day": 0, "month": 1, "year": 2, "unknown": 3}


def _as_list(value: Any) -> list[str]:
    """A list column cell (list, numpy array, tuple, None or NaN) as a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and v == v and str(v)]
    return []


def _empty_stories() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in STORY_COLUMNS})


def _story_id(first_event_id: str) -> str:
    return "story:" + hashlib.sha1(first_event_id.encode("utf-8")).hexdigest()[:12]


def _day_numbers(dates: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Day number (days since epoch) of day-precise dates and month number of day- or
    month-precise ones; NaN where there is none."""
    text = dates.astype("object").where(dates.notna(), None)
    day_mask = precision.isin(["day", "datetime"]) & text.map(
        lambda v: isinstance(v, str) and len(v) >= 10
    )
    month_mask = (day_mask | precision.eq("month")) & text.map(
        lambda v: isinstance(v, str) and len(v) >= 7
    )
    days = pd.to_datetime(text.where(day_mask).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    day_number = (days - pd.Timestamp("1970-01-01")).dt.days.astype("float64")
    months = pd.to_datetime(text.where(month_mask).str.slice(0, 7), errors="coerce", format="%Y-%m")
    month_number = (months.dt.year * 12 + months.dt.month - 1).astype("float64")
    return day_number, month_number


def _pairs(frame: pd.DataFrame, keys: list[str], left_on: str, right_on: str) -> pd.DataFrame:
    """Row pairs (i, j) with equal ``keys`` and ``left_on`` == ``right_on``."""
    left = frame[[*keys, left_on, "row"]].dropna(subset=[left_on])
    right = frame[[*keys, right_on, "row"]].dropna(subset=[right_on])
    merged = left.merge(
        right, left_on=[*keys, left_on], right_on=[*keys, right_on], suffixes=("_a", "_b")
    )
    merged = merged[merged["row_a"] != merged["row_b"]]
    return merged[["row_a", "row_b"]]


def _compatible_weapons(
    weapons: list[frozenset[str]], a: np.ndarray, b: np.ndarray, *, required: bool
) -> np.ndarray:
    """Both name weapons and share one, or (unless ``required``) one names none."""
    out = np.empty(len(a), dtype=bool)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        wa, wb = weapons[i], weapons[j]
        out[k] = bool(wa & wb) if (wa and wb) else (not required)
    return out


def link_events(events: pd.DataFrame) -> np.ndarray:
    """A component number per event row: rows with the same number are one story."""
    n = len(events)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    actors = [_as_list(v) for v in events["actors"]]
    weapons = [frozenset(_as_list(v)) for v in events["weapons"]]
    precision = events["date_precision"].astype("object").fillna("unknown").astype(str)
    day, month = _day_numbers(events["event_date"], precision)
    base = pd.DataFrame(
        {
            "row": np.arange(n),
            "type": events["event_type"].astype(str).to_numpy(),
            "certainty": events["modality"].map(CERTAINTY).fillna("other").astype(str).to_numpy(),
            "day": day.to_numpy(),
            "month": month.to_numpy(),
            "is_month": precision.eq("month").to_numpy(),
        }
    )
    base["next_day"] = base["day"] + 1
    exploded = base.assign(actor=pd.Series(actors, dtype="object")).explode("actor")
    with_actor = exploded.dropna(subset=["actor"])
    keys = ["type", "certainty", "actor"]

    # Day-precise reports of one actor within a day of each other.
    day_pairs = pd.concat(
        [
            _pairs(with_actor, keys, "day", "day"),
            _pairs(with_actor, keys, "day", "next_day"),
        ],
        ignore_index=True,
    )
    # Month-precise reports join others of their month only with matching weapons.
    month_rows = with_actor.assign(
        month_key=with_actor["month"].where(with_actor["is_month"] | with_actor["day"].notna())
    )
    month_pairs = _pairs(month_rows, keys, "month_key", "month_key")
    if len(month_pairs):
        involved = base["is_month"].to_numpy()
        a, b = month_pairs["row_a"].to_numpy(), month_pairs["row_b"].to_numpy()
        month_pairs = month_pairs[involved[a] | involved[b]]

    rows_a: list[np.ndarray] = []
    rows_b: list[np.ndarray] = []
    for pairs, required in ((day_pairs, False), (month_pairs, True)):
        if len(pairs) == 0:
            continue
        a = pairs["row_a"].to_numpy(dtype=np.int64)
        b = pairs["row_b"].to_numpy(dtype=np.int64)
        keep = _compatible_weapons(weapons, a, b, required=required)
        rows_a.append(a[keep])
        rows_b.append(b[keep])
    a_all = np.concatenate(rows_a) if rows_a else np.zeros(0, dtype=np.int64)
    b_all = np.concatenate(rows_b) if rows_b else np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a_all)), (a_all, b_all)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)

    # A report with no actor joins the one story of its type and certainty on its day.
    has_actor = np.array([bool(a) for a in actors])
    dated = base["day"].notna().to_numpy()
    no_actor = base[~has_actor & dated]
    if len(no_actor):
        known = base[has_actor & dated].assign(label=labels[has_actor & dated])
        candidates = pd.concat(
            [
                no_actor[["row", "type", "certainty", "day"]].merge(
                    known[["type", "certainty", "day", "label"]].assign(day=known["day"] + shift),
                    on=["type", "certainty", "day"],
                )
                for shift in (-1, 0, 1)
            ],
            ignore_index=True,
        ).drop_duplicates(["row", "label"])
        single = candidates.groupby("row")["label"].agg(["nunique", "first"])
        single = single[single["nunique"] == 1]
        labels = labels.copy()
        labels[single.index.to_numpy(dtype=np.int64)] = single["first"].to_numpy(dtype=np.int64)
    return labels


def _best_dates(joined: pd.DataFrame) -> pd.DataFrame:
    """Per story, the most precise date its reports give, the most common at that
    precision (the earliest on a tie): columns event_date, date_precision."""
    dated = joined.loc[joined["event_date"].notna(), ["label", "event_date", "date_precision"]]
    dated = dated.assign(rank=dated["date_precision"].map(_PRECISION_RANK).fillna(3))
    counts = (
        dated.groupby(["label", "event_date"], sort=False)
        .agg(n=("rank", "size"), rank=("rank", "min"), date_precision=("date_precision", "first"))
        .reset_index()
        .sort_values(["label", "rank", "n", "event_date"], ascending=[True, True, False, True])
        .drop_duplicates("label")
        .set_index("label")
    )
    counts["date_precision"] = counts["date_precision"].replace({"datetime": "day"})
    return counts[["event_date", "date_precision"]]


def _unions(joined: pd.DataFrame, column: str, labels: pd.Index) -> pd.Series:
    """Per story, the distinct values of a list column, most reported first."""
    items = joined[["label"]].assign(item=joined[column].map(_as_list)).explode("item")
    items = items.dropna(subset=["item"])
    counts = (
        items.groupby(["label", "item"], sort=False)
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["label", "n", "item"], ascending=[True, False, True])
    )
    lists = counts.groupby("label", sort=False)["item"].agg(list)
    return pd.Series([lists.get(label, []) for label in labels], index=labels, dtype="object")


def build_stories(
    events: pd.DataFrame, articles: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Link the events of a corpus into stories.

    Returns ``(stories, events)``: the stories table (STORY_COLUMNS) and the events with
    ``story_id`` set. ``articles`` needs ``article_id``, and uses ``source``, ``title``,
    ``published`` and ``duplicate_of`` where present; with ``text`` it fills each story's
    evidence sentence.
    """
    events = events.copy()
    for column in EVENT_COLUMNS:
        if column not in events.columns:
            events[column] = None
    events = events.reset_index(drop=True)
    if events.empty:
        events["story_id"] = pd.Series(dtype="object")
        return _empty_stories(), events[list(EVENT_COLUMNS)]

    article_columns = [
        c
        for c in ("article_id", "source", "title", "published", "duplicate_of", "text")
        if c in articles.columns
    ]
    meta = articles[article_columns].drop_duplicates("article_id").set_index("article_id")
    joined = events[
        [
            "event_id",
            "article_id",
            "event_type",
            "event_date",
            "date_precision",
            "modality",
            "confidence",
            "start_char",
            "end_char",
            "actors",
            "weapons",
        ]
    ].join(meta, on="article_id")
    for column in ("source", "title", "published", "duplicate_of", "text"):
        if column not in joined.columns:
            joined[column] = None
    joined["published"] = pd.to_datetime(joined["published"], utc=True, errors="coerce")
    # A near-duplicate counts as the article it copies.
    duplicate = joined["duplicate_of"].astype("object")
    joined["article_key"] = duplicate.where(
        duplicate.notna() & (duplicate.astype(str) != ""), joined["article_id"]
    ).astype(str)

    labels = link_events(events)
    joined["label"] = labels
    # Stable story ids: from the earliest report's event id.
    order = joined.sort_values(
        ["label", "published", "event_id"], na_position="last", kind="stable"
    )
    first = order.drop_duplicates("label")
    story_ids = pd.Series(
        [_story_id(str(e)) for e in first["event_id"]], index=first["label"].to_numpy()
    )
    joined["story_id"] = joined["label"].map(story_ids)
    events["story_id"] = joined["story_id"].to_numpy()

    grouped = joined.groupby("label", sort=False)
    n_articles = grouped["article_key"].nunique()
    sources = joined["source"].astype("object")
    joined["source_key"] = sources.where(sources.notna(), "article:" + joined["article_key"])
    n_sources = grouped["source_key"].nunique()
    first_reported = grouped["published"].min()
    last_reported = grouped["published"].max()
    headline = first.set_index("label")["title"]
    confidence = pd.to_numeric(joined["confidence"], errors="coerce").fillna(0.0)
    best_event = (
        joined.assign(_c=confidence)
        .sort_values(["label", "_c"], ascending=[True, False], kind="stable")
        .drop_duplicates("label")
        .set_index("label")
    )

    evidence = [
        text[int(start) : int(end)].strip() or None
        if isinstance(text, str) and pd.notna(start) and pd.notna(end)
        else None
        for text, start, end in zip(
            best_event["text"], best_event["start_char"], best_event["end_char"], strict=True
        )
    ]
    labels_index = pd.Index(story_ids.index)
    dates = _best_dates(joined).reindex(labels_index)
    stories = pd.DataFrame(
        {
            "story_id": story_ids,
            "event_type": grouped["event_type"].first(),
            "event_date": dates["event_date"].astype("object"),
            "date_precision": dates["date_precision"].astype("object").fillna("unknown"),
            "actors": _unions(joined, "actors", labels_index),
            "weapons": _unions(joined, "weapons", labels_index),
            "n_articles": n_articles.astype("int64"),
            "n_sources": n_sources.astype("int64"),
            "first_reported": first_reported,
            "last_reported": last_reported,
            "headline": headline,
            "evidence": pd.Series(evidence, index=best_event.index, dtype="object"),
        }
    )
    stories = stories.sort_values(["first_reported", "story_id"], na_position="last", kind="stable")
    return stories.reset_index(drop=True)[list(STORY_COLUMNS)], events[list(EVENT_COLUMNS)]
