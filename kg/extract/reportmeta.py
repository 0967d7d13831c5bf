"""Report metadata read from a document alone: kind, date, and the year it covers.

    >>> from kg.base.records import Document
    >>> d = Document("a.txt", "a.txt", "2022年，全县参保。", "0", "utf-8", "text/plain",
    ...              title="某县医疗保障局2022年工作总结")
    >>> report_kind(d), issued(d), report_year(d)
    ('WorkSummary', '2022', 2022)
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from kg.base.records import Document
from kg.base.resources import lexicon_rows
from kg.extract.dates import find_dates

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

        >>> from kg.base.records import Document
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


def report_year(document: Document) -> int | None:
    """The year the report speaks of, for observations without a time of their own.

    A year in the title (2022年工作总结) first; else, for news, the year of
    its date; else the year its body names most (ties: the latest); else the
    year of its date. A summary published in January speaks of the year
    before its date, so for other kinds the date comes last.
    """
    if document.title:
        found = find_dates(document.title)
        if found:
            return int(found[0][2][:4])
    date = issued(document)
    if date and report_kind(document) == "News":
        # news speaks of the days it is published in (今年以来, 一季度…)
        return int(date[:4])
    years: Counter[str] = Counter()
    for start, end, iso in find_dates(document.text):
        if document.in_body(start, end):
            years[iso[:4]] += 1
    if years:
        best = max(years.values())
        return max(int(y) for y, n in years.items() if n == best)
    return int(date[:4]) if date else None
