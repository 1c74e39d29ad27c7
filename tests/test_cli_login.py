"""Nobody signs for anyone else in the CLI: once a unit has accounts, a command acting for an
account must be logged in as it (``gongkai login``), and ``--by`` may only repeat that account."""

from __future__ import annotations

import json
import os
import stat

from gongkai.core.app import App
from gongkai.core.cli.common import login_file

from requests_helpers import new_request
from test_accounts import PASSWORD, _events, add


def login(gk, name, password=PASSWORD):
    return gk("login", name, "--password-stdin", input=password + "\n")


def setup_accounts(gk):
    assert add(gk, "admin", "单位管理员").exit_code == 0  # the first account: setting the unit up
    # now the unit has an administrator: managing accounts needs that administrator logged in
    refused = add(gk, "clerk", "承办人", by="admin")
    assert refused.exit_code != 0 and "gongkai login" in refused.stderr
    assert login(gk, "admin").exit_code == 0
    for name, role in (("clerk", "承办人"), ("lawyer", "律师"), ("head", "单位主要负责同志")):
        assert add(gk, name, role, by="admin").exit_code == 0


def test_by_may_only_repeat_the_logged_in_account(gk, unit):
    unit("xixian")
    setup_accounts(gk)
    assert gk("logout").exit_code == 0
    args = ["request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel", "in_person",
            "--submitted", "2026-03-02", "--subject", "某事"]
    not_in = gk.fails(*args, "--by", "clerk", code=1)
    assert "未登录" in not_in.stderr and "gongkai login" in not_in.stderr
    assert "密码错误" in login(gk, "clerk", "wrong-password-1").stderr
    assert login(gk, "clerk").exit_code == 0
    path = login_file(App())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # a clerk names the head: refused, whoever the head is
    other = gk.fails(*args, "--by", "head", code=1)
    assert "不能以他人名义办理" in other.stderr and "clerk" in other.stderr
    rid = str(gk.json(*args, "--by", "clerk")["id"])
    gk.json(*args)  # no --by: the logged-in account
    # the head's approval of an extension is the head's own, logged in
    approve = gk.fails("request", "extend", rid, "--days", "20", "--on", "2026-03-11", "--approved-by", "head",
                       code=1)
    assert "不能以他人名义办理" in approve.stderr
    events = [e for e in _events(App()) if e.subject_kind == "request"]
    assert {e.actor for e in events} == {"clerk"}
    assert all(json.loads(e.after)["os_user"] for e in events)  # the OS user who ran it, too
    # a token edited to name another account proves nothing
    token = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**token, "account": "head"}), encoding="utf-8")
    assert "已失效" in gk.fails(*args, code=1).stderr
    assert login(gk, "clerk").exit_code == 0
    assert gk("logout").exit_code == 0
    assert not path.exists()
    assert "未登录" in gk.fails(*args, code=1).stderr


def test_a_password_change_ends_the_login(gk, unit):
    unit("xixian")
    setup_accounts(gk)
    assert login(gk, "clerk").exit_code == 0
    gk.ok("request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", "某事")
    # one's own password: only logged in as oneself (naming oneself with --by proves nothing)
    assert login(gk, "lawyer").exit_code == 0
    own = gk("user", "passwd", "clerk", "--password-stdin", "--by", "clerk", input="stolen-horse-22\n")
    assert own.exit_code == 1 and "不能以他人名义办理" in own.stderr
    gk.ok("logout")
    own = gk("user", "passwd", "clerk", "--password-stdin", "--by", "clerk", input="stolen-horse-22\n")
    assert own.exit_code == 1 and "未登录" in own.stderr
    assert login(gk, "clerk", "stolen-horse-22").exit_code != 0
    assert login(gk, "admin").exit_code == 0
    gk.ok("user", "passwd", "clerk", "--password-stdin", "--by", "admin", input="another-horse-2\n")
    assert login(gk, "clerk").exit_code != 0  # the old password
    assert login(gk, "clerk", "another-horse-2").exit_code == 0


def test_login_reads_a_bounded_password_and_needs_accounts(gk, unit):
    unit("xixian")
    assert "尚未启用账户" in login(gk, "anyone").stderr
    new_request(gk, extra=["--by", "任何人"])  # a one-person unit: as before, no login
    setup_accounts(gk)
    huge = gk("login", "clerk", "--password-stdin", input="x" * 100_000)
    assert huge.exit_code != 0 and "1024" in huge.stderr


def test_a_login_expires_and_its_lifetime_is_a_setting(gk, unit):
    import datetime as dt

    from gongkai.core.accounts import cli_login, store
    from gongkai.core.cli.common import login_where, os_user, write_login

    config = unit("xixian")
    setup_accounts(gk)
    app = App()
    with app.session() as session:  # a login made two hours ago, for an hour
        an_hour = cli_login.issue(session, store.get(session, "clerk"), app.unit.code, login_where(app), os_user(),
                                  dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2), 60)
    write_login(app, an_hour)
    expired = gk.fails("request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel",
                       "in_person", "--submitted", "2026-03-02", "--subject", "某事", code=1)
    assert "已过期" in expired.stderr
    with config.open("a", encoding="utf-8") as f:
        f.write("\n[accounts]\ncli_login_minutes = 0\n")
    assert "cli_login_minutes" in login(gk, "clerk").stderr


def test_a_login_is_kept_on_the_server_and_ends_with_the_account_changes(gk, unit):
    """The token file holds only a key: logout ends the login on the server (a copy of the file
    proves nothing afterwards), and so do new roles, a new password and disabling the account."""
    from gongkai.core.accounts.models import WebSession
    from sqlmodel import select

    unit("xixian")
    setup_accounts(gk)
    args = ["request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel", "in_person",
            "--submitted", "2026-03-02", "--subject", "某事"]
    assert login(gk, "clerk").exit_code == 0
    path = login_file(App())
    token = json.loads(path.read_text(encoding="utf-8"))
    assert set(token) == {"key", "account", "where", "os_user", "expires"} and len(token["key"]) >= 40
    with App().session() as session:  # the server keeps the key's digest, never the key
        rows = session.exec(select(WebSession).where(WebSession.kind == "cli")).all()
        assert [r.account_name for r in rows] == ["clerk"] and token["key"] not in rows[0].key_digest
    copy = path.read_text(encoding="utf-8")
    gk.ok(*args)
    assert gk("logout").exit_code == 0
    path.write_text(copy, encoding="utf-8")  # the file, copied before logout
    assert "登录已失效" in gk.fails(*args, code=1).stderr

    def ended_by(*change):
        assert login(gk, "clerk").exit_code == 0
        kept = path.read_text(encoding="utf-8")
        assert login(gk, "admin").exit_code == 0
        gk.ok(*change, "--by", "admin", input="another-horse-2\n")
        path.write_text(kept, encoding="utf-8")  # clerk's login, as clerk's terminal still has it
        return gk.fails(*args, code=1).stderr

    assert "登录已失效" in ended_by("user", "roles", "clerk", "--role", "承办人", "--role", "律师")
    assert "登录已失效" in ended_by("user", "disable", "clerk")
    assert login(gk, "admin").exit_code == 0
    gk.ok("user", "enable", "clerk", "--by", "admin")
    assert "登录已失效" in ended_by("user", "passwd", "clerk", "--password-stdin")
    # the login history shows the command line's logins and logouts, with the OS user
    assert login(gk, "admin").exit_code == 0
    history = gk.json("user", "logins", "--by", "admin")
    clerk = [(r["kind"], r["detail"]) for r in history if r["account"] == "clerk"]
    assert ("login", "命令行登录") in clerk and ("logout", "命令行退出登录") in clerk
    assert all(r["client"].startswith("命令行：") for r in history if r["account"] == "clerk")
