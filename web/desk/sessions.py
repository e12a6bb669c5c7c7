"""Who is using the desk: the session cookie, the CSRF token of every form, and the login
throttle's keys.

The session cookie carries a random token; the catalog keeps only its SHA-256 (storage/users.py).
Each session has its own CSRF secret, posted back as the hidden field `csrf` of every form. The
login form, posted before there is a session, is checked against a random pre-login cookie
instead (double submit). Cookies are HttpOnly and SameSite=Strict, so no script reads them and
no other site's page sends them.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from storage.users import DeskSession, User, name_key

SESSION_COOKIE = "sohoa_desk"
LOGIN_CSRF_COOKIE = "sohoa_desk_login"
CSRF_REFUSED = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại."


class LoginRequired(Exception):
    """No valid session: the app answers with a redirect to the login page."""


@dataclass(frozen=True)
class SignedIn:
    user: User
    session: DeskSession
    token: str  # the cookie's, for logout

    @property
    def agency(self) -> str | None:
        """The one agency this user is confined to (a clerk's); None: every agency. The record and
        batch pages both check it here, so that they cannot disagree on who sees what."""
        return self.user.agency if self.user.role == "clerk" else None


def current_user(request: Request) -> SignedIn:
    """The dependency of every page behind the login."""
    token = request.cookies.get(SESSION_COOKIE)
    desk = request.app.state
    found = desk.catalog.users.session_user(token, desk.clock(), desk.settings.session_idle) if token else None
    if found is None:
        raise LoginRequired
    user, session = found
    request.state.signed = SignedIn(user=user, session=session, token=token)  # for the log and error pages
    return request.state.signed


async def csrf_checked(request: Request, signed: SignedIn = Depends(current_user)) -> SignedIn:
    """The dependency of every POST behind the login: the form's `csrf` must be the session's."""
    form = await request.form()
    if not same_secret(form.get("csrf"), signed.session.csrf):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)
    return signed


def same_secret(given: object, expected: str | None) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def login_csrf(request: Request) -> str:
    """The pre-login cookie's token, or a new one when the browser has none yet."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    return token if token and len(token) == 43 else secrets.token_urlsafe(32)


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    secure = request.app.state.settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(name, value, httponly=True, samesite="strict", path="/", secure=secure)


def clear_cookie(response: Response, request: Request, name: str) -> None:
    secure = request.app.state.settings.secure_cookies or request.url.scheme == "https"
    response.delete_cookie(name, httponly=True, samesite="strict", path="/", secure=secure)


def throttle_keys(name: str, request: Request) -> list[str]:
    """Failures count against the name typed (whether or not it exists) and the client address."""
    keys = [f"name:{name_key(name)[:150]}"]
    if request.client is not None:
        keys.append(f"client:{request.client.host}")
    return keys
