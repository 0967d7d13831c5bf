"""``kg build --scheduler``: extraction on a Dask cluster gives the same output as a local build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.base.errors import EmptyFileError
from kg.cli import main
from kg.graph.serialize import serialize
from kg.run.build import build_reports
from kg.run.cluster import SchedulerError
from tests.scale_helpers import full_build, make_folder

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of two worker processes, one thread each."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_cluster_build_equals_a_full_build(scheduler: str, tmp_path: Path) -> None:
    folder = make_folder(tmp_path, seeds=2)
    (folder / "empty.txt").write_text(" \n", encoding="utf-8")
    result = build_reports([folder], scheduler=scheduler)
    assert len(result.reports) == 4 and len(result.extracted) == 5
    assert [type(e) for e in result.errors] == [EmptyFileError]
    assert serialize(result.graph()) == full_build(folder)
    assert serialize(result.dataset(), "trig") == full_build(folder, "trig")


@pytest.mark.slow
def test_cli_scheduler_with_store_and_cache(scheduler: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path, seeds=1)
    out = tmp_path / "out.ttl"
    assert main(["build", str(folder), "-o", str(out), "--scheduler", scheduler,
                 "--store", str(tmp_path / "store"), "--no-progress"]) == 0
    assert "extracted 3 report(s), 0 from the cache" in capsys.readouterr().out
    assert out.read_bytes() == full_build(folder)


@pytest.mark.slow
def test_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    import dask

    from kg.store.serve import free_port

    folder = make_folder(tmp_path, seeds=0)
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"):
        build_reports([folder], scheduler=f"tcp://127.0.0.1:{free_port()}")
