"""The respondent's answer to an appeal, drafted from the records: the 行政复议答复书 (行政复议法
第四十八条) or the 答辩状 (行政诉讼法 第六十七条).

gongkai writes only facts it holds: the parties, each step with its date as recorded, each period
against the rule in force with its citation (met, or by how much it was missed), and the usual
request to uphold the act. Staff complete and edit the draft before it is signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError
from gongkai.core.requests import appeals, clock, delivery, intake, ledger, letters
from gongkai.core.requests.models import Request
from gongkai.core.time import deadlines

FORMATS = ("docx", "pdf")
TITLES = {"reconsideration": "行政复议答复书", "lawsuit": "行政诉讼答辩状", "lawsuit_after_reconsideration": "行政诉讼答辩状"}


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _cn(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.year}年{day.month}月{day.day}日"


LAWS = {"行政复议法": "《中华人民共和国行政复议法》", "行政诉讼法": "《中华人民共和国行政诉讼法》"}


def cited(citation: Any) -> str:
    """A rule's citation as a document writes it: the law's full title, then the article."""
    if citation.document in LAWS:
        return f"{LAWS[citation.document]}{citation.article}"
    return letters.full_basis(str(citation))


def _period(office: Any, rule: Any, start: dt.date, done: dt.date | None, due: dt.date | None, what: str,
            started: str) -> dict[str, Any]:
    """One period against its rule: the rule's words and citation, its due day, and whether it was met."""
    point = {"what": what, "citation": cited(rule.citation), "period": rule.describe(), "start": start,
             "started": started, "due": due, "done": done, "met": None, "late_by": "", "note": ""}
    if done is not None and due is not None:
        point["met"] = done <= due
        if done > due:
            days = office.calendar.working_days_between(due, done)
            point["late_by"] = f"{days}个工作日" if rule.unit.value == "working_days" else f"{(done - due).days}日"
    return point


def context(session: Session, office: Any, request: Request, appeal_id: int | None = None) -> dict[str, Any]:
    """The draft's variables, every one read from the records."""
    appeal = appeals.pick(session, request, appeal_id)
    shown = ledger.show(session, office, request)
    lawsuit = appeal.kind in appeals.LAWSUITS
    registry = office.registry
    facts: list[tuple[dt.date, str]] = []
    facts.append((request.received, f"本机关收到申请人以{intake.channel_code(office.registry, request.channel).name}方式提出的政府信息公开申请，"
                                    f"申请获取“{request.subject}”" + (f"（申请编号{request.ref}）" if request.ref else "")))
    correction = shown["correction"]
    if correction and correction["notice_on"]:
        facts.append((_day(correction["notice_on"]), f"本机关书面告知申请人补正，补正期限{correction['period_days']}个工作日"))
    if correction and correction["corrected_on"]:
        facts.append((_day(correction["corrected_on"]), "本机关收到申请人补正后的申请，答复期限自该日起计算"))
    for p in shown["pauses"]:
        name = clock.PAUSE_REASONS.get(p["reason"], (p["reason"],))[0]
        end = f"，{_day(p['end']).year}年{_day(p['end']).month}月{_day(p['end']).day}日恢复计时" if p["end"] else ""
        facts.append((_day(p["start"]), f"{name}，答复期限中止计算{end}"))
    for e in shown["extensions"]:
        facts.append((_day(e["approved_on"]), f"经{e['approved_by']}同意，答复期限延长{e['amount']}个工作日，并告知申请人"))
    for s in shown["review_steps"]:
        if s["done"] and s["on"] and s["stage"] == "before":
            facts.append((_day(s["on"]), f"{s['name']}（{s['by']}）审核同意"))
    outcome_name = shown["outcome_name"] or ""
    if request.replied_on:
        number = letters.document_number(office, (request.amended_on or request.replied_on).year,
                                         letters.letter_serial(request)) if request.outcome else ""
        text = f"本机关作出《政府信息公开申请答复告知书》（{number}），答复申请人：{outcome_name}"
        if request.reasons:
            text += f"；理由：{request.reasons}"
        if request.legal_basis:
            text += f"；依据：{letters.full_basis(request.legal_basis)}"
        if request.provision:
            text += f"；提供方式：{request.provision}"
        facts.append((request.replied_on, text))
    if request.amended_on:
        facts.append((request.amended_on, "本机关作出更正答复"))
    for d in delivery.of(session, request.id):
        text = f"本机关以{delivery.HOWS.get(d.how, d.how)}方式向申请人送达《{delivery.letter_name(d.letter)}》"
        if d.tracking:
            text += f"（邮件号码{d.tracking}）"
        if d.letter == "reply":
            r = delivery.remedies(office, d.on)
            text += (f"，申请人申请行政复议的期限至{_cn(r['reconsideration_until'])}（{r['reconsideration_citation']}），"
                     f"提起行政诉讼的期限至{_cn(r['lawsuit_until'])}（{r['lawsuit_citation']}）")
        facts.append((d.on, text))
    facts.append((appeal.filed_on, f"申请人{'提起行政诉讼' if lawsuit else '申请行政复议'}"))
    if appeal.copy_received:
        facts.append((appeal.copy_received, f"本机关收到{'起诉状副本' if lawsuit else '行政复议申请书副本'}"))
    facts.sort(key=lambda f: f[0])

    points = []
    reply_rule = clock.reply_rule(office, request)
    due = _day(shown["due"])
    points.append(_period(office, reply_rule, request.period_start, request.replied_on, due, "答复申请",
                          "收到补正后的申请" if correction and correction["corrected_on"] else "收到申请"))
    if shown["pauses"] or shown["extensions"]:
        points[-1]["note"] = "（期间" + "、".join(
            [*(f"{clock.PAUSE_REASONS.get(p['reason'], (p['reason'],))[0]}所需时间依法不计算在答复期限内" for p in shown["pauses"]),
             *(f"经批准延长{e['amount']}个工作日" for e in shown["extensions"])]) + "）"
    if correction and correction["notice_on"]:
        rule = registry.deadline("request.correction_notice")
        notice_due = deadlines.compute(rule, request.received, office.calendar).due
        points.append(_period(office, rule, request.received, _day(correction["notice_on"]), notice_due,
                              "一次性告知补正", "收到申请"))
    answer = appeals.answer_deadline(office, appeal)
    if answer is not None:
        points.append(_period(office, answer.rule, appeal.copy_received, appeal.answered_on, answer.due,
                              "提交答辩状及证据" if lawsuit else "提出书面答复并提交证据、依据",
                              "收到起诉状副本" if lawsuit else "收到行政复议申请书副本"))
    signed = [{**s, "on": _day(s["on"])} for s in shown["review_steps"] if s["done"] and s["stage"] == "before"]
    outcome = registry.outcome(request.outcome) if request.outcome else None
    return {
        "title": TITLES[appeal.kind],
        "lawsuit": lawsuit,
        "unit": office.unit.name,
        "contact": office.unit.contact if hasattr(office.unit, "contact") else "",
        "applicant": request.applicant_name,
        "body": letters.reconsideration_body(office) if not lawsuit else "",
        "appeal": appeal,
        "kind_name": appeals.KINDS[appeal.kind],
        "over_silence": appeal.over_silence,
        "facts": facts,
        "points": points,
        "signed": signed,
        "outcome_name": outcome_name,
        "outcome_basis": str(outcome.basis) if outcome is not None and outcome.basis else "",
        "legal_basis": letters.full_basis(request.legal_basis) if request.legal_basis else "",
        "replied_on": request.amended_on or request.replied_on,
    }


def render_answer(session: Session, office: Any, request: Request, appeal_id: int | None = None) -> tuple[str, str]:
    """The draft as the letters' Markdown dialect, and its title."""
    from gongkai.core.paperwork.render import render

    if not office.unit.name:
        raise GongkaiError("未设置单位名称：请在 gongkai.toml 中填写 unit（落款单位）。")
    data = context(session, office, request, appeal_id)
    return render(office.registry.template_dirs, "appeals/answer.md.j2", data), data["title"]


def write_answer(session: Session, office: Any, request: Request, fmt: str, out: Any, appeal_id: int | None = None) -> Any:
    from gongkai.core.paperwork.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"格式“{fmt}”无效（--format），可选：{'、'.join(FORMATS)}。")
    text, title = render_answer(session, office, request, appeal_id)
    return write_output(text, fmt, out, title=f"{title} {request.applicant_name}", layout=letters.letter_layout(office))
