"""Legacy Vietnamese font encodings (VNI, TCVN3): tables, detection, reading text layers."""

import unicodedata

import pymupdf
import pytest

from ocr.legacy import detect_encoding, is_vietnamese_syllable, read_legacy_text_layer, transcode
from samples.layout import FONT_DIR
from samples.legacy_pdf import DECREE_LINES, encode_legacy, legacy_pdf_bytes

# The 67 lower-case Vietnamese letters outside ASCII, built from Unicode alone (not the tables).
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
LOWER = sorted(
    {unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in _TONES}
    - set("aeiouy")
    | {"đ"}
)
UPPER = [letter.upper() for letter in LOWER]
TCVN3_CODED_CAPITALS = "ĂÂÊÔƠƯĐ"

# Forms worked out by hand from UniKey's vnconv/data.cpp tables; `Xin chào các bạn` comes from the
# duydev/vietnamese-conversion README, `Bảo Thắng`, `Mường Khương`, `Bát Xát` from a public
# TCVN3 converter's examples (ư is the invisible soft hyphen 0xAD).
VNI_PAIRS = {
    "Quyết định": "Quyeát ñònh",
    "Việt Nam": "Vieät Nam",
    "Hạnh phúc": "Haïnh phuùc",
    "Xin chào các bạn": "Xin chaøo caùc baïn",
    "Cộng hòa": "Coäng hoøa",
    "Độc lập": "Ñoäc laäp",
    "Tự do": "Töï do",
    "người": "ngöôøi",
    "bồi dưỡng": "boài döôõng",
    "Nghị định": "Nghò ñònh",
    "Ủy ban": "UÛy ban",
    "thủ tục": "thuû tuïc",
    "Giải quyết kỹ": "Giaûi quyeát kyõ",
}
TCVN3_PAIRS = {
    "Quyết định": "QuyÕt ®Þnh",
    "Việt Nam": "ViÖt Nam",
    "Hạnh phúc": "H¹nh phóc",
    "Bảo Thắng": "B¶o Th¾ng",
    "Mường Khương": "M\xadêng Kh\xad¬ng",
    "Bát Xát": "B¸t X¸t",
    "Cộng hòa": "Céng hßa",
    "Độc lập": "§éc lËp",
    "Tự do": "Tù do",
    "bồi dưỡng": "båi d\xadìng",
    "Nghị định": "NghÞ ®Þnh",
    "thủ tục": "thñ tôc",
    "Căn cứ, Ơn": "C¨n cø, ¥n",
}


def test_letter_list_is_complete():
    assert len(LOWER) == 67 and len(set(LOWER + UPPER)) == 134


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_every_letter_round_trips_through_vni(letter):
    assert transcode(encode_legacy(letter, "vni"), "vni") == letter


def test_vni_letters_side_by_side_are_read_apart():
    text = "".join(LOWER + UPPER)
    assert transcode(encode_legacy(text, "vni"), "vni") == text


@pytest.mark.parametrize("letter", LOWER + list(TCVN3_CODED_CAPITALS))
def test_every_coded_letter_round_trips_through_tcvn3(letter):
    assert transcode(encode_legacy(letter, "tcvn3"), "tcvn3") == letter


@pytest.mark.parametrize("letter", UPPER)
def test_every_capital_round_trips_through_an_uppercase_tcvn3_font(letter):
    assert transcode(encode_legacy(letter, "tcvn3"), "tcvn3", uppercase=True) == letter


def test_tcvn3_letters_side_by_side_are_read_apart():
    text = "".join(LOWER)
    assert transcode(encode_legacy(text, "tcvn3"), "tcvn3") == text


@pytest.mark.parametrize("unicode, legacy", VNI_PAIRS.items())
def test_known_vni_forms(unicode, legacy):
    assert transcode(legacy, "vni") == unicode
    assert encode_legacy(unicode, "vni") == legacy


@pytest.mark.parametrize("unicode, legacy", TCVN3_PAIRS.items())
def test_known_tcvn3_forms(unicode, legacy):
    assert transcode(legacy, "tcvn3") == unicode
    assert encode_legacy(unicode, "tcvn3") == legacy


def test_uppercase_tcvn3_font_reads_lower_case_codes_as_capitals():
    assert transcode("QUYÕT §ÞNH", "tcvn3", uppercase=True) == "QUYẾT ĐỊNH"


def test_tcvn3_u_horn_read_as_hyphen_is_restored_only_inside_words():
    # MuPDF names TCVN3 0xAD (ư) `hyphen` in WinAnsi fonts and returns "-".
    legacy = "ng-êi ®-îc ®-¬ng th- -u Q§-UBND ki-l«-mÐt 05-01-2020 §éc lËp - Tù do"
    unicode = "người được đương thư ưu QĐ-UBND ki-lô-mét 05-01-2020 Độc lập - Tự do"
    assert transcode(legacy, "tcvn3") == unicode


@pytest.mark.parametrize(
    "word", ["người", "QUYẾT", "khuya", "nghiêng", "quốc", "giữ", "gìn", "huỳnh", "ưu", "oách"]
)
def test_vietnamese_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["Quyeát", "ñònh", "QuyÕt", "ngöôøi", "cat", "kan", "ghô", "ăa", "tiê", "ôch", "UBND"]
)
def test_not_vietnamese_syllables(word):
    assert not is_vietnamese_syllable(word)


def _page(data: bytes) -> pymupdf.Page:
    return pymupdf.open("pdf", data)[0]


def _unicode_pdf(lines: list[str], font_name: str = "LiberationSerif") -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    fontfile = str(FONT_DIR / "LiberationSerif-Regular.ttf")
    for number, line in enumerate(lines):
        page.insert_text((50, 60 + 20 * number), line, fontname="F0", fontfile=fontfile, fontsize=12)
    xref = page.get_fonts()[0][0]
    doc.xref_set_key(xref, "BaseFont", f"/{font_name}")
    return doc.tobytes()


def _with_neutral_font_names(data: bytes) -> bytes:
    """The PDF with its fonts renamed TT0, TT1, …, as some PDF printers do."""
    doc = pymupdf.open("pdf", data)
    for number, font in enumerate(doc[0].get_fonts()):
        doc.xref_set_key(font[0], "BaseFont", f"/TT{number}")
    return doc.tobytes()


@pytest.fixture(scope="module", params=["vni", "tcvn3"])
def legacy_pdf(request):
    return request.param, legacy_pdf_bytes(DECREE_LINES, request.param)


def test_generated_pdf_carries_legacy_font_names(legacy_pdf):
    encoding, data = legacy_pdf
    names = {font[3].split("+")[-1] for font in _page(data).get_fonts()}
    assert names == ({"VNI-Times"} if encoding == "vni" else {".VnTime", ".VnTimeH"})


def test_detects_encoding_from_font_names(legacy_pdf):
    encoding, data = legacy_pdf
    assert detect_encoding(_page(data)) == encoding


def test_detects_encoding_from_text_when_font_names_say_nothing(legacy_pdf):
    encoding, data = legacy_pdf
    assert detect_encoding(_page(_with_neutral_font_names(data))) == encoding


def test_reads_legacy_text_layer_exactly(legacy_pdf):
    encoding, data = legacy_pdf
    lines = read_legacy_text_layer(_page(data), encoding)
    assert [line.text for line in lines] == DECREE_LINES
    for word in (word for line in lines for word in line.words):
        x0, y0, x1, y1 = word.bbox
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 and word.confidence == 1.0


def test_keeps_spans_in_unicode_fonts_as_they_are(legacy_pdf):
    encoding, data = legacy_pdf
    doc = pymupdf.open("pdf", data)
    fontfile = str(FONT_DIR / "LiberationSerif-Regular.ttf")
    # ô, ñ, ó mean other letters in both legacy encodings
    doc[0].insert_text((85, 780), "Tổ công tác số 2 – Mã: ñó", fontname="Arial", fontfile=fontfile)
    lines = read_legacy_text_layer(_page(doc.tobytes()), encoding)
    assert [line.text for line in lines] == DECREE_LINES + ["Tổ công tác số 2 – Mã: ñó"]


def test_unicode_text_layer_is_not_taken_for_legacy():
    assert detect_encoding(_page(_unicode_pdf(DECREE_LINES))) is None


def test_unicode_text_layer_under_a_legacy_font_name_is_not_taken_for_legacy():
    assert detect_encoding(_page(_unicode_pdf(DECREE_LINES, font_name="VNI-Times"))) is None
    assert detect_encoding(_page(_unicode_pdf(DECREE_LINES, font_name="ABCDEF+.VnTime"))) is None


def test_english_text_is_not_taken_for_legacy():
    lines = ["Decision on administrative procedures", "issued by the People's Committee"]
    assert detect_encoding(_page(_unicode_pdf(lines))) is None
