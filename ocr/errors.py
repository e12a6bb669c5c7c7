"""Typed errors for input that cannot be read. Each carries the CONTRACT.md error code.

Input errors are a property of the file, not of the run: they are recorded on the
document and never retried. `ToolMissing` is the opposite: a program or its data is not
installed on this machine, no document can be read until an operator installs it, so the
documents stay pending and the run fails with the message, which says what to install.
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


class ToolMissing(Exception):
    """A program the pipeline runs, or its data, is not installed; the message says what to install."""


class TesseractMissing(ToolMissing):
    """Tesseract or its language data is not installed."""


class GhostscriptMissing(ToolMissing):
    """Ghostscript (`gs`) or its sRGB profile is not installed: no archive PDF/A can be made."""


class FontMissing(ToolMissing):
    """The font file the invisible text layer embeds is not installed."""


class DigitReaderMissing(ToolMissing):
    """The handwritten-digit recogniser (onnxruntime and its model package) is not installed."""
