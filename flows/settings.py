"""Settings of the flows (environment variables prefixed `SOHOA_`)."""

from __future__ import annotations

import os

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FlowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")

    # Documents processed side by side; Tesseract runs single-threaded, so one per core.
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    # Where documents and the page ranges of long PDFs run (flows/engine.py): a Dask scheduler's
    # address (workers on many machines), or "dask" for a local cluster of `workers` processes.
    dask_address: str | None = None
    engine: Literal["threads", "dask"] = "threads"
    # Without a Dask scheduler, a long PDF's page ranges are claimed in the catalog by any worker of
    # the batch with no document left (flows/range_claims.py); false reads them in order, here.
    share_ranges: bool = True
