"""A synthetic corpus of 医保 work reports, for benchmarks.

Reports are put together from the sentence patterns of
``bench/data/sentences.tsv`` (installed as ``kg.bench_data``), written for this
project in the genre's style, with a home region drawn from the gazetteer
(province, prefecture or county), a year, and values drawn in plausible
ranges. Everything is drawn from a random generator seeded with the corpus
seed and the report's number, so report ``i`` is the same in every corpus
of the same seed, whatever its size.

    >>> text = report_text(7, 0)
    >>> text == report_text(7, 0), text == report_text(7, 1)
    (True, False)
    >>> "医疗保障" in text
    True
"""

from __future__ import annotations

import functools
import random
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

from kg.base.files import write_atomic
from kg.base.regions import COUNTY, PREFECTURE, PROVINCE, gazetteer

DATA_PACKAGE = "kg.bench_data"
_SLOT = re.compile(r"\{([^{}]+)\}")
#: Sections of a report body, in order.
SECTIONS = ("intro", "coverage", "fund", "payment", "procure", "supervise", "service", "child",
            "plan")


@functools.cache
def patterns() -> dict[str, tuple[str, ...]]:
    """Section name → its sentence patterns."""
    text = files(DATA_PACKAGE).joinpath("sentences.tsv").read_text(encoding="utf-8")
    out: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        section, _, pattern = line.partition("\t")
        out[section.strip()].append(pattern.strip())
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _homes() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    gaz = gazetteer()

    def pick(level: str) -> tuple[str, ...]:
        return tuple(r.code for r in gaz.regions(level) if r.short_names or level == COUNTY)

    return pick(PROVINCE), pick(PREFECTURE), pick(COUNTY)


def _deixis(name: str, level: str) -> str:
    if level == "Province":
        return "全区" if name.endswith("自治区") else "全省"
    for suffix, word in (("自治州", "全州"), ("州", "全州"), ("盟", "全盟"), ("地区", "全区"),
                         ("旗", "全旗"), ("区", "全区"), ("县", "全县")):
        if name.endswith(suffix):
            return word
    return "全市"


class _Filler:
    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        provinces, prefectures, counties = _homes()
        roll = rng.random()
        pool = provinces if roll < 0.15 else counties if roll < 0.3 else prefectures
        gaz = gazetteer()
        self.home = gaz.get(rng.choice(pool))
        self.kids = gaz.children(self.home.code) or (self.home,)
        self.child = rng.choice(self.kids)
        self.short = self.home.short_names[0] if self.home.short_names else self.home.name
        self.deixis = _deixis(self.home.name, self.home.level)

    def slot(self, m: re.Match[str]) -> str:
        name, *args = m.group(1).split(":")
        rng = self.rng
        simple = {"R": self.home.name, "Rs": self.short, "D": self.deixis, "C": self.child.name,
                  "Y": str(self.year), "Y0": str(self.year - 1), "Y1": str(self.year + 1)}
        if name in simple:
            return simple[name]
        if name == "M":
            return str(rng.randint(6, 12))
        if name == "i":
            return str(rng.randint(int(args[0]), int(args[1])))
        if name == "f":
            return f"{rng.uniform(float(args[0]), float(args[1])):.{int(args[2])}f}"
        if name in ("doc", "title"):
            choices = patterns()["doc" if name == "doc" else "citation"]
            return self.fill(rng.choice(choices))
        raise ValueError(f"unknown slot {{{m.group(1)}}} in the corpus patterns")

    def fill(self, pattern: str) -> str:
        return _SLOT.sub(self.slot, pattern)


def report_text(seed: int, index: int) -> str:
    """The text of report ``index`` of the corpus with ``seed``."""
    rng = random.Random(f"yibao-kg-corpus/{seed}/{index}")
    year = rng.randint(2019, 2024)
    f = _Filler(rng, year)
    pats = patterns()
    lines = [f.fill(rng.choice(pats["title"])), ""]
    for section in SECTIONS:
        lines.append(f.fill(pats[f"{section}.h"][0]))
        sentences = list(pats[section])
        if section == "child":  # one sentence for each of some regions inside home
            kids = rng.sample(f.kids, min(len(f.kids), rng.randint(3, 8)))
            parts = []
            for kid in kids:
                f.child = kid
                parts.append(f.fill(rng.choice(sentences)))
            lines.append("".join(parts))
            continue
        k = min(len(sentences), rng.randint(4, 8))
        chosen = sorted(rng.sample(range(len(sentences)), k))
        lines.append("".join(f.fill(sentences[i]) for i in chosen))
    lines += ["", f"{f.home.name}医疗保障局", f"{year + 1}年1月{rng.randint(5, 28)}日", ""]
    return "\n".join(lines)


def write_corpus(directory: str | Path, n: int, seed: int = 7) -> list[Path]:
    """Write reports ``0 … n-1`` of the corpus with ``seed`` as ``.txt`` files into ``directory``.

    Files already there with the right content are left alone.
    """
    directory = Path(directory)
    out = []
    for i in range(n):
        path = directory / f"report_{i:05d}.txt"
        data = report_text(seed, i).encode("utf-8")
        if not (path.is_file() and path.read_bytes() == data):
            write_atomic(path, data)
        out.append(path)
    return out
