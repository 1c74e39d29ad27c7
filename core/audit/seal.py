"""``gongkai audit seal``: records whose last event predates the record digests brought under them.

A database from before the digests (:mod:`gongkai.core.records.digest`) has records whose
events say only some of their fields; ``audit verify`` checks those fields until the record's
next change. Sealing records, once, a ``sealed`` event for each such record, carrying the digest
of its whole content as it stands: from then on an edit of any of its columns is named. Only a
database that passes ``audit verify`` is sealed (sealing must not bless an edit made earlier).
"""

from __future__ import annotations

from typing import Any

from gongkai.core.errors import GongkaiError

ACTION = "sealed"


def unsealed(session: Any) -> dict[str, list[int]]:
    """subject kind -> the ids of its records whose last event carries no digest."""
    from sqlalchemy import select

    from gongkai.core.records.digest import GROUPS, KEY
    from gongkai.core.records.storage import Event

    e = Event.__table__.c
    found: dict[str, list[int]] = {}
    marker = f'"{KEY}":"'
    for kind in GROUPS:
        last: dict[int, str | None] = {}
        rows = session.execute(select(e.subject_id, e.after).where(
            e.subject_kind == kind, e.subject_id.is_not(None), e.seq.is_not(None)).order_by(e.subject_id, e.seq))
        for subject_id, after in rows:
            last[subject_id] = after
        found[kind] = [i for i, after in last.items() if not (after and marker in after)]
    found["unit"] += _units_without_events(session, set(_logged_units(session)))
    return found


def _logged_units(session: Any) -> list[int]:
    """The units that have events of their own kind (as many as the session sees)."""
    from sqlalchemy import select

    from gongkai.core.records.storage import Event

    e = Event.__table__.c
    return list(session.execute(select(e.subject_id).where(e.subject_kind == "unit", e.subject_id.is_not(None))
                                .distinct()).scalars())


def _units_without_events(session: Any, logged: set[int]) -> list[int]:
    """The unit the session is bound to (or every unit), if no event of its own kind names it:
    a unit made before its row came under the log (``unit add`` logs it; a unit's own folder's
    first unit did not)."""
    from sqlalchemy import select

    from gongkai.core.records.scoping import unit_of
    from gongkai.core.records.units import Unit

    bound = unit_of(session)
    ids = [bound] if bound is not None else list(session.execute(select(Unit.id).order_by(Unit.id)).scalars())
    return [i for i in ids if i not in logged]


def seal(app: Any, actor: str, batch: int = 5000) -> dict[str, int]:
    """Seal the unit's unsealed records (see the module); ``{subject kind: records sealed}``."""
    from gongkai.core.audit.replay import verify_all
    from gongkai.core.records.storage import record_event

    with app.session() as session:
        report = verify_all(session, registry=app.registry, calendar=app.calendar)
        if not report["ok"]:
            raise GongkaiError("事件日志或记录未通过 `gongkai audit verify`，不能加封：加封会把在应用之外所作的修改"
                               "当作原样记入日志。请先运行 `gongkai audit verify` 查明并处理。")
        todo = unsealed(session)
    sealed = {}
    for kind, ids in todo.items():
        for start in range(0, len(ids), batch):
            with app.session() as session:  # one transaction per batch: the digests sealed at its commit
                for subject_id in ids[start:start + batch]:
                    record_event(session, subject_kind=kind, subject_id=subject_id, action=ACTION, actor=actor, after={})
        sealed[kind] = len(ids)
    return sealed
