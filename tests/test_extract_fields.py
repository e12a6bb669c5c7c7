import datetime as dt

from extract.fields import issuer, place_and_date, read_fields, summary, title
from extract.layout import analyse
from ocr.types import Line, Word
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


def test_a_stamped_time_above_the_date_line_is_not_the_issue_date() -> None:
    # Signing or publishing software's time over the motto, a day after the printed date.
    layout = _layout(right_header=["09.01.2025 10:21:11 +07:00", *MOTTO, "Quảng Ngãi, ngày 08 tháng 01 năm 2025"],
                     centre=["THÔNG BÁO"])
    assert place_and_date(layout, TODAY).date.value == "2025-01-08"
    # A numeric date line is still a date line when no date in words is printed.
    layout = _layout(right_header=[*MOTTO, "Quảng Ngãi, 08/01/2025"], centre=["THÔNG BÁO"])
    assert place_and_date(layout, TODAY).date.value == "2025-01-08"


def test_the_place_of_the_date_line_is_confirmed_by_the_issuers_place() -> None:
    def place(header: str, printed: str) -> float:
        page = decree30_page(left_header=["ỦY BAN NHÂN DÂN", header, "Số: 486/QĐ-UBND"],
                             right_header=[*MOTTO, f"{printed}, ngày 18 tháng 02 năm 2025"],
                             centre=["QUYẾT ĐỊNH"], confidence=0.6)
        return read_fields(analyse([page]), TODAY)["issue_place"].confidence

    assert place("TỈNH THANH HÓA", "Thanh Hóa") == 0.84  # two readings agreeing: 1 - 0.4 * 0.4
    assert place("TỈNH THANH HÓA", "Hà Nội") == 0.6
    # Other marks: one of the two is misread (the header is even restored from the place line).
    assert place("TỈNH THANH HÓA", "Thanh Hòa") == 0.6
    assert place("XÃ TỀ LỖ", "Tê Lỗ") == 0.6


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


def test_a_report_or_proposal_printing_its_subject_as_a_letter_loses_the_v_v() -> None:
    layout = _layout(centre=["TỜ TRÌNH", "V/v xin chủ trương triển khai thực hiện công tác cai nghiện"],
                     body=["Kính gửi: Ủy ban nhân dân tỉnh"])
    assert summary(layout).value == "xin chủ trương triển khai thực hiện công tác cai nghiện"


def test_strokes_read_as_underscores_are_neither_subject_nor_hiding_the_body() -> None:
    layout = _layout(centre=["NGHỊ ĐỊNH", "Quy định chi tiết một số điều", "và biện pháp thi hành Luật Cư trú __"],
                     body=["__ Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;"])
    assert summary(layout).value == "Quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú"
    layout = _layout(left_header=["BỘ CÔNG AN", "Số: 5689/BCA-C04", "V/v thực hiện CTMTQG PCMT -_ đến năm 2030"],
                     right_header=MOTTO, body=["Kính gửi: Bộ Tài chính"])
    assert summary(layout).value == "thực hiện CTMTQG PCMT đến năm 2030"


def test_a_subject_printed_in_capitals_under_a_resolution_is_read_up_to_the_authority_line() -> None:
    layout = _layout(centre=["NGHỊ QUYẾT", "QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP LỆ PHÍ CẤP", "GIẤY PHÉP LAO ĐỘNG",
                             "TỈNH CAO BẰNG", "HỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG", "KHÓA XVII KỲ HỌP THỨ 8"],
                     body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"])
    assert summary(layout).value == "QUY ĐỊNH MỨC THU, CHẾ ĐỘ THU, NỘP LỆ PHÍ CẤP GIẤY PHÉP LAO ĐỘNG TỈNH CAO BẰNG"
    # A decision whose subject OCR lost: its authority line is no subject.
    layout = _layout(centre=["QUYẾT ĐỊNH", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC"], body=["Căn cứ Luật Đất đai;"])
    assert summary(layout) is None


def test_a_misread_ve_viec_lead_in_is_put_back() -> None:
    for printed in ("và việc công bố Danh mục", "Vẻ việc công bố Danh mục", "về việc công bố Danh mục",
                    "Vêviệc công bố Danh mục", ",Vêviệc công bố Danh mục"):  # the space lost too, a speck before
        layout = _layout(centre=["QUYẾT ĐỊNH", printed], body=["Căn cứ Luật Đất đai năm 2013;"])
        assert summary(layout).value == "Về việc công bố Danh mục"
    layout = _layout(centre=["QUYẾT ĐỊNH", "Và các việc khác"], body=["Căn cứ Luật Đất đai năm 2013;"])
    assert summary(layout).value == "Và các việc khác"  # only the two-word lead-in is fixed wording


def test_a_labelled_line_under_the_subject_is_not_part_of_it() -> None:
    """A planning decision prints where the plan lies under its subject: `Địa điểm: ...`."""
    layout = _layout(centre=["QUYẾT ĐỊNH", "Về việc phê duyệt đồ án Điều chỉnh cục bộ Quy hoạch chi tiết",
                             "khu vực Bắc Cổ Nhuế - Chèm, tỷ lệ 1/500", "Địa điểm: các phường Cổ Nhuế 2 và Xuân Đỉnh",
                             "(Lĩnh vực: Quy hoạch xây dựng)"],
                     body=["Căn cứ Luật Quy hoạch đô thị ngày 17/6/2009;"])
    assert summary(layout).value == ("Về việc phê duyệt đồ án Điều chỉnh cục bộ Quy hoạch chi tiết "
                                     "khu vực Bắc Cổ Nhuế - Chèm, tỷ lệ 1/500")
    layout = _layout(centre=["QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính", "(Lĩnh vực: Đất đai)"],
                     body=["Căn cứ Luật Đất đai năm 2013;"])
    assert summary(layout).value == "Về việc công bố thủ tục hành chính (Lĩnh vực: Đất đai)"
    # after a bare count the line goes on with what is counted, though it reads like a label
    layout = _layout(centre=["THÔNG BÁO", "Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp thực hiện 02",
                             "Chương trình MTQG: Phát triển kinh tế - xã hội vùng đồng bào"],
                     body=["Ngày 12/11/2024, tại trụ sở UBND tỉnh, Phó Chủ tịch chủ trì cuộc họp."])
    assert summary(layout).value == ("Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp thực hiện 02 "
                                     "Chương trình MTQG: Phát triển kinh tế - xã hội vùng đồng bào")


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


def test_a_peoples_committee_without_its_place_line_is_no_issuer_to_publish() -> None:
    # OCR lost `TỈNH QUẢNG NGÃI` under `ỦY BAN NHÂN DÂN`: every province, district and commune has one.
    layout = _layout(left_header=["ỦY BAN NHÂN DÂN", "Số: 299/UBND-TTHC", "V/v công bố Danh mục TTHC"],
                     right_header=MOTTO, body=["Kính gửi: Sở Giao thông vận tải"])
    found = issuer(layout)
    assert found.value == "Ủy ban nhân dân" and found.problem == "no place: the header's place line was not read"
    layout = _layout(left_header=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 299/UBND-TTHC"], right_header=MOTTO)
    assert (issuer(layout).value, issuer(layout).problem) == ("Ủy ban nhân dân tỉnh Quảng Ngãi", None)


def test_a_place_line_read_short_is_the_place_the_date_line_prints_or_no_place_at_all() -> None:
    # `NGÃI` lost under the bold rule of `TỈNH QUẢNG NGÃI`: the place-and-date line names the
    # one place it begins.
    header = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG", "Số: 299/UBND-TTHC"]
    layout = _layout(left_header=header, right_header=[*MOTTO, "Quảng Ngãi, ngày 15 tháng 01 năm 2025"])
    assert (issuer(layout).value, issuer(layout).problem) == ("Ủy ban nhân dân tỉnh Quảng Ngãi", None)
    # With no such evidence (the date line dated from elsewhere) no province is called `Quảng`.
    layout = _layout(left_header=header, right_header=[*MOTTO, "Hà Nội, ngày 15 tháng 01 năm 2025"])
    found = issuer(layout)
    assert found.problem == "no known place (Quảng): a word of the header's place line lost?"


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


# --- handwritten numbers and days, and the appendix's citation --------------------------------

BODY_DATES = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
              "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;",
              "Căn cứ Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 hướng dẫn nghiệp vụ;"]


def _by_hand(page, text: str, wider: float = 1.0, taller: float = 1.0, confidence: float | None = None):
    """The page with the word `text` drawn larger (a clerk's digits) or read at another confidence."""
    lines = []
    for line in page.lines:
        words = []
        for word in line.words:
            if word.text == text:
                x0, y0, x1, y1 = word.bbox
                word = word.model_copy(update={
                    "bbox": (x0, y0 - (y1 - y0) * (taller - 1), x0 + (x1 - x0) * wider, y1),
                    "confidence": word.confidence if confidence is None else confidence,
                })
            words.append(word)
        lines.append(Line.from_words(words, line.block))
    return page.model_copy(update={"lines": lines})


def _decision(number_line: str, date_line: str, **zones):
    return decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", number_line], right_header=[*MOTTO, date_line],
        centre=["QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính"], body=BODY_DATES, **zones,
    )


def _appendix(citation: str):
    return decree30_page(centre=["Phụ lục", "DANH MỤC THỦ TỤC HÀNH CHÍNH", citation],
                         body=["1. Đăng ký thường trú"], number=2)


def test_typed_number_and_day_are_kept() -> None:
    found = read_fields(analyse([_decision("Số: 358 /QĐ-UBND", "Tây Ninh, ngày 20 tháng 02 năm 2025")]), TODAY)
    assert (found["document_number"].value, found["document_number"].problem) == ("358/QĐ-UBND", None)
    assert (found["issue_date"].value, found["issue_date"].problem) == ("2025-02-20", None)


def test_handwritten_digits_are_kept_with_their_reason() -> None:
    page = _by_hand(_decision("Số: 3 /QĐ-UBND", "Tây Ninh, ngày 8 tháng 02 năm 2025"), "3", wider=3.5, taller=1.7)
    page = _by_hand(page, "8", wider=2.6)
    found = read_fields(analyse([page]), TODAY)
    assert found["document_number"].value == "3/QĐ-UBND"
    assert found["document_number"].problem.startswith("handwritten-looking digits (3:")
    assert found["issue_date"].problem.startswith("handwritten-looking digits (8:")


def test_a_typed_citation_in_the_appendix_gives_the_handwritten_value() -> None:
    first = _by_hand(_decision("Số: 3 /QĐ-UBND", "Tây Ninh, ngày 8 tháng 02 năm 2025"), "3", wider=3.5)
    first = _by_hand(first, "8", wider=2.6)
    cited = "(Kèm theo Quyết định số 358/QĐ-UBND ngày 18/02/2025 của Chủ tịch UBND tỉnh)"
    found = read_fields(analyse([first, _appendix(cited)]), TODAY)
    assert (found["document_number"].value, found["document_number"].problem) == ("358/QĐ-UBND", None)
    assert (found["issue_date"].value, found["issue_date"].problem) == ("2025-02-18", None)
    # A citation of other pieces, or of another month, is another paper's: it replaces nothing.
    other = "(Kèm theo Quyết định số 358/QĐ-BCA ngày 18/01/2025 của Bộ trưởng)"
    found = read_fields(analyse([first, _appendix(other)]), TODAY)
    assert found["document_number"].value == "3/QĐ-UBND" and found["document_number"].problem
    assert found["issue_date"].value == "2025-02-08" and found["issue_date"].problem


def test_a_handwritten_citation_confirms_nothing() -> None:
    first = _by_hand(_decision("Số: 3 /QĐ-UBND", "Tây Ninh, ngày 20 tháng 02 năm 2025"), "3", wider=3.5)
    appendix = _by_hand(_appendix("(Kèm theo Quyết định số 358 /QĐ-UBND ngày 20/02/2025 của Chủ tịch UBND tỉnh)"),
                        "358", taller=2.0)
    found = read_fields(analyse([first, appendix]), TODAY)
    assert found["document_number"].problem


def test_an_agreeing_citation_raises_the_confidence() -> None:
    first = _by_hand(_decision("Số: 358 /QĐ-UBND", "Tây Ninh, ngày 20 tháng 02 năm 2025"), "/QĐ-UBND", confidence=0.4)
    alone = read_fields(analyse([first]), TODAY)["document_number"]
    cited = "(Kèm theo Quyết định số 358/QĐ-UBND ngày 20/02/2025 của Chủ tịch UBND tỉnh)"
    both = read_fields(analyse([first, _appendix(cited)]), TODAY)["document_number"]
    assert both.value == alone.value == "358/QĐ-UBND"
    assert both.confidence > alone.confidence


def test_a_number_whose_pieces_the_page_confirms_is_as_sure_as_its_digits() -> None:
    # `/QĐ-UBND` read at 0.4, under QUYẾT ĐỊNH and an Ủy ban nhân dân: the digits' 0.95 counts.
    page = _by_hand(_decision("Số: 217 /QĐ-UBND", "Tây Ninh, ngày 17 tháng 02 năm 2025"), "/QĐ-UBND", confidence=0.4)
    assert read_fields(analyse([page]), TODAY)["document_number"].confidence == 0.95
    # Under another title the pieces confirm nothing.
    page = _by_hand(decree30_page(left_header=["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "Số: 217 /QĐ-UBND"],
                                  right_header=MOTTO, centre=["THÔNG BÁO", "Về việc nghỉ lễ"], body=BODY_DATES),
                    "/QĐ-UBND", confidence=0.4)
    assert read_fields(analyse([page]), TODAY)["document_number"].confidence < 0.75


def test_the_number_is_never_taken_from_the_body() -> None:
    page = decree30_page(left_header=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG", "Hi 134"], right_header=MOTTO,
                         centre=["QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính"],
                         body=["Căn cứ các Thông tư của Văn phòng Chính phủ:",
                               "Số 02/2017/TT-VPCP ngày 31/10/2017 hướng dẫn nghiệp vụ;"])
    assert "document_number" not in read_fields(analyse([page]), TODAY)


def test_a_blank_day_is_withheld_and_no_other_date_stands_in() -> None:
    page = decree30_page(left_header=["ỦY BAN NHÂN DÂN", "TỈNH ĐIỆN BIÊN", "Số: /QĐ-UBND"],
                         right_header=[*MOTTO, "Điện Biên, ngày __ tháng 02 năm 2025"],
                         centre=["QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính"], body=BODY_DATES)
    found = read_fields(analyse([page]), TODAY)
    assert (found["issue_date"].value, found["issue_date"].problem) == ("2025-02", "day not legible")
    assert found["issue_place"].value == "Điện Biên"
    # The number's blank likewise: kept as printed, withheld.
    assert (found["document_number"].value, found["document_number"].problem) == ("/QĐ-UBND", "number not legible")


def test_a_handwritten_day_is_measured_against_the_typed_year_of_its_line() -> None:
    # A certification page with no other typed digits: the year `2019` is the measure.
    page = decree30_page(right_header=[*MOTTO, "Hương Canh, ngày K5, tháng 6 năm 2019"],
                         centre=["LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC"], body=["Chứng thực bản sao đúng với bản chính."])
    page = _by_hand(page, "K5,", taller=1.7)
    assert read_fields(analyse([page]), TODAY)["issue_date"].problem.startswith("handwritten-looking digits (K5,")


def test_a_handwritten_register_entry_stays_withheld() -> None:
    from extract.record import extract_document

    page = _by_hand(decree30_page(left_header=["ỦY BAN NHÂN DÂN", "XÃ TAM SƠN", "Số: 2.", "Quyển số: 02/2019"],
                                  right_header=[*MOTTO, "Tam Sơn, ngày 11 tháng 10 năm 2019"],
                                  centre=["GIẤY CHỨNG NHẬN KẾT HÔN"], body=BODY_DATES), "2.", taller=1.6)
    extraction = extract_document([page], today=TODAY)
    assert extraction.document_type == "giay_chung_nhan_ket_hon"
    assert "document_number" not in extraction.fields and extraction.suggestions["document_number"].value == "2"


def test_a_number_nobody_could_read_comes_from_the_decisions_own_citation_only() -> None:
    first = _decision("Số:", "Tây Ninh, ngày 20 tháng 02 năm 2025")
    own = "(Kèm theo Quyết định số 358/QĐ-UBND ngày 20/02/2025 của Chủ tịch UBND tỉnh)"
    found = read_fields(analyse([first, _appendix(own)]), TODAY)["document_number"]
    assert (found.value, found.problem, found.weak) == ("358/QĐ-UBND", None, True)
    # An appendix citing a ministry's decision names another paper.
    ministry = "(Kèm theo Quyết định số 443/QĐ-BYT ngày 07/02/2025 của Bộ trưởng Bộ Y tế)"
    assert "document_number" not in read_fields(analyse([first, _appendix(ministry)]), TODAY)


def test_letter_subject_printed_without_the_v_v() -> None:
    # Older letters print the subject under the number with no `V/v`: the sentence lines there.
    layout = _layout(left_header=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP", "Số: 687/STP-VB",
                                  "Về Chương trình hỗ trợ pháp lý", "cho doanh nghiệp nhỏ và vừa"],
                     right_header=MOTTO, body=["Kính gửi: Các sở, ban, ngành Thành phố."])
    found = summary(layout)
    assert found.value == "Về Chương trình hỗ trợ pháp lý cho doanh nghiệp nhỏ và vừa"
    assert found.weak  # a fallback: its confidence is lowered
    # a receiving office's stamp under the number is no subject
    layout = _layout(left_header=["SỞ TƯ PHÁP", "Số: 687/STP-VB", "ĐẾN Ngày: 25/02/2021"], right_header=MOTTO,
                     body=["Kính gửi: Các sở, ban, ngành Thành phố."])
    assert summary(layout) is None


def _tall_line(text: str, x0: float, y0: float, height: float = 0.03) -> Line:
    """A line with OCR's tall boxes (marks above and below the letters), as on real scans."""
    from ocr.types import Word

    words, x = [], x0
    for token in text.split():
        words.append(Word(text=token, confidence=0.95, bbox=(x, y0, x + 0.0085 * len(token), y0 + height)))
        x += 0.0085 * (len(token) + 1)
    return Line.from_words(words, 0)


def test_a_subject_ends_where_the_body_paragraph_is_set_off_by_more_space() -> None:
    from ocr.types import PageResult

    rows = [("CHỈ THỊ", 0.45, 0.19), ("Triển khai chiến dịch hỗ trợ chuyển đổi số tại các xã, phường trong", 0.16, 0.21),
            ("giai đoạn đầu vận hành mô hình chính quyền hai cấp", 0.25, 0.23),
            ("trên địa bàn thành phố", 0.38, 0.25),
            ("Thực hiện mục tiêu phổ cập kiến thức, kỹ năng số cơ bản cho đội ngũ cán bộ", 0.21, 0.30),
            ("công chức cấp cơ sở và người dân trên địa bàn các xã, phường sau sắp xếp;", 0.16, 0.32)]
    page = PageResult(number=1, method="ocr", lines=[_tall_line(*row) for row in rows])
    assert summary(analyse([page])).value == ("Triển khai chiến dịch hỗ trợ chuyển đổi số tại các xã, phường trong "
                                              "giai đoạn đầu vận hành mô hình chính quyền hai cấp trên địa bàn thành phố")


def test_a_rule_run_into_the_subject_is_dropped() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH", "————Về việc giao đất cho hộ gia đình"], body=["Căn cứ Luật Đất đai năm 2013;"])
    assert summary(layout).value == "Về việc giao đất cho hộ gia đình"


def test_a_subject_cut_short_carries_the_reason() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH", "Về việc thi hành kỷ luật đối với ông Lê Văn A,"],
                     body=["Căn cứ Luật Cán bộ, công chức năm 2008;"])
    found = summary(layout)
    assert (found.value, found.problem) == ("Về việc thi hành kỷ luật đối với ông Lê Văn A,", "subject cut short")
    layout = _layout(centre=["QUYẾT ĐỊNH", "Về việc giao đất cho hộ gia đình"], body=["Căn cứ Luật Đất đai năm 2013;"])
    assert summary(layout).problem is None


def test_a_received_stamp_in_the_margin_beside_the_title_and_subject_is_neither() -> None:
    # `ĐẾN Ngày ...`, two lines high at the left margin, level with the title and the subject.
    page = decree30_page(left_header=["THỦ TƯỚNG CHÍNH PHỦ", "Số: 981/QĐ-TTg"],
                         right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
                         centre=["QUYẾT ĐỊNH", "Phê chuẩn kết quả miễn nhiệm chức vụ Chủ tịch"],
                         body=["Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;"])
    title, subject = (line for line in page.lines if line.block == 2)
    top, bottom = title.bbox[1] + 0.002, subject.bbox[3] + 0.004
    stamp = Line.from_words([Word(text="ĐẾN", confidence=0.6, bbox=(0.03, top, 0.08, bottom)),
                             Word(text="Ngày..16.(9.12024....", confidence=0.5, bbox=(0.09, top, 0.24, bottom))], 6)
    layout = analyse([page.model_copy(update={"lines": [*page.lines, stamp]})])
    assert summary(layout).value == "Phê chuẩn kết quả miễn nhiệm chức vụ Chủ tịch"


def test_a_stamp_between_the_lines_of_a_two_line_title_does_not_cut_it() -> None:
    page = decree30_page(left_header=["SỞ TƯ PHÁP"], right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                         centre=["GIẤY CHỨNG NHẬN", "ĐĂNG KÝ DOANH NGHIỆP"], body=["Mã số doanh nghiệp: 0101234567"])
    first, second = (line for line in page.lines if line.block == 2)
    middle = (first.bbox[1] + second.bbox[1]) / 2 + 0.002
    stamp = Line.from_words([Word(text="ĐẾN", confidence=0.6, bbox=(0.05, middle, 0.1, middle + 0.015)),
                             Word(text="Ngày:....", confidence=0.5, bbox=(0.11, middle, 0.24, middle + 0.015))], 6)
    layout = analyse([page.model_copy(update={"lines": [*page.lines, stamp]})])
    assert [s.text for s in title(layout).lines] == ["GIẤY CHỨNG NHẬN", "ĐĂNG KÝ DOANH NGHIỆP"]
