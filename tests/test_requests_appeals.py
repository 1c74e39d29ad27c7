"""Appeals against replies, and Changning's registration of an overturned reply within a week."""

from __future__ import annotations

from requests_helpers import approve_chain, new_request


def replied(gk, steps):
    rid = str(new_request(gk)["id"])
    approve_chain(gk, rid, steps, on="2026-03-10")
    gk.ok("request", "reply", rid, "--outcome", "withheld.process_info", "--on", "2026-03-11")
    return rid


def test_changning_overturned_reply_registered_within_a_week(gk, unit):
    unit("changning")
    rid = replied(gk, ["draft", "office_head"])
    shown = gk.json("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2026-04-01")
    appeal_id = shown["appeals"][0]["id"]
    assert shown["appeals"][0]["result"] == "尚未审结" and "overturned_registration" not in shown["clocks"]
    gk.fails("request", "appeal", rid, "--appeal-id", str(appeal_id), "--result", "纠正")  # decision date missing
    shown = gk.json("request", "appeal", rid, "--appeal-id", str(appeal_id), "--result", "纠正",
                    "--decided", "2026-05-29")
    clock = shown["clocks"]["overturned_registration"]
    assert clock["due"] == "2026-06-05" and clock["status"] == "open"  # one week, calendar days
    shown = gk.json("request", "register-overturned", rid, "--on", "2026-06-03")
    assert shown["clocks"]["overturned_registration"]["status"] == "met"
    assert shown["appeals"][0]["registered_on"] == "2026-06-03"
    gk.fails("request", "register-overturned", rid, "--on", "2026-06-04", code=3)


def test_appeal_kinds_and_results(gk, unit):
    unit("yanta")
    rid = replied(gk, ["draft", "office_head"])
    gk.fails("request", "appeal", rid, "--kind", "lawsuit_after_reconsideration", "--filed", "2026-04-01", code=3)
    gk.ok("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2026-04-01", "--result", "维持",
          "--decided", "2026-05-20")
    shown = gk.json("request", "appeal", rid, "--kind", "lawsuit_after_reconsideration", "--filed", "2026-06-01")
    assert [(a["kind"], a["result"]) for a in shown["appeals"]] == [
        ("reconsideration", "维持"), ("lawsuit_after_reconsideration", "尚未审结")]
    assert "overturned_registration" not in shown["clocks"]  # no such rule outside Changning


def test_appeal_needs_a_reply(gk, unit):
    unit("xixian")
    rid = str(new_request(gk)["id"])
    gk.fails("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2026-04-01", code=3)
