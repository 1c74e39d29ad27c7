"""Bounded reading: every file, pipe and stdin gongkai reads goes through here, with a limit
suited to what it reads, so that ``/dev/zero``, a runaway pipe or a huge (or sparse) file is
refused in words instead of filling the machine's memory.

The limits are engineering limits, far above any real file of the kind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, TextIO

from gongkai.core.errors import GongkaiError

MIB = 1 << 20
CONFIG_BYTES = 1 * MIB  # gongkai.toml
SCHEDULE_BYTES = 1 * MIB  # one year's holiday schedule (节假日安排, TOML)
RUBRIC_BYTES = 4 * MIB  # an assessment rubric (评分细则, TOML)
FINDINGS_BYTES = 64 * MIB  # an assessment's findings (考核结果, TOML or CSV)
NARRATIVE_BYTES = 4 * MIB  # one section of the annual report's text (一.md, 五.md, 六.md)
IMPORT_BYTES = 256 * MIB  # an imported ledger (.csv or .xlsx): 200,000 rows of 1 KB with room to spare
IMPORT_UNZIPPED_BYTES = 1 << 30  # the same workbook unpacked (its shared strings are read whole)
PASSWORD_BYTES = 4096  # one password line on stdin
REPORT_BYTES = 64 * MIB  # a published annual report (.html, .docx or .xlsx), pictures and all
REPORT_UNZIPPED_BYTES = 256 * MIB  # the same .docx or .xlsx unpacked


def _size(n: int) -> str:
    return f"{n // MIB:,} MB" if n >= MIB else f"{n:,} 字节"


def _too_big(what: str, path: object, limit: int) -> GongkaiError:
    return GongkaiError(f"{what} {path} 超过 {_size(limit)} 的上限，不予读取。请核对是否选错了文件"
                        "（如 /dev/zero 或其他设备、过大的文件）。")


def check_file(path: str | Path, limit: int, what: str, *, regular: bool = False) -> Path:
    """``path`` if it exists and its size is within ``limit``; a file that is not a regular
    file (a device, a pipe) is refused when ``regular`` (it must be read more than once, as an
    import does), else read only up to the limit by :func:`read_bytes`."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise GongkaiError(f"找不到{what} {path}。") from None
    except OSError as exc:
        raise GongkaiError(f"无法读取{what} {path}：{exc.strerror}。") from None
    if stat.S_ISDIR(info.st_mode):
        raise GongkaiError(f"{what} {path} 是文件夹，请给出文件。")
    if not stat.S_ISREG(info.st_mode):
        if regular:
            raise GongkaiError(f"{what} {path} 不是普通文件（是设备或管道），请给出保存在磁盘上的文件。")
    elif info.st_size > limit:  # a sparse file is refused by its apparent size, unread
        raise _too_big(what, path, limit)
    return path


def check_unzipped(path: Path, limit: int, what: str, kind: str = "xlsx") -> None:
    """A workbook (a zip file) whose members unpack to at most ``limit`` bytes: a zip bomb is
    refused before it is opened; a file that is no zip file is refused in words."""
    import zipfile

    name, program = {"xlsx": ("Excel 文件（.xlsx）", "Excel"), "docx": ("Word 文件（.docx）", "Word")}[kind]
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise GongkaiError(f"{what} {path} 不是有效的 {name}，可能已损坏或只是改了扩展名。"
                           f"请用 {program} 或 WPS 另存为 .{kind} 后重试。") from None
    if size > limit:
        raise GongkaiError(f"{what} {path} 解压后有 {size // MIB:,} MB，超过 {_size(limit)} 的上限，不予读取。"
                           + ("请拆分成几个文件分批导入。" if kind == "xlsx" else "请核对是否选错了文件。"))


def read_bytes(path: str | Path, limit: int, what: str) -> bytes:
    """The contents of ``path``, at most ``limit`` bytes; more is refused with a Chinese error."""
    path = check_file(path, limit, what)
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise GongkaiError(f"无法读取{what} {path}：{exc.strerror}。") from None
    if len(data) > limit:
        raise _too_big(what, path, limit)
    return data


def read_text(path: str | Path, limit: int, what: str) -> str:
    """The UTF-8 text of ``path`` (a BOM dropped), at most ``limit`` bytes; refused in words otherwise."""
    data = read_bytes(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GongkaiError(f"{what} {path} 不是 UTF-8 编码，请另存为 UTF-8。") from None


class BoundedLines:
    """A text stream (stdin) whose ``readline`` reads at most ``limit`` bytes a line, through
    :func:`read_line`; everything else is the stream's own."""

    def __init__(self, stream: TextIO, limit: int, what: str) -> None:
        self._stream, self._limit, self._what = stream, limit, what

    def readline(self, size: int = -1) -> str:
        return read_line(self._stream, self._limit, self._what)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def read_line(stream: TextIO | BinaryIO, limit: int, what: str) -> str:
    """One line from ``stream`` (stdin), at most ``limit`` bytes; a longer one is refused
    without reading on (a pipe from /dev/zero has no end of line)."""
    binary = getattr(stream, "buffer", stream)
    line = binary.readline(limit + 1)
    if isinstance(line, str):
        line = line.encode("utf-8", "surrogateescape")
    if len(line) > limit and not line.endswith(b"\n"):
        raise GongkaiError(f"{what}超过 {_size(limit)} 的上限（或没有换行），不予读取。请核对输入。")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        raise GongkaiError(f"{what}不是 UTF-8 编码的文字。") from None
