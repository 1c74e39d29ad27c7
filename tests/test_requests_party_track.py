"""五原县's 党务公开 applications: a request track of their own (依申请公开制度, resting on Party rules).

Government-information requests keep the 条例; a party-track application is timed by the
party.* rules, ends with an outcome of item 四, states item 七's route in its letter, and stays
out of the 条例's annual report. Core names no jurisdiction: the track is the plugin's data.
"""

import pytest

from requests_helpers import before_steps, new_request

PARTY = ("--track", "party")


def party_request(gk, **kw):
    return new_request(gk, extra=PARTY, **kw)


def approve(gk, rid, outcome, on="2026-03-10"):
    for i, step in enumerate(before_steps(gk, rid)):
        gk.ok("request", "review", str(rid), "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--outcome", outcome, "--on", on)


def test_a_party_application_runs_to_its_letter(gk, unit, tmp_path):
    unit("wuyuan")
    made = gk.ok("request", "new", "--track", "党务公开申请", "--applicant", "张三", "--applicant-type", "自然人",
                 "--channel", "当面", "--submitted", "2026-03-02", "--subject", "某党支部换届选举结果").stdout
    assert "党务公开申请" in made
    rid = gk.json("ledger")[0]["id"]
    shown = gk.json("request", "show", str(rid))
    assert shown["track"] == "party"
    assert "党务公开申请" in gk.ok("request", "show", str(rid)).stdout
    approve(gk, rid, "party.disclosed")
    out = gk.ok("request", "reply", str(rid), "--outcome", "可以公开", "--on", "2026-03-11",
                "--provision", "在本单位党务公开栏公开").stdout
    assert "已答复：可以公开" in out
    letter = tmp_path / "letter.md"
    gk.ok("request", "letter", str(rid), "--format", "md", "--out", letter)
    text = letter.read_text(encoding="utf-8")
    assert "党务公开申请处理意见告知书" in text
    assert "上级主管部门或者纪检机关" in text and "依申请公开制度》七" in text
    assert "《五原县政务公开依申请公开制度》四（一）" in text
    for never in ("行政复议", "行政诉讼", "政府信息公开申请答复告知书", "政府信息公开条例"):
        assert never not in text, never
    gk.ok("request", "letter", str(rid), "--format", "docx", "--out", tmp_path / "letter.docx")


def test_party_clocks_use_the_party_rules(gk, unit):
    unit("wuyuan")
    party = party_request(gk)["id"]
    government = new_request(gk)["id"]
    # 3-month extension: the party track only (依申请公开制度 五); the 条例's 20 working days otherwise
    extended = gk.json("request", "extend", str(party), "--months", "3", "--approved-by", "王五", "--on", "2026-03-20")
    assert extended["due"] > "2026-06-01"
    gk.fails("request", "extend", str(party), "--months", "1", "--approved-by", "王五", "--on", "2026-03-21")  # once
    refused = gk.fails("request", "extend", str(government), "--months", "3", "--approved-by", "王五",
                       "--on", "2026-03-20")
    assert "--days" in refused.stderr
    # force majeure suspends the party clock only
    gk.ok("request", "pause", str(party), "--reason", "不可抗力等法定事由", "--on", "2026-03-23")
    gk.ok("request", "resume", str(party), "--on", "2026-03-25")
    assert "不能以不可抗力中止计时" in gk.fails("request", "pause", str(government), "--reason", "force_majeure",
                                                 "--on", "2026-03-23").stderr
    # third-party silence: refusal on the party track, the agency decides under 条例 第三十二条
    for rid, meaning in ((party, "视为不同意公开"), (government, "由行政机关依法决定")):
        gk.ok("request", "pause", str(rid), "--reason", "third_party", "--on", "2026-03-26")
        assert meaning in gk.ok("request", "resume", str(rid), "--on", "2026-04-20", "--no-answer").stdout


def test_party_outcomes_are_item_four_and_the_tracks_do_not_mix(gk, unit):
    unit("wuyuan")
    party = party_request(gk)["id"]
    government = new_request(gk)["id"]
    refused = gk.fails("request", "reply", str(party), "--outcome", "disclosed", "--on", "2026-03-11")
    assert "不是党务公开申请的办理结果" in refused.stderr and "可以公开" in refused.stderr
    refused = gk.fails("request", "reply", str(government), "--outcome", "party.disclosed", "--on", "2026-03-11")
    assert "不是政府信息公开申请的办理结果" in refused.stderr
    track = next(r for r in gk.json("rules", "party") if r["kind"] == "request_track")
    assert "依申请公开制度" in track["citation"]  # listed with its citation by `rules`
    assert "补正" in gk.fails("request", "correct", str(party), "--notice-on", "2026-03-04",
                              "--period-days", "5").stderr
    assert "信息处理费" in gk.fails("request", "fee", str(party), "--method", "per_request").stderr


def test_no_reconsideration_or_lawsuit_on_the_party_track(gk, unit):
    unit("wuyuan")
    rid = party_request(gk)["id"]
    approve(gk, rid, "party.not_exist")
    gk.ok("request", "reply", str(rid), "--outcome", "party.not_exist", "--on", "2026-03-11")
    refused = gk.fails("request", "appeal", str(rid), "--kind", "reconsideration", "--filed", "2026-03-20")
    assert "不适用行政复议、行政诉讼" in refused.stderr and "纪检机关" in refused.stderr


@pytest.mark.parametrize("jurisdiction", ["changning", "xixian", "yanta"])
def test_only_a_jurisdiction_that_declares_the_track_has_it(gk, unit, jurisdiction):
    unit(jurisdiction)
    refused = gk.fails("request", "new", "--track", "party", "--applicant", "张三", "--applicant-type", "natural_person",
                       "--channel", "in_person", "--submitted", "2026-03-02", "--subject", "x")
    assert "申请类别" in refused.stderr and "政府信息公开申请" in refused.stderr


def test_party_applications_stay_out_of_the_annual_report(gk, unit):
    unit("wuyuan")
    government = new_request(gk, submitted="2026-03-02")["id"]
    party = party_request(gk, submitted="2026-03-02")["id"]
    approve(gk, government, "disclosed")
    gk.ok("request", "reply", str(government), "--outcome", "disclosed", "--on", "2026-03-11")
    approve(gk, party, "party.disclosed")
    gk.ok("request", "reply", str(party), "--outcome", "party.disclosed", "--on", "2026-03-11")
    party_open = party_request(gk, submitted="2026-04-01")["id"]
    assert party_open
    report = gk.json("report", "annual", "--year", "2026")["requests"]
    assert report["new"]["natural_person"] == 1
    assert report["disclosed"]["natural_person"] == 1
    assert report["carried_forward"]["natural_person"] == 0
    assert report["new"]["total"] == 1 and report["total"]["total"] == 1


def test_a_party_application_passes_no_government_information_confidentiality_review(gk, unit):
    """保密审查制度 reviews 政府信息; 依申请公开制度 names no such step (issue 32 item 13)."""
    unit("wuyuan")
    party = party_request(gk)["id"]
    steps = before_steps(gk, party)
    assert "承办人拟稿" in steps[0] or steps[0] == "draft"
    gk.ok("request", "review", str(party), "--step", "承办人拟稿", "--by", "李四", "--decision", "同意",
          "--outcome", "可以公开", "--on", "2026-03-10")
    refused = gk.fails("request", "review", str(party), "--step", "依申请提供政府信息的保密审查", "--by", "赵六",
                       "--decision", "同意", "--on", "2026-03-10")
    assert "不适用于党务公开申请" in refused.stderr
    gk.ok("request", "review", str(party), "--step", "政府信息公开工作机构负责人审批", "--by", "王五",
          "--decision", "同意", "--on", "2026-03-11")
    assert "已答复" in gk.ok("request", "reply", str(party), "--outcome", "可以公开", "--on", "2026-03-12").stdout
    # a government-information request of the same unit still needs it
    government = new_request(gk)["id"]
    gk.ok("request", "review", str(government), "--step", "承办人拟稿", "--by", "李四", "--decision", "同意",
          "--outcome", "予以公开", "--on", "2026-03-10")
    refused = gk.fails("request", "review", str(government), "--step", "政府信息公开工作机构负责人审批", "--by", "王五",
                       "--decision", "同意", "--on", "2026-03-11")
    assert "保密审查" in refused.stderr


def test_party_extensions_are_capped_in_total_not_in_number(gk, unit):
    """依申请公开制度 五: 延长期限不得超过3个月 — the total; no number of extensions is set."""
    unit("wuyuan")
    party = party_request(gk)["id"]
    gk.ok("request", "extend", str(party), "--months", "1", "--approved-by", "王五", "--on", "2026-03-20")
    gk.ok("request", "extend", str(party), "--months", "2", "--approved-by", "王五", "--on", "2026-03-23")
    refused = gk.fails("request", "extend", str(party), "--months", "1", "--approved-by", "王五", "--on", "2026-03-24")
    assert "合计最长不得超过3个月" in refused.stderr


def test_a_party_consultation_does_not_stop_the_clock(gk, unit):
    """依申请公开制度 六 provides no pause (only 五's 不可抗力): the consultation is timed, the
    reply clock runs on (issue 32 item 13)."""
    unit("wuyuan")
    party = str(party_request(gk)["id"])
    before = gk.json("request", "show", party)["due"]
    data = gk.json("request", "pause", party, "--reason", "third_party", "--on", "2026-03-05")
    assert data["state"] != "paused" and data["due"] == before and data["pauses"] == []
    gk.fails("request", "resume", party, "--on", "2026-03-10", "--no-answer")  # its 15 working days still run
    out = gk.json("request", "resume", party, "--on", "2026-03-30", "--no-answer")
    assert out["due"] == before
    # a government-information request of the same unit: 条例 第三十二条 stops the clock
    government = str(new_request(gk)["id"])
    assert gk.json("request", "pause", government, "--reason", "third_party", "--on", "2026-03-05")["state"] == "paused"
