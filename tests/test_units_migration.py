"""A unit's database made before units were records (main at 44a4019, schema 0015) upgrades:
every record belongs to the folder's one unit, the event chain and its hashes are unchanged,
and letters keep the numbers they were issued with (tests/data/make_unit_before_districts.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

from requests_helpers import approve_chain, before_steps
from sqlalchemy import MetaData, create_engine, select, text

from gongkai.core.records import schema
from gongkai.core.records.storage import make_engine, normalise_url
from gongkai.core.records.scoping import owned_tables

OLD = Path(__file__).parent / "data" / "unit-before-districts.db.gz"
HEAD = "13:4402613bd4c41c784f6be046cd14b0295e93e8097bbead0e9388a7d6e4ff4f19"  # the old chain's head
UNMODELLED = ("alembic_version", "request_search")


def old_database(folder: Path) -> Path:
    path = folder / "old.db"
    with gzip.open(OLD) as packed, open(path, "wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def load_into(url: str, source: Path) -> None:
    """The old database's rows into ``url`` at the old schema (PostgreSQL: same revisions, same rows)."""
    engine = make_engine(url)
    schema.upgrade(engine, "0015")
    old = create_engine(f"sqlite:///{source}")
    meta_old, meta_new = MetaData(), MetaData()
    meta_old.reflect(old)
    meta_new.reflect(engine)
    with old.connect() as read, engine.begin() as write:
        write.execute(text("DELETE FROM audit_chain"))
        for table in meta_new.sorted_tables:
            if table.name.startswith(UNMODELLED) or table.name not in meta_old.tables:
                continue
            rows = [{k: v.replace(tzinfo=dt.timezone.utc) if isinstance(v, dt.datetime) and v.tzinfo is None else v
                     for k, v in row._mapping.items()} for row in read.execute(select(meta_old.tables[table.name]))]
            if rows:
                write.execute(table.insert(), rows)
                if "id" in table.c:
                    write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                       f"(SELECT max(id) FROM {table.name}))"))
    old.dispose()
    engine.dispose()


def test_a_database_made_before_units_upgrades_into_its_folders_one_unit(backend, unit, gk, tmp_path):
    unit("changning", letter_prefix="长房公开")
    source = old_database(tmp_path)
    if backend.name == "sqlite":
        shutil.copy(source, tmp_path / "gongkai.db")
    else:
        load_into(backend.url, source)
    gk.ok("db", "upgrade")
    units = gk.json("unit", "list")
    assert [(u["code"], u["letter_prefix"]) for u in units] == [("main", "长房公开")]
    assert units[0]["name"] == "测试单位政府办公室"  # the folder's gongkai.toml names it
    engine = create_engine(normalise_url(backend.url))
    with engine.connect() as c:
        for table in sorted(owned_tables()):
            assert c.execute(text(f"SELECT count(*) FROM {table} WHERE unit_id <> 1")).scalar() == 0, table
        assert c.execute(text("SELECT count(*) FROM disclosure_request WHERE unit_id = 1")).scalar() == 3
    engine.dispose()
    # the chain is the unit's, hashes unchanged, and every record still matches the log
    report = gk.json("audit", "verify")
    assert report["ok"] and f"{report['events']}:{report['head']}" == HEAD
    assert report["records"]["checked"].items() >= {"request": 3, "document": 1, "matter": 1, "decision_count": 1}.items()
    # letters keep their numbers; the year's sequence goes on after the highest one issued
    gk.ok("request", "letter", "1", "--format", "md", "--out", "1.md")
    assert "长房公开〔2026〕1号" in Path("1.md").read_text(encoding="utf-8")
    approve_chain(gk, 3, before_steps(gk, 3))
    gk.ok("request", "reply", "3", "--outcome", "予以公开", "--on", "2026-03-12", "--by", "经办人")
    gk.ok("request", "letter", "3", "--format", "md", "--out", "3.md")
    assert "长房公开〔2026〕3号" in Path("3.md").read_text(encoding="utf-8")
    assert gk.json("request", "show", "长房申〔2026〕2号")["id"] == 2
    assert gk.json("audit", "verify")["ok"]
