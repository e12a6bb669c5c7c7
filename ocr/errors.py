"""Typed errors for input that cannot be read. Each carries the CONTRACT.md error code.

Input errors are a property of the file, not of the run: they are recorded on the
document and never retried. `TesseractMissing` is a service error: the run stops.
"""

from __future__ import annotations


class InputError(Exception):
    code = "corrupt_file"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyFile(InputError):
    code = "empty_file"


class UnsupportedType(InputError):
    code = "unsupported_type"


class CorruptFile(InputError):
    code = "corrupt_file"


class TruncatedFile(InputError):
    code = "truncated_file"


class EncryptedPdf(InputError):
    code = "encrypted_pdf"


class ImageTooLarge(InputError):
    code = "image_too_large"


class FileTooLarge(InputError):
    code = "file_too_large"


class OcrFailed(InputError):
    code = "ocr_failed"


class TesseractMissing(Exception):
    """Tesseract or its Vietnamese data is not installed: no document can be read."""
