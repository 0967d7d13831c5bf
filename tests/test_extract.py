"""Extraction (kg.extract.nlp, kg.extract.matchers, kg.extract.extract) on sentences written in the genre.

Regions, deixis and programs are looked for in short reports of several
provinces and levels (a 甘肃 county, the 四川 province, the 延边 prefecture, a
county-level city, a 北京 district); the ConceptMatcher's two rules, the
segmentation of lexicon phrases, skipped spans and citations are checked on
Documents built here; a hypothesis property checks the offsets of every record.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.base.ontology import label_index
from kg.base.records import Document, Extraction, Span
from kg.extract.extract import extract
from kg.extract.nlp import lexicon_phrases, make_nlp
from kg.ingest.collect import read_document

# --- helpers ------------------------------------------------------------------


def make_doc(text: str, title: str | None = None, skip: tuple[Span, ...] = ()) -> Document:
    """A plain-text Document; ``title`` (when given) is located in the text."""
    span = None
    if title is not None:
        start = text.index(title)
        span = (start, start + len(title))
    return Document(
        source_file="t.txt", path="t.txt", text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding="utf-8", media_type="text/plain",
        title=title, title_span=span, skip=skip,
    )


def run(text: str, title: str | None = None, skip: tuple[Span, ...] = ()) -> Extraction:
    return extract(make_doc(text, title, skip), make_nlp())


def regions(e: Extraction) -> list[tuple[str, tuple[str, ...], str | None]]:
    return [(m.text, m.candidates, m.deictic) for m in e.regions]


def concepts(e: Extraction) -> set[str]:
    return {m.concept for m in e.programs}


# --- regions: names, short forms and deixis in five kinds of report ------------------

GANSU_COUNTY = (
    "临夏县医疗保障局2022年工作总结\n"
    "2022年，全县医疗保障工作稳步推进。临夏县城乡居民医保参保率达98%，"
    "我县积极推进DRG付费改革和药品集中带量采购工作，县内门诊慢特病待遇全面落实。"
)
SICHUAN_PROVINCE = (
    "四川省医疗保障局2023年工作总结\n"
    "全省深入推进DIP支付方式改革，成都、绵阳等市开展长期护理保险试点。"
    "本省跨省异地就医直接结算持续扩面，我省惠民保覆盖21个市（州）。"
)
YANBIAN = (
    "延边州医疗保障局2022年工作总结\n"
    "全州基本医疗保险参保人数达180万人，延吉市、珲春市推进医保电子凭证应用，"
    "州内门诊共济保障机制平稳运行，我州医疗救助实现应救尽救。"
)
COUNTY_CITY = (
    "昆山市医疗保障局2021年工作总结\n"
    "2021年，我市深化药品耗材集中带量采购，全市实施按病种分值付费，"
    "昆山长期护理保险制度惠及失能人员1.2万人。"
)
BEIJING_DISTRICT = (
    "北京市朝阳区医疗保障局2023年工作总结\n"
    "全区推进医保支付方式改革，朝阳区定点医药机构全面接入智能监管系统。"
    "本区落实全国统一的医保药品目录，北京市大病保险待遇同步提高。"
)


def test_gansu_county_regions_and_deixis() -> None:
    e = run(GANSU_COUNTY)
    assert regions(e) == [
        ("临夏县", ("622921",), None),
        ("全县", (), "县"),
        ("临夏县", ("622921",), None),
        ("我县", (), "县"),
        ("县内", (), "县"),
    ]


def test_sichuan_province_full_and_short_names() -> None:
    e = run(SICHUAN_PROVINCE)
    assert regions(e) == [
        ("四川省", ("510000",), None),
        ("全省", (), "省"),
        ("成都", ("510100",), None),
        ("绵阳", ("510700",), None),
        ("本省", (), "省"),
        ("我省", (), "省"),
    ]


def test_yanbian_prefecture_short_form_and_counties() -> None:
    e = run(YANBIAN)
    assert regions(e) == [
        ("延边州", ("222400",), None),
        ("全州", (), "州"),
        ("延吉市", ("222401",), None),
        ("珲春市", ("222404",), None),
        ("州内", (), "州"),
        ("我州", (), "州"),
    ]


def test_county_level_city_with_short_form() -> None:
    e = run(COUNTY_CITY)
    assert regions(e) == [
        ("昆山市", ("320583",), None),
        ("我市", (), "市"),
        ("全市", (), "市"),
        ("昆山", ("320583",), None),
    ]


def test_beijing_district_keeps_every_candidate_of_an_ambiguous_name() -> None:
    e = run(BEIJING_DISTRICT)
    found = regions(e)
    assert ("北京市", ("110000",), None) in found
    assert ("全区", (), "区") in found
    assert ("本区", (), "区") in found
    assert ("全国", (), "国") in found
    chaoyang = [c for text, c, _ in found if text == "朝阳区"]
    # 朝阳区 of 北京 and of 长春: the extractor lists both, the linker decides
    assert chaoyang == [("110105", "220104"), ("110105", "220104")]


def test_region_names_inside_agency_names_are_found() -> None:
    e = run("甘州区医疗保障局会同张掖市医保局开展联合检查。")
    assert regions(e) == [("甘州区", ("620702",), None), ("张掖市", ("620700",), None)]


# --- programs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GANSU_COUNTY, {"DRG", "DrugVBP", "VolumeBasedProcurement",
                        "ChronicSpecialDiseaseOutpatient"}),
        (SICHUAN_PROVINCE, {"DIP", "PaymentMethodReform", "LongTermCareInsurance",
                            "CrossRegionDirectSettlement", "InclusiveCommercialInsurance"}),
        (YANBIAN, {"HealthInsuranceECertificate", "OutpatientMutualAid", "MedicalAssistance"}),
        (COUNTY_CITY, {"DrugVBP", "ConsumableVBP", "VolumeBasedProcurement", "DIP",
                       "LongTermCareInsurance"}),
        (BEIJING_DISTRICT, {"PaymentMethodReform", "SmartSupervision", "DrugCatalogue",
                            "CriticalIllnessInsurance"}),
    ],
    ids=["gansu-county", "sichuan-province", "yanbian", "county-city", "beijing-district"],
)
def test_programs_of_each_report(text: str, expected: set[str]) -> None:
    assert concepts(run(text)) == expected


def test_program_mentions_carry_scheme_and_surface() -> None:
    e = run("我县全面推行家庭医生签约服务，落实城乡居民大病保险。")
    assert [(m.scheme, m.concept, m.text) for m in e.programs] == [
        ("prog", "FamilyDoctorContract", "家庭医生签约服务"),
        ("prog", "CriticalIllnessInsurance", "城乡居民大病保险"),
    ]


def test_longest_label_wins() -> None:
    # 异地就医 and 跨省异地就医直接结算 are both labels: one mention, the longer one
    e = run("全面实现跨省异地就医直接结算。")
    assert [(m.concept, m.text) for m in e.programs] == [
        ("CrossRegionDirectSettlement", "跨省异地就医直接结算"),
    ]


def test_indicator_labels_do_not_hide_programs_from_the_prog_scheme() -> None:
    # a program word inside an ordinary sentence about numbers is still a program
    e = run("全市异地就医直接结算人次达到35万人次。")
    assert "CrossRegionDirectSettlement" in concepts(e)


# --- the two ConceptMatcher rules --------------------------------------------------


def spans_of(e: Extraction) -> list[tuple[str, str]]:
    return sorted((m.concept, m.text) for m in e.programs)


def test_broader_named_inside_drug_vbp() -> None:
    e = run("我市持续推进药品集中带量采购。")
    assert spans_of(e) == [("DrugVBP", "药品集中带量采购"),
                           ("VolumeBasedProcurement", "药品集中带量采购")]


def test_broader_named_inside_payment_reform() -> None:
    e = run("全州推进DRG支付方式改革。")
    assert spans_of(e) == [("DRG", "DRG支付方式改革"),
                           ("PaymentMethodReform", "DRG支付方式改革")]


def test_broader_not_added_when_its_label_is_absent() -> None:
    # DRG付费 holds no label of PaymentMethodReform, 中选药品 none of VolumeBasedProcurement
    assert spans_of(run("全区二级以上医院全部实行DRG付费。")) == [("DRG", "DRG付费")]
    assert spans_of(run("落实中选药品使用政策。")) == [("DrugVBP", "中选药品")]
    # 药品集采 holds 集采, a label of VolumeBasedProcurement
    assert spans_of(run("落实药品集采政策。")) == [("DrugVBP", "药品集采"),
                                                   ("VolumeBasedProcurement", "药品集采")]


def test_coordination_shares_the_head() -> None:
    e = run("深化药品耗材集中带量采购改革。")
    assert spans_of(e) == [
        ("ConsumableVBP", "耗材集中带量采购"),
        ("DrugVBP", "药品"),
        ("VolumeBasedProcurement", "耗材集中带量采购"),
    ]


@pytest.mark.parametrize("text", ["推进药品、耗材集中带量采购。", "落实药品和医用耗材集中带量采购。",
                                  "推进药品及耗材集采。"])
def test_coordination_across_conjunctions(text: str) -> None:
    e = run(text)
    assert {"DrugVBP", "ConsumableVBP", "VolumeBasedProcurement"} <= concepts(e)
    drug = [m for m in e.programs if m.concept == "DrugVBP"]
    assert [m.text for m in drug] == ["药品"]


def test_coordination_does_not_reach_past_an_unrelated_word() -> None:
    # 目录 + 集中带量采购 is no label: 药品目录 stays DrugCatalogue, no DrugVBP
    e = run("调整药品目录，开展耗材集中带量采购。")
    assert "DrugVBP" not in concepts(e)
    assert {"DrugCatalogue", "ConsumableVBP"} <= concepts(e)


def test_coordination_on_seed_wording_without_dai_liang() -> None:
    # seed 004's heading: 药品耗材集中采购 means both drug and consumable procurement
    e = run("二、深化药品耗材集中采购改革")
    assert {"DrugVBP", "ConsumableVBP", "VolumeBasedProcurement"} <= concepts(e)


def test_concept_spans_of_other_schemes_are_a_setting() -> None:
    import spacy

    text = "全市职工医保参保人数达到120万人，推进DRG付费改革。"
    assert sorted(k for k in make_nlp()(text).spans if k.startswith("yb_")) == [
        "yb_prog", "yb_regions"]
    base = make_nlp()
    nlp = spacy.blank("zh", vocab=base.vocab,
                      config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = base.tokenizer
    nlp.add_pipe("yb_concepts", config={"schemes": ["prog", "ind", "ins"]})
    doc = nlp(text)
    assert [s.kb_id_ for s in doc.spans["yb_ins"]] == ["Employee"]
    assert "InsuredPersons" in {s.kb_id_ for s in doc.spans["yb_ind"]}
    assert [s.kb_id_ for s in doc.spans["yb_prog"]] == ["DRG"]


# --- segmentation keeps lexicon phrases whole ---------------------------------------

_WORD_CHARS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")


def test_lexicon_phrases_are_single_tokens() -> None:
    nlp = make_nlp()
    phrases = [p for p in sorted(lexicon_phrases()) if _WORD_CHARS.match(p)]
    assert len(phrases) > 5000  # region names, deixis, program and insurance labels
    split = [(p, [t.text for t in nlp.make_doc(p)]) for p in phrases
             if len(nlp.make_doc(p)) != 1]
    assert split == []


@pytest.mark.parametrize("context", ["推进{}。", "全县{}稳步推进，", "（{}）", "\n{}\n",
                                     "2023年，{}"])
def test_program_labels_are_whole_tokens_in_context(context: str) -> None:
    nlp = make_nlp()
    offset = context.index("{}")
    broken = []
    for label in sorted(label_index("prog")):
        if not _WORD_CHARS.match(label):
            continue
        doc = nlp.make_doc(context.format(label))
        starts = {t.idx for t in doc}
        ends = {t.idx + len(t.text) for t in doc}
        if offset not in starts or offset + len(label) not in ends:
            broken.append(label)
    assert broken == []


@pytest.mark.parametrize(
    ("text", "concept", "surface"),
    [
        ("加强定点医药机构信用管理工作。", "CreditSystem", "信用管理"),
        ("全市推进按病种（组）分值付费改革。", "DIP", "按病种（组）分值付费"),
        ("全市推进按病种(组)分值付费。", "DIP", "按病种(组)分值付费"),
    ],
)
def test_labels_found_whole_in_genre_phrases(text: str, concept: str, surface: str) -> None:
    e = run(text)
    assert (concept, surface) in [(m.concept, m.text) for m in e.programs]


def test_region_names_are_whole_tokens_after_a_title() -> None:
    doc = make_nlp()("延边州医疗保障局\n全州参保人数")
    assert [t.text for t in doc][:2] == ["延边州", "医疗"]


# --- skipped spans and the title ------------------------------------------------------

NEWS = (
    "延边州扎实推进医保基金监管工作\n\n"
    "发布时间：2023-08-15 10:20\n"
    "来源：珲春市医疗保障局\n\n"
    "近日，延吉市医疗保障局召开全州医保基金监管工作会议。今年以来，全州共检查定点医药机构860家，"
    "持续开展打击欺诈骗保专项整治行动，推进智能监管全覆盖。\n"
)


def test_mentions_in_skipped_header_lines_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    document = read_document(path)
    header_start = NEWS.index("发布时间")
    assert any(s <= header_start < e for s, e in document.skip)
    e = extract(document, make_nlp())
    names = [m.text for m in e.regions]
    assert "珲春市" not in names  # only in 来源：…
    assert names[0] == "延边州"  # the title is kept
    assert "延吉市" in names and "全州" in names


def test_title_mentions_are_kept_even_inside_a_skipped_span() -> None:
    text = "首页 > 政务公开\n武进区医疗保障局关于推进DRG付费改革的通知\n全区二级以上医院全面推进DIP付费。"
    title = "武进区医疗保障局关于推进DRG付费改革的通知"
    t0 = text.index(title)
    skip = ((0, t0 + len(title)),)  # navigation line and title both marked as chrome
    e = run(text, title=title, skip=skip)
    assert [m.text for m in e.regions] == ["武进区", "全区"]
    assert [m.concept for m in e.programs] == ["DRG", "DIP"]


def test_mentions_overlapping_a_skipped_span_are_dropped() -> None:
    text = "责任编辑：常州市医保局\n常州市推进长期护理保险制度。"
    skip = ((0, text.index("\n")),)
    e = run(text, skip=skip)
    assert [(m.text, m.start) for m in e.regions] == [("常州市", text.index("\n") + 1)]
    assert [m.concept for m in e.programs] == ["LongTermCareInsurance"]


# --- citations -------------------------------------------------------------------------

CITING = (
    "全区认真贯彻《医疗保障基金使用监督管理条例》（以下简称《条例》），"
    "落实《关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知》（医保发〔2020〕 40号）。"
    "4月，全区开展《条例》宣传月活动。落实医保发[2020]40号文件要求。"
)


def test_citations_with_titles_numbers_and_aliases() -> None:
    e = run(CITING)
    got = [(c.title, c.doc_number, c.alias, c.alias_of) for c in e.citations]
    full = "医疗保障基金使用监督管理条例"
    assert got == [
        (full, None, False, None),
        ("条例", None, True, full),
        ("关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知", "医保发〔2020〕40号", False, None),
        ("条例", None, True, full),
        (None, "医保发〔2020〕40号", False, None),
    ]
    for c in e.citations:
        assert CITING[c.start:c.end] == c.text
        assert c.sentence.start <= c.start and c.end <= c.sentence.end


def test_citation_text_covers_title_and_number() -> None:
    e = run(CITING)
    third = e.citations[2]
    assert third.text == "《关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知》（医保发〔2020〕 40号）"


def test_bare_alias_without_declaration_has_no_alias_of() -> None:
    e = run("我县组织学习《办法》，做好宣传解读。")
    assert [(c.title, c.alias, c.alias_of) for c in e.citations] == [("办法", True, None)]


def test_citations_in_skipped_spans_are_dropped() -> None:
    text = "相关链接：《关于做好医保工作的通知》\n全县落实《医疗保障基金使用监督管理条例》。"
    e = run(text, skip=((0, text.index("\n")),))
    assert [c.title for c in e.citations] == ["医疗保障基金使用监督管理条例"]


# --- sentences seen through extraction --------------------------------------------------


def test_sentences_slice_the_text_and_break_at_lines() -> None:
    e = run(GANSU_COUNTY)
    assert [s.text for s in e.sentences][:2] == ["临夏县医疗保障局2022年工作总结",
                                                 "2022年，全县医疗保障工作稳步推进。"]
    for s in e.sentences:
        assert GANSU_COUNTY[s.start:s.end] == s.text


def test_a_closing_quote_inside_a_sentence_does_not_end_it() -> None:
    text = "我市印发《定点医药机构管理暂行办法》（以下简称“两定办法”），全市推进DRG付费改革。"
    e = run(text)
    assert [s.text for s in e.sentences] == [text]
    (drg,) = e.programs
    assert drg.sentence.text == text


# --- hypothesis: offsets of every record --------------------------------------------------

_REGION_PIECES = ["武进区", "常州市", "甘肃省", "临夏县", "临夏", "四川省", "成都", "延边州",
                  "延吉市", "昆山市", "北京市", "朝阳区", "海北", "拉萨市", "城关区", "全国",
                  "全区", "我市", "本省", "全州", "县内", "我国"]
_PROGRAM_PIECES = sorted(label_index("prog"))
_FILLER = ["医疗保障", "工作", "推进", "参保人数达", "万人", "基金", "年", "2023", "的", "和",
           "开展", "落实", "结算", "药品", "耗材", "医用", "试点", "12.5%", "亿元"]
_PUNCT = ["。", "，", "；", "！", "？", "、", "“", "”", "《", "》", "（", "）", "(", ")", "：",
          "!", "?", "〔", "〕", "《关于推进DRG付费改革的通知》", "（医保发〔2021〕48号）",
          "医保办发[2019]3号", "（以下简称《意见》）"]
_SPACE = [" ", "\n", "\r\n", "\u3000", "\t", "  ", "\n\n", " \n", "\xa0"]

_piece = st.one_of(
    st.sampled_from(_REGION_PIECES),
    st.sampled_from(_PROGRAM_PIECES),
    st.sampled_from(_FILLER),
    st.sampled_from(_PUNCT),
    st.sampled_from(_SPACE),
    st.text(alphabet="的在全市县区省国保医药。，\n 　", max_size=4),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_piece, max_size=40))
def test_offsets_of_every_record_slice_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    e = run(text)
    for s in e.sentences:
        assert text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
    assert [s.start for s in e.sentences] == sorted(s.start for s in e.sentences)
    for m in (*e.regions, *e.programs, *e.citations):
        assert m.text == text[m.start:m.end]
        assert m.sentence.start <= m.start and m.end <= m.sentence.end
        assert m.sentence.text == text[m.sentence.start:m.sentence.end]
    for r in e.regions:
        assert (r.deictic is None) != (r.candidates == ())
