"""Building: paths → reports → one graph.

One straight flow per report, ``read_document → extract → link``; then all
linked reports go to :mod:`kg.rdfgraph`. A report that cannot be read is
recorded as an :class:`~kg.errors.InputError` and the others are still built.

The per-report flow can run in worker processes (``jobs``, :mod:`kg.parallel`)
or on a Dask cluster (``scheduler``, :mod:`kg.cluster`), and can skip reports
whose linked records are cached (``cache``, :mod:`kg.incremental`). The
cross-report steps (one identity per cited document, the graph) always run
here over all reports, in input order, so every way of building gives the
same graph.

    >>> import kg
    >>> g = kg.build(["seeds/001_9a1c20614dce059a.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.errors import InputError, NoReportsError
from kg.extract import extract
from kg.ingest import collect, read_document
from kg.link import link
from kg.ontology import canonical_ontology_graph
from kg.rdfgraph import GraphBuilder, merge_citation_keys, new_dataset, new_graph, report_iri
from kg.records import LinkedReport

log = logging.getLogger("kg")

Progress = Callable[[Iterable[Path], int], Iterable[Path]]


@dataclass
class BuildResult:
    """What a build made: the linked reports and the inputs it had to skip."""

    reports: list[LinkedReport] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: The files extracted in this build (the others came from the cache).
    extracted: list[Path] = field(default_factory=list)
    #: How many reports came from the cache.
    cached: int = 0
    #: Seconds spent per phase (``collect``, ``extract``; graph phases add theirs).
    timings: dict[str, float] = field(default_factory=dict)
    #: Each report's own N-Triples as built where it was extracted (before the
    #: cross-report merge), zlib-compressed, aligned with ``reports``; None where not built.
    triples: list[bytes | None] = field(default_factory=list)

    def merged(self) -> list[LinkedReport]:
        """The reports with one identity per cited document across all of them."""
        return merge_citation_keys(self.reports)

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
            from kg.namespaces import YBR

            yield YBR["graph/ontology"], canonical_ontology_graph()

    def report_ntriples(self, *, ontology: bool = False) -> Iterator[tuple[URIRef, bytes]]:
        """As :meth:`report_graphs`, each graph as sorted N-Triples.

        A report's triples built by its worker are used as they are unless the
        cross-report merge changed the report (then they are built again here).
        """
        import zlib

        from kg.store import ntriples, report_ntriples

        triples = self.triples + [None] * (len(self.reports) - len(self.triples))
        for original, merged, packed in zip(self.reports, self.merged(), triples, strict=True):
            if packed is None or merged != original:
                nt = report_ntriples(merged)
            else:
                nt = zlib.decompress(packed)
            yield report_iri(merged.document.sha256), nt
        if ontology:
            from kg.namespaces import YBR

            yield YBR["graph/ontology"], ntriples(canonical_ontology_graph())

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
            from kg.namespaces import YBR

            onto = ds.graph(YBR["graph/ontology"])
            onto += canonical_ontology_graph()
        return ds


def build_report(path: str | Path) -> LinkedReport:
    """Read, extract and link one report (raises :class:`InputError`)."""
    document = read_document(path)
    return link(extract(document))


def build_reports(paths: Sequence[str | Path], progress: Progress | None = None, *,
                  jobs: int = 1, cache: str | Path | None = None,
                  scheduler: str | None = None, triples: bool = False) -> BuildResult:
    """Build every report under ``paths``; bad inputs go to ``result.errors``.

    ``jobs`` worker processes extract the reports (``1``: this process; ``0``:
    one per CPU); ``scheduler`` sends them to a Dask cluster instead; ``cache``
    is a folder of linked reports from earlier builds (only new or changed
    files are extracted, and entries of files no longer given are dropped).
    Reports are kept in input order whatever the way, so the graph is the same.
    With ``triples``, each report's own N-Triples are built where it is
    extracted (``result.triples``, used by :meth:`BuildResult.report_ntriples`).
    """
    from kg.parallel import Extracted, default_jobs, extract_all

    t0 = time.perf_counter()
    files, errors = collect(paths)
    result = BuildResult(errors=list(errors))
    outcomes: list[Extracted | None] = [None] * len(files)
    keys: list[str | None] = [None] * len(files)
    store = None
    if cache is not None:
        from kg.incremental import ReportCache, extractor_version, file_key

        store = ReportCache(cache)
        version = extractor_version()
        for i, path in enumerate(files):
            keys[i] = key = file_key(path, version)
            if key is not None and (hit := store.get(key, path)) is not None:
                outcomes[i] = hit if hit[1] is not None or not triples else (hit[0], None)
                result.cached += 1
    todo = [i for i, o in enumerate(outcomes) if o is None]
    todo_files = [files[i] for i in todo]
    result.timings["collect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if scheduler:
        from kg.cluster import extract_on_cluster

        fresh = extract_on_cluster(todo_files, scheduler, progress, triples)
    else:
        fresh = extract_all(todo_files, jobs if jobs > 0 else default_jobs(), progress, triples)
    result.timings["extract"] = time.perf_counter() - t0
    for i, outcome in zip(todo, fresh, strict=True):
        outcomes[i] = outcome
        result.extracted.append(files[i])
        key = keys[i]
        if store is not None and key is not None and isinstance(outcome[0], LinkedReport):
            store.put(key, outcome[0], outcome[1])
    if store is not None:
        store.prune(k for k in keys if k is not None)

    for done in outcomes:
        if done is None:
            continue
        if isinstance(done[0], InputError):
            result.errors.append(done[0])
        else:
            result.reports.append(done[0])
            result.triples.append(done[1])
    for err in result.errors:
        log.warning("%s", err)
    return result


def build(paths: str | Path | Sequence[str | Path], *, ontology: bool = True,
          jobs: int = 1, cache: str | Path | None = None) -> Graph:
    """Build the graph of the reports under ``paths``.

    Bad inputs are logged (logger ``kg``) and skipped; if no report at all
    could be built, :class:`~kg.errors.NoReportsError` is raised. ``jobs`` and
    ``cache`` are those of :func:`build_reports`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = build_reports(paths, jobs=jobs, cache=cache)
    if not result.reports:
        detail = "; ".join(str(e) for e in result.errors) or "nothing to read"
        where = ", ".join(str(p) for p in paths)
        raise NoReportsError(where, f"no report could be built ({detail})")
    return result.graph(ontology=ontology)
