"""``gongkai digest``: the morning digest of overdue and soon-due clocks."""

import click

from gongkai.core.cli.common import force_option
from gongkai.core.cli.output import emit_json, emit_table


@click.command()
@click.option("--within", type=click.IntRange(min=0), default=3, show_default=True, help="列出多少个工作日内到期的事项")
@click.option("--as-of", "as_of", help="以该时间为“现在”，如 2026-10-09 或 2026-10-09T08:30（默认当前时间）")
@click.option("--html", "html_path", help="另存为 HTML 页面")
@click.option("--email", "by_email", is_flag=True,
              help="给每个账户发送本人的待办提醒（已逾期和 --within 个工作日内到期的），发往 gongkai user email 设置的邮箱")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def digest(app, within, as_of, html_path, by_email, as_json, force):
    """今日提醒：依申请公开、文件和时限事项中已超期、今日到期和即将到期的全部时限。

    --email：每个账户收到本人“我的待办”中已逾期和即将到期的事项（与网页版一致），宜由 cron 或 systemd 定时器每个工作日早上运行。"""
    if by_email:
        _email(app, within, as_of, as_json)
        return
    from gongkai.core.matters.digest import GROUPS, digest as build, render_digest
    from gongkai.core.matters.urgency import now_beijing
    from gongkai.core.matters.workflow import parse_at

    now = parse_at(as_of, "--as-of")[0] if as_of else now_beijing()
    app.sync_calendar()
    with app.session() as session:
        data = build(session, app.registry, app.calendar, now, within)
    if html_path:
        from gongkai.core.paperwork.render import write_output

        text = render_digest(data, app.registry.template_dirs, app.unit.name, app.registry.jurisdiction.display_name)
        write_output(text, "html", app.output(html_path, force), "今日提醒")
        if html_path == "-":
            return
    if as_json:
        emit_json(data | {"html": html_path})
        return
    click.echo(
        f"{data['today']}：已超期 {data['counts']['overdue']} 项，今日到期 {data['counts']['today']} 项，"
        f"{within}个工作日内到期 {data['counts']['upcoming']} 项。"
    )
    for key, label in GROUPS:
        items = data["groups"][key]
        if not items:
            continue
        click.echo(f"\n{label}：")
        emit_table(
            ["到期", "类别", "事项", "时限", "超期"],
            [[i["due"], f"{i['owner_label']} #{i['owner_id']}", i["title"], i["clock_name"], i["late_by"] or ""] for i in items],
            max_width=40,
        )
    if html_path:
        click.echo(f"\n已保存：{html_path}")


def _email(app, within, as_of, as_json):
    from gongkai.core.cli.common import day
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests.reminders import send_digests
    from gongkai.core.today import today

    app.sync_calendar()
    done = send_digests(app, day(as_of[:10], "--as-of") if as_of else today(), within)
    if as_json:
        emit_json(done)
    else:
        click.echo(f"已发送 {len(done['sent'])} 封待办提醒" + "".join(f"；{a['account']}（{a['lines']} 项）" for a in done["sent"])
                   + (f"。无待办提醒：{'、'.join(done['nothing'])}" if done["nothing"] else "")
                   + (f"。有待办但未设置邮箱（gongkai user email 账户名 邮箱）：{'、'.join(done['no_address'])}"
                      if done["no_address"] else ""))
    if done["failed"]:
        raise GongkaiError("以下账户的提醒未能发出：" + "；".join(f"{f['account']}：{f['error']}" for f in done["failed"]))
