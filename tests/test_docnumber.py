"""发文字号: parse, normalise and find (kg.extract.docnumber)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.docnumber import DocNumber, find, lexicon, normalise, parse

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# 代字 of national, provincial, prefecture and county bodies.
NUMBERS = [
    ("国发〔2016〕3号", "国发", 2016, 3),
    ("国办发〔2020〕35号", "国办发", 2020, 35),
    ("国办发明电〔2020〕6号", "国办发明电", 2020, 6),
    ("中发〔2020〕5号", "中发", 2020, 5),
    ("医保发〔2020〕1号", "医保发", 2020, 1),
    ("医保办发〔2018〕22号", "医保办发", 2018, 22),
    ("医保函〔2021〕47号", "医保函", 2021, 47),
    ("人社部发〔2012〕70号", "人社部发", 2012, 70),
    ("人社部明电〔2020〕3号", "人社部明电", 2020, 3),
    ("财社〔2017〕112号", "财社", 2017, 112),
    ("国卫医发〔2019〕7号", "国卫医发", 2019, 7),
    ("国卫办医函〔2019〕265号", "国卫办医函", 2019, 265),
    ("民发〔2015〕30号", "民发", 2015, 30),
    ("川医保发〔2019〕12号", "川医保发", 2019, 12),
    ("川医保规〔2021〕6号", "川医保规", 2021, 6),
    ("赣医保字〔2020〕3号", "赣医保字", 2020, 3),
    ("赣府厅字〔2022〕12号", "赣府厅字", 2022, 12),
    ("苏医保发〔2021〕45号", "苏医保发", 2021, 45),
    ("青医保函〔2020〕18号", "青医保函", 2020, 18),
    ("藏医保发〔2019〕1号", "藏医保发", 2019, 1),
    ("遂人社办发〔2013〕108号", "遂人社办发", 2013, 108),
    ("遂府办函〔2018〕93号", "遂府办函", 2018, 93),
    ("遂医保〔2018〕37号", "遂医保", 2018, 37),
    ("拉民字〔2016〕137号", "拉民字", 2016, 137),
    ("常医保规〔2020〕2号", "常医保规", 2020, 2),
    ("洪医保发〔2021〕9号", "洪医保发", 2021, 9),
    ("武医保发〔2023〕5号", "武医保发", 2023, 5),
    ("蓬府办发〔2019〕33号", "蓬府办发", 2019, 33),
    ("海北医保发〔2022〕14号", "海北医保发", 2022, 14),
]

BRACKETS = [
    ("〔", "〕"),
    ("[", "]"),
    ("［", "］"),
    ("(", ")"),
    ("（", "）"),
    ("【", "】"),
    ("〈", "〉"),
    ("﹝", "﹞"),
    ("〖", "〗"),
]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def render(
    code: str,
    year: int,
    serial: int,
    brackets: tuple[str, str] = ("〔", "〕"),
    *,
    wide: bool = False,
    di: bool = False,
    zeros: int = 0,
    spaces: tuple[str, ...] = ("",) * 6,
) -> str:
    y, n = str(year), "0" * zeros + str(serial)
    if wide:
        y, n = y.translate(FULL), n.translate(FULL)
    s0, s1, s2, s3, s4, s5 = spaces
    number = ("第" + s4 if di else "") + n
    return f"{code}{s0}{brackets[0]}{s1}{y}{s2}{brackets[1]}{s3}{number}{s5}号"


@pytest.mark.parametrize(("text", "code", "year", "serial"), NUMBERS)
def test_parse_canonical(text: str, code: str, year: int, serial: int) -> None:
    doc = parse(text)
    assert doc == DocNumber(code, year, serial)
    assert str(doc) == text
    assert normalise(text) == text


@pytest.mark.parametrize(("text", "code", "year", "serial"), NUMBERS)
@pytest.mark.parametrize("brackets", BRACKETS)
def test_every_bracket_pair(
    text: str, code: str, year: int, serial: int, brackets: tuple[str, str]
) -> None:
    assert normalise(render(code, year, serial, brackets)) == text
    assert normalise(render(code, year, serial, brackets, wide=True)) == text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("医保办发〔２０１８〕２２号", "医保办发〔2018〕22号"),
        ("医保办发[2018]第22号", "医保办发〔2018〕22号"),
        ("医保办发〔2018〕第２２号", "医保办发〔2018〕22号"),
        ("遂医保发〔2019〕021号", "遂医保发〔2019〕21号"),
        ("川医保规（2021）006号", "川医保规〔2021〕6号"),
        ("国办发 〔 2020 〕 35 号", "国办发〔2020〕35号"),
        ("国办发〔2020〕第 35 号", "国办发〔2020〕35号"),
        ("  赣府厅字［２０２２］１２号\n", "赣府厅字〔2022〕12号"),
        ("拉民字\u3000(2016)\u3000137号", "拉民字〔2016〕137号"),
        ("青医保函【2020】18号", "青医保函〔2020〕18号"),
        ("苏医保发〔2021]45号", "苏医保发〔2021〕45号"),  # mismatched OCR brackets
        ("国发〔1998〕44号", "国发〔1998〕44号"),
    ],
)
def test_variants_normalise(written: str, expected: str) -> None:
    assert normalise(written) == expected
    assert normalise(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2019年7月",
        "2023年12月",
        "第102号提案",
        "市政协七届四次会议第102号委员提案",
        "〔2019〕",
        "医保发〔2019〕",
        "〔2019〕21号",  # no 代字
        "〔2019〕021号",
        "医保发〔19〕21号",  # two-digit year
        "医保发〔1899〕2号",
        "医保发〔2119〕2号",
        "医保发〔2019〕0号",
        "医保发〔2019〕号",
        "医保发2019年21号",
        "医保发〔2019〕21",
        "医保发〔2019〕21号文件",
        "根据医保发〔2019〕21号",  # a 文号 inside a phrase, not a 文号
        "医保发〔2019〕21号、医保发〔2019〕22号",
        "12345〔2019〕21号",
        "（2021年9月）",
    ],
)
def test_not_a_doc_number(text: str) -> None:
    assert parse(text) is None
    assert normalise(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2019年7月，全市参保人数达到120万人",
        "第102号提案收悉",
        "（2021年9月）",
        "〔2019〕年度",
        "截至2023年12月",
    ],
)
def test_find_nothing(text: str) -> None:
    assert find(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("根据国家医保局印发的医保发〔2020〕1号文件", ["医保发〔2020〕1号"]),
        ("根据国家医疗保障局医保发〔2020〕1号文件精神", ["医保发〔2020〕1号"]),
        ("国家医疗保障局办公室医保办发〔2018〕22号", ["医保办发〔2018〕22号"]),
        ("按照国务院办公厅国办发〔2020〕35号要求", ["国办发〔2020〕35号"]),
        ("江西省人民政府办公厅赣府厅字〔2022〕12号", ["赣府厅字〔2022〕12号"]),
        ("转发人力资源社会保障部人社部发[2012]70号", ["人社部发〔2012〕70号"]),
        ("财政部财社〔2017〕112号", ["财社〔2017〕112号"]),
        ("人力资源社会保障部人社部明电〔2020〕3号", ["人社部明电〔2020〕3号"]),
        ("国家卫生健康委员会国卫医发〔2019〕7号", ["国卫医发〔2019〕7号"]),
        ("拉萨市民政局拉民字(2016)137号文件", ["拉民字〔2016〕137号"]),
        ("市医保局下发了遂医保发〔2019〕21号", ["遂医保发〔2019〕21号"]),
        ("（遂人社办发〔2013〕108号）", ["遂人社办发〔2013〕108号"]),
        (
            "依据川医保规〔2021〕6号和川医保发〔2020〕9号",
            ["川医保规〔2021〕6号", "川医保发〔2020〕9号"],
        ),
        (
            "执行青医保函〔2020〕18号、青医保发〔2021〕3号",
            ["青医保函〔2020〕18号", "青医保发〔2021〕3号"],
        ),
        # a list sharing one 代字
        (
            "川医保发〔2019〕1号、〔2019〕2号和（2019）3号",
            ["川医保发〔2019〕1号", "川医保发〔2019〕2号", "川医保发〔2019〕3号"],
        ),
        ("医保发〔2020〕1号医保发〔2020〕2号", ["医保发〔2020〕1号", "医保发〔2020〕2号"]),
        ("2021年，市局出台了遂医保发〔2021〕3号", ["遂医保发〔2021〕3号"]),
        ("以赣医保字〔2021〕3号为依据", ["赣医保字〔2021〕3号"]),
        ("《关于印发办法的通知》(常医保规〔2020〕2号)", ["常医保规〔2020〕2号"]),
    ],
)
def test_find_in_text(text: str, found: list[str]) -> None:
    hits = find(text)
    assert [str(d) for _, _, d in hits] == found
    for start, end, doc in hits:
        assert text[end - 1] == "号"
        assert normalise(text[start:end]) in (str(doc), None)


def test_find_offsets_slice_back() -> None:
    text = "根据国家医保局印发的医保发（２０２０）第01号文件"
    [(start, end, doc)] = find(text)
    assert text[start:end] == "医保发（２０２０）第01号"
    assert doc == DocNumber("医保发", 2020, 1)


def test_seed_003_numbers() -> None:
    text = (SEEDS / "003_61c142726be8746b.txt").read_text(encoding="utf-8")
    assert [str(d) for _, _, d in find(text)] == [
        "医保办发〔2018〕22号",
        "人社部发〔2012〕70号",
        "遂人社办发〔2013〕108号",
        "遂人社发〔2013〕63号",
        "遂人社办发〔2015〕134号",
        "遂府办函〔2018〕93号",
        "遂医保〔2018〕37号",
        "遂医保发〔2019〕21号",
    ]
    assert "第102号提案" in text  # a proposal number, not a 文号


def test_seed_002_number() -> None:
    text = (SEEDS / "002_65a502b2b886f2ef.txt").read_text(encoding="utf-8")
    assert [str(d) for _, _, d in find(text)] == ["拉民字〔2016〕137号"]


@pytest.mark.parametrize(
    "name", ["000_c4441f776c3e1348", "001_9a1c20614dce059a", "004_b49d2c50a23c7835"]
)
def test_seeds_without_numbers(name: str) -> None:
    assert find((SEEDS / f"{name}.txt").read_text(encoding="utf-8")) == []


def test_lexicon_kinds() -> None:
    words = lexicon()
    for kind in ("doc_type", "stop_word", "agency_suffix", "alias_marker", "code_suffix"):
        assert words[kind], kind
    assert "的" in words["stop_word"] and "印发" in words["stop_word"]
    assert "通知" in words["doc_type"]


def test_docnumber_is_hashable_value() -> None:
    a = DocNumber("医保发", 2020, 1)
    assert a == parse("医保发[2020]1号")
    assert len({a, DocNumber("医保发", 2020, 1)}) == 1


# --- properties -------------------------------------------------------------

# 代字 characters: region abbreviations and agency abbreviations, none of which
# is a stop word or the end of an agency name.
REGION_CHARS = "国中川赣苏遂拉青常京沪粤浙鲁豫湘鄂皖闽黔滇桂陕甘新藏蒙吉辽黑晋冀津渝琼锡洪武蓬"
MIDDLE_CHARS = "医保人社卫健财民政办农计生药监价税商教科"
SUFFIXES = ["发", "字", "函", "规", "办发", "办函", "明电", "电", "令", "通", "复", "报", "办"]

codes = st.builds(
    lambda region, middle, suffix: (region + middle + suffix)[-6:],
    st.sampled_from(["", *REGION_CHARS]),
    st.text(alphabet=MIDDLE_CHARS, max_size=3),
    st.sampled_from(SUFFIXES),
)
spaces = st.tuples(*[st.sampled_from(["", "", " ", "\u3000"]) for _ in range(6)])
FILLER = "医疗保障局全市参保人数基金支出收入我们持续推进工作改革完善政策提升服务管理，。"
fillers = st.text(alphabet=FILLER, max_size=30)
PUNCT_SEPARATORS = ["，", "。", "、", "：", " ", "（", "“", "《通知》"]
WORD_SEPARATORS = ["根据", "按照", "印发了", "转发的", "依据"]
SEPARATORS = PUNCT_SEPARATORS + WORD_SEPARATORS


@st.composite
def rendered_numbers(draw: st.DrawFn) -> tuple[str, DocNumber]:
    code = draw(codes)
    year = draw(st.integers(1949, 2099))
    serial = draw(st.integers(1, 9999))
    text = render(
        code,
        year,
        serial,
        draw(st.sampled_from(BRACKETS)),
        wide=draw(st.booleans()),
        di=draw(st.booleans()),
        zeros=draw(st.integers(0, 2)),
        spaces=draw(spaces),
    )
    return text, DocNumber(code, year, serial)


@given(rendered_numbers())
def test_parse_rendered(case: tuple[str, DocNumber]) -> None:
    text, doc = case
    assert parse(text) == doc
    assert parse(f"  {text}\n") == doc
    once = normalise(text)
    assert once == str(doc)
    assert normalise(once) == once


@given(rendered_numbers(), fillers, st.sampled_from(SEPARATORS), fillers)
def test_find_embedded(case: tuple[str, DocNumber], before: str, sep: str, after: str) -> None:
    rendered, doc = case
    text = before + sep + rendered + after
    hits = find(text)
    assert len(hits) == 1
    start, end, found = hits[0]
    assert text[start:end] == rendered
    assert found == doc


@settings(max_examples=300)
@given(st.text())
def test_normalise_never_raises(text: str) -> None:
    out = normalise(text)
    if out is not None:
        assert normalise(out) == out
    for start, end, doc in find(text):
        assert 0 <= start < end <= len(text)
        assert str(doc).endswith("号")


TOKENS = ["医保发", "〔", "〕", "(", "）", "2019", "２０２０", "号", "第", "的", "、"]
TOKENS += ["根据", "1", "0", " "]


@pytest.mark.slow
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_find_on_token_soup(text: str) -> None:
    last = 0
    for start, end, doc in find(text):
        assert last <= start < end <= len(text)
        assert text[end - 1] == "号"
        assert 1900 <= doc.year <= 2099 and doc.serial >= 1
        last = end
