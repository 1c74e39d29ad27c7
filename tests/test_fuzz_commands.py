"""Every command, driven with hostile values (issue 20, done-when): no traceback, a non-zero
exit with a Chinese message, and the database unchanged (its content hash) after every refusal.

The command tree is enumerated from the click app, so a new command or option is fuzzed without
touching this file; a command needs a line in BASE (its required values, valid where possible,
so that the hostile value is what gets refused), and a new option name needs a category below,
or the test fails saying so. The set is bounded and deterministic: each option gets a value of
its category in turn (every value of the category is used across the tree), output paths and
input files get all of theirs (about 450 invocations). It runs in-process (CliRunner, the real
app) on both backends.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select

from gongkai.core.cli import cli
from gongkai.core.records.storage import normalise_url

TODAY = "2026-11-20"

# the values, by category; every one of them must be refused wherever it is given
DATES = ["", "0000-00-00", "9999-12-31", "2026-02-30", "1900-01-01", "\u200b", "2026-13-01", "10000-01-01"]
NUMBERS = ["nan", "inf", "-1", "1e309", "99999999999999999999", "", "-inf", "1.5"]
IDS = ["-1", "0", "99999999999999999999", "nan", "", "\u200b"]
NAMES = ["", "\u200b\u200d\ufeff", "\x01\x02", "名" * 10240, "甲\x00乙", " \u3000 "]
TEXTS = ["", "\u200b", "\x07\x1b", "甲\x00乙", "\u2060 \u200c"]
OUTPUTS = ["gongkai.db", "gongkai.db-wal", "gongkai.toml", "a-folder", "/dev/full", "/proc/gongkai-fuzz.out", ""]
INPUTS = ["empty.csv", "binary.bin", "gbk.csv", "huge-line.csv", "gongkai.db", "gongkai.toml", "a-folder"]

CATEGORIES = {
    "date": (DATES, {"announced", "as_of", "asked_on", "at", "changed", "closed", "confirmed", "copy_received", "date", "decided",
                     "decision_on", "entered", "filed", "finalised", "formed", "forum_on", "hearing", "held", "later_due",
                     "materials", "notice_on", "on", "filed_on", "opened", "received_from", "received_to", "reconsidered_on",
                     "report_date", "since", "start", "submitted", "told_on"}),
    # training hours and fees (万元) may be 1.5: every other number value is still refused
    "fraction": ([n for n in NUMBERS if n != "1.5"], {"hours", "fees"}),
    "number": (NUMBERS, {"coercion", "days", "due_within", "from_line", "licensing", "limit", "months", "pages",
                         "penalty", "period_days", "port", "prior", "representatives", "within", "workers", "year"}),
    "id": (IDS, {"appeal_id", "application_id", "document_id", "matter_id", "request_id", "trigger"}),
    "name": (NAMES, {"account", "actor", "applicant", "approved_by", "attendees", "by", "chinese_name", "display_name", "failed",
                     "handler", "head",
                     "name", "producer", "secrecy_confirmed_by", "unit"}),
    "output": (OUTPUTS, {"docx_path", "html_path", "ics_path", "notice_out", "out", "out_dir", "ranking_path",
                         "xlsx_path"}),
    "input": (INPUTS, {"config_path", "file", "files", "load_file", "narrative", "path", "proof"}),
    "database": (["", "\u200b", "sqlite:////dev/full", "sqlite:///a-folder", "postgresql://x@127.0.0.1:1/x",
                  "mysql://x/y", "甲\x00乙"], {"database_url"}),
}
# every other option is text: free text, a code or a Chinese label
TEXT_EXAMPLES = {"address", "capacity", "category", "office_name", "office_hours", "phone", "fax", "postcode", "assignee", "email", "text", "agency", "agency_contact", "flags", "drop_flags", "applicant_type", "attribute", "basis", "channel", "checks", "clock",
                 "code", "level", "parent", "unit_code",
                 "comment", "contact", "content", "decision", "decision_kind", "expect", "fmt",
                 "form_wanted", "good_reason", "grade", "host", "how", "id_number", "internal_version", "interpretation",
                 "jurisdiction", "jurisdiction_name", "kind", "letter", "letter_prefix", "mapping", "message", "method", "note", "number",
                 "opinion", "outcome", "pairs", "payment", "platform", "prefix", "provision", "public_version", "reason",
                 "reconsideration_body", "ref", "result", "roles", "rule_id", "search", "state", "step_id", "subject",
                 "summary", "title", "to", "track", "tracking", "what", "why", "withheld"}

# the values each command needs besides the hostile one (None: not fuzzed, with the reason)
BASE: dict[str, dict[str, str] | None] = {
    "plugins": {}, "rules": {}, "calendar": {}, "db check": {}, "db current": {}, "db upgrade": {},
    "db backup": {"out": "new-backup.db"}, "db restore": {"path": "empty.csv"},
    "db revision": None,  # a developer's tool: writes a migration file into the source tree
    "serve": None,  # starts a server that runs until stopped
    # the suite runs with GONGKAI_PRELOAD=0: start is refused, status and stop find no server
    "preload status": {}, "preload start": {}, "preload stop": {},
    "audit head": {}, "audit verify": {}, "audit seal": {},
    "deadline": {"rule_id": "request.reply", "start": "2026-03-02"},
    "init": {"jurisdiction_name": "changning", "unit": "新单位"},
    "request abandon": {"request_id": "1", "on": "2026-03-20"},
    "request attach": {"request_id": "1", "file": "empty.csv", "kind": "其他"},
    "request attachments": {"request_id": "1"},
    "request pending": {},
    "request confirm": {"application_id": "1", "on": "2026-03-10"},
    "request decline": {"application_id": "1", "reason": "不属于申请"},
    "request deliver": {"request_id": "1", "how": "邮寄", "on": "2026-03-20"},
    "request amend": {"request_id": "1", "on": "2026-03-20", "why": "答复有误", "outcome": "disclosed"},
    "request appeal": {"request_id": "1"},
    "request close": {"request_id": "1", "on": "2026-03-20"},
    "request correct": {"request_id": "1", "notice_on": "2026-03-03", "period_days": "10"},
    "request corrected": {"request_id": "1", "on": "2026-03-10"},
    "request edit": {"request_id": "1", "reason": "录入错误"},
    "request excessive": {"request_id": "1"},
    "request extend": {"request_id": "1", "approved_by": "负责人", "on": "2026-03-20"},
    "request fee": {"request_id": "1", "method": "按件计收"},
    "request import": {"file": "empty.csv"},
    "request letter": {"request_id": "1", "fmt": "md", "out": "letter.md"},
    "request new": {"applicant": "张三", "applicant_type": "自然人", "channel": "in_person", "submitted": "2026-03-02",
                    "subject": "某信息"},
    "request notice": {"request_id": "1", "kind": "receipt", "fmt": "md", "out": "notice.md"},
    "request pause": {"request_id": "1", "reason": "征求第三方意见", "on": "2026-03-05"},
    "request reanswer": {"request_id": "1", "decision_on": "2026-04-01"},
    "request register-overturned": {"request_id": "1", "on": "2026-04-01"},
    "request reply": {"request_id": "1", "on": "2026-03-20", "outcome": "disclosed"},
    "request resume": {"request_id": "1", "on": "2026-03-10"},
    "request review": {"request_id": "1", "step_id": "draft", "by": "甲", "decision": "approve"},
    "request show": {"request_id": "1"},
    "request withdraw": {"request_id": "1", "on": "2026-03-10", "how": "书面"},
    "request assign": {"request_id": "1", "to": "甲"},
    "request comment": {"request_id": "1", "text": "意见"},
    "todo": {"account": "新人"},
    "appeal import": {"file": "empty.csv"},
    "appeal answered": {"request_id": "1", "on": "2026-10-20"},
    "appeal answer": {"request_id": "1", "fmt": "docx", "out": "答复书.docx"},
    "appeal evidence": {"request_id": "1", "out": "证据.pdf"},
    "audit bundle": {"file": "empty.csv"},
    "ledger": {}, "documents": {}, "matters": {}, "duties": {}, "digest": {}, "demo": {},
    "document attach": {"document_id": "1", "interpretation": "解读材料"},
    "document edit": {"document_id": "1", "category": "1"},
    "document decisions": {"year": "2026"},
    "document form": {"document_id": "1", "out": "form.docx"},
    "document import": {"file": "empty.csv"},
    "document meet": {"document_id": "1", "clock": "archive_delivery", "on": "2026-10-01"},
    "document new": {"title": "某文件", "kind": "其他"},
    "document publish": {"document_id": "1", "on": "2026-10-01", "channel": "政府网站", "by": "发布员"},
    "document reevaluate": {"document_id": "1", "on": "2026-10-01", "by": "甲"},
    "document register": {},
    "document repeal": {"document_id": "1", "on": "2026-10-01"},
    "document review": {"document_id": "1", "step_id": "confidentiality", "by": "甲", "decision": "approve"},
    "document cosign": {"document_id": "1", "step_id": "confidentiality", "by": "乙"},
    "document show": {"document_id": "1"},
    "assess evaluation record": {"unit": "测试单位", "year": "2026", "pairs": "满意=1"},
    "assess evaluation show": {}, "assess rubric": {}, "assess score": {},
    "matter close": {"matter_id": "1"}, "matter kinds": {}, "matter open": {"kind": "consult.reply"},
    "matter show": {"matter_id": "1"},
    "check comment-period": {"opened": "2026-09-01", "closed": "2026-10-08"},
    "check forum": {"materials": "2026-09-01", "forum_on": "2026-09-10"},
    "check hearing": {"announced": "2026-09-01", "held": "2026-09-11"},
    "report annual": {"year": "2026"},
    "report check": {"file": "empty.csv"},
    "plugin new": {"name": "myplugin"},
    "assess official": {"name": "张三", "year": "2026", "grade": "优秀"},
    "check duties": {},
    "duty done": {"name": "report.annual.agency", "on": "2026-10-01"},
    "duty occurred": {"name": "report.annual.agency", "on": "2026-10-01", "note": "某事"},
    "newmedia accounts": {},
    "newmedia open": {"platform": "微信", "name": "某公众号", "on": "2026-10-01"},
    "newmedia close": {"number": "1", "on": "2026-10-01"},
    "user add": {"name": "新人"}, "user disable": {"name": "新人"}, "user enable": {"name": "新人"},
    "user list": {}, "user passwd": {"name": "新人"}, "user roles": {"name": "新人"}, "user logins": {},
    "user totp": {"name": "新人"}, "user require-totp": {}, "user email": {"name": "新人", "address": "a@example.gov.cn"},
    "login": {"name": "新人"}, "logout": {},
    "unit add": {"code": "jw", "name": "新单位"}, "unit contact": {},
    "report publish": {"year": "2026"}, "site build": {"out": "site"}, "unit list": {}, "unit show": {}, "unit edit": {"code": "main"},
    "unit import-db": {"path": "empty.csv", "code": "main"},
}
IN_A_NEW_FOLDER = {"init", "demo", "plugin new"}  # they make a unit or a package where they run
LAST = ("user", "init", "demo", "plugin")  # accounts change who may sign: fuzzed after the rest


def commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found = []

    def walk(cmd: click.Command, path: list[str]) -> None:
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), path + [name])
        else:
            found.append((" ".join(path), cmd))

    walk(cli, [])
    return sorted(found, key=lambda item: item[0].startswith(LAST))


def category(name: str) -> tuple[str, list[str]]:
    for label, (values, names) in CATEGORIES.items():
        if name in names:
            return label, values
    if name in TEXT_EXAMPLES:
        return "text", TEXTS
    raise AssertionError(f"option {name!r} has no fuzz category: add it to CATEGORIES or TEXT_EXAMPLES")


def argv(command: click.Command, values: dict[str, str]) -> list[str]:
    """The arguments in order, then the options, from ``{param name: value}``."""
    out: list[str] = []
    params = {p.name: p for p in command.params}
    out += [values[p.name] for p in command.params if isinstance(p, click.Argument) and p.name in values]
    for name, value in values.items():
        param = params[name]
        if isinstance(param, click.Option):
            out += [param.opts[0], value]
    if "force" in params:
        out.append("--force")  # protected files stay protected even when forced
    return out


def invocations(sqlite: bool = True) -> list[tuple[str, click.Command, list[str]]]:
    """(command, argv): each option of each command with hostile values of its category (on
    PostgreSQL the database is no file: its file names are ordinary new files there)."""
    out = []
    turn = 0
    for path, command in commands():
        assert path in BASE, f"new command {path!r}: add its required values to BASE in {__file__}"
        base = BASE[path]
        if base is None:
            continue
        for param in command.params:
            if getattr(param, "is_flag", False) or param.name in ("as_json",):
                continue
            label, values = category(param.name)
            if not sqlite:
                values = [v for v in values if not v.startswith("gongkai.db")]
            if isinstance(param.type, click.Path) and not param.type.file_okay:  # a folder is what it wants
                values = [v for v in values if v != "a-folder"] + (["."] if param.name == "out_dir" else [])
            chosen = values if label in ("output", "input") else [values[turn % len(values)]]
            turn += 1
            for value in dict.fromkeys(chosen):
                out.append((path, command, path.split() + argv(command, {**base, param.name: value})))
    for param in cli.params:  # the global options, before a command that reads the unit's records
        if isinstance(param, click.Option) and not param.is_flag:
            label, values = category(param.name)
            for value in values:
                if (sqlite or not value.startswith("gongkai.db")) and value != "gongkai.toml":  # it is the unit's
                    out.append(("", cli, [param.opts[0], value, "ledger"]))
    return out


class Snapshot:
    """The database's content hash (every table, every row), metadata reflected once."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(normalise_url(url))
        self.meta = MetaData()
        self.meta.reflect(self.engine)

    def __call__(self) -> str:
        digest = hashlib.sha256()
        with self.engine.connect() as conn:
            for name in sorted(self.meta.tables):
                table = self.meta.tables[name]
                digest.update(name.encode())
                for row in conn.execute(select(table).order_by(*(list(table.primary_key.columns) or list(table.columns)))):
                    digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def prepare(folder: Path, runner: CliRunner) -> None:
    """A unit with one request, one document and one matter, and the hostile files."""
    def ok(*args: str) -> None:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)

    ok("init", "--jurisdiction", "changning", "--unit", "测试单位政府办公室")
    ok("request", "new", "--applicant", "张三", "--applicant-type", "自然人", "--channel", "in_person",
       "--submitted", "2026-03-02", "--subject", "2026年老旧小区改造资金安排")
    ok("document", "new", "--title", "关于某项工作的通知", "--kind", "其他", "--attribute", "主动公开",
       "--finalised", "2026-09-24", "--interpretation", "解读")
    ok("matter", "open", "consult.reply", "--at", "2026-11-02T09:00")
    ok("ledger")  # the calendar's fingerprint is stored on first use
    (folder / "empty.csv").write_bytes(b"")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "gbk.csv").write_bytes("申请人,申请内容\n张三,某信息\n".encode("gbk"))
    (folder / "huge-line.csv").write_bytes(b"a," * 600_000 + b"\n")
    (folder / "a-folder").mkdir()


def test_every_command_refuses_hostile_values_cleanly(backend, isolated, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", TODAY)
    monkeypatch.delenv("GONGKAI_USER", raising=False)
    runner = CliRunner()
    prepare(isolated, runner)
    snapshot = Snapshot(backend.url)
    fresh = isolated / "fresh"
    failures = []
    before = snapshot()
    for n, (path, command, args) in enumerate(invocations(backend.name == "sqlite")):
        where = isolated
        if path in IN_A_NEW_FOLDER:
            where = fresh / str(n)
            where.mkdir(parents=True)
            # the unit's own files, not the new folder's ("." is the unit's folder itself)
            args = [str(isolated / a) if a in OUTPUTS + INPUTS + ["."] and a and not a.startswith("/") else a
                    for a in args]
            # the unit's folder's a-folder, as a database path too (in the new folder it would be a new file)
            args = [f"sqlite:///{isolated / 'a-folder'}" if a == "sqlite:///a-folder" else a for a in args]
        os.chdir(where)
        # a new unit's own database, as in a new shell (GONGKAI_DATABASE_URL would beat its gongkai.toml)
        env = {"GONGKAI_DATABASE_URL": None} if path in IN_A_NEW_FOLDER else None
        result = runner.invoke(cli, args, catch_exceptions=True, env=env)
        os.chdir(isolated)
        shown = f"gongkai {' '.join(repr(a) if len(a) < 40 else repr(a[:20]) + '…' for a in args)}"
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        after = snapshot()
        if crashed or "Traceback" in result.output:
            failures.append(f"{shown}: crashed: {result.exception!r}")
        elif result.exit_code == 0:
            failures.append(f"{shown}: accepted")
        elif not CHINESE.search(result.stderr):
            failures.append(f"{shown}: refused without a Chinese message: {result.stderr[-200:]!r}")
        elif after != before:
            failures.append(f"{shown}: refused, but the database changed")
        before = after
    snapshot.engine.dispose()
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
