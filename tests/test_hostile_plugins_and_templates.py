"""A broken third-party plugin and hostile template content: clear errors, nothing executed, HTML escaped."""

from __future__ import annotations

import textwrap

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork.render import render, write_output
from requests_helpers import approve_chain, before_steps

BROKEN_PLUGIN = '''
from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import Jurisdiction


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(name="brokencounty", display_name="故障县")


@hookimpl
def gongkai_deadline_rules():
    raise KeyError("rules.toml")
'''


@pytest.fixture
def broken_plugin_installed(tmp_path, monkeypatch):
    """A third-party distribution with a ``gongkai`` entry point, found on sys.path like any installed one."""
    site = tmp_path / "site"
    (site / "brokencounty-0.1.dist-info").mkdir(parents=True)
    (site / "brokencounty-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: brokencounty\nVersion: 0.1\n")
    (site / "brokencounty-0.1.dist-info" / "entry_points.txt").write_text("[gongkai]\nbrokencounty = brokencounty\n")
    (site / "brokencounty.py").write_text(BROKEN_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))


def test_a_plugin_hook_that_raises_is_named_through_the_cli(broken_plugin_installed, gk):
    listed = {p["name"]: p for p in gk.json("plugins")}
    assert {"changning", "wuyuan", "xixian", "yanta"} < set(listed)  # the others still list
    assert "gongkai_deadline_rules" in listed["brokencounty"]["error"]
    result = gk.fails("-j", "brokencounty", "rules", code=4)
    assert "插件 brokencounty 的钩子 gongkai_deadline_rules 出错" in result.stderr
    assert "KeyError" in result.stderr
    result = gk.fails("-j", "brokencounty", "deadline", "request.reply", "--start", "2026-09-24", code=4)
    assert "gongkai_deadline_rules" in result.stderr


@pytest.fixture
def templates(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()

    def write(name: str, body: str) -> list:
        (folder / name).write_text(textwrap.dedent(body), encoding="utf-8")
        return [folder]

    return write


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ name.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ name.format.__self__.__class__ }}",
    ],
)
def test_the_sandbox_refuses_to_reach_python_internals(templates, body):
    dirs = templates("evil.md.j2", body)
    with pytest.raises(GongkaiError) as err:
        render(dirs, "evil.md.j2", {"name": "张三"})
    assert "evil.md.j2" in str(err.value)


def test_html_templates_escape_and_markdown_templates_do_not(templates):
    hostile = '<script>alert("x")</script> & 张三'
    dirs = templates("page.html.j2", "<p>{{ name }}</p>\n")
    assert render(dirs, "page.html.j2", {"name": hostile}) == \
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 张三</p>\n"
    templates("letter.md.j2", "申请人：{{ name }}\n")
    assert render(dirs, "letter.md.j2", {"name": hostile}) == f"申请人：{hostile}\n"


def test_raw_html_in_a_letter_is_escaped_in_the_html_output(tmp_path):
    page = write_output("# 告知书\n\n申请内容：<script>alert(1)</script><img src=x onerror=alert(1)>\n", "html",
                        tmp_path / "letter.html", title="<b>标题</b>")
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>标题" not in html
    assert "&lt;script&gt;" in html


def test_a_hostile_subject_goes_into_a_letter_as_text(unit, gk, tmp_path):
    unit("changning")
    subject = "<script>alert(1)</script>{{ 7*7 }}{% raw %}"
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-03-02", "--subject", subject)
    approve_chain(gk, 1, before_steps(gk, 1))
    gk.ok("request", "reply", "1", "--outcome", "disclosed", "--on", "2026-03-10", "--by", "承办人")
    gk.ok("request", "letter", "1", "--format", "html", "--out", str(tmp_path / "l.html"))
    html = (tmp_path / "l.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html  # user text is data, never a template
