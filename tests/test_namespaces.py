"""kg.base.namespaces is in step with ontology/*.ttl, and the code only names defined terms."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph, URIRef

from kg.base import namespaces
from kg.base.namespaces import IND, INS, PREFIXES, PROG, SCHEMES, YB, YBR, YBU, bind_prefixes
from kg.base.ontology import data_dir, ontology_files

if TYPE_CHECKING:  # not at run time: pytest would probe the class for mock attributes
    from rdflib.namespace import DefinedNamespace

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"

#: Our closed vocabularies, by the name the code uses for them.
VOCABULARIES: dict[str, type[DefinedNamespace]] = {
    "YB": YB,
    "IND": IND,
    "PROG": PROG,
    "INS": INS,
    "YBU": YBU,
}

EXPECTED_IRIS = {
    "YB": "https://w3id.org/yibao-kg/ontology#",
    "IND": "https://w3id.org/yibao-kg/indicator/",
    "PROG": "https://w3id.org/yibao-kg/program/",
    "INS": "https://w3id.org/yibao-kg/insurance/",
    "YBU": "https://w3id.org/yibao-kg/unit/",
}


def _terms(vocabulary: type[DefinedNamespace]) -> set[str]:
    return {name for name in vocabulary.__annotations__ if not name.startswith("_")}


def _turtle(name: str) -> Graph:
    return Graph().parse(
        data=data_dir().joinpath(name).read_text(encoding="utf-8"), format="turtle"
    )


def _defined(graph: Graph, namespace: str) -> set[str]:
    """Local names of the IRIs of ``namespace`` that are subjects in ``graph``."""
    return {
        str(s)[len(namespace) :]
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(namespace) and str(s) != namespace
    }


def _used(graph: Graph, namespace: str) -> set[str]:
    """Local names of the IRIs of ``namespace`` in any position of ``graph``."""
    return {
        str(t)[len(namespace) :]
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(namespace) and str(t) != namespace
    }


def test_namespace_iris() -> None:
    for name, vocabulary in VOCABULARIES.items():
        assert str(vocabulary) == EXPECTED_IRIS[name]
        assert PREFIXES[name.lower()] == EXPECTED_IRIS[name]
    assert str(YBR) == "https://w3id.org/yibao-kg/id/"
    assert {k: str(v) for k, v in SCHEMES.items()} == {
        "prog": EXPECTED_IRIS["PROG"],
        "ind": EXPECTED_IRIS["IND"],
        "ins": EXPECTED_IRIS["INS"],
        "ybu": EXPECTED_IRIS["YBU"],
    }


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_defined_term_is_an_attribute_and_vice_versa(name: str) -> None:
    vocabulary = VOCABULARIES[name]
    graph = Graph()
    for file in ontology_files():
        graph += _turtle(file.name)
    defined = _defined(graph, str(vocabulary))
    assert defined, f"nothing defined in {vocabulary}"
    assert _terms(vocabulary) == defined


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_term_used_in_the_turtle_is_defined(name: str) -> None:
    """Shapes and cross-references (yb:canonicalUnit ybu:…) may not name undefined terms."""
    vocabulary = VOCABULARIES[name]
    files = [f.name for f in ontology_files()] + ["shapes.ttl"]
    for file in files:
        unknown = _used(_turtle(file), str(vocabulary)) - _terms(vocabulary)
        assert not unknown, f"{file} uses undefined {name} terms: {sorted(unknown)}"


def test_prefixes_in_the_turtle_match() -> None:
    for file in [f.name for f in ontology_files()] + ["shapes.ttl"]:
        bound = dict(_turtle(file).namespace_manager.namespaces())
        for prefix in ("yb", "ind", "prog", "ins", "ybu"):
            if prefix in bound:
                assert str(bound[prefix]) == PREFIXES[prefix], (file, prefix)


def test_vocabularies_are_closed() -> None:
    assert YB.Report == URIRef(EXPECTED_IRIS["YB"] + "Report")
    assert YB["partOf"] == YB.partOf
    assert PROG.DRG in PROG
    for vocabulary in VOCABULARIES.values():
        with pytest.raises(AttributeError):
            _ = vocabulary.NoSuchTerm
        with pytest.raises(AttributeError):
            _ = vocabulary["NoSuchTerm"]


def test_jsonld_context() -> None:
    context = YBU.as_jsonld_context("ybu")["@context"]
    assert context["ybu"] == EXPECTED_IRIS["YBU"]
    assert context["Yuan"] == "ybu:Yuan"


def test_bind_prefixes() -> None:
    g = bind_prefixes(Graph(bind_namespaces="none"))
    assert g.namespace_manager.qname(IND.Fines) == "ind:Fines"
    assert g.namespace_manager.qname(YB.partOf) == "yb:partOf"
    assert dict(g.namespace_manager.namespaces())["ybr"] == URIRef(str(YBR))


def test_standard_namespaces_are_reexported() -> None:
    for name in ("DCTERMS", "SKOS", "RDF", "RDFS", "XSD", "ORG", "PROV", "SH", "OWL"):
        assert name in namespaces.__all__
        assert getattr(namespaces, name) is not None


# ---------------------------------------------------------------------------
# Every YB.x, IND.x, PROG.x, INS.x, YBU.x (and YB["x"]) in kg/**/*.py is defined.
# ---------------------------------------------------------------------------


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name → vocabulary name, for our five names and their import aliases."""
    names = {name: name for name in VOCABULARIES}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("kg.base.namespaces", "namespaces"):
            for alias in node.names:
                if alias.name in VOCABULARIES:
                    names[alias.asname or alias.name] = alias.name
    return names


def _vocabulary_of(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The vocabulary an expression names: ``YB``, ``Y`` (alias), ``namespaces.YB``."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr in VOCABULARIES:
        return node.attr
    return None


def _term_uses(source: str) -> list[tuple[int, str, str]]:
    """(line, vocabulary, term) for every attribute or constant-key access of a vocabulary."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            vocabulary = _vocabulary_of(node.value, aliases)
            if vocabulary and not node.attr.startswith("_") and node.attr != "as_jsonld_context":
                uses.append((node.lineno, vocabulary, node.attr))
        elif isinstance(node, ast.Subscript):
            vocabulary = _vocabulary_of(node.value, aliases)
            key = node.slice
            if vocabulary and isinstance(key, ast.Constant) and isinstance(key.value, str):
                uses.append((node.lineno, vocabulary, key.value))
    return uses


def test_term_scanner_finds_attribute_and_subscript_uses() -> None:
    source = (
        "from kg.base.namespaces import PROG as P, YB\n"
        "from kg.base import namespaces\n"
        "a = YB.Report\n"
        "b = P.DRG\n"
        'c = YB["partOf"]\n'
        "d = namespaces.IND.Fines\n"
        "e = YB[name]\n"
        "f = YB._NS\n"
    )
    assert sorted(_term_uses(source)) == [
        (3, "YB", "Report"),
        (4, "PROG", "DRG"),
        (5, "YB", "partOf"),
        (6, "IND", "Fines"),
    ]


def test_code_names_only_defined_terms() -> None:
    """Scans whatever modules exist now; a module that does not parse is skipped."""
    problems = []
    scanned = 0
    for path in sorted(KG.rglob("*.py")):
        try:
            source = path.read_text(encoding="utf-8")
            uses = _term_uses(source)
        except (SyntaxError, UnicodeDecodeError, ValueError) as exc:
            warnings.warn(f"not scanned: {path.relative_to(ROOT)}: {exc}", stacklevel=1)
            continue
        scanned += 1
        for line, vocabulary, term in uses:
            if term not in _terms(VOCABULARIES[vocabulary]):
                problems.append(
                    f"{path.relative_to(ROOT)}:{line}: {vocabulary}.{term} is not defined"
                )
    assert scanned >= 3  # at least errors, namespaces and ontology
    assert not problems, "\n".join(problems)
