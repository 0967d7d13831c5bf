"""The ontology files at run time: the merged graph, the shapes, and the SKOS lexicon.

The Turtle files live in the top-level folder ``ontology/`` of the project,
installed as the package ``kg.ontology_data`` (see :func:`data_dir`). Everything
here is read once per process and cached; nothing imports spaCy.

The SKOS concept schemes are the extractor's lexicon: :func:`label_index`
maps every Chinese label (``skos:prefLabel@zh`` and ``skos:altLabel@zh``) of a
scheme to its concept, so adding a synonym to the Turtle is enough to have it
recognised::

    >>> from kg.base.ontology import concept, label_index
    >>> label_index("prog")["按病种分值付费"]
    'DIP'
    >>> label_index("ind")["参保人数"]
    'InsuredPersons'
    >>> c = concept("prog", "DRG")
    >>> c.pref_zh, c.pref_en, c.broader
    ('按疾病诊断相关分组付费', 'DRG payment', ('PaymentMethodReform',))
    >>> concept("ind", "FundRevenue").canonical_unit
    'Yuan'

Schemes are named by their prefix: ``prog`` (programs), ``ind`` (indicators),
``ins`` (insurance schemes) and ``ybu`` (units).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.base import namespaces as _namespaces
from kg.base import startcache as _startcache
from kg.base.errors import OntologyError
from kg.base.namespaces import SCHEMES, YB, bind_prefixes
from kg.base.resources import data_digest, ontology_dir
from kg.base.startcache import cache_file, cache_key, read_cached, write_cached

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

__all__ = [
    "SCHEME_NAMES",
    "SHAPES_FILE",
    "Concept",
    "canonical_ontology_graph",
    "canonical_ontology_triples",
    "concept",
    "concepts",
    "data_dir",
    "label_index",
    "ontology_files",
    "ontology_graph",
    "shapes_graph",
]

#: The concept schemes, by prefix.
SCHEME_NAMES: tuple[str, ...] = tuple(SCHEMES)

#: The SHACL shapes; every other ``.ttl`` file of the folder is ontology.
SHAPES_FILE = "shapes.ttl"

#: The file that marks the ontology folder.
_MARKER = "yb.ttl"


@dataclass(frozen=True)
class Concept:
    """One SKOS concept of a scheme, as the extractor sees it.

    ``name`` is the local name (``DRG``), ``iri`` the full IRI; ``alt_labels``
    are the Chinese synonyms (sorted), ``broader`` the local names of the
    broader concepts of the same scheme (sorted), and ``canonical_unit`` the
    ``ybu:`` local name of an indicator's ``yb:canonicalUnit`` (None outside
    the ``ind`` scheme). ``gap_labels`` are the ``skos:hiddenLabel`` @zh
    phrasings written with words between their parts (``异地…结算`` finds
    跨省异地就医门诊结算); they are matched by :mod:`kg.extract.observations` only.
    """

    scheme: str
    name: str
    iri: str
    pref_zh: str
    pref_en: str
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    canonical_unit: str | None = None
    gap_labels: tuple[str, ...] = ()

    @property
    def labels_zh(self) -> tuple[str, ...]:
        """The preferred Chinese label, then the synonyms."""
        return (self.pref_zh, *self.alt_labels)


@functools.cache
def data_dir() -> Traversable:
    """The installed ``ontology/`` folder (package ``kg.ontology_data``, see
    :mod:`kg.base.resources`).

    Raises:
        OntologyError: the folder or its ``yb.ttl`` is missing (a packaging bug).
    """
    try:
        folder = ontology_dir()
    except ModuleNotFoundError as exc:
        raise OntologyError(f"ontology files not installed: {exc}") from exc
    if not folder.joinpath(_MARKER).is_file():
        raise OntologyError(f"ontology files not found: no {_MARKER} in {folder}")
    return folder


@functools.cache
def ontology_files() -> tuple[Traversable, ...]:
    """Every ``.ttl`` file of the ontology folder except the shapes, sorted by name."""
    files = sorted(
        (f for f in data_dir().iterdir() if f.name.endswith(".ttl") and f.name != SHAPES_FILE),
        key=lambda f: f.name,
    )
    return tuple(files)


def _parse(graph: Graph, file: Traversable) -> None:
    try:
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    except Exception as exc:  # rdflib raises many kinds for bad Turtle
        raise OntologyError(f"cannot read ontology file {file.name}: {exc}") from exc


@functools.cache
def ontology_graph() -> Graph:
    """The ontology and the four concept schemes, merged into one graph.

    The graph is cached and shared by every caller of the process: do not
    modify it (copy it first, e.g. ``g = Graph(); g += ontology_graph()``).
    """
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for file in ontology_files():
        _parse(graph, file)
    return graph


@functools.cache
def canonical_ontology_triples() -> tuple[tuple[Any, Any, Any], ...]:
    """The triples of :func:`ontology_graph` with its blank nodes (OWL lists) relabelled
    canonically (rdflib's ``to_canonical_graph``), in the order that graph gives them.

    The labels depend only on the triples, so serialisations that show
    blank-node labels (N-Triples, JSON-LD, TriG) are the same on every run.
    Read from the start-up cache when it is there (:func:`_compiled`).
    """
    compiled = _compiled()
    if compiled is not None:
        return compiled["canonical"]  # type: ignore[no-any-return]
    return _canonical_triples()


def _canonical_triples() -> tuple[tuple[Any, Any, Any], ...]:
    from rdflib.compare import to_canonical_graph  # lazy: only when not cached

    return tuple(to_canonical_graph(ontology_graph()))


@functools.cache
def canonical_ontology_graph() -> Graph:
    """:func:`canonical_ontology_triples` as a graph. Cached and shared: do not modify it."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    graph.addN((s, p, o, graph) for s, p, o in canonical_ontology_triples())
    return graph


@functools.cache
def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``); cached and shared: do not modify it."""
    file = data_dir().joinpath(SHAPES_FILE)
    if not file.is_file():
        raise OntologyError(f"ontology file {SHAPES_FILE} not found in {data_dir()}")
    graph = Graph()
    _parse(graph, file)
    return graph


def _scheme_iri(scheme: str) -> str:
    try:
        return str(SCHEMES[scheme])
    except KeyError:
        raise ValueError(
            f"unknown concept scheme {scheme!r} (one of: {', '.join(SCHEME_NAMES)})"
        ) from None


def _zh(literal: object) -> bool:
    return isinstance(literal, Literal) and (literal.language or "").lower().split("-")[0] == "zh"


def _en(literal: object) -> bool:
    return isinstance(literal, Literal) and (literal.language or "").lower().split("-")[0] == "en"


def _one(values: list[str], what: str) -> str:
    if len(values) != 1:
        raise OntologyError(f"{what}: expected exactly one, found {len(values)}")
    return values[0]


def _local(iri: str, namespace: str, what: str) -> str:
    if not iri.startswith(namespace) or iri == namespace:
        raise OntologyError(f"{what}: {iri} is not in {namespace}")
    return iri[len(namespace) :]


def _read_concepts(scheme: str) -> Iterator[Concept]:
    graph = ontology_graph()
    namespace = _scheme_iri(scheme)
    units = str(SCHEMES["ybu"])
    for subject in set(graph.subjects(SKOS.inScheme, URIRef(namespace))):
        iri = str(subject)
        name = _local(iri, namespace, f"concept {iri}")
        where = f"{scheme}:{name}"
        pref = list(graph.objects(subject, SKOS.prefLabel))
        alts = {str(a).strip() for a in graph.objects(subject, SKOS.altLabel) if _zh(a)}
        gaps = sorted(str(a).strip() for a in graph.objects(subject, SKOS.hiddenLabel)
                      if _zh(a))
        for gap in gaps:
            if gap.count("…") != 1 or gap.startswith("…") or gap.endswith("…"):
                raise OntologyError(f"{where} skos:hiddenLabel {gap!r}: expected A…B")
        broader = [str(b) for b in graph.objects(subject, SKOS.broader)]
        units_of = [str(u) for u in graph.objects(subject, YB.canonicalUnit)]
        pref_zh = _one([str(p).strip() for p in pref if _zh(p)], f"{where} skos:prefLabel@zh")
        pref_en = _one([str(p).strip() for p in pref if _en(p)], f"{where} skos:prefLabel@en")
        canonical_unit = None
        if scheme == "ind":
            unit = _one(units_of, f"{where} yb:canonicalUnit")
            canonical_unit = _local(unit, units, f"{where} yb:canonicalUnit")
        elif units_of:
            raise OntologyError(f"{where}: yb:canonicalUnit outside the indicator scheme")
        yield Concept(
            scheme=scheme,
            name=name,
            iri=iri,
            pref_zh=pref_zh,
            pref_en=pref_en,
            alt_labels=tuple(sorted(alts - {pref_zh, ""})),
            broader=tuple(sorted(_local(b, namespace, f"{where} skos:broader") for b in broader)),
            canonical_unit=canonical_unit,
            gap_labels=tuple(gaps),
        )


@functools.cache
def concepts(scheme: str) -> tuple[Concept, ...]:
    """Every concept of ``scheme`` (``prog``, ``ind``, ``ins`` or ``ybu``), sorted by name.

    Read from the start-up cache when it is there (:func:`_compiled`).

    Raises:
        ValueError: ``scheme`` is not one of the four.
        OntologyError: a concept lacks its prefLabel @zh or @en (or has two),
            an indicator lacks its ``yb:canonicalUnit``, or ``skos:broader``
            leaves the scheme.
    """
    _scheme_iri(scheme)  # an unknown scheme raises, cached or not
    compiled = _compiled()
    if compiled is not None:
        return compiled["concepts"][scheme]  # type: ignore[no-any-return]
    return _scheme_concepts(scheme)


def _scheme_concepts(scheme: str) -> tuple[Concept, ...]:
    found = tuple(sorted(_read_concepts(scheme), key=lambda c: c.name))
    if not found:
        raise OntologyError(f"concept scheme {scheme!r} has no concepts")
    return found


#: The shape of the ontology's start-up cache file; bumped when it changes.
COMPILED_FORMAT = 1


def compiled_key() -> str:
    """The key of the ontology's start-up cache file (:mod:`kg.base.startcache`): a hash of
    the installed data files, of this module's code and of the versions of Python and rdflib."""
    parts = [str(COMPILED_FORMAT), sys.version, rdflib.__version__, data_digest()]
    return cache_key(parts, (sys.modules[__name__], _namespaces, _startcache))


@functools.cache
def _compiled() -> dict[str, Any] | None:
    """What this module derives from the Turtle files: every scheme's concepts and the
    canonical triples, read from the start-up cache (``ontology-KEY.pickle``,
    :mod:`kg.base.startcache`), so that a warm start parses no Turtle.

    When the file is missing or broken, everything is derived here and the file written;
    when deriving fails (a broken ontology), None: each function then derives its part
    itself and raises its own error, as without the cache.
    """
    file = cache_file("ontology", compiled_key())
    data = read_cached(file, COMPILED_FORMAT)
    if (data is not None and isinstance(data.get("concepts"), dict)
            and set(data["concepts"]) == set(SCHEME_NAMES)
            and isinstance(data.get("canonical"), tuple)):
        return data
    try:
        data = {"concepts": {scheme: _scheme_concepts(scheme) for scheme in SCHEME_NAMES},
                "canonical": _canonical_triples()}
    except Exception:  # the callers derive their part again and raise
        return None
    write_cached(file, COMPILED_FORMAT, data)
    return data


@functools.cache
def _concept_map(scheme: str) -> dict[str, Concept]:
    return {c.name: c for c in concepts(scheme)}


def concept(scheme: str, name: str) -> Concept:
    """The concept ``name`` (local name, e.g. ``DRG``) of ``scheme``.

    Raises:
        ValueError: unknown scheme.
        KeyError: no such concept in the scheme.
    """
    try:
        return _concept_map(scheme)[name]
    except KeyError:
        raise KeyError(f"no concept {name!r} in scheme {scheme!r}") from None


def _index_labels(scheme: str, found: Iterable[Concept]) -> dict[str, str]:
    owner: dict[str, str] = {}
    for c in found:
        for label in c.labels_zh:
            other = owner.setdefault(label, c.name)
            if other != c.name:
                raise OntologyError(
                    f"label {label!r} of scheme {scheme!r} names two concepts: {other} and {c.name}"
                )
    return owner


@functools.cache
def _label_pairs(scheme: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_index_labels(scheme, concepts(scheme)).items()))


def label_index(scheme: str) -> dict[str, str]:
    """Every Chinese label of ``scheme`` (prefLabel and altLabels) → concept local name.

    Built once per process; each call returns a new dict, which the caller may
    change.

    Raises:
        ValueError: unknown scheme.
        OntologyError: one label names two concepts of the scheme.
    """
    return dict(_label_pairs(scheme))
