"""An option given twice that takes one value is refused, in every command (issue 32 item 23):
click alone keeps the last one silently (`request reply --outcome A --outcome B` recorded B)."""

from __future__ import annotations

import click
import pytest

from gongkai.core.cli import cli


def commands():
    """(path, command) for every command, the lazily loaded ones included."""
    ctx = click.Context(cli)
    out = []

    def walk(path, command):
        out.append((path, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk((*path, name), command.get_command(ctx, name))

    walk((), cli)
    return out


def single_options(command):
    return [p for p in command.params if isinstance(p, click.Option) and not p.multiple and not p.count
            and not p.is_eager and "--help" not in p.opts]


CASES = [(path, option) for path, command in commands() for option in single_options(command)]


@pytest.mark.parametrize(("path", "option"), CASES, ids=[" ".join((*p, o.opts[0])) for p, o in CASES])
def test_a_single_valued_option_given_twice_is_refused(gk, path, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    twice = [option.opts[0]] * 2 if option.is_flag else [option.opts[0], "1", option.opts[0], "2"]
    result = gk(*path, *twice)
    assert result.exit_code == 2, (path, option.opts, result.output)
    assert f"{option.opts[0]}" in result.stderr and "给出了多次" in result.stderr
    assert not any(tmp_path.iterdir())  # refused before anything ran


def test_reply_with_two_outcomes_is_refused_and_nothing_is_stored(gk, unit):
    from requests_helpers import new_request

    unit("yanta")
    rid = str(new_request(gk)["id"])
    refused = gk("request", "reply", rid, "--outcome", "予以公开", "--outcome", "部分公开", "--on", "2026-03-11")
    assert refused.exit_code == 2 and "--outcome 给出了多次" in refused.stderr
    assert gk.json("request", "show", rid)["outcome"] is None


def test_options_meant_to_repeat_still_repeat(gk, unit, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-10-08")
    done = gk.json("duty", "done", "参加区政府办公室政务公开培训会", "--on", "2026-09-18",
                   "--attendee", "李分管", "--attendee", "王干事")
    assert done["attendees"] == ["李分管", "王干事"]


# issue 32 item 22: where a clerk reads, Chinese first, short Chinese names, no codes or placeholders


def test_help_is_chinese_with_no_codes_or_placeholders(gk):
    import re

    top = gk.ok("--help").stdout
    description = top.split("选项：")[0].splitlines()[1:]
    assert not re.search(r"[A-Za-z]{3}", "".join(description).replace("gongkai", ""))  # no English line
    placeholder = re.compile(r"\b(?:[A-Z][A-Z_]{2,}(?::[A-Z]+)?)\b")
    code = re.compile(r"\b(?:other|withheld|not_processed|unavailable|disclosed|partial)\.[a-z_]+\b")
    allowed = {"JSON", "PDF", "URL", "CSV", "HTML", "UTF", "WAL", "CPU", "HTTPS", "ISO", "SQL", "TOML", "PAGE"}
    for path, _ in commands():
        shown = gk.ok(*path, "--help").stdout
        found = {m for m in placeholder.findall(shown) if m not in allowed and not m.startswith("GONGKAI_")}
        assert not found, (path, found)
        assert not code.search(shown), (path, code.search(shown).group())
    dated = gk.ok("request", "new", "--help").stdout
    assert re.search(r"--submitted 日期", dated) and "--submitted 文本" not in dated
    assert "文件编号" in gk.ok("document", "show", "--help").stdout


def test_notice_and_appeal_kinds_take_the_short_chinese_names(gk, unit):
    from requests_helpers import new_request

    unit("yanta")
    rid = str(new_request(gk)["id"])
    for kind in ("收到申请确认书", "收到确认", "receipt", "政府信息公开申请收到确认书"):
        gk.ok("request", "notice", rid, "--kind", kind, "--format", "md", "--out", "-")
    gk.ok("request", "correct", rid, "--what", "所需信息的文号", "--notice-on", "2026-03-03", "--period-days", "10")
    assert "补正" in gk.ok("request", "notice", rid, "--kind", "补正", "--what", "所需信息的文号", "--format", "md",
                          "--out", "-").stdout
    bad = gk.fails("request", "notice", rid, "--kind", "确认书", "--format", "md", "--out", "-")
    assert "收到申请确认书、补正告知书" in bad.stderr and "receipt" not in bad.stderr
    appeal = gk.json("request", "appeal", rid, "--kind", "直接起诉", "--filed", "2026-03-20")
    assert appeal["appeals"][0]["kind"] == "lawsuit"
    later = gk.json("request", "appeal", rid, "--kind", "复议后起诉", "--filed", "2026-03-21",
                    "--reconsidered-on", "2026-03-20")
    assert later["appeals"][-1]["kind"] == "lawsuit_after_reconsideration"
