"""The seeds graph against the project's own gold (tests/gold/seeds.jsonl).

Prints precision/recall per fact type (run with ``-s`` to see the table) and
holds the foundation's floors: a drop below them is a regression.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from tests.gold_scoring import Score, format_scores, score

#: Minimum F1 per fact type on the seeds (the foundation's acceptance floor).
FLOORS = {
    "region": 0.85,
    "program": 0.85,
    "policy": 0.80,
    "report.region": 1.0,
    "report.kind": 1.0,
    "implements": 0.60,
}


@pytest.fixture(scope="module")
def scores(seeds_graph: Graph) -> dict[str, Score]:
    result = score(seeds_graph)
    print("\n" + format_scores(result))
    return result


@pytest.mark.parametrize(("fact", "floor"), sorted(FLOORS.items()))
def test_floor(scores: dict[str, Score], fact: str, floor: float) -> None:
    s = scores[fact]
    assert s.f1 >= floor, f"{fact}: F1 {s.f1:.3f} < {floor}\n{s.explain()}"
