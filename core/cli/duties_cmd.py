"""``gongkai duties --year Y``: the jurisdiction's recurring obligations with dates, and how
each stands; ``gongkai duty done|occurred``: record what was done (events)."""

import datetime as dt

import click

from gongkai.core.cli.common import force_option, signer, year_type
from gongkai.core.cli.output import emit_json, emit_table


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 2026-09-24 的形式。") from None
    from gongkai.core.records.limits import check_date
    from gongkai.core.today import not_future

    return not_future(check_date(day, param.opts[0]), "办理")  # 1990–2100, as every other date


@click.command()
@click.option("--year", type=year_type(), help="年份（默认今年）")
@click.option("--ics", "ics_path", help="同时导出为日历文件（.ics），可导入常用日历软件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def duties(app, year, ics_path, as_json, force):
    """列出本辖区全年的例行工作（年度报告、目录公开、考核、督查、培训、栏目更新等）、具体日期和承担单位；
    在本单位目录下运行时，只列本单位承担的（按单位层级和单位标记，见 `gongkai unit edit`），
    同时列出各项的办理情况（用 `gongkai duty done` 登记）和待办的备案事项。"""
    from gongkai.core.matters.duties import duties as duty_dates
    from gongkai.core.matters.duties import write_ics
    from gongkai.core.matters.urgency import now_beijing
    from gongkai.core.today import today

    year = year or now_beijing().year
    j = app.registry.jurisdiction
    unit = app.unit if app.config.database_url else None  # in a unit's folder: its own duties only
    items = duty_dates(app.registry, year, unit)
    clocks = []
    if app.config.database_url:  # in a unit's folder: its answers to appeals are due on fixed days too
        from gongkai.core.matters.duties import clock_dates

        with app.session() as session:
            clocks = clock_dates(session, app.registry, year)
        items = sorted([*items, *clocks], key=lambda d: (d.date, d.rule.id))
    if ics_path:
        write_ics(items, app.output(ics_path, force), j.name, f"{j.display_name}{year}年政务公开例行工作")
        if ics_path == "-":
            return
    statuses = None
    if app.config.database_url:  # in a unit's folder: what the unit recorded
        from gongkai.core.matters.duty_records import duty_status

        with app.session() as session:
            statuses = duty_status(session, app.registry, year, today(), unit)
    if as_json:
        rows = [s.to_json(j.name) for s in statuses] if statuses is not None else [d.to_json(j.name) for d in items]
        emit_json({"jurisdiction": j.name, "year": year, "ics": ics_path, "duties": rows,
                   "clocks": [c.to_json(j.name) for c in clocks]})
        return
    if statuses is None:
        from gongkai.core.matters.duties import bearer

        click.echo(f"{j.display_name}{year}年例行工作 {len(items)} 项：")
        emit_table(["日期", "事项", "承担单位", "依据"],
                   [[d.date.isoformat(), d.title, bearer(d.rule), str(d.rule.citation)] for d in items], max_width=50)
    else:
        from gongkai.core.matters.duty_records import STATE_NAMES

        click.echo(f"{unit.name or j.display_name}{year}年例行工作 {len(statuses)} 项（本单位承担的）：")
        emit_table(
            ["日期", "事项", "办理情况", "依据"],
            [[s.date.isoformat(), s.title + (f"：{s.note}" if s.note else ""),
              STATE_NAMES[s.state] + (f"（{s.done_on}）" if s.done_on else ""), str(s.rule.citation)] for s in statuses],
            max_width=50,
        )
    if clocks:
        click.echo(f"复议答复、应诉答辩期限 {len(clocks)} 项：")
        emit_table(["日期", "事项", "依据"], [[c.date.isoformat(), c.title, str(c.rule.citation)] for c in clocks],
                   max_width=50)
    if ics_path:
        click.echo(f"已导出日历：{ics_path}")


@click.group()
def duty():
    """登记例行工作的办理情况（培训、听取汇报、目录更新、舆情收集、自查等）和须备案的事项（如人员变动）。"""


@duty.command("done")
@click.argument("name", metavar="事项")
@click.option("--on", callback=_date, required=True, help="办理日期，如 2026-09-24")
@click.option("--note", default="", help="说明，如 培训主题、汇报会议名称、公开的事项")
@click.option("--attendee", "attendees", multiple=True, help="参加人员（培训、听取汇报等），可重复")
@click.option("--hours", type=float, help="培训学时")
@click.option("--failed", "failed", multiple=True, help="培训考试不合格的参加人员，可重复")
@click.option("--for", "trigger", type=int, help="对应的待办事项编号（须备案的事项，默认最早一件）")
@click.option("--by", default="", help="登记人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def done(app, name, on, note, attendees, hours, failed, trigger, by, as_json):
    """登记一项例行工作已办理（事项：`gongkai duties` 中的事项名称或规则编号）。"""
    from gongkai.core.matters.duty_records import record_done

    with app.session() as session:
        data = record_done(session, app.registry, name, on=on, by=signer(session, app, by, "duty.record", free=by),
                           note=note, attendees=attendees, hours=hours, failed=failed, trigger=trigger, unit=app.unit)
    if as_json:
        emit_json(data)
        return
    who = f"，参加人员：{'、'.join(data['attendees'])}" if data.get("attendees") else ""
    click.echo(f"已登记：{data['title']}（{data['on']}）{who}。")


@duty.command("occurred")
@click.argument("name", metavar="事项")
@click.option("--on", callback=_date, required=True, help="发生日期")
@click.option("--note", required=True, help="内容，如 某某调离，由某某接任")
@click.option("--by", default="", help="登记人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def occurred(app, name, on, note, by, as_json):
    """登记引起备案等义务的事项（如政务公开工作人员变动），办理后用 `gongkai duty done` 登记。"""
    from gongkai.core.matters.duty_records import record_trigger, resolve_duty

    with app.session() as session:
        data = record_trigger(session, app.registry, name, on=on, note=note,
                              by=signer(session, app, by, "duty.record", free=by), unit=app.unit)
        rule = resolve_duty(app.registry, name, unit=app.unit)
    if as_json:
        emit_json(data)
        return
    click.echo(f"已登记第{data['event']}号：{rule.trigger}（{data['on']}）。须{rule.when}{rule.action}（{rule.citation}）。")
