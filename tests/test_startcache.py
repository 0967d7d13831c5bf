"""The start-up cache (``kg.base.startcache``) as the ontology uses it: the concepts and
the canonical triples read from disk are those derived from the Turtle."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from kg.base import ontology
from kg.base.startcache import cache_file, cache_key, read_cached, write_cached
from tests.process_helpers import run_fresh


def _terms(triples: object) -> list[tuple[object, ...]]:
    """Each term with its type and, for a literal, its lexical form, language and datatype."""
    out = []
    for t in triples:  # type: ignore[attr-defined]
        out.append(tuple((type(x), str(x), x.language, x.datatype) if isinstance(x, Literal)
                         else (type(x), str(x)) for x in t))
    return out


def test_the_cached_ontology_is_the_derived_one() -> None:
    compiled = ontology._compiled()
    assert compiled is not None
    file = cache_file("ontology", ontology.compiled_key())
    read = read_cached(file, ontology.COMPILED_FORMAT)
    assert read is not None
    derived = ontology._canonical_triples()
    # the same triples, term for term (in an order that varies from process to
    # process, as rdflib's canonicalisation gives them: every output sorts them)
    assert sorted(_terms(read["canonical"]), key=repr) == sorted(_terms(derived), key=repr)
    assert set(ontology.canonical_ontology_graph()) == set(derived)
    for scheme in ontology.SCHEME_NAMES:
        assert read["concepts"][scheme] == ontology._scheme_concepts(scheme)
        assert ontology.concepts(scheme) == ontology._scheme_concepts(scheme)


def test_the_key_follows_the_code_and_the_parts() -> None:
    assert cache_key(["a"]) == cache_key(["a"]) != cache_key(["b"])
    assert cache_key(["a"], [ontology]) != cache_key(["a"])


def test_a_broken_or_foreign_file_reads_as_none(tmp_path: Path) -> None:
    file = tmp_path / "x-1.pickle"
    file.write_bytes(b"not a pickle")
    assert read_cached(file, 1) is None
    write_cached(file, 2, {"a": 1})
    assert read_cached(file, 1) is None and read_cached(file, 2) == {"format": 2, "a": 1}
    assert not list(tmp_path.glob(".*.tmp"))


#: Prints the number of concepts and canonical triples; argv[1] = "cached" forbids
#: reading the Turtle (everything must come from the cache).
_START = """
import sys
import kg.base.ontology as o
if sys.argv[1] == "cached":
    def forbidden(*args, **kwargs):
        raise AssertionError("parsed anew")
    o._parse = forbidden
print(sum(len(o.concepts(s)) for s in o.SCHEME_NAMES), len(o.canonical_ontology_triples()))
"""


def _start(mode: str, cache: Path) -> str:
    return run_fresh(_START, mode, cache)


def test_the_ontology_is_cached_across_processes_and_rebuilt(tmp_path: Path) -> None:
    built = _start("build", tmp_path)
    (file,) = tmp_path.glob("ontology-*.pickle")
    written = file.read_bytes()
    assert _start("cached", tmp_path) == built
    assert file.read_bytes() == written
    file.write_bytes(b"not a pickle")
    assert _start("build", tmp_path) == built
    assert _start("cached", tmp_path) == built
