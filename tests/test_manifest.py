"""What the page knew: manifests and supplied metadata (kg build --region / --manifest)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from kg.base.errors import ManifestError
from kg.extract.frame import read_frame
from kg.ingest.collect import read_document
from kg.ingest.manifest import load_manifest, read_rows, region_code

PLACELESS = ("2024年第二季度医保基金运行情况\n"
             "全县职工医保基金收入3120万元，支出2645万元，基金运行总体平稳。\n")


def test_csv_and_json_lines(tmp_path: Path) -> None:
    csv_text = "file,url,region,kind\nq2.txt,http://www.example.gov.cn/tjsj/1.html,152921,StatisticalRelease\n"
    json_text = '{"file": "q2.txt", "region": "阿拉善左旗", "issued": "2024-07-19"}\n'
    assert read_rows(io.StringIO(csv_text), "m.csv") == [
        {"file": "q2.txt", "url": "http://www.example.gov.cn/tjsj/1.html", "region": "152921",
         "kind": "StatisticalRelease"}]
    assert read_rows(io.StringIO(json_text), "m.jsonl") == [
        {"file": "q2.txt", "region": "阿拉善左旗", "issued": "2024-07-19"}]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("file,place\nq2.txt,152921\n", "row 2: unknown column place"),
        ("url\nhttp://x.gov.cn/\n", "row 2: no file"),
        ("file,region\nq2.txt,999999\n", "'999999' is no GB/T 2260 code or region name"),
        ("file,region\nq2.txt,朝阳区\n", "names several regions"),
        ("file,kind\nq2.txt,Yearbook\n", "unknown kind 'Yearbook'"),
        ('{"file": "q2.txt"\n', "line 1 is not JSON"),
    ],
)
def test_a_bad_manifest_is_one_line_naming_it(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(path)
    assert str(err.value).startswith(str(path)) and problem in str(err.value)
    assert "\n" not in str(err.value)


def test_rows_match_by_path_or_by_file_name(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = tmp_path / "manifest.csv"
    path.write_text("file,region\nin/q2.txt,阿拉善左旗\nother.txt,152921\n", encoding="utf-8")
    m = load_manifest(path)
    assert m.given(tmp_path / "in" / "q2.txt") == (("region", "152921"),)
    assert m.given("elsewhere/other.txt") == (("region", "152921"),)
    assert m.given("unknown.txt") == ()


def test_region_codes_from_codes_and_names() -> None:
    assert region_code("152921") == "152921"
    assert region_code("阿拉善左旗") == "152921"
    with pytest.raises(ManifestError):
        region_code("阿拉善")  # a short form is no official name


def test_a_supplied_region_fills_what_the_text_does_not_say(tmp_path: Path) -> None:
    path = tmp_path / "q2.txt"
    path.write_text(PLACELESS, encoding="utf-8")
    doc = read_document(path)
    assert read_frame(doc, ()).home is None
    frame = read_frame(replace(doc, given=(("region", "152921"), ("url", "http://x.gov.cn/1"))), ())
    assert (frame.home, frame.home_source, frame.supplied, frame.url) == (
        "152921", "given", ("region",), "http://x.gov.cn/1")


def test_where_the_text_says_otherwise_the_text_wins_and_the_frame_says_so(tmp_path: Path) -> None:
    path = tmp_path / "q2.txt"
    path.write_text("阿拉善右旗医疗保障局2024年工作总结\n全旗职工医保基金收入3120万元，运行平稳。\n",
                    encoding="utf-8")
    doc = replace(read_document(path), given=(("region", "152921"), ("kind", "News")))
    frame = read_frame(doc, ())
    assert (frame.home, frame.kind) == ("152922", "WorkSummary")
    assert frame.supplied == ()
    assert any("region" in n and "152922" in n and "152921" in n for n in frame.notes)
    assert any("kind" in n for n in frame.notes)


def test_a_region_named_only_in_the_body_gives_way_to_the_one_supplied(tmp_path: Path) -> None:
    # no title, header or signature names a place: the body's 包头市 (a visit) is a guess
    path = tmp_path / "q2.txt"
    path.write_text("2024年第二季度医保工作简报\n组织人员赴包头市学习DRG付费经验。"
                    "全旗职工医保基金收入3120万元，支出2645万元。\n", encoding="utf-8")
    doc = read_document(path)
    assert read_frame(doc, ()).home_source in ("text", "none")
    frame = read_frame(replace(doc, given=(("region", "152921"),)), ())
    assert (frame.home, frame.home_source, frame.supplied) == ("152921", "given", ("region",))


def test_a_supplied_region_inside_the_texts_is_no_disagreement(tmp_path: Path) -> None:
    # the title names the league (阿拉善盟), the user the banner in it: the banner, silently
    path = tmp_path / "q2.txt"
    path.write_text("阿拉善盟2024年医疗保障工作总结\n全盟职工医保基金收入3120万元，支出2645万元，"
                    "基金运行平稳。\n",
                    encoding="utf-8")
    frame = read_frame(replace(read_document(path), given=(("region", "152921"),)), ())
    assert frame.home == "152900" and frame.notes == ()


# --- kg build --region / --manifest ----------------------------------------------------------

YB = "https://w3id.org/yibao-kg/ontology#"


def _regions_of_numbers(out: Path) -> set[str]:
    from rdflib import Graph, URIRef

    g = Graph().parse(out)
    return {str(r).rsplit("/", 1)[-1]
            for o in g.subjects(URIRef(YB + "value"), None)
            for r in g.objects(o, URIRef(YB + "region"))}


def test_kg_build_region_places_a_placeless_report(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    report = tmp_path / "q2.txt"
    report.write_text(PLACELESS, encoding="utf-8")
    out = tmp_path / "out.ttl"
    assert main(["build", str(report), "-o", str(out), "--no-progress"]) == 0
    assert _regions_of_numbers(out) == set()
    assert "without a region: the text names no place" in capsys.readouterr().err
    assert main(["build", str(report), "-o", str(out), "--no-progress",
                 "--region", "阿拉善左旗"]) == 0
    assert _regions_of_numbers(out) == {"152921"}
    assert capsys.readouterr().err == ""


def test_kg_build_manifest_gives_region_and_address(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from kg.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "q2.txt").write_text(PLACELESS, encoding="utf-8")
    manifest = tmp_path / "pages.csv"
    manifest.write_text("file,region,url,issued\n"
                        "in/q2.txt,152921,http://www.example.gov.cn/tjsj/2.html,2024-07-19\n",
                        encoding="utf-8")
    out = tmp_path / "out.ttl"
    # the row wins over --region
    assert main(["build", str(tmp_path / "in"), "-o", str(out), "--no-progress",
                 "--manifest", str(manifest), "--region", "150825"]) == 0
    assert _regions_of_numbers(out) == {"152921"}
    g = Graph().parse(out)
    assert {str(u) for u in g.objects(None, URIRef(YB + "sourceURL"))} == {
        "http://www.example.gov.cn/tjsj/2.html"}


def test_kg_build_reports_a_manifest_the_text_contradicts(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    report = tmp_path / "zj.txt"
    report.write_text("阿拉善右旗医疗保障局2024年工作总结\n全旗职工医保基金收入3120万元，运行平稳。\n",
                      encoding="utf-8")
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text('{"file": "zj.txt", "region": "152921"}\n', encoding="utf-8")
    out = tmp_path / "out.ttl"
    assert main(["build", str(report), "-o", str(out), "--no-progress",
                 "--manifest", str(manifest)]) == 0
    assert _regions_of_numbers(out) == {"152922"}
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"kg: warning: {report}: region: ")
    assert "152922" in warnings[0] and "152921" in warnings[0]


def test_kg_build_refuses_a_bad_manifest_before_reading_any_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    report = tmp_path / "q2.txt"
    report.write_text(PLACELESS, encoding="utf-8")
    manifest = tmp_path / "pages.csv"
    manifest.write_text("file,region\nq2.txt,999999\n", encoding="utf-8")
    out = tmp_path / "out.ttl"
    assert main(["build", str(report), "-o", str(out), "--manifest", str(manifest)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kg: {manifest}: row 1: '999999' is no GB/T 2260 code or region name"]
    assert main(["build", str(report), "-o", str(out), "--region", "火星"]) == 2
    assert not out.exists()


def test_the_cache_keeps_a_report_per_region_given(tmp_path: Path) -> None:
    from rdflib import URIRef

    import kg

    YB_REGION = URIRef(YB + "region")

    report = tmp_path / "q2.txt"
    report.write_text(PLACELESS, encoding="utf-8")
    cache = tmp_path / "cache"
    regions = []
    for code in ("152921", "152922", "152921"):
        g = kg.build([report], cache=cache, region=code, ontology=False)
        regions.append({str(r).rsplit("/", 1)[-1] for r in g.objects(None, YB_REGION)})
    assert regions == [{"152921"}, {"152922"}, {"152921"}]
