"""Graph out: deterministic serialisations, written atomically.

Turtle is the canonical form: subjects, predicates and objects sorted,
prefixes fixed, no blank nodes in the data, so two builds of the same inputs
are byte-identical. TriG keeps one named graph per report; N-Triples is
sorted line by line; JSON-LD is sorted by ``@id`` (an RDF list keeps its order).

    >>> format_for("out.trig")
    'trig'
    >>> format_for("out.nt")
    'nt'
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import BNode, Dataset, Graph

from kg.base.errors import OutputError
from kg.base.files import write_atomic
from kg.base.filetypes import output_format


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
    g = _union(graph)
    if fmt == "turtle":
        return g.serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(set(line for line in lines if line.strip()))) + "\n").encode()
    if fmt == "json-ld":
        doc = json.loads(g.serialize(format="json-ld", encoding="utf-8"))
        return json.dumps(_sorted_jsonld(doc), ensure_ascii=False, indent=1).encode("utf-8")
    raise OutputError(f"unknown format {fmt!r}")


def _trig(ds: Dataset) -> bytes:
    """TriG with the named graphs in IRI order, each written as canonical Turtle."""
    prefixes: list[str] = []
    blocks: list[str] = []
    for g in sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier)):
        body = Graph(bind_namespaces="none")
        for prefix, ns in ds.namespaces():
            body.bind(prefix, ns, override=True, replace=True)
        for triple in g:
            body.add(triple)
        lines = body.serialize(format="turtle").splitlines()
        prefixes += [line for line in lines if line.startswith("@prefix")]
        # not indented: an indent would enter multi-line literals
        inner = [line for line in lines if not line.startswith("@prefix")]
        while inner and not inner[0]:
            inner.pop(0)
        name = g.identifier
        head = f"<{name}> {{" if not isinstance(name, BNode) else "{"
        blocks.append("\n".join([head, *inner, "}"]))
    text = "\n".join(sorted(set(prefixes))) + "\n\n" + "\n\n".join(blocks) + "\n"
    return text.encode("utf-8")


def _sorted_jsonld(doc: object, ordered: bool = False) -> object:
    """Keys and sets sorted; an RDF list (``@list``) keeps its order."""
    if isinstance(doc, list):
        items = [_sorted_jsonld(x) for x in doc]
        if ordered:
            return items
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    if isinstance(doc, dict):
        return {k: _sorted_jsonld(v, k == "@list") for k, v in sorted(doc.items())}
    return doc


def write_graph(graph: Graph, path: str | Path, fmt: str | None = None) -> str:
    """Serialise ``graph`` to ``path`` atomically; returns the format used."""
    fmt = format_for(path, fmt)
    write_atomic(path, serialize(graph, fmt))
    return fmt
