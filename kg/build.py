"""Building: paths → reports → one graph.

One straight flow per report, ``read_document → extract → link``; then all
linked reports go to :mod:`kg.rdfgraph`. A report that cannot be read is
recorded as an :class:`~kg.errors.InputError` and the others are still built.

    >>> import kg
    >>> g = kg.build(["seeds/001_9a1c20614dce059a.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

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


def build_reports(paths: Sequence[str | Path], progress: Progress | None = None) -> BuildResult:
    """Build every report under ``paths``; bad inputs go to ``result.errors``."""
    files, errors = collect(paths)
    result = BuildResult(errors=list(errors))
    iterable: Iterable[Path] = progress(files, len(files)) if progress else files
    for path in iterable:
        try:
            result.reports.append(build_report(path))
        except InputError as exc:
            result.errors.append(exc)
    for err in result.errors:
        log.warning("%s", err)
    return result


def build(paths: str | Path | Sequence[str | Path], *, ontology: bool = True) -> Graph:
    """Build the graph of the reports under ``paths``.

    Bad inputs are logged (logger ``kg``) and skipped; if no report at all
    could be built, :class:`~kg.errors.NoReportsError` is raised.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = build_reports(paths)
    if not result.reports:
        detail = "; ".join(str(e) for e in result.errors) or "nothing to read"
        where = ", ".join(str(p) for p in paths)
        raise NoReportsError(where, f"no report could be built ({detail})")
    return result.graph(ontology=ontology)
