"""The record: one JSON object per input file (CONTRACT.md), stored in the records bucket.

The record in object storage is the truth; the catalog is an index rebuilt from it.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_serializer, model_validator

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


class RecordError(BaseModel):
    code: str
    message: str


FieldSource = Literal["ocr", "manual"]


class RecordField(BaseModel):
    value: str
    confidence: float = Field(ge=0.0, le=1.0)
    source: FieldSource = "ocr"  # "manual": typed in by archive staff, confidence 1.0
    raw: str | None = None  # as printed, when the value was normalised from it (`1204 /QĐ- UBND`)

    @model_serializer(mode="wrap")
    def _omit_defaults(self, handler) -> dict[str, Any]:
        # Records written before corrections existed keep their exact JSON.
        data = handler(self)
        if self.source == "ocr":
            data.pop("source", None)
        if self.raw is None:
            data.pop("raw", None)
        return data


class Correction(BaseModel):
    """One change made by a person: the value before and after (None: absent)."""

    field: str
    # Defaults, because exports leave out None: a removed field comes back without `new`.
    old: RecordField | None = None
    new: RecordField | None = None
    by: str
    at: datetime
    note: str | None = None
    forced: bool = False  # stored although the value failed its check


class RecordSignature(BaseModel):
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

    @model_serializer(mode="wrap")
    def _every_key(self, handler) -> dict[str, Any]:
        data = handler(self)
        return {name: data.get(name) for name in type(self).model_fields}


class PageSummary(BaseModel):
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


class RecordFiles(BaseModel):
    original: str
    pdf: str | None = None
    pdf_format: str | None = None  # "pdfa-2b", or "pdf" when conversion failed (see pdf_note)
    pdf_note: str | None = None  # why the PDF is not PDF/A, or what its validation found
    words: str | None = None
    record: str | None = None


class Record(BaseModel):
    id: str
    batch_id: str
    batch_name: str
    agency: str
    source_name: str
    source_path: str  # path inside the dropped batch, for telling same-named files apart
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

    @model_serializer(mode="wrap")
    def _omit_empty_review_lists(self, handler) -> dict[str, Any]:
        # Records nobody reviewed keep their exact JSON (and CONTRACT.md export) as before.
        data = handler(self)
        for name in ("corrections", "resolved_reasons", "suggestions"):
            if not getattr(self, name):
                data.pop(name, None)
        return data

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True, indent=2)

    def export_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)
