"""Signature-block lines lost beside a seal and a signature, read again (ocr/signature_block.py).

The page is drawn here: the end of the last article, the recipients list, and the block
`KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / name with a grey seal ring over the left of the title line
(stamp ink over toner: the print stays black) and a signature's strokes through it.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from drawn_lines import draw_line
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from ocr.signature_block import STAGE, reread_lost_lines, signature_zone
from ocr.types import Line, Word
from ocr.vntext import fold

FONTS = Path("/usr/share/fonts/truetype/liberation2")
WIDTH, HEIGHT = 2481, 1700  # A4 width at 300 dpi, the top of a last page
TITLE = "PHÓ CHỦ TỊCH"


def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"LiberationSerif-{style}.ttf"), size)


def _page(seal: bool = True) -> tuple[Image.Image, list[Line]]:
    """The page, and its lines as a perfect reading would give them (boxes from the drawing)."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    lines: list[Line] = []

    def text(x: int, y: int, value: str, font: ImageFont.FreeTypeFont) -> None:
        lines.append(draw_line(draw, x, y, value, font, len(lines)))

    body, bold, small = _font("Regular", 58), _font("Bold", 58), _font("Regular", 46)
    y = 120
    for value in (
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở, ban, ngành",
        "tỉnh, Chủ tịch Ủy ban nhân dân các huyện và các tổ chức, cá nhân có liên quan",
        "chịu trách nhiệm thi hành Quyết định này./.",
    ):
        text(350, y, value, body)
        y += 75
    top = y + 60
    text(350, top, "Nơi nhận:", _font("BoldItalic", 50))
    recipients = ("- Như Điều 3;", "- Chủ tịch, các PCT UBND tỉnh;", "- Cổng thông tin điện tử tỉnh;", "- Lưu: VT, KSTTHC.")
    for i, value in enumerate(recipients):
        text(360, top + 62 + 58 * i, value, small)
    text(1600, top, "KT. CHỦ TỊCH", bold)
    text(1590, top + 75, TITLE, bold)
    text(1560, top + 520, "Nguyễn Văn An", bold)
    if seal:
        stamp = Image.new("L", image.size, 255)
        ink = ImageDraw.Draw(stamp)
        cx, cy, r = 1560, top + 330, 236  # 4 cm across
        ink.ellipse((cx - r, cy - r, cx + r, cy + r), outline=130, width=12)
        ink.ellipse((cx - r + 50, cy - r + 50, cx + r - 50, cy + r - 50), outline=130, width=6)
        for k, letter in enumerate("ỦY BAN NHÂN DÂN TỈNH"):
            angle = math.radians(200 + k * 7.5)
            ink.text((cx + (r - 30) * math.cos(angle) - 12, cy + (r - 30) * math.sin(angle) - 20), letter,
                     font=_font("Bold", 40), fill=130)
        ink.regular_polygon((cx, cy, 70), 5, fill=130)
        image = ImageChops.darker(image, stamp)
        draw = ImageDraw.Draw(image)
        draw.line([(1500, top + 260), (1850, top + 110), (1900, top + 200), (1700, top + 400), (2100, top + 300)],
                  fill=20, width=5)
        draw.line([(1450, top + 470), (2250, top + 330)], fill=20, width=6)
    return image, lines


def _title(lines: list[Line]) -> Line:
    return next(line for line in lines if line.text == TITLE)


def test_the_zone_runs_from_the_last_article_to_under_the_block() -> None:
    _, lines = _page()
    top, bottom = signature_zone(lines)
    label = next(line for line in lines if line.text == "Nơi nhận:")
    name = next(line for line in lines if line.text.startswith("Nguyễn"))
    assert lines[0].bbox[3] < top <= label.bbox[1]  # under the article's full lines
    assert bottom > name.bbox[3]


def test_a_page_without_recipients_or_authority_line_has_no_zone() -> None:
    _, lines = _page()
    body = [line for line in lines if line.bbox[2] - line.bbox[0] > 0.5]
    assert signature_zone(body) is None


def test_a_block_read_whole_is_not_read_again() -> None:
    image, lines = _page()
    calls = []
    assert reread_lost_lines(image, lines, lambda canvas: calls.append(canvas) or []) == []
    assert calls == []


def test_only_the_lost_row_is_cut_out_and_its_reading_put_back_in_place() -> None:
    image, lines = _page()
    title = _title(lines)
    canvases = []

    def read(canvas: Image.Image) -> list[Line]:
        canvases.append(canvas)
        words = [Word(text=word, confidence=0.9, bbox=(0.1 + 0.25 * i, 0.3, 0.3 + 0.25 * i, 0.7))
                 for i, word in enumerate(TITLE.split())]
        return [Line.from_words(words, 0)]

    found = reread_lost_lines(image, [line for line in lines if line is not title], read)
    assert len(canvases) == 1
    word_height = title.bbox[3] - title.bbox[1]
    assert canvases[0].height < 5 * word_height * HEIGHT  # one row, not the seal or the recipients
    assert [line.text for line in found] == [TITLE]
    # Back on the title's row, within the right column.
    assert found[0].bbox[1] < (title.bbox[1] + title.bbox[3]) / 2 < found[0].bbox[3]
    assert found[0].bbox[0] > 0.5


def _row(*words: tuple[str, float, float, float]) -> list[Line]:
    """One line read on the canvas: (text, confidence, left, right) a word, in the row's middle."""
    return [Line.from_words([Word(text=t, confidence=c, bbox=(x0, 0.3, x1, 0.7)) for t, c, x0, x1 in words], 0)]


def _kept(found: list[Line]) -> list[Line]:
    """What the stage keeps when the title row, lost by the page's reading, is read as `found`."""
    image, lines = _page()
    title = _title(lines)
    return reread_lost_lines(image, [line for line in lines if line is not title], lambda canvas: found)


def test_a_reading_that_leaves_the_start_of_its_row_unread_is_left_out() -> None:
    # `CHỦ TỊCH` read on the right half of the row only: `PHÓ` lost, as a family name under a dark seal.
    assert _kept(_row(("CHỦ", 0.9, 0.45, 0.65), ("TỊCH", 0.9, 0.7, 0.9))) == []


def test_a_title_whose_first_letter_the_seal_hides_is_read_as_the_title() -> None:
    # The seal's rim over the P: `”HÓ` read unsure, where the canvas holds the whole row.
    found = _kept(_row(("”HÓ", 0.33, 0.05, 0.3), ("CHỦ", 0.85, 0.35, 0.6), ("TỊCH", 0.9, 0.65, 0.95)))
    assert [line.text for line in found] == [TITLE]
    assert [word.confidence for word in found[0].words] == [0.85, 0.85, 0.9]
    # Other words, or a title's tail in small letters, are no title.
    for read in (("”HÓ", "CHỦ", "NHÀ"), ("”HÓ", "chủ", "tịch"), ("”HÓ", "CHỦ")):
        found = _kept(_row(*((t, 0.9, 0.05 + 0.3 * i, 0.3 + 0.3 * i) for i, t in enumerate(read))))
        assert [line.text for line in found] != [TITLE]


def test_words_read_from_a_signature_stroke_are_left_out() -> None:
    assert _kept(_row(("Z⁄", 0.6, 0.1, 0.3), ("%", 0.8, 0.4, 0.5), ("Ø", 0.95, 0.6, 0.9))) == []


def _pdf(image: Image.Image) -> bytes:
    """The page as a grey image PDF, as a born-digital decision rendered to 300 dpi."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=image.width * 72 / 300, height=image.height * 72 / 300)
    page.insert_image(page.rect, stream=png.getvalue())
    return doc.tobytes()


@pytest.mark.integration
def test_the_title_under_the_seal_is_recovered_by_tesseract() -> None:
    data = _pdf(_page()[0])
    without = read_document(data, OcrSettings(signature_block=False)).pages[0]
    # Tesseract's layout analysis loses the title beside the seal and the signature.
    assert not any("pho chu tich" in fold(line.text) for line in without.lines)
    page = read_document(data, OcrSettings()).pages[0]
    assert STAGE in page.preprocessing
    right = [line.text for line in page.lines if line.bbox[0] > 0.5]
    assert right[:2] == ["KT. CHỦ TỊCH", TITLE]
