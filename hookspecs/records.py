"""The typed records that hooks return (cf. conda's ``plugins/types.py``).

Every record is a small frozen attrs class that validates itself when it is built, so a
plugin with a malformed rule fails at load time with the field named, not later in a
workflow. Rule records share the base :class:`Rule`: a stable ``id`` from
``spec/rules.md``, a one-line ``summary`` and the ``citation`` it comes from.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, ClassVar

import attrs
from attrs import field, frozen

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _rule_id(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if not isinstance(value, str) or not _RULE_ID.match(value):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: {value!r} is not a rule ID "
            "(lower-case words joined by dots, e.g. 'request.reply')"
        )


def _non_empty(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not value:
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must not be empty")


def _non_negative(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must not be negative")


def _as_tuple(value: Any) -> tuple:
    return tuple(value) if value is not None else ()


# What a step or a period no text sets is shown as: the unit's own rule, not law.
UNIT_PRACTICE = "本单位规定"

# The levels of unit a duty can be charged to (gongkai.core.records.units.LEVELS has their
# Chinese names). "government" stands for the government and its office (政府办公室), the
# body the texts give the government's own disclosure duties to.
UNIT_LEVELS = ("department", "street", "government")


def _levels(instance: Any, attribute: attrs.Attribute, value: tuple) -> None:
    unknown = [v for v in value if v not in UNIT_LEVELS]
    if unknown:
        raise ValueError(f"{type(instance).__name__}.{attribute.name}: {unknown!r} not among {UNIT_LEVELS!r}")


def _bearers() -> Any:
    """``borne_by``: the unit levels whose units the duty is charged to; () every unit."""
    return field(converter=_as_tuple, default=(), validator=_levels)

# --------------------------------------------------------------------------- citations


@frozen
class Citation:
    """Where a rule comes from: a document and the article/item within it.

    ``str(Citation("条例", "第三十三条"))`` is ``"条例 第三十三条"``.
    """

    document: str = field(validator=_non_empty)
    article: str = ""

    def __str__(self) -> str:
        return f"{self.document} {self.article}".strip()


def cite(document: str, article: str = "") -> Citation:
    """Shorthand used by the rule tables: ``cite("条例", "第三十三条")``."""
    return Citation(document, article)


def _to_citation(value: Any) -> Citation:
    if isinstance(value, Citation):
        return value
    if isinstance(value, str) and value.strip():
        return Citation(value.strip())
    raise ValueError(f"citation must be a Citation or a non-empty string, not {value!r}")


# --------------------------------------------------------------------------- jurisdiction


@frozen
class SourceDocument:
    """A regulation text a jurisdiction encodes (one file of ``shared/regulations``)."""

    key: str  # short name used in citations, e.g. "管理办法"
    title: str  # full Chinese title


@frozen(kw_only=True)
class Jurisdiction:
    """Metadata of a jurisdiction plugin. ``name`` matches its entry-point name."""

    name: str = field()
    display_name: str = field(validator=_non_empty)  # Chinese name, e.g. "长宁区"
    sources: tuple[SourceDocument, ...] = field(converter=_as_tuple, default=())
    reconsideration_body: str = ""  # default body hearing 行政复议 (行政复议法 第二十四条)
    superior_office: str = ""  # the disclosure office reports and filings go to

    @name.validator
    def _check_name(self, attribute: attrs.Attribute, value: str) -> None:
        if not isinstance(value, str) or not _NAME.match(value):
            raise ValueError(f"Jurisdiction.name {value!r} must be lower-case ASCII, e.g. 'changning'")


# --------------------------------------------------------------------------- rules


@frozen(kw_only=True)
class Rule:
    """Base of every rule record: a stable ID, a summary and a citation."""

    kind: ClassVar[str] = "provision"

    id: str = field(validator=_rule_id)
    summary: str = field(validator=_non_empty)
    citation: Citation = field(converter=_to_citation)

    def parameters(self) -> dict[str, Any]:
        """The rule's own fields, JSON-ready, for the ``rules`` listing."""
        data = attrs.asdict(self, recurse=True, value_serializer=_json_value)
        for key in ("id", "summary", "citation"):
            data.pop(key)
        return data


def _json_value(inst: Any, field: Any, value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Citation):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Unit(str, enum.Enum):
    """How a deadline is counted."""

    WORKING_DAYS = "working_days"  # 工作日, on the PRC calendar
    CALENDAR_DAYS = "calendar_days"  # 日 / 自然日
    # 日, a period whose last day falls on a rest day ending on the next working day
    # (行政诉讼法 第一百零一条 with 民事诉讼法 第八十五条: 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期)
    CALENDAR_DAYS_ROLLING = "calendar_days_roll"
    MONTHS = "months"  # 个月
    HOURS = "hours"  # 小时
    MINUTES = "minutes"  # 分钟
    ANNUAL_DATE = "annual_date"  # a fixed date each year, e.g. 1月31日

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]

    @property
    def is_timed(self) -> bool:
        """Hour and minute rules run on the clock, not the calendar."""
        return self in (Unit.HOURS, Unit.MINUTES)


_UNIT_LABELS = {
    Unit.WORKING_DAYS: "个工作日",
    Unit.CALENDAR_DAYS: "日",
    Unit.CALENDAR_DAYS_ROLLING: "日",
    Unit.MONTHS: "个月",
    Unit.HOURS: "小时",
    Unit.MINUTES: "分钟",
    Unit.ANNUAL_DATE: "",
}


class Silence(str, enum.Enum):
    """What a consulted party's silence means when its answer period lapses."""

    AGENCY_DECIDES = "agency_decides"  # 条例 第三十二条: 逾期未提出意见的，由行政机关依照本条例的规定决定
    CONSENT = "consent"  # 条例 第三十四条: 逾期未提出意见的视为同意
    REFUSAL = "refusal"  # e.g. 五原县: 逾期未答复的视为不同意公开


@frozen(kw_only=True)
class DeadlineRule(Rule):
    """A period that ends in a due date.

    ``amount`` of ``unit`` after the triggering event (day 0 is the event's day).
    ``limit`` is a hard limit in the same unit where the text sets a target and a
    ceiling (长宁区: 10 working days, at most 20). ``pausable`` rules exclude
    consultation time; ``restarts`` rules start again on a corrected request.
    For an extension rule, ``amount`` is the largest extension and ``max_count`` how
    often it may be granted. ``ANNUAL_DATE`` rules fall on ``month``/``day`` of the
    event's year plus ``year_offset`` (an annual report is due the year after).
    """

    kind: ClassVar[str] = "deadline"

    unit: Unit = field(converter=Unit)
    amount: int = field(default=0, validator=_non_negative)
    limit: int | None = field(default=None, validator=_non_negative)
    pausable: bool = False
    # a consultation rule (征求意见) whose period does not stop the reply clock: the text provides
    # no pause for it (五原县 依申请公开制度 六, beside 五's pause for 不可抗力 only)
    runs_alongside: bool = False
    restarts: bool = False
    max_count: int | None = None
    on_silence: Silence | None = field(default=None, converter=attrs.converters.optional(Silence))
    month: int | None = None
    day: int | None = None
    year_offset: int = 0
    # The text sets no number ("及时", "在要求的时限内"): ``amount`` is a default the unit may
    # change (gongkai.toml ``[unit_practice.periods]``), shown as 本单位规定.
    unit_practice: bool = False
    # Whose duty a fixed-date rule (an annual report) is: see RecurringDuty.
    borne_by: tuple[str, ...] = _bearers()
    unit_flag: str = ""
    # a further clock of a matter that runs only where the text's condition holds (长宁区 第三十三条:
    # 造成重大人员伤亡或者社会影响较大的), opened only when the matter is said to meet it
    condition: str = ""

    def __attrs_post_init__(self) -> None:
        if self.unit is Unit.ANNUAL_DATE:
            if self.month is None or self.day is None:
                raise ValueError(f"DeadlineRule {self.id}: an annual_date rule needs month and day")
            dt.date(2000, self.month, self.day)  # validates the day of the month
        elif self.amount <= 0:
            raise ValueError(f"DeadlineRule {self.id}: amount must be positive")
        if self.limit is not None and self.limit < self.amount:
            raise ValueError(f"DeadlineRule {self.id}: limit {self.limit} is below the target {self.amount}")

    def describe(self) -> str:
        """Chinese wording of the period, e.g. "10个工作日（最长20个工作日）"."""
        if self.unit is Unit.ANNUAL_DATE:
            year = {0: "当年", 1: "次年"}.get(self.year_offset, f"{self.year_offset}年后")
            return f"{year}{self.month}月{self.day}日前"
        text = f"{self.amount}{self.unit.label}"
        if self.unit is Unit.CALENDAR_DAYS_ROLLING:
            text += "（期间届满的最后一日为法定休假日的，顺延至其后的第一个工作日）"
        if self.limit is not None:
            text += f"（最长{self.limit}{self.unit.label}）"
        if self.unit_practice:
            text += f"（{UNIT_PRACTICE}）"
        return text


# --------------------------------------------------------------------------- review steps


@frozen(kw_only=True)
class ReviewStep:
    """One step of a review (clearance) chain.

    ``stage`` is ``"before"`` (must be done before the reply/publication) or
    ``"after"`` (follows it, e.g. 备案). ``outcomes`` limits the step to outcome codes
    starting with one of these prefixes (empty: every outcome). ``deadline`` names a
    :class:`DeadlineRule` that times the step. ``opinions`` are the allowed opinions
    and ``checklist`` the items a reviewer confirms. ``approval`` marks the approval of
    the reply the text itself requires (西咸新区: 主要负责同志审批); ``unit_practice`` marks
    a step no text requires, the unit's own practice (``[unit_practice]`` in gongkai.toml),
    shown as 本单位规定 and never with a citation.
    """

    id: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)  # Chinese, e.g. "律师审核"
    role: str = field(validator=_non_empty)  # Chinese role, e.g. "律师"
    stage: str = field(default="before", validator=attrs.validators.in_(("before", "after")))
    outcomes: tuple[str, ...] = field(converter=_as_tuple, default=())
    deadline: str | None = None
    opinions: tuple[str, ...] = field(converter=_as_tuple, default=())
    escalate_on: str | None = None  # an opinion that sends the item up (e.g. "需报审")
    checklist: tuple[str, ...] = field(converter=_as_tuple, default=())
    citation: Citation | None = field(default=None, converter=attrs.converters.optional(_to_citation))
    approval: bool = False
    unit_practice: bool = False
    # request tracks (RequestTrack.track) the step is not for: their outcomes are "<track>.…"
    # (五原县's 党务公开 applications pass no review of government information)
    not_on_tracks: tuple[str, ...] = field(converter=_as_tuple, default=())
    # checklist items an approval of the step attests (西咸新区 第二十条（二）: what is approved has
    # none of the faults reviewed), ticked on the form once it is approved
    attested: tuple[str, ...] = field(converter=_as_tuple, default=())
    # another role that may sign the step where a condition holds (西咸新区 附件2 备注: 列入本单位
    # 《政务公开事项目录》由分管政务公开领导审批): the signer says so (`document review --as`), the form prints it
    alternate: str = ""  # Chinese role, e.g. "分管政务公开领导"
    alternate_when: str = ""  # Chinese condition, e.g. "列入本单位《政务公开事项目录》的"

    def __attrs_post_init__(self) -> None:
        if self.unit_practice and self.citation is not None:
            raise ValueError(f"ReviewStep {self.id}: a step of the unit's own practice cites no text")
        if bool(self.alternate) != bool(self.alternate_when):
            raise ValueError(f"ReviewStep {self.id}: an alternate signer needs the condition it signs under, and the reverse")

    def alternate_basis(self) -> str:
        """What a signature in the alternate role states, on the record and the form."""
        return f"{self.alternate_when.removesuffix('的')}，由{self.alternate}审批"

    @property
    def basis(self) -> str:
        """Where the step comes from, as shown to people: its citation, or 本单位规定."""
        return UNIT_PRACTICE if self.unit_practice else str(self.citation or "")

    def applies_to(self, outcome: str | None) -> bool:
        """Whether this step is required for a reply with ``outcome`` (None: not yet known)."""
        if outcome and any(outcome.startswith(track + ".") for track in self.not_on_tracks):
            return False
        if not self.outcomes:
            return True
        if outcome is None:
            return False
        return any(outcome == p or outcome.startswith(p + ".") for p in self.outcomes)


@frozen(kw_only=True)
class ReviewChain(Rule):
    """The ordered clearance steps of a workflow (``request``, ``proactive`` or ``document``).

    Steps run in order; nobody may approve a step they did the step before of.
    """

    kind: ClassVar[str] = "review_chain"

    workflow: str = field(validator=attrs.validators.in_(("request", "proactive", "document")))
    steps: tuple[ReviewStep, ...] = field(converter=_as_tuple, validator=_non_empty)

    def __attrs_post_init__(self) -> None:
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError(f"ReviewChain {self.id}: duplicate step IDs {ids}")

    def step(self, step_id: str) -> ReviewStep:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


# --------------------------------------------------------------------------- exemptions


@frozen(kw_only=True)
class Exemption:
    """One ground for withholding, mapped to the outcome (annual-report row) it produces."""

    code: str = field(validator=_non_empty)
    name: str = field(validator=_non_empty)  # Chinese
    outcome: str = field(validator=_non_empty)  # an outcome code, e.g. "withheld.state_secret"
    mandatory: bool = True  # True: 不得公开; False: 可以不予公开
    overrides: str = ""  # when it yields, e.g. "第三方同意公开或者不公开会对公共利益造成重大影响的"
    citation: Citation | None = field(default=None, converter=attrs.converters.optional(_to_citation))


@frozen(kw_only=True)
class ExemptionList(Rule):
    """The grounds a jurisdiction may withhold information on."""

    kind: ClassVar[str] = "exemptions"

    items: tuple[Exemption, ...] = field(converter=_as_tuple, validator=_non_empty)


# --------------------------------------------------------------------------- scoring


@frozen(kw_only=True)
class FindingUnit:
    """Points per finding of one type within a rubric category."""

    id: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)
    points: float = field(validator=_non_negative)
    # Facts the system counts itself into this finding (``assess score --from-records``):
    # "request.late_reply", "request.overturned", "mailbox.late_reply".
    records: tuple[str, ...] = field(converter=_as_tuple, default=())


@frozen(kw_only=True)
class RubricCategory:
    """A rubric line: ``kind`` is ``deduction`` (per finding, from ``base``),
    ``bonus`` (added per instance) or ``activity`` (points per activity held).
    ``cap`` bounds what the category can deduct or award (None: set case by case).
    ``base`` is the allotment a deduction category starts from (None: its ``cap``).
    """

    id: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)
    kind: str = field(validator=attrs.validators.in_(("deduction", "bonus", "activity")))
    cap: float | None = field(default=None, validator=_non_negative)
    base: float | None = field(default=None, validator=_non_negative)
    units: tuple[FindingUnit, ...] = field(converter=_as_tuple, default=())
    bonus_units: tuple[FindingUnit, ...] = field(converter=_as_tuple, default=())
    note: str = ""


@frozen(kw_only=True)
class Rubric(Rule):
    """A scoring rubric (e.g. 西咸新区 附件1)."""

    kind: ClassVar[str] = "rubric"

    categories: tuple[RubricCategory, ...] = field(converter=_as_tuple, validator=_non_empty)
    total: float = 100.0


@frozen(kw_only=True)
class GradeBand:
    """A grade from ``minimum`` (inclusive) up to ``below`` (exclusive; None: no top)."""

    name: str = field(validator=_non_empty)
    minimum: float | None = None
    below: float | None = None

    def contains(self, score: float) -> bool:
        return (self.minimum is None or score >= self.minimum) and (self.below is None or score < self.below)


@frozen(kw_only=True)
class GradeScale(Rule):
    """Grade bands over a total score (e.g. 五原县: 优秀/良好/合格/不合格)."""

    kind: ClassVar[str] = "grade_scale"

    bands: tuple[GradeBand, ...] = field(converter=_as_tuple, validator=_non_empty)

    def grade(self, score: float) -> str:
        for band in self.bands:
            if band.contains(score):
                return band.name
        raise ValueError(f"{self.id}: no band holds {score}")


@frozen(kw_only=True)
class CompositeScheme(Rule):
    """How assessment kinds combine: ``weights`` maps kind → share (summing to 1)."""

    kind: ClassVar[str] = "composite"

    weights: tuple[tuple[str, float], ...] = field(converter=lambda v: tuple(tuple(p) for p in (v.items() if isinstance(v, dict) else v)))
    not_carried: str = "average"  # an item a unit does not carry takes the others' average

    def __attrs_post_init__(self) -> None:
        if abs(sum(w for _, w in self.weights) - 1.0) > 1e-9:
            raise ValueError(f"CompositeScheme {self.id}: weights must sum to 1")


# --------------------------------------------------------------------------- other rule shapes


@frozen(kw_only=True)
class Attribute:
    """A disclosure attribute a document may carry (主动公开, 依申请公开, ...)."""

    code: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)
    needs_reason: bool = False
    needs_public_version: bool = False  # 脱密后公开: internal and declassified versions
    needs_approval_by: str = ""  # e.g. "政务公开工作机构"


@frozen(kw_only=True)
class DocumentAttributes(Rule):
    """The attributes set when a document is drafted, and what a missing one costs."""

    kind: ClassVar[str] = "document_attributes"

    attributes: tuple[Attribute, ...] = field(converter=_as_tuple, validator=_non_empty)
    requires_interpretation: bool = False  # policy documents come with interpretation material
    on_missing: str = ""  # what happens to a draft without attribute/reason, e.g. "退文"


class Period(str, enum.Enum):
    """How often a recurring duty falls due."""

    TWO_WEEKS = "two_weeks"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


@frozen(kw_only=True)
class RecurringDuty(Rule):
    """An obligation that recurs: ``times`` per ``period`` (at least), or ``hours`` of it.

    ``dates`` pins it to fixed (month, day) dates in the year where the text does; ``rolling``
    counts each occurrence from the last one done (a gap), where the text does.
    ``borne_by`` names the unit levels (:data:`UNIT_LEVELS`) the text gives it to, () every
    unit; ``unit_flag`` narrows it to units flagged so (``gongkai unit edit --flag``), where
    the text names a kind of unit no level marks (雁塔区 第26项: 与宏观经济和社会民生关系密切…的政府部门).
    """

    kind: ClassVar[str] = "duty"

    period: Period = field(converter=Period)
    times: int = 1
    hours: int | None = None
    dates: tuple[tuple[int, int], ...] = field(converter=lambda v: tuple(tuple(p) for p in v), default=())
    what: str = ""  # Chinese label for calendars, e.g. "政务公开专项督查"
    borne_by: tuple[str, ...] = _bearers()
    unit_flag: str = ""  # Chinese, e.g. "保密行政管理部门"
    # each occurrence is due one ``period`` after the one before, not inside calendar periods: the
    # text counts a gap (五原县 政务新媒体 第十三条: 超过一个月不发布信息的…说明原因); ``times`` is 1
    rolling: bool = False


@frozen(kw_only=True)
class TriggeredDuty(Rule):
    """An obligation each time something happens: ``action`` follows every ``trigger``
    (长宁区 第五十八条: 人员发生变动的…第一时间向区政府办公室备案). ``when`` is the text's own
    word for how soon (no number where the text gives none)."""

    kind: ClassVar[str] = "triggered_duty"

    trigger: str = field(validator=_non_empty)  # Chinese, e.g. "人员变动"
    action: str = field(validator=_non_empty)  # Chinese, e.g. "向区政府办公室备案"
    when: str = ""  # e.g. "第一时间"
    borne_by: tuple[str, ...] = _bearers()
    unit_flag: str = ""


@frozen(kw_only=True)
class AccountLimit(Rule):
    """How many accounts of each platform a unit may open, and whom it files with before
    opening one (五原县 政务新媒体 第八条: 政务微博、政务微信公众号各1个，须提前报备)."""

    kind: ClassVar[str] = "account_limit"

    limits: tuple[tuple[str, int], ...] = field(
        converter=lambda v: tuple((str(k), int(n)) for k, n in dict(v).items()), validator=_non_empty)
    file_with: str = field(validator=_non_empty)  # e.g. "县委宣传部、网信办和县政务公开领导小组办公室"
    # whether a platform the limits do not name may be opened (filed first, as every account);
    # False: only the named platforms
    other_platforms: bool = False

    def limit_of(self, platform: str) -> int | None:
        return dict(self.limits).get(platform)


@frozen(kw_only=True)
class GradeRestriction(Rule):
    """A grade an official may not receive in a year without the training that ``training``
    (a :class:`RecurringDuty` id) records, attended and passed (五原县 培训制度 四:
    未参加学习培训和考试不合格的公务员，当年考核不能评为优秀等次)."""

    kind: ClassVar[str] = "grade_restriction"

    grade: str = field(validator=_non_empty)  # e.g. "优秀"
    training: str = field(validator=_rule_id)


@frozen(kw_only=True)
class LeadTime(Rule):
    """A minimum span: ``before`` an event (notice) or ``open`` for at least (comment period)."""

    kind: ClassVar[str] = "lead_time"

    unit: Unit = field(converter=Unit)
    amount: int = field(validator=_non_negative)
    relation: str = field(validator=attrs.validators.in_(("before", "open")))


@frozen(kw_only=True)
class MinimumCount(Rule):
    """A floor on a number: representatives at a hearing, a weight, inspections a year."""

    kind: ClassVar[str] = "minimum"

    minimum: float
    of: str = field(validator=_non_empty)  # what is counted, in Chinese


@frozen(kw_only=True)
class ChannelReceipt:
    """Which date counts as receipt for one submission channel (条例 第三十一条)."""

    channel: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)
    received_on: str = field(validator=attrs.validators.in_(("submitted", "confirmed")))


@frozen(kw_only=True)
class ReceiptRule(Rule):
    """The receipt date of a request per channel."""

    kind: ClassVar[str] = "receipt"

    channels: tuple[ChannelReceipt, ...] = field(converter=_as_tuple, validator=_non_empty)


@frozen(kw_only=True)
class FeeBand:
    """``price`` 元 per request/page from ``first`` to ``last`` (None: open-ended).

    ``step_every``/``step_price`` make an open band grow: +``step_price`` per further
    ``step_every`` items (国办函〔2020〕109号: from the 31st request, each further 10 add 100元).
    """

    first: int
    last: int | None
    price: int
    step_every: int | None = None
    step_price: int = 0


@frozen(kw_only=True)
class FeeSchedule(Rule):
    """An information-processing fee: per request in a calendar month, or per page."""

    kind: ClassVar[str] = "fee"

    per_request: tuple[FeeBand, ...] = field(converter=_as_tuple, default=())
    per_page: tuple[FeeBand, ...] = field(converter=_as_tuple, default=())


@frozen(kw_only=True)
class FormField:
    """A field of a printed form; ``options`` for checkboxes."""

    name: str = field(validator=_non_empty)
    options: tuple[str, ...] = field(converter=_as_tuple, default=())
    signatures: tuple[str, ...] = field(converter=_as_tuple, default=())


@frozen(kw_only=True)
class FormSpec(Rule):
    """A form a regulation prescribes, field by field (e.g. 西咸新区政务信息公开审批表)."""

    kind: ClassVar[str] = "form"

    title: str = field(validator=_non_empty)
    fields: tuple[FormField, ...] = field(converter=_as_tuple, validator=_non_empty)
    template: str = ""  # template file name in the plugin's template directory


@frozen(kw_only=True)
class Provision(Rule):
    """A rule with no numbers for an engine to run, kept so it is listed and cited.

    ``options`` holds any fixed choices the text names (e.g. 满意/基本满意/不满意).
    """

    options: tuple[str, ...] = field(converter=_as_tuple, default=())


@frozen(kw_only=True)
class InterpretationRule(Provision):
    """Which documents must come with interpretation material (解读方案、解读材料), and
    what happens to one without it (``on_missing``, e.g. "不予收文").

    ``document_kinds`` are document kinds (规章, 行政规范性文件, ...) that always need it;
    ``major_policy`` adds documents flagged as major policy documents (重要政策文件);
    ``published`` makes every document to be proactively published need it;
    ``government_issued`` narrows the rule to documents issued in the government's name
    (以本级政府名义印发). ``material`` names what must be attached. ``refused_at`` is where a
    document without it is stopped: ``"registration"`` (报审时不予收文) or the id of the review
    step that may not approve it (e.g. ``"approval"``); publication is refused in either case.
    ``government_refused_at``, where set, is where a document issued in the government's name
    (or needing its consent) is stopped instead, and ``on_missing`` is said of that path only
    (五原县 第四条（二）: 县政府办不予收文; a department's own document goes to its principal head).
    """

    kind: ClassVar[str] = "interpretation"

    document_kinds: tuple[str, ...] = field(converter=_as_tuple, default=())
    major_policy: bool = False
    published: bool = False
    government_issued: bool = False
    material: str = "解读方案和解读材料"
    refused_at: str = field(default="approval", validator=_rule_id)
    government_refused_at: str = field(default="", validator=lambda i, a, v: v == "" or _rule_id(i, a, v))
    on_missing: str = ""

    def stopped_at(self, government_issued: bool = False) -> str:
        """Where a document without the material is stopped (besides publication)."""
        return self.government_refused_at if government_issued and self.government_refused_at else self.refused_at

    def consequence_applies(self, government_issued: bool = False) -> bool:
        """Whether ``on_missing`` (e.g. 不予收文) is what happens to this document."""
        return not self.government_refused_at or government_issued

    def applies_to(self, document_kind: str, major_policy: bool = False, government_issued: bool = False) -> bool:
        if self.government_issued and not government_issued:
            return False
        return self.published or document_kind in self.document_kinds or (self.major_policy and major_policy)


# --------------------------------------------------------------------------- outcomes


@frozen(kw_only=True)
class Outcome:
    """A way a request can end. ``report_row`` is the annual-report row it counts in
    (a code of :data:`gongkai.core.law.outcomes.REPORT_ROWS`); ``template`` the letter."""

    code: str = field(validator=_rule_id)
    name: str = field(validator=_non_empty)  # Chinese
    report_row: str = field(default="", validator=lambda i, a, v: v == "" or _rule_id(i, a, v))  # "": not counted
    basis: Citation | None = field(default=None, converter=attrs.converters.optional(_to_citation))
    template: str = ""  # letter template name; default: "<code>.md.j2"
    withholds: bool = False  # a refusal to disclose (不予公开): reconsideration comes first (行政复议法 第二十三条)
    letter: bool = True  # False: recorded by its own step with no reply letter (a withdrawal)
    track: str = ""  # the RequestTrack it ends; "" for government-information requests


@frozen(kw_only=True)
class RequestTrack(Rule):
    """A kind of application a jurisdiction handles besides 政府信息公开 under the 条例 (五原县:
    党务公开 under Party rules). A request registered on the track is timed by the track's own
    rules where it has them (``rules``: national rule ID -> the track's rule ID), ends with the
    outcomes whose ``track`` is ``track``, and its letter states ``remedy`` instead of
    行政复议 and 行政诉讼. It is counted in the 条例's annual report only if ``in_annual_report``."""

    kind: ClassVar[str] = "request_track"

    track: str = field(validator=_rule_id)  # the code, e.g. "party"
    name: str = field(validator=_non_empty)  # e.g. 党务公开申请
    rules: tuple[tuple[str, str], ...] = field(converter=lambda v: tuple(dict(v).items()), default=())
    remedy: str = field(validator=_non_empty)
    letter_title: str = field(validator=_non_empty)
    in_annual_report: bool = False

    def rule_for(self, rule_id: str) -> str:
        """The track's rule standing in for a national rule ID (the ID itself if none does)."""
        return dict(self.rules).get(rule_id, rule_id)


# --------------------------------------------------------------------------- calendar and templates


@frozen(kw_only=True)
class CalendarAdjustment:
    """A local change to the working-day calendar (e.g. a city-wide day off)."""

    date: dt.date = field(converter=lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v)
    workday: bool
    name: str = ""
    citation: Citation | None = field(default=None, converter=attrs.converters.optional(_to_citation))


def _field_name(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value or ""):
        raise ValueError(f"{attribute.name} must be lower-case letters, digits and _ (a form field name), not {value!r}")


@frozen
class ApplicationField:
    """A field a jurisdiction adds to the public application form (/apply).

    ``name`` is the form field's name (it must not be one of core's own fields); ``label`` the
    Chinese label shown; ``kind`` is ``text`` or ``choice`` (then ``choices``, the Chinese
    options). What the applicant enters is stored with the application under the log and shown
    to staff.

    Example: ``ApplicationField(name="purpose", label="申请用途", required=True,
    citation=cite("某区依申请公开办法", "第八条"))``.
    """

    name: str = field(validator=_field_name)
    label: str = field(validator=_non_empty)
    required: bool = False
    kind: str = field(default="text", validator=attrs.validators.in_(("text", "choice")))
    choices: tuple[str, ...] = field(converter=_as_tuple, default=())
    citation: Citation | None = field(default=None, converter=attrs.converters.optional(_to_citation))
    hint: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"application field {self.name}: choices are given for kind choice, and only for it")


@frozen
class TemplateDir:
    """A directory of Jinja2 templates. Plugin directories are searched before core's."""

    path: str

    @classmethod
    def beside(cls, module_file: str, name: str = "templates") -> TemplateDir:
        """The directory ``name`` next to a plugin module: ``TemplateDir.beside(__file__)``
        (plugins import only the hookspecs, so the path arithmetic lives here)."""
        from pathlib import Path

        return cls(str(Path(module_file).resolve().parent / name))


RULE_TYPES: tuple[type[Rule], ...] = (
    DeadlineRule,
    ReviewChain,
    ExemptionList,
    Rubric,
    GradeScale,
    CompositeScheme,
    DocumentAttributes,
    RecurringDuty,
    TriggeredDuty,
    AccountLimit,
    GradeRestriction,
    LeadTime,
    MinimumCount,
    ReceiptRule,
    FeeSchedule,
    FormSpec,
    RequestTrack,
    Provision,
)
