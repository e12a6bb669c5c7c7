"""PDF/A-2b without Ghostscript: the PDF's own objects, plus what PDF/A declares.

Ghostscript's pdfwrite re-encodes every page: 0.1-0.2 s a page of a born-digital document
and 0.2-1 s a page of a scan measured here (the whole time of a born-digital document, which
needs no rendering and no OCR). The searchable PDF sohoa assembles (JPEG or PNG page images in
RGB or grey, an embedded font for the invisible text) and a typical born-digital file (Word,
LibreOffice, PyMuPDF) already meet PDF/A-2b's rules for content; what they lack is the
declaration: an sRGB output intent, XMP metadata with `pdfaid` and the document information
mirrored. `declare_pdfa` adds just that and keeps every page as it was (text, fonts, images byte
for byte), which also makes Ghostscript's text check needless.

Only files whose content this module can vouch for take this path. `NotEligible` says what
needs a real conversion (forms, CMYK colour, optional content, transfer
functions, annotations other than links, interpolated, JPEG 2000, alternate or PostScript images, encryption, JavaScript or
embedded files, fonts not embedded); the caller then runs Ghostscript (`ocr.pdfa.to_pdfa`).
The result is checked by `ocr.pdfa.validate_pdfa`, as Ghostscript's is.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pymupdf

from ocr.pdfa import PdfaError, _pdf_date, _srgb_profile, validate_pdfa
from ocr.scratch import scratch_dir


class NotEligible(PdfaError):
    """The file needs Ghostscript's conversion; the message says why."""


# Patterns over an object's dictionary source; each names what forces a real conversion.
NEEDS_CONVERSION = {
    "an interactive form": re.compile(r"/AcroForm\b"),
    "optional content": re.compile(r"/OCProperties\b"),
    "CMYK colour": re.compile(r"/DeviceCMYK\b|/DeviceN\b|/Separation\b"),
    # ExtGState /TR is forbidden, /TR2 allowed only as /Default (6.2.5).
    "a transfer function": re.compile(r"/TR(?=[\s/\[<(\d])|/TR2(?!\s*/Default)(?=[\s/\[<(\d])"),
    "an interpolated image": re.compile(r"/Interpolate\s+true"),
    "a JPEG 2000 image": re.compile(r"/JPXDecode\b"),
    "alternate images": re.compile(r"/Alternates\b"),
    "a PostScript or OPI object": re.compile(r"/Subtype\s*/PS\b|/OPI\b"),
}
# Colour operators that set CMYK in a content stream: `c m y k k` (fill) or `K` (stroke).
CMYK_OPERATOR = re.compile(rb"(?:^|\s)(?:[-+]?[\d.]+\s+){4}[kK](?=\s|$)")

# Document information entry -> the XMP element that mirrors it (ISO 19005-2, 6.6.3, table 3).
INFO_ELEMENTS = {
    "Title": "dc:title", "Author": "dc:creator", "Subject": "dc:description", "Keywords": "pdf:Keywords",
    "Creator": "xmp:CreatorTool", "Producer": "pdf:Producer", "CreationDate": "xmp:CreateDate",
    "ModDate": "xmp:ModifyDate",
}
XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
{properties}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdfa(pdf: bytes) -> bytes:
    """`pdf` declared as PDF/A-2b (`declare_pdfa`), as bytes."""
    with scratch_dir("pdfa") as folder:
        path = Path(folder) / "archive.pdf"
        path.write_bytes(pdf)
        declare_pdfa(path)
        return path.read_bytes()


def declare_pdfa(path: Path) -> None:
    """The PDF file at `path` declared as PDF/A-2b where it is, its pages untouched; NotEligible
    (the file left as it was or half declared: the caller discards it) when it needs Ghostscript.

    The declaration is appended as an incremental update (PDF/A allows them): the file's own
    bytes come first, unchanged, and a scanned volume is neither rewritten nor read into memory
    (on 300 pages, a rewrite held two more copies of the file at once). A file whose header or
    trailer PDF/A finds wanting (no binary comment, no /ID) is rewritten whole instead.
    """
    try:
        doc = pymupdf.open(path)
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise NotEligible(f"not a readable PDF: {exc}") from exc
    with doc:
        if doc.needs_pass or doc.xref_get_key(-1, "Encrypt")[0] != "null":
            raise NotEligible("the PDF is encrypted")
        reason = _needs_conversion(doc)
        if reason:
            raise NotEligible(f"the PDF has {reason}")
        _print_links(doc)
        _state_glyph_maps(doc)
        _add_output_intent(doc)
        doc.set_xml_metadata(_xmp(doc))
        doc.saveIncr()
    if validate_pdfa(path, min_dpi=0):
        # A full rewrite: the header gets its binary comment and the trailer an /ID.
        rewritten = path.with_name(f"{path.name}.rewrite")
        with pymupdf.open(path) as doc:
            doc.save(rewritten, garbage=1)
        rewritten.replace(path)
    problems = validate_pdfa(path, min_dpi=0)
    if problems:
        raise NotEligible("; ".join(problems))


def _needs_conversion(doc: pymupdf.Document) -> str | None:
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True)
        for what, pattern in NEEDS_CONVERSION.items():
            if pattern.search(source):
                return what
    for page in doc:
        for xref in page.get_contents():
            if CMYK_OPERATOR.search(doc.xref_stream(xref) or b""):
                return "CMYK colour"
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Subtype")[1] == "/Form" and doc.xref_is_stream(xref):
            if CMYK_OPERATOR.search(doc.xref_stream(xref) or b""):
                return "CMYK colour"
    return None


def _print_links(doc: pymupdf.Document) -> None:
    """Links may stay (they need no appearance, 6.3.3) once flagged printable (6.3.2); other
    annotations need the appearance streams Ghostscript makes."""
    for page in doc:
        for xref in page.annot_xrefs():
            number = xref[0]
            if doc.xref_get_key(number, "Subtype")[1] != "/Link":
                raise NotEligible(f"the PDF has a {doc.xref_get_key(number, 'Subtype')[1]} annotation")
            doc.xref_set_key(number, "F", "4")  # Print on; Hidden, Invisible, NoView off


def _state_glyph_maps(doc: pymupdf.Document) -> None:
    """A Type 2 CIDFont must name its CID-to-glyph map (6.2.11.3.2); left out, it is Identity
    (ISO 32000-1, table 117), which is what PyMuPDF's fonts, our text layer's included, rely on."""
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Subtype")[1] == "/CIDFontType2" and doc.xref_get_key(xref, "CIDToGIDMap")[0] == "null":
            doc.xref_set_key(xref, "CIDToGIDMap", "/Identity")


def _add_output_intent(doc: pymupdf.Document) -> None:
    if doc.xref_get_key(doc.pdf_catalog(), "OutputIntents")[0] != "null":
        raise NotEligible("the PDF has output intents of its own")
    profile = doc.get_new_xref()
    doc.update_object(profile, "<< /N 3 >>")
    doc.update_stream(profile, _srgb_profile())
    intent = doc.get_new_xref()
    doc.update_object(
        intent,
        f"<< /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {profile} 0 R "
        "/OutputConditionIdentifier (sRGB) /Info (sRGB IEC61966-2.1) >>",
    )
    doc.xref_set_key(doc.pdf_catalog(), "OutputIntents", f"[{intent} 0 R]")


def _xmp(doc: pymupdf.Document) -> str:
    """pdfaid part 2 conformance B, and every document information entry mirrored (6.6.3)."""
    properties = []
    for key, element in INFO_ELEMENTS.items():
        kind, value = doc.xref_get_key(-1, f"Info/{key}")
        if kind == "null":
            continue
        if key.endswith("Date"):
            when = _pdf_date(value)
            if when is None:
                raise NotEligible(f"its document information has an unreadable /{key} {value!r}")
            value = when.isoformat()
        text = escape(value)
        if element in ("dc:title", "dc:description"):
            text = f'<rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt>'
        elif element == "dc:creator":
            text = f"<rdf:Seq><rdf:li>{text}</rdf:li></rdf:Seq>"
        properties.append(f"   <{element}>{text}</{element}>\n")
    return XMP_TEMPLATE.format(properties="".join(properties))


