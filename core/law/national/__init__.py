"""The national baseline: 《中华人民共和国政府信息公开条例》 (2019), as an ordinary plugin.

Every jurisdiction starts from these rules; a jurisdiction plugin overrides one by
returning a record with the same ``id``.
"""

from pathlib import Path

from gongkai.core.law.national import rules
from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import TemplateDir


@hookimpl
def gongkai_deadline_rules():
    return rules.DEADLINES


@hookimpl
def gongkai_review_chains():
    return rules.REVIEW_CHAINS


@hookimpl
def gongkai_exemptions():
    return [rules.EXEMPTIONS]


@hookimpl
def gongkai_provisions():
    return rules.PROVISIONS


@hookimpl
def gongkai_outcomes():
    return rules.OUTCOMES


@hookimpl
def gongkai_template_dirs():
    # core/paperwork/templates, named by path: loading the law must not import the renderer
    return [TemplateDir(str(Path(__file__).resolve().parents[2] / "paperwork" / "templates"))]
