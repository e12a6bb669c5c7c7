"""The searchable PDF: the page image with our invisible text layer, in our reading order."""

from __future__ import annotations

import io
import unicodedata

import pymupdf
import pytest
from PIL import Image

from ocr.assemble import PdfBuilder
from ocr.types import Line, Word

DPI = 300
SIZE = (2480, 1200)  # the top of an A4 page at 300 dpi
TOLERANCE = 1.0  # points: about 4 pixels at 300 dpi


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def line(top: float, bottom: float, *words: tuple[str, float, float]) -> Line:
    """A printed line from (text, left, right) words; coordinates are page fractions."""
    return Line.from_words([Word(text=text, confidence=0.9, bbox=(x0, top, x1, bottom)) for text, x0, x1 in words], 0)


# A Decree 30 header, read as the record reads it: the left column, then the right one,
# although their lines share rows. Then a body line with stacked marks.
LINES = [
    line(0.10, 0.14, ("UBND", 0.05, 0.12), ("TỈNH", 0.13, 0.20), ("VĨNH", 0.21, 0.28), ("PHÚC", 0.29, 0.37)),
    line(0.16, 0.20, ("SỞ", 0.09, 0.13), ("TƯ", 0.14, 0.18), ("PHÁP", 0.19, 0.27)),
    line(0.10, 0.14, ("CỘNG", 0.52, 0.60), ("HÒA", 0.61, 0.67), ("XÃ", 0.68, 0.72), ("HỘI", 0.73, 0.78)),
    line(0.16, 0.20, ("Độc", 0.58, 0.63), ("lập", 0.64, 0.68), ("-", 0.69, 0.70), ("Tự", 0.71, 0.74),
         ("do", 0.75, 0.78)),
    line(0.40, 0.45, ("Được", 0.10, 0.17), ("hướng", 0.18, 0.27), ("dẫn", 0.28, 0.33), ("ông", 0.34, 0.39),
         ("Nguyễn", 0.40, 0.51), ("Đức", 0.52, 0.58), ("Thưởng", 0.59, 0.71)),
]


def jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def scan() -> Image.Image:
    return Image.new("RGB", SIZE, (250, 246, 235))


@pytest.fixture(scope="module")
def page_pdf(scan) -> bytes:
    builder = PdfBuilder()
    builder.add_image_page(scan, DPI, jpeg_bytes(scan), lines=LINES)
    return builder.build()


@pytest.fixture
def page(page_pdf):
    with pymupdf.open(stream=page_pdf, filetype="pdf") as doc:
        yield doc[0]


def test_text_comes_out_in_the_order_of_the_lines_given(page):
    assert normalise(page.get_text()) == normalise("\n".join(line.text for line in LINES))


def test_vietnamese_letters_with_stacked_marks_survive_exactly(page):
    words = [word[4] for word in page.get_text("words")]
    assert words == [word.text for line in LINES for word in line.words]
    assert {"hướng", "Nguyễn", "Đức", "Thưởng", "TỈNH", "CỘNG"} <= set(words)


def test_each_word_lies_on_its_box_in_the_image(page):
    extracted = page.get_text("words")
    given = [word for line in LINES for word in line.words]
    assert len(extracted) == len(given)
    width, height = page.rect.width, page.rect.height
    for (x0, y0, x1, y1, text, *_), word in zip(extracted, given):
        expected = (word.bbox[0] * width, word.bbox[1] * height, word.bbox[2] * width, word.bbox[3] * height)
        assert (x0, y0, x1, y1) == pytest.approx(expected, abs=TOLERANCE), text


def test_the_text_is_invisible(page):
    spans = [span for block in page.get_text("rawdict")["blocks"] if block["type"] == 0
             for line in block["lines"] for span in line["spans"]]
    assert spans and all(span["alpha"] == 0 for span in spans)  # MuPDF reports mode 3 text as alpha 0


def test_page_is_the_image_at_its_true_size(page):
    assert tuple(page.rect) == pytest.approx((0, 0, SIZE[0] * 72 / DPI, SIZE[1] * 72 / DPI), abs=0.001)


def test_the_scanned_jpeg_is_embedded_byte_for_byte(page, scan):
    (xref, *_), = page.get_images()
    assert page.parent.xref_stream_raw(xref) == jpeg_bytes(scan)


def test_the_text_font_is_an_embedded_subset(page_pdf, page, scan):
    (xref, ext, kind, name, *_), = page.get_fonts()
    assert ext == "ttf" and kind == "Type0" and "+Liberation" in name  # "ABCDEF+" marks a subset
    # The text layer, its font and its ToUnicode map together cost a few tens of kB.
    assert len(page_pdf) - len(jpeg_bytes(scan)) < 40_000


def test_a_page_without_lines_is_the_image_alone(scan):
    builder = PdfBuilder()
    builder.add_image_page(scan.convert("1"), DPI)
    with pymupdf.open(stream=builder.build(), filetype="pdf") as doc:
        assert doc[0].get_text() == "" and doc[0].get_fonts() == []
        (xref, *_), = doc[0].get_images()
        assert doc.extract_image(xref)["bpc"] == 1  # bilevel stays bilevel, lossless


def test_pages_spilled_to_disk_build_the_same_document(scan):
    """A long volume goes to a temporary file every few pages: same pages, same text, one font."""
    pdfs = []
    for spill_every in (1000, 2):
        builder = PdfBuilder(spill_every=spill_every)
        for number in range(5):
            image = scan.copy()
            image.putpixel((number, 0), (0, 0, 0))  # each page its own scan, as in a volume
            builder.add_image_page(image, DPI, jpeg_bytes(image), lines=LINES)
        pdfs.append(builder.build())
    texts = []
    for pdf in pdfs:
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:
            texts.append([normalise(page.get_text()) for page in doc])
            fonts = [x for x in range(1, doc.xref_length()) if "/FontFile2" in doc.xref_object(x)]
            assert len(fonts) == 1
    assert texts[0] == texts[1] and len(texts[0]) == 5 and "Thưởng" in texts[0][0]


def test_saved_to_a_file_the_pdf_is_the_one_built(scan, tmp_path):
    """A scanned volume's PDF goes to a file for upload (hundreds of MB not held): same document."""
    built, saved = PdfBuilder(spill_every=2), PdfBuilder(spill_every=2)
    for builder in (built, saved):
        for _ in range(3):
            builder.add_image_page(scan, DPI, jpeg_bytes(scan), lines=LINES)
    path = tmp_path / "searchable.pdf"
    saved.save(path)
    with pymupdf.open(stream=built.build(), filetype="pdf") as one, pymupdf.open(path) as other:
        assert [page.get_text() for page in one] == [page.get_text() for page in other]
        assert [len(page.get_images()) for page in other] == [1, 1, 1]
