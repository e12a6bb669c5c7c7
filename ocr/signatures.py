"""Signatures of a PDF: its digital signatures (pyHanko) and the signature or certified-copy
stamps printed in its page text.

A digital signature is checked for integrity only: the signed byte ranges hash to the digest
the signer signed, the signature verifies with the certificate's public key, and it covers its
whole revision. Trust is another matter: Vietnamese government certificates chain to the Ban Cơ
yếu Chính phủ roots, which are not available offline, so `validated` stays False unless
SOHOA_TRUST_ROOTS names PEM files of roots to check the chain against (no fetching of CRLs or
OCSP: a path to a configured root is what `validated` means).

Nothing here fails a document: a signature that cannot be parsed or checked is listed with
`intact` False and a note saying why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf

from ocr.textlayer import TEXT_ONLY_DICT
from ocr.types import SIGNING_STAMPS, Line, PageResult, Signature
from ocr.vntext import fold

# pyHanko and the certificate libraries are imported where a document's signatures are read,
# not with ocr/: a range worker (flows/engine.py) reads pages only and would carry them for nothing.
if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

log = logging.getLogger(__name__)
# Lenient parsing of real files warns on every duplicate dictionary key, which many producers
# write; it changes nothing an operator could act on.
logging.getLogger("pyhanko.pdf_utils.generic").setLevel(logging.ERROR)

VIETNAM = timezone(timedelta(hours=7))  # one time zone, no daylight saving
TRUST_ROOTS_ENV = "SOHOA_TRUST_ROOTS"
# Readers accept the header within the first KiB; some portals prepend bytes to the file.
HEADER_WINDOW = 1024

# A certificate CN or a `Ký bởi:` value that starts with one of these names a body, not a person.
BODY_WORDS = (
    "uy ban", "ubnd", "hdnd", "hoi dong", "van phong", "so ", "bo ", "phong ", "ban ", "cuc ", "chi cuc",
    "tong cuc", "trung tam", "cong an", "toa an", "vien ", "benh vien", "truong ", "cong ty", "tong cong ty",
    "ngan hang", "kho bac", "thanh tra", "bao hiem", "tinh ", "thanh pho", "huyen ", "quan ", "thi xa",
    "thi tran", "xa ", "phuong ", "dang uy", "mat tran", "chi nhanh", "hoc vien", "dai hoc", "tap doan",
    "cong thong tin", "cong bao",
)


def read_signatures(source: bytes | Path) -> list[Signature]:
    """Every digital signature of the PDF (its bytes or its path; in signing order), then the
    printed stamps that no digital signature's visible box already shows."""
    try:
        doc = pymupdf.open(stream=source, filetype="pdf") if isinstance(source, bytes) else pymupdf.open(source)
    except Exception as exc:
        log.warning("signature boxes not readable: %s", exc)
        return _read_digital(source, {})
    with doc:
        boxes = _widget_boxes(doc)
        # Stamps first: baking the widgets (for their visible text) draws them into the pages.
        stamps = _read_stamps(doc, boxes)
        widgets = _widget_texts(doc, boxes)
    return _read_digital(source, widgets) + stamps


# --- digital signatures -------------------------------------------------------------------


def _read_digital(source: bytes | Path, widgets: dict[str, tuple[int, pymupdf.Rect, str]]) -> list[Signature]:
    if isinstance(source, bytes):
        start = source.find(b"%PDF", 0, HEADER_WINDOW)
        return _read_digital_from(io.BytesIO(source[start:]), start, widgets) if start >= 0 else []
    with source.open("rb") as file:
        start = file.read(HEADER_WINDOW).find(b"%PDF")
        if start < 0:
            return []
        if start == 0:  # the usual case: pyHanko reads from the file what it needs, not all of it
            file.seek(0)
            return _read_digital_from(file, 0, widgets)
    return _read_digital(source.read_bytes(), widgets)  # bytes before the header: rare, read whole


def _read_digital_from(stream: io.BufferedIOBase, start: int,
                       widgets: dict[str, tuple[int, pymupdf.Rect, str]]) -> list[Signature]:
    """The digital signatures of the PDF in `stream` (which starts at its header, found at `start`
    in the file)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    try:
        reader = PdfFileReader(stream, strict=False)
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:  # pyHanko cannot parse what PyMuPDF could: no signature is readable
        log.warning("signature fields not readable: %s", exc)
        return [Signature(kind="digital", intact=False, note=f"signature fields not readable: {exc}")] if widgets else []
    try:
        roots, roots_note = trust_roots(), None
    except (OSError, ValueError) as exc:  # a configuration slip must not fail documents
        log.error("%s unreadable (%s): signatures are not validated", TRUST_ROOTS_ENV, exc)
        roots, roots_note = [], f"not validated: {TRUST_ROOTS_ENV} unreadable"
    found = []
    for name, _, field_ref in fields:
        page, _, stamp_text = widgets.get(name, (None, None, ""))
        try:
            signature = _digital(EmbeddedPdfSignature(reader, field_ref, name), roots)
        except Exception as exc:  # a broken signature dictionary or CMS blob: list it, go on
            log.warning("signature %s not readable: %s", name, exc)
            signature = Signature(kind="digital", intact=False, note=f"signature not readable: {exc}")
        notes = [n for n in (signature.note, roots_note) if n]
        if start:
            notes.append(f"{start} bytes before the PDF header were ignored")
        found.append(signature.model_copy(update={
            "page": page, "stamp_text": stamp_text, "note": "; ".join(notes) or None,
        }))
    return found


def _digital(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> Signature:
    organisation, signer = certificate_names(sig.signer_cert.subject.native)
    signed_at, source = _signing_time(sig)
    intact, whole, note = _integrity(sig)
    validated = False
    if roots and intact:
        validated, why = _validate(sig, roots)
        note = "; ".join(filter(None, [note, why])) or None
    return Signature(
        kind="digital", organisation=organisation, signer=signer, signed_at=signed_at,
        signed_at_source=source, intact=intact, covers_whole_file=whole, validated=validated, note=note,
    )


def certificate_names(subject: dict) -> tuple[str, str]:
    """(organisation, signer) from a certificate subject.

    Government certificates name either a body (CN `Ủy ban nhân dân tỉnh Bạc Liêu`, O `Tỉnh Bạc
    Liêu`) or a person (CN `Mai Sơn`, O `Tỉnh Bắc Giang`, sometimes OU `Văn phòng`): the
    organisation is the CN when it names a body, then the units (most specific first) and the
    O, each left out when an earlier part already contains it.
    """
    common = _text(subject.get("common_name"))
    units = [_text(u) for u in _as_list(subject.get("organizational_unit_name"))]
    parts = ([common] if is_body(common) else []) + units[::-1] + [_text(subject.get("organization_name"))]
    kept: list[str] = []
    for part in filter(None, parts):
        if not any(fold(part) in fold(other) for other in kept):
            kept.append(part)
    return ", ".join(kept), "" if is_body(common) else common


def is_body(name: str) -> bool:
    folded = fold(name).strip() + " "
    return any(folded.startswith(word) for word in BODY_WORDS)


def _signing_time(sig: EmbeddedPdfSignature) -> tuple[datetime | None, str | None]:
    """The time-stamp authority's time when there is a token, else /M, else signingTime.

    Measured on real files: signing software often writes local time as UTC in signingTime, and
    one wrote /M with a wrong offset; the TSA's genTime agrees with the clock time in file names.
    """
    from pyhanko.pdf_utils.generic import parse_pdf_date
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts

    try:
        for attr in sig.signer_info["unsigned_attrs"] or []:
            if attr["type"].native == "signature_time_stamp_token":
                tst = attr["values"][0]["content"]["encap_content_info"]["content"].parsed
                return tst["gen_time"].native.astimezone(VIETNAM), "timestamp"
    except Exception as exc:
        log.info("time-stamp token not readable: %s", exc)
    try:
        if "/M" in sig.sig_object:
            return parse_pdf_date(sig.sig_object["/M"], strict=False).astimezone(VIETNAM), "pdf"
    except Exception as exc:
        log.info("/M not readable: %s", exc)
    try:
        reported = extract_self_reported_ts(sig.signer_info)
    except Exception:
        reported = None
    return (reported.astimezone(VIETNAM), "cms") if reported else (None, None)


def _integrity(sig: EmbeddedPdfSignature) -> tuple[bool, bool | None, str | None]:
    """(intact, covers the whole file, note)."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        coverage = sig.evaluate_signature_coverage()
        digest = sig.compute_digest()
        digest_ok, signature_ok = _verify(sig, digest)
    except Exception as exc:
        return False, None, f"integrity not checked: {exc}"
    problems = []
    if not digest_ok:
        problems.append("the signed bytes were changed after signing")
    if not signature_ok:
        problems.append("the signature does not verify with the signer's certificate")
    if coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        problems.append(f"the signature does not cover its revision ({coverage.name})")
    return not problems, coverage == SignatureCoverageLevel.ENTIRE_FILE, "; ".join(problems) or None


def _verify(sig: EmbeddedPdfSignature, digest: bytes) -> tuple[bool, bool]:
    """(digest matches the signed messageDigest, signature verifies).

    pyHanko first; when it rejects an RSA signature, the DigestInfo is recovered and compared
    ourselves: real signers omit the NULL parameters in it, or put parameters where none belong,
    which strict checkers refuse though the signature is sound.
    """
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    try:
        digest_ok, signature_ok = validate_sig_integrity(sig.signer_info, sig.signer_cert, "data", digest)
        if signature_ok:
            return digest_ok, True
    except Exception as exc:
        log.info("pyHanko could not verify the signature (%s); checking the RSA DigestInfo", exc)
    return _verify_rsa_digest_info(sig, digest)


def _verify_rsa_digest_info(sig: EmbeddedPdfSignature, digest: bytes) -> tuple[bool, bool]:
    from asn1crypto import algos
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    signer_info = sig.signer_info
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    attrs = signer_info["signed_attrs"]
    signed_digest = next(a["values"][0].native for a in attrs if a["type"].native == "message_digest")
    key = x509.load_der_x509_certificate(sig.signer_cert.dump()).public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return signed_digest == digest, False
    try:
        recovered = key.recover_data_from_signature(signer_info["signature"].native, padding.PKCS1v15(), None)
        info = algos.DigestInfo.load(recovered)
        expected = hashlib.new(algorithm, attrs.untag().dump()).digest()
        signature_ok = info["digest_algorithm"]["algorithm"].native == algorithm and info["digest"].native == expected
    except Exception:
        signature_ok = False
    return signed_digest == digest, signature_ok


def trust_roots() -> list[asn1_x509.Certificate]:
    """Root certificates from the PEM files SOHOA_TRUST_ROOTS names (os.pathsep-separated)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for name in filter(None, os.environ.get(TRUST_ROOTS_ENV, "").split(os.pathsep)):
        for _, _, der in pem.unarmor(Path(name).read_bytes(), multiple=True):
            roots.append(asn1_x509.Certificate.load(der))
    return roots


def _validate(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> tuple[bool, str | None]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:
        return False, f"chain not validated: {exc}"
    return (True, None) if status.trusted else (False, "no path to a configured trust root")


# --- widgets and printed stamps -----------------------------------------------------------


def _widget_boxes(doc: pymupdf.Document) -> dict[str, tuple[int, pymupdf.Rect]]:
    """Signature field name → (1-based page, box)."""
    try:
        return {
            widget.field_name: (page.number + 1, widget.rect)
            for page in doc
            for widget in page.widgets(types=[pymupdf.PDF_WIDGET_TYPE_SIGNATURE])
        }
    except Exception as exc:
        log.warning("signature boxes not readable: %s", exc)
        return {}


def _widget_texts(
    doc: pymupdf.Document, boxes: dict[str, tuple[int, pymupdf.Rect]]
) -> dict[str, tuple[int, pymupdf.Rect, str]]:
    """Signature field name → (page, box, the text visible in the box).

    The visible text is read with the widgets baked into the page content, so text drawn only
    in the widget's appearance stream (the clerk's stamped number and day) counts.
    """
    if not boxes:
        return {}
    try:
        doc.bake(annots=False, widgets=True)
        return {
            name: (number, rect, stamp_lines(doc[number - 1].get_text(clip=rect)) if not rect.is_empty else "")
            for name, (number, rect) in boxes.items()
        }
    except Exception as exc:
        log.warning("signature boxes not readable: %s", exc)
        return {}


def stamp_lines(text: str) -> str:
    # Some appearance streams show UTF-16 through a simple font: keep no control characters.
    text = "".join(c for c in text if c in "\n" or unicodedata.category(c) != "Cc")
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())
    return " / ".join(line for line in lines if line)


STAMP_LABELS = re.compile(r"^(ky boi|co quan|thoi gian ky|email|to chuc)\s*:", re.IGNORECASE)
# A label inside an OCR'd line: the stamp's logo is read as a word of junk before it.
LABEL_INSIDE = re.compile(r"\b(?:ky boi|co quan|thoi gian ky|email|to chuc)\s*:")
COPY_LINE = re.compile(r"^(sao y|sao luc|trich sao)\b")
# Signing and publishing software's stamp, unlabelled: its time to the second, with the UTC offset
# (`09.01.2025 10:21:11 +07:00`, OCR may set the offset on a line of its own) under the body's name
# and e-mail address (Official Gazette centres). A clerk never dates a paper to the second.
SIGNING_TIME = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}[,;]?\s+\d{1,2}:\d{2}:\d{2}|^[+-]\d{2}:\d{2}$")
E_MAIL = re.compile(r"^[\w.-]+@[\w-]+(?:\.[\w-]+)+$")
STAMP_TIME = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[;,]?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
# Some signing software stamps the time as ISO 8601 (`2025-02-18T14:25:05+07:00`).
ISO_STAMP_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")


# Lines of one stamp box stand this close together (page fractions).
STAMP_LINE_GAP = 0.03
STAMP_MARGIN = 0.005


def mark_stamp_lines(lines: list[Line]) -> list[Line]:
    """The page's lines with `stamp` set on stamp boxes and certified-copy lines.

    A box is a run of labelled lines (`Ký bởi:`, `Cơ quan:`, `Thời gian ký:` ...) that says who
    signed or when, with the unlabelled lines inside its frame (a wrapped organisation name): a
    "signature" box. A publishing centre's box has no labels, only its e-mail and time.
    """
    folded = [fold(line.text).strip() for line in lines]
    boxes: list[list[float]] = []
    for line, text in sorted(zip(lines, folded), key=lambda pair: pair[0].bbox[1]):
        match = STAMP_LABELS.match(text)
        timed = bool(SIGNING_TIME.search(line.text))
        if not (match or timed or E_MAIL.match(text)):
            continue
        box = next((b for b in boxes if line.bbox[1] - b[3] <= STAMP_LINE_GAP
                    and line.bbox[0] < b[2] and line.bbox[2] > b[0]), None)
        if box is None:
            boxes.append([*line.bbox, False, False])
            box = boxes[-1]
        else:
            box[:4] = [min(box[0], line.bbox[0]), min(box[1], line.bbox[1]),
                       max(box[2], line.bbox[2]), max(box[3], line.bbox[3])]
        box[4] = box[4] or timed or bool(match and match.group(1) in ("ky boi", "thoi gian ky"))
        box[5] = box[5] or bool(match)
    frames = [(b[:4], "signature" if b[5] else "publishing") for b in boxes if b[4]]

    def stamp_of(line: Line, text: str) -> str:
        if COPY_LINE.match(text) and ";" in line.text:
            return "copy"
        x, y = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
        return next((kind for f, kind in frames if f[0] - STAMP_MARGIN <= x <= f[2] + STAMP_MARGIN
                     and f[1] - STAMP_MARGIN <= y <= f[3] + STAMP_MARGIN), "")

    return [line.model_copy(update={"stamp": kind}) if (kind := stamp_of(line, text)) else line
            for line, text in zip(lines, folded)]


def read_page_stamps(pages: list[PageResult], known: list[Signature]) -> list[Signature]:
    """Stamps the OCR read on page images (a scan's, or a signed PDF printed and scanned), on the
    pages where the PDF itself showed none: they leave the page's text for `signatures`."""
    shown = {s.page for s in known if s.stamp_text}
    stamps = []
    for page in pages:
        if page.method == "ocr" and page.number not in shown:
            stamps.extend(parse_stamps([_from_label(line.text) for line in page.lines if line.stamp in SIGNING_STAMPS],
                                       page.number))
    return stamps


def _from_label(text: str) -> str:
    match = LABEL_INSIDE.search(fold(text))
    return text[match.start():] if match else text


def _read_stamps(doc: pymupdf.Document, widgets: dict[str, tuple[int, pymupdf.Rect]]) -> list[Signature]:
    """Signature stamps (`Ký bởi:` / `Cơ quan:` / `Thời gian ký:`) and certified-copy lines
    (`SAO Y; VĂN PHÒNG, …; 20/02/2025; 10:47:25 +07:00`) in a page's text layer, outside the
    boxes of the digital signatures (those are the signatures' own stamp_text)."""
    boxes: dict[int, list[pymupdf.Rect]] = {}
    for page_number, rect in widgets.values():
        boxes.setdefault(page_number, []).append(rect)
    stamps = []
    for page in doc:
        try:
            lines = [
                text for text, bbox in _page_lines(page)
                if not any(pymupdf.Rect(bbox).intersects(box) for box in boxes.get(page.number + 1, []))
            ]
        except Exception as exc:  # a page PyMuPDF cannot list text for has no stamp to read
            log.warning("page %d: text not readable for stamps: %s", page.number + 1, exc)
            continue
        stamps.extend(parse_stamps(lines, page.number + 1))
        # Listing the text loads the page's image into MuPDF's cache: on a scanned volume ~0.7 MB
        # a page, up to 256 MB, which nothing reads again.
        pymupdf.TOOLS.store_shrink(100)
    return stamps


def _page_lines(page: pymupdf.Page) -> Iterable[tuple[str, tuple[float, float, float, float]]]:
    for block in page.get_text("dict", flags=TEXT_ONLY_DICT).get("blocks", []):
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text:
                yield unicodedata.normalize("NFC", text), line["bbox"]


def parse_stamps(lines: list[str], page: int) -> list[Signature]:
    """Stamps in a page's lines: a labelled block (a label line and the unlabelled lines that
    continue it) or one certified-copy line."""
    stamps: list[Signature] = []
    block: dict[str, str] = {}
    label = None
    shown: list[str] = []

    def close() -> None:
        # `Cơ quan:` or `Email:` alone is a form line; a stamp says who signed or when.
        if "ky boi" in block or "thoi gian ky" in block:
            stamps.append(_labelled_stamp(block, shown, page))
        block.clear()
        shown.clear()

    for line in lines:
        folded = fold(line).strip()
        match = STAMP_LABELS.match(folded)
        if match:
            label = match.group(1)
            if label in block:  # a second stamp starts
                close()
            block[label] = line[match.end():].strip()
            shown.append(line)
        elif label and block and not COPY_LINE.match(folded) and len(shown) < 8 and _continues(line):
            block[label] = f"{block[label]} {line}".strip()
            shown.append(line)
        else:
            label = None
            close()
            if COPY_LINE.match(folded):
                stamps.append(_copy_stamp(line, page))
    close()
    return stamps


def _continues(line: str) -> bool:
    """A wrapped stamp value: short, no sentence of the document body."""
    return len(line) <= 40


def _labelled_stamp(block: dict[str, str], shown: list[str], page: int) -> Signature:
    by = block.get("ky boi", "")
    organisation = block.get("co quan") or block.get("to chuc") or (by if is_body(by) else "")
    signed_at = _stamp_time(block.get("thoi gian ky", ""))
    return Signature(
        kind="stamp", organisation=organisation, signer="" if is_body(by) else by, signed_at=signed_at,
        signed_at_source="page" if signed_at else None, stamp_text=" / ".join(shown), page=page,
    )


def _copy_stamp(line: str, page: int) -> Signature:
    parts = [part.strip() for part in line.split(";")]
    organisation = next((p for p in parts[1:] if p and not STAMP_TIME.search(p) and not p[0].isdigit()), "")
    signed_at = _stamp_time(line)
    return Signature(
        kind="stamp", organisation=organisation, signed_at=signed_at,
        signed_at_source="page" if signed_at else None, stamp_text=line, page=page,
    )


def _stamp_time(text: str) -> datetime | None:
    if match := ISO_STAMP_TIME.search(text):
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
    elif match := STAMP_TIME.search(text):
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    else:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM)
    except ValueError:
        return None


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value else ""


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
