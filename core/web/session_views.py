"""Signing in and out (the five-failure lock is core's: :func:`gongkai.core.accounts.login.authenticate`;
the session a row: :mod:`gongkai.core.accounts.sessions`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gongkai.core.web.app import client_of, render
from gongkai.core.web.security import sign_in, sign_out


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere`` or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/todo"


async def login_page(request: Request) -> Response:
    if request.scope.get("actor") is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    params = request.query_params
    notice = ("登录已超时，请重新登录。" if params.get("expired") else "已退出登录。" if params.get("out")
              else "密码已修改，请用新密码重新登录。" if params.get("changed") else None)
    return render(request, "login.html", next=_safe_next(params.get("next")), login_name="", notice=notice)


async def login(request: Request) -> Response:
    from gongkai.core.accounts.login import LoginRefused, sign_in as authenticate

    form = await request.form()
    name, password = str(form.get("name", "")).strip()[:200], str(form.get("password", ""))[:1000]
    code = str(form.get("code", "")).strip()[:20]
    target = _safe_next(str(form.get("next", "")))
    server = request.app.state.server
    try:
        _, _, key = await run_in_threadpool(authenticate, server.office, server.office_of, name, password,
                                            client_of(request.scope), None, code)
    except LoginRefused as exc:
        return render(request, "login.html", status=401, next=target, login_name=name, error=str(exc))
    if request.scope.get("session_key"):  # signed in again over a live session: that one ends
        await run_in_threadpool(server.end_session, request.scope["session_key"], "logout", client_of(request.scope))
    sign_in(request.scope, key)  # a new session key and CSRF token at every sign-in (Django's cycle_key)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    key = request.scope.get("session_key")
    if key:
        await run_in_threadpool(request.app.state.server.end_session, key, "logout", client_of(request.scope))
    request.scope["session"].clear()
    sign_out(request.scope)
    return RedirectResponse("/login?out=1", status_code=303)


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
