"""Agency identity: official full names, jurisdictions and issuers of 文号.

One naming rule per level, from the templates of
``ontology/lexicon/agencies.tsv``: a body of a province or a prefecture is
named after its region's official name (江苏省医疗保障局, 海北藏族自治州医疗
保障局); a body of a 市辖区 carries its city in front, as district seals do
(常州市武进区医疗保障局); one of a 县, 县级市 or 旗 is named by its own name
(门源回族自治县医疗保障局); national bodies have names of their own (国家医疗
保障局, 财政部). Identity across reports follows from the name: the same full
name is the same node.

    >>> from kg.base.regions import gazetteer
    >>> from kg.extract.agencies import agency_forms
    >>> official_names(agency_forms()["医保局"], "320412", gazetteer())
    ('常州市武进区医疗保障局',)
    >>> official_names(agency_forms()["委"], "540000", gazetteer())
    ('中国共产党西藏自治区委员会',)
    >>> [a.name for a in issuers("遂人社办发", "510900", gazetteer())]
    ['遂宁市人力资源和社会保障局办公室']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kg.base.regions import CHINA, COUNTY, PREFECTURE, PROVINCE, Gazetteer
from kg.base.resources import lexicon_rows
from kg.extract.agencies import AgencyForm, agency_forms, national_forms


def region_name(code: str, gaz: Gazetteer) -> str:
    """The region's name as the first part of its bodies' names ({R} of the templates).

    A 市辖区 carries its city in front, a municipality's district too (重庆市南川区).

        >>> from kg.base.regions import gazetteer
        >>> region_name("320412", gazetteer()), region_name("632221", gazetteer())
        ('常州市武进区', '门源回族自治县')
        >>> region_name("500119", gazetteer())
        '重庆市南川区'
    """
    region = gaz.get(code)
    if region.level == COUNTY and region.name.endswith("区") and region.parent:
        parent = gaz.get(region.parent)
        if parent.level != PROVINCE or in_municipality(code, gaz):
            return parent.name + region.name
    return region.name


def in_municipality(code: str, gaz: Gazetteer) -> bool:
    """A county-level region right under a municipality (北京, 天津, 上海, 重庆).

        >>> from kg.base.regions import gazetteer
        >>> in_municipality("500119", gazetteer()), in_municipality("320412", gazetteer())
        (True, False)
    """
    region = gaz.get(code)
    if region.level != COUNTY or not region.parent:
        return False
    parent = gaz.get(region.parent)
    return parent.level == PROVINCE and parent.name.endswith("市")


def official_names(row: AgencyForm, code: str, gaz: Gazetteer) -> tuple[str, ...]:
    """The full names a form denotes for the region ``code`` (two for 纪委监委).

    The districts and counties of a municipality name their bodies as a prefecture
    does (重庆市南川区卫生健康委员会, not …卫生健康局).
    """
    if code == CHINA:
        return tuple(row.national.split("|")) if row.national else ()
    level = PREFECTURE if in_municipality(code, gaz) else gaz.get(code).level
    template = row.templates.get(level)
    if not template or template == "-":
        return ()
    name = region_name(code, gaz)
    return tuple(t.replace("{R}", name) for t in template.split("|"))


@functools.cache
def _type_of_name() -> dict[str, str]:
    """Full national names → agency type (for national bodies named by 代字)."""
    out = {n.name: n.type for n in national_forms().values()}
    for row in agency_forms().values():
        for name in (row.national or "").split("|"):
            if name:
                out.setdefault(name, row.type)
    return out


def national_type(name: str) -> str:
    """The agency type of a national body's full name (offices take their ministry's)."""
    table = _type_of_name()
    if name in table:
        return table[name]
    for suffix in ("办公厅", "办公室"):
        if name.endswith(suffix) and name[: -len(suffix)] in table:
            return table[name[: -len(suffix)]]
    return "OtherAgency"


def national_parent(name: str) -> str | None:
    """The body a national unit belongs to (国家医疗保障局办公室 → 国家医疗保障局)."""
    for n in national_forms().values():
        if n.name == name and n.parent:
            return n.parent
    for suffix in ("办公厅", "办公室"):
        if name.endswith(suffix) and name[: -len(suffix)] in _type_of_name():
            return name[: -len(suffix)]
    return None


@dataclass(frozen=True)
class Issuer:
    """A body that issued a document, read from its 代字."""

    name: str
    agency_type: str
    jurisdiction: str
    parent: str | None = None


@functools.cache
def _issuer_codes() -> tuple[tuple[str, str, str], ...]:
    rows = [(r[0], r[1], r[2]) for r in lexicon_rows("issuer_codes.tsv")]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0], r[1])))


@functools.cache
def _province_abbreviations() -> dict[str, str]:
    return {r[0]: r[1] for r in lexicon_rows("province_abbreviations.tsv")}


def _abbreviated_region(prefix: str, home: str | None, gaz: Gazetteer) -> str | None:
    """The region a 代字's leading characters abbreviate: home or an ancestor first."""
    if not prefix:
        return None
    if home is not None and home in gaz:
        for region in (gaz.get(home), *gaz.ancestors(home)):
            if region.code != CHINA and region.name.startswith(prefix):
                return region.code
    return _province_abbreviations().get(prefix)


def issuers(code: str, home: str | None, gaz: Gazetteer) -> tuple[Issuer, ...]:
    """The bodies a 代字 names: national codes from the table, local ones by region + code."""
    for key, scope, creators in _issuer_codes():
        if scope == "national" and code == key:
            return tuple(Issuer(n, national_type(n), CHINA, national_parent(n))
                         for n in creators.split("|"))
    for key, scope, creators in _issuer_codes():
        if scope != "local" or not code.endswith(key):
            continue
        region = _abbreviated_region(code[: -len(key)], home, gaz)
        if region is None:
            continue
        form, _, unit = creators.partition("+")
        row = agency_forms()[form]
        names = official_names(row, region, gaz)
        if not names:
            continue
        if unit:
            return tuple(Issuer(n + unit, row.type, region, n) for n in names)
        parent = _parent_name(row, region, gaz)
        return tuple(Issuer(n, row.type, region, parent) for n in names)
    return ()


def _parent_name(row: AgencyForm, code: str, gaz: Gazetteer) -> str | None:
    if row.parent is None:
        return None
    names = official_names(agency_forms()[row.parent], code, gaz)
    return names[0] if names else None


def parent_of(row: AgencyForm, code: str, gaz: Gazetteer) -> tuple[str, str] | None:
    """The full name and type of the body a form's body belongs to (服务中心 → 医疗保障局)."""
    if row.parent is None:
        return None
    parent_row = agency_forms()[row.parent]
    name = _parent_name(row, code, gaz)
    return (name, parent_row.type) if name else None
