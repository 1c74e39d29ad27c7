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
MIN_PASSWORD = 8


def hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise GongkaiError(f"密码太短：至少 {MIN_PASSWORD} 个字符。")
    if password != password.strip():
        raise GongkaiError("密码首尾不能有空格。")
    return password


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
            "role_names": [catalogue.label(r) for r in account.role_codes], "disabled": account.disabled}


def resolve_roles(catalogue: Catalogue, roles: list[str]) -> list[str]:
    if not roles:
        raise GongkaiError(f"请用 --role 至少指定一个角色。本单位可用的角色：{catalogue.listing()}。")
    return list(dict.fromkeys(catalogue.role(r).code for r in roles))


def add_account(session: Session, catalogue: Catalogue, name: str, password: str, roles: list[str],
                display_name: str = "", actor: str = "") -> Account:
    name = check_name(name)
    codes = resolve_roles(catalogue, roles)
    check_password(password)
    if find(session, name) is not None:
        raise GongkaiError(f"账户“{name}”已存在。修改密码请用 gongkai user passwd {name}。")
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
    record_event(session, subject_kind=SUBJECT, subject_id=account.id,
                 action="user_disable" if disabled else "user_enable", actor=actor,
                 before=before, after=_facts(catalogue, account))
    return account


def set_password(session: Session, name: str, password: str, actor: str = "") -> Account:
    """A new password; it also lifts a lock (the administrator's way to unlock an account)."""
    account = get(session, name)
    check_password(password)
    account.password_hash = hasher().hash(password)
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    session.flush()
    record_event(session, subject_kind=SUBJECT, subject_id=account.id, action="user_passwd", actor=actor,
                 after={"name": account.name, "password": password_digest(account.password_hash)})
    return account


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
