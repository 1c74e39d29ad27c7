"""``gongkai db``: the schema revision of the database, and migrating it."""

import click

from gongkai.core.cli.output import emit_json
from gongkai.core.errors import GongkaiError


@click.group()
def db():
    """数据库：结构版本（current、upgrade）、完好性检查（check）、备份与恢复（backup、restore）。"""


def _status(app) -> dict:
    from gongkai.core.records import schema
    from gongkai.core.records.storage import display_url, unreachable

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
    from gongkai.core.records import schema
    from gongkai.core.records.storage import unreachable

    before = _status(app)["current"]
    with unreachable(app.config.database_url):
        after = schema.upgrade(app.raw_engine, unit=app.unit_settings())
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
    from gongkai.core.records import schema
    if not message.strip():
        raise GongkaiError("请用 -m 写明这次结构变化的说明。")
    path = schema.revision(message.strip())
    click.echo(f"已生成迁移文件 {path}，请检查后提交。")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def check(ctx, as_json):
    """检查数据库是否完好：存储引擎的完整性检查（SQLite integrity_check；PostgreSQL 逐表读取及 amcheck 索引检查）、
    结构版本、事件日志哈希链及每条记录与日志是否一致（同 `gongkai audit verify`）。只读，不改动数据库。
    退出码 2 表示发现问题。"""
    from gongkai.core.cli.audit_cmd import echo_verify
    from gongkai.core.audit.database_check import check as check_database

    report = check_database(ctx.obj)
    if as_json:
        emit_json(report)
    out = (lambda *_a, **_k: None) if as_json else click.echo
    storage, revision = report["storage"], report["schema"]
    out(f"数据库：{report['url']}（{report['backend']}）")
    if storage["ok"]:
        out("存储完整性检查：通过")
    else:
        click.echo(f"错误：存储完整性检查发现 {len(storage['problems'])} 处问题（请从备份恢复）：", err=True)
        for problem in storage["problems"][:20]:
            click.echo(f"  {problem}", err=True)
    if revision["status"] == "current":
        out(f"结构版本：{revision['current']}（已是最新）")
    elif revision["status"] == "empty":
        click.echo("错误：空库，尚未建表：请先运行 `gongkai db upgrade` 或办理第一项业务。", err=True)
    else:
        click.echo(f"错误：结构版本 {revision['current'] or '（无）'} 落后于最新版本 {revision['head']}，"
                   "请先运行 `gongkai db upgrade`，再检查事件日志与记录。", err=True)
    if report["audit"] is not None:
        for one in report["audit"].get("units", [report["audit"]]):  # a district: every unit's chain
            if "units" in report["audit"] and not as_json:
                click.echo(f"【{one['unit']}】")
            echo_verify(one, errors_only=as_json)
    if not report["ok"]:
        ctx.exit(2)


@db.command(short_help="把数据库备份到文件并完整校验（通过才保留，链头记入事件日志）")
@click.argument("out", metavar="PATH")
@click.option("--by", help="经办人（记入事件日志；默认为 GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def backup(app, out, by, as_json):
    """把数据库备份到文件 PATH（办公中也可进行：SQLite 用其在线备份，PostgreSQL 用 pg_dump -Fc），
    再完整校验备份（同 `gongkai db check`）：通过才保留，从不覆盖已有文件。打印备份时每个单位的链头，
    并记入该单位的事件日志。备份含申请人个人信息，文件只有属主可读。"""
    from gongkai.core.audit.backup import backup as take_backup
    from gongkai.core.cli.common import actor

    result = take_backup(app, out, actor(by))
    if as_json:
        return emit_json(result)
    click.echo(f"已备份到 {result['path']}（{_size(result['bytes'])}），备份已通过校验："
               "存储完整性、结构版本、事件日志哈希链及全部记录与日志一致。")
    _echo_heads(result["units"])
    click.echo("已在事件日志中记下这次备份。可用 `gongkai db restore` 恢复到空库演练。")


@db.command(short_help="把备份恢复到空库，恢复前后都完整校验")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--by", help="经办人（记入事件日志；默认为 GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def restore(app, path, by, as_json):
    """把 `gongkai db backup` 做的备份 PATH 恢复到当前配置的数据库：该库须为空库（SQLite：文件尚不存在；
    PostgreSQL：新建的空库），决不覆盖已有记录。恢复前后都完整校验，并打印每个单位的链头（应与备份时打印的一致）。"""
    from gongkai.core.audit.backup import restore as restore_backup
    from gongkai.core.cli.common import actor
    from gongkai.core.records.storage import display_url

    result = restore_backup(app, path, actor(by))
    if as_json:
        return emit_json(result)
    click.echo(f"已把 {path} 恢复到 {display_url(app.config.database_url)}，恢复后的数据库已通过校验。")
    _echo_heads(result["units"])
    click.echo("链头应与备份时打印的一致；这次恢复已记入事件日志。")


def _echo_heads(units) -> None:
    for one in units:
        click.echo(f"单位 {one['unit']} 的链头：{one['head']}（共 {one['events']} 条事件）")


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{max(1, round(count / 1024))} KB"
