"""``gongkai document import`` (issue 32 item 25): a unit's register of documents from a file,
each row through the checks of ``document new`` (and of ``document publish`` and ``document
repeal`` for its dates), refused rows named by line and column, batches whole, one ``import``
event per document under the digest, the published ones on the public catalogue."""

from __future__ import annotations

import csv
import json
import os
import signal

from openpyxl import Workbook
from sqlalchemy import text
from starlette.testclient import TestClient
from test_import_interrupts import started, stopped

from gongkai.core.app import App
from gongkai.core.documents import importer
from gongkai.core.records.storage import make_engine
from gongkai.core.web.app import create_app

HEADERS = ["标题", "文号", "种类", "属性", "理由", "成文", "发布", "渠道", "废止", "解读", "类别"]
MAP = ("标题=title,文号=number,种类=kind,属性=attribute,理由=reason,成文=finalised,发布=published,渠道=channel,"
       "废止=repealed,解读=interpretation,类别=category")
GOOD = 300


def register(n: int, start: int = 0) -> list[list[str]]:
    """``n`` documents of a register: most published, some on request, some repealed."""
    rows = []
    for i in range(start, start + n):
        month = 1 + i % 12
        if i % 10 == 3:  # 依申请公开: never published
            rows.append([f"第{i}号工作方案", f"长某发〔2025〕{i}号", "其他", "依申请公开", "内部管理信息",
                         f"2025-{month:02}-01", "", "", "", "", ""])
        elif i % 10 == 7:  # a normative document with its interpretation, later repealed
            rows.append([f"关于第{i}项管理办法的通知", f"长某规〔2025〕{i}号", "行政规范性文件", "主动公开", "",
                         f"2025-{month:02}-01", f"2025-{month:02}-05", "政府网站", "2026-11-30",
                         f"解读材料：第{i}项办法的背景", ""])
        else:
            rows.append([f"第{i}项统计信息", f"长某发〔2025〕{i}号", "其他", "主动公开", "",
                         f"2025-{month:02}-01", f"2025-{month:02}-03", "政府网站", "", "", "4"])
    return rows


BAD = [  # each refused, with why
    (["某区规章", "长规〔2025〕1号", "规章", "主动公开", "", "2025-02-01", "2025-02-05", "政府网站", "", "", ""],
     "不制定规章"),
    (["未来的通知", "长某发〔2027〕1号", "其他", "主动公开", "", "2027-01-01", "", "", "", "", ""], "成文"),
    (["依申请却发布", "长某发〔2025〕901号", "其他", "依申请公开", "内部管理信息", "2025-02-01", "2025-02-05", "政府网站",
      "", "", ""], "不主动公开"),
    (["属性有误", "长某发〔2025〕902号", "其他", "内部公开", "", "2025-02-01", "", "", "", "", ""], "不是长宁区规定的属性"),
    (["发布早于成文", "长某发〔2025〕903号", "其他", "主动公开", "", "2025-03-01", "2025-02-05", "政府网站", "", "", ""],
     "成文日期"),
    (["发布无渠道", "长某发〔2025〕904号", "其他", "主动公开", "", "2025-02-01", "2025-02-05", "", "", "", ""], "发布渠道"),
    (["类别有误", "长某发〔2025〕905号", "其他", "主动公开", "", "2025-02-01", "2025-02-05", "政府网站", "", "", "99"],
     "第二十条的类别“99”无效"),
    (["日期有误", "长某发〔2025〕906号", "其他", "主动公开", "", "2025-02-30", "", "", "", "", ""], "成文日期“2025-02-30”不是有效日期"),
    (["种类有误", "长某发〔2025〕907号", "会议纪要", "主动公开", "", "2025-02-01", "", "", "", "", ""], "公文种类“会议纪要”无效"),
    (["", "长某发〔2025〕908号", "其他", "主动公开", "", "2025-02-01", "", "", "", "", ""], "信息名称为空"),
    (["废止早于发布", "长某发〔2025〕909号", "其他", "主动公开", "", "2025-02-01", "2025-02-05", "政府网站", "2025-02-04",
      "", ""], "发布日期"),
    (["长" * 501, "长某发〔2025〕910号", "其他", "主动公开", "", "2025-02-01", "", "", "", "", ""],
     "信息名称共 501 个字符，超过上限 500 个字符"),
    (["重复的文号", "长某发〔2025〕1号", "其他", "主动公开", "", "2025-02-01", "2025-02-05", "政府网站", "", "", ""],
     "与第 3 行重复（文号为“长某发〔2025〕1号”的文件）"),
]


def write(path, headers, rows):
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([headers, *rows])
    else:
        wb = Workbook()
        for row in [headers, *rows]:
            wb.active.append(row)
        wb.save(path)
    return path


def engine(tmp_path):
    return make_engine(os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{tmp_path / 'gongkai.db'}")


def test_a_register_of_some_hundred_documents(backend, unit, gk, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-07")
    unit("changning")
    rows = register(GOOD)
    rows[150:150] = [row for row, _ in BAD]  # lines 152 to 163
    path = write(tmp_path / "register.csv", HEADERS, rows)
    result = gk("document", "import", str(path), "--map", MAP, "--json")
    assert result.exit_code == 1  # some rows were refused
    report = json.loads(result.stdout)
    assert report["imported"] == GOOD
    errors = {e["row"]: e["error"] for e in report["errors"]}
    assert sorted(errors) == list(range(152, 152 + len(BAD)))
    for line, (_, why) in enumerate(BAD, start=152):
        assert why in errors[line], (line, errors[line])
    # the very message `document new` gives for the same facts
    refused = gk.fails("document", "new", "--title", "某区规章", "--kind", "规章", "--attribute", "主动公开").stderr
    assert errors[152] in refused
    # what each row gave
    docs = {d["number"]: d for d in gk.json("documents")}
    assert len(docs) == GOOD
    published = docs["长某发〔2025〕1号"]
    assert (published["state"], published["published_on"], published["channel"]) == ("closed", "2025-02-03", "政府网站")
    assert published["category"].startswith("（四）")
    assert docs["长某发〔2025〕3号"]["attribute"] == "依申请公开" and docs["长某发〔2025〕3号"]["published_on"] is None
    repealed = docs["长某规〔2025〕7号"]
    assert (repealed["state"], repealed["repealed"], repealed["kind"]) == ("repealed", "2026-11-30", "行政规范性文件")
    assert all(c["status"] != "open" for c in repealed["clocks"])
    shown = gk.json("document", "show", str(published["id"]))
    assert [e["action"] for e in shown["events"]] == ["import"]
    assert shown["events"][0]["after"]["published_on"] == "2025-02-03"
    # the log covers them: verified, and an edit behind its back is found
    assert gk.json("audit", "verify")["ok"]
    made = engine(tmp_path)
    try:
        with made.begin() as c:
            c.execute(text("UPDATE document SET title = '改过的标题' WHERE id = :id"), {"id": published["id"]})
    finally:
        made.dispose()
    verify = gk("audit", "verify", "--json")
    assert verify.exit_code != 0 and not json.loads(verify.stdout)["ok"]


def test_the_published_ones_are_on_the_public_catalogue(unit, gk, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-07")
    unit("changning")
    gk.json("document", "import", str(write(tmp_path / "register.csv", HEADERS, register(20))), "--map", MAP)
    ids = {d["number"]: d["id"] for d in gk.json("documents")}
    c = TestClient(create_app(App()), follow_redirects=False)
    page = c.get("/gk/catalogue/").text
    assert "第1项统计信息" in page and "第3号工作方案" not in page
    doc = c.get(f"/gk/documents/{ids['长某规〔2025〕7号']}.html").text
    assert "本文件已于2026年11月30日废止" in doc and "第7项办法的背景" in doc
    assert c.get(f"/gk/documents/{ids['长某发〔2025〕3号']}.html").status_code == 404  # 依申请公开
    assert "第1项统计信息" in c.get("/gk/catalogue/c4/").text


def test_importing_again_stores_nothing_twice_and_exported_headers_need_no_map(unit, gk, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-07")
    unit("changning")
    headers = [importer.FIELDS[f][0] for f in ("title", "number", "kind", "attribute", "reason", "finalised",
                                                 "published", "channel", "repealed", "interpretation", "category")]
    path = write(tmp_path / "register.xlsx", headers, register(12))
    assert gk.json("document", "import", str(path))["imported"] == 12
    again = gk("document", "import", str(path))
    assert again.exit_code == 1 and "已导入文件 0 件" in again.stdout
    assert "第2行未导入：已登记文号为“长某发〔2025〕0号”的文件，未重复导入" in again.stderr
    assert len(gk.json("documents")) == 12
    other = write(tmp_path / "other.csv", HEADERS, register(1))
    assert "--map" in gk.fails("document", "import", str(other)).stderr
    assert "缺少必填字段" in gk.fails("document", "import", str(other), "--map", "标题=title").stderr
    assert "没有表头“题目”" in gk.fails("document", "import", str(other), "--map", MAP + ",题目=summary").stderr


def test_an_interrupted_import_keeps_whole_batches_and_goes_on(unit, gk, tmp_path, monkeypatch):
    unit("changning")
    gk.ok("db", "upgrade")
    total = 10 * importer.BATCH
    path = write(tmp_path / "register.csv", HEADERS, register(total))
    made = engine(tmp_path)
    try:
        proc = started(tmp_path, made, "document", importer.BATCH, "document", "import", str(path), "--map", MAP)
        _, err = stopped(proc, signal.SIGINT)
        with made.connect() as c:
            stored = c.execute(text("SELECT count(*) FROM document")).scalar()
            events = c.execute(text("SELECT count(*) FROM event WHERE action = 'import'")).scalar()
    finally:
        made.dispose()
    assert importer.BATCH <= stored < total and stored % importer.BATCH == 0 and events == stored
    assert f"导入已中断：已保存文件 {stored:,} 件，文件第 2 至 {stored + 1} 行已处理完毕" in err, err
    assert gk.json("audit", "verify")["ok"]
    rest = gk("document", "import", str(path), "--map", MAP, "--json")  # the same command: the stored ones are repeats
    assert json.loads(rest.stdout)["imported"] == total - stored
    assert len(json.loads(rest.stdout)["errors"]) == stored
    made = engine(tmp_path)
    try:
        with made.connect() as c:
            assert c.execute(text("SELECT count(*) FROM document")).scalar() == total
    finally:
        made.dispose()
    assert gk.json("audit", "verify")["ok"]
