"""The desk's batches (`/lo`): the list of batches and drops, one batch's files with the reasons a
file failed in a clerk's words, and uploads from the browser (FastAPI's TestClient).

The upload is written into the real SeaweedFS inbox, then taken by flows/drops.py's `take_drops`
exactly as the nightly run takes it, and read by the pipeline (integration)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from conftest import services_env
from test_desk_accounts import PASSWORD, form_csrf, log_in

import ocr.errors
from flows.drops import READY, DropSettings, take_drops
from flows.steps import process_document
from storage import inbox
from storage.records import Record, RecordError, RecordFiles
from storage.errors import StorageError
from web.desk import batches as desk_batches
from web.desk.app import create_desk_app
from web.desk.batches import _without_top_folder
from web.desk.labels import FILE_ERRORS
from web.desk.record import NO_STORE
from web.desk.settings import DeskSettings

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
AGENCY_A, AGENCY_B = "H26.01", "H26.02"
CLERK_A, CLERK_B, SUPERVISOR = "Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hoa"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "batch"
BORN_DIGITAL = "02 Công văn Sở Tư pháp.pdf"  # a text layer: read without OCR
TRUNCATED = "06 Hồ sơ bị cắt ngang.pdf"
ENCRYPTED = "07 Tài liệu có mật khẩu.pdf"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def add_people(catalog) -> None:
    catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    catalog.upsert_agencies([{"code": AGENCY_A, "name": "UBND xã Tử Du"}, {"code": AGENCY_B, "name": "UBND xã Sơn Đông"}])
    catalog.users.add(CLERK_A, "clerk", AGENCY_A, PASSWORD, T0)
    catalog.users.add(CLERK_B, "clerk", AGENCY_B, PASSWORD, T0)
    catalog.users.add(SUPERVISOR, "supervisor", None, PASSWORD, T0)


def logged_in(catalog, store=None, name: str = CLERK_A, settings: DeskSettings | None = None) -> TestClient:
    client = TestClient(create_desk_app(catalog, store, settings=settings or DeskSettings()))
    assert log_in(client, name).status_code == 303
    return client


def text_of(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def row_of(page: str, attribute: str, value: str) -> str:
    """The table row carrying data-<attribute>="value", as text."""
    match = re.search(rf'<tr data-{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {attribute}={value}"
    return text_of(match.group(1))


def record(record_id: str, agency: str, batch: str, status: str, **update) -> Record:
    return Record(
        id=record_id, batch_id=batch, batch_name=f"hộp {batch}", agency=agency, source_name=f"{record_id}.pdf",
        source_path=f"hộp {batch}/{record_id}.pdf", sha256=hashlib.sha256(record_id.encode()).hexdigest(),
        size_bytes=10, media_type="application/pdf", status=status, files=RecordFiles(original=f"x/{record_id}"),
        ingested_at=T0, **update)


@pytest.fixture
def catalog(catalog):
    add_people(catalog)
    for item in (
        record("a1", AGENCY_A, "ba", "digitised"),
        record("a2", AGENCY_A, "ba", "failed", error=RecordError(code="encrypted_pdf", message="protected")),
        record("a3", AGENCY_A, "ba", "duplicate", duplicate_of="a1"),
        record("a4", AGENCY_A, "ba", "duplicate", duplicate_of="b1"),
        record("a5", AGENCY_A, "ba", "failed", error=RecordError(code="something_new", message="?")),
        record("b1", AGENCY_B, "bb", "needs_review"),
    ):
        catalog.save(item, f"records/{item.id}.json")
    return catalog


# ---- without object storage -------------------------------------------------------------------


def test_every_input_error_has_words_for_a_clerk():
    codes = {cls.code for cls in vars(ocr.errors).values()
             if isinstance(cls, type) and issubclass(cls, ocr.errors.InputError)}
    assert codes - FILE_ERRORS.keys() == set()
    assert "internal_error" in FILE_ERRORS


def test_a_clerk_lists_only_their_agencys_batches_with_counts(catalog):
    page = logged_in(catalog).get("/lo").text
    assert 'data-batch="ba"' in page and 'data-batch="bb"' not in page
    counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', page))
    assert counts == {"pending": "0", "digitised": "1", "needs_review": "0", "failed": "2", "duplicate": "2"}
    supervisor = logged_in(catalog, name=SUPERVISOR).get("/lo").text
    assert 'data-batch="ba"' in supervisor and 'data-batch="bb"' in supervisor


def test_another_agencys_batch_is_404_to_a_clerk(catalog):
    clerk = logged_in(catalog)
    assert clerk.get("/lo/bb").status_code == 404
    assert clerk.get("/lo/no-such-batch").status_code == 404
    assert logged_in(catalog, name=SUPERVISOR).get("/lo/bb").status_code == 200


def test_the_batch_page_says_why_a_file_failed_and_what_to_do(catalog):
    page = logged_in(catalog).get("/lo/ba").text
    assert row_of(page, "file", "a2.pdf") == ("a2.pdf Lỗi đọc Tệp có mật khẩu. "
                                              "Cách xử lý: Xin bản không khóa rồi tải lên lại.")
    assert "Báo cho quản trị viên" in row_of(page, "file", "a5.pdf")  # a code not known yet still says something
    # The file name is the path inside the drop, each linking to its record.
    assert '<a href="/ho-so/a1">a1.pdf</a>' in page


def test_a_duplicate_links_to_the_record_it_repeats_when_the_clerk_may_open_it(catalog):
    page = logged_in(catalog).get("/lo/ba").text
    assert 'Trùng với <a href="/ho-so/a1">a1.pdf</a>' in page
    assert "Trùng với một hồ sơ của cơ quan khác" in row_of(page, "file", "a4.pdf")
    assert "/ho-so/b1" not in page
    supervisor = logged_in(catalog, name=SUPERVISOR).get("/lo/ba").text
    assert 'Trùng với <a href="/ho-so/b1">b1.pdf</a>' in supervisor


def test_an_upload_needs_the_csrf_token_and_object_storage(catalog):
    clerk = logged_in(catalog)
    files = [("tep", ("a.pdf", b"%PDF-1.4", "application/pdf"))]
    assert clerk.post("/lo/tai-len", data={"ten_lo": "hộp 9"}, files=files).status_code == 403
    csrf = form_csrf(clerk.get("/lo/tai-len").text)
    refused = clerk.post("/lo/tai-len", data={"ten_lo": "hộp 9", "csrf": csrf}, files=files)
    assert refused.status_code == 503 and NO_STORE in unescape(refused.text)


def test_a_failed_upload_logs_no_personal_number_from_the_storage_error(catalog, monkeypatch, caplog):
    # The storage error names the object key, made of the batch and file names a clerk typed.
    def put_stream(_store, key, _stream, _content_type):
        raise StorageError(f"put inbox/{key}: refused")

    monkeypatch.setattr(desk_batches, "_name_taken", lambda *_: False)
    monkeypatch.setattr(desk_batches.inbox, "put_stream", put_stream)
    clerk = logged_in(catalog, store=object())
    csrf = form_csrf(clerk.get("/lo/tai-len").text)
    files = [("tep", ("CCCD 001234567890.pdf", b"%PDF-1.4", "application/pdf"))]
    with caplog.at_level("ERROR", logger="sohoa.desk"):
        refused = clerk.post("/lo/tai-len", data={"ten_lo": "hộp 026085001234", "csrf": csrf}, files=files)
    assert refused.status_code == 503
    assert "not stored" in caplog.text
    assert "001234567890" not in caplog.text and "026085001234" not in caplog.text


def test_an_upload_larger_than_the_desk_takes_is_refused_before_it_is_read(catalog):
    clerk = logged_in(catalog, settings=DeskSettings(upload_max_mb=0.01))
    csrf = form_csrf(clerk.get("/lo/tai-len").text)
    files = [("tep", ("lớn.pdf", b"x" * 20_000, "application/pdf"))]
    refused = clerk.post("/lo/tai-len", data={"ten_lo": "hộp 9", "csrf": csrf}, files=files)
    assert refused.status_code == 413
    assert "tối đa 0.01 MB một lần" in unescape(refused.text)


def test_a_folders_files_keep_their_paths_below_the_folder_chosen():
    assert _without_top_folder(["Hộp 5/a.pdf", "Hộp 5/con/b.pdf"]) == ["a.pdf", "con/b.pdf"]
    assert _without_top_folder(["../../etc/passwd", "Hộp 5/./a.pdf"]) == ["etc/passwd", "Hộp 5/a.pdf"]


# ---- into the real inbox, taken and read -----------------------------------------------------


@pytest.fixture(scope="module")
def desk_services(s3_settings, tmp_path_factory):
    with services_env(s3_settings, tmp_path_factory, "db") as services:
        add_people(services.catalog)
        yield services


@pytest.mark.integration
def test_an_uploaded_batch_is_taken_like_any_drop_and_shows_each_files_status(desk_services):
    services = desk_services
    clerk = logged_in(services.catalog, services.store)
    csrf = form_csrf(clerk.get("/lo/tai-len").text)
    born = (SAMPLES / BORN_DIGITAL).read_bytes()
    files = [
        ("tep", (unicodedata.normalize("NFD", BORN_DIGITAL), born, "application/pdf")),  # as a Mac names it
        ("tep", (ENCRYPTED, (SAMPLES / ENCRYPTED).read_bytes(), "application/pdf")),
        ("thu_muc", ("Hộp 4/con/bản sao.pdf", born, "application/pdf")),
        ("thu_muc", ("Hộp 4/" + TRUNCATED, (SAMPLES / TRUNCATED).read_bytes(), "application/pdf")),
        ("thu_muc", ("Hộp 4/.DS_Store", b"\0", "application/octet-stream")),  # not a paper: left out
    ]
    # A clerk's agency is their own, whatever the form says.
    sent = clerk.post("/lo/tai-len", data={"ten_lo": "  Hộp 4 ", "co_quan": AGENCY_B, "csrf": csrf}, files=files,
                      follow_redirects=False)
    assert sent.status_code == 303, text_of(sent.text)
    keys = sorted(nfc(o.key) for o in inbox.list_objects(services.store, f"{AGENCY_A}/"))
    assert keys == sorted(f"{AGENCY_A}/Hộp 4/{name}" for name in
                          (BORN_DIGITAL, ENCRYPTED, "con/bản sao.pdf", TRUNCATED, READY))
    listing = clerk.get(sent.headers["location"]).text
    assert "Đã tải lên lô" in listing
    assert row_of(listing, "drop", f"{AGENCY_A}/Hộp 4").startswith(f"{AGENCY_A} Hộp 4 4 ")
    assert 'data-drop="' not in logged_in(services.catalog, services.store, CLERK_B).get("/lo").text

    again = clerk.post("/lo/tai-len", data={"ten_lo": "Hộp 4", "csrf": csrf},
                       files=[("tep", ("khác.pdf", b"%PDF-1.4", "application/pdf"))])
    assert again.status_code == 400 and "đã có lô tên “Hộp 4”" in unescape(again.text)

    (outcome,) = take_drops(services, DropSettings(quiet_seconds=0))
    assert (outcome.action, outcome.registered, outcome.batch_name) == ("taken", 4, "Hộp 4")
    for record_id in services.catalog.ids_with_status("pending", outcome.batch_id):
        process_document(record_id, services)

    page = clerk.get(f"/lo/{outcome.batch_id}").text
    statuses = dict(re.findall(r'<tr data-file="([^"]+)" data-status="(\w+)"', page))
    assert statuses[BORN_DIGITAL] in ("digitised", "needs_review")
    assert (statuses["con/bản sao.pdf"], statuses[ENCRYPTED], statuses[TRUNCATED]) == ("duplicate", "failed", "failed")
    assert "Tệp có mật khẩu. Cách xử lý: Xin bản không khóa rồi tải lên lại." in row_of(page, "file", ENCRYPTED)
    assert "Tệp bị cắt cụt" in row_of(page, "file", TRUNCATED)
    original = services.catalog.first_with_sha256(hashlib.sha256(born).hexdigest())
    assert f'Trùng với <a href="/ho-so/{original}">{BORN_DIGITAL}</a>' in page
    # Taken: no longer waiting, and the batch page is its agency's alone.
    listing = clerk.get("/lo").text
    assert 'data-drop="' not in listing and f'data-batch="{outcome.batch_id}"' in listing
    assert logged_in(services.catalog, services.store, CLERK_B).get(f"/lo/{outcome.batch_id}").status_code == 404


@pytest.mark.integration
def test_uploads_that_are_refused_say_why(desk_services):
    services = desk_services
    clerk = logged_in(services.catalog, services.store)
    csrf = form_csrf(clerk.get("/lo/tai-len").text)
    cases = [
        ({"ten_lo": ""}, [("tep", ("a.pdf", b"1", "application/pdf"))], "Hãy đặt tên cho lô."),
        ({"ten_lo": "a/b"}, [("tep", ("a.pdf", b"1", "application/pdf"))], "Tên lô không được chứa dấu /"),
        ({"ten_lo": "Hộp 8"}, [], "Hãy chọn ít nhất một tệp"),
        ({"ten_lo": "Hộp 8"}, [("tep", ("_READY", b"", "text/plain"))], "Tên tệp dành riêng"),
        ({"ten_lo": "Hộp 8"}, [("tep", ("A.pdf", b"1", "application/pdf")), ("thu_muc", ("x/a.pdf", b"2", "application/pdf"))],
         "Có hai tệp cùng tên"),
    ]
    for data, files, message in cases:
        refused = clerk.post("/lo/tai-len", data={**data, "csrf": csrf}, files=files)
        assert refused.status_code == 400 and message in unescape(refused.text), message
    assert not list(inbox.list_objects(services.store, f"{AGENCY_A}/Hộp 8/"))
    supervisor = logged_in(services.catalog, services.store, SUPERVISOR)
    refused = supervisor.post("/lo/tai-len", data={"ten_lo": "Hộp 8", "co_quan": "H99.99", "csrf": form_csrf(
        supervisor.get("/lo/tai-len").text)}, files=[("tep", ("a.pdf", b"1", "application/pdf"))])
    assert refused.status_code == 400 and "H99.99 không có trong danh mục" in unescape(refused.text)
