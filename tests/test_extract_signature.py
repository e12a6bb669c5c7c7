import pytest

from extract.layout import analyse
from extract.signature import known_title, normal_case_title, signature
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


def test_no_deputy_title_from_a_kt_line_cut_short() -> None:
    # `KT. GIÁM` with `ĐỐC` lost under a seal: `Phó Giám` is no title.
    layout = _layout(centre=["CÔNG VĂN"], body=["Trân trọng."], signature=["KT. GIÁM", "Lê Thị Hà"])
    assert signature(layout).title is None


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
    assert signed.signer.value == "Lê Thị Hà"  # a digit at the end is a stroke, not part of the name
    assert signed.signer.problem == "not a name of 2-5 capitalised syllables"


def test_normal_case_titles() -> None:
    assert normal_case_title("PHÓ CHỦ TỊCH") == "Phó Chủ tịch"
    assert normal_case_title("GIÁM ĐỐC") == "Giám đốc"
    assert normal_case_title("PHÓ TRƯỞNG PHÒNG") == "Phó Trưởng phòng"
    assert normal_case_title("PHÓ CHÁNH VĂN PHÒNG") == "Phó Chánh Văn phòng"

def test_the_prime_minister_and_the_government_office_are_known_titles_and_never_each_other() -> None:
    # `THỦ TƯỚNG` was taken for `Thứ trưởng` (0.95 alike, marks aside) on a born-digital decision.
    assert normal_case_title("THỦ TƯỚNG") == "Thủ tướng"
    assert normal_case_title("THỨ TRƯỞNG") == "Thứ trưởng"
    assert normal_case_title("BỘ TRƯỞNG, CHỦ NHIỆM") == "Bộ trưởng, Chủ nhiệm"
    assert known_title("THU TUONG.") is None  # as close to either: not guessed
    for authority, deputy in [("KT. THỦ TƯỚNG", "Phó Thủ tướng"), ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "Phó Chủ nhiệm")]:
        layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=[authority, "Trần Văn Sơn"])
        assert signature(layout).title.value == deputy


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


def test_a_deputy_title_the_kt_line_names_is_confirmed_by_it() -> None:
    """The seal over `THỨ TRƯỞNG` lowers its words to 0.6; `KT. BỘ TRƯỞNG` above it says the same."""
    def title(authority: str, line: str):
        return signature(_layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."],
                                 signature=[authority, (line, 0.6), "Nguyễn Văn Hồi"])).title
    confirmed = title("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")
    assert (confirmed.value, confirmed.confidence) == ("Thứ trưởng", 0.98)  # 1 - 0.4 x 0.05
    assert title("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH").confidence == 0.98
    # a deputy the KT. line does not name keeps its own confidence
    assert title("KT. GIÁM ĐỐC", "PHÓ CHỦ TỊCH").confidence == 0.6


def test_a_title_read_over_two_lines_height_is_in_doubt() -> None:
    """The seal over `KT. CHỦ TỊCH` and `PHÓ CHỦ TỊCH`: Tesseract returns one `CHỦ TỊCH` as tall
    as both lines, and `Chủ tịch` would name the Chairman for his deputy."""
    page = decree30_page(centre=["CHỈ THỊ"], body=["Yêu cầu các sở, ngành triển khai thực hiện nghiêm túc Chỉ thị này."],
                         recipients=["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
                         signature=["CHỦ TỊCH", ("~", 0.2), "Phạm Trường Thọ"])
    title_line = next(line for line in page.lines if line.text == "CHỦ TỊCH")
    title_line.words[:] = [w.model_copy(update={"bbox": (*w.bbox[:3], w.bbox[3] + 0.02)}) for w in title_line.words]
    title = signature(analyse([page])).title
    assert (title.value, title.problem) == ("Chủ tịch", "read over two lines' height: a line of the block is lost")
    plain = signature(_layout(centre=["CHỈ THỊ"], body=["Yêu cầu các sở, ngành triển khai thực hiện."],
                              signature=["CHỦ TỊCH", "Phạm Trường Thọ"])).title
    assert (plain.value, plain.problem) == ("Chủ tịch", None)


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


@pytest.mark.parametrize(("line", "name"), [("—===<Nguyễn Phước Bình", "Nguyễn Phước Bình"),
                                            ("'Trần Ngọc Căng", "Trần Ngọc Căng"),
                                            ('` "S— LÊ —Phẩm Minh Chính', "Phạm Minh Chính")])
def test_a_stroke_read_glued_to_the_family_name_is_cut_off_it(line: str, name: str) -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["CHỦ TỊCH", line])
    signed = signature(layout)
    assert (signed.signer.value, signed.signer.problem) == (name, None)


def test_a_garbled_authority_prefix_is_not_taken_for_the_title() -> None:
    # `KT. CHỦ TỊCH` read as `T. CHỦ TỊCH`, and the `PHÓ CHỦ TỊCH` line lost under the seal.
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["T. CHỦ TỊCH", "Vũ Đức Tiến"])
    title = signature(layout).title
    # withheld: only a person can tell `KT.` from `TL.` here
    assert (title.value, title.problem) == ("Phó Chủ tịch", "authority line unreadable (T. CHỦ TỊCH)")


def test_a_mark_left_of_a_lone_t_is_what_ocr_left_of_kt() -> None:
    # `KT. CỤC TRƯỞNG` read `/T. CỤC TRƯỞNG`: a letter lost before `T.` makes it `KT.`, the only
    # prefix with T second (`TL.` or `TM.` losing a letter leaves `T.` with nothing before it).
    layout = _layout(centre=["CÔNG VĂN"], body=["Rất mong nhận được sự quan tâm./."],
                     signature=["/T. CỤC TRƯỞNG", ("ca xe TRƯỜNG", 0.4), "Đại tá Nguyễn Thanh Điệp"])
    title = signature(layout).title
    assert (title.value, title.problem, title.weak) == ("Phó Cục trưởng", None, True)


@pytest.mark.parametrize("line", ["XA CHỦ TỊCH", ".u:... GIÁM ĐỐC"])
def test_a_seal_fragment_before_a_known_title_is_left_out(line: str) -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", line, "Lê Thị Hà"])
    title = signature(layout).title
    assert title.value == ("Chủ tịch" if "CHỦ" in line else "Giám đốc")
    assert title.weak and title.problem is None


def test_a_kt_prefix_glued_to_its_title_is_an_authority_line() -> None:
    # a scan: `KT.CHỦ TỊCH`, the title line cut to `PHÓ` by the seal, a stroke before the name
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."],
                     signature=["KT.CHỦ TỊCH", "PHÓ", ("ỦT", 0.6), "/ Đoàn Minh Khoa"])
    signed = signature(layout)
    assert (signed.title.value, signed.title.problem) == ("Phó Chủ tịch", None)
    assert (signed.signer.value, signed.signer.problem) == ("Đoàn Minh Khoa", None)


def test_the_deputy_of_a_minister_is_a_thu_truong() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 3."], signature=["KT. BỘ TRƯỞNG", "Hồ Văn Tâm"])
    title = signature(layout).title
    assert (title.value, title.weak) == ("Thứ trưởng", True)


@pytest.mark.parametrize("signature_lines", [
    [".I, CHỦ TỊCH", "CHỦ TỊCH", "Trịnh Văn Lộc"],  # `PHÓ` lost: the title signed for, read again
    [".I, CHỦ TỊCH", "Trịnh Văn Lộc"],
])
def test_no_title_is_published_beside_an_unreadable_prefix(signature_lines: list[str]) -> None:
    title = signature(_layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=signature_lines)).title
    assert title.value == "Phó Chủ tịch" and title.problem  # a suggestion for review, not a value


def test_a_title_signed_for_is_not_the_signers() -> None:
    # `TL. CHỦ TỊCH` with the office head's title lost: `Chủ tịch` would be someone else's title
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TL. CHỦ TỊCH", "CHỦ TỊCH", "Lê Văn Hảo"])
    assert signature(layout).title.problem == "the title signed for, not the signer's"


def test_a_title_below_a_tl_line_is_the_signers() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."],
                     signature=["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Văn Hảo"])
    assert signature(layout).title.value == "Chánh Văn phòng"


@pytest.mark.parametrize(("line", "name"), [("7 Phùng Thị Mến", "Phùng Thị Mến"), ("Lê Khoa", "Lê Khoa"),
                                            ("Y Blô Êban", "Y Blô Êban")])
def test_names_with_noise_before_them_and_short_names(line: str, name: str) -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", line])
    signer = signature(layout).signer
    assert (signer.value, signer.problem) == (name, None)


def test_a_letter_vietnamese_never_writes_is_taken_out_of_a_name() -> None:
    """The pen's stroke through `Hà` read as `Hñã`: the name is read without the `ñ`, weakly."""
    layout = _layout(centre=["CÔNG VĂN"], body=["Điều 1."],
                     signature=["TL. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG", "Hñã Thị Lê Vân"])
    signer = signature(layout).signer
    assert (signer.value, signer.problem, signer.weak) == ("Hà Thị Lê Vân", None, True)
    unchanged = signature(_layout(centre=["CÔNG VĂN"], body=["Điều 1."], signature=["CHỦ TỊCH", "Xñz Văn An"])).signer
    assert (unchanged.value, unchanged.problem) == ("Xñz Văn An", "no known family name")


def test_seal_ring_words_in_small_letters_are_no_name() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["TM. ỦY BAN NHÂN DÂN", "Tỉnh Yên"])
    signer = signature(layout).signer
    assert signer.problem == "no known family name"


def test_a_run_of_text_is_not_taken_for_a_name() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=[
        "KT. CHỦ TỊCH", "Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này"])
    assert signature(layout).signer is None


def test_the_block_is_found_by_its_authority_line_when_the_recipients_heading_is_lost() -> None:
    signed_page = decree30_page(
        body=["Điều 3. Các cơ quan có liên quan chịu trách nhiệm thi hành Quyết định này./."],
        recipients=["- Như Điều 3;", "- Lưu: VT."],
        signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Minh Khoa"], number=2)
    # an appendix page whose heading OCR garbled, ending in a form with a block of its own
    form_page = decree30_page(centre=["PHU LUG"], body=["1. Cấp giấy phép ...", "2. Gia hạn giấy phép ..."],
                              signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký tên, đóng dấu)"], number=3)
    first = decree30_page(centre=["QUYẾT ĐỊNH"], body=["Điều 1."])
    signed = signature(analyse([first, signed_page, form_page]))
    assert (signed.signer.value, signed.title.value) == ("Đoàn Minh Khoa", "Phó Chủ tịch")


def test_a_name_whose_capital_ocr_lost_is_read_weakly() -> None:
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 3."], signature=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Hồ Văn tâm"])
    signer = signature(layout).signer
    assert (signer.value, signer.problem, signer.weak) == ("Hồ Văn Tâm", None, True)


def test_a_title_in_small_letters_is_no_name() -> None:
    # `Phó` is a rare family name too; a title line read in small letters must not pass for a signer
    layout = _layout(centre=["QUYẾT ĐỊNH"], body=["Điều 1."], signature=["KT. CHỦ TỊCH", "Phó Chủ tịch"])
    signer = signature(layout).signer
    assert signer is None or signer.problem
