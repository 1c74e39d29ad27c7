"""Web sessions kept in the database, and the login history.

The browser's cookie holds only a random key; the row found by the key's digest says whose
session it is and which unit's records it sees (Django's database session backend is the
model). A command-line login (``gongkai login``) is a row too, of kind ``cli``: its token file
holds only the random key. Ending a session is deleting its row: logout, a new password, new
roles or a disabled account end every session of the account, web and command line, at once. Sessions are not records (no
event): the login history says who used the system, the records' chain what was done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from attrs import frozen
from sqlalchemy import delete, func
from sqlmodel import Session, select

from gongkai.core.accounts.models import LoginEvent, WebSession
from gongkai.core.errors import GongkaiError

IDLE_MINUTES = 30  # a session unused this long must sign in again
LIFETIME_HOURS = 12  # and every session ends this long after its sign-in, used or not
TOUCH_SECONDS = 60  # last_seen is written at most this often (a page's worth of requests is one write)
CLIENT_FAILURES = 20  # failed logins from one address within CLIENT_MINUTES before it is refused a while
CLIENT_MINUTES = 15

KINDS = {"login": "登录", "failed": "登录失败", "logout": "退出登录", "refused": "访问被拒绝", "ended": "会话结束"}


@frozen
class Settings:
    idle_minutes: int = IDLE_MINUTES
    lifetime_hours: int = LIFETIME_HOURS


def settings(config: Any) -> Settings:
    """``[web]`` of gongkai.toml: ``idle_minutes`` and ``lifetime_hours``."""
    raw = config.raw.get("web", {}) if config is not None else {}
    if not isinstance(raw, dict):
        raise GongkaiError("gongkai.toml 的 [web] 应为一个表，如 [web] idle_minutes = 30。")
    values = {}
    for key, default, label, most in (("idle_minutes", IDLE_MINUTES, "空闲超时（分钟）", 24 * 60),
                                      ("lifetime_hours", LIFETIME_HOURS, "会话最长时间（小时）", 7 * 24)):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            raise GongkaiError(f"gongkai.toml 的 [web] {key}（{label}）应为 1 到 {most} 之间的整数，现为“{value}”。")
        values[key] = value
    return Settings(**values)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _utc(moment: dt.datetime) -> dt.datetime:
    from gongkai.core.records.storage import utc

    return utc(moment)


WEB, CLI = "web", "cli"  # WebSession.kind


def start(session: Session, account_id: int, account_name: str, unit_code: str, client: str,
          now: dt.datetime | None = None, kind: str = WEB) -> str:
    """A new session for the account: its key (for the cookie, or a command line's token file),
    and a fresh CSRF token."""
    key = secrets.token_urlsafe(32)
    now = _now(now)
    session.add(WebSession(key_digest=_digest(key), account_id=account_id, account_name=account_name,
                           unit_code=unit_code, csrf=secrets.token_urlsafe(32), client=client[:100],
                           created_at=now, last_seen_at=now, kind=kind))
    session.flush()
    return key


def _row(session: Session, key: str, kind: str = WEB) -> WebSession | None:
    if not key or len(key) > 200:
        return None
    return session.exec(select(WebSession).where(WebSession.key_digest == _digest(key), WebSession.kind == kind)).first()


def find_cli(session: Session, key: str, minutes: int, now: dt.datetime | None = None) -> WebSession | None:
    """The live command-line login of ``key``: None if it was ended (logout, a new password, new
    roles, the account disabled), never was, or began more than ``minutes`` ago."""
    row = _row(session, key, CLI)
    if row is None:
        return None
    if _now(now) - _utc(row.created_at) > dt.timedelta(minutes=minutes):
        session.delete(row)
        return None
    return row


def find(session: Session, key: str, limits: Settings, now: dt.datetime | None = None) -> WebSession | None:
    """The live session of ``key``, its last use noted; None (and the row gone) if it has
    timed out, ended or never was."""
    now = _now(now)
    row = _row(session, key)
    if row is None:
        return None
    if (now - _utc(row.last_seen_at) > dt.timedelta(minutes=limits.idle_minutes)
            or now - _utc(row.created_at) > dt.timedelta(hours=limits.lifetime_hours)):
        session.delete(row)
        return None
    if (now - _utc(row.last_seen_at)).total_seconds() > TOUCH_SECONDS:
        row.last_seen_at = now
        session.add(row)
    return row


def save_flash(session: Session, key: str, flash: dict[str, str]) -> None:
    row = _row(session, key)
    if row is not None:
        row.flash = json.dumps(flash, ensure_ascii=False)
        session.add(row)


def view_unit(session: Session, key: str, code: str) -> None:
    """A 区政务公开办 session reads unit ``code`` from now on ("": its own unit again)."""
    row = _row(session, key)
    if row is not None:
        row.viewing_code = "" if code == row.unit_code else code
        session.add(row)


def end(session: Session, key: str, kind: str = WEB) -> WebSession | None:
    """Sign the session of ``key`` out; returns the row it was."""
    row = _row(session, key, kind)
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def end_all(session: Session, account_id: int | None) -> int:
    """End every session of the account, web and command line (a new password, new roles, the
    account disabled)."""
    if account_id is None:
        return 0
    result = session.execute(delete(WebSession).where(WebSession.account_id == account_id))
    return int(result.rowcount or 0)


def live(session: Session, account_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(WebSession).where(WebSession.account_id == account_id)).one())


def record(session: Session, kind: str, account_name: str, unit_code: str, client: str, detail: str = "",
           now: dt.datetime | None = None) -> None:
    """One line of the login history."""
    assert kind in KINDS, kind
    session.add(LoginEvent(at=_now(now), kind=kind, account_name=account_name[:100], unit_code=unit_code[:40],
                           client=client[:100], detail=detail[:300]))
    session.flush()


def client_blocked(session: Session, client: str, now: dt.datetime | None = None) -> bool:
    """Whether ``client`` failed to log in too often lately (any account names, known or not)."""
    if not client:
        return False
    since = _now(now) - dt.timedelta(minutes=CLIENT_MINUTES)
    failures = session.exec(select(func.count()).select_from(LoginEvent).where(
        LoginEvent.client == client, LoginEvent.kind == "failed", LoginEvent.at >= since)).one()
    return int(failures) >= CLIENT_FAILURES


def history(session: Session, unit_code: str, limit: int = 200) -> list[dict[str, Any]]:
    """The unit's login history, newest first, times in Beijing time."""
    from gongkai.core.accounts.login import beijing

    rows = session.exec(select(LoginEvent).where(LoginEvent.unit_code == unit_code)
                        .order_by(LoginEvent.at.desc(), LoginEvent.id.desc()).limit(limit)).all()
    return [{"at": _utc(r.at).isoformat(), "at_beijing": beijing(r.at), "kind": r.kind, "kind_name": KINDS[r.kind],
             "account": r.account_name, "unit": r.unit_code, "client": r.client, "detail": r.detail} for r in rows]
