"""The invalid-input matrix: every way a file can be bad ends in one typed error."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pymupdf
import pytest
from PIL import Image

from ocr import errors
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from ocr.sniff import sniff_media_type
from samples import bundle


def _png(width=40, height=30, mode="L") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (250, 250, 240)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _pdf(encrypt: bool = False) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "hello")
    if encrypt:
        return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="mật-khẩu", owner_pw="owner")
    return doc.tobytes()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb."""
    data = bytearray(_png(1, 1))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


BAD_INPUTS = {
    "empty": (b"", errors.EmptyFile, "empty_file"),
    "text": ("Bảng kê hồ sơ\n".encode(), errors.UnsupportedType, "unsupported_type"),
    "zip": (b"PK\x03\x04" + b"\0" * 100, errors.UnsupportedType, "unsupported_type"),
    "truncated pdf": (_pdf()[:300], errors.TruncatedFile, "truncated_file"),
    "encrypted pdf": (_pdf(encrypt=True), errors.EncryptedPdf, "encrypted_pdf"),
    "corrupt pdf": (b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", errors.CorruptFile, "corrupt_file"),
    "truncated jpeg": (_jpeg()[:400], errors.TruncatedFile, "truncated_file"),
    "truncated png": (_png(400, 300, "RGB")[:60], errors.TruncatedFile, "truncated_file"),
    "corrupt png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, errors.CorruptFile, "corrupt_file"),
    "bomb png": (_png_declaring(60000, 60000), errors.ImageTooLarge, "image_too_large"),
}


@pytest.mark.parametrize("on_disk", [False, True], ids=["bytes", "path"])
@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_a_typed_error(name, on_disk, tmp_path):
    data, error_type, code = BAD_INPUTS[name]
    source = data
    if on_disk:  # as process_document reads an original, streamed to a file
        source = tmp_path / "original"
        source.write_bytes(data)
    with pytest.raises(errors.InputError) as caught:
        read_document(source, OcrSettings())
    assert type(caught.value) is error_type and caught.value.code == code  # not merely a related error
    assert caught.value.message


@pytest.mark.parametrize("name, error_type", [(bundle.TRUNCATED, errors.TruncatedFile),
                                               (bundle.ENCRYPTED, errors.EncryptedPdf),
                                               (bundle.NOT_A_PDF, errors.UnsupportedType)])
def test_the_bundled_bad_files_fail_with_the_error_their_truth_names(name, error_type):
    [truth] = [entry for entry in json.loads(bundle.TRUTH_FILE.read_text(encoding="utf-8")) if entry["file"] == name]
    with pytest.raises(errors.InputError) as caught:
        read_document((bundle.BATCH_DIR / name).read_bytes(), OcrSettings())
    assert type(caught.value) is error_type and caught.value.code == truth["expected_error"]


def test_decompression_bomb_cap_is_configurable():
    with pytest.raises(errors.ImageTooLarge, match="MAX_IMAGE_PIXELS"):
        read_document(_png(2000, 1000), OcrSettings(max_page_pixels=500_000, max_image_pixels=1_000_000))


def test_file_size_cap():
    with pytest.raises(errors.FileTooLarge):
        read_document(_jpeg(), OcrSettings(max_file_bytes=100))


@pytest.mark.parametrize(
    "data, expected",
    [
        (_png(), "image/png"),
        (_jpeg(), "image/jpeg"),
        (_pdf(), "application/pdf"),
        (b"II*\x00rest", "image/tiff"),
        (b"MM\x00*rest", "image/tiff"),
        (b"junk\n%PDF-1.4 rest", "application/pdf"),
        (b"GIF89a", None),
    ],
)
def test_sniff_reads_bytes_not_names(data, expected):
    assert sniff_media_type(data) == expected


@pytest.mark.integration
def test_blank_page_reads_as_no_words_not_a_crash():
    # A blank page has no words: the document is readable but nothing was read from it.
    result = read_document(_png(600, 800))
    assert result.pages[0].outcome == "ok"
    assert result.pages[0].lines == []



def test_a_born_digital_pdf_on_disk_is_its_own_archive_copy_byte_for_byte(tmp_path):
    path = tmp_path / "original"
    path.write_bytes((bundle.BATCH_DIR / "02 Công văn Sở Tư pháp.pdf").read_bytes())
    result = read_document(path, OcrSettings())
    assert all(page.method == "text_layer" for page in result.pages)
    assert result.pdf == path.read_bytes()


def test_the_searchable_pdf_can_go_to_a_file_instead_of_memory(tmp_path):
    path = tmp_path / "original"
    path.write_bytes((bundle.BATCH_DIR / "02 Công văn Sở Tư pháp.pdf").read_bytes())
    written = tmp_path / "searchable.pdf"
    result = read_document(path, OcrSettings(), pdf_path=written)
    assert result.pdf == b"" and written.read_bytes() == path.read_bytes()
