"""An on-disk Oxigraph store of the graph: one named graph per report.

``kg build --store DIR`` writes each report's triples into the named graph of
the report's IRI (``ybr:report/{sha256[:16]}``, its content hash) and the
ontology into ``ybr:graph/ontology``. The folder is a plain Oxigraph (RocksDB)
store: ``oxigraph serve-read-only --location DIR`` and ``pyoxigraph.Store(DIR)``
open it as it is. Yibao KG keeps one small file of its own inside it,
``yibao-kg/manifest.json``: the digest of each named graph's triples, so that
a rebuild rewrites only the graphs that changed and removes the graphs of
reports no longer given.

The default graph holds the union of the named graphs (each triple once), so
a query without ``GRAPH`` sees exactly the graph a Turtle build writes, and
``GRAPH ?g`` finds the report a triple came from.

Reading: :func:`open_store` gives an :class:`rdflib.Dataset` backed by the
store (via ``oxrdflib``); ``kg.query`` and every rdflib API work on it, and
SPARQL runs in Oxigraph's engine.

    >>> import tempfile
    >>> is_store(tempfile.gettempdir())
    False
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, MutableSequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier, Node, Variable

from kg.base.errors import GraphLoadError, OutputError, QueryError
from kg.base.files import write_atomic
from kg.base.records import LinkedReport
from kg.graph.rdfgraph import GraphBuilder, TripleSet, bind_prefixes

#: Yibao KG's own folder inside the store.
META_DIR = "yibao-kg"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass
class StoreUpdate:
    """What writing a store changed."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    triples: int = 0


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file()


def _manifest_file(directory: Path) -> Path:
    return directory / META_DIR / MANIFEST


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The store's manifest (empty when there is none or it is unreadable)."""
    try:
        data = json.loads(_manifest_file(Path(directory)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    return data


def _write_manifest(directory: Path, graphs: dict[str, str], complete: bool,
                    loads: int = 0) -> None:
    data = {"format": MANIFEST_FORMAT, "complete": complete, "loads": loads,
            "graphs": dict(sorted(graphs.items()))}
    write_atomic(_manifest_file(directory), json.dumps(data, indent=1).encode("utf-8"))


def ntriples(g: Graph) -> bytes:
    """``g`` as sorted N-Triples (a canonical form for graphs without blank nodes)."""
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


_DROP_EXCLUSIVE = """
DELETE { ?s ?p ?o }
WHERE { GRAPH <%s> { ?s ?p ?o }
        FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != <%s>) } }
"""


#: Bytes of N-Quads loaded at once (bulk loading skips transactions: the
#: manifest's ``complete`` flag covers an interrupted write).
BULK_BYTES = 32 * 2**20
#: Bulk loads (and updates) after which the store is compacted. Each bulk load
#: adds its own sorted files, which span the whole key space (keys are hashes):
#: a look-up then reads one file per load. At 2,000 reports (45 loads) the named
#: queries took two to three times as long on disk before the compaction; it
#: costs about a quarter of the store's write time.
COMPACT_AFTER_LOADS = 4


def _in_graph(ntriples_data: bytes, name: str) -> bytes:
    """Sorted N-Triples lines (each ending `` .``) as N-Quads in the graph ``name``."""
    if not ntriples_data:
        return b""
    tail = f" <{name}> .\n".encode()
    return tail.join(line[:-2] for line in ntriples_data.splitlines()) + tail


class _Loader:
    """Bulk-loads graphs into a store in chunks of about :data:`BULK_BYTES`, each
    graph into its named graph and into the default graph."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.chunk: list[bytes] = []
        self.size = 0
        self.graphs = 0
        #: Bulk loads made.
        self.loads = 0

    def add(self, name: str, data: bytes) -> None:
        self.chunk += [data, _in_graph(data, name)]
        self.size += 2 * len(data)
        self.graphs += 1
        if self.size > BULK_BYTES:
            self.close()

    def close(self) -> None:
        if self.chunk:
            self.store.bulk_load(b"".join(self.chunk), format=ox.RdfFormat.N_QUADS)
            self.loads += 1
        self.chunk, self.size = [], 0


def report_ntriples(report: LinkedReport) -> bytes:
    """One report's own graph as sorted N-Triples (rows written by rdflib's N-Triples writer)."""
    g = TripleSet()
    GraphBuilder().add_report(g, report)
    lines = sorted({_nt_row(t) for t in g.triple_set})
    return "".join(lines).encode("utf-8")


def write_store(directory: str | Path, graphs: Iterable[tuple[URIRef, Graph | bytes]]
                ) -> StoreUpdate:
    """Make the store at ``directory`` hold exactly ``graphs`` (name, triples as a
    graph or as sorted N-Triples).

    Each graph goes into the named graph of its name, and the default graph
    holds their union (the RDF merge, each triple once, as in a Turtle build).
    Named graphs whose triples did not change since the last write are left as
    they are; graphs not given are removed, and with them the triples of the
    default graph that no other graph holds. While an update runs the manifest
    says ``"complete": false``, so that an interrupted update is redone whole.
    After :data:`COMPACT_AFTER_LOADS` bulk loads and updates (counted across
    writes in the manifest), the store is compacted.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: not a folder; --store needs a folder")
    if (directory.is_dir() and not is_store(directory)
            and any(p.name != META_DIR for p in directory.iterdir())):
        raise OutputError(f"{directory}: folder is not empty and not an Oxigraph store")
    old = read_manifest(directory)
    complete = bool(old.get("complete"))
    old_graphs: dict[str, str] = old.get("graphs", {}) if complete else {}
    old_loads = old.get("loads", 0) if complete else 0
    loads = old_loads if isinstance(old_loads, int) else 0
    try:
        store = ox.Store(str(directory))
    except OSError as exc:
        raise OutputError(f"{directory}: cannot open the store ({exc})") from exc
    _write_manifest(directory, old_graphs, complete=False, loads=loads)
    if not complete:  # unknown state: start from an empty store
        store.clear()
    update = StoreUpdate()
    new_graphs: dict[str, str] = {}
    loader = _Loader(store)
    # a fresh store takes each graph as it comes; an update first takes out what
    # leaves (graphs kept compressed meanwhile), then adds what comes
    pending: list[tuple[str, bytes]] = []
    for name, g in graphs:
        data = g if isinstance(g, bytes) else ntriples(g)
        key = str(name)
        digest = hashlib.sha256(data).hexdigest()[:32]
        new_graphs[key] = digest
        update.triples += data.count(b"\n")
        if old_graphs.get(key) == digest:
            update.unchanged += 1
        elif not old_graphs:
            loader.add(key, data)
        else:
            pending.append((key, zlib.compress(data, 1)))
    changed = {key for key, _ in pending}
    dropped = sorted(k for k in old_graphs if k not in new_graphs or k in changed)
    for key in dropped:
        store.update(_DROP_EXCLUSIVE % (key, key))
        store.remove_graph(ox.NamedNode(key))
        update.removed += key not in new_graphs
    for key, packed in pending:
        loader.add(key, zlib.decompress(packed))
    loader.close()
    update.written = loader.graphs
    loads += loader.loads + bool(dropped)
    store.flush()
    if loads >= COMPACT_AFTER_LOADS:
        store.optimize()
        loads = 0
    del store
    _write_manifest(directory, new_graphs, complete=True, loads=loads)
    return update


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_IRI_BAD = re.compile(r'[<>"{}|^`\\\s]')


def with_values(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """``sparql`` with ``bindings`` as a VALUES block opening its outermost WHERE group.

    Oxigraph binds parameters (``substitutions``) only to projected variables,
    while a named query may bind one it does not return (``?region``); the
    VALUES block binds them as rdflib's ``initBindings`` does. Each value is
    written as an RDF term (an IRI checked for characters an IRI may not hold,
    a literal escaped by rdflib), never as query text.

        >>> from rdflib import Literal, URIRef
        >>> with_values("SELECT ?x WHERE { ?x ?p ?v }", {"v": Literal("1"), "p": URIRef("urn:p")})
        'SELECT ?x WHERE { VALUES (?p ?v) { (<urn:p> "1") } ?x ?p ?v }'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    terms = []
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}")
        term = bindings[name]
        if isinstance(term, URIRef):
            if _IRI_BAD.search(str(term)):
                raise QueryError(f"parameter {name}: not an IRI: {str(term)!r}")
        elif not isinstance(term, Literal):
            raise QueryError(f"parameter {name}: only IRIs and literals can be bound")
        terms.append(term.n3())
    # the outermost WHERE: the first one outside comment lines
    body = "\n".join(" " * len(line) if line.lstrip().startswith("#") else line
                     for line in sparql.split("\n"))  # same offsets, comments blanked
    m = _WHERE.search(body)
    if m is None:
        raise QueryError("parameters need a query with a WHERE { … } clause")
    block = (f" VALUES ({' '.join('?' + n for n in names)}) "
             f"{{ ({' '.join(terms)}) }}")
    return sparql[: m.end()] + block + sparql[m.end():]


#: Whether :class:`_ValuesStore` runs SELECT queries itself (pyoxigraph's public
#: API, terms converted by :func:`term_converter`); off, every query goes through
#: oxrdflib's own ``query`` (the tests compare the two).
_OWN_CONVERSION = True


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_converter() -> Callable[[Any], Any]:
    """A function from pyoxigraph terms to rdflib terms as rdflib's own parsers make
    them (as oxrdflib does, except that an ``xsd:string`` literal is a plain
    literal, as RDF 1.1 has it and rdflib reads it), each distinct term converted
    once (a result's rows repeat their units, statuses, regions and labels:
    building an rdflib literal parses and
    normalises its value, the larger part of reading a long result), and each
    datatype IRI made once.

        >>> import pyoxigraph as ox
        >>> convert = term_converter()
        >>> convert(ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
        rdflib.term.Literal('1.50', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
        >>> convert(ox.Literal("医保", language="zh")), convert(ox.NamedNode("urn:x"))
        (rdflib.term.Literal('医保', lang='zh'), rdflib.term.URIRef('urn:x'))
        >>> convert(ox.Literal("320412"))
        rdflib.term.Literal('320412')
    """
    cache: dict[Any, Any] = {}
    datatypes: dict[str, URIRef] = {}
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def make(term: Any) -> Any:
        kind = type(term)
        if kind is named:
            return URIRef(term.value)
        if kind is literal:
            if term.language:
                return Literal(term.value, lang=term.language)
            iri = term.datatype.value
            if iri == _XSD_STRING:  # a plain literal, as rdflib's parsers read it (RDF 1.1)
                return Literal(term.value)
            dt = datatypes.get(iri)
            if dt is None:
                dt = datatypes[iri] = URIRef(iri)
            return Literal(term.value, datatype=dt)
        if kind is blank:
            return BNode(term.value)
        raise QueryError(f"the store returned a term rdflib cannot hold: {term!r}")

    def convert(term: Any) -> Any:
        if term is None:
            return None
        found = cache.get(term)
        if found is None:
            found = cache[term] = make(term)
        return found

    return convert


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose lexical form, as Oxigraph writes it (canonical), is already the
#: one rdflib's normalisation would give: their literals are made without it.
_CANONICAL = frozenset({_XSD + "decimal", _XSD + "integer", _XSD + "boolean"})
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
          "\\": "\\"}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")


def _unescape_match(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    if code:
        return chr(int(code, 16))
    char = _ECHAR.get(m.group(3))
    if char is None:
        raise QueryError(f"the store wrote an unknown escape: \\{m.group(3)}")
    return char


def tsv_converter() -> Callable[[str], Any]:
    r"""A function from a cell of a SPARQL TSV result, as Oxigraph writes it, to the
    rdflib term :func:`term_converter` makes of the same term (an empty cell is
    unbound: ``None``), each distinct cell converted once.

    Oxigraph writes the cells of a whole result at once, decoding each term in Rust;
    reading that text costs a fraction of making one Python object per cell.

        >>> convert = tsv_converter()
        >>> convert('"医保"@zh'), convert("<urn:x>"), convert("")
        (rdflib.term.Literal('医保', lang='zh'), rdflib.term.URIRef('urn:x'), None)
        >>> convert("1.5"), convert("-12")  # doctest: +NORMALIZE_WHITESPACE
        (rdflib.term.Literal('1.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')),
         rdflib.term.Literal('-12', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))
        >>> convert(r'"a\tb \"c\" \u00fc"')
        rdflib.term.Literal('a\tb "c" ü')
    """
    cache: dict[str, Any] = {"": None}
    datatypes: dict[str, URIRef] = {}

    def literal(lexical: str, iri: str) -> Literal:
        dt = datatypes.get(iri)
        if dt is None:
            dt = datatypes[iri] = URIRef(iri)
        if iri in _CANONICAL:
            return Literal(lexical, datatype=dt, normalize=False)
        return Literal(lexical, datatype=dt)

    def make(cell: str) -> Any:
        first = cell[0]
        if first == "<":
            return URIRef(cell[1:-1])
        if first == '"':
            end = cell.rindex('"')
            lexical = cell[1:end]
            if "\\" in lexical:
                lexical = _ESCAPE.sub(_unescape_match, lexical)
            tail = cell[end + 1:]
            if not tail:  # a plain literal (xsd:string), as rdflib's parsers read it
                return Literal(lexical, normalize=False)
            if tail[0] == "@":
                return Literal(lexical, lang=tail[1:], normalize=False)
            if tail.startswith("^^<") and tail.endswith(">"):
                iri = tail[3:-1]
                return Literal(lexical) if iri == _XSD_STRING else literal(lexical, iri)
        elif cell.startswith("_:"):
            return BNode(cell[2:])
        elif cell in ("true", "false"):
            return literal(cell, _XSD + "boolean")
        elif _INTEGER.fullmatch(cell):
            return literal(cell, _XSD + "integer")
        elif _DECIMAL.fullmatch(cell):
            return literal(cell, _XSD + "decimal")
        elif "e" in cell or "E" in cell:
            return literal(cell, _XSD + "double")
        raise QueryError(f"the store returned a term rdflib cannot hold: {cell!r}")

    def convert(cell: str) -> Any:
        found = cache.get(cell, cache)
        if found is cache:
            found = cache[cell] = make(cell)
        return found

    return convert


class _Row(ResultRow):
    """A row of a SELECT result; the rows of one result share their labels (rdflib's
    own rows build theirs anew, row by row)."""

    def __new__(cls, values: Any, labels: Any) -> _Row:
        row = tuple.__new__(cls, values)
        row.labels = labels
        return row


class _Solutions(Result):
    """The rows of a SELECT query that Oxigraph answered, read from its TSV
    serialisation (:func:`tsv_converter`) when first iterated; ``bindings`` gives
    them as rdflib's dicts."""

    def __init__(self, solutions: Any) -> None:
        super().__init__("SELECT")
        self.vars = [Variable(v.value) for v in solutions.variables]
        self._solutions: Any = solutions
        self._rows: list[_Row] | None = None

    def _read(self) -> list[_Row]:
        if self._rows is None:
            text = self._solutions.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
            self._solutions = None
            # a header line, then one line per solution, each ending with a newline
            lines = text.split("\n")[1:-1]
            assert self.vars is not None
            labels = {str(v): i for i, v in enumerate(self.vars)}
            width = len(self.vars)
            if width == 0:  # each solution of no variable is an empty line
                self._rows = [_Row((), labels) for _ in lines]
                return self._rows
            convert = tsv_converter()
            rows = []
            for line in lines:
                cells = line.split("\t")
                if len(cells) != width:
                    raise QueryError(f"the store wrote a row of {len(cells)} cells for "
                                     f"{width} variables")
                rows.append(_Row(tuple(map(convert, cells)), labels))
            self._rows = rows
        return self._rows

    def __iter__(self) -> Any:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    @property
    def bindings(self) -> MutableSequence[Mapping[Variable, Identifier]]:
        """The rows as rdflib's dicts of bound variables."""
        assert self.vars is not None
        names = self.vars
        return [{n: t for n, t in zip(names, row, strict=True) if t is not None}
                for row in self._read()]

    @bindings.setter
    def bindings(self, b: Any) -> None:
        raise AttributeError("the rows of a store's result are read from the store")


def _graph_name(node: Any) -> Any:
    """The pyoxigraph graph name of an rdflib graph identifier."""
    if node == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    if isinstance(node, BNode):
        return ox.BlankNode(node)
    return ox.NamedNode(node)


class _ValuesStore(OxigraphStore):
    """oxrdflib's store over the pyoxigraph store ``inner``, with parameters bound
    by :func:`with_values`, and SELECT rows converted to rdflib terms once per
    distinct term (queries run through pyoxigraph's public API on ``inner``,
    which this class keeps itself: oxrdflib's own attributes are not read)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(store=inner)
        self.oxigraph = inner

    def triples(self, triple_pattern: Any, context: Any = None) -> Any:
        """The triples matching ``triple_pattern`` (in ``context``'s graph, or in any),
        each term converted as :func:`term_converter` does."""
        s, p, o = triple_pattern
        pattern: list[Any] = []
        for term in (s, p, o):
            if term is None:
                pattern.append(None)
            elif isinstance(term, URIRef):
                pattern.append(ox.NamedNode(term))
            elif isinstance(term, BNode):
                pattern.append(ox.BlankNode(term))
            elif isinstance(term, Literal):
                datatype = None if term.datatype is None else ox.NamedNode(term.datatype)
                pattern.append(ox.Literal(term, language=term.language, datatype=datatype))
            else:  # a path or a variable: rdflib's own evaluation asks the other way
                return super().triples(triple_pattern, context)
        graph = None if context is None else _graph_name(getattr(context, "identifier", context))
        convert = term_converter()
        names: dict[Any, Any] = {}

        def context_of(name: Any) -> Any:
            if context is not None:
                return context
            found = names.get(name)
            if found is None:
                ident = (DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph)
                         else convert(name))
                found = names[name] = Graph(store=self, identifier=ident)
            return found

        return (((convert(q.subject), convert(q.predicate), convert(q.object)),
                 iter((context_of(q.graph_name),)))
                for q in self.oxigraph.quads_for_pattern(*pattern, graph))

    def query(self, query: Any, initNs: Mapping[str, Any],
              initBindings: Mapping[str, Identifier], queryGraph: Any,
              **kwargs: Any) -> Any:
        if initBindings and isinstance(query, str):
            query, initBindings = with_values(query, initBindings), {}
        if initBindings or kwargs or not isinstance(query, str) or not _OWN_CONVERSION:
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)
        default_graph: Any = _graph_name(queryGraph) if isinstance(queryGraph, Node) else None
        prefixes = {prefix: str(ns) for prefix, ns in self.namespaces()}
        prefixes.update({prefix: str(ns) for prefix, ns in initNs.items()})
        result = self.oxigraph.query(
            query,
            use_default_graph_as_union=queryGraph == "__UNION__",
            default_graph=default_graph,
            prefixes=prefixes,
        )
        if isinstance(result, ox.QuerySolutions):
            return _Solutions(result)
        convert = term_converter()
        if isinstance(result, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(result)
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            out.graph += ((convert(t.subject), convert(t.predicate), convert(t.object))
                          for t in result)
        return out


def open_store(directory: str | Path, *, in_memory: bool = False) -> Dataset:
    """The store at ``directory`` as a read-only rdflib :class:`Dataset`.

    With ``in_memory``, the store's default graph (the union of the reports,
    without the per-report named graphs) is first copied into an in-memory
    Oxigraph store: loading takes a while, but aggregate queries then run
    several times faster than on disk; changes to that copy are not saved.
    """
    directory = Path(directory)
    if not is_store(directory):
        raise GraphLoadError(f"{directory}: not an Oxigraph store")
    manifest = read_manifest(directory)
    if manifest and not manifest.get("complete", True):
        raise GraphLoadError(f"{directory}: the store's last update did not finish; rebuild it")
    try:
        inner = ox.Store.read_only(str(directory))
    except OSError as exc:
        raise GraphLoadError(f"{directory}: cannot open the store ({exc})") from exc
    if in_memory:
        memory = ox.Store()
        memory.bulk_load(inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
                         format=ox.RdfFormat.N_TRIPLES)
        inner = memory
    ds = Dataset(store=_ValuesStore(inner))
    bind_prefixes(ds)
    return ds


#: pyoxigraph's format of a graph file, by its suffix.
FILE_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
                ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
                ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}


def load_file(path: str | Path) -> Graph:
    """A graph file read into an in-memory Oxigraph store, as an rdflib graph.

    Turtle, N-Triples and JSON-LD give a :class:`~rdflib.Graph`; TriG and
    N-Quads a :class:`~rdflib.Dataset` whose named graphs are kept and whose
    default graph holds their union (each triple once), as in a store that
    ``kg build --store`` writes. Either way the rdflib API works as on a parsed
    graph, and SPARQL runs in Oxigraph (``kg.query`` binds parameters as in
    :func:`with_values`). Oxigraph writes numbers in their canonical form
    (``1286000.0`` is read as the decimal ``1286000``). Raises
    :class:`GraphLoadError` naming the file.

        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
        >>> _ = f.write_text('<urn:a> <urn:p> "x"@zh .', encoding="utf-8")
        >>> g = load_file(f)
        >>> len(g), [str(r[0]) for r in g.query("SELECT ?o WHERE { ?s ?p ?o }")]
        (1, ['x'])
    """
    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"{path}: no such graph file")
    fmt = FILE_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    inner = ox.Store()
    try:
        inner.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        detail = " ".join(str(exc).split())
        raise GraphLoadError(f"{path}: cannot parse as {fmt.name.lower()} ({detail})") from exc
    store = _ValuesStore(inner)
    if fmt.supports_datasets:
        inner.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        ds = Dataset(store=store)
        bind_prefixes(ds)
        return ds
    g = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)
    bind_prefixes(g)
    return g


def store_graph(directory: str | Path) -> Graph:
    """The default graph of the store at ``directory`` (the union of its reports)."""
    return Graph(store=open_store(directory).store, identifier=DATASET_DEFAULT_GRAPH_ID)
