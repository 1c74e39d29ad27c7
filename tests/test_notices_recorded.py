"""A notice made at the command line is recorded as the web's is (issue 34): one core function
(``notices.issue``) renders it and appends a ``notice`` event with its kind, step, 文号 and the
SHA-256 of the file handed out; the timeline names it and ``audit verify`` checks it."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from gongkai.core.app import App
from requests_helpers import LoggedIn, new_request
from test_accounts import PASSWORD
from test_case_work import staff


def notices(gk, rid):
    return [e for e in gk.json("request", "show", rid)["events"] if e["action"] == "notice"]


def test_a_cli_notice_is_an_event_on_the_request(gk, unit, backend, tmp_path):
    gk = LoggedIn(gk, PASSWORD)
    unit("xixian")
    staff(gk)
    # the step's --notice: made and recorded by the step's signer
    rid = str(new_request(gk, extra=["--by", "clerk", "--notice", str(tmp_path / "回执.docx")])["id"])
    [receipt] = notices(gk, rid)
    assert receipt["actor"] == "clerk" and receipt["after"]["kind"] == "receipt"
    assert receipt["after"]["step"] == "receive" and receipt["after"]["format"] == "docx"
    assert receipt["after"]["sha256"] == hashlib.sha256((tmp_path / "回执.docx").read_bytes()).hexdigest()
    # `request notice`: the same event, by the logged-in account
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-04", "--period-days", "10", "--what", "信息的文号",
          "--by", "clerk", "--notice", str(tmp_path / "补正（随步骤）.md"))
    step_notice = notices(gk, rid)[-1]
    assert step_notice["actor"] == "clerk" and step_notice["after"]["step"] == "notify_correction"
    gk.ok("request", "notice", rid, "--kind", "补正", "--format", "docx", "--out", str(tmp_path / "补正.docx"),
          "--by", "clerk")
    gk.ok("request", "notice", rid, "--kind", "补正", "--format", "md", "--out", str(tmp_path / "补正.md"),
          "--by", "clerk")
    _, _, docx, md = notices(gk, rid)
    assert docx["after"]["step"] == "notify_correction" and docx["after"]["title"] == "政府信息公开申请补正告知书"
    assert docx["after"]["sha256"] == hashlib.sha256((tmp_path / "补正.docx").read_bytes()).hexdigest()
    assert md["after"]["sha256"] == hashlib.sha256((tmp_path / "补正.md").read_bytes()).hexdigest()
    assert docx["after"]["number"] and docx["after"]["on"] == "2026-03-04"
    # the timeline in words
    shown = gk.ok("request", "show", rid).output
    assert "出具告知书" in shown and "政府信息公开申请补正告知书" in shown
    # a notice that cannot be made records nothing, and writes nothing
    gk.fails("request", "notice", rid, "--kind", "延期", "--format", "md", "--out", str(tmp_path / "延期.md"),
             "--by", "clerk")
    assert not (tmp_path / "延期.md").exists() and len(notices(gk, rid)) == 4
    # an existing file is not replaced, and the refusal leaves no event
    gk.fails("request", "notice", rid, "--kind", "补正", "--format", "md", "--out", str(tmp_path / "补正.md"),
             "--by", "clerk")
    assert len(notices(gk, rid)) == 4
    # only a 承办人 issues notices (the web asks the same permission)
    gk.fails("request", "notice", rid, "--kind", "补正", "--format", "md", "--out", "-", "--by", "lawyer", code=3)
    assert len(notices(gk, rid)) == 4
    assert gk("audit", "verify").exit_code == 0
    # the hash handed out, changed behind the application's back, is found
    app = App()
    with app.engine.begin() as conn:
        conn.execute(text('UPDATE event SET "after" = REPLACE("after", :old, :new) WHERE id = :i AND unit_id IS NOT NULL'),
                     {"old": md["after"]["sha256"], "new": "0" * 64, "i": md["id"]})
    app.engine.dispose()
    found = gk("audit", "verify")
    assert found.exit_code != 0
