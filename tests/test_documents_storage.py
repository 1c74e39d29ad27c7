"""Stored facts: events survive reopening the database; re-evaluation; annual figures."""

import pytest

from gongkai.core.documents.models import Document
from gongkai.core.records.storage import events_for, make_engine, session_scope


@pytest.mark.sqlite_only  # inspects the SQLite file itself
def test_events_survive_reopening_the_database(unit, gk, tmp_path):
    unit("xixian")
    doc = gk.json("document", "new", "--title", "通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")
    gk.ok("document", "review", str(doc["id"]), "--step", "confidentiality", "--by", "保密员", "--decision", "approve",
          "--on", "2026-09-25")
    engine = make_engine(f"sqlite:///{tmp_path / 'gongkai.db'}")
    try:
        with session_scope(engine) as session:
            stored = session.get(Document, doc["id"])
            assert (stored.title, stored.attribute_name, stored.version) == ("通知", "主动公开", 2)
            events = events_for(session, "document", doc["id"])
    finally:
        engine.dispose()
    assert [e["action"] for e in events] == ["registered", "review.approve"]
    assert events[1]["actor"] == "保密员" and events[1]["after"]["step"] == "confidentiality"
    shown = gk.json("document", "show", str(doc["id"]))
    assert [e["action"] for e in shown["events"]] == ["registered", "review.approve"]
    assert shown["review_steps"][0]["by"] == "保密员"


def test_changning_reevaluation_converts_to_publication(unit, gk):
    unit("changning")
    withheld = gk.json("document", "new", "--title", "内部报告", "--kind", "其他", "--attribute", "不予公开",
                       "--formed", "2026-03-02")
    on_request = gk.json("document", "new", "--title", "专项资料", "--kind", "其他", "--attribute", "依申请公开",
                         "--formed", "2026-03-02")
    gk.json("document", "new", "--title", "公开通知", "--kind", "其他", "--attribute", "主动公开", "--formed", "2026-03-02")
    due = gk.json("documents", "--review-due", "--as-of", "2026-10-30")
    assert [d["id"] for d in due] == [withheld["id"], on_request["id"]]
    doc = str(withheld["id"])
    converted = gk.json("document", "reevaluate", doc, "--on", "2026-11-02", "--by", "政务公开办",
                        "--attribute", "主动公开", "--note", "已符合主动公开条件")
    assert converted["attribute"] == "主动公开" and converted["state"] == "in_review"
    # 10 working days from the conversion (11-2), at the latest 20
    assert (converted["due"], converted["limit"]) == ("2026-11-16", "2026-11-30")
    assert [s["id"] for s in converted["review_steps"]] == ["confidentiality", "approval", "publish"]
    assert converted["events"][-1]["action"] == "reevaluated"
    assert "第四十七条" in converted["events"][-1]["after"]["citation"]
    kept = gk.json("document", "reevaluate", str(on_request["id"]), "--on", "2026-11-02", "--by", "政务公开办")
    assert kept["attribute"] == "依申请公开" and kept["last_reevaluated"] == "2026-11-02"
    assert gk.json("documents", "--review-due", "--as-of", "2026-11-03") == []
    refused = gk.fails("document", "reevaluate", doc, "--on", "2026-11-03", "--by", "x", code=3)
    assert "不在定期审查范围" in refused.stderr


def test_reevaluation_needs_the_rule(unit, gk):
    unit("xixian")
    assert "document.reevaluation" in gk.fails("documents", "--review-due").stderr


def test_annual_figures_from_documents_and_decision_counts(unit, gk):
    unit("changning")
    for finalised in ("2025-06-01", "2026-03-02", "2026-05-06"):
        gk.ok("document", "new", "--title", "规范性文件", "--kind", "行政规范性文件", "--attribute", "主动公开",
              "--finalised", finalised, "--interpretation", "解读")
    # a district makes no 规章 (立法法 第九十三条): refused, and counted as none
    refused = gk.fails("document", "new", "--title", "规章", "--kind", "规章", "--attribute", "主动公开", "--finalised", "2026-01-05")
    assert "长宁区的单位不制定规章" in refused.stderr and "立法法 第九十三条" in refused.stderr
    assert "行政规范性文件" in refused.stderr
    gk.ok("document", "repeal", "1", "--on", "2026-07-01")
    data = gk.json("document", "decisions", "--year", "2026", "--licensing", "120", "--penalty", "35", "--fees", "12.5")
    assert data["documents"]["行政规范性文件"] == {"issued": 2, "repealed": 1, "in_force": 2}
    assert data["documents"]["规章"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert data["decisions"] == {"行政许可": 120, "行政处罚": 35, "行政强制": None, "行政事业性收费": 12.5}
    again = gk.json("document", "decisions", "--year", "2026", "--coercion", "4", "--penalty", "36")
    assert again["decisions"] == {"行政许可": 120, "行政处罚": 36, "行政强制": 4, "行政事业性收费": 12.5}
    assert gk.json("document", "show", "1")["state"] == "repealed"
    assert gk.fails("document", "repeal", "1", "--on", "2026-07-02", code=3).stderr
