"""Interpretation material (解读材料): where a jurisdiction's text requires it, approval and
publication refuse a document without it, citing the text; `document attach` adds it later
as an event. The national baseline (条例) has no such requirement."""

import pytest

from gongkai.core.law.plugins import load_registry
from gongkai.hookspecs.records import InterpretationRule

ON = "2026-09-25"


def new(gk, *args):
    return gk.json("document", "new", "--title", "关于印发某办法的通知", "--finalised", "2026-09-24", *args)


def approve(gk, doc, step, by, *extra):
    return gk("document", "review", str(doc), "--step", step, "--by", by, "--decision", "approve", "--on", ON, *extra)


def steps_done(gk, doc):
    return {s["id"]: s["done"] for s in gk.json("document", "show", str(doc))["review_steps"]}


def test_xixian_refuses_approval_of_a_proactive_document_without_material_until_attached(unit, gk):
    unit("xixian")
    doc = new(gk, "--kind", "其他", "--attribute", "主动公开")
    assert "管理办法 第十条" in doc["warnings"][0]
    assert approve(gk, doc["id"], "confidentiality", "保密员").exit_code == 0
    assert approve(gk, doc["id"], "content", "审查人").exit_code == 0
    refused = gk.fails("document", "review", str(doc["id"]), "--step", "approval", "--by", "主任",
                       "--decision", "approve", "--on", ON, code=3)
    assert "未附文件解读材料" in refused.stderr and "不予审批" in refused.stderr
    assert "管理办法 第十条" in refused.stderr and "document attach" in refused.stderr
    assert "policy.interpretation" not in refused.stderr  # codes stay in --json
    assert steps_done(gk, doc["id"])["approval"] is False  # nothing recorded by the refusal

    empty = gk.fails("document", "attach", str(doc["id"]), "--interpretation", "  ")
    assert "--interpretation" in empty.stderr and "为空" in empty.stderr  # the CLI refuses any empty value
    attached = gk.json("document", "attach", str(doc["id"]), "--interpretation", "政策解读：背景依据、主要内容",
                       "--by", "经办人", "--on", ON)
    assert attached["interpretation"] == "政策解读：背景依据、主要内容" and attached["warnings"] == []
    event = attached["events"][-1]
    assert event["action"] == "interpretation.attached" and event["actor"] == "经办人"
    assert event["before"]["interpretation"] == "" and event["after"]["added"] == "政策解读：背景依据、主要内容"
    assert approve(gk, doc["id"], "approval", "主任").exit_code == 0
    published = gk.json("document", "publish", str(doc["id"]), "--on", "2026-09-28", "--channel", "政府网站", "--by", "信息员")
    assert published["state"] == "published"


def test_xixian_material_given_at_registration_needs_no_attach(unit, gk):
    unit("xixian")
    doc = new(gk, "--kind", "其他", "--attribute", "主动公开", "--interpretation", "解读材料存放于办公室共享盘")
    assert doc["warnings"] == []
    for step, by in (("confidentiality", "保密员"), ("content", "审查人"), ("approval", "主任")):
        assert approve(gk, doc["id"], step, by).exit_code == 0
    # a document not to be published needs none
    withheld = new(gk, "--kind", "其他", "--attribute", "依申请公开", "--reason", "过程性信息（条例第十六条）")
    assert withheld["warnings"] == []


def test_yanta_refuses_a_major_policy_without_an_interpretation_plan(unit, gk):
    unit("yanta")
    major = new(gk, "--kind", "其他", "--attribute", "主动公开", "--major-policy")
    assert approve(gk, major["id"], "confidentiality", "保密员").exit_code == 0
    refused = gk.fails("document", "review", str(major["id"]), "--step", "approval", "--by", "局长",
                       "--decision", "approve", "--on", ON, code=3)
    assert "重要政策文件未附解读方案" in refused.stderr and "实施方案 第25项" in refused.stderr
    gk.ok("document", "attach", str(major["id"]), "--interpretation", "解读方案（发布、解读、回应三联动）")
    assert approve(gk, major["id"], "approval", "局长").exit_code == 0
    ordinary = new(gk, "--kind", "其他", "--attribute", "主动公开")
    assert ordinary["warnings"] == []
    approve(gk, ordinary["id"], "confidentiality", "保密员")
    assert approve(gk, ordinary["id"], "approval", "局长").exit_code == 0


def test_changning_returns_a_government_policy_document_without_material(unit, gk):
    unit("changning")
    draft = new(gk, "--kind", "行政规范性文件", "--attribute", "主动公开", "--government-issued")
    assert draft["government_issued"] is True
    assert "第二十六条" in draft["warnings"][0]
    approve(gk, draft["id"], "confidentiality", "保密员")
    refused = gk.fails("document", "review", str(draft["id"]), "--step", "approval", "--by", "主任",
                       "--decision", "approve", "--on", ON, code=3)
    assert "以本级政府名义" in refused.stderr and "按规定退文" in refused.stderr
    assert "经本部门主要负责人审定的解读方案和解读材料" in refused.stderr and "实施办法 第二十六条" in refused.stderr
    gk.ok("document", "attach", str(draft["id"]), "--interpretation", "经局长审定的解读方案和解读材料")
    assert approve(gk, draft["id"], "approval", "主任").exit_code == 0
    # the department's own normative document: 同步审签 (第二十六条第一款) binds it too (issue 32
    # item 6), without the 退文 that is 区政府办公室's for drafts in the government's name
    own = new(gk, "--kind", "行政规范性文件", "--attribute", "主动公开")
    assert any("第二十六条" in w for w in own["warnings"])
    approve(gk, own["id"], "confidentiality", "保密员")
    refused = gk.fails("document", "review", str(own["id"]), "--step", "approval", "--by", "主任",
                       "--decision", "approve", "--on", ON, code=3)
    assert "实施办法 第二十六条" in refused.stderr and "退文" not in refused.stderr
    gk.ok("document", "attach", str(own["id"]), "--interpretation", "解读材料")
    assert approve(gk, own["id"], "approval", "主任").exit_code == 0
    # a document that is not a policy document needs none
    other = new(gk, "--kind", "其他", "--attribute", "主动公开")
    approve(gk, other["id"], "confidentiality", "保密员")
    assert approve(gk, other["id"], "approval", "主任").exit_code == 0


def test_wuyuan_still_refuses_at_registration(unit, gk):
    unit("wuyuan")
    refused = gk.fails("document", "new", "--title", "规范性文件", "--kind", "行政规范性文件", "--attribute", "主动公开",
                       "--government-issued", code=3)
    assert "不予收文" in refused.stderr and "--interpretation" in refused.stderr


def test_attach_refuses_a_repealed_or_unknown_document(unit, gk):
    unit("yanta")
    doc = new(gk, "--kind", "其他", "--attribute", "主动公开")
    gk.ok("document", "repeal", str(doc["id"]), "--on", ON)
    repealed = gk.fails("document", "attach", str(doc["id"]), "--interpretation", "解读", code=3)
    assert "已于 2026-09-25 废止" in repealed.stderr
    unknown = gk.fails("document", "attach", "99", "--interpretation", "解读")
    assert "没有编号为 99 的文件" in unknown.stderr


@pytest.mark.parametrize("name", ["xixian", "yanta", "changning", "wuyuan"])
def test_interpretation_rules_are_local_data_with_citations(name):
    entry = load_registry(name).rules["policy.interpretation"]
    assert isinstance(entry.rule, InterpretationRule) and entry.source == name  # the 条例 has none
    assert str(entry.rule.citation)


# issue 32 item 2: a county or district makes no 规章 (立法法 第九十三条)


@pytest.mark.parametrize("jurisdiction", ["wuyuan", "changning"])
def test_interpretation_scope_names_no_regulations(jurisdiction):
    rule = load_registry(jurisdiction).find("policy.interpretation", InterpretationRule)
    # 五原县 第三条（一）（二）, 长宁区 第二十五条: 行政规范性文件 and 政策文件 (--major-policy) only
    assert rule.document_kinds == ("行政规范性文件",)


@pytest.mark.parametrize("jurisdiction", ["xixian", "yanta", "changning", "wuyuan"])
def test_units_that_make_no_regulations_cannot_register_one(unit, gk, jurisdiction):
    unit(jurisdiction)
    refused = gk.fails("document", "new", "--title", "某某管理办法", "--kind", "规章", "--attribute", "主动公开",
                       "--finalised", "2026-09-24", "--interpretation", "解读")
    assert "不制定规章" in refused.stderr and "立法法 第九十三条" in refused.stderr
    assert "document.kinds_not_made" not in refused.stderr
    assert not gk.json("documents")  # nothing stored


def test_the_national_baseline_refuses_no_kind():
    from gongkai.core.law.national import rules as national

    baseline = next(r for r in national.PROVISIONS if r.id == "document.kinds_not_made")
    assert baseline.options == () and "第九十三条" in str(baseline.citation)


# issue 32 item 3: 五原县 第四条（二） refuses at 县政府办收文 only what goes to the county government


def test_wuyuan_refuses_at_registration_only_what_goes_to_the_county_government(unit, gk):
    unit("wuyuan")
    refused = gk.fails("document", "new", "--title", "县政府规范性文件", "--kind", "行政规范性文件", "--attribute", "主动公开",
                       "--government-issued", code=3)
    assert "不予收文" in refused.stderr and "第三条、第四条" in refused.stderr
    # a department's own policy document is registered; its principal head's approval and
    # publication wait for the material, and no 不予收文 is said of it
    doc = new(gk, "--kind", "行政规范性文件", "--attribute", "主动公开")
    assert doc["warnings"] and "解读方案和解读材料" in doc["warnings"][0]
    assert approve(gk, doc["id"], "confidentiality", "保密员").exit_code == 0
    stopped = gk.fails("document", "review", str(doc["id"]), "--step", "approval", "--by", "局长",
                       "--decision", "approve", "--on", ON, code=3)
    assert "不予审批" in stopped.stderr and "不予收文" not in stopped.stderr
    gk.ok("document", "attach", str(doc["id"]), "--interpretation", "解读方案和解读材料（经局长审定）", "--on", ON)
    assert approve(gk, doc["id"], "approval", "局长").exit_code == 0
