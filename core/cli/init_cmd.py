"""``gongkai init``: write gongkai.toml for a unit and create its database."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--jurisdiction", "jurisdiction_name", required=True, help="辖区插件名，如 changning")
@click.option("--unit", default="", help="单位名称（告知书落款）；区级服务器（--district）不填")
@click.option("--district", is_flag=True, help="区级服务器：一个数据库存放全区各单位的记录，再用 `gongkai unit add` 新增单位")
@click.option("--reconsideration-body", default="", help="行政复议机关（默认取辖区插件的设定）")
@click.option("--letter-prefix", default="", help="机关代字，用于告知书文号“机关代字〔年份〕序号号”，如 长府办信")
@click.option("--database-url", default="sqlite:///gongkai.db", help="数据库地址（默认当前目录下 gongkai.db）")
@click.option("--force", is_flag=True, help="覆盖已有的 gongkai.toml")
@click.pass_obj
def init(app, jurisdiction_name, unit, district, reconsideration_body, letter_prefix, database_url, force):
    """在当前目录写入 gongkai.toml（辖区、单位、复议机关、数据库）并建立数据库。"""
    from gongkai.core.units.setup import init_unit

    path = init_unit(Path.cwd(), jurisdiction_name, unit, reconsideration_body, database_url, force,
                     letter_prefix=letter_prefix, district=district)
    if district:
        return click.echo(f"已写入 {path}，区级数据库已建立。下一步：`gongkai unit add 代码 --name 单位全称` 新增单位。")
    click.echo(f"已写入 {path}，数据库已建立。")
