"""Exact imports (issue 20 item 4) that check what `reply` checks (issue 15 item 8): every
refused row named by its line, the same file not imported twice, duplicates reported, a
non-zero exit when any row was refused, and after an interruption at any point a message
that states exactly the rows stored, from which the rest imports with nothing twice."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text

from gongkai.core.records import limits
from gongkai.core.app import App
from gongkai.core.errors import GongkaiError
from gongkai.core.requests import importer

HEADERS = ["申请人", "类型", "渠道", "提交日期", "内容", "结果", "答复日期", "不予公开", "机关", "机关电话"]
MAP = ("申请人=applicant,类型=applicant_type,渠道=channel,提交日期=submitted,内容=subject,结果=outcome,"
       "答复日期=replied_on,不予公开=withheld,机关=agency,机关电话=agency_contact")


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *rows])
    return path


def row(i, outcome="", replied="", withheld="", agency="", contact=""):
    return [f"申请人{i}", "natural_person", "in_person", "2026-03-02", f"第{i}项信息", outcome, replied, withheld, agency,
            contact]


def count(app, sql="SELECT count(*) FROM disclosure_request"):
    with app.district_engine.connect() as c:  # the folder's one unit: every row is its
        return c.execute(text(sql)).scalar()


def assert_indexed_as_stored(app):
    """SQLite: the search index holds exactly the stored requests, and its triggers are there
    (the bulk import drops the insert trigger inside its transactions)."""
    if app.district_engine.dialect.name != "sqlite":
        return
    with app.district_engine.connect() as c:
        indexed = c.execute(text("SELECT rowid FROM request_search ORDER BY rowid")).scalars().all()
        assert indexed == c.execute(text("SELECT id FROM disclosure_request ORDER BY id")).scalars().all()
        assert set(c.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()) >= {
            "request_search_insert", "request_search_update", "request_search_delete"}


@pytest.fixture
def app(backend, unit):
    unit("changning")
    a = App()
    yield a
    a.engine.dispose()


def test_reply_rules_hold_for_imported_replies_and_bad_rows_are_named_by_line(app, gk, tmp_path):
    path = write(tmp_path / "old.csv", [
        row(1, "partial", "2026-03-20", "第3页联系人电话：个人隐私；附件2：第三方商业秘密"),  # line 2: good
        row(2, "partial", "2026-03-20"),  # line 3: partial without the withheld parts
        row(3, "unavailable.other_agency", "2026-03-20", agency="区住建委"),  # line 4: no contact
        row(4, "unavailable.other_agency", "2026-03-20", agency="区住建委", contact="021-12345678"),  # line 5: good
        row(5, "disclosed", "2026-02-20"),  # line 6: replied before it was received
        row(1, "partial", "2026-03-20", "第3页联系人电话：个人隐私；附件2：第三方商业秘密"),  # line 7: line 2 again
        row(6, "partial", "2026-03-20", "没有理由的部分"),  # line 8: a part without its reason
    ])
    result = gk("request", "import", str(path), "--map", MAP, "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    report = json.loads(result.stdout)
    assert report["imported"] == 2
    errors = {e["row"]: e["error"] for e in report["errors"]}
    assert list(errors) == [3, 4, 6, 7, 8]
    assert "部分公开须列明不予公开的内容及理由" in errors[3] and "不予公开的内容及理由”列" in errors[3]
    assert "负责公开的机关名称及联系方式" in errors[4]
    assert "早于收到申请之日" in errors[6]
    assert "与第 2 行完全相同" in errors[7]
    assert "格式应为“不予公开的内容：理由”" in errors[8]
    assert "第3行未导入" in result.stderr and "共 5 行未导入" in result.stderr
    first = gk.json("request", "show", str(report["ids"][0]))
    assert first["outcome"] == "partial" and [w["part"] for w in first["withheld"]] == ["第3页联系人电话", "附件2"]
    agency = gk.json("request", "show", str(report["ids"][1]))
    assert agency["other_agency"] == {"name": "区住建委", "contact": "021-****5678"}  # masked unless revealed
    assert gk.json("audit", "verify")["ok"]


def test_the_same_file_is_not_imported_twice_unless_again(app, gk, tmp_path):
    path = write(tmp_path / "old.csv", [row(i) for i in range(5)])
    assert gk.json("request", "import", str(path), "--map", MAP)["imported"] == 5
    refused = gk.fails("request", "import", str(path), "--map", MAP)
    assert "已于" in refused.stderr and "导入过" in refused.stderr and "--again" in refused.stderr
    copy = tmp_path / "copy.csv"  # another name, the same content
    copy.write_bytes(path.read_bytes())
    assert "导入过" in gk.fails("request", "import", str(copy), "--map", MAP).stderr
    assert count(app) == 5
    assert gk.json("request", "import", str(path), "--map", MAP, "--again")["imported"] == 5
    assert count(app) == 10


def test_a_row_that_cannot_be_read_stops_the_import_saying_exactly_what_is_stored(app, gk, tmp_path):
    path = tmp_path / "old.csv"
    good = importer.CHUNK + 1
    write(path, [row(i) for i in range(good)])
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"坏行,natural_person,in_person,2026-03-02,{'字' * (limits.IMPORT_CELL_CHARS + 1)}\n")
    refused = gk.fails("request", "import", str(path), "--map", MAP)
    assert f"第 {good + 2} 行无法读取" in refused.stderr
    assert count(app) == good
    assert f"已保存 {good:,} 件" in refused.stderr and f"--from-line {good + 2}" in refused.stderr


POINTS = ["insert_columns", "append_columns", "_advance", "progress"]


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("nth", [1, 3])
def test_ctrl_c_at_any_point_states_exactly_the_rows_stored_and_the_rest_imports_once(
        app, tmp_path, monkeypatch, point, nth):
    """Interrupted inside a batch (before, between and after its inserts) or between batches:
    the message's count is what the database holds, and --from-line imports the rest exactly."""
    monkeypatch.setattr(importer, "CHUNK", 100)  # small batches: many points to stop at, quickly
    monkeypatch.setattr(importer, "BATCH", 200)
    rows = 5 * importer.BATCH + 3
    path = write(tmp_path / "old.csv", [row(i, *(("disclosed", "2026-03-20") if i % 3 else ())) for i in range(rows)])
    mapping = importer.parse_mapping([MAP])
    calls = 0

    def interrupt(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == nth:
            raise KeyboardInterrupt
        return real(*args, **kwargs) if real else None

    progress = None
    if point == "progress":
        real, progress = None, interrupt
    else:
        real = getattr(importer, point)
        monkeypatch.setattr(importer, point, interrupt)
    with pytest.raises(GongkaiError) as stopped:
        importer.import_ledger(app, path, mapping, progress=progress, in_background=False)
    monkeypatch.undo()
    message = str(stopped.value)
    stored = count(app)
    assert_indexed_as_stored(app)  # the interrupted batch's index rows went with its requests
    assert message.startswith("导入已中断。") and f"已保存 {stored:,} 件" in message
    if stored:
        assert f"文件第 2 至 {stored + 1} 行已处理完毕" in message
    if stored:
        assert f"--from-line {stored + 2}" in message
        # importing the same file again is refused; going on from the line the message gives is not
        with pytest.raises(GongkaiError, match="--from-line"):
            importer.import_ledger(app, path, mapping, in_background=False)
    rest = importer.import_ledger(app, path, mapping, in_background=False, from_line=stored + 2)
    assert not rest.errors and len(rest.imported) == rows - stored
    assert count(app) == rows
    assert count(app, "SELECT count(DISTINCT subject) FROM disclosure_request") == rows  # nothing twice
    assert_indexed_as_stored(app)
    with app.session() as session:
        from gongkai.core.audit.replay import verify_all

        assert verify_all(session)["ok"]
