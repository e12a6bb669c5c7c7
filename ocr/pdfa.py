"""The archive copy as PDF/A-2b (Circular 05/2025/TT-BNV: two-layer PDF/A, colour as the
original, >= 200 dpi), made by Ghostscript and checked here.

`to_pdfa` converts with Ghostscript's pdfwrite, giving it an sRGB output intent, keeping
colour and JPEGs as scanned (device colours become ICC-based) and never downsampling. It fails with `PdfaError` (the caller
keeps the plain searchable PDF and records why) when the input is encrypted or unreadable,
when Ghostscript fails, or when its output does not pass `validate_pdfa`'s PDF/A checks,
loses a page, or changes a page's text. When Ghostscript is not installed it raises
`GhostscriptMissing` instead: that is the machine's fault, not the document's.

`validate_pdfa` is a partial validator: veraPDF, the reference, cannot be installed here.
It checks these requirements of ISO 19005-2 (PDF/A-2), by clause:
- 6.1.2 the header `%PDF-1.n`, followed by a comment of at least four binary bytes;
- 6.1.3 a trailer /ID, and no /Encrypt;
- 6.1.7 no LZW-compressed stream;
- 6.2.3 an OutputIntent with /S /GTS_PDFA1 whose DestOutputProfile is an embedded ICC
  profile (its header is read and must agree with its /N), the same in every such intent;
- 6.2.11.4 every font program embedded (Type 3 fonts need none), the invisible text
  layer's font included;
- 6.5 no JavaScript, Launch, Sound, Movie, ResetForm, ImportData, Hide, SetOCGState,
  Rendition, Trans or GoTo3DView action, and no additional actions (/AA);
- 6.6 a catalog /Metadata XMP stream (/Type /Metadata, /Subtype /XML) declaring
  pdfaid:part 2 and pdfaid:conformance B, and every document information entry present
  agreeing with its XMP equivalent (dates compared as instants);
- 6.8 no embedded files (PDF/A-2 allows only embedded PDF/A files; we never embed any).
And, from Circular 05/2025 rather than PDF/A, that every page scan (an image covering at
least half of its page) is at least 200 dpi on both axes.

Two independent tools look at sohoa's PDF/A in the tests (tests/test_pdfa.py), not at run time:
qpdf's `--check` (file syntax, cross-reference table, every stream decodes) and pikepdf's
reading of the PDF/A identification in the XMP (what OCRmyPDF relies on), which must say `2B`.
Neither is a PDF/A validator.

Checked by nothing here (veraPDF would), so the archive copy is "PDF/A-2b as far as these
checks go", not certified:
- 6.1 file structure beyond the header, trailer and LZW rules: string, name and number syntax,
  stream keywords and /Length, object headers, the implementation limits (qpdf checks the
  syntax it needs to read, not PDF/A's stricter rules);
- 6.2 graphics: colour spaces used in content against the output intent, extended graphics
  state (transfer functions, halftones), rendering intents, images (interpolation, JPEG 2000
  parameters), Form and PostScript XObjects, transparency groups and blend modes, and of the
  fonts everything but embedding: font types, composite fonts' CIDSystemInfo and CMaps, widths
  against the font program, symbolic fonts' encodings, ToUnicode maps;
- 6.3 annotations (types, flags, appearance streams) and 6.4 interactive forms;
- 6.6 XMP beyond the properties above: the packet header, extension schemas for custom
  properties, property value types;
- 6.9 optional content.
MuPDF repairs what it can without saying so, so a damaged file may pass `validate_pdfa`; qpdf
in the tests catches that for the files the tests make.
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pymupdf

from ocr.assemble import repair_to_unicode_maps
from ocr.errors import GhostscriptMissing
from ocr.ghostscript import GhostscriptError, run_gs
from ocr.scratch import scratch_dir

SRGB_PROFILES = (
    Path("/usr/share/color/icc/ghostscript/srgb.icc"),  # Debian's ghostscript
    *sorted(Path("/usr/share/ghostscript").glob("*/iccprofiles/srgb.icc")),
)
MIN_SCAN_DPI = 200  # Circular 05/2025 for administrative papers
SCAN_AREA = 0.5  # an image covering this share of its page is the page scan

GS_PDFA_ARGS = [
    "-sDEVICE=pdfwrite",
    "-dPDFA=2",
    # Drop what PDF/A forbids (JavaScript, ...) with a warning rather than give up.
    "-dPDFACompatibilityPolicy=1",
    # Device colours become the ICC-based equivalents PDF/A accepts whatever the output
    # intent: a CMYK fill on a copied page too, which LeaveColorUnchanged would leave as
    # DeviceCMYK, forbidden beside an sRGB intent. Grey and bilevel scans stay grey and
    # bilevel ("colour as the original") and JPEGs pass through; `RGB` would turn them into
    # RGB Flate images, a scanned page 2.8 times larger and 6 times slower to convert.
    "-sColorConversionStrategy=UseDeviceIndependentColor",
    "-dAutoRotatePages=/None",  # never guess a page's orientation from its text
    "-dPassThroughJPEGImages=true",  # the scanned JPEG stays byte for byte
    # Every image at the resolution it was scanned at.
    "-dDownsampleColorImages=false",
    "-dDownsampleGrayImages=false",
    "-dDownsampleMonoImages=false",
    # Images that were not JPEG stay lossless instead of becoming JPEG.
    "-dAutoFilterColorImages=false",
    "-dColorImageFilter=/FlateEncode",
    "-dAutoFilterGrayImages=false",
    "-dGrayImageFilter=/FlateEncode",
]

FORBIDDEN_ACTIONS = re.compile(
    rb"/S\s*/(Launch|Sound|Movie|ResetForm|ImportData|Hide|SetOCGState|Rendition|Trans|GoTo3DView)\b"
)
FORBIDDEN_KEYS = {
    "JavaScript": re.compile(rb"/(JS|JavaScript)\b"),  # actions, and the /Names tree
    "additional actions (/AA)": re.compile(rb"/AA\b"),
    "an embedded file": re.compile(rb"/(EmbeddedFiles|EmbeddedFile)\b"),
    "an LZW-compressed stream": re.compile(rb"/LZWDecode\b"),
}
ENCRYPTED = "the file is encrypted (PDF/A forbids encryption)"
ICC_COMPONENTS = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
PDF = "http://ns.adobe.com/pdf/1.3/"
# Document information entry -> its XMP equivalent (ISO 19005-2, 6.6.3, table 3)
INFO_IN_XMP = {
    "Title": (DC, "title"),
    "Author": (DC, "creator"),
    "Subject": (DC, "description"),
    "Keywords": (PDF, "Keywords"),
    "Creator": (XMP, "CreatorTool"),
    "Producer": (PDF, "Producer"),
    "CreationDate": (XMP, "CreateDate"),
    "ModDate": (XMP, "ModifyDate"),
}


class PdfaError(Exception):
    """The PDF could not be made into a PDF/A-2b; the message says why."""


def to_pdfa(pdf: bytes, timeout: int = 120) -> bytes:
    """The same document as PDF/A-2b: same pages, same images, same text."""
    with _open(pdf) as source:
        if _is_encrypted(source):
            raise PdfaError("the PDF is encrypted: PDF/A forbids encryption")
        with scratch_dir("pdfa") as tmp:
            folder = Path(tmp)
            (folder / "input.pdf").write_bytes(_readable_by_ghostscript(pdf))
            (folder / "pdfa_def.ps").write_text(_pdfa_definitions(_srgb_profile()), encoding="ascii")
            output = folder / "output.pdf"
            try:
                run_gs([*GS_PDFA_ARGS, "-o", str(output), str(folder / "pdfa_def.ps"), str(folder / "input.pdf")],
                       timeout)
            except GhostscriptError as exc:
                raise PdfaError(str(exc)) from exc
            if not output.is_file():
                raise PdfaError("Ghostscript wrote no file")
            result = output.read_bytes()
        _check_conversion(source, result)
    return result


def _readable_by_ghostscript(pdf: bytes) -> bytes:
    """`pdf` with the ToUnicode maps Ghostscript misreads rewritten (PdfBuilder's output has them
    rewritten already; a born-digital original given as is may not)."""
    with _open(pdf) as doc:
        return doc.tobytes() if repair_to_unicode_maps(doc) else pdf


def validate_pdfa(pdf: bytes | Path, min_dpi: int = MIN_SCAN_DPI) -> list[str]:
    """What keeps `pdf` (its bytes, or a file: read as needed, not held) from being a PDF/A-2b
    archive copy; empty when nothing was found.

    See the module docstring for the clauses checked and those that are not.
    """
    try:
        doc = _open(pdf)
    except PdfaError as exc:
        return [str(exc)]
    with doc:
        if doc.needs_pass:  # nothing else can be read
            return [ENCRYPTED]
        return [*_format_problems(pdf, doc), *_resolution_problems(doc, min_dpi)]


def resolution_problems(pdf: bytes | Path, min_dpi: int = MIN_SCAN_DPI) -> list[str]:
    """The one check `to_pdfa` leaves to its caller: a scan under `min_dpi` is still valid PDF/A."""
    with _open(pdf) as doc:
        return list(_resolution_problems(doc, min_dpi))


def _srgb_profile() -> bytes:
    for path in SRGB_PROFILES:
        if path.is_file():
            return path.read_bytes()
    raise GhostscriptMissing("Ghostscript's srgb.icc is missing: run `apt-get install ghostscript`")


def _pdfa_definitions(icc_profile: bytes) -> str:
    """Ghostscript's PDFA_def.ps: the sRGB output intent, with the profile inside the file.

    Inline (ASCII85), the profile needs no file-read permission under -dSAFER.
    """
    profile = base64.a85encode(icc_profile, adobe=True).decode("ascii")
    return "\n".join([
        "%!",
        f"/ICCProfile {profile} def",
        "[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark",
        "[{icc_PDFA} << /N 3 >> /PUT pdfmark",
        "[{icc_PDFA} ICCProfile /PUT pdfmark",
        "[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark",
        "[{OutputIntent_PDFA} << /Type /OutputIntent /S /GTS_PDFA1",
        "  /DestOutputProfile {icc_PDFA} /OutputConditionIdentifier (sRGB) >> /PUT pdfmark",
        "[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark",
        "",
    ])


def _open(pdf: bytes | Path) -> pymupdf.Document:
    try:
        if isinstance(pdf, Path):
            return pymupdf.open(pdf, filetype="pdf")
        return pymupdf.open(stream=pdf, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise PdfaError(f"not a readable PDF: {exc}") from exc


def _check_conversion(source: pymupdf.Document, result: bytes) -> None:
    """Ghostscript exits 0 on damaged input and may rewrite text: check what it made."""
    with _open(result) as converted:
        problems = list(_format_problems(result, converted))
        if problems:
            raise PdfaError("Ghostscript's output is not PDF/A-2b: " + "; ".join(problems))
        if converted.page_count != source.page_count:
            raise PdfaError(f"Ghostscript wrote {converted.page_count} of {source.page_count} pages")
        for before, after in zip(source, converted):
            if _normalised_text(before) != _normalised_text(after):
                raise PdfaError(f"Ghostscript changed the text of page {before.number + 1}")


def _normalised_text(page: pymupdf.Page) -> str:
    """The page's text in NFC with runs of whitespace as one space: line breaks may differ."""
    return " ".join(unicodedata.normalize("NFC", page.get_text()).split())


def _format_problems(pdf: bytes | Path, doc: pymupdf.Document) -> Iterator[str]:
    if isinstance(pdf, Path):
        with pdf.open("rb") as file:
            pdf = file.read(1024)  # all the header check reads
    yield from _header_problems(pdf)
    yield from _trailer_problems(doc)
    yield from _metadata_problems(doc)
    yield from _output_intent_problems(doc)
    yield from _font_problems(doc)
    yield from _forbidden_content(doc)


def _is_encrypted(doc: pymupdf.Document) -> bool:
    # An owner password alone does not stop MuPDF from reading the file, but it is encryption.
    return bool(doc.needs_pass) or doc.xref_get_key(-1, "Encrypt")[0] != "null"


def _header_problems(pdf: bytes) -> Iterator[str]:
    lines = pdf[:1024].splitlines()
    if not lines or not re.fullmatch(rb"%PDF-1\.[0-7]\s*", lines[0]):
        yield "the file does not start with a %PDF-1.n header"
    elif len(lines) < 2 or not lines[1].startswith(b"%") or sum(b > 127 for b in lines[1]) < 4:
        yield "the header is not followed by a comment of at least four binary bytes"


def _trailer_problems(doc: pymupdf.Document) -> Iterator[str]:
    if _is_encrypted(doc):
        yield ENCRYPTED
    if doc.xref_get_key(-1, "ID")[0] != "array":
        yield "the trailer has no /ID"


def _metadata_problems(doc: pymupdf.Document) -> Iterator[str]:
    catalog = doc.pdf_catalog()
    kind, value = doc.xref_get_key(catalog, "Metadata")
    if kind != "xref":
        yield "the catalog has no XMP /Metadata stream"
        return
    xref = _xref_number(value)
    if doc.xref_get_key(xref, "Type")[1] != "/Metadata" or doc.xref_get_key(xref, "Subtype")[1] != "/XML":
        yield "the /Metadata stream lacks /Type /Metadata /Subtype /XML"
    try:
        xmp = ET.fromstring(doc.xref_stream(xref))
    except ET.ParseError as exc:
        yield f"the XMP metadata is not well-formed XML: {exc}"
        return
    part, conformance = _xmp_value(xmp, PDFAID, "part"), _xmp_value(xmp, PDFAID, "conformance")
    if part != "2" or conformance != "B":
        yield f"the XMP metadata declares pdfaid:part {part} conformance {conformance}, not 2 B"
    yield from _info_problems(doc, xmp)


def _info_problems(doc: pymupdf.Document, xmp: ET.Element) -> Iterator[str]:
    for key, (namespace, name) in INFO_IN_XMP.items():
        kind, info_value = doc.xref_get_key(-1, f"Info/{key}")
        if kind == "null":
            continue
        xmp_value = _xmp_value(xmp, namespace, name)
        if key.endswith("Date"):
            info_date = _pdf_date(info_value)
            agree = info_date is not None and xmp_value is not None and info_date == _xmp_date(xmp_value)
        else:
            agree = xmp_value == info_value
        if not agree:
            yield f"Info /{key} {info_value!r} differs from its XMP value {xmp_value!r}"


def _xmp_value(xmp: ET.Element, namespace: str, name: str) -> str | None:
    """A property written as an attribute or an element; the first item of an rdf:Alt/Seq."""
    tag = f"{{{namespace}}}{name}"
    for description in xmp.iter(f"{{{RDF}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            item = element.find(f".//{{{RDF}}}li")
            return ((item if item is not None else element).text or "").strip()
    return None


def _pdf_date(value: str) -> datetime | None:
    """D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional (ISO 32000 7.9.4)."""
    match = re.match(
        r"(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([Z+-])(\d\d)?'?(\d\d)?'?)?", value
    )
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, tz_hours, tz_minutes = match.groups()
    offset = timedelta(hours=int(tz_hours or 0), minutes=int(tz_minutes or 0))
    zone = timezone(-offset if sign == "-" else offset) if sign else None
    try:
        return datetime(int(year), int(month or 1), int(day or 1), int(hour or 0),
                        int(minute or 0), int(second or 0), tzinfo=zone)
    except ValueError:  # month 13, hour 25, ...
        return None


def _xmp_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _output_intent_problems(doc: pymupdf.Document) -> Iterator[str]:
    intents = _references(doc.xref_get_key(doc.pdf_catalog(), "OutputIntents")[1])
    pdfa_intents = [x for x in intents if doc.xref_get_key(x, "S")[1] == "/GTS_PDFA1"]
    if not pdfa_intents:
        yield "no OutputIntent with /S /GTS_PDFA1"
        return
    profiles = {doc.xref_get_key(x, "DestOutputProfile")[1] for x in pdfa_intents}
    if len(profiles) > 1:
        yield "the OutputIntents name different profiles"
    for profile in profiles:
        yield from _icc_problems(doc, profile)


def _icc_problems(doc: pymupdf.Document, reference: str) -> Iterator[str]:
    if not reference.endswith(" R") or not doc.xref_is_stream(_xref_number(reference)):
        yield "the PDF/A OutputIntent has no embedded ICC profile (DestOutputProfile)"
        return
    xref = _xref_number(reference)
    header = doc.xref_stream(xref)[:128]
    if header[36:40] != b"acsp":
        yield "the output intent's DestOutputProfile is not an ICC profile"
        return
    components = ICC_COMPONENTS.get(header[16:20])
    declared = doc.xref_get_key(xref, "N")[1]
    if components is None or declared != str(components):
        yield f"the output intent's ICC profile ({header[16:20]!r}) does not match its /N {declared}"


def _font_problems(doc: pymupdf.Document) -> Iterator[str]:
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type")[1] != "/Font":
            continue
        # Type 3 glyphs are drawn by the file itself; CID fonts are read through their Type 0 font.
        if doc.xref_get_key(xref, "Subtype")[1] in ("/Type3", "/CIDFontType0", "/CIDFontType2"):
            continue
        name, _, _, program = doc.extract_font(xref)
        if not program:
            yield f"font {name or xref} is not embedded"


def _forbidden_content(doc: pymupdf.Document) -> Iterator[str]:
    found: dict[str, int] = {}  # what -> first object it was found in
    for xref in range(1, doc.xref_length()):
        source = doc.xref_object(xref, compressed=True).encode("latin-1", errors="replace")
        for action in FORBIDDEN_ACTIONS.finditer(source):
            found.setdefault(f"a {action.group(1).decode()} action", xref)
        for what, pattern in FORBIDDEN_KEYS.items():
            if pattern.search(source):
                found.setdefault(what, xref)
    for what, xref in found.items():
        yield f"{what} (object {xref}) is not allowed in PDF/A-2"


def _resolution_problems(doc: pymupdf.Document, min_dpi: int) -> Iterator[str]:
    if min_dpi <= 0:
        return
    for page in doc:
        for dpi_x, dpi_y in _scan_resolutions(page):
            if min(dpi_x, dpi_y) < min_dpi - 0.5:  # rounding of the page size in points
                yield (f"page {page.number + 1}: the page image is {dpi_x:.0f} x {dpi_y:.0f} dpi, "
                       f"below {min_dpi}")
        # Measuring a page loads its images into MuPDF's cache: a volume's scans would fill it (256 MB).
        pymupdf.TOOLS.store_shrink(100)


def _scan_resolutions(page: pymupdf.Page) -> Iterator[tuple[float, float]]:
    """(horizontal, vertical) dpi of each image that covers at least half of the page."""
    page_area = abs(page.rect)
    for image in page.get_image_info():
        if page_area and abs(pymupdf.Rect(image["bbox"]) & page.rect) / page_area < SCAN_AREA:
            continue
        a, b, c, d, _, _ = image["transform"]  # the image's unit square placed on the page
        width_inches, height_inches = math.hypot(a, b) / 72, math.hypot(c, d) / 72
        if width_inches and height_inches:
            yield image["width"] / width_inches, image["height"] / height_inches


def _references(array: str) -> list[int]:
    return [int(number) for number in re.findall(r"(\d+) 0 R", array)]


def _xref_number(reference: str) -> int:
    return int(reference.split()[0])  # "12 0 R"
