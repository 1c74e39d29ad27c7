"""Online applications (网上申请): filed on the public form, confirmed or declined by the office,
followed by the applicant with a 查询码.

An application is an :class:`OnlineApplication` until the office confirms it; confirming makes
the :class:`Request` (channel ``online``) with the confirmation day as the day of receipt
(条例 第三十一条（三）), so an unconfirmed application starts no clock and counts in no ledger
or report. The fields are checked by the same function as ``request new`` and the staff form
(:func:`gongkai.core.requests.intake.request_fields`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gongkai.core.accounts.names import clean_name
from gongkai.core.errors import GongkaiError, NotFound, StepRefused
from gongkai.core.records import limits
from gongkai.core.records.limits import check_text
from gongkai.core.records.privacy import validate_resident_id
from gongkai.core.records.storage import one_writer, record_event
from gongkai.core.requests import intake
from gongkai.core.requests.models import OnlineApplication, PostCount, Request
from gongkai.core.today import not_future, today

KIND = "application"  # Event.subject_kind and Attachment.owner_kind of an application
STATES = {"pending": "待确认", "confirmed": "已确认受理", "declined": "不予受理"}
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U to misread
CODE_CHARS = 20  # 100 random bits
HINT_CHARS = 4  # the first group, kept readable: 80 bits stay secret
ID_TYPES = ("居民身份证", "统一社会信用代码", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他")
PUBLIC_ACTOR = "申请人（网上）"
# 条例 第三十五条 (申请数量、频次明显超过合理范围): from this many in 30 days the staff pages
# flag the applicant, for the office to decide whether to ask for reasons; nobody is refused for it
MANY = 5


def allow_post(db: Session | Connection, kind: str, client: str, per_hour: int, now: float | None = None) -> bool:
    """Whether ``client`` may post ``kind`` (apply, track) once more: at most ``per_hour`` in
    any hour, counted in the database so that every worker and server on it shares one count.
    The hour slides: the last hour's count weighs by the part of it still within the hour. The
    count is taken with one conditional upsert, so two workers cannot both take the last post.

    ``db`` is best a connection in autocommit (:func:`counting`): the upsert is then a
    transaction of its own, and SQLite's write lock is held only while that one statement runs
    (in a session it is held until the commit, and the other workers' counts wait for it)."""
    moment = time.time() if now is None else now
    window, into = divmod(moment, 3600)
    window = int(window)
    key = hashlib.sha256(f"{kind}:{client}".encode()).hexdigest()
    bind = db if isinstance(db, Connection) else db.get_bind()
    before_hour, count, prune = _count_statements(bind.dialect.name)
    before = db.execute(before_hour, {"key": key, "kind": kind, "window": window - 1}).first()
    room = per_hour - int((before[0] if before else 0) * (1 - into / 3600))
    if room <= 0:
        return False
    # all(): the statement is finished (and its lock let go) here
    taken = db.execute(count, {"key": key, "kind": kind, "window": window, "room": room}).all()
    if taken and taken[0][0] == 1:  # a new hour for this address: forget hours gone by
        db.execute(prune, {"window": window - 1})
    return bool(taken)


@functools.cache
def _count_statements(dialect_name: str) -> tuple[Any, Any, Any]:
    """:func:`allow_post`'s statements, built once (building them cost more than running them)."""
    from sqlalchemy import bindparam, delete
    from sqlalchemy.dialects import postgresql, sqlite

    table = PostCount.__table__  # type: ignore[attr-defined]
    c = table.c
    before_hour = select(c.posts).where(c.client_hash == bindparam("key"), c.kind == bindparam("kind"),
                                        c.window_start == bindparam("window"))
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    count = dialect.insert(table).values(client_hash=bindparam("key"), kind=bindparam("kind"),
                                         window_start=bindparam("window"), posts=1)
    count = count.on_conflict_do_update(index_elements=["client_hash", "kind", "window_start"],
                                        set_={"posts": c.posts + 1}, where=c.posts < bindparam("room")
                                        ).returning(c.posts)
    return before_hour, count, delete(table).where(c.window_start < bindparam("window"))


@contextmanager
def counting(engine: Engine) -> Iterator[Connection]:
    """A connection for :func:`allow_post` on which each statement commits by itself, the
    counts of every thread and worker taking turns (:func:`storage.one_writer`)."""
    # the turn first: a connection held while waiting for it could starve the pool
    with one_writer(engine), engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))


def grouped(code: str) -> str:
    """``ABCD-EFGH-…``: the code as people read and type it."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalised(text: str) -> str:
    """What was typed, as the code is stored: upper case, separators dropped, O→0, I/L→1."""
    plain = re.sub(r"[^0-9A-Za-z]", "", (text or "")[:200]).upper()
    return plain.translate(str.maketrans("OIL", "011"))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalised(code).encode()).hexdigest()


def fields(office: Any, form: dict[str, Any]) -> dict[str, Any]:
    """The application's columns from the form (the names of ``request new``'s options), checked."""
    text = {k: str(form.get(k) or "").strip() for k in (
        "applicant", "applicant_type", "id_type", "id_number", "contact", "email", "address", "agent", "subject",
        "form_wanted", "receive_how")}
    id_type = text["id_type"] or "居民身份证"
    if id_type not in ID_TYPES:
        raise GongkaiError(f"证件类型“{id_type}”无效，可选：{'、'.join(ID_TYPES)}。")
    if not text["id_number"]:
        raise GongkaiError("请填写证件号码（条例 第二十九条：申请人的身份证明）。")
    if not re.sub(r"\D", "", text["contact"]):
        raise GongkaiError("请填写联系电话（条例 第二十九条：申请人的联系方式）。")
    for key, label in (("email", "电子邮箱"), ("address", "通信地址")):
        check_text(clean_name(text[key]), limits.CONTACT_CHARS, label)
    check_text(clean_name(text["agent"]), limits.NAME_CHARS, "代理人姓名")
    check_text(clean_name(text["receive_how"]), limits.FORM_CHARS, "获取信息的途径")
    if text["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text["email"]):
        raise GongkaiError(f"电子邮箱“{text['email'][:100]}”格式不正确。")
    if id_type == "居民身份证":
        text["id_number"] = validate_resident_id(text["id_number"])
    checked = intake.request_fields(
        office.registry, applicant=text["applicant"], applicant_type=text["applicant_type"] or "natural_person",
        channel=intake.ONLINE, submitted=today(), confirmed=today(), subject=text["subject"],
        id_number=text["id_number"], contact=text["contact"], form_wanted=text["form_wanted"])
    return {"extra_fields": json.dumps(extra_fields(office, form), ensure_ascii=False, sort_keys=True),
            "applicant_name": checked["applicant_name"], "applicant_type": checked["applicant_type"],
            "id_type": id_type, "applicant_id_number": checked["applicant_id_number"],
            "applicant_contact": checked["applicant_contact"], "email": clean_name(text["email"]),
            "address": clean_name(text["address"]), "agent": clean_name(text["agent"]),
            "subject": checked["subject"], "form_wanted": checked["form_wanted"],
            "receive_how": clean_name(text["receive_how"])}


def extra_fields(office: Any, form: dict[str, Any]) -> dict[str, str]:
    """The values of the fields the jurisdiction adds to the form (hook gongkai_application_fields), checked."""
    values: dict[str, str] = {}
    for f in office.registry.application_fields:
        value = clean_name(str(form.get(f.name) or "").strip())
        basis = f"（{f.citation}）" if f.citation else ""
        if f.required and not value:
            raise GongkaiError(f"请填写“{f.label}”{basis}。")
        if value and f.kind == "choice" and value not in f.choices:
            raise GongkaiError(f"“{f.label}”应为：{'、'.join(f.choices)}。")
        check_text(value, limits.CONTACT_CHARS, f.label)
        values[f.name] = value
    return values


def shown_fields(office: Any, row: OnlineApplication) -> list[dict[str, str]]:
    """The jurisdiction's fields of an application, labelled (a field since dropped by the
    plugin keeps its name as its label: what was filed stays shown)."""
    labels = {f.name: f.label for f in office.registry.application_fields}
    stored = json.loads(row.extra_fields or "{}")
    return [{"name": k, "label": labels.get(k, k), "value": v} for k, v in stored.items() if v]


def submit(session: Session, office: Any, values: dict[str, Any]) -> tuple[OnlineApplication, str]:
    """File an application (``values`` from :func:`fields`); returns it and its 查询码 (shown once)."""
    code = new_code()
    row = OnlineApplication(submitted=today(), code_hash=code_hash(code), code_hint=code[:HINT_CHARS], **values)
    session.add(row)
    session.flush()
    record_event(session, subject_kind=KIND, subject_id=row.id, action="submit", actor=PUBLIC_ACTOR,
                 after={"state": "pending", "submitted": row.submitted.isoformat()})
    return row, code


def load(session: Session, application_id: int | str) -> OnlineApplication:
    text = str(application_id).strip()
    row = session.get(OnlineApplication, int(text)) if text.isdigit() and len(text) < 10 else None
    if row is None:
        raise NotFound(f"没有编号为 {application_id} 的网上申请。")
    return row


def pending(session: Session) -> list[OnlineApplication]:
    return list(session.scalars(select(OnlineApplication).where(OnlineApplication.state == "pending")
                                .order_by(OnlineApplication.id)))


def as_json(row: OnlineApplication, office: Any) -> dict[str, Any]:
    """An application as the pending list shows it: the 查询码 by its first group only (the
    rest is known to the applicant alone; the office keeps no more than its hash)."""
    from gongkai.core.records.privacy import mask_id_number, mask_text

    return {"id": row.id, "applicant": row.applicant_name, "applicant_type": row.applicant_type,
            "submitted": row.submitted.isoformat(), "tracking_code": f"{row.code_hint}-…",
            "state": row.state, "state_name": STATES[row.state], "subject": mask_text(row.subject),
            "id_number": mask_id_number(row.applicant_id_number), "contact": mask_text(row.applicant_contact),
            "agent": row.agent, "request_id": row.request_id,
            "fields": shown_fields(office, row)}


def _open(row: OnlineApplication) -> None:
    if row.state != "pending":
        raise StepRefused(f"网上申请 {row.id} 已{STATES[row.state]}，不能再确认或不予受理。")


def contact_of(row: OnlineApplication) -> str:
    parts = [row.applicant_contact] + ([f"电子邮箱 {row.email}"] if row.email else []) \
        + ([f"地址 {row.address}"] if row.address else [])
    return "；".join(parts)[:limits.CONTACT_CHARS]


def confirm(session: Session, office: Any, row: OnlineApplication, on: dt.date, actor: str) -> Request:
    """Confirm the application on ``on``: the request is registered with ``on`` as the day of receipt
    (条例 第三十一条（三）), and the receipt (收到申请确认书) is issued online (at /track)."""
    _open(row)
    not_future(on, "确认")
    if on < row.submitted:
        raise GongkaiError(f"确认日期 {on} 早于提交日期 {row.submitted}，请核对日期。")
    request = intake.receive(session, office, applicant=row.applicant_name, applicant_type=row.applicant_type,
                             channel=intake.ONLINE, submitted=row.submitted, confirmed=on, subject=row.subject,
                             id_number=row.applicant_id_number, contact=contact_of(row), form_wanted=row.form_wanted,
                             actor=actor)
    row.state, row.request_id, row.decided_on, row.decided_by = "confirmed", request.id, on, actor
    session.add(row)
    session.flush()
    record_event(session, subject_kind=KIND, subject_id=row.id, action="confirm", actor=actor,
                 after={"state": "confirmed", "request_id": request.id, "on": on.isoformat()})
    record_event(session, subject_kind="request", subject_id=request.id, action="confirm_online", actor=actor,
                 after={"application": row.id, "on": on.isoformat()})
    return request


def decline(session: Session, row: OnlineApplication, reason: str, on: dt.date, actor: str) -> None:
    """What is not an application at all (spam, a complaint, nothing asked): recorded with the reason."""
    _open(row)
    reason = (reason or "").strip()
    if not clean_name(reason):
        raise GongkaiError("请写明不予受理的理由。")
    check_text(reason, limits.TEXT_CHARS, "理由")
    not_future(on, "不予受理")
    row.state, row.decided_on, row.decided_by, row.decline_reason = "declined", on, actor, reason
    session.add(row)
    session.flush()
    record_event(session, subject_kind=KIND, subject_id=row.id, action="decline", actor=actor,
                 after={"state": "declined", "on": on.isoformat(), "reason": reason})


def of_request(session: Session, request_id: int) -> OnlineApplication | None:
    return session.scalars(select(OnlineApplication).where(OnlineApplication.request_id == request_id)).first()


_DUMMY = hashlib.sha256(b"gongkai-no-such-code").hexdigest()
_BY_CODE = select(OnlineApplication).where(OnlineApplication.code_hash == bindparam("code_hash"))


def _last4(text: str) -> str:
    plain = re.sub(r"[^0-9Xx]", "", text or "").upper()
    return plain[-4:]


def find(session: Session, code: str, check: str) -> OnlineApplication | None:
    """The application of a 查询码 and its check (the last four digits of the phone or the ID
    number), or None: the same work whether or not the code exists (one indexed look-up, one
    constant-time comparison), so that a wrong code tells nothing by its timing."""
    wanted = code_hash(code)
    row = session.scalars(_BY_CODE, {"code_hash": wanted}).first()
    given = _last4(check).encode() or b"-"
    phone, number = (_last4(row.applicant_contact), _last4(row.applicant_id_number)) if row else (_DUMMY, _DUMMY)
    # every comparison made, whatever the earlier ones found
    by_phone = hmac.compare_digest(given.ljust(4, b"-"), phone.encode().ljust(4, b"-")[:64])
    by_number = hmac.compare_digest(given.ljust(4, b"-"), number.encode().ljust(4, b"-")[:64])
    same_code = hmac.compare_digest(wanted, row.code_hash if row else _DUMMY)
    return row if (by_phone | by_number) & same_code & (len(given) == 4) else None


def many_from(session: Session, name: str, id_number: str, days: int = 30) -> int:
    """How many applications (requests) this applicant filed in the last ``days`` days, for the
    条例 第三十五条 flag on the staff pages (数量、频次明显超过合理范围): never a refusal."""
    since = today() - dt.timedelta(days=days)
    query = select(func.count()).select_from(Request).where(Request.received >= since)
    if id_number:
        query = query.where(Request.applicant_id_number == id_number)
    else:
        query = query.where(Request.applicant_name == name)
    return int(session.execute(query).scalar() or 0)
