"""Turning records and progress rows into files: JSON lines, CSV, tables, HTML."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable

from flows.national import COLUMNS as NATIONAL_COLUMNS
from flows.national import national_rows
from storage.records import RECORD_FIELDS, Record

CSV_COLUMNS = [
    "id", "batch_id", "agency", "source_name", "sha256", "media_type", "pages", "status",
    "duplicate_of", "error_code", "error_message", "document_type",
    *[f"{name}{suffix}" for name in RECORD_FIELDS for suffix in ("", "_confidence")],
    "review_reasons", "file_original", "file_pdf", "file_record",
]


def records_jsonl(records: Iterable[Record]) -> Iterable[str]:
    for record in records:
        yield json.dumps(record.export_dict(), ensure_ascii=False) + "\n"


def national_jsonl(records: Iterable[Record]) -> Iterable[str]:
    for row in national_rows(records):
        yield json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n"


def national_csv(records: Iterable[Record]) -> Iterable[str]:
    yield from _csv_rows(NATIONAL_COLUMNS, national_rows(records))


def records_csv(records: Iterable[Record]) -> Iterable[str]:
    """One row per record; the page text stays in the JSON export (it spans many lines)."""
    yield from _csv_rows(CSV_COLUMNS, (_csv_row(record) for record in records))


def _csv_rows(columns: list[str], rows: Iterable[dict]) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _csv_row(record: Record) -> dict:
    row = {
        "id": record.id, "batch_id": record.batch_id, "agency": record.agency,
        "source_name": record.source_name, "sha256": record.sha256, "media_type": record.media_type,
        "pages": record.pages, "status": record.status, "duplicate_of": record.duplicate_of,
        "error_code": record.error.code if record.error else None,
        "error_message": record.error.message if record.error else None,
        "document_type": record.document_type,
        "review_reasons": "; ".join(record.review_reasons),
        "file_original": record.files.original, "file_pdf": record.files.pdf,
        "file_record": record.files.record,
    }
    for name in RECORD_FIELDS:
        field = record.fields.get(name)
        row[name] = field.value if field else None
        row[f"{name}_confidence"] = field.confidence if field else None
    return row


PROGRESS_COLUMNS = ["documents", "digitised", "needs_review", "failed", "duplicate", "pending", "pages", "percent_read"]


def progress_csv(rows: list[dict], by: str) -> str:
    return "".join(_csv_rows([by, *PROGRESS_COLUMNS], rows))


def progress_html(rows: list[dict], by: str) -> str:
    """A self-contained page (no scripts, no network) the department can open anywhere."""
    header = "".join(f"<th>{html.escape(c)}</th>" for c in [by, *PROGRESS_COLUMNS])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(row.get(c, '')))}</td>" for c in [by, *PROGRESS_COLUMNS]) + "</tr>"
        for row in rows
    )
    return (
        "<!doctype html><html lang='vi'><meta charset='utf-8'><title>Tiến độ số hóa</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:right}</style>"
        f"<h1>Tiến độ số hóa kết quả giải quyết TTHC</h1><table><tr>{header}</tr>{body}</table></html>\n"
    )
