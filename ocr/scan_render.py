"""How to rasterise a scanned PDF page for OCR: a grey scan at its own resolution, in grey.

Rendering a 200-dpi scan at 300 dpi adds pixels but no detail: the OCR copy is brought to
300 dpi by the `upscale` stage (ocr/preprocess.py) either way, and everything else (geometry,
the archive image's JPEG) then works on fewer pixels. A page whose every image is grey and
that shows nothing else is rendered in grey: an RGB copy of it costs three times the memory
and a colour-ink search that can only find none.
"""

from __future__ import annotations

from typing import NamedTuple

import pymupdf

from ocr.triage import PAGE_IMAGE_COVER

# Images under this share of the page (a logo, a pasted signature) do not set the resolution.
MIN_IMAGE_SHARE = 0.05
# What a page of grey images may show besides them: text nobody sees (a scanner's OCR layer).
_GREY_PAGE_KINDS = {"fill-image", "ignore-text"}
_GREY_SPACES = ("DeviceGray", "CalGray", "ICCBased(Gray")


class Rendering(NamedTuple):
    dpi: int
    grey: bool


def scan_rendering(page: pymupdf.Page, dpi: int) -> Rendering:
    """A grey scan in grey, at its images' resolution when that is under `dpi`; any other page at
    `dpi` in colour."""
    page_area = abs(page.rect) or 1.0
    images = page.get_image_info()
    large = [info for info in images if abs(pymupdf.Rect(info["bbox"]) & page.rect) >= MIN_IMAGE_SHARE * page_area]
    if sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in large) < PAGE_IMAGE_COVER * page_area:
        return Rendering(dpi, False)
    if not (all(_is_grey(info) for info in images) and {kind for kind, _ in page.get_bboxlog()} <= _GREY_PAGE_KINDS):
        # Colour dropout's stroke and fringe kernels are in pixels, measured at 300 dpi: a colour
        # scan read at 200 lost a signer's name by its seal (benchmarks/real_documents.py, scans).
        return Rendering(dpi, False)
    # Pixels per point from the areas: the same whatever quarter turn the image is drawn with.
    native = max(72 * (info["width"] * info["height"] / max(abs(pymupdf.Rect(info["bbox"])), 1e-6)) ** 0.5
                 for info in large)
    return Rendering(max(1, min(dpi, round(native))), True)


def _is_grey(info: dict) -> bool:
    # One component is not enough: an indexed or a spot-colour image has one too.
    return info["colorspace"] == 1 and info["cs-name"].startswith(_GREY_SPACES)
