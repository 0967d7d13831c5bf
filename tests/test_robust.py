"""One report never costs the others: a failure inside one report (an exception, a
worker that dies) is one line naming the file, in this process, in ``-j`` workers and on
Dask; long texts are extracted in bounded pieces with every offset of the whole text."""

from __future__ import annotations

import itertools
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.base.errors import ExtractionError
from kg.base.records import Document, Given
from kg.cli import main
from kg.extract.pieces import MAX_PIECE, extract_report, piece_bounds, piece_document
from kg.ingest.collect import read_document
from kg.run import work
from kg.run.build import build_reports
from tests.conftest import SEEDS
from tests.scale_helpers import make_folder

# A stand-in for a bug of the extractor that one report meets: installed in worker
# processes through sitecustomize (they are new interpreters), in this one by monkeypatch.
SITECUSTOMIZE = '''
import os
if os.environ.get("KG_TEST_BREAK_ON"):
    import kg.run.work as work
    real = work.linked
    def linked(path, data=None, given=()):
        if os.environ["KG_TEST_BREAK_ON"] in str(path):
            if os.environ.get("KG_TEST_HOW") == "die":
                os._exit(3)  # as a worker killed for its memory
            raise ValueError("a bug met by this report")
        return real(path, data, given)
    work.linked = linked
'''


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = make_folder(tmp_path, seeds=1)  # a seed, a.txt, b.txt
    shutil.copy(SEEDS / "002_65a502b2b886f2ef.txt", folder / "bad.txt")
    return folder


@pytest.fixture
def breaking_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{site}:{':'.join(sys.path)}")
    monkeypatch.setenv("KG_TEST_BREAK_ON", "bad.txt")
    yield


def _check(result_errors: list[object], built: int, expected_built: int, problem: str) -> None:
    assert built == expected_built
    [err] = result_errors
    assert isinstance(err, ExtractionError)
    assert str(err).endswith(f"bad.txt: {problem}")
    assert "\n" not in str(err)


def test_an_exception_in_one_report_costs_that_report_only(
        folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = work.linked

    def linked(path: str | Path, data: bytes | None = None, given: Given = ()) -> object:
        if "bad.txt" in str(path):
            raise ValueError("a bug met by\nthis report")
        return real(path, data, given)

    monkeypatch.setattr(work, "linked", linked)
    result = build_reports([folder])
    _check(list(result.errors), len(result.packed), 3,
           "extraction failed (ValueError: a bug met by this report)")
    out = folder.parent / "out.ttl"
    assert main(["build", str(folder), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"kg: skipped {folder / 'bad.txt'}: extraction failed "
                   f"(ValueError: a bug met by this report)"]
    assert out.exists()


@pytest.mark.slow
def test_an_exception_in_a_worker_costs_that_report_only(folder: Path,
                                                         breaking_workers: None) -> None:
    result = build_reports([folder], jobs=2)
    _check(list(result.errors), len(result.packed), 3,
           "extraction failed (ValueError: a bug met by this report)")


@pytest.mark.slow
def test_a_worker_that_dies_costs_its_report_only(folder: Path, breaking_workers: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_TEST_HOW", "die")
    one = build_reports([folder])  # this process is not patched: the reference
    result = build_reports([folder], jobs=2)
    _check(list(result.errors), len(result.packed), 3,
           "the worker process extracting it died (out of memory?)")
    built = [r.document.source_file for r in result.reports]
    assert built == [r.document.source_file for r in one.reports if r.document.source_file
                     != "bad.txt"]


@pytest.mark.slow
def test_a_failure_on_the_cluster_costs_that_report_only(folder: Path,
                                                         breaking_workers: None) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        result = build_reports([folder], scheduler=cluster.scheduler_address)
    _check(list(result.errors), len(result.packed), 3,
           "extraction failed (ValueError: a bug met by this report)")


# --- long texts in pieces -----------------------------------------------------------------

PARAGRAPHS = [
    "2023年，全市基本医疗保险参保人数达{n}万人，参保率稳定在95%以上。",
    "全年医保基金支出{n}亿元，同比增长6.5%。",
    "开展定点医药机构专项检查，追回医保基金{n}万元。",
    "城乡居民医保人均财政补助标准提高到640元，个人缴费{n}元。",
    "推进DRG付费改革，覆盖{n}家定点医疗机构。",
]


def _long_report(paragraphs: int, newline: bool = True) -> str:
    body = [PARAGRAPHS[i % len(PARAGRAPHS)].format(n=100 + i) for i in range(paragraphs)]
    return "某市医疗保障局2023年工作总结\n" + ("\n" if newline else "").join(body) + "\n"


def _document(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def test_pieces_cover_the_text_and_end_at_line_or_sentence_ends() -> None:
    text = _long_report(400)
    bounds = piece_bounds(text, 2000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert all(0 < e - s <= 2000 and text[e - 1] == "\n" for s, e in bounds[:-1])
    one_line = _long_report(400, newline=False)
    assert all(one_line[e - 1] == "。" for _, e in piece_bounds(one_line, 2000)[:-1])
    han = "医" * 5000  # no place to cut but inside: cut at the limit
    assert piece_bounds(han, 2000) == [(0, 2000), (2000, 4000), (4000, 5000)]


def test_a_piece_keeps_its_skipped_spans_and_title(tmp_path: Path) -> None:
    doc = _document(tmp_path, _long_report(50))
    assert doc.title_span is not None
    first = piece_document(doc, 0, 200)
    assert first.title_span == doc.title_span and first.text == doc.text[:200]
    later = piece_document(doc, 200, 400)
    assert later.title_span is None and later.title == doc.title


def test_pieces_give_the_records_of_the_whole_text(tmp_path: Path) -> None:
    """A report of self-contained paragraphs: extracted in pieces of 2,000 characters
    it gives the same records as extracted whole, at offsets into the whole text."""
    doc = _document(tmp_path, _long_report(300))
    whole = extract_report(doc, limit=len(doc.text))
    pieces = extract_report(doc, limit=2000)
    assert len(piece_bounds(doc.text, 2000)) >= 5
    assert pieces == whole
    assert len(pieces.observations) >= 300
    for o in pieces.observations:
        assert doc.text[o.start:o.end] == o.text
        assert doc.text[o.sentence.start:o.sentence.end] == o.sentence.text


def test_a_long_line_is_extracted_in_pieces_with_every_offset(tmp_path: Path) -> None:
    doc = _document(tmp_path, _long_report(300, newline=False))
    found = extract_report(doc, limit=2000)
    assert len(found.observations) >= 300
    for records in (found.observations, found.regions, found.programs, found.sentences):
        for r in records:
            assert doc.text[r.start:r.end] == r.text  # type: ignore[attr-defined]
    # the report's year dates the numbers of every piece, not only the first
    assert {o.period for o in found.observations} == {"2023"}


@pytest.mark.slow
def test_a_text_over_spacys_limit_is_built(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Over a million characters (spaCy's limit), under the 8 MiB limit, in one line."""
    text = _long_report(36_000, newline=False)
    assert len(text) > 1_000_000 and len(text.encode()) < 8 * 2**20
    assert len(piece_bounds(text)) > len(text) // MAX_PIECE
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "huge.ttl"
    assert main(["build", str(path), "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert out.stat().st_size > 1_000_000
