"""The record page (`/ho-so/{id}`): the page images beside the fields, edits, approval, sending
back with a note, and the record's history (`/ho-so/{id}/lich-su`).

Every change goes through flows/review.py, the code behind `sohoa review set|approve`, so the desk
applies the same validators and writes the same record versions as the command line. A clerk
reaches only their agency's records: another agency's record answers 404 like an unknown id.

The page keeps the queue's filters it was opened with (`?lo=...&ly_do=...`, web/desk/queue.py):
previous/next, and where approving or sending back leads, are those of the same filtered queue.
`vi_tri` is the record's place in that queue (its lowest confidence when listed): a correction
raises the record's confidence, but the clerk walking the queue still wants what came after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flows.review import (
    CORRECTABLE_STATUSES,
    CorrectionRefused,
    approve,
    history,
    normalise,
    send_back,
    set_field,
    value_problem,
)
from flows.services import Services
from storage.errors import StorageError
from storage.reasons import lowest_confidence, reason_field
from storage.records import RECORD_FIELDS, Record, RecordField
from web.desk.highlight import Highlight, PageWords, printed_forms
from web.desk.labels import document_type_label, field_label, reason_label
from web.desk.page_images import MAX_ZOOM, MIN_ZOOM, PageMissing, PdfCache, render_page
from web.desk.pages import page
from web.desk.problems import problem_text, reason_detail
from web.desk.queue import QueueFilters, chosen_filters
from web.desk.sessions import SignedIn, csrf_checked, current_user

log = logging.getLogger("sohoa.desk")
router = APIRouter()

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS_LABELS = {"pending": "Chờ xử lý", "digitised": "Đã số hóa", "needs_review": "Cần kiểm tra",
                 "failed": "Lỗi đọc", "duplicate": "Trùng lặp"}
DONE_MESSAGES = {"luu": "Đã lưu trường {field}.", "duyet": "Đã duyệt hồ sơ.",
                 "tra-lai": "Đã trả lại hồ sơ kèm ghi chú; hồ sơ vẫn chờ kiểm tra."}
# Said on the next record of the queue, about the one just approved or sent back (`vua`).
ONWARD_MESSAGES = {"duyet": "Đã duyệt hồ sơ “{name}”. Đây là hồ sơ tiếp theo trong hàng chờ.",
                   "tra-lai": "Đã trả lại hồ sơ “{name}” kèm ghi chú; hồ sơ đó vẫn chờ kiểm tra. "
                              "Đây là hồ sơ tiếp theo trong hàng chờ."}
NO_STORE = "Bàn duyệt chưa được kết nối với kho lưu trữ, nên chưa xem hay sửa được hồ sơ."
STORE_DOWN = "Kho lưu trữ không phản hồi. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị viên."
# The page images may be kept by the browser a while (they change only when the file is read again),
# but only by this user's browser: they show personal data.
IMAGE_CACHE = "private, max-age=600"
PDFS = PdfCache()


@dataclass
class FieldRow:
    """One field as the record page shows it."""

    name: str
    label: str
    value: RecordField | None
    suggestion: RecordField | None
    reasons: list[str]
    highlight: Highlight | None = None
    error: str | None = None
    typed: str | None = None  # the refused value, kept in the box for another try

    @property
    def boxes_json(self) -> str:
        return json.dumps([[round(c, 5) for c in box] for box in self.highlight.boxes]) if self.highlight else ""


@dataclass
class Problems:
    """Refusals to show on a re-rendered page: per field, or for the page's actions."""

    fields: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)  # name -> (message, value typed)
    actions: str | None = None
    note: str = ""


Filters = Annotated[QueueFilters, Depends(chosen_filters)]


@router.get("/ho-so/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, record_id: str, signed: Annotated[SignedIn, Depends(current_user)],
                filters: Filters, xong: str | None = None, truong: str | None = None, vi_tri: str = "",
                vua: str = "") -> Response:
    record = _visible(request, signed, record_id)
    done, handled = DONE_MESSAGES.get(xong or ""), None
    if done and vua and xong in ONWARD_MESSAGES:
        with contextlib.suppress(HTTPException):  # a link edited to another agency's record: said plainly
            handled = _visible(request, signed, vua)
            done = ONWARD_MESSAGES[xong].replace("{name}", handled.source_name)
    return _render(request, signed, record, filters, _place(vi_tri), handled=handled,
                   done=done.replace("{field}", field_label(truong or "")) if done else None)


@router.get("/ho-so/{record_id}/trang/{number}.png")
def page_image(request: Request, record_id: str, number: int, signed: Annotated[SignedIn, Depends(current_user)],
               zoom: Annotated[float, Query(ge=MIN_ZOOM, le=MAX_ZOOM)] = 1.0) -> Response:
    record = _visible(request, signed, record_id)
    if not record.files.pdf:
        raise HTTPException(status_code=404)
    # The PDF's hash names its content: the same tag means the same picture.
    etag = f'"{record.files.pdf_sha256 or record.files.pdf_version or record.sha256}-{number}-{zoom:g}"'
    headers = {"Cache-Control": IMAGE_CACHE, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    store = _store(request)
    with _storage():
        # Keyed by the stored version: a document read again is a new PDF under the same name.
        pdf = PDFS.get(f"{record.files.pdf}@{record.files.pdf_version or record.files.pdf_sha256}",
                       lambda: store.get(record.files.pdf))
    try:
        png = render_page(pdf, number, zoom)
    except PageMissing:
        raise HTTPException(status_code=404) from None
    return Response(png, media_type="image/png", headers=headers)


@router.post("/ho-so/{record_id}/truong/{name}", response_class=HTMLResponse)
def set_value(request: Request, record_id: str, name: str, signed: Annotated[SignedIn, Depends(csrf_checked)],
              filters: Filters, value: Annotated[str, Form()] = "", vi_tri: str = "") -> Response:
    return _set(request, signed, record_id, name, value, filters, _place(vi_tri))


@router.post("/ho-so/{record_id}/them-truong", response_class=HTMLResponse)
def add_field(request: Request, record_id: str, signed: Annotated[SignedIn, Depends(csrf_checked)],
              filters: Filters, field: Annotated[str, Form()] = "", value: Annotated[str, Form()] = "",
              vi_tri: str = "") -> Response:
    return _set(request, signed, record_id, field, value, filters, _place(vi_tri))


def _set(request: Request, signed: SignedIn, record_id: str, name: str, value: str, filters: QueueFilters,
         place: float | None) -> Response:
    record = _visible(request, signed, record_id)
    if place is None:
        place = _queue_place(record)
    try:
        with _storage():
            saved = set_field(_services(request), record.id, name, value, by=signed.user.name)
    except CorrectionRefused:
        cleaned = normalise(name, value)
        checked = cleaned and record.status in CORRECTABLE_STATUSES  # else the status is what refused it
        problem = value_problem(name, cleaned, record.document_type) if checked else None
        message = f"Chưa lưu: {problem_text(problem)}." if problem else _why_not(record, name)
        # Beside its field when the page shows one (a field being added has none yet).
        refused = Problems(fields={name: (message, value)}) if name in _shown_fields(record) \
            else Problems(actions=message)
        return _render(request, signed, record, filters, place, refused, status_code=422 if problem else 400)
    # The place is kept only when the correction moved the record in the queue's order.
    moved = place != _queue_place(saved)
    link = filters.record_link(record.id, vi_tri=repr(place) if moved else None, xong="luu", truong=name)
    return RedirectResponse(f"{link}#truong-{quote(name)}", status_code=303)


@router.post("/ho-so/{record_id}/duyet", response_class=HTMLResponse)
def approve_record(request: Request, record_id: str, signed: Annotated[SignedIn, Depends(csrf_checked)],
                   filters: Filters, note: Annotated[str, Form()] = "", vi_tri: str = "") -> Response:
    record, place = _visible(request, signed, record_id), _place(vi_tri)
    try:
        with _storage():
            approve(_services(request), record.id, by=signed.user.name, note=normalise("note", note) or None)
    except CorrectionRefused:
        message = f"Không duyệt được: hồ sơ đang ở trạng thái “{STATUS_LABELS[record.status]}”."
        return _render(request, signed, record, filters, place, Problems(actions=message), status_code=400)
    return _onwards(request, record, filters, place, "duyet")


@router.post("/ho-so/{record_id}/tra-lai", response_class=HTMLResponse)
def send_record_back(request: Request, record_id: str, signed: Annotated[SignedIn, Depends(csrf_checked)],
                     filters: Filters, note: Annotated[str, Form()] = "", vi_tri: str = "") -> Response:
    record, place = _visible(request, signed, record_id), _place(vi_tri)
    try:
        with _storage():
            send_back(_services(request), record.id, by=signed.user.name, note=note)
    except CorrectionRefused:
        if not note.strip():
            refused = Problems(actions="Hãy ghi rõ cần xem lại điều gì trước khi trả lại hồ sơ.")
            return _render(request, signed, record, filters, place, refused, status_code=422)
        refused = Problems(actions=f"Không trả lại được: hồ sơ đang ở trạng thái “{STATUS_LABELS[record.status]}”.",
                           note=note)
        return _render(request, signed, record, filters, place, refused, status_code=400)
    return _onwards(request, record, filters, place, "tra-lai")


def _onwards(request: Request, record: Record, filters: QueueFilters, place: float | None,
             done: str) -> RedirectResponse:
    """After approving or sending back: the next record of the same filtered queue (past its end, the
    first one left, e.g. one skipped), or this record again when the queue holds no other."""
    catalog, chosen = request.app.state.catalog, filters.catalog_filters()
    _, following = catalog.review_neighbours(record.id, **chosen, place=place)
    if following is None:
        first = next((row for row in catalog.review_queue(**chosen, limit=2) if row.id != record.id), None)
        following = first.after if first else None
    if following is None:
        link = filters.record_link(record.id, vi_tri=repr(place) if place is not None else None, xong=done)
    else:
        link = filters.record_link(following[1], xong=done, vua=record.id)
    return RedirectResponse(link, status_code=303)


@router.get("/ho-so/{record_id}/lich-su", response_class=HTMLResponse)
def record_history(request: Request, record_id: str, signed: Annotated[SignedIn, Depends(current_user)],
                   filters: Filters, vi_tri: str = "") -> Response:
    record, place = _visible(request, signed, record_id), _place(vi_tri)
    with _storage():
        entries = history(_services(request), record.id)
    back = filters.record_link(record.id, vi_tri=repr(place) if place is not None else None)
    return page(request, signed, "history.html", record=record, entries=entries, when=_when, back=back,
                field_label=field_label, status_labels=STATUS_LABELS)


def _render(request: Request, signed: SignedIn, record: Record, filters: QueueFilters, place: float | None,
            problems: Problems | None = None, done: str | None = None, handled: Record | None = None,
            status_code: int = 200) -> HTMLResponse:
    problems = problems or Problems()
    pages, images_error = _words(request, record)
    connected = request.app.state.store is not None  # without the store no image shows, no form offers a change
    rows = _field_rows(record, pages, problems)
    shown = {row.name for row in rows}
    previous, following = request.app.state.catalog.review_neighbours(record.id, **filters.catalog_filters(),
                                                                      place=place)
    # The forms post to addresses that keep the filters and the place, for where they lead next.
    kept = filters.query(vi_tri=repr(place) if place is not None else None)
    return page(
        request, signed, "record.html", status_code=status_code, record=record, rows=rows, done=done,
        handled=handled and filters.record_link(handled.id), problems=problems, images_error=images_error,
        previous=previous and filters.record_link(previous[1]),
        following=following and filters.record_link(following[1]),
        queue_link="/hang-cho" + (f"?{filters.query()}" if filters.query() else ""), kept=f"?{kept}" if kept else "",
        when=_when,
        loose_reasons=[_reason_text(r) for r in record.review_reasons if reason_field(r) not in shown],
        page_numbers=range(1, (record.pages or 0) + 1) if connected and record.files.pdf else range(0),
        status_label=STATUS_LABELS[record.status], document_type=document_type_label(record.document_type),
        correctable=connected and record.status in CORRECTABLE_STATUSES,
        reviewable=connected and record.status == "needs_review",
        other_fields=[(name, field_label(name)) for name in RECORD_FIELDS if name not in shown],
    )


def _field_rows(record: Record, pages: list[dict], problems: Problems) -> list[FieldRow]:
    rows, words = [], PageWords(pages)
    for name in _shown_fields(record):
        value, suggestion = record.fields.get(name), record.suggestions.get(name)
        reasons = [_reason_text(r) for r in record.review_reasons if reason_field(r) == name]
        row = FieldRow(name, field_label(name), value, suggestion, reasons)
        shown = value or suggestion
        if shown is not None and words.pages:
            texts = printed_forms(shown.value, shown.raw)
            # A value typed in by a clerk was not read there; what the machine read was, so point at that.
            for correction in reversed(record.corrections):
                if correction.field == name and correction.old is not None:
                    texts += printed_forms(correction.old.value, correction.old.raw)
            row.highlight = words.locate(texts)
        if name in problems.fields:
            row.error, row.typed = problems.fields[name]
        rows.append(row)
    return rows


def _shown_fields(record: Record) -> list[str]:
    """The fields read, suggested or named by a review reason, in CONTRACT.md's order."""
    named = {reason_field(r) for r in record.review_reasons} - {None}
    wanted = set(record.fields) | set(record.suggestions) | named
    return [name for name in RECORD_FIELDS if name in wanted] + sorted(wanted - set(RECORD_FIELDS))


def _reason_text(reason: str) -> str:
    detail = reason_detail(reason)
    return f"{reason_label(reason)} — {detail}" if detail else reason_label(reason)


def _why_not(record: Record, name: str) -> str:
    if record.status not in CORRECTABLE_STATUSES:
        return f"Không sửa được: hồ sơ đang ở trạng thái “{STATUS_LABELS[record.status]}”."
    if name not in RECORD_FIELDS and name not in record.fields:
        return f"Không có trường “{name}”."
    return f"Trường “{field_label(name)}” đang trống, không có gì để xóa."


def _words(request: Request, record: Record) -> tuple[list[dict], str | None]:
    """The OCR's pages (pages.json), or why the page images cannot be shown."""
    store = request.app.state.store
    if store is None:
        return [], NO_STORE
    if not record.files.pdf or not record.files.words:
        return [], None
    try:
        return json.loads(store.get(record.files.words)), None
    except StorageError as exc:
        log.warning("record %s: the page words could not be read: %s", record.id, exc)
        return [], STORE_DOWN


def _queue_place(record: Record) -> float:
    """The record's place in the queue's order now, as the catalog indexes it (min_confidence)."""
    return lowest_confidence(field.confidence for field in record.fields.values())


def _place(value: str) -> float | None:
    """`vi_tri` from the address; one edited into nonsense is dropped (the record's own place serves)."""
    try:
        place = float(value)
    except ValueError:
        return None
    return place if 0.0 <= place <= 1.0 else None


def _visible(request: Request, signed: SignedIn, record_id: str) -> Record:
    """The record, if this user may see it; 404 alike for an unknown id and another agency's record."""
    record = request.app.state.catalog.get(record_id)
    if record is None or (signed.agency is not None and record.agency != signed.agency):
        raise HTTPException(status_code=404)
    return record


def _store(request: Request):
    store = request.app.state.store
    if store is None:
        raise HTTPException(status_code=503, detail=NO_STORE)
    return store


def _services(request: Request) -> Services:
    desk = request.app.state
    # Review writes through the store and the catalog only; the pipeline's settings play no part.
    return Services(storage_settings=None, ocr_settings=None, extract_settings=None,
                    store=_store(request), catalog=desk.catalog)


@contextlib.contextmanager
def _storage() -> Iterator[None]:
    try:
        yield
    except StorageError as exc:
        log.warning("object storage failed for the desk: %s", exc)
        raise HTTPException(status_code=503, detail=STORE_DOWN) from exc


def _when(moment: datetime | str | None) -> str:
    """A moment as a clerk reads it: Vietnam time, day first."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(VIETNAM).strftime("%H:%M:%S %d/%m/%Y")
