"""The unit's 政府信息公开指南 (条例 第十二条), written from its record and the rules in force: who
handles applications and how to reach them, the channels and the day each fixes as the day of
receipt, the steps and periods of the procedure with their citations, fees and remedies. A change
of the rules (the jurisdiction, ``gongkai.toml``) or of the contacts changes the guide."""

from __future__ import annotations

from typing import Any

from gongkai.core.units.contact import FIELDS

TIAOLI = "《中华人民共和国政府信息公开条例》"


def _rule(registry: Any, rule_id: str) -> Any:
    return registry.find(rule_id)


def _period(rule: Any) -> str:
    if rule is None:
        return ""
    text = f"{rule.amount}{rule.unit.label}"
    if getattr(rule, "limit", None):
        text += f"（最长不超过{rule.limit}{rule.unit.label}）"
    return text


def _basis(rule: Any) -> str:
    if rule is None:
        return ""
    if getattr(rule, "unit_practice", False):
        return "本单位规定"
    return str(rule.citation or "")


def _bands(bands: Any, what: str) -> list[str]:
    out = []
    for band in bands:
        span = f"{band.first}{what}以上" if band.last is None else f"{band.first}至{band.last}{what}"
        price = "不收费" if band.price == 0 else f"每{what}{band.price}元"
        if band.step_every:
            price += f"，此后每增加{band.step_every}{what}，每{what}加收{band.step_price}元"
        out.append(f"{span}：{price}")
    return out


def guide(registry: Any, unit: Any, contact: dict[str, str], *, apply_url: str | None = None) -> dict[str, Any]:
    """Everything the guide says, as data for the page (sections with text and citations)."""
    sections: list[dict[str, Any]] = []
    office = [{"label": FIELDS[k][0], "value": v} for k, v in contact.items() if v]
    sections.append({"id": "office", "title": "一、政府信息公开工作机构", "rows": office,
                     "text": [] if office else ["本单位尚未登记政府信息公开工作机构的联系方式。"],
                     "citation": TIAOLI + "第四条、第十二条"})
    sections.append({"id": "proactive", "title": "二、主动公开", "rows": [], "citation": "",
                     "text": ["本单位主动公开的政府信息见政府信息公开目录，按《中华人民共和国政府信息公开条例》第二十条的类别和年度编排，可检索。",
                              *(f"{r.summary}（{_basis(r)}）" for r in [_rule(registry, "proactive.publish")] if r)]})
    receipt = _rule(registry, "request.receipt_date")
    channels = [{"label": c.name, "value": "以提交之日为收到申请之日" if c.received_on == "submitted"
                 else "以双方确认之日为收到申请之日"} for c in (receipt.channels if receipt else ())]
    text = ["申请获取政府信息的，应当采用包括信件、数据电文在内的书面形式；采用书面形式确有困难的，可以口头提出，"
            "由受理机关代为填写政府信息公开申请（《中华人民共和国政府信息公开条例》第二十九条）。"]
    if apply_url:
        text.append("可在线提交申请：")
    sections.append({"id": "channels", "title": "三、申请渠道和收到申请的日期", "rows": channels, "text": text,
                     "apply_url": apply_url, "citation": _basis(receipt)})
    steps = []
    for rule_id, what in (("request.correction_notice", "申请内容不明确的，告知补正"),
                          ("request.reply", "答复期限"),
                          ("request.extension", "延长答复期限"),
                          ("request.third_party_opinion", "征求第三方意见"),
                          ("request.agency_opinion", "征求其他行政机关意见")):
        rule = _rule(registry, rule_id)
        if rule is not None:
            steps.append({"what": what, "period": _period(rule), "summary": rule.summary, "basis": _basis(rule)})
    chain = _rule(registry, "request.review_chain")
    review = [{"name": s.name, "basis": s.basis} for s in (chain.steps if chain else ()) if s.stage == "before"]
    sections.append({"id": "procedure", "title": "四、办理程序和期限", "steps": steps, "review": review, "rows": [],
                     "text": ["征求第三方和其他机关意见所需时间不计算在答复期限内（《中华人民共和国政府信息公开条例》第三十三条第三款）；"
                              "申请人补正、缴纳信息处理费的时间也不计算在内。"], "citation": ""})
    fee = _rule(registry, "request.fee")
    fee_rows = []
    if fee is not None:
        fee_rows = ([{"label": "按件计收（同一申请人一个自然月内）", "value": "；".join(_bands(fee.per_request, "件"))}]
                    if fee.per_request else []) + (
                   [{"label": "按量计收（同一申请）", "value": "；".join(_bands(fee.per_page, "页"))}] if fee.per_page else [])
    sections.append({"id": "fees", "title": "五、收费", "rows": fee_rows, "citation": _basis(fee),
                     "text": [fee.summary] if fee else ["依申请提供政府信息，不收取费用。"]})
    remedies = _rule(registry, "request.remedies")
    text = [remedies.summary + "。"] if remedies else []
    if getattr(unit, "reconsideration_body", ""):
        text.append(f"本单位的行政复议机关：{unit.reconsideration_body}。")
    sections.append({"id": "remedies", "title": "六、监督和救济", "rows": [], "text": text, "citation": _basis(remedies)})
    return {"title": f"{unit.name}政府信息公开指南", "unit": unit.name,
            "jurisdiction": registry.jurisdiction.display_name, "sections": sections}
