"""The entry point: pages in, document type and fields with confidences and review reasons out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pydantic import BaseModel

from extract import doctypes, evidence, fields, notation
from extract.found import Found
from extract.layout import Layout, analyse
from extract.places import place_syllable
from extract.settings import ExtractSettings
from ocr.types import PageResult, Signature
from ocr.vntext import is_vietnamese_syllable

# Fields written in words, where a word no syllable spells is an OCR misreading: a confident
# field reading `Thành Phóỏ huế` must not leave review.
WORDED_FIELDS = ("issuer", "issue_place", "summary", "signer", "signer_title", "holder_name", "address")
_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–/"


class FieldValue(BaseModel):
    value: str
    confidence: float  # 0..1
    raw: str | None = None  # as printed, when it differs from the normalised value


class Extraction(BaseModel):
    """What was read from one document; the caller sets `needs_review` when reasons exist."""

    document_type: str
    fields: dict[str, FieldValue]
    review_reasons: list[str]  # empty when the record needs no human look


def classify(layout: Layout, number: Found | None) -> tuple[str, list[str]]:
    """The document_type code and any doubt about it.

    The centred title decides; a letter has no title but a `V/v` subject under its
    number; failing both, the type abbreviation in the number is a hint.
    """
    hint = notation.parse_notation(number.value).type_hint if number else None
    titled = fields.title(layout)
    if titled:
        code = titled.code
        if hint and hint != code:
            return code, [f"document type conflict: title says {code}, number says {hint}"]
        return code, []
    if fields.letter_subject(layout):
        return doctypes.LETTER, []
    if hint:
        return hint, []
    return doctypes.UNKNOWN, ["unknown document type"]


def check_number_for_type(found: dict[str, Found], document_type: str) -> None:
    """Civil-status papers and certifications are numbered by register entry (`Số: 125`)."""
    number = found.get("document_number")
    if number and document_type in notation.ENTRY_NUMBERED and number.value.isdigit():
        found["document_number"] = replace(number, problem=None)


def review_reasons(
    document_type: str, found: dict[str, Found], settings: ExtractSettings
) -> list[str]:
    reasons = [f"missing: {name}" for name in settings.required_fields(document_type) if name not in found]
    for name, value in found.items():
        if value.problem:
            reasons.append(f"invalid: {name} ({value.problem})")
        elif value.confidence < settings.review_threshold:
            reasons.append(f"low confidence: {name} ({value.confidence:.2f})")
        elif name in WORDED_FIELDS and (word := misread_word(value.value)):
            reasons.append(f"misread word: {name} ({word})")
    return reasons


def misread_word(text: str) -> str | None:
    """The first word of `text` that spells no Vietnamese syllable though it carries marks
    (`Phóỏ`, `Huêề`: OCR doubled a mark) and is no syllable of a place name (`Đắk`)."""
    for token in text.split():
        core = token.strip(_PUNCTUATION)
        if core.isalpha() and not core.isascii() and not is_vietnamese_syllable(core) and not place_syllable(core):
            return core
    return None


def extract_document(
    pages: list[PageResult],
    settings: ExtractSettings | None = None,
    today: dt.date | None = None,
    signatures: list[Signature] | None = None,
) -> Extraction:
    """Read the fields of one document from its pages (page 1 first).

    `today` bounds plausible dates; it defaults to the current date. `signatures` (the PDF's,
    from `read_document`) are evidence for the issuer and the issue date (extract/evidence.py).
    """
    settings = settings or ExtractSettings()
    layout = analyse([_without_stamps(page) for page in pages if page.outcome == "ok"])
    found = fields.read_fields(layout, today)
    document_type, type_reasons = classify(layout, found.get("document_number"))
    check_number_for_type(found, document_type)
    extraction = Extraction(
        document_type=document_type,
        fields={name: FieldValue(value=f.value, confidence=f.confidence, raw=f.raw) for name, f in found.items()},
        review_reasons=type_reasons + review_reasons(document_type, found, settings),
    )
    return weigh_signatures(extraction, signatures or [], settings)


def _without_stamps(page: PageResult) -> PageResult:
    # Stamps are evidence through `signatures`; as text they would pass for the header.
    return page.model_copy(update={"lines": [line for line in page.lines if not line.stamp]})


def weigh_signatures(extraction: Extraction, signatures: list[Signature], settings: ExtractSettings) -> Extraction:
    """Check the issuer and issue date against the digital signatures; fill a required issue
    date nobody printed from the signing date, with a confidence that keeps it in review."""
    usable = evidence.evidence_signatures(signatures)
    if not usable:
        return extraction
    values, reasons = dict(extraction.fields), list(extraction.review_reasons)
    if "issue_date" in values:
        reasons.append(evidence.check_issue_date(values["issue_date"].value, usable))
    elif (
        "issue_date" in settings.required_fields(extraction.document_type)
        and extraction.document_type not in evidence.NO_OWN_DATE
    ):
        day = evidence.issuing_date(usable).isoformat()
        values["issue_date"] = FieldValue(value=day, confidence=evidence.SIGNATURE_DATE_CONFIDENCE)
        reasons = [r for r in reasons if r != "missing: issue_date"]
        reasons.append(f"issue_date not printed: taken from the digital signature (signed {day})")
    if "issuer" in values:
        reasons.append(evidence.check_issuer(values["issuer"].value, usable))
    return extraction.model_copy(update={"fields": values, "review_reasons": [r for r in reasons if r]})
