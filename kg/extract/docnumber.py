"""发文字号 (document numbers): parse, normalise and find them in running text.

A 文号 is a 代字 (issuer code), a four-digit year in brackets, a serial number
and 号: ``医保办发〔2018〕22号``, ``遂人社办发〔2013〕108号``, ``赣府厅字〔2022〕12号``.
Texts write the brackets as 〔〕 [] ［］ () （） 【】 〈〉 ﹝﹞ 〖〗, digits half- or
full-width, the serial with leading zeros or as 第N号, and put spaces between
the parts. The normalised form is always ``代字〔YYYY〕N号`` with half-width
digits and no leading zeros::

    >>> normalise("医保办发[２０１８]第022号")
    '医保办发〔2018〕22号'
    >>> [(s, e, str(d)) for s, e, d in find("根据国家医保局印发的医保发（2020）1号文件")]
    [(10, 21, '医保发〔2020〕1号')]

In running text the 代字 is the run of Han characters directly before the
bracket, cut after the last stop word (的, 印发, 根据…) and after an agency name
written in front of it (国家医疗保障局医保发…). The words live in the lexicon
file ``ontology/lexicon/citation_words.tsv`` (package ``kg.ontology_data.lexicon``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kg.base import resources
from kg.base.chars import halfwidth
from kg.base.resources import KindWords

__all__ = ["DocNumber", "find", "lexicon", "normalise", "parse"]

LEXICON_FILE = "citation_words.tsv"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CODE_CHAR = re.compile(f"[{_HAN}A-Za-z]")
_HAS_HAN = re.compile(f"[{_HAN}]")
_OPEN = "〔［\\[（(【〈﹝〖"
_CLOSE = "〕］\\]）)】〉﹞〗"
_SP = "[ \\t\\u3000\\xa0]*"
_D = "[0-9０-９]"
_YEAR = f"(?:[1１][9９]|[2２][0０]){_D}{{2}}"
_CORE = (
    f"[{_OPEN}]{_SP}(?P<year>{_YEAR}){_SP}[{_CLOSE}]{_SP}(?:第{_SP})?(?P<num>{_D}{{1,6}}){_SP}号"
)
_CORE_RE = re.compile(_CORE)
_FULL_RE = re.compile(f"\\s*(?P<code>[{_HAN}A-Za-z]{{1,10}}){_SP}{_CORE}\\s*")

_MAX_RUN = 24  # Han characters looked at before the bracket
_MAX_CODE = 10  # a 代字 is at most this long …
_FALLBACK_CODE = 6  # … and when no word marks its start, keep this many
_MIN_AGENCY = 3  # an agency name cut off before a 代字 has at least 3 characters
_MIN_AFTER_AGENCY = 2  # and leaves a 代字 of at least 2 characters
_LIST_GLUE = re.compile(f"{_SP}[、，,和及与]{_SP}")


@dataclass(frozen=True)
class DocNumber:
    """One 发文字号: 代字, year and serial number."""

    issuer_code: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"


@functools.cache
def lexicon() -> Mapping[str, tuple[str, ...]]:
    """The citation word lists, ``kind → words`` (longest word first, then by code point),
    from ``citation_words.tsv``; an undeclared kind raises."""
    return KindWords(resources.lexicon(LEXICON_FILE), lambda w: (-len(w), w), unique=True)


def _digits(s: str) -> int:
    return int(halfwidth(s))


def _make(code: str, year: str, num: str) -> DocNumber | None:
    serial = _digits(num)
    if serial <= 0 or not _HAS_HAN.search(code):
        return None
    return DocNumber(code, _digits(year), serial)


def parse(text: str) -> DocNumber | None:
    """The 文号 that ``text`` is, whole (surrounding whitespace allowed), or None.

    The 代字 must be what :func:`find` would take: ``根据医保发〔2020〕1号`` is
    not one 文号.
    """
    stripped = text.strip()
    if not _FULL_RE.fullmatch(stripped):
        return None
    found = find(stripped)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(stripped):
        return found[0][2]
    return None


def normalise(text: str) -> str | None:
    """``text`` as a normalised 文号 (``代字〔YYYY〕N号``), or None if it is not one."""
    doc = parse(text)
    return None if doc is None else str(doc)


def _trim_stop_words(run: str, stop_words: tuple[str, ...]) -> str:
    cut = 0
    for word in stop_words:
        pos = run.find(word)
        while pos != -1:
            end = pos + len(word)
            if end > cut:
                cut = end
            pos = run.find(word, pos + 1)
    return run[cut:]


def _trim_agency(code: str, suffixes: tuple[str, ...], kinds: frozenset[str]) -> str:
    while True:
        cut = _agency_cut(code, suffixes, kinds)
        if cut is None:
            return code
        code = code[cut:]


def _agency_cut(code: str, suffixes: tuple[str, ...], kinds: frozenset[str]) -> int | None:
    for j in range(len(code)):
        for suffix in suffixes:  # longest first
            if code.startswith(suffix, j):
                end = j + len(suffix)
                rest = code[end:]
                # 人社部明电, 工信部联发: 部 is the code's own, not an agency name
                if end >= _MIN_AGENCY and len(rest) >= _MIN_AFTER_AGENCY and not set(rest) <= kinds:
                    return end
    return None


def _issuer_code(run: str) -> str:
    words = lexicon()
    code = _trim_stop_words(run, words.get("stop_word", ()))
    kinds = frozenset("".join(words.get("code_suffix", ())))
    code = _trim_agency(code, words.get("agency_suffix", ()), kinds)
    if len(code) > _MAX_CODE:
        code = code[-_FALLBACK_CODE:]
    return code


def find(text: str) -> list[tuple[int, int, DocNumber]]:
    """Every 文号 in running ``text``, as ``(start, end, DocNumber)`` in text order.

    ``text[start:end]`` is the 文号 as written (代字 to 号). A bracket-year-number
    with no 代字 right after another 文号 and a list separator
    (``川医保发〔2019〕1号、〔2019〕2号``) takes that one's 代字; its span starts
    at the bracket.
    """
    found: list[tuple[int, int, DocNumber]] = []
    floor = 0  # never reach back into the previous 文号
    for m in _CORE_RE.finditer(text):
        begin = m.start()
        while begin > floor and text[begin - 1] in " \t\u3000\xa0":
            begin -= 1
        k = begin
        while k > floor and begin - k < _MAX_RUN and _CODE_CHAR.fullmatch(text[k - 1]):
            k -= 1
        code = _issuer_code(text[k:begin])
        doc = _make(code, m["year"], m["num"]) if code else None
        if doc is not None:
            found.append((begin - len(code), m.end(), doc))
            floor = m.end()
            continue
        if code or not found:
            continue
        prev_end, prev = found[-1][1], found[-1][2]
        if _LIST_GLUE.fullmatch(text[prev_end : m.start()]):
            cont = _make(prev.issuer_code, m["year"], m["num"])
            if cont is not None:
                found.append((m.start(), m.end(), cont))
                floor = m.end()
    return found
