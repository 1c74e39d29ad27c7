"""``gongkai serve`` behind Debian's nginx as a TLS reverse proxy (issue 33 item 9, docs/deploy.md):
the session cookie is Secure and HSTS is sent over TLS; the forwarded headers are believed
only from the proxy's address, so a direct request claiming ``X-Forwarded-Proto: https`` from
elsewhere gets neither."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse

import pytest
from web_support import PASSWORD, Server, free_port, make_unit


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx not found (apt-get install nginx): CI must test the TLS proxy")
        pytest.skip("nginx not found (apt-get install nginx)")
    return found


NGINX_CONF = """\
{user}worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        server_name localhost;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        # as in docs/deploy.md
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            client_max_body_size 2m;  # gongkai refuses a form over 1 MB itself, in Chinese
        }}
    }}
}}
"""


@pytest.fixture
def proxied(tmp_path, calendar_cache):
    """``gongkai serve`` on loopback, and nginx terminating TLS in front of it (certificate made here)."""
    nginx = _nginx()
    folder = tmp_path / "unit"
    folder.mkdir()
    config = make_unit(folder, staff={"clerk": ["承办人"]})
    server = Server(config, calendar_cache, tmp_path / "serve.log")
    root = tmp_path / "nginx"
    root.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")], check=True, capture_output=True)
    tls_port = free_port()
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the worker writes its temporary files here
    (root / "nginx.conf").write_text(NGINX_CONF.format(user=user, root=root, tls_port=tls_port, app_port=server.port))
    proxy = subprocess.Popen([nginx, "-e", str(root / "error.log"), "-p", str(root), "-c", str(root / "nginx.conf"),
                              "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    context = ssl.create_default_context(cafile=str(root / "cert.pem"))
    deadline = time.monotonic() + 30
    while True:
        try:
            status = _request("GET", "/healthz", tls=(tls_port, context))[0]
            if status == 200:
                break
        except OSError:
            pass
        if proxy.poll() is not None or time.monotonic() > deadline:
            proxy.kill()
            server.stop()
            raise RuntimeError(f"nginx did not start: {(root / 'error.log').read_text() if (root / 'error.log').exists() else ''}"
                               f"{proxy.stderr.read().decode() if proxy.poll() is not None else ''}")
        time.sleep(0.2)
    try:
        yield {"tls": (tls_port, context), "app_port": server.port}
    finally:
        proxy.terminate()
        proxy.wait(10)
        server.stop()


def _request(method: str, path: str, *, tls=None, port: int | None = None, source: str = "127.0.0.1",
             headers: dict[str, str] | None = None, body: str | None = None):
    """(status, headers as a list of (name, value), text) of one request, over TLS through the
    proxy or directly to ``gongkai serve`` from the loopback address ``source``."""
    if tls is not None:
        connection = http.client.HTTPSConnection("localhost", tls[0], context=tls[1], timeout=20)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _all(headers, name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name]


def _cookie(headers) -> str:
    return _all(headers, "set-cookie")[0].split(";", 1)[0]


def _sign_in(**where):
    """Sign in as the clerk; the response's headers."""
    status, headers, page = _request("GET", "/login", **where)
    assert status == 200
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    form = urllib.parse.urlencode({**fields, "name": "clerk", "password": PASSWORD})
    extra = where.pop("headers", {})
    status, signed_in, _ = _request("POST", "/login", body=form, headers={
        **extra, "Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie(headers)}, **where)
    assert status == 303, status
    return signed_in


def test_through_the_tls_proxy_cookies_are_secure_and_hsts_is_sent(proxied):
    tls = proxied["tls"]
    status, headers, _ = _request("GET", "/login", tls=tls)
    assert status == 200
    assert _all(headers, "strict-transport-security") == ["max-age=31536000"]
    signed_in = _sign_in(tls=tls)
    cookie = _all(signed_in, "set-cookie")[0]
    assert "; Secure" in cookie and "HttpOnly" in cookie
    assert _all(signed_in, "strict-transport-security")
    status, _, page = _request("GET", "/todo", tls=tls, headers={"Cookie": cookie.split(";", 1)[0]})
    assert status == 200 and "我的待办" in page  # the session works through the proxy


def test_forwarded_headers_from_elsewhere_are_not_believed(proxied):
    claim = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    port = proxied["app_port"]
    # another address (127.0.0.2 is loopback too, but not the proxy's) claims to have come over TLS
    status, headers, _ = _request("GET", "/login", port=port, source="127.0.0.2", headers=claim)
    assert status == 200 and not _all(headers, "strict-transport-security")
    cookie = _all(_sign_in(port=port, source="127.0.0.2", headers=claim), "set-cookie")[0]
    assert "Secure" not in cookie
    # plain HTTP from the proxy's own address without the header: no TLS claimed, none assumed
    status, headers, _ = _request("GET", "/login", port=port)
    assert not _all(headers, "strict-transport-security") and "Secure" not in _all(headers, "set-cookie")[0]


def test_a_trusted_proxy_that_is_not_an_address_is_refused(tmp_path, gk):
    folder = tmp_path / "unit"
    folder.mkdir()
    config = make_unit(folder, staff={"clerk": ["承办人"]})
    for bad in ("*", "nginx.local", "127.0.0.1,*"):
        refused = gk.fails("--config", config, "serve", "--trusted-proxy", bad)
        assert "不是 IP 地址或网段" in refused.stderr
