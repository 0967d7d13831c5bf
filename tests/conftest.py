"""Shared fixtures: the seeds, and one build of them for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_result():  # type: ignore[no-untyped-def]
    """The linked reports of the five seeds (built once per test session)."""
    from kg.run.build import build_reports

    result = build_reports([SEEDS])
    assert not result.errors, result.errors
    return result


@pytest.fixture(scope="session")
def seeds_graph(seeds_result):  # type: ignore[no-untyped-def]
    return seeds_result.graph()
