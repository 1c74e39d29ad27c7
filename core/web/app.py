"""The ASGI application: routes, the signed-in actor, templates and the error pages."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from gongkai.core.errors import GongkaiError
from gongkai.core.records.head_cache import HeadCache
from gongkai.core.web.security import CSRF_FIELD, SecurityMiddleware, csrf_token

HERE = Path(__file__).resolve().parent
SECRET_SETTING = "web.session_secret"
IDLE_MINUTES = 30  # a session unused this long must sign in again
PUBLIC = ("/login", "/healthz", "/static/")

NAV = [  # (path, label)
    ("/todo", "我的待办"), ("/ledger", "台账"), ("/requests/new", "登记申请"), ("/documents", "主动公开"),
    ("/report", "年度报告"), ("/assess", "考核"), ("/rules", "规则"), ("/calendar", "日历"),
]


def templates() -> Jinja2Templates:
    import jinja2

    from gongkai.core.paperwork.render import cn_date

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)  # package files: compiled once per process
    env.filters["cn_date"] = cn_date
    env.globals.update(NAV=NAV, CSRF_FIELD=CSRF_FIELD)
    return Jinja2Templates(env=env)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; every page gets the actor, the CSRF token and the one-time notice."""
    office = request.app.state.office
    session = request.scope["session"]
    context.setdefault("notice", session.pop("notice", None))
    context.setdefault("error", session.pop("error", None))
    return request.app.state.templates.TemplateResponse(
        request, template, {
            "actor": request.scope.get("actor"), "csrf_token": csrf_token(session),
            "unit": office.unit.name, "jurisdiction": office.registry.jurisdiction.display_name, **context,
        }, status_code=status)


# each page's own content (its ``main`` block) as rendered, reused while the unit's records are
# unchanged (see :func:`main_block`): in each worker process
PAGES = HeadCache(256)


def main_block(request: Request, template: str, **context: Any) -> Markup:
    """The ``main`` block of ``template`` rendered alone; ``render(..., main=it)`` puts it in its page.

    For a page whose content depends only on the records and the key it is cached under: the
    block sees ``context`` and no session (no CSRF token, no notice, no actor)."""
    page = request.app.state.templates.env.get_template(template)
    return Markup("".join(page.blocks["main"](page.new_context({"request": request, **context}))))


def forbidden(request: Request, reason: str) -> HTMLResponse:
    return render(request, "forbidden.html", status=403, reason=reason)


def back_to(request: Request, path: str, *, notice: str | None = None, error: str | None = None) -> RedirectResponse:
    """Post/redirect/get: the message shows once on the next page."""
    if notice:
        request.scope["session"]["notice"] = notice
    if error:
        request.scope["session"]["error"] = error
    return RedirectResponse(path, status_code=303)


class SignedIn:
    """Puts the signed-in actor in ``scope["actor"]``; anyone else goes to the login page."""

    def __init__(self, app: Any, office: Any) -> None:
        self.app = app
        self.office = office

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from gongkai.core.accounts.store import load_actor

        name = scope["session"].get("user")
        if scope["path"].startswith(("/static/", "/healthz")):  # no account needed, none looked up
            name = None
        actor = await run_in_threadpool(load_actor, self.office, name) if name else None
        scope["actor"] = actor
        if actor is None and not scope["path"].startswith(PUBLIC):
            if name:  # disabled or deleted since sign-in
                scope["session"].clear()
            target = scope["path"] + (("?" + scope["query_string"].decode("latin-1")) if scope["query_string"] else "")
            expired = "&expired=1" if scope.get("session_expired") else ""
            await RedirectResponse(f"/login?next={quote(target)}{expired}", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


def session_secret(office: Any) -> str:
    """The unit's session-signing secret, made once and kept in the database (every worker shares it)."""
    from gongkai.core.records.storage import get_setting, set_setting

    with office.session() as session:
        secret = get_setting(session, SECRET_SETTING)
        if not secret:
            secret = secrets.token_urlsafe(48)
            set_setting(session, SECRET_SETTING, secret)
    return secret


def create_app(office: Any, *, idle_minutes: int = IDLE_MINUTES) -> Starlette:
    """The web app for the unit ``office`` (a :class:`gongkai.core.app.App`)."""
    from gongkai.core.web import documents_views, pages, request_views, session_views

    routes = [
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        *session_views.routes, *pages.routes, *request_views.routes, *documents_views.routes,
    ]
    app = Starlette(routes=routes, exception_handlers={GongkaiError: _error_page, 404: _not_found})
    app.state.office = office
    app.state.templates = templates()
    for name in app.state.templates.env.list_templates():  # compiled now, not while the first users wait
        app.state.templates.env.get_template(name)
    office.sync_calendar()  # dates as on the newest holiday schedule before the first page

    async def refuse(scope: dict[str, Any], message: str) -> Response:
        request = Request(scope)
        scope.setdefault("actor", None)
        return forbidden(request, message)

    app.add_middleware(SignedIn, office=office)
    app.add_middleware(SecurityMiddleware, secret=session_secret(office), idle_seconds=idle_minutes * 60,
                       refuse=refuse)
    from gongkai.core.web.tls import StrictTransport

    app.add_middleware(StrictTransport)
    return app


def settled(app: Starlette) -> Starlette:
    """``app`` for a serving process: what start-up made (the rules, the templates, SQLAlchemy's
    mappers: some 85,000 objects) is moved out of the garbage collector's sight, so that a full
    collection walks only what the requests leave behind, instead of some 90 ms of walking
    while every request on the worker waits (the long tail of the pages' times under load)."""
    import gc

    gc.collect()
    gc.freeze()
    return app


APP_ENV = "GONGKAI_WEB_APP"  # the unit a worker process of `gongkai serve --workers N` opens (App's arguments, JSON)


def from_environment() -> Starlette:
    """The app of one worker process of ``gongkai serve --workers N``."""
    import json
    import os

    from gongkai.core.app import App

    return settled(create_app(App(**json.loads(os.environ[APP_ENV]))))


async def _error_page(request: Request, exc: Exception) -> Response:
    from gongkai.core.accounts.permissions import Forbidden

    if isinstance(exc, Forbidden):
        return forbidden(request, str(exc))
    return render(request, "error.html", status=400, message=str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", status=404, message="没有这个页面或记录。")
