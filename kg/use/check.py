"""Consistency checks across the observations of a graph (``kg check``).

The checks an analyst would otherwise do by hand, each a
:data:`yb:ConsistencyCheck <CHECKS>`. They find errors in the reports
themselves as well as in extraction; every finding names the observations it
compares, with their evidence (sentence and offsets):

``parts-exceed-total`` (``yb:PartsExceedTotal``)
    the parts of a total (``yb:breakdownOf``, in the total's unit) add up to
    more than the total (parts counted as ``ind:Other`` under a total of a
    concept, such as 约谈 and 暂停协议 under 处理, are kinds that may overlap
    and are not summed);
``scheme-sum-mismatch`` (``yb:SchemeSumMismatch``)
    职工 + 居民 ≠ 基本: for one indicator that adds up across schemes
    (:data:`SCHEME_ADDITIVE`: insured persons, fund revenue, expenditure and
    balances, visits), region, period and status, the ``ins:Employee`` and
    ``ins:Resident`` figures do not add up to the ``ins:Basic`` one, in one
    report or across reports (the same report's figures first);
``change-mismatch`` (``yb:ChangeMismatch``)
    a stated change (比上年增长6.2%, 提高3个百分点, 新增1216人) disagrees with
    the two levels the graph holds: the level of the change's period, and that
    of its base period (its ``yb:periodStart``; else the same period a year
    earlier; else an earlier level of the same sentence: 比2019年的596元…提高14%);
``cross-report-conflict`` (``yb:CrossReportConflict``)
    two reports state the same indicator, scheme, region, period and status
    with different values;
``rate-over-100`` (``yb:RateOver100``)
    a level of a rate (an indicator whose ``yb:canonicalUnit`` is
    ``ybu:Percent``) over 100%;
``target-before-report`` (``yb:TargetBeforeReport``)
    a target whose period ends in a year before the report's year
    (``dcterms:issued``).

The figures compared are those a report states for an indicator and scheme
(:func:`kg.use.observations.is_figure`: its headline figures, and a part of a
total of another scheme, such as 其中职工医保…); ``ind:Other`` and observations
without a region are never compared.

"Beyond rounding": a number may be off by half a unit of the last digit the
text can have written (62.7万 by 500; 87.46% by 0.005; a percentage written
whole by 0.5; counts and amounts under 10,000 written whole are exact). A
number written 约/左右 is never called inconsistent; 余/以上 is a lower bound,
近/以内 an upper bound, a range spans its two ends.

    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix yb: <https://w3id.org/yibao-kg/ontology#> .
    ... @prefix obs: <https://w3id.org/yibao-kg/id/observation/> .
    ... @prefix ind: <https://w3id.org/yibao-kg/indicator/> .
    ... @prefix ybu: <https://w3id.org/yibao-kg/unit/> .
    ... obs:t a yb:Observation ; yb:indicator ind:SanctionedInstitutions ;
    ...     yb:value 12 ; yb:unit ybu:Institution ; yb:status yb:Actual ; yb:isHeadline true .
    ... obs:p1 a yb:Observation ; yb:indicator ind:SanctionedInstitutions ;
    ...     yb:value 8 ; yb:unit ybu:Institution ; yb:status yb:Actual ; yb:isHeadline false ;
    ...     yb:breakdownOf obs:t .
    ... obs:p2 a yb:Observation ; yb:indicator ind:SanctionedInstitutions ;
    ...     yb:value 5 ; yb:unit ybu:Institution ; yb:status yb:Actual ; yb:isHeadline false ;
    ...     yb:breakdownOf obs:t .
    ... ''')
    >>> [(f.check, f.message) for f in check(g).findings]
    [('parts-exceed-total', 'the parts add up to 13家, more than the total 12家')]
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from rdflib import Graph, Literal, URIRef

from kg.base.namespaces import IND, INS, RDF, SH, YB, YBR, YBU, bind_prefixes
from kg.base.ontology import concepts
from kg.use.observations import ObservationRecord, is_figure, observation_records
from kg.use.sparql import term_text, text_table

__all__ = ["CHECKS", "CheckReport", "Finding", "check"]

#: The checks, by the name ``kg check --fail-on`` takes, with their ``yb:`` IRI.
CHECKS: dict[str, URIRef] = {
    "parts-exceed-total": YB.PartsExceedTotal,
    "scheme-sum-mismatch": YB.SchemeSumMismatch,
    "change-mismatch": YB.ChangeMismatch,
    "cross-report-conflict": YB.CrossReportConflict,
    "rate-over-100": YB.RateOver100,
    "target-before-report": YB.TargetBeforeReport,
}

#: Indicators whose employee and resident figures add up to the basic one.
SCHEME_ADDITIVE = frozenset(term_text(i) for i in (
    IND.InsuredPersons, IND.FundRevenue, IND.FundExpenditure, IND.FundCurrentBalance,
    IND.FundAccumulatedBalance, IND.InpatientVisits, IND.OutpatientVisits,
    IND.ChronicDiseaseOutpatientVisits,
))

_BASIC, _EMPLOYEE, _RESIDENT = (term_text(i) for i in (INS.Basic, INS.Employee, INS.Resident))
_LEVEL, _CHANGE = term_text(YB.Level), term_text(YB.Change)
_TARGET, _OTHER = term_text(YB.Target), term_text(IND.Other)
_PERCENT, _POINTS = term_text(YBU.Percent), term_text(YBU.PercentagePoint)
_APPROXIMATE = term_text(YB.Approximate)
_AT_LEAST, _AT_MOST = term_text(YB.AtLeast), term_text(YB.AtMost)

#: Units as the reports write them, for messages.
_UNIT_WORDS = {
    "ybu:Person": "人", "ybu:PersonTime": "人次", "ybu:Yuan": "元", "ybu:Percent": "%",
    "ybu:PercentagePoint": "个百分点", "ybu:Institution": "家", "ybu:Item": "项",
    "ybu:Case": "件", "ybu:Batch": "批", "ybu:Day": "天", "ybu:Month": "个月",
}

_HUNDRED = Decimal(100)


# --- bounds: what a written number can stand for -------------------------------------------


def rounding(value: Decimal, unit: str | None) -> Decimal:
    """Half a unit of the last digit the text can have written ``value`` with.

    >>> [str(rounding(Decimal(v), "ybu:Person")) for v in ("627000", "1000200", "830", "4.5")]
    ['500', '50', '0', '0.05']
    >>> [str(rounding(Decimal(v), "ybu:Percent")) for v in ("14", "87.46", "100")]
    ['0.5', '0.005', '0.5']
    """
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < 0:
        return Decimal(10) ** exponent / 2
    if unit in (_PERCENT, _POINTS):  # a ratio written whole (14%) is rounded
        return Decimal("0.5")
    if abs(value) < 10_000:  # written as it is: 830家, 670元
        return Decimal(0)
    return Decimal(10) ** exponent / 2  # 62.7万 → 627000: the 0.1万 is the last digit


@dataclass(frozen=True)
class Bounds:
    """The interval a written number stands for; None is unbounded."""

    lo: Decimal | None
    hi: Decimal | None

    def __add__(self, other: Bounds) -> Bounds:
        lo = None if self.lo is None or other.lo is None else self.lo + other.lo
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Bounds(lo, hi)

    def __sub__(self, other: Bounds) -> Bounds:
        lo = None if self.lo is None or other.hi is None else self.lo - other.hi
        hi = None if self.hi is None or other.lo is None else self.hi - other.lo
        return Bounds(lo, hi)

    def overlaps(self, other: Bounds) -> bool:
        """Whether the two intervals share a value."""
        if self.lo is not None and other.hi is not None and self.lo > other.hi:
            return False
        return not (self.hi is not None and other.lo is not None and self.hi < other.lo)

    def growth(self, base: Bounds) -> Bounds | None:
        """The percent change from ``base`` to this (None unless ``base`` is above 0)."""
        if base.lo is None or base.lo <= 0 or base.hi is None:
            return None
        lo = None if self.lo is None else (self.lo / base.hi - 1) * _HUNDRED
        hi = None if self.hi is None else (self.hi / base.lo - 1) * _HUNDRED
        return Bounds(lo, hi)


def bounds(r: ObservationRecord) -> Bounds:
    """What ``r``'s number can stand for: its rounding, range and approximation."""
    assert r.value is not None
    if r.approximation == _APPROXIMATE:
        return Bounds(None, None)
    lo = r.value - rounding(r.value, r.unit)
    top = r.max_value if r.max_value is not None else r.value
    hi = top + rounding(top, r.unit)
    if r.approximation == _AT_LEAST:
        return Bounds(lo, None)
    if r.approximation == _AT_MOST:
        return Bounds(None, hi)
    return Bounds(lo, hi)


# --- findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One inconsistency: the check, the observation in question (``focus``), the
    observations it is compared with, and a one-line message."""

    check: str
    focus: ObservationRecord
    compared: tuple[ObservationRecord, ...]
    message: str

    @property
    def records(self) -> tuple[ObservationRecord, ...]:
        """The focus, then the observations compared with it."""
        return (self.focus, *self.compared)

    @property
    def iri(self) -> URIRef:
        """A content-derived IRI: the check and the observations (SPEC section 4)."""
        key = " ".join([self.check, *(str(r.node) for r in self.records)])
        return YBR[f"finding/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"]


#: The role of each observation of a finding, by check (the focus first).
ROLES = {
    "parts-exceed-total": ("total", "part"),
    "scheme-sum-mismatch": ("basic", "scheme"),
    "change-mismatch": ("change", "level"),
    "cross-report-conflict": ("figure", "other report"),
    "rate-over-100": ("rate", ""),
    "target-before-report": ("target", ""),
}

#: The columns of :meth:`CheckReport.rows`: one row per observation of a finding.
ROW_COLUMNS = ("finding", "check", "role", "region", "region_name", "period", "indicator",
               "insurance", "value", "unit", "file", "start", "end", "message", "sentence")


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found in a graph of ``observations`` observations."""

    findings: tuple[Finding, ...]
    observations: int
    checks: tuple[str, ...]

    def count(self, checks: Iterable[str] | None = None) -> int:
        """The findings of ``checks`` (all when None)."""
        chosen = set(self.checks if checks is None else checks)
        return sum(1 for f in self.findings if f.check in chosen)

    def summary(self) -> str:
        """One line: how many findings of which checks."""
        if not self.findings:
            return (f"no inconsistencies in {self.observations} observations "
                    f"({len(self.checks)} checks)")
        per: dict[str, int] = defaultdict(int)
        for f in self.findings:
            per[f.check] += 1
        parts = ", ".join(f"{n} {c}" for c, n in sorted(per.items()))
        return f"{len(self.findings)} finding(s) in {self.observations} observations: {parts}"

    def rows(self) -> Iterator[dict[str, str]]:
        """One row per observation of each finding (the focus first), as text."""
        for n, f in enumerate(self.findings, 1):
            first, rest = ROLES[f.check]
            for i, r in enumerate(f.records):
                yield {
                    "finding": str(n), "check": f.check, "role": first if i == 0 else rest,
                    "region": r.region or "", "region_name": r.region_name or "",
                    "period": r.period or "", "indicator": r.indicator or "",
                    "insurance": r.insurance or "", "value": _number(r.value),
                    "unit": r.unit or "", "file": r.file or "",
                    "start": "" if r.start is None else str(r.start),
                    "end": "" if r.end is None else str(r.end),
                    "message": f.message, "sentence": r.sentence or "",
                }

    def table(self) -> str:
        """The findings as an aligned text table (the message on each finding's first row)."""
        columns = ("finding", "check", "role", "region_name", "period", "indicator",
                   "insurance", "value", "unit", "file", "start", "message", "sentence")
        rows, last = [], ""
        for row in self.rows():
            cells = [row[c] for c in columns]
            if row["finding"] == last:  # the finding's other observations: no repetition
                cells[:2] = ["", ""]
                cells[columns.index("message")] = ""
            last = row["finding"]
            rows.append(cells)
        return text_table(list(columns), rows)

    def csv(self) -> str:
        """The rows as CSV (every column, on every row)."""
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=ROW_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(self.rows())
        return buf.getvalue()

    def graph(self) -> Graph:
        """The findings as a SHACL validation report: an ``sh:ValidationReport`` with
        one ``sh:ValidationResult`` per finding (``sh:focusNode``, ``sh:resultMessage``,
        ``sh:sourceConstraintComponent`` the check's ``yb:`` IRI, ``sh:resultSeverity
        sh:Violation``, ``yb:comparedWith`` and ``yb:evidence``), and a copy of each
        evidence node (sentence, offsets, report), so it reads without the graph."""
        g = Graph(bind_namespaces="none")
        bind_prefixes(g)
        g.bind("sh", SH)
        key = " ".join(sorted(str(f.iri) for f in self.findings))
        report = YBR[f"check/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"]
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(not self.findings)))
        for f in self.findings:
            node = f.iri
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, f.focus.node))
            g.add((node, SH.resultSeverity, SH.Violation))
            g.add((node, SH.sourceConstraintComponent, CHECKS[f.check]))
            g.add((node, SH.resultMessage, Literal(f.message)))
            for r in f.compared:
                g.add((node, YB.comparedWith, r.node))
            for r in f.records:
                if r.evidence_node is None:
                    continue
                ev = r.evidence_node
                g.add((node, YB.evidence, ev))
                g.add((ev, RDF.type, YB.Evidence))
                if r.sentence is not None:
                    g.add((ev, YB.text, Literal(r.sentence, lang="zh")))
                if r.start is not None and r.end is not None:
                    g.add((ev, YB.start, Literal(r.start)))
                    g.add((ev, YB.end, Literal(r.end)))
                if r.report_node is not None:
                    g.add((ev, YB.source, r.report_node))
        return g


def _number(value: Decimal | None) -> str:
    """A value as the table shows it: 1000200, 87.46, 14."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _amount(value: Decimal | None, unit: str | None) -> str:
    """A value as a report writes it: 18.6亿元, 412.6万人, 1260家, 6.2%.

    >>> _amount(Decimal("1860000000"), "ybu:Yuan"), _amount(Decimal("4126000"), "ybu:Person")
    ('18.6亿元', '412.6万人')
    """
    word = _UNIT_WORDS.get(unit or "", unit or "")
    if value is None:
        return ""
    for scale, name in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(value) >= scale and unit not in (_PERCENT, _POINTS):
            return f"{_number(value / scale)}{name}{word}"
    return f"{_number(value)}{word}"


def _where(r: ObservationRecord) -> str:
    return f"{r.region_name or r.region} {r.period}"


# --- which figures are compared --------------------------------------------------------------


def _comparable(r: ObservationRecord) -> bool:
    return (r.value is not None and r.region is not None and r.indicator is not None
            and r.indicator != _OTHER)


def _same_report_first(found: Sequence[ObservationRecord],
                       report: str | None) -> list[ObservationRecord]:
    own = [r for r in found if r.report == report]
    return own or list(found)


# --- the checks --------------------------------------------------------------------------------


def _parts_exceed_total(records: Sequence[ObservationRecord],
                        by_id: dict[str, ObservationRecord]) -> Iterator[Finding]:
    parts: dict[str, list[ObservationRecord]] = defaultdict(list)
    for r in records:
        if r.breakdown_of is not None and r.value is not None:
            parts[r.breakdown_of].append(r)
    for total_id in sorted(parts, key=lambda t: _order(by_id.get(t))):
        total = by_id.get(total_id)
        if total is None or total.value is None or total.value_type != _LEVEL:
            continue
        # a part of no concept (其中约谈80家、暂停协议30家 under 处理120家) is one of kinds
        # that may overlap: only parts of a concept are summed
        same = [p for p in parts[total_id] if p.unit == total.unit and p.value_type == _LEVEL
                and (p.indicator != _OTHER or total.indicator == _OTHER)]
        top = bounds(total).hi
        if not same or top is None:
            continue
        floor = Decimal(0)
        for p in same:
            lo = bounds(p).lo
            if lo is None:  # an upper bound only: at least nothing
                assert p.value is not None
                if p.value < 0:
                    break
                lo = Decimal(0)
            floor += lo
        else:
            if floor > top:
                total_sum = sum((p.value for p in same if p.value is not None), Decimal(0))
                yield Finding("parts-exceed-total", total, tuple(same),
                              f"the parts add up to {_amount(total_sum, total.unit)}, more than "
                              f"the total {_amount(total.value, total.unit)}")


def _scheme_sum_mismatch(figures: Sequence[ObservationRecord]) -> Iterator[Finding]:
    groups: dict[tuple[str | None, ...], list[ObservationRecord]] = defaultdict(list)
    for r in figures:
        if r.indicator in SCHEME_ADDITIVE and r.insurance in (_BASIC, _EMPLOYEE, _RESIDENT):
            groups[(r.indicator, r.region, r.period, r.period_start, r.status, r.unit)].append(r)
    for key in sorted(groups, key=lambda k: [str(x) for x in k]):
        group = groups[key]
        for basic in (r for r in group if r.insurance == _BASIC):
            employees = _same_report_first([r for r in group if r.insurance == _EMPLOYEE],
                                           basic.report)
            residents = _same_report_first([r for r in group if r.insurance == _RESIDENT],
                                           basic.report)
            if not employees or not residents:
                continue
            if any((bounds(e) + bounds(r)).overlaps(bounds(basic))
                   for e, r in product(employees, residents)):
                continue
            e, r = employees[0], residents[0]
            assert e.value is not None and r.value is not None
            yield Finding("scheme-sum-mismatch", basic, (e, r),
                          f"职工 {_amount(e.value, e.unit)} + 居民 {_amount(r.value, r.unit)} = "
                          f"{_amount(e.value + r.value, e.unit)}, but 基本 is "
                          f"{_amount(basic.value, basic.unit)}")


def _year_before(period: str) -> str | None:
    """The same period a year earlier: 2023 → 2022, 2023-12 → 2022-12."""
    year, sep, rest = period.partition("-")
    if not year.isdigit():
        return None
    if rest == "02-29":
        rest = "02-28"
    return f"{int(year) - 1:04d}{sep}{rest}"


def _expected(change: ObservationRecord, level: ObservationRecord,
              base: ObservationRecord) -> list[Bounds]:
    """The changes the two levels allow, in the change's unit."""
    now, then = bounds(level), bounds(base)
    if change.unit == _PERCENT:
        out = [g] if (g := now.growth(then)) is not None else []
        if level.unit == _PERCENT:  # 提高5% of a rate may mean five points
            out.append(now - then)
        return out
    return [now - then]


def _change_mismatch(changes: Sequence[ObservationRecord],
                     figures: Sequence[ObservationRecord]) -> Iterator[Finding]:
    levels: dict[tuple[str | None, ...], list[ObservationRecord]] = defaultdict(list)
    for r in figures:
        levels[(r.indicator, r.insurance, r.region, r.status)].append(r)
    for c in changes:
        assert c.value is not None
        stated = bounds(c)
        if (stated.lo is None and stated.hi is None) or c.period is None:
            continue
        found = levels.get((c.indicator, c.insurance, c.region, c.status), [])
        if c.unit == _POINTS:
            found = [r for r in found if r.unit == _PERCENT]
        elif c.unit != _PERCENT:
            found = [r for r in found if r.unit == c.unit]
        now = _same_report_first([r for r in found if r.period == c.period], c.report)
        base_period = c.period_start or _year_before(c.period)
        then = [r for r in found if r.period == base_period]
        if not then:  # 比2019年的596元…提高14%: an earlier level of the same sentence
            then = [r for r in found if r.report == c.report and r.sentence == c.sentence
                    and (r.period or "") < c.period]
        then = _same_report_first(then, c.report)
        pairs = [(n, t) for n, t in product(now, then) if n is not t]
        if not pairs:
            continue
        if any(stated.overlaps(e) for n, t in pairs for e in _expected(c, n, t)):
            continue
        n, t = pairs[0]
        assert n.value is not None and t.value is not None
        if c.unit == _PERCENT and t.value > 0:
            computed = f"{(n.value / t.value - 1) * _HUNDRED:+.2f}%"
        else:
            computed = _amount(n.value - t.value, c.unit)
        yield Finding("change-mismatch", c, (n, t),
                      f"{t.period} {_amount(t.value, t.unit)} → {n.period} "
                      f"{_amount(n.value, n.unit)} is {computed}, but the report says "
                      f"{_amount(c.value, c.unit)}")


def _cross_report_conflict(figures: Sequence[ObservationRecord]) -> Iterator[Finding]:
    groups: dict[tuple[str | None, ...], dict[str, ObservationRecord]] = defaultdict(dict)
    for r in figures:
        if r.report is None:
            continue
        key = (r.indicator, r.insurance, r.region, r.period, r.period_start, r.status, r.unit)
        groups[key].setdefault(r.report, r)  # each report's first figure
    for group in sorted(groups, key=lambda k: [str(x) for x in k]):
        stated = sorted(groups[group].values(), key=_order)
        for i, a in enumerate(stated):
            for b in stated[i + 1:]:
                if bounds(a).overlaps(bounds(b)):
                    continue
                yield Finding("cross-report-conflict", a, (b,),
                              f"{a.file} says {_amount(a.value, a.unit)}, "
                              f"{b.file} says {_amount(b.value, b.unit)}")


def _rate_over_100(records: Sequence[ObservationRecord]) -> Iterator[Finding]:
    rates = {term_text(URIRef(c.iri)) for c in concepts("ind") if c.canonical_unit == "Percent"}
    for r in records:
        if (r.indicator in rates and r.unit == _PERCENT and r.value_type == _LEVEL
                and r.value is not None):
            lo = bounds(r).lo
            if lo is not None and lo > _HUNDRED:
                yield Finding("rate-over-100", r, (),
                              f"{r.indicator} is a rate, but {_amount(r.value, r.unit)} "
                              f"is over 100%")


def _target_before_report(records: Sequence[ObservationRecord]) -> Iterator[Finding]:
    for r in records:
        if r.status != _TARGET or not r.period or not r.issued:
            continue
        target, issued = r.period[:4], r.issued[:4]
        if target.isdigit() and issued.isdigit() and target < issued:
            yield Finding("target-before-report", r, (),
                          f"a target for {r.period} in a report of {r.issued}")


def _order(r: ObservationRecord | None) -> tuple[str, int, str]:
    if r is None:
        return ("", -1, "")
    return (r.file or "", r.start if r.start is not None else -1, r.observation)


def check(graph: Graph, checks: Iterable[str] | None = None) -> CheckReport:
    """Run ``checks`` (names of :data:`CHECKS`; all when None) over the observations of
    ``graph``; the findings come check by check, in the order of :data:`CHECKS`."""
    chosen = tuple(CHECKS) if checks is None else tuple(c for c in CHECKS if c in set(checks))
    unknown = set(checks or ()) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown check(s) {sorted(unknown)}: choose from {', '.join(CHECKS)}")
    records = observation_records(graph)
    by_id = {r.observation: r for r in records}
    figures = sorted((r for r in records if _comparable(r) and is_figure(r)),
                     key=_order)
    changes = sorted((r for r in records if _comparable(r) and r.value_type == _CHANGE),
                     key=_order)
    run = {
        "parts-exceed-total": lambda: _parts_exceed_total(records, by_id),
        "scheme-sum-mismatch": lambda: _scheme_sum_mismatch(figures),
        "change-mismatch": lambda: _change_mismatch(changes, figures),
        "cross-report-conflict": lambda: _cross_report_conflict(figures),
        "rate-over-100": lambda: _rate_over_100(records),
        "target-before-report": lambda: _target_before_report(records),
    }
    findings: list[Finding] = []
    for name in chosen:
        findings.extend(run[name]())
    return CheckReport(tuple(findings), len(records), chosen)
