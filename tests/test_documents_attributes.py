"""Disclosure attributes and the refusals the jurisdictions' texts prescribe."""


def new(gk, *args):
    return gk("document", "new", "--title", "测试文件", "--number", "测试〔2026〕2号", "--finalised", "2026-09-24", *args)


def test_missing_reason_for_non_disclosure_is_refused(unit, gk):
    unit("xixian")
    result = gk.fails("document", "new", "--title", "内部文件", "--kind", "其他", "--attribute", "不予公开", code=3)
    assert "未说明理由" in result.stderr and "--reason" in result.stderr
    assert "document.attribute" in result.stderr and "管理办法 第十条" in result.stderr
    assert gk.json("documents") == []  # nothing half-written


def test_yanta_returns_a_draft_without_attribute(unit, gk):
    unit("yanta")
    result = gk.fails("document", "new", "--title", "区政府文件", "--kind", "行政规范性文件", code=3)
    assert "未标明公开属性" in result.stderr and "退文" in result.stderr and "实施方案 第6项" in result.stderr


def test_yanta_returns_a_withheld_draft_without_reason(unit, gk):
    unit("yanta")
    result = gk.fails("document", "new", "--title", "区政府文件", "--kind", "其他", "--attribute", "不予公开", code=3)
    assert "退文" in result.stderr and "实施方案 第6项" in result.stderr
    ok = new(gk, "--kind", "其他", "--attribute", "不予公开", "--reason", "属于内部事务信息（条例第十六条）", "--json")
    assert ok.exit_code == 0


def test_wuyuan_refuses_normative_document_without_interpretation(unit, gk):
    unit("wuyuan")
    # 第四条（二）: 不予收文 for drafts in the name of (or needing the consent of) 县政府/县政府办
    result = gk.fails("document", "new", "--title", "规范性文件", "--kind", "行政规范性文件", "--attribute", "主动公开",
                      "--government-issued", code=3)
    assert "不予收文" in result.stderr and "解读" in result.stderr
    assert "第三条、第四条" in result.stderr and "policy.interpretation" not in result.stderr  # codes stay in --json
    major = gk.fails("document", "new", "--title", "重要政策", "--kind", "其他", "--attribute", "主动公开", "--major-policy",
                     "--government-issued")
    assert "不予收文" in major.stderr
    # a department's own policy document is registered; its approval and publication will refuse it
    own = gk.ok("document", "new", "--title", "本部门规范性文件", "--kind", "行政规范性文件", "--attribute", "主动公开")
    assert "不予收文" not in own.output and "尚未附解读方案和解读材料" in own.output
    accepted = new(gk, "--kind", "行政规范性文件", "--attribute", "主动公开", "--interpretation", "解读方案及解读材料", "--json")
    assert accepted.exit_code == 0
    # an ordinary document needs none
    assert new(gk, "--kind", "其他", "--attribute", "主动公开").exit_code == 0


def test_xixian_registers_without_interpretation_and_warns_that_approval_will_refuse(unit, gk):
    unit("xixian")
    data = gk.json("document", "new", "--title", "通知", "--kind", "行政规范性文件", "--attribute", "主动公开")
    assert data["warnings"] and "管理办法 第十条" in data["warnings"][0] and "document attach" in data["warnings"][0]


def test_declassified_requires_both_versions(unit, gk):
    unit("wuyuan")
    base = ("document", "new", "--title", "涉密通知", "--kind", "其他", "--attribute", "脱密后公开")
    missing = gk.fails(*base, "--internal-version", "密件正文", code=3)
    assert "脱密后公开的文稿" in missing.stderr and "保密办" in missing.stderr and "--method" in missing.stderr
    no_internal = gk.fails(*base, "--public-version", "公开稿", "--method", "删除", "--secrecy-confirmed-by", "保密办王某")
    assert "内部行文文稿" in no_internal.stderr
    bad_method = gk.fails(*base, "--internal-version", "密件", "--public-version", "公开稿", "--method", "涂黑",
                          "--secrecy-confirmed-by", "保密办王某")
    assert "删除、摘录、其他" in bad_method.stderr
    data = gk.json(*base, "--internal-version", "密件正文", "--public-version", "删除涉密段落后的公开稿",
                   "--method", "删除", "--secrecy-confirmed-by", "保密办王某", "--finalised", "2026-09-24")
    assert data["attribute"] == "脱密后公开"
    assert data["versions"] == {"internal": "密件正文", "public": "删除涉密段落后的公开稿", "method": "删除",
                                "secrecy_confirmed_by": "保密办王某"}
    assert data["due"] == "2026-10-29"  # the public version is published like any 主动公开 document


def test_declassified_is_not_an_attribute_elsewhere(unit, gk):
    unit("changning")
    result = gk.fails("document", "new", "--title", "通知", "--kind", "其他", "--attribute", "脱密后公开")
    assert "主动公开、依申请公开、不予公开" in result.stderr


def test_kind_and_attribute_aliases_and_bad_kind(unit, gk):
    unit("yanta")
    data = new(gk, "--kind", "normative", "--attribute", "proactive", "--json")
    assert data.exit_code == 0
    assert "行政规范性文件" in data.stdout
    bad = gk.fails("document", "new", "--title", "x", "--kind", "通知", "--attribute", "主动公开")
    assert "规章、行政规范性文件、其他" in bad.stderr


def test_changning_attribute_needs_office_approval(unit, gk):
    unit("changning")
    data = gk.json("document", "new", "--title", "依申请文件", "--kind", "其他", "--attribute", "依申请公开")
    assert [s["id"] for s in data["review_steps"]] == ["attribute_approval"]
    assert data["state"] == "in_review"
    done = gk.json("document", "review", str(data["id"]), "--step", "attribute_approval", "--by", "政务公开办", "--decision", "approve")
    assert done["state"] == "filed"
