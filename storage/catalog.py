"""The catalog: a SQL index over the records, for queries. Rebuildable from object storage.

Every document row is derived from a `Record` (the JSON in the records bucket), so `rebuild`
can throw those tables away and load them again from the records alone. Agency lists, registers
and declared totals are inputs, not derived from records: their files are kept in object
storage too (storage/inputs.py) and `storage.registers.reload_inputs` loads them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    JSON,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    cast,
    create_engine,
    delete,
    event,
    extract,
    func,
    insert,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage import migrate
from storage.base import Base
from storage.reasons import lowest_confidence, reason_kinds
from storage.records import Record
from storage.users import Users  # its tables (desk accounts and sessions) are the catalog's too


class Agency(Base):
    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(20))  # province / district / commune
    # Codes, not foreign keys: a unit may name a parent or successor that another file brings.
    parent: Mapped[str | None] = mapped_column(String(64), index=True)
    successor: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[date | None] = mapped_column(Date)  # None: not known
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: still in office


class Batch(Base):
    __tablename__ = "batches"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), index=True)
    agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    source_path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(64))
    pages: Mapped[int | None] = mapped_column(Integer)
    document_type: Mapped[str | None] = mapped_column(String(40))
    issue_year: Mapped[int | None] = mapped_column(Integer, index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # When the record became `digitised` (approved, or read with nothing to review): the pace.
    digitised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # For "every valid result of this person" lookups; the value is in the record JSON too.
    holder_id: Mapped[str | None] = mapped_column(String(32), index=True)
    record_key: Mapped[str] = mapped_column(String(1000))
    record_json: Mapped[str] = mapped_column(Text)
    # The worker processing this pending document, until when (claim_next); not in the record:
    # `rebuild` drops claims, so a reindex is for when no worker runs.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The review queue's order (storage/reasons.py). The queue walks one of these indexes, that
    # of its filter, in order: it never sorts, and its counts never read a row.
    min_confidence: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (
        Index("ix_documents_review_queue", "status", "min_confidence", "id"),
        Index("ix_documents_agency_review_queue", "agency", "status", "min_confidence", "id"),
        Index("ix_documents_batch_review_queue", "batch_id", "status", "min_confidence", "id"),
        Index("ix_documents_type_review_queue", "document_type", "status", "min_confidence", "id"),
    )


class ReviewReason(Base):
    """A kind of reason (storage/reasons.py) a record waiting for review carries, once per record:
    what the review desk filters and counts by. Derived from the record, like its document row."""

    __tablename__ = "review_reasons"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    __table_args__ = (Index("ix_review_reasons_kind", "kind", "document_id"),)


class Page(Base):
    __tablename__ = "pages"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    mean_confidence: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)


class PageRangeJob(Base):
    """A page range of a long pending document, read by whichever worker of the batch claims it
    (flows/range_claims.py). Work in progress, not derived from a record: a document's rows go once
    its record is stored, and `rebuild` leaves them (no foreign key) for its next run to reuse."""

    __tablename__ = "page_ranges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str] = mapped_column(String(64))
    first_page: Mapped[int] = mapped_column(Integer)  # 1-based, as numbered in the document
    pages: Mapped[int] = mapped_column(Integer)
    settings_sha256: Mapped[str] = mapped_column(String(64))  # of the OCR settings it is read with
    status: Mapped[str] = mapped_column(String(10))  # open / done / failed
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result_prefix: Mapped[str | None] = mapped_column(String(300))  # where a done range's reading is
    error: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("document_id", "first_page"),
        Index("ix_page_ranges_batch_status", "batch_id", "status"),
    )


class InputFile(Base):
    """An imported register file; its bytes are in object storage (storage/inputs.py)."""

    __tablename__ = "input_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(String(64))  # the --agency given with a register
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterEntry(Base):
    """One result an agency says it issued: the denominator of the stock indicator."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("source_sha256", "row_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # No foreign key: a register may come before its agency is in the agency list.
    agency: Mapped[str] = mapped_column(String(64), index=True)
    procedure_code: Mapped[str | None] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(200))  # lĩnh vực, as the register names it
    document_number: Mapped[str | None] = mapped_column(String(200), index=True)  # whitespace removed
    document_number_raw: Mapped[str | None] = mapped_column(String(300))
    issue_date: Mapped[date | None] = mapped_column(Date, index=True)
    holder_id: Mapped[str | None] = mapped_column(String(32), index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    source_sha256: Mapped[str] = mapped_column(ForeignKey("input_files.sha256"), index=True)
    source_name: Mapped[str] = mapped_column(String(300))
    row_number: Mapped[int] = mapped_column(Integer)


class DeclaredTotal(Base):
    """How many valid results an agency without a register says it holds."""

    __tablename__ = "declared_totals"
    agency: Mapped[str] = mapped_column(String(64), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    declared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterMatch(Base):
    """A digitised record found in a register: one record per entry and one entry per record."""

    __tablename__ = "register_matches"
    # Cascades: `rebuild` empties documents, and matches are recomputed from what is left.
    register_entry_id: Mapped[int] = mapped_column(
        ForeignKey("register_entries.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    method: Mapped[str] = mapped_column(String(20))  # exact / holder_date / fuzzy
    score: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)  # a person should confirm it


class ApiToken(Base):
    """A bearer token of the HTTP API; only its SHA-256 is kept, the token itself is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # supervisor / agency
    agency: Mapped[str | None] = mapped_column(String(64))  # the one agency an `agency` token may read
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One read of personal data through the HTTP API: who asked about which holder, and when.

    The holder is kept as a keyed hash (to answer "who looked up person X" without storing X)
    and masked (for reading). Not derived from records: `rebuild` leaves it alone.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    token_id: Mapped[int] = mapped_column(Integer, index=True)
    token_name: Mapped[str] = mapped_column(String(200))  # as it was then
    role: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))  # holder_records / record
    record_id: Mapped[str | None] = mapped_column(String(64))
    holder_hash: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256, hex
    holder_masked: Mapped[str] = mapped_column(String(32))
    results: Mapped[int] = mapped_column(Integer)  # records returned
    client: Mapped[str | None] = mapped_column(String(100))


STATUSES = ("pending", "digitised", "needs_review", "failed", "duplicate")


class Catalog:
    def __init__(self, url: str):
        is_sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, connect_args={"timeout": 60} if is_sqlite else {})
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate.upgrade(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self.users = Users(self._session)

    def close(self) -> None:
        self.engine.dispose()

    def save(self, record: Record, record_key: str) -> None:
        """Index one record (insert or replace), with its batch, agency and pages."""
        with self._session.begin() as session:
            _index(session, record, record_key)

    def rebuild(self, records: Iterable[tuple[Record, str]]) -> int:
        """Drop every row and index the given records again; returns how many."""
        count = 0
        with self._session.begin() as session:
            for table in (ReviewReason, Page, Document, Batch, Agency):
                session.execute(delete(table))
            for record, key in records:
                _index(session, record, key)
                count += 1
        return count

    def find_batch(self, agency: str, name: str) -> str | None:
        with self._session() as session:
            return session.scalar(select(Batch.id).where(Batch.agency == agency, Batch.name == name))

    def first_with_sha256(self, sha256: str) -> str | None:
        """The record that first brought these bytes in: duplicates link to it."""
        with self._session() as session:
            return session.scalar(
                select(Document.id)
                .where(Document.sha256 == sha256, Document.status != "duplicate")
                .order_by(Document.ingested_at, Document.id)
                .limit(1)
            )

    def get(self, record_id: str) -> Record | None:
        with self._session() as session:
            row = session.get(Document, record_id)
            return Record.model_validate_json(row.record_json) if row else None

    def record_key(self, record_id: str) -> str | None:
        with self._session() as session:
            return session.scalar(select(Document.record_key).where(Document.id == record_id))

    def ids_with_status(self, status: str, batch_id: str | None = None) -> list[str]:
        query = select(Document.id).where(Document.status == status)
        if batch_id:
            query = query.where(Document.batch_id == batch_id)
        with self._session() as session:
            return list(session.scalars(query.order_by(Document.ingested_at, Document.source_path)))

    def count_with_status(self, status: str, batch_id: str | None = None) -> int:
        query = select(func.count()).select_from(Document).where(Document.status == status)
        if batch_id:
            query = query.where(Document.batch_id == batch_id)
        with self._session() as session:
            return session.scalar(query)

    def records(self, batch_id: str | None = None) -> Iterator[Record]:
        query = select(Document.record_json).order_by(Document.ingested_at, Document.source_path)
        if batch_id:
            query = query.where(Document.batch_id == batch_id)
        with self._session() as session:
            for record_json in session.scalars(query):
                yield Record.model_validate_json(record_json)

    def status_counts(self, batch_id: str | None = None) -> dict[str, int]:
        query = select(Document.status, func.count()).group_by(Document.status)
        if batch_id:
            query = query.where(Document.batch_id == batch_id)
        with self._session() as session:
            counts = dict(session.execute(query).all())
        return {status: counts.get(status, 0) for status in STATUSES}

    def status_counts_by_batch(self, agency: str | None = None,
                               batch_ids: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
        """Per batch (of this agency, or among these): documents in each status, in one GROUP BY."""
        query = select(Document.batch_id, Document.status, func.count()).group_by(Document.batch_id, Document.status)
        if agency is not None:
            query = query.where(Document.agency == agency)
        if batch_ids is not None:
            query = query.where(Document.batch_id.in_(list(batch_ids)))
        counts: dict[str, dict[str, int]] = {}
        with self._session() as session:
            for batch_id, status, number in session.execute(query):
                counts.setdefault(batch_id, dict.fromkeys(STATUSES, 0))[status] = number
        return counts

    def progress(self, by: str = "agency") -> list[dict]:
        """Per group: documents in each status and pages read (duplicates' pages not counted)."""
        group = {
            "agency": Document.agency,
            "level": func.coalesce(Agency.level, "unknown"),
            "year": func.coalesce(func.cast(Document.issue_year, String), "unknown"),
        }[by]
        query = (
            select(group.label("group"), Document.status, func.count(), func.sum(Document.pages))
            .join(Agency, Agency.code == Document.agency)
            .group_by(group, Document.status)
        )
        with self._session() as session:
            rows = session.execute(query).all()
        table: dict[str, dict] = {}
        for name, status, count, pages in rows:
            entry = table.setdefault(
                str(name), {by: str(name), "documents": 0, **{s: 0 for s in STATUSES}, "pages": 0}
            )
            entry[status] = count
            entry["documents"] += count
            if status != "duplicate":
                entry["pages"] += pages or 0
        for entry in table.values():
            done = entry["digitised"] + entry["needs_review"]
            unique = entry["documents"] - entry["duplicate"]
            entry["percent_read"] = round(100 * done / unique, 2) if unique else None
        return [table[key] for key in sorted(table)]

    # Claims: many workers on many machines share the pending documents, each taken by one.
    # Every claim is one conditional UPDATE, atomic on SQLite (writes are serialised) and on
    # PostgreSQL (the row is locked; SKIP LOCKED lets the other workers pass over it).

    def claim_next(self, batch_id: str | None, worker_id: str, ttl: float) -> str | None:
        """Claim the first pending document nobody holds (or whose claim expired) for `ttl`
        seconds; its id, or None when there is none (of the batch, or of any batch)."""
        now, expires = self._claim_clock(ttl)
        free = (Document.status == "pending", or_(Document.claimed_by.is_(None), Document.claim_expires_at < now))
        first = select(Document.id).where(*free)
        if batch_id:
            first = first.where(Document.batch_id == batch_id)
        first = first.order_by(Document.ingested_at, Document.source_path).limit(1).with_for_update(skip_locked=True)
        claim = (
            update(Document).where(Document.id == first.scalar_subquery(), *free)
            .values(claimed_by=worker_id, claim_expires_at=expires).returning(Document.id)
        )
        with self.engine.begin() as connection:
            return connection.execute(claim).scalar()

    def claim(self, record_id: str, worker_id: str, ttl: float) -> bool:
        """Claim this document, or extend this worker's own claim; False when it is not pending
        or another worker holds it."""
        now, expires = self._claim_clock(ttl)
        held_or_free = or_(Document.claimed_by.is_(None), Document.claimed_by == worker_id,
                           Document.claim_expires_at < now)
        return self._update_claim(
            update(Document).where(Document.id == record_id, Document.status == "pending", held_or_free)
            .values(claimed_by=worker_id, claim_expires_at=expires)
        )

    def renew_claim(self, record_id: str, worker_id: str, ttl: float) -> bool:
        """Extend this worker's claim; False when another worker has taken the document over."""
        _, expires = self._claim_clock(ttl)
        return self._update_claim(
            update(Document).where(Document.id == record_id, Document.claimed_by == worker_id,
                                   Document.status == "pending")
            .values(claim_expires_at=expires)
        )

    def release_claim(self, record_id: str, worker_id: str) -> bool:
        """Give the document back (done, or given up); another worker's claim is left alone."""
        return self._update_claim(
            update(Document).where(Document.id == record_id, Document.claimed_by == worker_id)
            .values(claimed_by=None, claim_expires_at=None)
        )

    def claim_holder(self, record_id: str) -> tuple[str, datetime] | None:
        """Who holds this document's claim and until when (UTC), expired or not."""
        with self._session() as session:
            row = session.execute(
                select(Document.claimed_by, Document.claim_expires_at).where(Document.id == record_id)
            ).first()
        return (row[0], _aware(row[1])) if row and row[0] else None

    def _update_claim(self, statement) -> bool:
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1

    def _claim_clock(self, ttl: float):
        """(now, expiry): PostgreSQL's clock, one for every machine; on SQLite, which is one
        machine's file, this machine's."""
        if self.engine.dialect.name == "postgresql":
            return func.now(), func.now() + timedelta(seconds=ttl)
        now = utc_now()
        return now, now + timedelta(seconds=ttl)

    # Page ranges of long documents, claimed like documents (flows/range_claims.py)

    def page_ranges(self, document_id: str) -> list[PageRangeJob]:
        with self._session() as session:
            query = select(PageRangeJob).where(PageRangeJob.document_id == document_id)
            return list(session.scalars(query.order_by(PageRangeJob.first_page)))

    def put_page_range(self, document_id: str, batch_id: str, first_page: int, pages: int,
                       settings_sha256: str) -> None:
        """Register a range to read; a row left with other pages or settings is opened afresh."""
        values = dict(pages=pages, settings_sha256=settings_sha256, status="open", claimed_by=None,
                      claim_expires_at=None, result_prefix=None, error=None)
        key = (PageRangeJob.document_id == document_id, PageRangeJob.first_page == first_page)
        with self.engine.begin() as connection:
            if connection.execute(update(PageRangeJob).where(*key).values(**values)).rowcount == 0:
                connection.execute(insert(PageRangeJob).values(document_id=document_id, batch_id=batch_id,
                                                               first_page=first_page, **values))

    def drop_page_ranges(self, document_id: str, keep: Iterable[int] = ()) -> int:
        """Delete the document's ranges but those starting at the `keep` pages; returns how many."""
        query = delete(PageRangeJob).where(PageRangeJob.document_id == document_id)
        if keep := list(keep):
            query = query.where(PageRangeJob.first_page.not_in(keep))
        with self.engine.begin() as connection:
            return connection.execute(query).rowcount

    def claim_page_range(self, claimant: str, ttl: float, settings_sha256: str, *, document_id: str | None = None,
                         batch_id: str | None = None, statuses: tuple[str, ...] = ("open",)) -> PageRangeJob | None:
        """Claim the first range to be read with these OCR settings (of the document, in page order;
        else of the batch, or of any, oldest first) in one of `statuses` that nobody holds or whose
        claim expired. Each try is one conditional UPDATE, so of two claimants of one range exactly
        one wins (its rowcount is 1), on SQLite and PostgreSQL alike; the loser tries the next one."""
        now, expires = self._claim_clock(ttl)
        free = (PageRangeJob.status.in_(statuses),
                or_(PageRangeJob.claimed_by.is_(None), PageRangeJob.claim_expires_at < now))
        candidates = select(PageRangeJob.id).where(*free, PageRangeJob.settings_sha256 == settings_sha256)
        if document_id is not None:
            candidates = candidates.where(PageRangeJob.document_id == document_id).order_by(PageRangeJob.first_page)
        if batch_id is not None:
            candidates = candidates.where(PageRangeJob.batch_id == batch_id)
        with self.engine.connect() as connection:
            ids = list(connection.scalars(candidates.order_by(PageRangeJob.id).limit(8)))
        for range_id in ids:
            claim = update(PageRangeJob).where(PageRangeJob.id == range_id, *free).values(
                claimed_by=claimant, claim_expires_at=expires)
            if self._update_claim(claim):
                with self._session() as session:
                    return session.get(PageRangeJob, range_id)
        return None

    def renew_page_range(self, range_id: int, claimant: str, ttl: float) -> bool:
        _, expires = self._claim_clock(ttl)
        return self._update_claim(update(PageRangeJob).where(*_held(range_id, claimant)).values(claim_expires_at=expires))

    def finish_page_range(self, range_id: int, claimant: str, result_prefix: str) -> bool:
        """Mark the range read, its reading under `result_prefix`; False when the claim was lost."""
        return self._update_claim(update(PageRangeJob).where(*_held(range_id, claimant)).values(
            status="done", result_prefix=result_prefix, claimed_by=None, claim_expires_at=None))

    def fail_page_range(self, range_id: int, claimant: str, error: str) -> bool:
        return self._update_claim(update(PageRangeJob).where(*_held(range_id, claimant)).values(
            status="failed", error=error, claimed_by=None, claim_expires_at=None))

    def release_page_range(self, range_id: int, claimant: str) -> bool:
        return self._update_claim(update(PageRangeJob).where(*_held(range_id, claimant)).values(
            claimed_by=None, claim_expires_at=None))

    def range_document_ids(self) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(PageRangeJob.document_id).distinct()))

    def statuses_of(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The status of each of these documents that the catalog has."""
        with self._session() as session:
            return dict(session.execute(select(Document.id, Document.status).where(Document.id.in_(list(record_ids)))).all())

    def pending_claim_counts(self, batch_id: str | None) -> tuple[int, int]:
        """Pending documents (of the batch) that a worker holds now, and those free to claim."""
        now, _ = self._claim_clock(0)
        free = or_(Document.claimed_by.is_(None), Document.claim_expires_at < now)
        query = select(func.count(), func.count(case((free, 1)))).where(Document.status == "pending")
        if batch_id:
            query = query.where(Document.batch_id == batch_id)
        with self._session() as session:
            pending, claimable = session.execute(query).one()
        return pending - claimable, claimable

    # Agencies, registers and declared totals: inputs, not derived from records

    def upsert_agencies(self, agencies: Iterable[dict]) -> tuple[int, int]:
        """Insert or update agencies by code; returns (added, updated)."""
        added = updated = 0
        with self._session.begin() as session:
            for values in agencies:
                row = session.get(Agency, values["code"])
                if row is None:
                    session.add(Agency(**values))
                    added += 1
                else:
                    for name, value in values.items():
                        setattr(row, name, value)
                    updated += 1
        return added, updated

    def agencies(self) -> list[Agency]:
        with self._session() as session:
            return list(session.scalars(select(Agency).order_by(Agency.code)))

    def add_register_entries(self, source: InputFile, entries: Iterable[dict]) -> tuple[int, int]:
        """Store a register's rows once per (file, row); returns (added, already there)."""
        added = present = 0
        with self._session.begin() as session:
            if session.get(InputFile, source.sha256) is None:
                session.add(source)
                session.flush()
            known = set(session.scalars(
                select(RegisterEntry.row_number).where(RegisterEntry.source_sha256 == source.sha256)
            ))
            for values in entries:
                if values["row_number"] in known:
                    present += 1
                    continue
                session.add(RegisterEntry(source_sha256=source.sha256, source_name=source.name, **values))
                known.add(values["row_number"])
                added += 1
        return added, present

    def register_entries(self) -> list[RegisterEntry]:
        with self._session() as session:
            return list(session.scalars(select(RegisterEntry).order_by(RegisterEntry.id)))

    def match_entries(self) -> list[EntryKeys]:
        """What matching reads of every register entry, as plain rows (no ORM objects to build)."""
        query = select(RegisterEntry.id, RegisterEntry.agency, RegisterEntry.document_number,
                       RegisterEntry.issue_date, RegisterEntry.holder_id).order_by(RegisterEntry.id)
        with self._session() as session:
            return [EntryKeys(*row) for row in session.execute(query)]

    def declare_total(self, agency: str, total: int, declared_at: datetime) -> None:
        """Keep the latest declaration per agency (reloading replays them in any order)."""
        with self._session.begin() as session:
            row = session.get(DeclaredTotal, agency)
            if row is None:
                session.add(DeclaredTotal(agency=agency, total=total, declared_at=declared_at))
            elif _aware(row.declared_at) <= declared_at:
                row.total, row.declared_at = total, declared_at

    def declared_totals(self) -> dict[str, int]:
        with self._session() as session:
            return dict(session.execute(select(DeclaredTotal.agency, DeclaredTotal.total)).all())

    def match_candidates(self) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
        """(id, agency, status, document number, issue date, holder id) of every record but
        duplicates, first ingested first; the values as the record's `fields` hold them."""
        # Read by the database's JSON functions: the records' text never travels to Python.
        record = self._json(Document.record_json)
        values = [record[("fields", name, "value")].as_string() for name in ("document_number", "issue_date", "holder_id")]
        query = (
            select(Document.id, Document.agency, Document.status, *values)
            .where(Document.status != "duplicate")
            .order_by(Document.ingested_at, Document.id)
        )
        with self._session() as session:
            return [tuple(row) for row in session.execute(query)]

    def replace_matches(self, matches: Iterable[dict]) -> int:
        """Store these matches (RegisterMatch columns by name) instead of the old ones, in one bulk insert."""
        rows = list(matches)
        with self._session.begin() as session:
            session.execute(delete(RegisterMatch))
            if rows:
                session.execute(insert(RegisterMatch), rows)
        return len(rows)

    def matches(self) -> list[RegisterMatch]:
        with self._session() as session:
            return list(session.scalars(select(RegisterMatch).order_by(RegisterMatch.register_entry_id)))

    def register_counts(self, today: date) -> dict[str, tuple[int, int, int]]:
        """Per agency: register entries still valid on `today`, how many of them are matched,
        and how many of those matches are flagged."""
        query = (
            select(RegisterEntry.agency, func.count(), func.count(RegisterMatch.register_entry_id),
                   func.sum(case((RegisterMatch.flagged, 1), else_=0)))
            .outerjoin(RegisterMatch, RegisterMatch.register_entry_id == RegisterEntry.id)
            .where(or_(RegisterEntry.valid_until.is_(None), RegisterEntry.valid_until >= today))
            .group_by(RegisterEntry.agency)
        )
        with self._session() as session:
            return {agency: (required, matched, flagged or 0) for agency, required, matched, flagged in session.execute(query)}

    def unmatched_register_entries(self) -> list[RegisterEntry]:
        query = (
            select(RegisterEntry)
            .outerjoin(RegisterMatch, RegisterMatch.register_entry_id == RegisterEntry.id)
            .where(RegisterMatch.register_entry_id.is_(None))
            .order_by(RegisterEntry.agency, RegisterEntry.id)
        )
        with self._session() as session:
            return list(session.scalars(query))

    def unmatched_records(self) -> Iterator[Record]:
        """Records (not duplicates) of agencies that have a register, found in none of its entries."""
        query = _unmatched(select(Document.record_json)).order_by(Document.agency, Document.ingested_at, Document.id)
        with self._session() as session:
            for record_json in session.scalars(query):
                yield Record.model_validate_json(record_json)

    def count_unmatched_records(self) -> int:
        with self._session() as session:
            return session.scalar(_unmatched(select(func.count()).select_from(Document)))

    # The review desk's queue: records waiting for review, lowest field confidence first.
    # Keyset paging (`after` = the last row's (min_confidence, id)) walks an index from where the
    # previous page ended, so page 2,000 costs what page 1 does; OFFSET would count every row before.

    def review_queue(self, agency: str | None = None, batch_id: str | None = None, reason: str | None = None,
                     document_type: str | None = None, after: tuple[float, str] | None = None,
                     limit: int = 50) -> list[QueueRow]:
        record = self._json(Document.record_json)
        query = (
            select(Document.id, Document.agency, Document.batch_id, Batch.name, record["source_name"].as_string(),
                   Document.document_type, Document.min_confidence, record["review_reasons"])
            .join(Batch, Batch.id == Document.batch_id)
            .where(*_queue_filters(agency, batch_id, reason, document_type))
        )
        if after is not None:
            query = query.where(tuple_(Document.min_confidence, Document.id) > tuple_(*after))
        query = query.order_by(Document.min_confidence, Document.id).limit(limit)
        with self._session() as session:
            return [QueueRow(*row) for row in session.execute(query)]

    def review_queue_count(self, agency: str | None = None, batch_id: str | None = None, reason: str | None = None,
                           document_type: str | None = None) -> int:
        query = select(func.count()).select_from(Document).where(
            *_queue_filters(agency, batch_id, reason, document_type))
        with self._session() as session:
            return session.scalar(query)

    def review_reason_counts(self, agency: str | None = None, batch_id: str | None = None,
                             document_type: str | None = None) -> dict[str, int]:
        """Records waiting for review per kind of reason, under these filters: each count is what
        the queue lists with that reason chosen besides (the chosen reason does not narrow them)."""
        query = select(ReviewReason.kind, func.count()).group_by(ReviewReason.kind)
        if agency or batch_id or document_type:  # only waiting records have reasons: none, no join
            query = query.join(Document, Document.id == ReviewReason.document_id).where(
                *_queue_filters(agency, batch_id, None, document_type))
        with self._session() as session:
            return dict(session.execute(query).all())

    def review_neighbours(self, record_id: str, agency: str | None = None, batch_id: str | None = None,
                          reason: str | None = None, document_type: str | None = None,
                          place: float | None = None) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
        """The records just before and after this one in the queue's order under the queue's filters
        (the desk's j/k keys), as keysets (confidence, id); the record itself need not be waiting any
        more, nor match the filters (one just approved still has its place). `place`: the confidence
        the record had when the queue listed it; a correction raises a record's lowest confidence,
        but the clerk walking the queue expects the records that came after it there."""
        with self._session() as session:
            current = place if place is not None else session.scalar(
                select(Document.min_confidence).where(Document.id == record_id))
            if current is None:
                return None, None
            key, here = tuple_(Document.min_confidence, Document.id), tuple_(current, record_id)
            # From a former place the record itself may lie ahead: it is no neighbour of its own.
            waiting = [*_queue_filters(agency, batch_id, reason, document_type), Document.id != record_id]
            before = session.execute(select(Document.min_confidence, Document.id).where(*waiting, key < here)
                                     .order_by(Document.min_confidence.desc(), Document.id.desc()).limit(1)).first()
            after = session.execute(select(Document.min_confidence, Document.id).where(*waiting, key > here)
                                    .order_by(Document.min_confidence, Document.id).limit(1)).first()
        return (tuple(before) if before else None), (tuple(after) if after else None)

    def batches(self, agency: str | None = None, offset: int = 0, limit: int | None = None) -> list[Batch]:
        """Every batch (of this agency), newest first; or `limit` of them from `offset` on (a page)."""
        query = select(Batch).order_by(Batch.created_at.desc(), Batch.id).offset(offset).limit(limit)
        if agency is not None:
            query = query.where(Batch.agency == agency)
        with self._session() as session:
            return list(session.scalars(query))

    def batch_count(self, agency: str | None = None) -> int:
        query = select(func.count()).select_from(Batch)
        if agency is not None:
            query = query.where(Batch.agency == agency)
        with self._session() as session:
            return session.scalar(query)

    def batch(self, batch_id: str, agency: str | None = None) -> Batch | None:
        """The batch, if it is this agency's (None: any agency's)."""
        with self._session() as session:
            found = session.get(Batch, batch_id)
        return found if found is not None and agency in (None, found.agency) else None

    def batch_records(self, batch_id: str, status: str | None = None, offset: int = 0,
                      limit: int = 200) -> list[Record]:
        """A page of a batch's records (of one status), in `records`' order (ingested, path), for a
        batch page that must not load 5,000 records to show 200: the page's ids first, from the
        narrow columns, then only those rows' JSON."""
        query = select(Document.id).where(Document.batch_id == batch_id)
        if status is not None:
            query = query.where(Document.status == status)
        query = query.order_by(Document.ingested_at, Document.source_path, Document.id).offset(offset).limit(limit)
        with self._session() as session:
            ids = list(session.scalars(query))
            found = dict(session.execute(select(Document.id, Document.record_json).where(Document.id.in_(ids))).all())
        return [Record.model_validate_json(found[record_id]) for record_id in ids]

    def _json(self, column):
        # SQLite reads JSON from text as it is; PostgreSQL needs the text cast to json.
        return (cast if self.engine.dialect.name == "postgresql" else type_coerce)(column, JSON)

    def records_by_holder(self, holder_id: str, agency: str | None = None,
                          statuses: tuple[str, ...] = ("digitised",)) -> list[Record]:
        """The records whose holder_id is exactly this one (digits only), oldest issue first."""
        query = select(Document.record_json).where(Document.holder_id == holder_id, Document.status.in_(statuses))
        if agency is not None:
            query = query.where(Document.agency == agency)
        with self._session() as session:
            records = [Record.model_validate_json(text) for text in session.scalars(query.order_by(Document.id))]
        return sorted(records, key=lambda r: r.fields["issue_date"].value if "issue_date" in r.fields else "")

    def progress_facts(self, today: date, recent_days: int) -> ProgressFacts:
        """What progress is computed from, counted by the database (GROUP BY), not row by row:

        - register entries per agency, procedure, field, year of issue and state: `expired`
          (validity ended before `today`), `digitised` (matched record approved, match not
          flagged), `needs_review` (record in review, or a flagged match) or `missing`;
        - the records that fill an agency's declared total: its first `total` readable records,
          approved ones first, earliest approved first;
        - failed records, and readable records no register entry names of agencies that declared
          no total (`unmatched`);
        - and the declared totals. Digitised results are counted per month of approval besides;
        `recent` counts those approved in the `recent_days` (UTC days) up to `today`.
        """
        since = datetime.combine(today - timedelta(days=recent_days - 1), time(), timezone.utc)
        until = datetime.combine(today + timedelta(days=1), time(), timezone.utc)
        readable = ("digitised", "needs_review")
        # Units are built in a subquery and grouped by its plain columns: PostgreSQL does not see
        # that a CASE with bound parameters in SELECT is the same one as in GROUP BY.
        approved = and_(Document.status == "digitised",
                        or_(RegisterMatch.flagged.is_(None), RegisterMatch.flagged.is_(False)))
        expired = RegisterEntry.valid_until < today
        entries = (
            select(
                RegisterEntry.agency, RegisterEntry.procedure_code, RegisterEntry.field,
                cast(extract("year", RegisterEntry.issue_date), Integer).label("year"),
                case((expired, "expired"), (approved, "digitised"), (Document.status.in_(readable), "needs_review"),
                     else_="missing").label("state"),
                *_approval(and_(approved, or_(RegisterEntry.valid_until.is_(None), ~expired)),
                           Document.digitised_at, since, until),
            )
            .outerjoin(RegisterMatch, RegisterMatch.register_entry_id == RegisterEntry.id)
            .outerjoin(Document, Document.id == RegisterMatch.document_id)
            .subquery()
        )
        first = func.row_number().over(
            partition_by=Document.agency,
            order_by=(Document.status != "digitised", Document.digitised_at.is_(None), Document.digitised_at,
                      Document.id),
        )
        ranked = (
            select(Document.agency, Document.status, Document.issue_year, Document.digitised_at, first.label("rank"))
            .where(Document.status.in_(readable), Document.agency.in_(select(DeclaredTotal.agency)))
            .subquery()
        )
        declared = (
            select(ranked.c.agency, ranked.c.issue_year.label("year"), ranked.c.status.label("state"),
                   *_approval(ranked.c.status == "digitised", ranked.c.digitised_at, since, until))
            .join(DeclaredTotal, DeclaredTotal.agency == ranked.c.agency)
            .where(ranked.c.rank <= DeclaredTotal.total)
            .subquery()
        )
        others = (
            select(Document.agency, Document.issue_year.label("year"),
                   case((Document.status == "failed", "failed"), else_="unmatched").label("state"))
            .outerjoin(RegisterMatch, RegisterMatch.document_id == Document.id)
            .where(or_(Document.status == "failed", and_(
                Document.status.in_(readable), RegisterMatch.document_id.is_(None),
                Document.agency.not_in(select(DeclaredTotal.agency)),
            )))
            .subquery()
        )
        with self._session() as session:
            return ProgressFacts(
                entries=_counted(session, entries, entries.c.procedure_code, entries.c.field),
                declared_records=_counted(session, declared),
                other_records=[
                    ProgressCount(agency, None, None, year, state, count) for agency, year, state, count in
                    session.execute(select(others.c.agency, others.c.year, others.c.state, func.count())
                                    .group_by(others.c.agency, others.c.year, others.c.state))
                ],
                declared=dict(session.execute(select(DeclaredTotal.agency, DeclaredTotal.total)).all()),
            )

    # HTTP API tokens and the audit log: kept here only, not derived from records

    def add_api_token(self, token: ApiToken) -> ApiToken:
        with self._session.begin() as session:
            session.add(token)
        return token

    def active_api_token(self, token_sha256: str) -> ApiToken | None:
        """The token with this digest, unless it was revoked."""
        query = select(ApiToken).where(ApiToken.token_sha256 == token_sha256, ApiToken.revoked_at.is_(None))
        with self._session() as session:
            return session.scalar(query)

    def api_tokens(self) -> list[ApiToken]:
        with self._session() as session:
            return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))

    def revoke_api_token(self, token_id: int, at: datetime) -> ApiToken | None:
        """Revoke once (a second call keeps the first time); None when there is no such token."""
        with self._session.begin() as session:
            token = session.get(ApiToken, token_id)
            if token is not None and token.revoked_at is None:
                token.revoked_at = at
            return token

    def add_audit_entry(self, entry: AuditEntry) -> None:
        with self._session.begin() as session:
            session.add(entry)

    def audit_entries(self, holder_hash: str | None = None) -> list[AuditEntry]:
        """Newest first; only the lookups of one holder when `holder_hash` is given."""
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if holder_hash is not None:
            query = query.where(AuditEntry.holder_hash == holder_hash)
        with self._session() as session:
            return list(session.scalars(query))


@dataclass(frozen=True)
class QueueRow:
    """A record waiting for review, as the desk's queue lists it."""

    id: str
    agency: str
    batch_id: str
    batch_name: str
    source_name: str
    document_type: str | None
    min_confidence: float
    review_reasons: list[str]

    @property
    def after(self) -> tuple[float, str]:
        """The keyset of the page that follows this row."""
        return self.min_confidence, self.id


@dataclass(frozen=True)
class EntryKeys:
    id: int
    agency: str
    document_number: str | None
    issue_date: date | None
    holder_id: str | None


@dataclass(frozen=True)
class ProgressCount:
    """How many register entries (or records) share an agency, procedure, field, year of issue
    and state; of them, how many were approved recently, and the last day one was."""

    agency: str
    procedure_code: str | None
    field: str | None
    year: int | None
    state: str
    count: int
    month: str | None = None  # YYYY-MM of approval, digitised ones only
    recent: int = 0
    last_digitised: date | None = None


@dataclass(frozen=True)
class ProgressFacts:
    entries: list[ProgressCount]  # expired, digitised, needs_review, missing
    declared_records: list[ProgressCount]  # records filling declared totals: digitised, needs_review
    other_records: list[ProgressCount]  # failed, unmatched
    declared: dict[str, int]


def _approval(digitised, at, since: datetime, until: datetime) -> list:
    """Columns of a unit saying whether it was approved recently, and when (NULL unless digitised)."""
    approved_at = case((digitised, at))
    return [
        case((and_(digitised, at >= since, at < until), 1), else_=0).label("recent"),
        approved_at.label("approved_at"),
        cast(extract("year", approved_at), Integer).label("approved_year"),
        cast(extract("month", approved_at), Integer).label("approved_month"),
    ]


def _counted(session: Session, units, *keys) -> list[ProgressCount]:
    """GROUP BY agency, the given keys (procedure, field; NULL when not given), year, state and
    month of approval."""
    columns = [units.c.agency, *keys, units.c.year, units.c.state, units.c.approved_year, units.c.approved_month]
    query = select(*columns, func.count(), func.sum(units.c.recent), func.max(units.c.approved_at)).group_by(*columns)
    rows = []
    for row in session.execute(query):
        agency, *key_values, year, state, approved_year, approved_month, count, recent, last = row
        procedure, field = (*key_values, None, None)[:2]
        month = f"{approved_year:04d}-{approved_month:02d}" if approved_year else None
        rows.append(ProgressCount(agency, procedure, field, year, state, count, month, recent or 0, _day(last)))
    return rows


def _queue_filters(agency: str | None, batch_id: str | None, reason: str | None, document_type: str | None) -> list:
    filters = [Document.status == "needs_review"]
    if agency is not None:
        filters.append(Document.agency == agency)
    if batch_id is not None:
        filters.append(Document.batch_id == batch_id)
    if document_type is not None:
        filters.append(Document.document_type == document_type)
    if reason is not None:
        filters.append(Document.id.in_(select(ReviewReason.document_id).where(ReviewReason.kind == reason)))
    return filters


def _unmatched(query):
    """Only records (not duplicates) of agencies that have a register, found in none of its entries."""
    return query.outerjoin(RegisterMatch, RegisterMatch.document_id == Document.id).where(
        RegisterMatch.document_id.is_(None),
        Document.status != "duplicate",
        Document.agency.in_(select(RegisterEntry.agency)),
    )


def _day(moment: datetime | None) -> date | None:
    return _aware(moment).date() if moment else None


def _index(session: Session, record: Record, record_key: str) -> None:
    if session.get(Agency, record.agency) is None:
        session.add(Agency(code=record.agency))
    if session.get(Batch, record.batch_id) is None:
        session.add(
            Batch(id=record.batch_id, name=record.batch_name, agency=record.agency, created_at=record.ingested_at)
        )
    session.flush()
    session.execute(delete(Page).where(Page.document_id == record.id))
    session.execute(delete(ReviewReason).where(ReviewReason.document_id == record.id))
    issue_date = record.fields.get("issue_date")
    session.merge(
        Document(
            id=record.id,
            batch_id=record.batch_id,
            agency=record.agency,
            source_path=record.source_path,
            sha256=record.sha256,
            status=record.status,
            duplicate_of=record.duplicate_of,
            pages=record.pages,
            document_type=record.document_type,
            issue_year=int(issue_date.value[:4]) if issue_date and issue_date.value[:4].isdigit() else None,
            digitised_at=(record.approved_at or record.processed_at) if record.status == "digitised" else None,
            holder_id=record.fields["holder_id"].value if "holder_id" in record.fields else None,
            ingested_at=record.ingested_at,
            record_key=record_key,
            record_json=record.model_dump_json(exclude_none=True),
            min_confidence=lowest_confidence(field.confidence for field in record.fields.values()),
        )
    )
    session.flush()
    if record.status == "needs_review":
        session.add_all(ReviewReason(document_id=record.id, kind=kind) for kind in reason_kinds(record.review_reasons))
    for page in record.page_details:
        session.add(
            Page(
                document_id=record.id,
                number=page.number,
                method=page.method,
                outcome=page.outcome,
                mean_confidence=page.mean_confidence,
                seconds=page.seconds,
            )
        )


def _held(range_id: int, claimant: str) -> tuple:
    """The range is this claimant's and still to read."""
    return PageRangeJob.id == range_id, PageRangeJob.claimed_by == claimant, PageRangeJob.status.in_(("open", "failed"))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # per connection; WAL is kept in the file (migrate.py)
    cursor.close()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
