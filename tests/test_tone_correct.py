"""Tone-mark restoration (ocr/tone_marks.py) with the shipped syllable model; no Tesseract."""

from __future__ import annotations

import io
import unicodedata

import pytest
from PIL import Image

import ocr.pipeline
from ocr.vntext import is_vietnamese_syllable
from ocr.settings import OcrSettings
from ocr.tesseract import Recognition
from ocr.tone_marks import SURE_WORD, default_model, restore_tone_marks
from ocr.types import Line, Word


def _line(text: str, confidence: float = 0.8, sure: tuple[str, ...] = ()) -> Line:
    words = [
        Word(text=token, confidence=0.99 if token in sure else confidence, bbox=(i * 0.1, 0.1, i * 0.1 + 0.08, 0.12))
        for i, token in enumerate(text.split())
    ]
    return Line.from_words(words, block=0)


def _restored(text: str, confidence: float = 0.8, sure: tuple[str, ...] = ()) -> str:
    lines, _ = restore_tone_marks([_line(text, confidence, sure)])
    return lines[0].text


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # Both words misread: the second pass sees `quyền` and then knows the pair `thẩm quyền`.
        ("thuộc thâm quyên giải quyết", "thuộc thẩm quyền giải quyết"),
        ("kiêm tra hồ sơ", "kiểm tra hồ sơ"),
        ("sửa đổi, bồ sung một số điều", "sửa đổi, bổ sung một số điều"),
        # Upper case kept; É folds to E like Ế, and the punctuation read stays.
        ("QUYÉT ĐỊNH:", "QUYẾT ĐỊNH:"),
        ("Điêu 1. Công bố", "Điều 1. Công bố"),
        # A run of misread words, each pair certain only once its neighbour is mended.
        ("THUỘC PHẠM VI, CHÚC NANG QUAN LY NHÀ NƯỚC", "THUỘC PHẠM VI, CHỨC NĂNG QUẢN LÝ NHÀ NƯỚC"),
    ],
)
def test_unsure_syllables_get_the_marks_of_their_context(read, expected):
    assert _restored(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # A word that spells no syllable, one confusable letter from a strong pair: `c` read as `e`.
        ("đăng ký, quản lý eư trú", "đăng ký, quản lý cư trú"),
        ("thuộe thẩm quyền", "thuộc thẩm quyền"),
        # Even when Tesseract was sure of it: a non-syllable is wrong whatever its confidence.
        ("QUẢN LÝ EƯ TRÚ", "QUẢN LÝ CƯ TRÚ"),
        # Its neighbour misread too: the pair is found through the neighbour's other marks.
        ("quản lý eư trữ", "quản lý cư trú"),
    ],
)
def test_a_non_syllable_one_confusable_letter_from_a_strong_pair_is_put_right(read, expected):
    assert _restored(read, sure=tuple(read.split())) == expected


def test_a_non_syllable_without_a_strong_pair_or_a_name_stays():
    for text in ("xã Eahleo huyện", "ông Ksor Tlin", "email hoặc", "eư"):
        assert _restored(text) == text


def test_the_count_of_changed_words_is_returned():
    _, changed = restore_tone_marks([_line("thuộc thâm quyên"), _line("kiêm tra")])
    assert changed == 3


def test_a_word_tesseract_is_sure_of_changes_only_on_strong_pair_evidence():
    # Frequency alone never moves a sure word (`thắm` is rarer than `thẩm`), nor a pair that is
    # commoner but not overwhelmingly so (`thuộc tỉnh` against the word `thuộc tính`).
    assert _restored("màu thắm", confidence=SURE_WORD) == "màu thắm"
    assert _restored("các thuộc tính khác", confidence=SURE_WORD) == "các thuộc tính khác"
    # `sửa đôi` is no pair; `sửa đổi` is one of the commonest of administrative text.
    assert _restored("được sửa đôi, bổ sung", confidence=SURE_WORD) == "được sửa đổi, bổ sung"
    # Only the unsure word moves when the sure one is right as read.
    assert _restored("thâm quyền", sure=("quyền",)) == "thẩm quyền"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # `tâm` and `đây` are far commoner than `tầm` and `đẩy`, and read fairly surely, but
        # `tâm nhìn` and `thúc đây` are no pairs where `tầm nhìn` and `thúc đẩy` are common.
        ("đến năm 2030, tâm nhìn đến năm 2050", "đến năm 2030, tầm nhìn đến năm 2050"),
        ("khuyến khích, thúc đây việc sáng tạo", "khuyến khích, thúc đẩy việc sáng tạo"),
    ],
)
def test_the_evidence_that_changes_a_sure_word_changes_an_unsure_one(read, expected):
    assert _restored(read, confidence=0.93) == expected
    # The form read stays where it makes a pair of its own (`tâm huyết`).
    assert _restored("đầy tâm huyết", confidence=0.93) == "đầy tâm huyết"


def test_a_sure_word_with_a_known_pair_on_the_only_side_stays():
    # `Sở Giao` at the end of a line is `Sở Giao thông vận tải` as well as `Sở Giáo dục`.
    assert _restored("Giám đốc Sở Giao", confidence=SURE_WORD) == "Giám đốc Sở Giao"
    assert _restored("có diện tích từ", confidence=SURE_WORD) == "có diện tích từ"


def test_numbers_and_notations_are_never_touched():
    read = "Số: 123/QĐ-UBND ngày 05/3/2025 năm 2025 TT-BTP 45/2025/NĐ-CP"
    assert _restored(read, confidence=0.3) == read


def test_capitalised_common_words_inside_a_line_change_on_strong_pair_evidence():
    assert _restored("Sở Giáo dục và Đảo tạo có trách nhiệm", confidence=0.9) == "Sở Giáo dục và Đào tạo có trách nhiệm"
    # A place after its unit word is a name: `tỉnh Bắc` is far commoner, `tỉnh Bạc Liêu` stays.
    assert _restored("trên địa bàn tỉnh Bạc Liêu", confidence=SURE_WORD) == "trên địa bàn tỉnh Bạc Liêu"
    assert _restored("Bà Lê Thị Đào", confidence=0.9) == "Bà Lê Thị Đào"
    assert _restored("ông Phạm Văn Đảo", confidence=0.9) == "ông Phạm Văn Đảo"
    # Only a neighbour in small letters is evidence: `tiên tiến` is common, `Tiến Tiến` a name.
    assert _restored("Bà Kiều Tiến Tiến", confidence=0.9) == "Bà Kiều Tiến Tiến"


def test_capitalised_words_inside_a_line_are_names_and_kept():
    # Thắm is a rare syllable (a given name): frequency alone would make it `tham`; `Lai Sơn`
    # would become the commune `Lại Sơn`.
    assert _restored("Bà Nguyễn Thị Thắm", confidence=0.9) == "Bà Nguyễn Thị Thắm"
    assert _restored("Thôn Lai Sơn, xã Tề Lỗ", confidence=0.9) == "Thôn Lai Sơn, xã Tề Lỗ"
    assert _restored("Tạ Phương Hằng", confidence=0.9) == "Tạ Phương Hằng"


def test_upper_case_changes_only_with_a_pair():
    # A name in capitals has no pair to lean on; a heading does (`QUYÉT ĐỊNH` above).
    assert _restored("TẠ PHƯƠNG HẰNG", confidence=0.8) == "TẠ PHƯƠNG HẰNG"
    assert _restored("PHO CHU TỊCH", confidence=0.7) == "PHÓ CHỦ TỊCH"
    assert _restored("THU TỤC HÀNH CHÍNH", confidence=0.7) == "THỦ TỤC HÀNH CHÍNH"
    # Both words misread: the pair is known whatever the neighbour's marks, and counted often.
    assert _restored("ỦY BAN NHÂN DÂN TÍNH BÁC GIANG", confidence=0.8) == "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"
    assert _restored("NGUYỄN THỊ ĐÀO", confidence=0.8) == "NGUYỄN THỊ ĐÀO"
    # A place name read right keeps its marks though `tỉnh bắc` is commoner; a name in capitals
    # is not outvoted by the count of a common word it spells (`tiên tiến`).
    assert _restored("TÍNH BẠC LIÊU", confidence=0.9) == "TỈNH BẠC LIÊU"
    assert _restored("tên chồng: KIỀU TIẾN TIẾN", confidence=0.96) == "tên chồng: KIỀU TIẾN TIẾN"
    # nor by a dictionary word that administrative text does not use (`thanh yên`, the citron)
    assert _restored("Họ, chữ đệm, tên: LƯU THANH YẾN", confidence=0.9) == "Họ, chữ đệm, tên: LƯU THANH YẾN"
    assert _restored("tên người cha: ĐẶNG THẾ KHÁNH", confidence=0.85) == "tên người cha: ĐẶNG THẾ KHÁNH"
    # nor by a strong pair on one side only (`lương hưu`, a pension)
    assert _restored("Họ, chữ đệm, tên người chồng: LƯƠNG HỮU CƯỜNG", confidence=0.9).endswith("LƯƠNG HỮU CƯỜNG")
    assert _restored("Họ, chữ đệm, tên: LÊ THANH PHƯƠNG", confidence=0.9).endswith("LÊ THANH PHƯƠNG")  # thành phường


def test_context_decides_between_two_common_forms():
    assert _restored("sửa đôi", confidence=0.85) == "sửa đổi"
    # The pair's count in administrative text outweighs the commoner single syllable.
    assert _restored("được sửa đôi, bổ sung", confidence=0.93) == "được sửa đổi, bổ sung"
    assert _restored("Chánh Văn phòng hướng dân nghiệp vụ", confidence=0.96) == "Chánh Văn phòng hướng dẫn nghiệp vụ"
    assert _restored("thuộc phạm vị, chức năng", confidence=0.8) == "thuộc phạm vi, chức năng"
    assert _restored("bãi bỏ, thay thể trong lĩnh vực", confidence=0.85) == "bãi bỏ, thay thế trong lĩnh vực"
    assert _restored("cơ quan thâm định hồ sơ", confidence=0.9) == "cơ quan thẩm định hồ sơ"
    assert _restored("một đôi giày", confidence=0.85) == "một đôi giày"
    assert _restored("Ủy ban nên thực hiện", confidence=0.85) == "Ủy ban nên thực hiện"
    assert _restored("Ủy ban nhân dân tỉnh", confidence=0.85) == "Ủy ban nhân dân tỉnh"


def test_a_unit_word_before_a_place_name_keeps_its_marks():
    # `bàn tính` (abacus) is a known pair, but `tỉnh` before a capitalised name is a province.
    assert _restored("trên địa bàn tỉnh Cà Mau", confidence=0.95) == "trên địa bàn tỉnh Cà Mau"
    assert _restored("trên địa bàn tinh Cà Mau", confidence=0.6) == "trên địa bàn tỉnh Cà Mau"
    assert _restored("Công an tinh Bắc Giang", confidence=0.6) == "Công an tỉnh Bắc Giang"
    # Without a capital after it there is no place name: `an tịnh`, `dân tình` are words too.
    assert _restored("nhân dân tình cảm", confidence=0.9) == "nhân dân tình cảm"


def test_spelling_variants_are_not_swapped():
    # hóa and hoá are the same word; whichever the page prints stays.
    assert _restored("chuẩn hóa", confidence=0.5) == "chuẩn hóa"
    assert _restored("chuẩn hoá", confidence=0.5) == "chuẩn hoá"


def test_pairs_do_not_reach_across_punctuation():
    model = default_model()
    assert model.pair_score("ký", "đăng", None) > 0
    assert _restored("đăng ký, quản lý", confidence=0.9) == "đăng ký, quản lý"


def test_the_stage_is_switched_by_the_environment(monkeypatch):
    assert OcrSettings().tone_marks is True
    monkeypatch.setenv("SOHOA_OCR_TONE_MARKS", "false")
    assert OcrSettings().tone_marks is False


def test_the_shipped_model_holds_syllables_pairs_and_unit_words_before_names():
    model = default_model()
    assert len(model.unigrams) > 5000 and len(model.pairs) > 20000
    assert all(is_vietnamese_syllable(form) and unicodedata.is_normalized("NFC", form) for form in model.unigrams)
    assert {"thẩm quyền", "kiểm tra", "bổ sung", "quyết định"} <= model.pairs.keys()
    # pairs carry their count in administrative text (0: known from the word list only)
    assert model.pairs["sửa đổi"] > 1000 and "sửa đôi" not in model.pairs
    assert "tỉnh Cà" in model.named and all(pair.split(" ")[1][:1].isupper() for pair in model.named)


def _page_read_as(monkeypatch, text: str, settings: OcrSettings):
    words = [
        Word(text=token, confidence=0.8, bbox=(0.1 + i * 0.1, 0.1, 0.18 + i * 0.1, 0.12))
        for i, token in enumerate(text.split())
    ]
    monkeypatch.setattr(ocr.pipeline, "recognise", lambda *args: Recognition(lines=[Line.from_words(words, 0)]))
    image = io.BytesIO()
    Image.new("L", (1240, 1754), 255).save(image, format="PNG", dpi=(150, 150))
    return ocr.pipeline.read_document(image.getvalue(), settings).pages[0]


def test_the_pipeline_names_the_stage_when_it_changed_a_word(monkeypatch):
    page = _page_read_as(monkeypatch, "thuộc thâm quyên giải quyết", OcrSettings())
    assert page.text == "thuộc thẩm quyền giải quyết" and page.preprocessing[-1] == "tone_marks"
    page = _page_read_as(monkeypatch, "thuộc thâm quyên giải quyết", OcrSettings(tone_marks=False))
    assert page.text == "thuộc thâm quyên giải quyết" and "tone_marks" not in page.preprocessing


def _restored_lines(*texts: str, confidence: float = 0.9, block: int = 0) -> list[str]:
    """Lines one under the other in one block, each word read with `confidence`."""
    lines = [
        Line.from_words(
            [
                Word(text=token, confidence=confidence, bbox=(i * 0.1, 0.1 + 0.03 * k, i * 0.1 + 0.08, 0.12 + 0.03 * k))
                for i, token in enumerate(text.split())
            ],
            block=block,
        )
        for k, text in enumerate(texts)
    ]
    return [line.text for line in restore_tone_marks(lines)[0]]


def test_a_word_at_a_line_end_pairs_with_the_first_word_of_the_next_line():
    assert _restored_lines("ban hành mới, sửa đổi, bồ", "sung, thay thế") == ["ban hành mới, sửa đổi, bổ", "sung, thay thế"]
    assert _restored_lines("thời hạn cơ quan, tô", "chức được lấy ý kiến") == [
        "thời hạn cơ quan, tổ",
        "chức được lấy ý kiến",
    ]
    # a word in capitals going on with a sentence in small letters (a table cell's lines)
    assert _restored_lines("sản: 30 ngày làm", "VIỆC;") == ["sản: 30 ngày làm", "việc;"]


def test_stacked_lines_of_a_heading_or_signature_block_give_no_context():
    # read on its own line `PHÔ` is `PHÓ`; the line above as context made it `PHỐ`
    assert _restored_lines("KT. CHỦ TỊCH", "PHÔ CHỦ TỊCH") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert _restored_lines("Độc lập - Tự do - Hạnh phúc", "Thanh Hóa, ngày 18 tháng 02") == [
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Hóa, ngày 18 tháng 02",
    ]


def test_a_unit_after_a_number_stays():
    assert _restored("có diện tích dưới 10 ha và công suất", confidence=0.6) == "có diện tích dưới 10 ha và công suất"


def test_lines_of_other_blocks_give_no_context():
    first = Line.from_words([Word(text="tô", confidence=0.9, bbox=(0.1, 0.1, 0.15, 0.12))], block=0)
    second = Line.from_words([Word(text="chức", confidence=0.9, bbox=(0.5, 0.15, 0.55, 0.17))], block=1)
    assert [line.text for line in restore_tone_marks([first, second])[0]] == ["tô", "chức"]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # ư read as r: `tr` spells no syllable, `thông tư` is a pair of thousands
        ("Căn cứ Thông tr số 02/2017/TT-VPCP", "Căn cứ Thông tư số 02/2017/TT-VPCP"),
        # gh read as eh; a capital T as l or I
        ("bổ sung tại Nehị định số", "bổ sung tại Nghị định số"),
        ("tại lrung tâm Phục vụ", "tại Trung tâm Phục vụ"),
        # a vowel read twice with its marks split between the two, in a name too
        ("- Cục Kiêềm soát thủ tục", "- Cục Kiểm soát thủ tục"),
        ("thành phố Huêề", "thành phố Huế"),
    ],
)
def test_a_non_syllable_a_misread_letter_away_from_a_strong_pair(read, expected):
    assert _restored(read, sure=tuple(read.split())) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("an toàn g1ao thông đường bộ", "an toàn giao thông đường bộ"),
        ("an toàn gl1ao thông", "an toàn giao thông"),
        ("an toàn g1laO thông", "an toàn giao thông"),
        # its g read as Ø too (qd486's cells at 200 dpi)
        ("an toàn Ø1aO thông", "an toàn giao thông"),
        # no pair for the syllable so spelt, or no syllable: left as read
        ("mã số g1ao", "mã số g1ao"),
        ("BCA-C06 ngày", "BCA-C06 ngày"),
    ],
)
def test_a_1_read_for_the_i_or_o_slash_for_the_g_of_a_word_with_a_pair(read, expected):
    assert _restored(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("30 ngày làm VIỆC;", "30 ngày làm việc;"),
        ("về việc CÔNG bố thủ tục", "về việc công bố thủ tục"),
        ("Luật sửa đổi, bổ Sung một số điều", "Luật sửa đổi, bổ sung một số điều"),
        # before a number, a numbering word in capitals after a small word
        ("Luật Địa chất và Khoáng sản SỐ 54/2024/QH15", "Luật Địa chất và Khoáng sản số 54/2024/QH15"),
    ],
)
def test_words_read_in_capitals_among_small_letters_are_made_small(read, expected):
    assert _restored(read) == expected


@pytest.mark.parametrize(
    "read",
    [
        # offices, bodies and documents are capitalised after common words
        "nhà nước của Sở Y tế",
        "Giám đốc Sở Tư pháp",
        "năm 2010 của Chính phủ về",
        # though `tướng` is followed by `chính` most of the time, the corpus writes it `Chính`
        "Phó Thủ tướng Chính phủ Trần Hồng Hà",
        "theo Công văn số 12",
        "đề nghị của Chủ tịch UBND",
        # capitals beside capitals: a name or a heading
        "bà NGUYỄN THỊ SEN",
        "tỉnh Sóc Trăng",
    ],
)
def test_capitals_of_names_offices_and_headings_stay(read):
    assert _restored(read) == read


def test_a_numbering_word_before_a_number_gets_its_marks():
    assert _restored("- Như Điêu 4;", sure=("Điêu",)) == "- Như Điều 4;"
    assert _restored("Điêu 1. Công bố") == "Điều 1. Công bố"
    # an article misread is Điều with its capital, read small or not; one read with its marks right
    # keeps its case (`Khoản 1 điều 19` is printed so); a clause stays small
    assert _restored("công bố tại điêu 1 Quyết định") == "công bố tại Điều 1 Quyết định"
    assert _restored("quy định tại Khoản 1 điều 19 Luật", sure=("điều",)) == "quy định tại Khoản 1 điều 19 Luật"
    assert _restored("tại khoản 2 điêu 5; ĐIỀU 3") == "tại khoản 2 Điều 5; ĐIỀU 3"
    # a capitalised common word after a capitalised one is a name: Việt Nam
    assert _restored("CỘNG HÒA Việt Nam 2025") == "CỘNG HÒA Việt Nam 2025"


@pytest.mark.parametrize(
    ("read", "confidence", "expected"),
    [
        # An unsure comma inside a phrase written unbroken is a speck.
        ("thủ tục hành chính mới, ban hành trong", 0.78, "thủ tục hành chính mới ban hành trong"),
        # A sure one stays, and so do commas between list items or before a capital.
        ("thủ tục hành chính mới, ban hành", 0.9, "thủ tục hành chính mới, ban hành"),
        ("các tổ chức, cá nhân", 0.6, "các tổ chức, cá nhân"),
        ("sửa đổi, bổ sung", 0.6, "sửa đổi, bổ sung"),
        ("Chủ tịch, Ủy ban", 0.6, "Chủ tịch, Ủy ban"),
    ],
)
def test_an_unsure_comma_inside_a_phrase_written_unbroken_is_a_speck(read, confidence, expected):
    assert _restored(read, confidence=confidence) == expected


def test_a_crisp_page_has_no_specks_to_read_as_commas():
    # `phạm vi chức năng` is written unbroken 252 times, but this decision prints the comma
    # (read at 0.72 off a page rendered from its PDF).
    read = "chữa bệnh thuộc phạm vi, chức năng quản lý"
    assert _restored(read, confidence=0.72) == "chữa bệnh thuộc phạm vi chức năng quản lý"
    lines, _ = restore_tone_marks([_line(read, 0.72, ())], specks=False)
    assert lines[0].text == read


def test_a_word_that_spells_no_syllable_is_put_right_before_it_serves_as_context():
    # As read, `eư` says nothing of `trú`, whose other pair `trữ thuộc` would then win.
    assert _restored_lines("quản lý eư trú", "thuộc thẩm quyền") == ["quản lý cư trú", "thuộc thẩm quyền"]


def test_an_abbreviation_speaks_for_the_words_it_stands_for():
    assert _restored("- Công TTĐT; - Công TT điện tử tỉnh;") == "- Cổng TTĐT; - Cổng TT điện tử tỉnh;"
    assert _restored("Bộ Công an; Công ty TT") == "Bộ Công an; Công ty TT"


def test_a_unit_kind_listed_after_another_is_spelt_as_one():
    assert _restored("tại các xã, phương trong giai đoạn") == "tại các xã, phường trong giai đoạn"
    assert _restored("các huyện, tính và") == "các huyện, tỉnh và"
    # not after a unit kind, or not in a list
    assert _restored("theo phương thức; xã phương") == "theo phương thức; xã phương"


@pytest.mark.parametrize(
    "read",
    [
        # `về` and `dụng` are commoner and pair with the other side, but the pair read is the stronger
        "tại bản vẽ Sơ đồ tổ chức",
        "hướng dẫn về nội dung thiết kế",
        "công trình so với chỉ giới",
        "Chánh Thanh tra Sở Xây dựng",
        # `các trường` is common, but `trường phòng` is no pair at all
        "với các Trưởng phòng, ban",
    ],
)
def test_a_word_making_the_stronger_pair_as_read_stays(read):
    assert _restored(read, confidence=0.96) == read


@pytest.mark.parametrize(
    "read",
    [
        # `mặt`, `đốc`, `cấp`, `nổ`, `khỏi` are commoner, and each makes some pair with a neighbour
        "văn bản mật đến",
        "bố trí dọc các tuyến",
        "mạng lưới cáp thông tin",
        "thanh toán nợ và",
        "khu hợp khối các đơn vị",
    ],
)
def test_a_word_read_surely_keeps_its_letters_where_no_neighbour_spells_the_other(read):
    assert _restored(read, confidence=0.96) == read


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("theo hướng dán thi", "theo hướng dẫn thi"),  # 92% of `hướng *` in the corpus is `hướng dẫn`
        ("thành phó trực thuộc", "thành phố trực thuộc"),
        ("cung cáp thông tin", "cung cấp thông tin"),
    ],
)
def test_a_word_read_surely_takes_other_letters_where_a_neighbour_spells_them(read, expected):
    assert _restored(read, confidence=0.96) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Thành viên: ông Trân Ngọc Tân;", "Thành viên: ông Trần Ngọc Tân;"),
        ("Bộ trưởng Bộ Tài chính Nguyên Văn Thắng", "Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng"),
        ("Hô Chí Minh", "Hồ Chí Minh"),
    ],
)
def test_a_misread_family_name_opening_a_personal_name_is_restored(read, expected):
    assert _restored(read, confidence=0.96) == expected


@pytest.mark.parametrize(
    "read",
    [
        "Trưởng Ban Chỉ đạo",  # `trưởng ban` is a pair: a title, not `Trương`
        "Mặt trận Tổ Quốc Việt Nam",
        "tại tỉnh Thái Nguyên Hà Giang",  # a capitalised word runs into it: a place
        "ÔNG NGUYÊN VĂN AN",  # capitals: headings spell such words too
        "ông Nguyên Văn",  # one capitalised syllable after it is not a name yet
    ],
)
def test_words_spelling_a_family_name_with_other_marks_stay_outside_a_name(read):
    assert _restored(read, confidence=0.96) == read


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        # the t (or tr) an opening bracket swallows in print, given back on a strong pair
        ("của Bộ Tư pháp (heo Phụ lục ban hành", "của Bộ Tư pháp (theo Phụ lục ban hành"),
        ("báo cáo UBND tỉnh (hông qua Sở Tài chính", "báo cáo UBND tỉnh (thông qua Sở Tài chính"),
        ("theo quy định (ước ngày 10/02/2025)", "theo quy định (trước ngày 10/02/2025)"),
        # a word that makes its own pair there stays, and so does one outside a bracket
        ("giá trị (ước tính) của", "giá trị (ước tính) của"),
        ("nuôi heo phụ thêm", "nuôi heo phụ thêm"),
    ],
)
def test_letters_an_opening_bracket_swallowed_are_given_back(read, expected):
    assert _restored(read, confidence=0.96) == expected


def test_a_word_joined_by_a_slash_is_context_for_its_neighbour():
    # `thăm` is the commoner word and `tờ trình thăm` is known, but `thẩm định` decides
    assert _restored("Mẫu tờ trình thăm định/phê duyệt dự án", confidence=0.9) == "Mẫu tờ trình thẩm định/phê duyệt dự án"
