"""Processing one registered document: original → pages → fields → stored files → record.

Input errors end as a `failed` record with the error's code. Service errors (`SERVICE_ERRORS`:
Tesseract, its language data, Ghostscript or the text layer's font not installed; object
storage or the catalog unreachable; a page range lost with its Dask worker) are not the document's fault: nothing is saved, the
record stays `pending`, and the error propagates so that the run fails with its message,
which says what to install or start (the flow retries outages first). Anything else is a
bug, recorded as `internal_error` on the document it happened on so that the batch goes on
and the operator can find it.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import datetime, timezone
from pathlib import Path

from extract import Extraction, FieldValue, extract_document
from flows.claims import Claim, ClaimLost, holding, worker_id
from flows.engine import WorkerLost, cluster_ranges
from flows.intake import save_record
from flows.range_claims import SharedRanges, sharing_ranges
from flows.services import Services
from flows.settings import FlowSettings
from ocr.assemble import text_font
from ocr.digit_reader import check_digit_reader
from ocr.errors import InputError, ToolMissing
from ocr.ghostscript import check_ghostscript
from ocr.pdfa import PdfaError, resolution_problems, to_pdfa
from ocr.pdfa_inplace import NotEligible, declare_pdfa
from ocr.pipeline import read_document
from ocr.scratch import scratch_dir
from ocr.settings import OcrSettings
from ocr.tesseract import check_tesseract
from ocr.types import DocumentResult, PageResult
from storage.errors import CatalogUnavailable, StorageError, catalog_errors
from storage.objects import ref
from storage.records import (
    PIPELINE_VERSION, PageSummary, Record, RecordError, RecordField, RecordFiles, RecordSignature,
)

log = logging.getLogger(__name__)

SERVICE_ERRORS = (ToolMissing, StorageError, CatalogUnavailable, WorkerLost)


def check_tools(settings: OcrSettings) -> None:
    """Raises ToolMissing, saying what to install, unless Tesseract with the OCR language's
    data, Ghostscript, the text layer's font and (when on) the handwritten-digit and page-number reader are here."""
    check_tesseract(settings.language)
    check_ghostscript()
    text_font()
    if settings.second_recogniser:
        check_digit_reader()


def process_document(record_id: str, services: Services, worker: str | None = None) -> str:
    """Digitise one pending document; returns its new status. Does nothing to a finished one,
    nor to one another worker holds (flows/claims.py): that one is `pending` here."""
    with catalog_errors():
        record = services.catalog.get(record_id)
    if record is None:
        raise LookupError(f"no record {record_id} in the catalog")
    if record.status != "pending":
        return record.status
    worker = worker or worker_id()
    ttl = services.storage_settings.claim_ttl_seconds
    try:
        with catalog_errors(), holding(services.catalog, record_id, worker, ttl) as claim:
            if claim is None:
                log.info("%s: taken by another worker", record.source_path)
                return services.catalog.get(record_id).status
            record = _digitise(record, services, claim)
    except ClaimLost as exc:
        log.warning("%s: %s (worker %s stalled past its claim): that worker's results stand, "
                    "these were not written", record.source_path, exc, worker)
        return "pending"
    log.info("%s: %s (worker %s)", record.source_path, record.status, worker)
    return record.status


def _digitise(record: Record, services: Services, claim: Claim) -> Record:
    check_tools(services.ocr_settings)  # before the work a missing tool would waste
    run_ranges = cluster_ranges()
    shared = None
    if run_ranges is None and sharing_ranges(FlowSettings()):  # no Dask: the batch's other workers help
        run_ranges = shared = SharedRanges(record, services, claim.worker)
    try:
        # Files, not bytes: a scanned volume's original and searchable PDF (hundreds of MB each)
        # stay on disk. The original's pages are read as they come, its download checked against
        # the SHA-256 as it streams; the searchable PDF is written to its file and archived from it.
        with scratch_dir("pdf") as pdf_folder:
            searchable = Path(pdf_folder) / "searchable.pdf"
            with scratch_dir("original") as folder:
                original = Path(folder) / "original"
                services.store.get_original_file(record.sha256, original)
                document = read_document(original, services.ocr_settings, run_ranges=run_ranges, pdf_path=searchable)
            extraction = extract_document(document.pages, services.extract_settings, signatures=document.signatures)
            record = store_results(record, document, extraction, services, searchable)
    except InputError as exc:
        record = fail(record, exc.code, exc.message)
    except SERVICE_ERRORS:
        raise
    except Exception as exc:  # a bug: keep the batch going, keep the evidence
        log.exception("internal error on %s (%s)", record.source_path, record.id)
        record = fail(record, "internal_error", f"{type(exc).__name__}: {exc}")
    claim.check()  # a worker that stalled past its claim must not write over the one that took over
    record = save_record(record, services)
    if shared is not None and shared.used:
        shared.clean()  # only now: until the record is stored, a later run reuses the ranges read
    return record


def fail(record: Record, code: str, message: str) -> Record:
    return record.model_copy(
        update={
            "status": "failed",
            "error": RecordError(code=code, message=message),
            "processed_at": datetime.now(timezone.utc),
            "pipeline_version": PIPELINE_VERSION,
        }
    )


def store_results(record: Record, document: DocumentResult, extraction: Extraction, services: Services,
                  searchable: Path | None = None) -> Record:
    """`searchable`: the searchable PDF's file, when read_document wrote it there (`document.pdf`
    is then empty)."""
    store = services.store
    # The archive copy and the pages' JSON are files to upload from: a scanned volume's are
    # hundreds of MB and tens of MB, not held in memory beside its pages.
    with scratch_dir("archive") as folder:
        archive = Path(folder) / "document.pdf"
        pdf_format, pdf_note = archive_pdf(document, archive, searchable)
        pdf, pdf_version, pdf_sha256 = store.put_derived_file(
            record.sha256, PIPELINE_VERSION, "document.pdf", archive, "application/pdf")
        pages_json = Path(folder) / "pages.json"
        write_pages_json(document.pages, pages_json)
        words, words_version, words_sha256 = store.put_derived_file(
            record.sha256, PIPELINE_VERSION, "pages.json", pages_json, "application/json")
    derived = store.buckets.derived
    files = record.files.model_copy(update={
        "pdf": ref(derived, pdf), "pdf_format": pdf_format, "pdf_note": pdf_note, "words": ref(derived, words),
        # What fixity checks compare against: the record, not the object, must say what the bytes were.
        "pdf_sha256": pdf_sha256, "pdf_version": pdf_version,
        "words_sha256": words_sha256, "words_version": words_version,
    })
    return assemble_record(record, document, extraction, files)


def write_pages_json(pages: list[PageResult], path: Path) -> None:
    """The pages as one JSON array, the same bytes as `json.dumps` of the whole list, written a
    page at a time: the whole text of a 300-page volume's words is not built in memory."""
    with path.open("w", encoding="utf-8") as file:
        file.write("[")
        for index, page in enumerate(pages):
            file.write(", " if index else "")
            file.write(json.dumps(page.model_dump(mode="json"), ensure_ascii=False))
        file.write("]")


def archive_pdf(document: DocumentResult, path: Path, searchable: Path | None = None) -> tuple[str, str | None]:
    """Writes the PDF/A-2b copy (Circular 05/2025) to `path`, or the plain searchable PDF;
    returns its format and, for the plain PDF, why it is not PDF/A.

    The PDF is declared PDF/A in place when its content allows (ocr/pdfa_inplace.py: always
    for scans, usually for born-digital files), else converted by Ghostscript. Written to a
    file, not returned: the copy is not held in memory beside `document.pdf`.

    Only a failure on this document keeps the plain PDF; a missing Ghostscript raises
    GhostscriptMissing, so that no archive silently loses its PDF/A. `searchable`: the
    searchable PDF's file, copied from disk to disk, when `document.pdf` is empty.
    """
    _plain_copy(document, path, searchable)
    try:
        # Declared PDF/A as it is, in milliseconds, where its content allows (ocr/pdfa_inplace.py).
        declare_pdfa(path)
    except NotEligible as exc:
        log.info("PDF/A by Ghostscript: %s", exc)
        try:
            # About 0.2-1 s a page; allow slow pages and long documents their time.
            pdf = searchable.read_bytes() if searchable is not None else document.pdf
            path.write_bytes(to_pdfa(pdf, timeout=max(120, 2 * len(document.pages))))
        except PdfaError as exc:
            log.warning("kept the plain PDF: PDF/A conversion failed: %s", exc)
            _plain_copy(document, path, searchable)  # the declaration may have been half written
            return "pdf", f"not PDF/A: {exc}"
    # Both ways check the format; what they tolerate is a scan under 200 dpi.
    return "pdfa-2b", "; ".join(resolution_problems(path)) or None


def _plain_copy(document: DocumentResult, path: Path, searchable: Path | None) -> None:
    if searchable is not None:
        shutil.copyfile(searchable, path)
    else:
        path.write_bytes(document.pdf)


def _record_fields(values: dict[str, FieldValue]) -> dict[str, RecordField]:
    return {name: RecordField(value=v.value, confidence=round(v.confidence, 3), raw=v.raw) for name, v in values.items()}


def assemble_record(record: Record, document: DocumentResult, extraction: Extraction, files: RecordFiles) -> Record:
    unread = [f"page {p.number}: {p.outcome} ({p.error})" for p in document.pages if p.outcome != "ok"]
    reasons = list(extraction.review_reasons) + unread
    return record.model_copy(
        update={
            "status": "needs_review" if reasons else "digitised",
            "pages": len(document.pages),
            "document_type": extraction.document_type,
            "fields": _record_fields(extraction.fields),
            "review_reasons": reasons,
            "suggestions": _record_fields(extraction.suggestions),
            "text": document.text,
            "files": files,
            "page_details": [
                PageSummary.model_validate(page.model_dump(include=set(PageSummary.model_fields)))
                for page in document.pages
            ],
            "signatures": [RecordSignature.model_validate(s.model_dump()) for s in document.signatures],
            "processed_at": datetime.now(timezone.utc),
            "pipeline_version": PIPELINE_VERSION,
        }
    )
