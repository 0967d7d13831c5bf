"""The network page: its own font covers every character it shows (read with fontTools),
a legend, reports named by title and region, the same page and layout on every load."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from fontTools.ttLib import TTFont
from rdflib import Graph

import kg
from kg.use.views import PAGE_TYPES, network_page, region_subgraph


@pytest.fixture(scope="module")
def wujin(seeds_graph: Graph) -> tuple[object, str]:
    G = region_subgraph(kg.to_networkx(seeds_graph, view="entities"), "320412")
    return G, network_page(G, seeds_graph, heading="武进区：机构、项目、报告与引用的政策文件")


def _data(page: str, name: str) -> list[dict[str, object]]:
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, flags=re.S)
    assert found is not None, name
    items: list[dict[str, object]] = json.loads(found.group(1))
    return items


def _font(page: str) -> TTFont:
    found = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert found is not None
    return TTFont(io.BytesIO(base64.b64decode(found.group(1))))


def test_the_embedded_font_covers_every_character_shown(wujin: tuple[object, str]) -> None:
    _, page = wujin
    cmap = set(_font(page).getBestCmap())
    shown = [str(n["label"]) + str(n["title"]) for n in _data(page, "nodes")]
    shown += [str(e["label"]) for e in _data(page, "edges")]
    legend = re.search(r'<div class="yb-legend">(.*?)</div>', page, flags=re.S)
    assert legend is not None
    shown.append(re.sub(r"<[^>]+>", "", legend.group(1)))
    shown.append("武进区：机构、项目、报告与引用的政策文件")
    chars = {c for text in shown for c in text if not c.isspace()}
    assert any("\u4e00" <= c <= "\u9fff" for c in chars)
    assert sorted(c for c in chars if ord(c) not in cmap) == []
    assert len(cmap) < 2000  # a subset, not the whole font


def test_a_legend_of_the_types_shown(wujin: tuple[object, str]) -> None:
    G, page = wujin
    types = {d["type"] for _, d in G.nodes(data=True)}  # type: ignore[attr-defined]
    legend = re.search(r'<div class="yb-legend">(.*?)</div>', page, flags=re.S)
    assert legend is not None
    for kind in types:
        colour, name = PAGE_TYPES[kind]
        assert name in legend.group(1) and colour in legend.group(1)
        assert all(n["color"] == colour for n in _data(page, "nodes")
                   if str(n["title"]).startswith(f"{kind}: "))


def test_reports_are_named_by_title_and_region(wujin: tuple[object, str]) -> None:
    _, page = wujin
    reports = [n for n in _data(page, "nodes") if str(n["title"]).startswith("Report: ")]
    assert reports
    for n in reports:
        label = str(n["label"])
        assert label.endswith("\n武进区") and ".txt" not in label
        assert not re.search(r"[0-9a-f]{12}", label)  # no file hash


@pytest.mark.slow
def test_the_page_is_the_same_on_every_load_and_fetches_nothing(
        wujin: tuple[object, str], seeds_graph: Graph) -> None:
    G, page = wujin
    again = network_page(G, seeds_graph, heading="武进区：机构、项目、报告与引用的政策文件")  # type: ignore[arg-type]
    assert again == page
    options = re.search(r"var options = (\{.*?\});\n", page, flags=re.S)
    assert options is not None and json.loads(options.group(1))["layout"]["randomSeed"] == 7
    assert "network.setOptions({ physics: false })" in page  # still once it has settled
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
