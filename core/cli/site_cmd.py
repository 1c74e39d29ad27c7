"""``gongkai site build --out DIR``: the public disclosure pages as static HTML."""

import click

from gongkai.core.cli.common import force_option


@click.group()
def site():
    """政府信息公开专栏（公开指南、公开目录、政策解读、年度报告）的静态网页。"""


@site.command("build")
@click.option("--out", required=True, type=click.Path(file_okay=False), metavar="文件夹", help="写入的文件夹（可整体上传到门户网站）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def build(app, out, as_json, force):
    """把政府信息公开专栏写成静态网页（与 gongkai serve 的 /gk/ 相同，链接均为相对路径，目录检索用随附的
    小型索引和脚本）。区级服务器写出各单位的专栏和单位索引。文件夹中已有文件的，须加 --force 才覆盖。"""
    import sys
    from pathlib import Path

    from gongkai.core.cli.output import emit_json
    from gongkai.core.errors import GongkaiError
    from gongkai.core.web.public_site import build_site

    if out == "-":
        raise GongkaiError("--out 须是文件夹，静态网页不能写到标准输出。")
    folder = Path(out)
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise GongkaiError(f"文件夹 {out} 中已有文件；要覆盖其中的专栏网页，请加 --force。")
    shown = sys.stderr.isatty() and not as_json
    written = build_site(app, app.output(out, force),
                         progress=(lambda n: click.echo(f"已写出 {n} 件文件的页面……", err=True)) if shown else None)
    if as_json:
        return emit_json({"out": str(folder), **written})
    click.echo(f"已写入 {out}：{written['units']} 个单位的专栏，文件页面 {written['documents']} 个，共 {written['pages']} 个文件。"
               f"用浏览器打开 {folder / 'index.html'} 查看。")
