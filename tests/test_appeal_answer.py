"""The unit as respondent: the answer clocks of a reconsideration and a lawsuit, the answer's draft,
the evidence bundle and its check against the records (issue 31)."""

from __future__ import annotations

from requests_helpers import approve_chain, new_request


def replied(gk):
    """A request taken from application to reply, on the real 2025 calendar."""
    rid = str(new_request(gk, submitted="2025-08-01", subject="2025年某路段拓宽工程立项批复")["id"])
    approve_chain(gk, rid, ["draft", "office_head"], on="2025-08-12", outcome="withheld.process_info",
                  proposal=("--reason", "经审查属于过程性信息"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.process_info", "--on", "2025-08-13")
    return rid


def test_reconsideration_answer_clock_counts_working_days_over_national_day(backend, gk, unit):
    unit("yanta")
    rid = replied(gk)
    # the copy received on Friday 26 September 2025, before the National Day holiday (1–8 October;
    # Sunday 28 September and Saturday 11 October are working days): 10 working days end on 16 October
    shown = gk.json("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22",
                    "--copy-received", "2025-09-26")
    (appeal,) = shown["appeals"]
    assert appeal["copy_received"] == "2025-09-26" and appeal["answer_due"] == "2025-10-16"
    clock = shown["clocks"]["appeal_answer"]
    assert clock["due"] == "2025-10-16" and clock["status"] == "open"
    gk.fails("appeal", "answered", rid, "--on", "2025-09-25")  # before the copy came
    shown = gk.json("appeal", "answered", rid, "--on", "2025-10-15")
    assert shown["clocks"]["appeal_answer"]["status"] == "met"
    assert shown["appeals"][0]["answered_on"] == "2025-10-15"
    gk.fails("appeal", "answered", rid, "--on", "2025-10-16", code=3)  # once
    assert gk.json("audit", "verify")["ok"]


def test_lawsuit_defence_period_ending_on_a_holiday_rolls_to_the_next_working_day(backend, gk, unit):
    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2025-09-10")
    # 15 days from 16 September end on 1 October, a holiday: the period ends on 9 October
    shown = gk.json("request", "appeal", rid, "--copy-received", "2025-09-16")
    assert shown["appeals"][0]["answer_due"] == "2025-10-09"
    shown = gk.json("request", "appeal", rid, "--hearing", "2025-11-20", "--head-appeared")
    assert shown["appeals"][0]["hearing_on"] == "2025-11-20" and shown["appeals"][0]["head_appeared"] is True
    shown = gk.json("appeal", "answered", rid, "--on", "2025-10-10")  # a day late
    assert shown["clocks"]["appeal_answer"]["status"] == "late"
    assert gk.json("audit", "verify")["ok"]


def test_the_answer_draft_holds_every_date_from_the_records(gk, unit, tmp_path):
    from gongkai.core.paperwork.render import docx_text

    unit("yanta")
    rid = replied(gk)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-26")
    out = tmp_path / "答复书.docx"
    gk.ok("appeal", "answer", rid, "--format", "docx", "--out", str(out))
    text = docx_text(out)
    assert "行政复议答复书" in text and "被申请人：测试单位政府办公室" in text and "申请人：张三" in text
    for day in ("2025年8月1日", "2025年8月12日", "2025年8月13日", "2025年8月29日", "2025年9月22日",
                "2025年9月26日", "2025年10月16日"):
        assert day in text, day
    assert "《中华人民共和国行政复议法》第四十八条" in text and "在法定期限内" in text
    assert "经审查属于过程性信息" in text and "请求复议机关依法予以维持" in text
    pdf = tmp_path / "答复书.pdf"
    gk.ok("appeal", "answer", rid, "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
