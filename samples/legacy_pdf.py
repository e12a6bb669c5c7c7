"""Born-digital PDFs whose text layer is in a legacy Vietnamese font encoding (VNI or TCVN3).

A Word document typed in VNI-Times or .VnTime exports to a PDF that embeds the legacy font and
stores its 8-bit codes: the page prints right, the text layer reads `Quyeát ñònh` (VNI) or
`QuyÕt ®Þnh` (TCVN3). Here Liberation Serif stands in for the legacy font under the legacy name,
so the glyphs show the Latin-1 garbage one sees when the font is missing, while the text layer
and the font names are those of such an export.
"""

from __future__ import annotations

import unicodedata

import pymupdf

from ocr.legacy import UNICODE_TO_LEGACY, LegacyEncoding
from samples.layout import FONT_DIR, LEFT, PAGE_HEIGHT, PAGE_WIDTH, RIGHT, STYLES, TOP, text_width

# A Decree 30 decision, one printed line per item; rich in marks (ường, ưỡng, ưu, Đ/đ, Ủ).
DECREE_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH VĨNH PHÚC",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/QĐ-UBND",
    "Vĩnh Phúc, ngày 05 tháng 01 năm 2020",
    "QUYẾT ĐỊNH",
    "Về việc giải quyết thủ tục hành chính trên môi trường mạng",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của",
    "Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông;",
    "Xét đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh,",
    "QUYẾT ĐỊNH:",
    "Điều 1. Giải quyết thủ tục hành chính cho người dân đúng hạn, ưu",
    "tiên hồ sơ của người cao tuổi; bồi dưỡng, tập huấn cán bộ một cửa.",
    "Điều 2. Trường hợp hồ sơ chưa đủ, bộ phận một cửa hướng dẫn một",
    "lần bằng văn bản; nghiêm cấm đòi thêm giấy tờ, giữ gìn kỷ cương.",
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Những sửa đổi",
    "về mẫu đơn phải được Sở Tư pháp thẩm định trước khi ban hành./.",
]

FONT_SIZE = 13.0
LINE_PITCH = 1.5 * FONT_SIZE
# Each legacy font name gets its own font file: PyMuPDF shares one font object per file, so two
# names on one file would both carry the first name. Upper-case .VnTimeH sets titles, in bold.
_STYLES: dict[str, str] = {"VNI-Times": "regular", ".VnTime": "regular", ".VnTimeH": "bold"}


def encode_legacy(text: str, encoding: LegacyEncoding) -> str:
    """Unicode -> legacy codes as Latin-1 characters, the inverse of `ocr.legacy.transcode`.

    TCVN3 has no codes for toned capitals: they get the lower-case code, which only an
    upper-case font (.VnTimeH) draws as a capital.
    """
    table = UNICODE_TO_LEGACY[encoding]
    return "".join(table.get(c) or table.get(c.lower(), c) for c in unicodedata.normalize("NFC", text))


def legacy_pdf_bytes(lines: list[str], encoding: LegacyEncoding) -> bytes:
    """A one-page A4 PDF with `lines` (Unicode) drawn top down in a legacy-encoded font."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
    for number, line in enumerate(lines):
        _draw_line(page, _font_runs(line, encoding), encoding, TOP + FONT_SIZE + number * LINE_PITCH)
    for xref, _, _, _, font_name, _ in page.get_fonts():
        _rename_font(doc, xref, font_name)
    doc.subset_fonts()  # as exports embed subsets: the base font becomes `ABCDEF+.VnTime`
    return doc.tobytes(garbage=4, deflate=True, no_new_id=True)


def _font_runs(line: str, encoding: LegacyEncoding) -> list[tuple[str, str]]:
    """(legacy font name, Unicode text) pieces of a line, the way a typist would set them."""
    if encoding == "vni":
        return [("VNI-Times", line)]
    if line == line.upper():  # headers and titles: the whole line in the upper-case font
        return [(".VnTimeH", line)]
    runs: list[tuple[str, str]] = []
    for char in line:
        font = ".VnTimeH" if _needs_uppercase_font(char) else ".VnTime"
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _needs_uppercase_font(char: str) -> bool:
    """A TCVN3 capital without a code of its own (Ủ, Ế): only .VnTimeH can print it."""
    table = UNICODE_TO_LEGACY["tcvn3"]
    return char.isupper() and char not in table and char.lower() in table


def _draw_line(
    page: pymupdf.Page, runs: list[tuple[str, str]], encoding: LegacyEncoding, baseline: float
) -> None:
    x = LEFT
    for font_name, text in runs:
        legacy = encode_legacy(text, encoding)
        style = _STYLES[font_name]
        page.insert_text(
            (x, baseline),
            legacy,
            fontname=font_name,
            fontfile=str(FONT_DIR / STYLES[style]),
            fontsize=FONT_SIZE,
        )
        x += text_width(legacy, style, FONT_SIZE)
    if x > RIGHT:  # MuPDF would clip the overflow out of the text layer
        raise ValueError(f"line too long for the page: {runs}")


def _rename_font(doc: pymupdf.Document, xref: int, name: str) -> None:
    """Give an inserted Type0 font the legacy name in every place a reader looks for it."""
    doc.xref_set_key(xref, "BaseFont", f"/{name}")
    descendant = int(doc.xref_get_key(xref, "DescendantFonts")[1].strip("[]").split()[0])
    doc.xref_set_key(descendant, "BaseFont", f"/{name}")
    descriptor = int(doc.xref_get_key(descendant, "FontDescriptor")[1].split()[0])
    doc.xref_set_key(descriptor, "FontName", f"/{name}")
