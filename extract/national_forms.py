"""Personal results on their national forms: the type from the title, form labels or serial, and the
fields those forms print where the Decree 30 rules do not look.

A birth certificate, a birth-registration extract, a land-use-right certificate and a household
business certificate are printed on forms of their own (samples/national_forms.py): the motto
centred at the top, the title under it, often on security paper that OCR reads as noise, often
photographed. Their title is looked for in any line of the top of page 1, accent-folded and with
OCR slips allowed; when it is lost, labels only that form prints name it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from extract import dates, issuers
from extract.found import Found
from extract.layout import Layout, Segment, signature_block
from extract.text import clean, letters, upper_ratio
from ocr.vntext import fold

BIRTH_CERTIFICATE = "giay_khai_sinh"
BIRTH_EXTRACT = "trich_luc_khai_sinh"
LAND_TITLE = "giay_chung_nhan_qsdd"
HOUSEHOLD_BUSINESS = "giay_chung_nhan_hkd"

# Titles of the forms in force and of older forms still held (the 2005-2009 pink and red books).
FORM_TITLES = (
    ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", LAND_TITLE),
    ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT", LAND_TITLE),
    ("GIẤY CHỨNG NHẬN QUYỀN SỞ HỮU NHÀ Ở VÀ QUYỀN SỬ DỤNG ĐẤT Ở", LAND_TITLE),
    ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", HOUSEHOLD_BUSINESS),
    ("QUYỀN SỬ DỤNG ĐẤT", LAND_TITLE),  # the title's second line, when OCR lost the first
    ("TRÍCH LỤC KHAI SINH", BIRTH_EXTRACT),
    ("GIẤY KHAI SINH", BIRTH_CERTIFICATE),
)
# The top of page 1, where a form's title stands (under the emblem and the motto).
TOP_PART = 0.45
TITLE_LINES = 3  # a title runs over at most three lines
MATCH_RATIO = 0.85
CAPITALS_SHARE = 0.6  # of a title line's letters: OCR lowers a few capitals, never most

# Labels only one form prints, folded: the type when the title is lost (first match wins).
# Each starts its line (after a numbering such as `IV.` or `5.`), as a label or heading does,
# so that a letter mentioning a household business in its prose is not taken for the form.
_LINE_START = r"^\W*(?:(?:[ivx]{1,4}|[0-9]{1,2})\s*[.)]\s*)?"
MARKERS = tuple((re.compile(_LINE_START + f"(?:{pattern})"), code) for pattern, code in (
    (r"nguoi\s*ky\s*trich\s*luc|sao\s*tu\s*so\s*dang\s*ky\s*khai\s*sinh", BIRTH_EXTRACT),
    (r"nguoi\s*ky\s*giay\s*khai\s*sinh|ho\s*,?\s*chu\s*dem\s*,?\s*ten\s*nguoi\s*di\s*khai\s*sinh", BIRTH_CERTIFICATE),
    (r"so\s*vao\s*so\s*cap\b|nhung\s*thay\s*doi\s*sau\s*khi\s*cap|so\s*do\s*thua\s*dat", LAND_TITLE),
    (r"ma\s*so\s*ho\s*kinh\s*doanh|ten\s*ho\s*kinh\s*doanh|thong\s*tin\s*ve\s*chu\s*ho\s*kinh\s*doanh",
     HOUSEHOLD_BUSINESS),
))


# Letters OCR takes for one another in capitals (`GlẤY`, `SlNH`, `Đ0`): one key for both sides.
_CONFUSABLE = str.maketrans({"l": "i", "1": "i", "0": "o"})


def _key(text: str) -> str:
    return "".join(char for char in fold(text) if char.isalnum()).translate(_CONFUSABLE)


_TITLE_KEYS = [(_key(title), code) for title, code in FORM_TITLES]


def _mostly_capitals(text: str) -> bool:
    return upper_ratio(text) >= CAPITALS_SHARE


def _contains(key: str, title_key: str) -> bool:
    """`title_key` in `key`, allowing OCR slips: some window of its length is similar enough."""
    if title_key in key:
        return True
    size = len(title_key)
    matcher = SequenceMatcher(None, b=title_key)  # the title's index is built once
    for start in range(0, max(1, len(key) - size + 1)):
        matcher.set_seq1(key[start : start + size])
        # The cheap upper bound first: most windows share too few letters to be the title.
        if matcher.quick_ratio() >= MATCH_RATIO and matcher.ratio() >= MATCH_RATIO:
            return True
    return False


@dataclass(frozen=True)
class FormTitle:
    lines: list[Segment]
    code: str


def form_title(layout: Layout) -> FormTitle | None:
    """A national form's title in the top of page 1, else a label only its form prints."""
    if not layout.segments:
        return None
    top = [s for s in layout.first_page if s.bbox[1] < TOP_PART and _mostly_capitals(s.text)]
    for title_key, code in _TITLE_KEYS:
        for index in range(len(top)):
            for count in range(1, TITLE_LINES + 1):
                run = top[index : index + count]
                key = _key(" ".join(s.text for s in run))
                if len(key) + 2 >= len(title_key) and _contains(key, title_key):
                    return FormTitle(run, code)
    for pattern, code in MARKERS:
        for segment in layout.segments:
            if pattern.match(fold(segment.text)):
                return FormTitle([segment], code)
    # A land title's serial alone at the foot of page 1, and a parcel described: the form's number.
    serial = unlabelled_serial(layout)
    if serial and any(_PARCEL.search(fold(s.text)) for s in layout.segments):
        return FormTitle([s for s in layout.segments if serial.words[0] in s.words], LAND_TITLE)
    return None


# ---- fields ----------------------------------------------------------------------------------------

# `Số vào sổ cấp GCN:` (`GCON`, `giấy chứng nhận` as OCR and older forms give it).
_REGISTER_ENTRY = re.compile(r"so\s*vao\s*so\s*cap\b[^:]{0,30}:\s*")
_ENTRY_VALUE = re.compile(r"\s*([^\W\d_]{1,3})\s*[-.]?\s*([0-9]{3,7})\b")
# Register books of land titles are lettered by who issued them: `CH` (district), `CS` (department)...
ENTRY_LETTERS = 2
# The land title's serial, printed alone at the foot of page 1 (`CS 416425`, `BX 01234567`).
_SERIAL_LINE = re.compile(r"^\W*([A-Z]{2})\s?([0-9]{6,8})\W*$")
_PARCEL = re.compile(r"thua\s*dat\s*so\b")
_REGISTRATION_PLACE = re.compile(r"^\W*noi\s*dang\s*ky\s*khai\s*sinh\s*[:;]\s*")
_REGISTRATION_DATE = re.compile(r"^\W*ngay\s*,?\s*thang\s*,?\s*nam\s*dang\s*ky\s*[:;]\s*")
_BUSINESS_CODE = re.compile(r"^\W*ma\s*so\s*ho\s*kinh\s*doanh\s*[:;]\s*")
_BUSINESS_CODE_VALUE = re.compile(r"[0-9]{2}\s?[A-Z0-9]{1,2}\s?[0-9]{4,8}")
# `TM.` as OCR gives it (`TM..`, `T.M.`, `TM ,`, the dot lost, or only the dot left) and whatever
# punctuation stands around it.
_AUTHORITY_PREFIX = re.compile(r"^\W*(?:(?:t\s?\.?\s?m|kt|tl|tuq)\b|q\s*[.,:])?\W*", re.IGNORECASE)
_SIGNING_ROLES = re.compile(r"^\W*(?:kt|tl|tuq|q)\s*[.,:]|^\W*(?:pho\s*)?(?:chu\s*tich|giam\s*doc|truong\s*phong)\b")


def _labelled(segments: list[Segment], label: re.Pattern[str]) -> tuple[Segment, int] | None:
    for segment in segments:
        match = label.match(fold(segment.text))
        if match and segment.text[match.end() :].strip():
            return segment, match.end()
    return None


def register_entry(layout: Layout) -> Found | None:
    """`Số vào sổ cấp GCN: CS 05989`: the land title's number is its entry in the issuing register."""
    for segment in layout.segments:
        label = _REGISTER_ENTRY.search(fold(segment.text))
        if label:
            value = _ENTRY_VALUE.match(segment.text, label.end())
            if value:
                words = segment.words_between(value.start(1), value.end(2))
                prefix = fold(value.group(1)).upper()
                problem = None if len(prefix) == ENTRY_LETTERS else f"register letters {prefix!r} are not two"
                return Found(f"{prefix}{value.group(2)}", words, problem, printed=value.group().strip())
    return None


def unlabelled_serial(layout: Layout) -> Found | None:
    """The serial a land title prints alone near the foot of page 1."""
    for segment in layout.first_page:
        match = _SERIAL_LINE.match(segment.text)
        if match and segment.bbox[1] > TOP_PART:
            return Found(f"{match.group(1)} {match.group(2)}", list(segment.words))
    return None


def registration_issuer(layout: Layout) -> Found | None:
    """`Nơi đăng ký khai sinh: Ủy ban nhân dân xã X, huyện Y, tỉnh Z`: the body that registered it."""
    hit = _labelled(layout.segments, _REGISTRATION_PLACE)
    if not hit:
        return None
    segment, start = hit
    body = segment.text[start:].split(",")[0]
    value = issuers.normal_case_issuer(clean(body))
    return Found(value, segment.words_between(start, start + len(body))) if value else None


def registration_date(layout: Layout, today: dt.date | None) -> Found | None:
    """`Ngày, tháng, năm đăng ký: 25/04/2024`: a birth certificate is dated by its registration."""
    hit = _labelled(layout.segments, _REGISTRATION_DATE)
    if not hit:
        return None
    segment, start = hit
    reading = dates.find_date(segment.text[start:], today)
    if reading is None:
        return None
    begin, end = start + reading.start, start + reading.end
    return Found(reading.iso, segment.words_between(begin, end), reading.problem, printed=segment.text[begin:end])


def business_code_number(layout: Layout) -> Found | None:
    """A household business certificate is numbered by the household's code."""
    hit = _labelled(layout.segments, _BUSINESS_CODE)
    if not hit:
        return None
    segment, start = hit
    value = _BUSINESS_CODE_VALUE.search(segment.text, start)
    if not value:
        return None
    return Found(re.sub(r"\s", "", value.group()), segment.words_between(value.start(), value.end()))


def signing_issuer(layout: Layout) -> Found | None:
    """The body named above the signer's authority (`TM. ỦY BAN NHÂN DÂN HUYỆN X`, or `SỞ ...` /
    `TỈNH ...`) when the form has no issuing body in its header."""
    lines: list[Segment] = []
    for segment in layout.signature:
        text = fold(segment.text)
        if _SIGNING_ROLES.match(text):
            break
        if _mostly_capitals(segment.text) and len(letters(segment.text)) >= 6 and not dates.find_date(segment.text):
            lines.append(segment)
    texts = [_AUTHORITY_PREFIX.sub("", s.text) for s in lines if not fold(s.text).startswith("nguoi ky")]
    value = issuers.issuer_from_header(texts) if texts else None
    return Found(value, [w for s in lines for w in s.words]) if value else None


def signed_page_layout(layout: Layout, code: str | None) -> Layout:
    """A land title is signed on its second page, under the parcel; its plan and changes follow."""
    if code != LAND_TITLE:
        return layout
    for segment in layout.segments:
        if _REGISTER_ENTRY.search(fold(segment.text)):
            page = [s for s in layout.segments if s.page == segment.page]
            return replace(layout, signature=signature_block(page, 0.0))
    return layout


def form_fields(layout: Layout, code: str | None, found: dict[str, Found], today: dt.date | None) -> dict[str, Found]:
    """Fields the national form of `code` prints where the general rules do not look, over `found`."""
    extra: dict[str, Found | None] = {}
    if code == LAND_TITLE:
        extra["document_number"] = register_entry(layout)
        if "land_serial" not in found:
            extra["land_serial"] = unlabelled_serial(layout)
    if code == HOUSEHOLD_BUSINESS and "document_number" not in found:
        extra["document_number"] = business_code_number(layout)
    if code in (BIRTH_CERTIFICATE, BIRTH_EXTRACT):
        if "issuer" not in found:
            extra["issuer"] = registration_issuer(layout)
        if code == BIRTH_CERTIFICATE and "issue_date" not in found:
            extra["issue_date"] = registration_date(layout, today)
    if code in (LAND_TITLE, HOUSEHOLD_BUSINESS) and "issuer" not in found:
        extra["issuer"] = signing_issuer(layout)
    merged = {**found, **{name: value for name, value in extra.items() if value and value.value}}
    # `Đăng ký lần đầu, ngày ...` has the shape of a place and a date; it names no place.
    place = merged.get("issue_place")
    if code == HOUSEHOLD_BUSINESS and place and fold(place.value).startswith("dang ky"):
        del merged["issue_place"]
    return merged
