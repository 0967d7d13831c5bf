"""Yibao KG (医保知识图谱): Chinese medical-security reports to an RDF graph.

The public API::

    import kg
    graph = kg.build(["seeds"])                       # rdflib.Graph
    rows = kg.query(graph, "SELECT ?r WHERE { ?r a yb:Report }")
    rows = kg.query(graph, "funds_by_region", {"region": "320412"})   # a named query
    G = kg.to_networkx(graph, view="entities")        # networkx.MultiDiGraph

Submodules are imported on first use, so ``import kg`` stays cheap. The
functions keep their names when their modules are imported too: after
``from kg.build import build_reports``, ``kg.build`` is still the function (Python
would otherwise set the attribute to the submodule ``kg.build``).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["build", "query", "to_networkx", "validate"]

if TYPE_CHECKING:
    from kg.build import build
    from kg.graph.validate import validate
    from kg.use.sparql import query
    from kg.use.views import to_networkx


def __getattr__(name: str) -> Any:
    if name == "build":
        from kg.build import build

        return build
    if name == "query":
        from kg.use.sparql import query

        return query
    if name == "to_networkx":
        from kg.use.views import to_networkx

        return to_networkx
    if name == "validate":
        from kg.graph.validate import validate

        return validate
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


class _Package(types.ModuleType):
    """``kg``: importing a submodule named like a function does not hide the function."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
