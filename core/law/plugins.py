"""Loading plugins and flattening what they return into one :class:`Registry`.

Modelled on conda's plugin manager (typed records, conflicts detected, a plugin chosen by
name with a "choose one of" error) and tox's (plugins that are not chosen are blocked
before entry points load, so only the active jurisdiction is ever imported).
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pluggy

from gongkai import hookspecs
from gongkai.core.errors import GongkaiError, PluginError
from gongkai.core.law.outcomes import REPORT_ROWS
from gongkai.hookspecs.records import (
    RULE_TYPES,
    ApplicationField,
    CalendarAdjustment,
    DeadlineRule,
    Jurisdiction,
    Outcome,
    ReviewChain,
    Rule,
    TemplateDir,
)

ENTRY_POINT_GROUP = "gongkai"
NATIONAL = "national"  # the registered name of the core baseline plugin

# hook name -> the record types it may return
_RULE_HOOKS: dict[str, tuple[type, ...]] = {
    "gongkai_deadline_rules": (DeadlineRule,),
    "gongkai_review_chains": (ReviewChain,),
    "gongkai_rubrics": RULE_TYPES,
    "gongkai_exemptions": RULE_TYPES,
    "gongkai_provisions": RULE_TYPES,
}

# every hook -> the record types its list may hold (gongkai_jurisdiction returns one record)
HOOK_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "gongkai_jurisdiction": (Jurisdiction,),
    **_RULE_HOOKS,
    "gongkai_outcomes": (Outcome,),
    "gongkai_calendar_adjustments": (CalendarAdjustment,),
    "gongkai_template_dirs": (TemplateDir,),
    "gongkai_application_fields": (ApplicationField,),
}
# the public form's own field names (gongkai.core.requests.online, core/web/apply_views.py):
# a plugin's field may not take one
FORM_FIELDS = frozenset({"applicant", "applicant_type", "id_type", "id_number", "contact", "email", "address", "agent",
                         "subject", "form_wanted", "receive_how", "unit", "attachment", "website", "csrf_token",
                         "code", "check", "text"})

R = TypeVar("R", bound=Rule)


@attrs.frozen
class InstalledPlugin:
    """An entry point of the ``gongkai`` group, known without importing it. Its distribution's
    name and version are read only when asked for: reading them parses the distribution's
    METADATA (for gongkai, the whole README), which every command would otherwise pay for."""

    name: str
    value: str
    dist: Any = attrs.field(default=None, eq=False, repr=False)  # importlib.metadata.Distribution

    @property
    def distribution(self) -> str:
        return self.dist.name if self.dist else ""

    @property
    def version(self) -> str:
        return self.dist.version if self.dist else ""


# the last answer of installed_plugins(), under the stamps of the folders it was read from
_INSTALLED: list[tuple[tuple[Any, ...], dict[str, InstalledPlugin]]] = []


def _path_stamps() -> tuple[Any, ...]:
    """sys.path and the change time of each of its folders: installing, upgrading or removing a
    distribution changes its folder (its ``.dist-info`` comes or goes)."""
    import os

    stamps: list[Any] = []
    for entry in sys.path:
        try:
            info = os.stat(entry or ".")
            stamps.append((entry, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
        except OSError:
            stamps.append((entry, None))
    return tuple(stamps)


def installed_plugins() -> dict[str, InstalledPlugin]:
    """The jurisdictions installed, by entry-point name, without importing any of them.

    Reading the entry points reads every installed distribution's metadata (10 to 25 ms in a
    venv of 270 of them, twice per command); the answer is kept while sys.path and its folders
    are unchanged, and the preloader reads it before it forks each command."""
    stamps = _path_stamps()
    if _INSTALLED and _INSTALLED[0][0] == stamps:
        return dict(_INSTALLED[0][1])
    found: dict[str, InstalledPlugin] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, InstalledPlugin(name=ep.name, value=ep.value, dist=ep.dist))
    answer = dict(sorted(found.items()))
    _INSTALLED[:] = [(stamps, answer)]
    return dict(answer)


def unknown_jurisdiction(name: str | None, installed: Iterable[str]) -> GongkaiError:
    choices = "、".join(installed) or "（无）"
    if not name:
        return GongkaiError(
            "未选择辖区。请在 gongkai.toml 中设置 jurisdiction，或使用 --jurisdiction / "
            f"GONGKAI_JURISDICTION 指定，可选：{choices}"
        )
    return GongkaiError(f"未知的辖区“{name}”。请从已安装的辖区中选择：{choices}")


@attrs.frozen
class RuleEntry:
    """A rule in force and where it comes from: ``national`` or a plugin name."""

    rule: Rule
    source: str
    overrides: Rule | None = None  # the national rule it replaces, if any


@attrs.define
class Registry:
    """Everything the active plugins contribute, flattened and checked."""

    jurisdiction: Jurisdiction
    installed: InstalledPlugin | None  # the active plugin's entry point
    rules: dict[str, RuleEntry]
    outcomes: dict[str, Outcome]
    template_dirs: list[Path]
    calendar_adjustments: list[CalendarAdjustment]
    plugin_manager: pluggy.PluginManager = attrs.field(repr=False)
    application_fields: list[ApplicationField] = attrs.field(factory=list)  # added to /apply by plugins

    @property
    def version(self) -> str:
        """The active plugin's distribution version (read when asked)."""
        return self.installed.version if self.installed else ""

    def rule(self, rule_id: str, kind: type[R] = Rule) -> R:  # type: ignore[assignment]
        """The rule in force with ``rule_id``; a clear error if there is none."""
        entry = self.rules.get(rule_id)
        if entry is None:
            known = "、".join(sorted(self.rules))
            raise GongkaiError(
                f"{self.jurisdiction.display_name}没有规则“{rule_id}”。"
                f"可用 `gongkai rules` 查看全部规则：{known}"
            )
        if not isinstance(entry.rule, kind):
            raise GongkaiError(f"规则“{rule_id}”不是{_KIND_NAMES.get(kind, kind.__name__)}类规则。")
        return entry.rule  # type: ignore[return-value]

    def find(self, rule_id: str, kind: type[R] = Rule) -> R | None:  # type: ignore[assignment]
        """Like :meth:`rule`, but None when the jurisdiction has no such rule."""
        entry = self.rules.get(rule_id)
        return entry.rule if entry is not None and isinstance(entry.rule, kind) else None  # type: ignore[return-value]

    def deadline(self, rule_id: str) -> DeadlineRule:
        return self.rule(rule_id, DeadlineRule)

    def review_chain(self, rule_id: str) -> ReviewChain:
        return self.rule(rule_id, ReviewChain)

    def rules_of(self, kind: type[R]) -> list[R]:
        return [e.rule for e in self.rules.values() if isinstance(e.rule, kind)]  # type: ignore[misc]

    def outcome(self, code: str) -> Outcome:
        try:
            return self.outcomes[code]
        except KeyError:
            raise GongkaiError(
                f"未知的答复结果“{code}”。可选：{'、'.join(o.name for o in self.outcomes.values())}"
            ) from None


_KIND_NAMES = {DeadlineRule: "期限", ReviewChain: "审核流程"}


def _national_module() -> Any:
    from gongkai.core.law import national
    return national


def call_hook(pm: pluggy.PluginManager, hook_name: str, plugin: str | None = None) -> list[tuple[str, Any]]:
    """Call every implementation of a hook (or only ``plugin``'s), keeping which plugin
    returned what. A hook that raises is reported with the plugin and the hook named."""
    results = []
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():  # registration order: national first (pluggy calls LIFO)
        if plugin is not None and impl.plugin_name != plugin:
            continue
        try:
            value = impl.function()
        except GongkaiError:
            raise
        except Exception as exc:
            raise PluginError(
                f"插件 {impl.plugin_name} 的钩子 {hook_name} 出错：{type(exc).__name__}: {exc}"
            ) from exc
        results.append((impl.plugin_name, value))
    return results


def hook_records(plugin: str, hook: str, value: Any, types: tuple[type, ...]) -> list[Any]:
    """The records a list hook returned, or an error naming the plugin and the hook."""
    if value is None:
        return []
    items = list(value) if isinstance(value, (list, tuple)) else None
    if items is None:
        raise PluginError(f"插件 {plugin} 的钩子 {hook} 应返回列表，实际返回 {type(value).__name__}")
    for item in items:
        if not isinstance(item, types):
            expected = " / ".join(t.__name__ for t in types)
            raise PluginError(
                f"插件 {plugin} 的钩子 {hook} 返回了 {type(item).__name__}，应为 {expected} 记录"
            )
    return items


def build_plugin_manager(active: str, extra: Iterable[tuple[str, Any]] = ()) -> pluggy.PluginManager:
    """A plugin manager with the national baseline, the active jurisdiction only, and
    ``extra`` (name, module-or-object) plugins, e.g. from tests."""
    installed = installed_plugins()
    extra = list(extra)
    if active not in installed and active not in {name for name, _ in extra}:
        raise unknown_jurisdiction(active, installed)
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    try:
        pm.register(_national_module(), name=NATIONAL)
        for name, plugin in extra:
            pm.register(plugin, name=name)
        for name in installed:
            if name != active:
                pm.set_blocked(name)  # never imported
        # the active one's entry point, as pluggy's load_setuptools_entrypoints(group, name=active)
        # would load it, without reading every installed distribution's metadata once more
        if active in installed and pm.get_plugin(active) is None:
            found = installed[active]
            pm.register(importlib.metadata.EntryPoint(found.name, found.value, ENTRY_POINT_GROUP).load(), name=active)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or getattr(exc.plugin, "__name__", repr(exc.plugin))
        raise PluginError(f"插件 {name} 的钩子实现无效：{exc}") from exc
    except GongkaiError:
        raise
    except Exception as exc:  # an import error, or a record that fails validation at import
        raise PluginError(f"辖区插件 {active} 加载失败：{type(exc).__name__}: {exc}") from exc
    return pm


def load_registry(active: str | None, extra: Iterable[tuple[str, Any]] = ()) -> Registry:
    """Load the national baseline plus the ``active`` jurisdiction and flatten their records."""
    if not active:
        raise unknown_jurisdiction(active, installed_plugins())
    pm = build_plugin_manager(active, extra)
    return registry_from(pm, active)


def registry_from(pm: pluggy.PluginManager, active: str) -> Registry:
    jurisdiction = None
    for plugin, value in call_hook(pm, "gongkai_jurisdiction"):
        if value is None:
            continue
        if not isinstance(value, Jurisdiction):
            raise PluginError(f"插件 {plugin} 的钩子 gongkai_jurisdiction 应返回 Jurisdiction 记录")
        if plugin == active:
            jurisdiction = value
    if jurisdiction is None:
        raise PluginError(f"插件 {active} 未通过 gongkai_jurisdiction 提供辖区信息")
    if jurisdiction.name != active:
        raise PluginError(
            f"插件 {active} 的钩子 gongkai_jurisdiction 返回的 name 为“{jurisdiction.name}”，应与入口点名称一致"
        )

    national: dict[str, tuple[str, Rule]] = {}
    local: dict[str, tuple[str, Rule]] = {}
    for hook, types in _RULE_HOOKS.items():
        for plugin, value in call_hook(pm, hook):
            level = national if plugin == NATIONAL else local
            for rule in hook_records(plugin, hook, value, types):
                if rule.id in level:
                    other = level[rule.id][0]
                    raise PluginError(
                        f"规则冲突：插件 {other} 与插件 {plugin} 都定义了规则“{rule.id}”（钩子 {hook}）。"
                        "同一层级的规则编号只能由一个插件提供。"
                    )
                level[rule.id] = (plugin, rule)

    rules: dict[str, RuleEntry] = {}
    for rule_id, (plugin, rule) in national.items():
        rules[rule_id] = RuleEntry(rule, NATIONAL)
    for rule_id, (plugin, rule) in local.items():
        replaced = national.get(rule_id)
        if replaced is not None and type(replaced[1]) is not type(rule):
            raise PluginError(
                f"插件 {plugin} 的规则“{rule_id}”覆盖国家规则时类型不一致："
                f"国家规则为 {type(replaced[1]).__name__}，插件返回 {type(rule).__name__}。"
            )
        rules[rule_id] = RuleEntry(rule, plugin, replaced[1] if replaced else None)
    rules = dict(sorted(rules.items()))

    outcomes: dict[str, Outcome] = {}
    for plugin, value in call_hook(pm, "gongkai_outcomes"):
        for outcome in hook_records(plugin, "gongkai_outcomes", value, (Outcome,)):
            # a track's outcome (党务公开) may stay out of the 条例's report; every other one counts in a row
            if outcome.report_row not in REPORT_ROWS and not (outcome.track and not outcome.report_row):
                raise PluginError(
                    f"插件 {plugin} 的结果“{outcome.code}”对应的年报行“{outcome.report_row}”不存在，"
                    f"应为：{'、'.join(REPORT_ROWS)}"
                )
            outcomes[outcome.code] = outcome  # a plugin may refine a national outcome

    template_dirs: list[Path] = []
    for plugin, value in reversed(call_hook(pm, "gongkai_template_dirs")):  # plugins first, core last
        template_dirs.extend(Path(t.path) for t in hook_records(plugin, "gongkai_template_dirs", value, (TemplateDir,)))

    adjustments: list[CalendarAdjustment] = []
    for plugin, value in call_hook(pm, "gongkai_calendar_adjustments"):
        adjustments.extend(hook_records(plugin, "gongkai_calendar_adjustments", value, (CalendarAdjustment,)))

    return Registry(
        jurisdiction=jurisdiction,
        installed=installed_plugins().get(active),
        rules=rules,
        outcomes=outcomes,
        template_dirs=template_dirs,
        calendar_adjustments=adjustments,
        plugin_manager=pm,
        application_fields=_application_fields(pm),
    )


def _application_fields(pm: pluggy.PluginManager) -> list[ApplicationField]:
    found: dict[str, str] = {}
    fields: list[ApplicationField] = []
    for plugin, value in call_hook(pm, "gongkai_application_fields"):
        for item in hook_records(plugin, "gongkai_application_fields", value, (ApplicationField,)):
            if item.name in FORM_FIELDS or item.name in found:
                raise PluginError(f"插件 {plugin} 的申请表字段“{item.name}”与"
                                  f"{'申请表自有字段' if item.name in FORM_FIELDS else '插件 ' + found[item.name] + ' 的字段'}重名。")
            found[item.name] = plugin
            fields.append(item)
    return fields


def describe_installed(active: str | None) -> list[dict[str, Any]]:
    """Every installed jurisdiction with its metadata, for ``gongkai plugins``.

    Listing is the one place that imports every plugin, each in its own manager. A broken
    plugin is listed with its ``error`` instead of hiding the others.
    """
    rows = []
    for name, info in installed_plugins().items():
        row = {"name": name, "display_name": "", "version": info.version, "distribution": info.distribution,
               "module": info.value, "sources": [], "rules": 0, "active": name == active, "error": None}
        try:
            registry = load_registry(name)
        except PluginError as exc:
            row["error"] = str(exc)
        else:
            j = registry.jurisdiction
            row.update(display_name=j.display_name, rules=len(registry.rules),
                       sources=[{"key": s.key, "title": s.title} for s in j.sources])
        rows.append(row)
    return rows
