"""The ``matter`` table: the facts of a matter. Its clocks live in ``StoredDeadline``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel
from gongkai.core.records.units import UnitOwned


class Matter(UnitOwned, table=True):
    __tablename__ = "matter"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True, max_length=100)  # the kind's rule ID, e.g. "consult.reply"
    opened_at: dt.datetime  # the triggering event (aware; stored as UTC)
    note: str = Field(default="", max_length=2000)
    closed_at: dt.datetime | None = Field(default=None, index=True)
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic lock: a concurrent change fails instead of silently overwriting.
        return {"version_id_col": cls.__table__.c.version}
