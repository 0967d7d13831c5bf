"""The ontology, the SKOS schemes (the extractor's lexicon), the SHACL shapes, and kg.base.ontology."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.base import ontology
from kg.base.errors import OntologyError
from kg.base.namespaces import IND, INS, PROG, SCHEMES, YB, YBR, YBU
from kg.base.ontology import (
    Concept,
    concept,
    concepts,
    data_dir,
    label_index,
    ontology_files,
    ontology_graph,
    shapes_graph,
)

# ---------------------------------------------------------------------------
# What the SPEC names (section 3); extensions may add to these, never remove.
# ---------------------------------------------------------------------------

SPEC_CLASSES = [
    "Report",
    "Region",
    "Agency",
    "Organization",
    "Person",
    "PolicyDocument",
    "Observation",
    "Evidence",
    "ReportKind",
    "AdminLevel",
    "Status",
    "Approximation",
    "ValueType",
    "AgencyType",
    "FundScope",
]

SPEC_OBJECT_PROPERTIES = [
    "reportKind",
    "mentions",
    "adminLevel",
    "partOf",
    "jurisdiction",
    "agencyType",
    "locatedIn",
    "memberOf",
    "implements",
    "pilotOf",
    "cooperatesWith",
    "indicator",
    "unit",
    "region",
    "status",
    "source",
    "evidence",
    "insurance",
    "fundScope",
    "program",
    "approximation",
    "valueType",
    "canonicalUnit",
]

SPEC_DATATYPE_PROPERTIES = [
    "sourceFile",
    "sha256",
    "encoding",
    "headerSource",
    "adminCode",
    "orgType",
    "role",
    "docNumber",
    "measureLabel",
    "value",
    "period",
    "periodStart",
    "text",
    "start",
    "end",
]

SPEC_INDIVIDUALS = {
    "ReportKind": "WorkSummary Plan ProposalReply News StatisticalRelease OtherReport",
    "AdminLevel": "Country Province Prefecture County",
    "Status": "Actual Target Estimate",
    "Approximation": "Approximate AtLeast AtMost",
    "ValueType": "Level Change",
    "AgencyType": (
        "HealthcareSecurity HealthCommission Finance HumanResourcesSocialSecurity "
        "MarketRegulation PublicSecurity Taxation CivilAffairs Government PartyCommittee "
        "PeoplesCongress CPPCC Audit DisciplineInspection RuralRevitalization OtherAgency"
    ),
    "FundScope": "PooledFund PersonalAccount",
    # not in the SPEC: the checks of kg check (their findings are sh:ValidationResult nodes)
    "ConsistencyCheck": (
        "PartsExceedTotal SchemeSumMismatch ChangeMismatch CrossReportConflict RateOver100 "
        "TargetBeforeReport"
    ),
}

SPEC_CONCEPTS = {
    "prog": (
        "PaymentMethodReform DRG DIP GlobalBudget VolumeBasedProcurement DrugVBP ConsumableVBP "
        "LongTermCareInsurance CriticalIllnessInsurance MedicalAssistance "
        "CrossRegionDirectSettlement OutpatientMutualAid ChronicSpecialDiseaseOutpatient "
        "DualChannel HealthInsuranceECertificate InclusiveCommercialInsurance "
        "FamilyDoctorContract SmartSupervision AntiFraud CreditSystem DrugCatalogue "
        "MunicipalPooling"
    ),
    "ind": (
        "InsuredPersons CoverageRate FundRevenue FundExpenditure FundCurrentBalance "
        "FundAccumulatedBalance InpatientReimbursementRate InpatientVisits OutpatientVisits "
        "ChronicDiseaseOutpatientVisits AverageInpatientCost HospitalisationRate "
        "DesignatedInstitutions DesignatedMedicalInstitutions DesignatedPharmacies "
        "InspectedInstitutions SanctionedInstitutions RecoveredFunds Fines RefusedPayments "
        "MedicalAssistanceRecipients MedicalAssistanceExpenditure GovernmentSubsidyPerCapita "
        "IndividualContribution ProcurementBatches ProcuredItems ProcurementPriceReduction "
        "ProcurementAmount CrossRegionSettlements DirectSettlementRate DrugCatalogueSize "
        "PaymentReformCoverage LongTermCareBeneficiaries ECertificateActivationRate Other"
    ),
    "ins": (
        "Basic Employee Resident Maternity LongTermCare CriticalIllness MedicalAssistance "
        "CivilServantSubsidy Supplementary"
    ),
    "ybu": (
        "Person PersonTime Yuan Percent PercentagePoint Institution Item Case Batch Day Month Other"
    ),
}

SPEC_HIERARCHY = {
    ("prog", "DRG"): "PaymentMethodReform",
    ("prog", "DIP"): "PaymentMethodReform",
    ("prog", "GlobalBudget"): "PaymentMethodReform",
    ("prog", "DrugVBP"): "VolumeBasedProcurement",
    ("prog", "ConsumableVBP"): "VolumeBasedProcurement",
}

# The lexicon the extractor relies on: Chinese phrasings → concept.
LEXICON = {
    "prog": {
        "DRG": "DRG DRG付费 按疾病诊断相关分组付费 疾病诊断相关分组 DRGs",
        "DIP": (
            "DIP DIP付费 按病种分值付费 "
            "区域点数法总额预算和按病种分值付费 区域点数法总额预算 病种分值付费"
        ),
        "GlobalBudget": "总额控制 总额预算 总额控制付费 总额预算管理 付费总额控制",
        "PaymentMethodReform": "支付方式改革 医保支付方式改革 多元复合式医保支付方式",
        "VolumeBasedProcurement": "集中带量采购 带量采购 集采 集中采购",
        "DrugVBP": (
            "药品集中带量采购 药品集采 药品带量采购 国家组织药品集中采购 国家集采药品 集采药品"
        ),
        "ConsumableVBP": (
            "医用耗材集中带量采购 耗材集采 高值医用耗材集中带量采购 集采耗材 医用耗材带量采购"
        ),
        "LongTermCareInsurance": "长期护理保险 长护险 长期护理保险制度",
        "CriticalIllnessInsurance": "大病保险 城乡居民大病保险 大病医疗保险",
        "MedicalAssistance": "医疗救助 城乡医疗救助 重特大疾病医疗救助",
        "CrossRegionDirectSettlement": (
            "异地就医直接结算 异地就医 跨省异地就医 异地就医结算 跨省直接结算"
        ),
        "OutpatientMutualAid": "门诊共济 门诊共济保障 门诊共济保障机制",
        "ChronicSpecialDiseaseOutpatient": (
            "门诊慢特病 门诊慢性病 门诊特殊病 慢特病 门诊特殊疾病 门诊慢性特殊疾病"
        ),
        "DualChannel": '双通道 "双通道"管理 “双通道”管理',
        "HealthInsuranceECertificate": "医保电子凭证 医保码 电子医保凭证",
        "InclusiveCommercialInsurance": (
            "惠民保 城市定制型商业医疗保险 普惠型商业补充医疗保险 普惠型商业健康保险"
        ),
        "FamilyDoctorContract": "家庭医生签约服务 家庭医生签约 家庭医生",
        "SmartSupervision": "智能监管 智能审核 智能监控 医保智能监管",
        "AntiFraud": "打击欺诈骗保 欺诈骗保 打击欺诈骗取医保基金 专项整治",
        "CreditSystem": "信用体系 信用评价 信用管理 医保信用",
        "DrugCatalogue": "医保药品目录 医保目录 药品目录 国家医保药品目录 谈判药品",
        "MunicipalPooling": "市级统筹 地市级统筹 市级统筹制度",
    },
    "ind": {
        "InsuredPersons": "参保人数 参保人员 参保缴费人数",
        "CoverageRate": "参保率",
        "FundRevenue": "基金收入 总收入 基金总收入",
        "FundExpenditure": "基金支出 总支出",
        "FundCurrentBalance": "当期结余",
        "FundAccumulatedBalance": "累计结余 滚存结余",
        "InpatientReimbursementRate": (
            "政策范围内住院费用基金支付比例 住院报销比例 报销比例 支付比例"
        ),
        "InpatientVisits": "住院人次",
        "OutpatientVisits": "门诊人次",
        "AverageInpatientCost": "次均住院费用 住院次均费用",
        "HospitalisationRate": "住院率",
        "DesignatedInstitutions": "定点医药机构",
        "DesignatedMedicalInstitutions": "定点医疗机构",
        "DesignatedPharmacies": "定点零售药店 定点药店",
        "InspectedInstitutions": "检查定点医药机构 核查定点医药机构",
        "SanctionedInstitutions": "处理定点医药机构 处罚定点医药机构",
        "RecoveredFunds": "追回 追回医保基金",
        "Fines": "罚款 违约金 行政罚款",
        "RefusedPayments": "拒付 审减 审核扣款",
        "MedicalAssistanceRecipients": "救助人数 救助人次",
        "MedicalAssistanceExpenditure": "救助资金",
        "GovernmentSubsidyPerCapita": "人均财政补助",
        "IndividualContribution": "个人缴费",
        "ProcurementBatches": "批次",
        "ProcuredItems": "品种 中选药品",
        "ProcurementPriceReduction": "降幅 平均降幅 价格下降",
        "ProcurementAmount": "采购金额",
        "CrossRegionSettlements": "异地就医结算人次 直接结算人次",
        "DirectSettlementRate": "直接结算率",
        "DrugCatalogueSize": "药品目录",
        "PaymentReformCoverage": "DRG覆盖率 DIP覆盖率 付费占比",
        "LongTermCareBeneficiaries": "长护险享受待遇人数 失能人员",
        "ECertificateActivationRate": "医保电子凭证激活率",
    },
    "ins": {
        "Basic": "基本医疗保险 基本医保",
        "Employee": "职工基本医疗保险 职工医保 城镇职工基本医疗保险 城镇职工医保",
        "Resident": "城乡居民基本医疗保险 居民医保 城乡居民医保 居民基本医疗保险",
        "Maternity": "生育保险",
        "LongTermCare": "长期护理保险 长护险",
        "CriticalIllness": "大病保险",
        "MedicalAssistance": "医疗救助",
        "CivilServantSubsidy": "公务员医疗补助",
        "RetiredCadres": "离休人员医疗保障 离休干部医疗统筹",
        "Supplementary": "补充医疗保险 惠民保 商业补充医疗保险",
    },
    "ybu": {
        "Person": "人 名",
        "PersonTime": "人次",
        "Yuan": "元 万元 亿元 千万元",
        "Percent": "% ％ 百分之",
        "PercentagePoint": "个百分点 百分点",
        "Institution": "家 所",
        "Item": "种 个 项 份 条 张 盒 支 类",
        "Case": "例 件 起",
        "Batch": "批 批次",
        "Day": "天 日 个工作日",
        "Month": "个月",
    },
}

ENUMERATIONS = (
    "ReportKind",
    "AdminLevel",
    "Status",
    "Approximation",
    "ValueType",
    "AgencyType",
    "FundScope",
    "ConsistencyCheck",
)


def _scheme_concepts(g: Graph, scheme: str) -> set[URIRef]:
    return {
        s for s in g.subjects(SKOS.inScheme, URIRef(str(SCHEMES[scheme]))) if isinstance(s, URIRef)
    }


def _langs(g: Graph, s: URIRef, p: URIRef, lang: str) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang]


# ---------------------------------------------------------------------------
# Files and parsing
# ---------------------------------------------------------------------------


def test_ontology_files_are_found_and_parse() -> None:
    names = [f.name for f in ontology_files()]
    assert names == sorted(names)
    assert {"yb.ttl", "programs.ttl", "indicators.ttl", "insurance.ttl", "units.ttl"} <= set(names)
    assert "shapes.ttl" not in names
    for f in ontology_files():
        assert len(Graph().parse(data=f.read_text(encoding="utf-8"), format="turtle")) > 0, f.name
    assert data_dir().joinpath("shapes.ttl").is_file()


def test_graphs_are_cached_and_merged() -> None:
    g = ontology_graph()
    assert g is ontology_graph()
    assert shapes_graph() is shapes_graph()
    total = sum(
        len(Graph().parse(data=f.read_text(encoding="utf-8"), format="turtle"))
        for f in ontology_files()
    )
    assert len(g) <= total  # merged (blank nodes make it equal, shared triples smaller)
    assert (YB.Report, RDF.type, OWL.Class) in g
    assert (PROG.DRG, RDF.type, SKOS.Concept) in g
    assert g.namespace_manager.qname(PROG.DRG) == "prog:DRG"
    assert (None, RDF.type, SH.NodeShape) in shapes_graph()
    assert (None, RDF.type, SH.NodeShape) not in g


# ---------------------------------------------------------------------------
# The OWL ontology
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SPEC_CLASSES)
def test_spec_classes_exist(name: str) -> None:
    g = ontology_graph()
    assert (YB[name], RDF.type, OWL.Class) in g


def test_agency_is_an_org_organization() -> None:
    org = URIRef("http://www.w3.org/ns/org#Organization")
    assert (YB.Agency, RDFS.subClassOf, org) in ontology_graph()


@pytest.mark.parametrize("name", SPEC_OBJECT_PROPERTIES)
def test_spec_object_properties_exist(name: str) -> None:
    assert (YB[name], RDF.type, OWL.ObjectProperty) in ontology_graph()


@pytest.mark.parametrize("name", SPEC_DATATYPE_PROPERTIES)
def test_spec_datatype_properties_exist(name: str) -> None:
    assert (YB[name], RDF.type, OWL.DatatypeProperty) in ontology_graph()


def test_cooperates_with_is_symmetric() -> None:
    assert (YB.cooperatesWith, RDF.type, OWL.SymmetricProperty) in ontology_graph()


@pytest.mark.parametrize("enum", sorted(SPEC_INDIVIDUALS))
def test_spec_enumerations_exist(enum: str) -> None:
    g = ontology_graph()
    members = {str(s) for s in g.subjects(RDF.type, YB[enum])}
    expected = {str(YB[n]) for n in SPEC_INDIVIDUALS[enum].split()}
    assert members == expected
    listed = {str(x) for x in Collection(g, g.value(YB[enum], OWL.oneOf))}
    assert listed == expected
    for m in expected:
        assert (URIRef(m), RDF.type, OWL.NamedIndividual) in g


def test_every_yb_term_is_labelled_in_zh_and_en() -> None:
    g = ontology_graph()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(YB))}
    assert len(terms) >= 80
    for t in terms:
        assert len(_langs(g, t, RDFS.label, "zh")) == 1, t
        assert len(_langs(g, t, RDFS.label, "en")) == 1, t
        assert g.value(t, RDFS.comment) is not None, t


def test_standard_vocabularies_are_used_not_declared() -> None:
    g = ontology_graph()
    ours = ("https://w3id.org/yibao-kg/",)
    for s in g.subjects(RDF.type, None):
        if isinstance(s, URIRef):
            assert str(s).startswith(ours), f"{s} is declared but not ours"


# ---------------------------------------------------------------------------
# The SKOS schemes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(SPEC_CONCEPTS))
def test_spec_concepts_exist(scheme: str) -> None:
    names = {c.name for c in concepts(scheme)}
    missing = set(SPEC_CONCEPTS[scheme].split()) - names
    assert not missing


def test_scheme_iris_are_the_namespace_iris() -> None:
    g = ontology_graph()
    for scheme, ns in SCHEMES.items():
        iri = URIRef(str(ns))
        assert (iri, RDF.type, SKOS.ConceptScheme) in g, scheme
        assert len(_langs(g, iri, SKOS.prefLabel, "zh")) == 1
        assert len(_langs(g, iri, SKOS.prefLabel, "en")) == 1


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_concept_has_one_pref_label_per_language(scheme: str) -> None:
    g = ontology_graph()
    found = _scheme_concepts(g, scheme)
    assert found
    for c in found:
        assert (c, RDF.type, SKOS.Concept) in g
        assert len(_langs(g, c, SKOS.prefLabel, "zh")) == 1, c
        assert len(_langs(g, c, SKOS.prefLabel, "en")) == 1, c
        assert len(list(g.objects(c, SKOS.prefLabel))) == 2, c
        assert _langs(g, c, SKOS.definition, "en"), c
        alts = list(g.objects(c, SKOS.altLabel))
        assert all(isinstance(o, Literal) and o.language == "zh" for o in alts), c
        assert list(g.objects(c, SKOS.inScheme)) == [URIRef(str(SCHEMES[scheme]))], c


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_labels_are_unique_within_a_scheme(scheme: str) -> None:
    g = ontology_graph()
    owner: dict[str, URIRef] = {}
    for c in sorted(_scheme_concepts(g, scheme)):
        labels = {str(o) for o in _langs(g, c, SKOS.prefLabel, "zh")}
        labels |= {str(o) for o in g.objects(c, SKOS.altLabel)}
        for label in labels:
            assert label == label.strip() and label, (c, label)
            assert owner.setdefault(label, c) == c, f"{label!r}: {owner[label]} and {c}"
    assert label_index(scheme) == {k: str(v)[len(str(SCHEMES[scheme])) :] for k, v in owner.items()}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_hierarchy_stays_in_its_scheme_and_has_no_cycles(scheme: str) -> None:
    g = ontology_graph()
    scheme_iri = URIRef(str(SCHEMES[scheme]))
    members = _scheme_concepts(g, scheme)
    for c in members:
        parents = set(g.objects(c, SKOS.broader))
        assert parents <= members, c
        top = (c, SKOS.topConceptOf, scheme_iri) in g
        assert top != bool(parents), f"{c}: a concept is either top or has a broader concept"
        seen = {c}
        frontier = parents
        while frontier:
            assert not (frontier & seen), f"cycle through {c}"
            seen |= frontier
            frontier = {p for f in frontier for p in g.objects(f, SKOS.broader)}


@pytest.mark.parametrize(("key", "parent"), sorted(SPEC_HIERARCHY.items()))
def test_spec_hierarchy(key: tuple[str, str], parent: str) -> None:
    assert parent in concept(*key).broader


def test_every_indicator_has_a_canonical_unit() -> None:
    g = ontology_graph()
    units = _scheme_concepts(g, "ybu")
    for c in _scheme_concepts(g, "ind"):
        values = list(g.objects(c, YB.canonicalUnit))
        assert len(values) == 1, c
        assert values[0] in units, c
    assert concept("ind", "InsuredPersons").canonical_unit == "Person"
    assert concept("ind", "FundRevenue").canonical_unit == "Yuan"
    assert concept("ind", "CoverageRate").canonical_unit == "Percent"
    assert concept("ind", "Other").canonical_unit == "Other"


def _lexicon_cases() -> Iterator[tuple[str, str, str]]:
    for scheme, table in LEXICON.items():
        for name, labels in table.items():
            for label in labels.split():
                yield scheme, label, name


@pytest.mark.parametrize(("scheme", "label", "name"), list(_lexicon_cases()))
def test_lexicon(scheme: str, label: str, name: str) -> None:
    assert label_index(scheme).get(label) == name


# ---------------------------------------------------------------------------
# kg.base.ontology API
# ---------------------------------------------------------------------------


def test_concepts_are_sorted_records() -> None:
    for scheme in SCHEMES:
        found = concepts(scheme)
        assert [c.name for c in found] == sorted(c.name for c in found)
        assert found is concepts(scheme)
        for c in found:
            assert isinstance(c, Concept)
            assert c.scheme == scheme
            assert c.iri == str(SCHEMES[scheme]) + c.name
            assert c.pref_zh and c.pref_en
            assert list(c.alt_labels) == sorted(set(c.alt_labels))
            assert c.pref_zh not in c.alt_labels
            assert c.labels_zh[0] == c.pref_zh
            assert (c.canonical_unit is not None) == (scheme == "ind")


def test_concept_lookup() -> None:
    drg = concept("prog", "DRG")
    assert drg.iri == str(PROG.DRG)
    assert drg.pref_zh == "按疾病诊断相关分组付费"
    assert "DRG付费" in drg.alt_labels
    assert concept("ins", "Employee").broader == ("Basic",)
    assert concept("ybu", "Yuan").iri == str(YBU.Yuan)
    assert concept("ind", "Other").iri == str(IND.Other)
    assert concept("ins", "Basic").iri == str(INS.Basic)
    with pytest.raises(KeyError, match="NoSuch"):
        concept("prog", "NoSuch")


@pytest.mark.parametrize("call", [concepts, label_index, lambda s: concept(s, "DRG")])
def test_unknown_scheme(call: Callable[[str], object]) -> None:
    with pytest.raises(ValueError, match="unknown concept scheme"):
        call("nope")


def test_label_index_returns_a_fresh_dict() -> None:
    first = label_index("prog")
    first["异物"] = "Nonsense"
    assert "异物" not in label_index("prog")
    assert label_index("prog") == label_index("prog")


def test_label_index_rejects_a_label_of_two_concepts() -> None:
    a = Concept("prog", "A", "x:A", "甲", "a", alt_labels=("共同",))
    b = Concept("prog", "B", "x:B", "乙", "b", alt_labels=("共同",))
    with pytest.raises(OntologyError, match="共同"):
        ontology._index_labels("prog", [a, b])
    assert ontology._index_labels("prog", [a]) == {"甲": "A", "共同": "A"}


@given(
    st.dictionaries(
        st.text(alphabet="ABCDEFGH", min_size=1, max_size=3),
        st.sets(st.text(alphabet="甲乙丙丁戊", min_size=1, max_size=2), min_size=1, max_size=4),
        max_size=6,
    )
)
def test_index_labels_is_one_label_one_concept(table: dict[str, set[str]]) -> None:
    found = [
        Concept("ind", n, n, sorted(ls)[0], n, alt_labels=tuple(sorted(ls)[1:]))
        for n, ls in table.items()
    ]
    owners: dict[str, set[str]] = {}
    for n, labels in table.items():
        for label in labels:
            owners.setdefault(label, set()).add(n)
    if any(len(v) > 1 for v in owners.values()):
        with pytest.raises(OntologyError):
            ontology._index_labels("ind", found)
    else:
        assert ontology._index_labels("ind", found) == {k: next(iter(v)) for k, v in owners.items()}


# ---------------------------------------------------------------------------
# SHACL shapes
# ---------------------------------------------------------------------------

Result = tuple[str, str, str, str]  # severity, focus, path, constraint component


def _validate(
    data: Graph, inference: str = "none", *, with_ontology: bool = True
) -> tuple[bool, list[Result]]:
    """pySHACL as ``kg validate`` runs it; ``with_ontology=False`` for a data graph
    that holds (a changed copy of) the ontology itself."""
    conforms, report, _text = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph() if with_ontology else None,
        inference=inference,
        allow_warnings=True,
    )
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            (
                str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(r, SH.focusNode)),
                str(report.value(r, SH.resultPath) or ""),
                str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    return bool(conforms), results


def _violations(results: list[Result]) -> list[Result]:
    return [r for r in results if r[0] == "Violation"]


def test_shapes_parse_and_cover_every_class() -> None:
    sg = shapes_graph()
    targeted = set(sg.objects(None, SH.targetClass))
    for name in (
        "Report",
        "Region",
        "Agency",
        "Organization",
        "Person",
        "PolicyDocument",
        "Observation",
        "Evidence",
    ):
        assert YB[name] in targeted, name
    assert RDF.Statement in targeted
    assert SKOS.Concept in targeted


def test_shape_value_sets_match_the_enumerations() -> None:
    g, sg = ontology_graph(), shapes_graph()
    lists = {frozenset(Collection(sg, o)) for o in sg.objects(None, SH["in"])}
    enums = {enum: frozenset(g.subjects(RDF.type, YB[enum])) for enum in ENUMERATIONS}
    for enum, members in enums.items():
        assert members in lists, f"no sh:in lists all of yb:{enum}"
    for values in lists:
        assert any(values <= members for members in enums.values()), values


@pytest.mark.slow
@pytest.mark.parametrize("with_ontology", [True, False])
@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_ontology_and_schemes_conform(inference: str, with_ontology: bool) -> None:
    data = Graph()
    data += ontology_graph()
    conforms, results = _validate(data, inference, with_ontology=with_ontology)
    assert conforms, _violations(results)
    assert not results


def _ontology_copy() -> Graph:
    g = Graph()
    g += ontology_graph()
    return g


@pytest.mark.slow
def test_shapes_catch_a_label_of_two_concepts() -> None:
    data = _ontology_copy()
    data.add((PROG.DRG, SKOS.altLabel, Literal("集采", lang="zh")))
    conforms, results = _validate(data, with_ontology=False)
    assert not conforms
    assert ("Violation", str(PROG), "", "SPARQLConstraintComponent") in results


def test_shapes_catch_a_missing_canonical_unit_and_a_second_pref_label() -> None:
    data = _ontology_copy()
    data.remove((IND.Fines, YB.canonicalUnit, None))
    data.add((IND.Fines, SKOS.prefLabel, Literal("罚没", lang="zh")))
    conforms, results = _validate(data, with_ontology=False)
    assert not conforms
    assert ("Violation", str(IND), "", "SPARQLConstraintComponent") in results
    assert (
        "Violation",
        str(IND.Fines),
        str(SKOS.prefLabel),
        "QualifiedMaxCountConstraintComponent",
    ) in results


def test_shapes_catch_a_broader_concept_of_another_scheme() -> None:
    data = _ontology_copy()
    data.add((PROG.DRG, SKOS.broader, IND.Fines))
    conforms, results = _validate(data, with_ontology=False)
    assert not conforms
    assert ("Violation", str(PROG), str(SKOS.broader), "SPARQLConstraintComponent") in results


# A small graph of one report, following SPEC section 3.

SHA = "c4441f776c3e1348" + "0" * 48
REPORT = YBR[f"report/{SHA[:16]}"]
CHINA, JIANGSU, CHANGZHOU, WUJIN = (
    YBR[f"region/{c}"] for c in ("100000", "320000", "320400", "320412")
)
AGENCY = YBR["agency/常州市武进区医疗保障局"]
OBS = YBR[f"observation/{SHA[:16]}/120-131"]
EVIDENCE = YBR[f"evidence/{SHA[:16]}/120-131"]
EVIDENCE2 = YBR[f"evidence/{SHA[:16]}/300-303"]
STATEMENT = YBR["statement/1"]
DOC = YBR["document/医保办发〔2018〕22号"]


def _region(
    g: Graph, node: URIRef, code: str, level: URIRef, name: str, parent: URIRef | None
) -> None:
    g.add((node, RDF.type, YB.Region))
    g.add((node, YB.adminCode, Literal(code)))
    g.add((node, YB.adminLevel, level))
    g.add((node, RDFS.label, Literal(name, lang="zh")))
    if parent is not None:
        g.add((node, YB.partOf, parent))


def _data() -> Graph:
    g = Graph()
    g.add((REPORT, RDF.type, YB.Report))
    g.add((REPORT, YB.sourceFile, Literal("000_c4441f776c3e1348.txt")))
    g.add((REPORT, YB.sha256, Literal(SHA)))
    g.add((REPORT, YB.encoding, Literal("utf-8")))
    g.add((REPORT, YB.reportKind, YB.WorkSummary))
    g.add((REPORT, DCTERMS.title, Literal("武进区医疗保障局2023年工作总结", lang="zh")))
    g.add((REPORT, DCTERMS.issued, Literal("2024-01", datatype=rdfns.XSD.gYearMonth)))
    g.add((REPORT, DCTERMS.spatial, WUJIN))
    g.add((REPORT, DCTERMS.publisher, AGENCY))
    g.add((REPORT, DCTERMS.references, DOC))
    for node in (WUJIN, PROG.DRG, AGENCY, DOC):
        g.add((REPORT, YB.mentions, node))
    _region(g, CHINA, "100000", YB.Country, "中国", None)
    _region(g, JIANGSU, "320000", YB.Province, "江苏省", CHINA)
    _region(g, CHANGZHOU, "320400", YB.Prefecture, "常州市", JIANGSU)
    _region(g, WUJIN, "320412", YB.County, "武进区", CHANGZHOU)
    g.add((WUJIN, SKOS.altLabel, Literal("武进", lang="zh")))
    g.add((AGENCY, RDF.type, YB.Agency))
    g.add((AGENCY, RDFS.label, Literal("常州市武进区医疗保障局", lang="zh")))
    g.add((AGENCY, YB.jurisdiction, WUJIN))
    g.add((AGENCY, YB.agencyType, YB.HealthcareSecurity))
    g.add((DOC, RDF.type, YB.PolicyDocument))
    g.add((DOC, DCTERMS.title, Literal("关于印发欺诈骗保行为举报奖励暂行办法的通知", lang="zh")))
    g.add((DOC, YB.docNumber, Literal("医保办发〔2018〕22号")))
    g.add((DOC, DCTERMS.issued, Literal("2018", datatype=rdfns.XSD.gYear)))
    g.add((OBS, RDF.type, YB.Observation))
    g.add((OBS, YB.indicator, IND.InsuredPersons))
    g.add((OBS, YB.measureLabel, Literal("参保人数")))
    g.add((OBS, YB.value, Literal(Decimal("1000200"))))
    g.add((OBS, YB.unit, YBU.Person))
    g.add((OBS, YB.region, WUJIN))
    g.add((OBS, YB.period, Literal("2023-12", datatype=rdfns.XSD.gYearMonth)))
    g.add((OBS, YB.status, YB.Actual))
    g.add((OBS, YB.insurance, INS.Basic))
    g.add((OBS, YB.approximation, YB.AtLeast))
    g.add((OBS, YB.source, REPORT))
    g.add((OBS, YB.evidence, EVIDENCE))
    g.add((EVIDENCE, RDF.type, YB.Evidence))
    g.add(
        (EVIDENCE, YB.text, Literal("截至2023年12月,全区基本医疗保险参保人数达100.02万", lang="zh"))
    )
    g.add((EVIDENCE, YB.start, Literal(120)))
    g.add((EVIDENCE, YB.end, Literal(131)))
    g.add((EVIDENCE, YB.source, REPORT))
    g.add((WUJIN, YB.implements, PROG.DRG))
    g.add((STATEMENT, RDF.type, RDF.Statement))
    g.add((STATEMENT, RDF.subject, WUJIN))
    g.add((STATEMENT, RDF.predicate, YB.implements))
    g.add((STATEMENT, RDF.object, PROG.DRG))
    g.add((STATEMENT, YB.evidence, EVIDENCE2))
    g.add((EVIDENCE2, RDF.type, YB.Evidence))
    g.add((EVIDENCE2, YB.text, Literal("加快实施DRG、DIP支付方式改革三年行动计划")))
    g.add((EVIDENCE2, YB.start, Literal(300)))
    g.add((EVIDENCE2, YB.end, Literal(303)))
    return g


@pytest.mark.slow
@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_a_small_data_graph_conforms(inference: str) -> None:
    conforms, results = _validate(_data(), inference)
    assert conforms, _violations(results)
    assert results == []


def test_missing_recommended_report_metadata_only_warns() -> None:
    g = _data()
    g.remove((REPORT, DCTERMS.publisher, None))
    g.remove((REPORT, DCTERMS.title, None))
    conforms, results = _validate(g)
    assert conforms
    assert sorted(results) == [
        ("Warning", str(REPORT), str(DCTERMS.publisher), "MinCountConstraintComponent"),
        ("Warning", str(REPORT), str(DCTERMS.title), "MinCountConstraintComponent"),
    ]


def _breaks(g: Graph, expected: Result) -> None:
    conforms, results = _validate(g)
    assert not conforms
    assert expected in results, results


@pytest.mark.slow
def test_observation_without_value_does_not_conform() -> None:
    g = _data()
    g.remove((OBS, YB.value, None))
    _breaks(g, ("Violation", str(OBS), str(YB.value), "MinCountConstraintComponent"))


@pytest.mark.slow
def test_observation_with_a_non_decimal_value_does_not_conform() -> None:
    g = _data()
    g.set((OBS, YB.value, Literal("100.02万")))
    _breaks(g, ("Violation", str(OBS), str(YB.value), "DatatypeConstraintComponent"))
    g.set((OBS, YB.value, Literal(1000200)))  # xsd:integer is not xsd:decimal
    _breaks(g, ("Violation", str(OBS), str(YB.value), "DatatypeConstraintComponent"))


@pytest.mark.slow
def test_region_with_a_bad_admin_code_does_not_conform() -> None:
    g = _data()
    g.set((WUJIN, YB.adminCode, Literal("32041")))
    _breaks(g, ("Violation", str(WUJIN), str(YB.adminCode), "PatternConstraintComponent"))
    # and the IRI no longer matches the code
    _breaks(g, ("Violation", str(YB.Region), str(YB.adminCode), "SPARQLConstraintComponent"))


@pytest.mark.slow
def test_statement_without_evidence_does_not_conform() -> None:
    g = _data()
    g.remove((STATEMENT, YB.evidence, None))
    _breaks(g, ("Violation", str(STATEMENT), str(YB.evidence), "MinCountConstraintComponent"))


@pytest.mark.slow
def test_statement_of_a_missing_triple_does_not_conform() -> None:
    g = _data()
    g.remove((WUJIN, YB.implements, PROG.DRG))
    _breaks(g, ("Violation", str(RDF.Statement), "", "SPARQLConstraintComponent"))


@pytest.mark.slow
def test_region_below_country_needs_its_parent() -> None:
    g = _data()
    g.remove((CHANGZHOU, YB.partOf, None))
    _breaks(g, ("Violation", str(CHANGZHOU), "", "XoneConstraintComponent"))
    g = _data()
    g.add((CHINA, YB.partOf, JIANGSU))
    _breaks(g, ("Violation", str(CHINA), "", "XoneConstraintComponent"))


@pytest.mark.slow
def test_region_parent_is_of_a_higher_level() -> None:
    g = _data()
    g.set((JIANGSU, YB.partOf, WUJIN))
    _breaks(g, ("Violation", str(JIANGSU), "", "OrConstraintComponent"))


@pytest.mark.slow
def test_observation_unit_and_indicator_come_from_their_schemes() -> None:
    g = _data()
    g.set((OBS, YB.unit, IND.Other))
    _breaks(g, ("Violation", str(OBS), str(YB.unit), "NodeConstraintComponent"))
    g = _data()
    g.set((OBS, YB.indicator, YBU.Person))
    _breaks(g, ("Violation", str(OBS), str(YB.indicator), "NodeConstraintComponent"))
    g = _data()
    g.set((OBS, YB.status, YB.Plan))
    _breaks(g, ("Violation", str(OBS), str(YB.status), "InConstraintComponent"))


@pytest.mark.slow
def test_observation_period_is_a_date_like_literal() -> None:
    g = _data()
    g.set((OBS, YB.period, Literal("2023年12月")))
    _breaks(g, ("Violation", str(OBS), str(YB.period), "NodeConstraintComponent"))


@pytest.mark.slow
def test_evidence_offsets() -> None:
    g = _data()
    g.set((EVIDENCE, YB.end, Literal(100)))
    _breaks(g, ("Violation", str(EVIDENCE), str(YB.start), "LessThanConstraintComponent"))
    g = _data()
    g.set((EVIDENCE, YB.start, Literal(-1)))
    _breaks(g, ("Violation", str(EVIDENCE), str(YB.start), "MinInclusiveConstraintComponent"))


@pytest.mark.slow
def test_policy_document_number_and_identity() -> None:
    g = _data()
    g.set((DOC, YB.docNumber, Literal("医保办发[2018]22号")))
    _breaks(g, ("Violation", str(DOC), str(YB.docNumber), "PatternConstraintComponent"))
    g = _data()
    g.remove((DOC, YB.docNumber, None))
    g.remove((DOC, DCTERMS.title, None))
    _breaks(g, ("Violation", str(DOC), "", "OrConstraintComponent"))


@pytest.mark.slow
def test_implements_needs_a_program_and_a_region_or_agency() -> None:
    g = _data()
    g.add((WUJIN, YB.implements, IND.Fines))
    _breaks(g, ("Violation", str(WUJIN), str(YB.implements), "NodeConstraintComponent"))
    g = _data()
    g.add((DOC, YB.implements, PROG.DIP))
    _breaks(g, ("Violation", str(DOC), "", "OrConstraintComponent"))


@pytest.mark.slow
def test_report_kind_and_hash() -> None:
    g = _data()
    g.set((REPORT, YB.reportKind, YB.Country))
    _breaks(g, ("Violation", str(REPORT), str(YB.reportKind), "InConstraintComponent"))
    g = _data()
    g.set((REPORT, YB.sha256, Literal("XYZ")))
    _breaks(g, ("Violation", str(REPORT), str(YB.sha256), "PatternConstraintComponent"))


@pytest.mark.slow
def test_validation_leaves_the_cached_graphs_alone() -> None:
    sizes = len(ontology_graph()), len(shapes_graph())
    _validate(_data(), "rdfs")
    assert (len(ontology_graph()), len(shapes_graph())) == sizes


def test_blank_node_free_concepts() -> None:
    g = ontology_graph()
    for scheme in SCHEMES:
        for c in _scheme_concepts(g, scheme):
            assert not any(isinstance(o, BNode) for o in g.objects(c, None)), c
