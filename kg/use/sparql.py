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

A query can also be one of the named queries of :mod:`kg.use.queries`, by name,
with parameters given as text and bound by :func:`param_term`'s rule::

    >>> rows = query(g, "funds_by_region", {"region": "320412", "year": "2023"})
    >>> list(rows)
    []
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rdflib.util import guess_format

from kg.base.errors import GraphLoadError, QueryError
from kg.base.namespaces import IND, INS, PROG, YB, YBU
from kg.graph.rdfgraph import PREFIXES, bind_prefixes, region_iri
from kg.store.store import load_file, open_store
from kg.use import queries

#: A parameter value: an RDF term, or text bound by :func:`param_term`'s rule.
ParamValue = Identifier | str

#: The vocabularies a bare parameter value is looked up in, by parameter kind.
VOCABULARIES = {"ind": IND, "prog": PROG, "ins": INS, "yb": YB, "ybu": YBU}
#: Where a bare value is looked up when the parameter has no declared kind.
DEFAULT_VOCABULARIES = ("ind", "prog", "ins")

_CODE = re.compile(r"\d{6}")
_BARE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


#: The engines :func:`load_graph` reads a graph file with.
ENGINES = ("oxigraph", "rdflib")


def load_graph(path: str | Path, engine: str = "oxigraph") -> Graph:
    """A graph file or an Oxigraph store folder (``kg build --store``) as an rdflib graph;
    raises :class:`GraphLoadError` naming the file.

    A file (format from its suffix) is read into an in-memory Oxigraph store
    (:func:`kg.store.store.load_file`: seconds where rdflib's parser takes
    minutes, and SPARQL in Oxigraph's engine), or with ``engine="rdflib"`` parsed
    into rdflib's own in-memory graph (SPARQL in rdflib's engine). A store
    folder is opened read-only, SPARQL in Oxigraph.
    """
    if engine not in ENGINES:
        raise GraphLoadError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    path = Path(path)
    if path.is_dir():
        return open_store(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such graph file")
    if engine == "oxigraph":
        return load_file(path)
    fmt = guess_format(str(path)) or "turtle"
    g = Graph(bind_namespaces="none") if fmt != "trig" else None
    try:
        if fmt == "trig":
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


def _defines(kind: str, name: str) -> bool:
    return name in VOCABULARIES[kind].__annotations__


def param_term(value: str, kind: str | None = None) -> Identifier:
    """The RDF term a parameter value binds to.

    ``prefix:name`` and ``<IRI>`` bind as written; a six-digit code binds to
    ``ybr:region/{code}``; a bare name binds to the term of the parameter's
    vocabulary (``kind``: ``ind``, ``prog``, ``ins``, ``yb`` or ``ybu``; with no
    kind, the one of ``ind:``, ``prog:``, ``ins:`` that defines it); anything
    else binds as a plain literal. A ``literal`` parameter always binds as a
    literal. A value that does not fit its declared kind is a :class:`QueryError`.

    >>> param_term("InsuredPersons")
    rdflib.term.URIRef('https://w3id.org/yibao-kg/indicator/InsuredPersons')
    >>> param_term("320412")
    rdflib.term.URIRef('https://w3id.org/yibao-kg/id/region/320412')
    >>> param_term("MedicalAssistance", "prog")
    rdflib.term.URIRef('https://w3id.org/yibao-kg/program/MedicalAssistance')
    >>> param_term("HealthcareSecurity", "yb")
    rdflib.term.URIRef('https://w3id.org/yibao-kg/ontology#HealthcareSecurity')
    >>> param_term("2023")
    rdflib.term.Literal('2023')
    >>> param_term("prog:DRG")
    rdflib.term.URIRef('https://w3id.org/yibao-kg/program/DRG')
    """
    if kind == "literal":
        return Literal(value)
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if _CODE.fullmatch(value):
        if kind not in (None, "region", "iri"):
            raise QueryError(f"{value!r} is a region code, but the parameter wants a {kind}: term")
        return region_iri(value)
    if kind == "region":
        raise QueryError(f"{value!r} is not a region: give a six-digit GB/T 2260 code (320412)")
    if kind == "iri":
        raise QueryError(f"{value!r} is not an IRI: give prefix:name or <IRI>")
    if kind in VOCABULARIES:
        if not _defines(kind, value):
            raise QueryError(f"{value!r} is not a term of {kind}: ({PREFIXES[kind]})")
        return URIRef(PREFIXES[kind] + value)
    if _BARE.fullmatch(value):
        found = [k for k in DEFAULT_VOCABULARIES if _defines(k, value)]
        if len(found) > 1:
            choices = " or ".join(f"{k}:{value}" for k in found)
            raise QueryError(f"{value!r} is ambiguous: write {choices}")
        if found:
            return URIRef(PREFIXES[found[0]] + value)
    return Literal(value)


def resolve(sparql_or_name: str,
            params: Mapping[str, ParamValue] | None = None) -> tuple[str, dict[str, Identifier]]:
    """The SPARQL text and the bound terms for a query given as text or by name."""
    params = params or {}
    if queries.is_name(sparql_or_name.strip()):
        named = queries.named_query(sparql_or_name.strip())
        bound = {}
        for name, value in params.items():
            kind = named.param(name).kind
            bound[name] = value if isinstance(value, Identifier) else param_term(value, kind)
        return named.sparql, bound
    return sparql_or_name, {
        name: value if isinstance(value, Identifier) else param_term(value)
        for name, value in params.items()
    }


def query(graph: Graph, sparql: str, params: Mapping[str, ParamValue] | None = None) -> Result:
    """Run ``sparql`` (SPARQL text or a named query's name) on ``graph``.

    ``params`` bind variables to RDF terms; text values are turned into terms by
    :func:`param_term` (with the named query's declared kinds).
    """
    text, bindings = resolve(sparql, params)
    try:
        # the prefixes as the engine's own defaults (never pasted into the text): an
        # error's line and column are those of the query as written
        return graph.query(text, initNs=PREFIXES, initBindings=bindings)
    except Exception as exc:  # pyparsing / rdflib evaluation errors
        raise QueryError(f"SPARQL error: {' '.join(str(exc).split())}") from exc


#: A local name that a SPARQL prefixed name can hold as it is (no escapes).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def decimal_text(lexical: str) -> str:
    """An ``xsd:decimal``'s lexical form in its canonical form (as Turtle writes it:
    no exponent, no trailing zeros, at least one digit after the point), so that a
    cell reads the same whichever engine answered (Oxigraph writes ``1286000``
    where the file says ``1286000.0``); a form that is no decimal stays as it is.

    >>> [decimal_text(s) for s in ("1286000", "1286000.0", "87.460", "-0.30", "1E3", "x")]
    ['1286000.0', '1286000.0', '87.46', '-0.3', '1000.0', 'x']
    """
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if not value.is_finite():
        return lexical
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text if "." in text else text + ".0"


def term_text(term: Node | None) -> str:
    """A term as a cell, pasteable into SPARQL (or a ``--param``): an IRI as a
    prefixed name where its local part needs no escape, else as ``<IRI>``; a decimal
    in its canonical form (:func:`decimal_text`), whichever engine answered.

    >>> term_text(URIRef("https://w3id.org/yibao-kg/insurance/Basic"))
    'ins:Basic'
    >>> term_text(URIRef("https://w3id.org/yibao-kg/id/region/320412"))
    '<https://w3id.org/yibao-kg/id/region/320412>'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if s.startswith(ns):
                local = s[len(ns):]
                return f"{p}:{local}" if _PLAIN_LOCAL.fullmatch(local) else f"<{s}>"
        return f"<{s}>"
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        return decimal_text(str(term))
    return str(term)


def format_result(result: Result, fmt: str = "table", *, short: bool = False) -> str:
    """A SELECT/ASK/CONSTRUCT result as ``table``, ``csv`` or ``json`` text.

    CSV is SPARQL 1.1's CSV results format (full IRIs, CRLF line ends) unless
    ``short``: then the cells are those of the table (prefixed names), one row a
    line. Raises :class:`QueryError` when evaluating the query fails while its
    rows are read.
    """
    try:
        return _format(result, fmt, short)
    except QueryError:
        raise
    except Exception as exc:  # rdflib evaluates lazily: errors come while reading rows
        raise QueryError(f"SPARQL error: {' '.join(str(exc).split())}") from exc


def _format(result: Result, fmt: str, short: bool) -> str:
    if result.type == "ASK":
        return json.dumps({"boolean": bool(result.askAnswer)}) if fmt == "json" else str(
            bool(result.askAnswer)).lower()
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        bind_prefixes(result.graph)
        return str(result.graph.serialize(format="turtle"))
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")  # type: ignore[union-attr]
    if fmt == "csv" and not short:
        data = result.serialize(format="csv")
        assert data is not None
        return data.decode("utf-8")  # lines end in CRLF, as the format says
    names = [str(v) for v in (result.vars or [])]
    rows = [[term_text(row[i]) for i in range(len(names))]  # type: ignore[index]
            for row in result]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    return text_table(names, rows)


def text_table(names: list[str], rows: list[list[str]]) -> str:
    """Rows of cells as an aligned text table (Chinese characters count two columns),
    with the number of rows below.

    >>> text_table(["code", "label"], [["320412", "武进区"]]).splitlines()
    ['code   | label ', '-------+-------', '320412 | 武进区', '(1 row)']
    """
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    out = [" | ".join(_pad(n, w) for n, w in zip(names, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))
