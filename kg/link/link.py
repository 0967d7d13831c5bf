"""Linking: extraction records → linked records with identities.

Resolves every region mention to one GB/T 2260 code (by context, see
:mod:`kg.link.locate`), finds the report's home region, kind and date, gives each
cited document its identity key (文号 when known, else the title), and reads
the relations the foundation knows: ``yb:implements`` and ``yb:pilotOf`` of
programs by the region that carries them out.

No rdflib here: the result is a :class:`~kg.base.records.LinkedReport` of plain
records, mapped to RDF by :mod:`kg.graph.rdfgraph`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from kg.base.deixis import NATIONAL
from kg.base.records import (
    AgencyMention,
    CitationMention,
    ConceptMention,
    Evidence,
    Extraction,
    LinkedAgency,
    LinkedCitation,
    LinkedObservation,
    LinkedOrganization,
    LinkedPerson,
    LinkedRegion,
    LinkedReport,
    ObservationMention,
    RegionMention,
    Relation,
    Sentence,
)
from kg.base.regions import Gazetteer, gazetteer
from kg.base.titles import normalise_title
from kg.extract.clauses import clause_around, clauses
from kg.extract.frame import read_frame
from kg.extract.labels import future_words, program_indicators
from kg.link.agencylink import AgencyLinker, creators_of, sub_organizations, unique_agencies
from kg.link.locate import deictic_target, resolve


def _evidence(sentence: Sentence, start: int, end: int) -> Evidence:
    return Evidence(sentence.text, start, end)


def _inside(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


#: What may stand before a clause's subject: space, an ordinal (一是), nothing else.
_CLAUSE_HEAD = re.compile(r"[\s\u3000]*(?:[一二三四五六七八九十]+是)?[\s\u3000]*")
#: Text that may stand between coordinated regions (成都、绵阳两市; 张掖和酒泉).
COORDINATION = re.compile(r"^[、和与及\s]*$")


class _Subjects:
    """Who a clause is about, from the regions it names, in order.

    The home region (named, or referred to as 全市/我区…) anchors the clause
    to the report's own work; a region inside the home region (我市安居区)
    narrows it; any other region named before such an anchor — a neighbour,
    or a parent named explicitly (定西市作为…试点城市) rather than by deixis
    (市医保局, 全省) — takes the clause over. Regions coordinated with 、/和/与
    (成都、绵阳两市) are subjects together.
    """

    def __init__(self, resolved: Sequence[tuple[RegionMention, str]], home: str,
                 gaz: Gazetteer, text: str) -> None:
        self.resolved = resolved
        self.home = home
        self.gaz = gaz
        self.text = text
        self.ancestors = {r.code for r in gaz.ancestors(home)}
        starts = [rm.start for rm, _ in resolved]
        # in text order (as extraction gives them): a span's regions are a slice
        self.starts = starts if all(a <= b for a, b in itertools.pairwise(starts)) else None

    def _within(self, start: int, end: int) -> Iterable[tuple[RegionMention, str]]:
        """The resolved regions inside ``[start, end)``, in order."""
        if self.starts is None:
            return [(rm, code) for rm, code in self.resolved
                    if start <= rm.start and rm.end <= end]
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return [(rm, code) for rm, code in self.resolved[lo:hi] if rm.end <= end]

    def subject(self, start: int, end: int,
                carried: str | None = None) -> tuple[tuple[str, ...], bool]:
        """The subjects of ``[start, end)`` and whether a region other than home named them.

        ``carried`` is a subject carried over from earlier clauses of the sentence.
        """
        subjects: list[str] = [carried or self.home]
        anchored, other = carried is not None, carried not in (None, self.home)
        last_end = -1
        for rm, code in self._within(start, end):
            joined = last_end >= 0 and bool(COORDINATION.match(self.text[last_end:rm.start]))
            if code == self.home:
                subjects, anchored, other = [self.home], True, False
            elif self.gaz.is_within(code, self.home):
                subjects = [*subjects, code] if joined and other else [code]
                anchored, other = True, True
            elif code in self.ancestors and rm.deictic:
                continue
            elif not anchored or (joined and other):
                subjects = [*subjects, code] if joined and other else [code]
                other = True
            else:
                continue
            last_end = rm.end
        return tuple(dict.fromkeys(subjects)), other

    def carried(self, start: int, end: int) -> str | None:
        """The home region or a region inside it, named last in ``[start, end)``."""
        out = None
        for _rm, code in self._within(start, end):
            if self.gaz.is_within(code, self.home):
                out = code
        return out


def _program_relations(
    document_text: str,
    programs: Sequence[ConceptMention],
    resolved: Sequence[tuple[RegionMention, str]],
    citations: Sequence[CitationMention],
    home: str | None,
    gaz: Gazetteer,
    names: Sequence[tuple[int, int]] = (),
    national: Sequence[int] = (),
) -> list[Relation]:
    """``implements`` / ``pilotOf`` of programs by the region that carries them out.

    A program mentioned in the report's own text (not inside a cited title)
    is carried out by the subject of its clause up to the mention (see
    :class:`_Subjects`; by default the home region). 试点 makes a pilot: if a
    clause of the sentence that says 试点 — the program's own clause, or one
    that names no program of its own — names a region other than home, that
    region is the pilot (and carries the program out); otherwise the
    program's own clause saying 试点 makes its subject the pilot.

    A region inside an organisation's name (``names``: 青海某某医院纳入DRG付费) is no
    subject; a clause whose first actor is a national body or 全国 (``national``:
    where such mentions start; 国家医疗保障局在全国…探索DRG付费) is the nation's work,
    not the report's region's; a clause that says what will be done next
    (下一步, 拟, 计划于…: ``future_word`` rows) implements nothing yet.
    """
    if home is None:
        return []
    resolved = [(rm, code) for rm, code in resolved if not _inside(names, rm.start, rm.end)]
    subjects = _Subjects(resolved, home, gaz, document_text)
    starts = sorted(national)
    cited = [(c.start, c.end) for c in citations if c.title]
    seen: set[tuple[str, str, str]] = set()
    out: list[Relation] = []

    def add(subject: str, predicate: str, m: ConceptMention) -> None:
        key = (subject, predicate, m.concept)
        if key not in seen:
            seen.add(key)
            out.append(Relation(f"region:{subject}", predicate, f"program:{m.concept}",
                                _evidence(m.sentence, m.start, m.end)))

    sentence_clauses: dict[tuple[int, int], list[tuple[int, int]]] = {}  # per sentence, once
    in_sentence: dict[tuple[int, int], list[ConceptMention]] = {}
    for m in programs:
        in_sentence.setdefault((m.sentence.start, m.sentence.end), []).append(m)
    for m in programs:
        if _inside(cited, m.start, m.end):
            continue
        key = (m.sentence.start, m.sentence.end)
        if key not in sentence_clauses:
            sentence_clauses[key] = list(clauses(m.sentence))
        c_start, c_end = clause_around(m.sentence, m.start, m.end)
        carried = subjects.carried(m.sentence.start, c_start)
        doers, _ = subjects.subject(c_start, m.start, carried)
        first = next((s for s in starts if c_start <= s < m.start), None)
        if first is not None and _CLAUSE_HEAD.fullmatch(document_text[c_start:first]):
            doers = ()  # 国家医疗保障局在全国…开展DRG付费试点: the nation's work, not ours
        if any(w in document_text[c_start:m.start] for w in future_words()):
            doers = ()  # 下一步，拟推进DIP付费: not carried out yet
        for code in doers:
            add(code, "implements", m)
        # a pilot clause speaks of its own programs, or of the sentence's when it names none
        pilot_clauses = [
            (a, b) for a, b in sentence_clauses[key]
            if "试点" in m.sentence.text[a - m.sentence.start : b - m.sentence.start]
            and ((a, b) == (c_start, c_end) or not any(
                a <= p.start and p.end <= b for p in in_sentence[key]))
        ]
        named = [subjects.subject(a, b) for a, b in pilot_clauses]
        pilots = sorted({code for codes, other in named if other for code in codes})
        for code in pilots:
            add(code, "pilotOf", m)
            add(code, "implements", m)
        if not pilots and (c_start, c_end) in pilot_clauses:
            for code in doers:
                add(code, "pilotOf", m)
    return out


def _linked_observations(
    extraction: Extraction,
    resolved: Sequence[tuple[RegionMention, str]],
    home: str | None,
) -> list[LinkedObservation]:
    """Observations with their region: the one their clause names, else home, else none
    (a number is never dropped for want of a place); each marked headline or not."""
    codes = {(m.start, m.end): code for m, code in resolved}
    regions = []
    for o in extraction.observations:
        region = home
        if o.place is not None:
            region = codes.get((o.place.start, o.place.end), home)
        regions.append(region)
    headlines = _headlines(extraction.observations, regions)
    return [LinkedObservation(o, region, _evidence(o.sentence, o.start, o.end), k in headlines)
            for k, (o, region) in enumerate(zip(extraction.observations, regions, strict=True))]


def _headlines(observations: Sequence[ObservationMention],
               regions: Sequence[str | None]) -> set[int]:
    """The indexes of the report's headline figures: per indicator, scheme, region, period
    (and its start) and status, the first level that is no part of a total of its own
    indicator and scheme (其中统筹基金收入… is in its total; 其中职工医保参保人数 under the
    all-schemes total is the employees' figure) and no figure of a part of the
    population (建档立卡贫困人员…参保率达100%). A figure about a program (统筹基金支出 of
    跨省异地就医) is part of the figure without one, which comes first; for a program's
    own indicators (DRG/DIP coverage, 集采 items) the program is part of the key."""
    by_span = {(o.start, o.end): o for o in observations}
    own = set(program_indicators().values())
    best: dict[tuple[str | None, ...], tuple[bool, int]] = {}
    for k, o in enumerate(observations):
        total = by_span.get(o.part_of) if o.part_of is not None else None
        inside = total is not None and (total.indicator, total.insurance) == (
            o.indicator, o.insurance)
        if inside or o.subgroup or o.value_type != "Level":
            continue
        key = (o.indicator, o.insurance, regions[k], o.period, o.period_start, o.status,
               o.program if o.indicator in own else None,
               o.measure if o.indicator == "Other" else None)
        rank = (o.program is not None and o.indicator not in own, k)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {k for _, k in best.values()}


def _linked_citations(
    citations: Sequence[CitationMention],
    creators: Callable[[CitationMention], tuple[str, ...]] = lambda c: (),
) -> list[LinkedCitation]:
    """Identity keys: the 文号 when known, else the title; aliases join their document.

    ``creators`` gives the full names of the bodies that issued a citation.
    """
    out: list[LinkedCitation] = []
    for c in citations:
        title, number = c.title, c.doc_number
        if c.alias:
            wanted = normalise_title(c.alias_of) if c.alias_of else None
            full = next((x for x in reversed(out) if x.title and title and (
                normalise_title(x.title) == wanted if wanted
                else x.title.endswith(title))), None)
            if full is None:
                continue
            title, number = full.title, full.doc_number
        key = f"number:{number}" if number else f"title:{normalise_title(title or '')}"
        out.append(LinkedCitation(key, title, number, _evidence(c.sentence, c.start, c.end),
                                  () if c.alias else creators(c)))
    return out


def _linked_organizations(extraction: Extraction, codes: dict[tuple[int, int], str],
                          home: str | None, gaz: Gazetteer) -> list[LinkedOrganization]:
    """Organisations with their name (市第一人民医院 → 常州市第一人民医院) and location."""
    out: dict[str, LinkedOrganization] = {}
    for o in extraction.organizations:
        where = (codes.get((o.region.start, o.region.end)) or resolve(o.region, home, gaz)) \
            if o.region is not None else None  # the region of its name, not a mention
        name = o.full or o.text
        if o.level is not None:
            where = deictic_target(o.level, home, gaz)
            if where is None:
                continue
            name = gaz.get(where).name + o.text[len(o.level):]
        if name not in out:
            out[name] = LinkedOrganization(name, o.org_type, where,
                                           _evidence(o.sentence, o.start, o.end))
    return list(out.values())


def _linked_persons(extraction: Extraction, agencies: Sequence[tuple[AgencyMention, str]]
                    ) -> list[LinkedPerson]:
    """People with their role, and the body named right before them (市医保局局长张三)."""
    ends = {m.end: name for m, name in agencies}
    out: dict[tuple[str, str], LinkedPerson] = {}
    for p in extraction.persons:
        k = p.start - p.sentence.start  # the role written right before the name?
        role_first = p.sentence.text[max(0, k - len(p.role)):k] == p.role
        before = p.start - len(p.role) if role_first else p.start
        member = ends.get(before)
        key = (p.name, p.role)
        if key not in out:
            out[key] = LinkedPerson(p.name, p.role, member,
                                    _evidence(p.sentence, p.start, p.end))
    return list(out.values())


def link(extraction: Extraction, gaz: Gazetteer | None = None) -> LinkedReport:
    """Resolve one report's records."""
    gaz = gaz or gazetteer()
    document = extraction.document
    frame = extraction.frame or read_frame(document, extraction.regions, gaz)
    home = frame.home
    resolved: list[tuple[RegionMention, str]] = []
    for m in extraction.regions:
        code = resolve(m, home, gaz)
        if code is not None:
            resolved.append((m, code))
    regions = [LinkedRegion(code, _evidence(m.sentence, m.start, m.end)) for m, code in resolved]
    programs = sorted(Counter(m.concept for m in extraction.programs))
    observations = _linked_observations(extraction, resolved, home)
    names = [(o.start, o.end) for o in extraction.organizations]
    national = [m.start for m in extraction.agencies if m.national] + [
        m.start for m in extraction.regions if m.deictic == NATIONAL]
    relations = _program_relations(document.text, extraction.programs, resolved,
                                   extraction.citations, home, gaz, names, national)
    region_codes = {(m.start, m.end): code for m, code in resolved}
    linker = AgencyLinker(document, home, gaz, region_codes)
    agency_items, agency_relations = linker.link(extraction.agencies, frame.kind, frame.publisher)
    bodies = [a for it in agency_items for a in it.agencies] + linker.implied
    if linker.publisher is not None:
        bodies.insert(0, linker.publisher)

    def creators(c: CitationMention) -> tuple[str, ...]:
        found = creators_of(c.start, c.end, c.sentence, c.doc_number, agency_items,
                            linker.publisher, home, gaz)
        for a in found:
            if a.parent:
                bodies.append(LinkedAgency(a.parent, a.agency_type, a.jurisdiction, a.evidence,
                                           mentioned=False))
            bodies.append(a)
        return tuple(dict.fromkeys(a.name for a in found))

    citations = _linked_citations(extraction.citations, creators)
    agencies = unique_agencies(bodies)
    return LinkedReport(
        document=document,
        home_region=home,
        kind=frame.kind,
        issued=frame.issued or (frame.covers[:4] if frame.covers else None),
        regions=tuple(regions + _regions_of_bodies(agencies, regions)),
        programs=tuple(programs),
        citations=tuple(citations),
        relations=tuple(relations + agency_relations + sub_organizations(bodies)),
        observations=tuple(observations),
        agencies=tuple(agencies),
        publisher=linker.publisher.name if linker.publisher else None,
        organizations=tuple(_linked_organizations(extraction, region_codes, home, gaz)),
        persons=tuple(_linked_persons(extraction, [(it.mention, it.agencies[-1].name)
                                                   for it in agency_items if it.agencies])),
        warnings=_placeless(observations) + _timeless(observations) + frame.notes,
        frame=frame,
    )


def _regions_of_bodies(agencies: Sequence[LinkedAgency],
                       regions: Sequence[LinkedRegion]) -> list[LinkedRegion]:
    """The regions a report refers to through the bodies it names and no region name:
    省医保局 in a city's report refers to its province, 国务院 to China."""
    seen = {r.code for r in regions}
    out = []
    for a in agencies:
        if a.mentioned and a.jurisdiction and a.jurisdiction not in seen:
            seen.add(a.jurisdiction)
            out.append(LinkedRegion(a.jurisdiction, a.evidence))
    return out


def _placeless(observations: Sequence[LinkedObservation]) -> tuple[str, ...]:
    """The report's warning when some of its numbers have no region (none named, none given)."""
    n = sum(1 for o in observations if o.region is None)
    if not n:
        return ()
    return (f"{n} observation(s) without a region: the text names no place "
            "(give one with --region or a manifest)",)


def _timeless(observations: Sequence[LinkedObservation]) -> tuple[str, ...]:
    """The report's warning when some of its numbers have no period: the text names no
    year and no date, and none was given (like a missing region, the numbers are kept)."""
    n = sum(1 for o in observations if not o.mention.period)
    if not n:
        return ()
    return (f"{n} observation(s) without a period: the text names no year or date "
            "(give its date with a manifest's issued column)",)
