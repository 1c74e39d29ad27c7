"""``gongkai demo``: one realistic request end to end on a throwaway database."""

from __future__ import annotations

import click


@click.command()
@click.option("--jurisdiction", "jurisdiction_name", help="演示的辖区（默认当前辖区）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="输出目录（默认临时目录）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def demo(app, jurisdiction_name, out_dir, as_json):
    """用临时数据库按当前辖区流程办理一件示例申请，生成答复告知书（.docx 和 .md）。"""
    from gongkai.core.cli.output import emit_json
    from gongkai.core.requests.demo import run_demo

    result = run_demo(jurisdiction_name or app.config.jurisdiction, out_dir)
    if as_json:
        emit_json(result)
        return
    for line in result["steps"]:
        click.echo(line)
    click.echo(f"答复告知书：{result['letter_docx']}")
    click.echo(f"　　　　　　{result['letter_md']}")
