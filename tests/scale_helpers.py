"""Helpers of the scale tests: a folder of reports to change, and full builds to compare with."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.graph.serialize import serialize
from kg.run.build import build_reports

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: Two short reports: A cites a notice with its 文号, B the same notice by its title only,
#: so that B's triples depend on A (one identity per document across reports).
REPORT_A = ("常州市医疗保障局2023年工作总结\n"
            "2023年，全市认真落实《关于做好支付方式改革工作的通知》（医保发〔2021〕48号），"
            "全面推进DRG付费改革，基本医疗保险参保人数达390.5万人。\n")
REPORT_B = ("武进区医疗保障局2023年工作总结\n"
            "2023年，全区贯彻《关于做好支付方式改革工作的通知》，推进DIP付费，"
            "追回医保基金320.5万元。\n")


def make_folder(root: Path, seeds: int = 2) -> Path:
    """A folder with the first ``seeds`` seed reports and the reports A and B."""
    folder = root / "reports"
    folder.mkdir(parents=True)
    for src in sorted(SEEDS.glob("*.txt"))[:seeds]:
        shutil.copy(src, folder / src.name)
    (folder / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT_B, encoding="utf-8")
    return folder


def full_build(folder: Path, fmt: str = "turtle") -> bytes:
    """The output of a plain full build (no cache, one process)."""
    result = build_reports([folder])
    assert result.reports
    graph = result.dataset() if fmt == "trig" else result.graph()
    return serialize(graph, fmt)
