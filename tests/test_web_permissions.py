"""Every page and every action of the web app, for every role, over HTTP (Starlette's test client).

The answer must be the one permission function's (:func:`gongkai.core.accounts.permissions.allowed`):
a refused action is the 403 page naming what is missing and changes nothing; an allowed one
gets past the check (here it then stops at the empty form, so nothing changes either).
"""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from web_support import STAFF, make_unit, signed_in, unit_environment  # noqa: E402

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
    c = client(web)
    r = c.get("/login")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"]
    assert "<script>" not in r.text  # no inline script anywhere
    from starlette.testclient import TestClient

    secure = TestClient(web, base_url="https://gongkai.example").get("/login")
    assert "Secure" in secure.headers["set-cookie"]


def session_cookie(office, data, age_seconds):
    """A session cookie signed with the unit's secret, last used ``age_seconds`` ago."""
    import base64
    import json
    import time

    from itsdangerous import TimestampSigner

    from gongkai.core.web.app import session_secret

    class Then(TimestampSigner):
        def get_timestamp(self):
            return int(time.time() - age_seconds)

    payload = base64.urlsafe_b64encode(json.dumps(data).encode())
    return Then(session_secret(office), salt="gongkai.session").sign(payload).decode()


def test_idle_session_times_out(office, web):
    from starlette.testclient import TestClient

    from gongkai.core.web.app import IDLE_MINUTES

    fresh = TestClient(web, follow_redirects=False,
                       cookies={"gongkai_session": session_cookie(office, {"user": "clerk"}, 60)})
    assert fresh.get("/todo").status_code == 200
    idle = TestClient(web, follow_redirects=False,
                      cookies={"gongkai_session": session_cookie(office, {"user": "clerk"}, IDLE_MINUTES * 60 + 5)})
    r = idle.get("/todo")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/todo&expired=1"
    assert "登录已超时" in idle.get(r.headers["location"]).text


def test_logout_ends_the_session(web):
    c = client(web, "lawyer")
    r = c.post("/logout", data={"csrf_token": c.token})
    assert r.status_code == 303
    assert c.get("/todo").headers["location"].startswith("/login")


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
