"""Writing files: the mode the umask gives, an old file's mode kept, the temporary
files of killed writes removed by the next write, and SIGTERM/SIGHUP cleaning up
as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.base.files import atomic_stream, remove_stale_temporaries, write_atomic
from tests.conftest import ROOT

KG = [sys.executable, "-m", "kg.cli"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.ttl", b"x")
        os.umask(0o002)
        write_atomic(tmp_path / "b.ttl", b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.ttl") == 0o640
    assert _mode(tmp_path / "b.ttl") == 0o664


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_atomic(out, b"new")
    assert (out.read_bytes(), _mode(out)) == (b"new", 0o644)
    out.chmod(0o600)
    write_atomic(out, b"newer")
    assert _mode(out) == 0o600


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_write_removes_what_killed_writes_left(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    dead = tmp_path / f".graph.ttl.{_dead_pid()}.abcd1234.tmp"
    live = tmp_path / f".graph.ttl.{os.getppid()}.abcd1234.tmp"  # a writer still running
    other = tmp_path / f".other.ttl.{_dead_pid()}.abcd1234.tmp"  # another file's
    for f in (dead, live, other):
        f.write_bytes(b"half a graph")
    write_atomic(out, b"whole graph")
    assert out.read_bytes() == b"whole graph"
    assert _temporaries(tmp_path) == sorted([live.name, other.name])


def test_a_write_killed_with_sigkill_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old graph")
    code = ("import os, signal, sys\n"
            "from kg.base.files import atomic_stream\n"
            "with atomic_stream(sys.argv[1]) as fh:\n"
            "    fh.write(b'x' * 100000); fh.flush()\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == b"old graph" and len(_temporaries(tmp_path)) == 1
    with atomic_stream(out) as fh:
        fh.write(b"new graph")
    assert out.read_bytes() == b"new graph" and _temporaries(tmp_path) == []
    assert remove_stale_temporaries(out) == 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_a_build_leaving_nothing(tmp_path: Path,
                                                         sig: signal.Signals) -> None:
    out = tmp_path / "seeds.ttl"
    corpus = tmp_path / "many"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(40):  # enough reports that the build is still running when signalled
        for path in seeds:
            text = path.read_text(encoding="utf-8")
            (corpus / f"{i:02d}_{path.name}").write_text(f"{text}\n（第{i}份）\n", encoding="utf-8")
    proc = subprocess.Popen([*KG, "build", str(corpus), "-o", str(out), "-q"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # importing and building the pipeline, or extracting
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig
    assert err.strip().splitlines()[-1] == f"kg: stopped ({sig.name})"
    assert "Traceback" not in err
    assert not out.exists() and _temporaries(tmp_path) == []
