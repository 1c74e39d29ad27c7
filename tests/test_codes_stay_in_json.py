"""What a clerk reads names steps and matter kinds in Chinese; the codes stay in ``--json``,
and the options that take a code take its Chinese name too."""

from __future__ import annotations

import re

import pytest

DOCUMENT = ("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开",
            "--finalised", "2026-09-24")
CODES = ("confidentiality", "approval", "publish", "on_formation", "before_publication", "before_provision")


def test_document_review_takes_and_shows_step_names(gk, unit):
    unit("changning")
    gk.ok(*DOCUMENT)
    help_text = gk.ok("document", "review", "--help").stdout
    assert "--step 审核环节" in help_text and " ID" not in help_text
    shown = gk.ok("document", "review", "1", "--step", "保密审查", "--by", "保密员甲", "--decision", "同意",
                  "--on", "2026-09-25").stdout
    assert "☑ 保密审查" in shown
    for code in CODES:
        assert code not in shown, code
    point = gk.ok("document", "review", "1", "--step", "公文类政府信息形成时同步保密审查", "--by", "保密员甲",
                  "--decision", "同意", "--on", "2026-09-25")
    assert point.exit_code == 0
    data = gk.json("document", "show", "1")
    assert [s["id"] for s in data["review_steps"]][:2] == ["confidentiality", "approval"]  # codes in --json
    assert next(p for p in data["confidentiality_reviews"] if p["id"] == "on_formation")["done"]
    refused = gk.fails("document", "review", "1", "--step", "市长签批", "--by", "甲", "--decision", "同意")
    assert "负责人审批" in refused.stderr and "主动公开政府信息前保密审查" in refused.stderr
    for code in CODES:
        assert code not in refused.stderr, code


def test_a_step_not_on_this_documents_route_is_named_in_chinese(gk, unit):
    unit("changning")
    gk.ok(*DOCUMENT)
    refused = gk.fails("document", "review", "1", "--step", "政务公开工作机构审查同意公开属性", "--by", "甲",
                       "--decision", "同意", "--on", "2026-09-25")
    assert "文件 1 没有审核环节“政务公开工作机构审查同意公开属性”" in refused.stderr
    assert "attribute_approval" not in refused.stderr and "confidentiality" not in refused.stderr


def test_matter_headings_and_listings_name_the_kind_in_chinese(gk, unit):
    unit("changning")
    opened = gk.ok("matter", "open", "opinion.major_incident", "--at", "2026-09-30T21:30", "--note", "某小区火灾",
                    "--condition-met").stdout
    assert "事项 #1（重特大事件舆情回应）" in opened and "opinion" not in opened
    assert "事项 #1（重特大事件舆情回应）" in gk.ok("matter", "show", "1").stdout
    listing = gk.ok("matters", "--as-of", "2026-10-02T09:00").stdout
    assert "重特大事件舆情回应" in listing and "新闻发布会" in listing and "opinion" not in listing
    kinds = gk.ok("matter", "kinds").stdout
    assert "在线咨询答复" in kinds and "简单问题在线咨询答复" in kinds
    by_name = gk.json("matter", "open", "政策发布页面网民留言答复", "--at", "2026-10-08")
    assert by_name["kind"] == "consult.reply.policy_comment" and by_name["kind_name"] == "政策发布页面网民留言答复"
    closed = gk.ok("matter", "close", "1", "--clock", "新闻发布会", "--at", "2026-10-01T10:00").stdout
    assert "press_conference" not in closed and "opinion" not in closed
    refused = gk.fails("matter", "open", "舆情", "--at", "2026-10-08T09:00")
    assert "重特大事件舆情回应" in refused.stderr


RULE_ID = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")


@pytest.mark.parametrize("jurisdiction", ["changning", "xixian", "yanta", "wuyuan"])
def test_rules_listing_shows_parameters_in_chinese(gk, jurisdiction):
    """Rule IDs are the rules' names (as in the catalog); every parameter value is in Chinese."""
    lines = gk.ok("-j", jurisdiction, "rules").stdout.splitlines()[1:]
    for line in lines:
        if re.match(r"^[a-z_.]+（", line):  # a rule's heading: its ID
            continue
        rest = RULE_ID.sub("", line.replace("gongkai.toml", "").replace("[unit_practice]", ""))
        assert not re.search(r"[a-z]{3,}", rest), line
