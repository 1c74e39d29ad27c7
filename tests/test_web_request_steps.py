"""The request steps after intake on the web: 更正答复 (amend), 重新答复 (reanswer), 撤回
(withdraw), 更正登记信息 (edit), and the appeal result that opens reanswer.

Over HTTP (Starlette's test client, no JavaScript): each form is on the request page only when
the state, the request's own facts and the signed-in roles allow it; a posted form changes the
request exactly as the same ``gongkai request …`` command does on a twin request (the same core
step: same state, same facts, same event); a refused step changes nothing. Each role × each of
these actions against the one permission function is in tests/test_web_permissions.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from conftest import Cli  # noqa: E402
from web_support import PASSWORD, STAFF, make_unit, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

TODAY = "2026-10-20"
NEW_ACTIONS = ("amend", "reanswer", "withdraw", "edit", "decide")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    mp, url = unit_environment(request, calendar_cache, TODAY)
    config = make_unit(tmp_path_factory.mktemp("web-steps"), database_url=url)
    office = App(str(config), database_url=url)
    office.test_config, office.test_url = config, url
    yield office
    mp.undo()


@pytest.fixture(scope="module")
def clients(office):
    from gongkai.core.web.app import create_app

    web = create_app(office)
    return {name: signed_in(web, name) for name in STAFF}


def new_request(office, applicant="张三") -> int:
    from gongkai.core.requests import intake

    with office.session() as session:
        return int(intake.receive(session, office, applicant=applicant, applicant_type="natural_person",
                                  channel="in_person", submitted=dt.date(2026, 9, 24), confirmed=None,
                                  subject="道路维修预算", contact="13800138000", actor="clerk").id)


def post(client, request_id, action, **fields):
    """Post one action's form as the browser would; returns (the response, the page it leads to)."""
    r = client.post(f"/requests/{request_id}/{action}", data={"csrf_token": client.token, **fields})
    page = client.get(r.headers["location"]).text if r.status_code == 303 else r.text
    return r, page


def forms(client, request_id) -> set[str]:
    """The next actions offered on the request page."""
    page = client.get(f"/requests/{request_id}").text
    return set(re.findall(r'<details (?:open )?id="action-([a-z_]+)"', page))


def shown(office, request_id) -> dict:
    """The request as ``request show --json`` gives it, less what differs between twins."""
    from gongkai.core.requests import ledger, workflow

    with office.session() as session:
        data = ledger.show(session, office, workflow.load(session, request_id), reveal=True)
    events = [{k: v for k, v in e.items() if k not in ("at", "at_beijing", "id", "hash", "prev_hash")} for e in data.pop("events")]
    for e in events:
        e.pop("subject_id", None)
        for side in ("before", "after"):
            # row numbers, a 文号 in turn, the OS user a CLI command ran as, and the record's digest
            # (which covers those): not facts of the request
            for key in ("prior_reply", "appeal", "version", "letter_serial", "os_user", "digest", "unit_digest"):
                (e.get(side) or {}).pop(key, None)
    data.pop("id")
    for prior in data["prior_replies"]:
        prior.pop("appeal", None)
    for appeal in data["appeals"]:
        appeal.pop("id")
    return {**data, "events": events}


def cli(office, *args):
    where = ("--config", str(office.test_config), *(["--db", office.test_url] if office.test_url else []))
    Cli()(*where, "login", "clerk", "--password-stdin", input=PASSWORD + "\n")  # the clerk, at the terminal
    result = Cli()(*where, "request", *args, "--by", "clerk")
    assert result.exit_code == 0, result.output + result.stderr
    return result


def reply_through_the_chain(office, clients, request_id, outcome="unavailable.not_held"):
    """Every review step signed by its role's account, then the 承办人's reply (all on the web)."""
    for name in ("clerk", "lawyer", "head"):
        page = clients[name].get(f"/requests/{request_id}").text
        step = re.search(r'name="step" value="([^"]+)"', page).group(1)
        fields = {"step": step, "decision": "approve", "on": TODAY}
        if name == "clerk":  # the first signature states the proposed reply
            fields.update(outcome=outcome, reason="经检索，本机关未制作该信息。")
        r, page = post(clients[name], request_id, "review", **fields)
        assert "已记录审核" in page, page[-3000:]
    r, page = post(clients["clerk"], request_id, "reply", outcome=outcome, on=TODAY, reason="经检索，本机关未制作该信息。")
    assert "已办理：答复" in page, page[-2000:]


def sign_correction(office, clients, request_id, outcome="disclosed"):
    """A correction is signed along the chain again before amend: the 承办人 opens its review
    with the form the answered request's page offers (开始更正答复的审核: the chain's first step),
    then each role signs the step its page offers."""
    for name in ("clerk", "lawyer", "head"):
        page = clients[name].get(f"/requests/{request_id}").text
        form = "amend_review" if name == "clerk" else "review"
        step = re.search(rf'id="action-{form}">.*?name="step" value="([^"]+)"', page, re.S).group(1)
        fields = {"step": step, "decision": "approve", "on": TODAY, "outcome": outcome}
        r, page = post(clients[name], request_id, "review", **fields)
        assert "已记录审核" in page, page[-3000:]


def test_forms_follow_state_facts_and_roles(office, clients):
    request_id = new_request(office)
    assert {"withdraw", "edit"} <= forms(clients["clerk"], request_id)
    assert not {"amend", "reanswer", "decide"} & forms(clients["clerk"], request_id)  # nothing replied or decided
    for name in ("lawyer", "head", "officehead", "filing", "admin"):
        assert not set(NEW_ACTIONS) & forms(clients[name], request_id), name
    reply_through_the_chain(office, clients, request_id)
    offered = forms(clients["clerk"], request_id)
    assert {"amend", "edit"} <= offered and not {"withdraw", "reanswer", "decide"} & offered
    r, page = post(clients["clerk"], request_id, "appeal", kind="reconsideration", filed=TODAY, result="尚未审结")
    assert "已办理：登记复议或诉讼" in page
    assert "decide" in forms(clients["clerk"], request_id) and "reanswer" not in forms(clients["clerk"], request_id)
    appeal = re.search(r'name="appeal"><option value="(\d+)"', clients["clerk"].get(f"/requests/{request_id}").text)
    r, page = post(clients["clerk"], request_id, "decide", appeal=appeal.group(1), result="纠正", decided=TODAY)
    assert "已办理：登记复议或诉讼的结果" in page and "纠正" in page
    assert {"reanswer", "amend"} <= forms(clients["clerk"], request_id)
    assert "reanswer" not in forms(clients["lawyer"], request_id)


def test_edit_is_the_cli_edit(office, clients):
    web, twin = new_request(office), new_request(office)
    r, page = post(clients["clerk"], web, "edit", why="申请人姓名录入错误", applicant="张三丰", contact="13900139000",
                   submitted="2026-09-25")
    assert "已办理：更正登记信息" in page and "张三丰" in page
    cli(office, "edit", str(twin), "--applicant", "张三丰", "--contact", "13900139000", "--submitted", "2026-09-25",
        "--reason", "申请人姓名录入错误")
    assert shown(office, web) == shown(office, twin)
    after = shown(office, web)
    assert after["received"] == "2026-09-25" and after["events"][-1]["action"] == "edit"
    assert after["events"][-1]["actor"] == "clerk"


def test_refused_edits_change_nothing(office, clients):
    request_id = new_request(office)
    before = shown(office, request_id)
    r, page = post(clients["clerk"], request_id, "edit", why="", applicant="李四")  # no reason
    assert "须说明理由" in page
    r, page = post(clients["clerk"], request_id, "edit", why="核对")  # nothing to correct
    assert "请至少给出一项要更正的内容" in page
    r, page = post(clients["clerk"], request_id, "edit", why="核对", submitted="2099-01-01")
    assert "error" in page and shown(office, request_id) == before
    r = clients["lawyer"].post(f"/requests/{request_id}/edit",
                               data={"csrf_token": clients["lawyer"].token, "why": "改名", "applicant": "李四"})
    assert r.status_code == 403 and "承办人" in r.text
    r = clients["clerk"].post(f"/requests/{request_id}/edit", data={"why": "改名", "applicant": "李四"})  # no CSRF
    assert r.status_code == 403 and "安全校验码" in r.text
    assert shown(office, request_id) == before


def test_withdraw_is_the_cli_withdraw(office, clients):
    web, twin = new_request(office), new_request(office)
    r, page = post(clients["clerk"], web, "withdraw", on=TODAY, how="电话")
    assert "已办理：登记申请人撤回" in page and "申请人撤回" in page and "不出具答复告知书" in page
    cli(office, "withdraw", str(twin), "--on", TODAY, "--how", "电话")
    assert shown(office, web) == shown(office, twin)
    assert shown(office, web)["state"] == "withdrawn"
    assert "withdraw" not in forms(clients["clerk"], web) and "edit" in forms(clients["clerk"], web)
    r, page = post(clients["clerk"], web, "withdraw", on=TODAY, how="电话")  # twice: refused by the state
    assert "不能登记申请人撤回" in page


def test_amend_then_reanswer_are_the_cli_steps(office, clients):
    web, twin = new_request(office), new_request(office)
    for request_id in (web, twin):
        reply_through_the_chain(office, clients, request_id)
    r, page = post(clients["clerk"], web, "amend", why="误将已制作的信息答复为不存在", on=TODAY, outcome="disclosed")
    assert "更正答复须重新经过审核流程" in page  # the chain first, as for the first reply
    for request_id in (web, twin):
        sign_correction(office, clients, request_id)
    r, page = post(clients["clerk"], web, "amend", why="误将已制作的信息答复为不存在", on=TODAY, outcome="disclosed",
                   provision="电子邮件提供")
    assert "已办理：更正答复" in page and "此前的答复" in page
    cli(office, "amend", str(twin), "--reason", "误将已制作的信息答复为不存在", "--on", TODAY, "--outcome", "disclosed",
        "--provision", "电子邮件提供")
    assert shown(office, web) == shown(office, twin)
    data = shown(office, web)
    assert data["outcome"] == "disclosed" and data["prior_replies"][0]["outcome"] == "unavailable.not_held"
    letter = clients["lawyer"].get(f"/requests/{web}/letter?prior=1")  # the superseded letter, as issued
    assert letter.status_code == 200 and "政府信息公开申请答复告知书" in letter.text

    for request_id in (web, twin):
        r, page = post(clients["clerk"], request_id, "appeal", kind="reconsideration", filed=TODAY, result="纠正",
                       decided=TODAY)
        assert "已办理：登记复议或诉讼" in page
    r, page = post(clients["clerk"], web, "reanswer", decision_on=TODAY, days="15")
    assert "已办理：重新答复" in page
    cli(office, "reanswer", str(twin), "--decision-on", TODAY, "--days", "15")
    assert shown(office, web) == shown(office, twin)
    data = shown(office, web)
    assert data["state"] == "processing" and data["outcome"] is None and len(data["prior_replies"]) == 2
    assert "reanswer" not in forms(clients["clerk"], web)  # that decision is answered: no second time
    r, page = post(clients["clerk"], web, "reanswer", decision_on=TODAY)
    assert "已按该纠正决定重新办理" in page and shown(office, web) == data


def test_amend_needs_a_reply_and_a_reason(office, clients):
    request_id = new_request(office)
    before = shown(office, request_id)
    r, page = post(clients["clerk"], request_id, "amend", why="理由", on=TODAY, outcome="disclosed")
    assert "没有可更正的答复" in page
    reply_through_the_chain(office, clients, request_id)
    before = shown(office, request_id)
    r, page = post(clients["clerk"], request_id, "amend", why="", on=TODAY, outcome="disclosed")
    assert "须说明更正理由" in page and shown(office, request_id) == before


def test_an_answered_requests_page_opens_the_corrections_review(office, clients):
    """更正答复 starts with the chain's first step signed again: the answered request's page offers
    that form to the roles that may sign it, and it does what ``request review`` does."""
    web, twin = new_request(office), new_request(office)
    assert "amend_review" not in forms(clients["clerk"], web)  # nothing answered yet
    for request_id in (web, twin):
        reply_through_the_chain(office, clients, request_id)
    assert "amend_review" in forms(clients["clerk"], web)
    for name in ("lawyer", "head", "officehead", "filing", "admin"):
        assert "amend_review" not in forms(clients[name], web), name
    page = clients["clerk"].get(f"/requests/{web}").text
    step = re.search(r'id="action-amend_review">.*?name="step" value="([^"]+)"', page, re.S).group(1)
    r, page = post(clients["clerk"], web, "review", step=step, decision="approve", outcome="disclosed",
                   comment="经复核，该信息已制作", on=TODAY)
    assert "已记录审核" in page and "更正答复审核中" in page
    assert "amend_review" not in forms(clients["clerk"], web)  # its review is under way
    assert "review" in forms(clients["lawyer"], web)  # the next step waits for the lawyer
    cli(office, "review", str(twin), "--step", step, "--decision", "approve", "--outcome", "disclosed",
        "--comment", "经复核，该信息已制作", "--on", TODAY)
    assert shown(office, web) == shown(office, twin)
    data = shown(office, web)
    assert data["state"] == "amending" and data["outcome"] == "unavailable.not_held"  # the reply in force stands
    assert data["proposed_outcome"] == "disclosed"


def test_the_copy_received_and_the_answer_are_the_cli_steps(office, clients):
    """复议: the copy received starts the answer clock, the answer submitted closes it (issue 31)."""
    request_id = new_request(office)
    reply_through_the_chain(office, clients, request_id)
    r, page = post(clients["clerk"], request_id, "appeal", kind="reconsideration", filed=TODAY,
                   result="尚未审结", copy_received=TODAY)
    assert "已办理：登记复议或诉讼" in page and "2026-11-03" in page  # 10 working days from Tuesday 20 October
    assert "answered" in forms(clients["clerk"], request_id) and "copy" not in forms(clients["clerk"], request_id)
    appeal = re.search(r'name="appeal"><option value="(\d+)">[^<]*答复期限', clients["clerk"].get(f"/requests/{request_id}").text)
    r, page = post(clients["clerk"], request_id, "answered", appeal=appeal.group(1), on=TODAY)
    assert "已办理：登记提交复议答复或答辩状" in page and "answered" not in forms(clients["clerk"], request_id)
def test_the_fee_form_stops_the_clock_as_the_cli_does(office, clients):
    """Issue 32 item 12: the fee notice's date starts the pause until the payment, in the browser too."""
    request_id = new_request(office, applicant="王收费")
    r, page = post(clients["clerk"], request_id, "fee", method="per_page", pages="40", notice_on="2026-09-28")
    assert r.status_code == 303, page
    data = shown(office, request_id)
    assert data["state"] == "paused" and data["pauses"][-1]["reason"] == "fee"
    assert data["pauses"][-1]["start"] == "2026-09-28"


def test_appeal_papers_download_and_the_hearing_form(office, clients):
    """An appeal's answer draft (.docx) and evidence bundle (.pdf) download from the request page,
    made by the same core functions as ``appeal answer`` and ``appeal evidence``; the hearing and
    the head's appearance are recorded by the form as ``request appeal --hearing`` records them."""
    import io
    import zipfile

    from pypdf import PdfReader

    request_id = new_request(office)
    reply_through_the_chain(office, clients, request_id)
    clerk = clients["clerk"]
    assert "hearing" not in forms(clerk, request_id)
    r, page = post(clerk, request_id, "appeal", kind="lawsuit", filed=TODAY, result="尚未审结", copy_received=TODAY)
    assert "已办理：登记复议或诉讼" in page
    assert "hearing" in forms(clerk, request_id)
    with office.session() as session:
        from gongkai.core.requests import appeals

        appeal_id = appeals.appeals_of(session, request_id)[0].id
    page = clerk.get(f"/requests/{request_id}").text
    answer_link = f"/requests/{request_id}/appeals/{appeal_id}/answer.docx"
    bundle_link = f"/requests/{request_id}/appeals/{appeal_id}/evidence.pdf"
    assert answer_link in page and bundle_link in page

    r = clerk.get(answer_link)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    document = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "行政诉讼答辩状" in document and "答辩人" in document
    r = clerk.get(bundle_link)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert "证据目录" in reader.pages[0].extract_text().replace("\x00", "").replace(" ", "")
    assert clerk.get(f"/requests/{request_id}/appeals/{appeal_id + 999}/evidence.pdf").status_code in (400, 404)

    r, page = post(clerk, request_id, "hearing", appeal=str(appeal_id), hearing=TODAY, head_appeared="yes")
    assert "已办理：登记开庭和负责人出庭应诉" in page
    (appeal,) = shown(office, request_id)["appeals"]
    assert appeal["hearing_on"] == TODAY and appeal["head_appeared"] is True
    r, page = post(clerk, request_id, "hearing", appeal=str(appeal_id), head_appeared="no")
    assert shown(office, request_id)["appeals"][0]["head_appeared"] is False
    assert shown(office, request_id)["appeals"][0]["hearing_on"] == TODAY
    events = [e["action"] for e in shown(office, request_id)["events"]]
    assert events.count("appeal_hearing") == 2
