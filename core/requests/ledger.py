"""The ledger (台账): every request with its state, due date, working days used and days left.

Built from the stored facts and the stored ``reply`` clock, never from hand counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from gongkai.core.time import deadlines
from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline, is_provisional, open_deadlines, with_terms
from gongkai.core.errors import GongkaiError
from gongkai.core.labels import code_of
from gongkai.core.records.limits import check_year
from gongkai.core.records.privacy import mask_id_number, mask_text, mask_values
from gongkai.core.requests import appeals, clock, delivery, files, review
from gongkai.core.requests.models import OWNER, Pause, Request
from gongkai.core.requests.amend import prior_replies
from gongkai.core.requests.reply import reply_values, withheld_parts
from gongkai.core.requests.workflow import OPEN_STATES, STATES
from gongkai.core.records.storage import events_for
from gongkai.core.today import today

SAME_INFO_RULES = ("request.same_info_many_applicants", "request.convert_to_proactive")

COLUMNS = [  # (key, xlsx header)
    ("id", "编号"), ("received", "收到日期"), ("applicant", "申请人"), ("applicant_type", "申请人类型"),
    ("channel", "渠道"), ("subject", "申请内容"), ("state_name", "状态"), ("due", "答复期限"),
    ("working_days_used", "已用工作日"), ("days_left", "剩余工作日"), ("overdue", "是否逾期"),
    ("outcome", "答复结果"), ("replied_on", "答复日期"), ("ref", "本单位编号"),
    # what `request import` needs besides the above to rebuild the request (its headers are
    # the import's field names, so an exported ledger imports again without --map)
    ("submitted", "提交日期"), ("confirmed", "确认日期"), ("fee_amount", "信息处理费（元）"),
    ("withheld", "不予公开的内容及理由"), ("agency", "负责公开的机关"), ("agency_contact", "负责公开机关的联系方式"),
]

APPEALS_SHEET = "复议诉讼"  # the appeals of the listed requests, as `appeal import` reads them


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def received_in(year: int) -> tuple[Any, ...]:
    """The filter for requests received in ``year``; a clear error for an impossible year."""
    check_year(year)
    return Request.received >= dt.date(year, 1, 1), Request.received <= dt.date(year, 12, 31)


def _clocks(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The clocks of these requests, as read-only rows (the ledger builds no ORM objects)."""
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    d, t = StoredDeadline.__table__, DeadlineTerm.__table__
    query = select(d, t.c.due, t.c.due_at, t.c.limit).select_from(with_terms())
    for i in range(0, len(ids), 500):
        for row in session.execute(query.where(d.c.owner_kind == OWNER, d.c.owner_id.in_(ids[i:i + 500]))):
            out[row.owner_id][row.name] = row
    return out


def _pauses(session: Session, ids: list[int]) -> dict[int, list[deadlines.Pause]]:
    out: dict[int, list[deadlines.Pause]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        for p in session.exec(select(Pause).where(Pause.request_id.in_(ids[i:i + 500])).order_by(Pause.id)).all():
            out[p.request_id].append(clock.engine_pause(p))
    return out


def working_days_left(calendar: Any, state: str, due: dt.date | None, as_of: dt.date) -> int | None:
    """Working days from ``as_of`` to the due date of an open request (negative: overdue by)."""
    if state not in OPEN_STATES or due is None:
        return None
    return calendar.working_days_between(as_of, due) if due >= as_of else -calendar.working_days_between(due, as_of)


def row(office: Any, request: Any, clocks: dict[str, Any], pauses: list[deadlines.Pause],
        as_of: dt.date) -> dict[str, Any]:
    """One ledger row (the keys ``request show --json`` shares) from a :class:`Request` or a row of its table."""
    cal = office.calendar
    reply_clock = clocks.get("reply")
    due = reply_clock.due if reply_clock else None
    end = min(as_of, request.replied_on) if request.replied_on else as_of
    used = deadlines.working_days_used(cal, request.period_start, end, pauses) if end >= request.period_start else 0
    is_open = request.state in OPEN_STATES
    days_left = working_days_left(cal, request.state, due, as_of)
    paused = request.state in ("paused", "correction_pending")
    return {
        "id": request.id,
        "ref": request.ref,
        "assignee": request.assignee,  # 承办人 (分办), a login name; None: unassigned
        "version": request.version,
        "state": request.state,
        "state_name": STATES[request.state],
        "applicant": mask_text(request.applicant_name),  # free text: a number typed in is still masked
        "applicant_type": request.applicant_type,
        "channel": request.channel,
        "track": request.track,
        "subject": mask_text(request.subject),
        "submitted": _iso(request.submitted),
        "confirmed": _iso(request.confirmed),
        "received": _iso(request.received),
        "period_start": _iso(request.period_start),
        "due": _iso(due),
        "limit": _iso(reply_clock.limit if reply_clock else None),
        "provisional": bool(reply_clock and is_provisional(reply_clock, cal)),
        "working_days_used": used,
        "days_left": days_left,
        "paused": paused,
        "overdue": bool(is_open and due is not None and as_of > due),
        "late": bool(request.replied_on and due and request.replied_on > due),
        # a local intake clock (长宁区 第四十九条: entered within 2 working days) met late
        "intake_late": bool(clocks.get("intake") is not None and clocks["intake"].status == "late"),
        "outcome": request.outcome,
        "replied_on": _iso(request.replied_on),
        "fee_amount": request.fee_amount,
        "fee_paid_on": _iso(clock.fee_paid_on(pauses)),
        "withdrawal_how": request.withdrawal_how or None,
        # what `request reply` asks for these outcomes, in the import's cell form (条例 第三十六、三十七条)
        "withheld": "；".join(f"{w['part']}：{w['reason']}" for w in withheld_parts(request)),
        "agency": request.other_agency,
        "agency_contact": mask_text(request.other_agency_contact),
        "clocks": {
            name: {"rule": c.rule_id, "due": _iso(c.due), "limit": _iso(c.limit), "status": c.status,
                   "met_on": _iso(c.met_on), "provisional": is_provisional(c, cal)}
            for name, c in sorted(clocks.items())
        },
    }


def approved_proposal(session: Session, request_id: int, the_chain: Any, live: list[Any] | None = None
                      ) -> dict[str, Any] | None:
    from gongkai.core.requests.proposal import approved

    return approved(session, request_id, the_chain, live)


def show(session: Session, office: Any, request: Request, as_of: dt.date | None = None,
         reveal: bool = False, approvals: dict[str, Any] | None = None, live: list[Any] | None = None
         ) -> dict[str, Any]:
    """Everything about one request: the ledger row plus review steps, pauses, appeals and events.

    The applicant's ID and phone numbers are masked unless ``reveal`` (which the caller logs).
    ``approvals``: its review approvals (:func:`review.approvals`) if the caller has read them;
    ``live``: its live review actions (:func:`review.live_actions`), likewise.
    """
    from gongkai.core.requests import online

    application = online.of_request(session, request.id)  # read once for the two fields below
    as_of = as_of or today()
    pauses = clock.pauses_of(session, request.id)
    data = row(office, request, _clocks(session, [request.id])[request.id], clock.engine_pauses(pauses), as_of)
    correction = clock.correction_of(session, request.id)
    data.update({
        "applicant_id_number": request.applicant_id_number if reveal else mask_id_number(request.applicant_id_number),
        "applicant_contact": request.applicant_contact if reveal else mask_text(request.applicant_contact),
        "form_wanted": request.form_wanted,
        "outcome_name": office.registry.outcomes[request.outcome].name if request.outcome in office.registry.outcomes
        else request.outcome,
        "proposed_outcome": request.proposed_outcome,
        "reasons": request.reasons,
        "legal_basis": request.legal_basis,
        "provision": request.provision,
        "withheld": withheld_parts(request),
        "other_agency": {"name": request.other_agency, "contact": request.other_agency_contact},
        "fee": {"method": request.fee_method, "pages": request.fee_pages, "amount": request.fee_amount,
                "paid_on": data["fee_paid_on"]},
        "correction": None if correction is None else {
            "notice_on": _iso(correction.notice_on), "period_days": correction.period_days,
            "due": _iso(correction.due), "corrected_on": _iso(correction.corrected_on)},
        "pauses": [{"reason": p.reason, "start": _iso(p.start), "end": _iso(p.end), "answered": p.answered,
                    "silence_means": p.silence_means or None} for p in pauses],
        "extensions": [{"amount": e.amount, "unit": e.unit, "approved_by": e.approved_by,
                        "approved_on": _iso(e.approved_on), "applicant_told_on": _iso(e.applicant_told_on)}
                       for e in clock.extensions_of(session, request.id)],
        "review_steps": review.steps_json(session, office.registry, request, approvals),
        # what the live approvals before the reply signed (requests.proposal), or None
        "proposal": approved_proposal(session, request.id, review.chain(office.registry), live),
        "appeals": [appeals.appeal_json(a, office) for a in appeals.appeals_of(session, request.id)],
        "amended_on": _iso(request.amended_on),
        "reanswer_days": request.reanswer_days,
        # earlier replies, as issued: `request letter N --prior K` prints the K-th
        "prior_replies": [{"number": i, **reply_values(p), "withheld": withheld_parts(p),
                           "superseded_on": _iso(p.superseded_on), "superseded_by": p.superseded_by,
                           "reason": p.reason, "appeal": p.appeal_id}
                          for i, p in enumerate(prior_replies(session, request.id), 1)],
        "events": events_for(session, OWNER, request.id),
        "deliveries": [delivery.as_json(office, d) for d in delivery.of(session, request.id)],
        "attachments": files.of_request(session, request.id),
        "online_application": None if application is None else application.id,
        "application_fields": [] if application is None else online.shown_fields(office, application),
    })
    if reveal:  # the caller has logged it
        return data | {"applicant": request.applicant_name, "subject": request.subject}
    masked = mask_values(data)
    for shown, stored in zip(masked["attachments"], data["attachments"]):  # a digest is no phone number
        shown["sha256"] = stored["sha256"]
    for shown, stored in zip(masked["deliveries"], data["deliveries"]):
        shown["proof_sha256"] = stored["proof_sha256"]
    return masked


def ledger(session: Session, office: Any, *, as_of: dt.date | None = None, overdue: bool = False,
           due_within: int | None = None, state: str | None = None, year: int | None = None,
           search: str | None = None, outcome: str | None = None, applicant_type: str | None = None,
           received_from: dt.date | None = None, received_to: dt.date | None = None,
           ref: str | None = None, limit: int | None = None, assignee: str | None = None) -> list[dict[str, Any]]:
    """The ledger rows, filtered: overdue, due within N working days, by state, by year of receipt,
    by text (the applicant's name, the subject, the 编号: :mod:`gongkai.core.requests.search`), by
    outcome, applicant type and receipt dates, by the unit's reference (``ref``: the requests
    whose reference contains it), by 承办人 (``assignee``: a login name, or :data:`UNASSIGNED`).
    Filters combine (AND). ``limit``: only the newest that many
    (a search for a word most subjects share then reads no further than they), in id order.

    ``overdue`` and ``due_within`` together list both (overdue, or due within N working days).
    Either one selects through the open ``reply`` clocks (:func:`open_deadlines`, a range
    of the index ix_deadline_term_due), so it costs what it lists, not the size of the ledger.
    """
    as_of = as_of or today()
    _check_filters(state, due_within)
    table = Request.__table__  # read-only rows with the model's attributes: no ORM objects to build
    query = select(table).order_by(table.c.id)
    if state:
        query = query.where(table.c.state == state)
    if year:
        query = query.where(*received_in(year))
    if search is not None and not search.strip():
        raise GongkaiError("--search 不能为空，请输入申请人姓名、申请内容中的文字或申请编号。")
    if outcome:
        query = query.where(table.c.outcome == code_of("outcome", outcome, office.registry, "--outcome"))
    if applicant_type:
        query = query.where(table.c.applicant_type == code_of("applicant_type", applicant_type, flag="--applicant-type"))
    if received_from:
        query = query.where(table.c.received >= received_from)
    if received_to:
        query = query.where(table.c.received <= received_to)
    if ref:
        query = query.where(table.c.ref.contains(ref.strip(), autoescape=True))
    if assignee:
        query = query.where(_assigned(assignee))
    horizon = office.calendar.add_working_days(as_of, due_within) if due_within is not None else None
    from gongkai.core.requests import search as text_search

    if search is not None and (overdue or horizon is not None):
        query = query.where(text_search.condition(session, search))
    if search is not None and not (overdue or horizon is not None):
        requests = text_search.newest(session, query, search, limit)[::-1]
    elif overdue or horizon is not None:
        # overdue: due before as_of; due within N: due in [as_of, horizon]
        clocks = open_deadlines(session, horizon or as_of - dt.timedelta(days=1), OWNER, "reply",
                                due_from=None if overdue else as_of)
        ids = sorted({c.owner_id for c in clocks})
        requests = [r for i in range(0, len(ids), 500)
                    for r in session.execute(query.where(table.c.id.in_(ids[i:i + 500]),
                                                         table.c.state.in_(OPEN_STATES)))]
    else:
        requests = list(session.execute(query))
    requests = requests[-limit:] if limit else requests
    ids = [r.id for r in requests]
    clocks_of, pauses, delivered = _clocks(session, ids), _pauses(session, ids), _delivered(session, ids)
    return [row(office, r, clocks_of[r.id], pauses[r.id], as_of) | {"delivered": delivered.get(r.id)} for r in requests]


def _delivered(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """The 送达 of each request's reply letter in force (its first delivery), by request id."""
    from gongkai.core.requests.models import Delivery

    table = Delivery.__table__
    out: dict[int, dict[str, str]] = {}
    for i in range(0, len(ids), 500):
        for request_id, how, on in session.execute(
                select(table.c.request_id, table.c.how, table.c.on)
                .where(table.c.request_id.in_(ids[i:i + 500]), table.c.letter == "reply").order_by(table.c.id)):
            out.setdefault(request_id, {"how": how, "how_name": delivery.HOWS.get(how, how), "on": _iso(on)})
    return out


def appeal_rows(session: Session, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The appeals of the ledger ``rows``' requests, one list of cells per appeal, in the order
    of ``appeal import``'s fields, so that they import again as they are."""
    from gongkai.core.requests.models import Appeal

    refs = {r["id"]: r["ref"] for r in rows}
    applicants = {r["id"]: r["applicant"] for r in rows}
    ids = list(refs)
    out = []
    for i in range(0, len(ids), 500):
        for a in session.exec(select(Appeal).where(Appeal.request_id.in_(ids[i:i + 500])).order_by(Appeal.id)).all():
            out.append([a.request_id, applicants[a.request_id], refs[a.request_id], appeals.KINDS[a.kind], _iso(a.filed_on), a.result, _iso(a.decided_on),
                        _iso(a.reconsidered_on)])
    return out


def page(session: Session, office: Any, *, as_of: dt.date | None = None, overdue: bool = False,
         due_within: int | None = None, state: str | None = None, year: int | None = None, search: str = "",
         ref: str | None = None, cursor: str | None = None, size: int = 50,
         assignee: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the ledger and the cursor of the next page (None on the last one).

    Keyset paging, never OFFSET, so every page costs the same on any size of ledger: newest
    first (cursor: the last id), or, filtered by the reply clock (overdue, due within N),
    earliest due first (cursor: "due:id"), read along ix_deadline_term_due and stopped at
    the page's end. The filters are :func:`ledger`'s; ``search`` is its text search (applicant,
    subject, 编号, 本单位编号).
    """
    as_of = as_of or today()
    _check_filters(state, due_within)
    table = Request.__table__
    where = []
    if state:
        where.append(table.c.state == state)
    if year:
        where += received_in(year)
    if ref:
        where.append(table.c.ref.contains(ref.strip(), autoescape=True))
    if assignee:
        where.append(_assigned(assignee))
    from gongkai.core.requests import search as text_search

    horizon = office.calendar.add_working_days(as_of, due_within) if due_within is not None else None
    if search.strip() and (overdue or horizon is not None):
        where.append(text_search.condition(session, search))
    if overdue or horizon is not None:
        d, t = StoredDeadline.__table__, DeadlineTerm.__table__
        clocks = table.join(d, (d.c.owner_id == table.c.id) & (d.c.owner_kind == OWNER) & (d.c.name == "reply")) \
            .join(t, t.c.id == d.c.term_id)
        # overdue: due before as_of; due within N: due in [as_of, horizon]; both: due up to the horizon
        where += [d.c.status == "open", table.c.state.in_(OPEN_STATES), t.c.due <= (horizon or as_of - dt.timedelta(days=1))]
        if not overdue:
            where.append(t.c.due >= as_of)
        if cursor:
            due, _, last = _cursor(cursor, with_due=True)
            where.append((t.c.due > due) | ((t.c.due == due) & (table.c.id > last)))
        query = select(table, t.c.due.label("page_due")).select_from(clocks).order_by(t.c.due, table.c.id)
    else:
        if cursor:
            where.append(table.c.id < _cursor(cursor)[2])
        query = select(table).order_by(table.c.id.desc())
    if search.strip() and not (overdue or horizon is not None):  # newest first, as far as the page
        requests = text_search.newest(session, query.where(*where), search, size + 1)
    else:
        requests = list(session.execute(query.where(*where).limit(size + 1)))
    more = len(requests) > size
    requests = requests[:size]
    ids = [r.id for r in requests]
    clocks_of, pauses, delivered = _clocks(session, ids), _pauses(session, ids), _delivered(session, ids)
    rows = [row(office, r, clocks_of[r.id], pauses[r.id], as_of) | {"delivered": delivered.get(r.id)} for r in requests]
    if not more:
        return rows, None
    last = requests[-1]
    return rows, f"{last.page_due.isoformat()}:{last.id}" if "page_due" in last._fields else str(last.id)


UNASSIGNED = "-"  # ledger --assignee -: the requests not yet assigned


def _assigned(assignee: str) -> Any:
    column = Request.__table__.c.assignee
    return column.is_(None) if assignee.strip() == UNASSIGNED else column == assignee.strip()


def _cursor(text: str, with_due: bool = False) -> tuple[dt.date | None, str, int]:
    """A page cursor back from the address bar; a clear error if it was edited into nonsense."""
    due, sep, last = text.rpartition(":") if with_due else ("", "", text)
    try:
        return (dt.date.fromisoformat(due) if with_due else None), sep, int(last)
    except ValueError:
        raise GongkaiError(f"翻页位置“{text}”无效，请从第一页重新浏览。") from None


def _check_filters(state: str | None, due_within: int | None) -> None:
    if state is not None and state not in STATES:
        raise GongkaiError(f"状态“{state}”无效（--state），可选：{'、'.join(STATES.values())}")
    if due_within is not None and due_within < 0:
        raise GongkaiError("--due-within 应为非负的工作日数。")


def _labeller(office: Any) -> dict[str, Any]:
    """Code columns shown by their Chinese names (codes stay in --json)."""
    from gongkai.core.law.outcomes import APPLICANT_TYPES
    from gongkai.core.requests.intake import channels

    types = {t.code: (f"{t.group}·{t.label}" if t.group else t.label) for t in APPLICANT_TYPES}
    names = {c.channel: c.name for c in channels(office.registry)}
    outcomes = {code: o.name for code, o in office.registry.outcomes.items()}
    return {"applicant_type": types.get, "channel": names.get, "outcome": outcomes.get}


def late_mark(row: dict[str, Any]) -> Any:
    """The 逾期 cell: what was done late (答复逾期, 录入逾期), else whether an open request is past
    its due date (True/False)."""
    marks = [m for m, on in (("答复逾期", row.get("late")), ("录入逾期", row.get("intake_late"))) if on]
    return "、".join(marks) if marks else row["overdue"]


def _cell(key: str, value: Any) -> Any:
    """A history cell as the sheet types it: the correction period is a number of working days."""
    if key == "correction_days" and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


LEDGER_TITLE_COLUMNS = "A:C"  # 编号、收到日期、申请人: repeated on every page printed across


def export_xlsx(rows: list[dict[str, Any]], path: Path, office: Any, title: str = "",
                appeal_cells: list[list[Any]] | None = None,
                history_cells: dict[int, dict[str, str]] | None = None) -> Path:
    """The ledger as a workbook people can use (``core.paperwork.xlsx``): title, Chinese labels, typed cells;
    with ``history_cells`` (:func:`history.cells`), each request's clock history; with
    ``appeal_cells`` (:func:`appeal_rows`), their sheet too. Both import again without --map."""
    from openpyxl import Workbook

    from gongkai.core.paperwork import xlsx
    label = _labeller(office)
    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    from gongkai.core.requests.history import FIELDS

    # then the clock's history (correction, pauses, fee notice and payment, extensions) and how
    # a withdrawal came in, as `request import` replays them (core.requests.history)
    steps = history_cells or {}
    def cell(r: dict[str, Any], k: str) -> Any:
        if k == "overdue":
            return late_mark(r)  # a late reply is 逾期 too, not only an open request past its date
        return label[k](r[k]) or r[k] if k in label and r[k] else r[k]

    values = [[cell(r, k) for k, _ in COLUMNS]
              + [_cell(k, steps.get(r["id"], {}).get(k, "")) for k in FIELDS] for r in rows]
    unit = office.unit.name
    xlsx.table_sheet(ws, title or f"{unit}政府信息公开申请台账".strip(),
                     [h for _, h in COLUMNS] + [name for name, _ in FIELDS.values()], values)
    # too many columns to read at one page wide: printed at full size across several pages, the
    # title and header rows and the columns that name the request repeated on each
    xlsx.print_pages_wide(ws, 2, LEDGER_TITLE_COLUMNS)
    if appeal_cells is not None:
        from gongkai.core.requests.appeal_importer import FIELDS

        # the request named by gongkai's 编号 and the applicant too (本单位编号 may be empty);
        # `appeal import` reads the fields by their headers and leaves these two
        xlsx.table_sheet(wb.create_sheet(APPEALS_SHEET), f"{unit}行政复议、行政诉讼".strip(),
                         ["编号", "申请人", *[name for name, _ in FIELDS.values()]], appeal_cells)
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, wb.save)


# --------------------------------------------------------------------------- same information


def normalise(subject: str) -> str:
    """Subjects compared without spacing, punctuation or case."""
    return re.sub(r"[\s\W_]+", "", subject).lower()


def same_information(session: Session, office: Any, year: int | None = None, minimum: int = 2) -> dict[str, Any]:
    """Information several applicants asked for: candidates for proactive disclosure."""
    rule = next((office.registry.find(r) for r in SAME_INFO_RULES if office.registry.find(r)), None)
    if rule is None:
        raise GongkaiError(
            f"{office.registry.jurisdiction.display_name}没有“多人申请同一信息转主动公开”的规则"
            f"（{' / '.join(SAME_INFO_RULES)}），无需出具此清单。"
        )
    query = select(Request).order_by(Request.id)
    if year:
        query = query.where(*received_in(year))
    groups: dict[str, list[Request]] = defaultdict(list)
    for r in session.exec(query).all():
        groups[normalise(r.subject)].append(r)
    candidates = []
    for items in groups.values():
        applicants = sorted({(r.applicant_name, r.applicant_id_number) for r in items})
        if len(applicants) >= minimum:
            candidates.append({
                "subject": mask_text(items[0].subject),
                "applicants": [mask_text(a[0]) for a in applicants],
                "requests": [r.id for r in items],
                "outcomes": sorted({r.outcome for r in items if r.outcome}),
            })
    candidates.sort(key=lambda c: (-len(c["applicants"]), c["requests"][0]))
    return {"rule": rule.id, "citation": str(rule.citation), "summary": rule.summary, "candidates": candidates}
