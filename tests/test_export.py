"""Export (kg.use.export, kg export): GraphML, GEXF and node-link JSON that networkx reads back."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from networkx.readwrite import json_graph
from rdflib import Graph

from kg.base.errors import OutputError
from kg.cli import main
from kg.graph.serialize import serialize
from kg.use.export import export_bytes, format_for, read_export, write_export
from kg.use.views import to_networkx

FORMATS = ("graphml", "gexf", "json")
VIEWS = ("full", "entities", "citations", "cooperation")


@pytest.fixture(scope="module")
def views(seeds_graph: Graph) -> dict[str, nx.MultiDiGraph[str]]:
    return {v: to_networkx(seeds_graph, v) for v in VIEWS}


def _plain_read(path: Path, fmt: str) -> nx.Graph[str]:
    """What networkx's own readers make of the file."""
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return json_graph.node_link_graph(data, edges="edges")


def _edges(G: nx.Graph[str]) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, d["label"]) for u, v, d in G.edges(data=True))


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_networkx_reads_back_the_same_nodes_and_edges(views: dict[str, nx.MultiDiGraph[str]],
                                                      tmp_path: Path, view: str,
                                                      fmt: str) -> None:
    G = views[view]
    assert G.number_of_edges() > 0, f"the {view} view of the seeds is empty"
    path = tmp_path / f"seeds.{fmt}"
    assert write_export(G, path) == fmt
    plain = _plain_read(path, fmt)
    assert set(plain.nodes) == set(G.nodes)
    assert _edges(plain) == _edges(G)
    for n in ("ybr:region/320412", "ybr:report/f4ee46266cae7215"):
        if n not in G:
            continue
        assert plain.nodes[n]["label"] == G.nodes[n]["label"]
        assert plain.nodes[n]["type"] == G.nodes[n]["type"]
        assert plain.nodes[n]["region"] == G.nodes[n]["region"]
    # read_export restores the multigraph exactly: keys, attributes and order
    back = read_export(path)
    assert list(back.nodes(data=True)) == list(G.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("view", ["full", "entities"])
def test_graphml_and_gexf_of_the_seeds_have_more_than_50_nodes(
        views: dict[str, nx.MultiDiGraph[str]], tmp_path: Path, fmt: str, view: str) -> None:
    path = tmp_path / f"seeds.{fmt}"
    write_export(views[view], path)
    loaded = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert loaded.number_of_nodes() > 50
    assert loaded.number_of_edges() > 50


def test_entity_view_folded_numbers_survive_graphml(views: dict[str, nx.MultiDiGraph[str]],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "e.graphml"
    write_export(views["entities"], path)
    wujin = nx.read_graphml(path).nodes["ybr:region/320412"]
    assert wujin["ind:InsuredPersons"] == 1000200.0  # typed as a double, not text
    assert isinstance(wujin["n_observations"], int) and wujin["n_observations"] > 50


def test_gexf_has_gephi_attributes(views: dict[str, nx.MultiDiGraph[str]]) -> None:
    root = ET.fromstring(export_bytes(views["entities"], "gexf"))
    ns = {"g": root.tag.split("}")[0][1:]}
    titles = {a.get("id"): a.get("title") for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", ns)}
    assert {"type", "region", "iri"} <= set(titles.values())
    wujin = next(n for n in root.iterfind(".//g:node", ns) if n.get("id") == "ybr:region/320412")
    assert wujin.get("label") == "武进区"
    values = {titles[v.get("for")]: v.get("value") for v in wujin.iterfind(".//g:attvalue", ns)}
    assert values["type"] == "Region" and values["region"] == "320412"


def test_json_is_node_link(views: dict[str, nx.MultiDiGraph[str]]) -> None:
    data = json.loads(export_bytes(views["citations"], "json"))
    assert data["directed"] is True and data["multigraph"] is True
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    edge = data["edges"][0]
    assert {"source", "target", "key", "label", "predicate"} <= set(edge)
    assert "医疗保障基金使用监督管理条例" in {n["label"] for n in data["nodes"]}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_deterministic(seeds_graph: Graph, fmt: str) -> None:
    again = Graph().parse(data=serialize(seeds_graph, "turtle").decode("utf-8"), format="turtle")
    a = export_bytes(to_networkx(seeds_graph), fmt)
    assert a == export_bytes(to_networkx(again), fmt)
    assert b"lastmodifieddate" not in a


def test_format_from_suffix_or_option() -> None:
    assert format_for("a.graphml") == "graphml"
    assert format_for("a.GEXF") == "gexf"
    assert format_for("a.view", "json") == "json"
    assert format_for("-", "gexf") == "gexf"
    with pytest.raises(OutputError, match=re.escape("a .ttl file is a Turtle graph, which kg build writes")):
        format_for("a.ttl")
    with pytest.raises(OutputError, match=re.escape("a .txt file is a report")):
        format_for("a.txt", "json")
    with pytest.raises(OutputError, match=re.escape("a .graphml file is GraphML, not gexf")):
        format_for("a.graphml", "gexf")
    with pytest.raises(OutputError, match="-o -: name the format"):
        format_for("-")
    with pytest.raises(OutputError, match="unknown format 'dot'"):
        format_for("a.dot", "dot")


def test_a_failed_write_leaves_no_file(views: dict[str, nx.MultiDiGraph[str]],
                                       tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        write_export(views["citations"], blocker / "out.gexf")
    assert blocker.read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# --- kg export --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_ttl(seeds_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "seeds.ttl"
    path.write_bytes(serialize(seeds_graph, "turtle"))
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export(seeds_ttl: Path, tmp_path: Path, fmt: str,
                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(seeds_ttl), "--to", fmt, "--view", "entities", "-o", str(out)]) == 0
    G = read_export(out)
    assert G.number_of_nodes() > 50
    assert capsys.readouterr().out.startswith(f"wrote {out} ({fmt}, entities view: ")


@pytest.mark.slow
def test_cli_export_default_name_and_full_view(seeds_ttl: Path) -> None:
    assert main(["export", str(seeds_ttl), "--to", "graphml"]) == 0
    path = seeds_ttl.with_name("seeds.full.graphml")
    assert nx.read_graphml(path).number_of_nodes() > 1000


def test_cli_export_one_region(seeds_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "wujin.json"
    assert main(["export", str(seeds_ttl), "--to", "json", "--view", "entities",
                 "--region", "320412", "-o", str(out)]) == 0
    G = read_export(out)
    assert "ybr:region/320412" in G and "ybr:region/540100" not in G


def test_cli_export_errors(seeds_ttl: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(seeds_ttl), "--to", "json", "--region", "320412",
                 "-o", str(tmp_path / "x.json")]) == 4
    assert main(["export", str(tmp_path / "none.ttl"), "--to", "json"]) == 5
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "kg: --region works on the entities view (add --view entities)"
    assert err[1].startswith("kg: ") and "none.ttl" in err[1]
    assert not (tmp_path / "x.json").exists()
