"""A page number printed alone in a margin (ocr/page_numbers.py), read by the shipped recogniser
from pages drawn here in a Times-like font."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocr.digit_reader import digit_reader
from ocr.page_numbers import read_page_number
from ocr.types import Line, Word

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
DPI = 200
WIDTH, HEIGHT = int(8.27 * DPI), int(11.69 * DPI)  # A4
BODY_TOP = 0.1


def _page(number: str | None, x: float = 0.5, y: float = 0.05, beside: str | None = None) -> tuple[Image.Image, list[Line]]:
    """A page with body lines from BODY_TOP down, `number` in 13 pt print centred at (x, y), and
    `beside` printed on the number's row at the left margin; also the body's lines as OCR gives them."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), int(13 / 72 * DPI))
    if number is not None:
        draw.text((x * WIDTH, y * HEIGHT), number, font=font, fill=0, anchor="mm")
    if beside is not None:
        draw.text((0.1 * WIDTH, y * HEIGHT), beside, font=font, fill=0, anchor="lm")
    lines = []
    for k in range(5):
        top = BODY_TOP + 0.03 * k
        draw.text((0.1 * WIDTH, top * HEIGHT), "Điều 1. Quyết định này có hiệu lực", font=font, fill=0)
        word = Word(text="Điều", confidence=0.95, bbox=(0.1, top, 0.6, top + 0.012))
        lines.append(Line.from_words([word], block=0))
    return image, lines


def test_a_lone_number_at_the_top_centre_is_read_into_the_page_first():
    image, lines = _page("3")
    read = read_page_number(image, lines, digit_reader)
    assert [line.text for line in read] == ["3", *["Điều"] * 5]
    number = read[0]
    assert number.block < min(line.block for line in lines)
    assert 0.45 < number.bbox[0] < 0.5 < number.bbox[2] < 0.55 and number.bbox[3] < BODY_TOP
    assert number.words[0].confidence >= 0.9


def test_two_figures_and_a_number_at_the_bottom_are_read_too():
    assert read_page_number(*_page("12"), digit_reader)[0].text == "12"
    read = read_page_number(*_page("7", y=0.95), digit_reader)
    assert read[-1].text == "7" and read[-1].bbox[1] > 0.9


def test_no_number_an_off_centre_one_or_one_beside_other_print_is_left_alone():
    for image, lines in (_page(None), _page("3", x=0.8), _page("3", beside="CỘNG HÒA XÃ HỘI")):
        assert read_page_number(image, lines, digit_reader) == lines
    # a word, not a number, alone at the top centre
    image, lines = _page("Phụ lục")
    assert read_page_number(image, lines, digit_reader) == lines
