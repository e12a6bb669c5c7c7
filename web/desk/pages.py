"""Rendering the desk's pages: the Jinja2 templates and the layout every page behind the login
shares. Apart from app.py so that the routers of each page (queue.py ...) can use it."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from web.desk.sessions import SignedIn

ROLE_LABELS = {"clerk": "Cán bộ", "supervisor": "Giám sát", "admin": "Quản trị"}

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))


def page(request: Request, signed: SignedIn, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page behind the login: the layout's header shows the user and the logout form."""
    return templates.TemplateResponse(
        request, template, {"user": signed.user, "role_label": ROLE_LABELS[signed.user.role],
                            "csrf": signed.session.csrf, **context}, status_code=status_code)
