"""The annual report over a two-year ledger (2025, 2026), built through the request and
document modules on a real SQLite database, every cell checked against hand counts."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlmodel import select

from gongkai.core.app import App
from gongkai.core.documents import annual as doc_annual
from gongkai.core.documents import workflow as doc_workflow
from gongkai.core.requests import appeals, clock, fees, intake, reply, review
from gongkai.core.requests.models import Request
from conftest import ENV_VARS, write_config

D = dt.date
COLS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total")

# Outcomes answered in 2026 for requests received in 2026; applicant types cycle over the columns.
NEW_2026 = [
    "disclosed", "withheld.state_secret", "withheld.law_prohibited", "withheld.security_stability",
    "withheld.third_party", "withheld.internal_affairs", "withheld.process_info", "withheld.enforcement_file",
    "withheld.administrative_query", "unavailable.not_held", "unavailable.needs_creation",
    "unavailable.still_unclear", "not_processed.petition", "not_processed.duplicate",
    "not_processed.publication", "not_processed.excessive", "not_processed.confirmation",
    "other.no_correction", "other.unpaid_fee", "other.special_procedure", "other.other",
]
TYPES = COLS[:6]


def receive(session, app, applicant_type, on, subject="某项政府信息"):
    return intake.receive(session, app, applicant=f"申请人{on}", applicant_type=applicant_type,
                          channel="in_person", submitted=on, subject=subject)


def answer(session, app, request, outcome, on):
    if outcome == "other.no_correction":  # the real path: notice, then the period lapses (条例 第三十条)
        clock.notify_correction(session, app, request, request.received, 15)
        clock.abandon(session, app, request, on)
        return request
    reply.propose(session, app, request, outcome)
    review.review(session, app, request, "draft", "承办人甲", "approve", on=on)
    review.review(session, app, request, "office_head", "负责人乙", "approve", on=on)
    extra = {}
    if outcome == "partial":
        extra["withheld"] = [{"part": "第3页联系人电话", "reason": "个人隐私（条例 第十五条）"}]
    if outcome == "unavailable.other_agency":
        extra.update(agency="某区市场监督管理局", agency_contact="021-00000000")
    return reply.reply(session, app, request, outcome=outcome, on=on, **extra)


def appeal(session, app, request, kind, filed, result="尚未审结", decided=None):
    return appeals.record_appeal(session, app, request, kind, filed, result, decided)


@pytest.fixture(scope="module")
def built_ledger(tmp_path_factory, calendar_cache):
    """The ledger is built once per module (it takes seconds); each test gets a copy."""
    folder = tmp_path_factory.mktemp("ledger")
    write_config(folder, "changning")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
        for var in ENV_VARS:
            mp.delenv(var, raising=False)
        app = App(config_path=str(folder / "gongkai.toml"))
        build_ledger(app)
        app.engine.dispose()  # checkpoints the WAL into gongkai.db
    return folder


@pytest.fixture
def ledger(built_ledger, tmp_path):
    shutil.copy(built_ledger / "gongkai.db", tmp_path / "gongkai.db")
    write_config(tmp_path, "changning")
    return App()


def build_ledger(app):
    with app.session() as s:
        # ---- 2025: two answered in the year, four carried into 2026
        r1 = answer(s, app, receive(s, app, "natural_person", D(2025, 3, 3)), "disclosed", D(2025, 3, 20))
        r5 = answer(s, app, receive(s, app, "research", D(2025, 6, 2)), "withheld.state_secret", D(2025, 6, 20))
        r2 = receive(s, app, "natural_person", D(2025, 12, 10))
        r3 = receive(s, app, "commercial", D(2025, 12, 15))
        r4 = receive(s, app, "legal_services", D(2025, 12, 22))
        receive(s, app, "research", D(2025, 12, 29))  # still open at the end of 2026
        answer(s, app, r2, "disclosed.already_public", D(2026, 1, 8))
        answer(s, app, r3, "unavailable.other_agency", D(2026, 1, 12))
        answer(s, app, r4, "partial", D(2026, 1, 20))
        # ---- 2026: 21 received and answered, one per remaining outcome
        new = []
        for i, outcome in enumerate(NEW_2026):
            received = D(2026, 3, 2) + dt.timedelta(days=7 * i)
            req = receive(s, app, TYPES[i % 6], received, subject=f"信息{i}")
            if i in (0, 6, 18):  # fees: 40 pages = 100 元, 120 pages = 1100 元, unpaid 50 pages = 200 元
                fees.charge(s, app, req, "per_page", pages={0: 40, 6: 120, 18: 50}[i])
            new.append(answer(s, app, req, outcome, received + dt.timedelta(days=60 if i == 17 else 10)))
        # ---- carried to 2027: two unanswered, one answered in January 2027
        receive(s, app, "natural_person", D(2026, 12, 21))
        receive(s, app, "public_interest", D(2026, 12, 28))
        answer(s, app, receive(s, app, "other", D(2026, 12, 1)), "disclosed", D(2027, 1, 5))
        answer(s, app, receive(s, app, "commercial", D(2027, 1, 4)), "disclosed", D(2027, 1, 14))

        # ---- appeals
        appeal(s, app, r1, "lawsuit", D(2025, 4, 1), "维持", D(2025, 10, 10))  # decided in 2025 only
        appeal(s, app, r5, "reconsideration", D(2025, 7, 1), "维持", D(2026, 2, 10))  # 2025 pending, 2026 upheld
        appeal(s, app, r5, "lawsuit_after_reconsideration", D(2026, 3, 2))  # pending
        third_party, internal, process, enforcement = new[4], new[5], new[6], new[7]
        appeal(s, app, third_party, "reconsideration", D(2026, 6, 1), "纠正", D(2026, 8, 3))
        appeal(s, app, enforcement, "reconsideration", D(2026, 6, 1), "纠正", D(2026, 8, 10))
        appeal(s, app, process, "reconsideration", D(2026, 6, 1), "其他", D(2026, 8, 17))
        appeal(s, app, internal, "reconsideration", D(2026, 11, 2))  # pending
        appeal(s, app, process, "lawsuit_after_reconsideration", D(2026, 9, 1), "维持", D(2026, 12, 1))
        appeal(s, app, process, "lawsuit_after_reconsideration", D(2026, 9, 2), "其他", D(2026, 12, 15))
        appeal(s, app, third_party, "lawsuit_after_reconsideration", D(2026, 9, 1), "纠正", D(2026, 11, 20))
        appeal(s, app, third_party, "lawsuit_after_reconsideration", D(2026, 9, 3))  # pending
        appeal(s, app, new[0], "lawsuit", D(2026, 4, 1), "纠正", D(2026, 10, 9))
        appeal(s, app, new[9], "lawsuit", D(2026, 6, 1), "其他", D(2027, 1, 15))  # decided after 2026: pending
        appeal(s, app, new[12], "lawsuit", D(2026, 7, 1), "其他", D(2026, 12, 1))
        appeal(s, app, new[13], "lawsuit", D(2026, 7, 1), "维持", D(2026, 11, 2))
        appeal(s, app, new[14], "lawsuit", D(2026, 7, 6), "维持", D(2026, 11, 9))
        appeal(s, app, new[15], "lawsuit", D(2026, 8, 3))  # pending

        # ---- documents (条例 第二十条第（一）项) and decision counts
        def doc(kind, finalised, repealed=None):
            d = doc_workflow.register_document(s, app.registry, app.calendar, title=f"{kind}{finalised}", kind=kind,
                                               attribute="主动公开", finalised=finalised, today=finalised)
            if repealed:
                doc_workflow.repeal_document(s, app.registry, d, repealed, "法制科")

        doc("规章", D(2024, 5, 1))
        doc("规章", D(2026, 4, 1))
        doc("规章", D(2023, 1, 1), D(2026, 6, 30))
        doc("行政规范性文件", D(2026, 2, 1))
        doc("行政规范性文件", D(2026, 3, 1), D(2026, 9, 1))
        doc("行政规范性文件", D(2025, 7, 1))
        doc("行政规范性文件", D(2027, 1, 10))
        doc("其他", D(2026, 5, 5))
        for kind, value in (("行政许可", 120), ("行政处罚", 45), ("行政强制", 3), ("行政事业性收费", 12.5)):
            doc_annual.set_decision_count(s, 2026, kind, value)
        doc_annual.set_decision_count(s, 2025, "行政许可", 99)


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
        "rules": {"issued": 1, "repealed": 1, "in_force": 2},
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
    assert data["proactive"]["rules"] == {"issued": 0, "repealed": 0, "in_force": 2}
    assert data["proactive"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert data["fees_collected"] == {"requests": 0, "amount_yuan": 0}


def test_carry_over_chains_between_years(ledger, gk):
    y2025 = gk.json("report", "annual", "--year", "2025")["requests"]
    y2026 = gk.json("report", "annual", "--year", "2026")["requests"]
    assert y2025["carried_forward"] == y2026["carried_over"]


def test_due_dates(ledger, gk):
    assert gk.json("report", "annual", "--year", "2026", "--government")["due"]["date"] == "2027-02-28"  # 长宁区
    nation = gk.json("--jurisdiction", "yanta", "report", "annual", "--year", "2026", "--government")["due"]
    assert nation["date"] == "2027-03-31" and nation["citation"] == "条例 第五十条"


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
