"""Open an input file and hand out its pages, turning every way a file can be bad into a typed error.

PDFs are read with PyMuPDF; TIFF (multi-page), JPEG and PNG with Pillow.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pymupdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr import sniff
from ocr.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    ImageTooLarge,
    InputError,
    TruncatedFile,
    UnsupportedType,
)
from ocr.settings import OcrSettings

A4_WIDTH_INCHES = 8.27
POINTS_PER_INCH = 72

pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's own stderr chatter; we raise typed errors instead


@dataclass
class ImagePage:
    image: Image.Image
    dpi: int
    encoded: bytes | None = None  # the page's own JPEG file, embedded in the PDF as scanned


def check_bytes(data: bytes, settings: OcrSettings) -> str:
    """The sniffed media type, after the checks that need only the bytes."""
    if not data:
        raise EmptyFile("the file is empty (0 bytes)")
    if len(data) > settings.max_file_bytes:
        raise FileTooLarge(
            f"the file has {len(data)} bytes, more than the limit of {settings.max_file_bytes} "
            "(SOHOA_OCR_MAX_FILE_BYTES)"
        )
    media_type = sniff.sniff_media_type(data)
    if media_type is None:
        raise UnsupportedType(
            f"not a PDF, TIFF, JPEG or PNG file (it starts with {data[:8]!r})"
        )
    return media_type


def open_pdf(data: bytes, settings: OcrSettings) -> pymupdf.Document:
    # MuPDF silently repairs a cut-off file and shows only the pages it could rescue:
    # a missing end-of-file marker is the reliable sign that bytes were lost.
    if b"%%EOF" not in data[-2048:]:
        raise TruncatedFile("the PDF ends without its %%EOF marker: the file was cut off")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise CorruptFile(f"the PDF cannot be parsed: {exc}") from exc
    if doc.needs_pass:
        raise EncryptedPdf("the PDF is protected by a password; ask the agency for an unprotected copy")
    if doc.page_count == 0:
        raise CorruptFile("the PDF has no pages")
    if doc.page_count > settings.max_pages:
        raise FileTooLarge(f"the PDF has {doc.page_count} pages, more than {settings.max_pages}")
    return doc


def iter_image_pages(data: bytes, settings: OcrSettings) -> Iterator[ImagePage]:
    """Every frame of a TIFF, JPEG or PNG, converted to a mode Tesseract and PDF accept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"the image is too large to be a page scan: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _decode_error(exc, "the image") from exc
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        if number > settings.max_pages:
            raise FileTooLarge(f"the image has more than {settings.max_pages} pages")
        pixels = frame.width * frame.height
        if pixels > settings.max_page_pixels:
            raise ImageTooLarge(
                f"page {number} has {frame.width}x{frame.height} pixels, more than "
                f"{settings.max_page_pixels} (SOHOA_OCR_MAX_PAGE_PIXELS)"
            )
        try:
            frame.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise _decode_error(exc, f"page {number} of the image") from exc
        # A single-frame JPEG goes into the archive PDF byte for byte: no second lossy pass.
        encoded = data if image.format == "JPEG" and frame.mode in ("RGB", "L") else None
        yield ImagePage(image=_page_mode(frame), dpi=_frame_dpi(frame), encoded=encoded)


def _decode_error(exc: Exception, what: str) -> InputError:
    # Pillow says "truncated" in both of its messages for data that ends early.
    if "truncated" in str(exc).lower():
        return TruncatedFile(f"{what} ends early: the file was cut off")
    return CorruptFile(f"{what} cannot be decoded: {exc}")


def _page_mode(frame: Image.Image) -> Image.Image:
    if frame.mode in ("RGB", "L", "1"):
        return frame.copy()
    if frame.mode.startswith("I;16") or frame.mode in ("I", "F"):
        return frame.convert("L")
    return frame.convert("RGB")  # palette, CMYK, alpha


def _frame_dpi(frame: Image.Image) -> int:
    """The scan resolution; when the file does not say, assume the page is A4 wide."""
    dpi = frame.info.get("dpi")
    if dpi:
        value = int(round(float(dpi[0])))
        if 70 <= value <= 1200:
            return value
    return max(72, int(round(frame.width / A4_WIDTH_INCHES)))


def render_pdf_page(page: pymupdf.Page, dpi: int) -> ImagePage:
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    return ImagePage(image=image, dpi=dpi)
