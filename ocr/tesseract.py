"""The one place that runs Tesseract.

One recognition per page yields its words with boxes and confidences (Tesseract's TSV).
The PDF's invisible text layer is drawn from these same words (ocr/assemble.py), in our
reading order, so Tesseract writes no PDF and a page is never OCR'd twice.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

from ocr.errors import TesseractMissing
from ocr.scratch import scratch_dir
from ocr.types import Line, Word

# Tesseract's own OpenMP threads are ~3.6x slower here than one thread per process
# (TOOLCHAIN.md); parallelism comes from running documents side by side.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


# Paper left round the ink when the margins are cut off (inches), and the grey below which a
# pixel is ink (the OCR copy's paper is white after illumination).
MARGIN = 0.2
INK_BELOW = 128
_INK_TABLE = [255 if value < INK_BELOW else 0 for value in range(256)]


class TesseractTimeout(Exception):
    pass


@dataclass(frozen=True)
class Recognition:
    lines: list[Line]  # in Tesseract's order


INSTALL_COMMAND = "apt-get install tesseract-ocr tesseract-ocr-vie"
INSTALL = f"Tesseract is not installed or not on the PATH: run `{INSTALL_COMMAND}`"


@functools.lru_cache(maxsize=None)
def check_tesseract(language: str) -> str:
    """Tesseract's version; raises TesseractMissing when it or the language data is absent.

    Cached: a worker checks once. A tool removed later is still caught when a page is read.
    """
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractMissing(INSTALL) from exc
    missing = missing_languages(language, languages)
    if missing:
        raise TesseractMissing(_no_language_data(missing))
    return version


def missing_languages(language: str, installed: list[str]) -> list[str]:
    """The languages of `language` (`vie`, `vie+eng`) that have no data among `installed`."""
    return [lang for lang in language.split("+") if lang not in installed]


def language_packages(languages: list[str]) -> str:
    """Debian names the package after the language code: tesseract-ocr-vie, tesseract-ocr-chi-sim."""
    return " ".join(f"tesseract-ocr-{lang.lower().replace('_', '-')}" for lang in languages)


def _no_language_data(languages: list[str]) -> str:
    # TESSDATA_PREFIX pointing elsewhere hides installed data just as well.
    packages = language_packages(languages)
    where = f" (TESSDATA_PREFIX={os.environ['TESSDATA_PREFIX']})" if "TESSDATA_PREFIX" in os.environ else ""
    return f"Tesseract has no language data for {', '.join(languages)}{where}: run `apt-get install {packages}`"


def recognise(image: Image.Image, dpi: int, language: str, timeout: int, psm: int | None = None) -> Recognition:
    """OCR one page image; returns its words grouped in lines, boxes as page fractions.
    `psm`: a page segmentation mode other than Tesseract's default (3); 6 reads one block of text."""
    return recognise_pages([image], dpi, language, timeout, psm)[0]


def recognise_pages(
    images: list[Image.Image], dpi: int, language: str, timeout: int, psm: int | None = None
) -> list[Recognition]:
    """OCR page images of one resolution in one Tesseract run, each read as `recognise` reads it
    (the same words, to the box); `timeout` is per page. Tesseract takes 0.08 s to start, a tenth
    of a 200-dpi page's reading: a document's pages are read together."""
    check_tesseract(language)
    boxes = [ink_box(image, dpi) for image in images]
    with scratch_dir("tess") as tmp:
        # Uncompressed BMP: writing and decoding a PNG of a 300-dpi page costs 0.15 s and more, and
        # Leptonica reads a PNM a value at a time: 0.17 s of Tesseract's CPU a 300-dpi page against
        # BMP's row copies, same words (benchmarks/real_documents.py). The archive image is encoded elsewhere.
        sources = []
        for number, (image, box) in enumerate(zip(images, boxes), start=1):
            # Tesseract's layout analysis costs by the pixel, blank ones too: the margins are left out.
            sources.append(Path(tmp) / f"page{number}.bmp")
            (image.crop(box) if box else image).save(sources[-1], format="BMP")
        source = sources[0]
        if len(sources) > 1:  # a list of images is one run of Tesseract, its pages numbered in order
            source = Path(tmp) / "pages.txt"
            source.write_text("".join(f"{path}\n" for path in sources), encoding="utf-8")
        base = Path(tmp) / "out"
        try:
            # Tesseract's `tsv` config file: the words with boxes and confidences, and no other output.
            pytesseract.pytesseract.run_tesseract(
                str(source), str(base), extension="", lang=language,
                config=f"--dpi {dpi}{f' --psm {psm}' if psm is not None else ''} tsv", timeout=timeout * len(images),
            )
        except pytesseract.TesseractNotFoundError as exc:  # removed since check_tesseract
            raise TesseractMissing(INSTALL) from exc
        except pytesseract.TesseractError as exc:
            if "Failed loading language" in exc.message:  # its data removed since check_tesseract
                raise TesseractMissing(_no_language_data(language.split("+"))) from exc
            raise
        except RuntimeError as exc:  # pytesseract's way of saying the timeout expired
            if "timeout" in str(exc).lower():
                raise TesseractTimeout(f"Tesseract took longer than {timeout} s a page") from exc
            raise
        tsv = base.with_suffix(".tsv").read_text(encoding="utf-8")
    rows = _page_rows(tsv)
    return [Recognition(lines=parse_tsv(rows.get(number, []), image.width, image.height, box[:2] if box else (0, 0)))
            for number, (image, box) in enumerate(zip(images, boxes), start=1)]


def _page_rows(tsv: str) -> dict[int, list[dict[str, str]]]:
    """Tesseract's TSV rows by page number."""
    pages: dict[int, list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        pages.setdefault(int(row["page_num"]), []).append(row)
    return pages


def ink_box(image: Image.Image, dpi: int) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) round the image's ink with MARGIN inches of paper
    round it; None when that is the whole image, or there is no ink."""
    # PIL's own table lookup and box: a third of the time of a numpy copy of the page.
    found = (image if image.mode == "L" else image.convert("L")).point(_INK_TABLE).getbbox()
    if found is None:
        return None
    x0, y0, x1, y1 = found
    pad = int(MARGIN * dpi)
    box = (max(0, x0 - pad), max(0, y0 - pad), min(image.width, x1 + pad), min(image.height, y1 + pad))
    return None if box == (0, 0, image.width, image.height) else box


def parse_tsv(rows: list[dict[str, str]], width: int, height: int, origin: tuple[int, int] = (0, 0)) -> list[Line]:
    """Group a page's rows of Tesseract's TSV into lines, in Tesseract's reading order; boxes as
    fractions of an image `width` x `height` in which the image read stands at `origin`."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for row in rows:
        text = unicodedata.normalize("NFC", (row.get("text") or "").strip())
        if row["level"] != "5" or not text:
            continue
        left, top = int(row["left"]) + origin[0], int(row["top"]) + origin[1]
        right, bottom = left + int(row["width"]), top + int(row["height"])
        word = Word(
            text=text,
            confidence=max(0.0, min(1.0, float(row["conf"]) / 100.0)),
            bbox=(left / width, top / height, right / width, bottom / height),
        )
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        grouped.setdefault(key, []).append(word)
    return [Line.from_words(words, block) for (block, _, _), words in grouped.items()]
