"""``audit verify`` replays the log and compares every record with it: a record changed,
deleted or added in the database behind the application's back is named (issue 20 item 2),
and ``--expect-head`` finds a log cut back or rewritten since its head was written down."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import SQLModel
from sqlalchemy import select, text

from gongkai.core.app import App
from gongkai.core.records.chain import event_hash
from gongkai.core.records.digest import query_fetch, stream
from gongkai.core.audit.replay import REQUEST, SUBJECTS
from gongkai.core.requests.workflow import TRANSITIONS
from gongkai.core.records.storage import Event


@pytest.fixture
def office(backend, unit, gk):
    """A Changning unit with a replied and appealed request, a received one, a document, a
    closed matter and a decision count: every kind of record the replay checks."""
    unit("changning")
    for applicant, day in (("张三", "2026-03-02"), ("李四", "2026-03-03")):
        gk.ok("request", "new", "--applicant", applicant, "--applicant-type", "natural_person", "--channel",
              "in_person", "--submitted", day, "--subject", "2026年老旧小区改造资金安排")
    for i, step in enumerate(("draft", "confidentiality", "office_head")):
        gk.ok("request", "review", "1", "--step", step, "--by", f"审核人{i}", "--decision", "approve", "--on", "2026-03-10",
              *(("--outcome", "withheld.process_info", "--reason", "经审查属于过程性信息") if i == 0 else ()))
    gk.ok("request", "reply", "1", "--outcome", "withheld.process_info", "--on", "2026-03-11", "--by", "经办人")
    gk.ok("request", "appeal", "1", "--kind", "reconsideration", "--filed", "2026-04-01", "--result", "纠正",
          "--decided", "2026-05-29")
    gk.ok("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开",
          "--finalised", "2026-09-24")
    gk.ok("matter", "open", "consult.reply", "--at", "2026-10-06")
    gk.ok("matter", "close", "1", "--at", "2026-10-09")
    gk.ok("document", "decisions", "--year", "2026", "--licensing", "12")
    app = App()
    yield app
    app.engine.dispose()


def sql(app: App, *statements: str) -> None:
    with app.district_engine.begin() as c:
        for statement in statements:
            c.execute(text(statement))


def test_untouched_records_pass(office, gk):
    report = gk.json("audit", "verify")
    assert report["ok"] and report["records"]["ok"]
    assert report["records"]["checked"] == {"request": 2, "document": 1, "matter": 1, "decision_count": 1, "account": 0,
                                           "application": 0, "unit_contact": 0, "report_publication": 0, "unit": 1}
    out = gk.ok("audit", "verify").stdout
    assert "记录与事件日志一致：申请 2 件，文件 1 件，事项 1 件，年度决定数 1 件，账户 0 个" in out


TAMPERING = [
    ("UPDATE disclosure_request SET outcome = 'withheld.state_secret' WHERE id = 1",
     "申请 1 的答复结果为“属于国家秘密”，事件日志记载为“属于四类过程性信息”"),
    ("UPDATE disclosure_request SET replied_on = '2026-03-05' WHERE id = 1", "申请 1 的答复日期为“2026-03-05”"),
    ("UPDATE disclosure_request SET replied_by = '王五' WHERE id = 1", "申请 1 的答复经办人为“王五”，事件日志记载为“经办人”"),
    ("UPDATE request_review SET actor = '王五' WHERE step_id = 'draft'",
     "申请 1 的审核记录（审核人、意见、日期）与事件日志不符：库中有而日志没有 （承办人拟稿，王五，同意，2026-03-10，拟答复：属于四类过程性信息）"),
    ("DELETE FROM request_review WHERE step_id = 'office_head'", "（政府信息公开工作机构负责人审批，审核人2，同意，2026-03-10，拟答复：属于四类过程性信息）"),
    ("UPDATE request_appeal SET result = '维持'", "申请 1 的复议诉讼记录与事件日志不符"),
    ("UPDATE deadline SET status = 'open', met_on = NULL WHERE owner_kind = 'request' AND owner_id = 1 AND name = 'reply'",
     "申请 1 的答复期限（办结日期）与事件日志不符"),
    ("DELETE FROM disclosure_request WHERE id = 2", "申请 2 在事件日志中有 1 条记载，但记录已不存在：记录在应用之外被删除"),
    ("INSERT INTO disclosure_request (unit_id, id, version, applicant_name, applicant_type, channel, submitted, received, subject, "
     "state, period_start, replied_by, reasons, legal_basis, provision, withheld_parts, other_agency, "
     "other_agency_contact, applicant_id_number, applicant_contact, form_wanted, imported) VALUES (1, 3, 1, '赵六', "
     "'natural_person', 'in_person', '2026-03-04', '2026-03-04', '插入的申请', 'replied', '2026-03-04', '', '', '', '', "
     "'', '', '', '', '', '', false)", "申请 3 在事件日志中没有任何记载：记录在应用之外写入"),
    ("UPDATE document SET title = '改过的标题'", "文件 1 的标题为“改过的标题”，事件日志记载为“关于某事的通知”"),
    ("UPDATE document SET attribute_name = '不予公开'", "文件 1 的公开属性为“不予公开”"),
    ("UPDATE matter SET closed_at = NULL", "事项 1 的办结时间为“（空）”，事件日志记载为“2026-10-09T00:00:00+08:00”"),
    ("UPDATE deadline SET status = 'open', met_on = NULL WHERE owner_kind = 'matter'", "事项 1 的期限（状态、办结日期）与事件日志不符"),
    ("UPDATE decision_count SET count = 13", "年度决定数 1 的件数为“13”，事件日志记载为“12”"),
]




def test_each_record_changed_deleted_or_added_in_the_database_is_named(office, gk):
    sql(office, *(statement for statement, _ in TAMPERING))
    refused = gk("audit", "verify")
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    for _, named in TAMPERING:
        assert named in refused.stderr
    assert "事件日志完整" in refused.stdout  # the chain itself is intact: only the records were touched
    report = json.loads(gk("audit", "verify", "--json").stdout)
    assert report["chain_ok"] and not report["ok"]
    # one problem per tampered field or set of rows (the two changes to the reviews are one)
    assert report["records"]["count"] == len(TAMPERING) - 1
    assert {p["problem"] for p in report["records"]["problems"]} == {"changed", "deleted", "added"}


def test_a_database_read_whole_as_it_moves_in_is_checked_as_audit_verify_checks_it(office, backend):
    """``unit import-db`` checks the source read straight through sqlite3 (every row, whatever
    unit it names): the same findings, word for word, as reading it through a session."""
    from gongkai.core.records.chain import verify
    from gongkai.core.audit.replay import SourceRows, check_records, code_names
    from gongkai.core.records.storage import session_scope

    if backend.name != "sqlite":
        pytest.skip("a unit's own database, the one moved in, is SQLite")
    names = code_names(office.registry)

    def both() -> tuple[dict, dict]:
        source = SourceRows(office.district_engine.url.database, office.engine.dialect)
        try:
            with session_scope(office.engine) as session:
                read = (verify(session), check_records(session, names=names))
                whole = (verify(session, source=source), check_records(session, names=names, source=source))
        finally:
            source.close()
        assert whole == read
        return read

    chain, records = both()
    assert chain["ok"] and records["ok"] and records["checked"]["request"] == 2
    sql(office, *(statement for statement, _ in TAMPERING))
    chain, records = both()
    assert chain["ok"] and records["count"] == len(TAMPERING) - 1
    sql(office, "UPDATE event SET actor = '改过' WHERE seq = 3")
    chain, _ = both()
    assert chain["broken"]["seq"] == 3


def test_a_state_changed_on_a_received_request_is_named(office, gk):
    sql(office, "UPDATE disclosure_request SET state = 'closed', received = '2026-02-01' WHERE id = 2")
    refused = gk.fails("audit", "verify", code=2).stderr
    assert "申请 2 的状态为“已办结归档”，事件日志记载为“已接收”" in refused
    assert "申请 2 的收到申请日期为“2026-02-01”，事件日志记载为“2026-03-03”" in refused


def test_corrected_withdrawn_and_edited_requests_are_checked_too(office, gk):
    """The lifecycle's steps (更正答复, 撤回, 更正登记信息) are entries of the replay's table."""
    for i, step in enumerate(("draft", "confidentiality", "office_head")):  # the correction is signed again
        gk.ok("request", "review", "1", "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2026-03-19", "--outcome", "disclosed")
    gk.ok("request", "amend", "1", "--outcome", "disclosed", "--reason", "已形成正式文件", "--on", "2026-03-20")
    gk.ok("request", "withdraw", "2", "--on", "2026-03-05", "--how", "电话")
    gk.ok("request", "edit", "2", "--applicant", "李思", "--reason", "姓名录入错误")
    assert gk.json("audit", "verify")["ok"]
    sql(office, "UPDATE disclosure_request SET outcome = 'withheld.process_info', amended_on = NULL WHERE id = 1",
        "UPDATE disclosure_request SET withdrawal_how = '书面', applicant_name = '李四' WHERE id = 2")
    refused = gk.fails("audit", "verify", code=2).stderr
    assert "申请 1 的答复结果为“属于四类过程性信息”，事件日志记载为“予以公开”" in refused
    assert "申请 1 的更正答复日期为“（空）”，事件日志记载为“2026-03-20”" in refused
    assert "申请 2 的撤回方式为“书面”，事件日志记载为“电话”" in refused
    assert "申请 2 的申请人为“李四”，事件日志记载为“李思”" in refused


def chain(app: App) -> list[dict]:
    table = Event.__table__
    with app.district_engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(table).order_by(table.c.seq))]


def test_a_log_cut_back_with_its_head_rewound_is_found_by_the_head_written_down(office, gk):
    written = gk.ok("audit", "head").stdout.strip()
    length, head = written.split(":")
    assert int(length) == len(chain(office)) and len(head) == 64
    assert gk.json("audit", "head") == {"length": int(length), "hash": head, "head": written}
    gk.ok("audit", "verify", "--expect-head", written)
    # the last two events deleted and the chain's head rewound onto the one before them
    events = chain(office)
    keep = events[-3]
    sql(office, f"DELETE FROM event WHERE seq > {keep['seq']}",
        f"UPDATE audit_chain SET length = {keep['seq']}, last_hash = '{keep['hash']}'")
    cut = gk("audit", "verify", "--expect-head", written)
    assert cut.exit_code == 2 and "日志被截短" in cut.stderr
    # without the head written down, the records still give it away: the decision count's event is gone
    plain = gk("audit", "verify")
    assert plain.exit_code == 2 and "年度决定数 1 在事件日志中没有任何记载" in plain.stderr


def test_a_log_rewritten_with_recomputed_hashes_is_found(office, gk):
    written = gk.ok("audit", "head").stdout.strip()
    # the reply's event and record both say 国家秘密, and every hash from there on recomputed
    sql(office, "UPDATE disclosure_request SET outcome = 'withheld.state_secret' WHERE id = 1")
    events = chain(office)
    with office.district_engine.connect() as c:  # and the record's digest recomputed, as a thorough forger would
        digest = dict(stream(query_fetch(c, SQLModel.metadata), "request", SQLModel.metadata))[1]
    last = max(i for i, e in enumerate(events) if e["subject_kind"] == "request" and e["subject_id"] == 1)
    events[last]["after"] = re.sub(r'"digest":"[A-Za-z.]+"', f'"digest":"{digest}"', events[last]["after"])
    prev = None
    with office.district_engine.begin() as c:
        for event in events:
            if event["action"] == "reply":
                event["after"] = event["after"].replace("withheld.process_info", "withheld.state_secret")
            if prev is not None:
                event["prev_hash"] = prev
                event["hash"] = event_hash(event, prev)
                c.execute(text("UPDATE event SET after = :after, prev_hash = :prev_hash, hash = :hash WHERE id = :id"),
                          event)
            prev = event["hash"]
        c.execute(text("UPDATE audit_chain SET last_hash = :h"), {"h": prev})
    assert gk.json("audit", "verify")["ok"]  # chain and records agree with each other now...
    rewritten = gk("audit", "verify", "--expect-head", written)  # ...but not with the head written down
    assert rewritten.exit_code == 2 and "此后日志被改写" in rewritten.stderr


def test_a_bad_expected_head_is_refused_in_chinese(office, gk):
    assert "--expect-head" in gk.fails("audit", "verify", "--expect-head", "12abc").stderr


def test_every_request_event_kind_has_an_entry_in_the_replay_table():
    """A new kind of request step is one entry of REQUEST.actions: this fails until it has one."""
    assert set(TRANSITIONS) | {"receive", "import", "reveal", "edit"} <= set(REQUEST.actions)
    assert all(subject.actions for subject in SUBJECTS)


def test_the_annual_report_prints_the_head_it_was_built_from(office, gk):
    report = gk.json("report", "annual", "--year", "2026")
    written = gk.ok("audit", "head").stdout.strip()
    assert report["audit_head"]["head"] == written
    assert f"依据的事件日志链头：{written}" in gk.ok("report", "annual", "--year", "2026").stdout
    gk.ok("audit", "verify", "--expect-head", written)


def add_accounts(gk) -> None:
    gk.ok("user", "add", "admin", "--role", "单位管理员", "--password-stdin", input="Admin-Pass-2026\n")
    gk.ok("login", "admin", "--password-stdin", input="Admin-Pass-2026\n")  # managing accounts: the administrator
    for name, role in (("lisi", "承办人"), ("wangwu", "本机关负责人"), ("zhaoliu", "承办人")):
        gk.ok("user", "add", name, "--role", role, "--by", "admin", "--password-stdin", input=f"{name}-Pass-2026\n")
    gk.ok("user", "disable", "zhaoliu", "--by", "admin")
    gk.ok("user", "passwd", "lisi", "--by", "admin", "--password-stdin", input="lisi-New-Pass-2026\n")


def test_accounts_as_their_events_made_them_pass(office, gk):
    add_accounts(gk)
    report = gk.json("audit", "verify")
    assert report["ok"] and report["records"]["checked"]["account"] == 4
    assert "账户 4 个" in gk.ok("audit", "verify").stdout


ACCOUNT_TAMPERING = [
    # a 承办人 given the head's role, so that they can approve extensions themselves
    ("UPDATE account SET roles = '[\"handler\", \"agency_head\"]' WHERE name = 'lisi'",
     "账户 2（lisi）的角色为“承办人、本机关负责人”，事件日志记载为“承办人”"),
    ("UPDATE account SET disabled = false WHERE name = 'zhaoliu'", "账户 4（zhaoliu）的停用为“否”，事件日志记载为“是”"),
    # the head's password replaced by one the intruder knows (here: lisi's hash)
    ("UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE name = 'lisi') WHERE name = 'wangwu'",
     "账户 3（wangwu）的密码与事件日志记载的不符"),
    ("UPDATE account SET display_name = '王五' WHERE name = 'admin'", "账户 1（admin）的姓名为“王五”，事件日志记载为“（空）”"),
    ("INSERT INTO account (id, unit_id, version, name, display_name, roles, disabled, password_hash, failed_logins, "
     "created_at) VALUES (9, (SELECT MIN(id) FROM unit), 1, 'ghost', '', '[\"unit_head\"]', false, 'x', 0, "
     "'2026-11-27 00:00:00')",
     "账户 9（ghost）在事件日志中没有任何记载"),
]


def test_an_account_edited_behind_the_applications_back_is_named(office, gk):
    add_accounts(gk)
    sql(office, *(statement for statement, _ in ACCOUNT_TAMPERING))
    refused = gk("audit", "verify")
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    for _, named in ACCOUNT_TAMPERING:
        assert named in refused.stderr
    assert "$argon2" not in refused.stderr and "x" not in refused.stderr.split("密码")[-1][:5]
    report = json.loads(gk("audit", "verify", "--json").stdout)
    assert report["records"]["count"] == len(ACCOUNT_TAMPERING)
    assert all(p["kind"] == "account" for p in report["records"]["problems"])


def test_a_deleted_account_is_named(office, gk):
    add_accounts(gk)
    sql(office, "DELETE FROM account WHERE name = 'wangwu'")
    assert "账户 3（wangwu）在事件日志中有 1 条记载，但记录已不存在" in gk.fails("audit", "verify", code=2).stderr


def test_logging_in_changes_no_account_fact_the_log_does_not_hold(office, gk):
    """Failed logins, the lock they cause and a successful login after it leave the account
    consistent with its events (the failure count and the lock's end are not facts the log holds)."""
    import datetime as dt

    from gongkai.core.accounts import login

    add_accounts(gk)
    app = App()
    for _ in range(login.MAX_FAILURES):
        with pytest.raises(login.LoginRefused):
            login.authenticate(app, "wangwu", "wrong-password")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=login.LOCK_MINUTES + 1)
    assert login.authenticate(app, "wangwu", "wangwu-Pass-2026", now=later).name == "wangwu"
    with app.session() as session:
        actions = list(session.execute(select(Event.action).where(Event.subject_kind == "account")).scalars())
    app.engine.dispose()
    assert "user_locked" in actions
    assert gk.json("audit", "verify")["ok"]


def test_the_messages_name_steps_and_clocks_not_codes(office, gk):
    """A reader of `audit verify` knows the review steps and clocks by their names (codes stay in --json)."""
    sql(office, "UPDATE request_review SET actor = '王五' WHERE step_id = 'draft'",
        "UPDATE deadline SET status = 'open', met_on = NULL WHERE owner_kind = 'matter'")
    err = gk.fails("audit", "verify", code=2).stderr
    assert "（承办人拟稿，王五，同意，2026-03-10，拟答复：属于四类过程性信息）" in err and "（在线咨询答复，未办结，（空））" in err
    for code in ("draft", "consult.reply", "office_head"):
        assert code not in err

