"""Cited documents in running text (kg.extract.citations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.citations import Citation, find_citations
from kg.extract.docnumber import DocNumber, parse

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def check_offsets(text: str, found: list[Citation]) -> None:
    for c in found:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.title is not None or c.doc_number is not None
        if c.doc_number is not None:
            assert parse(c.doc_number) is not None
    assert [c.start for c in found] == sorted(c.start for c in found)


def pairs(text: str) -> list[tuple[str | None, str | None]]:
    found = find_citations(text)
    check_offsets(text, found)
    return [(c.title, c.doc_number) for c in found]


# --- the seeds ------------------------------------------------------------------


def test_seed_003_titles_with_numbers() -> None:
    text = seed("003_61c142726be8746b")
    found = find_citations(text)
    check_offsets(text, found)
    numbered = [(c.title, c.doc_number) for c in found if c.doc_number]
    assert numbered == [
        ("关于印发欺诈骗保行为举报奖励暂行办法的通知", "医保办发〔2018〕22号"),
        (
            "人力资源社会保障部财政部卫生部关于开展基本医疗保险付费总额控制的意见",
            "人社部发〔2012〕70号",
        ),
        ("关于进一步加强职工医保付费总额控制管理的通知", "遂人社办发〔2013〕108号"),
        ("关于遂宁市城乡居民基本医疗保险具体问题处理办法的通知", "遂人社发〔2013〕63号"),
        ("关于完善城乡居民医保分级诊疗及双向转诊制度的通知", "遂人社办发〔2015〕134号"),
        ('关于落实"健康遂宁.智慧医疗"行动保障措施的通知', "遂府办函〔2018〕93号"),
        ("遂宁市基本医疗保险意外伤害经办管理规程", "遂医保〔2018〕37号"),
        (
            "遂宁市医疗保障局关于开展2019年度建档立卡贫困人口慢性病门诊维持治疗集中认定工作的通知",
            "遂医保发〔2019〕21号",
        ),
    ]
    # every 文号 of the seed is paired with its title: no bare number is left
    assert all(c.title for c in found)
    # (试行) between the title and its 文号 is skipped and covered
    [rule] = [c for c in found if c.doc_number == "遂医保〔2018〕37号"]
    assert rule.text == "《遂宁市基本医疗保险意外伤害经办管理规程》(试行)(遂医保〔2018〕37号)"
    [first] = [c for c in found if c.doc_number == "医保办发〔2018〕22号"]
    assert first.text == "《关于印发欺诈骗保行为举报奖励暂行办法的通知》(医保办发〔2018〕22号)"


def test_seed_003_titles_without_numbers() -> None:
    titles = [t for t, n in pairs(seed("003_61c142726be8746b")) if n is None]
    assert titles == [
        "关于加强我市医疗保险工作建议",  # a deputy's proposal; (第102号提案) is no 文号
        "2019年遂宁市医疗保障工作要点",
        '关于开展遂宁市2019年"打击欺诈骗保行为,维护医保基金安全"联合整治工作的通知',
        "遂宁市医疗保险事业管理局关于禁止定点医疗机构诱导基本医疗保险参保人员就医的通知",
        "遂宁市医疗保险事业管理局关于进一步加强医保定点服务机构规范管理工作的通知",
        "遂宁市医疗保险事业管理局关于落实全市医疗保险监管联动工作的通知",
        "遂宁市医疗保障局关于切实做好加强医保协议管理确保医保基金安全有关工作的通知",
        "2019年党组理论学习中心组学习计划",
        "关于推进家庭医生签约服务的指导意见",
        "工伤保险条例",
        "生育保险条例",
    ]


def test_seed_002_nested_angle_brackets_and_party_rules() -> None:
    text = seed("002_65a502b2b886f2ef")
    found = find_citations(text)
    check_offsets(text, found)
    titles = [c.title for c in found]
    assert titles[:5] == [
        "中国共产党章程",
        "关于新形势下党内政治生活的若干准则",
        "中共中央关于加强党的政治建设的意见",
        "中国共产党廉洁自律准则",
        "中国共产党纪律处分条例",
    ]
    [notice] = [c for c in found if c.doc_number]
    assert notice.title == "关于印发<拉萨市城乡医疗救助及重特大疾病医疗救助实施细则>的通知"
    assert notice.doc_number == "拉民字〔2016〕137号"
    # inner whitespace of a title is kept as written
    assert "中共西藏自治区委员会 西藏自治区人民政府 关于深化医疗保障制度改革的实施意见" in titles
    # 《…实施方案》》 (a doubled 》) is still the plan
    assert titles.count("拉萨市2021年度基本医疗保险基金总额预算实施方案") == 2
    assert not any(c.alias for c in found)
    assert len(found) == 17


def test_seed_004_plans_and_opinions() -> None:
    assert pairs(seed("004_b49d2c50a23c7835")) == [
        ("中共中央国务院关于深化医疗保障制度改革的意见", None),
        ("中共江西省委 江西省人民政府关于深化医疗保障制度改革的实施意见", None),
        ("江西省全民医疗保障发展“十四五”规划纲要", None),
        ("南昌市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", None),
        ("中共江西省委 江西省人民政府关于深化医疗保障制度改革的实施意见", None),
        ("江西省医疗保障基金使用监管办法", None),
    ]


def test_seed_000_trial_suffix_inside_title() -> None:
    titles = [t for t, _ in pairs(seed("000_c4441f776c3e1348"))]
    assert "常州市基本医疗保障定点零售药店医保药师违规行为记分管理办法(试行)" in titles
    assert "常州市武进区2023年医保基金监管集中宣传月活动方案" in titles
    assert "评估标准" in titles
    assert len(titles) == 8


def test_seed_001_regulation() -> None:
    assert pairs(seed("001_9a1c20614dce059a")) == [("医疗保障基金使用监督管理条例", None)]


# --- written sentences ----------------------------------------------------------------


def test_title_with_number_in_full_width_parentheses() -> None:
    text = "按照《青海省医疗保障局关于做好门诊共济保障工作的通知》（青医保发〔2021〕12号）要求，"
    [c] = find_citations(text)
    assert c.title == "青海省医疗保障局关于做好门诊共济保障工作的通知"
    assert c.doc_number == "青医保发〔2021〕12号"
    assert c.text == "《青海省医疗保障局关于做好门诊共济保障工作的通知》（青医保发〔2021〕12号）"
    assert not c.alias


@pytest.mark.parametrize(
    ("text", "title", "number"),
    [
        (
            "转发《国家医保局 财政部关于建立医疗保障待遇清单制度的意见》(医保发[2021]5号)",
            "国家医保局 财政部关于建立医疗保障待遇清单制度的意见",
            "医保发〔2021〕5号",
        ),
        (
            "执行《湖南省长期护理保险试点实施方案》 （湘医保发［２０２２］第０８号）。",
            "湖南省长期护理保险试点实施方案",
            "湘医保发〔2022〕8号",
        ),
        (
            "根据《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号，"
            "以下简称《意见》）精神",
            "国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见",
            "国办发〔2021〕42号",
        ),
        (
            "印发了赣医保字〔2022〕7号《江西省医疗保障经办服务规程》，",
            "江西省医疗保障经办服务规程",
            "赣医保字〔2022〕7号",
        ),
        (
            "《广东省基本医疗保险门诊特定病种管理办法》（2021年版）（粤医保规〔2021〕3号）",
            "广东省基本医疗保险门诊特定病种管理办法",
            "粤医保规〔2021〕3号",
        ),
        (
            "以《关于做好2023年城乡居民基本医疗保障工作的通知》（医保发（2023）24号）为依据",
            "关于做好2023年城乡居民基本医疗保障工作的通知",
            "医保发〔2023〕24号",
        ),
        (
            "《关于印发〈海北州城乡居民医疗保险实施细则〉的通知》(北医保〔2020〕15号)",
            "关于印发〈海北州城乡居民医疗保险实施细则〉的通知",
            "北医保〔2020〕15号",
        ),
        (
            "《关于转发〈国家医保局办公室关于做好医保信息业务编码工作的通知〉的通知》"
            "【武医保发〔2020〕3号】",
            "关于转发〈国家医保局办公室关于做好医保信息业务编码工作的通知〉的通知",
            "武医保发〔2020〕3号",
        ),
    ],
)
def test_pairing(text: str, title: str, number: str) -> None:
    found = find_citations(text)
    check_offsets(text, found)
    assert [(c.title, c.doc_number) for c in found if not c.alias] == [(title, number)]


def test_nested_titles_are_one_citation() -> None:
    text = "省局印发《关于印发《江苏省医疗保障基金监管办法》的通知》（苏医保发〔2021〕45号），"
    [c] = find_citations(text)
    assert c.title == "关于印发《江苏省医疗保障基金监管办法》的通知"
    assert c.doc_number == "苏医保发〔2021〕45号"
    assert c.text.startswith("《关于印发《") and c.text.endswith("45号）")


def test_number_inside_a_title_is_not_cited_apart() -> None:
    text = "市局转发《关于转发医保发〔2020〕1号文件的通知》，"
    assert pairs(text) == [("关于转发医保发〔2020〕1号文件的通知", None)]


def test_bare_numbers() -> None:
    text = "根据国家医保局医保发〔2020〕1号文件精神和川医保规〔2021〕6号要求，"
    found = find_citations(text)
    check_offsets(text, found)
    assert [(c.title, c.doc_number, c.text) for c in found] == [
        (None, "医保发〔2020〕1号", "医保发〔2020〕1号"),
        (None, "川医保规〔2021〕6号", "川医保规〔2021〕6号"),
    ]


def test_pairing_takes_only_the_adjacent_title() -> None:
    text = "《中华人民共和国社会保险法》和《关于做好医保工作的通知》（豫医保发〔2019〕9号）"
    assert pairs(text) == [
        ("中华人民共和国社会保险法", None),
        ("关于做好医保工作的通知", "豫医保发〔2019〕9号"),
    ]


def test_number_before_a_newspaper_is_not_paired() -> None:
    text = "依据医保发〔2020〕1号 《人民日报》报道"
    assert pairs(text) == [(None, "医保发〔2020〕1号")]


def test_titles_in_a_list() -> None:
    text = "贯彻《中华人民共和国基本医疗卫生与健康促进法》、《医疗机构管理条例》《药品管理法》等"
    assert [t for t, _ in pairs(text)] == [
        "中华人民共和国基本医疗卫生与健康促进法",
        "医疗机构管理条例",
        "药品管理法",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "在《人民日报》《健康报》《中国医疗保险》等媒体刊发稿件",
        "在《新闻联播》《焦点访谈》栏目中报道",
        "组织职工合唱《我和我的祖国》",
        "印发《》和《 》",
        "《医保》",
        "他说《这是一个没有结束的",
        "2019年7月，全市参保人数达到120万人（第102号提案）",
    ],
)
def test_not_documents(text: str) -> None:
    assert find_citations(text) == []


def test_title_length_limit() -> None:
    long = "关于" + "医疗保障" * 40 + "的通知"
    assert find_citations(f"印发《{long}》") == []
    ok = "关于" + "医疗保障" * 28 + "的通知"
    assert pairs(f"印发《{ok}》") == [(ok, None)]


def test_short_law_names() -> None:
    assert pairs("学习宣传《民法典》和《宪法》") == [("民法典", None), ("宪法", None)]


def test_alias_declared_and_reused() -> None:
    text = (
        "《医疗保障基金使用监督管理条例》（以下简称《条例》）自2021年5月1日起施行。"
        "我局开展《条例》宣传月活动，并对照《办法》检查。"
    )
    found = find_citations(text)
    check_offsets(text, found)
    assert [(c.title, c.alias, c.alias_of) for c in found] == [
        ("医疗保障基金使用监督管理条例", False, None),
        ("条例", True, "医疗保障基金使用监督管理条例"),
        ("条例", True, "医疗保障基金使用监督管理条例"),
        ("办法", True, None),  # a bare type word never declared: the linker decides
    ]


def test_alias_declared_in_quotes() -> None:
    text = (
        "《医疗机构医疗保障定点管理暂行办法》和《零售药店医疗保障定点管理暂行办法》"
        "（以下简称“两定办法”）出台后，我市严格落实《两定办法》。"
    )
    found = find_citations(text)
    assert [(c.title, c.alias, c.alias_of) for c in found] == [
        ("医疗机构医疗保障定点管理暂行办法", False, None),
        ("零售药店医疗保障定点管理暂行办法", False, None),
        ("两定办法", True, "零售药店医疗保障定点管理暂行办法"),
    ]


def test_alias_inside_number_parentheses() -> None:
    text = (
        "《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》"
        "（国办发〔2021〕42号，以下简称《意见》）"
    )
    found = find_citations(text)
    check_offsets(text, found)
    main, alias = found
    assert main.doc_number == "国办发〔2021〕42号" and not main.alias
    assert main.text.endswith("42号")
    assert alias.title == "意见" and alias.alias
    assert alias.alias_of == main.title


def test_alias_declared_far_away_has_no_target() -> None:
    text = "参保人员（以下简称《规定》适用人员）。本年度按照《规定》执行。"
    found = find_citations(text)
    assert [(c.title, c.alias, c.alias_of) for c in found] == [
        ("规定", True, None),
        ("规定", True, None),
    ]


def test_population_shorthand_is_not_a_citation() -> None:
    text = "纳入低收入人口监测范围的参保人员（简称“低收入人口”），个人缴费给予资助。"
    assert find_citations(text) == []


# --- properties --------------------------------------------------------------------

TOKENS = ["《", "》", "〈", "〉", "<", ">", "（", "）", "(", ")", "〔", "〕", "[", "]"]
TOKENS += ["2019", "２０２０", "号", "第", "12", "医保发", "川医保规", "通知", "条例", "办法"]
TOKENS += ["以下简称", "简称", "“", "”", "的", "关于", "印发", "，", "。", " ", "\n"]
TOKENS += ["试行", "人民日报", "意见", "市", "医疗保障局", "、"]


@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_offsets_slice_back(text: str) -> None:
    found = find_citations(text)
    check_offsets(text, found)
    for c in found:
        if c.title is not None:
            assert c.title == c.title.strip()
            assert c.title in c.text


HAN = "医疗保障局市县区省基本保险城乡居民职工门诊住院支付改革完善加强推进实施定点药店管理服务"
DOC_TYPES = ["通知", "办法", "意见", "实施方案", "条例", "细则", "规定", "工作要点", "规划纲要"]
titles = st.builds(
    lambda a, b, t: a + "关于" + b + "的" + t,
    st.text(alphabet=HAN, max_size=12),
    st.text(alphabet=HAN, min_size=2, max_size=20),
    st.sampled_from(DOC_TYPES),
)
fillers = st.text(alphabet=HAN + "，。", max_size=20)
codes = st.sampled_from(
    ["医保发", "国办发", "川医保规", "赣医保字", "遂人社办发", "拉民字", "常医保函"]
)
parens = st.sampled_from([("（", "）"), ("(", ")")])
brackets = st.sampled_from([("〔", "〕"), ("[", "]"), ("［", "］"), ("(", ")"), ("【", "】")])


@given(
    fillers, titles, codes, st.integers(1990, 2030), st.integers(1, 999), parens, brackets, fillers
)
def test_title_and_number_pair(
    before: str,
    title: str,
    code: str,
    year: int,
    serial: int,
    paren: tuple[str, str],
    bracket: tuple[str, str],
    after: str,
) -> None:
    number = f"{code}{bracket[0]}{year}{bracket[1]}{serial}号"
    cited = f"《{title}》{paren[0]}{number}{paren[1]}"
    text = f"{before}。{cited}{after}"
    [c] = find_citations(text)
    assert c.title == title
    assert c.doc_number == str(DocNumber(code, year, serial))
    assert c.text == cited
    assert (c.start, c.end) == (len(before) + 1, len(before) + 1 + len(cited))
