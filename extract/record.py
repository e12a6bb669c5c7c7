"""The entry point: pages in, document type and fields with confidences and review reasons out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pydantic import BaseModel

from extract import doctypes, evidence, fields, notation
from extract.found import Found, doubtful_digits
from extract.layout import Layout, analyse
from extract.places import place_syllable
from extract.settings import ExtractSettings
from extract.text import EDGE_PUNCTUATION
from ocr.types import PageResult, Signature
from ocr.vntext import is_vietnamese_syllable

# Fields written in words, where a word no syllable spells is an OCR misreading: a confident
# field reading `Thành Phóỏ huế` must not leave review.
WORDED_FIELDS = ("issuer", "issue_place", "summary", "signer", "signer_title", "holder_name", "address")
_PUNCTUATION = EDGE_PUNCTUATION + "/"
# Glyphs OCR makes of a mark or a stroke (`ối` read `ô!`) that subjects, names and titles never print.
_NEVER_PRINTED = "!|¡¿{}~®©¢£¥§"


class FieldValue(BaseModel):
    value: str
    confidence: float  # 0..1
    raw: str | None = None  # as printed, when it differs from the normalised value


class Extraction(BaseModel):
    """What was read from one document; the caller sets `needs_review` when reasons exist."""

    document_type: str
    fields: dict[str, FieldValue]
    review_reasons: list[str]  # empty when the record needs no human look
    # Values read but not published: they fail their check, or only indirect evidence gives
    # them. A consumer of `fields` must never get a value that is probably wrong; the person
    # who reviews the record sees these beside the reason.
    suggestions: dict[str, FieldValue] = {}


def classify(layout: Layout, number: Found | None) -> tuple[str, list[str]]:
    """The document_type code and any doubt about it.

    The centred title decides; a letter has no title but a `V/v` subject under its
    number; failing both, the type abbreviation in the number is a hint, and a page with
    neither whose recipients list opens `Như trên` is a letter's last page filed alone.
    """
    # A land title's register entry (`CS05989`) is a number but no notation.
    parsed = notation.parse_notation(number.value) if number else None
    hint = parsed.type_hint if parsed else None
    titled = fields.title(layout)
    if titled:
        code = titled.code
        if hint and hint != code:
            return code, [f"document type conflict: title says {code}, number says {hint}"]
        return code, []
    if fields.letter_subject(layout, unprefixed=False):
        return doctypes.LETTER, []
    if hint:
        return hint, []
    if fields.letter_subject(layout):  # the subject without `V/v`: weaker than the number's type
        return doctypes.LETTER, []
    if fields.letter_ending(layout):
        return doctypes.LETTER, ["document type from the recipients list (Như trên): no title, no V/v subject"]
    return doctypes.UNKNOWN, ["unknown document type"]


def check_number_for_type(found: dict[str, Found], document_type: str) -> None:
    """Civil-status papers and certifications are numbered by register entry (`Số: 125`)."""
    number = found.get("document_number")
    # Only the shape complaint goes: handwritten-looking digits stay in doubt.
    if (number and document_type in notation.ENTRY_NUMBERED and number.value.isdigit()
            and number.problem == notation.shape_problem(number.value)):
        found["document_number"] = replace(number, problem=None)


def review_reasons(
    document_type: str, found: dict[str, Found], settings: ExtractSettings
) -> list[str]:
    reasons = [f"missing: {name}" for name in settings.required_fields(document_type, found) if name not in found]
    for name, value in found.items():
        if value.problem:
            reasons.append(f"invalid: {name} ({value.problem})")
        elif value.handwritten and value.confirmed is None:
            reasons.append(f"handwritten: {name} read by the digit reader ({value.value}), check it")
        elif word := known_misread(name, value.value):
            reasons.append(f"misread word: {name} ({word})")
        elif value.confidence < settings.review_threshold:
            reasons.append(f"low confidence: {name} ({value.confidence:.2f})")
        elif name in WRITTEN_IN_FIELDS and value.confirmed is None and (digits := doubtful_digits(value)):
            reasons.append(f"low confidence: {name} digits ({digits.text} read at {digits.digit_confidence:.2f})")
    return reasons


# Fields whose digits a clerk may write in by hand. Small handwriting passes for type
# (extract/handwriting.py measures size): a day `09` read as `03` at 0.74 among words read at
# 0.97. The mean confidence hides one doubtful word, so any such word sends the record to review.
WRITTEN_IN_FIELDS = ("document_number", "issue_date")


def known_misread(name: str, value: str) -> str | None:
    return misread_word(value) if name in WORDED_FIELDS else None


def misread_word(text: str) -> str | None:
    """The first word of `text` that spells no Vietnamese syllable though it carries marks
    (`Phóỏ`, `Huêề`: OCR doubled a mark) and is no syllable of a place name (`Đắk`); or that
    has a mark these fields never print glued to its letters (`đô!` for `đối`)."""
    tokens = text.split()
    for index, token in enumerate(tokens):
        core = token.strip(_PUNCTUATION)
        if core.isalpha() and not core.isascii() and not is_vietnamese_syllable(core) and not place_syllable(core):
            return core
        inner = token if index < len(tokens) - 1 else token.rstrip("!")  # a slogan may end with `!`
        if any(c.isalpha() for c in inner) and any(c in _NEVER_PRINTED for c in inner):
            return token
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
    found = confirmed_by_signature(fields.read_fields(layout, today), signatures or [])
    document_type, type_reasons = classify(layout, found.get("document_number"))
    check_number_for_type(found, document_type)
    values = {name: FieldValue(value=f.value, confidence=f.confidence, raw=f.raw) for name, f in found.items()}
    against = handwriting_against_evidence(found, signatures or [])
    withheld = {name for name, f in found.items() if f.problem or known_misread(name, f.value)} | set(against)
    reasons = review_reasons(document_type, found, settings)
    if against:  # the reason that rules the reading out replaces the plain request to check it
        reasons = [r for r in reasons if not r.startswith("handwritten: issue_date")] + list(against.values())
    extraction = Extraction(
        document_type=document_type,
        fields={name: value for name, value in values.items() if name not in withheld},
        review_reasons=type_reasons + reasons,
        suggestions={name: value for name, value in values.items() if name in withheld},
    )
    return weigh_signatures(extraction, signatures or [], settings)


def confirmed_by_signature(found: dict[str, Found], signatures: list[Signature]) -> dict[str, Found]:
    """A date the digit reader read (written in, or stamped in a font Tesseract missed) on the very
    day the body signed the document is confirmed by that signature."""
    date = found.get("issue_date")
    if date and date.handwritten and date.confirmed is None and not date.problem \
            and evidence.signed_that_day(date.value, signatures):
        return found | {"issue_date": replace(date, confirmed=evidence.SIGNED_SAME_DAY_CONFIDENCE)}
    return found


def handwriting_against_evidence(found: dict[str, Found], signatures: list[Signature]) -> dict[str, str]:
    """Handwritten readings the document's other evidence rules out, with the reason: an issue
    date after the PDF's digital signatures or weeks before its issuing one. Such a value is
    only suggested."""
    date = found.get("issue_date")
    if not (date and date.handwritten and date.confirmed is None and not date.problem):
        return {}
    why = evidence.check_handwritten_date(date.value, signatures)
    return {"issue_date": f"handwritten: issue_date read by the digit reader ({date.value}) is {why}"} if why else {}


def _without_stamps(page: PageResult) -> PageResult:
    # Stamps are evidence through `signatures`; as text they would pass for the header.
    return page.model_copy(update={"lines": [line for line in page.lines
                                             if not (line.stamp or REGISTRY_STAMP.match(line.text))]})


# The line a document-management system prints over the header when it files a paper
# (`Số: 2037/SCT-QLTM; 04/08/2025; 14:59:39;`): its registry entry, not the document's number.
REGISTRY_STAMP = re.compile(r"^\W*S[ốo]\s*:?\s*\S+\s*;\s*\d{1,2}/\d{1,2}/\d{4}\s*;\s*\d{1,2}:\d{2}(?::\d{2})?\s*;?\s*$")


def weigh_signatures(extraction: Extraction, signatures: list[Signature], settings: ExtractSettings) -> Extraction:
    """Check the issuer and issue date against the digital signatures; suggest the signing date
    for a required issue date nobody printed (never publish it: on real decisions the clerk
    signs a day or more after the printed date)."""
    usable = evidence.evidence_signatures(signatures)
    if not usable:
        return extraction
    values, reasons = dict(extraction.fields), list(extraction.review_reasons)
    suggestions = dict(extraction.suggestions)
    if "issue_date" in values and (misread := evidence.misread_year(values["issue_date"].value, usable)):
        corrected, reason = misread
        # Two sources, each with a doubt: below the review threshold, like a date only signed.
        values["issue_date"] = FieldValue(value=corrected, confidence=evidence.SIGNATURE_DATE_CONFIDENCE)
        reasons.append(reason)
    elif "issue_date" in values:
        reasons.append(evidence.check_issue_date(values["issue_date"].value, usable))
    elif (
        "issue_date" in settings.required_fields(extraction.document_type)
        and extraction.document_type not in evidence.NO_OWN_DATE
    ):
        day = evidence.issuing_date(usable).isoformat()
        # A day left blank or scribbled leaves its month as a suggestion (`2025-02`): the
        # signing day completes it when it falls in that month.
        read = suggestions.get("issue_date")
        if read is None or (len(read.value) < len(day) and day.startswith(read.value)):
            suggestions["issue_date"] = FieldValue(value=day, confidence=evidence.SIGNATURE_DATE_CONFIDENCE)
            reasons = [r for r in reasons if r != "missing: issue_date"]
            reasons.append(f"issue_date not printed: the digital signature's day ({day}) is suggested")
    if "issuer" in values:
        reasons.append(evidence.check_issuer(values["issuer"].value, usable))
    return extraction.model_copy(
        update={"fields": values, "suggestions": suggestions, "review_reasons": [r for r in reasons if r]})
