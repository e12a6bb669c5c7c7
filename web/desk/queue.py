"""The queue (`/hang-cho`): records waiting for review, lowest field confidence first, filtered by
agency, batch, kind of reason and document type, with how many records carry each reason.

A clerk sees only their own agency's records, whatever the address asks for. Paging is by keyset
(`sau` = the last row's confidence and id, storage/catalog.py), so a page deep in 100,000 records
answers as fast as the first. A record opened from the queue carries its filters in the address
(`/ho-so/{id}?lo=...&ly_do=...`), so the record page's previous/next walk the same filtered queue.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from storage.catalog import QueueRow
from web.desk.labels import DOCUMENT_TYPE_LABELS, REASON_LABELS, document_type_label, reason_label
from web.desk.pages import page
from web.desk.sessions import SignedIn, current_user

router = APIRouter()

PAGE_SIZE = 50
_KEYSET_SEPARATOR = "~"  # in `sau`: confidence~id; a float's repr never holds it
BAD_PAGE_LINK = "Liên kết trang không hợp lệ. Hãy mở lại hàng chờ từ trang đầu."


@dataclass(frozen=True)
class QueueFilters:
    agency: str | None
    batch_id: str | None
    reason: str | None
    document_type: str | None
    own_agency: bool = False  # a clerk's agency, not chosen: the addresses need not carry it

    def query(self, **changes) -> str:
        """The query string of the queue with these filters (some changed), empty ones left out."""
        values = {"co_quan": None if self.own_agency else self.agency, "lo": self.batch_id, "ly_do": self.reason,
                  "loai": self.document_type}
        values.update(changes)
        return urlencode({name: value for name, value in values.items() if value})

    def catalog_filters(self) -> dict:
        """The catalog's queue filters (storage/catalog.py review_queue ...), by its names."""
        chosen = asdict(self)
        del chosen["own_agency"]
        return chosen

    def record_link(self, record_id: str, **changes) -> str:
        """A record's page reached from this queue: its previous and next follow these filters."""
        query = self.query(**changes)
        return f"/ho-so/{quote(record_id)}" + (f"?{query}" if query else "")


def chosen_filters(signed: Annotated[SignedIn, Depends(current_user)], co_quan: str = "", lo: str = "",
                   ly_do: str = "", loai: str = "") -> QueueFilters:
    """The queue's filters as the address gives them (the queue's form, or a record page's link)."""
    return QueueFilters(
        # A clerk's agency is their own, whatever the address says.
        agency=signed.agency or _given(co_quan), batch_id=_given(lo), reason=_given(ly_do),
        document_type=_given(loai), own_agency=signed.agency is not None,
    )


@router.get("/hang-cho", response_class=HTMLResponse)
def queue(request: Request, signed: Annotated[SignedIn, Depends(current_user)],
          filters: Annotated[QueueFilters, Depends(chosen_filters)], sau: str = "") -> Response:
    catalog, user = request.app.state.catalog, signed.user
    chosen = filters.catalog_filters()
    rows = catalog.review_queue(**chosen, after=_after(sau), limit=PAGE_SIZE + 1)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    counts = catalog.review_reason_counts(filters.agency, filters.batch_id, filters.document_type)
    agencies = catalog.agencies() if user.role != "clerk" else []
    return page(
        request, signed, "queue.html",
        rows=[_row(row) for row in rows],
        # Under a reason, its count is the total: one query less.
        total=counts.get(filters.reason, 0) if filters.reason else catalog.review_queue_count(**chosen),
        filters=filters,
        first_page=bool(sau),
        next_page=filters.query(sau=_keyset(rows[-1])) if more else None,
        reason_counts=[(kind, label, counts.get(kind, 0)) for kind, label in REASON_LABELS.items()],
        agencies=agencies,
        agency_names={a.code: a.name for a in agencies},
        batches=catalog.batches(filters.agency),
        reason_labels=REASON_LABELS,
        document_types=DOCUMENT_TYPE_LABELS,
    )


def _given(value: str) -> str | None:
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def _keyset(row: QueueRow) -> str:
    confidence, record_id = row.after
    return f"{confidence!r}{_KEYSET_SEPARATOR}{record_id}"


def _after(value: str) -> tuple[float, str] | None:
    """The keyset a "Trang sau" link carries; a link edited by hand into nonsense is a 400."""
    if not value:
        return None
    confidence, separator, record_id = value.partition(_KEYSET_SEPARATOR)
    try:
        number = float(confidence)
    except ValueError:
        number = None
    if not separator or not record_id or number is None or not 0.0 <= number <= 1.0:
        raise HTTPException(status_code=400, detail=BAD_PAGE_LINK)
    return number, record_id


def _row(row: QueueRow) -> dict:
    return {
        "id": row.id,
        "source_name": row.source_name,
        "agency": row.agency,
        "batch_name": row.batch_name,
        "document_type": document_type_label(row.document_type),
        "confidence": f"{round(100 * row.min_confidence)}%",
        # Several reasons of one kind and field (two unread pages say so twice) show once.
        "reasons": list(dict.fromkeys(reason_label(reason) for reason in row.review_reasons)),
    }
