"""Detect what a file really is from its first bytes; the extension is not trusted."""

from __future__ import annotations

PDF = "application/pdf"
TIFF = "image/tiff"
JPEG = "image/jpeg"
PNG = "image/png"

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
]


def sniff_media_type(data: bytes) -> str | None:
    """The media type of a supported input, or None for anything else."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    # PDF readers accept junk before the header; so do we, within the first KiB.
    if b"%PDF-" in data[:1024]:
        return PDF
    return None
