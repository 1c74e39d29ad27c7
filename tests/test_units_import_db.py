"""``gongkai unit import-db``: a unit's SQLite database moves into the district's, whole or not at
all, once; the unit's chain verifies afterwards (issue 17 item 4)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from db_snapshot import content_hash
from requests_helpers import new_request
from sqlalchemy import text

from gongkai.core.app import App
from gongkai.core.units.moving import import_database

OLD = Path(__file__).parent / "data" / "unit-before-districts.db.gz"  # 3 requests, 13 events (main at 44a4019)
STAGES = ("校验源数据库", "分配新编号", "deadline_term", "disclosure_request", "request_review", "deadline", "事件日志",
          "等待源数据库校验", "提交")


@pytest.fixture
def district(backend, gk, tmp_path, monkeypatch):
    """A district with a unit that has records of its own (so the moved ids collide) and an empty one."""
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fgj", "--name", "上海市长宁区发展和改革委员会")
    gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局", "--letter-prefix", "长房公开")
    monkeypatch.setenv("GONGKAI_UNIT", "fgj")
    for _ in range(2):
        new_request(gk, extra=("--ref", "长申〔2026〕1号") if _ == 0 else ())
    monkeypatch.delenv("GONGKAI_UNIT")
    source = tmp_path / "fj" / "gongkai.db"
    source.parent.mkdir()
    with gzip.open(OLD) as packed, open(source, "wb") as out:
        shutil.copyfileobj(packed, out)
    return source


class Interrupted(KeyboardInterrupt):
    pass


def stop_at(stage):
    def progress(label):
        if label == stage:
            raise Interrupted(stage)
    return progress


def tamper(path, statement):
    """``statement`` run on the unit's own database behind the application's back."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        c.execute(text(statement))
    engine.dispose()


def test_interrupted_anywhere_nothing_is_moved_then_it_moves_whole_once(district, backend, gk):
    before = content_hash(backend.url)
    source_before = content_hash(f"sqlite:///{district}")
    for stage in STAGES:
        app = App()
        with pytest.raises(Interrupted):
            import_database(app, district, "fj", progress=stop_at(stage))
        app.raw_engine.dispose()
        assert content_hash(backend.url) == before, f"half moved when interrupted at {stage}"
    moved = gk.json("unit", "import-db", str(district), "--unit", "fj")
    assert moved["moved"]["disclosure_request"] == 3 and moved["moved"]["event"] == 13
    assert moved["source_chain"]["length"] == 13 and len(moved["sha256"]) == 64
    assert content_hash(f"sqlite:///{district}") == source_before  # the source is never written
    # the unit's chain and records verify; the other unit is untouched
    report = gk.json("audit", "verify", "--unit", "fj")
    assert report["ok"] and report["events"] == 13 + 2  # its unit_added event, the moved ones, the move
    assert report["records"]["checked"].items() >= {"request": 3, "document": 1, "matter": 1, "decision_count": 1}.items()
    assert gk.json("audit", "verify")["ok"]
    ledger = gk.json("--unit", "fj", "ledger")
    assert sorted(r["ref"] for r in ledger) == [f"长房申〔2026〕{n}号" for n in (1, 2, 3)]
    assert len(gk.json("--unit", "fgj", "ledger")) == 2
    first = gk.json("--unit", "fj", "request", "show", "长房申〔2026〕1号")
    assert first["id"] > 2 and first["appeals"]  # a new id; its appeal moved with it
    gk.ok("--unit", "fj", "request", "letter", "长房申〔2026〕1号", "--format", "md", "--out", "1.md")
    assert "长房公开〔2026〕1号" in Path("1.md").read_text(encoding="utf-8")  # the number it was issued with
    # the same file again, into any unit: refused, nothing changed
    after = content_hash(backend.url)
    for code in ("fj", "fgj"):
        refused = gk.fails("unit", "import-db", str(district), "--unit", code)
        assert "已于" in refused.stderr and "迁入单位 fj" in refused.stderr
    assert content_hash(backend.url) == after


def test_a_source_whose_log_was_tampered_with_is_refused(district, backend, gk):
    tamper(district, "UPDATE event SET actor = '改过' WHERE seq = 5")
    before = content_hash(backend.url)
    refused = gk.fails("unit", "import-db", str(district), "--unit", "fj")
    assert "未通过校验" in refused.stderr and "第 5 条" not in refused.stdout
    refused = gk.fails("unit", "import-db", str(district), "--unit", "fgj")
    assert "未通过校验" in refused.stderr or "已有记录" in refused.stderr
    missing = gk.fails("unit", "import-db", "nowhere.db", "--unit", "fj")
    assert "找不到" in missing.stderr
    assert content_hash(backend.url) == before


@pytest.mark.parametrize("in_background", [True, False], ids=["checked-while-moving", "checked-here"])
@pytest.mark.parametrize(("change", "said"), [
    ("UPDATE event SET hash = substr(hash, 2) || '0' WHERE seq = 7", "事件日志未通过校验（第 7 条"),
    ("INSERT INTO event (at, actor, subject_kind, subject_id, action) "
     "SELECT at, '', 'request', 1, 'close' FROM event WHERE seq = 1", "不在链上"),
    ("UPDATE disclosure_request SET received = '2026-01-01' WHERE id = 2", "处记录与其事件日志不符"),
    ("DELETE FROM disclosure_request WHERE id = 3", "处记录与其事件日志不符"),
], ids=["event-hash-broken", "event-off-the-chain", "record-altered", "record-deleted"])
def test_a_source_that_fails_the_check_made_while_it_moves_is_refused_and_nothing_moved(
        district, backend, change, said, in_background):
    from gongkai.core.units.background import available
    from gongkai.core.errors import GongkaiError

    if in_background and not available():
        pytest.skip("no second process here: the check would run in this one")
    tamper(district, change)
    before = content_hash(backend.url)
    stages = []
    app = App()
    with pytest.raises(GongkaiError, match="未通过校验") as refused:
        import_database(app, district, "fj", progress=stages.append, in_background=in_background)
    app.raw_engine.dispose()
    assert said in str(refused.value) and "gongkai audit verify" in str(refused.value)
    # refused once the rows were being written (a deleted record's clock cannot be, before the
    # events): rolled back
    assert "disclosure_request" in stages and "提交" not in stages
    assert content_hash(backend.url) == before


def test_a_row_naming_a_record_the_source_does_not_hold_is_refused_and_nothing_moved(district, backend, gk):
    """An intake clock pointed at a request that was never there (it would have no new id, and
    kept as it was it would name another unit's request): the check of the source against its
    log finds rows of a record it has no events of; refused, in Chinese, nothing moved."""
    tamper(district, "UPDATE deadline SET owner_id = 999 WHERE owner_kind = 'request' AND name = 'intake' AND owner_id = 1")
    before = content_hash(backend.url)
    refused = gk.fails("unit", "import-db", str(district), "--unit", "fj")
    # the check of the source against its log finds the clock of a request it has no events of
    assert "申请 999 不存在" in refused.stderr and "不能作为证据迁入" in refused.stderr
    assert "Traceback" not in refused.output
    assert content_hash(backend.url) == before


def test_a_source_with_nothing_recorded_is_refused_with_the_likely_cause(district, backend, gk, tmp_path, monkeypatch):
    """gongkai.db copied without its -wal file can look like a unit that never recorded anything."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    gk.ok("init", "--jurisdiction", "changning", "--unit", "上海市长宁区房屋管理局")
    monkeypatch.chdir(tmp_path)
    before = content_hash(backend.url)
    refused = gk.fails("unit", "import-db", str(empty / "gongkai.db"), "--unit", "fj")
    assert "没有任何记录" in refused.stderr and "gongkai.db-wal" in refused.stderr
    assert content_hash(backend.url) == before


def test_a_moved_unit_is_searchable_and_an_edit_changes_what_finds_it(backend, gk, tmp_path, monkeypatch):
    """The ledger search finds the moved requests at once (on PostgreSQL the COPY wrote their
    bigrams, or left them to the trigger for a name with capitals), and an edit after the
    move re-indexes the name and the subject: found by the new words, not the old ones."""
    source = tmp_path / "fj" / "gongkai.db"
    source.parent.mkdir()
    monkeypatch.chdir(source.parent)  # the department's own folder and SQLite database
    monkeypatch.setenv("GONGKAI_DATABASE_URL", f"sqlite:///{source}")
    gk.ok("init", "--jurisdiction", "changning", "--unit", "上海市长宁区房屋管理局")
    for applicant, subject in (("张三", "老旧小区改造资金安排"), ("ABC物业公司", '“加装电梯"补贴\\细则'),
                               ("李四", "道路维修预算")):
        new_request(gk, applicant=applicant, subject=subject)
    district = tmp_path / "district"
    district.mkdir()
    monkeypatch.chdir(district)
    monkeypatch.setenv("GONGKAI_DATABASE_URL", backend.url)
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局")
    gk.ok("unit", "import-db", str(source), "--unit", "fj")
    monkeypatch.setenv("GONGKAI_UNIT", "fj")

    def found(words):
        return [r["applicant"] for r in gk.json("ledger", "--search", words)]

    assert found("小区改造") == ["张三"]
    assert found("abc物业") == ["ABC物业公司"]
    assert found('电梯"补贴\\细') == ["ABC物业公司"]  # the array's quoting of " and \
    assert found("维修") == ["李四"]
    if backend.name == "postgresql":  # what COPY wrote is what the trigger computes
        from gongkai.core.records.storage import make_engine

        engine = make_engine(backend.url)
        computed = "(gongkai_bigrams(applicant_name) || gongkai_bigrams(subject))"
        with engine.connect() as c:
            assert c.execute(text(
                f"SELECT count(*) FROM disclosure_request WHERE search_bigrams IS NULL "
                f"OR NOT (search_bigrams @> {computed} AND search_bigrams <@ {computed})")).scalar() == 0
        engine.dispose()
    moved = gk.json("ledger", "--search", "张三")[0]["id"]
    gk.ok("request", "edit", str(moved), "--applicant", "王五", "--subject", "垃圾分类收运经费",
          "--reason", "申请人姓名和申请内容录入错误")
    assert found("王五") == ["王五"] and found("收运经费") == ["王五"]
    assert found("张三") == [] and found("小区改造") == []


@pytest.fixture
def own_unit(backend, gk, tmp_path, monkeypatch):
    """A department's own folder and SQLite database with five requests, and a district (on the
    backend) with an empty unit fj to move it into; returns (the folder, a function that moves
    a gongkai.db into fj)."""
    folder = tmp_path / "fj"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GONGKAI_DATABASE_URL", f"sqlite:///{folder / 'gongkai.db'}")
    gk.ok("init", "--jurisdiction", "changning", "--unit", "上海市长宁区房屋管理局")
    district = tmp_path / "district"
    district.mkdir()

    def move(path, *extra, fails=False):
        monkeypatch.chdir(district)
        monkeypatch.setenv("GONGKAI_DATABASE_URL", backend.url)
        if not (district / "gongkai.toml").exists():
            gk.ok("init", "--jurisdiction", "changning", "--district")
            gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局")
        return (gk.fails if fails else gk.ok)("unit", "import-db", str(path), "--unit", "fj", *extra)

    return folder, move


def test_a_copy_without_the_wal_holding_the_last_commits_is_refused_with_the_fix(own_unit, gk, tmp_path):
    """Issue 33 item 4: a copy of gongkai.db taken while a reader held the last commits in the
    -wal moved 3 of 5 requests and exited 0. The -shm says frames are not yet copied back:
    refused, naming the -wal and what to do; with the -wal beside it, all 5 move."""
    import sqlite3

    folder, move = own_unit
    for i in range(3):
        new_request(gk, applicant=f"申请人{i}")
    reader = sqlite3.connect(folder / "gongkai.db")
    assert reader.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0  # the first 3 in gongkai.db itself
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM disclosure_request").fetchone()  # holds a snapshot: no checkpoint past it
    for i in range(3, 5):
        new_request(gk, applicant=f"申请人{i}")
    head = gk.ok("audit", "head").stdout.strip()  # written down before the copy
    without, alone, whole = tmp_path / "without-wal", tmp_path / "alone", tmp_path / "whole"
    for copy, parts in ((without, ("", "-shm")), (alone, ("",)), (whole, ("", "-wal", "-shm"))):
        copy.mkdir()
        for part in parts:
            shutil.copyfile(folder / f"gongkai.db{part}", copy / f"gongkai.db{part}")
    reader.close()
    refused = move(without / "gongkai.db", fails=True)
    assert "gongkai.db-wal 缺失" in refused.stderr and "尚未写回" in refused.stderr and "一起复制" in refused.stderr
    assert "Traceback" not in refused.output
    # gongkai.db alone shows nothing of what it lacks: the head written down does
    short = move(alone / "gongkai.db", "--expect-head", head, fails=True)
    assert "日志被截短" in short.stderr and "Traceback" not in short.output
    moved = move(whole / "gongkai.db", "--expect-head", head)
    assert "申请 5 件" in moved.stdout
    assert gk.json("audit", "verify", "--unit", "fj")["ok"]  # the digests made on SQLite hold on the district's backend


def test_a_source_with_a_field_edited_behind_its_log_is_refused(own_unit, gk):
    """A source whose applicant or 文号 sequence was edited by SQL fails the full verify: refused."""
    folder, move = own_unit
    for i in range(2):
        new_request(gk, applicant=f"申请人{i}", extra=("--id-number", "110101199003074514"))
    tamper(folder / "gongkai.db", "UPDATE disclosure_request SET applicant_id_number = '110101199003074515' WHERE id = 2")
    refused = move(folder / "gongkai.db", fails=True)
    assert "申请 2" in refused.stderr and "不能作为证据迁入" in refused.stderr


def test_every_kind_of_record_moves_in_with_its_digest_holding(own_unit, gk):
    """Digests made on the unit's SQLite hold on the district's backend after the move: date-times
    (a matter's, a document's, an account's), dates, booleans and numbers alike."""
    folder, move = own_unit
    new_request(gk)
    for i, step in enumerate(("draft", "confidentiality", "office_head")):
        gk.ok("request", "review", "1", "--step", step, "--by", f"审核人{i}", "--decision", "approve", "--on", "2026-03-10",
              *(("--outcome", "withheld.process_info", "--reason", "经审查属于过程性信息") if i == 0 else ()))
    gk.ok("request", "reply", "1", "--on", "2026-03-11", "--by", "经办人")
    gk.ok("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")
    gk.ok("matter", "open", "consult.reply", "--at", "2026-10-06")
    gk.ok("matter", "close", "1", "--at", "2026-10-09")
    gk.ok("document", "decisions", "--year", "2026", "--licensing", "12", "--fees", "1.5")
    gk.ok("user", "add", "admin", "--role", "单位管理员", "--password-stdin", input="Admin-Pass-2026\n")
    assert gk.json("audit", "verify")["ok"]
    move(folder / "gongkai.db")
    report = gk.json("audit", "verify", "--unit", "fj")
    assert report["ok"], report["records"]["problems"]


def test_online_applications_files_and_deliveries_move_in_renumbered(own_unit, gk, tmp_path, monkeypatch, backend):
    """An online application (its scan, its confirmation into a request, a delivery with a proof)
    moves into a district whose other unit already has requests and applications: the ids are
    renumbered, the files' owners and the events' references with them, and it all verifies."""
    from online_helpers import PDF, file_online

    from gongkai.core.today import today

    folder, move = own_unit
    new_request(gk)
    application, code = file_online()
    request_id = gk.json("request", "confirm", str(application), "--on", today().isoformat())["id"]
    (folder / "回执.pdf").write_bytes(PDF + b"receipt")
    gk.ok("request", "deliver", str(request_id), "--letter", "收到申请确认书", "--how", "邮寄", "--on", today().isoformat(),
          "--proof", str(folder / "回执.pdf"))
    monkeypatch.chdir(tmp_path / "district")  # made by own_unit
    monkeypatch.setenv("GONGKAI_DATABASE_URL", backend.url)
    gk.ok("init", "--jurisdiction", "changning", "--district")
    gk.ok("unit", "add", "fgj", "--name", "上海市长宁区发展和改革委员会")
    gk.ok("unit", "add", "fj", "--name", "上海市长宁区房屋管理局")
    monkeypatch.setenv("GONGKAI_UNIT", "fgj")
    for _ in range(3):
        new_request(gk)
    for _ in range(2):
        file_online()
    monkeypatch.delenv("GONGKAI_UNIT")
    move(folder / "gongkai.db")
    assert gk.json("audit", "verify")["ok"]
    online = [r["id"] for r in gk.json("--unit", "fj", "ledger") if r["channel"] == "online"]
    assert len(online) == 1 and online[0] > request_id  # renumbered after fgj's
    moved = gk.json("--unit", "fj", "request", "show", str(online[0]))
    assert moved["online_application"] is not None and moved["deliveries"][0]["how"] == "post"
    assert [a["file_name"] for a in moved["attachments"]] == ["身份证.pdf", "回执.pdf"]
def test_the_unit_row_stays_under_the_log_through_a_move_and_an_edit(own_unit, backend, gk):
    """Issue 33: the unit's own row (name, 机关代字, contact...) is under the log: on its own
    folder's database (its chain's first event carries its digest), and in the district after
    `unit add`, `unit edit` and a move (whose event carries the digest of the row it leaves)."""
    from sqlalchemy import create_engine

    folder, move = own_unit
    new_request(gk)
    tamper(folder / "gongkai.db", "UPDATE unit SET contact = '改过的联系方式'")
    report = gk("audit", "verify")
    assert report.exit_code == 2 and "单位 1（main）的“联系方式”与事件日志不符" in report.stderr, report.stderr
    tamper(folder / "gongkai.db", "UPDATE unit SET contact = ''")
    move(folder / "gongkai.db")
    gk.ok("unit", "edit", "fj", "--letter-prefix", "长房公开")
    assert gk.json("audit", "verify", "--unit", "fj")["ok"]
    engine = create_engine(backend.url)
    for statement, words in (("UPDATE unit SET reconsideration_body = '改' WHERE code = 'fj'", "的“行政复议机关”与事件日志不符"),
                             ("UPDATE unit SET letter_prefix = '改' WHERE code = 'fj'", "的机关代字为“改”，事件日志记载为“长房公开”"),
                             ("UPDATE unit SET created_at = created_at + interval '1 hour' WHERE code = 'fj'"
                              if backend.name != "sqlite" else "UPDATE unit SET created_at = '2026-01-05 08:00:00' WHERE code = 'fj'",
                              "的“创建时间”与事件日志不符")):
        with engine.connect() as c:
            saved = dict(c.execute(text("SELECT * FROM unit WHERE code = 'fj'")).one()._mapping)
        with engine.begin() as c:
            c.execute(text(statement))
        report = gk("audit", "verify", "--unit", "fj")
        assert report.exit_code == 2 and "单位 " in report.stderr and words in report.stderr, (statement, report.stderr)
        with engine.begin() as c:
            c.execute(text("UPDATE unit SET reconsideration_body = :reconsideration_body, letter_prefix = :letter_prefix, "
                           "created_at = :created_at WHERE id = :id"), saved)
    assert gk.json("audit", "verify", "--unit", "fj")["ok"]
    engine.dispose()
