"""The applicant's pages without a browser: /apply (CSRF, honeypot, content check, size and rate
limits), the receipt and its email, /track (same answer for wrong codes), letters as PDF and the
first download recorded as 网上送达, a 补正 answered online."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette")
from conftest import Cli, write_config  # noqa: E402
from online_helpers import FORM, PDF  # noqa: E402

from gongkai.core.app import App  # noqa: E402
from gongkai.core.today import today  # noqa: E402


def client():
    from starlette.testclient import TestClient

    from gongkai.core.web.app import create_app
    app = App()
    c = TestClient(create_app(app), follow_redirects=False)
    c.office = app
    c.token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/apply").text).group(1)
    return c


def file(c, form=None, files=None, token=None):
    data = {**FORM, "csrf_token": token or c.token, **(form or {})}
    return c.post("/apply", data=data, files=files if files is not None else [("attachment", ("身份证.pdf", PDF, "application/pdf"))])


@pytest.fixture
def unit_here(unit):
    return unit("changning")


def test_apply_gives_a_receipt_with_a_code_that_tracks_the_application(unit_here, gk: Cli):
    c = client()
    page = c.get("/apply")
    assert page.status_code == 200 and 'name="applicant"' in page.text and 'name="website"' in page.text
    r = file(c)
    assert r.status_code == 200, r.text
    code = re.search(r'id="tracking-code">([^<]+)<', r.text).group(1)
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code)
    pending = gk.json("request", "pending")
    assert len(pending) == 1 and pending[0]["tracking_code"] == code[:4] + "-…"
    t = c.post("/track", data={"code": code.lower(), "check": "5678", "csrf_token": c.token})
    assert t.status_code == 200 and "待确认" in t.text
    assert "身份证.pdf" not in t.text  # attachments are never shown to the public
    gk.ok("request", "confirm", str(pending[0]["id"]), "--on", today().isoformat())
    t = c.post("/track", data={"code": code, "check": "4514", "csrf_token": c.token})  # the ID's last four
    assert "收到申请之日" in t.text and today().isoformat() in t.text and 'value="receipt"' in t.text
    pdf = c.post("/track/letter", data={"code": code, "check": "5678", "letter": "receipt", "csrf_token": c.token})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    shown = gk.json("request", "show", "1")
    assert [(d["letter"], d["how"], d["on"]) for d in shown["deliveries"]] == [("receipt", "online", today().isoformat())]
    c.post("/track/letter", data={"code": code, "check": "5678", "letter": "receipt", "csrf_token": c.token})
    assert len(gk.json("request", "show", "1")["deliveries"]) == 1  # the first download only
    assert gk.json("audit", "verify")["ok"]


def test_wrong_codes_get_one_answer(unit_here, gk):
    c = client()
    code = re.search(r'id="tracking-code">([^<]+)<', file(c).text).group(1)
    answers = set()
    for code_sent, check in ((code, "0000"), ("AAAA-BBBB-CCCC-DDDD-EEEE", "5678"), ("", ""), ("x" * 5000, "1")):
        r = c.post("/track", data={"code": code_sent, "check": check, "csrf_token": c.token})
        answers.add((r.status_code, re.sub(r'value="[^"]+"', "", r.text)))
    assert len(answers) == 1 and "查询码或校验号码不正确" in next(iter(answers))[1]


def test_hostile_uploads_are_refused_and_nothing_is_stored(unit_here, gk, tmp_path):
    c = client()
    exe = b"MZ\x90\x00\x03" + b"\x00" * 2000 + b"This program cannot be run in DOS mode"
    r = file(c, files=[("attachment", ("身份证.pdf", exe, "application/pdf"))])
    assert r.status_code == 400 and "不是 PDF、JPEG、PNG 文件" in r.text
    r = c.post("/apply", content=b"x" * 10, headers={"content-type": "multipart/form-data; boundary=b",
                                                  "content-length": str(200 * 1024 * 1024)})
    assert r.status_code == 413 and "过大" in r.text
    r = file(c, form={"website": "http://spam.example"})
    assert r.status_code == 400 and "未予受理" in r.text
    r = file(c, token="forged-token-0123456789abcdef")
    assert r.status_code == 400 and "安全校验码" in r.text
    r = file(c, form={"id_number": "110101199003074515"})
    assert r.status_code == 400 and "校验码" in r.text and "--" not in r.text
    assert gk.json("request", "pending") == []
    import sqlite3

    db = sqlite3.connect(tmp_path / "gongkai.db")
    assert db.execute("SELECT count(*) FROM attachment_chunk").fetchone()[0] == 0
    db.close()


def test_many_applications_from_one_address_are_rate_limited(unit_here, gk):
    c = client()
    statuses = [file(c).status_code for _ in range(1000)]  # a script's thousand
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    r = file(c)
    assert "过于频繁" in r.text
    assert len(gk.json("request", "pending")) == 10


def test_a_correction_is_answered_at_track_and_restarts_the_clock(unit_here, gk):
    c = client()
    code = re.search(r'id="tracking-code">([^<]+)<', file(c).text).group(1)
    gk.ok("request", "confirm", "1", "--on", today().isoformat())
    gk.ok("request", "correct", "1", "--notice-on", today().isoformat(), "--period-days", "10")
    page = c.post("/track", data={"code": code, "check": "5678", "csrf_token": c.token})
    assert 'id="supplement"' in page.text and 'value="correction"' in page.text
    r = c.post("/track/reply", data={"code": code, "check": "5678", "csrf_token": c.token,
                                     "text": "所需信息为2026年第3季度的资金安排表"},
               files=[("attachment", ("补正材料.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"))])
    assert r.status_code == 200 and "补正材料已提交" in r.text
    shown = gk.json("request", "show", "1")
    assert shown["state"] == "processing" and shown["correction"]["corrected_on"] == today().isoformat()
    assert "补正材料.png" in [a["file_name"] for a in shown["attachments"]]
    assert "supplement" in [e["action"] for e in shown["events"]]
    r = c.post("/track/reply", data={"code": code, "check": "5678", "csrf_token": c.token, "text": "再补一次"},
               files=[("attachment", ("x.png", b"\x89PNG\r\n\x1a\n", "image/png"))])
    assert r.status_code == 400 and "无需补正" in r.text
    assert gk.json("audit", "verify")["ok"]


def test_guessing_codes_is_rate_limited_per_address(unit_here, gk):
    c = client()
    statuses = [c.post("/track", data={"code": f"AAAA-BBBB-CCCC-{i:09d}", "check": "1234",
                                       "csrf_token": c.token}).status_code for i in range(10_000)]
    assert statuses[:60] == [404] * 60 and set(statuses[60:]) == {429}
    r = c.post("/track", data={"code": "x", "check": "1", "csrf_token": c.token})
    assert r.status_code == 429 and "过于频繁" in r.text


def test_a_district_applicant_chooses_the_unit_first(gk):
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fga", "--name", "长宁区甲局")
    gk.ok("unit", "add", "fgb", "--name", "长宁区乙局")
    c = client()
    page = c.get("/apply")
    assert 'name="unit"' in page.text and "条例 第十条" in page.text and "长宁区乙局" in page.text
    r = file(c)
    assert r.status_code == 400 and "请选择受理申请的单位" in r.text
    r = file(c, form={"unit": "fgb"})
    assert r.status_code == 200 and "长宁区乙局" in r.text
    code = re.search(r'id="tracking-code">([^<]+)<', r.text).group(1)
    assert [a["applicant"] for a in gk.json("--unit", "fgb", "request", "pending")] == ["张三"]
    assert gk.json("--unit", "fga", "request", "pending") == []
    t = c.post("/track", data={"code": code, "check": "5678", "csrf_token": c.token})
    assert t.status_code == 200 and "长宁区乙局" in t.text and "待确认" in t.text


def test_staff_queue_flags_many_applications_declines_and_serves_files_only_to_staff(tmp_path, monkeypatch):
    """待确认: five applications from one applicant in 30 days are flagged (条例 第三十五条), never
    refused; one is declined with a reason; the scan is downloaded by staff, never by the public."""
    from web_support import make_unit, signed_in

    from gongkai.core.web.app import create_app

    make_unit(tmp_path)
    public = client()
    for _ in range(5):
        assert file(public).status_code == 200
    staff = signed_in(create_app(App()), "clerk")
    page = staff.get("/pending")
    assert page.status_code == 200 and page.text.count("条例 第三十五条") == 5
    assert "110***********4514" in page.text and "110101199003074514" not in page.text  # masked as elsewhere
    r = staff.post("/pending/2/decline", data={"reason": "重复提交", "on": today().isoformat(), "csrf_token": staff.token})
    assert r.status_code == 303
    r = staff.post("/pending/1/confirm", data={"on": today().isoformat(), "csrf_token": staff.token})
    assert r.status_code == 303
    assert "application-2" not in staff.get("/pending").text and "application-1" not in staff.get("/pending").text
    detail = staff.get("/requests/1").text
    link = re.search(r'href="(/requests/1/attachments/\d+)"', detail).group(1)
    got = staff.get(link)
    assert got.status_code == 200 and got.content == PDF
    assert public.get(link).status_code == 303  # to the login page: never served to the public
    assert 'id="action-deliver"' in detail and 'name="proof"' in detail
    fields = {"letter": "receipt", "how": "post", "on": today().isoformat(), "tracking": "EMS1234567890"}
    proof = [("proof", ("回执.pdf", PDF + b"proof", "application/pdf"))]
    forged = staff.post("/requests/1/deliver", data={**fields, "csrf_token": "forged-token-0123456789abcdef"}, files=proof)
    assert forged.status_code == 303 and Cli().json("request", "show", "1")["deliveries"] == []
    done = staff.post("/requests/1/deliver", data={**fields, "csrf_token": staff.token}, files=proof)
    assert done.status_code == 303
    shown = Cli().json("request", "show", "1")
    assert [(d["how"], d["tracking"]) for d in shown["deliveries"]] == [("post", "EMS1234567890")]
    assert shown["deliveries"][0]["proof_sha256"] == [a for a in shown["attachments"] if a["file_name"] == "回执.pdf"][0]["sha256"]
    assert "邮寄" in staff.get("/requests/1").text
    assert Cli().json("audit", "verify")["ok"]


def test_a_wrong_check_on_a_real_code_takes_as_long_as_an_unknown_code(unit, gk, tmp_path):
    """The same work either way (one look-up by the code's hash, the same comparisons): the medians
    of many tries differ by far less than a look-up's cost, whichever is slower."""
    import statistics
    import time

    config = unit("changning")
    config.write_text(config.read_text() + "\n[web]\ntrack_per_hour = 100000\n", encoding="utf-8")
    c = client()
    code = re.search(r'id="tracking-code">([^<]+)<', file(c).text).group(1)
    times: dict[str, list[float]] = {"real code, wrong check": [], "unknown code": []}
    for i in range(120):
        for label, sent in (("real code, wrong check", code), ("unknown code", f"ZZZZ-ZZZZ-ZZZZ-ZZZZ-{i:04d}")):
            started = time.perf_counter()
            r = c.post("/track", data={"code": sent, "check": "0000", "csrf_token": c.token})
            times[label].append(time.perf_counter() - started)
            assert r.status_code == 404
    real, unknown = (statistics.median(v) for v in times.values())
    assert 0.5 < real / unknown < 2, times


def test_the_rate_limit_is_shared_by_every_worker_on_the_database(backend, unit, gk):
    """Two app instances (two workers, or two servers) on one database, on SQLite and PostgreSQL:
    an address gets ``apply_per_hour`` between them, not that many from each."""
    config = unit("changning")
    config.write_text(config.read_text() + "\n[web]\napply_per_hour = 6\ntrack_per_hour = 5\n", encoding="utf-8")
    first, second = client(), client()
    statuses = [file(c).status_code for _ in range(6) for c in (first, second)]
    assert statuses[:6] == [200] * 6 and set(statuses[6:]) == {429}
    assert len(gk.json("request", "pending")) == 6
    tracked = [c.post("/track", data={"code": f"AAAA-BBBB-{i:04d}", "check": "1234", "csrf_token": c.token}).status_code
               for i in range(4) for c in (second, first)]
    assert tracked[:5] == [404] * 5 and set(tracked[5:]) == {429}  # counted apart from the form's


def test_the_hour_slides_and_old_hours_are_pruned(backend, unit):
    """The count of the hour before weighs by the part of it still within the last hour; an
    address's first post in a new hour forgets every hour before the one just gone."""
    from sqlmodel import func, select

    from gongkai.core.requests import online
    from gongkai.core.requests.models import PostCount

    unit("changning")
    office = App()
    hour = 3600 * 500_000
    with office.district_session() as s:
        assert [online.allow_post(s, "apply", "10.0.0.1", 4, hour + 10) for _ in range(5)] == [True] * 4 + [False]
        assert online.allow_post(s, "apply", "10.0.0.2", 4, hour + 10)  # another address: its own count
        # a quarter into the next hour, three quarters of the 4 still count: room for one
        later = hour + 3600 + 900
        assert [online.allow_post(s, "apply", "10.0.0.1", 4, later) for _ in range(2)] == [True, False]
        # half-way, two of the 4 still count: room for two in all this hour, one taken already
        assert online.allow_post(s, "apply", "10.0.0.1", 4, hour + 3600 + 1800)
        assert not online.allow_post(s, "apply", "10.0.0.1", 4, hour + 3600 + 1800)
        assert s.exec(select(func.count()).select_from(PostCount)).one() == 3
        online.allow_post(s, "track", "10.0.0.3", 4, hour + 3 * 3600)  # a new hour: the ones before it go
        assert s.exec(select(PostCount.window_start)).all() == [hour // 3600 + 3]
        assert "10.0.0" not in " ".join(s.exec(select(PostCount.client_hash)).all())  # kept as a hash only


FIELDS_PLUGIN = '''
from gongkai.hookspecs import hookimpl
from gongkai.hookspecs.records import ApplicationField, Jurisdiction, cite


@hookimpl
def gongkai_jurisdiction():
    return Jurisdiction(name="fieldtown", display_name="字段区")


@hookimpl
def gongkai_application_fields():
    return [ApplicationField(name="purpose", label="申请用途", required=True, citation=cite("字段区依申请公开办法", "第八条")),
            ApplicationField(name="delivery_language", label="答复文字", kind="choice", choices=("中文", "中文和英文"))]
'''


@pytest.fixture
def fields_plugin(tmp_path, monkeypatch):
    """A jurisdiction that adds a required field and a choice to the form, installed like any other."""
    site = tmp_path / "site"
    (site / "fieldtown-0.1.dist-info").mkdir(parents=True)
    (site / "fieldtown-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: fieldtown\nVersion: 0.1\n")
    (site / "fieldtown-0.1.dist-info" / "entry_points.txt").write_text("[gongkai]\nfieldtown = fieldtown\n")
    (site / "fieldtown.py").write_text(FIELDS_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))


def test_a_jurisdiction_adds_fields_to_the_form_stored_under_the_log(fields_plugin, unit, gk, tmp_path):
    """The plugin's fields are on the form with their labels and citation, a required one is
    required, a choice takes only its choices; the values go with the application, to the staff
    queue and to ``request pending --json``; changing one behind the log fails ``audit verify``."""
    unit("fieldtown")
    c = client()
    page = c.get("/apply").text
    assert 'name="purpose"' in page and "申请用途" in page and "字段区依申请公开办法 第八条" in page
    assert '<option>中文和英文</option>' in page
    r = file(c)
    assert r.status_code == 400 and "请填写“申请用途”（字段区依申请公开办法 第八条）" in r.text
    r = file(c, form={"purpose": "科研", "delivery_language": "法文"})
    assert r.status_code == 400 and "“答复文字”应为：中文、中文和英文" in r.text
    assert gk.json("request", "pending") == []
    r = file(c, form={"purpose": "用于<b>课题</b>研究", "delivery_language": "中文和英文"})
    assert r.status_code == 200, r.text
    listed = gk.json("request", "pending")
    assert listed[0]["fields"] == [{"name": "delivery_language", "label": "答复文字", "value": "中文和英文"},
                                   {"name": "purpose", "label": "申请用途", "value": "用于<b>课题</b>研究"}]
    from web_support import PASSWORD, signed_in

    from gongkai.core.web.app import create_app

    gk.ok("user", "add", "clerk", "--role", "承办人", "--password-stdin", input=PASSWORD + "\n")
    clerk = signed_in(create_app(App()), "clerk")
    staff = clerk.get("/pending").text
    assert "申请用途" in staff and "用于&lt;b&gt;课题&lt;/b&gt;研究" in staff and "<b>课题" not in staff
    assert clerk.post("/pending/1/confirm", data={"on": today().isoformat(), "csrf_token": clerk.token}).status_code == 303
    shown = gk.json("request", "show", "1")["application_fields"]
    assert [(f["label"], f["value"]) for f in shown] == [("答复文字", "中文和英文"), ("申请用途", "用于<b>课题</b>研究")]
    assert "申请用途" in clerk.get("/requests/1").text
    assert gk.json("audit", "verify")["ok"]
    import sqlite3

    db = sqlite3.connect(tmp_path / "gongkai.db")
    db.execute("UPDATE online_application SET extra_fields = '{\"purpose\": \"改过\"}'")
    db.commit()
    db.close()
    result = gk("audit", "verify")
    assert result.exit_code != 0 and "网上申请 1 的“extra_fields”与事件日志不符" in result.output + result.stderr


def test_the_correction_notice_at_track_says_what_to_supplement(tmp_path):
    """条例 第三十条: the 补正 notice the applicant reads and downloads at /track says what the office
    asked to be supplemented, as recorded with the step (the staff page's 需要补正的事项, as
    ``request correct --what``); where nothing was recorded it says so, never a made-up item."""
    import io

    from pypdf import PdfReader
    from web_support import make_unit, signed_in

    from gongkai.core.requests.evidence import NOT_RECORDED
    from gongkai.core.web.app import create_app

    def squashed(text: str) -> str:
        return re.sub(r"\s+", "", text)

    make_unit(tmp_path)
    public = client()
    codes = [re.search(r'id="tracking-code">([^<]+)<', file(public).text).group(1) for _ in range(2)]
    staff = signed_in(create_app(App()), "clerk")
    on = today().isoformat()
    for n in (1, 2):
        assert staff.post(f"/pending/{n}/confirm", data={"on": on, "csrf_token": staff.token}).status_code == 303
    what = "所需信息的具体年份和工程名称（如：2025年某路段维修工程的预算表）"
    assert 'name="what"' in staff.get("/requests/1").text
    for n, asked in ((1, what), (2, "")):
        r = staff.post(f"/requests/{n}/correct", data={"notice_on": on, "period_days": "10", "what": asked,
                                                      "csrf_token": staff.token})
        assert r.status_code == 303
    assert [e["after"].get("what") for e in Cli().json("request", "show", "1")["events"]
            if e["action"] == "notify_correction"] == [what]

    def seen(code: str, kind: str = "") -> str:
        fields = {"code": code, "check": "5678", "csrf_token": public.token}
        if not kind:
            page = public.post("/track", data=fields)
            assert page.status_code == 200 and 'id="supplement"' in page.text
            return page.text
        pdf = public.post("/track/letter", data={**fields, "letter": kind})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        return squashed("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))

    assert f"需要补正的事项：{what}" in seen(codes[0])
    assert squashed(what) in seen(codes[0], "correction")
    assert "以本机关送达的补正告知书为准" in seen(codes[1])
    notice = seen(codes[1], "correction")
    assert squashed(NOT_RECORDED) in notice and "便于查询的其他特征性描述" not in notice
    assert Cli().json("audit", "verify")["ok"]
