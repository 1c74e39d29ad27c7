"""The ``account`` table: one member of staff who signs steps and logs in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import DateTime, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Column, Field

from gongkai.core.records.units import UnitOwned


class Account(UnitOwned, table=True):
    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_account_unit_name"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:
        # optimistic lock: two logins failing at once cannot both write a stale count
        return {"version_id_col": cls.__table__.c.version}

    name: str = Field(max_length=100)  # the login name, one per unit; recorded as the events' actor
    display_name: str = Field(default="", max_length=200)
    roles: str = Field(default="[]")  # JSON list of role codes (roles.Role.code)
    disabled: bool = Field(default=False)
    password_hash: str = Field(max_length=300)  # Argon2id, PHC string
    failed_logins: int = Field(default=0)  # consecutive failures since the last success
    locked_until: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))

    @property
    def role_codes(self) -> list[str]:
        return list(json.loads(self.roles or "[]"))
