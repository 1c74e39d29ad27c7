"""Every column of every record table is under the log (issue 33 item 1): the schema is walked
and each column of a stored row edited in turn, by SQL behind the application's back; ``audit
verify`` must name the record each time. A column added later fails here until it is covered
(by the record digests of core/records/digest.py, or a check of its own), or is listed below
with the reason it need not be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, types, update
from sqlmodel import SQLModel

from gongkai.core.app import App
from gongkai.core.assessment.evaluation import record_tallies
from gongkai.core.audit.replay import verify_all
from gongkai.core.records.digest import GROUPS
from gongkai.core.records.storage import import_models

# Tables that are not records behind the log, and why.
NOT_RECORDS = {
    "event": "the log itself: its hash chain proves it (tests/test_audit_chain.py)",
    "audit_chain": "the chain's head: checked against the chain, and by --expect-head",
    "setting": "the database's own settings (the calendar its clocks were computed on), not a record",
    "ledger_import": "where an interrupted ledger import resumes; each request it stored has its own events",
    "web_session": "who is signed in now, in a browser or a command line (kind): ended by logout, timeout or a "
                   "password change, never evidence of a step",
    "login_event": "the login history, apart from the records' chain by design: who used the system, not what was done",
    "public_post_count": "the public form's per-address rate limit (/apply, /track): counts of the last hours, pruned, "
                         "never evidence of a step",
}
# Columns that are derived caches of others, and why (core/records/digest.py DERIVED).
DERIVED = {
    ("account", "failed_logins"): "login throttling, moved by every failed login without an event",
    ("account", "locked_until"): "login throttling; the lock-out itself is logged (user_locked)",
    ("account", "totp_step"): "the last TOTP time step accepted (a code is good once), moved by every login with a code",
    ("account", "version"): "the optimistic-locking counter, moved by the throttling updates",
}
SURROGATE = "a child row's surrogate key: renumbered by import-db; rows are digested by content in id order"


@pytest.fixture
def office(backend, unit, gk):
    """A unit with a row in every record table: requests replied, extended, appealed, amended,
    corrected and paused; documents reviewed and re-evaluated; a matter; a decision count; an account."""
    unit("changning")
    for applicant, day in (("张三", "2026-03-02"), ("李四", "2026-03-03"), ("王五", "2026-03-04")):
        gk.ok("request", "new", "--applicant", applicant, "--applicant-type", "natural_person", "--channel",
              "in_person", "--submitted", day, "--subject", "2026年老旧小区改造资金安排",
              "--id-number", "110101199003074514", "--contact", "13812345678")
    # the first signature states the proposed reply, the others approve it as it stands
    proposal = ("--outcome", "withheld.process_info", "--reason", "经审查属于过程性信息",
                "--withheld", "第3页：过程性信息（条例 第十六条）")
    for step in ("draft", "confidentiality", "office_head"):
        gk.ok("request", "review", "1", "--step", step, "--by", f"审核人{step}", "--decision", "approve", "--on", "2026-03-10",
              *(proposal if step == "draft" else ()))
    gk.ok("request", "extend", "1", "--days", "20", "--approved-by", "主任", "--on", "2026-03-05")
    gk.ok("request", "reply", "1", "--on", "2026-03-11", "--by", "经办人")
    gk.ok("request", "appeal", "1", "--kind", "reconsideration", "--filed", "2026-04-01", "--result", "纠正",
          "--decided", "2026-05-29")
    for step in ("draft", "confidentiality", "office_head"):
        gk.ok("request", "review", "1", "--step", step, "--by", f"审核人{step}", "--decision", "approve", "--on", "2026-06-01",
              *(("--outcome", "disclosed", "--reason", "已形成正式文件") if step == "draft" else ()))
    gk.ok("request", "amend", "1", "--reason", "复议决定纠正", "--on", "2026-06-01")
    gk.ok("request", "correct", "2", "--notice-on", "2026-03-05", "--period-days", "10")
    gk.ok("request", "corrected", "2", "--on", "2026-03-06")
    gk.ok("request", "pause", "3", "--reason", "征求第三方意见", "--on", "2026-03-06")
    gk.ok("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")
    gk.ok("document", "new", "--title", "内部文件", "--kind", "其他", "--attribute", "不予公开", "--reason", "内部事务信息",
          "--finalised", "2026-09-24")
    gk.ok("document", "review", "2", "--step", "政务公开工作机构审查同意公开属性", "--by", "审查人", "--decision", "approve",
          "--on", "2026-09-25")
    gk.ok("document", "reevaluate", "2", "--on", "2026-10-10", "--by", "审查人", "--note", "维持")
    gk.ok("matter", "open", "consult.reply", "--at", "2026-10-06")
    gk.ok("matter", "close", "1", "--at", "2026-10-09")
    gk.ok("document", "decisions", "--year", "2026", "--licensing", "12")
    gk.ok("unit", "contact", "--office-name", "某某局办公室", "--address", "某路1号", "--hours", "工作日9:00-17:00",
          "--phone", "021-12345678", "--fax", "021-12345679", "--email", "gk@example.gov.cn", "--postcode", "200050")
    gk.ok("report", "publish", "--year", "2025")
    # the applicant's side: an online application with its scan, confirmed; a file and a delivery of request 1
    from online_helpers import PDF, file_online

    from gongkai.core.today import today

    application, _ = file_online()
    gk.ok("request", "confirm", str(application), "--on", today().isoformat())
    proof = Path.cwd() / "送达回证.pdf"
    proof.write_bytes(PDF + b"proof")
    gk.ok("request", "deliver", "1", "--how", "邮寄", "--on", "2026-03-12", "--tracking", "EMS1", "--proof", str(proof))
    gk.ok("user", "add", "admin", "--role", "单位管理员", "--password-stdin", input="Admin-Pass-2026\n")
    app = App()
    with app.session() as session:  # the yearly 社会评议 tallies (no CLI in this jurisdiction: no rule for them)
        record_tallies(session, "长宁区某局", 2026, {"满意": 120, "基本满意": 30, "不满意": 5})
    yield app
    app.engine.dispose()


def _verify(app: App) -> dict:
    with app.session() as session:
        return verify_all(session, registry=app.registry, calendar=app.calendar)


def _owner(table: str) -> tuple[str, str] | None:
    """(subject kind, column naming the record) of a table in a record group."""
    for kind, group in GROUPS.items():
        if table == group.table:
            return kind, "id"
        for part in group.parts:
            if part.table == table:
                return kind, part.parent
    return None


def _changed(conn, table, column, value):
    """Another value for ``column`` that the database accepts."""
    col = table.c[column]
    for fk in col.foreign_keys:  # another row it may point to
        target = fk.column
        other = conn.execute(select(target).where(target != value).order_by(target.desc()).limit(1)).scalar()
        return None if value is not None and other is None and col.nullable else other
    if column == "id":
        return value + 1000
    if column in ("unit_id", "owner_id", "request_id", "document_id"):
        return value + 100
    kind = getattr(col.type, "impl", col.type)  # through a TypeDecorator (UTCDateTime, AutoString)
    if isinstance(kind, types.LargeBinary):  # a file's content: one bit of it
        return bytes(value[:-1]) + bytes([value[-1] ^ 1])
    if isinstance(kind, types.Boolean):
        return not value
    if isinstance(kind, types.Integer):
        return 1 if value is None else value - 1 if value > 0 else value + 1
    if isinstance(kind, (types.Numeric, types.Float)):
        return 1 if value is None else value + 1
    if isinstance(kind, types.DateTime):
        return dt.datetime(2026, 1, 5, 8, tzinfo=dt.timezone.utc) if value is None else value + dt.timedelta(hours=1)
    if isinstance(kind, types.Date):
        return dt.date(2026, 1, 5) if value is None else value + dt.timedelta(days=1)
    return "改" if not value else value[:-1] + ("改" if value[-1] != "改" else "动")


def _foreign_keys(conn, on: bool) -> None:
    """Foreign keys enforced or not on ``conn`` (as SQL behind the application could), outside a transaction."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
    else:
        conn.exec_driver_sql(f"SET session_replication_role = {'origin' if on else 'replica'}")
    conn.commit()


def _named(report: dict, kind: str | None, record_id) -> bool:
    problems = report["records"]["problems"]
    return any(p["kind"] == kind and (record_id is None or p["id"] == record_id) for p in problems)


def test_an_edit_of_any_column_of_any_record_table_is_named_by_audit_verify(office):
    import_models()
    assert _verify(office)["ok"]
    missed, checked = [], 0
    with office.district_engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in NOT_RECORDS:
                continue
            owner = _owner(table.name)
            query = select(table).order_by(table.c.id).limit(1)
            if table.name == "deadline_term":  # one a clock uses (a term no clock uses any longer dates nothing)
                query = query.where(table.c.id.in_(select(SQLModel.metadata.tables["deadline"].c.term_id)))
            with conn.begin():
                row = conn.execute(query).first()
            assert row is not None, f"the fixture stores no row of {table.name}: add one"
            for column in table.c:
                if (table.name, column.name) in DERIVED:
                    continue
                if column.name == "id" and owner is not None and owner[1] != "id":
                    continue  # SURROGATE
                if column.name == "id" and table.name in ("letter_sequence", "evaluation_tally", "attachment_chunk"):
                    continue  # SURROGATE (rows compared by what they hold: year and series, unit, year and grade; content hash)
                old = row._mapping[column.name]
                key = table.c.id
                if column.name == "id":  # a record renumbered, its rows left pointing at the old number
                    _foreign_keys(conn, False)
                with conn.begin():
                    new = _changed(conn, table, column.name, old)
                    conn.execute(update(table).where(key == row.id).values({column.name: new}))
                try:
                    report = _verify(office)
                finally:
                    with conn.begin():
                        conn.execute(update(table).where(key == (new if column.name == "id" else row.id))
                                     .values({column.name: old}))
                    if column.name == "id":
                        _foreign_keys(conn, True)
                checked += 1
                if owner is not None:
                    kind, parent = owner
                    if table.name in ("deadline", "attachment"):
                        kind = row._mapping["owner_kind"]
                    found = _named(report, kind, row._mapping[parent])
                elif table.name == "deadline_term":  # its dates recomputed; its inputs digested with each clock's owner
                    found = _named(report, "deadline_term", row.id) or not report["records"]["ok"]
                else:
                    found = _named(report, table.name, None)
                if report["ok"] or not found:
                    missed.append(f"{table.name}.{column.name}: {old!r} -> {new!r}")
    assert not missed, f"edits audit verify did not name ({len(missed)} of {checked}): " + "; ".join(missed)
    assert _verify(office)["ok"]


def test_records_from_before_the_digests_verify_and_are_brought_under_them_by_audit_seal(backend, unit, gk, tmp_path):
    """A database from before the digests: its events carry none, and it still verifies (each
    record checked field by field, as then). `audit seal` (after a clean verify) gives each record
    a sealed event with its digest: an edit of a column the old events never stated is named."""
    import gzip
    import shutil
    from pathlib import Path

    from sqlalchemy import create_engine, text

    if backend.name != "sqlite":
        pytest.skip("the database from before the digests is a unit's own SQLite file")
    old = Path(__file__).parent / "data" / "unit-before-districts.db.gz"
    with gzip.open(old) as packed, open(tmp_path / "gongkai.db", "wb") as out:
        shutil.copyfileobj(packed, out)
    unit("changning")
    assert gk.json("audit", "verify")["ok"]
    engine = create_engine(f"sqlite:///{tmp_path / 'gongkai.db'}")

    def edit(column, value):
        with engine.begin() as c:
            c.execute(text(f"UPDATE disclosure_request SET {column} = :v WHERE id = 2"), {"v": value})

    with engine.connect() as c:
        contact, received = c.execute(text("SELECT applicant_contact, received FROM disclosure_request WHERE id = 2")).one()
    edit("applicant_contact", "13900000000")
    assert gk.json("audit", "verify")["ok"]  # what the old events never stated cannot be checked against them
    edit("applicant_contact", contact)
    edit("received", "2026-01-05")  # what they state is: and sealing now would bless the edit, so it is refused
    assert "不能加封" in gk.fails("audit", "seal").stderr
    edit("received", received)
    with engine.begin() as c:  # its unit's row, made by revision 0016, is not under the log before sealing either
        c.execute(text("UPDATE unit SET letter_prefix = '改前'"))
    assert gk.json("audit", "verify")["ok"]
    sealed = gk.json("audit", "seal")["sealed"]
    assert sealed["request"] == 3 and sealed["unit"] == 1
    assert gk.json("audit", "verify")["ok"]
    assert gk.json("audit", "seal")["sealed"] == {**{kind: 0 for kind in sealed}}  # once
    edit("applicant_contact", "13900000000")
    report = gk("audit", "verify")
    assert report.exit_code == 2 and "申请 2 的“申请人联系方式”与事件日志不符" in report.stderr
    edit("applicant_contact", contact)
    with engine.begin() as c:
        c.execute(text("UPDATE unit SET letter_prefix = '改后'"))
    report = gk("audit", "verify")
    assert report.exit_code == 2 and "单位 1（main）的“机关代字”与事件日志不符" in report.stderr, report.stderr
    engine.dispose()


ISSUE_33_MISSES = [  # the tamperings `audit verify` missed (issue 33), each with the record it must name
    ("UPDATE disclosure_request SET applicant_name = '赵六' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET subject = '改过的申请内容' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET submitted = '2026-03-01' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET confirmed = '2026-03-03' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET ref = '长申〔2026〕99号' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET letter_serial = 9 WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET withheld_parts = '[{\"part\": \"第2页\", \"reason\": \"改\"}]' WHERE id = 1",
     ("request", 1)),
    ("UPDATE disclosure_request SET reasons = '改过的理由' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET legal_basis = '改过的依据' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET applicant_contact = '13900000000' WHERE id = 1", ("request", 1)),
    ("UPDATE disclosure_request SET applicant_id_number = '110101199003074515' WHERE id = 1", ("request", 1)),
    ("UPDATE request_review SET comment = '改过的意见' WHERE request_id = 1", ("request", 1)),
    ("UPDATE request_review SET superseded = NOT superseded WHERE request_id = 1", ("request", 1)),
    ("UPDATE request_extension SET applicant_told_on = '2026-03-20' WHERE request_id = 1", ("request", 1)),
    ("UPDATE deadline_term SET due = '2027-09-30' WHERE id IN "
     "(SELECT term_id FROM deadline WHERE owner_kind = 'request' AND owner_id = 2 AND name = 'reply')", ("deadline_term", None)),
    ("UPDATE deadline SET term_id = (SELECT min(t.id) FROM deadline_term t WHERE t.id <> deadline.term_id) "
     "WHERE owner_kind = 'request' AND owner_id = 2 AND name = 'reply'", ("request", 2)),
    ("DELETE FROM request_pause WHERE request_id = 3", ("request", 3)),
    ("UPDATE letter_sequence SET last = 0", ("letter_sequence", None)),
    ("UPDATE document SET finalised = '2026-09-20' WHERE id = 1", ("document", 1)),
]


def test_each_tampering_issue_33_found_missed_is_named(office):
    from sqlalchemy import text

    import_models()
    with office.district_engine.connect() as conn:  # saved, to be put back after each tampering
        _SAVED[id(office)] = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                              for t in SQLModel.metadata.sorted_tables}
    assert _verify(office)["ok"]
    missed = []
    for statement, (kind, record_id) in ISSUE_33_MISSES:
        with office.district_engine.connect() as conn:
            transaction = conn.begin()
            conn.execute(text(statement))
            transaction.commit()
        report = _verify(office)
        if report["ok"] or not _named(report, kind, record_id):
            missed.append(statement)
        # undone by putting the database back: each tampering is judged alone
        _restore(office)
    assert not missed, missed


_SAVED: dict = {}


def _restore(app: App) -> None:
    """The records as the fixture left them (saved on the first call, written back on the next ones)."""
    from sqlalchemy import delete, insert

    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in ("event", "audit_chain", "setting", "unit")]
    with app.district_engine.begin() as conn:
        if id(app) not in _SAVED:
            raise AssertionError("save first")
        _foreign_keys_off = conn.dialect.name == "postgresql"
        if _foreign_keys_off:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for table in reversed(tables):
            conn.execute(delete(table))
        for table in tables:
            rows = _SAVED[id(app)][table.name]
            if rows:
                conn.execute(insert(table), rows)


NAMED_COLUMNS = [  # a tampering, and the words `audit verify` names it by (issue 33: the column, not only the record)
    ("UPDATE disclosure_request SET applicant_name = '赵六' WHERE id = 1", "申请 1 的“申请人”与事件日志不符"),
    ("UPDATE disclosure_request SET applicant_contact = '13900000000', subject = '改' WHERE id = 2",
     "申请 2 的“申请人联系方式”、“申请内容”与事件日志不符"),
    ("UPDATE request_review SET comment = '改过的意见' WHERE request_id = 1", "申请 1 的“审核记录”与事件日志不符"),
    ("UPDATE document SET finalised = '2026-09-20' WHERE id = 1", "文件 1 的“定稿日期”与事件日志不符"),
    ("UPDATE unit SET name = '改过的单位'", "单位 1（main）的“单位全称”与事件日志不符"),
    ("UPDATE unit SET created_at = '2026-01-05 08:00:00'", "单位 1（main）的“创建时间”与事件日志不符"),
    ("UPDATE evaluation_tally SET count = 121 WHERE grade = '满意'", "2026 年“长宁区某局”的社会评议结果与事件日志不符（满意：库中121，日志120）"),
    ("UPDATE evaluation_tally SET recorded_at = '2026-01-05 08:00:00'", "2026 年“长宁区某局”的社会评议结果的“登记时间”与事件日志不符"),
]


def test_audit_verify_names_the_column_that_differs_in_chinese(office, gk):
    from sqlalchemy import text

    import_models()
    with office.district_engine.connect() as conn:
        _SAVED[id(office)] = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                              for t in SQLModel.metadata.sorted_tables}
        unit_row = dict(conn.execute(select(SQLModel.metadata.tables["unit"])).one()._mapping)
    wrong = []
    for statement, words in NAMED_COLUMNS:
        with office.district_engine.begin() as conn:
            conn.execute(text(statement))
        result = gk("audit", "verify")
        if result.exit_code != 2 or words not in result.stderr:
            wrong.append((statement, result.stderr[-400:]))
        _restore(office)
        with office.district_engine.begin() as conn:
            conn.execute(update(SQLModel.metadata.tables["unit"]).values(unit_row))
    assert not wrong, wrong
    assert gk("audit", "verify").exit_code == 0
