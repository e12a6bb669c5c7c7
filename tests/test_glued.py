"""Syllables printed apart but stored or read without their space are cut apart, nothing else."""

from pathlib import Path

import pymupdf

from ocr.glued import split_glued_syllables
from ocr.vntext import is_vietnamese_syllable
from ocr.textlayer import read_text_layer
from ocr.types import Line, Word


def line_of(*texts: str) -> Line:
    words = [Word(text=t, confidence=0.9, bbox=(0.1 * i, 0.1, 0.1 * i + 0.08, 0.12)) for i, t in enumerate(texts)]
    return Line.from_words(words, block=0)


def split(*texts: str) -> str:
    return split_glued_syllables([line_of(*texts)])[0].text


def test_glued_syllables_of_a_text_layer_are_cut():
    assert split("kiểm", "soát", "thủtục", "hành", "chính;") == "kiểm soát thủ tục hành chính;"
    assert split("của", "BộTư", "pháp") == "của Bộ Tư pháp"
    assert split("Căn", "cứNghịđịnh", "số") == "Căn cứ Nghị định số"
    assert split("kểtừngày", "ký.") == "kể từ ngày ký."
    assert split("(đểbiết);") == "(để biết);"
    assert split("KT.", "BỘTRƯỞNG") == "KT. BỘ TRƯỞNG"


def test_the_box_is_shared_out_by_letters():
    (line,) = split_glued_syllables([line_of("thủtục")])
    first, second = line.words
    assert first.bbox[0] == 0.0 and second.bbox[2] == 0.08
    assert abs(first.bbox[2] - 0.04) < 1e-9 and first.bbox[2] == second.bbox[0]
    assert first.confidence == second.confidence == 0.9


def test_words_syllables_names_and_abbreviations_stay_whole():
    kept = ("người", "Quyết", "nghiêng", "ĐắkLắk", "Krông", "KSTTHC", "Hanoi", "dichvucong", "Email",
            "Nehị", "83/2025/QĐ-UBND", "12.000.000", "hòa", "hoà")
    assert split(*kept) == " ".join(kept)


def test_a_real_text_layer_without_spaces_after_marked_syllables():
    """A ministry's decision (realdocs) whose converter left out 65 spaces on page 1."""
    path = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files" / "BTPQD86TTHCBTP.pdf"

    def glued(lines: list[Line]) -> list[str]:
        cores = (w.text.strip("\"()[].,;:!?/-") for line in lines for w in line.words)
        return [c for c in cores if c.isalpha() and not c.isascii() and not is_vietnamese_syllable(c.lower())]

    with pymupdf.open(path) as doc:
        lines = read_text_layer(doc[0])
    fixed = split_glued_syllables(lines)
    assert len(glued(lines)) == 65
    assert glued(fixed) == ["tửBTP"]  # a syllable glued to an abbreviation is left alone
    text = "\n".join(line.text for line in fixed)
    assert "kiểm soát thủ tục hành chính" in text and "KT. BỘ TRƯỞNG" in text


def test_a_syllable_cut_before_its_vowel_is_made_whole():
    assert split("giải", "quy", "ết", "thủ", "tục") == "giải quyết thủ tục"
    assert split("nghi", "ệp", "vụ") == "nghiệp vụ"
    assert split("QUY", "ẾT", "ĐỊNH") == "QUYẾT ĐỊNH"
    joined = split_glued_syllables([line_of("quy", "ết")])[0].words
    assert len(joined) == 1 and joined[0].bbox[2] > joined[0].bbox[0]


def test_a_cited_number_cut_after_its_hyphen_is_made_whole():
    assert split("Nghị", "định", "số", "63/2010/NĐ-", "CP", "ngày") == "Nghị định số 63/2010/NĐ-CP ngày"
    assert split("Thông", "tư", "số", "57/2024/TT-", "BYT;") == "Thông tư số 57/2024/TT-BYT;"
    # a dash before a word, or a hyphen with no number before it, stays
    assert split("Quyết", "định", "123/QĐ-", "ngày") == "Quyết định 123/QĐ- ngày"
    assert split("Phòng", "TT-", "CNTT") == "Phòng TT- CNTT"


def test_words_that_stand_alone_are_not_joined():
    # `ấy`, `anh`, `an` are words of their own; `Quy` + `ẾT` mixes cases.
    for words in (("cho", "ông", "ấy"), ("ông", "anh"), ("bảo", "an"), ("Quy", "ẾT")):
        assert split(*words) == " ".join(words)


def test_a_common_word_glued_to_the_number_after_it_is_cut():
    assert split("bổ", "sung", "và01", "TTHC") == "bổ sung và 01 TTHC"
    assert split("92/2017/NĐ-CP", "ngày08/7/2017") == "92/2017/NĐ-CP ngày 08/7/2017"
    # both spaces round the `ngày` of a cited number lost, `ngày` garbled
    assert split("số", "92/2017/NĐ-CPnsgày08/7/2017", "của") == "số 92/2017/NĐ-CP ngày 08/7/2017 của"
    assert split("(Điều1.") == "(Điều 1."
    assert split("Số:5915_", "/BB-SCT") == "Số: 5915_ /BB-SCT"
    # units, codes and numbers before words stay
    assert split("100.000", "m3/năm", "QH15", "TT01", "đồng/01giấy") == "100.000 m3/năm QH15 TT01 đồng/01giấy"


def test_two_syllables_glued_at_a_comma_are_cut():
    assert split("Thanh", "Hóa,ngày", "18") == "Thanh Hóa, ngày 18"
    # abbreviations and letters that spell no syllable stay
    assert split("UBND,tỉnh", "a,b") == "UBND,tỉnh a,b"


def test_two_abbreviations_glued_at_a_comma_are_cut():
    assert split("Lưu:", "VT,NC-KSTT.", "HĐND,UBND;") == "Lưu: VT, NC-KSTT. HĐND, UBND;"
    # a number or a capital with small letters after the comma stays
    assert split("VT,12", "TT,Hóa") == "VT,12 TT,Hóa"


def test_a_stamped_day_or_month_read_with_the_labels_round_it_is_cut_out():
    # The signing software's day set tight between the labels: OCR reads one word.
    assert split("Ngãi,", "ngày2/tháng", "01") == "Ngãi, ngày 2/ tháng 01"
    assert split("18", "tháng02năm", "2025") == "18 tháng 02 năm 2025"
    # other words starting or ending so stay
    assert split("ngày", "thángnăm2") == "ngày thángnăm2"
