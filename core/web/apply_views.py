"""The applicant's pages, with no login: the application form (/apply) with its printable
receipt, and following a request (/track) with its letters as PDF and the answer to a 补正.

What the public may post is limited here, before anything is stored: the form's own CSRF token
(double submit: the cookie against the field), a honeypot field a person never fills, a size
limit counted while the upload is read (never the whole body in memory; the files spool to disk
as they arrive and go into the database a chunk at a time), and a per-address rate limit
(``[web] apply_per_hour`` and ``track_per_hour``, counted in the database: shared by workers). A wrong 查询码 gets the same answer whether
or not the code exists (:func:`gongkai.core.requests.online.find`). Nothing internal (reviews,
staff names, comments, the attachments once filed) is shown.
"""

from __future__ import annotations

import hmac
import re
import tempfile
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError
from gongkai.core.web.app import LOG, client_of, render
from gongkai.core.web.security import CSRF_FIELD

HONEYPOT = "website"  # hidden from people by the stylesheet; scripts fill every field
APPLY_PER_HOUR, TRACK_PER_HOUR = 10, 60
MAX_FILES = 3  # an ID scan (both sides) and a power of attorney
RATE_MESSAGE = "来自同一网络地址的提交过于频繁，请一小时后再试。如需帮助，请致电本机关政府信息公开工作机构。"
NOT_FOUND = "查询码或校验号码不正确，请核对后重试（查询码见申请时的回执页面或邮件）。"


class TooLarge(Exception):
    pass


def allowed(request: Request, kind: str, per_hour: int) -> bool:
    """The per-address rate limit, shared by every worker and server on the database."""
    from gongkai.core.requests import online

    with online.counting(request.app.state.office.district_engine) as connection:
        return online.allow_post(connection, kind, client_of(request.scope), per_hour)


def web_setting(office: Any, key: str, default: int) -> int:
    raw = office.config.raw.get("web", {}) if office.config is not None else {}
    value = raw.get(key, default) if isinstance(raw, dict) else default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise GongkaiError(f"gongkai.toml 的 [web] {key} 应为 1 到 100000 之间的整数，现为“{value}”。")
    return value


def public_message(exc: Exception) -> str:
    """A core error as the public reads it: without the command line's option names or commands."""
    text = re.sub(r"（--[a-z-]+）", "", str(exc))
    text = re.sub(r" ?--[a-z][a-z-]+ ?", "", text)
    text = re.sub(r"，?请用 --[a-z-]+[^。]*", "", text)
    return re.sub(r"[^。]*`gongkai[^`]*`[^。]*。", "", text) or "提交的内容有误，请核对后重试。"


def _offices(request: Request) -> list[dict[str, Any]]:
    server = request.app.state.server
    if not server.office.config.district:
        return []
    return server.units()


def _office_for(request: Request, code: str) -> Any:
    server = request.app.state.server
    if not server.office.config.district:
        return request.app.state.office
    if code not in {u["code"] for u in server.units()}:
        raise GongkaiError("请选择受理申请的单位。")
    return server.office_of(code)


def _applicant_types() -> Any:
    from gongkai.core.law.outcomes import APPLICANT_TYPES

    return APPLICANT_TYPES


def _form_page(request: Request, error: str | None = None, values: dict[str, Any] | None = None, status: int = 200) -> Response:
    from gongkai.core.requests.online import ID_TYPES

    office = request.app.state.office
    return render(request, "apply.html", status=status, public=True, error=error, v=values or {},
                  units=_offices(request), applicant_types=_applicant_types(), id_types=ID_TYPES,
                  max_mb=_max_bytes(office) // (1024 * 1024), honeypot=HONEYPOT,
                  extra_fields=office.registry.application_fields)


def _max_bytes(office: Any) -> int:
    from gongkai.core.attachments.store import max_bytes

    return max_bytes(office.config)


def apply_form(request: Request) -> Response:
    return _form_page(request)


def _limited(receive: Any, limit: int) -> Any:
    seen = 0

    async def counted() -> dict[str, Any]:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise TooLarge()
        return message

    return counted


async def read_form(request: Request, limit: int) -> Any:
    """The multipart form, read with the whole body limited to ``limit`` bytes as it arrives."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise TooLarge()
    limited = Request(request.scope, _limited(request.receive, limit))
    try:
        form = await limited.form(max_files=MAX_FILES, max_fields=60)
    except TooLarge:
        raise
    except Exception:  # a malformed or truncated multipart body
        raise GongkaiError("提交的内容无法读取，请返回重新填写。") from None
    sent = str(form.get(CSRF_FIELD) or "")
    expected = str(request.scope["session"].get("csrf") or "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        await form.close()
        raise GongkaiError("表单已失效或缺少安全校验码，未予受理。请返回上一页、刷新后重新提交。")
    return form


def upload_limit(office: Any) -> int:
    """The most a form with files may send: its files at the size limit, and its fields."""
    return _max_bytes(office) * MAX_FILES + 256 * 1024


def _too_large(request: Request, office: Any, page: str) -> Response:
    mb = _max_bytes(office) // (1024 * 1024)
    message = f"提交的文件过大（每个附件不超过 {mb} MB，最多 {MAX_FILES} 个），未予受理。"
    if page == "apply":
        return _form_page(request, message, status=413)
    return render(request, "track.html", status=413, public=True, error=message, view=None)


def _files(form: Any) -> list[Any]:
    return [f for f in form.getlist("attachment") if hasattr(f, "filename") and f.filename]


def _submit(office: Any, values: dict[str, Any], uploads: list[Any]) -> tuple[Any, str, dict[str, Any]]:
    from gongkai.core.attachments import store
    from gongkai.core.records.storage import one_writer, record_event
    from gongkai.core.requests import online
    from gongkai.core.today import today

    # everything that needs no database first (the fields, each file's type, size and SHA-256):
    # the transaction below holds the database's write lock, which every other application awaits
    checked = online.fields(office, values)
    if not uploads:
        raise GongkaiError("请上传申请人身份证明（身份证或营业执照等）的扫描件或照片（PDF、JPEG、PNG）。")
    if checked["agent"] and len(uploads) < 2:
        raise GongkaiError("代理他人申请的，请同时上传申请人的身份证明和授权委托书。")
    limit = store.max_bytes(office.config)
    files = []
    for upload in uploads:
        upload.file.seek(0)
        files.append((upload.file, store.examine(upload.file, kind="application", file_name=upload.filename, limit=limit)))
    # the applications of every thread and worker take turns without SQLite's sleeps
    with one_writer(office.district_engine), office.session() as session:
        row, code = online.submit(session, office, checked)
        for stream, examined in files:
            att = store.store(session, stream, owner_kind=online.KIND, owner_id=row.id, kind="application",
                              file_name=examined.name, limit=limit, on=today(), actor=online.PUBLIC_ACTOR, checked=examined)
            record_event(session, subject_kind=online.KIND, subject_id=row.id, action="attach",
                         actor=online.PUBLIC_ACTOR, after=store.logged(att))
        receipt = {"id": row.id, "code": online.grouped(code), "submitted": row.submitted.isoformat(),
                   "applicant": row.applicant_name, "email": row.email, "unit": office.unit.name}
    return row, code, receipt


def _mailing(office: Any, receipt: dict[str, Any]) -> Any:
    """The receipt's email (where an address was given and [mail] is set), sent once the receipt
    page has gone out (an SMTP server's delays are not the applicant's wait), or None."""
    from gongkai.core.mail import smtp

    if not receipt["email"]:
        return None
    settings = smtp.settings(office.config.raw)
    if not settings.configured:
        return None
    text = (f"{receipt['applicant']}：\n\n您于 {receipt['submitted']} 向{receipt['unit']}提交的政府信息公开申请已收到，"
            f"待本机关确认后以确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条）。\n\n"
            f"查询码：{receipt['code']}\n\n请妥善保存查询码；凭查询码和手机号码（或证件号码）后四位可在本机关网站“申请查询”页面查看办理进度、"
            f"下载告知书。\n\n{receipt['unit']}\n")
    message = smtp.message(settings, [receipt["email"]], "政府信息公开申请回执（查询码）", text)

    def send() -> None:
        try:
            smtp.send(settings, message)
        except GongkaiError as exc:  # the page told the applicant to keep the code either way
            LOG.warning("receipt of online application %s not mailed: %s", receipt["id"], exc)

    return send


async def apply(request: Request) -> Response:
    office = request.app.state.office
    per_hour = web_setting(office, "apply_per_hour", APPLY_PER_HOUR)
    if not await run_in_threadpool(allowed, request, "apply", per_hour):
        return _form_page(request, RATE_MESSAGE, status=429)
    limit = upload_limit(office)
    try:
        form = await read_form(request, limit)
    except TooLarge:
        return _too_large(request, office, "apply")
    except GongkaiError as exc:
        return _form_page(request, str(exc), status=400)
    values = {k: str(v) for k, v in form.multi_items() if isinstance(v, str) and k not in (CSRF_FIELD,)}
    try:
        if values.get(HONEYPOT, "").strip():
            raise GongkaiError("提交未予受理。")
        target = _office_for(request, values.get("unit", ""))
        _row, _code, receipt = await run_in_threadpool(_submit, target, values, _files(form))
    except GongkaiError as exc:
        return _form_page(request, public_message(exc), values, status=400)
    finally:
        await form.close()
    send = _mailing(target, receipt)
    mailed = f"回执邮件将发送至 {receipt['email']}；如未收到，请打印或抄下本页的查询码。" if send else None
    page = render(request, "apply_receipt.html", public=True, receipt=receipt, mailed=mailed)
    if send:
        page.background = BackgroundTask(send)  # run in a worker thread after the page is sent
    return page


# ----------------------------------------------------------------------------------- /track


def track_form(request: Request) -> Response:
    return render(request, "track.html", public=True, view=None)


def _find(request: Request, code: str, check: str, view: bool = False) -> tuple[Any, Any, Any] | None:
    """(the unit's office, the application's id, with ``view`` the applicant's view of it) of a
    code, looked up in every unit of a district server (each the same look-up), or None."""
    from gongkai.core.requests import online, progress
    from gongkai.core.today import today

    server = request.app.state.server
    offices = [server.office_of(u["code"]) for u in server.units()] if server.office.config.district \
        else [request.app.state.office]
    found = None
    for office in offices:
        with office.session() as session:
            row = online.find(session, code, check)
            if row is not None and found is None:  # read in the same transaction as the look-up
                found = (office, row.id, progress.of_application(session, office, row, today()) if view else None)
    return found


def _view(office: Any, application_id: int) -> dict[str, Any]:
    from gongkai.core.requests import online, progress
    from gongkai.core.today import today

    with office.session() as session:
        return progress.of_application(session, office, online.load(session, application_id), today())


RATE_LIMITED = object()


def _look_up(request: Request, code: str, check: str) -> Any:
    """The post counted, the code looked up and, if found, the applicant's view: one trip to a
    worker thread (each trip is a wait for the GIL among the other requests' threads)."""
    per_hour = web_setting(request.app.state.office, "track_per_hour", TRACK_PER_HOUR)
    if not allowed(request, "track", per_hour):
        return RATE_LIMITED
    return _find(request, code, check, view=True)


async def _track_fields(request: Request) -> tuple[str, str, Any]:
    form = await request.form()
    return str(form.get("code") or "")[:100], str(form.get("check") or "")[:40], form


async def _allowed(request: Request) -> bool:
    per_hour = web_setting(request.app.state.office, "track_per_hour", TRACK_PER_HOUR)
    return await run_in_threadpool(allowed, request, "track", per_hour)


async def track(request: Request) -> Response:
    code, check, _form = await _track_fields(request)
    answer = await run_in_threadpool(_look_up, request, code, check)
    if answer is RATE_LIMITED:
        return render(request, "track.html", status=429, public=True, error=RATE_MESSAGE, view=None)
    if answer is None:
        return render(request, "track.html", status=404, public=True, error=NOT_FOUND, view=None)
    return render(request, "track.html", public=True, view=answer[2], code=code, check=check)


def _letter_pdf(office: Any, application_id: int, letter: str) -> tuple[bytes, str]:
    """The letter as PDF (as ``request letter`` / ``request notice`` write it); its first
    download is its delivery online (网上送达), recorded on that day."""
    from gongkai.core.requests import delivery, letters, notices, online, workflow
    from gongkai.core.requests.evidence import NOT_RECORDED
    from gongkai.core.today import today

    with office.session() as session, tempfile.TemporaryDirectory() as tmp:
        row = online.load(session, application_id)
        if row.request_id is None:
            raise GongkaiError("没有可下载的文书。")
        req = workflow.load(session, row.request_id)
        code = delivery.letter_of(letter)
        if code not in delivery.issued(session, req):
            raise GongkaiError("没有可下载的文书。")
        out = Path(tmp) / "letter.pdf"
        if code == "reply":
            letters.write_letter(session, office, req, "pdf", out)
        else:
            # what the office recorded as to be supplemented (request correct --what, the staff page)
            options = {"what": notices.correction_what(session, req) or NOT_RECORDED} if code == "correction" else {}
            notices.write_notice(session, office, req, code, "pdf", out, options)
        if delivery.first(session, req.id, code) is None:
            delivery.deliver(session, office, req, how="online", on=today(), letter=code, actor=online.PUBLIC_ACTOR)
        return out.read_bytes(), f"{delivery.letter_name(code)}.pdf"


async def track_letter(request: Request) -> Response:
    from gongkai.core.web.pages import download

    if not await _allowed(request):
        return render(request, "track.html", status=429, public=True, error=RATE_MESSAGE, view=None)
    code, check, form = await _track_fields(request)
    found = await run_in_threadpool(_find, request, code, check)
    if found is None:
        return render(request, "track.html", status=404, public=True, error=NOT_FOUND, view=None)
    content, name = await run_in_threadpool(_letter_pdf, found[0], found[1], str(form.get("letter") or ""))
    return download(content, name, "application/pdf")


def _supplement(office: Any, application_id: int, text: str, uploads: list[Any]) -> None:
    """The applicant's answer to a 补正 notice: the supplement's day of receipt is today (条例 第三十条)."""
    from gongkai.core.accounts.names import clean_name
    from gongkai.core.records import limits
    from gongkai.core.records.limits import check_text
    from gongkai.core.records.storage import record_event
    from gongkai.core.requests import clock, files, online, workflow
    from gongkai.core.today import today

    with office.session() as session:
        row = online.load(session, application_id)
        req = workflow.load(session, row.request_id) if row.request_id else None
        if req is None or req.state != "correction_pending":
            raise GongkaiError("本申请目前无需补正。")
        if not clean_name(text) and not uploads:
            raise GongkaiError("请填写补正的内容或上传补正材料。")
        check_text(text, limits.SUBJECT_CHARS, "补正内容")
        for upload in uploads:
            upload.file.seek(0)
            files.attach(session, office, req, upload.file, kind="application", file_name=upload.filename, on=today(),
                         actor=online.PUBLIC_ACTOR)
        record_event(session, subject_kind="request", subject_id=req.id, action="supplement", actor=online.PUBLIC_ACTOR,
                     after={"text": text.strip()})
        clock.corrected(session, office, req, today(), actor=online.PUBLIC_ACTOR)


async def track_reply(request: Request) -> Response:
    office = request.app.state.office
    if not await _allowed(request):
        return render(request, "track.html", status=429, public=True, error=RATE_MESSAGE, view=None)
    try:
        form = await read_form(request, upload_limit(office))
    except TooLarge:
        return _too_large(request, office, "track")
    except GongkaiError as exc:
        return render(request, "track.html", status=400, public=True, error=str(exc), view=None)
    try:
        code, check = str(form.get("code") or "")[:100], str(form.get("check") or "")[:40]
        found = await run_in_threadpool(_find, request, code, check)
        if found is None:
            return render(request, "track.html", status=404, public=True, error=NOT_FOUND, view=None)
        try:
            await run_in_threadpool(_supplement, found[0], found[1], str(form.get("text") or ""), _files(form))
        except GongkaiError as exc:
            view = await run_in_threadpool(_view, found[0], found[1])
            return render(request, "track.html", status=400, public=True, error=public_message(exc), view=view,
                          code=code, check=check)
        view = await run_in_threadpool(_view, found[0], found[1])
        return render(request, "track.html", public=True, view=view, code=code, check=check,
                      notice="补正材料已提交，答复期限自今日重新计算。")
    finally:
        await form.close()


routes = [
    Route("/apply", apply_form, methods=["GET"]),
    Route("/apply", apply, methods=["POST"]),
    Route("/track", track_form, methods=["GET"]),
    Route("/track", track, methods=["POST"]),
    Route("/track/letter", track_letter, methods=["POST"]),
    Route("/track/reply", track_reply, methods=["POST"]),
]
