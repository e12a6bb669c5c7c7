"""The review desk's record page and history over HTTP in-process (FastAPI's TestClient): who may
open a record, the page images rendered from the stored PDF, the words a field highlights, edits
refused and saved through the CLI's validators, approval, sending back, and the history.

The highlight matching and the access rules need no object storage; the rest runs against the
session's real SeaweedFS (integration)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from datetime import datetime, timezone
from html import unescape

import pymupdf
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from PIL import Image

from test_desk_accounts import PASSWORD, form_csrf, log_in

from flows.intake import save_record
from flows.services import Services
from storage.objects import ref
from storage.records import PIPELINE_VERSION, Record, RecordField, RecordFiles, RecordSignature
from web.desk.app import create_desk_app
from web.desk.highlight import PageWords, printed_forms
from web.desk.page_images import PdfCache
from web.desk.problems import problem_text, reason_detail
from web.desk.record import NO_STORE
from web.desk.settings import DeskSettings

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
AGENCY_A, AGENCY_B = "H26.01", "H26.02"
CLERK_A, CLERK_B, SUPERVISOR = "Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hoa"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core (Makefile's APT_PACKAGES)
HOLDER_ID = "026201993473"  # Vĩnh Phúc, born 2019
# The page as printed: (line, y in points). The holder's number is printed grouped, as some offices type it.
PAGE_ONE = [("Số: 1204 /QĐ- UBND", 80), ("Họ và tên: Nguyễn Văn An", 120),
            ("Số định danh cá nhân: 026 201 993 473", 160), ("Tử Du, ngày 21 tháng 01 năm 2020", 200)]
PAGE_TWO = [("Nơi nhận: Lưu VT", 90)]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---- the highlight: a field's text found among the page's words ------------------------------


def locate(pages: list[dict], texts: list[str]):
    return PageWords(pages).locate(texts)


def words_page(number: int, lines: list[list[str]]) -> dict:
    """A pages.json page whose words sit in a grid: word i of line j at x = 0.1 i, y = 0.1 j."""
    return {"number": number, "lines": [
        {"words": [{"text": text, "confidence": 0.9, "bbox": [0.1 * i, 0.1 * j, 0.1 * i + 0.08, 0.1 * j + 0.05]}
                   for i, text in enumerate(line)]} for j, line in enumerate(lines)]}


PAGES = [
    words_page(1, [["UBND", "XÃ", "TỬ", "DU"], ["Số:", "1204", "/QĐ-", "UBND"], ["Năm", "2025"],
                   ["Tử", "Du,", "ngày", "21", "tháng", "01", "năm", "2020"]]),
    words_page(2, [["Họ", "và", "tên:", "NGUYỄN", "VĂN", "AN"], ["Số", "định", "danh:", "026201993478"]]),
]


def test_a_spaced_notation_is_found_across_its_words():
    found = locate(PAGES, printed_forms("1204/QĐ-UBND", "1204 /QĐ- UBND"))
    assert found.page == 1
    assert [box[0] for box in found.boxes] == pytest.approx([0.1, 0.2, 0.3])  # 1204, /QĐ-, UBND


def test_case_and_accents_composition_do_not_matter():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    found = locate(PAGES, printed_forms(decomposed))
    assert found.page == 2 and len(found.boxes) == 3 and found.boxes[0][0] == pytest.approx(0.3)


def test_an_iso_date_is_found_as_printed_in_words():
    found = locate(PAGES, printed_forms("2020-01-21"))
    assert found.page == 1
    assert [box[0] for box in found.boxes] == pytest.approx([0.3, 0.4, 0.5, 0.6, 0.7])  # 21 tháng 01 năm 2020


def test_a_whole_word_beats_a_match_inside_a_longer_word():
    pages = [words_page(1, [["Năm", "2025"], ["Số:", "25"]])]
    found = locate(pages, ["25"])
    assert found.boxes[0][1] == pytest.approx(0.1)  # the second line's `25`, not the end of `2025`


def test_a_corrected_value_points_at_the_close_misreading():
    found = locate(PAGES, printed_forms(HOLDER_ID))  # OCR read ...478, the clerk typed ...473
    assert found.page == 2 and found.boxes[0][0] == pytest.approx(0.3)


def test_a_misread_phrase_is_found_by_its_closest_run_of_words():
    pages = [words_page(1, [["Căn", "cứ", "Luật", "Tổ", "chức"], ["Uy", "ban", "nhân", "dân", "xã", "Tứ", "Du"]])]
    found = locate(pages, ["Ủy ban nhân dân xã Tử Dư"])  # both end words misread
    assert found.page == 1 and len(found.boxes) == 7 and found.boxes[0][:2] == pytest.approx((0.0, 0.1))


def test_text_printed_nowhere_finds_nothing():
    assert locate(PAGES, printed_forms("Phạm Thị Bích Ngọc")) is None
    assert locate([], ["1204"]) is None


def test_the_pdf_cache_fetches_once_and_keeps_only_the_latest_within_its_bound():
    fetched = []

    def fetch(name: str, size: int):
        return lambda: fetched.append(name) or name.encode() * size

    cache = PdfCache(max_bytes=10)
    assert cache.get("a", fetch("a", 4)) == b"aaaa" and cache.get("a", fetch("a", 4)) == b"aaaa"
    cache.get("b", fetch("b", 4))
    cache.get("a", fetch("a", 4))  # a is now the latest
    cache.get("c", fetch("c", 4))  # 12 bytes: b, the oldest, goes
    cache.get("a", fetch("a", 4))
    cache.get("b", fetch("b", 4))
    assert cache.get("big", fetch("big", 9)) == b"big" * 9  # larger than the bound: served, not kept
    assert fetched == ["a", "b", "c", "b", "big"]


def test_refusal_problems_read_in_vietnamese():
    assert problem_text("not 12 digits") == "số định danh cá nhân phải có đúng 12 chữ số"
    assert problem_text("province code 099 unknown") == "mã tỉnh 099 không tồn tại"
    assert problem_text("something new") == "something new"  # shown, not hidden
    assert reason_detail("invalid: issue_date (not a calendar date)") == "không có ngày này trên lịch"
    assert reason_detail("low confidence: signer (0.50)") is None


# ---- the desk over a catalog (and, for images and edits, the real object storage) -------------


@pytest.fixture
def catalog(catalog):
    catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    catalog.upsert_agencies([{"code": AGENCY_A, "name": "UBND xã Tử Du"}, {"code": AGENCY_B, "name": "UBND xã Sơn Đông"}])
    catalog.users.add(CLERK_A, "clerk", AGENCY_A, PASSWORD, T0)
    catalog.users.add(CLERK_B, "clerk", AGENCY_B, PASSWORD, T0)
    catalog.users.add(SUPERVISOR, "supervisor", None, PASSWORD, T0)
    return catalog


def make_record(record_id: str, agency: str = AGENCY_A, confidence: float = 0.47, **update) -> Record:
    return Record(
        id=record_id, batch_id="b1", batch_name="hộp 1", agency=agency, source_name=f"{record_id}.pdf",
        source_path=f"{record_id}.pdf", sha256=hashlib.sha256(record_id.encode()).hexdigest(), size_bytes=10,
        media_type="application/pdf", status="needs_review", document_type="xac_nhan_tinh_trang_hon_nhan",
        pages=2,
        fields={
            "document_number": RecordField(value="1204/QĐ-UBND", confidence=confidence, raw="1204 /QĐ- UBND"),
            "holder_name": RecordField(value="Nguyễn Văn An", confidence=0.95),
            "holder_id": RecordField(value=HOLDER_ID, confidence=0.9, raw="026 201 993 473"),
        },
        suggestions={"issue_date": RecordField(value="2020-01-21", confidence=0.3)},
        review_reasons=[f"low confidence: document_number ({confidence:.2f})", "missing: issue_date"],
        signatures=[RecordSignature(kind="stamp", organisation="Ủy ban nhân dân xã Tử Du", stamp_text="UBND XÃ TỬ DU",
                                    page=1)],
        files=RecordFiles(original=f"x/{record_id}"), ingested_at=T0, **update,
    )


def desk_client(catalog, store=None) -> TestClient:
    return TestClient(create_desk_app(catalog, store, settings=DeskSettings()))


def logged_in(catalog, store=None, name: str = CLERK_A) -> TestClient:
    client = desk_client(catalog, store)
    assert log_in(client, name).status_code == 303
    return client


def text_of(page: str) -> str:
    """The page's text as read on screen: tags dropped, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", page)).split())


def field_section(page: str, name: str) -> str:
    match = re.search(rf'<section class="field[^"]*"\s+id="truong-{name}".*?</section>', page, re.S)
    assert match, f"no field {name} on the page"
    return unescape(match.group(0))


def test_another_agencys_record_is_the_same_404_as_an_unknown_one(catalog):
    for record in (make_record("a1"), make_record("b1", agency=AGENCY_B)):
        catalog.save(record, f"{record.agency}/{record.id}.json")
    desk = logged_in(catalog)

    own = desk.get("/ho-so/a1")
    assert own.status_code == 200 and NO_STORE in unescape(own.text)  # no store: fields, no images
    other, unknown = desk.get("/ho-so/b1"), desk.get("/ho-so/khong-co")
    assert other.status_code == unknown.status_code == 404
    assert other.text == unknown.text
    for path in ("/ho-so/b1/trang/1.png", "/ho-so/b1/lich-su"):
        assert desk.get(path).status_code == 404
    csrf = form_csrf(own.text)
    assert desk.post("/ho-so/b1/duyet", data={"csrf": csrf}).status_code == 404

    supervisor = logged_in(catalog, name=SUPERVISOR)
    assert supervisor.get("/ho-so/b1").status_code == 200
    assert desk_client(catalog).get("/ho-so/a1", follow_redirects=False).headers["location"] == "/dang-nhap"


def test_the_page_links_the_records_before_and_after_in_queue_order(catalog):
    for record_id, confidence in (("q2", 0.5), ("q1", 0.2), ("q3", 0.9)):
        record = make_record(record_id, confidence=confidence)
        catalog.save(record, f"{AGENCY_A}/{record_id}.json")
    other = make_record("q0", agency=AGENCY_B, confidence=0.4)
    catalog.save(other, f"{AGENCY_B}/q0.json")
    desk = logged_in(catalog)

    page = desk.get("/ho-so/q2").text
    assert 'data-previous="/ho-so/q1"' in page and 'data-next="/ho-so/q3"' in page  # never B's q0
    assert 'data-previous=""' in desk.get("/ho-so/q1").text


def links(page: str) -> tuple[str, str]:
    """The record page's previous and next addresses (what j and k open), as in its HTML."""
    found = re.search(r'data-previous="([^"]*)" data-next="([^"]*)"', page)
    return unescape(found.group(1)), unescape(found.group(2))


def test_previous_and_next_walk_the_queue_under_its_filters(catalog):
    kinds = {"c": ["invalid: holder_id (not 12 digits)"]}  # the others: low confidence, missing issue_date
    for record_id, agency, confidence, document_type in (
        ("a", AGENCY_A, 0.2, "xac_nhan_tinh_trang_hon_nhan"), ("b", AGENCY_B, 0.3, "xac_nhan_tinh_trang_hon_nhan"),
        ("c", AGENCY_A, 0.4, "xac_nhan_tinh_trang_hon_nhan"), ("d", AGENCY_A, 0.5, "giay_khai_sinh"),
        ("e", AGENCY_A, 0.6, "xac_nhan_tinh_trang_hon_nhan"),
    ):
        extra = {"review_reasons": kinds[record_id]} if record_id in kinds else {}
        record = make_record(record_id, agency, confidence).model_copy(update={"document_type": document_type, **extra})
        catalog.save(record, record_id)
    supervisor = logged_in(catalog, name=SUPERVISOR)

    assert links(supervisor.get("/ho-so/c").text) == ("/ho-so/b", "/ho-so/d")  # no filter: every agency
    assert links(supervisor.get(f"/ho-so/c?co_quan={AGENCY_A}").text) == (
        f"/ho-so/a?co_quan={AGENCY_A}", f"/ho-so/d?co_quan={AGENCY_A}")
    hon_nhan = f"co_quan={AGENCY_A}&loai=xac_nhan_tinh_trang_hon_nhan"
    assert links(supervisor.get(f"/ho-so/c?{hon_nhan}").text) == (f"/ho-so/a?{hon_nhan}", f"/ho-so/e?{hon_nhan}")
    # Under a reason the record itself need not match: it keeps its place between the others.
    assert links(supervisor.get("/ho-so/c?ly_do=missing").text) == ("/ho-so/b?ly_do=missing",
                                                                    "/ho-so/d?ly_do=missing")
    assert links(supervisor.get("/ho-so/a?ly_do=invalid").text) == ("", "/ho-so/c?ly_do=invalid")
    assert links(supervisor.get("/ho-so/a?lo=b9").text) == ("", "")  # a batch with nothing waiting
    assert links(supervisor.get("/ho-so/c?vi_tri=abc").text) == ("/ho-so/b", "/ho-so/d")  # a place edited: ignored

    # The queue's rows open the record with the queue's filters; the record leads back to the same queue.
    queue = unescape(supervisor.get(f"/hang-cho?{hon_nhan}").text)
    assert re.findall(r'<a href="(/ho-so/[^"]+)">', queue) == [f"/ho-so/{r}?{hon_nhan}" for r in "ace"]
    assert f'<a href="/hang-cho?{hon_nhan}">Hàng chờ</a>' in unescape(supervisor.get(f"/ho-so/c?{hon_nhan}").text)

    # A clerk's links never carry an agency, and one in the address changes nothing.
    clerk = logged_in(catalog)
    assert links(clerk.get(f"/ho-so/c?co_quan={AGENCY_B}&loai=xac_nhan_tinh_trang_hon_nhan").text) == (
        "/ho-so/a?loai=xac_nhan_tinh_trang_hon_nhan", "/ho-so/e?loai=xac_nhan_tinh_trang_hon_nhan")


def test_the_page_shows_fields_reasons_suggestions_and_stamps_in_vietnamese(catalog):
    catalog.save(make_record("a1"), f"{AGENCY_A}/a1.json")
    page = logged_in(catalog).get("/ho-so/a1").text
    number = field_section(page, "document_number")
    assert "Số, ký hiệu" in number and "1204/QĐ-UBND" in number and "47%" in number
    assert "Độ tin cậy thấp" in number
    issue = field_section(page, "issue_date")
    assert "Thiếu thông tin" in issue and "Gợi ý: <strong>2020-01-21</strong>" in issue
    assert "Con dấu" in page and "UBND XÃ TỬ DU" in unescape(page)
    assert '<script src="/static/record.js"></script>' in page
    for key in ("<dt>j</dt>", "<dt>k</dt>", "<dt>n</dt>", "<dt>a</dt>"):
        assert key in page


# ---- with the real object storage: images, edits, approval, history ---------------------------


def scanned_pdf() -> tuple[bytes, list[dict]]:
    """A two-page PDF with real text, and its words as pages.json stores them (fractions of the page)."""
    document = pymupdf.open()
    pages = []
    for number, lines in enumerate((PAGE_ONE, PAGE_TWO), start=1):
        page = document.new_page(width=595, height=842)  # A4 in points
        for text, y in lines:
            page.insert_text((72, y), nfc(text), fontsize=14, fontname="dejavu", fontfile=FONT)
        grouped: dict[tuple[int, int], list[dict]] = {}
        for x0, y0, x1, y1, text, block, line, _ in page.get_text("words"):
            grouped.setdefault((block, line), []).append(
                {"text": nfc(text), "confidence": 0.9, "bbox": [x0 / 595, y0 / 842, x1 / 595, y1 / 842]})
        pages.append({"number": number, "lines": [{"words": words} for words in grouped.values()]})
    return document.tobytes(), pages


@pytest.fixture
def stored(catalog, object_store):
    """Record a1 of agency A with its PDF and words in the store, and b1 of agency B."""
    services = Services(None, None, None, object_store, catalog)
    pdf, pages = scanned_pdf()
    records = {}
    for record in (make_record("a1"), make_record("b1", agency=AGENCY_B)):
        pdf_key, _ = object_store.put_derived(record.sha256, PIPELINE_VERSION, "document.pdf", pdf, "application/pdf")
        words_key, _ = object_store.put_derived(record.sha256, PIPELINE_VERSION, "pages.json",
                                                json.dumps(pages).encode(), "application/json")
        files = RecordFiles(original=f"x/{record.id}", pdf=ref(object_store.buckets.derived, pdf_key),
                            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                            words=ref(object_store.buckets.derived, words_key))
        records[record.id] = save_record(record.model_copy(update={"files": files}), services)
    return services, records


def versions(services: Services, record_id: str) -> int:
    return len(services.store.record_versions(services.catalog.record_key(record_id)))


@pytest.mark.integration
def test_page_images_come_from_the_stored_pdf_zoomed_and_cacheable(catalog, object_store, stored):
    desk = logged_in(catalog, object_store)
    page = desk.get("/ho-so/a1").text
    assert 'src="/ho-so/a1/trang/1.png"' in page and 'src="/ho-so/a1/trang/2.png"' in page

    image = desk.get("/ho-so/a1/trang/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    width, height = Image.open(io.BytesIO(image.content)).size
    assert width == 992 and height == pytest.approx(1403, abs=1)  # A4 at 120 dpi
    assert image.headers["cache-control"] == "private, max-age=600"
    zoomed = desk.get("/ho-so/a1/trang/1.png?zoom=2")
    width, height = Image.open(io.BytesIO(zoomed.content)).size
    assert width == 1984 and height == pytest.approx(2807, abs=1)
    assert zoomed.headers["etag"] != image.headers["etag"]
    again = desk.get("/ho-so/a1/trang/1.png", headers={"If-None-Match": image.headers["etag"]})
    assert again.status_code == 304 and not again.content
    assert desk.get("/ho-so/a1/trang/3.png").status_code == 404
    assert desk.get("/ho-so/a1/trang/1.png?zoom=9").status_code == 422


@pytest.mark.integration
def test_fields_carry_the_boxes_of_the_words_they_were_read_from(catalog, object_store, stored):
    _services, _records = stored
    _pdf, pages = scanned_pdf()
    page = logged_in(catalog, object_store).get("/ho-so/a1").text
    holder = field_section(page, "holder_id")
    assert 'data-page="1"' in holder
    boxes = json.loads(re.search(r'data-boxes="([^"]+)"', holder).group(1))
    printed = [w for line in pages[0]["lines"] for w in line["words"] if w["text"] in ("026", "201", "993", "473")]
    assert boxes == [[round(c, 5) for c in w["bbox"]] for w in printed]
    issue = field_section(page, "issue_date")  # the suggestion, found as printed: `21 tháng 01 năm 2020`
    assert len(json.loads(re.search(r'data-boxes="([^"]+)"', issue).group(1))) == 5


@pytest.mark.integration
def test_an_invalid_value_is_refused_next_to_its_field_and_nothing_is_stored(catalog, object_store, stored):
    services, _ = stored
    desk = logged_in(catalog, object_store)
    csrf = form_csrf(desk.get("/ho-so/a1").text)

    refused = desk.post("/ho-so/a1/truong/holder_id", data={"csrf": csrf, "value": "999 090 012 345"})
    assert refused.status_code == 422
    holder = field_section(refused.text, "holder_id")
    assert "Chưa lưu: mã tỉnh 999 không tồn tại." in holder
    assert 'value="999 090 012 345"' in holder and 'aria-invalid="true"' in holder  # kept for another try
    short = desk.post("/ho-so/a1/truong/holder_id", data={"csrf": csrf, "value": "12345"})
    assert "5 chữ số: không phải độ dài của mã định danh nào" in field_section(short.text, "holder_id")
    date = desk.post("/ho-so/a1/truong/issue_date", data={"csrf": csrf, "value": "21/01/2020"})
    assert date.status_code == 422 and "năm-tháng-ngày" in field_section(date.text, "issue_date")
    added = desk.post("/ho-so/a1/them-truong", data={"csrf": csrf, "field": "valid_until", "value": "2020-02-30"})
    assert added.status_code == 422 and "Chưa lưu: không có ngày này trên lịch." in added.text
    unknown = desk.post("/ho-so/a1/truong/favourite_colour", data={"csrf": csrf, "value": "xanh"})
    assert unknown.status_code == 400 and "Không có trường “favourite_colour”" in unescape(unknown.text)
    assert versions(services, "a1") == 1
    assert catalog.get("a1").fields["holder_id"].value == HOLDER_ID


@pytest.mark.integration
def test_a_correction_is_saved_as_a_version_by_the_clerk_and_shown_in_history(catalog, object_store, stored):
    services, _ = stored
    desk = logged_in(catalog, object_store)
    csrf = form_csrf(desk.get("/ho-so/a1").text)

    saved = desk.post("/ho-so/a1/truong/document_number", data={"csrf": csrf, "value": nfc(" 1205 /QĐ-UBND ")},
                      follow_redirects=False)
    assert saved.status_code == 303
    # The record keeps its place in the queue (0.47) though the correction raised its confidence.
    assert saved.headers["location"] == "/ho-so/a1?vi_tri=0.47&xong=luu&truong=document_number#truong-document_number"
    record = catalog.get("a1")
    assert record.fields["document_number"] == RecordField(value="1205/QĐ-UBND", confidence=1.0, source="manual")
    assert record.corrections[-1].by == CLERK_A and versions(services, "a1") == 2
    page = desk.get(saved.headers["location"]).text
    assert "Đã lưu trường Số, ký hiệu." in page
    number = field_section(page, "document_number")
    assert "nhập tay" in number and "data-boxes" in number  # still points at what was misread

    added = desk.post("/ho-so/a1/them-truong", data={"csrf": csrf, "field": "issue_date", "value": "2020-01-21"},
                      follow_redirects=False)
    assert added.status_code == 303 and catalog.get("a1").fields["issue_date"].value == "2020-01-21"
    assert "issue_date" not in catalog.get("a1").suggestions

    history = desk.get("/ho-so/a1/lich-su").text
    assert history.count('class="correction"') == 2
    shown = text_of(history)
    assert f"Số, ký hiệu: 1204/QĐ-UBND → 1205/QĐ-UBND — sửa bởi {CLERK_A}" in shown
    assert f"Ngày ban hành: (trống) → 2020-01-21 — sửa bởi {CLERK_A}" in shown and "Bản ghi được tạo" in shown


@pytest.mark.integration
def test_send_back_needs_a_note_and_approval_ends_the_review(catalog, object_store, stored):
    services, _ = stored
    desk = logged_in(catalog, object_store)
    csrf = form_csrf(desk.get("/ho-so/a1").text)

    empty = desk.post("/ho-so/a1/tra-lai", data={"csrf": csrf, "note": "  "})
    assert empty.status_code == 422 and "Hãy ghi rõ cần xem lại điều gì" in unescape(empty.text)
    note = nfc("Số định danh mờ, cần đối chiếu bản giấy")
    sent = desk.post("/ho-so/a1/tra-lai", data={"csrf": csrf, "note": note}, follow_redirects=False)
    assert sent.status_code == 303
    record = catalog.get("a1")
    assert record.status == "needs_review" and [(n.by, n.note) for n in record.review_notes] == [(CLERK_A, note)]

    approved = desk.post("/ho-so/a1/duyet", data={"csrf": csrf, "note": "đã đối chiếu"}, follow_redirects=False)
    assert approved.status_code == 303
    record = catalog.get("a1")
    assert (record.status, record.approved_by, record.approval_note) == ("digitised", CLERK_A, "đã đối chiếu")
    page = desk.get("/ho-so/a1?xong=duyet").text
    assert "Đã duyệt hồ sơ." in page and f"Đã duyệt bởi {CLERK_A}" in text_of(page) and 'id="approve-form"' not in page
    again = desk.post("/ho-so/a1/duyet", data={"csrf": csrf})
    assert again.status_code == 400 and "Không duyệt được" in again.text
    history = text_of(desk.get("/ho-so/a1/lich-su").text)
    assert f"Duyệt bởi {CLERK_A}" in history and f"Trả lại bởi {CLERK_A}" in history and note in history
    assert versions(services, "a1") == 3


def form_action(page: str, form_id: str) -> str:
    return unescape(re.search(rf'<form method="post" action="([^"]+)" id="{form_id}">', page).group(1))


@pytest.mark.integration
def test_approving_and_sending_back_lead_to_the_next_record_of_the_filtered_queue(catalog, object_store):
    services = Services(None, None, None, object_store, catalog)
    for record_id, batch, confidence in (("q1", "b1", 0.2), ("q2", "b2", 0.3), ("q3", "b1", 0.5), ("q4", "b1", 0.7)):
        save_record(make_record(record_id, confidence=confidence).model_copy(
            update={"batch_id": batch, "batch_name": f"hộp {batch}"}), services)
    desk = logged_in(catalog, object_store)
    queue = desk.get("/hang-cho?lo=b1").text
    assert re.findall(r'<a href="(/ho-so/[^"]+)">', queue) == ["/ho-so/q1?lo=b1", "/ho-so/q3?lo=b1", "/ho-so/q4?lo=b1"]

    # A correction raises q3's lowest confidence to 0.9, past q4's 0.7: it keeps its place all the same.
    page = desk.get("/ho-so/q3?lo=b1").text
    csrf = form_csrf(page)
    saved = desk.post("/ho-so/q3/truong/document_number?lo=b1", data={"csrf": csrf, "value": "1205/QĐ-UBND"},
                      follow_redirects=False)
    assert saved.headers["location"] == "/ho-so/q3?lo=b1&vi_tri=0.5&xong=luu&truong=document_number#truong-document_number"
    page = desk.get(saved.headers["location"]).text
    assert links(page) == ("/ho-so/q1?lo=b1", "/ho-so/q4?lo=b1")
    assert '<a href="/ho-so/q3?lo=b1&amp;vi_tri=0.5">← Về hồ sơ</a>' in desk.get(
        re.search(r'<a href="([^"]+)">Lịch sử thay đổi</a>', page).group(1).replace("&amp;", "&")).text

    # Approving leads to the next record of batch b1 (not to q2 of b2), saying which one was approved.
    assert form_action(page, "approve-form") == "/ho-so/q3/duyet?lo=b1&vi_tri=0.5"
    approved = desk.post(form_action(page, "approve-form"), data={"csrf": csrf}, follow_redirects=False)
    assert approved.status_code == 303 and catalog.get("q3").status == "digitised"
    assert approved.headers["location"] == "/ho-so/q4?lo=b1&xong=duyet&vua=q3"
    page = desk.get(approved.headers["location"]).text
    assert "Đã duyệt hồ sơ “q3.pdf”. Đây là hồ sơ tiếp theo trong hàng chờ." in unescape(page)
    assert links(page) == ("/ho-so/q1?lo=b1", "")

    # Sent back, the last record of the queue leads round to the first one still waiting.
    sent = desk.post(form_action(page, "send-back-form"), data={"csrf": csrf, "note": "xem lại số"},
                     follow_redirects=False)
    assert sent.headers["location"] == "/ho-so/q1?lo=b1&xong=tra-lai&vua=q4"
    assert "Đã trả lại hồ sơ “q4.pdf” kèm ghi chú" in unescape(desk.get(sent.headers["location"]).text)
    assert desk.post("/ho-so/q1/duyet?lo=b1", data={"csrf": csrf}, follow_redirects=False).headers["location"] == \
        "/ho-so/q4?lo=b1&xong=duyet&vua=q1"
    # The queue's last record approved: back on it, with nothing left to go to.
    last = desk.post("/ho-so/q4/duyet?lo=b1", data={"csrf": csrf}, follow_redirects=False)
    assert last.headers["location"] == "/ho-so/q4?lo=b1&xong=duyet"
    assert "Đã duyệt hồ sơ." in desk.get(last.headers["location"]).text
    assert catalog.get("q2").status == "needs_review"


@pytest.mark.integration
def test_a_form_without_its_csrf_token_changes_nothing(catalog, object_store, stored):
    services, _ = stored
    desk = logged_in(catalog, object_store)
    desk.get("/ho-so/a1")
    for path, data in (("/ho-so/a1/truong/holder_id", {"value": "026201993474"}), ("/ho-so/a1/duyet", {}),
                       ("/ho-so/a1/tra-lai", {"note": "x"})):
        assert desk.post(path, data=data).status_code == 403
        assert desk.post(path, data={**data, "csrf": "not-the-token"}).status_code == 403
    assert versions(services, "a1") == 1 and catalog.get("a1").status == "needs_review"
