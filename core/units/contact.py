"""The unit's public contacts: the office that handles disclosure requests, as its 政府信息公开指南
states it (条例 第十二条: 政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、
互联网联系方式等). One row per unit, kept apart from the ``unit`` register; each change is an event
of the unit's chain (``subject_kind`` ``unit_contact``), its row under the log's digest."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, select

from gongkai.core.errors import GongkaiError
from gongkai.core.records.storage import record_event
from gongkai.core.records.units import UnitOwned

SUBJECT = "unit_contact"
# column -> (Chinese label, size limit, the CLI option)
FIELDS = {
    "office_name": ("政府信息公开工作机构", 200, "--office-name"),
    "address": ("办公地址", 300, "--address"),
    "hours": ("办公时间", 200, "--hours"),
    "phone": ("联系电话", 100, "--phone"),
    "fax": ("传真", 100, "--fax"),
    "email": ("电子邮箱", 200, "--email"),
    "postcode": ("邮政编码", 6, "--postcode"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[0-9]{6}$")


class UnitContact(UnitOwned, table=True):
    __tablename__ = "unit_contact"
    __table_args__ = (UniqueConstraint("unit_id", name="uq_unit_contact_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    office_name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    hours: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=100)
    fax: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=6)


def contact_of(session: Session) -> dict[str, str]:
    """The unit's contacts (every field; "" where none is set)."""
    row = session.exec(select(UnitContact)).first()
    return {name: (getattr(row, name) if row else "") for name in FIELDS}


def set_contact(session: Session, changes: dict[str, str | None], actor: str = "") -> dict[str, str]:
    """Change the given fields (``None``: unchanged; "" clears one); an event of the unit's chain."""
    from gongkai.core.records.limits import check_text

    values: dict[str, str] = {}
    for name, value in changes.items():
        if value is None:
            continue
        label, limit, option = FIELDS[name]
        value = check_text(value.strip(), limit, f"{label}（{option}）")
        if name == "email" and value and not _EMAIL.match(value):
            raise GongkaiError(f"电子邮箱“{value}”格式不对（--email），应如 gkb@example.gov.cn。")
        if name == "postcode" and value and not _POSTCODE.match(value):
            raise GongkaiError(f"邮政编码“{value}”应为 6 位数字（--postcode）。")
        values[name] = value
    if not values:
        raise GongkaiError("请给出要设置的联系方式：" + "、".join(f"{o}（{lbl}）" for lbl, _, o in FIELDS.values()) + "。")
    row = session.exec(select(UnitContact)).first()
    before = {name: (getattr(row, name) if row else "") for name in FIELDS}
    after = {**before, **values}
    if after == before:
        raise GongkaiError("联系方式与现有的相同，没有要修改的内容。")
    if row is None:
        row = UnitContact()
    for name, value in after.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    record_event(session, subject_kind=SUBJECT, subject_id=row.id, action="contact_set", actor=actor,
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    return after


def contact_json(contact: dict[str, str]) -> list[dict[str, Any]]:
    return [{"field": name, "label": FIELDS[name][0], "value": value} for name, value in contact.items()]
