"""The ``gongkai`` command line.

Command modules are imported only when their command runs (``COMMANDS`` maps a name to
``module:attribute`` and a one-line help), so ``gongkai --help`` imports neither SQLModel,
Jinja2 nor any plugin. A command module is thin: it parses, calls core, and prints.
The ``gongkai`` script enters at :mod:`gongkai.core.preload.client`, which hands the command to
the resident preloader's forked child when one runs, or calls :func:`main` here.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from gongkai.core.cli import click_chinese
from gongkai.core.errors import GongkaiError

click_chinese.install()

# name -> (module:attribute, short help). Keep sorted by workflow, not alphabet.
COMMANDS: dict[str, tuple[str, str]] = {
    "plugins": ("gongkai.core.cli.plugins_cmd:plugins", "列出已安装的辖区插件"),
    "rules": ("gongkai.core.cli.rules_cmd:rules", "列出当前辖区生效的全部规则及其依据"),
    "deadline": ("gongkai.core.cli.deadline_cmd:deadline", "计算某条期限规则的到期日"),
    "calendar": ("gongkai.core.cli.calendar_cmd:calendar", "查询工作日历、节假日与调休，载入年度安排"),
    "db": ("gongkai.core.cli.db_cmd:db", "数据库：结构版本与升级、完好性检查、备份与恢复"),
    "audit": ("gongkai.core.cli.audit_cmd:audit", "校验事件日志的哈希链（防篡改）"),
    "init": ("gongkai.core.cli.init_cmd:init", "为本单位写入 gongkai.toml 并建立数据库（--district：区级服务器）"),
    "unit": ("gongkai.core.cli.unit_cmd:unit", "单位：新增、列出、查看、修改，迁入单位原有的数据库"),
    "user": ("gongkai.core.cli.user_cmd:user", "本单位工作人员账户与角色：新增、列出、停用、改密码、改角色、登录记录"),
    "login": ("gongkai.core.cli.login_cmd:login", "以本人账户登录命令行（本单位已启用账户的，办理须先登录）"),
    "logout": ("gongkai.core.cli.login_cmd:logout", "退出命令行的登录"),
    "request": ("gongkai.core.cli.request_cmd:request", "依申请公开：登记、计时、审核、答复、告知书"),
    "appeal": ("gongkai.core.cli.appeal_cmd:appeal", "行政复议、行政诉讼：答复期限、答复书、证据材料；从 .xlsx 或 .csv 导入"),
    "ledger": ("gongkai.core.cli.ledger_cmd:ledger", "依申请公开台账：期限、逾期、导出 Excel"),
    "demo": ("gongkai.core.cli.demo_cmd:demo", "用临时数据库演示一件申请从登记到答复告知书"),
    "document": ("gongkai.core.cli.document_cmd:document", "文件登记、公开属性、审核、发布、审批表与登记簿"),
    "documents": ("gongkai.core.cli.document_cmd:documents", "文件台账：发布期限、逾期与定期审查"),
    "assess": ("gongkai.core.cli.assess_cmd:assess", "政务公开考核：评分细则、评分、等次、排名与社会评议"),
    "matter": ("gongkai.core.cli.matter_cmd:matter", "开立、办结时限事项（舆情、新媒体、咨询、信箱、双公示等）"),
    "matters": ("gongkai.core.cli.matter_cmd:matters", "列出时限事项，可只看超期的"),
    "check": ("gongkai.core.cli.check_cmd:check", "检查公众参与的期限与人数（征求意见、听证、座谈）和例行工作的办理情况"),
    "duties": ("gongkai.core.cli.duties_cmd:duties", "列出全年例行工作、具体日期和办理情况，可导出日历（.ics）"),
    "duty": ("gongkai.core.cli.duties_cmd:duty", "登记例行工作已办理（培训、听取汇报等）和须备案的事项"),
    "newmedia": ("gongkai.core.cli.newmedia_cmd:newmedia", "政务新媒体账号：开通（须提前报备）、注销、列出"),
    "digest": ("gongkai.core.cli.digest_cmd:digest", "今日提醒：已超期和即将到期的全部事项；--email 给各人发送本人的待办"),
    "todo": ("gongkai.core.cli.todo_cmd:todo", "我的待办：某一账户待办的审核、答复、补正、征求意见、分办和事项"),
    "report": ("gongkai.core.cli.report_cmd:report", "生成政府信息公开工作年度报告（国家格式，含勾稽关系校验）"),
    "site": ("gongkai.core.cli.site_cmd:site", "把政府信息公开专栏（指南、目录、年报）写成静态网页"),
    "plugin": ("gongkai.core.cli.plugin_cmd:plugin", "生成新的辖区插件包（plugin new 插件名）"),
    "serve": ("gongkai.core.cli.serve_cmd:serve", "启动网页版（默认 http://127.0.0.1:8000/），各人登录后办理"),
    "preload": ("gongkai.core.cli.preload_cmd:preload", "常驻预载进程（加快命令响应）：查看、启动、停止"),
}


class GongkaiCommandError(click.ClickException):
    """A :class:`GongkaiError` as click shows it: one Chinese line on stderr, no traceback."""

    def __init__(self, error: GongkaiError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True, file=file)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented pattern)."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy) + [c for c in super().list_commands(ctx) if c not in self.lazy]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            target, _ = self.lazy[name]
            module, _, attribute = target.partition(":")
            from gongkai.core.cli.common import refuse_empty_values

            return refuse_empty_values(getattr(importlib.import_module(module), attribute))
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in self.lazy.items()]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GongkaiError as exc:
            raise GongkaiCommandError(exc) from None
        except (OverflowError,) + _database_errors() as exc:
            from gongkai.core.records.storage import refused_value

            translated = refused_value(exc)
            if translated is None:
                raise
            raise GongkaiCommandError(translated) from None


def _database_errors() -> tuple[type[Exception], ...]:
    """SQLAlchemy's error base, if a command has loaded it (never imported just for this)."""
    exc = sys.modules.get("sqlalchemy.exc")
    return (exc.StatementError,) if exc else ()


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="gongkai.toml 的路径（默认：当前目录或上级目录中查找）")
@click.option("--jurisdiction", "-j", help="辖区插件名，覆盖 gongkai.toml 和 GONGKAI_JURISDICTION")
@click.option("--db", "database_url", help="数据库 URL，如 sqlite:///gongkai.db 或 postgresql://…")
@click.option("--unit", "unit", metavar="单位代码", help="单位代码（区级服务器上必填），覆盖 gongkai.toml 和 GONGKAI_UNIT")
@click.version_option(package_name="gongkai", prog_name="gongkai")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, jurisdiction: str | None, database_url: str | None,
        unit: str | None) -> None:
    """gongkai（公开）：政府信息公开工作流程（依申请公开、主动公开、考核、年度报告），一次办理一个辖区。"""
    from gongkai.core.app import App

    ctx.obj = App(config_path, jurisdiction, database_url, unit=unit)


def _refuse_empty_global_options() -> None:
    from gongkai.core.cli.common import refuse_empty_values

    refuse_empty_values(cli)  # --db '' is no database, --config '' no file: refused, not ignored


_refuse_empty_global_options()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    for n, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as lone surrogates
            click.echo(f"错误：第 {n} 个命令行参数含有无法识别的字节（不是 UTF-8 编码的文字）；"
                       "请把终端和输入法的字符编码设为 UTF-8 后重新输入。", err=True)
            sys.exit(2)
    try:
        cli.main(args=args, prog_name="gongkai")
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
