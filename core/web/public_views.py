"""``/gk/``: the public disclosure pages (政府信息公开专栏), no sign-in. On a unit's own server
``/gk/`` is the unit's pages; on a district server it is the index of units, each unit's pages
under ``/gk/<unit code>/``. The pages are :mod:`gongkai.core.web.public_site`'s, as ``site build``
writes them; search is answered here, on the server. Nothing internal is shown: a document that
is not public, a year not published and a unit code that names nothing all get the same 404."""

from __future__ import annotations

import re
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError, NotFound
from gongkai.core.records.head_cache import HeadCache, chain_head
from gongkai.core.web.public_site import ASSETS, HERE, UnitPages, district_index, not_found, public_setting

PREFIX = "/gk/"
_FILTER = re.compile(r"^(c(?P<c>[0-9]{1,2})|y(?P<y>[0-9]{4})|p(?P<p>[0-9]{1,7})\.html)$")
_FILE = re.compile(r"[0-9]{1,9}-[0-9]{1,9}\.(pdf|jpg|png|docx)")
# each public page as rendered, reused while its unit's records are unchanged (in each worker)
PAGES = HeadCache(256)


SEARCHES_PER_MINUTE = 60  # from one address, unless [public] searches_per_minute says otherwise


class Searches:
    """How many searches each address asked in the last minute (a search reads the table; the
    other pages are kept): over the limit, 429 until the minute has passed. Per worker process."""

    def __init__(self, limit: int) -> None:
        import threading

        self.limit = limit
        self.seen: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        import time

        now = time.monotonic()
        with self.lock:
            if len(self.seen) > 10_000:  # bounded: forget addresses quiet for a minute
                self.seen = {k: v for k, v in self.seen.items() if v and v[-1] > now - 60}
            recent = [t for t in self.seen.get(client, []) if t > now - 60]
            if len(recent) >= self.limit:
                self.seen[client] = recent
                return False
            recent.append(now)
            self.seen[client] = recent
            return True


class Missing(Exception):
    """The page does not exist (answered as every other missing page)."""


def _catalogue(pages: UnitPages, rest: list[str], interpreted: bool, request: Request) -> str:
    if not interpreted and rest == ["search"]:
        query = request.query_params.get("q", "")
        number = request.query_params.get("page", "1")
        if not number.isdigit() or len(number) > 7:
            raise Missing
        return pages.catalogue(query=query, search=True, number=int(number))
    found: dict[str, int] = {}
    for part in rest:
        match = _FILTER.match(part)
        if match is None:
            raise Missing
        key = next(k for k, v in match.groupdict().items() if v is not None)
        if key in found or (found and "p" in found):  # each once, the page last
            raise Missing
        found[key] = int(match.group(key))
    if found.get("p") == 1:  # page 1 has no p1/
        raise Missing
    return pages.catalogue(category=found.get("c"), year=found.get("y"), number=found.get("p", 1), interpreted=interpreted)


def unit_page(pages: UnitPages, parts: list[str], request: Request) -> str | Response:
    if not parts:
        return pages.home()
    head, rest = parts[0], parts[1:]
    if head == "guide" and not rest:
        return pages.guide()
    if head in ("catalogue", "interpretations"):
        return _catalogue(pages, rest, head == "interpretations", request)
    if head == "documents" and len(rest) == 1 and re.fullmatch(r"[0-9]{1,9}\.html", rest[0]):
        return pages.document(int(rest[0][:-5]))
    if head == "documents" and len(rest) == 1 and _FILE.fullmatch(rest[0]):
        row, content = pages.document_file(int(rest[0].split("-")[0]), rest[0])
        return Response(content, media_type=row.media_type, headers={
            "Content-Disposition": f"inline; filename={rest[0]}", "X-Content-Type-Options": "nosniff"})
    if head == "reports" and not rest:
        return pages.reports()
    if head == "reports" and len(rest) == 1 and re.fullmatch(r"[0-9]{4}", rest[0]):
        return pages.report(int(rest[0]))
    raise Missing


def _pdf(pages: UnitPages, name: str) -> Response:
    path = pages.report_pdf(int(name[:4]))
    return FileResponse(path, media_type="application/pdf",
                        headers={"Content-Disposition": f"inline; filename={name[:4]}.pdf"})


class PublicPages:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.district = bool(server.office.config.district)
        self._pages: dict[str, UnitPages] = {}

        limit = public_setting(server.office.config, "searches_per_minute")
        self.searches = Searches(int(limit) if limit and str(limit).isdigit() else SEARCHES_PER_MINUTE)

    def pages_of(self, code: str) -> UnitPages:
        pages = self._pages.get(code)
        if pages is None:
            office = self.server.office_of(code)
            # a portal the unit names in gongkai.toml wins over this server's own form
            apply_url = public_setting(office.config, "apply_url") or ("/apply" if _serves_apply(self.server, code) else None)
            pages = self._pages[code] = UnitPages(office, static=False, district=self.district, apply_url=apply_url)
        return pages

    def answer(self, request: Request) -> str | Response:
        path = request.url.path[len(PREFIX):]
        if path.startswith("static/"):
            name = path[len("static/"):]
            if name not in ASSETS:
                raise Missing
            return FileResponse(HERE / "static" / name)
        parts = [p for p in path.split("/") if p]
        pdf = bool(parts) and parts[-1].endswith(".pdf") and len(parts) >= 2 and parts[-2] == "reports"
        attached = len(parts) >= 2 and parts[-2] == "documents" and bool(_FILE.fullmatch(parts[-1]))
        if not pdf and not attached and path and not path.endswith(("/", ".html")):
            raise _Redirect(PREFIX + path + "/")
        if self.district:
            if not parts:
                return district_index(self.server.office, self.server.units(), static=False)
            code, parts = parts[0], parts[1:]
            if code not in {u["code"] for u in self.server.units()}:
                raise Missing
        else:
            code = self.server.home_code
        pages = self.pages_of(code)
        if pdf:
            name = parts[-1]
            if len(parts) != 2 or not re.fullmatch(r"[0-9]{4}\.pdf", name):
                raise Missing
            return _pdf(pages, name)
        if attached:  # a file is not kept with the pages: read each time, after the document's check
            return unit_page(pages, parts, request)
        key = ("public", pages, path, request.url.query)  # pages: this server's rules and settings
        with pages.office.session() as session:
            head = chain_head(session)
        return PAGES.get(head, key, lambda: unit_page(pages, parts, request))


class _Redirect(Exception):
    def __init__(self, to: str) -> None:
        self.to = to


def _serves_apply(server: Any, code: str) -> bool:
    """Whether this server has the online application form (``/apply``) to link the guide to."""
    app = server.app_of(code)
    return any(getattr(route, "path", None) == "/apply" for route in app.routes)


def public_app(server: Any) -> Starlette:
    public = PublicPages(server)

    async def page(request: Request) -> Response:
        if request.url.path.endswith("/catalogue/search/") and request.query_params.get("q"):
            from gongkai.core.web.app import client_of

            if not public.searches.allow(client_of(request.scope)):
                return HTMLResponse("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>检索过于频繁"
                                    "</title></head><body><main><h1>检索过于频繁</h1><p>检索过于频繁，请一分钟后再试；"
                                    "也可按类别和年度浏览政府信息公开目录。</p></main></body></html>", status_code=429,
                                    headers={"Retry-After": "60"})
        try:
            content = await run_in_threadpool(public.answer, request)
        except _Redirect as redirect:
            return RedirectResponse(redirect.to + (("?" + request.url.query) if request.url.query else ""), 308)
        except (Missing, NotFound):
            return await missing(request)
        except GongkaiError as error:  # a search word too long, say
            return HTMLResponse(f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>请求有误</title>"
                                f"</head><body><main><h1>请求有误</h1><p>{_escape(str(error))}</p></main></body></html>",
                                status_code=400)
        if isinstance(content, Response):
            return content
        return HTMLResponse(content)

    async def missing(request: Request) -> Response:
        return HTMLResponse(not_found(server.office, district=public.district), status_code=404)

    async def bare(request: Request) -> Response:
        return RedirectResponse(PREFIX, 308)

    return Starlette(routes=[Route("/gk", bare), Route("/gk/{rest:path}", page)])


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
