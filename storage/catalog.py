"""The catalog: a SQL index over the records, for queries. Rebuildable from object storage.

Every document row is derived from a `Record` (the JSON in the records bucket), so `rebuild`
can throw those tables away and load them again from the records alone. Agency lists, registers
and declared totals are inputs, not derived from records: their files are kept in object
storage too (storage/inputs.py) and `storage.registers.reload_inputs` loads them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from storage.records import Record


class Base(DeclarativeBase):
    pass


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


class Page(Base):
    __tablename__ = "pages"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    mean_confidence: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)


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
        Base.metadata.create_all(self.engine)
        _add_new_columns(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

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
            for table in (Page, Document, Batch, Agency):
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

    def match_candidates(self) -> list[tuple[str, str, str, str]]:
        """(id, agency, status, record JSON) of every record but duplicates, first ingested first."""
        query = (
            select(Document.id, Document.agency, Document.status, Document.record_json)
            .where(Document.status != "duplicate")
            .order_by(Document.ingested_at, Document.id)
        )
        with self._session() as session:
            return [tuple(row) for row in session.execute(query)]

    def replace_matches(self, matches: Iterable[RegisterMatch]) -> int:
        count = 0
        with self._session.begin() as session:
            session.execute(delete(RegisterMatch))
            for match in matches:
                session.add(match)
                count += 1
        return count

    def matches(self) -> list[RegisterMatch]:
        with self._session() as session:
            return list(session.scalars(select(RegisterMatch).order_by(RegisterMatch.register_entry_id)))

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
        query = (
            select(Document.record_json)
            .outerjoin(RegisterMatch, RegisterMatch.document_id == Document.id)
            .where(
                RegisterMatch.document_id.is_(None),
                Document.status != "duplicate",
                Document.agency.in_(select(RegisterEntry.agency)),
            )
            .order_by(Document.agency, Document.ingested_at, Document.id)
        )
        with self._session() as session:
            for record_json in session.scalars(query):
                yield Record.model_validate_json(record_json)

    def records_by_holder(self, holder_id: str, agency: str | None = None,
                          statuses: tuple[str, ...] = ("digitised",)) -> list[Record]:
        """The records whose holder_id is exactly this one (digits only), oldest issue first."""
        query = select(Document.record_json).where(Document.holder_id == holder_id, Document.status.in_(statuses))
        if agency is not None:
            query = query.where(Document.agency == agency)
        with self._session() as session:
            records = [Record.model_validate_json(text) for text in session.scalars(query.order_by(Document.id))]
        return sorted(records, key=lambda r: r.fields["issue_date"].value if "issue_date" in r.fields else "")

    def progress_facts(self) -> ProgressFacts:
        """What progress is computed from: register entries with the status of their matched
        record, every record but duplicates, and declared totals; one query each."""
        entries = select(
            RegisterEntry.agency, RegisterEntry.procedure_code, RegisterEntry.field, RegisterEntry.issue_date,
            RegisterEntry.valid_until, Document.status, Document.digitised_at, RegisterMatch.flagged,
        ).outerjoin(RegisterMatch, RegisterMatch.register_entry_id == RegisterEntry.id).outerjoin(
            Document, Document.id == RegisterMatch.document_id
        )
        records = select(
            Document.agency, Document.status, Document.issue_year, Document.digitised_at,
            RegisterMatch.register_entry_id.is_not(None),
        ).outerjoin(RegisterMatch, RegisterMatch.document_id == Document.id).where(Document.status != "duplicate")
        with self._session() as session:
            return ProgressFacts(
                entries=[EntryFact(a, p, fi, d, v, s, _day(t), bool(f))
                         for a, p, fi, d, v, s, t, f in session.execute(entries)],
                records=[RecordFact(a, s, y, _day(t), bool(m)) for a, s, y, t, m in session.execute(records)],
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
class EntryFact:
    agency: str
    procedure_code: str | None
    field: str | None
    issue_date: date | None
    valid_until: date | None
    record_status: str | None  # of the matched record; None when nothing matched
    digitised_on: date | None
    flagged: bool  # the match itself waits for a person to confirm it


@dataclass(frozen=True)
class RecordFact:
    agency: str
    status: str
    issue_year: int | None
    digitised_on: date | None
    matched: bool


@dataclass(frozen=True)
class ProgressFacts:
    entries: list[EntryFact]
    records: list[RecordFact]
    declared: dict[str, int]


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
        )
    )
    session.flush()
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


def _add_new_columns(engine) -> None:
    """Add columns that newer code declares to tables an older catalog already has.

    `create_all` makes missing tables only; the new columns are all nullable, so adding them
    empty keeps every existing row valid.
    """
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=engine.dialect)
                with engine.begin() as connection:
                    connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets the progress poller read while documents are being written from worker threads.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
