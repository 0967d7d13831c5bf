"""An on-disk Oxigraph store of the graph: one named graph per report.

``kg build --store DIR`` writes each report's triples into the named graph of
the report's IRI (``ybr:report/{sha256[:16]}``, its content hash) and the
ontology into ``ybr:graph/ontology``. The folder is a plain Oxigraph (RocksDB)
store: ``oxigraph serve-read-only --location DIR`` and ``pyoxigraph.Store(DIR)``
open it as it is. Yibao KG keeps one small file of its own inside it,
``yibao-kg/manifest.json``: the digest of each named graph's triples, so that
a rebuild rewrites only the graphs that changed and removes the graphs of
reports no longer given.

The default graph holds the union of the named graphs (each triple once), so
a query without ``GRAPH`` sees exactly the graph a Turtle build writes, and
``GRAPH ?g`` finds the report a triple came from.

Reading: :func:`open_store` gives an :class:`rdflib.Dataset` backed by the
store (via ``oxrdflib``); ``kg.query`` and every rdflib API work on it, and
SPARQL runs in Oxigraph's engine.

    >>> import tempfile
    >>> is_store(tempfile.gettempdir())
    False
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from kg.errors import GraphLoadError, OutputError
from kg.records import LinkedReport
from kg.serialize import write_atomic

#: Yibao KG's own folder inside the store.
META_DIR = "yibao-kg"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass
class StoreUpdate:
    """What writing a store changed."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    triples: int = 0


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file()


def _manifest_file(directory: Path) -> Path:
    return directory / META_DIR / MANIFEST


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The store's manifest (empty when there is none or it is unreadable)."""
    try:
        data = json.loads(_manifest_file(Path(directory)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    return data


def _write_manifest(directory: Path, graphs: dict[str, str], complete: bool) -> None:
    data = {"format": MANIFEST_FORMAT, "complete": complete, "graphs": dict(sorted(graphs.items()))}
    write_atomic(_manifest_file(directory), json.dumps(data, indent=1).encode("utf-8"))


def ntriples(g: Graph) -> bytes:
    """``g`` as sorted N-Triples (a canonical form for graphs without blank nodes)."""
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


_DROP_EXCLUSIVE = """
DELETE { ?s ?p ?o }
WHERE { GRAPH <%s> { ?s ?p ?o }
        FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != <%s>) } }
"""


#: Bytes of N-Quads loaded at once (bulk loading skips transactions: the
#: manifest's ``complete`` flag covers an interrupted write).
BULK_BYTES = 64 * 2**20


def _in_graph(ntriples_data: bytes, name: str) -> bytes:
    """Sorted N-Triples lines (each ending `` .``) as N-Quads in the graph ``name``."""
    if not ntriples_data:
        return b""
    tail = f" <{name}> .\n".encode()
    return tail.join(line[:-2] for line in ntriples_data.splitlines()) + tail


def report_ntriples(report: LinkedReport) -> bytes:
    """One report's own graph as sorted N-Triples."""
    from kg.rdfgraph import GraphBuilder, new_graph

    g = new_graph()
    GraphBuilder().add_report(g, report)
    return ntriples(g)


def write_store(directory: str | Path, graphs: Iterable[tuple[URIRef, Graph | bytes]]
                ) -> StoreUpdate:
    """Make the store at ``directory`` hold exactly ``graphs`` (name, triples as a
    graph or as sorted N-Triples).

    Each graph goes into the named graph of its name, and the default graph
    holds their union (the RDF merge, each triple once, as in a Turtle build).
    Named graphs whose triples did not change since the last write are left as
    they are; graphs not given are removed, and with them the triples of the
    default graph that no other graph holds. While an update runs the manifest
    says ``"complete": false``, so that an interrupted update is redone whole.
    """
    import pyoxigraph as ox

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: not a folder; --store needs a folder")
    if (directory.is_dir() and not is_store(directory)
            and any(p.name != META_DIR for p in directory.iterdir())):
        raise OutputError(f"{directory}: folder is not empty and not an Oxigraph store")
    old = read_manifest(directory)
    complete = bool(old.get("complete"))
    old_graphs: dict[str, str] = old.get("graphs", {}) if complete else {}
    try:
        store = ox.Store(str(directory))
    except OSError as exc:
        raise OutputError(f"{directory}: cannot open the store ({exc})") from exc
    _write_manifest(directory, old_graphs, complete=False)
    if not complete:  # unknown state: start from an empty store
        store.clear()
    update = StoreUpdate()
    new_graphs: dict[str, str] = {}
    pending: list[tuple[str, bytes]] = []
    for name, g in graphs:
        data = g if isinstance(g, bytes) else ntriples(g)
        key = str(name)
        digest = hashlib.sha256(data).hexdigest()[:32]
        new_graphs[key] = digest
        update.triples += data.count(b"\n")
        if old_graphs.get(key) == digest:
            update.unchanged += 1
        else:
            pending.append((key, data))
    stale = sorted(k for k in old_graphs if k not in new_graphs or k in dict(pending))
    for key in stale:  # first take out what leaves, then add what comes
        store.update(_DROP_EXCLUSIVE % (key, key))
        store.remove_graph(ox.NamedNode(key))
        update.removed += key not in new_graphs
    chunk: list[bytes] = []
    size = 0
    for key, data in pending:  # as N-Quads, in the named graph and in the default graph
        chunk.append(data)
        chunk.append(_in_graph(data, key))
        size += 2 * len(data)
        update.written += 1
        if size > BULK_BYTES:
            store.bulk_load(b"".join(chunk), format=ox.RdfFormat.N_QUADS)
            chunk, size = [], 0
    if chunk:
        store.bulk_load(b"".join(chunk), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    _write_manifest(directory, new_graphs, complete=True)
    return update


def open_store(directory: str | Path, *, in_memory: bool = False) -> Dataset:
    """The store at ``directory`` as a read-only rdflib :class:`Dataset`.

    With ``in_memory``, the store's quads are first copied into an in-memory
    Oxigraph store: loading takes a while (about a quarter of parsing the same
    graph's Turtle with rdflib) but queries then run several times faster than
    on disk; changes to that copy are not saved.
    """
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    directory = Path(directory)
    if not is_store(directory):
        raise GraphLoadError(f"{directory}: not an Oxigraph store")
    manifest = read_manifest(directory)
    if manifest and not manifest.get("complete", True):
        raise GraphLoadError(f"{directory}: the store's last update did not finish; rebuild it")
    try:
        inner = ox.Store.read_only(str(directory))
    except OSError as exc:
        raise GraphLoadError(f"{directory}: cannot open the store ({exc})") from exc
    if in_memory:
        memory = ox.Store()
        memory.bulk_load(inner.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        inner = memory
    ds = Dataset(store=OxigraphStore(store=inner))
    from kg.rdfgraph import bind_prefixes

    bind_prefixes(ds)
    return ds


def store_graph(directory: str | Path) -> Graph:
    """The default graph of the store at ``directory`` (the union of its reports)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    return Graph(store=open_store(directory).store, identifier=DATASET_DEFAULT_GRAPH_ID)
