"""What the texts require, and what is the unit's own practice (本单位规定, gongkai.toml).

- 长宁区's request chain has its text's 依申请公开提供政府信息时保密审查 (实施办法 第五十一条（三）),
  checked before the reply as 五原县's is.
- No article requires the disclosure office head to approve every reply (条例 第三十三条: only an
  extension): that step is ``[unit_practice] office_head_approval``, on by default where the text
  names no approver, and shown as 本单位规定, never with an article.
- The three 保密审查 points are 五原县's (主动公开工作制度 六) and 长宁区's (第五十一条), not 条例 第十七条.
- A period the text leaves open (五原县's 党务公开 reply: "及时") is the unit's, not an invented number.
"""

from __future__ import annotations

import pytest

from gongkai.core.law.plugins import load_registry
from requests_helpers import new_request


def review(gk, rid, step, by, on="2026-03-10"):
    proposal = ("--outcome", "disclosed") if step in ("draft", "承办人拟稿") else ()  # the first signature's
    return gk("request", "review", str(rid), "--step", step, "--by", by, "--decision", "approve", "--on", on,
              *proposal)


def chain_ids(gk, rid):
    return [s["id"] for s in gk.json("request", "show", str(rid))["review_steps"] if s["stage"] == "before"]


def practice(unit, jurisdiction, text):
    path = unit(jurisdiction)
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
    return path


def test_changning_checks_confidentiality_before_the_reply(gk, unit):
    unit("changning")
    rid = new_request(gk)["id"]
    assert chain_ids(gk, rid) == ["draft", "confidentiality", "office_head"]
    assert review(gk, rid, "承办人拟稿", "甲").exit_code == 0
    refused = gk.fails("request", "reply", str(rid), "--outcome", "disclosed", "--on", "2026-03-11", code=3)
    assert "依申请公开提供政府信息时保密审查" in refused.stderr and "实施办法 第五十一条（三）" in refused.stderr
    skipped = gk.fails("request", "review", str(rid), "--step", "office_head", "--by", "乙", "--decision", "approve",
                       "--on", "2026-03-10", code=3)
    assert "保密审查" in skipped.stderr  # in order: the review comes before the approval
    assert review(gk, rid, "依申请公开提供政府信息时保密审查", "保密员乙").exit_code == 0
    assert review(gk, rid, "office_head", "负责人丙").exit_code == 0
    assert gk.json("request", "reply", str(rid), "--outcome", "disclosed", "--on", "2026-03-11")["state"] == "replied"


def test_office_head_approval_is_unit_practice_not_law(gk, unit):
    unit("yanta")
    rid = new_request(gk)["id"]
    assert chain_ids(gk, rid) == ["draft", "office_head"]  # the default keeps the chain units had
    review(gk, rid, "draft", "甲")
    refused = gk.fails("request", "reply", str(rid), "--outcome", "disclosed", "--on", "2026-03-11", code=3)
    assert "政府信息公开工作机构负责人审批" in refused.stderr and "本单位规定" in refused.stderr
    assert "条例" not in refused.stderr and "office_head" not in refused.stderr
    listing = gk.ok("rules", "request.review_chain").stdout
    assert "政府信息公开工作机构负责人审批（本单位规定）" in listing and "[unit_practice]" in listing
    assert "第十七条" not in listing and "第三十三条" not in listing
    step = next(s for s in gk.json("rules", "request.review_chain")[0]["steps"] if s["id"] == "office_head")
    assert step["unit_practice"] is True and step["citation"] is None
    shown = gk.json("request", "show", str(rid))["review_steps"]
    assert [s["unit_practice"] for s in shown] == [False, True]
    assert "本单位规定" in gk.ok("request", "show", str(rid)).stdout


@pytest.mark.parametrize("jurisdiction, chain", [
    ("yanta", ["draft"]),
    ("changning", ["draft", "confidentiality"]),
    ("wuyuan", ["draft", "confidentiality"]),
])
def test_a_unit_may_reply_without_the_office_heads_approval(gk, unit, jurisdiction, chain):
    practice(unit, jurisdiction, "\n[unit_practice]\noffice_head_approval = false\n")
    rid = new_request(gk)["id"]
    assert chain_ids(gk, rid) == chain
    for i, step in enumerate(chain):
        assert review(gk, rid, step, f"人{i}").exit_code == 0
    assert gk.json("request", "reply", str(rid), "--outcome", "disclosed", "--on", "2026-03-11")["state"] == "replied"
    assert "本单位规定" not in gk.ok("rules", "request.review_chain").stdout


def test_xixian_keeps_its_texts_chain_unless_the_unit_adds_the_approval(gk, unit):
    unit("xixian")
    assert chain_ids(gk, new_request(gk)["id"]) == ["draft", "lawyer", "principal_head"]
    practice(unit, "xixian", "\n[unit_practice]\noffice_head_approval = true\n")
    # before the principal head's approval the text requires
    assert chain_ids(gk, 1) == ["draft", "lawyer", "office_head", "principal_head"]


@pytest.mark.parametrize("text, words", [
    ('\n[unit_practice]\noffice_head_approval = "是"\n', ["office_head_approval", "true 或 false"]),
    ("\n[unit_practice]\nreply_approval = true\n", ["reply_approval", "office_head_approval"]),
    ('\n[unit_practice.periods]\n"request.reply" = 10\n', ["request.reply", "法规未规定具体期限"]),
    ('\n[unit_practice.periods]\n"party.request.reply" = 0\n', ["party.request.reply", "正整数"]),
])
def test_bad_unit_practice_is_refused_in_chinese(gk, unit, text, words):
    path = practice(unit, "wuyuan", text)
    refused = gk.fails("rules", "request")
    for word in words:
        assert word in refused.stderr
    assert str(path) in refused.stderr


def test_party_reply_period_is_the_units_not_the_texts(gk, unit):
    registry = load_registry("wuyuan")
    rule = registry.deadline("party.request.reply")
    assert rule.unit_practice and "本单位规定" in rule.summary and "条例" not in rule.summary
    assert rule.describe() == "20个工作日（本单位规定）"
    assert registry.deadline("party.request.third_party_opinion").unit_practice
    assert not registry.deadline("request.reply").unit_practice  # 条例 第三十三条 sets it
    unit("wuyuan")
    shown = gk.ok("deadline", "party.request.reply", "--start", "2026-03-02").stdout
    assert "20个工作日（本单位规定）" in shown and "2026-03-30" in shown
    practice(unit, "wuyuan", '\n[unit_practice.periods]\n"party.request.reply" = 15\n')
    assert gk.json("deadline", "party.request.reply", "--start", "2026-03-02")["due"] == "2026-03-23"
    party = new_request(gk, extra=("--track", "party"))["id"]
    assert gk.json("request", "show", str(party))["clocks"]["reply"]["due"] == "2026-03-23"
    assert "15个工作日（本单位规定）" in gk.ok("rules", "party.request.reply").stdout


def test_the_three_review_points_cite_the_local_texts_not_article_17():
    national = load_registry("yanta").review_chain("review.confidentiality")
    assert str(national.citation) == "条例 第十七条"
    assert "拟公开的政府信息进行审查" in national.summary and "形成时、主动公开前、依申请提供前" not in national.summary
    assert national.step("on_formation").citation is None  # 第十七条 says nothing of the formation point
    wuyuan = load_registry("wuyuan").review_chain("review.confidentiality")
    assert "《政府信息主动公开工作制度》六" in str(wuyuan.citation)
    assert str(load_registry("changning").review_chain("review.confidentiality").citation) == "实施办法 第五十一条"
    request_chain = load_registry("yanta").review_chain("request.review_chain")
    assert "第十七条" not in str(request_chain.citation)


def test_a_party_application_gets_no_notice_citing_the_tiaoli_period(gk, unit, tmp_path):
    unit("wuyuan")
    party = new_request(gk, extra=("--track", "party"))["id"]
    refused = gk.fails("request", "notice", str(party), "--kind", "receipt", "--format", "md", "--out", tmp_path / "r.md",
                       code=3)
    assert "党务公开申请不适用《条例》的政府信息公开申请收到确认书" in refused.stderr
    assert not (tmp_path / "r.md").exists()
    made = gk.fails("request", "new", "--track", "party", "--applicant", "李四", "--applicant-type", "自然人",
                    "--channel", "当面", "--submitted", "2026-03-03", "--subject", "某事", "--notice", tmp_path / "n.md")
    assert "收到确认书" in made.stderr and len(gk.json("ledger")) == 1  # nothing half-written
    government = new_request(gk)["id"]
    gk.ok("request", "notice", str(government), "--kind", "receipt", "--format", "md", "--out", tmp_path / "g.md")
    assert "条例 第三十三条第二款" in (tmp_path / "g.md").read_text(encoding="utf-8")
