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
    return render(request, "document.html", d=data, waiting=waiting, decision=decision, form=form,
                  cosigns=cosigns, today=today().isoformat())


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


routes = [
    Route("/documents", documents),
    Route("/documents/{document_id:int}", document),
    Route("/documents/{document_id:int}/review", review, methods=["POST"]),
    Route("/documents/{document_id:int}/cosign", cosign, methods=["POST"]),
    Route("/documents/{document_id:int}/form.docx", approval_form),
]
