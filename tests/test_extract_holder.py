import datetime as dt

from extract.holder import holder
from extract.layout import analyse
from test_extract_fixtures import decree30_page

TODAY = dt.date(2025, 11, 1)


def _holder(body: list[str]):
    return holder(analyse([decree30_page(centre=["TRÍCH LỤC KHAI SINH"], body=body)]), TODAY)


def test_birth_extract_reads_the_child_not_the_parents() -> None:
    found = _holder([
        "Họ, chữ đệm, tên: NGUYỄN VĂN AN",
        "Số định danh cá nhân: 026 090 001 234",
        "Họ, chữ đệm, tên người mẹ: LÊ THỊ HÀ",
        "Nơi cư trú: Thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc",
    ])
    assert found.name.value == "Nguyễn Văn An"
    assert found.id.value == "026090001234"
    assert found.address is None  # the residence printed is the mother's


def test_business_owner_is_the_holder_and_the_address_follows_the_owner() -> None:
    found = _holder([
        "1. Tên hộ kinh doanh: TẠP HÓA AN",
        "2. Địa điểm kinh doanh: Thôn Đông, xã Kim Long",
        "5. Chủ hộ kinh doanh:",
        "Họ và tên: NGUYỄN VĂN AN",
        "Số định danh cá nhân: 026090001234",
        "Địa chỉ: Thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc",
    ])
    assert found.name.value == "Nguyễn Văn An"
    assert found.address.value == "Thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc"


def test_numbered_permit_line() -> None:
    found = _holder(["1. Cấp cho bà: TRẦN THỊ MAI", "Địa chỉ: Số 12, đường Lê Lợi, phường Liên Bảo,"])
    assert found.name.value == "Trần Thị Mai"
    assert found.id is None


def test_wrapped_address_is_joined() -> None:
    page = decree30_page(body=["Họ và tên: TRẦN THỊ MAI"])
    label_line = decree30_page(body=["Địa chỉ: Số 12, đường Lê Lợi, phường Liên Bảo,"]).lines[0]
    wrapped = decree30_page(body=["thành phố Vĩnh Yên, tỉnh Vĩnh Phúc"]).lines[0]
    shift = lambda line, dy, dx: line.model_copy(update={"words": [  # noqa: E731
        w.model_copy(update={"bbox": (w.bbox[0] - dx, w.bbox[1] + dy, w.bbox[2] - dx, w.bbox[3] + dy)})
        for w in line.words]})
    page.lines += [shift(label_line, 0.024, 0.0), shift(wrapped, 0.048, 0.02)]
    found = holder(analyse([page]), TODAY)
    assert found.address.value == "Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc"


def test_ocr_tolerant_labels() -> None:
    found = _holder(["Ho va tên : TRẦN THỊ MAI", "Số CCCD:026190001234 cấp ngày 01/02/2021"])
    assert found.name.value == "Trần Thị Mai"
    assert found.id.value == "026190001234"


def test_wrong_province_code_is_kept_and_flagged() -> None:
    found = _holder(["Họ và tên: TRẦN THỊ MAI", "Số định danh cá nhân: 099090001234"]).id
    assert found.value == "099090001234"
    assert found.problem == "province code 099 unknown"
    assert found.confidence == 0.475


def test_identifier_without_a_named_holder_is_a_weak_guess() -> None:
    found = _holder(["Số CMND: 135792468"]).id
    assert (found.value, found.weak) == ("135792468", True)


def test_personal_number_that_disagrees_with_the_printed_birth_year_is_flagged() -> None:
    found = _holder([
        "Họ, chữ đệm, tên: NGUYỄN VĂN AN",
        "Ngày, tháng, năm sinh: 05/03/1991",
        "Giới tính: Nam; Dân tộc: Kinh; Quốc tịch: Việt Nam",
        "Số định danh cá nhân: 026090001234",
    ])
    assert found.id.value == "026090001234"  # kept as read, never rewritten
    assert found.id.problem == "personal number says born 1990, the paper says 1991"


def test_personal_number_that_disagrees_with_the_printed_gender_is_flagged() -> None:
    found = _holder([
        "Họ, chữ đệm, tên: NGUYỄN THỊ LAN",
        "Ngày, tháng, năm sinh: 05/03/1990",
        "Giới tính: Nữ; Dân tộc: Kinh; Quốc tịch: Việt Nam",
        "Số định danh cá nhân: 026090001234",
    ])
    assert found.id.problem == "personal number says male, the paper says female"


def test_consistent_personal_number_passes() -> None:
    found = _holder([
        "Họ, chữ đệm, tên: NGUYỄN THỊ LAN",
        "Ngày, tháng, năm sinh: 05/03/2004",
        "Giới tính: Nữ; Dân tộc: Kinh; Quốc tịch: Việt Nam",
        "Số định danh cá nhân: 026304001234",
    ])
    assert found.id.problem is None


def test_company_is_the_holder_and_its_code_may_stand_above_its_name() -> None:
    found = _holder([
        "Mã số doanh nghiệp: 2500150335",
        "Đăng ký lần đầu: ngày 05 tháng 01 năm 2020",
        "1. Tên công ty viết bằng tiếng Việt: CÔNG TY TNHH THƯƠNG MẠI HOÀNG LONG",
        "2. Địa chỉ trụ sở chính: Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên",
        "4. Người đại diện theo pháp luật: NGUYỄN VĂN AN; Chức danh: Giám đốc",
    ])
    assert found.name.value == "CÔNG TY TNHH THƯƠNG MẠI HOÀNG LONG"
    assert found.id.value == "2500150335"
    assert found.address.value == "Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên"


def test_husband_is_the_holder_of_a_marriage_certificate() -> None:
    found = _holder([
        "Họ, chữ đệm, tên chồng: TRẦN VĂN AN",
        "Ngày, tháng, năm sinh: 05/03/1990",
        "Nơi cư trú: Thôn Đông, xã Kim Long, huyện Tam Dương",
        "Số định danh cá nhân: 026090001234",
        "Họ, chữ đệm, tên vợ: LÊ THỊ HÀ",
        "Ngày, tháng, năm sinh: 07/08/1992",
        "Nơi cư trú: Thôn Tân Lập, xã Kim Long, huyện Tam Dương",
        "Số định danh cá nhân: 026192001234",
    ])
    assert found.name.value == "Trần Văn An"
    assert found.id.value == "026090001234" and found.id.problem is None
    assert found.address.value == "Thôn Đông, xã Kim Long, huyện Tam Dương"


def test_a_wrapped_company_name_is_joined() -> None:
    found = _holder([
        "Mã số doanh nghiệp: 2500150335",
        "1. Tên công ty viết bằng tiếng Việt: CÔNG TY CỔ PHẦN SẢN XUẤT VÀ THƯƠNG",
        "MẠI ĐỨC MINH",
        "2. Địa chỉ trụ sở chính: Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên",
    ])
    assert found.name.value == "CÔNG TY CỔ PHẦN SẢN XUẤT VÀ THƯƠNG MẠI ĐỨC MINH"


def test_land_title_name_line_carries_birth_year_and_number() -> None:
    found = _holder(["Ông: NGUYỄN VĂN AN, Năm sinh: 1974, CCCD số: 026074704025",
                     "Địa chỉ thường trú: Thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc"])
    assert found.name.value == "Nguyễn Văn An" and found.name.problem is None
    assert found.id.value == "026074704025"


def test_household_holder_and_national_form_number_labels() -> None:
    found = _holder(["Hộ ông: NGUYỄN VĂN AN", "Năm sinh: 1974", "CMND số: 135246789"])
    assert found.name.value == "Nguyễn Văn An" and found.id.value == "135246789"
    found = _holder(["Họ và tên: TRẦN THỊ MAI", "Loại giấy tờ pháp lý của cá nhân: Căn cước công dân",
                     "Số giấy tờ pháp lý của cá nhân: 026 190 001 234"])
    assert found.id.value == "026190001234"


def test_a_speck_of_the_security_print_before_a_label() -> None:
    found = _holder(["Ông: ĐÀO QUANG TIẾN", "ŒCCCD số: 026053201659"])
    assert found.id.value == "026053201659"
