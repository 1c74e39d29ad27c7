"""Units as records (issue 17): a district server holds many units and no query of one unit
returns another's rows; each unit's letters are numbered in its own sequence per year."""

from __future__ import annotations

import json

import pytest
from requests_helpers import approve_chain, before_steps, new_request

SAME = dict(applicant="张三", subject="2026年老旧小区改造资金安排")


@pytest.fixture
def district(backend, gk, tmp_path):
    """A district folder with two units whose records would otherwise mix."""
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fgj", "--name", "上海市长宁区发展和改革委员会", "--letter-prefix", "长发改公开")
    gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局", "--letter-prefix", "长房公开", "--level", "部门",
          "--parent", "fgj")
    return backend


def fill(gk, code: str, replies: int = 2) -> list[int]:
    """The same refs, applicants and subjects in each unit; some replied, a document, a matter."""
    ids = []
    for n in range(1, replies + 2):
        made = new_request(gk, extra=("--ref", f"长申〔2026〕{n}号"), **SAME)
        ids.append(made["id"])
    for request_id in ids[:replies]:
        approve_chain(gk, request_id, before_steps(gk, request_id))
        gk.ok("request", "reply", str(request_id), "--outcome", "予以公开", "--on", "2026-03-12", "--by", "办理人")
    gk.ok("request", "appeal", str(ids[0]), "--kind", "reconsideration", "--filed", "2026-04-01")
    gk.ok("document", "new", "--title", f"{code}的通知", "--kind", "其他", "--attribute", "主动公开",
          "--finalised", "2026-09-24")
    gk.ok("matter", "open", "consult.reply", "--at", "2026-10-06", "--note", f"{code}咨询")
    return ids


def fill_both(gk, monkeypatch) -> tuple[list[int], list[int]]:
    """fgj with two replies, fj with one (GONGKAI_UNIT choosing the unit, as a shell would)."""
    made = []
    for code, replies in (("fgj", 2), ("fj", 1)):
        monkeypatch.setenv("GONGKAI_UNIT", code)
        made.append(fill(gk, code, replies=replies))
    monkeypatch.delenv("GONGKAI_UNIT")
    return made[0], made[1]


def as_unit(gk, code, *args):
    return gk.json("--unit", code, *args)


def test_a_command_on_a_district_server_without_a_unit_is_refused(district, gk):
    refused = gk.fails("ledger")
    assert "--unit" in refused.stderr and "GONGKAI_UNIT" in refused.stderr
    refused = gk.fails("--unit", "nope", "ledger")
    assert "nope" in refused.stderr and "fgj（上海市长宁区发展和改革委员会）" in refused.stderr
    units = gk.json("unit", "list")
    assert [(u["code"], u["parent"], u["level"]) for u in units] == [("fgj", None, "department"), ("fj", "fgj", "department")]
    text = gk.ok("unit", "list").stdout
    assert "部门" in text and "department" not in text
    assert "已存在" in gk.fails("unit", "add", "fj", "--name", "重复").stderr
    assert "单位代码“FJ 2”无效" in gk.fails("unit", "add", "FJ 2", "--name", "x").stderr
    assert "值为空" in gk.fails("unit", "add", "jw", "--name", " ").stderr
    gk.ok("unit", "edit", "fj", "--letter-prefix", "长房信", "--level", "街道（乡镇）")
    shown = gk.json("unit", "show", "fj")
    assert (shown["letter_prefix"], shown["level"], shown["parent"]) == ("长房信", "street", "fgj")
    assert "街道（乡镇）" in gk.ok("unit", "show", "fj").stdout
    assert "没有要修改的内容" in gk.fails("unit", "edit", "fj", "--letter-prefix", "长房信").stderr
    assert "本身或其下级" in gk.fails("unit", "edit", "fgj", "--parent", "fj").stderr
    assert gk.json("--unit", "fj", "audit", "verify")["events"] == 2  # added, edited: the unit's own chain


def test_no_listing_show_report_search_or_audit_of_one_unit_returns_another_units_rows(district, gk, monkeypatch):
    a, b = fill_both(gk, monkeypatch)
    assert not set(a) & set(b)
    for code, mine, theirs in (("fgj", a, b), ("fj", b, a)):
        ledger = as_unit(gk, code, "ledger")
        assert sorted(r["id"] for r in ledger) == sorted(mine)
        found = as_unit(gk, code, "ledger", "--search", "老旧小区")
        assert sorted(r["id"] for r in found) == sorted(mine)
        assert {r["ref"] for r in ledger} == {f"长申〔2026〕{n}号" for n in range(1, len(mine) + 1)}
        for other in theirs:
            refused = gk.fails("--unit", code, "request", "show", str(other))
            assert f"没有编号为 {other} 的申请" in refused.stderr
        documents = as_unit(gk, code, "documents")
        assert [d["title"] for d in documents] == [f"{code}的通知"]
        matters = as_unit(gk, code, "matters")
        assert [m["note"] for m in matters] == [f"{code}咨询"]
        report = as_unit(gk, code, "report", "annual", "--year", "2026")
        assert report["unit"] == {"fgj": "上海市长宁区发展和改革委员会", "fj": "上海市长宁区房屋管理局"}[code]
        assert report["appeals"]["reconsideration"]["total"] == 1
        verify = as_unit(gk, code, "audit", "verify")
        assert verify["ok"] and verify["records"]["checked"]["request"] == len(mine)
        assert verify["records"]["checked"]["document"] == 1 and verify["records"]["checked"]["matter"] == 1
    # a unit's chain is its own: the per-unit verify passes, and so does the district's
    everything = gk.json("audit", "verify")
    assert everything["ok"] and [u["unit"] for u in everything["units"]] == ["fgj", "fj"]
    checked = gk.json("db", "check")
    assert checked["ok"] and [u["unit"] for u in checked["audit"]["units"]] == ["fgj", "fj"]
    # the same ref is refused twice in one unit, allowed once in each
    refused = gk.fails("--unit", "fj", "request", "new", "--applicant", "李四", "--applicant-type", "natural_person",
                       "--channel", "in_person", "--submitted", "2026-03-02", "--subject", "x", "--ref", "长申〔2026〕1号")
    assert "长申〔2026〕1号" in refused.stderr


def test_each_units_letters_are_numbered_in_its_own_sequence_per_year(district, gk, monkeypatch):
    a, b = fill_both(gk, monkeypatch)
    numbers = {}
    for code, ids in (("fgj", a[:2]), ("fj", b[:1])):
        for request_id in ids:
            gk.ok("--unit", code, "request", "letter", str(request_id), "--format", "md", "--out", f"{request_id}.md")
            text = open(f"{request_id}.md", encoding="utf-8").read()
            numbers[request_id] = next(line for line in text.splitlines() if "〔2026〕" in line).strip()
    assert "长发改公开〔2026〕1号" in numbers[a[0]] and "长发改公开〔2026〕2号" in numbers[a[1]]
    assert "长房公开〔2026〕1号" in numbers[b[0]]
