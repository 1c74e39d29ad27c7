"""The one place where a database connection bound to a unit is kept to that unit's rows.

A connection (and every session on it) is bound to a unit by the execution option
:data:`UNIT_OPTION` (``engine.execution_options(gongkai_unit=ID)``, see :func:`bound`; the
application's engine is bound to the chosen unit, :attr:`gongkai.core.app.App.engine`). Then:

- ORM statements of a session get ``with_loader_criteria(UnitOwned, unit_id == ID)``
  (SQLAlchemy's documented recipe, ``examples/extending_query/filter_public.py``): the
  entity is filtered wherever it appears, subqueries, joins and relationship loads included;
- every other statement the connection runs (Core ``select(table)``, ``update``, ``delete``)
  gets ``table.unit_id = ID`` for each unit-owned table in the FROM of each of its SELECTs,
  and a Core ``insert`` gets ``unit_id`` on each row;
- a session stamps ``unit_id`` on the unit-owned objects it stores, and refuses an object of
  another unit or one moved to another unit (:func:`_stamp_unit`);
- raw SQL cannot be rewritten: a ``text()`` naming a unit-owned table on a bound connection
  must say ``unit_id`` or it is refused; ``exec_driver_sql`` must be scoped by its author
  (:func:`unit_of` gives the id).

Statements that must see every unit (the district's reports, moving a database in, the
district-wide search index) run on an unbound engine (``App.district_engine``) or pass the
execution option :data:`ALL_UNITS` explicitly.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, with_loader_criteria
from sqlalchemy.sql import Delete, Insert, Select, Update, visitors
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import Join

from gongkai.core.records.units import UnitOwned

UNIT_OPTION = "gongkai_unit"  # execution option: the id of the unit a connection is bound to
ALL_UNITS = "gongkai_all_units"  # execution option: this statement deliberately spans units
_SCOPED = "gongkai_unit_scoped"  # set once the ORM criteria are on a statement


def bound(engine: Any, unit_id: int) -> Any:
    """``engine`` (or a connection) bound to one unit: same pool, every statement scoped."""
    return engine.execution_options(**{UNIT_OPTION: unit_id})


def unit_of(session_or_connection: Any) -> int | None:
    """The unit a session or connection is bound to, or None (district-wide)."""
    bind = session_or_connection.get_bind() if isinstance(session_or_connection, Session) else session_or_connection
    return bind.get_execution_options().get(UNIT_OPTION)


@functools.cache
def owned_tables() -> frozenset[str]:
    """Names of the tables whose rows belong to a unit (they have ``unit_id``)."""
    from sqlmodel import SQLModel

    from gongkai.core.records.storage import import_models

    import_models()
    return frozenset(name for name, table in SQLModel.metadata.tables.items() if "unit_id" in table.c)


def _owned(table: Any) -> bool:
    columns = getattr(table, "c", None)
    return columns is not None and "unit_id" in columns and getattr(table, "name", None) != "unit"


def _tables(from_: Any) -> list[Any]:
    if isinstance(from_, Join):
        return _tables(from_.left) + _tables(from_.right)
    return [from_]


def _criteria(froms: Any, unit_id: int) -> list[Any]:
    return [t.c.unit_id == unit_id for f in froms for t in _tables(f) if _owned(t)]


def _froms(select: Select) -> Any:
    """The FROM list as ``get_final_froms()`` gives it, without the throwaway compile of the
    whole statement that method starts with (1.5 ms a statement, most of a page's SQL time)."""
    return select._compile_state_factory(select, None)._get_display_froms()


def _scope_core(statement: Any, unit_id: int) -> Any:
    """``statement`` with ``unit_id = ID`` added for each unit-owned table each SELECT reads."""
    if isinstance(statement, Select) and not any(
            isinstance(e, Select) and e is not statement for e in visitors.iterate(statement)):
        # one SELECT, no subquery in it: the criteria go on it directly (a third of the cost of
        # cloning the whole statement to reach nested ones)
        extra = _criteria(_froms(statement), unit_id)
        return statement.where(*extra) if extra else statement

    def visit_select(select: Select) -> None:
        extra = _criteria(_froms(select), unit_id)
        if extra:
            select._where_criteria += tuple(extra)  # the clone's own tuple (cloned_traverse copied it)

    scoped = visitors.cloned_traverse(statement, {}, {"select": visit_select})
    if isinstance(scoped, (Update, Delete)) and _owned(scoped.table):
        scoped = scoped.where(scoped.table.c.unit_id == unit_id)
    return scoped


@functools.lru_cache(maxsize=1024)
def _orm_criteria(unit_id: int) -> Any:  # one option object per unit: building it is a tenth of a query's time
    return with_loader_criteria(UnitOwned, lambda cls: cls.unit_column == unit_id, include_aliases=True)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@event.listens_for(Session, "do_orm_execute")
def _scope_orm(state: Any) -> None:
    options = state.execution_options
    unit_id = options.get(UNIT_OPTION, state.session.get_bind().get_execution_options().get(UNIT_OPTION))
    if unit_id is None or options.get(ALL_UNITS) or not (state.is_select or state.is_update or state.is_delete):
        return
    if state.statement._propagate_attrs.get("compile_state_plugin") != "orm":
        return  # Core statements (select(table)...) are scoped on the connection: _scope_statement
    state.statement = state.statement.options(_orm_criteria(unit_id))
    state.update_execution_options(**{_SCOPED: True})


@event.listens_for(Engine, "before_execute", retval=True)
def _scope_statement(conn: Any, statement: Any, multiparams: Any, params: Any, options: Any) -> Any:
    unit_id = options.get(UNIT_OPTION)
    if unit_id is None or options.get(ALL_UNITS):
        return statement, multiparams, params
    if isinstance(statement, TextClause):
        names = set(_WORD.findall(statement.text))
        if names & owned_tables() and "unit_id" not in names:
            raise RuntimeError(f"raw SQL on unit-owned tables must be scoped by unit_id: {statement.text[:200]}")
        return statement, multiparams, params
    if isinstance(statement, Insert):
        if _owned(statement.table):
            multiparams = [_with_unit(p, unit_id) for p in multiparams]
            params = _with_unit(params, unit_id) if params or not multiparams else params
        return statement, multiparams, params
    if isinstance(statement, (Select, Update, Delete)) and not options.get(_SCOPED):
        if statement._propagate_attrs.get("compile_state_plugin") == "orm":
            return statement.options(_orm_criteria(unit_id)), multiparams, params
        return _scope_core(statement, unit_id), multiparams, params
    return statement, multiparams, params


def _with_unit(row: Any, unit_id: int) -> Any:
    found = row.get("unit_id")
    if found is None:
        return {**row, "unit_id": unit_id}
    if found != unit_id:
        raise RuntimeError(f"a row of unit {found} written through a connection bound to unit {unit_id}")
    return row


@event.listens_for(Session, "before_flush")
def _stamp_unit(session: Session, _context: Any, _instances: Any) -> None:
    """New rows of a bound session get its unit; a row of another unit, or one moved between
    units, is refused (a programming error: the scoping would hide it)."""
    from sqlalchemy import inspect

    unit_id = unit_of(session)
    for obj in session.new:
        if isinstance(obj, UnitOwned):
            if obj.unit_id is None:
                if unit_id is None:
                    raise RuntimeError(f"{type(obj).__name__} stored without a unit on a district-wide session")
                obj.unit_id = unit_id
            elif unit_id is not None and obj.unit_id != unit_id:
                raise RuntimeError(f"{type(obj).__name__} of unit {obj.unit_id} stored in a session of unit {unit_id}")
    for obj in session.dirty:
        if isinstance(obj, UnitOwned) and inspect(obj).attrs.unit_id.history.deleted:
            raise RuntimeError(f"{type(obj).__name__} moved to another unit")
