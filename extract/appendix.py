"""An appendix filed on its own (`phu_luc`): no header, no signature, its parent named at its top.

Appendices (`Phụ lục`, `DANH MỤC THỦ TỤC HÀNH CHÍNH ...`, `BIỂU MẪU ...`) follow a decision's
signature on pages of their own and are often filed as a file of their own. Such a file starts,
after at most a stamp line or two, with the appendix's title and a `(Kèm theo Quyết định số
311/QĐ-UBND ngày 18/02/2025 của ...)` line, and carries no national motto: a page with the motto
is a document of its own (a decision with appendices after its signature stays a decision). The
number and day of the parent are often left blank for the clerk (`số      /QĐ-UBND ngày   /02/2025`);
only what is printed is read, as `parent_document_number` and `parent_issue_date`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract import dates, notation
from extract.found import Found, follows_closely
from extract.layout import Layout, Segment, same_row
from ocr.vntext import fold

# The title is among the first text lines of the page, the parent's reference right under it.
TITLE_LINES = 4
REFERENCE_LINES = 8
# A national form prints `Mẫu ... (Ban hành kèm theo Thông tư ...)` in a corner above its motto.
MOTTO_LINES = 12
# A reference runs over at most this many further lines before its closing parenthesis.
REFERENCE_CONTINUATION = 2

_TITLE = re.compile(r"^\W*(phu luc|danh muc|bieu mau|bieu|mau|bang)\b")
# `Kèm theo` a known kind of document, or any kind followed by its number (`Kèm theo Hướng dẫn số`).
_REFERENCE = re.compile(
    r"(?:ban hanh\s*)?kem\s*theo\s*"
    r"(?:quyet dinh|thong tu|nghi dinh|nghi quyet|chi thi|cong van|ke hoach|thong bao|bao cao|van ban|to trinh|de an"
    r"|(?:[a-z]+\s+){1,3}s[o06]\b)"
)
_MOTTO = re.compile(r"cong hoa xa hoi|doc lap\W*tu do")
_NUMBER_LABEL = re.compile(r"\bs[o06]\b\s*:?\s*")
# The number ends where the day or the issuing body begins.
_NUMBER_END = re.compile(r"\s(?:ngay|cua)\b|[),;]")


@dataclass(frozen=True)
class Appendix:
    title: Segment
    reference: Segment  # the `(Kèm theo ...)` text, its lines joined
    reference_start: int  # offset of `Kèm theo` in reference.text


def filed_alone(layout: Layout) -> Appendix | None:
    """The appendix heading of a file that is an appendix alone, or None."""
    page = layout.first_page
    lines = [s for s in page if s.is_text]
    if any(_MOTTO.search(fold(s.text)) for s in lines[:MOTTO_LINES]):
        return None
    heading = lines[:REFERENCE_LINES]
    titles = [s for s in heading[:TITLE_LINES] if _TITLE.match(fold(s.text))]
    for segment in heading:
        if not _REFERENCE.search(fold(segment.text)):
            continue
        if not titles:
            return None
        reference = _reference_text(page, segment)
        return Appendix(titles[0], reference, _REFERENCE.search(fold(reference.text)).start())
    return None


def _reference_text(page: list[Segment], first: Segment) -> Segment:
    """The reference line with the pieces beside it (blanks left for the number and day cut a
    line into pieces) and the lines it runs on over, up to its closing parenthesis."""
    row = sorted((s for s in page if same_row(s, first)), key=lambda s: s.bbox[0])
    words = [w for s in row for w in s.words]
    last = row[-1]
    below = [s for s in page if s.bbox[1] >= max(r.bbox[3] for r in row) - 0.25 * first.height and s not in row]
    for segment in below[:REFERENCE_CONTINUATION]:
        if ")" in " ".join(w.text for w in words) or not follows_closely(last, segment):
            break
        words.extend(segment.words)
        last = segment
    return Segment(first.page, tuple(words))


def parent_fields(found: Appendix, today: dt.date | None = None) -> dict[str, Found]:
    """The parent's number and day, where printed (a blank left for either gives nothing)."""
    reference = found.reference
    text = reference.text
    folded = fold(text)
    end = folded.find(")", found.reference_start)
    end = len(text) if end < 0 else end
    label = _NUMBER_LABEL.search(folded, found.reference_start, end)
    fields: dict[str, Found] = {}
    after_number = found.reference_start
    if label:
        stop = _NUMBER_END.search(folded, label.end(), end)
        number_end = stop.start() if stop else end
        value = notation.parse_notation(text[label.end() : number_end])
        if value:
            words = reference.words_between(label.end(), number_end)
            fields["parent_document_number"] = Found(value.value, words, value.problem,
                                                     printed=text[label.end() : number_end].strip())
        after_number = number_end
    reading = dates.find_date(text[after_number:end], today)
    if reading:
        start, stop = after_number + reading.start, after_number + reading.end
        fields["parent_issue_date"] = Found(reading.iso, reference.words_between(start, stop), reading.problem,
                                            printed=text[start:stop])
    return fields
