"""Page triage: keep a PDF page's own text layer, OCR the page, or both, from measured evidence.

A text layer is not always the page's text. A scan signed digitally carries the signature
stamp ("Ký bởi: …") or a certified-copy line ("SAO Y; …") as its only text; a scan passed
through the scanner's software carries an invisible OCR layer without Vietnamese marks. Like
OCRmyPDF's `--redo-ocr`, each page is judged on what can be measured (how much of it a scanned
image covers, how much the layer covers, whether the layer is hidden, whether its words are
Vietnamese syllables with their marks) and the decision is recorded with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal, NamedTuple

import pymupdf
from pydantic import BaseModel

from ocr import legacy
from ocr.stamped import fill_stamped_blanks
from ocr.textlayer import LEGACY_FONT, MIN_CHARACTERS, TEXT_ONLY_DICT, vietnamese_ratio
from ocr.types import BBox, Line
from ocr.vntext import syllable_ratio

Decision = Literal["text_layer", "ocr", "hybrid", "transcoded"]

# Opaque images over this share of the page are the page itself: a scan or a photo.
PAGE_IMAGE_COVER = 0.6
# A layer over a page image that covers less than this share of the page is an overlay (a stamp,
# a copy line; measured 0.3-0.8%), not the page's text: body text covers 5-45%.
SMALL_LAYER_COVER = 0.03
# Below this many words the ratios below say nothing; only the characters are judged.
MIN_WORDS_TO_JUDGE = 20
# Measured on real layers: typeset Vietnamese has 71-100% valid syllables and 72-91% of words
# marked (tone or vowel mark, đ); a scanner's layer without marks has 43-62% and 0-2%.
MIN_VALID_SYLLABLES = 0.7
MIN_MARKED_WORDS = 0.3
# A hidden layer was written by OCR software, not typeset: it must read clearly better.
MIN_VALID_SYLLABLES_HIDDEN = 0.8
MIN_VIETNAMESE_CHARACTERS = 0.97
# An OCR word on a hybrid page that lies this much inside a kept layer word is that word read again.
OVERLAP = 0.3

_WORD = re.compile(r"[^\W\d_]+")
_HIDDEN_RENDER_MODE = 3  # PDF text render mode 3: neither filled nor stroked


class PageEvidence(BaseModel):
    """What the triage measured on one page (shares are 0..1)."""

    characters: int  # non-space characters of the text layer
    words: int  # words made of letters
    image_cover: float  # share of the page under opaque images
    text_cover: float  # share of the page under the layer's word boxes
    hidden: float  # share of the layer's characters invisible (mode 3) or drawn under the page image
    valid_syllables: float  # share of words that spell a Vietnamese syllable
    marked_words: float  # share of words carrying a tone or vowel mark (or đ)
    vietnamese_characters: float  # share of characters that Vietnamese text is made of
    legacy_font: str | None = None

    @property
    def scanned(self) -> bool:
        """The page is a page-sized image (a scan or a photo)."""
        return self.image_cover >= PAGE_IMAGE_COVER

    @property
    def mostly_hidden(self) -> bool:
        return self.hidden >= 0.5


class Triage(BaseModel):
    decision: Decision
    reason: str  # "<decision>: <why>", recorded on the page
    evidence: PageEvidence
    encoding: legacy.LegacyEncoding | None = None  # for "transcoded"
    # Hybrid over a poor hidden layer: where that layer lies (page fractions), to leave it out.
    hidden_boxes: list[BBox] = []

    def kept(self, lines: list[Line]) -> list[Line]:
        """The text-layer lines a hybrid page keeps: all but words of an ignored hidden layer."""
        return _without_words(lines, lambda word: any(_centre_in(word, box) for box in self.hidden_boxes))


class _LayerWord(NamedTuple):
    text: str
    box: tuple[float, float, float, float]  # points; plain floats: a long document has 100,000 words
    hidden: bool


def triage_page(page: pymupdf.Page) -> Triage:
    """Decide how to read this page, and say why."""
    images = _opaque_images(page)
    hidden_spans = _hidden_spans(page, images)
    words = _layer_words(page, hidden_spans)
    evidence = _evidence(page, words, images)
    decision, why = _decide(evidence)
    encoding, hidden_boxes = None, []
    if decision == "ocr" and not evidence.scanned:
        # A page typed in a legacy 8-bit font converts exactly, which beats OCR.
        encoding = legacy.detect_encoding(page)
        if encoding:
            decision, why = "transcoded", f"{encoding.upper()} text layer ({why})"
    elif decision == "ocr" and evidence.mostly_hidden and any(not w.hidden for w in words):
        # A scanner's poor layer does not condemn a signature stamp typeset over it.
        visible, visible_why = _decide(_evidence(page, [w for w in words if not w.hidden], images))
        if visible == "hybrid":
            decision, why = "hybrid", f"{why}, ignored; {visible_why}"
            width, height = page.rect.width, page.rect.height
            hidden_boxes = [(b.x0 / width, b.y0 / height, b.x1 / width, b.y1 / height) for b in hidden_spans]
    return Triage(
        decision=decision, reason=f"{decision}: {why}", evidence=evidence, encoding=encoding, hidden_boxes=hidden_boxes
    )


def _evidence(page: pymupdf.Page, words: list[_LayerWord], images: list[tuple[int, pymupdf.Rect]]) -> PageEvidence:
    text = unicodedata.normalize("NFC", " ".join(w.text for w in words))
    syllables = _WORD.findall(text)
    page_rect = page.rect
    page_area = abs(page_rect) or 1.0
    fonts = _legacy_fonts_drawing_letters(page)
    characters = sum(len(w.text) for w in words)
    return PageEvidence(
        characters=characters,
        words=len(syllables),
        # Summed, not the largest: some producers cut a scan into strips.
        image_cover=round(min(1.0, sum(abs(box & page.rect) for _, box in images) / page_area), 4),
        text_cover=round(sum(_area_within(w.box, page_rect) for w in words) / page_area, 4),
        hidden=round(sum(len(w.text) for w in words if w.hidden) / characters, 4) if characters else 0.0,
        valid_syllables=round(syllable_ratio(text), 4),
        marked_words=round(sum(not w.isascii() for w in syllables) / len(syllables), 4) if syllables else 0.0,
        vietnamese_characters=round(vietnamese_ratio(text), 4),
        legacy_font=fonts[0] if fonts else None,
    )


def _legacy_fonts_drawing_letters(page: pymupdf.Page) -> list[str]:
    # Gazette pages embed a legacy font that sets only the spaces between Unicode words, and a
    # decision its page numbers in VNI-Times: such a font says nothing about the layer.
    fonts = {
        span["font"]
        for block in page.get_text("dict", flags=TEXT_ONLY_DICT)["blocks"]
        for line in block.get("lines", ())
        for span in line["spans"]
        if any(char.isalpha() for char in span["text"]) and LEGACY_FONT.search(span["font"])
    }
    return sorted(fonts)


def _decide(e: PageEvidence) -> tuple[Decision, str]:
    scanned = e.scanned
    if e.characters < MIN_CHARACTERS and not (scanned and e.characters):
        return "ocr", "no text layer" + (f", image covers {e.image_cover:.0%} of the page" if scanned else "")
    if e.legacy_font:
        return "ocr", f"legacy Vietnamese font {e.legacy_font}"
    poor = _poor_layer(e)
    if poor:
        return "ocr", poor
    if scanned and e.text_cover < SMALL_LAYER_COVER:
        return "hybrid", (
            f"text layer of {e.words} words covers {e.text_cover:.1%} of a page-sized image "
            "(a stamp or copy line): kept for its area, the rest OCR'd"
        )
    kind = "hidden OCR layer" if e.mostly_hidden else "Unicode text layer"
    over = f" over an image covering {e.image_cover:.0%}" if scanned else ""
    return "text_layer", f"{kind}{over}, {_ratios(e)}"


def _poor_layer(e: PageEvidence) -> str | None:
    """Why the layer is not worth keeping, or None."""
    hidden, scanned = e.mostly_hidden, e.scanned
    layer = ("hidden " if hidden else "") + ("scanner OCR layer" if scanned else "text layer")
    if e.vietnamese_characters < MIN_VIETNAMESE_CHARACTERS:
        return f"{layer} does not look like Vietnamese ({e.vietnamese_characters:.0%} valid characters)"
    if not (hidden or scanned):
        # Visible text on a typeset page is what prints: abbreviations and tables lower its
        # ratios (71% valid syllables measured), so only its characters are judged.
        return None
    if e.words < MIN_WORDS_TO_JUDGE:
        return f"{layer} of {e.words} words is too small to judge" if hidden else None
    min_syllables = MIN_VALID_SYLLABLES_HIDDEN if hidden else MIN_VALID_SYLLABLES
    if e.marked_words < MIN_MARKED_WORDS or e.valid_syllables < min_syllables:
        return f"{layer}, {_ratios(e)}"
    return None


def _ratios(e: PageEvidence) -> str:
    return f"{e.marked_words:.0%} words with marks, {e.valid_syllables:.0%} valid syllables"


def _opaque_images(page: pymupdf.Page) -> list[tuple[int, pymupdf.Rect]]:
    """Images that hide what lies under them, with their place in the drawing order.

    An image with a soft mask lets the page show through (a signature pasted on a typeset page),
    so it is no scan. Bilevel scans are drawn as image masks and count.
    """
    overlays = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info() if info.get("has-mask")]
    images = []
    for seqno, (kind, bbox) in enumerate(page.get_bboxlog()):
        box = pymupdf.Rect(bbox)
        if kind in ("fill-image", "fill-imgmask") and not any(_same_box(box, o) for o in overlays):
            images.append((seqno, box))
    return images


def _same_box(a: pymupdf.Rect, b: pymupdf.Rect) -> bool:
    return max(abs(a.x0 - b.x0), abs(a.y0 - b.y0), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) < 1.0


def _hidden_spans(page: pymupdf.Page, images: list[tuple[int, pymupdf.Rect]]) -> list[pymupdf.Rect]:
    """Boxes of the text nobody sees: render mode 3, or painted over by an opaque image.

    `seqno` of a text trace is its place in the same drawing order as `get_bboxlog`.
    """
    hidden = []
    for span in page.get_texttrace():
        box = pymupdf.Rect(span["bbox"])
        under_image = abs(box) > 0 and any(
            seqno > span["seqno"] and abs(box & image) >= abs(box) / 2 for seqno, image in images
        )
        if span["type"] == _HIDDEN_RENDER_MODE or under_image:
            hidden.append(box)
    return hidden


def _layer_words(page: pymupdf.Page, hidden_spans: list[pymupdf.Rect]) -> list[_LayerWord]:
    words = []
    spans = [tuple(span) for span in hidden_spans]
    for x0, y0, x1, y1, text, *_ in page.get_text("words"):
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        # As MuPDF's point-in-rectangle test: the right and bottom edges are outside.
        hidden = any(sx0 <= x < sx1 and sy0 <= y < sy1 for sx0, sy0, sx1, sy1 in spans)
        words.append(_LayerWord(text, (x0, y0, x1, y1), hidden))
    return words


def _area_within(box: tuple[float, float, float, float], rect: pymupdf.Rect) -> float:
    """The area of `box` inside `rect` (what `abs(Rect(box) & rect)` gives, without the objects)."""
    width = min(box[2], rect.x1) - max(box[0], rect.x0)
    height = min(box[3], rect.y1) - max(box[1], rect.y0)
    return width * height if width > 0 and height > 0 else 0.0


def _centre_in(word: BBox, box: BBox) -> bool:
    x, y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def overlay_layer(ocr_lines: list[Line], layer_lines: list[Line], rotation: int = 0) -> list[Line]:
    """A hybrid page's lines: the kept layer's lines, and the OCR lines minus words they cover.
    A number or day the signing software stamped on a scan (`2243`, `23`) joins the OCR'd line
    whose blank it fills, as on a born-digital page.

    `rotation` is how far the OCR'd image was turned clockwise: the layer's boxes are turned
    the same way so that both speak of the same picture.
    """
    kept = [_turn_line(line, rotation) for line in layer_lines] if rotation else list(layer_lines)
    boxes = [word.bbox for line in kept for word in line.words]
    return fill_stamped_blanks(kept + _without_words(ocr_lines, lambda word: any(covered(word, box) for box in boxes)))


def _without_words(lines: list[Line], drop: Callable[[BBox], bool]) -> list[Line]:
    """`lines` without the words whose box `drop` picks (and without the lines left empty)."""
    kept = []
    for line in lines:
        words = [w for w in line.words if not drop(w.bbox)]
        if words:
            kept.append(line if len(words) == len(line.words) else Line.from_words(words, line.block))
    return kept


def covered(word: BBox, by: BBox) -> bool:
    """Whether `by` covers OVERLAP of the box `word` or more."""
    width = min(word[2], by[2]) - max(word[0], by[0])
    height = min(word[3], by[3]) - max(word[1], by[1])
    area = (word[2] - word[0]) * (word[3] - word[1])
    return width > 0 and height > 0 and area > 0 and width * height / area >= OVERLAP


def _turn_line(line: Line, degrees: int) -> Line:
    words = [w.model_copy(update={"bbox": _turn_box(w.bbox, degrees)}) for w in line.words]
    return Line.from_words(words, line.block)


def _turn_box(box: BBox, degrees: int) -> BBox:
    """A box in page fractions, after the page is turned clockwise by a multiple of 90 degrees."""
    x0, y0, x1, y1 = box
    if degrees == 90:
        return (1 - y1, x0, 1 - y0, x1)
    if degrees == 180:
        return (1 - x1, 1 - y1, 1 - x0, 1 - y0)
    if degrees == 270:
        return (y0, 1 - x1, y1, 1 - x0)
    return box
