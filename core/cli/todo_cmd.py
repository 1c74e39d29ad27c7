"""``gongkai todo --as ACCOUNT``: that account's 我的待办, as the web shows it."""

import click

from gongkai.core.cli.common import day
from gongkai.core.cli.output import emit_json, emit_table


@click.command()
@click.option("--as", "account", required=True, help="账户名：列出该账户的待办")
@click.option("--as-of", help="按该日计算剩余工作日（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def todo(app, account, as_of, as_json):
    """我的待办：待该账户签署的审核步骤，分办给它的申请待答复、补正期满、征求意见期满的，待分办的申请和时限事项，最急的在前。"""
    from gongkai.core.requests.worklist import account_work
    from gongkai.core.today import today

    app.sync_calendar()
    with app.session() as session:
        lines = account_work(session, app, account, day(as_of, "--as-of") or today())
    if as_json:
        emit_json(lines)
        return
    if not lines:
        click.echo(f"{account} 没有待办事项。")
        return
    emit_table(["类别", "事项", "申请", "申请内容", "期限", "剩余工作日"],
               [[x["kind_name"], x["what"], x["request"] or (f"事项 {x['matter']}" if x.get("matter") else ""),
                 x["subject"], x["due"] or "", "已逾期" if x["overdue"] else x["days_left"]] for x in lines], max_width=40)
