"""Units: choosing the one a command acts on, adding, listing, showing and editing them.

Each change is an event in the unit's own chain (``subject_kind`` ``unit``). A unit is never
deleted: its records are evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from gongkai.core.errors import GongkaiError
from gongkai.core.records.storage import record_event
from gongkai.core.records.units import FLAG_SEPARATOR, LEVELS, Unit

SUBJECT = "unit"
FIELDS = ("name", "level", "parent", "letter_prefix", "reconsideration_body", "contact", "flags")
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
NO_UNIT = ("请用 --unit 单位代码 或环境变量 GONGKAI_UNIT 指定单位（`gongkai unit list` 列出全部单位，"
           "`gongkai unit add` 新增单位）。")


@attrs.frozen
class UnitProfile:
    """A unit as commands use it: its record, with a unit's own folder's ``gongkai.toml`` values
    (name, letter prefix, reconsideration body) in force, as before units were records."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    letter_prefix: str
    reconsideration_body: str
    contact: str
    flags: tuple[str, ...] = ()  # duties some texts give only to some units (core.matters.duties.borne)

    def to_json(self, parent: str | None = None) -> dict[str, Any]:
        return {**attrs.asdict(self), "parent": parent}


def profile(row: Unit, config: Any = None) -> UnitProfile:
    name, prefix, body = row.name, row.letter_prefix, row.reconsideration_body
    if config is not None and not config.district:  # a unit's own folder: gongkai.toml as before
        name = config.unit if config.unit and config.unit != row.code else name
        prefix, body = config.letter_prefix or prefix, config.reconsideration_body or body
    return UnitProfile(row.id, row.code, name, row.level, row.parent_id, prefix, body, row.contact, flags_of(row))


def flags_of(row: Unit) -> tuple[str, ...]:
    return tuple(f for f in (row.flags or "").split(FLAG_SEPARATOR) if f)


def check_flags(flags: list[str] | tuple[str, ...], known: list[str] | None) -> str:
    """``flags`` stored (joined), each one a flag the jurisdiction's duties name."""
    out: list[str] = []
    for flag in flags:
        flag = flag.strip()
        if known is not None and flag not in known:
            listing = "；".join(known) or "（本辖区的例行工作不按标记区分单位，无需标记）"
            raise GongkaiError(f"单位标记“{flag}”不是本辖区例行工作所用的标记（--flag）。可用：{listing}。")
        if flag and flag not in out:
            out.append(flag)
    return FLAG_SEPARATOR.join(out)


def choose_unit(app: Any) -> UnitProfile:
    """The unit of ``--unit``/``GONGKAI_UNIT``/``gongkai.toml``; in a unit's own folder, its one unit."""
    wanted = app.chosen_unit()
    config = app.config
    with app.district_session() as session:
        rows = session.exec(select(Unit).order_by(Unit.id)).all()
        if not rows and not config.district:  # a database made before its first use named a unit
            rows = [_first_unit(session, config)]
    where = "本区级数据库" if config.district else "本单位数据库"
    if not wanted or (not config.district and len(rows) == 1 and wanted in (config.unit, rows[0].name)):
        if not config.district and len(rows) == 1:
            return profile(rows[0], config)
        raise GongkaiError(f"{where}存放多个单位的记录，本命令须指定单位：" + NO_UNIT)
    found = [r for r in rows if r.code == wanted] or [r for r in rows if r.name == wanted]
    if len(found) != 1:
        known = "、".join(f"{r.code}（{r.name or '未命名'}）" for r in rows[:20]) or "（尚无单位）"
        raise GongkaiError(f"{where}中没有代码为“{wanted}”的单位。已有单位：{known}。请核对 --unit 或 GONGKAI_UNIT；"
                           "区级服务器新增单位用 `gongkai unit add`。")
    return profile(found[0], config)


def _first_unit(session: Session, config: Any) -> Unit:
    row = Unit(code="main", name=config.unit, letter_prefix=config.letter_prefix,
               reconsideration_body=config.reconsideration_body, created_at=dt.datetime.now(dt.timezone.utc))
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process made it first
        return session.exec(select(Unit).where(Unit.code == "main")).one()
    return row


def get_unit(session: Session, code: str) -> Unit:
    row = session.exec(select(Unit).where(Unit.code == code.strip())).first()
    if row is None:
        known = "、".join(session.exec(select(Unit.code).order_by(Unit.code).limit(20)).all()) or "（尚无单位）"
        raise GongkaiError(f"没有代码为“{code}”的单位。已有单位：{known}。新增用 `gongkai unit add`。")
    return row


def all_units(session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).order_by(Unit.code)).all())


def _check(values: dict[str, Any]) -> dict[str, Any]:
    from gongkai.core.records.limits import check_text

    for field, limit, label in (("name", 200, "单位全称（--name）"), ("letter_prefix", 40, "机关代字（--letter-prefix）"),
                                ("reconsideration_body", 200, "行政复议机关（--reconsideration-body）"),
                                ("contact", 300, "联系方式（--contact）")):
        if values.get(field) is not None:
            values[field] = check_text(values[field].strip(), limit, label)
    if values.get("level") is not None and values["level"] not in LEVELS:
        raise GongkaiError(f"单位层级“{values['level']}”无效（--level），可选：{'、'.join(LEVELS.values())}。")
    return values


def _parent(session: Session, code: str | None, unit: Unit | None = None) -> int | None:
    if not code:
        return None
    parent = get_unit(session, code)
    seen = parent
    while unit is not None and seen is not None:  # no unit may be its own ancestor
        if seen.id == unit.id:
            raise GongkaiError(f"上级单位“{code}”是“{unit.code}”本身或其下级，不能设为其上级（--parent）。")
        seen = session.get(Unit, seen.parent_id) if seen.parent_id else None
    return parent.id


def add_unit(session: Session, code: str, *, name: str, level: str = "department", parent: str | None = None,
             letter_prefix: str = "", reconsideration_body: str = "", contact: str = "", actor: str = "",
             flags: tuple[str, ...] = (), known_flags: list[str] | None = None) -> Unit:
    """A new unit, with its chain's first event. ``session`` spans units (``App.district_session``).
    ``flags`` are checked against ``known_flags`` (:func:`gongkai.core.matters.duties.unit_flags`)."""
    code = code.strip()
    if not _CODE.match(code):
        raise GongkaiError(f"单位代码“{code}”无效：应以小写英文字母开头，只含小写字母、数字、- 和 _，不超过 40 个字符，"
                           "如 fgj、changning-zjj。")
    values = _check({"name": name, "level": level, "letter_prefix": letter_prefix,
                     "reconsideration_body": reconsideration_body, "contact": contact})
    if not values["name"]:
        raise GongkaiError("单位全称不能为空（--name），如 --name 上海市长宁区发展和改革委员会。")
    if session.exec(select(Unit).where(Unit.code == code)).first() is not None:
        raise GongkaiError(f"单位代码“{code}”已存在，请换一个代码，或用 `gongkai unit edit {code}` 修改。")
    unit = Unit(code=code, parent_id=_parent(session, parent), created_at=dt.datetime.now(dt.timezone.utc),
                flags=check_flags(flags, known_flags), **values)
    session.add(unit)
    session.flush()
    _event(session, unit, "unit_added", None, describe(session, unit), actor)
    return unit


def edit_unit(session: Session, code: str, changes: dict[str, Any], actor: str = "", *, add_flags: tuple[str, ...] = (),
              drop_flags: tuple[str, ...] = (), known_flags: list[str] | None = None) -> Unit:
    """Change a unit's fields (``None``: unchanged); refuses an edit that changes nothing.
    ``add_flags`` are checked against ``known_flags``; ``drop_flags`` must be the unit's."""
    unit = get_unit(session, code)
    changes = _check({k: v for k, v in changes.items() if v is not None})
    if add_flags or drop_flags:
        current = list(flags_of(unit))
        missing = [f for f in drop_flags if f.strip() not in current]
        if missing:
            raise GongkaiError(f"单位 {code} 没有标记“{'、'.join(missing)}”（--drop-flag），现有标记："
                               f"{'；'.join(current) or '（无）'}。")
        check_flags(add_flags, known_flags)
        kept = [f for f in current if f not in {d.strip() for d in drop_flags}]
        changes["flags"] = check_flags(kept + list(add_flags), None)
    if "name" in changes and not changes["name"]:
        raise GongkaiError("单位全称不能为空（--name）。")
    before = describe(session, unit)
    if "parent" in changes:
        unit.parent_id = _parent(session, changes.pop("parent"), unit)
    for field, value in changes.items():
        setattr(unit, field, value)
    after = describe(session, unit)
    if after == before:
        raise GongkaiError(f"没有要修改的内容：请给出 --name、--level、--parent、--letter-prefix 等新值（单位 {code}）。")
    session.add(unit)
    _event(session, unit, "unit_edited", {k: v for k, v in before.items() if after[k] != v},
           {k: v for k, v in after.items() if before[k] != v}, actor)
    return unit


def describe(session: Session, unit: Unit) -> dict[str, Any]:
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    return {"id": unit.id, "code": unit.code, "name": unit.name, "level": unit.level,
            "parent": parent.code if parent else None, "letter_prefix": unit.letter_prefix,
            "reconsideration_body": unit.reconsideration_body, "contact": unit.contact, "flags": list(flags_of(unit))}


def _event(session: Session, unit: Unit, action: str, before: Any, after: Any, actor: str) -> None:
    event = record_event(session, subject_kind=SUBJECT, subject_id=unit.id, action=action, actor=actor,
                         before=before, after=after)
    event.unit_id = unit.id  # the unit's own chain, whatever session records it
