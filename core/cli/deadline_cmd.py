"""``gongkai deadline RULE --start DATE``: compute and explain one deadline."""

import click

from gongkai.core.cli.output import emit_json


@click.command()
@click.argument("rule_id")
@click.option("--start", required=True, help="起算日（第0日），如 2026-09-24；小时/分钟类期限可写 2026-09-24T22:30（默认北京时间）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def deadline(app, rule_id, start, as_json):
    """计算期限规则（规则编号）的到期日，并说明依据。"""
    from gongkai.core.time.deadlines import compute, parse_moment

    rule = app.registry.deadline(rule_id)
    result = compute(rule, parse_moment(start, rule.unit), app.calendar)
    data = result.to_json(app.jurisdiction_name)
    if as_json:
        emit_json(data)
        return
    click.echo(f"规则：{rule.id}（{app.registry.jurisdiction.display_name}）")
    click.echo(f"内容：{rule.summary}")
    click.echo(f"期限：{rule.describe()}，起算日 {data['start']} 为第0日")
    click.echo(f"到期：{data['due']}" + (f"；最迟 {data['limit']}" if data["limit"] else ""))
    if result.provisional:
        click.echo(f"注意：{app.calendar.last_final_year + 1}年起国务院节假日安排尚未公布，本期限按法定节假日规则推算，为暂定结果。")
    click.echo(f"依据：{rule.citation}")
