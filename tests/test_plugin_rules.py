"""The four jurisdiction plugins carry the values of their regulation texts.

Every expected value below is read from ``shared/regulations`` (the article is named in
the test). These tests check the plugins' data; the engine is tested elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gongkai.core.law.plugins import load_registry
from gongkai.hookspecs.records import (
    CompositeScheme,
    DeadlineRule,
    DocumentAttributes,
    ExemptionList,
    FormSpec,
    GradeScale,
    LeadTime,
    MinimumCount,
    Provision,
    RecurringDuty,
    ReviewChain,
    Rubric,
    Unit,
)

PLUGIN_DIR = Path(__file__).resolve().parent.parent / "plugins"


@pytest.fixture(scope="module", params=["xixian", "yanta", "changning", "wuyuan"])
def any_registry(request):
    return load_registry(request.param)


@pytest.fixture(scope="module")
def xixian():
    return load_registry("xixian")


@pytest.fixture(scope="module")
def yanta():
    return load_registry("yanta")


@pytest.fixture(scope="module")
def changning():
    return load_registry("changning")


@pytest.fixture(scope="module")
def wuyuan():
    return load_registry("wuyuan")


def local(registry, rule_id, kind=None):
    """The rule ``rule_id`` as the active plugin (not the national baseline) gives it."""
    entry = registry.rules.get(rule_id)
    assert entry is not None, f"{registry.jurisdiction.name}: rule {rule_id} missing"
    assert entry.source == registry.jurisdiction.name, f"{rule_id} comes from {entry.source}"
    if kind is not None:
        assert isinstance(entry.rule, kind), f"{rule_id} is a {type(entry.rule).__name__}"
    return entry.rule


# --------------------------------------------------------------------------- every plugin

CATALOG = {
    "xixian": [
        "request.reply", "request.review_chain", "request.same_info_many_applicants",
        "proactive.review_chain", "proactive.approval_form", "document.attribute", "exemptions",
        "mailbox.reply", "platform.column_update", "assessment.rubric", "assessment.composite",
    ],
    "yanta": [
        "proactive.publish", "document.attribute", "request.reply", "opinion.major_incident",
        "policy.interpretation", "report.work_report_progress", "duty.training", "duty.inspection",
        "duty.progress_report", "duty.website_check",
    ],
    "wuyuan": [
        "proactive.publish", "document.attribute", "review.confidentiality", "exemptions",
        "request.nondisclosure_report", "party.request.extension", "party.request.third_party_opinion",
        "report.annual.agency", "newmedia.first_release", "newmedia.inactive",
        "newmedia.public_interest_reply", "policy.interpretation", "opinion.response",
        "participation.comment_period", "participation.hearing_notice", "participation.forum_materials",
        "assessment.grade", "assessment.schedule", "evaluation.social", "duty.training_hours",
    ],
    "changning": [
        "proactive.publish", "proactive.archive_delivery", "document.attribute", "double_publicity",
        "decision.feedback", "decision.catalogue", "power_list.update", "consult.reply",
        "opinion.major_incident", "request.intake", "request.overturned_registration",
        "request.convert_to_proactive", "request.difficult_case", "report.annual.agency",
        "report.annual.government", "assessment.weight",
    ],
}


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_ids_come_from_the_plugin(name):
    registry = load_registry(name)
    for rule_id in CATALOG[name]:
        local(registry, rule_id)


def test_jurisdiction_metadata(any_registry):
    j = any_registry.jurisdiction
    assert j.display_name
    assert j.sources and all(s.key and s.title for s in j.sources)
    assert j.reconsideration_body
    assert j.superior_office


def test_every_local_rule_cites_a_source_document(any_registry):
    name = any_registry.jurisdiction.name
    from gongkai.testing.checks import national_documents

    # its own texts, or a law the national baseline cites (立法法 for document.kinds_not_made)
    keys = {s.key for s in any_registry.jurisdiction.sources} | national_documents()
    for rule_id, entry in any_registry.rules.items():
        if entry.source != name:
            continue
        assert entry.rule.citation.document in keys, rule_id
        assert entry.rule.citation.article, f"{rule_id} has no article"


def test_overrides_keep_the_national_record_type(any_registry):
    for rule_id, entry in any_registry.rules.items():
        if entry.overrides is not None:
            assert type(entry.rule) is type(entry.overrides), rule_id


def test_review_step_deadlines_name_deadline_rules(any_registry):
    for chain in any_registry.rules_of(ReviewChain):
        for step in chain.steps:
            if step.deadline is not None:
                assert isinstance(any_registry.find(step.deadline), DeadlineRule), (chain.id, step.id)


def test_exemptions_map_to_known_outcomes(any_registry):
    exemptions = any_registry.rule("exemptions", ExemptionList)
    for item in exemptions.items:
        assert item.outcome in any_registry.outcomes, item.code
        # a refusal, or (五原县's 党委文件) information the 条例 does not cover at all (第二条)
        assert item.outcome.startswith("withheld.") or item.outcome == "other.not_government_information", item.code


def test_agency_opinion_is_about_jointly_made_information():
    rule = load_registry("xixian").deadline("request.agency_opinion")
    assert rule.summary.startswith("申请公开的政府信息由两个以上行政机关共同制作的")  # 条例 第三十四条
    assert "涉及两个以上行政机关" not in rule.summary


def test_wuyuan_party_documents_are_not_government_information():
    registry = load_registry("wuyuan")
    item = next(i for i in registry.rule("exemptions", ExemptionList).items if i.code == "unsuitable.party_documents")
    assert item.outcome == "other.not_government_information"  # 条例 第二条, not 内部事务信息
    outcome = registry.outcomes[item.outcome]
    assert outcome.report_row == "other.other" and str(outcome.basis) == "条例 第二条"


@pytest.mark.parametrize("name", ["xixian", "yanta", "changning", "wuyuan"])
def test_plugins_import_only_hookspecs(name):
    for path in (PLUGIN_DIR / name).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert module.startswith(("gongkai.hookspecs", f"gongkai.plugins.{name}")), (path.name, module)
            elif isinstance(node, ast.Import):
                pytest.fail(f"{path.name} imports {[a.name for a in node.names]}")


# --------------------------------------------------------------------------- 西咸新区


def test_xixian_reply_20_working_days(xixian):
    rule = local(xixian, "request.reply", DeadlineRule)
    assert (rule.unit, rule.amount) == (Unit.WORKING_DAYS, 20)
    assert "第十八条" in str(rule.citation)


def test_xixian_request_review_chain_order(xixian):
    chain = local(xixian, "request.review_chain", ReviewChain)
    assert [s.name for s in chain.steps] == [
        "编制《政府信息公开告知书》", "律师审核", "单位主要负责同志审批", "报新区政务公开工作机构备案",
    ]
    assert [s.stage for s in chain.steps] == ["before", "before", "before", "after"]
    assert chain.step("lawyer").role == "律师"
    assert "二（三）" in str(chain.step("lawyer").citation)


def test_xixian_proactive_review_chain(xixian):
    chain = local(xixian, "proactive.review_chain", ReviewChain)
    assert [s.id for s in chain.steps] == [
        "confidentiality", "content", "approval", "publish", "register", "follow_up",
    ]
    assert [s.name for s in chain.steps] == ["保密审查", "内容审核", "单位主要负责人审批", "信息发布", "登记存档", "后续关注"]
    assert chain.step("confidentiality").role == "保密审查员、分管保密工作负责人"
    assert chain.step("content").checklist == (
        "无违反党的政治纪律",
        "无违反国家法律法规",
        "无违反上级政策、规定、办法",
        "无领导人姓名、关键字、错别字问题",
        "可能引发舆情，向宣传部备案",
        "其他问题",
    )
    assert chain.step("publish").role == "信息发布员"
    assert [s.stage for s in chain.steps][-2:] == ["after", "after"]


def test_xixian_approval_form_has_every_item_of_annex_2(xixian):
    form = local(xixian, "proactive.approval_form", FormSpec)
    assert form.title == "西咸新区政务信息公开审批表"
    assert form.template == "xixian_approval_form"
    assert "附件2" in str(form.citation)
    fields = {f.name: f for f in form.fields}
    assert list(fields) == [
        "信息产生机构", "经办人", "拟公开信息名称（文号）", "内容摘要", "信息拟公开方式",
        "保密审查", "内容审核", "单位主要负责人审批意见", "信息发布员", "备注",
    ]
    assert fields["信息拟公开方式"].options == ("政府网站", "政务新媒体", "新闻媒体", "政务公开栏", "其他")
    assert fields["保密审查"].signatures == ("保密审查员", "分管保密工作负责人")
    assert "不涉及国家秘密、商业秘密、个人隐私" in fields["保密审查"].options[0]
    assert fields["内容审核"].options == (
        "无违反党的政治纪律", "无违反国家法律法规", "无违反上级政策、规定、办法",
        "无领导人姓名、关键字、错别字问题", "可能引发舆情，向宣传部备案", "其他问题",
    )
    assert fields["内容审核"].signatures == ("审查人", "分管政务公开负责人")


def test_xixian_rubric(xixian):
    rubric = local(xixian, "assessment.rubric", Rubric)
    assert "附件1" in str(rubric.citation)
    cats = {c.id: c for c in rubric.categories}
    assert list(cats) == [
        "platform", "five_public", "proactive", "document_disclosure", "response",
        "participation", "request", "organisation", "innovation", "negative_list",
    ]
    caps = {cid: c.cap for cid, c in cats.items()}
    assert caps == {
        "platform": 5, "five_public": 20, "proactive": 20, "document_disclosure": 10, "response": 5,
        "participation": 10, "request": 10, "organisation": 3, "innovation": 10, "negative_list": 10,
    }
    names = {cid: c.name for cid, c in cats.items()}
    assert names["five_public"] == "“五公开”情况"
    assert names["request"] == "依申请公开"
    kinds = {cid: c.kind for cid, c in cats.items()}
    assert kinds["participation"] == "activity"
    assert kinds["innovation"] == "bonus"
    assert kinds["negative_list"] == "deduction"
    for cid in ("platform", "five_public", "proactive", "document_disclosure"):
        assert [u.points for u in cats[cid].units] == [0.5]
    assert [u.points for u in cats["response"].units] == [0.5]
    assert [u.points for u in cats["response"].bonus_units] == [0.5]
    assert [u.points for u in cats["participation"].units] == [1]
    assert {u.id: u.points for u in cats["request"].units} == {"no_ledger": 0.5, "late_or_overturned": 2}
    assert {u.id: u.points for u in cats["organisation"].units} == {
        "handover_unclear": 1, "training_missed": 1, "rules_not_followed": 1,
    }
    assert cats["innovation"].units == () and cats["negative_list"].units == ()


def test_xixian_composite(xixian):
    scheme = local(xixian, "assessment.composite", CompositeScheme)
    assert dict(scheme.weights) == {"self": 0.2, "routine": 0.2, "peer": 0.2, "year_end": 0.4}
    assert scheme.not_carried == "average"


def test_xixian_mailbox_and_columns(xixian):
    mailbox = local(xixian, "mailbox.reply", DeadlineRule)
    assert (mailbox.unit, mailbox.amount) == (Unit.WORKING_DAYS, 5)
    general = local(xixian, "platform.column_update", RecurringDuty)
    policy = local(xixian, "platform.column_update.policy", RecurringDuty)
    assert (general.period.value, general.times) == ("two_weeks", 1)
    assert (policy.period.value, policy.times) == ("half_year", 1)


def test_xixian_document_attribute_and_exemptions(xixian):
    attrs = local(xixian, "document.attribute", DocumentAttributes)
    assert [a.code for a in attrs.attributes] == ["proactive", "on_request", "withheld"]
    assert {a.code: a.needs_reason for a in attrs.attributes}["withheld"] is True
    assert attrs.requires_interpretation is True
    assert "第十条" in str(attrs.citation)
    exemptions = local(xixian, "exemptions", ExemptionList)
    assert "第十五条" in str(exemptions.citation)
    by_code = {e.code: e for e in exemptions.items}
    assert by_code["third_party"].overrides
    assert not by_code["process_info"].mandatory and by_code["state_secret"].mandatory


def test_xixian_same_info_provision(xixian):
    rule = local(xixian, "request.same_info_many_applicants", Provision)
    assert rule.citation.document == "实施方案"
    assert rule.citation.article == "二（三）"


# --------------------------------------------------------------------------- 雁塔区


def test_yanta_publish_3_working_days(yanta):
    rule = local(yanta, "proactive.publish", DeadlineRule)
    assert (rule.unit, rule.amount, rule.limit) == (Unit.WORKING_DAYS, 3, None)
    assert rule.citation.article == "第6项"


def test_yanta_reply_is_national_20(yanta):
    rule = local(yanta, "request.reply", DeadlineRule)
    assert (rule.unit, rule.amount) == (Unit.WORKING_DAYS, 20)
    assert rule.pausable and rule.restarts
    assert "第三十三条" in str(rule.citation)


def test_yanta_major_incident_clocks(yanta):
    release = local(yanta, "opinion.major_incident", DeadlineRule)
    press = local(yanta, "opinion.major_incident.press_conference", DeadlineRule)
    assert (release.unit, release.amount) == (Unit.HOURS, 5)
    assert (press.unit, press.amount) == (Unit.HOURS, 24)
    assert release.citation == press.citation
    assert release.citation.article == "第24项"


def test_yanta_document_attribute(yanta):
    attrs = local(yanta, "document.attribute", DocumentAttributes)
    assert attrs.on_missing == "退文"
    withheld = {a.code: a for a in attrs.attributes}["withheld"]
    assert withheld.needs_reason and withheld.needs_approval_by == "本单位政务公开机构"


def test_yanta_duties(yanta):
    expected = {
        "report.work_report_progress": ("half_year", 1, "第19项"),
        "duty.training": ("year", 1, "第37项"),
        "duty.inspection": ("year", 1, "第38项"),
        "duty.progress_report": ("quarter", 1, "第38项"),
        "duty.website_check": ("year", 2, "第41项"),
    }
    for rule_id, (period, times, item) in expected.items():
        duty = local(yanta, rule_id, RecurringDuty)
        assert (duty.period.value, duty.times, duty.citation.article) == (period, times, item), rule_id
    local(yanta, "policy.interpretation", Provision)


# --------------------------------------------------------------------------- 长宁区


def test_changning_publish_target_and_limit(changning):
    rule = local(changning, "proactive.publish", DeadlineRule)
    assert (rule.unit, rule.amount, rule.limit) == (Unit.WORKING_DAYS, 10, 20)
    assert "第四十条" in str(rule.citation)
    assert changning.rules["proactive.publish"].overrides.amount == 20


@pytest.mark.parametrize(
    "rule_id, unit, amount, article",
    [
        ("proactive.archive_delivery", Unit.WORKING_DAYS, 20, "第四十四条"),
        ("double_publicity", Unit.WORKING_DAYS, 7, "第十八条"),
        ("decision.feedback", Unit.WORKING_DAYS, 10, "第五条"),
        ("power_list.update", Unit.WORKING_DAYS, 10, "第十六条"),
        ("consult.reply", Unit.WORKING_DAYS, 5, "第三十三条"),
        ("consult.reply.simple", Unit.WORKING_DAYS, 1, "第三十三条"),
        ("consult.reply.policy_comment", Unit.WORKING_DAYS, 5, "第三十六条"),
        ("opinion.major_incident", Unit.HOURS, 5, "第三十三条"),
        ("opinion.major_incident.press_conference", Unit.HOURS, 24, "第三十三条"),
        ("request.intake", Unit.WORKING_DAYS, 2, "第四十九条"),
        ("request.overturned_registration", Unit.CALENDAR_DAYS, 7, "第四十九条"),
    ],
)
def test_changning_periods(changning, rule_id, unit, amount, article):
    rule = local(changning, rule_id, DeadlineRule)
    assert (rule.unit, rule.amount) == (unit, amount)
    assert article in str(rule.citation)


def test_changning_annual_dates(changning):
    agency = local(changning, "report.annual.agency", DeadlineRule)
    government = local(changning, "report.annual.government", DeadlineRule)
    catalogue = local(changning, "decision.catalogue", DeadlineRule)
    assert (agency.month, agency.day, agency.year_offset) == (1, 31, 1)
    assert (government.month, government.day, government.year_offset) == (2, 28, 1)
    assert (catalogue.month, catalogue.day, catalogue.year_offset) == (3, 31, 0)
    assert "第五十二条" in str(government.citation) and "第四条" in str(catalogue.citation)


def test_changning_document_attribute(changning):
    attrs = local(changning, "document.attribute", DocumentAttributes)
    by_code = {a.code: a for a in attrs.attributes}
    assert by_code["on_request"].needs_approval_by == "政务公开工作机构"
    assert by_code["withheld"].needs_approval_by == "政务公开工作机构"
    assert by_code["proactive"].needs_approval_by == ""
    assert attrs.requires_interpretation


def test_changning_assessment_weight(changning):
    weight = local(changning, "assessment.weight", MinimumCount)
    assert weight.minimum == pytest.approx(0.04)
    inspections = local(changning, "duty.inspection", RecurringDuty)
    assert (inspections.period.value, inspections.times) == ("year", 3)
    assert "第五十四条" in str(weight.citation) and "第五十四条" in str(inspections.citation)


def test_changning_request_provisions(changning):
    assert "第四十九条" in str(local(changning, "request.convert_to_proactive", Provision).citation)
    assert "第五十条" in str(local(changning, "request.difficult_case", Provision).citation)


# --------------------------------------------------------------------------- 五原县


def test_wuyuan_party_extension_3_months(wuyuan):
    rule = local(wuyuan, "party.request.extension", DeadlineRule)
    assert (rule.unit, rule.amount, rule.max_count) == (Unit.MONTHS, 3, None)  # the total, not the number (issue 32 item 13)
    assert "五" in rule.citation.article


def test_wuyuan_party_third_party_silence_is_refusal(wuyuan):
    rule = local(wuyuan, "party.request.third_party_opinion", DeadlineRule)
    assert rule.on_silence.value == "refusal"
    assert (rule.unit, rule.amount) == (Unit.WORKING_DAYS, 15)
    assert "依申请公开制度" in rule.citation.article


def test_wuyuan_government_requests_keep_the_regulation(wuyuan):
    """The 3-month extension and silence-as-refusal are 党务公开 rules; 条例 第三十二、三十三条 stand."""
    assert wuyuan.rules["request.extension"].source == "national"
    assert wuyuan.rules["request.third_party_opinion"].source == "national"


def test_wuyuan_grade_edges(wuyuan):
    scale = local(wuyuan, "assessment.grade", GradeScale)
    assert scale.grade(100.0) == "优秀"
    assert scale.grade(95.0) == "优秀"
    assert scale.grade(94.99) == "良好"
    assert scale.grade(85.0) == "良好"
    assert scale.grade(84.99) == "合格"
    assert scale.grade(75.0) == "合格"
    assert scale.grade(74.9) == "不合格"
    assert scale.grade(0.0) == "不合格"


def test_wuyuan_nondisclosure_report_step(wuyuan):
    report = local(wuyuan, "request.nondisclosure_report", DeadlineRule)
    assert (report.unit, report.amount) == (Unit.WORKING_DAYS, 5)
    chain = local(wuyuan, "request.review_chain", ReviewChain)
    step = chain.steps[-1]
    assert (step.stage, step.deadline) == ("after", "request.nondisclosure_report")
    assert step.applies_to("withheld.state_secret")
    assert not step.applies_to("disclosed")


def test_wuyuan_confidentiality_review(wuyuan):
    chain = local(wuyuan, "review.confidentiality", ReviewChain)
    assert chain.workflow == "document"
    assert isinstance(wuyuan.rules["review.confidentiality"].overrides, ReviewChain)
    for step in chain.steps:
        assert step.opinions == ("公开", "免予公开", "需报审")
        assert step.escalate_on == "需报审"
        assert step.deadline == "review.confidentiality.opinion"
    opinion = local(wuyuan, "review.confidentiality.opinion", DeadlineRule)
    assert (opinion.unit, opinion.amount) == (Unit.WORKING_DAYS, 15)


def test_wuyuan_document_attributes(wuyuan):
    attrs = local(wuyuan, "document.attribute", DocumentAttributes)
    by_code = {a.code: a for a in attrs.attributes}
    assert list(by_code) == ["proactive", "declassified", "on_request", "withheld"]
    assert by_code["declassified"].name == "脱密后公开" and by_code["declassified"].needs_public_version
    assert by_code["on_request"].needs_reason and by_code["withheld"].needs_reason


def test_wuyuan_exemptions_include_six_unsuitable_kinds(wuyuan):
    exemptions = local(wuyuan, "exemptions", ExemptionList)
    unsuitable = [e for e in exemptions.items if e.code.startswith("unsuitable.")]
    assert len(unsuitable) == 6
    assert all(not e.mandatory for e in unsuitable)


@pytest.mark.parametrize(
    "rule_id, unit, amount",
    [
        ("proactive.publish", Unit.WORKING_DAYS, 20),
        ("newmedia.first_release", Unit.MINUTES, 120),
        ("newmedia.inactive", Unit.MONTHS, 1),
        ("newmedia.public_interest_reply", Unit.WORKING_DAYS, 5),
        ("opinion.response", Unit.HOURS, 5),
        ("opinion.response.press_conference", Unit.HOURS, 24),
        ("opinion.response.other", Unit.HOURS, 48),
    ],
)
def test_wuyuan_periods(wuyuan, rule_id, unit, amount):
    rule = local(wuyuan, rule_id, DeadlineRule)
    assert (rule.unit, rule.amount) == (unit, amount)


def test_wuyuan_annual_report(wuyuan):
    rule = local(wuyuan, "report.annual.agency", DeadlineRule)
    assert (rule.month, rule.day, rule.year_offset) == (1, 31, 1)


def test_wuyuan_participation(wuyuan):
    comment = local(wuyuan, "participation.comment_period", LeadTime)
    assert (comment.unit, comment.amount, comment.relation) == (Unit.CALENDAR_DAYS, 10, "open")
    hearing = local(wuyuan, "participation.hearing_notice", LeadTime)
    assert (hearing.unit, hearing.amount, hearing.relation) == (Unit.CALENDAR_DAYS, 10, "before")
    reps = local(wuyuan, "participation.hearing_notice.representatives", MinimumCount)
    assert reps.minimum == 10
    forum = local(wuyuan, "participation.forum_materials", LeadTime)
    assert (forum.unit, forum.amount, forum.relation) == (Unit.WORKING_DAYS, 5, "before")


def test_wuyuan_duties_and_evaluation(wuyuan):
    schedule = local(wuyuan, "assessment.schedule", RecurringDuty)
    assert schedule.dates == ((11, 15), (12, 5))
    training = local(wuyuan, "duty.training_hours", RecurringDuty)
    assert (training.period.value, training.hours) == ("year", 16)
    evaluation = local(wuyuan, "evaluation.social", Provision)
    assert evaluation.options == ("满意", "基本满意", "不满意")
    annual = local(wuyuan, "evaluation.social.annual", RecurringDuty)
    assert (annual.period.value, annual.times) == ("year", 1)
    interpretation = local(wuyuan, "policy.interpretation", Provision)
    assert "不予收文" in interpretation.summary
