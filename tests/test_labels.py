"""What a clerk reads: Chinese labels instead of codes, and options that take either."""

import re

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.labels import code_of, label, labels
from gongkai.core.law.plugins import load_registry
from requests_helpers import before_steps, new_request

CODE = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b|\b(?:draft|receive|review|reply|before|after|partial|disclosed)\b")


def codes_in(text):
    """English codes in human-readable text (paths and URLs aside)."""
    return [m for m in CODE.findall(text) if m not in ("gongkai.toml", "gongkai.db")]


def test_every_vocabulary_has_labels_and_takes_either_form():
    registry = load_registry("changning")
    for vocabulary in ("state", "decision", "pause_reason", "appeal_kind", "fee_method", "applicant_type",
                       "stage", "event", "clock", "outcome", "channel", "step"):
        table = labels(vocabulary, registry)
        assert table, vocabulary
        for code, name in table.items():
            assert code_of(vocabulary, code, registry) == code
            assert code_of(vocabulary, name, registry) == code
    assert label("outcome", "partial", registry) == "部分公开"
    assert label("state", "replied") == "已答复"
    assert code_of("channel", "当面", registry) == "in_person"  # an unambiguous beginning
    with pytest.raises(GongkaiError) as info:
        code_of("outcome", "不予", registry)  # several outcomes begin so
    assert "部分公开" in str(info.value)


def test_options_take_codes_or_chinese_labels(gk, unit):
    unit("changning")
    rid = new_request(gk, channel="当面", applicant_type="自然人")["id"]
    shown = gk.json("request", "show", str(rid))
    assert shown["channel"] == "in_person" and shown["applicant_type"] == "natural_person"
    steps = {s["id"]: s["name"] for s in shown["review_steps"] if s["stage"] == "before"}
    for i, (step, name) in enumerate(steps.items()):
        out = gk.ok("request", "review", str(rid), "--step", name, "--by", f"审核人{i}", "--decision", "同意",
                    "--outcome", "部分公开", "--withheld", "身份证号：个人隐私", "--reason", "部分涉及个人隐私",
                    "--on", "2026-03-10").stdout
        assert f"已记录审核：{name} 同意" in out and not codes_in(out)
    out = gk.ok("request", "reply", str(rid), "--outcome", "部分公开", "--on", "2026-03-11",
                "--withheld", "身份证号：个人隐私", "--reason", "部分涉及个人隐私").stdout
    assert "已答复：部分公开" in out and "状态：已答复" in out
    assert gk.json("request", "show", str(rid))["outcome"] == "partial"  # codes stay in --json
    assert [r["id"] for r in gk.json("ledger", "--state", "已答复")] == [rid]
    assert [r["id"] for r in gk.json("ledger", "--state", "replied")] == [rid]
    refused = gk.fails("ledger", "--state", "答复了")
    assert "已答复" in refused.stderr and "办理中" in refused.stderr and "replied" not in refused.stderr


def test_ledger_show_and_digest_print_no_codes(gk, unit):
    unit("changning")
    rid = new_request(gk, submitted="2026-03-02")["id"]
    for i, step in enumerate(before_steps(gk, rid)):
        gk.ok("request", "review", str(rid), "--step", step, "--by", f"审核人{i}", "--decision", "approve",
              "--outcome", "disclosed", "--on", "2026-03-10")
    gk.ok("request", "reply", str(rid), "--outcome", "disclosed", "--on", "2026-03-11", "--provision", "当场提供")
    other = new_request(gk, submitted="2026-03-20")["id"]
    shown = gk.ok("request", "show", str(rid)).stdout
    assert "予以公开" in shown and "答复前" in shown and "登记收到申请" in shown and "审核" in shown
    assert not codes_in(shown), shown
    ledger = gk.ok("ledger", "--as-of", "2026-03-25").stdout
    assert "予以公开" in ledger and not codes_in(ledger), ledger
    digest = gk.ok("digest", "--as-of", "2026-04-20").stdout
    assert f"依申请公开 #{other}" in digest or "答复期限" in digest
    assert "答复期限" in digest and not codes_in(digest), digest
    plugins = gk.ok("plugins").stdout
    assert "长宁区" in plugins


def test_show_reveal_letter_unanswered_and_rules_in_full(gk, unit, tmp_path):
    unit("wuyuan")
    rid = new_request(gk, extra=("--id-number", "110101199003077774", "--contact", "13800138000"))["id"]
    masked = gk.ok("request", "show", str(rid)).stdout
    assert "110***********7774" in masked and "138****8000" in masked and "13800138000" not in masked
    revealed = gk.ok("request", "show", str(rid), "--reveal").stdout
    assert "110101199003077774" in revealed and "13800138000" in revealed  # text mode too, not only --json
    refused = gk.fails("request", "letter", str(rid), "--format", "md", "--out", tmp_path / "l.md")
    assert "尚未答复" in refused.stderr and "request reply" in refused.stderr
    listing = gk.ok("rules", "request.third_party_opinion").stdout
    full = load_registry("wuyuan").rules["request.third_party_opinion"].rule.summary
    assert full.replace("，", "") in listing.replace("\n", "").replace(" ", "").replace("，", "")  # whole, wrapped
    assert "…" not in listing
    assert "期限：15个工作日" in listing and "逾期未提出意见的由行政机关决定" in listing  # the parameters
    assert all(len(line) <= 80 for line in listing.splitlines())
