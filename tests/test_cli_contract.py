"""The JSON contracts of `deadline` and `rules` (design.md), and CLI conventions."""

import os
import subprocess
import sys

DEADLINE_KEYS = {"rule", "jurisdiction", "start", "due", "limit", "unit", "amount", "provisional", "citation"}


def test_deadline_json_contract(gk):
    data = gk.json("--jurisdiction", "changning", "deadline", "proactive.publish", "--start", "2026-09-24")
    assert DEADLINE_KEYS <= set(data)
    assert data["rule"] == "proactive.publish"
    assert data["jurisdiction"] == "changning"
    assert data["start"] == "2026-09-24"
    assert data["due"] == "2026-10-15"
    assert data["limit"] == "2026-10-29"
    assert data["unit"] == "working_days" and data["amount"] == 10
    assert data["provisional"] is False
    assert "第四十条" in data["citation"]


def test_national_deadline_without_local_variant(gk):
    data = gk.json("-j", "yanta", "deadline", "request.third_party_opinion", "--start", "2026-09-24")
    assert data["due"] == "2026-10-22"  # 15 WD across 国庆
    assert data["limit"] is None
    assert "第三十二条" in data["citation"]


def test_yanta_publishes_within_three_working_days(gk):
    assert gk.json("-j", "yanta", "deadline", "proactive.publish", "--start", "2026-09-30")["due"] == "2026-10-10"


def test_hour_rule_takes_a_date_time(gk):
    data = gk.json("-j", "yanta", "deadline", "opinion.major_incident", "--start", "2026-09-30T21:30")
    assert data["start"] == "2026-09-30T21:30:00+08:00"
    assert data["due"] == "2026-10-01T02:30:00+08:00"
    assert data["unit"] == "hours" and data["amount"] == 5


def test_deadline_human_output_explains(gk):
    out = gk.ok("-j", "changning", "deadline", "proactive.publish", "--start", "2026-09-24").stdout
    assert "2026-10-15" in out and "最迟 2026-10-29" in out and "第四十条" in out
    out = gk.ok("-j", "changning", "deadline", "request.reply", "--start", "2026-12-15").stdout
    assert "暂定" in out


def test_deadline_refuses_bad_input(gk):
    assert "不是有效日期" in gk.fails("-j", "yanta", "deadline", "request.reply", "--start", "2026-02-30").stderr
    assert "没有规则" in gk.fails("-j", "yanta", "deadline", "request.nothing", "--start", "2026-02-03").stderr
    assert "不是期限" in gk.fails("-j", "yanta", "deadline", "exemptions", "--start", "2026-02-03").stderr


def test_rules_json_contract(gk):
    rules = gk.json("-j", "wuyuan", "rules")
    by_id = {r["id"]: r for r in rules}
    for rule in rules:
        assert {"id", "summary", "citation", "source", "kind"} <= set(rule)
        assert rule["source"] in ("national", "wuyuan")
        assert rule["citation"]
    assert by_id["request.extension"]["source"] == "national"  # 条例 第三十三条 for government information
    extension = by_id["party.request.extension"]
    assert extension["source"] == "wuyuan"
    assert extension["unit"] == "months" and extension["amount"] == 3
    assert by_id["request.agency_opinion"]["source"] == "national"
    assert by_id["request.agency_opinion"]["on_silence"] == "consent"
    assert by_id["assessment.grade"]["bands"][0]["name"] == "优秀"


def test_rules_table_shows_citations(gk):
    out = gk.ok("-j", "xixian", "rules", "request").stdout
    assert "request.review_chain" in out and "第十八条" in out


def test_help_is_fast_because_heavy_modules_are_lazy():
    code = (
        "import sys\n"
        "from gongkai.core.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'jinja2', 'holidays', 'docx', 'openpyxl', 'starlette', 'uvicorn', 'gongkai.plugins.xixian') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_commands_outside_a_unit_folder_create_no_database(gk, tmp_path):
    for command in (["ledger"], ["documents"], ["digest"], ["request", "show", "1"]):
        result = gk.fails("-j", "changning", *command)
        assert "没有 gongkai.toml" in result.stderr and "gongkai init" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no stray gongkai.db
    # a database named explicitly is still used
    gk.ok("-j", "changning", "--db", f"sqlite:///{tmp_path / 'elsewhere.db'}", "ledger")
    assert (tmp_path / "elsewhere.db").is_file()


ENGLISH_CHROME = ("Usage:", "Options", "Commands", "Error:", "Try '", "Show this message", "No such", "Missing", "Invalid value", "[required]", "TEXT", "INTEGER")


def test_clicks_own_usage_errors_are_in_chinese(gk):
    cases = {
        ("ledger", "--bogus"): "没有选项 '--bogus'",
        ("ledger", "--overdu"): "是否想用：'--overdue'",
        ("request", "show"): "缺少参数",
        ("request", "nosuch"): "没有子命令 'nosuch'",
        ("calendar", "--year", "abc"): "'abc' 不是有效的整数",
        ("calendar", "--load", "nowhere.toml"): "文件 'nowhere.toml' 不存在",
        ("calendar", "2026-01-01", "extra"): "多余的参数：extra",
    }
    for args, expected in cases.items():
        result = gk.fails(*args, code=2)
        assert expected in result.stderr, result.stderr
        assert "用法：" in result.stderr and "查看帮助" in result.stderr and "错误：" in result.stderr
        assert not [w for w in ENGLISH_CHROME if w in result.stderr], result.stderr


def test_help_chrome_is_in_chinese(gk):
    for args in ((), ("request",), ("request", "new"), ("calendar",)):
        out = gk.ok(*args, "--help").stdout
        assert out.startswith("用法：") and "选项：" in out and "显示本帮助并退出。" in out
        assert not [w for w in ENGLISH_CHROME if w in out], out
    assert "[必填]" in gk.ok("request", "new", "--help").stdout


def test_an_argument_that_is_not_utf8_is_refused_in_chinese(tmp_path):
    # a terminal in another encoding passes bytes Python keeps as lone surrogates; SQLite and
    # every output would fail on them, so the command line refuses them before any command runs
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env["GONGKAI_PRELOAD"] = "0"
    script = os.path.join(os.path.dirname(sys.executable), "gongkai")
    result = subprocess.run([script.encode(), b"request", b"show", b"\xff"], capture_output=True, cwd=tmp_path, env=env)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in stderr
    assert "第 3 个命令行参数含有无法识别的字节" in stderr and "UTF-8" in stderr
    assert not any(tmp_path.iterdir())  # nothing created
