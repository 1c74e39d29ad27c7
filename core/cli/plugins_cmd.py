"""``gongkai plugins``: the installed jurisdictions."""

import click

from gongkai.core.cli.output import emit_json, emit_table


@click.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def plugins(app, as_json):
    """列出已安装的辖区插件：名称、中文名、版本、依据文件，以及当前启用的辖区。"""
    from gongkai.core.law.plugins import describe_installed

    rows = describe_installed(app.config.jurisdiction)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["", "插件名（-j）", "辖区", "版本", "规则数", "依据文件"],
        [
            ["*" if r["active"] else "", r["name"], r["display_name"], r["version"], r["rules"],
             r["error"] or "；".join(s["title"] for s in r["sources"])]
            for r in rows
        ],
        max_width=80,
    )
