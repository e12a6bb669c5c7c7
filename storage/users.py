"""The people who use the review desk: accounts, password hashes, login sessions, and the failure
counts that slow down password guessing.

Kept in the catalog but not derived from records: `rebuild` (what `sohoa reindex` runs) leaves
these tables alone, as it does the API tokens. A password is kept only as an argon2 hash and a
session only as the SHA-256 of its cookie token, so a copy of the catalog opens no account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage.base import Base

Role = Literal["clerk", "supervisor", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this only bounds the work one request causes
MAX_NAME_LENGTH = 100
# A session's last-seen time is written at most this often, not on every page view.
_TOUCH_EVERY = timedelta(minutes=1)


class UserRefused(ValueError):
    """An account change that must not be made as asked (the message says why)."""


class User(Base):
    """A person who logs in to the desk. `clerk`: one agency's records; `supervisor`: every
    agency's, read and review; `admin`: that and the accounts."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))  # NFC, as it was given
    # Case-folded: "Lan" and "lan" are one account, whichever way it is typed at login.
    name_key: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str | None] = mapped_column(String(64))  # set exactly for a clerk
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its parameters
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeskSession(Base):
    """A logged-in browser: the cookie carries a random token, only its SHA-256 is kept."""

    __tablename__ = "desk_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))  # the hidden field every form of this session posts
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # moves on with use


class LoginFailure(Base):
    """Failed logins counted per key: `name:<account>` (known or not, so that a guesser learns
    nothing about which names exist) and `client:<address>`."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Throttle:
    """After `allowed` failures, each further failure blocks the key for twice as long as the last
    (from `first_delay` up to `max_delay`); the count is forgotten after `window` without one."""

    allowed: int = 5
    window: timedelta = timedelta(minutes=15)
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)

    def delay(self, failures: int) -> timedelta | None:
        if failures < self.allowed:
            return None
        return min(self.first_delay * 2 ** min(failures - self.allowed, 20), self.max_delay)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_name(name: str) -> str:
    """NFC, outer spaces dropped and inner runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name: str) -> str:
    return normalise_name(name).casefold()


class Users:
    """Accounts, sessions and login failures in the catalog (`Catalog.users`)."""

    def __init__(self, sessions: sessionmaker[Session], hasher: PasswordHasher | None = None):
        self._session = sessions
        self.hasher = hasher or PasswordHasher()  # argon2id with the library's (RFC 9106) defaults
        self._dummy_hash: str | None = None

    # accounts

    def add(self, name: str, role: str, agency: str | None, password: str, now: datetime) -> User:
        name = normalise_name(name)
        agency = unicodedata.normalize("NFC", agency).strip() if agency else None
        if not name or len(name) > MAX_NAME_LENGTH or any(unicodedata.category(c)[0] == "C" for c in name):
            raise UserRefused(f"a user name is 1 to {MAX_NAME_LENGTH} printable characters")
        if role not in ROLES:
            raise UserRefused(f"role is one of {', '.join(ROLES)}")
        if role == "clerk" and not agency:
            raise UserRefused("a clerk works for one agency: give --agency CODE")
        if role != "clerk" and agency:
            raise UserRefused(f"a {role} sees every agency; leave out --agency")
        password_hash = self.hasher.hash(_valid_password(password))
        with self._session.begin() as session:
            # A mistyped code would make a clerk who silently sees nothing.
            if agency and session.execute(text("SELECT 1 FROM agencies WHERE code = :code"),
                                          {"code": agency}).first() is None:
                raise UserRefused(f"no agency {agency} in the catalog; import the agency list first "
                                  "(sohoa agencies import)")
            existing = session.scalar(select(User.name).where(User.name_key == name.casefold()))
            if existing is not None:
                raise UserRefused(f"there is already a user {existing}")
            user = User(name=name, name_key=name.casefold(), role=role, agency=agency, password_hash=password_hash,
                        created_at=now, password_changed_at=now)
            session.add(user)
        return user

    def get(self, name: str) -> User | None:
        with self._session() as session:
            return session.scalar(select(User).where(User.name_key == name_key(name)))

    def accounts(self) -> list[User]:
        with self._session() as session:
            return list(session.scalars(select(User).order_by(User.name_key)))

    def disable(self, name: str, now: datetime) -> User:
        """Refuse the account's logins from now on and end its open sessions; a second call keeps
        the first time."""
        with self._session.begin() as session:
            user = self._existing(session, name)
            if user.disabled_at is None:
                user.disabled_at = now
            session.execute(delete(DeskSession).where(DeskSession.user_id == user.id))
        return user

    def set_password(self, name: str, password: str, now: datetime) -> User:
        """A new password; every open session of the account ends (a stolen cookie included)."""
        password_hash = self.hasher.hash(_valid_password(password))
        with self._session.begin() as session:
            user = self._existing(session, name)
            user.password_hash, user.password_changed_at = password_hash, now
            session.execute(delete(DeskSession).where(DeskSession.user_id == user.id))
        return user

    def verify(self, name: str, password: str, now: datetime) -> User | None:
        """The active account with this name and password, else None. An unknown name costs the
        same hashing time as a wrong password, so timing does not tell which names exist."""
        password = unicodedata.normalize("NFC", password)
        with self._session.begin() as session:
            user = session.scalar(select(User).where(User.name_key == name_key(name)))
            if user is None:
                self._verified(self._dummy(), password)
                return None
            if not self._verified(user.password_hash, password) or user.disabled_at is not None:
                return None
            if self.hasher.check_needs_rehash(user.password_hash):  # the parameters changed since it was set
                user.password_hash = self.hasher.hash(password)
            user.last_login_at = now
            return user

    def _verified(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    @staticmethod
    def _existing(session: Session, name: str) -> User:
        user = session.scalar(select(User).where(User.name_key == name_key(name)))
        if user is None:
            raise UserRefused(f"no user {normalise_name(name)}")
        return user

    # sessions

    def open_session(self, user_id: int, now: datetime, idle: timedelta) -> tuple[str, DeskSession]:
        """A new session; returns the cookie token (kept nowhere) and the row."""
        token = secrets.token_urlsafe(32)
        row = DeskSession(token_sha256=token_digest(token), user_id=user_id, csrf=secrets.token_urlsafe(32),
                          created_at=now, last_seen_at=now, expires_at=now + idle)
        with self._session.begin() as session:
            session.add(row)
        return token, row

    def session_user(self, token: str, now: datetime, idle: timedelta) -> tuple[User, DeskSession] | None:
        """The active user and session of a cookie token, or None (unknown, expired, or the user
        was disabled). Use moves the expiry on: `idle` after the last request."""
        with self._session.begin() as session:
            row = session.scalar(select(DeskSession).where(DeskSession.token_sha256 == token_digest(token)))
            if row is None:
                return None
            user = session.get(User, row.user_id)
            if _aware(row.expires_at) <= now or user is None or user.disabled_at is not None:
                session.delete(row)
                return None
            if now - _aware(row.last_seen_at) >= _TOUCH_EVERY:
                row.last_seen_at, row.expires_at = now, now + idle
            return user, row

    def close_session(self, token: str) -> None:
        with self._session.begin() as session:
            session.execute(delete(DeskSession).where(DeskSession.token_sha256 == token_digest(token)))

    def prune(self, now: datetime, throttle: Throttle) -> None:
        """Forget expired sessions (closed browsers never log out) and failure counts whose window
        has passed (each mistyped name leaves one)."""
        with self._session.begin() as session:
            session.execute(delete(DeskSession).where(DeskSession.expires_at <= now))
            session.execute(delete(LoginFailure).where(
                LoginFailure.last_failed_at < now - throttle.window,
                (LoginFailure.blocked_until.is_(None)) | (LoginFailure.blocked_until <= now)))

    # failed logins

    def blocked_until(self, keys: list[str], now: datetime) -> datetime | None:
        """The latest time any of these keys is blocked until, if it is still to come."""
        with self._session() as session:
            times = [_aware(t) for t in session.scalars(
                select(LoginFailure.blocked_until).where(LoginFailure.key.in_(keys)))
                if t is not None]
        later = [t for t in times if t > now]
        return max(later) if later else None

    def record_failure(self, keys: list[str], now: datetime, throttle: Throttle) -> datetime | None:
        """Count a failed login against each key; returns until when the next attempt is refused."""
        blocked = []
        with self._session.begin() as session:
            for key in keys:
                row = session.get(LoginFailure, key)
                if row is None:
                    row = LoginFailure(key=key, failures=0, last_failed_at=now)
                    session.add(row)
                elif now - _aware(row.last_failed_at) > throttle.window:
                    row.failures, row.blocked_until = 0, None
                row.failures += 1
                row.last_failed_at = now
                delay = throttle.delay(row.failures)
                row.blocked_until = now + delay if delay else None
                if delay:
                    blocked.append(row.blocked_until)
        return max(blocked) if blocked else None

    def clear_failures(self, key: str) -> None:
        with self._session.begin() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.key == key))


def _valid_password(password: str) -> str:
    # NFC: a Vietnamese password typed on another keyboard or system must still match.
    password = unicodedata.normalize("NFC", password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserRefused(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserRefused(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if re.fullmatch(r"\s*", password):
        raise UserRefused("a password of spaces only is refused")
    return password


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
