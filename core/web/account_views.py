"""The signed-in account's own pages: changing one's password; the unit's login history (its
administrator)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError
from gongkai.core.web.app import render
from gongkai.core.web.pages import need
from gongkai.core.web.security import sign_out


async def password_page(request: Request) -> Response:
    need(request, "view")
    return render(request, "password.html")


def _change(office: Any, name: str, current: str, new: str, again: str) -> None:
    from gongkai.core.accounts import store

    if new != again:
        raise GongkaiError("两次输入的新密码不一致，密码未修改。")
    with office.session() as session:
        store.change_own_password(session, name, current, new)


async def change_password(request: Request) -> Response:
    actor = need(request, "view")
    form = await request.form()
    fields = [str(form.get(k, ""))[:1000] for k in ("current", "new", "again")]
    try:
        await run_in_threadpool(_change, request.app.state.office, actor.name, *fields)
    except GongkaiError as exc:
        return render(request, "password.html", status=400, error=str(exc))
    # every session of the account has ended with the old password, this one too
    request.scope["session"].clear()
    sign_out(request.scope)
    return RedirectResponse("/login?changed=1", status_code=303)


def _history(office: Any) -> list[dict[str, Any]]:
    from gongkai.core.accounts import sessions

    with office.session() as session:
        return sessions.history(session, office.unit.code)


async def logins(request: Request) -> Response:
    need(request, "user.manage")
    rows = await run_in_threadpool(_history, request.app.state.office)
    return render(request, "logins.html", rows=rows)


def _district_reader(request: Request) -> None:
    from gongkai.core.accounts.permissions import Forbidden

    need(request, "view")
    if not request.scope.get("district_reader"):
        raise Forbidden("只有“区政务公开办”角色的账户可以查看各单位的记录。")


async def units(request: Request) -> Response:
    """区政务公开办: every unit of the database, to read one (signing nothing there)."""
    _district_reader(request)
    rows = await run_in_threadpool(request.app.state.server.units)
    return render(request, "units.html", units=rows, current=request.app.state.office.unit.code)


async def view_unit(request: Request) -> Response:
    _district_reader(request)
    form = await request.form()
    code = str(form.get("code", "")).strip()[:40]
    await run_in_threadpool(request.app.state.server.view_unit, request.scope["session_key"], code)
    return RedirectResponse("/ledger", status_code=303)


routes = [
    Route("/units", units, methods=["GET"]),
    Route("/units/view", view_unit, methods=["POST"]),
    Route("/account/password", password_page, methods=["GET"]),
    Route("/account/password", change_password, methods=["POST"]),
    Route("/account/logins", logins, methods=["GET"]),
]
