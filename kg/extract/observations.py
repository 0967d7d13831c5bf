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
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from kg.base.ontology import concepts, label_index
from kg.base.records import Document, ObservationMention, RegionMention, Sentence
from kg.base.resources import lexicon_rows
from kg.extract.clauses import CLAUSE_BREAK
from kg.extract.docnumber import find as find_doc_numbers
from kg.extract.periods import TimeRef, find_time_refs
from kg.extract.quantities import Quantity, find_quantities
from kg.extract.tables import TableCell, find_table_cells

#: Units that can stand for one another when checking an indicator's canonical unit.
#: Counts of different things do not (12份文件 is not a count of institutions).
_UNIT_FAMILY = {
    "Person": "people", "PersonTime": "people",
    "Percent": "percent", "PercentagePoint": "percent",
    "Yuan": "money",
    "Institution": "Institution", "Item": "Item", "Case": "Case", "Batch": "Batch",
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


#: Words a gap label (异地…结算) may hold between its parts: no punctuation, at most eight.
_GAP = r"[^，,；;：:。、（）()“”\s]{0,8}?"


@functools.cache
def _gap_patterns(scheme: str) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, label, concept) for each gap label (``skos:hiddenLabel`` A…B) of a scheme."""
    return tuple((re.compile(re.escape(a) + _GAP + re.escape(b)), f"{a}…{b}", c.name)
                 for c in concepts(scheme) for a, b in (g.split("…") for g in c.gap_labels))


@functools.cache
def _first_chars(scheme: str) -> re.Pattern[str]:
    """A pattern matching any first character of the scheme's labels."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_by_first(scheme))) + "]")


@functools.lru_cache(maxsize=2048)  # a sentence's numbers look at the same texts again
def _occurrences(scheme: str, text: str) -> dict[str, tuple[str, int, int]]:
    """Each label found in ``text``: label → (concept, start and length of its last
    occurrence); a gap label's length is that of the words it spans. Shared between
    callers: read it, never change it."""
    index, singles = _by_two(scheme)
    found: dict[str, tuple[str, int, int]] = {}
    for m in _first_chars(scheme).finditer(text):
        i = m.start()
        for label, name in singles.get(text[i], ()):
            found[label] = (name, i, 1)
        for label, name in index.get(text[i:i + 2], ()):
            if text.startswith(label, i):
                found[label] = (name, i, len(label))
    for pattern, label, name in _gap_patterns(scheme):
        for m in pattern.finditer(text):
            found[label] = (name, m.start(), m.end() - m.start())
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
                nearest: bool = False,
                skip: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """A concept whose label is in ``text`` (and where the label ends), or None.

    The longest label wins; with ``nearest`` the label ending last wins (the
    context closest to a number), then the longest. Concepts in ``skip`` are
    not looked for.
    """
    best: tuple[str, int] | None = None
    best_key = (-1, -1)
    for name, pos, length in _occurrences(scheme, text).values():
        if name in skip:
            continue
        if unit is not None and scheme == "ind" and not _unit_fits(name, unit):
            continue
        end = pos + length
        key = (end, length) if nearest else (length, end)
        if key > best_key:
            best, best_key = (name, end), key
    return best


def _unit_fits(indicator: str, unit: str) -> bool:
    canonical = _canonical_units().get(indicator)
    if canonical is None or not unit:
        return True
    return _UNIT_FAMILY.get(canonical, canonical) == _UNIT_FAMILY.get(unit, unit)


@functools.lru_cache(maxsize=64)
def _strip_words(deixis: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]],
                                                   tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The words :func:`_strip_measure` takes off: link verbs at the end (by last
    character), lead words and the report's deixis at the start (by first character),
    each group in the order they are tried."""
    words = _words()
    tails = tuple(words.get("link_verb", ()))
    heads = (*words.get("lead_word", ()), *deixis)
    by_last: dict[str, list[str]] = {}
    for w in tails:
        by_last.setdefault(w[-1], []).append(w)
    by_first: dict[str, list[str]] = {}
    for w in heads:
        by_first.setdefault(w[0], []).append(w)
    return (tails, {k: tuple(v) for k, v in by_last.items()},
            heads, {k: tuple(v) for k, v in by_first.items()})


def _strip_measure(text: str, deixis: Sequence[str]) -> str:
    s = text.strip(_TRIM)
    tails, by_last, heads, by_first = _strip_words(tuple(deixis))
    changed = True
    while changed and s:
        changed = False
        if s.endswith(tails):  # one C-level test before looking for which word
            for w in by_last[s[-1]]:
                if s.endswith(w):
                    s, changed = s[: -len(w)].rstrip(_TRIM), True
                    break
        if s and s.startswith(heads):
            for w in by_first[s[0]]:
                if s.startswith(w):
                    s, changed = s[len(w):].lstrip(_TRIM), True
                    break
    return s.strip(_TRIM)


def _is_generic(measure: str) -> bool:
    """A measure that needs the one before it: empty, a generic word (人数, 金额), or
    only a scheme's name (统筹基金支出307万元，公务员补助7.2万元)."""
    if not measure or measure in _words().get("generic", ()):
        return True
    if _comparison().fullmatch(measure):
        return True  # 比上年末增加41.2万人: the change of the measure before
    found = _occurrences("ins", measure)
    if not found:
        return False
    rest = measure.replace(max(found, key=len), "", 1).strip(_TRIM)
    return not rest or rest in _words().get("generic", ())


def _last_scheme(text: str) -> tuple[str, int] | None:
    """The scheme named last in ``text``, each place read as its longest label
    (城乡居民基本医疗保险基金 is Resident, not the 基本医疗保险基金 inside it;
    统筹基金支出公务员补助大病保险 ends with 大病保险)."""
    spans = sorted(((pos, pos + length, name)
                    for name, pos, length in _occurrences("ins", text).values()),
                   key=lambda x: (x[0], -x[1]))
    best: tuple[str, int] | None = None
    reach = -1
    for start, end, name in spans:
        if start < reach:
            continue  # inside or across a label read before it
        best, reach = (name, end), end
    return best


@functools.cache
def _comparison() -> re.Pattern[str]:
    """比上年末增加, 较去年同期下降: a comparison and a change verb, no measure."""
    words = _words()
    bases = "|".join(map(re.escape, words.get("comparison_base", ())))
    verbs = "|".join(map(re.escape, words.get("change_verb", ())))
    return re.compile(rf"(?=.)(?:{bases})?(?:{verbs})?")


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
    written_year: int | None = None,
    plan: bool = False,
) -> tuple[ObservationMention, ...]:
    """Every observation of the document's body, in text order.

    ``report_year`` dates numbers written without a time; a deadline (到2025年)
    after ``written_year`` (the year the report was written; None: unknown, any
    deadline is a goal) makes a goal; in a ``plan`` any number dated after it is one.
    """
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
    horizon = _plan_horizon(document, times) if plan else None
    heads = _section_heads(text) if horizon is not None else []
    default = _title_period(document, report_year)
    places = _Places(regions)
    for sent, quantities in by_sentence.items():
        plan_year = next((y for s, e, y in plans if s <= sent.start < e), None)
        tasks_of = None
        if plan_year is None and horizon is not None and not _under_review(heads, sent.start):
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
    unit = q.unit or _unit_from_measure(cell.label)
    hit = _find_label("ind", cell.label, unit) or _program_indicator(cell.label, unit)
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
        max_value=q.max_value,
    )


def _period_for(text: str, sent: Sentence, q: Quantity, times: Sequence[TimeRef],
                time_starts: Sequence[int], others: Sequence[Quantity] = (),
                change: bool = False) -> TimeRef | None:
    """The time written last before ``q`` in its sentence; else a 截至/截止 time
    written earlier on the same line, or one that opens a sentence there
    (2022年末，…): it dates the paragraph it opens.

    A ``from`` time (从2019年9030元下降到…) dates only the number right after it,
    a ``base`` time (比2019年的596元和262元) only the numbers of its clause;
    neither dates a change.
    """
    i = bisect.bisect_right(time_starts, q.start) - 1
    while i >= 0:
        t = times[i]
        if t.end <= q.start and t.start >= sent.start:
            if t.cue in ("from", "base") and (change or (
                    any(t.end <= o.start < q.start for o in others) if t.cue == "from"
                    else CLAUSE_BREAK.search(text, t.end, q.start) is not None)):
                i -= 1
                continue
            return _finer_before(times, i, sent) or t
        if t.start < sent.start:
            break
        i -= 1
    while i >= 0:
        t = times[i]
        if "\n" in text[t.end:q.start]:
            return None
        if t.cue == "until" or (t.cue is None and _opens_sentence(text, t)):
            return t
        i -= 1
    return None


#: What may stand between a sentence's start and a time that opens it: （一）, 1.
_SENTENCE_LEAD = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+、)?\s*$")


def _opens_sentence(text: str, t: TimeRef) -> bool:
    """Whether ``t`` opens its sentence and is set off by a comma (2022年末，…): it
    then dates the sentences after it on the same line that name no time."""
    if text[t.end:t.end + 1] not in "，,":
        return False
    head = text[max(0, t.start - 12):t.start]
    cut = max(head.rfind(c) for c in "。！？\n")
    return _SENTENCE_LEAD.fullmatch(head[cut + 1:]) is not None


def _plan_horizon(document: Document, times: Sequence[TimeRef]) -> int | None:
    """The last year a plan is for: the plan period its title names (“十四五” → 2025),
    else its latest deadline (到2025年)."""
    if document.title:
        spans = [t for t in find_time_refs(document.title) if t.period_start]
        if spans:
            return int(spans[-1].period[:4])
    deadlines = [int(t.period[:4]) for t in times if t.cue == "by"]
    return max(deadlines) if deadlines else None


#: A heading line: 第一章  发展基础, 一、“十三五”时期发展成就 (short, on its own line).
_SECTION_HEAD = re.compile(
    r"^[ \t\u3000]*(?:第[一二三四五六七八九十]+章|[一二三四五六七八九十]+、)[^\n。]{0,40}$", re.M)


def _section_heads(text: str) -> list[tuple[int, bool, bool]]:
    """(start, is a chapter, reviews the past) of each heading line, in order."""
    out = []
    for m in _SECTION_HEAD.finditer(text):
        line = m.group(0).strip()
        out.append((m.start(), line.startswith("第"), _has("review_section", line)))
    return out


def _under_review(heads: Sequence[tuple[int, bool, bool]], pos: int) -> bool:
    """Whether ``pos`` lies under a heading that reviews the past (一、发展基础), directly
    or through its chapter (第一章 发展基础)."""
    section = chapter = None
    for start, is_chapter, review in heads:
        if start > pos:
            break
        if is_chapter:
            chapter, section = review, None
        else:
            section = review
    return bool(section) or (section is None and bool(chapter))


def _title_period(document: Document, report_year: int | None) -> TimeRef | None:
    """The part of the report's year its title names (2025年上半年工作情况, 前三季度…):
    the period of numbers written without a time of their own."""
    if not document.title or report_year is None:
        return None
    for t in reversed(find_time_refs(document.title, report_year)):
        if t.period.startswith(f"{report_year:04d}-") and t.cue in (None, "until"):
            return TimeRef(-1, -1, t.text, t.period, t.period_start, t.cue)
    return None


def _finer_before(times: Sequence[TimeRef], i: int, sent: Sentence) -> TimeRef | None:
    """An earlier, finer time of the sentence that a bare year at ``times[i]`` contains:
    9月7日—10月15日，…开展2021年全覆盖检查，对51家… is dated 2021-10-15."""
    t = times[i]
    if t.cue is not None or t.period_start is not None or len(t.period) != 4:
        return None
    for k in range(i - 1, -1, -1):
        e = times[k]
        if e.start < sent.start:
            break
        if e.period.startswith(t.period + "-") and e.cue in (None, "until"):
            return e
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
    places: _Places,
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
    labels = _SentenceLabels(text, sent)
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
            ins_override = None
            total = None
            borrowed = False
            stop = group[j + 1].start if j + 1 < len(group) else None
            after = _after(text, sent, q, stop)
            if assigned is not None:
                measure, ins_override = assigned[j]
            else:
                measure = _strip_measure(raw.split("分别")[0], deixis)
                if not measure and prev_end == c_start and _has("total_word", raw):
                    # 追回174.19万元，罚款23.07万元，共计197.26万元: the sum of the
                    # numbers before it; 如数追回，共计9.12万元: the clause before's total
                    total = _total_of(text, sent, q, out)
                    measure = (total or raw.strip(_TRIM)) if total is not None else ""
                if not measure and total is None and after and q.unit in _COUNT_UNITS \
                        and not q.direction:
                    # 801种药品: the counted thing follows the number
                    measure = _drop_joiner(after)
                if _is_generic(measure) and last_measure and total is None:
                    measure, borrowed = last_measure + measure, True
            if not measure:
                # 对125家定点医药机构…: the counted thing follows the number;
                # 同比增长6.4%: the change is of the thing measured last
                measure = (after if after and q.unit in _COUNT_UNITS else "") or last_measure \
                    or clause_before.strip(_TRIM) or q.text
            unit = q.unit or _unit_from_measure(measure)
            # a change in percent may be of any indicator (参保人数同比增长3.2%); one in
            # percentage points only of a rate
            fit = None if q.direction and unit == "Percent" else unit
            hit = (_find_label("ind", measure, fit)
                   or _find_label("ind", measure + q.unit_text + after, fit)
                   or _find_label("ind", clause_before, fit, nearest=True))
            if total is not None:
                hit = _find_label("ind", total, fit, nearest=True) if total else None
            noun = _counted_noun(text[q.end:q.end + _NOUN_MAX], fit) \
                if q.unit in _COUNT_UNITS else None
            if noun is not None and noun[0] in _stock() and (
                    hit is None or hit[0] == noun[0] or hit[0] in _stock()):
                # 308家定点医疗机构 counts the stock unless something is done to them:
                # 对12家定点医药机构联合开展检查 (the action decides), 200余家定点医药
                # 机构参加会议 (no indicator counts that)
                hit = _stock_or_action(text, sent, group, j, noun, raw, deixis, fit, measure)
            elif hit and hit[0] in _stock() and _has("flow_word", raw):
                # 参保人员暂停参保13324人, 定点机构已完成805家: an event on the stock
                hit = None
            elif hit and hit[0] in _stock():
                # 处理违规定点医药机构64家: the action done to the stock is measured
                hit = _find_label("ind", measure, fit, skip=_stock()) or hit
            parent = _breakdown_parent(text, sent, q, out)
            part_of = None if parent is None else (parent.start, parent.end)
            if parent is not None:
                hit = _breakdown_indicator(parent, _find_label("ind", measure, fit), measure)
            if hit is not None and any(w in measure for w in _not_with().get(hit[0], ())):
                # 普通门诊统筹报销比例: not the inpatient rate its label 报销比例 names
                hit = None
            if hit is None and borrowed and last_indicator != "Other" and (
                    fit is None or _unit_fits(last_indicator, fit)):
                # 支付516万元，比去年同期下降4.6%: the change of what was measured before
                hit = (last_indicator, 0)
            if hit is None:
                # 35个批次801种药品…集采工作: a count of a program's own kind of thing
                hit = _program_indicator(measure + "|" + clause_before + _after(text, sent, q),
                                         unit)
            indicator = hit[0] if hit else "Other"
            # 基本医疗保险基金（含生育保险）总收入: what a bracket includes is not the scheme
            ins_hit = (_last_scheme(_unnoted(measure))
                       or labels.nearest("ins", c_start, q.start))
            if ins_hit is None and indicator not in _words().get("scheme_free_indicator", ()):
                # people and money belong to the scheme the sentence or paragraph is about;
                # inspections, designated institutions, procurement are not per scheme
                ins_hit = (labels.nearest("ins", sent.start, q.start)
                           or _find_label("ins", _unnoted(_paragraph_before(text, sent.start)),
                                          nearest=True))
            insurance = ins_override or (ins_hit[0] if ins_hit else None)
            own_scheme = _indicator_schemes().get(indicator)
            if own_scheme is not None and ins_override is None:
                # 资助参加基本医疗保险532.4万人: assistance is the assistance scheme's
                insurance = own_scheme
            if insurance is None and indicator in _words().get("all_schemes_indicator", ()):
                # 全市参保人数594.8万人: a total of every scheme is basic medical insurance
                insurance = "Basic"
            prog_hit = _find_label("prog", measure) or labels.nearest("prog", sent.start, q.start)
            program = prog_hit[0] if prog_hit else None
            value, top, value_type = q.value, q.max_value, "Level"
            if q.direction and indicator not in _words().get("reduction_indicator", ()):
                value_type = "Change"
                if q.direction == "down":  # 下降3%-5%: from -5 to -3
                    value, top = (-value, None) if top is None else (-top, -value)
            elif unit == "PercentagePoint" or _ends_with_new(raw):
                value_type = "Change"
            t = _period_for(text, sent, q, times, time_starts, quantities,
                            change=value_type == "Change")
            clause_text = text[c_start:q.end]
            status = "Actual"
            if _has("estimate", clause_text):
                status = "Estimate"
            elif (_has("target", clause_text)
                  or _has("target_lead", text[sent.start:q.start])
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
                t = _deadline_before(times, time_starts, q.start)
            if default is not None and status == "Actual" and (
                    t is None or (t.period == default.period[:4] and not t.text[:1].isdigit()
                                  and t.cue is None)):
                # 目前/今年 in a report on 前三季度: the title's part of the year
                t = default
            period = t.period if t else (str(report_year) if report_year else None)
            out.append(ObservationMention(
                value=value, unit=unit or "Other", measure=measure, indicator=indicator,
                insurance=insurance, program=program, status=status,
                approximation=q.approximation, value_type=value_type,
                period=period, period_start=t.period_start if t else None,
                start=q.start, end=q.end, text=q.text, sentence=sent,
                place=places.first_in(c_start, q.start) or _subject_of(
                    subject, text, sent, places, times, time_starts),
                max_value=top, part_of=part_of,
            ))
            if not _is_generic(measure):
                last_measure, last_indicator = measure, indicator
            prev_end = q.end
    return out


#: Units of counted things, whose noun may follow the number (125家定点医药机构).
_COUNT_UNITS = frozenset({"Institution", "Item", "Case", "Batch", "Person", "PersonTime"})


def _after(text: str, sent: Sentence, q: Quantity, stop: int | None = None) -> str:
    """The words after a number up to its clause's end (or ``stop``, the next number)."""
    rest = text[q.end:sent.end if stop is None else min(stop, sent.end)]
    m = CLAUSE_BREAK.search(rest)
    return (rest[: m.start()] if m else rest).strip(_TRIM)


#: How far after a count its noun may reach (125家|定点医药机构).
_NOUN_MAX = 16


@functools.cache
def _stock() -> frozenset[str]:
    return frozenset(_words().get("stock_indicator", ()))


def _counted_noun(after: str, unit: str | None) -> tuple[str, int] | None:
    """The indicator whose label the words right after a count start with, and the
    label's end (125家|定点医药机构), or None; punctuation first means there is none."""
    best: tuple[str, int] | None = None
    for label, name in _by_first("ind").get(after[:1], ()):
        if after.startswith(label) and (unit is None or _unit_fits(name, unit)) \
                and (best is None or len(label) > best[1]):
            best = (name, len(label))
    return best


def _stock_or_action(text: str, sent: Sentence, group: Sequence[Quantity], j: int,
                     noun: tuple[str, int], raw: str, deixis: Sequence[str],
                     unit: str | None, verb: str = "") -> tuple[str, int] | None:
    """What a count of a stock noun written after the number measures.

    The words after the noun decide. Nothing, or only a list joiner before the
    next count (308家定点医疗机构和249家定点零售药店), leaves the stock; a list's
    predicate applies to all its members (299家定点医疗机构、171家定点零售药店已
    完成…). A predicate that names an action indicator gives that one (对51家
    定点医药机构开展飞行检查), also with the verb written before the count (暂停2家
    定点医疗机构医保协议: ``verb``); any other predicate gives none, unless it says the
    count is all of them (31家定点医疗机构全部纳入…) or the area's whole stock
    (全市868家定点医药机构…). After an object marker (对125家定点医药机构，开展…
    检查) the action may come later in the sentence.
    """
    before = raw.rstrip(_TRIM)
    whole = False
    for d in deixis:
        if before.endswith(d):
            before, whole = before[: -len(d)], True
            break
    governed = before.endswith(_words().get("object_marker", ()))
    k = j
    while True:
        q = group[k]
        stop = group[k + 1].start if k + 1 < len(group) else None
        after = _after(text, sent, q, stop)
        found = _counted_noun(text[q.end:q.end + _NOUN_MAX], unit)
        tail = _APPOSITION.sub("", after[found[1]:] if found else after, count=1)
        tail = tail.strip(_TRIM)
        if stop is not None and (not tail or tail in _words().get("list_joiner", ())):
            k += 1
            continue
        break
    if (not tail and not governed) or tail.startswith(_words().get("whole_word", ())):
        return noun
    scope = tail if tail else text[q.end:sent.end]
    # 暂停2家定点医疗机构医保协议: the verb before the count and the words after the noun
    action = (_find_label("ind", scope, unit, skip=_stock())
              or _find_label("ind", verb + tail, unit, skip=_stock()))
    if action is None:
        return noun if whole else None
    return action


def _total_of(text: str, sent: Sentence, q: Quantity,
              earlier: Sequence[ObservationMention]) -> str | None:
    """What a total with no measure of its own (共计9.12万元) adds up.

    ``""`` when it is the sum of the numbers of the same unit written just
    before it in its sentence (a sum has no indicator); else the clause
    before its own (如数追回), whose nearest label names it; None when there is
    no such clause.
    """
    same = [o.value for o in earlier if o.sentence == sent and o.unit == q.unit
            and o.value_type == "Level" and o.end <= q.start]
    for i in range(len(same) - 1):
        if sum(same[i:]) == q.value:
            return ""
    start = _clause_start(sent, q.start)
    if start <= sent.start:
        return None
    return text[_clause_start(sent, start - 1):start].strip(_TRIM) or None


def _drop_joiner(words: str) -> str:
    """Words without the list joiner they end with (药品和 → 药品)."""
    for w in _words().get("list_joiner", ()):
        if words.endswith(w) and len(words) > len(w):
            return words[: -len(w)]
    return words


@functools.cache
def _not_with() -> dict[str, tuple[str, ...]]:
    """Indicator → words that, in a measure, rule it out (``not_with`` rows)."""
    out: dict[str, list[str]] = {}
    for r in lexicon_rows("observation_words.tsv"):
        if r[0] == "not_with":
            out.setdefault(r[2], []).append(r[1])
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _indicator_schemes() -> dict[str, str]:
    """Indicator → the insurance scheme it always belongs to (``indicator_scheme`` rows)."""
    return {r[1]: r[2] for r in lexicon_rows("observation_words.tsv")
            if r[0] == "indicator_scheme"}


@functools.cache
def _program_indicators() -> dict[tuple[str, str], str]:
    """(program, unit) → the indicator a number of that unit about the program counts."""
    return {(r[1], r[2]): r[3] for r in lexicon_rows("observation_words.tsv")
            if r[0] == "program_indicator"}


def _program_indicator(clause: str, unit: str) -> tuple[str, int] | None:
    """The indicator implied by a program named in the number's clause, or None."""
    prog = _find_label("prog", clause)
    if prog is None:
        return None
    name = _program_indicators().get((prog[0], unit))
    return (name, prog[1]) if name else None


#: A bracketed note of what is included: （含生育保险）, (含经开区).
_INCLUDED = re.compile(r"[（(]\s*(?:含|包含|包括)[^（）()]{0,20}[)）]")


def _unnoted(text: str) -> str:
    """``text`` with its inclusion notes blanked (same length, offsets kept)."""
    return _INCLUDED.sub(lambda m: " " * len(m.group(0)), text)


#: A bracketed apposition right after a noun: 定点医药机构(含村卫生室).
_APPOSITION = re.compile(r"^\s*[（(][^）)]{0,30}[）)]")


@functools.cache
def _narrower() -> dict[str, tuple[str, ...]]:
    """Indicator → the indicators whose ``skos:broader`` it is."""
    out: dict[str, list[str]] = {}
    for c in concepts("ind"):
        for b in c.broader:
            out.setdefault(b, []).append(c.name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _breakdown_parent(text: str, sent: Sentence, q: Quantity,
                      earlier: Sequence[ObservationMention]) -> ObservationMention | None:
    """The total a number breaks down (处理93家，其中定点医疗机构36家，零售药店57家):
    the last number of the same unit before a 其中 of its sentence, with no ；
    between the 其中 and the number."""
    before = text[sent.start:q.start]
    cut = max((before.rfind(w) for w in _words().get("breakdown", ("其中",)) if w in before),
              default=-1)
    if cut < 0 or any(c in before[cut:] for c in "；;"):
        return None
    pos = sent.start + cut
    for o in reversed(earlier):
        if o.end <= pos and o.sentence == sent:
            return o if _UNIT_FAMILY.get(o.unit, o.unit) == _UNIT_FAMILY.get(
                q.unit, q.unit) and o.value_type == "Level" else None
    return None


def _breakdown_indicator(parent: ObservationMention, own: tuple[str, int] | None,
                         measure: str) -> tuple[str, int] | None:
    """The indicator of one part of a breakdown.

    A part names a narrower kind of the total's indicator (定点单位830家，其中
    医疗机构275家 → DesignatedMedicalInstitutions, whose label 定点医疗机构
    holds 医疗机构), or is counted by the same action as the total (检查249家
    医疗机构，其中乡镇卫生院54家 → InspectedInstitutions). A part with an
    indicator of its own keeps it unless that one is a stock and the total an
    action (处理93家，其中定点医疗机构36家 → SanctionedInstitutions).
    """
    top = parent.indicator
    if own is not None and own[0] != top:
        if own[0] in _narrower().get(top, ()) or top == "Other":
            return own
        if own[0] in _stock() and top not in _stock():
            return (top, own[1])
        return own
    if own is not None:
        return own
    for name in _narrower().get(top, ()):
        if measure and any(measure in label for label in _concept_labels(name)):
            return (name, 0)
    return None if top == "Other" else (top, 0)


@functools.cache
def _concept_labels(name: str) -> tuple[str, ...]:
    return tuple(label for label, concept in _labels("ind") if concept == name)


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
    """Sections under a heading that names a plan (二、2024年工作思路, 五、总体目标):
    ``(start, end, year)``, up to the next top-level heading. The year is the
    heading's, else the latest one the section's opening words name (“十四五”
    时期 → 2025); a heading that reviews (目标任务完成情况) opens no such section."""
    heads = list(_HEADING.finditer(text))
    out = []
    for i, m in enumerate(heads):
        title = m.group("title")
        if "。" in title or not _has("plan_heading", title) or _has("review_heading", title):
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        years = re.findall(r"((?:19|20)\d\d)年", title)
        if not years:
            # 五、总体目标 / “十四五”时期，…: the horizon its opening words name
            opening = text[m.end():min(end, m.end() + _OPENING)]
            years = [t.period[:4] for t in find_time_refs(opening) if t.period[:4].isdigit()]
            years = sorted(years)[-1:]
        if years:
            out.append((m.end(), end, int(years[-1])))
    return out


#: How far into a section a heading without a year looks for its horizon.
_OPENING = 120


def _ends_with_new(raw: str) -> bool:
    s = raw.rstrip(_TRIM)
    return s.endswith(_words().get("new", ()))


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


class _Places:
    """The report's region mentions, by where they start."""

    def __init__(self, regions: Sequence[RegionMention]) -> None:
        self.regions = sorted(regions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.regions]

    def first_in(self, start: int, end: int) -> RegionMention | None:
        """The region in subject position of ``[start, end)``: the first one named.

        Deixis counts (全州参保人员在张掖地区… is about 全州), except national
        references (国家组织…, 全国), which qualify programs rather than places.
        """
        for k in range(bisect.bisect_left(self.starts, start), len(self.regions)):
            m = self.regions[k]
            if m.start >= end:
                break
            if m.end <= end and m.deictic != "国":
                return m
        return None

    def at(self, start: int) -> RegionMention | None:
        """A region named from ``start`` that is not a deictic word."""
        for k in range(bisect.bisect_left(self.starts, start), len(self.regions)):
            m = self.regions[k]
            if m.start != start:
                break
            if m.deictic is None:
                return m
        return None


class _SentenceLabels:
    """The SKOS labels of one sentence, every occurrence, for lookups in a part of it
    (the clause before a number, the sentence before it)."""

    def __init__(self, text: str, sent: Sentence) -> None:
        self.base = sent.start
        self.text = _unnoted(sent.text)
        self.found: dict[str, list[tuple[int, int, str]]] = {}

    def nearest(self, scheme: str, start: int, end: int) -> tuple[str, int] | None:
        """The label of ``scheme`` ending last within ``[start, end)`` (then the longest):
        its concept and where it ends, relative to ``start``."""
        hits = self.found.get(scheme)
        if hits is None:
            hits = self.found[scheme] = _all_occurrences(scheme, self.text)
        lo, hi = start - self.base, end - self.base
        best: tuple[int, int, str] | None = None
        for pos, length, name in hits:
            if pos >= lo and pos + length <= hi and (
                    best is None or (pos + length, length) > (best[0] + best[1], best[1])):
                best = (pos, length, name)
        return (best[2], best[0] + best[1] - lo) if best else None


def _all_occurrences(scheme: str, text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every label of ``scheme`` in ``text``: (start, length, concept)."""
    index, singles = _by_two(scheme)
    out = []
    for m in _first_chars(scheme).finditer(text):
        i = m.start()
        for _, name in singles.get(text[i], ()):
            out.append((i, 1, name))
        for label, name in index.get(text[i:i + 2], ()):
            if text.startswith(label, i):
                out.append((i, len(label), name))
    for pattern, _, name in _gap_patterns(scheme):
        for g in pattern.finditer(text):
            out.append((g.start(), g.end() - g.start(), name))
    return out


def _subject_of(cache: list[RegionMention | None], text: str, sent: Sentence,
                places: _Places, times: Sequence[TimeRef],
                time_starts: Sequence[int]) -> RegionMention | None:
    """The sentence's subject region (:func:`_sentence_subject`), found once."""
    if not cache:
        cache.append(_sentence_subject(text, sent, places, times, time_starts))
    return cache[0]


def _sentence_subject(text: str, sent: Sentence, places: _Places,
                      times: Sequence[TimeRef],
                      time_starts: Sequence[int]) -> RegionMention | None:
    """A region that opens the sentence's first clause after any time (霞山区参加…;
    截至5月底，甘南州…): the subject of its later clauses that name no place."""
    start = sent.start
    while True:
        m = CLAUSE_BREAK.search(text, start, sent.end)
        end = m.start() if m else sent.end
        words = text[start:end].strip(_TRIM)
        k = bisect.bisect_left(time_starts, start)
        if words and any(t.text.strip(_TRIM) == words
                         for t in times[k:bisect.bisect_left(time_starts, end)]):
            if not m:
                return None
            start = m.end()
            continue
        break
    if any(w in text[start:end] for w in _words().get("partner_word", ())):
        return None  # 青海省医保局与海北州…: two parties, no one subject
    lead = len(text[start:end]) - len(text[start:end].lstrip(_TRIM))
    return places.at(start + lead)
