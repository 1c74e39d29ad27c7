"""Names compared as people read them (issue 20 item 8): NFKC, zero-width and control
characters stripped, so "张三\u200b" is 张三 for the self-approval checks."""

from __future__ import annotations

import pytest
from requests_helpers import new_request

from gongkai.core.accounts.names import clean_name, person_key, same_person

DISGUISES = ["张三\u200b", "\u200d张三", "张\u2060三", "张三\ufeff", "张三\u202e", "张三\x07", " 张三\u3000", "张 三",
             "\u5f20\u4e09"]


@pytest.mark.parametrize("name", DISGUISES)
def test_invisible_differences_are_the_same_person(name):
    assert same_person(name, "张三")


def test_full_width_and_case_are_the_same_person():
    assert same_person("ＺＨＡＮＧ Ｓａｎ", "zhang san")
    assert not same_person("张三", "张四") and not same_person("", "") and not same_person("\u200b", "")
    assert clean_name("张三\u200b\x00 ") == "张三" and person_key("\u200b") == ""


def test_clean_name_takes_out_exactly_the_control_and_format_characters():
    """Its fast path for printable text (every cell of a bulk import) gives what the character
    by character rule gives, spaces of every kind included."""
    import unicodedata

    for name in ["张三", " 张三\u3000", "张\u3000三", "a\tb", "\x7f张三", "张\u00a0三", "\u2028张三", "", "\ue000私用"]:
        rule = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
        assert clean_name(name) == rule, name


@pytest.mark.parametrize("name", DISGUISES)
def test_a_request_reviewer_cannot_approve_their_own_draft_in_disguise(gk, unit, name):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    gk.ok("request", "review", rid, "--step", "draft", "--by", "张三", "--decision", "approve", "--on", "2026-03-10",
          "--outcome", "disclosed")
    refused = gk.fails("request", "review", rid, "--step", "office_head", "--by", name, "--decision", "approve",
                       "--on", "2026-03-10", code=3)
    assert "不能审批自己经手" in refused.stderr


@pytest.mark.parametrize("name", ["保密员\u200b", "保\u2060密员", "保密员\x07", "保 密 员"])
def test_a_document_signer_cannot_approve_the_next_step_in_disguise(gk, unit, name):
    unit("xixian")
    doc = str(gk.json("document", "new", "--title", "关于开展某项工作的通知", "--number", "西咸管发〔2026〕3号",
                      "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24")["id"])
    gk.ok("document", "review", doc, "--step", "confidentiality", "--by", "保密员", "--head", "保密负责人\u200b",
          "--decision", "approve", "--on", "2026-09-25")
    for person in (name, "保密负责人"):
        refused = gk.fails("document", "review", doc, "--step", "content", "--by", person, "--decision", "approve",
                           "--on", "2026-09-25", code=3)
        assert "已签署上一步" in refused.stderr


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200d", "\x07", " \u3000 "])
def test_an_invisible_name_is_no_name(gk, unit, name):
    unit("yanta")
    rid = str(new_request(gk)["id"])
    gk.fails("request", "review", rid, "--step", "draft", "--by", name, "--decision", "approve", "--on", "2026-03-10",
             "--outcome", "disclosed")
