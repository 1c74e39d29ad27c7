"""The life of a request after the happy path: corrected replies, re-answers after a 纠正
decision, appeals over silence, withdrawal and edited facts, on both backends, and a year of
them replayed into the annual report."""

from __future__ import annotations

from pathlib import Path

import pytest

from requests_helpers import approve_chain, approve_correction, before_steps, new_request

from gongkai.core.law.outcomes import APPLICANT_TYPE_CODES


def reply(gk, rid, outcome, on, approve_on):
    reason = ("--reason", "经审查认定的理由") if outcome.startswith("withheld.") else ()  # 条例 第三十六条（三）
    approve_chain(gk, rid, before_steps(gk, rid), on=approve_on, outcome=outcome, proposal=reason)
    return gk.json("request", "reply", rid, "--outcome", outcome, "--on", on)


def test_a_corrected_reply_keeps_the_earlier_letter(backend, gk, unit, tmp_path):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    reply(gk, rid, "withheld.process_info", "2026-03-11", "2026-03-10")
    refused = gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-12", code=3)
    assert "request amend" in refused.stderr
    approve_correction(gk, rid, "disclosed")
    gk.fails("request", "amend", rid, "--outcome", "disclosed", "--on", "2026-03-20")  # no reason
    gk.fails("request", "amend", rid, "--outcome", "disclosed", "--reason", "误判", "--on", "2026-03-05")  # before it
    shown = gk.json("request", "amend", rid, "--outcome", "disclosed", "--reason", "该信息已形成正式文件，不属于过程性信息",
                    "--on", "2026-03-20", "--provision", "随本告知书提供电子文件")
    assert (shown["outcome"], shown["replied_on"], shown["amended_on"]) == ("disclosed", "2026-03-11", "2026-03-20")
    (prior,) = shown["prior_replies"]
    assert prior["outcome"] == "withheld.process_info" and prior["replied_on"] == "2026-03-11"
    assert prior["superseded_by"] == "amend" and prior["reason"] == "该信息已形成正式文件，不属于过程性信息"
    (event,) = [e for e in shown["events"] if e["action"] == "amend"]
    assert event["before"]["outcome"] == "withheld.process_info" and event["after"]["outcome"] == "disclosed"
    gk.ok("request", "letter", rid, "--format", "md", "--out", "new.md")
    gk.ok("request", "letter", rid, "--format", "md", "--out", "old.md", "--prior", "1")
    new, old = Path("new.md").read_text(encoding="utf-8"), Path("old.md").read_text(encoding="utf-8")
    assert "本告知书更正本机关于2026年3月11日作出的答复" in new and "不属于过程性信息" in new
    assert "予以公开" in new and "2026年3月20日" in new
    assert "过程性信息" in old and "更正" not in old and "2026年3月11日" in old
    gk.fails("request", "letter", rid, "--format", "md", "--out", "x.md", "--prior", "2")
    report = gk.json("report", "annual", "--year", "2026")["requests"]
    assert report["disclosed"]["natural_person"] == 1 and report["withheld.process_info"]["natural_person"] == 0
    assert gk.json("audit", "verify")["ok"]


@pytest.mark.parametrize("jurisdiction", ["xixian", "wuyuan", "yanta"])
def test_a_correction_is_signed_again_along_the_chain(backend, gk, unit, jurisdiction):
    """更正答复 runs the review chain again before the new letter issues: the earlier reply's
    signatures do not count, and no step the chain requires (西咸's 律师审核 and 主要负责同志,
    五原县's 保密审查, the office head) can be skipped by amending."""
    unit(jurisdiction)
    rid = str(new_request(gk)["id"])
    reply(gk, rid, "withheld.process_info", "2026-03-11", "2026-03-10")
    for i, step in enumerate(s["id"] for s in gk.json("request", "show", rid)["review_steps"] if s["stage"] == "after"):
        gk.ok("request", "review", rid, "--step", step, "--by", f"备案人{i}", "--decision", "approve", "--on", "2026-03-12")
    gk.ok("request", "close", rid, "--on", "2026-03-13")
    steps = before_steps(gk, rid)
    amend = ("request", "amend", rid, "--outcome", "予以公开", "--reason", "不属于过程性信息", "--on", "2026-03-20")
    refused = gk.fails(*amend, code=3).stderr
    assert "更正答复须重新经过审核流程" in refused and "request review" in refused and "原答复仍然有效" in refused
    sign = ("--decision", "approve", "--on", "2026-03-18", "--outcome", "disclosed")
    gk.fails("request", "review", rid, "--step", steps[-1], "--by", "负责人", *sign, code=3)  # in the chain's order
    for i, step in enumerate(steps[:-1]):
        gk.ok("request", "review", rid, "--step", step, "--by", f"审核人{i}", *sign)
        if i == 0 and len(steps) > 2:  # the lawyer / the confidentiality review cannot be jumped over either
            gk.fails("request", "review", rid, "--step", steps[-1], "--by", "负责人", *sign, code=3)
    shown = gk.json("request", "show", rid)
    assert shown["state"] == "amending" and shown["state_name"] == "更正答复审核中"
    assert shown["outcome"] == "withheld.process_info"  # the reply in force stands until the correction issues
    (head,) = [s for s in shown["review_steps"] if s["id"] == steps[-1]]
    assert not head["done"]
    refused = gk.fails(*amend, code=3).stderr
    assert head["name"] in refused and "更正答复须重新经过审核流程" not in refused
    gk.ok("request", "review", rid, "--step", steps[-1], "--by", "负责人", *sign)
    gk.fails(*amend[:-1], "2026-03-17")  # dated before the correction's approvals
    shown = gk.json(*amend)
    assert shown["outcome"] == "disclosed" and shown["amended_on"] == "2026-03-20"
    assert all(s["done"] for s in shown["review_steps"] if s["stage"] == "before")
    after = [s for s in shown["review_steps"] if s["stage"] == "after"]
    # the new letter is filed again (西咸 备案) before the request is closed again; otherwise it stays closed
    assert shown["state"] == ("replied" if after else "closed") and not any(s["done"] for s in after)
    (event,) = [e for e in shown["events"] if e["action"] == "amend"]
    assert event["before"]["state"] == "amending"
    again = gk.fails(*amend[:-1], "2026-03-25", code=3).stderr  # a second correction is signed again too
    assert "更正答复须重新经过审核流程" in again
    assert gk.json("audit", "verify")["ok"]


def test_a_withdrawal_has_no_letter_and_counts_under_other(backend, gk, unit):
    unit("xixian")
    rid = str(new_request(gk, applicant_type="research")["id"])
    gk.fails("request", "withdraw", rid, "--on", "2026-03-05", "--how", "传真")
    gk.fails("request", "withdraw", rid, "--on", "2026-02-05", "--how", "电话")  # before receipt
    shown = gk.json("request", "withdraw", rid, "--on", "2026-03-05", "--how", "电话")
    assert shown["state"] == "withdrawn" and shown["outcome"] == "other.withdrawn"
    assert shown["withdrawal_how"] == "电话" and shown["clocks"]["reply"]["status"] == "cancelled"
    assert not shown["overdue"]
    gk.fails("request", "letter", rid, "--format", "md", "--out", "x.md")
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-06", code=3)
    gk.fails("request", "withdraw", rid, "--on", "2026-03-06", "--how", "书面", code=3)
    assert gk.json("report", "annual", "--year", "2026")["requests"]["other.other"]["research"] == 1


def test_editing_facts_logs_before_and_after_and_receipt_recomputes_the_clock(backend, gk, unit):
    unit("xixian")
    rid = str(new_request(gk, applicant="李四", submitted="2026-03-02")["id"])
    due = gk.json("request", "show", rid)["due"]
    gk.fails("request", "edit", rid, "--applicant", "李思")  # no reason: click's own refusal
    gk.fails("request", "edit", rid, "--applicant", "李四", "--reason", "同名")  # nothing changes
    gk.fails("request", "edit", rid, "--applicant-type", "alien", "--reason", "录错")
    shown = gk.json("request", "edit", rid, "--applicant", "李思", "--contact", "13800138000",
                    "--reason", "申请人姓名录入错误")
    assert shown["applicant"] == "李思" and shown["due"] == due
    (event,) = [e for e in shown["events"] if e["action"] == "edit"]
    assert event["before"]["applicant_name"] == "李四" and event["after"]["applicant_name"] == "李思"
    assert event["after"]["reason"] == "申请人姓名录入错误"
    shown = gk.json("request", "edit", rid, "--submitted", "2026-03-09", "--reason", "签收日期录错")
    assert shown["received"] == "2026-03-09" and shown["due"] > due
    gk.fails("request", "edit", rid, "--submitted", "2099-03-09", "--reason", "x")
    approve_chain(gk, rid, before_steps(gk, rid), on="2026-03-10")
    gk.fails("request", "edit", rid, "--submitted", "2026-03-16", "--reason", "x", code=3)  # after the approvals
    assert gk.json("audit", "verify")["ok"]


def test_changning_reanswer_after_an_overturn(backend, gk, unit):
    unit("changning")
    rid = str(new_request(gk, applicant_type="commercial")["id"])
    reply(gk, rid, "unavailable.not_held", "2026-03-11", "2026-03-10")
    gk.fails("request", "reanswer", rid, "--decision-on", "2026-06-01", code=3)  # no 纠正 decision
    appeal = gk.json("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2026-04-01")["appeals"][0]
    gk.ok("request", "appeal", rid, "--appeal-id", str(appeal["id"]), "--result", "纠正", "--decided", "2026-05-29")
    shown = gk.json("request", "reanswer", rid, "--decision-on", "2026-06-01")
    assert shown["state"] == "processing" and shown["outcome"] is None and shown["replied_on"] is None
    assert shown["period_start"] == "2026-06-01" and shown["reanswer_days"] == 20
    assert shown["due"] == "2026-06-30"  # 20 working days after 1 June (端午 19 June off)
    assert shown["clocks"]["reply"]["rule"] == "request.reanswer" and shown["clocks"]["reply"]["status"] == "open"
    assert not any(s["done"] for s in shown["review_steps"])  # the chain runs again
    assert shown["clocks"]["overturned_registration"]["status"] == "open"
    gk.ok("request", "register-overturned", rid, "--on", "2026-06-03")  # Changning's week still runs
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-06-10", code=3)  # chain first
    shown = reply(gk, rid, "disclosed", "2026-06-10", "2026-06-08")
    assert shown["clocks"]["reply"]["status"] == "met" and shown["prior_replies"][0]["superseded_by"] == "reanswer"
    gk.fails("request", "reanswer", rid, "--decision-on", "2026-06-12", code=3)  # that decision was obeyed
    gk.ok("request", "letter", rid, "--format", "md", "--out", "again.md")
    assert "现依法重新答复" in Path("again.md").read_text(encoding="utf-8")
    assert gk.json("audit", "verify")["ok"]


def test_a_replayed_year_counts_the_reply_in_force(backend, gk, unit):
    """A year with a corrected reply, a 纠正 decision and its re-answer, an appeal over silence, a
    withdrawal and an edited name: every cell of sections 三 and 四 they touch, and the log."""
    unit("changning")
    ids = {t: str(new_request(gk, applicant_type=t, applicant=f"申请人{i}", submitted="2026-03-02")["id"])
           for i, t in enumerate(APPLICANT_TYPE_CODES[:5])}
    natural, commercial, research, public, legal = ids.values()
    reply(gk, natural, "withheld.process_info", "2026-03-11", "2026-03-10")
    approve_correction(gk, natural, "disclosed")
    gk.ok("request", "amend", natural, "--outcome", "disclosed", "--reason", "不属于过程性信息", "--on", "2026-03-20")
    reply(gk, commercial, "unavailable.not_held", "2026-03-11", "2026-03-10")
    appeal = gk.json("request", "appeal", commercial, "--kind", "reconsideration", "--filed", "2026-04-01")["appeals"][0]
    gk.ok("request", "appeal", commercial, "--appeal-id", str(appeal["id"]), "--result", "纠正", "--decided", "2026-05-29")
    gk.ok("request", "register-overturned", commercial, "--on", "2026-06-03")
    gk.ok("request", "reanswer", commercial, "--decision-on", "2026-06-01")
    reply(gk, commercial, "disclosed", "2026-06-10", "2026-06-08")
    gk.ok("request", "appeal", research, "--kind", "lawsuit", "--filed", "2026-05-10")  # over silence
    gk.ok("request", "withdraw", public, "--on", "2026-03-05", "--how", "电话")
    gk.ok("request", "edit", legal, "--applicant", "李思", "--reason", "申请人姓名录入错误")
    reply(gk, legal, "disclosed", "2026-03-12", "2026-03-10")

    data = gk.json("report", "annual", "--year", "2026")
    expected = {row: dict.fromkeys(cells, 0) for row, cells in data["requests"].items()}
    expected["new"].update(natural_person=1, commercial=1, research=1, public_interest=1, legal_services=1, total=5)
    expected["disclosed"].update(natural_person=1, commercial=1, legal_services=1, total=3)
    expected["other.other"].update(public_interest=1, total=1)
    expected["total"].update(natural_person=1, commercial=1, public_interest=1, legal_services=1, total=4)
    expected["carried_forward"].update(research=1, total=1)
    assert data["requests"] == expected
    assert data["appeals"]["reconsideration"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert data["appeals"]["lawsuit"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert data["appeals"]["lawsuit_after_reconsideration"]["total"] == 0
    assert [r["applicant"] for r in gk.json("ledger", "--search", "李思")] == ["李思"]
    assert gk.json("ledger", "--search", "李四") == []  # the old name is gone from the index
    verified = gk.json("audit", "verify")
    assert verified["ok"] and verified["broken"] is None


def test_ledger_search_with_filters(backend, gk, unit):
    unit("xixian")
    a = new_request(gk, applicant="张三", subject="2026年老旧小区改造资金安排")["id"]
    b = new_request(gk, applicant="张三丰", applicant_type="commercial", subject="道路拓宽工程立项批复",
                    submitted="2026-04-01")["id"]
    c = new_request(gk, applicant="Li Lei", subject="老旧小区加装电梯补贴名单 50%_x")["id"]
    ids = lambda *args: [r["id"] for r in gk.json("ledger", *args)]  # noqa: E731
    assert ids("--search", "张三") == [a, b]
    assert ids("--search", "老旧小区") == [a, c]
    assert ids("--search", "小区改造") == [a]
    assert ids("--search", "区") == [a, c]  # one character: read the table
    assert ids("--search", "li lei") == [c] and ids("--search", "50%_") == [c] and ids("--search", "%") == [c]
    assert b in ids("--search", str(b)) and ids("--search", f"第{b}号") == [b]  # the 编号
    assert ids("--search", "张三", "--applicant-type", "commercial") == [b]
    assert ids("--search", "张三", "--from", "2026-03-15") == [b] and ids("--to", "2026-03-15", "--search", "张三") == [a]
    gk.ok("request", "withdraw", str(a), "--on", "2026-03-05", "--how", "电话")
    assert ids("--outcome", "other.withdrawn") == [a] and ids("--state", "withdrawn", "--search", "老旧") == [a]
    d = new_request(gk, applicant="王五", subject="老旧小区名单")["id"]  # stored after the index was built
    assert ids("--search", "老旧小区") == [a, c, d]
    gk.ok("request", "edit", str(d), "--subject", "征收补偿方案", "--reason", "申请内容录入错误")
    assert ids("--search", "老旧小区") == [a, c] and ids("--search", "补偿方案") == [d]
    assert gk.fails("ledger", "--search", " ").stderr.strip()
    gk.fails("ledger", "--outcome", "nonsense")


def test_the_lifecycle_options_take_chinese_labels_and_a_bad_value_lists_them(backend, gk, unit):
    """amend --outcome, the ledger's --outcome/--applicant-type/--state, edit's --applicant-type
    and --channel: the code or its Chinese label; a bad value is refused listing the labels."""
    unit("xixian")
    a = str(new_request(gk, applicant="张三")["id"])
    b = str(new_request(gk, applicant="李四", applicant_type="commercial")["id"])
    ids = lambda *args: [str(r["id"]) for r in gk.json("ledger", *args)]  # noqa: E731
    assert ids("--applicant-type", "商业企业") == [b] and ids("--applicant-type", "自然人", "--search", "张三") == [a]
    shown = gk.json("request", "edit", a, "--applicant-type", "科研机构", "--channel", "当面提交", "--reason", "类型录错")
    assert shown["applicant_type"] == "research" and shown["channel"] == "in_person"
    gk.ok("request", "withdraw", b, "--on", "2026-03-05", "--how", "电话")
    assert ids("--outcome", "其他处理（申请人撤回申请）") == [b] and ids("--state", "申请人撤回") == [b]
    reply(gk, a, "withheld.process_info", "2026-03-11", "2026-03-10")
    approve_correction(gk, a, "disclosed")
    assert gk.json("request", "amend", a, "--outcome", "予以公开", "--reason", "不属于过程性信息",
                   "--on", "2026-03-20")["outcome"] == "disclosed"
    for args, what in ((("ledger", "--outcome", "公开了"), "答复结果"),
                       (("ledger", "--applicant-type", "alien"), "申请人类型"),
                       (("request", "edit", a, "--channel", "飞鸽", "--reason", "x"), "提交渠道"),
                       (("request", "edit", a, "--applicant-type", "alien", "--reason", "x"), "申请人类型")):
        refused = gk.fails(*args).stderr
        assert f"不是有效的{what}" in refused and "可选：" in refused, refused
        assert "natural_person" not in refused and "in_person" not in refused and "disclosed" not in refused
