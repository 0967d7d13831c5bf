"""Yibao KG (医保知识图谱): Chinese medical-security reports to an RDF graph.

The public API::

    import kg
    graph = kg.build(["seeds"])                       # rdflib.Graph
    rows = kg.query(graph, "SELECT ?r WHERE { ?r a yb:Report }")
    rows = kg.query(graph, "funds_by_region", {"region": "320412"})   # a named query
    G = kg.to_networkx(graph, view="entities")        # networkx.MultiDiGraph

Submodules are imported on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["build", "query", "to_networkx", "validate"]

if TYPE_CHECKING:
    from kg.build import build
    from kg.query import query
    from kg.validate import validate
    from kg.views import to_networkx


def __getattr__(name: str) -> Any:
    if name == "build":
        from kg.build import build

        return build
    if name == "query":
        from kg.query import query

        return query
    if name == "to_networkx":
        from kg.views import to_networkx

        return to_networkx
    if name == "validate":
        from kg.validate import validate

        return validate
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
