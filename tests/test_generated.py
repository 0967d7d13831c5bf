"""Any input: a few hundred generated files — random bytes, CJK soup, mutated reports we
write, HTML soup, long lines, huge and negative numbers, the same bytes under two names,
every encoding — built by the real ``kg build``: no traceback, no hang, every file built
or skipped with one line, and the graph conforms to the project's own shapes.

The counts are printed (files, built, skipped, violations, tracebacks)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.graph.validate import validate
from kg.use.sparql import load_graph
from tests.conftest import ROOT

SEED = 18
#: Seconds the build of all generated files may take before it counts as a hang.
HANG = 110

REGIONS = ["武进区", "常州市", "固原市", "西宁市", "海北州", "临夏县", "甘州区", "遂宁市", "拉萨市"]
PROGRAMS = ["DRG付费", "DIP付费", "药品集中带量采购", "长期护理保险", "门诊共济", "医保电子凭证"]
MEASURES = [
    ("基本医疗保险参保人数", "万人"), ("城乡居民医保参保人数", "人"), ("医保基金支出", "亿元"),
    ("追回医保基金", "万元"), ("政策范围内住院费用基金支付比例", "%"), ("定点医药机构", "家"),
    ("异地就医直接结算", "万人次"), ("当期结余", "亿元"), ("人均财政补助标准", "元"),
]
SENTENCES = [
    "截至{year}年{month}月底，全{lvl}{m}达{n}{u}，同比增长{p}%。",
    "{year}年，{region}{m}{n}{u}，其中职工医保{k}{u}。",
    "全面推进{prog}改革，覆盖{n}家定点医疗机构。",
    "开展打击欺诈骗保专项行动，检查定点医药机构{n}家，追回医保基金{k}万元。",
    "到{later}年，{m}力争达到{n}{u}。",
    "落实《关于做好{year}年城乡居民基本医疗保障工作的通知》（医保发〔{year}〕{k}号），{prog}稳步推进。",
    "市医疗保障局会同市财政局、市卫生健康委员会联合开展专项检查。",
    "{m}分别为{n}{u}和{k}{u}。",
    "预计全年{m}{n}{u}左右。",
    "当期结余-{p}亿元，同比下降{p}个百分点。",
]
HUGE = ["9" * 40, "1" + "0" * 60, "12345678901234567890123456789.5", "９" * 35,
        "九千九百九十九万亿亿", "1.5e+30", "0." + "0" * 40 + "1"]
MINUS = ["-", "−", "－", "负"]
NAV = ["首页", "政务公开", "机构概况", "新闻动态", "联系我们", "网站地图", "无障碍"]


def _sentence(rng: random.Random, year: int) -> str:
    m, u = rng.choice(MEASURES)
    return rng.choice(SENTENCES).format(
        year=year, month=rng.randint(1, 12), later=year + rng.randint(1, 5),
        lvl=rng.choice("市区县州省"), region=rng.choice(REGIONS), prog=rng.choice(PROGRAMS),
        m=m, u=u, n=round(rng.uniform(0.1, 9999), rng.randint(0, 2)), k=rng.randint(1, 999),
        p=round(rng.uniform(0.1, 30), 1))


def _report(rng: random.Random, dated: bool = True) -> str:
    """A short report as the genre writes it (our own wording)."""
    year = rng.randint(2018, 2025)
    region = rng.choice(REGIONS)
    title = f"{region}医疗保障局{year}年工作总结" if dated else f"{region}医疗保障局工作总结"
    paragraphs = []
    for _ in range(rng.randint(1, 5)):
        paragraphs.append("".join(_sentence(rng, year) for _ in range(rng.randint(1, 3))))
    text = title + "\n" + "\n".join(paragraphs) + "\n"
    if dated and rng.random() < 0.5:
        text += f"\n{region}医疗保障局\n{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日\n"
    if not dated:  # no year anywhere: the numbers have no period to take
        text = re.sub(r"\d{4}年", "今年", text)
    return text


def _cjk(rng: random.Random, n: int) -> str:
    pool = "".join(chr(c) for c in range(0x4E00, 0x9FA5, 37)) + "，。、；：！？万亿元人%0123456789\n"
    return "".join(rng.choice(pool) for _ in range(n))


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(8)
        i = rng.randrange(len(text) + 1)
        if kind == 0:  # a cut
            text = text[:i] + text[i + rng.randint(1, 40):]
        elif kind == 1:  # noise
            text = text[:i] + _cjk(rng, rng.randint(1, 30)) + text[i:]
        elif kind == 2:  # a huge number with a unit
            text = text[:i] + f"，基金结余{rng.choice(HUGE)}{rng.choice(['亿元', '万人', '%'])}，" + text[i:]
        elif kind == 3:  # a minus in any of its forms
            text = text[:i] + f"，当期结余{rng.choice(MINUS)}{rng.randint(1, 99) / 10}亿元，" + text[i:]
        elif kind == 4:  # no newlines at all
            text = text.replace("\n", "")
        elif kind == 5:  # full-width digits
            text = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
        elif kind == 6:  # a repeated stretch
            text = text[:i] + text[max(0, i - 100):i] * rng.randint(2, 3) + text[i:]
        else:  # stray markup and control characters
            text = text[:i] + rng.choice(["<p>", "</div>", "&nbsp;", "\t", "\r\n", "\u3000", "\x0c"]) + text[i:]
    return text


def _encode(rng: random.Random, text: str) -> bytes:
    kind = rng.randrange(9)
    if kind == 0:
        return text.encode("gb18030", errors="replace")
    if kind == 1:
        return text.encode("utf-16-le")  # no byte-order mark
    if kind == 2:
        return text.encode("utf-16")  # with one
    if kind == 3:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if kind == 4:
        return text.encode("utf-8")[:-1]  # cut mid-character (or not)
    return text.encode("utf-8")


def _html(rng: random.Random, body: str) -> str:
    nav = "".join(f'<li><a href="/{i}">{n}</a></li>' for i, n in enumerate(rng.sample(NAV, 4)))
    parts = [f"<p>{p}</p>" if rng.random() < 0.7 else f"<div><span>{p}</span></div>"
             for p in body.split("\n") if p]
    if rng.random() < 0.3:
        parts.insert(1, "<table><tr><td>指标</td><td>2023年</td></tr><tr><td>参保人数（万人）"
                        f"</td><td>{rng.randint(1, 999)}</td></tr></table>")
    page = (f"<html><head><meta charset='utf-8'><title>{body.splitlines()[0]}</title>"
            f"<script>var x = '<p>';</script></head><body><ul class='nav'>{nav}</ul>"
            + "".join(parts) + "<footer>版权所有</footer></body></html>")
    if rng.random() < 0.2:  # soup: tags cut off, unclosed, nested wrong
        cut = rng.randrange(len(page))
        page = page[:cut] + "<div><p><b>" + page[cut:].replace("</p>", "", 3)
    return page


@dataclass
class Inputs:
    folder: Path
    files: int


def generate(folder: Path) -> Inputs:
    """The generated inputs (same files for the same seed)."""
    rng = random.Random(SEED)
    folder.mkdir()
    n = 0

    def put(name: str, data: bytes) -> None:
        nonlocal n
        (folder / f"{n:03d}_{name}").write_bytes(data)
        n += 1

    for _ in range(30):  # random bytes, some behind a magic number
        magic = rng.choice([b"", b"", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"])
        put("bytes.txt", magic + rng.randbytes(rng.randint(0, 3000)))
    for _ in range(30):  # CJK soup
        put("soup.txt", _cjk(rng, rng.randint(20, 3000)).encode("utf-8"))
    for i in range(110):  # mutated reports, in every encoding
        text = _mutate(rng, _report(rng, dated=i % 5 != 0))
        put("report.md" if i % 7 == 0 else "report.txt", _encode(rng, text))
    for _ in range(40):  # HTML soup, some of it in .txt files
        page = _html(rng, _mutate(rng, _report(rng)))
        put("page.txt" if rng.random() < 0.2 else "page.html", page.encode("utf-8"))
    for _ in range(10):  # navigation only
        put("nav.html", _html(rng, "导航").encode("utf-8"))
    for size in (20_000, 60_000):  # long lines: no newline at all, the longer in pieces
        parts = []
        while sum(map(len, parts)) < size:
            parts.append(_sentence(rng, 2023) if rng.random() < 0.15
                         else _cjk(rng, 60).replace("\n", "，") + "。")
        put("line.txt", ("某市医疗保障局2023年工作总结" + "".join(parts)).encode("utf-8"))
    for _ in range(20):  # huge and negative numbers
        year = rng.randint(2019, 2024)
        lines = [f"{rng.choice(REGIONS)}医疗保障局{year}年基金运行情况"] + [
            f"{m}{rng.choice(MINUS) if rng.random() < 0.3 else ''}{rng.choice([*HUGE, '12.5'])}{u}，"
            f"同比增长{rng.choice(MINUS)}{rng.randint(1, 30)}%。" for m, u in rng.sample(MEASURES, 5)]
        put("numbers.txt", "\n".join(lines).encode("utf-8"))
    for _ in range(8):  # empty, blank, tiny
        put("blank.txt", rng.choice([b"", b" \n\t", "\u3000\n".encode(), b"1234\n", "医保".encode()]))
    for _ in range(6):  # the same bytes under two names
        data = _report(rng).encode("utf-8")
        put("twin.txt", data)
        put("twin.txt", data)
    return Inputs(folder, n)


@dataclass
class Outcome:
    files: int
    built: int
    skipped: int
    tracebacks: int
    violations: list[str]
    stderr: str


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    root = tmp_path_factory.mktemp("generated")
    inputs = generate(root / "in")
    out = root / "out.ttl"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(inputs.folder),
                           "-o", str(out), "-j", "2", "--no-progress"], cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG)
    built = re.search(r"built (\d+) report\(s\)", done.stdout)
    skipped = [line for line in done.stderr.splitlines() if line.startswith("kg: skipped ")]
    tracebacks = (done.stderr.count("Traceback") + done.stderr.count("internal error")
                  + sum("extraction failed" in line or "worker process" in line
                        for line in skipped))
    report = validate(load_graph(out)) if out.exists() else None
    violations = [] if report is None else [f"{v.focus} {v.path}: {v.message}"
                                            for v in report.violations]
    result = Outcome(inputs.files, int(built.group(1)) if built else 0, len(skipped), tracebacks,
                     violations, done.stderr)
    assert done.returncode == 1, done.stderr[-2000:]  # some inputs are not reports
    return result


@pytest.mark.slow
def test_no_traceback_no_hang_every_file_accounted_for(outcome: Outcome,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():  # the counts, on the terminal whatever the capture
        print(f"\ngenerated inputs: {outcome.files} files, {outcome.built} built, "
              f"{outcome.skipped} skipped, {len(outcome.violations)} violations, "
              f"{outcome.tracebacks} tracebacks")
    assert outcome.tracebacks == 0, outcome.stderr[-3000:]
    assert outcome.built + outcome.skipped == outcome.files
    assert outcome.built > outcome.files // 2
    # every problem is one line naming its file
    for line in outcome.stderr.splitlines():
        assert re.match(r"kg: (skipped|warning: ).*/\d{3}_\w+\.\w+: \S", line), line
    assert outcome.stderr.count("same content as") == 6


@pytest.mark.slow
def test_the_graph_conforms_to_the_shapes(outcome: Outcome) -> None:
    """No violation: numbers of reports naming no year are kept without yb:period (a
    warning, like a missing region), full-width years (２０２０年) are read."""
    assert outcome.violations == []
