"""Reading a table to import (.csv or .xlsx), whatever its rows are about.

The imports of requests, appeals and documents share this: a file checked before anything is
read (a regular file, bounded size, an xlsx bounded once unzipped, a bounded number of rows),
its header row, the ``--map`` of headers to fields (or the fields' Chinese names as headers),
the rows streamed with the line numbers a person sees, and the cells read as dates. What a row
means and how it is checked and stored is each domain's own.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading
from gongkai.core.records import limits

Fields = dict[str, tuple[str, bool]]  # field -> (Chinese name, required)


@attrs.define
class ImportReport:
    imported: list[int] = attrs.field(factory=list)
    errors: list[tuple[int, str]] = attrs.field(factory=list)  # (row number, message)
    run: int | None = None  # the request import's LedgerImport row

    def to_json(self) -> dict[str, Any]:
        return {"imported": len(self.imported), "ids": self.imported, "import": self.run,
                "errors": [{"row": n, "error": e} for n, e in self.errors]}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def parse_mapping(items: tuple[str, ...] | list[str], fields: Fields) -> dict[str, str]:
    """``--map 申请人=applicant --map 日期=submitted`` (or one comma-separated value) -> column -> field."""
    mapping: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            column, sep, field = pair.partition("=")
            if not sep or not column.strip() or field.strip() not in fields:
                raise GongkaiError(f"--map “{pair}” 应为“表头=字段”，字段可选：{'、'.join(fields)}")
            mapping[column.strip()] = field.strip()
    missing = [f for f, (_, required) in fields.items() if required and f not in mapping.values()]
    if missing:
        raise GongkaiError(f"--map 缺少必填字段：{'、'.join(f'{f}（{fields[f][0]}）' for f in missing)}")
    return mapping


def default_mapping(headers: list[str], fields: Fields) -> dict[str, str] | None:
    """The mapping of a file whose headers are the fields' Chinese names (as the exports
    write them), or None if a required field has no such column."""
    by_name = {name: field for field, (name, _) in fields.items()}
    mapping = {h: by_name[h] for h in headers if h in by_name}
    return mapping if {f for f, (_, required) in fields.items() if required} <= set(mapping.values()) else None


def read_rows(path: Path, sheet: str | None = None) -> Iterator[Any]:
    """First the header list, then (row number as the user sees it, {header: value}) per data row.
    A workbook is read from its sheet named ``sheet`` if it has one, else from its active sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        csv.field_size_limit(limits.IMPORT_CELL_CHARS)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            n = 1
            try:
                headers = [h.strip() for h in next(reader, [])]
                yield headers
                for n, values in enumerate(reader, start=2):
                    if any(v.strip() for v in values):
                        yield n, dict(zip(headers, values))
            except csv.Error as exc:
                raise GongkaiError(
                    f"第 {n + 1} 行无法读取（{exc}）；单元格上限 {limits.IMPORT_CELL_CHARS:,} 个字符。"
                ) from None
            except UnicodeDecodeError:
                raise GongkaiError(f"文件 {path.name} 第 {n + 1} 行附近不是 UTF-8 编码，请另存为 UTF-8 的 CSV。") from None
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True, data_only=True)
        try:
            rows = enumerate((wb[sheet] if sheet in wb.sheetnames else wb.active).iter_rows(values_only=True), 1)
            # the header row: the first with two cells or more (a title row above it is skipped,
            # as in the workbooks the exports write)
            first = next(((n, v) for n, v in rows if sum(x not in (None, "") for x in v) > 1), (1, ()))
            headers = [str(h).strip() if h is not None else "" for h in first[1]]
            yield headers
            for n, values in rows:
                if any(v not in (None, "") for v in values):
                    yield n, dict(zip(headers, values))
        finally:
            wb.close()
    else:
        raise GongkaiError(f"不支持的文件类型“{path.suffix}”，请导入 .xlsx 或 .csv 文件。")


def checked_file(path: str | Path) -> Path:
    """A file to import: a regular file (it is read twice: counted and hashed, then imported)
    of at most IMPORT_BYTES; a device, pipe or huge file is refused before anything is read."""
    if not Path(path).exists():
        raise GongkaiError(f"找不到文件 {path}。")
    path = reading.check_file(path, reading.IMPORT_BYTES, "导入文件", regular=True)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        reading.check_unzipped(path, reading.IMPORT_UNZIPPED_BYTES, "导入文件")
    return path


def count_rows(path: Path) -> int:
    """About how many rows ``path`` has, found without parsing it (checked before any write)."""
    if path.suffix.lower() == ".csv":
        lines = 0
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
        return lines
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True)
        try:
            return wb.active.max_row or 0
        finally:
            wb.close()
    return 0


def opened(path: str | Path, mapping: dict[str, str] | None, fields: Fields, *, sheet: str | None = None,
           unknown_format: str = "不是本系统导出的格式", example: str = "") -> tuple[Path, int, dict[str, str]]:
    """The file to import checked (:func:`checked_file`, at most IMPORT_ROWS rows), about how many
    rows it has, and the mapping of its headers: ``mapping`` checked against the headers, or for
    None the fields' Chinese names (:func:`default_mapping`). Nothing is stored before this."""
    path = checked_file(path)
    count = count_rows(path)
    if count > limits.IMPORT_ROWS:
        raise GongkaiError(
            f"文件 {path.name} 约有 {count:,} 行，超过一次导入的上限 {limits.IMPORT_ROWS:,} 行，请拆分成几个文件分批导入。")
    rows = read_rows(path, sheet=sheet)
    headers = next(rows, [])
    rows.close()
    if mapping is None:
        mapping = default_mapping(headers, fields)
        if mapping is None:
            raise GongkaiError(f"文件表头（{'、'.join(headers)}）{unknown_format}，请用 --map 指明各列，如 --map {example}")
    unknown = [c for c in mapping if c not in headers]
    if unknown:
        raise GongkaiError(f"文件中没有表头“{'、'.join(unknown)}”，请核对 --map（文件表头：{'、'.join(headers)}）。")
    return path, count, mapping


@functools.lru_cache(maxsize=4096)
def cell_date(value: Any, name: str) -> dt.date | None:
    """The date in a cell, or None if blank. Cached: a file repeats its dates, and equal cells
    give the very same object, which a batch then carries to another process only once."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise GongkaiError(f"{name}“{value}”不是有效日期（应为 2026-03-02）") from None


def cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def items(text: str) -> list[str]:
    """The items of a cell that lists several, separated by ；, ; or line breaks."""
    return [item for item in text.replace("；", ";").replace("\n", ";").split(";") if item.strip()]
