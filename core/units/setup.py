"""Setting up a unit: ``gongkai.toml`` and its database (``gongkai init``)."""

from __future__ import annotations

import os
from pathlib import Path

from gongkai.core.law.config import CONFIG_NAME
from gongkai.core.errors import GongkaiError


def init_unit(folder: Path, jurisdiction: str, unit: str, reconsideration_body: str = "",
              database_url: str = "sqlite:///gongkai.db", force: bool = False, letter_prefix: str = "",
              district: bool = False) -> Path:
    """Write ``folder/gongkai.toml`` and create the database; refuses to overwrite without ``force``.

    Everything is checked first, the database included (built from a staged copy of the new
    configuration); ``gongkai.toml`` is replaced only when all of it worked, so a failed
    ``init --force`` leaves the unit as it was.
    """
    import tomli_w

    from gongkai.core.law.plugins import load_registry
    from gongkai.core.paperwork.safe_write import Target, write_file

    path = Path(folder) / CONFIG_NAME
    if path.exists() and not force:
        raise GongkaiError(f"{path} 已存在。如确需覆盖，请加 --force。")
    if district and (unit.strip() or letter_prefix.strip()):
        raise GongkaiError("区级服务器（--district）不填单位名称和机关代字：建立后用 `gongkai unit add 代码 --name 全称 "
                           "--letter-prefix 机关代字` 逐个新增单位。")
    if not district and not unit.strip():
        raise GongkaiError("单位名称不能为空（--unit）；建立区级服务器请加 --district。")
    registry = load_registry(jurisdiction)  # an unknown name fails with the installed list
    body = reconsideration_body.strip() or registry.jurisdiction.reconsideration_body
    if not body:
        raise GongkaiError("辖区插件未提供行政复议机关，请用 --reconsideration-body 填写。")
    config = ({"jurisdiction": jurisdiction, "district": True} if district else
              {"jurisdiction": jurisdiction, "unit": unit.strip()})
    config |= {"reconsideration_body": body, "database_url": database_url}
    if letter_prefix.strip():
        config["letter_prefix"] = letter_prefix.strip()  # 机关代字 of the 文号 (GB/T 9704-2012 7.2.4)
    text = tomli_w.dumps(config)
    staged = Path(folder) / f".{CONFIG_NAME}.{os.getpid()}.new"
    write_file(Target(str(staged), force=True), text)
    try:
        _create_database(staged, database_url)
        write_file(Target(str(path), force=True), text, allow_config=True)
    finally:
        staged.unlink(missing_ok=True)
    return path


def _refuse_records(app) -> None:
    """A district server starts empty: a unit's existing database is moved in with ``unit import-db``."""
    from sqlmodel import select

    from gongkai.core.records.units import Unit

    with app.district_session() as session:
        if session.exec(select(Unit.id).limit(1)).first() is not None:
            raise GongkaiError("该数据库已有单位的记录，不能作为新的区级数据库。请用新的数据库地址（--database-url）；"
                               "单位原有的数据库建立后用 `gongkai unit import-db` 迁入。")


def _refuse_rebinding(app) -> None:
    """A database holding a unit's records is never put under another unit's name by rewriting
    gongkai.toml (``init --force``): its records and log would be shown as that unit's, with no
    event saying so. A new name is given through ``unit edit``, which logs it."""
    from sqlmodel import func, select

    from gongkai.core.records.storage import Event
    from gongkai.core.records.units import Unit

    with app.district_session() as session:
        rows = session.exec(select(Unit)).all()
        if len(rows) != 1 or rows[0].name == app.config.unit:
            return
        events = session.exec(select(func.count()).select_from(Event).where(Event.unit_id == rows[0].id)).one()
    if events:
        row = rows[0]
        raise GongkaiError(f"数据库中已有单位“{row.name}”的记录（{events:,} 条事件），不能用 init --force 改署为“{app.config.unit}”，"
                           f"gongkai.toml 未改动。本单位更名请先用 `gongkai unit edit {row.code} --name 新名称`（记入事件日志），再运行本命令；"
                           "另建一个单位请换一个文件夹或 --database-url。")


def _create_database(config_path: Path, database_url: str) -> None:
    """Build the schema for the configuration at ``config_path``; a new SQLite file is removed on failure.

    ``database_url`` is passed explicitly, as a flag would be: the database checked is the one
    written into ``gongkai.toml``, whatever ``GONGKAI_DATABASE_URL`` says in this shell."""
    from gongkai.core.app import App

    app = App(str(config_path), database_url=database_url)
    url = app.config.database_url
    db_file = Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None
    fresh = db_file is not None and not db_file.exists()
    try:
        try:
            if app.config.district:
                _refuse_records(app)  # creates the schema
            else:
                app.engine  # noqa: B018 (creates the schema and the unit)
                _refuse_rebinding(app)
        except GongkaiError:
            raise
        except Exception as exc:  # a foreign or damaged file, a newer schema, a refused connection
            from gongkai.core.records.storage import display_url

            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise GongkaiError(f"无法在 {display_url(url)} 建立数据库（{reason}）。gongkai.toml 未改动；"
                               "请检查 --database-url 指向的是本单位的数据库或一个新文件。") from None
        finally:
            if "raw_engine" in app.__dict__:
                app.raw_engine.dispose()
    except GongkaiError:
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        raise
