"""The application context: configuration, plugins, calendar and database, built on demand.

Commands receive one :class:`App`; nothing heavy is loaded until a command asks for it,
so ``gongkai --help`` stays fast.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from gongkai.core.law.config import Config, load_config

if TYPE_CHECKING:
    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry


class App:
    def __init__(
        self,
        config_path: str | None = None,
        jurisdiction: str | None = None,
        database_url: str | None = None,
        extra_plugins: tuple[tuple[str, Any], ...] = (),
        unit: str | None = None,
    ) -> None:
        self._config_path = config_path
        self._unit = unit  # --unit: a unit's code
        self._jurisdiction = jurisdiction
        self._database_url = database_url
        self.extra_plugins = extra_plugins

    def arguments(self) -> dict[str, Any]:
        """What opens this same unit again in another process (``gongkai serve --workers``)."""
        found = {"config_path": self._config_path and str(self._config_path), "jurisdiction": self._jurisdiction,
                 "database_url": self._database_url}
        return {**found, "unit": self._unit} if self._unit else found  # --unit, where a database holds several

    @cached_property
    def config(self) -> Config:
        return load_config(self._config_path, jurisdiction=self._jurisdiction, database_url=self._database_url)

    @cached_property
    def registry(self) -> Registry:
        from gongkai.core.law import unit_practice
        from gongkai.core.law.plugins import load_registry

        registry = load_registry(self.config.jurisdiction, self.extra_plugins)
        unit_practice.apply(registry, self.config.unit_practice, f"配置文件 {self.config.path or 'gongkai.toml'}")
        return registry

    @property
    def jurisdiction_name(self) -> str:
        return self.registry.jurisdiction.name

    def local_adjustments(self) -> list[Any]:
        """Calendar adjustments from ``gongkai.toml``."""
        from gongkai.core.errors import GongkaiError
        from gongkai.hookspecs.records import CalendarAdjustment

        out = []
        for i, raw in enumerate(self.config.calendar_adjustments, 1):
            try:
                out.append(
                    CalendarAdjustment(
                        date=raw["date"], workday=bool(raw["workday"]), name=str(raw.get("name", ""))
                    )
                )
            except (KeyError, ValueError, TypeError) as exc:
                raise GongkaiError(
                    f"gongkai.toml 第{i}条 [[calendar.adjustments]] 无效（{exc}）：需要 date = 2026-08-07 和 workday = true/false。"
                ) from None
        return out

    @cached_property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar with the active plugin's and the config's adjustments."""
        from gongkai.core.time.calendar import load_calendar

        adjustments = list(self.registry.calendar_adjustments) if self.config.jurisdiction else []
        return load_calendar([self.config.calendar_dir], adjustments + self.local_adjustments())

    def output(self, path: str, force: bool = False) -> Any:
        """Where a command's ``--out`` goes: a :class:`~gongkai.core.paperwork.safe_write.Target` that never
        replaces this unit's database or ``gongkai.toml``, nor any existing file without ``force``."""
        from gongkai.core.paperwork.safe_write import Target, protected_files

        return Target(str(path), force, protected_files(self.config.path, self.config.database_url))

    # -- database ------------------------------------------------------------------

    @cached_property
    def raw_engine(self) -> Any:
        """The database engine as it is, not yet migrated (``gongkai db`` inspects it)."""
        from gongkai.core.errors import GongkaiError
        from gongkai.core.records.storage import make_engine

        if not self.config.database_url:
            raise GongkaiError(
                "当前目录及其上级目录中没有 gongkai.toml，不知道使用哪个数据库。"
                "请进入本单位的文件夹，或先运行 gongkai init --jurisdiction 辖区 --unit 单位名称 建立，"
                "也可用 --config 指定 gongkai.toml、用 --db 指定数据库。"
            )
        return make_engine(self.config.database_url)

    @cached_property
    def district_engine(self) -> Any:
        """The database engine, migrated to the newest schema revision, over every unit: only for
        what spans units (``gongkai unit``, the district's reports, moving a database in)."""
        from gongkai.core.records.storage import create_schema, unreachable

        with unreachable(self.config.database_url):
            create_schema(self.raw_engine, self.unit_settings())
        return self.raw_engine

    def unit_settings(self) -> dict[str, Any]:
        """What revision 0016 needs to make this folder's one unit (nothing for a district)."""
        c = self.config
        if c.district:
            return {"district": True}
        return {"name": c.unit, "letter_prefix": c.letter_prefix, "reconsideration_body": c.reconsideration_body}

    @cached_property
    def unit(self) -> Any:
        """The unit commands act on (:class:`gongkai.core.units.store.UnitProfile`): ``--unit``,
        else ``GONGKAI_UNIT``, else ``gongkai.toml``'s ``unit``; a unit's own folder has one."""
        from gongkai.core.units.store import choose_unit

        return choose_unit(self)

    def choose(self, code: str) -> None:
        """Act on unit ``code`` from now on (a command's own ``--unit``, as the global one)."""
        self._unit = code
        for name in ("unit", "engine"):
            self.__dict__.pop(name, None)

    def sibling(self, code: str) -> App:
        """The same database, configuration, rules and calendar, acting on unit ``code``: the
        web server's app of a session's unit. What does not depend on the unit is shared (one
        engine and its pool for every unit)."""
        other = App(self._config_path, self._jurisdiction, self._database_url, self.extra_plugins, unit=code)
        for name in ("config", "registry", "calendar", "raw_engine", "district_engine"):
            if name in self.__dict__ or name in ("config", "registry", "district_engine"):
                other.__dict__[name] = getattr(self, name)
        return other

    def named_unit(self) -> str:
        """The unit code named by ``--unit`` or ``GONGKAI_UNIT`` ("" if neither)."""
        import os

        from gongkai.core.law.config import ENV_UNIT

        return (self._unit or os.environ.get(ENV_UNIT) or "").strip()

    def chosen_unit(self) -> str:
        """The unit code asked for: ``--unit``, else ``GONGKAI_UNIT``, else ``gongkai.toml`` (may be a name)."""
        import os

        from gongkai.core.law.config import ENV_UNIT

        return (self._unit or os.environ.get(ENV_UNIT) or self.config.unit or "").strip()

    @cached_property
    def engine(self) -> Any:
        """The database engine, migrated, bound to :attr:`unit`: every statement on it sees and
        writes that unit's rows only (:mod:`gongkai.core.records.scoping`)."""
        from gongkai.core.records.scoping import bound

        return bound(self.district_engine, self.unit.id)

    def session(self) -> Any:
        """A transaction on the unit's records: ``with app.session() as s: ...``."""
        from gongkai.core.records.storage import session_scope

        return session_scope(self.engine)

    def unit_session(self, unit_id: int) -> Any:
        """A transaction on one unit's records, that unit named (district roles, ``--all-units``)."""
        from gongkai.core.records.storage import session_scope
        from gongkai.core.records.scoping import bound

        return session_scope(bound(self.district_engine, unit_id))

    def district_session(self) -> Any:
        """A transaction over every unit's records (no scoping): for what spans units only."""
        from gongkai.core.records.storage import session_scope

        return session_scope(self.district_engine)

    def database_exists(self) -> bool:
        url = self.config.database_url
        if not url:
            return False
        if url.startswith("sqlite:///"):
            from pathlib import Path

            return Path(url[len("sqlite:///") :]).is_file()
        return True

    def sync_calendar(self) -> int:
        """Recompute stored provisional deadlines if the calendar changed; returns how many
        (the change is an event: :func:`gongkai.core.time.calendar_load.sync`)."""
        from gongkai.core.time.calendar_load import sync

        if self.config.district and not self.chosen_unit():
            return 0  # no unit's chain to log it in: the next command of any unit recomputes and logs it
        with self.session() as session:  # terms are shared by all units; the event goes to this unit's chain
            return sync(session, self.calendar)

    def reload_calendar(self) -> None:
        self.__dict__.pop("calendar", None)
