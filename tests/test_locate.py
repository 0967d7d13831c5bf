"""Resolution by context (kg.link.locate): home regions of the seeds, deixis, ambiguous names.

Documents are built by a minimal reader of this file and region mentions by a
small scan of the text (jieba segmentation with the gazetteer's names as user
words, like the real pipeline, or a plain character scan that also finds names
inside other words); the real reader and matcher are tested elsewhere.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.base.deixis import deictic_forms
from kg.base.records import Document, HeaderField, RegionMention, Sentence
from kg.base.regions import CHINA, Gazetteer, gazetteer
from kg.extract.home import find_home
from kg.ingest.layout import with_layout
from kg.link.locate import deictic_target, resolve

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_HOMES = {"000": "320412", "001": "632200", "002": "540100", "003": "510900", "004": "360100"}
PROSE = re.compile(r"[。，,；;]")
Scan = Callable[[str], list[RegionMention]]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


# --- helpers: a minimal reader and two mention scanners --------------------------


def home_of(document: Document, mentions: Sequence[RegionMention], gaz: Gazetteer) -> str | None:
    return find_home(document, mentions, gaz)[0]


def make_document(text: str, name: str = "t.txt", title: str | None = None,
                  source: str | None = None) -> Document:
    """A Document; ``title`` is searched in the text for its span, ``source`` becomes 来源."""
    span = None
    if title is not None and title in text:
        start = text.index(title)
        span = (start, start + len(title))
    header: tuple[HeaderField, ...] = ()
    if source is not None:
        start = text.find(source)
        start = max(start, 0)
        header = (HeaderField("source", "来源", source, start, start + len(source)),)
    return with_layout(Document(
        source_file=name, path=name, text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), encoding="utf-8",
        media_type="text/plain", title=title, title_span=span, header=header))


def read_seed(stem: str, with_title: bool = True) -> Document:
    """Open a seed: title = first line when it is one; 来源：… → the source header field."""
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    first = text.splitlines()[0].strip()
    title = first if with_title and first and not PROSE.search(first) and len(first) <= 60 else None
    header: list[HeaderField] = []
    m = re.search(r"来源[:：][ \t]*(\S+)", text[:2000])
    if m:
        header.append(HeaderField("source", "来源", m.group(1), m.start(1), m.end(1)))
    return Document(source_file=path.name, path=str(path), text=text,
                    sha256=hashlib.sha256(raw).hexdigest(), encoding="utf-8",
                    media_type="text/plain", title=title,
                    title_span=(0, len(first)) if title else None, header=tuple(header))


def _sentences(text: str) -> tuple[list[int], list[Sentence]]:
    found = re.finditer(r"[^。！？\n]+[。！？]?", text)
    sents = [Sentence(m.start(), m.end(), m.group()) for m in found]
    return [s.start for s in sents], sents


def _mention(text: str, start: int, end: int, index: tuple[list[int], list[Sentence]],
             gaz: Gazetteer) -> RegionMention:
    starts, sents = index
    sentence = sents[max(bisect.bisect_right(starts, start) - 1, 0)]
    surface = text[start:end]
    level = deictic_forms().get(surface)
    if level is not None:
        return RegionMention(surface, start, end, sentence, deictic=level)
    return RegionMention(surface, start, end, sentence, candidates=gaz.candidates(surface))


def char_scan(text: str, gaz: Gazetteer) -> list[RegionMention]:
    """Leftmost-longest scan for every region name and deictic form (finds 保定 in 确保定点)."""
    forms = set(gaz.surface_forms()) | set(deictic_forms())
    by_first: dict[str, list[str]] = {}
    for f in sorted(forms, key=len, reverse=True):
        by_first.setdefault(f[0], []).append(f)
    index = _sentences(text)
    out: list[RegionMention] = []
    i = 0
    while i < len(text):
        for f in by_first.get(text[i], ()):
            if text.startswith(f, i):
                out.append(_mention(text, i, i + len(f), index, gaz))
                i += len(f)
                break
        else:
            i += 1
    return out


@pytest.fixture(scope="module")
def segmenter(gaz: Gazetteer) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    seg.initialize()
    for word in sorted(set(gaz.surface_forms()) | set(deictic_forms())):
        if len(word) >= 2:
            seg.add_word(word)
    return seg


@pytest.fixture(scope="module")
def word_scan(segmenter: jieba.Tokenizer, gaz: Gazetteer) -> Callable[[str], list[RegionMention]]:
    """Region names and deictic forms among jieba's words (as the real matcher does)."""
    forms = set(gaz.surface_forms()) | set(deictic_forms())

    def scan(text: str) -> list[RegionMention]:
        index = _sentences(text)
        return [_mention(text, s, e, index, gaz)
                for w, s, e in segmenter.tokenize(text) if w in forms]

    return scan


def mention(text: str, gaz: Gazetteer, candidates: tuple[str, ...] | None = None) -> RegionMention:
    """A mention of ``text`` alone (candidates from the gazetteer unless given)."""
    sentence = Sentence(0, len(text), text)
    level = deictic_forms().get(text)
    if level is not None:
        return RegionMention(text, 0, len(text), sentence, deictic=level)
    codes = gaz.candidates(text) if candidates is None else candidates
    return RegionMention(text, 0, len(text), sentence, candidates=codes)


def resolve_all(text: str, home: str | None, scan: Scan,
                gaz: Gazetteer) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for m in scan(text):
        out.setdefault(m.text, set()).add(resolve(m, home, gaz))
    return out


# --- the lexicon --------------------------------------------------------------


def test_deictic_forms() -> None:
    forms = deictic_forms()
    expected = {"全区": "区", "全市": "市", "全州": "州", "全县": "县", "全省": "省", "全盟": "盟",
                "全旗": "旗", "我区": "区", "我市": "市", "本县": "县", "全地区": "地区",
                "全国": "国", "国家": "国", "我国": "国", "中央": "国", "自治区": "自治区"}
    for surface, level in expected.items():
        assert forms[surface] == level, surface


def test_no_deictic_form_is_a_region_name(gaz: Gazetteer) -> None:
    names = gaz.surface_forms()
    assert not [f for f in deictic_forms() if f in names]


# --- the seeds ----------------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(SEED_HOMES))
def test_seed_home_region(stem: str, gaz: Gazetteer,
                          word_scan: Scan) -> None:
    doc = read_seed(stem)
    assert home_of(doc, word_scan(doc.text), gaz) == SEED_HOMES[stem]


@pytest.mark.parametrize("stem", sorted(SEED_HOMES))
def test_seed_home_region_without_title_or_header(
        stem: str, gaz: Gazetteer, word_scan: Scan) -> None:
    """No title, no header: a leading line, the signature or the text still tell."""
    doc = read_seed(stem, with_title=False)
    bare = make_document(doc.text, doc.source_file)
    assert home_of(bare, word_scan(doc.text), gaz) == SEED_HOMES[stem]


@pytest.mark.parametrize("stem", sorted(SEED_HOMES))
def test_seed_home_region_with_noisy_mentions(stem: str, gaz: Gazetteer) -> None:
    """A character scan also finds 保定 in 确保定点 and 康保 in 健康保障; the home stays."""
    doc = read_seed(stem)
    assert home_of(doc, char_scan(doc.text, gaz), gaz) == SEED_HOMES[stem]


def test_wujin_text_only(gaz: Gazetteer, word_scan: Scan) -> None:
    """Seed 000 has no title: 全区 over and over, with 武进 and 常州市 named, is 武进区."""
    doc = read_seed("000")
    assert doc.title is None and not doc.header
    got = resolve_all(doc.text, home_of(doc, word_scan(doc.text), gaz), word_scan, gaz)
    assert got["全区"] == {"320412"}
    assert got["全市"] == {"320400"}
    assert got["武进"] == {"320412"}
    assert got["全省"] == {"320000"}
    assert got["国家"] == {CHINA}


def test_haibei_resolutions(gaz: Gazetteer, word_scan: Scan) -> None:
    doc = read_seed("001")
    got = resolve_all(doc.text, home_of(doc, word_scan(doc.text), gaz), word_scan, gaz)
    assert got["全州"] == {"632200"}
    assert got["海北"] == {"632200"}
    assert got["门源县"] == {"632221"}
    assert got["张掖"] == {"620700"}
    assert got["酒泉"] == {"620900"}
    assert got["全省"] == {"630000"}


# --- written in the genre: other provinces and levels ----------------------------


SHANDAN = """山丹县医疗保障局2023年工作总结
2023年，全县基本医疗保险参保人数达17.21万人，参保率稳定在95%以上。我县与甘州区、民乐县医保局签订异地就医合作协议，
山丹、民乐两县参保群众在张掖市内就医实现直接结算。全市DRG付费改革启动后，全县6家定点医院全部纳入。
城关区医保局来我县交流智能监管经验。全省药品集采结果在全县落地，国家组织集采药品平均降价53%。
门源县参保人员在我县就医38人次。
山丹县医疗保障局
2024年1月10日
"""


def test_county_report_in_gansu(gaz: Gazetteer, word_scan: Scan) -> None:
    doc = make_document(SHANDAN, title="山丹县医疗保障局2023年工作总结")
    home = home_of(doc, word_scan(SHANDAN), gaz)
    assert home == "620725"
    got = resolve_all(SHANDAN, home, word_scan, gaz)
    assert got["全县"] == {"620725"}
    assert got["我县"] == {"620725"}
    assert got["全市"] == {"620700"}
    assert got["全省"] == {"620000"}
    assert got["国家"] == {CHINA}
    assert got["山丹"] == {"620725"}
    assert got["甘州区"] == {"620702"}
    assert got["城关区"] == {"620102"}  # 兰州's, not 拉萨's: same province as home
    assert got["门源县"] == {"632221"}  # a derived short of an autonomous county, unambiguous
    # the same text without title: the signature block, then the text, tell
    bare = make_document(SHANDAN)
    assert home_of(bare, word_scan(SHANDAN), gaz) == "620725"


SICHUAN = """四川省医疗保障局2022年工作总结
2022年，全省基本医疗保险参保人数达8500万人。成都、绵阳、遂宁等地开展DRG付费，江油纳入省级试点。
市中区医保局推进智能监管。全省21个市（州）全部实现市级统筹，全国首批长护险试点成都市运行平稳。
朝阳区和城关区代表团来川交流。
"""


def test_province_report_of_sichuan(gaz: Gazetteer,
                                    word_scan: Scan) -> None:
    doc = make_document(SICHUAN, title="四川省医疗保障局2022年工作总结")
    home = home_of(doc, word_scan(SICHUAN), gaz)
    assert home == "510000"
    got = resolve_all(SICHUAN, home, word_scan, gaz)
    assert got["全省"] == {"510000"}
    assert got["成都"] == {"510100"}
    assert got["绵阳"] == {"510700"}
    assert got["遂宁"] == {"510900"}
    assert got["江油"] == {"510781"}  # county short form inside the home province
    assert got["市中区"] == {None}  # 乐山 and 内江 both have one
    assert got["朝阳区"] == {None}
    assert got["城关区"] == {None}
    assert got["全国"] == {CHINA}
    m = mention("全市", gaz)
    assert resolve(m, home, gaz) is None  # a province report: no 市 on the way up


YANBIAN = """延边州医疗保障局2023年工作总结
全州参保人数达169.3万人。延吉市、珲春市率先实现门诊共济。州医保局与吉林省医保局、长春市朝阳区医保局联合检查，
全省率先完成集采任务，全州医保基金运行平稳。吉林市医保局来延边交流。新城区一家药店被处罚。全市定点医疗机构……
"""


def test_autonomous_prefecture_report_of_yanbian(
        gaz: Gazetteer, word_scan: Scan) -> None:
    doc = make_document(YANBIAN, title="延边州医疗保障局2023年工作总结")
    home = home_of(doc, word_scan(YANBIAN), gaz)
    assert home == "222400"
    got = resolve_all(YANBIAN, home, word_scan, gaz)
    assert got["全州"] == {"222400"}
    assert got["延边"] == {"222400"}
    assert got["延吉市"] == {"222401"}
    assert got["珲春市"] == {"222404"}
    assert got["吉林省"] == {"220000"}
    assert got["吉林市"] == {"220200"}
    assert got["长春市"] == {"220100"}
    assert got["朝阳区"] == {"220104"}  # 长春's, same province
    assert got["全省"] == {"220000"}
    assert got["新城区"] == {None}
    assert got["全市"] == {None}  # no 市 above an autonomous prefecture
    assert resolve(mention("吉林", gaz), home, gaz) == "220000"  # the province holds home
    # the text alone: 全州 points at the autonomous prefecture
    bare = make_document(YANBIAN.split("\n", 1)[1])
    assert home_of(bare, word_scan(bare.text), gaz) == "222400"


KUNSHAN = """昆山市医疗保障局2022年工作总结
2022年，全市职工医保参保人数达185万人。我市作为苏州市长期护理保险试点，与张家港、常熟两市签订合作协议。
全省医保信息平台在我市上线，国家医保局调研组来昆调研。鼓楼区医保局来我市考察。
"""


def test_county_level_city_report(gaz: Gazetteer,
                                  word_scan: Scan) -> None:
    doc = make_document(KUNSHAN, title="昆山市医疗保障局2022年工作总结")
    home = home_of(doc, word_scan(KUNSHAN), gaz)
    assert home == "320583"
    got = resolve_all(KUNSHAN, home, word_scan, gaz)
    assert got["全市"] == {"320583"}  # the county-level city itself
    assert got["我市"] == {"320583"}
    assert got["苏州市"] == {"320500"}
    assert got["张家港"] == {"320582"}
    assert got["常熟"] == {"320581"}
    assert got["全省"] == {"320000"}
    assert got["国家"] == {CHINA}
    assert got["鼓楼区"] == {None}  # 南京 and 徐州 both have one


CHAOYANG = """北京市朝阳区医疗保障局2023年工作总结
2023年，全区基本医疗保险参保人数达312万人。全市统一的医保信息平台在我区上线，朝阳与海淀、通州签订协同协议，
区内定点医药机构达1800家，本市参保人员异地就医直接结算，国家医保局飞行检查组来区检查。
"""


def test_municipal_district_report(gaz: Gazetteer,
                                   word_scan: Scan) -> None:
    doc = make_document(CHAOYANG, title="北京市朝阳区医疗保障局2023年工作总结")
    home = home_of(doc, word_scan(CHAOYANG), gaz)
    assert home == "110105"
    got = resolve_all(CHAOYANG, home, word_scan, gaz)
    assert got["全区"] == {"110105"}
    assert got["我区"] == {"110105"}
    assert got["区内"] == {"110105"}
    assert got["全市"] == {"110000"}  # the municipality
    assert got["本市"] == {"110000"}
    assert got["朝阳"] == {"110105"}  # not 朝阳市 (辽宁) nor 长春's 朝阳区
    assert got["海淀"] == {"110108"}
    assert got["通州"] == {"110112"}  # not 南通's 通州区
    assert got["国家"] == {CHINA}


def test_autonomous_region_read_from_named_places(
        gaz: Gazetteer, word_scan: Scan) -> None:
    """全区 in a text about 西藏 as a whole: the named places say the 区 is the 自治区."""
    text = ("2022年，全区医疗保障工作取得新成效。西藏医保基金运行平稳，全区参保率达95%以上。"
            "拉萨市、日喀则市率先实现市级统筹，西藏自治区医保信息平台上线，全区定点医药机构1200家。"
            "西藏各地市参保人员就医实现区内直接结算。")
    home = home_of(make_document(text), word_scan(text), gaz)
    assert home == "540000"
    got = resolve_all(text, home, word_scan, gaz)
    assert got["全区"] == {"540000"}
    assert got["拉萨市"] == {"540100"}


def test_deictic_target_walks_up_by_name(gaz: Gazetteer) -> None:
    assert deictic_target("区", "540100", gaz) == "540000"  # 全区 in a 拉萨市 report
    assert deictic_target("自治区", "540102", gaz) == "540000"  # 城关区 → 西藏自治区, not itself
    assert deictic_target("区", "540102", gaz) == "540102"
    assert deictic_target("州", "632221", gaz) == "632200"  # 全州 in a 门源 report
    assert deictic_target("县", "632221", gaz) == "632221"
    assert deictic_target("旗", "150723", gaz) == "150723"  # 鄂伦春自治旗
    assert deictic_target("盟", "152921", gaz) == "152900"  # 阿拉善左旗 → 阿拉善盟
    assert deictic_target("地区", "653201", gaz) == "653200"  # 和田市 → 和田地区
    assert deictic_target("市", "429004", gaz) == "429004"  # 仙桃市, province-administered
    assert deictic_target("县", "320412", gaz) is None
    assert deictic_target("国", None, gaz) == CHINA
    assert deictic_target("市", None, gaz) is None


# --- signals of the home region ---------------------------------------------------


def test_home_from_header_source(gaz: Gazetteer, word_scan: Scan) -> None:
    text = "关于做好2023年医疗保障工作的通知\n来源：无锡市医疗保障局\n各相关单位：全市医保工作……\n"
    doc = make_document(text, title="关于做好2023年医疗保障工作的通知", source="无锡市医疗保障局")
    assert home_of(doc, word_scan(text), gaz) == "320200"


def test_home_from_signature(gaz: Gazetteer, word_scan: Scan) -> None:
    text = ("关于2021年全区医保基金监管工作情况的报告\n"
            "今年以来，全区医保部门持续开展打击欺诈骗保专项行动，追回医保基金1.2亿元。\n"
            "宁夏回族自治区医疗保障局\n2022年3月1日\n")
    doc = make_document(text, title="关于2021年全区医保基金监管工作情况的报告")
    assert home_of(doc, word_scan(text), gaz) == "640000"


def test_national_report(gaz: Gazetteer, word_scan: Scan) -> None:
    text = ("2022年全国医疗保障事业发展统计公报\n"
            "2022年，全国基本医疗保险参保人数134592万人。江苏、浙江等地……\n")
    doc = make_document(text, title="2022年全国医疗保障事业发展统计公报")
    home = home_of(doc, word_scan(text), gaz)
    assert home == CHINA
    got = resolve_all(text, home, word_scan, gaz)
    assert got["全国"] == {CHINA}
    assert got["江苏"] == {"320000"}


def test_title_names_nested_regions_and_cited_titles(
        gaz: Gazetteer, word_scan: Scan) -> None:
    title = "南京市医疗保障局关于转发《江苏省医疗保障局关于推进DIP付费的通知》的通知"
    text = title + "\n各区医保分局：现将文件转发给你们，请结合全市实际抓好落实。\n"
    assert home_of(make_document(text, title=title), word_scan(text), gaz) == "320100"
    title = "常州市武进区医疗保障局2023年工作总结"
    assert home_of(make_document(title + "\n", title=title), [], gaz) == "320412"


def test_title_with_an_ambiguous_name_uses_the_text(
        gaz: Gazetteer, word_scan: Scan) -> None:
    title = "城关区医疗保障局2023年工作总结"
    lanzhou = title + "\n全区参保人数达89万人，兰州市医保局……\n"
    lhasa = title + "\n全区参保人数达30万人，拉萨市医保局……\n"
    alone = title + "\n全区参保人数稳步提高。\n"
    assert home_of(make_document(lanzhou, title=title), word_scan(lanzhou), gaz) == "620102"
    assert home_of(make_document(lhasa, title=title), word_scan(lhasa), gaz) == "540102"
    assert home_of(make_document(alone, title=title), word_scan(alone), gaz) is None


def test_title_province_refined_by_deixis(
        gaz: Gazetteer, word_scan: Scan) -> None:
    """A title naming the province over a text that speaks of 全市 and 常州市: 常州市."""
    title = "关于贯彻落实江苏省医疗保障工作会议精神的报告"
    text = (title + "\n全市医保系统认真贯彻会议精神。常州市参保人数达400万人，全市基金运行平稳，"
            "我市DRG付费全面推开，常州市医保局将持续发力。\n")
    assert home_of(make_document(text, title=title), word_scan(text), gaz) == "320400"


def test_no_evidence_no_home(gaz: Gazetteer) -> None:
    assert home_of(make_document("全区医保工作稳步推进。\n"), [], gaz) is None
    assert home_of(make_document(""), [], gaz) is None


# --- single mentions ------------------------------------------------------------


def test_without_home_only_unambiguous_full_names(gaz: Gazetteer) -> None:
    assert resolve(mention("武进区", gaz), None, gaz) == "320412"
    assert resolve(mention("海北藏族自治州", gaz), None, gaz) == "632200"
    assert resolve(mention("毕节地区", gaz), None, gaz) == "520500"  # a former name
    assert resolve(mention("武进", gaz), None, gaz) is None  # short
    assert resolve(mention("海北", gaz), None, gaz) is None
    assert resolve(mention("城关区", gaz), None, gaz) is None  # ambiguous
    assert resolve(mention("和县", gaz), None, gaz) is None  # two-character county name
    assert resolve(mention("全区", gaz), None, gaz) is None
    assert resolve(mention("全国", gaz), None, gaz) == CHINA


def test_short_forms_with_a_home(gaz: Gazetteer) -> None:
    assert resolve(mention("海北", gaz), "320412", gaz) == "632200"  # prefecture short: anywhere
    assert resolve(mention("西藏", gaz), "320412", gaz) == "540000"
    assert resolve(mention("武进", gaz), "320400", gaz) == "320412"  # county short: same province
    assert resolve(mention("武进", gaz), "630000", gaz) is None  # elsewhere: not trusted
    assert resolve(mention("门源", gaz), "632200", gaz) == "632221"
    assert resolve(mention("门源", gaz), CHINA, gaz) is None
    assert resolve(mention("海南", gaz), "440100", gaz) == "460000"  # 海南省, the higher level
    assert resolve(mention("海南", gaz), "632200", gaz) == "632500"  # 海南州 next to 海北
    assert resolve(mention("白银", gaz), "620100", gaz) == "620400"  # the city, not 白银区
    assert resolve(mention("吉林", gaz), "220200", gaz) == "220200"
    assert resolve(mention("吉林", gaz), "440100", gaz) == "220000"
    assert resolve(mention("和县", gaz), "340500", gaz) == "340523"  # 马鞍山's 和县
    assert resolve(mention("和县", gaz), "510900", gaz) is None


def test_candidates_fall_back_to_the_gazetteer(gaz: Gazetteer) -> None:
    bare = RegionMention("城关区", 0, 3, Sentence(0, 3, "城关区"))
    assert resolve(bare, "620100", gaz) == "620102"
    assert resolve(bare, "540000", gaz) == "540102"
    assert resolve(bare, "320412", gaz) is None
    unknown = RegionMention("火星", 0, 2, Sentence(0, 2, "火星"))
    assert resolve(unknown, "320412", gaz) is None


# --- property: a full name resolves to its region near home -------------------------


def _full_name_resolves(gaz: Gazetteer, code: str, home: str) -> bool:
    region = gaz.get(code)
    return resolve(mention(region.name, gaz), home, gaz) == code


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_full_name_resolves_with_home_at_or_below(data: st.DataObject) -> None:
    gaz = gazetteer()
    codes = sorted(r.code for r in gaz)
    code = data.draw(st.sampled_from(codes))
    homes = [code, *(c.code for c in gaz.children(code))]
    home = data.draw(st.sampled_from(homes))
    assert _full_name_resolves(gaz, code, home)


def test_full_name_resolves_for_every_region(gaz: Gazetteer) -> None:
    failures = [
        (r.code, home)
        for r in gaz
        for home in (r.code, *(c.code for c in gaz.children(r.code)))
        if not _full_name_resolves(gaz, r.code, home)
    ]
    assert not failures
