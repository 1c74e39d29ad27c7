"""Online applications: pending until confirmed (counted nowhere), confirmed with the day of
receipt (条例 第三十一条（三）), declined with a reason; attachments in the database with their
SHA-256 under `audit verify`; deliveries (送达) with the remedies' last days."""

from __future__ import annotations

import datetime as dt
import sqlite3

from online_helpers import PDF, file_online

from gongkai.core.today import today

TODAY = today().isoformat()


def test_pending_application_counts_nowhere_until_confirmed(unit, gk, tmp_path):
    unit("changning")
    application, code = file_online()
    assert len(code) == 20
    pending = gk.json("request", "pending")
    assert [p["id"] for p in pending] == [application]
    assert pending[0]["applicant"] == "张三" and pending[0]["tracking_code"] == code[:4] + "-…"
    assert code[4:] not in gk.ok("request", "pending").stdout
    assert gk.json("ledger") == []
    year = str(today().year)
    assert gk.json("report", "annual", "--year", year)["requests"]["new"]["total"] == 0  # not yet received
    data = gk.json("request", "confirm", str(application), "--on", TODAY)
    assert gk.json("report", "annual", "--year", year)["requests"]["new"]["natural_person"] == 1
    assert data["channel"] == "online" and data["received"] == TODAY
    assert gk.json("request", "pending") == []
    assert [r["id"] for r in gk.json("ledger")] == [data["id"]]
    files = gk.json("request", "attachments", str(data["id"]))
    assert files[0]["file_name"] == "身份证.pdf" and files[0]["kind_name"] == "申请材料"
    assert "已确认" in gk.fails("request", "confirm", str(application), "--on", TODAY).stderr
    assert gk.json("audit", "verify")["ok"]


def test_decline_needs_a_reason_and_is_logged(unit, gk):
    unit("changning")
    application, _ = file_online()
    gk.fails("request", "decline", str(application), "--reason", " ")
    gk.ok("request", "decline", str(application), "--reason", "不属于政府信息公开申请")
    assert gk.json("request", "pending") == []
    assert gk.json("audit", "verify")["ok"]


def test_attach_checks_content_and_audit_verify_names_a_changed_file(unit, gk, tmp_path):
    unit("changning")
    gk.ok("request", "new", "--applicant", "李四", "--applicant-type", "natural_person", "--channel", "in_person",
          "--submitted", TODAY, "--subject", "某项目批复")
    exe = tmp_path / "说明.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    assert "不是" in gk.fails("request", "attach", "1", str(exe), "--kind", "提供的信息").stderr
    big = tmp_path / "big.pdf"
    with open(big, "wb") as out:  # one byte over a 1 MB limit, written sparse
        out.write(b"%PDF-1.4\n")
        out.truncate(1024 * 1024 + 1)
    (tmp_path / "gongkai.toml").write_text((tmp_path / "gongkai.toml").read_text() + "[attachments]\nmax_mb = 1\n")
    assert "超过大小上限" in gk.fails("request", "attach", "1", str(big), "--kind", "其他").stderr
    good = tmp_path / "送达回证.pdf"
    good.write_bytes(PDF * 20000)  # several chunks
    data = gk.json("request", "attach", "1", str(good), "--kind", "其他")
    assert data["size"] == len(PDF) * 20000
    assert [a["file_name"] for a in gk.json("request", "attachments", "1")] == ["送达回证.pdf"]
    db = sqlite3.connect(tmp_path / "gongkai.db")
    assert db.execute("SELECT count(*) FROM attachment_chunk").fetchone()[0] == (len(PDF) * 20000) // (256 * 1024) + 1
    assert gk.json("audit", "verify")["ok"]
    with db:
        db.execute("UPDATE attachment_chunk SET data = X'00' WHERE seq = 1")
    report = gk("audit", "verify")
    assert report.exit_code != 0 and "送达回证.pdf" in report.stderr
    db.close()


def test_delivery_gives_the_remedies_last_days(unit, gk, tmp_path):
    unit("changning")
    application, _ = file_online()
    request_id = gk.json("request", "confirm", str(application), "--on", TODAY)["id"]
    proof = tmp_path / "回执.pdf"
    proof.write_bytes(PDF)
    data = gk.json("request", "deliver", str(request_id), "--letter", "收到申请确认书", "--how", "邮寄", "--on", TODAY,
                   "--tracking", "EMS1234567890", "--proof", str(proof))
    assert data["how"] == "post" and data["reconsideration_until"] >= (today() + dt.timedelta(days=60)).isoformat()
    assert data["lawsuit_until"] > data["reconsideration_until"]
    shown = gk.json("request", "show", str(request_id))
    assert shown["deliveries"][0]["on"] == TODAY
    assert "尚未出具" in gk.fails("request", "deliver", str(request_id), "--how", "邮寄", "--on", TODAY).stderr
    assert gk.json("audit", "verify")["ok"]


def test_the_readme_commands_work_as_shown(unit, gk, tmp_path):
    """The README's "applicant's side" commands, as written (the README's date: the day of the run)."""
    import json
    import re
    import shlex
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The applicant's side"):]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    commands = [shlex.split(line.replace("2026-12-08", TODAY), comments=True)[1:]
                for line in block.splitlines() if line.startswith("gongkai ")]
    assert [c[:2] for c in commands] == [["request", "pending"], ["request", "confirm"], ["request", "decline"],
                                         ["request", "attachments"], ["request", "attach"], ["request", "deliver"],
                                         ["request", "show"]]
    unit("changning")
    file_online()
    file_online({"applicant": "李四", "id_number": "11010519491231002X"})
    (tmp_path / "送达回证.pdf").write_bytes(PDF)
    outputs = [gk.ok(*command).stdout for command in commands]
    assert "张三" in outputs[0] and "李四" in outputs[0]
    shown = json.loads(outputs[-1])
    assert shown["channel"] == "online" and shown["received"] == TODAY
    assert [(d["how"], d["on"]) for d in shown["deliveries"]] == [("post", TODAY)]
    assert {"reconsideration_until", "lawsuit_until"} <= set(shown["deliveries"][0])
    assert [a["kind"] for a in shown["attachments"]] == ["application", "delivery_proof", "delivery_proof"]
    assert gk.json("audit", "verify")["ok"]


def test_the_applicants_view_agrees_with_the_request_page(unit, gk, backend):
    """/track reads only its few rows, by key (core.requests.progress); what it shows is what the
    request page (ledger.show) says, on either database: the state, the day of receipt, the due
    date and working days left, the extension, the pause, the letters and their delivery."""
    from gongkai.core.app import App
    from gongkai.core.requests import delivery, ledger, online, progress, workflow

    unit("changning")
    application, _ = file_online()
    gk.ok("request", "confirm", str(application), "--on", TODAY)
    gk.ok("request", "extend", "1", "--days", "20", "--approved-by", "王局长", "--on", TODAY)
    gk.ok("request", "pause", "1", "--reason", "征求第三方意见", "--on", TODAY, "--to", "某建设公司")
    gk.ok("request", "deliver", "1", "--letter", "延期答复告知书", "--how", "邮寄", "--on", TODAY)
    app = App()
    try:
        with app.session() as session:
            row = online.load(session, application)
            view = progress.of_application(session, app, row, today())
            req = workflow.load(session, row.request_id)
            staff = ledger.show(session, app, req, today())
            issued = delivery.issued(session, req)
    finally:
        app.engine.dispose()
    assert (view["state_name"], view["request_state"], view["received"], view["due"], view["days_left"]) == (
        staff["state_name"], staff["state"], staff["received"], staff["due"], staff["days_left"])
    assert view["request_state"] == "paused" and view["received"] == TODAY
    assert [(p["start"], p["end"]) for p in view["pauses"]] == [(p["start"], p["end"]) for p in staff["pauses"]] == [(TODAY, None)]
    assert view["pauses"][0]["reason"] == "征求第三方意见"
    assert [(e["amount"], e["unit"], e["told_on"]) for e in view["extensions"]] == [(20, "个工作日", TODAY)]
    assert [letter["code"] for letter in view["letters"]] == issued == ["receipt", "extension"]
    assert [(letter["code"], letter["delivered"]) for letter in view["letters"]] == [("receipt", None), ("extension", TODAY)]
    assert view["correction"] is None
