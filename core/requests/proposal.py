"""What a review signature signs: the proposed reply (拟答复内容).

The first signature of the steps before the reply states the proposal: the outcome and the
facts its letter states (the reasons, the parts withheld and why, the other agency and how to
reach it). Every later step approves that proposal as it stands; each approval stores it
(``request_review.proposal``) and its event carries it. A reply or a corrected reply that
differs from what the chain approved is refused, naming the difference; changing the proposal
after a signature lapses every signature of the stage, since each signed the whole proposal.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError, StepRefused

FIELDS = ("outcome", "reasons", "withheld", "agency", "agency_contact")
LABELS = {"outcome": "答复结果", "reasons": "理由", "withheld": "不予公开的内容及理由", "agency": "负责公开的机关",
          "agency_contact": "该机关联系方式"}


def make(registry: Any, track: str, *, outcome: str, reasons: str | None = None,
         withheld: list[dict[str, str]] | None = None, agency: str | None = None,
         agency_contact: str | None = None) -> dict[str, Any]:
    """A checked proposal: an outcome the track allows, answered by a letter, with what the
    letter must state (条例 第三十六、三十七条)."""
    from gongkai.core.requests import reply, tracks

    record = tracks.check_outcome(registry, track, outcome)
    if not record.letter:
        raise GongkaiError(f"答复结果“{record.name}”不以答复办理，不能作为拟答复内容审核。")
    reply.check_reply_facts(outcome, withheld, agency or "", agency_contact or "", how=HOW)
    reply.check_reasons(record, reasons or "", "审核时用 --reason")
    return {"outcome": outcome, "reasons": (reasons or "").strip(), "withheld": list(withheld or []),
            "agency": (agency or "").strip(), "agency_contact": (agency_contact or "").strip()}


HOW = {"withheld": "审核时用 --withheld “内容：理由”，可多次使用", "agency": "审核时用 --agency 和 --agency-contact"}


def dumps(proposal: dict[str, Any] | None) -> str | None:
    """The stored form (``request_review.proposal``): one canonical JSON text, also what replay makes."""
    return None if proposal is None else json.dumps(proposal, ensure_ascii=False, sort_keys=True)


def loads(text: str | None) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def of_reply(obj: Any) -> dict[str, Any]:
    """The reply in force (or a request's draft fields) as a proposal."""
    from gongkai.core.requests.reply import withheld_parts

    return {"outcome": obj.outcome, "reasons": obj.reasons or "", "withheld": withheld_parts(obj),
            "agency": obj.other_agency or "", "agency_contact": obj.other_agency_contact or ""}


def approved(session: Session, request_id: int, the_chain: Any, live: list[Any] | None = None) -> dict[str, Any] | None:
    """The proposal the live approvals of the steps before the reply signed (None: none signed
    one, as before approvals carried their proposal). ``live``: the request's live review
    actions (:func:`review.live_actions`) if the caller has read them."""
    from gongkai.core.requests.review import live_actions

    for action in live_actions(session, request_id) if live is None else live:
        if action.decision == "approve" and action.proposal and the_chain.step(action.step_id).stage == "before":
            return loads(action.proposal)
    return None


def _effective_reasons(registry: Any, p: dict[str, Any]) -> str:
    # two proposals without written reasons state the same thing: their outcome
    return p["reasons"] or registry.outcome(p["outcome"]).name


def _shown(registry: Any, field: str, value: Any) -> str:
    if field == "outcome":
        return registry.outcome(value).name if value in registry.outcomes else str(value)
    if field == "withheld":
        return "；".join(f"{w['part']}：{w['reason']}" for w in value) or "（无）"
    return value or "（无）"


def differences(registry: Any, signed: dict[str, Any], given: dict[str, Any]) -> list[str]:
    """What ``given`` states otherwise than ``signed``, each in Chinese."""
    out = []
    for field in FIELDS:
        a, b = signed.get(field), given.get(field)
        if field == "reasons":
            if not (a or b):
                continue  # neither written: each letter states its outcome's name
            a, b = _effective_reasons(registry, signed), _effective_reasons(registry, given)
        if field == "withheld":
            a, b = [(w["part"], w["reason"]) for w in a or []], [(w["part"], w["reason"]) for w in b or []]
        if a != b:
            if field == "reasons":
                out.append(f"{LABELS[field]}（审核同意的：{a}；本次：{b}）")
                continue
            out.append(f"{LABELS[field]}（审核同意的：{_shown(registry, field, signed.get(field))}；"
                       f"本次：{_shown(registry, field, given.get(field))}）")
    return out


def settle(registry: Any, signed: dict[str, Any] | None, what: str, request_id: int, **given: Any) -> dict[str, Any]:
    """The reply's content: each field not given (None) is the signed proposal's; a field given
    otherwise than signed is refused, naming the difference. ``what``: 答复 or 更正答复."""
    if signed is None:
        if not given.get("outcome"):
            raise GongkaiError(f"请写明{what}结果（--outcome）。")
        return {f: given.get(f) for f in FIELDS}
    settled = {f: signed[f] if given.get(f) is None else given[f] for f in FIELDS}
    diff = differences(registry, signed, settled)
    if diff:
        raise StepRefused(
            f"{what}与审核同意的拟答复内容不一致，不能{what}：" + "；".join(diff) + "。"
            f"请按审核同意的内容{what}；确需改变的，由审核流程第一步重新签署新的拟答复内容"
            f"（gongkai request review {request_id} --step … --outcome …），已签署的步骤随之重新审核。")
    return settled
