"""Observations: every reported number with what it measures, where, when and how sure.

Built on the quantity layer (:mod:`kg.quantities`) and on the grammar of the
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
  sentence (截至2023年12月, 1-5月, 十三五期间…, see :mod:`kg.periods`), else
  the report's year;
* **place** — a region named in the clause before the number (门源县…); the
  linker resolves it, or falls back to the report's home region.

Word lists are in ``ontology/lexicon/observation_words.tsv``; labels in the
SKOS schemes of ``ontology/``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from kg.clauses import CLAUSE_BREAK
from kg.docnumber import find as find_doc_numbers
from kg.ontology import concepts, label_index
from kg.periods import TimeRef, find_time_refs
from kg.quantities import Quantity, find_quantities
from kg.records import Document, ObservationMention, RegionMention, Sentence
from kg.resources import lexicon_rows
from kg.tables import TableCell, find_table_cells

#: Units that can stand for one another when checking an indicator's canonical unit.
_UNIT_FAMILY = {
    "Person": "people", "PersonTime": "people",
    "Percent": "percent", "PercentagePoint": "percent",
    "Yuan": "money",
    "Institution": "count", "Item": "count", "Case": "count", "Batch": "count",
    "Day": "time", "Month": "time",
}  # fmt: skip
#: Characters trimmed from the ends of a measure.
_TRIM = " \t\u3000、，,；;：:（(）)“”\"'—-·.。"


@functools.cache
def _words() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in lexicon_rows("observation_words.tsv"):
        out.setdefault(row[0], []).append(row[1])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@functools.cache
def _labels(scheme: str) -> tuple[tuple[str, str], ...]:
    """(label, concept) pairs of a scheme, longest label first."""
    return tuple(sorted(label_index(scheme).items(), key=lambda kv: (-len(kv[0]), kv[0])))


@functools.cache
def _canonical_units() -> dict[str, str | None]:
    return {c.name: c.canonical_unit for c in concepts("ind")}


@functools.cache
def _by_first(scheme: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The scheme's (label, concept) pairs by the label's first character."""
    out: dict[str, list[tuple[str, str]]] = {}
    for label, name in _labels(scheme):
        out.setdefault(label[0], []).append((label, name))
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _first_chars(scheme: str) -> re.Pattern[str]:
    """A pattern matching any first character of the scheme's labels."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_by_first(scheme))) + "]")


@functools.lru_cache(maxsize=1024)  # one sentence's numbers look at the same texts again
def _occurrences(scheme: str, text: str) -> dict[str, tuple[str, int]]:
    """Each label found in ``text``: label → (concept, start of its last occurrence)
    (shared between callers: read it, never change it)."""
    index, singles = _by_two(scheme)
    found: dict[str, tuple[str, int]] = {}
    for m in _first_chars(scheme).finditer(text):
        i = m.start()
        for label, name in singles.get(text[i], ()):
            found[label] = (name, i)
        for label, name in index.get(text[i:i + 2], ()):
            if text.startswith(label, i):
                found[label] = (name, i)
    return found


@functools.cache
def _by_two(scheme: str) -> tuple[dict[str, tuple[tuple[str, str], ...]],
                                  dict[str, tuple[tuple[str, str], ...]]]:
    """The scheme's (label, concept) pairs by the label's first two characters, and
    the one-character labels by their character, each in :func:`_by_first` order."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    singles: dict[str, list[tuple[str, str]]] = {}
    for group in _by_first(scheme).values():
        for label, name in group:
            if len(label) > 1:
                pairs.setdefault(label[:2], []).append((label, name))
            else:
                singles.setdefault(label, []).append((label, name))
    return ({k: tuple(v) for k, v in pairs.items()}, {k: tuple(v) for k, v in singles.items()})


def _find_label(scheme: str, text: str, unit: str | None = None,
                nearest: bool = False) -> tuple[str, int] | None:
    """A concept whose label is in ``text`` (and where the label ends), or None.

    The longest label wins; with ``nearest`` the label ending last wins (the
    context closest to a number), then the longest.
    """
    best: tuple[str, int] | None = None
    best_key = (-1, -1)
    for label, (name, pos) in _occurrences(scheme, text).items():
        if unit is not None and scheme == "ind" and not _unit_fits(name, unit):
            continue
        end = pos + len(label)
        key = (end, len(label)) if nearest else (len(label), end)
        if key > best_key:
            best, best_key = (name, end), key
    return best


def _unit_fits(indicator: str, unit: str) -> bool:
    canonical = _canonical_units().get(indicator)
    if canonical is None or not unit:
        return True
    return _UNIT_FAMILY.get(canonical, canonical) == _UNIT_FAMILY.get(unit, unit)


def _strip_measure(text: str, deixis: Sequence[str]) -> str:
    words = _words()
    s = text.strip(_TRIM)
    tails = tuple(words.get("link_verb", ()))
    heads = (*words.get("lead_word", ()), *deixis)
    changed = True
    while changed and s:
        changed = False
        if s.endswith(tails):  # one C-level test before looking for which word
            for w in tails:
                if s.endswith(w):
                    s, changed = s[: -len(w)].rstrip(_TRIM), True
                    break
        if s.startswith(heads):
            for w in heads:
                if s.startswith(w):
                    s, changed = s[len(w):].lstrip(_TRIM), True
                    break
    return s.strip(_TRIM)


def _is_generic(measure: str) -> bool:
    return not measure or measure in _words().get("generic", ())


def _has(words_kind: str, text: str) -> bool:
    return _any_word(words_kind).search(text) is not None


@functools.cache
def _any_word(words_kind: str) -> re.Pattern[str]:
    """A pattern found in a text that holds any of the words of ``words_kind``."""
    words = _words().get(words_kind, ())
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!)")


class _Sentences:
    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = list(sentences)
        self.starts = [s.start for s in self.sentences]

    def at(self, start: int, end: int) -> Sentence | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.sentences[i].end >= end:
            return self.sentences[i]
        return None


def _clause_start(sentence: Sentence, pos: int) -> int:
    rel = pos - sentence.start
    left = 0
    for m in CLAUSE_BREAK.finditer(sentence.text, 0, max(rel, 0)):
        left = m.end()
    return sentence.start + left


def find_observations(
    document: Document,
    sentences: Sequence[Sentence],
    regions: Sequence[RegionMention],
    report_year: int | None,
) -> tuple[ObservationMention, ...]:
    """Every observation of the document's body, in text order."""
    text = document.text
    title = document.title_span
    numbers = [(s, e) for s, e, _ in find_doc_numbers(text)]
    index = _Sentences(sentences)
    times = find_time_refs(text, report_year)
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
    plans = _plan_sections(text)
    for sent, quantities in by_sentence.items():
        plan_year = next((y for s, e, y in plans if s <= sent.start < e), None)
        out.extend(_sentence_observations(
            document, sent, quantities, regions, deixis, times, time_starts, report_year,
            plan_year))
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
    unit = q.unit or _unit_from_measure(cell.label)
    hit = _find_label("ind", cell.label, unit)
    ins = _find_label("ins", cell.label)
    prog = _find_label("prog", cell.label)
    sent = index.at(start, end) or Sentence(cell.start, cell.end, cell.text)
    goal = cell.goal or (report_year is not None and cell.year > report_year)
    return ObservationMention(
        value=q.value, unit=unit or "Other", measure=cell.label,
        indicator=hit[0] if hit else "Other", insurance=ins[0] if ins else None,
        program=prog[0] if prog else None, status="Target" if goal else "Actual",
        approximation=approx, value_type="Level", period=str(cell.year), period_start=None,
        start=start, end=end, text=text[start:end], sentence=sent, place=None,
    )


def _period_for(text: str, sent: Sentence, q: Quantity, times: Sequence[TimeRef],
                time_starts: Sequence[int]) -> TimeRef | None:
    """The time written last before ``q`` in its sentence; else a 截至/截止 time
    written earlier on the same line (it dates the paragraph it opens)."""
    i = bisect.bisect_right(time_starts, q.start) - 1
    while i >= 0:
        t = times[i]
        if t.end <= q.start and t.start >= sent.start:
            return t
        if t.start < sent.start:
            break
        i -= 1
    while i >= 0:
        t = times[i]
        if "\n" in text[t.end:q.start]:
            return None
        if t.cue == "until":
            return t
        i -= 1
    return None


def _deadline_before(times: Sequence[TimeRef], time_starts: Sequence[int],
                     pos: int) -> TimeRef | None:
    """The last 到…年 deadline written before ``pos`` (the horizon of a plan's targets)."""
    i = bisect.bisect_right(time_starts, pos) - 1
    while i >= 0:
        if times[i].cue == "by":
            return times[i]
        i -= 1
    return None


def _respectively(pre: str, k: int) -> list[tuple[str, str | None]] | None:
    """Members of the list before 分别, one per number after it, or None.

    Insurance schemes named in the list (职工医保和居民医保…) are the members
    when there are as many as numbers: each member keeps the shared head
    (…政策范围内住院费用基金支付比例). Otherwise a list split at 、/和/及/与 with
    as many items as numbers gives one measure per item.
    """
    hits: list[tuple[int, int, str]] = []
    taken = [False] * len(pre)
    for label, name in _labels("ins"):
        for m in re.finditer(re.escape(label), pre):
            if not any(taken[m.start():m.end()]):
                hits.append((m.start(), m.end(), name))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    hits.sort()
    if len(hits) == k:
        head = pre[hits[-1][1]:].strip(_TRIM)
        return [((pre[s:e] + head) if head else pre[s:e], name) for s, e, name in hits]
    items = [i.strip(_TRIM) for i in re.split(r"、|和|及|与|以及", pre) if i.strip(_TRIM)]
    if len(items) == k:
        return [(item, None) for item in items]
    return None


def _sentence_observations(
    document: Document,
    sent: Sentence,
    quantities: Sequence[Quantity],
    regions: Sequence[RegionMention],
    deixis: Sequence[str],
    times: Sequence[TimeRef],
    time_starts: Sequence[int],
    report_year: int | None,
    plan_year: int | None = None,
) -> list[ObservationMention]:
    """The observations of one sentence (``plan_year``: it lies in a section of goals)."""
    text = document.text
    out: list[ObservationMention] = []
    last_measure = ""
    clauses: dict[int, list[Quantity]] = {}
    for q in quantities:
        clauses.setdefault(_clause_start(sent, q.start), []).append(q)
    for c_start, group in clauses.items():
        assigned: list[tuple[str, str | None]] | None = None
        head = text[c_start:group[0].start]
        cut = head.rfind("分别")
        if cut >= 0 and len(group) >= 2:
            assigned = _respectively(_strip_measure(head[:cut], deixis), len(group))
            if assigned is None and len(out) >= len(group):
                # 收入28.4亿元、支出26.1亿元，分别同比增长9.1%和12.6%: the numbers
                # just reported are the list
                assigned = [(o.measure, o.insurance) for o in out[-len(group):]]
        prev_end = c_start
        for j, q in enumerate(group):
            raw = text[prev_end:q.start]
            clause_before = text[c_start:q.start]
            sentence_before = text[sent.start:q.start]
            ins_override = None
            if assigned is not None:
                measure, ins_override = assigned[j]
            else:
                measure = _strip_measure(raw.split("分别")[0], deixis)
                if _is_generic(measure) and last_measure:
                    measure = last_measure + measure
            after = _after(text, sent, q)
            if not measure:
                # 对125家定点医药机构…: the counted thing follows the number;
                # 同比增长6.4%: the change is of the thing measured last
                measure = (after if after and q.unit in _COUNT_UNITS else "") or last_measure \
                    or clause_before.strip(_TRIM) or q.text
            unit = q.unit or _unit_from_measure(measure)
            # a change in percent may be of any indicator (参保人数同比增长3.2%)
            fit = None if q.direction and unit in ("Percent", "PercentagePoint") else unit
            hit = (_find_label("ind", measure, fit)
                   or _find_label("ind", measure + q.unit_text + after, fit)
                   or _find_label("ind", clause_before, fit, nearest=True))
            if hit and after and hit[0] in _words().get("stock_indicator", ()):
                # 对12家定点医药机构联合开展检查: the action after the number decides
                action = _find_label("ind", after, fit)
                if action and action[0] not in _words().get("stock_indicator", ()):
                    hit = action
            indicator = hit[0] if hit else "Other"
            ins_hit = (_find_label("ins", measure)
                       or _find_label("ins", clause_before, nearest=True)
                       or _find_label("ins", sentence_before, nearest=True)
                       or _find_label("ins", _paragraph_before(text, sent.start), nearest=True))
            insurance = ins_override or (ins_hit[0] if ins_hit else None)
            prog_hit = _find_label("prog", measure) or _find_label(
                "prog", sentence_before, nearest=True)
            program = prog_hit[0] if prog_hit else None
            value, value_type = q.value, "Level"
            if q.direction and indicator not in _words().get("reduction_indicator", ()):
                value_type = "Change"
                if q.direction == "down":
                    value = -value
            elif unit == "PercentagePoint" or _ends_with_new(raw):
                value_type = "Change"
            t = _period_for(text, sent, q, times, time_starts)
            clause_text = text[c_start:q.end]
            status = "Actual"
            if _has("estimate", clause_text):
                status = "Estimate"
            elif (_has("target", clause_text)
                  or (t is not None and t.cue == "by"
                      and (report_year is None or int(t.period[:4]) > report_year))
                  or (report_year is not None and t is not None and t.cue != "until"
                      and int(t.period[:4]) > report_year)):
                status = "Target"
            if plan_year is not None and (t is None or int(t.period[:4]) < plan_year):
                # a section of next year's goals: its numbers are that year's targets
                status = "Target" if status == "Actual" else status
                t = TimeRef(q.start, q.start, "", str(plan_year))
            if t is None and status == "Target":
                t = _deadline_before(times, time_starts, q.start)
            period = t.period if t else (str(report_year) if report_year else None)
            out.append(ObservationMention(
                value=value, unit=unit or "Other", measure=measure, indicator=indicator,
                insurance=insurance, program=program, status=status,
                approximation=q.approximation, value_type=value_type,
                period=period, period_start=t.period_start if t else None,
                start=q.start, end=q.end, text=q.text, sentence=sent,
                place=_place(regions, c_start, q.start),
            ))
            if not _is_generic(measure):
                last_measure = measure
            prev_end = q.end
    return out


#: Units of counted things, whose noun may follow the number (125家定点医药机构).
_COUNT_UNITS = frozenset({"Institution", "Item", "Case", "Batch", "Person", "PersonTime"})


def _after(text: str, sent: Sentence, q: Quantity) -> str:
    """The words after a number up to its clause's end."""
    rest = text[q.end:sent.end]
    m = CLAUSE_BREAK.search(rest)
    return (rest[: m.start()] if m else rest).strip(_TRIM)


#: A short line with no sentence end is a heading (城镇职工医疗保险：, （二）居民医保).
_HEADING_MAX = 40


def _paragraph_before(text: str, pos: int) -> str:
    """The paragraph's text before ``pos``, and the heading line above it if there is one."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    prev_end = line_start - 1
    while prev_end > 0 and text[prev_end - 1] in "\r\n \t\u3000":
        prev_end -= 1
    prev_start = text.rfind("\n", 0, prev_end) + 1
    heading = text[prev_start:prev_end].strip()
    if heading and len(heading) <= _HEADING_MAX and "。" not in heading:
        before = heading + "\n" + before
    return before


#: A top-level heading: 二、2024年工作思路 (short, on a line of its own).
_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]+、(?P<title>[^\n]{0,40})$", re.M)


def _plan_sections(text: str) -> list[tuple[int, int, int]]:
    """Sections under a heading that names a year and a plan (二、2024年工作思路):
    ``(start, end, year)``, up to the next top-level heading."""
    heads = list(_HEADING.finditer(text))
    out = []
    for i, m in enumerate(heads):
        title = m.group("title")
        if "。" in title or not _has("plan_heading", title):
            continue
        years = re.findall(r"((?:19|20)\d\d)年", title)
        if years:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            out.append((m.end(), end, int(years[-1])))
    return out


def _ends_with_new(raw: str) -> bool:
    s = raw.rstrip(_TRIM)
    return any(s.endswith(w) for w in _words().get("new", ()))


def _unit_from_measure(measure: str) -> str:
    """A unit for a number written without one (参保人数达100.02万), from its measure."""
    hit = _find_label("ind", measure)
    if hit:
        unit = _canonical_units().get(hit[0])
        if unit:
            return unit
    for word, unit in _measure_units():
        if measure.endswith(word):
            return unit
    return ""


@functools.cache
def _measure_units() -> tuple[tuple[str, str], ...]:
    """(suffix, unit) rows of the lexicon, longest suffix first."""
    rows = [(r[1], r[2]) for r in lexicon_rows("observation_words.tsv") if r[0] == "measure_unit"]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _place(regions: Sequence[RegionMention], start: int, end: int) -> RegionMention | None:
    """The region in subject position of ``[start, end)``: the first one named.

    Deixis counts (全州参保人员在张掖地区… is about 全州), except national
    references (国家组织…, 全国), which qualify programs rather than places.
    """
    for m in regions:
        if start <= m.start and m.end <= end and m.deictic != "国":
            return m
    return None
