"""Signers bound to accounts: what the CLI's ``--by`` (and ``--approved-by``, ``--head``) mean.

A unit with no accounts keeps free-text signers. Once it has accounts, a signer must be an
active account allowed the step (:func:`permissions.allowed`), and the account's name is
what the event log records.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.accounts.permissions import Record, require
from gongkai.core.errors import GongkaiError


def signer(session: Any, registry: Any, name: str, action: str, record: Record | None = None, *,
           flag: str = "--by", free: str | None = None) -> str:
    """The name to record for ``name`` taking ``action`` (on ``record``); refused in Chinese if
    the unit has accounts and ``name`` is not an active one allowed the action. Without
    accounts, ``free`` (default ``name``) is recorded as before."""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    if not store.has_accounts(session):
        return name if free is None else free
    if not name.strip():
        raise GongkaiError(f"本单位已启用账户：请用 {flag} 填写办理人的账户名（gongkai user list 列出全部账户）。")
    account = store.find(session, name)
    if account is None:
        raise GongkaiError(f"{flag}“{name}”不是本单位的账户。本单位已启用账户，{flag} 须填写账户名（gongkai user list 列出全部账户）。")
    if account.disabled:
        raise GongkaiError(f"{flag}“{name}”的账户已停用，不能办理。")
    unit = catalogue(registry)
    if action in unit.actions:
        require(store.actor_of(unit, account), action, record)
    return account.name
