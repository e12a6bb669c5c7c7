"""PDF/A-2b archive copies (Circular 05/2025), made by the real Ghostscript and checked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.assemble import TEXT_FONT_FILE, PdfBuilder
from ocr.pdfa import PdfaError, to_pdfa, validate_pdfa
from ocr.types import Line, Word

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")

DPI = 300
SIZE = (2480, 1400)  # the top of an A4 page at 300 dpi


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def page_texts(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [normalise(page.get_text()) for page in doc]


def line(top: float, bottom: float, *words: tuple[str, float, float]) -> Line:
    return Line.from_words([Word(text=text, confidence=0.9, bbox=(x0, top, x1, bottom)) for text, x0, x1 in words], 0)


COLOUR_LINES = [
    line(0.10, 0.14, ("SỞ", 0.09, 0.13), ("TƯ", 0.14, 0.18), ("PHÁP", 0.19, 0.27)),
    line(0.10, 0.14, ("CỘNG", 0.52, 0.60), ("HÒA", 0.61, 0.67), ("XÃ", 0.68, 0.72), ("HỘI", 0.73, 0.78)),
    line(0.40, 0.45, ("Được", 0.10, 0.17), ("hướng", 0.18, 0.27), ("dẫn", 0.28, 0.33), ("Nguyễn", 0.40, 0.51)),
]
BILEVEL_LINES = [
    line(0.30, 0.35, ("Nơi", 0.10, 0.15), ("nhận:", 0.16, 0.24), ("Lưu", 0.30, 0.36), ("VT", 0.37, 0.41)),
]


def jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, dpi=(DPI, DPI))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def colour_scan() -> Image.Image:
    image = Image.new("RGB", SIZE, (250, 246, 235))
    ImageDraw.Draw(image).ellipse((1700, 600, 2200, 1100), outline=(210, 20, 20), width=14)  # a red seal
    return image


@pytest.fixture(scope="module")
def assembled(colour_scan) -> bytes:
    builder = PdfBuilder()
    builder.add_image_page(colour_scan, DPI, jpeg_bytes(colour_scan), lines=COLOUR_LINES)
    builder.add_image_page(Image.new("1", SIZE, 1), DPI, lines=BILEVEL_LINES)
    return builder.build()


@pytest.fixture(scope="module")
def archived(assembled) -> bytes:
    return to_pdfa(assembled)


def test_the_archive_copy_passes_the_pdfa_checks(archived):
    assert validate_pdfa(archived) == []


# ---- checks by other tools than ours (veraPDF, the reference, cannot be installed here) ----

def qpdf_check(pdf: bytes) -> subprocess.CompletedProcess:
    """qpdf's structural check: header, cross-reference table, objects, every stream decoded.

    Exit 0 is clean, 2 errors, 3 warnings (qpdf repaired something).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)


def pdfa_identification(pdf: bytes) -> str:
    """The PDF/A part and conformance the XMP declares, as pikepdf (OCRmyPDF's library) reads it."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return doc.open_metadata().pdfa_status


needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")


@needs_qpdf
def test_qpdf_finds_nothing_wrong_with_the_archive_copy(archived):
    result = qpdf_check(archived)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@needs_qpdf
def test_qpdf_reports_a_damaged_file(archived):
    result = qpdf_check(archived[: len(archived) * 3 // 4])
    assert result.returncode in (2, 3)


def test_pikepdf_reads_the_archive_copy_as_pdfa_2b(archived, assembled):
    assert pdfa_identification(archived) == "2B"
    assert pdfa_identification(assembled) == ""


def test_the_text_survives_ghostscript(assembled, archived):
    expected = [normalise("\n".join(line.text for line in lines)) for lines in (COLOUR_LINES, BILEVEL_LINES)]
    assert page_texts(assembled) == expected
    assert page_texts(archived) == expected


def test_the_colour_scan_stays_the_same_colour_jpeg(archived, colour_scan):
    with pymupdf.open(stream=archived, filetype="pdf") as doc:
        (xref, *_), = doc[0].get_images()
        image = doc.extract_image(xref)
        assert image["ext"] == "jpeg" and image["colorspace"] == 3
        assert image["image"].startswith(jpeg_bytes(colour_scan))  # passed through, not re-encoded


def test_the_bilevel_scan_stays_bilevel(archived):
    with pymupdf.open(stream=archived, filetype="pdf") as doc:
        (xref, *_), = doc[1].get_images()
        assert doc.extract_image(xref)["bpc"] == 1


def test_every_scan_keeps_its_resolution(archived):
    with pymupdf.open(stream=archived, filetype="pdf") as doc:
        for page in doc:
            (image,) = page.get_image_info()
            width_inches = (image["bbox"][2] - image["bbox"][0]) / 72
            assert image["width"] / width_inches == pytest.approx(DPI, abs=1)


def test_a_plain_pdf_is_not_pdfa(assembled):
    problems = validate_pdfa(assembled)
    assert any("XMP /Metadata" in problem for problem in problems)
    assert any("OutputIntent" in problem for problem in problems)


def test_unembedded_fonts_and_launch_actions_are_reported():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Base 14", fontname="helv")
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(10, 10, 50, 50), "file": "run.exe"})
    problems = validate_pdfa(doc.tobytes())
    assert any("Helvetica is not embedded" in problem for problem in problems)
    assert any("Launch action" in problem for problem in problems)


def test_a_scan_below_200_dpi_is_reported():
    builder = PdfBuilder()
    builder.add_image_page(Image.new("L", (850, 1100), 255), 100)
    assert any("100 x 100 dpi, below 200" in problem for problem in validate_pdfa(builder.build()))


@pytest.mark.parametrize("user_password", ["mật-khẩu", ""])
def test_an_encrypted_pdf_is_refused(assembled, user_password):
    with pymupdf.open(stream=assembled, filetype="pdf") as doc:
        encrypted = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_password, owner_pw="owner")
    with pytest.raises(PdfaError, match="encrypted"):
        to_pdfa(encrypted)
    assert any("encrypted" in problem for problem in validate_pdfa(encrypted))


def test_a_damaged_pdf_is_refused(assembled):
    with pytest.raises(PdfaError):
        to_pdfa(assembled[: len(assembled) // 2])


def test_device_cmyk_on_a_copied_page_becomes_icc_based():
    """PDF/A forbids DeviceCMYK beside an sRGB output intent."""
    source = pymupdf.open()
    source.new_page().draw_rect(pymupdf.Rect(50, 50, 200, 200), color=None, fill=(0.1, 0.9, 0.2, 0.0))
    builder = PdfBuilder()
    builder.add_source_page(source, 0)
    with pymupdf.open(stream=to_pdfa(builder.build()), filetype="pdf") as doc:
        contents = doc[0].read_contents()
    assert b" scn" in contents and not re.search(rb"\sk\s", contents)


def test_a_born_digital_page_made_with_pymupdf_keeps_its_text():
    """PyMuPDF writes ToUnicode ranges that Ghostscript 10.0 misreads; the builder rewrites them."""
    source = pymupdf.open()
    source.new_page().insert_text((72, 72), "Sở Tư pháp hướng dẫn số hóa", fontname="serif",
                                  fontfile=str(TEXT_FONT_FILE))
    builder = PdfBuilder()
    builder.add_source_page(source, 0)
    assert page_texts(to_pdfa(builder.build())) == ["Sở Tư pháp hướng dẫn số hóa"]


# ---- end to end: a scanned Decree 30 page through Tesseract, the builder and Ghostscript ----

def decree_30_page() -> bytes:
    image = Image.new("RGB", SIZE, (252, 250, 244))
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(TEXT_FONT_FILE), 54)  # 13 pt at 300 dpi
    bold = ImageFont.truetype(str(TEXT_FONT_FILE.with_name("LiberationSerif-Bold.ttf")), 54)
    draw.text((180, 150), "UBND TỈNH VĨNH PHÚC", font=regular, fill="black")
    draw.text((300, 225), "SỞ TƯ PHÁP", font=bold, fill="black")
    draw.text((1280, 150), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold, fill="black")
    draw.text((1500, 225), "Độc lập - Tự do - Hạnh phúc", font=bold, fill="black")
    draw.text((250, 600), "Về việc hướng dẫn số hóa Sổ đăng ký hộ tịch của ông Nguyễn Văn Được.",
              font=regular, fill="black")
    return jpeg_bytes(image)


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
@needs_qpdf
def test_the_archive_copy_reads_as_the_record():
    from ocr.pipeline import read_document

    result = read_document(decree_30_page())
    first_line = result.pages[0].lines[0]
    assert first_line.bbox[2] < 0.5  # the record starts with the left header column, not a glued row
    archived = to_pdfa(result.pdf)
    assert validate_pdfa(archived) == []
    assert pdfa_identification(archived) == "2B"
    assert qpdf_check(archived).returncode == 0
    assert " ".join(page_texts(archived)) == normalise(result.text)
