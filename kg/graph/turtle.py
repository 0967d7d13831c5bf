"""Canonical Turtle, written from per-report fragments.

The canonical Turtle of a build is rdflib's Turtle serialisation of the whole
graph (:func:`kg.graph.serialize.serialize`): one block per subject, subjects sorted
by (blank node or not, how many triples have it as object, IRI), predicates
``rdf:type`` and ``rdfs:label`` first and then by IRI, objects sorted, and a
``@prefix`` line for each namespace used. This module writes the same bytes
without building the whole graph in rdflib.

Most subjects belong to one report: its observations, evidence and statements
(IRIs minted from the report's hash; see :mod:`kg.graph.rdfgraph`). Every triple
about them, and every triple that has them as object, comes from that report
alone, so their blocks are written where the report is extracted
(:func:`report_fragment`, in a worker process), as text with their sort keys.
Kept as triples instead: what the report says about shared subjects (regions,
agencies, documents, organisations, persons), and the part that the
cross-report merge of document identities may change — the report's own node
and the citations cited by title alone, with their issuers' statements
(:func:`kg.graph.rdfgraph.merge_citation_keys`). The worker also renders that part
as it is when the merge changes none of the report's citations (the usual
case: :class:`Deferred`).

The parent (:func:`write_turtle`) applies the merge to those citations, takes
the worker's rendering of a report's node where the merge changed none of its
citations and renders it again otherwise, writes the blocks of the shared
subjects (the ontology's, with its blank nodes and lists, by rdflib's own
serializer), counts references across everything, and puts all blocks in
order (one sort of their keys), the reports' as they are.
A fragment that breaks an assumption (a blank node in a report's own triples,
a report given twice…) makes :func:`write_turtle` write nothing and return
None: the caller then serialises the rdflib graph, with the same bytes, only
slower.

    >>> from kg.base.records import Document, LinkedReport
    >>> doc = Document("a.txt", "a.txt", "", "0" * 64, "utf-8", "text/plain")
    >>> frag = report_fragment(LinkedReport(doc, None, "OtherReport", None))
    >>> import io; out = io.BytesIO(); counts = write_turtle(out, [frag])
    >>> print(out.getvalue().decode())  # doctest: +NORMALIZE_WHITESPACE
    @prefix yb: <https://w3id.org/yibao-kg/ontology#> .
    <BLANKLINE>
    <https://w3id.org/yibao-kg/id/report/0000000000000000> a yb:Report ;
        yb:reportKind yb:OtherReport ;
        yb:sha256 "0000000000000000000000000000000000000000000000000000000000000000" ;
        yb:sourceFile "a.txt" .
    <BLANKLINE>
    >>> counts.triples, dict(counts.types)
    (4, {'Report': 1})
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import pickle
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, split_uri
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kg.base.files import atomic_stream
from kg.base.namespaces import YB, YBR
from kg.base.records import LinkedCitation, LinkedReport
from kg.graph.rdfgraph import (
    PREFIXES,
    GraphBuilder,
    TripleSet,
    citation_key_map,
    mergeable,
    merged_citation,
    new_graph,
    report_iri,
)

#: The classes whose instances ``kg build`` counts in its summary.
INSTANCE_CLASSES = ("Report", "Region", "Agency", "Organization", "Person",
                    "PolicyDocument", "Observation", "Evidence")

#: Blocks per compressed chunk of a fragment (the parent holds one chunk per
#: report at a time while writing).
CHUNK = 64

Triple = tuple[Any, Any, Any]

_YB = str(YB)
_YBR = str(YBR)
_YBR_LEN = len(_YBR)
_TYPE, _LABEL, _CLASS, _NIL = RDF.type, RDFS.label, RDFS.Class, str(RDF.nil)
_MENTIONS = YB.mentions
_TYPE_S, _MENTIONS_S = str(_TYPE), str(_MENTIONS)


def sort_key(blank: bool, refs: int, subject: str) -> str:
    """A subject's place in the canonical order as one string: blank nodes last,
    then by how many triples point at it, then by IRI (as rdflib sorts them).

        >>> sort_key(False, 3, "urn:a") < sort_key(False, 12, "urn:a") < sort_key(True, 0, "_:b")
        True
    """
    return f"{'1' if blank else '0'}{refs:012d}{subject}"


_PROGRAM = "/program/"
_STATEMENT = f"{YBR}statement/"
#: Where every report's own subjects live.
_OWN_SPACE = (f"{YBR}observation/", f"{YBR}evidence/", _STATEMENT, f"{YBR}report/")


@dataclass
class Counts:
    """What ``kg build`` prints about a graph: triples, instances by class, programs."""

    triples: int = 0
    types: Counter[str] = field(default_factory=Counter)
    programs: set[str] = field(default_factory=set)

    def add(self, other: Counts) -> None:
        self.triples += other.triples
        self.types.update(other.types)
        self.programs |= other.programs


def graph_counts(triples: Iterable[Triple]) -> Counts:
    """:class:`Counts` of distinct triples."""
    counts = Counts()
    for _, p, o in triples:
        counts.triples += 1
        if str.__eq__(p, _TYPE_S):
            if type(o) is URIRef and str.startswith(o, _YB) and o[len(_YB):] in INSTANCE_CLASSES:
                counts.types[o[len(_YB):]] += 1
        elif str.__eq__(p, _MENTIONS_S) and _PROGRAM in o:
            counts.programs.add(str(o))
    return counts


class _Labels:
    """Turtle labels of terms exactly as ``ser`` (rdflib's Turtle serializer)
    writes them, IRIs cached; the namespaces used are registered on ``ser``."""

    def __init__(self, ser: TurtleSerializer) -> None:
        self.ser = ser
        self.pnames: dict[URIRef, str | None] = {}

    def pname(self, node: URIRef) -> str | None:
        try:
            return self.pnames[node]
        except KeyError:
            pass
        name = "()" if str.__eq__(node, _NIL) else self.ser.get_pname(node, gen_prefix=False)
        if len(self.pnames) > 200_000:
            self.pnames.clear()
        self.pnames[node] = name
        return name

    def literal(self, node: Literal) -> str:
        return node._literal_n3(use_plain=True, qname_callback=self.pname)


_worker_labels: _Labels | None = None


def _labeller() -> _Labels:
    global _worker_labels
    if _worker_labels is None:
        _worker_labels = _Labels(TurtleSerializer(new_graph()))
    return _worker_labels


class _Render:
    """Writes blocks of subjects without blank nodes, as rdflib's Turtle serializer does."""

    def __init__(self, labels: _Labels) -> None:
        self.labels = labels
        self.prefixes: set[str] = set()
        self.unbound: set[str] = set()
        self.ok = True

    def term(self, node: Any) -> str:
        labels = self.labels
        kind = type(node)
        if kind is URIRef:
            try:
                name = labels.pnames[node]
            except KeyError:
                if str.startswith(node, _YBR) and "/" in node[_YBR_LEN:]:
                    # an instance's IRI: no prefix applies (ybr: is the only bound
                    # namespace above it; write_turtle refuses a generated one there)
                    return str(node.n3())
                name = labels.pname(node)
            if name is None:
                if not str.startswith(node, _YBR):
                    with contextlib.suppress(ValueError):
                        self.unbound.add(split_uri(node)[0])
                return str(node.n3())
            if name != "()":
                self.prefixes.add(name.split(":", 1)[0])
            return name
        if kind is Literal:
            if node.datatype is not None:
                dt = labels.pname(node.datatype)
                if dt is not None:
                    self.prefixes.add(dt.split(":", 1)[0])
            return labels.literal(node)
        self.ok = False  # a blank node: only rdflib's serializer nests those
        return str(node.n3())

    def verb(self, p: Any) -> str:
        if str.__eq__(p, _TYPE_S):
            return "a"
        name = self.labels.pname(p) if type(p) is URIRef else None
        if name is None:  # rdflib would generate a prefix for it
            self.ok = False
            return str(p.n3())
        self.prefixes.add(name.split(":", 1)[0])
        return name

    def block(self, s: Any, props: dict[Any, list[Any]]) -> bytes:
        """The block of ``s``: a newline, the subject, its predicates and objects, `` .``."""
        if _CLASS in props.get(_TYPE, ()):
            self.ok = False  # rdflib writes instances of rdfs:Class first
        parts = ["\n", self.term(s)]
        order = sorted(props, key=str)
        for first in (_LABEL, _TYPE):
            if first in props:
                order.remove(first)
                order.insert(0, first)
        for i, p in enumerate(order):
            verb = self.verb(p)
            parts.append(" ;\n    " + verb if i else " " + verb)
            objects = props[p]
            parts.append(" ")
            if len(objects) == 1:
                parts.append(self.term(objects[0]))
            else:
                if all(type(o) is URIRef for o in objects):  # as rdflib orders IRIs, faster
                    objects.sort(key=str)
                else:
                    objects.sort()
                parts.append(",\n        ".join(self.term(o) for o in objects))
        parts.append(" .\n")
        return "".join(parts).encode("utf-8", "replace")


def _index(triples: Iterable[Triple]) -> dict[Any, dict[Any, list[Any]]]:
    out: dict[Any, dict[Any, list[Any]]] = {}
    for s, p, o in triples:
        try:
            out[s][p].append(o)
        except KeyError:
            out.setdefault(s, {}).setdefault(p, []).append(o)
    return out


#: A term as plain values (sent between processes and compared in sets
#: without rdflib's Python-level equality): an IRI as its string, a literal as
#: (lexical form, language, datatype IRI).
Plain = str | tuple[str, str | None, str | None]
PlainTriple = tuple[str, str, Plain]


class _NotPlain(Exception):
    pass


def plain(node: Any) -> Plain:
    """A term as :data:`Plain` values (raises for a blank node)."""
    kind = type(node)
    if kind is URIRef:
        return str(node)
    if kind is Literal:
        return (str(node), node.language, None if node.datatype is None else str(node.datatype))
    raise _NotPlain(node)


def plain_triple(t: Triple) -> PlainTriple:
    """A triple of IRIs and literals as :data:`Plain` values."""
    s, p, o = t
    if type(s) is not URIRef or type(p) is not URIRef:
        raise _NotPlain(t)
    return str(s), str(p), plain(o)


class _Terms:
    """Plain values back to rdflib terms, each made once."""

    def __init__(self) -> None:
        # the module's own terms: found by identity in the blocks' dictionaries
        self.iris: dict[str, URIRef] = {str(t): t for t in (_TYPE, _LABEL, _CLASS)}
        self.literals: dict[tuple[str, str | None, str | None], Literal] = {}

    def iri(self, value: str) -> URIRef:
        try:
            return self.iris[value]
        except KeyError:
            node = self.iris[value] = URIRef(value)
            return node

    def term(self, value: Plain) -> Any:
        if isinstance(value, str):
            return self.iri(value)
        try:
            return self.literals[value]
        except KeyError:
            lexical, lang, datatype = value
            node = self.literals[value] = Literal(
                lexical, lang=lang, datatype=None if datatype is None else self.iri(datatype))
            return node

    def triples(self, plains: Iterable[PlainTriple]) -> Iterator[Triple]:
        iri, term = self.iri, self.term
        for s, p, o in plains:
            yield iri(s), iri(p), term(o)


@dataclass
class Deferred:
    """The deferred part of a report's fragment, rendered: the blocks of its own
    subjects (with their sort keys, sorted), the triples it adds about shared
    subjects, how many times it points at each shared IRI, its counts, and the
    prefixes and fully written namespaces of its blocks."""

    blocks: list[tuple[str, bytes]]
    shared: list[PlainTriple]
    refs: dict[str, int]
    counts: Counts
    prefixes: set[str]
    unbound: set[str]


def render_deferred(sha256: str, deferred: Iterable[PlainTriple],
                    citations: Iterable[PlainTriple], deferred_refs: dict[str, int],
                    terms: _Terms, labels: _Labels) -> Deferred | None:
    """Render a report's deferred triples with the triples of its title-only
    ``citations`` (merged or not); None when a triple points at an own subject
    whose block is not among these, or a block cannot be written as text."""
    own = _own(sha256)
    mine = set(deferred)
    shared: set[PlainTriple] = set()
    for pt in citations:
        (mine if str.startswith(pt[0], own) else shared).add(pt)
    own_refs: Counter[str] = Counter(deferred_refs)
    refs: Counter[str] = Counter()
    subjects = {t[0] for t in mine}
    for _, _, o in mine:
        if type(o) is not str:
            continue
        if str.startswith(o, own):
            if o not in subjects:  # an own block written in the worker
                return None
            own_refs[o] += 1
        else:
            refs[o] += 1
    found = list(terms.triples(mine))
    render = _Render(labels)
    blocks = [(sort_key(False, own_refs[str(s)], str(s)), render.block(s, props))
              for s, props in _index(found).items()]
    if not render.ok:
        return None
    blocks.sort()
    return Deferred(blocks, list(shared), dict(refs), graph_counts(found),
                    render.prefixes, render.unbound)


@dataclass
class Fragment:
    """One report's part of the canonical Turtle (see the module's docstring).

    ``keys``: the :func:`sort_key` of each block of the report's own subjects,
    in order, one per line, zlib-compressed (:meth:`sort_keys`; they repeat
    their IRIs' stems: held as they are, they would weigh as much as the
    blocks); ``sizes``: each block's length in bytes; ``chunks``: the UTF-8
    blocks themselves, :data:`CHUNK` at a time, joined and zlib-compressed;
    ``deferred``: the triples about the report's node (and any own subject the
    merge may touch), written by the parent, with ``deferred_refs``, how many of
    the other own triples point at each of them; ``shared``: the triples about
    shared subjects; ``refs``: how many own triples point at each shared IRI
    (triples and IRIs as :data:`Plain` values);
    ``citations``: (文号, title, key) of every citation; ``mergeable``: the
    citations the merge may give another key; ``prefixes`` used by the blocks;
    ``unbound``: namespaces of IRIs the blocks write in full; ``premerged``:
    the deferred part as the worker rendered it, for when the merge gives none
    of the ``mergeable`` citations another key (None when it could not).
    """

    sha256: str
    ok: bool = True
    keys: bytes = b""
    sizes: list[int] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    deferred: list[PlainTriple] = field(default_factory=list)
    deferred_refs: dict[str, int] = field(default_factory=dict)
    shared: list[PlainTriple] = field(default_factory=list)
    refs: dict[str, int] = field(default_factory=dict)
    citations: list[tuple[str | None, str | None, str]] = field(default_factory=list)
    mergeable: tuple[LinkedCitation, ...] = ()
    prefixes: set[str] = field(default_factory=set)
    unbound: set[str] = field(default_factory=set)
    counts: Counts = field(default_factory=Counts)
    premerged: Deferred | None = None

    def sort_keys(self) -> list[str]:
        """The sort keys of the report's own blocks, in order."""
        return zlib.decompress(self.keys).decode("utf-8").split("\n") if self.sizes else []

    def blocks(self) -> Iterator[memoryview]:
        """The blocks of the report's own subjects in order (as :attr:`keys`)."""
        sizes = iter(self.sizes)
        for chunk in self.chunks:
            data = memoryview(zlib.decompress(chunk))
            start = 0
            while start < len(data):
                end = start + next(sizes)
                yield data[start:end]
                start = end


def _own(sha256: str) -> tuple[str, ...]:
    h = sha256[:16]
    return (str(report_iri(sha256)), f"{YBR}observation/{h}/", f"{YBR}evidence/{h}/", _STATEMENT)


def citation_triples(sha256: str, citations: Iterable[LinkedCitation]) -> set[Triple]:
    """The triples of a report's ``citations`` (as :meth:`GraphBuilder.add_citations`)."""
    g = TripleSet()
    GraphBuilder().add_citations(g, report_iri(sha256), sha256, citations)
    return g.triple_set


def report_fragment(report: LinkedReport) -> Fragment:
    """The fragment of one linked report (before the cross-report merge)."""
    sha = report.document.sha256
    movable = tuple(c for c in report.citations if mergeable(c))
    core = replace(report, citations=tuple(c for c in report.citations if not mergeable(c)))
    g = TripleSet()
    GraphBuilder().add_report(g, core)
    frag = fragment_of(sha, g.triple_set, citation_triples(sha, movable))
    frag.citations = [(c.doc_number, c.title, c.key) for c in report.citations]
    frag.mergeable = movable
    return frag


def fragment_of(sha256: str, triples: Iterable[Triple], movable: Iterable[Triple] = ()
                ) -> Fragment:
    """The fragment of a report's ``triples``, given the triples the merge may
    change (``movable``), whose own subjects are deferred to the parent."""
    own = _own(sha256)
    frag = Fragment(sha256)
    movable = tuple(movable)
    deferred = {URIRef(own[0])}
    for s, _, _ in movable:
        if type(s) is URIRef and str.startswith(s, own):
            deferred.add(s)
    local: dict[Any, dict[Any, list[Any]]] = {}
    deferred_triples: list[Triple] = []
    shared: list[Triple] = []
    for t in triples:
        s = t[0]
        if s in deferred:
            deferred_triples.append(t)
        elif type(s) is URIRef and str.startswith(s, own):
            try:
                local[s][t[1]].append(t[2])
            except KeyError:
                local.setdefault(s, {}).setdefault(t[1], []).append(t[2])
        else:
            shared.append(t)
    memo: dict[Any, Plain] = {}  # one string per IRI: pickled once

    def one(node: Any) -> Plain:
        try:
            return memo[node]
        except KeyError:
            value = memo[node] = plain(node)
            return value

    try:
        for t in deferred_triples:
            if type(t[0]) is not URIRef or type(t[1]) is not URIRef:
                raise _NotPlain(t)
            frag.deferred.append((str(one(t[0])), str(one(t[1])), one(t[2])))
        for t in shared:
            if type(t[0]) is not URIRef or type(t[1]) is not URIRef:
                raise _NotPlain(t)
            frag.shared.append((str(one(t[0])), str(one(t[1])), one(t[2])))
    except _NotPlain:
        frag.ok = False
    refs: Counter[Any] = Counter()
    n_local = 0
    typed = []
    for s, props in local.items():
        for objects in props.values():
            n_local += len(objects)
            refs.update(o for o in objects if type(o) is not Literal)
        typed += [(s, _TYPE, o) for o in props.get(_TYPE, ())]
    # the parent changes deferred and shared triples: none may point at an own
    # subject whose block is written here
    for _, _, o in (*deferred_triples, *shared, *movable):
        if o in local:
            frag.ok = False
    frag.counts = graph_counts(typed)
    frag.counts.triples = n_local
    render = _Render(_labeller())
    blocks = [(sort_key(False, refs.pop(s, 0), str(s)), render.block(s, props))
              for s, props in local.items()]
    blocks.sort()
    frag.keys = zlib.compress("\n".join(key for key, _ in blocks).encode("utf-8"), 1)
    frag.sizes = [len(block) for _, block in blocks]
    frag.chunks = [zlib.compress(b"".join(block for _, block in blocks[i:i + CHUNK]), 1)
                   for i in range(0, len(blocks), CHUNK)]
    frag.deferred_refs = {str(o): refs.pop(o) for o in deferred if o in refs}
    frag.refs = {str(o): n for o, n in refs.items() if type(o) is URIRef}
    frag.ok = frag.ok and render.ok and len(frag.refs) == len(refs)
    frag.prefixes, frag.unbound = render.prefixes, render.unbound
    if frag.ok:  # the deferred part as the parent writes it when the merge changes nothing
        try:
            unmerged = [plain_triple(t) for t in movable]
        except _NotPlain:
            return frag
        frag.premerged = render_deferred(sha256, frag.deferred, unmerged, frag.deferred_refs,
                                         _Terms(), _labeller())
    return frag


def pack(frag: Fragment) -> bytes:
    """A fragment as bytes (to send between processes or to cache)."""
    return pickle.dumps(frag, pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> Fragment:
    """The fragment :func:`pack` made."""
    frag = pickle.loads(data)
    assert isinstance(frag, Fragment)
    return frag


class _Writer(TurtleSerializer):
    """rdflib's Turtle serializer over the graph of the subjects it writes
    itself (the ontology's), the other blocks merged into its order."""

    def start(self, stream: IO[bytes]) -> None:
        self.reset()
        self.stream = stream
        self.preprocess()

    def generated(self) -> set[str]:
        """Namespaces bound to a generated prefix (``ns1``…)."""
        return {str(ns) for prefix, ns in self.namespaces.items()
                if PREFIXES.get(prefix) != str(ns)}

    def finish(self, blocks: list[tuple[list[str], Iterator[Any]]],
               refs: Counter[str]) -> None:
        """Write everything: the prefixes, then every subject's block in order.

        ``blocks``: sources of written blocks, each its blocks' sort keys (in
        order) and the blocks; ``refs``: references to this graph's subjects
        from those blocks. The order is one sort of every key with its
        source's number (far faster than merging hundreds of sources by a heap).
        """
        seen: set[Any] = set()
        top: list[Any] = []
        for cls in self.topClasses:
            members = sorted(self.store.subjects(RDF.type, cls))  # type: ignore[type-var]
            top += members
            for m in members:
                self._topLevels[m] = True
                seen.add(m)
        mine = sorted((sort_key(isinstance(s, BNode), self._references[s] + refs[str(s)],
                                str(s)), s) for s in self._subjects if s not in seen)
        self.startDocument()
        for s in top:
            self._statement(s)
        stream = self.stream
        assert stream is not None
        write = stream.write
        # source 0: the subjects rdflib's serializer writes; the others: written blocks
        order = [(key, 0) for key, _ in mine]
        for i, (keys, _) in enumerate(blocks, 1):
            order += zip(keys, itertools.repeat(i))
        order.sort()
        sources = [iter([node for _, node in mine]), *(iter(b) for _, b in blocks)]
        for _, i in order:
            if i:
                write(next(sources[i]))
            else:
                self._statement(next(sources[0]))
        self.endDocument()
        stream.write(b"\n")

    def _statement(self, subject: Any) -> None:
        if not self.isDone(subject):
            self.statement(subject)
            self.write("\n")


def write_turtle(stream: IO[bytes], fragments: Iterable[Fragment],
                 ontology: Graph | None = None) -> Counts | None:
    """Write the canonical Turtle of the reports' ``fragments`` (in input order)
    and the ``ontology`` graph to ``stream``; returns the graph's counts.

    Returns None, having written nothing, when a fragment cannot be merged
    this way (then serialise the rdflib graph instead).

    The cyclic garbage collector is paused meanwhile: the terms, blocks and
    counters made here hold no cycles, and its passes over them and over every
    fragment held took a fifth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _write_turtle(stream, fragments, ontology)
    finally:
        if was_enabled:
            gc.enable()


def _write_turtle(stream: IO[bytes], fragments: Iterable[Fragment],
                  ontology: Graph | None) -> Counts | None:
    frags = list(fragments)
    shas = [f.sha256[:16] for f in frags]
    if not all(f.ok for f in frags) or len(set(shas)) != len(shas):
        return None
    key_map = citation_key_map(c for f in frags for c in f.citations)

    g = new_graph()  # what rdflib's serializer writes: the ontology
    onto: set[Triple] = set()
    if ontology is not None:
        for t in ontology:
            g.add(t)
            onto.add(t)
    writer = _Writer(g)
    writer.start(stream)
    generated = writer.generated()
    if any(ns.startswith(_YBR) for ns in generated):
        return None
    labels = _Labels(writer)
    terms = _Terms()
    refs: Counter[str] = Counter()  # references from the blocks written here and by workers
    counts = Counts()
    shared: set[PlainTriple] = set()
    own_blocks: list[tuple[str, Any]] = []
    for f in frags:
        if generated & f.unbound:
            return None
        counts.add(f.counts)
        shared.update(f.shared)
        refs.update(f.refs)
        for prefix in f.prefixes:
            writer.addNamespace(prefix, URIRef(PREFIXES[prefix]))
        # the part the merge may change: as the worker rendered it when the merge
        # changes none of its citations, else rendered here, merged
        merged = [merged_citation(c, key_map) for c in f.mergeable]
        done = f.premerged
        if done is None or any(m is not c for m, c in zip(merged, f.mergeable, strict=True)):
            try:
                cited = [plain_triple(t) for t in citation_triples(f.sha256, merged)]
            except _NotPlain:
                return None
            done = render_deferred(f.sha256, f.deferred, cited, f.deferred_refs, terms, labels)
            if done is None:
                return None
        elif generated & done.unbound:
            return None
        for prefix in done.prefixes:
            writer.addNamespace(prefix, URIRef(PREFIXES[prefix]))
        own_blocks += done.blocks
        shared.update(done.shared)
        refs.update(done.refs)
        counts.add(done.counts)
    # shared subjects: rdflib's serializer writes those the ontology also describes
    # and any with a blank node; the others are written here
    onto_plain: set[PlainTriple] = set()
    for t in onto:
        with contextlib.suppress(_NotPlain):
            onto_plain.add(plain_triple(t))
    data = shared - onto_plain
    del shared, onto_plain
    for _, _, o in data:
        if type(o) is str:
            refs[o] += 1
    shared_triples = list(terms.triples(data))
    counts.add(graph_counts(shared_triples))
    counts.add(graph_counts(onto))
    del data
    shared_index = _index(shared_triples)
    render = _Render(labels)
    blocks = []
    for s, props in shared_index.items():
        if str.startswith(s, _OWN_SPACE):
            return None  # another report's own subject (a report given twice?)
        if s in writer._subjects:  # also in the ontology: let rdflib write it whole
            for p, objects in props.items():
                for o in objects:
                    g.add((s, p, o))
                    writer.preprocessTriple((s, p, o))
                    if type(o) is not Literal:
                        refs[str(o)] -= 1  # counted by preprocessTriple
            continue
        blocks.append((sort_key(False, writer._references[s] + refs[str(s)], str(s)),
                       render.block(s, props)))
    if not render.ok or writer.generated() != generated:
        return None
    blocks.sort()
    own_blocks.sort()
    writer.finish([_split(blocks), _split(own_blocks),
                   *((f.sort_keys(), f.blocks()) for f in frags)], refs)
    return counts


def _split(blocks: list[tuple[str, bytes]]) -> tuple[list[str], Iterator[bytes]]:
    return [key for key, _ in blocks], iter([block for _, block in blocks])


class _Refused(Exception):
    pass


def write_turtle_file(path: Any, fragments: Iterable[Fragment],
                      ontology: Graph | None = None) -> Counts | None:
    """:func:`write_turtle` into the file ``path``, atomically (the file is left
    as it was when it returns None)."""
    try:
        with atomic_stream(path) as stream:
            counts = write_turtle(stream, fragments, ontology)
            if counts is None:
                raise _Refused
    except _Refused:
        return None
    return counts

