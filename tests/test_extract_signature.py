import pytest

from extract.layout import analyse
from extract.signature import normal_case_title, signature
from test_extract_fixtures import decree30_page


def _layout(**zones):
    return analyse([decree30_page(**zones)])


def test_signature_skips_authority_lines_and_seal_noise() -> None:
    layout = _layout(
        centre=["QUYẾT ĐỊNH"],
        body=["Điều 3. Quyết định này có hiệu lực kể từ ngày ký."],
        signature=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ("~ Xệ", 0.3), ("sàn ¬", 0.2), "Vũ Chí Giang"],
    )
    signed = signature(layout)
    assert (signed.signer.value, signed.title.value) == ("Vũ Chí Giang", "Phó Chủ tịch")
    assert signed.signer.problem is None


def test_deputy_title_inferred_from_a_kt_line_when_the_title_line_is_lost() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Lê Thị Hà"])
    signed = signature(layout)
    assert signed.title.value == "Phó Chủ tịch"
    assert signed.title.weak


def test_a_deputy_minister_signs_under_kt_bo_truong() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 3."], signature=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Mai Lương Khôi"])
    signed = signature(layout)
    assert (signed.signer.value, signed.title.value) == ("Mai Lương Khôi", "Thứ trưởng")
    assert signed.title.problem is None and not signed.title.weak

def test_no_title_guessed_from_a_collective_authority_line() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", "Lê Thị Hà"])
    assert signature(layout).title is None


def test_signer_without_name_shape_is_kept_and_flagged() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["GIÁM ĐỐC", "lê thị hà 2"])
    signed = signature(layout)
    assert signed.signer.value == "Lê Thị Hà 2"
    assert signed.signer.problem == "not a name of 2-5 capitalised syllables"


def test_normal_case_titles() -> None:
    assert normal_case_title("PHÓ CHỦ TỊCH") == "Phó Chủ tịch"
    assert normal_case_title("GIÁM ĐỐC") == "Giám đốc"
    assert normal_case_title("PHÓ TRƯỞNG PHÒNG") == "Phó Trưởng phòng"
    assert normal_case_title("PHÓ CHÁNH VĂN PHÒNG") == "Phó Chánh Văn phòng"

def test_titles_that_lost_their_marks() -> None:
    assert normal_case_title("PHO CHU TỊCH") == "Phó Chủ tịch"
    assert normal_case_title("PHO GlAM ĐÓÒC") == "Phó Giám đốc"


def test_garbled_prefix_and_lost_collective_prefix_are_not_titles() -> None:
    layout = _layout(
        centre=["QUYẾT ĐỊNH"],
        body=["Điều 1."],
        signature=["ỦY BAN NHÂN DÂN", "———KT. CHỦ TỊCH", "T. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Chí Giang"],
    )
    assert signature(layout).title.value == "Phó Chủ tịch"


def test_lost_title_line_after_garbled_kt_is_inferred() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["__———KT. GIÁM ĐỐC", "Vũ Chí Giang"])
    assert signature(layout).title.value == "Phó Giám đốc"


def test_unknown_title_is_kept_and_flagged() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TỈNH VĨNH", "Vũ Chí Giang"])
    title = signature(layout).title
    assert (title.value, title.problem) == ("Tỉnh vĩnh", "not a known title")


def test_prefix_letters_lost_entirely() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=[". CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Chí Giang"])
    assert signature(layout).title.value == "Phó Chủ tịch"


def test_title_that_lost_its_pho_under_a_kt_line() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."],
                     signature=["KT. TRƯỞNG PHÒNG", "TÓ-TRƯỞNG PHÒNG", "Trần Quang Dũng"])
    title = signature(layout).title
    assert (title.value, title.weak) == ("Phó Trưởng phòng", True)


def test_title_under_the_seal_is_read_despite_its_low_confidence() -> None:
    layout = _layout(
        centre=["QUYẾT ĐỊNH"], body=["Điều 1."],
        signature=["TM. ỦY BAN NHÂN DÂN", ("--ò GHỦ TỊCH", 0.43), "Lưu Ngọc Loan"],
    )
    assert signature(layout).title.value == "Chủ tịch"


def test_a_stray_mark_near_the_centre_does_not_end_the_body() -> None:
    from ocr.types import Line, Word

    page = decree30_page(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lưu Ngọc Loan"])
    title_line = next(line for line in page.lines if line.text == "CHỦ TỊCH")
    y = title_line.bbox[3] + 0.002  # between the title and the name, left of the column's centre
    mark = Line.from_words([Word(text=":", confidence=0.5, bbox=(0.55, y, 0.56, y + 0.005))], block=9)
    signed = signature(analyse([page.model_copy(update={"lines": [*page.lines, mark]})]))
    assert (signed.title.value, signed.signer.value) == ("Chủ tịch", "Lưu Ngọc Loan")


def test_a_narrow_seal_fragment_near_the_centre_does_not_end_the_body() -> None:
    from ocr.types import Line, Word

    page = decree30_page(centre=["CHỨNG THỰC BẢN SAO"], body=["Số trang của bản sao: 03."],
                         signature=["TRƯỞNG PHÒNG", "Lê Tiến Việt"])
    title_line = next(line for line in page.lines if line.text == "TRƯỞNG PHÒNG")
    y = title_line.bbox[3] + 0.002
    fragment = Line.from_words([Word(text="eNÑ", confidence=0.5, bbox=(0.58, y, 0.62, y + 0.005))], block=9)
    signed = signature(analyse([page.model_copy(update={"lines": [*page.lines, fragment]})]))
    assert signed.title.value == "Trưởng phòng"


def test_a_stroke_beside_the_name_is_not_part_of_it() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["CHỦ TỊCH", "| Vũ Xuân Bình"])
    signed = signature(layout)
    assert (signed.signer.value, signed.signer.problem, signed.signer.weak) == ("Vũ Xuân Bình", None, False)


def test_a_garbled_authority_prefix_is_not_taken_for_the_title() -> None:
    # `KT. CHỦ TỊCH` read as `T. CHỦ TỊCH`, and the `PHÓ CHỦ TỊCH` line lost under the seal.
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["T. CHỦ TỊCH", "Vũ Đức Tiến"])
    assert signature(layout).title is None


@pytest.mark.parametrize("line", ["XA CHỦ TỊCH", ".u:... GIÁM ĐỐC"])
def test_a_seal_fragment_before_a_known_title_is_left_out(line: str) -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", line, "Lê Thị Hà"])
    title = signature(layout).title
    assert title.value == ("Chủ tịch" if "CHỦ" in line else "Giám đốc")
    assert title.weak and title.problem is None
