from extract.layout import analyse
from extract.names import is_name_shape, person_name
from extract.signature import signature
from test_extract_fixtures import decree30_page


def test_name_shape() -> None:
    assert is_name_shape("Vũ Chí Giang")
    assert is_name_shape("Nguyễn Thị Thu Hà")
    assert not is_name_shape("NGUYỄN THỊ THU HÀ")
    assert not is_name_shape("Giang")
    assert not is_name_shape("Vũ Chí Giang đã ký")
    assert not is_name_shape("Lê Thị Hà 2")


def test_person_name_is_capitalised_syllable_by_syllable() -> None:
    assert person_name("NGUYỄN VĂN AN") == "Nguyễn Văn An"


def test_family_name_marks_lost_by_ocr_are_restored() -> None:
    assert person_name("NGUYÊN ĐỨC VIỆT") == "Nguyễn Đức Việt"
    assert person_name("ĐĂNG XUÂN HOÀNG") == "Đặng Xuân Hoàng"
    assert person_name("KHÔNG MINH TRANG") == "Khổng Minh Trang"


def test_ambiguous_or_unknown_family_names_are_left_alone() -> None:
    assert person_name("LA VĂN AN") == "La Văn An"
    assert person_name("LÃ VĂN AN") == "Lã Văn An"
    assert person_name("XYZ VĂN AN") == "Xyz Văn An"


def test_a_rarer_family_name_spelt_like_a_common_one_stays() -> None:
    assert person_name("GIÀNG A PHÁO") == "Giàng A Pháo"  # not `Giang`
    assert person_name("VỪ MÍ CHỨ") == "Vừ Mí Chứ"  # not `Vũ`


def test_a_rank_before_the_name_is_not_part_of_it() -> None:
    assert is_name_shape("Trung tá Lê Văn Hùng")
    assert person_name("Trung tá Lê Văn Hùng") == "Lê Văn Hùng"
    assert person_name("Đại uý Phạm Thị Mai") == "Phạm Thị Mai"
    assert person_name("THƯỢNG TÁ NGUYÊN ĐỨC AN") == "Nguyễn Đức An"
    # A name that starts like a rank's first word keeps it.
    assert person_name("Trung Văn Tá") == "Trung Văn Tá"
    # A rank OCR garbled under the seal (`tướng` read `Trong`), before a known family name.
    assert person_name("Thiếu Trong Ngô Thanh Bình") == "Ngô Thanh Bình"
    assert person_name("Thiều Văn Ngô Bình") == "Thiều Văn Ngô Bình"  # Thiều is a family name too
    # ... or the grade lost to the seal, the rank itself read (`Thượng tướng` read `Vườn tướng`)
    assert person_name("Vườn tướng Nguyễn Văn Long") == "Nguyễn Văn Long"
    assert person_name("Lê Tá Nguyễn Văn") == "Lê Tá Nguyễn Văn"  # a family name is no grade


def test_a_ranked_officer_signs_a_police_paper() -> None:
    layout = analyse([decree30_page(
        left_header=["CÔNG AN TỈNH LẠNG SƠN", "PHÒNG CẢNH SÁT GIAO THÔNG", "Số: 15/TB-PC08"],
        centre=["THÔNG BÁO"], body=["Phòng Cảnh sát giao thông thông báo như sau."],
        signature=["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Thiếu tá Hoàng Minh Đức"],
    )])
    assert signature(layout).signer.value == "Hoàng Minh Đức"
    assert signature(layout).signer.problem is None
