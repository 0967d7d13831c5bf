"""Numbers with units in running text: find them and normalise them.

This is the quantity layer of observation extraction. It knows numbers, scale
words, unit words and the cue words written around them; it knows nothing of
measures, indicators, regions or periods (the observation extractor adds those
on top of these records)::

    >>> q = parse_quantity("100.02万人")
    >>> q.value, q.unit, q.unit_text, q.scale_text
    (Decimal('1000200'), 'Person', '人', '万')
    >>> [(q.text, q.value, q.unit) for q in find_quantities("基金支付比例分别达87.46%和76.32%")]
    [('87.46%', Decimal('87.46'), 'Percent'), ('76.32%', Decimal('76.32'), 'Percent')]
    >>> q = find_quantities("结算金额达到近7000万元")[0]
    >>> q.text, q.value, q.approximation
    ('近7000万元', Decimal('70000000'), 'AtMost')

Word lists live in data files, not here: the unit words are the ``@zh`` labels
of the ``ybu:`` concepts (``ontology/units.ttl``, read through
:func:`kg.base.ontology.concepts`); scale words, cue words and the other small
lists are in ``ontology/lexicon/quantity_words.tsv`` (its header explains
each kind). Adding a label or a row is enough to have it recognised.

What a quantity is
------------------
A number (Arabic digits, half- or full-width, optionally with ``,`` thousands
groups and a decimal part; or a Chinese numeral such as 一千二百万, 两亿, 三点五)
followed by an optional scale word (万, 亿, 千万, 百万, 千, 万亿…) and a unit
word (人, 万人次, 亿元, %, 个百分点, 家, 种, 例, 批次, 天, 个月, 倍…), or a prefix
unit followed by a number (百分之八十). 百余家, 千余人, 万余人次 read as 一百, 一千,
一万 with 余. One space may stand between the number, its scale and its unit
(协议 5 家); two spaces separate the columns of a table. Money is normalised to yuan and
percentages stay percent numbers: 38.68亿元 → 3868000000 ``Yuan``; 87.46% →
87.46 ``Percent``; 三成 → 30 ``Percent`` (成 is a ``factor_unit`` of the
lexicon). ``value`` is a :class:`~decimal.Decimal` written without exponent
and without trailing zeros.

Choices (the genre's meaning of its words)
-----------------------------------------
* **Units** come from the ``ybu:`` labels. 名 and 位 count people (Person);
  人次 is PersonTime. 期, 户, 笔, 辆 are Item, as the ontology files them;
  counts of occurrences (次 times, 场 sessions, 轮 rounds) and 倍 (a multiple:
  两倍罚款 → 2) are Other.
  Two words of the lexicon's ``factor_unit`` count only after Arabic digits
  (``digits_only_unit``): 分, score points (扣除分值354分 → 354 Other; 十分 is
  "very", 15分钟 a slogan's minutes), and 大 (4大职能 → 4 Item; 二十大 is a
  congress).
  日 is a Day only when 内/以内/之内 follows (30日内); otherwise N日 is the day
  of a date. Years (N年) are never units: 年 marks dates.
* **Approximation** (cue words in the lexicon; the cue is part of ``text``):
  ``Approximate`` — 约, 大约, 约为, 大概, 左右; ``AtLeast`` — 余 and 多 (8000余人次,
  3.5万余人, 100多条), 以上, 及以上, 超过, 超, 逾, 高于, 不低于, 不少于, 至少,
  突破; ``AtMost`` — 近, 将近, 接近 (the genre writes 近 for "nearly", a figure
  just below the number: 近7000万元), 不到, 不足, 低于, 不超过, 不高于, 最多,
  以下, 以内, 之内, and 内 after a time span (5个工作日内); 在 before a time
  span with no other cue is a deadline (应在10个工作日反馈 → AtMost, 在 is part of
  ``text``). 过 is not a cue: it
  ends 通过/经过 and marks the experiential aspect (开展过3次). A cue that is
  the end of another word is ignored (签约, 节约, 预约 end with 约; 最近, 就近
  end with 近: ``approx_blocker``).
* **Ranges** (80%-85%, 2-3倍, 10至15万元, 3~5个工作日, 610至640元): ``value``
  is the **lower bound**, the number written first, and ``max_value`` the upper
  one (``yb:value`` and ``yb:maxValue`` of the SPEC); ``is_range`` is set.
  A lower bound written without unit or scale takes the upper bound's
  (10至15万元 → 100000 to 150000). 由/从 before the first number makes 至/到
  read "from … to": 由50%至60% gives two levels, not a range.
  Known gap: a lone 二 as first bound (二至三倍) is not read, only 三倍.
* **Lists** (分别为87.46%和76.32%; 分别达62.7万、37.32万人): every number is its
  own quantity. Numbers joined only by a list separator (、 和 及 与 以及 或 , ，)
  to a following member with a unit take that unit, and a bare number also
  takes its scale (分别为10、20万元 → 100000 and 200000 Yuan); such members
  have ``shared_unit`` set, their ``text`` covers only what is written at
  their place and ``unit_text`` is the shared unit word. A list member
  without a direction word of its own takes the previous member's
  (分别提高14%和27% → both up).
* **Needs a unit**: a number with a scale of at least 万 but no unit word
  (参保人数达100.02万，) is returned with ``unit == ""`` and ``needs_unit``
  set; the measure gives its unit. Bare numbers without scale or unit are
  never returned (except as list members, above).
* **Direction**: a change word right before the number (同比增长12.3%, 同比增12%,
  下降5.64%, 提高10.48个百分点, 降幅达5.64%, 增幅为3%, 新增1216人, 调出11种,
  人均多投入15元) sets ``direction`` to
  ``"up"`` or ``"down"``; ``value`` stays positive. A verb followed by 至/到/为
  (提高至1万元, 下降到7105元) gives a new level, not a change: no direction.
  Words that name a reduction (降幅50%) still get ``"down"``: whether it is a
  change or a level is the measure's business.
* **Signs**: a minus written right before the number (``-``, the full-width
  ``－`` and the mathematical ``−`` U+2212) or the word 负 (负1.5亿元) makes
  ``value`` negative: 当期结余-0.3亿元 → -30000000. A hyphen after a digit, a
  letter or a unit word is a dash, not a sign (2019-2020, 80%-85%). The sign
  is the number's own; ``direction`` is still read from the words before it
  (同比增长-12.5%: direction ``up``, value -12.5).
* **Vague amounts** (lexicon ``vague_pre``): 上千家 → 1000 ``AtLeast``, 上百人 →
  100 ``AtLeast``; with the cues of ``approx_pre``, 近万人次 → 10000 ``AtMost`` and
  逾千人 → 1000 ``AtLeast``.
* **Out of range**: a number too large for :class:`~decimal.Decimal` to hold
  exactly (1e28 and more) is no quantity: it is left out, never an error.
* **Not quantities**: dates and times (年/月 are not units, 日 see above,
  18:54), anything inside a 文号 (:func:`kg.extract.docnumber.find`), ordinals and
  session numbers (第七批, 第102号, 七届四次会议, 第一、二批), numbers touching
  Latin letters or formula signs (5G, DRG2.0, 1+N, 7×24), section numbers
  (1.2.3), numbers with leading zeros (0816-2222222), URLs and e-mail
  addresses, editions (2021版, 2.0版), numbers inside a short quotation (a
  slogan: “三个100%”, “五个一”), political formulas (两个维护, 四个自信 —
  lexicon ``slogan``), and Chinese numerals that are not followed by a scale
  or unit word (一是, 三医联动, 十四五, 二十大). The lone numerals 一 and 二 are
  never counts (一次性, 一站式, 一类病种, 二级医院, 二次报销: the genre counts with
  两), and a Chinese numeral needs a leading digit (千家万户 is not 1000 家).
  Hotline numbers (12345, 12393) have no unit and are therefore left out.
* Offsets are character offsets into the text given; ``text ==
  source[start:end]`` always holds. Full-width digits, ``．`` and ``％`` are
  read like their half-width forms.

The module imports neither spaCy nor rdflib itself; the unit labels are read
once per process through :mod:`kg.base.ontology`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from kg.base.chars import halfwidth
from kg.base.ontology import concepts
from kg.base.resources import lexicon
from kg.extract.docnumber import find as find_doc_numbers

__all__ = ["Quantity", "find_quantities", "parse_quantity", "with_offset"]

LEXICON_FILE = "quantity_words.tsv"

#: Quotations at most this long are slogans or names, not sentences.
MAX_SLOGAN = 12
#: A space written between a number and its unit (协议 5 家); two spaces separate table columns.
_WS = "[ \u3000\xa0]?"
_WS_RE = re.compile(_WS)
_BIG = Decimal(10_000)  # a number with a scale at least this big is kept without unit
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?"
_CN_LEAD = "一二两三四五六七八九十"
_CN_BODY = "〇零一二两三四五六七八九十百千万亿"
_CN_DEC = "〇零一二三四五六七八九"
_CN = f"[{_CN_LEAD}][{_CN_BODY}]*(?:点[{_CN_DEC}]+)?"

_CN_DIGIT = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_ZERO = "零〇"
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
#: The numerals of vague amounts, written without 一 (百余家, 上千家, 近万人次, 上千万元).
_VAGUE = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000),
          "亿": Decimal(100_000_000), "十万": Decimal(100_000), "百万": Decimal(1_000_000),
          "千万": Decimal(10_000_000)}

_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_URL = re.compile(
    r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
)
_LATIN = re.compile("[A-Za-z]")
_FORMULA = "+×*＊=＝"
_TIME_UNITS = ("Day", "Month")
_ORDINAL_CHAIN = "0123456789.、,，和及至-—~ "
#: After these characters a hyphen is a dash (2019-2020, 80%-85%, A-1), never a minus sign.
_DASH_AFTER = frozenset("0123456789%％.）)]】>" + _CN_BODY + "年月日号时分秒")


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, as written in the text and normalised.

    ``text == source[start:end]`` covers the number, its scale and unit words
    and the approximation cues written around them (约, 余, 以上…).
    ``value`` is normalised (money in yuan, percentages as percent numbers);
    ``unit`` is a ``ybu:`` local name (``""`` when ``needs_unit``) and
    ``unit_text`` the unit word as written (万人次 is scale 万 + unit 人次).
    For a range ``value`` is the lower bound and ``max_value`` the upper;
    ``value`` is negative when a minus sign or 负 is written before the number.
    ``number_text`` is the numeral of ``value`` as written, ``scale_text``
    the scale word written after it, ``per`` a denominator written after the
    unit (``人/年`` in 1500元/人/年). See the module documentation for the
    choices behind each field.
    """

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    unit_text: str
    approximation: str | None = None
    max_value: Decimal | None = None
    is_range: bool = False
    number_text: str = ""
    direction: str | None = None
    needs_unit: bool = False
    scale_text: str = ""
    per: str | None = None
    shared_unit: bool = False


# ---------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Lexicon:
    number_re: re.Pattern[str]
    unit_re: re.Pattern[str]
    scale_re: re.Pattern[str]
    mid_re: re.Pattern[str]
    post_re: re.Pattern[str]
    post_time_re: re.Pattern[str]
    per_re: re.Pattern[str]
    paren_re: re.Pattern[str]
    range_re: re.Pattern[str]
    list_re: re.Pattern[str]
    units: dict[str, str]  # suffix unit word -> ybu concept
    prefix_units: dict[str, str]  # 百分之 -> Percent
    factors: dict[str, Decimal]  # unit word -> factor (成 -> 10)
    scales: dict[str, Decimal]
    approx: dict[str, str]  # cue word -> yb:Approximation (pre, mid and post)
    approx_pre: tuple[str, ...]
    approx_pre_time: tuple[str, ...]
    approx_blockers: tuple[str, ...]
    directions: dict[str, tuple[str, str]]  # word -> (up|down, verb|noun)
    direction_words: tuple[str, ...]
    links: dict[str, str]  # word -> verb|noun|both
    link_words: tuple[str, ...]
    ordinal_prefixes: frozenset[str]
    range_from: tuple[str, ...]
    blockers: dict[str, tuple[str, ...]]  # unit word -> longer words starting with it
    requires_next: dict[str, tuple[str, ...]]
    edition_units: frozenset[str]
    digits_only: frozenset[str]
    lone_numerals: frozenset[str]
    slogans: tuple[str, ...]
    slogan_starts: frozenset[str]
    vague_pre: dict[str, str]  # 上 -> AtLeast: written before a vague numeral (上千家)
    unit_ends: frozenset[str]  # last characters of unit words: a hyphen after one is a dash
    negative_words: tuple[str, ...]  # 负: written right before a number, makes it negative


def _rows(kind: str) -> list[tuple[str, ...]]:
    """The ``kind`` rows of the lexicon without their kind (an undeclared kind raises)."""
    return [row[1:] for row in lexicon(LEXICON_FILE).rows(kind)]


def _unit_labels(scales: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Suffix and prefix unit words → concept; scaled labels (万元) are left to the scale words."""
    labels: dict[str, str] = {}
    for c in concepts("ybu"):
        for label in c.labels_zh:
            labels[label] = c.name
    suffix: dict[str, str] = {}
    prefix: dict[str, str] = {}
    scale_words = _longest_first(scales)
    for label, name in labels.items():
        if label.endswith("分之"):  # 百分之八十: a fraction word written before the number
            prefix[label] = name
            continue
        scaled = any(
            label.startswith(s) and labels.get(label[len(s) :]) == name for s in scale_words
        )
        if not scaled:
            suffix[label] = name
    return suffix, prefix


@functools.cache
def _lexicon() -> _Lexicon:
    def words(kind: str) -> list[str]:
        return [r[0] for r in _rows(kind)]

    def valued(kind: str) -> dict[str, str]:
        return {r[0]: r[1] for r in _rows(kind) if len(r) > 1 and r[1]}

    scales = {w: Decimal(v) for w, v in valued("scale").items()}
    units, prefix_units = _unit_labels(scales)
    factors: dict[str, Decimal] = {}
    for row in _rows("factor_unit"):
        if len(row) >= 3:
            units[row[0]] = row[1]
            factors[row[0]] = Decimal(row[2])
    approx_pre = valued("approx_pre")
    approx_mid = valued("approx_mid")
    approx_post = valued("approx_post")
    approx_time = valued("approx_post_time")
    approx_pre_time = valued("approx_pre_time")
    directions = {r[0]: (r[1], r[2]) for r in _rows("direction") if len(r) >= 3}
    links = valued("direction_link")
    per_words = _alternation(words("per_word"))
    blockers: dict[str, tuple[str, ...]] = {}
    for b in words("unit_blocker"):
        for u in units:
            if b.startswith(u) and len(b) > len(u):
                blockers[u] = (*blockers.get(u, ()), b)
    requires = {w: tuple(v.split("|")) for w, v in valued("unit_requires_next").items()}
    slogans = _longest_first(words("slogan"))
    prefix_alt = _alternation(prefix_units)
    vague = "".join(sorted({w[-1] for w in valued("vague_pre")} | {"近", "逾", "超"}))
    number = (f"(?P<d>{_DIGITS})|(?P<c>{_CN})|(?P<x>[百千万](?=[余多])"
              f"|(?<=[{vague}])(?:千万|百万|十万|[百千万亿]))")
    if prefix_alt:
        number = f"(?P<pct>{prefix_alt})(?P<pn>[0-9]+(?:\\.[0-9]+)?|{_CN}|百)|" + number
    unit_alt = _alternation(units)
    return _Lexicon(
        number_re=re.compile(number),
        unit_re=re.compile(unit_alt),
        scale_re=re.compile(_alternation(scales)),
        mid_re=re.compile(_alternation(approx_mid)),
        post_re=re.compile(_alternation(approx_post)),
        post_time_re=re.compile(_alternation(approx_time)),
        per_re=re.compile(f"(?:/(?:{per_words})(?:[·・](?:{per_words}))*)+"),
        paren_re=re.compile(f"[(（]({unit_alt})[)）]"),
        range_re=re.compile(f"{_WS}(?:{_alternation(words('range_sep'))}){_WS}"),
        list_re=re.compile(f"{_WS}(?:{_alternation(words('list_sep'))}){_WS}"),
        units=units,
        prefix_units=prefix_units,
        factors=factors,
        scales=scales,
        approx={**approx_pre_time, **approx_pre, **approx_mid, **approx_post, **approx_time},
        approx_pre=_longest_first(approx_pre),
        approx_pre_time=_longest_first(approx_pre_time),
        approx_blockers=_longest_first(words("approx_blocker")),
        directions=directions,
        direction_words=_longest_first(directions),
        links=links,
        link_words=_longest_first(links),
        ordinal_prefixes=frozenset(words("ordinal_prefix")),
        range_from=_longest_first(words("range_from")),
        blockers=blockers,
        requires_next=requires,
        edition_units=frozenset(words("edition_unit")),
        digits_only=frozenset(words("digits_only_unit")),
        lone_numerals=frozenset(words("lone_numeral")),
        slogans=slogans,
        slogan_starts=frozenset(s[0] for s in slogans),
        vague_pre=valued("vague_pre"),
        unit_ends=frozenset(u[-1] for u in units),
        negative_words=_longest_first(words("negative")),
    )


# ---------------------------------------------------------------------------
# Numerals
# ---------------------------------------------------------------------------


def _plain(d: Decimal) -> Decimal:
    """``d`` without exponent and without trailing zeros (1000200, 87.46)."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return Decimal(format(d.normalize(), "f"))


def _cn_int(s: str) -> int | None:
    """A Chinese integer numeral, strictly: 一千二百万, 两亿, 十五, 一百零五; None if not one.

    Not cn2an (which :mod:`kg.extract.dates` uses for the numerals of dates): over the
    57,420 numerals of one to four characters this module's pattern matches, cn2an's
    ``strict`` mode answers otherwise for 4,754 (it refuses 两万 and 十零, and reads
    二亿十万 as 200000000) and its ``normal`` mode for 28,646 (it reads digit runs such as
    十四五 as numbers), so the counts of running text would change.
    """
    total = 0  # completed 亿 groups
    wan = 0  # the current 万 group
    section = 0  # below 万
    digit: int | None = None
    prev = ""  # kind of the previous character: d(igit) z(ero) u(nit) b(ig unit)
    last_small = 10_000
    for ch in s:
        if ch in _CN_ZERO:
            if prev == "d" or not prev:
                return None
            prev = "z"
        elif ch in _CN_DIGIT:
            if prev == "d":
                return None  # 十四五, 二〇二一: digit after digit
            digit = _CN_DIGIT[ch]
            prev = "d"
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if digit is None:
                if ch != "十" or prev not in ("", "z", "b"):
                    return None
                digit = 1
            if unit >= last_small:
                return None
            section += digit * unit
            digit, prev, last_small = None, "u", unit
        elif ch == "万":
            group = section + (digit or 0)
            if group == 0 or wan:
                return None
            wan, section, digit, prev, last_small = group * 10_000, 0, None, "b", 10_000
        elif ch == "亿":
            group = wan + section + (digit or 0)
            if group == 0:
                return None
            total = (total + group) * 100_000_000
            wan, section, digit, prev, last_small = 0, 0, None, "b", 10_000
        else:
            return None
    return total + wan + section + (digit or 0)


def _cn_number(s: str) -> Decimal | None:
    """A Chinese numeral with an optional decimal part (三点五); None if not one."""
    whole, _, frac = s.partition("点")
    n = _cn_int(whole)
    if n is None:
        return None
    if not frac:
        return Decimal(n)
    digits = "".join("0" if c in _CN_ZERO else str(_CN_DIGIT[c]) for c in frac)
    return Decimal(f"{n}.{digits}")


# ---------------------------------------------------------------------------
# Spans that hold no quantity
# ---------------------------------------------------------------------------


_QUOTE_CHARS = re.compile(
    "[" + "".join(re.escape(c) for c in sorted({*_QUOTES, *_QUOTES.values(), '"', "\n"})) + "]")


def _short_quotes(norm: str) -> list[tuple[int, int]]:
    """Quotations short enough to be slogans or names, without clause punctuation."""
    spans: list[tuple[int, int]] = []
    opened: list[tuple[str, int]] = []
    ascii_open = -1
    for m in _QUOTE_CHARS.finditer(norm):  # only the characters that change anything
        i, ch = m.start(), m.group()
        if ch in _QUOTES:
            opened.append((_QUOTES[ch], i))
        elif opened and ch == opened[-1][0]:
            _, j = opened.pop()
            spans.append((j, i + 1))
        elif ch == '"':
            if ascii_open < 0:
                ascii_open = i
            else:
                spans.append((ascii_open, i + 1))
                ascii_open = -1
        elif ch == "\n":
            opened.clear()
            ascii_open = -1
    return [
        (s, e)
        for s, e in spans
        if e - s - 2 <= MAX_SLOGAN
        and not any(c in "，。；,;：:！？!?" for c in norm[s + 1 : e - 1])
    ]


def _blocked_spans(text: str, norm: str) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e, _ in find_doc_numbers(text)]
    if "@" in norm or "http" in norm or "www." in norm:  # what every address holds
        spans += [m.span() for m in _URL.finditer(norm)]
    return spans


# ---------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    start: int
    end: int
    num_start: int
    number: Decimal
    number_text: str
    digits: bool
    scale: Decimal = Decimal(1)
    scale_text: str = ""
    unit: str = ""
    unit_text: str = ""
    factor: Decimal = Decimal(1)
    approx: str | None = None
    direction: str | None = None
    low: Decimal | None = None
    per: str | None = None
    shared: bool = False
    big_scale: bool = False  # a scale of at least 万 (in the numeral or after it)
    cn_followed_by_han: bool = False
    negative: bool = False  # a minus sign or 负 written before the number

    @property
    def value(self) -> Decimal:
        v = self.number * self.scale * self.factor
        return -v if self.negative else v


def _ordinal_before(norm: str, start: int, lex: _Lexicon) -> bool:
    """第七批, 七届四次, 第一、二批: an ordinal prefix before the number (across a list)."""
    i = start - 1
    while i >= 0 and start - i <= 12 and (norm[i] in _CN_BODY or norm[i] in _ORDINAL_CHAIN):
        i -= 1
    return i >= 0 and norm[i] in lex.ordinal_prefixes


def _digits_ok(norm: str, start: int, end: int, number_text: str) -> bool:
    before = norm[start - 1] if start else ""
    after = norm[end] if end < len(norm) else ""
    after2 = norm[end + 1] if end + 1 < len(norm) else ""
    if before and (_LATIN.match(before) or before in "@_#&=/\\." or before in _FORMULA):
        return False
    if before == "-" and start >= 2 and (_LATIN.match(norm[start - 2]) or norm[start - 2] in "_"):
        return False  # COVID-19
    if after and (_LATIN.match(after) or after in _FORMULA):
        return False
    if after in ".:" and after2.isdigit():
        return False  # 1.2.3 section numbers, 18:54
    whole = number_text.replace(",", "").split(".")[0]
    return not (len(whole) > 1 and whole.startswith("0"))


def _match_unit(norm: str, p: int, lex: _Lexicon, digits: bool) -> tuple[str, str] | None:
    m = lex.unit_re.match(norm, p)
    if m is None:
        return None
    word = m.group()
    if not digits and word in lex.digits_only:
        return None
    for b in lex.blockers.get(word, ()):
        if norm.startswith(b, p):
            return None
    needs = lex.requires_next.get(word)
    if needs and not norm.startswith(needs, m.end()):
        return None
    return word, lex.units[word]


def _number_at(norm: str, m: re.Match[str], lex: _Lexicon) -> tuple[Decimal, str, bool] | None:
    """The numeral of a number match: (value, numeral as matched, digits?)."""
    if m.group("d") is not None:
        raw = m.group("d")
        try:
            return Decimal(raw.replace(",", "")), raw, True
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    if m.group("x") is not None:  # 百余家, 千余人, 万余人次, 上千家, 近万人: 一 left out
        raw = m.group("x")
        return _VAGUE[raw], raw, False
    raw = m.group("c")
    if raw in lex.lone_numerals:
        return (Decimal(_CN_DIGIT[raw]), raw, False) if raw in _CN_DIGIT else None
    n = _cn_number(raw)
    return None if n is None else (n, raw, False)


def _parse_tail(norm: str, item: _Item, p: int, lex: _Lexicon) -> int:
    """Scale, unit, denominator and alternative unit after the numeral; returns the end."""
    q0 = q = _skip_ws(norm, p)
    mid = lex.mid_re.match(norm, q)
    q = mid.end() if mid else q
    scale = lex.scale_re.match(norm, q)
    q = scale.end() if scale else q
    mid2 = lex.mid_re.match(norm, q) if mid is None else None
    q = mid2.end() if mid2 else q
    if q > q0:  # one space after the number, one after its scale: never two in a row
        q = _skip_ws(norm, q)
    unit = _match_unit(norm, q, lex, item.digits)
    cue = mid or mid2
    if scale is None and unit is None:
        return p  # a bare number: a cue after it belongs to nothing
    if scale is not None:
        item.scale, item.scale_text = lex.scales[scale.group()], scale.group()
        item.big_scale = item.big_scale or item.scale >= _BIG
    if cue is not None:
        item.approx = lex.approx[cue.group()]
    if unit is None:
        assert scale is not None
        return mid2.end() if mid2 else scale.end()
    word, name = unit
    item.unit, item.unit_text = name, word
    item.factor = lex.factors.get(word, Decimal(1))
    end = q + len(word)
    per = lex.per_re.match(norm, end)
    if per is not None:
        item.per = per.group()[1:]
        end = per.end()
    alt = lex.paren_re.match(norm, end)
    if alt is not None and lex.units.get(alt.group(1)) == name:
        item.unit_text = norm[q : alt.end()]
        end = alt.end()
    return end


def _skip_ws(norm: str, p: int) -> int:
    m = _WS_RE.match(norm, p)
    return m.end() if m else p


def _parse_post(norm: str, item: _Item, end: int, lex: _Lexicon) -> int:
    post = lex.post_re.match(norm, end)
    if post is None and item.unit in _TIME_UNITS:
        post = lex.post_time_re.match(norm, end)
    if post is not None:
        item.approx = item.approx or lex.approx[post.group()]
        return post.end()
    return end


def _edition(item: _Item, lex: _Lexicon) -> bool:
    if item.unit_text not in lex.edition_units:
        return False
    n = item.number
    return n != n.to_integral_value() or 1900 <= n <= 2100


def _pct(m: re.Match[str]) -> str | None:
    """The 百分之 of a number match, if its pattern has that group and it matched."""
    return m.group("pct") if "pct" in m.re.groupindex else None


def _parse_number(norm: str, m: re.Match[str], lex: _Lexicon) -> _Item | None:
    """One number and what follows it, without cues before it and without ranges."""
    start = m.start()
    if _pct(m):
        raw = m.group("pn")
        if raw == "百":
            number: Decimal | None = Decimal(100)
        elif raw[0].isdigit():
            number = Decimal(raw)
        else:
            number = _cn_number(raw)
        if number is None:
            return None
        word = m.group("pct")
        item = _Item(start, m.end(), m.start("pn"), number, raw, raw[0].isdigit())
        item.unit, item.unit_text = lex.prefix_units[word], word
        return item
    found = _number_at(norm, m, lex)
    if found is None:
        return None
    number, raw, digits = found
    if digits and not _digits_ok(norm, start, m.end(), raw):
        return None
    item = _Item(start, m.end(), start, number, raw, digits)
    if m.group("x") is not None and start and norm[start - 1] in lex.vague_pre:
        item.approx, item.start = lex.vague_pre[norm[start - 1]], start - 1  # 上千家
    if not digits:
        item.big_scale = "万" in raw or "亿" in raw
        nxt = norm[m.end()] if m.end() < len(norm) else ""
        item.cn_followed_by_han = bool(nxt and _HAN.match(nxt))
    item.end = _parse_tail(norm, item, m.end(), lex)
    if not digits and raw in lex.lone_numerals and not item.scale_text:
        return None
    if _edition(item, lex):
        return None
    return item


@functools.cache
def _by_last(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``words`` by their last character, each group in the order of ``words``."""
    out: dict[str, list[str]] = {}
    for w in words:
        if w:
            out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


#: :func:`_by_last` of each word tuple looked up, by the tuple's identity (the
#: lexicon's tuples live as long as the process: hashing them on every call is not free).
_BY_LAST: dict[int, tuple[tuple[str, ...], dict[str, tuple[str, ...]] | None]] = {}


def _ends_with_any(norm: str, end: int, words: tuple[str, ...]) -> str | None:
    entry = _BY_LAST.get(id(words))
    if entry is None or entry[0] is not words:
        entry = _BY_LAST[id(words)] = (words, None if "" in words else _by_last(words))
    table = entry[1]
    if end <= 0:
        return "" if table is None else None
    for w in words if table is None else table.get(norm[end - 1], ()):
        if end >= len(w) and norm.startswith(w, end - len(w)):  # longest first
            return w
    return None


def _cues_before(norm: str, item: _Item, lex: _Lexicon) -> None:
    """Minus sign, approximation cue and direction word written before the number."""
    left = item.start
    if left and item.start == item.num_start:
        sign = _ends_with_any(norm, left, lex.negative_words) if item.digits else None
        if norm[left - 1] == "-" and (left == 1 or (norm[left - 2] not in _DASH_AFTER
                                                    and norm[left - 2] not in lex.unit_ends
                                                    and not _LATIN.match(norm[left - 2]))):
            sign = "-"
        if sign:
            item.negative = True
            left -= len(sign)
            item.start = left
    cue = _ends_with_any(norm, left, lex.approx_pre)
    if cue is not None:
        blocker = _ends_with_any(norm, left, lex.approx_blockers)
        if blocker is None or len(blocker) <= len(cue):
            item.approx = lex.approx[cue]
            left -= len(cue)
            item.start = left
    link = _ends_with_any(norm, left, lex.link_words)
    for k in (link, None) if link else (None,):
        at = left - (len(k) if k else 0)
        word = _ends_with_any(norm, at, lex.direction_words)
        if word is None:
            continue
        sign, kind = lex.directions[word]
        if k is None or lex.links[k] in (kind, "both"):
            item.direction = sign
            return


def _try_range(norm: str, first: _Item, lex: _Lexicon) -> _Item | None:
    """``first`` joined by a range separator to a second number: the range, or None."""
    sep = lex.range_re.match(norm, first.end)
    if sep is None:
        return None
    m = lex.number_re.match(norm, sep.end())
    if m is None or _pct(m):
        return None
    second = _parse_number(norm, m, lex)
    if second is None or (not second.unit and not second.big_scale):
        return None
    if first.unit and (first.unit != second.unit or first.factor != second.factor):
        return None
    word = sep.group().strip(" \u3000\xa0")
    if word in ("至", "到") and _ends_with_any(norm, first.start, lex.range_from):
        return None
    if first.scale_text:
        low_scale = first.scale
    elif not first.digits and first.big_scale:
        low_scale = Decimal(1)  # 一万至两万元: the scale is inside the numeral
    else:
        low_scale = second.scale  # 10至15万元
    second.low = first.number * low_scale * second.factor * (-1 if first.negative else 1)
    second.start = first.start
    second.approx = first.approx or second.approx
    second.direction = first.direction
    return second


def _scan(text: str) -> list[_Item]:
    lex = _lexicon()
    norm = halfwidth(text)
    items: list[_Item] = []
    floor = 0
    for m in lex.number_re.finditer(norm):
        start = m.start()
        if start < floor:
            continue
        if norm[start] in lex.slogan_starts and norm.startswith(lex.slogans, start):
            continue
        if _ordinal_before(norm, start, lex):
            continue
        item = _parse_number(norm, m, lex)
        if item is None:
            continue
        _cues_before(norm, item, lex)
        if item.per is None:
            joined = _try_range(norm, item, lex)
            if joined is not None:
                item = joined
        item.end = _parse_post(norm, item, item.end, lex)
        if item.approx is None and item.unit in _TIME_UNITS:
            cue = _ends_with_any(norm, item.start, lex.approx_pre_time)
            if cue is not None:  # 应在10个工作日反馈: a deadline
                item.approx = lex.approx[cue]
                item.start -= len(cue)
        items.append(item)
        floor = item.end
    _share_lists(norm, items, lex)
    blocked = _blocked_spans(text, norm)
    quotes = _short_quotes(norm)
    kept = []
    for it in items:
        if not it.unit and not it.big_scale:
            continue  # a bare number: no unit, no scale
        if not it.unit and not it.digits and it.cn_followed_by_han:
            continue  # 十万火急: a Chinese numeral inside a word
        if any(s < it.end and it.start < e for s, e in blocked):
            continue
        if any(s <= it.start and it.end <= e for s, e in quotes):
            continue
        kept.append(it)
    return kept


def _share_lists(norm: str, items: list[_Item], lex: _Lexicon) -> None:
    for i in range(len(items) - 2, -1, -1):
        a, b = items[i], items[i + 1]
        if a.unit or not b.unit:
            continue
        if not lex.list_re.fullmatch(norm, a.end, b.start):
            continue
        a.unit, a.unit_text, a.factor, a.per, a.shared = b.unit, b.unit_text, b.factor, b.per, True
        if not a.scale_text and not a.big_scale:
            a.scale, a.scale_text = b.scale, ""
    for i in range(1, len(items)):
        a, b = items[i - 1], items[i]
        if b.direction is None and a.direction and lex.list_re.fullmatch(norm, a.end, b.start):
            b.direction = a.direction


def _quantity(text: str, item: _Item) -> Quantity | None:
    """The record of a scanned item; None for a number too large to hold exactly."""
    try:
        value = _plain(item.value)
        low = None if item.low is None else _plain(item.low)
    except InvalidOperation:
        return None
    return Quantity(
        start=item.start,
        end=item.end,
        text=text[item.start : item.end],
        value=value if low is None else low,
        unit=item.unit,
        unit_text=item.unit_text,
        approximation=item.approx,
        max_value=None if low is None else value,
        is_range=low is not None,
        number_text=text[item.num_start : item.num_start + len(item.number_text)],
        direction=item.direction,
        needs_unit=not item.unit,
        scale_text=item.scale_text,
        per=item.per,
        shared_unit=item.shared,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit (or a scale) in running ``text``, sorted by start, non-overlapping.

    ``text[q.start:q.end] == q.text`` holds for each. See the module
    documentation for what counts as a quantity and how it is normalised.
    """
    if not text:
        return []
    return [q for it in _scan(text) if (q := _quantity(text, it)) is not None]


def parse_quantity(text: str) -> Quantity | None:
    """The quantity that ``text`` is, whole (surrounding whitespace allowed), or None.

    >>> parse_quantity("3.5万余人").value
    Decimal('35000')
    >>> parse_quantity("12345") is None
    True
    """
    found = find_quantities(text)
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip())
    if len(found) == 1 and found[0].start == lead and found[0].end == tail:
        return found[0]
    return None


def with_offset(q: Quantity, offset: int) -> Quantity:
    """``q`` moved by ``offset`` characters (a sentence's quantities into document offsets)."""
    return replace(q, start=q.start + offset, end=q.end + offset)
