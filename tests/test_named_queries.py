"""Named queries (kg/use/queries/*.rq): headers, parameters bound as terms, real rows on the seeds."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.base.errors import QueryError
from kg.cli import main
from kg.graph.rdfgraph import PREFIXES, region_iri
from kg.graph.serialize import serialize
from kg.use import queries
from kg.use.sparql import param_term, query, term_text

NAMES = queries.names()

#: The named queries rdflib takes seconds over on the seeds: their cases run in the slow tier
#: (``pytest -m slow``, and CI's whole suite); the other queries' cases run in both.
SLOW_ON_RDFLIB = frozenset({"targets_vs_actuals", "payment_reform", "reports"})


def tiered(cases: list[str] | list[tuple[str, str]]) -> list[object]:
    """The cases, those of a query in :data:`SLOW_ON_RDFLIB` marked slow."""
    out: list[object] = []
    for case in cases:
        values = case if isinstance(case, tuple) else (case,)
        out.append(pytest.param(*values, marks=pytest.mark.slow)
                   if values[0] in SLOW_ON_RDFLIB else case)
    return out

Row = dict[str, str]


def rows(graph: Graph, name: str, **params: str) -> list[Row]:
    """The query's rows as {column: cell text} (cells as ``kg query`` prints them)."""
    result = query(graph, name, params)
    names = [str(v) for v in result.vars or []]
    return [{n: term_text(r[i]) for i, n in enumerate(names)} for r in result]  # type: ignore[index]


@pytest.fixture(scope="module")
def seeds_ttl(seeds_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("named") / "seeds.ttl"
    path.write_bytes(serialize(seeds_graph, "turtle"))
    return path


# --- the files ------------------------------------------------------------------------------


def test_at_least_twelve_named_queries() -> None:
    assert len(NAMES) >= 12
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_header_documents_title_answers_params_example_and_binding(name: str) -> None:
    q = queries.named_query(name)
    assert q.title
    assert q.answers.endswith(("?", "."))
    assert q.binding.startswith("values bind as RDF terms")
    assert "six-digit code binds to ybr:region/{code}" in q.binding
    assert "plain literal" in q.binding
    body = "\n".join(line for line in q.sparql.splitlines() if not line.lstrip().startswith("#"))
    # the prefixes it uses, declared in the file (it runs as written on any endpoint)
    declared = re.findall(r"^PREFIX (\w+): <([^>]+)>$", body, flags=re.M)
    assert declared and all(PREFIXES[p] == ns for p, ns in declared)
    query_part = re.sub(r"^PREFIX .*\n", "", body, flags=re.M)
    assert query_part.lstrip().upper().startswith("SELECT")
    code = re.sub(r"#[^\n]*", "", re.sub(r"<[^>]*>|\"[^\"]*\"", "", query_part))
    used = set(re.findall(r"(?<![\w?$])([a-z]+):(?!/)", code))
    assert used == {p for p, _ in declared}, name
    for p in q.params:
        assert re.search(rf"\?{p.name}\b", body), f"{name}: ?{p.name} is not in the query"
        assert p.doc
    args = shlex.split(q.example)
    assert args[:4] == ["kg", "query", "seeds.ttl", name]


@pytest.mark.parametrize("name", NAMES)
def test_no_parameter_is_a_computed_column(name: str) -> None:
    """A parameter's variable is never the target of ``AS``: the store binds parameters
    with a VALUES block (kg.store.store.with_values), and SPARQL forbids computing a variable
    that is already bound (Oxigraph refuses the query; rdflib would silently ignore the
    parameter)."""
    q = queries.named_query(name)
    body = "\n".join(line for line in q.sparql.splitlines() if not line.lstrip().startswith("#"))
    for p in q.params:
        assert not re.search(rf"\bAS\s+\?{p.name}\b", body, re.IGNORECASE), (
            f"{name}: ?{p.name} is a parameter and computed with AS")


def test_installed_as_package_data() -> None:
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"kg.use.queries" = ["*.rq"]' in text
    assert '"kg.use.queries"' in text.split("packages = [", 1)[1].split("]", 1)[0]


def test_a_bad_header_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="has no '# title:' line"):
        queries.parse("x", "# answers: what?\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="bad parameter line"):
        queries.parse("x", "# title: t\n# param region (place): x\nSELECT * WHERE { ?s ?p ?o }")


# --- every query answers on the seeds ------------------------------------------------------


@pytest.mark.parametrize("name", tiered(NAMES))
def test_every_named_query_returns_rows_on_the_seeds(seeds_graph: Graph, name: str) -> None:
    found = rows(seeds_graph, name)
    assert found, f"{name} returned no rows on the seeds graph"


@pytest.mark.parametrize("name", tiered(NAMES))
def test_the_header_example_returns_rows(seeds_graph: Graph, name: str) -> None:
    args = shlex.split(queries.named_query(name).example)[4:]
    assert args[0] == "--param"
    params = dict(a.split("=", 1) for a in args[1:])
    assert rows(seeds_graph, name, **params), f"{name}: its example returns no rows"


def param_cell(name: str, param: str, kind: str) -> Callable[[Row], str]:
    """Where a row shows the value a parameter filters on."""
    if (name, param) in (("funds_by_region", "year"), ("procurement", "year")):
        return lambda r: r["period"][:4]
    column = {("cooperation", "region"): "partnerRegion", ("reports", "type"): "entityType"}.get(
        (name, param), "code" if kind == "region" else param)
    return lambda r: r[column]


def _param_cases() -> list[tuple[str, str]]:
    return [(q.name, p.name) for q in queries.named_queries() for p in q.params
            if p.name not in ("document", "report", "partner", "subject", "object", "within")]


@pytest.mark.parametrize(("name", "param"), tiered(_param_cases()))
def test_a_parameter_filters_to_exactly_its_value(seeds_graph: Graph, name: str,
                                                  param: str) -> None:
    """Bound to a value seen in the unfiltered result, a parameter keeps exactly those rows."""
    kind = queries.named_query(name).param(param).kind
    cell = param_cell(name, param, kind)
    every = rows(seeds_graph, name)
    values = sorted({cell(r) for r in every if cell(r)})
    assert values, f"{name}: no value for {param}"
    value = values[len(values) // 2]
    given = value.split(":", 1)[1] if kind in ("ind", "prog", "ins", "yb") else value
    filtered = rows(seeds_graph, name, **{param: given})
    assert filtered
    if name == "cooperation":
        assert all(value in (r["partnerRegion"], r["otherRegion"]) for r in filtered)
        return
    assert all(cell(r) == value for r in filtered)
    if name not in ("programs_by_region", "indicator_overview", "documents_cited",
                    "agencies_by_region", "payment_reform"):  # no aggregation: same rows
        assert filtered == [r for r in every if cell(r) == value]


@pytest.mark.slow
@pytest.mark.parametrize("value", ['"} UNION { ?s ?p ?o } #', "320412 } ; DROP ALL",
                                   "320412' || '1' = '1"])
def test_a_value_with_sparql_syntax_binds_as_a_literal(seeds_graph: Graph, value: str) -> None:
    assert rows(seeds_graph, "reports", file=value) == []
    assert rows(seeds_graph, "documents_cited", number=value) == []
    assert len(rows(seeds_graph, "reports")) > 100  # the graph is untouched


# --- what the queries say about the seeds --------------------------------------------------


def test_indicator_by_region(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "indicator_by_region", indicator="InsuredPersons", region="320412")
    basic = [r for r in found if r["insurance"] == "ins:Basic"]
    assert [(r["period"], Decimal(r["value"]), r["unit"], r["status"]) for r in basic] == [
        ("2023-12", Decimal(1000200), "ybu:Person", "yb:Actual")]
    assert {r["indicator"] for r in found} == {"ind:InsuredPersons"}
    assert {r["regionLabel"] for r in found} == {"武进区"}


def test_funds_by_region(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "funds_by_region", region="320412", year="2023")
    revenue = {(r["insurance"], Decimal(r["value"])) for r in found
               if r["indicator"] == "ind:FundRevenue"}
    assert ("ins:Employee", Decimal(3868000000)) in revenue  # 38.68亿元
    assert {r["period"][:4] for r in found} == {"2023"}
    assert {"ind:FundRevenue", "ind:FundExpenditure", "ind:FundCurrentBalance"} <= {
        r["indicator"] for r in found}
    haibei = rows(seeds_graph, "funds_by_region", region="632200")
    assert "ind:FundAccumulatedBalance" in {r["indicator"] for r in haibei}


def test_insured_by_scheme(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "insured_by_scheme", region="320412")
    by_scheme = {r["insurance"]: Decimal(r["persons"]) for r in found if r["period"] == "2023-12"}
    assert by_scheme["ins:Basic"] == 1000200
    assert by_scheme["ins:Employee"] == 627000
    assert by_scheme["ins:Resident"] == 373200
    assert {r["schemeLabel"] for r in found if r["insurance"] == "ins:Resident"} == {
        "城乡居民基本医疗保险"}


def test_programs_by_region(seeds_graph: Graph) -> None:
    dip = rows(seeds_graph, "programs_by_region", program="DIP")
    assert {r["code"] for r in dip} >= {"320412", "360100"}
    assert {r["programLabel"] for r in dip} == {"按病种分值付费"}
    assert all(int(r["sentences"]) >= 1 for r in dip)
    pilots = rows(seeds_graph, "programs_by_region", relation="pilotOf")
    assert pilots and {r["relation"] for r in pilots} == {"yb:pilotOf"}


def test_documents_cited(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "documents_cited", number="医保办发〔2018〕22号")
    assert len(found) == 1
    doc = found[0]
    assert doc["title"] == "关于印发欺诈骗保行为举报奖励暂行办法的通知"
    assert doc["issued"] == "2018"
    assert doc["citedBy"] == "003_61c142726be8746b.txt"
    # SPEC: the 代字 医保办发 names its issuer, 国家医疗保障局办公室
    assert "国家医疗保障局办公室" in doc["issuers"].split("、")
    every = rows(seeds_graph, "documents_cited")
    regulation = [r for r in every if r["title"] == "医疗保障基金使用监督管理条例"]
    assert len(regulation) == 1 and int(regulation[0]["reports"]) >= 2


def _reports_by_file(graph: Graph) -> dict[str, str]:
    found = rows(graph, "SELECT ?report ?file WHERE { ?report a yb:Report ; yb:sourceFile ?file }")
    return {r["file"]: r["report"] for r in found}


def _unordered(found: list[Row]) -> list[Row]:
    """Rows with their space-joined cells sorted (GROUP_CONCAT's order is free)."""
    out = [{k: " ".join(sorted(v.split(" "))) for k, v in r.items()} for r in found]
    return sorted(out, key=lambda r: sorted(r.items()))


@pytest.mark.slow
def test_documents_cited_by_one_report(seeds_graph: Graph) -> None:
    """report=IRI keeps the documents that report cites, each still with all its citing reports."""
    every = rows(seeds_graph, "documents_cited")
    files = _reports_by_file(seeds_graph)
    assert len(files) == 5
    for file, report in files.items():
        found = rows(seeds_graph, "documents_cited", report=report)
        assert found, f"{file} cites no document"
        assert _unordered(found) == _unordered(
            [r for r in every if file in r["citedBy"].split(" ")])
    lhasa = rows(seeds_graph, "documents_cited", report=files["002_65a502b2b886f2ef.txt"])
    regulation = next(r for r in lhasa if r["title"] == "医疗保障基金使用监督管理条例")
    cited_by = regulation["citedBy"].split(" ")
    assert "002_65a502b2b886f2ef.txt" in cited_by and len(cited_by) == int(regulation["reports"]) >= 2


def test_documents_cited_one_document(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "documents_cited", document="ybr:document/医保办发〔2018〕22号")
    assert [(r["document"], r["number"]) for r in found] == [
        ("<https://w3id.org/yibao-kg/id/document/医保办发〔2018〕22号>", "医保办发〔2018〕22号")]
    assert found == rows(seeds_graph, "documents_cited", number="医保办发〔2018〕22号")


@pytest.mark.slow
def test_reports_of_one_report(seeds_graph: Graph) -> None:
    for file, report in _reports_by_file(seeds_graph).items():
        by_iri = rows(seeds_graph, "reports", report=report)
        assert by_iri and by_iri == rows(seeds_graph, "reports", file=file)
        assert {r["file"] for r in by_iri} == {file}


def test_anti_fraud(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "anti_fraud", region="510900", indicator="RecoveredFunds")
    assert ("2019-05", Decimal(115000)) in {(r["period"], Decimal(r["value"])) for r in found}
    assert all("追回" in r["sentence"] for r in found)
    every = rows(seeds_graph, "anti_fraud")
    assert "ind:SanctionedInstitutions" in {r["indicator"] for r in every}


@pytest.mark.slow
def test_targets_vs_actuals(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "targets_vs_actuals", region="360100",
                 indicator="DirectSettlementRate")
    assert ("2025", Decimal(80), "2020", Decimal("72.8")) in {
        (r["targetPeriod"], Decimal(r["target"]), r["actualPeriod"], Decimal(r["actual"]))
        for r in found}
    every = rows(seeds_graph, "targets_vs_actuals")
    assert all(r["indicator"] != "ind:Other" for r in every)


def test_evidence_of_a_relation_and_of_an_observation(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "evidence", subject="320412", predicate="implements",
                 object="prog:DRG")
    assert found and all("DRG" in r["sentence"] for r in found)
    assert {r["file"] for r in found} == {"000_c4441f776c3e1348.txt"}
    obs = rows(seeds_graph, "indicator_by_region", indicator="InsuredPersons", region="320412")
    basic = next(r["observation"] for r in obs if r["insurance"] == "ins:Basic")
    ev = rows(seeds_graph, "evidence", subject=basic)
    assert len(ev) == 1 and "100.02万" in ev[0]["sentence"]
    start, end = int(ev[0]["start"]), int(ev[0]["end"])
    from tests.conftest import SEEDS

    text = (SEEDS / ev[0]["file"]).read_text(encoding="utf-8")
    assert text[start:end] == "100.02万"


@pytest.mark.slow
def test_region_hierarchy(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "region_hierarchy", within="320000")
    assert [(r["code"], r["label"], r["parentCode"]) for r in found] == [
        ("320000", "江苏省", "100000"), ("320400", "常州市", "320000"),
        ("320412", "武进区", "320400")]
    wujin = found[2]
    assert int(wujin["reports"]) == 1 and int(wujin["observations"]) > 50
    assert int(wujin["programs"]) > 5
    every = rows(seeds_graph, "region_hierarchy")
    assert len(every) == len({r["code"] for r in every}) >= 19
    assert sum(int(r["reports"]) for r in every) == 5


@pytest.mark.slow
def test_reports(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "reports", file="003_61c142726be8746b.txt")
    assert {r["kind"] for r in found} == {"yb:ProposalReply"}
    assert {r["homeRegion"] for r in found} == {"510900"}
    types = {r["entityType"] for r in found}
    assert {"yb:Region", "yb:PolicyDocument", "skos:Concept"} <= types
    docs = rows(seeds_graph, "reports", type="PolicyDocument")
    assert docs and {r["entityType"] for r in docs} == {"yb:PolicyDocument"}
    programs = rows(seeds_graph, "reports", type="skos:Concept")
    assert "按疾病诊断相关分组付费" in {r["label"] for r in programs}


def test_payment_reform(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "payment_reform", region="360100", program="DIP")
    assert any(r["relation"] == "yb:implements" for r in found)
    assert ("yb:Target", Decimal(100)) in {(r["status"], Decimal(r["value"])) for r in found
                                           if r["value"]}


def test_indicator_overview(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "indicator_overview", indicator="InsuredPersons")
    assert {r["code"] for r in found} >= {"320412", "540100", "510900"}
    assert {r["indicatorLabel"] for r in found} == {"参保人数"}


# --- agencies (SPEC: yb:Agency, yb:jurisdiction, yb:agencyType, yb:cooperatesWith) ---------


def test_agencies_by_region(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "agencies_by_region", region="510900", type="HealthcareSecurity")
    assert "遂宁市医疗保障局" in {r["label"] for r in found}
    assert {r["type"] for r in found} == {"yb:HealthcareSecurity"}


def test_cooperation(seeds_graph: Graph) -> None:
    found = rows(seeds_graph, "cooperation")
    assert found and all(r["sentence"] for r in found)
    # 002 (拉萨): 我局联合拉萨市公安局、卫生健康委… — a cooperation of 拉萨's agencies
    lhasa = rows(seeds_graph, "cooperation", region="540100")
    pairs = {(r["partnerLabel"], r["otherLabel"]): r["sentence"] for r in lhasa}
    assert "拉萨市公安局" in pairs[("拉萨市医疗保障局", "拉萨市公安局")]
    assert ("拉萨市公安局", "拉萨市医疗保障局") in pairs  # both directions of the pair
    partner = next(r["partner"] for r in lhasa if r["partnerLabel"] == "拉萨市公安局")
    assert {r["otherLabel"] for r in rows(seeds_graph, "cooperation", partner=partner)} == {
        "拉萨市医疗保障局"}


# --- parameters ---------------------------------------------------------------------------------


def test_param_term_rules() -> None:
    assert param_term("InsuredPersons") == URIRef(
        "https://w3id.org/yibao-kg/indicator/InsuredPersons")
    assert param_term("DRG") == URIRef("https://w3id.org/yibao-kg/program/DRG")
    assert param_term("Employee") == URIRef("https://w3id.org/yibao-kg/insurance/Employee")
    assert param_term("632200") == region_iri("632200")
    assert param_term("<http://example.org/x>") == URIRef("http://example.org/x")
    assert param_term("武进区") == Literal("武进区")
    assert param_term("NoSuchThing") == Literal("NoSuchThing")
    assert param_term("320412", "literal") == Literal("320412")
    assert param_term("Target", "yb") == URIRef("https://w3id.org/yibao-kg/ontology#Target")
    assert param_term("Yuan", "ybu") == URIRef("https://w3id.org/yibao-kg/unit/Yuan")


@pytest.mark.parametrize(("value", "kind", "message"), [
    ("MedicalAssistance", None, "ambiguous: write prog:MedicalAssistance or ins:MedicalAssistance"),
    ("NoSuchIndicator", "ind", "not a term of ind:"),
    ("mro", "yb", "not a term of yb:"),
    ("武进区", "region", "six-digit GB/T 2260 code"),
    ("320412", "ind", "is a region code"),
    ("DRG", "iri", "not an IRI"),
])
def test_a_value_that_does_not_fit_is_a_query_error(value: str, kind: str | None,
                                                    message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        param_term(value, kind)


def test_unknown_name_and_unknown_parameter(seeds_graph: Graph) -> None:
    with pytest.raises(QueryError, match="no named query 'fund_by_region'"):
        query(seeds_graph, "fund_by_region")
    with pytest.raises(QueryError, match=r"has no parameter 'regio' \(it takes region, year"):
        query(seeds_graph, "funds_by_region", {"regio": "320412"})


@pytest.mark.slow
def test_every_example_binds_its_parameters_as_terms(seeds_graph: Graph,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The SPARQL text rdflib receives is the file's, whatever the parameters; the values
    arrive as RDF terms in initBindings."""
    seen: list[tuple[str, dict[str, object]]] = []
    original = Graph.query

    def spy(self: Graph, text: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append((text, dict(kwargs.get("initBindings") or {})))  # type: ignore[call-overload]
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Graph, "query", spy)
    for q in queries.named_queries():
        params = dict(a.split("=", 1) for a in shlex.split(q.example)[5:])
        assert params, f"{q.name}: its example binds no parameter"
        seen.clear()
        query(seeds_graph, q.name, params)
        [(text, bindings)] = seen
        assert text == q.sparql
        assert bindings == {n: param_term(v, q.param(n).kind) for n, v in params.items()}
        assert all(isinstance(t, URIRef | Literal) for t in bindings.values())


def test_terms_are_bound_as_given(seeds_graph: Graph) -> None:
    as_text = rows(seeds_graph, "insured_by_scheme", region="540100")
    result = query(seeds_graph, "insured_by_scheme", {"region": region_iri("540100")})
    assert len(list(result)) == len(as_text) > 0


# --- the command line -------------------------------------------------------------------------


def test_cli_list_prints_every_name_and_title(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(NAMES)
    for line, q in zip(lines, queries.named_queries(), strict=True):
        assert line.startswith(q.name + " ") and q.title in line


def test_cli_show_prints_the_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--show", "anti_fraud"]) == 0
    assert capsys.readouterr().out == queries.named_query("anti_fraud").sparql


def test_cli_runs_a_named_query_with_params(seeds_ttl: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(seeds_ttl), "funds_by_region", "--format", "csv", "--short",
                 "--param", "region=320412", "year=2023", "insurance=Employee"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("code,regionLabel,period,indicator,insurance,value")
    assert len(lines) > 3
    assert all(line.startswith("320412,武进区,2023") and ",ins:Employee," in line
               for line in lines[1:] if line)
    # repeated --param options add up; without --short, CSV holds full IRIs
    assert main(["query", str(seeds_ttl), "funds_by_region", "--format", "csv",
                 "--param", "region=320412", "--param", "year=2023",
                 "--param", "insurance=Employee"]) == 0
    full = capsys.readouterr().out.splitlines()
    assert len(full) == len(lines)
    assert all(",https://w3id.org/yibao-kg/insurance/Employee," in line for line in full[1:])


@pytest.mark.parametrize("argv", [["query", "funds_by_region"], ["query"]])
def test_cli_needs_graph_and_query(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 4
    assert capsys.readouterr().err.startswith("kg: kg query needs GRAPH and QUERY")


def test_cli_bad_param(seeds_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(seeds_ttl), "funds_by_region", "--param", "region"]) == 4
    assert main(["query", str(seeds_ttl), "funds_by_region", "--param", "region=Haibei"]) == 4
    err = capsys.readouterr().err.splitlines()
    assert err == ["kg: --param 'region': write NAME=VALUE",
                   "kg: 'Haibei' is not a region: give a six-digit GB/T 2260 code (320412)"]


@pytest.mark.slow
def test_agency_queries_on_a_graph_written_to_the_contract() -> None:
    """The agency and cooperation queries read SPEC's yb:Agency shape (independent of the extractor)."""
    from kg.base.namespaces import DCTERMS, ORG, RDF, RDFS, YB, YBR
    from kg.graph.rdfgraph import GraphBuilder, new_graph

    g = new_graph()
    GraphBuilder().add_region(g, "540100")
    ybj, gaj = YBR["agency/540100-ybj"], YBR["agency/540100-gaj"]
    rep = YBR["report/0000000000000000"]
    for node, label, kind in ((ybj, "拉萨市医疗保障局", YB.HealthcareSecurity),
                              (gaj, "拉萨市公安局", YB.PublicSecurity)):
        g.add((node, RDF.type, YB.Agency))
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        g.add((node, YB.jurisdiction, region_iri("540100")))
        g.add((node, YB.agencyType, kind))
        g.add((rep, YB.mentions, node))
    g.add((ybj, YB.cooperatesWith, gaj))
    stmt, ev = YBR["statement/x"], YBR["evidence/x"]
    g.add((stmt, RDF.subject, ybj))
    g.add((stmt, RDF.predicate, YB.cooperatesWith))
    g.add((stmt, RDF.object, gaj))
    g.add((stmt, YB.evidence, ev))
    g.add((ev, YB.text, Literal("我局联合拉萨市公安局、卫生健康委开展专项检查。", lang="zh")))
    g.add((ybj, ORG.subOrganizationOf, gaj))  # only to see the parent column filled
    g.add((rep, DCTERMS.references, YBR["document/x"]))

    agencies = rows(g, "agencies_by_region", region="540100", type="PublicSecurity")
    assert [(r["label"], r["type"], r["reports"]) for r in agencies] == [
        ("拉萨市公安局", "yb:PublicSecurity", "1")]
    assert rows(g, "agencies_by_region", type="HealthcareSecurity")[0]["parentLabel"] == "拉萨市公安局"
    coop = rows(g, "cooperation", region="540100")
    assert {(r["partnerLabel"], r["otherLabel"]) for r in coop} == {
        ("拉萨市医疗保障局", "拉萨市公安局"), ("拉萨市公安局", "拉萨市医疗保障局")}
    assert all(r["sentence"].startswith("我局联合拉萨市公安局") for r in coop)
    assert rows(g, "cooperation", region="632200") == []


def test_kg_query_takes_names_and_stays_a_function(seeds_graph: Graph) -> None:
    """``kg.query`` is the function, also after its module is imported."""
    import kg
    import kg.use.sparql

    assert kg.query is query is kg.use.sparql.query
    assert len(list(kg.query(seeds_graph, "region_hierarchy", {"within": "540000"}))) == 2


# --- the store answers as rdflib does, on a synthetic corpus ------------------------------


@pytest.fixture(scope="module")
def corpus_on_both(tmp_path_factory: pytest.TempPathFactory
                   ) -> tuple[Graph, Graph, Graph, Graph]:
    """Eight reports of the synthetic corpus as a Turtle file read by rdflib, as a
    store read by Oxigraph on disk, as that store copied into memory, and as the
    Turtle file read into Oxigraph (what ``kg query FILE`` does)."""
    from kg.graph.serialize import write_graph
    from kg.run.build import build_reports
    from kg.run.corpus import write_corpus
    from kg.store.store import open_store, write_store
    from kg.use.sparql import load_graph

    root = tmp_path_factory.mktemp("corpus-both")
    result = build_reports([write_corpus(root / "reports", 8)[0].parent])
    assert len(result.reports) == 8 and not result.errors
    ttl, store = root / "g.ttl", root / "store"
    write_graph(result.graph(), ttl)
    write_store(store, result.report_graphs(ontology=True))
    return (load_graph(ttl, engine="rdflib"), load_graph(store), open_store(store, in_memory=True),
            load_graph(ttl))


@pytest.mark.slow
def test_named_queries_answer_alike_on_a_corpus_store(
        corpus_on_both: tuple[Graph, Graph, Graph, Graph]) -> None:
    """Every named query, without parameters, with its example's and with the benchmark's
    (the corpus's region and 文号), gives the same rows on Oxigraph (on disk and in
    memory) as on rdflib: the queries are written for Oxigraph's planner (parameters'
    patterns first, UNION branches that hold what they join), not for another meaning."""
    from kg.run.bench import named_params
    from tests.test_store import _rows

    on_file, on_disk, in_memory, file_in_oxigraph = corpus_on_both
    bench = named_params(on_file)
    checked = found = 0
    for q in queries.named_queries():
        _, _, tail = q.example.partition("--param")
        example = dict(item.split("=", 1) for item in tail.split() if "=" in item)
        for p in ({}, example, bench[q.name]):
            expected = _rows(on_file, q.name, p)
            assert _rows(on_disk, q.name, p) == expected, (q.name, p)
            assert _rows(in_memory, q.name, p) == expected, (q.name, p)
            assert _rows(file_in_oxigraph, q.name, p) == expected, (q.name, p)
            checked += 1
            found += bool(expected)
    assert checked == 3 * len(NAMES) and found >= 2 * len(NAMES)


@pytest.mark.slow
def test_cooperation_with_a_region_keeps_the_pairs_of_either_side_in_it(
        corpus_on_both: tuple[Graph, Graph, Graph, Graph]) -> None:
    """cooperation starts from the region's own triples when a region is given (a
    branch per side) and matches every pair with every statement otherwise: with a
    region (and with a partner), its rows are exactly the unfiltered rows of a pair
    with either side in the region, in the same order, on every engine."""
    on_file, on_disk, in_memory, file_in_oxigraph = corpus_on_both
    for graph in (on_file, on_disk, in_memory, file_in_oxigraph):
        every = rows(graph, "cooperation")
        assert every and len({r["sentence"] for r in every}) > 1
        codes = sorted({r["partnerRegion"] for r in every})
        for code in (codes[0], codes[len(codes) // 2], codes[-1]):
            found = rows(graph, "cooperation", region=code)
            assert found == [r for r in every if code in (r["partnerRegion"], r["otherRegion"])]
        partner = every[len(every) // 2]["partner"]
        assert rows(graph, "cooperation", partner=partner) == [
            r for r in every if r["partner"] == partner]
        code = every[len(every) // 2]["otherRegion"]
        assert rows(graph, "cooperation", partner=partner, region=code) == [
            r for r in every if r["partner"] == partner
            and code in (r["partnerRegion"], r["otherRegion"])]
