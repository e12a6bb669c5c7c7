"""Opening quotes read where the page prints none (ocr/phantom_quotes.py).

The lines are drawn here; the words handed in are those Tesseract read, at the boxes the drawing
gives, with a quote glued on where a test says so.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drawn_lines import draw_line
from ocr.phantom_quotes import drop_phantom_quotes
from ocr.types import Line

FONT = ImageFont.truetype(str(Path("/usr/share/fonts/truetype/liberation2") / "LiberationSerif-Regular.ttf"), 54)


def _page(rows: list[list[tuple[int, str]]], read_as: dict[str, tuple[str, float]]) -> tuple[Image.Image, list[Line]]:
    """Each row's pieces drawn at their x (a list item's dash stands apart in justified print)."""
    image = Image.new("L", (2000, 120 * len(rows) + 100), 255)
    draw = ImageDraw.Draw(image)
    lines = []
    for k, row in enumerate(rows):
        drawn = [word for x, piece in row for word in draw_line(draw, x, 60 + 120 * k, piece, FONT, k).words]
        words = [w.model_copy(update=dict(zip(("text", "confidence"), read_as[w.text]))) if w.text in read_as else w
                 for w in drawn]
        lines.append(Line.from_words(words, k))
    return image, lines


def test_a_quote_read_before_a_letter_with_no_mark_before_it_is_dropped() -> None:
    # qd486's appendix: `- Địa chỉ trực tuyến:` read `- “Địa` at 0.62
    image, lines = _page([[(100, "-"), (260, "Địa chỉ trực tuyến:")]], {"Địa": ("“Địa", 0.62)})
    fixed, dropped = drop_phantom_quotes(image, lines)
    assert (dropped, fixed[0].text) == (1, "- Địa chỉ trực tuyến:")


def test_printed_quotes_and_sure_readings_stay() -> None:
    # a quote the page prints, read unsure; a quote read surely is not looked at
    rows = [[(100, "“Điều 5. Thẩm quyền")], [(100, "-"), (260, "Địa chỉ")]]
    image, lines = _page(rows, {"“Điều": ("“Điều", 0.62), "Địa": ("“Địa", 0.9)})
    fixed, dropped = drop_phantom_quotes(image, lines)
    assert dropped == 0 and [line.text for line in fixed] == ["“Điều 5. Thẩm quyền", "- “Địa chỉ"]
