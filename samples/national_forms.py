"""Personal results on their national forms, not on the Decree 30 frame (condition `national_form`).

The birth certificate (Giấy khai sinh) and the birth-registration extract (Trích lục khai sinh) of the
civil-status forms (Thông tư 04/2020/TT-BTP), the land-use-right certificate of Thông tư 23/2014/TT-BTNMT
(four pages: holder; parcel and house with the signature and `Số vào sổ cấp GCN`; plan with a table of
coordinates; later changes) and the household business certificate (Thông tư 01/2021/TT-BKHĐT). The
labels, their order and where the title, number, serial and signature stand follow the published forms;
the values are invented. Each page is printed on security paper (samples/security_print.py).
The truth keeps only what the form prints: a birth certificate has no place-and-date line, the land
title's number is its register entry, the household business certificate's is its code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from samples import content, specs
from samples.layout import (CENTRE, MM, MOTTO, SIGNATURE_CENTRE, SLOGAN, Line, PageLayout, Rule, Run, Seal,
                            VerticalRule, centred, place_words, scribble, text_width, words_of, wrap)
from samples.security_print import PALE_BLUE, PALE_PINK, SecurityPrint
from samples.specs import DocumentSpec, Paragraph, build_spec, labelled, long_date, short_date

LEFT, RIGHT = 24 * MM, 188 * MM  # inside the printed frame
TOP = 22 * MM
ISSUER_CENTRE, MOTTO_CENTRE = 62 * MM, 145 * MM  # the two header columns of a form
PITCH = 19.0
FORM_TYPES = ("giay_khai_sinh", "trich_luc_khai_sinh", "giay_chung_nhan_qsdd", "giay_chung_nhan_hkd")

_UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def number_words(n: int) -> str:
    """Vietnamese words for 0..2999, as a birth date is written out (`hai nghìn không trăm hai mươi`)."""
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return "mười" + ("" if n == 10 else " lăm" if n == 15 else f" {_UNITS[n % 10]}")
    if n < 100:
        tens, unit = divmod(n, 10)
        tail = "" if unit == 0 else " mốt" if unit == 1 else " lăm" if unit == 5 else f" {_UNITS[unit]}"
        return f"{_UNITS[tens]} mươi{tail}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else f" lẻ {_UNITS[rest]}" if rest < 10 else f" {number_words(rest)}"
        return f"{_UNITS[hundreds]} trăm{tail}"
    thousands, rest = divmod(n, 1000)
    tail = "" if rest == 0 else f" không trăm {number_words(rest)}" if rest < 100 else f" {number_words(rest)}"
    return f"{_UNITS[thousands]} nghìn{tail}"


def date_in_words(day: date) -> str:
    month = "tư" if day.month == 4 else number_words(day.month)
    return f"Ngày {number_words(day.day)}, tháng {month}, năm {number_words(day.year)}"


@dataclass
class Cursor:
    page: PageLayout
    y: float

    def line(self, runs: list[Run], pitch: float = PITCH) -> float:
        baseline = self.y + runs[0].size
        self.page.lines.append(Line([Run(r.text, r.x, baseline, r.style, r.size) for r in runs]))
        self.y += pitch
        return baseline

    def centred(self, text: str, style: str = "bold", size: float = 13, pitch: float = PITCH) -> float:
        return self.line(centred(text, CENTRE, 0.0, style, size).runs, pitch)

    def paragraph(self, paragraph: Paragraph, size: float = 13) -> None:
        for words in wrap(words_of(paragraph), RIGHT - LEFT, size):
            self.line(place_words(words, LEFT, RIGHT - LEFT, size, justify=False))

    def fields(self, *pairs: tuple[str, str]) -> None:
        """Several labelled values on one printed line (`Giới tính: Nam   Dân tộc: Kinh`), a wide gap between."""
        runs, x = [], LEFT
        for label, value in pairs:
            for word, style in words_of(labelled(label, value)):
                runs.append(Run(word, x, 0.0, "bold" if style == "bold" else "regular", 13))
                x += text_width(word, runs[-1].style, 13) + text_width(" ", "regular", 13)
            x += 14 * MM
        self.line(runs)


def motto(cursor: Cursor, cx: float = CENTRE) -> None:
    cursor.line(centred(MOTTO, cx, 0.0, "bold", 12).runs, 16)
    baseline = cursor.line(centred(SLOGAN, cx, 0.0, "bold", 13).runs, 22)
    half = text_width(SLOGAN, "bold", 13) / 2
    cursor.page.rules.append(Rule(cx - half, cx + half, baseline + 4.5))


def signature(cursor: Cursor, heading: tuple[str, ...], spec: DocumentSpec, rng: random.Random,
              note: str | None = None) -> None:
    """The block at the right: heading lines, the signer's authority and title, the signature, the name."""
    top = cursor.y
    for text in heading:
        cursor.page.lines.append(centred(text, SIGNATURE_CENTRE, cursor.y + 13, "bold", 13))
        cursor.y += 16
    if note:
        cursor.page.lines.append(centred(note, SIGNATURE_CENTRE, cursor.y + 11, "italic", 10))
        cursor.y += 14
    title_baseline = cursor.y + 13
    # A heading that names the body (`TM. ỦY BAN NHÂN DÂN HUYỆN ...`) replaces the bare `TM.` line.
    named = any(text.startswith("TM.") for text in heading)
    authority = [text for text in spec.signing.authority if not (named and text.startswith("TM."))]
    for text in [*authority, spec.signing.title]:
        cursor.page.lines.append(centred(text, SIGNATURE_CENTRE, cursor.y + 13, "bold", 13))
        title_baseline = cursor.y + 13
        cursor.y += 16
    gap = 96.0  # the seal and the signature stay clear of the name, as in samples.layout.closing
    cursor.page.strokes = scribble(rng, SIGNATURE_CENTRE - 20 * MM, title_baseline + 12, 40 * MM, gap - 30)
    seal_text = " ".join(filter(None, [spec.issuer.superior, *spec.issuer.body]))
    cursor.page.seal = Seal(SIGNATURE_CENTRE - 22 * MM, title_baseline + 12 * MM, 15 * MM, seal_text,
                            rng.getrandbits(32))
    cursor.page.lines.append(centred(spec.signer, SIGNATURE_CENTRE, title_baseline + gap, "bold", 14))
    cursor.y = max(cursor.y, top) + gap + 10


def place_and_date(cursor: Cursor, spec: DocumentSpec) -> None:
    """The italic place-and-date line over the signature block."""
    place_date = f"{spec.issuer.place}, {long_date(spec.issue_date)}"
    cursor.page.lines.append(centred(place_date, SIGNATURE_CENTRE, cursor.y + 13, "italic", 13))
    cursor.y += 18


def issuer_header(page: PageLayout, spec: DocumentSpec) -> int:
    """The issuing body's lines in the top left column; returns how many."""
    lines = [*filter(None, [spec.issuer.superior]), *spec.issuer.body]
    for index, text in enumerate(lines):
        page.lines.append(centred(text, ISSUER_CENTRE, TOP + 12 + 15 * index, "bold", 12))
    return len(lines)


def new_page(colour: tuple[int, int, int], rng: random.Random) -> Cursor:
    return Cursor(PageLayout(security=SecurityPrint(colour, rng.getrandbits(32))), TOP)


# ---- civil status ----------------------------------------------------------------------------------

def _birth_body(cursor: Cursor, spec: DocumentSpec) -> None:
    """The child's and the parents' lines, with the birth date also written out and the declarant."""
    for paragraph in spec.body:
        label = paragraph.segments[0][0]
        value = " ".join(text for text, _ in paragraph.segments[1:])
        if label.startswith("Ngày, tháng, năm sinh"):
            cursor.fields((label, value))
            born = date.fromisoformat("-".join(reversed(value.split("/"))))
            cursor.fields(("ghi bằng chữ: ", date_in_words(born)))
        elif "; " in value:  # `Nam; Dân tộc: Kinh; Quốc tịch: Việt Nam`: one line, three boxes
            first, *rest = value.split("; ")
            cursor.fields((label, first), *((f"{name}: ", value) for name, value in (part.split(": ", 1) for part in rest)))
        else:
            cursor.paragraph(paragraph)


def birth_certificate(rng: random.Random) -> tuple[list[PageLayout], dict[str, Any]]:
    spec = build_spec(rng, "giay_khai_sinh")
    cursor = new_page(PALE_BLUE, rng)
    # `Số:` and `Quyển số:` in the top left corner, beside the national emblem and the motto.
    cursor.page.lines.append(Line([Run(f"Số: {spec.number}", LEFT, TOP + 12, "regular", 12)]))
    cursor.page.lines.append(Line([Run(spec.header_extra[0], LEFT, TOP + 28, "regular", 12)]))
    cursor.y = TOP + 40
    motto(cursor)
    cursor.y += 8
    cursor.centred("GIẤY KHAI SINH", size=18, pitch=34)
    _birth_body(cursor, spec)
    father = spec.body[9].segments[1][0]
    cursor.fields(("Họ, chữ đệm, tên người đi khai sinh: ", father))
    where = spec.body[4].segments[1][0]
    cursor.paragraph(labelled("Nơi đăng ký khai sinh: ", f"Ủy ban nhân dân {where}"))
    cursor.fields(("Ngày, tháng, năm đăng ký: ", short_date(spec.issue_date)))
    cursor.y += 6
    signature(cursor, ("NGƯỜI KÝ GIẤY KHAI SINH",), spec, rng,
              "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)")
    fields = {k: v for k, v in spec.fields.items() if k != "issue_place"}  # no place-and-date line
    return [cursor.page], fields


def birth_extract(rng: random.Random) -> tuple[list[PageLayout], dict[str, Any]]:
    spec = build_spec(rng, "trich_luc_khai_sinh")
    cursor = new_page(PALE_BLUE, rng)
    lines = issuer_header(cursor.page, spec)
    cursor.page.lines.append(centred(f"Số: {spec.number}", ISSUER_CENTRE, TOP + 20 + 15 * lines, "regular", 12))
    motto(Cursor(cursor.page, TOP), MOTTO_CENTRE)
    cursor.y = TOP + 40 + 15 * lines
    cursor.centred("TRÍCH LỤC KHAI SINH", size=16, pitch=22)
    cursor.centred("(BẢN SAO)", style="bold", size=13, pitch=26)
    _birth_body(cursor, spec)
    cursor.fields(("Ghi chú: ", "Không"))
    cursor.paragraph(Paragraph((("Sao từ Sổ đăng ký khai sinh", "italic"),), "left", 0.0))
    cursor.y += 4
    place_and_date(cursor, spec)
    signature(cursor, ("NGƯỜI KÝ TRÍCH LỤC",), spec, rng, "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)")
    return [cursor.page], spec.fields


# ---- land-use-right certificate (Thông tư 23/2014/TT-BTNMT) -----------------------------------------

GCN_TITLE = ("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT", "QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT")


def _value(spec: DocumentSpec, label: str) -> str:
    for paragraph in spec.body:
        if paragraph.segments[0][0].startswith(label):
            return paragraph.segments[1][0]
    raise KeyError(label)


def _table(page: PageLayout, top: float, columns: list[float], rows: list[list[str]], size: float = 11) -> float:
    """A ruled table from x positions of its column lines; returns its bottom."""
    pitch = size * 1.9
    for index, row in enumerate(rows):
        baseline = top + pitch * index + pitch * 0.7
        for x0, x1, text in zip(columns, columns[1:], row):
            if text:
                page.lines.append(centred(text, (x0 + x1) / 2, baseline, "bold" if index == 0 else "regular", size))
    bottom = top + pitch * len(rows)
    for index in range(len(rows) + 1):
        page.rules.append(Rule(columns[0], columns[-1], top + pitch * index))
    page.vertical_rules.extend(VerticalRule(x, top, bottom) for x in columns)
    return bottom


def land_title(rng: random.Random) -> tuple[list[PageLayout], dict[str, Any]]:
    spec = build_spec(rng, "giay_chung_nhan_qsdd")
    owner_line = next(p for p in spec.body if p.segments[0][0].startswith(("Ông", "Bà")))
    fields = dict(spec.fields)
    fields.pop("procedure_code", None)  # not on the form
    serial = fields["land_serial"]
    # Page 1: the holder.
    first = new_page(PALE_PINK, rng)
    motto(first)
    first.y += 10
    for index, text in enumerate(GCN_TITLE):
        first.centred(text, size=17 if index < 2 else 13, pitch=24)
    first.y += 14
    first.paragraph(Paragraph((("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất", "bold"),),
                              "left", 0.0))
    first.paragraph(owner_line)
    first.fields(("Năm sinh: ", _value(spec, "Năm sinh")), ("CCCD số: ", _value(spec, "Số định danh")))
    first.paragraph(labelled("Địa chỉ thường trú: ", _value(spec, "Địa chỉ thường trú")))
    first.page.lines.append(centred(serial, 160 * MM, 262 * MM, "bold", 15))  # the form's own serial, unlabelled
    # Page 2: parcel, house, the signature and the register entry.
    second = new_page(PALE_PINK, rng)
    second.paragraph(Paragraph((("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", "bold"),), "left", 0.0))
    second.paragraph(Paragraph((("1. Thửa đất:", "bold"),), "left", 0.0))
    parcel, sheet = fields["land_parcel"], fields["map_sheet"]
    area = _value(spec, "d) Diện tích")
    for label, value in (("a) Thửa đất số: ", f"{parcel}, tờ bản đồ số: {sheet};"),
                         ("b) Địa chỉ: ", _value(spec, "c) Địa chỉ thửa đất") + ";"),
                         ("c) Diện tích: ", f"{area}, (bằng chữ: {number_words(int(area.split()[0].split(',')[0]))} mét vuông);"),
                         ("d) Hình thức sử dụng: ", _value(spec, "đ) Hình thức") + ";"),
                         ("đ) Mục đích sử dụng: ", _value(spec, "e) Mục đích") + ";"),
                         ("e) Thời hạn sử dụng: ", _value(spec, "g) Thời hạn")),
                         ("g) Nguồn gốc sử dụng: ", "Nhà nước giao đất có thu tiền sử dụng đất;"),
                         ("2. Nhà ở: ", "-/-"), ("3. Công trình xây dựng khác: ", "-/-"),
                         ("4. Rừng sản xuất là rừng trồng: ", "-/-"), ("5. Cây lâu năm: ", "-/-"),
                         ("6. Ghi chú: ", "-/-")):
        second.paragraph(labelled(label, value))
    second.y += 10
    place_and_date(second, spec)
    heading = (f"TM. {spec.issuer.head}",) if spec.issuer.level == "district" else \
        (*spec.issuer.body, f"TỈNH {content.PROVINCE.upper()}")
    entry = f"{'CH' if spec.issuer.level == 'district' else 'CS'} {rng.randint(1, 9999):05d}"
    # Bottom left of page 2, under the signature's level.
    second.page.lines.append(Line([Run(f"Số vào sổ cấp GCN: {entry}", LEFT, 262 * MM, "regular", 12)]))
    signature(second, heading, spec, rng)
    fields["document_number"] = entry.replace(" ", "")
    # Page 3: the plan and its coordinates. Page 4: later changes.
    third = new_page(PALE_PINK, rng)
    third.paragraph(Paragraph((("III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất", "bold"),), "left", 0.0))
    x0, y0, w, h = 60 * MM, third.y + 20, rng.uniform(50, 80) * MM, rng.uniform(40, 70) * MM
    third.page.rules += [Rule(x0, x0 + w, y0), Rule(x0, x0 + w, y0 + h)]
    third.page.vertical_rules += [VerticalRule(x0, y0, y0 + h), VerticalRule(x0 + w, y0, y0 + h)]
    for number, (x, y) in enumerate(((x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)), 1):
        third.page.lines.append(Line([Run(str(number), x - 8 if x == x0 else x + 3, y - 3, "regular", 10)]))
    north, east = rng.randint(2_340_000, 2_370_000), rng.randint(540_000, 580_000)
    rows = [["Số hiệu điểm", "X (m)", "Y (m)"]] + [
        [str(n), f"{north + dy:.2f}".replace(".", ","), f"{east + dx:.2f}".replace(".", ",")]
        for n, (dy, dx) in enumerate(((0, 0), (0, w / MM / 1.0), (-h / MM, w / MM), (-h / MM, 0)), 1)]
    _table(third.page, y0 + h + 30, [40 * MM, 80 * MM, 125 * MM, 170 * MM], rows)
    fourth = new_page(PALE_PINK, rng)
    fourth.paragraph(Paragraph((("IV. Những thay đổi sau khi cấp Giấy chứng nhận", "bold"),), "left", 0.0))
    bottom = _table(fourth.page, fourth.y + 6, [LEFT, 125 * MM, RIGHT],
                    [["Nội dung thay đổi và cơ sở pháp lý", "Xác nhận của cơ quan có thẩm quyền"],
                     ["", ""], ["", ""], ["", ""], ["", ""]])
    fourth.y = bottom + 16
    fourth.paragraph(Paragraph((("Người được cấp Giấy chứng nhận không được sửa chữa, tẩy xóa hoặc bổ sung bất kỳ "
                                 "nội dung nào trong Giấy chứng nhận; khi bị mất hoặc hư hỏng Giấy chứng nhận phải "
                                 "khai báo ngay với cơ quan cấp Giấy.", "italic"),), "left", 0.0), size=12)
    return [first.page, second.page, third.page, fourth.page], fields


# ---- household business certificate (Thông tư 01/2021/TT-BKHĐT) -------------------------------------

def household_business(rng: random.Random) -> tuple[list[PageLayout], dict[str, Any]]:
    spec = specs.household_business(rng, form_dates=True)
    cursor = new_page(PALE_BLUE, rng)
    lines = issuer_header(cursor.page, spec)
    motto(Cursor(cursor.page, TOP), MOTTO_CENTRE)
    cursor.y = TOP + 30 + 15 * lines
    cursor.centred("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", size=15, pitch=28)
    code = _value(spec, "Mã số hộ kinh doanh")
    cursor.fields(("Mã số hộ kinh doanh: ", code))
    cursor.fields(("Đăng ký lần đầu, ", _value(spec, "Đăng ký lần đầu")))
    changed = [p for p in spec.body if p.segments[0][0].startswith("Đăng ký thay đổi")]
    if changed:
        cursor.fields(("Đăng ký thay đổi lần thứ 1, ", changed[0].segments[1][0]))
    for label, value in (("1. Tên hộ kinh doanh (ghi bằng chữ in hoa): ", _value(spec, "1. Tên hộ kinh doanh")),
                         ("2. Địa chỉ trụ sở hộ kinh doanh: ", _value(spec, "2. Địa điểm kinh doanh")),
                         ("Điện thoại: ", _value(spec, "Điện thoại")),
                         ("3. Ngành, nghề kinh doanh: ", _value(spec, "3. Ngành, nghề")),
                         ("4. Vốn kinh doanh: ", _value(spec, "4. Vốn kinh doanh")),
                         ("5. Thông tin về chủ hộ kinh doanh:", "")):
        cursor.paragraph(labelled(label, value))
    cursor.fields(("Họ và tên: ", _value(spec, "Họ và tên")), ("Giới tính: ", _value(spec, "Giới tính")))
    cursor.fields(("Sinh ngày: ", _value(spec, "Sinh ngày")), ("Dân tộc: ", "Kinh"), ("Quốc tịch: ", "Việt Nam"))
    cursor.paragraph(labelled("Loại giấy tờ pháp lý của cá nhân: ", "Căn cước công dân"))
    cursor.paragraph(labelled("Số giấy tờ pháp lý của cá nhân: ", _value(spec, "Số định danh cá nhân")))
    cursor.paragraph(labelled("Địa chỉ thường trú: ", _value(spec, "Địa chỉ")))
    cursor.y += 10
    signature(cursor, (), spec, rng)
    # `form_dates` left the place-and-date line out, and with it `issue_place`.
    fields = {k: v for k, v in spec.fields.items() if k != "procedure_code"}
    fields["document_number"] = code  # the certificate is numbered by the household's code
    return [cursor.page], fields


FORMS = {"giay_khai_sinh": birth_certificate, "trich_luc_khai_sinh": birth_extract,
         "giay_chung_nhan_qsdd": land_title, "giay_chung_nhan_hkd": household_business}


def national_form(rng: random.Random, doc_type: str) -> tuple[list[PageLayout], dict[str, Any]]:
    """The pages of one result on its national form and the truth fields it prints."""
    return FORMS[doc_type](rng)
