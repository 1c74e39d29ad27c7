"""storage.insert_columns, the bulk path of imports: it stores what the ORM would store."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from gongkai.core.requests.models import Request
from gongkai.core.records.storage import create_schema, insert_columns, insert_rows, make_engine, session_scope
from gongkai.core.records.scoping import bound

DAY = dt.date(2026, 3, 2)


def fields(i: int) -> dict:
    return dict(applicant_name=f"申请人{i}", applicant_type="natural_person", channel="in_person", submitted=DAY,
                received=DAY + dt.timedelta(days=i % 3), subject=f"第{i}项", period_start=DAY, imported=True,
                # the same for every row: written into the statement as literals (a quote, NUL-free text, None)
                reasons="O'Brien 的“申请”; DROP TABLE event; --", replied_on=None, version=1)


def stored_then_cleared(engine) -> list[dict]:
    with session_scope(engine) as session:
        rows = [row.model_dump(exclude={"id"}) for row in session.exec(select(Request).order_by(Request.id)).all()]
        session.exec(Request.__table__.delete())
    return rows


def test_columns_and_rows_store_what_the_orm_stores(backend):
    raw = make_engine(backend.url)
    create_schema(raw)
    engine = bound(raw, 1)  # the database's one unit (revision 0016)
    rows = [fields(i) for i in range(5)]
    with session_scope(engine) as session:
        session.add_all(Request(**row) for row in rows)
    expected = stored_then_cleared(engine)
    defaults = Request(**rows[0]).model_dump(exclude={"id", *rows[0]})
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    with session_scope(engine) as session:
        ids = insert_columns(session, Request.__table__, {**defaults, **columns}, len(rows), return_ids=True)
    assert len(ids) == 5 and ids == sorted(ids)
    assert stored_then_cleared(engine) == expected
    with session_scope(engine) as session:
        insert_rows(session, Request.__table__, [{**defaults, **row} for row in rows])
    assert stored_then_cleared(engine) == expected
    engine.dispose()
