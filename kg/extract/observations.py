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
import re
from collections.abc import Sequence
from dataclasses import replace

from kg.base.records import Document, Frame, ObservationMention, RegionMention, Sentence
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
    program_indicator,
    scheme_labels,
    strip_measure,
    unit_from_measure,
)
from kg.extract.periods import TimeRef, find_time_refs
from kg.extract.quantities import Quantity, find_quantities
from kg.extract.scopes import read_scopes
from kg.extract.tables import TableCell, find_table_cells


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
    out: list[ObservationMention] = []
    cells = [c for c in find_table_cells(text) if document.in_body(c.start, c.end)]
    cell_spans = [(c.start, c.end) for c in cells]
    for cell in cells:
        obs = _cell_observation(text, cell, index, report_year)
        if obs is not None:
            out.append(obs)
    by_sentence: dict[Sentence, list[Quantity]] = {}
    for q in find_quantities(text):
        if any(s <= q.start < e for s, e in cell_spans):
            continue
        if not document.in_body(q.start, q.end):
            continue
        if title and title[0] <= q.start < title[1]:
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
    places = Places(regions)
    for sent, quantities in by_sentence.items():
        plan_year = scopes.goal_year(sent.start)
        tasks_of = None
        if plan_year is None and horizon is not None and not scopes.under_review(sent.start):
            # a plan's tasks: a number with no time of its own is a goal for its horizon
            tasks_of = horizon
        out.extend(_sentence_observations(Context(
            document, sent, quantities, deixis, times, time_starts, places, report_year,
            written_year, plan, default, plan_year, tasks_of, scopes)))
    return tuple(sorted(out, key=lambda o: (o.start, o.end)))


#: Comparison signs written before a table value (≥95, >70).
_SIGNS = {"≥": "AtLeast", ">": "AtLeast", "＞": "AtLeast", "≤": "AtMost", "<": "AtMost",
          "＜": "AtMost"}


def _cell_observation(text: str, cell: TableCell, index: _Sentences,
                      report_year: int | None) -> ObservationMention | None:
    """An observation from a numeric table cell: row label, column year, goal or not."""
    found = find_quantities(cell.text)
    if not found and cell.unit_text:
        # a bare cell (70左右, ≥95) takes the unit of its row label (（%）)
        m = re.match(r"^(\D*?)(\d[\d.,]*)(.*)$", cell.text)
        if m:
            with_unit = m.group(1) + m.group(2) + cell.unit_text + m.group(3)
            end_of_number = len(m.group(1)) + len(m.group(2))
            found = [replace(q, end=min(q.end, len(cell.text)))
                     for q in find_quantities(with_unit) if q.start < end_of_number]
    if not found:
        return None
    q = found[0]
    start = cell.start + q.start
    end = min(cell.start + q.end, cell.end)
    approx = q.approximation
    sign = cell.text.lstrip()[:1]
    if approx is None and sign in _SIGNS:
        approx = _SIGNS[sign]
    unit = q.unit or unit_from_measure(cell.label)
    hit = find_label("ind", cell.label, unit) or program_indicator(cell.label, unit)
    ins = find_label("ins", cell.label)
    prog = find_label("prog", cell.label)
    sent = index.at(start, end) or Sentence(cell.start, cell.end, cell.text)
    goal = cell.goal or (report_year is not None and cell.year is not None
                         and cell.year > report_year)
    return ObservationMention(
        value=q.value, unit=unit or "Other", measure=cell.label,
        indicator=hit[0] if hit else "Other", insurance=ins[0] if ins else None,
        program=prog[0] if prog else None, status="Target" if goal else "Actual",
        approximation=approx, value_type="Level",
        period=str(cell.year) if cell.year is not None else (
            str(report_year) if report_year is not None else None),
        period_start=None,
        start=start, end=end, text=text[start:end], sentence=sent, place=None,
        max_value=q.max_value,
    )


def _respectively(pre: str, k: int) -> list[tuple[str, str | None]] | None:
    """Members of the list before 分别, one per number after it, or None.

    Insurance schemes named in the list (职工医保和居民医保…) are the members
    when there are as many as numbers: each member keeps the shared head
    (…政策范围内住院费用基金支付比例). Otherwise a list split at 、/和/及/与 with
    as many items as numbers gives one measure per item.
    """
    hits: list[tuple[int, int, str]] = []
    taken = [False] * len(pre)
    for label, name in scheme_labels("ins"):
        for m in re.finditer(re.escape(label), pre):
            if not any(taken[m.start():m.end()]):
                hits.append((m.start(), m.end(), name))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    hits.sort()
    if len(hits) == k:
        head = pre[hits[-1][1]:].strip(TRIM)
        return [((pre[s:e] + head) if head else pre[s:e], name) for s, e, name in hits]
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
    for c_start, group in clauses.items():
        assigned: list[tuple[str, str | None]] | None = None
        head = text[c_start:group[0].start]
        cut = head.rfind("分别")
        if cut >= 0 and len(group) >= 2:
            assigned = _respectively(strip_measure(head[:cut], ctx.deixis), len(group))
            if assigned is None and len(ctx.earlier) >= len(group):
                # 收入28.4亿元、支出26.1亿元，分别同比增长9.1%和12.6%: the numbers
                # just reported are the list
                assigned = [(o.measure, o.insurance) for o in ctx.earlier[-len(group):]]
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
