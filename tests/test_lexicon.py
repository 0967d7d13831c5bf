"""The one lexicon loader (kg.base.resources): declared columns and kinds, checked at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.base.resources import (
    LEXICONS,
    LexiconError,
    lexicon,
    lexicon_file,
    lexicon_rows,
    lexicon_words,
    parse_lexicon,
)
from kg.extract import docnumber
from kg.extract.labels import observation_words

LEXICON_DIR = Path(__file__).resolve().parent.parent / "ontology" / "lexicon"


def _text(name: str) -> str:
    return lexicon_file(name).read_text(encoding="utf-8")


def test_every_lexicon_file_is_declared_and_loads() -> None:
    on_disk = {p.name for p in LEXICON_DIR.glob("*.tsv")}
    assert on_disk == set(LEXICONS)
    for name in sorted(on_disk):
        assert lexicon(name).all_rows, name


def test_an_undeclared_file_is_an_error() -> None:
    with pytest.raises(LexiconError, match=r"no_such_words\.tsv: not a declared lexicon"):
        lexicon("no_such_words.tsv")


def test_kinds_come_from_the_comment_lines() -> None:
    kinds = lexicon("observation_words.tsv").kinds
    assert {"link_verb", "breakdown", "object_marker", "per_capita_word", "to_verb"} <= kinds
    # a kind the comments declare may have no rows: it is declared, just empty
    assert "change" in kinds


def test_a_row_of_an_undeclared_kind_names_file_and_line() -> None:
    text = _text("observation_words.tsv") + "breakdwon\t其中\t\n"
    line = text.count("\n")
    with pytest.raises(LexiconError, match=rf"observation_words.tsv:{line}: kind 'breakdwon'"):
        parse_lexicon("observation_words.tsv", text)


def test_a_comment_line_declares_a_new_kind() -> None:
    text = _text("observation_words.tsv").replace(
        "#   link_verb", "#   new_kind      a kind added for this test\n#   link_verb", 1)
    lex = parse_lexicon("observation_words.tsv", text + "new_kind\t某词\t\n")
    assert lex.rows("new_kind") == (("new_kind", "某词", ""),)


def test_a_row_missing_a_required_column_names_file_line_and_column() -> None:
    text = _text("time_words.tsv") + "relative_year\t今年\n"
    line = text.count("\n")
    with pytest.raises(LexiconError, match=rf"time_words.tsv:{line}: no value"):
        parse_lexicon("time_words.tsv", text)
    # a kind may need more columns than the file's other rows: program_indicator names an indicator
    text = _text("observation_words.tsv") + "program_indicator\tDRG\tItem\n"
    with pytest.raises(LexiconError, match=rf"observation_words.tsv:{text.count(chr(10))}: no indicator"):
        parse_lexicon("observation_words.tsv", text)


def test_a_row_with_more_columns_than_declared_is_an_error() -> None:
    text = _text("table_words.tsv") + "note_lead\t注：\textra\n"
    with pytest.raises(LexiconError, match=r"table_words.tsv:\d+: 3 columns, 2 declared"):
        parse_lexicon("table_words.tsv", text)


def test_a_header_that_is_not_the_declared_columns_is_an_error() -> None:
    text = _text("time_words.tsv").replace("\nkind\tword\tvalue\n", "\nkind\tvalue\tword\n", 1)
    with pytest.raises(LexiconError, match=r"time_words.tsv:\d+: header 'kind value word'"):
        parse_lexicon("time_words.tsv", text)


def test_a_fixed_kind_list_in_code() -> None:
    text = _text("person_roles.tsv") + "王\tsurnam\n"
    with pytest.raises(LexiconError, match=r"person_roles\.tsv:\d+: kind 'surnam' is not one of"):
        parse_lexicon("person_roles.tsv", text)


def test_looking_up_an_undeclared_kind_raises() -> None:
    words = lexicon_words("agency_words.tsv")
    assert words["level_word"][0] == "自治区"
    with pytest.raises(LexiconError, match=r"agency_words\.tsv: no kind 'level_words'"):
        words.get("level_words", ())
    with pytest.raises(LexiconError, match=r"observation_words\.tsv: no kind 'breakdwon'"):
        observation_words().get("breakdwon", ("其中",))
    with pytest.raises(LexiconError, match=r"citation_words\.tsv: no kind 'doctype'"):
        docnumber.lexicon().get("doctype", ())
    with pytest.raises(LexiconError, match="has no kind column"):
        lexicon("domain_terms.tsv").rows("term")


def test_a_declared_kind_without_rows_gives_the_default() -> None:
    assert observation_words().get("change", ("default",)) == ("default",)
    assert lexicon("observation_words.tsv").rows("change") == ()


def test_the_loaders_agree_with_the_rows() -> None:
    rows = lexicon_rows("observation_words.tsv")
    generic = [r[1] for r in rows if r[0] == "generic"]
    assert observation_words()["generic"] == tuple(sorted(generic, key=len, reverse=True))
    assert observation_words() is lexicon_words("observation_words.tsv")
    # citation words: word in the first column, kind in the second; each word once
    doc_types = {r[0] for r in lexicon_rows("citation_words.tsv") if r[1] == "doc_type"}
    assert set(docnumber.lexicon()["doc_type"]) == doc_types
    assert len(docnumber.lexicon()["doc_type"]) == len(doc_types)
    assert lexicon("time_words.tsv").values("plan_period")["十四五"] == "2021-2025"
