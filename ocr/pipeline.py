"""read_document: a file (its bytes or its path) in, pages with text and positions plus a searchable PDF out.

Stages: check the bytes → open → per page: triage (`ocr.triage`: trusted text layer,
transcoded legacy layer, OCR, or OCR around a small trusted layer; on an OCR'd page 1, the number
and day written in by hand read by a second recogniser, `ocr.blanks`; a PDF's pages to OCR are
prepared and read by Tesseract a batch at a time, then finished in order) → assemble the PDF.
A page that fails is recorded with its outcome and the others go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pymupdf
import pytesseract
from PIL import Image

from ocr import blanks, legacy, load, sniff
from ocr.memory import drop_mupdf_cache, map_large_buffers
from ocr.assemble import PdfBuilder
from ocr.cell_rows import STAGE as CELL_ROWS_STAGE, reread_cell_rows
from ocr.cited_dates import restore_cited_dates
from ocr.digit_reader import digit_reader
from ocr.drawn_numbers import STAGE as DRAWN_NUMBERS_STAGE, read_drawn_numbers
from ocr.empty_cells import STAGE as EMPTY_CELLS_STAGE, read_empty_cells
from ocr.errors import InputError, OcrFailed
from ocr.glued import split_glued_syllables
from ocr.header_lines import STAGE as HEADER_LINES_STAGE, recover_header_lines
from ocr.lost_numbers import STAGE as LOST_NUMBERS_STAGE, read_lost_numbers
from ocr.page_numbers import STAGE as PAGE_NUMBER_STAGE, read_page_number
from ocr.page_ranges import RangeRunner, cut_range
from ocr.phantom_quotes import STAGE as PHANTOM_QUOTES_STAGE, drop_phantom_quotes
from ocr.place_names import STAGE as PLACE_NAMES_STAGE, restore_place_names
from ocr.settings import OcrSettings
from ocr.signature_block import STAGE as SIGNATURE_BLOCK_STAGE, reread_lost_lines
from ocr.signatures import mark_stamp_lines, read_page_stamps, read_signatures
from ocr.split_numbers import join_split_numbers
from ocr.table_lines import read_pdf_tables
from ocr.tables import order_page_lines
from ocr.postcorrect import drop_junk_lines, normalise_glyphs, restore_legal_phrases
from ocr.preprocess import PreparedPage, PrepareOptions, flip, prepare_page
from ocr.reading_order import order_lines
from ocr.roman_numerals import STAGE as ROMAN_NUMERALS_STAGE, recount_roman_numerals
from ocr.scan_render import scan_rendering
from ocr.superscripts import STAGE as SUPERSCRIPTS_STAGE, read_superscripts
from ocr.tesseract import Recognition, TesseractTimeout, recognise, recognise_pages
from ocr.textlayer import read_text_layer
from ocr.tone_marks import restore_tone_marks
from ocr.triage import Triage, overlay_layer, triage_page
from ocr.types import DocumentResult, Line, PageResult
from ocr.web_addresses import mend_web_addresses

log = logging.getLogger(__name__)

PageCallback = Callable[[PageResult], None]
IMAGE_FILE = "ocr: an image file has no text layer"


def read_document(
    source: load.Source,
    settings: OcrSettings | None = None,
    on_page: PageCallback | None = None,
    run_ranges: RangeRunner | None = None,
    pdf_path: Path | None = None,
) -> DocumentResult:
    """Read every page of a PDF, TIFF, JPEG or PNG file.

    Raises an InputError subclass when the file as a whole cannot be read, and OcrFailed
    when no page could be read. `on_page` is told about each page as it is finished, in order.
    With `run_ranges`, a PDF longer than `settings.range_pages` has its pages to OCR read as
    ranges by that runner (ocr/page_ranges.py), side by side; without it, here, in order.
    A path is read from disk as pages need it: a scanned volume's bytes are not all held.
    With `pdf_path`, the searchable PDF is written to that file and the result's `pdf` left
    empty: a scanned volume's is hundreds of MB, which the caller uploads from the file.
    """
    settings = settings or OcrSettings()
    map_large_buffers()  # else a long scan's freed page images stay in the process (ocr/memory.py)
    media_type = load.check_bytes(source, settings)
    # A PDF whose every page keeps its own text layer is its own searchable PDF (PdfBuilder).
    builder = PdfBuilder(original=source if media_type == sniff.PDF else None)
    signatures = []
    if media_type == sniff.PDF:
        pages = _read_pdf(source, settings, builder, on_page, run_ranges)
        signatures = read_signatures(source)
        drop_mupdf_cache()  # what reading the stamps held in MuPDF's cache, back to the system
    else:
        pages = _read_images(source, settings, builder, on_page)
    if not any(page.outcome == "ok" for page in pages):
        reasons = "; ".join(f"page {p.number}: {p.error}" for p in pages)
        raise OcrFailed(f"no page could be read ({reasons})")
    signatures = [*signatures, *read_page_stamps(pages, signatures)]
    if pdf_path is None:
        return DocumentResult(media_type=media_type, pages=pages, pdf=builder.build(), signatures=signatures)
    builder.save(pdf_path)
    return DocumentResult(media_type=media_type, pages=pages, pdf=b"", signatures=signatures)


def _read_pdf(
    source: load.Source,
    settings: OcrSettings,
    builder: PdfBuilder,
    on_page: PageCallback | None,
    run_ranges: RangeRunner | None,
) -> list[PageResult]:
    with load.open_pdf(source, settings) as doc:
        if run_ranges is not None and doc.page_count > settings.range_pages:
            pages = _read_as_ranges(doc, settings, builder, on_page, run_ranges)
        else:
            pages = _read_pdf_pages(doc, settings, builder, on_page)
        builder.end_source()
    return pages


def read_pdf_pages(data: bytes, settings: OcrSettings, first_number: int = 1) -> tuple[list[PageResult], bytes]:
    """Every page of a PDF read here, in order, numbered from `first_number`; and their searchable PDF."""
    map_large_buffers()
    builder = PdfBuilder(original=data)
    with load.open_pdf(data, settings) as doc:
        pages = _read_pdf_pages(doc, settings, builder, None, first_number)
        builder.end_source()
    return pages, builder.build()


def _read_pdf_pages(
    doc: pymupdf.Document, settings: OcrSettings, builder: PdfBuilder, on_page: PageCallback | None,
    first_number: int = 1,
) -> list[PageResult]:
    """Every page in order. Pages to OCR are prepared and read by one Tesseract run a batch at a
    time (`settings.batch_pages`, fewer when their images pass `settings.batch_megabytes`: a
    scan's colour pages go one by one), then each page is finished and reported in order."""
    pages: list[PageResult] = []
    batch: list[tuple[int, Triage, OcrJob | None]] = []

    def finish() -> None:
        readings = _recognise_together([job for _, _, job in batch if job is not None])
        for index, triage, job in batch:
            page = (_ocr_page(job, builder, readings.get(job.number)) if job is not None
                    else _read_layer_page(doc, index, settings, builder, first_number + index, triage))
            pages.append(_report(page, on_page))
        batch.clear()

    for index in range(doc.page_count):
        triage = triage_page(doc[index])
        to_ocr = triage.decision != "text_layer" and not triage.encoding
        batch.append((index, triage, _pdf_ocr_job(doc[index], first_number + index, triage, settings) if to_ocr else None))
        jobs = [job for _, _, job in batch if job is not None]
        if len(jobs) >= settings.batch_pages or sum(map(_held_bytes, jobs)) > settings.batch_megabytes * 1_000_000:
            finish()
    finish()
    return pages


def _held_bytes(job: OcrJob) -> int:
    """The bytes of the images a job holds until it is finished."""
    images = {id(image): image for image in (job.page.image, job.prepared.archive, job.prepared.ocr_image)}
    return sum(len(image.getbands()) * image.width * image.height for image in images.values())


def _read_as_ranges(
    doc: pymupdf.Document,
    settings: OcrSettings,
    builder: PdfBuilder,
    on_page: PageCallback | None,
    run_ranges: RangeRunner,
) -> list[PageResult]:
    """Text-layer pages here, in order; runs of the other pages cut into ranges for `run_ranges`."""
    triages = []
    for page in doc:
        triages.append(triage_page(page))
        pymupdf.TOOLS.store_shrink(100)  # the page's image, loaded by triage: ~0.7 MB a scanned page
    drop_mupdf_cache()  # and what the cache held, back to the system before the ranges are read
    plan = _plan_ranges([t.decision == "text_layer" for t in triages], settings.range_pages)
    ranges = (cut_range(doc, first, last) for here, first, last in plan if not here)
    results = run_ranges(ranges, settings)
    pages: list[PageResult] = []
    for here, first, last in plan:
        if here:
            pages += [_report(_read_layer_page(doc, index, settings, builder, index + 1, triages[index]), on_page)
                      for index in range(first, last + 1)]
            continue
        result = next(results)
        builder.add_pdf(result.pdf)
        for page in result.pages:
            if on_page is not None:
                on_page(page)
        pages += result.pages
    return pages


def _plan_ranges(text_layer: list[bool], size: int) -> list[tuple[bool, int, int]]:
    """(read here, first index, last index) runs in page order: text-layer pages here, the others
    in ranges of at most `size` pages."""
    plan: list[tuple[bool, int, int]] = []
    for index, here in enumerate(text_layer):
        if plan and plan[-1][0] == here and (here or plan[-1][2] - plan[-1][1] + 1 < size):
            plan[-1] = (here, plan[-1][1], index)
        else:
            plan.append((here, index, index))
    return plan


def _read_layer_page(
    doc: pymupdf.Document, index: int, settings: OcrSettings, builder: PdfBuilder, number: int, triage: Triage
) -> PageResult:
    """A page read from its text layer, as it is or transcoded from a legacy font."""
    started = time.monotonic()
    page = doc[index]
    log.debug("page %d: %s", number, triage.reason)
    if triage.encoding:
        return _transcode_page(number, page, triage.encoding, triage.reason, settings, builder, started)
    builder.add_source_page(doc, index)
    lines = read_text_layer(page)
    stages = []
    if settings.drawn_numbers and number == 1:
        lines, read = read_drawn_numbers(
            page, lines, digit_reader, lambda image, dpi: _reread_row(image, dpi, settings))
        if read:
            log.info("page %d: drawn numbers read: %s", number, ", ".join(read))
            stages.append(DRAWN_NUMBERS_STAGE)
    if settings.split_glued:
        lines = split_glued_syllables(lines)
    lines = order_page_lines(lines, read_pdf_tables(page))
    return PageResult(
        number=number,
        method="text_layer",
        triage=triage.reason,
        preprocessing=stages,
        lines=lines,
        mean_confidence=1.0,
        seconds=time.monotonic() - started,
    )


def _pdf_ocr_job(page: pymupdf.Page, number: int, triage: Triage, settings: OcrSettings) -> OcrJob:
    """A PDF page to OCR, rendered and prepared."""
    started = time.monotonic()
    log.debug("page %d: %s", number, triage.reason)
    # A hybrid page keeps its layer (a stamp, a copy line) where it lies; OCR reads the rest.
    keep = triage.kept(read_text_layer(page)) if triage.decision == "hybrid" else []
    # A grey scan in grey at its own resolution; the `upscale` stage makes the OCR copy (ocr/scan_render.py).
    dpi, grey = scan_rendering(page, settings.dpi)
    image_page = load.render_pdf_page(page, dpi, settings.max_page_pixels, grey=grey)
    if grey:
        # Read as when PDF pages came in colour: seal removal, measured on grey image files, cost
        # a mark of a signer's name under a seal on rendered real pages (benchmarks/real_documents.py).
        settings = settings.model_copy(update={"seal_removal": False})
    return _ocr_job(number, image_page, settings, triage.reason, keep, started)


def _transcode_page(
    number: int,
    page: pymupdf.Page,
    encoding: str,
    triage: str,
    settings: OcrSettings,
    builder: PdfBuilder,
    started: float,
) -> PageResult:
    """A legacy-font text layer, turned into Unicode; the archive page gets the corrected text."""
    lines = order_lines(legacy.read_legacy_text_layer(page, encoding))
    image_page = load.render_pdf_page(page, settings.dpi, settings.max_page_pixels)
    builder.add_image_page(image_page.image, image_page.dpi, lines=lines)
    return PageResult(
        number=number,
        method="transcoded",
        triage=triage,
        dpi=image_page.dpi,
        preprocessing=[f"transcode_{encoding}", *_downsampled(image_page)],
        lines=lines,
        mean_confidence=1.0,
        seconds=round(time.monotonic() - started, 3),
    )


def _read_images(
    source: load.Source, settings: OcrSettings, builder: PdfBuilder, on_page: PageCallback | None
) -> list[PageResult]:
    pages: list[PageResult] = []
    try:
        for number, image_page in enumerate(load.iter_image_pages(source, settings), start=1):
            pages.append(_report(_ocr_page(_ocr_job(number, image_page, settings, IMAGE_FILE), builder), on_page))
    except InputError as exc:
        if not pages:
            raise
        # Keep what was read before the damage; the record will say which page failed.
        pages.append(
            _report(
                PageResult(
                    number=len(pages) + 1, method="ocr", outcome="failed", triage=IMAGE_FILE, error=exc.message
                ),
                on_page,
            )
        )
    return pages


@dataclass
class OcrJob:
    """A page to OCR, prepared for Tesseract; `keep` are text-layer lines that stand for the words
    under them; `seconds` spent on it so far."""

    number: int
    page: load.ImagePage
    settings: OcrSettings
    triage: str
    keep: list[Line]
    options: PrepareOptions
    prepared: PreparedPage
    seconds: float


def _ocr_job(
    number: int, page: load.ImagePage, settings: OcrSettings, triage: str, keep: list[Line] | None = None,
    started: float | None = None,
) -> OcrJob:
    started = time.monotonic() if started is None else started
    options = settings.prepare_options()
    if page.downsampled_from:  # read at the pixel limit: upscaling would undo the downsampling
        options = replace(options, upscale=False)
    prepared = prepare_page(page.image, page.dpi, page.encoded, options)
    return OcrJob(number, page, settings, triage, keep or [], options, prepared, time.monotonic() - started)


def _recognise_together(jobs: list[OcrJob]) -> dict[int, tuple[list[Line], float]]:
    """The pages' readings by page number, each with its share of the time, from one Tesseract
    run per resolution; none where that run failed: each page is then read on its own, and
    fails on its own."""
    readings: dict[int, tuple[list[Line], float]] = {}
    for dpi in sorted({job.prepared.ocr_dpi for job in jobs}):
        batch = [job for job in jobs if job.prepared.ocr_dpi == dpi]
        if len(batch) < 2:
            continue
        settings = batch[0].settings
        started = time.monotonic()
        try:
            found = recognise_pages([job.prepared.ocr_image for job in batch], dpi, settings.language,
                                    settings.page_timeout_seconds)
        except (TesseractTimeout, pytesseract.TesseractError) as exc:
            log.warning("pages %s read one by one: %s", ", ".join(str(job.number) for job in batch), exc)
            continue
        share = (time.monotonic() - started) / len(batch)
        for job, recognition in zip(batch, found):
            readings[job.number] = (_read_lines(recognition, job.prepared, job.settings), share)
    return readings


def _ocr_page(job: OcrJob, builder: PdfBuilder, reading: tuple[list[Line], float] | None = None) -> PageResult:
    """OCR the page image, or finish it from `reading` (its lines as Tesseract read the page, and
    the seconds that took)."""
    started = time.monotonic() - job.seconds - (reading[1] if reading else 0.0)
    number, page, settings, triage, keep, options, prepared = (
        job.number, job.page, job.settings, job.triage, job.keep, job.options, job.prepared)
    # The page as archived: a phone photo flattened to A4 has that page's size and resolution.
    archive = prepared.archive
    common = dict(
        number=number, method="ocr", triage=triage, width_px=archive.width, height_px=archive.height, dpi=prepared.dpi
    )
    try:
        prepared, lines = _recognise_upright(prepared, settings, options, reading[0] if reading else None)
        if prepared.rotation % 180 == 90 and not _reads_across(lines, prepared.ocr_image.size):
            prepared, lines = _as_scanned(page, prepared, lines, settings, options)
        recovered = _recover_signature_block(prepared, lines, settings) if settings.signature_block else lines
        in_cells = _recover_cell_rows(prepared, recovered, settings) if settings.cell_rows else recovered
    except (TesseractTimeout, pytesseract.TesseractError) as exc:
        builder.add_image_page(prepared.archive, prepared.dpi, prepared.encoded)
        outcome = "timeout" if isinstance(exc, TesseractTimeout) else "failed"
        message = str(exc) if outcome == "timeout" else f"Tesseract failed: {exc.message}".strip()
        return PageResult(**common, outcome=outcome, error=message, seconds=round(time.monotonic() - started, 3))
    stages = [*_downsampled(page), *prepared.stages]
    if recovered is not lines:
        lines, stages = recovered, [*stages, SIGNATURE_BLOCK_STAGE]
    if in_cells is not recovered:
        lines, stages = in_cells, [*stages, CELL_ROWS_STAGE]
    if settings.roman_numerals:
        lines, changed = recount_roman_numerals(prepared.ocr_image, lines)
        if changed:
            stages = [*stages, ROMAN_NUMERALS_STAGE]
    if settings.tone_marks:
        lines, changed = restore_tone_marks(lines, specks=not prepared.crisp)
        if changed:
            stages = [*stages, "tone_marks"]
        lines, changed = restore_place_names(lines, settings.places_file)
        if changed:
            stages = [*stages, PLACE_NAMES_STAGE]
    # Page 1's header: lines the layout analysis lost, then the number and day written in by
    # hand, read by the second recogniser.
    def reread(band: Image.Image) -> list[Line]:
        # Split like the page's reading: the label comes glued to its number (`Số:5915`).
        return split_glued_syllables(_reread(band, prepared, settings))

    if settings.header_lines and number == 1 and (found := recover_header_lines(prepared.ocr_image, lines, reread)):
        lines, stages = order_page_lines([*lines, *found], prepared.tables), [*stages, HEADER_LINES_STAGE]
    if settings.handwritten_digits and number == 1:
        lines = blanks.recover_number_line(prepared.ocr_image, lines, reread)
        lines, read = blanks.read_blanks(prepared.archive, lines, digit_reader)
        if read:
            log.info("page %d: digit reader: %s", number, ", ".join(read))
            stages = [*stages, blanks.STAGE]
    if settings.lost_numbers:
        lines, found = read_lost_numbers(prepared.ocr_image, lines, digit_reader)
        if found:
            stages = [*stages, LOST_NUMBERS_STAGE]
    if settings.phantom_quotes:
        lines, dropped = drop_phantom_quotes(prepared.ocr_image, lines)
        if dropped:
            stages = [*stages, PHANTOM_QUOTES_STAGE]
    if settings.superscripts:
        lines, found = read_superscripts(prepared.ocr_image, lines, digit_reader)
        if found:
            stages = [*stages, SUPERSCRIPTS_STAGE]
    if settings.empty_cells and prepared.tables and (cells := read_empty_cells(
            prepared.ocr_image, lines, prepared.tables, digit_reader)):
        lines, stages = order_page_lines([*lines, *cells], prepared.tables), [*stages, EMPTY_CELLS_STAGE]
    # The page number alone in a margin, which Tesseract's layout analysis takes for a speck.
    if settings.page_numbers and len(numbered := read_page_number(prepared.archive, lines, digit_reader)) > len(lines):
        lines, stages = numbered, [*stages, PAGE_NUMBER_STAGE]
    if keep:
        lines = order_page_lines(overlay_layer(lines, keep, prepared.rotation), prepared.tables)
    builder.add_image_page(prepared.archive, prepared.dpi, prepared.encoded, lines=lines)
    return PageResult(
        **common,
        rotation=prepared.rotation,
        skew_degrees=prepared.skew,
        preprocessing=stages,
        lines=lines,
        mean_confidence=round(mean_confidence(lines), 4),
        seconds=round(time.monotonic() - started, 3),
    )


def _downsampled(page: load.ImagePage) -> list[str]:
    """The stage that says a page was read smaller than it came, and what it came as."""
    return [page.downsampled_from] if page.downsampled_from else []


def _recognise_upright(
    prepared: PreparedPage, settings: OcrSettings, options: PrepareOptions, lines: list[Line] | None = None
) -> tuple[PreparedPage, list[Line]]:
    """Read the page (or take its reading `lines`); if it reads badly, read it upside down too and
    keep the better reading.

    Text upside down reads as confident-looking nonsense far less often than as low-confidence
    noise, so a low mean confidence is a cheap trigger that costs nothing on upright pages. A
    page read as no words at all (a blank back of a sheet) is upside down no more than upright.
    """
    lines = _recognise(prepared, settings) if lines is None else lines
    if options.orientation and lines and mean_confidence(lines) < settings.upside_down_below_confidence:
        flipped = flip(prepared, options)
        flipped_lines = _recognise(flipped, settings)
        if mean_confidence(flipped_lines) > mean_confidence(lines):
            return flipped, flipped_lines
    return prepared, lines


def _reads_across(lines: list[Line], size: tuple[int, int]) -> bool:
    """Whether most lines of several words run across the image, as print does upright."""
    width, height = size
    long = [line for line in lines if len(line.words) > 1]
    across = [line for line in long if (line.bbox[2] - line.bbox[0]) * width > (line.bbox[3] - line.bbox[1]) * height]
    return 2 * len(across) >= len(long)


def _as_scanned(
    page: load.ImagePage, turned: PreparedPage, lines: list[Line], settings: OcrSettings, options: PrepareOptions
) -> tuple[PreparedPage, list[Line]]:
    """The page as scanned, when the quarter turn made its lines stand up.

    The turn rests on the rows' ink profile, which a sparse page (a signature page with a seal
    and a recipients list) can fool; Tesseract then reads the standing lines word by word, in
    the right words but columns for lines. Kept only if it reads better.
    """
    scanned = prepare_page(page.image, page.dpi, page.encoded, replace(options, orientation=False))
    scanned_lines = _recognise(scanned, settings)
    if _reads_across(scanned_lines, scanned.ocr_image.size):
        return scanned, scanned_lines
    return turned, lines


def _recognise(prepared: PreparedPage, settings: OcrSettings) -> list[Line]:
    recognition = recognise(prepared.ocr_image, prepared.ocr_dpi, settings.language, settings.page_timeout_seconds)
    return _read_lines(recognition, prepared, settings)


def _read_lines(recognition: Recognition, prepared: PreparedPage, settings: OcrSettings) -> list[Line]:
    lines = join_split_numbers(normalise_glyphs(order_page_lines(recognition.lines, prepared.tables)))
    return _cleaned(lines, settings)


def _recover_signature_block(prepared: PreparedPage, lines: list[Line], settings: OcrSettings) -> list[Line]:
    """The page's lines with those of its signature block that the page's layout analysis lost
    read again (ocr/signature_block.py), put in reading order; `lines` when none was lost."""
    found = reread_lost_lines(prepared.ocr_image, lines, lambda canvas: _reread(canvas, prepared, settings))
    found = _cleaned(join_split_numbers(found), settings) if found else []
    return order_page_lines([*lines, *found], prepared.tables) if found else lines


def _recover_cell_rows(prepared: PreparedPage, lines: list[Line], settings: OcrSettings) -> list[Line]:
    """The page's lines with the rows of its table cells that the page's layout analysis lost
    read again (ocr/cell_rows.py), put in reading order; `lines` when none was lost."""
    if not prepared.tables:
        return lines
    found = reread_cell_rows(prepared.ocr_image, lines, prepared.tables, lambda canvas: _reread(canvas, prepared, settings))
    found = _cleaned(join_split_numbers(found), settings) if found else []
    return order_page_lines([*lines, *found], prepared.tables) if found else lines


def _cleaned(lines: list[Line], settings: OcrSettings) -> list[Line]:
    lines = mend_web_addresses(lines)
    if settings.split_glued:
        lines = split_glued_syllables(lines)
    if settings.drop_junk_lines:
        lines = drop_junk_lines(lines)
    if settings.legal_phrases:
        lines = restore_legal_phrases(lines)
    if settings.cited_dates:
        lines = restore_cited_dates(lines)
    return lines


def _reread(band: Image.Image, prepared: PreparedPage, settings: OcrSettings) -> list[Line]:
    """A band of the OCR copy read on its own as one block (boxes as fractions of the band):
    Tesseract's page layout analysis finds no text in so small a piece."""
    return _reread_row(band, prepared.ocr_dpi, settings, psm=6)


def _reread_row(image: Image.Image, dpi: int, settings: OcrSettings, psm: int = 7) -> list[Line]:
    """A piece of a page read on its own: by default one printed row (Tesseract's single-line mode)."""
    return normalise_glyphs(recognise(image, dpi, settings.language, settings.page_timeout_seconds, psm=psm).lines)


def mean_confidence(lines: list[Line]) -> float:
    words = [w for line in lines for w in line.words]
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def _report(page: PageResult, on_page: PageCallback | None) -> PageResult:
    page = page.model_copy(update={"lines": mark_stamp_lines(page.lines)})
    if on_page is not None:
        on_page(page)
    return page
