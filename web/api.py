"""The HTTP API for the supervising department and other systems: JSON under `/api/v1`.

Every route needs a bearer token (`sohoa api token create`), the OpenAPI description and its
docs page included. A `supervisor` token reads everything; an `agency` token is bound to one
agency code and reads only that agency's records and progress. Another agency's record answers
404 like an unknown id, so ids cannot be probed. Each read of a holder's records, and of a
single record that names a holder, writes an audit row (the holder as a keyed hash and masked).

A holder id travels only in a request body, never in a URL: clients, proxies and access logs
record URLs in full. The docs page is plain HTML rendered here from the OpenAPI description, so
it works offline and loads nothing from elsewhere.

Only the catalog is needed, not object storage: the API runs without the S3 server (`/drops`
then lists the drop folder and says the inbox was not listed).
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from web.api_auth import Caller, Role, caller, caller_of, holder_digits, holder_hash
from flows.drops import DropListing, list_drops
from storage.agencies import AgencyTree
from storage.catalog import AuditEntry, Catalog, ProgressFacts, utc_now
from storage.matching import mask_holder_id
from storage.progress import GroupBy, ProgressReport, Structure, progress_report
from storage.records import Record

API_PREFIX = "/api/v1"
log = logging.getLogger("sohoa.api")

DESCRIPTION = """\
Read-only access to the digitised results of administrative procedures and to the
digitisation progress, for the supervising department and other systems.

*Tra cứu kết quả giải quyết thủ tục hành chính đã số hóa và tiến độ số hóa, dành cho cơ quan
giám sát và các hệ thống khác.*

Every route needs `Authorization: Bearer <token>` (`sohoa api token create`). A `supervisor`
token reads every agency; an `agency` token reads its own agency only. Reads of a holder's
results are written to an audit log (`sohoa api audit`).
"""


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    token: str  # the name of the token used
    role: Role
    agency: str | None


class HolderLookup(BaseModel):
    """What to look up: the number goes in the body so that no URL ever carries it."""

    model_config = ConfigDict(extra="forbid")  # a misspelt `include_expired` must not pass unnoticed

    holder_id: str = Field(description=(
        "Personal number (12 digits), old ID number (9) or enterprise code (10 or 13), as a string; "
        "spaces, dots and hyphens are ignored. · Số định danh cá nhân, số CMND hoặc mã số doanh nghiệp."))
    include_expired: bool = Field(False, description="Also results whose valid_until has passed.")

    @field_validator("holder_id")
    @classmethod
    def _digits(cls, value: str) -> str:
        return holder_digits(value)  # its ValueError becomes a 422 before the route runs: no audit row


class HolderRecords(BaseModel):
    holder: str  # masked: the caller knows the number, logs and proxies need not see it again
    today: date
    include_expired: bool
    count: int
    records: list[Record]  # as exported (CONTRACT.md)


class Problem(BaseModel):
    detail: str


def health(who: Caller = Depends(caller)) -> Health:
    """Answers when the catalog is reachable (the token check reads it), with the token's role."""
    return Health(token=who.name, role=who.role, agency=who.agency)


def progress(
    request: Request,
    by: GroupBy = "agency",
    structure: Structure = "historical",
    who: Caller = Depends(caller),
) -> ProgressReport:
    """Progress toward "100% of still-valid results digitised", as `sohoa progress` computes it.

    An agency token gets a report over its own agency's results only (with `structure=successor`
    also those of the agencies it took over), in any grouping.
    """
    catalog: Catalog = request.app.state.catalog
    today = request.app.state.today()
    source = catalog if who.role == "supervisor" else _AgencyFacts(catalog, who.agency, structure, today)
    return progress_report(source, by, structure, today)


def drops(request: Request, who: Caller = Depends(caller)) -> DropListing:
    """Batches archive staff dropped that no run has taken yet (the drop folder and the S3 inbox), each
    with what the next run will do with it and why (`sohoa drops list`). Listed when asked, not
    from the catalog; a source that cannot be listed is named in `problems`. An agency token sees
    its own agency's drops."""
    listing: DropListing = request.app.state.drops()
    return listing.model_copy(update={"drops": [d for d in listing.drops if who.may_read(d.agency)]})


def record(record_id: str, request: Request, who: Caller = Depends(caller)) -> JSONResponse:
    """The record as `sohoa records export` writes it; audited when it names a holder."""
    found = request.app.state.catalog.get(record_id)
    allowed = found is not None and who.may_read(found.agency)
    if found is not None and "holder_id" in found.fields:
        # Refused reads are audited too: they show who tried.
        _audit(request, who, "record", found.fields["holder_id"].value, int(allowed), record_id)
    if not allowed:
        raise HTTPException(status_code=404, detail="no such record")
    return JSONResponse(found.export_dict())


def holder_records(query: HolderLookup, request: Request, who: Caller = Depends(caller)) -> JSONResponse:
    """Every approved (`digitised`) result issued to this personal number, old ID number or
    enterprise code, oldest first, without those whose `valid_until` is before today
    (unless `include_expired`). The number goes in the JSON body, never in the URL; the answer
    names the holder masked. An agency token sees its own agency's results only. Every call is
    audited; a `holder_id` that is not 9 to 13 digits is refused with 422 and not audited."""
    digits = query.holder_id  # cleaned by HolderLookup
    today = request.app.state.today()
    agency = None if who.role == "supervisor" else who.agency
    found = request.app.state.catalog.records_by_holder(digits, agency=agency)
    if not query.include_expired:
        found = [r for r in found if not _expired(r, today)]
    _audit(request, who, "holder_records", digits, len(found))
    return JSONResponse({
        "holder": mask_holder_id(digits), "today": today.isoformat(), "include_expired": query.include_expired,
        "count": len(found), "records": [r.export_dict() for r in found],
    })


def _expired(record: Record, today: date) -> bool:
    """A `valid_until` before today; a value that is no ISO date (`vô thời hạn`) never expires."""
    field = record.fields.get("valid_until")
    try:
        return field is not None and date.fromisoformat(field.value) < today
    except ValueError:
        return False


def _audit(request: Request, who: Caller, action: str, digits: str, results: int, record_id: str | None = None) -> None:
    request.app.state.catalog.add_audit_entry(AuditEntry(
        at=utc_now(), token_id=who.token_id, token_name=who.name, role=who.role, agency=who.agency,
        action=action, record_id=record_id, holder_hash=holder_hash(request.app.state.audit_key, digits),
        holder_masked=mask_holder_id(digits), results=results,
        client=request.client.host if request.client else None,
    ))


class _AgencyFacts:
    """The catalog as progress_report sees it, cut down to one agency's results.

    Deliberately only the two methods progress_report calls: a new call fails loudly instead
    of reading every agency.
    """

    def __init__(self, catalog: Catalog, agency: str, structure: Structure, today: date):
        self._catalog = catalog
        tree = AgencyTree.load(catalog)
        # Under `successor`, the results of the units an agency took over are its own too.
        self._mine = lambda code: code == agency or (
            structure == "successor" and tree.successor_of(code, today) == agency
        )

    def agencies(self):
        return self._catalog.agencies()

    def progress_facts(self, today: date, recent_days: int) -> ProgressFacts:
        facts = self._catalog.progress_facts(today, recent_days)
        return ProgressFacts(
            entries=[c for c in facts.entries if self._mine(c.agency)],
            declared_records=[c for c in facts.declared_records if self._mine(c.agency)],
            other_records=[c for c in facts.other_records if self._mine(c.agency)],
            declared={a: n for a, n in facts.declared.items() if self._mine(a)},
        )


def create_app(catalog: Catalog, audit_key: bytes, today: Callable[[], date] = date.today,
               drop_listing: Callable[[], DropListing] | None = None) -> FastAPI:
    """The application; `today` decides which results have expired (tests fix it)."""
    app = FastAPI(
        title="sohoa HTTP API",
        summary="Số hóa kết quả giải quyết thủ tục hành chính",
        description=DESCRIPTION,
        version="1",
        # Served below behind the token like every other route.
        docs_url=None, redoc_url=None, openapi_url=None,
        dependencies=[Depends(caller)],
    )
    app.state.catalog, app.state.audit_key, app.state.today = catalog, audit_key, today
    # Without object storage given, only the drop folder is listed.
    app.state.drops = drop_listing or (lambda: list_drops(catalog, None))
    # Added to the app itself, not through an APIRouter, so that `app.routes` lists every route.
    unauthorised = {401: {"model": Problem, "description": "No valid token"}}
    app.get(f"{API_PREFIX}/health", response_model=Health, responses=unauthorised,
            summary="Health and who you are · Tình trạng dịch vụ")(health)
    app.get(f"{API_PREFIX}/progress", response_model=ProgressReport, responses=unauthorised,
            summary="Digitisation progress · Tiến độ số hóa")(progress)
    app.get(f"{API_PREFIX}/records/{{record_id}}", response_model=Record,
            responses=unauthorised | {404: {"model": Problem, "description": "No such record, or another agency's"}},
            summary="One record · Một bản ghi")(record)
    # POST only so that the holder id rides in the body: a URL is logged in full along the way.
    app.get(f"{API_PREFIX}/drops", response_model=DropListing, responses=unauthorised,
            summary="Dropped batches not taken yet · Lô đã thả chưa nhận")(drops)
    app.post(f"{API_PREFIX}/holders/records", response_model=HolderRecords, responses=unauthorised,
             summary="Valid results of a person or organisation · Kết quả còn hiệu lực của một cá nhân, tổ chức",
             )(holder_records)
    app.middleware("http")(_log_request)
    app.exception_handler(RequestValidationError)(_invalid_request)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Rendered here, not by Swagger UI: no CDN, so it works offline, and the browser's own
        # fetch of /openapi.json would carry no token anyway.
        return HTMLResponse(docs_page(app.openapi()), headers={"Content-Security-Policy": DOCS_CSP})

    return app


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's 422, but never before the token check and never echoing the input back.

    A body that is not JSON fails before any dependency runs, so the token is checked here: a
    caller without one gets 401 like everywhere else. The `input` of each error is dropped, as it
    could be an almost-valid personal number.
    """
    if getattr(request.state, "caller", None) is None:
        try:
            await caller_of(request)
        except HTTPException as refused:
            return await http_exception_handler(request, refused)
    errors = [{k: v for k, v in error.items() if k != "input"} for error in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(errors)})


# The page needs nothing but its own inline style; the browser is told to load nothing else.
DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

DOCS_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #1d1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin: 0 0 .3rem; } h3 { font-size: .95rem; margin: 1rem 0 .3rem; }
section { border: 1px solid #d2d2d7; border-radius: 6px; padding: 1rem; margin: 1.2rem 0; }
code { font: 13px/1.4 ui-monospace, monospace; background: #f2f2f5; padding: 0 .25rem; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e5e5ea; padding: .3rem .5rem; }
.method { display: inline-block; min-width: 3.5rem; color: #fff; background: #0a66c2; border-radius: 3px;
          padding: 0 .4rem; font: bold 13px/1.6 ui-monospace, monospace; text-align: center; }
.method.post { background: #1a7f37; } .muted { color: #6e6e73; }
"""


def docs_page(spec: dict[str, Any]) -> str:
    """The OpenAPI description as one self-contained HTML page: inline style, no script, no link."""
    info = spec.get("info", {})
    schemas = spec.get("components", {}).get("schemas", {})
    title = _esc(info.get("title", "API"))
    parts = [
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{DOCS_STYLE}</style></head><body>",
        f'<h1>{title}</h1><p class="muted">{_esc(info.get("summary", ""))} · version {_esc(info.get("version", ""))}</p>',
        _prose(info.get("description", "")),
        "<nav><ul>",
    ]
    operations = [(path, method, op) for path, item in spec.get("paths", {}).items()
                  for method, op in item.items() if isinstance(op, dict) and "responses" in op]
    for path, method, op in operations:
        parts.append(f'<li><a href="#{_anchor(method, path)}"><code>{_esc(method.upper())} {_esc(path)}</code></a>'
                     f' {_esc(op.get("summary", ""))}</li>')
    parts.append("</ul></nav>")
    for path, method, op in operations:
        parts.append(f'<section id="{_anchor(method, path)}"><h2><span class="method {_esc(method)}">'
                     f'{_esc(method.upper())}</span> <code>{_esc(path)}</code></h2>')
        parts.append(f"<p><strong>{_esc(op.get('summary', ''))}</strong></p>{_prose(op.get('description', ''))}")
        parameters = op.get("parameters", [])
        if parameters:
            parts.append("<h3>Parameters · Tham số</h3><table><tr><th>name</th><th>in</th><th>required</th>"
                         "<th>type</th><th>default</th><th>description</th></tr>")
            for p in parameters:
                schema = p.get("schema", {})
                parts.append(
                    f"<tr><td><code>{_esc(p.get('name', ''))}</code></td><td>{_esc(p.get('in', ''))}</td>"
                    f"<td>{'yes' if p.get('required') else 'no'}</td><td>{_esc(_type(schema))}</td>"
                    f"<td>{_default(schema)}</td><td>{_esc(p.get('description') or schema.get('description', ''))}</td></tr>")
            parts.append("</table>")
        body = op.get("requestBody")
        if body:
            for media, content in body.get("content", {}).items():
                schema = content.get("schema", {})
                parts.append(f"<h3>Request body · Nội dung yêu cầu</h3><p><code>{_esc(media)}</code>: "
                             f"<code>{_esc(_type(schema))}</code>{' (required)' if body.get('required') else ''}</p>")
                parts.append(_fields(_resolve(schema, schemas)))
        parts.append("<h3>Responses · Phản hồi</h3><table><tr><th>status</th><th>description</th><th>body</th></tr>")
        for status, response in op.get("responses", {}).items():
            bodies = ", ".join(f"{_type(c.get('schema', {}))} ({media})"
                               for media, c in response.get("content", {}).items())
            parts.append(f"<tr><td><code>{_esc(status)}</code></td><td>{_esc(response.get('description', ''))}</td>"
                         f"<td>{_esc(bodies) or '—'}</td></tr>")
        parts.append("</table></section>")
    parts.append('<p class="muted">The same description as JSON: <code>GET /openapi.json</code> (with the token). '
                 "Every route needs <code>Authorization: Bearer &lt;token&gt;</code>.</p></body></html>\n")
    return "\n".join(parts)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _prose(markdown: str) -> str:
    """Paragraphs of the description, `code` and *emphasis* kept; everything else shown as written."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()]
    return "".join(
        "<p>" + _EMPHASIS.sub(r"<em>\1</em>", _CODE_SPAN.sub(r"<code>\1</code>", _esc(p))) + "</p>" for p in paragraphs)


_CODE_SPAN, _EMPHASIS = re.compile(r"`([^`]+)`"), re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")


def _anchor(method: str, path: str) -> str:
    return _esc(re.sub(r"[^a-z0-9]+", "-", f"{method}-{path}".lower()).strip("-"))


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return " | ".join(_type(s) for s in schema[combined])
    if "enum" in schema:
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _default(schema: dict[str, Any]) -> str:
    return f"<code>{_esc(json.dumps(schema['default'], ensure_ascii=False))}</code>" if "default" in schema else ""


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in schema else schema


def _fields(schema: dict[str, Any]) -> str:
    """The properties of a request body's schema, so a client knows what to send."""
    properties = schema.get("properties", {})
    if not properties:
        return ""
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{_esc(name)}</code></td><td>{'yes' if name in required else 'no'}</td>"
        f"<td>{_esc(_type(field))}</td><td>{_default(field)}</td><td>{_esc(field.get('description', ''))}</td></tr>"
        for name, field in properties.items())
    return ("<table><tr><th>field</th><th>required</th><th>type</th><th>default</th><th>description</th></tr>"
            f"{rows}</table>")


async def _log_request(request: Request, call_next):
    """One log line per request, holder ids masked (uvicorn's own access log prints full paths)."""
    started = time.perf_counter()
    response = await call_next(request)
    who = getattr(request.state, "caller", None)
    log.info(
        "%s %s %s %d %.0f ms token %s",
        request.client.host if request.client else "-", request.method, loggable_path(request.url.path),
        response.status_code, 1000 * (time.perf_counter() - started), who.token_id if who else "-",
    )
    return response


def loggable_path(path: str) -> str:
    """The path with any long run of digits masked, spaced ones too (`026 085 001234`).

    No route takes a holder id in its path; this is defence against a client that still puts
    one there (an old one calling the removed `GET /holders/{id}/records`, say).
    """
    return re.sub(r"\d(?:\s?\d){8,}", lambda m: mask_holder_id(re.sub(r"\s", "", m.group())) or "", path)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # another host name: it may resolve anywhere
        return False


def serve(catalog: Catalog, audit_key: bytes, host: str, port: int) -> None:
    import uvicorn

    # access_log off: it would print holder ids in full; _log_request logs them masked.
    from flows.drops import list_drops_if_reachable
    from storage.settings import StorageSettings

    listing = lambda: list_drops_if_reachable(catalog, StorageSettings())  # noqa: E731
    app = create_app(catalog, audit_key, drop_listing=listing)
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None)
