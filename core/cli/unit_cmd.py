"""``gongkai unit ...``: the units of a district server (or a unit's own folder's one unit)."""

from __future__ import annotations

import click

from gongkai.core.cli.common import LabelChoice, actor
from gongkai.core.cli.output import emit_json, emit_table

JSON = click.option("--json", "as_json", is_flag=True, help="输出 JSON")
BY = click.option("--by", help="办理人（记入事件日志）")


@click.group()
def unit():
    """单位：区级服务器上的各单位（部门、街道乡镇、区政府）及其机关代字、复议机关。"""


def _fields(func):
    for option in reversed((
        click.option("--level", type=LabelChoice("unit_level"), help="层级：部门、街道（乡镇）或人民政府"),
        click.option("--parent", metavar="单位代码", help="上级单位的代码"),
        click.option("--letter-prefix", help="机关代字，告知书文号“机关代字〔年份〕序号号”，如 长房公开"),
        click.option("--reconsideration-body", help="行政复议机关，如 上海市长宁区人民政府"),
        click.option("--contact", help="联系方式（地址、电话）"),
        click.option("--flag", "flags", multiple=True,
                     help="单位标记（可重复），用于只由部分单位承担的例行工作，如 雁塔区“保密行政管理部门”；"
                          "可用的标记见 `gongkai duties`"),
    )):
        func = option(func)
    return func


@unit.command("add")
@click.argument("code")
@click.option("--name", required=True, help="单位全称（告知书落款），如 上海市长宁区房屋管理局")
@_fields
@BY
@JSON
@click.pass_obj
def add(app, code, name, level, parent, letter_prefix, reconsideration_body, contact, flags, by, as_json):
    """新增单位。单位代码：小写字母开头，如 fgj；其他命令用 --unit 单位代码 选择它。"""
    from gongkai.core.matters.duties import unit_flags
    from gongkai.core.units.store import add_unit, describe

    with app.district_session() as session:
        row = add_unit(session, code, name=name, level=level or "department", parent=parent,
                       letter_prefix=letter_prefix or "", reconsideration_body=reconsideration_body or "",
                       contact=contact or "", actor=actor(by), flags=flags, known_flags=unit_flags(app.registry))
        data = describe(session, row)
    if as_json:
        return emit_json(data)
    click.echo(f"已新增单位 {data['code']}（{data['name']}）。用 --unit {data['code']} 或 GONGKAI_UNIT={data['code']} 在该单位办理。")


@unit.command("list")
@JSON
@click.pass_obj
def list_(app, as_json):
    """列出全部单位。"""
    from gongkai.core.labels import label
    from gongkai.core.units.store import all_units, describe

    with app.district_session() as session:
        data = [describe(session, row) for row in all_units(session)]
    if as_json:
        return emit_json(data)
    if not data:
        return click.echo("尚无单位。用 `gongkai unit add 代码 --name 全称` 新增。")
    emit_table(["代码", "单位全称", "层级", "上级单位", "机关代字", "行政复议机关"],
               [[u["code"], u["name"], label("unit_level", u["level"]), u["parent"] or "", u["letter_prefix"],
                 u["reconsideration_body"]] for u in data])


@unit.command("show")
@click.argument("code", required=False)
@JSON
@click.pass_obj
def show(app, code, as_json):
    """查看一个单位（默认：当前选择的单位）。"""
    from gongkai.core.units.store import describe, get_unit

    with app.district_session() as session:
        row = get_unit(session, code) if code else None
        data = describe(session, row) if row else None
    if data is None:
        data = app.unit.to_json()
        with app.district_session() as session:
            data = {**describe(session, get_unit(session, data["code"])), **{
                k: data[k] for k in ("name", "letter_prefix", "reconsideration_body")}}
    if as_json:
        return emit_json(data)
    from gongkai.core.labels import label

    for title, value in (("代码", data["code"]), ("单位全称", data["name"]), ("层级", label("unit_level", data["level"])),
                         ("上级单位", data["parent"] or "（无）"), ("机关代字", data["letter_prefix"] or "（未设置）"),
                         ("行政复议机关", data["reconsideration_body"] or "（未设置）"), ("联系方式", data["contact"] or "（未设置）"),
                         ("单位标记", "；".join(data["flags"]) or "（无）")):
        click.echo(f"{title}：{value}")


@unit.command("edit")
@click.argument("code")
@click.option("--name", help="单位全称")
@_fields
@click.option("--drop-flag", "drop_flags", multiple=True, help="去掉单位标记（可重复）")
@BY
@JSON
@click.pass_obj
def edit(app, code, name, level, parent, letter_prefix, reconsideration_body, contact, flags, drop_flags, by, as_json):
    """修改单位信息（只改给出的项，记入事件日志）。单位代码不可修改。"""
    from gongkai.core.matters.duties import unit_flags
    from gongkai.core.units.store import describe, edit_unit

    changes = {"name": name, "level": level, "parent": parent, "letter_prefix": letter_prefix,
               "reconsideration_body": reconsideration_body, "contact": contact}
    with app.district_session() as session:
        data = describe(session, edit_unit(session, code, changes, actor=actor(by), add_flags=flags,
                                           drop_flags=drop_flags, known_flags=unit_flags(app.registry)))
    if as_json:
        return emit_json(data)
    click.echo(f"已修改单位 {data['code']}（{data['name']}）。")


@unit.command("import-db")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--unit", "code", metavar="单位代码", help="迁入到哪个单位（同全局 --unit；该单位须尚无记录）")
@click.option("--expect-head", "expect", metavar="链头",
              help="复制前在单位文件夹用 `gongkai audit head` 记下的链头：原库的事件日志须包含到此为止的全部事件")
@BY
@JSON
@click.pass_obj
def import_db(app, path, code, expect, by, as_json):
    """把单位原有的 SQLite 数据库（其 gongkai.db）连同事件日志迁入区级数据库的一个单位：校验原库的
    事件日志并核对记录（与迁入同时进行，未通过则不迁入），全部迁入或全部不迁；同一文件不会迁入两次。迁入后可用 `gongkai audit verify --unit 单位代码` 核对。"""
    import sys

    from gongkai.core.errors import GongkaiError
    from gongkai.core.units.moving import import_database

    code = (code or app.chosen_unit()).strip()
    if not code:
        raise GongkaiError("请用 --unit 单位代码 指定迁入到哪个单位（`gongkai unit list` 列出全部单位）。")
    shown = sys.stderr.isatty() and not as_json
    from gongkai.core.records.chain import parse_head

    result = import_database(app, path, code, actor=actor(by), expect=parse_head(expect) if expect else None,
                             progress=(lambda label: click.echo(f"迁入中：{label}……", err=True)) if shown else None)
    if as_json:
        return emit_json(result)
    moved = result["moved"]
    click.echo(f"已将 {path} 迁入单位 {code}：申请 {moved.get('disclosure_request', 0)} 件、文件 {moved.get('document', 0)} 件、"
               f"事项 {moved.get('matter', 0)} 件、事件 {moved.get('event', 0)} 条（原日志链头 "
               f"{result['source_chain']['length']}:{result['source_chain']['head']}）。")
    click.echo(f"请运行 `gongkai audit verify --unit {code}` 核对。")


@unit.command("contact")
@click.argument("code", required=False)
@click.option("--office-name", help="政府信息公开工作机构名称，如 某某局办公室")
@click.option("--address", help="办公地址")
@click.option("--hours", "office_hours", help="办公时间，如 工作日 9:00-12:00，13:30-17:30")
@click.option("--phone", help="联系电话")
@click.option("--fax", help="传真号码")
@click.option("--email", help="电子邮箱")
@click.option("--postcode", metavar="邮政编码", help="邮政编码（6 位数字）")
@BY
@JSON
@click.pass_obj
def contact(app, code, office_name, address, office_hours, phone, fax, email, postcode, by, as_json):
    """公开指南所列的政府信息公开工作机构及其联系方式（条例 第十二条）：不给选项时查看，给出的项修改
    （记入事件日志，公开指南随之更新；空值 '' 清除该项）。单位代码：默认当前选择的单位。"""
    from gongkai.core.cli.common import signer
    from gongkai.core.units.contact import FIELDS, contact_of, set_contact

    if code:
        app.choose(code)
    changes = {"office_name": office_name, "address": address, "hours": office_hours, "phone": phone, "fax": fax,
               "email": email, "postcode": postcode}
    with app.session() as session:
        if any(v is not None for v in changes.values()):
            data = set_contact(session, changes, signer(session, app, by, "unit.contact"))
        else:
            data = contact_of(session)
    if as_json:
        return emit_json(data)
    for name, value in data.items():
        click.echo(f"{FIELDS[name][0]}：{value or '（未设置）'}")
