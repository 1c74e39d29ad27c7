"""Accounts, roles and the one permission function; login throttling; `gongkai user ...`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gongkai.core.accounts import login, store
from gongkai.core.accounts.login import LoginRefused, authenticate
from gongkai.core.accounts.permissions import Actor, allowed, request_record
from gongkai.core.accounts.roles import HANDLER, UNIT_ADMIN, catalogue
from gongkai.core.app import App
from gongkai.core.law.plugins import load_registry

from requests_helpers import JURISDICTIONS, new_request

PASSWORD = "correct-horse-1"
CODE = re.compile(r"[a-z]+_[a-z_]+|[a-z]+\.[a-z_.:]+")  # an English identifier in a message


def add(gk, name, *roles, by=None, password=PASSWORD):
    args = ["user", "add", name, "--password-stdin"]
    for role in roles:
        args += ["--role", role]
    if by:
        args += ["--by", by]
    return gk("user", *args[1:], input=password + "\n")


def actor(unit_roles, *roles):
    return Actor("某人", "", frozenset(roles), unit_roles)


# ---------------------------------------------------------------- the permission matrix

@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_permission_matrix_every_role_by_every_action(jurisdiction):
    """Each role alone, against every action of the unit: allowed exactly where the action
    names the role (reading: any account); each refusal names the missing role in Chinese."""
    unit_roles = catalogue(load_registry(jurisdiction, ()))
    actions = unit_roles.actions
    assert actions, "a unit has actions"
    for code, action in actions.items():
        assert set(action.roles) <= set(unit_roles.roles), f"{code} needs a role the unit does not have"
    for role in unit_roles.roles.values():
        someone = actor(unit_roles, role.code)
        for code, action in actions.items():
            decision = allowed(someone, code)
            expected = action.roles == () or role.code in action.roles
            assert bool(decision) is expected, (jurisdiction, role.label, code, decision.reason)
            if not expected:
                assert any(unit_roles.label(r) in decision.reason for r in action.roles), decision.reason
                assert action.label in decision.reason
                assert not CODE.search(decision.reason), f"a code reached the message: {decision.reason}"
    for code in actions:  # nobody anonymous does anything, not even read
        refused = allowed(None, code)
        assert not refused and "登录" in refused.reason


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_review_step_is_an_action_signed_by_its_role(jurisdiction):
    from gongkai.hookspecs.records import ReviewChain

    registry = load_registry(jurisdiction, ())
    unit_roles = catalogue(registry)
    for step in registry.review_chain("request.review_chain").steps:
        action = unit_roles.actions[f"request.review:{step.id}"]
        assert [unit_roles.label(r) for r in action.roles] == [step.role.split("、")[0]]
    chains = registry.rules_of(ReviewChain)
    document_steps = {s.id for c in chains if c.workflow != "request" for s in c.steps}
    assert document_steps <= {a.step for a in unit_roles.actions.values() if a.code.startswith("document.")}


def test_the_roles_of_each_jurisdiction_and_the_fixed_actions():
    xixian = catalogue(load_registry("xixian", ()))
    assert {"承办人", "律师", "单位主要负责同志", "单位主要负责人", "保密审查员", "单位管理员", "区政务公开办"} <= {
        r.label for r in xixian.roles.values()}
    assert xixian.role("律师").code == "lawyer" and xixian.role("lawyer").label == "律师"
    admin = actor(xixian, UNIT_ADMIN)
    assert allowed(admin, "user.manage") and allowed(admin, "view")
    # the administrator manages accounts and assigns requests (分办) but signs no workflow step
    # (separation of duties)
    assert [c for c in xixian.actions if allowed(admin, c)] == ["request.assign", "user.manage", "unit.contact", "view"]
    handler = actor(xixian, HANDLER)
    assert allowed(handler, "request.register") and allowed(handler, "request.reply")
    refused = allowed(handler, "request.review:lawyer")
    assert not refused and "“律师”" in refused.reason and "律师审核" in refused.reason
    yanta = catalogue(load_registry("yanta", ()))  # 条例 第三十三条: the office head approves an extension
    assert allowed(actor(yanta, "disclosure_office_head"), "request.extend.approve")
    assert not allowed(actor(yanta, HANDLER), "request.extend.approve")
    assert "不存在" in pytest.raises(Exception, xixian.role, "厨师").value.args[0]
    assert not allowed(Actor("无角色", "", frozenset(), xixian), "view")


def test_nobody_signs_a_step_of_a_request_they_drafted(gk, unit):
    unit("xixian")
    rid = str(new_request(gk)["id"])
    gk.ok("request", "review", rid, "--step", "draft", "--by", "张三", "--decision", "approve", "--on", "2026-03-10",
          "--outcome", "disclosed")
    app = App()
    unit_roles = catalogue(app.registry)
    lawyer_and_drafter = Actor("张三", "", frozenset({"lawyer", HANDLER}), unit_roles)
    other_lawyer = Actor("李四", "", frozenset({"lawyer"}), unit_roles)
    with app.session() as session:
        from gongkai.core.requests.workflow import load

        record = request_record(session, app.registry, load(session, int(rid)))
    refused = allowed(lawyer_and_drafter, "request.review:lawyer", record)
    assert not refused and "不能审批自己经手" in refused.reason
    assert allowed(lawyer_and_drafter, "request.review:lawyer")  # the role alone would do
    assert allowed(other_lawyer, "request.review:lawyer", record)


# ---------------------------------------------------------------- gongkai user ...

def test_user_commands(gk, unit, backend):
    unit("xixian")
    assert "尚无账户" in gk.ok("user", "list").stdout
    assert add(gk, "admin", "单位管理员").exit_code == 0  # the first account: no administrator yet
    gk.ok("login", "admin", "--password-stdin", input=PASSWORD + "\n")  # from now on the administrator logs in
    made = add(gk, "zhang", "handler", "律师", by="admin")
    assert made.exit_code == 0 and "承办人、律师" in made.stdout
    listed = gk.json("user", "list")
    assert [(a["name"], a["roles"], a["disabled"]) for a in listed] == [
        ("admin", [UNIT_ADMIN], False), ("zhang", [HANDLER, "lawyer"], False)]
    assert "承办人、律师" in gk.ok("user", "list").stdout and "handler" not in gk.ok("user", "list").stdout

    # refusals: unknown role (listed), duplicate, short password, a manager who is not an administrator
    bad = gk.fails("user", "add", "li", "--role", "厨师", "--password-stdin", "--by", "admin")
    assert "厨师" in bad.stderr and "律师" in bad.stderr and "单位管理员" in bad.stderr
    assert "已存在" in add(gk, "zhang", "律师", by="admin").stderr
    assert "太短" in add(gk, "li", "律师", by="admin", password="short").stderr
    assert "不能以他人名义" in add(gk, "li", "律师", by="zhang").stderr  # admin is the one logged in
    gk.ok("login", "zhang", "--password-stdin", input=PASSWORD + "\n")
    assert "单位管理员" in add(gk, "li", "律师", by="zhang").stderr
    gk.ok("login", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert "不是本单位的账户" in add(gk, "li", "律师", by="nobody").stderr
    assert [a["name"] for a in gk.json("user", "list")] == ["admin", "zhang"]

    assert gk.fails("user", "disable", "admin", "--by", "admin").stderr.count("唯一") == 1
    gk.ok("user", "disable", "zhang", "--by", "admin")
    assert gk.json("user", "list")[1]["disabled"] is True
    assert "已经停用" in gk.fails("user", "disable", "zhang", "--by", "admin").stderr
    gk.ok("user", "enable", "zhang", "--by", "admin")
    gk.ok("user", "passwd", "zhang", "--password-stdin", "--by", "admin", input="another-pass-2\n")
    app = App()
    assert authenticate(app, "zhang", "another-pass-2").name == "zhang"
    gk.fails("user", "passwd", "nobody", "--password-stdin", "--by", "admin")

    events = [e for e in _events(app) if e.subject_kind == "account"]
    assert [e.action for e in events] == ["user_add", "user_add", "user_disable", "user_enable", "user_passwd"]
    assert events[1].actor == "admin"
    for e in events:  # never the password nor its hash
        text = (e.before or "") + (e.after or "")
        assert PASSWORD not in text and "another-pass" not in text and "argon2" not in text
    assert gk.json("audit", "verify")["ok"] is True


def test_user_add_asks_for_the_password_twice(gk, unit):
    unit("yanta")
    result = gk("user", "add", "wang", "--role", "承办人", input="pass-word-1\npass-word-1\n")
    assert result.exit_code == 0, result.output
    assert "pass-word-1" not in result.output
    assert authenticate(App(), "wang", "pass-word-1").roles == frozenset({HANDLER})
    mismatch = gk("user", "add", "zhao", "--role", "承办人", input="pass-word-1\nother-word-2\n" * 3)
    assert mismatch.exit_code != 0


def _events(app):
    from sqlmodel import select

    from gongkai.core.records.storage import Event

    with app.session() as session:
        return list(session.exec(select(Event).order_by(Event.seq)).all())


# ---------------------------------------------------------------- login

def test_five_failures_lock_the_account_for_fifteen_minutes(gk, unit, backend):
    unit("changning")
    add(gk, "chen", "承办人")
    app = App()
    now = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc)
    for i in range(login.MAX_FAILURES - 1):
        with pytest.raises(LoginRefused, match="账户名或密码错误"):
            authenticate(app, "chen", "wrong", now=now)
    assert authenticate(app, "chen", PASSWORD, now=now).name == "chen"  # a success resets the count
    for i in range(login.MAX_FAILURES):
        with pytest.raises(LoginRefused) as refused:
            authenticate(app, "chen", f"wrong{i}", now=now)
    assert "已锁定 15 分钟" in str(refused.value) and "09:15" in str(refused.value)  # Beijing time
    locked = [e for e in _events(app) if e.action == "user_locked"]
    assert len(locked) == 1 and locked[0].actor == "chen"
    # while locked even the right password is refused
    with pytest.raises(LoginRefused, match="锁定"):
        authenticate(app, "chen", PASSWORD, now=now + dt.timedelta(minutes=14))
    assert authenticate(app, "chen", PASSWORD, now=now + dt.timedelta(minutes=15, seconds=1)).name == "chen"
    with pytest.raises(LoginRefused, match="账户名或密码错误"):
        authenticate(app, "nobody", PASSWORD)
    gk.ok("user", "disable", "chen")
    with pytest.raises(LoginRefused, match="已停用"):
        authenticate(app, "chen", PASSWORD)
    assert store.load_actor(app, "chen") is None


def test_a_password_change_lifts_the_lock_and_old_hashes_are_renewed(gk, unit):
    from argon2 import PasswordHasher

    unit("wuyuan")
    add(gk, "zhou", "承办人")
    app = App()
    for i in range(login.MAX_FAILURES):
        with pytest.raises(LoginRefused):
            authenticate(app, "zhou", "wrong")
    gk.ok("user", "passwd", "zhou", "--password-stdin", input="new-password-9\n")
    assert authenticate(app, "zhou", "new-password-9").name == "zhou"
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("new-password-9")
    with app.session() as session:
        account = store.get(session, "zhou")
        account.password_hash = weak
        session.add(account)
    authenticate(app, "zhou", "new-password-9")
    with app.session() as session:
        assert store.get(session, "zhou").password_hash != weak
