"""The morning digest: requests, documents and matters together, grouped by urgency.

Request and document clocks are stored directly through ``deadline_store`` (their
workflows are separate modules); the digest must read them like its own matters.
As of Friday 2026-10-09 08:00 with --within 3 the horizon is Tue Oct 13
(Oct 10 is a Saturday make-up working day, then Oct 12, 13).
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.app import App
from gongkai.core.time.deadline_store import close_deadline, store_deadline
from gongkai.core.time.deadlines import compute

AS_OF = "2026-10-09T08:00"


@pytest.fixture
def office(unit, gk):
    unit("changning")
    app = App()
    with app.session() as session:
        reg, cal = app.registry, app.calendar
        # request #7 received Sep 1: 20 working days -> Sep 29 (Sep 20 make-up, Sep 25 off); 3 WD overdue
        store_deadline(session, "request", 7, "reply", compute(reg.deadline("request.reply"), dt.date(2026, 9, 1), cal))
        # request #8 received Oct 8: due Nov 5, beyond the horizon
        store_deadline(session, "request", 8, "reply", compute(reg.deadline("request.reply"), dt.date(2026, 10, 8), cal))
        # request #9 overdue but already answered: not shown
        store_deadline(session, "request", 9, "reply", compute(reg.deadline("request.reply"), dt.date(2026, 9, 1), cal))
        close_deadline(session, "request", 9, "reply", dt.date(2026, 9, 28))
        # document #3 formed Fri Sep 18: 10 working days -> today, Oct 9 (Sep 20 is a make-up Sunday)
        store_deadline(session, "document", 3, "publish", compute(reg.deadline("proactive.publish"), dt.date(2026, 9, 18), cal))
    fire = gk.json("matter", "open", "opinion.major_incident", "--at", "2026-10-08T21:30", "--note", "某小区火灾",
                   "--condition-met")
    consult = gk.json("matter", "open", "consult.reply", "--at", "2026-10-06", "--note", "停车|咨询")  # due Oct 13
    done = gk.json("matter", "open", "consult.reply.simple", "--at", "2026-09-30")
    gk.ok("matter", "close", str(done["id"]), "--at", "2026-10-09T07:00")
    return {"fire": fire["id"], "consult": consult["id"]}


def keyed(items):
    return [(i["owner_kind"], i["owner_id"], i["clock"]) for i in items]


def test_digest_covers_all_three_sources_grouped_by_urgency(office, gk):
    data = gk.json("digest", "--as-of", AS_OF, "--within", "3")
    assert data["horizon"] == "2026-10-13"
    groups = data["groups"]
    assert keyed(groups["overdue"]) == [
        ("request", 7, "reply"),
        ("matter", office["fire"], "opinion.major_incident"),  # due 02:30 today
    ]
    assert keyed(groups["today"]) == [
        ("document", 3, "publish"),
        ("matter", office["fire"], "opinion.major_incident.press_conference"),  # 21:30 today
    ]
    assert keyed(groups["upcoming"]) == [("matter", office["consult"], "consult.reply")]
    assert data["counts"] == {"overdue": 2, "today": 2, "upcoming": 1}

    request, fire = groups["overdue"]
    assert request["due"] == "2026-09-29" and request["late_by"] == "3个工作日"
    assert fire["due"] == "2026-10-09T02:30:00+08:00" and fire["late_by"] == "5小时30分钟"
    assert fire["title"] == "某小区火灾" and "第三十三条" in fire["citation"]
    document = groups["today"][0]
    assert document["limit"] == "2026-10-22" and "第四十条" in document["citation"]


def test_digest_without_title_tables_falls_back_to_a_label(office, gk):
    data = gk.json("digest", "--as-of", AS_OF)
    titles = {(i["owner_kind"], i["owner_id"]): i["title"] for g in data["groups"].values() for i in g}
    # whatever request/document tables exist, these owners have no rows there
    assert titles[("request", 7)] == "依申请公开 #7"
    assert titles[("document", 3)] == "文件 #3"


def test_within_widens_the_horizon(office, gk):
    data = gk.json("digest", "--as-of", AS_OF, "--within", "0")
    assert data["counts"] == {"overdue": 2, "today": 2, "upcoming": 0}
    # 20 working days from Oct 9 reach Nov 5, request #8's due date
    data = gk.json("digest", "--as-of", AS_OF, "--within", "20")
    assert ("request", 8, "reply") in keyed(data["groups"]["upcoming"])


def test_digest_html_and_human_output(office, gk, tmp_path):
    path = tmp_path / "digest.html"
    text_out = gk.ok("digest", "--as-of", AS_OF, "--html", str(path)).stdout
    assert "已超期 2 项" in text_out and "依申请公开 #7" in text_out
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for fragment in ("今日提醒", "已超期（2项）", "今日到期（2项）", "即将到期（1项）", "依申请公开 #7", "文件 #3",
                     "某小区火灾", "停车｜咨询", "3个工作日", "5小时30分钟", "实施办法 第三十三条"):
        assert fragment in html, fragment


def test_an_empty_digest(unit, gk):
    unit("wuyuan")
    data = gk.json("digest", "--as-of", AS_OF)
    assert data["counts"] == {"overdue": 0, "today": 0, "upcoming": 0}
    assert "已超期 0 项" in gk.ok("digest", "--as-of", AS_OF).stdout


def test_titles_come_from_the_request_and_document_records(unit, gk):
    unit("changning")
    gk.ok("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", "2026-09-01", "--subject", "某路段拓宽工程的立项批复")
    gk.ok("document", "new", "--title", "关于某事项的通知", "--number", "长府办发〔2026〕1号",
          "--kind", "行政规范性文件", "--attribute", "主动公开", "--finalised", "2026-09-01")
    data = gk.json("digest", "--as-of", "2026-11-02")
    titles = {(item["owner_kind"], item["title"]) for group in data["groups"].values() for item in group}
    assert ("request", "某路段拓宽工程的立项批复") in titles
    assert ("document", "关于某事项的通知") in titles
