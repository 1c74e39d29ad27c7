"""``gongkai appeal import``: a unit's reconsiderations and lawsuits from a file, each row
through the function ``request appeal`` calls, refused rows named by line, batches whole."""

from __future__ import annotations

import csv
import json

from openpyxl import Workbook

REQUESTS = [  # ref, submitted, outcome, replied
    ("长房申〔2025〕1号", "2025-03-02", "disclosed", "2025-03-20"),
    ("长房申〔2025〕2号", "2025-03-03", "withheld.third_party", "2025-03-25"),
    ("长房申〔2025〕3号", "2025-04-01", "disclosed", "2025-04-20"),
    ("长房申〔2025〕4号", "2025-04-02", "", ""),  # never answered
]
APPEALS_HEADERS = ["申请编号", "类型", "提起日期", "结果", "审结日期", "复议决定"]
APPEALS = [
    ["长房申〔2025〕1号", "复议", "2025-04-01", "维持", "2025-05-20"],  # row 2
    ["长房申〔2025〕1号", "复议后起诉", "2025-06-01", "", ""],  # row 3: after the reconsideration of row 2
    ["长房申〔2025〕9号", "复议", "2025-04-01", "", ""],  # row 4: no such request
    ["长房申〔2025〕2号", "直接起诉", "2025-03-10", "", ""],  # row 5: before the reply
    ["长房申〔2025〕2号", "lawsuit", "2025-04-10", "纠正", ""],  # row 6: decided without a date (after the appeal is stored)
    ["长房申〔2025〕2号", "lawsuit", "2025-04-11", "尚未审结", ""],  # row 7
    ["长房申〔2025〕1号", "行政复议", "2025-04-01", "维持", "2025-05-20"],  # row 8: row 2 again
    ["长房申〔2025〕3号", "上访", "2025-05-01", "", ""],  # row 9: not a kind
    ["长房申〔2025〕3号", "reconsideration", "2025-05-01", "corrected", "2025-06-30"],  # row 10
    ["长房申〔2025〕4号", "复议", "2025-06-10", "", ""],  # row 11: over silence (不作为)
    ["长房申〔2025〕2号", "复议后起诉", "2025-06-10", "", "", "2025-05-30"],  # row 12: reconsideration before the records
    ["长房申〔2025〕3号", "复议后起诉", "2025-06-10", "", ""],  # row 13: before row 10's decision (2025-06-30)
    ["长房申〔2025〕1号", "直接起诉", "2025-06-10", "", "", "2025-05-30"],  # row 14: only for 复议后起诉
]
MAP = "申请编号=ref,类型=kind,提起日期=filed,结果=result,审结日期=decided,复议决定=reconsidered_on"


def import_requests(gk, tmp_path):
    path = tmp_path / "requests.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["编号", "申请人", "类型", "渠道", "提交日期", "内容", "结果", "答复日期"])
        for i, (ref, submitted, outcome, replied) in enumerate(REQUESTS):
            out.writerow([ref, f"申请人{i}", "自然人", "当面提交", submitted, f"信息{i}", outcome, replied])
    report = gk.json("request", "import", str(path), "--map", "编号=ref,申请人=applicant,类型=applicant_type,"
                     "渠道=channel,提交日期=submitted,内容=subject,结果=outcome,答复日期=replied_on")
    assert report["imported"] == len(REQUESTS) and not report["errors"]


def write(path, headers, rows):
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([headers, *rows])
    else:
        wb = Workbook()
        for row in [headers, *rows]:
            wb.active.append(row)
        wb.save(path)
    return path


def test_appeals_import_with_the_checks_of_request_appeal(backend, unit, gk, tmp_path):
    unit("changning")
    import_requests(gk, tmp_path)
    result = gk("appeal", "import", str(write(tmp_path / "appeals.csv", APPEALS_HEADERS, APPEALS)), "--map", MAP,
                "--json")
    assert result.exit_code == 1  # some rows were refused
    report = json.loads(result.stdout)
    assert report["imported"] == 6
    errors = {e["row"]: e["error"] for e in report["errors"]}
    assert sorted(errors) == [4, 5, 6, 8, 9, 13, 14]
    assert "没有本单位编号为“长房申〔2025〕9号”的申请" in errors[4]
    assert "已登记" in errors[8] and "救济类型“上访”无效" in errors[9] and "只用于复议后起诉" in errors[14]
    assert "早于复议决定日期（2025-06-30）" in errors[13]
    # the very messages `request appeal` gives for the same facts
    for row, args in [(5, ["--kind", "lawsuit", "--filed", "2025-03-10"]),
                      (6, ["--kind", "lawsuit", "--filed", "2025-04-10", "--result", "纠正"]),
                      (14, ["--kind", "lawsuit", "--filed", "2025-06-10", "--reconsidered-on", "2025-05-30"])]:
        refused = gk.fails("request", "appeal", "长房申〔2025〕2号", *args).stderr
        assert errors[row] in refused
    first = gk.json("request", "show", "长房申〔2025〕1号")["appeals"]
    assert [(a["kind"], a["result"], a["decided_on"]) for a in first] == [
        ("reconsideration", "维持", "2025-05-20"), ("lawsuit_after_reconsideration", "尚未审结", None)]
    # nothing of the refused row 6 was kept: one lawsuit on request 2, the one of row 7
    second = gk.json("request", "show", "长房申〔2025〕2号")["appeals"]
    assert [(a["filed_on"], a["reconsidered_on"]) for a in second] == [("2025-04-11", None), ("2025-06-10", "2025-05-30")]
    assert gk.json("request", "show", "长房申〔2025〕4号")["appeals"][0]["over_silence"]
    # a 纠正 starts Changning's registration clock, as `request appeal` does
    assert "overturned_registration" in gk.json("request", "show", "长房申〔2025〕3号")["clocks"]
    appeals = gk.json("report", "annual", "--year", "2025")["appeals"]
    assert appeals["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    assert appeals["lawsuit"]["pending"] == 1 and appeals["lawsuit_after_reconsideration"]["pending"] == 2
    assert gk.json("audit", "verify")["ok"]
    text = gk("appeal", "import", str(tmp_path / "appeals.csv"), "--map", MAP)
    assert "已导入复议、诉讼 0 件" in text.stdout and "第2行未导入" in text.stderr


def test_an_xlsx_with_the_exported_headers_needs_no_map(unit, gk, tmp_path):
    unit("changning")
    import_requests(gk, tmp_path)
    rows = [["长房申〔2025〕2号", "行政诉讼（未经复议直接起诉）", "2025-04-10", "维持", "2025-08-01", None]]
    path = write(tmp_path / "appeals.xlsx", ["本单位编号", "救济类型", "提起日期", "结果", "审结日期", "复议决定日期"],
                 rows)
    assert gk.json("appeal", "import", str(path))["imported"] == 1
    unknown = write(tmp_path / "other.csv", APPEALS_HEADERS, APPEALS[:1])
    assert "--map" in gk.fails("appeal", "import", str(unknown)).stderr
    assert "缺少必填字段" in gk.fails("appeal", "import", str(unknown), "--map", "申请编号=ref").stderr
