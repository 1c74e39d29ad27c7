"""``gongkai demo``: one realistic request end to end on a throwaway database."""

from __future__ import annotations

import click


@click.command()
@click.option("--jurisdiction", "jurisdiction_name", help="演示的辖区（默认当前辖区）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="输出目录（默认临时目录）")
@click.option("--pdf/--no-pdf", default=True, help="是否用 LibreOffice 生成答复告知书的 PDF（默认生成）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def demo(app, jurisdiction_name, out_dir, pdf, as_json):
    """用临时数据库按当前辖区流程办理一件示例申请，生成收到申请确认书和答复告知书（.docx、.md，装有 LibreOffice 时另有 .pdf）。"""
    from gongkai.core.cli.output import emit_json
    from gongkai.core.requests.demo import run_demo

    result = run_demo(jurisdiction_name or app.config.jurisdiction, out_dir, pdf)
    if as_json:
        emit_json(result)
        return
    for line in result["steps"]:
        click.echo(line)
    click.echo(f"收到申请确认书：{result['receipt_docx']}")
    click.echo(f"答复告知书：{result['letter_docx']}")
    click.echo(f"　　　　　　{result['letter_md']}")
    if result["letter_pdf"]:
        click.echo(f"　　　　　　{result['letter_pdf']}")
    elif pdf:
        click.echo("未安装 LibreOffice（soffice），未生成 PDF；安装 libreoffice-writer-nogui 后可用 --format pdf。", err=True)
