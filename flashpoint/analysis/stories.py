"""Stories: reports of one real-world event, linked across articles.

Nineteen articles about one launch over Hokkaido are one point on a timeline, sized by its
coverage. Two event mentions belong to one story when they are of the same type and
certainty (what happened, what is planned, what might, what did not), share an actor, carry
compatible weapons, and their dates agree within what their precision allows:

* day-precise dates within one day of each other (time zones: a morning launch in Korea is
  the previous evening in Washington);
* a month-precise date only with others of the same month whose weapons match (without
  weapons a month says too little to tell two launches apart).

Then reports that did not link that way are placed where they fit exactly one story:

* a day-precise report whose actors are all *parties* (targets, the country a missile flew
  over, as at least two articles of the story say) of another story of its type on its day
  is that story with a reacting country read as its actor;
* a day-precise report with no actor joins the one story of its type on its day (or, of
  several, the one whose parties include the report's own, else the one that, around its
  day, at least ``DOMINANT_ARTICLES`` articles report and ``DOMINANT_RATIO`` times as many
  as any other);
* a month- or year-precise story ("the launch in February") joins the one day-precise
  story of its type and an actor of its own in that month or year, weapons permitting.
  It never bridges two day-precise stories: with two candidates it stays apart.

Undated reports stay stories of their own: most are generic ("its nuclear tests", "rounds of
UN sanctions"), so even joining one to the one dated story of its type and actors in its own
article was right for only about a quarter of the 135 such reports of the full real corpus
(read one by one). Linking is done with vectorised joins on
(type, certainty, actor, day/month/year) buckets and connected components, so 200k events
link in seconds. Articles marked ``duplicate_of`` another count once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
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
    "generic": "generic",
}
# Events of several parties, told apart by who took part: "South Korea held talks in May"
# names one side of some meeting, not which one.
PARTY_TYPES = frozenset({"meeting", "exercise"})
# A report naming no actor, of several stories of its type on its day, is of the one that
# dominates the day's coverage: "its fourth nuclear test in January" beside the test
# fifty articles report and a few reports that read a reacting country as the actor.
# Dominant: reported by this many articles within a day of the report, and this many
# times as many as any other candidate.
DOMINANT_ARTICLES = 3
DOMINANT_RATIO = 3
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


def _date_numbers(
    dates: pd.Series, precision: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day number (days since epoch) of day-precise dates, month number of day- or
    month-precise ones and the year of any dated one; NaN where there is none."""
    text = dates.astype("object").where(dates.notna(), None)
    length = text.map(lambda v: len(v) if isinstance(v, str) else 0)
    day_mask = precision.isin(["day", "datetime"]) & (length >= 10)
    month_mask = (day_mask | precision.eq("month")) & (length >= 7)
    year_mask = (month_mask | precision.eq("year")) & (length >= 4)
    days = pd.to_datetime(text.where(day_mask).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    day_number = (days - pd.Timestamp("1970-01-01")).dt.days.astype("float64")
    months = pd.to_datetime(text.where(month_mask).str.slice(0, 7), errors="coerce", format="%Y-%m")
    month_number = (months.dt.year * 12 + months.dt.month - 1).astype("float64")
    years = pd.to_numeric(text.where(year_mask).str.slice(0, 4), errors="coerce")
    return (
        day_number.to_numpy(),
        month_number.to_numpy(),
        years.astype("float64").to_numpy(),
    )


def _items(lists: list[list[str]]) -> pd.DataFrame:
    """A list column as long rows: ``key`` (the row number) and ``item``."""
    lengths = np.fromiter((len(v) for v in lists), dtype=np.int64, count=len(lists))
    return pd.DataFrame(
        {
            "key": np.repeat(np.arange(len(lists), dtype=np.int64), lengths),
            "item": pd.Series([i for v in lists for i in v], dtype="object"),
        }
    )


def _grouped_items(items: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """Items of rows pooled per group (``groups[row]``): distinct ``key`` (group), ``item``."""
    return items.assign(key=groups[items["key"].to_numpy()]).drop_duplicates()


def _shared(
    a: np.ndarray, b: np.ndarray, items_a: pd.DataFrame, items_b: pd.DataFrame
) -> np.ndarray:
    """For pairs (a[k], b[k]): how many items of ``a[k]`` are also items of ``b[k]``."""
    out = np.zeros(len(a), dtype=np.int64)
    if len(a) == 0:
        return out
    pairs = pd.DataFrame({"a": a, "b": b, "k": np.arange(len(a))})
    left = pairs.merge(items_a.rename(columns={"key": "a"}), on="a")
    both = left.merge(items_b.rename(columns={"key": "b"}), on=["b", "item"])
    counts = both.groupby("k").size()
    out[counts.index.to_numpy(dtype=np.int64)] = counts.to_numpy()
    return out


def _item_counts(items: pd.DataFrame, size: int) -> np.ndarray:
    return np.bincount(items["key"].to_numpy(dtype=np.int64), minlength=size)


def _pairs(frame: pd.DataFrame, keys: list[str], left_on: str, right_on: str) -> pd.DataFrame:
    """Row pairs (i, j) with equal ``keys`` and ``left_on`` == ``right_on``."""
    left = frame[[*keys, left_on, "row"]].dropna(subset=[left_on])
    right = frame[[*keys, right_on, "row"]].dropna(subset=[right_on])
    merged = left.merge(
        right, left_on=[*keys, left_on], right_on=[*keys, right_on], suffixes=("_a", "_b")
    )
    merged = merged[merged["row_a"] != merged["row_b"]]
    return merged[["row_a", "row_b"]].drop_duplicates()


def _near_day(rows: pd.DataFrame, stories: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """(row, label) pairs of ``rows`` and ``stories`` with equal ``keys`` whose days are at
    most one apart."""
    return pd.concat(
        [
            rows[["row", *keys, "day"]].merge(
                stories[[*keys, "day", "label"]].assign(day=stories["day"] + shift),
                on=[*keys, "day"],
            )
            for shift in (-1, 0, 1)
        ],
        ignore_index=True,
    ).drop_duplicates(["row", "label"])[["row", "label"]]


def _relabel(labels: np.ndarray, rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
    labels = labels.copy()
    labels[rows] = targets
    return labels


def _sole(candidates: pd.DataFrame, by: str) -> pd.DataFrame:
    """Of (``by``, label) candidate pairs, those where ``by`` has exactly one label."""
    counts = candidates.groupby(by)["label"].transform("nunique")
    return candidates[counts == 1].drop_duplicates(by)


def link_events(events: pd.DataFrame) -> np.ndarray:
    """A component number per event row: rows with the same number are one story."""
    n = len(events)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    actor_items = _items([_as_list(v) for v in events["actors"]])
    weapon_items = _items([sorted(set(_as_list(v))) for v in events["weapons"]])
    participant_items = _items(
        [_as_list(v) for v in events.get("participants", pd.Series([None] * n))]
    )
    precision = events["date_precision"].astype("object").fillna("unknown").astype(str)
    day, month, year = _date_numbers(events["event_date"], precision)
    base = pd.DataFrame(
        {
            "row": np.arange(n),
            "article": events["article_id"].astype(str).to_numpy(),
            "type": events["event_type"].astype(str).to_numpy(),
            "certainty": events["modality"].map(CERTAINTY).fillna("other").astype(str).to_numpy(),
            "day": day,
            "month": month,
            "year": year,
        }
    )
    is_month = precision.eq("month").to_numpy() & ~np.isnan(month)
    is_year = precision.eq("year").to_numpy() & ~np.isnan(year)
    base["next_day"] = base["day"] + 1
    base["month_key"] = np.where(is_month, month, np.nan)
    with_actor = base.merge(actor_items.rename(columns={"key": "row", "item": "actor"}), on="row")
    keys = ["type", "certainty", "actor"]

    # Day-precise reports of one actor within a day of each other, unless their weapons
    # differ; month-precise reports of one actor and month that name the same weapon.
    day_pairs = pd.concat(
        [_pairs(with_actor, keys, "day", "day"), _pairs(with_actor, keys, "day", "next_day")],
        ignore_index=True,
    )
    month_pairs = _pairs(with_actor, keys, "month_key", "month_key")
    rows_a: list[np.ndarray] = []
    rows_b: list[np.ndarray] = []
    for pairs, required in ((day_pairs, False), (month_pairs, True)):
        a = pairs["row_a"].to_numpy(dtype=np.int64)
        b = pairs["row_b"].to_numpy(dtype=np.int64)
        keep = _weapons_fit(a, b, weapon_items, weapon_items, required=required)
        rows_a.append(a[keep])
        rows_b.append(b[keep])
    a_all = np.concatenate(rows_a)
    b_all = np.concatenate(rows_b)
    graph = coo_matrix((np.ones(len(a_all)), (a_all, b_all)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)

    labels = _join_reacting(base, labels, actor_items, participant_items, weapon_items)
    labels = _join_without_actor(base, labels, actor_items, participant_items, weapon_items)
    return _join_coarse(base, labels, actor_items, weapon_items, is_month, is_year)


def _weapons_fit(
    a: np.ndarray,
    b: np.ndarray,
    items_a: pd.DataFrame,
    items_b: pd.DataFrame,
    required: bool,
) -> np.ndarray:
    """Pairs that share a weapon, or (unless ``required``) where one side names none."""
    shared = _shared(a, b, items_a, items_b) > 0
    if required:
        return shared
    return shared | ~_named(items_a, a) | ~_named(items_b, b)


def _named(items: pd.DataFrame, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` has any item."""
    return np.isin(keys, items["key"].to_numpy())


def _story_parties(
    base: pd.DataFrame, labels: np.ndarray, participant_items: pd.DataFrame, rows: np.ndarray
) -> pd.DataFrame:
    """Parties (participants, targets) of each story (``key``: label) that reports from at
    least two of its articles name, counting ``rows`` only: one article's reading is too
    weak to move another's report."""
    named = participant_items[np.isin(participant_items["key"].to_numpy(), rows)]
    keys = named["key"].to_numpy()
    named = named.assign(article=base["article"].to_numpy()[keys], key=labels[keys])
    by_articles = named.drop_duplicates().groupby(["key", "item"]).size()
    return by_articles[by_articles >= 2].reset_index()[["key", "item"]]


def _join_reacting(
    base: pd.DataFrame,
    labels: np.ndarray,
    actor_items: pd.DataFrame,
    participant_items: pd.DataFrame,
    weapon_items: pd.DataFrame,
) -> np.ndarray:
    """A day-precise report whose actors are all parties another story of its type
    happened *to* within a day of it (its targets, the country a missile flew over) is
    that story with a reacting country read as the actor ("Japan said the missile flew
    over Hokkaido"). It joins that story when it is the only such story, the report names
    no weapon the story does not, and the story's actors are not parties of the report's own story (two sides
    firing at each other stay apart)."""
    n = len(base)
    dated = base[~np.isnan(base["day"].to_numpy()) & (_item_counts(actor_items, n) > 0)]
    if dated.empty:
        return labels
    rows = dated.assign(label=labels[dated["row"].to_numpy()])
    stories = rows[["type", "certainty", "day", "label"]].drop_duplicates()
    candidates = _near_day(rows, stories, ["type", "certainty"])
    candidates = candidates[candidates["label"].to_numpy() != labels[candidates["row"].to_numpy()]]
    if candidates.empty:
        return labels
    story_parties = _story_parties(base, labels, participant_items, dated["row"].to_numpy())
    in_day_actors = np.isin(actor_items["key"].to_numpy(), dated["row"].to_numpy())
    in_day_weapons = np.isin(weapon_items["key"].to_numpy(), dated["row"].to_numpy())
    story_actors = _grouped_items(actor_items[in_day_actors], labels)
    story_weapons = _grouped_items(weapon_items[in_day_weapons], labels)

    row = candidates["row"].to_numpy(dtype=np.int64)
    target = candidates["label"].to_numpy(dtype=np.int64)
    all_parties = (
        _shared(row, target, actor_items, story_parties) == _item_counts(actor_items, n)[row]
    )
    not_mutual = _shared(target, labels[row], story_actors, story_parties) == 0
    # A report naming a weapon the story does not name is of another launch.
    fit = (_shared(row, target, weapon_items, story_weapons) > 0) | ~_named(weapon_items, row)
    chosen = _sole(candidates[all_parties & not_mutual & fit], "row")
    return _relabel(
        labels, chosen["row"].to_numpy(dtype=np.int64), chosen["label"].to_numpy(dtype=np.int64)
    )


def _join_without_actor(
    base: pd.DataFrame,
    labels: np.ndarray,
    actor_items: pd.DataFrame,
    participant_items: pd.DataFrame,
    weapon_items: pd.DataFrame,
) -> np.ndarray:
    """A day-precise report with no actor joins the one story of its type and certainty
    within a day of it whose weapons agree; where there are several, the one story whose
    parties include all the report's own ("the missile flew over Japan"), else the one
    that dominates the coverage of those days (:data:`DOMINANT_ARTICLES`,
    :data:`DOMINANT_RATIO`: counted over the story's reports within a day of the report,
    so that the choice depends on nearby events only)."""
    n = len(base)
    has_actor = _item_counts(actor_items, n) > 0
    dated = ~np.isnan(base["day"].to_numpy())
    no_actor = base[~has_actor & dated]
    if no_actor.empty:
        return labels
    known = base[has_actor & dated].assign(label=labels[has_actor & dated])
    keys = ["type", "certainty"]
    near = pd.concat(
        [
            no_actor[["row", *keys, "day"]].merge(
                known[[*keys, "day", "label", "article"]].assign(day=known["day"] + shift),
                on=[*keys, "day"],
            )
            for shift in (-1, 0, 1)
        ],
        ignore_index=True,
    )
    if near.empty:
        return labels
    candidates = near.groupby(["row", "label"])["article"].nunique().rename("articles")
    candidates = candidates.reset_index()
    known_rows = known["row"].to_numpy()
    in_known = np.isin(weapon_items["key"].to_numpy(), known_rows)
    story_weapons = _grouped_items(weapon_items[in_known], labels)
    story_parties = _story_parties(base, labels, participant_items, known_rows)
    row = candidates["row"].to_numpy(dtype=np.int64)
    target = candidates["label"].to_numpy(dtype=np.int64)
    n_parties = _item_counts(participant_items, n)[row]
    all_parties = (n_parties > 0) & (
        _shared(row, target, participant_items, story_parties) == n_parties
    )
    candidates = candidates.assign(score=np.where(all_parties, 2, 1))
    candidates = candidates[_weapons_fit(row, target, weapon_items, story_weapons, False)]
    best = candidates.groupby("row")["score"].transform("max")
    chosen = _sole_or_dominant(candidates[candidates["score"] == best])
    return _relabel(
        labels, chosen["row"].to_numpy(dtype=np.int64), chosen["label"].to_numpy(dtype=np.int64)
    )


def _sole_or_dominant(candidates: pd.DataFrame) -> pd.DataFrame:
    """Of (row, label, articles) candidates, per row the only label, or the label whose
    ``articles`` are at least :data:`DOMINANT_ARTICLES` and :data:`DOMINANT_RATIO` times
    every other label's."""
    ranked = candidates.sort_values(["row", "articles", "label"], ascending=[True, False, True])
    rank = ranked.groupby("row").cumcount().to_numpy()
    first = ranked[rank == 0].set_index("row")
    second = ranked[rank == 1].set_index("row")["articles"].reindex(first.index)
    top = first["articles"]
    keep = second.isna() | ((top >= DOMINANT_ARTICLES) & (top >= DOMINANT_RATIO * second))
    return first[keep.to_numpy()].reset_index()[["row", "label"]]


def _join_coarse(
    base: pd.DataFrame,
    labels: np.ndarray,
    actor_items: pd.DataFrame,
    weapon_items: pd.DataFrame,
    is_month: np.ndarray,
    is_year: np.ndarray,
) -> np.ndarray:
    """A month- or year-precise story (reports that only say "in February" or "last
    year") that fits exactly one day-precise story of its type and certainty in that month
    or year, one in which all its actors act, is that story. A meeting or exercise needs
    two of its parties named to be told from others. Weapons decide between candidates: those
    naming a weapon the coarse story names come first; one naming only other weapons never
    fits."""
    n = len(base)
    n_actors = _item_counts(actor_items, n)
    named = np.where(base["type"].isin(PARTY_TYPES).to_numpy(), n_actors >= 2, n_actors > 0)
    is_day = ~np.isnan(base["day"].to_numpy())
    day_labels = np.unique(labels[is_day])
    coarse = (is_month | is_year) & named & ~np.isin(labels, day_labels)
    if not coarse.any() or len(day_labels) == 0:
        return labels
    actors = actor_items.rename(columns={"key": "row", "item": "actor"})
    keys = ["type", "certainty", "actor"]
    stories = base[is_day & (n_actors > 0)].merge(actors, on="row")
    stories = stories.assign(label=labels[stories["row"].to_numpy()])
    reports = base[coarse].merge(actors, on="row")
    reports = reports.assign(group=labels[reports["row"].to_numpy()])
    month_rows = reports[is_month[reports["row"].to_numpy()]]
    year_rows = reports[is_year[reports["row"].to_numpy()]]
    candidates = pd.concat(
        [
            month_rows[["group", *keys, "month"]].merge(
                stories[[*keys, "month", "label"]], on=[*keys, "month"]
            ),
            year_rows[["group", *keys, "year"]].merge(
                stories[[*keys, "year", "label"]], on=[*keys, "year"]
            ),
        ],
        ignore_index=True,
    )[["group", "label"]].drop_duplicates()
    if candidates.empty:
        return labels
    group = candidates["group"].to_numpy(dtype=np.int64)
    target = candidates["label"].to_numpy(dtype=np.int64)
    # Every actor of the coarse story acts in the day-precise one: "South Korea and China
    # held talks in May" is not the South Korea-United States summit of that May.
    group_actors = _grouped_items(actor_items[coarse[actor_items["key"]]], labels)
    story_actors = _grouped_items(actor_items[is_day[actor_items["key"]]], labels)
    all_actors = (
        _shared(group, target, group_actors, story_actors) == _item_counts(group_actors, n)[group]
    )
    candidates, group, target = candidates[all_actors], group[all_actors], target[all_actors]
    group_weapons = _grouped_items(weapon_items[coarse[weapon_items["key"]]], labels)
    story_weapons = _grouped_items(weapon_items[is_day[weapon_items["key"]]], labels)
    shared = _shared(group, target, group_weapons, story_weapons) > 0
    both_named = _named(group_weapons, group) & _named(story_weapons, target)
    score = np.where(shared, 2, np.where(both_named, 0, 1))
    candidates = candidates.assign(score=score)
    candidates = candidates[candidates["score"] > 0]
    best = candidates.groupby("group")["score"].transform("max")
    chosen = _sole(candidates[candidates["score"] == best], "group")
    if chosen.empty:
        return labels
    remap = np.arange(max(int(labels.max()) + 1, n), dtype=np.int64)
    remap[chosen["group"].to_numpy(dtype=np.int64)] = chosen["label"].to_numpy(dtype=np.int64)
    return remap[labels]


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
    story = counts["label"].to_numpy()
    lists: dict[Any, list[str]] = {}
    if len(story):
        starts = np.flatnonzero(np.r_[True, story[1:] != story[:-1]])
        chunks = np.split(counts["item"].to_numpy(dtype=object), starts[1:])
        lists = {story[i]: chunk.tolist() for i, chunk in zip(starts, chunks, strict=True)}
    return pd.Series([lists.get(label, []) for label in labels], index=labels, dtype="object")


def build_stories(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    text_of: Callable[[list[str]], Mapping[str, str]] | None = None,
    labels: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Link the events of a corpus into stories.

    Returns ``(stories, events)``: the stories table (STORY_COLUMNS) and the events with
    ``story_id`` set. ``articles`` needs ``article_id``, and uses ``source``, ``title``,
    ``published`` and ``duplicate_of`` where present; with ``text`` (or, without it,
    ``text_of(article_ids)`` giving the texts of the articles asked for) it fills each
    story's evidence sentence. ``labels`` (one per event row: equal labels, one story)
    skips the linking, for a caller that linked already.
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
        for c in ("article_id", "source", "title", "published", "duplicate_of")
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
    for column in ("source", "title", "published", "duplicate_of"):
        if column not in joined.columns:
            joined[column] = None
    joined["published"] = pd.to_datetime(joined["published"], utc=True, errors="coerce")
    # A near-duplicate counts as the article it copies.
    duplicate = joined["duplicate_of"].astype("object")
    joined["article_key"] = duplicate.where(
        duplicate.notna() & (duplicate.astype(str) != ""), joined["article_id"]
    ).astype(str)

    if labels is None:
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

    # Article text is looked up for the one event quoted per story only: carried along
    # every report it would be copied by each sort and filter above.
    if "text" in articles.columns:
        texts = articles.drop_duplicates("article_id").set_index("article_id")["text"]
        best_text = best_event["article_id"].map(texts)
    elif text_of is not None:
        wanted = sorted({str(a) for a in best_event["article_id"].dropna()})
        found = text_of(wanted)
        best_text = best_event["article_id"].map(lambda a: found.get(str(a)))
    else:
        best_text = pd.Series(None, index=best_event.index, dtype="object")
    evidence = [
        text[int(start) : int(end)].strip() or None
        if isinstance(text, str) and pd.notna(start) and pd.notna(end)
        else None
        for text, start, end in zip(
            best_text, best_event["start_char"], best_event["end_char"], strict=True
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


# --- incremental linking ----------------------------------------------------------------

# How far (in days) around a new day-precise event existing events are relinked with it.
# A report links to stories within a day of it, so events up to two days away can have
# their choice changed by the new one; one more day gives those the candidates they
# chose among.
REACH_DAYS = 3


def _link_keys(events: pd.DataFrame) -> pd.DataFrame:
    """Per event row (``row``): type, certainty, day/month/year numbers, precision."""
    n = len(events)
    precision = events["date_precision"].astype("object").fillna("unknown").astype(str)
    day, month, year = _date_numbers(events["event_date"], precision)
    return pd.DataFrame(
        {
            "row": np.arange(n),
            "type": events["event_type"].astype(str).to_numpy(),
            "certainty": events["modality"].map(CERTAINTY).fillna("other").astype(str).to_numpy(),
            "day": day,
            "month": month,
            "year": year,
            "is_month": (precision.eq("month").to_numpy() & ~np.isnan(month)),
            "is_year": (precision.eq("year").to_numpy() & ~np.isnan(year)),
        }
    )


ReachKeys = tuple[pd.DataFrame, pd.DataFrame]


def reach_keys(events: pd.DataFrame) -> ReachKeys:
    """What :func:`events_in_reach` compares, per event row: the link keys, and the same
    with one row per actor. Computed once for the stored events of a run."""
    keys = _link_keys(events)
    actors = keys.merge(
        _items([_as_list(v) for v in events["actors"]]).rename(
            columns={"key": "row", "item": "actor"}
        ),
        on="row",
    )
    return keys, actors


def _rows_of(keys: ReachKeys, mask: np.ndarray) -> ReachKeys:
    rows = np.flatnonzero(mask)
    return (
        keys[0][keys[0]["row"].isin(rows)],
        keys[1][keys[1]["row"].isin(rows)],
    )


def events_in_reach(
    existing: pd.DataFrame,
    new: pd.DataFrame,
    *,
    days: int | None = REACH_DAYS,
    existing_keys: ReachKeys | None = None,
    new_keys: ReachKeys | None = None,
) -> np.ndarray:
    """Which rows of ``existing`` the linking of ``new`` can involve: same type and
    certainty within ``days`` days of a new day-precise event, and same type, certainty
    and actor in the month or year of a new event where one of the two is dated only to
    that month or year (a coarse report joins the one day-precise story it fits).
    ``days=None`` leaves out the day rule. The keys (:func:`reach_keys`) may be given."""
    mask = np.zeros(len(existing), dtype=bool)
    if existing.empty or new.empty:
        return mask
    old, old_actors = existing_keys if existing_keys is not None else reach_keys(existing)
    fresh, new_actors = new_keys if new_keys is not None else reach_keys(new)
    tc = ["type", "certainty"]
    hits: list[np.ndarray] = []
    if days is not None:
        fresh_days = fresh.dropna(subset=["day"])[[*tc, "day"]].drop_duplicates()
        if len(fresh_days):
            window = pd.concat(
                [
                    fresh_days.assign(day=fresh_days["day"] + shift)
                    for shift in range(-days, days + 1)
                ],
                ignore_index=True,
            ).drop_duplicates()
            hits.append(old.dropna(subset=["day"]).merge(window, on=[*tc, "day"])["row"].to_numpy())
    keys = [*tc, "actor"]
    for unit, coarse in (("month", "is_month"), ("year", "is_year")):
        # An existing coarse event and any new event of its month/year, or an existing
        # event of the month/year of a new coarse one.
        left = old_actors[old_actors[coarse]].dropna(subset=[unit])
        right = new_actors.dropna(subset=[unit])[[*keys, unit]].drop_duplicates()
        hits.append(left.merge(right, on=[*keys, unit])["row"].to_numpy())
        left = old_actors.dropna(subset=[unit])
        right = new_actors[new_actors[coarse]].dropna(subset=[unit])[[*keys, unit]]
        hits.append(left.merge(right.drop_duplicates(), on=[*keys, unit])["row"].to_numpy())
    for rows in hits:
        mask[rows.astype(np.int64)] = True
    return mask


def _whole_stories(story_codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask`` grown to every event of the stories it touches (``story_codes``: a story
    number per event, -1 for none)."""
    touched = np.unique(story_codes[mask])
    touched = touched[touched >= 0]
    return mask | np.isin(story_codes, touched)


def stories_in_reach(
    existing: pd.DataFrame,
    new: pd.DataFrame,
    *,
    days: int = REACH_DAYS,
    existing_keys: ReachKeys | None = None,
) -> np.ndarray:
    """The rows of ``existing`` (events with ``story_id``) to relink together with
    ``new``: the events in reach of the new ones (:func:`events_in_reach`), then the
    coarse (month- or year-dated) events and candidates of those, again and again until
    no more come in, each time with every event of their stories."""
    keys = existing_keys if existing_keys is not None else reach_keys(existing)
    codes = pd.factorize(existing["story_id"].astype("object"))[0]
    mask = _whole_stories(codes, events_in_reach(existing, new, days=days, existing_keys=keys))
    frontier = mask
    # A coarse event reached brings its other day-precise candidates, whose stories may
    # hold coarse events with candidates of their own: until nothing new comes in.
    while frontier.any():
        reach = events_in_reach(
            existing,
            existing[frontier],
            days=None,
            existing_keys=keys,
            new_keys=_rows_of(keys, frontier),
        )
        grown = _whole_stories(codes, mask | reach)
        frontier = grown & ~mask
        mask = grown
    return mask


def link_new_events(
    existing: pd.DataFrame,
    new: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    text_of: Callable[[list[str]], Mapping[str, str]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Link new events against the stories of a corpus without relinking all of it.

    ``existing`` are the corpus's events (with ``story_id``, in table order), ``new`` the
    events to add. Only the existing events in reach (:func:`stories_in_reach`) are
    relinked with the new ones. Returns ``(stories, events, reached)``: the stories of
    the relinked events, those events (the reached existing ones in table order, then the
    new ones) with ``story_id`` set, and the mask of reached rows of ``existing``.

    The stories are those a full :func:`build_stories` gives whenever no decision in
    reach depends on an event further away; docs/scaling.md says when that can fail,
    and ``flashpoint relink`` relinks everything.
    """
    columns = [c for c in EVENT_COLUMNS if c in new.columns or c in existing.columns]
    interior: np.ndarray | None = None
    keys = reach_keys(existing) if len(new) else None
    for days in (REACH_DAYS, 2 * REACH_DAYS):
        if keys is not None:
            reached = stories_in_reach(existing, new, days=days, existing_keys=keys)
        else:
            reached = np.zeros(len(existing), dtype=bool)
        old = existing.loc[reached]
        subset = pd.concat(
            [old.reindex(columns=columns), new.reindex(columns=columns)], ignore_index=True
        )
        for column in EVENT_COLUMNS:
            if column not in subset.columns:
                subset[column] = None
        labels = link_events(subset)
        merged = _merged_without_new(labels, old["story_id"], len(new))
        if interior is None and merged.any():
            # Look again with a wider reach: a merge an edge event made for want of a
            # candidate outside goes away; one the new events caused stays.
            interior = reached
            continue
        if merged.any() and interior is not None:
            inside = np.r_[interior[reached], np.ones(len(new), dtype=bool)]
            labels = _kept_apart(labels, old["story_id"], merged, inside)
        break
    stories, events = build_stories(subset, articles, text_of=text_of, labels=labels)
    return stories, events, reached


def _merged_without_new(labels: np.ndarray, old_stories: pd.Series, n_new: int) -> np.ndarray:
    """Per row: whether its story holds no new event (the last ``n_new`` rows) and
    events of more than one stored story."""
    n_old = len(old_stories)
    if n_old == 0:
        return np.zeros(len(labels), dtype=bool)
    frame = pd.DataFrame(
        {
            "label": labels,
            "old": np.concatenate(
                [old_stories.astype("object").fillna("").astype(str).to_numpy(), [""] * n_new]
            ),
            "is_new": np.r_[np.zeros(n_old, dtype=bool), np.ones(n_new, dtype=bool)],
        }
    )
    grouped = frame.groupby("label")
    merged = (grouped["is_new"].transform("sum") == 0) & (grouped["old"].transform("nunique") > 1)
    return merged.to_numpy()


def _kept_apart(
    labels: np.ndarray, old_stories: pd.Series, merged: np.ndarray, inside: np.ndarray
) -> np.ndarray:
    """``labels`` with each merge of stored stories (``merged`` rows) that reaches past
    ``inside`` (the first, narrower reach) undone: those stories stay as stored.

    Such a merge is what an event at the edge of the reach does when a candidate story
    that kept it apart lies just outside (a report between two launches, one of them out
    of reach); nothing new touched those stories."""
    n_new = len(labels) - len(old_stories)
    frame = pd.DataFrame(
        {
            "label": labels,
            "old": np.concatenate(
                [old_stories.astype("object").fillna("").astype(str).to_numpy(), [""] * n_new]
            ),
            "outside": ~inside,
        }
    )
    reaches_out = frame.groupby("label")["outside"].transform("any").to_numpy()
    merged = merged & reaches_out
    if not merged.any():
        return labels
    apart = pd.Series(np.where(merged, "\x1f" + frame["old"], ""), dtype="object")
    key: pd.Series = frame["label"].astype(str) + apart
    return pd.factorize(key)[0].astype(np.int64)
