"""``gongkai document ...`` and ``gongkai documents``: the proactive-publication workflow."""

from __future__ import annotations

import datetime as dt

import click

from gongkai.core.cli.common import LabelChoice, amount_type, count_type, force_option, say_written, signer, year_type
from gongkai.core.records.limits import DECISIONS, FEES_10K_YUAN
from gongkai.core.cli.output import emit_json, emit_table
from gongkai.core.labels import label


def _date(ctx, param, value):
    from gongkai.core.errors import GongkaiError
    from gongkai.core.records.limits import check_date

    if value is None:
        return None
    try:
        return check_date(dt.date.fromisoformat(value.strip()), param.opts[0])
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 2026-09-24 的形式。") from None
    except GongkaiError as error:
        raise click.BadParameter(str(error)) from None


def _today(value: dt.date | None) -> dt.date:
    from gongkai.core.today import today

    return value or today()


@click.group()
def document():
    """文件登记、公开属性、审核、发布与审批表（主动公开）。"""


@document.command("new")
@click.option("--title", required=True, help="文件标题")
@click.option("--number", default="", help="文号")
@click.option("--kind", required=True, help="公文种类：规章、行政规范性文件、其他（或 rule、normative、other）")
@click.option("--attribute", default=None, help="公开属性，如 主动公开、依申请公开、不予公开、脱密后公开（以本辖区规定为准）")
@click.option("--reason", default="", help="依申请公开/不予公开的法律依据和理由")
@click.option("--formed", callback=_date, help="形成日期")
@click.option("--changed", callback=_date, help="变更日期")
@click.option("--finalised", "--finalized", callback=_date, help="成文日期（发布期限由此起算）")
@click.option("--producer", default="", help="信息产生机构")
@click.option("--handler", default="", help="经办人")
@click.option("--summary", default="", help="内容摘要")
@click.option("--interpretation", default="", help="解读方案和解读材料（或其存放位置）")
@click.option("--major-policy", is_flag=True, help="属于涉及面广、社会关注度高的重要政策文件")
@click.option("--government-issued", is_flag=True, help="以本级政府（或其办公室）名义印发，或须报本级政府同意（起草部门报送的代拟稿）")
@click.option("--decision-kind", default="", help="行政许可或行政处罚决定（双公示）")
@click.option("--decided", callback=_date, help="作出许可/处罚决定的日期")
@click.option("--category", default="", help="政府信息公开目录的类别：条例第二十条的项号，如 3 或 （三）（默认按种类和决定推定）")
@click.option("--internal-version", default="", help="脱密后公开：内部行文文稿（密件）")
@click.option("--public-version", default="", help="脱密后公开：脱密后公开的文稿")
@click.option("--method", default="", help="脱密处理方式：删除、摘录、其他")
@click.option("--secrecy-confirmed-by", default="", help="脱密后公开：审核确认的保密办人员")
@click.option("--by", default=None, help="登记人（本单位已启用账户的：账户名；默认：--handler）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def new(app, title, number, kind, attribute, reason, formed, changed, finalised, producer, handler, summary,
        interpretation, major_policy, government_issued, decision_kind, decided, category, internal_version, public_version, method,
        secrecy_confirmed_by, by, as_json):
    """登记起草的文件及其公开属性，并计算发布期限。"""
    from gongkai.core.documents.workflow import document_json, register_document

    with app.session() as session:
        if secrecy_confirmed_by:
            secrecy_confirmed_by = signer(session, app, secrecy_confirmed_by, "document.declassify",
                                          flag="--secrecy-confirmed-by", free=secrecy_confirmed_by)
        doc = register_document(
            session, app.registry, app.calendar, title=title, kind=kind, attribute=attribute, number=number,
            producer=producer, handler=handler, summary=summary, reason=reason, interpretation=interpretation,
            major_policy=major_policy, government_issued=government_issued, formed=formed, changed=changed, finalised=finalised,
            decision_kind=decision_kind, decided_on=decided, category=category, internal_version=internal_version,
            public_version=public_version, declassify_method=method, secrecy_confirmed_by=secrecy_confirmed_by,
            actor=signer(session, app, by, "document.register", free=by or ""),
        )
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


@document.command("review")
@click.argument("document_id", type=int)
@click.option("--step", "step_id", required=True, type=LabelChoice("document_step"),
              help="审核环节（名称，见 document show；保密审查各环节亦可）")
@click.option("--by", required=True, help="审核人（本单位已启用账户的：账户名，须具有该环节的角色）")
@click.option("--decision", required=True, type=LabelChoice("decision"), help="同意 或 退回")
@click.option("--opinion", default="", help="保密审查意见，如 公开、免予公开、需报审")
@click.option("--basis", default="", help="审查意见的依据和理由")
@click.option("--check", "checks", multiple=True, help="已核对的事项（原文或序号），可重复")
@click.option("--head", default="", help="第二签字人，如 分管保密工作负责人（仅限未启用账户的单位；已启用账户的，由其本人登录后用 document cosign 签字）")
@click.option("--comment", default="", help="审批意见或其他问题说明")
@click.option("--as", "capacity", default="",
              help="以何身份审批：本环节规定可由其他人审批的（如 西咸新区 列入事项目录的由分管政务公开领导审批），写明该身份")
@click.option("--on", callback=_date, help="审核日期（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def review(app, document_id, step_id, by, decision, opinion, basis, checks, head, comment, capacity, on, as_json):
    """办理一个审核环节（依次进行，不得跳过，不得审批本人经办的上一环节）。"""
    from gongkai.core.documents.workflow import document_json, get_document, review_document

    from gongkai.core.accounts.permissions import document_record

    with app.session() as session:
        doc = get_document(session, document_id)
        record = document_record(session, app.registry, doc) if decision == "approve" else None
        by = signer(session, app, by, f"document.review:{step_id}", record, free=by)
        if head:
            head = _head(session, app, document_id, step_id, head)
        capacity = capacity or _alternate_only(session, app, step_id, by)
        review_document(session, app.registry, doc, step_id=step_id, by=by, decision=decision, on=_today(on),
                        opinion=opinion, basis=basis, checks=checks, head=head, comment=comment, capacity=capacity)
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


def _alternate_only(session, app, step_id: str, by: str) -> str:
    """The capacity the logged-in account signs in (:func:`signing_capacity`); "" without accounts."""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.permissions import signing_capacity

    account = store.find(session, by) if store.has_accounts(session) else None
    return signing_capacity(app.registry, step_id, account.role_codes) if account is not None else ""


def _head(session, app, document_id: int, step_id: str, head: str) -> str:
    """``--head``: the second signer named on the reviewer's command, only without accounts;
    once the unit has accounts the second signer signs in their own name (``document cosign``)."""
    from gongkai.core.accounts import store
    from gongkai.core.errors import GongkaiError

    if store.has_accounts(session):
        raise GongkaiError(f"本单位已启用账户：第二签字人须本人登录后签字，不能由审核人填写（--head）。"
                           f"请去掉 --head 办理审核，再由第二签字人用 gongkai login 账户名 登录后执行 "
                           f"gongkai document cosign {document_id} --step {step_id}。")
    return signer(session, app, head, f"document.review:{step_id}.head", flag="--head", free=head)


@document.command("cosign")
@click.argument("document_id", type=int)
@click.option("--step", "step_id", required=True, type=LabelChoice("document_step"),
              help="审核环节（名称，见 document show），如 保密审查")
@click.option("--by", default=None, help="第二签字人，如 分管保密工作负责人（本单位已启用账户的：登录的本人账户，可省略）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def cosign(app, document_id, step_id, by, as_json):
    """第二签字：审核环节须两人签字的（如 保密审查员、分管保密工作负责人），由第二签字人本人在审核同意后签字。"""
    from gongkai.core.accounts.permissions import document_record
    from gongkai.core.documents.workflow import cosign_document, document_json, get_document

    with app.session() as session:
        doc = get_document(session, document_id)
        head = signer(session, app, by, f"document.review:{step_id}.head", document_record(session, app.registry, doc),
                      free=by or "")
        cosign_document(session, app.registry, doc, step_id=step_id, head=head)
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


@document.command("publish")
@click.argument("document_id", type=int)
@click.option("--on", callback=_date, required=True, help="发布日期")
@click.option("--channel", required=True, help="发布渠道，如 政府网站、政务新媒体、新闻媒体、政务公开栏、其他")
@click.option("--by", required=True, help="信息发布员（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def publish(app, document_id, on, channel, by, as_json):
    """发布已审批的文件，并登记到登记簿。"""
    from gongkai.core.accounts.permissions import document_record
    from gongkai.core.documents.workflow import document_json, get_document, publish_document

    with app.session() as session:
        doc = get_document(session, document_id)
        by = signer(session, app, by, "document.publish", document_record(session, app.registry, doc), free=by)
        publish_document(session, app.registry, doc, on=on, channel=channel, by=by)
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


@document.command("show")
@click.argument("document_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def show(app, document_id, as_json):
    """显示文件、审核环节、期限和全部事件。"""
    from gongkai.core.documents.workflow import document_json, get_document

    app.sync_calendar()  # dates as on the newest holiday schedule
    with app.session() as session:
        data = document_json(session, app.registry, app.calendar, get_document(session, document_id))
    _print(data, as_json)


@document.command("form")
@click.argument("document_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html", "md"]), default="docx",
              help="输出格式（pdf 由 LibreOffice 转换）")
@click.option("--out", required=True, help="输出文件路径（- 为标准输出）")
@force_option
@click.pass_obj
def form(app, document_id, fmt, out, force):
    """生成政务信息公开审批表。"""
    from gongkai.core.documents.forms import render_form
    from gongkai.core.documents.workflow import get_document

    with app.session() as session:
        path = render_form(session, app.registry, app.calendar, get_document(session, document_id), app.unit.name, fmt,
                           app.output(out, force))
    say_written("已生成：{}", path)


@document.command("register")
@click.option("--xlsx", "xlsx_path", help="导出为 Excel 文件")
@click.option("--year", type=year_type(), help="只列某年发布的信息")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@force_option
@click.pass_obj
def register(app, xlsx_path, year, as_json, force):
    """信息发布登记簿（每条信息发布后登记）。"""
    from gongkai.core.documents.register import COLUMNS, export_xlsx, register_rows

    with app.session() as session:
        rows = register_rows(session, year)
    if xlsx_path:
        title = f"{app.unit.name or app.registry.jurisdiction.display_name}政务信息公开发布登记簿"
        path = export_xlsx(rows, app.output(xlsx_path, force), title)
        say_written(f"已导出 {len(rows)} 条：{{}}", path, as_json)
    if as_json:
        emit_json(rows)
    elif not xlsx_path:
        emit_table(COLUMNS, [[r[c] for c in COLUMNS] for r in rows])


@document.command("decisions")
@click.option("--year", type=year_type(), required=True, help="年度")
@click.option("--licensing", type=count_type(DECISIONS), help="行政许可决定数")
@click.option("--penalty", type=count_type(DECISIONS), help="行政处罚决定数")
@click.option("--coercion", type=count_type(DECISIONS), help="行政强制决定数")
@click.option("--fees", type=amount_type(FEES_10K_YUAN), help="行政事业性收费金额（万元）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def decisions(app, year, licensing, penalty, coercion, fees, as_json):
    """录入并显示年度报告所需的决定数量、收费金额和规章/规范性文件数。"""
    from gongkai.core.documents.annual import annual_figures, set_decision_count

    with app.session() as session:
        for kind, value in (("行政许可", licensing), ("行政处罚", penalty), ("行政强制", coercion), ("行政事业性收费", fees)):
            if value is not None:
                set_decision_count(session, year, kind, value)
        data = annual_figures(session, year)
    if as_json:
        emit_json(data)
        return
    emit_table(["类别", "本年制发", "本年废止", "现行有效"],
               [[k, v["issued"], v["repealed"], v["in_force"]] for k, v in data["documents"].items()])
    emit_table(["决定类别", "数量/金额"], [[k, "未录入" if v is None else v] for k, v in data["decisions"].items()])


@document.command("repeal")
@click.argument("document_id", type=int)
@click.option("--on", callback=_date, required=True, help="废止日期")
@click.option("--by", default="", help="经办人")
@click.pass_obj
def repeal(app, document_id, on, by):
    """登记文件废止（年度报告按此统计）。"""
    from gongkai.core.documents.workflow import get_document, repeal_document

    with app.session() as session:
        repeal_document(session, app.registry, get_document(session, document_id), on,
                        signer(session, app, by, "document.repeal", free=by))
    click.echo(f"文件 {document_id} 已登记废止（{on}）。")


@document.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "mapping", multiple=True,
              help="表头与字段的对应，如 --map 标题=title,种类=kind,属性=attribute（字段：title 信息名称、number 文号、"
                   "kind 公文种类、attribute 公开属性、reason 依申请公开或不予公开的理由、category 目录类别〔条例第二十条的项号〕、"
                   "producer 信息产生机构、handler 经办人、summary 内容摘要、interpretation 解读材料、major_policy 重要政策文件〔是/否〕、"
                   "government_issued 以政府名义印发〔是/否〕、decision_kind 决定类别、decided 决定日期、formed 形成日期、"
                   "changed 变更日期、finalised 成文日期、published 发布日期、channel 发布渠道、published_by 信息发布员、"
                   "repealed 废止日期；脱密后公开：internal_version、public_version、method、secrecy_confirmed_by）。"
                   "表头即为上列中文名称的无需 --map")
@click.option("--by", default=None, help="经办人（本单位已启用账户的：账户名；默认：GONGKAI_USER 或登录名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def import_cmd(app, file, mapping, by, as_json):
    """从 .xlsx 或 .csv 导入已有的文件登记簿（标题、文号、种类、公开属性、日期、发布、废止）。

    每行按 document new 的规则检查（发布、废止的日期按 document publish、document repeal 的规则）：有误的行和与已登记文件
    （文号相同；无文号的，标题和发布日期相同）重复的行列出行号、不导入，其余行照常导入，此时退出码为 1；
    每批（500 行）整批保存或整批不保存，中断后提示已保存到第几行，用同一命令重新导入即可。"""
    from pathlib import Path

    from gongkai.core.cli.request_cmd import ImportProgress, finish_import
    from gongkai.core.documents import importer
    from gongkai.core.records.importing import parse_mapping

    fields = parse_mapping(mapping, importer.FIELDS) if mapping else None
    with app.session() as session:
        who = signer(session, app, by, "document.register")
    with ImportProgress() as progress:  # Ctrl-C or SIGTERM: the importer says what it stored
        report = importer.import_documents(app, Path(file), fields, who, progress=progress)
    finish_import(report.to_json(), as_json, "已导入文件 {imported} 件；有误或重复未导入 {refused} 行。")


@document.command("reevaluate")
@click.argument("document_id", type=int)
@click.option("--on", callback=_date, required=True, help="审查日期")
@click.option("--by", required=True, help="审查人")
@click.option("--attribute", default=None, help="调整后的公开属性（如 主动公开）；不写则维持原属性")
@click.option("--reason", default="", help="理由")
@click.option("--note", default="", help="研判意见")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def reevaluate(app, document_id, on, by, attribute, reason, note, as_json):
    """定期审查不予公开/依申请公开的文件；转为主动公开的进入发布流程。"""
    from gongkai.core.documents.workflow import document_json, get_document, reevaluate_document

    with app.session() as session:
        doc = get_document(session, document_id)
        by = signer(session, app, by, "document.reevaluate", free=by)
        reevaluate_document(session, app.registry, app.calendar, doc, on=on, by=by, attribute=attribute,
                            reason=reason, note=note)
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


@document.command("attach")
@click.argument("document_id", type=int)
@click.option("--interpretation", default="", help="解读方案、解读材料（或其存放位置）")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False), help="随文件公开的文件（PDF、图片或 Word 文件）")
@click.option("--kind", default="正文", help="所附文件的类别：正文、解读材料（默认 正文）")
@click.option("--on", callback=_date, help="报送日期（默认今天）")
@click.option("--by", default="", help="经办人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def attach(app, document_id, interpretation, file, kind, on, by, as_json):
    """补充解读方案和解读材料，或附加随文件公开的正文、解读材料文件（须附解读材料的文件，未附的不能审批、发布）。"""
    from gongkai.core.documents import files
    from gongkai.core.documents.workflow import attach_interpretation, document_json, get_document
    from gongkai.core.errors import GongkaiError
    from gongkai.core.today import not_future

    if not interpretation.strip() and not file:
        raise GongkaiError("请写明解读方案、解读材料（--interpretation），或给出所附文件（--file）。")
    on = not_future(_today(on), "报送")
    with app.session() as session:
        doc = get_document(session, document_id)
        by = signer(session, app, by, "document.attach", free=by)
        if interpretation.strip():
            attach_interpretation(session, app.registry, doc, material=interpretation, on=on, by=by)
        if file:
            with open(file, "rb") as stream:
                files.attach(session, app.registry, app.config, doc, stream, kind=kind, file_name=file, on=on, by=by)
        data = document_json(session, app.registry, app.calendar, doc)
        data["files"] = [files.shown(r, doc.id) for r in files.of_documents(session, [doc.id]).get(doc.id, [])]
    _print(data, as_json)


@document.command("edit")
@click.argument("document_id", type=int)
@click.option("--category", required=True, help="政府信息公开目录的类别：条例第二十条的项号，如 3 或 （三）；写 推定 则按种类和决定推定")
@click.option("--by", default="", help="经办人（本单位已启用账户的：账户名）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def edit(app, document_id, category, by, as_json):
    """修改文件在政府信息公开目录中的类别（条例第二十条）。"""
    from gongkai.core.documents.workflow import document_json, get_document, set_category

    with app.session() as session:
        doc = get_document(session, document_id)
        set_category(session, app.registry, doc, category="" if category.strip() == "推定" else category,
                     by=signer(session, app, by, "document.edit", free=by))
        data = document_json(session, app.registry, app.calendar, doc)
    _print(data, as_json)


@document.command("meet")
@click.argument("document_id", type=int)
@click.option("--clock", required=True, type=LabelChoice("clock"), help="期限，如 送交档案馆、图书馆，不予公开书面报告")
@click.option("--on", callback=_date, required=True, help="办结日期")
@click.option("--by", default="", help="经办人")
@click.pass_obj
def meet(app, document_id, clock, on, by):
    """登记某项期限事项已办结（送交档案馆图书馆、书面报告等）。"""
    from gongkai.core.documents.workflow import get_document, meet_clock

    with app.session() as session:
        meet_clock(session, app.registry, get_document(session, document_id), clock, on,
                   signer(session, app, by, "document.meet", free=by))
    click.echo(f"文件 {document_id} 的期限“{label('clock', clock)}”已办结（{on}）。")


def _print(data, as_json):
    if as_json:
        emit_json(data)
        return
    click.echo(f"文件 {data['id']}：{data['title']}{('（' + data['number'] + '）') if data['number'] else ''}")
    click.echo(f"种类：{data['kind']}；公开属性：{data['attribute']}；状态：{data['state_name']}")
    click.echo(f"目录类别：{data['category']}")
    for c in data["clocks"]:
        limit = f"，最迟 {c['limit']}" if c["limit"] else ""
        click.echo(f"期限 {c['label']}：{c['due']}{limit}（{label('clock_status', c['status'])}）")
    for s in data["review_steps"]:
        head = f"、{s['head']}（第二签字）" if s.get("head") else ""
        click.echo(f"  {'☑' if s['done'] else '☐'} {s['name']}{('　' + s['by']) if s['by'] else ''}{head}")
    for f in data.get("files", []):
        click.echo(f"所附文件 {f['id']}：{f['file_name']}（{f['kind_name']}，{f['size']} 字节）")
    for w in data["warnings"]:
        click.echo(f"注意：{w}")


@click.command()
@click.option("--overdue", is_flag=True, help="只列已逾期未办结的")
@click.option("--due-within", type=count_type(3660), help="只列N日内到期的")
@click.option("--review-due", is_flag=True, help="列出需定期审查的不予公开/依申请公开文件")
@click.option("--since", callback=_date, help="与 --review-due 合用：此日期以来未审查过的（默认本年1月1日；条文未规定周期）")
@click.option("--as-of", callback=_date, help="按此日期判断是否逾期（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_obj
def documents(app, overdue, due_within, review_due, since, as_of, as_json):
    """文件台账：公开属性、状态和发布期限。"""
    from gongkai.core.documents.workflow import document_json, list_documents, review_due as due_for_review

    today = _today(as_of)
    app.sync_calendar()  # dates as on the newest holiday schedule
    with app.session() as session:
        if review_due:
            since = since or dt.date(today.year, 1, 1)
            rows = [document_json(session, app.registry, app.calendar, d, events=False) for d in due_for_review(session, app.registry, since)]
        else:
            rows = list_documents(session, app.registry, app.calendar, today=today, overdue=overdue, due_within=due_within)
    if as_json:
        emit_json(rows)
        return
    emit_table(
        ["编号", "文号", "标题", "种类", "公开属性", "状态", "到期", "最迟", "逾期", "发布日期"],
        [[r["id"], r["number"], r["title"], r["kind"], r["attribute"], r["state_name"], r["due"], r["limit"],
          r.get("overdue", False), r["published_on"]] for r in rows],
    )
