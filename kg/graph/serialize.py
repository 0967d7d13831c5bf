"""Graph out: deterministic serialisations, written atomically.

Turtle is the canonical form of :mod:`kg.graph.turtle` (subjects in a stable
order, predicates and objects sorted, prefixes fixed, no blank nodes in the
data), so two builds of the same inputs are byte-identical; it is also
rdflib's ``kg-turtle`` serializer (``graph.serialize(format="kg-turtle")``,
registered here). TriG keeps one named graph per report, each in the
canonical form; N-Triples is sorted line by line; JSON-LD is sorted by
``@id``, the items of RDF lists (``owl:oneOf``) in their order.

    >>> format_for("out.trig")
    'trig'
    >>> format_for("out.nt")
    'nt'
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import BNode, Dataset, Graph, plugin
from rdflib.serializer import Serializer

from kg.base.errors import OutputError
from kg.base.files import write_atomic
from kg.base.filetypes import output_format
from kg.base.namespaces import PREFIXES
from kg.graph.turtle import Names, Render, blank_refs, canonical_turtle, prefix_lines

#: The canonical Turtle as an rdflib serializer (also the package's entry point).
plugin.register("kg-turtle", Serializer, "kg.graph.turtle", "CanonicalTurtleSerializer")

def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` when given, else from the file's suffix; an
    extension no graph writer knows is an error (one table for every command:
    :func:`kg.base.filetypes.output_format`)."""
    return output_format(path, "graph", fmt)


def _union(graph: Graph) -> Graph:
    if isinstance(graph, Dataset):
        g = Graph(bind_namespaces="none")
        for prefix, ns in graph.namespaces():
            g.bind(prefix, ns, override=True, replace=True)
        for triple in graph.triples((None, None, None)):
            g.add(triple)
        return g
    return graph


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """The graph in ``fmt`` as UTF-8 bytes, deterministic for the same triples."""
    if fmt == "trig":
        if not isinstance(graph, Dataset):
            raise OutputError("TriG needs a dataset with one named graph per report")
        return _trig(graph)
    if fmt == "turtle":
        return canonical_turtle(graph.triples((None, None, None)))
    g = _union(graph)
    if fmt == "nt":
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(set(line for line in lines if line.strip()))) + "\n").encode()
    if fmt == "json-ld":
        doc = json.loads(g.serialize(format="json-ld", encoding="utf-8"))
        return json.dumps(_sorted_jsonld(doc), ensure_ascii=False, indent=1).encode("utf-8")
    raise OutputError(f"unknown format {fmt!r}")


def _trig(ds: Dataset) -> bytes:
    """TriG with the named graphs in IRI order, each written as canonical Turtle
    blocks (:mod:`kg.graph.turtle`), the prefixes used by any of them in front."""
    names = Names(PREFIXES)
    parts: list[bytes] = []
    for g in sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier)):
        triples = list(g.triples((None, None, None)))
        index: dict[object, dict[object, list[object]]] = {}
        for s, p, o in triples:
            index.setdefault(s, {}).setdefault(p, []).append(o)
        blocks = Render(names, index, blank_refs(triples)).blocks()
        name = g.identifier
        head = f"\n<{name}> {{" if not isinstance(name, BNode) else "\n{"
        # not indented: an indent would enter multi-line literals
        parts.append(head.encode("utf-8") + b"".join(b for _, b in blocks) + b"}\n")
    return prefix_lines(names.used, PREFIXES) + b"".join(parts)


def _sorted_jsonld(doc: object) -> object:
    """Objects with their keys sorted and arrays sorted, except the items of an
    ``@list`` (an RDF list: ``owl:oneOf``, ``owl:unionOf``), whose order is meaning."""
    if isinstance(doc, dict) and "@list" in doc:
        return {k: ([_sorted_jsonld(x) for x in v] if k == "@list" and isinstance(v, list)
                    else _sorted_jsonld(v)) for k, v in sorted(doc.items())}
    if isinstance(doc, list):
        items = [_sorted_jsonld(x) for x in doc]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    if isinstance(doc, dict):
        return {k: _sorted_jsonld(v) for k, v in sorted(doc.items())}
    return doc


def write_graph(graph: Graph, path: str | Path, fmt: str | None = None) -> str:
    """Serialise ``graph`` to ``path`` atomically; returns the format used."""
    fmt = format_for(path, fmt)
    write_atomic(path, serialize(graph, fmt))
    return fmt
