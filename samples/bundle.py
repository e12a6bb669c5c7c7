"""The committed sample batch (samples/batch) and its truth (samples/truth/batch.json).

Five good documents in the formats archive staff hand in, one byte-identical duplicate, and three
bad files, one per input error the pipeline must report. Rebuilt byte for byte by
`python -m samples.generate --bundled`: fixed seeds, fixed PDF dates, no random PDF ids, and a
seeded MuPDF random generator for the encryption.
"""

from __future__ import annotations

import ctypes
import io
import random
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from samples.generate import document_bytes, make_document, truth_entry, write_json

HERE = Path(__file__).parent
BATCH_DIR = HERE / "batch"
TRUTH_FILE = HERE / "truth" / "batch.json"
USER_PASSWORD = "sohoa-2024"  # the password of the encrypted sample, for tests that open it
OWNER_PASSWORD = "sohoa-owner"
TRUNCATE_AT = 0.55  # share of the bytes an interrupted copy kept


@dataclass(frozen=True)
class GoodFile:
    name: str
    seed: int
    doc_type: str
    variant: str | None
    condition: str
    fmt: str


GOOD_FILES = (
    GoodFile("01 Quyết định giao đất.jpg", 2201, "quyet_dinh", "land_allocation", "scan", "jpeg"),
    GoodFile("02 Công văn Sở Tư pháp.pdf", 2202, "cong_van", "justice", "clean", "pdf-text"),
    GoodFile("03 Giấy chứng nhận hộ kinh doanh.png", 2203, "giay_chung_nhan_hkd", None, "dpi200+grey", "png"),
    GoodFile("04 Trích lục khai sinh.pdf", 2204, "trich_luc_khai_sinh", None, "scan", "pdf-scan"),
    GoodFile("05 Quyết định công nhận.tif", 2205, "quyet_dinh", "recognition", "scan+grey", "tiff"),
)
# Named to sort after its original: ingest goes in path order, and the first copy is the one kept.
DUPLICATE, DUPLICATE_OF = "09 Bản sao quyết định giao đất.jpg", "01 Quyết định giao đất.jpg"
TRUNCATED = "06 Hồ sơ bị cắt ngang.pdf"
ENCRYPTED = "07 Tài liệu có mật khẩu.pdf"
NOT_A_PDF = "08 Bảng kê.pdf"

ENCRYPTION_SEED = 2024


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def seed_mupdf_random(seed: int) -> bool:
    """Seeds MuPDF's own random generator, which draws the AES-256 file key, salts and IVs.

    MuPDF seeds it from the clock once per process, so without this the encrypted sample would
    change bytes on every rebuild. `fz_srand48` is exported by libmupdf but not wrapped by PyMuPDF.
    """
    try:
        library = ctypes.CDLL(str(next(Path(pymupdf.__file__).parent.glob("libmupdf.so*"))))
        library.fz_srand48.argtypes = [ctypes.c_void_p, ctypes.c_int32]
        library.fz_srand48(int(pymupdf.mupdf.internal_context_get().this), seed)
    except (StopIteration, OSError, AttributeError):
        return False
    return True


def encrypt_pdf(data: bytes, user_password: str, owner_password: str) -> bytes:
    if not seed_mupdf_random(ENCRYPTION_SEED):
        warnings.warn("cannot seed MuPDF's random generator: the encrypted sample will differ byte-wise",
                      stacklevel=2)
    doc = pymupdf.open(stream=data, filetype="pdf")
    return doc.tobytes(garbage=4, deflate=True, encryption=pymupdf.PDF_ENCRYPT_AES_256,
                       user_pw=user_password, owner_pw=owner_password)


def fake_pdf_bytes() -> bytes:
    """A ZIP (a spreadsheet export) that someone saved with a .pdf name."""
    buffer = io.BytesIO()
    rows = "STT,Số hồ sơ,Tên thủ tục,Ngày nhận\n1,000.00.53.H62-240105-0012,Đăng ký khai sinh,05/01/2024\n"
    entry = zipfile.ZipInfo("bang_ke.csv", date_time=(2024, 1, 5, 8, 0, 0))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, rows.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def good_files() -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    contents, truth = {}, []
    for good in GOOD_FILES:
        doc = make_document(random.Random(good.seed), good.doc_type, good.condition, good.variant)
        name = nfc(good.name)
        contents[name] = document_bytes(doc, good.fmt)
        truth.append({"file": name, "expected_status": "digitised", **truth_entry(name, good.fmt, doc)})
    return contents, truth


def bad_files() -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    notice = make_document(random.Random(2206), "thong_bao", "scan")
    scanned = document_bytes(notice, "pdf-scan")
    permit = make_document(random.Random(2207), "giay_phep_xay_dung")
    contents = {
        nfc(TRUNCATED): scanned[:round(len(scanned) * TRUNCATE_AT)],
        nfc(ENCRYPTED): encrypt_pdf(document_bytes(permit, "pdf-text"), USER_PASSWORD, OWNER_PASSWORD),
        nfc(NOT_A_PDF): fake_pdf_bytes(),
    }
    errors = {TRUNCATED: "truncated_file", ENCRYPTED: "encrypted_pdf", NOT_A_PDF: "unsupported_type"}
    truth = [{"file": nfc(name), "expected_status": "failed", "expected_error": code} for name, code in errors.items()]
    return contents, truth


def bundle_contents() -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """The nine files (name to bytes) and the truth entries, in batch order."""
    contents, truth = good_files()
    contents[nfc(DUPLICATE)] = contents[nfc(DUPLICATE_OF)]
    truth.insert(1, {"file": nfc(DUPLICATE), "expected_status": "duplicate", "duplicate_of_file": nfc(DUPLICATE_OF)})
    bad_contents, bad_truth = bad_files()
    return contents | bad_contents, truth + bad_truth


def write_bundle() -> list[Path]:
    """Writes the nine files and the truth file; returns the paths written."""
    contents, truth = bundle_contents()
    BATCH_DIR.mkdir(exist_ok=True)
    TRUTH_FILE.parent.mkdir(exist_ok=True)
    paths = []
    for name, data in contents.items():
        path = BATCH_DIR / name
        path.write_bytes(data)
        paths.append(path)
    write_json(TRUTH_FILE, truth)
    return [*paths, TRUTH_FILE]
