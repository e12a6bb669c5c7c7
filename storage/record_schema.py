"""The JSON Schema of the record as exported (`sohoa records schema`), generated from storage.records.

Every key is required whatever the status (null, [] or "" where it does not apply: CONTRACT.md),
and the status invariants are part of it: `error` is an object exactly when `status` is `failed`,
`duplicate_of` a record id exactly when it is `duplicate`. Descriptions are English with the
Vietnamese term the archives use.
"""

from __future__ import annotations

from typing import Any

from storage.records import RECORD_FIELDS, Record

DRAFT = "https://json-schema.org/draft/2020-12/schema"

KEYS = {
    "id": "Stable id of the record (mã bản ghi)",
    "batch_id": "Id of the batch the file came in (mã lô)",
    "batch_name": "Name of the batch as given at ingest (tên lô)",
    "agency": "Code of the issuing agency, as given at ingest (mã cơ quan)",
    "source_name": "File name as dropped (tên tệp gốc)",
    "source_path": "Path inside the dropped batch, telling same-named files apart (đường dẫn trong lô)",
    "declared": "Values archive staff declared for the file in a drop's manifest.csv: procedure_code, "
                "register_reference; never read from the paper (giá trị khai kèm lô)",
    "sha256": "SHA-256 of the original bytes, lower-case hex (mã băm SHA-256)",
    "size_bytes": "Size of the original in bytes (dung lượng)",
    "media_type": "Media type sniffed from the bytes (kiểu tệp)",
    "pages": "Pages read; null until processed, and for failed and duplicate files (số trang)",
    "status": "pending (chờ xử lý), digitised (đã số hóa), needs_review (cần kiểm tra), "
              "failed (lỗi đọc) or duplicate (trùng lặp)",
    "duplicate_of": "Id of the record first holding the same bytes; only when status is duplicate (bản ghi gốc)",
    "error": "Why the file could not be read; exactly when status is failed (lỗi)",
    "document_type": "Document type code: quyet_dinh, giay_chung_nhan_qsdd, cong_van ... (loại văn bản)",
    "fields": "Values read that passed their checks, by field name; a field the document does not carry "
              "is absent (trường thông tin)",
    "review_reasons": "Why a person must look at the record; [] when none (lý do cần kiểm tra)",
    "suggestions": "Values read but withheld from fields (a failed check, indirect evidence), for the "
                   "reviewer; {} when none (giá trị gợi ý)",
    "text": "Every page's text in reading order, pages separated by a form feed (signature and "
            "certified-copy stamps are in signatures, not here); null when not read (nội dung văn bản)",
    "files": "Object storage references (bucket/key) of the original and derived files (tệp lưu trữ)",
    "page_details": "How each page was read; [] when not read (chi tiết trang)",
    "signatures": "Digital signatures of the PDF and stamps read on the pages; [] when none (chữ ký số, dấu)",
    "ingested_at": "When the file was registered, ISO 8601 with offset (thời điểm tiếp nhận)",
    "processed_at": "When it was read; null while pending and for duplicates (thời điểm xử lý)",
    "pipeline_version": "Version of the reading pipeline that made the record (phiên bản xử lý)",
    "corrections": "Changes made by people, oldest first; [] when none (lịch sử hiệu chỉnh)",
    "approved_by": "Who approved the record after review (người duyệt)",
    "approved_at": "When it was approved (thời điểm duyệt)",
    "approval_note": "The approver's note (ghi chú duyệt)",
    "resolved_reasons": "Review reasons a person looked at and approved anyway; [] when none (lý do đã xử lý)",
    "review_notes": "Notes of reviewers who sent the record back for another look, oldest first; [] when none "
                    "(ghi chú trả lại)",
}

FIELDS = {
    "document_number": "Number and notation, whitespace removed: 1204/QĐ-UBND (số và ký hiệu)",
    "issue_date": "Issue date, YYYY-MM-DD (ngày ban hành)",
    "issue_place": "Place name of the place-and-date line (địa danh)",
    "issuer": "Issuing body, abbreviations expanded (cơ quan ban hành)",
    "signer": "Name of the signer (người ký)",
    "signer_title": "Title of the signer: Phó Chủ tịch (chức vụ người ký)",
    "summary": "Subject, without a leading V/v (trích yếu)",
    "holder_name": "Person or organisation the result was issued to (tên chủ giấy tờ)",
    "holder_id": "Personal number, old ID or enterprise code, digits only (số định danh, mã số doanh nghiệp)",
    "procedure_code": "Administrative procedure code (mã TTHC)",
    "valid_until": "End of validity, YYYY-MM-DD (thời hạn hiệu lực)",
    "address": "The holder's address (địa chỉ)",
    "land_serial": "Land title serial (số phát hành)",
    "land_parcel": "Parcel number (thửa đất số)",
    "map_sheet": "Cadastral map sheet (tờ bản đồ số)",
    "land_area": "Parcel area in m² (diện tích)",
    "business_code": "Household business code (mã số hộ kinh doanh)",
    "register_book": "Register book (quyển số)",
    "parent_document_number": "Number of the document an appendix filed alone belongs to (số văn bản kèm theo)",
    "parent_issue_date": "Issue date of that document, YYYY-MM-DD (ngày văn bản kèm theo)",
}

PARTS = {
    "RecordField": "A value read or typed in, with its confidence; source and raw appear only when they "
                   "say something (manual entry; the value as printed before normalising)",
    "RecordError": "Error code (empty_file, unsupported_type, corrupt_file, truncated_file, encrypted_pdf, "
                   "image_too_large, ocr_failed ...) and a readable message",
    "RecordFiles": "bucket/key of each stored file; null when not made",
    "PageSummary": "One page: how it was read, its outcome and confidence",
    "ReviewNote": "Who sent the record back, when, and the note saying what to look at again",
}


def record_schema() -> dict[str, Any]:
    """The schema as `sohoa records schema` prints it."""
    schema = Record.model_json_schema(mode="serialization")
    properties = schema["properties"]
    for name, text in KEYS.items():
        if name in properties:
            properties[name]["description"] = text
    properties["sha256"]["pattern"] = "^[0-9a-f]{64}$"
    # A known field name gets its meaning; type-specific ones beyond these stay allowed.
    named = {name: {"$ref": "#/$defs/RecordField", "description": FIELDS.get(name, name)} for name in RECORD_FIELDS}
    properties["fields"]["properties"] = named
    properties["suggestions"]["properties"] = named
    for part, text in PARTS.items():
        schema["$defs"][part]["description"] = text
    schema["allOf"] = [_exactly_when("failed", "error", {"$ref": "#/$defs/RecordError"}),
                       _exactly_when("duplicate", "duplicate_of", {"type": "string"})]
    return {"$schema": DRAFT, "title": "sohoa record (bản ghi số hóa)",
            "description": "One digitised input file, as `sohoa records export` writes it (CONTRACT.md)",
            **{k: v for k, v in schema.items() if k not in ("title", "description")}}


def _exactly_when(status: str, key: str, present: dict) -> dict:
    return {"if": {"properties": {"status": {"const": status}}},
            "then": {"properties": {key: present}}, "else": {"properties": {key: {"type": "null"}}}}
