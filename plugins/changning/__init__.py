"""长宁区: 《长宁区政务公开和政府信息公开实施办法》 (2022).

The rules are data in :mod:`rules`; the hookimpls below only hand them over.
"""

from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import Jurisdiction, SourceDocument
from gongkai.plugins.changning import rules


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(
        name="changning",
        display_name="长宁区",
        sources=(SourceDocument(key=rules.MEASURES, title=rules.MEASURES_TITLE),),
        reconsideration_body="上海市长宁区人民政府",
        superior_office="上海市长宁区人民政府办公室",
    )


@hookimpl
def gongkai_deadline_rules():
    return rules.DEADLINES


@hookimpl
def gongkai_review_chains():
    return rules.REVIEW_CHAINS


@hookimpl
def gongkai_provisions():
    return rules.PROVISIONS
