"""SHACL validation of a built graph against the shapes in ``ontology/shapes.ttl``.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.base.ontology import ontology_graph, shapes_graph


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


def validate(graph: Graph) -> ValidationReport:
    """Validate ``graph`` with pySHACL (ontology given as ``ont_graph``, warnings allowed)."""
    conforms, report, _text = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
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
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ValidationReport(bool(conforms), tuple(results))
