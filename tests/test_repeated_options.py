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
