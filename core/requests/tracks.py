"""Request tracks: 政府信息公开 under the 条例, and any other kind a jurisdiction declares.

A plugin declares a track as a :class:`RequestTrack` rule (五原县: 党务公开 applications under
its 依申请公开制度, which rests on Party rules, not the 条例). Core never names one: a request's
``track`` selects the rules that time it (:func:`rule_id`), the outcomes that may end it, the
remedy its letter states, and whether the 条例's annual report counts it.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.errors import StepRefused
from gongkai.hookspecs.records import Outcome, RequestTrack

GOVERNMENT = "government"  # the 条例's own track, which every jurisdiction has
GOVERNMENT_NAME = "政府信息公开申请"


def declared(registry: Any) -> dict[str, RequestTrack]:
    """The jurisdiction's further tracks, by code."""
    return {t.track: t for t in registry.rules_of(RequestTrack)}


def names(registry: Any) -> dict[str, str]:
    """code -> Chinese name of every track the jurisdiction has."""
    return {GOVERNMENT: GOVERNMENT_NAME, **{code: t.name for code, t in declared(registry).items()}}


def track_of(registry: Any, code: str | None) -> RequestTrack | None:
    """The track record (None for 政府信息公开); refused if the jurisdiction has no such track."""
    if not code or code == GOVERNMENT:
        return None
    track = declared(registry).get(code)
    if track is None:
        choices = "、".join(names(registry).values())
        raise StepRefused(
            f"{registry.jurisdiction.display_name}没有“{code}”这类申请（--track），可选：{choices}。"
        )
    return track


def rule_id(registry: Any, code: str | None, base: str) -> str:
    """The rule timing ``base`` (e.g. ``request.extension``) on this track."""
    track = track_of(registry, code)
    return track.rule_for(base) if track is not None else base


def outcomes(registry: Any, code: str | None) -> dict[str, Outcome]:
    """The outcomes that may end a request on this track."""
    wanted = "" if not code or code == GOVERNMENT else code
    return {c: o for c, o in registry.outcomes.items() if o.track == wanted}


def check_outcome(registry: Any, code: str | None, outcome: str) -> Outcome:
    """The outcome, if it belongs to the track; else a refusal listing the track's outcomes."""
    allowed = outcomes(registry, code)
    if outcome in allowed:
        return allowed[outcome]
    registry.outcome(outcome)  # an unknown code: the registry's own error
    name = names(registry)[code or GOVERNMENT]
    raise StepRefused(f"“{registry.outcome(outcome).name}”不是{name}的办理结果，可选：{'、'.join(o.name for o in allowed.values())}。")


def counted_in_annual_report(registry: Any) -> list[str]:
    """The tracks the 条例's annual report counts: 政府信息公开, and any declared to belong there."""
    return [GOVERNMENT, *(code for code, t in declared(registry).items() if t.in_annual_report)]


def require_government(registry: Any, code: str | None, what: str, remedy: bool = False) -> None:
    """Refuse a step of the 条例 on another track; ``remedy``: name the track's own route instead."""
    track = track_of(registry, code)
    if track is not None:
        raise StepRefused(f"{track.name}不适用{what}。" + (track.remedy if remedy else ""))

