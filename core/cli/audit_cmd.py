"""``gongkai audit``: checking the hash chain of the event log."""

import click

from gongkai.core.cli.output import emit_json


@click.group()
def audit():
    """审计：校验事件日志的哈希链。"""


@audit.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def verify(ctx, as_json):
    """逐条校验事件日志；报告第一处断链（事件被修改、删除或调换顺序）。退出码 2 表示校验失败。"""
    from gongkai.core.audit import verify as verify_chain

    with ctx.obj.session() as session:
        report = verify_chain(session)
    if as_json:
        emit_json(report)
    elif report["ok"]:
        click.echo(f"事件日志完整：共 {report['events']} 条事件，链头哈希 {report['head']}。")
        click.echo("可将链头哈希记录在库外（如签章的台账），以便日后核对。")
    broken = report["broken"]
    if broken:
        where = f"（事件 id={broken['event_id']}）" if broken["event_id"] is not None else ""
        click.echo(f"错误：事件日志在第 {broken['seq']} 条处断链{where}：{broken['problem']}。", err=True)
        ctx.exit(2)
