"""Structured fields from read pages: document type, core fields with confidences, review reasons.

Imports only `ocr.types`, `ocr.vntext` (accent folding) and `ocr.gazetteer` (place names) from the
rest of sohoa.
"""

from extract.record import Extraction, FieldValue, extract_document
from extract.settings import ExtractSettings

__all__ = ["ExtractSettings", "Extraction", "FieldValue", "extract_document"]
