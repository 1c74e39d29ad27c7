"""Behind a TLS reverse proxy (docs/deploy.md): HSTS on every response that went out over TLS.

Whether a request came over TLS is ``scope["scheme"]``: uvicorn's proxy-headers support sets it
from ``X-Forwarded-Proto``, but only for a connection from an address ``gongkai serve
--trusted-proxy`` names (the proxy's), so a client elsewhere cannot claim HTTPS. HSTS is sent
over TLS only: sent over plain HTTP it means nothing (RFC 6797 section 7.2).
"""

from __future__ import annotations

from typing import Any

HSTS = (b"strict-transport-security", b"max-age=31536000")  # a year: browsers then refuse plain HTTP to this host


class StrictTransport:
    """Adds HSTS to the responses of requests that arrived over TLS."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_hsts(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), HSTS]
            await send(message)

        await self.app(scope, receive, send_hsts)


def trusted_proxies(text: str) -> str:
    """``--trusted-proxy``: comma-separated addresses or networks whose ``X-Forwarded-*``
    headers are believed; anything else (``*`` included: anyone could claim HTTPS) refused in words."""
    import ipaddress

    from gongkai.core.errors import GongkaiError

    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise GongkaiError("--trusted-proxy 为空：请写反向代理的地址，如 127.0.0.1。")
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise GongkaiError(f"--trusted-proxy 中的“{item}”不是 IP 地址或网段：请写反向代理的地址，如 127.0.0.1 或 "
                               "10.0.0.5（多个用逗号分隔）。不能写 *：那样任何人都可以冒充 HTTPS 和来源地址。") from None
    return ",".join(items)
