"""The tables of the attachment store."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field

from gongkai.core.records.units import UnitOwned


class Attachment(UnitOwned, table=True):
    """One file attached to one record (``owner_kind`` and ``owner_id``, as a clock names its owner)."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "unit_id", "owner_kind", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=20)  # request, application
    owner_id: int
    kind: str = Field(max_length=30)  # a code of store.KINDS
    file_name: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)  # of the content: the chunks' key, and what the log states
    added_on: dt.date
    added_by: str = Field(default="", max_length=200)
    note: str = ""


class AttachmentChunk(UnitOwned, table=True):
    """A piece of a file's content, in order (``seq`` from 0); one set per content in a unit."""

    __tablename__ = "attachment_chunk"
    __table_args__ = (Index("ix_attachment_chunk_key", "unit_id", "sha256", "seq", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    seq: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
