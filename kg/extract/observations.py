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
    NOUN_MAX,
    Places,
    breakdown_indicator,
    breakdown_parent,
    clause_start,
    counted_noun,
    deadline_before,
    drop_joiner,
    ends_with_new,
    period_for,
    stock_or_action,
    subject_of,
    total_of,
    words_after,
)
from kg.extract.labels import (
    COUNT_UNITS,
    TRIM,
    SentenceLabels,
    find_label,
    has_word,
    indicator_schemes,
    is_generic,
    last_scheme,
    not_with,
    observation_words,
    program_indicator,
    scheme_labels,
    stock_indicators,
    strip_measure,
    unit_fits,
    unit_from_measure,
    unnoted,
)
from kg.extract.periods import TimeRef, find_time_refs
from kg.extract.quantities import Quantity, find_quantities
from kg.extract.scopes import paragraph_before, plan_sections, section_heads, under_review
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
    plans = plan_sections(text)
    horizon = frame.ahead if plan else None
    heads = section_heads(text) if horizon is not None else []
    default = (TimeRef(-1, -1, "", frame.covers, frame.covers_start, None)
               if frame.covers and len(frame.covers) > 4 else None)
    places = Places(regions)
    for sent, quantities in by_sentence.items():
        plan_year = next((y for s, e, y in plans if s <= sent.start < e), None)
        tasks_of = None
        if plan_year is None and horizon is not None and not under_review(heads, sent.start):
            # a plan's tasks: a number with no time of its own is a goal for its horizon
            tasks_of = horizon
        out.extend(_sentence_observations(
            document, sent, quantities, places, deixis, times, time_starts, report_year,
            plan_year, written_year, plan, default, tasks_of))
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


def _sentence_observations(
    document: Document,
    sent: Sentence,
    quantities: Sequence[Quantity],
    places: Places,
    deixis: Sequence[str],
    times: Sequence[TimeRef],
    time_starts: Sequence[int],
    report_year: int | None,
    plan_year: int | None = None,
    written_year: int | None = None,
    plan: bool = False,
    default: TimeRef | None = None,
    tasks_of: int | None = None,
) -> list[ObservationMention]:
    """The observations of one sentence.

    ``plan_year``: it lies in a section of goals for that year; ``written_year``
    and ``plan`` as in :func:`find_observations`; ``default``: the period of
    numbers with no time of their own; ``tasks_of``: it lies in a plan's tasks,
    whose numbers with no time are goals for that horizon year.
    """
    text = document.text
    out: list[ObservationMention] = []
    last_measure = ""
    last_indicator = "Other"
    subject: list[RegionMention | None] = []  # found when first needed
    labels = SentenceLabels(text, sent)
    clauses: dict[int, list[Quantity]] = {}
    for q in quantities:
        clauses.setdefault(clause_start(sent, q.start), []).append(q)
    for c_start, group in clauses.items():
        assigned: list[tuple[str, str | None]] | None = None
        head = text[c_start:group[0].start]
        cut = head.rfind("分别")
        if cut >= 0 and len(group) >= 2:
            assigned = _respectively(strip_measure(head[:cut], deixis), len(group))
            if assigned is None and len(out) >= len(group):
                # 收入28.4亿元、支出26.1亿元，分别同比增长9.1%和12.6%: the numbers
                # just reported are the list
                assigned = [(o.measure, o.insurance) for o in out[-len(group):]]
        prev_end = c_start
        for j, q in enumerate(group):
            raw = text[prev_end:q.start]
            clause_before = text[c_start:q.start]
            ins_override = None
            total = None
            borrowed = False
            stop = group[j + 1].start if j + 1 < len(group) else None
            after = words_after(text, sent, q, stop)
            if assigned is not None:
                measure, ins_override = assigned[j]
            else:
                measure = strip_measure(raw.split("分别")[0], deixis)
                if not measure and prev_end == c_start and has_word("total_word", raw):
                    # 追回174.19万元，罚款23.07万元，共计197.26万元: the sum of the
                    # numbers before it; 如数追回，共计9.12万元: the clause before's total
                    total = total_of(text, sent, q, out)
                    measure = (total or raw.strip(TRIM)) if total is not None else ""
                if not measure and total is None and after and q.unit in COUNT_UNITS \
                        and not q.direction:
                    # 801种药品: the counted thing follows the number
                    measure = drop_joiner(after)
                if is_generic(measure) and last_measure and total is None:
                    measure, borrowed = last_measure + measure, True
            if not measure:
                # 对125家定点医药机构…: the counted thing follows the number;
                # 同比增长6.4%: the change is of the thing measured last
                measure = (after if after and q.unit in COUNT_UNITS else "") or last_measure \
                    or clause_before.strip(TRIM) or q.text
            unit = q.unit or unit_from_measure(measure)
            # a change in percent may be of any indicator (参保人数同比增长3.2%); one in
            # percentage points only of a rate
            fit = None if q.direction and unit == "Percent" else unit
            hit = (find_label("ind", measure, fit)
                   or find_label("ind", measure + q.unit_text + after, fit)
                   or find_label("ind", clause_before, fit, nearest=True))
            if total is not None:
                hit = find_label("ind", total, fit, nearest=True) if total else None
            noun = counted_noun(text[q.end:q.end + NOUN_MAX], fit) \
                if q.unit in COUNT_UNITS else None
            if noun is not None and noun[0] in stock_indicators() and (
                    hit is None or hit[0] == noun[0] or hit[0] in stock_indicators()):
                # 308家定点医疗机构 counts the stock unless something is done to them:
                # 对12家定点医药机构联合开展检查 (the action decides), 200余家定点医药
                # 机构参加会议 (no indicator counts that)
                hit = stock_or_action(text, sent, group, j, noun, raw, deixis, fit, measure)
            elif hit and hit[0] in stock_indicators() and has_word("flow_word", raw):
                # 参保人员暂停参保13324人, 定点机构已完成805家: an event on the stock
                hit = None
            elif hit and hit[0] in stock_indicators():
                # 处理违规定点医药机构64家: the action done to the stock is measured
                hit = find_label("ind", measure, fit, skip=stock_indicators()) or hit
            parent = breakdown_parent(text, sent, q, out)
            part_of = None if parent is None else (parent.start, parent.end)
            if parent is not None:
                hit = breakdown_indicator(parent, find_label("ind", measure, fit), measure)
            if hit is not None and any(w in measure for w in not_with().get(hit[0], ())):
                # 普通门诊统筹报销比例: not the inpatient rate its label 报销比例 names
                hit = None
            if hit is None and borrowed and last_indicator != "Other" and (
                    fit is None or unit_fits(last_indicator, fit)):
                # 支付516万元，比去年同期下降4.6%: the change of what was measured before
                hit = (last_indicator, 0)
            if hit is None:
                # 35个批次801种药品…集采工作: a count of a program's own kind of thing
                hit = program_indicator(measure + "|" + clause_before + words_after(text, sent, q),
                                         unit)
            indicator = hit[0] if hit else "Other"
            # 基本医疗保险基金（含生育保险）总收入: what a bracket includes is not the scheme
            ins_hit = (last_scheme(unnoted(measure))
                       or labels.nearest("ins", c_start, q.start))
            if ins_hit is None and indicator not in observation_words().get(
                    "scheme_free_indicator", ()):
                # people and money belong to the scheme the sentence or paragraph is about;
                # inspections, designated institutions, procurement are not per scheme
                ins_hit = (labels.nearest("ins", sent.start, q.start)
                           or find_label("ins", unnoted(paragraph_before(text, sent.start)),
                                          nearest=True))
            insurance = ins_override or (ins_hit[0] if ins_hit else None)
            own_scheme = indicator_schemes().get(indicator)
            if own_scheme is not None and ins_override is None:
                # 资助参加基本医疗保险532.4万人: assistance is the assistance scheme's
                insurance = own_scheme
            if insurance is None and indicator in observation_words().get(
                    "all_schemes_indicator", ()):
                # 全市参保人数594.8万人: a total of every scheme is basic medical insurance
                insurance = "Basic"
            prog_hit = find_label("prog", measure) or labels.nearest("prog", sent.start, q.start)
            program = prog_hit[0] if prog_hit else None
            value, top, value_type = q.value, q.max_value, "Level"
            if q.direction and indicator not in observation_words().get("reduction_indicator", ()):
                value_type = "Change"
                if q.direction == "down":  # 下降3%-5%: from -5 to -3
                    value, top = (-value, None) if top is None else (-top, -value)
            elif unit == "PercentagePoint" or ends_with_new(raw):
                value_type = "Change"
            t = period_for(text, sent, q, times, time_starts, quantities,
                            change=value_type == "Change")
            clause_text = text[c_start:q.end]
            status = "Actual"
            if has_word("estimate", clause_text):
                status = "Estimate"
            elif (has_word("target", clause_text)
                  or has_word("target_lead", text[sent.start:q.start])
                  or (t is not None and t.cue == "by"
                      and (written_year is None or int(t.period[:4]) > written_year))
                  or (plan and t is not None and t.cue != "until" and written_year is not None
                      and int(t.period[:4]) > written_year)):
                status = "Target"
            if tasks_of is not None:
                if t is None and status == "Actual":
                    status, t = "Target", TimeRef(q.start, q.start, "", str(tasks_of))
            elif plan_year is not None and (t is None or int(t.period[:4]) < plan_year):
                # a section of next year's goals: its numbers are that year's targets
                status = "Target" if status == "Actual" else status
                t = TimeRef(q.start, q.start, "", str(plan_year))
            if t is None and status == "Target":
                t = deadline_before(times, time_starts, q.start)
            if default is not None and status == "Actual" and (
                    t is None or (t.period == default.period[:4] and t.cue is None and (
                        not t.text[:1].isdigit() or len(default.period) == 7))):
                # 目前/今年 in a report on 前三季度: the title's part of the year; in a
                # release on a quarter, 2024年，… is that quarter's year, not a coarser period
                t = default
            period = t.period if t else (str(report_year) if report_year else None)
            out.append(ObservationMention(
                value=value, unit=unit or "Other", measure=measure, indicator=indicator,
                insurance=insurance, program=program, status=status,
                approximation=q.approximation, value_type=value_type,
                period=period, period_start=t.period_start if t else None,
                start=q.start, end=q.end, text=q.text, sentence=sent,
                place=places.first_in(c_start, q.start) or subject_of(
                    subject, text, sent, places, times, time_starts),
                max_value=top, part_of=part_of,
            ))
            if not is_generic(measure):
                last_measure, last_indicator = measure, indicator
            prev_end = q.end
    return out
