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
    """本单位工作人员账户：新增、列出、停用、启用、改密码。"""


def _password(from_stdin: bool) -> str:
    import sys

    from gongkai.core.errors import GongkaiError

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise GongkaiError("--password-stdin：标准输入中没有密码。")
        return line.rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


def _manager(session, app, by):
    """Who manages accounts: once the unit has an active unit administrator, it must be one."""
    from gongkai.core.accounts import store
    from gongkai.core.cli.common import signer

    if not store.active_admins(session):
        return actor(by)  # setting up: the first accounts are made by whoever runs the unit
    return signer(session, app, by, "user.manage")  # the administrator logged in (gongkai login)


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, help="角色（本辖区审核流程中的角色，如 承办人、律师；或 单位管理员），可多次使用")
@click.option("--display-name", default="", help="姓名（显示用）")
@STDIN
@BY
@JSON
@click.pass_obj
def add(app, name, roles, display_name, password_stdin, by, as_json):
    """新增账户；密码以 Argon2 散列保存，不记入日志。"""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    unit_roles = catalogue(app.registry)
    store.check_name(name)
    store.resolve_roles(unit_roles, list(roles))  # a bad role is refused before the password is asked
    password = _password(password_stdin)
    with app.session() as session:
        account = store.add_account(session, unit_roles, name, password, list(roles), display_name,
                                    actor=_manager(session, app, by))
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
                 "已停用" if a["disabled"] else (f"锁定至 {a['locked_until'][:16]}（UTC）" if a["locked_until"] else "在用")]
                for a in data])


def _toggle(app, name, by, disabled):
    from gongkai.core.accounts import store
    from gongkai.core.accounts.roles import catalogue

    with app.session() as session:
        store.set_disabled(session, catalogue(app.registry), name, disabled, actor=_manager(session, app, by))


@user.command("disable")
@click.argument("name")
@BY
@click.pass_obj
def disable(app, name, by):
    """停用账户：不能再登录，也不能再签署任何步骤（已有记录不变）。"""
    _toggle(app, name, by, True)
    click.echo(f"已停用账户 {name}")


@user.command("enable")
@click.argument("name")
@BY
@click.pass_obj
def enable(app, name, by):
    """重新启用已停用的账户。"""
    _toggle(app, name, by, False)
    click.echo(f"已启用账户 {name}")


@user.command("passwd")
@click.argument("name")
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
        if who.strip() != name.strip() or not store.has_accounts(session):
            who = _manager(session, app, by)
        store.set_password(session, name, password, actor=who)
    click.echo(f"已设置账户 {name} 的新密码")
