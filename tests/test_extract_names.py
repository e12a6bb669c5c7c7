from extract.names import is_name_shape, person_name


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
