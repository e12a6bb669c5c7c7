"""`sohoa users add|list|disable|passwd` (the review desk's people) and `sohoa desk serve`."""

from __future__ import annotations

import getpass
import json
import sys
from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import (
    HostOpt, PortOpt, TableFormat, _catalog_only, _cell, _plain, _services, console, out, serving,
)

users_app = typer.Typer(help="People who log in to the review desk.", no_args_is_help=True)
desk_app = typer.Typer(help="The review desk in the browser, for archive staff.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(desk_app, name="desk")

USER_COLUMNS = ["name", "role", "agency", "created_at", "last_login_at", "disabled_at"]


class UserRole(str, Enum):
    clerk = "clerk"
    supervisor = "supervisor"
    admin = "admin"


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The name the person logs in with.")],
    role: Annotated[UserRole, typer.Option(
        "--role", help="clerk: one agency's records; supervisor: every agency's; admin: that and the users.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code (clerks only).")] = None,
) -> None:
    """Add a user; the password is read twice from standard input (not shown on a terminal)."""
    from storage.catalog import utc_now
    from storage.users import UserRefused

    catalog = _catalog_only()
    try:
        user = catalog.users.add(name, role.value, agency, _new_password(), utc_now())
    except UserRefused as exc:
        raise typer.BadParameter(str(exc)) from exc
    bound = f" of {escape(user.agency)}" if user.agency else ""
    console.print(f"user {escape(user.name)} added ({user.role}{bound})")


@users_app.command("list")
def users_list(format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """Every user (never a password or its hash)."""
    rows = [{c: _plain(getattr(u, c)) for c in USER_COLUMNS} for u in _catalog_only().users.accounts()]
    if format is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(*USER_COLUMNS, title="Người dùng bàn duyệt")
    for row in rows:
        table.add_row(*(escape(_cell(row[c])) for c in USER_COLUMNS))
    out.print(table)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Refuse the user's logins from now on and end their open sessions."""
    from storage.catalog import utc_now
    from storage.users import UserRefused

    try:
        user = _catalog_only().users.disable(name, utc_now())
    except UserRefused as exc:
        raise typer.BadParameter(str(exc), param_hint="NAME") from exc
    console.print(f"user {escape(user.name)} disabled; their open sessions are ended")


@users_app.command("passwd")
def users_passwd(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Set a new password, read twice from standard input; the user's open sessions end."""
    from storage.catalog import utc_now
    from storage.users import UserRefused

    catalog = _catalog_only()
    if catalog.users.get(name) is None:  # before asking for a password that would go nowhere
        raise typer.BadParameter(f"no user {name}", param_hint="NAME")
    try:
        user = catalog.users.set_password(name, _new_password(), utc_now())
    except UserRefused as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"password of {escape(user.name)} changed; their open sessions are ended")


def _new_password() -> str:
    """The password typed twice: without echo on a terminal, else two lines of standard input
    (only the line ends are taken off: spaces belong to the password)."""
    if sys.stdin.isatty():
        first, second = getpass.getpass("Mật khẩu (password): "), getpass.getpass("Nhập lại (again): ")
    else:
        first, second = (sys.stdin.readline().rstrip("\r\n") for _ in range(2))
    if first != second:
        raise typer.BadParameter("the two passwords differ")
    return first


@desk_app.command("serve")
def desk_serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8766,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote",
        help="Listen on an address other machines reach. The desk speaks plain HTTP, so passwords and "
             "personal data would cross the network unencrypted: put a TLS reverse proxy in front "
             "(and set SOHOA_DESK_SECURE_COOKIES=true).",
    )] = False,
) -> None:
    """Serve the review desk (log in at /dang-nhap with an account from `sohoa users add`)."""
    from web.desk.app import serve
    from web.desk.settings import DeskSettings

    with serving(host, port, allow_remote):
        services = _services()  # the record pages show the stored PDFs and write record versions
        if not services.catalog.users.accounts():
            console.print("[yellow]no users yet:[/] add one with `sohoa users add NAME --role admin`")
        console.print(f"serving the review desk on http://{host}:{port}/ (Ctrl+C stops it)")
        serve(services.catalog, services.store, DeskSettings(), host, port)
