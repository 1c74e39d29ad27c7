"""A request's attached files: its own and those filed with its online application, and the
steps that attach one (the staff's, a delivery's proof, an applicant's supplement)."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from sqlmodel import Session

from gongkai.core.attachments import store
from gongkai.core.records.storage import record_event
from gongkai.core.requests import delivery, online
from gongkai.core.requests.models import OWNER, Request


def of_request(session: Session, request_id: int) -> list[dict[str, Any]]:
    rows = store.of(session, OWNER, request_id)
    application = online.of_request(session, request_id)
    if application is not None:
        rows = store.of(session, online.KIND, application.id) + rows
    return [store.as_json(r) for r in rows]


def of_application(session: Session, application_id: int) -> list[dict[str, Any]]:
    return [store.as_json(r) for r in store.of(session, online.KIND, application_id)]


def get(session: Session, request_id: int, attachment_id: int) -> Any:
    """One of the request's files, or NotFound (never another record's)."""
    application = online.of_request(session, request_id)
    try:
        return store.get(session, attachment_id, OWNER, [request_id])
    except Exception:
        if application is None:
            raise
        return store.get(session, attachment_id, online.KIND, [application.id])


def attach(session: Session, office: Any, request: Request, stream: BinaryIO, *, kind: str, file_name: str,
           on: dt.date, actor: str) -> Any:
    row = store.store(session, stream, owner_kind=OWNER, owner_id=request.id, kind=kind, file_name=file_name,
                      limit=store.max_bytes(office.config), on=on, actor=actor)
    record_event(session, subject_kind=OWNER, subject_id=request.id, action="attach", actor=actor, after=store.logged(row))
    return row


def deliver_with_proof(session: Session, office: Any, request: Request, *, how: str, on: dt.date, letter: str | None,
                       tracking: str, proof: str | None, actor: str) -> Any:
    sha = ""
    if proof:
        with open(proof, "rb") as stream:
            sha = attach(session, office, request, stream, kind="delivery_proof", file_name=proof, on=on, actor=actor).sha256
    return delivery.deliver(session, office, request, how=how, on=on, letter=letter, tracking=tracking,
                            proof_sha256=sha, actor=actor)
