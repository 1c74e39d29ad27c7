"""The reply: one outcome from the registry, its reasons and legal basis (条例 第三十六至三十九条)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session, select

from gongkai.core.time.deadline_store import close_deadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests import clock, review, tracks
from gongkai.core.requests.models import OWNER, PriorReply, Request
from gongkai.core.requests.workflow import STATES, apply, check_after, check_date
from gongkai.core.units.numbering import next_serial

PARTIAL = "partial"
OTHER_AGENCY = "unavailable.other_agency"


# The letter that replaces a reply has a 文号 of its own: 更 a corrected reply, 重 a new reply
# (the mark follows the 机关代字, and each mark numbers its letters in its own sequence).
SUPERSEDING_MARKS = {"amend": "更", "reanswer": "重"}


def series_of(replaced: PriorReply | None) -> str:
    """The mark of the letter that replaced ``replaced`` ("" for a first reply)."""
    return SUPERSEDING_MARKS.get(replaced.superseded_by, "重") if replaced else ""


def letter_series(session: Session, request_id: int | None) -> str:
    """The mark of the request's letter about to be issued: after its latest earlier reply."""
    latest = session.exec(select(PriorReply).where(PriorReply.request_id == request_id)
                          .order_by(PriorReply.id.desc()).limit(1)).first()
    return series_of(latest)


def parse_withheld(items: list[str], where: str = "--withheld") -> list[dict[str, str]]:
    """``--withheld "第3页联系人电话：个人隐私（条例 第十五条）"``: part and reason split at the first colon.
    ``where`` names the option or column the items came from."""
    parts = []
    for raw in items:
        text = raw.replace("：", ":")
        part, sep, reason = text.partition(":")
        if not sep or not part.strip() or not reason.strip():
            raise GongkaiError(f"{where} “{raw}” 格式应为“不予公开的内容：理由”，如“联系人电话：个人隐私（条例 第十五条）”。")
        parts.append({"part": part.strip(), "reason": reason.strip()})
    return parts


def propose(session: Session, office: Any, request: Request, outcome: str, actor: str = "") -> None:
    """Record the outcome the draft proposes, so outcome-limited review steps are known."""
    tracks.check_outcome(office.registry, request.track, outcome)
    request.proposed_outcome = outcome
    session.add(request)


REPLY_FIELDS = ("outcome", "replied_on", "amended_on", "replied_by", "reasons", "legal_basis", "provision",
                "withheld_parts", "other_agency", "other_agency_contact")


def reply_values(obj: Any) -> dict[str, Any]:
    """The reply a request (or a :class:`PriorReply`) holds, as JSON values: what the events
    of a correction or re-answer carry before and after."""
    return {f: v.isoformat() if isinstance(v, dt.date) else v for f in REPLY_FIELDS
            if (v := getattr(obj, f, None)) is not None or f in ("outcome", "replied_on")}


def set_reply(registry: Any, request: Request, *, outcome: str, reasons: str = "", legal_basis: str = "",
              provision: str = "", withheld: list[dict[str, str]] | None = None, agency: str = "",
              agency_contact: str = "") -> None:
    """Check a reply's content against its outcome (and the request's track) and write it onto the request."""
    record = tracks.check_outcome(registry, request.track, outcome)
    if not record.letter:
        raise StepRefused(f"答复结果“{record.name}”不以答复办理（如申请人撤回，请用 `gongkai request withdraw`）。")
    check_reply_facts(outcome, withheld, agency, agency_contact)
    check_reasons(record, reasons, "`request reply --reason`，`request amend --reply-reason`")
    request.outcome = outcome
    request.reasons = reasons.strip()  # none given: the letter states the outcome, not "理由：<outcome>"
    request.legal_basis = legal_basis.strip() or (str(record.basis) if record.basis else "")
    request.provision = provision.strip()
    request.withheld_parts = json.dumps(withheld or [], ensure_ascii=False)
    request.other_agency = agency.strip()
    request.other_agency_contact = agency_contact.strip()


def reply(
    session: Session,
    office: Any,
    request: Request,
    *,
    on: dt.date,
    outcome: str | None = None,
    reasons: str | None = None,
    legal_basis: str = "",
    provision: str = "",
    withheld: list[dict[str, str]] | None = None,
    agency: str | None = None,
    agency_contact: str | None = None,
    actor: str = "",
) -> Request:
    """Answer the request; refused while a review step before the reply is missing, or when it
    states otherwise than the proposal the chain approved (a field not given, None, is the
    approved one's: :func:`gongkai.core.requests.proposal.settle`)."""
    from gongkai.core.requests import proposal

    registry = office.registry
    if outcome is not None:
        tracks.check_outcome(registry, request.track, outcome)
    check_date(request, on, "答复")
    check_after(on, request.period_start, "答复", "答复期限起算日")
    if request.state == "paused":
        raise StepRefused(f"申请 {request.id} 正在中止计时，答复前请先用 `gongkai request resume` 恢复计时。")
    if request.state == "correction_pending":
        raise StepRefused(f"申请 {request.id} 正在等待补正；补正后再答复，逾期未补正请用 `gongkai request abandon`。")
    if request.state not in ("received", "processing", "reviewing"):
        hint = "；答复有误的，请用 `gongkai request amend` 更正答复" if request.state in ("replied", "closed", "amending") else ""
        raise StepRefused(f"申请 {request.id} 当前状态为“{STATES[request.state]}”，不能再答复{hint}。")
    content = proposal.settle(registry, proposal.approved(session, request.id, review.chain(registry)), "答复",
                              request.id, outcome=outcome, reasons=reasons, withheld=withheld, agency=agency,
                              agency_contact=agency_contact)
    outcome = content["outcome"]
    tracks.check_outcome(registry, request.track, outcome)
    missing = review.missing_steps(session, registry, request, outcome)
    if missing:
        raise StepRefused(
            f"审核流程未完成，不能答复：缺少{review.missing_message(registry, missing)}。"
            f"请先用 `gongkai request review {request.id} --step {missing[0].name}` 办理。"
        )
    approved = [a.on for a in review.approvals(session, request.id).values()]
    check_after(on, max(approved, default=None), "答复", "审核同意的日期")
    set_reply(registry, request, outcome=outcome, reasons=content["reasons"] or "", legal_basis=legal_basis,
              provision=provision, withheld=content["withheld"], agency=content["agency"] or "",
              agency_contact=content["agency_contact"] or "")
    request.replied_on = on
    request.replied_by = actor
    request.letter_serial = next_serial(session, on.year, letter_series(session, request.id))  # the N of its 文号
    late = clock.reply_deadline(session, office, request)
    close_deadline(session, OWNER, request.id, "reply", on, status="met" if late.due is None or on <= late.due else "late")
    apply(session, request, "reply", actor, {"outcome": outcome, "on": on.isoformat(), "reasons": request.reasons,
                                             "letter_serial": request.letter_serial, **reply_values(request)})
    review.start_after_steps(session, office, request)
    return request


REPLY_HOW = {"withheld": "--withheld “内容：理由”，可多次使用", "agency": "--agency 和 --agency-contact"}


def check_reasons(record: Any, reasons: str, how: str) -> None:
    """A refusal states its reasons (条例 第三十六条（三）); 部分公开 gives each part's reason instead."""
    if record.withholds and record.code != PARTIAL and not reasons.strip():
        raise GongkaiError(f"决定不予公开的，须告知申请人并说明理由（条例 第三十六条第（三）项）：请写明“{record.name}”的具体理由"
                           f"（{how}）。")


def check_reply_facts(outcome: str, withheld: list[dict[str, str]] | None, agency: str, agency_contact: str,
                      how: dict[str, str] = REPLY_HOW) -> None:
    """What a reply with ``outcome`` must state (条例 第三十七条: the parts withheld and why;
    第三十六条（五）: the agency responsible and how to reach it). Shared by ``reply`` and the
    ledger import; ``how`` names the options or columns that give them."""
    if outcome == PARTIAL and not withheld:
        raise GongkaiError(f"部分公开须列明不予公开的内容及理由（{how['withheld']}）。")
    if outcome == OTHER_AGENCY and not (agency.strip() and agency_contact.strip()):
        raise GongkaiError(f"不属于本机关负责公开的，须告知负责公开的机关名称及联系方式（{how['agency']}）。")


def close(session: Session, office: Any, request: Request, on: dt.date, actor: str = "") -> None:
    """Archive a replied request once every step after the reply is done."""
    missing = review.missing_steps(session, office.registry, request, request.outcome or "", "after")
    if missing and request.state == "replied":
        names = "、".join(review.step_label(s) for s in missing)
        raise StepRefused(f"答复后的步骤未完成，不能归档：缺少{names}。")
    check_date(request, on, "归档")
    check_after(on, request.amended_on or request.replied_on, "归档", "答复日期")
    check_after(on, max((a.on for a in review.live_actions(session, request.id)), default=None), "归档",
                "最后一项审核或报备的日期")
    request.closed_on = on
    apply(session, request, "close", actor, {"on": on.isoformat()})


def withheld_parts(request: Request) -> list[dict[str, str]]:
    return json.loads(request.withheld_parts) if request.withheld_parts not in (None, "", "[]") else []
