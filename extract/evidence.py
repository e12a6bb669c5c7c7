"""The PDF's digital signatures as evidence for the printed issuer and issue date.

Only intact digital signatures count, and not a certified copy's (`SAO Y` in its stamp): a copy is
signed by whoever made it, whenever they made it. A decision is signed by its leader and then
issued under the body's own certificate on or a few days after its printed date; the electronic
copy of a paper-signed decision is sometimes signed a week or more later (a ministry decision of
14 January was signed on the 23rd), so a signature from 3 days before to 14 days after the
printed date agrees. Anything further apart, or a signing body in another place, goes to review;
a missing printed date is taken from the signature with a confidence that still sends it to
review (not on an appendix filed alone: its date is its parent decision's).
"""

from __future__ import annotations

import datetime as dt
import re

from ocr.types import Signature
from ocr.vntext import fold

SIGNED_BEFORE_DAYS = 3
SIGNED_AFTER_DAYS = 14
# Below the review threshold on purpose: the date a body signed is not always the printed one.
SIGNATURE_DATE_CONFIDENCE = 0.6

# Document types whose own issue date is not theirs to carry (the parent's date is printed).
NO_OWN_DATE = {"phu_luc"}
COPY_MARKS = ("sao y", "sao luc", "trich sao")
ABBREVIATIONS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho"}
PLACE_WORDS = {("tinh",), ("huyen",), ("quan",), ("xa",), ("phuong",), ("thanh", "pho"), ("thi", "xa"), ("thi", "tran")}


def evidence_signatures(signatures: list[Signature]) -> list[Signature]:
    """Intact digital signatures with a time, other than a certified copy's."""
    return [
        s for s in signatures
        if s.kind == "digital" and s.intact and s.signed_at is not None
        and not any(mark in fold(s.stamp_text) for mark in COPY_MARKS)
    ]


def issuing_date(signatures: list[Signature]) -> dt.date:
    """The day the body issued the document: its own certificate's first signature (the clerk
    stamps number and day with it), else the last personal signature."""
    bodies = [s for s in signatures if not s.signer]
    chosen = min(bodies, key=lambda s: s.signed_at) if bodies else max(signatures, key=lambda s: s.signed_at)
    return chosen.signed_at.date()


def date_agrees(printed: dt.date, signed: dt.date) -> bool:
    return -SIGNED_BEFORE_DAYS <= (signed - printed).days <= SIGNED_AFTER_DAYS


def check_issue_date(printed: str, signatures: list[Signature]) -> str | None:
    """A review reason when no signature was made around the printed date."""
    try:
        day = dt.date.fromisoformat(printed)
    except ValueError:
        return None  # the date validator already complains
    if any(date_agrees(day, s.signed_at.date()) for s in signatures):
        return None
    return f"issue_date disagrees with the digital signature (signed {issuing_date(signatures).isoformat()})"


def misread_year(printed: str, signatures: list[Signature]) -> tuple[str, str] | None:
    """The printed date with the year of a signature it agrees with but for one digit of its
    year (`2016` read, signed 2018-04-04 for the 3rd: OCR misread the year), and the review
    reason that says so; None when no signature suggests it. A body signing an old paper when it
    is scanned signs it years later, and rarely within days of the same month."""
    try:
        day = dt.date.fromisoformat(printed)
    except ValueError:
        return None
    for signature in signatures:
        signed = signature.signed_at.date()
        differing = sum(a != b for a, b in zip(f"{day.year:04d}", f"{signed.year:04d}"))
        try:
            shifted = day.replace(year=signed.year)
        except ValueError:  # 29 February
            continue
        if differing == 1 and date_agrees(shifted, signed):
            return shifted.isoformat(), (
                f"issue_date: year read {day.year}, {signed.year} taken from the digital signature "
                f"(signed {signed.isoformat()}), check it")
    return None


# A day the digit reader read and the body's certificate signed on the very same day: two
# sources agreeing, as sure as print.
SIGNED_SAME_DAY_CONFIDENCE = 0.9


def signed_that_day(written: str, signatures: list[Signature]) -> bool:
    """Whether the body issued the document (ocr/signatures: its own certificate's first
    signature) on the day written in: the clerk stamps number and day as it signs."""
    usable = evidence_signatures(signatures)
    return bool(usable) and issuing_date(usable).isoformat() == written


def check_handwritten_date(written: str, signatures: list[Signature]) -> str | None:
    """Why a date written in by hand cannot be the issue date, or None.

    Every intact digital signature with a time bounds it: the document existed when it was
    signed (a leader may sign up to SIGNED_BEFORE_DAYS before the date is written in), and a
    certified copy's signature counts here too. The issuing signatures (not a copy's) must also
    come within SIGNED_AFTER_DAYS of it: a copy may be made years later, an issue is not signed
    weeks after its date.
    """
    try:
        day = dt.date.fromisoformat(written)
    except ValueError:
        return None  # the date validator already complains
    signed = [s for s in signatures if s.kind == "digital" and s.intact and s.signed_at is not None]
    earliest = min((s.signed_at.date() for s in signed), default=None)
    if earliest is not None and (day - earliest).days > SIGNED_BEFORE_DAYS:
        return f"after the digital signature of {earliest.isoformat()}"
    issuing = evidence_signatures(signed)
    if issuing and not any(date_agrees(day, s.signed_at.date()) for s in issuing):
        return f"weeks before the digital signature of {issuing_date(issuing).isoformat()}"
    return None


def check_issuer(issuer: str, signatures: list[Signature]) -> str | None:
    organisations = [s.organisation for s in signatures if s.organisation]
    if not organisations or any(same_body(issuer, organisation) or _names_body_and_place(issuer, organisation)
                                for organisation in organisations):
        return None
    return f"issuer disagrees with the digital signature (signed by {organisations[-1]})"


def same_body(printed: str, organisation: str) -> bool:
    """Whether a printed issuer and a certificate's organisation can be the same body.

    Certificates name the body in capitals, in normal case, or only by its place (`Tỉnh Bắc
    Giang` on a leader's own certificate), and Huế was a province in old certificates: the
    places must agree (one ending the other); without a place, one name must contain the other.
    """
    place_a, place_b = place(printed), place(organisation)
    if place_a and place_b:
        return _ends_with(place_a, place_b) or _ends_with(place_b, place_a)
    words_a, words_b = " ".join(_words(printed)), " ".join(_words(organisation))
    if words_b.startswith(OFFICE) and words_b != OFFICE:
        # A body's office issues and publishes its papers: `VĂN PHÒNG CHÍNH PHỦ` signs the Prime
        # Minister's decisions as the government portal publishes them.
        words_b = words_b[len(OFFICE):]
    return bool(words_a and words_b) and (words_a in words_b or words_b in words_a)


OFFICE = "van phong "


def _names_body_and_place(printed: str, organisation: str) -> bool:
    """A certificate naming the body and then its superior (`ỦY BAN NHÂN DÂN THỊ XÃ BỈM SƠN, ỦY BAN
    NHÂN DÂN TỈNH THANH HÓA`): one part that names a place must be the printed body."""
    parts = organisation.split(",")
    return len(parts) > 1 and any(place(part) and same_body(printed, part) for part in parts)


def place(name: str) -> list[str]:
    """The words after the last place word (`tỉnh`, `thành phố`, `xã` ...)."""
    words = _words(name)
    tail: list[str] = []
    for index in range(len(words)):
        for size in (1, 2):
            if tuple(words[index:index + size]) in PLACE_WORDS and index + size < len(words):
                tail = words[index + size:]
    return tail


def _words(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(name))
    return " ".join(ABBREVIATIONS.get(word, word) for word in words).split()


def _ends_with(longer: list[str], shorter: list[str]) -> bool:
    return len(shorter) <= len(longer) and longer[len(longer) - len(shorter):] == shorter
