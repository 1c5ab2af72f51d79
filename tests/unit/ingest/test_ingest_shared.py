"""The real corpora and the seed article (../shared; skipped where absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared

CORPORA = {
    "koreaherald_2015_2017_security.csv": (4127, "month"),
    "reuters_isot_sample_security.csv": (107, "day"),
    "giveme5w1h_news_cluster_security.csv": (45, "datetime"),
}


def test_every_row_of_the_shared_corpora_comes_in(shared_dir: Path, read_all):
    total = 0
    for name, (rows, precision) in CORPORA.items():
        path = shared_dir / "corpora" / name
        articles, rejects = read_all(path)
        assert rejects == [], rejects[:3]
        assert len(articles) == rows
        assert {a.published_precision for a in articles} == {precision}
        assert all(a.published is not None and a.external_id and a.source for a in articles)
        assert len({a.external_id for a in articles}) == rows
        total += len(articles)
        if name.startswith("koreaherald"):
            glued = sum(bool(re.search(r"[a-z]{3}\.[A-Z][a-z]{2}", a.text)) for a in articles)
            assert glued < rows * 0.01  # before cleaning most bodies have glued sentences
        if name.startswith("reuters"):
            assert sum(a.dateline is not None for a in articles) > rows * 0.8
            assert not any(
                a.text.startswith(("WASHINGTON (Reuters)", "SEOUL (Reuters)")) for a in articles
            )
    assert total == 4279


def test_seed_article(seed_article: Path, read_all):
    (article,), rejects = read_all(seed_article)
    assert rejects == []
    assert (
        article.title
        == "Russia: U.S. Missile Defense \u2018Poses Deep Risk\u2019 to Security of Asia"
    )
    assert article.published is None and article.published_precision == "unknown"
    assert article.text.startswith(
        "\u201cThe U.S. global ballistic missile defense poses a deep risk"
    )
    assert article.text.endswith(
        "Japan is worried about Russia\u2019s deployment of coastal missile systems."
    )
    for furniture in (
        "2937762",
        "09/16/2016",
        "September 16, 2016",
        "Sisoev",
        "Sputnik via AP",
        "commenting",
    ):
        assert furniture not in article.text
    assert "\u00a0" not in article.text
    assert "limit their military options" in article.text
