"""What the page knew: a manifest of what the user (or a scraper) knows about each report.

A report's text may not say where it is from or when it appeared: a county's
statistics page names its place only in the site's address, a news item names
no city. ``kg build --manifest FILE`` reads a CSV file (a header row) or JSON
lines with one row per report:

=============  ==============================================================
``file``       the report's file: its path as given to ``kg build``, a path
               relative to the manifest, or its file name (required)
``url``        the page's address (``yb:sourceURL``)
``region``     a six-digit GB/T 2260 code, or a region's official name
``issued``     the publication date (2023-05-12, 2023年5月12日, 2023-05)
``publisher``  the publishing body's full name (北京市医疗保障局)
``kind``       a report kind: WorkSummary, Plan, ProposalReply, News,
               StatisticalRelease, OtherReport
``title``      the report's title
=============  ==============================================================

and ``kg build --region CODE`` gives every report the same region (a
manifest's own ``region`` for a file wins over it). These
values fill what the text does not say (:mod:`kg.extract.frame`); where the
text says otherwise in its title, header lines or signature, the text wins and
the build says so (a warning line); a region the body merely names most often
gives way to the one supplied. A manifest with an
unknown column, a row without ``file``, an unknown region or kind is an error
naming the manifest and the row.

    >>> import io
    >>> rows = read_rows(io.StringIO("file,region,url\\na.txt,150825,http://x.gov.cn/1.html\\n"),
    ...                  "m.csv")
    >>> rows[0]
    {'file': 'a.txt', 'region': '150825', 'url': 'http://x.gov.cn/1.html'}
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from kg.base.errors import ManifestError
from kg.base.records import Given
from kg.base.regions import Gazetteer, gazetteer

#: The columns a manifest may have.
COLUMNS = ("file", "url", "region", "issued", "publisher", "kind", "title")
#: The report kinds a manifest may name (``yb:ReportKind`` local names).
KINDS = ("WorkSummary", "Plan", "ProposalReply", "News", "StatisticalRelease", "OtherReport")


def read_rows(stream: IO[str], name: str) -> list[dict[str, str]]:
    """The rows of a manifest stream: CSV with a header row, or JSON lines (one object
    per line, detected by a first character ``{``). Empty values are left out."""
    text = stream.read()
    rows: list[dict[str, str]] = []
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ManifestError(name, f"line {number} is not JSON: {exc.msg}") from None
            if not isinstance(obj, dict):
                raise ManifestError(name, f"line {number} is not a JSON object")
            rows.append(_row(obj, name, number))
        return rows
    reader = csv.DictReader(text.splitlines())
    for number, raw in enumerate(reader, start=2):
        rows.append(_row(raw, name, number))
    return rows


def _row(raw: Mapping[str, object], name: str, number: int) -> dict[str, str]:
    unknown = sorted(str(k) for k in raw if k not in COLUMNS)
    if unknown:
        raise ManifestError(name, f"row {number}: unknown column {', '.join(unknown)} "
                                  f"(columns: {', '.join(COLUMNS)})")
    row = {k: str(v).strip() for k, v in raw.items() if v is not None and str(v).strip()}
    if "file" not in row:
        raise ManifestError(name, f"row {number}: no file")
    return row


@dataclass(frozen=True)
class Manifest:
    """What a manifest says, by report; :meth:`given` answers for one input file.
    ``default`` is what every report is given unless its row says otherwise
    (``--region``).

        >>> m = supplied(region="乌拉特后旗")
        >>> m.given("any/report.txt")
        (('region', '150825'),)
    """

    path: str
    by_path: Mapping[str, Given] = field(default_factory=dict)
    by_name: Mapping[str, Given] = field(default_factory=dict)
    default: Given = ()

    def given(self, file: str | Path) -> Given:
        """The (key, value) pairs given for ``file`` (its row over the default), or ``()``."""
        p = Path(file)
        row: Given | None = None
        for key in (str(p), str(p.resolve())):
            if key in self.by_path:
                row = self.by_path[key]
                break
        if row is None:
            row = self.by_name.get(p.name, ())
        if not self.default:
            return row
        return tuple(sorted({**dict(self.default), **dict(row)}.items()))


def supplied(manifest: str | Path | None = None, region: str | None = None,
             gaz: Gazetteer | None = None) -> Manifest | None:
    """What ``kg build --manifest FILE --region CODE`` supplies, or None for neither."""
    if manifest is None and region is None:
        return None
    found = load_manifest(manifest, gaz) if manifest is not None else Manifest("--region")
    if region is None:
        return found
    return replace(found, default=(("region", region_code(region, gaz)),))


def load_manifest(path: str | Path, gaz: Gazetteer | None = None) -> Manifest:
    """Read and check a manifest file (see the module docstring)."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig") as stream:
            rows = read_rows(stream, str(path))
    except OSError as exc:
        raise ManifestError(str(path), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ManifestError(str(path), "not UTF-8 text") from None
    return manifest_of(rows, str(path), p.parent, gaz)


def manifest_of(rows: Iterable[Mapping[str, str]], name: str, base: Path = Path("."),
                gaz: Gazetteer | None = None) -> Manifest:
    """A manifest from its rows: regions checked against the gazetteer (names resolved to
    codes), kinds checked; files keyed by path (as written, and relative to ``base``) and
    by file name."""
    gaz = gaz or gazetteer()
    by_path: dict[str, tuple[tuple[str, str], ...]] = {}
    names: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for number, row in enumerate(rows, start=1):
        values = dict(row)
        if "region" in values:
            values["region"] = region_code(values["region"], gaz, f"{name}: row {number}")
        if "kind" in values and values["kind"] not in KINDS:
            raise ManifestError(name, f"row {number}: unknown kind {values['kind']!r} "
                                      f"(kinds: {', '.join(KINDS)})")
        file = values.pop("file")
        given = tuple(sorted(values.items()))
        for key in {file, str(base / file), str((base / file).resolve())}:
            by_path[key] = given
        names.setdefault(Path(file).name, []).append(given)
    # a file name stands for its row only when one row has it
    by_name = {k: v[0] for k, v in names.items() if len(v) == 1}
    return Manifest(name, by_path, by_name)


def region_code(value: str, gaz: Gazetteer | None = None, where: str = "--region") -> str:
    """A region's GB/T 2260 code from a code or an official name; an error otherwise.

        >>> region_code("150825"), region_code("乌拉特后旗")
        ('150825', '150825')
    """
    gaz = gaz or gazetteer()
    value = value.strip()
    if value in gaz:
        return value
    codes = [c for c in gaz.candidates(value) if not gaz.is_short(value, c)]
    if len(codes) == 1:
        return codes[0]
    problem = (f"{value!r} names several regions ({', '.join(codes)}): give the code"
               if codes else f"{value!r} is no GB/T 2260 code or region name")
    raise ManifestError(where.split(":")[0], (where.split(": ", 1)[1] + ": " if ": " in where
                                              else "") + problem)
