"""The canonical Turtle: one writer, registered as rdflib's ``kg-turtle`` serializer,
and written from per-report fragments without building the whole graph.

The canonical form (:func:`canonical_turtle`) is made here, from rdflib's
public term API only:

* a ``@prefix`` line for each prefix used, sorted by prefix (the project's
  prefixes, :data:`kg.base.namespaces.PREFIXES`; the serializer plugin also
  takes prefixes bound on the graph for other namespaces);
* one block per subject, in a stable order (:func:`sort_key`): the
  vocabulary (every subject outside ``ybr:``: the ontology's classes,
  properties and SKOS concepts) by IRI, then the instances (``ybr:``) by IRI,
  then blank nodes not written in place. Adding a report to a build adds its
  own blocks (its report, observations, evidence and statements) and changes
  the blocks of the shared subjects it says something about (a region, an
  agency, a cited document), nothing else;
* inside a block, ``rdf:type`` (as ``a``) first, ``rdfs:label`` next, the other
  predicates by IRI; objects sorted (IRIs by IRI, then literals by their
  text); blank nodes held by one triple written in place (``[ … ]``, lists as
  ``( … )``); see :class:`Render` and :class:`Names`.

Most subjects belong to one report: its observations, evidence and statements
(IRIs minted from the report's hash; see :mod:`kg.graph.rdfgraph`). Every triple
about them comes from that report alone, so their blocks are written where the
report is extracted (:func:`report_fragment`, in a worker process), as text
with their sort keys. Kept as triples instead: what the report says about
shared subjects (regions, agencies, documents, organisations, persons), and
the part that the cross-report merge of document identities may change — the
report's own node and the citations cited by title alone, with their issuers'
statements (:func:`kg.graph.rdfgraph.merge_citation_keys`). The worker also
renders that part as it is when the merge changes none of the report's
citations (the usual case: :class:`Deferred`).

The parent (:func:`write_turtle`) applies the merge to those citations, takes
the worker's rendering of a report's node where the merge changed none of its
citations and renders it again otherwise, writes the blocks of the shared
subjects and the ontology's, and puts all blocks in order (one sort of their
keys). A fragment that breaks an assumption (a blank node in a report's own
triples, a report given twice…) makes :func:`write_turtle` write nothing and
return None: the caller then serialises the rdflib graph, with the same
bytes, only slower.

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
import hashlib
import itertools
import pickle
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.serializer import Serializer

from kg.base.files import atomic_stream
from kg.base.namespaces import PREFIXES, YB, YBR
from kg.base.records import LinkedCitation, LinkedReport
from kg.graph.rdfgraph import (
    GraphBuilder,
    TripleSet,
    citation_key_map,
    mergeable,
    merged_citation,
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


# ---- the canonical form: terms, blocks, order ------------------------------------------

#: What a prefixed name's local part may be here (empty, or a subset of Turtle's
#: PN_LOCAL: no dots, slashes or escapes, so that every reader takes it back).
_LOCAL = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_-]*)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+")
_XSD_S = str(XSD)
_SHORT = {f"{_XSD_S}integer", f"{_XSD_S}decimal", f"{_XSD_S}double", f"{_XSD_S}boolean"}
_FIRST, _REST = str(RDF.first), str(RDF.rest)
_INDENT = "    "


def quoted(text: str) -> str:
    """A literal's text in Turtle quotes: ``\"…\"``, or ``\"\"\"…\"\"\"`` when it
    holds a line break (then kept as it is, for readable multi-line literals).

        >>> print(quoted('a "b" \\\\ c'), quoted("one\\ntwo"))
        "a \\"b\\" \\\\ c" \"\"\"one
        two\"\"\"
    """
    if "\n" in text:
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
        return f'"""{body}"""'
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return f'"{body}"'


class Names:
    """How terms are written: an IRI as ``prefix:local`` when it lies in a namespace
    of ``namespaces`` (prefix → IRI; the longest that fits) and the rest is a
    plain name (letters, digits, ``_``, ``-``), else in full as ``<IRI>``;
    ``rdf:nil`` as ``()``; a literal in quotes with its ``@language`` or
    ``^^datatype``, numbers and booleans bare where Turtle reads them back as the
    same literal. The prefixes used are collected in :attr:`used`.

        >>> n = Names({"yb": "https://w3id.org/yibao-kg/ontology#", "xsd": _XSD_S})
        >>> n.iri("https://w3id.org/yibao-kg/ontology#Report"), n.iri("urn:x/y")
        ('yb:Report', '<urn:x/y>')
        >>> [n.literal(Literal(v, datatype=XSD.decimal)) for v in ("12.5", "3")]
        ['12.5', '3.0']
        >>> n.literal(Literal("2023-12", datatype=XSD.gYearMonth))
        '"2023-12"^^xsd:gYearMonth'
        >>> n.literal(Literal("医保", lang="zh"))
        '"医保"@zh'
        >>> sorted(n.used)
        ['xsd', 'yb']
    """

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.spaces = sorted(((str(ns), p) for p, ns in namespaces.items()),
                             key=lambda item: (-len(item[0]), item[1]))
        self.namespaces = {p: str(ns) for p, ns in namespaces.items()}
        self.names: dict[str, tuple[str, str | None]] = {}
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        try:
            text, prefix = self.names[iri]
        except KeyError:
            text, prefix = self.names[iri] = self._name(iri)
            if len(self.names) > 200_000:
                self.names.clear()
        if prefix is not None:
            self.used.add(prefix)
        return text

    def _name(self, iri: str) -> tuple[str, str | None]:
        if iri == _NIL:
            return "()", None
        for ns, prefix in self.spaces:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri, len(ns)):
                return f"{prefix}:{iri[len(ns):]}", prefix
        return f"<{iri}>", None

    def literal(self, node: Literal) -> str:
        text = str(node)
        if node.language:
            return f"{quoted(text)}@{node.language}"
        datatype = node.datatype
        if datatype is None:
            return quoted(text)
        dt = str(datatype)
        if dt in _SHORT:
            if dt.endswith("#integer") and _INTEGER.fullmatch(text):
                return text
            if dt.endswith("#decimal"):
                if _DECIMAL.fullmatch(text):
                    return text
                if _INTEGER.fullmatch(text):
                    return text + ".0"
            if dt.endswith("#double") and _DOUBLE.fullmatch(text):
                return text
            if dt.endswith("#boolean") and text in ("true", "false"):
                return text
        return f"{quoted(text)}^^{self.iri(dt)}"


def sort_key(subject: str, blank: bool = False) -> str:
    """A block's place in the canonical order: the vocabulary (every subject outside
    ``ybr:``: the ontology's classes, properties and concepts) first, then the
    instances (``ybr:``), each by IRI; the blocks of blank nodes that are not
    written inside another block come last, by their text.

        >>> sort_key("https://w3id.org/yibao-kg/ontology#Report") < sort_key(
        ...     "https://w3id.org/yibao-kg/id/region/320412") < sort_key("[] a yb:X", blank=True)
        True
    """
    if blank:
        return f"2{subject}"
    return f"{'1' if str.startswith(subject, _YBR) else '0'}{subject}"


Props = dict[Any, list[Any]]


class Render:
    """Writes the blocks of subjects in the canonical form: the subject, then its
    predicates (``rdf:type`` as ``a`` first, ``rdfs:label`` next, the others by
    IRI), each with its objects (IRIs by IRI, then literals by their text, then
    nested blank nodes by their text). A blank node that is the object of exactly
    one triple is written in place, as ``[ … ]``, or as ``( … )`` when it is a
    well-formed RDF list; any other blank node gets a label made from its
    content (``_:b`` and a hash). ``ok`` turns False when a block needed the
    triples of a blank node that ``index`` does not hold."""

    def __init__(self, names: Names, index: Mapping[Any, Props] | None = None,
                 refs: Mapping[Any, int] | None = None) -> None:
        self.names = names
        self.index: Mapping[Any, Props] = index or {}
        self.refs: Mapping[Any, int] = refs or {}
        self.labels: dict[Any, str] = {}
        self.active: set[Any] = set()  # blank nodes being written (a cycle gets labels)
        self.ok = True

    def term(self, node: Any, depth: int) -> tuple[int, str, str]:
        """(kind, sort key, text) of an object: IRIs sort by IRI, the others by text."""
        kind = type(node)
        if kind is URIRef:
            return 0, node, self.names.iri(node)
        if kind is Literal:
            text = self.names.literal(node)
            return 1, text, text
        text = self.blank(node, depth)
        return 2, text, text

    def blank(self, node: Any, depth: int) -> str:
        label = self.labels.get(node)
        if label is not None:
            return label
        props = self.index.get(node)
        if props is None:
            self.ok = False
            return self.label(node)
        if self.refs.get(node, 0) != 1 or node in self.active:
            return self.label(node)
        self.active.add(node)
        try:
            items = self.collection(node)
            if items is not None:
                return "( " + " ".join(self.term(i, depth)[2] for i in items) + " )" \
                    if items else "()"
            return "[" + self.predicates(props, depth + 2) + " ]"
        finally:
            self.active.discard(node)

    def collection(self, node: Any) -> list[Any] | None:
        """The items of the RDF list starting at ``node`` (every cell held only by
        the list), or None."""
        items = []
        seen: set[Any] = set()
        while str(node) != _NIL:
            props = self.index.get(node)
            if (props is None or node in seen or set(map(str, props)) != {_FIRST, _REST}
                    or len(props[RDF.first]) != 1 or len(props[RDF.rest]) != 1
                    or (seen and self.refs.get(node, 0) != 1)):
                return None
            seen.add(node)
            items.append(props[RDF.first][0])
            node = props[RDF.rest][0]
            if not isinstance(node, BNode) and str(node) != _NIL:
                return None
        return items

    def label(self, node: Any) -> str:
        """A label for a blank node written apart: from a hash of its triples."""
        found = self.labels.get(node)
        if found is not None:
            return found
        props = self.index.get(node, {})
        plain_text = "\n".join(sorted(f"{p} {o if not isinstance(o, BNode) else '_'}"
                                      for p, objs in props.items() for o in objs))
        digest = hashlib.sha256(plain_text.encode("utf-8")).hexdigest()[:16]
        label = f"_:b{digest}"
        taken = set(self.labels.values())
        n = 1
        while label in taken:
            n += 1
            label = f"_:b{digest}x{n}"
        self.labels[node] = label
        return label

    def predicates(self, props: Props, depth: int) -> str:
        order = sorted(props, key=str)
        for first in (_LABEL, _TYPE):
            if first in props:
                order.remove(first)
                order.insert(0, first)
        parts = []
        for i, p in enumerate(order):
            verb = "a" if str.__eq__(p, _TYPE_S) else self.names.iri(p)
            parts.append(f" ;\n{_INDENT * (depth + 1)}{verb}" if i else f" {verb}")
            objects = props[p]
            if len(objects) == 1:
                parts.append(" " + self.term(objects[0], depth)[2])
                continue
            written = sorted(self.term(o, depth + 1) for o in objects)
            parts.append(" " + f",\n{_INDENT * (depth + 2)}".join(t for _, _, t in written))
        return "".join(parts)

    def block(self, s: Any, props: Props) -> bytes:
        """The block of ``s``: a newline, the subject, its predicates and objects, `` .``."""
        if isinstance(s, BNode):
            head = "[]" if self.refs.get(s, 0) == 0 else self.label(s)
        else:
            head = self.names.iri(s)
        return f"\n{head}{self.predicates(props, 0)} .\n".encode("utf-8", "replace")

    def blocks(self) -> list[tuple[str, bytes]]:
        """Every block of :attr:`index` that is not written inside another one,
        with its :func:`sort_key`, in order."""
        out = []
        for s, props in self.index.items():
            if isinstance(s, BNode):
                if self.refs.get(s, 0) == 1:
                    continue  # written in place
                text = self.block(s, props)
                out.append((sort_key(text.decode("utf-8"), blank=True), text))
            else:
                out.append((sort_key(str(s)), self.block(s, props)))
        out.sort()
        return out


def blank_refs(triples: Iterable[Triple]) -> Counter[Any]:
    """How many triples have each blank node as object."""
    return Counter(o for _, _, o in triples if isinstance(o, BNode))


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
    subjects, its counts, and the prefixes its blocks use."""

    blocks: list[tuple[str, bytes]]
    shared: list[PlainTriple]
    counts: Counts
    prefixes: set[str]


def render_deferred(sha256: str, deferred: Iterable[PlainTriple],
                    citations: Iterable[PlainTriple], terms: _Terms, names: Names) -> Deferred:
    """Render a report's deferred triples with the triples of its title-only
    ``citations`` (merged or not)."""
    own = _own(sha256)
    mine = set(deferred)
    shared: set[PlainTriple] = set()
    for pt in citations:
        (mine if str.startswith(pt[0], own) else shared).add(pt)
    found = list(terms.triples(mine))
    names.used = set()
    blocks = Render(names, _index(found)).blocks()
    return Deferred(blocks, list(shared), graph_counts(found), names.used)


@dataclass
class Fragment:
    """One report's part of the canonical Turtle (see the module's docstring).

    ``keys``: the :func:`sort_key` of each block of the report's own subjects,
    in order, one per line, zlib-compressed (:meth:`sort_keys`; they repeat
    their IRIs' stems: held as they are, they would weigh as much as the
    blocks); ``sizes``: each block's length in bytes; ``chunks``: the UTF-8
    blocks themselves, :data:`CHUNK` at a time, joined and zlib-compressed;
    ``deferred``: the triples about the report's node (and any own subject the
    merge may touch), written by the parent; ``shared``: the triples about
    shared subjects (triples as :data:`Plain` values); ``citations``: (文号,
    title, key) of every citation; ``mergeable``: the citations the merge may
    give another key; ``prefixes`` used by the blocks; ``premerged``: the
    deferred part as the worker rendered it, for when the merge gives none of
    the ``mergeable`` citations another key.
    """

    sha256: str
    ok: bool = True
    keys: bytes = b""
    sizes: list[int] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    deferred: list[PlainTriple] = field(default_factory=list)
    shared: list[PlainTriple] = field(default_factory=list)
    citations: list[tuple[str | None, str | None, str]] = field(default_factory=list)
    mergeable: tuple[LinkedCitation, ...] = ()
    prefixes: set[str] = field(default_factory=set)
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


_worker_names: Names | None = None


def _names() -> Names:
    """This process's :class:`Names` of the project's prefixes (IRIs cached)."""
    global _worker_names
    if _worker_names is None:
        _worker_names = Names(PREFIXES)
    return _worker_names


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
            if type(t[2]) is BNode:
                frag.ok = False  # a blank node of its own: only the whole graph says who holds it
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
    n_local = 0
    typed = []
    for s, props in local.items():
        for objects in props.values():
            n_local += len(objects)
        typed += [(s, _TYPE, o) for o in props.get(_TYPE, ())]
    frag.counts = graph_counts(typed)
    frag.counts.triples = n_local
    names = _names()
    names.used = set()
    blocks = Render(names, local).blocks()
    frag.keys = zlib.compress("\n".join(key for key, _ in blocks).encode("utf-8"), 1)
    frag.sizes = [len(block) for _, block in blocks]
    frag.chunks = [zlib.compress(b"".join(block for _, block in blocks[i:i + CHUNK]), 1)
                   for i in range(0, len(blocks), CHUNK)]
    frag.prefixes = names.used
    if frag.ok:  # the deferred part as the parent writes it when the merge changes nothing
        try:
            unmerged = [plain_triple(t) for t in movable]
        except _NotPlain:
            return frag
        frag.premerged = render_deferred(sha256, frag.deferred, unmerged, _Terms(), names)
    return frag


def pack(frag: Fragment) -> bytes:
    """A fragment as bytes (to send between processes or to cache)."""
    return pickle.dumps(frag, pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> Fragment:
    """The fragment :func:`pack` made."""
    frag = pickle.loads(data)
    assert isinstance(frag, Fragment)
    return frag


def prefix_lines(used: Iterable[str], namespaces: Mapping[str, str]) -> bytes:
    """The ``@prefix`` lines of the prefixes ``used``, sorted by prefix."""
    return "".join(f"@prefix {p}: <{namespaces[p]}> .\n" for p in sorted(set(used))
                   ).encode("utf-8")


def canonical_turtle(triples: Iterable[Triple],
                     namespaces: Mapping[str, str] | None = None) -> bytes:
    """The canonical Turtle of ``triples`` (see the module's docstring), IRIs named
    with ``namespaces`` (prefix → IRI; the project's :data:`PREFIXES` by default).

        >>> from rdflib import Graph
        >>> g = Graph().parse(data='''@prefix yb: <https://w3id.org/yibao-kg/ontology#> .
        ... yb:B a yb:T ; yb:p 2, 10 . yb:A yb:q ( yb:x yb:y ) ; yb:r [ yb:s "t"@en ] .''')
        >>> print(canonical_turtle(g).decode())
        @prefix yb: <https://w3id.org/yibao-kg/ontology#> .
        <BLANKLINE>
        yb:A yb:q ( yb:x yb:y ) ;
            yb:r [ yb:s "t"@en ] .
        <BLANKLINE>
        yb:B a yb:T ;
            yb:p 10,
                2 .
        <BLANKLINE>
        <BLANKLINE>
    """
    namespaces = PREFIXES if namespaces is None else namespaces
    triples = list(triples)
    names = Names(namespaces)
    render = Render(names, _index(triples), blank_refs(triples))
    blocks = render.blocks()
    return prefix_lines(names.used, namespaces) + b"".join(b for _, b in blocks) + b"\n"


class CanonicalTurtleSerializer(Serializer):
    """The canonical Turtle as an rdflib serializer plugin, format ``kg-turtle``
    (registered by :mod:`kg.graph.serialize` and as the package's entry point):
    ``graph.serialize(format="kg-turtle")``. IRIs are named with the project's
    prefixes and, for other namespaces, with the prefixes bound on the graph.

        >>> from rdflib import Graph, URIRef
        >>> import kg.graph.serialize  # registers the plugin
        >>> g = Graph(bind_namespaces="none")
        >>> _ = g.bind("ex", "http://example.org/")
        >>> _ = g.add((URIRef("http://example.org/a"), RDFS.label, Literal("甲", lang="zh")))
        >>> print(g.serialize(format="kg-turtle"), end="")
        @prefix ex: <http://example.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <BLANKLINE>
        ex:a rdfs:label "甲"@zh .
        <BLANKLINE>
    """

    def serialize(self, stream: IO[bytes], base: str | None = None,
                  encoding: str | None = None, **args: Any) -> None:
        namespaces = dict(PREFIXES)
        taken = set(namespaces.values())
        for prefix, ns in self.store.namespaces():
            if prefix and prefix not in namespaces and str(ns) not in taken:
                namespaces[prefix] = str(ns)
                taken.add(str(ns))
        stream.write(canonical_turtle(self.store.triples((None, None, None)), namespaces))


def write_turtle(stream: IO[bytes], fragments: Iterable[Fragment],
                 ontology: Iterable[Triple] | None = None) -> Counts | None:
    """Write the canonical Turtle of the reports' ``fragments`` (in input order)
    and the ``ontology``'s triples (a graph or the triples themselves) to ``stream``;
    returns the graph's counts.

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
                  ontology: Iterable[Triple] | None) -> Counts | None:
    frags = list(fragments)
    shas = [f.sha256[:16] for f in frags]
    if not all(f.ok for f in frags) or len(set(shas)) != len(shas):
        return None
    key_map = citation_key_map(c for f in frags for c in f.citations)
    names = Names(PREFIXES)
    used: set[str] = set()
    terms = _Terms()
    counts = Counts()
    shared: set[PlainTriple] = set()
    own_blocks: list[tuple[str, bytes]] = []
    for f in frags:
        counts.add(f.counts)
        shared.update(f.shared)
        used |= f.prefixes
        # the part the merge may change: as the worker rendered it when the merge
        # changes none of its citations, else rendered here, merged
        merged = [merged_citation(c, key_map) for c in f.mergeable]
        done = f.premerged
        if done is None or any(m is not c for m, c in zip(merged, f.mergeable, strict=True)):
            try:
                cited = [plain_triple(t) for t in citation_triples(f.sha256, merged)]
            except _NotPlain:
                return None
            done = render_deferred(f.sha256, f.deferred, cited, terms, names)
        used |= done.prefixes
        own_blocks += done.blocks
        shared.update(done.shared)
        counts.add(done.counts)
    # the shared subjects and the ontology's, written here
    onto: set[Triple] = set(ontology) if ontology is not None else set()
    onto_plain: set[PlainTriple] = set()
    for t in onto:
        with contextlib.suppress(_NotPlain):
            onto_plain.add(plain_triple(t))
    shared_triples = list(terms.triples(shared - onto_plain))
    del shared, onto_plain
    for s, _, _ in shared_triples:
        if str.startswith(s, _OWN_SPACE):
            return None  # another report's own subject (a report given twice?)
    counts.add(graph_counts(shared_triples))
    counts.add(graph_counts(onto))
    everything = [*onto, *shared_triples]
    names.used = set()
    blocks = Render(names, _index(everything), blank_refs(everything)).blocks()
    used |= names.used
    own_blocks.sort()
    sources: list[tuple[list[str], Iterator[Any]]] = [
        _split(blocks), _split(own_blocks),
               *((f.sort_keys(), f.blocks()) for f in frags)]
    # one sort of every key with its source's number (far faster than merging
    # hundreds of sources by a heap)
    order: list[tuple[str, int]] = []
    for i, (keys, _) in enumerate(sources):
        order += zip(keys, itertools.repeat(i))
    order.sort()
    write = stream.write
    write(prefix_lines(used, PREFIXES))
    streams = [b for _, b in sources]
    for _, i in order:
        write(next(streams[i]))
    write(b"\n")
    return counts


def _split(blocks: list[tuple[str, bytes]]) -> tuple[list[str], Iterator[bytes]]:
    return [key for key, _ in blocks], iter([block for _, block in blocks])


class _Refused(Exception):
    pass


def write_turtle_file(path: Any, fragments: Iterable[Fragment],
                      ontology: Iterable[Triple] | None = None) -> Counts | None:
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
