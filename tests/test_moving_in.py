"""The README's "Moving in" commands, run as written, on the files they name."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
REQUESTS = [  # 编号, 申请人, 类型, 渠道, 提交日期, 内容, 结果, 答复日期, 收费, 不予公开内容
    ["长房申〔2025〕1号", "甲", "自然人", "当面提交", "2025-01-06", "预算", "disclosed", "2025-01-20", "", ""],
    ["长房申〔2025〕2号", "乙公司", "商业企业", "当面提交", "2025-02-03", "规划", "partial", "2025-02-25", "100", "联系人电话：个人隐私"],
    ["长房申〔2025〕3号", "丙", "自然人", "当面提交", "2025-03-03", "征收", "withheld.third_party", "2025-03-28", "", ""],
    ["长房申〔2025〕4号", "丁", "自然人", "当面提交", "2025-12-22", "统计", "", "", "", ""],  # open at year end
    ["长房申〔2024〕90号", "戊", "自然人", "当面提交", "2024-12-20", "补偿", "unavailable.not_held", "2025-01-10", "", ""],
]
APPEALS = [  # 申请编号, 类型, 提起日期, 结果, 审结日期, 复议决定日期
    ["长房申〔2025〕3号", "复议", "2025-04-10", "维持", "2025-06-01", ""],
    ["长房申〔2025〕3号", "复议后起诉", "2025-06-20", "尚未审结", "", ""],
    ["长房申〔2025〕1号", "复议后起诉", "2025-05-10", "", "", "2025-04-30"],  # reconsidered before the records
]
DOCUMENTS = [  # 标题, 文号, 种类, 属性, 成文日期, 发布日期, 发布渠道, 废止日期
    ["关于2025年道路维修计划的通知", "长房发〔2025〕1号", "其他", "主动公开", "2025-02-10", "2025-02-14", "政府网站", ""],
    ["某管理办法", "长房规〔2024〕2号", "行政规范性文件", "主动公开", "2024-05-10", "2024-05-15", "政府网站", "2025-10-01"],
    ["内部工作方案", "长房发〔2025〕3号", "其他", "依申请公开", "2025-03-01", "", "", ""],
]


def moving_in_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Moving in"):]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("gongkai ")]


def write(path: Path, headers: str, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([headers.split(","), *rows])


def test_the_readme_moving_in_commands_work_as_shown(unit, gk, tmp_path):
    unit("changning")
    commands = moving_in_commands()
    assert [c[:2] for c in commands] == [["request", "import"], ["appeal", "import"], ["document", "import"],
                                         ["report", "annual"]]
    for command, rows in zip(commands, (REQUESTS, APPEALS, DOCUMENTS)):
        headers = ",".join(pair.split("=")[0] for pair in command[command.index("--map") + 1].split(","))
        write(tmp_path / command[2], headers, rows)
    outputs = [gk.ok(*command).stdout for command in commands]
    assert "已导入 5 件" in outputs[0] and "已导入复议、诉讼 3 件" in outputs[1] and "已导入文件 3 件" in outputs[2]
    shown = README.read_text(encoding="utf-8").split("## Moving in")[1].split("```")[3]
    for line in shown.strip().splitlines():
        if line != "…":
            assert line.split() == next(o for o in outputs[3].splitlines() if o.startswith(line[:8])).split()
    report = gk.json("report", "annual", "--year", "2025")
    assert report["fees_collected"] == {"requests": 1, "amount_yuan": 100}
    assert report["appeals"]["lawsuit_after_reconsideration"]["pending"] == 2
    assert len(gk.json("documents")) == 3
    # section 二: the register's 行政规范性文件, made in 2024 and repealed in 2025
    assert report["proactive"]["normative_documents"] == {"issued": 0, "repealed": 1, "in_force": 0}
