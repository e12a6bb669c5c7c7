"""Generates Vietnamese administrative documents with ground truth, deterministically from a seed.

    python -m samples.generate --out DIR --count N --seed S   # N documents in mixed formats + DIR/truth.json
    python -m samples.generate --bundled                      # rebuilds samples/batch and samples/truth

Python API: `make_document(rng, doc_type, condition)` returns a `GeneratedDocument` (page images,
dpi, truth); `write_document(doc, path, fmt)` writes it as jpeg, png, tiff, pdf-scan or pdf-text.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image

from samples import conditions, writers
from samples.layout import PageLayout, layout_document
from samples.render import render_page
from samples.specs import DOC_TYPES, DocumentSpec, build_spec

FORMATS = ("jpeg", "png", "tiff", "pdf-scan", "pdf-text")
MULTI_PAGE_FORMATS = ("tiff", "pdf-scan", "pdf-text")
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "pdf-scan": ".pdf", "pdf-text": ".pdf"}
MIXED_CONDITIONS = ("clean", "scan", "scan", "grey", "bilevel", "dpi200")
# What the extraction rules were not tuned on: turned, crooked, noisy, low-resolution and faxed pages.
HARD_CONDITIONS = ("rot90", "rot180", "rot270", "skew", "noisy", "lowres", "fax", "dpi200+scan")
CONDITION_SETS = {"mixed": MIXED_CONDITIONS, "hard": HARD_CONDITIONS}


@dataclass
class GeneratedDocument:
    pages: list[Image.Image]
    dpi: int
    truth: dict[str, Any]  # {"document_type", "fields", "page_texts"}
    layout: list[PageLayout]  # what pdf-text draws
    condition: str

    @property
    def issue_date(self) -> date:
        return date.fromisoformat(self.truth["fields"]["issue_date"])


def make_document(rng: random.Random, doc_type: str | None = None, condition: str = "clean",
                  variant: str | None = None) -> GeneratedDocument:
    """One document of `doc_type` (random when None); `variant` picks a builder of samples.specs.BUILDERS."""
    doc_type = doc_type or rng.choice(DOC_TYPES)
    capture = conditions.resolve(condition)
    spec = build_spec(rng, doc_type, variant)
    layout = layout_document(spec, rng)
    pages = [conditions.degrade(render_page(page, capture.dpi, capture.typeface), capture.steps, rng)
             for page in layout]
    return GeneratedDocument(pages, capture.dpi, truth_of(spec, layout), layout, condition)


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
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


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
        fmt = rng.choice(FORMATS if len(doc.pages) == 1 else MULTI_PAGE_FORMATS)
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
