"""The plugin manager: selection, overriding, conflicts and broken plugins."""

import subprocess
import sys
import types

import pytest

from gongkai import hookimpl
from gongkai.core.errors import GongkaiError, PluginError
from gongkai.core.law.plugins import installed_plugins, load_registry
from gongkai.hookspecs.records import DeadlineRule, Jurisdiction, cite

BUILT_IN = ["changning", "wuyuan", "xixian", "yanta"]


def plugin(name, **hooks):
    """A throwaway plugin object with the given hook functions."""
    module = types.ModuleType(name)
    for hook, fn in hooks.items():
        setattr(module, hook, hookimpl(fn))
    return module


@pytest.fixture
def users_own_plugin(tmp_path, monkeypatch):
    """A jurisdiction the user installed themselves: the listings must tolerate it."""
    site = tmp_path / "site"
    info = site / "jinshan-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jinshan\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[gongkai]\njinshan = jinshan\n")
    monkeypatch.syspath_prepend(str(site))


def test_built_in_plugins_are_entry_points(users_own_plugin):
    found = installed_plugins()
    assert set(BUILT_IN) <= set(found)
    assert found["changning"].value == "gongkai.plugins.changning"


def test_unknown_jurisdiction_lists_the_installed_ones():
    with pytest.raises(GongkaiError) as info:
        load_registry("chaoyang")
    message = str(info.value)
    assert "chaoyang" in message
    for name in BUILT_IN:
        assert name in message


def test_jurisdiction_override_replaces_national_rule_by_id():
    registry = load_registry("changning")
    entry = registry.rules["proactive.publish"]
    assert entry.source == "changning"
    assert entry.overrides is not None and "第二十六条" in str(entry.overrides.citation)
    assert registry.rules["request.third_party_opinion"].source == "national"


def test_only_the_active_plugin_is_imported():
    code = (
        "import sys\n"
        "from gongkai.core.law.plugins import load_registry\n"
        "load_registry('changning')\n"
        "print(sorted(m for m in sys.modules if m.startswith('gongkai.plugins.') and m.count('.') == 2))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['gongkai.plugins.changning']"


def test_misspelled_hookimpl_fails_loudly():
    broken = plugin("typo", gongkai_deadline_rule=lambda: [])
    with pytest.raises(PluginError) as info:
        load_registry("yanta", extra=[("typo", broken)])
    assert "typo" in str(info.value) and "gongkai_deadline_rule" in str(info.value)


def _rule(rule_id="local.thing", citation="某办法 第一条"):
    return DeadlineRule(id=rule_id, summary="测试规则", citation=citation, unit="working_days", amount=5)


def test_two_plugins_with_one_rule_id_at_the_same_level_conflict():
    a = plugin("addon_a", gongkai_deadline_rules=lambda: [_rule()])
    b = plugin("addon_b", gongkai_deadline_rules=lambda: [_rule()])
    with pytest.raises(PluginError, match="规则冲突") as info:
        load_registry("yanta", extra=[("addon_a", a), ("addon_b", b)])
    assert "addon_a" in str(info.value) and "addon_b" in str(info.value)


def test_a_hook_that_raises_names_plugin_and_hook():
    def boom():
        raise RuntimeError("数据文件缺失")

    with pytest.raises(PluginError) as info:
        load_registry("yanta", extra=[("boom", plugin("boom", gongkai_review_chains=boom))])
    assert "boom" in str(info.value) and "gongkai_review_chains" in str(info.value)


def test_a_hook_returning_the_wrong_type_names_plugin_and_hook():
    bad = plugin("dicts", gongkai_deadline_rules=lambda: [{"id": "request.reply"}])
    with pytest.raises(PluginError) as info:
        load_registry("yanta", extra=[("dicts", bad)])
    assert "dicts" in str(info.value) and "gongkai_deadline_rules" in str(info.value) and "dict" in str(info.value)


def test_override_must_keep_the_record_type():
    from gongkai.hookspecs.records import Provision

    bad = plugin("retype", gongkai_provisions=lambda: [Provision(id="request.agency_opinion", summary="x", citation="y")])
    with pytest.raises(PluginError, match="类型不一致"):
        load_registry("yanta", extra=[("retype", bad)])


def test_a_third_party_jurisdiction_can_be_registered_in_process():
    county = plugin(
        "newcounty",
        gongkai_jurisdiction=lambda: Jurisdiction(name="newcounty", display_name="新县"),
        gongkai_deadline_rules=lambda: [_rule("request.reply", citation=cite("新县办法", "第九条"))],
    )
    registry = load_registry("newcounty", extra=[("newcounty", county)])
    assert registry.jurisdiction.display_name == "新县"
    assert registry.rules["request.reply"].source == "newcounty"
    assert registry.deadline("request.reply").amount == 5


def test_records_validate_themselves():
    with pytest.raises(ValueError, match="rule ID"):
        _rule("Request Reply")
    with pytest.raises(ValueError, match="lower-case"):
        Jurisdiction(name="Xi Xian", display_name="西咸新区")


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_rule_has_a_citation(name):
    registry = load_registry(name)
    assert registry.jurisdiction.name == name
    for entry in registry.rules.values():
        assert str(entry.rule.citation).strip(), entry.rule.id
        assert entry.rule.summary.strip(), entry.rule.id


def test_selection_precedence(gk, unit, monkeypatch):
    unit("xixian")
    active = lambda: [p["name"] for p in gk.json("plugins") if p["active"]]  # noqa: E731
    assert active() == ["xixian"]  # gongkai.toml
    monkeypatch.setenv("GONGKAI_JURISDICTION", "yanta")
    assert active() == ["yanta"]  # environment over the file
    assert [p["name"] for p in gk.json("--jurisdiction", "wuyuan", "plugins") if p["active"]] == ["wuyuan"]  # flag over both
    monkeypatch.setenv("GONGKAI_JURISDICTION", "nowhere")
    result = gk.fails("rules")
    assert "nowhere" in result.stderr and "changning" in result.stderr


def test_config_found_in_a_parent_directory(gk, unit, tmp_path, monkeypatch):
    unit("changning")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert gk.json("deadline", "proactive.publish", "--start", "2026-09-24")["jurisdiction"] == "changning"


def test_no_jurisdiction_chosen_says_how_to_choose(gk):
    result = gk.fails("rules")
    assert "jurisdiction" in result.stderr and "xixian" in result.stderr


def test_plugins_listing(gk, users_own_plugin):
    rows = gk.json("-j", "changning", "plugins")
    assert [r["name"] for r in rows if r["name"] in BUILT_IN] == BUILT_IN
    changning = next(r for r in rows if r["name"] == "changning")
    assert changning["display_name"] == "长宁区" and changning["active"]
    assert changning["version"] and changning["sources"]
