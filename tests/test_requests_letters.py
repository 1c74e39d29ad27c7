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


# issue 32 items 5 and 11


def test_not_government_information_has_its_outcome_letter_and_basis(yanta_app):
    record = yanta_app.registry.outcome("other.not_government_information")
    assert record.report_row == "other.other" and str(record.basis) == "条例 第二条"  # 2021 format: （六）3.其他
    text = render(yanta_app, replied(yanta_app, "other.not_government_information"))
    assert "不属于《中华人民共和国政府信息公开条例》第二条所称的政府信息" in text
    assert "法律依据：《中华人民共和国政府信息公开条例》第二条" in text.replace("**", "")
    assert "理由：其他处理" not in text


def test_a_refusal_without_a_reason_is_refused_and_nothing_is_stored(gk, unit):
    from requests_helpers import approve_chain, before_steps, new_request

    unit("yanta")
    rid = str(new_request(gk)["id"])
    # the proposal the chain signs states the reasons, so the reply that must match it does too
    steps = before_steps(gk, rid)
    refused = gk.fails("request", "review", rid, "--step", steps[0], "--by", "审核人0", "--decision", "approve",
                       "--on", "2026-03-10", "--outcome", "withheld.internal_affairs")
    assert "说明理由（条例 第三十六条第（三）项）" in refused.stderr and "--reason" in refused.stderr
    assert gk.json("request", "show", rid)["proposal"] is None
    approve_chain(gk, rid, steps, on="2026-03-10", outcome="withheld.internal_affairs",
                  proposal=("--reason", "所申请信息为本机关人事管理信息"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.internal_affairs", "--on", "2026-03-11")
    gk.ok("request", "letter", rid, "--format", "md", "--out", "l.md")
    from pathlib import Path

    text = Path("l.md").read_text(encoding="utf-8").replace("**", "")
    assert "理由：所申请信息为本机关人事管理信息" in text
    assert "第十六条第一款、第三十六条第（三）项" in text  # the refusal's ground and the duty to give reasons


def test_a_reply_without_reasons_does_not_repeat_the_outcome_as_its_reason(gk, unit):
    from requests_helpers import approve_chain, before_steps, new_request

    unit("yanta")
    rid = str(new_request(gk)["id"])
    approve_chain(gk, rid, before_steps(gk, rid), on="2026-03-10", outcome="disclosed")
    gk.ok("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-11")
    gk.ok("request", "letter", rid, "--format", "md", "--out", "l.md")
    from pathlib import Path

    assert "理由" not in Path("l.md").read_text(encoding="utf-8")


def test_other_agency_letter_gives_the_reason(yanta_app):
    text = render(yanta_app, replied(yanta_app, "unavailable.other_agency"))
    assert "第十条" in text and "某区交通运输局负责公开" in text


def test_partial_and_confirmation_letters_state_their_basis(yanta_app):
    partial = render(yanta_app, replied(yanta_app, "partial")).replace("**", "")
    assert "第三十七条、第三十六条第（二）项、第（三）项" in partial
    confirmation = render(yanta_app, replied(yanta_app, "not_processed.confirmation")).replace("**", "")
    assert "法律依据：《中华人民共和国政府信息公开条例》第二十七条" in confirmation
