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


def test_a_subject_runs_on_over_lines_wider_than_a_centred_line() -> None:
    wide = "được sửa đổi, bổ sung và bị bãi bỏ trong lĩnh vực đường bộ thuộc thẩm quyền giải quyết của"
    layout = _layout(
        centre=["QUYẾT ĐỊNH", "Về việc công bố Danh mục thủ tục hành chính mới ban hành,", wide,
                "Sở Giao thông vận tải tỉnh Thanh Hóa", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
    )
    assert layout.below_header[2].text == wide and not layout.below_header[2].is_centred
    assert summary(layout).value == (
        "Về việc công bố Danh mục thủ tục hành chính mới ban hành, " + wide + " Sở Giao thông vận tải tỉnh Thanh Hóa"
    )
    # A first line as wide, and a `(Lĩnh vực: ...)` line closing the subject.
    layout = _layout(centre=["QUYẾT ĐỊNH", "Về việc công bố Danh mục thủ tục hành chính mới ban hành thuộc thẩm quyền",
                             "giải quyết của Ủy ban nhân dân cấp xã", "(Lĩnh vực: Đăng ký, quản lý cư trú)"],
                     body=["Căn cứ Luật Cư trú năm 2020;"])
    assert summary(layout).value == ("Về việc công bố Danh mục thủ tục hành chính mới ban hành thuộc thẩm quyền "
                                     "giải quyết của Ủy ban nhân dân cấp xã (Lĩnh vực: Đăng ký, quản lý cư trú)")
    # A paragraph as wide after the gap under the subject is the body, not the subject.
    layout = _layout(centre=["KẾ HOẠCH", "Số hóa kết quả giải quyết thủ tục hành chính"], body=[wide.capitalize()])
    assert summary(layout).value == "Số hóa kết quả giải quyết thủ tục hành chính"

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
