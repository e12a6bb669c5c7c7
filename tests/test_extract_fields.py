import datetime as dt

from extract.fields import place_and_date, summary
from extract.layout import analyse
from test_extract_fixtures import decree30_page

TODAY = dt.date(2025, 11, 1)
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _layout(**zones):
    return analyse([decree30_page(**zones)])


def test_place_and_date_from_the_right_header() -> None:
    layout = _layout(right_header=[*MOTTO, "Tam Dương, ngày 05 tháng 01 năm 2020"], centre=["QUYẾT ĐỊNH"])
    found = place_and_date(layout, TODAY)
    assert (found.date.value, found.place.value) == ("2020-01-05", "Tam Dương")
    assert found.date.confidence == 0.95


def test_date_in_the_future_keeps_its_value_and_loses_confidence() -> None:
    layout = _layout(right_header=[*MOTTO, "Vĩnh Phúc, ngày 05 tháng 01 năm 2030"], centre=["QUYẾT ĐỊNH"])
    found = place_and_date(layout, TODAY).date
    assert (found.value, found.problem) == ("2030-01-05", "in the future")
    assert found.confidence < 0.5


def test_summary_lines_after_the_title_up_to_the_body() -> None:
    layout = _layout(
        centre=["QUYẾT ĐỊNH", "Về việc giao đất cho hộ gia đình,", "cá nhân tại xã Hoàng Đan", "———",
                "ỦY BAN NHÂN DÂN HUYỆN TAM DƯƠNG"],
        body=["Căn cứ Luật Đất đai năm 2013;"],
    )
    assert summary(layout).value == "Về việc giao đất cho hộ gia đình, cá nhân tại xã Hoàng Đan"


def test_letter_subject_drops_the_v_v() -> None:
    layout = _layout(
        left_header=["UBND TỈNH VĨNH PHÚC", "SỞ TƯ PHÁP", "Số: 12/STP-VP", "V/v hướng dẫn số hóa", "kết quả TTHC"],
        right_header=MOTTO,
        body=["Kính gửi: Ủy ban nhân dân các huyện, thành phố."],
    )
    assert summary(layout).value == "hướng dẫn số hóa kết quả TTHC"


def test_letter_subject_with_the_second_v_lost() -> None:
    layout = _layout(left_header=["SỞ TƯ PHÁP", "Số: 12/STP-VP", "V/ hướng dẫn số hóa"], right_header=MOTTO,
                     body=["Kính gửi: Ủy ban nhân dân các huyện, thành phố trên địa bàn tỉnh."])
    assert summary(layout).value == "hướng dẫn số hóa"


def test_summary_keeps_a_wrapped_line_of_digits() -> None:
    layout = _layout(
        centre=["ĐỀ ÁN", "Xây dựng chính quyền số tỉnh Vĩnh Phúc giai đoạn 2021 -", "2025", "———"],
        body=["I. SỰ CẦN THIẾT"],
    )
    assert summary(layout).value == "Xây dựng chính quyền số tỉnh Vĩnh Phúc giai đoạn 2021 - 2025"
