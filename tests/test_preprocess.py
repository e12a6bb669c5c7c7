"""Preprocessing stages on rendered pages: orientation, deskew, ink dropout, illumination, upscaling."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from ocr.preprocess import (
    PrepareOptions,
    drop_colour_ink,
    flip,
    normalise_illumination,
    prepare_page,
)
from samples.generate import make_document


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, int]:
    doc = make_document(random.Random(41), "quyet_dinh", "clean")
    return doc.pages[0], doc.dpi


@pytest.mark.parametrize("turned, expected_rotation", [(0, 0), (90, 90), (270, 90)])
@pytest.mark.parametrize("skew", [0.0, 2.2, -1.6])
def test_quarter_turns_and_skew_are_found(page, turned, expected_rotation, skew):
    image, dpi = page
    tilted = image.rotate(turned, expand=True, fillcolor=(255, 255, 255)).rotate(skew, fillcolor=(255, 255, 255))
    prepared = prepare_page(tilted, dpi, None, PrepareOptions())
    # A page turned 270 becomes upside down here; reading confidence settles it (pipeline test).
    assert prepared.rotation == expected_rotation
    assert prepared.skew == pytest.approx(-skew, abs=0.3)
    assert prepared.archive.size == prepared.ocr_image.size
    if expected_rotation:
        assert prepared.archive.size == image.size  # upright again
        assert "orientation" in prepared.stages


def test_straight_upright_page_keeps_its_scanned_bytes(page):
    image, dpi = page
    prepared = prepare_page(image, dpi, b"jpeg bytes", PrepareOptions())
    assert prepared.encoded == b"jpeg bytes" and prepared.archive is image
    assert prepared.rotation == 0 and "deskew" not in prepared.stages


def test_flip_turns_both_images_and_keeps_dpi(page):
    image, dpi = page
    prepared = prepare_page(image, dpi, None, PrepareOptions())
    flipped = flip(prepared, PrepareOptions())
    assert flipped.rotation == 180 and flipped.encoded is None
    assert np.array_equal(np.asarray(flipped.archive), np.asarray(image.rotate(180)))


def test_colour_dropout_clears_seal_ink_but_keeps_print():
    sheet = Image.new("RGB", (60, 20), (245, 240, 225))  # yellowed paper
    sheet.paste((20, 20, 20), (0, 0, 20, 20))  # black print
    sheet.paste((210, 40, 50), (20, 0, 40, 20))  # red seal ink
    sheet.paste((40, 50, 160), (40, 0, 60, 20))  # blue signature
    grey, cleared = drop_colour_ink(sheet)
    assert cleared
    assert grey[10, 10] < 60
    assert grey[10, 30] == 255 and grey[10, 50] == 255



def test_colour_dropout_reports_a_page_without_coloured_ink():
    sheet = Image.new("RGB", (60, 20), (245, 240, 225))  # yellowed paper: tinted, but not ink
    sheet.paste((20, 20, 20), (0, 0, 20, 20))
    grey, cleared = drop_colour_ink(sheet)
    assert not cleared
    assert (grey == np.asarray(sheet.convert("L"))).all()

def test_illumination_flattens_a_gradient_and_keeps_print_dark():
    width = 600
    gradient = np.tile(np.linspace(150, 250, width, dtype=np.float32), (400, 1))
    sheet = gradient.astype(np.uint8)
    sheet[190:210, 50:550] = (gradient[190:210, 50:550] * 0.15).astype(np.uint8)  # a line of print
    flat = normalise_illumination(sheet, 300)
    paper = flat[50:150, :]
    assert paper.min() > 225  # the dim side of the paper is white now
    assert flat[200, 60] < 80 and flat[200, 540] < 80


def test_low_resolution_pages_are_upscaled_for_reading(page):
    image, _ = page
    small = image.resize((image.width // 2, image.height // 2))
    prepared = prepare_page(small, 150, None, PrepareOptions())
    assert prepared.ocr_dpi == 300 and "upscale" in prepared.stages
    assert prepared.ocr_image.width == 2 * small.width
    assert prepared.archive.size == small.size  # the archive keeps the scan's own pixels


def test_stages_can_be_switched_off(page):
    image, dpi = page
    prepared = prepare_page(image.rotate(90, expand=True), dpi, None, PrepareOptions(
        orientation=False, deskew=False, colour_dropout=False, illumination=False, upscale=False))
    assert prepared.stages == [] and prepared.rotation == 0


def test_flipping_a_low_resolution_page_still_upscales_its_reading_copy(page):
    image, _ = page
    small = image.resize((image.width // 2, image.height // 2))
    flipped = flip(prepare_page(small, 150, None, PrepareOptions()), PrepareOptions())
    assert flipped.ocr_dpi == 300 and flipped.ocr_image.width == 2 * small.width
    assert flipped.stages[0] == "orientation" and "upscale" in flipped.stages


def test_a_grey_seal_is_cleared_and_the_print_under_it_kept():
    from ocr.preprocess import remove_grey_seals

    doc = make_document(random.Random(41), "quyet_dinh", "grey")
    grey = np.asarray(doc.pages[0].convert("L"))
    cleaned, removed = remove_grey_seals(grey, doc.dpi)
    assert removed == 1
    changed = cleaned != grey
    assert changed.any() and (cleaned[changed] == 255).all()
    assert np.count_nonzero(grey < 60) - np.count_nonzero(cleaned < 60) < 0.02 * np.count_nonzero(grey < 60)


def test_no_seal_no_change():
    from ocr.preprocess import remove_grey_seals

    doc = make_document(random.Random(41), "quyet_dinh", "grey")
    grey = np.asarray(doc.pages[0].convert("L")).copy()
    height = grey.shape[0]
    text_only = grey[: height // 2]  # header and body: text, no seal
    cleaned, removed = remove_grey_seals(text_only, doc.dpi)
    assert removed == 0 and np.array_equal(cleaned, text_only)
