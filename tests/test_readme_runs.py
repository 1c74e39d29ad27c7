"""Every ```bash block of the README runs as written, top to bottom (issue 32 item 27).

Each block runs in a fresh folder, or in the state the README names before it ("On request 1
above…"). Blocks whose state is a server or another machine run in their own tests, named in
ELSEWHERE; a new bash block must be added here or there, or this test fails.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
TODAY = "2026-12-07"  # the examples' dates are of 2026
PASSWORD = "一句容易记住的口令2026"

# heading of the block -> the test that runs it as written
ELSEWHERE = {
    "## Moving in: a year's history in four commands": "tests/test_moving_in.py",
    "### Backups and the restore drill": "tests/test_backup.py",
    "## A whole district on one server (区级服务器)": "tests/test_district_server.py",
    "## Fast commands: the resident preloader (预载进程)": "tests/test_preload.py",
    "## The applicant's side: applying online, confirmation and tracking": "tests/test_online_applications.py",
    "## When the applicant appeals: the answer, the evidence and its check": "tests/test_appeal_answer.py",
}


def blocks() -> list[tuple[str, str, list[str]]]:
    """(heading, the text just before the block, the block's command lines) for each bash block."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"```bash\n(.*?)```", text, re.S):
        before = text[:match.start()]
        heading = re.findall(r"^#+ .*$", re.sub(r"```.*?```", "", before, flags=re.S), re.M)[-1]
        lines = match.group(1).replace("\\\n", " ").splitlines()
        found.append((heading, before[-400:], [line for line in lines if line.strip() and not line.lstrip().startswith("#")]))
    return found


def block(heading: str, index: int = 0) -> list[str]:
    return [lines for h, _, lines in blocks() if h == heading][index]


def run(gk, lines: list[str], skip: tuple[str, ...] = (), input: str | None = None) -> list[str]:
    """Run each `gongkai …` line in-process, as the shell would split it; return the outputs."""
    outputs = []
    for line in lines:
        assert line.startswith("gongkai "), f"not a gongkai command: {line}"
        args = shlex.split(line, comments=True)[1:]
        if args[0] in skip:
            continue
        if "exit 3" in line:  # a check that finds something exits 3, as its comment says
            result = gk(*args, input=input)
            assert result.exit_code in (0, 3), result.output
            outputs.append(result.stdout)
            continue
        outputs.append(gk.ok(*args, input=input).stdout)
    return outputs


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", TODAY)


def test_every_bash_block_is_run_here_or_elsewhere():
    ran_here = {"## Quick start", "## A unit's daily work", "### Letters and notices an office can send",
                "## When a request does not go to plan", "## Staff accounts and roles",
                "## Request tracks: 政府信息公开 and 党务公开", "## The office's web application (`gongkai serve`)",
                "## Rules and their citations", "## The working-day calendar",
                "## Time-critical matters, participation checks, duties and the morning digest",
                "## Annual report (年度报告)", "## The public disclosure pages (政府信息公开专栏)"}
    headings = {h for h, _, _ in blocks()}
    assert headings == ran_here | set(ELSEWHERE)
    root = README.parent
    for test in ELSEWHERE.values():
        assert "README" in (root / test).read_text(encoding="utf-8") or "preload" in test


def test_quick_start_leaves_the_checkout_clean(gk, tmp_path, monkeypatch):
    lines = block("## Quick start")
    assert lines[0].startswith("pip install -e") and lines[2].startswith("python -m pytest")
    demo = shlex.split(lines[1], comments=True)
    out = demo[demo.index("--out") + 1]
    # the demo's folder lies outside the checkout, so the tests after it find no stray folder
    assert out.startswith(("../", "/", "~")), out
    checkout = tmp_path / "gongkai"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("PATH", "/nonexistent")  # no LibreOffice: the .docx and .md are enough here
    gk.ok(*demo[1:])
    assert list(checkout.iterdir()) == []
    assert any((tmp_path / Path(out).name).glob("*.docx"))
    monkeypatch.chdir(tmp_path)
    run(gk, block("## Quick start", 1))


def test_daily_work_then_letters_then_what_goes_wrong_run_in_order(gk, tmp_path):
    daily = block("## A unit's daily work")
    notices = block("### Letters and notices an office can send")
    wrong = block("## When a request does not go to plan")
    assert "On request 1 above" in [b for h, b, _ in blocks() if h.startswith("### Letters")][0]
    assert "On the requests above" in [b for h, b, _ in blocks() if h.startswith("## When a request")][0]
    run(gk, daily)
    run(gk, notices)
    run(gk, wrong)
    for name in ("告知书-1.pdf", "收到确认书-2.pdf", "补正-2.docx", "征求意见-2.pdf", "告知第三方-2.pdf",
                 "延期-2.pdf", "收费通知-2.pdf", "补正-2（再次打印）.docx", "更正告知书-1.docx", "原告知书-1.docx"):
        assert (tmp_path / name).is_file(), name
    shown = gk.json("request", "show", "1")
    assert shown["state"] == "processing" and shown["prior_replies"]


def test_staff_accounts_and_the_web_application_blocks(gk, tmp_path, monkeypatch):
    lines = block("## The office's web application (`gongkai serve`)")
    assert lines[-1].startswith("gongkai serve")
    run(gk, lines, skip=("serve",), input=f"{PASSWORD}\n{PASSWORD}\n")  # serve runs until stopped
    other = tmp_path / "accounts"
    other.mkdir()
    monkeypatch.chdir(other)
    assert "In a 西咸新区 unit's folder" in [b for h, b, _ in blocks() if h == "## Staff accounts and roles"][0]
    gk.ok("init", "--jurisdiction", "xixian", "--unit", "西咸新区某某局")
    run(gk, block("## Staff accounts and roles"), input=f"{PASSWORD}\n{PASSWORD}\n")


def test_request_tracks_rules_and_calendar_blocks(gk, tmp_path, monkeypatch):
    run(gk, block("## Request tracks: 政府信息公开 and 党务公开"))
    fresh = tmp_path / "rules"
    fresh.mkdir()
    monkeypatch.chdir(fresh)
    run(gk, block("## Rules and their citations"))
    text = README.read_text(encoding="utf-8")
    schedule = re.search(r"```toml\n(# calendar/2027.toml\n.*?)```", text, re.S).group(1)
    (fresh / "calendar").mkdir()
    (fresh / "calendar" / "2027.toml").write_text(schedule, encoding="utf-8")
    gk.ok("init", "--jurisdiction", "changning", "--unit", "上海市长宁区某某局")
    run(gk, block("## The working-day calendar"))


def test_matters_and_annual_report_blocks(gk, tmp_path, monkeypatch):
    lines = block("## Time-critical matters, participation checks, duties and the morning digest")
    assert lines[0].startswith("gongkai init")
    run(gk, lines)
    wuyuan = tmp_path / "wuyuan"
    wuyuan.mkdir()
    monkeypatch.chdir(wuyuan)
    run(gk, block("## Time-critical matters, participation checks, duties and the morning digest", 1))
    monkeypatch.chdir(tmp_path)
    report = block("## Annual report (年度报告)")
    narrative = tmp_path / "文字材料"  # the README names the files: 一.md, 五.md and 六.md
    assert "`一.md`, `五.md` and `六.md`" in README.read_text(encoding="utf-8")
    narrative.mkdir()
    for part in ("一", "五", "六"):
        (narrative / f"{part}.md").write_text(f"{part}、本单位的文字材料。\n", encoding="utf-8")
    run(gk, report)
    assert (tmp_path / "2026年报.docx").is_file() and (tmp_path / "2026年报.pdf").is_file()
    # the same unit publishes its pages (the server itself: tests/test_public_pages.py)
    run(gk, block("## The public disclosure pages (政府信息公开专栏)"), skip=("serve",))
    assert (tmp_path / "公开专栏" / "index.html").is_file()
