"""Lines of the signature block that Tesseract's page layout lost, read again.

Under the last article a decision prints its recipients (`Nơi nhận:`) on the left and the
signature block on the right: the authority line (`KT. CHỦ TỊCH`), the signer's title, then the
seal, the signature and the name. The clerk's initials beside `Nơi nhận:` and the title, the
signature's strokes through them and the seal's rim touching them make Tesseract's layout
analysis take parts of the block for a picture: whole lines come back as junk (dropped) or not at
all, while their print is plainly there (real rendered decisions: a title, a name, the
`Nơi nhận:` label). Here the rows of letter-sized print in that zone that no recognised word
covers are cut out, seal ink lighter than print cleared, and read again in one Tesseract call,
stacked one under another so that each is read as a line of its own. What comes back is kept only
where it spells something and spans its row: a seal as dark as the print (grey scans) can still
hide the start of a row, and a name without its family name is worse than none. A page whose
block was read whole costs a few milliseconds of image measurement and no Tesseract call.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.lost_rows import covered, placed, print_pieces, stack, word_height
from ocr.types import Line
from ocr.vntext import fold

STAGE = "signature_block"
# Lines that only a signature block and its recipients list print: the authority line in the
# right column (KT., TM., TL., TUQ., Q. before a title) and, in the left, `Nơi nhận:` and the
# archive line `- Lưu: VT, ...` that ends the list.
_AUTHORITY = re.compile(r"^(?:kt|tm|tl|tuq|q)\s?\.\s*\w")
_RECIPIENTS = re.compile(r"^(?:noi nhan|[-–.]?\s*luu\s*:)")
# The titles signers most often hold, as a document prints them in small letters.
SIGNING_TITLES = (
    "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng",
    "Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban", "Cục trưởng",
    "Phó Cục trưởng", "Chi cục trưởng", "Phó Chi cục trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
    "Bộ trưởng", "Thứ trưởng", "Tổng cục trưởng", "Phó Tổng cục trưởng",
    # The Prime Minister and his deputies; the minister heading the Government Office.
    "Thủ tướng", "Phó Thủ tướng", "Bộ trưởng, Chủ nhiệm", "Chủ nhiệm", "Phó Chủ nhiệm",
)
# A body line runs across the middle of the page; the block's columns keep to their side.
FULL_WIDTH = 0.5
# How far under its last anchor the block may reach: the name stands under 3-4 cm of
# signature space after up to three lines of authority and title (0.15-0.2 of an A4 page).
REACH = 0.3
# Seal ink on a grey page is lighter than print: cleared above print level plus this share of
# the way to white paper (rendered decisions: print near 0, a red seal 120-160).
SEAL_CUT = 0.35
# Where the seal lies over a letter, the letter's strokes show in the seal's grey: ink of any
# level this close to print (in word heights) is kept, or PHÓ touching the rim reads HÓ.
PRINT_REACH = 0.17


def reread_lost_lines(image: Image.Image, lines: list[Line], reread: Callable[[Image.Image], list[Line]]) -> list[Line]:
    """Lines of the signature block found in `image` (the OCR copy) that `lines` lack, read
    again by `reread` (an image in, lines with boxes as fractions of it out); boxes of the
    result as fractions of the page. Empty when the page shows no signature block or every row
    of print in it was read."""
    zone = signature_zone(lines)
    height = word_height(lines, image.height)
    if zone is None or height is None:
        return []
    width, page_height = image.size
    top, bottom = int(zone[0] * page_height), int(zone[1] * page_height)
    grey = np.asarray(image.crop((0, top, width, bottom)).convert("L"))
    if grey.size == 0:
        return []
    clean = _without_seal_ink(grey, height)
    words = [word for line in lines for word in line.words]
    pieces = [p for p in print_pieces(clean, height) if not covered(p, top, words, width, page_height, height)]
    if not pieces:
        return []
    canvas, places = stack(clean, pieces, height)
    found = [_with_hidden_initial(line) for line in reread(canvas)]
    return placed(found, pieces, places, canvas.size, top, (width, page_height), lines)


# The seal is pressed over the left of the signature and the title above it: its rim can hide
# the title's first letter (`PHÓ CHỦ TỊCH` read `”HÓ CHỦ TỊCH`). Titles by their folded letters
# without the first, in capitals.
_TITLE_TAILS = {fold(title)[1:]: title.upper() for title in SIGNING_TITLES if "," not in title}


def _with_hidden_initial(line: Line) -> Line:
    """The line as the title in capitals it spells but for a first letter the seal hides, the
    rest of it read in capitals; the line itself otherwise."""
    words = line.words
    first = words[0].text.lstrip("\"'“”‘’,.:;|/-") if words else ""
    rest = [w for w in words[1:] if w.text.isupper()]
    if len(rest) != len(words) - 1 or not rest or not first.isupper():
        return line
    title = _TITLE_TAILS.get(" ".join(fold(text) for text in [first, *(w.text for w in rest)]))
    if title is None:
        return line
    # As sure as the rest of the title: its letters are the title's.
    surest = min(w.confidence for w in rest)
    return Line.from_words([w.model_copy(update={"text": text, "confidence": max(w.confidence, surest)})
                            for w, text in zip(words, title.split())], line.block)


def signature_zone(lines: list[Line]) -> tuple[float, float] | None:
    """Top and bottom (page fractions) of the signature block: from the last body line above its
    first anchor to the next body line under its last anchor, or `REACH` under it."""
    anchors = [line for line in lines if _is_anchor(line)]
    if not anchors:
        return None
    first = min(line.bbox[1] for line in anchors)
    last = max(line.bbox[3] for line in anchors)
    body = [line for line in lines if _full_width(line)]
    top = max((line.bbox[3] for line in body if line.bbox[3] <= first), default=0.0)
    bottom = min((line.bbox[1] for line in body if line.bbox[1] >= last), default=1.0)
    return top, min(bottom, last + REACH)


def _is_anchor(line: Line) -> bool:
    text = fold(line.text).strip()
    centre = (line.bbox[0] + line.bbox[2]) / 2
    if centre > 0.5:
        return bool(_AUTHORITY.match(text))
    return bool(_RECIPIENTS.match(text))


def _full_width(line: Line) -> bool:
    return line.bbox[0] < 0.5 < line.bbox[2] and line.bbox[2] - line.bbox[0] > FULL_WIDTH


def _without_seal_ink(grey: np.ndarray, height: float) -> np.ndarray:
    """The zone with ink clearly lighter than the print turned to paper, but next to the print
    (its soft edges, and its strokes where the seal lies over them)."""
    dark = grey[grey < 128]
    if dark.size == 0:
        return grey
    print_level = float(np.percentile(dark, 10))
    core = (grey <= print_level + SEAL_CUT * (255 - print_level)).astype(np.uint8)
    size = max(3, int(PRINT_REACH * height) | 1)
    near = cv2.dilate(core, np.ones((size, size), np.uint8)).astype(bool)
    return np.where(near, grey, 255).astype(np.uint8)
