"""kg.observations and kg table: every observation of a graph as one row (pandas, CSV, Parquet)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Graph

import kg
from kg.base.errors import MissingDependencyError
from kg.base.namespaces import RDF, YB
from kg.cli import main
from kg.graph.serialize import write_graph
from kg.use.observations import COLUMNS, csv_bytes, observation_records, observations
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds_df(seeds_graph: Graph) -> pd.DataFrame:
    return kg.observations(seeds_graph)


@pytest.fixture(scope="module")
def seeds_ttl(seeds_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("table") / "seeds.ttl"
    write_graph(seeds_graph, path)
    return path


def test_one_row_per_observation(seeds_graph: Graph, seeds_df: pd.DataFrame) -> None:
    assert kg.observations is observations
    nodes = set(seeds_graph.subjects(RDF.type, YB.Observation))
    assert len(seeds_df) == len(nodes) > 400
    assert seeds_df.observation.is_unique
    assert list(seeds_df.columns) == list(COLUMNS)
    assert seeds_df.value.dtype == "float64"
    assert str(seeds_df.start.dtype) == "Int64" and str(seeds_df.headline.dtype) == "boolean"
    assert seeds_df.value.notna().all() and seeds_df.headline.notna().all()
    assert set(seeds_df.file) == {p.name for p in SEEDS.glob("*.txt")}


def test_headline_totals_are_flagged(seeds_df: pd.DataFrame) -> None:
    """武进: 全区基本医疗保险参保人数达100.02万 is the headline; 南昌: 2020年全市参保人数594.8万人,
    其中职工医保参保人数169.6万人 — the part points to its total and is the employee
    scheme's headline (a part of another scheme's total)."""
    insured = seeds_df[seeds_df.indicator == "ind:InsuredPersons"]
    wujin = insured[(insured.region == "320412") & (insured.insurance == "ins:Basic")]
    assert wujin[wujin.headline].value.tolist() == [1000200.0]
    assert (wujin.indicator_label == "参保人数").all() and (wujin.region_name == "武进区").all()
    nanchang = insured[insured.region == "360100"].set_index("insurance")
    assert bool(nanchang.loc["ins:Basic", "headline"])
    assert bool(nanchang.loc["ins:Employee", "headline"])
    assert nanchang.loc["ins:Employee", "breakdown_of"] == nanchang.loc["ins:Basic", "observation"]
    # a part of a total of its own indicator and scheme, and a change, are never headlines
    by_id = seeds_df.set_index("observation")
    parts = seeds_df[seeds_df.breakdown_of.notna()]
    own = parts[[(by_id.loc[p.breakdown_of, "indicator"], by_id.loc[p.breakdown_of, "insurance"])
                 == (p.indicator, p.insurance) for _, p in parts.iterrows()]]
    assert len(own) >= 3
    assert not own.headline.any()
    assert not seeds_df[seeds_df.value_type == "yb:Change"].headline.any()


def test_breakdowns_point_to_existing_rows(seeds_df: pd.DataFrame) -> None:
    parts = seeds_df[seeds_df.breakdown_of.notna()]
    assert len(parts) >= 10
    totals = seeds_df.set_index("observation")
    assert set(parts.breakdown_of) <= set(totals.index)
    for _, part in parts.iterrows():
        total = totals.loc[part.breakdown_of]
        assert total.file == part.file and total.report == part.report


def test_evidence_offsets_index_the_report_text(seeds_df: pd.DataFrame) -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for row in seeds_df.itertuples():
        phrase = texts[row.file][row.start:row.end]
        assert phrase and phrase in row.sentence, (row.observation, phrase)


def test_ranges_keep_their_upper_bound(tmp_path: Path) -> None:
    from kg.run.build import build_reports

    path = tmp_path / "report.txt"
    path.write_text("安顺市医疗保障局2024年工作总结\n"
                    "2024年，全市城乡居民医保个人缴费标准为每人每年380至400元。\n",
                    encoding="utf-8")
    df = observations(build_reports([path]).graph(ontology=False))
    ranged = df[df.max_value.notna()]
    assert ranged[["value", "max_value"]].values.tolist() == [[380.0, 400.0]]
    # labels come from the ontology when the graph was built without it
    assert df.indicator_label.notna().all()


def test_records_need_no_pandas(seeds_graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    records = observation_records(seeds_graph)
    assert len(records) > 400
    with pytest.raises(MissingDependencyError, match=r"pip install 'yibao-kg\[table\]'"):
        observations(seeds_graph)


# --- kg table -------------------------------------------------------------------------------


def test_kg_table_writes_the_same_csv(seeds_ttl: Path, seeds_df: pd.DataFrame, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "obs.csv"
    assert main(["table", str(seeds_ttl), "-o", str(out)]) == 0
    assert f"{len(seeds_df)} observations" in capsys.readouterr().out
    assert out.read_bytes() == csv_bytes(seeds_df)
    back = pd.read_csv(out, dtype={"region": str})
    assert back.observation.tolist() == seeds_df.observation.tolist()
    assert back.value.tolist() == seeds_df.value.tolist()
    assert main(["table", str(seeds_ttl)]) == 0  # no -o: CSV on stdout
    assert capsys.readouterr().out.encode("utf-8") == csv_bytes(seeds_df)


def test_kg_table_writes_parquet(seeds_ttl: Path, seeds_df: pd.DataFrame, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "obs.parquet"
    assert main(["table", str(seeds_ttl), "-o", str(out)]) == 0
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, seeds_df, check_dtype=False)


def test_parquet_without_pyarrow_is_one_clear_line(seeds_ttl: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out = tmp_path / "obs.parquet"
    assert main(["table", str(seeds_ttl), "-o", str(out)]) == 9
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pyarrow" in err and str(out) in err
    assert not out.exists()


def test_kg_table_without_pandas_is_one_clear_line(seeds_ttl: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert main(["table", str(seeds_ttl)]) == 9
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pandas" in err and "yibao-kg[table]" in err


def test_kg_table_refuses_another_format(seeds_ttl: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "obs.xlsx"
    assert main(["table", str(seeds_ttl), "-o", str(out)]) == 3
    assert "write a .csv or a .parquet file" in capsys.readouterr().err
    assert not out.exists()


def test_the_csv_reads_back_in_pandas(seeds_df: pd.DataFrame) -> None:
    back = pd.read_csv(io.BytesIO(csv_bytes(seeds_df)), dtype={"region": str})
    assert len(back) == len(seeds_df)
    assert back.headline.dtype == bool
    assert (back.start.astype(int) == seeds_df.start.astype(int)).all()
