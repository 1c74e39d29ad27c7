"""Click's own words in Chinese: usage errors ("No such option", "Missing argument") and help chrome.

Click passes every message of its own through ``gettext``/``ngettext`` (imported into each of
its modules), which is its documented way to translate it. Shipping a compiled ``.mo`` file
would still depend on the user's locale variables, so :func:`install` hands click a translation
table instead; a message not in the table stays as click wrote it.
"""

from __future__ import annotations

import click
from click import formatting

from gongkai.core.cli.output import display_width, wrap

MESSAGES = {
    "Usage:": "用法：",  # the formatter drops the space click adds after it
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Aborted!": "已中止。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有子命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Do you want to continue?": "是否继续？",
    "Repeat for confirmation": "请再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
}

# (singular, plural) -> Chinese, which has one form for both
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数：{args}。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "（是否想用：{possibilities}？）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): "选项 {name!r} 需要给出值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选的值，可选：{choices}。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): "需要 {nargs} 个值，给出了 {len} 个。",
}

# names click's types show as metavars (TEXT, INTEGER) and in "is not a valid integer"
TYPE_NAMES = {click.STRING: "文本", click.INT: "整数", click.FLOAT: "数字", click.BOOL: "是/否", click.UUID: "UUID"}

# the usage line's placeholders, which click writes without gettext
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    # click formats both forms with the same fields, so one Chinese form serves
    return PLURALS.get((singular, plural)) or (singular if n == 1 else plural)


class ChineseHelpFormatter(formatting.HelpFormatter):
    """Help as click lays it out, with Chinese punctuation and columns measured in display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in USAGE_WORDS.items():
            args = args.replace(english, chinese)
        super().write_usage(prog, args, gettext("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((display_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent - 2, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first_col}{line}\n")


def install() -> None:
    """Translate click's messages and help chrome (idempotent; called when the CLI is imported)."""
    from click import core, decorators, exceptions, parser, termui, types

    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    click.Context.formatter_class = ChineseHelpFormatter
    for param_type, name in TYPE_NAMES.items():
        param_type.name = name
    # ranges show their kind and bounds ("整数 1<=x<=65535"), not INTEGER RANGE
    click.IntRange.name = "整数"
    click.FloatRange.name = "数字"
