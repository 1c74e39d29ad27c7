"""The ledger import computes each new request's digest from the values it stores
(digest.for_new), not by reading the rows back (issue 33, the import's speed): the digest must be
exactly the one `audit verify` computes from the stored rows, for every kind of value a ledger
brings, on both backends; and an edit behind the log is still found."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from gongkai.core.app import App
from gongkai.core.audit.replay import verify_all
from gongkai.core.records import digest
from gongkai.core.requests import importer
from test_every_column_under_log import office  # noqa: F401  # a unit with a row in every record table

HEADERS = ["申请人", "类型", "渠道", "提交日期", "确认日期", "内容", "证件号码", "联系方式", "结果", "答复日期",
           "本单位编号", "信息处理费", "不予公开", "机关", "机关电话"]
MAP = ",".join(f"{h}={f}" for h, f in zip(HEADERS, [
    "applicant", "applicant_type", "channel", "submitted", "confirmed", "subject", "id_number", "contact", "outcome",
    "replied_on", "ref", "fee_amount", "withheld", "agency", "agency_contact"]))

ROWS = [
    # plain, received only
    ["张三", "natural_person", "in_person", "2026-03-02", "", "第1项信息", "", "", "", "", "", "", "", "", ""],
    # everything a ledger can bring: confirmed date, ID number, contact, reference, fee, a reply
    ["李四", "自然人", "邮寄（签收）", "2026-03-02", "2026-03-04", "关于“某项目”的 'quoted' \\ 信息\n第二行",
     "11010519491231002X", "13812345678", "disclosed", "2026-03-20", "依申请〔2026〕7号", "30", "", "", ""],
    ["某某有限公司", "商业企业", "in_person", "2026-02-27", "", "第3项 ☃ 𠀋 信息", "", "021-12345678", "partial",
     "2026-03-20", "A-3", "0", "第3页联系人电话：个人隐私；附件2：第三方商业秘密", "", ""],
    ["王五", "natural_person", "in_person", "2026-12-31", "", "年末收到", "", "", "unavailable.other_agency",
     "2027-01-08", "", "", "", "区住建委", "021-87654321"],
    ["赵六", "其他", "in_person", "2026-10-09", "", "节前收到", "", "", "unavailable.not_held", "2026-10-20", "",
     "", "", "", ""],
]


@pytest.fixture
def app(backend, unit, monkeypatch):
    unit("changning")
    monkeypatch.setenv("GONGKAI_TODAY", "2027-02-01")
    a = App()
    yield a
    a.engine.dispose()


def _import(app, tmp_path, rows):
    path = tmp_path / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *rows])
    seen = []
    original = importer._Writer._digests

    def spy(self, *args):
        found = original(self, *args)
        seen.append((self.from_values, found))
        return found

    importer._Writer._digests = spy
    try:
        report = importer.import_ledger(app, path, importer.parse_mapping(MAP.split(",")), in_background=False)
    finally:
        importer._Writer._digests = original
    assert not report.errors, report.errors
    return report, seen


def test_digests_from_the_values_are_those_of_the_stored_rows(app, tmp_path):
    report, seen = _import(app, tmp_path, ROWS)
    assert len(report.imported) == len(ROWS)
    # the values' digests were used (not read back after a mismatch)
    assert seen and all(used is True and found is not None for used, found in seen)
    with app.session() as session:
        fetch = digest.query_fetch(session.connection(), SQLModel.metadata)
        ids = set(report.imported)
        stored = digest.for_ids(fetch, "request", SQLModel.metadata, ids, marks=False)
    with app.district_engine.connect() as c:  # the folder's one unit: every row is its
        logged = {row.subject_id: json.loads(row.after)["digest"] for row in c.execute(text(
            "SELECT subject_id, after FROM event WHERE subject_kind = 'request' AND action = 'import'"))}
    assert logged == stored
    with app.session() as session:
        assert verify_all(session, registry=app.registry, calendar=app.calendar)["ok"]


def test_an_edit_of_an_imported_request_is_still_found(app, tmp_path):
    report, _ = _import(app, tmp_path, ROWS)
    with app.district_engine.begin() as c:  # behind the application's back
        c.execute(text("UPDATE disclosure_request SET applicant_contact = '13812345679' WHERE id = :id"),
                  {"id": report.imported[1]})
        c.execute(text("UPDATE deadline SET met_on = NULL WHERE owner_id = :id"), {"id": report.imported[2]})
    with app.session() as session:
        found = verify_all(session, registry=app.registry, calendar=app.calendar)
    assert not found["ok"]
    assert {p["id"] for p in found["records"]["problems"]} >= {report.imported[1], report.imported[2]}


def test_a_column_the_values_miss_falls_back_to_reading_back(app, tmp_path, monkeypatch):
    """Should the values given differ from what is stored (here: a column's value changed on
    its way in), the first record's comparison notices and the digests are read back."""
    from gongkai.core.records import storage

    insert = storage.insert_columns

    def altered(session, table, columns, count, return_ids=False):
        if table.name == "disclosure_request":
            columns = {**columns, "form_wanted": "纸质"}
        return insert(session, table, columns, count, return_ids)

    monkeypatch.setattr(importer, "insert_columns", altered)
    report, seen = _import(app, tmp_path, ROWS)
    assert seen and all(used is False and found is None for used, found in seen)
    with app.session() as session:
        assert verify_all(session, registry=app.registry, calendar=app.calendar)["ok"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_source_read_whole_gives_the_streamed_digests(office):
    """`unit import-db`'s check reads the source's tables once, whole (replay.SourceRows), and
    makes the digests part by part (digest._at_once): the same digests and marks as `audit
    verify` streaming them, for records with every kind of part (reviews, extensions, appeals,
    earlier replies naming an appeal, clocks and their terms, corrections, pauses)."""
    from gongkai.core.audit.replay import SourceRows

    app = App()
    source = SourceRows(app.engine.url.database, app.engine.dialect)
    try:
        with app.session() as session:
            fetch = digest.query_fetch(session.connection(), SQLModel.metadata)
            for kind in digest.GROUPS:
                streamed = list(digest.stream(fetch, kind, SQLModel.metadata))
                assert list(digest.stream(source.fetch, kind, SQLModel.metadata)) == streamed, kind
                lazy = [(i, d.digest, d.marked()) for i, d in digest.stream(source.fetch, kind, SQLModel.metadata, lazy=True)]
                assert [(i, d.partition(".")[0], d) for i, d in streamed] == lazy, kind
                if kind == "request":
                    assert len(streamed) >= 3
    finally:
        source.close()
        app.engine.dispose()
