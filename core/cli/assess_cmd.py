"""``gongkai assess``: the scoring rubric, scoring findings files, public evaluation tallies."""

import click

from gongkai.core.assessment import KINDS
from gongkai.core.cli.common import force_option, year_type
from gongkai.core.cli.output import emit_json, emit_table


@click.group()
def assess():
    """政务公开考核：评分细则、按考核结果文件评分、社会评议。"""


@assess.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def rubric(app, as_json):
    """列出考核评分细则（分类、计分方式、每项分值、上限）。"""
    from gongkai.core.assessment.rubric import CATEGORY_KINDS, load_scoring, require_rubric, rubric_json

    scoring = load_scoring(app.registry, app.config.rubric_file)
    rules = require_rubric(scoring)
    categories = rubric_json(rules)
    if as_json:
        emit_json(
            {
                "id": rules.id,
                "summary": rules.summary,
                "citation": str(rules.citation),
                "source": scoring.source,
                "total": rules.total,
                "categories": categories,
                "composite": dict(scoring.composite.weights) if scoring.composite else None,
                "grade": [
                    {"name": b.name, "minimum": b.minimum, "below": b.below} for b in scoring.grade.bands
                ]
                if scoring.grade
                else None,
            }
        )
        return
    click.echo(f"{rules.summary}（{rules.citation}；满分{rules.total:g}分）")

    def units(c):
        parts = [f"{u['name']} {u['points']:g}分" for u in c["units"]]
        parts += [f"{u['name']} 加{u['points']:g}分" for u in c["bonus_units"]]
        return "；".join(parts) or "视情确定"

    emit_table(
        ["编号", "分类", "计分方式", "分值", "上限"],
        [
            [c["id"], c["name"], CATEGORY_KINDS[c["kind"]], units(c), "视情" if c["cap"] is None else f"{c['cap']:g}"]
            for c in categories
        ],
        max_width=50,
    )


def _parse_day(text):
    import datetime as dt

    from gongkai.core.errors import GongkaiError

    from gongkai.core.records.limits import check_date

    try:
        parsed = dt.date.fromisoformat(text)
    except ValueError:
        raise GongkaiError(f"--as-of 日期“{text}”无效，应为 2026-12-31 这样的格式。") from None
    return check_date(parsed, "--as-of")


def _page_format(path):
    from gongkai.core.errors import GongkaiError

    fmt = path.rpartition(".")[2].lower() if "." in path else "html"  # "-": a page on standard output
    if fmt not in ("html", "docx"):
        raise GongkaiError(f"--ranking “{path}” 的扩展名应为 .html 或 .docx。")
    return fmt


@assess.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--from-records", is_flag=True, help="从本单位数据库统计逾期答复、复议诉讼被纠正、领导信箱逾期回复，并入考核结果")
@click.option("--all-units", is_flag=True, help="区级服务器：与 --from-records 同用，逐个单位从其台账统计，并对全部单位排名")
@click.option("--year", type=year_type(), help="--from-records 统计的年度（默认：考核结果文件的年度）")
@click.option("--kind", type=click.Choice(list(KINDS)), default="year_end", show_default=True, help="没有本单位文件时，台账统计计入的考核类型")
@click.option("--as-of", help="判断未办结事项是否逾期的日期（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--html", "html_path", type=click.Path(), help="输出各单位考核结果（HTML）；多个单位时为文件夹")
@click.option("--docx", "docx_path", type=click.Path(), help="输出各单位考核结果（Word）；多个单位时为文件夹")
@click.option("--xlsx", "xlsx_path", help="输出全部单位排名（Excel）")
@click.option("--ranking", "ranking_path", type=click.Path(dir_okay=False),
              help="输出全部单位排名和分项得分页面（.html 或 .docx，按扩展名）")
@force_option
@click.pass_obj
def score(app, files, from_records, all_units, year, kind, as_of, as_json, html_path, docx_path, xlsx_path, ranking_path,
          force):
    """按考核结果文件（TOML 或 CSV）评分：分项得分、总分、综合得分、等次。"""
    from gongkai.core.assessment.evaluation import all_tallies
    from gongkai.core.assessment.findings import load_all
    from gongkai.core.assessment.rubric import configured_weight, load_scoring, require_rubric
    from gongkai.core.assessment.scoring import score_all
    from gongkai.core.errors import GongkaiError

    scoring = load_scoring(app.registry, app.config.rubric_file)
    findings = load_all(files, scoring.rubric)
    if all_units and not from_records:
        raise GongkaiError("--all-units 与 --from-records 同用：逐个单位从台账统计后评分排名。")
    if all_units:
        from gongkai.core.assessment.from_records import merge_all_units

        if not app.config.district:
            raise GongkaiError("--all-units 用于区级服务器（gongkai.toml 中 district = true）。")
        as_of_day = _parse_day(as_of) if as_of else None
        findings = merge_all_units(app, require_rubric(scoring), findings, year, kind, as_of_day)
    elif from_records:
        from gongkai.core.assessment.from_records import merge_records

        as_of_day = _parse_day(as_of) if as_of else None
        with app.session() as session:
            findings = merge_records(
                session, require_rubric(scoring), findings, app.unit.name, year, kind, as_of_day
            )
    if not findings:
        raise GongkaiError("没有要评分的考核结果。请给出考核结果文件（.toml 或 .csv），或使用 --from-records。")
    results = score_all(scoring, findings, configured_weight(app.config))
    if app.database_exists():
        with (app.district_session if all_units else app.session)() as session:  # tallies of every unit
            for result in results:
                found = all_tallies(session, result.year, result.unit)
                result.evaluation = found[0]["tallies"] if found else None

    written = []
    if html_path or docx_path:
        from gongkai.core.assessment.reports import write_reports

        for fmt, path in (("html", html_path), ("docx", docx_path)):
            if path:
                written += write_reports(results, scoring, app.registry, fmt, app.output(path, force),
                                         "" if all_units else app.unit.name)
    if xlsx_path:
        from gongkai.core.assessment.reports import write_ranking

        written.append(write_ranking(results, scoring, app.output(xlsx_path, force)))
    if ranking_path:
        from gongkai.core.assessment.reports import write_ranking_page

        written.append(write_ranking_page(results, scoring, _page_format(ranking_path), app.output(ranking_path, force)))
    if "-" in (html_path, docx_path, xlsx_path, ranking_path):  # standard output carries the file alone
        return

    if as_json:
        emit_json(
            {
                "jurisdiction": app.jurisdiction_name,
                "rubric": scoring.source,
                "units": [r.to_json(scoring.composite) for r in results],
                "files": [str(p) for p in written],
            }
        )
        return
    kinds = [k for k in KINDS if any(k in r.assessments for r in results)]

    def number(value):
        return "—" if value is None else f"{value:g}"

    emit_table(
        ["单位", "年度", *(KINDS[k] for k in kinds), "考核得分", "等次", "计入绩效考核"],
        [
            [
                r.unit,
                r.year,
                *(number(r.assessments[k].total) if k in r.assessments else "—" for k in kinds),
                number(r.score),
                r.grade or "—",
                number(r.contribution),
            ]
            for r in results
        ],
    )
    for r in results:
        if r.missing_kinds and r.assessments:
            click.echo(f"{r.unit}：尚缺{'、'.join(KINDS[k] for k in r.missing_kinds)}，综合得分暂不能计算。")
    for path in written:
        click.echo(f"已生成：{path}")


@assess.command("official")
@click.option("--name", required=True, help="人员姓名")
@click.option("--year", type=year_type(), required=True, help="考核年度")
@click.option("--grade", required=True, help="年度考核等次，如 优秀、称职")
@click.option("--by", default="", help="登记人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def official(app, name, year, grade, by, as_json):
    """登记工作人员的年度考核等次；本辖区规定须经培训的等次（如五原县：未参加培训或考试不合格的不能评为优秀），
    没有培训记录的予以拒绝。"""
    from gongkai.core.cli.common import signer
    from gongkai.core.matters.duty_records import record_official_grade

    with app.session() as session:
        data = record_official_grade(session, app.registry, name, year, grade,
                                     signer(session, app, by, "official.grade", free=by))
    if as_json:
        emit_json(data)
        return
    click.echo(f"已登记：{data['name']} {data['year']}年度考核等次 {data['grade']}。")


@assess.group()
def evaluation():
    """社会评议：记录和查看各单位每年的满意、基本满意、不满意人数。"""


@evaluation.command("record")
@click.option("--unit", required=True, help="被评议单位名称")
@click.option("--year", type=year_type(), required=True, help="评议年度")
@click.option("--tally", "pairs", multiple=True, required=True, help="等次=人数，如 --tally 满意=120，可重复")
@click.option("--actor", default="", help="记录人")
@click.pass_obj
def record(app, unit, year, pairs, actor):
    """记录（或更正）一个单位一年的社会评议结果。"""
    from gongkai.core.assessment.evaluation import evaluation_rule, parse_tallies, record_tallies

    rule = evaluation_rule(app.registry)
    counts = parse_tallies(rule, list(pairs))
    with app.session() as session:
        record_tallies(session, unit, year, counts, actor)
    click.echo(f"已记录 {unit.strip()} {year}年社会评议：" + "，".join(f"{g}{c}人" for g, c in counts.items()))


@evaluation.command("show")
@click.option("--unit", help="只看某单位")
@click.option("--year", type=year_type(), help="只看某年度")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def show(app, unit, year, as_json):
    """查看社会评议结果及各等次占比。"""
    from gongkai.core.assessment.evaluation import all_tallies, evaluation_rule

    rule = evaluation_rule(app.registry)
    with app.session() as session:
        rows = all_tallies(session, year, unit)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["单位", "年度", *rule.options, "合计"],
        [
            [
                r["unit"],
                r["year"],
                *(f"{r['tallies'].get(g, 0)}（{r['shares'].get(g, 0):.1%}）" for g in rule.options),
                r["total"],
            ]
            for r in rows
        ],
    )
