"""``gongkai appeal import``: a unit's reconsiderations and lawsuits from a file."""

from __future__ import annotations

import click

from gongkai.core.cli.common import signer


@click.group()
def appeal():
    """行政复议、行政诉讼：从文件导入（逐件登记用 request appeal）。"""


@appeal.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "mapping", multiple=True,
              help="表头与字段的对应，如 --map 申请编号=ref,类型=kind,提起日期=filed（字段：ref 申请的本单位编号、"
                   "kind 救济类型〔复议、直接起诉、复议后起诉〕、filed 提起日期、result 结果〔维持、纠正、其他、尚未审结〕、"
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
    from gongkai.core.requests import appeal_importer, importer

    fields = importer.parse_mapping(mapping, appeal_importer.FIELDS) if mapping else None
    with app.session() as session:
        who = signer(session, app, by, "request.appeal")
    with ImportProgress() as progress:  # Ctrl-C or SIGTERM: the importer says what it stored
        report = appeal_importer.import_appeals(app, Path(file), fields, who, progress=progress)
    finish_import(report.to_json(), as_json, "已导入复议、诉讼 {imported} 件；有误未导入 {refused} 行。")
