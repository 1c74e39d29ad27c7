"""Small helpers shared by the command modules: dates, the acting person, coded options."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from typing import Any

import click

from gongkai.core.errors import GongkaiError

ENV_USER = "GONGKAI_USER"


def day(text: str | None, flag: str) -> dt.date | None:
    """An ISO date from a flag; a Chinese error naming the flag."""
    from gongkai.core.records.limits import check_date

    if text is None:
        return None
    try:
        parsed = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{flag} “{text}”不是有效日期，请写成 2026-09-24 的形式。") from None
    return check_date(parsed, flag)


def actor(by: str | None) -> str:
    """Who acts: --by, else GONGKAI_USER, else the login name (recorded in every event)."""
    from gongkai.core.accounts.names import clean_name

    if by and clean_name(by):
        return clean_name(by)  # no zero-width or control characters in the log
    try:
        return os.environ.get(ENV_USER) or getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def force_option(func):
    """``--force``: replace an existing output file (never the unit's database or gongkai.toml)."""
    return click.option("--force", is_flag=True,
                        help="输出文件已存在时覆盖它（本单位的数据库和 gongkai.toml 永不覆盖）；输出文件给 - 则写到标准输出")(func)


def say_written(message: str, path, as_json: bool = False) -> None:
    """Confirm a written file (``{}`` in ``message`` is its path); on stderr when the file went to
    standard output or JSON is printed."""
    stdout = str(path) == "-"
    click.echo(message.format("标准输出" if stdout else path), err=as_json or stdout)


class Bounded(click.ParamType):
    """A bounded number: refusals are a Chinese :class:`GongkaiError` (no ``inf``, ``nan`` or
    absurd values), raised before the command touches anything."""

    name = "number"

    def __init__(self, kind: type, low: float, high: float, what: str) -> None:
        self.kind, self.low, self.high, self.what = kind, low, high, what
        self.name = what  # the help's placeholder: 年份, 整数, 数值

    def convert(self, value, param, ctx):
        from gongkai.core.records.limits import check_number, check_year

        # what is not a number at all is click's own usage error (exit 2, in Chinese like the others)
        number = (click.INT if self.kind is int else click.FLOAT).convert(value, param, ctx)
        if self.what == "年份":
            return check_year(number, _flag(param))
        return check_number(number, _flag(param), self.low, self.high)


def _flag(param) -> str:
    return param.opts[0] if param is not None and getattr(param, "opts", None) else "数值"


def year_type() -> Bounded:
    """``--year``: an int in :data:`gongkai.core.records.limits.YEARS`, the range named in the error."""
    from gongkai.core.records.limits import YEARS

    return Bounded(int, *YEARS, "年份")


def count_type(high: int, low: int = 0) -> Bounded:
    """A whole number between ``low`` and ``high`` (pages, people, decisions)."""
    return Bounded(int, low, high, "整数")


def amount_type(high: float) -> Bounded:
    """A finite amount between 0 and ``high`` (money)."""
    return Bounded(float, 0, high, "数值")


class LabelChoice(click.ParamType):
    """An option taking a code or its Chinese label (``--outcome partial`` or ``--outcome 部分公开``);
    the command receives the code. A bad value is refused with the labels listed
    (vocabularies: :mod:`gongkai.core.labels`)."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    @property
    def name(self) -> str:  # the metavar in help, e.g. "--state 申请状态"
        from gongkai.core.labels import vocabulary_name

        return vocabulary_name(self.vocabulary)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from gongkai.core.labels import REGISTRY_VOCABULARIES, code_of

        app = ctx.find_root().obj if ctx is not None else None
        registry = app.registry if self.vocabulary in REGISTRY_VOCABULARIES and app is not None else None
        try:
            return code_of(self.vocabulary, str(value), registry)
        except GongkaiError as error:
            self.fail(str(error), param, ctx)


def signer(session, app, by: str | None, action: str, record=None, *, flag: str = "--by", free: str | None = None) -> str:
    """Who acts, bound to the unit's accounts once it has any (:mod:`gongkai.core.accounts.binding`):
    it is then the account logged in (``gongkai login``), which ``by`` (else GONGKAI_USER) may only
    repeat, and it must be active and allowed ``action``. Without accounts, ``free`` is recorded
    (default: :func:`actor`), as before accounts existed. Every signature is its signer's own:
    no option names another account that has not logged in."""
    from gongkai.core.accounts import store
    from gongkai.core.accounts.binding import signer as bound

    name = by.strip() if by and by.strip() else os.environ.get(ENV_USER, "")
    # a name that is no account is refused as such first (binding's message says what to write)
    if store.has_accounts(session) and (not name or store.find(session, name) is not None):
        name = logged_in(session, app, name, flag)
    return bound(session, app.registry, name, action, record, flag=flag, free=actor(by) if free is None else free)


# -------------------------------------------------------------------- the command line's login

LOGIN_FOLDER = "logins"
PASSWORD_CHARS = 1024  # a password read from standard input: no more is read


def os_user() -> str:
    """The operating-system user running the command (recorded with what an account does): the
    process's own user, not ``$USER`` or ``$LOGNAME``, which anyone may set."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # no passwd entry in some containers
        return f"uid{os.geteuid()}"


def login_where(app) -> str:
    """The database and unit a login is for (a digest: the URL may hold a password)."""
    import hashlib

    return hashlib.sha256(f"{app.config.database_url}\0{app.unit.id}".encode()).hexdigest()


def login_file(app):
    """This OS user's token for this database and unit, in gongkai's cache folder (mode 0600):
    the key of a login kept on the server (:mod:`gongkai.core.accounts.cli_login`)."""
    from pathlib import Path

    from gongkai.core.cache_dir import cache_dir

    return Path(cache_dir()) / LOGIN_FOLDER / f"{login_where(app)[:32]}.json"


def read_login(app) -> dict | None:
    import json

    path = login_file(app)
    try:
        if path.stat().st_uid != os.getuid():  # another user's file is no proof of who runs this
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_login(app, token: dict) -> None:
    import json

    path = login_file(app)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)  # an older file keeps its mode through O_CREAT
        json.dump(token, out, ensure_ascii=False)


def logged_in(session, app, name: str, flag: str = "--by") -> str:
    """The account logged in for this database and unit; ``name`` (given with ``flag``) may only
    repeat it. Events recorded in ``session`` carry the OS user as well."""
    from gongkai.core.accounts import cli_login
    from gongkai.core.accounts.names import clean_name
    from gongkai.core.records.storage import ACTING, utc

    now = utc(dt.datetime.now(dt.timezone.utc))
    account = cli_login.holder(session, read_login(app), login_where(app), app.unit.code, os_user(), now,
                               cli_login.minutes(app.config))
    if name and clean_name(name) != account:
        raise GongkaiError(f"{flag}“{name}”不是当前登录的账户“{account}”：不能以他人名义办理。"
                           f"确由{name}办理的，请其本人用 gongkai login {name} 登录后办理。")
    session.info[ACTING] = {"os_user": os_user()}
    return account


class MayBeEmpty(click.Option):
    """An option whose empty value means something (``request edit --contact ''`` clears the
    contact); every other option given an empty value is refused (:func:`refuse_empty_values`)."""


def refuse_empty_values(command: click.Command) -> click.Command:
    """Refuse, for ``command`` and its subcommands, a value given on the command line that is
    empty once spaces and invisible characters are removed (``--xlsx ''``, ``--as-of ''``,
    ``--by $UNSET``): such a value almost always comes from an empty shell variable, and treating it
    as "not given" would write nothing, use today or sign as the login name without saying so.
    A value with a NUL character, and a person's name longer than a name can be, are refused too."""
    if getattr(command, "_empty_refused", False):
        return command
    command._empty_refused = True  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        refuse_empty_values(sub)
    for param in command.params:
        if not getattr(param, "is_flag", False):
            param.callback = _refusing_empty(param.callback, may_be_empty=isinstance(param, MayBeEmpty))
        _chinese_metavar(param)
    _refuse_repeats(command)
    return command


# What help shows for a value, in Chinese: click would show an argument's name (DOCUMENT_ID) and an
# option's type (文本, even for a date)
ARGUMENT_METAVARS = {"code": "单位代码", "date": "日期", "document_id": "文件编号", "file": "文件", "files": "文件…",
                     "matter_id": "事项编号", "path": "文件", "rule_id": "规则编号"}
DATE_OPTIONS = frozenset({"announced", "as_of", "asked_on", "changed", "closed", "confirmed", "decided", "decision_on",
                          "entered", "filed", "filed_on", "finalised", "formed", "forum_on", "held", "later_due",
                          "materials", "notice_on", "on", "opened", "received_from", "received_to", "reconsidered_on", "copy_received", "hearing",
                          "report_date", "since", "start", "submitted", "told_on", "date"})


def _chinese_metavar(param: click.Parameter) -> None:
    if param.metavar is not None:
        return
    if isinstance(param, click.Argument) and param.name in ARGUMENT_METAVARS:
        param.metavar = ARGUMENT_METAVARS[param.name] + ("" if param.required else "（可省略）")
    elif isinstance(param, click.Option) and not param.is_flag and param.type is click.STRING and param.name in DATE_OPTIONS:
        param.metavar = "日期"


def _refuse_repeats(command: click.Command) -> None:
    """Refuse an option given twice that is not meant to repeat (``request reply --outcome A
    --outcome B``): click keeps the last one silently, so what was recorded would not be what the
    clerk may have meant. Options taking several values (``multiple``, counts) may repeat."""
    parse_args = command.parse_args

    def checked(ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _, _, order = command.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []  # click's own parse below reports it, in its words
        seen: set[str] = set()
        for param in order:
            if not isinstance(param, click.Option) or param.multiple or param.count:
                continue
            if param.name in seen:
                names = " / ".join(param.opts + param.secondary_opts)
                raise click.UsageError(f"选项 {names} 给出了多次：它只取一个值，请只写一次。", ctx)
            seen.add(param.name or "")
        return parse_args(ctx, args)

    command.parse_args = checked  # type: ignore[method-assign]


# options that name a person or a body: as long as a name can be (limits.NAME_CHARS)
PERSON_OPTIONS = frozenset({"actor", "applicant", "approved_by", "attendees", "by", "chinese_name", "display_name",
                            "failed", "handler", "head", "name", "producer", "secrecy_confirmed_by", "unit",
                            "reconsideration_body"})


def _refusing_empty(callback, may_be_empty: bool):
    from click.core import ParameterSource

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        from gongkai.core.records.limits import NAME_CHARS
        from gongkai.core.accounts.names import clean_name

        given = ctx.get_parameter_source(param.name) in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
        values = [v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str)] if given else []
        if not may_be_empty and any(not clean_name(v) for v in values):
            raise click.BadParameter("值为空（或只有空格、不可见字符）。请写明内容，或不写这一项。", ctx, param)
        if any("\x00" in v for v in values):  # never meant, and PostgreSQL cannot store or compare it
            raise click.BadParameter("含有 NUL 控制字符，请删除后重试。", ctx, param)
        if param.name in PERSON_OPTIONS and any(len(v) > NAME_CHARS for v in values):
            raise click.BadParameter(f"姓名或名称最多 {NAME_CHARS} 个字符，请核对。", ctx, param)
        return callback(ctx, param, value) if callback is not None else value

    return check
