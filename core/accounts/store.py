"""Accounts as stored: add, list, disable, enable, change a password; every change an event.

Events carry the account's name, display name and roles, never the password or its hash.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session, select

from gongkai.core.accounts.models import Account
from gongkai.core.accounts.permissions import Actor
from gongkai.core.accounts.roles import UNIT_ADMIN, Catalogue
from gongkai.core.errors import GongkaiError
from gongkai.core.records.head_cache import HeadCache, chain_head
from gongkai.core.records.storage import record_event

SUBJECT = "account"  # subject_kind of account events
MIN_PASSWORD = 10  # NIST SP 800-63B 5.1.1.2 (a password chosen by its user: at least 8; 10 here)
COMMON = "data/common-passwords.txt.gz"  # see data/README.md: its source and licence


def hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


def _common() -> frozenset[str]:
    if not _COMMON:
        import gzip
        from pathlib import Path

        text = gzip.decompress((Path(__file__).parent / COMMON).read_bytes()).decode()
        _COMMON.append(frozenset(line.strip() for line in text.splitlines() if line.strip()))
    return _COMMON[0]


_COMMON: list[frozenset[str]] = []


def _is_only(password: str, word: str) -> bool:
    """``password`` is ``word`` with at most digits and punctuation around it ("lisi2026!")."""
    word = word.strip().casefold()
    if len(word) < 2 or word not in password:
        return False
    rest = password.replace(word, "")
    return not any(c.isalpha() for c in rest)


def check_password(password: str, account: str = "", context: tuple[str, ...] = ()) -> str:
    """A password as NIST SP 800-63B 5.1.1.2 asks: long enough, not a commonly used one, not the
    account's name or the unit's (``context``: its name and code)."""
    if len(password) < MIN_PASSWORD:
        raise GongkaiError(f"密码太短：至少 {MIN_PASSWORD} 个字符（可用一句好记的话，如“我家门口有两棵树2026”）。")
    if password != password.strip():
        raise GongkaiError("密码首尾不能有空格。")
    folded = password.casefold()
    if folded in _common():
        raise GongkaiError("这个密码是常见密码（在公开的常用密码表中），很容易被猜中。请换一个不常见的密码。")
    for word, what in ((account, "账户名"), *((c, "单位名称或代码") for c in context)):
        if word and _is_only(folded, word):
            raise GongkaiError(f"密码不能只是{what}（“{word}”）加上数字或符号。请换一个密码。")
    return password


def unit_words(session: Session) -> tuple[str, ...]:
    """The unit's name and code: words a password must not merely be."""
    from gongkai.core.records.scoping import unit_of
    from gongkai.core.records.units import Unit

    unit_id = unit_of(session)
    row = session.get(Unit, unit_id) if unit_id is not None else None
    return (row.name, row.code) if row is not None else ()


def name_taken(session: Session, name: str) -> str | None:
    """The code of the unit whose account is already called ``name`` anywhere on the server
    (account names are unique on a district's server: the login form asks for a name only)."""
    from gongkai.core.records.scoping import ALL_UNITS
    from gongkai.core.records.units import Unit

    found = session.exec(select(Unit.code).join(Account, Account.unit_id == Unit.id)
                         .where(Account.name == name.strip()).execution_options(**{ALL_UNITS: True})).first()
    return found


def check_name(name: str) -> str:
    text = name.strip()
    if not text or any(c.isspace() for c in text):
        raise GongkaiError(f"账户名“{name}”无效：不能为空，也不能含空格（如 zhangsan 或 张三）。")
    if len(text) > 100:
        raise GongkaiError("账户名太长：最多 100 个字符。")
    return text


def find(session: Session, name: str) -> Account | None:
    return session.exec(select(Account).where(Account.name == name.strip())).first()


def get(session: Session, name: str) -> Account:
    account = find(session, name)
    if account is None:
        raise GongkaiError(f"账户“{name}”不存在（gongkai user list 列出全部账户）。")
    return account


def has_accounts(session: Session) -> bool:
    """Whether the unit has any account (then every signer must be one)."""
    return session.exec(select(Account.id).limit(1)).first() is not None


def active_admins(session: Session) -> list[Account]:
    return [a for a in session.exec(select(Account).where(Account.disabled == False)).all()  # noqa: E712
            if UNIT_ADMIN in a.role_codes]


def actor_of(catalogue: Catalogue, account: Account) -> Actor:
    return Actor(account.name, account.display_name, frozenset(account.role_codes), catalogue)


# signed-in actors, reused while the unit's records are unchanged (every change to an account is
# an event): the web app asks on every request
_ACTORS = HeadCache(256)


def reader(actor: Actor, catalogue: Catalogue) -> Actor | None:
    """A 区政务公开办 account reading another unit: the same person, reading only (it may look
    at everything there and sign nothing); None for any other account."""
    from gongkai.core.accounts.roles import DISTRICT_OFFICE

    if DISTRICT_OFFICE not in actor.roles:
        return None
    return Actor(actor.name, actor.display_name, frozenset({DISTRICT_OFFICE}), catalogue, reading=True)


def load_actor(app: Any, name: str) -> Actor | None:
    """The actor of a logged-in session: None if the account is gone or disabled since."""
    from gongkai.core.accounts.roles import catalogue

    def lookup() -> Actor | None:
        account = find(session, name)
        if account is None or account.disabled:
            return None
        return actor_of(catalogue(app.registry), account)

    with app.session() as session:
        return _ACTORS.get(chain_head(session), (name, id(app.registry)), lookup)


def password_digest(password_hash: str) -> str:
    """What the log records of a password: a digest of its stored hash, so that ``audit verify``
    finds a hash replaced behind the application's back, while the log never holds the hash."""
    import hashlib

    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def _facts(catalogue: Catalogue, account: Account) -> dict[str, Any]:
    return {"name": account.name, "display_name": account.display_name, "roles": account.role_codes,
            "role_names": [catalogue.label(r) for r in account.role_codes], "disabled": account.disabled,
            "email": account.email}


def resolve_roles(catalogue: Catalogue, roles: list[str]) -> list[str]:
    if not roles:
        raise GongkaiError(f"请用 --role 至少指定一个角色。本单位可用的角色：{catalogue.listing()}。")
    return list(dict.fromkeys(catalogue.role(r).code for r in roles))


def add_account(session: Session, catalogue: Catalogue, name: str, password: str, roles: list[str],
                display_name: str = "", actor: str = "") -> Account:
    name = check_name(name)
    codes = resolve_roles(catalogue, roles)
    check_password(password, name, unit_words(session))
    if find(session, name) is not None:
        raise GongkaiError(f"账户“{name}”已存在。修改密码请用 gongkai user passwd {name}。")
    other = name_taken(session, name)
    if other is not None:
        raise GongkaiError(f"账户名“{name}”已被单位 {other} 使用：同一服务器上的账户名不能重复（登录时只填账户名）。"
                           f"请加上本单位的代码作前缀，如 gongkai user add 单位代码.{name}。")
    account = Account(name=name, display_name=display_name.strip(), roles=json.dumps(codes),
                      password_hash=hasher().hash(password), created_at=dt.datetime.now(dt.timezone.utc))
    session.add(account)
    session.flush()
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_add", actor=actor,
                 after={**_facts(catalogue, account), "password": password_digest(account.password_hash)})
    return account


def set_disabled(session: Session, catalogue: Catalogue, name: str, disabled: bool, actor: str = "") -> Account:
    account = get(session, name)
    if account.disabled == disabled:
        raise GongkaiError(f"账户“{account.name}”已经{'停用' if disabled else '启用'}。")
    if disabled and UNIT_ADMIN in account.role_codes and [a.id for a in active_admins(session)] == [account.id]:
        raise GongkaiError(f"“{account.name}”是唯一在用的单位管理员，停用后无人能管理账户。请先为另一账户添加单位管理员角色。")
    before = _facts(catalogue, account)
    account.disabled = disabled
    session.add(account)
    session.flush()
    end_all(session, account.id)
    record_event(session, subject_kind=SUBJECT, subject_id=account.id,
                 action="user_disable" if disabled else "user_enable", actor=actor,
                 before=before, after=_facts(catalogue, account))
    return account


def set_password(session: Session, name: str, password: str, actor: str = "") -> Account:
    """A new password; it also lifts a lock (the administrator's way to unlock an account)."""
    account = get(session, name)
    check_password(password, account.name, unit_words(session))
    account.password_hash = hasher().hash(password)
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    session.flush()
    end_all(session, account.id)  # a stolen session ends with the password it was opened with
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_passwd", actor=actor,
                 after={"name": account.name, "password": password_digest(account.password_hash)})
    return account


def set_roles(session: Session, catalogue: Catalogue, name: str, roles: list[str], actor: str = "") -> Account:
    """New roles for the account; its sessions end (the next page is signed in with the new roles)."""
    account = get(session, name)
    codes = resolve_roles(catalogue, roles)
    if (UNIT_ADMIN in account.role_codes and UNIT_ADMIN not in codes
            and [a.id for a in active_admins(session)] == [account.id]):
        raise GongkaiError(f"“{account.name}”是唯一在用的单位管理员，去掉该角色后无人能管理账户。请先为另一账户添加单位管理员角色。")
    before = _facts(catalogue, account)
    account.roles = json.dumps(codes)
    session.add(account)
    session.flush()
    end_all(session, account.id)
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_roles", actor=actor,
                 before=before, after=_facts(catalogue, account))
    return account


def set_email(session: Session, name: str, address: str, actor: str = "") -> Account:
    """The address the account's reminders go to ("" none); logged like every change of an account."""
    account = get(session, name)
    address = check_email(address)
    account.email = address
    session.add(account)
    session.flush()
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_email", actor=actor,
                 after={"name": account.name, "email": address})
    return account


def check_email(address: str) -> str:
    """An email address as stored: trimmed, one ``@`` with text both sides, no spaces ("" none)."""
    address = (address or "").strip()
    if not address:
        return ""
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() or c in "<>,;\"\\" for c in address) \
            or len(address) > 300:
        raise GongkaiError(f"电子邮箱“{address[:60]}”格式不正确，应如 zhangsan@example.gov.cn。")
    return address


TOTP_REQUIRED = "accounts.totp_required:"  # + the unit's code: a setting, "1" when the unit requires it


def enrol_totp(session: Session, name: str, actor: str = "") -> tuple[Account, str]:
    """A new second factor for the account (RFC 6238): its secret, to be entered once in the
    person's authenticator app. A new one replaces the old; its sessions end."""
    import pyotp

    account = get(session, name)
    account.totp_secret = pyotp.random_base32()
    session.add(account)
    session.flush()
    end_all(session, account.id)
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_totp", actor=actor,
                 after={"name": account.name, "totp": password_digest(account.totp_secret)})
    return account, account.totp_secret


def totp_uri(account: Account, issuer: str) -> str:
    """What an authenticator app scans (``otpauth://totp/…``)."""
    import pyotp

    return pyotp.TOTP(account.totp_secret).provisioning_uri(name=account.name, issuer_name=issuer[:60] or "gongkai")


def totp_required(session: Session, unit_code: str) -> bool:
    from gongkai.core.records.storage import get_setting

    return get_setting(session, TOTP_REQUIRED + unit_code) == "1"


def require_totp(session: Session, unit_code: str, required: bool, actor: str = "") -> None:
    """The unit requires the second factor of every account (等保 2.0 level 3, GB/T 22239-2019
    8.1.4.1: two authentication techniques), or no longer; logged in the unit's chain."""
    from gongkai.core.records.storage import set_setting

    set_setting(session, TOTP_REQUIRED + unit_code, "1" if required else "0")
    record_event(session, subject_kind="unit_policy", subject_id=None, action="totp_required", actor=actor,
                 after={"unit": unit_code, "required": required})


def change_own_password(session: Session, name: str, current: str, new: str) -> Account:
    """Staff change their own password: the current one proves who asks."""
    from argon2.exceptions import InvalidHashError, VerificationError

    account = get(session, name)
    try:
        hasher().verify(account.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise GongkaiError("当前密码不对，密码未修改。") from None
    if new == current:
        raise GongkaiError("新密码与当前密码相同，请换一个。")
    return set_password(session, name, new, actor=account.name)


def end_all(session: Session, account_id: int | None) -> int:
    from gongkai.core.accounts import sessions

    return sessions.end_all(session, account_id)


def list_accounts(session: Session, catalogue: Catalogue, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or dt.datetime.now(dt.timezone.utc)
    return [describe(catalogue, account, now) for account in session.exec(select(Account).order_by(Account.name)).all()]


def describe(catalogue: Catalogue, account: Account, now: dt.datetime | None = None) -> dict[str, Any]:
    """One account as ``user list`` shows it (its lock only while it lasts)."""
    from gongkai.core.records.storage import utc

    now = now or dt.datetime.now(dt.timezone.utc)
    locked = account.locked_until is not None and utc(account.locked_until) > now
    return {**_facts(catalogue, account), "locked_until": utc(account.locked_until).isoformat() if locked else None,
            "created_at": utc(account.created_at).isoformat()}
