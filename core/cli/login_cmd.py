"""``gongkai login NAME`` and ``gongkai logout``: who runs the commands, once a unit has accounts."""

from __future__ import annotations

import click


def _password(from_stdin: bool) -> str:
    import sys

    from gongkai.core.cli.common import PASSWORD_CHARS
    from gongkai.core.errors import GongkaiError

    if not from_stdin:
        return click.prompt("密码", hide_input=True)
    line = sys.stdin.readline(PASSWORD_CHARS + 1)  # bounded: a stream without end is not read whole
    if len(line.rstrip("\r\n")) > PASSWORD_CHARS:
        raise GongkaiError(f"--password-stdin：输入超过 {PASSWORD_CHARS} 个字符，不是密码。")
    if not line:
        raise GongkaiError("--password-stdin：标准输入中没有密码。")
    return line.rstrip("\r\n")


@click.command()
@click.argument("name", metavar="账户名")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行），不交互询问")
@click.option("--code", help="动态验证码（已启用双因素认证的账户：身份验证器应用显示的 6 位数字）")
@click.pass_obj
def login(app, name, password_stdin, code):
    """以本人账户登录命令行：本单位已启用账户的，签署、审核、办理须先登录，--by 只能是登录的账户。

    登录在有效期内保持（gongkai.toml 的 [accounts] cli_login_minutes，默认 60 分钟），
    只对当前操作系统用户、本数据库和本单位有效；退出登录、改密码、改角色或停用账户后立即失效。"""
    import datetime as dt

    from gongkai.core.accounts import cli_login, sessions, store
    from gongkai.core.accounts.login import LoginRefused, authenticate
    from gongkai.core.cli.common import login_where, os_user, read_login, write_login
    from gongkai.core.errors import GongkaiError
    from gongkai.core.records.storage import utc

    lasting = cli_login.minutes(app.config)
    with app.session() as session:
        if not store.has_accounts(session):
            raise GongkaiError("本单位尚未启用账户，命令行无需登录（用 --by 填写经办人）。")
    password = _password(password_stdin)
    try:
        actor = authenticate(app, name, password, code=code)
    except LoginRefused as exc:
        with app.session() as session:
            sessions.record(session, "failed", name.strip(), app.unit.code, cli_login.client(os_user()), str(exc))
        raise
    now = utc(dt.datetime.now(dt.timezone.utc))
    with app.session() as session:
        cli_login.end(session, read_login(app), app.unit.code, os_user(), replaced=True)  # one login per OS user
        token = cli_login.issue(session, store.get(session, actor.name), app.unit.code, login_where(app), os_user(),
                                now, lasting)
    write_login(app, token)
    click.echo(f"已登录：{actor.name}（{lasting} 分钟内有效；退出用 gongkai logout）")


@click.command()
@click.pass_obj
def logout(app):
    """退出命令行的登录：服务器上的登录随即结束，并删除本机保存的登录凭据。"""
    from gongkai.core.accounts import cli_login
    from gongkai.core.cli.common import login_file, os_user, read_login

    token = read_login(app)
    with app.session() as session:
        ended = cli_login.end(session, token, app.unit.code, os_user())
    path = login_file(app)
    try:
        path.unlink()
    except FileNotFoundError:
        if not ended:
            click.echo("当前没有登录。")
            return
    click.echo("已退出登录。")
