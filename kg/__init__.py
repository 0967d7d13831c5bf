"""Yibao KG (医保知识图谱): Chinese medical-security reports to an RDF graph.

The public API::

    import kg
    graph = kg.build(["seeds"])                       # rdflib.Graph
    graph = kg.load("seeds.ttl")                      # a built file, read into Oxigraph
    rows = kg.query(graph, "SELECT ?r WHERE { ?r a yb:Report }")
    rows = kg.query(graph, "funds_by_region", {"region": "320412"})   # a named query
    report = kg.validate(graph)                       # SHACL: .conforms, .violations
    G = kg.to_networkx(graph, view="entities")        # networkx.MultiDiGraph
    df = kg.observations(graph)                       # pandas DataFrame, one row each
    found = kg.check(graph)                           # consistency checks: .findings

The subpackages are the pipeline's stages, in order, each handing plain
records on to the next: :mod:`kg.ingest` → :mod:`kg.extract` →
:mod:`kg.link` → :mod:`kg.graph` → :mod:`kg.store` → :mod:`kg.use`, with
what several stages share below them in :mod:`kg.base`. :mod:`kg.run` runs
the stages over many reports (in this process, in worker processes, on a Dask
cluster, from a cache) and :mod:`kg.cli` is the ``kg`` command.

The functions are imported on first use (:pep:`562`), so that
``import kg`` stays cheap: every import of a submodule runs this file first,
and the functions' modules load rdflib, spaCy, pyshacl and networkx. No
submodule is named like a function, so importing one never hides it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.base.version import __version__ as __version__

__all__ = ["build", "check", "load", "observations", "query", "to_networkx", "validate"]

if TYPE_CHECKING:
    from kg.graph.validate import validate
    from kg.run.build import build
    from kg.use.check import check
    from kg.use.observations import observations
    from kg.use.sparql import load_graph as load
    from kg.use.sparql import query
    from kg.use.views import to_networkx


def __getattr__(name: str) -> Any:
    # lazy: these modules load rdflib, spaCy, pyshacl or networkx (see the docstring)
    if name == "build":
        from kg.run.build import build

        return build
    if name == "load":
        from kg.use.sparql import load_graph

        return load_graph
    if name == "query":
        from kg.use.sparql import query

        return query
    if name == "observations":
        from kg.use.observations import observations

        return observations
    if name == "check":
        from kg.use.check import check

        return check
    if name == "to_networkx":
        from kg.use.views import to_networkx

        return to_networkx
    if name == "validate":
        from kg.graph.validate import validate

        return validate
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
