"""The ``unit`` table and the ``unit_id`` every unit-owned table carries."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

LEVELS = {"department": "部门", "street": "街道（乡镇）", "government": "人民政府"}
FLAG_SEPARATOR = "；"


class Unit(SQLModel, table=True):
    """One unit (单位): a department, a street or town, or the government itself."""

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)  # short, stable, e.g. "fgj": what --unit takes
    name: str = Field(default="", max_length=200)  # full name, as it signs letters
    level: str = Field(default="department", max_length=20)  # a key of LEVELS
    parent_id: int | None = Field(default=None, foreign_key="unit.id")
    letter_prefix: str = Field(default="", max_length=40)  # 机关代字 of its letters' 文号 (GB/T 9704-2012 7.2.4)
    reconsideration_body: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=300)
    # what the texts say of some units besides their level, joined by FLAG_SEPARATOR (雁塔区
    # 第26项: 与宏观经济和社会民生关系密切…的部门; 第41项: 区保密局): which duties they bear
    flags: str = Field(default="", max_length=400)
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class _UnitColumn:
    """``cls.unit_column``: the mapped class's ``unit_id``; on the mixin itself a stand-in, which is
    what ``with_loader_criteria`` first calls its lambda with (core.records.scoping)."""

    def __get__(self, obj: Any, cls: Any) -> Any:
        if getattr(cls, "__table__", None) is None:
            from sqlalchemy import literal_column

            return literal_column("unit_id")
        return cls.unit_id


class UnitOwned(SQLModel):
    """Mixin: the table's rows belong to one unit. Connections bound to a unit see and write
    only that unit's rows (:mod:`gongkai.core.records.scoping`); ``unit_id`` is filled in when
    the row is stored."""

    # not a foreign key: revision 0016 adds it to existing tables in place (SQLite cannot add a
    # NOT NULL column that references another table without copying the table); units are never deleted
    unit_id: int | None = Field(default=None, nullable=False)
    unit_column: ClassVar[Any] = _UnitColumn()


class LetterSequence(UnitOwned, table=True):
    """The last serial a unit gave its reply letters in a year (the N of 长房公开〔2026〕N号):
    locked and moved on in the transaction of each reply, so serials are gap-free and unique."""

    __tablename__ = "letter_sequence"
    __table_args__ = (UniqueConstraint("unit_id", "year", "series", name="uq_letter_sequence_unit_year_series"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    # the mark after the 机关代字 ("" a reply, 更 a corrected reply, 重 a new reply): each
    # 代字 numbers its own documents (GB/T 9704-2012 7.2.4), so each mark has its own sequence
    series: str = Field(default="", max_length=10)
    last: int = 0
