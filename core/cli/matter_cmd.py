"""``gongkai matter open|close|show|kinds`` and ``gongkai matters``: time-critical matters."""

import click

from gongkai.core.cli.common import signer
from gongkai.core.cli.output import emit_json, emit_table

AT_HELP = "时间，如 2026-09-24 或 2026-09-24T22:30（北京时间；默认当前时间）"


def _now_text():
    from gongkai.core.matters.urgency import now_beijing

    return now_beijing().replace(second=0, microsecond=0).isoformat()


def _print_matter(data, heading):
    click.echo(f"{heading}：事项 #{data['id']}（{data['kind_name']}）")
    if data["note"]:
        click.echo(f"说明：{data['note']}")
    click.echo(f"开立：{data['opened_at']}" + (f"；办结：{data['closed_at']}" if data["closed_at"] else ""))
    for clock in data["clocks"]:
        limit = f"；最迟 {clock['limit']}" if clock["limit"] else ""
        state = {"open": "", "met": "（已办结）", "cancelled": "（已取消）"}.get(clock["status"], "")
        provisional = "（暂定）" if clock["provisional"] else ""
        click.echo(f"- {clock['summary'] or clock['rule']}")
        click.echo(f"  到期：{clock['due']}{limit}{provisional}{state}；依据：{clock['citation']}")


BY_HELP = "经办人（本单位已启用账户的：账户名，须具有承办人角色；默认：GONGKAI_USER）"


@click.group()
def matter():
    """时限事项：舆情回应、政务新媒体、在线咨询、领导信箱、双公示等。"""


@matter.command("open")
@click.argument("kind", metavar="事项类型")
@click.option("--at", "at", help="事件发生或收到的" + AT_HELP)
@click.option("--note", default="", help="事项说明，如来信标题、事件名称")
@click.option("--condition-met", is_flag=True,
              help="事项符合附条件时限的适用条件（如新闻发布会：造成重大人员伤亡或者社会影响较大的）")
@click.option("--by", default=None, help=BY_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def open_(app, kind, at, note, condition_met, by, as_json):
    """开立一件事项（事项类型：类型名称或规则编号）并登记全部时限（`gongkai matter kinds` 查看可用类型）。"""
    from gongkai.core.matters.kinds import kind_name
    from gongkai.core.matters.workflow import open_matter

    with app.session() as session:
        data = open_matter(session, app.registry, app.calendar, kind, at or _now_text(), note,
                           actor=signer(session, app, by, "matter.open", free=by or ""), condition_met=condition_met)
    if as_json:
        emit_json(data)
    else:
        _print_matter(data, "已开立")
        for skipped in data.get("not_opened", []):
            click.echo(f"未开立：{kind_name(skipped['rule'])}（仅适用于{skipped['condition']}；符合的，开立时加 --condition-met）")


@matter.command("close")
@click.argument("matter_id", type=int)
@click.option("--at", "at", help="办结" + AT_HELP)
@click.option("--clock", help="只办结其中一项时限，如 新闻发布会（其余时限继续计时；默认全部办结）")
@click.option("--by", default=None, help=BY_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def close(app, matter_id, at, clock, by, as_json):
    """办结一件事项（事项编号），其全部时限一并了结；--clock 只办结其中一项。"""
    from gongkai.core.matters.workflow import close_matter

    with app.session() as session:
        data = close_matter(session, app.registry, app.calendar, matter_id, at or _now_text(), clock=clock,
                            actor=signer(session, app, by, "matter.close", free=by or ""))
    if as_json:
        emit_json(data)
        return
    _print_matter(data, "已办结" if data["closed_at"] else "已办结其中一项时限")
    if data["late"]:
        names = {c.get("name"): c["label"] for c in data["clocks"]}
        click.echo(f"注意：以下时限已超期办结：{'、'.join(names.get(n) or n for n in data['late'])}")


@matter.command("show")
@click.argument("matter_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def show(app, matter_id, as_json):
    """查看一件事项（事项编号）及其时限。"""
    from gongkai.core.matters.workflow import get_matter

    with app.session() as session:
        data = get_matter(session, app.registry, app.calendar, matter_id)
    if as_json:
        emit_json(data)
    else:
        _print_matter(data, "事项")


@matter.command("kinds")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def kinds(app, as_json):
    """列出本辖区的事项类型及其时限。"""
    from gongkai.core.matters.workflow import kinds_json

    data = kinds_json(app.registry)
    if as_json:
        emit_json(data)
        return
    emit_table(
        ["类型", "规则", "时限", "依据"],  # the rule ID is what `matter open` takes, as does the name
        [[k["name"], k["kind"], "；".join(c["period"] for c in k["clocks"]), k["citation"]] for k in data],
    )


@click.command()
@click.option("--overdue", is_flag=True, help="只列已超期的事项")
@click.option("--all", "include_closed", is_flag=True, help="包括已办结的事项")
@click.option("--as-of", "as_of", help="以该时间判断是否超期（默认当前时间）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def matters(app, overdue, include_closed, as_of, as_json):
    """列出时限事项（默认只列未办结的）。"""
    from gongkai.core.matters.kinds import kind_name
    from gongkai.core.matters.workflow import list_matters, parse_at

    now, _ = parse_at(as_of or _now_text(), "--as-of")
    app.sync_calendar()
    with app.session() as session:
        rows = list_matters(session, app.registry, app.calendar, now, overdue_only=overdue, include_closed=include_closed)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("没有超期的事项。" if overdue else "没有事项。")
        return
    emit_table(
        ["编号", "类型", "说明", "到期", "状态"],
        [
            [
                r["id"],
                r["kind_name"],
                r["note"],
                "；".join(c["due"] for c in r["clocks"]),
                "已办结" if r["closed_at"] else ("超期：" + "、".join(map(kind_name, r["overdue"])) if r["overdue"] else "办理中"),
            ]
            for r in rows
        ],
    )
