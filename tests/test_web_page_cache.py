"""The pages a worker reuses (the ledger page, a request's page, 我的待办, the signed-in account)
follow every change at once.

Each worker keeps what it rendered while the unit's event chain is where it was
(:mod:`gongkai.core.records.head_cache`); every change is an event, so after a change made anywhere
(here: the CLI, another process's way in) the next page is the new one. A reused request page
carries the token of the session that asks for it.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette", reason="the web app's dependencies: pip install -e '.[test]'")
from conftest import Cli  # noqa: E402
from web_support import PASSWORD, make_unit, signed_in, unit_environment  # noqa: E402

from gongkai.core.app import App  # noqa: E402

TODAY = "2026-10-20"
STAFF = {"clerk": ["承办人"], "clerk2": ["承办人"], "admin": ["单位管理员"]}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, tmp_path_factory, calendar_cache):
    mp, url = unit_environment(request, calendar_cache, TODAY)
    config = make_unit(tmp_path_factory.mktemp("web-cache"), STAFF, database_url=url)
    office = App(str(config), database_url=url)
    office.cli = ["--config", str(config), *(["--db", url] if url else [])]
    yield office
    mp.undo()


@pytest.fixture(scope="module")
def web(office):
    from gongkai.core.web.app import create_app

    return create_app(office)


def gk(office, *args, **kw):
    if "--by" in args:  # the account acting logs in first, as at a terminal
        who = args[args.index("--by") + 1]
        Cli()(*office.cli, "login", who, "--password-stdin", input=PASSWORD + "\n")
    result = Cli()(*office.cli, *args, **kw)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def new_request(office, submitted: str, subject: str) -> int:
    out = gk(office, "request", "new", "--applicant", "张三", "--applicant-type", "自然人", "--channel",
             "当面提交", "--submitted", submitted, "--subject", subject, "--by", "clerk", "--json").output
    return int(re.search(r'"id":\s*(\d+)', out).group(1))


def test_the_overdue_ledger_and_todo_follow_a_new_request(office, web):
    clerk = signed_in(web, "clerk")
    new_request(office, "2026-08-03", "第一件逾期的申请")
    ledger, todo = clerk.get("/ledger?overdue=1").text, clerk.get("/todo").text
    assert "第一件逾期的申请" in ledger and clerk.get("/ledger?overdue=1").text == ledger
    overdue = int(re.search(r"已超期 (\d+) 项", todo).group(1))
    new_request(office, "2026-08-10", "第二件逾期的申请")  # by the CLI: another way in, one more event
    assert "第二件逾期的申请" in clerk.get("/ledger?overdue=1").text
    assert int(re.search(r"已超期 (\d+) 项", clerk.get("/todo").text).group(1)) == overdue + 1


def test_a_request_page_follows_a_step_and_carries_each_sessions_token(office, web):
    clerk, clerk2 = signed_in(web, "clerk"), signed_in(web, "clerk2")
    request_id = new_request(office, "2026-10-12", "道路维修预算")
    first = clerk.get(f"/requests/{request_id}").text
    assert "计时中" in first and 'id="action-pause"' in first
    assert f'value="{clerk.token}"' in first and f'value="{clerk2.token}"' in clerk2.get(f"/requests/{request_id}").text
    gk(office, "request", "pause", str(request_id), "--reason", "征求第三方意见", "--on", "2026-10-14", "--by", "clerk")
    page = clerk2.get(f"/requests/{request_id}").text
    assert "中止计时：" in page and 'id="action-resume"' in page and 'id="action-pause"' not in page
    # the reused page's form works with the second session's own token
    r = clerk2.post(f"/requests/{request_id}/resume", data={"csrf_token": clerk2.token, "on": "2026-10-16"})
    assert r.status_code == 303 and 'id="action-pause"' in clerk.get(f"/requests/{request_id}").text


def test_an_account_disabled_elsewhere_is_signed_out_at_once(office, web):
    clerk2 = signed_in(web, "clerk2")
    assert clerk2.get("/todo").status_code == 200
    gk(office, "user", "disable", "clerk2", "--by", "admin")
    assert clerk2.get("/todo").headers["location"].startswith("/login")
    gk(office, "user", "enable", "clerk2", "--by", "admin")
    assert signed_in(web, "clerk2").get("/todo").status_code == 200
    assert PASSWORD  # the accounts are web_support's


def test_a_page_asked_by_many_threads_at_once_is_built_once():
    """After a write every reader of a busy page misses at once: one thread builds it, the
    others wait for that one; a build that fails leaves each waiting thread to build it itself."""
    import threading
    import time

    from gongkai.core.records.head_cache import HeadCache

    cache, builds, lock = HeadCache(8), [], threading.Lock()

    def build(value):
        def compute():
            with lock:
                builds.append(value)
            time.sleep(0.2)  # long enough for every thread to ask while it is built
            if value == "fails":
                raise RuntimeError("the build failed")
            return value
        return compute

    def ask(key, value, answers):
        try:
            answers.append(cache.get(("db", 1, 5, "head"), key, build(value)))
        except RuntimeError as exc:
            answers.append(str(exc))

    answers = []
    threads = [threading.Thread(target=ask, args=("page", "built", answers)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == ["built"] * 8 and builds == ["built"]
    # the same key under another head (after a write) is another value, built again once
    assert cache.get(("db", 1, 6, "head2"), "page", build("again")) == "again" and builds == ["built", "again"]

    answers, builds[:] = [], []
    threads = [threading.Thread(target=ask, args=("other", "fails", answers)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == ["the build failed"] * 3 and len(builds) == 3
