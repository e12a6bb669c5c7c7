import datetime as dt
import unicodedata

from extract.dates import date_problem, find_date, find_dates

TODAY = dt.date(2025, 11, 1)


def test_verbal_date_in_the_place_and_date_line() -> None:
    reading = find_date("Vĩnh Phúc, ngày 29 tháng 6 năm 2022", TODAY)
    assert reading.iso == "2022-06-29"
    assert reading.problem is None
    assert "Vĩnh Phúc, ngày 29 tháng 6 năm 2022"[: reading.start] == "Vĩnh Phúc, "


def test_ocr_slips_in_the_keywords() -> None:
    assert find_date("ngày 5 tháng 01 nãm 2020", TODAY).iso == "2020-01-05"
    assert find_date("ngảy 05 thảng 01 nam 2020", TODAY).iso == "2020-01-05"
    assert find_date("ngày05tháng01năm2020", TODAY).iso == "2020-01-05"
    assert find_date("ngày 1O tháng 02 năm 2021", TODAY).iso == "2021-02-10"
    # A real scan's `năm`, its `ă` read as two letters; a lone `n` is no label.
    assert find_date("Tây Ninh, ngày 20 tháng 02 nešm 2025", TODAY).iso == "2025-02-20"
    assert find_date("ngày 20 tháng 02 n 2025", TODAY) is None


def test_nfd_input_after_cleaning_matches() -> None:
    from extract.text import clean

    text = clean(unicodedata.normalize("NFD", "Tam Dương, ngày 05 tháng 01 năm 2020"))
    assert find_date(text, TODAY).iso == "2020-01-05"


def test_numeric_dates_put_the_day_first() -> None:
    assert find_date("cấp ngày 05/01/2020", TODAY).iso == "2020-01-05"
    assert find_date("5-1-2020", TODAY).iso == "2020-01-05"
    assert find_date("12.11.2019", TODAY).iso == "2019-11-12"


def test_a_number_glued_to_a_date_is_no_date() -> None:
    assert find_dates("mã 105/01/2020", TODAY) == []
    assert find_dates("05/01/20201", TODAY) == []
    assert find_dates("ngày 05 tháng 01 năm 20201", TODAY) == []
    assert find_dates("Số 1204/2022/QĐ", TODAY) == []


def test_impossible_and_implausible_dates_are_flagged_not_dropped() -> None:
    assert find_date("ngày 31 tháng 02 năm 2020", TODAY).problem == "not a calendar date"
    assert find_date("ngày 31 tháng 02 năm 2020", TODAY).iso == "2020-02-31"
    assert find_date("ngày 02 tháng 9 năm 1930", TODAY).problem == "before 1945"
    assert find_date("ngày 05 tháng 01 năm 2030", TODAY).problem == "in the future"


def test_a_plausible_date_wins_over_an_earlier_implausible_one() -> None:
    assert find_date("05/01/2099 và 06/01/2020", TODAY).iso == "2020-01-06"


def test_date_problem_defaults_to_today() -> None:
    assert date_problem(1, 1, dt.date.today().year + 1) == "in the future"


def test_stray_letter_before_an_italic_digit() -> None:
    assert find_date("Vĩnh Phúc, ngày 01 tháng Z7 năm 2023", TODAY).iso == "2023-07-01"


def test_a_digit_read_as_a_letter_is_not_a_stray_letter() -> None:
    # `L7` is a 17 whose 1 OCR read as L; `Z7` keeps its stray letter.
    assert find_date("Bắc Giang, ngày L7 tháng 02 năm 2025", TODAY).iso == "2025-02-17"
    assert find_date("ngày l9 tháng 6 năm 2015", TODAY).iso == "2015-06-19"


def test_the_underscore_of_a_blank_after_a_number() -> None:
    assert find_date("Thanh Hóa, ngày 18 tháng02_ năm 2025", TODAY).iso == "2025-02-18"
    assert find_date("ngày 18_ tháng 02 năm 2025", TODAY).iso == "2025-02-18"


def test_a_scribble_read_as_letters_is_not_legible() -> None:
    # Folding makes `ôÖ` look like `oo`; a handwritten day is no 00.
    reading = find_date("Hải Phòng, ngày ôÖ tháng O2 năm 2025", TODAY)
    assert reading.problem == "not legible"
    assert find_date("ngày 1O tháng O2 năm 2025", TODAY).problem is None


def test_a_date_line_whose_day_is_blank_or_scribbled_gives_its_month() -> None:
    from extract.dates import find_dayless

    assert find_dayless("Tiền Giang, ngày — tháng 02 năm 2025").iso == "2025-02"
    assert find_dayless("Điện Biên, ngày __ tháng 02 năm 2025").iso == "2025-02"
    assert find_dayless("Tây Ninh, ngày ›2Ò_ tháng 02 nešm 2025").iso == "2025-02"
    assert find_dayless("Tam Sơn, ngày - _ tháng 10 năm 2019").iso == "2019-10"
    assert find_dayless("Thanh Hóa, ngày 18 tháng) năm 2025") is None


def test_a_software_timestamp_is_no_issue_date_but_still_a_date() -> None:
    text = "09.01.2025 10:21:11 +07:00 Quảng Ngãi, 08/01/2025"
    assert find_date(text, TODAY).iso == "2025-01-09"
    assert find_date(text, TODAY, timestamps=False).iso == "2025-01-08"
    assert find_date("09.01.2025; 10:21 SAO Y", TODAY, timestamps=False) is None
