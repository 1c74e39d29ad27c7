"""A small district on one server for the district tests: three units (the government's own
office, a department, a street), each moving in its 2025 ledger and appeals through the
ordinary imports (``gongkai --unit CODE request import`` / ``appeal import``)."""

from __future__ import annotations

import csv
from pathlib import Path

REQUEST_HEADERS = ["本单位编号", "申请人", "申请人类型", "渠道", "提交日期", "申请内容", "答复结果", "答复日期",
                   "不予公开的内容及理由"]
APPEAL_HEADERS = ["本单位编号", "救济类型", "提起日期", "结果", "审结日期"]

# code: (name, level, letter prefix, requests, appeals)
UNITS = {
    "zf": ("上海市长宁区人民政府办公室", "government", "长府办公开", [
        ["府1", "甲", "自然人", "当面提交", "2025-01-13", "预算", "disclosed", "2025-01-22", ""],
        ["府2", "乙", "商业企业", "当面提交", "2025-06-02", "规划", "disclosed", "2025-06-10", ""],
        ["府3", "丙", "自然人", "当面提交", "2025-12-22", "统计", "", "", ""],  # open at year end
    ], []),
    "fgj": ("上海市长宁区发展和改革委员会", "department", "长发改公开", [
        ["发1", "丁", "自然人", "当面提交", "2025-01-06", "项目", "disclosed", "2025-01-20", ""],
        ["发2", "戊公司", "商业企业", "当面提交", "2025-03-03", "价格", "partial", "2025-04-30",  # late
         "第2页联系人电话：个人隐私（条例 第十五条）"],
        ["发3", "己", "自然人", "当面提交", "2025-03-10", "征收", "withheld.third_party", "2025-03-28", ""],
        ["发4", "庚", "自然人", "当面提交", "2024-12-20", "补偿", "unavailable.not_held", "2025-01-10", ""],
    ], [
        ["发3", "复议", "2025-04-10", "纠正", "2025-06-01"],  # overturned
        ["发1", "直接起诉", "2025-05-10", "维持", "2025-09-01"],
    ]),
    "xhj": ("上海市长宁区新华路街道办事处", "street", "新华公开", [
        ["新1", "辛", "自然人", "当面提交", "2025-05-06", "环境", "disclosed", "2025-05-20", ""],
        ["新2", "壬", "自然人", "当面提交", "2025-11-03", "道路", "disclosed", "2025-11-10", ""],
    ], [
        ["新1", "复议", "2025-06-03", "尚未审结", ""],
    ]),
}

# the appendix the three units give for 2025 (new, answered, carried forward, 复议, 诉讼, 纠正)
APPENDIX_2025 = {
    "zf": (3, 2, 1, 0, 0, 0),
    "fgj": (3, 4, 0, 1, 1, 1),
    "xhj": (2, 2, 0, 1, 0, 0),
}
TOTAL_2025 = (8, 8, 1, 2, 1, 1)


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([headers, *rows])
    return path


def make_district(gk, folder: Path, jurisdiction: str, url: str) -> None:
    """``gongkai init --district`` in ``folder`` (the working directory), the three units added
    and their records imported."""
    gk.ok("init", "--jurisdiction", jurisdiction, "--district", "--database-url", url)
    for code, (name, level, prefix, requests, appeals) in UNITS.items():
        parent = [] if level == "government" else ["--parent", "zf"]
        gk.ok("unit", "add", code, "--name", name, "--level", level, "--letter-prefix", prefix, *parent)
        gk.ok("--unit", code, "request", "import", write_csv(folder / f"{code}-申请.csv", REQUEST_HEADERS, requests))
        if appeals:
            gk.ok("--unit", code, "appeal", "import", write_csv(folder / f"{code}-复议诉讼.csv", APPEAL_HEADERS, appeals))
