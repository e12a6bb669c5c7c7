"""Open an input file and hand out its pages, turning every way a file can be bad into a typed error.

PDFs are read with PyMuPDF; TIFF (multi-page), JPEG and PNG with Pillow. An input is the file's
bytes or its path (`Source`): a scanned volume's original is hundreds of MB, which a path keeps
on disk, MuPDF reading the pages as it needs them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

# Pillow's decompression-bomb limit (89 Mpx) would refuse a 2400-dpi scan before it could be
# downsampled: sohoa checks every frame against SOHOA_OCR_MAX_IMAGE_PIXELS itself, before decoding.
Image.MAX_IMAGE_PIXELS = None
pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's own stderr chatter; we raise typed errors instead

Source = bytes | Path  # a file's bytes, or the file on disk
HEAD_BYTES = 1024  # what sniffing reads (`sniff.sniff_media_type`)
EOF_WINDOW = 2048  # where a whole PDF's %%EOF marker is looked for


@dataclass
class ImagePage:
    image: Image.Image
    dpi: int
    encoded: bytes | None = None  # the page's own JPEG file, embedded in the PDF as scanned
    downsampled_from: str | None = None  # `downsampled_note`: the page was larger than the pixel limit


def check_bytes(source: Source, settings: OcrSettings) -> str:
    """The sniffed media type, after the checks that need only the bytes (the first and last
    few of a file on disk)."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if not size:
        raise EmptyFile("the file is empty (0 bytes)")
    if size > settings.max_file_bytes:
        raise FileTooLarge(
            f"the file has {size} bytes, more than the limit of {settings.max_file_bytes} "
            "(SOHOA_OCR_MAX_FILE_BYTES)"
        )
    head = _read_head(source, HEAD_BYTES)
    media_type = sniff.sniff_media_type(head)
    if media_type is None:
        raise UnsupportedType(
            f"not a PDF, TIFF, JPEG or PNG file (it starts with {head[:8]!r})"
        )
    return media_type


def _read_head(source: Source, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    with source.open("rb") as file:
        return file.read(size)


def _read_tail(source: Source, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[-size:]
    with source.open("rb") as file:
        file.seek(max(0, source.stat().st_size - size))
        return file.read()


def open_pdf(source: Source, settings: OcrSettings) -> pymupdf.Document:
    # MuPDF silently repairs a cut-off file and shows only the pages it could rescue:
    # a missing end-of-file marker is the reliable sign that bytes were lost.
    if b"%%EOF" not in _read_tail(source, EOF_WINDOW):
        raise TruncatedFile("the PDF ends without its %%EOF marker: the file was cut off")
    try:
        if isinstance(source, bytes):
            doc = pymupdf.open(stream=source, filetype="pdf")
        else:
            doc = pymupdf.open(source, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise CorruptFile(f"the PDF cannot be parsed: {exc}") from exc
    if doc.needs_pass:
        raise EncryptedPdf("the PDF is protected by a password; ask the agency for an unprotected copy")
    if doc.page_count == 0:
        raise CorruptFile("the PDF has no pages")
    if doc.page_count > settings.max_pages:
        raise FileTooLarge(f"the PDF has {doc.page_count} pages, more than {settings.max_pages}")
    return doc


def iter_image_pages(source: Source, settings: OcrSettings) -> Iterator[ImagePage]:
    """Every frame of a TIFF, JPEG or PNG, converted to a mode Tesseract and PDF accept.

    A frame over the page pixel limit is downsampled to it (`downsample_scale`); one over the
    decompression-bomb limit is refused with ImageTooLarge before it is decoded.
    """
    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Image.DecompressionBombError as exc:  # Pillow's own limit is off (above); kept for safety
        raise ImageTooLarge(f"the image is too large to be a page scan: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _decode_error(exc, "the image") from exc
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        if number > settings.max_pages:
            raise FileTooLarge(f"the image has more than {settings.max_pages} pages")
        check_not_a_bomb(frame.width, frame.height, settings, f"page {number}")
        size, dpi = frame.size, _frame_dpi(frame)
        scale = downsample_scale(*size, settings.max_page_pixels)
        if scale < 1 and image.format == "JPEG":
            # Decoded at 1/2, 1/4 or 1/8 straight away: the full-size pixels never exist.
            frame.draft(frame.mode, (math.ceil(frame.width * scale), math.ceil(frame.height * scale)))
        try:
            frame.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise _decode_error(exc, f"page {number} of the image") from exc
        if scale < 1:
            yield _downsampled(_page_mode(frame), size, dpi, scale)
            continue
        # A single-frame JPEG goes into the archive PDF byte for byte: no second lossy pass.
        encoded = None
        if image.format == "JPEG" and frame.mode in ("RGB", "L"):
            encoded = source if isinstance(source, bytes) else source.read_bytes()
        yield ImagePage(image=_page_mode(frame), dpi=dpi, encoded=encoded)


def downsample_scale(width: int, height: int, max_pixels: int) -> float:
    """The linear scale (at most 1) that brings a `width` x `height` page within `max_pixels`."""
    pixels = width * height
    return 1.0 if pixels <= max_pixels else math.sqrt(max_pixels / pixels)


def check_not_a_bomb(width: int, height: int, settings: OcrSettings, what: str) -> None:
    if width * height > settings.max_image_pixels:
        raise ImageTooLarge(
            f"{what} has {width}x{height} pixels, more than {settings.max_image_pixels} "
            "(SOHOA_OCR_MAX_IMAGE_PIXELS): no page scan is that large, refused as a decompression bomb"
        )


def downsampled_note(width: int, height: int, dpi: int) -> str:
    """The stage recorded on a page read smaller than it came: what it came as."""
    return f"downsampled from {width}x{height} px at {dpi} dpi"


def _downsampled(image: Image.Image, size: tuple[int, int], dpi: int, scale: float) -> ImagePage:
    """`image` (maybe decoded smaller already) at `scale` of its original `size`."""
    target = (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))
    if image.mode == "1":  # averaged to grey: strokes thinner than a pixel stay visible
        image = image.convert("L")
    if image.size != target:
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return ImagePage(image=image, dpi=max(1, round(dpi * scale)), downsampled_from=downsampled_note(*size, dpi))


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


def render_pdf_page(page: pymupdf.Page, dpi: int, max_pixels: int | None = None, grey: bool = False) -> ImagePage:
    """The page at `dpi`, or, when that would exceed `max_pixels` (a poster, a drawing), at the
    highest resolution within it, saying so in `downsampled_from`; in grey (mode L) if `grey`."""
    downsampled_from = None
    if max_pixels:
        size = (round(page.rect.width * dpi / POINTS_PER_INCH), round(page.rect.height * dpi / POINTS_PER_INCH))
        scale = downsample_scale(*size, max_pixels)
        if scale < 1:
            downsampled_from = downsampled_note(*size, dpi)
            dpi = max(1, int(dpi * scale))
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY if grey else pymupdf.csRGB, alpha=False)
    # `samples_mv` is a view of the pixmap: `samples` would be one more copy of the page (26 MB).
    image = Image.frombytes("L" if grey else "RGB", (pixmap.width, pixmap.height), pixmap.samples_mv)
    # MuPDF keeps decoded images in its cache, up to 256 MB: on a scanned volume every page's
    # image is new, so the cache only holds memory (measured: 320 MB after 15 pages).
    pymupdf.TOOLS.store_shrink(100)
    return ImagePage(image=image, dpi=dpi, downsampled_from=downsampled_from)


