"""Build the one searchable PDF of a document from its pages.

An OCR'd page is the page image with our own invisible text layer drawn over it: each word
of the page's lines, in the order given (our reading order, not Tesseract's), stretched over
its box on the image. Text selected in a viewer then covers the printed word, and text
extracted from the PDF reads as the record does. Pages with a trusted text layer are copied
from the source PDF as they are; a page that could not be read keeps its image, so the
archive copy is never missing a page.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import tempfile
from pathlib import Path

import pymupdf
from PIL import Image

from ocr.errors import FontMissing
from ocr.scratch import scratch_dir
from ocr.types import Line, Word

POINTS_PER_INCH = 72
JPEG_QUALITY = 85

# A base-14 font would destroy Vietnamese letters (TOOLCHAIN.md); Liberation Serif 2.x has
# them all, and is metric-compatible with the Times New Roman of Decree 30 documents.
TEXT_FONT_FILE = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
TEXT_FONT_NAME = "OcrText"
INVISIBLE = 3  # PDF text rendering mode: neither fill nor stroke

# A bfrange section of a CMap, and one `<low> <high> <first Unicode>` or `<low> <high> [...]` entry.
BFRANGE_SECTION = re.compile(rb"\d+\s+beginbfrange(.*?)endbfrange", re.DOTALL)
BFRANGE_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")
# Per section (PDF 32000-1, 9.10.3); Ghostscript 9.56-10.04 misreads longer ones.
MAX_CMAP_ENTRIES = 100
# Image pages held in memory before they are written out (about 0.5-1 MB each as JPEG).
SPILL_EVERY_PAGES = 16


class PdfBuilder:
    """Pages are added in order; `build` writes the PDF.

    `original` is the source PDF (its bytes or its path): when every page is one of its pages, copied in order
    (a born-digital document), `build` returns it as is, signatures, links and all, without
    copying a page. Runs of source pages are copied in one call each, when something else follows
    or when `end_source` says the source is about to be closed.
    """

    def __init__(self, original: bytes | Path | None = None, spill_every: int = SPILL_EVERY_PAGES) -> None:
        self._doc = pymupdf.open()
        self._text_pages: list[int] = []
        # Every `spill_every` image pages the PDF so far goes to a temporary file (`_spill`).
        self._spill_every = spill_every
        self._unspilled = 0
        self._folder: tempfile.TemporaryDirectory | None = None
        self._original = original
        self._run: tuple[pymupdf.Document, int, int] | None = None  # source, first, last page
        self._whole_original = original is not None  # until a page says otherwise

    def add_source_page(self, source: pymupdf.Document, index: int) -> None:
        if self._run is not None and self._run[0] is source and self._run[2] == index - 1:
            self._run = (source, self._run[1], index)
            return
        self._flush_run()
        self._whole_original = self._whole_original and index == 0 and not _encrypted(source)
        self._run = (source, index, index)

    def add_image_page(self, image: Image.Image, dpi: int, encoded: bytes | None = None,
                       lines: list[Line] | None = None) -> None:
        """A page showing the image at its true size, with `lines` as invisible text on top.

        `encoded` is the image's own file (a JPEG as scanned) to embed without re-encoding.
        The lines are written in the order given, which is the order text is extracted in.
        """
        self._flush_run()
        self._whole_original = False
        width = image.width * POINTS_PER_INCH / dpi
        height = image.height * POINTS_PER_INCH / dpi
        page = self._doc.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=encoded or encode_page_image(image))
        if lines:
            write_text_layer(page, lines)
            self._text_pages.append(page.number)
        self._unspilled += 1
        if self._unspilled >= self._spill_every:
            self._spill()

    def add_pdf(self, data: bytes) -> None:
        """Every page of a searchable PDF built elsewhere (a page range read by another process)."""
        self._flush_run()
        self._whole_original = False
        with pymupdf.open("pdf", data) as part:
            self._doc.insert_pdf(part)
            self._unspilled += part.page_count
        if self._unspilled >= self._spill_every:
            self._spill()

    def end_source(self) -> None:
        """Call before closing the source document."""
        run = self._run
        if self._whole_original and run is not None and run[2] == run[0].page_count - 1:
            self._run = None  # nothing to copy: `build` gives the original
        else:
            self._whole_original = False
            self._flush_run()

    def build(self) -> bytes:
        self._flush_run()
        if self._is_whole_original():
            self._doc.close()
            return self._original if isinstance(self._original, bytes) else self._original.read_bytes()
        # Written to a file and read back: `tobytes` would hold the file twice in memory at once.
        with scratch_dir("pdf") as folder:
            path = Path(folder) / "document.pdf"
            self.save(path)
            return path.read_bytes()

    def save(self, path: Path) -> None:
        """`build`, written to `path` instead of returned: a scanned volume's PDF (hundreds of MB)
        goes from the spilled pages to the file without being held in memory."""
        self._flush_run()
        if self._is_whole_original():
            self._doc.close()
            if isinstance(self._original, bytes):
                path.write_bytes(self._original)
            else:
                shutil.copyfile(self._original, path)
            return
        if self._text_pages:
            _subset_fonts(self._doc, self._text_pages)
        repair_to_unicode_maps(self._doc)
        # Object streams compress the font's width table, the largest object left uncompressed.
        self._doc.save(path, garbage=3, deflate=True, use_objstms=True)
        self._doc.close()
        if self._folder is not None:
            self._folder.cleanup()

    def _is_whole_original(self) -> bool:
        return self._whole_original and self._original is not None and self._doc.page_count == 0

    def _spill(self) -> None:
        """Write the pages so far to a temporary file and reopen it, so that their images live on
        disk rather than in memory: a scanned volume's pages stay out of memory until `build`."""
        if self._folder is None:
            self._folder = scratch_dir("pdf")
            path = Path(self._folder.name) / "pages.pdf"
            self._doc.save(path)
        else:
            path = Path(self._doc.name)
            self._doc.saveIncr()  # appends what changed: the pages added since
        fonts = self._doc.FontInfos  # the text font's object: embedded once, not once per spill
        self._doc.close()
        self._doc = pymupdf.open(path)
        self._doc.FontInfos = fonts
        self._unspilled = 0

    def _flush_run(self) -> None:
        if self._run is not None:
            source, first, last = self._run
            self._doc.insert_pdf(source, from_page=first, to_page=last)
            self._run = None


def _encrypted(doc: pymupdf.Document) -> bool:
    # An owner password alone lets MuPDF read the file, but an archive copy must not be encrypted.
    return bool(doc.needs_pass) or doc.xref_get_key(-1, "Encrypt")[0] != "null"


def encode_page_image(image: Image.Image) -> bytes:
    """JPEG for grey and colour scans (as archives do), lossless PNG for bilevel ones."""
    buffer = io.BytesIO()
    if image.mode == "1":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def text_font() -> pymupdf.Font:
    if not TEXT_FONT_FILE.is_file():
        raise FontMissing(
            f"{TEXT_FONT_FILE} is missing: run `apt-get install fonts-liberation2`"
        )
    return pymupdf.Font(fontfile=str(TEXT_FONT_FILE))


def write_text_layer(page: pymupdf.Page, lines: list[Line]) -> None:
    """Every word of `lines` as invisible text over its box (boxes are page fractions)."""
    text_font()  # a missing font file fails here, with the package to install
    # Inserted on every page, the font file is still embedded only once per document.
    page.insert_font(fontname=TEXT_FONT_NAME, fontfile=str(TEXT_FONT_FILE))
    shape = page.new_shape()  # one content stream for the whole layer, not one per word
    # The operators are written here rather than by `Shape.insert_text`, which looks the font
    # up again for every word: 0.05 s of a page's CPU time, 5% of its Tesseract time.
    shape.text_cont += "".join(_line_operators(line, page.rect, shape) for line in lines)
    shape.commit()


def _line_operators(line: Line, page_rect: pymupdf.Rect, shape: pymupdf.Shape) -> str:
    """One text object for the line: its font size once, then each word placed and stretched (`Tm`)."""
    font = text_font()
    top, bottom = line.bbox[1] * page_rect.height, line.bbox[3] * page_rect.height
    # One size and baseline for the whole line, as printed: a box from a word's own
    # height would make "ma" smaller than "Đường" and the selection jump up and down.
    fontsize = max(bottom - top, 1.0) / (font.ascender - font.descender)
    baseline = shape.height - (bottom + font.descender * fontsize) - shape.y  # PDF's y runs upwards
    operators = [f"BT\n/{TEXT_FONT_NAME} {fontsize:.4f} Tf {INVISIBLE} Tr"]
    for word in line.words:
        # The space goes after the word, into the gap before the next one, so that extraction
        # separates words while each word still spans exactly its box. The last word of a
        # line gets one too: Tesseract may cut a printed line in two, and the halves, drawn
        # side by side, would otherwise extract as one word ("th" + "áng").
        glyphs = "".join(f"{_glyph(char):04x}" for char in word.text + " ")
        left = word.bbox[0] * page_rect.width + shape.x
        stretch = _horizontal_scale(word, fontsize, page_rect.width)
        operators.append(f"{stretch:.5f} 0 0 1 {left:.3f} {baseline:.3f} Tm [<{glyphs}>]TJ")
    return "\n".join([*operators, "ET\n"])


@functools.lru_cache(maxsize=None)
def _glyph(char: str) -> int:
    """The font's glyph for `char`: the font is embedded with Identity-H, so the code is the glyph id."""
    return text_font().has_glyph(ord(char))


@functools.lru_cache(maxsize=None)
def _advance(char: str) -> float:
    """The width of `char` at size 1: the font has no kerning, so a word's width is their sum.
    Asking PyMuPDF for each word's length was 0.01 s of a page's CPU time."""
    return text_font().text_length(char, fontsize=1)


def _horizontal_scale(word: Word, fontsize: float, page_width: float) -> float:
    """How much to stretch the word, set at `fontsize`, so that it spans its box."""
    natural = fontsize * sum(_advance(char) for char in word.text)
    wanted = (word.bbox[2] - word.bbox[0]) * page_width
    if natural <= 0 or wanted <= 0:
        return 1.0
    return wanted / natural


def _subset_fonts(doc: pymupdf.Document, pages: list[int]) -> None:
    """Keep only the glyphs the text layer uses: about 16 kB instead of the 390 kB font file.

    Limited to our own pages: fonts of pages copied from a source PDF stay as they came.
    `Document.subset_fonts()` is this same MuPDF call over every page.
    """
    pdf = pymupdf.mupdf.pdf_document_from_fz_document(doc)
    pymupdf.mupdf.pdf_subset_fonts2(pdf, pages)


def repair_to_unicode_maps(doc: pymupdf.Document) -> bool:
    """Rewrite ToUnicode ranges that Ghostscript misreads as single-code entries.

    Ghostscript 10.0 reads a `bfrange` wrongly as soon as it maps to a character beyond
    U+00FF (`<00D2> <00D2> <0110>` extracts as `Ò`, not `Đ`), while `bfchar` entries are
    read right. MuPDF writes its fonts' maps as such ranges (our text layer, and PDFs made
    with PyMuPDF), some of which also run past a byte boundary, which ISO 32000 leaves
    undefined. Without this, the PDF/A of a Vietnamese page would not be searchable.
    Returns whether a map was rewritten.
    """
    changed = False
    for xref in range(1, doc.xref_length()):
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind != "xref":
            continue
        cmap_xref = int(value.split()[0])  # "12 0 R"
        cmap = doc.xref_stream(cmap_xref)
        repaired = BFRANGE_SECTION.sub(_rewrite_section, cmap)
        if repaired != cmap:
            doc.update_stream(cmap_xref, repaired)
            changed = True
    return changed


def _rewrite_section(section: re.Match[bytes]) -> bytes:
    kept: list[bytes] = []
    single: list[bytes] = []
    for entry in BFRANGE_ENTRY.finditer(section.group(1)):
        expanded = _as_single_codes(entry)
        if expanded is None:
            kept.append(entry.group(0))
        else:
            single.extend(expanded)
    if not single:
        return section.group(0)
    return _cmap_sections(b"bfrange", kept) + _cmap_sections(b"bfchar", single)


def _as_single_codes(entry: re.Match[bytes]) -> list[bytes] | None:
    """`entry` as `<code> <unicode>` lines; None for a range that stays within U+0000-U+00FF."""
    low_hex, high_hex, target = entry.groups()
    low, high = int(low_hex, 16), int(high_hex, 16)
    if target.startswith(b"["):
        values = re.findall(rb"<[0-9A-Fa-f]*>", target)
    elif len(target) <= 2:  # `<>`: maps to nothing, nothing to misread
        return None
    else:
        first = int(target[1:-1], 16)
        if first + high - low <= 0xFF:
            return None
        values = [b"<%s>" % _hex(first + offset, len(target) - 2) for offset in range(high - low + 1)]
    return [b"<%s> %s" % (_hex(low + offset, len(low_hex)), value)
            for offset, value in enumerate(values[: high - low + 1])]


def _cmap_sections(kind: bytes, entries: list[bytes]) -> bytes:
    chunks = [entries[start:start + MAX_CMAP_ENTRIES] for start in range(0, len(entries), MAX_CMAP_ENTRIES)]
    return b"".join(b"%d begin%s\n%s\nend%s\n" % (len(chunk), kind, b"\n".join(chunk), kind) for chunk in chunks)


def _hex(number: int, digits: int) -> bytes:
    return b"%0*X" % (digits, number)
