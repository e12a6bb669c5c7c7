"""OCR settings, read once from the environment (prefix SOHOA_OCR_)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ocr.gazetteer import PLACES_FILE
from ocr.preprocess import PrepareOptions


class OcrSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_OCR_")

    language: str = "vie"  # not vie+eng: the mixed model strips diacritics (TOOLCHAIN.md)
    dpi: int = 300  # rasterisation of PDF pages; Circular 05/2025 asks >= 200
    page_timeout_seconds: int = 180
    max_file_bytes: int = 500 * 1024 * 1024
    max_pages: int = 1000
    # A4 at 600 dpi is 35 Mpx. A larger page (a 2400-dpi scan, a poster) is read downsampled to this.
    max_page_pixels: int = 90_000_000
    # A4 at 2400 dpi is 557 Mpx, A0 at 600 dpi 558 Mpx: an image declaring more is a
    # decompression bomb, not a scan, and is refused before it is decoded.
    max_image_pixels: int = 600_000_000
    # Preprocessing stages (ocr/preprocess.py), each switchable. Colour dropout clears red
    # seals and blue signatures from the copy Tesseract reads: a seal's rim otherwise erases
    # the signer's title it overlaps. The archive image keeps them.
    flatten: bool = True  # a phone photo of a page on a desk: cut out, seen straight on (ocr/photo.py)
    orientation: bool = True
    deskew: bool = True
    colour_dropout: bool = True
    illumination: bool = True
    upscale: bool = True
    denoise: bool = True  # where the page is noisy; on a crisp one only round a signature (ocr/preprocess.py)
    seal_removal: bool = True  # round seals on grey scans
    # Erase the rules of ruled tables from the OCR copy and read their cells in order (ocr/tables.py).
    table_lines: bool = True
    # Drop lines of junk (signature scribble, dirt): unsure words that are mostly not syllables.
    drop_junk_lines: bool = True
    # Cut runs of syllables stored or read without their spaces (`thủtục`), join a syllable
    # read in two (`quy ết`): ocr/glued.py.
    split_glued: bool = True
    # Restore the marks of common administrative phrases read with unsure, wrong marks.
    legal_phrases: bool = True
    # A cited number's date misread by one figure (`63/2010/NĐ-CP ngày 06/6/2010`) is the date
    # administrative text cites it with (ocr/cited_dates.py).
    cited_dates: bool = True
    # Give unsure syllables the marks a syllable language model prefers (ocr/tone_marks.py), and
    # place names after a unit word the gazetteer's (ocr/place_names.py).
    tone_marks: bool = True
    # The gazetteer: one list for OCR and field reading, so one variable names it.
    places_file: Path = Field(PLACES_FILE, validation_alias="SOHOA_PLACES_FILE")
    # Count the strokes of a numeral of capital I's on the page (`cấp III` read `cấp II`):
    # ocr/roman_numerals.py.
    roman_numerals: bool = True
    # Read the number and day written in by hand on page 1 with the second recogniser (ocr/blanks.py).
    handwritten_digits: bool = True
    # Read the number and day that signing software drew as outlines into page 1's blanks of a
    # born-digital PDF (ocr/drawn_numbers.py).
    drawn_numbers: bool = True
    # Read a page number printed alone in the top or bottom margin with it (ocr/page_numbers.py).
    page_numbers: bool = True
    # Read with it the figures and codes standing alone in ruled table cells that Tesseract left
    # empty, such as an appendix's row numbers (ocr/empty_cells.py).
    empty_cells: bool = True
    # Read with it the number Tesseract dropped after `Điều`, `khoản`, `điểm` ... in justified
    # print (`khoản 4 Điều 8 Luật` read `khoản 4 Điều Luật`), and short numbers it read all but
    # blind (`07` read `7T`), and the separators of unsure figures (`29.137` read `290137`):
    # ocr/lost_numbers.py.
    lost_numbers: bool = True
    # Read with it the 2 or 3 printed high after a unit of length (`m³/năm` read `m”/năm` or
    # `m/năm`): ocr/superscripts.py.
    superscripts: bool = True
    # Read again the rows of print in the signature block that the page's layout analysis lost
    # beside a seal, a signature or the clerk's initials (ocr/signature_block.py).
    signature_block: bool = True
    # Read again the rows of print in ruled table cells that the page's layout analysis lost
    # (ocr/cell_rows.py).
    cell_rows: bool = True
    # Read again the lines of page 1's header that the page's layout analysis lost (faint print,
    # a line over a bold rule): ocr/header_lines.py.
    header_lines: bool = True
    # Take off the opening quotes Tesseract reads where the page prints none (ocr/phantom_quotes.py).
    phantom_quotes: bool = True

    @property
    def second_recogniser(self) -> bool:
        """Whether any stage reads with the second recogniser (ocr/digit_reader.py)."""
        return (self.handwritten_digits or self.page_numbers or self.empty_cells or self.lost_numbers
                or self.superscripts)
    # A PDF's pages to OCR are read this many at a time by one Tesseract run: its 0.08 s start is a
    # tenth of a 200-dpi page's reading. A batch holds its pages' images and ends early when they
    # pass batch_megabytes: a rendered 200-dpi page holds 13 MB, a 300-dpi colour scan 60 MB (read
    # alone: four of them took a 40-page volume's peak from 0.74 to 1.21 GB).
    batch_pages: int = Field(default=4, ge=1)
    batch_megabytes: int = Field(default=40, ge=0)
    # A long PDF read on a cluster (flows/engine.py) goes out in ranges of this many pages to OCR:
    # enough ranges to keep every worker busy, few enough that each range's PDF overhead is small.
    range_pages: int = Field(default=8, ge=1)
    # A page whose words average less than this is read upside down as well.
    upside_down_below_confidence: float = 0.8

    def prepare_options(self) -> PrepareOptions:
        return PrepareOptions(**{stage.name: getattr(self, stage.name) for stage in fields(PrepareOptions)})
