"""`sohoa api serve|audit` and `sohoa api token create|list|revoke` (the HTTP API is web/api.py)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import (
    HostOpt, PortOpt, ServiceFailure, TableFormat, _catalog_only, _cell, _plain, _write, console, out, serving,
)
from storage.settings import StorageSettings

api_app = typer.Typer(help="The HTTP API for the supervising department and other systems.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens of the HTTP API.", no_args_is_help=True)
app.add_typer(api_app, name="api")
api_app.add_typer(token_app, name="token")


class TokenRole(str, Enum):
    supervisor = "supervisor"
    agency = "agency"


TOKEN_COLUMNS = ["id", "name", "role", "agency", "created_at", "revoked_at"]
AUDIT_COLUMNS = ["at", "token_id", "token_name", "role", "agency", "action", "record_id", "holder", "results", "client"]


@api_app.command("serve")
def api_serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8765,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote",
        help="Listen on an address other machines reach. The API speaks plain HTTP, so tokens and "
             "personal data would cross the network unencrypted: put a TLS reverse proxy in front instead.",
    )] = False,
) -> None:
    """Serve the HTTP API (JSON under /api/v1, docs at /docs; every route needs a token)."""
    from web.api import API_PREFIX, serve
    from web.api_auth import load_audit_key

    with serving(host, port, allow_remote):
        settings, catalog = StorageSettings(), _catalog_only()
        console.print(f"serving the HTTP API on http://{host}:{port}{API_PREFIX} (Ctrl+C stops it)")
        serve(catalog, load_audit_key(settings.home), host, port)


@token_app.command("create")
def api_token_create(
    role: Annotated[TokenRole, typer.Option("--role", help="supervisor: every agency; agency: one agency's records.")],
    name: Annotated[str, typer.Option("--name", help="Who or which system uses the token.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code (agency role only).")] = None,
) -> None:
    """Make a token and print it; it is shown this once (only its SHA-256 is kept)."""
    from web.api_auth import TokenRefused, issue_token

    catalog = _catalog_only()
    try:
        row, token = issue_token(catalog, name, role.value, agency)
    except TokenRefused as exc:
        raise typer.BadParameter(str(exc)) from exc
    sys.stdout.write(token + "\n")
    bound = f", agency {escape(row.agency)}" if row.agency else ""
    console.print(f"token {row.id} ({row.role}{bound}) for {escape(row.name)}: shown only this once; "
                  f"`sohoa api token revoke {row.id}` withdraws it")


@token_app.command("list")
def api_token_list(format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """Every token (never the token itself)."""
    catalog = _catalog_only()
    rows = [{c: _plain(getattr(t, c)) for c in TOKEN_COLUMNS} for t in catalog.api_tokens()]
    _print_rows(rows, TOKEN_COLUMNS, format, "Mã truy cập API")


@token_app.command("revoke")
def api_token_revoke(token_id: Annotated[int, typer.Argument(help="Token id, from `sohoa api token list`.")]) -> None:
    """Withdraw a token: the next request with it gets 401."""
    from storage.catalog import utc_now

    catalog = _catalog_only()
    row = catalog.revoke_api_token(token_id, utc_now())
    if row is None:
        raise typer.BadParameter(f"no token {token_id}", param_hint="ID")
    console.print(f"token {row.id} ({escape(row.name)}) revoked")


@api_app.command("audit")
def api_audit(
    format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
    holder: Annotated[str | None, typer.Option(
        "--holder", help="Only the lookups of this holder id; `-` reads it from standard input, "
                         "which keeps a personal number out of the shell history.")] = None,
) -> None:
    """Who read whose records through the API, newest first; holder ids are masked."""
    from web.api_auth import holder_digits, holder_hash, load_audit_key

    settings, catalog = StorageSettings(), _catalog_only()
    wanted = None
    if holder == "-":
        holder = sys.stdin.readline().strip()
    if holder is not None:
        try:
            digits = holder_digits(holder)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--holder") from exc
        try:
            wanted = holder_hash(load_audit_key(settings.home, create=False), digits)
        except FileNotFoundError:
            raise ServiceFailure(f"no audit key under {settings.home}: nothing was looked up here, "
                                 "or the key was lost") from None
    rows = [
        {**{c: _plain(getattr(e, c)) for c in AUDIT_COLUMNS if c != "holder"}, "holder": e.holder_masked}
        for e in catalog.audit_entries(wanted)
    ]
    _print_rows(rows, AUDIT_COLUMNS, format, f"Nhật ký tra cứu: {len(rows)}")


def _print_rows(rows: list[dict], columns: list[str], format: TableFormat, title: str) -> None:
    if format is TableFormat.json:
        _write([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"], None)
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(escape(_cell(row[c])) for c in columns))
    out.print(table)
