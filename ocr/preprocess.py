"""Page preprocessing before recognition: small stages, each switchable, named in the page's record.

Geometric stages (flattening a phone photo, quarter turns, deskew) change the archive image
too, so that the invisible text stays over the words it belongs to. Photometric stages (grey, ink dropout,
illumination, upscaling) work only on the copy Tesseract reads: the archive keeps the
page's own colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from PIL import Image

from ocr.photo import find_page_corners, flatten_page, has_camera_tag, remove_glare
from ocr.table_lines import erase_table_lines
from ocr.tables import Table

# Red seals and blue signatures are strongly coloured; black print and paper (even yellowed)
# are not. Between the strongest and the weakest channel, anti-aliased black print stays
# under 40 and stamp ink is well over 60.
INK_CHROMA = 60
# JPEG blurs the ink's edges into pale, weakly coloured pixels: next to ink, anything this
# light is cleared too. Print is darker than this, so letters under the seal survive.
FRINGE_LIGHTNESS = 150
# ...and so is anything faintly coloured next to ink: a blue stroke's dark edge, which would
# otherwise leave the signature's outline to be read as junk. Black print is not coloured.
FRINGE_CHROMA = 25
# Share of ink pixels a 3x3 median changes: ~0.02-0.035 on clean or mildly noisy scans, 0.06 with
# dust and grain, but 0.045-0.073 on half the crisp rendered real pages too, whose thin strokes it
# wears down. Denoising a clean page loses fine marks, so only above this.
SPECKLE_RATIO = 0.045
# Dust and grain come as specks of a few pixels; the smallest mark of print (the dot of `ạ`, a full
# stop) covers 15 or more at 300 dpi.
SPECK_PIXELS = 4
# Share of a page's ink components that are specks: 0.63-0.73 on speckled pages (the generator's
# `noisy` condition, a real scan's dusty page), at most 0.27 on clean and grainy scans and on
# rendered pages, signatures and seals included.
SPECK_SHARE = 0.4
# Paper lighter than 200 but not white (under 250), as a share of all paper: 0.004-0.07 on real
# scans, up to 0.015 on pages rendered from PDFs. The median pays on a scan's grain (real scans
# whose ink it changes enough read better with it); under this the page is crisp.
CRISP_GRAIN = 0.02
# On a crisp page the median still pays where a signature or a seal is: it wears their thin grey
# strokes away, which Tesseract reads as junk glued to the signer's title and name. Such strokes
# are ink this much lighter than the print, away from print, longer than a letter is ever tall;
# the median covers them and this margin round them.
STROKE_LIGHTER = 45
STROKE_LIGHTEST = 200
STROKE_MIN_CM = 0.8
STROKE_MARGIN_CM = 0.3
_FRINGE_KERNEL = np.ones((5, 5), np.uint8)
_STROKE_KERNEL = np.ones((3, 3), np.uint8)
# Geometry is measured on a small copy: about 75 dpi keeps text lines apart and costs ~10 ms.
ANALYSIS_DPI = 75
MAX_SKEW_DEGREES = 5.0
# Below this, Tesseract reads as well as straight and re-encoding the archive image would cost more.
MIN_SKEW_DEGREES = 0.3
# A page is taken as turned a quarter only when its lines are clearly sharper that way.
SIDEWAYS_MARGIN = 1.3
# Round seals are 3.5-4.2 cm across (decrees on seals); a found circle counts as a seal only if
# its rim is inked nearly all the way round: 94-100% on seals, under 80% on circles imagined
# in text (measured on the darkest of each 3x3 neighbourhood, across a band of radii).
SEAL_RADIUS_CM = (1.6, 2.3)
SEAL_RIM_INKED = 0.9
# On a grey scan, seal ink must be this much lighter than print to be told apart from it.
SEAL_CONTRAST = 30
# Tesseract's LSTM wants an x-height of 20+ pixels: 13 pt print reaches it near 300 dpi.
TARGET_DPI = 300


@dataclass(frozen=True)
class PrepareOptions:
    flatten: bool = True
    orientation: bool = True
    deskew: bool = True
    colour_dropout: bool = True
    illumination: bool = True
    upscale: bool = True
    denoise: bool = True
    seal_removal: bool = True
    table_lines: bool = True


@dataclass
class PreparedPage:
    archive: Image.Image  # what the PDF shows: the page upright and straight, colours untouched
    encoded: bytes | None  # the original JPEG, while the archive image is still the scanned one
    dpi: int  # of the archive image, as scanned
    ocr_image: Image.Image  # what Tesseract reads
    ocr_dpi: int
    rotation: int = 0  # degrees turned clockwise to make the page upright
    skew: float = 0.0  # degrees of skew corrected
    photometric: list[str] = field(default_factory=list)  # stages applied to the OCR copy only
    flattened: bool = False  # a phone photo: the sheet cut out of it and seen straight on
    tables: list[Table] = field(default_factory=list)  # ruled tables found on the OCR copy
    # No grain or dust on the copy read (a page rendered from a PDF, a clean scan): no speck on it
    # can be read as a mark.
    crisp: bool = False

    @property
    def stages(self) -> list[str]:
        geometric = (["flatten"] if self.flattened else []) + (["orientation"] if self.rotation else [])
        return geometric + (["deskew"] if self.skew else []) + self.photometric


def prepare_page(image: Image.Image, dpi: int, encoded: bytes | None, options: PrepareOptions) -> PreparedPage:
    page = PreparedPage(archive=image, encoded=encoded, dpi=dpi, ocr_image=image, ocr_dpi=dpi)
    grey = _small_grey(image, dpi)
    if options.flatten:
        corners = find_page_corners(grey, has_camera_tag(image))
        if corners is not None:
            flat, flat_dpi = flatten_page(image, corners * image.width / grey.shape[1])
            page = PreparedPage(archive=flat, encoded=None, dpi=flat_dpi, ocr_image=flat, ocr_dpi=flat_dpi,
                                flattened=True)
            # Room light shades a photo far more than a scanner does: Otsu would take the shadow for ink.
            grey = normalise_illumination(_small_grey(flat, flat_dpi), min(flat_dpi, ANALYSIS_DPI))
    small = _binarise(grey)
    angle, sharpness = estimate_skew(small)
    if options.orientation:
        turned = np.ascontiguousarray(np.rot90(small, k=-1))
        turned_angle, turned_sharpness = estimate_skew(turned)
        # Text lines run across the way that gives the sharpest row profile at its best angle.
        if turned_sharpness > SIDEWAYS_MARGIN * sharpness:
            page, angle = turn(page, 90), turned_angle
    if options.deskew and abs(angle) >= MIN_SKEW_DEGREES:
        page = replace(page, archive=rotate_by(page.archive, angle), encoded=None, skew=round(angle, 2))
    return _photometric(page, options)


def turn(page: PreparedPage, degrees: int) -> PreparedPage:
    """Turn the page clockwise by a quarter or half turn (the OCR copy is redone afterwards)."""
    turned = page.archive.rotate(-degrees, expand=True)
    return replace(page, archive=turned, encoded=None, ocr_image=turned, rotation=(page.rotation + degrees) % 360)


def flip(page: PreparedPage, options: PrepareOptions) -> PreparedPage:
    """The same page upside down, with the OCR copy made again."""
    return _photometric(turn(page, 180), options)


def _photometric(page: PreparedPage, options: PrepareOptions) -> PreparedPage:
    image, dpi = page.archive, page.dpi
    stages = []
    if options.colour_dropout and image.mode == "RGB":
        grey, cleared = drop_colour_ink(image)
        if cleared:
            stages.append("colour_dropout")
    else:
        grey = np.asarray(image.convert("L"))
        if options.seal_removal and image.mode == "L":
            grey, removed = remove_grey_seals(grey, dpi)
            if removed:
                stages.append("seal_removal")
    if page.flattened:
        grey, glared = remove_glare(grey, dpi)
        if glared:
            stages.append("glare")
    if options.illumination and image.mode != "1":  # a bilevel page has no shading left to even out
        grey = normalise_illumination(grey, dpi)
        stages.append("illumination")
    # Measured on the page as given: interpolation greys the edges of print, and a 200-dpi page
    # rendered from a PDF upscaled has the grain of a scan (0.021-0.026 against 0.010-0.015).
    grain = paper_grain(grey)
    # A bilevel scan has no detail between its pixels to recover: interpolating it only blurs.
    if options.upscale and dpi < TARGET_DPI * 0.9 and image.mode != "1":
        grey = cv2.resize(grey, None, fx=TARGET_DPI / dpi, fy=TARGET_DPI / dpi, interpolation=cv2.INTER_CUBIC)
        dpi = TARGET_DPI
        stages.append("upscale")
    # After upscaling, so that a 3x3 median means the same at every scan resolution. Thin
    # bilevel strokes (fax) do not survive a median; speckle on them is rare anyway.
    denoised = None
    if options.denoise and image.mode != "1":
        grey, denoised = denoise(grey, dpi, grain)
        if denoised:
            stages.append(denoised)
    # A bilevel page is never taken for crisp: it has no grey to measure grain by.
    crisp = image.mode != "1" and grain < CRISP_GRAIN and denoised != "denoise"
    # Last, on the copy as Tesseract will read it: table rules read as `|` glued to words.
    tables = []
    if options.table_lines:
        grey, tables = erase_table_lines(grey, dpi)
        if tables:
            stages.append("table_lines")
    return replace(page, ocr_image=Image.fromarray(grey, mode="L"), ocr_dpi=dpi, photometric=stages, tables=tables,
                   crisp=crisp)


def drop_colour_ink(image: Image.Image) -> tuple[np.ndarray, bool]:
    """Grey copy of the page with strongly coloured ink (seal, signature) turned to paper;
    also whether there was any."""
    rgb = np.asarray(image.convert("RGB"))
    channels = cv2.split(rgb)
    brightest = cv2.max(cv2.max(channels[0], channels[1]), channels[2])
    darkest = cv2.min(cv2.min(channels[0], channels[1]), channels[2])
    chroma = cv2.subtract(brightest, darkest)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # Most pages (every grey scan rendered from a PDF) have none: the masks below cost 0.15 s.
    if not cv2.countNonZero(cv2.threshold(chroma, INK_CHROMA, 255, cv2.THRESH_BINARY)[1]):
        return grey, False
    # Stamp ink comes in strokes; single coloured pixels are scan noise or JPEG ringing
    # around print, and must not make the fringe rule eat the edges of letters.
    ink = cv2.morphologyEx((chroma > INK_CHROMA).astype(np.uint8), cv2.MORPH_OPEN, _STROKE_KERNEL)
    near_ink = cv2.dilate(ink, _FRINGE_KERNEL).astype(bool)
    tinted = chroma > FRINGE_CHROMA
    grey[ink.astype(bool) | (near_ink & ((grey > FRINGE_LIGHTNESS) | tinted))] = 255
    return grey, bool(ink.any())


def remove_grey_seals(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """On a grey scan, clear the seal's ink (lighter than print) inside each round seal found.

    Colour dropout cannot see a seal once the scan is grey, and its rim erases the signer's
    title it overlaps. Returns the cleaned copy and how many seals were cleared.
    """
    scale = ANALYSIS_DPI / dpi
    small = cv2.medianBlur(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), 3)
    low, high = (int(cm / 2.54 * ANALYSIS_DPI) for cm in SEAL_RADIUS_CM)
    circles = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT, dp=1.2, minDist=2 * low, param1=100, param2=30,
                               minRadius=low, maxRadius=high)
    if circles is None:
        return grey, 0
    print_level = float(np.percentile(grey[grey < 128], 10)) if np.any(grey < 128) else 0.0
    cleaned, removed = grey.copy(), 0
    rows, columns = np.ogrid[: grey.shape[0], : grey.shape[1]]
    for x, y, radius in circles[0]:
        rim = _rim_levels(small, x, y, radius)
        ring_level = float(np.median(rim))
        if np.mean(rim < 200) < SEAL_RIM_INKED or ring_level - print_level < SEAL_CONTRAST:
            continue
        x, y, radius = x / scale, y / scale, radius / scale * 1.08  # the rim's outer edge
        inside = (columns - x) ** 2 + (rows - y) ** 2 <= radius**2
        cleaned[inside & (grey > (print_level + ring_level) / 2)] = 255
        removed += 1
    return cleaned, removed


def _rim_levels(small: np.ndarray, x: float, y: float, radius: float) -> np.ndarray:
    """The darkest value near each of 180 points round the circle.

    The rim is a few pixels thick and the found radius is approximate: look across a band.
    """
    darkest = cv2.erode(small, _STROKE_KERNEL)  # each pixel: the darkest of its 3x3 neighbours
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    levels = []
    for factor in (0.9, 0.95, 1.0, 1.05):
        xs = np.clip((x + factor * radius * np.cos(angles)).astype(int), 0, small.shape[1] - 1)
        ys = np.clip((y + factor * radius * np.sin(angles)).astype(int), 0, small.shape[0] - 1)
        levels.append(darkest[ys, xs])
    return np.min(levels, axis=0)


def speckle_ratio(grey: np.ndarray) -> float:
    """How much of the ink is isolated specks: the share of ink pixels a 3x3 median changes."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # OpenCV's counts: numpy's `!=` makes a boolean copy of the page first.
    return cv2.countNonZero(cv2.absdiff(cv2.medianBlur(ink, 3), ink)) / max(1, cv2.countNonZero(ink))


def denoise(grey: np.ndarray, dpi: int, grain: float) -> tuple[np.ndarray, str | None]:
    """A 3x3 median where the page is measurably noisy; on a crisp page (`grain`: its
    paper_grain) only round the strokes of a signature or a seal. Returns the copy and the
    stage's name, if any."""
    if speckle_ratio(grey) <= SPECKLE_RATIO:
        return grey, None
    if grain >= CRISP_GRAIN or is_speckled(grey, dpi):
        return cv2.medianBlur(grey, 3), "denoise"
    if not (zones := stroke_zones(grey, dpi)):
        return grey, None
    smooth, denoised = cv2.medianBlur(grey, 3), grey.copy()
    for x0, y0, x1, y1 in zones:
        denoised[y0:y1, x0:x1] = smooth[y0:y1, x0:x1]
    return denoised, "denoise_strokes"


def paper_grain(grey: np.ndarray) -> float:
    """Share of the paper (lighter than 200) that is not white: a scanner's grain and JPEG
    noise, or only the anti-aliased edges of print on a page rendered from a PDF."""
    counts = cv2.calcHist([grey], [0], None, [56], [200, 256]).ravel()
    return float(counts[:50].sum() / max(1.0, counts.sum()))


def is_speckled(grey: np.ndarray, dpi: int) -> bool:
    """Whether dust covers the page: most of its ink's connected components are too small for
    print."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]  # label 0 is the paper
    return np.count_nonzero(areas <= SPECK_PIXELS * (dpi / 300) ** 2) > SPECK_SHARE * max(1, count - 1)


def stroke_zones(grey: np.ndarray, dpi: int) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) round the long strokes of ink clearly lighter than print: a
    signature's, a seal's, once the page is grey."""
    dark_counts = cv2.calcHist([grey], [0], None, [128], [0, 128]).ravel().cumsum()
    if not dark_counts[-1]:
        return []
    print_level = int(np.searchsorted(dark_counts, 0.1 * dark_counts[-1]))
    if print_level + STROKE_LIGHTER >= 128:  # faded print is as grey as a stroke
        return []
    dark = cv2.threshold(grey, print_level + STROKE_LIGHTER, 255, cv2.THRESH_BINARY_INV)[1]
    light = cv2.subtract(cv2.threshold(grey, STROKE_LIGHTEST, 255, cv2.THRESH_BINARY_INV)[1],
                         cv2.dilate(dark, _STROKE_KERNEL))
    _, _, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=8)
    longest, margin = STROKE_MIN_CM / 2.54 * dpi, int(STROKE_MARGIN_CM / 2.54 * dpi)
    height, width = grey.shape
    return [
        (max(0, x - margin), max(0, y - margin), min(width, x + w + margin), min(height, y + h + margin))
        for x, y, w, h, _ in stats[1:]
        if max(w, h) >= longest
    ]


def normalise_illumination(grey: np.ndarray, dpi: int) -> np.ndarray:
    """Divide by the paper's own brightness: yellowed, stained or unevenly lit paper turns white."""
    scale = 8
    small = cv2.resize(grey, (max(1, grey.shape[1] // scale), max(1, grey.shape[0] // scale)),
                       interpolation=cv2.INTER_AREA)
    # A closing wider than a stroke removes the print and leaves the paper.
    size = max(3, int(dpi / scale / 10) | 1)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = cv2.medianBlur(paper, 5)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


def _small_grey(image: Image.Image, dpi: int) -> np.ndarray:
    """A small grey copy, about ANALYSIS_DPI, for measuring geometry."""
    grey = np.asarray(image.convert("L"))
    factor = min(1.0, ANALYSIS_DPI / dpi)
    return cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def _binarise(small: np.ndarray) -> np.ndarray:
    """Ink = 1."""
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def estimate_skew(ink: np.ndarray) -> tuple[float, float]:
    """Degrees to turn counter-clockwise so that text lines run level, and how sharp the rows then are.

    Projection profile search: level text lines make the row sums jump between ink and gap.
    """
    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5)
    best = max(coarse, key=lambda a: _row_sharpness(ink, a))
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    scored = [(_row_sharpness(ink, a), float(a)) for a in fine]
    sharpness, angle = max(scored)
    return round(angle, 2), sharpness


def _row_sharpness(ink: np.ndarray, angle: float) -> float:
    height, width = ink.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
    # OpenCV's row sums: numpy's sum of a uint8 page widens every pixel first, at twice the time.
    return _sharpness(cv2.reduce(turned, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(float))


def _sharpness(profile: np.ndarray) -> float:
    return float(np.sum(np.diff(profile) ** 2))


def rotate_by(image: Image.Image, angle: float) -> Image.Image:
    """Turn counter-clockwise by `angle` degrees, filling the corners with the paper's colour."""
    mode = image.mode
    pixels = np.asarray(image.convert("L") if mode == "1" else image)
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    sample = pixels.reshape(-1, pixels.shape[2] if pixels.ndim == 3 else 1)[:: max(1, height * width // 20000)]
    paper = tuple(float(v) for v in np.percentile(sample, 90, axis=0))
    turned = cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_CUBIC,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
    result = Image.fromarray(turned)
    return result.convert("1") if mode == "1" else result
