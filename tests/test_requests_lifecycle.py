"""The whole lifecycle from the CLI, for all four jurisdictions (the issue's CLI contract)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from gongkai.core.paperwork.render import docx_text
from requests_helpers import JURISDICTIONS, approve_chain, before_steps, new_request


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_lifecycle_from_intake_to_letter(gk, unit, tmp_path, jurisdiction):
    unit(jurisdiction)
    created = new_request(gk, channel="post_signed", submitted="2026-09-24")
    assert set(created) >= {"id", "received", "due"}
    assert created["received"] == "2026-09-24"
    assert created["due"] == "2026-10-29"  # 20 WD across the National Day holiday
    rid = str(created["id"])

    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-09-29")
    paused = gk.json("request", "show", rid)
    assert paused["paused"] is True and paused["state"] == "paused"
    gk.ok("request", "resume", rid, "--on", "2026-10-13")  # 6 WD stood still
    assert gk.json("request", "show", rid)["due"] == "2026-11-06"

    approve_chain(gk, rid, before_steps(gk, rid), on="2026-10-14", outcome="disclosed", proposal=("--reason", "属于公开范围"))
    gk.ok("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-10-15", "--reason", "属于公开范围",
          "--by", "承办人")
    shown = gk.json("request", "show", rid)
    assert shown["state"] == "replied" and shown["outcome"] == "disclosed"
    assert set(shown) >= {"id", "state", "received", "due", "limit", "working_days_used", "paused", "outcome",
                          "review_steps", "events"}
    assert all(s["done"] for s in shown["review_steps"] if s["stage"] == "before")
    assert [e["action"] for e in shown["events"]][:3] == ["receive", "pause", "resume"]
    assert shown["events"][-1]["before"]["state"] in ("reviewing", "processing")
    assert shown["events"][-1]["after"]["state"] == "replied"

    for fmt in ("md", "docx"):
        out = tmp_path / f"letter.{fmt}"
        gk.ok("request", "letter", rid, "--format", fmt, "--out", str(out))
        text = out.read_text(encoding="utf-8") if fmt == "md" else docx_text(out)
        assert "张三" in text and "2026年9月24日" in text and "2026年10月15日" in text

    ledger = gk.json("ledger")
    assert [r["id"] for r in ledger] == [created["id"]]
    assert set(ledger[0]) >= {"id", "state", "received", "due", "limit", "working_days_used", "paused", "outcome"}


def test_refused_step_exits_nonzero_in_chinese(gk, unit):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    result = gk.fails("request", "reply", rid, "--outcome", "disclosed", "--on", "2026-03-05", code=3)
    assert "承办人拟稿" in result.stderr and "draft" not in result.stderr  # the step by name, never its code
    gk.fails("request", "show", "99")
    gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "robot", "--channel", "in_person",
             "--submitted", "2026-03-02", "--subject", "x")
    gk.fails("request", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
             "--submitted", "2026-02-30", "--subject", "x")


@pytest.mark.sqlite_only  # inspects the SQLite file itself
def test_database_reopened_after_cli_holds_everything(gk, unit, tmp_path):
    unit("changning")
    rid = new_request(gk)["id"]
    gk.ok("request", "pause", str(rid), "--reason", "other_agency", "--on", "2026-03-04")
    gk.ok("request", "resume", str(rid), "--on", "2026-03-11")
    approve_chain(gk, rid, ["draft", "confidentiality", "office_head"], on="2026-03-12", outcome="unavailable.not_held")
    gk.ok("request", "reply", str(rid), "--outcome", "unavailable.not_held", "--on", "2026-03-13")
    # a plain sqlite3 connection, after every CLI process is gone
    db = sqlite3.connect(tmp_path / "gongkai.db")
    state, outcome, received = db.execute(
        "select state, outcome, received from disclosure_request where id = ?", (rid,)).fetchone()
    assert (state, outcome, received) == ("replied", "unavailable.not_held", "2026-03-02")
    pauses = db.execute("select reason, start, \"end\" from request_pause").fetchall()
    assert pauses == [("other_agency", "2026-03-04", "2026-03-11")]
    reviews = db.execute("select step_id, actor from request_review order by id").fetchall()
    assert reviews == [("draft", "审核人0"), ("confidentiality", "审核人1"), ("office_head", "审核人2")]
    clocks = dict(db.execute("select name, status from deadline where owner_kind = 'request'").fetchall())
    assert clocks["reply"] == "met" and clocks["agency_opinion"] == "met"
    assert clocks["intake"] == "late"  # received 2 March, entered today: late is late (issue 32 item 4)
    actions = [a for (a,) in db.execute("select action from event where subject_kind='request' order by id")]
    assert actions == ["receive", "pause", "resume", "review", "review", "review", "reply"]
    db.close()


@pytest.mark.sqlite_only  # inspects the SQLite file itself
def test_init_writes_config_and_refuses_overwrite(gk, tmp_path):
    gk.ok("init", "--jurisdiction", "wuyuan", "--unit", "五原县人民政府办公室")
    text = (tmp_path / "gongkai.toml").read_text(encoding="utf-8")
    assert 'jurisdiction = "wuyuan"' in text and "五原县人民政府办公室" in text
    assert "reconsideration_body" in text and "database_url" in text
    assert (tmp_path / "gongkai.db").is_file()
    gk.fails("init", "--jurisdiction", "wuyuan", "--unit", "另一个单位")
    gk.ok("init", "--jurisdiction", "yanta", "--unit", "雁塔区政府办", "--force")
    assert 'jurisdiction = "yanta"' in (tmp_path / "gongkai.toml").read_text(encoding="utf-8")
    gk.fails("init", "--jurisdiction", "atlantis", "--unit", "x", "--force")


@pytest.mark.sqlite_only  # inspects the SQLite file itself
@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_demo_leaves_the_letter_on_disk(gk, tmp_path, jurisdiction):
    out = tmp_path / "demo"
    pdf = jurisdiction == "xixian" and shutil.which("soffice")  # LibreOffice once, for the README's demo
    result = gk.json("demo", "--jurisdiction", jurisdiction, "--out", str(out), *([] if pdf else ["--no-pdf"]))
    assert (out / "demo.db").is_file()
    md = (out / f"答复告知书-{result['request_id']}.md").read_text(encoding="utf-8")
    assert "部分公开" in md or "不予公开的内容" in md
    assert "张明" in docx_text(result["letter_docx"])
    assert "收到申请的日期为2026年9月24日" in docx_text(result["receipt_docx"])
    if pdf:
        assert Path(result["letter_pdf"]).read_bytes().startswith(b"%PDF")
