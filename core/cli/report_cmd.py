"""``gongkai report annual --year Y``: the annual report (年度报告) in the national format."""

import click

from gongkai.core.cli.common import force_option, year_type
from gongkai.core.cli.output import emit_json, emit_table


@click.group()
def report():
    """生成政府信息公开工作报告。"""


@report.command()
@click.option("--year", required=True, type=year_type(), help="报告年度，如 2026")
@click.option("--unit", help="报告单位名称（默认：gongkai.toml 中的 unit）")
@click.option("--government", is_flag=True, default=None,
              help="本级政府的年度报告（3月31日前，长宁区2月28日前）；默认按 gongkai.toml 的 unit_level，否则为部门报告（1月31日前）")
@click.option("--narrative", type=click.Path(file_okay=False),
              help="文字材料目录：一.md（总体情况）、五.md（存在的主要问题及改进情况）、六.md（其他需要报告的事项）")
@click.option("--format", "fmt", type=click.Choice(["html", "docx", "pdf", "xlsx"]),
              help="输出格式（须同时给 --out；pdf 由 LibreOffice 转换）")
@click.option("--date", "report_date", help="成文日期（报告末尾的日期，默认今天）")
@click.option("--out", help="输出文件路径（- 为标准输出）")
@click.option("--json", "as_json", is_flag=True, help="输出全部数字（JSON）")
@force_option
@click.pass_obj
def annual(app, year, unit, government, narrative, fmt, report_date, out, as_json, force):
    """按国办公开办函〔2021〕30号格式生成年度报告；先做勾稽关系校验，不通过则不生成。"""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.reports import annual as annual_report
    from gongkai.core.reports.check import COLUMN_LABELS
    from gongkai.core.reports.output import layout_for, request_rows, write

    if bool(fmt) != bool(out):
        raise GongkaiError("--format 与 --out 须同时给出，如 --format docx --out 2026年报.docx。")
    from gongkai.core.cli.common import day
    from gongkai.core.today import today

    data = annual_report.build(app, year, unit=unit, government=government, narrative=narrative)
    data["date"] = (day(report_date, "--date") or today()).isoformat()
    written = write(app.registry.template_dirs, data, fmt, app.output(out, force), layout_for(app.config)) if fmt else None
    if out == "-":
        return
    if as_json:
        emit_json({**data, "output": str(written) if written else None})
        return
    click.echo(data["title"])
    click.echo(f"公布期限：{data['due']['date']}（{data['due']['citation']}）")
    click.echo("勾稽关系校验：通过")
    click.echo(f"依据的事件日志链头：{data['audit_head']['head']}（日后可用 `gongkai audit verify --expect-head` 核对）")
    headers = ["项目", *(label.rpartition("·")[2] for label in COLUMN_LABELS.values())]
    emit_table(headers, [(label, *cells) for label, cells in request_rows(data)], max_width=40)
    missing = [k for k, v in data["narrative"].items() if not v]
    if missing:
        click.echo(f"提示：缺少第{'、'.join(missing)}部分文字材料（--narrative 目录中的 {'、'.join(k + '.md' for k in missing)}）。",
                   err=True)
    if written:
        click.echo(f"已写入 {written}")
