"""What one number measures, where, when and how sure: the grammar of its sentence.

Helpers of the observation extractor (:mod:`kg.extract.observations`) that read
a number's sentence: its period, the counted noun after it, a stock or the
action done to it, a total and its parts, the sentence's subject region.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kg.base.records import Document, ObservationMention, RegionMention, Sentence
from kg.extract.clauses import CLAUSE_BREAK
from kg.extract.labels import (
    COUNT_UNITS,
    TRIM,
    UNIT_FAMILY,
    SentenceLabels,
    concept_labels,
    find_label,
    has_word,
    indicator_schemes,
    is_generic,
    labels_by_first,
    measure_scheme,
    narrower,
    narrower_schemes,
    not_with,
    observation_words,
    occurrences,
    program_indicator,
    rates_of,
    scheme_indicators,
    stock_indicators,
    strip_measure,
    subtype_words,
    unit_fits,
    unit_from_measure,
    unnoted,
)
from kg.extract.periods import TimeRef, is_plan_period
from kg.extract.quantities import Quantity
from kg.extract.scopes import Scopes, line_before


def clause_start(sentence: Sentence, pos: int) -> int:
    rel = pos - sentence.start
    left = 0
    for m in CLAUSE_BREAK.finditer(sentence.text, 0, max(rel, 0)):
        left = m.end()
    return sentence.start + left


def period_for(text: str, sent: Sentence, q: Quantity, times: Sequence[TimeRef],
                time_starts: Sequence[int], others: Sequence[Quantity] = (),
                change: bool = False) -> TimeRef | None:
    """The time written last before ``q`` in its sentence; else a 截至/截止 time
    written earlier on the same line, or one that opens a sentence there
    (2022年末，…): it dates the paragraph it opens.

    A ``from`` time (从2019年9030元下降到…) dates only the number right after it,
    a ``base`` time (比2019年的596元和262元) only the numbers of its clause;
    neither dates a change. A sentence that opens with 其中 breaks down the one
    before it and takes its time (今年1-5月，…总收入82.6亿元。其中，职工医保…).
    """
    i = bisect.bisect_right(time_starts, q.start) - 1
    while i >= 0:
        t = times[i]
        if t.end <= q.start and t.start >= sent.start and _closed_before(text, t.end, q.start):
            # (自2015年3月起…缴纳)1266.58万人: a time inside a note dates nothing outside it
            i -= 1
            continue
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
    breakdown = sent.text.lstrip(TRIM).startswith(observation_words().get("breakdown", ("其中",)))
    while i >= 0:
        t = times[i]
        if "\n" in text[t.end:q.start]:
            return None
        if t.cue == "until" or (t.cue is None and _opens_sentence(text, t)) or (
                breakdown and t.cue in (None, "until")
                and not _SENTENCE_END.search(text[t.end:sent.start].rstrip(TRIM + "。！？!?"))):
            return t
        i -= 1
    return None


#: The end of a sentence (a time before it dates no sentence after it, but one that 其中 opens).
_SENTENCE_END = re.compile(r"[。！？!?\n]")


#: What may stand between a sentence's start and a time that opens it: （一）, 1.
_SENTENCE_LEAD = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+、)?\s*$")


def _closed_before(text: str, start: int, end: int) -> bool:
    """Whether a bracket opened before ``start`` closes in ``text[start:end]``."""
    depth = 0
    for ch in text[start:end]:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return True
    return False


def _opens_sentence(text: str, t: TimeRef) -> bool:
    """Whether ``t`` opens its sentence and is set off by a comma (2022年末，…): it
    then dates the sentences after it on the same line that name no time. So does a
    time opening the clause after a news item's source (…记者从省医疗保障局获悉，今年
    1-6月，…)."""
    if text[t.end:t.end + 1] not in "，,":
        return False
    head = text[max(0, t.start - 12):t.start]
    cut = max(head.rfind(c) for c in "。！？\n")
    if _SENTENCE_LEAD.fullmatch(head[cut + 1:]) is not None:
        return True
    return text[:t.start].rstrip(TRIM).endswith(
        tuple(observation_words().get("source_clause_end", ())))


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


def deadline_before(times: Sequence[TimeRef], time_starts: Sequence[int],
                     pos: int) -> TimeRef | None:
    """The last 到…年 deadline written before ``pos`` (the horizon of a plan's targets)."""
    i = bisect.bisect_right(time_starts, pos) - 1
    while i >= 0:
        if times[i].cue == "by":
            return times[i]
        i -= 1
    return None


def words_after(text: str, sent: Sentence, q: Quantity, stop: int | None = None) -> str:
    """The words after a number up to its clause's end (or ``stop``, the next number)."""
    rest = text[q.end:sent.end if stop is None else min(stop, sent.end)]
    m = CLAUSE_BREAK.search(rest)
    return (rest[: m.start()] if m else rest).strip(TRIM)


#: How far after a count its noun may reach (125家|定点医药机构).
NOUN_MAX = 16


def counted_noun(after: str, unit: str | None) -> tuple[str, int] | None:
    """The indicator whose label the words right after a count start with, and the
    label's end (125家|定点医药机构), or None; punctuation first means there is none."""
    best: tuple[str, int] | None = None
    for label, name in labels_by_first("ind").get(after[:1], ()):
        if after.startswith(label) and (unit is None or unit_fits(name, unit)) \
                and (best is None or len(label) > best[1]):
            best = (name, len(label))
    return best


def stock_or_action(text: str, sent: Sentence, group: Sequence[Quantity], j: int,
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
    before = raw.rstrip(TRIM)
    whole = False
    for d in deixis:
        if before.endswith(d):
            before, whole = before[: -len(d)], True
            break
    governed = before.endswith(observation_words().get("object_marker", ()))
    k = j
    while True:
        q = group[k]
        stop = group[k + 1].start if k + 1 < len(group) else None
        after = words_after(text, sent, q, stop)
        found = counted_noun(text[q.end:q.end + NOUN_MAX], unit)
        tail = _APPOSITION.sub("", after[found[1]:] if found else after, count=1)
        tail = tail.strip(TRIM)
        if stop is not None and (not tail or tail in observation_words().get("list_joiner", ())):
            k += 1
            continue
        break
    if (not tail and not governed) or tail.startswith(observation_words().get("whole_word", ())):
        return noun
    scope = tail if tail else text[q.end:sent.end]
    # 暂停2家定点医疗机构医保协议: the verb before the count and the words after the noun
    action = (find_label("ind", scope, unit, skip=stock_indicators())
              or find_label("ind", verb + tail, unit, skip=stock_indicators()))
    if action is None:
        return noun if whole else None
    return action


def total_of(text: str, sent: Sentence, q: Quantity,
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
    start = clause_start(sent, q.start)
    if start <= sent.start:
        return None
    return text[clause_start(sent, start - 1):start].strip(TRIM) or None


def drop_joiner(words: str) -> str:
    """Words without the list joiner they end with (药品和 → 药品)."""
    for w in observation_words().get("list_joiner", ()):
        if words.endswith(w) and len(words) > len(w):
            return words[: -len(w)]
    return words


#: A bracketed apposition right after a noun: 定点医药机构(含村卫生室).
_APPOSITION = re.compile(r"^\s*[（(][^）)]{0,30}[）)]")


def _open_bracket(s: str) -> int:
    """Where the last bracket of ``s`` left open starts, or -1."""
    stack: list[int] = []
    for k, ch in enumerate(s):
        if ch in "(（":
            stack.append(k)
        elif ch in ")）" and stack:
            stack.pop()
    return stack[-1] if stack else -1


def breakdown_parent(text: str, sent: Sentence, q: Quantity,
                      earlier: Sequence[ObservationMention],
                      previous: Sequence[ObservationMention] = (),
                      indicator: str | None = None) -> ObservationMention | None:
    """The total a number breaks down (处理93家，其中定点医疗机构36家，零售药店57家):
    the last number of the same unit before a 其中 of its sentence, with no ；
    between the 其中 and the number; for a sentence that opens with 其中, the last number
    of the same unit in the sentence before (``previous``: 基金支出5128万元。其中统筹
    基金支出3260万元…), the one of the part's own indicator when that sentence holds several
    (总收入…，总支出…。其中，职工…总收入…); a change (同比增长2.3%) breaks down no total
    of another sentence."""
    before = text[sent.start:q.start]
    words = observation_words().get("breakdown", ("其中",))
    cut = max((before.rfind(w) for w in words if w in before), default=-1)
    if cut < 0 or any(c in before[cut:] for c in "；;"):
        return None
    pos = sent.start + cut
    opened = _open_bracket(before[cut:])
    if opened >= 0:
        # 财政补贴收入412万元(包括…收入11万元), 救助对象9260人(包含低保对象6120人…): a note
        # on a part breaks down that part, not the total
        pos, previous = sent.start + cut + opened, ()
    candidates = [o for o in reversed(earlier) if o.end <= pos and o.sentence == sent]
    if not candidates and previous and not before[:cut].strip(TRIM) and not q.direction:
        family = UNIT_FAMILY.get(q.unit, q.unit)
        same = [o for o in reversed(previous) if UNIT_FAMILY.get(o.unit, o.unit) == family]
        own = [o for o in same if o.indicator == indicator and indicator != "Other"]
        candidates = own[:1] if own else same[:1] if len(same) == 1 else []
    for o in candidates:
        return o if UNIT_FAMILY.get(o.unit, o.unit) == UNIT_FAMILY.get(
            q.unit, q.unit) and o.value_type == "Level" else None
    return None


def breakdown_indicator(parent: ObservationMention, own: tuple[str, int] | None,
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
    if (own is None or own[0] == top or own[0] in stock_indicators()) \
            and any(w in measure for w in subtype_words().get(top, ())):
        return None  # 其中约谈80家 under 处理120家: one kind of it, with no concept
    if own is not None and own[0] != top:
        if own[0] in narrower().get(top, ()) or top == "Other":
            return own
        if own[0] in stock_indicators() and top not in stock_indicators():
            return (top, own[1])
        return own
    if own is not None:
        return own
    for name in narrower().get(top, ()):
        if measure and any(measure in label for label in concept_labels(name)):
            return (name, 0)
    return None if top == "Other" else (top, 0)


def ends_with_new(raw: str) -> bool:
    s = raw.rstrip(TRIM)
    return s.endswith(observation_words().get("new", ()))


class Places:
    """The report's region mentions, by where they start."""

    def __init__(self, regions: Sequence[RegionMention],
                 of_bodies: Sequence[RegionMention] = ()) -> None:
        self.regions = sorted(regions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.regions]
        self.of_bodies = {(m.start, m.end) for m in of_bodies}

    def first_in(self, start: int, end: int) -> RegionMention | None:
        """The region in subject position of ``[start, end)``: the first one named.

        Deixis counts (全州参保人员在张掖地区… is about 全州), except national
        references (国家组织…, 全国), which qualify programs rather than places. A
        region naming a body that acts on another region named after it gives way
        to that one (按照自贡市医保局核定的我县参保人数为…: 我县).
        """
        found: RegionMention | None = None
        for k in range(bisect.bisect_left(self.starts, start), len(self.regions)):
            m = self.regions[k]
            if m.start >= end:
                break
            if m.end <= end and m.deictic != "国":
                if found is None:
                    found = m
                if (m.start, m.end) not in self.of_bodies:
                    return m
        return found

    def at(self, start: int) -> RegionMention | None:
        """A region named from ``start`` that is not a deictic word."""
        for k in range(bisect.bisect_left(self.starts, start), len(self.regions)):
            m = self.regions[k]
            if m.start != start:
                break
            if m.deictic is None:
                return m
        return None


def subject_of(cache: list[RegionMention | None], text: str, sent: Sentence,
                places: Places, times: Sequence[TimeRef],
                time_starts: Sequence[int]) -> RegionMention | None:
    """The sentence's subject region (:func:`_sentence_subject`), found once."""
    if not cache:
        cache.append(_sentence_subject(text, sent, places, times, time_starts))
    return cache[0]


def _sentence_subject(text: str, sent: Sentence, places: Places,
                      times: Sequence[TimeRef],
                      time_starts: Sequence[int]) -> RegionMention | None:
    """A region that opens the sentence's first clause after any time (霞山区参加…;
    截至5月底，甘南州…): the subject of its later clauses that name no place."""
    start = sent.start
    while True:
        m = CLAUSE_BREAK.search(text, start, sent.end)
        end = m.start() if m else sent.end
        words = text[start:end].strip(TRIM)
        k = bisect.bisect_left(time_starts, start)
        if words and any(t.text.strip(TRIM) == words
                         for t in times[k:bisect.bisect_left(time_starts, end)]):
            if not m:
                return None
            start = m.end()
            continue
        break
    if any(w in text[start:end] for w in observation_words().get("partner_word", ())):
        return None  # 青海省医保局与海北州…: two parties, no one subject
    lead = len(text[start:end]) - len(text[start:end].lstrip(TRIM))
    return places.at(start + lead)


# ---------------------------------------------------------------------------
# The fields of one number: a context, one resolver per field, the rules in one table
# ---------------------------------------------------------------------------


@dataclass
class Context:
    """What the numbers of one sentence share: the report's frame and the text around them.

    ``plan_year``: the sentence lies in a section of goals for that year;
    ``tasks_of``: it lies in a plan's tasks, whose numbers with no time are goals
    for that horizon year; ``default``: the period of numbers with no time of
    their own (the report's, when finer than a year). ``earlier`` holds the
    sentence's observations made so far; ``last_measure``/``last_indicator`` the
    last measure that was not generic, and its indicator.
    """

    document: Document
    sent: Sentence
    quantities: Sequence[Quantity]
    deixis: Sequence[str]
    times: Sequence[TimeRef]
    time_starts: Sequence[int]
    places: Places
    report_year: int | None
    written_year: int | None = None
    plan: bool = False
    default: TimeRef | None = None
    plan_year: int | None = None
    tasks_of: int | None = None
    scopes: Scopes = field(default_factory=lambda: Scopes(()))
    labels: SentenceLabels | None = None
    earlier: list[ObservationMention] = field(default_factory=list)
    previous: Sequence[ObservationMention] = ()  # the numbers of the sentence just before
    last_measure: str = ""
    last_indicator: str = "Other"
    subject: list[RegionMention | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text


@dataclass
class Number:
    """One number of a sentence: what its fields are read from, and the fields as the
    resolvers fill them in (in the order of :data:`FIELDS`).

    ``raw`` are the words from the previous number of its clause (or the clause's
    start) up to it, ``after`` the words after it up to the next number or the
    clause's end, ``assigned`` its member of a 分别 list (measure, scheme).
    """

    ctx: Context
    q: Quantity
    clause_start: int
    group: Sequence[Quantity]
    j: int
    raw: str
    after: str
    assigned: tuple[str, str | None] | None = None
    # filled in by the resolvers
    measure: str = ""
    total: str | None = None  # 共计 with no measure of its own: what it adds up ("": a sum)
    borrowed: bool = False  # the measure was completed with the one before it
    noun_after: bool = False  # the measure is the counted noun written after the number
    unit: str = ""
    fit: str | None = None  # the unit an indicator must fit (None: any)
    indicator: tuple[str, int] | None = None
    noun: tuple[str, int] | None = None  # the stock counted right after the number
    stock: bool = False  # the indicator was read from the stock after the number
    parent: ObservationMention | None = None
    insurance: str | None = None
    program: str | None = None
    value: Decimal = Decimal(0)
    max_value: Decimal | None = None
    value_type: str = "Level"
    time: TimeRef | None = None
    status: str = "Actual"
    status_by: str = ""  # the rule that set the status
    place: RegionMention | None = None

    @property
    def text(self) -> str:
        return self.ctx.document.text

    @property
    def clause_before(self) -> str:
        return self.text[self.clause_start:self.q.start]


class _Keep:
    """A rule's answer that leaves the field as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass(frozen=True)
class Rule:
    """One rule of the observation grammar: the field it resolves, its name, what it
    says (with an example of the genre), and the function that applies it to a
    :class:`Number` (returning the field's new value, or :data:`KEEP`)."""

    field: str
    name: str
    says: str
    apply: Callable[[Number], object]


def _indicator_name(n: Number) -> str:
    return n.indicator[0] if n.indicator else "Other"


# --- measure --------------------------------------------------------------------------


def _measure_of_list(n: Number) -> object:
    return n.assigned[0] if n.assigned is not None else KEEP


def _measure_before(n: Number) -> object:
    if n.assigned is not None:
        return KEEP
    raw = n.raw
    for word in observation_words().get("respectively", ()):
        raw = raw.split(word)[0]  # 分别: what follows it belongs to the list's members
    if n.q.unit in COUNT_UNITS and _noun(n.after) and raw.rstrip(TRIM).endswith(
            observation_words().get("object_marker", ())) and counted_noun(
            n.after, None) is None and not n.q.direction:
        # 全市各级医疗保障部门为197691名建档立卡贫困人员做好参保缴费: the count is of the
        # people after it, not of the bodies before 为 (a count of a stock: see the stock rule)
        return drop_joiner(n.after)
    raw = _timeless(n, raw)
    if from_to(n) == "from":
        raw = _opening(raw)[1]
    measure = strip_measure(raw, n.ctx.deixis)
    after = _noun(_noun_after(n))
    if after and _says_nothing(n, raw, measure, after):
        # the words before name another number's noun (定点医药机构、|28416家…): its
        # label is none of this number's; a bare joiner (130元和|320元两档) leaves it
        n.noun_after = bool(_noun(drop_joiner(raw.strip(TRIM))))
        return after
    return measure


def _noun(after: str) -> str:
    """The counted noun of the words after a count: up to what is said of it (171家定点
    零售药店已完成贯标 → 定点零售药店), nothing when only a list joiner stands there
    (享受人次为3044人次和216044人次: no noun between the two numbers)."""
    words = observation_words()
    if after.strip(TRIM) in words.get("list_joiner", ()):
        return ""
    cuts = [k for w in (*words.get("predicate_word", ()), *words.get("whole_word", ()))
            if (k := after.find(w)) > 0]
    return after[:min(cuts)] if cuts else after


def _noun_after(n: Number) -> str:
    """The words after ``n`` that its count may be of: its own, or, for a number written
    right before another (42批次52类医用耗材), those after the last of them."""
    k = n.j
    while True:
        q = n.group[k]
        stop = n.group[k + 1].start if k + 1 < len(n.group) else None
        after = words_after(n.text, n.ctx.sent, q, stop)
        if after or stop is None or n.text[q.end:stop].strip():
            return drop_joiner(after)
        k += 1


def _says_nothing(n: Number, raw: str, measure: str, after: str) -> bool:
    """Whether the words before a number name nothing it measures while the words after
    it do: they belong to the number before it (801种药品和|42批次…), end in a modal
    (原则上应|在10个工作日…), or, for a count, hold no label while the words after
    do (配合市局抓好|28个批次药品集中带量采购) and no label spans the number."""
    words = observation_words()
    joiners = tuple(words.get("list_joiner", ()))
    if n.j > 0 and raw.rstrip(" \t\u3000").endswith(joiners):
        return True
    if n.q.unit in COUNT_UNITS and n.j + 1 < len(n.group) and words_after(
            n.text, n.ctx.sent, n.q, n.group[n.j + 1].start).endswith(joiners):
        return True  # 46个乡镇和12个社区服务站: a list of counts, each of its noun
    if measure.endswith(tuple(words.get("modal_word", ()))):
        return True
    if n.q.unit in COUNT_UNITS and measure.endswith(tuple(words.get("object_verb", ()))):
        return True  # 配合做好|12个批次医用耗材采购工作
    if n.q.unit not in COUNT_UNITS or not measure:
        return False
    labels = ("ind", "prog")
    if any(pos < len(measure) for s in labels
           for _, pos, _ in occurrences(s, measure + after).values()):
        return False  # 暂停|2家|定点医疗机构医保协议: a label around the number (暂停…协议)
    return any(occurrences(s, after) for s in labels)


def _timeless(n: Number, raw: str) -> str:
    """``raw`` (the words before ``n``) without a time written at its start (2018年共查处…)
    or at its end (…可支付月数由“十二五”末的1个月): a time is no part of a measure."""
    start = n.q.start - len(raw)
    for t in n.ctx.times:
        if t.end <= start or t.start >= n.q.start:
            continue
        if t.start < start or t.end > n.q.start:
            continue
        if not n.text[t.end:n.q.start].strip(TRIM + "的"):
            return raw[: t.start - start]
        if not n.text[start:t.start].strip(TRIM):
            return raw[t.end - start:]
    return raw


def _measure_of_total(n: Number) -> object:
    if n.assigned is not None or n.measure or n.raw != n.clause_before \
            or not has_word("total_word", n.raw):
        return KEEP
    n.total = total_of(n.text, n.ctx.sent, n.q, n.ctx.earlier)
    return (n.total or n.raw.strip(TRIM)) if n.total is not None else ""


def _measure_after(n: Number) -> object:
    if n.assigned is not None or n.measure or n.total is not None or not n.after \
            or n.q.unit not in COUNT_UNITS or n.q.direction:
        return KEEP
    return drop_joiner(n.after)


def from_to(n: Number) -> str | None:
    """``from`` for the first number of a change written as its two levels (职工医保门诊
    最高支付限额由5500元提高至7500元; 从均价1.3万元左右下降至700元左右), ``to`` for the
    second, else None. The words are the lexicon's: ``from_word`` right before the first
    (after ``from_lead`` words such as 均价), a ``to_verb`` (提高至, 调至, 下降到) between."""
    words = observation_words()

    def opens(raw: str) -> bool:
        start = n.q.start - len(raw)
        if any(t.cue == "from" and t.start >= start and
               not n.text[t.end:n.q.start].strip(TRIM + "的") for t in n.ctx.times):
            return True  # 由“十二五”末的1个月: a from-time opens it too
        return _opening(raw)[0]

    def joins(between: str) -> bool:
        between = between.strip(TRIM)  # 左右 after a number is part of it
        return between.endswith(tuple(words.get("to_verb", ()))) and len(between) <= 8

    if n.j + 1 < len(n.group) and opens(n.raw) and joins(n.after):
        return "from"
    if n.j > 0 and joins(_timeless(n, n.raw)):
        prev = n.group[n.j - 1]
        start = n.clause_start if n.j == 1 else n.group[n.j - 2].end
        before = n.text[start:prev.start]
        if _opening(before)[0] or any(t.cue == "from" and start <= t.start and not n.text[
                t.end:prev.start].strip(TRIM + "的") for t in n.ctx.times):
            return "to"
    return None


def _opening(raw: str) -> tuple[bool, str]:
    """Whether ``raw`` ends with a from-word (由, 从均价), and ``raw`` without it."""
    words = observation_words()
    froms = words.get("from_word", ())
    s = raw.rstrip(TRIM)
    for w in sorted(words.get("from_lead", ()), key=len, reverse=True):
        if s.endswith(w):
            s = s[: -len(w)]
            break
    for w in froms:
        if s.endswith(w):
            return True, s[: -len(w)]
    return False, raw


def _measure_to(n: Number) -> object:
    if n.assigned is not None or from_to(n) != "to" or not n.ctx.earlier:
        return KEEP
    return n.ctx.earlier[-1].measure  # the measure of the level it changed from


def _measure_generic(n: Number) -> object:
    if n.assigned is not None or not is_generic(n.measure) or not n.ctx.last_measure \
            or n.total is not None:
        return KEEP
    n.borrowed = True
    return n.ctx.last_measure + n.measure


def _measure_fallback(n: Number) -> object:
    if n.measure:
        return KEEP
    return ((n.after if n.after and n.q.unit in COUNT_UNITS else "") or n.ctx.last_measure
            or n.clause_before.strip(TRIM) or n.q.text)


# --- unit -----------------------------------------------------------------------------


def _unit_written(n: Number) -> object:
    return n.q.unit or unit_from_measure(n.measure)


def _unit_to_fit(n: Number) -> object:
    # a change in percent may be of any indicator (参保人数同比增长3.2%); one in
    # percentage points only of a rate
    n.fit = None if n.q.direction and n.unit == "Percent" else n.unit
    return KEEP


# --- indicator ------------------------------------------------------------------------


def _ind_in_measure(n: Number) -> object:
    return find_label("ind", n.measure, n.fit) or KEEP


def _ind_around(n: Number) -> object:
    if n.indicator is not None:
        return KEEP
    text = n.measure + n.q.unit_text + n.after
    hit = find_label("ind", text, n.fit)
    if hit is None:
        return KEEP
    found = occurrences("ind", text)
    around = [(length, name, pos + length) for label, (name, pos, length) in found.items()
              if "…" in label and pos < len(n.measure) < pos + length
              and (n.fit is None or unit_fits(name, n.fit))]
    if around:  # 资助|4.36万人|参加城乡居民医保: the words around the number say what it counts
        _, name, end = max(around)
        return (name, end)
    spans = [(pos, "…" in label) for label, (name, pos, length) in found.items()
             if name == hit[0] and pos + length == hit[1]]
    start, gapped = min(spans, default=(0, False))
    if start < len(n.measure) < hit[1] and not gapped \
            and not n.q.unit_text.startswith(text[start:hit[1]]):
        # 新增“双通道”单独支付药品34种: 药品|种 is no 品种 (a label across the number; a
        # gap label, 资助…参加, is written around it)
        return KEEP
    return hit


def _ind_rate_of_count(n: Number) -> object:
    if n.indicator is not None or n.fit != "Percent":
        return KEEP
    # the count's label right before the number (…基本医保参保|100%) or right after it
    # (100%|参保); one inside the measure (参加职工医保缴费比例) is no rate of it
    ends = [name for name, pos, length in occurrences("ind", n.measure).values()
            if pos + length == len(n.measure)]
    starts = [name for name, pos, _ in occurrences("ind", n.after).values() if pos == 0]
    for name in ends + starts:
        if name in rates_of():
            return (rates_of()[name], len(n.measure))
    return KEEP


def _ind_in_clause(n: Number) -> object:
    if n.indicator is not None or n.noun_after:
        return KEEP  # 1260家定点医药机构、28416家参保企业: the clause's label is the other's
    return find_label("ind", n.clause_before, n.fit, nearest=True) or KEEP


def _ind_of_total(n: Number) -> object:
    if n.total is None:
        return KEEP
    return find_label("ind", n.total, n.fit, nearest=True) if n.total else None


def _ind_stock_or_action(n: Number) -> object:
    if n.q.unit not in COUNT_UNITS:
        return KEEP
    n.noun = counted_noun(n.text[n.q.end:n.q.end + NOUN_MAX], n.fit)
    hit = n.indicator
    if n.noun is None or n.noun[0] not in stock_indicators() or not (
            hit is None or hit[0] == n.noun[0] or hit[0] in stock_indicators()):
        return KEEP
    n.stock = True
    return stock_or_action(n.text, n.ctx.sent, n.group, n.j, n.noun, n.raw, n.ctx.deixis,
                           n.fit, n.measure)


def _ind_event_on_stock(n: Number) -> object:
    hit = n.indicator
    if n.stock or not hit or hit[0] not in stock_indicators() \
            or not has_word("flow_word", n.raw):
        return KEEP
    n.stock = True  # the rule below does not apply
    return None


def _ind_action_on_stock(n: Number) -> object:
    hit = n.indicator
    if n.stock or not hit or hit[0] not in stock_indicators():
        return KEEP
    return find_label("ind", n.measure, n.fit, skip=stock_indicators()) or hit


def _ind_breakdown(n: Number) -> object:
    n.parent = breakdown_parent(n.text, n.ctx.sent, n.q, n.ctx.earlier, n.ctx.previous,
                                _indicator_name(n))
    if n.parent is None:
        return KEEP
    return breakdown_indicator(n.parent, find_label("ind", n.measure, n.fit), n.measure)


#: A per-person amount is under this many yuan; more is a total (其中个人缴纳1938万元).
PER_CAPITA_MAX = 10_000


def _ind_per_capita(n: Number) -> object:
    hit = n.indicator
    if hit is None or hit[0] not in observation_words().get("per_capita_indicator", ()) \
            or n.unit != "Yuan" or abs(n.q.value) < PER_CAPITA_MAX \
            or has_word("per_capita_word", n.measure + n.after):
        return KEEP
    # 财政补贴收入412万元, 其中个人缴纳1938万元: a fund's revenue, not a per-person amount
    if n.parent is not None and n.parent.indicator != hit[0]:
        return (n.parent.indicator, hit[1]) if n.parent.indicator != "Other" else None
    skip = frozenset(observation_words().get("per_capita_indicator", ()))
    return find_label("ind", n.measure, n.fit, skip=skip)


def _ind_not_with(n: Number) -> object:
    hit = n.indicator
    if hit is not None and any(w in n.measure for w in not_with().get(hit[0], ())):
        return None
    return KEEP


def _ind_borrowed(n: Number) -> object:
    last = n.ctx.last_indicator
    if n.indicator is None and n.borrowed and last != "Other" and (
            n.fit is None or unit_fits(last, n.fit)):
        return (last, 0)
    return KEEP


def _ind_of_scope(n: Number) -> object:
    if n.indicator is not None:
        return KEEP
    name = n.ctx.scopes.first(n.q.start, "indicator")
    if isinstance(name, str) and (n.fit is None or unit_fits(name, n.fit)):
        return (name, 0)
    return KEEP


def _ind_program(n: Number) -> object:
    if n.indicator is not None:
        return KEEP
    clause = n.measure + "|" + n.clause_before + words_after(n.text, n.ctx.sent, n.q)
    if n.unit == "Percent" and n.measure.startswith(observation_words().get("share_word", ())):
        # 全面推开DRG/DIP付费…，占开展住院服务医疗机构总数的54.22%: a share of the sentence's
        clause += "|" + n.text[n.ctx.sent.start:n.clause_start]
    return program_indicator(clause, n.unit) or KEEP


# --- insurance ------------------------------------------------------------------------


def _ins_own(n: Number) -> object:
    if has_word("all_schemes_word", n.measure):
        return "Basic"  # 总体参保率: every scheme together
    hit = measure_scheme(n.measure) or _labels(n).nearest("ins", n.clause_start, n.q.start)
    return hit[0] if hit else None


def _ins_sentence(n: Number) -> object:
    name = _indicator_name(n)
    if n.insurance is not None or name in observation_words().get("scheme_free_indicator", ()):
        return KEEP
    sent = n.ctx.sent
    end = n.q.start
    if name in observation_words().get("all_schemes_indicator", ()):
        # 全市参保人数594.8万人，其中职工医保…，居民医保…，参保率达95.1%: after the parts
        # of a total, a total's kind of number is the total's, not the last part's scheme
        # (a 其中 before a semicolon closed its own list: …其中医疗机构275家；…当期结余)
        before = n.text[sent.start:n.q.start]
        closed = max(before.rfind("；"), before.rfind(";"))
        cut = max((before.rfind(w) for w in observation_words().get("breakdown", ("其中",))),
                  default=-1)
        if cut > max(closed, 0) and before[:cut].strip(TRIM):
            end = sent.start + cut
    hit = _labels(n).nearest("ins", sent.start, end) or find_label(
        "ins", unnoted(line_before(n.text, sent.start)), nearest=True)
    if hit and n.parent is not None and n.parent.insurance and hit[0] != n.parent.insurance \
            and hit[0] not in narrower_schemes().get(n.parent.insurance, ()) \
            and n.parent.end <= sent.start + hit[1] \
            and any(sent.start + hit[1] <= q.start < n.q.start for q in n.ctx.quantities):
        # 职工医保基金支出5128万元，其中…公务员医疗补助支出96万元，上解上级支出256万元: a part
        # naming no scheme is of its total's, not of another scheme a part before it named
        # (a narrower one heads a list of its own: 基本…总收入，其中职工…总收入，总支出)
        return n.parent.insurance
    if hit:
        return hit[0]
    return n.ctx.scopes.first(n.q.start, "scheme") or KEEP


def _ins_scope_narrows(n: Number) -> object:
    if n.insurance != "Basic" or (n.assigned is not None and n.assigned[1]):
        return KEEP
    scheme = n.ctx.scopes.first(n.q.start, "scheme")
    if isinstance(scheme, str) and scheme in narrower_schemes().get("Basic", ()):
        return scheme  # 基本医疗保险费收入 under （一）职工医保: the employees' scheme
    return KEEP


def _ins_of_list(n: Number) -> object:
    if n.assigned is not None and n.assigned[1]:
        return n.assigned[1]
    return KEEP


def _ins_of_indicator(n: Number) -> object:
    own = indicator_schemes().get(_indicator_name(n))
    if own is None or (n.assigned is not None and n.assigned[1]):
        return KEEP
    return own


def _ind_of_scheme(n: Number) -> object:
    narrow = scheme_indicators().get((_indicator_name(n), n.insurance or ""))
    if narrow is None or n.indicator is None:
        return KEEP
    return (narrow, n.indicator[1])


def _ins_all_schemes(n: Number) -> object:
    if n.insurance is None and _indicator_name(n) in observation_words().get(
            "all_schemes_indicator", ()) and not subgroup(n):
        return "Basic"
    return KEEP


def subgroup(n: Number) -> bool:
    """Whether the number counts a part of the population (建档立卡贫困人员, 退休人员): its
    measure names one, or — for a rate written without its subject (…贫困人员做好参保缴费
    工作，参保率达100%) — its sentence does before it."""
    if has_word("subgroup_word", n.measure):
        return True
    return n.unit == "Percent" and has_word(
        "subgroup_word", n.text[n.ctx.sent.start:n.clause_start])


def _labels(n: Number) -> SentenceLabels:
    if n.ctx.labels is None:
        n.ctx.labels = SentenceLabels(n.text, n.ctx.sent)
    return n.ctx.labels


# --- program --------------------------------------------------------------------------


def _program(n: Number) -> object:
    hit = find_label("prog", n.measure) or _labels(n).nearest("prog", n.ctx.sent.start, n.q.start)
    return hit[0] if hit else None


# --- value ----------------------------------------------------------------------------


def _value_written(n: Number) -> object:
    n.max_value = n.q.max_value
    return n.q.value


def _value_change(n: Number) -> object:
    q = n.q
    if q.direction and _indicator_name(n) not in observation_words().get(
            "reduction_indicator", ()):
        if q.direction == "down":  # 下降3%-5%: from -5 to -3
            top = n.max_value
            n.value, n.max_value = (-n.value, None) if top is None else (-top, -n.value)
        return "Change"
    if n.unit == "PercentagePoint" or ends_with_new(n.raw):
        return "Change"
    return KEEP


# --- time, status, period -------------------------------------------------------------


def _time_written(n: Number) -> object:
    c = n.ctx
    return period_for(n.text, c.sent, n.q, c.times, c.time_starts, c.quantities,
                      change=n.value_type == "Change")


def _clause_text(n: Number) -> str:
    return n.text[n.clause_start:n.q.end]


def _status_estimate(n: Number) -> object:
    return "Estimate" if has_word("estimate", _clause_text(n)) else KEEP


def _status_goal_words(n: Number) -> object:
    if n.status != "Actual":
        return KEEP
    if has_word("target", _clause_text(n)) or has_word(
            "target_lead", n.text[n.ctx.sent.start:n.q.start]):
        return "Target"
    return KEEP


def _status_deadline(n: Number) -> object:
    t, written = n.time, n.ctx.written_year
    if n.status == "Actual" and t is not None and t.cue == "by" and (
            written is None or int(t.period[:4]) > written
            or (int(t.period[:4]) == written and t.text.endswith("前"))):
        return "Target"  # 到2025年; 2022年底前 in a report of 2022
    return KEEP


def _status_plan_later_year(n: Number) -> object:
    t, written = n.time, n.ctx.written_year
    if n.status == "Actual" and n.ctx.plan and t is not None and t.cue != "until" \
            and written is not None and int(t.period[:4]) > written:
        return "Target"
    return KEEP


def _status_plan_tasks(n: Number) -> object:
    if n.ctx.tasks_of is not None and n.time is None and n.status == "Actual":
        return "Target"
    return KEEP


def _status_goal_section(n: Number) -> object:
    c, t = n.ctx, n.time
    if c.tasks_of is None and c.plan_year is not None and n.status == "Actual" and (
            t is None or int(t.period[:4]) < c.plan_year):
        return "Target"
    return KEEP


def _period_plan_tasks(n: Number) -> object:
    if n.status_by == "plan tasks":
        return TimeRef(n.q.start, n.q.start, "", str(n.ctx.tasks_of))
    return KEEP


def _period_goal_section(n: Number) -> object:
    c, t = n.ctx, n.time
    if c.tasks_of is None and c.plan_year is not None and (
            t is None or int(t.period[:4]) < c.plan_year):
        return TimeRef(n.q.start, n.q.start, "", str(c.plan_year))
    return KEEP


def _period_goal_deadline(n: Number) -> object:
    if n.time is None and n.status == "Target":
        return deadline_before(n.ctx.times, n.ctx.time_starts, n.q.start) or KEEP
    return KEEP


def _period_of_scope(n: Number) -> object:
    if n.time is not None or n.status != "Actual":
        return KEEP
    for s in n.ctx.scopes.chain(n.q.start):
        if s.period is not None and s.status != "Target":
            return s.period
    return KEEP


def _period_from(n: Number) -> object:
    t = n.time
    if t is None or t.period_start is None or from_to(n) != "from":
        return KEEP
    start = t.period_start[:4]
    if is_plan_period(t.text):
        start = str(int(start) - 1)  # a five-year plan's base is the last year of the one before
    return TimeRef(t.start, t.end, t.text, start, None, "from")


def _period_of_report(n: Number) -> object:
    t, default = n.time, n.ctx.default
    if default is not None and t is not None and t.cue == "since" and t.period_start \
            and default.period.startswith(t.period) and len(default.period) > len(t.period):
        # 2019年以来… in a report up to 2020年8月: from 2019 to 2020-08
        return TimeRef(t.start, t.end, t.text, default.period, t.period_start, t.cue)
    if default is not None and n.status == "Actual" and (
            t is None or (t.period == default.period[:4] and t.cue is None and (
                not t.text[:1].isdigit() or len(default.period) == 7))):
        return default
    return KEEP


# --- place ----------------------------------------------------------------------------


def _place_in_clause(n: Number) -> object:
    return n.ctx.places.first_in(n.clause_start, n.q.start) or KEEP


def _place_subject(n: Number) -> object:
    if n.place is not None:
        return KEEP
    c = n.ctx
    return subject_of(c.subject, n.text, c.sent, c.places, c.times, c.time_starts) or KEEP


def _place_of_scope(n: Number) -> object:
    if n.place is not None:
        return KEEP
    return n.ctx.scopes.first(n.q.start, "place") or KEEP


#: The fields of a number, in the order they are resolved (a field's rules may read the
#: fields resolved before it). ``time`` is the time the sentence writes for the number,
#: ``status`` then ``period`` the goal status and the final time.
FIELDS = ("measure", "unit", "indicator", "insurance", "program", "value", "value_type",
          "time", "status", "period", "place")

#: The observation grammar: every rule of every field, in the order it is applied. A
#: rule returns the field's new value or KEEP; later rules see what earlier ones decided.
RULES: tuple[Rule, ...] = (
    Rule("measure", "list member", "分别 lists: the member of the list before 分别 aligned "
         "with the number (职工医保和居民医保…分别达87.46%和76.32%)", _measure_of_list),
    Rule("measure", "words before", "the words of its clause before it, link verbs (达, 为) "
         "and lead words (其中, 一是) and deixis (全区) cut", _measure_before),
    Rule("measure", "from-to", "由5500元提高至7500元: the second level is of the measure of "
         "the first", _measure_to),
    Rule("measure", "total", "共计 with no measure: the sum of the numbers before it (no "
         "indicator), else the clause before's total (如数追回，共计9.12万元)", _measure_of_total),
    Rule("measure", "counted noun", "a count whose noun follows it (801种药品)", _measure_after),
    Rule("measure", "generic", "a generic measure (人数, 金额) or one that names only a "
         "scheme takes the measure before it (…，公务员补助7.2万元)", _measure_generic),
    Rule("measure", "fallback", "the counted noun after it, the measure before it, its "
         "clause, or the number itself", _measure_fallback),
    Rule("unit", "written", "the unit written with the number, else one its measure "
         "implies (参保人数达100.02万)", _unit_written),
    Rule("unit", "fit", "a change in percent may be of any indicator; the others must fit "
         "the indicator's canonical unit", _unit_to_fit),
    Rule("indicator", "label in measure", "the longest SKOS label in the measure, "
         "unit-compatible", _ind_in_measure),
    Rule("indicator", "label around", "… in the measure, the unit word and the words after "
         "it", _ind_around),
    Rule("indicator", "rate of a count", "a percent whose only label is of a count is its "
         "rate (低收入人口基本医保参保100% → CoverageRate)", _ind_rate_of_count),
    Rule("indicator", "label in clause", "the label ending last in its clause before it",
         _ind_in_clause),
    Rule("indicator", "total", "a total with no measure: the label of what it adds up; a "
         "sum has none", _ind_of_total),
    Rule("indicator", "stock or action", "308家定点医疗机构 counts the stock unless the "
         "words after it name an action (对12家定点医药机构开展检查)", _ind_stock_or_action),
    Rule("indicator", "event on a stock", "参保人员暂停参保13324人: an event on a stock is "
         "not the stock", _ind_event_on_stock),
    Rule("indicator", "action on a stock", "处理违规定点医药机构64家: the action done to the "
         "stock is measured", _ind_action_on_stock),
    Rule("indicator", "breakdown", "the parts after 其中 take the total's indicator or a "
         "narrower one their noun names (定点单位830家，其中医疗机构275家)", _ind_breakdown),
    Rule("indicator", "per person", "个人缴费, 人均财政补助 are per-person amounts: a total "
         "(财政补贴收入412万元; 其中个人缴纳1938万元) is the fund's revenue", _ind_per_capita),
    Rule("indicator", "ruled out", "a word of the measure rules the label out (普通门诊统筹"
         "报销比例 is not the inpatient rate)", _ind_not_with),
    Rule("indicator", "change of the last", "支付516万元，比去年同期下降4.6%: the change of "
         "what was measured before", _ind_borrowed),
    Rule("indicator", "program's count", "a program named in the clause gives its own kind "
         "of count (35个批次801种药品…集采)", _ind_program),
    Rule("indicator", "section", "the indicator its section's heading names (一、参保人数: "
         "城乡居民基本医疗保险412.36万人), unit-compatible", _ind_of_scope),
    Rule("insurance", "own scheme", "the scheme its measure names last (an inclusion "
         "note （含生育保险） is not the scheme), else its clause", _ins_own),
    Rule("insurance", "sentence, line or section", "people and money belong to the scheme "
         "the sentence, its line or its section names; inspections, designated institutions "
         "and procurement are not per scheme", _ins_sentence),
    Rule("insurance", "section narrows", "基本医疗保险费收入 under （一）职工医保: the section's "
         "narrower scheme", _ins_scope_narrows),
    Rule("insurance", "list member", "the scheme of its member of a 分别 list", _ins_of_list),
    Rule("insurance", "indicator's scheme", "资助参加基本医疗保险532.4万人: assistance is the "
         "assistance scheme's", _ins_of_indicator),
    Rule("insurance", "all schemes", "全市参保人数594.8万人: a total of every scheme is "
         "basic medical insurance", _ins_all_schemes),
    Rule("indicator", "scheme's own", "spending of the assistance fund (医疗救助基金支出) is "
         "assistance spending: the scheme's narrower indicator", _ind_of_scheme),
    Rule("program", "label", "the program its measure names, else the one named last in "
         "the sentence before it", _program),
    Rule("value", "written", "the number's value, normalised, with its sign; a range's "
         "lower bound", _value_written),
    Rule("value_type", "change", "同比增长/下降, 提高…个百分点, 新增: a change with its sign; "
         "an indicator that names a reduction (降幅) stays a level", _value_change),
    Rule("time", "written", "the time written last before it in its sentence (截至2023年12月, "
         "1-5月), or a 截至 time earlier on its line", _time_written),
    Rule("status", "estimate", "预计: an estimate", _status_estimate),
    Rule("status", "goal words", "力争/确保 and the rest of their sentence, 目标: a goal",
         _status_goal_words),
    Rule("status", "deadline", "到2025年 after the year the report was written: a goal",
         _status_deadline),
    Rule("status", "plan's later year", "in a plan, any later year: a goal",
         _status_plan_later_year),
    Rule("status", "plan tasks", "in a plan's tasks, a number with no time: a goal",
         _status_plan_tasks),
    Rule("status", "goal section", "in a section of next year's goals (二、2024年工作思路): "
         "a goal", _status_goal_section),
    Rule("period", "plan tasks", "a goal of a plan's tasks: the plan's horizon",
         _period_plan_tasks),
    Rule("period", "goal section", "in a section of goals: that section's year",
         _period_goal_section),
    Rule("period", "deadline", "a goal with no time: the last 到…年 written before it",
         _period_goal_deadline),
    Rule("period", "section", "no time of its own: the time its section's heading names "
         "(二、2023年度…, “十三五”成就)", _period_of_scope),
    Rule("period", "report's period", "no time of its own (or 今年/目前): the part of the "
         "year the report covers (2025年上半年工作情况, a quarterly release)", _period_of_report),
    Rule("period", "from level", "由13个月提高至27个月 over a span (2016年至2020年, "
         "“十三五”): the first level is of the span's first year (a five-year plan's: the "
         "year before it)", _period_from),
    Rule("place", "clause", "a region named in its clause before it (not one naming a body "
         "that acts on a region named after it: 按照自贡市医保局核定的我县…)", _place_in_clause),
    Rule("place", "subject", "the region that opens the sentence's first clause", _place_subject),
    Rule("place", "section", "the region its section's heading names", _place_of_scope),
)


def resolve(n: Number) -> Number:
    """Fill in the fields of ``n`` by the rules of :data:`RULES`, field by field."""
    for rule in RULES:
        value = rule.apply(n)
        if value is KEEP:
            continue
        if rule.field == "period":
            n.time = value  # type: ignore[assignment]
        elif rule.field == "value_type":
            n.value_type = value  # type: ignore[assignment]
        else:
            setattr(n, rule.field, value)
            if rule.field == "status":
                n.status_by = rule.name
    return n


def observation_of(n: Number) -> ObservationMention:
    """The record of a resolved number."""
    t, q = n.time, n.q
    period = t.period if t else (str(n.ctx.report_year) if n.ctx.report_year else None)
    return ObservationMention(
        value=n.value, unit=n.unit or "Other", measure=n.measure, indicator=_indicator_name(n),
        insurance=n.insurance, program=n.program, status=n.status,
        approximation=q.approximation, value_type=n.value_type,
        period=period, period_start=t.period_start if t else None,
        start=q.start, end=q.end, text=q.text, sentence=n.ctx.sent, place=n.place,
        max_value=n.max_value,
        part_of=None if n.parent is None else (n.parent.start, n.parent.end),
        subgroup=subgroup(n),
    )
