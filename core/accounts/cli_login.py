"""The command line's login: a short-lived login on the server proving which account runs the commands.

Once a unit has accounts, a command that signs or acts for an account must be authenticated
as it (``gongkai login NAME``): ``--by`` may only repeat the logged-in account. A login is a
row of ``web_session`` of kind ``cli``, as a browser's session is, and the token file the
interface keeps (mode 0600) holds only its random key, whose digest finds the row: logout, a
new password, new roles and a disabled account delete the row and so end the login at once,
wherever the file is. Every use checks the row: the account, the OS user, the unit, and that
the login began less than ``[accounts] cli_login_minutes`` ago. Logins and logouts are in the
login history (``login_event``) with the web's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.errors import GongkaiError

DEFAULT_MINUTES = 60
MAX_MINUTES = 24 * 60
SETTING = "cli_login_minutes"  # [accounts] in gongkai.toml
AGAIN = "请用 gongkai login 账户名 登录（密码在终端输入，或 --password-stdin）。"


def minutes(config: Any) -> int:
    """How long a login lasts: ``[accounts] cli_login_minutes`` (default 60, at most a day)."""
    section = config.raw.get("accounts", {}) if isinstance(config.raw.get("accounts", {}), dict) else {}
    value = section.get(SETTING, DEFAULT_MINUTES)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_MINUTES:
        raise GongkaiError(f"gongkai.toml 中 [accounts] {SETTING} 应为 1 至 {MAX_MINUTES} 的整数（分钟），请修改。")
    return value


def client(os_user: str) -> str:
    """What the login history shows as a command-line login's address."""
    return f"命令行：{os_user}"


def issue(session: Any, account: Any, unit_code: str, where: str, os_user: str, now: dt.datetime,
          lasting: int) -> dict[str, Any]:
    """A new login for ``account`` (its password just checked) in database and unit ``where``:
    the token for the file (its key, and for the person reading it whose and until when)."""
    from gongkai.core.accounts import sessions

    key = sessions.start(session, account.id, account.name, unit_code, client(os_user), now, kind=sessions.CLI)
    sessions.record(session, "login", account.name, unit_code, client(os_user), "命令行登录", now)
    return {"key": key, "account": account.name, "where": where, "os_user": os_user,
            "expires": (now + dt.timedelta(minutes=lasting)).isoformat()}


def end(session: Any, token: dict[str, Any] | None, unit_code: str, os_user: str, replaced: bool = False) -> bool:
    """End the login of ``token`` on the server (logout; ``replaced``: by a new login of the same
    OS user); whether there was one."""
    from gongkai.core.accounts import sessions

    key = token.get("key") if isinstance(token, dict) else None
    row = sessions.end(session, key, sessions.CLI) if isinstance(key, str) else None
    if row is None:
        return False
    if replaced:
        sessions.record(session, "ended", row.account_name, unit_code, client(os_user), "命令行重新登录，原登录结束")
    else:
        sessions.record(session, "logout", row.account_name, unit_code, client(os_user), "命令行退出登录")
    return True


def holder(session: Any, token: dict[str, Any] | None, where: str, unit_code: str, os_user: str,
           now: dt.datetime, lasting: int) -> str:
    """The account ``token`` proves, checked against its login on the server and the account as
    they are now; refused in Chinese (log in again) when there is none, it has expired or was
    ended (logout, a new password, new roles, the account disabled), or it was made for
    another OS user, database or unit."""
    from gongkai.core.accounts import sessions, store

    if not token:
        raise GongkaiError("本单位已启用账户：办理须以本人账户登录，当前未登录。" + AGAIN)
    key = token.get("key") if isinstance(token, dict) else None
    if not isinstance(key, str):
        raise GongkaiError("登录凭据无法识别，已失效。" + AGAIN)
    if token.get("where") != where or token.get("os_user") != os_user:
        raise GongkaiError("当前没有本单位的登录。" + AGAIN)
    row = sessions.find_cli(session, key, lasting, now)
    if row is None:
        raise GongkaiError("登录已失效（已过期、已退出，或账户的密码、角色已更改，或账户已停用）。" + AGAIN)
    if token.get("account") != row.account_name:  # a file edited to name another account
        raise GongkaiError("登录凭据与服务器上的登录不符，已失效。" + AGAIN)
    if row.unit_code != unit_code or row.client != client(os_user):
        raise GongkaiError("当前没有本单位的登录。" + AGAIN)
    account = store.find(session, row.account_name)
    if account is None or account.id != row.account_id:
        raise GongkaiError("登录已失效（账户不存在）。" + AGAIN)
    if account.disabled:
        raise GongkaiError(f"账户“{account.name}”已停用，不能办理。")
    return account.name
