"""A rule's parameters in Chinese words, for the ``rules`` listing (``--json`` keeps the fields)."""

from __future__ import annotations

from typing import Any

from gongkai.hookspecs.records import UNIT_PRACTICE, DeadlineRule, Rule, Silence, Unit

# parameter field -> what it is, in Chinese
FIELDS = {
    "attributes": "公开属性", "on_missing": "缺少时", "requires_interpretation": "须附解读材料",
    "dates": "日期", "hours": "学时", "period": "周期", "times": "次数", "what": "事项",
    "items": "情形", "per_page": "按量计收", "per_request": "按件计收", "bands": "等次",
    "document_kinds": "文件种类", "major_policy": "含重要政策文件", "options": "可选",
    "relation": "起算", "minimum": "最少", "of": "对象", "channels": "提交渠道",
    "in_annual_report": "计入年度报告", "letter_title": "告知书", "name": "名称", "remedy": "救济途径",
    "rules": "适用规则", "track": "类别代码", "steps": "步骤", "workflow": "适用于",
    "amount": "数量", "unit": "单位", "weights": "权重", "categories": "类别", "total": "满分",
    "schedule": "标准", "fields": "栏目", "form": "表式",
    "published": "拟主动公开的文件均须附", "government_issued": "限以本级政府名义印发", "material": "须附材料",
    "refused_at": "拦截环节", "government_refused_at": "以本级政府名义的拦截环节",
    "borne_by": "承担单位", "unit_flag": "限于标明的单位", "trigger": "触发事项", "action": "须办理", "when": "时限",
    "limits": "账号数量上限", "file_with": "报备单位", "grade": "等次", "training": "所需培训",
    "first": "自", "last": "至", "price": "单价（元）", "step_every": "每增加", "step_price": "加收（元）",
    "not_carried": "未开展的项目", "title": "表名",
    "other_platforms": "其他平台可开通（须先报备）", "condition": "适用条件", "runs_alongside": "征求意见期间不中止答复期限",
    "attested": "审批即确认的事项", "not_on_tracks": "不适用的申请类别",
    "rolling": "自上次办理起算（间隔不超过一个周期）",
    "alternate": "也可由其审批", "alternate_when": "其审批的情形",
}
WORDS = {"two_weeks": "每两周", "month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年",
         "request": "依申请公开", "proactive": "主动公开", "registration": "登记报审时", "approval": "审批环节",
         "document": "公文保密审查", "department": "部门", "street": "街道（乡镇）", "government": "人民政府", "open": "征求意见期间", "before": "事前",
         "self": "自评", "routine": "日常考核", "peer": "互评", "year_end": "年终考核", "average": "取其他各项平均分",
         **{u.value: u.label or "每年固定日期" for u in Unit}}
SILENCE = {Silence.AGENCY_DECIDES: "逾期未提出意见的由行政机关决定", Silence.CONSENT: "逾期未提出意见的视为同意",
           Silence.REFUSAL: "逾期未提出意见的视为不同意"}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and value.get("unit_practice"):  # a step no text requires
        return f"{value['name']}（{UNIT_PRACTICE}）"
    if isinstance(value, dict):
        return str(value.get("name") or "，".join(f"{FIELDS.get(k, k)} {_value(v)}" for k, v in value.items() if v))
    if isinstance(value, (list, tuple)):
        return "、".join(_value(v) for v in value)
    return WORDS.get(str(value), str(value))


def details(rule: Rule) -> list[str]:
    """Lines such as "期限：20个工作日" and "步骤：承办人拟稿、…" describing the rule's parameters."""
    if isinstance(rule, DeadlineRule):
        lines = [f"期限：{rule.describe()}"]
        if rule.max_count:
            lines.append(f"最多{rule.max_count}次")
        if rule.pausable:
            lines.append("可中止计时")
        if rule.restarts:
            lines.append("补正后重新计算")
        if rule.on_silence is not None:
            lines.append(SILENCE[rule.on_silence])
        if rule.borne_by:
            lines.append(f"{FIELDS['borne_by']}：{_value(rule.borne_by)}")
        return lines
    lines = []
    for key, value in rule.parameters().items():
        if value in (None, "", (), [], {}, False) or key in ("track", "template"):  # codes: the --track value, a file
            continue
        if key == "rules":  # a track's rule map: the track's own rule IDs
            value = [local for _, local in value]
        if key == "limits":  # (platform, count) pairs
            value = [f"{platform}{count}个" for platform, count in value]
        lines.append(f"{FIELDS.get(key, key)}：{_value(value)}")
    if any(getattr(s, "unit_practice", False) for s in getattr(rule, "steps", ())):
        lines.append(f"注：标“{UNIT_PRACTICE}”的步骤法规未作要求，由本单位在 gongkai.toml 的 [unit_practice] 中设定")
    return lines
