"""Precision/recall of observations against expected records (seed gold or the genre corpus).

An expected record matches a built observation of the same report with the
same value (±0.1 %) and unit, the nearest in the text first; each field is
then scored on the matched pairs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from kg.base.records import LinkedReport

FIELDS = ("indicator", "insurance", "region", "period", "status", "valueType", "approx")


@dataclass
class ObsScore:
    expected: int = 0
    built: int = 0
    matched: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    strict: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.built if self.built else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    def rates(self) -> dict[str, float]:
        """Every rate :meth:`table` prints: precision, recall, strict and each field."""
        out = {"precision": self.precision, "recall": self.recall,
               "strict": self.strict / max(self.expected, 1)}
        out.update((name, self.fields[name] / max(self.matched, 1)) for name in FIELDS)
        return out

    def table(self) -> str:
        lines = [f"quantities: expected {self.expected}, built {self.built}, matched {self.matched}"
                 f"  P={self.precision:.3f} R={self.recall:.3f}",
                 f"strict (all fields right): {self.strict}/{self.expected}"
                 f" = {self.strict / max(self.expected, 1):.3f}"]
        for name in FIELDS:
            n = self.fields[name]
            lines.append(f"  {name:10s} {n}/{self.matched} = {n / max(self.matched, 1):.3f}")
        return "\n".join(lines)


def _same(a: Decimal, b: Decimal) -> bool:
    return a == b or abs(a - b) <= max(abs(b) * Decimal("0.001"), Decimal("0.005"))


def _fields(report: LinkedReport) -> list[dict[str, object]]:
    out = []
    for o in report.observations:
        m = o.mention
        out.append({
            "value": m.value, "unit": m.unit, "indicator": m.indicator,
            "insurance": m.insurance, "region": o.region, "period": m.period,
            "status": m.status, "valueType": m.value_type, "approx": m.approximation,
            "start": m.start,
        })
    return out


def _period_ok(gold: str | None, got: object) -> bool:
    if not gold:
        return True
    got_s = str(got or "")
    return got_s.startswith(gold) or (gold.startswith(got_s) and len(got_s) >= 7)


def score(reports: dict[str, LinkedReport], expected: list[dict[str, object]],
          text_of: dict[str, str]) -> ObsScore:
    """Score built reports (by key) against expected records with ``doc`` keys."""
    result = ObsScore()
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    for e in expected:
        by_doc[str(e["doc"])].append(e)
    for doc, report in reports.items():
        built = _fields(report)
        result.built += len(built)
        used: set[int] = set()
        for e in by_doc.get(doc, []):
            result.expected += 1
            value = Decimal(str(e["value"]))
            pos = text_of[doc].find(str(e["text"]))
            cands = [i for i, b in enumerate(built) if i not in used
                     and _same(b["value"], value) and b["unit"] == e["unit"]]  # type: ignore[arg-type]
            if not cands:
                result.misses.append(f"{doc}: {e['text']} ({e['value']} {e['unit']})")
                continue
            i = min(cands, key=lambda k: abs(int(built[k]["start"]) - pos))  # type: ignore[call-overload]
            used.add(i)
            b = built[i]
            result.matched += 1
            ok = {
                "indicator": b["indicator"] == e["indicator"],
                "insurance": e.get("insurance") is None or b["insurance"] == e["insurance"],
                "region": b["region"] == e["region"],
                "period": _period_ok(e.get("period"), b["period"]),  # type: ignore[arg-type]
                "status": b["status"] == e["status"],
                "valueType": b["valueType"] == e.get("valueType", "Level"),
                "approx": b["approx"] == e.get("approx"),
            }
            for name, good in ok.items():
                result.fields[name] += good
            if all(ok[k] for k in ("indicator", "insurance", "region", "period", "status")):
                result.strict += 1
    return result


def load(path: Path, key: str = "doc") -> list[dict[str, object]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            if obj.get("type", "obs") in ("obs", None) or "value" in obj:
                obj["doc"] = obj.get(key, obj.get("doc"))
                rows.append(obj)
    return rows
