"""The other facts of a year move in too (issue 21 item 3): a request still open at year end
with its clock (consultations, the fee notice until payment, a correction, extensions), how a
withdrawal came in, and the fee's payment date. Recorded one by one, exported by ``ledger
--xlsx``, imported into an empty database on the same backend: the imported ledger shows the
same state, due date and working days used and left, and the records agree with the log."""

from __future__ import annotations

import csv

from requests_helpers import before_steps, new_request

AS_OF = "2026-01-09"
COMPARED = ("ref", "state", "received", "period_start", "due", "limit", "working_days_used", "days_left", "paused",
            "overdue", "late", "outcome", "replied_on", "fee_amount", "fee_paid_on", "withdrawal_how")


def record_one_by_one(gk):
    """Six requests of a 2025 that gongkai saw step by step."""
    ids = {}

    def intake(ref, submitted):
        ids[ref] = new_request(gk, submitted=submitted, applicant=f"申请人{ref}", extra=["--ref", ref])["id"]
        return ref

    # consulted a third party, then extended; still open at year end
    r = intake("甲1", "2025-11-20")
    gk.ok("request", "pause", r, "--reason", "third_party", "--on", "2025-11-25")
    gk.ok("request", "resume", r, "--on", "2025-12-05")
    gk.ok("request", "extend", r, "--days", "20", "--approved-by", "张主任", "--on", "2025-12-10",
          "--told-on", "2025-12-11")
    # corrected (the period starts again), then consulting another agency over New Year
    r = intake("甲2", "2025-12-01")
    gk.ok("request", "correct", r, "--notice-on", "2025-12-03", "--period-days", "15")
    gk.ok("request", "corrected", r, "--on", "2025-12-10")
    gk.ok("request", "pause", r, "--reason", "other_agency", "--on", "2025-12-22")
    # a fee: noticed, paid in 2025, answered in 2026 (collected in 2025)
    r = intake("甲3", "2025-12-08")
    gk.ok("request", "fee", r, "--method", "per_page", "--pages", "150", "--notice-on", "2025-12-15")  # the clock stops
    gk.ok("request", "resume", r, "--on", "2025-12-26")
    for i, step in enumerate(before_steps(gk, ids[r])):
        gk.ok("request", "review", r, "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2026-01-05", "--outcome", "disclosed")
    gk.ok("request", "reply", r, "--outcome", "disclosed", "--on", "2026-01-06")
    # withdrawn by telephone
    r = intake("甲4", "2025-12-15")
    gk.ok("request", "withdraw", r, "--on", "2025-12-18", "--how", "电话")
    # told to correct, never did: abandoned
    r = intake("甲5", "2025-10-09")
    gk.ok("request", "correct", r, "--notice-on", "2025-10-10", "--period-days", "10")
    gk.ok("request", "abandon", r, "--on", "2025-11-10")
    # plainly open
    intake("甲6", "2025-12-29")
    # a fee noticed and never paid (逾期未缴费, issue 32 item 24): answered 其他处理, no fee collected
    r = intake("甲7", "2025-11-03")
    gk.ok("request", "fee", r, "--method", "per_page", "--pages", "150", "--notice-on", "2025-11-05")
    gk.fails("request", "resume", r, "--on", "2025-11-20", "--unpaid")  # the 20 working days still run
    gk.ok("request", "resume", r, "--on", "2025-12-05", "--unpaid")
    for i, step in enumerate(before_steps(gk, ids[r])):
        gk.ok("request", "review", r, "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2025-12-08", "--outcome", "other.unpaid_fee")
    gk.ok("request", "reply", r, "--outcome", "other.unpaid_fee", "--on", "2025-12-09")
    return ids


def ledger_rows(gk):
    return {r["ref"]: {k: r[k] for k in COMPARED} for r in gk.json("ledger", "--as-of", AS_OF)}


def test_open_requests_with_their_clocks_move_in_as_recorded(backend, unit, gk, tmp_path, monkeypatch, request):
    unit("xixian")
    record_one_by_one(gk)
    original = ledger_rows(gk)
    assert original["甲2"]["state"] == "paused" and original["甲1"]["days_left"] is not None
    assert original["甲3"]["fee_paid_on"] == "2025-12-26" and original["甲4"]["withdrawal_how"] == "电话"
    assert original["甲7"]["fee_paid_on"] is None and original["甲7"]["outcome"] == "other.unpaid_fee"
    reports = {year: gk.json("report", "annual", "--year", str(year)) for year in (2025, 2026)}
    assert reports[2025]["fees_collected"]["requests"] == 1  # paid in 2025, answered in 2026
    assert reports[2026]["fees_collected"]["requests"] == 0
    exported = tmp_path / "台账.xlsx"
    gk.ok("ledger", "--xlsx", str(exported))

    fresh = (request.getfixturevalue("pg_server").new_database() if backend.name == "postgresql"
             else f"sqlite:///{tmp_path / 'moved.db'}")
    monkeypatch.setenv("GONGKAI_DATABASE_URL", fresh)
    imported = gk.json("request", "import", str(exported))
    assert imported["imported"] == 7 and not imported["errors"]
    assert ledger_rows(gk) == original
    for year, before in reports.items():
        moved = gk.json("report", "annual", "--year", str(year))
        assert moved.pop("audit_head") != before.pop("audit_head")
        assert moved == before
    assert gk.json("audit", "verify")["ok"]
    shown = gk.json("request", "show", "甲1")
    assert [(p["reason"], p["start"], p["end"]) for p in shown["pauses"]] == [("third_party", "2025-11-25", "2025-12-05")]
    assert [(e["amount"], e["approved_by"], e["applicant_told_on"]) for e in shown["extensions"]] == \
        [(20, "张主任", "2025-12-11")]
    unpaid = gk.json("request", "show", "甲7")["pauses"]
    assert [(p["reason"], p["start"], p["end"], p["answered"]) for p in unpaid] == [("fee", "2025-11-05", "2025-12-05", False)]


HEADERS = ["编号", "申请人", "类型", "渠道", "提交日期", "内容", "结果", "答复日期", "收费", "收费通知", "缴费", "中止", "延长", "撤回"]
MAP = ("编号=ref,申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,内容=subject,结果=outcome,"
       "答复日期=replied_on,收费=fee_amount,收费通知=fee_notice_on,缴费=fee_paid_on,中止=pauses,延长=extensions,"
       "撤回=withdrawal_how")
GOOD = ["乙1", "乙", "自然人", "当面提交", "2025-11-03", "预算", "", "", "", "", "", "征求第三方意见：2025-11-05至2025-11-20", "", ""]


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *rows])
    return path


def test_steps_the_single_commands_refuse_are_refused_with_the_line(backend, unit, gk, tmp_path):
    unit("xixian")
    rows = [
        GOOD,
        # extended after the reply period ran out: `request extend` refuses it
        ["乙2", "乙", "自然人", "当面提交", "2025-03-03", "规划", "", "", "", "", "", "", "延长20个工作日，2025-06-30，张主任批准", ""],
        # answered while the clock still stood still
        ["乙3", "乙", "自然人", "当面提交", "2025-03-03", "征收", "disclosed", "2025-04-01", "", "", "",
         "征求第三方意见：2025-03-05至", "", ""],
        # paid without a fee charged
        ["乙4", "乙", "自然人", "当面提交", "2025-03-03", "统计", "", "", "", "2025-03-05", "2025-03-10", "", "", ""],
        # a withdrawal must say how it came in
        ["乙5", "乙", "自然人", "当面提交", "2025-03-03", "补偿", "other.withdrawn", "2025-03-06", "", "", "", "", "", "写信"],
        # a pause in a form the import cannot read
        ["乙6", "乙", "自然人", "当面提交", "2025-03-03", "合同", "", "", "", "", "", "第三方 3月5日", "", ""],
        ["乙7", "乙", "自然人", "当面提交", "2025-03-03", "住房", "other.withdrawn", "2025-03-06", "", "", "", "", "", "书面"],
    ]
    result = gk("request", "import", str(write(tmp_path / "year.csv", rows)), "--map", MAP, "--json")
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    assert report["imported"] == 2
    refused = dict((e["row"], e["error"]) for e in report["errors"])
    assert sorted(refused) == [3, 4, 5, 6, 7]
    assert "不能再延长" in refused[3]
    assert "中止计时" in refused[4]
    assert "未核定信息处理费" in refused[5]
    assert "撤回方式" in refused[6]
    assert "中止计时“第三方 3月5日”" in refused[7]
    rows = {r["ref"]: r for r in gk.json("ledger", "--as-of", "2025-12-31")}
    assert set(rows) == {"乙1", "乙7"}
    assert rows["乙1"]["state"] == "processing" and rows["乙7"]["state"] == "withdrawn"
    assert rows["乙7"]["withdrawal_how"] == "书面"
    assert gk.json("audit", "verify")["ok"]  # the refused rows' savepoints left no event behind
