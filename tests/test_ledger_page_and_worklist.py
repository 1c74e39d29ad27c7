"""The web pages' core queries: the ledger page (keyset paging, filters) and the review steps waiting."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.app import App
from requests_helpers import new_request

AS_OF = dt.date(2026, 3, 20)


@pytest.fixture
def office(gk, unit):
    unit("xixian")
    for n, submitted in enumerate(["2026-01-05", "2026-02-02", "2026-03-02", "2026-03-16", "2025-12-01",
                                   "2026-01-19", "2026-03-18"]):
        new_request(gk, submitted=submitted, subject=f"事项{n}", applicant=f"申请人{n}")
    gk.ok("request", "review", "2", "--step", "draft", "--by", "甲", "--decision", "approve", "--outcome", "disclosed")
    return App()


def pages(office, **filters):
    from gongkai.core.requests.ledger import page

    out, cursor = [], None
    while True:
        with office.session() as session:
            rows, cursor = page(session, office, as_of=AS_OF, cursor=cursor, size=2, **filters)
        out.append([r["id"] for r in rows])
        if cursor is None:
            return out


def test_pages_cover_the_ledger_once_newest_first(office):
    from gongkai.core.requests.ledger import ledger

    listed = pages(office)
    assert all(len(p) == 2 for p in listed[:-1])
    flat = [i for p in listed for i in p]
    assert flat == sorted(flat, reverse=True) == list(range(7, 0, -1))
    with office.session() as session:
        assert sorted(r["id"] for r in ledger(session, office, as_of=AS_OF)) == sorted(flat)


def test_overdue_pages_are_the_overdue_ledger_earliest_due_first(office):
    from gongkai.core.requests.ledger import ledger

    with office.session() as session:
        expected = ledger(session, office, as_of=AS_OF, overdue=True)
        soon = ledger(session, office, as_of=AS_OF, due_within=10)
    flat = [i for p in pages(office, overdue=True) for i in p]
    assert len(expected) >= 3 and sorted(flat) == sorted(r["id"] for r in expected)
    dues = {r["id"]: r["due"] for r in expected}
    assert [dues[i] for i in flat] == sorted(dues[i] for i in flat)
    assert sorted(i for p in pages(office, due_within=10) for i in p) == sorted(r["id"] for r in soon)


def test_search_and_a_bad_cursor(office):
    from gongkai.core.errors import GongkaiError
    from gongkai.core.requests.ledger import page

    assert [i for p in pages(office, search="申请人3") for i in p] == [4]
    assert [i for p in pages(office, search="事项%") for i in p] == []  # % is a character, not a wildcard
    with office.session() as session, pytest.raises(GongkaiError, match="翻页位置"):
        page(session, office, as_of=AS_OF, overdue=True, cursor="garbage")


def test_waiting_steps_follow_the_chain(office):
    from gongkai.core.requests.worklist import waiting_steps

    with office.session() as session:
        drafts, more = waiting_steps(session, office.registry, {"draft"}, limit=3)
        assert [s["request"] for s in drafts] == [1, 3, 4] and more  # 2 is past its draft
        lawyer, more = waiting_steps(session, office.registry, {"lawyer"})
        assert [(s["request"], s["step_name"]) for s in lawyer] == [(2, "律师审核")] and not more
        assert waiting_steps(session, office.registry, {"principal_head"}) == ([], False)


def test_the_worklists_counts_follow_every_change(office, gk):
    """我的待办 reuses its counts while the event log's head stays where it was: after a new
    request, a signature or on another day the numbers are the new ones at once."""
    from gongkai.core.matters.digest import digest
    from gongkai.core.today import BEIJING

    def counts(day):
        with office.session() as session:
            now = dt.datetime.combine(day, dt.time(9), BEIJING)
            return digest(session, office.registry, office.calendar, now, 3, limit=1)["counts"]

    first = counts(AS_OF)
    assert counts(AS_OF) == first and first["overdue"] >= 3
    new_request(gk, submitted="2025-11-03", subject="又一件", applicant="申请人9")  # long overdue by AS_OF
    assert counts(AS_OF)["overdue"] == first["overdue"] + 1
    gk.ok("request", "review", "8", "--step", "draft", "--by", "甲", "--decision", "approve", "--outcome", "disclosed",
          "--on", "2026-03-02")
    assert counts(AS_OF)["overdue"] == first["overdue"] + 1  # a signature moves no clock
    later = counts(AS_OF + dt.timedelta(days=60))
    assert later["overdue"] > first["overdue"] + 1  # the day moved on: more are overdue
