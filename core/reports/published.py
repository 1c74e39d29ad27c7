"""``report check``: a published annual report (ours or another system's) read back from its
file, checked against the format's own relations (:mod:`check`) and, if asked, the records.

The tables are found by their labels, never by position: a cell's row is named by the labels to
its left, its column by the headings above it (a merged heading covers every column under it),
so a report drawn with other spans, other label columns, group subtotals, a GB2312 page or
section 四 turned on its side still reads. The labels are the format's own (``annual.ROW_LABELS``,
``law.outcomes``), compared without numbering, punctuation and full-width forms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.law.outcomes import APPLICANT_TYPES, RESULT_ROWS
from gongkai.core.paperwork import grids
from gongkai.core.reports.annual import APPEAL_KINDS, APPEAL_LABELS, COLUMNS, ROW_CODES, ROW_LABELS, TOTAL
from gongkai.core.reports.check import COLUMN_LABELS, broken

WHAT = "年度报告文件"
_NUMBERING = re.compile(r"^(?:[(][一二三四五六七八九十\d]+[)]|[一二三四五六七八九十]+[、.]|\d+\s*[.、)])\s*")
BLANKS = {"", "-", "--", "—", "——", "–", "/"}  # after NFKC: － is -, ／ is /


@functools.lru_cache(maxsize=4096)
def key(text: str) -> str:
    """A label as compared: no numbering (一、 （三） 1.), no trailing remark in brackets, no
    punctuation, quotes or spaces, full-width letters folded."""
    text = unicodedata.normalize("NFKC", text).strip()
    while match := _NUMBERING.match(text):
        text = text[match.end():]
    text = re.sub(r"\([^()]*\)$", "", text)
    return re.sub(r"[\W_]", "", text)


# section 三: a row's label -> its code; the groups (（三）不予公开 …) a report may give subtotals for
ROW_KEYS: dict[str, str] = {key(label): code for code, label in ROW_LABELS.items()}
ROW_KEYS["合计"] = TOTAL
ROW_WORDS = {"new": "本年新收", "carried_over": "上年结转", "carried_forward": "结转下年度"}  # shortened by some systems
GROUPS: dict[str, str] = {key(r.group): r.group for r in RESULT_ROWS if r.group}
COLUMN_KEYS: dict[str, str] = {key(t.label): t.code for t in APPLICANT_TYPES} | {"总计": TOTAL, "合计": TOTAL}
# section 四: the kinds, most specific first (复议后起诉 also says 复议), and the results
KIND_WORDS = (("复议后起诉", "lawsuit_after_reconsideration"), ("未经复议", "lawsuit"), ("直接起诉", "lawsuit"),
              ("行政复议", "reconsideration"))
RESULT_WORDS = (("维持", "upheld"), ("纠正", "corrected"), ("未审结", "pending"), ("总计", TOTAL), ("合计", TOTAL),
                ("其他", "other"))
YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^\n。]{0,40}?(?:政府信息公开|政务公开)[^\n。]{0,6}?年度报告")


def _number(text: str) -> int | None:
    """A count (``1,024``, ``12.0``); a blank or a dash counts 0; anything else (a negative or
    a fraction, a word, a number no report has) is None, and is named as unreadable."""
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    if text in BLANKS:
        return 0
    match = re.fullmatch(r"(\d{1,9})(?:\.0+)?", text)
    return int(match.group(1)) if match else None


def _is_value(text: str) -> bool:
    return _number(text) is not None


def _labels(row: list[str]) -> list[str]:
    out: list[str] = []
    for text in row:
        if not _is_value(text) and (not out or out[-1] != text):
            out.append(text)
    return out


def _row_code(labels: list[str]) -> str | None:
    """The section 三 row (or ``group:…`` for a group subtotal) a row's labels name, nearest first."""
    for label in reversed(labels):
        k = key(label)
        if not k:
            continue
        if k in ROW_KEYS:
            return ROW_KEYS[k]
        if k in GROUPS:
            return "group:" + GROUPS[k]
        for code, word in ROW_WORDS.items():
            if k.startswith(word):
                return code
        longest = max((rk for rk in ROW_KEYS if len(rk) >= 4 and k.startswith(rk)), key=len, default=None)
        if longest:
            return ROW_KEYS[longest]
    return None


def _read_three(grid: grids.Grid) -> dict[str, Any] | None:
    # a heading row names two or more columns (自然人 … 总计); a data row at most one, as its label
    codes = [None if len({COLUMN_KEYS.get(key(t)) for t in row} - {None}) >= 2 else _row_code(_labels(row))
             for row in grid]
    if len({c for c in codes if c}) < 3:
        return None
    requests: dict[str, dict[str, int | None]] = {r: dict.fromkeys(COLUMNS) for r in ROW_CODES}
    groups: dict[str, dict[str, int | None]] = {}
    unreadable: list[dict[str, str]] = []
    found = 0
    heading: dict[int, str] = {}  # column -> the applicant column the nearest heading above names
    for r, row in enumerate(grid):
        code = codes[r]
        if code is None:
            for c, text in enumerate(row):
                if key(text) in COLUMN_KEYS:
                    heading[c] = COLUMN_KEYS[key(text)]
            continue
        for c, text in enumerate(row):
            column = heading.get(c)
            if column is None:
                continue
            value = _number(text)
            target = groups.setdefault(code[6:], dict.fromkeys(COLUMNS)) if code.startswith("group:") else requests[code]
            if target[column] is not None:
                continue  # the first reading of a cell stands (a label repeated in another table part)
            if value is None and c and row[c - 1] == text:
                continue  # a label drawn across the columns (a group's heading row): no cell there
            if value is None:
                unreadable.append({"section": "三", "row": _row_label(code), "column": COLUMN_LABELS[column], "text": text})
                continue
            target[column] = value
            found += 1
    if not found:
        return None
    groups = {g: v for g, v in groups.items() if any(x is not None for x in v.values())}
    return {"requests": requests, "groups": groups, "unreadable": unreadable, "cells": found}


def _row_label(code: str) -> str:
    return code[6:] if code.startswith("group:") else ROW_LABELS[code]


def _read_four(grid: grids.Grid) -> dict[str, Any] | None:
    values = [[_number(t) for t in row] for row in grid]
    data = [any(v is not None and t not in BLANKS for v, t in zip(vals, row)) for vals, row in zip(values, grid)]
    appeals: dict[str, dict[str, int | None]] = {kind: dict.fromkeys(APPEAL_LABELS) for kind in APPEAL_KINDS}
    found = 0
    kinds: dict[int, str] = {}  # column -> what the nearest heading above that names one says
    results: dict[int, str] = {}
    for r, row in enumerate(grid):
        if not data[r]:
            for c, text in enumerate(row):
                for words, above in ((KIND_WORDS, kinds), (RESULT_WORDS, results)):
                    if found_word := _first([text], words):
                        above[c] = found_word
            continue
        left_kind = left_result = None  # what the nearest label to the left that names one says
        for c, text in enumerate(row):
            if values[r][c] is None:
                left_kind = _first([text], KIND_WORDS) or left_kind
                left_result = _first([text], RESULT_WORDS) or left_result
                continue
            kind = kinds.get(c) or left_kind  # headings above, else labels to the left
            result = results.get(c) or left_result
            if kind and result and appeals[kind][result] is None:
                appeals[kind][result] = values[r][c]
                found += 1
    return {"appeals": appeals, "cells": found} if found >= 4 else None


def _first(texts: list[str], words: tuple[tuple[str, str], ...]) -> str | None:
    for text in texts:
        k = re.sub(r"[\W_]", "", unicodedata.normalize("NFKC", text))  # a bracketed kind kept: 行政诉讼（复议后起诉）
        for word, code in words:
            if word in k:
                return code
    return None


def read(path: str | Path) -> dict[str, Any]:
    """Sections 三 and 四 of the report in ``path`` as ``annual``'s tables (None where a cell was
    not found), the year and title its text names; refused in words if neither table is there."""
    document = grids.read(path, WHAT)
    three = max(filter(None, map(_read_three, document.grids)), key=lambda t: t["cells"], default=None)
    four = max(filter(None, map(_read_four, document.grids)), key=lambda t: t["cells"], default=None)
    if three is None and four is None:
        raise GongkaiError(
            f"在 {Path(path).name} 中找不到年度报告的表格：既没有第三部分“收到和处理政府信息公开申请情况”"
            "（行：本年新收政府信息公开申请数量……结转下年度继续办理；列：自然人、商业企业……总计），"
            "也没有第四部分“政府信息公开行政复议、行政诉讼情况”（行政复议、未经复议直接起诉、复议后起诉的结果维持……总计）。"
            "请确认这是按国办公开办函〔2021〕30号格式编制的年度报告，表格不是图片。")
    title = YEAR.search(document.text)
    missing = []
    if three is None:
        missing.append("第三部分“收到和处理政府信息公开申请情况”的表格")
    else:
        named = {(u["row"], u["column"]) for u in three["unreadable"]}  # listed as unreadable, with their text
        missing += [f"第三部分“{ROW_LABELS[row]}”行“{COLUMN_LABELS[c]}”列"
                    for row in ROW_CODES for c in COLUMNS
                    if three["requests"][row][c] is None and (ROW_LABELS[row], COLUMN_LABELS[c]) not in named]
    if four is None:
        missing.append("第四部分“政府信息公开行政复议、行政诉讼情况”的表格")
    else:
        missing += [f"第四部分“{APPEAL_KINDS[k]}”“{APPEAL_LABELS[r]}”"
                    for k in APPEAL_KINDS for r in APPEAL_LABELS if four["appeals"][k][r] is None]
    return {
        "file": str(path),
        "year": int(title.group(1)) if title else None,
        "title": _title(document.text, title) if title else None,
        "requests": three["requests"] if three else None,
        "groups": three["groups"] if three else {},
        "appeals": four["appeals"] if four else None,
        "cells": {"三": three["cells"] if three else 0, "四": four["cells"] if four else 0},
        "missing": missing,
        "unreadable": three["unreadable"] if three else [],
    }


def _title(text: str, match: re.Match[str]) -> str:
    """The title line the year was found in, with the unit's name before the year."""
    start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 40)
    return grids.clean(text[start:match.end()])


def group_broken(groups: dict[str, dict[str, int | None]], requests: dict[str, dict[str, int | None]]) -> list[dict[str, Any]]:
    """A subtotal row some systems add under （三）…（六） (the national format has none): it must
    be the sum of its sub-rows."""
    out = []
    for group, counts in groups.items():
        rows = [r for r in RESULT_ROWS if r.group == group]
        for column, value in counts.items():
            terms = [(r.group + r.label, requests[r.code][column]) for r in rows]
            if value is None or any(v is None for _, v in terms) or sum(v for _, v in terms) == value:
                continue
            summed = sum(v for _, v in terms)
            out.append({"section": "三", "relation": "group_total", "row": group, "column": COLUMN_LABELS[column],
                        "value": value, "expected": summed, "terms": [[label, v] for label, v in terms],
                        "message": f"“{group}”行“{COLUMN_LABELS[column]}”列：各小项之和为 {summed}，不等于填报的 {value}"})
    return out


def check(path: str | Path, app: Any = None, year: int | None = None) -> dict[str, Any]:
    """Read the report and list what breaks the format's relations; with ``app``, also every cell
    that differs from that unit's records for the report's year (``year`` if the file names none
    or another)."""
    found = read(path)
    findings = broken(found["requests"], found["appeals"])
    if found["requests"] and found["groups"]:
        findings += group_broken(found["groups"], found["requests"])
        findings.sort(key=lambda f: f["section"] != "三")  # 三 before 四, each in its order
    year = year or found["year"]
    differences = None
    if app is not None:
        if year is None:
            raise GongkaiError(f"{Path(path).name} 中找不到报告年度（如“2026年政府信息公开工作年度报告”），"
                               "请用 --year 指明与哪一年的记录核对。")
        differences = against_records(app, found, year)
    problems = len(findings) + len(found["missing"]) + len(found["unreadable"]) + len(differences or [])
    return {**found, "year": year, "broken": findings, "differences": differences, "ok": problems == 0}


def against_records(app: Any, found: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """Every cell read from the report that differs from the unit's records for ``year``
    (the figures ``report annual`` would print: :func:`annual.request_table`, :func:`annual.appeal_table`)."""
    from gongkai.core.reports.annual import appeal_table, request_table

    with app.session() as session:
        requests = request_table(session, app.registry, year)
        appeals = appeal_table(session, year)
    out = []

    def differ(section: str, row: str, column: str, value: int | None, records: int, where: str) -> None:
        if value is not None and value != records:
            out.append({"section": section, "row": row, "column": column, "value": value, "records": records,
                        "message": f"{where}：报告为 {value}，记录为 {records}"})

    for row in ROW_CODES if found["requests"] else ():
        for column in COLUMNS:
            differ("三", ROW_LABELS[row], COLUMN_LABELS[column], found["requests"][row][column], requests[row][column],
                   f"第三部分“{ROW_LABELS[row]}”行“{COLUMN_LABELS[column]}”列")
    for kind in APPEAL_KINDS if found["appeals"] else ():
        for result in APPEAL_LABELS:
            differ("四", APPEAL_KINDS[kind], APPEAL_LABELS[result], found["appeals"][kind][result], appeals[kind][result],
                   f"第四部分“{APPEAL_KINDS[kind]}”“{APPEAL_LABELS[result]}”")
    return out
