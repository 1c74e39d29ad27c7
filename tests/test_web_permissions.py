"""Every page and every action of the web app, for every role, over HTTP (Starlette's test client).

The answer must be the one permission function's (:func:`gongkai.core.accounts.permissions.allowed`):
a refused action is the 403 page naming what is missing and changes nothing; an allowed one
gets past the check (here it then stops at the empty form, so nothing changes either).
"""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from web_support import PASSWORD, STAFF, make_unit, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

PAGES = ["/todo", "/ledger", "/ledger.xlsx", "/rules", "/calendar", "/documents", "/documents/1",
         "/documents/1/form.docx", "/report", "/assess", "/requests/1", "/requests/new"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    """One unit per backend for the module: SQLite beside gongkai.toml, or a fresh PostgreSQL database."""
    import datetime as dt

    mp, url = unit_environment(request, calendar_cache)
    office = App(str(make_unit(tmp_path_factory.mktemp("web-permissions"), database_url=url)), database_url=url)
    from gongkai.core.requests import intake

    from gongkai.core.documents.workflow import register_document

    with office.session() as session:
        intake.receive(session, office, applicant="张三", applicant_type="natural_person", channel="in_person",
                       submitted=dt.date(2026, 9, 24), confirmed=None, subject="道路维修预算", actor="clerk")
        register_document(session, office.registry, office.calendar, title="关于道路维修的通知", kind="其他",
                          attribute="主动公开", finalised=dt.date(2026, 9, 24), interpretation="解读材料")
    yield office
    mp.undo()


@pytest.fixture(scope="module")
def web(office):
    from gongkai.core.web.app import create_app

    return create_app(office)


client = signed_in


@pytest.fixture(scope="module")
def clients(web):
    return {name: client(web, name) for name in STAFF}


def actions(office):
    from gongkai.core.requests.review import chain
    from gongkai.core.web.request_views import ACTIONS

    out = [(f"/requests/1/{a.name}", a.permission) for a in ACTIONS.values()]
    out += [(f"/requests/1/review?step={s.id}", f"request.review:{s.id}") for s in chain(office.registry).steps]
    from gongkai.core.documents.workflow import document_json, get_document

    with office.session() as session:
        steps = document_json(session, office.registry, office.calendar, get_document(session, 1))["review_steps"]
    out += [(f"/documents/1/review?step={s['id']}", f"document.review:{s['id']}") for s in steps]
    return out + [("/requests/1/reveal", "request.reveal"), ("/requests", "request.register")]


def state(office):
    from gongkai.core.records.storage import Event

    with office.session() as session:
        from sqlmodel import func, select

        return session.exec(select(func.count()).select_from(Event).where(Event.action != "reveal")).one()


def test_anonymous_gets_the_login_page_everywhere(web, office):
    c = client(web)
    for path in PAGES:
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    for path, _ in actions(office):
        r = c.post(path.partition("?")[0], data={"csrf_token": c.token})
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    assert c.get("/healthz").status_code == 200


def test_every_role_reads_every_page(clients):
    for name, c in clients.items():
        for path in PAGES:
            r = c.get(path)
            if path == "/requests/new" and name != "clerk" and "clerk" not in name:
                assert r.status_code == 403 and "承办人" in r.text, (name, path)
            else:
                assert r.status_code == 200, (name, path, r.text[-500:])


def test_every_role_times_every_action_matches_allowed(office, clients):
    from gongkai.core.accounts.permissions import allowed, document_record, request_record
    from gongkai.core.accounts.store import load_actor
    from gongkai.core.documents.workflow import get_document
    from gongkai.core.requests import workflow

    before = state(office)
    checked = 0
    for name, c in clients.items():
        actor = load_actor(office, name)
        with office.session() as session:
            records = {"requests": request_record(session, office.registry, workflow.load(session, 1)),
                       "documents": document_record(session, office.registry, get_document(session, 1))}
        for path, permission in actions(office):
            record = records["documents" if path.startswith("/documents") else "requests"]
            url, _, query = path.partition("?")
            data = {"csrf_token": c.token, **dict([query.split("=")] if query else [])}
            r = c.post(url, data=data)
            decision = allowed(actor, permission, record)
            if decision:
                assert r.status_code != 403, (name, permission, r.text[-800:])
            else:
                assert r.status_code == 403, (name, permission, r.status_code)
                assert "无权办理" in r.text and decision.reason in r.text.replace("&#34;", '"')
            checked += 1
    assert checked == len(STAFF) * len(actions(office))
    assert state(office) == before  # nothing refused (or stopped at the empty form) changed a record


def test_a_form_without_its_csrf_token_is_refused(clients, office):
    before = state(office)
    r = clients["clerk"].post("/requests/1/close", data={"on": "2026-10-01"})
    assert r.status_code == 403 and "安全校验码" in r.text
    r = clients["clerk"].post("/requests/1/close", data={"on": "2026-10-01", "csrf_token": "forged"})
    assert r.status_code == 403
    assert state(office) == before


def test_session_cookie_and_security_headers(web):
    from starlette.testclient import TestClient

    c = TestClient(web, follow_redirects=False)
    r = c.get("/login")
    cookie = r.headers["set-cookie"]  # before sign-in: only the login form's CSRF token
    assert cookie.startswith("gongkai_csrf=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"]
    assert "<script>" not in r.text  # no inline script anywhere
    token = c.cookies["gongkai_csrf"]
    r = c.post("/login", data={"name": "clerk", "password": PASSWORD, "csrf_token": token, "next": "/todo"})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("gongkai_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    key = c.cookies["gongkai_session"]
    assert "clerk" not in key and len(key) >= 40  # a random key: the account is in the database, not the cookie

    secure = TestClient(web, base_url="https://gongkai.example").get("/login")
    assert "Secure" in secure.headers["set-cookie"]


def web_sessions(office, name):
    """The rows of ``name``'s sessions (in the district's database)."""
    from sqlmodel import select

    from gongkai.core.accounts.models import WebSession

    with office.district_session() as session:
        return session.exec(select(WebSession).where(WebSession.account_name == name)).all()


def live(office, c):
    """Whether the session of the client ``c`` still has its row."""
    import hashlib

    from sqlmodel import select

    from gongkai.core.accounts.models import WebSession

    digest = hashlib.sha256(c.cookies["gongkai_session"].encode()).hexdigest()
    with office.district_session() as session:
        return session.exec(select(WebSession).where(WebSession.key_digest == digest)).first() is not None


def age_session(office, c, *, idle=None, lifetime=None):
    """Make the session of the client ``c`` look last used ``idle`` ago, or opened ``lifetime`` ago."""
    import datetime as dt
    import hashlib

    from sqlalchemy import update

    from gongkai.core.accounts.models import WebSession

    now = dt.datetime.now(dt.timezone.utc)
    values = {}
    if idle is not None:
        values["last_seen_at"] = now - idle
    if lifetime is not None:
        values["created_at"] = now - lifetime
        values["last_seen_at"] = now
    digest = hashlib.sha256(c.cookies["gongkai_session"].encode()).hexdigest()
    with office.district_session() as session:
        session.execute(update(WebSession).where(WebSession.key_digest == digest).values(**values))


def test_idle_session_times_out(office, web):
    import datetime as dt

    from gongkai.core.accounts.sessions import IDLE_MINUTES

    c = client(web, "officehead")
    age_session(office, c, idle=dt.timedelta(minutes=IDLE_MINUTES - 1))
    assert c.get("/todo").status_code == 200
    age_session(office, c, idle=dt.timedelta(minutes=IDLE_MINUTES, seconds=5))
    stale = c.cookies["gongkai_session"]
    r = c.get("/todo")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/todo&expired=1"
    assert "登录已超时" in c.get(r.headers["location"]).text
    c.cookies["gongkai_session"] = stale
    assert not live(office, c)


def test_a_session_ends_after_its_lifetime_however_busy(office, web):
    import datetime as dt

    from gongkai.core.accounts.sessions import LIFETIME_HOURS

    c = client(web, "filing")
    age_session(office, c, lifetime=dt.timedelta(hours=LIFETIME_HOURS) - dt.timedelta(minutes=1))
    assert c.get("/todo").status_code == 200
    age_session(office, c, lifetime=dt.timedelta(hours=LIFETIME_HOURS, minutes=1))
    assert c.get("/todo").headers["location"].startswith("/login")


def test_logout_ends_the_session(web, office):
    from starlette.testclient import TestClient

    c = client(web, "lawyer")
    copied = TestClient(web, follow_redirects=False, cookies={"gongkai_session": c.cookies["gongkai_session"]})
    assert copied.get("/todo").status_code == 200
    r = c.post("/logout", data={"csrf_token": c.token})
    assert r.status_code == 303
    assert c.get("/todo").headers["location"].startswith("/login")
    assert copied.get("/todo").headers["location"].startswith("/login")  # the copy ended with it
    assert not live(office, copied)


def test_a_new_password_roles_or_disabling_end_the_accounts_sessions(web, office):
    """`user passwd`, `user roles` and `user disable` end every session of the account at once."""
    from conftest import Cli

    gk = Cli()
    config = ["--config", str(office.config.path), *(["--db", office.config.database_url]
                                                      if not office.config.database_url.startswith("sqlite") else [])]
    gk(*config, "login", "admin", "--password-stdin", input=PASSWORD + "\n")  # the administrator, at the terminal
    made = gk(*config, "user", "add", "temp.clerk", "--role", "承办人", "--by", "admin", "--password-stdin",
              input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output + made.stderr
    for command in (["user", "passwd", "temp.clerk", "--by", "admin", "--password-stdin"],
                    ["user", "roles", "temp.clerk", "--role", "承办人", "--role", "律师", "--by", "admin"],
                    ["user", "disable", "temp.clerk", "--by", "admin"]):
        c = client(web, "temp.clerk")
        other = client(web, "temp.clerk")
        assert c.get("/todo").status_code == 200 and other.get("/todo").status_code == 200
        result = gk(*config, *command, input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output + result.stderr
        assert c.get("/todo").headers["location"].startswith("/login"), command
        assert other.get("/todo").headers["location"].startswith("/login"), command
        assert web_sessions(office, "temp.clerk") == []


def test_the_corrections_review_is_offered_to_the_roles_that_may_start_it(office, clients):
    """On an answered request the page offers 开始更正答复的审核 (the chain's first step signed
    again) to exactly the roles the permission function allows; anyone else posting it gets the
    403 and changes nothing; the allowed role's signature opens the review (更正答复审核中)."""
    import datetime as dt
    import re

    from gongkai.core.accounts.permissions import allowed, request_record
    from gongkai.core.accounts.store import load_actor
    from gongkai.core.requests import intake, review, workflow

    with office.session() as session:
        request_id = int(intake.receive(session, office, applicant="李四", applicant_type="natural_person",
                                        channel="in_person", submitted=dt.date(2026, 9, 24), confirmed=None,
                                        subject="河道整治方案", actor="clerk").id)
    on = dt.date.today().isoformat()
    for name in ("clerk", "lawyer", "head"):  # the chain, each step by its role's account, then the reply
        page = clients[name].get(f"/requests/{request_id}").text
        step = re.search(r'id="action-review">.*?name="step" value="([^"]+)"', page, re.S).group(1)
        clients[name].post(f"/requests/{request_id}/review", data={
            "csrf_token": clients[name].token, "step": step, "decision": "approve", "on": on,
            **({"outcome": "unavailable.not_held", "reason": "本机关未制作。"} if name == "clerk" else {})})
    clients["clerk"].post(f"/requests/{request_id}/reply", data={
        "csrf_token": clients["clerk"].token, "outcome": "unavailable.not_held", "on": on, "reason": "本机关未制作。"})
    with office.session() as session:
        req = workflow.load(session, request_id)
        assert req.state == "replied"
        step = review.correction_step(office.registry, req)
        record = request_record(session, office.registry, req)
    form = {"step": step.id, "decision": "approve", "outcome": "disclosed", "on": on}
    may = {name for name in clients if allowed(load_actor(office, name), f"request.review:{step.id}", record)}
    assert may == {"clerk", "clerk2"}  # the 西咸新区 chain's first step is the 承办人's draft
    for name, c in sorted(clients.items(), key=lambda item: item[0] in may):  # the refused ones first
        offered = 'id="action-amend_review"' in c.get(f"/requests/{request_id}").text
        assert offered == (name in may), name
        if name not in may:
            before = state(office)
            r = c.post(f"/requests/{request_id}/review", data={"csrf_token": c.token, **form})
            assert r.status_code == 403 and "无权办理" in r.text, name
            assert state(office) == before
    r = clients["clerk2"].post(f"/requests/{request_id}/review", data={"csrf_token": clients["clerk2"].token, **form})
    assert r.status_code == 303
    with office.session() as session:
        assert workflow.load(session, request_id).state == "amending"
    assert 'id="action-amend_review"' not in clients["clerk"].get(f"/requests/{request_id}").text
