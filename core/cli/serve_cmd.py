"""``gongkai serve``: the office's web application on the database: every unit's, each session seeing its own unit's."""

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（对外提供服务时放在 HTTPS 反向代理之后）")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="工作进程数：多人同时使用时可设为本机的 CPU 核数")
@click.option("--trusted-proxy", "trusted", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="反向代理的地址或网段（多个用逗号分隔）：只相信来自这些地址的 X-Forwarded-Proto/For 请求头")
@click.pass_obj
def serve(app, host, port, workers, trusted):
    """启动网页版（登录后办理：待办、台账、申请登记与审核、答复告知书等）。

    区级数据库只需启动一个：各单位的工作人员用各自的账户登录，只能看到、办理本单位的记录。"""
    import uvicorn

    from gongkai.core.accounts.store import has_accounts
    from gongkai.core.errors import GongkaiError
    from gongkai.core.web.app import create_app, settled
    from gongkai.core.web.tls import trusted_proxies

    # behind a TLS proxy (docs/deploy.md), its X-Forwarded-Proto makes the session cookie Secure and
    # sends HSTS; the headers are believed from the proxy's address only
    options = {"proxy_headers": True, "forwarded_allow_ips": trusted_proxies(trusted), "log_level": "warning"}
    if not app.database_exists():
        raise GongkaiError("尚未建立本单位的数据库：请先运行 `gongkai init`，或用 --config / --db 指明数据库。")
    with app.district_session() as session:
        if not has_accounts(session):
            click.echo("提示：尚无账号，无法登录。请先用 `gongkai user add 用户名 --role 角色` 建立账号。", err=True)
    if workers == 1:
        web = settled(create_app(app))
        click.echo(f"gongkai 网页版已启动：http://{host}:{port}/ （按 Ctrl-C 停止）", err=True)
        uvicorn.run(web, host=host, port=port, **options)
        return
    # each worker process opens the same unit; what they share is made here first, once:
    # the calendar's dates
    from gongkai.core.web import workers as worker_processes

    worker_processes.check_free(host, port)
    app.sync_calendar()
    click.echo(f"gongkai 网页版已启动：http://{host}:{port}/ （{workers} 个工作进程；按 Ctrl-C 停止）", err=True)
    worker_processes.run(app.arguments(), workers, host, port, options)
