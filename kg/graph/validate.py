"""SHACL validation of a built graph against the shapes in ``ontology/shapes.ttl``.

A small graph is validated whole. A large one is validated in parts
(:func:`parts`), in ``jobs`` worker processes: the engines' time and memory
grow faster than the graph, while every shape here looks at a node, its
values, and their types or their own values. So each part is a run of
subjects (a report and the nodes minted under it together, by their IRIs; the
vocabulary, whose SPARQL constraints compare concepts with each other, as one
part) with their triples and, as context, what the shapes read of the nodes
they point at (:func:`context_predicates`: a value's type for ``sh:class``, a
concept's scheme for ``sh:node``, a parent region's level, and so on down the
shapes' nesting), and, for a statement, the triple it describes (a SPARQL
constraint looks for it). Of the results on that graph, those about the
part's context nodes are dropped (each is validated in its own part); the
results of all parts, without repeats, are the whole graph's (the tests
compare the two on the seeds, faults included).

The parts are built from text, never from rdflib terms: every triple is held
as one N-Triples line, in one block per subject. :func:`validate_file` reads a
graph file as a stream with pyoxigraph (no store, no rdflib graph: about 3 s
for 775,000 triples); :func:`validate` takes an rdflib graph. The workers are
forked before the graph is read and are sent each part's text, so the graph
is held once, by the parent.

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

import contextlib
import dataclasses
import functools
import multiprocessing
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.base.errors import GraphLoadError, MissingDependencyError
from kg.base.namespaces import YBR
from kg.base.ontology import ontology_graph, shapes_graph

#: A graph of more triples than this is validated in parts.
WHOLE_MAX = 60_000
#: Subjects per part.
#: Subjects per part: the engines' memory grows with a part (pyrudof: about 400 MB
#: for 2,000 subjects, 900 MB for 5,000), their time hardly depends on its size.
PART_SUBJECTS = 2_000


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


# --- what the shapes read around a node ---------------------------------------------------

_NESTED = (SH.node, SH["not"], SH.qualifiedValueShape)
_NESTED_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def context_predicates(shapes: Graph) -> tuple[frozenset[str], ...]:
    """What the shapes read of the nodes around a focus node: item ``d`` holds the
    predicates (N-Triples form) read of the nodes ``d + 1`` steps away. A property
    shape reads its path of the node it is applied to, and its value constraints read
    the values: ``sh:class`` their ``rdf:type`` (the classes' hierarchy is in the
    ontology, beside every part), ``sh:node``, ``sh:property``,
    ``sh:and``/``sh:or``/``sh:xone``/``sh:not`` and ``sh:qualifiedValueShape`` what
    their own shapes read. Raises ValueError where parts cannot hold what a shape
    reads (a path of several steps, an inverse path, ``sh:targetObjectsOf``): such
    shapes need the whole graph, and :func:`validate_terms` then validates it whole.

        >>> from kg.base.ontology import shapes_graph
        >>> near = context_predicates(shapes_graph())[0]
        >>> "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in near
        True
    """
    reads: dict[int, set[str]] = {}
    seen: set[tuple[Any, int]] = set()

    def node_constraints(shape: Any, depth: int) -> None:
        if (shape, depth) in seen:
            return
        seen.add((shape, depth))
        if (shape, SH["class"], None) in shapes:
            reads.setdefault(depth, set()).add(RDF.type.n3())
        for child in shapes.objects(shape, SH.property):
            applied(child, depth)
        for key in _NESTED:
            for child in shapes.objects(shape, key):
                applied(child, depth)
        for key in _NESTED_LISTS:
            for members in shapes.objects(shape, key):
                for child in Collection(shapes, members):
                    applied(child, depth)

    def applied(shape: Any, depth: int) -> None:
        """``shape`` validated on a node ``depth`` steps from the focus node."""
        path = shapes.value(shape, SH.path)
        if path is None:
            node_constraints(shape, depth)
            return
        if not isinstance(path, URIRef):
            raise ValueError(f"a path of several steps ({path.n3()}) reads beyond a part: "
                             "validate the graph whole (whole_max)")
        reads.setdefault(depth, set()).add(path.n3())
        node_constraints(shape, depth + 1)

    if (None, SH.targetObjectsOf, None) in shapes:
        raise ValueError("sh:targetObjectsOf validates nodes where they are pointed at, "
                         "outside their own part: validate the graph whole (whole_max)")
    for key in _TARGETS:
        for shape in set(shapes.subjects(key, None)):
            applied(shape, 0)
    deepest = max(reads, default=0)
    return tuple(frozenset(reads.get(d, ())) for d in range(1, deepest + 1))


# --- the graph as text, by subject ----------------------------------------------------------

_SUBJECT, _PREDICATE, _OBJECT = _REIFICATION = tuple(
    t.n3() for t in (RDF.subject, RDF.predicate, RDF.object))


@dataclass(frozen=True, slots=True)
class Node:
    """A subject's triples as N-Triples lines, and what validating the
    nodes around it needs of it."""

    #: Its triples, one statement a line (UTF-8: most of a line is an ASCII IRI).
    lines: bytes
    #: The IRIs and blank nodes it points at.
    links: tuple[str, ...]
    #: (predicate, object) of its triples whose predicate a shape may read of it as
    #: another node's value.
    context: tuple[tuple[str, str], ...]
    #: For an rdf:Statement, the statement of the triple it describes.
    describes: str | None


Index = dict[str, Node]
#: One triple, its terms in N-Triples form.
Terms = tuple[str, str, str]


def index(triples: Iterable[Terms], wanted: frozenset[str]) -> Index:
    """The triples, by subject (each subject's triples joined in one block as they
    come; a subject that comes back adds a block), keeping for the context the
    triples of the predicates in ``wanted``. Every name (IRI, blank
    node) is held once, however many triples use it."""
    out: Index = {}
    names: dict[str, str] = {}
    name = names.setdefault
    subject: str | None = None
    lines: list[str] = []
    links: list[str] = []
    context: list[tuple[str, str]] = []
    reified: dict[str, dict[str, str]] = {}

    def close() -> None:
        if subject is None:
            return
        node = Node("\n".join(lines).encode("utf-8"), tuple(links), tuple(context), None)
        before = out.get(subject)
        if before is not None:
            node = Node(before.lines + b"\n" + node.lines, before.links + node.links,
                        before.context + node.context, None)
        out[subject] = node

    for s, p, o in triples:
        if s != subject:
            close()
            subject, lines, links, context = name(s, s), [], [], []
        lines.append(f"{s} {p} {o} .")
        if o[0] != '"':
            o = name(o, o)
            links.append(o)
        if p in wanted:
            context.append((name(p, p), o))
        if p in _REIFICATION:
            reified.setdefault(s, {})[p] = o
    close()
    for s, terms in reified.items():
        if len(terms) == 3:
            described = f"{terms[_SUBJECT]} {terms[_PREDICATE]} {terms[_OBJECT]} ."
            out[s] = dataclasses.replace(out[s], describes=described)
    return out


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _ntriples(term: Any) -> str:
    """An rdflib term in N-Triples form (rdflib's ``n3`` writes a literal of several
    lines between triple quotes, which only Turtle reads).

        >>> _ntriples(Literal('两行\\n"文字"', lang="zh"))
        '"两行\\\\n\\\\"文字\\\\""@zh'
    """
    if not isinstance(term, Literal):
        return str(term.n3())
    text = '"' + str(term).translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    return text if term.datatype is None else f"{text}^^<{term.datatype}>"


def graph_terms(graph: Graph) -> Iterator[Terms]:
    """The triples of an rdflib graph, each term in N-Triples form."""
    for s, p, o in graph.triples((None, None, None)):
        yield _ntriples(s), _ntriples(p), _ntriples(o)


def file_terms(path: str | Path) -> Iterator[Terms]:
    """The triples of a graph file (its format from its suffix; Turtle by default),
    read as a stream by pyoxigraph; the triples of every graph of a dataset. Raises
    :class:`GraphLoadError` naming the file."""
    import pyoxigraph as ox  # lazy: the rdflib path does not need it

    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such graph file")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) or ox.RdfFormat.TURTLE
    try:
        for t in ox.parse(path=str(path), format=fmt):
            yield str(t.subject), str(t.predicate), str(t.object)
    except (SyntaxError, ValueError, OSError) as exc:
        detail = " ".join(str(exc).split())
        raise GraphLoadError(f"{path}: cannot parse as {fmt.name.lower()} ({detail})") from exc


def _report_scope(name: str) -> str | None:
    """The report a node's IRI is minted under: ``ybr:{kind}/{report}/{…}`` (an
    observation's, an evidence node's) gives the report's hash; other IRIs none."""
    rest = name.partition("/id/")[2].partition("/")[2]
    report, slash, _ = rest.partition("/")
    return report if slash else None


def _order(nodes: Index, subject: str) -> tuple[str, str]:
    """Where ``subject`` goes among the instances: ``ybr:{kind}/{rest}`` by ``rest``,
    so that a report (``report/{hash}``) and the nodes minted under it fall together;
    a node minted under no report (a statement) with the first such node it points at
    (its evidence), so that a part holds whole reports and few nodes come along as
    context."""
    rest = subject.partition("/id/")[2].partition("/")[2]
    if _report_scope(subject) is None:
        scopes = sorted(filter(None, map(_report_scope, nodes[subject].links)))
        if scopes:
            return scopes[0], subject
    return rest, subject


def parts(nodes: Index, size: int = PART_SUBJECTS) -> list[list[str]]:
    """The subjects of ``nodes`` in parts: the vocabulary (subjects outside ``ybr:``,
    blank nodes) as one, the instances report by report (:func:`_order`), ``size`` at
    a time."""
    ybr = f"<{YBR}"
    vocabulary = [s for s in nodes if not s.startswith(ybr)]
    instances = sorted((s for s in nodes if s.startswith(ybr)),
                       key=functools.partial(_order, nodes))
    return [vocabulary, *(instances[i:i + size] for i in range(0, len(instances), size))]


def part_text(nodes: Index, subjects: Iterable[str],
              reads: tuple[frozenset[str], ...]) -> tuple[str, set[str]]:
    """The N-Triples of ``subjects`` with their context (see the module's docstring),
    and the context's nodes that are none of ``subjects``."""
    own = set(subjects)
    blocks: list[bytes] = []
    frontier: set[str] = set()
    for s in own:
        node = nodes[s]
        blocks.append(node.lines)
        frontier.update(node.links)
        if node.describes is not None:
            subject = nodes.get(node.describes.split(" ", 1)[0])
            described = node.describes.encode("utf-8")
            if subject is not None and described in subject.lines.split(b"\n"):
                blocks.append(described)
    frontier -= own
    around: set[str] = set(frontier)
    for wanted in reads:
        reached: set[str] = set()
        for name in frontier:
            near = nodes.get(name)
            if near is None:
                continue
            for p, o in near.context:
                if p in wanted:
                    blocks.append(f"{name} {p} {o} .".encode())
                    if o[0] != '"':
                        reached.add(o)
        frontier = reached - own
        around |= frontier
    return b"\n".join(blocks).decode("utf-8"), around


def _bare(term: str) -> str:
    """A term's string as rdflib's ``str`` gives it (an IRI without its brackets)."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return term[2:] if term.startswith("_:") else term


def _literal_text(term: str) -> str:
    """The lexical form of a term pyrudof writes as N-Triples (``"text"@en`` → text)."""
    if term.startswith('"'):
        return term[1:term.rfind('"')] if term.rfind('"') > 0 else term[1:]
    return term


@functools.cache
def _ontology_lines() -> str:
    return "\n".join(f"{s} {p} {o} ." for s, p, o in graph_terms(ontology_graph()))


@functools.cache
def _shapes_text() -> str:
    return shapes_graph().serialize(format="turtle")


def _rudof(text: str) -> list[Violation]:
    """pyrudof on the N-Triples ``text`` with the ontology's triples beside it, in one pass."""
    try:
        import pyrudof  # optional (the fast-validate extra); a compiled engine
    except ImportError:
        raise MissingDependencyError(
            "kg validate --engine rudof needs pyrudof: pip install 'yibao-kg[fast-validate]'"
        ) from None
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    # strict: a statement rudof cannot read raises instead of being skipped
    rudof.read_data(text, pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_data(_ontology_lines(), pyrudof.RDFFormat.NTriples, merge=True)
    rudof.read_shacl(_shapes_text())
    return [Violation(severity=_local(str(v.severity)), focus=_literal_text(str(v.focus_node)),
                      path=str(v.path) if v.path is not None else "",
                      message=_literal_text(str(v.message)) if v.message is not None else "")
            for v in rudof.validate_shacl().violations]


def _pyshacl_text(text: str) -> list[Violation]:
    """pySHACL on the N-Triples ``text``."""
    data = Graph(bind_namespaces="none")
    data.parse(data=text, format="nt")
    return _shacl(data)


#: The SHACL engines ``validate`` can run, each on a part's N-Triples.
_ENGINES: dict[str, Callable[[str], list[Violation]]] = {
    "pyshacl": _pyshacl_text, "rudof": _rudof}
ENGINES = tuple(_ENGINES)
#: What a part-by-part validation shows its progress with: it wraps the parts (an
#: iterable and its length), as ``tqdm`` does.
Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def default_engine() -> str:
    """``rudof`` where pyrudof is installed (the ``fast-validate`` extra), else ``pyshacl``."""
    import importlib.util

    return "rudof" if importlib.util.find_spec("pyrudof") is not None else "pyshacl"


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r} (one of: {', '.join(ENGINES)})")


def validate(graph: Graph, jobs: int = 1, *, whole_max: int = WHOLE_MAX,
             part_subjects: int = PART_SUBJECTS, engine: str = "pyshacl",
             progress: Progress | None = None) -> ValidationReport:
    """Validate ``graph``: whole when it holds up to ``whole_max`` triples, else in
    parts of ``part_subjects`` subjects (see the module's docstring), in ``jobs``
    processes (0: one per CPU); ``engine="rudof"`` runs pyrudof instead of pySHACL."""
    _check_engine(engine)
    if len(graph) <= whole_max:
        if engine == "pyshacl":
            return _report(_shacl(graph))
        return _report(_rudof("\n".join(f"{s} {p} {o} ." for s, p, o in graph_terms(graph))))
    return validate_terms(graph_terms(graph), jobs, whole_max=whole_max,
                          part_subjects=part_subjects, engine=engine, progress=progress)


def validate_file(path: str | Path, jobs: int = 1, *, whole_max: int = WHOLE_MAX,
                  part_subjects: int = PART_SUBJECTS, engine: str = "pyshacl",
                  progress: Progress | None = None) -> ValidationReport:
    """:func:`validate` of a graph file, read as a stream (:func:`file_terms`)."""
    _check_engine(engine)
    return validate_terms(file_terms(path), jobs, whole_max=whole_max,
                          part_subjects=part_subjects, engine=engine, progress=progress)


def validate_terms(triples: Iterable[Terms], jobs: int = 1, *, whole_max: int = WHOLE_MAX,
                   part_subjects: int = PART_SUBJECTS, engine: str = "pyshacl",
                   progress: Progress | None = None) -> ValidationReport:
    """:func:`validate` of triples given as N-Triples terms.

    With ``jobs`` > 1 the workers are forked first, while this process is small, and
    are sent each part's N-Triples as they become free (two parts each at most in
    flight): they never hold the index, and it is never copied into them."""
    _check_engine(engine)
    shapes = shapes_graph()
    try:
        reads: tuple[frozenset[str], ...] | None = context_predicates(shapes)
    except ValueError:  # shapes that read beyond a part: the whole graph, however large
        reads = None
    targets = frozenset(str(t) for t in shapes.objects(None, SH.targetNode))
    check = _ENGINES[engine]
    jobs = jobs or os.cpu_count() or 1
    if engine == "rudof" and "pyrudof" in sys.modules:
        # pyrudof's threads, once started in this process, do not survive a fork: the
        # workers would wait forever. A process that has not validated yet forks freely.
        jobs = 1
    with contextlib.ExitStack() as stack:
        pool = None
        if jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(
                jobs, mp_context=multiprocessing.get_context("fork"), initializer=_prepare))
            pool.submit(_prepare).result()  # the workers start now, before the index
        nodes = index(triples, frozenset().union(*reads) if reads else frozenset())
        if reads is None or sum(node.lines.count(b"\n") + 1
                                for node in nodes.values()) <= whole_max:
            return _report(check(b"\n".join(node.lines for node in nodes.values())
                                 .decode("utf-8")))
        found: list[Violation] = []
        waiting: deque[tuple[Future[list[Violation]], set[str]]] = deque()
        subject_parts = parts(nodes, part_subjects)
        sending: Iterable[list[str]] = subject_parts  # a part counts once it is sent
        if progress is not None:
            sending = progress(subject_parts, len(subject_parts))
        for subjects in sending:
            text, around = part_text(nodes, subjects, reads)
            drop = {_bare(t) for t in around} - targets
            if pool is None:
                found.extend(r for r in check(text) if r.focus not in drop)
                continue
            waiting.append((pool.submit(check, text), drop))
            while len(waiting) >= 2 * jobs:
                _collect(waiting, found)
        while waiting:
            _collect(waiting, found)
    return _report(found)


def _prepare() -> None:
    """What every part needs, read once per worker."""
    _ontology_lines()
    _shapes_text()


def _collect(waiting: deque[tuple[Future[list[Violation]], set[str]]],
             found: list[Violation]) -> None:
    """The results of the oldest part sent, without those about its context nodes
    (each is validated in its own part; the shapes' target nodes, whose SPARQL
    constraints see the part, are kept)."""
    future, drop = waiting.popleft()
    found.extend(r for r in future.result() if r.focus not in drop)
