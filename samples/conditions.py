"""Capture conditions: how a rendered page is degraded to look scanned, as a table of small steps.

A condition name maps to a render resolution, a typeface and a list of steps `(image, rng) -> image`;
names combine with `+` (`dpi200+grey`): the last resolution and typeface given win and the steps run
in order. Every random choice comes from the generator's `random.Random`, so a seed fixes the result.
Steps that change tones or geometry expect an RGB or greyscale page: put `bilevel` and `fax` last.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageChops

from samples.render import DEFAULT_TYPEFACE

Step = Callable[[Image.Image, random.Random], Image.Image]
DEFAULT_DPI = 300
WHITE = (255, 255, 255)  # OpenCV reads only the first value on a greyscale page
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as Pillow's convert("L")


def numpy_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def tint_paper(image: Image.Image, rng: random.Random) -> Image.Image:
    """Old paper: a yellowish tone, slightly darker towards one side as under a scanner lid."""
    tone = np.array([1.0, rng.uniform(0.965, 0.985), rng.uniform(0.88, 0.93)], dtype=np.float32)
    shade = np.linspace(1.0, rng.uniform(0.95, 0.99), image.width, dtype=np.float32)
    row = (255 * shade[:, None] * tone).round().astype(np.uint8)[None]  # one row, stretched down the page
    return ImageChops.multiply(image, Image.fromarray(row).resize(image.size, Image.Resampling.NEAREST))


def rotate(image: Image.Image, angle: float, fill: int | tuple[int, ...]) -> Image.Image:
    """Turns the page by `angle` degrees (counter-clockwise) about its centre, keeping its size."""
    matrix = cv2.getRotationMatrix2D((image.width / 2, image.height / 2), angle, 1.0)
    rotated = cv2.warpAffine(np.asarray(image), matrix, image.size, flags=cv2.INTER_CUBIC,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    return Image.fromarray(rotated)


def rotate_slightly(image: Image.Image, rng: random.Random) -> Image.Image:
    """A page laid a little askew on the glass: up to 0.7 degrees either way."""
    angle = rng.uniform(-0.7, 0.7)
    return rotate(image, angle, image.getpixel((image.width - 1, image.height - 1)))


def skew(image: Image.Image, rng: random.Random) -> Image.Image:
    """A page fed crooked: 1-3 degrees either way; the uncovered corners show the white lid."""
    angle = rng.uniform(1.0, 3.0) * rng.choice((-1, 1))
    return rotate(image, angle, WHITE)


def turn(transpose: Image.Transpose) -> Step:
    """A page fed sideways or upside down: the whole image turned, width and height swapped for quarter turns."""
    def turned(image: Image.Image, rng: random.Random) -> Image.Image:
        return image.transpose(transpose)
    return turned


def blur(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scanner optics; runs after the noise, which it softens as a real scan's would be."""
    sigma = rng.uniform(0.6, 0.9)
    return Image.fromarray(cv2.GaussianBlur(np.asarray(image), (0, 0), sigma))


def add_noise(image: Image.Image, rng: random.Random, sigma: float) -> Image.Image:
    pixels = np.asarray(image, dtype=np.int16)  # integer maths: 3x faster than float on a 300 dpi page
    noise = (numpy_rng(rng).standard_normal(pixels.shape[:2], dtype=np.float32) * sigma).round().astype(np.int16)
    if pixels.ndim == 3:
        noise = noise[..., None]  # luminance noise, as a scanner's sensor gives
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def sensor_noise(image: Image.Image, rng: random.Random) -> Image.Image:
    return add_noise(image, rng, rng.uniform(2.0, 3.0))


def heavy_noise(image: Image.Image, rng: random.Random) -> Image.Image:
    """A cheap or dirty scanner: strong grain, dust specks on the glass and a few dead pixels."""
    noisy = np.array(add_noise(image, rng, rng.uniform(8.0, 14.0)))
    draw = numpy_rng(rng).random(noisy.shape[:2], dtype=np.float32)
    density = rng.uniform(2e-4, 5e-4)
    speck = np.ones((2, 2), np.uint8)  # 2 px: dust, not print-sized marks
    dust = cv2.dilate((draw < density).astype(np.uint8), speck).astype(bool)
    dead = cv2.dilate((draw > 1 - density / 3).astype(np.uint8), speck).astype(bool)
    noisy[dust] = 40
    noisy[dead] = 255
    return Image.fromarray(noisy)


def jpeg_soften(image: Image.Image, rng: random.Random) -> Image.Image:
    """The scanner's own JPEG step: blocky, slightly smeared edges."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(80, 90))
    return Image.open(io.BytesIO(buffer.getvalue())).convert(image.mode)


def multiply(image: Image.Image, gain: np.ndarray) -> Image.Image:
    """Scales the page by a smooth gain field given on a coarse grid, (h, w) or (h, w, 3) for a colour tint."""
    field = cv2.resize(gain.astype(np.float32), image.size, interpolation=cv2.INTER_LINEAR)
    pixels = np.asarray(image, dtype=np.float32)
    if field.ndim == 3 and pixels.ndim == 2:
        field = field @ LUMA  # a greyscale page darkens by the tint's brightness
    elif field.ndim == 2 and pixels.ndim == 3:
        field = field[..., None]
    return Image.fromarray(np.clip(pixels * field, 0, 255).round().astype(np.uint8))


def coarse_grid(image: Image.Image, step: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates (x, y) of a grid every `step` pixels: smooth fields are computed there, then stretched."""
    ys, xs = np.mgrid[0:image.height:step, 0:image.width:step]
    return xs.astype(np.float32), ys.astype(np.float32)


def uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """Light falling off towards one side (a lifted lid, a phone held at an angle): up to about 35% darker."""
    depth = rng.uniform(0.2, 0.35)
    angle = rng.uniform(0, 2 * math.pi)
    xs, ys = coarse_grid(image, 32)
    along = xs * math.cos(angle) + ys * math.sin(angle)
    position = (along - along.min()) / (along.max() - along.min())  # 0 on the lit side, 1 on the far side
    return multiply(image, 1 - depth * position ** 1.5)  # bright over most of the page, falling off at the end


def yellowed(image: Image.Image, rng: random.Random) -> Image.Image:
    """Old paper: a deeper yellow-brown than `scan`'s tint, with faint water stains and foxing spots."""
    tone = np.array([rng.uniform(0.96, 1.0), rng.uniform(0.88, 0.93), rng.uniform(0.74, 0.82)], dtype=np.float32)
    xs, ys = coarse_grid(image)
    stain = np.zeros_like(xs)
    short_side = min(image.size)
    for index in range(rng.randint(3, 7)):
        # the first two are wide water stains, the rest small foxing spots
        radius = short_side * (rng.uniform(0.08, 0.2) if index < 2 else rng.uniform(0.005, 0.02))
        cx, cy = rng.uniform(0, image.width), rng.uniform(0, image.height)
        distance = np.hypot(xs - cx, ys - cy) / radius
        stain = np.maximum(stain, rng.uniform(0.3, 0.7) * np.exp(-distance ** 2))
    brown = np.array([0.08, 0.18, 0.38], dtype=np.float32)  # what a full stain takes from red, green, blue
    return multiply(image, tone * (1 - stain[..., None] * brown))


def to_grey(image: Image.Image, rng: random.Random) -> Image.Image:
    # Luma conversion: the red seal comes out dark grey (85 where the ink is solid), as on a grey scan.
    return image.convert("L")


def to_bilevel(image: Image.Image, rng: random.Random) -> Image.Image:
    """A fax-like black and white page with a fixed threshold, as cheap scanners do."""
    threshold = rng.randint(150, 175)
    return image.convert("L").point(lambda value: 255 if value > threshold else 0, mode="1")


def fax_transmit(image: Image.Image, rng: random.Random) -> Image.Image:
    """A received fax: black and white with ragged letter edges, the ink slightly spread or thinned."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    # The threshold wobbles from pixel to pixel: only the anti-aliased edges are in reach, so paper
    # stays clean while edges go ragged, hairlines break and the seal turns to dots.
    wobble = numpy_rng(rng).standard_normal(grey.shape, dtype=np.float32) * 25
    ink = ((grey + wobble) < rng.randint(130, 170)).astype(np.uint8)
    # Ink spreads or thins by a pixel along the scan line; a 2x2 square would erase the thin
    # horizontals (the bar of đ, t, the breve of ă) of 200 dpi text altogether.
    morph = cv2.dilate if rng.random() < 0.5 else cv2.erode
    ink = morph(ink, np.ones((1, 2), np.uint8))
    return Image.fromarray(ink == 0)  # a bool array is a mode "1" image, True for white


@dataclass(frozen=True)
class Condition:
    dpi: int | None  # None: keep the resolution of the conditions before it
    steps: tuple[Step, ...]
    typeface: str | None = None  # samples.render.TYPEFACES; None: keep the one before
    # The resolution the file claims when the steps change the page's scale (a phone writes 72);
    # None: the render resolution.
    file_dpi: int | None = None


def dark_border(image: Image.Image, rng: random.Random) -> Image.Image:
    """The scanner bed showing past the paper: dark, ragged bands along two or three edges,
    inside the page margins (Decree 30 margins are 1.5-3 cm)."""
    pixels = np.array(image)
    height, width = pixels.shape[:2]
    noise = numpy_rng(rng)
    for edge in rng.sample(["left", "right", "top", "bottom"], rng.choice([2, 3])):
        along = height if edge in ("left", "right") else width
        depth = int((width if edge in ("left", "right") else height) * rng.uniform(0.015, 0.04))
        # The paper's edge wanders a little: a smooth ragged line rather than a ruler.
        ragged = depth + np.cumsum(noise.normal(0, 0.6, along)).clip(-depth // 3, depth // 3).astype(int)
        shade = int(rng.uniform(20, 70))
        for position, reach in enumerate(ragged):
            if edge == "left":
                pixels[position, :reach] = shade
            elif edge == "right":
                pixels[position, width - reach:] = shade
            elif edge == "top":
                pixels[:reach, position] = shade
            else:
                pixels[height - reach:, position] = shade
    return Image.fromarray(pixels)


# Phone frames, portrait (width, height): from a messaging app's 720p to a 5 Mpx camera.
PHONE_FRAMES = ((720, 1280), (1080, 1440), (1080, 1920), (1536, 2048), (1920, 2560))
SKIN = (224, 172, 140)  # RGB of a fingertip under room light


def desk(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A desk top, RGB: wood with its grain, or a grey laminate, neither as bright as paper."""
    width, height = size
    noise = numpy_rng(rng)
    if rng.random() < 0.5:
        base = np.array([rng.uniform(110, 160), rng.uniform(70, 105), rng.uniform(40, 70)], dtype=np.float32)
        ys = np.arange(height, dtype=np.float32)[:, None]
        xs = np.arange(width, dtype=np.float32)[None, :]
        wobble = 25 * np.sin(ys / rng.uniform(150, 400) + rng.uniform(0, 6))  # the grain bends
        grain = np.sin((xs + wobble) / rng.uniform(4, 12)) * 0.5 + 0.5
        shade = (0.8 + 0.25 * grain)[..., None]
    else:
        grey = rng.uniform(70, 130)
        base = np.array([grey, grey, grey * rng.uniform(0.95, 1.05)], dtype=np.float32)
        shade = np.ones((height, width, 1), dtype=np.float32)
    speckle = noise.normal(1.0, 0.04, (height, width, 1)).astype(np.float32)
    return np.clip(base * shade * speckle, 0, 255)


def photograph(image: Image.Image, rng: random.Random) -> Image.Image:
    """The page lying on a desk, photographed from above at a slant: random corners, a phone frame."""
    width, height = rng.choice(PHONE_FRAMES)
    page_width = width * rng.uniform(0.62, 0.85)
    page_height = page_width * image.height / image.width
    if page_height > 0.9 * height:
        page_width, page_height = page_width * 0.9 * height / page_height, 0.9 * height
    cx = width / 2 + rng.uniform(-0.5, 0.5) * (width - page_width) * 0.6
    cy = height / 2 + rng.uniform(-0.5, 0.5) * (height - page_height) * 0.6
    angle = math.radians(rng.uniform(-6, 6))
    # The side nearer the phone looks wider: perspective, then every corner off by a little more.
    near = rng.uniform(0.0, 0.12) * rng.choice((-1, 1))
    corners = []
    for x, y in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        spread = 1 + near * y
        px = x * spread * page_width / 2 + rng.uniform(-0.02, 0.02) * width
        py = y * page_height / 2 + rng.uniform(-0.02, 0.02) * height
        corners.append((cx + px * math.cos(angle) - py * math.sin(angle),
                        cy + px * math.sin(angle) + py * math.cos(angle)))
    target = np.array(corners, dtype=np.float32)
    # The whole sheet stays in the frame, with a little desk round it.
    span = target.max(axis=0) - target.min(axis=0)
    fit = min(1.0, 0.94 * width / span[0], 0.94 * height / span[1])
    target = (target - target.mean(axis=0)) * fit + target.mean(axis=0)
    low, high = np.array([0.03 * width, 0.03 * height]), np.array([0.97 * width, 0.97 * height])
    target += np.maximum(0, low - target.min(axis=0)) - np.maximum(0, target.max(axis=0) - high)
    # Shrink first with area averaging: a perspective warp alone aliases the print at this scale.
    factor = page_width / image.width
    small = cv2.resize(np.asarray(image.convert("RGB")), None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    source = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    sheet = cv2.warpPerspective(small, matrix, (width, height), flags=cv2.INTER_LINEAR).astype(np.float32)
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (width, height), flags=cv2.INTER_LINEAR)
    photo = sheet * cover[..., None] + desk((width, height), rng) * (1 - cover[..., None])
    return Image.fromarray(photo.round().astype(np.uint8))


def room_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """Paper under room light is grey, not white, and darker away from the window."""
    dimmed = multiply(image, np.full((1, 1), rng.uniform(0.78, 0.92), dtype=np.float32))
    return uneven_light(dimmed, rng)


def glare(image: Image.Image, rng: random.Random) -> Image.Image:
    """Half the photos: a lamp's reflection, a soft spot that washes print out towards white."""
    if rng.random() < 0.5:
        return image
    xs, ys = coarse_grid(image)
    cx, cy = rng.uniform(0.25, 0.75) * image.width, rng.uniform(0.2, 0.8) * image.height
    radius = min(image.size) * rng.uniform(0.08, 0.16)
    share = rng.uniform(0.5, 0.75) * np.exp(-(np.hypot(xs - cx, ys - cy) / radius) ** 2)
    share = cv2.resize(share.astype(np.float32), image.size, interpolation=cv2.INTER_LINEAR)[..., None]
    pixels = np.asarray(image, dtype=np.float32)
    return Image.fromarray((pixels + (255 - pixels) * share).round().astype(np.uint8))


def finger(image: Image.Image, rng: random.Random) -> Image.Image:
    """Two photos in five: a fingertip holding the page down, over its left or right edge."""
    if rng.random() < 0.6:
        return image
    pixels = np.array(image)
    width, height = image.size
    mask = np.zeros((height, width), np.float32)
    # A fingertip is about 1.6 cm wide, some 6% of a frame that holds an A4 page.
    length, thickness = int(width * rng.uniform(0.18, 0.28)), int(width * rng.uniform(0.025, 0.035))
    cy = int(height * rng.uniform(0.3, 0.8))
    # From the frame's edge to a little past the page's edge (the page covers 62-85% of the width).
    cx = length // 2 if rng.random() < 0.5 else width - length // 2
    cv2.ellipse(mask, (cx, cy), (length // 2, thickness), rng.uniform(-15, 15), 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 2)[..., None]
    skin = np.array(SKIN, dtype=np.float32) * rng.uniform(0.8, 1.0)
    return Image.fromarray((pixels * (1 - mask) + skin * mask).round().astype(np.uint8))


def phone_jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    """The phone's processing: grain, a little softness, stronger JPEG than a scanner's."""
    softened = blur(add_noise(image, rng, rng.uniform(2.0, 4.0)), rng)
    buffer = io.BytesIO()
    softened.save(buffer, "JPEG", quality=rng.randint(70, 88))
    return Image.open(io.BytesIO(buffer.getvalue())).convert(image.mode)


SCAN = (tint_paper, rotate_slightly, sensor_noise, blur, jpeg_soften)
PHONE_PHOTO = (photograph, room_light, glare, finger, phone_jpeg)
CONDITIONS: dict[str, Condition] = {
    "clean": Condition(None, ()),
    "scan": Condition(None, SCAN),
    "grey": Condition(None, (to_grey,)),
    "bilevel": Condition(None, (to_bilevel,)),
    "dpi200": Condition(200, ()),
    "lowres": Condition(150, ()),
    "fax": Condition(200, (fax_transmit,)),
    "skew": Condition(None, (skew,)),
    "rot90": Condition(None, (turn(Image.Transpose.ROTATE_90),)),  # counter-clockwise
    "rot180": Condition(None, (turn(Image.Transpose.ROTATE_180),)),
    "rot270": Condition(None, (turn(Image.Transpose.ROTATE_270),)),
    "uneven_light": Condition(None, (uneven_light,)),
    "yellowed": Condition(None, (yellowed,)),
    "noisy": Condition(None, (heavy_noise,)),
    "border": Condition(None, (dark_border,)),
    "font_serif2": Condition(None, (), "dejavu_serif"),
    "font_sans": Condition(None, (), "liberation_sans"),
    # Conditions of the file (samples.generate.FILE_CONDITIONS), here the picture under it.
    "signed_stamp": Condition(None, SCAN),
    "scanner_layer": Condition(None, SCAN + (to_grey,)),
    "stamped_blanks": Condition(None, ()),
    # Content rather than capture: an appendix page with a ruled table of procedures follows the
    # document (samples/appendix.py); combine with a capture condition (`appendix_table+scan`).
    "appendix_table": Condition(None, ()),
    # Content too: that appendix page filed alone, a document of its own (`phu_luc`).
    "appendix_alone": Condition(None, ()),
    # Content too: holders and dates printed inside the body (samples.specs.IN_BODY_BUILDERS).
    "holders_in_body": Condition(None, ()),
    # Content too: the number and the day written in by hand (samples/handwriting.py).
    "handwritten_blanks": Condition(None, ()),
    # Content too: the receiving office's `ĐẾN` stamp beside the title (samples/received_stamp.py).
    "received_stamp": Condition(None, ()),
    # Content rather than capture: personal results on their national forms and security paper
    # (samples/national_forms.py); other types keep the Decree 30 frame.
    "national_form": Condition(None, ()),
    # A page photographed on a desk with a phone: found, flattened and read by ocr/photo.py.
    "phone_photo": Condition(None, PHONE_PHOTO, file_dpi=72),
}


@dataclass(frozen=True)
class Capture:
    """A resolved condition name: how to render the pages and how to degrade them."""

    dpi: int
    typeface: str
    steps: tuple[Step, ...]
    file_dpi: int | None = None  # the resolution the file claims, when not `dpi`

    @property
    def claimed_dpi(self) -> int:
        """The resolution written into the file."""
        return self.file_dpi or self.dpi


def resolve(name: str) -> Capture:
    """The render resolution, typeface and steps of a condition name such as `dpi200+scan+grey`."""
    dpi, typeface, steps, file_dpi = DEFAULT_DPI, DEFAULT_TYPEFACE, (), None
    for part in name.split("+"):
        if part not in CONDITIONS:
            raise ValueError(f"unknown condition {part!r}; known: {', '.join(CONDITIONS)}")
        condition = CONDITIONS[part]
        dpi = condition.dpi or dpi
        typeface = condition.typeface or typeface
        steps += condition.steps
        file_dpi = condition.file_dpi or file_dpi
    return Capture(dpi, typeface, steps, file_dpi)


def degrade(image: Image.Image, steps: tuple[Step, ...], rng: random.Random) -> Image.Image:
    for step in steps:
        image = step(image, rng)
    return image
