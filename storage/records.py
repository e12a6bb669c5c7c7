"""The record: one JSON object per input file (CONTRACT.md), stored in the records bucket.

The record in object storage is the truth; the catalog is an index rebuilt from it.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RecordStatus = Literal["pending", "digitised", "needs_review", "failed", "duplicate"]

# Keep in step with the code in flows: bump when a change to OCR or extraction should
# make `sohoa process --redo` worthwhile. Records carry the version that made them.
PIPELINE_VERSION = "3"  # 2: every document type, body fields, holder checks; 3: signatures, page triage, stamped blanks

# The fields CONTRACT.md names; a record may carry type-specific ones besides.
CONTRACT_FIELDS = (
    "document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title", "summary",
    "holder_name", "holder_id", "procedure_code", "valid_until", "address",
)
# Type-specific fields (docs/fields.md): land titles, household businesses, register books, and the
# parent's reference of an appendix filed alone (CONTRACT.md `phu_luc`).
TYPE_FIELDS = ("land_serial", "land_parcel", "map_sheet", "land_area", "business_code", "register_book",
               "parent_document_number", "parent_issue_date")
RECORD_FIELDS = CONTRACT_FIELDS + TYPE_FIELDS


def nfc(value: Any) -> Any:
    """NFC-normalise every string inside a JSON-like value."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


class _Exported(BaseModel):
    """A part of the record whose every key is exported, null or empty where it does not apply
    (CONTRACT.md): the published JSON Schema (`sohoa records schema`) requires them all."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class RecordError(_Exported):
    code: str
    message: str


FieldSource = Literal["ocr", "manual"]


class RecordField(_Exported):
    value: str
    confidence: float = Field(ge=0.0, le=1.0)
    # Exported only when they say something, so a field read by OCR stays {value, confidence}.
    source: FieldSource = Field("ocr", exclude_if=lambda source: source == "ocr")  # "manual": typed in by staff
    raw: str | None = Field(None, exclude_if=lambda raw: raw is None)  # as printed, when normalised (`1204 /QĐ- UBND`)


class Correction(_Exported):
    """One change made by a person: the value before and after (None: absent)."""

    field: str
    # Defaults: records written when exports left out None lack `old` (an added field) or `new`.
    old: RecordField | None = None
    new: RecordField | None = None
    by: str
    at: datetime
    note: str | None = None
    forced: bool = False  # stored although the value failed its check


class ReviewNote(_Exported):
    """A reviewer's note sending the record back (it stays needs_review): what to look at again."""

    by: str
    at: datetime
    note: str


class RecordSignature(_Exported):
    """A digital signature or printed stamp (CONTRACT.md `signatures`; mirrors ocr.types.Signature,
    which storage may not import). Every key is exported, null where it does not apply."""

    kind: Literal["digital", "stamp"]
    organisation: str = ""
    signer: str = ""
    signed_at: datetime | None = None  # Vietnam time, with its offset
    signed_at_source: str | None = None  # timestamp (TSA token), pdf (/M), cms (signingTime), page
    intact: bool | None = None  # None for a stamp
    covers_whole_file: bool | None = None
    validated: bool = False  # true only when the chain was checked against SOHOA_TRUST_ROOTS
    stamp_text: str = ""
    page: int | None = None
    note: str | None = None


class PageSummary(_Exported):
    number: int
    method: str
    triage: str = ""  # what was decided for the page and why (text layer kept, re-OCR'd, hybrid)
    outcome: str
    rotation: int = 0
    skew_degrees: float = 0.0
    preprocessing: list[str] = []
    mean_confidence: float
    seconds: float
    error: str | None = None


class RecordFiles(_Exported):
    original: str
    pdf: str | None = None
    pdf_format: str | None = None  # "pdfa-2b", or "pdf" when conversion failed (see pdf_note)
    pdf_note: str | None = None  # why the PDF is not PDF/A, or what its validation found
    words: str | None = None
    record: str | None = None
    # Fixity (`sohoa fixity`): the SHA-256 (hex) of the derived files and the version that was
    # written. Records made before these keys existed lack them and are reported "not checkable".
    pdf_sha256: str | None = None
    pdf_version: str | None = None
    words_sha256: str | None = None
    words_version: str | None = None


class Record(_Exported):
    id: str
    batch_id: str
    batch_name: str
    agency: str
    source_name: str
    source_path: str  # path inside the dropped batch, for telling same-named files apart
    # Declared by archive staff with the file in a drop's manifest.csv (`procedure_code`,
    # `register_reference`: the result's entry in the agency's register), never read from the
    # paper: a hint for review and matching, kept apart from `fields`, which OCR rewrites.
    declared: dict[str, str] = {}
    sha256: str
    size_bytes: int
    media_type: str
    pages: int | None = None
    status: RecordStatus = "pending"
    duplicate_of: str | None = None
    error: RecordError | None = None
    document_type: str | None = None
    fields: dict[str, RecordField] = {}
    review_reasons: list[str] = []
    # Values read but withheld from `fields` (a failed check, indirect evidence): for the reviewer.
    suggestions: dict[str, RecordField] = {}
    text: str | None = None
    files: RecordFiles
    page_details: list[PageSummary] = []
    signatures: list[RecordSignature] = []  # always exported, [] when none
    ingested_at: datetime
    processed_at: datetime | None = None
    pipeline_version: str | None = None
    corrections: list[Correction] = []
    approved_by: str | None = None
    approved_at: datetime | None = None
    approval_note: str | None = None
    # The review_reasons a person looked at and approved anyway, kept readable.
    resolved_reasons: list[str] = []
    review_notes: list[ReviewNote] = []  # records sent back with a note, oldest first

    @model_validator(mode="before")
    @classmethod
    def _normalise_strings(cls, data: Any) -> Any:
        return nfc(data)

    @field_validator("sha256")
    @classmethod
    def _hex_digest(cls, value: str) -> str:
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError("sha256 must be 64 lower-case hex digits")
        return value

    @model_validator(mode="after")
    def _status_invariants(self) -> "Record":
        if (self.status == "failed") != (self.error is not None):
            raise ValueError("error is present exactly when status is failed")
        if (self.status == "duplicate") != (self.duplicate_of is not None):
            raise ValueError("duplicate_of is present exactly when status is duplicate")
        return self

    # Every key, whatever the status (CONTRACT.md): consumers never guess whether one is missing.
    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def export_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
