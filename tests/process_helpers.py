"""Helpers of the start-up tests: a script run in a fresh Python process with its own cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_fresh(script: str, mode: str, cache: Path) -> str:
    """What ``script`` prints, run as ``python -c script mode`` in a fresh process whose
    start-up cache is the folder ``cache``."""
    env = {**os.environ, "YIBAO_KG_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                         env=env, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()
