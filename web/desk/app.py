"""The review desk's web application: login, logout and the home page so far.

Pages are rendered on the server from Jinja2 templates; the only other files served are ours
(`static/`), and the Content-Security-Policy forbids anything from another host and any inline
script. Every POST carries the form's CSRF token (sessions.py).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storage.catalog import Catalog, utc_now
from storage.objects import ObjectStore
from storage.users import normalise_name
from web.api import loggable_path
from web.desk import batches, progress, queue, record, take_now
from web.desk.pages import page, templates
from web.desk.sessions import (
    CSRF_REFUSED,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginRequired,
    SignedIn,
    clear_cookie,
    csrf_checked,
    current_user,
    login_csrf,
    same_secret,
    set_cookie,
    throttle_keys,
)
from web.desk.settings import DeskSettings

HERE = Path(__file__).parent
log = logging.getLogger("sohoa.desk")

LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
STATUS_MESSAGES = {404: "Không tìm thấy trang này.", 405: "Trang này không nhận yêu cầu kiểu đó."}
SECURITY_HEADERS = {
    # Nothing from another host, no inline script or style, no framing, forms post only here.
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}



def create_desk_app(catalog: Catalog, store: ObjectStore | None = None, settings: DeskSettings | None = None,
                    clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """The desk over this catalog. `store` (the records' object storage) serves the record pages'
    images and takes their edits (without it they say so); `clock` is replaceable so that tests
    can move time on."""
    app = FastAPI(title="Sohoa review desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.catalog, app.state.store, app.state.clock = catalog, store, clock
    app.state.settings = settings or DeskSettings()
    app.state.run_starter = take_now.starter_from(app.state.settings)  # "Đọc ngay"; tests put a fake
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.middleware("http")(_headers_and_log)
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(StarletteHTTPException, _error_page)
    app.include_router(queue.router)
    app.include_router(record.router)
    app.include_router(batches.router)
    app.include_router(take_now.router)
    app.include_router(progress.router)

    @app.get("/dang-nhap", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        desk = request.app.state
        if token and desk.catalog.users.session_user(token, desk.clock(), desk.settings.session_idle):
            return RedirectResponse("/", status_code=303)
        return _login_page(request, login_csrf(request))

    @app.post("/dang-nhap", response_class=HTMLResponse)
    def login(request: Request, name: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
              csrf: Annotated[str, Form()] = "") -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
        if not same_secret(csrf, expected):
            return _login_page(request, login_csrf(request), CSRF_REFUSED, status_code=403)
        desk = request.app.state
        now, name = desk.clock(), normalise_name(name)
        users, keys = desk.catalog.users, throttle_keys(name, request)
        client = request.client.host if request.client else "-"
        blocked = users.blocked_until(keys, now)
        if blocked is None:
            user = users.verify(name, password, now) if name and password else None
            if user is not None:
                users.clear_failures(keys[0])  # the address's count stays: one good account resets nothing
                users.prune(now, desk.settings.throttle)
                token, _session = users.open_session(user.id, now, desk.settings.session_idle)
                log.info("user %d logged in from %s", user.id, client)
                response = RedirectResponse("/", status_code=303)
                set_cookie(response, request, SESSION_COOKIE, token)
                clear_cookie(response, request, LOGIN_CSRF_COOKIE)
                return response
            blocked = users.record_failure(keys, now, desk.settings.throttle)
            log.warning("failed login from %s%s", client,
                        f"; logins refused until {blocked:%H:%M:%S} UTC" if blocked else "")
            if blocked is None:
                return _login_page(request, expected, LOGIN_FAILED, name=name, status_code=401)
        seconds = max(1, math.ceil((blocked - now).total_seconds()))
        message = f"Đăng nhập sai nhiều lần liên tiếp. Hãy thử lại sau {_duration(seconds)}."
        response = _login_page(request, expected, message, name=name, status_code=429)
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.post("/dang-xuat")
    def logout(request: Request, signed: Annotated[SignedIn, Depends(csrf_checked)]) -> Response:
        request.app.state.catalog.users.close_session(signed.token)
        response = RedirectResponse("/dang-nhap", status_code=303)
        clear_cookie(response, request, SESSION_COOKIE)
        return response

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, signed: Annotated[SignedIn, Depends(current_user)]) -> Response:
        agency = signed.user.agency
        agency_name = next((a.name for a in request.app.state.catalog.agencies() if a.code == agency), None)
        return page(request, signed, "home.html", agency_name=agency_name)

    return app


def _login_page(request: Request, csrf: str, error: str | None = None, name: str = "",
                status_code: int = 200) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, "login.html", {"csrf": csrf, "error": error, "name": name}, status_code=status_code)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, csrf)
    return response


def _duration(seconds: int) -> str:
    return f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"


async def _to_login(request: Request, _exc: LoginRequired) -> Response:
    return RedirectResponse("/dang-nhap", status_code=303)


async def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if exc.status_code in (400, 403, 413, 429, 503) else STATUS_MESSAGES.get(exc.status_code, "Đã có lỗi.")
    context = {"status": exc.status_code, "message": message}
    signed = getattr(request.state, "signed", None)
    if signed is not None:  # the header keeps the user and the logout button
        return page(request, signed, "error.html", exc.status_code, **context)
    return templates.TemplateResponse(request, "error.html", context, status_code=exc.status_code,
                                      headers=getattr(exc, "headers", None))


async def _headers_and_log(request: Request, call_next) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")  # pages show personal data
    signed = getattr(request.state, "signed", None)
    log.info("%s %s %s %d %.0f ms user %s", request.client.host if request.client else "-", request.method,
             loggable_path(request.url.path), response.status_code, 1000 * (time.perf_counter() - started),
             signed.user.id if signed else "-")
    return response


def serve(catalog: Catalog, store: ObjectStore | None, settings: DeskSettings, host: str, port: int) -> None:
    import uvicorn

    # access_log off: _headers_and_log logs each request with any long number masked.
    uvicorn.run(create_desk_app(catalog, store, settings), host=host, port=port, access_log=False, log_config=None)
