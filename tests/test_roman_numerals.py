"""Numerals of capital I's recounted from their strokes on the page (ocr/roman_numerals.py)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocr.roman_numerals import recount_roman_numerals
from ocr.types import Line, Word

FONTS = Path("/usr/share/fonts/truetype/liberation2")
FONT = FONTS / "LiberationSerif-Regular.ttf"
WIDTH, HEIGHT = 2480, 600  # a band of an A4 page at 300 dpi


def _page(printed: list[str], read: list[str], font: Path = FONT, gap: int = 30) -> tuple[Image.Image, list[Line]]:
    """`printed` words drawn in 13 pt print in a row, `gap` pixels apart; the line as OCR read
    them (`read`), each word's box the drawn one."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), int(13 / 72 * 300))
    words, x = [], 100
    for shown, text in zip(printed, read):
        left, top, right, bottom = draw.textbbox((x, 200), shown, font=face)
        draw.text((x, 200), shown, font=face, fill=0)
        box = (left / WIDTH, top / HEIGHT, right / WIDTH, bottom / HEIGHT)
        words.append(Word(text=text, confidence=0.6, bbox=box))
        x = right + gap
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


def test_a_headings_numeral_in_bold_read_as_a_letter_or_a_stroke_short_is_recounted():
    # Bold serif I's touch at their serifs: `II.` is read `H.`, `III.` as `II.`, `I.` as `L.`
    for printed, read in (("II.", "H."), ("III.", "II."), ("I.", "L.")):
        image, lines = _page([printed, "NỘI", "DUNG"], [read, "NỘI", "DUNG"], FONTS / "LiberationSerif-Bold.ttf")
        fixed, changed = recount_roman_numerals(image, lines)
        assert fixed[0].text == f"{printed} NỘI DUNG" and changed == 1


def test_a_figure_one_read_as_an_i_is_one_by_its_flag():
    for font in ("LiberationSerif-Regular.ttf", "LiberationSans-Regular.ttf"):
        image, lines = _page(["1.", "Phạm", "vi"], ["I.", "Phạm", "vi"], FONTS / font)
        fixed, _ = recount_roman_numerals(image, lines)
        assert fixed[0].text == "1. Phạm vi", font


def test_a_letter_h_or_l_at_a_lines_start_stays():
    for font in ("LiberationSerif-Bold.ttf", "LiberationSans-Regular.ttf"):
        for letter in ("H.", "L."):
            image, lines = _page([letter, "Phạm", "vi"], [letter, "Phạm", "vi"], FONTS / font)
            fixed, changed = recount_roman_numerals(image, lines)
            assert changed == 0 and fixed[0] is lines[0], (font, letter)
