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
