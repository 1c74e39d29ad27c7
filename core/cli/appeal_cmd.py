"""``gongkai appeal import``: a unit's reconsiderations and lawsuits from a file."""

from __future__ import annotations

import click

from gongkai.core.cli.common import day, signer

REQUEST = click.argument("request_id", metavar="编号或本单位编号")
WHICH = click.option("--appeal", "appeal_id", type=int, help="该申请有多件复议或诉讼的：其编号（默认：最近登记的一件）")


@click.group()
def appeal():
    """行政复议、行政诉讼：本单位作为被申请人、被告的答复、答辩和证据；从文件导入（逐件登记用 request appeal）。"""


@appeal.command("answered")
@REQUEST
@WHICH
@click.option("--on", required=True, help="提交书面答复（答辩状）及证据的日期")
@click.option("--by", help="经办人（本单位已启用账户的：账户名；默认：GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def answered(app, request_id, appeal_id, on, by, as_json):
    """登记已向复议机关提交书面答复、或向人民法院提交答辩状及证据：答复期限办结。"""
    from gongkai.core.cli.request_cmd import _report, _run
    from gongkai.core.requests import appeals

    def act(session, office, req):
        who = signer(session, office, by, "request.appeal")
        appeals.answered(session, office, req, appeals.pick(session, req, appeal_id), day(on, "--on"), who)

    data = _run(app, request_id, act)
    _report(data, as_json, "已登记提交答复")


@appeal.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "mapping", multiple=True,
              help="表头与字段的对应，如 --map 申请编号=ref,类型=kind,提起日期=filed（字段：ref 申请的本单位编号、"
                   "kind 救济类型〔复议、直接起诉、复议后起诉〕、filed 提起日期、result 结果〔维持、驳回、纠正、撤销、确认违法、责令履行、其他、尚未审结〕、"
                   "decided 审结日期、reconsidered_on 复议决定日期〔复议后起诉而复议在记录之前的〕）。"
                   "本系统导出的台账（ledger --xlsx）无需 --map")
@click.option("--by", help="经办人姓名（默认：GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def import_cmd(app, file, mapping, by, as_json):
    """从 .xlsx 或 .csv 导入复议、诉讼及其结果；每行按本单位编号找到申请，与 request appeal 作同样的检查。

    有误的行列出行号且不导入，其余行照常导入；每批（5,000 行）整批保存或整批不保存。"""
    from pathlib import Path

    from gongkai.core.cli.request_cmd import ImportProgress, finish_import
    from gongkai.core.records.importing import parse_mapping
    from gongkai.core.requests import appeal_importer

    fields = parse_mapping(mapping, appeal_importer.FIELDS) if mapping else None
    with app.session() as session:
        who = signer(session, app, by, "request.appeal")
    with ImportProgress() as progress:  # Ctrl-C or SIGTERM: the importer says what it stored
        report = appeal_importer.import_appeals(app, Path(file), fields, who, progress=progress)
    finish_import(report.to_json(), as_json, "已导入复议、诉讼 {imported} 件；有误未导入 {refused} 行。")


@appeal.command("answer")
@REQUEST
@WHICH
@click.option("--format", "fmt", required=True, type=click.Choice(["docx", "pdf"]), help="输出格式")
@click.option("--out", required=True, help="输出文件（- 为标准输出）")
@click.option("--force", is_flag=True, help="覆盖已有文件")
@click.pass_obj
def answer(app, request_id, appeal_id, fmt, out, force):
    """按记录起草行政复议答复书或行政诉讼答辩状（党政机关公文格式）：当事人、按日期排列的事实和经过、
    逐项对照现行规则及其条文的程序合法性（每个期限是否遵守）、维持或驳回的请求。经办人修改后签发。"""
    from gongkai.core.cli.common import say_written
    from gongkai.core.requests import appeal_answer, workflow

    with app.session() as session:
        path = appeal_answer.write_answer(session, app, workflow.load(session, request_id), fmt,
                                          app.output(out, force), appeal_id)
    say_written("已生成答复书草稿：{}", path)


@appeal.command("evidence")
@REQUEST
@WHICH
@click.option("--out", required=True, help="输出文件夹（写入 证据材料.pdf 和 manifest.json），或以 .pdf 结尾的文件")
@click.option("--force", is_flag=True, help="覆盖已有文件")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（证据清单）")
@click.pass_obj
def evidence(app, request_id, appeal_id, out, force, as_json):
    """生成证据材料：证据目录（序号、名称、来源、日期、页码、证明目的）和按目录顺序的全部证据合成的一份 PDF
    （申请及其附件扫描件、收到确认书、各项告知书、答复审批表、答复告知书及其签发原件、送达记录和送达证明、办理过程记录；图片附件转为 PDF 页），页码连续编排；附清单，
    记下每项证据的摘要（哈希值）和本单位事件日志的链头，可用 audit bundle 核对。"""
    from gongkai.core.cli.output import emit_json
    from gongkai.core.requests import evidence as bundle
    from gongkai.core.requests import workflow

    with app.session() as session:
        manifest = bundle.build(session, app, workflow.load(session, request_id), appeal_id, app.output(out, force))
    if as_json:
        emit_json(manifest)
        return
    click.echo(f"已生成证据材料：{manifest['bundle']['file']}（共 {manifest['pages']} 页，证据 {len(manifest['items'])} 项）")
    for item in manifest["items"]:
        click.echo(f"  {item['number']}. {item['name']}（第 {item['start']} 页起，共 {item['pages']} 页）")
