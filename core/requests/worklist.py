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
    columns = (t.c.id, t.c.state, t.c.subject, t.c.applicant_name, t.c.received, t.c.outcome, t.c.proposed_outcome)
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
                        "step_name": step.name, "role": step.role})
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
