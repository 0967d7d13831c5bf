"""kg.ingest: files and folders → Documents, on the seeds and on written reports."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import kg.ingest.collect as ingest
from kg.base.errors import (
    BinaryFileError,
    DecodeError,
    EmptyFileError,
    FileTooLargeError,
    InputError,
    MissingPathError,
    NoContentError,
    NoReportsError,
    UnsupportedFileError,
)
from kg.base.records import Document
from kg.ingest.collect import collect, read_document
from kg.ingest.decode import decode

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed(prefix: str) -> Path:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path


def line_span(doc: Document, line: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the n-th line of the document whose stripped text is ``line``."""
    pos = 0
    found = -1
    for raw in doc.text.split("\n"):
        stripped = raw.strip()
        if stripped == line:
            found += 1
            if found == occurrence:
                start = pos + raw.index(stripped)
                return start, start + len(stripped)
        pos += len(raw) + 1
    raise AssertionError(f"no line {line!r} in {doc.source_file}")


def line_starting(doc: Document, prefix: str) -> tuple[int, int]:
    pos = 0
    for raw in doc.text.split("\n"):
        if raw.strip().startswith(prefix):
            start = pos + raw.index(raw.strip())
            return start, start + len(raw.strip())
        pos += len(raw) + 1
    raise AssertionError(f"no line starting {prefix!r} in {doc.source_file}")


def skipped(doc: Document, span: tuple[int, int]) -> bool:
    """True when the whole span lies inside one skip span."""
    return any(s <= span[0] and span[1] <= e for s, e in doc.skip)


def assert_consistent(doc: Document) -> None:
    """Offsets of header fields, title and skip spans point into the text."""
    for h in doc.header:
        assert doc.text[h.start : h.end] == h.value, h
        assert not doc.in_body(h.start, h.end) or h.start == h.end
    if doc.title_span is not None:
        s, e = doc.title_span
        assert 0 <= s < e <= len(doc.text)
        assert doc.in_body(s, e)
    prev_end = -1
    for s, e in doc.skip:
        assert prev_end < s < e <= len(doc.text)
        prev_end = e


def assert_one_line_error(err: InputError, path: Path) -> None:
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert err.path == str(path)
    assert err.problem


# --- a report written for these tests, in the genre (Anhui county, 2022) ---------------

REPORT = (
    "岳西县医疗保障局2022年工作总结\n"
    "\n"
    "2022年，县医疗保障局在县委、县政府的坚强领导下，坚持以人民健康为中心，"
    "全县基本医疗保险参保人数达31.2万人，参保率稳定在97%以上。\n"
    "一、医保基金运行平稳。全年城乡居民医保基金收入3.6亿元，支出3.3亿元，当期结余0.3亿元。\n"
    "二、深化支付方式改革。县医院、县中医院全面实行DRG付费，门诊共济保障机制落地实施。\n"
    "三、严厉打击欺诈骗保。检查定点医药机构215家，追回医保基金426.8万元。\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# === the seeds ==========================================================================


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_reads_exactly(path: Path) -> None:
    doc = read_document(path)
    raw = path.read_bytes()
    assert doc.text == raw.decode("utf-8")
    assert doc.encoding == "utf-8"
    assert doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source_file == path.name
    assert doc.path == str(path)
    assert doc.warnings == ()
    assert_consistent(doc)


def test_seed_read_with_str_path() -> None:
    path = seed("000")
    assert read_document(str(path)).text == read_document(path).text


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("000", None),
        ("001", "兜牢民生底线 守护千家万户——海北开拓医疗保障事业新局面"),
        ("002", "拉萨市医疗保障局2021年工作总结暨2022年工作安排"),
        ("003", "遂宁市医疗保障局关于市政协七届四次会议第102号委员提案的复函"),
        ("004", "南昌市医疗保障事业发展“十四五”规划"),
    ],
)
def test_seed_titles(prefix: str, title: str | None) -> None:
    doc = read_document(seed(prefix))
    assert doc.title == title
    if title is None:
        assert doc.title_span is None
    else:
        assert doc.title_span is not None
        s, e = doc.title_span
        assert doc.text[s:e] == title
        # The first occurrence, on one line (004 repeats it split over two lines).
        assert s == doc.text.index(title)


def test_seed_002_header_fields() -> None:
    doc = read_document(seed("002"))
    assert doc.header_value("published") == "2021-12-27 18:54"
    assert doc.header_value("source") == "市医保局"
    assert doc.header_value("views") == ""
    assert doc.header_value("editor") == "丁家毅"
    labels = {h.key: h.label for h in doc.header}
    assert labels["published"] == "发布时间"
    assert labels["source"] == "来源"
    assert labels["views"] == "访问量"
    for h in doc.header:
        assert doc.text[h.start : h.end] == h.value
    source = next(h for h in doc.header if h.key == "source")
    assert doc.text[source.start - 3 : source.end] == "来源:市医保局"


def test_seed_003_header_fields_on_one_line() -> None:
    doc = read_document(seed("003"))
    fields = {h.key: h for h in doc.header}
    assert fields["source"].value == "遂宁市医疗保障局"
    assert fields["published"].value == "2019-07-15 15:41"
    assert fields["views"].value == ""
    assert fields["font"].label == "字体"
    for h in doc.header:
        assert doc.text[h.start : h.end] == h.value
    # All four fields come from the same line.
    line = line_starting(doc, "来源:")
    assert all(line[0] <= h.start <= line[1] for h in doc.header)


def test_seed_001_footer_fields() -> None:
    doc = read_document(seed("001"))
    assert doc.header_value("reviewer") == "贾平"
    assert skipped(doc, line_starting(doc, "投稿邮箱"))
    assert not skipped(doc, line_starting(doc, "今年以来,海北"))


def test_seed_000_has_no_chrome() -> None:
    doc = read_document(seed("000"))
    assert doc.skip == ()
    assert doc.header == ()


def test_seed_002_skip_spans() -> None:
    doc = read_document(seed("002"))
    for prefix in ("当前位置", "发布时间", "来源", "访问量", "【打印文本】", "分享到", "责任编辑"):
        assert skipped(doc, line_starting(doc, prefix)), prefix
    for line in ("扫一扫在手机打开当前页", "相关新闻"):
        assert skipped(doc, line_span(doc, line)), line
    assert doc.title_span is not None
    assert doc.in_body(*doc.title_span)
    body = ("2021年,在市委、市政府的正确领导下", "一、推动新时代党的创新理论", "(六)落实大骨节病")
    for prefix in body:
        assert doc.in_body(*line_starting(doc, prefix)), prefix


def test_seed_003_skip_spans() -> None:
    doc = read_document(seed("003"))
    for line in ("政府信息公开", "扫一扫在手机打开当前页", "Baidu", "map"):
        assert skipped(doc, line_span(doc, line)), line
    assert skipped(doc, line_starting(doc, "来源:遂宁市医疗保障局"))
    # The letter's salutation, body, signature and date are the report's own text.
    for line in ("彭哲志委员:", "遂宁市医疗保障局", "2019年7月11日"):
        assert doc.in_body(*line_span(doc, line)), line
    assert doc.in_body(*line_starting(doc, "您在市政协七届四次会议上"))


def test_seed_004_skip_spans() -> None:
    doc = read_document(seed("004"))
    assert skipped(doc, line_starting(doc, "您当前所在位置"))
    assert skipped(doc, line_span(doc, "访问量:"))
    assert skipped(doc, line_span(doc, "扫码浏览"))
    assert doc.header_value("views") == ""
    # The cover page (split title, date), the table of contents and the body stay.
    for line in ("南昌市医疗保障事业发展", "“十四五”规划", "2021年9月", "一、现实基础"):
        assert doc.in_body(*line_span(doc, line)), line
    assert doc.in_body(*line_starting(doc, "建立规划实施工作责任机制"))


def test_collect_seed_folder() -> None:
    files, errors = collect([SEEDS])
    assert errors == []
    assert files == SEED_FILES


# === encodings ==========================================================================


def test_gbk_and_gb18030_reports_decode_to_the_same_text(tmp_path: Path) -> None:
    gbk = read_document(write(tmp_path, "gbk.txt", REPORT.encode("gbk")))
    gb18030 = read_document(write(tmp_path, "gb18030.txt", REPORT.encode("gb18030")))
    assert gbk.text == gb18030.text == REPORT
    assert gbk.encoding == gb18030.encoding == "gb18030"
    assert gbk.title == gb18030.title == "岳西县医疗保障局2022年工作总结"
    assert gbk.warnings == ()
    assert gbk.sha256 != gb18030.sha256 or REPORT.encode("gbk") == REPORT.encode("gb18030")


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    text = REPORT + "附：𠀀字、䶮字为四字节编码。\n"
    doc = read_document(write(tmp_path, "rare.txt", text.encode("gb18030")))
    assert doc.text == text
    assert doc.encoding == "gb18030"


def test_gbk_html_with_declared_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>岳西县医疗保障局2022年工作总结</title></head><body>"
        + "".join(f"<p>{line}</p>" for line in REPORT.splitlines() if line)
        + "</body></html>"
    )
    doc = read_document(write(tmp_path, "gbk.html", page.encode("gb2312")))
    assert doc.encoding == "gb18030"
    assert doc.title == "岳西县医疗保障局2022年工作总结"
    assert "追回医保基金426.8万元" in doc.text


def test_utf8_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + REPORT.encode("utf-8")))
    assert doc.text == REPORT
    assert doc.encoding == "utf-8-sig"
    assert doc.title_span == (0, len("岳西县医疗保障局2022年工作总结"))


def test_utf16_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "utf16.txt", REPORT.encode("utf-16")))
    assert doc.text == REPORT
    assert doc.encoding in ("utf-16-le", "utf-16-be")


def test_truncated_utf8_builds_with_a_warning(tmp_path: Path) -> None:
    data = (REPORT + "医疗保障").encode("utf-8")[:-1]  # cut inside 障
    doc = read_document(write(tmp_path, "cut.txt", data))
    assert doc.text == REPORT + "医疗保"
    assert doc.encoding == "utf-8"
    assert len(doc.warnings) == 1
    assert "cut-off" in doc.warnings[0]
    assert "2 byte(s)" in doc.warnings[0]


def test_truncated_gbk_builds_with_a_warning(tmp_path: Path) -> None:
    data = (REPORT + "医疗保障").encode("gbk")[:-1]
    doc = read_document(write(tmp_path, "cut.txt", data))
    assert doc.text == REPORT + "医疗保"
    assert doc.encoding == "gb18030"
    assert any("cut-off" in w for w in doc.warnings)


def test_trailing_nul_padding_is_dropped_with_a_warning(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "pad.txt", REPORT.encode("utf-8") + bytes(64)))
    assert doc.text == REPORT
    assert any("NUL" in w for w in doc.warnings)


def test_text_is_not_normalised(tmp_path: Path) -> None:
    text = REPORT.replace("\n", "\r\n") + "  全角ＡＢＣ１２３\u3000\r\n\r\n"
    doc = read_document(write(tmp_path, "crlf.txt", text))
    assert doc.text == text
    assert doc.title == "岳西县医疗保障局2022年工作总结"
    assert_consistent(doc)


# === bad input ==========================================================================


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(EmptyFileError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "empty" in info.value.problem


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.txt", " \n\t\u3000\r\n  \n")
    with pytest.raises(EmptyFileError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


def test_png_bytes_are_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    path = write(tmp_path, "chart.txt", png)
    with pytest.raises(BinaryFileError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "PNG" in info.value.problem


@pytest.mark.parametrize(
    "magic", [b"%PDF-1.7\n", b"PK\x03\x04\x14\x00", b"\x1f\x8b\x08\x00", b"\xff\xd8\xff\xe0"]
)
def test_other_magic_numbers_are_binary(tmp_path: Path, magic: bytes) -> None:
    path = write(tmp_path, "report.html", magic + REPORT.encode("utf-8"))
    with pytest.raises(BinaryFileError):
        read_document(path)


def test_random_bytes_with_nuls_are_binary(tmp_path: Path) -> None:
    rng = random.Random(20240101)
    data = bytes(rng.randrange(256) for _ in range(4096))
    assert b"\x00" in data
    path = write(tmp_path, "random.txt", data)
    with pytest.raises(BinaryFileError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "NUL" in info.value.problem


def test_random_bytes_without_nuls_are_rejected(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises((BinaryFileError, DecodeError)):
        read_document(write(tmp_path, "random.txt", data))


def test_big5_text_is_a_decode_error(tmp_path: Path) -> None:
    text = "臺北市醫療保障工作報告，參保人數穩步增長，醫保基金運行平穩，醫療救助全面落實。" * 8
    path = write(tmp_path, "big5.txt", text.encode("big5"))
    with pytest.raises(DecodeError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


def test_damaged_utf8_is_a_decode_error(tmp_path: Path) -> None:
    data = REPORT.encode("utf-8")
    path = write(tmp_path, "damaged.txt", data[:60] + b"\xff\xfe\xfd" + data[60:])
    with pytest.raises(DecodeError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "offset" in info.value.problem


def test_file_over_the_limit_monkeypatched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    path = write(tmp_path, "big.txt", REPORT.encode("utf-8") * 10)
    with pytest.raises(FileTooLargeError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "limit" in info.value.problem


def test_sparse_file_over_max_bytes_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(REPORT.encode("utf-8"))
        fh.truncate(ingest.MAX_BYTES + 1)  # sparse: no 8 MiB written

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(FileTooLargeError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert "over the limit of 8 MiB (8,388,608 bytes)" in info.value.problem


@pytest.mark.parametrize(
    "content",
    [
        "Annual report of the Healthcare Security Administration.\nInsured: 1,000,200.\n" * 5,
        "2023 12 31\n100.02 62.7 37.32\n38.68 31.09 7.59\n" * 5,
    ],
    ids=["english", "digits"],
)
def test_text_without_chinese_report_is_no_content(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "other.txt", content)
    with pytest.raises(NoContentError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


def test_chinese_text_off_topic_is_no_content(tmp_path: Path) -> None:
    text = "今天天气晴朗，我们一起去公园散步，看到湖边的柳树发芽了，孩子们在草地上放风筝。\n" * 3
    with pytest.raises(NoContentError) as info:
        read_document(write(tmp_path, "park.txt", text))
    assert "医保" in info.value.problem


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(MissingPathError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, REPORT)
    with pytest.raises(UnsupportedFileError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)
    assert ".txt" in info.value.problem


def test_folder_given_to_read_document(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFileError) as info:
        read_document(tmp_path)
    assert_one_line_error(info.value, tmp_path)


# === HTML ===============================================================================

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>宜春市医疗保障局2023年工作总结 - 宜春市人民政府</title>
<style>.content p { text-indent: 2em; }</style>
<script>var title = "脚本里的医保字样不是正文";</script>
</head>
<body>
<div class="top-nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<header><div class="logo">宜春市人民政府门户网站</div></header>
<div class="position">当前位置：<a href="/">首页</a> &gt;
  <a href="/zwgk/">政务公开</a> &gt; 计划总结</div>
<div class="article">
  <h1>宜春市医疗保障局2023年工作总结</h1>
  <div class="info">
    <span>来源：宜春市医疗保障局</span>&nbsp;&nbsp;<span>发布时间：2024-01-12 09:30</span>
    <span>浏览次数：<em id="hits"></em></span>
    <span>字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</span>
  </div>
  <div class="content">
    <p>&nbsp;&nbsp;2023年，市医疗保障局坚持以人民健康为中心，扎实推进医疗保障
    各项重点工作，全市医疗保障事业持续健康发展。</p>
    <p>一、参保扩面取得新进展</p>
    <p>截至2023年12月底，全市基本医疗保险参保人数达520.3万人，参保率稳定在95%以上。</p>
    <table border="1">
      <tr><th>险种</th><th>收入（亿元）</th><th>支出（亿元）</th></tr>
      <tr><td><p>职工医保</p></td><td>32.5</td><td>28.1</td></tr>
      <tr><td>居民医保</td><td>45.6</td><td>43.7</td></tr>
    </table>
    <p>二、支付方式改革全面覆盖<br>全市二级以上定点医疗机构全部实行DRG付费。</p>
    <p style="display:none">隐藏的段落不应出现</p>
  </div>
  <div class="bdsharebuttonbox"><a href="#" class="bds_weixin">微信</a><a href="#">微博</a></div>
  <div class="print">【<a href="javascript:window.print()">打印本页</a>】<!--
  -->【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<footer><p>版权所有：宜春市人民政府办公室 网站标识码：3609000001 赣ICP备05001234号</p></footer>
</body>
</html>
"""


def test_html_report(tmp_path: Path) -> None:
    path = write(tmp_path, "yichun.html", PAGE)
    doc = read_document(path)
    assert doc.media_type == "text/html"
    assert doc.encoding == "utf-8"
    text = doc.text
    # Scripts, styles, hidden elements and page chrome are gone.
    for gone in ("脚本", "text-indent", "隐藏", "互动交流", "门户网站", "版权所有", "微博"):
        assert gone not in text, gone
    # A breadcrumb in an element not named as one stays in the text, as a skipped line.
    assert skipped(doc, line_starting(doc, "当前位置："))
    # Blocks are lines, cells are tab-separated, no runs of blank lines.
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert "险种\t收入（亿元）\t支出（亿元）" in text.splitlines()
    assert "职工医保\t32.5\t28.1" in text.splitlines()
    assert "二、支付方式改革全面覆盖\n全市二级以上定点医疗机构全部实行DRG付费。" in text
    # A line break inside a paragraph of the HTML source is not a space in Chinese text.
    assert "扎实推进医疗保障各项重点工作" in text
    # Title: the <h1>, which is also the <title> before the site name.
    assert doc.title == "宜春市医疗保障局2023年工作总结"
    assert doc.title_span is not None
    assert text[doc.title_span[0] : doc.title_span[1]] == doc.title
    # Header fields.
    assert doc.header_value("source") == "宜春市医疗保障局"
    assert doc.header_value("published") == "2024-01-12 09:30"
    assert doc.header_value("views") == ""
    assert doc.header_value("font") == "[大 中 小]"
    assert skipped(doc, line_starting(doc, "来源："))
    assert skipped(doc, line_span(doc, "【打印本页】【关闭窗口】"))
    assert doc.in_body(*line_starting(doc, "截至2023年12月底"))
    assert_consistent(doc)


def test_html_disclosure_table(tmp_path: Path) -> None:
    page = """<html><head>
<title>关于印发《抚州市医疗保障局2021年工作要点》的通知 - 抚州市人民政府</title></head><body>
<table class="xxgk"><tr><td>索引号：</td><td>361000-0212-2021-00003</td>
<td>发文机关：</td><td>抚州市医疗保障局</td></tr>
<tr><td>文号：</td><td>抚医保字〔2021〕5号</td><td>成文日期：</td><td>2021-02-26</td></tr></table>
<h2>关于印发《抚州市医疗保障局2021年工作要点》的通知</h2>
<p>各县（区）医疗保障局：</p>
<p>现将《抚州市医疗保障局2021年工作要点》印发给你们，请结合实际认真贯彻落实。</p>
<p>一、巩固拓展医疗保障脱贫攻坚成果，全面落实基本医保、大病保险、医疗救助三重保障制度。</p>
</body></html>"""
    doc = read_document(write(tmp_path, "fuzhou.htm", page))
    assert doc.header_value("index_no") == "361000-0212-2021-00003"
    assert doc.header_value("issuer") == "抚州市医疗保障局"
    assert doc.header_value("doc_number") == "抚医保字〔2021〕5号"
    assert doc.header_value("written_date") == "2021-02-26"
    assert doc.title == "关于印发《抚州市医疗保障局2021年工作要点》的通知"
    assert_consistent(doc)


def test_disclosure_table_copied_as_cells_gives_the_generation_date(tmp_path: Path) -> None:
    """A disclosure table copied to text, label and value in cells (发布机构: | 生成日期: |
    2024-08-19 |): empty cells stay empty, 生成日期 dates the page."""
    text = ("2024年7月全省医疗保障主要指标\n"
            "索 引 号: | 11520000/2024-207311 | 信息分类: | 统计信息 |\n"
            "发布机构: | 生成日期: | 2024-08-19 | |\n"
            "文 号: | 是否有效: | ||\n"
            "2024年7月，全省基本医疗保险参保人数达到3518.26万人，基金运行总体平稳，各项工作有序推进。\n")
    doc = read_document(write(tmp_path, "bulletin.txt", text))
    assert doc.header_value("published") == "2024-08-19"
    assert doc.header_value("issuer") == "" and doc.header_value("doc_number") == ""
    assert doc.in_body(*line_starting(doc, "2024年7月，全省"))
    assert_consistent(doc)


def test_html_title_split_by_br(tmp_path: Path) -> None:
    page = PAGE.replace(
        "<h1>宜春市医疗保障局2023年工作总结</h1>", "<h1>宜春市医疗保障局<br>2023年工作总结</h1>"
    )
    doc = read_document(write(tmp_path, "br.html", page))
    assert doc.title == "宜春市医疗保障局2023年工作总结"
    assert doc.title_span is not None
    s, e = doc.title_span
    assert doc.text[s:e] == "宜春市医疗保障局\n2023年工作总结"


def test_html_page_with_only_navigation_is_no_content(tmp_path: Path) -> None:
    links = "".join(
        f'<li><a href="/art/{i}.html">关于做好{2015 + i}年城乡居民基本医疗保险工作的通知</a></li>'
        for i in range(8)
    )
    page = (
        '<html><head><title>通知公告</title></head><body><nav><a href="/">首页</a></nav>'
        f'<div class="list"><ul>{links}</ul></div></body></html>'
    )
    path = write(tmp_path, "list.html", page)
    with pytest.raises(NoContentError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


def test_html_page_with_only_menus_is_no_content(tmp_path: Path) -> None:
    page = (
        '<html><body><div id="mainMenu"><a href="/">首页</a><a href="/yb">医保政策</a></div>'
        '<div class="breadcrumb">首页 &gt; 医疗保障</div><footer>版权所有</footer></body></html>'
    )
    path = write(tmp_path, "menu.htm", page)
    with pytest.raises(NoContentError) as info:
        read_document(path)
    assert_one_line_error(info.value, path)


def test_txt_file_holding_an_html_page_is_read_as_html(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "saved.txt", PAGE))
    assert doc.media_type == "text/html"
    assert doc.title == "宜春市医疗保障局2023年工作总结"
    assert "<p>" not in doc.text
    assert any("HTML" in w for w in doc.warnings)


# === header lines and titles in written reports ==========================================


def test_header_fields_with_full_width_colons_and_padding(tmp_path: Path) -> None:
    text = (
        "首页 > 新闻中心 > 工作动态\n"
        "黄南州医保局召开2023年医疗保障工作会议\n"
        "信息来源：黄南州医疗保障局　作　者：李明　发布日期：2023年3月8日　【打印】【关闭】\n"
        "3月7日，黄南州医疗保障局召开2023年全州医疗保障工作会议，总结2022年工作，部署2023年重点任务。"
        "会议指出，2022年全州基本医疗保险参保率达到96.5%。\n"
        "（责任编辑：张华）\n"
    )
    doc = read_document(write(tmp_path, "huangnan.txt", text))
    assert doc.title == "黄南州医保局召开2023年医疗保障工作会议"
    fields = {h.key: h for h in doc.header}
    assert fields["source"].value == "黄南州医疗保障局"
    assert fields["source"].label == "信息来源"
    assert fields["author"].value == "李明"
    assert fields["author"].label == "作　者"
    assert fields["published"].value == "2023年3月8日"
    assert fields["editor"].value == "张华"
    assert skipped(doc, line_starting(doc, "首页 >"))
    assert skipped(doc, line_starting(doc, "信息来源"))
    assert doc.in_body(*line_starting(doc, "3月7日"))
    assert_consistent(doc)


def test_weak_labels_inside_the_body_are_not_header(tmp_path: Path) -> None:
    text = (
        "关于召开全县医保基金监管工作推进会的通知\n"
        "各乡镇卫生院、各定点医药机构：\n"
        "为进一步加强医保基金监管，经研究，决定召开全县医保基金监管工作推进会，现将有关事项通知如下。\n"
        "时间：2023年5月10日上午9:00\n"
        "地点：县医疗保障局三楼会议室\n"
        "请各单位主要负责人准时参加，不得缺席。会议将通报2022年全县医保基金运行情况。\n"
        "来源：2022年全县医保统计年报\n"
        "请各单位提前准备书面汇报材料，会后报送县医疗保障局基金监管股。\n"
        "岳西县医疗保障局\n"
    )
    doc = read_document(write(tmp_path, "notice.txt", text))
    assert doc.header == ()
    assert doc.skip == ()
    assert doc.in_body(*line_starting(doc, "时间："))
    assert doc.in_body(*line_starting(doc, "来源："))


def test_split_title_is_joined(tmp_path: Path) -> None:
    text = (
        "玉树州医疗保障事业发展\n"
        "\n"
        "“十四五”规划\n"
        "\n"
        "2022年1月\n"
        "\n"
        "“十四五”时期是玉树州医疗保障事业高质量发展的关键时期，为全面建成多层次医疗保障体系，制定本规划。\n"
    )
    doc = read_document(write(tmp_path, "plan.txt", text))
    assert doc.title == "玉树州医疗保障事业发展“十四五”规划"
    assert doc.title_span == (0, text.index("规划\n") + 2)


def test_report_starting_with_a_subheading_has_no_title(tmp_path: Path) -> None:
    text = (
        "一、基本情况\n"
        "2022年，全市基本医疗保险参保人数达到85.6万人，职工医保基金收入12.3亿元，支出10.8亿元。\n"
    )
    doc = read_document(write(tmp_path, "noheading.txt", text))
    assert doc.title is None


def test_markdown_report(tmp_path: Path) -> None:
    text = (
        "# 成都市医疗保障局2022年工作总结\n"
        "\n"
        "**发布时间**：2023-01-10\n"
        "\n"
        "2022年，成都市医疗保障局坚持以人民为中心，全市基本医疗保险参保人数达到2100万人，医保基金运行平稳。\n"
    )
    doc = read_document(write(tmp_path, "cd.md", text))
    assert doc.media_type == "text/markdown"
    assert doc.text == text
    assert doc.title == "成都市医疗保障局2022年工作总结"
    assert doc.title_span == (2, 2 + len(doc.title))
    assert doc.header_value("published") == "2023-01-10"


# === collect ============================================================================


def test_collect_walks_folders_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", REPORT)
    write(tmp_path, "a/z.html", PAGE)
    write(tmp_path, "a/b/c.md", REPORT)
    write(tmp_path, "a/notes.pdf", b"%PDF-1.4")
    write(tmp_path, ".hidden/x.txt", REPORT)
    write(tmp_path, "a/.y.txt", REPORT)
    write(tmp_path, "C.TXT", REPORT)
    files, errors = collect([tmp_path])
    assert errors == []
    rel = [f.relative_to(tmp_path).as_posix() for f in files]
    assert rel == ["C.TXT", "a/b/c.md", "a/z.html", "b.txt"]


def test_collect_keeps_duplicates_once(tmp_path: Path) -> None:
    report = write(tmp_path, "r.txt", REPORT)
    files, errors = collect([report, tmp_path, str(tmp_path / "." / "r.txt")])
    assert errors == []
    assert files == [report]


def test_collect_reports_problems_and_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", REPORT)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    write(tmp_path, "only_pdf/a.pdf", b"%PDF-1.4")
    write(tmp_path, "only_pdf/.b.txt", REPORT)
    pdf = write(tmp_path, "x.pdf", b"%PDF-1.4")
    missing = tmp_path / "missing"
    files, errors = collect([missing, empty_dir, tmp_path / "only_pdf", pdf, good])
    assert files == [good]
    kinds = [type(e) for e in errors]
    assert kinds == [MissingPathError, NoReportsError, NoReportsError, UnsupportedFileError]
    for err, path in zip(errors, [missing, empty_dir, tmp_path / "only_pdf", pdf], strict=True):
        assert_one_line_error(err, path)
    assert "1 other file(s)" in errors[2].problem


def test_collect_nothing_given() -> None:
    files, errors = collect([])
    assert files == []
    assert len(errors) == 1
    assert isinstance(errors[0], NoReportsError)


# === properties =========================================================================

_SEED_CHARS = sorted({c for p in SEED_FILES for c in p.read_text("utf-8") if not c.isspace()})
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("\n\r\t\u3000"),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from(_SEED_CHARS),
    st.sampled_from("，。、；：？！“”‘’（）《》【】—…·"),
)
_TEXTS = st.text(_ALPHABET, min_size=1, max_size=400).filter(lambda t: bool(t.strip()))
_ASCII_MAGIC = ("%PDF-", "GIF87a", "GIF89a", "{\\rtf", "OggS", "Rar!", "RIFF", "BZh", "II*")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_utf8_text_decodes_back_exactly(text: str) -> None:
    assume(not text.startswith(_ASCII_MAGIC) and text[4:8] != "ftyp")
    decoded, encoding, warnings = decode(text.encode("utf-8"), "prop.txt")
    assert decoded == text
    assert encoding == "utf-8"
    assert warnings == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_gb18030_text_decodes_back_exactly(text: str) -> None:
    assume(not text.startswith(_ASCII_MAGIC) and text[4:8] != "ftyp")
    data = text.encode("gb18030")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(False)  # also valid UTF-8 (ASCII, or a rare short accident): UTF-8 wins
    decoded, encoding, warnings = decode(data, "prop.txt")
    assert decoded == text
    assert encoding == "gb18030"
    assert warnings == ()


@pytest.mark.parametrize(("first", "second"), [
    ("德阳市医疗保障局", "2023年工作总结"),
    ("罗江区医疗保障局2024年政府信息公开工作", "年度报告"),
    ("甘孜州医疗保障局", "2025年工作要点"),
])
def test_a_title_whose_second_line_names_the_kind_is_joined(tmp_path: Path, first: str,
                                                            second: str) -> None:
    text = (f"{first}\n{second}\n"
            "2023年，全市医疗保障工作稳步推进，基本医疗保险参保人数达到286.4万人，基金运行平稳。\n")
    doc = read_document(write(tmp_path, "report.txt", text))
    assert doc.title == first + second
    assert doc.title_span == (0, len(first) + 1 + len(second))


def test_a_title_that_names_its_kind_keeps_the_line_after_it(tmp_path: Path) -> None:
    text = ("德阳市医疗保障局2023年工作总结\n2024年工作计划\n"
            "2023年，全市医疗保障工作稳步推进，基本医疗保险参保人数达到286.4万人，基金运行平稳。\n")
    doc = read_document(write(tmp_path, "report.txt", text))
    assert doc.title == "德阳市医疗保障局2023年工作总结"


def test_a_headline_that_asks_is_a_title(tmp_path: Path) -> None:
    text = ("“看病钱”谁在乱花？全市42家定点药店被约谈\n\n文/本报记者 王明\n"
            "近日，记者从市医疗保障局获悉，今年以来全市开展医保基金专项检查，追回资金326万元。\n")
    doc = read_document(write(tmp_path, "news.txt", text))
    assert doc.title == "“看病钱”谁在乱花？全市42家定点药店被约谈"
