"""What one number measures, where, when and how sure: the grammar of its sentence.

Helpers of the observation extractor (:mod:`kg.extract.observations`) that read
a number's sentence: its period, the counted noun after it, a stock or the
action done to it, a total and its parts, the sentence's subject region.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from kg.base.records import ObservationMention, RegionMention, Sentence
from kg.extract.clauses import CLAUSE_BREAK
from kg.extract.labels import (
    TRIM,
    UNIT_FAMILY,
    concept_labels,
    find_label,
    labels_by_first,
    narrower,
    observation_words,
    stock_indicators,
    unit_fits,
)
from kg.extract.periods import TimeRef
from kg.extract.quantities import Quantity


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


def breakdown_parent(text: str, sent: Sentence, q: Quantity,
                      earlier: Sequence[ObservationMention]) -> ObservationMention | None:
    """The total a number breaks down (处理93家，其中定点医疗机构36家，零售药店57家):
    the last number of the same unit before a 其中 of its sentence, with no ；
    between the 其中 and the number."""
    before = text[sent.start:q.start]
    words = observation_words().get("breakdown", ("其中",))
    cut = max((before.rfind(w) for w in words if w in before), default=-1)
    if cut < 0 or any(c in before[cut:] for c in "；;"):
        return None
    pos = sent.start + cut
    for o in reversed(earlier):
        if o.end <= pos and o.sentence == sent:
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
