"""Place names after a unit word respelt from the gazetteer (ocr/place_names.py)."""

from __future__ import annotations

import pytest

from ocr.gazetteer import PLACES_FILE
from ocr.place_names import restore_place_names
from ocr.types import Line, Word


def _line(text: str) -> Line:
    words = [Word(text=w, confidence=0.95, bbox=(0.05 * i, 0.1, 0.05 * i + 0.04, 0.12))
             for i, w in enumerate(text.split())]
    return Line.from_words(words, block=3)


@pytest.mark.parametrize(
    ("read", "expected", "changed"),
    [
        ("UBND thị xã Bim Sơn về việc", "UBND thị xã Bỉm Sơn về việc", 1),
        ("ỦY BAN NHÂN DÂN TỈNH ĐÁK LẮK", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", 1),
        ("UBND TỈNH QUẢNG NGAI", "UBND TỈNH QUẢNG NGÃI", 1),
        ("thành phố HUE", "thành phố HUẾ", 1),
        # a number belongs to the name; the name ends at a comma or a word in small letters
        ("các phường Cô Nhuệ 2 và Xuân Đỉnh", "các phường Cổ Nhuế 2 và Xuân Đỉnh", 2),
        ("HĐND tỉnh Cao Băng, khóa XVII", "HĐND tỉnh Cao Bằng, khóa XVII", 1),
    ],
)
def test_a_place_read_with_other_marks_is_spelt_as_the_one_place_with_its_letters(read, expected, changed):
    lines, count = restore_place_names([_line(read)], PLACES_FILE)
    assert (lines[0].text, count) == (expected, changed)
    assert lines[0].block == 3 and len(lines[0].words) == len(read.split())


@pytest.mark.parametrize(
    "read",
    [
        "tỉnh Bắc Giang",  # spelt as the place is
        "phường Xuân Định",  # `Xuân Đỉnh` has the same letters: nothing is guessed
        "phường 5, quận 3",  # numbered units
        "cơ quan Hải quan",  # no unit word
        "xã Tân Lập, huyện Đan Phượng",
        "thành phố Phúc Yên, tỉnh Vĩnh",  # `Vĩnh Phúc` begun at a line's end, not the city of Vinh
    ],
)
def test_names_spelt_right_shared_or_unknown_stay(read):
    line = _line(read)
    lines, count = restore_place_names([line], PLACES_FILE)
    assert count == 0 and lines[0] is line
