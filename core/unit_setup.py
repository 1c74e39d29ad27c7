"""Setting up a unit: ``gongkai.toml`` and its database (``gongkai init``)."""

from __future__ import annotations

from pathlib import Path

from gongkai.core.config import CONFIG_NAME
from gongkai.core.errors import GongkaiError


def init_unit(folder: Path, jurisdiction: str, unit: str, reconsideration_body: str = "",
              database_url: str = "sqlite:///gongkai.db", force: bool = False, letter_prefix: str = "") -> Path:
    """Write ``folder/gongkai.toml`` and create the database; refuses to overwrite without ``force``."""
    import tomli_w

    from gongkai.core.app import App
    from gongkai.core.plugins import load_registry

    path = Path(folder) / CONFIG_NAME
    if path.exists() and not force:
        raise GongkaiError(f"{path} 已存在。如确需覆盖，请加 --force。")
    if not unit.strip():
        raise GongkaiError("单位名称不能为空（--unit）。")
    registry = load_registry(jurisdiction)  # an unknown name fails with the installed list
    body = reconsideration_body.strip() or registry.jurisdiction.reconsideration_body
    if not body:
        raise GongkaiError("辖区插件未提供行政复议机关，请用 --reconsideration-body 填写。")
    config = {"jurisdiction": jurisdiction, "unit": unit.strip(), "reconsideration_body": body,
              "database_url": database_url}
    if letter_prefix.strip():
        config["letter_prefix"] = letter_prefix.strip()  # 机关代字 of the 文号 (GB/T 9704-2012 7.2.4)
    path.write_text(tomli_w.dumps(config), encoding="utf-8")
    App(str(path)).engine  # creates the schema
    return path
