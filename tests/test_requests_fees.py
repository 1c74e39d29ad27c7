"""The information-processing fee (条例 第四十二条; 国办函〔2020〕109号)."""

from __future__ import annotations

import pytest

from gongkai.core.law.national.rules import PROVISIONS
from gongkai.core.requests.fees import per_page_fee, per_request_fee
from gongkai.hookspecs.records import FeeSchedule
from requests_helpers import new_request

SCHEDULE = next(p for p in PROVISIONS if isinstance(p, FeeSchedule))


@pytest.mark.parametrize("nth, fee", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                      (50, 300), (51, 400)])
def test_per_request_bands(nth, fee):
    assert per_request_fee(SCHEDULE, nth) == fee


@pytest.mark.parametrize("pages, fee", [
    (1, 0), (30, 0), (31, 10), (100, 700),  # 70 pages at 10
    (101, 720), (200, 2700),  # + 100 pages at 20
    (201, 2740), (250, 4700),  # + pages from 201 at 40
])
def test_per_page_bands(pages, fee):
    assert per_page_fee(SCHEDULE, pages) == fee


def test_per_request_counts_the_same_applicant_in_the_same_month(gk, unit):
    unit("yanta")
    ids = [new_request(gk, submitted=f"2026-03-{d:02d}", subject=f"信息{d}")["id"] for d in range(2, 13)]
    new_request(gk, applicant="王五", submitted="2026-03-13")  # another applicant
    april = new_request(gk, submitted="2026-04-01")["id"]  # a new month
    assert gk.json("request", "fee", str(ids[9]), "--method", "per_request")["fee"]["amount"] == 0  # the 10th
    assert gk.json("request", "fee", str(ids[10]), "--method", "per_request",
                   "--notice-on", "2026-03-20")["fee"]["amount"] == 100  # the 11th
    assert gk.json("request", "fee", str(april), "--method", "per_request")["fee"]["amount"] == 0


def test_one_method_per_request_never_both(gk, unit):
    unit("changning")
    rid = str(new_request(gk)["id"])
    assert gk.json("request", "fee", rid, "--method", "per_page", "--pages", "120",
                   "--notice-on", "2026-03-10")["fee"]["amount"] == 1100
    refused = gk.fails("request", "fee", rid, "--method", "per_request", code=3)
    assert "择一" in refused.stderr
    gk.fails("request", "fee", rid, "--method", "per_page")  # pages missing


def test_a_fee_of_nothing_is_not_recorded_and_binds_no_method(gk, unit):
    """Issue 32 item 12: 0 元 (the free band) is no fee; a later charge may use either method."""
    unit("changning")
    rid = str(new_request(gk)["id"])
    data = gk.json("request", "fee", rid, "--method", "per_page", "--pages", "20", "--notice-on", "2026-03-10")
    assert data["fee"]["amount"] == 0 and data["state"] != "paused"
    assert "不收费" in gk.ok("request", "fee", rid, "--method", "per_page", "--pages", "20",
                            "--notice-on", "2026-03-10").stdout
    assert gk.json("request", "fee", rid, "--method", "per_request", "--notice-on", "2026-03-10")["fee"]["amount"] == 0
    data = gk.json("request", "fee", rid, "--method", "per_page", "--pages", "40", "--notice-on", "2026-03-10")
    assert data["fee"]["amount"] == 100


def test_the_fee_notice_stops_the_clock_until_the_payment(gk, unit):
    """The fee notice says the period from it to the payment does not count: so does the clock."""
    unit("changning")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    before = gk.json("request", "show", rid)["due"]
    data = gk.json("request", "fee", rid, "--method", "per_page", "--pages", "40", "--notice-on", "2026-03-10")
    assert data["state"] == "paused" and data["pauses"][-1]["reason"] == "fee"
    after = gk.json("request", "resume", rid, "--on", "2026-03-17")  # paid a week later: 5 working days
    assert after["fee_paid_on"] == "2026-03-17" and after["due"] > before
