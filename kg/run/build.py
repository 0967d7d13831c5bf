"""Building: paths → reports → one graph.

Each report goes through the one unit of work, :func:`kg.run.work.process`
(read → extract → link, and what the output needs of it), here
(:func:`kg.run.work.process_all`), in worker processes (``jobs``,
:mod:`kg.run.parallel`) or on a Dask cluster (``scheduler``,
:mod:`kg.run.cluster`), and reports whose results are cached are not
processed again (``cache``, :mod:`kg.run.incremental`). A report that cannot
be built, for whatever reason, is an :class:`~kg.base.errors.InputError` in
``result.errors`` and the others are still built.

Then, always here and over all reports in input order, so that every way of
building gives the same graph: :func:`gather` keeps each report once (a file
with the same bytes as an earlier one is skipped, with a line), and
:class:`BuildResult` holds the one cross-report merge (one identity per cited
document, :meth:`BuildResult.merged_report`) and makes the graph, the Turtle
file or the store's graphs from the merged reports.

    >>> import kg
    >>> g = kg.build(["seeds/001_9a1c20614dce059a.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import io
import logging
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.base.errors import DuplicateReportError, InputError, NoReportsError
from kg.base.filetypes import STDOUT
from kg.base.namespaces import YBR
from kg.base.ontology import canonical_ontology_graph, canonical_ontology_triples
from kg.base.records import LinkedReport
from kg.base.titles import normalise_title
from kg.graph.rdfgraph import (
    GraphBuilder,
    citation_key_map,
    merged_citation,
    new_dataset,
    new_graph,
    report_iri,
)
from kg.graph.turtle import Counts, report_fragment, unpack, write_turtle, write_turtle_file
from kg.ingest.collect import collect
from kg.ingest.manifest import Manifest, supplied
from kg.run.cluster import process_on_cluster
from kg.run.incremental import ReportCache, extractor_version, file_key
from kg.run.parallel import default_jobs, process_in_workers
from kg.run.work import Packed, Progress, ReportResult, Wanted, linked

log = logging.getLogger("kg")

__all__ = ["BuildResult", "Progress", "build", "build_report", "build_reports", "gather"]


@dataclass
class BuildResult:
    """What a build made: the linked reports and the inputs it had to skip."""

    #: The linked reports, in input order, kept pickled (:attr:`reports` loads them).
    packed: list[Packed] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: What the reader noticed about reports it built: (path, warning), in input order.
    warnings: list[tuple[str, str]] = field(default_factory=list)
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
    _key_map: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def reports(self) -> list[LinkedReport]:
        """The linked reports, in input order (before the cross-report merge)."""
        if self._loaded is None or len(self._loaded) != len(self.packed):
            self._loaded = [p.load() for p in self.packed]
        return self._loaded

    # -- the one cross-report merge ------------------------------------------------

    def key_map(self) -> dict[str, str]:
        """One identity per cited document across the reports: normalised title →
        the key of the first citation with both a 文号 and that title
        (:func:`~kg.graph.rdfgraph.citation_key_map`, from the reports' citations alone)."""
        if self._key_map is None:
            self._key_map = citation_key_map(c for p in self.packed for c in p.citations)
        return self._key_map

    def _changed(self) -> list[bool]:
        """For each report, whether the merge changes it (from its citations alone,
        without loading it)."""
        key_map = self.key_map()
        return [any(not number and title and key_map.get(normalise_title(title), key) != key
                    for number, title, key in p.citations) for p in self.packed]

    def merged_report(self, i: int) -> LinkedReport:
        """The ``i``-th report with the merge applied: each title cited alone takes
        the node of a 文号 citation of the same title in any report."""
        report = self.reports[i] if self._loaded is not None else self.packed[i].load()
        key_map = self.key_map()
        citations = tuple(merged_citation(c, key_map) for c in report.citations)
        return report if citations == report.citations else replace(report, citations=citations)

    def merged(self) -> list[LinkedReport]:
        """Every report with the merge applied, in input order."""
        return [self.merged_report(i) for i in range(len(self.packed))]

    # -- outputs ---------------------------------------------------------------------

    def report_graphs(self, *, ontology: bool = False) -> Iterator[tuple[URIRef, Graph]]:
        """Each report's own graph, named by the report's IRI, in input order.

        With ``ontology``, the ontology's graph (``ybr:graph/ontology``) comes last.
        The graphs share no state: each is built and can be dropped before the next.
        """
        builder = GraphBuilder()
        for i in range(len(self.packed)):
            report = self.merged_report(i)
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

        triples = self.triples + [None] * (len(self.packed) - len(self.triples))
        for i, (packed, changed, nt) in enumerate(zip(self.packed, self._changed(), triples,
                                                      strict=True)):
            if nt is None or changed:
                data = report_ntriples(self.merged_report(i))
            else:
                data = zlib.decompress(nt)
            yield report_iri(packed.sha256), data
        if ontology:
            yield YBR["graph/ontology"], ntriples(canonical_ontology_graph())

    def write_turtle(self, path: str | Path, *, ontology: bool = True) -> Counts | None:
        """Write the canonical Turtle of the graph to ``path`` (atomically; ``-``:
        standard output) from the
        reports' fragments, without building the graph (:mod:`kg.graph.turtle`, which
        applies the same merge to the fragments' citations); returns its counts, or
        None, having written nothing, when the fragments cannot be merged (then
        write :meth:`graph`)."""
        frags = self.fragments + [None] * (len(self.packed) - len(self.fragments))
        fragments = (unpack(f) if f is not None else report_fragment(p.load())
                     for p, f in zip(self.packed, frags, strict=True))
        onto = canonical_ontology_triples() if ontology else None
        if str(path) == STDOUT:  # all or nothing, as a file
            buffer = io.BytesIO()
            counts = write_turtle(buffer, fragments, onto)
            if counts is not None:
                sys.stdout.flush()
                sys.stdout.buffer.write(buffer.getvalue())
                sys.stdout.buffer.flush()
            return counts
        return write_turtle_file(path, fragments, onto)

    def graph(self, *, ontology: bool = True) -> Graph:
        """All reports in one graph, with the ontology's terms when ``ontology``."""
        g = new_graph()
        builder = GraphBuilder()
        for i in range(len(self.packed)):
            builder.add_report(g, self.merged_report(i))
        if ontology:
            g += canonical_ontology_graph()
        return g

    def dataset(self, *, ontology: bool = True) -> Dataset:
        """One named graph per report (named by the report's IRI), the ontology in its own."""
        ds = new_dataset()
        builder = GraphBuilder()
        for i in range(len(self.packed)):
            report = self.merged_report(i)
            builder.add_report(ds.graph(report_iri(report.document.sha256)), report)
        if ontology:
            onto = ds.graph(YBR["graph/ontology"])
            onto += canonical_ontology_graph()
        return ds


def gather(result: BuildResult, outcomes: Iterable[ReportResult]) -> None:
    """Add each report's result to ``result``, in input order: a built report (with
    its warnings, N-Triples and Turtle fragment), or why it was skipped. A report
    with the same bytes as one before it is skipped (:class:`DuplicateReportError`):
    one report, from the first file."""
    first: dict[str, str] = {p.sha256: p.load().document.path if p.path is None else p.path
                             for p in result.packed}
    for outcome in outcomes:
        packed = outcome.report
        if packed is None:
            assert outcome.error is not None
            result.errors.append(outcome.error)
            continue
        if packed.sha256 in first:
            problem = f"same content as {first[packed.sha256]} (built once, from that file)"
            result.errors.append(DuplicateReportError(outcome.path, problem))
            continue
        first[packed.sha256] = outcome.path
        result.packed.append(packed)
        result.triples.append(outcome.triples)
        result.fragments.append(outcome.fragment)
        result.warnings.extend((outcome.path, w) for w in outcome.warnings)


def build_report(path: str | Path) -> LinkedReport:
    """Read, extract and link one report (raises :class:`InputError`)."""
    return linked(path)


def build_reports(paths: Sequence[str | Path], progress: Progress | None = None, *,
                  jobs: int = 1, cache: str | Path | None = None,
                  scheduler: str | None = None, triples: bool = False,
                  turtle: bool = False, manifest: Manifest | None = None) -> BuildResult:
    """Build every report under ``paths``; bad inputs go to ``result.errors``.

    ``jobs`` worker processes extract the reports (``1``: this process; ``0``:
    one per CPU); ``scheduler`` sends them to a Dask cluster instead; ``cache``
    is a folder of linked reports from earlier builds (only new or changed
    files are extracted, and entries of files no longer given are dropped).
    Reports are kept in input order whatever the way, so the graph is the same.
    With ``triples``, each report's own N-Triples are built where it is
    extracted (``result.triples``, used by :meth:`BuildResult.report_ntriples`);
    with ``turtle``, its fragment of the canonical Turtle (``result.fragments``,
    used by :meth:`BuildResult.write_turtle`). ``manifest`` is what the user
    supplied about the reports (:func:`kg.ingest.manifest.supplied`: a manifest's
    rows, ``--region``); it fills what a report's text does not say.
    """
    t0 = time.perf_counter()
    files, errors = collect(paths)
    given = [manifest.given(f) for f in files] if manifest is not None else None
    result = BuildResult(errors=list(errors))
    wanted = Wanted(triples=triples, turtle=turtle)
    outcomes: list[ReportResult | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    store = None
    if cache is not None:
        store = ReportCache(cache)
        version = extractor_version()
        for i, path in enumerate(files):
            keys[i] = key = file_key(path, version, given[i] if given else ())
            if key is not None and (hit := store.get(key, path)) is not None:
                outcomes[i] = hit
                result.cached += 1
    todo = [i for i, o in enumerate(outcomes) if o is None]
    todo_files = [files[i] for i in todo]
    todo_given = [given[i] for i in todo] if given else None
    result.timings["collect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if scheduler:
        fresh = process_on_cluster(todo_files, scheduler, wanted, progress, todo_given)
    else:
        fresh = process_in_workers(todo_files, jobs if jobs > 0 else default_jobs(), wanted,
                                   progress, meanwhile=(canonical_ontology_triples if turtle
                                                        else _prepare_output if triples
                                                        else None), given=todo_given)
    result.timings["extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i, outcome in zip(todo, fresh, strict=True):
        outcomes[i] = outcome
        result.extracted.append(files[i])
        key = keys[i]
        if store is not None and key is not None and outcome.report is not None:
            store.put(key, outcome)
    if store is not None:
        store.prune(k for k in keys if k is not None)
        result.timings["cache"] = time.perf_counter() - t0
    gather(result, (o for o in outcomes if o is not None))
    return result


def _prepare_output() -> None:
    """What writing the reports' N-Triples needs whatever the reports: the ontology,
    read and canonicalised (:func:`canonical_ontology_triples`), as a graph. The
    canonical Turtle needs the triples alone."""
    canonical_ontology_graph()


def build(paths: str | Path | Sequence[str | Path], *, ontology: bool = True,
          jobs: int = 1, cache: str | Path | None = None,
          manifest: str | Path | None = None, region: str | None = None) -> Graph:
    """Build the graph of the reports under ``paths``.

    Bad inputs are logged (logger ``kg``, one warning each) and skipped; if no
    report at all could be built, :class:`~kg.base.errors.NoReportsError` is
    raised. ``jobs`` and ``cache`` are those of :func:`build_reports`;
    ``manifest`` (a file) and ``region`` (a code or name) supply what the texts
    do not say, as ``kg build --manifest``/``--region`` do
    (:mod:`kg.ingest.manifest`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = build_reports(paths, jobs=jobs, cache=cache,
                           manifest=supplied(manifest, region))
    for err in result.errors:
        log.warning("skipped %s", err)
    for path, warning in result.warnings:
        log.warning("%s: %s", path, warning)
    if not result.packed:
        detail = "; ".join(str(e) for e in result.errors) or "nothing to read"
        where = ", ".join(str(p) for p in paths)
        raise NoReportsError(where, f"no report could be built ({detail})")
    return result.graph(ontology=ontology)
