"""The reply clock: receipt date per channel, correction, pauses, extensions, 第三十五条.

Dates are worked out by hand on the 2026 PRC calendar (Apr 4-6 Qingming; Sep 25-27 and
Oct 1-7 holidays, Oct 10 a make-up working day). Day 0 is the event's day.
"""

from __future__ import annotations

import pytest

from requests_helpers import JURISDICTIONS, new_request


# --------------------------------------------------------------------------- receipt date (条例 第三十一条)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
@pytest.mark.parametrize(
    "channel, confirmed, received",
    [
        ("in_person", None, "2026-03-02"),  # the day submitted
        ("post_signed", None, "2026-03-02"),  # the day signed for
        ("post_ordinary", "2026-03-04", "2026-03-04"),  # the day both sides confirm
        ("online", "2026-03-03", "2026-03-03"),
        ("fax", "2026-03-05", "2026-03-05"),
    ],
)
def test_receipt_date_per_channel(gk, unit, jurisdiction, channel, confirmed, received):
    unit(jurisdiction)
    created = new_request(gk, channel=channel, submitted="2026-03-02", confirmed=confirmed)
    assert created["received"] == received


@pytest.mark.parametrize("channel", ["post_ordinary", "online", "fax"])
def test_confirmed_channels_need_the_confirmation_date(gk, unit, channel):
    unit("yanta")
    result = gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person",
                      "--channel", channel, "--submitted", "2026-03-02", "--subject", "某信息")
    assert "--confirmed" in result.stderr and "第三十一条" in result.stderr


def test_saturday_receipt_counts_from_the_saturday(gk, unit):
    unit("yanta")
    # Sat 2026-03-07 is day 0; the 20th working day after it is Fri 2026-04-03
    assert new_request(gk, submitted="2026-03-07")["due"] == "2026-04-03"


def test_changning_intake_clock_only_for_non_online_requests(gk, unit):
    unit("changning")
    paper = new_request(gk, channel="in_person", submitted="2026-03-02")
    online = new_request(gk, channel="online", submitted="2026-03-02", confirmed="2026-03-02")
    assert paper["clocks"]["intake"]["due"] == "2026-03-04"  # 2 WD (第四十九条)
    assert "intake" not in online["clocks"]


def test_registering_a_request_meets_the_intake_clock(gk, unit):
    unit("changning")
    base = ["request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--submitted", "2026-03-02", "--subject", "某信息"]
    on_time = gk.json(*base, "--entered", "2026-03-03")["id"]
    late = gk.json(*base, "--entered", "2026-03-06")["id"]
    clocks = {r["id"]: r["clocks"]["intake"] for r in gk.json("ledger", "--as-of", "2026-03-20")}
    assert clocks[on_time]["status"] == "met" and clocks[on_time]["due"] == "2026-03-04"
    assert clocks[late]["status"] == "late" and clocks[late]["met_on"] == "2026-03-06"  # late is late (issue 32 item 4)
    rows = {r["id"]: r for r in gk.json("ledger", "--as-of", "2026-03-20")}
    assert rows[late]["intake_late"] is True and rows[on_time]["intake_late"] is False
    shown = gk.ok("request", "show", str(late), "--as-of", "2026-03-20").stdout
    assert "录入逾期：应于 2026-03-04 前录入申请平台，实际 2026-03-06 录入（实施办法 第四十九条）" in shown
    assert "录入逾期" not in gk.ok("request", "show", str(on_time), "--as-of", "2026-03-20").stdout
    listing = gk.ok("ledger", "--as-of", "2026-03-20").stdout
    assert listing.count("录入逾期") == 1
    assert gk.json("digest", "--as-of", "2026-03-20")["counts"]["overdue"] == 0  # done, if late: nothing to chase
    assert "早于收到日期" in gk.fails(*base, "--entered", "2026-03-01").stderr


def test_no_intake_clock_without_the_rule(gk, unit):
    unit("xixian")
    assert "intake" not in new_request(gk)["clocks"]


# --------------------------------------------------------------------------- correction (条例 第三十条)


def test_correction_restarts_the_period(gk, unit):
    unit("yanta")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])  # due 2026-03-30
    shown = gk.json("request", "correct", rid, "--notice-on", "2026-03-05", "--period-days", "10")
    assert shown["state"] == "correction_pending" and shown["paused"] is True and shown["due"] is None
    assert shown["correction"]["due"] == "2026-03-19"  # 10 WD after the notice
    shown = gk.json("request", "corrected", rid, "--on", "2026-03-16")
    assert shown["state"] == "processing"
    assert shown["period_start"] == "2026-03-16"
    assert shown["due"] == "2026-04-14"  # 20 WD from the corrected request, over Qingming


def test_correction_notice_after_seven_working_days_is_refused(gk, unit):
    unit("wuyuan")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])  # notice due 2026-03-11
    result = gk.fails("request", "correct", rid, "--notice-on", "2026-03-12", "--period-days", "10", code=3)
    assert "request.correction_notice" in result.stderr and "2026-03-11" in result.stderr
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-11", "--period-days", "10")
    # the notice is given once only
    gk.fails("request", "correct", rid, "--notice-on", "2026-03-11", "--period-days", "5", code=3)


def test_lapsed_correction_abandons_the_request(gk, unit):
    unit("changning")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-05", "--period-days", "10")
    gk.fails("request", "abandon", rid, "--on", "2026-03-19", code=3)  # the period's last day
    late = gk.fails("request", "corrected", rid, "--on", "2026-03-20", code=3)
    assert "--good-reason" in late.stderr
    shown = gk.json("request", "abandon", rid, "--on", "2026-03-20")
    assert shown["state"] == "abandoned" and shown["outcome"] == "other.no_correction"
    assert shown["clocks"]["correction"]["status"] == "lapsed"
    assert gk.json("ledger", "--state", "abandoned")[0]["id"] == int(rid)


def test_late_correction_with_good_reason_is_accepted(gk, unit):
    unit("yanta")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-05", "--period-days", "10")
    shown = gk.json("request", "corrected", rid, "--on", "2026-03-20", "--good-reason", "住院")
    assert shown["period_start"] == "2026-03-20"


# --------------------------------------------------------------------------- pauses


def test_pause_is_excluded_from_the_count(gk, unit):
    unit("xixian")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])  # due 2026-03-30
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-04")
    shown = gk.json("request", "show", rid, "--as-of", "2026-03-10")
    assert shown["paused"] is True and shown["due"] is None
    assert shown["working_days_used"] == 2  # Mar 3 and 4; the clock stood still from Mar 4
    assert shown["clocks"]["third_party_opinion"]["due"] == "2026-03-25"  # 15 WD to answer
    gk.ok("request", "resume", rid, "--on", "2026-03-11")  # stood still Mar 5,6,9,10,11
    shown = gk.json("request", "show", rid, "--as-of", "2026-03-13")
    assert shown["due"] == "2026-04-07"  # 2026-03-30 plus 5 WD, over Qingming
    assert shown["working_days_used"] == 4  # 9 gross minus 5 paused
    assert shown["clocks"]["third_party_opinion"]["status"] == "met"


def test_pause_needs_a_running_clock(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    gk.fails("request", "resume", rid, "--on", "2026-03-05", code=3)
    gk.ok("request", "pause", rid, "--reason", "other_agency", "--on", "2026-03-04")
    gk.fails("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-05", code=3)
    gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-06", code=3)


# 五原县's "silence = refusal" is a 党务公开 rule: its government-information requests keep 条例 第三十二条.
@pytest.mark.parametrize("jurisdiction, meaning", [("wuyuan", "agency_decides"), ("yanta", "agency_decides")])
def test_third_party_silence_as_the_jurisdiction_says(gk, unit, jurisdiction, meaning):
    unit(jurisdiction)
    rid = str(new_request(gk)["id"])
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-04")
    early = gk.fails("request", "resume", rid, "--on", "2026-03-25", "--no-answer", code=3)  # the 15th WD
    assert "2026-03-25" in early.stderr
    shown = gk.json("request", "resume", rid, "--on", "2026-03-26", "--no-answer")
    assert shown["pauses"][-1]["silence_means"] == meaning
    assert shown["clocks"]["third_party_opinion"]["status"] == "lapsed"


def test_other_agency_silence_is_consent(gk, unit):
    unit("changning")
    rid = str(new_request(gk)["id"])
    gk.ok("request", "pause", rid, "--reason", "other_agency", "--on", "2026-03-04")
    shown = gk.json("request", "resume", rid, "--on", "2026-03-26", "--no-answer")
    assert shown["pauses"][-1]["silence_means"] == "consent"


def test_force_majeure_is_not_a_pause_for_government_information(gk, unit):
    # 五原县's force-majeure suspension belongs to its 党务公开 procedure, not to the 条例.
    for jurisdiction in ("wuyuan", "yanta", "xixian", "changning"):
        unit(jurisdiction)
        rid = str(new_request(gk)["id"])
        result = gk.fails("request", "pause", rid, "--reason", "force_majeure", "--on", "2026-03-09", code=3)
        assert "不可抗力" in result.stderr


# --------------------------------------------------------------------------- extensions (条例 第三十三条)


@pytest.mark.parametrize("jurisdiction", ["xixian", "yanta", "changning", "wuyuan"])
def test_extension_bound_is_twenty_working_days(gk, unit, jurisdiction):
    unit(jurisdiction)
    rid = str(new_request(gk, submitted="2026-03-02")["id"])  # due 2026-03-30
    refused = gk.fails("request", "extend", rid, "--days", "21", "--approved-by", "王主任", "--on", "2026-03-20",
                       code=3)
    assert "20" in refused.stderr and "第三十三条" in refused.stderr
    shown = gk.json("request", "extend", rid, "--days", "20", "--approved-by", "王主任", "--on", "2026-03-20")
    assert shown["due"] == "2026-04-28"
    assert shown["extensions"] == [{"amount": 20, "unit": "working_days", "approved_by": "王主任",
                                    "approved_on": "2026-03-20", "applicant_told_on": "2026-03-20"}]
    again = gk.fails("request", "extend", rid, "--days", "1", "--approved-by", "王主任", "--on", "2026-03-21", code=3)
    assert "1次" in again.stderr


def test_extension_after_the_due_date_is_refused(gk, unit):
    unit("yanta")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    gk.fails("request", "extend", rid, "--days", "5", "--approved-by", "王主任", "--on", "2026-03-31", code=3)


# --------------------------------------------------------------------------- excessive requests (条例 第三十五条)


def test_excessive_request_gets_a_later_deadline_after_asking_reasons(gk, unit):
    unit("yanta")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    gk.fails("request", "excessive", rid, "--later-due", "2026-05-29", code=3)  # reasons not yet asked
    gk.ok("request", "excessive", rid, "--asked-on", "2026-03-04")
    assert gk.json("request", "excessive", rid, "--later-due", "2026-05-29")["due"] == "2026-05-29"


def test_excessive_request_refused_to_process(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    gk.ok("request", "excessive", rid, "--asked-on", "2026-03-04")
    gk.ok("request", "review", rid, "--step", "draft", "--by", "甲", "--decision", "approve", "--on", "2026-03-05",
          "--outcome", "not_processed.excessive")
    gk.ok("request", "review", rid, "--step", "office_head", "--by", "乙", "--decision", "approve", "--on", "2026-03-06")
    shown = gk.json("request", "reply", rid, "--outcome", "not_processed.excessive", "--on", "2026-03-09")
    assert shown["outcome"] == "not_processed.excessive"
