"""The ASGI application: routes, the signed-in actor, templates and the error pages."""

from __future__ import annotations

import json
import logging
import threading
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
from gongkai.core.web.security import CSRF_FIELD, csrf_token

HERE = Path(__file__).resolve().parent
PUBLIC = ("/login", "/healthz", "/static/", "/apply", "/track")  # the applicant's pages need no login

NAV = [  # (path, label)
    ("/todo", "我的待办"), ("/pending", "待确认"), ("/ledger", "台账"), ("/requests/new", "登记申请"), ("/documents", "主动公开"),
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
    from gongkai.core.web.words import for_people

    context.setdefault("notice", session.pop("notice", None))
    context.setdefault("error", session.pop("error", None))
    # what core says for both interfaces, in the web's words (no command, option or code)
    context["error"] = for_people(context["error"])
    for key in ("message", "reason"):
        if isinstance(context.get(key), str):
            context[key] = for_people(context[key], hint="")
    return request.app.state.templates.TemplateResponse(
        request, template, {
            "actor": request.scope.get("actor"), "csrf_token": csrf_token(session),
            "district_reader": request.scope.get("district_reader", False),
            "unit": office_title(request), "jurisdiction": office.registry.jurisdiction.display_name, **context,
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


def office_title(request: Request) -> str:
    """The unit named at the top of the page: the session's; before sign-in, the server's."""
    if request.scope.get("actor") is not None:
        return str(request.app.state.office.unit.name)
    return str(request.app.state.server.title)


class Server:
    """The district's server: one app per unit, each bound to its unit's records, built the
    first time a session of that unit comes; the session's unit, never the server's, chooses
    which one answers a request."""

    def __init__(self, office: Any, limits: Any) -> None:
        self.office = office
        self.limits = limits
        self.templates = templates()
        for name in self.templates.env.list_templates():  # compiled now, not while the first users wait
            self.templates.env.get_template(name)
        self.home_code, self.title = self._home()
        self._apps: dict[str, Starlette] = {}
        self._lock = threading.Lock()

    def _home(self) -> tuple[str, str]:
        """The unit that answers before sign-in (the login page): the server's chosen unit, else
        the first; and the name the pages show before sign-in."""
        from sqlmodel import select

        from gongkai.core.records.units import Unit

        if not self.office.config.district:
            return self.office.unit.code, self.office.unit.name
        with self.office.district_session() as session:
            units = session.exec(select(Unit).order_by(Unit.id)).all()
        chosen = self.office.chosen_unit()
        code = next((u.code for u in units if u.code == chosen), units[0].code if units else "")
        if not code:
            raise GongkaiError("区级数据库中尚无单位：请先在命令行新增单位（unit add）。")
        return code, self.office.registry.jurisdiction.display_name

    def public_pages(self) -> Any:
        """The public disclosure pages (``/gk/``, :mod:`gongkai.core.web.public_views`), built once."""
        if getattr(self, "_public", None) is None:
            from gongkai.core.web.public_views import public_app

            self._public = public_app(self)
        return self._public

    def office_of(self, code: str) -> Any:
        return self.app_of(code).state.office

    def app_of(self, code: str) -> Starlette:
        """The app of unit ``code`` (built once per process)."""
        app = self._apps.get(code)
        if app is None:
            with self._lock:
                app = self._apps.get(code)
                if app is None:
                    office = self.office if code == self._code(self.office) else self.office.sibling(code)
                    app = self._apps[code] = unit_app(self, office)
        return app

    @staticmethod
    def _code(office: Any) -> str | None:
        try:
            return str(office.unit.code)
        except GongkaiError:  # a district server started without a unit
            return None

    def load_session(self, key: str) -> dict[str, Any] | None:
        from gongkai.core.accounts import sessions

        with self.office.district_session() as session:
            row = sessions.find(session, key, self.limits)
            if row is None:
                return None
            return {"user": row.account_name, "unit": row.unit_code, "viewing": row.viewing_code, "csrf": row.csrf,
                    **json.loads(row.flash or "{}")}

    def save_flash(self, key: str, flash: dict[str, str]) -> None:
        from gongkai.core.accounts import sessions

        with self.office.district_session() as session:
            sessions.save_flash(session, key, flash)

    def view_unit(self, key: str, code: str) -> None:
        from gongkai.core.accounts import sessions
        from gongkai.core.units.store import get_unit

        with self.office.district_session() as session:
            get_unit(session, code)  # a unit of this database, or a Chinese refusal
            sessions.view_unit(session, key, code)

    def units(self) -> list[dict[str, Any]]:
        from gongkai.core.units.store import all_units

        with self.office.district_session() as session:
            return [{"code": u.code, "name": u.name} for u in all_units(session)]

    def end_session(self, key: str, kind: str, client: str) -> None:
        from gongkai.core.accounts import sessions

        with self.office.district_session() as session:
            row = sessions.end(session, key)
            if row is not None:
                sessions.record(session, kind, row.account_name, row.unit_code, client)

    def refused(self, scope: dict[str, Any], status: int) -> None:
        """A signed-in session refused a page or a record (another unit's, or beyond its roles):
        in the login history, and in the server's log, naming the unit with the account."""
        from gongkai.core.accounts import sessions

        session = scope["session"]
        what = f"{scope['method']} {scope['path']}"[:250]
        LOG.warning("refused %s: %s/%s from %s (%s)", what, session.get("unit"), session.get("user"),
                    client_of(scope), status)
        with self.office.district_session() as db:
            sessions.record(db, "refused", session.get("user", ""), session.get("unit", ""), client_of(scope),
                            f"{status} {what}")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Puts the signed-in actor in ``scope["actor"]`` and hands the request to the app of
        the session's unit; anyone not signed in goes to the login page."""
        if scope["type"] != "http":
            await self.app_of(self.home_code)(scope, receive, send)
            return
        if scope["path"] == "/gk" or scope["path"].startswith("/gk/"):  # the public pages: no sign-in
            await self.public_pages()(scope, receive, send)
            return
        from gongkai.core.accounts.store import load_actor

        session = scope["session"]
        name, code = session.get("user"), session.get("unit")
        actor = None
        if name and code and not scope["path"].startswith(("/static/", "/healthz")):
            unit = await run_in_threadpool(self.app_of, code)
            actor = await run_in_threadpool(load_actor, unit.state.office, name)
            if actor is None:  # disabled or deleted since sign-in: the session ends
                await run_in_threadpool(self.end_session, scope["session_key"], "ended", client_of(scope))
                session.clear()
                scope["session_key"] = None
                from gongkai.core.web.security import sign_out

                sign_out(scope)
        viewing = session.get("viewing")
        if actor is not None and viewing and viewing != code:  # 区政务公开办 reading another unit
            from gongkai.core.accounts.roles import catalogue
            from gongkai.core.accounts.store import reader

            scope["district_reader"] = True
            other = await run_in_threadpool(self.app_of, viewing)
            actor, code = reader(actor, catalogue(other.state.office.registry)), viewing
        elif actor is not None:
            from gongkai.core.accounts.roles import DISTRICT_OFFICE

            scope["district_reader"] = DISTRICT_OFFICE in actor.roles
        scope["actor"] = actor
        app = self.app_of(code) if actor is not None else self.app_of(self.home_code)
        if actor is None and not scope["path"].startswith(PUBLIC):
            target = scope["path"] + (("?" + scope["query_string"].decode("latin-1")) if scope["query_string"] else "")
            expired = "&expired=1" if scope.get("session_expired") else ""
            await RedirectResponse(f"/login?next={quote(target)}{expired}", status_code=303)(scope, receive, send)
            return
        if _huge_number(scope["path"]):  # no id is this long: not found, not a 500 from the database
            scope["app"] = app
            response = await _not_found(Request(scope), None)  # type: ignore[arg-type]
            await response(scope, receive, send)
            return
        status: list[int] = []

        async def noting(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await app(scope, receive, noting)
        if actor is not None and status and (status[0] == 403 or status[0] == 404 and _names_a_record(scope["path"])):
            await run_in_threadpool(self.refused, scope, status[0])


LOG = logging.getLogger("uvicorn.error.gongkai")
MAX_ID = 2 ** 31 - 1  # the largest id the tables' INTEGER keys hold (PostgreSQL's int4)


def _huge_number(path: str) -> bool:
    return any(part.isdigit() and (len(part) > 10 or int(part) > MAX_ID) for part in path.split("/"))


def _names_a_record(path: str) -> bool:
    """A path with an id in it (``/requests/12``): a miss there is worth logging, a favicon's is not."""
    return any(part.isdigit() for part in path.split("/"))


def client_of(scope: dict[str, Any]) -> str:
    """The client's address (behind the TLS proxy: the one it forwarded, uvicorn's proxy headers)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


def unit_app(server: Server, office: Any) -> Starlette:
    """The pages of one unit, on ``office`` (bound to that unit's records)."""
    from gongkai.core.web import account_views, documents_views, apply_views, pages, request_views, session_views

    routes = [
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        *session_views.routes, *account_views.routes, *pages.routes, *request_views.routes, *documents_views.routes,
        *apply_views.routes,
    ]
    app = Starlette(routes=routes, exception_handlers={GongkaiError: _error_page, 404: _not_found})
    app.state.office = office
    app.state.server = server
    app.state.templates = server.templates
    return app


def create_app(office: Any, *, idle_minutes: int | None = None) -> Any:
    """The web app of the database ``office`` opens (a :class:`gongkai.core.app.App`): every
    unit's, each session seeing its own unit's records only."""
    from gongkai.core.accounts.sessions import settings
    from gongkai.core.web.security import SecurityMiddleware
    from gongkai.core.web.tls import StrictTransport

    limits = settings(office.config)
    if idle_minutes is not None:
        limits = type(limits)(idle_minutes, limits.lifetime_hours)
    office.sync_calendar()  # dates as on the newest holiday schedule before the first page
    server = Server(office, limits)

    async def refuse(scope: dict[str, Any], message: str) -> Response:
        scope.setdefault("actor", None)
        scope["app"] = server.app_of(scope["session"].get("unit") or server.home_code)
        return forbidden(Request(scope), message)

    async def load(scope: dict[str, Any], key: str) -> dict[str, Any] | None:
        return await run_in_threadpool(server.load_session, key)

    async def save(key: str, flash: dict[str, str]) -> None:
        await run_in_threadpool(server.save_flash, key, flash)

    front = StrictTransport(SecurityMiddleware(server, load=load, save=save, refuse=refuse))
    front.server = server  # type: ignore[attr-defined]
    return front


def settled(app: Any) -> Any:
    """``app`` for a serving process: what start-up made (the rules, the templates, SQLAlchemy's
    mappers: some 85,000 objects) is moved out of the garbage collector's sight, so that a full
    collection walks only what the requests leave behind, instead of some 90 ms of walking
    while every request on the worker waits (the long tail of the pages' times under load)."""
    import gc

    from gongkai.core.records.storage import import_models

    # every table's model mapped now, not by the first write's record digests (some 0.1 s of
    # imports while that write holds the database's write lock)
    import_models()
    gc.collect()
    gc.freeze()
    return app


APP_ENV = "GONGKAI_WEB_APP"  # the unit a worker process of `gongkai serve --workers N` opens (App's arguments, JSON)


def from_environment() -> Any:
    """The app of one worker process of ``gongkai serve --workers N``."""
    import json
    import os

    from gongkai.core.app import App

    return settled(create_app(App(**json.loads(os.environ[APP_ENV]))))


async def _error_page(request: Request, exc: Exception) -> Response:
    from gongkai.core.accounts.permissions import Forbidden
    from gongkai.core.errors import NotFound

    if isinstance(exc, Forbidden):
        return forbidden(request, str(exc))
    if isinstance(exc, NotFound):
        return render(request, "error.html", status=404, message=str(exc))
    return render(request, "error.html", status=400, message=str(exc))


async def _not_found(request: Request, exc: Exception | None) -> Response:
    return render(request, "error.html", status=404, message="没有这个页面或记录。")
