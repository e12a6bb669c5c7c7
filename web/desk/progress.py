"""The progress page (`/tien-do`): the report of `sohoa progress --format html` inside the desk.

A clerk sees their own agency's results only (with "theo đơn vị kế thừa" also those of the units
their agency took over), as an agency token does in the HTTP API; a supervisor or admin sees
every agency. The report's CSS is served as a file scoped to the report (`/tien-do/bao-cao.css`):
the desk's Content-Security-Policy allows no inline style.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from flows.report_html import CSS, report_body
from flows.reports import GROUP_LABELS, STRUCTURE_LABELS
from storage.progress import ProgressSettings, progress_report
from web.api import _AgencyFacts
from web.desk.pages import page
from web.desk.sessions import SignedIn, current_user

router = APIRouter()

BAD_CHOICE = "Cách nhóm không hợp lệ. Hãy chọn lại trong danh sách."
BAD_SETTINGS = "Cấu hình chỉ tiêu tiến độ (SOHOA_TARGET_DATE, SOHOA_INTERIM_TARGETS) bị sai. Hãy báo quản trị viên."


def scoped_css(css: str, scope: str = ".report") -> str:
    """The report's rules applied inside `scope` only: its `body` rule becomes the scope's, and
    every other selector is prefixed, so that the desk's own header and layout keep their style."""
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        scoped = [scope if s.strip() == "body" else f"{scope} {s.strip()}" for s in selectors.split(",")]
        rules.append(f"{', '.join(scoped)} {{{body}}}")
    return "\n".join(rules) + "\n"


REPORT_CSS = scoped_css(CSS)


@router.get("/tien-do/bao-cao.css")
def report_css() -> Response:
    return Response(REPORT_CSS, media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})


@router.get("/tien-do", response_class=HTMLResponse)
def progress(request: Request, signed: Annotated[SignedIn, Depends(current_user)], theo: str = "agency",
             cau_truc: str = "historical") -> Response:
    if theo not in GROUP_LABELS or cau_truc not in STRUCTURE_LABELS:
        raise HTTPException(status_code=400, detail=BAD_CHOICE)
    try:
        settings = ProgressSettings()
    except ValidationError as exc:
        raise HTTPException(status_code=503, detail=BAD_SETTINGS) from exc
    catalog, user, today = request.app.state.catalog, signed.user, request.app.state.clock().date()
    source = catalog if user.role != "clerk" else _AgencyFacts(catalog, user.agency, cau_truc, today)
    report = progress_report(source, theo, cau_truc, today, settings)
    return page(request, signed, "progress.html", report=Markup(report_body(report)), by=theo, structure=cau_truc,
                groups=GROUP_LABELS, structures=STRUCTURE_LABELS)
