"""Draws page layouts: raster pages (Pillow) and the red seal shared with the born-digital PDF."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from samples.layout import FONT_DIR, PAGE_HEIGHT, PAGE_WIDTH, STYLES, PageLayout, ReceivedStamp, Run, Seal
from samples.received_stamp import design
from samples.security_print import draw_security_print, under_print

INK = (18, 18, 18)
PEN = (28, 38, 128)  # ballpoint blue of the handwritten signature
SEAL_RED = (206, 32, 44)
RULE_WIDTH = 0.7  # points
PEN_WIDTH = 1.3
LETTER_SPACING = 1.2  # seal engravers space the ring letters out
STAMP_FRAME = 1.1  # points: the received stamp's box


@dataclass(frozen=True)
class Typeface:
    folder: Path
    files: dict[str, str]  # style of samples.layout.STYLES to font file
    # Size relative to the layout's: the layout measures Liberation Serif, and a wider face is set
    # smaller so that its words fit the room they were given instead of running into each other.
    scale: float = 1.0


DEFAULT_TYPEFACE = "liberation_serif"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
TYPEFACES = {
    DEFAULT_TYPEFACE: Typeface(FONT_DIR, STYLES),
    # Measured over the words of generated documents: DejaVu Serif is 26% wider than Liberation Serif
    # (37% at the 99th percentile), Liberation Sans 11% (22%). Scaled to fit 99% of the words, their
    # x-height stays within 17% and 5% of Liberation Serif's: the same text, in another typeface.
    "dejavu_serif": Typeface(DEJAVU_DIR, {"regular": "DejaVuSerif.ttf", "bold": "DejaVuSerif-Bold.ttf",
                                          "italic": "DejaVuSerif-Italic.ttf",
                                          "bold-italic": "DejaVuSerif-BoldItalic.ttf"}, 0.73),
    "liberation_sans": Typeface(FONT_DIR, {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
                                           "italic": "LiberationSans-Italic.ttf",
                                           "bold-italic": "LiberationSans-BoldItalic.ttf"}, 0.82),
}


@functools.cache
def pil_font(style: str, pixel_size: float, typeface: str = DEFAULT_TYPEFACE) -> ImageFont.FreeTypeFont:
    face = TYPEFACES[typeface]
    return ImageFont.truetype(str(face.folder / face.files[style]), pixel_size, layout_engine=ImageFont.Layout.BASIC)


def render_page(page: PageLayout, dpi: int, typeface: str = DEFAULT_TYPEFACE) -> Image.Image:
    """The page as printed, in `typeface` (TYPEFACES); the seal keeps its engraved Liberation Serif."""
    scale = dpi / 72
    image = Image.new("RGB", (round(PAGE_WIDTH * scale), round(PAGE_HEIGHT * scale)), "white")
    draw = ImageDraw.Draw(image)
    for line in page.lines:
        for run in line.runs:
            draw_run(draw, run, scale, typeface)
    for rule in page.rules:
        draw.line([(rule.x0 * scale, rule.y * scale), (rule.x1 * scale, rule.y * scale)], fill=INK,
                  width=max(1, round(RULE_WIDTH * scale)))
    for column in page.vertical_rules:
        draw.line([(column.x * scale, column.y0 * scale), (column.x * scale, column.y1 * scale)], fill=INK,
                  width=max(1, round(RULE_WIDTH * scale)))
    if page.received:  # before the strokes: the clerk writes over the stamp
        press_received(image, page.received, dpi)
    for stroke in page.strokes:
        draw.line([(x * scale, y * scale) for x, y in stroke], fill=PEN, width=max(1, round(PEN_WIDTH * scale)),
                  joint="curve")
    if page.security:
        image = under_print(image, draw_security_print(image.size, scale, page.security))
    if page.seal:
        stamp(image, page.seal, dpi)
    return image


def draw_run(draw: ImageDraw.ImageDraw, run: Run, scale: float, typeface: str) -> None:
    """One run, centred in the room the layout gave it: centred lines stay centred, words keep their gaps."""
    size = run.size * scale
    font = pil_font(run.style, size * TYPEFACES[typeface].scale, typeface)
    room = pil_font(run.style, size).getlength(run.text)
    x = run.x * scale + (room - font.getlength(run.text)) / 2  # exactly run.x in the layout's own typeface
    draw.text((x, run.baseline * scale), run.text, fill=INK, font=font, anchor="ls")


def stamp(image: Image.Image, seal: Seal, dpi: int) -> None:
    """Presses the seal onto the page: the ink multiplies, so black text under it stays readable."""
    patch = seal_image(seal, dpi)
    scale = dpi / 72
    left, top = round((seal.cx - seal.radius) * scale), round((seal.cy - seal.radius) * scale)
    box = (left, top, left + patch.width, top + patch.height)
    region = np.asarray(image.crop(box), dtype=np.float32)
    rgba = np.asarray(patch, dtype=np.float32) / 255
    alpha = rgba[..., 3:]
    pressed = region * (1 - alpha + alpha * rgba[..., :3])
    image.paste(Image.fromarray(pressed.round().astype(np.uint8)), box)


def press_received(image: Image.Image, received: ReceivedStamp, dpi: int) -> None:
    """Presses the receiving office's stamp (samples/received_stamp.py): its frame and text in the
    stamp's ink, turned by its angle, multiplied as the seal is."""
    scale = dpi / 72
    mask = Image.new("L", (round(received.width * scale), round(received.height * scale)), 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle([0, 0, mask.width - 1, mask.height - 1], outline=255, width=max(1, round(STAMP_FRAME * scale)))
    for run in design(received):
        draw.text((run.x * scale, run.baseline * scale), run.text, fill=255, font=pil_font(run.style, run.size * scale),
                  anchor="ls")
    mask = mask.rotate(received.angle, resample=Image.Resampling.BICUBIC, expand=True)
    alpha = np.asarray(mask, dtype=np.float32)[..., None] / 255
    alpha *= uneven_ink(max(mask.size), received.seed)[:mask.height, :mask.width, None] * 0.95
    left = round((received.x + received.width / 2) * scale - mask.width / 2)
    top = round((received.y + received.height / 2) * scale - mask.height / 2)
    box = (left, top, left + mask.width, top + mask.height)
    region = np.asarray(image.crop(box), dtype=np.float32)
    pressed = region * (1 - alpha + alpha * np.array(received.ink, dtype=np.float32) / 255)
    image.paste(Image.fromarray(pressed.round().astype(np.uint8)), box)


def seal_image(seal: Seal, dpi: int) -> Image.Image:
    """The round red seal as an RGBA image: two rings, the body's name around, a star in the middle."""
    scale = dpi / 72
    size = round(2 * seal.radius * scale)
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    centre, outer = size / 2, size / 2 - 1
    ring = max(2, round(1.6 * scale))
    draw.ellipse([centre - outer, centre - outer, centre + outer, centre + outer], outline=255, width=ring)
    inner = outer * 0.64
    draw.ellipse([centre - inner, centre - inner, centre + inner, centre + inner], outline=255,
                 width=max(1, ring // 2))
    middle = (outer + inner) / 2
    ring_text(mask, seal.text, centre, middle, 7.5 * scale)
    draw.polygon(star(centre, centre, inner * 0.45), fill=255)
    draw.polygon(star(centre, centre + middle, 4 * scale), fill=255)  # closes the ring text at the bottom
    alpha = np.asarray(mask, dtype=np.float32) * uneven_ink(size, seal.seed) * 0.95
    colour = np.empty((size, size, 4), dtype=np.uint8)
    colour[..., :3] = SEAL_RED
    colour[..., 3] = alpha.clip(0, 255).astype(np.uint8)
    return Image.fromarray(colour, "RGBA")


def ring_text(mask: Image.Image, text: str, centre: float, radius: float, pixel_size: float) -> None:
    """Writes text clockwise around the ring, letter tops outwards, centred on the top of the circle."""
    room = 2 * math.pi * radius * 0.85  # leave the bottom of the ring for the small star
    natural = pil_font("bold", pixel_size).getlength(text) * LETTER_SPACING
    font = pil_font("bold", pixel_size * min(1.0, room / natural))
    advances = [font.getlength(letter) for letter in text]
    span = sum(advances) * LETTER_SPACING / radius
    angle = -span / 2
    for letter, advance in zip(text, advances):
        step = span * advance / sum(advances)
        middle = angle + step / 2
        tile = Image.new("L", (round(pixel_size * 1.6),) * 2, 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), letter, fill=255, font=font, anchor="mm")
        tile = tile.rotate(-math.degrees(middle), resample=Image.Resampling.BILINEAR)
        x = centre + radius * math.sin(middle) - tile.width / 2
        y = centre - radius * math.cos(middle) - tile.height / 2
        mask.paste(255, (round(x), round(y)), tile)
        angle += step


def star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        theta = math.pi * i / 5
        points.append((cx + r * math.sin(theta), cy - r * math.cos(theta)))
    return points


def uneven_ink(size: int, seed: int) -> np.ndarray:
    """A smooth random field in 0.6..1: seal ink is never pressed evenly."""
    rng = np.random.default_rng(seed)
    coarse = Image.fromarray((rng.random((12, 12)) * 255).astype(np.uint8))
    field = np.asarray(coarse.resize((size, size), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3)),
                       dtype=np.float32) / 255
    return 0.6 + 0.4 * field
