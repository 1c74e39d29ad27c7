"""``gongkai plugin new NAME``: scaffold a jurisdiction plugin package."""

import click

from gongkai.core.cli.output import emit_json


@click.group()
def plugin():
    """辖区插件开发工具。"""


@plugin.command("new")
@click.argument("name", metavar="插件名")
@click.option("--chinese-name", help="辖区中文名，如 金山区（默认同插件名）")
@click.option("--out", "out", type=click.Path(file_okay=False), help="生成到此目录下（默认：当前目录）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def new(name, chinese_name, out, as_json):
    """生成可安装的辖区插件包 gongkai-插件名：规则、模板与一致性测试。"""
    from gongkai.core.law.scaffold import new_plugin

    made = new_plugin(name, chinese_name, out)
    if as_json:
        emit_json({"name": made.name, "root": str(made.root), "module": made.module,
                   "files": [str(p.relative_to(made.root)) for p in made.files]})
        return
    click.echo(f"已生成辖区插件 {made.chinese_name}（{made.name}）：{made.root}")
    for path in made.files:
        click.echo(f"  {path.relative_to(made.root)}")
    click.echo("下一步：")
    click.echo(f"  pip install -e '{made.root}[test]'")
    click.echo(f"  在 gongkai.toml 中设置 jurisdiction = \"{made.name}\"")
    click.echo(f"  cd {made.root} && python -m pytest    # 一致性检查")
