"""Storage configuration, read from `SOHOA_*` environment variables (CONTRACT.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StorageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")

    home: Path = Path(".sohoa")
    # host:port of an S3-compatible server; unset means a managed SeaweedFS under `home`.
    s3_endpoint: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    # Seconds; a dead endpoint should fail fast so the flow's backoff can take over.
    s3_connect_timeout: float = 5.0
    s3_read_timeout: float = 120.0
    bucket_prefix: str = "sohoa"
    # Governance-mode default retention on originals (ten years).
    originals_retention_days: int = 3650
    catalog_url: str | None = None
    # Seconds a worker's claim on a document lasts unless renewed (every third of it while the
    # document is read): how long a dead worker's document waits before another worker takes it.
    claim_ttl_seconds: float = Field(default=300.0, gt=0)

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, home: Path) -> Path:
        # The managed server is identified by its data dir; relative paths would
        # make the same home look different from another working directory.
        return home.expanduser().resolve()

    @property
    def effective_catalog_url(self) -> str:
        return self.catalog_url or f"sqlite:///{self.home / 'catalog.sqlite3'}"
