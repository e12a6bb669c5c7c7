"""Turning records and progress reports into files: JSON lines, CSV, table rows, Markdown
(the HTML page is flows/report_html.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flows.national import COLUMNS as NATIONAL_COLUMNS
from flows.national import national_rows, signature_summary
from storage.csvtext import csv_lines, csv_text
from storage.progress import MonthPoint, ProgressReport, ProgressRow
from storage.records import RECORD_FIELDS, Record

CSV_COLUMNS = [
    "id", "batch_id", "agency", "source_name", "sha256", "media_type", "pages", "status",
    "duplicate_of", "error_code", "error_message", "document_type",
    *[f"{name}{suffix}" for name in RECORD_FIELDS for suffix in ("", "_confidence")],
    "review_reasons", "signatures", "file_original", "file_pdf", "file_record",
]


def records_jsonl(records: Iterable[Record]) -> Iterable[str]:
    for record in records:
        yield json.dumps(record.export_dict(), ensure_ascii=False) + "\n"


def national_jsonl(records: Iterable[Record]) -> Iterable[str]:
    for row in national_rows(records):
        yield json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n"


def national_csv(records: Iterable[Record]) -> Iterable[str]:
    yield from csv_lines(NATIONAL_COLUMNS, national_rows(records))


def records_csv(records: Iterable[Record]) -> Iterable[str]:
    """One row per record; the page text stays in the JSON export (it spans many lines)."""
    yield from csv_lines(CSV_COLUMNS, (_csv_row(record) for record in records))


def _csv_row(record: Record) -> dict:
    row = {
        "id": record.id, "batch_id": record.batch_id, "agency": record.agency,
        "source_name": record.source_name, "sha256": record.sha256, "media_type": record.media_type,
        "pages": record.pages, "status": record.status, "duplicate_of": record.duplicate_of,
        "error_code": record.error.code if record.error else None,
        "error_message": record.error.message if record.error else None,
        "document_type": record.document_type,
        "review_reasons": "; ".join(record.review_reasons),
        "signatures": signature_summary(record),
        "file_original": record.files.original, "file_pdf": record.files.pdf,
        "file_record": record.files.record,
    }
    for name in RECORD_FIELDS:
        field = record.fields.get(name)
        row[name] = field.value if field else None
        row[f"{name}_confidence"] = field.confidence if field else None
    return row


# --- progress (storage/progress.py): one report object, many renderings that agree -------------

STATUS_LABELS = {
    "met": "đạt", "on_track": "đúng tiến độ", "behind": "chậm", "missed": "không đạt",
    "no_denominator": "chưa có số liệu",
}
GROUP_LABELS = {"agency": "cơ quan", "level": "cấp", "procedure": "mã TTHC", "field": "lĩnh vực", "year": "năm cấp"}
LEVEL_LABELS = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã", "unknown": "không rõ cấp"}
TOTAL_LABEL = "tổng"
STRUCTURE_LABELS = {"historical": "theo cơ quan khi cấp", "successor": "theo đơn vị kế thừa"}
PROGRESS_ARTIFACT, SUMMARY_ARTIFACT = "sohoa-progress", "sohoa-summary"  # Prefect artifact keys
# The columns people read, in order (HTML table, Prefect artifact; the terminal shortens the headers).
PROGRESS_HEADERS = {
    "required": "cần số hóa", "digitised": "đã số hóa", "needs_review": "cần kiểm tra",
    "missing": "còn thiếu", "failed": "lỗi đọc", "unmatched_records": "ngoài sổ",
    "percent_done": "% xong", "pace_per_day": "tốc độ/ngày", "projected_completion": "dự kiến 100%",
    "status": "tình trạng",
}
MONTH_HEADERS = {"month": "tháng", "digitised": "số hóa trong tháng", "cumulative": "lũy kế", "percent_done": "% xong"}
NO_VALUE = "–"
NO_DENOMINATOR_HINT = (
    "Chưa có sổ theo dõi hay số khai báo nên chưa tính được tỷ lệ: `sohoa register import SỔ.csv` "
    "hoặc `sohoa register declare --agency MÃ --total N`, rồi `sohoa register match`."
)
LATE_LISTED = 30  # the summary names this many late groups, the slowest first


def progress_json(report: ProgressReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def progress_csv(report: ProgressReport) -> str:
    """Every field of every row, then the total row (group `total`): the machine-readable table."""
    rows = [row.model_dump(mode="json") for row in (*report.rows, report.total)]
    return csv_text(list(ProgressRow.model_fields), rows)


def months_csv(report: ProgressReport) -> str:
    """The burn-up: per month of digitisation, digitised in it, cumulative, percent of required."""
    return csv_text(list(MonthPoint.model_fields), (m.model_dump(mode="json") for m in report.months))


def progress_cells(row: ProgressRow, by: str, total: bool = False) -> list[str]:
    """A row as people read it: group, name, then PROGRESS_HEADERS; numbers as in the JSON."""
    name = row.name or (LEVEL_LABELS.get(row.group) if by == "level" and not total else None)
    values = [TOTAL_LABEL if total else row.group, _text(name)]
    for field in PROGRESS_HEADERS:
        value = getattr(row, field)
        values.append(STATUS_LABELS[value] if field == "status" else _text(value))
    return values


def month_cells(point: MonthPoint) -> list[str]:
    return [_text(getattr(point, field)) for field in MONTH_HEADERS]


def progress_headers(by: str) -> list[str]:
    """The headers of `progress_cells`, in Vietnamese."""
    return [GROUP_LABELS[by], "tên", *PROGRESS_HEADERS.values()]


def progress_table_rows(report: ProgressReport) -> list[dict[str, str]]:
    """Rows and total as dicts under the Vietnamese headers (the Prefect table artifact)."""
    headers = progress_headers(report.by)
    rows = [(row, False) for row in report.rows] + [(report.total, True)]
    return [dict(zip(headers, progress_cells(row, report.by, total))) for row, total in rows]


def progress_markdown(report: ProgressReport) -> str:
    """A short summary: totals, percent done, status against the target, the groups behind."""
    total = report.total
    lines = [
        f"# Tiến độ số hóa ngày {report.today.isoformat()}",
        "",
        f"- Mốc hoàn thành: {report.target_date.isoformat()}",
        f"- Cần số hóa: {total.required}; đã số hóa: {total.digitised} ({_text(total.percent_done)}%); "
        f"cần kiểm tra: {total.needs_review}; còn thiếu: {total.missing}",
        f"- Lỗi đọc: {total.failed}; hồ sơ ngoài sổ: {total.unmatched_records}",
        f"- Tốc độ: {total.pace_per_day}/ngày; dự kiến đạt 100%: {_text(total.projected_completion)}",
        f"- Tình trạng so với mốc: **{STATUS_LABELS[total.status]}**",
    ]
    late = sorted((row for row in report.rows if row.status in ("behind", "missed")),
                  key=lambda row: (row.percent_done or 0, row.group))
    lines += ["", f"## {GROUP_LABELS[report.by].capitalize()} chậm hoặc không đạt: {len(late)}", ""]
    lines += [
        f"- {row.group}{f' ({row.name})' if row.name else ''}: {_text(row.percent_done)}%, "
        f"còn thiếu {row.missing}, dự kiến {_text(row.projected_completion)}, {STATUS_LABELS[row.status]}"
        for row in late[:LATE_LISTED]
    ] or ["- không có"]
    if len(late) > LATE_LISTED:
        lines.append(f"- … và {len(late) - LATE_LISTED} nữa (xem bảng `{PROGRESS_ARTIFACT}`)")
    if not total.required:
        lines += ["", NO_DENOMINATOR_HINT]
    return "\n".join(lines) + "\n"


def _text(value) -> str:
    if value is None:
        return NO_VALUE
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
