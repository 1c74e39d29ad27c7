"""What the applicant sees of an online application at /track: its state, the day of receipt, the
due date with the working days left, any extension or pause, the letters issued and when each
was delivered, and what a 补正 notice asks for.

It reads only what it shows: the request with its reply clock and correction (one row), its
pauses, extensions and deliveries, each by the request's key in the unit, never the staff's
view of the case (:func:`gongkai.core.requests.ledger.show`, with its reviews, appeals and
events). Every public look-up pays for this, so the reads are plain statements (a tenth of
an ORM query's time each); the rules (state names, days left, which letters are issued) are
the ledger's and the delivery module's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, text
from sqlmodel import Session

from gongkai.core.records.scoping import unit_of
from gongkai.core.requests import clock, delivery, ledger, notices, online
from gongkai.core.requests.models import OWNER, OnlineApplication
from gongkai.core.requests.workflow import STATES

# the request with its reply clock's due date and its correction (each at most one row)
_REQUEST = text(
    "SELECT r.id, r.state, r.received, r.replied_on, r.outcome, t.due, c.id AS correction_id, c.due AS correction_due"
    " FROM disclosure_request r"
    " LEFT JOIN deadline d ON d.unit_id = r.unit_id AND d.owner_kind = :owner AND d.owner_id = r.id AND d.name = 'reply'"
    " LEFT JOIN deadline_term t ON t.id = d.term_id"
    " LEFT JOIN request_correction c ON c.unit_id = r.unit_id AND c.request_id = r.id"
    " WHERE r.unit_id = :unit_id AND r.id = :request_id"
).columns(id=Integer, received=Date, replied_on=Date, due=Date, correction_id=Integer, correction_due=Date)
_PAUSES = text(
    'SELECT reason, start, "end" FROM request_pause WHERE unit_id = :unit_id AND request_id = :request_id ORDER BY id'
).columns(start=Date, end=Date)
_EXTENSIONS = text(
    "SELECT amount, unit, applicant_told_on FROM request_extension WHERE unit_id = :unit_id AND request_id = :request_id"
    " ORDER BY id"
).columns(amount=Integer, applicant_told_on=Date)
_DELIVERIES = text(
    'SELECT letter, "on" FROM request_delivery WHERE unit_id = :unit_id AND request_id = :request_id ORDER BY id'
).columns(on=Date)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def of_application(session: Session, office: Any, row: OnlineApplication, as_of: dt.date) -> dict[str, Any]:
    """The applicant's view of ``row`` on ``as_of`` (``session`` bound to the application's unit)."""
    view: dict[str, Any] = {
        "state": row.state, "state_name": online.STATES[row.state], "submitted": row.submitted.isoformat(),
        "unit": office.unit.name, "subject": row.subject, "letters": [], "decline_reason": None, "received": None,
        "due": None, "days_left": None, "request_state": "", "pauses": [], "extensions": [], "correction": None}
    if row.state == "declined":
        view["decline_reason"] = row.decline_reason
    key = {"unit_id": unit_of(session), "request_id": row.request_id}
    req = session.execute(_REQUEST, {**key, "owner": OWNER}).first() if row.request_id is not None else None
    if req is None:
        return view
    extensions = session.execute(_EXTENSIONS, key).all()
    correction = req.correction_id
    delivered = {d.letter: d.on for d in session.execute(_DELIVERIES, key)}
    view.update({
        "state_name": STATES[req.state], "request_state": req.state, "received": _iso(req.received),
        "due": _iso(req.due), "days_left": ledger.working_days_left(office.calendar, req.state, req.due, as_of),
        "pauses": [{"reason": clock.PAUSE_REASONS.get(p.reason, (p.reason,))[0], "start": _iso(p.start),
                    "end": _iso(p.end)} for p in session.execute(_PAUSES, key)],
        "extensions": [{"amount": e.amount, "unit": "个月" if e.unit == "months" else "个工作日",
                        "told_on": _iso(e.applicant_told_on)} for e in extensions],
        "correction": None if correction is None or req.state != "correction_pending" else {
            "due": _iso(req.correction_due), "what": notices.correction_what(session, req)},
        "letters": [{"code": c, "name": delivery.letter_name(c), "delivered": _iso(delivered.get(c))}
                    for c in delivery.letters_issued(req, correction, extensions)],
    })
    return view
