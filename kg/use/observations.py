"""Every observation of a graph as one row: the tidy table for pandas users.

:func:`observation_records` reads the observations of a graph (in memory, a
graph file or an Oxigraph store, see :func:`kg.use.sparql.load_graph`) into
plain :class:`ObservationRecord` s; :func:`observations` returns them as a
pandas DataFrame (``kg.observations``), one row per ``yb:Observation``, and
:func:`write_table` writes that DataFrame as CSV, or as Parquet when pyarrow is
installed (``kg table GRAPH -o obs.csv``).

Columns (:data:`COLUMNS`): ``observation``, ``report`` and ``file`` (its
source file), ``region`` (the GB/T 2260 code) and ``region_name``,
``indicator`` and ``indicator_label``, ``measure`` (``yb:measureLabel``),
``insurance`` (the scheme), ``program``, ``period`` and ``period_start`` (as
written in the graph: ``2023``, ``2023-12``, ``2021-11-30``), ``value`` and
``max_value`` (the upper bound of a range), ``unit``, ``status``,
``approximation``, ``value_type``, ``headline`` (``yb:isHeadline``),
``breakdown_of`` (the ``observation`` of the total a part belongs to),
``evidence``, ``sentence``, ``start`` and ``end`` (the offsets of the number's
phrase in the report's text). IRIs are written with the project's prefixes
(``ind:InsuredPersons``, ``ybr:observation/…``), as ``kg query`` prints them;
what a graph does not say is missing (``None``/``NaN``).

Summing without counting a number twice: keep the headline figures
(``headline``) of one scheme; a part (``breakdown_of`` set) is already in its
total, and ``ins:Basic`` is the total of the other schemes::

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix yb: <https://w3id.org/yibao-kg/ontology#> .
    ... @prefix obs: <https://w3id.org/yibao-kg/id/observation/> .
    ... @prefix ind: <https://w3id.org/yibao-kg/indicator/> .
    ... @prefix ins: <https://w3id.org/yibao-kg/insurance/> .
    ... @prefix ybu: <https://w3id.org/yibao-kg/unit/> .
    ... obs:a a yb:Observation ; yb:indicator ind:InsuredPersons ;
    ...     yb:insurance ins:Basic ; yb:value 421.6 ; yb:unit ybu:Person ;
    ...     yb:status yb:Actual ; yb:valueType yb:Level ; yb:isHeadline true .
    ... obs:b a yb:Observation ; yb:indicator ind:InsuredPersons ;
    ...     yb:insurance ins:Employee ; yb:value 68.3 ; yb:unit ybu:Person ;
    ...     yb:status yb:Actual ; yb:valueType yb:Level ; yb:isHeadline false ;
    ...     yb:breakdownOf obs:a .
    ... ''')
    >>> [(r.observation[-3:], r.value, r.headline, r.breakdown_of)
    ...  for r in observation_records(g)]  # IRIs as kg query prints them: <https://…/a>
    [('/a>', Decimal('421.6'), True, None), \
('/b>', Decimal('68.3'), False, '<https://w3id.org/yibao-kg/id/observation/a>')]
    >>> df = observations(g)
    >>> df[df.headline][["indicator", "insurance", "value"]].to_dict("records")
    [{'indicator': 'ind:InsuredPersons', 'insurance': 'ins:Basic', 'value': 421.6}]
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.base.errors import MissingDependencyError, OutputError
from kg.base.files import atomic_stream
from kg.base.namespaces import DCTERMS, IND, RDF, RDFS, SKOS, YB
from kg.use.sparql import term_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "ObservationRecord", "is_figure", "observation_records", "observations",
           "write_table"]

#: The columns of :func:`observations` (and of ``kg table``), in order.
COLUMNS = (
    "observation", "report", "file", "region", "region_name", "indicator",
    "indicator_label", "measure", "insurance", "program", "period", "period_start",
    "value", "max_value", "unit", "status", "approximation", "value_type", "headline",
    "breakdown_of", "evidence", "sentence", "start", "end",
)

#: The table formats :func:`write_table` writes, by file suffix.
TABLE_FORMATS = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class ObservationRecord:
    """One observation, its report and its evidence, read from a graph.

    IRIs (``observation``, ``indicator``…) are prefixed names (see
    :func:`kg.use.sparql.term_text`); ``node``, ``evidence_node`` and
    ``report_node`` keep the terms themselves. ``issued`` is the report's
    ``dcterms:issued`` as written. A field the graph does not state is None.
    """

    node: URIRef
    observation: str
    report: str | None
    report_node: URIRef | None
    file: str | None
    issued: str | None
    region: str | None
    region_name: str | None
    indicator: str | None
    indicator_label: str | None
    measure: str | None
    insurance: str | None
    program: str | None
    period: str | None
    period_start: str | None
    value: Decimal | None
    max_value: Decimal | None
    unit: str | None
    status: str | None
    approximation: str | None
    value_type: str | None
    headline: bool | None
    breakdown_of: str | None
    evidence: str | None
    evidence_node: URIRef | None
    sentence: str | None
    start: int | None
    end: int | None

    def row(self) -> dict[str, object]:
        """The record as a row of :func:`observations` (the :data:`COLUMNS`)."""
        return {c: getattr(self, c) for c in COLUMNS}


def _index(graph: Graph, predicate: URIRef) -> dict[Node, Node]:
    """Subject → object of a functional predicate (the smallest object if several)."""
    out: dict[Node, Node] = {}
    for s, o in graph.subject_objects(predicate):
        if s not in out or str(o) < str(out[s]):
            out[s] = o
    return out


def _labels(graph: Graph, predicate: URIRef) -> dict[Node, str]:
    """Subject → its label, a Chinese one first."""
    out: dict[Node, tuple[int, str]] = {}
    for s, o in graph.subject_objects(predicate):
        if not isinstance(o, Literal):
            continue
        rank = {"zh": 0, None: 1}.get(o.language, 2)
        if s not in out or (rank, str(o)) < out[s]:
            out[s] = (rank, str(o))
    return {s: text for s, (_, text) in out.items()}


def _concept_labels(graph: Graph) -> dict[Node, str]:
    """The Chinese preferred label of each indicator: the graph's, else the ontology's
    (a graph built with ``--no-ontology`` has none)."""
    # lazy: kg.base.ontology parses the ontology files, only needed for a graph without them
    from kg.base.ontology import concepts

    labels: dict[Node, str] = {URIRef(c.iri): c.pref_zh for c in concepts("ind")}
    labels.update({s: t for s, t in _labels(graph, SKOS.prefLabel).items()
                   if str(s).startswith(str(IND))})
    return labels


def _text(term: Node | None) -> str | None:
    return None if term is None else term_text(term)


def _literal(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _decimal(term: Node | None) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(str(term))
    except InvalidOperation:
        return None


def _int(term: Node | None) -> int | None:
    if term is None:
        return None
    try:
        return int(str(term))
    except ValueError:
        return None


def _bool(term: Node | None) -> bool | None:
    if not isinstance(term, Literal):
        return None
    return str(term).strip().lower() in ("true", "1")


def observation_records(graph: Graph) -> list[ObservationRecord]:
    """Every ``yb:Observation`` of ``graph`` as a record, sorted by report file and offset.

    Reads each property once for the whole graph (no SPARQL), so it takes
    about as long as iterating over the graph's observation triples.
    """
    nodes = {s for s in graph.subjects(RDF.type, YB.Observation) if isinstance(s, URIRef)}
    props = {
        name: _index(graph, p) for name, p in (
            ("indicator", YB.indicator), ("measure", YB.measureLabel), ("insurance", YB.insurance),
            ("program", YB.program), ("period", YB.period), ("period_start", YB.periodStart),
            ("value", YB.value), ("max_value", YB.maxValue), ("unit", YB.unit),
            ("status", YB.status), ("approximation", YB.approximation),
            ("value_type", YB.valueType), ("headline", YB.isHeadline),
            ("breakdown_of", YB.breakdownOf), ("region", YB.region), ("source", YB.source),
            ("evidence", YB.evidence), ("text", YB.text), ("start", YB.start),
            ("end", YB.end), ("file", YB.sourceFile), ("code", YB.adminCode),
            ("issued", DCTERMS.issued),
        )
    }
    names = _labels(graph, RDFS.label)
    indicator_labels = _concept_labels(graph)
    out = []
    for node in nodes:
        def get(name: str, subject: Node | None = node) -> Node | None:
            return None if subject is None else props[name].get(subject)

        region = get("region")
        report = get("source")
        evidence = get("evidence")
        indicator = get("indicator")
        out.append(ObservationRecord(
            node=node,
            observation=term_text(node),
            report=_text(report),
            report_node=report if isinstance(report, URIRef) else None,
            file=_literal(get("file", report)),
            issued=_literal(get("issued", report)),
            region=_literal(get("code", region)) or (
                str(region).rsplit("/", 1)[-1] if region is not None else None),
            region_name=names.get(region) if region is not None else None,
            indicator=_text(indicator),
            indicator_label=indicator_labels.get(indicator) if indicator is not None else None,
            measure=_literal(get("measure")),
            insurance=_text(get("insurance")),
            program=_text(get("program")),
            period=_literal(get("period")),
            period_start=_literal(get("period_start")),
            value=_decimal(get("value")),
            max_value=_decimal(get("max_value")),
            unit=_text(get("unit")),
            status=_text(get("status")),
            approximation=_text(get("approximation")),
            # an observation without yb:valueType is a level (ontology/yb.ttl)
            value_type=_text(get("value_type")) or term_text(YB.Level),
            headline=_bool(get("headline")),
            breakdown_of=_text(get("breakdown_of")),
            evidence=_text(evidence),
            evidence_node=evidence if isinstance(evidence, URIRef) else None,
            sentence=_literal(get("text", evidence)),
            start=_int(get("start", evidence)),
            end=_int(get("end", evidence)),
        ))
    out.sort(key=lambda r: (r.file or "", r.start if r.start is not None else -1,
                            r.end if r.end is not None else -1, r.observation))
    return out


def is_figure(r: ObservationRecord) -> bool:
    """Whether ``r`` is a figure its report states for its indicator, scheme, region,
    period and status: its headline figure (``yb:isHeadline``, decided once when
    the report is linked: a scheme's part of the all-schemes total — 其中职工医保参保
    人数 under 基本医疗保险参保人数 — is its own scheme's headline; a part of its own
    scheme's total, 其中退休人员…, a change or a repetition is none). The named
    queries select the same figures."""
    return r.value is not None and r.value_type == term_text(YB.Level) and bool(r.headline)


def _pandas() -> Any:
    try:
        import pandas  # lazy: pandas is heavy, and optional (the `table` extra)
    except ImportError as exc:
        raise MissingDependencyError(
            "kg.observations and kg table need pandas: pip install 'yibao-kg[table]'"
        ) from exc
    return pandas


def frame(records: Iterable[ObservationRecord]) -> pd.DataFrame:
    """The records as the DataFrame of :func:`observations`."""
    pd = _pandas()
    rows = [r.row() for r in records]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("value", "max_value"):
        df[column] = [float("nan") if r[column] is None else float(str(r[column])) for r in rows]
        df[column] = df[column].astype("float64")
    for column in ("start", "end"):
        df[column] = pd.array([r[column] for r in rows], dtype="Int64")
    df["headline"] = pd.array([r["headline"] for r in rows], dtype="boolean")
    return df


def observations(graph: Graph) -> pd.DataFrame:
    """Every observation of ``graph`` as a pandas DataFrame, one row each (see the
    module's docstring for the columns); needs pandas (the ``table`` extra)."""
    return frame(observation_records(graph))


def table_format(path: str | Path) -> str:
    """``csv`` or ``parquet``, from the file's suffix (:class:`OutputError` for another).

    >>> table_format("obs.parquet"), table_format("out/obs.CSV")
    ('parquet', 'csv')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise OutputError(f"{path}: write a .csv or a .parquet file")
    return TABLE_FORMATS[suffix]


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The DataFrame as UTF-8 CSV (a header row, no index, empty cells for missing values)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def write_table(df: pd.DataFrame, path: str | Path) -> str:
    """Write ``df`` to ``path`` atomically, as CSV or Parquet by its suffix; returns
    the format. Parquet needs pyarrow (:class:`MissingDependencyError` without it)."""
    fmt = table_format(path)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401  # lazy: heavy and optional (the `parquet` extra)
        except ImportError as exc:
            raise MissingDependencyError(
                f"{path}: writing Parquet needs pyarrow: pip install 'yibao-kg[parquet]'"
            ) from exc
        with atomic_stream(path) as fh:
            df.to_parquet(fh, index=False)
        return fmt
    with atomic_stream(path) as fh:
        fh.write(csv_bytes(df))
    return fmt
