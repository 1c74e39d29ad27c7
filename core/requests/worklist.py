"""The review steps waiting to be signed, across every request: what a reviewer has to do next.

A request's waiting step is the first step of its chain, in order, that applies to its
(proposed) outcome and is not yet approved: a ``before`` step while it is open, an ``after``
step (备案…) once it is replied. Read from the open requests (ix_request_state) and their
live review actions, so it costs what is open, not the size of the ledger.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, select

from gongkai.core.requests.models import Request, ReviewAction
from gongkai.core.requests.review import chain, draft_outcome
from gongkai.core.requests.workflow import OPEN_STATES

STAGE_OF_STATE = {**{s: "before" for s in OPEN_STATES if s not in ("paused", "correction_pending")}, "replied": "after",
                   "amending": "before"}


def waiting_steps(session: Session, registry: Any, step_ids: set[str] | None = None, limit: int = 50
                  ) -> tuple[list[dict[str, Any]], bool]:
    """The first ``limit`` requests (oldest first) whose next step is one of ``step_ids`` (all
    steps if None), and whether there are more.

    The requests with approvals come from the review actions of the open requests (an index
    probe each); a request with none waits for the chain's first step, so those are read in
    id order only as far as the page needs.
    """
    the_chain = chain(registry)
    t, a = Request.__table__, ReviewAction.__table__
    states = list(STAGE_OF_STATE)
    done: dict[int, set[str]] = defaultdict(set)
    for request_id, step_id in session.execute(
            select(a.c.request_id, a.c.step_id).select_from(t.join(a, a.c.request_id == t.c.id))
            .where(t.c.state.in_(states), a.c.superseded == False, a.c.decision == "approve")):  # noqa: E712
        done[request_id].add(step_id)
    columns = (t.c.id, t.c.state, t.c.subject, t.c.applicant_name, t.c.received, t.c.outcome, t.c.proposed_outcome,
               t.c.assignee)
    first = the_chain.steps[0].id if the_chain.steps else None
    started = sorted(done)
    out: list[dict[str, Any]] = []

    def consider(rows: Any) -> bool:
        """Add the rows that wait for one of ``step_ids``; True once the page is full (and one more found)."""
        for r in rows:
            step = next_step(the_chain, r, done[r.id])
            if step is None or (step_ids is not None and step.id not in step_ids):
                continue
            if len(out) == limit:
                return True
            out.append({"request": r.id, "subject": r.subject, "applicant": r.applicant_name,
                        "received": r.received.isoformat(), "state": r.state, "step": step.id,
                        "step_name": step.name, "role": step.role, "assignee": r.assignee})
        return False

    if step_ids is None or first in step_ids:  # requests nobody has signed yet: read in order, a page at a time
        # one state at a time, so each read is a range of ix_request_state (state, id), never a scan
        def in_state(state: str) -> Iterator[Any]:
            after = 0
            while rows := list(session.execute(select(*columns).where(t.c.state == state, t.c.id > after)
                                               .order_by(t.c.id).limit(limit + 1))):
                yield from rows
                after = rows[-1].id

        return out, consider(heapq.merge(*(in_state(state) for state in states), key=lambda r: r.id))
    for i in range(0, len(started), 500):
        rows = session.execute(select(*columns).where(t.c.id.in_(started[i:i + 500])).order_by(t.c.id))
        if consider(rows):
            return out, True
    return out, False


def next_step(the_chain: Any, request: Any, done: set[str]) -> Any:
    """The step ``request`` waits for (None: none), given the steps already approved."""
    stage = STAGE_OF_STATE[request.state]
    outcome = draft_outcome(request)
    return next((s for s in the_chain.steps if s.stage == stage and s.applies_to(outcome) and s.id not in done), None)


# ------------------------------------------------------------------------------------ 我的待办

HORIZON_DAYS = 10  # matters listed when due within this many working days (or overdue)
KINDS = {"step": "审核", "reply": "答复", "after": "答复后", "correction": "补正", "consultation": "征求意见",
         "assign": "分办", "matter": "事项"}


def my_work(session: Session, office: Any, actor: Any, as_of: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Everything waiting for ``actor`` (a :class:`gongkai.core.accounts.permissions.Actor`), most
    urgent first: the review steps its roles sign (a 承办人's own steps only on the requests
    assigned to it, or not yet assigned); on the requests assigned to it, the reply once the chain
    before it is signed, a correction period that has ended, a consultation whose period has
    ended; the requests waiting to be assigned, for those who assign; the unit's matters due
    soon, for its 承办人. Each line: what, which request (or matter), due, working days left.

    The one list ``gongkai todo`` prints, the web's 我的待办 shows and ``digest --email`` sends."""
    from sqlmodel import select

    from gongkai.core.accounts.permissions import allowed
    from gongkai.core.accounts.roles import HANDLER, step_roles
    from gongkai.core.records.privacy import mask_text
    from gongkai.core.requests import clock
    from gongkai.core.requests.models import Correction
    from gongkai.core.requests.ledger import _clocks

    registry = office.registry
    the_chain = chain(registry)
    handler = HANDLER in actor.roles and not actor.reading
    handler_steps = {s.id for s in the_chain.steps if step_roles(s.role)[:1] == (HANDLER,)}
    others = {s.id for s in the_chain.steps
              if s.id not in handler_steps and allowed(actor, f"request.review:{s.id}")}
    lines: list[dict[str, Any]] = []
    t = Request.__table__

    def add(kind: str, what: str, r: Any, due: Any = None, **extra: Any) -> None:
        lines.append({"kind": kind, "kind_name": KINDS[kind], "what": what, "request": r.id, "ref": r.ref,
                      "subject": mask_text(r.subject), "applicant": mask_text(r.applicant_name),
                      "assignee": r.assignee, "due": due, **extra})

    # steps of other roles (律师, 负责人, 备案...): every request waiting for them
    if others:
        waiting, _ = waiting_steps(session, registry, others, limit=limit)
        rows = {r.id: r for r in _rows(session, [w["request"] for w in waiting])}
        for w in waiting:
            add("after" if w["state"] == "replied" else "step", w["step_name"], rows[w["request"]], step=w["step"])
    # the 承办人's own: the requests assigned to it, and those not yet assigned
    if handler:
        states = [*STAGE_OF_STATE, "correction_pending", "paused"]
        mine = _in_states(session, t.c.assignee == actor.name, states, limit)
        free = _in_states(session, t.c.assignee.is_(None), states, limit)
        approved = _approved(session, [r.id for r in mine + free])
        for r in mine + free:
            unassigned = "（尚未分办）" if r.assignee is None else ""
            if r.state == "correction_pending":
                if r.assignee is None:
                    continue
                c = session.exec(select(Correction).where(Correction.request_id == r.id)).first()
                if c is not None and c.due < as_of:
                    add("correction", "补正期限已过：登记收到补正，或认定视为放弃申请", r, c.due)
                continue
            if r.state == "paused":
                if r.assignee is None:
                    continue
                for p in clock.pauses_of(session, r.id):
                    rule_clock = clock.PAUSE_REASONS[p.reason][2]
                    if p.end is None and rule_clock:
                        ended = _clock_due(session, r.id, rule_clock)
                        if ended is not None and ended < as_of:
                            add("consultation", f"{clock.PAUSE_REASONS[p.reason][0]}期限已满：恢复计时", r, ended)
                continue
            step = next_step(the_chain, r, approved.get(r.id, set()))
            if step is not None and step.id in handler_steps:
                add("after" if r.state == "replied" else "step", step.name + unassigned, r, step=step.id)
            elif step is None and r.state in ("received", "processing", "reviewing") and r.assignee is not None:
                add("reply", "审核已完成：答复申请", r)
            elif step is None and r.state == "amending" and r.assignee is not None:
                add("reply", "更正答复的审核已完成：出具更正后的告知书", r)
    # 分办: for those who assign, the open requests nobody handles yet
    if allowed(actor, "request.assign"):
        for r in _in_states(session, t.c.assignee.is_(None), list(OPEN_STATES), limit):
            add("assign", "确定承办人", r)
    # the due dates: the reply clock of each request (a correction or consultation keeps its own)
    ids = sorted({line["request"] for line in lines})
    clocks = _clocks(session, ids)
    for line in lines:
        if line["due"] is None:
            reply = clocks.get(line["request"], {}).get("reply")
            line["due"] = reply.due if reply is not None else None
    if handler:
        lines += _matters(session, office, as_of, limit)
    cal = office.calendar
    for line in lines:
        due = line["due"]
        line["days_left"] = None if due is None else (
            cal.working_days_between(as_of, due) if due >= as_of else -cal.working_days_between(due, as_of))
        line["overdue"] = due is not None and due < as_of
        line["due"] = due.isoformat() if due is not None else None
    lines.sort(key=lambda x: (x["due"] is None, x["due"] or "", x["request"] or 0, x["kind"]))
    return lines[:limit]


def _in_states(session: Session, where: Any, states: list[str], limit: int) -> list[Any]:
    """The first ``limit`` requests (in id order) matching ``where`` (on the 承办人) in one of ``states``.

    One query per state, each a range of ix_request_assignee (unit, assignee, state) already in id
    order, merged here. With ``state IN (...)`` and ``ORDER BY id`` SQLite read the whole table in
    id order instead whenever its statistics said most requests share the 承办人 (a unit where
    nobody is assigned yet): 0.4 s on 1,000,000 requests for an account with nothing assigned."""
    t = Request.__table__
    ranges = [list(session.execute(select(t).where(where, t.c.state == state).order_by(t.c.id).limit(limit)))
              for state in states]
    return list(heapq.merge(*ranges, key=lambda r: r.id))[:limit]


def _rows(session: Session, ids: list[int]) -> list[Any]:
    from sqlmodel import select

    t = Request.__table__
    return [r for i in range(0, len(ids), 500) for r in session.execute(select(t).where(t.c.id.in_(ids[i:i + 500])))]


def _approved(session: Session, ids: list[int]) -> dict[int, set[str]]:
    a = ReviewAction.__table__
    out: dict[int, set[str]] = defaultdict(set)
    for i in range(0, len(ids), 500):
        for request_id, step_id in session.execute(select(a.c.request_id, a.c.step_id).where(
                a.c.request_id.in_(ids[i:i + 500]), a.c.superseded == False, a.c.decision == "approve")):  # noqa: E712
            out[request_id].add(step_id)
    return out


def _clock_due(session: Session, request_id: int, name: str) -> Any:
    from gongkai.core.requests.models import OWNER
    from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline, with_terms

    d, t = StoredDeadline.__table__, DeadlineTerm.__table__
    row = session.execute(select(t.c.due).select_from(with_terms()).where(
        d.c.owner_kind == OWNER, d.c.owner_id == request_id, d.c.name == name, d.c.status == "open")).first()
    return row.due if row is not None else None


def _matters(session: Session, office: Any, as_of: Any, limit: int) -> list[dict[str, Any]]:
    """The unit's open matter clocks overdue or due within :data:`HORIZON_DAYS` working days."""
    from gongkai.core.matters.digest import titles
    from gongkai.core.matters.models import Matter
    from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline, with_terms

    # the open matters first (a matter closes when its last clock does), then their clocks by
    # ix_deadline_owner: the clocks due in the horizon would be every open request's too
    # (open_deadlines(..., "matter") read 20,000 of them on 1,000,000 requests to find none)
    m, c, t = Matter.__table__.c, StoredDeadline.__table__.c, DeadlineTerm.__table__.c
    ids = list(session.execute(select(m.id).where(m.closed_at.is_(None)).order_by(m.id)).scalars())
    due_by = office.calendar.add_working_days(as_of, HORIZON_DAYS)
    rows = sorted((r for i in range(0, len(ids), 500) for r in session.execute(
        select(c.id, c.owner_kind, c.owner_id, c.name, c.rule_id, t.due, t.due_at, t.limit).select_from(with_terms())
        .where(c.owner_kind == "matter", c.owner_id.in_(ids[i:i + 500]), c.status == "open", t.due <= due_by))),
        key=lambda r: (r.due, r.id))[:limit]
    names = titles(session, office.registry, "matter", [r.owner_id for r in rows]) if rows else {}
    return [{"kind": "matter", "kind_name": KINDS["matter"], "what": names[r.owner_id], "request": None, "ref": None,
             "matter": r.owner_id, "subject": names[r.owner_id], "applicant": "", "assignee": None, "due": r.due}
            for r in rows if r.due is not None]


def next_actors(session: Session, office: Any, request: Any, step: Any) -> str:
    """Who acts next on ``request``, by name: the 承办人 for its own steps and the reply, else the
    accounts holding the role of ``step`` (the next review step, or None)."""
    from sqlmodel import select

    from gongkai.core.accounts.models import Account
    from gongkai.core.accounts.roles import HANDLER, step_roles
    from gongkai.core.requests.assignment import names

    role = step_roles(step.role)[0] if step is not None else HANDLER
    if role == HANDLER:
        if request.assignee:
            return names(session, {request.assignee})[request.assignee]
        return "尚未分办（由单位管理员或政府信息公开工作机构负责人确定承办人）"
    holders = [a for a in session.exec(select(Account).where(Account.disabled == False)).all()  # noqa: E712
               if role in a.role_codes]
    if not holders:
        return "本单位尚无具有该角色的账户（请单位管理员添加）"
    from gongkai.core.requests.assignment import title

    return "、".join(title(a) for a in holders)


def account_work(session: Session, office: Any, name: str, as_of: Any, limit: int = 200) -> list[dict[str, Any]]:
    """:func:`my_work` of the account ``name`` (an active account of the unit; refused otherwise)."""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue
    from gongkai.core.errors import GongkaiError

    account = store.get(session, name)
    if account.disabled:
        raise GongkaiError(f"账户“{account.name}”已停用，没有待办。")
    return my_work(session, office, store.actor_of(catalogue(office.registry), account), as_of, limit)
