"""Every outcome renders a letter with the required facts; remedies differ for 第14–16条 withholding."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.app import App
from gongkai.core.paperwork.render import docx_text
from gongkai.core.requests import intake, letters, reply, review
from requests_helpers import JURISDICTIONS

WITHHOLDING = {"partial", "withheld.state_secret", "withheld.law_prohibited", "withheld.security_stability",
               "withheld.third_party", "withheld.internal_affairs", "withheld.process_info",
               "withheld.enforcement_file",
               "withheld.administrative_query"}  # counted as 不予公开: reconsideration first too


def replied(app, outcome):
    """A request answered with ``outcome`` after the whole chain."""
    with app.session() as session:
        req = intake.receive(session, app, applicant="李四", applicant_type="natural_person", channel="in_person",
                             submitted=dt.date(2026, 3, 2), subject="某路段拓宽工程的立项批复")
        extra = {}
        if outcome == "partial":
            extra["withheld"] = [{"part": "被征收户身份证号码", "reason": "个人隐私"}]
        if outcome == "unavailable.other_agency":
            extra.update(agency="某区交通运输局", agency_contact="021-12345678")
        proposal = {"outcome": outcome, "reasons": "经审查认定的理由", **extra}  # what the chain signs
        for i, step in enumerate(review.required_steps(app.registry, outcome, "before")):
            review.review(session, app, req, step.id, f"审核人{i}", "approve", on=dt.date(2026, 3, 10),
                          proposal=proposal)
        reply.reply(session, app, req, outcome=outcome, on=dt.date(2026, 3, 11), reasons="经审查认定的理由",
                    provision="电子邮件发送", **extra)
        return req


@pytest.fixture(scope="module")
def yanta_app(tmp_path_factory):
    from conftest import write_config

    folder = tmp_path_factory.mktemp("yanta-letters")
    return App(str(write_config(folder, "yanta")))


def render(app, req):
    with app.session() as session:
        return letters.render_letter(session, app, req)


def outcomes():
    from gongkai.core.law.national.rules import OUTCOMES

    return [o.code for o in OUTCOMES if o.letter]  # a withdrawal has no reply letter


@pytest.mark.parametrize("outcome", outcomes())
def test_every_outcome_renders_a_letter_with_the_required_facts(yanta_app, outcome):
    record = yanta_app.registry.outcome(outcome)
    text = render(yanta_app, replied(yanta_app, outcome))
    for fact in ("测试单位政府办公室", "李四", "2026年3月2日", "某路段拓宽工程的立项批复", "经审查认定的理由",
                 "2026年3月11日", "测试区人民政府", "60日内"):
        assert fact in text, (outcome, fact)
    if record.basis:
        assert record.basis.article in text  # legal basis, e.g. 第三十七条
    if outcome in WITHHOLDING:
        assert record.withholds
        assert "应当先向行政复议机关申请行政复议" in text and "6个月内" not in text
    else:
        assert "6个月内依法向人民法院提起行政诉讼" in text and "应当先" not in text
    if outcome == "partial":
        assert "被征收户身份证号码" in text and "个人隐私" in text
    if outcome == "unavailable.other_agency":
        assert "某区交通运输局" in text and "021-12345678" in text
    if outcome.startswith("disclosed"):
        assert "电子邮件发送" in text


def test_every_registry_outcome_has_a_template(yanta_app):
    from gongkai.core.paperwork.render import environment

    env = environment(yanta_app.registry.template_dirs)
    for outcome in yanta_app.registry.outcomes.values():
        if outcome.letter:
            env.get_template(letters.template_name(outcome))


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_letter_in_each_jurisdiction_as_docx(tmp_path, jurisdiction):
    from conftest import write_config

    app = App(str(write_config(tmp_path, jurisdiction)))
    req = replied(app, "withheld.process_info")
    with app.session() as session:
        path = letters.write_letter(session, app, req, "docx", tmp_path / "letter.docx")
    text = docx_text(path)
    assert "李四" in text and "过程性信息" in text and "应当先向行政复议机关申请行政复议" in text


def test_reconsideration_body_falls_back_to_the_plugin(tmp_path):
    path = tmp_path / "gongkai.toml"
    path.write_text('jurisdiction = "changning"\nunit = "长宁区某局"\ndatabase_url = "sqlite:///g.db"\n',
                    encoding="utf-8")
    app = App(str(path))
    text = render(app, replied(app, "disclosed"))
    assert app.registry.jurisdiction.reconsideration_body in text


def test_letter_before_reply_is_refused(gk, unit, tmp_path):
    unit("yanta")
    rid = gk.json("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel",
                  "in_person", "--submitted", "2026-03-02", "--subject", "某信息")["id"]
    gk.fails("request", "letter", str(rid), "--format", "md", "--out", str(tmp_path / "x.md"))
