"""``gongkai preload``: the resident preloader (see ``gongkai.core.preload``)."""

from __future__ import annotations

import time

import click

from gongkai.core.cli.output import emit_json
from gongkai.core.errors import GongkaiError


@click.group()
def preload():
    """常驻预载进程：查看、启动、停止。

    第一条命令会在后台启动一个预载进程，它预先载入数据库和业务模块，此后每条命令交由它
    派生的子进程执行，响应快得多；空闲 15 分钟后自动退出。设置环境变量 GONGKAI_PRELOAD=0
    可完全不用它（每条命令各自运行，也不启动预载进程）。
    """


@preload.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def status(as_json):
    """查看预载进程是否在运行、已代办的命令数和占用的内存。"""
    from gongkai.core.preload import admin

    _show(admin.status(), as_json)


@preload.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def start(as_json):
    """立即启动预载进程（已在运行则不重复启动），等它可以接收命令后返回。"""
    from gongkai.core.preload import admin, protocol

    if not protocol.enabled():
        raise GongkaiError("预载已关闭（环境变量 GONGKAI_PRELOAD=0，或本系统不是 Linux），不能启动预载进程；"
                           "删除该变量后再试。")
    found = admin.start()
    if found is None:
        raise GongkaiError("预载进程未能在 60 秒内启动；命令仍可照常运行（各自载入模块，较慢）。")
    _show(found, as_json)


@preload.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def stop(as_json):
    """停止预载进程（正在执行的命令不受影响）；下一条命令会重新启动它。"""
    from gongkai.core.preload import admin

    pid = admin.stop()
    if as_json:
        emit_json({"stopped": pid})
    elif pid is None:
        click.echo("预载进程未在运行。")
    else:
        click.echo(f"已停止预载进程（进程号 {pid}）。")


def _show(found: dict | None, as_json: bool) -> None:
    from gongkai.core.preload import protocol

    if as_json:
        emit_json({"enabled": protocol.enabled(), "running": found is not None, **(found or {})})
    elif not protocol.enabled():
        click.echo("预载已关闭（环境变量 GONGKAI_PRELOAD=0，或本系统不是 Linux）：每条命令各自运行，不启动预载进程。")
    elif found is None:
        click.echo("预载进程未运行；下一条命令会在后台启动它。")
    else:
        minutes = (time.time() - found["started"]) / 60
        click.echo(f"预载进程运行中：进程号 {found['pid']}，已运行 {minutes:.0f} 分钟，已代办命令 {found['served']} 条"
                   f"（正在执行 {found['active']} 条），常驻内存 {found['rss_kib'] / 1024:.0f} MiB，"
                   f"空闲 {found['idle_timeout'] / 60:g} 分钟无命令后自动退出。")
