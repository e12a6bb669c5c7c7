"""Page preprocessing before recognition. Each stage is a small function, named in the page's record.

The archive image is never changed: stages work on the copy that Tesseract reads.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

# Red seals and blue signatures are strongly coloured; black print and paper (even yellowed)
# are not. Between the strongest and the weakest channel, anti-aliased black print stays
# under 40 and stamp ink is well over 60.
INK_CHROMA = 60
# JPEG blurs the ink's edges into pale, weakly coloured pixels: next to ink, anything this
# light is cleared too. Print is darker than this, so letters under the seal survive.
FRINGE_LIGHTNESS = 150
_FRINGE_KERNEL = np.ones((5, 5), np.uint8)


def drop_colour_ink(image: Image.Image) -> Image.Image:
    """Grey copy of the page with strongly coloured ink (seal, signature) turned to paper."""
    rgb = np.asarray(image.convert("RGB"))
    channels = cv2.split(rgb)
    brightest = cv2.max(cv2.max(channels[0], channels[1]), channels[2])
    darkest = cv2.min(cv2.min(channels[0], channels[1]), channels[2])
    ink = cv2.subtract(brightest, darkest) > INK_CHROMA
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    near_ink = cv2.dilate(ink.astype(np.uint8), _FRINGE_KERNEL).astype(bool)
    grey[ink | (near_ink & (grey > FRINGE_LIGHTNESS))] = 255
    return Image.fromarray(grey, mode="L")


def prepare_for_ocr(image: Image.Image, colour_dropout: bool) -> tuple[Image.Image, list[str]]:
    """The grey image Tesseract reads, and the stages applied to it."""
    if colour_dropout and image.mode == "RGB":
        return drop_colour_ink(image), ["colour_dropout"]
    return image.convert("L"), []
