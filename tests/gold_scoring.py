"""Score a built graph against the hand-made gold annotation of the seeds.

The gold file (``tests/gold/seeds.jsonl``) holds one JSON object a line, each
with ``doc`` (the seed's file stem) and ``type``:

- ``report``: ``region``, ``kind``, ``issued``, ``title``;
- ``region``: ``code``, ``label`` -- every region the report names or denotes;
- ``program``: ``program`` (local name in ``prog:``), ``text``;
- ``policy``: ``title``, ``docNumber``, ``text`` -- every cited document;
- ``implements`` / ``pilotOf``: ``s`` (region code), ``o`` (program), ``text``.

Usage::

    gold = load_gold()
    scores = score(graph, gold)
    print(format_scores(scores))
    print(scores["region"].explain())

Each fact is a tuple of strings whose first element is the document stem, so
that a failing test can print what was missed (``fn``) and what was extra
(``fp``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

GOLD_PATH = Path(__file__).parent / "gold" / "seeds.jsonl"

YB = Namespace("https://w3id.org/yibao-kg/ontology#")
PROG = "https://w3id.org/yibao-kg/program/"

PROGRAMS: frozenset[str] = frozenset(
    {
        "PaymentMethodReform", "DRG", "DIP", "GlobalBudget", "VolumeBasedProcurement",
        "DrugVBP", "ConsumableVBP", "LongTermCareInsurance", "CriticalIllnessInsurance",
        "MedicalAssistance", "CrossRegionDirectSettlement", "OutpatientMutualAid",
        "ChronicSpecialDiseaseOutpatient", "DualChannel", "HealthInsuranceECertificate",
        "InclusiveCommercialInsurance", "FamilyDoctorContract", "SmartSupervision",
        "AntiFraud", "CreditSystem", "DrugCatalogue", "MunicipalPooling",
    }
)
REPORT_KINDS: frozenset[str] = frozenset(
    {"WorkSummary", "Plan", "ProposalReply", "News", "StatisticalRelease", "OtherReport"}
)
FACT_TYPES: tuple[str, ...] = (
    "region",
    "program",
    "policy",
    "report.region",
    "report.kind",
    "report.issued",
    "report.title",
    "implements",
    "pilotOf",
)

Fact = tuple[str, ...]

_QUOTES_AND_BRACKETS = set("《》〈〉<>“”‘’\"'「」『』")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldReport:
    doc: str
    region: str
    kind: str
    issued: str | None
    title: str | None


@dataclass(frozen=True)
class GoldRegion:
    doc: str
    code: str
    label: str


@dataclass(frozen=True)
class GoldProgram:
    doc: str
    program: str
    text: str


@dataclass(frozen=True)
class GoldPolicy:
    doc: str
    title: str | None
    doc_number: str | None
    text: str


@dataclass(frozen=True)
class GoldRelation:
    doc: str
    predicate: str  # "implements" or "pilotOf"
    s: str
    o: str
    text: str


@dataclass(frozen=True)
class Gold:
    reports: tuple[GoldReport, ...]
    regions: tuple[GoldRegion, ...]
    programs: tuple[GoldProgram, ...]
    policies: tuple[GoldPolicy, ...]
    relations: tuple[GoldRelation, ...]

    @property
    def docs(self) -> frozenset[str]:
        return frozenset(r.doc for r in self.reports)


def _opt_str(obj: Mapping[str, object], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string or null, got {value!r}")
    return value


def _str(obj: Mapping[str, object], key: str) -> str:
    value = _opt_str(obj, key)
    if value is None:
        raise ValueError(f"{key!r} is required in {obj!r}")
    return value


def read_records(path: Path = GOLD_PATH) -> list[dict[str, object]]:
    """The raw JSON objects of the gold file, one per non-empty line."""
    out: list[dict[str, object]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{n}: not a JSON object")
        out.append(obj)
    return out


def load_gold(path: Path = GOLD_PATH) -> Gold:
    """Read the gold file into typed records."""
    reports: list[GoldReport] = []
    regions: list[GoldRegion] = []
    programs: list[GoldProgram] = []
    policies: list[GoldPolicy] = []
    relations: list[GoldRelation] = []
    for obj in read_records(path):
        doc, kind = _str(obj, "doc"), _str(obj, "type")
        if kind == "report":
            reports.append(
                GoldReport(doc, _str(obj, "region"), _str(obj, "kind"),
                           _opt_str(obj, "issued"), _opt_str(obj, "title"))
            )
        elif kind == "region":
            regions.append(GoldRegion(doc, _str(obj, "code"), _str(obj, "label")))
        elif kind == "program":
            programs.append(GoldProgram(doc, _str(obj, "program"), _str(obj, "text")))
        elif kind == "policy":
            policies.append(
                GoldPolicy(doc, _opt_str(obj, "title"), _opt_str(obj, "docNumber"),
                           _str(obj, "text"))
            )
        elif kind in ("implements", "pilotOf"):
            relations.append(
                GoldRelation(doc, kind, _str(obj, "s"), _str(obj, "o"), _str(obj, "text"))
            )
        else:
            raise ValueError(f"unknown gold type {kind!r}")
    return Gold(tuple(reports), tuple(regions), tuple(programs), tuple(policies),
                tuple(relations))


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    """Matches of one fact type: true positives, false positives, false negatives."""

    name: str
    tp: tuple[Fact, ...]
    fp: tuple[Fact, ...]
    fn: tuple[Fact, ...]

    @property
    def precision(self) -> float:
        found = len(self.tp) + len(self.fp)
        return len(self.tp) / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = len(self.tp) + len(self.fn)
        return len(self.tp) / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def explain(self, limit: int = 50) -> str:
        """The missed and the extra facts, one a line."""
        lines = [f"{self.name}: P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"]
        for label, facts in (("missed", self.fn), ("extra", self.fp)):
            for fact in facts[:limit]:
                lines.append(f"  {label}: " + " | ".join(fact))
            if len(facts) > limit:
                lines.append(f"  ... {len(facts) - limit} more {label}")
        return "\n".join(lines)


def _score_sets(name: str, gold: set[Fact], built: set[Fact]) -> Score:
    return Score(name, tuple(sorted(gold & built)), tuple(sorted(built - gold)),
                 tuple(sorted(gold - built)))


def format_scores(scores: Mapping[str, Score]) -> str:
    """A table ``type  P  R  F1  tp fp fn``, one row per fact type."""
    width = max([len("type"), *(len(k) for k in scores)])
    lines = [f"{'type':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'tp':>4} {'fp':>4} {'fn':>4}"]
    for key, s in scores.items():
        lines.append(
            f"{key:<{width}}  {s.precision:5.3f}  {s.recall:5.3f}  {s.f1:5.3f}  "
            f"{len(s.tp):>4} {len(s.fp):>4} {len(s.fn):>4}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- helpers


def normalise_title(title: str) -> str:
    """Title key: NFKC, without whitespace, 《》〈〉<> and quotes."""
    text = unicodedata.normalize("NFKC", title)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES_AND_BRACKETS)


def _stem(source_file: str) -> str:
    name = PureWindowsPath(PurePosixPath(source_file).name).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _local(node: Node) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _values(g: Graph, s: Node, p: URIRef) -> list[str]:
    return sorted({str(o) for o in g.objects(s, p)})


def _reports(g: Graph, docs: Iterable[str]) -> dict[URIRef, str]:
    """Report nodes of the gold documents, by their ``yb:sourceFile``."""
    wanted = set(docs)
    out: dict[URIRef, str] = {}
    for rep in g.subjects(RDF.type, YB.Report):
        if not isinstance(rep, URIRef):
            continue
        for f in g.objects(rep, YB.sourceFile):
            stem = _stem(str(f))
            if stem in wanted:
                out[rep] = stem
    return out


def _region_codes(g: Graph, node: Node) -> set[str]:
    """Codes of a yb:Region node, or of an agency's jurisdiction."""
    if (node, RDF.type, YB.Region) in g:
        return {str(c) for c in g.objects(node, YB.adminCode)}
    codes: set[str] = set()
    for region in g.objects(node, YB.jurisdiction):
        codes |= {str(c) for c in g.objects(region, YB.adminCode)}
    return codes


# --------------------------------------------------------------------------- per type


def _score_regions(g: Graph, gold: Gold, reps: Mapping[URIRef, str]) -> Score:
    built: set[Fact] = set()
    for rep, doc in reps.items():
        for x in g.objects(rep, YB.mentions):
            if (x, RDF.type, YB.Region) in g:
                built |= {(doc, str(c)) for c in g.objects(x, YB.adminCode)}
    return _score_sets("region", {(r.doc, r.code) for r in gold.regions}, built)


def _score_programs(g: Graph, gold: Gold, reps: Mapping[URIRef, str]) -> Score:
    built: set[Fact] = set()
    for rep, doc in reps.items():
        for x in g.objects(rep, YB.mentions):
            if isinstance(x, URIRef) and str(x).startswith(PROG):
                built.add((doc, str(x)[len(PROG):]))
    return _score_sets("program", {(p.doc, p.program) for p in gold.programs}, built)


def _policy_fact(doc: str, title: str | None, number: str | None) -> Fact:
    return (doc, title or "-", number or "-")


def _score_policies(g: Graph, gold: Gold, reps: Mapping[URIRef, str]) -> Score:
    tp: list[Fact] = []
    fp: list[Fact] = []
    fn: list[Fact] = []
    by_doc: dict[str, list[GoldPolicy]] = defaultdict(list)
    for pol in gold.policies:
        by_doc[pol.doc].append(pol)
    built_by_doc: dict[str, dict[Node, tuple[list[str], list[str]]]] = defaultdict(dict)
    for rep, doc in reps.items():
        for d in g.objects(rep, DCTERMS.references):
            if (d, RDF.type, YB.PolicyDocument) in g:
                built_by_doc[doc][d] = (_values(g, d, DCTERMS.title), _values(g, d, YB.docNumber))
    for doc in sorted(set(by_doc) | set(built_by_doc)):
        built = dict(built_by_doc.get(doc, {}))
        unmatched: list[GoldPolicy] = []
        # first by 文号, then by title among what is left
        for pol in by_doc.get(doc, []):
            hit = next((d for d, (_, nums) in built.items()
                        if pol.doc_number is not None and pol.doc_number in nums), None)
            if hit is None:
                unmatched.append(pol)
            else:
                del built[hit]
                tp.append(_policy_fact(doc, pol.title, pol.doc_number))
        for pol in unmatched:
            key = normalise_title(pol.title) if pol.title else None
            hit = next((d for d, (titles, _) in built.items()
                        if key and any(normalise_title(t) == key for t in titles)), None)
            if hit is None:
                fn.append(_policy_fact(doc, pol.title, pol.doc_number))
            else:
                del built[hit]
                tp.append(_policy_fact(doc, pol.title, pol.doc_number))
        for titles, nums in built.values():
            fp.append(_policy_fact(doc, " / ".join(titles) or None, " / ".join(nums) or None))
    return Score("policy", tuple(sorted(tp)), tuple(sorted(fp)), tuple(sorted(fn)))


def _issued_matches(gold: str, built: str) -> bool:
    return built == gold or built.startswith(gold + "-")


def _score_report_fields(g: Graph, gold: Gold, reps: Mapping[URIRef, str]) -> list[Score]:
    built: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rep, doc in reps.items():
        fields = built[doc]
        for place in g.objects(rep, DCTERMS.spatial):
            fields["region"] += [str(c) for c in g.objects(place, YB.adminCode)]
        fields["kind"] += [_local(k) for k in g.objects(rep, YB.reportKind)]
        fields["issued"] += [str(v) for v in g.objects(rep, DCTERMS.issued)]
        fields["title"] += [str(v) for v in g.objects(rep, DCTERMS.title)]
    scores: list[Score] = []
    for field in ("region", "kind", "issued", "title"):
        tp: list[Fact] = []
        fp: list[Fact] = []
        fn: list[Fact] = []
        for rep_gold in gold.reports:
            want = getattr(rep_gold, field)
            assert want is None or isinstance(want, str)
            got = sorted(set(built.get(rep_gold.doc, {}).get(field, [])))
            matched = False
            for value in got:
                if want is not None and not matched and (
                    (field == "issued" and _issued_matches(want, value))
                    or (field == "title" and normalise_title(want) == normalise_title(value))
                    or value == want
                ):
                    matched = True
                    tp.append((rep_gold.doc, want))
                else:
                    fp.append((rep_gold.doc, value))
            if want is not None and not matched:
                fn.append((rep_gold.doc, want))
        scores.append(Score(f"report.{field}", tuple(tp), tuple(fp), tuple(fn)))
    return scores


def _score_relation(g: Graph, gold: Gold, reps: Mapping[URIRef, str], predicate: str) -> Score:
    """Relations per report.

    A built triple ``?s yb:<predicate> ?p`` counts for a report when its
    ``rdf:Statement`` evidence names the report (``yb:source``); without such
    evidence, for every report that mentions ``?s``. ``?s`` is a yb:Region, or
    an agency standing for its ``yb:jurisdiction``; the report must mention
    the subject (the region, or the agency, or its region).
    """
    pred = YB[predicate]
    doc_of = dict(reps)
    sources: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    traced: set[tuple[Node, Node]] = set()
    for stmt in g.subjects(RDF.predicate, pred):
        s = g.value(stmt, RDF.subject)
        o = g.value(stmt, RDF.object)
        if s is None or o is None:
            continue
        for ev in g.objects(stmt, YB.evidence):
            for rep in g.objects(ev, YB.source):
                traced.add((s, o))
                if isinstance(rep, URIRef) and rep in doc_of:
                    sources[(s, o)].add(doc_of[rep])
    mentioned: dict[str, set[Node]] = defaultdict(set)
    for rep, doc in reps.items():
        mentioned[doc] |= set(g.objects(rep, YB.mentions))
    built: set[Fact] = set()
    for s, o in g.subject_objects(pred):
        if not (isinstance(o, URIRef) and str(o).startswith(PROG)):
            continue
        codes = _region_codes(g, s)
        subject_nodes: set[Node] = {s, *g.objects(s, YB.jurisdiction)}
        docs = sources[(s, o)] if (s, o) in traced else set(reps.values())
        for doc in docs:
            if subject_nodes & mentioned[doc]:
                built |= {(doc, code, str(o)[len(PROG):]) for code in codes}
    want: set[Fact] = {(r.doc, r.s, r.o) for r in gold.relations if r.predicate == predicate}
    return _score_sets(predicate, want, built)


def score(graph: Graph, gold: Gold | None = None) -> dict[str, Score]:
    """Precision, recall and F1 of ``graph`` against ``gold``, per fact type."""
    gold = gold if gold is not None else load_gold()
    reps = _reports(graph, gold.docs)
    scores = [
        _score_regions(graph, gold, reps),
        _score_programs(graph, gold, reps),
        _score_policies(graph, gold, reps),
        *_score_report_fields(graph, gold, reps),
        _score_relation(graph, gold, reps, "implements"),
        _score_relation(graph, gold, reps, "pilotOf"),
    ]
    return {s.name: s for s in scores}
