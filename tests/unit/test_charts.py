"""Figures: what a reader sees encoded in each chart, and the CLI/page entry point."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from flashpoint import store
from flashpoint.analysis.cooccurrence import Cooccurrence
from flashpoint.analysis.filters import Filters
from flashpoint.analysis.overview import ALL_ARTICLES
from flashpoint.analysis.timeline import key_events
from flashpoint.charts import (
    TEMPLATE,
    bar_figure,
    build_chart,
    chart_title,
    cooccurrence_figure,
    count_axis,
    events_by_type_figure,
    focus_range,
    map_figure,
    on_dark_background,
    text_width,
    timeline_csv_frame,
    timeline_figure,
    volume_figure,
)


def story(story_id: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "story_id": story_id,
        "date": pd.Timestamp("2017-07-04"),
        "date_label": "2017-07-04",
        "date_precision": "day",
        "uncertain": False,
        "event_type": "missile_launch",
        "modality": "asserted",
        "asserted": True,
        "actor": "North Korea",
        "actor_country": "North Korea",
        "actors": "North Korea",
        "weapons": "Hwasong-14",
        "sources": "Wire A",
        "n_reports": 1,
        "n_sources": 1,
        "headline": f"Headline {story_id}",
        "evidence": f"Evidence {story_id}.",
        "first_reported": pd.Timestamp("2017-07-04T09:00", tz="UTC"),
        "article_ids": [f"article-{story_id}"],
    }
    row.update(values)
    return row


TIMELINE = pd.DataFrame(
    [
        story("s1", n_reports=6),
        story("s2", event_type="nuclear_test", date=pd.Timestamp("2017-09-03")),
        story(
            "s3",
            event_type="deployment",
            actor="United States",
            actor_country="United States",
            uncertain=True,
            date_precision="month",
            date=pd.Timestamp("2017-08-01"),
        ),
        story(
            "s4",
            event_type="meeting",
            actor="Sergey Lavrov",
            actor_country="Russia",
            modality="planned",
            asserted=False,
            headline="<script>alert('x')</script> & more",
        ),
    ]
)


def data_traces(fig: go.Figure) -> list[Any]:
    """Traces that draw points (legend keys have x=[None]; month and year spans are lines)."""
    return [
        t
        for t in fig.data
        if t.x is not None and any(v is not None for v in t.x) and t.mode != "lines"
    ]


def test_timeline_encodes_country_type_reports_uncertainty_and_modality() -> None:
    fig = timeline_figure(TIMELINE, "type")
    assert (
        fig.layout.template.layout.to_plotly_json()
        == go.Figure(layout={"template": TEMPLATE}).layout.template.layout.to_plotly_json()
    )
    traces = {t.name: t for t in data_traces(fig)}
    assert set(traces) == {"North Korea", "United States", "Russia (not asserted)"}
    korea = traces["North Korea"]
    assert list(korea.y) == ["missile launch", "nuclear test"]
    assert list(korea.marker.symbol) == ["triangle-up", "star"]
    big, small = korea.marker.size
    assert big > small  # six reports against one
    assert [row[0] for row in korea.customdata] == ["s1", "s2"]
    assert list(traces["United States"].marker.symbol) == ["square-open"]  # uncertain date
    faded = traces["Russia (not asserted)"]
    assert faded.marker.opacity < korea.marker.opacity
    assert fig.layout.xaxis.rangeslider.visible
    legend = {t.name for t in fig.data if t.x is not None and tuple(t.x) == (None,)}
    assert {"North Korea", "missile launch", "uncertain date (hollow)"} <= legend


def test_timeline_lanes_by_actor() -> None:
    fig = timeline_figure(TIMELINE, "actor")
    lanes = {lane for trace in data_traces(fig) for lane in trace.y}
    assert lanes == {"North Korea", "United States", "Sergey Lavrov"}
    assert list(fig.layout.yaxis.categoryarray)[-1] == "North Korea"  # busiest lane on top
    with pytest.raises(ValueError, match="lanes"):
        timeline_figure(TIMELINE, "source")


def test_article_text_in_hover_is_escaped() -> None:
    fig = timeline_figure(TIMELINE, "type")
    assert "<script>" not in fig.to_json().replace("\\u002f", "/")
    (faded,) = [t for t in data_traces(fig) if t.name == "Russia (not asserted)"]
    assert faded.customdata[0][1] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more"


def test_timeline_opens_on_the_reporting_period() -> None:
    old = story("old", date=pd.Timestamp("2006-10-09"), event_type="nuclear_test")
    recalled = pd.concat([TIMELINE, pd.DataFrame([old])], ignore_index=True)  # recalled in 2017
    start, end = focus_range(recalled)
    assert start == pd.Timestamp("2017-05-05") and end >= pd.Timestamp("2017-09-03")
    fig = timeline_figure(recalled, "type")
    assert fig.layout.xaxis.range[0].startswith("2017-05-05")
    assert focus_range(TIMELINE) is None  # nothing far older: autorange


def test_empty_frames_give_a_message_not_an_error() -> None:
    for fig in (
        timeline_figure(TIMELINE.iloc[0:0]),
        volume_figure(pd.DataFrame(columns=["period", "series", "articles"])),
        bar_figure(pd.DataFrame(columns=["name", "articles"]), value="articles", label="name"),
    ):
        assert not fig.data
        assert (
            "match" in fig.layout.annotations[0].text or "Nothing" in fig.layout.annotations[0].text
        )


def cooccurrence_result(metric: str = "npmi") -> Cooccurrence:
    labels = ["North Korea", "Hwasong-14", "Japan"]
    values = np.array([[np.nan, 0.8, -1.0], [0.8, np.nan, -1.0], [-1.0, -1.0, np.nan]])
    counts = np.array([[5, 4, 0], [4, 4, 0], [0, 0, 2]])
    return Cooccurrence(
        matrix=pd.DataFrame(values, index=labels, columns=labels),
        counts=pd.DataFrame(counts, index=labels, columns=labels),
        entities=pd.DataFrame(
            {
                "label": labels,
                "entity_id": ["country:PRK", "person:bai-someone", "country:JPN"],
                "entity_type": ["country"] * 3,
                "units": [5, 4, 2],
            }
        ),
        scope="sentence",
        metric=metric,
        n_units=10,
    )


def test_cooccurrence_is_a_heatmap_with_clickable_cells() -> None:
    fig = cooccurrence_figure(cooccurrence_result())
    heatmap, cells = fig.data
    assert heatmap.type == "heatmap" and cells.type == "scatter"
    # The hover says what each entity is, and whether the gazetteer knows it.
    kinds = {row[0]: row[4] for row in cells.customdata}
    assert kinds["North Korea"] == "country, gazetteer"
    assert kinds["Hwasong-14"] == "country, named in the text"
    assert list(heatmap.x) == ["North Korea", "Hwasong-14", "Japan"]
    z = np.array(heatmap.z, dtype=float)
    assert z[0, 1] == pytest.approx(0.8)
    assert np.isnan(z[0, 2])  # never together: blank, not "strongly avoided"
    assert (heatmap.zmin, heatmap.zmax, heatmap.zmid) == (-1, 1, 0)
    assert len(cells.x) == 6  # every off-diagonal cell can be clicked
    assert ("North Korea", "Hwasong-14") in set(zip(cells.y, cells.x, strict=True))
    assert fig.layout.yaxis.autorange == "reversed"


def test_the_npmi_heatmap_leaves_room_for_its_labels_and_colour_bar() -> None:
    # Labels on the left, the same labels turned -45 degrees below, the NPMI colour bar
    # (83 px in Chromium) on the right: wide enough, so Plotly draws it once.
    fig = cooccurrence_figure(cooccurrence_result())
    widest = text_width("North Korea")
    assert fig.layout.margin.l >= widest + 11
    assert fig.layout.margin.b >= widest * 0.7071 + 24
    assert fig.layout.margin.r >= 84


def test_volume_bars_for_all_articles_lines_per_country() -> None:
    periods = pd.to_datetime(["2017-07-03", "2017-07-10"])
    frame = pd.DataFrame(
        {
            "period": list(periods) * 2,
            "series": [ALL_ARTICLES, ALL_ARTICLES, "Japan", "Japan"],
            "articles": [3, 1, 2, 0],
        }
    )
    fig = volume_figure(frame, freq="week")
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    # The country line is a moving average (no spikes to zero); the hover keeps the counts.
    assert list(fig.data[1].y) == [1.0, 1.0]
    assert list(fig.data[1].customdata) == ["2 articles", "0 articles"]
    assert fig.data[1].name == "Japan (4-week average)"
    assert list(fig.data[0].customdata) == ["3 articles", "1 article"]
    assert fig.layout.yaxis.title.text == "articles per week"
    assert fig.layout.yaxis.dtick == 1  # no 0.5 ticks on a count


def test_chart_title_names_the_filters() -> None:
    assert chart_title("timeline", Filters()) == "Timeline"
    assert chart_title("volume", Filters(countries=("Japan",))) == "Coverage volume — Japan"


# --------------------------------------------------------------------------------------
# build_chart: what `flashpoint chart` and the pages draw, from a corpus on disk


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    text = "North Korea launched a Hwasong-14 on Tuesday. Japan condemned the launch."
    articles = pd.DataFrame(
        [
            {
                "article_id": f"a{i}",
                "external_id": None,
                "source": "Wire",
                "url": f"https://news.invalid/{i}",
                "title": f"Launch report {i}",
                "published": pd.Timestamp(f"2017-07-0{4 + i}T09:00", tz="UTC"),
                "published_precision": "datetime",
                "dateline": None,
                "text": text,
                "language": "en",
                "word_count": 12,
                "content_hash": f"hash{i}",
                "duplicate_of": None,
                "origin": "test",
                "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"),
            }
            for i in range(2)
        ]
    )
    spans = [
        ("North Korea", "country:PRK", "country", 0),
        ("Hwasong-14", "weapon:hwasong-14", "weapon", 0),
        ("Japan", "country:JPN", "country", 1),
    ]
    mentions = pd.DataFrame(
        [
            {
                "article_id": f"a{i}",
                "sentence_idx": sentence,
                "start_char": text.index(surface),
                "end_char": text.index(surface) + len(surface),
                "text": surface,
                "label": "GPE",
                "entity_id": entity_id,
                "entity_name": surface,
                "entity_type": kind,
            }
            for i in range(2)
            for surface, entity_id, kind, sentence in spans
        ]
    )
    events = pd.DataFrame(
        [
            {
                "event_id": f"e{i}",
                "article_id": f"a{i}",
                "sentence_idx": 0,
                "start_char": 0,
                "end_char": 45,
                "event_type": "missile_launch",
                "trigger": "launched",
                "actors": ["country:PRK"],
                "participants": [],
                "weapons": ["weapon:hwasong-14"],
                "location": None,
                "event_date": "2017-07-04",
                "date_precision": "day",
                "date_basis": "relative",
                "date_text": "Tuesday",
                "modality": "asserted",
                "confidence": 0.9,
                "story_id": "s1",
                "is_space_launch": False,
            }
            for i in range(2)
        ]
    )
    sentences = pd.DataFrame(
        [
            {"article_id": f"a{i}", "sentence_idx": s, "start_char": start, "end_char": end}
            for i in range(2)
            for s, (start, end) in enumerate([(0, 45), (46, len(text))])
        ]
    )
    path: Path = tmp_path_factory.mktemp("chart_corpus")
    with store.writer_lock(path):
        store.commit(
            path,
            replace={
                "articles": articles,
                "sentences": sentences,
                "mentions": mentions,
                "events": events,
                "stories": store.empty_table("stories"),
            },
        )
    return store.load_corpus(path)


def test_build_chart_for_each_kind(corpus: Any) -> None:
    timeline, timeline_data = build_chart("timeline", corpus, Filters())
    (points,) = data_traces(timeline)
    assert points.name == "North Korea" and [row[0] for row in points.customdata] == ["s1"]
    assert timeline_data.loc[0, "n_reports"] == 2
    assert timeline_data.loc[0, "article_ids"] == "a0; a1"

    heatmap, pairs = build_chart("cooccurrence", corpus, Filters(), scope="article", metric="count")
    assert heatmap.data[0].type == "heatmap"
    assert set(heatmap.data[0].x) == {"North Korea", "Hwasong-14", "Japan"}
    japan_korea = pairs[(pairs["entity_a"] + pairs["entity_b"]).str.contains("Japan")]
    assert set(japan_korea["count"]) == {2}

    volume, volume_data = build_chart("volume", corpus, Filters(), freq="day")
    assert volume.data[0].name == ALL_ARTICLES
    assert volume_data[volume_data["series"] == ALL_ARTICLES]["articles"].tolist() == [1, 1]
    assert volume.layout.title.text == "Coverage volume"


def test_build_chart_with_nothing_matching(corpus: Any) -> None:
    nothing = Filters(since=date(1999, 1, 1), until=date(1999, 1, 2))
    for kind in ("timeline", "cooccurrence", "volume"):
        fig, frame = build_chart(kind, corpus, nothing)
        assert not fig.data and frame.empty
        assert "1999-01-01" in fig.layout.title.text
    with pytest.raises(ValueError, match="unknown chart"):
        build_chart("pie", corpus, Filters())


def test_timeline_csv_frame_is_flat() -> None:
    flat = timeline_csv_frame(TIMELINE)
    assert flat.loc[0, "article_ids"] == "article-s1"
    assert flat.loc[0, "date"] == "2017-07-04"


def test_a_month_or_year_story_is_a_span_with_its_point_mid_period() -> None:
    year = story(
        "year",
        date=pd.Timestamp("2017-01-01"),
        date_end=pd.Timestamp("2017-12-31"),
        date_precision="year",
        uncertain=True,
    )
    fig = timeline_figure(pd.DataFrame([story("day", date_end=pd.Timestamp("2017-07-04")), year]))
    (span,) = [t for t in fig.data if t.mode == "lines" and any(x is not None for x in t.x)]
    assert pd.Timestamp(span.x[0]) == pd.Timestamp("2017-01-01")
    assert pd.Timestamp(span.x[1]) >= pd.Timestamp("2017-12-31")
    (points,) = data_traces(fig)
    by_story = {row[0]: pd.Timestamp(x) for row, x in zip(points.customdata, points.x, strict=True)}
    assert by_story["day"] == pd.Timestamp("2017-07-04")
    assert pd.Timestamp("2017-06-15") < by_story["year"] < pd.Timestamp("2017-07-15")


def test_key_events_are_marked_on_the_timeline() -> None:
    marks = key_events(pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-31"))
    assert "nuclear test 6" in set(marks["short"])  # 2017-09-03
    assert {"UNSCR 2371", "UNSCR 2375", "UNSCR 2397"} <= set(marks["short"])
    assert "nuclear test 5" not in set(marks["short"])  # 2016
    fig = timeline_figure(TIMELINE, key_events=marks)
    labels = {a.text for a in fig.layout.annotations}
    assert "nuclear test 6" in labels  # 2017-09-03 is inside the stories' range
    assert "UNSCR 2397" not in labels  # December: after the last story


def test_counts_have_whole_number_axes_and_singular_hover() -> None:
    frame = pd.DataFrame({"name": ["Japan", "China"], "articles": [1, 3]})
    fig = bar_figure(frame, value="articles", label="name", unit="article", axis_title="articles")
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == ",d"
    assert list(fig.data[0].customdata) == ["Japan: 1 article", "China: 3 articles"]
    assert count_axis(500).get("dtick") is None  # Plotly picks round steps for big counts


def test_label_widths_are_arials() -> None:
    # Arial's advance widths (1/1000 em): U 722, n 556, i 222, t 278, e 556, d 556, space
    # 278, S 667, a 556, s 500 -> "United States" is ~6,000 units, 78 px at 13 px.
    assert text_width("United States") == pytest.approx(78.0, abs=0.1)
    assert text_width("R&amp;D") == text_width("R&D")  # measured as shown, not as sent
    assert text_width("W") > text_width("i")
    assert text_width("金正恩") == pytest.approx(3 * 13)  # any other script: a full em each


def test_bar_charts_leave_room_for_their_labels_so_plotly_draws_them_once() -> None:
    # Plotly's automargin grows a margin too small for the labels and then draws the chart
    # again; the bars' margins are wide enough for their labels already (measured in
    # Chromium: labels end ~11 px left of the plot; the x axis takes 53 px below it).
    short = pd.DataFrame({"name": ["Japan", "China"], "articles": [3, 1]})
    long = pd.DataFrame(
        {"name": ["Democratic People's Republic of Korea", "China"], "articles": [3, 1]}
    )
    margins = [
        bar_figure(frame, value="articles", label="name").layout.margin for frame in (short, long)
    ]
    assert margins[0].l >= text_width("Japan") + 11
    assert margins[1].l >= text_width("Democratic People's Republic of Korea") + 11
    assert margins[1].l - margins[0].l == pytest.approx(
        text_width("Democratic People's Republic of Korea") - text_width("Japan"), abs=1
    )
    assert all(margin.b >= 53 and margin.r >= 19 for margin in margins)


def test_map_figure_draws_places_by_type_sized_by_reports() -> None:
    frame = pd.DataFrame(
        {
            "place_id": ["place:hokkaido", "place:punggye-ri", "country:USA"],
            "place": ["Hokkaido", "Punggye-ri", "United States"],
            "kind": ["region", "site", "country"],
            "lat": [43.2, 41.3, 39.5],
            "lon": [142.8, 129.1, -99.1],
            "event_type": ["missile_launch", "nuclear_test", "meeting"],
            "stories": [2, 1, 1],
            "reports": [7, 1, 1],
        }
    )
    fig = map_figure(frame)
    assert [t.type for t in fig.data] == ["scattergeo"] * 3
    launches = fig.data[0]
    assert launches.name == "missile launch" and launches.customdata[0][0] == "place:hokkaido"
    assert launches.marker.size[0] > fig.data[1].marker.size[0]  # 7 reports against 1
    assert "2 stories, 7 reports" in launches.text[0] and "1 story, 1 report" in fig.data[1].text[0]
    west, east = fig.layout.geo.lonaxis.range
    assert west < 129 and east > 143 and west > -99  # opens on East Asia, not the world
    assert map_figure(frame.iloc[0:0]).layout.annotations  # an empty state, no map


def test_dark_screen_copy_leaves_the_export_light() -> None:
    fig = timeline_figure(TIMELINE)
    dark = on_dark_background(fig)
    assert dark.layout.paper_bgcolor == "#0e1117"
    assert fig.layout.paper_bgcolor is None and fig.layout.template.layout.paper_bgcolor == "white"


@pytest.mark.parametrize("width", [10, 70, 80])
def test_hover_text_wraps_as_textwrap_does(width: int) -> None:
    """The timeline's fast wrapping gives textwrap's lines (hyphens, long words, runs of
    spaces included)."""
    import textwrap

    from flashpoint.charts import _wrap

    samples = [
        "",
        "North Korea fired two ballistic missiles into the sea off its east coast on Tuesday",
        "a long-range missile test, the third this year, drew a UN Security Council meeting",
        "Pyongyang's Hwasong-15 intercontinental ballistic missile flew 950 km",
        "an extraordinarilylongwordthatislongerthananylineofthewrappingwidthatall ok",
        "double  spaces  stay  as  textwrap  keeps  them ",
        "word " * 40,
    ]
    for text in samples:
        assert _wrap(text, width) == textwrap.wrap(text, width)


def page_figures() -> dict[str, go.Figure]:
    """Every figure the pages draw (and their empty states), on data that uses each option:
    spans, uncertain and unasserted stories, landmarks, article text with markup."""
    span = story(
        "span",
        date=pd.Timestamp("2016-01-01"),
        date_end=pd.Timestamp("2016-12-31"),
        date_precision="year",
        uncertain=True,
        event_type="sanction",
        actor_country="China",
        headline="Long-range <b>missile</b> test — the anti-ship Hwasong-14's U.S.-ROK drill " * 3,
        weapons=None,
        sources="",
    )
    old = story("old", date=pd.Timestamp("2006-10-09"), event_type="nuclear_test")
    timeline = pd.concat([TIMELINE, pd.DataFrame([span, old])], ignore_index=True)
    timeline["date_end"] = timeline["date_end"].fillna(timeline["date"])
    volume = pd.DataFrame(
        {
            "period": list(pd.to_datetime(["2017-07-03", "2017-07-10", "2017-07-17"])) * 2,
            "series": [ALL_ARTICLES] * 3 + ["North Korea"] * 3,
            "articles": [30, 1, 12, 20, 0, 9],
        }
    )
    by_type = pd.DataFrame(
        {
            "event_type": ["missile_launch", "meeting"],
            "label": ["missile launch", "meeting"],
            "stories": [4, 1],
            "reports": [9, 1],
        }
    )
    top = pd.DataFrame({"name": ["North Korea", "<i>Japan</i>"], "articles": [1200, 3]})
    nothing = pd.DataFrame(columns=["period", "series", "articles"])
    return {
        "timeline by type": timeline_figure(
            timeline, "type", title="Timeline — <script>", key_events=key_events()
        ),
        "timeline by actor": timeline_figure(timeline, "actor", height=500),
        "timeline of one story": timeline_figure(TIMELINE.iloc[:1]),
        "co-occurrence npmi": cooccurrence_figure(cooccurrence_result(), title="Co-occurrence"),
        "co-occurrence jaccard": cooccurrence_figure(cooccurrence_result("jaccard")),
        "co-occurrence count": cooccurrence_figure(cooccurrence_result("count"), height=300),
        "volume by week": volume_figure(volume, freq="week", title="Coverage volume"),
        "volume by month": volume_figure(volume, freq="month"),
        "stories by type": events_by_type_figure(by_type, title="Events by type"),
        "top countries": bar_figure(top, value="articles", label="name", title="Countries"),
        "empty timeline": timeline_figure(TIMELINE.iloc[0:0], title="Timeline"),
        "empty volume": volume_figure(nothing),
        "empty bars": bar_figure(top.iloc[0:0], value="articles", label="name"),
    }


def pruned(value: Any) -> Any:
    """A figure's JSON without empty objects (``"title": {}``: Plotly drops them when it
    validates a figure again; plotly.js reads them as absent)."""
    if isinstance(value, dict):
        return {k: pruned(v) for k, v in value.items() if v != {}}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


@pytest.mark.parametrize("name", list(page_figures()))
def test_figures_are_what_plotly_validation_makes_of_them(name: str) -> None:
    """The figures are built without Plotly's validation (for speed): validated again, each
    is the same figure — no misspelt property, no value Plotly would reject or rewrite —
    and Streamlit's JSON (to_dict, then to_json without validation) is that figure's."""
    import json

    import plotly.io as pio

    fig = page_figures()[name]
    validated = go.Figure(fig.to_dict())  # raises on an unknown property or a bad value
    expected = pruned(json.loads(validated.to_json()))
    assert pruned(json.loads(fig.to_json())) == expected
    assert pruned(json.loads(pio.to_json(fig.to_dict(), validate=False))) == expected
    assert expected["layout"]["template"]["layout"]["paper_bgcolor"] == "white"  # TEMPLATE


def test_hover_text_of_many_stories_at_once_is_each_storys_own() -> None:
    """The timeline escapes and wraps every story's texts in a few passes over them all:
    each comes out as textwrap wraps it alone (hyphens, em-dashes, long words, odd
    whitespace), escaped, cut at the limit, "–" for none."""
    import html
    import random
    import textwrap

    from flashpoint.charts import _escaped_wrapped

    def alone(value: object, width: int, limit: int) -> str:
        text = " ".join(value.split()) if isinstance(value, str) else ""
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or "–"

    pieces = [
        *("North", "Korea's", "long-range", "anti-ship", "U.S.-ROK", "Hwasong-14", "a-b-cd"),
        *("x--y", "--", "ab-", "-cd", "-", "<b>", "&", "'", '"', "é", "…", "Kim Jong-un"),
        *(" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\x1c", "\u2028"),
        "extraordinarilylongwordthatislongerthananylineofthewrappingwidthatall",
    ]
    rng = random.Random(14)
    texts = [
        "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 60)))
        for _ in range(500)
    ]
    values = pd.Series([*texts, None, float("nan"), "", "   ", 3, texts[0]], dtype=object)
    for width, limit in ((10, 60), (70, 200), (80, 400)):
        expected = [alone(value, width, limit) for value in values]
        assert _escaped_wrapped(values, width, limit) == expected
    # A text holding the separator the fast path joins texts with is still its own.
    odd = pd.Series(["a\x00b c", "long-range missile"], dtype=object)
    assert _escaped_wrapped(odd, 5, 400) == [alone(v, 5, 400) for v in odd]


@pytest.mark.parametrize("name", ["timeline by type", "co-occurrence npmi", "volume by week"])
def test_dark_copy_is_what_plotlys_updates_make(name: str) -> None:
    """The dark copy is made from the figure's dict without validation: it is the figure
    Plotly's validated updates make (template, backgrounds, font, grids; a map's geo)."""
    import json

    figures = page_figures()
    figures["map"] = map_figure(
        pd.DataFrame(
            {
                "place_id": ["place:hokkaido"],
                "place": ["Hokkaido"],
                "event_type": ["missile_launch"],
                "lat": [43.0],
                "lon": [142.0],
                "stories": [2],
                "reports": [3],
            }
        )
    )
    for fig in (figures[name], figures["map"]):
        expected = go.Figure(fig)
        expected.update_layout(
            template="plotly_dark",
            paper_bgcolor="#0e1117",
            plot_bgcolor="#161a23",
            font={"color": "#e5e7eb"},
        )
        expected.update_xaxes(gridcolor="#2d3340", zerolinecolor="#2d3340")
        expected.update_yaxes(gridcolor="#2d3340", zerolinecolor="#2d3340")
        if any(trace.type == "scattergeo" for trace in expected.data):
            expected.update_geos(
                bgcolor="#0e1117",
                landcolor="#1f2937",
                oceancolor="#111827",
                countrycolor="#6b7280",
                coastlinecolor="#6b7280",
            )
        dark = on_dark_background(fig)
        assert pruned(json.loads(dark.to_json())) == pruned(json.loads(expected.to_json()))
