"""The project's data files: the ontology's Turtle and the lexicon TSVs.

The top-level folder ``ontology/`` is installed as the package
``kg.ontology_data`` (and ``ontology/lexicon/`` as ``kg.ontology_data.lexicon``),
so the files are found the same way in a source checkout, an editable install
and a wheel::

    >>> rows = lexicon_rows("report_kinds.tsv")
    >>> rows[0][0] in {"ProposalReply", "WorkSummary", "Plan", "StatisticalRelease"}
    True

Every lexicon TSV is read here, once, by one loader (:func:`lexicon`) and checked
against its declaration in :data:`LEXICONS`: its columns, how many every row fills,
and for a kind-keyed list (``kind<TAB>word…``) the kinds it may hold, most of them
declared by the file's own comment lines (``#   kind  what it means``). A row of an
undeclared kind, a row missing a column, or code asking for a kind the file does not
declare raises :class:`LexiconError` naming the file (and the line).
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Final, TypeVar, overload

from kg.base.errors import OntologyError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

_T = TypeVar("_T")

DATA_PACKAGE = "kg.ontology_data"
LEXICON_PACKAGE = "kg.ontology_data.lexicon"


def ontology_dir() -> Traversable:
    """The installed ``ontology/`` folder."""
    return files(DATA_PACKAGE)


def data_digest(root: Traversable | None = None) -> str:
    """A hash of every data file under ``root`` (default: the installed ``ontology/``):
    the ontology's Turtle and the lexicon TSVs, by relative path and content.

    Caches of what is compiled from the data (the pipeline's phrase matchers,
    :mod:`kg.extract.nlp`) are keyed by it, so that they are rebuilt when a file changes.
    Python's bytecode caches are left out. The installed folder's digest is
    worked out once per process.
    """
    if root is None:
        return _installed_digest()
    return _digest(root)


@functools.cache
def _installed_digest() -> str:
    return _digest(ontology_dir())


def _digest(root: Traversable) -> str:
    digest = hashlib.sha256()
    todo: list[tuple[str, Traversable]] = [("", root)]
    while todo:
        prefix, folder = todo.pop()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            name = f"{prefix}{entry.name}"
            if entry.is_dir():
                if entry.name != "__pycache__":
                    todo.append((f"{name}/", entry))
            elif entry.is_file() and not entry.name.endswith((".pyc", ".pyo")):
                data = entry.read_bytes()
                digest.update(f"{name}\0{len(data)}\0".encode())
                digest.update(data)
    return digest.hexdigest()


def lexicon_file(name: str) -> Traversable:
    """A file of the installed ``ontology/lexicon/`` folder."""
    return files(LEXICON_PACKAGE).joinpath(name)


#: A kind-keyed lexicon whose kinds are declared in its comment block: a line ``#   kind  what
#: it means`` (three spaces after ``#``; several kinds joined by ``, `` share a description).
FROM_COMMENTS: Final = "comments"


@dataclass(frozen=True)
class LexiconSpec:
    """What one lexicon TSV holds: its columns in order, how many of them every row fills,
    which column is the kind (if any) and the kinds allowed there.

    ``kinds`` is a tuple of names, :data:`FROM_COMMENTS` (the file's comment block declares
    them), or None (any kind). ``kind_columns`` raises the number of filled columns a row of
    that kind needs (a ``program_indicator`` row names an indicator in its fourth column).
    """

    columns: tuple[str, ...]
    required: int
    kind: int | None = None
    kinds: tuple[str, ...] | str | None = None
    kind_columns: Mapping[str, int] = field(default_factory=dict)


def _spec(columns: str, required: int, kind: str | None = None,
          kinds: tuple[str, ...] | str | None = FROM_COMMENTS,
          **kind_columns: int) -> LexiconSpec:
    names = tuple(columns.split())
    return LexiconSpec(names, required, None if kind is None else names.index(kind),
                       kinds if kind is not None else None, kind_columns)


#: Every lexicon TSV of ``ontology/lexicon/``, declared: reading any other name is an error.
LEXICONS: Final[Mapping[str, LexiconSpec]] = {
    "agencies.tsv": _spec("form mode type national province prefecture county parent "
                          "not_before", 9, "mode", ("name", "prefixed", "placed", "dept")),
    "agencies_addressed.tsv": _spec("word form", 2),
    "agencies_joint.tsv": _spec("form mode parts", 3, "mode", ("name", "dept")),
    "agencies_national.tsv": _spec("form name type parent", 4),
    "agency_units.tsv": _spec("pattern type region named", 4),
    "agency_words.tsv": _spec("kind word", 2, "kind"),
    "citation_words.tsv": _spec("word kind note", 2, "kind"),
    "domain_terms.tsv": _spec("term note", 1),
    "issuer_codes.tsv": _spec("code scope creators", 3, "scope", ("national", "local")),
    "observation_words.tsv": _spec(
        "kind word value indicator", 2, "kind", table_column=3, measure_unit=3, not_with=3,
        scheme_word=3, indicator_scheme=3, program_indicator=4),
    "organizations.tsv": _spec("form kind orgtype full place", 5, "kind", ("suffix", "name")),
    "page_chrome.tsv": _spec("kind key pattern where", 4, "kind",
                             ("header", "chrome", "cutoff", "line", "dateline")),
    "person_roles.tsv": _spec("word kind", 2, "kind",
                              ("role_before", "role_after", "surname", "verb_after")),
    "province_abbreviations.tsv": _spec("abbreviation code", 2),
    "quantity_words.tsv": _spec(
        "kind word value extra", 2, "kind", scale=3, factor_unit=4, approx_pre=3,
        approx_mid=3, approx_post=3, approx_post_time=3, approx_pre_time=3, direction=4,
        direction_link=3, unit_requires_next=3, vague_pre=3),
    "region_deixis.tsv": _spec("surface level note", 2),
    "region_short_stoplist.tsv": _spec("surface note", 1),
    # the kinds are the yb:ReportKind individuals (and agency, media): the ontology holds them
    "report_kinds.tsv": _spec("kind word priority where", 3, "kind", None),
    "table_words.tsv": _spec("kind word", 2, "kind"),
    "time_words.tsv": _spec("kind word value", 3, "kind"),
}

_DECLARED_KIND = re.compile(r"#   ([a-z][a-z0-9_]*(?:, [a-z][a-z0-9_]*)*)(?=[\s:]|$)")


class LexiconError(OntologyError):
    """A lexicon file breaks its declaration (an undeclared kind, a missing column), or code
    asks for a kind its lexicon does not declare."""


@dataclass(frozen=True)
class Lexicon:
    """One lexicon TSV, read and checked against its :class:`LexiconSpec`.

    >>> lex = lexicon("time_words.tsv")
    >>> lex.values("plan_period")["十四五"]
    '2021-2025'
    >>> lex.rows("plan_periods")
    Traceback (most recent call last):
    ...
    kg.base.resources.LexiconError: time_words.tsv: no kind 'plan_periods' is declared \
(declared: part_of_year, plan_period, relative_year)
    """

    name: str
    spec: LexiconSpec
    all_rows: tuple[tuple[str, ...], ...]
    kinds: frozenset[str]  # the declared kinds (empty: any kind, when the spec names none)

    def _check(self, kind: str) -> None:
        if self.spec.kind is None:
            raise LexiconError(f"{self.name}: has no kind column (asked for {kind!r})")
        if self.kinds and kind not in self.kinds:
            raise LexiconError(f"{self.name}: no kind {kind!r} is declared "
                               f"(declared: {', '.join(sorted(self.kinds))})")

    def rows(self, kind: str) -> tuple[tuple[str, ...], ...]:
        """The rows of a declared kind, in file order (none: an empty tuple)."""
        self._check(kind)
        return tuple(r for r in self.all_rows if r[self.spec.kind or 0] == kind)

    @property
    def word_column(self) -> int:
        """The column of the word: the one after the kind when the kind comes first."""
        return 1 if self.spec.kind == 0 else 0

    def words(self, kind: str) -> tuple[str, ...]:
        """The words of a declared kind, longest first."""
        col = self.word_column
        return tuple(sorted((r[col] for r in self.rows(kind)), key=len, reverse=True))

    def values(self, kind: str) -> dict[str, str]:
        """word → value (the third column: after kind and word) of a declared kind's rows."""
        col = self.word_column
        return {r[col]: r[2] if len(r) > 2 else "" for r in self.rows(kind)}


def _longest_first(word: str) -> int:
    return -len(word)


class KindWords(Mapping[str, tuple[str, ...]]):
    """A lexicon's words by kind, longest first: a kind the lexicon declares but lists no
    word of is missing (``.get(kind, default)`` gives the default); a kind it does not
    declare raises :class:`LexiconError`, so a mistyped kind is never silently empty."""

    def __init__(self, source: Lexicon, key: Callable[[str], Any] = _longest_first, *,
                 unique: bool = False) -> None:
        """``key`` orders each kind's words (ties in file order); ``unique`` keeps the first
        of words listed twice."""
        self._source = source
        out: dict[str, list[str]] = {}
        col = source.word_column
        for row in source.all_rows:
            out.setdefault(row[source.spec.kind or 0], []).append(row[col])
        self._words = {k: tuple(sorted(dict.fromkeys(v) if unique else v, key=key))
                       for k, v in out.items()}
        self._lookup = self._words.get

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        words = self._lookup(kind)
        if words is None:
            self._source._check(kind)  # raises for an undeclared kind
            raise KeyError(kind)
        return words

    @overload
    def get(self, kind: str, /) -> tuple[str, ...] | None: ...
    @overload
    def get(self, kind: str, default: tuple[str, ...] | _T, /) -> tuple[str, ...] | _T: ...

    def get(self, kind: str, default: object = None, /) -> object:
        """The words of ``kind`` (``default`` when it is declared but has none)."""
        words = self._lookup(kind)
        if words is None:
            self._source._check(kind)
            return default
        return words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


def _declared_kinds(name: str, text: str) -> frozenset[str]:
    """The kinds a file's comment lines declare (``#   kind  description``)."""
    kinds: set[str] = set()
    for line in text.splitlines():
        m = _DECLARED_KIND.match(line)
        if m:
            kinds.update(m.group(1).split(", "))
    if not kinds:
        raise LexiconError(f"{name}: its comment lines declare no kind (#   kind  description)")
    return frozenset(kinds)


def parse_lexicon(name: str, text: str, spec: LexiconSpec | None = None) -> Lexicon:
    """The text of lexicon ``name`` checked against ``spec`` (by default its declaration in
    :data:`LEXICONS`); a :class:`LexiconError` names the file and the line of a bad row."""
    if spec is None:
        spec = LEXICONS.get(name)
        if spec is None:
            raise LexiconError(f"{name}: not a declared lexicon (LEXICONS in "
                               "kg/base/resources.py)")
    kinds = (_declared_kinds(name, text) if spec.kinds == FROM_COMMENTS
             else frozenset(spec.kinds or ()))
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = tuple(cell.strip() for cell in line.split("\t"))
        if not rows and all(c.isascii() and c.replace("_", "").isalpha() and c.islower()
                            for c in row):
            if row != spec.columns[:len(row)]:
                raise LexiconError(f"{name}:{number}: header {' '.join(row)!r} is not the "
                                   f"declared columns {' '.join(spec.columns)!r}")
            rows.append(())  # the header: a placeholder, dropped below
            continue
        where = f"{name}:{number}"
        if len(row) > len(spec.columns):
            raise LexiconError(f"{where}: {len(row)} columns, {len(spec.columns)} declared "
                               f"({' '.join(spec.columns)})")
        kind = row[spec.kind] if spec.kind is not None and spec.kind < len(row) else None
        need = max(spec.required, spec.kind_columns.get(kind or "", 0))
        missing = [c for i, c in enumerate(spec.columns[:need]) if i >= len(row) or not row[i]]
        if missing:
            raise LexiconError(f"{where}: no {', '.join(missing)} (the row: {line.strip()!r})")
        if kinds and kind not in kinds:
            raise LexiconError(f"{where}: kind {kind!r} is not declared in the file's comment "
                               f"lines" if spec.kinds == FROM_COMMENTS
                               else f"{where}: kind {kind!r} is not one of "
                                    f"{', '.join(sorted(kinds))}")
        rows.append(row)
    return Lexicon(name, spec, tuple(r for r in rows if r), kinds)


@functools.cache
def lexicon(name: str) -> Lexicon:
    """A lexicon TSV of ``ontology/lexicon/``, read once and checked against its declaration
    in :data:`LEXICONS` (:class:`LexiconError` names the file and line of a bad row)."""
    if name not in LEXICONS:
        parse_lexicon(name, "")  # raises: not declared
    return parse_lexicon(name, lexicon_file(name).read_text(encoding="utf-8"))


def lexicon_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a lexicon TSV: tab-separated cells, ``#`` comment lines, blank lines and
    the header row (the declared column names) left out."""
    return lexicon(name).all_rows


@functools.cache
def lexicon_words(name: str) -> KindWords:
    """The words of a kind-keyed lexicon TSV, by kind, longest first.

    >>> lexicon_words("agency_words.tsv")["level_word"][:3]
    ('自治区', '自治州', '自治县')
    >>> lexicon_words("agency_words.tsv").get("org_generic_start", ())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.base.resources.LexiconError: agency_words.tsv: no kind 'org_generic_start' is declared ...
    """
    return KindWords(lexicon(name))
