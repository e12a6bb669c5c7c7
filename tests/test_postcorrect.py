"""Junk lines (signature scribble, dirt) are dropped; print, numbers and notations are kept as read,
but for glyphs no Vietnamese text uses."""

from __future__ import annotations

import pytest

from ocr.postcorrect import drop_junk_lines, normalise_glyphs
from ocr.types import Line, Word


def _line(*words: tuple[str, float]) -> Line:
    return Line.from_words(
        [Word(text=t, confidence=c, bbox=(0.1 * i, 0.5, 0.1 * i + 0.08, 0.52)) for i, (t, c) in enumerate(words)], 0
    )


def texts(lines: list[Line]) -> list[str]:
    return [line.text for line in drop_junk_lines(lines)]


def test_scribble_goes_print_stays():
    scribble = _line(("cY", 0.35), ("„", 0.3), ("`", 0.4))
    title = _line(("PHÓ", 0.8), ("CHỦ", 0.75), ("TỊCH", 0.7))
    assert texts([title, scribble]) == ["PHÓ CHỦ TỊCH"]


def test_unsure_specks_are_removed_from_a_good_line():
    assert texts([_line(("..-", 0.2), ("GIÁM", 0.9), ("ĐỐC", 0.9))]) == ["GIÁM ĐỐC"]


def test_unsure_but_readable_line_is_kept():
    # Faded print: unsure, but real syllables, a notation and an abbreviation.
    line = _line(("Số:", 0.55), ("23/2019/QĐ-UBND", 0.6), ("ngày", 0.62), ("UBND", 0.6))
    assert texts([line]) == ["Số: 23/2019/QĐ-UBND ngày UBND"]


def test_a_number_line_with_a_notation_stays_however_unsure_its_digits():
    # A stamped or handwritten number scores near 0 beside its printed notation.
    assert texts([_line(("Số:", 0.0), ("221", 0.0), ("/QĐ-UBND", 0.57))]) == ["Số: 221 /QĐ-UBND"]
    assert texts([_line(("Số:221", 0.75), ("/QĐ-UBND", 0.6))]) == ["Số:221 /QĐ-UBND"]
    # A notation-like speck beside junk is still junk.
    assert texts([_line(("cY", 0.2), ("/QĐ-UBND", 0.3))]) == []


def test_very_unsure_line_goes_even_if_it_looks_like_words():
    assert texts([_line(("Nề", 0.45))]) == []


def test_words_are_never_rewritten():
    line = _line(("Điều", 0.9), ("L.", 0.9), ("123/HDANN", 0.9))
    assert texts([line]) == ["Điều L. 123/HDANN"]


def restored(*words: tuple[str, float]) -> str:
    from ocr.postcorrect import restore_legal_phrases

    return restore_legal_phrases([_line(*words)])[0].text


def test_unsure_legal_phrase_gets_its_marks_back_in_the_case_read():
    assert restored(("Quyết", 0.8), ("đinh", 0.6), ("này", 0.95)) == "Quyết định này"
    assert restored(("NGHI", 0.7), ("ĐINH", 0.7)) == "NGHỊ ĐỊNH"
    assert restored(("Ủy", 0.95), ("ban,", 0.5)) == "Ủy ban,"


def test_sure_words_and_other_phrases_are_left_alone():
    assert restored(("quyet", 0.95), ("dinh", 0.95)) == "quyet dinh"  # Tesseract was sure
    assert restored(("bán", 0.5), ("hàng", 0.5)) == "bán hàng"  # not a listed phrase
    assert restored(("15/QĐ-UBND", 0.5), ("ngày", 0.5)) == "15/QĐ-UBND ngày"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # the fraction slash, alone or doubled with a slash, in dates and notations
        ("ngày 12⁄03/2019", "ngày 12/03/2019"),
        ("Thông tư số 07/⁄2021/TT-BNV", "Thông tư số 07/2021/TT-BNV"),
        # Icelandic Ð for Đ, alone or doubled after Đ
        ("Nghị định số 45/2020/NĐÐ-CP", "Nghị định số 45/2020/NĐ-CP"),
        ("Số: 88/QÐ-UBND", "Số: 88/QĐ-UBND"),
        # the Q of QĐ read as O or 0 after the slash of a notation
        ("Quyết định số 512/OĐ-BNV", "Quyết định số 512/QĐ-BNV"),
        ("số 64/0Đ-UBND", "số 64/QĐ-UBND"),
        # Ø beside a digit is a zero; ø among letters is a g
        ("ngày Ø5 tháng", "ngày 05 tháng"),
        ("cổng thông tin điện tử ninhbinh.øov.vn", "cổng thông tin điện tử ninhbinh.gov.vn"),
        ("øiấy chứng nhận", "giấy chứng nhận"),
        # a stray capital inside a syllable is a misread mark
        ("bổ sung mỘt số điều", "bổ sung một số điều"),
        ("Sở GIáo dục", "Sở Giáo dục"),
    ],
)
def test_glyphs_no_vietnamese_text_uses_are_mapped(read, expected):
    assert [line.text for line in normalise_glyphs([_line(*((t, 0.9) for t in read.split()))])] == [expected]


def test_names_abbreviations_and_notations_keep_their_case():
    read = "Ông NGUYỄN Văn An, TTr-SNV, UBND, Sở GTVT, iOS"
    assert [line.text for line in normalise_glyphs([_line(*((t, 0.9) for t in read.split()))])] == [read]
