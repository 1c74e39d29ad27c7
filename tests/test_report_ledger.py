"""The annual report over a two-year ledger (2025, 2026), built through the request and
document modules on a real SQLite database, every cell checked against hand counts."""

from __future__ import annotations

from report_ledger import COLS, D, built_ledger, ledger  # noqa: F401 (fixtures)
from sqlmodel import select

from gongkai.core.requests.models import Request


def rows(**cells: tuple[int, ...]) -> dict[str, dict[str, int]]:
    return {code: dict(zip(COLS, counts)) for code, counts in cells.items()}


Z = (0, 0, 0, 0, 0, 0, 0)
# fmt: off
EXPECTED_2026 = rows(**{
    #                                NP CO RE PI LS OT total
    "new":                          (5, 4, 4, 4, 3, 4, 24),
    "carried_over":                 (1, 1, 1, 0, 1, 0, 4),
    "disclosed":                    (2, 0, 0, 0, 0, 0, 2),   # incl. disclosed.already_public
    "partial":                      (0, 0, 0, 0, 1, 0, 1),
    "withheld.state_secret":        (0, 1, 0, 0, 0, 0, 1),
    "withheld.law_prohibited":      (0, 0, 1, 0, 0, 0, 1),
    "withheld.security_stability":  (0, 0, 0, 1, 0, 0, 1),
    "withheld.third_party":         (0, 0, 0, 0, 1, 0, 1),
    "withheld.internal_affairs":    (0, 0, 0, 0, 0, 1, 1),
    "withheld.process_info":        (1, 0, 0, 0, 0, 0, 1),
    "withheld.enforcement_file":    (0, 1, 0, 0, 0, 0, 1),
    "withheld.administrative_query": (0, 0, 1, 0, 0, 0, 1),
    "unavailable.not_held":         (0, 1, 0, 1, 0, 0, 2),   # incl. unavailable.other_agency
    "unavailable.needs_creation":   (0, 0, 0, 0, 1, 0, 1),
    "unavailable.still_unclear":    (0, 0, 0, 0, 0, 1, 1),
    "not_processed.petition":       (1, 0, 0, 0, 0, 0, 1),
    "not_processed.duplicate":      (0, 1, 0, 0, 0, 0, 1),
    "not_processed.publication":    (0, 0, 1, 0, 0, 0, 1),
    "not_processed.excessive":      (0, 0, 0, 1, 0, 0, 1),
    "not_processed.confirmation":   (0, 0, 0, 0, 1, 0, 1),
    "other.no_correction":          (0, 0, 0, 0, 0, 1, 1),
    "other.unpaid_fee":             (1, 0, 0, 0, 0, 0, 1),
    "other.other":                  (0, 1, 1, 0, 0, 0, 2),   # incl. other.special_procedure
    "total":                        (5, 5, 4, 3, 4, 3, 24),
    "carried_forward":              (1, 0, 1, 1, 0, 1, 4),
})
EXPECTED_2025 = {code: dict(zip(COLS, Z)) for code in EXPECTED_2026} | rows(**{
    "new":                   (2, 1, 2, 0, 1, 0, 6),
    "disclosed":             (1, 0, 0, 0, 0, 0, 1),
    "withheld.state_secret": (0, 0, 1, 0, 0, 0, 1),
    "total":                 (1, 0, 1, 0, 0, 0, 2),
    "carried_forward":       (1, 1, 1, 0, 1, 0, 4),
})
# fmt: on

EXPECTED_APPEALS_2026 = {
    "reconsideration": {"upheld": 1, "corrected": 2, "other": 1, "pending": 1, "total": 5},
    "lawsuit": {"upheld": 2, "corrected": 1, "other": 1, "pending": 2, "total": 6},
    "lawsuit_after_reconsideration": {"upheld": 1, "corrected": 1, "other": 1, "pending": 2, "total": 5},
}
EXPECTED_APPEALS_2025 = {
    "reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    "lawsuit": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
    "lawsuit_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}


def test_2026_every_cell(ledger, gk):
    data = gk.json("report", "annual", "--year", "2026")
    assert set(data["requests"]) == set(EXPECTED_2026)
    for row, cells in EXPECTED_2026.items():
        assert data["requests"][row] == cells, row
    assert data["appeals"] == EXPECTED_APPEALS_2026
    assert data["proactive"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},  # a district makes no 规章
        "normative_documents": {"issued": 2, "repealed": 1, "in_force": 2},
        "licensing": {"decisions": 120},
        "penalty": {"decisions": 45},
        "coercion": {"decisions": 3},
        "fees": {"amount_10k_yuan": 12.5},
    }
    assert data["fees_collected"] == {"requests": 2, "amount_yuan": 1200}  # the unpaid 200 元 is not collected
    # a department's report: 31 January (长宁区实施办法 第五十二条)
    assert data["due"]["date"] == "2027-01-31"
    assert data["check"]["ok"] is True


def test_2025_every_cell(ledger, gk):
    data = gk.json("report", "annual", "--year", "2025")
    for row, cells in EXPECTED_2025.items():
        assert data["requests"][row] == cells, row
    assert data["appeals"] == EXPECTED_APPEALS_2025
    assert data["proactive"]["licensing"] == {"decisions": 99}
    assert data["proactive"]["penalty"] == {"decisions": 0}
    assert data["proactive"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert data["proactive"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert data["fees_collected"] == {"requests": 0, "amount_yuan": 0}


def test_carry_over_chains_between_years(ledger, gk):
    y2025 = gk.json("report", "annual", "--year", "2025")["requests"]
    y2026 = gk.json("report", "annual", "--year", "2026")["requests"]
    assert y2025["carried_forward"] == y2026["carried_over"]


def test_due_dates(ledger, gk):
    assert gk.json("report", "annual", "--year", "2026", "--government")["due"]["date"] == "2027-02-28"  # 长宁区
    nation = gk.json("--jurisdiction", "yanta", "report", "annual", "--year", "2026", "--government")["due"]
    assert nation["date"] == "2027-03-31" and nation["citation"] == "条例 第四十九条第二款"


def test_unit_level_from_config(unit, gk):
    unit("changning", unit_level="government")
    assert gk.json("report", "annual", "--year", "2026")["due"]["date"] == "2027-02-28"


def test_tampered_reply_date_stops_the_report(ledger, gk, tmp_path):
    # a reply date before receipt (tampered row): the request counts as new but nowhere else
    with ledger.session() as s:
        req = s.exec(select(Request).where(Request.outcome == "withheld.law_prohibited")).one()
        assert req.applicant_type == "research" and req.received.year == 2026
        req.replied_on = D(2025, 12, 1)
        s.add(req)
    out = tmp_path / "r.docx"
    result = gk.fails("report", "annual", "--year", "2026", "--format", "docx", "--out", str(out))
    assert "勾稽关系" in result.stderr
    assert "“法人或其他组织·科研机构”列：本年新收 4 + 上年结转 1 = 5，不等于 办理结果总计 3 + 结转下年度继续办理 1 = 4" in result.stderr
    assert "“总计”列" in result.stderr and "“自然人”列" not in result.stderr
    assert not out.exists()


def test_unknown_applicant_type_is_named(ledger, gk):
    with ledger.session() as s:
        req = s.get(Request, 1)
        req.applicant_type = "alien"
        s.add(req)
    assert "alien" in gk.fails("report", "annual", "--year", "2025").stderr


def test_bad_year_and_lonely_format(unit, gk):
    unit("changning")
    assert "--year" in gk.fails("report", "annual", "--year", "26").stderr
    assert "--out" in gk.fails("report", "annual", "--year", "2026", "--format", "docx").stderr
