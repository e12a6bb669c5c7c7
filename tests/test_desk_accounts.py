"""Accounts and logins of the review desk: argon2 password hashes, roles, session cookies, CSRF on
every form, logout, disabled accounts, throttled guessing and idle expiry. Pages are driven over
HTTP in-process (FastAPI's TestClient); the catalog is a SQLite file."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import text

from test_catalog import make_record

from storage.users import UserRefused
from web.desk.app import create_desk_app
from web.desk.sessions import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from web.desk.settings import DeskSettings

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
AGENCY = "H26.01"
PASSWORD = "Mật khẩu đủ dài 1"  # NFC
CLERK = "Nguyễn Thị Lan"


class Clock:
    """The desk's time, moved on by the test."""

    def __init__(self):
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def catalog(catalog):
    # Cheaper argon2 parameters keep these tests quick; the CLI's tests hash with the defaults.
    catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    catalog.upsert_agencies([{"code": AGENCY, "name": "UBND xã Bình Sơn"}])
    catalog.users.add(CLERK, "clerk", AGENCY, PASSWORD, T0)
    return catalog


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def desk(catalog, clock):
    with TestClient(create_desk_app(catalog, settings=DeskSettings(), clock=clock)) as client:
        yield client


def form_csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def log_in(desk: TestClient, name: str = CLERK, password: str = PASSWORD):
    csrf = form_csrf(desk.get("/dang-nhap").text)
    return desk.post("/dang-nhap", data={"name": name, "password": password, "csrf": csrf}, follow_redirects=False)


# accounts in the catalog


def test_only_an_argon2_hash_of_the_password_is_stored(catalog):
    with catalog.engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM users")).mappings().one()
    assert stored["password_hash"].startswith("$argon2id$")
    assert "Mật khẩu" not in " ".join(str(value) for value in stored.values())
    assert catalog.users.verify(CLERK, PASSWORD, T0).name == CLERK
    assert catalog.users.verify(CLERK, PASSWORD + "x", T0) is None


def test_names_and_passwords_are_compared_in_nfc_and_names_without_case(catalog):
    decomposed = unicodedata.normalize("NFD", PASSWORD)  # typed on a system that sends NFD
    assert decomposed != PASSWORD
    assert catalog.users.verify("  nguyễn thị  LAN ", decomposed, T0).name == CLERK
    with pytest.raises(UserRefused, match="already"):
        catalog.users.add(unicodedata.normalize("NFD", CLERK.upper()), "clerk", AGENCY, PASSWORD, T0)


@pytest.mark.parametrize("role, agency, password, refusal", [
    ("clerk", None, PASSWORD, "agency"),
    ("clerk", "H99", PASSWORD, "no agency H99"),
    ("supervisor", AGENCY, PASSWORD, "leave out --agency"),
    ("boss", None, PASSWORD, "role is one of"),
    ("admin", None, "ngắn quá", "at least 10"),
    ("admin", None, " " * 12, "spaces only"),
])
def test_accounts_that_are_refused(catalog, role, agency, password, refusal):
    with pytest.raises(UserRefused, match=refusal):
        catalog.users.add("Trần Văn Bình", role, agency, password, T0)
    assert [u.name for u in catalog.users.accounts()] == [CLERK]


def test_roles_as_stored(catalog):
    catalog.users.add("giám sát", "supervisor", None, PASSWORD, T0)
    catalog.users.add("quản trị", "admin", None, PASSWORD, T0)
    assert {(u.name, u.role, u.agency) for u in catalog.users.accounts()} == {
        (CLERK, "clerk", AGENCY), ("giám sát", "supervisor", None), ("quản trị", "admin", None)}


def test_rebuild_leaves_accounts_and_sessions_alone(catalog):
    user = catalog.users.get(CLERK)
    token, _ = catalog.users.open_session(user.id, T0, timedelta(hours=8))
    catalog.save(make_record(1), "k1")
    assert catalog.rebuild([(make_record(2), "k2")]) == 1
    assert catalog.users.session_user(token, T0, timedelta(hours=8))[0].name == CLERK


# logging in and out


def test_login_sets_an_httponly_strict_cookie_and_shows_who_is_logged_in(desk):
    assert desk.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"
    response = log_in(desk)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    home = desk.get("/")
    assert home.status_code == 200
    assert '<html lang="vi">' in home.text
    for shown in (CLERK, "Cán bộ", "UBND xã Bình Sơn", AGENCY, "Hàng chờ", "Lô", "Tiến độ", "Đăng xuất"):
        assert shown in home.text
    assert home.headers["content-security-policy"].startswith("default-src 'self'")
    assert home.headers["x-frame-options"] == "DENY" and home.headers["referrer-policy"] == "no-referrer"
    assert home.headers["cache-control"] == "no-store"


def test_the_page_loads_nothing_from_elsewhere_and_no_inline_script(desk):
    log_in(desk)
    page = desk.get("/").text
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    css = desk.get("/static/desk.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "url(" not in css.text and "@import" not in css.text


def test_secure_cookies_when_asked(catalog, clock):
    with TestClient(create_desk_app(catalog, settings=DeskSettings(secure_cookies=True), clock=clock)) as desk:
        assert "Secure" in desk.get("/dang-nhap").headers["set-cookie"]


def test_a_wrong_password_is_refused_in_vietnamese(desk):
    response = log_in(desk, password=PASSWORD + "!")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert SESSION_COOKIE not in desk.cookies
    assert desk.get("/", follow_redirects=False).status_code == 303
    # An unknown name gets the same answer: nothing tells which names exist.
    unknown = log_in(desk, name="không có ai")
    assert unknown.status_code == 401 and "không đúng" in unknown.text


def test_a_login_post_without_or_with_a_wrong_csrf_token_is_refused(desk):
    desk.get("/dang-nhap")
    assert LOGIN_CSRF_COOKIE in desk.cookies
    for data in ({"name": CLERK, "password": PASSWORD},
                 {"name": CLERK, "password": PASSWORD, "csrf": "x" * 43}):
        response = desk.post("/dang-nhap", data=data, follow_redirects=False)
        assert response.status_code == 403 and "tải lại trang" in response.text
    # A form copied from another browser: right-looking token, but not this browser's cookie.
    other = form_csrf(TestClient(desk.app).get("/dang-nhap").text)
    response = desk.post("/dang-nhap", data={"name": CLERK, "password": PASSWORD, "csrf": other})
    assert response.status_code == 403
    assert SESSION_COOKIE not in desk.cookies


def test_logout_needs_the_csrf_token_and_ends_the_session(desk):
    log_in(desk)
    csrf = form_csrf(desk.get("/").text)
    old_cookie = desk.cookies[SESSION_COOKIE]
    assert desk.post("/dang-xuat", data={}, follow_redirects=False).status_code == 403
    forged = ("y" if csrf[0] == "x" else "x") + csrf[1:]  # one in 64 tokens starts with x already
    assert desk.post("/dang-xuat", data={"csrf": forged}, follow_redirects=False).status_code == 403
    assert desk.get("/").status_code == 200  # still logged in
    response = desk.post("/dang-xuat", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dang-nhap"
    desk.cookies.set(SESSION_COOKIE, old_cookie)  # the old cookie, kept by someone
    assert desk.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"


def test_a_disabled_user_cannot_log_in_and_their_open_session_ends(desk, catalog):
    log_in(desk)
    assert desk.get("/").status_code == 200
    catalog.users.disable(CLERK, T0)
    assert desk.get("/", follow_redirects=False).status_code == 303
    response = log_in(desk)
    assert response.status_code == 401 and "không đúng" in response.text


def test_a_new_password_ends_the_open_sessions(desk, catalog):
    log_in(desk)
    catalog.users.set_password(CLERK, "một mật khẩu mới hơn", T0)
    assert desk.get("/", follow_redirects=False).status_code == 303
    assert log_in(desk).status_code == 401
    assert log_in(desk, password="một mật khẩu mới hơn").status_code == 303


def test_repeated_failures_slow_down_logins_even_with_the_right_password(desk, clock):
    for _ in range(4):
        assert log_in(desk, password="sai mật khẩu rồi").status_code == 401
    fifth = log_in(desk, password="sai mật khẩu rồi")
    assert fifth.status_code == 429 and fifth.headers["retry-after"] == "30"
    assert "thử lại sau 30 giây" in fifth.text
    refused = log_in(desk)  # the right password, too soon
    assert refused.status_code == 429 and SESSION_COOKIE not in desk.cookies
    clock.now += timedelta(seconds=31)
    sixth = log_in(desk, password="sai mật khẩu rồi")  # each failure now blocks longer
    assert sixth.status_code == 429 and sixth.headers["retry-after"] == "60"
    clock.now += timedelta(seconds=61)
    assert log_in(desk).status_code == 303  # the right password once the wait is over
    assert desk.get("/").status_code == 200


def test_failures_are_counted_per_name_known_or_not_and_forgotten_after_the_window(desk, clock, catalog):
    catalog.users.add("Lê Văn Nam", "supervisor", None, PASSWORD, T0)
    for _ in range(4):
        log_in(desk, name="Lê Văn Nam", password="sai mật khẩu rồi")
    clock.now += timedelta(minutes=16)  # a quiet quarter of an hour: the count starts again
    for _ in range(4):
        assert log_in(desk, name="Lê Văn Nam", password="sai mật khẩu rồi").status_code == 401
    assert log_in(desk, name="Lê Văn Nam").status_code == 303


def test_failures_from_one_address_are_throttled_across_names(desk):
    for n in range(5):
        log_in(desk, name=f"người {n}", password="sai mật khẩu rồi")
    assert log_in(desk).status_code == 429  # the same client, another (real) account


def test_a_session_ends_after_the_idle_time_and_use_keeps_it_open(desk, clock):
    log_in(desk)
    clock.now += timedelta(hours=7)
    assert desk.get("/").status_code == 200  # used: the 8 hours start again
    clock.now += timedelta(hours=7)
    assert desk.get("/").status_code == 200
    clock.now += timedelta(hours=8, seconds=1)
    assert desk.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"


def test_a_login_forgets_expired_sessions_and_stale_failure_counts(desk, clock, catalog):
    log_in(desk, name="ai đó", password="sai mật khẩu rồi")
    log_in(desk)
    clock.now += timedelta(hours=9)
    log_in(desk)  # the first session expired meanwhile; the failure is old news
    with catalog.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM desk_sessions")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM login_failures")).scalar() == 0


def test_the_idle_time_is_a_setting(catalog, clock):
    settings = DeskSettings(session_idle_hours=0.5)
    with TestClient(create_desk_app(catalog, settings=settings, clock=clock)) as desk:
        log_in(desk)
        clock.now += timedelta(minutes=31)
        assert desk.get("/", follow_redirects=False).status_code == 303


