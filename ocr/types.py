"""Typed results of reading a document: what every later stage consumes.

Coordinates are fractions of the page (0..1, origin top left) so that rules written
against them hold for any resolution and for text-layer pages measured in points.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

PageMethod = Literal["text_layer", "transcoded", "ocr"]
PageOutcome = Literal["ok", "timeout", "too_large", "failed"]

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of page width/height


class Word(BaseModel):
    text: str
    confidence: float = Field(ge=0.0, le=1.0)
    bbox: BBox
    # Digits written in by hand and read by the second recogniser (ocr/blanks.py), not Tesseract:
    # extract/ sends such a value to review.
    handwritten: bool = False
    # Tesseract's digits of this word read the same by the second recogniser, at this confidence
    # (ocr/blanks.py checks a number's and a day's digits): two readers agreeing on print.
    digits_agreed: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict:
        # Stated only where true: pages.json holds thousands of words.
        data = handler(self)
        if not self.handwritten:
            data.pop("handwritten", None)
        if self.digits_agreed is None:
            data.pop("digits_agreed", None)
        return data

    def joined_with(self, following: "Word", text: str) -> "Word":
        """One word in place of this one and the one after it, read as `text`: it spans both
        boxes, at the lower confidence (a join is no surer than its less sure half)."""
        x0, top, _, bottom = self.bbox
        return Word(text=text, confidence=min(self.confidence, following.confidence),
                    bbox=(x0, min(top, following.bbox[1]), following.bbox[2], max(bottom, following.bbox[3])))

    @property
    def digit_confidence(self) -> float:
        """The confidence of the word's digits: Tesseract's, or with the second reading's agreement
        that of two independent readings agreeing."""
        if self.digits_agreed is None:
            return self.confidence
        return round(1 - (1 - self.confidence) * (1 - self.digits_agreed), 3)


# Stamps that are evidence of signing (Line.stamp), kept out of the text.
SIGNING_STAMPS = ("signature", "copy")


class Line(BaseModel):
    """One printed line; `block` groups lines of the same layout block (a column piece)."""

    text: str
    bbox: BBox
    block: int
    words: list[Word]
    # A stamp the page shows (ocr/signatures.py), never read for fields (a stamp above the header
    # would be read as the issuing body): "signature", a signing software's labelled box (`Ký bởi:`
    # ...) and "copy", a certified-copy line, are the document's `signatures`, not its text (no
    # born-digital text layer or agency's Word file we have holds them); "publishing", a publishing
    # centre's name, e-mail and time, is printed into the page and stays in its text. All are in
    # the searchable PDF.
    stamp: Literal["", "signature", "copy", "publishing"] = ""

    @classmethod
    def from_words(cls, words: list[Word], block: int) -> "Line":
        return cls(
            text=" ".join(w.text for w in words),
            bbox=(
                min(w.bbox[0] for w in words),
                min(w.bbox[1] for w in words),
                max(w.bbox[2] for w in words),
                max(w.bbox[3] for w in words),
            ),
            block=block,
            words=words,
        )

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)

    def on_page(self, band: BBox) -> "Line":
        """This line, read on the crop `band` of a page (boxes as fractions of the crop), with its
        boxes as fractions of the page."""
        x0, y0, x1, y1 = band

        def box(b: BBox) -> BBox:
            return (x0 + b[0] * (x1 - x0), y0 + b[1] * (y1 - y0), x0 + b[2] * (x1 - x0), y0 + b[3] * (y1 - y0))

        return Line.from_words([w.model_copy(update={"bbox": box(w.bbox)}) for w in self.words], self.block)


class PageResult(BaseModel):
    number: int  # 1-based
    method: PageMethod
    # How the page was read and why (`ocr.triage`): "ocr: scanner OCR layer, 0% words with marks, ...";
    # "hybrid: ..." pages are OCR'd (method "ocr") around a small text layer kept where it lies.
    triage: str = ""
    outcome: PageOutcome = "ok"
    width_px: int = 0  # the page image as archived (upright, flattened); 0 for text-layer pages
    height_px: int = 0
    dpi: int = 0
    rotation: int = 0  # degrees the page was turned clockwise to stand upright
    skew_degrees: float = 0.0  # skew corrected before reading
    preprocessing: list[str] = []  # stages applied to the image Tesseract read, in order
    lines: list[Line] = []
    mean_confidence: float = 0.0
    seconds: float = 0.0
    error: str | None = None

    @property
    def text(self) -> str:
        """The page text in reading order: blocks in order, one printed line per text line; the
        signing software's stamps are the document's `signatures`, not its text."""
        return "\n".join(line.text for line in self.lines if line.stamp not in SIGNING_STAMPS)


class Signature(BaseModel):
    """A digital signature of the PDF, or a signature or certified-copy stamp printed on a page.

    `intact`: the signed bytes hash to what the signer signed and the signature verifies with
    the certificate's key (None for a stamp, which has no bytes to check). `validated`: the
    certificate chain was checked against configured trust roots (SOHOA_TRUST_ROOTS).
    """

    kind: Literal["digital", "stamp"]
    organisation: str = ""
    signer: str = ""  # a person's name; "" when the certificate or stamp names only a body
    signed_at: datetime | None = None  # Vietnam time (UTC+7)
    signed_at_source: Literal["timestamp", "pdf", "cms", "page"] | None = None
    intact: bool | None = None
    covers_whole_file: bool | None = None  # False: later incremental updates follow the signature
    validated: bool = False
    stamp_text: str = ""  # the visible text of the stamp, lines joined by " / "
    page: int | None = None  # 1-based; None for an invisible signature
    note: str | None = None  # why a signature could not be checked, or what looks wrong


class DocumentResult(BaseModel):
    media_type: str
    pages: list[PageResult]
    pdf: bytes  # searchable PDF: page images with an invisible text layer, or the original text pages
    signatures: list[Signature] = []

    @property
    def text(self) -> str:
        return "\f".join(page.text for page in self.pages)
