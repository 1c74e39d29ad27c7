"""The hook specifications: the contract every gongkai plugin implements.

A plugin is a module registered under the ``gongkai`` entry-point group whose functions
are marked ``@hookimpl``. Every hook returns records from
:mod:`gongkai.hookspecs.records` (frozen attrs classes), never dicts or ORM rows.

The national baseline (政府信息公开条例, 2019) is itself a plugin, in
``gongkai.core.law.national``. A jurisdiction overrides one of its rules by returning a
record with the same ``id``; two plugins giving one ``id`` at the same level is an error.
Returning ``None`` (or an empty list) from a list hook means "nothing to add".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from gongkai.hookspecs.records import (
        ApplicationField,
        CalendarAdjustment,
        DeadlineRule,
        ExemptionList,
        Jurisdiction,
        Outcome,
        ReviewChain,
        Rule,
        TemplateDir,
    )

PROJECT = "gongkai"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def gongkai_jurisdiction() -> Jurisdiction | None:
    """Return the :class:`Jurisdiction` this plugin encodes (name, Chinese name, sources).

    Example: ``Jurisdiction(name="changning", display_name="长宁区", sources=(...))``.
    Return ``None`` if the plugin is not a jurisdiction (the national baseline is not);
    the next plugin then decides.
    """


@hookspec
def gongkai_deadline_rules() -> list[DeadlineRule] | None:
    """Return the :class:`DeadlineRule` records (periods ending in a due date).

    Example: ``DeadlineRule(id="proactive.publish", unit="working_days", amount=10,
    limit=20, summary="…", citation=cite("长宁区政务公开工作办法", "第四十条"))``.
    """


@hookspec
def gongkai_review_chains() -> list[ReviewChain] | None:
    """Return the :class:`ReviewChain` of each workflow the plugin regulates.

    Example: ``ReviewChain(id="request.review_chain", workflow="request",
    steps=(ReviewStep(id="lawyer", name="律师审核", role="律师"), ...), ...)``.
    """


@hookspec
def gongkai_rubrics() -> list[Rule] | None:
    """Return the scoring records: :class:`Rubric`, :class:`GradeScale`, :class:`CompositeScheme`.

    Example: ``GradeScale(id="assessment.grade", bands=(GradeBand(name="优秀", minimum=95), ...))``.
    """


@hookspec
def gongkai_exemptions() -> list[ExemptionList] | None:
    """Return the :class:`ExemptionList` (grounds for 不予公开) with the ID ``exemptions``.

    Example: ``ExemptionList(id="exemptions", items=(Exemption(code="state_secret", ...),), ...)``.
    """


@hookspec
def gongkai_provisions() -> list[Rule] | None:
    """Return every other rule record: document attributes, recurring duties, lead times,
    minimum counts, receipt and fee rules, forms, and plain :class:`Provision` records.

    Example: ``MinimumCount(id="participation.hearing_representatives", minimum=10, of="听证代表人数", ...)``.
    """


@hookspec
def gongkai_outcomes() -> list[Outcome] | None:
    """Return request :class:`Outcome` records. Core defines the national registry; a plugin
    may add a local outcome, whose ``report_row`` must be one of the national rows.

    Example: ``Outcome(code="disclosed", name="予以公开", report_row="disclosed", ...)``.
    """


@hookspec
def gongkai_calendar_adjustments() -> list[CalendarAdjustment] | None:
    """Return local :class:`CalendarAdjustment` records applied on top of the PRC calendar.

    Example: ``CalendarAdjustment(date="2026-08-07", workday=False, name="…")``.
    """


@hookspec
def gongkai_template_dirs() -> list[TemplateDir] | None:
    """Return :class:`TemplateDir` records; they are searched before core's templates, so a
    plugin overrides one letter by shipping a file of the same name.

    Example: ``[TemplateDir(str(Path(__file__).parent / "templates"))]``.
    """


@hookspec
def gongkai_application_fields() -> list[ApplicationField] | None:
    """Return :class:`ApplicationField` records: fields the jurisdiction adds to (or requires
    on) the public application form, each with its Chinese label and citation.

    Example: ``[ApplicationField(name="purpose", label="申请用途", required=True,
    citation=cite("某区依申请公开办法", "第八条"))]``.
    """
