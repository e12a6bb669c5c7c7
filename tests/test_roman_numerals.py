"""Numerals of capital I's recounted from their strokes on the page (ocr/roman_numerals.py)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocr.roman_numerals import recount_roman_numerals
from ocr.types import Line, Word

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
WIDTH, HEIGHT = 2480, 600  # a band of an A4 page at 300 dpi


def _page(printed: list[str], read: list[str]) -> tuple[Image.Image, list[Line]]:
    """`printed` words drawn in 13 pt print in a row; the line as OCR read them (`read`), each
    word's box the drawn one."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), int(13 / 72 * 300))
    words, x = [], 100
    for shown, text in zip(printed, read):
        left, top, right, bottom = draw.textbbox((x, 200), shown, font=font)
        draw.text((x, 200), shown, font=font, fill=0)
        box = (left / WIDTH, top / HEIGHT, right / WIDTH, bottom / HEIGHT)
        words.append(Word(text=text, confidence=0.6, bbox=box))
        x = right + 30
    return image, [Line.from_words(words, block=2)]


def test_a_numeral_read_a_stroke_short_or_long_is_recounted():
    printed = ["cấp", "III", "do", "Phần", "II.", "Mục", "I;"]
    image, lines = _page(printed, ["cấp", "II", "do", "Phần", "III.", "Mục", "ÏI;"])
    fixed, changed = recount_roman_numerals(image, lines)
    assert fixed[0].text == "cấp III do Phần II. Mục I;" and changed == 3
    assert fixed[0].block == 2


def test_numerals_read_right_brackets_and_other_numerals_stay():
    image, lines = _page(["Chương", "II", "(I)", "IV", "Điều"], ["Chương", "II", "(I)", "IV", "Điều"])
    fixed, changed = recount_roman_numerals(image, lines)
    assert changed == 0 and fixed[0] is lines[0]
