"""Body fields: labels found by spaCy on folded norms, values read and validated by pattern."""

from __future__ import annotations

import pytest

from extract.body import body_fields, read_area, read_procedure_code, read_register_book, read_serial
from extract.layout import analyse
from extract.nlp import find_labels, groupings
from test_extract_fixtures import decree30_page


def _fields(body: list[str], issued: str | None = "2022-06-29") -> dict:
    found = body_fields(analyse([decree30_page(centre=["GIẤY CHỨNG NHẬN"], body=body)]), issued)
    return {name: (f.value, f.problem) for name, f in found.items()}


def test_groupings_cover_every_way_to_cut_a_label() -> None:
    assert groupings(["to", "ban", "do"]) == [["to ban do"], ["to", "ban do"], ["to ban", "do"], ["to", "ban", "do"]]


def test_labels_are_found_whatever_the_tone_marks() -> None:
    # OCR lost marks in `Thửa` and `bản đồ`: the folded norms still match, and pyvi may split `ban do`.
    hits = find_labels("tại thua đât số 45, to ban do so 7, Thôn Đông")
    assert [hit.field for hit in hits] == ["land_parcel", "map_sheet"]


def test_land_title_lines() -> None:
    found = _fields([
        "Số phát hành: CS 123456",
        "a) Thửa đất số: 123",
        "b) Tờ bản đồ số: 12",
        "c) Địa chỉ thửa đất: Thôn Đông, xã Kim Long",
        "d) Diện tích: 150,5 m2",
        "g) Thời hạn sử dụng: đến ngày 15/10/2063",
        "Mã thủ tục hành chính: 1.004227.000.00.00.H62",
    ])
    assert found == {
        "land_serial": ("CS 123456", None),
        "land_parcel": ("123", None),
        "map_sheet": ("12", None),
        "land_area": ("150.5", None),
        "valid_until": ("2063-10-15", None),
        "procedure_code": ("1.004227.000.00.00.H62", None),
    }


def test_parcel_in_running_text_across_a_line_break() -> None:
    found = _fields(["Giao 120 m2 đất ở cho hộ ông Nguyễn Văn An tại thửa đất", "số 45, tờ bản đồ số 7, Thôn Đông."])
    assert found["land_parcel"] == ("45", None)
    assert found["map_sheet"] == ("7", None)
    assert "land_area" not in found  # `Giao 120 m2` has no area label


def test_building_area_is_not_the_land_area() -> None:
    found = _fields(["- Diện tích xây dựng tầng 1: 85,5 m2; tổng diện tích sàn: 256,5 m2."])
    assert "land_area" not in found


def test_indefinite_term_gives_no_validity() -> None:
    assert "valid_until" not in _fields(["g) Thời hạn sử dụng: Lâu dài"])


def test_validity_before_issue_is_kept_and_flagged() -> None:
    found = _fields(["Giấy này có giá trị sử dụng đến ngày: 05/03/2020"], issued="2022-06-29")
    assert found["valid_until"] == ("2020-03-05", "ends before the issue date")


def test_validity_may_lie_in_the_future() -> None:
    found = _fields(["Giấy này có giá trị sử dụng đến ngày: 05/03/2099"], issued="2022-06-29")
    assert found["valid_until"] == ("2099-03-05", None)


@pytest.mark.parametrize(
    ("rest", "value", "problem"),
    [
        (": 1.000894", "1.000894", None),
        (": 1. 000894", "1.000894", None),
        (": 1.000494.000.00.00.H29", "1.000494.000.00.00.H29", None),
        # a table's row number before the code (`Mã TTHC` / `1.` / `2.001915...` read as one row)
        (" 1. 2.001915.000.00.00.H56 Gia hạn chấp thuận", "2.001915.000.00.00.H56", None),
        # a misread code is taken whole and flagged, not cut to a valid-looking piece
        (": 1.0894", "1.0894", "not a procedure code (1.000894 or 1.000894.000.00.00.H62)"),
    ],
)
def test_procedure_codes(rest: str, value: str, problem: str | None) -> None:
    read = read_procedure_code(rest)
    assert (read.text, read.problem) == (value, problem)


def test_a_paper_listing_procedures_has_no_procedure_code_of_its_own() -> None:
    single = _fields(["Mã thủ tục hành chính: 1.000894", "Tên thủ tục: Đăng ký hộ kinh doanh"])
    assert single["procedure_code"] == ("1.000894", None)
    listing = _fields(["STT Mã TTHC Tên thủ tục hành chính", "1. 2.001915.000.00.00.H56 Gia hạn chấp thuận",
                       "2. 1.013274.H56 Cấp phép sử dụng tạm thời lòng đường"])
    assert "procedure_code" not in listing


def test_register_books() -> None:
    assert read_register_book(": 01/2023-SCT/BS").text == "01/2023-SCT/BS"
    assert read_register_book(": 01/2021").problem is None
    assert read_register_book(": 01/20X1").problem == "not a register book number"


def test_area_with_thousands_and_serial_spacing() -> None:
    assert read_area(": 1.250,5 m2").text == "1250.5"
    assert read_area(": 150 m²").text == "150"
    assert read_serial(": CS123456").text == "CS 123456"
