"""A field value as found on the page, with what its confidence is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extract.layout import Segment
from ocr.types import Word

# How far confidence drops when a validator fails or a fallback rule found the value.
INVALID_FACTOR = 0.5
FALLBACK_FACTOR = 0.8
# Digits written in by hand and read by the second recogniser (ocr/blanks.py) are a person's to
# check: their value stays below the review threshold unless other evidence confirms it.
HANDWRITTEN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Found:
    """The value, the words it was read from (their mean OCR confidence is the starting
    confidence), the validator's complaint if any, and whether a fallback rule found it."""

    value: str
    words: list[Word]
    problem: str | None = None
    weak: bool = False
    printed: str | None = None  # the text the value was normalised from, when known
    # The confidence other evidence gives the value (a second reading that agrees), when higher.
    confirmed: float | None = None

    @property
    def raw(self) -> str | None:
        """The printed text, only where normalising changed it."""
        return self.printed if self.printed is not None and self.printed != self.value else None

    @property
    def confidence(self) -> float:
        base = sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0
        if self.confirmed is not None:
            base = max(base, self.confirmed)
        elif self.handwritten:
            base = min(base, HANDWRITTEN_CONFIDENCE)
        if self.problem:
            base *= INVALID_FACTOR
        if self.weak:
            base *= FALLBACK_FACTOR
        return round(base, 3)

    @property
    def handwritten(self) -> bool:
        """Some of its digits were written in by hand (read by ocr/blanks.py, not Tesseract)."""
        return any(w.handwritten for w in self.words)

    def weakened(self) -> "Found":
        return replace(self, weak=True)


# A digit of a number or a day read below this sends the record to review (extract/record.py).
DOUBTFUL_DIGITS = 0.8
_DIGITS = re.compile(r"[0-9]")
_YEAR = re.compile(r"[0-9]{4}[;,.)]?")  # printed, never written in


def doubtful_digits(value: Found) -> Word | None:
    """The first word of the value with digits read below DOUBTFUL_DIGITS, a year aside."""
    return next((w for w in value.words if w.digit_confidence < DOUBTFUL_DIGITS and _DIGITS.search(w.text)
                 and not _YEAR.fullmatch(w.text)), None)


def tail_words(segment: Segment, start: int) -> list[Word]:
    """The words of a segment from character offset `start` to its end."""
    return segment.words_between(start, len(segment.text))


# Lines of one paragraph or title stand at most this many line heights apart.
PARAGRAPH_GAP = 1.5


def follows_closely(upper: Segment, lower: Segment) -> bool:
    """`lower` is the next line of the same paragraph as `upper`, not after a blank."""
    return lower.bbox[1] - upper.bbox[3] <= PARAGRAPH_GAP * (lower.bbox[3] - lower.bbox[1])
