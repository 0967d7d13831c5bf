"""``-j N``: extraction in worker processes gives the same output as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.base.errors import EmptyFileError
from kg.cli import main
from kg.graph.serialize import serialize
from kg.run.build import build_reports
from tests.scale_helpers import make_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_folder(tmp_path_factory.mktemp("parallel"), seeds=3)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_two_jobs_give_the_same_bytes_as_one(folder: Path) -> None:
    one = build_reports([folder], jobs=1)
    two = build_reports([folder], jobs=2)
    assert [r.document.sha256 for r in two.reports] == [r.document.sha256 for r in one.reports]
    for fmt in ("turtle", "trig", "nt"):
        g1 = one.dataset() if fmt == "trig" else one.graph()
        g2 = two.dataset() if fmt == "trig" else two.graph()
        assert serialize(g2, fmt) == serialize(g1, fmt)
    # errors come back from the workers with their own class and message
    assert [type(e) for e in two.errors] == [EmptyFileError]
    assert [str(e) for e in two.errors] == [str(e) for e in one.errors]


@pytest.mark.slow
def test_cli_j2_file_identical_to_j1_with_progress_bar(folder: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out1, out2 = tmp_path / "j1.ttl", tmp_path / "j2.ttl"
    assert main(["build", str(folder), "-o", str(out1), "--no-progress"]) == 1  # empty.txt
    capsys.readouterr()
    assert main(["build", str(folder), "-o", str(out2), "-j", "2", "--progress"]) == 1
    err = capsys.readouterr().err
    assert "building: 100%" in err and "6/6" in err  # the bar counts reports as workers finish
    assert out1.read_bytes() == out2.read_bytes()


def test_errors_cross_the_process_boundary_with_their_class() -> None:
    import pickle

    err = EmptyFileError("x/a.txt", "file is empty")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is EmptyFileError and str(back) == "x/a.txt: file is empty"


def test_nothing_to_extract_builds_no_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental build with every report cached extracts nothing: it must not
    pay for building the pipeline (about a second)."""
    import kg.extract.nlp
    from kg.run.parallel import process_in_workers

    def built() -> None:
        raise AssertionError("the pipeline was built")

    monkeypatch.setattr(kg.extract.nlp, "make_nlp", built)
    assert process_in_workers([], jobs=1) == []
    assert process_in_workers([], jobs=2) == []
