"""Incremental rebuilds: only new or changed files are extracted; the output equals a full build."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.run.build
import kg.run.incremental
from kg.graph.serialize import serialize
from kg.run.build import BuildResult, build_reports
from tests.scale_helpers import REPORT_A, full_build, make_folder


def _out(result: BuildResult, fmt: str = "turtle") -> bytes:
    return serialize(result.dataset() if fmt == "trig" else result.graph(), fmt)


def _names(result: BuildResult) -> list[str]:
    return sorted(p.name for p in result.extracted)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path)


@pytest.mark.slow
def test_unchanged_folder_extracts_nothing(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_reports([folder], cache=cache)
    assert len(first.extracted) == 4 and first.cached == 0
    again = build_reports([folder], cache=cache)
    assert again.extracted == [] and again.cached == 4
    assert _out(again) == _out(first) == full_build(folder)
    assert _out(again, "trig") == full_build(folder, "trig")


@pytest.mark.slow
def test_changed_file_alone_is_extracted(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_reports([folder], cache=cache)
    seed = sorted(folder.glob("0*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n全市DRG付费覆盖医疗机构120家。\n",
                    encoding="utf-8")
    result = build_reports([folder], cache=cache)
    assert _names(result) == [seed.name]
    assert _out(result) == full_build(folder)
    assert _out(result, "trig") == full_build(folder, "trig")


@pytest.mark.slow
def test_change_in_one_report_reaches_another(folder: Path, tmp_path: Path) -> None:
    """B cites a title only; A gives the same title a 文号: B's citation node follows A."""
    cache = tmp_path / "cache"
    before = build_reports([folder], cache=cache)
    (folder / "a.txt").write_text(REPORT_A.replace("（医保发〔2021〕48号）", ""), encoding="utf-8")
    after = build_reports([folder], cache=cache)
    assert _names(after) == ["a.txt"]  # b.txt came from the cache...
    assert _out(after) == full_build(folder)  # ...yet its triples are those of a full build
    assert _out(after) != _out(before)


def test_removed_file_takes_its_triples(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_reports([folder], cache=cache)
    sha = next(r.document.sha256 for r in first.reports if r.document.source_file == "b.txt")
    (folder / "b.txt").unlink()
    result = build_reports([folder], cache=cache)
    assert result.extracted == [] and len(result.reports) == 3
    out = _out(result)
    assert out == full_build(folder)
    assert sha[:16].encode() not in out
    assert len(kg.run.incremental.ReportCache(cache).keys()) == 3  # its entry is pruned


def test_new_extractor_version_invalidates(folder: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    build_reports([folder], cache=cache)
    monkeypatch.setattr(kg.run.build, "extractor_version", lambda: "another-lexicon")
    result = build_reports([folder], cache=cache)
    assert len(result.extracted) == 4
    assert _out(result) == full_build(folder)


def test_version_covers_the_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from kg.base.resources import ontology_dir

    version = kg.run.incremental.extractor_version.__wrapped__
    copy = tmp_path / "ontology"
    shutil.copytree(Path(str(ontology_dir())), copy)
    monkeypatch.setattr(kg.run.incremental, "ontology_dir", lambda: copy)
    before = version()
    assert before == version() == kg.run.incremental.extractor_version()
    words = copy / "lexicon" / "report_kinds.tsv"
    words.write_text(words.read_text(encoding="utf-8") + "WorkSummary\t新的说法\n", encoding="utf-8")
    assert version() != before


def test_version_covers_every_module_of_every_subpackage(folder: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A module changed in a subpackage (not only kg/*.py) makes a new extractor
    version: the cache misses and every report is extracted again."""
    import shutil

    version = kg.run.incremental.extractor_version
    copy = tmp_path / "kg"
    shutil.copytree(kg.run.incremental.PACKAGE_DIR, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "extract" / "observations.py"
    assert module.is_file()
    package = version.__wrapped__()
    monkeypatch.setattr(kg.run.incremental, "PACKAGE_DIR", copy)
    version.cache_clear()
    try:
        assert version() == package  # paths inside the package are hashed, not where it lies
        cache = tmp_path / "cache"
        assert len(build_reports([folder], cache=cache).extracted) == 4
        assert build_reports([folder], cache=cache).extracted == []
        before = version()
        module.write_text(module.read_text(encoding="utf-8") + "\n# a changed rule\n",
                          encoding="utf-8")
        version.cache_clear()
        assert version() != before
        result = build_reports([folder], cache=cache)
        assert len(result.extracted) == 4 and result.cached == 0
        assert _out(result) == full_build(folder)
    finally:
        version.cache_clear()  # the next caller hashes the real package again
