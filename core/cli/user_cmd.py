"""``gongkai user ...``: the unit's staff accounts and their roles."""

from __future__ import annotations

import click

from gongkai.core.cli.common import actor
from gongkai.core.cli.output import emit_json, emit_table

BY = click.option("--by", help="办理人（单位管理员）的账户名；本单位尚无在用的单位管理员时可省略")
JSON = click.option("--json", "as_json", is_flag=True, help="输出 JSON")
STDIN = click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），不交互询问")


@click.group()
def user():
    """本单位工作人员账户：新增、列出、停用、启用、改密码、改角色，查看登录记录。"""


def _password(from_stdin: bool) -> str:
    import sys

    from gongkai.core.errors import GongkaiError
    from gongkai.core.paperwork import reading

    if from_stdin:
        line = reading.read_line(sys.stdin, reading.PASSWORD_BYTES, "--password-stdin 读入的密码")
        if not line:
            raise GongkaiError("--password-stdin：标准输入中没有密码。")
        return line.rstrip("\r\n")
    # Without a terminal, the prompt reads standard input a line at a time: bounded as --password-stdin is
    previous = sys.stdin
    sys.stdin = reading.BoundedLines(previous, reading.PASSWORD_BYTES, "标准输入中的密码")
    try:
        return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    finally:
        sys.stdin = previous


def _manager(session, app, by):
    """Who manages accounts: once the unit has an active unit administrator, it must be one."""
    from gongkai.core.accounts import store
    from gongkai.core.cli.common import signer

    if not store.active_admins(session):
        return actor(by)  # setting up: the first accounts are made by whoever runs the unit
    return signer(session, app, by, "user.manage")  # the administrator logged in (gongkai login)


@user.command("add")
@click.argument("name", metavar="账户名")
@click.option("--role", "roles", multiple=True, help="角色（本辖区审核流程中的角色，如 承办人、律师；或 单位管理员），可多次使用")
@click.option("--display-name", default="", help="姓名（显示用）")
@click.option("--email", default="", help="电子邮箱（待办提醒发往此地址）")
@STDIN
@BY
@JSON
@click.pass_obj
def add(app, name, roles, display_name, email, password_stdin, by, as_json):
    """新增账户；密码以 Argon2 散列保存，不记入日志。"""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    unit_roles = catalogue(app.registry)
    store.check_name(name)
    store.resolve_roles(unit_roles, list(roles))  # a bad role is refused before the password is asked
    store.check_email(email)
    password = _password(password_stdin)
    with app.session() as session:
        manager = _manager(session, app, by)
        account = store.add_account(session, unit_roles, name, password, list(roles), display_name, actor=manager)
        if email.strip():
            store.set_email(session, name, email, actor=manager)
        data = store.describe(unit_roles, account)
    if as_json:
        emit_json(data)
    else:
        click.echo(f"已新增账户 {data['name']}，角色：{'、'.join(data['role_names'])}")


@user.command("list")
@JSON
@click.pass_obj
def list_cmd(app, as_json):
    """列出全部账户、角色与状态。"""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    with app.session() as session:
        data = store.list_accounts(session, catalogue(app.registry))
    if as_json:
        emit_json(data)
        return
    if not data:
        click.echo("本单位尚无账户（gongkai user add 账户名 --role 角色）。")
        return
    emit_table(["账户", "姓名", "角色", "状态"],
               [[a["name"], a["display_name"], "、".join(a["role_names"]),
                 "已停用" if a["disabled"] else (f"锁定至 {_beijing(a['locked_until'])}（北京时间）" if a["locked_until"] else "在用")]
                for a in data])


def _beijing(iso):
    import datetime as dt

    from gongkai.core.today import beijing_text

    return beijing_text(dt.datetime.fromisoformat(iso), seconds=False)


def _toggle(app, name, by, disabled):
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    with app.session() as session:
        store.set_disabled(session, catalogue(app.registry), name, disabled, actor=_manager(session, app, by))


@user.command("email")
@click.argument("name", metavar="账户名")
@click.argument("address", metavar="电子邮箱")
@BY
@click.pass_obj
def email_cmd(app, name, address, by):
    """设置账户的电子邮箱（待办提醒和每日提醒发往此地址）；给 - 则不再发送。"""
    from gongkai.core.accounts import store

    with app.session() as session:
        account = store.set_email(session, name, "" if address.strip() == "-" else address,
                                  actor=_manager(session, app, by))
        shown = account.email
    click.echo(f"已设置账户 {name} 的电子邮箱：{shown}" if shown else f"账户 {name} 不再接收提醒邮件")


@user.command("disable")
@click.argument("name", metavar="账户名")
@BY
@click.pass_obj
def disable(app, name, by):
    """停用账户：不能再登录，也不能再签署任何步骤（已有记录不变）。"""
    _toggle(app, name, by, True)
    click.echo(f"已停用账户 {name}")


@user.command("enable")
@click.argument("name", metavar="账户名")
@BY
@click.pass_obj
def enable(app, name, by):
    """重新启用已停用的账户。"""
    _toggle(app, name, by, False)
    click.echo(f"已启用账户 {name}")


@user.command("passwd")
@click.argument("name", metavar="账户名")
@STDIN
@BY
@click.pass_obj
def passwd(app, name, password_stdin, by):
    """设置新密码（同时解除因密码错误造成的锁定）。本人或单位管理员可办理。"""
    from gongkai.core.accounts import store

    with app.session() as session:
        store.get(session, name)
    password = _password(password_stdin)
    with app.session() as session:
        who = actor(by)
        if who.strip() == name.strip() and store.has_accounts(session):
            from gongkai.core.cli.common import logged_in

            who = logged_in(session, app, who)  # one's own password: only logged in as oneself
        else:
            who = _manager(session, app, by)
        store.set_password(session, name, password, actor=who)
    click.echo(f"已设置账户 {name} 的新密码")


@user.command("roles")
@click.argument("name", metavar="账户名")
@click.option("--role", "roles", multiple=True, help="新的角色（全部列出，取代原有角色），可多次使用")
@BY
@click.pass_obj
def roles_cmd(app, name, roles, by):
    """改变账户的角色（取代原有角色）；该账户已登录的网页会话随即结束。"""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    unit_roles = catalogue(app.registry)
    with app.session() as session:
        account = store.set_roles(session, unit_roles, name, list(roles), actor=_manager(session, app, by))
        names = "、".join(unit_roles.label(r) for r in account.role_codes)
    click.echo(f"已将账户 {name} 的角色改为：{names}")


@user.command("logins")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000), help="最多列出多少条")
@BY
@JSON
@click.pass_obj
def logins(app, limit, by, as_json):
    """本单位的登录记录：登录、登录失败、退出登录和被拒绝的访问（北京时间），新的在前。"""
    from gongkai.core.accounts import sessions

    with app.session() as session:
        _manager(session, app, by)
        data = sessions.history(session, app.unit.code, limit)
    if as_json:
        emit_json(data)
        return
    if not data:
        click.echo("本单位尚无登录记录。")
        return
    emit_table(["时间（北京时间）", "事项", "账户", "地址", "说明"],
               [[r["at_beijing"], r["kind_name"], r["account"], r["client"], r["detail"]] for r in data])


@user.command("totp")
@click.argument("name", metavar="账户名")
@BY
@JSON
@click.pass_obj
def totp(app, name, by, as_json):
    """为账户开通（或更换）双因素登录：显示密钥，请本人当面录入手机上的身份验证器。"""
    from gongkai.core.accounts import store

    with app.session() as session:
        account, secret = store.enrol_totp(session, name, actor=_manager(session, app, by))
        uri = store.totp_uri(account, app.unit.name)
    if as_json:
        emit_json({"name": name, "secret": secret, "uri": uri})
        return
    click.echo(f"已为账户 {name} 开通双因素登录。请本人在身份验证器（如 FreeOTP、Google Authenticator、微信小程序“腾讯身份验证器”）中"
               f"手动添加密钥：\n  {secret}\n或用下面的地址生成二维码扫描：\n  {uri}\n"
               "此后登录须同时填写验证器上的 6 位验证码。该账户已登录的网页会话已结束。")


@user.command("require-totp")
@click.option("--on/--off", "required", default=True, help="要求（--on，默认）或不再要求本单位全部账户双因素登录")
@BY
@click.pass_obj
def require_totp_cmd(app, required, by):
    """要求本单位全部账户双因素登录（等保 2.0 三级：两种以上鉴别技术，GB/T 22239-2019）。"""
    from gongkai.core.accounts import store

    with app.session() as session:
        store.require_totp(session, app.unit.code, required, actor=_manager(session, app, by))
    click.echo("本单位已要求全部账户双因素登录：尚未开通的账户须先由单位管理员用 gongkai user totp 账户名 开通。" if required
               else "本单位不再要求双因素登录（已开通的账户仍须填写验证码）。")
