"""``gongkai newmedia open|close|accounts``: the unit's government new-media accounts, each
opening and closing an event, within the jurisdiction's :class:`AccountLimit`."""

import click

from gongkai.core.cli.common import signer
from gongkai.core.cli.duties_cmd import _date
from gongkai.core.cli.output import emit_json, emit_table


@click.group()
def newmedia():
    """政务新媒体账号：开通（须提前报备、不超过规定数量）、注销、列出。"""


@newmedia.command("open")
@click.option("--platform", required=True, help="平台，如 微博、微信公众号（以本辖区规定为准）")
@click.option("--name", required=True, help="账号名称")
@click.option("--on", callback=_date, required=True, help="开通日期")
@click.option("--filed-on", callback=_date, help="向有关部门报备的日期（须不晚于开通日期）")
@click.option("--by", default="", help="登记人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def open_(app, platform, name, on, filed_on, by, as_json):
    """登记开通一个政务新媒体账号。"""
    from gongkai.core.matters.duty_records import open_account

    with app.session() as session:
        data = open_account(session, app.registry, platform=platform, name=name, on=on, filed_on=filed_on,
                            by=signer(session, app, by, "newmedia.account", free=by))
    if as_json:
        emit_json(data)
        return
    click.echo(f"已登记第{data['event']}号账号：{data['platform']}“{data['name']}”，{data['on']}开通，{data['filed_on']}已报备。")


@newmedia.command("close")
@click.argument("number", type=int, metavar="账号编号")
@click.option("--on", callback=_date, required=True, help="注销日期")
@click.option("--filed-on", callback=_date, help="更新报备的日期")
@click.option("--by", default="", help="登记人（本单位已启用账户的：账户名）")
@click.pass_obj
def close(app, number, on, filed_on, by):
    """登记注销一个政务新媒体账号（须及时更新报备）。"""
    from gongkai.core.matters.duty_records import close_account

    with app.session() as session:
        data = close_account(session, app.registry, number=number, on=on, filed_on=filed_on,
                             by=signer(session, app, by, "newmedia.account", free=by))
    click.echo(f"已登记注销：{data['platform']}“{data['name']}”（{data['on']}）。")


@newmedia.command("accounts")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def accounts(app, as_json):
    """列出开通中的政务新媒体账号。"""
    from gongkai.core.matters.duty_records import account_rule, open_accounts
    from gongkai.core.today import today

    account_rule(app.registry)
    with app.session() as session:
        rows = open_accounts(session, today().year)
    if as_json:
        emit_json(rows)
        return
    emit_table(["编号", "平台", "账号名称", "开通日期", "报备日期"],
               [[a["event"], a["platform"], a["name"], a["on"], a["filed_on"]] for a in rows])
