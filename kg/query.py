"""SPARQL over a built graph: loading, querying, and tables out.

The project's prefixes (``yb:``, ``ybr:``, ``prog:``, ``ind:``, ``ins:``,
``ybu:``, ``dcterms:``, ``skos:``…) are declared for every query, so queries
need not repeat them. Parameters are bound as RDF terms (``initBindings``),
never pasted into the query text::

    >>> from rdflib import Graph, Literal
    >>> g = Graph()
    >>> rows = query(g, "SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": Literal(1)})
    >>> [int(r[0]) for r in rows]
    [1]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rdflib.util import guess_format

from kg.errors import GraphLoadError, QueryError
from kg.rdfgraph import PREFIXES


def load_graph(path: str | Path) -> Graph:
    """Parse a graph file (format from its suffix), or open an Oxigraph store folder
    (``kg build --store``; read-only, SPARQL in Oxigraph); raises :class:`GraphLoadError`."""
    path = Path(path)
    if path.is_dir():
        from kg.store import open_store

        return open_store(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such graph file")
    fmt = guess_format(str(path)) or "turtle"
    g = Graph(bind_namespaces="none") if fmt != "trig" else None
    try:
        if fmt == "trig":
            from rdflib import Dataset

            ds = Dataset(default_union=True)
            ds.parse(path, format="trig")
            return ds
        assert g is not None
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        detail = " ".join(str(exc).split())
        raise GraphLoadError(f"{path}: cannot parse as {fmt} ({detail})") from exc
    return g


def with_prefixes(sparql: str) -> str:
    """``sparql`` with the project's PREFIX declarations in front (unless declared)."""
    lines = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if f"PREFIX {p}:".lower() not in sparql.lower()
    ]
    return "\n".join([*lines, sparql])


def query(graph: Graph, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
    """Run ``sparql`` on ``graph`` with variables bound to RDF terms."""
    try:
        return graph.query(with_prefixes(sparql), initBindings=dict(bindings or {}))
    except Exception as exc:  # pyparsing / rdflib evaluation errors
        raise QueryError(f"SPARQL error: {exc}".splitlines()[0]) from exc


def term_text(term: Node | None) -> str:
    """A term as a table cell: IRIs shortened with the project's prefixes."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if s.startswith(ns):
                return f"{p}:{s[len(ns):]}"
        return s
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def format_result(result: Result, fmt: str = "table") -> str:
    """A SELECT/ASK/CONSTRUCT result as ``table``, ``csv`` or ``json`` text."""
    if result.type == "ASK":
        return json.dumps({"boolean": bool(result.askAnswer)}) if fmt == "json" else str(
            bool(result.askAnswer)).lower()
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        from kg.rdfgraph import bind_prefixes

        bind_prefixes(result.graph)
        return str(result.graph.serialize(format="turtle"))
    names = [str(v) for v in (result.vars or [])]
    rows = [[term_text(row[i]) for i in range(len(names))]  # type: ignore[index]
            for row in result]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")  # type: ignore[union-attr]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    out = [" | ".join(_pad(n, w) for n, w in zip(names, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))
