"""The applicant withdraws the request (申请人撤回): no reply letter, a record of how the
withdrawal came in, and the 2021 report format counts it under （六）其他处理 3.其他.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from gongkai.core.time.deadline_store import StoredDeadline
from gongkai.core.errors import GongkaiError
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.requests.workflow import apply, check_after, check_date

OUTCOME = "other.withdrawn"
HOW = ("书面", "电话", "当面", "网上")  # how the withdrawal reached the unit


def cancel_open_clocks(session: Session, request: Request, on: dt.date) -> None:
    """Every clock still running for the request stops: nothing is due any more."""
    session.execute(update(StoredDeadline)
                    .where(StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == request.id,
                           StoredDeadline.status == "open")
                    .values(status="cancelled", met_on=on))


def withdraw(session: Session, office: Any, request: Request, on: dt.date, how: str, actor: str = "") -> None:
    """Record the withdrawal of an unanswered request; its clocks stop."""
    if how not in HOW:
        raise GongkaiError(f"撤回方式“{how}”无效（--how），可选：{'、'.join(HOW)}。")
    office.registry.outcome(OUTCOME)
    check_date(request, on, "撤回")
    check_after(on, request.period_start, "撤回", "答复期限起算日")
    before = {"outcome": request.outcome, "replied_on": None, "withdrawal_how": request.withdrawal_how}
    request.outcome = OUTCOME
    request.replied_on = on  # the day the request was disposed of: the year it counts in
    request.replied_by = actor
    request.reasons = f"申请人于{on.isoformat()}以{how}方式撤回申请。"
    request.withdrawal_how = how
    cancel_open_clocks(session, request, on)
    apply(session, request, "withdraw", actor,
          {"outcome": OUTCOME, "replied_on": on.isoformat(), "withdrawal_how": how, "reasons": request.reasons},
          before=before)
