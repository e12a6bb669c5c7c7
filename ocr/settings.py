"""OCR settings, read once from the environment (prefix SOHOA_OCR_)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class OcrSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_OCR_")

    language: str = "vie"  # not vie+eng: the mixed model strips diacritics (TOOLCHAIN.md)
    dpi: int = 300  # rasterisation of PDF pages; Circular 05/2025 asks >= 200
    page_timeout_seconds: int = 180
    max_file_bytes: int = 500 * 1024 * 1024
    max_pages: int = 1000
    # A4 at 600 dpi is 35 Mpx; anything far beyond is a decompression bomb, not a scan.
    max_page_pixels: int = 90_000_000
    # Clear red seals and blue signatures from colour pages before recognition (the archive
    # image keeps them): the seal's rim otherwise erases the signer's title it overlaps.
    colour_dropout: bool = True
