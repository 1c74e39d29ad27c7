"""The letters' .docx in the 党政机关公文格式 (GB/T 9704-2012), read back with python-docx:
A4, the type area's margins, the 22-line grid, the fonts (settings in gongkai.toml), the 文号,
the page number field, numbered items."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.core.app import App
from gongkai.core.errors import GongkaiError
from gongkai.core.requests import letters, workflow
from gongkai.core.paperwork import word
def _letter(tmp_path, **extra):
    from conftest import write_config
    from test_requests_letters import replied

    app = App(str(write_config(tmp_path, "changning", **extra)))
    req = replied(app, "partial")
    with app.session() as session:
        return letters.write_letter(session, app, workflow.load(session, req.id), "docx", tmp_path / "letter.docx")


def east_asian(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_letter_docx_follows_gbt_9704(tmp_path):
    doc = Document(str(_letter(tmp_path, letter_prefix="长信")))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None and int(grid.get(qn("w:linePitch"))) * 22 <= 225 / 25.4 * 72 * 20  # 22 lines
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title = paragraphs[1]
    assert title.text == "政府信息公开申请答复告知书"
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)  # 小标宋 二号
    number = next(p for p in paragraphs if "〔" in p.text)
    assert number.text.startswith("长信〔2026〕") and number.text.endswith("号")
    body = next(p for p in paragraphs if p.text.startswith("本机关于"))
    assert east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)  # 仿宋 三号
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    label = next(r for p in paragraphs for r in p.runs if r.text == "理由：")
    assert east_asian(label) == "黑体"
    remedies = [p.text for p in paragraphs if p.text[:2] in ("1.", "2.")]
    assert len(remedies) == 2 and "•" not in "".join(p.text for p in paragraphs)
    assert [p.text for p in paragraphs[-2:]] == ["测试单位政府办公室", "2026年3月11日"]
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer  # "— 1 —"


def test_font_names_are_settings(tmp_path):
    config = tmp_path / "gongkai.toml"
    path = _letter(tmp_path)
    text = config.read_text(encoding="utf-8") + '\n[fonts]\nbody = "FangSong"\ntitle = "SimSun"\n'
    config.write_text(text, encoding="utf-8")
    app = App(str(config))
    with app.session() as session:
        path = letters.write_letter(session, app, workflow.load(session, 1), "docx", tmp_path / "again.docx")
    doc = Document(str(path))
    fonts = {east_asian(r) for p in doc.paragraphs for r in p.runs}
    assert "FangSong" in fonts and "SimSun" in fonts and "仿宋_GB2312" not in fonts


def test_bad_fonts_setting_is_a_chinese_error(tmp_path):
    app = App(str(__import__("conftest").write_config(tmp_path, "changning")))
    bad = type("C", (), {"raw": {"fonts": {"bodyy": "宋体"}}})()
    with pytest.raises(GongkaiError, match="未知的项：bodyy"):
        word.fonts(bad)
    assert word.fonts(app.config) == word.Fonts()


def test_letter_without_prefix_still_numbers_by_year(tmp_path):
    doc = Document(str(_letter(tmp_path)))
    assert any(p.text.startswith("〔2026〕") for p in doc.paragraphs)  # the reply's year, then its serial


def test_steps_make_their_notices(gk, unit, tmp_path):
    """Each step the 条例 ties to a written notice makes it with --notice, in the same transaction."""
    from requests_helpers import new_request

    unit("yanta", letter_prefix="雁信")
    rid = new_request(gk, extra=["--notice", "回执.md"])["id"]
    assert f"雁信收〔2026〕{rid}号" in (tmp_path / "回执.md").read_text(encoding="utf-8")
    # no --what: the notice cannot say what to supplement, so the correction is not recorded either
    gk.fails("request", "correct", rid, "--notice-on", "2026-03-04", "--period-days", "10", "--notice", "补正.md")
    assert gk.json("request", "show", rid)["state"] == "received" and not (tmp_path / "补正.md").exists()
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-04", "--period-days", "10", "--what", "信息的文号",
          "--notice", "补正.md")
    text = (tmp_path / "补正.md").read_text(encoding="utf-8")
    assert "需要补正的事项：**信息的文号" in text and "视为放弃申请" in text
    gk.ok("request", "corrected", rid, "--on", "2026-03-06")
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-09", "--to", "某公司",
          "--notice", "征求意见.md")
    assert "某公司：" in (tmp_path / "征求意见.md").read_text(encoding="utf-8")
    gk.ok("request", "resume", rid, "--on", "2026-03-12")
    gk.ok("request", "extend", rid, "--days", "10", "--approved-by", "赵主任", "--on", "2026-03-20",
          "--reason", "档案较多", "--notice", "延期.md")
    assert "延长10个工作日" in (tmp_path / "延期.md").read_text(encoding="utf-8")
    gk.fails("request", "fee", rid, "--method", "per_page", "--pages", "50", "--notice", "收费.txt")


def test_a_corrected_reply_has_a_number_of_its_own(gk, unit, tmp_path):
    from requests_helpers import approve_chain, before_steps, new_request

    unit("yanta", letter_prefix="雁信")
    rid = new_request(gk)["id"]
    approve_chain(gk, rid, before_steps(gk, rid), on="2026-03-10", outcome="withheld.process_info",
                  proposal=("--reason", "经审查属于过程性信息"))
    gk.ok("request", "reply", rid, "--outcome", "withheld.process_info", "--on", "2026-03-11")
    approve_chain(gk, rid, before_steps(gk, rid), on="2026-03-19", outcome="disclosed")
    gk.ok("request", "amend", rid, "--outcome", "disclosed", "--reason", "已形成正式文件", "--on", "2026-03-20")
    gk.ok("request", "letter", rid, "--format", "md", "--out", "new.md")
    gk.ok("request", "letter", rid, "--format", "md", "--out", "old.md", "--prior", "1")
    # each mark after the 机关代字 has its own sequence (GB/T 9704-2012 7.2.4): the reply is
    # 雁信 1, its correction 雁信更 1, and the next reply 雁信 2 (no gap in the replies' numbers)
    assert "雁信更〔2026〕1号" in (tmp_path / "new.md").read_text(encoding="utf-8")
    assert "\n雁信〔2026〕1号" in (tmp_path / "old.md").read_text(encoding="utf-8")
    other = new_request(gk)["id"]
    approve_chain(gk, other, before_steps(gk, other), on="2026-03-10", outcome="disclosed")
    gk.ok("request", "reply", other, "--outcome", "disclosed", "--on", "2026-03-21")
    gk.ok("request", "letter", other, "--format", "md", "--out", "next.md")
    assert "\n雁信〔2026〕2号" in (tmp_path / "next.md").read_text(encoding="utf-8")
