"""The holder a decision names in the prose of its first article.

`Điều 1. Cho phép ông Nguyễn Văn An, sinh năm 1980, CCCD số 026080001234, thường trú tại ...`,
`... bà Trần Thị Mai (sinh ngày 05/03/1991, số định danh cá nhân: ..., nơi thường trú: ...)`,
`Cho phép Công ty TNHH ... (mã số doanh nghiệp: ...; địa chỉ trụ sở chính: ...)`.

Only the first article is read: the legal bases, the `Xét đề nghị của ...` line and the execution
article name officials, not the holder. A person or company is the holder only when the words
right after the name identify them (birth, personal number, residence, enterprise code, seat), so
a decision that publishes procedures or gives an official a task names none. A name read from
running text is weaker evidence than a labelled form line: it comes back weakened.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract import identifiers
from extract.body import DocumentText
from extract.found import Found
from extract.layout import RECIPIENTS, Segment
from extract.names import NAME_SYLLABLES, is_name_shape, person_name
from extract.text import clean
from ocr.vntext import fold

# `Điều 1.`; OCR may read the 1 as l.
_ARTICLE = re.compile(r"^\W{0,2}dieu\s*(?P<n>[0-9]{1,2}|l|i)\s*[.:]")
# A first article runs a few lines; a list of dozens (villages recognised) names no holder.
MAX_ARTICLE_LINES = 20

# Folded patterns. `hộ ông` (a household) and `ông/bà` (a form's placeholder left in) included.
_PERSON = re.compile(r"(?<![a-z])(?:ho\s+)?(?P<hon>ong\s*/\s*ba|ong\s*\(\s*ba\s*\)|ong|ba)\s*:?\s+")
_ORGANISATION = re.compile(r"(?<![a-z])(?:tong\s+cong\s+ty|cong\s+ty|hop\s+tac\s+xa|doanh\s+nghiep\s+tu\s+nhan)\s")
# An organisation's name ends at punctuation or where its identification starts.
_ORGANISATION_END = re.compile(r"[,;(]|\s[-–]\s|\s(?:co\s+tru\s+so|dia\s+chi|ma\s+so|tru\s+so|duoc|de)\s")
MAX_ORGANISATION_CHARS = 120
# What identifies the named one, right after the name: `, sinh năm`, ` (số định danh`, `, CCCD số`.
_IDENTIFIES = re.compile(
    r"\s*[,(;:\-–]?\s*(?:cung\s+)?(?:sinh|nam\s+sinh|ngay\s+sinh|so\s+dinh\s+danh|so\s+cccd|cccd|cmnd|so\s+cmnd|"
    r"so\s+can\s+cuoc|can\s+cuoc|so\s+chung\s+minh|chung\s+minh|noi\s+thuong\s+tru|thuong\s+tru|tru\s+tai|"
    r"noi\s+cu\s+tru|cu\s+tru|dia\s+chi|ma\s+so\s+doanh\s+nghiep|ma\s+so\s+thue|co\s+tru\s+so|tru\s+so)\b"
)
_ID_LABEL = re.compile(
    r"(?:so\s+dinh\s+danh(?:\s+ca\s+nhan)?|(?:so\s+)?(?:the\s+)?can\s+cuoc(?:\s+cong\s+dan)?|cccd|cmnd|cmtnd|"
    r"(?:giay\s+)?chung\s+minh\s+(?:nhan\s+dan|thu)|ma\s+so\s+doanh\s+nghiep|ma\s+so\s+thue)"
    r"(?:\s+so)?\s*[:;.]?\s*(?:la\s+)?"
)
_ID_DIGITS = re.compile(r"[0-9](?:[ .]?[0-9]){8,12}(?![0-9])")
_BIRTH = re.compile(r"(?:sinh\s+(?:nam|ngay)|nam\s+sinh|ngay\s+sinh)\s*[:;]?\s*(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-])?"
                    r"(?P<year>(?:19|20)[0-9]{2})(?![0-9])")
_ADDRESS_LABEL = re.compile(
    r"(?<![a-z])(?:noi\s+thuong\s+tru|dia\s+chi\s+thuong\s+tru|thuong\s+tru\s+tai|thuong\s+tru|"
    r"dia\s+chi\s+tru\s+so\s+chinh|dia\s+chi\s+tru\s+so|co\s+tru\s+so\s+(?:chinh\s+)?tai|tru\s+so\s+(?:chinh\s+)?tai|tru\s+so\s+chinh|"
    r"noi\s+cu\s+tru|cu\s+tru\s+tai|tru\s+tai|dia\s+chi)\s*[:;]?\s*(?:tai\s+)?"
)
# An address ends at a semicolon, a closing bracket, a full stop or the next identification.
_ADDRESS_END = re.compile(r"[;)]|\.(?:\s|$)|,\s*(?:sinh|so\s+dinh|cccd|cmnd|ma\s+so|dien\s+thoai|so\s+dien)\b")
# The parts of an address from the commune up: `xã Kim Long`, `thành phố Vĩnh Yên`, `Phường 5`.
_ADMINISTRATIVE = re.compile(r"(?:tinh|thanh\s+pho|tp\s*\.?|huyen|quan|thi\s+xa|xa|phuong|thi\s+tran)\s+")
_WORD = re.compile(r"\S+")
_AND = re.compile(r"\s*,?\s*va\s+(?:ho\s+)?(?:ong\s*/\s*ba|ong|ba)?\s*:?\s*")


@dataclass(frozen=True)
class ProseHolder:
    name: Found
    id: Found | None
    address: Found | None


def first_article(segments: list[Segment]) -> list[Segment]:
    """The lines of `Điều 1.` up to the next article or the recipients list."""
    lines: list[Segment] = []
    for segment in segments:
        folded = fold(segment.text)
        article = _ARTICLE.match(folded)
        if lines and (article or RECIPIENTS.match(folded) or len(lines) >= MAX_ARTICLE_LINES):
            break
        if lines or (article and article.group("n") in ("1", "l", "i")):
            lines.append(segment)
    return lines


def _person_name(flat: str, start: int) -> tuple[str, int] | None:
    """The capitalised words of a name from `start`, and where they end."""
    words: list[str] = []
    end = start
    for match in _WORD.finditer(flat, start):
        word = match.group()
        core = word.rstrip(",;:(")
        if not (core.isalpha() and core[0].isupper()) or len(words) == NAME_SYLLABLES[1] or match.start() > end + 1:
            break
        words.append(core)
        end = match.start() + len(core)
        if core != word:  # punctuation closes the name
            break
    return (" ".join(words), end) if len(words) >= NAME_SYLLABLES[0] else None


def _organisation_name(flat: str, folded: str, start: int) -> tuple[str, int] | None:
    """`Công ty TNHH ...` up to where its identification starts; None for `công ty` in a sentence."""
    stop = _ORGANISATION_END.search(folded, start, start + MAX_ORGANISATION_CHARS)
    if not stop or not flat[start].isupper():
        return None
    return clean(flat[start : stop.start()]), stop.start()


@dataclass(frozen=True)
class _Named:
    name: str
    start: int
    end: int
    gender: str | None  # "male", "female" or None: for checking a personal number
    person: bool


def _candidates(flat: str, folded: str) -> list[_Named]:
    found = []
    for match in _PERSON.finditer(folded):
        read = _person_name(flat, match.end())
        if read:
            honorific = match.group("hon")
            gender = "male" if honorific == "ong" else "female" if honorific == "ba" else None
            found.append(_Named(read[0], match.end(), read[1], gender, True))
    for match in _ORGANISATION.finditer(folded):
        read = _organisation_name(flat, folded, match.start())
        if read:
            found.append(_Named(read[0], match.start(), read[1], None, False))
    return sorted(found, key=lambda named: named.start)


def _identifier(text: DocumentText, flat: str, folded: str, named: _Named, clause_end: int,
                today: dt.date | None) -> Found | None:
    label = _ID_LABEL.search(folded, named.end, clause_end)
    digits_match = _ID_DIGITS.match(folded, label.end()) if label else None
    if not digits_match:
        return None
    printed = flat[digits_match.start() : digits_match.end()]
    digits = re.sub(r"[^0-9]", "", printed)
    problem = identifiers.holder_id_problem(digits, today)
    if problem is None and len(digits) == 12:
        birth = _BIRTH.search(folded, named.end, clause_end)
        problem = identifiers.personal_number_mismatch(
            digits, int(birth.group("year")) if birth else None, named.gender
        )
    return Found(digits, text.words_between(digits_match.start(), digits_match.end()), problem, printed=printed)


def _address_value(flat: str, folded: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the address after its label ends: its parts up to the last administrative unit,
    that unit's own words only (`tỉnh Vĩnh Phúc được phép ...` stops before `được`)."""
    stop = _ADDRESS_END.search(folded, start, end)
    limit = stop.start() if stop else end
    position, last, seen_unit = start, None, False
    for part in flat[start:limit].split(","):
        part_start = position
        position += len(part) + 1
        lead = len(part) - len(part.lstrip())
        unit = _ADMINISTRATIVE.match(folded, part_start + lead)
        if not unit:
            if seen_unit:
                break  # the sentence goes on after the address
            last = part_start + len(part.rstrip())
            continue
        seen_unit = True
        words_end = unit.end()
        for word in _WORD.finditer(flat, unit.end(), part_start + len(part)):
            if not (word.group()[0].isupper() or word.group()[0].isdigit()):
                break
            words_end = word.end()
        if words_end == unit.end():
            break  # a unit without its name: not an address part
        last = words_end
        if words_end < part_start + len(part.rstrip()):
            break  # the unit's name is followed by the rest of the sentence
    return (start, last) if seen_unit and last else None


def _address(text: DocumentText, flat: str, folded: str, named: _Named, clause_end: int) -> Found | None:
    label = _ADDRESS_LABEL.search(folded, named.end, clause_end)
    span = _address_value(flat, folded, label.end(), clause_end) if label else None
    if not span:
        return None
    start, end = span
    return Found(clean(flat[start:end]).rstrip(" ,"), text.words_between(start, end), weak=True)


def prose_holder(segments: list[Segment], today: dt.date | None = None) -> ProseHolder | None:
    """The first person or organisation of the first article whose identification follows its name."""
    article = first_article(segments)
    if not article:
        return None
    text = DocumentText.of(article)
    flat = text.text.replace("\n", " ")
    folded = fold(flat)
    if len(folded) != len(flat):  # offsets are shared between the two: NFC text folds letter for letter
        return None
    candidates = _candidates(flat, folded)
    for index, named in enumerate(candidates):
        # Co-holders (`ông A và bà B, cùng thường trú tại ...`): the first is the holder, the
        # address after the second is theirs, a number there may be the second's only.
        partner = next((c for c in candidates[index + 1 :] if _AND.fullmatch(folded, named.end, c.start)), None)
        identified = partner if partner and _IDENTIFIES.match(folded, partner.end) else named
        if not _IDENTIFIES.match(folded, identified.end):
            continue
        # The holder's part ends where the next person or organisation is named.
        clause_end = next((c.start for c in candidates if c.start > identified.end), len(flat))
        words = text.words_between(named.start, named.end)
        if named.person:
            value = person_name(named.name)
            name = Found(value, words, None if is_name_shape(value) else "not a name of 2-5 syllables", weak=True)
        else:
            name = Found(named.name, words, weak=True)
        number = _identifier(text, flat, folded, named, clause_end, today) if identified is named else None
        return ProseHolder(name, number, _address(text, flat, folded, identified, clause_end))
    return None
