"""办理意见: a comment on a request, or on one step of its review chain (审核意见), in the
request's event log (a ``comment`` event) and so in its timeline, never edited afterwards."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError
from gongkai.core.requests.models import Request
from gongkai.core.requests.workflow import apply

COMMENT_CHARS = 2000


def comment(session: Session, office: Any, request: Request, text: str, step_id: str | None = None,
            actor: str = "") -> Request:
    """Record ``actor``'s comment ``text`` on ``request`` (on its review step ``step_id`` if given)."""
    from gongkai.core.accounts.names import clean_name
    from gongkai.core.records.limits import check_text
    from gongkai.core.requests.review import chain

    text = (text or "").strip()
    if not clean_name(text):
        raise GongkaiError("意见不能为空。")
    check_text(text, COMMENT_CHARS, "意见")
    details: dict[str, Any] = {"comment": text}
    if step_id:
        try:
            step = chain(office.registry).step(step_id)
        except KeyError:
            raise GongkaiError(f"审核流程中没有“{step_id}”这一步。") from None
        details["step"] = step.id
    apply(session, request, "comment", actor, details, to_state=request.state)
    return request
