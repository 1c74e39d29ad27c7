"""Issue 28: the password policy (NIST SP 800-63B), signing in to the district's server (names
unique on it, the same answer for an unknown name, failures throttled per address), the login
history, the session settings, staff changing their own password on the web, ids too large
for the database, and times shown in Beijing time."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import time

import pytest

from gongkai.core.accounts import sessions
from gongkai.core.accounts.login import WRONG, LoginRefused, sign_in
from gongkai.core.app import App
from gongkai.core.errors import GongkaiError
from requests_helpers import LoggedIn

PASSWORD = "correct-horse-1"


@pytest.fixture
def gk(gk):
    """Whoever a command names with --by logs in first, as the command line requires."""
    return LoggedIn(gk, PASSWORD)


def add(gk, name, *roles, by=None, password=PASSWORD, unit=None):
    args = [*(["--unit", unit] if unit else []), "user", "add", name, "--password-stdin"]
    for role in roles:
        args += ["--role", role]
    if by:
        args += ["--by", by]
    return gk(*args, input=password + "\n")


@pytest.fixture
def district(gk):
    """A district database with two units, 甲局 (fga) and 乙局 (fgb), each with an administrator
    and a 承办人."""
    gk.ok("init", "--jurisdiction", "xixian", "--district")
    for code, name in (("fga", "西咸新区甲局"), ("fgb", "西咸新区乙局")):
        gk.ok("unit", "add", code, "--name", name)
        assert add(gk, f"{code}.admin", "单位管理员", unit=code).exit_code == 0
        assert add(gk, f"{code}.lisi", "承办人", by=f"{code}.admin", unit=code).exit_code == 0
    return App()


def office_of(app):
    return lambda code: app.sibling(code)


# ---------------------------------------------------------------- the password policy


@pytest.mark.parametrize("password, why", [
    ("short-9", "至少 10 个字符"),
    ("1234567890", "常见密码"),
    ("QwertyUIOP", "常见密码"),  # compared as the list is: lower-cased
    ("zhangsan2026!", "账户名"),
    ("2026-zhangsan", "账户名"),
    ("测试单位政府办公室2026", "单位名称"),
])
def test_weak_passwords_are_refused_naming_why(gk, unit, password, why):
    unit("xixian")
    refused = gk("user", "add", "zhangsan", "--role", "单位管理员", "--password-stdin", input=password + "\n")
    assert refused.exit_code == 1 and why in refused.stderr, refused.stderr
    assert "Traceback" not in refused.output
    made = gk("user", "add", "zhangsan", "--role", "单位管理员", "--password-stdin", input="zhangsan-likes-tea\n")
    assert made.exit_code == 0, made.stderr  # the name within a longer password is fine
    gk.ok("login", "zhangsan", "--password-stdin", input="zhangsan-likes-tea\n")  # one's own password: logged in as oneself
    refused = gk("user", "passwd", "zhangsan", "--password-stdin", "--by", "zhangsan", input=password + "\n")
    assert refused.exit_code == 1 and why in refused.stderr, refused.stderr


def test_the_common_password_list_ships_with_its_licence():
    from pathlib import Path

    from gongkai.core.accounts import store

    folder = Path(store.__file__).parent / "data"
    assert len(store._common()) > 19000 and "password" in store._common()
    notes = (folder / "README.md").read_text(encoding="utf-8")
    assert "BSD" in notes and "Royce Williams" in notes


# ---------------------------------------------------------------- one server, names unique on it


def test_account_names_are_unique_on_the_server(gk, district):
    refused = add(gk, "fga.lisi", "承办人", by="fgb.admin", unit="fgb")
    assert refused.exit_code == 1 and "已被单位 fga 使用" in refused.stderr
    assert add(gk, "fgb.wang", "承办人", by="fgb.admin", unit="fgb").exit_code == 0


def test_signing_in_finds_the_accounts_unit_and_starts_a_session(district):
    actor, code, key = sign_in(district, office_of(district), "fgb.lisi", PASSWORD, "10.0.0.1")
    assert (actor.name, code) == ("fgb.lisi", "fgb")
    with district.district_session() as session:
        row = sessions.find(session, key, sessions.Settings())
        assert (row.account_name, row.unit_code, row.client) == ("fgb.lisi", "fgb", "10.0.0.1")
        assert key not in (row.key_digest, row.csrf)  # only the key's digest is stored


def test_an_unknown_name_is_answered_as_a_wrong_password_in_as_long(district):
    def attempt(name):
        started = time.perf_counter()
        with pytest.raises(LoginRefused) as refused:
            sign_in(district, office_of(district), name, "not-the-password", "10.0.0.2")
        return str(refused.value), time.perf_counter() - started

    attempt("fga.lisi")  # warm up: the dummy hash is made once
    attempt("nobody")
    known = [attempt("fga.lisi") for _ in range(3)]
    unknown = [attempt("nobody.at.all") for _ in range(3)]
    assert {m for m, _ in known} == {m for m, _ in unknown} == {WRONG}
    fast, slow = statistics.median(t for _, t in unknown), statistics.median(t for _, t in known)
    assert fast > slow * 0.5, (fast, slow)  # both verify one Argon2 hash


def test_failed_logins_are_throttled_per_address(district):
    for i in range(sessions.CLIENT_FAILURES):
        with pytest.raises(LoginRefused):
            sign_in(district, office_of(district), f"guess{i}", "wrong-password", "10.0.0.3")
    with pytest.raises(LoginRefused, match="地址.*失败次数过多"):  # even the right password, from there
        sign_in(district, office_of(district), "fga.lisi", PASSWORD, "10.0.0.3")
    actor, _, _ = sign_in(district, office_of(district), "fga.lisi", PASSWORD, "10.0.0.4")  # another address
    assert actor.name == "fga.lisi"


def test_the_login_history_is_the_units_and_shown_to_its_administrator(gk, district):
    sign_in(district, office_of(district), "fga.lisi", PASSWORD, "10.0.0.5")
    with pytest.raises(LoginRefused):
        sign_in(district, office_of(district), "fga.lisi", "wrong-password", "10.0.0.5")
    sign_in(district, office_of(district), "fgb.lisi", PASSWORD, "10.0.0.6")
    rows = [r for r in gk.json("--unit", "fga", "user", "logins", "--by", "fga.admin")
            if not r["client"].startswith("命令行")]  # the administrator's own command-line logins
    assert [(r["kind"], r["account"], r["client"]) for r in rows] == [
        ("failed", "fga.lisi", "10.0.0.5"), ("login", "fga.lisi", "10.0.0.5")]
    assert rows[0]["detail"] == WRONG and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[0]["at_beijing"])
    text = gk.ok("--unit", "fga", "user", "logins", "--by", "fga.admin").stdout
    assert "登录失败" in text and "北京时间" in text and "fgb.lisi" not in text
    refused = gk.fails("--unit", "fga", "user", "logins", "--by", "fga.lisi")  # the administrator's only
    assert "单位管理员" in refused.stderr


def test_the_session_settings_come_from_gongkai_toml(unit):
    from gongkai.core.law.config import load_config

    config = unit("xixian")
    config.write_text(config.read_text(encoding="utf-8") + "[web]\nidle_minutes = 5\nlifetime_hours = 8\n",
                      encoding="utf-8")
    assert sessions.settings(load_config(str(config))) == sessions.Settings(5, 8)
    config.write_text(config.read_text(encoding="utf-8").replace("idle_minutes = 5", "idle_minutes = 0"),
                      encoding="utf-8")
    with pytest.raises(GongkaiError, match="idle_minutes"):
        sessions.settings(load_config(str(config)))


# ---------------------------------------------------------------- the web application


def web_client(app, name=None, password=PASSWORD):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from starlette.testclient import TestClient

    from gongkai.core.web.app import create_app

    c = TestClient(create_app(app), follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    if name:
        r = c.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/todo"})
        assert r.status_code == 303 and r.headers["location"] == "/todo", r.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/todo").text).group(1)
    c.token = token
    return c


def test_staff_change_their_own_password_on_the_web(district):
    c = web_client(district, "fga.lisi")
    page = c.get("/account/password")
    assert page.status_code == 200 and "修改我的密码" in page.text
    for fields, why in (({"current": "wrong-password", "new": "a-new-long-one-7", "again": "a-new-long-one-7"}, "当前密码不对"),
                        ({"current": PASSWORD, "new": "a-new-long-one-7", "again": "another-one-7"}, "不一致"),
                        ({"current": PASSWORD, "new": "qwertyuiop", "again": "qwertyuiop"}, "常见密码")):
        r = c.post("/account/password", data={**fields, "csrf_token": c.token})
        assert r.status_code == 400 and why in r.text
    r = c.post("/account/password", data={"current": PASSWORD, "new": "a-new-long-one-7", "again": "a-new-long-one-7",
                                          "csrf_token": c.token})
    assert r.status_code == 303 and r.headers["location"] == "/login?changed=1"
    assert c.get("/todo").headers["location"].startswith("/login")  # this session ended too
    web_client(district, "fga.lisi", "a-new-long-one-7")
    with pytest.raises(LoginRefused):
        sign_in(district, office_of(district), "fga.lisi", PASSWORD, "10.0.0.7")


def test_the_login_history_page_is_the_administrators(district):
    admin = web_client(district, "fga.admin")
    page = admin.get("/account/logins")
    assert page.status_code == 200 and "fga.admin" in page.text and "北京时间" in page.text
    assert web_client(district, "fga.lisi").get("/account/logins").status_code == 403


def test_ids_too_large_for_the_database_are_not_found(district):
    c = web_client(district, "fga.lisi")
    for path in ("/requests/99999999999999999999999", "/requests/2147483648", "/documents/99999999999",
                 "/requests/99999999999999999999999/letter"):
        r = c.get(path)
        assert r.status_code == 404 and "没有这个页面或记录" in r.text, path
    r = c.post("/requests/99999999999999999999999/close", data={"csrf_token": c.token, "on": "2026-10-01"})
    assert r.status_code == 404


def test_times_people_read_are_beijing_time(gk, district):
    made = gk.json("--unit", "fga", "request", "new", "--applicant", "张三", "--applicant-type", "自然人",
                   "--channel", "当面提交", "--submitted", dt.date.today().isoformat(), "--subject", "预算",
                   "--by", "fga.lisi")
    shown = gk.json("--unit", "fga", "request", "show", str(made["id"]))
    event = shown["events"][0]
    stored = dt.datetime.fromisoformat(event["at"])
    assert event["at_beijing"] == (stored.astimezone(dt.timezone(dt.timedelta(hours=8)))).strftime("%Y-%m-%d %H:%M:%S")
    text = gk.ok("--unit", "fga", "request", "show", str(made["id"])).stdout
    assert "时间（北京时间）" in text and event["at_beijing"] in text
    page = web_client(district, "fga.lisi").get(f"/requests/{made['id']}").text
    assert "时间（北京时间）" in page and event["at_beijing"] in page
    assert json.dumps(event)  # the JSON keeps the stored UTC time for programs


def test_the_district_office_reads_every_unit_and_signs_in_none(gk, district):
    assert add(gk, "fga.qu", "区政务公开办", by="fga.admin", unit="fga").exit_code == 0
    made = gk.json("--unit", "fgb", "request", "new", "--applicant", "李四", "--applicant-type", "自然人",
                   "--channel", "当面提交", "--submitted", dt.date.today().isoformat(), "--subject", "乙局的补偿方案",
                   "--by", "fgb.lisi")
    c = web_client(district, "fga.qu")
    units = c.get("/units")
    assert units.status_code == 200 and "西咸新区乙局" in units.text
    assert c.get(f"/requests/{made['id']}").status_code == 404  # its own unit first
    r = c.post("/units/view", data={"code": "fgb", "csrf_token": c.token})
    assert r.status_code == 303
    ledger = c.get("/ledger").text
    assert "乙局的补偿方案" in ledger and "西咸新区乙局" in ledger
    page = c.get(f"/requests/{made['id']}")
    assert page.status_code == 200 and "乙局的补偿方案" in page.text
    before = gk.json("--unit", "fgb", "audit", "head")["head"]
    r = c.post(f"/requests/{made['id']}/close", data={"on": dt.date.today().isoformat(), "csrf_token": c.token})
    assert r.status_code == 403  # no role in 乙局: it signs nothing there
    assert gk.json("--unit", "fgb", "audit", "head")["head"] == before
    refused = c.post("/units/view", data={"code": "nosuch", "csrf_token": c.token})
    assert refused.status_code == 400 and "没有代码为" in refused.text
    c.post("/units/view", data={"code": "fga", "csrf_token": c.token})
    assert "乙局的补偿方案" not in c.get("/ledger").text
    other = web_client(district, "fgb.lisi")  # anyone else: no other unit
    assert other.get("/units").status_code == 403
    assert other.post("/units/view", data={"code": "fga", "csrf_token": other.token}).status_code == 403


def test_every_page_and_form_of_another_unit_is_refused_and_logged(gk, district):
    """甲局's 承办人 on one server, with 乙局's ids: every page with an id and every form posts
    to nothing (not found), 乙局's chain is untouched, and each page tried is in 甲局's history."""
    from gongkai.core.documents.workflow import register_document
    from gongkai.core.requests import intake
    from gongkai.core.web.request_views import ACTIONS

    fgb = district.sibling("fgb")
    with fgb.session() as session:
        req = intake.receive(session, fgb, applicant="张三", applicant_type="natural_person", channel="in_person",
                             submitted=dt.date.today(), confirmed=None, subject="乙局的预算", actor="fgb.lisi")
        doc = register_document(session, fgb.registry, fgb.calendar, title="乙局的通知", kind="其他",
                                attribute="主动公开", finalised=dt.date.today(), interpretation="解读材料")
        request_id, document_id = req.id, doc.id
    before = gk.json("--unit", "fgb", "audit", "head")["head"]
    c = web_client(district, "fga.lisi")
    pages = [f"/requests/{request_id}", f"/requests/{request_id}/letter", f"/requests/{request_id}/letter.docx",
             f"/documents/{document_id}", f"/documents/{document_id}/form.docx"]
    for path in pages:
        r = c.get(path)
        assert r.status_code == 404 and "乙局" not in r.text, path
    posts = [f"/requests/{request_id}/{name}" for name in [*ACTIONS, "review"]]
    posts += [f"/requests/{request_id}/reveal", f"/documents/{document_id}/review", f"/documents/{document_id}/cosign"]
    for path in posts:
        r = c.post(path, data={"csrf_token": c.token, "on": dt.date.today().isoformat(), "step": "lawyer",
                               "why": "x", "subject": "改写"})
        assert r.status_code in (303, 404), (path, r.status_code)
        if r.status_code == 303:  # the form's own page: not found either
            assert c.get(r.headers["location"]).status_code == 404, path
    assert gk.json("--unit", "fgb", "audit", "head")["head"] == before
    logged = {r["detail"] for r in gk.json("--unit", "fga", "user", "logins", "--by", "fga.admin", "--limit", "500")
              if r["kind"] == "refused" and r["account"] == "fga.lisi"}
    assert {f"404 GET {p}" for p in pages} <= logged
    assert f"404 POST /requests/{request_id}/reveal" in logged


# ---------------------------------------------------------------- the second factor (RFC 6238)


def test_a_second_factor_once_enrolled_and_when_the_unit_requires_it(gk, district):
    import pyotp

    enrolled = gk.json("--unit", "fga", "user", "totp", "fga.lisi", "--by", "fga.admin")
    assert enrolled["uri"].startswith("otpauth://totp/") and len(enrolled["secret"]) >= 16
    totp = pyotp.TOTP(enrolled["secret"])

    def attempt(name, code=None, password=PASSWORD):
        return sign_in(district, office_of(district), name, password, "10.0.1.1", None, code)

    with pytest.raises(LoginRefused, match="6 位验证码"):
        attempt("fga.lisi")
    with pytest.raises(LoginRefused, match="验证码不对"):
        attempt("fga.lisi", "000000" if totp.now() != "000000" else "111111")
    with pytest.raises(LoginRefused, match="账户名或密码错误"):  # a right code does not stand for the password
        attempt("fga.lisi", totp.now(), password="wrong-password")
    assert attempt("fga.lisi", totp.now())[0].name == "fga.lisi"
    assert attempt("fgb.lisi")[0].name == "fgb.lisi"  # not enrolled, not required: the password alone
    gk.ok("--unit", "fgb", "user", "require-totp", "--by", "fgb.admin")
    with pytest.raises(LoginRefused, match="要求双因素登录"):
        attempt("fgb.lisi")
    assert attempt("fga.admin")[0].name == "fga.admin"  # 甲局 does not require it
    gk.ok("--unit", "fgb", "user", "require-totp", "--off", "--by", "fgb.admin")
    assert attempt("fgb.lisi")[0].name == "fgb.lisi"
    assert gk.json("--unit", "fga", "audit", "verify")["ok"]  # the enrolment is logged, never the secret
    with district.district_session() as session:
        from sqlmodel import select

        from gongkai.core.records.storage import Event

        logged = [e.after for e in session.exec(select(Event).where(Event.action == "user_totp")).all()]
    assert logged and enrolled["secret"] not in "".join(logged)
    # on the web: the login form takes the code
    c = web_client(district)
    r = c.post("/login", data={"name": "fga.lisi", "password": PASSWORD, "csrf_token": c.token, "next": "/todo"})
    assert r.status_code == 401 and "6 位验证码" in r.text
    later = totp.at(time.time() + totp.interval)  # the code just used is spent: the next step's (clock drift)
    r = c.post("/login", data={"name": "fga.lisi", "password": PASSWORD, "code": later, "csrf_token": c.token,
                               "next": "/todo"})
    assert r.status_code == 303 and r.headers["location"] == "/todo"


def test_a_code_is_good_once(gk, district):
    """RFC 6238 section 5.2: a code accepted once, or one of an earlier time step, is refused, on
    the web and in the command line; the refusal says so in Chinese."""
    import pyotp

    secret = gk.json("--unit", "fga", "user", "totp", "fga.lisi", "--by", "fga.admin")["secret"]
    totp = pyotp.TOTP(secret)
    if time.time() % totp.interval > totp.interval - 10:  # not at a step's end: "earlier" must stay in the window
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
    now = time.time()
    code, earlier, later = totp.at(now), totp.at(now - totp.interval), totp.at(now + totp.interval)

    def attempt(code):
        return sign_in(district, office_of(district), "fga.lisi", PASSWORD, "10.0.1.2", None, code)

    assert attempt(code)[0].name == "fga.lisi"
    with pytest.raises(LoginRefused, match="已经用过"):
        attempt(code)  # replayed within its 30 seconds
    with pytest.raises(LoginRefused, match="已经用过"):
        attempt(earlier)  # the step before, still within the drift allowed
    c = web_client(district)
    r = c.post("/login", data={"name": "fga.lisi", "password": PASSWORD, "code": code, "csrf_token": c.token,
                               "next": "/todo"})
    assert r.status_code == 401 and "已经用过" in r.text
    assert c.post("/login", data={"name": "fga.lisi", "password": PASSWORD, "code": later, "csrf_token": c.token,
                                  "next": "/todo"}).status_code == 303
    # the command line: the same rule (the later code is spent now too)
    replayed = gk.gk("--unit", "fga", "login", "fga.lisi", "--password-stdin", "--code", later, input=PASSWORD + "\n")
    assert replayed.exit_code != 0 and "已经用过" in replayed.stderr
    failed = [r for r in gk.json("--unit", "fga", "user", "logins", "--by", "fga.admin")
              if r["kind"] == "failed" and r["account"] == "fga.lisi"]
    assert failed and "已经用过" in failed[0]["detail"] and failed[0]["client"].startswith("命令行")
