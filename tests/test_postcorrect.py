"""Junk lines (signature scribble, dirt) are dropped; print, numbers and notations are kept as read,
but for glyphs no Vietnamese text uses."""

from __future__ import annotations

import pytest

from ocr.postcorrect import drop_junk_lines, normalise_glyphs, restore_legal_phrases
from ocr.types import Line, Word


def _line(*words: tuple[str, float]) -> Line:
    return Line.from_words(
        [Word(text=t, confidence=c, bbox=(0.1 * i, 0.5, 0.1 * i + 0.08, 0.52)) for i, (t, c) in enumerate(words)], 0
    )


def texts(lines: list[Line]) -> list[str]:
    return [line.text for line in drop_junk_lines(lines)]


def test_scribble_goes_print_stays():
    scribble = _line(("cY", 0.35), ("„", 0.3), ("`", 0.4))
    title = _line(("PHÓ", 0.8), ("CHỦ", 0.75), ("TỊCH", 0.7))
    assert texts([title, scribble]) == ["PHÓ CHỦ TỊCH"]


def test_unsure_specks_are_removed_from_a_good_line():
    assert texts([_line(("..-", 0.2), ("GIÁM", 0.9), ("ĐỐC", 0.9))]) == ["GIÁM ĐỐC"]


def test_marks_no_document_prints_alone_go_however_sure():
    # a flowchart's arrows read as backticks and a bullet read as ®, all read surely
    line = _line(("`", 0.9), ("Văn", 0.95), ("thư", 0.93), ("¬", 0.8), ("®", 0.85), ("Tổng", 0.9))
    assert texts([line]) == ["Văn thư Tổng"]
    # they count against their line first: a signature's strokes stay junk without them
    strokes = _line(("LÍ", 0.65), ("Š", 0.6), ("`", 0.6), ("2)»", 0.6), ("Êx~", 0.6))
    assert texts([strokes]) == []
    # a vertical bar stays: text layers of tables write it
    assert texts([_line(("STT", 0.9), ("|", 0.9), ("Tên", 0.9))]) == ["STT | Tên"]


def test_unsure_but_readable_line_is_kept():
    # Faded print: unsure, but real syllables, a notation and an abbreviation.
    line = _line(("Số:", 0.55), ("23/2019/QĐ-UBND", 0.6), ("ngày", 0.62), ("UBND", 0.6))
    assert texts([line]) == ["Số: 23/2019/QĐ-UBND ngày UBND"]


def test_a_web_address_alone_on_its_line_is_print_however_unsure():
    # a table cell's address, read at 0.54 (H57 441, page 3), and an e-mail line
    assert texts([_line(("(https://dichvucong.hue.gov.vn)", 0.54))]) == ["(https://dichvucong.hue.gov.vn)"]
    assert texts([_line(("Email:", 0.6), ("vanthu@quangngai.gov.vn", 0.55))]) == ["Email: vanthu@quangngai.gov.vn"]
    # scribble with a dot in it is no address
    assert texts([_line(("cY.vn", 0.55), ("„", 0.3))]) == []


def test_a_number_line_with_a_notation_stays_however_unsure_its_digits():
    # A stamped or handwritten number scores near 0 beside its printed notation.
    assert texts([_line(("Số:", 0.0), ("221", 0.0), ("/QĐ-UBND", 0.57))]) == ["Số: 221 /QĐ-UBND"]
    assert texts([_line(("Số:221", 0.75), ("/QĐ-UBND", 0.6))]) == ["Số:221 /QĐ-UBND"]
    # A notation-like speck beside junk is still junk.
    assert texts([_line(("cY", 0.2), ("/QĐ-UBND", 0.3))]) == []


def test_a_cells_last_word_alone_on_its_line_stays_where_the_line_before_goes_on_into_it():
    def below(line: Line) -> Line:
        return Line.from_words([w.model_copy(update={"bbox": (w.bbox[0], 0.53, w.bbox[2], 0.55)}) for w in line.words], 0)

    # qd486's appendix: `thông vận` then `tải;` read at 0.37
    before = _line(("Sở", 0.97), ("Giao", 0.96), ("thông", 0.96), ("vận", 0.63))
    assert texts([before, below(_line(("tải;", 0.37)))]) == ["Sở Giao thông vận", "tải;"]
    # no pair the documents use, or no syllable: junk as before
    assert texts([before, below(_line(("cY", 0.37)))]) == ["Sở Giao thông vận"]
    title = _line(("PHÓ", 0.9), ("CHỦ", 0.9), ("TỊCH", 0.9))
    assert texts([title, below(_line(("lê", 0.3)))]) == ["PHÓ CHỦ TỊCH"]


def test_a_cited_number_alone_on_its_line_stays_however_unsure():
    # a cell's line `165/2024/NĐ` before `-CP ngày`, read at 0.38 (qd486's appendix)
    assert texts([_line(("165/2024/NĐ", 0.38))]) == ["165/2024/NĐ"]
    # figures without a plausible year and a kind are no cited number
    assert texts([_line(("165/0124/NĐ", 0.38))]) == []
    assert texts([_line(("165/2024", 0.38))]) == []


def test_the_less_sure_of_two_readings_of_one_row_goes():
    # A 200-dpi title beside a seal that Tesseract returned twice, as two lines over the same print.
    def at(text: str, confidence: float, x0: float, x1: float) -> Word:
        return Word(text=text, confidence=confidence, bbox=(x0, 0.2457, x1, 0.256))

    first = Line.from_words([at("CHƯ", 0.49, 0.587, 0.630), at("TỊC", 0.93, 0.650, 0.669)], 1)
    second = Line.from_words([at("HỦ", 0.93, 0.601, 0.615), at("TỊCH", 0.97, 0.635, 0.685)], 1)
    name = Line.from_words([Word(text="Lê", confidence=0.97, bbox=(0.6, 0.28, 0.62, 0.29))], 1)
    assert texts([first, second, name]) == ["HỦ TỊCH", "Lê"]
    # Lines side by side, or one word over another's and one beside it, are no second reading.
    beside = Line.from_words([at("CHỦ", 0.6, 0.70, 0.74), at("TỊCH", 0.6, 0.75, 0.79)], 1)
    assert texts([second, beside]) == ["HỦ TỊCH", "CHỦ TỊCH"]
    partly = Line.from_words([at("HỦ", 0.6, 0.601, 0.615), at("X", 0.6, 0.70, 0.72)], 1)
    assert texts([second, partly]) == ["HỦ TỊCH", "HỦ X"]


def test_very_unsure_line_goes_even_if_it_looks_like_words():
    assert texts([_line(("Nề", 0.45))]) == []


def test_words_are_never_rewritten():
    line = _line(("Điều", 0.9), ("L.", 0.9), ("123/HDANN", 0.9))
    assert texts([line]) == ["Điều L. 123/HDANN"]


def restored(*words: tuple[str, float]) -> str:
    return restore_legal_phrases([_line(*words)])[0].text


def test_unsure_legal_phrase_gets_its_marks_back_in_the_case_read():
    assert restored(("Quyết", 0.8), ("đinh", 0.6), ("này", 0.95)) == "Quyết định này"
    assert restored(("NGHI", 0.7), ("ĐINH", 0.7)) == "NGHỊ ĐỊNH"
    assert restored(("Ủy", 0.95), ("ban,", 0.5)) == "Ủy ban,"
    # a page that places the mark the old way keeps it; a misread mark is still put right
    assert restored(("Uỷ", 0.57), ("ban", 0.9)) == "Uỷ ban"
    assert restored(("Uý", 0.57), ("ban", 0.9)) == "Ủy ban"


def test_sure_words_and_other_phrases_are_left_alone():
    assert restored(("quyet", 0.95), ("dinh", 0.95)) == "quyet dinh"  # Tesseract was sure
    assert restored(("bán", 0.5), ("hàng", 0.5)) == "bán hàng"  # not a listed phrase
    assert restored(("15/QĐ-UBND", 0.5), ("ngày", 0.5)) == "15/QĐ-UBND ngày"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # the fraction slash, alone or doubled with a slash, in dates and notations
        ("ngày 12⁄03/2019", "ngày 12/03/2019"),
        ("Thông tư số 07/⁄2021/TT-BNV", "Thông tư số 07/2021/TT-BNV"),
        # Icelandic Ð for Đ, alone or doubled after Đ
        ("Nghị định số 45/2020/NĐÐ-CP", "Nghị định số 45/2020/NĐ-CP"),
        ("Số: 88/QÐ-UBND", "Số: 88/QĐ-UBND"),
        # the Q of QĐ read as O or 0 after the slash of a notation
        ("Quyết định số 512/OĐ-BNV", "Quyết định số 512/QĐ-BNV"),
        ("số 64/0Đ-UBND", "số 64/QĐ-UBND"),
        # Ø beside a digit is a zero; ø among letters is a g
        ("ngày Ø5 tháng", "ngày 05 tháng"),
        ("an toàn Ø1aO thông", "an toàn Ø1aO thông"),  # among letters, a g: ocr/tone_marks.py's
        ("cổng thông tin điện tử ninhbinh.øov.vn", "cổng thông tin điện tử ninhbinh.gov.vn"),
        ("øiấy chứng nhận", "giấy chứng nhận"),
        # a stray capital inside a syllable is a misread mark
        ("bổ sung mỘt số điều", "bổ sung một số điều"),
        ("Sở GIáo dục", "Sở Giáo dục"),
        # the 1 of a number read as l or I
        ("ngày 23 tháng l1 năm 2018", "ngày 23 tháng 11 năm 2018"),
        ("ngày I6 tháng 0l năm 2025", "ngày 16 tháng 01 năm 2025"),
        ("ngày l3/02/2025.", "ngày 13/02/2025."),
        ("mặt cắt ngang B= I5,5m.", "mặt cắt ngang B= 15,5m."),  # a measure and its unit
        ("lưu lượng I0m3 và I1,5ha", "lưu lượng 10m3 và 11,5ha"),
        ("thửa đất 5l và Ilm", "thửa đất 51 và Ilm"),  # no figure beside the I: a word
        ("phòng, chống dịch COVID-L9", "phòng, chống dịch COVID-19"),
        ("dịch Covid-I9; Mẫu TK-L", "dịch Covid-19; Mẫu TK-L"),
        # articles, clauses and points are numbered in Arabic figures
        ("tại khoản I Điều 72", "tại khoản 1 Điều 72"),
        ("công bố tại Điều I Quyết định", "công bố tại Điều 1 Quyết định"),
        # a web address's scheme and a state domain misread
        ("(hfips://dichvucong.gov.vn/) và", "(https://dichvucong.gov.vn/) và"),
        ("(htips://dichvucong.hue.sov.vn/)", "(https://dichvucong.hue.gov.vn/)"),
        ("thanhhoa.geov.vn", "thanhhoa.gov.vn"),
        # a notation's hyphen read as a full stop; a stop elsewhere in a number stays
        ("Thông tư số 02/2017/TT.VPCP ngày 1.012345 TT.", "Thông tư số 02/2017/TT-VPCP ngày 1.012345 TT."),
        # a National Assembly term's 1 and a Tờ trình's T read as I or l; a term of 1 figure stays
        ("Luật số 54/2024/QHI5; Nghị quyết 254/2025/QHI15;", "Luật số 54/2024/QH15; Nghị quyết 254/2025/QH15;"),
        ("Luật Hải quan số 54/2014/QHl3", "Luật Hải quan số 54/2014/QH13"),
        # a law's QH and term garbled: the term is the one its year falls in
        ("Nghị quyết số 254/2025/QHI1S, 254/2025/QH11°5. và 254/2025/0H]5", "Nghị quyết số 254/2025/QH15, 254/2025/QH15. và 254/2025/QH15"),
        ("số 47/2024/O0H15, Luật Đất đai số 31/2024/QHI 3", "số 47/2024/QH15, Luật Đất đai số 31/2024/QH15 3"),
        # in a year two terms share, only a last figure of one of them tells
        ("Luật số 90/2021/QHI5 và 91/2021/QHI", "Luật số 90/2021/QH15 và 91/2021/QHI"),
        # a notation's Đ read twice; a word of two Đ's stays
        ("Nghị định số 165/2024/NĐĐ-CP; 12/QĐĐ-UBND", "Nghị định số 165/2024/NĐ-CP; 12/QĐ-UBND"),
        ("Số: 239/TI1r-UBND; 12/TIr-SNV; 3/QHI", "Số: 239/TTr-UBND; 12/TTr-SNV; 3/QHI"),
        ("Số: /TI1r-UBND", "Số: /TTr-UBND"),
        # the c of (b/c) read as © or €
        ("- Bộ Tư pháp (B/©); - TT HĐND tỉnh (b/€);", "- Bộ Tư pháp (B/c); - TT HĐND tỉnh (b/c);"),
        # the abbreviations of every administrative text one letter off
        ("Danh mục TIHC; Tên THC (TTIHC) và HDND", "Danh mục TTHC; Tên TTHC (TTHC) và HĐND"),
        ("- Phòng KSTTTHC", "- Phòng KSTTHC"),
        # a body's Đ read as D, alone or inside a notation; other capitals with a D stay
        ("Quyết định 377/QĐ-BGDDT, Thông tư 30/2024/TT-BGDDT;", "Quyết định 377/QĐ-BGDĐT, Thông tư 30/2024/TT-BGDĐT;"),
        ("Văn phòng HDND-UBND tỉnh; Sở LDTBXH", "Văn phòng HĐND-UBND tỉnh; Sở LĐTBXH"),
        ("BIDV, DDT, CDVCQG, PDF", "BIDV, DDT, CDVCQG, PDF"),
        # a day or month read as letters; a Roman numeral elsewhere, a word or no day or month stays
        ("ngày 29 tháng TÌ năm 2019; ngày II tháng 7", "ngày 29 tháng 11 năm 2019; ngày 11 tháng 7"),
        ("ngày lŠ tháng 0T năm 2025", "ngày 15 tháng 01 năm 2025"),
        ("Phụ lục II năm 2025 cấp II", "Phụ lục II năm 2025 cấp II"),
        ("ngày Tổ tháng SS năm; tháng O năm", "ngày Tổ tháng SS năm; tháng O năm"),
        # a notation's slash lost after its number or year; a law's QH with a 0 for its Q or before it
        ("Quyết định số 270QĐ-BTNMT; Nghị định 07/2021NĐ-CP", "Quyết định số 270/QĐ-BTNMT; Nghị định 07/2021/NĐ-CP"),
        ("số 146/2025/0QH15, 254/2025/0HI15", "số 146/2025/QH15, 254/2025/QH15"),
        ("2025QUY ĐỊNH 12AB-CD 100.000m3", "2025QUY ĐỊNH 12AB-CD 100.000m3"),
        # a recipients list's (b/c), (t/h) read without the slash; an i read as ¡; ./. without its stop
        ("- Các phòng (th); - Thường trực (bc); (tc)", "- Các phòng (t/h); - Thường trực (b/c); (tc)"),
        ("- Cục Kiểm soát TTHC-VPCP (B/); (a/)", "- Cục Kiểm soát TTHC-VPCP (B/c); (a/)"),
        ("Quyết định 377/9Đ-BGDĐT", "Quyết định 377/QĐ-BGDĐT"),
        ("gồm 02 (ha¡) thủ tục", "gồm 02 (hai) thủ tục"),
        # a list's 8 read as §, its point c) as ©
        ("§. Phần mềm; _©) Đất; §", "8. Phần mềm; c) Đất; §"),
        ("Quyết định này/.", "Quyết định này./."),
        # a t read as f in a Vietnamese syllable; words from abroad stay
        ("Bộ frưởng kiểm soát fục; file fax", "Bộ trưởng kiểm soát tục; file fax"),
        # an em dash standing alone among words is an en dash; a heading's rule stays
        ("Ban Văn hóa — Xã hội; — Chính phủ;", "Ban Văn hóa – Xã hội; – Chính phủ;"),
        ("———", "———"),
        ("— —", "— —"),
        # a T read as 7 after a bracket or quote; a number there stays
        ("dữ liệu (7heo Quyết định; Đề án “7iếp nhận; (7rung tâm", "dữ liệu (Theo Quyết định; Đề án “Tiếp nhận; (Trung tâm"),
        ("trong (7ha) và (7 ngày) (7kg)", "trong (7ha) và (7 ngày) (7kg)"),
        # in italics, opening an abbreviation in brackets
        ("Phòng KSTTHC (7rP, PP); Lưu: VT, CV(7V.02). (7m2)", "Phòng KSTTHC (TrP, PP); Lưu: VT, CV(TV.02). (7m2)"),
        # an N read as a slash and a V on a small photo; a notation's tail and V/v stay
        ("/Vơi nhận: 02/2017/TT /VPCP V/v", "Nơi nhận: 02/2017/TT /VPCP V/v"),
        # a list item's number read with its full stop doubled; an ellipsis after a word stays
        ("2.. Đối tượng nộp lệ phí:", "2. Đối tượng nộp lệ phí:"),
        ("thêm.. nghỉ học; 2.. ngày", "thêm.. nghỉ học; 2.. ngày"),
    ],
)
def test_glyphs_no_vietnamese_text_uses_are_mapped(read, expected):
    assert [line.text for line in normalise_glyphs([_line(*((t, 0.9) for t in read.split()))])] == [expected]


def test_the_archive_lines_records_office_read_with_a_letter_for_its_comma():
    read = [("-", 0.93), ("Lưu:", 0.97), ("VTE,", 0.16), ("Cục", 0.96), ("HTQTCT.", 0.9)]
    assert normalise_glyphs([_line(*read)])[0].text == "- Lưu: VT, Cục HTQTCT."
    # read sure, or another mark, or not after `Lưu:`, it stays
    for kept in ([("Lưu:", 0.97), ("VTE,", 0.95)], [("Lưu:", 0.97), ("VPUB,", 0.5)], [("Lưu", 0.97), ("VTE,", 0.5)]):
        assert normalise_glyphs([_line(*kept)])[0].text == " ".join(t for t, _ in kept)


def test_names_abbreviations_and_notations_keep_their_case():
    read = "Ông NGUYỄN Văn An, TTr-SNV, UBND, Sở GTVT, iOS"
    assert [line.text for line in normalise_glyphs([_line(*((t, 0.9) for t in read.split()))])] == [read]


def test_roman_numerals_other_abbreviations_and_addresses_stay():
    read = "Chương I, Mục I. khoản II, I-1, QH15, Trường THCS, TTTT, VT, http://a.gov.vn https://b.vn"
    assert [line.text for line in normalise_glyphs([_line(*((t, 0.9) for t in read.split()))])] == [read]


def _lines(*texts: str) -> list[Line]:
    return [
        Line.from_words([Word(text=t, confidence=0.9, bbox=(0.1 * i, 0.1 + 0.03 * k, 0.1 * i + 0.08, 0.12 + 0.03 * k))
                         for i, t in enumerate(text.split())], 0)
        for k, text in enumerate(texts)
    ]


def test_colons_ending_recipient_items_are_semicolons():
    read = _lines("Nơi nhận:", "- Như Điều 4:", "- Cục Kiểm soát TTHC-VPCP (B/c):", "- Các Phòng, TT: NNMT, TH,",
                  "PVHCC tỉnh, CN&CTTĐT:", "- Lưu: VT, KSTTHC.")
    assert [line.text for line in restore_legal_phrases(read)] == [
        "Nơi nhận:", "- Như Điều 4;", "- Cục Kiểm soát TTHC-VPCP (B/c);", "- Các Phòng, TT: NNMT, TH,",
        "PVHCC tỉnh, CN&CTTĐT;", "- Lưu: VT, KSTTHC."]


def test_colons_outside_a_recipients_list_or_before_sub_items_stay():
    read = ["QUYẾT ĐỊNH:", "- Thời hạn giải quyết:", "- 15 ngày", "Nơi nhận:", "- Các Sở:", "+ Sở Tư pháp;"]
    assert [line.text for line in restore_legal_phrases(_lines(*read))] == read


def test_a_full_stop_before_small_letters_is_a_comma():
    read = _lines("đề xuất nhiệm vụ. giải pháp trọng tâm", "với các sở. ngành trong việc rà soát",
                  # a sentence's end, a list mark, an abbreviation, a number: as read
                  "theo quy định. Giao Sở Tư pháp", "giấy phép. c) Lệ phí", "v.v. và TP. Huế", "đạt 1.000 người")
    assert [line.text for line in restore_legal_phrases(read)] == [
        "đề xuất nhiệm vụ, giải pháp trọng tâm", "với các sở, ngành trong việc rà soát",
        "theo quy định. Giao Sở Tư pháp", "giấy phép. c) Lệ phí", "v.v. và TP. Huế", "đạt 1.000 người"]


def test_colons_ending_items_of_a_semicolon_list_are_semicolons():
    read = _lines("6. Các thành viên Ban Chỉ đạo:", "- Bộ trưởng Bộ Nội vụ Phạm Thị Thanh Trà;",
                  "- Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng:", "- Quyền Bộ trưởng Bộ Nông nghiệp và Môi trường",
                  "Trần Đức Thắng:", "- Bộ trưởng Bộ Xây dựng Trần Hồng Minh;", "- Tổng Thanh tra Chính phủ;")
    assert [line.text for line in restore_legal_phrases(read)] == [
        "6. Các thành viên Ban Chỉ đạo:", "- Bộ trưởng Bộ Nội vụ Phạm Thị Thanh Trà;",
        "- Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng;", "- Quyền Bộ trưởng Bộ Nông nghiệp và Môi trường",
        "Trần Đức Thắng;", "- Bộ trưởng Bộ Xây dựng Trần Hồng Minh;", "- Tổng Thanh tra Chính phủ;"]


def test_colons_of_lists_without_semicolons_or_introducing_sub_items_stay():
    read = [
        # items ending in full stops: the colon introduces the next items
        "- Nguyên nhân: cán bộ chưa nắm quy định.", "- Giải pháp thực hiện:", "- Giao phòng chủ trì.",
        "- Tổ chức kiểm tra định kỳ.",
        # one semicolon is no list's rule
        "a) Thành phần hồ sơ:", "- Đơn đề nghị;", "- Giấy tờ khác:", "- Bản sao giấy phép",
        # sub-items under their own mark
        "- Ô đất ký hiệu K4/CQ2:", "+ Phía Bắc giáp đường;", "+ Phía Nam giáp khu dân cư;", "+ Phía Tây giáp hồ;",
    ]
    assert [line.text for line in restore_legal_phrases(_lines(*read))] == read


def test_a_speck_read_as_a_full_stop_inside_an_administrative_phrase_goes():
    def line(*texts):
        return Line.from_words([Word(text=t, confidence=0.95, bbox=(0.1 * i, 0, 0.1 * i + 0.05, 0.01))
                                for i, t in enumerate(texts)], 0)

    def read(*texts):
        return " ".join(w.text for w in restore_legal_phrases([line(*texts)])[0].words)

    assert read("dự", "thảo", "Quyết.", "định", "sửa") == "dự thảo Quyết định sửa"
    assert read("thảo", "Quyết", ".", "định") == "thảo Quyết định"
    # A sentence's end (a capital after it), other words, abbreviations: as read.
    assert read("ban", "hành.", "Quyết", "định") == "ban hành. Quyết định"
    assert read("đã", "xong.", "định", "kỳ") == "đã xong, định kỳ"  # no phrase: a comma, not a speck
    assert read("v.v.", "và") == "v.v. và"
    assert read("Quy-định", "chi", "tiết") == "Quy định chi tiết"
    assert read("Lao", "động", "-", "Thương", "binh", "COVID-19", "Bà-rịa") == "Lao động - Thương binh COVID-19 Bà-rịa"


def test_the_subject_line_under_a_kind_of_documents_name_opens_with_a_capital():
    read = _lines("QUYẾT ĐỊNH", "về việc công bố Danh mục", "THÔNG BÁO", "và việc tham dự Hội nghị",
                  "TỜ TRÌNH", "quyết định sửa đổi", "KẾ HOẠCH", "Khắc phục những tồn tại")
    assert [line.text for line in restore_legal_phrases(read)] == [
        "QUYẾT ĐỊNH", "Về việc công bố Danh mục", "THÔNG BÁO", "Về việc tham dự Hội nghị",
        "TỜ TRÌNH", "Quyết định sửa đổi", "KẾ HOẠCH", "Khắc phục những tồn tại"]


def test_lines_after_the_enacting_words_or_other_headings_keep_their_case():
    read = ["QUYẾT ĐỊNH:", "về việc ban hành", "Quyết định", "và việc khác", "DANH MỤC THỦ TỤC", "và việc khác"]
    assert [line.text for line in restore_legal_phrases(_lines(*read))] == read


def _placed(text: str, left: float, top: float, confidence: float = 0.9) -> Line:
    words = [Word(text=t, confidence=confidence, bbox=(left + 0.06 * i, top, left + 0.06 * i + 0.05, top + 0.015))
             for i, t in enumerate(text.split())]
    return Line.from_words(words, 0)


def test_a_signatures_strokes_read_as_letters_in_the_signature_column_go():
    lines = [
        _placed("Điều 3. Chánh Văn phòng UBND tỉnh và các đơn vị chịu trách nhiệm thi hành", 0.1, 0.50),
        _placed("Nơi nhận:", 0.1, 0.55), _placed("KT. CHỦ TỊCH", 0.62, 0.55),
        _placed("- Như Điều 3;", 0.1, 0.57), _placed("A U", 0.65, 0.57), _placed("PHÓ CHỦ TỊCH", 0.62, 0.59),
        _placed("3;", 0.1, 0.59), _placed("(22+ ý", 0.64, 0.62), _placed("18/02/2025", 0.64, 0.64),
        _placed("Nguyễn Văn A", 0.62, 0.66),
    ]
    kept = [line.text for line in drop_junk_lines(lines)]
    assert "A U" not in kept and "(22+ ý" not in kept
    assert {"3;", "18/02/2025", "Nguyễn Văn A", "PHÓ CHỦ TỊCH"} <= set(kept)


def test_a_title_a_signature_garbled_in_the_signature_column_is_printed_as_it_spells():
    lines = [
        _placed("Điều 3. Chánh Văn phòng UBND tỉnh và các đơn vị chịu trách nhiệm thi hành", 0.1, 0.50),
        _placed("Nơi nhận:", 0.1, 0.55), _placed("KT. THỦ TƯỚNG", 0.62, 0.55),
        _placed("- Như Điều 3;", 0.1, 0.57), _placed("b 5 PHO THU TƯỜNG -", 0.6, 0.57),
        _placed("- Lưu: VT.", 0.1, 0.59), _placed("THU TRƯƠNG 1/4", 0.62, 0.59), _placed("THỨ: TRƯỞNG", 0.62, 0.61),
        _placed("Trần Hồng Hà", 0.62, 0.66),
    ]
    assert [line.text for line in restore_legal_phrases(lines)] == [
        "Điều 3. Chánh Văn phòng UBND tỉnh và các đơn vị chịu trách nhiệm thi hành",
        "Nơi nhận:", "KT. THỦ TƯỚNG", "- Như Điều 3;", "PHÓ THỦ TƯỚNG", "- Lưu: VT.", "THỨ TRƯỞNG", "THỨ TRƯỞNG",
        "Trần Hồng Hà"]


def test_a_stroke_read_as_a_small_word_beside_a_title_goes():
    stroke = Word(text="vận", confidence=0.4, bbox=(0.56, 0.572, 0.58, 0.578))
    title = _placed("CHỦ TỊCH", 0.62, 0.57)
    lines = [
        _placed("Nơi nhận:", 0.1, 0.55), _placed("TM. ỦY BAN NHÂN DÂN", 0.6, 0.55),
        _placed("- Lưu: VT, TH.", 0.1, 0.57), Line.from_words([stroke, *title.words], 0),
        _placed("Hoàng Thị Nga", 0.62, 0.66),
    ]
    assert [line.text for line in restore_legal_phrases(lines)][3] == "CHỦ TỊCH"
    # read surely, a small word stays, and the line is no title
    lines[3] = Line.from_words([stroke.model_copy(update={"confidence": 0.9}), *title.words], 0)
    assert [line.text for line in restore_legal_phrases(lines)][3] == "vận CHỦ TỊCH"


def test_titles_outside_the_signature_column_and_other_capitals_stay():
    lines = [_placed("PHO THU TƯỜNG", 0.1, 0.30), _placed("KT. CHỦ TỊCH", 0.62, 0.55),
             _placed("CHU TICH TINH", 0.62, 0.57), _placed("Nguyễn Văn A", 0.62, 0.66)]
    assert [line.text for line in restore_legal_phrases(lines)] == [line.text for line in lines]
