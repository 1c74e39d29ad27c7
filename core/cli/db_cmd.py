"""``gongkai db``: the schema revision of the database, and migrating it."""

import click

from gongkai.core.cli.output import emit_json
from gongkai.core.errors import GongkaiError


@click.group()
def db():
    """数据库结构版本：查看（current）与升级（upgrade）。"""


def _status(app) -> dict:
    from gongkai.core import schema
    from gongkai.core.storage import display_url, unreachable

    with unreachable(app.config.database_url):
        current = schema.current(app.raw_engine)
    head = schema.head()
    return {
        "backend": app.raw_engine.dialect.name,
        "url": display_url(app.config.database_url),
        "current": current,
        "head": head,
        "up_to_date": current == head,
    }


@db.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def current(app, as_json):
    """显示数据库当前的结构版本和最新版本。"""
    status = _status(app)
    if as_json:
        return emit_json(status)
    click.echo(f"数据库：{status['url']}（{status['backend']}）")
    click.echo(f"当前版本：{status['current'] or '（空库，尚未建表）'}")
    click.echo(f"最新版本：{status['head']}" + ("（已是最新）" if status["up_to_date"] else "（需要升级：gongkai db upgrade）"))


@db.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def upgrade(app, as_json):
    """把数据库结构升级到最新版本（全部成功或全部不变）。"""
    from gongkai.core import schema
    from gongkai.core.storage import unreachable

    before = _status(app)["current"]
    with unreachable(app.config.database_url):
        after = schema.upgrade(app.raw_engine)
    result = {**_status(app), "from": before, "to": after}
    if as_json:
        return emit_json(result)
    if before == after:
        click.echo(f"数据库已是最新版本 {after}，无需升级。")
    else:
        click.echo(f"数据库已从 {before or '空库'} 升级到 {after}。")


@db.command()
@click.option("-m", "--message", required=True, help="这次结构变化的说明（英文）")
def revision(message):
    """（开发者）根据模型与现有迁移的差异生成新的迁移文件。"""
    from gongkai.core import schema

    if not message.strip():
        raise GongkaiError("请用 -m 写明这次结构变化的说明。")
    path = schema.revision(message.strip())
    click.echo(f"已生成迁移文件 {path}，请检查后提交。")
