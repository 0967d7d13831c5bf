"""SHACL validation of a built graph against the shapes in ``ontology/shapes.ttl``.

A small graph is validated whole by pySHACL. A large one is validated in
parts (:func:`parts`), in ``jobs`` worker processes: pySHACL's time grows
faster than the graph (its SPARQL constraints over all regions and
statements, its copy of the data graph), while every shape here looks at a
node, its values, and their types or their own values (two steps). So each
part is a run of subjects (by IRI: a report's observations, evidence and
statements stay together; the vocabulary, whose SPARQL constraints compare
concepts with each other, is one part) with their triples and, as context,
the triples of every node they point at and the types of what those point
at; of pySHACL's results on that graph, those about the part's own subjects
and about the shapes' target nodes (whose SPARQL constraints see the part)
are kept. The results of all parts, without repeats, are the whole graph's
(the tests compare the two on the seeds, faults included).

``engine="rudof"`` (``kg validate --engine rudof``, the ``fast-validate`` extra)
runs pyrudof, a SHACL engine written in Rust, on the same whole graph or parts,
with the ontology's triples beside the data as pySHACL's ``ont_graph`` puts
them: the same results (severity, node, property) on the seeds and on graphs
with faults planted in them (the tests compare the two), in a fraction of the
time (``BENCHMARKS.md``). Its words may differ where a shape's message is not
carried (sh:lessThan), and where pySHACL also reports the fault inside a node a
value must conform to (an indicator that is no concept of the scheme), rudof
reports the value's owner only.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.base.errors import MissingDependencyError
from kg.base.namespaces import YBR
from kg.base.ontology import ontology_graph, shapes_graph

#: A graph of more triples than this is validated in parts.
WHOLE_MAX = 60_000
#: Subjects per part.
PART_SUBJECTS = 5_000


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words."""

    severity: str
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    """Whether the graph conforms (warnings allowed), and every result."""

    conforms: bool
    results: tuple[Violation, ...]

    @property
    def violations(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    def text(self, limit: int = 50) -> str:
        """A readable report: a summary line, then one line per result (up to ``limit``)."""
        counts = Counter(r.severity for r in self.results)
        head = "conforms" if self.conforms else "does NOT conform"
        summary = ", ".join(f"{n} {sev.lower()}(s)" for sev, n in sorted(counts.items()))
        lines = [f"{head}: {summary or 'no results'}"]
        ordered = sorted(self.results, key=lambda r: (r.severity != "Violation", r.path, r.focus))
        for r in ordered[:limit]:
            lines.append(f"  [{r.severity}] {r.focus} {r.path}: {r.message}")
        if len(ordered) > limit:
            lines.append(f"  … and {len(ordered) - limit} more")
        return "\n".join(lines)


def _local(term: object) -> str:
    s = str(term)
    return s.rsplit("#", 1)[-1] if "#" in s else s


Triple = tuple[Any, Any, Any]


def _results(report: Graph) -> list[Violation]:
    results = []
    for res in report.subjects(SH.resultSeverity, None):
        sev = report.value(res, SH.resultSeverity)
        path = report.value(res, SH.resultPath)
        msg = report.value(res, SH.resultMessage)
        focus = report.value(res, SH.focusNode)
        results.append(Violation(
            severity=_local(sev) if isinstance(sev, URIRef) else str(sev),
            focus=str(focus),
            path=str(path) if path is not None else "",
            message=str(msg) if msg is not None else "",
        ))
    return results


def _shacl(data: Graph) -> list[Violation]:
    """pySHACL on ``data`` (ontology given as ``ont_graph``, warnings allowed)."""
    _conforms, report, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    return _results(report)


def _report(results: Iterable[Violation]) -> ValidationReport:
    found = sorted(set(results), key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ValidationReport(all(r.severity != "Violation" for r in found), tuple(found))


def _index(triples: Iterable[Triple]) -> dict[Any, list[Triple]]:
    out: dict[Any, list[Triple]] = {}
    for t in triples:
        out.setdefault(t[0], []).append(t)
    return out


def parts(index: dict[Any, list[Triple]], size: int = PART_SUBJECTS) -> list[list[Any]]:
    """The subjects of ``index`` in parts: the vocabulary (subjects outside ``ybr:``,
    blank nodes) as one, the instances by IRI, ``size`` at a time."""
    ybr = str(YBR)
    vocabulary = [s for s in index if isinstance(s, BNode) or not str(s).startswith(ybr)]
    instances = sorted(s for s in index if isinstance(s, URIRef) and str(s).startswith(ybr))
    return [vocabulary, *(instances[i:i + size] for i in range(0, len(instances), size))]


def part_graph(index: dict[Any, list[Triple]], subjects: Iterable[Any]) -> Graph:
    """The triples of ``subjects``, of every node they point at, and the types of
    what those point at."""
    g = Graph(bind_namespaces="none")
    near: set[Any] = set()
    for s in subjects:
        for t in index[s]:
            g.add(t)
            if not isinstance(t[2], Literal):
                near.add(t[2])
    far: set[Any] = set()
    for node in near:
        for t in index.get(node, ()):
            g.add(t)
            if not isinstance(t[2], Literal):
                far.add(t[2])
    for node in far - near:
        for t in index.get(node, ()):
            if t[1] == RDF.type or isinstance(t[2], BNode):
                g.add(t)
    return g


#: What the worker processes validate: set before they start (they inherit it).
_WORK: tuple[dict[Any, list[Triple]], list[list[Any]], list[Any], str] | None = None


def _validate_part(i: int) -> list[Violation]:
    """pySHACL on part ``i`` (every node of its graph), keeping the results about
    the part's own subjects and the shapes' target nodes: the nodes around them
    are there as context, and validated in their own part."""
    assert _WORK is not None
    index, subject_parts, targets, engine = _WORK
    subjects = subject_parts[i]
    keep = {str(s) for s in subjects} | {str(t) for t in targets}
    check = _rudof if engine == "rudof" else _shacl
    return [r for r in check(part_graph(index, subjects)) if r.focus in keep]


#: The SHACL engines ``validate`` can run.
ENGINES = ("pyshacl", "rudof")


def _literal_text(term: str) -> str:
    """The lexical form of a term pyrudof writes as N-Triples (``"text"@en`` → text)."""
    if term.startswith('"'):
        return term[1:term.rfind('"')] if term.rfind('"') > 0 else term[1:]
    return term


def _turtle_lines(graph: Graph) -> str:
    """The triples of ``graph``, one Turtle statement a line (no prefixes, no grouping:
    each term as rdflib writes it alone, much faster than a serializer)."""
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ."
                     for s, p, o in graph.triples((None, None, None)))


@functools.cache
def _ontology_lines() -> str:
    return _turtle_lines(ontology_graph())


@functools.cache
def _shapes_text() -> str:
    return shapes_graph().serialize(format="turtle")


def _rudof(graph: Graph) -> list[Violation]:
    """pyrudof on ``graph`` with the ontology's triples beside it, in one pass."""
    try:
        import pyrudof  # optional (the fast-validate extra); a compiled engine
    except ImportError:
        raise MissingDependencyError(
            "kg validate --engine rudof needs pyrudof: pip install 'yibao-kg[fast-validate]'"
        ) from None
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(_turtle_lines(graph), pyrudof.RDFFormat.Turtle)
    rudof.read_data(_ontology_lines(), pyrudof.RDFFormat.Turtle)
    rudof.read_shacl(_shapes_text())
    return [Violation(severity=_local(str(v.severity)), focus=_literal_text(str(v.focus_node)),
                      path=str(v.path) if v.path is not None else "",
                      message=_literal_text(str(v.message)) if v.message is not None else "")
            for v in rudof.validate_shacl().violations]


def validate(graph: Graph, jobs: int = 1, *, whole_max: int = WHOLE_MAX,
             part_subjects: int = PART_SUBJECTS, engine: str = "pyshacl") -> ValidationReport:
    """Validate ``graph`` with pySHACL: whole when it holds up to ``whole_max``
    triples, else in parts of ``part_subjects`` subjects (see the module's
    docstring), in ``jobs`` processes (0: one per CPU); ``engine="rudof"`` runs
    pyrudof instead of pySHACL, on the same parts."""
    global _WORK
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (one of: {', '.join(ENGINES)})")
    triples = list(graph.triples((None, None, None)))
    if len(triples) <= whole_max:
        return _report((_rudof if engine == "rudof" else _shacl)(_memory(triples)))
    index = _index(triples)
    del triples
    shapes = shapes_graph()
    ontology_graph()  # read before the workers start: they inherit it
    targets = sorted(set(shapes.objects(None, SH.targetNode)), key=str)
    subject_parts = parts(index, part_subjects)
    jobs = jobs or os.cpu_count() or 1
    if engine == "rudof" and "pyrudof" in sys.modules:
        # pyrudof's threads, once started in this process, do not survive a fork: the
        # workers would wait forever. A process that has not validated yet forks freely.
        jobs = 1
    _WORK = (index, subject_parts, targets, engine)
    try:
        if jobs == 1 or len(subject_parts) == 1:
            found = [r for i in range(len(subject_parts)) for r in _validate_part(i)]
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                found = [r for rs in pool.map(_validate_part, range(len(subject_parts)))
                         for r in rs]
    finally:
        _WORK = None
    return _report(found)


def _memory(triples: Iterable[Triple]) -> Graph:
    g = Graph(bind_namespaces="none")
    for t in triples:
        g.add(t)
    return g
