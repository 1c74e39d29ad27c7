"""主动公开: the documents, the publication register, a document's review steps and its 审批表."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError
from gongkai.core.web.app import back_to, render
from gongkai.core.web.pages import download, need, today
from gongkai.core.web.request_views import Form, html_body


def documents(request: Request) -> Response:
    from gongkai.core.documents.register import register_rows
    from gongkai.core.documents.workflow import list_documents

    need(request, "view")
    office = request.app.state.office
    with office.session() as session:
        rows = list_documents(session, office.registry, office.calendar, today=today(),
                              overdue=request.query_params.get("overdue") == "1", due_within=None)
        register = register_rows(session)
    return render(request, "documents.html", rows=rows, register=register)


def _form_html(session: Any, office: Any, doc: Any) -> str:
    from gongkai.core.documents.forms import render_form

    with tempfile.TemporaryDirectory() as tmp:
        return render_form(session, office.registry, office.calendar, doc, office.unit.name, "html",
                           Path(tmp) / "form.html").read_text(encoding="utf-8")


def document(request: Request) -> Response:
    from gongkai.core.accounts.permissions import allowed, document_record
    from gongkai.core.attachments.store import DOCUMENT_KINDS, KINDS, max_bytes
    from gongkai.core.documents.files import of_documents, shown
    from gongkai.core.documents.workflow import document_json, get_document

    actor = need(request, "view")
    office = request.app.state.office
    with office.session() as session:
        doc = get_document(session, int(request.path_params["document_id"]))
        data = document_json(session, office.registry, office.calendar, doc)
        record = document_record(session, office.registry, doc)
        waiting = next((s for s in data["review_steps"] if not s["done"]), None)
        decision = allowed(actor, f"document.review:{waiting['id']}", record) if waiting else None
        cosigns = [s for s in data["review_steps"] + data["confidentiality_reviews"] if _awaits_cosign(s)
                   and allowed(actor, f"document.review:{s['id']}.head", record)]
        form = html_body(_form_html(session, office, doc))
        attached = [shown(r, doc.id) for r in of_documents(session, [doc.id]).get(doc.id, [])]
        can_attach = allowed(actor, "document.attach", record) and doc.repealed is None
    return render(request, "document.html", d=data, waiting=waiting, decision=decision, form=form,
                  cosigns=cosigns, today=today().isoformat(), files=attached, can_attach=can_attach,
                  file_kinds=[KINDS[k] for k in DOCUMENT_KINDS], attach_mb=max_bytes(office.config) // (1024 * 1024))


def _awaits_cosign(step: dict[str, Any]) -> bool:
    """An approved step whose role names a second signer who has not signed yet."""
    return step["decision"] == "approve" and not step["head"] and len([r for r in step["role"].split("、") if r.strip()]) > 1


def _review(office: Any, actor: Any, document_id: int, f: Form) -> str:
    from gongkai.core.accounts.permissions import document_record, require, signing_capacity
    from gongkai.core.documents.workflow import get_document, review_document

    with office.session() as session:
        doc = get_document(session, document_id)
        step = f.text("step")
        require(actor, f"document.review:{step}", document_record(session, office.registry, doc))
        review_document(session, office.registry, doc, step_id=step, by=actor.name, decision=f.text("decision"),
                        on=f.day("on", "审核日期", False) or today(), opinion=f.text("opinion"),
                        basis=f.text("basis"), checks=tuple(f.data.getlist("check")),
                        comment=f.text("comment"),  # the second signer signs in their own name (cosign)
                        capacity=signing_capacity(office.registry, step, actor.roles))
    return f"已记录审核：{step}"


def _cosign(office: Any, actor: Any, document_id: int, f: Form) -> str:
    from gongkai.core.accounts.permissions import document_record, require
    from gongkai.core.documents.workflow import cosign_document, get_document

    with office.session() as session:
        doc = get_document(session, document_id)
        step = f.text("step")
        require(actor, f"document.review:{step}.head", document_record(session, office.registry, doc))
        cosign_document(session, office.registry, doc, step_id=step, head=actor.name)
    return "已签字"


async def review(request: Request) -> Response:
    return await _signing(request, _review)


async def cosign(request: Request) -> Response:
    return await _signing(request, _cosign)


async def _signing(request: Request, run: Any) -> Response:
    from gongkai.core.accounts.permissions import Forbidden

    document_id = int(request.path_params["document_id"])
    form = Form(await request.form())
    try:
        done = await run_in_threadpool(run, request.app.state.office, request.scope["actor"], document_id, form)
    except GongkaiError as exc:
        if isinstance(exc, Forbidden):
            raise
        return back_to(request, f"/documents/{document_id}", error=str(exc))
    return back_to(request, f"/documents/{document_id}", notice=done)


def approval_form(request: Request) -> Response:
    """The document's 审批表 as .docx, as ``gongkai document form`` writes it."""
    from gongkai.core.documents.forms import render_form
    from gongkai.core.documents.workflow import get_document

    need(request, "view")
    office = request.app.state.office
    with office.session() as session, tempfile.TemporaryDirectory() as tmp:
        doc = get_document(session, int(request.path_params["document_id"]))
        content = render_form(session, office.registry, office.calendar, doc, office.unit.name, "docx",
                              Path(tmp) / "form.docx").read_bytes()
        name = f"审批表-{doc.id}-{doc.title}.docx"
    return download(content, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _attach(office: Any, actor: Any, document_id: int, f: Form) -> str:
    """附加文件 (正文, 解读材料): the same core step as ``gongkai document attach --file --kind``."""
    from gongkai.core.accounts.permissions import document_record, require
    from gongkai.core.attachments.store import KINDS
    from gongkai.core.documents import files
    from gongkai.core.documents.workflow import get_document

    with office.session() as session:
        doc = get_document(session, document_id)
        require(actor, "document.attach", document_record(session, office.registry, doc))
        upload = f.data.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            raise GongkaiError("请选择要上传的文件。")
        upload.file.seek(0)
        row = files.attach(session, office.registry, office.config, doc, upload.file, kind=f.text("kind"),
                           file_name=upload.filename, on=f.day("on", "报送日期", False) or today(), by=actor.name)
        return f"已附加文件：{row.file_name}（{KINDS[row.kind].label}）"


async def attach(request: Request) -> Response:
    """A document's file from the browser: streamed in, its CSRF field checked as it is read."""
    from gongkai.core.accounts.permissions import Forbidden
    from gongkai.core.attachments.store import max_bytes
    from gongkai.core.web.apply_views import TooLarge, read_form, upload_limit

    document_id = int(request.path_params["document_id"])
    office = request.app.state.office
    back = f"/documents/{document_id}"
    if not request.scope.get("csrf_by_view"):
        return back_to(request, back, error="请选择要上传的文件。")
    try:
        form = Form(await read_form(request, upload_limit(office)))
        done = await run_in_threadpool(_attach, office, request.scope["actor"], document_id, form)
    except TooLarge:
        return back_to(request, back, error=f"上传的文件过大（每个文件不超过 {max_bytes(office.config) // (1024 * 1024)} MB），未予受理。")
    except GongkaiError as exc:
        if isinstance(exc, Forbidden):
            raise
        return back_to(request, back, error=str(exc))
    return back_to(request, back, notice=done)


def _file(office: Any, document_id: int, file_id: int) -> tuple[str, str]:
    from gongkai.core.attachments import store
    from gongkai.core.documents.models import OWNER

    with office.session() as session:
        row = store.get(session, file_id, OWNER, [document_id])
        return row.file_name, row.media_type


def document_file(request: Request) -> Response:
    """A document's file for staff who may read it (published or not), streamed a chunk at a time."""
    from urllib.parse import quote

    from starlette.responses import StreamingResponse

    from gongkai.core.attachments import store
    from gongkai.core.documents.models import OWNER

    need(request, "view")
    office = request.app.state.office
    document_id, file_id = int(request.path_params["document_id"]), int(request.path_params["file_id"])
    name, mime = _file(office, document_id, file_id)

    def chunks() -> Any:
        with office.session() as session:
            yield from store.read(session, store.get(session, file_id, OWNER, [document_id]))

    return StreamingResponse(chunks(), media_type=mime,
                             headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


routes = [
    Route("/documents", documents),
    Route("/documents/{document_id:int}/attach", attach, methods=["POST"]),
    Route("/documents/{document_id:int}/files/{file_id:int}", document_file),
    Route("/documents/{document_id:int}", document),
    Route("/documents/{document_id:int}/review", review, methods=["POST"]),
    Route("/documents/{document_id:int}/cosign", cosign, methods=["POST"]),
    Route("/documents/{document_id:int}/form.docx", approval_form),
]
