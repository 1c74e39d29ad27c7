"""Round trip: a unit's ledger exported by ``ledger --xlsx`` imports again, without --map, into
an empty database (requests with ``request import``, appeals with ``appeal import``), and the
annual report of the imported database equals the original's, cell for cell."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from requests_helpers import before_steps, new_request

HEADERS = ["编号", "申请人", "类型", "渠道", "提交日期", "确认日期", "内容", "结果", "答复日期", "收费", "不予公开"]
YEAR = [  # a year's history that did not start in gongkai: ref, applicant, type, channel, submitted, confirmed, ...
    ["长房申〔2025〕1号", "甲", "自然人", "当面提交", "2025-01-06", "", "预算", "disclosed", "2025-01-20", "", ""],
    ["长房申〔2025〕2号", "乙公司", "商业企业", "当面提交", "2025-02-03", "", "规划", "partial", "2025-02-25", "100", "第3页联系人电话：个人隐私"],
    ["长房申〔2025〕3号", "丙", "自然人", "互联网渠道", "2025-03-03", "2025-03-04", "征收", "withheld.third_party",
     "2025-03-28", "", ""],
    ["长房申〔2025〕4号", "丁研究所", "科研机构", "当面提交", "2025-12-15", "", "统计", "", "", "", ""],  # open at year end
    ["长房申〔2024〕90号", "戊", "自然人", "当面提交", "2024-12-20", "", "补偿", "unavailable.not_held",
     "2025-01-10", "", ""],  # carried over from 2024
    ["长房申〔2025〕5号", "己", "自然人", "当面提交", "2025-04-01", "", "合同", "other.unpaid_fee", "2025-04-20", "50", ""],
]
APPEALS = [  # ref, kind, filed, result, decided, reconsidered_on
    ["长房申〔2025〕3号", "复议", "2025-04-10", "维持", "2025-06-01", ""],
    ["长房申〔2025〕3号", "复议后起诉", "2025-06-20", "", "", ""],
    ["长房申〔2025〕2号", "直接起诉", "2025-03-20", "纠正", "2025-09-01", ""],
    ["长房申〔2025〕1号", "复议后起诉", "2025-05-10", "尚未审结", "", "2025-04-30"],  # its reconsideration predates the records
    ["长房申〔2025〕4号", "复议", "2026-02-20", "", "", ""],  # over silence, the next year
]


def write_csv(path, headers, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([headers, *rows])
    return path


def build_original(gk, tmp_path):
    """Part of the year imported, part recorded through the workflow (a reply with a fee)."""
    report = gk.json("request", "import", str(write_csv(tmp_path / "year.csv", HEADERS, YEAR)), "--map",
                     "编号=ref,申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,确认日期=confirmed,"
                     "内容=subject,结果=outcome,答复日期=replied_on,收费=fee_amount,不予公开=withheld")
    assert report["imported"] == len(YEAR) and not report["errors"]
    data = new_request(gk, submitted="2025-05-06", applicant="庚", extra=["--ref", "长房申〔2025〕6号",
                                                                        "--entered", "2025-05-06"])
    for i, step in enumerate(before_steps(gk, data["id"])):
        gk.ok("request", "review", "长房申〔2025〕6号", "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2025-05-12", "--outcome", "disclosed")
    gk.ok("request", "fee", "长房申〔2025〕6号", "--method", "per_page", "--pages", "150", "--notice-on", "2025-05-13")
    gk.ok("request", "resume", "长房申〔2025〕6号", "--on", "2025-05-15")  # paid
    gk.ok("request", "reply", "长房申〔2025〕6号", "--outcome", "disclosed", "--on", "2025-05-20")
    result = gk("appeal", "import", str(write_csv(tmp_path / "appeals.csv", ["申请", "类型", "提起", "结果", "审结", "复议决定"],
                                                   APPEALS)),
                "--map", "申请=ref,类型=kind,提起=filed,结果=result,审结=decided,复议决定=reconsidered_on")
    assert result.exit_code == 0, result.stderr
    gk.ok("request", "appeal", "长房申〔2025〕6号", "--kind", "reconsideration", "--filed", "2025-06-02")


def test_an_exported_ledger_imports_again_and_reports_the_same(backend, unit, gk, tmp_path, monkeypatch, request):
    unit("changning")
    build_original(gk, tmp_path)
    reports = {year: gk.json("report", "annual", "--year", str(year)) for year in (2025, 2026)}
    fees = reports[2025]["fees_collected"]  # the imported partial's 100 and the per-page fee; not the unpaid one's
    assert fees["requests"] == 2 and fees["amount_yuan"] > 100
    assert reports[2025]["appeals"]["lawsuit"]["corrected"] == 1
    exported = tmp_path / "台账.xlsx"
    gk.ok("ledger", "--xlsx", str(exported))
    assert load_workbook(exported, read_only=True).sheetnames == ["依申请公开台账", "复议诉讼"]

    # an empty database on the same backend
    fresh = (request.getfixturevalue("pg_server").new_database() if backend.name == "postgresql"
             else f"sqlite:///{tmp_path / 'moved.db'}")
    monkeypatch.setenv("GONGKAI_DATABASE_URL", fresh)
    assert gk.json("ledger") == []
    assert gk.json("request", "import", str(exported))["imported"] == len(YEAR) + 1
    assert gk.json("appeal", "import", str(exported))["imported"] == len(APPEALS) + 1
    for year, original in reports.items():  # every cell; only the log's head differs (another log)
        moved = gk.json("report", "annual", "--year", str(year))
        assert moved.pop("audit_head") != original.pop("audit_head")
        assert moved == original
    assert gk.json("request", "show", "长房申〔2025〕2号")["fee"]["amount"] == 100
    assert gk.json("audit", "verify")["ok"]
