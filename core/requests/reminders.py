"""Reminders by email: each account's own digest (``gongkai digest --email``, run daily by cron
or a systemd timer) and a note when a step comes to wait for someone.

Both read :func:`gongkai.core.requests.worklist.my_work`, the list 我的待办 shows, and send
through :mod:`gongkai.core.mail.smtp` (``[mail]`` of gongkai.toml) to the account's address
(``gongkai user email``). A note on a step is best-effort: the step is recorded whatever the
mail server does; a note that could not be sent is itself recorded on the request
(``mail_failed``, shown in its timeline), so nobody believes a colleague was told when they were not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from gongkai.core.errors import GongkaiError

SOON_DAYS = 3  # a line is "due soon" within this many working days


def _accounts(session: Session) -> list[Any]:
    from gongkai.core.accounts.models import Account

    return list(session.exec(select(Account).where(Account.disabled == False).order_by(Account.name)).all())  # noqa: E712


def _line(x: dict[str, Any]) -> str:
    where = f"申请 {x['request']}{'（' + x['ref'] + '）' if x['ref'] else ''}" if x["request"] else f"事项 {x.get('matter')}"
    due = ""
    if x["due"]:
        due = f"，期限 {x['due']}，" + (f"已逾期 {-x['days_left']} 个工作日" if x["overdue"] else
                                       "今日到期" if x["days_left"] == 0 else f"剩余 {x['days_left']} 个工作日")
    return f"- {where}：{x['what']}（{x['subject']}）{due}"


def digest_text(name: str, lines: list[dict[str, Any]], as_of: dt.date, unit: str) -> tuple[str, str]:
    """(subject, body) of one account's digest."""
    late = [x for x in lines if x["overdue"]]
    soon = [x for x in lines if not x["overdue"]]
    subject = f"{unit}政府信息公开待办提醒（{as_of.isoformat()}）：已逾期 {len(late)} 项，即将到期 {len(soon)} 项"
    parts = [f"{name}：", "", f"截至 {as_of.isoformat()}，您有以下待办事项（与“我的待办”一致）："]
    for title, group in (("已逾期", late), (f"{SOON_DAYS}个工作日内到期", soon)):
        if group:
            parts += ["", f"{title}：", *map(_line, group)]
    parts += ["", "请登录政府信息公开工作系统，在“我的待办”中办理。", "", f"{unit}（本邮件由系统自动发送）"]
    return subject, "\n".join(parts)


def due_soon(lines: list[dict[str, Any]], within: int) -> list[dict[str, Any]]:
    """The lines overdue or due within ``within`` working days: what a digest is about."""
    return [x for x in lines if x["due"] and x["days_left"] is not None and x["days_left"] <= within]


def send_digests(office: Any, as_of: dt.date, within: int = SOON_DAYS) -> dict[str, Any]:
    """Send each active account with an address its own digest, if it has anything overdue or due
    within ``within`` working days. Returns who was sent what, who had nothing, who has no
    address, and the failures (account, reason); a failure does not stop the others."""
    from gongkai.core.accounts.roles import catalogue
    from gongkai.core.accounts.store import actor_of, describe
    from gongkai.core.mail import smtp
    from gongkai.core.requests.assignment import title
    from gongkai.core.requests.worklist import my_work

    settings = smtp.settings(office.config.raw)
    if not settings.configured:
        raise GongkaiError("未配置邮件服务器：请在 gongkai.toml 中设置 [mail] 的 host 和 sender。")
    out: dict[str, Any] = {"sent": [], "nothing": [], "no_address": [], "failed": []}
    unit = office.unit.name
    roles = catalogue(office.registry)
    with office.session() as session:
        accounts = _accounts(session)
        work = {a.name: due_soon(my_work(session, office, actor_of(roles, a), as_of), within) for a in accounts}
        described = {a.name: describe(roles, a) for a in accounts}
    for account in accounts:
        lines = work[account.name]
        if not lines:
            out["nothing"].append(account.name)
            continue
        if not account.email:
            out["no_address"].append(account.name)
            continue
        subject, body = digest_text(title(account), lines, as_of, unit)
        try:
            smtp.send(settings, smtp.message(settings, [account.email], subject, body))
        except GongkaiError as exc:
            out["failed"].append({"account": account.name, "error": str(exc)})
            continue
        out["sent"].append({"account": account.name, "email": account.email, "lines": len(lines),
                            "roles": described[account.name]["role_names"]})
    return out


# ------------------------------------------------------------------------ a step waits for someone


def waiting_for(session: Session, office: Any, request: Any) -> tuple[str, list[Any]]:
    """What ``request`` waits for now, and the accounts it waits for (the 承办人, a step's role
    holders, or those who assign): ("", []) when it waits for nobody in the unit."""
    from gongkai.core.accounts.permissions import FIXED_ACTIONS
    from gongkai.core.accounts.roles import HANDLER, step_roles
    from gongkai.core.requests import review
    from gongkai.core.requests.workflow import OPEN_STATES
    from gongkai.core.requests.worklist import STAGE_OF_STATE, next_step

    accounts = _accounts(session)
    if request.state in STAGE_OF_STATE:
        step = next_step(review.chain(office.registry), request, set(review.approvals(session, request.id)))
        role = step_roles(step.role)[0] if step is not None else (HANDLER if request.state != "replied" else None)
        what = step.name if step is not None else "答复申请"
        if role is None:
            return "", []
        if role != HANDLER:
            return what, [a for a in accounts if role in a.role_codes]
        if request.assignee:
            return what, [a for a in accounts if a.name == request.assignee]
    if request.state in OPEN_STATES and not request.assignee:
        assigners = FIXED_ACTIONS["request.assign"][1]
        return "确定承办人（分办）", [a for a in accounts if set(assigners) & set(a.role_codes)]
    return "", []


def notify_waiting(office: Any, request_id: int) -> dict[str, Any]:
    """Tell by email those ``request`` now waits for (best-effort, after its step is recorded):
    never raises; a failure is recorded on the request as ``mail_failed``. Nothing is sent
    without ``[mail]`` in gongkai.toml or to accounts without an address."""
    import logging

    from gongkai.core.mail import smtp
    from gongkai.core.records.storage import record_event
    from gongkai.core.requests import workflow
    from gongkai.core.requests.assignment import title
    from gongkai.core.records.privacy import mask_text

    done: dict[str, Any] = {"sent": [], "failed": []}
    try:
        settings = smtp.settings(office.config.raw)
        if not settings.configured:
            return done
        with office.session() as session:
            request = workflow.load(session, request_id)
            what, people = waiting_for(session, office, request)
            people = [p for p in people if p.email]
            letters = [(p.name, p.email, f"待您办理：申请 {request.id} {what}",
                        f"{title(p)}：\n\n申请 {request.id}{'（' + request.ref + '）' if request.ref else ''}"
                        f"（{mask_text(request.applicant_name)}，“{mask_text(request.subject)}”）现待您办理：{what}。\n\n"
                        f"请登录政府信息公开工作系统，在“我的待办”中办理。\n\n{office.unit.name}（本邮件由系统自动发送）")
                       for p in people]
        for name, address, subject, body in letters:
            try:
                smtp.send(settings, smtp.message(settings, [address], subject, body))
                done["sent"].append(name)
            except GongkaiError as exc:
                done["failed"].append(name)
                with office.session() as session:
                    record_event(session, subject_kind="request", subject_id=request_id, action="mail_failed",
                                 actor="", after={"to": name, "about": what, "error": str(exc).partition("。")[0]})
    except Exception as exc:  # noqa: BLE001 (best-effort: the step stands whatever happens here)
        logging.getLogger("gongkai.mail").warning("reminder for request %s not sent: %s", request_id, exc)
    return done
