"""``gongkai ledger``: the request ledger (台账), filtered, as a table, JSON or .xlsx."""

from __future__ import annotations

import click

from gongkai.core.cli.common import LabelChoice, count_type, day, force_option, say_written, year_type
from gongkai.core.cli.output import emit_json, emit_table
from gongkai.core.labels import label


SEARCH_LIMIT = 100  # a search lists the newest matches: a word most subjects share lists no more


@click.command()
@click.option("--overdue", is_flag=True, help="只列已逾期未答复的申请（与 --due-within 同用时，列出逾期的和 N 个工作日内到期的）")
@click.option("--due-within", type=count_type(3660), help="只列 N 个工作日内到期的申请")
@click.option("--state", type=LabelChoice("state"), help="只列该状态，如 办理中、已答复")
@click.option("--year", type=year_type(), help="只列该年收到的申请")
@click.option("--search", help="按申请人姓名、申请内容中的文字或申请编号查找，如 --search 张三")
@click.option("--outcome", type=LabelChoice("outcome"), help="只列该答复结果，如 予以公开、部分公开、申请人撤回")
@click.option("--applicant-type", type=LabelChoice("applicant_type"), help="只列该类申请人，如 自然人、商业企业")
@click.option("--from", "received_from", help="只列该日及以后收到的申请")
@click.option("--to", "received_to", help="只列该日及以前收到的申请")
@click.option("--ref", help="只列本单位编号含此文字的申请，如 --ref 〔2025〕17号")
@click.option("--assignee", help="只列该承办人（账户名）办理的申请；- 表示尚未分办的")
@click.option("--limit", type=count_type(10_000_000), help="只列最近收到的 N 件（--search 默认 100 件，导出 Excel 时默认全部；0 为全部）")
@click.option("--as-of", help="按该日计算（默认今天）")
@click.option("--xlsx", "xlsx_path",
              help="导出为 Excel 文件（另有“复议诉讼”工作表）；可用 request import 与 appeal import 原样导入")
@click.option("--same-information", is_flag=True, help="多人申请同一信息、可转为主动公开的清单")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def ledger(app, overdue, due_within, state, year, search, outcome, applicant_type, received_from, received_to, ref,
           assignee, limit, as_of, xlsx_path, same_information, as_json, force):
    """依申请公开台账：状态、答复期限、已用工作日（扣除中止）、剩余工作日、是否逾期。"""
    from gongkai.core.requests import ledger as core

    if limit is None and search is not None and not xlsx_path:
        limit = SEARCH_LIMIT
    app.sync_calendar()
    with app.session() as session:
        if same_information:
            report = core.same_information(session, app, year)
            if as_json:
                emit_json(report)
                return
            click.echo(f"依据：{report['rule']}（{report['citation']}）{report['summary']}")
            emit_table(["申请内容", "申请人数", "申请人", "申请编号"],
                       [[c["subject"], len(c["applicants"]), "、".join(c["applicants"]),
                         "、".join(map(str, c["requests"]))] for c in report["candidates"]])
            return
        rows = core.ledger(session, app, as_of=day(as_of, "--as-of"), overdue=overdue, due_within=due_within,
                           state=state, year=year, search=search, outcome=outcome, applicant_type=applicant_type,
                           received_from=day(received_from, "--from"), received_to=day(received_to, "--to"), ref=ref,
                           assignee=assignee, limit=limit + 1 if limit else None)
        if limit and len(rows) > limit:  # one more than asked: there are earlier ones
            rows = rows[1:]
            click.echo(f"仅列出最近收到的 {limit} 件，更早的未列出；可用 --year、--from、--state 等缩小范围，或 --limit 0 列出全部。",
                       err=True)
        appeals = steps = None
        if xlsx_path:  # the appeals sheet and each request's clock history, to import again
            from gongkai.core.requests import history

            appeals, steps = core.appeal_rows(session, rows), history.cells(session, rows)
    if xlsx_path:
        path = core.export_xlsx(rows, app.output(xlsx_path, force), app, appeal_cells=appeals, history_cells=steps)
        say_written(f"已导出 {len(rows)} 件到 {{}}", path, as_json)
    if as_json:
        emit_json(rows)
        return
    if not xlsx_path:
        emit_table(["编号", "本单位编号", "收到", "申请人", "承办人", "状态", "答复期限", "已用", "剩余", "逾期", "结果", "送达"],
                   [[r["id"], r["ref"] or "", r["received"], r["applicant"], r["assignee"] or "", r["state_name"], r["due"],
                     r["working_days_used"], r["days_left"], _late(r), label("outcome", r["outcome"], app.registry),
                     f"{r['delivered']['on']} {r['delivered']['how_name']}" if r.get("delivered") else ""] for r in rows])


def _late(row):
    """The 逾期 cell: 是/否 for an open request past its due date, and what was done late."""
    from gongkai.core.requests.ledger import late_mark

    return late_mark(row)
