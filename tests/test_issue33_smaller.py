"""The smaller findings of issue 33 (item 8 of "What failed"): report annual's --unit, a demo
that cannot finish, init --force over another unit's records, the channel 当面 in an import,
and the digest's GONGKAI_TODAY."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from requests_helpers import new_request


def test_report_annual_refuses_two_units_and_names_the_signer_apart(unit, gk):
    unit("changning")
    new_request(gk, submitted="2026-03-02")
    refused = gk.fails("--unit", "main", "report", "annual", "--year", "2026", "--unit", "other")
    assert "不同的单位" in refused.stderr and "--unit-name" in refused.stderr
    assert gk.json("report", "annual", "--year", "2026", "--unit", "main")["requests"]
    titled = gk.json("report", "annual", "--year", "2026", "--unit-name", "某某街道办事处")
    assert "某某街道办事处" in titled["title"]


def test_a_demo_that_cannot_finish_leaves_nothing(gk, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_SOFFICE", "/bin/false")  # LibreOffice fails at the very end
    gk.fails("demo", "--jurisdiction", "changning", "--out", "new/demo")
    assert not (tmp_path / "new").exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine", encoding="utf-8")
    gk.fails("demo", "--jurisdiction", "changning", "--out", str(existing))
    assert sorted(p.name for p in existing.iterdir()) == ["notes.txt"]


def test_a_finished_demo_is_all_there(gk, tmp_path):
    data = gk.json("demo", "--jurisdiction", "changning", "--out", "d", "--no-pdf")
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert "gongkai.toml" in names and "demo.db" in names and not [n for n in names if n.startswith(".")]
    assert Path(data["letter_docx"]).is_file() and Path(data["database"]).resolve().parent == tmp_path / "d"


@pytest.mark.sqlite_only  # init checks the database gongkai.toml names; GONGKAI_DATABASE_URL would put the records elsewhere
def test_init_force_does_not_rebind_a_units_records_to_another_name(gk, tmp_path):
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某某局")
    new_request(gk, submitted="2026-03-02")
    before = (tmp_path / "gongkai.toml").read_bytes()
    refused = gk.fails("init", "--jurisdiction", "changning", "--unit", "另一个单位", "--force")
    assert "长宁区某某局" in refused.stderr and "unit edit" in refused.stderr
    assert (tmp_path / "gongkai.toml").read_bytes() == before
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某某局", "--force")  # the same unit: fine


@pytest.mark.parametrize("channel", ["当面", "当面提交", "in_person"])
def test_request_import_takes_the_channel_as_request_new_does(unit, gk, tmp_path, channel):
    unit("changning")
    new_request(gk, channel="当面", submitted="2026-03-02")
    path = tmp_path / "台账.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["申请人", "申请人类型", "渠道", "提交日期", "申请内容"],
                                 ["李四", "自然人", channel, "2026-03-03", "预算"]])
    assert gk.json("request", "import", str(path))["imported"] == 1


def test_digest_honours_gongkai_today(unit, gk, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-03-05")
    assert gk.json("digest")["today"] == "2026-03-05"
