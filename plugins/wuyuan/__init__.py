"""五原县: 《政府信息公开制度汇编》 (2023).

The rules are data in :mod:`rules`; the hookimpls below only hand them over.
"""

from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import Jurisdiction, SourceDocument, TemplateDir
from gongkai.plugins.wuyuan import rules


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(
        name="wuyuan",
        display_name="五原县",
        sources=(SourceDocument(key=rules.COMPENDIUM, title=rules.COMPENDIUM_TITLE),),
        reconsideration_body="五原县人民政府",
        superior_office="五原县政务公开标准化规范化专项工作组办公室",
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
def gongkai_outcomes():
    return rules.OUTCOMES  # the 党务公开 track's (依申请公开制度 四)


@hookimpl
def gongkai_template_dirs():
    return [TemplateDir.beside(__file__)]  # the 党务公开 letter
