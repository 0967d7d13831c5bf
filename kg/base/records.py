"""Plain records passed between the pipeline's stages.

The data flow is ``Path → Document → spaCy Doc → records → linked records →
rdflib.Graph``. These frozen dataclasses are the records: they hold only
strings, ints, Decimals and tuples (no spaCy and no rdflib objects), so they
can be pickled to worker processes, compared in tests and cached.

All offsets are character offsets into :attr:`Document.text`, the decoded text
that ``kg text FILE`` prints; ``document.text[m.start:m.end] == m.text`` holds
for every mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

Span = tuple[int, int]


@dataclass(frozen=True)
class HeaderField:
    """A metadata line of a web page or report header (来源：…, 发布时间：…).

    ``key`` is canonical (``source``, ``published``, ``author``, ``editor``,
    ``reviewer``, ``views``...), ``label`` the key as written, ``value`` the
    value as written, and ``start``/``end`` the value's offsets.
    """

    key: str
    label: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Line:
    """A line of the text, read once at ingest (:mod:`kg.ingest.layout`).

    ``start``/``end`` are the offsets of its content without edge whitespace;
    ``kind`` says what it is: ``body`` (prose or a table row of the report),
    ``title``, ``header`` (来源：…, a press line such as 某某日报 2023-05-06), ``chrome``
    (navigation, widgets, footer), ``heading`` (a line that opens a section),
    ``signature`` (the signing body and date at the end) or ``blank``.
    """

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Heading:
    """A heading that opens a section (a scope) of the report.

    ``start``/``end`` cover the heading as written, its numbering included
    (一、2024年工作思路; for an inline heading such as （一）…。 the words up to
    its first 。); ``marker`` is the numbering's style (``chapter`` 第一章/第一部分,
    ``cn`` 一、, ``pcn`` （一）, ``num`` 1., ``pnum`` （1）, ``circled`` ①,
    ``bracket`` 【…】, ``bare`` a short line above a paragraph); ``text`` the
    heading without its numbering; ``level`` its depth (1 = top), from the order
    in which the report nests its numbering styles; ``inline`` is set when body
    text follows on the same line.
    """

    start: int
    end: int
    level: int
    marker: str
    text: str
    inline: bool = False


#: What the user supplied about one report beyond its text: (key, value) pairs, sorted.
Given = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Document:
    """One input report, decoded, with its header parsed.

    ``skip`` lists spans (header lines, navigation, page chrome) that belong to
    the text but not to the report's body: extractors ignore mentions inside
    them. ``title`` is the report's own title when one was found. ``lines``,
    ``headings`` and ``signature`` (the span of the signature block: the
    signing body and its date) are the report's layout, read once at ingest:
    later stages read them and never split the text into lines again.
    ``given`` holds what the user supplied about the report beyond its text
    (``kg build --region``, a manifest's columns) as (key, value) pairs.
    """

    source_file: str
    path: str
    text: str
    sha256: str
    encoding: str
    media_type: str
    title: str | None = None
    title_span: Span | None = None
    header: tuple[HeaderField, ...] = ()
    skip: tuple[Span, ...] = ()
    warnings: tuple[str, ...] = ()
    lines: tuple[Line, ...] = ()
    headings: tuple[Heading, ...] = ()
    signature: Span | None = None
    given: Given = ()

    def given_value(self, key: str) -> str | None:
        """What the user supplied for ``key`` (``region``, ``issued``, ``publisher``,
        ``kind``, ``title``, ``url``: ``kg build --region`` or a manifest), or None."""
        for k, v in self.given:
            if k == key:
                return v
        return None

    @property
    def stem(self) -> str:
        """The file name without its extension (``000_c4441f776c3e1348``)."""
        return PurePath(self.source_file).stem

    def header_value(self, key: str) -> str | None:
        """The first header value with canonical ``key``, or None."""
        for h in self.header:
            if h.key == key:
                return h.value
        return None

    def in_body(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` does not overlap a skipped span."""
        return not any(s < end and start < e for s, e in self.skip)

    def body_lines(self) -> list[Line]:
        """The lines that hold the report's own text (body, headings, signature), in order."""
        return [ln for ln in self.lines if ln.kind in ("body", "heading", "signature")]

    def line_text(self, line: Line) -> str:
        """The text of one of :attr:`lines`."""
        return self.text[line.start:line.end]


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RegionMention:
    """A place named or referred to.

    ``candidates`` are the GB/T 2260 codes the surface form can denote (one
    for 武进区, several for 城关区); ``deictic`` is set for references such as
    全区/我市/本省/全国 and holds the level word (区, 市, 州, 县, 省, 国...);
    such mentions have no candidates: the linker resolves them against the
    report's home region.
    """

    text: str
    start: int
    end: int
    sentence: Sentence
    candidates: tuple[str, ...] = ()
    deictic: str | None = None


@dataclass(frozen=True)
class ConceptMention:
    """A mention of a SKOS concept of the ontology (a program, an indicator…).

    ``scheme`` is the concept scheme's prefix (``prog``, ``ind``, ``ins``,
    ``ybu``) and ``concept`` the concept's local name (``DRG``).
    """

    scheme: str
    concept: str
    text: str
    start: int
    end: int
    sentence: Sentence


@dataclass(frozen=True)
class CitationMention:
    """A cited document: a 《title》, a 发文字号, or both.

    ``title`` is without 《》; ``doc_number`` is normalised
    (``医保办发〔2018〕22号``). ``start``/``end`` cover the whole citation.
    ``alias`` marks a short reference (《条例》, 以下简称《办法》) to a document
    cited in full elsewhere in the report; ``alias_of`` is that document's
    full title when the text declares the short name (（以下简称《条例》）).
    """

    title: str | None
    doc_number: str | None
    text: str
    start: int
    end: int
    sentence: Sentence
    alias: bool = False
    alias_of: str | None = None


@dataclass(frozen=True)
class AgencyMention:
    """A government or party body named or referred to.

    ``form`` is the written form of the lexicon that was found (医保局,
    卫健委, 国务院, 我局). What names the body's region: ``regions`` named
    before the form (遂宁市医保局; several when coordinated: 张掖、酒泉两地医保
    部门), a ``level`` word (市医保局 → 市), ``national`` (the full name of a
    national body), ``listed`` (a bare name right after another body in a
    list shares its region), or nothing (the report's own region).
    ``publisher`` marks 我局/本局. ``unit`` is a unit written after the body
    (办公室, 武进分中心), of type ``unit_type`` (None: the body's type) and
    serving ``unit_region`` when the unit names one; the mention then denotes
    the unit, which belongs to the body. ``coordinated`` marks a level word in
    a list of level words (省、市政府): it names its tier of the hierarchy (市 →
    the prefecture, even in a report about a 县级市).
    """

    text: str
    start: int
    end: int
    sentence: Sentence
    form: str
    regions: tuple[RegionMention, ...] = ()
    level: str | None = None
    national: str | None = None
    listed: bool = False
    publisher: bool = False
    unit: str | None = None
    unit_type: str | None = None
    unit_region: RegionMention | None = None
    coordinated: bool = False


@dataclass(frozen=True)
class OrganizationMention:
    """A hospital, pharmacy, insurer or company named in the text.

    ``full`` is the full name when the lexicon knows it (人保财险 → 中国人民
    财产保险股份有限公司); ``region`` the region named at the head of the name
    (武进人民医院), ``level`` a level word there instead (市第一人民医院).
    """

    text: str
    start: int
    end: int
    sentence: Sentence
    org_type: str
    full: str | None = None
    region: RegionMention | None = None
    level: str | None = None


@dataclass(frozen=True)
class PersonMention:
    """A person named with a role (副市长袁冰, 彭哲志委员); ``start``/``end`` cover the name."""

    name: str
    start: int
    end: int
    sentence: Sentence
    role: str


@dataclass(frozen=True)
class ObservationMention:
    """A reported number with what it measures, as read from its sentence.

    ``value`` is normalised (yuan, persons, percent numbers; negative for a
    decrease when ``value_type`` is ``Change``, and for a negative level such as
    当期结余-0.3亿元); for a range ``value`` is the lower bound and ``max_value``
    the upper; ``part_of`` is the span (``start``, ``end``) of the total this number
    is a part of (其中…, a table row under its total), in the same report;
    ``subgroup`` marks a count or rate of a part of the population (建档立卡贫困人员,
    退休人员), never the region's headline figure; ``unit``, ``indicator``,
    ``insurance``, ``program``, ``status``, ``approximation`` and
    ``value_type`` are local names of the ontology's terms; ``place`` is the
    region mention its clause names (resolved by the linker), if any.
    ``text == document.text[start:end]`` is the number's phrase.
    """

    value: Decimal
    unit: str
    measure: str
    indicator: str
    insurance: str | None
    program: str | None
    status: str
    approximation: str | None
    value_type: str
    period: str | None
    period_start: str | None
    start: int
    end: int
    text: str
    sentence: Sentence
    place: RegionMention | None = None
    max_value: Decimal | None = None
    part_of: Span | None = None
    subgroup: bool = False


@dataclass(frozen=True)
class Frame:
    """What a report as a whole says about itself, read once per report (:mod:`kg.extract.frame`).

    ``kind`` (a ``yb:ReportKind`` local name); ``issued`` (ISO at the precision the
    report gives); ``written_year`` (the year it was written: relative years
    such as 今年/去年 count from it, and a goal is a number dated after it);
    ``covers``/``covers_start`` (the period it looks back on: the period of its
    numbers that name no time of their own); ``ahead`` (the year it looks ahead
    to, for a plan or next year's tasks); ``mode`` (``review``, ``plan`` or
    ``mix``); ``home`` (GB/T 2260 code of the region it is about) and
    ``home_source`` (how that was found: ``title``, ``leading line``,
    ``header``, ``signature``, ``text``, ``given`` or ``none``).
    ``supplied`` names the fields taken from what the user gave (--region, a
    manifest) because the text is silent (or, for the region, names places
    only in its body: the user's region wins over the one named most often);
    ``notes`` are disagreements between the text and what the user gave (the
    title, header or signature wins over the user). ``title`` is the report's
    title (its own, else the one supplied), ``url`` the page's address and
    ``publisher`` the publisher's full name, both as supplied (the text's own
    publisher is read when linking its bodies).
    """

    kind: str
    issued: str | None = None
    written_year: int | None = None
    covers: str | None = None
    covers_start: str | None = None
    ahead: int | None = None
    mode: str = "review"
    home: str | None = None
    home_source: str = "none"
    supplied: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    title: str | None = None
    url: str | None = None
    publisher: str | None = None

    @property
    def year(self) -> int | None:
        """The year of :attr:`covers`: the year of numbers that name none."""
        return int(self.covers[:4]) if self.covers and self.covers[:4].isdigit() else None


@dataclass(frozen=True)
class Extraction:
    """Everything the NLP stage found in one document."""

    document: Document
    sentences: tuple[Sentence, ...] = ()
    regions: tuple[RegionMention, ...] = ()
    programs: tuple[ConceptMention, ...] = ()
    citations: tuple[CitationMention, ...] = ()
    observations: tuple[ObservationMention, ...] = ()
    agencies: tuple[AgencyMention, ...] = ()
    organizations: tuple[OrganizationMention, ...] = ()
    persons: tuple[PersonMention, ...] = ()
    frame: Frame | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the sentence and the offsets of its phrase."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class LinkedRegion:
    """A region mention resolved to one GB/T 2260 code."""

    code: str
    evidence: Evidence


@dataclass(frozen=True)
class Relation:
    """A relation between two entities, with the evidence it was read from.

    ``subject`` and ``obj`` are keys understood by the graph layer:
    ``region:320412``, ``program:DRG``, ``document:<key>``, ``agency:<name>``.
    ``predicate`` is the local name of the property (``implements``).
    """

    subject: str
    predicate: str
    obj: str
    evidence: Evidence


@dataclass(frozen=True)
class LinkedCitation:
    """A cited document with its identity key (文号 when known, else title).

    ``creators`` are the full names of the bodies that issued it, as far as
    the citation tells (its 代字, the bodies its title or sentence names).
    """

    key: str
    title: str | None
    doc_number: str | None
    evidence: Evidence
    creators: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedObservation:
    """An observation with its region resolved to a GB/T 2260 code (None: neither the
    text nor the user tells the place; the observation is kept all the same).

    ``headline`` marks the report's headline figure of its indicator, scheme,
    region, period (and its start), status and program: a level, not a part of a
    total of the same indicator and scheme (a scheme's part of the all-schemes
    total is that scheme's headline figure), the first one the report states.
    """

    mention: ObservationMention
    region: str | None
    evidence: Evidence
    headline: bool = False


@dataclass(frozen=True)
class LinkedAgency:
    """A body with its identity: the official full name.

    ``agency_type`` is the local name of a ``yb:AgencyType``; ``jurisdiction``
    the GB/T 2260 code of its region (China: 100000) or None; ``parent`` the
    full name of the body it belongs to (org:subOrganizationOf), if any.
    ``mentioned`` is False for a body only known as another's parent (国家医疗
    保障局 of 国家医疗保障局办公室): a node of the graph, but not named by the report.
    """

    name: str
    agency_type: str
    jurisdiction: str | None
    evidence: Evidence
    parent: str | None = None
    mentioned: bool = True


@dataclass(frozen=True)
class LinkedOrganization:
    """An organisation with its name (level words replaced by the region's name)."""

    name: str
    org_type: str
    located_in: str | None
    evidence: Evidence


@dataclass(frozen=True)
class LinkedPerson:
    """A named person: role as written, and the body they belong to when the text says."""

    name: str
    role: str
    member_of: str | None
    evidence: Evidence

    def member_or_home(self, home: str | None) -> str:
        """What tells this person from a namesake: their body, else the report's region."""
        return self.member_of or f"region:{home}"


@dataclass(frozen=True)
class LinkedReport:
    """One report's records with every entity resolved to an identity."""

    document: Document
    home_region: str | None
    kind: str
    issued: str | None
    regions: tuple[LinkedRegion, ...] = ()
    programs: tuple[str, ...] = ()
    citations: tuple[LinkedCitation, ...] = ()
    relations: tuple[Relation, ...] = field(default=())
    observations: tuple[LinkedObservation, ...] = ()
    agencies: tuple[LinkedAgency, ...] = ()
    publisher: str | None = None
    organizations: tuple[LinkedOrganization, ...] = ()
    persons: tuple[LinkedPerson, ...] = ()
    warnings: tuple[str, ...] = ()
    frame: Frame | None = None
