"""西咸新区: 《西咸新区政务公开管理办法》 and its 基层政务公开标准化规范化工作实施方案.

The rules are data in :mod:`rules`; the hookimpls below only hand them over.
"""

from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import Jurisdiction, SourceDocument, TemplateDir
from gongkai.plugins.xixian import rules


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(
        name="xixian",
        display_name="西咸新区",
        sources=(
            SourceDocument(key=rules.MEASURES, title=rules.MEASURES_TITLE),
            SourceDocument(key=rules.PLAN, title=rules.PLAN_TITLE),
        ),
        reconsideration_body="西咸新区管委会",
        superior_office="西咸新区政务公开工作机构",
    )


@hookimpl
def gongkai_deadline_rules():
    return rules.DEADLINES


@hookimpl
def gongkai_review_chains():
    return rules.REVIEW_CHAINS


@hookimpl
def gongkai_rubrics():
    return rules.RUBRICS


@hookimpl
def gongkai_exemptions():
    return [rules.EXEMPTIONS]


@hookimpl
def gongkai_provisions():
    return rules.PROVISIONS


@hookimpl
def gongkai_template_dirs():
    return [TemplateDir.beside(__file__)]
