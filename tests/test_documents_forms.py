"""The approval forms (西咸新区 附件2 and the generic one) and the publication register."""

import datetime as dt

from openpyxl import load_workbook

from gongkai.core.law.plugins import load_registry
from gongkai.core.paperwork.render import docx_text
from gongkai.hookspecs.records import FormSpec

# 《西咸新区政务信息公开审批表》 as printed in 管理办法 附件2, field by field.
FIELDS = [
    "西咸新区政务信息公开审批表", "信息产生机构", "经办人", "拟公开信息名称（文号）", "内容摘要", "信息拟公开方式",
    "保密审查", "保密审查员", "分管保密工作负责人", "内容审核", "审查人", "分管政务公开负责人",
    "单位主要负责人审批意见", "信息发布员", "备注",
]
CHANNELS = ["政府网站", "政务新媒体", "新闻媒体", "政务公开栏", "其他"]
SECRECY_STATEMENT = "经审，以上信息不涉及国家秘密、商业秘密、个人隐私或其他不予公开的情形"
CONTENT_ITEMS = [
    "无违反党的政治纪律", "无违反国家法律法规", "无违反上级政策、规定、办法", "无领导人姓名、关键字、错别字问题",
    "可能引发舆情，向宣传部备案", "其他问题",
]
REMARK = "列入本单位《政务公开事项目录》由分管政务公开领导审批。"


def published_xixian(gk):
    doc = str(gk.json("document", "new", "--title", "关于开展某项工作的通知", "--number", "西咸管发〔2026〕3号",
                      "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24",
                      "--producer", "西咸新区党政办公室", "--handler", "张经办", "--summary", "部署某项工作",
                      "--interpretation", "政策解读材料")["id"])  # 管理办法 第十条
    step = ("document", "review", doc, "--decision", "approve", "--on", "2026-09-25")
    gk.ok(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管")
    gk.ok(*step, "--step", "content", "--by", "赵审查", "--head", "钱分管", "--check", "1", "--check", "2",
          "--check", "3", "--check", "4")
    gk.ok(*step, "--step", "approval", "--by", "孙主任", "--comment", "同意公开")
    gk.ok("document", "publish", doc, "--on", "2026-09-28", "--channel", "政府网站", "--by", "周发布")
    return doc


def test_xixian_form_docx_has_every_field_and_checkbox_of_annex_2(unit, gk, tmp_path):
    unit("xixian")
    doc = published_xixian(gk)
    gk.ok("document", "form", doc, "--format", "docx", "--out", "审批表.docx")
    text = docx_text(tmp_path / "审批表.docx")
    for item in FIELDS + CHANNELS + [SECRECY_STATEMENT, REMARK] + CONTENT_ITEMS:
        assert item in text, item
    assert text.count("☐") + text.count("☑") == len(CHANNELS) + 1 + len(CONTENT_ITEMS)
    # filled in from the stored reviews
    for value in ("关于开展某项工作的通知（西咸管发〔2026〕3号）", "西咸新区党政办公室", "张经办", "部署某项工作",
                  "保密审查员：李保密", "分管保密工作负责人：王分管", "审查人：赵审查", "分管政务公开负责人：钱分管",
                  "同意公开　孙主任", "周发布"):
        assert value in text, value
    assert "☑政府网站" in text and "☐政务新媒体" in text
    assert f"☑（{SECRECY_STATEMENT}）" in text
    assert "☑ 无违反党的政治纪律" in text and "☐ 可能引发舆情，向宣传部备案" in text and "☐ 其他问题" in text


def test_xixian_form_covers_the_plugin_form_spec_and_html(unit, gk, tmp_path):
    unit("xixian")
    doc = published_xixian(gk)
    gk.ok("document", "form", doc, "--format", "html", "--out", "form.html")
    html = (tmp_path / "form.html").read_text(encoding="utf-8")
    spec = load_registry("xixian").rule("proactive.approval_form", FormSpec)
    for field in spec.fields:
        assert field.name in html
        for text in field.options + field.signatures:
            assert text in html, text
    assert "<table>" in html and "&lt;" not in html


def test_generic_form_for_other_jurisdictions(unit, gk, tmp_path):
    unit("changning")
    doc = str(gk.json("document", "new", "--title", "区政府通知", "--number", "长府发〔2026〕1号", "--kind", "其他",
                      "--attribute", "主动公开", "--formed", "2026-02-12")["id"])
    gk.ok("document", "review", doc, "--step", "confidentiality", "--by", "保密员", "--decision", "approve", "--on", "2026-02-13")
    gk.ok("document", "form", doc, "--format", "docx", "--out", "form.docx")
    text = docx_text(tmp_path / "form.docx")
    for item in ("政务信息公开审批表", "测试单位政府办公室", "区政府通知（长府发〔2026〕1号）", "主动公开", "2026-03-04",
                 "最迟 2026-03-18", "保密审查", "负责人审批", "信息发布", "公文类政府信息形成时同步保密审查"):
        assert item in text, item
    assert "通过；签字：保密员；日期：2026-02-13" in text
    # issue 32 items 10 and 19: no blank 主动公开前 row beside the signed 保密审查, and no
    # 依申请提供时 row (a request's review, not the document's)
    assert "主动公开政府信息前保密审查" not in text and "依申请公开提供政府信息时保密审查" not in text


def test_national_points_print_only_where_required(unit, gk, tmp_path):
    """雁塔区 (the 条例's points): no blank row for a review the 条例 does not require of the document."""
    unit("yanta")
    doc = str(gk.json("document", "new", "--title", "区政府通知", "--kind", "其他", "--attribute", "主动公开",
                      "--formed", "2026-02-12")["id"])
    gk.ok("document", "form", doc, "--format", "docx", "--out", "form.docx")
    text = docx_text(tmp_path / "form.docx")
    for absent in ("依申请提供前保密审查", "文件形成时保密审查", "主动公开前保密审查"):
        assert absent not in text, absent
    assert "保密审查" in text  # the route's own step


def test_register_exports_to_xlsx(unit, gk, tmp_path):
    unit("xixian")
    published_xixian(gk)
    gk.ok("document", "new", "--title", "未发布文件", "--kind", "其他", "--attribute", "主动公开")
    gk.ok("document", "register", "--xlsx", "登记簿.xlsx")
    ws = load_workbook(tmp_path / "登记簿.xlsx").active
    rows = list(ws.values)
    assert "登记簿" in rows[0][0]
    assert rows[1][:4] == ("序号", "发布日期", "信息名称", "文号")
    assert len(rows) == 3  # title, header, the one published document
    record = dict(zip(rows[1], rows[2]))
    assert record["信息名称"] == "关于开展某项工作的通知" and record["文号"] == "西咸管发〔2026〕3号"
    assert record["发布日期"].date() == dt.date(2026, 9, 28)
    assert (record["发布渠道"], record["信息发布员"], record["审批人"]) == ("政府网站", "周发布", "孙主任")
    assert record["发布期限"].date() == dt.date(2026, 10, 29) and record["是否按期"] == "按期"


def test_the_heads_approval_of_a_proactive_publication_is_the_units_own_practice():
    """Issue 32 item 10: 第十七条、第二十六条 do not require it; it is shown as 本单位规定."""
    from gongkai.core.law.plugins import load_registry
    from gongkai.hookspecs.records import ReviewChain

    chain = load_registry("yanta").find("proactive.review_chain", ReviewChain)
    approval = chain.step("approval")
    assert approval.unit_practice and approval.basis == "本单位规定" and approval.citation is None
    assert "第十七条" in str(chain.step("confidentiality").citation)


def test_xixian_approval_attests_the_content_review(unit, gk, tmp_path):
    """Issue 32 item 19: approved without --check, the form does not show the 无… boxes unticked."""
    unit("xixian")
    doc = str(gk.json("document", "new", "--title", "某通知", "--kind", "其他", "--attribute", "主动公开",
                      "--finalised", "2026-09-24", "--interpretation", "解读")["id"])
    step = ("document", "review", doc, "--decision", "approve", "--on", "2026-09-25")
    gk.ok(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管")
    gk.ok(*step, "--step", "content", "--by", "赵审查", "--head", "钱分管")
    gk.ok("document", "form", doc, "--format", "docx", "--out", "审批表.docx")
    text = docx_text(tmp_path / "审批表.docx")
    for item in CONTENT_ITEMS[:4]:
        assert f"☑ {item}" in text, item
    assert "☐ 可能引发舆情，向宣传部备案" in text and "☐ 其他问题" in text
    assert f"☑（{SECRECY_STATEMENT}）" in text


def test_xixian_catalogue_item_approved_by_the_leader_in_charge(unit, gk, tmp_path):
    """Issue 32 item 7: 附件2 备注 — an item of the unit's 《政务公开事项目录》 is approved by the
    分管政务公开领导 instead of the 单位主要负责人; the signer says so and the form prints it."""
    from gongkai.hookspecs.records import ReviewChain

    step = load_registry("xixian").rule("proactive.review_chain", ReviewChain).step("approval")
    assert (step.role, step.alternate, str(step.citation)) == ("单位主要负责人", "分管政务公开领导", "管理办法 附件2")
    unit("xixian")
    doc = str(gk.json("document", "new", "--title", "某目录事项", "--kind", "其他", "--attribute", "主动公开",
                      "--finalised", "2026-09-24", "--interpretation", "解读")["id"])
    step = ("document", "review", doc, "--decision", "approve", "--on", "2026-09-25")
    wrong_step = gk.fails(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管", "--as", "分管政务公开领导")
    assert "没有其他审批人" in wrong_step.stderr
    gk.ok(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管")
    gk.ok(*step, "--step", "content", "--by", "赵审查", "--head", "钱分管")
    wrong = gk.fails(*step, "--step", "approval", "--by", "吴副", "--as", "副主任")
    assert "“单位主要负责人”或“分管政务公开领导”" in wrong.stderr and "附件2" in wrong.stderr
    gk.ok(*step, "--step", "approval", "--by", "吴分管", "--as", "分管政务公开领导", "--comment", "同意公开")
    gk.ok("document", "form", doc, "--format", "docx", "--out", "审批表.docx")
    text = docx_text(tmp_path / "审批表.docx")
    assert "同意公开　吴分管（列入本单位《政务公开事项目录》，由分管政务公开领导审批）　2026-09-25" in text
    shown = gk.json("document", "show", doc)
    approval = next(s for s in shown["review_steps"] if s["id"] == "approval")
    assert approval["basis"] == "列入本单位《政务公开事项目录》，由分管政务公开领导审批"
    # in the principal's own capacity nothing is added
    other = str(gk.json("document", "new", "--title", "另一事项", "--kind", "其他", "--attribute", "主动公开",
                        "--finalised", "2026-09-24", "--interpretation", "解读")["id"])
    step = ("document", "review", other, "--decision", "approve", "--on", "2026-09-25")
    gk.ok(*step, "--step", "confidentiality", "--by", "李保密", "--head", "王分管")
    gk.ok(*step, "--step", "content", "--by", "赵审查", "--head", "钱分管")
    gk.ok(*step, "--step", "approval", "--by", "孙主任", "--as", "单位主要负责人")
    gk.ok("document", "form", other, "--format", "docx", "--out", "审批表2.docx")
    assert "孙主任　2026-09-25" in docx_text(tmp_path / "审批表2.docx")
