"""The one accent-folding function (ocr/vntext.py), used by ocr, extract and storage."""

import unicodedata

from ocr.vntext import fold


def test_marks_case_and_d_with_stroke_are_folded():
    assert fold("Quyết định số 15 của ỦY BAN") == "quyet dinh so 15 cua uy ban"
    assert fold("Đ đ") == "d d"
    assert fold("ĐƯỜNG Hồ Sơn, Số ký hiệu") == "duong ho son, so ky hieu"
    assert fold("Quyết định đã được ban hành") == "quyet dinh da duoc ban hanh"


def test_decomposed_input_folds_like_composed():
    assert fold(unicodedata.normalize("NFD", "Thửa đất số 12")) == "thua dat so 12"


def test_length_is_that_of_the_nfc_text():
    # Matches on the folded text cut the original at the same offsets.
    text = "Ủy ban nhân dân xã Liễn Sơn"
    assert len(fold(text)) == len(text)
    start = fold(text).index("lien son")
    assert text[start:start + len("lien son")] == "Liễn Sơn"
