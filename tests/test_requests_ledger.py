"""The ledger (台账): filters, .xlsx export, same-information report, import of an old ledger."""

from __future__ import annotations

import re

import csv
import datetime as dt
import json

import pytest
from openpyxl import Workbook, load_workbook

from requests_helpers import approve_chain, new_request

AS_OF = "2026-03-20"


@pytest.fixture
def ledger_requests(gk, unit):
    unit("yanta")
    ids = {
        "march": new_request(gk, submitted="2026-03-02", subject="甲")["id"],  # due 2026-03-30
        # 2026-02-02: the Spring Festival (Feb 15-23) is off, Feb 14 and 28 are make-up days: due 2026-03-06
        "february": new_request(gk, submitted="2026-02-02", subject="乙")["id"],
        "late_march": new_request(gk, submitted="2026-03-16", subject="丙")["id"],  # due 2026-04-14
        "old": new_request(gk, submitted="2025-12-01", subject="丁")["id"],
    }
    approve_chain(gk, ids["old"], ["draft", "office_head"], on="2025-12-10")
    gk.ok("request", "reply", str(ids["old"]), "--outcome", "disclosed", "--on", "2025-12-12")
    return ids


def by_id(rows):
    return {r["id"]: r for r in rows}


def test_ledger_rows(gk, ledger_requests):
    rows = by_id(gk.json("ledger", "--as-of", AS_OF))
    march, feb, late = (rows[ledger_requests[k]] for k in ("march", "february", "late_march"))
    assert (march["due"], march["working_days_used"], march["days_left"], march["overdue"]) == ("2026-03-30", 14, 6, False)
    assert (feb["due"], feb["days_left"], feb["overdue"]) == ("2026-03-06", -10, True)
    assert (late["due"], late["days_left"]) == ("2026-04-14", 16)
    old = rows[ledger_requests["old"]]
    assert old["state"] == "replied" and old["overdue"] is False and old["days_left"] is None


def test_ledger_filters(gk, ledger_requests):
    ids = ledger_requests
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--overdue")] == [ids["february"]]
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--due-within", "6")] == [ids["march"]]
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--due-within", "5")] == []
    assert {r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--due-within", "16")} == {ids["march"], ids["late_march"]}
    # both: the union (overdue, or due within N), in id order
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--overdue", "--due-within", "6")] == [
        ids["march"], ids["february"]]
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--overdue", "--due-within", "5")] == [
        ids["february"]]
    assert [r["id"] for r in gk.json("ledger", "--as-of", AS_OF, "--overdue", "--due-within", "16", "--year",
                                     "2026", "--state", "received")] == [ids["march"], ids["february"], ids["late_march"]]
    assert gk.json("ledger", "--as-of", AS_OF, "--overdue", "--due-within", "16", "--year", "2025") == []
    assert [r["id"] for r in gk.json("ledger", "--state", "replied")] == [ids["old"]]
    assert [r["id"] for r in gk.json("ledger", "--year", "2025")] == [ids["old"]]
    assert len(gk.json("ledger", "--year", "2026")) == 3
    gk.fails("ledger", "--state", "lost")


def test_ledger_xlsx_export_opens_with_openpyxl(gk, ledger_requests, tmp_path):
    path = tmp_path / "台账.xlsx"
    gk.ok("ledger", "--as-of", AS_OF, "--xlsx", str(path))
    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "台账" in rows[0][0]  # the title row
    assert rows[1][:3] == ("编号", "收到日期", "申请人")
    assert len(rows) == 2 + 4
    feb = next(r for r in rows[2:] if r[0] == ledger_requests["february"])
    assert feb[1].date() == dt.date(2026, 2, 2) and feb[7].date() == dt.date(2026, 3, 6) and feb[10] == "是"


@pytest.mark.parametrize("jurisdiction, rule", [("xixian", "request.same_info_many_applicants"),
                                                ("changning", "request.convert_to_proactive")])
def test_same_information_report(gk, unit, jurisdiction, rule):
    unit(jurisdiction)
    a = new_request(gk, applicant="张三", subject="2026年区级财政预算")["id"]
    b = new_request(gk, applicant="李四", subject="2026年 区级财政预算。")["id"]
    new_request(gk, applicant="张三", subject="某小区规划许可")
    new_request(gk, applicant="张三", subject="某小区规划许可")  # one applicant twice is not "several"
    report = gk.json("ledger", "--same-information")
    assert report["rule"] == rule
    assert [c["requests"] for c in report["candidates"]] == [[a, b]]
    assert report["candidates"][0]["applicants"] == ["张三", "李四"]


def test_same_information_report_needs_the_rule(gk, unit):
    unit("yanta")
    gk.fails("ledger", "--same-information")


HEADERS = ["申请人", "类型", "渠道", "提交日期", "确认日期", "内容", "结果", "答复日期"]
ROWS = [
    ["张三", "自然人", "当面提交", "2025-03-03", "", "甲信息", "disclosed", "2025-03-20"],  # row 2: good
    ["李四", "自然人", "in_person", "2025-13-01", "", "乙信息", "", ""],  # row 3: bad date
    ["王五", "natural_person", "carrier_pigeon", "2025-03-03", "", "丙信息", "", ""],  # row 4: bad channel
    ["某公司", "commercial", "online", "2025-03-03", "2025-03-04", "丁信息", "", ""],  # row 5: good
    ["赵六", "alien", "in_person", "2025-03-03", "", "戊信息", "", ""],  # row 6: bad applicant type
    ["钱七", "natural_person", "fax", "2025-03-03", "", "己信息", "", ""],  # row 7: fax without confirmation
    ["孙八", "natural_person", "in_person", "2025-03-03", "", "庚信息", "withheld.nonsense", "2025-03-20"],  # row 8
]
MAP = "申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,确认日期=confirmed,内容=subject,结果=outcome,答复日期=replied_on"


def check_import(gk, path):
    result = gk("request", "import", str(path), "--map", MAP, "--json")
    assert result.exit_code == 1 and "共 5 行未导入" in result.stderr  # rows were refused: not a clean success
    report = json.loads(result.stdout)
    assert report["imported"] == 2
    assert [e["row"] for e in report["errors"]] == [3, 4, 6, 7, 8]
    assert "提交日期" in report["errors"][0]["error"] and "carrier_pigeon" in report["errors"][1]["error"]
    rows = gk.json("ledger", "--year", "2025")
    assert [r["applicant"] for r in rows] == ["张三", "某公司"]
    assert rows[0]["state"] == "replied" and rows[0]["outcome"] == "disclosed"
    assert rows[1]["received"] == "2025-03-04" and rows[1]["state"] == "received"


def test_import_csv_keeps_good_rows_and_names_bad_ones(gk, unit, tmp_path):
    unit("changning")
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *ROWS])
    check_import(gk, path)


def test_import_xlsx(gk, unit, tmp_path):
    unit("xixian")
    wb = Workbook()
    wb.active.append(HEADERS)
    for row in ROWS:
        wb.active.append(row)
    path = tmp_path / "old.xlsx"
    wb.save(path)
    check_import(gk, path)


def test_import_mapping_errors(gk, unit, tmp_path):
    unit("yanta")
    path = tmp_path / "old.csv"
    path.write_text(",".join(HEADERS) + "\n", encoding="utf-8")
    gk.fails("request", "import", str(path), "--map", "申请人=applicant")  # required fields missing
    gk.fails("request", "import", str(path), "--map", MAP.replace("内容=subject", "标题=subject"))


def write_big_ledger(path, rows: int) -> None:
    lines = [",".join(HEADERS)]
    lines += [f"申请人{i},natural_person,in_person,2026-03-02,,第{i}项,{'disclosed,2026-03-20' if i % 2 else ','}"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_import_reports_progress_per_batch_and_draws_a_bar_on_a_terminal(backend, unit, gk, tmp_path, monkeypatch):
    import io
    import sys

    from gongkai.core.app import App
    from gongkai.core.cli.request_cmd import ImportProgress
    from gongkai.core.requests.importer import BATCH, import_ledger, parse_mapping

    unit("changning")
    path = tmp_path / "old.csv"
    write_big_ledger(path, BATCH + 10)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, calls = Terminal(), []

    def progress(done, total):
        calls.append((done, total))
        bar(done, total)

    app = App()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", terminal)
        with ImportProgress() as bar:
            report = import_ledger(app, path, parse_mapping([MAP]), progress=progress)
    app.engine.dispose()
    assert calls == [(BATCH, BATCH + 10), (BATCH + 10, BATCH + 10)]  # after each committed batch
    assert len(report.imported) == BATCH + 10 and not report.errors
    assert "导入中" in terminal.getvalue() and f"{BATCH + 10}/{BATCH + 10}" in terminal.getvalue()
    # the bulk path stores what the workflow would have (rows, clocks), one import event each, an intact chain
    rows = by_id(gk.json("ledger", "--as-of", "2026-03-20"))
    first, second = rows[report.imported[0]], rows[report.imported[1]]
    assert (first["state"], first["due"], first["overdue"], first["days_left"]) == ("received", "2026-03-30", False, 6)
    assert (second["state"], second["outcome"], second["replied_on"]) == ("replied", "disclosed", "2026-03-20")
    assert second["clocks"]["reply"]["status"] == "met"
    assert "intake" not in second["clocks"]  # importing history is not the platform entry the intake rule times
    shown = gk.json("request", "show", str(report.imported[1]))
    assert [e["action"] for e in shown["events"]] == ["import"]
    after = shown["events"][0]["after"]
    assert len(after.pop("digest")) == 64  # the record's whole content as imported (issue 33)
    assert after == {"state": "replied", "version": 1, "received": "2026-03-02",
                     "channel": "in_person", "outcome": "disclosed", "on": "2026-03-20"}
    assert shown["version"] == 1
    after = gk.json("request", "show", str(report.imported[0]))["events"][0]["after"]
    after.pop("unit_digest", None)  # the chain's first event: the unit row's digest (issue 33)
    assert after.pop("digest") and after == {"state": "received", "version": 1, "received": "2026-03-02",
                                             "channel": "in_person"}
    assert gk.json("audit", "verify")["ok"]
    # the imported request goes on through the ordinary workflow
    gk.ok("request", "close", str(report.imported[1]), "--on", "2026-03-23")


def test_import_checks_rows_in_the_background_or_here_with_the_same_result(unit, gk, tmp_path):
    from sqlmodel import select

    from gongkai.core.app import App
    from gongkai.core.units.background import available
    from gongkai.core.time.deadline_store import StoredDeadline
    from gongkai.core.requests.importer import CHUNK, import_ledger, parse_mapping
    from gongkai.core.requests.models import Request
    from gongkai.core.records.storage import Event

    if not available():
        pytest.skip("no second process here: both imports would check in this one")
    unit("changning")
    path = tmp_path / "old.csv"
    write_big_ledger(path, CHUNK + 7)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("错行,natural_person,in_person,2026-13-02,,错,,\n")
    app = App()
    first = import_ledger(app, path, parse_mapping([MAP]), in_background=True)
    second = import_ledger(app, path, parse_mapping([MAP]), in_background=False, again=True)
    with app.session() as session:
        requests = {r.id: r.model_dump(exclude={"id"}) for r in session.exec(select(Request))}
        clocks = {c.owner_id: (c.status, c.met_on, c.due) for c in session.exec(select(StoredDeadline))}
        # the chain's first event also carries the unit row's digest (issue 33): not the import's
        events = {e.subject_id: (e.action, re.sub(r',"unit_digest":"[^"]*"', "", e.after)) for e in session.exec(select(Event))}
    app.engine.dispose()
    assert first.errors == second.errors == [(CHUNK + 9, "提交日期“2026-13-02”不是有效日期（应为 2026-03-02）")]
    assert len(first.imported) == len(second.imported) == CHUNK + 7 == len(requests) / 2
    for stored in (requests, clocks, events):
        assert [stored[i] for i in first.imported] == [stored[i] for i in second.imported]
    assert len(gk.json("ledger")) == 2 * (CHUNK + 7) and gk.json("audit", "verify")["ok"]


def test_import_without_a_terminal_draws_no_bar(unit, gk, tmp_path):
    unit("changning")
    path = tmp_path / "old.csv"
    write_big_ledger(path, 3)
    result = gk.ok("request", "import", str(path), "--map", MAP)
    assert result.stdout == "已导入 3 件。\n" and result.stderr == ""
