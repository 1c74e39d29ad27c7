"""The review chain: in order, no skipping, no approving after signing the step before;
Wuyuan's confidentiality opinions with escalation."""


def xixian_doc(unit, gk):
    unit("xixian")
    data = gk.json("document", "new", "--title", "关于开展某项工作的通知", "--number", "西咸管发〔2026〕3号",
                   "--kind", "其他", "--attribute", "主动公开", "--finalised", "2026-09-24",
                   "--interpretation", "政策解读材料")  # 管理办法 第十条
    return str(data["id"])


def review(gk, doc, step, by, *extra):
    return gk("document", "review", doc, "--step", step, "--by", by, "--decision", "approve", "--on", "2026-09-25", *extra)


def test_steps_cannot_be_skipped(unit, gk):
    doc = xixian_doc(unit, gk)
    skipped = gk.fails("document", "review", doc, "--step", "approval", "--by", "主任", "--decision", "approve", code=3)
    assert "不能跳过“保密审查”" in skipped.stderr and "proactive.review_chain" in skipped.stderr
    early = gk.fails("document", "publish", doc, "--on", "2026-09-28", "--channel", "政府网站", "--by", "信息员", code=3)
    assert "保密审查" in early.stderr
    after = gk.fails("document", "review", doc, "--step", "register", "--by", "信息员", "--decision", "approve", code=3)
    assert "尚未发布" in after.stderr
    assert review(gk, doc, "confidentiality", "保密员", "--head", "保密负责人").exit_code == 0
    skipped = gk.fails("document", "review", doc, "--step", "approval", "--by", "主任", "--decision", "approve", code=3)
    assert "内容审核" in skipped.stderr


def test_nobody_approves_after_signing_the_step_before(unit, gk):
    doc = xixian_doc(unit, gk)
    review(gk, doc, "confidentiality", "保密员", "--head", "保密负责人")
    for person in ("保密员", "保密负责人"):
        refused = gk.fails("document", "review", doc, "--step", "content", "--by", person, "--decision", "approve", code=3)
        assert f"“{person}”已签署上一步“保密审查”" in refused.stderr
    assert review(gk, doc, "content", "审查人", "--head", "分管负责人").exit_code == 0
    assert review(gk, doc, "approval", "主要负责人").exit_code == 0
    refused = gk.fails("document", "publish", doc, "--on", "2026-09-28", "--channel", "政府网站", "--by", "主要负责人", code=3)
    assert "单位主要负责人审批" in refused.stderr
    data = gk.json("document", "publish", doc, "--on", "2026-09-28", "--channel", "政务新媒体", "--by", "信息员")
    assert data["state"] == "published" and data["channel"] == "政务新媒体"
    assert [s["done"] for s in data["review_steps"]] == [True, True, True, True, False, False]
    gk.ok("document", "review", doc, "--step", "register", "--by", "登记员", "--decision", "approve", "--on", "2026-09-28")
    closed = gk.json("document", "review", doc, "--step", "follow_up", "--by", "关注员", "--decision", "approve")
    assert closed["state"] == "closed"


def test_rejection_returns_and_the_step_is_done_again(unit, gk):
    doc = xixian_doc(unit, gk)
    review(gk, doc, "confidentiality", "保密员")
    rejected = gk.json("document", "review", doc, "--step", "content", "--by", "审查人", "--decision", "reject",
                       "--check", "其他问题", "--comment", "有错别字")
    assert rejected["state"] == "returned"
    refused = gk.fails("document", "review", doc, "--step", "approval", "--by", "主要负责人", "--decision", "approve")
    assert "内容审核" in refused.stderr
    again = gk.json("document", "review", doc, "--step", "content", "--by", "审查人", "--decision", "approve",
                    "--check", "1", "--check", "无违反国家法律法规")
    assert again["state"] == "in_review"
    content = next(s for s in again["review_steps"] if s["id"] == "content")
    # the two ticked, and what the approval attests (管理办法 第二十条（二）, issue 32 item 19)
    assert content["checks"] == ["无违反党的政治纪律", "无违反国家法律法规", "无违反上级政策、规定、办法",
                                 "无领导人姓名、关键字、错别字问题"]


def test_checklist_items_and_channels_come_from_the_plugin(unit, gk):
    doc = xixian_doc(unit, gk)
    review(gk, doc, "confidentiality", "保密员")
    bad = gk.fails("document", "review", doc, "--step", "content", "--by", "审查人", "--decision", "approve", "--check", "无抄袭")
    assert "无违反党的政治纪律" in bad.stderr
    review(gk, doc, "content", "审查人")
    review(gk, doc, "approval", "主要负责人")
    channel = gk.fails("document", "publish", doc, "--on", "2026-09-28", "--channel", "电视台", "--by", "信息员")
    assert "政府网站、政务新媒体、新闻媒体、政务公开栏、其他" in channel.stderr
    data = gk.json("document", "publish", doc, "--on", "2026-09-28", "--channel", "其他：社区公告屏", "--by", "信息员")
    assert data["channel"] == "其他：社区公告屏"


def test_wuyuan_confidentiality_opinion_and_escalation(unit, gk):
    unit("wuyuan")
    doc = str(gk.json("document", "new", "--title", "统计公报", "--kind", "其他", "--attribute", "主动公开",
                      "--formed", "2026-04-30")["id"])
    missing = gk.fails("document", "review", doc, "--step", "on_formation", "--by", "文书室", "--decision", "approve")
    assert "公开、免予公开、需报审" in missing.stderr
    escalated = gk.json("document", "review", doc, "--step", "on_formation", "--by", "文书室", "--decision", "approve",
                        "--opinion", "需报审", "--basis", "涉及统计数据，不能确定是否涉密", "--on", "2026-05-08")
    assert escalated["state"] == "escalated"
    assert escalated["events"][-1]["action"] == "review.escalated"
    assert escalated["events"][-1]["after"]["escalated_to"] == "有关主管部门或者保密行政管理部门"
    assert next(c for c in escalated["clocks"] if c["name"] == "review.on_formation")["status"] == "met"
    blocked = gk.fails("document", "publish", doc, "--on", "2026-05-11", "--channel", "门户网站", "--by", "信息员", code=3)
    assert "已报审" in blocked.stderr
    same = gk.fails("document", "review", doc, "--step", "on_formation", "--by", "文书室", "--decision", "approve",
                    "--opinion", "公开", "--basis", "x", code=3)
    assert "上级" in same.stderr
    cleared = gk.json("document", "review", doc, "--step", "on_formation", "--by", "县保密局", "--decision", "approve",
                      "--opinion", "公开", "--basis", "不涉及国家秘密")
    assert cleared["state"] == "in_review"
    exempt = gk.json("document", "review", doc, "--step", "before_publication", "--by", "政务公开办", "--decision", "approve",
                     "--opinion", "免予公开", "--basis", "涉及个人隐私")
    assert exempt["state"] == "exempted"
    gk.ok("document", "review", doc, "--step", "confidentiality", "--by", "保密员", "--decision", "approve")
    gk.ok("document", "review", doc, "--step", "approval", "--by", "局长", "--decision", "approve")
    refused = gk.fails("document", "publish", doc, "--on", "2026-05-11", "--channel", "门户网站", "--by", "信息员", code=3)
    assert "免予公开" in refused.stderr


def test_unknown_step_lists_the_steps(unit, gk):
    doc = xixian_doc(unit, gk)
    result = gk.fails("document", "review", doc, "--step", "lawyer", "--by", "x", "--decision", "approve")
    assert "保密审查" in result.stderr and "文件形成时保密审查" in result.stderr  # by name
    assert "confidentiality" not in result.stderr and "on_formation" not in result.stderr
    assert gk.fails("document", "show", "99").stderr.count("99") >= 1


def test_the_second_signer_signs_afterwards_in_their_own_name(unit, gk):
    """Without accounts, ``document cosign --by`` is the second signature's free-text signer, as
    ``--head`` still is; it signs an approved step once, and is another person than the reviewer."""
    from gongkai.core.app import App
    from test_accounts import _events

    doc = xixian_doc(unit, gk)
    cosign = ["document", "cosign", doc, "--step", "confidentiality"]
    assert "尚未审核同意" in gk.fails(*cosign, "--by", "保密负责人", code=3).stderr
    assert review(gk, doc, "confidentiality", "保密员").exit_code == 0
    assert "同一人签两次" in gk.fails(*cosign, "--by", "保密员", code=3).stderr
    assert "没有第二签字人" in gk.fails("document", "cosign", doc, "--step", "approval", "--by", "甲").stderr
    data = gk.json(*cosign, "--by", "保密负责人")
    assert (data["review_steps"][0]["by"], data["review_steps"][0]["head"]) == ("保密员", "保密负责人")
    assert "不能重复签字" in gk.fails(*cosign, "--by", "另一人", code=3).stderr
    assert "保密员、保密负责人（第二签字）" in gk.ok("document", "show", doc).stdout
    # the second signer signed the step: they may not approve the next one either
    refused = gk.fails("document", "review", doc, "--step", "content", "--by", "保密负责人", "--decision", "approve", code=3)
    assert "已签署上一步" in refused.stderr
    assert [e.actor for e in _events(App()) if e.action == "review.cosign"] == ["保密负责人"]
    assert gk.json("audit", "verify")["ok"] is True
