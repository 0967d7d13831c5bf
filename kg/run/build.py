"""Building: paths → reports → one graph.

One straight flow per report, ``read_document → extract → link``; then all
linked reports go to :mod:`kg.graph.rdfgraph`. A report that cannot be read is
recorded as an :class:`~kg.base.errors.InputError` and the others are still built.

The per-report flow can run in worker processes (``jobs``, :mod:`kg.run.parallel`)
or on a Dask cluster (``scheduler``, :mod:`kg.run.cluster`), and can skip reports
whose linked records are cached (``cache``, :mod:`kg.run.incremental`). The
cross-report steps (one identity per cited document, the graph) always run
here over all reports, in input order, so every way of building gives the
same graph.

    >>> import kg
    >>> g = kg.build(["seeds/001_9a1c20614dce059a.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.base.errors import InputError, NoReportsError
from kg.base.namespaces import YBR
from kg.base.ontology import canonical_ontology_graph
from kg.base.records import LinkedReport
from kg.base.titles import normalise_title
from kg.graph.rdfgraph import (
    GraphBuilder,
    citation_key_map,
    merge_citation_keys,
    merged_citation,
    new_dataset,
    new_graph,
    report_iri,
)
from kg.graph.turtle import Counts, report_fragment, unpack, write_turtle_file
from kg.ingest.collect import collect, read_document
from kg.link.link import link
from kg.run.cluster import extract_on_cluster
from kg.run.incremental import ReportCache, extractor_version, file_key
from kg.run.parallel import Extracted, Packed, default_jobs, extract_all

log = logging.getLogger("kg")

Progress = Callable[[Iterable[Path], int], Iterable[Path]]


@dataclass
class BuildResult:
    """What a build made: the linked reports and the inputs it had to skip."""

    #: The linked reports, in input order, kept pickled (:attr:`reports` loads them).
    packed: list[Packed] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: The files extracted in this build (the others came from the cache).
    extracted: list[Path] = field(default_factory=list)
    #: How many reports came from the cache.
    cached: int = 0
    #: Seconds spent per phase (``collect``, ``extract``; graph phases add theirs).
    timings: dict[str, float] = field(default_factory=dict)
    #: Each report's own N-Triples as built where it was extracted (before the
    #: cross-report merge), zlib-compressed, aligned with ``packed``; None where not built.
    triples: list[bytes | None] = field(default_factory=list)
    #: Each report's fragment of the canonical Turtle (:mod:`kg.graph.turtle`, packed),
    #: aligned with ``packed``; None where not built.
    fragments: list[bytes | None] = field(default_factory=list)
    _loaded: list[LinkedReport] | None = field(default=None, repr=False, compare=False)

    @property
    def reports(self) -> list[LinkedReport]:
        """The linked reports, in input order."""
        if self._loaded is None or len(self._loaded) != len(self.packed):
            self._loaded = [p.load() for p in self.packed]
        return self._loaded

    def merged(self) -> list[LinkedReport]:
        """The reports with one identity per cited document across all of them."""
        return merge_citation_keys(self.reports)

    def _changed(self) -> list[bool]:
        """For each report, whether the cross-report merge changes it (from the
        reports' citations alone, without loading them)."""
        key_map = citation_key_map(c for p in self.packed for c in p.citations)
        return [any(not number and title and key_map.get(normalise_title(title), key) != key
                    for number, title, key in p.citations) for p in self.packed]

    def report_graphs(self, *, ontology: bool = False) -> Iterator[tuple[URIRef, Graph]]:
        """Each report's own graph, named by the report's IRI, in input order.

        With ``ontology``, the ontology's graph (``ybr:graph/ontology``) comes last.
        The graphs share no state: each is built and can be dropped before the next.
        """
        builder = GraphBuilder()
        for report in self.merged():
            g = new_graph()
            builder.add_report(g, report)
            yield report_iri(report.document.sha256), g
        if ontology:
            yield YBR["graph/ontology"], canonical_ontology_graph()

    def report_ntriples(self, *, ontology: bool = False) -> Iterator[tuple[URIRef, bytes]]:
        """As :meth:`report_graphs`, each graph as sorted N-Triples.

        A report's triples built by its worker are used as they are unless the
        cross-report merge changed the report (then they are built again here).
        """
        # lazy: kg.store.store loads oxrdflib, which only a store needs
        from kg.store.store import ntriples, report_ntriples

        key_map = citation_key_map(c for p in self.packed for c in p.citations)
        triples = self.triples + [None] * (len(self.packed) - len(self.triples))
        for packed, changed, nt in zip(self.packed, self._changed(), triples, strict=True):
            if nt is None or changed:
                report = packed.load()
                if changed:
                    report = replace(report, citations=tuple(
                        merged_citation(c, key_map) for c in report.citations))
                data = report_ntriples(report)
            else:
                data = zlib.decompress(nt)
            yield report_iri(packed.sha256), data
        if ontology:
            yield YBR["graph/ontology"], ntriples(canonical_ontology_graph())

    def write_turtle(self, path: str | Path, *, ontology: bool = True) -> Counts | None:
        """Write the canonical Turtle of the graph to ``path`` (atomically) from the
        reports' fragments, without building the graph (:mod:`kg.graph.turtle`);
        returns its counts, or None, having written nothing, when the fragments
        cannot be merged (then write :meth:`graph`)."""
        frags = self.fragments + [None] * (len(self.packed) - len(self.fragments))
        return write_turtle_file(path, (
            unpack(f) if f is not None else report_fragment(p.load())
            for p, f in zip(self.packed, frags, strict=True)),
            canonical_ontology_graph() if ontology else None)

    def graph(self, *, ontology: bool = True) -> Graph:
        """All reports in one graph, with the ontology's terms when ``ontology``."""
        g = new_graph()
        builder = GraphBuilder()
        for report in merge_citation_keys(self.reports):
            builder.add_report(g, report)
        if ontology:
            g += canonical_ontology_graph()
        return g

    def dataset(self, *, ontology: bool = True) -> Dataset:
        """One named graph per report (named by the report's IRI), the ontology in its own."""
        ds = new_dataset()
        builder = GraphBuilder()
        for report in merge_citation_keys(self.reports):
            builder.add_report(ds.graph(report_iri(report.document.sha256)), report)
        if ontology:
            onto = ds.graph(YBR["graph/ontology"])
            onto += canonical_ontology_graph()
        return ds


def build_report(path: str | Path) -> LinkedReport:
    """Read, extract and link one report (raises :class:`InputError`)."""
    # imported here: a parent whose workers extract never loads spaCy
    from kg.extract.extract import extract

    document = read_document(path)
    return link(extract(document))


def build_reports(paths: Sequence[str | Path], progress: Progress | None = None, *,
                  jobs: int = 1, cache: str | Path | None = None,
                  scheduler: str | None = None, triples: bool = False,
                  turtle: bool = False) -> BuildResult:
    """Build every report under ``paths``; bad inputs go to ``result.errors``.

    ``jobs`` worker processes extract the reports (``1``: this process; ``0``:
    one per CPU); ``scheduler`` sends them to a Dask cluster instead; ``cache``
    is a folder of linked reports from earlier builds (only new or changed
    files are extracted, and entries of files no longer given are dropped).
    Reports are kept in input order whatever the way, so the graph is the same.
    With ``triples``, each report's own N-Triples are built where it is
    extracted (``result.triples``, used by :meth:`BuildResult.report_ntriples`);
    with ``turtle``, its fragment of the canonical Turtle (``result.fragments``,
    used by :meth:`BuildResult.write_turtle`).
    """
    t0 = time.perf_counter()
    files, errors = collect(paths)
    result = BuildResult(errors=list(errors))
    outcomes: list[Extracted | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    store = None
    if cache is not None:
        store = ReportCache(cache)
        version = extractor_version()
        for i, path in enumerate(files):
            keys[i] = key = file_key(path, version)
            if key is not None and (hit := store.get(key, path)) is not None:
                outcomes[i] = hit
                result.cached += 1
    todo = [i for i, o in enumerate(outcomes) if o is None]
    todo_files = [files[i] for i in todo]
    result.timings["collect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if scheduler:
        fresh = extract_on_cluster(todo_files, scheduler, progress, triples, turtle)
    else:
        fresh = extract_all(todo_files, jobs if jobs > 0 else default_jobs(), progress, triples,
                            turtle, meanwhile=_prepare_output if turtle or triples else None)
    result.timings["extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i, outcome in zip(todo, fresh, strict=True):
        outcomes[i] = outcome
        result.extracted.append(files[i])
        key = keys[i]
        if store is not None and key is not None and isinstance(outcome[0], Packed):
            store.put(key, outcome[0], outcome[1], outcome[2])
    if store is not None:
        store.prune(k for k in keys if k is not None)
        result.timings["cache"] = time.perf_counter() - t0

    for done in outcomes:
        if done is None:
            continue
        if isinstance(done[0], InputError):
            result.errors.append(done[0])
        else:
            result.packed.append(done[0])
            result.triples.append(done[1])
            result.fragments.append(done[2])
    for err in result.errors:
        log.warning("%s", err)
    return result


def _prepare_output() -> None:
    """What writing the output needs whatever the reports: the ontology, read and
    canonicalised (about 0.1 s)."""
    canonical_ontology_graph()


def build(paths: str | Path | Sequence[str | Path], *, ontology: bool = True,
          jobs: int = 1, cache: str | Path | None = None) -> Graph:
    """Build the graph of the reports under ``paths``.

    Bad inputs are logged (logger ``kg``) and skipped; if no report at all
    could be built, :class:`~kg.base.errors.NoReportsError` is raised. ``jobs`` and
    ``cache`` are those of :func:`build_reports`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = build_reports(paths, jobs=jobs, cache=cache)
    if not result.packed:
        detail = "; ".join(str(e) for e in result.errors) or "nothing to read"
        where = ", ".join(str(p) for p in paths)
        raise NoReportsError(where, f"no report could be built ({detail})")
    return result.graph(ontology=ontology)
