"""Linking agencies: mentions → bodies with full names, the publisher, and their relations.

* Each :class:`~kg.base.records.AgencyMention` becomes one or more
  :class:`~kg.base.records.LinkedAgency` (full name, type, jurisdiction, parent),
  its region read from the regions named before it, its level word, its
  list, or the report's home region; names follow :mod:`kg.link.agencynames`.
* The **publisher** is the body named by the header's 来源 line, at the head
  of the title (拉萨市医疗保障局2021年工作总结), or alone on a line of the
  signature block; failing those, a report saying 我局/本局 is published by
  its home region's 医疗保障局 (the genre's publisher).
* Relations: ``org:subOrganizationOf`` of units (办公室, 分中心) and of bodies
  the lexicon places under another (医疗保障管理服务中心); ``yb:cooperatesWith``
  between the bodies of a clause that says 联合/会同/协同/合作/签订…: who acts
  (the bodies before the cue, else the publisher) with each body after it.

No rdflib here; see :mod:`kg.graph.rdfgraph` for the triples.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from kg.base.records import (
    AgencyMention,
    Document,
    Evidence,
    LinkedAgency,
    RegionMention,
    Relation,
    Sentence,
)
from kg.base.regions import CHINA, COUNTY, PREFECTURE, PROVINCE, Gazetteer
from kg.base.resources import lexicon_words
from kg.extract.agencies import (
    agency_forms,
    find_agencies,
    national_forms,
    parts_of,
    unit_names_parent,
)
from kg.extract.clauses import clause_around
from kg.link.agencynames import issuers, national_parent, official_names, parent_of
from kg.link.locate import deictic_target, resolve

#: The form that names the genre's publisher when the report says 我局.
PUBLISHER_FORM = "医疗保障局"
#: Lines of the end of a report searched for a signature.
SIGNATURE_LINES = 8
#: How many body lines at the top may name a report's issuing bodies alone on a line.
ISSUER_LINES = 4


@dataclass
class _Linked:
    """The bodies one mention denotes (one per region; two for 纪委监委)."""

    mention: AgencyMention
    agencies: list[LinkedAgency] = field(default_factory=list)


def _evidence(m: AgencyMention) -> Evidence:
    return Evidence(m.sentence.text, m.start, m.end)


def _home_body(form: str, home: str | None, gaz: Gazetteer, ev: Evidence) -> LinkedAgency | None:
    if home is None or home not in gaz:
        return None
    row = agency_forms()[form]
    names = official_names(row, home, gaz)
    return LinkedAgency(names[0], row.type, home, ev) if names else None


_TIERS = {"tier_province": PROVINCE, "tier_prefecture": PREFECTURE, "tier_county": COUNTY}


def _tier_target(level: str, home: str | None, gaz: Gazetteer) -> str | None:
    """The region a level word of a list (省、市政府) denotes: the home region's own or
    ancestor region of that tier (市 → the prefecture, also in a 县级市's report).

        >>> from kg.base.regions import gazetteer
        >>> _tier_target("市", "441882", gazetteer()), _tier_target("省", "441882", gazetteer())
        ('441800', '440000')
    """
    if home is None or home not in gaz:
        return None
    words = lexicon_words("agency_words.tsv")
    tier = next((t for kind, t in _TIERS.items() if level in words.get(kind, ())), None)
    region = gaz.ancestor_at(home, tier) if tier else None
    return region.code if region is not None else None


@functools.cache
def _agency_cues() -> tuple[str, ...]:
    """Words of working together that may stand before a level word (会同, 联合)."""
    words = lexicon_words("agency_words.tsv")
    return tuple(sorted({*words.get("partner_cue", ()), *words.get("joining_word", ())},
                        key=len, reverse=True))


class AgencyLinker:
    """Resolves one report's agency mentions (see the module's docstring)."""

    def __init__(self, document: Document, home: str | None, gaz: Gazetteer,
                 region_codes: Mapping[tuple[int, int], str]) -> None:
        self.document = document
        self.home = home
        self.gaz = gaz
        self.codes = dict(region_codes)
        self.publisher: LinkedAgency | None = None
        #: bodies the relations name that no mention did (the narrator of 与…联合)
        self.implied: list[LinkedAgency] = []

    # --- one mention -----------------------------------------------------
    def _jurisdictions(self, m: AgencyMention, previous: Sequence[LinkedAgency]) -> list[str]:
        if len(m.regions) == 1 and (level := self._cue_and_level(m.regions[0])) is not None:
            code = deictic_target(level, self.home, self.gaz)  # 会同县纪委: 会同 + 县纪委
            return [code] if code else []
        if m.regions:  # 国家 of a national body's name is no region mention: resolve it here
            return [c for r in m.regions
                    if (c := self.codes.get((r.start, r.end)) or
                        (deictic_target(r.deictic, self.home, self.gaz) if r.deictic else None))]
        if m.level is not None:
            code = _tier_target(m.level, self.home, self.gaz) if m.coordinated \
                else deictic_target(m.level, self.home, self.gaz)
            return [code] if code else []
        if m.listed and previous and previous[-1].jurisdiction:
            return [previous[-1].jurisdiction]
        return [self.home] if self.home and self.home in self.gaz else []

    def _cue_and_level(self, region: RegionMention) -> str | None:
        """The level word of a region name that is a word of working together and a
        level word (会同 + 县: 会同县纪委 in a report about another province), or None.

        Such a name is the county only in reports from its own province.
        """
        text = region.text
        cue = next((w for w in _agency_cues() if text.startswith(w)), None)
        if cue is None or text[len(cue):] not in lexicon_words("agency_words.tsv")["level_word"]:
            return None
        code = self.codes.get((region.start, region.end))
        if code is None or self.home is None or self.home not in self.gaz:
            return None
        province = self.gaz.ancestor_at(self.home, PROVINCE)
        if province is not None and self.gaz.is_within(code, province.code):
            return None
        return text[len(cue):]

    def bodies(self, m: AgencyMention, previous: Sequence[LinkedAgency]) -> list[LinkedAgency]:
        """The bodies ``m`` denotes, parents first, then the body (or its unit)."""
        ev = _evidence(m)
        if m.publisher:
            pub = self.publisher or _home_body(PUBLISHER_FORM, self.home, self.gaz, ev)
            return [LinkedAgency(pub.name, pub.agency_type, pub.jurisdiction, ev,
                                 pub.parent)] if pub else []
        # a body known only as the parent of the one named (国务院 of 国务院办公厅, 国家
        # 医疗保障局 of 国家医疗保障局办公室) is a node, but the report does not name it
        out: list[LinkedAgency] = []
        if m.national is not None:
            nat = national_forms()[m.form]
            parent = nat.parent or national_parent(nat.name)
            if parent:
                out.append(LinkedAgency(parent, nat.type, CHINA, ev, mentioned=False))
            bases = [LinkedAgency(nat.name, nat.type, CHINA, ev, parent)]
        else:
            bases = []
            for code in self._jurisdictions(m, previous):
                for row in parts_of(agency_forms()[m.form]):
                    up = parent_of(row, code, self.gaz)
                    if up is not None:
                        out.append(LinkedAgency(up[0], up[1], code, ev, mentioned=False))
                    for name in official_names(row, code, self.gaz):
                        bases.append(LinkedAgency(name, row.type, code, ev,
                                                  up[0] if up else None))
        if m.unit is None:
            return out + bases
        unit_code = self.codes.get((m.unit_region.start, m.unit_region.end)) \
            if m.unit_region is not None else None
        # a unit of a joint form (纪委监委派驻纪检组) belongs to the first body named
        named = unit_names_parent(m.unit)
        for k, base in enumerate(bases):
            out.append(base if named else replace(base, mentioned=False))
            if k == 0 or base.jurisdiction != bases[k - 1].jurisdiction:
                out.append(LinkedAgency(base.name + m.unit, m.unit_type or base.agency_type,
                                        unit_code or base.jurisdiction, ev, base.name))
        return out

    # --- the publisher ---------------------------------------------------
    def find_publisher(self, mentions: Sequence[AgencyMention],
                       kind: str | None = None, given: str | None = None) -> LinkedAgency | None:
        """The report's publisher (see the module's docstring), or None.

        In order: a body as the header's author (作者：某县扶贫开发局) or source (来源：
        某市医疗保障局; a site, 某县人民政府网站, is its owner's only when no author is
        a body), the body at the head of the title, a body alone on a line of the
        signature block, the home region's 医疗保障局 for a report that says 我局 or
        for a reply to a proposal that names no body (the genre's replier), else the
        publisher the user supplied (``given``, a manifest's full name).
        """
        doc = self.document
        sites: list[LinkedAgency] = []
        for key in ("author", "source"):
            for h in doc.header:
                if h.key == key and h.value:
                    found = self._first_in(h.value, h.start)
                    if found is None:
                        continue
                    if h.value.rstrip().endswith(("网站", "网", "门户")):
                        sites.append(found)  # 来源：某县人民政府网站
                        continue
                    return found
        if sites:
            return sites[0]
        title = doc.title_span
        if title is not None:
            for m in mentions:
                if m.start == title[0] and not m.publisher:
                    bodies = self.bodies(m, [])
                    if bodies:
                        return bodies[-1]
        for line in doc.body_lines()[:ISSUER_LINES]:
            # 西乡县医疗保障局  西乡县发展和改革局 under a plan's title: its issuing bodies
            inside = [m for m in mentions if line.start <= m.start and m.end <= line.end]
            words = re.sub(r"[\s、，,]", "", doc.line_text(line))
            if inside and "".join(m.text for m in inside) == words:
                bodies = self.bodies(inside[0], [])
                if bodies:
                    return bodies[-1]
        lines = [ln for ln in doc.body_lines()
                 if doc.signature is None or doc.signature[0] <= ln.start][-SIGNATURE_LINES:]
        for line in reversed(lines):
            text = doc.line_text(line)
            for m in mentions:
                if line.start <= m.start and m.end <= line.end and m.text == text.strip():
                    bodies = self.bodies(m, [])
                    if bodies:
                        return bodies[-1]
        refs = [m for m in mentions if m.publisher]
        if refs:
            return _home_body(PUBLISHER_FORM, self.home, self.gaz, _evidence(refs[0]))
        if kind == "ProposalReply":
            # a reply to a deputy's or member's proposal on 医疗保障 that signs no body
            ev = Evidence(doc.title or "", 0, 0)
            return _home_body(PUBLISHER_FORM, self.home, self.gaz, ev)
        if given:
            return self._first_in(given, 0, mentioned=False)
        return None

    def _first_in(self, value: str, offset: int, mentioned: bool = True) -> LinkedAgency | None:
        """The first body a header value (or a supplied name) names, with its region."""
        sentence = Sentence(offset, offset + len(value), value)
        regions = _regions_in(value, sentence, self.gaz)
        for r in regions:
            code = resolve(r, self.home, self.gaz)
            if code is not None:
                self.codes[(r.start + offset, r.end + offset)] = code
        for m in find_agencies(value, [Sentence(0, len(value), value)], regions):
            if m.publisher:
                continue
            shifted = _shifted(m, offset, sentence)
            bodies = self.bodies(shifted, [])
            if bodies:
                return bodies[-1] if mentioned else replace(bodies[-1], mentioned=False)
        return None

    # --- header lines ----------------------------------------------------
    def header_mentions(self) -> list[AgencyMention]:
        """The bodies a header line names (来源：柳州市医疗保障局, 作者：县扶贫开发局).

        Header lines are not the report's body, so extraction leaves them out; the
        bodies they name are still bodies the page names. Region names in the line
        are read from the gazetteer and resolved against the home region.
        """
        out: list[AgencyMention] = []
        for h in self.document.header:
            if h.key not in HEADER_BODY_KEYS or not h.value:
                continue
            sentence = Sentence(h.start, h.start + len(h.value), h.value)
            regions = _regions_in(h.value, sentence, self.gaz)
            for r in regions:
                code = resolve(r, self.home, self.gaz)
                if code is not None:
                    self.codes[(r.start + h.start, r.end + h.start)] = code
            local = Sentence(0, len(h.value), h.value)
            for m in find_agencies(h.value, [local], regions):
                if not m.publisher:
                    out.append(_shifted(m, h.start, sentence))
        return out

    # --- all mentions ----------------------------------------------------
    def link(self, mentions: Sequence[AgencyMention], kind: str | None = None,
             given: str | None = None) -> tuple[list[_Linked], list[Relation]]:
        """Every mention's bodies (header lines' first), and the relations between them;
        ``kind`` and ``given`` as in :meth:`find_publisher`."""
        self.publisher = self.find_publisher(mentions, kind, given)
        linked: list[_Linked] = []
        previous: list[LinkedAgency] = []
        for m in [*self.header_mentions(), *mentions]:
            prev = previous if m.listed else []
            item = _Linked(m, self.bodies(m, prev))
            linked.append(item)
            previous = item.agencies
        return linked, self._cooperation(linked)

    def _cooperation(self, linked: Sequence[_Linked]) -> list[Relation]:
        out: list[Relation] = []
        by_clause: dict[tuple[int, int], list[_Linked]] = {}
        for item in linked:
            m = item.mention
            if not m.sentence.text or not item.agencies:
                continue
            by_clause.setdefault(clause_around(m.sentence, m.start, m.end), []).append(item)
        for (c_start, c_end), items in sorted(by_clause.items()):
            sentence = items[0].mention.sentence
            clause = sentence.text[c_start - sentence.start:c_end - sentence.start]
            cue = _cue("cooperation_cue").search(clause)
            if cue is None:
                continue
            partner = re.search(r"与|同", clause[: cue.start()])
            pivot = c_start + (partner.start() if partner else cue.start())
            actors = [a for it in items if it.mention.end <= pivot for a in _parties(it)]
            others = [a for it in items if it.mention.start >= pivot for a in _parties(it)]
            if not actors:
                narrator = self.publisher or _home_body(PUBLISHER_FORM, self.home, self.gaz,
                                                        _evidence(items[0].mention))
                actors = [narrator] if narrator else []
                self.implied.extend(actors)
            for actor in actors:
                for other in others:
                    if other.name != actor.name:
                        out.append(Relation(f"agency:{actor.name}", "cooperatesWith",
                                            f"agency:{other.name}",
                                            Evidence(sentence.text, other.evidence.start,
                                                     other.evidence.end)))
        return out


def _parties(item: _Linked) -> list[LinkedAgency]:
    """The bodies a mention makes a party: each of coordinated regions' (张掖、酒泉两地医保
    部门), else the one it denotes (the unit of 某局办公室, not the bureau above it)."""
    if len(item.mention.regions) > 1:
        return list(item.agencies)
    return item.agencies[-1:]


#: Header fields whose value may name a body: 来源, 作者, 发布机构.
HEADER_BODY_KEYS = ("source", "author", "issuer")
#: Longest region name looked up in a header line.
_LONGEST_NAME = 12


def _regions_in(value: str, sentence: Sentence, gaz: Gazetteer) -> list[RegionMention]:
    """Region names in a header value, longest first from left to right (offsets
    relative to ``value``; ``sentence`` is the line in the document).

        >>> from kg.base.regions import gazetteer
        >>> [r.text for r in _regions_in("柳州市医疗保障局", Sentence(0, 8, "柳州市医疗保障局"),
        ...                               gazetteer())]
        ['柳州市']
    """
    out: list[RegionMention] = []
    i = 0
    while i < len(value):
        for k in range(min(len(value), i + _LONGEST_NAME), i + 1, -1):
            codes = gaz.candidates(value[i:k])
            if codes:
                out.append(RegionMention(value[i:k], i, k, sentence, candidates=codes))
                i = k
                break
        else:
            i += 1
    return out


def _shifted(m: AgencyMention, offset: int, sentence: Sentence) -> AgencyMention:
    """``m`` found in a header value, with document offsets."""
    def region(r: RegionMention) -> RegionMention:
        return replace(r, start=r.start + offset, end=r.end + offset, sentence=sentence)
    return replace(m, start=m.start + offset, end=m.end + offset, sentence=sentence,
                   regions=tuple(region(r) for r in m.regions),
                   unit_region=region(m.unit_region) if m.unit_region is not None else None)


def sub_organizations(agencies: Iterable[LinkedAgency]) -> list[Relation]:
    """``subOrganizationOf`` of every body with a parent, once per pair (first evidence)."""
    out: dict[tuple[str, str], Relation] = {}
    for a in agencies:
        if a.parent and (a.name, a.parent) not in out:
            out[(a.name, a.parent)] = Relation(f"agency:{a.name}", "subOrganizationOf",
                                               f"agency:{a.parent}", a.evidence)
    return list(out.values())


def unique_agencies(agencies: Iterable[LinkedAgency]) -> list[LinkedAgency]:
    """One record per full name (the first mention's), in order of first mention.

    A body named anywhere is mentioned, even when it is also some unit's parent.
    """
    seen: dict[str, LinkedAgency] = {}
    for a in agencies:
        first = seen.get(a.name)
        if first is None:
            seen[a.name] = a
            continue
        if first.parent is None and a.parent is not None:
            first = replace(first, parent=a.parent)
        if a.mentioned and not first.mentioned:
            first = replace(first, mentioned=True)
        seen[a.name] = first
    return list(seen.values())


@functools.cache
def _cue(kind: str, suffix: str = "") -> re.Pattern[str]:
    """A pattern of the ``agency_words.tsv`` words of ``kind``: cooperation cues (联合,
    签订…), issuing verbs right before a title (印发《, ``suffix`` 了?$), joining words."""
    words = lexicon_words("agency_words.tsv").get(kind, ())
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")" + suffix)
#: What may stand between coordinated bodies (、 and spaces).
_BODY_SEP = re.compile(r"[、\s和及与]*")


def creators_of(start: int, end: int, sentence: Sentence, doc_number: str | None,
                linked: Sequence[_Linked], publisher: LinkedAgency | None,
                home: str | None, gaz: Gazetteer) -> list[LinkedAgency]:
    """The bodies that issued a document cited at ``[start, end)``.

    A body that belongs to another (an office) carries its ``parent``'s name;
    the parent is not a creator.

    From its 代字 (医保办发 → 国家医疗保障局办公室; 遂人社发 → 遂宁市人力资源和
    社会保障局, see :func:`kg.link.agencynames.issuers`); from the bodies at the head
    of its title (人力资源社会保障部财政部卫生部关于…); from the bodies written
    right before it (国家医疗保障局办公室、财政部办公厅《…》), or before an
    issuing verb in its clause (四部门联合印发《…》; the publisher when the verb
    has no subject: 我局印发《…》, 制定《…》).
    """
    ev = Evidence(sentence.text, start, end)
    out: list[LinkedAgency] = []
    if doc_number:
        for iss in issuers(doc_number.split("〔", 1)[0], home, gaz):
            out.append(LinkedAgency(iss.name, iss.agency_type, iss.jurisdiction, ev, iss.parent))
    inside = sorted((it for it in linked if start < it.mention.start and it.mention.end <= end
                     and it.agencies), key=lambda it: it.mention.start)
    pos = start + 1
    for it in inside:  # the head of the title
        if it.mention.start != pos:
            break
        out.extend(it.agencies[-1:])
        gap = _BODY_SEP.match(sentence.text, it.mention.end - sentence.start)
        pos = it.mention.end + (len(gap.group(0)) if gap else 0)
    named, implicit = _named_before(start, sentence, linked, publisher)
    out.extend(named)
    if not out and implicit is not None:
        out.append(implicit)
    return out


def _named_before(start: int, sentence: Sentence, linked: Sequence[_Linked],
                  publisher: LinkedAgency | None
                  ) -> tuple[list[LinkedAgency], LinkedAgency | None]:
    """Bodies the sentence names as issuers, and the implicit one (the publisher)."""
    before = sorted((it for it in linked if it.agencies and it.mention.end <= start
                     and sentence.start <= it.mention.start),
                    key=lambda it: it.mention.start)
    text = sentence.text[: start - sentence.start]
    adjacent: list[LinkedAgency] = []
    pos = start
    for it in reversed(before):  # bodies written right before the title, in a list
        if not _BODY_SEP.fullmatch(sentence.text[it.mention.end - sentence.start:
                                                 pos - sentence.start]):
            break
        adjacent = it.agencies[-1:] + adjacent
        pos = it.mention.start
    if adjacent:
        return adjacent, None
    verb = _cue("issuing_verb", "了?$").search(text)
    if verb is None:
        return [], None
    c_start, _ = clause_around(sentence, sentence.start + verb.start(),
                               sentence.start + verb.end())
    clause = [it for it in before if it.mention.start >= c_start]
    subjects = [a for it in clause for a in it.agencies[-1:]]
    lead = sentence.text[c_start - sentence.start:
                         (clause[0].mention.start if clause else start) - sentence.start]
    joined = bool(_cue("joining_word").search(lead))
    if subjects and not joined:
        return subjects, None
    if joined:  # 会同 X 印发: X joins the sentence's subject (named before, else the publisher)
        earlier = [a for it in before if it.mention.start < c_start for a in it.agencies[-1:]]
        head = earlier[-1:] or ([publisher] if publisher is not None else [])
        return head + [a for a in subjects if a not in head], None
    return [], publisher
