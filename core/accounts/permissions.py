"""The one permission question: may this actor take this action (on this record)?

Datasette's idea: every request carries one :class:`Actor` (or ``None``), and
:func:`allowed` answers every permission question, for the web views, the templates (to
hide buttons) and the CLI's ``--by``. An action needs one of its roles; a review step also
obeys its chain's separation of duties (nobody approves their own draft or the step they
signed just before), checked by the same functions the workflow uses.
"""

from __future__ import annotations

from typing import Any, Protocol

from attrs import field, frozen

from gongkai.core.accounts.roles import HANDLER, UNIT_ADMIN, Catalogue, role_code, step_roles
from gongkai.core.errors import StepRefused

ANY_ROLE = ()  # an action every account may take (reading)

# Actions outside the review chains: code -> (Chinese label, role codes that may take it).
FIXED_ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "request.register": ("登记申请", (HANDLER,)),
    "request.correct": ("告知补正", (HANDLER,)),
    "request.corrected": ("登记补正", (HANDLER,)),
    "request.pause": ("中止计时", (HANDLER,)),
    "request.resume": ("恢复计时", (HANDLER,)),
    "request.extend": ("延长答复期限", (HANDLER,)),
    "request.extend.approve": ("批准延长答复期限", ("disclosure_office_head",)),  # 条例 第三十三条
    "request.excessive": ("要求说明理由或确定延迟答复期限", (HANDLER,)),
    "request.reply": ("答复申请", (HANDLER,)),
    "request.notice": ("出具书面告知（收到确认、补正、延期、征求意见、收费）", (HANDLER,)),
    "request.amend": ("更正答复", (HANDLER,)),
    "request.reanswer": ("重新办理（复议、诉讼决定责令重新答复）", (HANDLER,)),
    "request.withdraw": ("登记申请人撤回申请", (HANDLER,)),
    "request.edit": ("更正申请登记信息", (HANDLER,)),
    "request.fee": ("核定信息处理费", (HANDLER,)),
    "request.appeal": ("登记行政复议或诉讼", (HANDLER,)),
    "request.abandon": ("认定视为放弃申请", (HANDLER,)),
    "request.close": ("办结归档", (HANDLER,)),
    "request.register_overturned": ("登记被纠正的答复", (HANDLER,)),
    "request.import": ("导入台账", (HANDLER,)),
    # 分办: the unit's administrator or the head of its disclosure office gives a request to a 承办人
    "request.assign": ("分办（确定承办人）", (UNIT_ADMIN, "disclosure_office_head")),
    "request.comment": ("填写办理意见", (HANDLER,)),  # plus the request chain's roles and the office head
    "request.attach": ("添加附件", (HANDLER,)),
    "request.deliver": ("登记送达", (HANDLER,)),
    "request.confirm_online": ("确认或不予受理网上申请", (HANDLER,)),
    "request.reveal": ("显示申请人证件号码和联系方式", (HANDLER,)),  # plus the request chain's roles
    "document.register": ("登记文件", (HANDLER,)),
    "document.publish": ("信息发布", ("publisher",)),  # the publish step's role, where the chain has one
    "document.repeal": ("废止文件", (HANDLER,)),
    "document.reevaluate": ("定期审查公开属性", (HANDLER,)),
    "document.meet": ("办结文件期限", (HANDLER,)),
    "document.attach": ("补充解读材料、附加文件", (HANDLER,)),
    "document.edit": ("修改文件的目录类别", (HANDLER,)),
    "duty.record": ("登记例行工作办理情况", (HANDLER,)),
    "newmedia.account": ("登记政务新媒体账号开通、注销", (HANDLER,)),
    "official.grade": ("登记人员年度考核等次", (HANDLER,)),
    "document.decisions": ("登记年度决定数", (HANDLER,)),
    "matter.open": ("开立时限事项", (HANDLER,)),
    "matter.close": ("办结时限事项", (HANDLER,)),
    "user.manage": ("管理账户", (UNIT_ADMIN,)),
    "unit.contact": ("设置公开指南的联系方式", (UNIT_ADMIN, HANDLER)),  # 条例 第十二条
    "report.publish": ("公布年度报告", (HANDLER,)),  # 条例 第四十九条
    "view": ("查看", ANY_ROLE),
}


@frozen
class Action:
    code: str
    label: str
    roles: tuple[str, ...]  # any one of them suffices; () = any account
    step: str | None = None  # the review step it signs (separation of duties applies)


@frozen
class Actor:
    """Who acts: an active account, with the catalogue of its unit's roles."""

    name: str
    display_name: str
    roles: frozenset[str]
    catalogue: Catalogue = field(eq=False, repr=False)
    # 区政务公开办 reading another unit: it may look at everything there and take no action
    reading: bool = field(default=False, kw_only=True)

    @property
    def role_labels(self) -> list[str]:
        return [self.catalogue.label(c) for c in sorted(self.roles)]

    @property
    def title(self) -> str:
        """How the actor is named in messages: display name and login name."""
        return f"{self.display_name}（{self.name}）" if self.display_name and self.display_name != self.name else self.name


@frozen
class Decision:
    ok: bool
    reason: str = ""  # Chinese; empty when allowed

    def __bool__(self) -> bool:
        return self.ok


class Forbidden(StepRefused):
    """An action the actor's roles (or the chain's separation of duties) do not allow."""


class Record(Protocol):
    """What a permission question knows of one request or document."""

    def conflict(self, step_id: str, name: str) -> str | None:
        """Why ``name`` may not sign ``step_id`` under the chain's separation of duties."""


def build_actions(catalogue: Catalogue) -> dict[str, Action]:
    """Every action of the unit: the fixed ones and one per review step of its chains."""
    from gongkai.core.documents.review import PUBLISH_STEP
    from gongkai.hookspecs.records import DocumentAttributes, ReviewChain

    registry = catalogue.registry
    chains = {c.id: c for c in registry.rules_of(ReviewChain)}
    out = {code: Action(code, label, roles) for code, (label, roles) in FIXED_ACTIONS.items()}
    request_roles: set[str] = set()
    for chain in chains.values():
        for step in chain.steps:
            signer, *second = step_roles(step.role)
            if chain.workflow == "request":
                code = f"request.review:{step.id}"
                request_roles.add(signer)
            elif step.id == PUBLISH_STEP:
                out["document.publish"] = Action("document.publish", step.name, (signer,), step.id)
                continue
            else:
                code = f"document.review:{step.id}"
            # the alternate signs where its condition holds (西咸新区 附件2), stating it (document review --as)
            alternate = (role_code(step.alternate),) if step.alternate else ()
            out.setdefault(code, Action(code, step.name, (signer, *alternate), step.id))
            if second:
                cosign = f"{code}.head"
                out.setdefault(cosign, Action(cosign, f"{step.name}（{catalogue.label(second[0])}签字）", (second[0],), step.id))
    approvers = tuple(dict.fromkeys(
        step_roles(a.needs_approval_by)[0]
        for rule in registry.rules_of(DocumentAttributes) for a in rule.attributes
        if a.needs_approval_by and not a.needs_public_version
    ))
    if approvers:
        from gongkai.core.documents.review import ATTRIBUTE_STEP

        code = f"document.review:{ATTRIBUTE_STEP}"
        out[code] = Action(code, "审查同意公开属性", approvers, ATTRIBUTE_STEP)
    declassifiers = tuple(dict.fromkeys(
        step_roles(a.needs_approval_by)[0]
        for rule in registry.rules_of(DocumentAttributes) for a in rule.attributes
        if a.needs_approval_by and a.needs_public_version
    ))
    if declassifiers:  # 脱密后公开: the secrecy office confirms the public version
        out["document.declassify"] = Action("document.declassify", "审核确认脱密后公开的文稿", declassifiers)
    comment = out["request.comment"]
    out["request.comment"] = Action(comment.code, comment.label, tuple(dict.fromkeys(
        (*comment.roles, *sorted(request_roles), "disclosure_office_head"))))
    reveal = out["request.reveal"]
    out["request.reveal"] = Action(reveal.code, reveal.label, tuple(dict.fromkeys((*reveal.roles, *sorted(request_roles)))))
    return out


def signing_capacity(registry: Any, step_id: str, roles: frozenset[str] | set[str] | list[str]) -> str:
    """The capacity an account holding ``roles`` signs a document's ``step_id`` in: the step's
    alternate role where it holds that and not the step's own (西咸新区 附件2 备注: 分管政务公开领导
    for items of the unit's 事项目录), else "" (the step's own role)."""
    from gongkai.core.documents.review import PROACTIVE_CHAIN
    from gongkai.hookspecs.records import ReviewChain

    chain = registry.find(PROACTIVE_CHAIN, ReviewChain)
    step = next((s for s in chain.steps if s.id == step_id), None) if chain else None
    if step is None or not step.alternate:
        return ""
    held = set(roles)
    return step.alternate if role_code(step.alternate) in held and step_roles(step.role)[0] not in held else ""


def _labels(catalogue: Catalogue, roles: tuple[str, ...]) -> str:
    return "或".join(f"“{catalogue.label(r)}”" for r in roles)


def allowed(actor: Actor | None, action: str | Action, record: Record | None = None) -> Decision:
    """Whether ``actor`` may take ``action`` (on ``record``), and if not, why (in Chinese)."""
    if actor is None:
        return Decision(False, "请先登录。")
    found = action if isinstance(action, Action) else actor.catalogue.actions.get(action)
    if found is None:
        return Decision(False, f"本单位没有“{action}”这项操作。")
    if actor.reading and found.roles:
        return Decision(False, f"{actor.title}是区政务公开办的账户，在本单位只能查看，不能办理“{found.label}”。")
    if found.roles and not actor.roles.intersection(found.roles):
        return Decision(False, f"{actor.title}没有{_labels(actor.catalogue, found.roles)}角色，不能办理“{found.label}”。"
                               f"请由具有该角色的人员办理，或请单位管理员为其添加角色。")
    if not found.roles and not actor.roles:
        return Decision(False, f"{actor.title}尚未被授予任何角色，不能{found.label}。")
    if record is not None and found.step is not None:
        conflict = record.conflict(found.step, actor.name)
        if conflict:
            return Decision(False, conflict)
    return Decision(True)


def require(actor: Actor | None, action: str | Action, record: Record | None = None) -> None:
    """:func:`allowed`, raising :class:`Forbidden` with its reason when refused."""
    decision = allowed(actor, action, record)
    if not decision:
        raise Forbidden(decision.reason)


@frozen
class RequestRecord:
    """A request as a permission question sees it: who approved which step of its chain."""

    id: int
    chain: Any
    signed: dict[str, str]  # step id -> approver

    def conflict(self, step_id: str, name: str) -> str | None:
        from gongkai.core.requests.review import self_approval_conflict

        try:
            step = self.chain.step(step_id)
        except KeyError:
            return None
        return self_approval_conflict(self.chain, self.signed, step, name)


@frozen
class DocumentRecord:
    """A document as a permission question sees it: its route and who signed each step."""

    id: int
    steps: list[Any]
    signed: dict[str, set[str]]

    def conflict(self, step_id: str, name: str) -> str | None:
        from gongkai.core.documents.review import self_approval_conflict

        if step_id not in {rs.step.id for rs in self.steps}:
            return None
        return self_approval_conflict(self.steps, self.signed, step_id, name)


def request_record(session: Any, registry: Any, request: Any, approvals: dict[str, Any] | None = None) -> RequestRecord:
    """``approvals``: the request's :func:`gongkai.core.requests.review.approvals`, if already read."""
    from gongkai.core.requests import review

    done = review.approvals(session, request.id) if approvals is None else approvals
    return RequestRecord(request.id, review.chain(registry), {k: a.actor for k, a in done.items()})


def document_record(session: Any, registry: Any, doc: Any) -> DocumentRecord:
    from gongkai.core.documents import review

    done = review.latest(review.reviews_of(session, doc.id))
    return DocumentRecord(doc.id, review.route(registry, doc), {k: review.signers(r) for k, r in done.items()})
