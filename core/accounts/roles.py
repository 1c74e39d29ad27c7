"""The roles of a unit: the roles its jurisdiction's review chains name, plus the unit's own.

A plugin names a step's role in Chinese (``ReviewStep.role``, ``Attribute.needs_approval_by``);
:data:`ROLE_CODES` gives the usual ones a stable English code for ``--json`` and the database.
A role not in the table (a new plugin's) is its own code. A step whose role is "A、B"
(保密审查员、分管保密工作负责人) is signed by A, with B as the second signer.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from attrs import frozen

from gongkai.core.errors import GongkaiError

ROLE_CODES: dict[str, str] = {
    "承办人": "handler",
    "律师": "lawyer",
    "单位主要负责人": "unit_head",
    "单位主要负责同志": "principal_head",
    "新区政务公开工作机构": "zone_disclosure_office",
    "保密审查员": "secrecy_reviewer",
    "分管保密工作负责人": "secrecy_lead",
    "审查人": "content_reviewer",
    "分管政务公开负责人": "disclosure_lead",
    "信息发布员": "publisher",
    "政务公开工作人员": "disclosure_staff",
    "保密审查人员": "secrecy_staff",
    "本机关负责人": "agency_head",
    "政府信息公开工作机构负责人": "disclosure_office_head",
    "政务公开工作机构": "disclosure_office",
    "文书室": "records_office",
    "本单位政务公开机构": "unit_disclosure_office",
    "本机关保密办": "secrecy_office",
}

HANDLER = "handler"  # 承办人: registers, times and answers requests and documents
UNIT_ADMIN = "unit_admin"
DISTRICT_OFFICE = "district_office"
EXTENSION_APPROVER = "disclosure_office_head"  # 条例 第三十三条: 经政府信息公开工作机构负责人同意

# Roles every unit has, whatever its chains say.
CORE_ROLES: dict[str, str] = {
    HANDLER: "承办人",
    EXTENSION_APPROVER: "政府信息公开工作机构负责人",
    UNIT_ADMIN: "单位管理员",
    DISTRICT_OFFICE: "区政务公开办",
}


@frozen
class Role:
    code: str
    label: str


def role_code(label: str) -> str:
    return ROLE_CODES.get(label, label)


def step_roles(role_text: str) -> tuple[str, ...]:
    """The role codes of a step's signers: "保密审查员、分管保密工作负责人" -> (signer, second signer)."""
    return tuple(role_code(part.strip()) for part in role_text.split("、") if part.strip())


class Catalogue:
    """The roles and actions of one unit's jurisdiction (built from its plugin's rules)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    @cached_property
    def roles(self) -> dict[str, Role]:
        from gongkai.hookspecs.records import DocumentAttributes, ReviewChain

        labels: list[str] = []
        for chain in self.registry.rules_of(ReviewChain):
            for step in chain.steps:
                labels += [p.strip() for p in step.role.split("、") if p.strip()]
                labels += [step.alternate] if step.alternate else []
        for rule in self.registry.rules_of(DocumentAttributes):
            labels += [a.needs_approval_by for a in rule.attributes if a.needs_approval_by]
        out = {code: Role(code, label) for code, label in CORE_ROLES.items() if code == HANDLER}
        for label in labels:
            out.setdefault(role_code(label), Role(role_code(label), label))
        for code, label in CORE_ROLES.items():
            out.setdefault(code, Role(code, label))
        return out

    @cached_property
    def actions(self) -> dict[str, Any]:
        from gongkai.core.accounts.permissions import build_actions

        return build_actions(self)

    def label(self, code: str) -> str:
        role = self.roles.get(code)
        return role.label if role else code

    def role(self, text: str) -> Role:
        """A role by its code or its Chinese label; an unknown one is refused with the list."""
        key = text.strip()
        for role in self.roles.values():
            if key in (role.code, role.label):
                return role
        raise GongkaiError(f"角色“{text}”不存在。本单位可用的角色：{self.listing()}。")

    def listing(self) -> str:
        return "、".join(r.label for r in self.roles.values())


_CATALOGUES: list[Catalogue] = []  # the few most recent (a process has one registry, tests a few)


def catalogue(registry: Any) -> Catalogue:
    """The catalogue of ``registry`` (built once per registry)."""
    for found in _CATALOGUES:
        if found.registry is registry:
            return found
    found = Catalogue(registry)
    _CATALOGUES[:] = [found, *_CATALOGUES[:7]]
    return found
