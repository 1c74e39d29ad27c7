"""``gongkai request ...``: one request from intake to the reply letter."""

from __future__ import annotations

import click

from gongkai.core.cli.common import LabelChoice, MayBeEmpty, count_type, day, force_option, say_written, signer
from gongkai.core.records.limits import FEE_PAGES
from gongkai.core.cli.output import emit_json, emit_table
from gongkai.core.labels import label

# appeals.RESULTS, spelled here so help needs no database imports (tests/test_appeal_answer.py checks)
RESULT_CHOICES = ("维持", "驳回", "纠正", "撤销", "确认违法", "责令履行", "其他", "尚未审结")

BY = click.option("--by", help="经办人（本单位已启用账户的：账户名；默认：GONGKAI_USER 或登录名）")
JSON = click.option("--json", "as_json", is_flag=True, help="输出 JSON")
# a request by gongkai's 编号 (a number) or the unit's own reference (长房申〔2025〕17号)
REQUEST = click.argument("request_id", metavar="编号或本单位编号")
NOTICE = click.option("--notice", "notice_out", type=click.Path(dir_okay=False),
                      help="同时生成本步骤的书面告知，格式按扩展名：.docx、.pdf、.md、.html")
REVEAL = click.option("--reveal", is_flag=True, help="显示完整的证件号码和电话（此操作本身记入事件日志）")


@click.group()
def request():
    """依申请公开：登记、补正、中止、延期、审核、答复、告知书。"""


def _run(app, request_id, fn, *args, notice=None, sign=None, **kwargs):
    """Load the request and run ``fn`` in one transaction; returns show() of the result.

    ``notice``: (kind, file, options) of the written notice the step requires, made in the same
    transaction, so a notice that cannot be made leaves the step unrecorded.
    ``sign=(action, by)``: ``fn`` gets ``actor=`` the signer bound to the unit's accounts."""
    from gongkai.core.requests import ledger, workflow

    with app.session() as session:
        req = workflow.load(session, request_id)
        if sign:
            kwargs["actor"] = signer(session, app, sign[1], sign[0])
        fn(session, app, req, *args, **kwargs)
        _write_notice(session, app, req, notice, kwargs.get("actor"))
        return ledger.show(session, app, req)


def _notify(app, data):
    """Tell by email whom the request now waits for (best-effort; core.requests.reminders)."""
    from gongkai.core.requests.reminders import notify_waiting

    done = notify_waiting(app, data["id"])
    if done["failed"]:
        click.echo(f"提醒邮件未能发给：{'、'.join(done['failed'])}（已记入办理记录）", err=True)


def _write_notice(session, app, req, notice, actor=None):
    """The step's ``--notice``: made and recorded on the request as ``request notice`` does
    (``notices.issue``), by the step's signer (the request's last event names them)."""
    if notice is None or not notice[1]:
        return
    from gongkai.core.requests import notices

    kind, out, options = notice
    if actor is None:
        from gongkai.core.records.storage import events_for
        from gongkai.core.requests.models import OWNER

        actor = events_for(session, OWNER, req.id)[-1]["actor"]
    notices.issue(session, app, req, kind, notices.format_of(out), options, actor, out=app.output(out))
    click.echo(f"已生成{notices.KINDS[kind].title}：{out}", err=True)


def _report(data, as_json, message):
    if as_json:
        emit_json(data)
    else:
        click.echo(message)
        click.echo(f"状态：{data['state_name']}；答复期限：{data['due'] or '（中止计时）'}；已用 {data['working_days_used']} 个工作日")


@request.command("new")
@click.option("--applicant", required=True, help="申请人姓名或名称")
@click.option("--applicant-type", required=True, type=LabelChoice("applicant_type"),
              help="申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他")
@click.option("--id-number", default="", help="证件号码")
@click.option("--contact", default="", help="联系方式")
@click.option("--channel", required=True, type=LabelChoice("channel"), help="提交渠道，如 当面提交、互联网（见本辖区规定）")
@click.option("--submitted", required=True, help="提交日期（签收日期）")
@click.option("--confirmed", help="双方确认日期（平常信函、互联网、传真）")
@click.option("--subject", required=True, help="申请公开的政府信息内容")
@click.option("--form", "form_wanted", default="", help="获取信息的方式，如 纸质、电子邮件")
@click.option("--entered", help="录入申请平台的日期（默认今天；用于本地录入时限，如长宁区2个工作日）")
@click.option("--track", type=LabelChoice("track"), default="government",
              help="申请类别：政府信息公开申请（默认），或本辖区规定的其他类别，如五原县的 党务公开申请（party）")
@click.option("--ref", help="本单位编号，如 长房申〔2025〕17号（本单位内不得重复；之后的命令可用它代替编号）")
@NOTICE
@BY
@JSON
@click.pass_obj
def new(app, applicant, applicant_type, id_number, contact, channel, submitted, confirmed, subject, form_wanted,
        entered, track, ref, notice_out, by, as_json):
    """登记一件政府信息公开申请，按条例第三十一条确定收到日期并开始计时。"""
    from gongkai.core.requests import intake, ledger

    with app.session() as session:
        actor = signer(session, app, by, "request.register")
        req = intake.receive(
            session, app, applicant=applicant, applicant_type=applicant_type, channel=channel,
            submitted=day(submitted, "--submitted"), confirmed=day(confirmed, "--confirmed"), subject=subject,
            id_number=id_number, contact=contact, form_wanted=form_wanted, actor=actor,
            entered=day(entered, "--entered"), track=track, ref=ref,
        )
        _write_notice(session, app, req, ("receipt", notice_out, {}), actor)  # 条例 第三十一条: 收到申请的确认
        data = ledger.show(session, app, req)
    _notify(app, data)
    if as_json:
        emit_json(data)
    else:
        kind = "" if track == "government" else f"（{label('track', track, app.registry)}）"
        ref = f"（{data['ref']}）" if data["ref"] else ""
        click.echo(f"已登记申请 {data['id']}{ref}{kind}：收到日期 {data['received']}，答复期限 {data['due']}")


@request.command("show")
@REQUEST
@click.option("--as-of", help="按该日计算已用和剩余工作日（默认今天）")
@REVEAL
@BY
@JSON
@click.pass_obj
def show(app, request_id, as_of, reveal, by, as_json):
    """显示一件申请的全部情况与记录（证件号码、电话默认隐去中间几位）。"""
    from gongkai.core.records.privacy import record_reveal
    from gongkai.core.requests import ledger, workflow

    app.sync_calendar()  # dates as on the newest holiday schedule
    with app.session() as session:
        req = workflow.load(session, request_id)
        if reveal:
            record_reveal(session, what="申请人证件号码、联系方式", actor=signer(session, app, by, "request.reveal"),
                          subject_kind="request",
                          subject_id=req.id)
        data = ledger.show(session, app, req, day(as_of, "--as-of"), reveal=reveal)
    if as_json:
        emit_json(data)
        return
    kind = "" if data["track"] == "government" else f"（{label('track', data['track'], app.registry)}）"
    ref = f"（{data['ref']}）" if data["ref"] else ""
    click.echo(f"申请 {data['id']}{ref}{kind}：{data['applicant']}　“{data['subject']}”")
    if data["applicant_id_number"] or data["applicant_contact"]:  # masked unless --reveal
        click.echo(f"证件号码 {data['applicant_id_number'] or '（无）'}　联系方式 {data['applicant_contact'] or '（无）'}")
    click.echo(f"承办人 {data['assignee'] or '（尚未分办）'}")
    click.echo(f"收到 {data['received']}　状态 {data['state_name']}　答复期限 {data['due'] or '（中止计时）'}"
               f"　已用 {data['working_days_used']} 个工作日" + ("　已逾期" if data["overdue"] else "")
               + ("　逾期答复" if data["late"] else ""))
    if data["intake_late"]:
        intake = data["clocks"]["intake"]
        click.echo(f"录入逾期：应于 {intake['due']} 前录入申请平台，实际 {intake['met_on']} 录入"
                   f"（{app.registry.deadline(intake['rule']).citation}）")
    if data["outcome"]:
        click.echo(f"答复结果 {label('outcome', data['outcome'], app.registry)}（{data['replied_on']}）")
    signed = data["proposal"]
    if signed and (data["state"] == "amending" or not data["outcome"]):
        withheld = "；".join(f"{w['part']}：{w['reason']}" for w in signed["withheld"])
        click.echo(f"审核同意的拟答复：{label('outcome', signed['outcome'], app.registry)}"
                   + (f"；理由：{signed['reasons']}" if signed["reasons"] else "")
                   + (f"；不予公开：{withheld}" if withheld else "")
                   + (f"；负责公开的机关：{signed['agency']}（{signed['agency_contact']}）" if signed["agency"] else ""))
    emit_table(["审核步骤", "阶段", "完成", "审核人"],
               [[s["name"] + ("（本单位规定）" if s["unit_practice"] else ""), label("stage", s["stage"]), s["done"], s["by"]]
                for s in data["review_steps"]])
    for d in data["deliveries"]:
        click.echo(f"送达：{d['letter_name']}　{d['how_name']}　{d['on']}" + (f"　邮件号码 {d['tracking']}" if d["tracking"] else "")
                   + f"　申请行政复议至 {d['reconsideration_until']}，提起行政诉讼至 {d['lawsuit_until']}")
    from gongkai.core.requests.timeline import entries

    with app.session() as session:  # the timeline in words: step, decision, comment, who by name
        timeline = entries(session, app, data["events"])
    emit_table(["时间（北京时间）", "经办人", "事项", "情况", "意见"],
               [[e["at"], e["who"], e["what"], e["detail"], e["comment"]] for e in timeline], max_width=40)


@request.command("assign")
@REQUEST
@click.option("--to", "to", required=True, help="承办人的账户名（须有承办人角色）")
@click.option("--reason", default="", help="分办或改派的理由")
@BY
@JSON
@click.pass_obj
def assign_cmd(app, request_id, to, reason, by, as_json):
    """分办：确定或改派申请的承办人（单位管理员或政府信息公开工作机构负责人办理）。"""
    from gongkai.core.requests import assignment

    data = _run(app, request_id, assignment.assign, to, reason, sign=("request.assign", by))
    _notify(app, data)
    _report(data, as_json, f"已分办：承办人 {data['assignee']}")


@request.command("comment")
@REQUEST
@click.argument("text", metavar="意见")
@click.option("--step", "step_id", type=LabelChoice("step"), help="所针对的审核步骤（名称，见 request show；不填为对本件的意见）")
@BY
@JSON
@click.pass_obj
def comment_cmd(app, request_id, text, step_id, by, as_json):
    """填写办理意见：对本件申请或某一审核步骤的意见（审核意见），记入办理经过。"""
    from gongkai.core.requests import notes

    data = _run(app, request_id, notes.comment, text, step_id, sign=("request.comment", by))
    _report(data, as_json, "已记录意见")


@request.command("correct")
@REQUEST
@click.option("--notice-on", required=True, help="告知补正日期（收到申请后7个工作日内）")
@click.option("--period-days", required=True, type=int, help="补正期限（工作日）")
@click.option("--what", default="", help="需要补正的事项（写入补正告知书）")
@NOTICE
@BY
@JSON
@click.pass_obj
def correct(app, request_id, notice_on, period_days, what, notice_out, by, as_json):
    """一次性告知申请人补正（条例第三十条），答复期限停止计算。"""
    from gongkai.core.requests import clock

    def act(session, office, req):
        clock.notify_correction(session, office, req, day(notice_on, "--notice-on"), period_days,
                                actor=signer(session, office, by, "request.correct"), what=what)

    data = _run(app, request_id, act, notice=("correction", notice_out, {"what": what}))
    _report(data, as_json, f"已告知补正，补正期限至 {data['correction']['due']}")


@request.command("corrected")
@REQUEST
@click.option("--on", required=True, help="收到补正申请的日期")
@click.option("--good-reason", default="", help="逾期补正的正当理由")
@BY
@JSON
@click.pass_obj
def corrected(app, request_id, on, good_reason, by, as_json):
    """登记收到补正的申请，答复期限自该日重新计算。"""
    from gongkai.core.requests import clock

    data = _run(app, request_id, clock.corrected, day(on, "--on"), good_reason, sign=("request.corrected", by))
    _notify(app, data)
    _report(data, as_json, "已登记补正，答复期限重新计算")


@request.command("pause")
@REQUEST
@click.option("--reason", required=True, type=LabelChoice("pause_reason"),
              help="征求第三方意见、征求其他行政机关意见、不可抗力等法定事由、收费通知至缴费（已核定信息处理费的）")
@click.option("--on", required=True, help="中止计时日期（发出征求意见书之日）")
@click.option("--note", default="", help="说明")
@click.option("--to", default="", help="被征求意见的第三方（写入征求第三方意见书）")
@NOTICE
@BY
@JSON
@click.pass_obj
def pause(app, request_id, reason, on, note, to, notice_out, by, as_json):
    """中止计时：征求意见期间、收费通知至缴费期间不计入答复期限。"""
    from gongkai.core.requests import clock

    from gongkai.core.errors import GongkaiError

    if notice_out and reason != "third_party":
        raise GongkaiError("--notice 在此只生成征求第三方意见书（--reason third_party）。")
    data = _run(app, request_id, clock.pause, reason, day(on, "--on"), note, sign=("request.pause", by),
                notice=("third_party_opinion", notice_out, {"to": to}))
    _report(data, as_json, "已中止计时" if data["state"] == "paused" else "已登记征求意见（本辖区规定答复期限不中止）")


@request.command("resume")
@REQUEST
@click.option("--on", required=True, help="恢复计时日期（收到意见、障碍消除或申请人缴费之日）")
@click.option("--no-answer", is_flag=True, help="被征求意见方逾期未提出意见（按本辖区规则处理）")
@click.option("--unpaid", is_flag=True, help="收费通知后申请人逾期未缴费（缴费期限届满后；再以“逾期未缴纳信息处理费”答复）")
@BY
@JSON
@click.pass_obj
def resume(app, request_id, on, no_answer, unpaid, by, as_json):
    """恢复计时。"""
    from gongkai.core.requests import clock

    data = _run(app, request_id, clock.resume, day(on, "--on"), no_answer, sign=("request.resume", by), unpaid=unpaid)
    _notify(app, data)
    if data["state"] != "paused" and (not data["pauses"] or data["pauses"][-1]["end"] != day(on, "--on").isoformat()):
        from gongkai.core.requests import tracks
        from gongkai.hookspecs.records import DeadlineRule

        rule = app.registry.find(tracks.rule_id(app.registry, data.get("track"), "request.third_party_opinion"), DeadlineRule)
        meaning = clock.SILENCE_NAMES.get(rule.on_silence.value, "") if rule is not None and rule.on_silence else ""
        _report(data, as_json, "已登记征求意见结束" + (f"；逾期未提出意见：{meaning}" if no_answer else ""))
        return
    last = data["pauses"][-1]
    if unpaid:
        _report(data, as_json, "已登记逾期未缴费，恢复计时（请以“逾期未缴纳信息处理费”答复）")
        return
    silence = f"；逾期未提出意见：{clock.SILENCE_NAMES.get(last['silence_means'], '')}" if last["silence_means"] else ""
    _report(data, as_json, f"已恢复计时{silence}")


@request.command("extend")
@REQUEST
@click.option("--days", type=int, help="延长的工作日数")
@click.option("--months", type=int, help="延长的月数（本辖区规则以月计的）")
@click.option("--approved-by", required=True, help="批准延期的负责人（本单位已启用账户的：须为 gongkai login 登录的本人账户）")
@click.option("--on", required=True, help="批准日期")
@click.option("--told-on", help="告知申请人的日期（默认同批准日期）")
@click.option("--reason", default="", help="延期的理由（写入延期答复告知书）")
@NOTICE
@BY
@JSON
@click.pass_obj
def extend(app, request_id, days, months, approved_by, on, told_on, reason, notice_out, by, as_json):
    """延长答复期限（条例第三十三条，受本辖区规则限制）。"""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests import clock

    if (days is None) == (months is None):
        raise GongkaiError("请给出 --days 或 --months 之一。")
    def act(session, office, req):
        # once the unit has accounts, the approver is the one logged in, and records it (条例 第三十三条)
        approver = signer(session, office, approved_by, "request.extend.approve", flag="--approved-by", free=approved_by)
        clock.extend(session, office, req, days if days is not None else months, approver, day(on, "--on"),
                     day(told_on, "--told-on"), months is not None,
                     actor=signer(session, office, by, "request.extend.approve"), reason=reason)

    data = _run(app, request_id, act, notice=("extension", notice_out, {"reason": reason}))
    _report(data, as_json, "已延长答复期限")


@request.command("excessive")
@REQUEST
@click.option("--asked-on", help="要求申请人说明理由的日期")
@click.option("--later-due", help="理由合理但无法按期答复：确定的延迟答复期限")
@BY
@JSON
@click.pass_obj
def excessive(app, request_id, asked_on, later_due, by, as_json):
    """申请数量、频次明显超过合理范围（条例第三十五条）：要求说明理由，或确定延迟答复期限。

    理由不合理的，用 `request reply --outcome 不予处理（无正当理由大量反复申请）` 答复不予处理。"""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests import clock

    if (asked_on is None) == (later_due is None):
        raise GongkaiError("请给出 --asked-on 或 --later-due 之一。")
    if asked_on:
        data = _run(app, request_id, clock.ask_reasons, day(asked_on, "--asked-on"), sign=("request.excessive", by))
    else:
        data = _run(app, request_id, clock.set_later_due, day(later_due, "--later-due"), sign=("request.excessive", by))
    _report(data, as_json, "已登记")


@request.command("review")
@REQUEST
@click.option("--step", "step_id", required=True, type=LabelChoice("step"), help="审核步骤（名称，见 request show）")
@click.option("--by", help="审核人（本单位已启用账户的：须为 gongkai login 登录的账户，可省略）")
@click.option("--decision", required=True, type=LabelChoice("decision"), help="同意 或 退回")
@click.option("--comment", default="", help="审核意见")
@click.option("--outcome", type=LabelChoice("outcome"),
              help="拟答复结果，如 部分公开：审核流程的第一个签署须写明，其后的步骤审核同意的即是这一拟答复内容")
@click.option("--reason", help="拟答复的理由（写入告知书）")
@click.option("--withheld", multiple=True, help="部分公开：不予公开的内容及理由，“内容：理由”，可多次使用")
@click.option("--agency", help="负责公开的机关名称（无法提供：不属于本机关负责公开的）")
@click.option("--agency-contact", help="负责公开的机关联系方式")
@click.option("--on", help="审核日期（默认今天）")
@JSON
@click.pass_obj
def review_cmd(app, request_id, step_id, by, decision, comment, outcome, reason, withheld, agency, agency_contact, on,
               as_json):
    """按本辖区审核流程办理一个审核步骤；本人不得审批自己经手的上一步。

    审核签署的是具体的拟答复内容：第一个签署用 --outcome（及 --reason、--withheld、--agency、
    --agency-contact）写明，其后的步骤审核同意这一内容；答复与之不一致的拒绝答复。第一步重新签署
    不同的拟答复内容的，已签署的步骤随之重新审核。

    对已答复的申请办理答复前的步骤，即开始更正答复的审核（见 request amend）。"""
    from gongkai.core.requests import reply, review

    proposed = {"outcome": outcome, "reasons": reason,
                "withheld": reply.parse_withheld(list(withheld)) if withheld else None,
                "agency": agency, "agency_contact": agency_contact}

    def act(session, office, req):
        from gongkai.core.accounts.permissions import request_record

        record = request_record(session, office.registry, req) if decision == "approve" else None
        name = signer(session, office, by, f"request.review:{step_id}", record, free=by or "")
        review.review(session, office, req, step_id, name, decision, comment, day(on, "--on"), proposal=proposed)

    data = _run(app, request_id, act)
    _notify(app, data)
    registry = app.registry
    _report(data, as_json, f"已记录审核：{label('step', step_id, registry)} {label('decision', decision)}")


def _reply_options(reason_flag):
    """The options describing a reply's content (``request reply`` and ``request amend``)."""
    options = [
        click.option("--outcome", type=LabelChoice("outcome"),
                     help="答复结果，如 予以公开、部分公开、不予公开（属于国家秘密）；默认：审核同意的拟答复结果"),
        click.option(reason_flag, "reason", help="答复的理由（默认：审核同意的）"),
        click.option("--basis", default="", help="法律依据（默认取答复结果的依据）"),
        click.option("--provision", default="", help="提供信息的方式和时间"),
        click.option("--withheld", multiple=True,
                     help="部分公开：不予公开的内容及理由，“内容：理由”，可多次使用（默认：审核同意的）"),
        click.option("--agency", help="负责公开的机关名称（无法提供：不属于本机关负责公开的；默认：审核同意的）"),
        click.option("--agency-contact", help="负责公开的机关联系方式（默认：审核同意的）"),
    ]

    def wrap(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn

    return wrap


@request.command("reply")
@REQUEST
@click.option("--on", required=True, help="答复日期")
@_reply_options("--reason")
@BY
@JSON
@click.pass_obj
def reply_cmd(app, request_id, outcome, on, reason, basis, provision, withheld, agency, agency_contact, by, as_json):
    """答复申请；审核流程未完成的拒绝答复并指出缺少的步骤；与审核同意的拟答复内容不一致的拒绝答复并指出不一致之处。

    未给出的 --outcome、--reason、--withheld、--agency、--agency-contact 取审核同意的拟答复内容。"""
    from gongkai.core.requests import reply

    data = _run(app, request_id, reply.reply, outcome=outcome, on=day(on, "--on"), reasons=reason, legal_basis=basis,
                provision=provision, withheld=reply.parse_withheld(list(withheld)) if withheld else None, agency=agency,
                agency_contact=agency_contact, sign=("request.reply", by))
    _notify(app, data)
    _report(data, as_json, f"已答复：{data['outcome_name']}")


@request.command("amend")
@REQUEST
@click.option("--on", required=True, help="更正答复（新告知书）的日期")
@click.option("--reason", "why", required=True, help="更正理由，写入新告知书")
@_reply_options("--reply-reason")
@BY
@JSON
@click.pass_obj
def amend_cmd(app, request_id, on, why, outcome, reason, basis, provision, withheld, agency, agency_contact, by,
              as_json):
    """更正有误的答复：出具新的答复告知书并写明所更正的答复，原答复保留在记录中（年度报告按更正后的结果统计）。

    更正答复须重新经过审核流程：先用 request review 逐步审核（已答复的申请进入“更正答复审核中”，
    原答复在更正前仍然有效，原答复的审核不再适用），审核流程完成后才能更正。

    --reason 是更正理由；新答复自身的理由用 --reply-reason。"""
    from gongkai.core.requests import amend, reply

    data = _run(app, request_id, amend.amend, outcome=outcome, reason=why, on=day(on, "--on"), reasons=reason,
                legal_basis=basis, provision=provision, withheld=reply.parse_withheld(list(withheld)) if withheld else None,
                agency=agency, agency_contact=agency_contact, sign=("request.amend", by))
    _report(data, as_json, f"已更正答复：{data['outcome_name']}（原答复见 request show 的 prior_replies）")


@request.command("reanswer")
@REQUEST
@click.option("--decision-on", required=True, help="纠正决定（复议决定书、判决书）送达之日")
@click.option("--days", type=int, help="决定规定的重新答复期限（工作日；默认20个工作日，条例第三十三条）")
@BY
@JSON
@click.pass_obj
def reanswer_cmd(app, request_id, decision_on, days, by, as_json):
    """复议或诉讼决定纠正、责令重新答复：申请重新办理，答复期限重新计算，审核流程重新进行。"""
    from gongkai.core.requests import amend

    data = _run(app, request_id, amend.reanswer, day(decision_on, "--decision-on"), days, sign=("request.reanswer", by))
    _notify(app, data)
    _report(data, as_json, "已重新办理，请按审核流程重新答复")


@request.command("withdraw")
@REQUEST
@click.option("--on", required=True, help="申请人撤回申请的日期")
@click.option("--how", required=True, type=click.Choice(["书面", "电话", "当面", "网上"]), help="撤回的方式")
@BY
@JSON
@click.pass_obj
def withdraw_cmd(app, request_id, on, how, by, as_json):
    """登记申请人撤回申请：不出具答复告知书，期限停止；年度报告计入“（六）其他处理 3.其他”。"""
    from gongkai.core.requests import withdrawal

    data = _run(app, request_id, withdrawal.withdraw, day(on, "--on"), how, sign=("request.withdraw", by))
    _report(data, as_json, f"已登记申请人撤回（{how}）")


@request.command("edit")
@REQUEST
@click.option("--applicant", help="申请人姓名或名称")
@click.option("--applicant-type", type=LabelChoice("applicant_type"),
              help="申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他")
@click.option("--id-number", cls=MayBeEmpty, help="证件号码（给空值则清除）")
@click.option("--contact", cls=MayBeEmpty, help="联系方式（给空值则清除）")
@click.option("--channel", type=LabelChoice("channel"), help="提交渠道，如 当面提交（改变收到日期的，答复期限重新计算）")
@click.option("--submitted", help="提交日期（改变收到日期的，答复期限重新计算）")
@click.option("--confirmed", help="双方确认日期")
@click.option("--subject", help="申请公开的政府信息内容")
@click.option("--form", "form_wanted", cls=MayBeEmpty, help="获取信息的方式（给空值则清除）")
@click.option("--reason", required=True, help="更正理由，如“申请人姓名录入错误”")
@BY
@JSON
@click.pass_obj
def edit_cmd(app, request_id, applicant, applicant_type, id_number, contact, channel, submitted, confirmed, subject,
             form_wanted, reason, by, as_json):
    """更正申请的登记信息，须说明理由；更正前后的内容记入事件日志。"""
    from gongkai.core.requests import edits

    changed = {}

    def act(session, office, req):
        changed.update(edits.edit(
            session, office, req, reason=reason, actor=signer(session, office, by, "request.edit"),
            applicant=applicant, applicant_type=applicant_type,
            id_number=id_number, contact=contact, channel=channel, submitted=day(submitted, "--submitted"),
            confirmed=day(confirmed, "--confirmed"), subject=subject, form_wanted=form_wanted))

    data = _run(app, request_id, act)
    data["edited"] = changed
    _report(data, as_json, f"已更正：{'、'.join(edits.LABELS[k] for k in changed['after'] if k in edits.LABELS)}")


@request.command("fee")
@REQUEST
@click.option("--method", required=True, type=LabelChoice("fee_method"), help="按件计收 或 按量计收，二者择一")
@click.option("--pages", type=count_type(FEE_PAGES, low=1), help="按量计收的页数")
@click.option("--payment", default="", help="缴纳方式（写入收费通知书）")
@click.option("--notice-on", help="发出收费通知的日期（默认今天）")
@NOTICE
@BY
@JSON
@click.pass_obj
def fee(app, request_id, method, pages, payment, notice_on, notice_out, by, as_json):
    """核定信息处理费（条例第四十二条，国办函〔2020〕109号）。"""
    from gongkai.core.requests import fees

    from gongkai.core.today import today

    on = day(notice_on, "--notice-on") or today()
    charged = []

    def act(session, office, req):
        charged.append(fees.charge(session, office, req, method, pages, actor=signer(session, office, by, "request.fee"),
                                   notice_on=on, payment=payment))

    data = _run(app, request_id, act, notice=("fee", notice_out, {"payment": payment, "on": on}))
    if not charged[0]:
        data["fee"] = {**data["fee"], "amount": 0, "recorded": False}
        _report(data, as_json, f"信息处理费：0 元（{fees.METHODS[method]}），不收费，未登记")
        return
    _report(data, as_json, f"信息处理费：{data['fee']['amount']} 元（{fees.METHODS[method]}）；"
                           "自收费通知之日起至缴费之日止不计入答复期限（缴费后登记恢复计时）")


@request.command("letter")
@REQUEST
@click.option("--format", "fmt", required=True, type=click.Choice(["docx", "pdf", "md", "html"]),
              help="输出格式（pdf 由 LibreOffice 转换）")
@click.option("--out", required=True, help="输出文件（- 为标准输出）")
@force_option
@click.option("--prior", type=int, help="生成已被更正或重新答复的第 K 份答复的告知书（见 request show 的 prior_replies）")
@click.pass_obj
def letter(app, request_id, fmt, out, prior, force):
    """生成答复告知书（按本辖区模板，党政机关公文格式 GB/T 9704-2012）；更正后的答复告知书写明所更正的答复及理由。"""
    from gongkai.core.requests import letters, workflow

    with app.session() as session:
        path = letters.write_letter(session, app, workflow.load(session, request_id), fmt, app.output(out, force),
                                     prior)
    say_written("已生成答复告知书：{}", path)
    if not app.unit.letter_prefix:
        click.echo("提示：gongkai.toml 未设置 letter_prefix（机关代字），文号只有“〔年份〕序号号”。", err=True)


@request.command("notice")
@REQUEST
@click.option("--kind", required=True,
              help="告知书种类：收到申请确认书、补正告知书、延期答复告知书、征求第三方意见书、第三方告知书（决定公开）、"
                   "收费通知书；可简写为 收到确认、补正、延期、征求意见、告知第三方、收费")
@click.option("--format", "fmt", required=True, type=click.Choice(["docx", "pdf", "md", "html"]), help="输出格式")
@click.option("--out", required=True, help="输出文件（- 为标准输出）")
@force_option
@click.option("--on", help="告知书日期（默认取登记的日期：收到、补正告知、延期告知、中止计时）")
@click.option("--what", default="", help="补正告知书：需要补正的事项")
@click.option("--to", default="", help="第三方的名称或姓名（征求第三方意见书、第三方告知书）")
@click.option("--reason", default="", help="延期的理由；决定公开的理由（第三方告知书）")
@click.option("--content", default="", help="第三方告知书：决定公开的政府信息内容（默认为申请内容）")
@click.option("--payment", default="", help="收费通知书：缴纳方式")
@BY
@click.pass_obj
def notice(app, request_id, kind, fmt, out, force, on, what, to, reason, content, payment, by):
    """生成条例要求的书面告知（收到确认、补正、延期、征求第三方意见、第三方告知、收费通知），记入办理记录。"""
    from gongkai.core.requests import notices, workflow

    options = {"on": day(on, "--on"), "what": what, "to": to, "reason": reason, "content": content,
               "payment": payment}
    target = app.output(out, force)
    with app.session() as session:
        req = workflow.load(session, request_id)
        notices.issue(session, app, req, kind, fmt, options, signer(session, app, by, "request.notice"), out=target)
    say_written(f"已生成{notices.kind_of(kind).title}：{{}}", target)


@request.command("appeal")
@REQUEST
@click.option("--kind", type=LabelChoice("appeal_kind"),
              help="登记新的复议或诉讼：行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）")
@click.option("--filed", help="申请复议或起诉的日期")
@click.option("--reconsidered-on", help="复议后起诉、而复议在本系统启用前已办结的：复议决定日期")
@click.option("--appeal-id", type=int, help="更新已登记的复议或诉讼（默认：最近登记的一件）")
@click.option("--result", default="尚未审结", type=click.Choice(RESULT_CHOICES), help="结果（驳回计入维持；撤销、确认违法、责令履行计入纠正）")
@click.option("--decided", help="收到复议决定书或判决书的日期")
@click.option("--copy-received", help="收到复议申请书副本或起诉状副本的日期（开始计算答复、答辩期限）")
@click.option("--hearing", help="行政诉讼：开庭日期")
@click.option("--head-appeared/--head-absent", "head_appeared", default=None,
              help="行政诉讼：行政机关负责人是否出庭应诉（行政诉讼法 第三条第三款）")
@BY
@JSON
@click.pass_obj
def appeal(app, request_id, kind, filed, reconsidered_on, appeal_id, result, decided, copy_received, hearing,
           head_appeared, by, as_json):
    """登记行政复议、行政诉讼及其结果；尚未答复的申请也可登记（申请人以行政机关不作为为由申请复议或起诉）。

    收到复议申请书副本或起诉状副本的，用 --copy-received 登记，开始计算答复期限（复议：10个工作日；
    诉讼：15日，届满日为法定休假日的顺延）；提交答复后用 appeal answered 办结。"""
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests import appeals

    respondent = copy_received or hearing or head_appeared is not None

    def act(session, office, req):
        who = signer(session, office, by, "request.appeal")
        if kind and filed:
            one = appeals.record_appeal(session, office, req, kind, day(filed, "--filed"), result,
                                        day(decided, "--decided"), who,
                                        reconsidered_on=day(reconsidered_on, "--reconsidered-on"),
                                        copy_received=day(copy_received, "--copy-received"))
            if hearing or head_appeared is not None:
                appeals.record_hearing(session, office, req, one, day(hearing, "--hearing"), head_appeared, who)
        elif appeal_id is not None or respondent or result != "尚未审结" or decided:  # the latest, unless --appeal-id
            one = appeals.pick(session, req, appeal_id)
            if copy_received:
                appeals.receive_copy(session, office, req, one, day(copy_received, "--copy-received"), who)
            if hearing or head_appeared is not None:
                appeals.record_hearing(session, office, req, one, day(hearing, "--hearing"), head_appeared, who)
            if not respondent or result != "尚未审结" or decided:
                appeals.decide(session, office, req, one, result, day(decided, "--decided"), who)
        else:
            raise GongkaiError("登记新的复议或诉讼请给出 --kind 和 --filed；更新结果请给出 --appeal-id 和 --result；"
                               "收到副本请给出 --copy-received。")

    data = _run(app, request_id, act)
    _report(data, as_json, "已登记复议或诉讼")
    due = [a for a in data["appeals"] if a["answer_due"] and not a["answered_on"]]
    if due and not as_json:
        click.echo(f"{due[-1]['kind_name']}答复（答辩）期限：{due[-1]['answer_due']}")


@request.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "mapping", multiple=True,
              help="表头与字段的对应，如 --map 申请人=applicant,申请日期=submitted（字段：applicant、applicant_type、"
                   "channel、submitted、confirmed、subject、id_number、contact、outcome、replied_on、ref 本单位编号、"
                   "fee_amount 信息处理费、withheld、agency、agency_contact；办理经过：withdrawal_how 撤回方式、"
                   "fee_notice_on 收费通知日期、fee_paid_on 缴费日期、correction_notice_on 补正告知日期、"
                   "correction_days 补正期限、corrected_on 补正日期、pauses 中止计时（如“征求第三方意见：2025-12-01至2025-12-15”）、"
                   "extensions 延长答复期限（如“延长20个工作日，2025-12-10，张三批准”））。本系统导出的台账（ledger --xlsx）无需 --map")
@click.option("--again", is_flag=True, help="再次导入内容相同、已导入过的文件（默认拒绝，以免重复登记）")
@click.option("--from-line", type=int, default=2, show_default=True,
              help="从文件第几行起导入（第 1 行为表头）：继续一次中断的导入")
@BY
@JSON
@click.pass_obj
def import_cmd(app, file, mapping, again, from_line, by, as_json):
    """从 .xlsx 或 .csv 导入已有台账。按 `request new` 和 `request reply` 的规则逐行检查：有误的行和
    重复的行列出行号、不导入，其余行照常导入，此时退出码为 1。有办理经过的行（补正、中止计时、收费通知与缴费、
    延期、撤回）按日期顺序经由相应命令的同一检查逐步登记，年末未办结申请的已用、剩余工作日和答复期限与逐步登记的相同。
    同一文件（内容相同）不重复导入，除非 --again；中断后提示已保存到第几行，用 --from-line 继续。"""
    from pathlib import Path

    from gongkai.core.requests import importer

    with app.session() as session:
        who = signer(session, app, by, "request.import")
    with ImportProgress() as progress:
        report = importer.import_ledger(app, Path(file), importer.parse_mapping(mapping) if mapping else None,
                                        who, progress=progress, again=again, from_line=from_line)
    finish_import(report.to_json(), as_json, "已导入 {imported} 件。")


def finish_import(data: dict, as_json: bool, done: str) -> None:
    """An import's summary (``done`` formatted with its counts), each refused row by line on
    stderr, and exit status 1 when any row was refused."""
    if as_json:
        emit_json(data)
    else:
        click.echo(done.format(imported=data["imported"], refused=len(data["errors"])))
    for e in data["errors"]:
        click.echo(f"第{e['row']}行未导入：{e['error']}", err=True)
    if data["errors"]:
        click.echo(f"共 {len(data['errors'])} 行未导入（行号见上），改正后可将这些行另存为新文件再导入。", err=True)
        raise SystemExit(1)


class ImportProgress:
    """A progress bar on stderr while a ledger file is imported, only when stderr is a terminal."""

    def __init__(self) -> None:
        import sys

        self.file = sys.stderr
        self.enabled = self.file.isatty()  # never in scripts, pipes, tests or the benchmark
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="导入中", file=self.file, show_pos=True)
            self.bar.__enter__()
        self.bar.length = max(self.bar.length, total)
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> ImportProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _dated_step(name, target, action, on_help, doc, message):
    """A command ``request NAME ID --on DATE`` that runs one core step (``module:function``)."""

    @REQUEST
    @click.option("--on", required=True, help=on_help)
    @BY
    @JSON
    @click.pass_obj
    def command(app, request_id, on, by, as_json):
        import importlib

        module, _, function = target.partition(":")
        step = getattr(importlib.import_module(module), function)
        data = _run(app, request_id, step, day(on, "--on"), sign=(action, by))
        _report(data, as_json, message)

    command.__doc__ = doc
    return request.command(name)(command)


_dated_step("abandon", "gongkai.core.requests.clock:abandon", "request.abandon", "认定日期（补正期限届满后）",
            "补正期限届满未补正：视为放弃申请（其他处理：逾期不补正，不再处理）。", "申请人逾期未补正，已按视为放弃申请办结")
_dated_step("close", "gongkai.core.requests.reply:close", "request.close", "归档日期", "答复后的步骤完成后办结归档。", "已办结归档")
_dated_step("register-overturned", "gongkai.core.requests.appeals:register_overturned", "request.register_overturned",
           "在依申请公开平台登记的日期",
            "登记被复议或诉讼纠正的答复（如长宁区：收到决定后一周内）。", "已登记被纠正的答复")


# ------------------------------------------------------------------ attachments, online applications, 送达


@request.command("attach")
@REQUEST
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", required=True, help="附件类别：申请材料、提供的信息、告知书原件、送达证明、其他")
@click.option("--on", help="日期（默认今天）")
@BY
@JSON
@click.pass_obj
def attach(app, request_id, file, kind, on, by, as_json):
    """给申请添加附件（存入数据库，内容摘要记入事件日志；PDF 或图片文件，部分类别可为 Word 文件）。"""
    from gongkai.core.attachments import store
    from gongkai.core.requests import files, workflow
    from gongkai.core.today import today

    with app.session() as session:
        req = workflow.load(session, request_id)
        actor = signer(session, app, by, "request.attach")
        with open(file, "rb") as stream:
            row = files.attach(session, app, req, stream, kind=kind, file_name=file, on=day(on, "--on") or today(),
                               actor=actor)
        data = store.as_json(row)
    if as_json:
        emit_json(data)
    else:
        click.echo(f"已添加附件 {data['id']}：{data['file_name']}（{data['kind_name']}，{data['size']} 字节，SHA-256 {data['sha256']}）")


@request.command("attachments")
@REQUEST
@JSON
@click.pass_obj
def attachments(app, request_id, as_json):
    """列出申请的附件（含网上申请时提交的材料）。"""
    from gongkai.core.requests import files, workflow

    with app.session() as session:
        req = workflow.load(session, request_id)
        rows = files.of_request(session, req.id)
    if as_json:
        emit_json(rows)
    else:
        emit_table(["编号", "类别", "文件名", "大小（字节）", "日期", "SHA-256"],
                   [[r["id"], r["kind_name"], r["file_name"], r["size"], r["added_on"], r["sha256"]] for r in rows])


@request.command("pending")
@JSON
@click.pass_obj
def pending(app, as_json):
    """列出待确认的网上申请（查询码只显示第一组）。"""
    from gongkai.core.requests import online

    with app.session() as session:
        rows = [online.as_json(r, app) for r in online.pending(session)]
    if as_json:
        emit_json(rows)
    else:
        emit_table(["编号", "申请人", "提交日期", "查询码", "申请内容"],
                   [[r["id"], r["applicant"], r["submitted"], r["tracking_code"], r["subject"][:40]] for r in rows])


@request.command("confirm")
@click.argument("application_id", metavar="网上申请编号")
@click.option("--on", required=True, help="双方确认日期，即收到申请之日（条例 第三十一条（三））")
@BY
@JSON
@click.pass_obj
def confirm(app, application_id, on, by, as_json):
    """确认一件网上申请：以确认之日为收到申请之日登记并开始计时，收到申请确认书在网上出具。"""
    from gongkai.core.requests import ledger, online

    with app.session() as session:
        row = online.load(session, application_id)
        req = online.confirm(session, app, row, day(on, "--on"), signer(session, app, by, "request.confirm_online"))
        data = ledger.show(session, app, req)
    if as_json:
        emit_json(data)
    else:
        click.echo(f"已确认网上申请 {application_id}，登记为申请 {data['id']}：收到日期 {data['received']}，答复期限 {data['due']}")


@request.command("decline")
@click.argument("application_id", metavar="网上申请编号")
@click.option("--reason", required=True, help="不予受理的理由（如 不属于政府信息公开申请）")
@click.option("--on", help="日期（默认今天）")
@BY
@click.pass_obj
def decline(app, application_id, reason, on, by):
    """对不属于申请的网上提交不予受理（写明理由，记入事件日志）。"""
    from gongkai.core.requests import online
    from gongkai.core.today import today

    with app.session() as session:
        row = online.load(session, application_id)
        online.decline(session, row, reason, day(on, "--on") or today(), signer(session, app, by, "request.confirm_online"))
    click.echo(f"网上申请 {application_id} 不予受理：{reason}")


@request.command("deliver")
@REQUEST
@click.option("--how", required=True, help="送达方式：网上送达、电子邮件、邮寄、当面、留置送达、其他")
@click.option("--on", required=True, help="送达日期")
@click.option("--letter", help="送达的文书：答复书（默认），或 收到申请确认书、补正告知书、延期答复告知书 等")
@click.option("--tracking", default="", help="邮件号码（如 邮政特快专递单号）")
@click.option("--proof", type=click.Path(exists=True, dir_okay=False), help="送达证明文件（PDF 或图片）")
@BY
@JSON
@click.pass_obj
def deliver(app, request_id, how, on, letter, tracking, proof, by, as_json):
    """登记文书送达申请人的日期和方式（行政复议、行政诉讼期限自此起算）。"""
    from gongkai.core.requests import files, workflow

    with app.session() as session:
        req = workflow.load(session, request_id)
        actor = signer(session, app, by, "request.deliver")
        row = files.deliver_with_proof(session, app, req, how=how, on=day(on, "--on"), letter=letter, tracking=tracking,
                                       proof=proof, actor=actor)
        from gongkai.core.requests import delivery

        data = delivery.as_json(app, row)
    if as_json:
        emit_json(data)
    else:
        click.echo(f"已登记送达：{data['letter_name']}，{data['how_name']}，{data['on']}；"
                   f"申请行政复议至 {data['reconsideration_until']}，提起行政诉讼至 {data['lawsuit_until']}")
