"""Events on a map: where the filtered stories happened, and the sentences behind a place.

An event's ``location`` is a place id (``place:punggye-ri``: coordinates from
``data/gazetteers/places.jsonl``), a country id (``country:JPN``: the label point of its
outline in the shipped world map, by ISO 3166 alpha-3 code) or free text the gazetteer does
not know ("east coast"), which cannot be placed and is counted as such.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from flashpoint.analysis.articles import safe_url
from flashpoint.analysis.counts import story_keys
from flashpoint.analysis.filters import FilteredView
from flashpoint.analysis.timeline import evidence_columns
from flashpoint.config import GAZETTEER_DIR, REPO_ROOT
from flashpoint.jsonl import jsonl_objects
from flashpoint.schema import EVENT_TYPES

# The world outlines the Map page draws (see static/topojson/README.md). The app serves
# this folder at /app/static/topojson/; PNG export reads it from disk.
TOPOJSON_DIR = REPO_ROOT / "static" / "topojson"
TOPOJSON_RESOLUTION = 50  # world_50m.json
MAP_COLUMNS: tuple[str, ...] = (
    "place_id",
    "place",
    "kind",
    "lat",
    "lon",
    "event_type",
    "stories",
    "reports",
)
PLACE_REPORT_COLUMNS: tuple[str, ...] = (
    "event_type",
    "event_date",
    "date_text",
    "modality",
    "published",
    "source",
    "title",
    "evidence",
    "url",
    "article_id",
)
# Types sharing a place are set around it on a small circle, so none hides another.
_SPREAD_DEGREES = 0.35


@dataclass(frozen=True)
class Point:
    name: str
    lat: float
    lon: float
    kind: str  # "place" kind from the gazetteer (city, base, region…) or "country"


@lru_cache(maxsize=1)
def place_points() -> dict[str, Point]:
    """Gazetteer places with coordinates, by id."""
    points: dict[str, Point] = {}
    for _where, record in jsonl_objects(GAZETTEER_DIR / "places.jsonl"):
        lat, lon = record.get("lat"), record.get("lon")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            points[str(record["id"])] = Point(
                str(record.get("name") or record["id"]),
                float(lat),
                float(lon),
                str(record.get("kind") or "place"),
            )
    return points


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 code → (lat, lon) of the country's label point in the shipped map."""
    path = TOPOJSON_DIR / f"world_{TOPOJSON_RESOLUTION}m.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, tuple[float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        centre = (geometry.get("properties") or {}).get("ct")
        if isinstance(code, str) and isinstance(centre, list) and len(centre) == 2:
            found[code] = (float(centre[1]), float(centre[0]))
    return found


def locate(location: object, catalog: object) -> Point | None:
    """Where an event's location is on the map, or None when it cannot be placed."""
    if not isinstance(location, str):
        return None
    if location.startswith("place:"):
        return place_points().get(location)
    if location.startswith("country:"):
        centre = country_points().get(location.partition(":")[2].upper())
        if centre is None:
            return None
        name = catalog.name(location)  # type: ignore[attr-defined]
        return Point(str(name), centre[0], centre[1], "country")
    return None


def _spread(frame: pd.DataFrame) -> pd.DataFrame:
    """Move the types that share a place apart, around it, in the schema's type order."""
    order = {kind: i for i, kind in enumerate(EVENT_TYPES)}
    frame = frame.assign(_order=frame["event_type"].map(order).fillna(len(order)))
    frame = frame.sort_values(["place_id", "_order"], kind="stable")
    rank = frame.groupby("place_id").cumcount()
    size = frame.groupby("place_id")["event_type"].transform("size")
    angle = 2 * math.pi * rank / size.clip(lower=1)
    shared = size > 1
    lat_rad = frame["lat"].map(math.radians)
    frame["lat"] = frame["lat"] + shared * _SPREAD_DEGREES * angle.map(math.sin)
    frame["lon"] = frame["lon"] + shared * _SPREAD_DEGREES * angle.map(math.cos) / lat_rad.map(
        lambda value: max(math.cos(value), 0.2)
    )
    return frame.drop(columns="_order")


def map_frame(view: FilteredView) -> tuple[pd.DataFrame, int]:
    """One row per (place, event type) with its stories and reports (the counts' usual
    definitions), and how many of the filtered stories have no place on the map."""
    events = view.events
    if events.empty:
        return pd.DataFrame({column: [] for column in MAP_COLUMNS}), 0
    # Each distinct location is looked up once (a corpus has thousands of events at a
    # few hundred places); a missing one is "" (which locate does not place either).
    locations = events["location"].astype(object)
    locations = locations.where(locations.notna(), "")
    where = {
        str(pid): point
        for pid in pd.unique(locations.to_numpy())
        if (point := locate(pid, view.catalog)) is not None
    }
    keyed = pd.DataFrame(
        {
            "story": story_keys(events).to_numpy(),
            "article_id": events["article_id"].astype(str).to_numpy(),
            "event_type": events["event_type"].astype(str).to_numpy(),
            "place_id": locations.to_numpy(),
            "placed": locations.isin(list(where)).to_numpy(),
        }
    )
    unplaced = len(
        set(keyed.loc[~keyed["placed"], "story"]) - set(keyed.loc[keyed["placed"], "story"])
    )
    placed = keyed[keyed["placed"]]
    if placed.empty:
        return pd.DataFrame({column: [] for column in MAP_COLUMNS}), unplaced
    grouped = placed.groupby(["place_id", "event_type"])
    frame = pd.DataFrame(
        {
            "stories": grouped["story"].nunique(),
            "reports": placed.drop_duplicates(["place_id", "event_type", "story", "article_id"])
            .groupby(["place_id", "event_type"])
            .size(),
        }
    ).reset_index()
    frame["place"] = frame["place_id"].map(lambda pid: where[pid].name)
    frame["kind"] = frame["place_id"].map(lambda pid: where[pid].kind)
    frame["lat"] = frame["place_id"].map(lambda pid: where[pid].lat)
    frame["lon"] = frame["place_id"].map(lambda pid: where[pid].lon)
    frame = _spread(frame)
    frame = frame.sort_values(["reports", "place"], ascending=[False, True], kind="stable")
    return frame[list(MAP_COLUMNS)].reset_index(drop=True), unplaced


def place_reports(view: FilteredView, place_id: str, event_type: str | None = None) -> pd.DataFrame:
    """The filtered reports at one place (of one type, when given): their sentences."""
    events = view.events
    if events.empty:
        return pd.DataFrame({column: [] for column in PLACE_REPORT_COLUMNS})
    picked = events[events["location"] == place_id]
    if event_type:
        picked = picked[picked["event_type"] == event_type]
    frame = pd.DataFrame(
        {
            **evidence_columns(picked),
            "url": picked["url"].map(safe_url),
            "article_id": picked["article_id"],
        }
    )
    return frame.sort_values("published", kind="stable").reset_index(drop=True)
