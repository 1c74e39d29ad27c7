"""A notice made after its step says what the step recorded (issue 32 item 12)."""

from __future__ import annotations

from requests_helpers import new_request


def test_a_notice_made_later_does_not_ask_again(gk, unit, tmp_path):
    unit("changning", letter_prefix="长某信")
    rid = str(new_request(gk, submitted="2026-03-02")["id"])
    gk.ok("request", "correct", rid, "--notice-on", "2026-03-04", "--period-days", "10", "--what", "信息的文号")
    gk.ok("request", "notice", rid, "--kind", "补正", "--format", "md", "--out", "补正.md")
    text = (tmp_path / "补正.md").read_text(encoding="utf-8")
    assert "需要补正的事项：**信息的文号" in text
    # the date printed is said to be counted from the issue day, not passed off as from receipt
    assert "收到本告知书之日起10个工作日内" in text and "按本告知书发出之日计，为2026年3月18日前" in text
    gk.ok("request", "corrected", rid, "--on", "2026-03-06")
    gk.ok("request", "pause", rid, "--reason", "third_party", "--on", "2026-03-09")
    gk.ok("request", "notice", rid, "--kind", "征求意见", "--to", "某公司", "--format", "md", "--out", "征求.md")
    assert "按本意见书发出之日计" in (tmp_path / "征求.md").read_text(encoding="utf-8")
    gk.ok("request", "resume", rid, "--on", "2026-03-12")
    gk.ok("request", "extend", rid, "--days", "10", "--approved-by", "赵主任", "--on", "2026-03-20", "--reason", "档案较多")
    gk.ok("request", "notice", rid, "--kind", "延期", "--format", "md", "--out", "延期.md")
    assert "档案较多" in (tmp_path / "延期.md").read_text(encoding="utf-8")
    gk.ok("request", "fee", rid, "--method", "per_page", "--pages", "40", "--notice-on", "2026-03-23",
          "--payment", "非税收入缴款码")
    gk.ok("request", "notice", rid, "--kind", "收费", "--format", "md", "--out", "收费.md")
    fee = (tmp_path / "收费.md").read_text(encoding="utf-8")
    assert "非税收入缴款码" in fee and "2026年3月23日" in fee
