"""``gongkai rules``: every rule in force for the active jurisdiction, with its citation."""

import click

from gongkai.core.cli.output import emit_json


def rule_json(entry):
    rule = entry.rule
    data = {
        "id": rule.id,
        "kind": rule.kind,
        "summary": rule.summary,
        "citation": str(rule.citation),
        "source": entry.source,
        "overrides": str(entry.overrides.citation) if entry.overrides else None,
    }
    for key, value in rule.parameters().items():
        data.setdefault(key, value)
    return data


@click.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--kind", help="只列某类规则，如 deadline、review_chain、duty")
@click.argument("prefix", required=False, metavar="规则编号前缀（可省略）")
@click.pass_obj
def rules(app, as_json, kind, prefix):
    """列出当前辖区生效的全部规则（含国家基线），每条附依据条款。

    可给出规则编号前缀筛选，如 `gongkai rules request`。
    """
    registry = app.registry
    entries = [
        e for e in registry.rules.values()
        if (not kind or e.rule.kind == kind) and (not prefix or e.rule.id.startswith(prefix))
    ]
    if as_json:
        emit_json([rule_json(e) for e in entries])
        return
    from gongkai.core.cli.output import wrap
    from gongkai.core.law.rule_text import details

    click.echo(f"{registry.jurisdiction.display_name}（{registry.jurisdiction.name}）生效规则 {len(entries)} 条：")
    for e in entries:  # the whole text, wrapped, never cut (as the regulation reads)
        source = "国家" if e.source == "national" else registry.jurisdiction.display_name
        click.echo(f"\n{e.rule.id}（{source}）")
        lines = [f"内容：{e.rule.summary}", f"依据：{e.rule.citation}", *details(e.rule)]
        if e.overrides is not None:
            lines.append(f"替代国家规则：{e.overrides.citation}")
        for line in lines:
            for i, part in enumerate(wrap(line, 74)):
                click.echo(("  " if i == 0 else "    ") + part)
