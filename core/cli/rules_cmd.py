"""``gongkai rules``: every rule in force for the active jurisdiction, with its citation."""

import click

from gongkai.core.cli.output import emit_json, emit_table


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
@click.argument("prefix", required=False)
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
    click.echo(f"{registry.jurisdiction.display_name}（{registry.jurisdiction.name}）生效规则 {len(entries)} 条：")
    emit_table(
        ["编号", "来源", "内容", "依据"],
        [
            [e.rule.id, "国家" if e.source == "national" else e.source, e.rule.summary, str(e.rule.citation)]
            for e in entries
        ],
        max_width=48,
    )
