"""Settings of the review desk (environment variables prefixed `SOHOA_DESK_`)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.users import Throttle


def _on_demand_if_prefect() -> str | None:
    from prefect.settings import get_current_settings

    return "digitise-batch/on-demand" if get_current_settings().api.url else None


class DeskSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_DESK_", extra="ignore")

    # A session ends after this long without a request (and at logout, disable, password change).
    session_idle_hours: float = Field(default=8.0, gt=0)
    # Mark cookies Secure (sent over https only). Set it when a TLS proxy serves the desk; a
    # request that arrives as https gets Secure cookies anyway.
    secure_cookies: bool = False
    # Failed logins for one name, or from one address, before each further try is refused for
    # a growing time (30 s, doubling, at most 15 min); forgotten after the window without one.
    login_failures_allowed: int = Field(default=5, ge=1)
    login_window_minutes: float = Field(default=15.0, gt=0)
    # One upload from the desk (`/lo/tai-len`), all files together; each file is also held to
    # SOHOA_OCR_MAX_FILE_BYTES. Larger batches go through the drop folder or the S3 inbox.
    upload_max_mb: float = Field(default=2048.0, gt=0)
    # "Đọc ngay" on the batch list starts a run of this Prefect deployment for a drop (take_now.py).
    # Default: digitise-batch/on-demand when a Prefect API is configured (PREFECT_API_URL, or the
    # Prefect profile's); set it empty for no button.
    take_now_deployment: str | None = Field(default_factory=_on_demand_if_prefect)
    take_now_timeout_seconds: float = Field(default=5.0, gt=0)  # each call to the Prefect API

    @property
    def session_idle(self) -> timedelta:
        return timedelta(hours=self.session_idle_hours)

    @property
    def throttle(self) -> Throttle:
        return Throttle(allowed=self.login_failures_allowed, window=timedelta(minutes=self.login_window_minutes))
