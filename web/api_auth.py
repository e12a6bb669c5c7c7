"""Who may call the HTTP API: bearer tokens and their roles, and the keyed hash of a holder id
that the audit log keeps instead of the number itself."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Literal

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from storage.catalog import ApiToken, Catalog, utc_now

Role = Literal["supervisor", "agency"]
AUDIT_KEY_FILE = "api-audit.key"
_HOLDER_ID = re.compile(r"\d{9,13}")  # old ID 9, enterprise 10 or 13, personal number 12


class TokenRefused(ValueError):
    """A token that must not be made as asked (the message says why)."""


class Caller(BaseModel):
    token_id: int
    name: str
    role: Role
    agency: str | None  # set exactly for the `agency` role

    def may_read(self, agency: str) -> bool:
        return self.role == "supervisor" or agency == self.agency


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(catalog: Catalog, name: str, role: Role, agency: str | None) -> tuple[ApiToken, str]:
    """Store a new token's digest; returns the row and the token, which nothing keeps."""
    name = unicodedata.normalize("NFC", name).strip()
    agency = unicodedata.normalize("NFC", agency).strip() if agency else None
    if not name:
        raise TokenRefused("a token needs a name (who or which system uses it)")
    if role == "agency" and not agency:
        raise TokenRefused("an agency token needs --agency CODE")
    if role == "supervisor" and agency:
        raise TokenRefused("a supervisor token reads every agency; leave out --agency")
    # A mistyped code would make a token that silently sees nothing.
    if agency and agency not in {a.code for a in catalog.agencies()}:
        raise TokenRefused(f"no agency {agency} in the catalog; import the agency list first (sohoa agencies import)")
    token = secrets.token_urlsafe(32)
    row = catalog.add_api_token(
        ApiToken(name=name, role=role, agency=agency, token_sha256=token_digest(token), created_at=utc_now())
    )
    return row, token


_bearer = HTTPBearer(auto_error=False, description="A token from `sohoa api token create`.")


def caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller:
    """The dependency every route has: 401 without a known, unrevoked token."""
    if credentials is None:
        raise _unauthorised("a bearer token is required")
    row = request.app.state.catalog.active_api_token(token_digest(credentials.credentials))
    if row is None:
        raise _unauthorised("unknown or revoked token")
    who = Caller(token_id=row.id, name=row.name, role=row.role, agency=row.agency)
    request.state.caller = who  # for the request log
    return who


async def caller_of(request: Request) -> Caller:
    """The same check outside dependency injection (the 422 handler, which runs before it)."""
    return caller(request, await _bearer(request))


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def holder_digits(value: str) -> str:
    """A holder id as the catalog keeps it (digits only); spaces, dots and hyphens are dropped."""
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFC", value))
    if not _HOLDER_ID.fullmatch(digits):
        raise ValueError("a holder id is 9 to 13 digits")
    return digits


def load_audit_key(home: Path, create: bool = True) -> bytes:
    """The secret of the audit log's holder hashes, made on first use under SOHOA_HOME.

    Losing it makes old audit rows unsearchable by holder, so it belongs in the backup.
    """
    path = home / AUDIT_KEY_FILE
    if not path.exists() and create:
        home.mkdir(parents=True, exist_ok=True)
        staged = home / f".{AUDIT_KEY_FILE}.{os.getpid()}"
        handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
        os.write(handle, secrets.token_bytes(32))
        os.close(handle)
        try:
            os.link(staged, path)  # atomic: a server and a CLI starting together agree on one key
        except FileExistsError:
            pass
        finally:
            staged.unlink()
    return path.read_bytes()


def holder_hash(key: bytes, digits: str) -> str:
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()
