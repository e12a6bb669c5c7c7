"""Reading order: the Decree 30 header and signature blocks are read column by column."""

from __future__ import annotations

from ocr.reading_order import order_lines, split_at_gaps
from ocr.types import Line, Word


def _line(*pieces: tuple[str, float, float], top: float, block: int = 1) -> Line:
    """A printed row made of (text, x0, x1) pieces; words spread evenly inside each piece."""
    words = []
    for text, x0, x1 in pieces:
        tokens = text.split()
        step = (x1 - x0) / len(tokens)
        for i, token in enumerate(tokens):
            words.append(Word(text=token, confidence=0.9, bbox=(x0 + i * step, top, x0 + (i + 0.9) * step, top + 0.012)))
    return Line.from_words(words, block)


HEADER = [
    _line(("UBND TỈNH VĨNH PHÚC", 0.10, 0.36), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.44, 0.93), top=0.05),
    _line(("SỞ TƯ PHÁP", 0.15, 0.30), ("Độc lập - Tự do - Hạnh phúc", 0.52, 0.85), top=0.07),
    _line(("Số: 12/STP-HCTP", 0.12, 0.34), top=0.10),
    _line(("Vĩnh Phúc, ngày 05 tháng 01 năm 2022", 0.50, 0.90), top=0.105),
    _line(("QUYẾT ĐỊNH", 0.42, 0.58), top=0.16),
    _line(("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 0.10, 0.90), top=0.20),
]


def test_header_is_read_left_column_first():
    texts = [line.text for line in order_lines(HEADER)]
    assert texts == [
        "UBND TỈNH VĨNH PHÚC",
        "SỞ TƯ PHÁP",
        "Số: 12/STP-HCTP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Phúc, ngày 05 tháng 01 năm 2022",
        "QUYẾT ĐỊNH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    ]


def test_signature_block_after_recipients():
    lines = [
        _line(("Nơi nhận:", 0.08, 0.20), ("KT. CHỦ TỊCH", 0.60, 0.80), top=0.70),
        _line(("- Như Điều 3;", 0.08, 0.22), ("PHÓ CHỦ TỊCH", 0.60, 0.80), top=0.72),
        _line(("- Lưu: VT.", 0.08, 0.20), top=0.74),
        _line(("Vũ Chí Giang", 0.62, 0.78), top=0.82),
    ]
    texts = [line.text for line in order_lines(lines)]
    assert texts == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Chí Giang"]


def test_blocks_change_with_columns():
    blocks = [line.block for line in order_lines(HEADER)]
    assert blocks == [0, 0, 0, 1, 1, 1, 2, 2]


def test_justified_body_line_is_not_split():
    line = _line(("Điều 1. Giao cho hộ ông Nguyễn Văn An sử dụng thửa đất số 125", 0.10, 0.90), top=0.3)
    assert len(split_at_gaps(line)) == 1


def _words(*pieces: tuple[str, float], top: float, height: float = 0.016, gap: float = 0.006) -> list[Word]:
    """Words laid left to right from each piece's start: (text, x0), letters 0.012 of the page wide."""
    words = []
    for text, x0 in pieces:
        for token in text.split():
            x1 = x0 + 0.012 * len(token)
            words.append(Word(text=token, confidence=0.95, bbox=(x0, top, x1, top + height)))
            x0 = x1 + gap
    return words


def test_headings_glued_across_a_narrow_column_gap_are_split() -> None:
    # A scan's header: the left heading ends 3.5% of the page before the motto, under COLUMN_GAP,
    # and Tesseract returned one line across both columns.
    glued = Line.from_words(
        _words(("ỦY BAN NHÂN DÂN", 0.18), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.43), top=0.08), 0
    )
    assert [piece.text for piece in split_at_gaps(glued)] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    lines = [
        glued,
        Line.from_words(_words(("TỈNH LONG AN", 0.20), top=0.10), 1),
        Line.from_words(_words(("Độc lập - Tự do - Hạnh phúc", 0.54), top=0.101), 2),
        Line.from_words(_words(("Số: /QĐ-UBND", 0.20), top=0.14), 3),
    ]
    assert [line.text for line in order_lines(lines)] == [
        "ỦY BAN NHÂN DÂN", "TỈNH LONG AN", "Số: /QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    ]


def test_a_rule_stroke_in_the_gap_does_not_bridge_it() -> None:
    # A 576-pixel photo: the left heading ends at 0.276, the motto starts at 0.31.
    words = _words(("UBND TỈNH KON TUM", 0.09), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.31), top=0.05, height=0.02)
    stroke = Word(text="_", confidence=0.3, bbox=(0.286, 0.046, 0.296, 0.071))
    pieces = split_at_gaps(Line.from_words([*words, stroke], 0))
    assert [piece.text for piece in pieces] == ["UBND TỈNH KON TUM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def test_a_narrow_gap_in_mixed_case_or_between_few_words_is_kept() -> None:
    # The day left blank for a handwritten one, and a short row of a table: not two headings.
    dated = Line.from_words(_words(("Long An, ngày", 0.50), ("tháng 02 năm 2025", 0.68), top=0.14), 0)
    assert len(split_at_gaps(dated)) == 1
    short = Line.from_words(_words(("STT", 0.30), ("TÊN", 0.38), top=0.3), 0)
    assert len(split_at_gaps(short)) == 1
