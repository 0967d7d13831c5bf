"""Clauses of a sentence (``kg.extract.clauses``)."""

from __future__ import annotations

from kg.base.records import Sentence
from kg.extract.clauses import clause_around, clauses


def test_clauses_and_the_clause_of_a_span() -> None:
    s = Sentence(100, 129, "截至2024年底，全市参保人数达120万人；同比增长3%。")
    assert [s.text[a - 100:b - 100] for a, b in clauses(s)] == [
        "截至2024年底", "全市参保人数达120万人", "同比增长3%"]
    start = 100 + s.text.index("120万人")
    assert clause_around(s, start, start + 5) == (109, 121)
