"""File formats: the rendered pages (or, for born-digital PDFs, the layout) to bytes.

Every writer is deterministic: no timestamps besides the given date, no random PDF ids.
"""

from __future__ import annotations

import io
import math
import random
import re
import unicodedata
from datetime import date

import pymupdf
from PIL import Image

from samples.layout import FONT_DIR, PAGE_HEIGHT, PAGE_WIDTH, STYLES, PageLayout, Run, text_width
from samples.render import INK, PEN, PEN_WIDTH, RULE_WIDTH, seal_image

JPEG_QUALITY = 80
SEAL_DPI = 300  # resolution of the seal picture placed in born-digital PDFs
PRODUCER = "sohoa samples"


def image_bytes(image: Image.Image, fmt: str, dpi: int) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("L" if image.mode in ("1", "L") else "RGB").save(
            buffer, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))
    else:
        image.save(buffer, fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def single_page(pages: list[Image.Image], fmt: str) -> Image.Image:
    if len(pages) != 1:
        raise ValueError(f"{fmt} holds one page; this document has {len(pages)}: use tiff or a pdf format")
    return pages[0]


def jpeg_bytes(pages: list[Image.Image], dpi: int) -> bytes:
    return image_bytes(single_page(pages, "jpeg"), "JPEG", dpi)


def png_bytes(pages: list[Image.Image], dpi: int) -> bytes:
    return image_bytes(single_page(pages, "png"), "PNG", dpi)


def tiff_bytes(pages: list[Image.Image], dpi: int) -> bytes:
    """Multi-page TIFF: CCITT G4 for bilevel pages, JPEG inside TIFF otherwise (keeps 300 dpi scans small)."""
    buffer = io.BytesIO()
    if pages[0].mode == "1":
        options = {"compression": "group4"}
    else:
        options = {"compression": "jpeg", "quality": JPEG_QUALITY}
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), **options)
    return buffer.getvalue()


def pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}090000+07'00'"


def finish_pdf(doc: pymupdf.Document, day: date) -> bytes:
    stamp = pdf_date(day)
    doc.set_metadata({"producer": PRODUCER, "creator": PRODUCER, "creationDate": stamp, "modDate": stamp})
    # no_new_id: MuPDF would otherwise write a fresh random /ID into every file.
    return doc.tobytes(garbage=4, deflate=True, no_new_id=True)


def scan_document(pages: list[Image.Image], dpi: int) -> pymupdf.Document:
    """An image-only PDF, one page image per A4 page, as a scanner writes it (still open)."""
    doc = pymupdf.open()
    for image in pages:
        page = doc.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
        fmt = "PNG" if image.mode == "1" else "JPEG"  # JPEG would smear a bilevel page
        page.insert_image(page.rect, stream=image_bytes(image, fmt, dpi))
    return doc


def pdf_scan_bytes(pages: list[Image.Image], dpi: int, day: date) -> bytes:
    """An image-only PDF, one page image per A4 page, as a scanner writes it."""
    return finish_pdf(scan_document(pages, dpi), day)


def pdf_text_bytes(layouts: list[PageLayout], day: date, signed: bool = False, outlined: bool = False) -> bytes:
    """A born-digital PDF drawn from the same layout, with embedded (subset) Liberation Serif.

    `signed`: as a clerk's signing software leaves it, the header's number and day blank in the
    page's text and written afterwards as text of their own over the blanks (the truth is unchanged);
    with `outlined`, drawn as glyph outlines instead, no text at all (a Lai Châu decision's software).
    """
    doc = pymupdf.open()
    ink = tuple(channel / 255 for channel in INK)
    pen = tuple(channel / 255 for channel in PEN)
    for page_index, layout in enumerate(layouts):
        page = doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        styles = {run.style for line in layout.lines for run in line.runs} | ({STAMP_STYLE} if signed else set())
        for style in sorted(styles):
            page.insert_font(fontname=style, fontfile=str(FONT_DIR / STYLES[style]))
        stamps: list[Run] = []
        for line in layout.lines:
            for index, run in enumerate(line.runs):
                if signed and page_index == 0 and len(line.runs) == 1:
                    run = _blank_stamped(run, stamps)
                # Words are drawn one by one (justified lines), and MuPDF's text extraction sees no gap
                # after a letter with two marks (ố, ề, ở); a real space character keeps the words apart.
                text = run.text if index == len(line.runs) - 1 else run.text + " "
                page.insert_text((run.x, run.baseline), text, fontname=run.style, fontsize=run.size, color=ink)
        for rule in layout.rules:
            page.draw_line((rule.x0, rule.y), (rule.x1, rule.y), color=ink, width=RULE_WIDTH)
        for column in layout.vertical_rules:
            page.draw_line((column.x, column.y0), (column.x, column.y1), color=ink, width=RULE_WIDTH)
        for stroke in layout.strokes:
            page.draw_polyline(stroke, color=pen, width=PEN_WIDTH, closePath=False)
        if layout.seal:
            seal, buffer = layout.seal, io.BytesIO()
            seal_image(seal, SEAL_DPI).save(buffer, "PNG")
            box = pymupdf.Rect(seal.cx - seal.radius, seal.cy - seal.radius, seal.cx + seal.radius,
                               seal.cy + seal.radius)
            page.insert_image(box, stream=buffer.getvalue())
        # After everything else, as the signing software appends them.
        if outlined and stamps:
            page.show_pdf_page(page.rect, _outlines(stamps, ink), 0)
        else:
            _write_stamps(page, stamps, ink)
    doc.subset_fonts()
    return finish_pdf(doc, day)


def _outlines(stamps: list[Run], ink: tuple[float, ...]) -> pymupdf.Document:
    """A page holding the stamps' glyphs as filled outlines (MuPDF's SVG output draws text as paths)."""
    with pymupdf.open() as scratch:
        page = scratch.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        page.insert_font(fontname=STAMP_STYLE, fontfile=str(FONT_DIR / STYLES[STAMP_STYLE]))
        _write_stamps(page, stamps, ink)
        svg = page.get_svg_image(text_as_path=True)
    with pymupdf.open(stream=svg.encode(), filetype="svg") as drawing:
        return pymupdf.open("pdf", drawing.convert_to_pdf())


def _write_stamps(page: pymupdf.Page, stamps: list[Run], ink: tuple[float, ...]) -> None:
    for stamp in stamps:
        page.insert_text((stamp.x, stamp.baseline), stamp.text, fontname=stamp.style, fontsize=stamp.size, color=ink)


STAMP_STYLE = "regular"
# What the signing software fills in: the number before its notation (or a bare entry number),
# and the day of the place-and-date line.
_STAMPED_NUMBER = re.compile(r"^(Số: )(\d+)(.*)$")
_STAMPED_DAY = re.compile(r"^(.+, ngày )(\d+)( tháng .*)$")


def _blank_stamped(run: Run, stamps: list[Run]) -> Run:
    """`run` with its stamped part turned to spaces as wide; the part is added to `stamps`."""
    match = _STAMPED_NUMBER.match(run.text) or _STAMPED_DAY.match(run.text)
    if not match:
        return run
    before, value, after = match.groups()
    x = run.x + text_width(before, run.style, run.size)
    stamps.append(Run(value, x, run.baseline, STAMP_STYLE, run.size))
    space = text_width(" ", run.style, run.size)
    blank = " " * math.ceil(text_width(value, STAMP_STYLE, run.size) / space)
    return Run(before + blank + after, run.x, run.baseline, run.style, run.size)


# ---- PDFs modelled on real files: what signing and scanner software add to a scan -------------

STAMP_FONT = "stamp"
STAMP_SIZE = 7.9  # as the real stamps are set (Times New Roman 7.9 pt)
STAMP_RED = (0.85, 0.1, 0.1)


def pdf_signed_stamp_bytes(pages: list[Image.Image], dpi: int, day: date, lines: list[str],
                           corner: tuple[float, float], width: float) -> bytes:
    """A scanned PDF signed digitally: page 1 carries the signature stamp as its only, visible text.

    `lines` are the stamp's text ("Ký bởi: …", "Cơ quan: …", "Thời gian ký: …" or one "SAO Y; …"
    line), wrapped in a framed box `width` points wide whose top left is at `corner` (in the top
    margin, where signing software puts it).
    """
    doc = scan_document(pages, dpi)
    page = doc[0]
    page.insert_font(fontname=STAMP_FONT, fontfile=str(FONT_DIR / STYLES["regular"]))
    x, y = corner
    wrapped = [part for line in lines for part in _wrap(line, width)]
    box = pymupdf.Rect(x - 2, y - 2, x + width + 2, y + len(wrapped) * STAMP_SIZE + 3)
    page.draw_rect(box, color=STAMP_RED, width=0.6)
    for index, line in enumerate(wrapped):
        page.insert_text((x, y + (index + 1) * STAMP_SIZE), line, fontname=STAMP_FONT, fontsize=STAMP_SIZE,
                         color=STAMP_RED)
    doc.subset_fonts()
    return finish_pdf(doc, day)


def _wrap(text: str, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", "regular", STAMP_SIZE) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


# A scanner's OCR layer is set in the PDF base fonts, which have no Vietnamese letters.
BASE_FONTS = {"regular": "Times-Roman", "bold": "Times-Bold", "italic": "Times-Italic",
              "bold-italic": "Times-BoldItalic"}
HIDDEN = 3  # PDF text render mode 3: neither filled nor stroked


# What a scanner's OCR without a Vietnamese model reads (seen on real layers: "Di)c" for "Độc",
# "nqi" for "nội", "ciia" for "của", "Ira" for "trả"); the first match in a word is replaced.
SCANNER_MISREADS = (("ộ", "i)"), ("ủ", "ii"), ("ơ", "q"), ("ô", "q"), ("tr", "Ir"), ("u", "ii"), ("h", "li"),
                    ("m", "rn"), ("a", "e"), ("c", "e"))
MISREAD_SHARE = 0.25


def scanner_reading(text: str, rng: random.Random) -> str:
    """`text` as such a scanner's OCR writes it: every mark gone (đ read as d), a quarter of the words misread."""
    words = []
    for word in text.split(" "):
        if rng.random() < MISREAD_SHARE:
            found = [(word.find(seen), seen, read) for seen, read in SCANNER_MISREADS if seen in word]
            if found:
                at, seen, read = min(found)
                word = word[:at] + read + word[at + len(seen):]
        words.append(word)
    return _strip_marks(" ".join(words))


def _strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text)
                                                 if not unicodedata.combining(c)))


def pdf_scanner_layer_bytes(pages: list[Image.Image], dpi: int, day: date, layouts: list[PageLayout],
                            rng: random.Random) -> bytes:
    """A scanned PDF as scanner software writes it: the page images, and over each printed run its
    `scanner_reading` as invisible text in the base fonts (the pages' own layout places it)."""
    doc = scan_document(pages, dpi)
    for page, layout in zip(doc, layouts):
        scale_x, scale_y = page.rect.width / PAGE_WIDTH, page.rect.height / PAGE_HEIGHT
        for line in layout.lines:
            for run in line.runs:
                page.insert_text((run.x * scale_x, run.baseline * scale_y), scanner_reading(run.text, rng) + " ",
                                 fontname=BASE_FONTS[run.style], fontsize=run.size * scale_y, render_mode=HIDDEN)
    return finish_pdf(doc, day)
