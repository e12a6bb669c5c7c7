"""Capture conditions: how a rendered page is degraded to look scanned, as a table of small steps.

A condition name maps to a render resolution and a list of steps `(image, rng) -> image`; names
combine with `+` (`dpi200+grey`): the last resolution given wins and the steps run in order.
Every random choice comes from the generator's `random.Random`, so a seed fixes the result.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageChops

Step = Callable[[Image.Image, random.Random], Image.Image]
DEFAULT_DPI = 300


def numpy_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def tint_paper(image: Image.Image, rng: random.Random) -> Image.Image:
    """Old paper: a yellowish tone, slightly darker towards one side as under a scanner lid."""
    tone = np.array([1.0, rng.uniform(0.965, 0.985), rng.uniform(0.88, 0.93)], dtype=np.float32)
    shade = np.linspace(1.0, rng.uniform(0.95, 0.99), image.width, dtype=np.float32)
    row = (255 * shade[:, None] * tone).round().astype(np.uint8)[None]  # one row, stretched down the page
    return ImageChops.multiply(image, Image.fromarray(row).resize(image.size, Image.Resampling.NEAREST))


def rotate_slightly(image: Image.Image, rng: random.Random) -> Image.Image:
    """A page laid a little askew on the glass: up to 0.7 degrees either way."""
    angle = rng.uniform(-0.7, 0.7)
    corner = image.getpixel((image.width - 1, image.height - 1))
    matrix = cv2.getRotationMatrix2D((image.width / 2, image.height / 2), angle, 1.0)
    rotated = cv2.warpAffine(np.asarray(image), matrix, image.size, flags=cv2.INTER_CUBIC,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=corner)
    return Image.fromarray(rotated)


def blur(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scanner optics; runs after the noise, which it softens as a real scan's would be."""
    sigma = rng.uniform(0.6, 0.9)
    return Image.fromarray(cv2.GaussianBlur(np.asarray(image), (0, 0), sigma))


def sensor_noise(image: Image.Image, rng: random.Random) -> Image.Image:
    pixels = np.asarray(image, dtype=np.int16)  # integer maths: 3x faster than float on a 300 dpi page
    sigma = rng.uniform(2.0, 3.0)
    noise = (numpy_rng(rng).standard_normal(pixels.shape[:2], dtype=np.float32) * sigma).round().astype(np.int16)
    if pixels.ndim == 3:
        noise = noise[..., None]  # luminance noise, as a scanner's sensor gives
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def jpeg_soften(image: Image.Image, rng: random.Random) -> Image.Image:
    """The scanner's own JPEG step: blocky, slightly smeared edges."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(80, 90))
    return Image.open(io.BytesIO(buffer.getvalue())).convert(image.mode)


def to_grey(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.convert("L")


def to_bilevel(image: Image.Image, rng: random.Random) -> Image.Image:
    """A fax-like black and white page with a fixed threshold, as cheap scanners do."""
    threshold = rng.randint(150, 175)
    return image.convert("L").point(lambda value: 255 if value > threshold else 0, mode="1")


@dataclass(frozen=True)
class Condition:
    dpi: int | None  # None: keep the resolution of the conditions before it
    steps: tuple[Step, ...]


CONDITIONS: dict[str, Condition] = {
    "clean": Condition(None, ()),
    "scan": Condition(None, (tint_paper, rotate_slightly, sensor_noise, blur, jpeg_soften)),
    "grey": Condition(None, (to_grey,)),
    "bilevel": Condition(None, (to_bilevel,)),
    "dpi200": Condition(200, ()),
}


def resolve(name: str) -> tuple[int, tuple[Step, ...]]:
    """The render resolution and the steps of a condition name such as `dpi200+scan+grey`."""
    dpi, steps = DEFAULT_DPI, ()
    for part in name.split("+"):
        if part not in CONDITIONS:
            raise ValueError(f"unknown condition {part!r}; known: {', '.join(CONDITIONS)}")
        condition = CONDITIONS[part]
        dpi = condition.dpi or dpi
        steps += condition.steps
    return dpi, steps


def degrade(image: Image.Image, steps: tuple[Step, ...], rng: random.Random) -> Image.Image:
    for step in steps:
        image = step(image, rng)
    return image
