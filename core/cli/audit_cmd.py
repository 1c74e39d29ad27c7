"""``gongkai audit``: the event log's hash chain, and the records checked against it."""

import click

from gongkai.core.cli.output import emit_json


@click.group()
def audit():
    """审计：校验事件日志的哈希链，并按日志核对每一条记录。"""


@audit.command()
@click.option("--expect-head", "expect", metavar="条数:哈希值",
              help="此前记下的链头（`gongkai audit head` 的输出）：核对日志此后未被截短或改写")
@click.option("--unit", "unit_code", metavar="单位代码",
              help="只校验该单位的日志（同全局 --unit）；区级服务器不指定单位时逐个校验全部单位")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def verify(ctx, expect, unit_code, as_json):
    """逐条校验事件日志的哈希链，再按日志重放核对每件申请、文件、事项及其复议诉讼、审核记录
    （状态、答复结果、日期、签批人、期限）；报告第一处断链和每一条在应用之外被修改、删除或添加的记录。
    每个单位有自己的链。退出码 2 表示校验失败。"""
    from gongkai.core.records.chain import parse_head
    from gongkai.core.audit.replay import verify_all

    app = ctx.obj
    expected = parse_head(expect) if expect else None
    if unit_code:
        app.choose(unit_code)
    if app.config.district and not app.chosen_unit():
        from gongkai.core.units.store import all_units

        if expected:
            from gongkai.core.errors import GongkaiError

            raise GongkaiError("--expect-head 是某个单位的链头：请同时用 --unit 指定该单位。")
        with app.district_session() as session:
            units = [(u.id, u.code, u.name) for u in all_units(session)]
        reports = []
        for unit_id, code, name in units:
            with app.unit_session(unit_id) as session:
                reports.append({"unit": code, "name": name, **verify_all(session, registry=app.registry, calendar=app.calendar)})
        report = {"ok": all(r["ok"] for r in reports), "units": reports}
        if as_json:
            emit_json(report)
        for one in reports:
            (click.echo if not as_json else (lambda *_a, **_k: None))(f"【{one['name']}（{one['unit']}）】")
            echo_verify(one, errors_only=as_json)
        if not reports and not as_json:
            click.echo("尚无单位，没有可校验的事件日志。")
    else:
        with app.session() as session:
            report = verify_all(session, expected, registry=app.registry, calendar=app.calendar)
        if as_json:
            emit_json(report)
        echo_verify(report, errors_only=as_json)
    if not report["ok"]:
        ctx.exit(2)


def echo_verify(report: dict, errors_only: bool = False) -> None:
    """The report in words: what is broken on stderr, what is sound on stdout (unless ``errors_only``)."""
    broken, records = report["broken"], report["records"]
    echo = (lambda *_a, **_k: None) if errors_only else click.echo
    if report["chain_ok"]:
        echo(f"事件日志完整：共 {report['events']} 条事件，链头 {report['events']}:{report['head']}。")
    else:
        where = f"（事件 id={broken['event_id']}）" if broken["event_id"] is not None else ""
        click.echo(f"错误：事件日志在第 {broken['seq']} 条处断链{where}：{broken['problem']}。", err=True)
    from gongkai.core.audit.replay import SUBJECTS

    checked = "，".join(f"{s.label} {records['checked'].get(s.kind, 0)} {'个' if s.kind in ('account', 'unit') else '件'}"
                        for s in SUBJECTS)
    if records["ok"]:
        echo(f"记录与事件日志一致：{checked}。")
    else:
        click.echo(f"错误：{records['count']} 处记录与事件日志不符（已核对 {checked}）：", err=True)
        for problem in records["problems"]:
            click.echo(f"  {problem['message']}", err=True)
        if records["count"] > len(records["problems"]):
            click.echo(f"  ……另有 {records['count'] - len(records['problems'])} 处未列出（--json 同样只列前 "
                       f"{len(records['problems'])} 处）。", err=True)
    if report["ok"]:
        echo("可将链头（`gongkai audit head`）记录在库外（如签章的台账），日后用 --expect-head 核对。")


@audit.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def head(app, as_json):
    """显示事件日志的链头：事件条数与最后一条的哈希（条数:哈希值）。记在库外，日后用
    `gongkai audit verify --expect-head 条数:哈希值` 核对日志未被截短或改写。"""
    from gongkai.core.records.chain import head as chain_head

    with app.session() as session:
        data = chain_head(session)
    if as_json:
        return emit_json(data)
    click.echo(data["head"])


@audit.command()
@click.option("--by", help="办理人（记入事件日志）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def seal(app, by, as_json):
    """升级后运行一次：为最后一条事件尚无记录摘要的申请、文件、事项、年度决定数和账户各记一条“加封”事件，
    记下其全部字段（含附属记录、期限）的摘要，此后任何字段在应用之外被修改都会被 `audit verify` 发现。
    须先通过 `gongkai audit verify`。"""
    from gongkai.core.audit.replay import SUBJECTS
    from gongkai.core.audit.seal import seal as seal_records
    from gongkai.core.cli.common import actor

    sealed = seal_records(app, actor(by))
    if as_json:
        return emit_json({"sealed": sealed})
    counts = "，".join(f"{s.label} {sealed.get(s.kind, 0)} {'个' if s.kind in ('account', 'unit') else '件'}" for s in SUBJECTS)
    click.echo(f"已加封：{counts}。")


@audit.command("bundle")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def bundle_cmd(ctx, file, as_json):
    """核对证据材料（PDF）或其清单（manifest.json）：每项证据按数据库中的记录重新生成后逐项比对，
    文件各页与清单比对，清单记下的链头须仍在事件日志的哈希链上，申请记录须与日志相符。
    不符的列出证据序号和名称；退出码 2 表示核对未通过。"""
    from pathlib import Path

    from gongkai.core.audit.bundle import check

    app = ctx.obj
    with app.session() as session:
        report = check(session, app, Path(file))
    if as_json:
        emit_json(report)
    elif report["ok"]:
        click.echo(f"证据材料核对通过：证据 {report['items']} 项，共 {report['pages']} 页，与记录和事件日志相符；"
                   f"链头 {report['chain_head']} 在链上。")
        if report["signature"] and report["signature"]["signed"]:
            click.echo(f"签名：{report['signature']['message']}（{report['signature']['signer']}）")
    if not report["ok"]:  # the findings on stderr, as every refusal (with --json too)
        click.echo("证据材料核对未通过：", err=True)
        for one in report["problems"]:
            click.echo(f"  {one['message']}", err=True)
    if not report["ok"]:
        ctx.exit(2)
