"""Issue 33: `audit verify` must not report an hour clock (5 hours, 24 hours) as edited, across
midnight and the year's end or not: its term is recomputed from what it counts from. A term
stored before terms carried their hours (offset 0) is recomputed from its clock's rule; an edit
of an hour clock's due time is still found. On both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from gongkai.core.time import deadline_store

STARTS = ["2026-09-30T10:00", "2026-09-30T21:30", "2026-12-31T20:00", "2026-10-01T23:59"]


@pytest.fixture
def changning(backend, unit, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-31")


def _verify(gk):
    result = gk("audit", "verify", "--json")
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("at", STARTS)
def test_hour_clocks_verify_clean(changning, gk, at):
    opened = gk.json("matter", "open", "opinion.major_incident", "--at", at, "--condition-met")
    assert len(opened["clocks"]) == 2  # 5 hours and 24 hours (长宁区 第三十三条)
    result = _verify(gk)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_term_stored_without_its_hours_is_recomputed_from_its_rule(changning, gk, monkeypatch):
    original = deadline_store.term_columns

    def as_before(deadline):  # what terms of hour clocks held before: offset 0
        columns = original(deadline)
        return {**columns, "offset": 0, "limit_offset": None} if columns["start_at"] is not None else columns

    monkeypatch.setattr(deadline_store, "term_columns", as_before)
    gk.json("matter", "open", "opinion.major_incident", "--at", "2026-12-31T20:00", "--condition-met")
    monkeypatch.setattr(deadline_store, "term_columns", original)
    result = _verify(gk)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_an_hour_clock_moved_behind_the_log_is_found(changning, gk, tmp_path):
    gk.json("matter", "open", "opinion.major_incident", "--at", "2026-09-30T21:30", "--condition-met")
    from gongkai.core.app import App

    app = App()
    with app.district_engine.begin() as c:  # behind the application's back: two hours later
        c.execute(text("UPDATE deadline_term SET due_at = due_at + INTERVAL '2 hours' WHERE start_at IS NOT NULL"
                       if app.district_engine.dialect.name == "postgresql" else
                       "UPDATE deadline_term SET due_at = datetime(due_at, '+2 hours') WHERE start_at IS NOT NULL"))
    app.engine.dispose()
    result = _verify(gk)
    assert result.exit_code != 0
    assert "期限日期在应用之外被修改" in result.stdout + result.stderr
