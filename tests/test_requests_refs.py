"""The unit's own reference (本单位编号) on a request: at intake, in imports, unique, searchable,
in the ledger and on letters, and accepted wherever a command names a request."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from requests_helpers import new_request

REF = "长房申〔2025〕17号"


def test_a_reference_given_at_intake_names_the_request_everywhere(backend, unit, gk, tmp_path):
    unit("changning")
    data = new_request(gk, extra=["--ref", REF])
    assert data["ref"] == REF
    assert f"（{REF}）" in gk.ok("request", "show", REF).stdout
    assert gk.json("request", "show", REF)["id"] == data["id"]
    # a step names the request by its reference
    assert gk.json("request", "pause", REF, "--reason", "third_party", "--on", "2026-03-04")["state"] == "paused"
    new_request(gk, applicant="李四", extra=["--ref", "长房申〔2025〕18号"])
    new_request(gk, applicant="王五")
    assert [r["id"] for r in gk.json("ledger", "--ref", "〔2025〕17")] == [data["id"]]
    assert [r["ref"] for r in gk.json("ledger")] == [REF, "长房申〔2025〕18号", None]
    assert REF in gk.ok("ledger").stdout
    gk.ok("ledger", "--xlsx", str(tmp_path / "l.xlsx"))
    sheet = load_workbook(tmp_path / "l.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[1].index("本单位编号")  # under the title row
    assert rows[2][column] == REF


def test_a_reference_is_unique_within_the_unit(unit, gk):
    unit("changning")
    first = new_request(gk, extra=["--ref", REF])
    result = gk.fails("request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel",
                      "in_person", "--submitted", "2026-03-02", "--subject", "预算", "--ref", f"  {REF} ")
    assert f"本单位编号“{REF}”已用于申请 {first['id']}" in result.stderr
    result = gk.fails("request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel",
                      "in_person", "--submitted", "2026-03-02", "--subject", "预算", "--ref", "2025017")
    assert "全为数字" in result.stderr
    assert len(gk.json("ledger")) == 1
    assert "没有本单位编号为“长房申〔2025〕99号”的申请" in gk.fails("request", "show", "长房申〔2025〕99号").stderr


def test_the_letter_carries_the_reference(unit, gk, tmp_path):
    unit("changning")
    data = new_request(gk, extra=["--ref", REF])
    for i, step in enumerate(s["id"] for s in data["review_steps"] if s["stage"] == "before"):
        gk.ok("request", "review", REF, "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--on", "2026-03-10", "--outcome", "disclosed")
    gk.ok("request", "reply", REF, "--outcome", "disclosed", "--on", "2026-03-12")
    gk.ok("request", "letter", REF, "--format", "md", "--out", str(tmp_path / "letter.md"))
    assert REF in (tmp_path / "letter.md").read_text(encoding="utf-8")


def test_an_import_keeps_references_and_refuses_a_repeated_one(backend, unit, gk, tmp_path):
    unit("changning")
    new_request(gk, extra=["--ref", REF])
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["编号", "申请人", "类型", "渠道", "提交日期", "内容"])
        out.writerow(["长房申〔2025〕20号", "甲", "自然人", "当面提交", "2025-03-02", "预算"])
        out.writerow([REF, "乙", "自然人", "当面提交", "2025-03-02", "决算"])  # already in the database
        out.writerow(["长房申〔2025〕20号", "丙", "自然人", "当面提交", "2025-03-03", "规划"])  # earlier in the file
        out.writerow(["", "丁", "自然人", "当面提交", "2025-03-03", "规划"])  # no reference: fine
    result = gk("request", "import", str(path), "--map",
                "编号=ref,申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,内容=subject", "--json")
    assert result.exit_code == 1  # rows were refused
    report = json.loads(result.stdout)
    assert report["imported"] == 2
    assert [(e["row"], "已被使用" in e["error"]) for e in report["errors"]] == [(3, True), (4, True)]
    assert gk.json("request", "show", "长房申〔2025〕20号")["applicant"] == "甲"
    assert [r["ref"] for r in gk.json("ledger")] == [REF, "长房申〔2025〕20号", None]
