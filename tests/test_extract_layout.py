from extract.layout import analyse, split_line
from ocr.types import Line, PageResult, Word
from test_extract_fixtures import decree30_page


def _word(text: str, x0: float, x1: float, y0: float = 0.06) -> Word:
    return Word(text=text, confidence=0.9, bbox=(x0, y0, x1, y0 + 0.016))


def test_a_line_run_across_both_header_columns_is_cut() -> None:
    words = [_word("SỞ", 0.2, 0.23), _word("TƯ", 0.24, 0.27), _word("PHÁP", 0.28, 0.33),
             _word("Độc", 0.6, 0.63), _word("lập", 0.64, 0.67)]
    line = Line.from_words(words, 0)
    page = PageResult(number=1, method="ocr", lines=[line])
    assert [s.text for s in split_line(line, page)] == ["SỞ TƯ PHÁP", "Độc lập"]


def test_text_layer_line_without_words_is_trusted() -> None:
    line = Line(text="Số: 12/UBND-VP", bbox=(0.1, 0.1, 0.3, 0.12), block=0, words=[])
    (segment,) = split_line(line, PageResult(number=1, method="text_layer", lines=[line]))
    assert segment.text == "Số: 12/UBND-VP"
    assert segment.words[0].confidence == 1.0


def test_zones_of_a_one_page_decision() -> None:
    page = decree30_page(
        left_header=["UBND TỈNH VĨNH PHÚC", "SỞ TƯ PHÁP", "Số: 15/QĐ-STP"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        centre=["QUYẾT ĐỊNH", "Về việc cấp phép"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
        recipients=["Nơi nhận:", "- Lưu: VT."],
        signature=["GIÁM ĐỐC", "Vũ Chí Giang"],
    )
    layout = analyse([page])
    assert [s.text for s in layout.header_left] == ["UBND TỈNH VĨNH PHÚC", "SỞ TƯ PHÁP", "Số: 15/QĐ-STP"]
    assert [s.text for s in layout.header_right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert [s.text for s in layout.below_header][:2] == ["QUYẾT ĐỊNH", "Về việc cấp phép"]
    assert [s.text for s in layout.signature] == ["GIÁM ĐỐC", "Vũ Chí Giang"]


def test_signature_block_comes_from_the_last_page() -> None:
    first = decree30_page(left_header=["SỞ TƯ PHÁP"], centre=["QUYẾT ĐỊNH"], body=["Điều 1. Nội dung dài."] * 30)
    last = decree30_page(
        number=2, body=["Điều 3. Quyết định này có hiệu lực kể từ ngày ký./."], recipients=["Nơi nhận:"],
        signature=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Thị Hà"],
    )
    assert [s.text for s in analyse([first, last]).signature] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Thị Hà"]


def test_signature_block_comes_from_the_page_of_the_recipients_list() -> None:
    """A decision signed on page 1 with its appendix (a list of procedures) on page 2."""
    decision = decree30_page(
        left_header=["UBND TỈNH CÀ MAU"], centre=["QUYẾT ĐỊNH"], body=["Điều 1. Công bố kèm theo Quyết định này."],
        recipients=["Nơi nhận:", "- Lưu: VT."], signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Sử"],
    )
    appendix = decree30_page(number=2, centre=["Phụ lục", "DANH MỤC THỦ TỤC HÀNH CHÍNH"],
                             body=["1. Cấp giấy phép khai thác khoáng sản"] * 5, signature=["1.004446"])
    layout = analyse([decision, appendix])
    assert [s.text for s in layout.signature] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Sử"]
    # with no recipients list anywhere, the last page as before
    assert [s.text for s in analyse([appendix]).signature] == ["1.004446"]

def test_a_recipient_line_over_the_centre_does_not_end_the_body() -> None:
    """The Government's recipients run long (`- HĐND, UBND các tỉnh, thành phố trực thuộc ...`):
    such a line reaches over the centre like a body line, beside the title of the block."""
    page = decree30_page(
        left_header=["THỦ TƯỚNG CHÍNH PHỦ"],
        body=["Điều 3. Quyết định này có hiệu lực kể từ ngày ký ban hành và thay thế các quyết định trước."],
        recipients=["Nơi nhận:", "- Như Điều 3;", "- HĐND, UBND các tỉnh, thành phố trực thuộc trung ương, các cơ quan;",
                    "- Lưu: VT."],
        signature=["THỦ TƯỚNG", ("~", 0.2), ("~", 0.2), "Phạm Minh Chính"],
    )
    assert [s.text for s in analyse([page]).signature if s.is_text] == ["THỦ TƯỚNG", "Phạm Minh Chính"]


def test_without_a_recipients_list_the_block_is_before_the_first_appendix_page() -> None:
    """A certificate with a two-page appendix: only the appendix's first page says what it is."""
    certificate = decree30_page(centre=["GIẤY CHỨNG NHẬN"], body=["Chứng nhận hộ kinh doanh."],
                                signature=["TRƯỞNG PHÒNG", "Trần Văn Bình"])
    heading = decree30_page(number=2, centre=["Phụ lục", "(Kèm theo Giấy chứng nhận số 12)"], body=["1. Hàng tạp hóa"])
    rows = decree30_page(number=3, body=["2. Hàng may mặc"], signature=["1.004446"])
    assert [s.text for s in analyse([certificate, heading, rows]).signature] == ["TRƯỞNG PHÒNG", "Trần Văn Bình"]

def test_no_pages() -> None:
    layout = analyse([])
    assert layout.header_left == [] and layout.signature == []


def test_pieces_of_one_printed_line_are_joined() -> None:
    pieces = [Line.from_words([_word("NÑ", 0.232, 0.26), _word("NHÂN", 0.27, 0.31)], 0),
              Line.from_words([_word("ỦY", 0.17, 0.2, y0=0.061), _word("BA", 0.205, 0.231, y0=0.061)], 1)]
    layout = analyse([PageResult(number=1, method="ocr", lines=pieces)])
    assert [s.text for s in layout.header_left] == ["ỦY BA NÑ NHÂN"]


def test_seal_noise_across_the_centre_does_not_end_the_body() -> None:
    page = decree30_page(
        left_header=["SỞ TƯ PHÁP"],
        centre=["QUYẾT ĐỊNH"],
        body=["Điều 3. Quyết định này có hiệu lực kể từ ngày ký, các cơ quan liên quan thi hành./."],
        signature=["KT. TRƯỞNG PHÒNG", ("_—ÏÝỶỚNG Ph”ư sÀNH", 0.29), "Hoàng Minh Hà"],
    )
    noise = page.lines[-2]
    centred = noise.model_copy(update={"words": [
        w.model_copy(update={"bbox": (0.45, w.bbox[1], 0.56, w.bbox[3])}) for w in noise.words[:1]]})
    page.lines[-2] = centred
    assert [s.text for s in analyse([page]).signature][0] == "KT. TRƯỞNG PHÒNG"


def test_a_note_in_the_left_margin_is_cut_from_the_line_beside_it() -> None:
    # A received stamp's `ĐẾN Ngày: ....` read into the subject's line, a wide word gap away.
    words = [_word("ĐẾN", 0.03, 0.087), _word("Ngày.........", 0.1, 0.22), _word("Về", 0.248, 0.274),
             _word("việc", 0.281, 0.319)]
    line = Line.from_words(words, 0)
    page = PageResult(number=1, method="ocr", lines=[line])
    assert [s.text for s in split_line(line, page)] == ["ĐẾN Ngày.........", "Về việc"]
    # A line of the text area with a wide gap after its first word stays whole.
    words = [_word("1.", 0.14, 0.16), _word("Cấp", 0.19, 0.23), _word("giấy", 0.24, 0.28)]
    line = Line.from_words(words, 0)
    assert [s.text for s in split_line(line, PageResult(number=1, method="ocr", lines=[line]))] == ["1. Cấp giấy"]


def test_a_stamps_line_over_the_centre_above_the_motto_does_not_end_the_header() -> None:
    # A gazette centre's name, OCR'd from its stamp at the top of a scan, crosses the centre.
    page = decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 01/TTr-UBND"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        centre=["TỜ TRÌNH", "Về việc miễn nhiệm"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
    )
    stamp = Line.from_words([_word("TRUNG", 0.49, 0.53, 0.01), _word("TÂM", 0.54, 0.57, 0.01),
                             _word("CÔNG", 0.58, 0.61, 0.01)], 9)
    layout = analyse([page.model_copy(update={"lines": [stamp, *page.lines]})])
    assert [s.text for s in layout.header_left] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 01/TTr-UBND"]
    assert [s.text for s in layout.below_header][:1] == ["TỜ TRÌNH"]
