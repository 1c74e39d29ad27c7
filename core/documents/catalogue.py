"""The 政府信息公开目录 (条例 第十二条): the unit's proactively published documents as the public
sees them, by category of 条例 第二十条 and by year, searchable, each with its own page.

Only what was published under an attribute that is published (主动公开, or the public version of
脱密后公开) is here; 依申请公开 and 不予公开 documents are never listed and their pages are not
found, answered exactly as a number that names no document. Queries are paged and use the index
``ix_document_catalogue`` (unit, publication date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, func, or_, not_
from sqlmodel import Session, select

from gongkai.core.documents import files
from gongkai.core.documents.attributes import attribute_rule, is_published
from gongkai.core.documents.models import Document
from gongkai.core.errors import GongkaiError, NotFound

# 条例 第二十条: what every body proactively publishes, by item
CATEGORIES = {
    1: "行政法规、规章和行政规范性文件",
    2: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    3: "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    4: "国民经济和社会发展统计信息",
    5: "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    6: "实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定",
    7: "财政预算、决算信息",
    8: "行政事业性收费项目及其依据、标准",
    9: "政府集中采购项目的目录、标准及实施情况",
    10: "重大建设项目的批准和实施情况",
    11: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    12: "突发公共事件的应急预案、预警信息及应对情况",
    13: "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    14: "公务员招考的职位、名额、报考条件等事项以及录用结果",
    15: "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}
ITEMS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
CITATION = "《中华人民共和国政府信息公开条例》第二十条"
NORMATIVE = ("规章", "行政规范性文件")
PER_PAGE = 50
SEARCH_LIMIT = 1000  # a search shows at most this many matches (20 pages): narrow it for more
QUERY_CHARS = 100
MISSING = "没有这个页面或记录。"  # one answer for a number that names nothing and for a document not public


def category_label(number: int) -> str:
    return f"（{ITEMS[number]}）{CATEGORIES[number]}"


def category_number(value: str) -> int:
    """The item of 第二十条 ``value`` names: its number (1–15), its Chinese numeral with or without
    brackets (（二）, 二, 第二项) or its text."""
    text = (value or "").strip().replace("(", "（").replace(")", "）")
    bare = text.removeprefix("第").removesuffix("项").strip("（）")
    if bare.isdigit() and int(bare) in CATEGORIES:
        return int(bare)
    for number, label in CATEGORIES.items():
        if bare == ITEMS[number] or text in (label, category_label(number)):
            return number
    raise GongkaiError(f"第二十条的类别“{value}”无效（--category）：请写 1 到 15 的项号，如 3 或 （三），"
                       "或该项的内容，如 国民经济和社会发展统计信息。")


def stated_or_derived(category: int | None, kind: str, decision_kind: str) -> int:
    return category if category in CATEGORIES else category_of(kind, decision_kind)


def category_of(kind: str, decision_kind: str) -> int:
    """The item of 第二十条 a document falls under, from what its record states: its kind (规章,
    行政规范性文件) and the decisions it is the basis of (行政许可, 行政处罚, 行政强制, 收费)."""
    if kind in NORMATIVE:
        return 1
    return {"行政许可": 5, "行政处罚": 6, "行政强制": 6, "行政事业性收费": 8}.get(decision_kind, 15)


def _category_condition(number: int) -> Any:
    return or_(Document.category == number,  # type: ignore[arg-type]
               and_(Document.category.is_(None), _derived_condition(number)))  # type: ignore[union-attr]


def _derived_condition(number: int) -> Any:
    normative = Document.kind.in_(NORMATIVE)  # type: ignore[attr-defined]
    decided = {5: ("行政许可",), 6: ("行政处罚", "行政强制"), 8: ("行政事业性收费",)}
    if number == 1:
        return normative
    if number in decided:
        return and_(not_(normative), Document.decision_kind.in_(decided[number]))  # type: ignore[attr-defined]
    if number == 15:
        every = [k for kinds in decided.values() for k in kinds]
        return and_(not_(normative), Document.decision_kind.not_in(every))  # type: ignore[attr-defined]
    return Document.id == -1  # an item no record can state (yet): empty


def public_attributes(registry: Any) -> list[str]:
    """The attribute codes whose documents are published (主动公开; 脱密后公开's public version)."""
    return [a.code for a in attribute_rule(registry).attributes if is_published(a)]


def _public(registry: Any) -> Any:
    return and_(Document.published_on.is_not(None),  # type: ignore[union-attr]
                Document.attribute.in_(public_attributes(registry)))  # type: ignore[attr-defined]


def check_query(text: str | None) -> str:
    text = " ".join((text or "").split())
    if len(text) > QUERY_CHARS:
        raise GongkaiError(f"检索词不能超过 {QUERY_CHARS} 个字。")
    return text


def _matching(text: str) -> Any:
    conditions = []
    for word in text.split():
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(Document.title.like(like, escape="\\"),  # type: ignore[attr-defined]
                              Document.number.like(like, escape="\\")))  # type: ignore[attr-defined]
    return and_(*conditions)


def entry(doc: Any, issuer: str = "") -> dict[str, Any]:
    """A document as the catalogue shows it (``doc``: a row with the catalogue's columns)."""
    number = stated_or_derived(doc.category, doc.kind, doc.decision_kind)
    return {"id": doc.id, "title": doc.title, "number": doc.number, "issuer": doc.producer or issuer,
            "issued": doc.finalised, "published": doc.published_on, "category": number,
            "category_label": category_label(number), "channel": doc.channel, "repealed": doc.repealed}


COLUMNS = (Document.id, Document.title, Document.number, Document.producer, Document.kind, Document.decision_kind,
           Document.category, Document.finalised, Document.published_on, Document.channel, Document.repealed)


def page(session: Session, registry: Any, *, category: int | None = None, year: int | None = None,
         query: str = "", number: int = 1, per_page: int | None = None, issuer: str = "",
         interpreted: bool = False, total: int | None = None) -> dict[str, Any]:
    """One page of the catalogue (newest publication first), with the total it pages through;
    ``interpreted``: only documents with their 解读材料 (the 政策解读 column). ``total``: the count
    when the caller knows it (:func:`summary`'s); else counted, a search's up to
    :data:`SEARCH_LIMIT` (a common word stops counting early; the pages go no further)."""
    conditions = [_public(registry)]
    if interpreted:
        conditions.append(Document.interpretation != "")
    if category is not None:
        if category not in CATEGORIES:
            raise NotFound(MISSING)
        conditions.append(_category_condition(category))
    if year is not None:
        conditions.append(Document.published_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))  # type: ignore[union-attr]
    query = check_query(query)
    if query:
        conditions.append(_matching(query))
    per_page = per_page or PER_PAGE
    capped = False
    if total is None:
        counted = select(Document.id).where(*conditions)
        if query:
            counted = counted.limit(SEARCH_LIMIT + 1)
        total = session.exec(select(func.count()).select_from(counted.subquery())).one()
        if total > SEARCH_LIMIT and query:
            total, capped = SEARCH_LIMIT, True
    pages = max(1, -(-total // per_page))
    if number < 1 or number > pages:
        raise NotFound(MISSING)
    rows = session.exec(select(*COLUMNS).where(*conditions)
                        .order_by(Document.published_on.desc(), Document.id.desc())  # type: ignore[union-attr]
                        .offset((number - 1) * per_page).limit(per_page)).all()
    return {"items": [entry(r, issuer) for r in rows], "total": total, "capped": capped, "page": number, "pages": pages,
            "category": category, "year": year, "query": query}


def summary(session: Session, registry: Any) -> dict[str, Any]:
    """How many documents each category and each year has (the catalogue's navigation)."""
    public = _public(registry)
    by_kind = session.exec(select(Document.kind, Document.decision_kind, Document.category, func.count())
                           .where(public).group_by(Document.kind, Document.decision_kind, Document.category)).all()
    categories: dict[int, int] = {}
    for kind, decision, stated, count in by_kind:
        n = stated_or_derived(stated, kind, decision)
        categories[n] = categories.get(n, 0) + count
    year_of = func.extract("year", Document.published_on)
    by_year = session.exec(select(year_of, func.count()).where(public).group_by(year_of)).all()
    years = sorted(((int(y), c) for y, c in by_year), reverse=True)
    return {"categories": [{"number": n, "label": category_label(n), "count": categories[n]}
                           for n in sorted(categories)],
            "years": [{"year": y, "count": c} for y, c in years], "total": sum(categories.values())}


def document(session: Session, registry: Any, document_id: int, issuer: str = "") -> dict[str, Any]:
    """One public document's page; not found, as for a number that names nothing, when it is not public."""
    doc = session.exec(select(Document).where(Document.id == document_id, _public(registry))).first()
    if doc is None:
        raise NotFound(MISSING)
    data = entry(doc, issuer)
    data.update(kind=doc.kind, summary=doc.summary, interpretation=doc.interpretation,
                public_version=doc.public_version if doc.public_version else "")
    data["files"] = [files.shown(r, doc.id) for r in files.of_documents(session, [doc.id]).get(doc.id, [])]
    return data


def document_file(session: Session, registry: Any, document_id: int, name: str) -> Any:
    """The attachment row a public document's page links as ``name``; not found, as a missing page,
    for a document that is not public or a name it does not link."""
    document(session, registry, document_id)
    for row in files.of_documents(session, [document_id]).get(document_id, []):
        if files.public_name(row, document_id) == name:
            return row
    raise NotFound(MISSING)


def every(session: Session, registry: Any, issuer: str = "", batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every public document (for the static site), newest first, read in batches."""
    last: tuple[dt.date, int] | None = None
    while True:
        query = select(*COLUMNS, Document.summary, Document.interpretation, Document.public_version).where(
            _public(registry))
        if last is not None:
            query = query.where(or_(Document.published_on < last[0],  # type: ignore[operator]
                                    and_(Document.published_on == last[0], Document.id < last[1])))
        rows = session.exec(query.order_by(Document.published_on.desc(), Document.id.desc())  # type: ignore[union-attr]
                            .limit(batch)).all()
        if not rows:
            return
        for row in rows:
            data = entry(row, issuer)
            data.update(summary=row.summary, interpretation=row.interpretation, public_version=row.public_version)
            yield data
        last = (rows[-1].published_on, rows[-1].id)
