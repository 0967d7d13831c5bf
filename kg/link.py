"""Linking: extraction records → linked records with identities.

Resolves every region mention to one GB/T 2260 code (by context, see
:mod:`kg.locate`), finds the report's home region, kind and date, gives each
cited document its identity key (文号 when known, else the title), and reads
the relations the foundation knows: ``yb:implements`` and ``yb:pilotOf`` of
programs by the region that carries them out.

No rdflib here: the result is a :class:`~kg.records.LinkedReport` of plain
records, mapped to RDF by :mod:`kg.rdfgraph`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from kg.dates import find_dates
from kg.locate import home_region, resolve
from kg.records import (
    CitationMention,
    ConceptMention,
    Document,
    Evidence,
    Extraction,
    LinkedCitation,
    LinkedRegion,
    LinkedReport,
    RegionMention,
    Relation,
    Sentence,
)
from kg.regions import Gazetteer, gazetteer
from kg.resources import lexicon_rows

#: Clause boundaries inside a sentence.
CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?]")
#: Lines that hold nothing but a date (signature blocks, dates under a title).
DATE_LINE = re.compile(r"^\s*[(（]?\s*[\d〇零一二三四五六七八九十年月日号\s.\-/:]{6,24}[)）]?\s*$")
#: How many lines at the top and the bottom of a report hold its dates.
HEAD_LINES = 12
TAIL_LINES = 10


@functools.cache
def _kind_words() -> tuple[tuple[str, str, int], ...]:
    rows = [(r[0], r[1], int(r[2])) for r in lexicon_rows("report_kinds.tsv")]
    return tuple(sorted(rows, key=lambda r: (r[2], -len(r[1]))))


def report_kind(document: Document) -> str:
    """The report's kind (local name of a ``yb:ReportKind``) from its title or opening.

    Words come from ``ontology/lexicon/report_kinds.tsv``; a titled report
    with no kind word is ``News``; one without title or kind word ``OtherReport``.

        >>> from kg.records import Document
        >>> d = Document("a.txt", "a.txt", "", "0", "utf-8", "text/plain",
        ...              title="某市医疗保障局2022年工作总结")
        >>> report_kind(d)
        'WorkSummary'
    """
    places = [document.title or ""]
    body = "\n".join(_body_lines(document)[:HEAD_LINES])
    places.append(body)
    for place in places:
        for kind, word, _prio in _kind_words():
            if word in place:
                return kind
    return "News" if document.title else "OtherReport"


def _body_lines(document: Document) -> list[str]:
    lines = []
    pos = 0
    for line in document.text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        if line.strip() and document.in_body(start, end):
            lines.append(line.strip())
    return lines


def issued(document: Document) -> str | None:
    """The report's date at the precision the text gives, or None.

    In order: a date alone on one of the last lines (the signature block), a
    date alone on a line near the top (under a plan's title), the header's
    publication date, a year in the title.
    """
    lines = _body_lines(document)
    for line in reversed(lines[-TAIL_LINES:]):
        if DATE_LINE.match(line) and find_dates(line):
            return find_dates(line)[0][2]
    for line in lines[:HEAD_LINES]:
        if DATE_LINE.match(line) and find_dates(line):
            return find_dates(line)[0][2]
    published = document.header_value("published")
    if published:
        dates = find_dates(published)
        if dates:
            return dates[0][2]
    if document.title:
        dates = find_dates(document.title)
        if dates:
            return dates[0][2][:4]
    return None


def _evidence(sentence: Sentence, start: int, end: int) -> Evidence:
    return Evidence(sentence.text, start, end)


def _clause(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas/semicolons) of ``sentence`` around a span."""
    text = sentence.text
    lo = start - sentence.start
    hi = end - sentence.start
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, max(lo, 0))), default=0)
    right_m = CLAUSE_BREAK.search(text, max(hi, 0))
    right = right_m.start() if right_m else len(text)
    return sentence.start + left, sentence.start + right


def _inside(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _program_relations(
    programs: Sequence[ConceptMention],
    resolved: Sequence[tuple[RegionMention, str]],
    citations: Sequence[CitationMention],
    home: str | None,
    gaz: Gazetteer,
) -> list[Relation]:
    """``implements`` / ``pilotOf`` of programs by the region that carries them out.

    A program mentioned in the report's own text (not inside a cited title)
    is carried out by the home region, unless its clause names another
    region (not the home region or one of its ancestors, and with no deictic
    reference to home) before it: then by that region. A clause that says
    试点 also makes the region a pilot of the program.
    """
    if home is None:
        return []
    own = {home} | {r.code for r in gaz.ancestors(home)}
    cited = [(c.start, c.end) for c in citations if c.title]
    seen: set[tuple[str, str, str]] = set()
    out: list[Relation] = []
    for m in programs:
        if _inside(cited, m.start, m.end):
            continue
        c_start, c_end = _clause(m.sentence, m.start, m.end)
        subject = home
        names_home = False
        for rm, code in resolved:
            if c_start <= rm.start and rm.end <= m.start:
                if code in own or rm.deictic:
                    names_home = names_home or code == home
                elif not names_home:
                    subject = code
        predicates = ["implements"]
        clause = m.sentence.text[c_start - m.sentence.start : c_end - m.sentence.start]
        if "试点" in clause:
            predicates.append("pilotOf")
        for p in predicates:
            key = (subject, p, m.concept)
            if key in seen:
                continue
            seen.add(key)
            out.append(Relation(f"region:{subject}", p, f"program:{m.concept}",
                                _evidence(m.sentence, m.start, m.end)))
    return out


def _linked_citations(citations: Sequence[CitationMention]) -> list[LinkedCitation]:
    """Identity keys: the 文号 when known, else the title; aliases join their document."""
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
        out.append(LinkedCitation(key, title, number, _evidence(c.sentence, c.start, c.end)))
    return out


def normalise_title(title: str) -> str:
    """A title's identity form: no whitespace, no 《》 or quotes, ASCII brackets.

        >>> normalise_title("《关于印发〈办法〉的通知》 ")
        '关于印发<办法>的通知'
    """
    table = str.maketrans({"（": "(", "）": ")", "〈": "<", "〉": ">", "“": '"', "”": '"'})
    return re.sub(r"[\s《》]", "", title.translate(table))


def link(extraction: Extraction, gaz: Gazetteer | None = None) -> LinkedReport:
    """Resolve one report's records."""
    gaz = gaz or gazetteer()
    document = extraction.document
    home = home_region(document, extraction.regions, gaz)
    resolved: list[tuple[RegionMention, str]] = []
    for m in extraction.regions:
        code = resolve(m, home, gaz)
        if code is not None:
            resolved.append((m, code))
    regions = [LinkedRegion(code, _evidence(m.sentence, m.start, m.end)) for m, code in resolved]
    programs = sorted(Counter(m.concept for m in extraction.programs))
    relations = _program_relations(extraction.programs, resolved, extraction.citations, home, gaz)
    return LinkedReport(
        document=document,
        home_region=home,
        kind=report_kind(document),
        issued=issued(document),
        regions=tuple(regions),
        programs=tuple(programs),
        citations=tuple(_linked_citations(extraction.citations)),
        relations=tuple(relations),
    )
