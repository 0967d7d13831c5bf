"""The vocabularies of Yibao KG as rdflib namespaces.

Our five vocabularies are closed :class:`~rdflib.namespace.DefinedNamespace`
classes, one attribute per term defined in ``ontology/*.ttl``: a typo is an
``AttributeError``, not a silently wrong IRI (``tests/test_namespaces.py``
keeps them in step with the Turtle files).

===========  =========================================  ===========================
name         IRI                                        defined in
===========  =========================================  ===========================
``YB``       ``https://w3id.org/yibao-kg/ontology#``    ``ontology/yb.ttl``
``IND``      ``https://w3id.org/yibao-kg/indicator/``   ``ontology/indicators.ttl``
``PROG``     ``https://w3id.org/yibao-kg/program/``     ``ontology/programs.ttl``
``INS``      ``https://w3id.org/yibao-kg/insurance/``   ``ontology/insurance.ttl``
``YBU``      ``https://w3id.org/yibao-kg/unit/``        ``ontology/units.ttl``
``YBR``      ``https://w3id.org/yibao-kg/id/``          instance data (open)
===========  =========================================  ===========================

Each SKOS concept scheme's IRI is its namespace IRI (``URIRef(str(PROG))``).
The standard vocabularies are re-exported for convenience.

    >>> from kg.base.namespaces import IND, PROG, YB, YBR, YBU
    >>> YB.Observation
    rdflib.term.URIRef('https://w3id.org/yibao-kg/ontology#Observation')
    >>> PROG.DRG, YBU.Yuan
    (rdflib.term.URIRef('https://w3id.org/yibao-kg/program/DRG'), rdflib.term.URIRef('https://w3id.org/yibao-kg/unit/Yuan'))
    >>> YB["WorkSummary"] == YB.WorkSummary
    True
    >>> YBR["region/320412"]
    rdflib.term.URIRef('https://w3id.org/yibao-kg/id/region/320412')
    >>> IND.NoSuchIndicator
    Traceback (most recent call last):
    ...
    AttributeError: term 'NoSuchIndicator' not in namespace 'https://w3id.org/yibao-kg/indicator/'
"""

# No ``from __future__ import annotations`` here: rdflib reads the attribute
# annotations of a DefinedNamespace at run time and expects real types.

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS",
    "IND",
    "INS",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROG",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMES",
    "SH",
    "SKOS",
    "XSD",
    "YB",
    "YBR",
    "YBU",
    "bind_prefixes",
]


class YB(DefinedNamespace):
    """Classes, properties and enumeration individuals (``ontology/yb.ttl``)."""

    _NS = Namespace("https://w3id.org/yibao-kg/ontology#")
    _fail = True

    # Classes
    Agency: URIRef
    ConsistencyCheck: URIRef
    Evidence: URIRef
    Observation: URIRef
    Organization: URIRef
    Person: URIRef
    PolicyDocument: URIRef
    Region: URIRef
    Report: URIRef
    # Enumeration classes
    AdminLevel: URIRef
    AgencyType: URIRef
    Approximation: URIRef
    FundScope: URIRef
    ReportKind: URIRef
    Status: URIRef
    ValueType: URIRef
    # Properties
    adminCode: URIRef
    adminLevel: URIRef
    agencyType: URIRef
    approximation: URIRef
    breakdownOf: URIRef
    canonicalUnit: URIRef
    comparedWith: URIRef
    cooperatesWith: URIRef
    docNumber: URIRef
    encoding: URIRef
    end: URIRef
    evidence: URIRef
    fundScope: URIRef
    headerSource: URIRef
    implements: URIRef
    indicator: URIRef
    insurance: URIRef
    isHeadline: URIRef
    jurisdiction: URIRef
    locatedIn: URIRef
    maxValue: URIRef
    measureLabel: URIRef
    memberOf: URIRef
    mentions: URIRef
    metadataSource: URIRef
    orgType: URIRef
    partOf: URIRef
    period: URIRef
    periodStart: URIRef
    pilotOf: URIRef
    program: URIRef
    region: URIRef
    reportKind: URIRef
    role: URIRef
    sha256: URIRef
    source: URIRef
    sourceFile: URIRef
    sourceURL: URIRef
    start: URIRef
    status: URIRef
    text: URIRef
    unit: URIRef
    value: URIRef
    valueType: URIRef
    # Individuals of yb:ReportKind
    News: URIRef
    OtherReport: URIRef
    Plan: URIRef
    ProposalReply: URIRef
    StatisticalRelease: URIRef
    WorkSummary: URIRef
    # Individuals of yb:AdminLevel
    Country: URIRef
    County: URIRef
    Prefecture: URIRef
    Province: URIRef
    # Individuals of yb:Status
    Actual: URIRef
    Estimate: URIRef
    Target: URIRef
    # Individuals of yb:Approximation
    Approximate: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    # Individuals of yb:ValueType
    Change: URIRef
    Level: URIRef
    # Individuals of yb:FundScope
    PersonalAccount: URIRef
    PooledFund: URIRef
    # Individuals of yb:AgencyType
    Audit: URIRef
    CPPCC: URIRef
    CivilAffairs: URIRef
    DisciplineInspection: URIRef
    Finance: URIRef
    Government: URIRef
    HealthCommission: URIRef
    HealthcareSecurity: URIRef
    HumanResourcesSocialSecurity: URIRef
    MarketRegulation: URIRef
    OtherAgency: URIRef
    PartyCommittee: URIRef
    PeoplesCongress: URIRef
    PublicSecurity: URIRef
    RuralRevitalization: URIRef
    Taxation: URIRef
    # Individuals of yb:ConsistencyCheck (kg check)
    ChangeMismatch: URIRef
    CrossReportConflict: URIRef
    PartsExceedTotal: URIRef
    RateOver100: URIRef
    SchemeSumMismatch: URIRef
    TargetBeforeReport: URIRef


class IND(DefinedNamespace):
    """Statistical indicators, a SKOS concept scheme (``ontology/indicators.ttl``)."""

    _NS = Namespace("https://w3id.org/yibao-kg/indicator/")
    _fail = True

    AverageInpatientCost: URIRef  # 次均住院费用
    ChronicDiseaseOutpatientVisits: URIRef  # 门诊慢特病人次
    CoverageRate: URIRef  # 参保率
    CrossRegionSettlements: URIRef  # 异地就医结算人次
    DesignatedInstitutions: URIRef  # 定点医药机构
    DesignatedMedicalInstitutions: URIRef  # 定点医疗机构
    DesignatedPharmacies: URIRef  # 定点零售药店
    DirectSettlementRate: URIRef  # 直接结算率
    DrugCatalogueSize: URIRef  # 医保目录药品数
    ECertificateActivationRate: URIRef  # 医保电子凭证激活率
    Fines: URIRef  # 罚款
    FundAccumulatedBalance: URIRef  # 累计结余
    FundCurrentBalance: URIRef  # 当期结余
    FundExpenditure: URIRef  # 基金支出
    FundRevenue: URIRef  # 基金收入
    GovernmentSubsidyPerCapita: URIRef  # 人均财政补助
    HospitalisationRate: URIRef  # 住院率
    IndividualContribution: URIRef  # 个人缴费
    InpatientReimbursementRate: URIRef  # 政策范围内住院费用基金支付比例
    InpatientVisits: URIRef  # 住院人次
    InspectedInstitutions: URIRef  # 检查定点医药机构
    InsuredPersons: URIRef  # 参保人数
    LongTermCareBeneficiaries: URIRef  # 长护险享受待遇人数
    MedicalAssistanceExpenditure: URIRef  # 医疗救助资金
    MedicalAssistanceRecipients: URIRef  # 医疗救助人数
    Other: URIRef  # 其他指标
    OutpatientVisits: URIRef  # 门诊人次
    PaymentReformCoverage: URIRef  # 支付方式改革覆盖率
    ProcuredItems: URIRef  # 中选品种
    ProcurementAmount: URIRef  # 采购金额
    ProcurementBatches: URIRef  # 采购批次
    ProcurementPriceReduction: URIRef  # 价格平均降幅
    RecoveredFunds: URIRef  # 追回医保基金
    RefusedPayments: URIRef  # 拒付
    SanctionedInstitutions: URIRef  # 处理定点医药机构


class PROG(DefinedNamespace):
    """Programs and reforms, a SKOS concept scheme (``ontology/programs.ttl``)."""

    _NS = Namespace("https://w3id.org/yibao-kg/program/")
    _fail = True

    AntiFraud: URIRef  # 打击欺诈骗保
    ChronicSpecialDiseaseOutpatient: URIRef  # 门诊慢特病
    ConsumableVBP: URIRef  # 医用耗材集中带量采购
    CreditSystem: URIRef  # 医保信用体系
    CriticalIllnessInsurance: URIRef  # 大病保险
    CrossRegionDirectSettlement: URIRef  # 异地就医直接结算
    DIP: URIRef  # 按病种分值付费
    DRG: URIRef  # 按疾病诊断相关分组付费
    DrugCatalogue: URIRef  # 医保药品目录
    DrugVBP: URIRef  # 药品集中带量采购
    DualChannel: URIRef  # 双通道
    FamilyDoctorContract: URIRef  # 家庭医生签约服务
    GlobalBudget: URIRef  # 总额控制
    HealthInsuranceECertificate: URIRef  # 医保电子凭证
    InclusiveCommercialInsurance: URIRef  # 惠民保
    LongTermCareInsurance: URIRef  # 长期护理保险
    MedicalAssistance: URIRef  # 医疗救助
    MunicipalPooling: URIRef  # 市级统筹
    OutpatientMutualAid: URIRef  # 职工医保门诊共济保障机制
    PaymentMethodReform: URIRef  # 医保支付方式改革
    SmartSupervision: URIRef  # 智能监管
    VolumeBasedProcurement: URIRef  # 集中带量采购


class INS(DefinedNamespace):
    """Insurance schemes and funds, a SKOS concept scheme (``ontology/insurance.ttl``)."""

    _NS = Namespace("https://w3id.org/yibao-kg/insurance/")
    _fail = True

    Basic: URIRef  # 基本医疗保险
    CivilServantSubsidy: URIRef  # 公务员医疗补助
    CriticalIllness: URIRef  # 大病保险
    Employee: URIRef  # 职工基本医疗保险
    LongTermCare: URIRef  # 长期护理保险
    Maternity: URIRef  # 生育保险
    MedicalAssistance: URIRef  # 医疗救助
    Resident: URIRef  # 城乡居民基本医疗保险
    RetiredCadres: URIRef  # 离休人员医疗保障
    Supplementary: URIRef  # 补充医疗保险


class YBU(DefinedNamespace):
    """Units, a SKOS concept scheme (``ontology/units.ttl``)."""

    _NS = Namespace("https://w3id.org/yibao-kg/unit/")
    _fail = True

    Batch: URIRef  # 批
    Case: URIRef  # 例
    Day: URIRef  # 天
    Institution: URIRef  # 家
    Item: URIRef  # 种
    Month: URIRef  # 个月
    Other: URIRef  # 其他单位
    Percent: URIRef  # %
    PercentagePoint: URIRef  # 个百分点
    Person: URIRef  # 人
    PersonTime: URIRef  # 人次
    Yuan: URIRef  # 元


#: Instance data: ``ybr:region/{code}``, ``ybr:report/{hash}``... (open namespace).
YBR = Namespace("https://w3id.org/yibao-kg/id/")

#: The concept schemes by prefix, as used by :mod:`kg.base.ontology` and in
#: :class:`kg.base.records.ConceptMention` (``scheme``).
SCHEMES: dict[str, type[DefinedNamespace]] = {
    "prog": PROG,
    "ind": IND,
    "ins": INS,
    "ybu": YBU,
}

#: Every prefix of the project, for binding on graphs that are written out.
PREFIXES: dict[str, str] = {
    "yb": str(YB),
    "ybr": str(YBR),
    "ind": str(IND),
    "prog": str(PROG),
    "ins": str(INS),
    "ybu": str(YBU),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "org": str(ORG),
    "prov": str(PROV),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of :data:`PREFIXES` on ``graph`` (replacing others) and return it.

    >>> from rdflib import Graph
    >>> g = bind_prefixes(Graph(bind_namespaces="none"))
    >>> g.namespace_manager.qname(PROG.DRG)
    'prog:DRG'
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
