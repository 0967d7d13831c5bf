"""Agencies: the government and party bodies a report names or refers to.

Finds :class:`~kg.base.records.AgencyMention` records in a document's text, from
the written forms of ``ontology/lexicon/agencies.tsv`` (医保局, 卫健委, 市委,
民政…) and ``agencies_national.tsv`` (国务院, 财政部, 党中央…), by the grammar
of the genre:

* a form after a region name names that region's body (遂宁市医疗保障局,
  江西省人民政府, 中共江西省委); after coordinated regions, each region's
  (张掖、酒泉两地医保部门);
* a form after a level word names the body of the report's region at that
  level (市医保局, 区委, 自治区医保局) — the linker resolves the word;
* 国家 before a form names the national body (国家医保局);
* a name alone is the body of the report's own region, or of the region of
  the body listed right before it (拉萨市公安局、卫生健康委);
* department words (卫健, 民政, 税务) name a body only before 部门, in a list
  that ends in 等部门, or right after 与/同/联合/会同;
* units written after a body (办公室, 办公厅, 武进分中心, 第七派驻纪检组)
  are bodies of their own that belong to it;
* 我局/本局 is the report's publisher.

Mentions after generic words (各级, 相关, 县(区)) are not bodies: they speak of
every body of a kind. Naming — the official full name at each level — is the
linker's job (:mod:`kg.link.agencynames`).

    >>> from kg.base.records import Sentence
    >>> text = "我局联合市公安局、卫健委开展检查。"
    >>> [(m.text, m.form, m.level) for m in find_agencies(text, [Sentence(0, len(text), text)], [])]
    [('我局', '我局', None), ('市公安局', '公安局', '市'), ('卫健委', '卫健委', None)]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.base.records import AgencyMention, RegionMention, Sentence
from kg.base.resources import lexicon_rows, lexicon_words


def _agency_words(kind: str) -> tuple[str, ...]:
    """Grammar words of ``ontology/lexicon/agency_words.tsv`` (level words before a form,
    words that make a form generic, partner cues), longest first."""
    return lexicon_words("agency_words.tsv").get(kind, ())
#: 与/同 + a department word names a body when a word of working together follows
#: in the clause (与税务建立…联合运维机制), not in 与乡村振兴有效衔接.
_PARTNER = re.compile(r"[^，。；,;：:]{0,20}?(?:建立|合作|联合|协同|协作|对接|联动|共同|签订|沟通)")
#: Words that refer to the report's publisher.
PUBLISHER_WORDS = ("我局", "本局")
#: Separators of a coordinated list.
_LIST_SEP = re.compile(r"(?:、|和|及|与|以及|,|，)")
#: A quantifier between coordinated regions and a form (张掖、酒泉两地医保部门).
_REGION_COUNT = re.compile(r"([两二三四五六七八九十\d]+)(?:地|市|县|区|州|省)|等地")
#: Separators of coordinated regions before a form.
_REGION_SEP = re.compile(r"、|和|及")
_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: What may follow a department word for it to name a body: 部门, or a list ending in 部门.
_DEPT_TAIL = re.compile(
    r"(?:(?:、|和|及|与|以及)[\u4e00-\u9fff]{1,10}?)*(?:等)?(?:其他|相关|有关)?"
    r"(?:[两二三四五六七八九十\d]+个?)?(?:部门|单位|各方)")
#: A separator between listed department words.
_SEP = re.compile(r"、|和|及|与|以及")


@dataclass(frozen=True)
class AgencyForm:
    """One row of ``agencies.tsv``: a written form and how it names bodies."""

    form: str
    mode: str
    type: str
    national: str | None
    templates: dict[str, str]
    parent: str | None
    not_before: str
    #: the forms a joint abbreviation stands for (公检法 → 法院, 检察院, 公安)
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationalForm:
    """One row of ``agencies_national.tsv``."""

    form: str
    name: str
    type: str
    parent: str | None


def _cell(value: str) -> str | None:
    return None if value in ("", "-") else value


@functools.cache
def agency_forms() -> dict[str, AgencyForm]:
    """The forms of ``agencies.tsv``, by written form.

        >>> agency_forms()["医保局"].templates["Prefecture"]
        '{R}医疗保障局'
    """
    out: dict[str, AgencyForm] = {}
    for row in lexicon_rows("agencies.tsv"):
        form, mode, typ, national, province, prefecture, county, parent, not_before = row[:9]
        out[form] = AgencyForm(form, mode, typ, _cell(national),
                               {"Province": province, "Prefecture": prefecture, "County": county},
                               _cell(parent), _cell(not_before) or "")
    for form, mode, parts in lexicon_rows("agencies_joint.tsv"):
        first = out[parts.split("|")[0]]
        out[form] = AgencyForm(form, mode, first.type, None, {}, None, "",
                               tuple(parts.split("|")))
    return out


def parts_of(row: AgencyForm) -> tuple[AgencyForm, ...]:
    """The rows a form names bodies by: its parts for a joint form (公检法), else itself.

        >>> [r.form for r in parts_of(agency_forms()["公检法"])]
        ['法院', '检察院', '公安']
    """
    forms = agency_forms()
    return tuple(forms[p] for p in row.parts) if row.parts else (row,)


@functools.cache
def national_forms() -> dict[str, NationalForm]:
    """The national bodies of ``agencies_national.tsv``, by written form."""
    return {row[0]: NationalForm(row[0], row[1], row[2], _cell(row[3]))
            for row in lexicon_rows("agencies_national.tsv")}


@functools.cache
def _units() -> tuple[tuple[re.Pattern[str], str | None, bool, bool], ...]:
    """(pattern, type, names its region, names its parent) of ``agency_units.tsv``."""
    return tuple((re.compile(row[0]), _cell(row[1]), row[2] == "yes", row[3] == "yes")
                 for row in lexicon_rows("agency_units.tsv"))


def unit_names_parent(unit: str) -> bool:
    """Whether writing ``unit`` after a body names that body too: a branch or a
    group it sends does (博山分局, 派驻纪检组), an office inside it does not (办公室).

        >>> unit_names_parent("博山分局"), unit_names_parent("办公室")
        (True, False)
    """
    return any(pattern.fullmatch(unit) and named for pattern, _t, _r, named in _units())


@functools.cache
def _by_first_char() -> dict[str, tuple[str, ...]]:
    forms = [*agency_forms(), *national_forms(), *PUBLISHER_WORDS]
    table: dict[str, list[str]] = {}
    for f in forms:
        table.setdefault(f[0], []).append(f)
    return {k: tuple(sorted(set(v), key=lambda w: (-len(w), w))) for k, v in table.items()}


@functools.cache
def _by_first_two() -> dict[str, tuple[str, ...]]:
    """The forms that can start with each two characters (a form of one character
    with every pair it begins; under its own character, the one-character forms),
    each group in :func:`_by_first_char` order."""
    out: dict[str, tuple[str, ...]] = {}
    for c, forms in _by_first_char().items():
        out[c] = tuple(f for f in forms if len(f) == 1)
        seconds = {f[1] for f in forms if len(f) > 1}
        for second in seconds:
            out[c + second] = tuple(f for f in forms if len(f) == 1 or f[1] == second)
    return out


@functools.cache
def _first_chars() -> re.Pattern[str]:
    """Any character a form can begin with (the scan jumps from one to the next)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_by_first_char())) + "]")


class _Regions:
    """Region mentions by where they end and start."""

    def __init__(self, regions: Sequence[RegionMention]) -> None:
        self.by_end = {r.end: r for r in regions}
        self.by_start = {r.start: r for r in regions}

    def chain_before(self, text: str, pos: int) -> tuple[RegionMention, ...]:
        """Regions ending at ``pos`` (or before 两地), coordinated ones included."""
        most = 99
        gap = next((g for g in _REGION_COUNT.finditer(text, max(0, pos - 4), pos)
                    if g.end() == pos), None)
        if pos not in self.by_end and gap:
            pos = gap.start()
            count = gap.group(1)
            if count:
                most = _COUNTS.get(count, int(count) if count.isdigit() else 99)
        last = self.by_end.get(pos)
        if last is None:
            return ()
        out = [last]
        while len(out) < most:
            head = out[0].start
            prev = next((self.by_end[e] for e in range(head - 1, max(head - 3, 0) - 1, -1)
                         if e in self.by_end and _REGION_SEP.fullmatch(text[e:head])), None)
            if prev is None:
                break
            out.insert(0, prev)
        return tuple(out)


def _generic_before(text: str, pos: int) -> bool:
    return text.endswith(_agency_words("generic_before"), 0, pos)


def _level_before(text: str, pos: int) -> str | None:
    for word in _agency_words("level_word"):
        if text.endswith(word, 0, pos):
            return word
    return None


def _dept_ok(text: str, start: int, end: int) -> bool:
    if _DEPT_TAIL.match(text, end):
        return True
    if text.endswith(_agency_words("partner_cue"), 0, start):
        return True
    if (text.endswith("与", 0, start) or text.endswith("同", 0, start)) \
            and _PARTNER.match(text, end):
        return True
    return _listed_with_dept(text, start, end)


@functools.cache
def _dept_words() -> tuple[str, ...]:
    return tuple(f for f, row in agency_forms().items() if row.mode in ("dept", "prefixed"))


def _listed_with_dept(text: str, start: int, end: int) -> bool:
    """In a list with another department word (医保、财政、税务之间)."""
    sep = _SEP.match(text, end)
    if sep and text.startswith(_dept_words(), sep.end()):
        return True
    # the word before ends one character before ``start``: that character is the separator
    if start < 1 or not _SEP.fullmatch(text[start - 1:start]):
        return False
    for w in _dept_words():
        k = start - len(w)
        if k >= 0 and text.startswith(w, k - 1):
            return True
    return False


def find_agencies(text: str, sentences: Sequence[Sentence],
                  regions: Sequence[RegionMention]) -> list[AgencyMention]:
    """Every body named or referred to in ``text`` (see the module's docstring)."""
    forms, nationals = agency_forms(), national_forms()
    two = _by_first_two()
    where = _Regions(regions)
    starts = [s.start for s in sentences]
    out: list[AgencyMention] = []
    jump = _first_chars().search
    i = 0
    while (at := jump(text, i)) is not None:
        i = at.start()
        found: list[AgencyMention] = []
        candidates = two.get(text[i:i + 2])
        if candidates is None:  # only a one-character form can start here
            candidates = two[text[i]]
        for form in candidates:
            if text.startswith(form, i):
                found = _mention(text, i, form, forms, nationals, where, out)
                if found:
                    break
        if not found:
            i += 1
            continue
        for m in found:  # one per level of 省、市政府
            k = bisect.bisect_right(starts, m.start) - 1
            if k >= 0 and sentences[k].start <= m.start and m.end <= sentences[k].end:
                out.append(_with_sentence(m, sentences[k]))
        i = max(found[-1].end, i + 1)
    return sorted(out + _addressed(text, sentences), key=lambda m: m.start)


#: How far into a report its salutation may stand (after a title and header lines).
_SALUTATION_REACH = 600
#: How far after the salutation the reply acknowledges what it answers (…提案收悉).
_REPLY_REACH = 300


@functools.cache
def _addressees() -> dict[str, str]:
    """Addressee word → the form of the body it belongs to (委员 → 政协), from
    ``agencies_addressed.tsv``."""
    return {row[0]: row[1] for row in lexicon_rows("agencies_addressed.tsv")}


@functools.cache
def _reply_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A salutation line ending in an addressee's title (许顺等委员：), and the words
    that acknowledge a proposal (提案…收悉)."""
    titles = "|".join(map(re.escape, sorted(_addressees(), key=len, reverse=True)))
    salutation = re.compile(rf"^[^\S\n]*[^\n：:，,。；;]{{0,24}}?({titles})们?[^\S\n]*[：:]",
                            re.M)
    asks = "|".join(map(re.escape, _agency_words("reply_word")))
    got = "|".join(map(re.escape, _agency_words("reply_received")))
    return salutation, re.compile(rf"(?:{asks})[^。\n]{{0,40}}?(?:{got})")


def _addressed(text: str, sentences: Sequence[Sentence]) -> list[AgencyMention]:
    """The body a reply to a proposal answers: a reply that opens with 张华委员： and
    says …提案收悉 answers the CPPCC of the report's region; one to a 代表, the
    people's congress (``agencies_addressed.tsv``).

        >>> text = "李明委员：\\n您提出的关于加快基层医保服务的提案收悉，现答复如下。"
        >>> [(m.text, m.form) for m in _addressed(text, [Sentence(0, len(text), text)])]
        [('委员', '政协')]
    """
    salutation, reply = _reply_patterns()
    hit = salutation.search(text, 0, _SALUTATION_REACH)
    if hit is None or reply.search(text, hit.end(), hit.end() + _REPLY_REACH) is None:
        return []
    start, end = hit.span(1)
    sentence = next((s for s in sentences if s.start <= start and end <= s.end), None)
    if sentence is None:
        return []
    return [AgencyMention(text[start:end], start, end, sentence, _addressees()[hit.group(1)])]


def _with_sentence(m: AgencyMention, sentence: Sentence) -> AgencyMention:
    return replace(m, sentence=sentence)


_NO_SENTENCE = Sentence(0, 0, "")


def _mention(text: str, i: int, form: str, forms: dict[str, AgencyForm],
             nationals: dict[str, NationalForm], where: _Regions,
             before: Sequence[AgencyMention]) -> list[AgencyMention]:
    """The mentions ``form`` at ``i`` makes (none, one, or one per coordinated level)."""
    end = i + len(form)
    if form in PUBLISHER_WORDS:
        return [AgencyMention(form, i, end, _NO_SENTENCE, form, publisher=True)]
    if form in nationals:
        if text.startswith("门", end):  # 财政部门 is a department word, not 财政部
            return []
        nxt = where.by_start.get(end)
        if nxt is not None and not nxt.deictic:  # 国家税务总局常州市…税务局: a local body's name
            return []
        return [_with_unit(text, AgencyMention(form, i, end, _NO_SENTENCE, form,
                                               national=nationals[form].name), where)]
    row = forms[form]
    if any(text.startswith(c, end) for c in row.not_before):
        return []
    dept = row.mode == "dept"
    in_dept_context = row.mode in ("dept", "prefixed") and _dept_ok(text, i, end)
    # a department word after a region or a level word also names a body when it acts
    # (县财政配套…) or stands for its system (海南医保系统)
    placed_only = dept and not in_dept_context
    if placed_only and not (_acting(text, end) or
                            text.startswith(_agency_words("dept_tail_named"), end)):
        return []
    head = _term_start(text, i)  # 市十四届人大常委会: the level word is before the term
    chain = where.chain_before(text, head)
    if chain:
        if _generic_before(text, chain[0].start):
            return []
        if all(r.deictic == "国" for r in chain) and row.national is None:
            return []
        start = chain[0].start
        return [_with_unit(text, AgencyMention(text[start:end], start, end, _NO_SENTENCE, form,
                                               regions=chain), where)]
    if _generic_before(text, head):
        return []
    levels = _levels_before(text, head)
    if levels:
        lstart = levels[0][1]
        if _level_before(text, lstart) or _generic_before(text, lstart):
            return []  # 市县医保局, 各市医保局: every body of a kind
        return [_with_unit(text, AgencyMention(text[lstart:end], lstart, end, _NO_SENTENCE, form,
                                               level=level, coordinated=len(levels) > 1), where)
                for level, _ in levels]
    if placed_only and not (_acting(text, end, bare=True) and _clause_start(text, i)):
        return []
    if row.mode == "prefixed" and not in_dept_context:
        return []
    if row.mode in ("dept", "prefixed"):
        lead = _list_head(text, i)  # 原人社、民政等部门: the departments before a reform
        if _generic_before(text, lead) or text.endswith(_agency_words("former_before"), 0, lead):
            return []
    listed = bool(before) and bool(_LIST_SEP.fullmatch(text[before[-1].end:i]))
    if row.mode == "placed" and not listed:
        return []
    return [_with_unit(text, AgencyMention(form, i, end, _NO_SENTENCE, form, listed=listed),
                       where)]


@functools.cache
def _term() -> re.Pattern[str]:
    """A congress's or committee's term right before its body (十四届, 第十四届)."""
    words = "|".join(map(re.escape, _agency_words("session_word")))
    return re.compile(rf"第?[一二三四五六七八九十百零〇\d]+(?:{words})$")


def _term_start(text: str, i: int) -> int:
    """Where the words that place the body at ``i`` end: before its term, if any."""
    m = _term().search(text, max(0, i - 8), i)
    return m.start() if m else i


def _acting(text: str, end: int, *, bare: bool = False) -> bool:
    """Whether a verb of ``dept_action`` (``dept_action_bare``) follows, and not as
    part of a noun (财政补助标准, 配套资金)."""
    for verb in _agency_words("dept_action_bare" if bare else "dept_action"):
        if text.startswith(verb, end):
            after = end + len(verb)
            return not text.startswith(_agency_words("dept_action_noun"), after)
    return False


def _clause_start(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] in "。；;，,：:\n"


def _levels_before(text: str, pos: int) -> list[tuple[str, int]]:
    """The level word ending at ``pos`` and those coordinated before it (省、市), each
    with its start, in order."""
    level = _level_before(text, pos)
    if level is None:
        return []
    out = [(level, pos - len(level))]
    while (k := out[0][1]) > 1 and text[k - 1] == "、":
        prev = _level_before(text, k - 1)
        if prev is None:
            break
        out.insert(0, (prev, k - 1 - len(prev)))
    return out


def _list_head(text: str, start: int) -> int:
    """Where the list of department words that the one at ``start`` ends begins
    (原人社、发改、民政等部门 → at 人社)."""
    words = _dept_words()
    while start > 1 and _SEP.fullmatch(text[start - 1]):
        prev = next((w for w in words if text.endswith(w, 0, start - 1)), None)
        if prev is None:
            break
        start -= 1 + len(prev)
    return start


def _with_unit(text: str, m: AgencyMention, where: _Regions) -> AgencyMention:
    for pattern, typ, needs_region, _named in _units():
        hit = pattern.match(text, m.end)
        if hit is None:
            continue
        region = where.by_start.get(m.end) if needs_region else None
        if needs_region and (region is None or region.end >= hit.end()):
            continue
        return replace(m, text=text[m.start:hit.end()], end=hit.end(), unit=hit.group(0),
                       unit_type=typ, unit_region=region)
    return m
