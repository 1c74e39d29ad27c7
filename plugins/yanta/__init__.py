"""雁塔区: 《雁塔区全面推进政务公开工作实施方案》.

The rules are data in :mod:`rules`; the hookimpls below only hand them over.
"""

from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import Jurisdiction, SourceDocument
from gongkai.plugins.yanta import rules


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(
        name="yanta",
        display_name="雁塔区",
        sources=(SourceDocument(key=rules.PLAN, title=rules.PLAN_TITLE),),
        reconsideration_body="西安市雁塔区人民政府",
        superior_office="西安市雁塔区人民政府办公室",
    )


@hookimpl
def gongkai_deadline_rules():
    return rules.DEADLINES


@hookimpl
def gongkai_provisions():
    return rules.PROVISIONS
