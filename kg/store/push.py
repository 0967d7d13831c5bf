"""``kg push GRAPH --endpoint URL``: load a graph into a SPARQL Graph Store.

Each report's named graph is sent with the SPARQL 1.1 Graph Store HTTP
Protocol's ``PUT URL?graph=IRI``, which replaces that graph at the endpoint:
pushing again replaces each report's graph instead of adding to it. The
ontology's graph (``ybr:graph/ontology``) goes the same way. ``GRAPH`` is a
TriG file (one named graph per report, ``kg build -o out.trig``) or a store
folder (``kg build --store``); a file of one graph (Turtle, N-Triples,
JSON-LD) has no report graphs and is sent to the graph named by ``--graph``
or, without it, to the default graph.

Graphs are read and written with pyoxigraph, as N-Triples; each request is
checked (2xx), and the first failure stops the push with one clear line.

With ``prune`` (``kg push --prune``), the report graphs the endpoint holds
that were not pushed — reports no longer in the build — are then removed
(``DELETE URL?graph=IRI``). Which graphs it holds is asked of its SPARQL query
service (``--query-endpoint``; by default the Graph Store URL with ``/store``
replaced by ``/query``, as Oxigraph serves them); only graphs named
``ybr:report/…`` are ever removed, so other data at the endpoint stays.

    >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/yibao-kg/id/report/ab")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fyibao-kg%2Fid%2Freport%2Fab'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from kg.base.errors import GraphLoadError, KgError
from kg.store.serve import rdf_format
from kg.store.store import is_store

NTRIPLES = "application/n-triples"


class PushError(KgError):
    """The endpoint refused a graph or cannot be reached."""

    exit_code = 3


@dataclass
class PushResult:
    """What a push sent (and, with ``prune``, removed)."""

    graphs: int = 0
    triples: int = 0
    removed: int = 0


#: The named graphs a push with ``prune`` may remove: those of reports.
REPORT_GRAPHS = "https://w3id.org/yibao-kg/id/report/"


def query_url(endpoint: str) -> str:
    """The SPARQL query service next to a Graph Store URL (Oxigraph: ``/store`` → ``/query``).

        >>> query_url("http://127.0.0.1:7878/store")
        'http://127.0.0.1:7878/query'
    """
    base = endpoint.partition("?")[0]
    if base.endswith("/store"):
        return base[: -len("store")] + "query"
    raise PushError(f"{endpoint}: give the SPARQL query service's URL too (--query-endpoint)")


def graph_url(endpoint: str, name: str | None) -> str:
    """The Graph Store URL of the graph ``name`` (None: the default graph)."""
    sep = "&" if "?" in endpoint else "?"
    if name is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={quote(name, safe='')}"


def named_graphs(graph: str | Path, name: str | None = None) -> Iterator[tuple[str | None, bytes]]:
    """(graph name, N-Triples) of each graph of a TriG file, a store, or a one-graph file."""
    path = Path(graph)
    if path.is_dir():
        if not is_store(path):
            raise GraphLoadError(f"{path}: not an Oxigraph store")
        store = ox.Store.read_only(str(path))
    elif path.is_file():
        fmt = rdf_format(path)
        store = ox.Store()
        try:
            if fmt == ox.RdfFormat.TRIG:
                store.bulk_load(path=str(path), format=fmt)
            else:
                target = ox.NamedNode(name) if name else ox.DefaultGraph()
                store.bulk_load(path=str(path), format=fmt, to_graph=target)
        except (SyntaxError, ValueError, OSError) as exc:
            detail = " ".join(str(exc).split())
            raise GraphLoadError(f"{path}: cannot read ({detail})") from exc
        if fmt != ox.RdfFormat.TRIG:
            target_graph = ox.NamedNode(name) if name else ox.DefaultGraph()
            yield name, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=target_graph) or b""
            return
    else:
        raise GraphLoadError(f"{path}: no such graph file or store folder")
    for g in sorted(store.named_graphs(), key=lambda g: str(g)):
        if isinstance(g, ox.NamedNode):
            yield g.value, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b""


def push(graph: str | Path, endpoint: str, *, name: str | None = None,
         timeout: float = 60, prune: bool = False, query_endpoint: str | None = None
         ) -> PushResult:
    """PUT every graph of ``graph`` to the Graph Store at ``endpoint``; with
    ``prune``, then DELETE the report graphs there that were not pushed."""
    import httpx  # lazy: optional (the scale extra)

    result = PushResult()
    pushed: set[str] = set()
    with httpx.Client(timeout=timeout) as client:
        for graph_name, data in named_graphs(graph, name):
            url = graph_url(endpoint, graph_name)
            try:
                response = client.put(url, content=data, headers={"Content-Type": NTRIPLES})
            except httpx.HTTPError as exc:
                raise PushError(f"{endpoint}: cannot push ({type(exc).__name__}: {exc})") from exc
            if not response.is_success:
                detail = " ".join(response.text.split())[:200]
                raise PushError(f"{endpoint}: graph {graph_name or 'default'} refused "
                                f"({response.status_code} {response.reason_phrase}: {detail})")
            result.graphs += 1
            result.triples += data.count(b"\n")
            if graph_name is not None:
                pushed.add(graph_name)
        if prune:
            for stale in sorted(remote_report_graphs(client, query_endpoint or query_url(endpoint))
                                - pushed):
                try:
                    response = client.delete(graph_url(endpoint, stale))
                except httpx.HTTPError as exc:
                    raise PushError(f"{endpoint}: cannot remove {stale} "
                                    f"({type(exc).__name__}: {exc})") from exc
                if not response.is_success and response.status_code != 404:
                    raise PushError(f"{endpoint}: removing graph {stale} refused "
                                    f"({response.status_code} {response.reason_phrase})")
                result.removed += 1
    return result


def remote_report_graphs(client: Any, query_endpoint: str) -> set[str]:
    """The report graphs (``ybr:report/…``) the endpoint holds, asked with SPARQL."""
    import httpx  # lazy: optional (the scale extra)

    sparql = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
              f'FILTER(STRSTARTS(STR(?g), "{REPORT_GRAPHS}")) }}')
    try:
        response = client.post(query_endpoint, data={"query": sparql},
                               headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        raise PushError(f"{query_endpoint}: cannot list the graphs "
                        f"({type(exc).__name__}: {exc})") from exc
    if not response.is_success:
        raise PushError(f"{query_endpoint}: listing the graphs refused "
                        f"({response.status_code} {response.reason_phrase})")
    try:
        rows = response.json()["results"]["bindings"]
        return {row["g"]["value"] for row in rows if row["g"]["value"].startswith(REPORT_GRAPHS)}
    except (ValueError, KeyError, TypeError) as exc:
        raise PushError(f"{query_endpoint}: not a SPARQL results answer ({exc})") from exc
