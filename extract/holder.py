"""The holder's name, identifier and address from labelled form lines (`Họ và tên: ...`), else
from a decision's first article (extract/holder_prose.py).

A form describes several people (a birth extract names the child, then the mother and
the father), so the identifier and address are read only from the holder's own part:
the lines after the holder's name up to the next person's name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract import identifiers
from extract.found import Found, follows_closely, tail_words
from extract.holder_prose import prose_holder
from extract.layout import Layout, Segment
from extract.names import is_name_shape, person_name
from extract.text import clean
from ocr.vntext import fold

# A form line may be numbered (`1. Cấp cho ông: ...`); OCR may put a speck of a security print
# before it, read as a sign or a letter no Vietnamese word has (`ŒCCCD số:`: folded text is ASCII).
_LINE_START = r"^(?:\W|[^\x00-\x7f]){0,2}(?:[0-9]{1,2}\s?[.)]\s*)?"
# Any line that starts describing a person, the holder or someone else.
_PERSON_START = re.compile(_LINE_START + r"(ho\s*(va\s*ten|,?\s*chu\s*dem|ten)|cap\s*cho|chu\s*ho\s*kinh)")
# A label: a few words and a colon at the start of the line.
_ANY_LABEL = re.compile(r"^[^:]{1,40}:")
# A wrapped line of a value starts at the margin, left of or under the labelled line.
WRAP_INDENT = 0.01


def _label_pattern(label: str) -> re.Pattern[str]:
    """A folded label with OCR-tolerant spacing around its words, commas and slashes."""
    parts = [part for part in re.split(r"\s*([,/])\s*|\s+", label) if part]
    body = r"\s*".join(re.escape(p) + ("?" if p in (",", "/") else "") for p in parts)
    return re.compile(_LINE_START + body + r"\s*[:;]")


@dataclass(frozen=True)
class Label:
    pattern: re.Pattern[str]
    is_person: bool = False  # a person's name: capitalised syllable by syllable


def _labels(names: list[str], is_person: bool = False) -> list[Label]:
    return [Label(_label_pattern(name), is_person) for name in names]


NAME_LABELS = _labels(
    ["ho va ten", "ho, chu dem, ten", "ho, chu dem va ten", "ho, chu dem, ten chong", "cap cho ong",
     "cap cho ba", "ong/ba", "ong", "ba", "chu ho", "ho ong", "ho ba"],
    is_person=True,
) + _labels(["ten ho kinh doanh", "ten doanh nghiep", "ten cong ty viet bang tieng viet",
             "ten doanh nghiep viet bang tieng viet"])
ID_LABELS = _labels(
    ["so dinh danh ca nhan", "so cccd", "so can cuoc cong dan", "so can cuoc", "so cmnd",
     "so chung minh nhan dan", "ma so doanh nghiep", "ma so thue",
     # National forms: the land title (`CCCD số:`, `CMND số:`), the household business certificate.
     "cccd so", "cmnd so", "so giay to phap ly cua ca nhan"]
)
ADDRESS_LABELS = _labels(
    ["dia chi thuong tru", "noi thuong tru", "noi cu tru", "dia chi tru so chinh", "dia chi tru so", "dia chi"]
)
BIRTH_LABELS = _labels(["ngay, thang, nam sinh", "sinh ngay", "nam sinh", "ngay sinh"])
GENDER_LABELS = _labels(["gioi tinh"])


@dataclass(frozen=True)
class Hit:
    index: int  # of the segment in the list searched
    start: int  # where the value starts in the segment's text
    label: Label


def _find(segments: list[Segment], labels: list[Label]) -> Hit | None:
    """The first line carrying one of the labels (in label order) with a value after it."""
    for label in labels:
        for index, segment in enumerate(segments):
            match = label.pattern.match(fold(segment.text))
            if match and segment.text[match.end() :].strip():
                return Hit(index, match.end(), label)
    return None


def _holder_part(segments: list[Segment], name_index: int) -> list[Segment]:
    """The lines after the holder's name, up to the next person described."""
    part = []
    for segment in segments[name_index + 1 :]:
        if _PERSON_START.match(fold(segment.text)):
            break
        part.append(segment)
    return part


@dataclass(frozen=True)
class Holder:
    name: Found | None
    id: Found | None
    address: Found | None


def _name(segments: list[Segment], hit: Hit) -> Found:
    segment = segments[hit.index]
    if not hit.label.is_person:
        # A long organisation name wraps onto the next line.
        return _wrapped_value(segments, hit)
    # A land title goes on after the name on its line (`Ông: NGUYỄN VĂN AN, Năm sinh: 1974, CCCD số: ...`).
    text = clean(_NAME_END.split(segment.text[hit.start :])[0])
    name = person_name(text)
    problem = None if is_name_shape(name) else "not a name of 2-5 syllables"
    return Found(name, tail_words(segment, hit.start), problem)


_ID_DIGITS = re.compile(r"[0-9][0-9 .]*")
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def _labelled_value(segments: list[Segment], labels: list[Label]) -> str | None:
    hit = _find(segments, labels)
    return segments[hit.index].text[hit.start :] if hit else None


def printed_birth(segments: list[Segment]) -> tuple[int | None, str | None]:
    """The birth year and gender printed in a person's part of a form, when they are."""
    birth = _labelled_value(segments, BIRTH_LABELS)
    year = _YEAR.search(birth) if birth else None
    gender = fold(_labelled_value(segments, GENDER_LABELS) or "").strip()
    sex = "female" if gender.startswith("nu") else "male" if gender.startswith("nam") else None
    return (int(year.group()) if year else None), sex


def _id(segments: list[Segment], today: dt.date | None, person: list[Segment] | None = None) -> Found | None:
    """The identifier after its label; `person` is the part of the form that describes its holder."""
    hit = _find(segments, ID_LABELS)
    if not hit:
        return None
    return _id_at(segments[hit.index], hit.start, today, person)


_NAME_END = re.compile(r"[,;]")
# An identifier's label after the name on the name's own line (`..., CCCD số: 026...`).
_INLINE_ID = re.compile(r"(?:cccd|cmnd|can\s*cuoc(?:\s*cong\s*dan)?|chung\s*minh\s*nhan\s*dan|dinh\s*danh\s*ca\s*nhan)"
                        r"\s*(?:so)?\s*[:;.]?\s*(?=[0-9])")


def _inline_id(segment: Segment, start: int, today: dt.date | None, person: list[Segment]) -> Found | None:
    label = _INLINE_ID.search(fold(segment.text), start)
    return _id_at(segment, label.end(), today, person) if label else None


def _id_at(segment: Segment, start: int, today: dt.date | None, person: list[Segment] | None) -> Found | None:
    digits_match = _ID_DIGITS.search(segment.text, start)
    if not digits_match:
        return None
    digits = re.sub(r"[^0-9]", "", digits_match.group())
    words = segment.words_between(digits_match.start(), digits_match.end())
    problem = identifiers.holder_id_problem(digits, today)
    if problem is None and len(digits) == 12 and person is not None:
        problem = identifiers.personal_number_mismatch(digits, *printed_birth(person))
    return Found(digits, words, problem, printed=digits_match.group().strip())


def _continues(first: Segment, previous: Segment, candidate: Segment) -> bool:
    """A wrapped line of a form value: close below, starting no further right, unlabelled."""
    return (
        candidate.page == previous.page
        and follows_closely(previous, candidate)
        and candidate.bbox[0] <= first.bbox[0] + WRAP_INDENT
        and not _ANY_LABEL.match(candidate.text)
    )


def _wrapped_value(segments: list[Segment], hit: Hit) -> Found:
    """The value after a label with the lines it wraps onto."""
    first = segments[hit.index]
    lines = [first]
    for candidate in segments[hit.index + 1 :]:
        if not _continues(first, lines[-1], candidate):
            break
        lines.append(candidate)
    text = " ".join([first.text[hit.start :], *(s.text for s in lines[1:])])
    words = tail_words(first, hit.start) + [w for s in lines[1:] for w in s.words]
    return Found(clean(text), words)


def _address(segments: list[Segment]) -> Found | None:
    hit = _find(segments, ADDRESS_LABELS)
    return _wrapped_value(segments, hit) if hit else None


def holder(layout: Layout, today: dt.date | None = None) -> Holder:
    segments = layout.segments
    hit = _find(segments, NAME_LABELS)
    if hit is None:
        # A decision names its holder in the prose of its first article instead.
        prose = prose_holder(segments, today)
        if prose:
            return Holder(prose.name, prose.id, prose.address)
        # No holder named: an identifier or address anywhere is only a guess at whose it is.
        guesses = (_id(segments, today), _address(segments))
        return Holder(None, *(found.weakened() if found else None for found in guesses))
    name = _name(segments, hit)
    if not hit.label.is_person:
        # An organisation's code and seat may be printed above its name (`Mã số doanh nghiệp`).
        return Holder(name, _id(segments, today), _address(segments))
    part = _holder_part(segments, hit.index)
    held_id = _id(part, today, part) or _inline_id(segments[hit.index], hit.start, today, part)
    return Holder(name, held_id, _address(part))
