"""Session security for the web app: a signed session cookie with an idle timeout, a CSRF
token checked on every POST, and the security headers on every response.

Pure ASGI middleware (no per-request thread hop). The cookie holds a small JSON object
signed with the unit's secret (itsdangerous); it is HttpOnly, SameSite=Lax, and Secure
whenever the request came over TLS (``scheme == "https"``, which uvicorn's proxy-headers
support sets behind a TLS proxy).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from itsdangerous import BadSignature, TimestampSigner

COOKIE = "gongkai_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"
MAX_FORM_BYTES = 1_000_000  # our forms are short text; anything larger is refused unread

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


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use (every form carries it)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


class SecurityMiddleware:
    """Session cookie (signed, idle timeout), CSRF on POST, security headers.

    ``refuse(scope, message)`` renders the Chinese 403 page for a POST without a valid token.
    """

    def __init__(self, app: ASGIApp, *, secret: str, idle_seconds: int,
                 refuse: Callable[[Scope, str], Awaitable[Any]]) -> None:
        self.app = app
        self.signer = TimestampSigner(secret, salt="gongkai.session")
        self.idle_seconds = idle_seconds
        self.refuse = refuse

    def _load(self, scope: Scope) -> tuple[dict[str, Any], bool]:
        """The session from the cookie, and whether an earlier one timed out."""
        raw = _cookie(scope, COOKIE)
        if not raw:
            return {}, False
        try:
            data = json.loads(base64.urlsafe_b64decode(self.signer.unsign(raw.encode(), max_age=self.idle_seconds)))
        except BadSignature:  # forged, or older than the idle timeout (SignatureExpired)
            return {}, True
        return (data, False) if isinstance(data, dict) else ({}, False)

    def _cookie_header(self, scope: Scope, session: dict[str, Any]) -> bytes:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if scope.get("scheme") == "https" else "")
        if not session:
            return f"{COOKIE}=; Max-Age=0{flags}".encode()
        payload = base64.urlsafe_b64encode(json.dumps(session, separators=(",", ":")).encode())
        # re-signed on every response: the timestamp is the last activity (idle timeout)
        return f"{COOKIE}={self.signer.sign(payload).decode()}{flags}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        session, expired = self._load(scope)
        scope["session"] = session
        scope["session_expired"] = expired
        had_cookie = bool(_cookie(scope, COOKIE))

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [h for h in HEADERS if all(k != h[0] for k, _ in headers)]
                # the server's own time for this request, for operators and the benchmark
                headers.append((b"server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()))
                if scope["session"] or had_cookie:
                    headers.append((b"set-cookie", self._cookie_header(scope, scope["session"])))
                message["headers"] = headers
            await send(message)

        if scope["method"] == "POST":
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
