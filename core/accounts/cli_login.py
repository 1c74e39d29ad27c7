"""The command line's login: a short-lived token proving which account runs the commands.

Once a unit has accounts, a command that signs or acts for an account must be authenticated
as it (``gongkai login NAME``): ``--by`` may only repeat the logged-in account. The token names
the account, the unit, the database, the OS user and when it expires, and carries an HMAC keyed
by the account's password hash: it cannot be made without the password having been checked (or
the database read behind gongkai's back), and a changed password ends it. A disabled account's
token is refused. The interface keeps the token in a file only its OS user may read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from gongkai.core.errors import GongkaiError

DEFAULT_MINUTES = 60
MAX_MINUTES = 24 * 60
SETTING = "cli_login_minutes"  # [accounts] in gongkai.toml


def minutes(config: Any) -> int:
    """How long a login lasts: ``[accounts] cli_login_minutes`` (default 60, at most a day)."""
    section = config.raw.get("accounts", {}) if isinstance(config.raw.get("accounts", {}), dict) else {}
    value = section.get(SETTING, DEFAULT_MINUTES)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_MINUTES:
        raise GongkaiError(f"gongkai.toml 中 [accounts] {SETTING} 应为 1 至 {MAX_MINUTES} 的整数（分钟），请修改。")
    return value


def _mac(account: Any, body: dict[str, Any]) -> str:
    key = hashlib.sha256(("gongkai.cli-login\0" + account.password_hash).encode()).digest()
    return hmac.new(key, json.dumps(body, sort_keys=True, ensure_ascii=False).encode(), hashlib.sha256).hexdigest()


def issue(account: Any, where: str, os_user: str, now: dt.datetime, lasting: int) -> dict[str, Any]:
    """A token for ``account`` (its password just checked) in database and unit ``where``."""
    body = {"account": account.name, "where": where, "os_user": os_user,
            "expires": (now + dt.timedelta(minutes=lasting)).isoformat()}
    return {**body, "mac": _mac(account, body)}


def holder(session: Any, token: dict[str, Any] | None, where: str, os_user: str, now: dt.datetime) -> str:
    """The account ``token`` proves, checked against the account as it is now; refused in
    Chinese (log in again) when there is none, it has expired, the password changed, the
    account is disabled, or it was made for another OS user, database or unit."""
    from gongkai.core.accounts import store

    again = "请用 gongkai login 账户名 登录（密码在终端输入，或 --password-stdin）。"
    if not token:
        raise GongkaiError("本单位已启用账户：办理须以本人账户登录，当前未登录。" + again)
    try:
        body = {k: token[k] for k in ("account", "where", "os_user", "expires")}
        expires = dt.datetime.fromisoformat(body["expires"])
        mac = str(token["mac"])
    except (KeyError, TypeError, ValueError):
        raise GongkaiError("登录凭据无法识别，已失效。" + again) from None
    if body["where"] != where or body["os_user"] != os_user:
        raise GongkaiError("当前没有本单位的登录。" + again)
    if expires <= now:
        raise GongkaiError("登录已过期。" + again)
    account = store.find(session, str(body["account"]))
    if account is None or not hmac.compare_digest(_mac(account, body), mac):
        raise GongkaiError("登录已失效（账户不存在或密码已更改）。" + again)
    if account.disabled:
        raise GongkaiError(f"账户“{account.name}”已停用，不能办理。")
    return account.name
