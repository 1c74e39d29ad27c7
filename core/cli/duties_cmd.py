"""``gongkai duties --year Y``: the jurisdiction's recurring obligations with dates."""

import click

from gongkai.core.cli.common import force_option, year_type
from gongkai.core.cli.output import emit_json, emit_table


@click.command()
@click.option("--year", type=year_type(), help="年份（默认今年）")
@click.option("--ics", "ics_path", help="同时导出为日历文件（.ics），可导入常用日历软件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def duties(app, year, ics_path, as_json, force):
    """列出本辖区全年的例行工作（年度报告、目录公开、考核、督查、培训、栏目更新等）及具体日期。"""
    from gongkai.core.matters.duties import duties as duty_dates
    from gongkai.core.matters.duties import write_ics
    from gongkai.core.matters.urgency import now_beijing

    year = year or now_beijing().year
    j = app.registry.jurisdiction
    items = duty_dates(app.registry, year)
    if ics_path:
        write_ics(items, app.output(ics_path, force), j.name, f"{j.display_name}{year}年政务公开例行工作")
        if ics_path == "-":
            return
    if as_json:
        emit_json({"jurisdiction": j.name, "year": year, "ics": ics_path, "duties": [d.to_json(j.name) for d in items]})
        return
    click.echo(f"{j.display_name}{year}年例行工作 {len(items)} 项：")
    emit_table(["日期", "事项", "依据"], [[d.date.isoformat(), d.title, str(d.rule.citation)] for d in items], max_width=50)
    if ics_path:
        click.echo(f"已导出日历：{ics_path}")
