"""The public disclosure pages (政府信息公开专栏) as HTML: the same pages served under ``/gk/``
(:mod:`gongkai.core.web.public_views`) and written by ``gongkai site build``. What they say comes
from the domains (the guide: :mod:`gongkai.core.units.guide`; the catalogue:
:mod:`gongkai.core.documents.catalogue`; the published reports: :mod:`gongkai.core.reports.publication`);
here is only the layout and the links between pages.

Links are relative, so the same pages work under ``/gk/`` and from any folder a static copy is
uploaded to. Paths are unit-relative: ``""`` the unit's home, ``guide/``, ``catalogue/``,
``catalogue/c1/``, ``catalogue/y2026/p2.html``, ``documents/12.html``, ``reports/2025/``, ``reports/2025.pdf``.
A document and a further page of a listing are files, not folders: a static copy of 100,000
documents makes no 100,000 folders."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from gongkai.core.records.head_cache import HeadCache

HERE = Path(__file__).resolve().parent
SUMMARIES = HeadCache(64)
ASSETS = ("public.css", "public-search.js")


def environment() -> jinja2.Environment:
    from gongkai.core.paperwork.render import cn_date

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates" / "public")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["cn_date"] = lambda d: d if isinstance(d, str) else cn_date(d) if d else ""  # str: already shown
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


def _depth(path: str) -> int:
    return path.count("/")


class Links:
    """Relative links from the page at ``current`` (unit-relative); ``static``: to files (``…/index.html``)."""

    def __init__(self, current: str, *, static: bool, district: bool) -> None:
        self.current, self.static, self.district = current, static, district

    def _up(self) -> str:
        return "../" * _depth(self.current)

    def _file(self, target: str) -> str:
        if self.static and (target == "" or target.endswith("/")):
            return target + "index.html"
        return target

    def href(self, target: str) -> str:
        """A link to the unit's page ``target``."""
        return self._file(self._up() + target) or "./"

    def site(self, target: str = "") -> str:
        """A link to the site's root (a district's index of units; a unit's own site: its home)."""
        return self._file(self._up() + ("../" if self.district else "") + target) or "./"

    def asset(self, name: str) -> str:
        return self._up() + ("../" if self.district else "") + "static/" + name


class UnitPages:
    """One unit's public pages, from ``office`` (a :class:`gongkai.core.app.App` bound to the unit)."""

    def __init__(self, office: Any, *, static: bool, district: bool, apply_url: str | None = None) -> None:
        self.office, self.static, self.district = office, static, district
        self.apply_url = apply_url if apply_url is not None else public_setting(office.config, "apply_url")
        self._rows: dict[tuple[Any, ...], Skeletons] = {}

    @property
    def unit(self) -> Any:
        return self.office.unit

    def summary(self, session: Any) -> dict[str, Any]:
        """The catalogue's counts by category and year (on every catalogue page), reused while the
        unit's records are unchanged."""
        from gongkai.core.documents import catalogue
        from gongkai.core.records.head_cache import chain_head

        return SUMMARIES.get(chain_head(session), ("catalogue-summary", self),
                             lambda: catalogue.summary(session, self.office.registry))

    def render(self, template: str, current: str, **context: Any) -> str:
        links = Links(current, static=self.static, district=self.district)
        return env().get_template(template).render(
            href=links.href, site=links.site, asset=links.asset, static=self.static, district=self.district,
            unit=self.unit, jurisdiction=self.office.registry.jurisdiction.display_name, **context)

    def home(self) -> str:
        from gongkai.core.documents import catalogue
        from gongkai.core.reports.publication import published_years

        with self.office.session() as session:
            summary = self.summary(session)
            years = published_years(session)
            latest = catalogue.page(session, self.office.registry, per_page=10)["items"] if summary["total"] else []
        return self.render("home.html", "", summary=summary, years=years, latest=latest)

    def guide(self) -> str:
        from gongkai.core.units.contact import contact_of
        from gongkai.core.units.guide import guide

        with self.office.session() as session:
            contact = contact_of(session)
        data = guide(self.office.registry, self.unit, contact, apply_url=self.apply_url)
        return self.render("guide.html", "guide/", guide=data)

    def catalogue(self, *, category: int | None = None, year: int | None = None, number: int = 1,
                  query: str = "", interpreted: bool = False, search: bool = False) -> str:
        from gongkai.core.documents import catalogue

        with self.office.session() as session:
            summary = self.summary(session)
            if search and self.static:
                data = None
            else:
                total = None  # known from the counts for a whole listing, a category or a year
                if not search and not interpreted:
                    if category is not None:
                        total = next((c["count"] for c in summary["categories"] if c["number"] == category), 0)
                    elif year is not None:
                        total = next((y["count"] for y in summary["years"] if y["year"] == year), 0)
                    else:
                        total = summary["total"]
                data = catalogue.page(session, self.office.registry, category=category, year=year, query=query,
                                      number=number, issuer=self.unit.name, interpreted=interpreted, total=total)
        return self.listing(data, summary, category=category, year=year, interpreted=interpreted, search=search,
                            query=query, number=number)

    def listing(self, data: dict[str, Any] | None, summary: dict[str, Any], *, category: int | None = None,
                year: int | None = None, interpreted: bool = False, search: bool = False, query: str = "",
                number: int = 1) -> str:
        """A catalogue page from its ``data`` (:func:`gongkai.core.documents.catalogue.page`'s shape)."""
        from gongkai.core.documents import catalogue

        current = catalogue_path(category=category, year=year, number=number, interpreted=interpreted, search=search)
        if search:
            title = "检索政府信息公开目录"
        elif interpreted:
            title = "政策解读"
        elif category is not None:
            title = catalogue.category_label(category)
        elif year is not None:
            title = f"{year}年主动公开的政府信息"
        else:
            title = "政府信息公开目录"
        pages = []
        if data is not None and not search:
            pages = [(n, catalogue_path(category=category, year=year, number=n, interpreted=interpreted))
                     for n in _page_numbers(data["page"], data["pages"])]
        elif data is not None and not self.static:  # a served search's further pages
            from urllib.parse import urlencode

            pages = [(n, "catalogue/search/?" + urlencode({"q": query, **({"page": n} if n > 1 else {})}))
                     for n in _page_numbers(data["page"], data["pages"])]
        rows = self.rows(data["items"], current) if data is not None else Markup("")
        return self.render("catalogue.html", current, title=title, data=data, summary=summary, search=search,
                           category=category, year=year, query=query, pages=pages, citation=catalogue.CITATION,
                           rows=rows)

    def rows(self, items: list[dict[str, Any]], current: str) -> Markup:
        """The catalogue table's rows (``_row.html``), each from its shape's kept skeleton."""
        links = Links(current, static=self.static, district=self.district)
        key = (_depth(current), self.static, self.district)
        skeletons = self._rows.setdefault(key, Skeletons(
            lambda fake: env().get_template("_row.html").render(d=fake, href=links.href),
            optional=("number", "issuer", "issued", "channel", "repealed")))
        return Markup("\n".join(skeletons(d) for d in items) + ("\n" if items else ""))

    def document(self, document_id: int) -> str:
        from gongkai.core.documents import catalogue

        with self.office.session() as session:
            doc = catalogue.document(session, self.office.registry, document_id, issuer=self.unit.name)
        return self.render("document.html", f"documents/{document_id}.html", doc=doc)

    def document_file(self, document_id: int, name: str) -> tuple[Any, bytes]:
        """A public document's attached file ``name`` (as its page links it) and its content."""
        from gongkai.core.attachments import store
        from gongkai.core.documents import catalogue

        with self.office.session() as session:
            row = catalogue.document_file(session, self.office.registry, document_id, name)
            return row, b"".join(store.read(session, row))

    def document_of(self, doc: dict[str, Any]) -> str:
        return self.render("document.html", f"documents/{doc['id']}.html", doc=doc)

    def reports(self) -> str:
        from gongkai.core.reports.publication import published_years

        with self.office.session() as session:
            years = published_years(session)
        return self.render("reports.html", "reports/", years=years)

    def report(self, year: int) -> str:
        from gongkai.core.reports.publication import published_report, report_html

        with self.office.session() as session:
            report = published_report(session, year)
        body = report_html(self.office.registry.template_dirs, report)
        return self.render("report.html", f"reports/{year}/", report=report, body=Markup(body), year=year,
                           published_on=dt.date.fromisoformat(report["published_on"]))

    def report_pdf(self, year: int) -> Path:
        from gongkai.core.reports.publication import published_report, report_pdf

        with self.office.session() as session:
            report = published_report(session, year)
        return report_pdf(self.office, report)


def catalogue_path(*, category: int | None = None, year: int | None = None, number: int = 1,
                   interpreted: bool = False, search: bool = False) -> str:
    if search:
        return "catalogue/search/"
    path = "interpretations/" if interpreted else "catalogue/"
    if category is not None:
        path += f"c{category}/"
    if year is not None:
        path += f"y{year}/"
    if number > 1:
        path += f"p{number}.html"
    return path


def _page_numbers(current: int, pages: int) -> list[int]:
    wanted = {1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)}
    return sorted(wanted)


def district_index(office: Any, units: list[dict[str, Any]], *, static: bool) -> str:
    links = Links("", static=static, district=False)
    return env().get_template("district.html").render(
        href=links.href, site=links.site, asset=links.asset, static=static, district=True, units=units,
        jurisdiction=office.registry.jurisdiction.display_name,
        unit_link=lambda code, target="": links._file(f"{code}/{target}"))


def not_found(office: Any, *, district: bool, current: str = "") -> str:
    links = Links(current, static=False, district=district)
    return env().get_template("not_found.html").render(
        href=links.href, site=links.site, asset=links.asset, static=False, district=district,
        jurisdiction=office.registry.jurisdiction.display_name)


def public_setting(config: Any, key: str) -> Any:
    """``[public]`` of gongkai.toml: ``apply_url``, the online application form the guide links to;
    ``searches_per_minute``, how many searches one address may ask a minute (default 60)."""
    table = config.raw.get("public", {}) if isinstance(config.raw.get("public", {}), dict) else {}
    value = table.get(key)
    return str(value) if value else None



def build_site(office: Any, target: Any, *, progress: Any = None) -> dict[str, Any]:
    """Write the public pages as static HTML into the folder ``target`` (a
    :class:`~gongkai.core.paperwork.safe_write.Target`): on a district server every unit's under
    its code, with the index of units; else the unit's pages at the top. Every file goes through
    :mod:`gongkai.core.paperwork.safe_write`."""
    from gongkai.core.paperwork.safe_write import Tree

    written = {"pages": 0, "documents": 0, "units": 0}
    with Tree(target) as tree:  # staged beside the folder, then moved in: whole or not at all

        def put(relative: str, data: Any) -> None:
            tree.add(relative, data)
            written["pages"] += 1

        for name in ASSETS:
            put(f"static/{name}", (HERE / "static" / name).read_bytes())
        if office.config.district:
            from gongkai.core.units.store import all_units

            with office.district_session() as session:
                units = [{"code": u.code, "name": u.name} for u in all_units(session)]
            put("index.html", district_index(office, units, static=True))
            for unit in units:
                _build_unit(office.sibling(unit["code"]), lambda rel, data, c=unit["code"]: put(f"{c}/{rel}", data),
                            district=True, written=written, progress=progress)
        else:
            _build_unit(office, put, district=False, written=written, progress=progress)
    return written


def _build_unit(office: Any, put: Any, *, district: bool, written: dict[str, int], progress: Any) -> None:
    import json

    from gongkai.core.documents import catalogue
    from gongkai.core.reports.publication import published_years

    pages = UnitPages(office, static=True, district=district)
    name = office.unit.name
    with office.session() as session:
        summary = catalogue.summary(session, office.registry)
        years = published_years(session)
        documents = list(catalogue.every(session, office.registry, issuer=name))
    put("index.html", pages.render("home.html", "", summary=summary, years=years, latest=documents[:10]))
    put("guide/index.html", pages.guide())
    from gongkai.core.attachments import store
    from gongkai.core.documents import files

    fast = DocumentPages(pages)
    with office.session() as session:
        attached = files.of_documents(session, [d["id"] for d in documents])
    for doc in documents:
        rows = attached.get(doc["id"])
        if rows:  # the few with files: the template, and each file beside the page
            page = pages.document_of({**doc, "files": [files.shown(r, doc["id"]) for r in rows]})
            with office.session() as session:
                for row in rows:
                    put(f"documents/{files.public_name(row, doc['id'])}", b"".join(store.read(session, row)))
        else:
            page = fast(doc)
        put(f"documents/{doc['id']}.html", page)
        written["documents"] += 1
        if progress is not None and written["documents"] % 1000 == 0:
            progress(written["documents"])

    def listings(selected: list[dict[str, Any]], **where: Any) -> None:
        per = catalogue.PER_PAGE
        count = max(1, -(-len(selected) // per))
        for n in range(1, count + 1):
            data = {"items": selected[(n - 1) * per:n * per], "total": len(selected), "page": n, "pages": count,
                    **{k: where.get(k) for k in ("category", "year")}, "query": ""}
            path = catalogue_path(number=n, **where)
            put(path if path.endswith(".html") else path + "index.html", pages.listing(data, summary, number=n, **where))

    listings(documents)
    listings([d for d in documents if d["interpretation"]], interpreted=True)
    for c in summary["categories"]:
        listings([d for d in documents if d["category"] == c["number"]], category=c["number"])
    for y in summary["years"]:
        listings([d for d in documents if d["published"].year == y["year"]], year=y["year"])
    put("catalogue/search/index.html", pages.listing(None, summary, search=True))
    index = [[d["id"], d["title"], d["number"]] for d in documents]
    put("catalogue/search-index.js", "window.gkIndex = " + json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        + ";\n")
    put("reports/index.html", pages.reports())
    for y in years:
        put(f"reports/{y['year']}/index.html", pages.report(y["year"]))
        put(f"reports/{y['year']}.pdf", pages.report_pdf(y["year"]).read_bytes())
    written["units"] += 1


class Skeletons:
    """A template rendered once per shape (which of the optional fields have a value) with markers
    in place of the values; each record is then its shape's skeleton with its values escaped in.
    The same HTML as the template gives, at a fraction of the cost (100,000 documents)."""

    FIELDS = ("id", "title", "number", "issuer", "issued", "published", "category_label", "channel", "repealed",
              "summary", "interpretation", "public_version")
    DATES = ("issued", "published", "repealed")
    _MARK = re.compile("\x01([a-z_]+)\x02")

    def __init__(self, render: Any, optional: tuple[str, ...]) -> None:
        self.render, self.optional = render, optional
        self.skeletons: dict[tuple[bool, ...], list[str]] = {}

    def __call__(self, doc: dict[str, Any]) -> str:
        from markupsafe import escape

        from gongkai.core.paperwork.render import cn_date

        shape = tuple(bool(doc.get(f)) for f in self.optional)
        skeleton = self.skeletons.get(shape)
        if skeleton is None:
            fake = {f: (doc.get(f) if f in self.optional and not doc.get(f) else f"\x01{f}\x02") for f in self.FIELDS}
            skeleton = self.skeletons[shape] = self._MARK.split(self.render(fake))
        shown = doc.get("_shown")
        if shown is None:  # each value escaped once, however many pages show the document
            shown = doc["_shown"] = {f: str(escape(cn_date(doc[f]) if f in self.DATES else doc[f]))
                                     for f in self.FIELDS if f in doc}
        skeleton = skeleton[:]
        skeleton[1::2] = [shown[f] for f in skeleton[1::2]]
        return "".join(skeleton)


class DocumentPages:
    """Document pages for a static build, each from its shape's skeleton (:class:`Skeletons`)."""

    OPTIONAL = ("number", "channel", "repealed", "summary", "interpretation", "public_version", "issuer", "issued")

    def __init__(self, pages: UnitPages) -> None:
        self.skeletons = Skeletons(lambda fake: pages.render("document.html", "documents/0.html", doc=fake), self.OPTIONAL)

    def __call__(self, doc: dict[str, Any]) -> str:
        return self.skeletons(doc)
