"""``gongkai check comment-period|hearing|forum``: public-participation checks.

Exit code 0 when every rule is met; when one is not, the exit code of a refused step (3),
so a script can stop a publication. A check the jurisdiction has no rule for exits 1.
"""

import click

from gongkai.core.cli.common import year_type

from gongkai.core.cli.output import emit_json, emit_table
from gongkai.core.errors import GongkaiError, StepRefused

DATE = "日期，如 2026-09-01"


def _date(text, option):
    import datetime as dt

    from gongkai.core.records.limits import check_date

    try:
        parsed = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{option}：“{text}”不是有效日期，请写成 2026-09-01 的形式。") from None
    return check_date(parsed, option)


def _emit(check, results, as_json, name=""):
    from gongkai.core.matters.checks import report

    data = report(check, results, name)
    if as_json:
        emit_json(data)
    else:
        emit_table(
            ["结果", "规则", "要求", "实际", "说明", "依据"],
            [["通过" if r["passed"] else "未通过", r["title"], r["required"], r["actual"], r["detail"], r["citation"]]
             for r in data["results"]],
        )
    if not data["passed"]:
        failed = "、".join(f"“{r['title']}”（{r['citation']}）" for r in data["results"] if not r["passed"])
        click.echo(f"检查未通过：{data['name']}不符合 {failed}。", err=True)
        raise SystemExit(StepRefused.exit_code)


@click.group()
def check():
    """检查公众参与活动和例行工作是否符合本辖区规则（每项给出通过/未通过、规则及依据）。"""


@check.command("duties")
@click.option("--year", type=year_type(), help="年度（默认今年）")
@click.option("--as-of", "as_of", help="按此日期判断是否逾期（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def duties(app, year, as_of, as_json):
    """例行工作是否按时办理、须备案的事项是否已备案、培训学时和新媒体账号是否合规（只查本单位承担的例行工作：
    按单位层级和单位标记，见 `gongkai unit edit --level/--flag`）。"""
    from gongkai.core.matters.duty_records import check_duties
    from gongkai.core.today import today

    day = _date(as_of, "--as-of") if as_of else today()
    with app.session() as session:
        results = check_duties(session, app.registry, year or day.year, day, app.unit)
    _emit("duties", results, as_json, "例行工作办理情况")


@check.command("comment-period")
@click.option("--open", "opened", required=True, help="公开征求意见开始" + DATE)
@click.option("--close", "closed", required=True, help="征求意见截止" + DATE)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def comment_period(app, opened, closed, as_json):
    """公开征求意见的期限是否足够。"""
    from gongkai.core.matters.checks import check_comment_period

    results = check_comment_period(app.registry, app.calendar, _date(opened, "--open"), _date(closed, "--close"))
    _emit("comment-period", results, as_json)


@check.command("hearing")
@click.option("--announced", required=True, help="听证公告发布" + DATE)
@click.option("--held", required=True, help="听证会举行" + DATE)
@click.option("--representatives", type=click.IntRange(min=0), help="听证会代表人数（给出时一并检查）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def hearing(app, announced, held, representatives, as_json):
    """听证会是否提前足够日数公告、代表人数是否足够。"""
    from gongkai.core.matters.checks import check_hearing

    results = check_hearing(
        app.registry, app.calendar, _date(announced, "--announced"), _date(held, "--held"), representatives
    )
    _emit("hearing", results, as_json)


@check.command("forum")
@click.option("--materials", required=True, help="决策方案及起草说明送达与会代表的" + DATE)
@click.option("--forum", "forum_on", required=True, help="座谈论证会召开" + DATE)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def forum(app, materials, forum_on, as_json):
    """座谈论证会材料是否提前足够工作日送达。"""
    from gongkai.core.matters.checks import check_forum

    results = check_forum(app.registry, app.calendar, _date(materials, "--materials"), _date(forum_on, "--forum"))
    _emit("forum", results, as_json)
