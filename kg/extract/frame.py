"""A report's frame: what the report as a whole says about itself, read once.

Right after the pipeline has found a report's region mentions, one call of
:func:`read_frame` decides everything that holds for the report as a whole —
its kind, its issue date, the year it was written, the period it looks back
on, the year it looks ahead to, whether it reviews, plans or does both, and
its home region — and hands it on as a :class:`~kg.base.records.Frame`.
Observations, linking and the graph read the frame; nothing recomputes it.

What the user supplied (``kg build --region``, a manifest) fills what the text
does not say, and is recorded as supplied; where the text says otherwise, the
text wins and the frame notes the disagreement.

    >>> from kg.base.records import Document
    >>> d = Document("a.txt", "a.txt", "2022年，全县参保。", "0", "utf-8", "text/plain",
    ...              title="某县医疗保障局2022年工作总结")
    >>> f = read_frame(d, ())
    >>> f.kind, f.issued, f.covers, f.mode
    ('WorkSummary', '2022', '2022', 'review')
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from kg.base.records import Document, Frame, HeaderField, RegionMention
from kg.base.regions import Gazetteer, gazetteer
from kg.base.resources import lexicon, lexicon_rows
from kg.extract.dates import find_dates
from kg.extract.home import find_home
from kg.extract.periods import TimeRef, find_time_refs

#: The lexicon of kind words (``ontology/lexicon/report_kinds.tsv``).
KIND_FILE = "report_kinds.tsv"
#: How many body lines at the top count as the report's opening.
OPENING_LINES = 12
#: How many of the first paragraphs may carry the marks of the press.
NEWS_PARAGRAPHS = 2
#: The kinds a report can have (``yb:ReportKind``).
KINDS = ("WorkSummary", "Plan", "ProposalReply", "News", "StatisticalRelease", "OtherReport")

#: A date alone on a line (a signature's date, a date under a plan's title).
DATE_LINE = re.compile(r"^\s*[(（]?\s*[\d〇零一二三四五六七八九十年月日号\s.\-/:]{6,24}[)）]?\s*$")
#: A month and day without a year (a dateline's 6月17日, a lede's 10月29日，).
MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
#: A news lede that opens with the day of the event: 10月29日，… / 3月5日上午，…
LEAD_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?:上午|下午|晚|晚间)?\s*[，,]")
#: A document number on a report's first lines (柳政办发〔2022〕18号): the year a plan was issued.
HEADER_NUMBER = re.compile(r"[〔\[(（]((?:19|20)\d\d)[〕\])）]\s*\d+\s*号")
#: Relative year words that tell when a report was written relative to the years it names.
THIS_YEAR = ("今年", "本年")
LAST_YEAR = ("去年", "上年", "上一年")


@functools.cache
def _kind_rows() -> tuple[tuple[str, str, int, str], ...]:
    rows = [(r[0], r[1], int(r[2]), r[3] if len(r) > 3 else "title")
            for r in lexicon_rows(KIND_FILE)]
    return tuple(sorted(rows, key=lambda r: (r[2], -len(r[1]))))


def _words(kind: str, where: str = "title") -> tuple[str, ...]:
    return tuple(w for k, w, _p, place in _kind_rows() if k == kind and place == where)


def _outside_quotes(text: str) -> str:
    """``text`` with what stands inside 《》 blanked: a cited title names another document."""
    return re.sub(r"《[^《》]*》", lambda m: " " * len(m.group(0)), text)


def _opening(document: Document) -> str:
    """The report's first body lines, joined, cited titles blanked."""
    lines = document.body_lines()[:OPENING_LINES]
    return _outside_quotes("\n".join(document.line_text(ln) for ln in lines))


def _first_paragraphs(document: Document, n: int) -> str:
    paragraphs = [document.line_text(ln) for ln in document.lines if ln.kind == "body"]
    return "\n".join(paragraphs[:n])


def _named_kind(text: str, title: bool = False) -> str | None:
    """The kind whose word ``text`` holds, the word of the lowest priority first; a
    ``title`` also takes the words that count only in titles."""
    places = ("title", "name") if title else ("title",)
    for kind, word, _prio, where in _kind_rows():
        if where in places and kind in KINDS and word in text:
            return kind
    return None


def _headline_object(title: str) -> str:
    """A title without what follows a verb of publishing (某市发布医疗保障“十四五”规划: the
    title reports a plan, it is no plan)."""
    for verb in _words("News", "headline"):
        at = title.find(verb)
        if at >= 0:
            title = title[:at]
    return title


def _is_agency(name: str) -> bool:
    return name.strip().endswith(_words("agency"))


def _is_medium(name: str) -> bool:
    name = name.strip()
    return bool(name) and not _is_agency(name) and "政府" not in name \
        and name.endswith(_words("media"))


def _header(document: Document, key: str) -> list[HeaderField]:
    return [h for h in document.header if h.key == key and h.value]


def is_news(document: Document) -> bool:
    """Whether the report carries the marks of the press: a dateline (本报讯), a reporter's
    byline, a medium as its source, or a press word in its first paragraphs (记者, 据悉…)."""
    if _header(document, "dateline"):
        return True
    if any("记者" in h.value or "通讯员" in h.value for h in _header(document, "author")):
        return True
    if any(_is_medium(h.value) for h in _header(document, "source")):
        return True
    lead = _first_paragraphs(document, NEWS_PARAGRAPHS)
    if any(w in lead for w in _words("News", "news")):
        return True
    body = _first_paragraphs(document, len(document.lines))
    return any(w in body for w in _words("News", "byline"))


def _agency_authored(document: Document) -> bool:
    """Whether a body signs the report as its own: its author, source or signature is a
    body, or its title starts with one (区医保局多措并举…)."""
    names = [h.value for h in _header(document, "author") + _header(document, "source")]
    # the signature block's first line, as ingest laid it out (the signing body)
    names += [document.line_text(ln) for ln in document.lines if ln.kind == "signature"][:1]
    if any(_is_agency(n) for n in names):
        return True
    return any(_starts_with_body(text) for text in (document.title or "", _lede(document)))


#: How far into a title or a lede its subject may reach (区医保局多措并举…, 2025年，区医保局…).
SUBJECT_REACH = 16
#: A time and a comma opening a lede (2025年，… / 今年以来，…).
_LEADING_TIME = re.compile(r"^[^，,。]{0,12}?[年月日来]\s*[，,]\s*")


def _starts_with_body(text: str) -> bool:
    """Whether ``text``'s subject is a body (区医保局多措并举…; 2025年，县医疗保障局围绕…)."""
    head = _LEADING_TIME.sub("", text, count=1)[:SUBJECT_REACH]
    head = head.split("，")[0].split(",")[0]
    return any(head[:k].endswith(_words("agency")) for k in range(2, len(head) + 1))


def _lede(document: Document) -> str:
    paragraphs = [ln for ln in document.lines if ln.kind == "body"]
    return document.line_text(paragraphs[0]) if paragraphs else ""


def report_kind(document: Document) -> str:
    """The report's kind (local name of a ``yb:ReportKind``).

    In order: a kind word in the title (outside 《》: a cited 《…规划》 does not make a
    plan); a reply's words in the opening lines (…提案收悉，现答复如下); the marks of
    the press (:func:`is_news`); a kind word in the opening lines; a heading of a
    yearbook entry (【概况】); a body signing the report as its own account of its
    work (WorkSummary); else ``News`` for a titled report and ``OtherReport``.
    Words come from ``ontology/lexicon/report_kinds.tsv``.

        >>> from kg.base.records import Document
        >>> d = Document("a.txt", "a.txt", "", "0", "utf-8", "text/plain",
        ...              title="某市医疗保障局2022年工作总结")
        >>> report_kind(d)
        'WorkSummary'
    """
    title = _named_kind(_headline_object(_outside_quotes(document.title or "")), title=True)
    if title is not None:
        return title
    opening = _opening(document)
    if _named_kind(opening) == "ProposalReply":
        return "ProposalReply"
    if is_news(document):
        return "News"
    named = _named_kind(opening)
    if named is not None:
        return named
    for h in document.headings:
        for kind, word, _p, where in _kind_rows():
            if where == "heading" and h.text == word:
                return kind
    if _agency_authored(document):
        return "WorkSummary"
    if document.title:
        return "News"
    if any(w in opening for w in _words("WorkSummary", "self")):
        return "WorkSummary"
    return "OtherReport"


def _iso_of(value: str) -> str | None:
    found = find_dates(value)
    return found[0][2] if found else None


def _named_years(document: Document) -> list[int]:
    """The years the report's body names (as dates or periods), in order."""
    out = []
    for start, end, iso in find_dates(document.text):
        if document.in_body(start, end) and iso[:4].isdigit():
            out.append(int(iso[:4]))
    return out


def _year_of_day(document: Document) -> int | None:
    """The year a month-and-day written without one belongs to: the year the text names
    most (ties: the latest), or the one after it when the text looks back at that year
    as 去年 and never says 今年 (a news item of April that reviews 去年 names last
    year's number)."""
    year = _most_named_year(document)
    if year is None:
        return None
    body = _outside_quotes(document.text)
    if any(w in body for w in LAST_YEAR) and not any(w in body for w in THIS_YEAR):
        return year + 1
    return year


def _day(document: Document, month: str, day: str) -> str | None:
    year = _year_of_day(document)
    m, d = int(month), int(day)
    if year is None or not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{year:04d}-{m:02d}-{d:02d}"


def issued(document: Document) -> tuple[str | None, str]:
    """The report's date at the precision the text gives, and where it was read.

    In order: a date alone on a line of the signature block (``signature``), a
    date alone on one of the first lines (``date line``, under a plan's title), a
    publication date in the header with its year (``header``: 发布时间, a press
    line, a newspaper's edition), a dateline's month and day (``dateline``) or a
    news lede's (``lede``: 10月29日，…) with the year the text names, a year in the
    title (``title``). ``(None, "none")`` when the text gives none.
    """
    lines = document.body_lines()
    block = [ln for ln in lines if ln.kind == "signature"]
    for line in reversed(block or lines[-8:]):
        text = document.line_text(line)
        if DATE_LINE.match(text) and (iso := _iso_of(text)):
            return iso, "signature"
    for line in lines[:OPENING_LINES]:
        text = document.line_text(line)
        if DATE_LINE.match(text) and (iso := _iso_of(text)):
            return iso, "date line"
    for h in _header(document, "published"):
        iso = _iso_of(h.value)
        if iso is not None:
            return iso, "header"
    for h in _header(document, "dateline"):
        m = MONTH_DAY.search(h.value)
        if m and (iso := _day(document, m.group(1), m.group(2))):
            return iso, "dateline"
    if is_news(document):
        datelines = _header(document, "dateline")
        ledes = [document.text[datelines[0].end:].lstrip()] if datelines else [
            document.line_text(ln) for ln in document.lines if ln.kind == "body"][:3]
        for lede in ledes:
            m = LEAD_DAY.match(lede)
            if m and (iso := _day(document, m.group(1), m.group(2))):
                return iso, "lede"
    if document.title:
        iso = _iso_of(document.title)
        if iso is not None:
            return iso[:4], "title"
    return None, "none"


def _title_time(document: Document, base: int | None) -> TimeRef | None:
    """The time the title names for the report's own numbers (2024年, 2025年第一季度, 上半年)."""
    if not document.title:
        return None
    refs = [t for t in find_time_refs(_outside_quotes(document.title), base, base)
            if t.cue in (None, "until") and t.period[:4].isdigit()]
    # 2021年工作总结暨2022年工作安排: the year reviewed comes first, the one planned after
    return refs[0] if refs else None


def _lede_until(document: Document, base: int | None) -> TimeRef | None:
    """A 截至/截止 time in the first paragraph (截止2020年8月，…): how far the report looks back."""
    paragraphs = [ln for ln in document.lines if ln.kind == "body"]
    if not paragraphs:
        return None
    first = paragraphs[0]
    for t in find_time_refs(document.text[first.start:first.end], base, base):
        if t.cue == "until":
            return t
    return None


def _most_named_year(document: Document) -> int | None:
    years = Counter(_named_years(document))
    if not years:
        return None
    best = max(years.values())
    return max(y for y, n in years.items() if n == best)


def _plan_horizon(document: Document, base: int | None) -> int | None:
    """The last year a plan is for: the plan period its title names (“十四五” → 2025), else
    its latest deadline (到2025年)."""
    if document.title:
        spans = [t for t in find_time_refs(document.title) if t.period_start]
        if spans:
            return int(spans[-1].period[:4])
    deadlines = [int(t.period[:4]) for t in find_time_refs(document.text, base)
                 if t.cue == "by" and t.period[:4].isdigit()]
    return max(deadlines) if deadlines else None


def _written_year(document: Document, date: str | None, how: str, kind: str) -> int | None:
    """The year the report was written: its date's, else (a plan) its document number's,
    else its title's year, else (news) the year its relative words (今年, 去年) point
    from, else None (the frame then takes the year it looks back on)."""
    if date is not None and how != "title":
        return int(date[:4])
    head = "\n".join(document.line_text(ln) for ln in document.lines[:6])
    m = HEADER_NUMBER.search(head)
    if kind == "Plan" and m:
        return int(m.group(1))
    if date is not None:
        return int(date[:4])
    body = _outside_quotes(document.text)
    if kind == "News" and any(w in body for w in THIS_YEAR + LAST_YEAR):
        # news speaks from the day it appears: 去年 about the year it names is a year ago
        return _year_of_day(document)
    return None


def _covers(document: Document, kind: str, date: str | None, how: str,
            written: int | None) -> tuple[str | None, str | None]:
    """The period the report looks back on: its numbers' period when they name none.

    A period the title names (2024年…, 2025年第一季度…), refined by a 截至 time in the
    first paragraph of the same year; for news, the day it was issued, unless its
    title or lede names an earlier year first (a work conference that reviews
    去年, an item in June on last year's statistical bulletin); else a 截至 time in
    the first paragraph; else the year the body names most (ties: the latest);
    else the year it was written.
    """
    base = written
    title = _title_time(document, base)
    lede = _lede_until(document, base)
    if title is not None and kind != "Plan":
        if lede is not None and lede.period[:4] == title.period[:4] \
                and len(lede.period) > len(title.period):
            return lede.period, lede.period_start
        return title.period, title.period_start
    if kind == "News" and date is not None and how != "title":
        looked_back = _first_year(document, base)
        if looked_back is not None and looked_back < int(date[:4]):
            return str(looked_back), None
        return date, None
    if lede is not None:
        return lede.period, lede.period_start
    if written is not None and any(w in _outside_quotes(document.text) for w in THIS_YEAR):
        return str(written), None  # 今年以来，… in a report of that year
    most = _most_named_year(document)
    if most is not None:
        return str(most), None
    return (str(written), None) if written else (None, None)


def _first_year(document: Document, base: int | None) -> int | None:
    """The first year the title or the first paragraph names (a review's year); a day
    written without its year (6月24日，笔者从…获悉) names none, and a span of years
    (2018年至2020年) dates its own numbers, not the report."""
    paragraphs = [ln for ln in document.lines if ln.kind == "body"]
    places = [document.title or ""]
    if paragraphs:
        places.append(document.text[paragraphs[0].start:paragraphs[0].end])
    for place in places:
        for t in find_time_refs(_outside_quotes(place), None, base):
            if t.cue in (None, "until") and t.period[:4].isdigit() and "月" not in t.text[:3] \
                    and "年" in t.text and not t.period_start:
                return int(t.period[:4])
    return None


#: Heading words of sections that plan (二、2024年工作思路, 下一步工作打算).
def _plan_words() -> tuple[str, ...]:
    return tuple(r[1] for r in lexicon("observation_words.tsv").rows("plan_heading"))


def _mode(document: Document, kind: str) -> str:
    """``plan`` for a plan, ``mix`` for a report with a section of plans, else ``review``."""
    if kind == "Plan":
        return "plan"
    words = _plan_words()
    if any(any(w in h.text for w in words) for h in document.headings):
        return "mix"
    return "review"


def read_frame(document: Document, regions: Sequence[RegionMention],
               gaz: Gazetteer | None = None) -> Frame:
    """The frame of ``document`` (see the module docstring), from its text, its region
    mentions and what the user supplied (``document.given``)."""
    gaz = gaz or gazetteer()
    supplied: list[str] = []
    notes: list[str] = []
    kind = report_kind(document)
    given_kind = document.given_value("kind")
    if given_kind is not None and given_kind in KINDS:
        if _named_kind(_outside_quotes(document.title or ""), title=True) is None \
                and kind in ("News", "OtherReport"):
            kind = given_kind
            supplied.append("kind")
        elif given_kind != kind:
            notes.append(f"kind: the text says {kind}, the manifest {given_kind}")
    date, how = issued(document)
    given_date = document.given_value("issued")
    if given_date is not None:
        iso = _iso_of(given_date)
        if date is None or how == "title":
            if iso is not None:
                date, how = iso, "given"
                supplied.append("issued")
        elif iso is not None and not (iso.startswith(date) or date.startswith(iso)):
            notes.append(f"issued: the text says {date}, the manifest {iso}")
    written = _written_year(document, date, how, kind)
    home, home_source = find_home(document, regions, gaz)
    given_region = document.given_value("region")
    if given_region is not None and given_region in gaz:
        if home is None or (home_source == "text" and home != given_region
                            and not gaz.is_within(home, given_region)):
            # the place the body names most often is a guess; the user knows the page's
            if home is not None and not gaz.is_within(given_region, home):
                notes.append(f"region: the text names {home} most, the user gave "
                             f"{given_region} (used)")
            home, home_source = given_region, "given"
            supplied.append("region")
        elif home != given_region and not gaz.is_within(home, given_region) \
                and not gaz.is_within(given_region, home):
            notes.append(f"region: the {home_source} says {home}, the user gave "
                         f"{given_region} (the {home_source} is used)")
    title = document.title
    given_title = document.given_value("title")
    if given_title is not None and title is None:
        title = given_title
        supplied.append("title")
    given_publisher = document.given_value("publisher")
    if given_publisher is not None:
        supplied.append("publisher")
    covers, covers_start = _covers(document, kind, date, how, written)
    mode = _mode(document, kind)
    ahead = _plan_horizon(document, written) if mode == "plan" else None
    if written is None and kind != "Plan" and covers is not None and covers[:4].isdigit():
        written = int(covers[:4])  # a plan without a date stays None: any deadline is a goal
    return Frame(kind=kind, issued=date, written_year=written, covers=covers,
                 covers_start=covers_start, ahead=ahead, mode=mode, home=home,
                 home_source=home_source, supplied=tuple(supplied), notes=tuple(notes),
                 title=title, url=document.given_value("url"), publisher=given_publisher)
