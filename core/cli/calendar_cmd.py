"""``gongkai calendar``: the working-day calendar."""

import datetime as dt

import click

from gongkai.core.cli.common import year_type
from gongkai.core.cli.output import emit_json, emit_table
from gongkai.core.errors import GongkaiError

KIND_LABELS = {"workday": "工作日", "weekend": "周末", "holiday": "节假日", "makeup_workday": "调休上班日"}


@click.command()
@click.argument("date", required=False)
@click.option("--year", type=year_type(), help="列出该年的节假日与调休上班日")
@click.option("--load", "load_file", type=click.Path(exists=True, dir_okay=False), help="载入一年的国务院节假日安排文件（TOML）")
@click.option("--replace", is_flag=True, help="与 --load 同用：替换已有正式安排的年份（如国务院发文调整）")
@click.option("--by", help="与 --load 同用：载入人（记入事件日志；默认 GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def calendar(app, date, year, load_file, replace, by, as_json):
    """查询某日是否工作日（日期），列出某年安排（--year），或载入新一年的安排（--load）。"""
    if sum(x is not None for x in (date, year, load_file)) != 1:
        raise GongkaiError("请只给出一项：日期（如 2026-10-08）、--year 年份，或 --load 安排文件。")
    if load_file:
        return _load(app, load_file, replace, by, as_json)
    if replace:
        raise GongkaiError("--replace 只与 --load 同用。")
    cal = app.calendar
    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise GongkaiError(f"“{date}”不是有效日期，请写成 2026-10-08 的形式。") from None
        info = cal.day(day).to_json()
        if as_json:
            emit_json(info)
        else:
            note = "（暂定）" if info["provisional"] else ""
            click.echo(f"{info['date']}：{KIND_LABELS[info['kind']]}{note}" + (f"，{info['name']}" if info["name"] else ""))
        return
    days = [d.to_json() for d in cal.year(year)]
    if as_json:
        emit_json({"year": year, "provisional": cal.is_provisional(dt.date(year, 12, 31)), "days": days})
        return
    if cal.is_provisional(dt.date(year, 12, 31)):
        click.echo(f"{year}年国务院节假日安排尚未公布，以下按法定节假日规则推算（暂定）。")
    emit_table(["日期", "类型", "名称"], [[d["date"], KIND_LABELS[d["kind"]], d["name"] or ""] for d in days])


def _load(app, path, replace, by, as_json):
    from gongkai.core.time.calendar_load import load_schedule
    from gongkai.core.cli.common import actor

    result = load_schedule(app, path, replace=replace, actor=actor(by))
    if as_json:
        emit_json(result)
        return
    verb = "替换" if result["replaced"] else "载入"
    click.echo(f"已{verb} {result['year']} 年节假日安排：{result['file']}；该年期限不再是暂定结果。")
    click.echo(f"改变的日子 {len(result['changed_days'])} 天，已重算暂定期限 {result['recomputed']} 条；本次载入已记入事件日志。")
