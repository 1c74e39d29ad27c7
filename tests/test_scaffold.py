"""``gongkai plugin new``: the generated package is complete, passes the conformance suite
as generated, and its letter override takes effect; the letter check renders with the
core's own letter variables and catches templates that would fail in a real letter."""

from __future__ import annotations

import importlib
import sys
import tomllib
from pathlib import Path

import pytest

from gongkai.core.paperwork import render
from gongkai.core.law.plugins import load_registry
from gongkai.testing import checks, letters

def generate(gk, tmp_path, name="jinshan"):
    data = gk.json("plugin", "new", name, "--chinese-name", "金山区", "--out", str(tmp_path / "out"))
    return Path(data["root"]), data


@pytest.fixture
def imported(monkeypatch):
    """Import a generated plugin package from its folder, and forget it afterwards."""

    def load(root: Path, module: str):
        monkeypatch.syspath_prepend(str(root))
        for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
            del sys.modules[name]
        return importlib.import_module(module)

    yield load
    for name in [m for m in sys.modules if m.startswith("gongkai_")]:
        del sys.modules[name]


def test_the_package_is_installable_with_the_gongkai_entry_point(gk, tmp_path):
    root, data = generate(gk, tmp_path)
    assert root == tmp_path / "out" / "gongkai-jinshan"
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "gongkai-jinshan"
    assert project["project"]["entry-points"]["gongkai"] == {"jinshan": "gongkai_jinshan"}
    assert any(d.startswith("gongkai") for d in project["project"]["dependencies"])
    assert project["tool"]["setuptools"]["package-data"]["gongkai_jinshan"] == ["templates/**/*"]
    assert set(data["files"]) >= {
        "pyproject.toml", "README.md", "gongkai_jinshan/__init__.py", "gongkai_jinshan/rules.py",
        "gongkai_jinshan/templates/README.md", "tests/test_conformance.py",
    }
    test = (root / "tests" / "test_conformance.py").read_text(encoding="utf-8")
    assert 'TestConformance = conformance_suite("jinshan")' in test


def test_the_generated_rules_override_one_national_rule_and_add_one(gk, tmp_path, imported):
    root, _ = generate(gk, tmp_path)
    plugin = imported(root, "gongkai_jinshan")
    registry = load_registry("jinshan", extra=[("jinshan", plugin)])
    assert registry.jurisdiction.display_name == "金山区"
    reply = registry.rules["request.reply"]
    assert (reply.source, reply.rule.amount, str(reply.rule.citation)) == ("jinshan", 15, "办法 第十八条")
    assert reply.overrides is not None and reply.overrides.amount == 20  # 条例 第三十三条
    mailbox = registry.rules["mailbox.reply"]
    assert (mailbox.source, mailbox.overrides) == ("jinshan", None)


def test_the_generated_plugin_passes_the_conformance_suite(gk, tmp_path, imported):
    root, _ = generate(gk, tmp_path)
    plugin = imported(root, "gongkai_jinshan")
    assert checks.problems("jinshan", extra=[("jinshan", plugin)]) == {name: [] for name in checks.CHECKS}


def test_the_scaffold_overrides_the_disclosed_letter_and_only_it(gk, tmp_path, imported):
    root, data = generate(gk, tmp_path)
    assert "gongkai_jinshan/templates/letters/disclosed.md.j2" in data["files"]
    plugin = imported(root, "gongkai_jinshan")
    registry = load_registry("jinshan", extra=[("jinshan", plugin)])
    disclosed, partial = (
        render.render(registry.template_dirs, letters.template_name(registry.outcome(code)),
                      letters.sample_context(registry, registry.outcome(code)))
        for code in ("disclosed", "partial")
    )
    assert "本告知书依据《金山区政务公开工作办法》制作。" in disclosed
    assert "张三" in disclosed and "2026年9月24日" in disclosed and "予以公开" in disclosed
    assert "金山区政务公开工作办法" not in partial  # only the one letter is replaced


def test_the_sample_letter_context_is_the_one_the_core_builds(gk, unit):
    """The conformance check renders with exactly the variables a real letter gets."""
    import datetime as dt

    from gongkai.core.app import App
    from gongkai.core.requests import intake, reply, review
    from gongkai.core.requests import letters as core_letters

    app = App(str(unit("changning")))
    with app.session() as session:
        req = intake.receive(session, app, applicant="李四", applicant_type="natural_person", channel="in_person",
                             submitted=dt.date(2026, 3, 2), subject="某路段拓宽工程的立项批复")
        for i, step in enumerate(review.required_steps(app.registry, "disclosed", "before")):
            review.review(session, app, req, step.id, f"审核人{i}", "approve", on=dt.date(2026, 3, 10),
                          proposal={"outcome": "disclosed", "reasons": "理由"})
        reply.reply(session, app, req, outcome="disclosed", on=dt.date(2026, 3, 11), reasons="理由")
        real = core_letters.context(session, app, req)
    sample = letters.sample_context(app.registry, app.registry.outcome("disclosed"))
    assert set(sample) == set(real)
    assert {k: type(v) for k, v in sample.items() if real[k] is not None} == {
        k: type(v) for k, v in real.items() if v is not None
    }


def test_a_letter_using_a_variable_the_core_does_not_give_fails_the_check(gk, tmp_path, imported):
    root, _ = generate(gk, tmp_path)
    override = root / "gongkai_jinshan" / "templates" / "letters" / "disclosed.md.j2"
    override.write_text("{{ applicant.fax }}\n", encoding="utf-8")
    plugin = imported(root, "gongkai_jinshan")
    found = checks.check_templates(checks.Conformance("jinshan", extra=[("jinshan", plugin)]))
    assert len(found) == 1 and "“disclosed”" in found[0] and "fax" in found[0] and "jinshan" in found[0], found


def test_a_misspelt_letter_override_is_reported(gk, tmp_path, imported):
    root, _ = generate(gk, tmp_path)
    (root / "gongkai_jinshan" / "templates" / "letters" / "discolsed.md.j2").write_text("x\n", encoding="utf-8")
    plugin = imported(root, "gongkai_jinshan")
    found = checks.check_templates(checks.Conformance("jinshan", extra=[("jinshan", plugin)]))
    assert found == ["插件 jinshan 的模板“letters/discolsed.md.j2”不覆盖任何核心模板，也不属于任何答复结果（文件名拼写错误？）。"]


def test_an_outcome_without_any_letter_is_reported():
    import types

    from gongkai.hookspecs import hookimpl
    from gongkai.hookspecs.records import Jurisdiction, Outcome

    plugin = types.ModuleType("testcounty")
    plugin.gongkai_jurisdiction = hookimpl(lambda: Jurisdiction(name="testcounty", display_name="测试县"))
    plugin.gongkai_outcomes = hookimpl(lambda: [Outcome(code="other.transferred", name="其他处理（转交）", report_row="other.other")])
    found = checks.check_templates(checks.Conformance("testcounty", extra=[("testcounty", plugin)]))
    assert found == ["辖区 testcounty 的结果“other.transferred”没有答复告知书模板“letters/other.transferred.md.j2”。"]


def test_invalid_names_and_existing_folders_are_refused(gk, tmp_path):
    result = gk.fails("plugin", "new", "Jin-Shan")
    assert "Jin-Shan" in result.stderr and "小写" in result.stderr
    generate(gk, tmp_path)
    result = gk.fails("plugin", "new", "jinshan", "--out", str(tmp_path / "out"))
    assert "已存在" in result.stderr


def test_the_human_output_says_what_to_do_next(gk, tmp_path):
    out = gk.ok("plugin", "new", "fengxian", "--chinese-name", "奉贤区").stdout
    assert "gongkai-fengxian" in out and 'jurisdiction = "fengxian"' in out and "pytest" in out
    assert (tmp_path / "gongkai-fengxian" / "gongkai_fengxian" / "rules.py").is_file()
