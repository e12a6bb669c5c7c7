"""PDF/A-2b declared in place: pages untouched, only files whose content allows it; the rest go to Ghostscript."""

from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf
import pymupdf
import pytest
from PIL import Image

from flows.steps import archive_pdf
from ocr.assemble import TEXT_FONT_FILE, PdfBuilder
from ocr.pdfa import validate_pdfa
from ocr.pdfa_inplace import NotEligible, declare_pdfa, make_pdfa
from ocr.types import DocumentResult, Line, PageResult, Word

TEXT = "Sở Tư pháp hướng dẫn số hóa Sổ đăng ký hộ tịch"


def born_digital(pages: int = 2, **save_options) -> bytes:
    with pymupdf.open() as doc:
        for _ in range(pages):
            doc.new_page().insert_text((72, 72), TEXT, fontname="serif", fontfile=str(TEXT_FONT_FILE))
        doc.set_metadata({"title": "Công văn", "author": "Sở Tư pháp", "creationDate": "D:20250301090000+07'00'"})
        return doc.tobytes(**save_options)


def scanned() -> bytes:
    """What sohoa assembles for a scan: the page image with its invisible text layer."""
    buffer = io.BytesIO()
    Image.new("L", (1654, 2339), 250).save(buffer, format="JPEG")  # A4 at 200 dpi
    word = Word(text="Quyết", confidence=0.9, bbox=(0.1, 0.1, 0.2, 0.12))
    builder = PdfBuilder()
    builder.add_image_page(Image.new("L", (1654, 2339), 250), 200, buffer.getvalue(),
                           lines=[Line.from_words([word], block=0)])
    return builder.build()


def contents(pdf: bytes) -> list[bytes]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [page.read_contents() for page in doc]


@pytest.mark.parametrize("make", [born_digital, scanned])
def test_a_pdf_is_declared_pdfa_with_its_pages_untouched(make):
    pdf = make()
    archived = make_pdfa(pdf)
    assert validate_pdfa(archived) == []
    with pikepdf.open(io.BytesIO(archived)) as doc:
        assert doc.open_metadata().pdfa_status == "2B"  # as OCRmyPDF's library reads it
    assert contents(archived) == contents(pdf)


def test_a_file_is_declared_where_it_lies_and_rewritten_whole_when_its_header_lacks_binary_bytes(tmp_path):
    pdf = born_digital()
    assert pdf.startswith(b"%PDF-1.7\n%\xc2\xb5\xc2\xb6\n")
    pdf = pdf.replace(b"%\xc2\xb5\xc2\xb6", b"%abcd", 1)  # same length: the offsets stay right
    assert "the header is not followed by a comment of at least four binary bytes" in validate_pdfa(pdf)
    path = tmp_path / "archive.pdf"
    path.write_bytes(pdf)
    declare_pdfa(path)
    assert validate_pdfa(path) == []
    assert not path.read_bytes().startswith(pdf)  # rewritten, not appended to
    assert contents(path.read_bytes()) == contents(pdf)
    assert [p.name for p in tmp_path.iterdir()] == ["archive.pdf"]


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_nothing_wrong(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdfa(born_digital()))
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def with_page(draw) -> bytes:
    with pymupdf.open(stream=born_digital(1), filetype="pdf") as doc:
        draw(doc[0])
        return doc.tobytes()


@pytest.mark.parametrize("draw, reason", [
    (lambda page: page.draw_rect(pymupdf.Rect(50, 50, 200, 200), fill=(0.1, 0.9, 0.2, 0.0)), "CMYK colour"),
    (lambda page: page.add_text_annot((100, 100), "ghi chú"), "Text annotation"),
])
def test_content_pdfa_forbids_beside_srgb_goes_to_ghostscript(draw, reason):
    with pytest.raises(NotEligible, match=reason):
        make_pdfa(with_page(draw))


def test_a_link_stays_and_is_made_printable():
    pdf = with_page(lambda page: page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 200, 80),
                                                   "uri": "https://example.vn"}))
    with pymupdf.open(stream=make_pdfa(pdf), filetype="pdf") as doc:
        [xref] = [a[0] for a in doc[0].annot_xrefs()]
        assert doc.xref_get_key(xref, "F") == ("int", "4")


def test_unembedded_fonts_go_to_ghostscript():
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Helvetica")  # a base-14 font, never embedded
        pdf = doc.tobytes()
    with pytest.raises(NotEligible, match="not embedded"):
        make_pdfa(pdf)


def test_a_born_digital_document_is_its_own_searchable_pdf():
    """All pages from the text layer: the builder hands back the original, byte for byte."""
    original = born_digital(3)
    with pymupdf.open(stream=original, filetype="pdf") as source:
        builder = PdfBuilder(original=original)
        for index in range(source.page_count):
            builder.add_source_page(source, index)
        builder.end_source()
    assert builder.build() is original


def test_a_document_with_one_scanned_page_is_assembled():
    original = born_digital(2)
    with pymupdf.open(stream=original, filetype="pdf") as source:
        builder = PdfBuilder(original=original)
        builder.add_source_page(source, 0)
        builder.add_image_page(Image.new("L", (1654, 2339), 250), 200)
        builder.add_source_page(source, 1)
        builder.end_source()
    pdf = builder.build()
    assert pdf != original
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert [bool(page.get_text().strip()) for page in doc] == [True, False, True]


def test_an_owner_password_pdf_is_not_its_own_archive_copy():
    original = born_digital(1, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="")
    with pymupdf.open(stream=original, filetype="pdf") as source:
        builder = PdfBuilder(original=original)
        builder.add_source_page(source, 0)
        builder.end_source()
    assert builder.build() != original


def test_archive_pdf_declares_a_born_digital_document_in_place(tmp_path):
    pdf = born_digital()
    pages = [PageResult(number=n, method="text_layer") for n in (1, 2)]
    path = tmp_path / "document.pdf"
    pdf_format, note = archive_pdf(DocumentResult(media_type="application/pdf", pages=pages, pdf=pdf), path)
    archive = path.read_bytes()
    assert (pdf_format, note) == ("pdfa-2b", None)
    assert contents(archive) == contents(pdf)
