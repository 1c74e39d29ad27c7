"""The written notices the 条例 requires along a request, besides the reply letter.

Each notice is a template (``notices/<kind>.md.j2``, a plugin may ship its own) filled from the
stored facts of the request, laid out as a letter (GB/T 9704-2012, ``core.paperwork.word``):
- ``receipt``: 收到申请的确认 (受理回执) with the receipt date and how the channel fixes it
  (条例 第三十一条) and the reply due date (第三十三条);
- ``correction``: 补正告知书: what to supplement, the time allowed, the consequence (第三十条);
- ``extension``: 延期答复告知书: the approved extension and the new due date (第三十三条);
- ``third_party_opinion``: 征求第三方意见书: the information, the answer period and what silence
  means (第三十二条);
- ``third_party_disclosure``: the notice to a third party that the information will be disclosed
  in the public interest, with its content and the reasons (第三十二条);
- ``fee``: 收费通知书: basis, standard, amount, how to pay and the time to pay
  (条例 第四十二条; 国办函〔2020〕109号).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from attrs import frozen
from sqlmodel import Session

from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests import clock, fees, intake, tracks
from gongkai.core.requests.letters import FORMATS, document_number, letter_layout
from gongkai.core.requests.models import Request
from gongkai.core.requests.workflow import check_date
from gongkai.hookspecs.records import DeadlineRule, FeeSchedule, Silence, Unit

FEE_PAYMENT_DAYS = clock.FEE_PAYMENT_DAYS


@frozen
class NoticeKind:
    code: str
    title: str
    mark: str  # the character after the 机关代字 in its 文号, so no two documents share a number
    citation: str
    names: tuple[str, ...] = ()  # the short names a clerk uses (the first is shown in help and errors)


KINDS: dict[str, NoticeKind] = {k.code: k for k in (
    NoticeKind("receipt", "政府信息公开申请收到确认书", "收", "条例 第三十一条", ("收到申请确认书", "收到确认书", "收到确认")),
    NoticeKind("correction", "政府信息公开申请补正告知书", "补", "条例 第三十条", ("补正告知书", "补正")),
    NoticeKind("extension", "政府信息公开申请延期答复告知书", "延", "条例 第三十三条", ("延期答复告知书", "延期答复", "延期")),
    NoticeKind("third_party_opinion", "政府信息公开征求第三方意见书", "征", "条例 第三十二条",
               ("征求第三方意见书", "征求第三方意见", "征求意见")),
    NoticeKind("third_party_disclosure", "政府信息公开告知书（第三方）", "告", "条例 第三十二条",
               ("第三方告知书", "告知第三方")),
    NoticeKind("fee", "政府信息公开信息处理费收费通知书", "费", "条例 第四十二条；国办函〔2020〕109号",
               ("收费通知书", "收费通知", "收费")),
)}


def kind_of(value: str) -> NoticeKind:
    """A kind by code or by its Chinese title; a clear error listing both."""
    text = (value or "").strip()
    for kind in KINDS.values():
        if text in (kind.code, kind.title, *kind.names):
            return kind
    choices = "、".join(k.names[0] for k in KINDS.values())
    raise GongkaiError(f"告知书种类“{value}”无效（--kind），可选：{choices}（也可写全称，如 {KINDS['receipt'].title}）。")


SILENCE_TEXT = {
    Silence.AGENCY_DECIDES.value: "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开",
    Silence.CONSENT.value: "逾期未提出意见的，视为同意公开",
    Silence.REFUSAL.value: "逾期未提出意见的，视为不同意公开",
}


def _recorded(session: Session, req: Request, action: str, key: str) -> Any:
    """What the step ``action`` recorded under ``key`` (its latest event), so a notice made later
    does not ask again for what the step was given (the 补正 items, the extension's reason…)."""
    from gongkai.core.records.storage import events_for
    from gongkai.core.requests.models import OWNER

    for event in reversed(events_for(session, OWNER, req.id)):
        if event["action"] == action:
            return (event["after"] or {}).get(key)
    return None


def _receipt(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    rule = office.registry.rule("request.receipt_date")
    ch = intake.channel_code(office.registry, req.channel)
    how = "提交之日" if ch.received_on == "submitted" else "双方确认之日"
    reply = office.registry.deadline("request.reply")
    return {"on": options.get("on") or req.received, "how": how, "receipt_rule": rule.summary,
            "receipt_citation": str(rule.citation), "reply_period": reply.describe(),
            "reply_citation": str(reply.citation), "due": _due(office, reply, req.received)}


def correction_what(session: Session, req: Request) -> str:
    """What the 补正 notice asks the applicant to supplement, as recorded when it was given
    (``request correct --what``, the staff page's 需要补正的事项); "" if nothing was."""
    return str(_recorded(session, req, "notify_correction", "what") or "").strip()


def _correction(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    correction = clock.correction_of(session, req.id)
    if correction is None:
        raise StepRefused(f"申请 {req.id} 尚未告知补正。请先用 `gongkai request correct` 登记补正告知。")
    what = (options.get("what") or "").strip() or correction_what(session, req)
    if not what:
        raise GongkaiError("补正告知书须写明需要补正的事项（条例 第三十条），请用 --what 填写，如 --what \"所需信息的名称、文号或者便于查询的其他特征性描述\"。")
    return {"on": correction.notice_on, "what": what, "period_days": correction.period_days, "due": correction.due}


def _extension(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    granted = clock.extensions_of(session, req.id)
    if not granted:
        raise StepRefused(f"申请 {req.id} 未延长答复期限。请先用 `gongkai request extend` 登记延期。")
    last = granted[-1]
    rule = office.registry.deadline("request.extension")
    return {"on": options.get("on") or last.applicant_told_on, "amount": f"{last.amount}{Unit(last.unit).label}",
            "approved_on": last.approved_on, "due": clock.reply_deadline(session, office, req).due,
            "extension_rule": rule.summary, "extension_citation": str(rule.citation),
            "reason": (options.get("reason") or "").strip() or (_recorded(session, req, "extend", "reason") or "")}


def _third_party(options: dict[str, Any], kind: str) -> str:
    name = (options.get("to") or "").strip()
    if not name:
        raise GongkaiError(f"{KINDS[kind].title}须写明第三方的名称或姓名，请用 --to 填写。")
    return name


def _third_party_opinion(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    rule = office.registry.deadline("request.third_party_opinion")
    sent = next((p.start for p in reversed(clock.pauses_of(session, req.id)) if p.reason == "third_party"), None)
    on = options.get("on") or sent
    if on is None:
        raise GongkaiError("请用 --on 填写发出征求意见书的日期（或先用 `gongkai request pause --reason third_party` 中止计时）。")
    return {"on": on, "to": _third_party(options, "third_party_opinion"), "period": rule.describe(),
            "due": _due(office, rule, on),
            "silence": SILENCE_TEXT.get(rule.on_silence.value if rule.on_silence else "", ""),
            "rule_citation": str(rule.citation)}


def _due(office: Any, rule: DeadlineRule, start: dt.date) -> dt.date:
    from gongkai.core.time.deadlines import compute

    return compute(rule, start, office.calendar).due


def _third_party_disclosure(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    reason = (options.get("reason") or "").strip()
    if not reason:
        raise GongkaiError("决定公开的，须书面告知第三方决定公开的内容和理由（条例 第三十二条），请用 --reason 填写理由。")
    on = options.get("on")
    if on is None:
        raise GongkaiError("请用 --on 填写告知日期。")
    content = (options.get("content") or "").strip() or req.subject
    return {"on": on, "to": _third_party(options, "third_party_disclosure"), "reason": reason, "content": content}


def _fee(session: Session, office: Any, req: Request, options: dict[str, Any]) -> dict[str, Any]:
    if not req.fee_amount:
        raise StepRefused(f"申请 {req.id} 未核定信息处理费（或应收金额为0）。请先用 `gongkai request fee` 核定。")
    on = options.get("on")
    if on is None and _recorded(session, req, "fee", "notice_on"):
        on = dt.date.fromisoformat(_recorded(session, req, "fee", "notice_on"))
    if on is None:
        raise GongkaiError("请用 --on 填写发出收费通知的日期。")
    schedule = office.registry.rule("request.fee", FeeSchedule)
    how = (options.get("payment") or "").strip() or (_recorded(session, req, "fee", "payment") or "")
    if not how:
        raise GongkaiError("收费通知须说明缴纳方式（国办函〔2020〕109号），请用 --payment 填写，如 --payment \"通过非税收入缴款码缴纳\"。")
    # the 20 working days run from the day after the applicant receives the notice; shown from its date
    pay_by = office.calendar.add_working_days(on, FEE_PAYMENT_DAYS)
    if req.fee_method == "per_page":
        standard = f"本次提供的信息共{req.fee_pages}页"
    else:
        standard = f"本件为您本自然月内第{fees.nth_in_month(session, req)}件申请"
    bands = schedule.per_page if req.fee_method == "per_page" else schedule.per_request
    return {"on": on, "amount": req.fee_amount, "method": fees.METHODS[req.fee_method or "per_request"],
            "standard": standard, "rates": fees.describe_bands(bands, "页" if req.fee_method == "per_page" else "件"), "fee_citation": str(schedule.citation), "payment": how,
            "pay_days": FEE_PAYMENT_DAYS, "pay_by": pay_by}


BUILDERS = {"receipt": _receipt, "correction": _correction, "extension": _extension,
            "third_party_opinion": _third_party_opinion, "third_party_disclosure": _third_party_disclosure,
            "fee": _fee}


def context(session: Session, office: Any, req: Request, kind: str, options: dict[str, Any]) -> dict[str, Any]:
    from gongkai.core.requests.letters import reconsideration_body

    notice = kind_of(kind)
    # every notice here is the 条例's, with its periods and articles: not for another track (党务公开),
    # whose reply period may be the unit's own, not law
    tracks.require_government(office.registry, req.track, f"《条例》的{notice.title}（{notice.citation}）")
    if not office.unit.name:
        raise GongkaiError("未设置单位名称：请在 gongkai.toml 中填写 unit（落款单位），区级服务器用 `gongkai unit edit 代码 --name 全称`。")
    facts = BUILDERS[notice.code](session, office, req, options)
    return {
        "unit": office.unit.name,
        "title": notice.title,
        "number": document_number(office, facts["on"].year, req.id, notice.mark),
        "request_id": req.id,
        "applicant": {"name": req.applicant_name, "contact": req.applicant_contact},
        "channel": intake.channel_code(office.registry, req.channel).name,
        "submitted": req.submitted,
        "confirmed": req.confirmed,
        "received": req.received,
        "subject": req.subject,
        "reconsideration_body": reconsideration_body(office),
        **facts,
    }


def render_notice(session: Session, office: Any, req: Request, kind: str, options: dict[str, Any]) -> str:
    from gongkai.core.paperwork.render import render

    code = kind_of(kind).code
    return render(office.registry.template_dirs, f"notices/{code}.md.j2", context(session, office, req, code, options))


def write_notice(session: Session, office: Any, req: Request, kind: str, fmt: str, out: Path,
                 options: dict[str, Any] | None = None) -> Path:
    from gongkai.core.paperwork.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"格式“{fmt}”无效（--format），可选：{'、'.join(FORMATS)}。")
    notice = kind_of(kind)
    if (options or {}).get("on"):  # a notice is dated when it goes out: not before receipt, not after today
        check_date(req, options["on"], notice.title)
    text = render_notice(session, office, req, notice.code, options or {})
    return write_output(text, fmt, out, title=f"{notice.title} {req.applicant_name}", layout=letter_layout(office))


def format_of(out: str | Path) -> str:
    """The output format named by a file's extension (``--notice 补正告知书.pdf``)."""
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise GongkaiError(f"告知书文件“{out}”的扩展名应为 {'、'.join('.' + f for f in FORMATS)} 之一（--notice）。")
    return suffix


# the step each notice goes with (its event on the request), recorded with the notice
STEPS = {"receipt": "receive", "correction": "notify_correction", "extension": "extend",
         "third_party_opinion": "pause", "third_party_disclosure": "reply", "fee": "fee"}


def issue(session: Session, office: Any, req: Request, kind: str, fmt: str, options: dict[str, Any],
          actor: str = "", out: Any = None) -> tuple[bytes, str]:
    """Make a notice and record it on the request: a ``notice`` event stating which notice, the
    step it goes with, its 文号 and date, the format and the SHA-256 of the file handed out.
    Returns the file's content and its name; with ``out`` (a path or a ``safe_write.Target``) the
    file is also written there, in the same transaction as its event. What the web's 出具告知书
    form and ``gongkai request notice`` (and a step's ``--notice``) both call."""
    import hashlib
    import tempfile

    from gongkai.core.paperwork.safe_write import check_target, write_file
    from gongkai.core.requests.workflow import apply

    notice = kind_of(kind)
    if fmt not in FORMATS:
        raise GongkaiError(f"格式“{fmt}”无效，可选：{'、'.join(FORMATS)}。")
    if out is not None:
        check_target(out)  # refused before the (slow) PDF is made
    if (options or {}).get("on"):  # as write_notice: the date first
        check_date(req, options["on"], notice.title)
    facts = context(session, office, req, notice.code, options)  # refused here before anything is written
    with tempfile.TemporaryDirectory() as tmp:
        content = write_notice(session, office, req, notice.code, fmt, Path(tmp) / f"notice.{fmt}", options).read_bytes()
    apply(session, req, "notice", actor, {"kind": notice.code, "title": notice.title, "step": STEPS[notice.code],
                                          "number": facts["number"], "on": facts["on"].isoformat(), "format": fmt,
                                          "sha256": hashlib.sha256(content).hexdigest()}, to_state=req.state)
    if out is not None:
        write_file(out, content)
    return content, f"{notice.title}-{req.id}-{req.applicant_name}.{fmt}"
