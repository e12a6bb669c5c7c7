"""Page triage on real pages: keep a text layer, OCR the page, or OCR around a stamp layer.

The pages are read at test time from the shared real documents (../shared/realdocs, never copied
into this repository); decisions need no Tesseract, one integration test reads a page through it.
"""

import io
import unicodedata
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from ocr.assemble import TEXT_FONT_FILE, PdfBuilder
from ocr.pipeline import read_document
from ocr.textlayer import read_text_layer
from ocr.triage import overlay_layer, triage_page
from ocr.types import Line, PageResult, Word
from ocr.vntext import fold
from samples.layout import FONT_DIR
from test_legacy import name_font
from storage.records import PageSummary

REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"


def _triage(name: str, page: int):
    with pymupdf.open(REALDOCS / name) as doc:
        return triage_page(doc[page - 1])


@pytest.mark.parametrize(
    "name",
    ["210-QDCT.signed.pdf", "33920.02.2025_07h26p22_signed.pdf", "QD430.pdf"],
    ids=["signature stamp", "Ký bởi stamp", "SAO Y copy line"],
)
def test_a_stamp_layer_over_a_scan_is_kept_and_the_rest_ocrd(name):
    triage = _triage(name, 1)
    assert triage.decision == "hybrid"
    assert triage.evidence.image_cover > 0.99
    assert triage.evidence.text_cover < 0.01
    assert triage.reason.startswith("hybrid: text layer of ")


@pytest.mark.parametrize("page", [1, 2, 9])
def test_a_scanner_layer_without_tone_marks_is_ocrd_again(page):
    triage = _triage("QD358_TTHC_Dangkycutru.PDF", page)
    assert triage.decision == "ocr"
    assert triage.evidence.hidden == 1.0  # render mode 3
    assert triage.evidence.marked_words < 0.05
    assert triage.reason.startswith("ocr: hidden scanner OCR layer, ")
    assert "words with marks" in triage.reason and "valid syllables" in triage.reason


@pytest.mark.parametrize("name, page", [("18.Quytnh.pdf", 1), ("18.Quytnh.pdf", 2), ("BTPQD86TTHCBTP.pdf", 1)])
def test_a_born_digital_layer_is_kept(name, page):
    triage = _triage(name, page)
    assert triage.decision == "text_layer"
    assert triage.reason.startswith("text_layer: Unicode text layer, ")
    assert triage.evidence.image_cover == 0.0


def test_a_signature_image_with_transparency_over_the_whole_page_is_no_scan():
    # qd486 page 2 pastes the signature as a page-sized image with a soft mask over typeset text.
    triage = _triage("qd486.pdf", 2)
    assert triage.decision == "text_layer"
    assert triage.evidence.image_cover == 0.0


def test_a_legacy_font_that_sets_only_spaces_does_not_condemn_a_unicode_layer():
    # The Gazette pages embed .VnCenturySchoolbook for the spaces between Unicode words.
    with pymupdf.open(REALDOCS / "New_54.2014.QH13.pdf") as doc:
        triages = [triage_page(page) for page in doc]
    assert [t.decision for t in triages] == ["text_layer"] * 3
    assert all(t.evidence.legacy_font is None and t.evidence.valid_syllables >= 0.98 for t in triages)


def test_page_numbers_in_a_legacy_font_do_not_condemn_a_unicode_layer():
    # A commune's born-digital decision sets its page numbers alone in VNI-Times.
    doc = pymupdf.open()
    page = doc.new_page()
    for number, line in enumerate(["ỦY BAN NHÂN DÂN THỊ TRẤN NGÃI GIAO", "Về việc công bố thủ tục hành chính",
                                   "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"]):
        page.insert_text((50, 60 + 20 * number), line, fontname="F0", fontfile=str(TEXT_FONT_FILE), fontsize=12)
    page.insert_text((300, 800), "1", fontname="F1", fontfile=str(FONT_DIR / "LiberationSans-Regular.ttf"), fontsize=12)
    name_font(doc, next(font[0] for font in page.get_fonts() if font[4] == "F1"), "VNI-Times")
    page = pymupdf.open("pdf", doc.tobytes())[0]
    assert "VNI-Times" in {span["font"] for block in page.get_text("dict")["blocks"]
                           for line in block.get("lines", ()) for span in line["spans"]}
    triage = triage_page(page)
    assert triage.decision == "text_layer" and triage.evidence.legacy_font is None


def test_an_empty_page_and_a_plain_scan_have_no_text_layer():
    assert _triage("BTPQD86TTHCBTP.pdf", 2).reason == "ocr: no text layer"
    assert _triage("241_qd.pdf", 1).reason == "ocr: no text layer, image covers 100% of the page"


def _ocr_layer_over_image(fold_marks: bool, under_image: bool = False) -> pymupdf.Page:
    """18.Quytnh.pdf page 1 as a scan carrying an OCR layer, made in memory the way sohoa writes one."""
    with pymupdf.open(REALDOCS / "18.Quytnh.pdf") as doc:
        page = doc[0]
        lines = read_text_layer(page)
        pixmap = page.get_pixmap(dpi=100)
    if fold_marks:  # what a scanner's OCR without Vietnamese writes
        lines = [Line.from_words([w.model_copy(update={"text": fold(w.text)}) for w in line.words], line.block)
                 for line in lines]
    builder = PdfBuilder()
    image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    builder.add_image_page(image, 100, lines=lines)
    scan = pymupdf.open("pdf", builder.build())
    if under_image:  # the same layer made visible, then painted over by the scan
        scan = _text_under_image(scan[0], lines)
    return scan[0]


def _text_under_image(page: pymupdf.Page, lines: list[Line]) -> pymupdf.Document:
    doc = pymupdf.open()
    new = doc.new_page(width=page.rect.width, height=page.rect.height)
    for line in lines[:40]:
        x0, y0 = line.bbox[0] * page.rect.width, line.bbox[3] * page.rect.height
        new.insert_text((x0, y0), fold(line.text), fontsize=8)
    new.insert_image(new.rect, pixmap=page.get_pixmap(dpi=50))
    return doc


def test_a_good_hidden_ocr_layer_over_a_scan_is_kept():
    triage = triage_page(_ocr_layer_over_image(fold_marks=False))
    assert triage.evidence.hidden == 1.0 and triage.evidence.image_cover > 0.99
    assert triage.decision == "text_layer"
    assert triage.reason.startswith("text_layer: hidden OCR layer over an image covering 100%")


def test_the_same_layer_without_marks_is_ocrd_again():
    triage = triage_page(_ocr_layer_over_image(fold_marks=True))
    assert triage.decision == "ocr"
    assert "0% words with marks" in triage.reason


def test_visible_text_painted_over_by_the_scan_counts_as_hidden():
    triage = triage_page(_ocr_layer_over_image(fold_marks=True, under_image=True))
    assert triage.evidence.hidden == 1.0
    assert triage.decision == "ocr"
    assert triage.reason.startswith("ocr: hidden scanner OCR layer, ")


def test_a_stamp_over_a_scan_cut_into_strips_is_still_a_stamp_on_a_scan():
    with pymupdf.open(REALDOCS / "210-QDCT.signed.pdf") as doc:
        page = doc[0]
        stamp = [(pymupdf.Point(w[0], w[3]), w[4]) for w in page.get_text("words")]
        pixmap = page.get_pixmap(dpi=60)
        rect = page.rect
    scan = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    strips = pymupdf.open()
    new = strips.new_page(width=rect.width, height=rect.height)
    for k in range(4):  # four strips, none of them over 60% of the page
        band = io.BytesIO()
        scan.crop((0, k * scan.height // 4, scan.width, (k + 1) * scan.height // 4)).save(band, "PNG")
        new.insert_image(pymupdf.Rect(0, k * rect.height / 4, rect.width, (k + 1) * rect.height / 4),
                         stream=band.getvalue())
    new.insert_font(fontname="stamp", fontfile=str(TEXT_FONT_FILE))
    for origin, word in stamp:
        new.insert_text(origin, word, fontsize=6, fontname="stamp")
    triage = triage_page(new)
    assert triage.evidence.image_cover > 0.99
    assert triage.decision == "hybrid"


def test_a_stamp_over_a_poor_scanner_layer_is_kept_and_the_layer_ignored():
    with pymupdf.open(REALDOCS / "210-QDCT.signed.pdf") as doc:
        stamp = [(pymupdf.Point(w[0] + 300, w[3] - 10), w[4]) for w in doc[0].get_text("words")]
    with pymupdf.open(REALDOCS / "QD358_TTHC_Dangkycutru.PDF") as doc:
        doc.select([0])
        signed = pymupdf.open("pdf", doc.tobytes())
    page = signed[0]
    page.insert_font(fontname="stamp", fontfile=str(TEXT_FONT_FILE))
    for origin, word in stamp:  # typeset by the signing software over the scan
        page.insert_text(origin, word + " ", fontsize=7.9, fontname="stamp")
    triage = triage_page(page)
    assert triage.decision == "hybrid"
    assert triage.reason.startswith("hybrid: hidden scanner OCR layer, 3% words with marks, ")
    assert ", ignored; text layer of 15 words covers " in triage.reason
    kept = " ".join(line.text for line in triage.kept(read_text_layer(page)))
    assert kept.startswith("Cơ quan: Uỷ ban nhân") and "+07:00" in kept
    assert "NHAN" not in kept and "QUYET" not in kept


def _line(text: str, bbox, confidence: float = 1.0) -> Line:
    return Line.from_words([Word(text=text, confidence=confidence, bbox=bbox)], 0)


def test_overlay_keeps_the_layer_words_and_drops_ocr_words_read_under_them():
    stamp = [_line("Thời gian ký: 19.02.2025", (0.30, 0.02, 0.42, 0.03))]
    ocr = [
        _line("Thoi gian ky 19022025", (0.30, 0.019, 0.41, 0.031), 0.4),  # the stamp read again
        _line("QUYẾT ĐỊNH", (0.40, 0.20, 0.60, 0.22)),
    ]
    merged = overlay_layer(ocr, stamp)
    assert [line.text for line in merged] == ["Thời gian ký: 19.02.2025", "QUYẾT ĐỊNH"]


def test_numbers_stamped_by_the_signing_software_on_a_scan_join_the_lines_they_fill():
    # A police letter scanned and signed: the software stamped `2243` and the day `23` and month
    # `07` over the scan's blanks as text (Tesseract's reading of the month, `U7`, is under it).
    stamped = [_line("2243", (0.182, 0.129, 0.229, 0.145)), _line("23", (0.656, 0.125, 0.683, 0.142)),
               _line("07", (0.739, 0.125, 0.766, 0.142))]
    words = [("Hà", 0.529, 0.557), ("Nội,", 0.563, 0.600), ("ngày", 0.609, 0.654), ("tháng", 0.691, 0.7428),
             ("U7", 0.7428, 0.770), ("năm", 0.774, 0.813), ("2025", 0.821, 0.867)]
    ocr = [Line.from_words([Word(text="Số:", confidence=0.95, bbox=(0.137, 0.127, 0.170, 0.145)),
                            Word(text="/PCCC&CNCH-P6", confidence=0.8, bbox=(0.235, 0.127, 0.429, 0.145))], 0),
           Line.from_words([Word(text=t, confidence=0.9, bbox=(x0, 0.126, x1, 0.144)) for t, x0, x1 in words], 1)]
    merged = overlay_layer(ocr, stamped)
    assert [line.text for line in merged] == ["Số: 2243 /PCCC&CNCH-P6", "Hà Nội, ngày 23 tháng 07 năm 2025"]


def test_overlay_turns_the_layer_with_the_page():
    stamp = [_line("SAO Y", (0.1, 0.0, 0.2, 0.1))]
    # The page was read upside down: the stamp now lies bottom right.
    ocr = [_line("SA0 Y", (0.8, 0.9, 0.9, 1.0)), _line("QUYẾT ĐỊNH", (0.1, 0.0, 0.2, 0.1))]
    merged = overlay_layer(ocr, stamp, rotation=180)
    assert [line.text for line in merged] == ["SAO Y", "QUYẾT ĐỊNH"]
    assert merged[0].bbox == pytest.approx((0.8, 0.9, 0.9, 1.0))


def test_the_triage_reason_reaches_the_record_page_details():
    page = PageResult(number=1, method="ocr", triage="ocr: no text layer")
    summary = PageSummary.model_validate(page.model_dump(include=set(PageSummary.model_fields)))
    assert summary.triage == "ocr: no text layer"


@pytest.mark.integration
def test_page_one_of_a_signed_scan_is_read():
    """210-QDCT page 1 (cut in memory): before, only the stamp's 15 words were its text."""
    with pymupdf.open(REALDOCS / "210-QDCT.signed.pdf") as doc:
        doc.select([0])
        data = doc.tobytes()
    page = read_document(data).pages[0]
    assert page.method == "ocr"
    assert page.triage.startswith("hybrid: ")
    text = unicodedata.normalize("NFC", page.text)
    # Header, number line, title and subject: what the stamp-only layer lost (the handwritten number
    # is left out: OCR reads it as it can).
    for printed in ("ỦY BAN NHÂN DÂN", "TỈNH BẠC LIÊU", "Độc lập - Tự do - Hạnh phúc", "Số:", "-UBND",
                    "QUYẾT ĐỊNH", "(Lĩnh vực: Đường bộ)"):
        assert printed in text
    # The stamp is kept as typeset, once: its OCR reading was dropped under it. It is the
    # document's signature, not its text.
    shown = "\n".join(line.text for line in page.lines if line.stamp == "signature")
    assert shown.count("Thời gian ký:") == 1
    assert "Cơ quan: Uỷ ban nhân" in shown
    assert "Thời gian ký:" not in text
