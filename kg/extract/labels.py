"""The ontology's words in a report's sentences: SKOS labels and the observation lexicon.

One place that reads, for the observation extractor, which concept a piece of
text names: the longest SKOS label of a scheme (``ind``, ``ins``, ``prog``)
found in it, unit-compatible for indicators (:func:`find_label`), every label
of a sentence at once (:class:`SentenceLabels`), the scheme named last
(:func:`last_scheme`), and the word lists of
``ontology/lexicon/observation_words.tsv`` (:func:`observation_words`,
:func:`has_word`). Labels come from the SKOS schemes of ``ontology/``; a gap
label (``skos:hiddenLabel "异地…结算"``) finds its parts with a few words between.

    >>> find_label("ind", "职工医保参保人数")
    ('InsuredPersons', 8)
    >>> last_scheme("城乡居民基本医疗保险基金")
    ('Resident', 10)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from kg.base.ontology import concepts, label_index
from kg.base.records import Sentence
from kg.base.resources import KindWords, lexicon, lexicon_words

#: Units that can stand for one another when checking an indicator's canonical unit.
#: Counts of different things do not (12份文件 is not a count of institutions).
UNIT_FAMILY = {
    "Person": "people", "PersonTime": "people",
    "Percent": "percent", "PercentagePoint": "percent",
    "Yuan": "money",
    "Institution": "Institution", "Item": "Item", "Case": "Case", "Batch": "Batch",
    "Day": "time", "Month": "time",
}  # fmt: skip


#: Characters trimmed from the ends of a measure.
TRIM = " \t\u3000、，,；;：:（(）)“”\"'—-·.。"


@functools.cache
def observation_words() -> KindWords:
    """The words of ``observation_words.tsv`` by kind, longest first (an undeclared kind
    raises: :func:`kg.base.resources.lexicon_words`)."""
    return lexicon_words("observation_words.tsv")


@functools.cache
def scheme_labels(scheme: str) -> tuple[tuple[str, str], ...]:
    """(label, concept) pairs of a scheme, longest label first."""
    return tuple(sorted(label_index(scheme).items(), key=lambda kv: (-len(kv[0]), kv[0])))


@functools.cache
def canonical_units() -> dict[str, str | None]:
    return {c.name: c.canonical_unit for c in concepts("ind")}


@functools.cache
def labels_by_first(scheme: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The scheme's (label, concept) pairs by the label's first character."""
    out: dict[str, list[tuple[str, str]]] = {}
    for label, name in scheme_labels(scheme):
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
    return re.compile("[" + "".join(re.escape(c) for c in sorted(labels_by_first(scheme))) + "]")


@functools.lru_cache(maxsize=2048)  # a sentence's numbers look at the same texts again
def occurrences(scheme: str, text: str) -> dict[str, tuple[str, int, int]]:
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
    the one-character labels by their character, each in :func:`labels_by_first` order."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    singles: dict[str, list[tuple[str, str]]] = {}
    for group in labels_by_first(scheme).values():
        for label, name in group:
            if len(label) > 1:
                pairs.setdefault(label[:2], []).append((label, name))
            else:
                singles.setdefault(label, []).append((label, name))
    return ({k: tuple(v) for k, v in pairs.items()}, {k: tuple(v) for k, v in singles.items()})


def find_label(scheme: str, text: str, unit: str | None = None,
                nearest: bool = False,
                skip: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """A concept whose label is in ``text`` (and where the label ends), or None.

    The longest label wins; with ``nearest`` the label ending last wins (the
    context closest to a number), then the longest. Concepts in ``skip`` are
    not looked for.
    """
    best: tuple[str, int] | None = None
    best_key = (-1, -1)
    for name, pos, length in occurrences(scheme, text).values():
        if name in skip:
            continue
        if unit is not None and scheme == "ind" and not unit_fits(name, unit):
            continue
        end = pos + length
        key = (end, length) if nearest else (length, end)
        if key > best_key:
            best, best_key = (name, end), key
    return best


def unit_fits(indicator: str, unit: str) -> bool:
    canonical = canonical_units().get(indicator)
    if canonical is None or not unit:
        return True
    return UNIT_FAMILY.get(canonical, canonical) == UNIT_FAMILY.get(unit, unit)


@functools.lru_cache(maxsize=64)
def _strip_words(deixis: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]],
                                                   tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The words :func:`strip_measure` takes off: link verbs at the end (by last
    character), lead words and the report's deixis at the start (by first character),
    each group in the order they are tried."""
    words = observation_words()
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


def strip_measure(text: str, deixis: Sequence[str]) -> str:
    s = text.strip(TRIM)
    tails, by_last, heads, by_first = _strip_words(tuple(deixis))
    changed = True
    while changed and s:
        changed = False
        if s.endswith(tails):  # one C-level test before looking for which word
            for w in by_last[s[-1]]:
                if s.endswith(w):
                    s, changed = s[: -len(w)].rstrip(TRIM), True
                    break
        if s and s.startswith(heads):
            for w in by_first[s[0]]:
                if s.startswith(w):
                    s, changed = s[len(w):].lstrip(TRIM), True
                    break
    return _unopened(s).strip(TRIM)


def _unopened(s: str) -> str:
    """``s`` from after a closing bracket whose opening one was cut away with the words
    before it (全区(含经开区)职工医保基金 → 职工医保基金), else ``s``.

        >>> _unopened("含经开区)职工医保基金(含生育)基金总收入"), _unopened("基金(含生育)收入")
        ('职工医保基金(含生育)基金总收入', '基金(含生育)收入')
    """
    depth = 0
    cut = -1
    for i, ch in enumerate(s):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                cut, depth = i, 0
    return s[cut + 1:] if cut >= 0 else s


def is_generic(measure: str) -> bool:
    """A measure that needs the one before it: empty, a generic word (人数, 金额), or
    only a scheme's name (统筹基金支出307万元，公务员补助7.2万元)."""
    if not measure or measure in observation_words().get("generic", ()):
        return True
    if comparison_pattern().fullmatch(measure):
        return True  # 比上年末增加41.2万人: the change of the measure before
    found = occurrences("ins", measure)
    if not found:
        return False
    rest = measure.replace(max(found, key=len), "", 1).strip(TRIM)
    return not rest or rest in observation_words().get("generic", ())


def last_scheme(text: str) -> tuple[str, int] | None:
    """The scheme named last in ``text``, each place read as its longest label
    (城乡居民基本医疗保险基金 is Resident, not the 基本医疗保险基金 inside it;
    统筹基金支出公务员补助大病保险 ends with 大病保险)."""
    spans = sorted(((pos, pos + length, name)
                    for name, pos, length in occurrences("ins", text).values()),
                   key=lambda x: (x[0], -x[1]))
    best: tuple[str, int] | None = None
    reach = -1
    for start, end, name in spans:
        if start < reach:
            continue  # inside or across a label read before it
        best, reach = (name, end), end
    return best


@functools.cache
def comparison_pattern() -> re.Pattern[str]:
    """比上年末增加, 较去年同期下降, 比2021年底减少, 较“十二五”末增加: a comparison and a
    change verb, no measure.

        >>> bool(comparison_pattern().fullmatch("比2021年底增加"))
        True
    """
    words = observation_words()
    bases = "|".join(map(re.escape, words.get("comparison_base", ())))
    comparators = "|".join(map(re.escape, words.get("comparator", ())))
    verbs = "|".join(map(re.escape, words.get("change_verb", ())))
    # a comparator with the time it compares with (比2021年底, 较“十二五”末, 相比上年)
    dated = rf"(?:{comparators})[^，,。；;、]{{0,10}}?(?:年|底|末|期|月|初)(?:相比|同期)?"
    return re.compile(rf"(?=.)(?:{bases}|{dated}|{comparators})?(?:{verbs})?")


def has_word(words_kind: str, text: str) -> bool:
    return _any_word(words_kind).search(text) is not None


@functools.cache
def _any_word(words_kind: str) -> re.Pattern[str]:
    """A pattern found in a text that holds any of the words of ``words_kind``."""
    words = observation_words().get(words_kind, ())
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!)")


#: Units of counted things, whose noun may follow the number (125家定点医药机构).
COUNT_UNITS = frozenset({"Institution", "Item", "Case", "Batch", "Person", "PersonTime"})


@functools.cache
def stock_indicators() -> frozenset[str]:
    return frozenset(observation_words().get("stock_indicator", ()))


def _rows(kind: str) -> tuple[tuple[str, ...], ...]:
    """The rows of one declared kind of ``observation_words.tsv`` (an undeclared kind
    raises: a mistyped name is an error, not an empty list)."""
    return lexicon("observation_words.tsv").rows(kind)


def _words_by_indicator(kind: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in _rows(kind):
        out.setdefault(r[2], []).append(r[1])
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def not_with() -> dict[str, tuple[str, ...]]:
    """Indicator → words that, in a measure, rule it out (``not_with`` rows)."""
    return _words_by_indicator("not_with")


@functools.cache
def subtype_words() -> dict[str, tuple[str, ...]]:
    """Indicator → words that make a part of its total a kind of it with no concept of
    its own (``subtype_word`` rows: 其中约谈80家 under 处理违规机构120家)."""
    return _words_by_indicator("subtype_word")


@functools.cache
def rates_of() -> dict[str, str]:
    """Count indicator → its rate (``rate_of`` rows: InsuredPersons → CoverageRate)."""
    return {r[1]: r[2] for r in _rows("rate_of")}


@functools.cache
def scheme_indicators() -> dict[tuple[str, str], str]:
    """(indicator, scheme) → the narrower indicator of that scheme (``scheme_indicator``
    rows: FundExpenditure of MedicalAssistance → MedicalAssistanceExpenditure)."""
    return {(r[1], r[2]): r[3] for r in _rows("scheme_indicator")}


@functools.cache
def future_words() -> tuple[str, ...]:
    """Words of a clause that says what will be done next (下一步, 拟, 计划于)."""
    return observation_words().get("future_word", ())


@functools.cache
def scheme_words() -> dict[str, str]:
    """Word → the scheme it names when it is a whole measure (``scheme_word`` rows: 职工, 居民)."""
    return {r[1]: r[2] for r in _rows("scheme_word")}


def measure_scheme(measure: str) -> tuple[str, int] | None:
    """The scheme a measure names: the last scheme label in it (an inclusion note
    （含生育保险） is not the scheme), else a short scheme word that is the whole measure
    (其中职工278.86万人 → 职工 → Employee).

        >>> measure_scheme("城乡居民基本医疗保险(含生育保险)"), measure_scheme("居民")
        (('Resident', 10), ('Resident', 2))
    """
    found = last_scheme(unnoted(measure))
    if found is None:
        # 生育(含生育医疗)保险: a note inside a scheme's name leaves the name whole
        found = last_scheme(INCLUDED.sub("", measure))
    if found is not None:
        return found
    word = measure.strip(TRIM)
    scheme = scheme_words().get(word)
    return (scheme, len(measure)) if scheme else None


@functools.cache
def indicator_schemes() -> dict[str, str]:
    """Indicator → the insurance scheme it always belongs to (``indicator_scheme`` rows)."""
    return {r[1]: r[2] for r in _rows("indicator_scheme")}


@functools.cache
def program_indicators() -> dict[tuple[str, str], str]:
    """(program, unit) → the indicator a number of that unit about the program counts."""
    return {(r[1], r[2]): r[3] for r in _rows("program_indicator")}


def program_indicator(clause: str, unit: str) -> tuple[str, int] | None:
    """The indicator implied by a program named in the number's clause, or None."""
    prog = find_label("prog", clause)
    if prog is None:
        return None
    name = program_indicators().get((prog[0], unit))
    return (name, prog[1]) if name else None


#: A bracketed note of what is included: （含生育保险）, (含经开区).
INCLUDED = re.compile(r"[（(]\s*(?:含|包含|包括)[^（）()]{0,20}[)）]")


def unnoted(text: str) -> str:
    """``text`` with its inclusion notes blanked (same length, offsets kept)."""
    return INCLUDED.sub(lambda m: " " * len(m.group(0)), text)


@functools.cache
def narrower() -> dict[str, tuple[str, ...]]:
    """Indicator → the indicators whose ``skos:broader`` it is."""
    out: dict[str, list[str]] = {}
    for c in concepts("ind"):
        for b in c.broader:
            out.setdefault(b, []).append(c.name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@functools.cache
def narrower_schemes() -> dict[str, tuple[str, ...]]:
    """Insurance scheme → the schemes whose ``skos:broader`` it is (Basic → Employee, …)."""
    out: dict[str, list[str]] = {}
    for c in concepts("ins"):
        for b in c.broader:
            out.setdefault(b, []).append(c.name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@functools.cache
def concept_labels(name: str) -> tuple[str, ...]:
    return tuple(label for label, concept in scheme_labels("ind") if concept == name)


def unit_from_measure(measure: str) -> str:
    """A unit for a number written without one (参保人数达100.02万), from its measure."""
    hit = find_label("ind", measure)
    if hit:
        unit = canonical_units().get(hit[0])
        if unit:
            return unit
    for word, unit in _measure_units():
        if measure.endswith(word):
            return unit
    return ""


@functools.cache
def _measure_units() -> tuple[tuple[str, str], ...]:
    """(suffix, unit) rows of the lexicon, longest suffix first."""
    rows = [(r[1], r[2]) for r in _rows("measure_unit")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


class SentenceLabels:
    """The SKOS labels of one sentence, every occurrence, for lookups in a part of it
    (the clause before a number, the sentence before it)."""

    def __init__(self, text: str, sent: Sentence) -> None:
        self.base = sent.start
        self.text = unnoted(sent.text)
        self.found: dict[str, list[tuple[int, int, str]]] = {}

    def nearest(self, scheme: str, start: int, end: int) -> tuple[str, int] | None:
        """The label of ``scheme`` ending last within ``[start, end)`` (then the longest):
        its concept and where it ends, relative to ``start``."""
        hits = self.found.get(scheme)
        if hits is None:
            hits = all_occurrences(scheme, self.text)
            if scheme == "ins":
                # 划转用于大病保险支出9620万元；基金累计结余…: a scheme money goes to is
                # that number's, not the sentence's
                to = tuple(observation_words().get("purpose_word", ()))
                hits = [h for h in _leftmost_longest(hits)
                        if not (to and self.text[:h[0]].endswith(to))]
            self.found[scheme] = hits
        lo, hi = start - self.base, end - self.base
        best: tuple[int, int, str] | None = None
        for pos, length, name in hits:
            if pos >= lo and pos + length <= hi and (
                    best is None or (pos + length, length) > (best[0] + best[1], best[1])):
                best = (pos, length, name)
        return (best[2], best[0] + best[1] - lo) if best else None


def _leftmost_longest(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each place read as its longest label, left to right (城乡居民基本医疗保险基金收入 is
    the residents' fund: the 基本医疗保险基金 that overlaps it is not read)."""
    out: list[tuple[int, int, str]] = []
    reach = -1
    for pos, length, name in sorted(hits, key=lambda h: (h[0], -h[1])):
        if pos < reach:
            continue
        out.append((pos, length, name))
        reach = pos + length
    return out


def all_occurrences(scheme: str, text: str) -> list[tuple[int, int, str]]:
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
