"""What ``kg build`` prints about a build: counted in one place, whatever it wrote.

A build writes a Turtle file from fragments (the writer counts as it writes),
another format from an rdflib graph, or a store (counted by SPARQL in
Oxigraph): :func:`counts_of` counts any of them the same way — triples,
instances of each class of :data:`~kg.graph.turtle.INSTANCE_CLASSES`, the
programs mentioned — and :class:`BuildSummary` is the summary printed.

    >>> from kg.graph.turtle import Counts
    >>> print(BuildSummary(2, 1, Counts(10), 0.5).text())
    built 2 report(s), 10 triples in 0.5s; 1 file(s) skipped
    entities: none; 0 program(s) mentioned
    observations: 0
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph

from kg.base.namespaces import YB
from kg.graph.turtle import INSTANCE_CLASSES, Counts, graph_counts


def counts_of(graph: Graph | Counts) -> Counts:
    """The :class:`~kg.graph.turtle.Counts` of a graph or store (counted in Oxigraph
    for a store); counts already made are returned as they are."""
    if isinstance(graph, Counts):
        return graph
    from oxrdflib import OxigraphStore  # lazy: loads pyoxigraph, which only a store needs

    if isinstance(graph.store, OxigraphStore):
        rows = graph.query("SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t")
        found = {str(r[0]).rsplit("#", 1)[-1]: int(str(r[1])) for r in rows  # type: ignore[index]
                 if str(r[0]).startswith(str(YB))}  # type: ignore[index]
        mentioned = graph.query(f"SELECT DISTINCT ?p WHERE {{ ?r <{YB.mentions}> ?p "
                                f"FILTER(CONTAINS(STR(?p), '/program/')) }}")
        # the default graph holds each triple once: COUNT(*) (len() counts DISTINCT, 7x slower)
        total = graph.query("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }")
        return Counts(int(str(next(iter(total))[0])),  # type: ignore[index]
                      Counter({t: n for t, n in found.items() if t in INSTANCE_CLASSES}),
                      {str(r[0]) for r in mentioned})  # type: ignore[index]
    return graph_counts(graph.triples((None, None, None)))


@dataclass(frozen=True)
class BuildSummary:
    """A build's summary: reports built and skipped, and what the graph holds."""

    reports: int
    skipped: int
    counts: Counts
    seconds: float

    def text(self) -> str:
        """The summary as ``kg build`` prints it (three lines)."""
        types = self.counts.types
        parts = [f"{n} {t}" for t, n in sorted(types.items())
                 if t not in ("Report", "Observation")]
        skipped = f"; {self.skipped} file(s) skipped" if self.skipped else ""
        return "\n".join([
            f"built {self.reports} report(s), {self.counts.triples} triples in "
            f"{self.seconds:.1f}s{skipped}",
            f"entities: {', '.join(parts) or 'none'}; {len(self.counts.programs)} "
            f"program(s) mentioned",
            f"observations: {types.get('Observation', 0)}",
        ])
