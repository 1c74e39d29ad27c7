"""A request's clock history as ledger cells: what ``ledger --xlsx`` writes and ``request
import`` reads back and replays.

A request open at year end (or answered late, or withdrawn) is not just its dates: its clock
stood still (consultations, the fee notice until payment), ran again from a correction, or
was extended. The export writes those steps as cells; the import parses them (:func:`parse`,
in the checking process, so a badly written cell is refused with its line) and replays them
(:func:`replay`, in the storing process) through the very functions the single commands
call (``clock.notify_correction``, ``corrected``, ``pause``, ``resume``, ``extend``,
``abandon``; ``withdrawal.withdraw``), in date order. So the imported request has the
clock, days used and left and the due date it would have had if each step had been
recorded one by one, and a step those commands refuse is refused with the row's line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from gongkai.core.errors import GongkaiError

# the import's fields for the history (field -> (column header, required)); ledger --xlsx
# writes them under these headers
FIELDS = {
    "withdrawal_how": ("撤回方式", False),
    "fee_notice_on": ("收费通知日期", False),
    "fee_paid_on": ("缴费日期", False),
    "fee_unpaid_on": ("逾期未缴费日期", False),  # the fee pause ended unpaid (逾期未缴费)
    "correction_notice_on": ("补正告知日期", False),
    "correction_days": ("补正期限（工作日）", False),
    "corrected_on": ("补正日期", False),
    "pauses": ("中止计时", False),
    "extensions": ("延长答复期限", False),
}
WITHDRAWN = "other.withdrawn"
NO_CORRECTION = "other.no_correction"
UNITS = {"个工作日": "working_days", "个月": "months"}
_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_PAUSE = re.compile(rf"^(.+?)[:：]\s*{_DATE}\s*至\s*(?:{_DATE})?\s*(（逾期未提出意见）)?$")
_EXTENSION = re.compile(rf"^延长\s*(\d+)\s*(个工作日|个月)[,，]\s*{_DATE}[,，]\s*(.+?)批准(?:[,，]\s*{_DATE}告知申请人)?$")


@attrs.frozen
class Steps:
    """The steps of one row, parsed and checked for form; dates as dates."""

    withdrawal_how: str = ""
    correction: tuple[dt.date, int, dt.date | None, str] | None = None  # notice, days, corrected on, good reason
    pauses: tuple[tuple[str, dt.date, dt.date | None, bool], ...] = ()  # reason, start, end, no answer
    extensions: tuple[tuple[int, str, dt.date, str, dt.date | None], ...] = ()  # amount, unit, on, by, told on

    def __bool__(self) -> bool:
        return bool(self.withdrawal_how or self.correction or self.pauses or self.extensions)


NONE = Steps()


def _day(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in text.replace("/", "-").split("-")))
    except ValueError:
        raise GongkaiError(f"{what}“{text}”不是有效日期（应为 2026-03-02）") from None


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("；", ";").replace("\n", ";").split(";") if item.strip()]


def parse(text: dict[str, str], outcome: str | None, date: Any) -> Steps:
    """The history cells of a row (``text``: field -> stripped cell text; ``date(field, name)``
    reads a date cell as the import does) for a row answered with ``outcome`` (or None)."""
    if outcome != WITHDRAWN and not any(text.get(field) for field in FIELDS):
        return NONE  # most rows: nothing to replay, checked at no cost
    from gongkai.core.requests.clock import PAUSE_REASONS
    from gongkai.core.requests.withdrawal import HOW

    how = text.get("withdrawal_how", "")
    if outcome == WITHDRAWN and how not in HOW:
        raise GongkaiError(f"撤回方式“{how}”无效：申请人撤回的，“撤回方式”列（withdrawal_how）应为 {'、'.join(HOW)} 之一")
    if how and outcome != WITHDRAWN:
        raise GongkaiError(f"有撤回方式“{how}”，但答复结果不是申请人撤回（{WITHDRAWN}）")
    correction = None
    notice = date("correction_notice_on", "补正告知日期")
    corrected = text.get("corrected_on", "")
    days = text.get("correction_days", "")
    if notice is not None:
        if not days.isdigit() or not 0 < int(days) <= 366:
            raise GongkaiError(f"补正期限（工作日）“{days}”无效：有补正告知日期时须填写补正期限的工作日数，如 15")
        on, _, reason = corrected.partition(" ")
        correction = (notice, int(days), _day(on, "补正日期") if on else None, reason.strip())
    elif days or corrected:
        raise GongkaiError("有补正期限或补正日期，但没有补正告知日期（correction_notice_on）")
    names = {name: code for code, (name, _, _) in PAUSE_REASONS.items()} | {code: code for code in PAUSE_REASONS}
    pauses = []
    for item in _items(text.get("pauses", "")):
        found = _PAUSE.match(item)
        if found is None or found[1].strip() not in names or names[found[1].strip()] == "fee":
            raise GongkaiError(f"中止计时“{item}”格式应为“事由：开始日期至结束日期”，如“征求第三方意见：2025-12-01至2025-12-15”"
                               f"（尚未恢复的，结束日期留空）；事由可选：{'、'.join(n for n, _, _ in list(PAUSE_REASONS.values())[:3])}")
        pauses.append((names[found[1].strip()], _day(found[2], "中止日期"),
                       _day(found[3], "恢复日期") if found[3] else None, bool(found[4])))
    fee_notice, fee_paid = date("fee_notice_on", "收费通知日期"), date("fee_paid_on", "缴费日期")
    if fee_paid is not None and fee_notice is None:
        raise GongkaiError("有缴费日期，但没有收费通知日期（fee_notice_on）：答复期限自收费通知之日起中止至缴费之日")
    fee_unpaid = date("fee_unpaid_on", "逾期未缴费日期")
    if fee_unpaid is not None and (fee_notice is None or fee_paid is not None):
        raise GongkaiError("逾期未缴费日期须有收费通知日期（fee_notice_on），且不能同时有缴费日期")
    if fee_notice is not None:
        pauses.append(("fee", fee_notice, fee_paid or fee_unpaid, fee_unpaid is not None))
    extensions = []
    for item in _items(text.get("extensions", "")):
        found = _EXTENSION.match(item)
        if found is None:
            raise GongkaiError(f"延长答复期限“{item}”格式应为“延长20个工作日，批准日期，批准人批准”，"
                               "如“延长20个工作日，2025-12-10，张三批准”（可再加“，2025-12-11告知申请人”）")
        extensions.append((int(found[1]), UNITS[found[2]], _day(found[3], "延期批准日期"), found[4].strip(),
                           _day(found[5], "告知申请人延期日期") if found[5] else None))
    return Steps(how, correction, tuple(pauses), tuple(extensions))


def replay(session: Any, office: Any, request: Any, steps: Steps, actor: str) -> None:
    """Record ``steps`` on ``request`` (stored, state ``received``) through the single
    commands' functions, in date order; refused as they would refuse it."""
    from gongkai.core.requests import clock

    moves: list[tuple[dt.date, int, Any]] = []
    if steps.correction:
        notice, days, corrected, reason = steps.correction
        moves.append((notice, 0, lambda: clock.notify_correction(session, office, request, notice, days, actor)))
        if corrected is not None:
            moves.append((corrected, 1, lambda: clock.corrected(session, office, request, corrected, reason, actor)))
    for reason, start, end, silent in steps.pauses:
        moves.append((start, 3, lambda r=reason, s=start: clock.pause(session, office, request, r, s, actor=actor)))
        if end is not None:
            moves.append((end, 2, lambda e=end, n=silent, r=reason: clock.resume(
                session, office, request, e, n and r != "fee", actor=actor, unpaid=n and r == "fee")))
    for amount, unit, on, by, told in steps.extensions:
        moves.append((on, 4, lambda a=amount, u=unit, o=on, b=by, t=told: clock.extend(
            session, office, request, a, b, o, t, months=u == "months", actor=actor)))
    for _, _, move in sorted(moves, key=lambda m: m[:2]):
        move()


def finish(session: Any, office: Any, request: Any, steps: Steps, reply: dict[str, Any], actor: str) -> None:
    """The row's outcome, after its steps: a withdrawal or a lapsed correction through their
    own functions; any other reply written as the import writes it, with a ``reply`` event,
    refused in a state ``request reply`` refuses (paused, awaiting correction)."""
    from gongkai.core.time.deadline_store import close_deadline
    from gongkai.core.requests import clock, withdrawal
    from gongkai.core.requests.models import OWNER
    from gongkai.core.requests.reply import reply_values
    from gongkai.core.requests.workflow import STATES, apply, check_after

    outcome, on = reply["outcome"], reply["replied_on"]
    if outcome is None:
        return
    if outcome == WITHDRAWN:
        withdrawal.withdraw(session, office, request, on, steps.withdrawal_how, actor)
        return
    if outcome == NO_CORRECTION and request.state == "correction_pending":
        clock.abandon(session, office, request, on, actor)
        return
    if request.state not in ("received", "processing", "reviewing"):
        raise GongkaiError(f"有答复结果，但答复前申请处于“{STATES[request.state]}”"
                           "（中止计时未恢复，或补正告知后未补正）：请核对中止计时、补正日期或答复日期")
    check_after(on, request.period_start, "答复", "答复期限起算日")
    for key, value in reply.items():
        setattr(request, key, value)
    request.replied_by = actor
    due = clock.reply_deadline(session, office, request).due
    close_deadline(session, OWNER, request.id, "reply", on, status="met" if due is None or on <= due else "late")
    apply(session, request, "reply", actor, {"outcome": outcome, "on": on.isoformat(), "reasons": request.reasons,
                                             **reply_values(request)})


def cells(session: Any, rows: list[dict[str, Any]]) -> dict[int, dict[str, str]]:
    """The history cells (:data:`FIELDS`) of the ledger ``rows``' requests, by request id:
    what :func:`parse` reads back."""
    from sqlmodel import select

    from gongkai.core.requests.clock import PAUSE_REASONS
    from gongkai.core.requests.models import Correction, Extension, Pause

    ids = [r["id"] for r in rows]
    out: dict[int, dict[str, str]] = {i: {} for i in ids}
    unit_names = {v: k for k, v in UNITS.items()}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for c in session.exec(select(Correction).where(Correction.request_id.in_(chunk))).all():
            corrected = f"{c.corrected_on.isoformat()} {c.good_reason}".strip() if c.corrected_on else ""
            out[c.request_id].update(correction_notice_on=c.notice_on.isoformat(), correction_days=str(c.period_days),
                                     corrected_on=corrected)
        for p in session.exec(select(Pause).where(Pause.request_id.in_(chunk)).order_by(Pause.id)).all():
            cell = out[p.request_id]
            if p.reason == "fee":
                end = p.end.isoformat() if p.end else ""
                cell.update(fee_notice_on=p.start.isoformat(),
                            **({"fee_unpaid_on": end} if p.answered is False else {"fee_paid_on": end}))
                continue
            silent = "（逾期未提出意见）" if p.answered is False else ""
            item = f"{PAUSE_REASONS[p.reason][0]}：{p.start.isoformat()}至{p.end.isoformat() if p.end else ''}{silent}"
            cell["pauses"] = "；".join(filter(None, (cell.get("pauses"), item)))
        for e in session.exec(select(Extension).where(Extension.request_id.in_(chunk)).order_by(Extension.id)).all():
            told = f"，{e.applicant_told_on.isoformat()}告知申请人" if e.applicant_told_on != e.approved_on else ""
            item = f"延长{e.amount}{unit_names[e.unit]}，{e.approved_on.isoformat()}，{e.approved_by}批准{told}"
            cell = out[e.request_id]
            cell["extensions"] = "；".join(filter(None, (cell.get("extensions"), item)))
    for r in rows:
        if r.get("withdrawal_how"):
            out[r["id"]]["withdrawal_how"] = r["withdrawal_how"]
    return out
