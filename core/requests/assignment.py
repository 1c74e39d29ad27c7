"""分办: a request's 承办人, the account that handles it (``Request.assignee``).

The unit's administrator or the head of its disclosure office assigns and reassigns, with a
reason; each is an ``assign`` event. A new request is unassigned until then, unless the unit's
``gongkai.toml`` sets a rule::

    [cases]
    assign_new_to = "zhangsan"     # every new request to this account (a 承办人)
    # assign_new_to = "登记人"     # to the 承办人 who registers it

The rule is the unit's own practice: no text of the 条例 says who in the office handles a request.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests.models import Request
from gongkai.core.requests.workflow import apply

SECTION = "cases"
ASSIGN_NEW_TO = "assign_new_to"
REGISTRAR = "登记人"  # assign_new_to: the account that registers the request
REASON_CHARS = 500


def rule(office: Any) -> str:
    """``[cases] assign_new_to`` of the unit's configuration ("": new requests stay unassigned)."""
    table = office.config.raw.get(SECTION, {})
    if not isinstance(table, dict):
        raise GongkaiError(f"配置文件中 {SECTION} 应为表（[{SECTION}]），请修改。")
    unknown = sorted(set(table) - {ASSIGN_NEW_TO})
    if unknown:
        raise GongkaiError(f"配置文件的 [{SECTION}] 中没有设置项 {'、'.join(unknown)}；可用：{ASSIGN_NEW_TO}"
                           f"（账户名，或“{REGISTRAR}”）。")
    value = table.get(ASSIGN_NEW_TO, "")
    if not isinstance(value, str):
        raise GongkaiError(f"配置文件的 [{SECTION}] {ASSIGN_NEW_TO} 应为账户名或“{REGISTRAR}”，不是 {value!r}。")
    return value.strip()


def handler_account(session: Session, registry: Any, name: str) -> Any:
    """The active account ``name`` holding the 承办人 role; refused in Chinese otherwise."""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import HANDLER, catalogue

    account = store.find(session, name) if name.strip() else None
    if account is None:
        raise GongkaiError(f"“{name}”不是本单位的账户，不能作为承办人。")
    if account.disabled:
        raise GongkaiError(f"账户“{account.name}”已停用，不能作为承办人。")
    if HANDLER not in account.role_codes:
        raise GongkaiError(f"账户“{account.name}”没有“{catalogue(registry).label(HANDLER)}”角色，不能作为承办人。")
    return account


def initial(session: Session, office: Any, registrar: str) -> str | None:
    """The 承办人 of a new request under the unit's rule (None: unassigned)."""
    from gongkai.core.accounts import store

    wanted = rule(office)
    if not wanted or not store.has_accounts(session):
        return None
    if wanted == REGISTRAR:
        account = store.find(session, registrar) if registrar else None
        from gongkai.core.accounts.roles import HANDLER

        return account.name if account is not None and HANDLER in account.role_codes else None
    return str(handler_account(session, office.registry, wanted).name)


def assign(session: Session, office: Any, request: Request, to: str, reason: str = "", actor: str = "") -> Request:
    """Give ``request`` to the 承办人 ``to`` (an ``assign`` event with the reason); the caller has
    checked that ``actor`` may assign (``request.assign``)."""
    from gongkai.core.records.limits import check_text

    account = handler_account(session, office.registry, to)
    reason = check_text((reason or "").strip(), REASON_CHARS, "分办理由")
    if request.assignee == account.name:
        raise StepRefused(f"申请 {request.id} 的承办人已是{title(account)}。")
    before = request.assignee
    request.assignee = account.name
    apply(session, request, "assign", actor, {"assignee": account.name, "reason": reason},
          to_state=request.state, before={"assignee": before})
    return request


def title(account: Any) -> str:
    """How a person is named to people: the name, with the login name if different."""
    if account.display_name and account.display_name != account.name:
        return f"{account.display_name}（{account.name}）"
    return str(account.name)


def names(session: Session, logins: set[str]) -> dict[str, str]:
    """login name -> how it is shown, for the accounts among ``logins`` (others: as given)."""
    from sqlmodel import select

    from gongkai.core.accounts.models import Account

    found = {a.name: title(a) for a in session.exec(select(Account).where(Account.name.in_(sorted(logins)))).all()} \
        if logins else {}
    return {n: found.get(n, n) for n in logins}


def handlers(session: Session) -> list[tuple[str, str]]:
    """(login name, name shown) of the active accounts holding the 承办人 role: whom a request may go to."""
    from sqlmodel import select

    from gongkai.core.accounts.models import Account
    from gongkai.core.accounts.roles import HANDLER

    return [(a.name, title(a)) for a in session.exec(select(Account).where(Account.disabled == False)  # noqa: E712
                                                     .order_by(Account.name)).all() if HANDLER in a.role_codes]
