"""Writing a command's output file without ever destroying a record.

Every command that writes a file (letters, ledgers, digests, calendars, reports, registers,
the demo, ``init``) goes through :func:`write_file`. It

- refuses the unit's database, its ``-wal``/``-shm``/``-journal`` files and ``gongkai.toml``,
  whatever ``--force`` says (any SQLite file is recognised by its header, too);
- refuses to replace an existing file unless the target says ``force``;
- writes a temporary file beside the target and renames it into place, so the target is
  either the old file or the whole new one, never half of each;
- turns an unwritable path, a directory, a device and a full disk into a Chinese error and
  leaves nothing behind (no temporary file, no folder it created);
- writes to standard output when the path is ``-``.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Union

from attrs import frozen

from gongkai.core.errors import GongkaiError

STDOUT = "-"
CONFIG_NAME = "gongkai.toml"
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

Data = Union[bytes, str, Callable[[IO[bytes]], None]]


@frozen
class Target:
    """Where one output goes: a file path or ``-`` (standard output), and what it may replace."""

    path: str
    force: bool = False  # replace an existing ordinary file (never a protected one)
    protected: tuple[str, ...] = ()  # resolved paths that are never written

    @property
    def to_stdout(self) -> bool:
        return self.path == STDOUT

    def child(self, name: str) -> Target:
        """The target for ``name`` inside this target's folder (one file per unit, say)."""
        return Target(str(Path(self.path) / name), self.force, self.protected)

    def __str__(self) -> str:
        return "标准输出" if self.to_stdout else self.path


def as_target(dest: str | os.PathLike[str] | Target, force: bool = False) -> Target:
    """``dest`` as a :class:`Target` (a plain path protects only what can be recognised by content)."""
    if isinstance(dest, Target):
        return dest
    return Target(os.fspath(dest), force)


def protected_files(config_path: Path | None, database_url: str) -> tuple[str, ...]:
    """The unit's configuration file, its SQLite database and the database's companion files."""
    paths = []
    if config_path is not None:
        paths.append(Path(config_path))
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url[len(prefix):] not in ("", ":memory:"):
        db = Path(database_url[len(prefix):].split("?", 1)[0])
        paths += [db] + [Path(f"{db}{suffix}") for suffix in SQLITE_COMPANIONS]
    return tuple(sorted({_resolved(p) for p in paths}))


def check_target(dest: str | os.PathLike[str] | Target, *, allow_config: bool = False) -> None:
    """Refuse ``dest`` now, as :func:`write_file` would, before slow work (a PDF conversion)."""
    target = as_target(dest)
    if not target.path.strip():
        raise GongkaiError("输出文件路径为空，请给出文件名，如 --out 答复告知书.docx。")
    if not target.to_stdout:
        _refuse_protected(Path(target.path), target.protected, allow_config)
        _refuse_existing(Path(target.path), target.force)


def write_file(dest: str | os.PathLike[str] | Target, data: Data, *, allow_config: bool = False) -> Path:
    """Write ``data`` (bytes, text, or a function that saves into a binary stream) to ``dest``.

    Returns the path written (``Path("-")`` for standard output). ``allow_config`` is for
    ``gongkai init`` alone, which writes ``gongkai.toml`` on purpose.
    """
    target = as_target(dest)
    check_target(target, allow_config=allow_config)
    if target.to_stdout:
        _to_stdout(_bytes(data))
        return Path(STDOUT)
    path = Path(target.path)
    content = _bytes(data)  # built in memory: a failed disk write cannot leave a half-closed zip behind
    created = _make_parents(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes 0600; an output file is an ordinary file
        _rename_into_place(tmp_name, path, target.force)
        tmp_name = None
    except OSError as exc:
        raise os_error(exc, path) from None
    finally:
        if tmp_name is not None:
            _quietly(os.unlink, tmp_name)
            for folder in reversed(created):
                _quietly(os.rmdir, folder)
    return path


def write_by(dest: str | os.PathLike[str] | Target, produce: Callable[[Path], None], *, private: bool = False) -> Path:
    """:func:`write_file` for content that a library or another program writes to a path itself
    (a database backup, too large to hold in memory): ``produce(tmp)`` fills a temporary file
    beside the target, which is synced and linked into place only when ``produce`` returns.
    Whatever fails, ``produce`` included, nothing is left behind. ``private`` keeps the file
    readable by its owner alone (a backup holds applicants' personal data)."""
    target = as_target(dest)
    if target.to_stdout:
        raise GongkaiError("该输出须写到文件，不能写到标准输出：请给出文件名。")
    check_target(target)
    path = Path(target.path)
    created = _make_parents(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        produce(Path(tmp_name))
        with open(tmp_name, "rb+") as stream:
            os.fsync(stream.fileno())
        if not private:
            os.chmod(tmp_name, 0o666 & ~_umask())
        _rename_into_place(tmp_name, path, target.force)
        tmp_name = None
    except OSError as exc:
        raise os_error(exc, path) from None
    finally:
        if tmp_name is not None:
            for leftover in (tmp_name, *(tmp_name + s for s in SQLITE_COMPANIONS)):
                _quietly(os.unlink, leftover)
            for folder in reversed(created):
                _quietly(os.rmdir, folder)
    return path


def _bytes(data: Data) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    import io

    buffer = io.BytesIO()
    data(buffer)
    return buffer.getvalue()


def _to_stdout(content: bytes) -> None:
    stream = sys.stdout
    try:
        content.decode("utf-8")
        binary = False
    except UnicodeDecodeError:
        binary = True
    if binary and stream.isatty():
        raise GongkaiError("该格式是二进制文件，不能显示在终端上。请用 > 重定向到文件，或用 --out 给出文件名。")
    try:
        stream.flush()
        stream.buffer.write(content)
        stream.buffer.flush()
    except OSError as exc:
        raise os_error(exc, None) from None


def _resolved(path: Path) -> str:
    return str(Path(os.path.abspath(path)).resolve())


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _refuse_protected(path: Path, protected: Iterable[str], allow_config: bool) -> None:
    resolved = _resolved(path)
    if path.name == CONFIG_NAME or resolved.endswith(os.sep + CONFIG_NAME):
        if not allow_config:
            raise GongkaiError(f"{path} 是单位的配置文件（gongkai.toml），输出文件不能写到这里，请换一个文件名。")
        return
    companion = next((s for s in SQLITE_COMPANIONS if resolved.endswith(s)), None)
    if (resolved in protected or _is_sqlite(Path(resolved))
            or (companion and _is_sqlite(Path(resolved[: -len(companion)])))):
        raise GongkaiError(f"{path} 是本单位的数据库（或其日志文件），输出文件不能写到这里，否则全部记录都会丢失。请换一个文件名。")


def _refuse_existing(path: Path, force: bool) -> None:
    if path.is_dir():
        raise GongkaiError(f"{path} 是一个文件夹，请给出文件名，如 {path / '输出.docx'}。")
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise GongkaiError(f"{path} 不是普通文件（设备、管道或失效的链接），不能写入，请给出普通文件的路径。")
    if not force:
        raise GongkaiError(f"{path} 已存在。如确需覆盖，请加 --force；或换一个文件名。")


def _make_parents(path: Path) -> list[str]:
    """Create the missing folders above ``path``; returns them, outermost first, to undo on failure."""
    missing = []
    folder = path.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    try:
        for folder in reversed(missing):
            os.mkdir(folder)
            created.append(str(folder))
    except OSError as exc:
        for done in reversed(created):
            _quietly(os.rmdir, done)
        raise os_error(exc, path) from None
    return created


def _rename_into_place(tmp: str, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:  # a hard link never replaces: a file that appeared meanwhile is not overwritten
        os.link(tmp, path)
    except FileExistsError:
        raise GongkaiError(f"{path} 已存在。如确需覆盖，请加 --force；或换一个文件名。") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise GongkaiError(f"{path} 已存在。如确需覆盖，请加 --force；或换一个文件名。") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def os_error(exc: OSError, path: Path | None) -> GongkaiError:
    """An operating-system error on ``path`` (None: standard output) as a Chinese message."""
    where = str(path) if path is not None else "标准输出"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return GongkaiError(f"磁盘空间不足（或超过文件大小限制），{where} 未能写入，也没有留下不完整的文件。请清理磁盘后重试。")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return GongkaiError(f"没有权限写入 {where}（或其所在文件夹），请换一个有写权限的位置。")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return GongkaiError(f"{where} 的上级路径不存在或不是文件夹，请检查路径。")
    if exc.errno == errno.EISDIR:
        return GongkaiError(f"{where} 是一个文件夹，请给出文件名。")
    if exc.errno == errno.EPIPE:
        return GongkaiError("标准输出已关闭（管道另一端已退出），内容未能全部写出。")
    if exc.errno == errno.ENAMETOOLONG:
        return GongkaiError(f"文件名过长：{where[:80]}…，请缩短后重试。")
    return GongkaiError(f"无法写入 {where}（系统错误号 {exc.errno}），请检查路径和磁盘后重试。")


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _quietly(func: Callable[[str], None], arg: str) -> None:
    try:
        func(arg)
    except OSError:
        pass


class Tree:
    """Many files written under one folder as one output (a static web site): each file is
    written to a staging folder beside the target folder, unsynced; :meth:`commit` syncs them
    once and renames each into place, checked as :func:`write_file` checks one file (never a
    protected file, never an existing one without ``force``). A failure before the renames
    leaves nothing in the target; the staging folder is always removed.

    Use as ``with Tree(target) as tree: tree.add("a/index.html", text)``."""

    def __init__(self, dest: str | os.PathLike[str] | Target) -> None:
        self.target = as_target(dest)
        if self.target.to_stdout:
            raise GongkaiError("该输出是一个文件夹，不能写到标准输出：请给出文件夹。")
        folder = Path(self.target.path)
        if os.path.lexists(folder) and not folder.is_dir():
            raise GongkaiError(f"{folder} 是已有的文件，须给一个文件夹。")
        _refuse_protected(folder, self.target.protected, False)
        parent = folder.resolve().parent if os.path.lexists(folder) else Path(os.path.abspath(folder)).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
        except OSError as exc:
            raise os_error(exc, folder) from None
        self.files: list[str] = []
        self.fresh = not os.path.lexists(folder)
        self._made: set[str] = set()

    def add(self, relative: str, data: Data) -> None:
        parts = relative.split("/")
        if not relative or relative.startswith("/") or "\\" in relative or any(p in ("..", ".", "") for p in parts):
            raise GongkaiError(f"输出文件名“{relative}”无效。")
        if not self.fresh:  # in a new folder nothing exists yet to protect or to replace
            final = Path(self.target.path, relative)
            _refuse_protected(final, self.target.protected, False)
            _refuse_existing(final, self.target.force)
        staged = os.path.join(self.staging, relative)
        try:
            folder = os.path.dirname(staged)
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            with open(staged, "wb") as stream:
                stream.write(_bytes(data))
        except OSError as exc:
            raise os_error(exc, Path(self.target.path, relative)) from None
        self.files.append(relative)

    def commit(self) -> Path:
        folder = Path(self.target.path)
        os.sync()  # once for every file, rather than a sync per file
        if not os.path.lexists(folder):  # a new folder: moved into place whole, in one step
            try:
                for name in _folders(self.staging):
                    os.chmod(name, 0o777 & ~_umask())  # mkdtemp makes 0700; the site is to be read
                for relative in self.files:
                    os.chmod(self.staging / relative, 0o666 & ~_umask())
                os.rename(self.staging, folder)
                return folder
            except FileExistsError:
                pass  # made meanwhile: file by file below, as into any existing folder
            except OSError as exc:
                raise os_error(exc, folder) from None
        try:
            for relative in self.files:
                final = folder / relative
                final.parent.mkdir(parents=True, exist_ok=True)
                staged = self.staging / relative
                if self.fresh:  # not checked when added: the folder did not exist then
                    _refuse_protected(final, self.target.protected, False)
                os.chmod(staged, 0o666 & ~_umask())
                _rename_into_place(str(staged), final, self.target.force)
        except OSError as exc:
            raise os_error(exc, folder) from None
        return folder

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        try:
            if kind is None:
                self.commit()
        finally:
            import shutil

            shutil.rmtree(self.staging, ignore_errors=True)


def _folders(top: Path) -> list[Path]:
    return [top, *(Path(root, d) for root, dirs, _ in os.walk(top) for d in dirs)]
