"""The ``account`` table: one member of staff who signs steps and logs in."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import DateTime, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Column, Field, SQLModel

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
    totp_secret: str = Field(default="", max_length=64)  # base32, RFC 6238 (the second factor); "" none
    # the time step of the last code accepted: a code is good once (RFC 6238 section 5.2)
    totp_step: int = Field(default=0)
    email: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})  # reminders; "" none
    failed_logins: int = Field(default=0)  # consecutive failures since the last success
    locked_until: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))

    @property
    def role_codes(self) -> list[str]:
        return list(json.loads(self.roles or "[]"))


class WebSession(SQLModel, table=True):
    """One signed-in browser (or command line: ``kind`` cli, its token file holds the key): the
    cookie holds only a random key, whose digest is looked up here.

    Not a record (no event): deleting the rows ends the sessions at once (logout, a new password,
    new roles, a disabled account). ``unit_code`` is the unit whose records the session sees."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="web", max_length=10)  # web: a browser's cookie; cli: a ``gongkai login`` token
    key_digest: str = Field(max_length=64, unique=True)  # SHA-256 of the cookie's key: a leaked table signs nobody in
    account_id: int = Field(index=True)
    account_name: str = Field(max_length=100)
    unit_code: str = Field(max_length=40)
    # the unit a 区政务公开办 account is reading ("": its own), with no role there unless it holds one
    viewing_code: str = Field(default="", max_length=40)
    csrf: str = Field(max_length=64)
    flash: str = Field(default="{}")  # the one-time notice or error of the next page (JSON)
    client: str = Field(default="", max_length=100)
    created_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    last_seen_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class LoginEvent(SQLModel, table=True):
    """Who signed in, failed to, or out, when and from where (kept apart from the records' chain:
    it says who used the system, not what was done with the records)."""

    __tablename__ = "login_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    kind: str = Field(max_length=20)  # sessions.KINDS
    account_name: str = Field(default="", max_length=100)  # as typed, for a failure
    unit_code: str = Field(default="", max_length=40, index=True)  # "" when the name is no account's
    client: str = Field(default="", max_length=100, index=True)
    detail: str = Field(default="", max_length=300)
