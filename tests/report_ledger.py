"""A two-year ledger (2025, 2026) for the annual-report tests, built once per run through
the request and document modules on a real SQLite database; each test gets a copy."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import ENV_VARS, write_config

from gongkai.core.app import App
from gongkai.core.documents import annual as doc_annual
from gongkai.core.documents import workflow as doc_workflow
from gongkai.core.requests import appeals, clock, fees, intake, reply, review

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
    extra = {}
    if outcome == "partial":
        extra["withheld"] = [{"part": "第3页联系人电话", "reason": "个人隐私（条例 第十五条）"}]
    if outcome == "unavailable.other_agency":
        extra.update(agency="某区市场监督管理局", agency_contact="021-00000000")
    if outcome.startswith("withheld."):  # 条例 第三十六条（三）: a refusal states its reasons
        extra["reasons"] = "经审查认定的理由"
    # the draft states the proposed reply; the others approve it as it stands
    review.review(session, app, request, "draft", "承办人甲", "approve", on=on, proposal={"outcome": outcome, **extra})
    review.review(session, app, request, "confidentiality", "保密员丙", "approve", on=on)  # 实施办法 第五十一条（三）
    review.review(session, app, request, "office_head", "负责人乙", "approve", on=on)
    return reply.reply(session, app, request, outcome=outcome, on=on, **extra)


def appeal(session, app, request, kind, filed, result="尚未审结", decided=None):
    return appeals.record_appeal(session, app, request, kind, filed, result, decided)


@pytest.fixture(scope="session")
def built_ledger(tmp_path_factory, calendar_cache):
    """The ledger is built once per run (it takes seconds); each test gets a copy."""
    folder = tmp_path_factory.mktemp("ledger")
    write_config(folder, "changning")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_CACHE_DIR", str(calendar_cache))
        mp.setenv("GONGKAI_TODAY", "2027-06-30")  # the records run into 2027: built as on a day after them
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

        # no 规章: a district and its departments make none (立法法 第九十三条), and registering one is refused
        doc("行政规范性文件", D(2026, 2, 1))
        doc("行政规范性文件", D(2026, 3, 1), D(2026, 9, 1))
        doc("行政规范性文件", D(2025, 7, 1))
        doc("行政规范性文件", D(2027, 1, 10))
        doc("其他", D(2026, 5, 5))
        for kind, value in (("行政许可", 120), ("行政处罚", 45), ("行政强制", 3), ("行政事业性收费", 12.5)):
            doc_annual.set_decision_count(s, 2026, kind, value)
        doc_annual.set_decision_count(s, 2025, "行政许可", 99)
