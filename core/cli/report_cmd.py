"""``gongkai report annual --year Y``: the annual report (年度报告) in the national format."""

import click

from gongkai.core.cli.common import force_option, year_type
from gongkai.core.cli.output import emit_json, emit_table


@click.group()
def report():
    """生成政府信息公开工作报告。"""


@report.command()
@click.option("--year", required=True, type=year_type(), help="报告年度，如 2026")
@click.option("--unit-name", "unit", help="报告署名的单位名称（默认：本单位的名称）")
@click.option("--unit", "unit_code", metavar="单位代码", help="报告哪个单位（单位代码，同全局 --unit）")
@click.option("--government", is_flag=True, default=None,
              help="本级政府的年度报告（条例 第四十九条第二款：3月31日前；辖区规定更早的，按辖区规则，"
                   "见 gongkai rules）；区级服务器上汇总全部单位，附各单位情况表；"
                   "默认按 gongkai.toml 的 unit_level，否则为部门报告（条例 第四十九条：1月31日前）")
@click.option("--all-units", is_flag=True,
              help="区级服务器：一次生成每个单位自己的年度报告，写入 --out 文件夹（每单位一个文件，默认 html）")
@click.option("--narrative", type=click.Path(file_okay=False),
              help="文字材料目录：一.md（总体情况）、五.md（存在的主要问题及改进情况）、六.md（其他需要报告的事项）；"
                   "--all-units 时其中每个单位一个以单位代码命名的子目录")
@click.option("--format", "fmt", type=click.Choice(["html", "docx", "pdf", "xlsx"]),
              help="输出格式（须同时给 --out；pdf 由 LibreOffice 转换）")
@click.option("--date", "report_date", help="成文日期（报告末尾的日期，默认今天）")
@click.option("--out", help="输出文件路径（- 为标准输出）")
@click.option("--json", "as_json", is_flag=True, help="输出全部数字（JSON）")
@force_option
@click.pass_obj
def annual(app, year, unit, unit_code, government, all_units, narrative, fmt, report_date, out, as_json, force):
    """按国办公开办函〔2021〕30号格式生成年度报告；先做勾稽关系校验，不通过则不生成。"""
    from gongkai.core.errors import GongkaiError

    if unit_code:
        chosen = app.named_unit()
        if chosen and chosen != unit_code:
            # the figures are one unit's and the title another's: never both
            raise GongkaiError(f"全局 --unit {chosen} 与 report annual --unit {unit_code} 指定了不同的单位，请只指定一个。"
                               "报告署名的单位名称请用 --unit-name。")
        app.choose(unit_code)
    from gongkai.core.reports import annual as annual_report
    from gongkai.core.reports.check import COLUMN_LABELS
    from gongkai.core.reports.output import layout_for, request_rows, write

    from gongkai.core.cli.common import day
    from gongkai.core.today import today

    dated = (day(report_date, "--date") or today()).isoformat()
    if all_units:
        return _all_units(app, year, government, unit or unit_code, narrative, fmt or "html", dated, out, as_json, force)
    if bool(fmt) != bool(out):
        raise GongkaiError("--format 与 --out 须同时给出，如 --format docx --out 2026年报.docx。")
    if government and app.config.district:
        if unit:
            raise GongkaiError("区级服务器的本级政府年度报告以层级为“人民政府”的单位署名，不用 --unit-name。")
        from gongkai.core.reports.district import build_government

        data = build_government(app, year, narrative)
    else:
        data = annual_report.build(app, year, unit=unit, government=government, narrative=narrative)
    data["date"] = dated
    written = write(app.registry.template_dirs, data, fmt, app.output(out, force), layout_for(app.config)) if fmt else None
    if out == "-":
        return
    if as_json:
        emit_json({**data, "output": str(written) if written else None})
        return
    click.echo(data["title"])
    click.echo(f"公布期限：{data['due']['date']}（{data['due']['citation']}）")
    click.echo("勾稽关系校验：通过" + (f"（{len(data['units'])} 个单位逐一校验，并校验合计）" if "units" in data else ""))
    if "units" in data:
        click.echo("依据的各单位事件日志链头：见 --json 输出的 units[].audit_head（日后可用 `gongkai --unit 代码 audit verify --expect-head` 核对）")
    else:
        click.echo(f"依据的事件日志链头：{data['audit_head']['head']}（日后可用 `gongkai audit verify --expect-head` 核对）")
    headers = ["项目", *(label.rpartition("·")[2] for label in COLUMN_LABELS.values())]
    emit_table(headers, [(label, *cells) for label, cells in request_rows(data)], max_width=40)
    if "units" in data:
        from gongkai.core.reports.district import APPENDIX_COLUMNS, APPENDIX_TITLE, SUM_LABEL

        click.echo(APPENDIX_TITLE)
        emit_table(["单位", *APPENDIX_COLUMNS.values()],
                   [[u["name"], *(u[k] for k in APPENDIX_COLUMNS)] for u in [*data["units"], {"name": SUM_LABEL, **data["units_total"]}]],
                   max_width=40)
    missing = [k for k, v in data["narrative"].items() if not v]
    if missing:
        click.echo(f"提示：缺少第{'、'.join(missing)}部分文字材料（--narrative 目录中的 {'、'.join(k + '.md' for k in missing)}）。",
                   err=True)
    if written:
        click.echo(f"已写入 {written}")


def _all_units(app, year, government, unit, narrative, fmt, dated, out, as_json, force):
    """``--all-units``: every unit's own report into the folder ``--out``, with a progress bar."""
    import sys
    from pathlib import Path

    from gongkai.core.errors import GongkaiError
    from gongkai.core.reports.district import server_units, write_unit_reports

    if government or unit:
        raise GongkaiError("--all-units 生成每个单位自己的报告，不与 --government、--unit、--unit-name 同用；"
                           "本级政府汇总报告用 --government。")
    if not out or out == "-":
        raise GongkaiError("--all-units 须用 --out 指定文件夹（每个单位一个文件），如 --out 各单位年报/。")
    if not app.config.district:
        raise GongkaiError("--all-units 用于区级服务器（gongkai.toml 中 district = true）；本单位的报告不加 --all-units。")
    if Path(out).exists() and not Path(out).is_dir():
        raise GongkaiError(f"--out {out} 是已有的文件，--all-units 需要一个文件夹。")
    units = server_units(app)
    if not units:
        raise GongkaiError("本服务器上还没有单位，请先用 `gongkai unit add` 添加单位。")
    Path(out).mkdir(parents=True, exist_ok=True)
    with click.progressbar(units, label="生成各单位年度报告", file=sys.stderr, show_pos=True,
                           item_show_func=lambda u: u.name if u else None) as bar:
        written, refused = write_unit_reports(app, bar, year, fmt, app.output(out, force), narrative=narrative,
                                              dated=dated)
    if as_json:
        emit_json({"year": year, "written": written, "refused": refused})
    else:
        for w in written:
            click.echo(f"已写入 {w['file']}（{w['name']}，应于 {w['due']} 前公布）")
    if refused:
        raise GongkaiError(f"{len(refused)} 个单位的报告未生成：" + "；".join(f"{r['name']}（{r['code']}）：{r['error']}" for r in refused))


@report.command("publish")
@click.option("--year", required=True, type=year_type(), help="报告年度，如 2026")
@click.option("--on", "on", help="公布日期（默认今天）")
@click.option("--narrative", type=click.Path(file_okay=False),
              help="文字材料目录：一.md（总体情况）、五.md（存在的主要问题及改进情况）、六.md（其他需要报告的事项）")
@click.option("--by", help="办理人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def publish(app, year, on, narrative, by, as_json):
    """公布年度报告（条例 第四十九条）：按当日记录生成并校验该年度报告，定稿记入事件日志；
    公开专栏（gongkai serve 的 /gk/ 与 gongkai site build）随之列出该年度报告的网页版和 PDF。"""
    from gongkai.core.cli.common import day, signer
    from gongkai.core.reports.publication import build_for_publication, record_publication
    from gongkai.core.today import not_future, today

    when = not_future(day(on, "--on") or today(), "公布")
    report = build_for_publication(app, year, when, narrative)
    with app.session() as session:
        data = record_publication(session, report, signer(session, app, by, "report.publish"))
    if as_json:
        return emit_json(data)
    click.echo(f"已公布《{data['title']}》（{data['published_on']}）。")


@report.command("check")
@click.argument("file")
@click.option("--against-records", "against", is_flag=True,
              help="再与本单位记录逐格核对（报告年度的各项数字，与 report annual 所列相同）")
@click.option("--year", type=year_type(), help="报告年度（默认取文件标题中的年度，如“2026年政府信息公开工作年度报告”）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def check(app, file, against, year, as_json):
    """核对已公布的年度报告（网页 .html、Word .docx、Excel .xlsx，本系统或其他系统生成的均可）：
    列出违反格式勾稽关系的每一格（第三部分各行的总计、（七）总计、第一项加第二项等于第三项加第四项；
    第四部分各项总计）；加 --against-records 再列出与本单位记录不符的每一格。有问题时退出码为 3。"""
    from gongkai.core.errors import StepRefused
    from gongkai.core.reports.published import check as check_report

    data = check_report(file, app if against else None, year)
    if as_json:
        emit_json(data)
    else:
        _show_check(data)
    if not data["ok"]:
        raise SystemExit(StepRefused.exit_code)


def _broken_line(f):
    """One broken relation: where, what is written, what the terms sum to (the zero terms left out)."""
    if f["relation"] == "balance":
        return f"第{f['section']}部分{f['message']}"
    where = f"“{f['row']}”" + ("" if f["section"] == "四" else "行") + f"“{f['column']}”" + ("" if f["section"] == "四" else "列")
    shown = [f"{label} {v}" for label, v in f["terms"] if v] or ["各项均为 0"]
    rest = "，其余为 0" if len(shown) < len(f["terms"]) and any(v for _, v in f["terms"]) else ""
    return f"第{f['section']}部分{where}：填报 {f['value']}，应为 {f['expected']}（{' + '.join(shown)}{rest}）"


def _show_check(data):
    click.echo(f"{data['title'] or data['file']}：读出第三部分 {data['cells']['三']} 格、第四部分 {data['cells']['四']} 格。")
    if data["broken"]:
        click.echo(f"违反勾稽关系 {len(data['broken'])} 处：")
        for i, f in enumerate(data["broken"], 1):
            click.echo(f"{i}. {_broken_line(f)}")
    for title, items in (("未能读出的单元格", data["missing"]),
                         ("无法识别的数字", [f"第{u['section']}部分“{u['row']}”行“{u['column']}”列：“{u['text']}”"
                                              + ("（公式没有保存计算结果，请用 Excel 或 WPS 打开后保存）"
                                                 if u["text"].startswith("=") else "")
                                              for u in data["unreadable"]])):
        if items:
            click.echo(f"{title} {len(items)} 处：" + "；".join(items[:30]) + ("……" if len(items) > 30 else ""))
    if data["differences"]:
        click.echo(f"与本单位{data['year']}年记录不符 {len(data['differences'])} 处：")
        emit_table(["部分", "行", "列", "报告", "记录"],
                   [(d["section"], d["row"], d["column"], d["value"], d["records"]) for d in data["differences"]],
                   max_width=40)
    if data["ok"]:
        click.echo("未发现问题：勾稽关系全部成立" + ("，与本单位记录一致。" if data["differences"] is not None else "。"))
