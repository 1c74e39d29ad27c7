"""Empty values are refused, not read as "not given"; documents and the steps after a reply keep
their dates in order (issue 20 items 7 and the bugs its fuzzing found). Every refusal names both
dates in Chinese and leaves the database as it was (content hash)."""

from __future__ import annotations

import pytest
from db_snapshot import content_hash
from requests_helpers import approve_chain, new_request


@pytest.fixture
def changning(unit, gk, backend):
    unit("changning")
    gk.ok("db", "upgrade")
    return backend


def refused(gk, url, *args):
    """``gongkai args`` is refused and nothing stored changes."""
    before = content_hash(url)
    result = gk.fails(*args)
    assert content_hash(url) == before
    return result.stderr


@pytest.mark.parametrize("args", [
    ("ledger", "--xlsx", ""), ("ledger", "--as-of", ""), ("digest", "--html", ""), ("digest", "--as-of", " "),
    ("duties", "--ics", ""), ("document", "register", "--xlsx", ""), ("documents", "--as-of", ""),
    ("matters", "--as-of", ""), ("report", "annual", "--year", "2026", "--out", ""),
    ("assess", "score", "--from-records", "--year", "2026", "--xlsx", ""),
    ("request", "new", "--applicant", "\u200b\u200d", "--applicant-type", "自然人", "--channel", "online",
     "--submitted", "2026-03-02", "--subject", "某信息"),
    ("request", "new", "--applicant", "\x01\x7f", "--applicant-type", "自然人", "--channel", "online",
     "--submitted", "2026-03-02", "--subject", "某信息"),
    ("request", "show", "1", "--by", "\u2060"),
])
def test_an_empty_value_is_refused_not_taken_as_absent(changning, gk, isolated, args):
    new_request(gk)
    files = lambda: sorted(p.name for p in isolated.iterdir() if not p.name.endswith(("-wal", "-shm")))  # noqa: E731
    listing = files()
    stderr = refused(gk, changning.url, *args)
    assert "值为空" in stderr
    assert files() == listing  # no file written anywhere


def test_a_cleared_contact_is_still_a_meaningful_empty_value(changning, gk):
    rid = str(new_request(gk, extra=("--contact", "13812345678"))["id"])
    edited = gk.json("request", "edit", rid, "--contact", "", "--reason", "联系方式登记错误")
    assert edited["edited"]["after"] == {"applicant_contact": ""}


def test_core_refuses_an_applicant_name_of_invisible_characters(changning):
    import datetime as dt

    from gongkai.core.app import App
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests.intake import request_fields

    app = App()
    with pytest.raises(GongkaiError, match="不可见字符"):
        request_fields(app.registry, applicant="\u200b\u200c\ufeff", applicant_type="natural_person",
                       channel="in_person", submitted=dt.date(2026, 3, 2), subject="某信息")
    fields = request_fields(app.registry, applicant="张三\u200b", applicant_type="natural_person",
                            channel="in_person", submitted=dt.date(2026, 3, 2), subject="某信息")
    assert fields["applicant_name"] == "张三"  # stored as people read it, so searches find it


def document(gk, *extra):
    return str(gk.json("document", "new", "--title", "关于某项工作的通知", "--kind", "其他", "--attribute", "主动公开",
                       "--finalised", "2026-09-24", "--interpretation", "解读", *extra)["id"])


def approve(gk, doc, on):
    for i, step in enumerate(("confidentiality", "approval")):
        gk.ok("document", "review", doc, "--step", step, "--by", f"审核人{i}", "--decision", "approve", "--on", on)


def test_a_document_is_not_published_before_it_is_finalised_or_approved(changning, gk):
    doc = document(gk)
    approve(gk, doc, "2026-09-28")
    stderr = refused(gk, changning.url, "document", "publish", doc, "--on", "2026-09-23", "--channel", "政府网站",
                     "--by", "发布员")
    assert "2026-09-23" in stderr and "成文日期（2026-09-24）" in stderr
    stderr = refused(gk, changning.url, "document", "publish", doc, "--on", "2026-09-25", "--channel", "政府网站",
                     "--by", "发布员")
    assert "2026-09-25" in stderr and "审批通过的日期（2026-09-28）" in stderr
    gk.ok("document", "publish", doc, "--on", "2026-09-28", "--channel", "政府网站", "--by", "发布员")


def test_reviews_follow_each_other_and_after_steps_follow_publication(changning, gk):
    unit_doc = document(gk)
    gk.ok("document", "review", unit_doc, "--step", "confidentiality", "--by", "甲", "--decision", "approve",
          "--on", "2026-09-28")
    stderr = refused(gk, changning.url, "document", "review", unit_doc, "--step", "approval", "--by", "乙",
                     "--decision", "approve", "--on", "2026-09-27")
    assert "2026-09-27" in stderr and "上一审核环节的日期（2026-09-28）" in stderr


def test_a_document_is_not_repealed_before_its_issue_nor_in_the_future(changning, gk):
    doc = document(gk)
    approve(gk, doc, "2026-09-28")
    gk.ok("document", "publish", doc, "--on", "2026-10-09", "--channel", "政府网站", "--by", "发布员")
    stderr = refused(gk, changning.url, "document", "repeal", doc, "--on", "2026-10-08", "--by", "甲")
    assert "2026-10-08" in stderr and "发布日期（2026-10-09）" in stderr
    stderr = refused(gk, changning.url, "document", "repeal", doc, "--on", "9999-12-31", "--by", "甲")
    assert "9999-12-31" in stderr and "1990 年至 2100 年" in stderr
    stderr = refused(gk, changning.url, "document", "repeal", doc, "--on", "2099-12-31", "--by", "甲")
    assert "2099-12-31" in stderr and "晚于今天" in stderr
    unpublished = document(gk)
    stderr = refused(gk, changning.url, "document", "repeal", unpublished, "--on", "2026-09-01", "--by", "甲")
    assert "成文日期（2026-09-24）" in stderr
    gk.ok("document", "repeal", doc, "--on", "2026-10-20", "--by", "甲")


def test_a_document_duty_is_not_done_before_its_clock_starts(unit, gk, backend):
    unit("wuyuan")
    data = gk.json("document", "new", "--title", "某文件", "--kind", "其他", "--attribute", "不予公开",
                   "--reason", "属于国家秘密（条例第十四条）", "--finalised", "2026-06-18")
    stderr = refused(gk, backend.url, "document", "meet", str(data["id"]), "--clock", "nondisclosure_report",
                     "--on", "2026-06-17")
    assert "2026-06-17" in stderr and "起算日（2026-06-18）" in stderr


def wuyuan_withheld(unit, gk):
    unit("wuyuan")
    rid = str(new_request(gk)["id"])
    approve_chain(gk, rid, ["draft", "confidentiality", "office_head"], on="2026-03-10",
                  outcome="withheld.state_secret", proposal=("--reason", "经定密属于国家秘密"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.state_secret", "--on", "2026-03-11",
          "--reason", "经定密属于国家秘密")
    return rid


def test_wuyuan_nondisclosure_report_and_closing_follow_the_reply(unit, gk, backend):
    rid = wuyuan_withheld(unit, gk)
    stderr = refused(gk, backend.url, "request", "review", rid, "--step", "nondisclosure_report", "--by", "公开办",
                     "--decision", "approve", "--on", "2026-03-10")
    assert "2026-03-10" in stderr and "答复日期（2026-03-11）" in stderr
    gk.ok("request", "review", rid, "--step", "nondisclosure_report", "--by", "公开办", "--decision", "approve",
          "--on", "2026-03-16")
    stderr = refused(gk, backend.url, "request", "close", rid, "--on", "2026-03-10")
    assert "答复日期（2026-03-11）" in stderr
    stderr = refused(gk, backend.url, "request", "close", rid, "--on", "2026-03-13")
    assert "2026-03-13" in stderr and "报备的日期（2026-03-16）" in stderr
    gk.ok("request", "close", rid, "--on", "2026-03-16")
