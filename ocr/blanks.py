"""The number and day a clerk wrote into a decision's blanks, read by the second recogniser.

Decisions are printed as `Số:      /QĐ-UBND` and `ngày    tháng 02 năm 2025` and numbered and
dated by hand. Tesseract reads the ink as nothing, a wrong digit (`8` for 18), letters glued to
the notation (`‡10QĐ-UBND`, `#40QĐ-UBND`), or drops the whole `Số:` line. Here the blanks are
found by what surrounds them in the header's lines (a `Số:` word opening a line and the notation
word to its right, or for a bare register number the next word OCR is sure of; `ngày`, `tháng`
and `năm` on the place-and-date line; a label OCR read together with the ink written against it,
`Số:/694`, `ngày/{5`, is first cut from it at the width it prints at), a lost `Số:` line is read
again from under the issuing body, and each blank is cut out of the page image, tightened to the
ink (leader dots, rules and the lines above and below dropped) and read by ocr/digit_reader.py. A reading that is digits
alone, plausible (day 1-31, month 1-12, number 1-99999) and sure of every digit replaces
Tesseract's words of the blank as words marked `handwritten`: extract/ publishes them only with a
low confidence and a review reason; so does a value pieced together glyph for glyph where each
recogniser read part of it as something else (`Ở32` and `93N`: 932). Anything else leaves
Tesseract's words as they were; a blank Tesseract read as one word of sure digits is typed and
left alone. Where both read the same
digits (a look-alike letter or a mark of the rule aside: `L7`, `02_`), Tesseract's word carries the
agreement (`digits_agreed`): two independent readings of print, which extract/ may trust.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader, Reading
from ocr.types import Line, Word
from ocr.vntext import fold

log = logging.getLogger(__name__)

STAGE = "handwritten_digits"
# The header (number, place and date) stands in the top third of page 1.
HEADER_BOTTOM = 1 / 3
# Every digit at least this probable. On the real scans right readings had 0.74-1.0 for their
# weakest digit; the two that fell short were a wrong `240` for 210 (0.43) and a faint 20 (0.37).
MIN_CONFIDENCE = 0.6
# Tesseract's own reading of a blank is taken as typed when all digits and this sure (typed
# digits read at 0.92-0.97 on the scans, handwritten ones at 0.58-0.75).
TYPED_CONFIDENCE = 0.9
# The confidence left on printed digits the second reader reads otherwise: under extraction's
# bar for digits (extract/ sends a number or day read below 0.80 to review).
DISPUTED = 0.5
LIMITS = {"number": 99_999, "day": 31, "month": 12}
# How far right of `Số:` the notation may start, in the label's heights (a wide blank).
NOTATION_REACH = 14
# A lost `Số:` line is looked for this many body-line heights under the issuing body, in at
# most this many lines of text there (each read again costs a small Tesseract run).
NUMBER_LINE_REACH = 5.5
NUMBER_LINE_TRIES = 3
# Half the width a `Số:` line may take under a short issuing body (`BỘ TƯ PHÁP`), in page widths.
NUMBER_LINE_HALF_WIDTH = 0.12

_NUMBER_LABEL = re.compile(r"^\W{0,2}s[o06]\s*(?P<colon>:?)$")
# A notation letter the second reader read where Tesseract saw a mark: this sure of it.
SURE_LETTER = 0.9
# The notation after the number: `/QĐ-UBND`, `/2025/QĐ-UBND`, `/UBND-VP`, `/GPXD`, `/PC08`, `/TTr-SNV`;
# `lead` is whatever OCR glued before it (`‡10`, `1Ø/`), and without its `/` (`‡10QĐ-UBND`) the
# notation must have its hyphen to be told from other capitals.
_NOTATION = re.compile(
    r"^(?P<lead>.*?)(?P<notation>/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9&-]*|(?:\d{4}/)?[A-ZĐ][A-ZĐ&]*(?:-[A-ZĐ0-9&]+)+)[.,;]?$"
)
# A number with no notation (a civil-status paper's register entry, `Số: 125`): this many label
# heights to the right of `Số:` at most.
BARE_NUMBER_REACH = 8
SURE_WORD_CONFIDENCE = 0.8
_DIGITS = re.compile(r"\d{1,5}")
# A date label's width in the median width of a letter on its line, measured on the date lines
# of 69 real pages: `ngày` 3.4-4.2 (median 3.9), `tháng` 4.0-4.8 (4.5).
_DATE_LABELS = {"ngay": 3.9, "thang": 4.5}
# A label word this many times the width its letters take on its line holds the ink written
# against it (`ngày` read over `ngày06`: 0.074 of the page against 0.046; over `ngày15` with a
# thin `1`, 1.18 times). Printed labels measure up to 1.09 times.
GLUED_WIDTH = 1.15
# Without sure words on the line: a printed letter's width in the label's heights.
LETTER_WIDTH_PER_HEIGHT = 0.45
# The share of a label's width its last letter (or colon) may start in.
LABEL_TAIL = 0.15
# `Số:` glued to what OCR read of a number written against it (`Số:/694` for `Số:5689`).
_GLUED_NUMBER = re.compile(r"^s[o06]:[^a-z]+$")
# `Số:` prints 1.2-1.36 times as wide as its word box is high (median 1.3, 73 real pages).
NUMBER_LABEL_WIDTH = 1.3
# Handwritten digits stand about this many times the type's height (samples/handwriting.py).
HANDWRITING_HEIGHT = 1.6
_NUMBER_BEFORE_SLASH = re.compile(r"(\d{1,5})/")


@dataclass(frozen=True)
class Blank:
    """A filled blank: the words it replaces, where to read, and how to tell a good reading."""

    kind: str  # "number" or "day"
    after: Word  # the label the reading follows on its line
    replaced: list[Word]  # what Tesseract read in the blank
    box: tuple[float, float, float, float]  # the region to read, page fractions
    band: tuple[float, float]  # the printed line's top and bottom: the ink must reach into it
    notation: Word | None = None  # a notation word with OCR's reading of the ink glued on
    notation_text: str = ""  # that word without the glued part (`/QĐ-UBND`)
    typed: bool = False  # Tesseract read printed digits there, surely: only checked, never replaced
    # Where the ink may begin (a page fraction): marks starting further left are the label's letters.
    ink_from: float = 0.0

    @property
    def lead(self) -> str:
        """What Tesseract read of the ink glued before the notation (`‡10`, `®`)."""
        return _NOTATION.match(self.notation.text)["lead"] if self.notation is not None else ""


def read_blanks(
    image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]
) -> tuple[list[Line], list[str]]:
    """`lines` with the handwritten number and day read in; also what was read, for the log.
    `reader` gives the recogniser, made only when a page has a blank to read."""
    read = []
    lines, cut = unglue_labels(lines, image.height / image.width)
    for blank in [*find_number_blanks(lines, cut), *find_date_blanks(lines, cut)]:
        cropped = tight_crop(image, blank)
        if cropped is None:
            continue
        ink, box = cropped
        read_whole = _unspaced(reader().read(Image.fromarray(ink)))
        blank = _notation_letters_restored(blank, read_whole)
        value, reading = _value(blank, read_whole)
        if value is None and (pieced := _pieced_together(blank, read_whole)) is not None:
            value, reading = pieced
        if value is None:
            log.info("%s blank: %r not taken (%s)", blank.kind, reading.text, reading.probabilities)
            continue
        if _typed_agrees(blank, value):
            # Tesseract's low confidence in a stamped `246/QĐ-UBND` (0.06-0.6) is the notation's
            # glyphs, not the digits: the agreement is kept as evidence for extract/.
            lines = _agreed(lines, blank, reading.confidence)
            continue
        if _lookalike_agrees(blank, value):
            # Tesseract saw the same glyphs and its language model made a letter of one (`L7`,
            # `02_` over the blank's rule): the digits are printed, not written in.
            read_as = Line.from_words(blank.replaced, 0)  # its box and mean confidence
            lines = _replace(lines, blank, Word(text=value, confidence=read_as.confidence, bbox=read_as.bbox,
                                                digits_agreed=round(reading.confidence, 3)))
            continue
        if blank.typed and not _possible(blank):
            # Printed digits that are no day at all (`70` for an italic `10`, Tesseract sure of
            # it): the second reader's possible value goes in, as unsure as a dispute.
            lines = _replace(lines, blank, Word(text=value, confidence=DISPUTED, bbox=box))
            log.info("printed %s impossible: Tesseract %s, digit reader %s", blank.kind, _typed_text(blank), value)
            continue
        if blank.typed:
            # Printed digits Tesseract was sure of and the second reader sure of others (`999`
            # read `222` at 0.91): neither is trusted, so the value goes to a person.
            lines = _disputed(lines, blank)
            log.info("printed %s disputed: Tesseract %s, digit reader %s", blank.kind, _typed_text(blank), value)
            continue
        lines = _replace(lines, blank, Word(text=value, confidence=reading.confidence, bbox=box, handwritten=True))
        read.append(f"{blank.kind} {value} ({reading.confidence:.2f})")
    return lines, read


def recover_number_line(image: Image.Image, lines: list[Line], reread: Callable[[Image.Image], list[Line]]) -> list[Line]:
    """`lines` with the `Số:` line put back when OCR lost it (the ink of a handwritten number
    can make Tesseract drop the whole line): the lines of text in the band under the issuing
    body's last line, each read again on its own by `reread` (boxes as fractions of the band)
    until one holds the label; specks and the rule under the body come first on some pages.
    Unchanged when a `Số` label was read or the band holds none."""
    if any(_number_label(line) for line in lines):
        return lines
    issuer = [line for line in lines if _in_header(line) and line.bbox[2] <= 0.5 and line.bbox[1] < 0.2
              and _capitals(line.text)]
    if not issuer:
        return lines
    last = max(issuer, key=lambda line: line.bbox[3])
    height = last.bbox[3] - last.bbox[1]
    width, page_height = image.size
    # The line is centred under the body; the place-and-date line starts near the page's middle,
    # and a letter of it in the band throws Tesseract's reading of the whole line (`Số970QĐ`).
    left, right = min(line.bbox[0] for line in issuer), max(line.bbox[2] for line in issuer)
    centre, half = (left + right) / 2, max((right - left) / 2, NUMBER_LINE_HALF_WIDTH)
    x0, x1 = max(0.0, left - 0.05), min(0.5, centre + half + 0.03)
    # The number sits one to four lines under the body (Prime Minister's decisions: four).
    top, bottom = last.bbox[3] + 0.2 * height, last.bbox[3] + NUMBER_LINE_REACH * height
    area = np.asarray(image.crop((int(x0 * width), int(top * page_height), int(x1 * width),
                                  int(bottom * page_height))).convert("L"))
    for row in _text_rows(area, height * page_height)[:NUMBER_LINE_TRIES]:
        band = (x0, top + row[0] / page_height, x1, top + row[1] / page_height)
        crop = image.crop((int(x0 * width), int(band[1] * page_height), int(x1 * width), int(band[3] * page_height)))
        found = [line for line in reread(_without_specks(crop, height * page_height))
                 if _number_label(line.on_page(band))]
        if found:
            recovered = found[0].on_page(band).model_copy(update={"block": last.block})
            at = lines.index(last) + 1
            return [*lines[:at], recovered, *lines[at:]]
    return lines


def _without_specks(band: Image.Image, line_height: float) -> Image.Image:
    """The band with specks a line height or more away from other ink whited out: Tesseract reads
    a line with a speck far out at its end wrong as a whole (`Số: 970/QĐ-TTg .` as `Số970QĐ-TTg`)."""
    grey = np.asarray(band.convert("L"))
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    speck = (0.15 * line_height) ** 2
    boxes = [(x, y, x + w, y + h) for x, y, w, h, _ in stats[1:]]
    stray = [
        label for label in range(1, count)
        if stats[label, cv2.CC_STAT_AREA] < speck and all(
            _gap(boxes[label - 1], other) >= line_height for k, other in enumerate(boxes, 1) if k != label)
    ]
    if not stray:
        return band
    cleaned = grey.copy()
    cleaned[np.isin(labels, stray)] = 255
    return Image.fromarray(cleaned)


def _gap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """The distance between two boxes along x or y, whichever is larger (0 when they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3], 0)


def _text_rows(area: np.ndarray, line_height: float) -> list[tuple[int, int]]:
    """The rows (with a margin) of each line of text in `area`, top down: runs of inked rows at
    least 40% of a line high (the rule under the issuing body is a few pixels)."""
    _, ink = cv2.threshold(area, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = ink.sum(axis=1) > max(3, 0.005 * area.shape[1])
    rows, start = [], None
    for y, on in enumerate([*inked, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 0.4 * line_height:
                margin = int(0.3 * line_height)
                rows.append((max(0, start - margin), min(area.shape[0], y + margin)))
            start = None
    return rows


def _number_label(line: Line) -> re.Match | None:
    """The `Số:` label opening a header line: as printed `Số:`/`SỐ:`; OCR may lower its capital,
    but then the colon must be there (the body cites `số 63/2010/NĐ-CP`)."""
    label = line.words[0]
    match = _NUMBER_LABEL.match(fold(label.text))
    if not (match and _in_header(label) and ("S" in label.text[:3] or match["colon"])):
        return None
    # `Số trang của bản sao: 02` is another label.
    return None if not match["colon"] and len(line.words) > 1 and _sure_word(line.words[1]) else match


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def find_number_blanks(lines: list[Line], cut: frozenset[int] = frozenset()) -> list[Blank]:
    """`Số:` opening a header line, then the notation word to its right on the same band; with
    no notation there, the blank up to the next word (a register entry's bare number). `cut`:
    the ids of labels cut from the ink written against them (unglue_labels)."""
    words = [word for line in lines for word in line.words]
    for line in lines:
        if not _number_label(line):
            continue
        label = line.words[0]
        height = label.bbox[3] - label.bbox[1]
        right = sorted((w for w in words if w.bbox[0] >= label.bbox[2] - height * 0.2
                        and w.bbox[0] - label.bbox[2] < NOTATION_REACH * height and _same_band(label, w)),
                       key=lambda w: w.bbox[0])
        for position, word in enumerate(right):
            notation = _NOTATION.match(word.text)
            if notation:
                return _number_blank(label, right[:position], word, notation, id(label) in cut)
        return _bare_number_blank(label, right, id(label) in cut)
    return []


def _number_blank(label: Word, between: list[Word], word: Word, notation: re.Match, cut: bool) -> list[Blank]:
    lead = notation["lead"]
    typed = _is_typed([*between, *([word.model_copy(update={"text": lead})] if lead else [])])
    height = label.bbox[3] - label.bbox[1]
    top, bottom = _band([label, word])
    # A notation with OCR's reading of the ink glued on is read through: the number is what
    # comes before its `/`.
    x1 = word.bbox[2] if lead else word.bbox[0]
    text = notation["notation"] if notation["notation"].startswith("/") else "/" + notation["notation"]
    x0, ink_from = _after_label(label, cut)
    box = (x0, top - height * 0.7, x1, bottom + height * 0.7)
    return [Blank("number", label, between, box, (top, bottom), word if lead else None, text, typed, ink_from)]


def _bare_number_blank(label: Word, right: list[Word], cut: bool) -> list[Blank]:
    height = label.bbox[3] - label.bbox[1]
    near = [w for w in right if w.bbox[0] - label.bbox[2] < BARE_NUMBER_REACH * height]
    # What OCR made of the ink stands in the blank (`ì`, `lạ`, `4.`); a word it is sure of ends it.
    between = list(itertools.takewhile(lambda w: not _sure_word(w), near))
    end = near[len(between)].bbox[0] if len(between) < len(near) else label.bbox[2] + BARE_NUMBER_REACH * height
    top, bottom = label.bbox[1], label.bbox[3]
    x0, ink_from = _after_label(label, cut)
    return [Blank("number", label, between, (x0, top - height * 0.7, end, bottom + height * 0.7),
                  (top, bottom), typed=_is_typed(between), ink_from=ink_from)]


def _after_label(label: Word, cut: bool) -> tuple[float, float]:
    """Where to cut a blank out after `label` and where its ink may begin: after OCR's box of
    the label; for a label cut from the ink written against it (its right edge an estimate),
    from its middle, so that the ink is cut out whole, its last letter (the italic `y` leaning
    under the first digit, the colon) starting left of where the ink may."""
    if not cut:
        return label.bbox[2], 0.0
    width = label.bbox[2] - label.bbox[0]
    return label.bbox[0] + width / 2, label.bbox[2] - width * LABEL_TAIL


def unglue_labels(lines: list[Line], aspect: float) -> tuple[list[Line], frozenset[int]]:
    """`lines` with the `Số:`, `ngày` and `tháng` of header lines cut from the ink written against
    them, and the ids of the labels so cut: Tesseract reads a number or day written close to its
    label as one word (`Số:/694`, `ngày/{5`, `thángØ†`), or as the label alone over both (`ngày`
    boxed over `ngày06`). The label keeps the width it prints at on that line; what was read of
    the ink becomes a word of its own. `aspect`: the page's height over its width (boxes are
    fractions of each)."""
    result, cut = [], set()
    for line in lines:
        if not _in_header(line):
            result.append(line)
            continue
        words = []
        for index, word in enumerate(line.words):
            parts = _unglued(word, index, line, aspect)
            if parts[0] is not word:
                cut.add(id(parts[0]))
            words.extend(parts)
        result.append(line if len(words) == len(line.words) and all(a is b for a, b in zip(words, line.words))
                      else Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}))
    return result, frozenset(cut)


def _unglued(word: Word, index: int, line: Line, aspect: float) -> list[Word]:
    folded = fold(word.text)
    if index == 0 and _GLUED_NUMBER.match(folded):
        # The label stands in the typed band: the handwriting made the glued word's box taller.
        top, bottom = _typed_band(line, word)
        label, *rest = _cut(word, 3, (bottom - top) * NUMBER_LABEL_WIDTH * aspect)
        return [label.model_copy(update={"bbox": (label.bbox[0], top, label.bbox[2], bottom)}), *rest]
    label = next((label for label in _DATE_LABELS if folded.startswith(label)), None)
    if label is None or folded[len(label):].isascii() and folded[len(label):].isalpha():
        return [word]  # another word glued on (`thángnăm`)
    width = _letter_width(line, word) * _DATE_LABELS[label]
    if folded == label and word.bbox[2] - word.bbox[0] < GLUED_WIDTH * width:
        return [word]
    return _cut(word, len(label), width)


def _cut(word: Word, letters: int, width: float) -> list[Word]:
    """`word` as its first `letters` characters, `width` wide, and the rest (if any) after them."""
    x0, top, x1, bottom = word.bbox
    if x0 + width >= x1:
        return [word]
    cut = x0 + width
    parts = [word.model_copy(update={"text": word.text[:letters], "bbox": (x0, top, cut, bottom)})]
    if rest := word.text[letters:]:
        parts.append(word.model_copy(update={"text": rest, "bbox": (cut, top, x1, bottom)}))
    return parts


def _typed_band(line: Line, label: Word) -> tuple[float, float]:
    """The top and bottom of the line's other words (medians), or of the label's box shrunk by
    the height handwriting adds, at its bottom (the digits rise above the type)."""
    others = [w for w in line.words if w is not label]
    if not others:
        return label.bbox[3] - (label.bbox[3] - label.bbox[1]) / HANDWRITING_HEIGHT, label.bbox[3]
    tops, bottoms = sorted(w.bbox[1] for w in others), sorted(w.bbox[3] for w in others)
    return tops[len(tops) // 2], bottoms[len(bottoms) // 2]


def _letter_width(line: Line, label: Word) -> float:
    """The median width of a letter on the line, from the words OCR is sure of there."""
    widths = sorted((w.bbox[2] - w.bbox[0]) / len(w.text) for w in line.words
                    if w is not label and w.confidence >= SURE_WORD_CONFIDENCE and w.text.strip(",.;:").isalnum())
    if not widths:
        return (label.bbox[3] - label.bbox[1]) * LETTER_WIDTH_PER_HEIGHT
    return widths[len(widths) // 2]


def find_date_blanks(lines: list[Line], cut: frozenset[int] = frozenset()) -> list[Blank]:
    """On the place-and-date line (`Hà Nội, ngày ... tháng ...`; else the first header line with
    `ngày ... tháng`): the day between them, and the month between `tháng` and `năm` (written in
    by hand on some pages too)."""
    dated = []
    for line in lines:
        folded = [fold(w.text).strip(",.;:()") for w in line.words]
        if _in_header(line) and "ngay" in folded and "thang" in folded[folded.index("ngay"):]:
            day = folded.index("ngay")
            dated.append((day > 0 and line.words[day - 1].text.endswith(","), line, folded))
    if not dated:
        return []
    _, line, folded = min(dated, key=lambda item: not item[0])  # the first place line, else the first
    day = folded.index("ngay")
    month = folded.index("thang", day)
    year = folded.index("nam", month) if "nam" in folded[month:] else None
    blanks = []
    for kind, start, end in [("day", day, month)] + ([("month", month, year)] if year is not None else []):
        label, following = line.words[start], line.words[end]
        between = line.words[start + 1 : end]
        typed = _is_typed(between)
        # A printed day and number are checked by the second reader; a printed month is not worth its time.
        if end - start > 4 or typed and kind == "month":
            continue
        height = label.bbox[3] - label.bbox[1]
        top, bottom = _band([label, following])
        x0, ink_from = _after_label(label, id(label) in cut)
        box = (x0, top - height * 0.7, following.bbox[0], bottom + height * 0.7)
        blanks.append(Blank(kind, label, between, box, (top, bottom), typed=typed, ink_from=ink_from))
    return blanks


def tight_crop(image: Image.Image, blank: Blank) -> tuple[np.ndarray, tuple[float, float, float, float]] | None:
    """The blank's ink with a margin, and its box as page fractions; None when the blank is empty.

    Kept: marks at least 40% of the printed line's height that reach into the line's band and are
    not rules (much wider than tall). Leader dots, a colon's dots, specks, an underline and the
    letters of the lines above and below are not.
    """
    width, height = image.size
    x0, y0, x1, y1 = blank.box
    left, top = max(0, int(x0 * width) + 2), max(0, int(y0 * height))
    right, bottom = min(width, int(x1 * width) - 2), min(height, int(y1 * height))
    if right - left < 4 or bottom - top < 4:
        return None
    region = np.asarray(image.crop((left, top, right, bottom)).convert("L"))
    _, ink = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    line_height = (blank.band[1] - blank.band[0]) * height
    band_top, band_bottom = blank.band[0] * height - top, blank.band[1] * height - top
    ink_from = blank.ink_from * width - left
    kept = [
        stats[i] for i in range(1, count)
        if stats[i, 0] >= ink_from and stats[i, 3] >= 0.4 * line_height
        and not (stats[i, 2] > 4 * stats[i, 3])
        and stats[i, 1] < band_bottom and stats[i, 1] + stats[i, 3] > band_top
    ]
    # A blank left empty still has Otsu's threshold cut through the paper's grain.
    if not kept or region.std() < 8:
        return None
    ix0 = min(s[0] for s in kept)
    iy0 = min(s[1] for s in kept)
    ix1 = max(s[0] + s[2] for s in kept)
    iy1 = max(s[1] + s[3] for s in kept)
    pad = int(0.25 * (iy1 - iy0))
    crop = region[max(0, iy0 - pad) : iy1 + pad, max(0, ix0 - pad) : ix1 + pad]
    box = ((left + ix0) / width, (top + iy0) / height, (left + ix1) / width, (top + iy1) / height)
    return crop, box


def _unspaced(reading: Reading) -> Reading:
    kept = [(c, p) for c, p in zip(reading.text, reading.probabilities) if c != " "]
    return Reading("".join(c for c, _ in kept), tuple(p for _, p in kept))


def _value(blank: Blank, reading: Reading) -> tuple[str | None, Reading]:
    text = reading.text
    if blank.notation is not None:
        # The crop ran through the notation word: the digits before its `/` are the number.
        match = _NUMBER_BEFORE_SLASH.match(text)
        if not match:
            return None, reading
        digits = match[1]
        reading = Reading(digits, reading.probabilities[: len(digits)])
    elif _DIGITS.fullmatch(text):
        digits = text
    else:
        return None, reading
    limit = LIMITS[blank.kind]
    if not 1 <= int(digits) <= limit or reading.confidence < MIN_CONFIDENCE:
        return None, reading
    return digits, reading


def _pieced_together(blank: Blank, reading: Reading) -> tuple[str, Reading] | None:
    """The number or day where Tesseract and the second reader each read some of its digits
    as something else, glyph for glyph: `Ở32` and `93N` (the `2/` run together) make 932,
    `‡10` and `240` (its 4 at 0.43) make 210. Both must read as many glyphs, agree on at least
    one digit and leave no glyph that neither read as a digit; where they read different digits
    the second reader must be unsure of its own, and a digit only it saw counts only if it is
    sure enough. The value stays handwritten (reviewed), as sure as its weakest digit."""
    kept = list(zip(reading.text, reading.probabilities))
    if blank.notation is not None:
        typed = blank.lead.rstrip("/")
        start = fold(reading.text).find(fold(blank.notation_text.lstrip("/")))
        if start <= 0:
            return None
        kept = kept[:start]
        if kept and kept[-1][0] == "/":
            kept = kept[:-1]
    else:
        typed = "".join(w.text for w in blank.replaced)
    if len(typed) != len(kept):  # marks of the rule or the label at its edges (`›2Ò_`)
        typed = re.sub(r"^[\W_]+|[\W_]+$", "", typed)
    if not typed or typed.isdigit() or len(typed) != len(kept):
        return None  # digits Tesseract read whole are judged as typed, not pieced
    digits, probabilities, agreed = [], [], 0
    for mine, (theirs, probability) in zip(typed, kept):
        if mine.isdigit() and theirs.isdigit() and mine == theirs:
            agreed += 1
            digits.append(mine)
            probabilities.append(max(probability, TYPED_CONFIDENCE))
        elif mine.isdigit() and theirs.isdigit():
            if probability >= MIN_CONFIDENCE:
                return None  # two sure readings of one glyph that differ
            digits.append(mine)  # the second reader unsure of it (`240` for 210, its 4 at 0.43)
            probabilities.append(DISPUTED)
        elif theirs.isdigit() and probability >= MIN_CONFIDENCE:
            digits.append(theirs)
            probabilities.append(probability)
        elif mine.isdigit():
            digits.append(mine)
            probabilities.append(DISPUTED)  # Tesseract's confidence is its word's, not the digit's
        else:
            return None
    value = "".join(digits)
    if not agreed or not 1 <= int(value) <= LIMITS[blank.kind]:
        return None
    return value, Reading(value, tuple(probabilities))


def _notation_letters_restored(blank: Blank, reading: Reading) -> Blank:
    """The blank with the notation's first letters put back where Tesseract read them as marks
    glued to the ink (`®CA-C04` for `BCA-C04`, the B against a handwritten 9) and the second
    reader, reading through, read them as letters, surely: `4409/BCA-C04`."""
    if blank.notation is None:
        return blank
    lead = blank.lead
    notation = blank.notation_text.lstrip("/")
    read = reading.text.split("/", 1)
    if len(read) != 2 or not read[1].endswith(notation) or len(read[1]) == len(notation):
        return blank
    letters = read[1][: len(read[1]) - len(notation)]
    sure = reading.probabilities[len(read[0]) + 1: len(read[0]) + 1 + len(letters)]
    if not (letters.isalpha() and letters.isupper() and min(sure) >= SURE_LETTER
            and len(lead) >= len(letters) and not any(c.isalnum() for c in lead[-len(letters):])):
        return blank
    return replace(blank, notation_text=f"/{letters}{notation}")


def _typed_agrees(blank: Blank, value: str) -> bool:
    """Tesseract read the same digits, alone or glued to the notation (`583/QĐ-UBND` at 0.87):
    nothing to replace; extract/ judges their shape. Two engines agreeing on ink is rare."""
    read = [w.text for w in blank.replaced]
    if blank.notation is not None:
        read.append(blank.lead.rstrip("/"))
    return read == [value]  # in pieces (`24 1`) is how Tesseract reads handwriting


# Glyphs Tesseract's language model turns a printed digit into, and marks it sets beside one.
_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "L": "1", "|": "1", "!": "1", "]": "1", "[": "1", "O": "0", "o": "0"})
_EDGE_MARKS = "_.,;:'\"`"


def _lookalike_agrees(blank: Blank, value: str) -> bool:
    """Tesseract read one word where the second reader read `value`, the same once look-alike
    letters are taken as digits and marks at its edges dropped. Not through a notation word."""
    if blank.notation is not None or len(blank.replaced) != 1:
        return False
    return blank.replaced[0].text.strip(_EDGE_MARKS).translate(_LOOKALIKES) == value


def _possible(blank: Blank) -> bool:
    """Whether what Tesseract read in a blank can be its day, month or number at all."""
    digits = _typed_text(blank)
    return not digits.isdigit() or 1 <= int(digits) <= LIMITS[blank.kind]


def _typed_text(blank: Blank) -> str:
    return blank.notation.text if blank.notation is not None else " ".join(w.text for w in blank.replaced)


def _disputed(lines: list[Line], blank: Blank) -> list[Line]:
    """`lines` with Tesseract's reading of the blank kept but its confidence put at DISPUTED."""
    return _updated(lines, blank, lambda w: {"confidence": min(w.confidence, DISPUTED)})


def _agreed(lines: list[Line], blank: Blank, confidence: float) -> list[Line]:
    """`lines` with Tesseract's words of the blank marked as read the same by the digit reader."""
    return _updated(lines, blank, lambda w: {"digits_agreed": round(confidence, 3)})


def _updated(lines: list[Line], blank: Blank, update: Callable[[Word], dict]) -> list[Line]:
    """`lines` with `update` applied to the blank's words: Tesseract's reading and a notation
    word it is glued to."""
    words = {id(w) for w in [*blank.replaced, *([blank.notation] if blank.notation is not None else [])]}
    return [line if not any(id(w) in words for w in line.words) else Line.from_words(
        [w.model_copy(update=update(w)) if id(w) in words else w
         for w in line.words], line.block).model_copy(update={"stamp": line.stamp}) for line in lines]


def _replace(lines: list[Line], blank: Blank, word: Word) -> list[Line]:
    """Tesseract's words of the blank out, the reading in after the label; a notation word with
    OCR's reading glued on, or standing on a line of its own, joins the label's line after it."""
    gone = {id(w) for w in blank.replaced}
    moved: list[Word] = []
    if blank.notation is not None:
        glued = blank.notation
        gone.add(id(glued))
        moved.append(glued.model_copy(update={"text": blank.notation_text,
                                              "bbox": (max(word.bbox[2], glued.bbox[0]), *glued.bbox[1:])}))
    elif blank.kind == "number":
        label_line = next(line for line in lines if _holds(line, blank.after))
        for line in lines:
            if line is not label_line and line.block == label_line.block:
                notation = [w for w in line.words if _NOTATION.match(w.text) and _same_band(blank.after, w)]
                if notation and len(line.words) == len(notation) + sum(id(w) in gone for w in line.words):
                    moved.extend(notation)
                    gone.update(id(w) for w in notation)
    result = []
    for line in lines:
        words = [w for w in line.words if id(w) not in gone]
        if _holds(line, blank.after):
            at = next(i for i, w in enumerate(words) if w is blank.after) + 1
            words = [*words[:at], word, *moved, *words[at:]]
        elif len(words) == len(line.words):
            result.append(line)
            continue
        if words:
            result.append(Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}))
    return result


def _holds(line: Line, word: Word) -> bool:
    return any(w is word for w in line.words)


def _in_header(item: Word | Line) -> bool:
    return item.bbox[1] < HEADER_BOTTOM


def _same_band(a: Word, b: Word) -> bool:
    """`b` stands on `a`'s printed line: their vertical middles lie within a line height."""
    middle_a, middle_b = (a.bbox[1] + a.bbox[3]) / 2, (b.bbox[1] + b.bbox[3]) / 2
    return abs(middle_a - middle_b) < (a.bbox[3] - a.bbox[1])


def _band(words: list[Word]) -> tuple[float, float]:
    return min(w.bbox[1] for w in words), max(w.bbox[3] for w in words)


def _sure_word(word: Word) -> bool:
    return word.text.isalpha() and len(word.text) > 1 and word.confidence >= SURE_WORD_CONFIDENCE


def _is_typed(between: list[Word]) -> bool:
    """Tesseract read the blank as one word of digits it is sure of: typed, not written in
    (handwriting it reads as digits often comes in pieces, `2 4`)."""
    return len(between) == 1 and between[0].text.isdigit() and between[0].confidence >= TYPED_CONFIDENCE
