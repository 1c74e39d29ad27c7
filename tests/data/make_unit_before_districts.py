# How tests/data/unit-before-districts.db.gz was made: main at 44a4019 (schema 0015, before units were
# records), run from an unpacked copy of that tree (git archive) put first on sys.path.
import sys
sys.path.insert(0, "/tmp/oldmain")
import gongkai
assert gongkai.__file__.startswith("/tmp/oldmain"), gongkai.__file__
from gongkai.core.cli import main
def run(*args):
    try:
        main(list(args))
    except SystemExit as e:
        assert not e.code, (args, e.code)
run("init", "--jurisdiction", "changning", "--unit", "上海市长宁区房屋管理局", "--letter-prefix", "长房公开")
for i, (who, day) in enumerate((("张三", "2026-03-02"), ("李四", "2026-03-03"), ("王五", "2026-03-04"))):
    run("request", "new", "--applicant", who, "--applicant-type", "natural_person", "--channel", "in_person",
        "--submitted", day, "--subject", "2026年老旧小区改造资金安排", "--ref", f"长房申〔2026〕{i+1}号")
for rid in ("1", "2"):
    for j, step in enumerate(("draft", "office_head")):
        run("request", "review", rid, "--step", step, "--by", f"审核人{j}", "--decision", "approve", "--on", "2026-03-10")
    run("request", "reply", rid, "--outcome", "予以公开", "--on", "2026-03-11", "--by", "经办人")
run("request", "appeal", "1", "--kind", "reconsideration", "--filed", "2026-04-01")
run("document", "new", "--title", "关于某事的通知", "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")
run("matter", "open", "consult.reply", "--at", "2026-10-06")
run("document", "decisions", "--year", "2026", "--licensing", "12")
run("request", "letter", "1", "--format", "md", "--out", "letter1.md")
