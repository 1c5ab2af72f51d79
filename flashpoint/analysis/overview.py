"""The overview page's numbers: corpus size, coverage volume, most-mentioned entities."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from flashpoint.analysis.counts import StoryCounts, by_type_frame, story_counts
from flashpoint.analysis.filters import FilteredView

FREQUENCIES: dict[str, str] = {"day": "D", "week": "W-SUN", "month": "M"}  # weeks start on Monday
ALL_ARTICLES = "All articles"
VOLUME_COLUMNS: tuple[str, ...] = ("period", "series", "articles")
TOP_COLUMNS: tuple[str, ...] = ("entity_id", "name", "articles", "mentions")


@dataclass(frozen=True)
class Headline:
    articles: int
    near_duplicates: int
    sources: int
    first_published: date | None
    last_published: date | None
    counts: StoryCounts = field(default_factory=lambda: StoryCounts(0, 0))
    event_mentions: int = 0  # sentence-level extractions: neither stories nor reports

    @property
    def stories(self) -> int:
        return self.counts.stories

    @property
    def reports(self) -> int:
        return self.counts.reports

    @property
    def date_span(self) -> str:
        if self.first_published is None or self.last_published is None:
            return "no dates"
        if self.first_published == self.last_published:
            return self.first_published.isoformat()
        return f"{self.first_published.isoformat()} – {self.last_published.isoformat()}"


def headline(view: FilteredView) -> Headline:
    articles = view.articles
    stamps = pd.to_datetime(articles["published"], utc=True, errors="coerce").dropna()
    return Headline(
        articles=len(articles),
        near_duplicates=int(articles["duplicate_of"].notna().sum()) if len(articles) else 0,
        sources=int(articles["source"].nunique()) if len(articles) else 0,
        first_published=stamps.min().date() if len(stamps) else None,
        last_published=stamps.max().date() if len(stamps) else None,
        counts=story_counts(view.events),
        event_mentions=len(view.events),
    )


def events_by_type(view: FilteredView) -> pd.DataFrame:
    """Stories and reports per event type (see :mod:`flashpoint.analysis.counts`)."""
    return by_type_frame(story_counts(view.events))


def volume(view: FilteredView, *, freq: str = "week", top_countries: int = 6) -> pd.DataFrame:
    """Articles per day/week/month: all articles, and per most-mentioned country.

    An article naming two countries counts for each, so the country series are not meant
    to be stacked; the "All articles" series counts each article once.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"unknown frequency {freq!r} (use one of {', '.join(FREQUENCIES)})")
    articles = view.articles
    if articles.empty:
        return pd.DataFrame({column: [] for column in VOLUME_COLUMNS})
    stamps = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    dated = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "period": stamps.dt.tz_convert("UTC")
            .dt.tz_localize(None)
            .dt.to_period(FREQUENCIES[freq])
            .dt.start_time.to_numpy(),
        }
    ).dropna(subset=["period"])
    if dated.empty:
        return pd.DataFrame({column: [] for column in VOLUME_COLUMNS})
    total = dated.groupby("period")["article_id"].nunique().rename("n").reset_index()

    def per_country() -> tuple[pd.DataFrame, pd.DataFrame]:
        mentions = view.mentions
        countries = mentions[mentions["entity_type"] == "country"].dropna(subset=["entity_id"])
        countries = countries[["article_id", "entity_id"]].drop_duplicates()
        top = countries["entity_id"].value_counts().head(top_countries).index
        per = (
            countries[countries["entity_id"].isin(top)]
            .merge(dated, on="article_id")
            .groupby(["entity_id", "period"])["article_id"]
            .nunique()
            .rename("articles")
            .reset_index()
        )
        return pd.DataFrame({"entity_id": top}), per

    return volume_from_counts(total, freq, per_country, view.catalog.name)


def volume_from_counts(
    total: pd.DataFrame,
    freq: str,
    per_country: Callable[[], tuple[pd.DataFrame, pd.DataFrame]],
    name_of: Callable[[Any], str],
) -> pd.DataFrame:
    """The volume frame from counts: ``total`` (period, n) articles per period;
    ``per_country()`` the top countries (``entity_id``, in order) and their articles per
    period (entity_id, period, articles), asked only when there are articles; ``name_of``
    names an ``entity_id``. Every period in the range is listed, so quiet weeks show as
    zero rather than vanishing."""
    if total.empty:
        return pd.DataFrame({column: [] for column in VOLUME_COLUMNS})
    periods = pd.period_range(
        total["period"].min(), total["period"].max(), freq=FREQUENCIES[freq]
    ).start_time
    counts = total.set_index("period")["n"].astype("int64").reindex(periods, fill_value=0)
    frames = [
        pd.DataFrame({"period": periods, "series": ALL_ARTICLES, "articles": counts.to_numpy()})
    ]
    tops, per = per_country()
    for eid in tops["entity_id"]:
        mine = per[per["entity_id"] == eid].set_index("period")["articles"]
        frames.append(
            pd.DataFrame(
                {
                    "period": periods,
                    "series": name_of(eid),
                    "articles": mine.reindex(periods, fill_value=0).astype(int).to_numpy(),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["articles"] = frame["articles"].astype(int)
    return frame


def top_from_counts(
    grouped: pd.DataFrame,
    n: int,
    entity_of: Mapping[int, str],
    name_of: Callable[[str], str],
) -> pd.DataFrame:
    """The top-entities frame from counts a query layer made: ``grouped`` (eid, articles,
    mentions) keyed by the layer's integer entity key, ``entity_of`` its entity id. Ranked
    by articles, then mentions, then name (ties: entity id)."""
    if grouped.empty:
        return pd.DataFrame({column: [] for column in TOP_COLUMNS})
    grouped.insert(0, "entity_id", grouped.pop("eid").map(entity_of).astype(object))
    grouped["name"] = grouped["entity_id"].map(name_of)
    grouped["articles"] = grouped["articles"].astype("int64")
    grouped["mentions"] = grouped["mentions"].astype("int64")
    grouped = grouped.sort_values(["entity_id"]).sort_values(
        ["articles", "mentions", "name"], ascending=[False, False, True]
    )
    return grouped.head(n)[list(TOP_COLUMNS)].reset_index(drop=True)


def top_entities(view: FilteredView, entity_type: str, n: int = 10) -> pd.DataFrame:
    """The entities of one type named in the most articles (mention count breaks ties)."""
    mentions = view.mentions
    picked = mentions[(mentions["entity_type"] == entity_type) & mentions["entity_id"].notna()]
    if picked.empty:
        return pd.DataFrame({column: [] for column in TOP_COLUMNS})
    grouped = picked.groupby("entity_id").agg(
        articles=("article_id", "nunique"), mentions=("article_id", "size")
    )
    grouped = grouped.reset_index()
    grouped["name"] = grouped["entity_id"].map(view.catalog.name)
    grouped = grouped.sort_values(
        ["articles", "mentions", "name"], ascending=[False, False, True]
    ).head(n)
    return grouped[list(TOP_COLUMNS)].reset_index(drop=True)
