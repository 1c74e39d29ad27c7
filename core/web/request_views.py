"""A request's pages: intake (登记申请), the request (申请详情) with its next actions, the letter.

Every action is a POST form that names the permission code (asked of the one permission
function) and the workflow event (its allowed states come from the state machine), and
calls the same core step as ``gongkai request …``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import frozen
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError
from gongkai.core.requests import (amend, appeals, clock, delivery, edits, fees, files, intake, ledger, letters,
                                   online, proposal, reply, review, withdrawal, workflow)
from gongkai.core.web.app import PAGES, back_to, main_block, render
from gongkai.core.web.pages import download, need, today


class Form:
    """The fields of a posted form, read with Chinese errors naming the field."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def text(self, name: str, default: str = "") -> str:
        return str(self.data.get(name) or default).strip()

    def _parsed(self, name: str, label: str, required: bool, parse: Callable[[str], Any], form: str) -> Any:
        text = self.text(name)
        if not text:
            if required:
                raise GongkaiError(f"请填写{label}。")
            return None
        try:
            return parse(text)
        except ValueError:
            raise GongkaiError(f"{label}“{text}”{form}") from None

    def day(self, name: str, label: str, required: bool = True) -> dt.date | None:
        return self._parsed(name, label, required, dt.date.fromisoformat, "不是有效日期，请写成 2026-09-24 的形式。")

    def whole(self, name: str, label: str, required: bool = True) -> int | None:
        return self._parsed(name, label, required, int, "应为整数。")

    def flag(self, name: str) -> bool:
        return self.text(name) in ("1", "on", "true")


@frozen
class Action:
    """One next action on a request: its form (``action_<name>`` in request.html) and core step."""

    name: str
    label: str
    permission: str
    event: str  # the state machine's event: which states allow it
    run: Callable[[Any, Any, Any, Form, str], Any]
    # beyond the state: whether the step is possible for this request now (else its form is not
    # shown), given the session, the request and what its page shows (ledger.show)
    possible: Callable[[Any, Any, dict[str, Any]], bool] | None = None


def _extend(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    from gongkai.core.accounts.binding import signer

    amount, on, told_on = f.whole("amount", "延长的数量"), f.day("on", "批准日期"), f.day("told_on", "告知申请人日期", False)
    # 条例 第三十三条: the extension needs the approval of the office's head, an account holding that
    # role; the approver is the one signed in (nobody approves in another's name)
    approver = signer(session, office.registry, by, "request.extend.approve")
    return clock.extend(session, office, req, amount, approver, on, told_on, f.text("unit") == "months",
                                    actor=by)


def _proposal(f: Form) -> dict[str, Any]:
    """The proposed reply's fields as posted (a review's, a reply's): a field left empty is None,
    "as the chain approved" (core.requests.proposal.settle)."""
    lines = [line for line in f.text("withheld").splitlines() if line.strip()]
    return {"outcome": f.text("outcome") or None, "reasons": f.text("reason") or None,
            "withheld": reply.parse_withheld(lines) if lines else None, "agency": f.text("agency") or None,
            "agency_contact": f.text("agency_contact") or None}


def _reply_content(f: Form) -> dict[str, Any]:
    """What a reply says (the reply form's fields, also the corrected reply's): reply() and amend() keywords."""
    return {**_proposal(f), "legal_basis": f.text("basis"), "provision": f.text("provision")}


def _reply(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    return reply.reply(session, office, req, on=f.day("on", "答复日期"), actor=by, **_reply_content(f))


def _amend(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    on = f.day("on", "更正答复日期")
    return amend.amend(session, office, req, reason=f.text("why"), on=on, actor=by, **_reply_content(f))


def _appeal(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    return appeals.record_appeal(session, office, req, f.text("kind"), f.day("filed", "申请复议或起诉日期"),
                                 f.text("result") or "尚未审结", f.day("decided", "收到决定日期", False), by,
                                 copy_received=f.day("copy_received", "收到副本日期", False))


def _copy(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    found = appeals.appeal_of(session, req, f.whole("appeal", "复议或诉讼"))
    return appeals.receive_copy(session, office, req, found, f.day("copy_received", "收到副本日期"), by)


def _answered(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    found = appeals.appeal_of(session, req, f.whole("appeal", "复议或诉讼"))
    return appeals.answered(session, office, req, found, f.day("on", "提交答复日期"), by)


def _without_copy(session: Any, req: Any, shown: dict[str, Any]) -> bool:
    return any(a["copy_received"] is None for a in shown["appeals"])


def _unanswered(session: Any, req: Any, shown: dict[str, Any]) -> bool:
    return any(a["copy_received"] and not a["answered_on"] for a in shown["appeals"])


def _decide(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    found = appeals.appeal_of(session, req, f.whole("appeal", "复议或诉讼"))
    return appeals.decide(session, office, req, found, f.text("result"), f.day("decided", "收到决定日期", False), by)


def _hearing(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    found = appeals.appeal_of(session, req, f.whole("appeal", "复议或诉讼"))
    head = {"yes": True, "no": False}.get(f.text("head_appeared"))
    return appeals.record_hearing(session, office, req, found, f.day("hearing", "开庭日期", False), head, by)


def _lawsuits(session: Any, req: Any, shown: dict[str, Any]) -> bool:
    return any(a["kind"] in appeals.LAWSUITS for a in shown["appeals"])


def _undecided(session: Any, req: Any, shown: dict[str, Any]) -> bool:
    return any(a["result"] == "尚未审结" for a in shown["appeals"])


def _can_reanswer(session: Any, req: Any, shown: dict[str, Any]) -> bool:
    from gongkai.core.errors import StepRefused

    try:
        amend.reanswer_decision(session, req)
    except StepRefused:
        return False
    return True


# the fields 更正事实 may correct: blank = unchanged (the page shows ID and phone masked, so never prefilled)
EDIT_TEXT = ("applicant", "applicant_type", "id_number", "contact", "channel", "subject", "form_wanted")


def _edit(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    changes = {name: f.text(name) or None for name in EDIT_TEXT}
    changes.update(submitted=f.day("submitted", "提交日期", False), confirmed=f.day("confirmed", "确认日期", False))
    return edits.edit(session, office, req, reason=f.text("why"), actor=by, **changes)


def _deliver(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    from gongkai.core.requests import delivery

    on, proof, sha = f.day("on", "送达日期"), f.data.get("proof"), ""
    if proof is not None and getattr(proof, "filename", ""):
        proof.file.seek(0)
        sha = files.attach(session, office, req, proof.file, kind="delivery_proof", file_name=proof.filename, on=on,
                           actor=by).sha256
    return delivery.deliver(session, office, req, how=f.text("how"), on=on, letter=f.text("letter"),
                            tracking=f.text("tracking"), proof_sha256=sha, actor=by)


def _attach(session: Any, office: Any, req: Any, f: Form, by: str) -> str:
    """添加附件: the same core step as ``gongkai request attach`` (stored, its hash in the log)."""
    upload = f.data.get("file")
    if upload is None or not getattr(upload, "filename", ""):
        raise GongkaiError("请选择要上传的文件。")
    upload.file.seek(0)
    row = files.attach(session, office, req, upload.file, kind=f.text("kind"), file_name=upload.filename,
                       on=f.day("on", "日期", False) or today(), actor=by)
    from gongkai.core.attachments.store import KINDS

    return f"已添加附件：{row.file_name}（{KINDS[row.kind].label}）"


ACTIONS: dict[str, Action] = {a.name: a for a in [
    Action("correct", "告知补正", "request.correct", "notify_correction",
           lambda s, o, r, f, by: clock.notify_correction(
               s, o, r, f.day("notice_on", "告知补正日期"), f.whole("period_days", "补正期限"), actor=by,
               what=f.text("what"))),
    Action("corrected", "收到补正", "request.corrected", "corrected",
           lambda s, o, r, f, by: clock.corrected(s, o, r, f.day("on", "收到补正日期"), f.text("good_reason"),
                                                             actor=by)),
    Action("abandon", "逾期未补正，视为放弃", "request.abandon", "abandon",
           lambda s, o, r, f, by: clock.abandon(s, o, r, f.day("on", "认定日期"), actor=by)),
    Action("pause", "中止计时", "request.pause", "pause",
           lambda s, o, r, f, by: clock.pause(s, o, r, f.text("reason"), f.day("on", "中止计时日期"),
                                                         f.text("note"), actor=by)),
    Action("resume", "恢复计时", "request.resume", "resume",
           lambda s, o, r, f, by: clock.resume(s, o, r, f.day("on", "恢复计时日期"), f.flag("no_answer"),
                                                          actor=by)),
    # 条例 第三十三条: recorded by the one who approves it, signed in (never a name typed in the form)
    Action("extend", "延长答复期限", "request.extend.approve", "extend", _extend),
    Action("fee", "核定信息处理费", "request.fee", "fee",
           lambda s, o, r, f, by: fees.charge(s, o, r, f.text("method"), f.whole("pages", "页数", False),
                                                         actor=by, notice_on=f.day("notice_on", "收费通知日期", False)
                                                         or today())),
    Action("reply", "答复", "request.reply", "reply", _reply),
    Action("close", "办结归档", "request.close", "close",
           lambda s, o, r, f, by: reply.close(s, o, r, f.day("on", "归档日期"), actor=by)),
    Action("appeal", "登记复议或诉讼", "request.appeal", "appeal", _appeal),
    Action("copy", "登记收到复议申请书或起诉状副本", "request.appeal", "appeal_copy", _copy, _without_copy),
    Action("answered", "登记提交复议答复或答辩状", "request.appeal", "appeal_answered", _answered, _unanswered),
    Action("hearing", "登记开庭和负责人出庭应诉", "request.appeal", "appeal_hearing", _hearing, _lawsuits),
    Action("decide", "登记复议或诉讼的结果", "request.appeal", "appeal", _decide, _undecided),
    Action("register_overturned", "登记被纠正的答复", "request.register_overturned", "register_overturned",
           lambda s, o, r, f, by: appeals.register_overturned(s, o, r, f.day("on", "登记日期"), actor=by)),
    Action("amend", "更正答复", "request.amend", "amend", _amend),
    Action("reanswer", "重新答复（复议、诉讼决定纠正）", "request.reanswer", "reanswer",
           lambda s, o, r, f, by: amend.reanswer(s, o, r, f.day("decision_on", "纠正决定送达日期"),
                                                 f.whole("days", "重新答复期限", False), actor=by), _can_reanswer),
    Action("withdraw", "登记申请人撤回", "request.withdraw", "withdraw",
           lambda s, o, r, f, by: withdrawal.withdraw(s, o, r, f.day("on", "撤回日期"), f.text("how"), actor=by)),
    Action("edit", "更正登记信息", "request.edit", "edit", _edit),
    Action("deliver", "登记送达", "request.deliver", "edit", _deliver, lambda s, r, shown: bool(shown["letters_issued"])),
]}


def _review(session: Any, office: Any, req: Any, f: Form, by: str) -> Any:
    return review.review(session, office, req, f.text("step"), by, f.text("decision"), f.text("comment"),
                         f.day("on", "审核日期", False), proposal=_proposal(f))


def detail_context(session: Any, office: Any, req: Any, actor: Any, reveal: bool = False) -> dict[str, Any]:
    """What the request page shows: the facts, clocks, timeline and the actions open to ``actor``."""
    from gongkai.core.accounts.permissions import allowed, request_record

    # read once: the steps shown, the permissions and the signed proposal all need them
    live = review.live_actions(session, req.id)
    done = {a.step_id: a for a in live if a.decision == "approve"}  # review.approvals
    data = ledger.show(session, office, req, today(), reveal=reveal, approvals=done, live=live)
    data["letters_issued"] = [(c, delivery.letter_name(c)) for c in delivery.issued(session, req)]
    record = request_record(session, office.registry, req, done)
    open_actions = [a for a in ACTIONS.values()
                    if req.state in workflow.TRANSITIONS[a.event][1] and allowed(actor, a.permission, record)
                    and (a.possible is None or a.possible(session, req, data))]
    stage = "after" if req.state in review.ANSWERED else "before"
    steps = [s for s in data["review_steps"] if not s["done"] and s["stage"] == stage]
    next_step = steps[0] if steps and req.state in workflow.TRANSITIONS["review"][1] else None
    step_decision = allowed(actor, f"request.review:{next_step['id']}", record) if next_step else None
    # 更正答复: on an answered request, signing a step before the reply again opens the correction's review
    correction = review.correction_step(office.registry, req)
    if correction is not None and not allowed(actor, f"request.review:{correction.id}", record):
        correction = None
    # what the chain signed: shown to the next reviewer with the letter it makes, and preselected
    # in the reply and correction forms
    signed = proposal.approved(session, req.id, review.chain(office.registry), live)
    preview = None
    if signed and next_step and next_step["stage"] == "before" and step_decision:
        try:
            preview = html_body(letters.draft_html(session, office, req, signed, today()))
        except GongkaiError as exc:  # e.g. no unit name yet: say why there is no preview
            preview = Markup("<p class=\"error\">") + str(exc) + Markup("</p>")
    from gongkai.core.requests import timeline, worklist
    from gongkai.core.requests.assignment import handlers as assignment_handlers, names

    waiting = review.chain(office.registry).step(next_step["id"]) if next_step else None
    acting = req.state in (*workflow.OPEN_STATES, "amending") or (req.state == "replied" and waiting is not None)
    return {
        "timeline": timeline.entries(session, office, data["events"]),
        "assignee_name": names(session, {req.assignee})[req.assignee] if req.assignee else None,
        "next_actor": worklist.next_actors(session, office, req, waiting) if acting else None,
        "can_assign": allowed(actor, "request.assign", record), "handlers": assignment_handlers(session) if
        allowed(actor, "request.assign", record) else [],
        "can_comment": allowed(actor, "request.comment", record), "chain_steps": review.chain(office.registry).steps,
        "can_notice": allowed(actor, "request.notice", record) and req.track == "government",
        "can_attach": allowed(actor, "request.attach", record), "attachment_kinds": _attachment_kinds(),
        "attach_mb": _max_mb(office),
        "notice_kinds": _notice_kinds(),
        "r": data, "actions": open_actions, "next_step": next_step, "step_decision": step_decision,
        "correction_step": correction, "proposal": signed, "preview": preview,
        "correction_proposal": proposal.of_reply(req) if correction is not None else None,
        "reply_proposal": signed or ({"outcome": req.proposed_outcome} if req.proposed_outcome else None),
        "outcomes": office.registry.outcomes, "pause_reasons": {k: v[0] for k, v in clock.PAUSE_REASONS.items()},
        "decisions": review.DECISIONS, "can_reveal": allowed(actor, "request.reveal", record), "revealed": reveal,
        "today": today().isoformat(), "event_names": _event_names(), "withdrawal_ways": withdrawal.HOW,
        "appeal_kinds": appeals.KINDS, "appeal_results": appeals.RESULTS,
        "channels": intake.channels(office.registry), "applicant_types": _applicant_types(),
        "clock_rules": {c["rule"]: office.registry.find(c["rule"]) for c in data["clocks"].values()},
        "delivery_hows": delivery.HOWS, "many": online.many_from(session, req.applicant_name, req.applicant_id_number),
        "many_threshold": online.MANY,
    }


def _notice_kinds() -> Any:
    from gongkai.core.requests.notices import KINDS

    return KINDS


def _max_mb(office: Any) -> int:
    from gongkai.core.attachments.store import max_bytes

    return max_bytes(office.config) // (1024 * 1024)


def _attachment_kinds() -> list[Any]:
    from gongkai.core.attachments.store import DOCUMENT_KINDS, KINDS

    return [k for k in KINDS.values() if k.code not in DOCUMENT_KINDS]


def _applicant_types() -> Any:
    from gongkai.core.law.outcomes import APPLICANT_TYPES

    return APPLICANT_TYPES


def _event_names() -> dict[str, str]:
    from gongkai.core.labels import labels

    return {**labels("event"), **workflow.EVENT_NAMES, "receive": "登记收到申请", "reveal": "查看完整证件号码和电话", "propose": "拟定答复结果",
            "sealed": "加封（记下记录全部内容的摘要）"}


def _request_id(request: Request) -> int:
    return int(request.path_params["request_id"])


CSRF_SLOT = "csrf-token-of-the-session"  # in a cached page, where each form's token goes


def request_head(session: Any, request_id: int) -> tuple[Any, ...] | None:
    """Where one request's page stands: its last event (every change to a request, its reviews,
    clocks, notices, reveals, is an event on it), the unit's accounts (the names and roles
    the page shows) and the calendar its clocks were computed on. Writes to other requests leave it as it is, so a busy office's writes do not
    empty every request page a worker keeps (the unit's chain head would)."""
    from sqlalchemy import func, select

    from gongkai.core.accounts.models import Account
    from gongkai.core.records.head_cache import chain_head
    from gongkai.core.records.storage import Event

    head = chain_head(session)
    if head is None:
        return None
    e, a = Event.__table__, Account.__table__
    last = session.execute(select(func.max(e.c.id)).where(e.c.subject_id == request_id, e.c.subject_kind == "request")
                           ).scalar()
    accounts = tuple(session.execute(select(func.count(), func.max(a.c.id), func.sum(a.c.version))).one())
    # the calendar the stored clocks were computed on (a holiday change recomputes every request's)
    from gongkai.core.records.storage import get_setting
    from gongkai.core.time.deadline_store import CALENDAR_SETTING

    return (*head[:2], "request", request_id, last, accounts, get_setting(session, CALENDAR_SETTING))


def detail(request: Request) -> Response:
    from gongkai.core.web.security import csrf_token

    actor = need(request, "view")
    office = request.app.state.office
    request_id, as_of = _request_id(request), today()

    def content() -> str:
        context = detail_context(session, office, workflow.load(session, request_id), actor)
        return main_block(request, "request.html", **context, csrf_token=CSRF_SLOT)

    # the page is the same for every session of the same account on the same day and records;
    # only its forms' CSRF token differs, put in when it is served
    with office.session() as session:
        main = PAGES.get(request_head(session, request_id), ("request", as_of, actor.name, actor.roles,
                                                             id(office.calendar)), content)
    token = csrf_token(request.scope["session"])
    return render(request, "request.html", main=Markup(main.replace(CSRF_SLOT, token)), r={"id": request_id})


def _reveal(office: Any, actor: Any, request_id: int) -> dict[str, Any]:
    from gongkai.core.accounts.permissions import request_record, require
    from gongkai.core.records.privacy import record_reveal

    with office.session() as session:
        req = workflow.load(session, request_id)
        require(actor, "request.reveal", request_record(session, office.registry, req))
        record_reveal(session, what="申请人证件号码、联系方式", actor=actor.name, subject_kind="request", subject_id=req.id)
        return detail_context(session, office, req, actor, reveal=True)


async def reveal(request: Request) -> Response:
    """显示: the unmasked ID and phone, shown once on this response; the reveal is logged."""
    context = await run_in_threadpool(_reveal, request.app.state.office, request.scope["actor"], _request_id(request))
    return render(request, "request.html", **context)


def _act(office: Any, actor: Any, request_id: int, name: str, form: Form) -> str:
    from gongkai.core.accounts.permissions import request_record, require

    with office.session() as session:
        req = workflow.load(session, request_id)
        record = request_record(session, office.registry, req)
        if name == "review":
            step = form.text("step")
            require(actor, f"request.review:{step}", record)
            _review(session, office, req, form, actor.name)
            return f"已记录审核：{review.chain(office.registry).step(step).name}"
        if name == "assign":
            from gongkai.core.requests import assignment

            require(actor, "request.assign", record)
            assignment.assign(session, office, req, form.text("to"), form.text("reason"), actor.name)
            return f"已分办：承办人 {assignment.names(session, {req.assignee})[req.assignee]}"
        if name == "attach":
            require(actor, "request.attach", record)
            return _attach(session, office, req, form, actor.name)
        if name == "comment":
            from gongkai.core.requests import notes

            require(actor, "request.comment", record)
            notes.comment(session, office, req, form.text("text"), form.text("step") or None, actor.name)
            return "已记录意见"
        action = ACTIONS.get(name)
        if action is None:
            raise GongkaiError(f"没有“{name}”这项操作。")
        require(actor, action.permission, record)
        action.run(session, office, req, form, actor.name)
        return f"已办理：{action.label}"


async def act(request: Request) -> Response:
    request_id = _request_id(request)
    if request.scope.get("csrf_by_view"):  # a file (an attachment, a delivery's proof): read as it arrives, its CSRF field checked there
        from gongkai.core.web.apply_views import TooLarge, read_form, upload_limit

        try:
            form = Form(await read_form(request, upload_limit(request.app.state.office)))
        except TooLarge:
            from gongkai.core.attachments.store import max_bytes

            mb = max_bytes(request.app.state.office.config) // (1024 * 1024)
            return back_to(request, f"/requests/{request_id}", error=f"上传的文件过大（每个附件不超过 {mb} MB），未予受理。")
        except GongkaiError as exc:
            return back_to(request, f"/requests/{request_id}", error=str(exc))
    else:
        form = Form(await request.form())
    try:
        done = await run_in_threadpool(_act, request.app.state.office, request.scope["actor"], request_id,
                                       request.path_params["action"], form)
    except GongkaiError as exc:
        from gongkai.core.accounts.permissions import Forbidden

        if isinstance(exc, Forbidden):
            raise
        return back_to(request, f"/requests/{request_id}", error=str(exc))
    if request.path_params["action"] in NOTIFYING:  # the step stands; telling the next person is best-effort
        from gongkai.core.requests.reminders import notify_waiting

        await run_in_threadpool(notify_waiting, request.app.state.office, request_id)
    return back_to(request, f"/requests/{request_id}", notice=done)


# the steps after which someone else may be waited for: they are told by email (core.requests.reminders)
NOTIFYING = frozenset({"review", "assign", "reply", "resume", "corrected", "reanswer", "amend"})


def html_body(page: str) -> Any:
    """The body of a page core wrote as HTML (the preview shows exactly what the file says)."""
    from markupsafe import Markup

    return Markup(page.partition("<body>")[2].rpartition("</body>")[0])


def _letter(office: Any, request_id: int, fmt: str, prior: int | None) -> tuple[bytes, str]:
    """The reply letter as ``fmt`` (html or docx), as ``gongkai request letter [--prior K]`` writes it."""

    with office.session() as session, tempfile.TemporaryDirectory() as tmp:
        req = workflow.load(session, request_id)
        if not req.outcome and prior is None:
            raise GongkaiError(f"申请 {req.id} 尚未答复，答复后才能生成答复告知书。")
        path = letters.write_letter(session, office, req, fmt, Path(tmp) / f"letter.{fmt}", prior)
        which = f"-此前第{prior}份" if prior else ""
        return path.read_bytes(), f"答复告知书-{req.id}-{req.applicant_name}{which}.{fmt}"


def _prior(request: Request) -> int | None:
    from gongkai.core.web.pages import number

    return number(request, "prior", "此前的第几份答复", 1, 999)


def letter(request: Request) -> Response:
    """The reply letter (or the K-th earlier one: ``?prior=K``), previewed (the same text the .docx carries)."""
    need(request, "view")
    prior = _prior(request)
    content, _ = _letter(request.app.state.office, _request_id(request), "html", prior)
    return render(request, "letter.html", request_id=_request_id(request), body=html_body(content.decode("utf-8")),
                  prior=prior)


def letter_docx(request: Request) -> Response:
    need(request, "view")
    content, name = _letter(request.app.state.office, _request_id(request), "docx", _prior(request))
    return download(content, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _appeal_paper(office: Any, request_id: int, appeal_id: int, what: str) -> tuple[bytes, str]:
    """An appeal's answer draft (.docx) or evidence bundle (.pdf), as ``gongkai appeal answer|evidence`` write them."""
    from gongkai.core.requests import appeal_answer, evidence

    with office.session() as session, tempfile.TemporaryDirectory() as tmp:
        req = workflow.load(session, request_id)
        found = appeals.appeal_of(session, req, appeal_id)
        if what == "answer":
            path = appeal_answer.write_answer(session, office, req, "docx", Path(tmp) / "answer.docx", found.id)
            return Path(path).read_bytes(), f"{appeal_answer.TITLES[found.kind]}草稿-{req.id}-{req.applicant_name}.docx"
        evidence.build(session, office, req, found.id, Path(tmp) / "evidence.pdf")
        return (Path(tmp) / "evidence.pdf").read_bytes(), f"证据材料-{req.id}-{req.applicant_name}.pdf"


def appeal_answer_docx(request: Request) -> Response:
    need(request, "view")
    content, name = _appeal_paper(request.app.state.office, _request_id(request),
                                  int(request.path_params["appeal_id"]), "answer")
    return download(content, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def appeal_evidence_pdf(request: Request) -> Response:
    need(request, "view")
    content, name = _appeal_paper(request.app.state.office, _request_id(request),
                                  int(request.path_params["appeal_id"]), "evidence")
    return download(content, name, "application/pdf")


# --------------------------------------------------------------------------- intake


def intake_context(office: Any) -> dict[str, Any]:
    from gongkai.core.law.outcomes import APPLICANT_TYPES

    rule = office.registry.rule("request.receipt_date")
    local = intake.intake_rule(office.registry, "")
    return {"channels": intake.channels(office.registry), "applicant_types": APPLICANT_TYPES, "receipt_rule": rule,
            "intake_rule": local, "today": today().isoformat()}


def new_form(request: Request) -> Response:
    need(request, "request.register")
    return render(request, "new.html", values={}, **intake_context(request.app.state.office))


def _register(office: Any, actor: Any, f: Form) -> int:
    from gongkai.core.accounts.permissions import require

    require(actor, "request.register")
    with office.session() as session:
        req = intake.receive(
            session, office, applicant=f.text("applicant"), applicant_type=f.text("applicant_type"),
            channel=f.text("channel"), submitted=f.day("submitted", "提交日期"), confirmed=f.day("confirmed", "确认日期", False),
            subject=f.text("subject"), id_number=f.text("id_number"), contact=f.text("contact"),
            form_wanted=f.text("form_wanted"), actor=actor.name, entered=f.day("entered", "录入日期", False))
        return int(req.id)


async def register(request: Request) -> Response:
    from gongkai.core.accounts.permissions import Forbidden

    data = await request.form()
    office = request.app.state.office
    try:
        request_id = await run_in_threadpool(_register, office, request.scope["actor"], Form(data))
    except GongkaiError as exc:
        if isinstance(exc, Forbidden):
            raise
        values = {k: str(v) for k, v in data.items() if k != "csrf_token"}
        return render(request, "new.html", status=400, error=str(exc), values=values, **intake_context(office))
    from gongkai.core.requests.reminders import notify_waiting

    await run_in_threadpool(notify_waiting, office, request_id)
    return back_to(request, f"/requests/{request_id}", notice=f"已登记申请 {request_id}。")


def check_id(request: Request) -> Response:
    """The ID number checked as it is typed (htmx swaps this fragment in under the field)."""
    from markupsafe import escape

    from gongkai.core.records.privacy import check_applicant_id

    need(request, "request.register")
    value = request.query_params.get("id_number", "")
    natural = request.query_params.get("applicant_type", "natural_person") == "natural_person"
    if not value.strip():
        return HTMLResponse('<span id="id-check" class="hint"></span>')
    try:
        check_applicant_id(value, natural, flag="证件号码")
    except GongkaiError as exc:
        return HTMLResponse(f'<span id="id-check" class="error">{escape(str(exc))}</span>')
    return HTMLResponse('<span id="id-check" class="ok">证件号码格式有效。</span>')


def _notice(office: Any, actor: Any, request_id: int, form: Form) -> tuple[bytes, str]:
    from gongkai.core.accounts.permissions import request_record, require
    from gongkai.core.requests import notices

    with office.session() as session:
        req = workflow.load(session, request_id)
        require(actor, "request.notice", request_record(session, office.registry, req))
        options = {"on": form.day("on", "告知书日期", False), **{k: form.text(k) for k in NOTICE_FIELDS}}
        fmt = form.text("format") or "pdf"
        if fmt not in NOTICE_TYPES:  # the page offers the files a notice is handed out as
            raise GongkaiError(f"格式“{fmt}”无效，可选：PDF、Word（docx）。")
        return notices.issue(session, office, req, form.text("kind"), fmt, options, actor.name)


NOTICE_FIELDS = ("what", "to", "reason", "content", "payment")
NOTICE_TYPES = {"pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


async def notice(request: Request) -> Response:
    """出具告知书: the notice as PDF or Word, recorded on the request (``notices.issue``)."""
    from gongkai.core.accounts.permissions import Forbidden

    request_id = _request_id(request)
    form = Form(await request.form())
    try:
        content, name = await run_in_threadpool(_notice, request.app.state.office, request.scope["actor"], request_id,
                                                form)
    except GongkaiError as exc:
        if isinstance(exc, Forbidden):
            raise
        return back_to(request, f"/requests/{request_id}", error=str(exc))
    return download(content, name, NOTICE_TYPES[name.rpartition(".")[2]])
def _attachment(office: Any, request_id: int, attachment_id: int) -> tuple[Any, str, str]:
    with office.session() as session:
        row = files.get(session, request_id, attachment_id)
        return row.sha256, row.file_name, row.media_type


def attachment(request: Request) -> Response:
    """A file of the request, for staff who may read the case: streamed a chunk at a time."""
    from urllib.parse import quote

    from starlette.responses import StreamingResponse

    from gongkai.core.attachments import store

    need(request, "view")
    office = request.app.state.office
    request_id, attachment_id = _request_id(request), int(request.path_params["attachment_id"])
    sha, name, mime = _attachment(office, request_id, attachment_id)

    def chunks() -> Any:
        with office.session() as session:
            yield from store.read(session, files.get(session, request_id, attachment_id))

    return StreamingResponse(chunks(), media_type=mime,
                             headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def pending_page(request: Request) -> Response:
    """待确认: the online applications awaiting the office's confirmation, oldest first."""
    actor = need(request, "request.confirm_online")
    office = request.app.state.office
    with office.session() as session:
        rows = []
        for row in online.pending(session):
            item = online.as_json(row, office)
            item["many"] = online.many_from(session, row.applicant_name, row.applicant_id_number) + sum(
                1 for other in online.pending(session) if other.applicant_id_number == row.applicant_id_number)
            item["files"] = [store_json for store_json in files.of_application(session, row.id)]
            rows.append(item)
    return render(request, "pending.html", rows=rows, today=today().isoformat(), many_threshold=online.MANY, actor=actor)


def _decide_online(office: Any, actor: Any, application_id: int, what: str, form: Form) -> str:
    from gongkai.core.accounts.permissions import require

    require(actor, "request.confirm_online")
    with office.session() as session:
        row = online.load(session, application_id)
        if what == "confirm":
            req = online.confirm(session, office, row, form.day("on", "确认日期"), actor.name)
            return f"已确认网上申请 {application_id}，登记为申请 {req.id}"
        online.decline(session, row, form.text("reason"), form.day("on", "日期"), actor.name)
        return f"网上申请 {application_id} 不予受理"


async def decide_online(request: Request) -> Response:
    form = Form(await request.form())
    try:
        done = await run_in_threadpool(_decide_online, request.app.state.office, request.scope["actor"],
                                       int(request.path_params["application_id"]), request.path_params["what"], form)
    except GongkaiError as exc:
        from gongkai.core.accounts.permissions import Forbidden

        if isinstance(exc, Forbidden):
            raise
        return back_to(request, "/pending", error=str(exc))
    return back_to(request, "/pending", notice=done)


routes = [
    Route("/pending", pending_page, methods=["GET"]),
    Route("/pending/{application_id:int}/{what:str}", decide_online, methods=["POST"]),
    Route("/requests/{request_id:int}/attachments/{attachment_id:int}", attachment, methods=["GET"]),
    Route("/requests/new", new_form, methods=["GET"]),
    Route("/requests", register, methods=["POST"]),
    Route("/requests/check-id", check_id, methods=["GET"]),
    Route("/requests/{request_id:int}", detail, methods=["GET"]),
    Route("/requests/{request_id:int}/reveal", reveal, methods=["POST"]),
    Route("/requests/{request_id:int}/letter", letter, methods=["GET"]),
    Route("/requests/{request_id:int}/letter.docx", letter_docx, methods=["GET"]),
    Route("/requests/{request_id:int}/appeals/{appeal_id:int}/answer.docx", appeal_answer_docx, methods=["GET"]),
    Route("/requests/{request_id:int}/appeals/{appeal_id:int}/evidence.pdf", appeal_evidence_pdf, methods=["GET"]),
    Route("/requests/{request_id:int}/notice", notice, methods=["POST"]),
    Route("/requests/{request_id:int}/{action}", act, methods=["POST"]),
]
