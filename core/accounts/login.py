"""Logging in: a name and a password give an :class:`Actor`, or a refusal in Chinese.

Five consecutive failures lock the account for 15 minutes (the lock is an event); a
disabled account cannot log in; a hash made with older Argon2 parameters is renewed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.accounts.permissions import Actor
from gongkai.core.errors import GongkaiError

MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG = "账户名或密码错误。"


class LoginRefused(GongkaiError):
    """A login that did not succeed; the message says why and what to do."""


def beijing(moment: dt.datetime) -> str:
    from gongkai.core.today import beijing_text

    return beijing_text(moment, seconds=False)


def authenticate(app: Any, name: str, password: str, now: dt.datetime | None = None, code: str | None = None) -> Actor:
    """The actor of account ``name`` if ``password`` is right; else :class:`LoginRefused`.

    Failures are counted (and a lock written) in their own transaction, so they persist
    although the login is refused."""
    from argon2.exceptions import InvalidHashError, VerificationError

    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue
    from gongkai.core.records.storage import record_event, utc

    now = utc(now or dt.datetime.now(dt.timezone.utc))
    ph = store.hasher()
    refusal = None
    with app.session() as session:
        account = store.find(session, name) if name.strip() else None
        if account is None:
            refuse_unknown(password)
        if account.locked_until is not None and utc(account.locked_until) > now:
            raise LoginRefused(f"账户已因连续 {MAX_FAILURES} 次密码错误被锁定，请于 {beijing(account.locked_until)}（北京时间）后再试，"
                               "或请单位管理员用 gongkai user passwd 重设密码。")
        try:
            ph.verify(account.password_hash, password)
            second, step = _second_factor(session, app, account, code, now)
            if second:
                raise VerificationError(second)
        except (VerificationError, InvalidHashError) as exc:
            account.failed_logins += 1
            refusal = str(exc) if isinstance(exc, VerificationError) and str(exc) in SECOND_FACTOR else WRONG
            if account.failed_logins >= MAX_FAILURES:
                account.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                account.failed_logins = 0
                record_event(session, subject_kind=store.SUBJECT, subject_id=account.id, action="user_locked",
                             actor=account.name, at=now,
                             after={"name": account.name, "failures": MAX_FAILURES, "locked_until": account.locked_until.isoformat()})
                refusal = (f"{WRONG}连续 {MAX_FAILURES} 次密码错误，账户已锁定 {LOCK_MINUTES} 分钟"
                           f"（至 {beijing(account.locked_until)}，北京时间）。")
            session.add(account)
        else:
            if account.disabled:
                raise LoginRefused(f"账户“{account.name}”已停用，不能登录。请联系单位管理员。")
            if step:  # this code is spent: the next login needs a later one (RFC 6238 section 5.2)
                account.totp_step = step
                session.add(account)
            if account.failed_logins or account.locked_until is not None:
                account.failed_logins = 0
                account.locked_until = None
                session.add(account)
            if ph.check_needs_rehash(account.password_hash):  # stronger parameters: the new hash is logged
                account.password_hash = ph.hash(password)
                session.add(account)
                record_event(session, subject_kind=store.SUBJECT, subject_id=account.id, action="user_rehash",
                             actor=account.name, at=now,
                             after={"name": account.name, "password": store.password_digest(account.password_hash)})
            return store.actor_of(catalogue(app.registry), account)
    raise LoginRefused(refusal)


NO_CODE = "请输入身份验证器上的 6 位验证码（本账户已开通双因素登录）。"
BAD_CODE = "验证码不对或已过期：请输入身份验证器上当前显示的 6 位验证码。"
NOT_ENROLLED = "本单位要求双因素登录，本账户尚未开通：请单位管理员用 gongkai user totp 账户名 为您开通后再登录。"
USED_CODE = "这个验证码已经用过（每个验证码只能用一次）：请等身份验证器显示新的验证码后再输入。"
SECOND_FACTOR = (NO_CODE, BAD_CODE, NOT_ENROLLED, USED_CODE)


def _second_factor(session: Any, app: Any, account: Any, code: str | None, now: dt.datetime) -> tuple[str, int]:
    """Why the second factor fails ("" when it holds or is not needed), and the time step of
    the code accepted (0: none): RFC 6238 codes, one 30-second step of clock drift either way,
    each good once: a code of the step last accepted, or an earlier one, is refused (section 5.2)."""
    import hmac

    import pyotp

    from gongkai.core.accounts import store

    if not account.totp_secret:
        return (NOT_ENROLLED if store.totp_required(session, app.unit.code) else ""), 0
    code = "".join((code or "").split())
    if not code:
        return NO_CODE, 0
    if not (code.isdigit() and len(code) == 6):
        return BAD_CODE, 0
    totp = pyotp.TOTP(account.totp_secret)
    steps = [totp.timecode(now + dt.timedelta(seconds=totp.interval * drift)) for drift in (-1, 0, 1)]
    matched = [step for step in steps if hmac.compare_digest(totp.generate_otp(step), code)]
    if not matched:
        return BAD_CODE, 0
    if max(matched) <= account.totp_step:
        return USED_CODE, 0
    return "", max(matched)


def refuse_unknown(password: str) -> None:
    """The answer to a name that is no account's: the same work as a real check, so timing
    does not reveal which names exist, and the same words as a wrong password."""
    from argon2.exceptions import VerificationError

    try:
        store_hasher().verify(_dummy_hash(), password)
    except VerificationError:
        pass
    raise LoginRefused(WRONG)


def store_hasher() -> Any:
    from gongkai.core.accounts.store import hasher

    return hasher()


def sign_in(server: Any, office_of: Any, name: str, password: str, client: str,
            now: dt.datetime | None = None, code: str | None = None) -> tuple[Actor, str, str]:
    """A login to the district's server: the account's actor, its unit's code and the new
    session's key; or :class:`LoginRefused`, the same for an unknown name as for a wrong
    password. Account names are unique on the server, so the name finds the unit;
    ``office_of(code)`` is the :class:`~gongkai.core.app.App` of a unit. Every attempt is in
    the login history; an address with too many recent failures is refused a while."""
    from sqlmodel import select

    from gongkai.core.accounts import sessions
    from gongkai.core.accounts.models import Account
    from gongkai.core.records.units import Unit

    name, second = name.strip(), code
    with server.district_session() as session:
        if sessions.client_blocked(session, client, now):
            sessions.record(session, "failed", name, "", client, "本地址失败次数过多，暂停受理", now)
            raise LoginRefused(f"本机所在地址近 {sessions.CLIENT_MINUTES} 分钟内登录失败次数过多，请稍后再试。")
        found = session.exec(select(Account.id, Unit.code).join(Unit, Unit.id == Account.unit_id)
                             .where(Account.name == name)).all() if name else []
    code = found[0][1] if len(found) == 1 else ""
    try:
        if not code:
            refuse_unknown(password)
        actor = authenticate(office_of(code), name, password, now, second)
    except LoginRefused as exc:
        with server.district_session() as session:
            sessions.record(session, "failed", name, code, client, str(exc), now)
        raise
    with server.district_session() as session:
        key = sessions.start(session, found[0][0], name, code, client, now)
        sessions.record(session, "login", name, code, client, "", now)
    return actor, code, key


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        from gongkai.core.accounts.store import hasher

        _DUMMY.append(hasher().hash("不存在的账户"))
    return _DUMMY[0]
