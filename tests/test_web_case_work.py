"""Case work on the web (issue 34), over HTTP with Starlette's test client: the office head
assigns, the 承办人 comments on the case and on a step, the lawyer reads the comment and the draft
letter (bold labels, a typed ``**`` as text) before signing, each person's 我的待办 holds
exactly their work, and no page or refusal shows a command, an option or a code."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from web_support import STAFF, make_unit, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

TODAY = "2026-10-20"
CLI_WORDS = re.compile(r"--|gongkai |`")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    mp, url = unit_environment(request, calendar_cache, TODAY)
    config = make_unit(tmp_path_factory.mktemp("web-case-work"), database_url=url)
    office = App(str(config), database_url=url)
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
                                  channel="in_person", submitted=dt.date(2026, 10, 12), confirmed=None,
                                  subject="道路维修预算", actor="clerk").id)


def post(client, path, **fields):
    r = client.post(path, data={"csrf_token": client.token, **fields})
    return r, (client.get(r.headers["location"]).text if r.status_code == 303 else r.text)


def text_of(page: str) -> str:
    """What a person reads in the page's main part: tags and scripts out, entities decoded."""
    main = page.partition("<main")[2].rpartition("</main>")[0] or page
    main = re.sub(r"<script.*?</script>|<style.*?</style>", "", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def my_work(client) -> list[tuple[str, str]]:
    """我的待办's lines: (kind, request id)."""
    page = client.get("/todo").text
    return re.findall(r'<tr class="work-([a-z]+)[^"]*" data-request="(\d*)"', page)


def test_assign_comment_preview_and_my_work(office, clients):
    one, two = new_request(office), new_request(office, "李四")
    page = clients["clerk"].get(f"/requests/{one}").text
    assert "尚未分办" in page and 'id="action-assign"' not in page  # a 承办人 does not assign
    assert ("assign", str(one)) in my_work(clients["officehead"])
    r, page = post(clients["officehead"], f"/requests/{one}/assign", to="clerk", reason="熟悉道路工程")
    assert "已分办：承办人 clerk" in page
    post(clients["officehead"], f"/requests/{two}/assign", to="clerk2", reason="")
    assert re.search(r'id="assignee">clerk<', clients["lawyer"].get(f"/requests/{one}").text)
    assert 'id="next-actor">clerk办理' in clients["lawyer"].get(f"/requests/{one}").text
    assert my_work(clients["clerk"]) == [("step", str(one))]
    assert my_work(clients["clerk2"]) == [("step", str(two))]
    assert my_work(clients["lawyer"]) == [] and my_work(clients["officehead"]) == []
    ledger = clients["lawyer"].get("/ledger?assignee=clerk2").text
    assert f'href="/requests/{two}"' in ledger and f'href="/requests/{one}"' not in ledger
    # the clerk drafts (a reason typed with ** stays text), and comments on the case and the lawyer's step
    r, page = post(clients["clerk"], f"/requests/{one}/review", step="draft", decision="approve", on=TODAY,
                   outcome="disclosed", reason="该信息已**主动**公开", comment="已核对原件")
    assert "已记录审核" in page
    post(clients["clerk"], f"/requests/{one}/comment", text="申请人来电询问进度", step="")
    post(clients["clerk"], f"/requests/{one}/comment", text="请律师重点看理由部分", step="lawyer")
    assert my_work(clients["clerk"]) == [] and my_work(clients["lawyer"]) == [("step", str(one))]
    # the lawyer reads the comments in the timeline and the draft letter as it would be issued
    page = clients["lawyer"].get(f"/requests/{one}").text
    timeline = text_of(page.partition('id="timeline"')[2])
    assert "审核意见：律师审核" in timeline and "请律师重点看理由部分" in timeline
    assert "审核：编制《政府信息公开告知书》" in timeline and "同意" in timeline and "已核对原件" in timeline
    assert "分办" in timeline and "officehead" in timeline and "熟悉道路工程" in timeline
    draft = page.partition('id="draft-letter"')[2].partition("</details>")[0]
    assert "<strong>理由：</strong>" in draft and "该信息已**主动**公开" in html.unescape(draft)
    assert "<strong>主动</strong>" not in draft and "=&gt;" not in draft and "::" not in draft
    assert 'id="next-actor">lawyer办理“律师审核”' in page
    r, page = post(clients["lawyer"], f"/requests/{one}/review", step="lawyer", decision="approve", on=TODAY)
    assert my_work(clients["head"]) == [("step", str(one))]
    post(clients["head"], f"/requests/{one}/review", step="principal_head", decision="approve", on=TODAY)
    assert my_work(clients["clerk"]) == [("reply", str(one))]
    r, page = post(clients["clerk"], f"/requests/{one}/reply", on=TODAY)
    assert "已办理：答复" in page
    assert my_work(clients["filing"]) == [("after", str(one))] and my_work(clients["clerk"]) == []
    letter = clients["clerk"].get(f"/requests/{one}/letter").text
    assert "<strong>理由：</strong>" in letter and "该信息已**主动**公开" in html.unescape(letter)


def test_no_command_option_or_code_reaches_a_person(office, clients):
    fresh = new_request(office, "王五")
    for name, client in clients.items():
        for path in ("/todo", "/ledger", f"/requests/{fresh}", "/rules", "/calendar", "/documents", "/ledger?state=bogus",
                     "/ledger?due_within=x", f"/requests/{fresh}/letter", "/requests/999999", "/ledger?after=bad"):
            page = client.get(path).text
            assert not CLI_WORDS.search(text_of(page)), (name, path, CLI_WORDS.search(text_of(page)), text_of(page)[:800])
    refusals = [  # (who, action, fields): each refused with its reason on the page
        ("clerk", "reply", {"on": TODAY}),  # the chain is not signed
        ("clerk", "pause", {"reason": "fee", "on": TODAY}),  # no fee charged
        ("clerk", "resume", {"on": TODAY}),  # not paused
        ("clerk", "review", {"step": "lawyer", "decision": "approve", "on": TODAY}),  # not a lawyer
        ("lawyer", "review", {"step": "lawyer", "decision": "approve", "on": TODAY}),  # before the draft
        ("clerk", "review", {"step": "draft", "decision": "approve", "on": TODAY}),  # no proposal
        ("clerk", "correct", {"notice_on": "bad", "period_days": "x"}),
        ("officehead", "assign", {"to": "lawyer"}),  # not a 承办人
        ("clerk", "assign", {"to": "clerk"}),  # a 承办人 does not assign
        ("clerk", "comment", {"text": " "}),
        ("clerk", "nonsense", {}),
    ]
    for who, action, fields in refusals:
        r, page = post(clients[who], f"/requests/{fresh}/{action}", **fields)
        shown = text_of(page)
        assert re.search(r"error|forbidden", page), (who, action)
        assert not CLI_WORDS.search(shown), (who, action, shown[:1500])


def test_notices_from_the_request_page(office, clients):
    from gongkai.core.paperwork.render import docx_text

    rid = new_request(office, "赵六")
    page = clients["clerk"].get(f"/requests/{rid}").text
    assert 'id="action-notice"' in page and 'id="action-notice"' not in clients["lawyer"].get(f"/requests/{rid}").text
    r = clients["clerk"].post(f"/requests/{rid}/notice", data={"csrf_token": clients["clerk"].token, "kind": "receipt",
                                                               "format": "docx"})
    assert r.status_code == 200 and r.content[:2] == b"PK", r.text[:500]
    assert "attachment" in r.headers["content-disposition"]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "n.docx"
        path.write_bytes(r.content)
        assert "政府信息公开申请收到确认书" in docx_text(path) and "赵六" in docx_text(path)
    # a correction notice needs the correction recorded first, and what to supplement: refused in words
    r, page = post(clients["clerk"], f"/requests/{rid}/notice", kind="correction", format="pdf")
    assert "尚未告知补正" in page and not CLI_WORDS.search(text_of(page))
    post(clients["clerk"], f"/requests/{rid}/correct", notice_on=TODAY, period_days="15")
    r, page = post(clients["clerk"], f"/requests/{rid}/notice", kind="correction", format="pdf")
    assert "须写明需要补正的事项" in page and not CLI_WORDS.search(text_of(page))
    r = clients["clerk"].post(f"/requests/{rid}/notice", data={"csrf_token": clients["clerk"].token, "kind": "correction",
                                                               "format": "pdf", "what": "所需信息的名称或文号"})
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    timeline = text_of(clients["lawyer"].get(f"/requests/{rid}").text.partition('id="timeline"')[2])
    assert "政府信息公开申请收到确认书" in timeline and "政府信息公开申请补正告知书" in timeline


def test_a_request_page_outlives_writes_to_other_requests(office, clients):
    """A request's page is kept while the request and the unit's accounts are unchanged: a busy
    office registering other requests does not empty it; a change to the request shows at once."""
    from gongkai.core.web.app import PAGES

    rid = new_request(office, "孙七")
    lawyer = clients["lawyer"]
    first = lawyer.get(f"/requests/{rid}").text
    kept = len(PAGES._values)
    new_request(office, "周八")  # a write elsewhere in the unit
    assert lawyer.get(f"/requests/{rid}").text == first and len(PAGES._values) == kept  # reused
    post(clients["officehead"], f"/requests/{rid}/assign", to="clerk2", reason="")
    page = lawyer.get(f"/requests/{rid}").text
    assert re.search(r'id="assignee">clerk2<', page)  # the request's own change: rendered anew
    post(clients["clerk2"], f"/requests/{rid}/comment", text="新意见", step="")
    assert "新意见" in lawyer.get(f"/requests/{rid}").text
