"""A real, throwaway PostgreSQL server for the tests, and the ``backend`` fixture.

The server (Debian's ``postgresql`` package: ``initdb``/``pg_ctl`` under
/usr/lib/postgresql/N/bin) is started ONCE per test session on 127.0.0.1 and a free port,
with its data directory and socket in a temporary folder, and stopped at the end. PostgreSQL
refuses to run as root, so as root (CI) the folder belongs to the ``postgres`` user the
package creates and the server runs as that user. Each test gets its own fresh database.

Without the binaries the PostgreSQL half of ``backend`` is skipped, except under ``CI=true``,
where it fails: CI must test both backends.

conftest.py imports the fixtures, so every test module can ask for ``backend``.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "gongkai"
DATABASE = "gongkai_test"


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory (``GONGKAI_PG_BINDIR`` wins)."""
    explicit = os.environ.get("GONGKAI_PG_BINDIR")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))  # type: ignore[arg-type]
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One server process; :meth:`new_database` hands out empty databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chmod(self.root, 0o700)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # The free port may be taken by another process (a parallel test worker) before the
        # server binds it: then try another.
        for attempt in range(5):
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
                break
            except RuntimeError:
                if attempt == 4:
                    raise
                self.port = _free_port()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-E", "UTF8", DATABASE)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, schema: str | None = None) -> str:
        url = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"
        return url + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def new_database(self) -> str:
        """A fresh, empty place for one test's tables; its URL.

        A schema on the search path rather than a database: CREATE DATABASE takes a second.
        """
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={DATABASE}", autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries not found (apt-get install postgresql); GONGKAI_PG_BINDIR can name them"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Backend:
    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __repr__(self) -> str:
        return f"Backend({self.name})"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path, monkeypatch) -> Backend:
    """The database to test against, also set as GONGKAI_DATABASE_URL (it beats gongkai.toml)."""
    if request.param == "sqlite":
        chosen = Backend("sqlite", f"sqlite:///{tmp_path / 'gongkai.db'}")
    else:
        chosen = Backend("postgresql", request.getfixturevalue("pg_server").new_database())
    monkeypatch.setenv("GONGKAI_DATABASE_URL", chosen.url)
    return chosen


def pytest_addoption(parser) -> None:
    parser.addoption("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                     help="run every test on this database (postgresql: the throwaway server above)")


# fixtures that hand a test a prepared SQLite file (tests/report_ledger.py copies gongkai.db)
SQLITE_FILE_FIXTURES = {"built_ledger"}


@pytest.fixture(autouse=True)
def whole_suite_backend(request, isolated, monkeypatch) -> None:
    """With ``--backend=postgresql`` every test's unit uses a fresh PostgreSQL schema."""
    if (request.config.getoption("--backend") == "postgresql" and "backend" not in request.fixturenames
            and request.node.get_closest_marker("sqlite_only") is None
            and not SQLITE_FILE_FIXTURES & set(request.fixturenames)):
        monkeypatch.setenv("GONGKAI_DATABASE_URL", request.getfixturevalue("pg_server").new_database())
