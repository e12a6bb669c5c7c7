"""Drops: batches archive staff leave in the drop folder or the S3 inbox, taken with no command typed.

Where: `SOHOA_DROP_DIR/<agency code>/<batch name>/` and `<agency code>/<batch name>/` in the inbox bucket
(`<prefix>-inbox`). Taking is listing and reconciling, never trusting events: each run (`sohoa drops take`,
the nightly flow) lists every drop and decides from what it finds, in this order:

- left alone (`waiting`): no `_READY` and no `manifest.csv` yet (`no_marker`); something in it changed less
  than `SOHOA_DROP_QUIET_SECONDS` ago, so a copy may still be running (`still_writing`); the folder cannot be
  read (`unreadable`); after the checks below, a file the manifest names has not arrived (`files_missing`).
- rejected, moved to `rejected/<agency>/<batch>/` with `_REJECTED.txt` (Vietnamese, with the English code):
  an agency code not known (`unknown_agency`), a manifest that cannot be read (`bad_manifest`), two files or
  two manifest rows with one name (`duplicate_names`), a file name that is not UTF-8 (`bad_file_name`), a
  file the manifest does not list (`unlisted_files`), nothing to digitise (`empty_drop`).
- taken (`ready`): ingested into the batch of its name, then moved to `processed/<agency>/<batch>/`; a
  later drop under a name already used becomes batch `<name> (2)`, so nothing is overwritten or merged.

Nothing leaves a drop before it is stored: ingest puts every original in the originals bucket before the
drop moves, and an inbox file written again while its drop moves stays in the inbox. Before ingesting,
`_TAKEN.json` in the drop names the batch; a run that stops midway leaves the drop where it was, and the
next run resumes into that batch (ingest registers a file once per batch).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ocr.scratch import scratch_dir
from storage import inbox, seaweed
from storage.catalog import Catalog
from storage.errors import ObjectNotFound, StorageError, catalog_errors
from storage.objects import ObjectStore
from storage.registers import HEADERS, header_key
from storage.settings import StorageSettings

if TYPE_CHECKING:  # ingest pulls in OCR and spaCy: 3 s that listing drops (the HTTP API) need not pay
    from flows.services import Services

log = logging.getLogger(__name__)

READY, MANIFEST, REJECTED, TAKEN = "_READY", "manifest.csv", "_REJECTED.txt", "_TAKEN.json"
# Control files sit at the drop's root; Windows users may type them in any case.
CONTROL_FILES = {name.lower() for name in (READY, MANIFEST, REJECTED, TAKEN)}
SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini"}
PROCESSED, REJECTED_AREA = "processed", "rejected"
NAMES_SHOWN = 5

State = Literal["ready", "waiting", "rejected"]
Source = Literal["folder", "inbox"]


class DropSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_DROP_", extra="ignore")

    dir: Path | None = None  # SOHOA_DROP_DIR; unset: only the S3 inbox is read
    # A drop is taken only when nothing in it changed for this long (copies over a network share are slow).
    quiet_seconds: float = Field(120.0, ge=0)


class DropError(Exception):
    """A drop or drop source could not be read or moved; the drops stay where they are."""


# --- manifest.csv -------------------------------------------------------------------------

MANIFEST_HEADERS = {
    "file": ("file", "file name", "filename", "tệp", "tên tệp", "tên file", "tệp tin"),
    "procedure_code": HEADERS["procedure_code"],
    "register_reference": ("register reference", "register_reference", "số vào sổ", "số đăng ký",
                           "số trong sổ"),
}
_COLUMN_OF_HEADER = {header_key(h): column for column, spellings in MANIFEST_HEADERS.items() for h in spellings}


class ManifestError(ValueError):
    """The manifest cannot be read; the message is Vietnamese, for the reason file."""


@dataclass(frozen=True)
class ManifestRow:
    file: str  # NFC, '/'-separated, relative to the drop
    declared: dict[str, str]  # procedure_code, register_reference (Record.declared)


def parse_manifest(data: bytes) -> list[ManifestRow]:
    """Rows of `manifest.csv`: UTF-8 (a BOM allowed), `,` or `;` between cells (Excel writes `;` under a
    Vietnamese locale), a header row naming a file column (`tệp`, `file`) and optionally `Mã TTHC` and
    `Số vào sổ`; other columns are ignored."""
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"không phải văn bản UTF-8 (byte {exc.start}); hãy lưu dạng CSV UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ManifestError(f"không đọc được dạng CSV ({exc})") from None
    if not rows:
        raise ManifestError("tệp rỗng, không có dòng tiêu đề")
    header = [_COLUMN_OF_HEADER.get(header_key(cell)) for cell in rows[0]]
    if "file" not in header:
        raise ManifestError("dòng tiêu đề không có cột tên tệp (`tệp` hoặc `file`)")
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise ManifestError(f"cột lặp lại trong dòng tiêu đề: {', '.join(repeated)}")
    result = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: cell.strip() for column, cell in zip(header, cells) if column}
        name = values.pop("file", "").replace("\\", "/").strip("/")
        if not name:
            raise ManifestError(f"dòng {number}: thiếu tên tệp")
        declared = {column: value for column, value in values.items() if value}
        if "procedure_code" in declared:
            from extract.body import VALUE_CHECKS

            declared["procedure_code"] = code = re.sub(r"\s", "", declared["procedure_code"])
            if VALUE_CHECKS["procedure_code"](code):
                raise ManifestError(f"dòng {number}: mã thủ tục {code!r} sai dạng (1.000894 hoặc "
                                    f"1.000894.000.00.00.H62)")
        result.append(ManifestRow(name, declared))
    if not result:
        raise ManifestError("không ghi tệp nào")
    return result


# --- what a drop is, and the rules ----------------------------------------------------------


@dataclass(frozen=True)
class DropFile:
    name: str  # NFC, '/'-separated, relative to the drop
    raw: str  # as stored, relative to the drop (names may come NFD from a Mac)
    size: int
    changed: datetime

    @property
    def is_control(self) -> bool:
        return "/" not in self.name and self.name.lower() in CONTROL_FILES

    @property
    def is_hidden(self) -> bool:
        # Editors' and copy tools' temporary files (`.~lock`, rsync's `.name.XXXXXX`) and the files
        # Windows Explorer leaves in folders it showed are not papers.
        parts = self.name.split("/")
        return any(part.startswith(".") for part in parts) or parts[-1].lower() in SYSTEM_FILES


@dataclass
class Drop:
    source: Source
    location: str  # the folder, or bucket/prefix, for people to find it
    agency: str  # NFC
    name: str  # NFC
    raw_agency: str
    raw_name: str
    files: list[DropFile]  # every file, control and hidden ones included
    changed: datetime  # the latest change to anything in it, folders' entries included
    problem: str | None = None  # could not be listed

    def control(self, name: str) -> DropFile | None:
        return next((f for f in self.files if f.is_control and f.name.lower() == name.lower()), None)

    def papers(self) -> list[DropFile]:
        return [f for f in self.files if not f.is_control and not f.is_hidden]


@dataclass(frozen=True)
class QuietPeriod:
    """Is a drop finished being written? Yes once nothing in it has changed for `seconds`.

    A copy keeps touching the files and the folder's entries until it ends; the folder source takes
    each entry's ctime as well as its mtime, because `cp -p` and rsync put the source's old mtime back.
    """

    seconds: float

    def left(self, changed: datetime, now: datetime) -> float:
        """Seconds still to wait; 0 when the drop is settled."""
        return max(0.0, self.seconds - (now - changed).total_seconds())


@dataclass(frozen=True)
class Assessment:
    state: State
    code: str | None
    reason: str  # Vietnamese, for staff
    declared: dict[str, dict[str, str]]  # per paper name, from the manifest


def assess(drop: Drop, manifest: bytes | None, known_agency: Callable[[str], bool], quiet: QuietPeriod,
           now: datetime) -> Assessment:
    """What a run does with the drop; reads nothing itself (the manifest's bytes are given)."""

    def waiting(code: str, reason: str) -> Assessment:
        return Assessment("waiting", code, reason, {})

    def rejected(code: str, reason: str) -> Assessment:
        return Assessment("rejected", code, reason, {})

    if drop.problem:
        return waiting("unreadable", f"không đọc được: {drop.problem}")
    if drop.control(READY) is None and manifest is None:
        return waiting("no_marker", f"chưa có {READY} hoặc {MANIFEST}: lô chưa được đánh dấu là đã đủ")
    left = quiet.left(drop.changed, now)
    if left > 0:
        return waiting("still_writing", f"đang chép: thay đổi lần cuối {int((now - drop.changed).total_seconds())} "
                                        f"giây trước, chờ thêm {int(left) + 1} giây")
    if not known_agency(drop.agency):
        return rejected("unknown_agency", f"mã cơ quan {drop.agency} không có trong danh mục cơ quan "
                                          f"(sohoa agencies list) hoặc sai dạng (có dấu cách)")
    papers = drop.papers()
    bad_names = [f.name for f in papers if not _is_utf8(f.name)]
    if bad_names:
        return rejected("bad_file_name", f"tên tệp không phải UTF-8: {_names(bad_names)}")
    twice = _repeated(f.name for f in papers)
    if twice:
        return rejected("duplicate_names", f"hai tệp cùng tên (khác cách gõ dấu): {_names(twice)}")
    declared: dict[str, dict[str, str]] = {}
    if manifest is not None:
        try:
            rows = parse_manifest(manifest)
        except ManifestError as exc:
            return rejected("bad_manifest", f"{MANIFEST} không đọc được: {exc}")
        twice = _repeated(row.file for row in rows)
        if twice:
            return rejected("duplicate_names", f"{MANIFEST} ghi một tệp hai lần: {_names(twice)}")
        listed = {row.file for row in rows}
        arrived = {f.name for f in papers}
        unlisted = sorted(arrived - listed)
        if unlisted:
            return rejected("unlisted_files", f"có tệp không ghi trong {MANIFEST}: {_names(unlisted)}")
        missing = sorted(listed - arrived)
        if missing:
            return waiting("files_missing", f"chưa nhận đủ tệp ghi trong {MANIFEST}, còn thiếu: {_names(missing)}")
        declared = {row.file: row.declared for row in rows if row.declared}
    if not papers:
        return rejected("empty_drop", "lô không có tệp nào để số hóa")
    return Assessment("ready", None, f"đủ {len(papers)} tệp, sẽ được nhận", declared)


def known_agencies(catalog: Catalog) -> Callable[[str], bool]:
    """Known: in the agency list (`sohoa agencies import`) or already holding batches. With no agency
    list imported at all, any code of the right shape is taken (no blanks, no '/')."""
    agencies = catalog.agencies()
    if not any(agency.level for agency in agencies):
        return lambda code: bool(code) and not re.search(r"[\s/]", code)
    codes = {agency.code for agency in agencies}
    return codes.__contains__


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")  # a name that is not UTF-8 on disk comes as lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def _repeated(names: Iterator[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({name for name in names if name in seen or seen.add(name)})


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" và {len(names) - NAMES_SHOWN} tệp khác" if len(names) > NAMES_SHOWN else "")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- where drops are: a folder, the inbox bucket ----------------------------------------------


class DropSource(Protocol):
    kind: Source

    def drops(self) -> list[Drop]: ...
    def read(self, drop: Drop, file: DropFile) -> bytes: ...
    def write(self, drop: Drop, name: str, data: bytes) -> None: ...
    def local_files(self, drop: Drop, files: list[DropFile]) -> contextlib.AbstractContextManager[
        Iterator[tuple[DropFile, Path]]]: ...
    def area_has(self, area: str, agency: str, name: str) -> bool: ...
    def unchanged(self, drop: Drop) -> bool: ...
    def move(self, drop: Drop, area: str, name: str, note: tuple[str, bytes] | None = None) -> str: ...


class FolderSource:
    """`SOHOA_DROP_DIR/<agency>/<batch>/`; a drop moves by one rename, within the same file system."""

    kind: Source = "folder"

    def __init__(self, root: Path):
        self.root = root

    def drops(self) -> list[Drop]:
        if not self.root.is_dir():
            raise DropError(f"SOHOA_DROP_DIR {self.root} is not a folder (not mounted?)")
        found = []
        for agency_dir in sorted(self.root.iterdir()):
            if not agency_dir.is_dir() or agency_dir.name.startswith(".") \
                    or agency_dir.name in (PROCESSED, REJECTED_AREA):
                continue
            for folder in sorted(agency_dir.iterdir()):
                if folder.is_dir() and not folder.name.startswith("."):
                    found.append(self._drop(agency_dir.name, folder.name))
        return found

    def _drop(self, raw_agency: str, raw_name: str) -> Drop:
        folder = self.root / raw_agency / raw_name
        drop = Drop("folder", str(folder), _nfc(raw_agency), _nfc(raw_name), raw_agency, raw_name, [],
                    _changed(folder.stat()))
        try:
            for directory, subdirs, names in os.walk(folder, onerror=_raise):
                for sub in subdirs:
                    drop.changed = max(drop.changed, _changed(os.stat(os.path.join(directory, sub))))
                for name in names:
                    path = Path(directory, name)
                    info = path.stat()
                    raw = path.relative_to(folder).as_posix()
                    changed = _changed(info)
                    drop.files.append(DropFile(_nfc(raw), raw, info.st_size, changed))
                    drop.changed = max(drop.changed, changed)
        except OSError as exc:
            drop.problem = f"{exc.strerror or exc}: {exc.filename}"
        return drop

    def _folder(self, drop: Drop) -> Path:
        return self.root / drop.raw_agency / drop.raw_name

    def read(self, drop: Drop, file: DropFile) -> bytes:
        return (self._folder(drop) / file.raw).read_bytes()

    def write(self, drop: Drop, name: str, data: bytes) -> None:
        (self._folder(drop) / name).write_bytes(data)

    @contextlib.contextmanager
    def local_files(self, drop: Drop, files: list[DropFile]) -> Iterator[Iterator[tuple[DropFile, Path]]]:
        yield ((file, self._folder(drop) / file.raw) for file in files)

    def area_has(self, area: str, agency: str, name: str) -> bool:
        return (self.root / area / agency / name).exists()

    def unchanged(self, drop: Drop) -> bool:
        again = self._drop(drop.raw_agency, drop.raw_name)
        return {(f.raw, f.size) for f in again.papers()} == {(f.raw, f.size) for f in drop.papers()}

    def move(self, drop: Drop, area: str, name: str, note: tuple[str, bytes] | None = None) -> str:
        if note:
            self.write(drop, *note)
        parent = self.root / area / drop.agency
        parent.mkdir(parents=True, exist_ok=True)
        # A rename onto an existing empty folder would replace it: never reuse a name.
        target = next(parent / candidate for candidate in _candidates(name) if not (parent / candidate).exists())
        os.rename(self._folder(drop), target)
        (target / TAKEN).unlink(missing_ok=True)  # a copy brought back later is a new drop
        return str(target)


class InboxSource:
    """`<agency>/<batch>/` in the inbox bucket; a drop moves by copying each object, then deleting."""

    kind: Source = "inbox"

    def __init__(self, store: ObjectStore):
        self.store = store

    def drops(self) -> list[Drop]:
        found = []
        for top in inbox.top_prefixes(self.store):
            raw_agency = top.rstrip("/")
            if raw_agency in (PROCESSED, REJECTED_AREA) or raw_agency.startswith("."):
                continue
            batches: dict[str, Drop] = {}
            for item in inbox.list_objects(self.store, top):
                raw_name, _, rest = item.key[len(top):].partition("/")
                if not rest:
                    continue  # a file beside the batches, not in one
                drop = batches.get(raw_name)
                if drop is None:
                    drop = batches[raw_name] = Drop(
                        "inbox", f"{self.store.buckets.inbox}/{top}{raw_name}/", _nfc(raw_agency), _nfc(raw_name),
                        raw_agency, raw_name, [], item.last_modified)
                drop.files.append(DropFile(_nfc(rest), rest, item.size, item.last_modified))
                drop.changed = max(drop.changed, item.last_modified)
            found.extend(batches[name] for name in sorted(batches))
        return found

    def _key(self, drop: Drop, raw: str) -> str:
        return f"{drop.raw_agency}/{drop.raw_name}/{raw}"

    def read(self, drop: Drop, file: DropFile) -> bytes:
        return inbox.get(self.store, self._key(drop, file.raw))

    def write(self, drop: Drop, name: str, data: bytes) -> None:
        inbox.put(self.store, self._key(drop, name), data)

    @contextlib.contextmanager
    def local_files(self, drop: Drop, files: list[DropFile]) -> Iterator[Iterator[tuple[DropFile, Path]]]:
        """Each file downloaded when it is wanted and deleted after: a drop may be larger than the
        temporary disk. One fixed name, since a key may hold `..` or names a file system refuses."""
        with scratch_dir("drop") as tmp:
            def one_at_a_time() -> Iterator[tuple[DropFile, Path]]:
                path = Path(tmp, "file")
                for file in files:
                    inbox.download(self.store, self._key(drop, file.raw), path)
                    yield file, path
                    path.unlink(missing_ok=True)

            yield one_at_a_time()

    def area_has(self, area: str, agency: str, name: str) -> bool:
        return inbox.exists(self.store, f"{area}/{agency}/{name}/")

    def unchanged(self, drop: Drop) -> bool:
        return True  # only the objects listed are moved: one added meanwhile stays as a new drop

    def move(self, drop: Drop, area: str, name: str, note: tuple[str, bytes] | None = None) -> str:
        prefix = f"{area}/{drop.agency}/{name}/"
        if note:
            inbox.put(self.store, prefix + note[0], note[1])
        moved = [f for f in drop.files if f.name.lower() != TAKEN.lower()]
        for file in moved:
            # Copy over a copy a stopped run left here: the target was chosen for this drop.
            inbox.copy(self.store, self._key(drop, file.raw), prefix + file.raw)
        # The inbox keeps no versions: an object written again since the listing may hold bytes that
        # were never ingested nor copied, so it stays (a new drop) rather than being deleted.
        current = {o.key: (o.size, o.last_modified) for o in inbox.list_objects(self.store, self._key(drop, ""))}
        kept = sorted(f.raw for f in moved if current.get(self._key(drop, f.raw)) != (f.size, f.changed))
        if kept:
            log.warning("%s: %d files changed while the drop was moved, left in place: %s", drop.location,
                        len(kept), ", ".join(kept[:NAMES_SHOWN]))
        # The marker too, written after the listing when this run chose the batch.
        inbox.remove(self.store, sorted({self._key(drop, f.raw) for f in drop.files if f.raw not in kept}
                                        | {self._key(drop, TAKEN)}))
        return f"{self.store.buckets.inbox}/{prefix}"


def sources(store: ObjectStore | None, settings: DropSettings) -> list[DropSource]:
    found: list[DropSource] = []
    if settings.dir is not None:
        found.append(FolderSource(settings.dir))
    if store is not None:
        found.append(InboxSource(store))
    return found


def _changed(info: os.stat_result) -> datetime:
    return datetime.fromtimestamp(max(info.st_mtime, info.st_ctime), timezone.utc)


def _raise(exc: OSError) -> None:
    raise exc


def _candidates(name: str) -> Iterator[str]:
    yield name
    for number in count(2):
        yield f"{name} ({number})"


# --- listing and taking ----------------------------------------------------------------------


class DropView(BaseModel):
    """A drop as `sohoa drops list` and `GET /api/v1/drops` show it."""

    source: Source
    location: str
    agency: str
    batch: str
    files: int  # papers, without the control files
    bytes: int
    last_change: datetime
    state: State  # ready: taken at the next run; rejected: rejected at the next run
    code: str | None  # why it waits or is rejected (module docstring)
    reason: str  # the same, in Vietnamese for staff


class DropListing(BaseModel):
    listed_at: datetime
    drops: list[DropView]
    problems: list[str] = []  # sources that could not be listed


class TakeOutcome(BaseModel):
    drop: DropView
    action: Literal["taken", "rejected", "left", "error"]
    batch_id: str | None = None
    batch_name: str | None = None
    registered: int = 0
    already_registered: int = 0
    moved_to: str | None = None
    error: str | None = None


class DropsNotTaken(Exception):
    """Some drops could not be read or moved; they stay where they are for the next run."""

    def __init__(self, message: str, outcomes: list[TakeOutcome] | None = None):
        super().__init__(message)
        self.outcomes = outcomes or []  # what the run did with the other drops


class DropsBusy(DropsNotTaken):
    """Another run holds the drops' lock: nothing is wrong, and it ends (an on-demand run waits)."""


def drop_name(agency: str, batch: str) -> str:
    """`<agency code>/<batch name>`: a drop as the inbox and the drop folder lay it out, and as the
    on-demand deployment's `drop` parameter names it."""
    return f"{agency}/{batch}"


def split_drop_name(name: str) -> tuple[str, str]:
    """(agency code, batch name), NFC, from `drop_name`'s form; ValueError when it is not that."""
    agency, _, batch = _nfc(name).strip().partition("/")
    if not agency.strip() or not batch.strip() or "/" in batch:
        raise ValueError(f"a drop is named <agency code>/<batch name>, not {name!r}")
    return agency, batch


def _manifest(source: DropSource, drop: Drop) -> bytes | None:
    file = drop.control(MANIFEST)
    return None if file is None else source.read(drop, file)


def _view(drop: Drop, verdict: Assessment) -> DropView:
    papers = drop.papers()
    return DropView(source=drop.source, location=drop.location, agency=drop.agency, batch=drop.name,
                    files=len(papers), bytes=sum(f.size for f in papers), last_change=drop.changed,
                    state=verdict.state, code=verdict.code, reason=verdict.reason)


def list_drops(catalog: Catalog, store: ObjectStore | None, settings: DropSettings | None = None,
               now: datetime | None = None) -> DropListing:
    """Every drop not taken yet and what the next run will do with it; a source that cannot be
    listed is named in `problems`, the others are still listed."""
    settings = settings or DropSettings()
    now = now or datetime.now(timezone.utc)
    known, quiet = known_agencies(catalog), QuietPeriod(settings.quiet_seconds)
    views, problems = [], []
    for source in sources(store, settings):
        try:
            for drop in source.drops():
                views.append(_view(drop, assess(drop, _manifest(source, drop), known, quiet, now)))
        except Exception as exc:  # a listing for people: say what failed, show the rest
            problems.append(f"{source.kind}: {exc}")
    return DropListing(listed_at=now, drops=views, problems=problems)


def list_drops_if_reachable(catalog: Catalog, storage: StorageSettings,
                            settings: DropSettings | None = None) -> DropListing:
    """`list_drops` for the HTTP API, which needs no object storage: the inbox is listed only when
    it can be reached without starting the managed server; otherwise `problems` says why not."""
    try:
        if not storage.s3_endpoint and not seaweed.status(storage)["running"]:
            raise DropError("the managed S3 server is not running (sohoa services up)")
        store = ObjectStore.connect(storage)
    except (DropError, StorageError) as exc:
        listing = list_drops(catalog, None, settings)
        listing.problems.append(f"inbox: not listed: {exc}")
        return listing
    return list_drops(catalog, store, settings)


def take_drops(services: Services, settings: DropSettings | None = None,
               now: datetime | None = None, only: tuple[str, str] | None = None) -> list[TakeOutcome]:
    """Take every complete drop, reject the bad ones, leave the rest; one run at a time per SOHOA_HOME.
    `only` (agency code, batch name; NFC): that drop alone, as the desk's "Đọc ngay" asks for it.

    Storage and catalog errors propagate (the flow retries them; a drop half-taken resumes); a drop
    that cannot be read or moved is reported and the others go on, then DropsNotTaken is raised.
    """
    settings = settings or DropSettings()
    outcomes: list[TakeOutcome] = []
    failures: list[str] = []
    with _exclusive(services.storage_settings.home / "drops.lock"), catalog_errors():
        known, quiet = known_agencies(services.catalog), QuietPeriod(settings.quiet_seconds)
        for source in sources(services.store, settings):
            try:
                drops = source.drops()
            except (OSError, DropError) as exc:
                failures.append(f"{source.kind}: {exc}")
                continue
            for drop in drops:
                if only is not None and (drop.agency, drop.name) != only:
                    continue
                moment = now or datetime.now(timezone.utc)
                try:
                    verdict = assess(drop, _manifest(source, drop), known, quiet, moment)
                    outcome = _act(source, drop, verdict, services, moment)
                except (OSError, ObjectNotFound) as exc:  # ObjectNotFound: an inbox file removed meanwhile
                    error = f"{exc.strerror or exc}: {exc.filename}" if isinstance(exc, OSError) else str(exc)
                    outcome = TakeOutcome(drop=_view(drop, Assessment("waiting", "unreadable", str(exc), {})),
                                          action="error", error=error)
                    failures.append(f"{drop.location}: {outcome.error}")
                outcomes.append(outcome)
                _log(outcome)
    if failures:
        raise DropsNotTaken("drops left where they are: " + "; ".join(failures), outcomes)
    return outcomes


def _act(source: DropSource, drop: Drop, verdict: Assessment, services: Services, now: datetime) -> TakeOutcome:
    view = _view(drop, verdict)
    if verdict.state == "waiting":
        return TakeOutcome(drop=view, action="left")
    if verdict.state == "rejected":
        target = next(n for n in _candidates(drop.name) if not source.area_has(REJECTED_AREA, drop.agency, n))
        note = rejection_note(drop, verdict, now).encode("utf-8")
        moved = source.move(drop, REJECTED_AREA, target, note=(REJECTED, note))
        return TakeOutcome(drop=view, action="rejected", moved_to=moved)
    from flows.intake import InputFile, ingest_inputs

    batch_name = _batch_name(source, drop, services.catalog, now)
    papers = drop.papers()
    with source.local_files(drop, papers) as files:
        # Lazily: ingest reads each file before the next is fetched.
        items = (InputFile(path, f"{drop.name}/{file.name}", verdict.declared.get(file.name, {}))
                 for file, path in files)
        result = ingest_inputs(items, drop.agency, services, batch_name=batch_name)
    outcome = TakeOutcome(drop=view, action="taken", batch_id=result.batch_id, batch_name=result.batch_name,
                          registered=len(result.registered), already_registered=result.already_registered)
    if not source.unchanged(drop):
        # Moving now would carry files never ingested into processed/: the next run takes them.
        outcome.error = "the drop changed while it was taken: it stays, the next run takes the rest"
        return outcome
    outcome.moved_to = source.move(drop, PROCESSED, batch_name)
    return outcome


def _batch_name(source: DropSource, drop: Drop, catalog: Catalog, now: datetime) -> str:
    """The batch this drop goes into: the one `_TAKEN.json` names (a run stopped midway), else the
    drop's name, or `<name> (2)` ... when a batch of the agency or a processed drop has it already."""
    marker = drop.control(TAKEN)
    if marker is not None:
        try:
            return _nfc(json.loads(source.read(drop, marker))["batch_name"])
        except (ValueError, KeyError, TypeError):
            log.warning("%s: unreadable %s, choosing the batch again", drop.location, TAKEN)
    name = next(n for n in _candidates(drop.name)
                if not catalog.find_batch(drop.agency, n) and not source.area_has(PROCESSED, drop.agency, n))
    source.write(drop, TAKEN, json.dumps({"batch_name": name, "taken_at": now.isoformat()},
                                         ensure_ascii=False).encode("utf-8"))
    return name


DROPS_ARTIFACT = "sohoa-drops"


def drops_table_rows(outcomes: list[TakeOutcome]) -> list[dict[str, str]]:
    """One row per drop for the Prefect table artifact of a run's taking."""
    return [{"nguồn": o.drop.source, "cơ quan": o.drop.agency, "lô": o.drop.batch, "việc": o.action,
             "lô số hóa": o.batch_id or "", "tệp mới": str(o.registered),
             "lý do": f"{o.drop.code}: {o.drop.reason}" if o.drop.code else "",
             "chuyển đến": o.moved_to or "", "lỗi": o.error or ""} for o in outcomes]


def rejection_note(drop: Drop, verdict: Assessment, now: datetime) -> str:
    return (
        "Lô hồ sơ bị từ chối (batch rejected)\n"
        f"Mã lý do (reason code): {verdict.code}\n"
        f"Lý do: {verdict.reason}\n"
        f"Cơ quan (agency): {drop.agency}\n"
        f"Lô (batch): {drop.name}\n"
        f"Nơi thả (dropped at): {drop.location}\n"
        f"Thời điểm (at): {now.isoformat(timespec='seconds')}\n"
        f"Cách xử lý: sửa lỗi trên, rồi thả lại cả lô vào <mã cơ quan>/<tên lô>/ kèm {READY} "
        f"hoặc {MANIFEST}; tệp này không cần xóa.\n"
    )


def _log(outcome: TakeOutcome) -> None:
    drop = outcome.drop
    if outcome.action == "taken":
        log.info("drop %s taken into batch %s (%s): %d files registered, %d already there%s",
                 drop.location, outcome.batch_name, outcome.batch_id, outcome.registered,
                 outcome.already_registered, f"; {outcome.error}" if outcome.error else "")
    elif outcome.action == "rejected":
        log.warning("drop %s rejected (%s: %s), moved to %s", drop.location, drop.code, drop.reason,
                    outcome.moved_to)
    elif outcome.action == "error":
        log.error("drop %s not taken: %s", drop.location, outcome.error)
    else:
        log.info("drop %s left: %s (%s)", drop.location, drop.code, drop.reason)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """One taking run at a time on this machine (the nightly deployment's concurrency limit covers
    several machines)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DropsBusy("another run is taking drops for this SOHOA_HOME; try again when it ends") from None
        yield
