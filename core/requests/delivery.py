"""送达: when and how each letter or notice reached the applicant, and the last days of the
remedies that run from it (行政复议: 60 days, 行政复议法 第二十条; 行政诉讼: 6 months, 行政诉讼法
第四十六条; the periods are rules of core.law.national)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.records import limits
from gongkai.core.records.limits import check_text
from gongkai.core.records.storage import record_event
from gongkai.core.requests.models import OWNER, Delivery, Request
from gongkai.core.requests.workflow import check_date

HOWS = {"online": "网上送达", "email": "电子邮件", "post": "邮寄", "in_person": "当面", "left": "留置送达",
        "other": "其他"}
LETTER_NAMES = {"reply": "答复书"}


def how_of(value: str) -> str:
    text = (value or "").strip()
    for code, name in HOWS.items():
        if text in (code, name) or (len(text) >= 2 and name.startswith(text)):
            return code
    raise GongkaiError(f"送达方式“{value}”无效（--how），可选：{'、'.join(HOWS.values())}。")


def letter_of(value: str | None) -> str:
    from gongkai.core.requests.notices import kind_of

    text = (value or "").strip()
    if text in ("", "reply", "答复书", "答复"):
        return "reply"
    return kind_of(text).code


def letter_name(code: str) -> str:
    from gongkai.core.requests.notices import KINDS

    return LETTER_NAMES.get(code) or (KINDS[code].names[0] if code in KINDS else code)


def issued(session: Session, request: Request) -> list[str]:
    """The letters and notices issued to the applicant so far (what can be delivered)."""
    from gongkai.core.requests import clock

    return letters_issued(request, clock.correction_of(session, request.id), clock.extensions_of(session, request.id))


def letters_issued(request: Request, correction: Any, extensions: list[Any]) -> list[str]:
    """:func:`issued`, given the request's correction (or None) and extensions as read."""
    letters = ["receipt"]
    if correction is not None:
        letters.append("correction")
    if extensions:
        letters.append("extension")
    if request.replied_on is not None and request.outcome:
        letters.append("reply")
    return letters


def deliver(session: Session, office: Any, request: Request, *, how: str, on: dt.date, letter: str | None = None,
            tracking: str = "", proof_sha256: str = "", actor: str = "") -> Delivery:
    code, way = letter_of(letter), how_of(how)
    if code not in issued(session, request):
        raise StepRefused(f"申请 {request.id} 尚未出具{letter_name(code)}，不能登记其送达。")
    check_date(request, on, "送达")
    if code == "reply" and request.replied_on and on < request.replied_on:
        raise GongkaiError(f"送达日期 {on} 早于答复日期 {request.replied_on}，请核对日期。")
    tracking = (tracking or "").strip()
    check_text(tracking, limits.REF_CHARS, "邮件号码")
    row = Delivery(request_id=request.id, letter=code, how=way, on=on, tracking=tracking, proof_sha256=proof_sha256,
                   by=actor)
    session.add(row)
    session.flush()
    record_event(session, subject_kind=OWNER, subject_id=request.id, action="deliver", actor=actor,
                 after={"letter": code, "how": way, "on": on.isoformat(), "tracking": tracking,
                        **({"proof_sha256": proof_sha256} if proof_sha256 else {})})
    return row


def of(session: Session, request_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.request_id == request_id).order_by(Delivery.id)))


def first(session: Session, request_id: int, letter: str) -> Delivery | None:
    return next((d for d in of(session, request_id) if d.letter == letter), None)


def remedies(office: Any, on: dt.date) -> dict[str, Any]:
    from gongkai.core.time.deadlines import compute

    out = {}
    for key, rule_id in (("reconsideration_until", "remedy.reconsideration"), ("lawsuit_until", "remedy.lawsuit")):
        rule = office.registry.deadline(rule_id)
        out[key] = compute(rule, on, office.calendar).due.isoformat()
        out[key.replace("_until", "_citation")] = str(rule.citation)
    return out


def as_json(office: Any, row: Delivery) -> dict[str, Any]:
    return {"letter": row.letter, "letter_name": letter_name(row.letter), "how": row.how, "how_name": HOWS.get(row.how, row.how),
            "on": row.on.isoformat(), "tracking": row.tracking, "proof_sha256": row.proof_sha256 or None,
            **remedies(office, row.on)}
