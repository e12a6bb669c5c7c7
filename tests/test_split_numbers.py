"""Dates and notations Tesseract cut in two at a digit are joined, and nothing else is."""

from ocr.split_numbers import join_split_numbers
from ocr.types import Line, Word


def line_of(*texts: str) -> Line:
    words = [Word(text=t, confidence=0.9 - i / 100, bbox=(0.1 * i, 0.1, 0.1 * i + 0.08, 0.12 + i / 1000))
             for i, t in enumerate(texts)]
    return Line.from_words(words, block=0)


def joined(*texts: str) -> str:
    return join_split_numbers([line_of(*texts)])[0].text


def test_a_date_cut_after_a_one_is_joined():
    assert joined("ngày", "29/1", "1/2024;") == "ngày 29/11/2024;"


def test_a_notation_cut_inside_its_year_is_joined():
    assert joined("định", "số", "63/201", "0/NĐ-CP") == "định số 63/2010/NĐ-CP"


def test_the_slash_after_a_cut_year_lost_or_read_as_a_z_is_put_back():
    assert joined("định", "số", "63/201", "0NĐ-CP") == "định số 63/2010/NĐ-CP"
    assert joined("số", "02/201", "7Z/TT-VPCP;") == "số 02/2017/TT-VPCP;"
    assert joined("số", "92/201", "7/NĐ-CP") == "số 92/2017/NĐ-CP"


def test_figures_after_so_cut_from_the_notation_they_head_are_joined_wherever_the_cut():
    assert joined("Nghị", "quyết", "số", "25", "4/2025/QH15;") == "Nghị quyết số 254/2025/QH15;"
    assert joined("định", "số", "1", "07/2021/NĐ-CP") == "định số 107/2021/NĐ-CP"
    # not after `số`, or not before a notation, or too long a run to be a cut head: apart
    assert joined("Quyết", "định", "3", "77/QĐ-BGDĐT") == "Quyết định 377/QĐ-BGDĐT"
    assert joined("Điều", "25", "4/2025/QH15") == "Điều 25 4/2025/QH15"
    assert joined("số", "25", "4/2") == "số 25 4/2"
    assert joined("số", "2025", "4/2025/QH15") == "số 2025 4/2025/QH15"


def test_a_date_after_ngay_with_a_slash_lost_gets_it_back_where_only_one_place_makes_a_date():
    assert joined("ngày", "14/52013;") == "ngày 14/5/2013;"
    assert joined("ngày", "0601/2025") == "ngày 06/01/2025"
    # two places make a date (1/12/2024, 11/2/2024), or none, or not after ngày: as read
    assert joined("ngày", "112/2024") == "ngày 112/2024"
    # a day whose month was lost reads the same as a day and month without their slash (17/7/2020)
    assert joined("ngày", "17/2020") == "ngày 17/2020"
    assert joined("ngày", "99/92013") == "ngày 99/92013"
    assert joined("số", "0601/2025") == "số 0601/2025"
    # `ngày` ending the line before
    lines = join_split_numbers([line_of("05/2025/NĐ-CP", "ngày"), line_of("0601/2025", "của")])
    assert [line.text for line in lines] == ["05/2025/NĐ-CP ngày", "06/01/2025 của"]


def test_the_joined_word_spans_both_boxes_with_the_lower_confidence():
    line = join_split_numbers([line_of("29/1", "1/2024")])[0]
    (word,) = line.words
    assert word.bbox == (0.0, 0.1, 0.18, 0.121)
    assert word.confidence == 0.89


def test_two_whole_dates_or_a_number_and_a_date_stay_apart():
    assert joined("từ", "01/02/2024", "10/02/2024") == "từ 01/02/2024 10/02/2024"
    assert joined("Điều", "1", "1/2/2024") == "Điều 1 1/2/2024"  # the first half has no slash
    assert joined("khoản", "3/5", "2/2024") == "khoản 3/5 2/2024"  # a cut is beside a 1
    assert joined("ngày", "31/1", "1/2024") == "ngày 31/1 1/2024"  # 31/11 is no date


def test_implausible_years_and_junk_stay_as_read():
    assert joined("số", "02/201", "ZTT-VPCP") == "số 02/201 ZTT-VPCP"  # which digit the Z hides is a guess
    assert joined("số", "02/201", "7ZZ/TT-VPCP") == "số 02/201 7ZZ/TT-VPCP"
    assert joined("số", "12/18", "90/NĐ-CP") == "số 12/18 90/NĐ-CP"  # 1890 is before the state's documents
    assert joined("12/3", "45") == "12/3 45"
