"""Legacy Vietnamese font encodings (VNI, TCVN3): tables, detection, reading text layers."""

import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from ocr.legacy import detect_encoding, read_legacy_text_layer, transcode
from ocr.vntext import is_vietnamese_syllable
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

# Forms worked out by hand from UniKey's vnconv/data.cpp tables (the source of sohoa's own tables: these
# check the sample generator's encoder too); `Xin chào các bạn` comes from the
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


def test_vni_letters_side_by_side_are_read_apart():
    text = "".join(LOWER + UPPER)
    assert transcode(encode_legacy(text, "vni"), "vni") == text


def test_tcvn3_letters_side_by_side_are_read_apart():
    text = "".join(LOWER)
    assert transcode(encode_legacy(text, "tcvn3"), "tcvn3") == text


# ---- independent sources: the tables above are sohoa's own, these are not ----

# VNI Windows strings typed by hand from xvnkb's table (lamdao/xvnkb, vni.h, Dao Hai Lam, VISC,
# 2002), an implementation separate from UniKey's: a vowel, then a mark code in the same case
# (sắc Ù/ù 0xD9/0xF9, huyền Ø/ø, hỏi Û/û, ngã Õ/õ, nặng Ï/ï; circumflex Â/â, breve Ê/ê, ă's
# tones É È Ú Ü Ë; ơ Ô/ô, ư Ö/ö; i's tones are single codes Í Ì Æ Ó Ò, ỵ is Î/î, đ is Ñ/ñ).
XVNKB_VNI = {
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM",
    "Độc lập - Tự do - Hạnh phúc": "Ñoäc laäp - Töï do - Haïnh phuùc",
    "ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC": "UÛY BAN NHAÂN DAÂN TÆNH VÓNH PHUÙC",
    "ĐĂNG KÝ KẾT HÔN": "ÑAÊNG KYÙ KEÁT HOÂN",
    "Thửa đất số 12, tờ bản đồ số 5": "Thöûa ñaát soá 12, tôø baûn ñoà soá 5",
    "Sở Tư pháp, Huỳnh Thị Mỵ, kỹ": "Sôû Tö phaùp, Huyønh Thò Mî, kyõ",
    "Nghĩa vụ ƯỚC LƯỢNG": "Nghóa vuï ÖÔÙC LÖÔÏNG",
}


@pytest.mark.parametrize("unicode, legacy", XVNKB_VNI.items())
def test_vni_strings_from_an_independent_table(unicode, legacy):
    assert transcode(legacy, "vni") == unicode


# TCVN3 (TCVN 5712:1993, the .Vn fonts) as bytes, typed from the standard's code points:
# ế 0xD5, đ 0xAE, ị 0xDE, ư 0xAD, ờ 0xEA, Đ 0xA7, ộ 0xE9, ậ 0xCB, ự 0xF9, ạ 0xB9, ú 0xF3.
TCVN3_BYTES = {
    "Quyết định": b"Quy\xd5t \xae\xdenh",
    "người": b"ng\xad\xeai",
    "Độc lập - Tự do - Hạnh phúc": b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c",
}


@pytest.mark.parametrize("unicode, legacy", TCVN3_BYTES.items())
def test_tcvn3_bytes_typed_from_the_standard(unicode, legacy):
    assert transcode(legacy.decode("latin-1"), "tcvn3") == unicode


def glibc_tcvn3(text: str) -> str:
    """`text` encoded by glibc's TCVN5712-1 converter (iconv, in Debian's essential libc-bin).

    TCVN 5712 VN1 adds capitals in 0x01-0x17 and 0x80-0xFF that the .Vn fonts (VN3) lack; every
    letter used here is one of VN3's (lower case and Ă Â Ê Ô Ơ Ư Đ).
    """
    encoded = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                             capture_output=True, check=True).stdout
    return encoded.decode("latin-1")


@pytest.mark.parametrize("letter", LOWER + list(TCVN3_CODED_CAPITALS))
def test_every_tcvn3_letter_agrees_with_glibc(letter):
    legacy = glibc_tcvn3(letter)
    assert len(legacy) == 1 and legacy >= "\xa1"  # one VN3 code, not a base letter and a mark
    assert transcode(legacy, "tcvn3") == letter


@pytest.mark.parametrize("letter", UPPER)
def test_every_capital_in_an_uppercase_tcvn3_font_agrees_with_glibc(letter):
    assert transcode(glibc_tcvn3(letter.lower()), "tcvn3", uppercase=True) == letter


# Lines whose capitals all have TCVN3 codes (others need the .VnTimeH font).
GLIBC_LINES = [
    "Độc lập - Tự do - Hạnh phúc",
    "Căn cứ Nghị định số 61/2018/NĐ-CP của Chính phủ về thực hiện cơ chế một cửa;",
    "người dân được hướng dẫn một lần, giữ gìn kỷ cương, ưu tiên người cao tuổi.",
]


@pytest.mark.parametrize("font_name", [".VnTime", "TT0"])
def test_a_tcvn3_text_layer_encoded_by_glibc_is_read_exactly(font_name):
    data = _unicode_pdf([glibc_tcvn3(line) for line in GLIBC_LINES])
    page = _page(_with_font_named(data, font_name))
    assert detect_encoding(page) == "tcvn3"
    assert [line.text for line in read_legacy_text_layer(page, "tcvn3")] == GLIBC_LINES


def _with_font_named(data: bytes, name: str) -> bytes:
    """The one-font PDF with its font called `name`."""
    doc = pymupdf.open("pdf", data)
    name_font(doc, doc[0].get_fonts()[0][0], name)
    return doc.tobytes()


def name_font(doc: pymupdf.Document, font: int, name: str) -> None:
    """The font `font` (an xref) called `name` wherever a reader looks (spans read the descriptor)."""
    fonts = [font]
    kind, descendants = doc.xref_get_key(font, "DescendantFonts")
    if kind == "array":  # a Type0 font draws with its CID font
        fonts.append(int(descendants.strip("[]").split()[0]))
    for xref in fonts:
        doc.xref_set_key(xref, "BaseFont", f"/{name}")
        kind, descriptor = doc.xref_get_key(xref, "FontDescriptor")
        if kind == "xref":
            doc.xref_set_key(int(descriptor.split()[0]), "FontName", f"/{name}")


# The Official Gazette pages of Law 54/2014/QH13 (shared/realdocs, not in this repository) set
# spaces in .VnCenturySchoolbook beside Unicode Times New Roman: their text is not legacy.
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "files"


def test_a_real_unicode_page_beside_a_tcvn3_font_name_is_not_transcoded():
    with pymupdf.open(REALDOCS / "New_54.2014.QH13.pdf") as doc:
        assert any(".VnCenturySchoolbook" in font[3] for font in doc[0].get_fonts())
        assert [detect_encoding(page) for page in doc] == [None, None, None]


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
