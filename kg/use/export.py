"""Writing networkx views: GraphML and GEXF (Gephi, yEd, Cytoscape) and node-link JSON.

The output is deterministic (nodes and edges in sorted order, no timestamps)
and written atomically with :func:`kg.base.files.write_atomic`. What is written
reads back in networkx with the same nodes, edges and attributes::

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ybr:region/320412", label="武进区", type="Region", region="320412")
    >>> _ = G.add_edge("ybr:region/320412", "prog:DRG", key="yb:implements", label="yb:implements")
    >>> back = nx.parse_graphml(export_bytes(G, "graphml").decode("utf-8"), force_multigraph=True)
    >>> back.nodes["ybr:region/320412"]["label"], list(back.edges(keys=True))
    ('武进区', [('ybr:region/320412', 'prog:DRG', 'yb:implements')])
    >>> import json
    >>> json.loads(export_bytes(G, "json"))["edges"][0]["key"]
    'yb:implements'
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
from networkx.readwrite import json_graph

from kg.base.errors import OutputError
from kg.base.files import write_atomic
from kg.base.filetypes import formats, output_format, suffix_of

#: Export format → file suffix.
FORMATS = {fmt: suffix_of(fmt) for fmt in formats("view")}

_GEXF_DATE = re.compile(r' lastmodifieddate="[0-9-]+"')
_CHAR_REF = re.compile(r"&#(\d+);")


def _readable(xml: str) -> str:
    """Non-ASCII character references (&#27494;) as the characters themselves (UTF-8)."""
    return _CHAR_REF.sub(lambda m: chr(int(m.group(1))) if int(m.group(1)) >= 0x80 else m.group(0),
                         xml)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` when given, else from the file's suffix (one
    table for every command: :func:`kg.base.filetypes.output_format`).

    >>> format_for("seeds.gexf"), format_for("-", "json")
    ('gexf', 'json')
    """
    return output_format(path, "view", fmt)


def _sorted_copy(G: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    out.graph.update(G.graph)
    for n in sorted(G.nodes):
        out.add_node(n, **G.nodes[n])
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        out.add_edge(u, v, key=k, **d)
    return out


def export_bytes(G: nx.MultiDiGraph[str], fmt: str) -> bytes:
    """``G`` as GraphML, GEXF or node-link JSON (UTF-8), the same bytes for the same graph."""
    G = _sorted_copy(G)
    if fmt == "graphml":
        text = "\n".join(nx.generate_graphml(G, encoding="utf-8")) + "\n"
        return _readable(text).encode("utf-8")
    if fmt == "gexf":
        text = "\n".join(nx.generate_gexf(G, encoding="utf-8", version="1.2draft")) + "\n"
        return _readable(_GEXF_DATE.sub("", text)).encode("utf-8")
    if fmt == "json":
        data = json_graph.node_link_data(G, edges="edges")
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(
            "utf-8")
    raise OutputError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def write_export(G: nx.MultiDiGraph[str], path: str | Path, fmt: str | None = None) -> str:
    """Write ``G`` to ``path`` atomically; returns the format used."""
    fmt = format_for(path, fmt)
    write_atomic(path, export_bytes(G, fmt))
    return fmt


def read_export(path: str | Path, fmt: str | None = None) -> nx.MultiDiGraph[str]:
    """Read a view :func:`write_export` wrote back into networkx, as a MultiDiGraph with
    the same nodes, edges, keys and attributes (a view's edge key is its ``label``)."""
    fmt = format_for(path, fmt)
    if fmt == "graphml":
        return nx.MultiDiGraph(nx.read_graphml(path, force_multigraph=True))
    if fmt == "gexf":
        # GEXF numbers its edges; a view's edge key is its label (the predicate)
        read = nx.read_gexf(path)
        back: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        back.add_nodes_from(read.nodes(data=True))
        for u, v, d in read.edges(data=True):
            d = {k: x for k, x in d.items() if k not in ("id", "key")}
            back.add_edge(u, v, key=d.get("label"), **d)
        return back
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return nx.MultiDiGraph(
        json_graph.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
