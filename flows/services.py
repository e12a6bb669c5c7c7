"""The long-lived things a command or a flow needs, made once per process."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from extract.settings import ExtractSettings
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.objects import ObjectStore
from storage.settings import StorageSettings


@dataclass
class Services:
    storage_settings: StorageSettings
    ocr_settings: OcrSettings
    extract_settings: ExtractSettings
    store: ObjectStore
    catalog: Catalog


@functools.lru_cache(maxsize=1)
def get_services() -> Services:
    """Connects to object storage (starting the managed server if needed) and opens the catalog."""
    storage_settings = StorageSettings()
    storage_settings.home.mkdir(parents=True, exist_ok=True)
    return Services(
        storage_settings=storage_settings,
        ocr_settings=OcrSettings(),
        extract_settings=ExtractSettings(),
        store=ObjectStore.connect(storage_settings),
        catalog=Catalog(storage_settings.effective_catalog_url),
    )
