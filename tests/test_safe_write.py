"""Writers never destroy records (issue 20 item 1): every command that writes a file refuses
the unit's database, its WAL/SHM files and gongkai.toml, never replaces a file without
--force, and turns every unwritable target into a Chinese error with nothing left behind."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from db_snapshot import content_hash

from gongkai.core.paperwork.safe_write import Target, write_file

GONGKAI = [sys.executable, "-c", "from gongkai.core.cli import main; main()"]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """The demo's unit folder, made once: one replied request."""
    from gongkai.core.app import App
    from gongkai.core.requests.demo import run_demo

    folder = tmp_path_factory.mktemp("demo") / "unit"
    run_demo("changning", folder)
    App(str(folder / "gongkai.toml")).sync_calendar()  # the first read stores the calendar's fingerprint
    return folder


@pytest.fixture
def demo_unit(demo_folder, tmp_path, monkeypatch):
    """A fresh copy of the demo's unit folder, as the working directory."""
    folder = tmp_path / "unit"
    shutil.copytree(demo_folder, folder)
    monkeypatch.chdir(folder)
    return folder


def state(folder: Path) -> tuple[str, bytes, list[str]]:
    """The records, the configuration and the folder's files (SQLite's own -wal/-shm come and go)."""
    return content_hash(f"sqlite:///{folder / 'demo.db'}"), (folder / "gongkai.toml").read_bytes(), sorted(
        p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


# every command that writes a file, with the option that names it
WRITERS = [
    ("request", "letter", "1", "--format", "md", "--out"),
    ("request", "letter", "1", "--format", "docx", "--out"),
    ("request", "notice", "1", "--kind", "receipt", "--format", "md", "--out"),
    ("ledger", "--xlsx"),
    ("digest", "--as-of", "2026-10-09", "--html"),
    ("duties", "--year", "2026", "--ics"),
    ("report", "annual", "--year", "2026", "--format", "xlsx", "--out"),
    ("report", "annual", "--year", "2026", "--format", "html", "--out"),
    ("document", "register", "--xlsx"),
]
PROTECTED = ["demo.db", "demo.db-wal", "demo.db-shm", "gongkai.toml", "./sub/../demo.db"]


@pytest.mark.parametrize("target", PROTECTED)
@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c[:2]))
def test_no_writer_replaces_the_database_or_the_configuration(gk, demo_unit, command, target):
    (demo_unit / "sub").mkdir(exist_ok=True)
    (demo_unit / "demo.db-wal").touch()
    (demo_unit / "demo.db-shm").touch()
    before = state(demo_unit)
    result = gk.fails(*command, target, "--force")
    assert "不能写到这里" in result.stderr
    assert state(demo_unit) == before


@pytest.mark.parametrize("target", ["demo.db", "gongkai.toml", "答复告知书-1.md"])
def test_pdf_is_refused_before_libreoffice_runs(gk, demo_unit, target):
    before = state(demo_unit)
    gk.fails("request", "letter", "1", "--format", "pdf", "--out", target)
    assert state(demo_unit) == before


def test_a_link_to_the_database_is_refused_too(gk, demo_unit):
    os.symlink("demo.db", demo_unit / "letter.md")
    before = state(demo_unit)
    gk.fails("request", "letter", "1", "--format", "md", "--out", "letter.md", "--force")
    assert state(demo_unit) == before


def test_a_database_named_in_the_configuration_is_protected_by_path(gk, tmp_path):
    """The unit's database even before it holds a SQLite header (an empty, new file)."""
    target = Target(str(tmp_path / "x.db"), force=True, protected=(str((tmp_path / "x.db").resolve()),))
    (tmp_path / "x.db").touch()
    with pytest.raises(Exception, match="数据库"):
        write_file(target, "letter")
    assert (tmp_path / "x.db").read_bytes() == b""


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c[:2]))
def test_an_existing_file_is_replaced_only_with_force(gk, demo_unit, command):
    existing = demo_unit / "out.file"
    existing.write_text("staff's own file", encoding="utf-8")
    result = gk.fails(*command, "out.file")
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert existing.read_text(encoding="utf-8") == "staff's own file"
    gk.ok(*command, "out.file", "--force")
    assert existing.read_bytes() != b"staff's own file"
    assert [p.name for p in demo_unit.iterdir() if p.name.startswith(".")] == []  # no temporary file left


UNWRITABLE = {
    "a folder": (".", "文件夹"),
    "a device": ("/dev/full", "不是普通文件"),
    "a read-only place": ("/sys/letter.md", "没有权限"),
    "under a file": ("gongkai.toml/letter.md", "不是文件夹"),
    "a missing /proc path": ("/proc/no/such/letter.md", "不存在"),
}


@pytest.mark.parametrize("name", UNWRITABLE)
@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c[:2]))
def test_unwritable_targets_are_chinese_errors_with_nothing_left(gk, demo_unit, command, name):
    target, words = UNWRITABLE[name]
    before = state(demo_unit)
    result = gk.fails(*command, target, "--force")
    assert words in result.stderr, result.stderr
    assert state(demo_unit) == before


def test_missing_folders_are_made_and_removed_again_on_failure(gk, demo_unit):
    gk.ok("request", "letter", "1", "--format", "md", "--out", "a/b/letter.md")
    assert (demo_unit / "a/b/letter.md").is_file()


def test_a_full_disk_leaves_nothing_behind(demo_unit):
    """A real kernel refusal: the file-size limit makes the write fail part-way (EFBIG), as a full disk does."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (35_000, 35_000))  # above SQLite's 32 KiB -shm, below a letter

    before = state(demo_unit)
    result = subprocess.run([*GONGKAI, "request", "letter", "1", "--format", "docx",
                             "--out", "new/letter.docx"], capture_output=True, text=True, preexec_fn=limit,
                            cwd=demo_unit)
    assert result.returncode == 1, result.stderr
    assert "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
    assert state(demo_unit) == before  # no partial letter, no temporary file, no folder "new"


def test_standard_output_when_full_is_a_chinese_error(demo_unit):
    with open("/dev/full", "w") as full:
        result = subprocess.run([*GONGKAI, "request", "letter", "1", "--format", "md",
                                 "--out", "-"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=demo_unit)
    assert result.returncode == 1
    assert "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c[:2]))
def test_dash_writes_to_standard_output(gk, demo_unit, command):
    before = state(demo_unit)
    result = gk.ok(*command, "-")
    assert result.stdout_bytes
    if {"md", "html", "--html", "--ics"} & set(command):
        assert not result.stdout_bytes.startswith(b"PK")
        result.stdout_bytes.decode("utf-8")
    else:  # docx, xlsx: the zip container itself
        assert result.stdout_bytes.startswith(b"PK")
    if command[:2] == ("request", "notice"):  # a notice made is recorded on the request (issue 34), nothing else
        assert state(demo_unit)[1:] == before[1:]
        assert gk.json("request", "show", "1")["events"][-1]["action"] == "notice"
        return
    assert state(demo_unit) == before


def test_letter_to_standard_output_is_the_letter(gk, demo_unit):
    printed = gk.ok("request", "letter", "1", "--format", "md", "--out", "-").stdout
    gk.ok("request", "letter", "1", "--format", "md", "--out", "letter.md")
    assert printed == (demo_unit / "letter.md").read_text(encoding="utf-8")


def test_demo_refuses_a_unit_folder(gk, demo_unit):
    before = state(demo_unit)
    result = gk.fails("demo", "--jurisdiction", "yanta", "--out", ".")
    assert "gongkai.toml" in result.stderr
    assert state(demo_unit) == before


def test_init_force_that_fails_changes_nothing(gk, tmp_path):
    """--force onto a database that is not one: refused before gongkai.toml is replaced."""
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某局")
    config = (tmp_path / "gongkai.toml").read_bytes()
    db_before = content_hash(f"sqlite:///{tmp_path / 'gongkai.db'}")
    (tmp_path / "foreign.db").write_bytes(b"not a database at all" * 100)
    result = gk.fails("init", "--jurisdiction", "yanta", "--unit", "雁塔区某局", "--database-url",
                      "sqlite:///foreign.db", "--force")
    assert "数据库" in result.stderr
    assert (tmp_path / "gongkai.toml").read_bytes() == config
    assert content_hash(f"sqlite:///{tmp_path / 'gongkai.db'}") == db_before
    assert (tmp_path / "foreign.db").read_bytes() == b"not a database at all" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.db", "gongkai.db", "gongkai.toml"]


@pytest.mark.parametrize("bad", [
    ("--jurisdiction", "nowhere", "--unit", "某局"),
    ("--jurisdiction", "yanta", "--unit", " "),
    ("--jurisdiction", "yanta", "--unit", "某局", "--database-url", "nosuchdb://x"),
    ("--jurisdiction", "yanta", "--unit", "某局", "--database-url", "sqlite:////sys/no/gongkai.db"),
], ids=["jurisdiction", "unit", "url", "unwritable"])
def test_init_force_with_bad_settings_changes_nothing(gk, tmp_path, bad):
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某局")
    config = (tmp_path / "gongkai.toml").read_bytes()
    gk.fails("init", *bad, "--force")
    assert (tmp_path / "gongkai.toml").read_bytes() == config
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gongkai.db", "gongkai.toml"]


def test_init_force_that_works_replaces_the_configuration(gk, tmp_path):
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某局")
    gk.ok("init", "--jurisdiction", "yanta", "--unit", "雁塔区某局", "--force")
    assert 'jurisdiction = "yanta"' in (tmp_path / "gongkai.toml").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gongkai.db", "gongkai.toml"]


def test_init_checks_the_database_it_writes_down(gk, tmp_path, monkeypatch):
    """GONGKAI_DATABASE_URL set in the shell does not decide which database init builds and
    checks: it is the one named by --database-url and written into gongkai.toml."""
    other = tmp_path / "elsewhere.db"
    monkeypatch.setenv("GONGKAI_DATABASE_URL", f"sqlite:///{other}")
    gk.ok("init", "--jurisdiction", "changning", "--unit", "长宁区某局", "--database-url", "sqlite:///unit.db")
    assert 'database_url = "sqlite:///unit.db"' in (tmp_path / "gongkai.toml").read_text(encoding="utf-8")
    assert (tmp_path / "unit.db").is_file() and not other.exists()


def test_plugin_scaffold_into_an_unwritable_place_leaves_nothing(gk, tmp_path):
    result = gk.fails("plugin", "new", "jinshan", "--out", "/sys/x")
    assert "Traceback" not in result.stderr


def test_write_by_links_the_produced_file_into_place_or_leaves_nothing(tmp_path):
    """``write_by``: a file made at a path by a library or program (a database backup)."""
    import stat

    from gongkai.core.errors import GongkaiError
    from gongkai.core.paperwork.safe_write import write_by

    target = tmp_path / "new" / "folder" / "out.bin"
    with pytest.raises(RuntimeError):
        write_by(target, lambda tmp: (tmp.write_bytes(b"half"), Path(f"{tmp}-wal").write_bytes(b"x"),
                                      (_ for _ in ()).throw(RuntimeError("failed"))))
    assert not (tmp_path / "new").exists()  # no file, no -wal, no folder it made
    written = write_by(target, lambda tmp: tmp.write_bytes(b"whole"), private=True)
    assert written.read_bytes() == b"whole" and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert os.listdir(target.parent) == ["out.bin"]
    with pytest.raises(GongkaiError, match="已存在"):
        write_by(target, lambda tmp: tmp.write_bytes(b"other"))
    assert target.read_bytes() == b"whole" and os.listdir(target.parent) == ["out.bin"]
    with pytest.raises(GongkaiError, match="标准输出"):
        write_by("-", lambda tmp: None)
