"""Signing in and out (the five-failure lock is core's: :func:`gongkai.core.accounts.login.authenticate`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gongkai.core.web.app import render


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere`` or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/todo"


async def login_page(request: Request) -> Response:
    if request.scope.get("actor") is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    notice = "登录已超时，请重新登录。" if request.query_params.get("expired") else None
    return render(request, "login.html", next=_safe_next(request.query_params.get("next")), login_name="", notice=notice)


async def login(request: Request) -> Response:
    from gongkai.core.accounts.login import LoginRefused, authenticate

    form = await request.form()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    try:
        actor = await run_in_threadpool(authenticate, request.app.state.office, name, password)
    except LoginRefused as exc:
        return render(request, "login.html", status=401, next=target, login_name=name, error=str(exc))
    session = request.scope["session"]
    session.clear()  # a fresh session (and CSRF token) on every sign-in
    session["user"] = actor.name
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    request.scope["session"].clear()
    request.scope["session"]["notice"] = "已退出登录。"
    return RedirectResponse("/login", status_code=303)


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
