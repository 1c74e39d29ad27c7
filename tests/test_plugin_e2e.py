"""A fifth county, end to end: scaffold a plugin, ``pip install`` it next to gongkai in a fresh
virtual environment, select it in ``gongkai.toml``, and run a deadline, a request with its
letter, and the conformance suite through it. A broken plugin fails naming plugin and hook.

The virtual environment is built once for this module (it is the slow part: gongkai and its
dependencies are installed from the local pip cache/index).
"""

from __future__ import annotations

import json
import os
import subprocess
import types
from pathlib import Path

import pytest

from gongkai.core.errors import PluginError
from gongkai.core.law.plugins import load_registry
from gongkai.core.law.scaffold import new_plugin
from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import DeadlineRule, Jurisdiction, cite

BIN = "Scripts" if os.name == "nt" else "bin"


def run(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTHONPATH", "VIRTUAL_ENV"))}
    env["GONGKAI_CACHE_DIR"] = str(cwd / ".cache")
    env["GONGKAI_PRELOAD"] = "0"  # no resident preloader left behind by the test
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def county(tmp_path_factory, wheel_venv):
    """A venv with gongkai and the scaffolded gongkai-jinshan installed (not editable), two
    broken plugins beside it, and a unit's folder whose gongkai.toml selects jinshan."""
    root = tmp_path_factory.mktemp("e2e")
    plugin = new_plugin("jinshan", "金山区", root / "plugins").root
    # two broken counties installed beside it (only the chosen jurisdiction is ever imported):
    misspelt = new_plugin("brokencounty", "坏县", root / "plugins").root
    edit(misspelt / "gongkai_brokencounty" / "__init__.py", "def gongkai_deadline_rules", "def gongkai_dedline_rules")
    invalid = new_plugin("badrecord", "坏记录县", root / "plugins").root
    edit(invalid / "gongkai_badrecord" / "rules.py", "amount=5,", "amount=-5,")
    venv = wheel_venv[0]  # a fresh venv with gongkai from its wheel, shared with the packaging test
    python = venv / BIN / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", f"{plugin}[test]", misspelt, invalid,
        cwd=root)
    unit = root / "unit"
    unit.mkdir()
    (unit / "gongkai.toml").write_text(
        'jurisdiction = "jinshan"\nunit = "金山区人民政府办公室"\nreconsideration_body = "金山区人民政府"\n'
        'database_url = "sqlite:///gongkai.db"\n',
        encoding="utf-8",
    )
    return types.SimpleNamespace(root=root, venv=venv, plugin=plugin, python=python, gongkai=venv / BIN / "gongkai", unit=unit)


def test_the_fresh_venv_holds_only_what_was_installed(county):
    where = run(county.python, "-c", "import gongkai, gongkai_jinshan; print(gongkai.__file__); print(gongkai_jinshan.__file__)",
                cwd=county.root).stdout.split()
    assert all(Path(w).is_relative_to(county.venv) for w in where), where  # installed copies, not the checkout
    plugins = json.loads(run(county.gongkai, "plugins", "--json", cwd=county.unit).stdout)
    jinshan = next(p for p in plugins if p["name"] == "jinshan")
    assert (jinshan["distribution"], jinshan["display_name"], jinshan["active"]) == ("gongkai-jinshan", "金山区", True)
    broken = {p["name"]: p["error"] for p in plugins if p["error"]}
    assert set(broken) == {"brokencounty", "badrecord"}  # listed with their errors, not hiding the others


def test_the_installed_gongkai_scaffolds_a_plugin(county, tmp_path):
    """The scaffold's templates ship in the wheel, not only in the checkout."""
    out = json.loads(run(county.gongkai, "plugin", "new", "fengxian", "--chinese-name", "奉贤区", "--out", tmp_path, "--json",
                         cwd=county.unit).stdout)
    assert (tmp_path / "gongkai-fengxian" / "gongkai_fengxian" / "rules.py").is_file()
    assert "tests/test_conformance.py" in out["files"]


def test_a_deadline_through_the_installed_plugin(county):
    data = json.loads(run(county.gongkai, "deadline", "request.reply", "--start", "2026-09-24", "--json", cwd=county.unit).stdout)
    # the plugin's 15 working days: Sep 25-27 and Oct 1-7 are off, Oct 10 (Sat) is worked
    assert (data["jurisdiction"], data["due"], data["limit"]) == ("jinshan", "2026-10-22", "2026-10-29")
    rules = json.loads(run(county.gongkai, "rules", "--json", cwd=county.unit).stdout)
    by_id = {r["id"]: r for r in rules}
    assert (by_id["request.reply"]["source"], by_id["request.reply"]["citation"]) == ("jinshan", "办法 第十八条")
    assert by_id["request.reply"]["overrides"] == "条例 第三十三条第二款"
    assert by_id["mailbox.reply"]["source"] == "jinshan"
    assert by_id["request.extension"]["source"] == "national"


def test_a_request_with_its_letter_through_the_installed_plugin(county):
    gongkai = [county.gongkai]
    created = json.loads(run(*gongkai, "request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                             "--channel", "in_person", "--submitted", "2026-09-24",
                             "--subject", "2026年本区老旧小区改造项目清单", "--json", cwd=county.unit).stdout)
    request_id = str(created["id"])
    assert (created["received"], created["due"]) == ("2026-09-24", "2026-10-22")  # the plugin's 15 working days
    shown = json.loads(run(*gongkai, "request", "show", request_id, "--json", cwd=county.unit).stdout)
    reviewers = iter(["李四", "王五", "赵六", "钱七"])  # nobody approves their own draft
    proposal = ("--outcome", "disclosed", "--reason", "所申请信息属于公开范围")  # the first signature's
    for step in shown["review_steps"]:
        if step.get("stage", "before") == "before":
            run(*gongkai, "request", "review", request_id, "--step", step["id"], "--by", next(reviewers),
                "--decision", "approve", "--on", "2026-10-19", *proposal, cwd=county.unit)
            proposal = ()
    run(*gongkai, "request", "reply", request_id, "--outcome", "disclosed", "--on", "2026-10-20",
        "--reason", "所申请信息属于公开范围", "--by", "李四", cwd=county.unit)
    letter = county.unit / "letter.md"
    run(*gongkai, "request", "letter", request_id, "--format", "md", "--out", letter, cwd=county.unit)
    text = letter.read_text(encoding="utf-8")
    assert "张三" in text and "老旧小区改造项目清单" in text
    assert "本告知书依据《金山区政务公开工作办法》制作。" in text  # the plugin's override of the disclosed letter


def test_the_conformance_suite_runs_in_the_generated_plugin(county):
    result = run(county.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=county.plugin)
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_a_misspelt_hookimpl_in_an_installed_plugin_fails_naming_plugin_and_hook(county):
    result = run(county.gongkai, "-j", "brokencounty", "rules", cwd=county.unit, check=False)
    assert result.returncode == 4, result.stderr
    assert "插件 brokencounty" in result.stderr and "gongkai_dedline_rules" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- broken plugins, in-process


def broken(**hooks) -> types.ModuleType:
    module = types.ModuleType("brokencounty")
    module.gongkai_jurisdiction = hookimpl(lambda: Jurisdiction(name="brokencounty", display_name="坏县"))
    for name, fn in hooks.items():
        setattr(module, name, hookimpl(fn))
    return module


def load(plugin):
    return load_registry("brokencounty", extra=[("brokencounty", plugin)])


def test_a_misspelt_hook_is_an_error_naming_plugin_and_hook():
    with pytest.raises(PluginError) as err:
        load(broken(gongkai_dedline_rules=lambda: []))
    assert "插件 brokencounty" in str(err.value) and "gongkai_dedline_rules" in str(err.value)


def test_a_hook_that_raises_is_an_error_naming_plugin_and_hook():
    def explode():
        raise RuntimeError("规则表读取失败")

    with pytest.raises(PluginError) as err:
        load(broken(gongkai_deadline_rules=explode))
    assert str(err.value) == "插件 brokencounty 的钩子 gongkai_deadline_rules 出错：RuntimeError: 规则表读取失败"


def test_a_hook_returning_the_wrong_type_is_an_error_naming_plugin_and_hook():
    rule = DeadlineRule(id="mailbox.reply", summary="5个工作日内答复", citation=cite("条例", "第三十三条"),
                        unit="working_days", amount=5)
    with pytest.raises(PluginError, match="插件 brokencounty 的钩子 gongkai_deadline_rules 应返回列表"):
        load(broken(gongkai_deadline_rules=lambda: rule))
    with pytest.raises(PluginError, match="插件 brokencounty 的钩子 gongkai_review_chains 返回了 DeadlineRule，应为 ReviewChain 记录"):
        load(broken(gongkai_review_chains=lambda: [rule]))
    with pytest.raises(PluginError, match="插件 brokencounty 的钩子 gongkai_jurisdiction 应返回 Jurisdiction 记录"):
        load_registry("brokencounty", extra=[("brokencounty", types.SimpleNamespace(
            gongkai_jurisdiction=hookimpl(lambda: {"name": "brokencounty"})))])


def test_a_record_invalid_at_import_is_an_error_naming_the_plugin(county):
    result = run(county.gongkai, "-j", "badrecord", "rules", cwd=county.unit, check=False)
    assert result.returncode == 4 and "辖区插件 badrecord 加载失败" in result.stderr and "amount" in result.stderr
    assert "Traceback" not in result.stderr
