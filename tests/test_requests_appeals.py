"""Appeals against replies, and Changning's registration of an overturned reply within a week."""

from __future__ import annotations

from requests_helpers import approve_chain, new_request


def replied(gk, steps):
    rid = str(new_request(gk)["id"])
    approve_chain(gk, rid, steps, on="2026-03-10", outcome="withheld.process_info", proposal=("--reason", "经审查属于过程性信息"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.process_info", "--on", "2026-03-11")
    return rid


def test_changning_overturned_reply_registered_within_a_week(gk, unit):
    unit("changning")
    rid = replied(gk, ["draft", "confidentiality", "office_head"])
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


def test_an_appeal_over_silence_is_recorded_and_counted_in_section_four(backend, gk, unit):
    """不作为: the applicant goes to reconsideration because no answer came."""
    unit("xixian")
    rid = str(new_request(gk)["id"])
    shown = gk.json("request", "appeal", rid, "--kind", "reconsideration", "--filed", "2026-04-08")
    assert shown["state"] == "received" and shown["outcome"] is None  # still to be answered
    (appeal,) = shown["appeals"]
    assert appeal["over_silence"] is True and appeal["kind"] == "reconsideration"
    gk.ok("request", "appeal", rid, "--appeal-id", str(appeal["id"]), "--result", "纠正", "--decided", "2026-05-20")
    table = gk.json("report", "annual", "--year", "2026")["appeals"]
    assert table["reconsideration"]["corrected"] == 1 and table["reconsideration"]["total"] == 1
    events = [e for e in gk.json("request", "show", rid)["events"] if e["action"] == "appeal"]
    assert len(events) == 2
    assert gk.json("audit", "verify")["ok"]


def test_a_lawsuit_after_a_reconsideration_that_predates_the_records(backend, gk, unit):
    unit("yanta")
    rid = replied(gk, ["draft", "office_head"])
    refused = gk.fails("request", "appeal", rid, "--kind", "lawsuit_after_reconsideration", "--filed", "2026-06-01",
                       code=3)
    assert "--reconsidered-on" in refused.stderr
    gk.fails("request", "appeal", rid, "--kind", "lawsuit_after_reconsideration", "--filed", "2026-06-01",
             "--reconsidered-on", "2026-06-05")  # the lawsuit before the decision it contests
    shown = gk.json("request", "appeal", rid, "--kind", "lawsuit_after_reconsideration", "--filed", "2026-06-01",
                    "--reconsidered-on", "2026-05-15")
    (appeal,) = shown["appeals"]  # no reconsideration invented
    assert appeal["reconsidered_on"] == "2026-05-15" and appeal["over_silence"] is False
    table = gk.json("report", "annual", "--year", "2026")["appeals"]
    assert table["lawsuit_after_reconsideration"]["pending"] == 1 and table["reconsideration"]["total"] == 0


def test_appeal_dates_follow_each_other(gk, unit):
    unit("yanta")
    rid = replied(gk, ["draft", "office_head"])
    gk.fails("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2026-03-05")  # before the reply
    gk.fails("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2099-01-05")  # in the future
    shown = gk.json("request", "appeal", rid, "--kind", "lawsuit", "--filed", "2026-04-01")
    appeal_id = str(shown["appeals"][0]["id"])
    refused = gk.fails("request", "appeal", rid, "--appeal-id", appeal_id, "--result", "维持", "--decided", "2026-03-20")
    assert "早于" in refused.stderr
    gk.fails("request", "appeal", rid, "--appeal-id", appeal_id, "--result", "维持", "--decided", "2099-03-20")
    assert gk.json("request", "show", rid)["appeals"][0]["result"] == "尚未审结"
