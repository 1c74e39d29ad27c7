"""Session security for the web app: a server-side session behind a random cookie, a CSRF
token checked on every POST, and the security headers on every response.

Pure ASGI middleware (no per-request thread hop but the session's one look-up). The session
cookie holds only a random key; what the session is (its account, its unit, its CSRF token)
is a row in the database (:mod:`gongkai.core.accounts.sessions`), so ending the row ends the
session whatever copies of the cookie exist. Before sign-in the login form's CSRF token is
a random cookie of its own, matched against the form (double submit). Cookies are HttpOnly,
SameSite=Lax, and Secure whenever the request came over TLS (``scheme == "https"``, which
uvicorn's proxy-headers support sets behind a TLS proxy).
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

COOKIE = "gongkai_session"
CSRF_COOKIE = "gongkai_csrf"  # the login form's token, before there is a session
CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"
MAX_FORM_BYTES = 1_000_000  # our forms are short text; anything larger is refused unread
FLASH = ("notice", "error")  # one-time messages of the next page, kept with the session
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
# the public's uploads (multipart): read by their view as they arrive, with the size limit of
# attachments and the CSRF field checked there (core/web/apply_views.py), not whole here
STREAMED = re.compile(r"/apply|/track/reply|/requests/\d{1,10}/(?:deliver|attach)|/documents/\d{1,10}/attach")

HEADERS = [
    # no inline script anywhere: htmx is a static file, its behaviour is in attributes
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Load = Callable[[Scope, str], Awaitable[dict[str, Any] | None]]
Save = Callable[[str, dict[str, str]], Awaitable[None]]


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token (every form carries it)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def sign_in(scope: Scope, key: str) -> None:
    """The response to this request sets the new session's cookie (a new key at every login)."""
    scope["session_key_new"] = key


def sign_out(scope: Scope) -> None:
    """The response to this request removes the session cookie."""
    scope["session_ended"] = True


class SecurityMiddleware:
    """Server-side session, CSRF on POST, security headers.

    ``load(scope, key)`` gives the live session of a cookie's key (a dict with ``csrf`` and the
    flash messages), or None if it has ended or timed out; ``save(key, flash)`` keeps a changed
    one-time message; ``refuse(scope, message)`` renders the Chinese 403 page for a POST without
    a valid token.
    """

    def __init__(self, app: ASGIApp, *, load: Load, save: Save, refuse: Callable[[Scope, str], Awaitable[Any]]) -> None:
        self.app = app
        self.load = load
        self.save = save
        self.refuse = refuse

    def _cookie_header(self, scope: Scope, name: str, value: str | None) -> bytes:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if scope.get("scheme") == "https" else "")
        if value is None:
            return f"{name}=; Max-Age=0{flags}".encode()
        return f"{name}={value}{flags}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        key = _cookie(scope, COOKIE)
        if key and not _TOKEN.fullmatch(key):
            key = ""
        stored = await self.load(scope, key) if key else None
        new_csrf = None
        if stored is None:  # not signed in: the login form's own token
            csrf = _cookie(scope, CSRF_COOKIE)
            if not _TOKEN.fullmatch(csrf or ""):
                csrf = new_csrf = secrets.token_urlsafe(32)
            stored = {"csrf": csrf}
            scope["session_key"] = None
        else:
            scope["session_key"] = key
        session = dict(stored)
        scope["session"] = session
        scope["session_expired"] = bool(_cookie(scope, COOKIE)) and scope["session_key"] is None

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [h for h in HEADERS if all(k != h[0] for k, _ in headers)]
                # the server's own time for this request, for operators and the benchmark
                headers.append((b"server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()))
                if scope.get("session_key_new"):
                    headers.append((b"set-cookie", self._cookie_header(scope, COOKIE, scope["session_key_new"])))
                elif scope.get("session_ended") or scope["session_expired"]:
                    headers.append((b"set-cookie", self._cookie_header(scope, COOKIE, None)))
                if new_csrf and not scope.get("session_key_new"):
                    headers.append((b"set-cookie", self._cookie_header(scope, CSRF_COOKIE, new_csrf)))
                flash = {k: scope["session"][k] for k in FLASH if scope["session"].get(k)}
                if scope["session_key"] and not scope.get("session_ended") and flash != {
                        k: stored[k] for k in FLASH if stored.get(k)}:
                    await self.save(scope["session_key"], flash)
                message["headers"] = headers
            await send(message)

        if scope["method"] == "POST" and STREAMED.fullmatch(scope["path"]) and _multipart(scope):
            scope["csrf_by_view"] = True
        elif scope["method"] == "POST":
            body = await _read_body(receive)
            if body is None:
                await self.refuse_with(scope, send_secured, "提交的内容过大，未予受理。")
                return
            if not _csrf_ok(scope, body, session):
                await self.refuse_with(scope, send_secured,
                                       "表单已失效或缺少安全校验码（CSRF），未予受理。请返回上一页、刷新后重新提交。")
                return
            receive = _replay(body)
        await self.app(scope, receive, send_secured)

    async def refuse_with(self, scope: Scope, send: Send, message: str) -> None:
        response = await self.refuse(scope, message)
        await response(scope, _no_body, send)


def _multipart(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return value.split(b";")[0].strip().lower() == b"multipart/form-data"
    return False


def _cookie(scope: Scope, name: str) -> str:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookie
                return ""
            if name in jar:
                return jar[name].value
    return ""


async def _read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _csrf_ok(scope: Scope, body: bytes, session: dict[str, Any]) -> bool:
    expected = session.get("csrf")
    if not expected:
        return False
    sent = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == CSRF_HEADER), None)
    if sent is None:
        try:
            sent = parse_qs(body.decode("utf-8"), max_num_fields=500).get(CSRF_FIELD, [""])[0]
        except (UnicodeDecodeError, ValueError):
            return False
    return hmac.compare_digest(sent.encode(), str(expected).encode())


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}
