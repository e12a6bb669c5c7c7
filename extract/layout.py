"""The fixed zones of a Decree 30 page, found from line positions.

Page 1: a two-column header (issuing body and `Số:` on the left, motto and place-and-date
on the right), then centred title and subject lines, then the body. The page with the
recipients list (`Nơi nhận:`), else the last page: the signature block in the right column
below the body. Lines are first cut at wide word
gaps, because OCR may run one line across both header columns, and pieces of one
printed line that OCR returned apart are joined.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from extract.text import clean, in_capitals, letters, repair_ocr_glyphs
from ocr.types import BBox, Line, PageResult, Word
from ocr.vntext import fold

# Word gaps in running text stay near 1% of the page width; the gap between the two
# header columns or beside the signature block is 5% or more.
COLUMN_GAP = 0.05
# A title or body line is centred on the page or reaches well across its middle; a
# header or signature piece keeps to one column, centred near x 0.27 or 0.72. The text
# area's own centre sits right of 0.5 (margins 30 mm left, 15-20 mm right).
CENTRED_WITHIN = 0.1
# A centred line leaves room on both sides; a full body line runs from margin to margin.
CENTRED_MARGINS = (0.2, 0.88)
CROSSING_REACH = 0.1
# A note in the left margin (a received stamp) starts left of the text area (30 mm: 0.14 of the
# width), ends before a quarter of it, and stands this far from the line beside it.
MARGIN_NOTE_START = 0.1
MARGIN_NOTE_END = 0.25
MARGIN_NOTE_GAP = 0.02
# Where the header must have ended even if no title line is found.
HEADER_LIMIT = 0.4
HEADER_FALLBACK = 0.25
# Where to look for a signature block when no body line above it is recognised.
LOWER_PART = 0.5
# Below this mean word confidence, or with fewer letters, a line is seal or signature
# noise: it neither ends the header nor marks the body's end.
TEXT_CONFIDENCE = 0.5
TEXT_LETTERS = 3
# `Nơi nhận:` as OCR returns it, folded (the colon or a mark may be lost: `Noi nhân`).
RECIPIENTS = re.compile(r"^[\W_]*noi\s*nhan\b")
# The first line of a signature block signed on another's behalf, folded: `KT. CHỦ TỊCH`, `TM. ỦY BAN
# NHÂN DÂN`, `TUQ. GIÁM ĐỐC` (a lost dot or space too: `KT.CHỦ TỊCH`, `KT CHỦ TỊCH`).
_AUTHORITY_LINE = re.compile(r"^[\W_]*(?:kt|tm|tl|tuq|q)(?:\s?[.,:]\s?|\s)[a-z]{2,}\s[a-z]")
# An appendix announces itself in its first lines: `PHỤ LỤC`, `(Kèm theo Quyết định số ...)`.
_APPENDIX = re.compile(r"^\W*phu luc\b|\(\s*kem theo\b")
APPENDIX_HEADING_LINES = 5
# The narrowest body line (a centred `QUYẾT ĐỊNH:` is 0.15 wide); seal fragments are narrower.
BODY_LINE_WIDTH = 0.08


@dataclass(frozen=True)
class Segment:
    """A run of words printed on one line in one column, text in NFC."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @cached_property  # read millions of times by the row and column rules of a long document
    def bbox(self) -> BBox:
        return (
            min(w.bbox[0] for w in self.words),
            min(w.bbox[1] for w in self.words),
            max(w.bbox[2] for w in self.words),
            max(w.bbox[3] for w in self.words),
        )

    @property
    def confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def x_centre(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def is_centred(self) -> bool:
        x0, _, x1, _ = self.bbox
        left, right = CENTRED_MARGINS
        return abs(self.x_centre - 0.5) < CENTRED_WITHIN and x0 > left and x1 < right

    @property
    def is_central(self) -> bool:
        """A title, subject or body line rather than a piece of one column."""
        x0, _, x1, _ = self.bbox
        return self.is_centred or (x0 < 0.5 - CROSSING_REACH and x1 > 0.5 + CROSSING_REACH)

    @property
    def is_text(self) -> bool:
        """Printed text rather than a seal or signature stroke that OCR read as characters."""
        return self.confidence >= TEXT_CONFIDENCE and len(letters(self.text)) >= TEXT_LETTERS

    @property
    def is_left(self) -> bool:
        return self.x_centre < 0.5

    def words_between(self, start: int, end: int) -> list[Word]:
        """The words whose characters overlap text[start:end]."""
        found, offset = [], 0
        for word in self.words:
            if offset < end and start < offset + len(word.text):
                found.append(word)
            offset += len(word.text) + 1
        return found


@dataclass(frozen=True)
class Layout:
    header_left: list[Segment]
    header_right: list[Segment]
    below_header: list[Segment]  # the rest of page 1 in reading order
    signature: list[Segment]  # right column of the last page below the body
    segments: list[Segment]  # every segment of every page, top to bottom

    @property
    def first_page(self) -> list[Segment]:
        """The segments of the first page read (its number may not be 1), top to bottom."""
        return [s for s in self.segments if s.page == self.segments[0].page] if self.segments else []


def _clean_words(line: Line, page: PageResult) -> list[Word]:
    if not line.words:
        # A line without word boxes: one pseudo-word; only a text layer is trusted blindly.
        confidence = 1.0 if page.method == "text_layer" else 0.0
        return [Word(text=line.text, confidence=confidence, bbox=line.bbox)]
    return [w.model_copy(update={"text": repair_ocr_glyphs(clean(w.text))}) for w in line.words]


def _folded(words: Sequence[Word], start: int, count: int) -> tuple[str, ...]:
    return tuple("".join(c for c in fold(w.text) if c.isalnum()) for w in words[start : start + count])


def opens_motto(words: Sequence[Word], index: int) -> bool:
    """Whether words[index] begins the national motto (`CỘNG HÒA XÃ HỘI ...`, `Độc lập - Tự do`).

    The motto opens the right header column; on a narrow page (a phone photo cropped to the
    text) OCR runs the issuing body's line into it with no column gap, so the motto itself marks
    the cut. `... NƯỚC CỘNG HÒA XÃ HỘI ...` in a title is no motto.
    """
    if fold(words[index].text[:1]) not in ("c", "d"):  # most words: neither CỘNG nor Độc
        return False
    if index > 0 and _folded(words, index - 1, 1) == ("nuoc",):
        return False
    if _folded(words, index, 3) == ("cong", "hoa", "xa"):
        return in_capitals(words[index].text)
    head = _folded(words, index, 4)
    return head[:2] == ("doc", "lap") and "tu" in head[2:] and words[index].text[:1].isupper()


def split_line(line: Line, page: PageResult) -> list[Segment]:
    """Cut a line wherever two words stand a column gap apart, and before the national motto."""
    words = sorted((w for w in _clean_words(line, page) if w.text), key=lambda w: w.bbox[0])
    runs: list[list[Word]] = []
    for index, word in enumerate(words):
        motto = opens_motto(words, index)
        if runs and word.bbox[0] - runs[-1][-1].bbox[2] <= COLUMN_GAP and not motto \
                and not _after_margin_note(runs[-1], word):
            runs[-1].append(word)
            continue
        # The column rule OCR read between body and motto (`_`) belongs to neither.
        while motto and runs and len(runs[-1]) > 1 and not any(c.isalnum() for c in runs[-1][-1].text):
            runs[-1].pop()
        runs.append([word])
    return [Segment(page.number, tuple(run)) for run in runs]


def _after_margin_note(run: list[Word], word: Word) -> bool:
    """`run` is a note in the left margin (a received stamp's `ĐẾN Ngày ...`) and `word` opens the
    printed line beside it after a gap wider than between words: no printed line starts left of
    the text area, and a run that does stops short of it."""
    return (run[0].bbox[0] < MARGIN_NOTE_START and run[-1].bbox[2] < MARGIN_NOTE_END
            and word.bbox[0] - run[-1].bbox[2] >= MARGIN_NOTE_GAP and word.bbox[0] >= MARGIN_NOTE_END - 0.05)


def same_row(a: Segment, b: Segment) -> bool:
    """The two segments overlap by more than half the shorter one's height: one printed row."""
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.height, b.height)


def _one_line(a: Segment, b: Segment) -> bool:
    """Pieces of one printed line overlap by more than half the taller one's height: a stamp
    two lines high in the margin (`ĐẾN Ngày ...`) shares a row with each of them, not a line."""
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * max(a.height, b.height)


def join_row_pieces(segments: list[Segment]) -> list[Segment]:
    """Join pieces of one printed line that OCR returned as separate lines (`ỦY BA` + `N NHÂN DÂN`)."""
    joined: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.bbox[0]):
        for index, other in enumerate(joined):
            if (
                _one_line(other, segment)
                and segment.bbox[0] - other.bbox[2] <= COLUMN_GAP
                and not _after_margin_note(list(other.words), segment.words[0])
                and not opens_motto(segment.words, 0)
            ):
                joined[index] = Segment(other.page, other.words + segment.words)
                break
        else:
            joined.append(segment)
    return joined


def page_segments(page: PageResult) -> list[Segment]:
    segments = join_row_pieces([s for line in page.lines for s in split_line(line, page)])
    return sorted(segments, key=lambda s: (round(s.bbox[1], 3), s.bbox[0]))


def _header_end(segments: list[Segment]) -> float:
    """The top of the first line that crosses the centre: the title, or the body (never the motto,
    which on a narrow page may reach over the centre). Lines wholly above the motto are a stamp's
    or a logo's (a gazette centre's name printed over the header), not the title."""
    motto_top = next((s.bbox[1] for s in segments if s.bbox[1] < HEADER_LIMIT and opens_motto(s.words, 0)), 0.0)
    for segment in segments:
        if segment.bbox[1] >= HEADER_LIMIT:
            break
        if segment.bbox[3] <= motto_top:
            continue
        if segment.is_central and segment.is_text and not opens_motto(segment.words, 0):
            return segment.bbox[1]
    return HEADER_FALLBACK


def signature_block(segments: list[Segment], top: float) -> list[Segment]:
    """Right-column lines after the last line that crosses the centre (the body's end). The body
    ends by the recipients' heading at the latest: a long recipient line reaches over the centre."""
    below = [s for s in segments if s.bbox[1] >= top]
    recipients = next((s.bbox[1] for s in below if s.is_left and RECIPIENTS.match(fold(s.text))), float("inf"))
    body = [s for s in below if s.is_central and s.is_text and s.bbox[2] - s.bbox[0] >= BODY_LINE_WIDTH
            and s.bbox[1] < recipients]
    last_central = max((s.bbox[3] for s in body), default=top)
    block = [s for s in below if not s.is_left and s.bbox[1] >= last_central]
    if block:
        return block
    return [s for s in below if not s.is_left and s.bbox[1] >= LOWER_PART]


def signature_page(per_page: list[list[Segment]]) -> int:
    """Index of the page with the signature block: the last one with the recipients list
    (`Nơi nhận:`, printed beside the block); else the first one with an authority line in the
    right column (`KT. CHỦ TỊCH`, `TM. ỦY BAN NHÂN DÂN`); else the page before the first appendix page
    (`Phụ lục`, `(Kèm theo Quyết định số ...)` at its top): appendices follow the block on
    pages of their own, and only their first page says so; else the last page."""
    for index in reversed(range(len(per_page))):
        if any(s.is_left and RECIPIENTS.match(fold(s.text)) for s in per_page[index]):
            return index
    # OCR lost the recipients' heading: the block's own authority line (`KT. CHỦ TỊCH`) marks it;
    # the first such page, as forms printed in an appendix carry blocks of their own
    for index in range(len(per_page)):
        if any(not s.is_left and in_capitals(s.text) and _AUTHORITY_LINE.match(fold(s.text)) for s in per_page[index]):
            return index
    for index in range(1, len(per_page)):
        if any(_APPENDIX.search(fold(s.text)) for s in per_page[index][:APPENDIX_HEADING_LINES]):
            return index - 1
    return len(per_page) - 1


def analyse(pages: list[PageResult]) -> Layout:
    per_page = [page_segments(page) for page in pages]
    first = per_page[0] if per_page else []
    header_end = _header_end(first)
    header = [s for s in first if s.bbox[1] < header_end]
    signed = signature_page(per_page) if per_page else 0
    signature_top = header_end if signed == 0 else 0.0
    return Layout(
        header_left=[s for s in header if s.is_left],
        header_right=[s for s in header if not s.is_left],
        below_header=[s for s in first if s.bbox[1] >= header_end],
        signature=signature_block(per_page[signed], signature_top) if per_page else [],
        segments=[s for segments in per_page for s in segments],
    )
