"""The sample generator: determinism, truth that follows docs/fields.md, and the committed batch."""

from __future__ import annotations

import functools
import io
import json
import random
import re
import shutil
import unicodedata
import zipfile
from datetime import date

import pymupdf
import pytest
from PIL import Image

from samples import bundle, content
from samples.generate import document_bytes, make_document, truth_of
from samples.layout import layout_document
from samples.specs import BUILDERS, build_spec

CONTRACT_TYPES = {"quyet_dinh", "giay_chung_nhan_qsdd", "giay_chung_nhan_dkdn", "giay_chung_nhan_hkd",
                  "giay_phep_xay_dung", "trich_luc_khai_sinh", "giay_khai_sinh", "giay_chung_nhan_ket_hon",
                  "xac_nhan_tinh_trang_hon_nhan", "chung_thuc", "cong_van", "thong_bao", "ke_hoach", "bao_cao",
                  "de_an", "other"}
ALWAYS = {"document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title"}
HOLDER_FIELDS = {
    "giay_chung_nhan_hkd": {"holder_name", "holder_id", "address"},
    "trich_luc_khai_sinh": {"holder_name", "holder_id"},
    "giay_phep_xay_dung": {"holder_name", "address"},
}
CERTIFICATES = set(HOLDER_FIELDS)  # they print no trích yếu, so they carry no summary
PLACE_WORDS = ("tỉnh ", "huyện ", "xã ", "phường ", "thị trấn ", "thành phố ", "thị xã ")
PROVINCE_CODES = {content.PROVINCE_CODE, *content.OTHER_PROVINCE_CODES}
BIRTH_DATE = re.compile(r"(?:Sinh ngày|Ngày, tháng, năm sinh): \d{2}/\d{2}/(\d{4})")
GENDER = re.compile(r"Giới tính: (Nam|Nữ)")
MAX_BATCH_BYTES = 5 * 1024 * 1024


@functools.cache
def all_truths() -> list[dict]:
    """Truth of every document type and variant over a few seeds, without rendering pages."""
    truths = []
    for doc_type, variants in BUILDERS.items():
        for variant in variants:
            for seed in range(25):
                rng = random.Random(seed)
                spec = build_spec(rng, doc_type, variant)
                truths.append(truth_of(spec, layout_document(spec, rng)))
    return truths


def capitalised(name: str) -> bool:
    return all(syllable[0].isupper() and syllable[1:] == syllable[1:].lower() for syllable in name.split())


def decree30_date(day: date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# ---- determinism ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["png", "jpeg", "pdf-scan", "pdf-text"])
def test_same_seed_gives_same_truth_and_bytes(fmt):
    first = make_document(random.Random(5), "cong_van", "dpi200+scan")
    second = make_document(random.Random(5), "cong_van", "dpi200+scan")
    assert first.truth == second.truth
    assert document_bytes(first, fmt) == document_bytes(second, fmt)


def test_different_seeds_give_different_documents():
    one = make_document(random.Random(1), "quyet_dinh", "dpi200")
    two = make_document(random.Random(2), "quyet_dinh", "dpi200")
    assert one.truth != two.truth


def test_conditions_set_resolution_and_mode():
    assert make_document(random.Random(3), "thong_bao", "dpi200").pages[0].size == (1654, 2339)
    assert make_document(random.Random(3), "thong_bao", "dpi200+grey").pages[0].mode == "L"
    assert make_document(random.Random(3), "thong_bao", "dpi200+bilevel").pages[0].mode == "1"
    with pytest.raises(ValueError):
        make_document(random.Random(3), "thong_bao", "sepia")


def test_single_image_formats_refuse_multi_page_documents():
    doc = make_document(random.Random(4), "quyet_dinh", "dpi200", variant="recognition")
    assert len(doc.pages) == 2
    with pytest.raises(ValueError):
        document_bytes(doc, "jpeg")
    with Image.open(io.BytesIO(document_bytes(doc, "tiff"))) as tiff:
        assert tiff.n_frames == 2


# ---- truth follows docs/fields.md -------------------------------------------------------------

def test_truth_has_the_fields_each_type_prints():
    for truth in all_truths():
        fields, doc_type = truth["fields"], truth["document_type"]
        assert doc_type in CONTRACT_TYPES
        expected = ALWAYS | HOLDER_FIELDS.get(doc_type, set()) | (set() if doc_type in CERTIFICATES else {"summary"})
        assert set(fields) == expected, doc_type
        for value in fields.values():
            assert value == unicodedata.normalize("NFC", value) and value == " ".join(value.split()) and value


def test_header_fields_match_the_printed_header():
    for truth in all_truths():
        fields, first_page = truth["fields"], truth["page_texts"][0]
        number = fields["document_number"]
        assert re.fullmatch(r"\d+(/\d{4})?/\S+", number) and " " not in number
        printed_number = re.search(r"Số: (.+)", first_page).group(1)
        assert "".join(printed_number.split()) == number
        day = date.fromisoformat(fields["issue_date"])
        assert date(2019, 1, 1) <= day <= date(2024, 12, 31)
        assert f"{fields['issue_place']}, {decree30_date(day)}" in first_page.splitlines()


def test_issuer_signer_and_summary_follow_the_conventions():
    for truth in all_truths():
        fields, last_page = truth["fields"], truth["page_texts"][-1].splitlines()
        assert fields["issuer"][0].isupper() and any(word in fields["issuer"] for word in PLACE_WORDS)
        assert "UBND" not in fields["issuer"]
        assert capitalised(fields["signer"]) and last_page[-1] == fields["signer"]
        assert last_page[-2] == fields["signer_title"].upper() and fields["signer_title"][0].isupper()
        summary = fields.get("summary", "")
        assert not summary.startswith("V/v")
        if truth["document_type"] == "cong_van":
            assert "V/v " + summary.split()[0] in truth["page_texts"][0]


def test_holder_fields_are_printed_and_personal_numbers_are_valid():
    for truth in all_truths():
        fields, text = truth["fields"], "\n".join(truth["page_texts"])
        if "holder_name" in fields:
            assert capitalised(fields["holder_name"]) and fields["holder_name"].upper() in text
        if "address" in fields:
            assert fields["address"] in " ".join(text.splitlines())
        if "holder_id" in fields:
            holder_id = fields["holder_id"]
            assert re.fullmatch(r"\d{12}", holder_id) and holder_id[:3] in PROVINCE_CODES
            assert holder_id in text.replace(" ", "")
            birth_year = int(BIRTH_DATE.search(text).group(1))
            female = GENDER.search(text).group(1) == "Nữ"
            assert int(holder_id[3]) == (birth_year // 100 - 19) * 2 + female
            assert holder_id[4:6] == f"{birth_year % 100:02d}"


# ---- the committed batch ----------------------------------------------------------------------

def batch_truth() -> dict[str, dict]:
    entries = json.loads(bundle.TRUTH_FILE.read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in entries}


def test_batch_holds_exactly_the_nine_files_with_nfc_names():
    names = sorted(path.name for path in bundle.BATCH_DIR.iterdir())
    assert len(names) == 9
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert set(names) == set(batch_truth())
    assert sum(path.stat().st_size for path in bundle.BATCH_DIR.iterdir()) < MAX_BATCH_BYTES


def test_batch_truth_statuses():
    truth = batch_truth()
    statuses = [entry["expected_status"] for entry in truth.values()]
    assert statuses.count("digitised") == 5 and statuses.count("failed") == 3 and statuses.count("duplicate") == 1
    errors = {entry["expected_error"] for entry in truth.values() if entry["expected_status"] == "failed"}
    assert errors == {"truncated_file", "encrypted_pdf", "unsupported_type"}
    for entry in truth.values():
        if entry["expected_status"] == "digitised":
            assert entry["pages"] == len(entry["page_texts"]) and entry["fields"]


def test_duplicate_is_byte_identical():
    original = (bundle.BATCH_DIR / bundle.DUPLICATE_OF).read_bytes()
    assert (bundle.BATCH_DIR / bundle.DUPLICATE).read_bytes() == original
    assert batch_truth()[bundle.DUPLICATE]["duplicate_of_file"] == bundle.DUPLICATE_OF


def test_good_files_have_the_promised_format_and_resolution():
    batch = bundle.BATCH_DIR
    with Image.open(batch / "01 Quyết định giao đất.jpg") as jpeg:
        assert jpeg.format == "JPEG" and jpeg.mode == "RGB" and jpeg.info["dpi"] == (300, 300)
    with Image.open(batch / "03 Giấy chứng nhận hộ kinh doanh.png") as png:
        assert png.mode == "L" and round(png.info["dpi"][0]) == 200
    with Image.open(batch / "05 Quyết định công nhận.tif") as tiff:
        assert tiff.n_frames == 2 and round(tiff.info["dpi"][0]) == 300
    scanned = pymupdf.open(batch / "04 Trích lục khai sinh.pdf")
    assert scanned[0].get_text().strip() == "" and scanned[0].get_images()
    digital = pymupdf.open(batch / "02 Công văn Sở Tư pháp.pdf")
    text_layer = unicodedata.normalize("NFC", digital[0].get_text()).strip()
    assert text_layer == batch_truth()["02 Công văn Sở Tư pháp.pdf"]["page_texts"][0]


def test_bad_files_are_really_bad():
    truncated = (bundle.BATCH_DIR / bundle.TRUNCATED).read_bytes()
    assert truncated.startswith(b"%PDF-") and b"%%EOF" not in truncated[-1024:]
    encrypted = pymupdf.open(bundle.BATCH_DIR / bundle.ENCRYPTED)
    assert encrypted.needs_pass and encrypted.authenticate(bundle.USER_PASSWORD)
    fake = bundle.BATCH_DIR / bundle.NOT_A_PDF
    assert not fake.read_bytes().startswith(b"%PDF") and zipfile.is_zipfile(fake)


def test_bundle_rebuilds_byte_identically():
    contents, truth = bundle.bundle_contents()
    for name, data in contents.items():
        drifted = f"{name} differs from a rebuild: run python -m samples.generate --bundled"
        assert (bundle.BATCH_DIR / name).read_bytes() == data, drifted
    assert json.loads(bundle.TRUTH_FILE.read_text(encoding="utf-8")) == truth


# ---- legibility -------------------------------------------------------------------------------

@pytest.mark.integration
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_tesseract_reads_number_and_issuer(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    doc = make_document(random.Random(11), "cong_van", "clean", variant="justice")
    text = unicodedata.normalize("NFC", pytesseract.image_to_string(doc.pages[0], lang="vie", config="--dpi 300"))
    assert doc.truth["fields"]["document_number"] in "".join(text.split())
    assert "SỞ TƯ PHÁP" in text
