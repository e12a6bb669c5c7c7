"""Batches (`/lo`): the batches and the drops not taken yet, uploading a batch from the browser
(`/lo/tai-len`), and one batch's files with their status (`/lo/{id}`).

An upload becomes a drop in the S3 inbox, `<agency code>/<batch name>/<files>` and then `_READY`
(flows/drops.py), so the nightly run or `sohoa drops take` takes it like any other drop; the
marker goes last, so a drop is never taken half written. A clerk uploads for, and sees, only
their own agency (another agency's batch answers 404).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from flows.drops import (
    CONTROL_FILES,
    MANIFEST,
    PROCESSED,
    READY,
    SYSTEM_FILES,
    DropSettings,
    drop_name,
    known_agencies,
    list_drops,
)
from ocr.settings import OcrSettings
from storage import inbox
from storage.catalog import STATUSES, Batch
from storage.errors import StorageError
from storage.objects import ObjectStore
from storage.records import Record
from web.api import loggable_path
from web.desk import take_now
from web.desk.labels import file_error
from web.desk.pages import page
from web.desk.paging import Paging
from web.desk.record import NO_STORE, STATUS_LABELS, STORE_DOWN
from web.desk.sessions import SignedIn, csrf_checked, current_user

log = logging.getLogger("sohoa.desk")
router = APIRouter()

NAME_MAX = 200
# A batch of 5,000 files is shown 200 at a time, the batches 50 at a time (web/desk/paging.py).
FILES_PER_PAGE = 200
BATCHES_PER_PAGE = 50
BAD_STATUS_LINK = "Liên kết không hợp lệ: không có trạng thái này. Hãy mở lại lô từ danh sách lô."
# What the next run does with a drop (flows/drops.py's states).
DROP_STATES = {"ready": "Sẽ được nhận ở lần chạy tới", "waiting": "Đang chờ", "rejected": "Sẽ bị từ chối"}
DROPS_UNLISTED = "Chưa liệt kê được các lô đang chờ nhận; danh sách dưới đây có thể thiếu."
UPLOAD_TOO_LARGE = "Lần tải lên này quá lớn (tối đa {mb} MB một lần). Hãy chia lô thành nhiều lần tải lên."
NO_LENGTH = "Trình duyệt không gửi kích thước tệp tải lên. Hãy tải lên lại."


@dataclass(frozen=True)
class BatchRow:
    batch: Batch
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class FileRow:
    record: Record
    name: str  # as the clerk uploaded or dropped it: the path inside the batch
    status: str
    problem: str | None = None
    advice: str | None = None
    original: Record | None = None  # the record a duplicate repeats, when this user may open it


@router.get("/lo", response_class=HTMLResponse)
def batches(request: Request, signed: Annotated[SignedIn, Depends(current_user)], moi: str = "",
            trang: Annotated[int, Query(ge=1)] = 1) -> Response:
    desk, agency = request.app.state, signed.agency
    # Batches only ever accumulate: a page of them, and the counts of that page's batches only.
    paging = Paging(trang, desk.catalog.batch_count(agency), BATCHES_PER_PAGE)
    listed = desk.catalog.batches(agency, paging.offset, paging.size)
    counts = desk.catalog.status_counts_by_batch(agency, [batch.id for batch in listed])
    rows = [BatchRow(batch, counts.get(batch.id, dict.fromkeys(STATUSES, 0))) for batch in listed]
    listing = list_drops(desk.catalog, desk.store, DropSettings())
    if listing.problems:
        log.warning("drops not listed for the batches page: %s", loggable_path("; ".join(listing.problems)))
    drops = [drop for drop in listing.drops if agency is None or drop.agency == agency]
    return page(request, signed, "batches.html", rows=rows, paging=paging, path="/lo", drops=drops,
                drops_unlisted=bool(listing.problems),
                drop_states=DROP_STATES, status_labels=STATUS_LABELS, statuses=STATUSES,
                uploaded=unicodedata.normalize("NFC", moi), take_now=take_now.batches_view(request))


@router.get("/lo/tai-len", response_class=HTMLResponse)
def upload_form(request: Request, signed: Annotated[SignedIn, Depends(current_user)]) -> Response:
    return _upload_page(request, signed)


def upload_size_checked(request: Request) -> None:
    """Before the form is read (csrf_checked reads it, spooling files to disk): refuse an upload
    larger than the desk takes at once, from its Content-Length."""
    limit_mb = request.app.state.settings.upload_max_mb
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(status_code=400, detail=NO_LENGTH)
    if int(length) > limit_mb * 1024 * 1024:
        raise HTTPException(status_code=413, detail=UPLOAD_TOO_LARGE.format(mb=f"{limit_mb:g}"))


@router.post("/lo/tai-len", response_class=HTMLResponse)
async def upload(request: Request, _size: Annotated[None, Depends(upload_size_checked)],
                 signed: Annotated[SignedIn, Depends(csrf_checked)]) -> Response:
    form = await request.form()  # read once already by csrf_checked: Starlette keeps it
    agency = signed.agency or _text(form.get("co_quan"))
    name = _text(form.get("ten_lo"))
    chosen = [(_text(f.filename), f) for f in form.getlist("tep") if isinstance(f, UploadFile) and f.filename]
    folder = [(_text(f.filename), f) for f in form.getlist("thu_muc") if isinstance(f, UploadFile) and f.filename]
    try:
        files = [(_relative(n), f) for n, f in chosen] + list(zip(_without_top_folder([n for n, _ in folder]),
                                                                   (f for _, f in folder)))
        problem = await run_in_threadpool(_write_drop, request, signed, agency, name, files)
    finally:
        await form.close()
    if problem is not None:
        status, message = problem
        return _upload_page(request, signed, message, agency=agency, name=name, status_code=status)
    return RedirectResponse(f"/lo?{urlencode({'moi': drop_name(agency, name)})}", status_code=303)


@router.get("/lo/{batch_id}", response_class=HTMLResponse)
def batch(request: Request, batch_id: str, signed: Annotated[SignedIn, Depends(current_user)],
          trang: Annotated[int, Query(ge=1)] = 1, trang_thai: str = "") -> Response:
    catalog, agency = request.app.state.catalog, signed.agency
    found = catalog.batch(batch_id, agency)
    if found is None:  # another agency's batch too: 404, as for an unknown id
        raise HTTPException(status_code=404)
    if trang_thai and trang_thai not in STATUSES:
        raise HTTPException(status_code=400, detail=BAD_STATUS_LINK)
    status = trang_thai or None
    counts = catalog.status_counts(batch_id)  # over the whole batch, whatever the page shows
    paging = Paging(trang, counts[status] if status else sum(counts.values()), FILES_PER_PAGE,
                    {"trang_thai": trang_thai})
    files = [_file_row(record, catalog, agency)
             for record in catalog.batch_records(batch_id, status, paging.offset, paging.size)]
    return page(request, signed, "batch.html", batch=found, files=files, counts=counts, status_shown=status,
                total=sum(counts.values()), paging=paging, path=f"/lo/{quote(batch_id)}",
                status_labels=STATUS_LABELS)


# ---- the upload ----------------------------------------------------------------------------


def _write_drop(request: Request, signed: SignedIn, agency: str, name: str,
                files: list[tuple[str, UploadFile]]) -> tuple[int, str] | None:
    """Check the upload and write it into the inbox; (status, Vietnamese message) when refused."""
    desk = request.app.state
    store: ObjectStore | None = desk.store
    if store is None:
        return 503, NO_STORE
    papers = [(n, f) for n, f in files if n and not _ignored(n)]
    refusal = _refusal(desk.catalog, agency, name, papers, signed.agency)
    if refusal:
        return 400, refusal
    try:
        if _name_taken(desk.catalog, store, agency, name):
            return 400, (f"Cơ quan {agency} đã có lô tên “{name}” (đã nhận hoặc đang chờ nhận). "
                         "Hãy đặt tên khác, ví dụ thêm số hộp hoặc ngày.")
        _put_drop(store, agency, name, papers, f"uploaded from the desk by user {signed.user.id} at "
                                               f"{desk.clock().isoformat(timespec='seconds')}\n")
    except StorageError as exc:
        # The error names the object key: batch and file names may hold a personal number.
        log.error("upload of %d files to %s not stored: %s", len(papers), loggable_path(f"{agency}/{name}"),
                  loggable_path(str(exc)))
        return 503, STORE_DOWN
    # A batch name may hold a personal number: logged masked, like the desk's paths.
    log.info("user %d uploaded %d files as drop %s", signed.user.id, len(papers), loggable_path(f"{agency}/{name}"))
    return None


def _refusal(catalog, agency: str, name: str, papers: list[tuple[str, UploadFile]],
             clerk_agency: str | None) -> str | None:
    if not agency:
        return "Hãy chọn cơ quan của lô."
    # The drops' rule, and for a supervisor's choice also the list the form offered.
    offered = {clerk_agency} if clerk_agency else {a.code for a in catalog.agencies()}
    if agency not in offered or not known_agencies(catalog)(agency):
        return f"Mã cơ quan {agency} không có trong danh mục cơ quan."
    if not name:
        return "Hãy đặt tên cho lô."
    if len(name) > NAME_MAX or "/" in name or "\\" in name or name.startswith(".") or not name.isprintable():
        return (f"Tên lô không được chứa dấu / hoặc \\, không bắt đầu bằng dấu chấm và dài tối đa {NAME_MAX} "
                "ký tự.")
    if not papers:
        return "Hãy chọn ít nhất một tệp hoặc một thư mục để tải lên."
    reserved = sorted(n for n, _ in papers if n.lower() in CONTROL_FILES - {MANIFEST.lower()})
    if reserved:
        return f"Tên tệp dành riêng cho hệ thống, hãy đổi tên: {', '.join(reserved)}."
    seen: dict[str, str] = {}
    for file_name, _ in papers:
        if file_name.casefold() in seen:
            return f"Có hai tệp cùng tên “{file_name}”. Hãy đổi tên một tệp rồi tải lên lại."
        seen[file_name.casefold()] = file_name
    limit = OcrSettings().max_file_bytes
    too_large = [n for n, f in papers if (f.size or 0) > limit]
    if too_large:
        return (f"Tệp lớn hơn giới hạn {limit // (1024 * 1024)} MB: {', '.join(too_large[:5])}. "
                "Hãy tách thành các tệp nhỏ hơn.")
    return None


def _name_taken(catalog, store: ObjectStore, agency: str, name: str) -> bool:
    """A batch of the agency, a drop in the inbox or the drop folder, or a processed drop has it."""
    if catalog.find_batch(agency, name) is not None:
        return True
    if inbox.exists(store, f"{agency}/{name}/") or inbox.exists(store, f"{PROCESSED}/{agency}/{name}/"):
        return True
    folder = DropSettings().dir
    return folder is not None and ((folder / agency / name).exists() or (folder / PROCESSED / agency / name).exists())


def _put_drop(store: ObjectStore, agency: str, name: str, papers: list[tuple[str, UploadFile]], note: str) -> None:
    prefix, written = f"{agency}/{name}/", []
    try:
        for file_name, upload in papers:
            key = prefix + file_name
            inbox.put_stream(store, key, upload.file, upload.content_type or "application/octet-stream")
            written.append(key)
        inbox.put(store, prefix + READY, note.encode("utf-8"))  # last: the drop is complete
    except StorageError:
        # Without its marker the drop would wait forever and hold the name: take back what was written.
        try:
            if written:
                inbox.remove(store, written)
        except StorageError as exc:
            log.error("partial upload %s left in the inbox (no %s, so never taken): %s", loggable_path(prefix),
                      READY, loggable_path(str(exc)))
        raise


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""


def _relative(file_name: str) -> str:
    """A path inside the drop from the name the browser sent: '/'-separated, no empty, `.` or `..`
    part (a name from the browser is not to be trusted to stay inside the drop)."""
    parts = file_name.replace("\\", "/").split("/")
    return "/".join(part.strip() for part in parts if part.strip() not in ("", ".", ".."))


def _without_top_folder(names: list[str]) -> list[str]:
    """A chosen folder's files arrive as `folder/sub/file.pdf`: the batch holds `sub/file.pdf`."""
    paths = [_relative(name) for name in names]
    tops = {PurePosixPath(path).parts[0] for path in paths if "/" in path}
    if len(tops) == 1 and all("/" in path for path in paths):
        return [path.split("/", 1)[1] for path in paths]
    return paths


def _ignored(name: str) -> bool:
    """Files that are no papers (as flows/drops.py skips them): hidden ones and Explorer's."""
    parts = name.split("/")
    return any(part.startswith(".") for part in parts) or parts[-1].lower() in SYSTEM_FILES


def _upload_page(request: Request, signed: SignedIn, error: str | None = None, agency: str = "", name: str = "",
                 status_code: int = 200) -> HTMLResponse:
    desk = request.app.state
    agencies = desk.catalog.agencies() if signed.user.role != "clerk" else []
    limit = OcrSettings().max_file_bytes // (1024 * 1024)
    return page(request, signed, "upload.html", status_code, error=error, agencies=agencies, chosen_agency=agency,
                name=name, file_limit_mb=limit, upload_limit_mb=f"{desk.settings.upload_max_mb:g}",
                no_store=desk.store is None)


# ---- one batch's files -----------------------------------------------------------------------


def _file_row(record: Record, catalog, agency: str | None) -> FileRow:
    # A drop's files are registered as `<drop name>/<path>`: the clerk knows them by the path.
    prefix = f"{record.batch_name}/"
    name = record.source_path[len(prefix):] if record.source_path.startswith(prefix) else record.source_path
    if record.status == "failed":
        problem, advice = file_error(record.error.code if record.error else None)
        return FileRow(record, name, record.status, problem, advice)
    if record.status == "duplicate":
        original = catalog.get(record.duplicate_of)
        may_open = original is not None and (agency is None or original.agency == agency)
        return FileRow(record, name, record.status, original=original if may_open else None)
    return FileRow(record, name, record.status)
