"""Co-occurrence counts, NPMI and Jaccard, cluster ordering, and the sentences behind a cell."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from flashpoint.analysis.cooccurrence import cluster_order, cooccurrence, pair_sentences

TYPES = {"A": "country", "B": "country", "C": "person", "D": "weapon", "E": "place"}


def mentions(units: dict[tuple[str, int], list[str]]) -> pd.DataFrame:
    """Mentions from {(article, sentence): [entity letters]}; ids are "x:<letter>"."""
    rows = []
    for (article, sentence), letters in units.items():
        for offset, letter in enumerate(letters):
            rows.append(
                {
                    "article_id": article,
                    "sentence_idx": sentence,
                    "start_char": offset * 10,
                    "end_char": offset * 10 + 5,
                    "text": letter,
                    "label": "X",
                    "entity_id": f"x:{letter}",
                    "entity_name": letter,
                    "entity_type": TYPES.get(letter, "organization"),
                }
            )
    return pd.DataFrame(rows)


# Four sentences in two articles: A and B go together; C once with both; D with C.
UNITS = {
    ("a1", 0): ["A", "B", "A"],  # A twice in one sentence still counts once
    ("a1", 1): ["A", "B", "C"],
    ("a2", 0): ["A"],
    ("a2", 1): ["C", "D"],
}
ALL_TYPES = ("country", "person", "weapon", "place", "organization")


def cell(result: object, a: str, b: str, table: str = "matrix") -> float:
    return float(getattr(result, table).at[a, b])


def test_counts_per_sentence_and_per_article() -> None:
    by_sentence = cooccurrence(
        mentions(UNITS), scope="sentence", metric="count", entity_types=ALL_TYPES
    )
    assert by_sentence.n_units == 4
    assert cell(by_sentence, "A", "B") == 2
    assert cell(by_sentence, "A", "C") == 1
    assert cell(by_sentence, "A", "D") == 0
    assert math.isnan(cell(by_sentence, "A", "A"))  # the diagonal says nothing
    by_article = cooccurrence(
        mentions(UNITS), scope="article", metric="count", entity_types=ALL_TYPES
    )
    assert by_article.n_units == 2
    assert cell(by_article, "A", "D") == 1  # same article, different sentences
    assert cell(by_article, "A", "B") == 1


def test_npmi_and_jaccard_values() -> None:
    data = mentions(UNITS)
    jaccard = cooccurrence(data, metric="jaccard", entity_types=ALL_TYPES)
    assert cell(jaccard, "A", "B") == pytest.approx(2 / 3)  # 2 shared of 3 sentences
    assert cell(jaccard, "C", "D") == pytest.approx(1 / 2)
    npmi = cooccurrence(data, metric="npmi", entity_types=ALL_TYPES)
    p_ab, p_a, p_b = 2 / 4, 3 / 4, 2 / 4
    expected = math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
    assert cell(npmi, "A", "B") == pytest.approx(expected)
    assert cell(npmi, "A", "D") == -1.0  # never together
    assert cell(npmi, "B", "A") == cell(npmi, "A", "B")
    # Two entities that only ever appear together are perfectly associated.
    pair = cooccurrence(
        mentions({("x", 0): ["A", "B"], ("x", 1): ["C"]}), metric="npmi", entity_types=ALL_TYPES
    )
    assert cell(pair, "A", "B") == pytest.approx(1.0)
    assert cell(pair, "A", "B", "counts") == 1


def test_entity_types_and_top_n_by_frequency() -> None:
    data = mentions(UNITS)
    countries = cooccurrence(data, entity_types=("country",), metric="count")
    assert sorted(countries.matrix.index) == ["A", "B"]
    top = cooccurrence(data, entity_types=ALL_TYPES, top_n=2, metric="count")
    assert sorted(top.matrix.index) == ["A", "B"]  # A in 3 sentences, B and C in 2: B by name
    assert top.entities.set_index("label")["units"].to_dict() == {"A": 3, "B": 2}


def test_rows_are_ordered_so_that_groups_sit_together() -> None:
    # Two groups that never meet; frequencies interleave so a frequency order would mix them.
    units: dict[tuple[str, int], list[str]] = {}
    group_one, group_two = ["P", "Q", "R"], ["X", "Y", "Z"]
    for i in range(6):
        units[(f"one{i}", 0)] = group_one[: 2 + i % 2]
        units[(f"two{i}", 0)] = group_two[: 2 + (i + 1) % 2]
    units[("solo", 0)] = ["P", "P"]
    units[("solo", 1)] = ["X"]
    result = cooccurrence(mentions(units), metric="jaccard", entity_types=ALL_TYPES)
    order = list(result.matrix.index)
    positions = sorted(order.index(letter) for letter in group_one)
    assert positions in ([0, 1, 2], [3, 4, 5])


def test_cluster_order_is_a_permutation() -> None:
    similarity = np.array(
        [[1, 0.9, 0, 0], [0.9, 1, 0, 0.1], [0, 0, 1, 0.8], [0, 0.1, 0.8, 1]], dtype=float
    )
    order = cluster_order(similarity)
    assert sorted(order) == [0, 1, 2, 3]
    assert abs(list(order).index(0) - list(order).index(1)) == 1
    assert abs(list(order).index(2) - list(order).index(3)) == 1
    assert list(cluster_order(np.ones((2, 2)))) == [0, 1]


def test_long_form_lists_each_pair_once() -> None:
    result = cooccurrence(mentions(UNITS), metric="jaccard", entity_types=ALL_TYPES)
    pairs = result.long_form()
    assert len(pairs) == 4 * 3 // 2
    first = pairs.iloc[0]
    assert {first["entity_a"], first["entity_b"]} == {"A", "B"} and first["count"] == 2
    assert set(pairs.columns) == {"entity_a", "entity_b", "jaccard", "count", "scope", "units"}


def test_same_names_are_told_apart() -> None:
    data = mentions({("a", 0): ["A", "E"]})
    data.loc[data["text"] == "E", "entity_name"] = "A"  # a place named like the country
    result = cooccurrence(data, entity_types=ALL_TYPES)
    assert sorted(result.matrix.index) == ["A (country)", "A (place)"]
    assert result.label_to_id()["A (place)"] == "x:E"


def test_empty_inputs_and_bad_arguments() -> None:
    assert cooccurrence(mentions({})).is_empty
    assert cooccurrence(mentions(UNITS), entity_types=("nothing",)).is_empty
    assert cooccurrence(mentions({})).long_form().empty
    with pytest.raises(ValueError, match="metric"):
        cooccurrence(mentions(UNITS), metric="pmi")
    with pytest.raises(ValueError, match="scope"):
        cooccurrence(mentions(UNITS), scope="paragraph")


def sentences_and_articles() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = {"a1": "A met B. Then A, B and C talked.", "a2": "A alone. C and D."}
    spans = {
        ("a1", 0): (0, 8),
        ("a1", 1): (9, 32),
        ("a2", 0): (0, 8),
        ("a2", 1): (9, 17),
    }
    sentences = pd.DataFrame(
        [
            {"article_id": a, "sentence_idx": s, "start_char": start, "end_char": end}
            for (a, s), (start, end) in spans.items()
        ]
    )
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2"],
            "published": [
                pd.Timestamp("2017-01-01", tz="UTC"),
                pd.Timestamp("2017-02-01", tz="UTC"),
            ],
            "source": ["Wire", "Desk"],
            "title": ["One", "Two"],
            "url": ["https://news.invalid/1", "javascript:alert(1)"],
            "text": [texts["a1"], texts["a2"]],
        }
    )
    return sentences, articles


def test_pair_sentences_for_a_cell() -> None:
    sentences, articles = sentences_and_articles()
    data = mentions(UNITS)
    both = pair_sentences(data, sentences, articles, "x:A", "x:B", names=("A", "B"))
    assert both["sentence"].tolist() == ["A met B.", "Then A, B and C talked."]
    assert set(both["mentions"]) == {"A, B"}
    assert pair_sentences(data, sentences, articles, "x:A", "x:D").empty

    in_articles = pair_sentences(
        data, sentences, articles, "x:A", "x:D", scope="article", names=("A", "D")
    )
    assert in_articles["sentence"].tolist() == ["A alone.", "C and D."]
    assert in_articles["mentions"].tolist() == ["A", "D"]
    assert in_articles["url"].isna().all()  # a javascript: link is not passed on
