"""An appendix page after the document: a ruled table of administrative procedures.

Real decisions that publish procedures end with "Phụ lục ... (Kèm theo Quyết định số ...)" and a
ruled table: STT, the procedure's national code (`1.004227`), its name, the fee and the legal
basis, cells wrapping over several lines. The page text (the truth) reads the table row by row,
each cell whole, left to right, as a person reads it.

Filed alone (`appendix_alone`), the page is a document of its own (`phu_luc`): its truth is the
parent's number and day, which the drafter often leaves blank for the clerk (`số      /QĐ-UBND ngày
/02/2025`, as on real appendices); then nothing is printed to read.
"""

from __future__ import annotations

import random

from samples.layout import (BOTTOM, CENTRE, LEFT, MM, RIGHT, TOP, Line, PageLayout, Rule, Run, VerticalRule,
                            centred, text_width, wrap)
from samples.specs import DocumentSpec

# Real procedure names of the national procedure database, with fees and legal bases as printed.
PROCEDURES = (
    "Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "Cấp Giấy phép khai thác khoáng sản nhóm IV",
    "Đăng ký thành lập hộ kinh doanh",
    "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
    "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Cấp bản sao trích lục hộ tịch",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Xác nhận tình trạng hôn nhân",
    "Thủ tục tuyển sinh vào lớp 10 trung học phổ thông",
)
FEES = (
    "Không",
    "50.000 đồng/lần",
    "100.000 đồng/hồ sơ",
    "Miễn lệ phí",
    "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
    "2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang",
    "15.000.000 đồng/giấy phép",
)
LEGAL_BASES = (
    "Luật Đất đai số 31/2024/QH15 ngày 18/01/2024",
    "Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ",
    "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP",
    "Nghị định số 01/2021/NĐ-CP ngày 04/01/2021 của Chính phủ",
    "Luật Xây dựng số 50/2014/QH13; Nghị định số 15/2021/NĐ-CP",
    "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015; Thông tư số 01/2020/TT-BTP",
    "Thông tư số 10/2024/TT-BTC ngày 05/02/2024 của Bộ trưởng Bộ Tài chính",
)
# Column widths (mm) over the 165 mm text width, and whether the cell is centred.
COLUMNS = (("STT", 12, True), ("Mã thủ tục", 24, True), ("Tên thủ tục hành chính", 54, False),
           ("Phí, lệ phí", 32, False), ("Căn cứ pháp lý", 43, False))
SIZE = 12.0
PITCH = SIZE * 1.25
PADDING = 2 * MM


def procedure_code(rng: random.Random) -> str:
    """A national procedure code as the database prints it: `1.004227`, `2.000889`, `3.000182`."""
    return f"{rng.choice('123')}.{rng.randrange(0, 13000):06d}"


def parent_reference(spec: DocumentSpec, blanks: bool) -> str:
    """`số 15/QĐ-UBND ngày 05/02/2025`, or with the number and the day left blank."""
    number = "".join(spec.number.split())
    if blanks:
        return f"số /{number.split('/', 1)[1]} ngày /{spec.issue_date:%m/%Y}"
    return f"số {number} ngày {spec.issue_date:%d/%m/%Y}"


def parent_fields(spec: DocumentSpec, blanks: bool) -> dict[str, str]:
    """The truth of an appendix filed alone: its parent's number and day, where printed."""
    if blanks:
        return {}
    return {"parent_document_number": "".join(spec.number.split()), "parent_issue_date": spec.issue_date.isoformat()}


def appendix_page(spec: DocumentSpec, rng: random.Random, blanks: bool = False) -> PageLayout:
    """One A4 page: the appendix title, the parent document, and a ruled table of 3-6 procedures."""
    page = PageLayout()
    kind = spec.title[0].capitalize() if spec.title else "Văn bản"
    y = TOP + 14
    for text, style, size in (("Phụ lục", "bold", 13),
                              ("DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC CÔNG BỐ", "bold", 13),
                              (f"(Kèm theo {kind} {parent_reference(spec, blanks)}", "italic", 13),
                              (f"của {spec.issuer.name})", "italic", 13)):
        for words in wrap([(word, style) for word in text.split()], RIGHT - LEFT, size):
            page.lines.append(centred(" ".join(word for word, _ in words), CENTRE, y, style, size))
            y += size * 1.3
    top = y + 8
    rows = [[(name, "bold") for name, _, _ in COLUMNS]]
    for index, name in enumerate(rng.sample(PROCEDURES, rng.randint(3, 6)), 1):
        cells = (str(index), procedure_code(rng), name, rng.choice(FEES), rng.choice(LEGAL_BASES))
        rows.append([(text, "regular") for text in cells])
    edges = [LEFT]
    for _, width, _ in COLUMNS:
        edges.append(edges[-1] + width * MM)
    page.rules.append(Rule(LEFT, RIGHT, top))
    for cells in rows:
        placed = [_cell_lines(text, style, edges[i], edges[i + 1], COLUMNS[i][2] or style == "bold")
                  for i, (text, style) in enumerate(cells)]
        height = max(len(lines) for lines in placed) * PITCH + 2 * PADDING
        if top + height > BOTTOM:  # the page is full: the table ends with the rows that fit
            break
        for lines in placed:
            for number_of_line, (text, x, style) in enumerate(lines):
                baseline = top + PADDING + SIZE + number_of_line * PITCH
                page.lines.append(Line([Run(text, x, baseline, style, SIZE)]))
        top += height
        page.rules.append(Rule(LEFT, RIGHT, top))
    first = page.rules[0].y
    page.vertical_rules = [VerticalRule(x, first, top) for x in edges]
    return page


def _cell_lines(text: str, style: str, x0: float, x1: float, centre: bool) -> list[tuple[str, float, str]]:
    """The cell's text wrapped to its width: (line, x, style) per printed line."""
    width = x1 - x0 - 2 * PADDING
    lines = []
    for words in wrap([(word, style) for word in text.split()], width, SIZE):
        line = " ".join(word for word, _ in words)
        x = (x0 + x1 - text_width(line, style, SIZE)) / 2 if centre else x0 + PADDING
        lines.append((line, x, style))
    return lines
