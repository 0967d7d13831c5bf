"""Observations: every reported number with what it measures, where, when and how sure.

Built on the quantity layer (:mod:`kg.extract.quantities`) and on the grammar of the
genre, not on any one report's wording. For each quantity in a body
sentence:

* **measure** — the words of its clause before it, from the clause start (or
  the previous number) up to the number, with link verbs (达, 为, 累计…) cut
  from the end and discourse words (其中, 一是…) and deixis (全区) from the
  start; a generic measure (人数, 金额) or an empty one takes the measure
  named last before it in the sentence;
* **分别 lists** — the numbers after 分别 align with the list before it:
  insurance schemes (职工医保和居民医保…分别达87.46%和76.32%) or measures
  (收入、支出分别为X、Y);
* **indicator**, **insurance**, **program** — the longest SKOS label of the
  scheme found in the measure, else in its clause before the number, else in
  the sentence before it (indicators: unit-compatible only; ``Other`` when
  none fits);
* **value type** — a change word before the number (同比增长, 下降, 提高…个
  百分点, 新增) makes a ``Change`` with its sign; an indicator that itself
  names a reduction (降幅 → ProcurementPriceReduction) stays a level;
* **status** — ``Target`` for goals (力争, 目标, 到2025年, 预期性/约束性,
  numbers dated after the report's year), ``Estimate`` for 预计, else
  ``Actual``;
* **period** — the time expression written last before the number in its
  sentence (截至2023年12月, 1-5月, 十三五期间…, see :mod:`kg.extract.periods`), else
  the report's year;
* **place** — a region named in the clause before the number (门源县…); the
  linker resolves it, or falls back to the report's home region.

Word lists are in ``ontology/lexicon/observation_words.tsv``; labels in the
SKOS schemes of ``ontology/``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from kg.base.records import (
    AgencyMention,
    Document,
    Frame,
    ObservationMention,
    RegionMention,
    Sentence,
)
from kg.extract.docnumber import find as find_doc_numbers
from kg.extract.fields import (
    Context,
    Number,
    Places,
    clause_start,
    observation_of,
    resolve,
    words_after,
)
from kg.extract.labels import (
    TRIM,
    find_label,
    is_generic,
    last_scheme,
    measure_scheme,
    not_with,
    observation_words,
    program_indicator,
    scheme_labels,
    strip_measure,
    unit_from_measure,
    unnoted,
)
from kg.extract.periods import TimeRef, find_time_refs
from kg.extract.quantities import Quantity, find_quantities
from kg.extract.scopes import read_scopes
from kg.extract.tables import TableCell, find_table_cells, table_spans, table_value_words


class _Sentences:
    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = list(sentences)
        self.starts = [s.start for s in self.sentences]

    def at(self, start: int, end: int) -> Sentence | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.sentences[i].end >= end:
            return self.sentences[i]
        return None


def find_observations(
    document: Document,
    frame: Frame,
    sentences: Sequence[Sentence],
    regions: Sequence[RegionMention],
    agencies: Sequence[AgencyMention] = (),
) -> tuple[ObservationMention, ...]:
    """Every observation of the document's body, in text order.

    The report's frame dates numbers written without a time (``frame.covers``); a
    deadline (到2025年) after the year the report was written (``frame.written_year``;
    None: unknown, any deadline is a goal) makes a goal; in a plan any number dated
    after it is one.
    """
    report_year, written_year, plan = frame.year, frame.written_year, frame.kind == "Plan"
    text = document.text
    title = document.title_span
    numbers = [(s, e) for s, e, _ in find_doc_numbers(text)]
    index = _Sentences(sentences)
    # news speaks from the day it appears (去年 is the year before it); other reports
    # from the year they look back on (a summary of 2019 published in 2020 says 上年 for 2018)
    now = frame.written_year if frame.kind == "News" else report_year
    times = find_time_refs(text, report_year, now)
    time_starts = [t.start for t in times]
    deixis = tuple(sorted({m.text for m in regions if m.deictic}, key=len, reverse=True))
    out, tables = _table_observations(document, frame, index)
    by_sentence: dict[Sentence, list[Quantity]] = {}
    for q in find_quantities(text):
        if any(s <= q.start < e for s, e in tables):
            continue
        in_title = title is not None and title[0] <= q.start < title[1]
        if not in_title and not document.in_body(q.start, q.end):
            continue
        if any(s <= q.start < e for s, e in numbers):
            continue
        sent = index.at(q.start, q.end)
        if sent is None:
            continue
        by_sentence.setdefault(sent, []).append(q)
    scopes = read_scopes(document, frame, regions)
    horizon = frame.ahead if plan else None
    default = (TimeRef(-1, -1, "", frame.covers, frame.covers_start, None)
               if frame.covers and len(frame.covers) > 4 else None)
    places = Places(regions, [r for a in agencies for r in a.regions])
    last: tuple[ObservationMention, ...] = ()
    for sent, quantities in by_sentence.items():
        plan_year = scopes.goal_year(sent.start)
        tasks_of = None
        if plan_year is None and horizon is not None and not scopes.under_review(sent.start):
            # a plan's tasks: a number with no time of its own is a goal for its horizon
            tasks_of = horizon
        # the last number of the sentence right before this one (same line), for a
        # sentence opening with 其中
        previous = last if last and "\n" not in text[last[-1].end:sent.start] \
            and last[-1].sentence.end <= sent.start else ()
        made = _sentence_observations(Context(
            document, sent, quantities, deixis, times, time_starts, places, report_year,
            written_year, plan, default, plan_year, tasks_of, scopes, previous=previous))
        out.extend(made)
        if made:
            last = tuple(made)
    return tuple(sorted(out, key=lambda o: (o.start, o.end)))


#: Comparison signs written before a table value (≥95, >70).
_SIGNS = {"≥": "AtLeast", ">": "AtLeast", "＞": "AtLeast", "≤": "AtMost", "<": "AtMost",
          "＜": "AtMost"}


def _cell_quantity(cell: TableCell) -> Quantity | None:
    """The number of a table cell, with the unit the table writes for it (in the cell,
    its unit column, the row label's or the column header's brackets), offsets within
    the cell."""
    found = find_quantities(cell.text)
    if found and found[0].unit:
        return found[0]
    m = re.match(r"^(\D*?)(\d[\d.,]*)(.*)$", cell.text)
    if not m or not cell.unit_text:
        return found[0] if found else None
    # a bare cell (1848.99, 70左右, ≥95) takes the unit the table writes for it (万人, （%）)
    with_unit = m.group(1) + m.group(2) + cell.unit_text + m.group(3)
    end_of_number = len(m.group(1)) + len(m.group(2))
    scaled = [replace(q, end=min(q.end, len(cell.text)))
              for q in find_quantities(with_unit) if q.start < end_of_number]
    return scaled[0] if scaled else (found[0] if found else None)


#: Brackets of a column header: 起付线(元) → 起付线.
_HEADER_UNIT = re.compile(r"[（(][^（）()]{0,8}[)）]\s*$")


def _table_period(cell: TableCell, frame: Frame) -> TimeRef | None:
    """The period of a table's cells: the column's year, else the time its title names,
    else the period the report covers; a base column (上年同期) a year before."""
    t: TimeRef | None = None
    if cell.year is not None:
        t = TimeRef(cell.start, cell.start, "", str(cell.year))
    elif cell.title:
        refs = [r for r in find_time_refs(cell.title, frame.year, frame.year)
                if r.cue in (None, "until") and r.period[:4].isdigit()]
        if refs:
            t = refs[0]
    if t is None and frame.covers:
        t = TimeRef(cell.start, cell.start, "", frame.covers, frame.covers_start)
    if t is not None and cell.role == "base" and t.period[:4].isdigit():
        year = str(int(t.period[:4]) - 1)
        t = TimeRef(t.start, t.end, t.text, year + t.period[4:],
                    year + t.period_start[4:] if t.period_start else None)
    return t


def _table_observations(document: Document, frame: Frame, index: _Sentences
                        ) -> tuple[list[ObservationMention], list[tuple[int, int]]]:
    """The observations of the report's tables, and the tables' spans (their numbers are
    read here, not as sentences). A cell's row label is its measure (with the column's
    header when the header names the measured thing: 起付线(元)); its indicator the label's,
    else the one the table's section row names (一、参保人数); its scheme the label's,
    else the section's; its period the column's year, else the table title's time,
    else the report's; a change column (同比增长) a change; a 其中 row or a row indented
    under its total a part of the total's cell in the same column."""
    text = document.text
    cells = [c for c in find_table_cells(text) if document.in_body(c.start, c.end)]
    spans = [s for s in table_spans(text) if document.in_body(*s)] if cells else []
    out: list[ObservationMention] = []
    made: dict[tuple[int, str], ObservationMention] = {}
    value_words = set(table_value_words())
    for cell in cells:
        q = _cell_quantity(cell)
        if q is None:
            continue
        start = cell.start + q.start
        end = min(cell.start + q.end, cell.end)
        approx = q.approximation
        sign = cell.text.lstrip()[:1]
        if approx is None and sign in _SIGNS:
            approx = _SIGNS[sign]
        header = _HEADER_UNIT.sub("", cell.column).strip()
        named = header and cell.year is None and header not in value_words \
            and not any(w in header for w in value_words)
        measure = cell.label + header if named else cell.label
        unit = q.unit or unit_from_measure(measure)
        fit = None if cell.role == "change" and unit == "Percent" else unit
        hit = (find_label("ind", measure, fit)
               or (find_label("ind", cell.section, fit) if cell.section else None)
               or program_indicator(measure, unit))
        if hit is not None and any(w in measure + (cell.title or "") + (cell.section or "")
                                   for w in not_with().get(hit[0], ())):
            hit = None  # 报销比例 in a table of outpatient benefits (门诊…) is no inpatient rate
        indicator = hit[0] if hit else "Other"
        ins = (measure_scheme(cell.label)
               or (last_scheme(unnoted(cell.section)) if cell.section else None)
               or (last_scheme(unnoted(cell.title)) if cell.title else None))
        insurance = ins[0] if ins else None
        if insurance is None and indicator in observation_words().get(
                "all_schemes_indicator", ()):
            insurance = "Basic"
        prog = find_label("prog", measure)
        t = _table_period(cell, frame)
        goal = cell.goal or (frame.year is not None and cell.year is not None
                             and cell.year > frame.year)
        parent = made.get((cell.parent, cell.column)) if cell.parent is not None else None
        sent = index.at(start, end) or Sentence(
            cell.row_start, end, text[cell.row_start:end])
        obs = ObservationMention(
            value=q.value, unit=unit or "Other", measure=measure, indicator=indicator,
            insurance=insurance, program=prog[0] if prog else None,
            status="Target" if goal else "Actual", approximation=approx,
            value_type="Change" if cell.role == "change" else "Level",
            period=t.period if t else (str(frame.year) if frame.year else None),
            period_start=t.period_start if t else None,
            start=start, end=end, text=text[start:end], sentence=sent, place=None,
            max_value=q.max_value,
            part_of=None if parent is None else (parent.start, parent.end))
        made[(cell.row_start, cell.column)] = obs
        out.append(obs)
    return out, spans


def _scheme_hits(pre: str) -> list[tuple[int, int, str]]:
    """The schemes named in ``pre``, each place read as its longest label, outside
    inclusion notes (基本医疗保险基金（含生育保险）): (start, end, scheme), in order."""
    hits: list[tuple[int, int, str]] = []
    noted = unnoted(pre)
    taken = [False] * len(pre)
    for label, name in scheme_labels("ins"):
        for m in re.finditer(re.escape(label), noted):
            if not any(taken[m.start():m.end()]):
                hits.append((m.start(), m.end(), name))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(hits)


def _scheme_list(pre: str, k: int) -> list[tuple[str, str]] | None:
    """The ``k`` schemes ``pre`` names, as (surface, scheme), when it names exactly ``k``."""
    hits = _scheme_hits(pre)
    return [(pre[s:e], name) for s, e, name in hits] if len(hits) == k else None


#: What joins the numbers of a list (87%、76%; 80万元和68万元).
_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|以及|,|，)\s*$")


def _listed(text: str, group: Sequence[Quantity]) -> bool:
    """Whether the numbers of a clause form one list (87%、76%; 80万元和68万元)."""
    return all(_LIST_JOIN.match(text[a.end:b.start])
               for a, b in itertools.pairwise(group))


def _respectively(pre: str, k: int, schemes_only: bool = False
                  ) -> list[tuple[str, str | None]] | None:
    """Members of the list before 分别, one per number after it, or None.

    Insurance schemes named in the list (职工医保和居民医保…) are the members
    when there are as many as numbers: each member keeps the shared head
    (…政策范围内住院费用基金支付比例); a scheme inside an inclusion note
    (基本医疗保险基金（含生育保险）) is no member. Otherwise (unless ``schemes_only``)
    a list split at 、/和/及/与 with as many items as numbers gives one measure per item.
    """
    hits = _scheme_hits(pre)
    if len(hits) == k:
        head = pre[hits[-1][1]:].strip(TRIM)
        return [((pre[s:e] + head) if head else pre[s:e], name) for s, e, name in hits]
    if schemes_only:
        return None
    items = [i.strip(TRIM) for i in re.split(r"、|和|及|与|以及", pre) if i.strip(TRIM)]
    if len(items) == k:
        return [(item, None) for item in items]
    return None


def _sentence_observations(ctx: Context) -> list[ObservationMention]:
    """The observations of one sentence: its numbers, clause by clause, each resolved by
    the rules of :data:`kg.extract.fields.RULES`."""
    text, sent = ctx.text, ctx.sent
    clauses: dict[int, list[Quantity]] = {}
    for q in ctx.quantities:
        clauses.setdefault(clause_start(sent, q.start), []).append(q)
    listed: list[tuple[str, str]] | None = None  # the schemes of an unsaid 分别 list
    for c_start, group in clauses.items():
        assigned: list[tuple[str, str | None]] | None = None
        head = text[c_start:group[0].start]
        cut = max((head.rfind(w) for w in observation_words().get("respectively", ())),
                  default=-1)
        if cut >= 0 and len(group) >= 2:
            assigned = _respectively(strip_measure(head[:cut], ctx.deixis), len(group))
            if assigned is None and len(ctx.earlier) >= len(group):
                # 收入28.4亿元、支出26.1亿元，分别同比增长9.1%和12.6%: the numbers
                # just reported are the list
                assigned = [(o.measure, o.insurance) for o in ctx.earlier[-len(group):]]
        elif len(group) >= 2 and _listed(text, group):
            # 职工医保和居民医保…报销比例稳定在87%、76%，最高支付限额提高到80万元和68万元:
            # a list of numbers after a list of as many schemes, 分别 left unsaid; a later
            # clause's list of as many numbers speaks of the same schemes
            measure = strip_measure(head, ctx.deixis)
            found = _scheme_list(measure, len(group))
            if found is not None:
                listed = found
                assigned = _respectively(measure, len(group), schemes_only=True)
            elif listed is not None and len(listed) == len(group) \
                    and _scheme_list(measure, 1) is None and measure:
                assigned = [(surface + measure, scheme) for surface, scheme in listed]
        prev_end = c_start
        for j, q in enumerate(group):
            stop = group[j + 1].start if j + 1 < len(group) else None
            n = resolve(Number(ctx, q, c_start, group, j, text[prev_end:q.start],
                               words_after(text, sent, q, stop),
                               assigned[j] if assigned is not None else None))
            obs = observation_of(n)
            ctx.earlier.append(obs)
            if not is_generic(obs.measure):
                ctx.last_measure, ctx.last_indicator = obs.measure, obs.indicator
            prev_end = q.end
    return ctx.earlier
