"""The Chinese label of every code a clerk might see, in one place.

Records store English codes (``partial``, ``in_person``, ``replied``); ``--json`` keeps them.
Everything printed for people goes through :func:`label`, and every option that takes a code
also takes its label (:func:`code_of`, and the click type ``LabelChoice`` built on it).

Each vocabulary names the table that owns its codes (``module:attribute``), imported only
when asked for, so this module stays light; outcomes, channels and review steps come from
the active jurisdiction's plugin records.
"""

from __future__ import annotations

import importlib
from typing import Any

from gongkai.core.errors import GongkaiError

# vocabulary -> (what its values are, in Chinese; where its code -> label table lives)
TABLES: dict[str, tuple[str, str]] = {
    "state": ("申请状态", "gongkai.core.requests.workflow:STATES"),
    "decision": ("审核决定", "gongkai.core.requests.review:DECISIONS"),
    "pause_reason": ("中止计时事由", "gongkai.core.requests.clock:PAUSE_REASONS"),
    "silence": ("逾期未提出意见的处理", "gongkai.core.requests.clock:SILENCE_NAMES"),
    "appeal_kind": ("复议诉讼类别", "gongkai.core.requests.appeals:KINDS"),
    "fee_method": ("收费方式", "gongkai.core.requests.fees:METHODS"),
    "applicant_type": ("申请人类型", "gongkai.core.law.outcomes:APPLICANT_TYPES"),
    "document_state": ("文件状态", "gongkai.core.documents.review:STATE_NAMES"),
    "owner_kind": ("类别", "gongkai.core.matters.digest:LABELS"),
    "unit_level": ("单位层级", "gongkai.core.records.units:LEVELS"),
}

# vocabularies written here: codes no other table names
OWN: dict[str, tuple[str, dict[str, str]]] = {
    "stage": ("审核阶段", {"before": "答复前", "after": "答复后"}),
    "clock_status": ("时限状态", {"open": "未办结", "met": "已办结", "late": "逾期办结", "lapsed": "已届满", "cancelled": "已取消"}),
    "event": ("事项", {
        "receive": "登记申请",
        "reveal": "查看完整证件号码和联系方式",
        "sealed": "加封（记下记录全部内容的摘要）",
        "registered": "登记文件",
        "open": "开立事项",
        "set": "登记数量",
        "record_tallies": "登记考核数据",
        "unit_added": "新增单位",
        "unit_edited": "修改单位信息",
        "database_moved_in": "迁入单位数据库",
        "mail_failed": "提醒邮件未能发出",
        "attach": "添加附件",
        "deliver": "登记送达",
        "confirm_online": "网上申请经确认登记",
        "submit": "提交网上申请",
        "confirm": "确认网上申请",
        "decline": "网上申请不予受理",
        "supplement": "申请人网上补正",
    }),
    "clock": ("时限", {
        "reply": "答复期限",
        "intake": "录入申请平台",
        "correction_notice": "告知补正",
        "correction": "补正期限",
        "third_party_opinion": "第三方提出意见",
        "agency_opinion": "其他机关提出意见",
        "overturned_registration": "登记被纠正的答复",
        "appeal_answer": "复议答复、诉讼答辩及举证",
    }),
}

# a vocabulary that extends another: the event names of the request workflow, the document clocks
EXTENDS: dict[str, tuple[str, ...]] = {
    "event": ("gongkai.core.requests.workflow:EVENT_NAMES",),
    "clock": ("gongkai.core.documents.clocks:CLOCK_NAMES",),
}

REGISTRY_VOCABULARIES = {"outcome": "答复结果", "channel": "提交渠道", "step": "审核步骤", "track": "申请类别",
                         "document_step": "审核环节"}


def _load(target: str) -> dict[str, str]:
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute)
    if isinstance(value, dict):
        items = value.items()
    else:  # a sequence of records with .code and .label
        items = ((v.code, v) for v in value)
    return {code: _text(v) for code, v in items}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if hasattr(value, "label"):
        return value.label
    return value[0]  # (name, ...) tuples


def _from_registry(vocabulary: str, registry: Any) -> dict[str, str]:
    if vocabulary == "outcome":
        return {code: o.name for code, o in registry.outcomes.items()}
    if vocabulary == "channel":
        from gongkai.core.requests.intake import channels

        return {c.channel: c.name for c in channels(registry)}
    if vocabulary == "track":
        from gongkai.core.requests.tracks import names

        return names(registry)
    if vocabulary == "document_step":
        from gongkai.core.documents.review import step_names

        return step_names(registry)
    from gongkai.core.requests.review import chain

    return {s.id: s.name for s in chain(registry).steps}


def vocabulary_name(vocabulary: str) -> str:
    """What the values of ``vocabulary`` are, in Chinese (for messages and help)."""
    if vocabulary in TABLES:
        return TABLES[vocabulary][0]
    if vocabulary in OWN:
        return OWN[vocabulary][0]
    return REGISTRY_VOCABULARIES[vocabulary]


def labels(vocabulary: str, registry: Any = None) -> dict[str, str]:
    """code -> Chinese label for one vocabulary (outcomes, channels and steps need the registry)."""
    if vocabulary in REGISTRY_VOCABULARIES:
        if registry is None:
            raise ValueError(f"the {vocabulary} labels come from a jurisdiction's registry")
        return _from_registry(vocabulary, registry)
    table: dict[str, str] = {}
    for target in EXTENDS.get(vocabulary, ()):
        table.update(_load(target))
    if vocabulary in TABLES:
        table.update(_load(TABLES[vocabulary][1]))
    if vocabulary in OWN:
        table.update(OWN[vocabulary][1])
    return table


def label(vocabulary: str, code: str | None, registry: Any = None) -> str:
    """The Chinese label of ``code``; "" for no code; the code itself only if nothing names it."""
    if not code:
        return ""
    return labels(vocabulary, registry).get(code, code)


def code_of(vocabulary: str, value: str, registry: Any = None, flag: str = "") -> str:
    """The code for ``value``, given as the code or as its Chinese label; else a Chinese error
    that lists the labels."""
    table = labels(vocabulary, registry)
    text = value.strip()
    if text in table:
        return text
    for code, name in table.items():
        if text == name:
            return code
    starting = [code for code, name in table.items() if text and name.startswith(text)]
    if len(starting) == 1:  # an unambiguous beginning: "当面" for 当面提交
        return starting[0]
    # what a label says in its brackets, or the end of it: "直接起诉" for 行政诉讼（未经复议直接起诉）
    inside = [code for code, name in table.items()
              if len(text) >= 2 and "（" in name and name.rstrip("）").split("（", 1)[1].endswith(text)]
    if len(inside) == 1:
        return inside[0]
    where = f"（{flag}）" if flag else ""
    raise GongkaiError(
        f"“{value}”不是有效的{vocabulary_name(vocabulary)}{where}，可选：{'、'.join(table.values())}"
    )
