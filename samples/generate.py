"""Generates Vietnamese administrative documents with ground truth, deterministically from a seed.

    python -m samples.generate --out DIR --count N --seed S   # N documents in mixed formats + DIR/truth.json
    python -m samples.generate --bundled                      # rebuilds samples/batch and samples/truth

Python API: `make_document(rng, doc_type, condition)` returns a `GeneratedDocument` (page images,
dpi, truth); `write_document(doc, path, fmt)` writes it as jpeg, png, tiff, pdf-scan or pdf-text,
or in the format of a file condition (`FILE_CONDITIONS`; `pick_format` chooses).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from samples import conditions, handwriting, received_stamp, writers
from samples.appendix import appendix_page, parent_fields
from samples.layout import PageLayout, layout_document
from samples.national_forms import FORM_TYPES, national_form
from samples.render import render_page
from samples.specs import DOC_TYPES, DocumentSpec, build_spec

FORMATS = ("jpeg", "png", "tiff", "pdf-scan", "pdf-text")
MULTI_PAGE_FORMATS = ("tiff", "pdf-scan", "pdf-text")
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "pdf-scan": ".pdf", "pdf-text": ".pdf"}
MIXED_CONDITIONS = ("clean", "scan", "scan", "grey", "bilevel", "dpi200")
# What the extraction rules were not tuned on: turned, crooked, noisy, low-resolution and faxed pages.
HARD_CONDITIONS = ("rot90", "rot180", "rot270", "skew", "noisy", "lowres", "fax", "dpi200+scan")
# Conditions of the file rather than of the picture, modelled on real files: each is written in a
# format of its own (samples/README.md): a scan whose only text is a digital-signature stamp or a
# certified-copy line, a scan under a scanner's invisible OCR layer without marks, a born-digital
# PDF whose number and day the signing software wrote over blanks. The truth stays the page text.
FILE_CONDITIONS = {"signed_stamp": "pdf-signed-stamp", "scanner_layer": "pdf-scanner-layer",
                   "stamped_blanks": "pdf-stamped"}
# The receiving office's `ĐẾN` stamp in the left margin beside the title (samples/received_stamp.py),
# as on real decisions; a content condition, so it is scanned.
RECEIVED_STAMP = "received_stamp"
REAL_CONDITIONS = (*FILE_CONDITIONS, f"{RECEIVED_STAMP}+scan")
# Pages photographed on a desk with a phone (perspective, room light, glare, a finger).
PHOTO_CONDITIONS = ("phone_photo",)
# An appendix page with a ruled table of procedures after the document, as real decisions have.
APPENDIX = "appendix_table"
APPENDIX_CONDITIONS = (APPENDIX, f"{APPENDIX}+scan")
# Holders and dates inside the body (samples.specs.IN_BODY_BUILDERS): decisions naming their holder
# in prose, certifications with `Số chứng thực`, household business papers dated by first registration.
HOLDERS_IN_BODY = "holders_in_body"
HOLDER_CONDITIONS = (HOLDERS_IN_BODY, f"{HOLDERS_IN_BODY}+scan")
# The number and the day written in by hand over blanks (samples/handwriting.py), scanned.
HANDWRITTEN = "handwritten_blanks"
HANDWRITTEN_CONDITIONS = (f"{HANDWRITTEN}+scan", f"{HANDWRITTEN}+grey")
# Personal results on their national forms (samples/national_forms.py), scanned or photographed;
# types without a national form keep the Decree 30 frame.
NATIONAL_FORM = "national_form"
NATIONAL_CONDITIONS = (NATIONAL_FORM, f"{NATIONAL_FORM}+scan", f"{NATIONAL_FORM}+phone_photo")
# The appendix page filed alone, a document of its own (`phu_luc`; samples/appendix.py). Its parent
# is a document of the type asked for when appendices follow that type, else a decision.
APPENDIX_ALONE = "appendix_alone"
APPENDIX_ALONE_CONDITIONS = (APPENDIX_ALONE, f"{APPENDIX_ALONE}+scan")
APPENDIX_PARENTS = ("quyet_dinh", "cong_van", "thong_bao", "ke_hoach", "bao_cao", "de_an")
BLANK_PARENT_SHARE = 0.3  # of appendices filed alone whose parent's number and day are left blank
CONDITION_SETS = {"mixed": MIXED_CONDITIONS, "hard": HARD_CONDITIONS, "real": REAL_CONDITIONS,
                  "handwritten": HANDWRITTEN_CONDITIONS,
                  "photo": PHOTO_CONDITIONS, "appendix": APPENDIX_CONDITIONS, "holders": HOLDER_CONDITIONS,
                  "national": NATIONAL_CONDITIONS, "appendix_alone": APPENDIX_ALONE_CONDITIONS}
BORN_DIGITAL_FORMATS = ("pdf-text", "pdf-stamped")
EXTENSIONS |= {fmt: ".pdf" for fmt in FILE_CONDITIONS.values()}
SAO_Y_SHARE = 0.3  # of signed scans carry a certified-copy line instead of the signer's stamp
# ...and this share the Official Gazette centre's publishing stamp, unlabelled, dated a day or
# more after the issue date (real Quảng Ngãi papers): the time that is not the issue date.
GAZETTE_SHARE = 0.2
# Signing software that draws the number and day as glyph outlines, not text (Lai Châu, 2025).
OUTLINED_SHARE = 0.3


@dataclass
class GeneratedDocument:
    pages: list[Image.Image]
    dpi: int
    truth: dict[str, Any]  # {"document_type", "fields", "page_texts"}
    layout: list[PageLayout]  # what pdf-text draws
    condition: str
    dated: date | None = None  # the file's date when the truth has no issue_date (an appendix alone)

    @property
    def issue_date(self) -> date:
        return self.dated or date.fromisoformat(self.truth["fields"]["issue_date"])


def make_document(rng: random.Random, doc_type: str | None = None, condition: str = "clean",
                  variant: str | None = None) -> GeneratedDocument:
    """One document of `doc_type` (random when None); `variant` picks a builder of samples.specs.BUILDERS."""
    doc_type = doc_type or rng.choice(DOC_TYPES)
    capture = conditions.resolve(condition)
    parts = set(condition.split("+"))
    if NATIONAL_FORM in parts and doc_type in FORM_TYPES:
        layout, fields = national_form(rng, doc_type)
        pages = [captured(page, capture, rng) for page in layout]
        truth = {"document_type": doc_type, "fields": fields, "page_texts": [page.text for page in layout]}
        return GeneratedDocument(pages, capture.claimed_dpi, truth, layout, condition)
    if APPENDIX_ALONE in parts:
        return appendix_alone(rng, doc_type, condition, capture)
    spec = build_spec(rng, doc_type, variant, in_body=HOLDERS_IN_BODY in parts)
    layout = layout_document(spec, rng)
    if HANDWRITTEN in parts:
        layout[0] = handwriting.written_in(layout[0], rng)
    if RECEIVED_STAMP in parts:
        layout[0] = received_stamp.pressed(layout[0], rng, spec.issue_date + timedelta(days=rng.randint(1, 10)))
    pages = [captured(page, capture, rng) for page in layout]
    # After the document's own pages, so that those stay the same as without the appendix.
    for _ in range(appended_pages(condition)):
        layout.append(appendix_page(spec, rng))
        pages.append(captured(layout[-1], capture, rng))
    return GeneratedDocument(pages, capture.claimed_dpi, truth_of(spec, layout), layout, condition)


def captured(page: PageLayout, capture: conditions.Capture, rng: random.Random) -> Image.Image:
    """One page rendered and passed through the capture's steps."""
    return conditions.degrade(render_page(page, capture.dpi, capture.typeface), capture.steps, rng)


def appendix_alone(rng: random.Random, doc_type: str, condition: str,
                   capture: conditions.Capture) -> GeneratedDocument:
    """The appendix of a document of `doc_type` (a decision's for types appendices do not follow)."""
    spec = build_spec(rng, doc_type if doc_type in APPENDIX_PARENTS else "quyet_dinh")
    blanks = rng.random() < BLANK_PARENT_SHARE
    layout = [appendix_page(spec, rng, blanks)]
    pages = [captured(layout[0], capture, rng)]
    truth = {"document_type": "phu_luc", "fields": parent_fields(spec, blanks), "page_texts": [layout[0].text]}
    return GeneratedDocument(pages, capture.claimed_dpi, truth, layout, condition, spec.issue_date)


def appended_pages(condition: str) -> int:
    """Pages a condition adds after the document's own (the appendix)."""
    return int(APPENDIX in condition.split("+"))


def truth_of(spec: DocumentSpec, layout: list[PageLayout]) -> dict[str, Any]:
    return {"document_type": spec.doc_type, "fields": spec.fields, "page_texts": [page.text for page in layout]}


def document_bytes(doc: GeneratedDocument, fmt: str) -> bytes:
    if fmt == "jpeg":
        return writers.jpeg_bytes(doc.pages, doc.dpi)
    if fmt == "png":
        return writers.png_bytes(doc.pages, doc.dpi)
    if fmt == "tiff":
        return writers.tiff_bytes(doc.pages, doc.dpi)
    if fmt == "pdf-scan":
        return writers.pdf_scan_bytes(doc.pages, doc.dpi, doc.issue_date)
    if fmt == "pdf-text":
        return writers.pdf_text_bytes(doc.layout, doc.issue_date)
    # The file's own choices come from the truth, so that a document always writes the same bytes.
    rng = random.Random(json.dumps(doc.truth["fields"], sort_keys=True, ensure_ascii=False))
    if fmt == "pdf-stamped":
        outlined = rng.random() < OUTLINED_SHARE
        return writers.pdf_text_bytes(doc.layout, doc.issue_date, signed=True, outlined=outlined)
    if fmt == "pdf-signed-stamp":
        lines, corner, width = signature_stamp(doc, rng)
        return writers.pdf_signed_stamp_bytes(doc.pages, doc.dpi, doc.issue_date, lines, corner, width)
    if fmt == "pdf-scanner-layer":
        return writers.pdf_scanner_layer_bytes(doc.pages, doc.dpi, doc.issue_date, doc.layout, rng)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS + tuple(FILE_CONDITIONS.values()))}")


def pick_format(rng: random.Random, doc: GeneratedDocument) -> str:
    """The format of the document's file condition if it has one, else one its page count allows."""
    for part in doc.condition.split("+"):
        if part in FILE_CONDITIONS:
            return FILE_CONDITIONS[part]
    formats = FORMATS if len(doc.pages) == 1 else MULTI_PAGE_FORMATS
    if {HANDWRITTEN, RECEIVED_STAMP} & set(doc.condition.split("+")):  # ink on paper: the file is a scan of it
        formats = tuple(fmt for fmt in formats if fmt not in BORN_DIGITAL_FORMATS)
    return rng.choice(formats)


def signature_stamp(doc: GeneratedDocument, rng: random.Random) -> tuple[list[str], tuple[float, float], float]:
    """The stamp's lines, its top left corner and its width (points), in the top margin as signing
    software places it: "Ký bởi / Cơ quan / Thời gian ký", one "SAO Y" line of the office that copied,
    or the gazette centre's name, e-mail and publishing time."""
    issuer = doc.truth["fields"]["issuer"]
    seconds = rng.randrange(7 * 3600, 17 * 3600)
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d} +07:00"
    kind = rng.random()
    if kind < SAO_Y_SHARE:
        copied = doc.issue_date + timedelta(days=rng.randrange(0, 30))
        line = f"SAO Y; VĂN PHÒNG, {issuer.upper()}; {copied:%d/%m/%Y}; {clock}"
        return [line], (rng.uniform(120, 160), rng.uniform(10, 16)), 430.0
    if kind < SAO_Y_SHARE + GAZETTE_SHARE:
        published = doc.issue_date + timedelta(days=rng.randrange(1, 4))
        lines = ["TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@vinhphuc.gov.vn", f"{published:%d.%m.%Y} {clock}"]
        return lines, (rng.uniform(470, 490), rng.uniform(4, 7)), 110.0
    lines = [f"Ký bởi: {issuer}", f"Cơ quan: {issuer}, Tỉnh Vĩnh Phúc",
             f"Thời gian ký: {doc.issue_date:%d.%m.%Y} {clock}"]
    x = rng.uniform(40, 120) if rng.random() < 0.5 else rng.uniform(330, 390)
    return lines, (x, rng.uniform(5, 8)), 170.0


def write_document(doc: GeneratedDocument, path: Path, fmt: str) -> None:
    Path(path).write_bytes(document_bytes(doc, fmt))


def truth_entry(file: str, fmt: str, doc: GeneratedDocument) -> dict[str, Any]:
    # A born-digital PDF carries no capture condition: its text is drawn, not scanned.
    condition = "digital" if fmt == "pdf-text" else doc.condition
    return {"file": file, "format": fmt, "condition": condition, "pages": len(doc.pages), **doc.truth}


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def generate_batch(out: Path, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` documents cycling through the document types, in random conditions and formats."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for index in range(count):
        doc_type = DOC_TYPES[index % len(DOC_TYPES)]
        doc = make_document(rng, doc_type, rng.choice(MIXED_CONDITIONS))
        fmt = pick_format(rng, doc)
        name = f"{index + 1:04d}-{doc_type}{EXTENSIONS[fmt]}"
        write_document(doc, out / name, fmt)
        entries.append(truth_entry(name, fmt, doc))
    write_json(out / "truth.json", entries)
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="folder to write the documents and truth.json into")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bundled", action="store_true", help="rebuild the committed batch in samples/batch")
    args = parser.parse_args(argv)
    if args.bundled:
        from samples.bundle import write_bundle  # here, not at the top: samples.bundle imports this module

        for path in write_bundle():
            print(path)
    elif args.out:
        entries = generate_batch(args.out, args.count, args.seed)
        print(f"wrote {len(entries)} documents and truth.json to {args.out}")
    else:
        parser.error("give --out DIR or --bundled")


if __name__ == "__main__":
    main()
