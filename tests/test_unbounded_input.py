"""Bounded input (issue 33 item 2): every file, pipe and stdin gongkai reads has a limit, and
/dev/zero or a huge sparse file fed to any of them is refused in Chinese instead of filling
the machine's memory. Each command runs in its own process under a 1.5 GiB address-space
limit, so an unbounded read fails the test instead of waking the kernel's OOM killer."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading

MEMORY = 1536 << 20
HUGE = 64 << 30  # a sparse file: 64 GiB long, nothing on disk


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    with open(stdin or os.devnull, "rb") as source:
        return subprocess.run(
            [sys.executable, "-c", "from gongkai.core.cli import main; main()", *args],
            cwd=folder, env={**os.environ, "GONGKAI_USER": "张三"}, stdin=source, capture_output=True,
            text=True, timeout=120, preexec_fn=_limited, start_new_session=True)  # no terminal: stdin is read


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode not in (0, None), result.stdout
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr
    assert any(w in result.stderr for w in words), result.stderr


@pytest.fixture
def huge(tmp_path):
    def make(name: str) -> Path:
        path = tmp_path / name
        with open(path, "wb") as f:
            f.truncate(HUGE)
        return path
    return make


@pytest.fixture
def folder(unit, gk, tmp_path):
    unit("changning")
    gk.ok("db", "upgrade")
    return tmp_path


TOO_BIG = ("上限", "不是普通文件")


@pytest.mark.parametrize("source", ["/dev/zero", "huge.toml"])
def test_calendar_load(folder, huge, source):
    path = source if source.startswith("/") else str(huge(source))
    refused(run(folder, "calendar", "--load", path), *TOO_BIG)


@pytest.mark.parametrize("source", ["/dev/zero", "huge.csv", "huge.toml"])
def test_assess_score_files(folder, huge, source):
    path = source if source.startswith("/") else str(huge(source))
    refused(run(folder, "assess", "score", path), *TOO_BIG)


@pytest.mark.parametrize("source", ["/dev/zero", "huge.toml"])
def test_assess_rubric_file_named_in_the_config(tmp_path, unit, huge, source):
    unit("changning")
    path = source if source.startswith("/") else str(huge(source))
    with open(tmp_path / "gongkai.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[assessment]\nrubric_file = "{path}"\n')
    (tmp_path / "t.toml").write_text("", encoding="utf-8")
    refused(run(tmp_path, "assess", "score", "t.toml"), *TOO_BIG)


@pytest.mark.parametrize("source", ["/dev/zero", "huge"])
def test_password_stdin(folder, huge, source):
    path = source if source.startswith("/") else str(huge(source))
    refused(run(folder, "user", "add", "clerk", "--role", "单位管理员", "--password-stdin", stdin=path), *TOO_BIG)


def test_password_prompt_without_a_terminal(folder):
    refused(run(folder, "user", "add", "clerk", "--role", "单位管理员", stdin="/dev/zero"), *TOO_BIG)


@pytest.mark.parametrize("command", [("request", "import"), ("appeal", "import")], ids=" ".join)
@pytest.mark.parametrize("source", ["/dev/zero", "huge.csv", "huge.xlsx"])
def test_imports(folder, huge, command, source):
    path = source if source.startswith("/") else str(huge(source))
    refused(run(folder, *command, path), *TOO_BIG)


@pytest.mark.parametrize("source", ["/dev/zero", "huge"])
def test_report_narrative(folder, huge, source):
    texts = folder / "texts"
    texts.mkdir()
    target = Path(source) if source.startswith("/") else huge("big")
    (texts / "五.md").symlink_to(target)
    refused(run(folder, "report", "annual", "--year", "2026", "--narrative", str(texts)), *TOO_BIG)


@pytest.mark.parametrize("source", ["/dev/zero", "huge.toml"])
def test_config_option(tmp_path, huge, source):
    path = source if source.startswith("/") else str(huge(source))
    refused(run(tmp_path, "--config", path, "rules"), *TOO_BIG)


def test_the_helper_reads_up_to_its_limit_and_no_further(tmp_path):
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"a" * 100)
    assert reading.read_text(exact, 100, "文件") == "a" * 100
    with pytest.raises(GongkaiError, match="上限"):
        reading.read_text(exact, 99, "文件")
    with pytest.raises(GongkaiError, match="上限"):
        reading.read_bytes("/dev/zero", 1000, "文件")
    with pytest.raises(GongkaiError, match="不是普通文件"):
        reading.check_file("/dev/zero", 1000, "导入文件", regular=True)
    with open("/dev/zero", "rb") as zeros:
        with pytest.raises(GongkaiError, match="上限"):
            reading.read_line(zeros, 100, "密码")


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A 1.3 MB workbook whose shared strings unpack to 1.3 GB."""
    import zipfile

    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            for _ in range(80):
                member.write(b"\0" * (1 << 24))
    return path


@pytest.mark.parametrize("command", [("request", "import"), ("appeal", "import")], ids=" ".join)
def test_imports_refuse_a_zip_bomb_and_a_workbook_that_is_none(folder, zip_bomb, command):
    refused(run(folder, *command, str(zip_bomb)), "解压后")
    fake = folder / "fake.xlsx"
    fake.write_text("申请人,渠道\n", encoding="utf-8")
    refused(run(folder, *command, str(fake)), "不是有效的 Excel 文件")


@pytest.mark.parametrize("name", ["report.html", "report.docx", "report.xlsx"])
def test_report_check(folder, huge, name):
    """`report check FILE` (a published report): a huge sparse file, /dev/zero behind a report's
    name, a zip bomb and a workbook whose sheets unpack to far more than any report."""
    refused(run(folder, "report", "check", str(huge(name))), *TOO_BIG)
    (folder / f"zero-{name}").symlink_to("/dev/zero")
    refused(run(folder, "report", "check", f"zero-{name}"), *TOO_BIG)


@pytest.mark.parametrize("name", ["bomb.docx", "bomb.xlsx"])
def test_report_check_refuses_a_zip_bomb_and_oversized_text(folder, zip_bomb, name, tmp_path):
    import shutil
    import zipfile

    shutil.copy(zip_bomb, folder / name)
    refused(run(folder, "report", "check", name), "解压后")
    big = folder / f"big-{name}"
    part = "word/document.xml" if name.endswith("docx") else "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(part, "w") as member:
            for _ in range(20):
                member.write(b" " * (1 << 20))
    refused(run(folder, "report", "check", big.name), "远超年度报告的篇幅")
