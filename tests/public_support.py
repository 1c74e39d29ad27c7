"""A unit with public records for the public-pages tests (issue 30): contacts, documents of every
kind of attribute (one repealed, one with its 解读材料), and a published annual report."""

from __future__ import annotations

from pathlib import Path

PUBLIC_TITLES = ("关于某路段拓宽工程的通知", "某区行政许可事项目录")
WITHHELD_TITLE = "内部会议纪要不予公开"
ON_REQUEST_TITLE = "依申请公开的某项方案"


def document(gk, title: str, attribute: str = "主动公开", *extra: str) -> str:
    args = ["document", "new", "--title", title, "--kind", "行政规范性文件" if "通知" in title else "其他",
            "--attribute", attribute, "--finalised", "2026-09-24", "--number", f"长某发〔2026〕{len(title)}号", *extra]
    if attribute == "不予公开":
        args += ["--reason", "内部事务信息"]
    return str(gk.json(*args)["id"])


def publish(gk, doc: str, on: str = "2026-09-28") -> None:
    for step in ("confidentiality", "approval"):
        gk.ok("document", "review", doc, "--step", step, "--by", f"审核{step}", "--decision", "approve", "--on", on)
    gk.ok("document", "publish", doc, "--on", on, "--channel", "政府网站", "--by", "发布员")


def public_unit(gk) -> dict[str, str]:
    """Records of the current unit (a 长宁区 unit: gongkai.toml in the working directory)."""
    ids = {}
    ids["notice"] = document(gk, PUBLIC_TITLES[0], "主动公开", "--interpretation", "解读材料：拓宽工程的背景和主要内容")
    ids["licensing"] = document(gk, PUBLIC_TITLES[1], "主动公开", "--decision-kind", "行政许可")
    for key in ("notice", "licensing"):
        publish(gk, ids[key])
    ids["withheld"] = document(gk, WITHHELD_TITLE, "不予公开")
    ids["on_request"] = document(gk, ON_REQUEST_TITLE, "依申请公开")
    gk.ok("document", "repeal", ids["licensing"], "--on", "2026-10-20", "--by", "经办人")
    gk.ok("unit", "contact", "--office-name", "某某局办公室", "--address", "上海市长宁区某路1号", "--hours",
          "工作日 9:00-11:30，13:30-17:00", "--phone", "021-12345678", "--fax", "021-12345679", "--email",
          "gk@example.gov.cn", "--postcode", "200050")
    Path("文字材料").mkdir(exist_ok=True)
    Path("文字材料/一.md").write_text("本年度本单位认真贯彻落实《条例》。", encoding="utf-8")
    gk.ok("report", "publish", "--year", "2025", "--on", "2026-01-20", "--narrative", "文字材料")
    return ids
