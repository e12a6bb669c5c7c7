"""Per-field rules: where on the page each field is printed and how its value is read.

Header fields, title and subject live here; the signature block and the holder's
labelled lines have modules of their own. Each rule returns a `Found`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, replace

from extract import appendix, dates, handwriting, issuers, national_forms, notation, places, references
from extract.body import body_fields
from extract.doctypes import APPENDIX, LAW, LETTER, classify_title
from extract.found import Found, doubtful_digits, follows_closely, tail_words
from extract.holder import holder
from extract.layout import CENTRED_WITHIN, Layout, Segment, opens_motto
from extract.registrations import body_dates
from extract.settings import WITH_SUMMARY
from extract.signature import signature
from extract.text import clean, in_capitals, letters, remove_spaces
from ocr.vntext import fold, is_vietnamese_syllable

# --- number and notation -------------------------------------------------------------


def _notation_in(segments: list[Segment]) -> tuple[Segment, Found] | None:
    for segment in segments:
        found = notation.find_notation(segment.text)
        if found:
            value, start, end = found
            printed = clean(segment.text[start:end])
            return segment, Found(value.value, segment.words_between(start, end), value.problem, printed=printed)
    return None


def document_number(layout: Layout) -> Found | None:
    hit = _notation_in(layout.header_left)
    if hit:
        return hit[1]
    # The header columns were not where expected: accept a `Số:` line (capital S, as printed)
    # elsewhere above the title, never in the body, whose lines cite other papers' numbers.
    above_title = list(itertools.takewhile(lambda s: not _is_title_line(s), layout.below_header))
    hit = _notation_in([s for s in layout.header_right + above_title if s.text.lstrip(_OPENING)[:1] == "S"])
    if hit:
        return hit[1].weakened()
    # The number left blank or written in beyond reading: kept as printed, with the reason, so
    # that no other number of the page (a business code, a certification's) stands in for it.
    for segment in layout.header_left:
        start = notation.illegible_start(segment.text)
        if start is not None:
            printed = remove_spaces(segment.text[start:])
            return Found(printed, tail_words(segment, start), "number not legible", printed=printed)
    return None


_OPENING = "_-—.,:;|'\"( "


# --- place and date ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceAndDate:
    date: Found
    place: Found | None


# `<place>, ngày ...`: outside the header only this form is taken as the place and date,
# so that `Sinh ngày: 05/01/1990` in a form is not.
_PLACE_BEFORE_DATE = re.compile(r"^[^:]+,\s*$")
# `Đăng ký lần đầu, ngày ...` has the same shape but dates a registration (extract/registrations.py).
_REGISTRATION = re.compile(r"^\W*dang\s*ky\b")


def _place_and_date_in(segment: Segment, today: dt.date | None, weak: bool, verbal: bool = False) -> PlaceAndDate | None:
    reading = dates.find_date(segment.text, today, timestamps=False)
    if reading is None or verbal and not dates.is_verbal(segment.text, reading):
        return None
    before_date = segment.text[: reading.start]
    if weak and (not _PLACE_BEFORE_DATE.match(before_date) or _REGISTRATION.match(fold(before_date))):
        return None
    date = Found(reading.iso, segment.words_between(reading.start, reading.end), reading.problem, weak,
                 printed=segment.text[reading.start : reading.end])
    before = segment.text[: reading.start].strip(" ,.;")
    place = Found(clean(before), segment.words_between(0, len(before)), weak=weak) if before else None
    return PlaceAndDate(date, place)


def place_and_date(layout: Layout, today: dt.date | None = None) -> PlaceAndDate | None:
    """`Vĩnh Phúc, ngày 29 tháng 6 năm 2022` in the right header column: a date in words first,
    as Decree 30 prints it; a stamp's `09.01.2025` above it is a signing or publishing time."""
    for verbal in (True, False):
        for segment in layout.header_right:
            found = _place_and_date_in(segment, today, weak=False, verbal=verbal)
            if found:
                return found
    # Some forms print the place and date above the signature instead.
    for segment in layout.signature + layout.below_header:
        found = _place_and_date_in(segment, today, weak=True)
        if found:
            return found
    # The day left blank or written in illegibly: the date is printed, just not readable, so no
    # other date of the page may stand in for it (kept as `2025-02` with the reason).
    for segment in layout.header_right:
        month = dates.find_dayless(segment.text)
        if month:
            date = Found(month.iso, segment.words_between(month.start, month.end), "day not legible",
                         printed=segment.text[month.start : month.end])
            before = segment.text[: month.start].strip(" ,.;")
            place = Found(clean(before), segment.words_between(0, len(before))) if before else None
            return PlaceAndDate(date, place)
    return None


# --- issuing body ------------------------------------------------------------------------


def issuer(layout: Layout) -> Found | None:
    """The left header lines above `Số:` (all upper-case left lines when there is none)."""
    hit = _notation_in(layout.header_left)
    if hit:
        number_top = hit[0].bbox[1]
        lines = [s for s in layout.header_left if s.bbox[1] < number_top]
        weak = False
    else:
        # A `Số:` line whose number OCR could not read (handwritten) still ends the body's lines.
        label = next((s for s in layout.header_left if issuers.is_number_line(s.text)), None)
        lines = [s for s in layout.header_left if in_capitals(s.text) and (label is None or s.bbox[1] < label.bbox[1])]
        weak = label is None
    lines = _header_run([s for s in lines if not issuers.is_number_line(s.text)], layout.header_right)
    value = issuers.issuer_from_header([s.text for s in lines], _places_named(layout))
    if not value:
        return None
    # Every commune, district and province has its People's Committee and Council: without the
    # place (its header line lost to OCR) the name says nothing of which.
    problem = "no place: the header's place line was not read" if fold(value) in _LOCAL_BODIES else None
    # A place spelled right that names nowhere lost a word (`tỉnh Quảng`); one misspelled is a
    # misread word, which record.py names.
    place = _local_place(value)
    if place and not places.is_known_place(place) and all(map(is_vietnamese_syllable, place.split())):
        problem = f"no known place ({place}): a word of the header's place line lost?"
    return Found(value, [w for s in lines for w in s.words], problem, weak=weak)


_LOCAL_BODIES = {"uy ban nhan dan", "hoi dong nhan dan"}


def _local_place(issuer: str) -> str | None:
    """The place name of a People's Committee or Council (`Quảng Ngãi` of `Ủy ban nhân dân tỉnh
    Quảng Ngãi`); None for other bodies, and for numbered wards (`Phường 12`)."""
    if not any(fold(issuer).startswith(body + " ") for body in _LOCAL_BODIES):
        return None
    names = issuers.place_names([issuer])
    return names[0] if names and not any(c.isdigit() for c in names[0]) else None


# Lines of the issuing body stand this many line heights apart at most; capitals further down
# the left margin are a stamp's (the `ĐẾN` box a receiving office stamps beside the title).
HEADER_LINE_GAP = 3.0


def _header_run(lines: list[Segment], right: list[Segment]) -> list[Segment]:
    """The issuing body's lines: of the runs the left capitals make between wide gaps, the one
    level with the motto that opens the right column (above it: a logo's or stamp's text)."""
    runs: list[list[Segment]] = []
    for segment in lines:
        height = max(segment.height, runs[-1][-1].height) if runs else 0.0
        if runs and segment.bbox[1] - runs[-1][-1].bbox[3] <= HEADER_LINE_GAP * height:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    motto = next((s for s in right if opens_motto(s.words, 0)), None)
    if motto is None or not runs:
        return lines
    return min(runs, key=lambda run: abs(run[0].bbox[1] - motto.bbox[1]))


# The authority line under a decision's title (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN`) is
# this near the top of the lines below the header.
AUTHORITY_LINE_WITHIN = 8


def _places_named(layout: Layout) -> list[str]:
    """Places the first page prints outside the left header: evidence for a header place OCR
    garbled (the place-and-date line, the authority line under the title)."""
    found = place_and_date(layout)
    printed = [found.place.value] if found and found.place else []
    capitals = [s.text for s in layout.below_header[:AUTHORITY_LINE_WITHIN] if in_capitals(s.text)]
    return printed + issuers.place_names(capitals)


# --- title and subject ----------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    lines: list[Segment]  # a title may run over two lines (`GIẤY CHỨNG NHẬN` / `ĐĂNG KÝ ...`)
    code: str


def _is_title_line(segment: Segment) -> bool:
    return segment.is_centred and in_capitals(segment.text)


def _title_run(segments: list[Segment], first: int) -> list[Segment]:
    run = [segments[first]]
    for segment in segments[first + 1 :]:
        if _beside(segment, run[0]):
            continue  # a stamp in the margin, level with the title's lines
        if not (_is_title_line(segment) and follows_closely(run[-1], segment)):
            break
        run.append(segment)
    return run


def title(layout: Layout) -> Title | None:
    """The first run of centred capital lines below the header that reads as a known title;
    an appendix filed alone is typed by its heading (extract/appendix.py)."""
    heading = appendix.filed_alone(layout)
    if heading:
        return Title([heading.title], APPENDIX)
    for index, segment in enumerate(layout.below_header):
        if not _is_title_line(segment):
            continue
        run = _title_run(layout.below_header, index)
        code = classify_title(" ".join(s.text for s in run))
        if code:
            # The title's own lines: a subject printed in capitals runs on under it.
            size = next(k for k in range(1, len(run) + 1) if classify_title(" ".join(s.text for s in run[:k])) == code)
            return Title(run[:size], code)
    # Gazette pages of a law may lose its `LUẬT` title to the page's running head; the law's
    # number line (`Luật số: 54/2014/QH13`) says the same.
    for segment in layout.header_left + layout.below_header:
        if _LAW_NUMBER.match(fold(segment.text)):
            return Title([segment], LAW)
    # National forms: the title under the motto, read loosely, or a label only the form prints.
    form = national_forms.form_title(layout)
    return Title(form.lines, form.code) if form else None


_LAW_NUMBER = re.compile(r"^\W*luat\s*s[o06]\s*:?\s*[0-9]+\s*/\s*[0-9]{4}\s*/\s*qh")


_BODY_START = re.compile(r"^(can cu|kinh gui|dieu \d|xet de nghi)")


def _body_start(segment: Segment) -> bool:
    """The body's first words, after a rule or stroke OCR read before them (`__ Căn cứ`)."""
    return bool(_BODY_START.match(fold(segment.text).lstrip(_RULE_CHARACTERS + "|")))


# A token of punctuation with an underscore in it (`-_`, `__`) is a rule or a stroke OCR read
# between words: no subject prints one.
_UNDERSCORED = re.compile(r"(?<!\S)[^\w\s]*_[\W_]*(?!\S)")


def _without_strokes(text: str) -> str:
    return clean(_UNDERSCORED.sub(" ", text))


# `V/v` as OCR reads it: `V/V`, `Vlv`, `V/y`, or `V/` with the second letter lost.
_SUBJECT_PREFIX = re.compile(r"^\W{0,2}v\s?[/l1]\s?(?:[vy]\b)?\W*", re.IGNORECASE)
# Under a title only the whole abbreviation is taken for it: a subject may start `V1` otherwise.
_ABBREVIATED_LEAD_IN = re.compile(r"^\W{0,2}v\s?[/l1]\s?[vy]\b\W*", re.IGNORECASE)
# A capitalised label and its value (`Địa điểm: các phường ...`) is no line of a subject, which is
# a sentence; `(Lĩnh vực: ...)` in brackets is.
_LABELLED = re.compile(r"^[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,3}\s?:\s")
# `(Bản sao)`, `(Sử dụng cho nhà ở riêng lẻ)`: a subtitle, not the subject.
_SUBTITLE = re.compile(r"^\(.*\)$")
# A line ending in a bare count (`... triển khai thực hiện 02`) goes on with what is counted, even
# where that reads like a label (`Chương trình MTQG: Phát triển ...`).
_COUNT_END = re.compile(r"(?:^|\s)\d{1,3}$")
_DIGIT = re.compile(r"[0-9]")


def _subject_lines(following: list[Segment], title_line: Segment, capitals: bool = False) -> list[Segment]:
    """Centred mixed-case lines right after the title, up to the first body line; with `capitals`
    (a text type's subject) a subject printed all in capitals too, up to the authority line."""
    lines: list[Segment] = []
    for segment in following:
        if _beside(segment, title_line):
            continue  # a received stamp or a note in the margin, level with the subject
        close = follows_closely(lines[-1] if lines else title_line, segment)
        if lines and not close:
            break
        if len(lines) >= 2 and _wider_step(lines[-2], lines[-1], segment):
            break  # the body's first paragraph, set off by more space than the subject's lines
        # A long subject runs wider than a centred line, from margin to margin under the title
        # (`Về việc công bố Danh mục thủ tục hành chính được sửa đổi, bổ sung trong lĩnh vực`):
        # such a line belongs to it while it follows with no gap; the body starts after one, or
        # at once with a lead-in (`Ủy ban nhân dân thị trấn Hương Canh xác nhận:`).
        wide = close and abs(segment.x_centre - 0.5) < CENTRED_WITHIN and not segment.text.rstrip().endswith(":")
        upper = in_capitals(segment.text)
        if upper and capitals and all(in_capitals(s.text) for s in lines) and not _AUTHORITY_HEAD.match(fold(segment.text)):
            upper = False  # `QUY ĐỊNH MỨC THU ...` under `NGHỊ QUYẾT`, as some bodies print it
        if not (segment.is_centred or wide) or _body_start(segment) or upper:
            break  # the body, or the authority line of a decision (`ỦY BAN NHÂN DÂN TỈNH ...`)
        labelled = segment.text[:1].isupper() and _LABELLED.match(segment.text)
        if lines and labelled and not _COUNT_END.search(lines[-1].text):
            break  # a planning decision's `Địa điểm: ...`, `Chủ đầu tư: ...` under its subject
        # `(Bản sao)` right under the title is a subtitle; `(Lĩnh vực: ...)` after the subject's
        # lines is part of it.
        if not lines and _SUBTITLE.match(segment.text):
            continue
        # A wrapped subject may leave a line of digits alone (`... giai đoạn 2021 -` / `2025`).
        if letters(segment.text) or (lines and _DIGIT.search(segment.text)):
            lines.append(segment)
    return lines


# The authority line under a title opens with the body or the title that issues (`HỘI ĐỒNG NHÂN
# DÂN TỈNH ...`, `CHỦ TỊCH ỦY BAN ...`, `BỘ TRƯỞNG BỘ ...`), folded.
_AUTHORITY_HEAD = re.compile(
    r"^\W*(?:(?:pho )?chu tich|uy ban|hoi dong|bo truong|thu tuong|chinh phu|quoc hoi|(?:pho )?giam doc|"
    r"(?:tong )?cuc truong|chi cuc truong|truong (?:ban|phong)|chanh (?:van phong|thanh tra)|ban (?:thuong vu|chap hanh))\b"
)


def _beside(segment: Segment, title_line: Segment) -> bool:
    """Wholly left or right of the title's span: no subject or body line is."""
    return segment.bbox[2] < title_line.bbox[0] or segment.bbox[0] > title_line.bbox[2]


# A subject's lines follow each other at one line pitch; the body opens this much further down.
SUBJECT_STEP_RATIO = 1.6


def _wider_step(before: Segment, last: Segment, segment: Segment) -> bool:
    pitch = last.bbox[1] - before.bbox[1]
    return pitch > 0 and segment.bbox[1] - last.bbox[1] > SUBJECT_STEP_RATIO * pitch


def summary(layout: Layout) -> Found | None:
    return summary_under(layout, title(layout))


# A subject never ends on a comma or a word that needs what follows (`... đối với ông X,`): its
# last line was lost (to a stamp OCR ran into it), and the value is a person's to complete.
_CUT_SHORT = re.compile(r"(?:[,;:\-–]|\b(?:và|của|về|cho|tại|trong|với|các|đối))$")


def summary_under(layout: Layout, found: Title | None) -> Found | None:
    """The subject under the title already read (the title search is the costly part); one that
    stops mid-sentence carries the reason."""
    subject = _subject_under(layout, found)
    if subject and _CUT_SHORT.search(subject.value):
        return replace(subject, problem="subject cut short")
    return subject


def _subject_under(layout: Layout, found: Title | None) -> Found | None:
    if found and found.lines[-1] in layout.below_header:
        after = layout.below_header[layout.below_header.index(found.lines[-1]) + 1 :]
        lines = _subject_lines(after, found.lines[-1], capitals=found.code in WITH_SUMMARY)
        if lines:
            # A rule under the title that OCR ran into the subject's first word (`————Về việc`) goes.
            text = restore_lead_in(_without_strokes(" ".join(s.text for s in lines)).lstrip(_RULE_CHARACTERS))
            # A Tờ trình or Báo cáo may print its subject as a letter does, `V/v` first.
            text = text[prefix.end():] if (prefix := _ABBREVIATED_LEAD_IN.match(text)) else text
            text = places.restore_misread_places(text, _places_named(layout))
            # OCR reads the punctuation of capitals worse (`NỘP. QUẢN LÝ`): such a subject is weaker.
            return Found(text, [w for s in lines for w in s.words], weak=any(in_capitals(s.text) for s in lines))
    return letter_subject(layout)


_RULE_CHARACTERS = "—–-_ "


def restore_lead_in(subject: str) -> str:
    """`Về việc` is fixed wording: OCR's `và việc` / `Vẻ việc` / `,Vêviệc` at the start is put back."""
    words = subject.split(" ", 2)
    head = words[0].lstrip(_SPECKS)  # a speck of the paper read before it
    if len(words) > 2 and fold(head) in ("va", "ve") and fold(words[1]) == "viec" and words[0] != "Về":
        return " ".join(["Về", words[1], words[2]])
    if len(words) > 1 and fold(head) in ("vaviec", "veviec"):
        return " ".join(["Về", "việc", *words[1:]])
    return subject


_SPECKS = ".,'`:;"


def _continuation(lines: list[Segment], first: int) -> list[Segment]:
    """Lines that go on from lines[first] in the same column with no gap and no body start."""
    taken = [lines[first]]
    for segment in lines[first + 1 :]:
        if not follows_closely(taken[-1], segment) or _body_start(segment):
            break
        taken.append(segment)
    return taken


def letter_subject(layout: Layout, unprefixed: bool = True) -> Found | None:
    """A letter's `V/v ...` lines under the number in the left header column; without the `V/v`
    (`Về Chương trình hỗ trợ ...`), the sentence lines right under the number, as a fallback
    (`unprefixed`)."""
    lines = layout.header_left
    for index, segment in enumerate(lines):
        prefix = _SUBJECT_PREFIX.match(segment.text)
        if prefix:
            rest = _continuation(lines, index)
            text = " ".join(s.text for s in rest)[prefix.end() :]
            words = segment.words_between(prefix.end(), len(segment.text))
            return Found(_without_strokes(text), words + [w for s in rest[1:] for w in s.words])
    number = next((i for i, s in enumerate(lines) if issuers.is_number_line(s.text)), None)
    if not unprefixed or number is None or number + 1 == len(lines):
        return None
    first = lines[number + 1]
    if not (follows_closely(lines[number], first) and _SENTENCE.match(first.text)):
        return None
    rest = [s for s in _continuation(lines, number + 1) if _SENTENCE_LINE.match(s.text)]
    return Found(clean(" ".join(s.text for s in rest)), [w for s in rest for w in s.words], weak=True)


# An unprefixed subject starts as a sentence (`Về Chương trình ...`, `Triển khai ...`), not as a
# stamp's label (`ĐẾN Ngày: ...`) or a capitals line; its lines hold no label.
_SENTENCE = re.compile(r"^[^\W\d_][^\W\d_A-ZĐ]+\s[^:]*$")
_SENTENCE_LINE = re.compile(r"^[^:]*$")


# `Nơi nhận:` and what follows it on its line, folded (OCR may lose the colon or a mark).
_RECIPIENTS = re.compile(r"^[\W_]*noi\s*nhan\W*")
_AS_ABOVE = re.compile(r"^[\W_]*nhu\s*tren\b")


def letter_ending(layout: Layout) -> bool:
    """Whether the recipients list opens with `Như trên` (the addressees of a `Kính gửi:`).

    A letter's last page filed alone has no title and no number; decisions send their copies
    `Như Điều 3`, letters `Như trên`.
    """
    segments = layout.segments
    for index, segment in enumerate(segments):
        label = _RECIPIENTS.match(fold(segment.text))
        if not (label and segment.is_left):
            continue
        rest = fold(segment.text)[label.end() :]
        following = [s for s in segments[index + 1 :] if s.is_left and s.page == segment.page][:1]
        if _AS_ABOVE.match(rest) or any(_AS_ABOVE.match(fold(s.text)) for s in following):
            return True
    return False


def written_in(layout: Layout, number: Found | None, date: Found | None, code: str | None,
               body: Found | None) -> tuple[Found | None, Found | None]:
    """The number and issue date, checked for digits written in by hand and against the
    decision's citation in its appendices (extract/handwriting.py, extract/references.py): a
    handwritten-looking reading keeps its value with the reason as its problem (so it is
    withheld for a person) unless a typed citation gives the value. `body`: the issuer read,
    whose initials a notation's pieces must fit."""
    typed = handwriting.typed_digit_size(layout.first_page)
    # The handwriting reason goes first: a bare `2` of a civil-status paper loses its shape
    # complaint later (extract/record.py), never this one. A page with few typed digits still
    # has the date line's typed year to compare its day with.
    number, date = (
        replace(found, problem=handwriting.handwritten(found.words, measure) or found.problem) if found else None
        for found, measure in ((number, typed), (date, typed or handwriting.typed_digit_size(date.words if date else [])))
    )

    def fits(value: str) -> bool:
        return pieces_fit(value, code, body)

    if number and not number.problem and fits(number.value):
        # Fitting pieces confirm the notation, not digits written in by hand.
        # OCR's doubt about the `/QĐ-UBND` word says nothing; a word with the digits glued on
        # (`246/QĐ-UBND`) counts where the digit reader read the same digits.
        digit_words = [w for w in number.words if w.text.isdigit() or w.digits_agreed is not None]
        if digit_words and not number.handwritten:
            number = replace(number, confirmed=round(sum(w.digit_confidence for w in digit_words) / len(digit_words), 3))
    if date and not date.problem and not date.handwritten and not doubtful_digits(date):
        # A day read the same by both readers, no digit in doubt: OCR's doubt about `ngày` and
        # `tháng` says nothing of the date.
        digit_words = [w for w in date.words if any(c.isdigit() for c in w.text)]
        if any(w.digits_agreed is not None for w in digit_words):
            date = replace(date, confirmed=round(sum(w.digit_confidence for w in digit_words) / len(digit_words), 3))
    cited = references.citations(layout, typed)
    return references.confirm_number(number, cited, fits), references.confirm_date(date, cited, fits)


def _place_of_issuer(place: Found | None, body: Found | None) -> Found | None:
    """The place of the place-and-date line, confirmed where the issuer's header as OCR read it
    ends with it (`Thanh Hóa` under `UBND TỈNH THANH HÓA`): OCR's doubt about `Hóa,` says nothing
    then. As read, marks too: a header restored from this very line confirms nothing, and `Tê Lỗ`
    under `XÃ TỀ LỖ` is a misread, not a second reading."""
    if not (place and body) or body.problem or place.problem:
        return place
    if not " ".join(w.text for w in body.words).lower().endswith(" " + place.value.lower()):
        return place
    return replace(place, confirmed=references.both_read(place.confidence, body.confidence))


def pieces_fit(value: str, code: str | None, body: Found | None) -> bool:
    """Whether the pieces of a notation are this page's: the type (`QĐ`) its title's and the
    body (`UBND`, `BTP`) the initials of its issuer (`Ủy ban nhân dân ...`, `Bộ Tư pháp`). A
    letter's notation has no type: the body comes first (`8151/BNV-CCHC`)."""
    parsed = notation.parse_notation(value)
    pieces = parsed.pieces if parsed else []
    if not (body and pieces):
        return False
    if code and len(pieces) >= 2 and parsed.type_hint == code:
        body_piece = pieces[1]
    elif code in (None, LETTER) and parsed.type_abbreviation is None:
        body_piece = pieces[0]
    else:
        return False
    return "".join(word[0] for word in fold(body.value).split() if word != "va").startswith(fold(body_piece))


def read_fields(layout: Layout, today: dt.date | None = None) -> dict[str, Found]:
    """Every field found on a document, by CONTRACT.md field name.

    An appendix filed alone carries only its parent's reference; gazette pages of a law carry
    no field of a procedure's result (its number, date and signer are the law's, printed on
    the gazette's own frame), so none is read from them.
    """
    heading = appendix.filed_alone(layout)
    if heading:
        return appendix.parent_fields(heading, today)
    titled = title(layout)
    if titled and titled.code == LAW:
        return {}
    code = titled.code if titled else None
    layout = national_forms.signed_page_layout(layout, code)
    dated = place_and_date(layout, today)
    signed = signature(layout)
    held = holder(layout, today)
    # Papers without a `Số:` or a place-and-date line carry them in the body (extract/registrations.py).
    inside = body_dates(layout.segments, today)
    body = issuer(layout)
    number, date = written_in(layout, document_number(layout), dated.date if dated else None, code, body)
    # A certification's own number and day only where no `Số:` is printed: on a certified copy of
    # another paper they are the copy's, not the paper's.
    certified = (None, None) if number else (inside.certification_number, inside.certification_date)
    candidates = {
        "document_number": number or certified[0],
        "issue_date": date or certified[1] or inside.first_registration,
        "last_change_date": inside.last_change,
        "issue_place": _place_of_issuer(dated.place, body) if dated else None,
        "issuer": body,
        # `title` is unchanged by signed_page_layout: it never reads the signature block.
        "summary": summary_under(layout, titled),
        "signer": signed.signer,
        "signer_title": signed.title,
        "holder_name": held.name,
        "holder_id": held.id,
        "address": held.address,
        **body_fields(layout, dated.date.value if dated and not dated.date.problem else None),
    }
    found = {name: found for name, found in candidates.items() if found and found.value}
    return national_forms.form_fields(layout, code, found, today)
