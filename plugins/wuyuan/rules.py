"""五原县的规则，每条注明出处。

"制度汇编" below is 五原县《政府信息公开制度汇编》 (wuyuan-compendium.txt, 2023). It
collects ten separate 制度; a citation names the 制度 and then its own numbering, e.g.
``cite("制度汇编", "《政府信息主动公开工作制度》九")``.

Notes on the texts:
- 《政务公开政策解读回应制度》 has two articles numbered 第十条; the one on 回应社会关切 is
  cited as "第十条（积极回应社会关切）".
- 《政务公开依申请公开制度》 sets no period for the answer to a 党务公开 application ("及时") nor
  for the third party's answer ("在要求的时限内"): both are the unit's own (``unit_practice``),
  20 and 15 working days unless gongkai.toml sets them.
- 《政务公开考核制度》 第七条 writes the 良好 band as "95分(含85分)" and 合格 as "85分(含75分)":
  read as 85 ≤ score < 95 and 75 ≤ score < 85.
"""

from gongkai.hookspecs.records import (
    AccountLimit,
    Attribute,
    DeadlineRule,
    DocumentAttributes,
    Exemption,
    ExemptionList,
    GradeBand,
    GradeRestriction,
    GradeScale,
    InterpretationRule,
    LeadTime,
    MinimumCount,
    Outcome,
    Provision,
    RecurringDuty,
    TriggeredDuty,
    RequestTrack,
    ReviewChain,
    ReviewStep,
    cite,
)

COMPENDIUM = "制度汇编"
COMPENDIUM_TITLE = "五原县政府信息公开制度汇编"

PROACTIVE = "《政府信息主动公开工作制度》"
SECRECY = "《政府信息公开保密审查制度》"
NEWMEDIA = "《政务新媒体运行管理制度》"
EVALUATION = "《政务公开工作社会评议制度》"
TRAINING = "《政务公开培训制度》"
ASSESSMENT = "《政务公开考核制度》"
INTERPRETATION = "《五原县政务公开政策解读回应制度》"
PARTICIPATION = "《五原县重大决策公众参与制度》"
REQUEST = "《五原县政务公开依申请公开制度》"
ARCHIVE = "《五原县政务公开资料归档管理制度》"


def c(document: str, article: str):
    """A citation into one 制度 of the compendium."""
    return cite(COMPENDIUM, f"{document}{article}")


# --------------------------------------------------------------------------- deadlines

DEADLINES = [
    DeadlineRule(
        id="proactive.publish",
        summary="属于主动公开范围的政府信息，应当自形成之日起20个工作日内在“五原县人民政府”门户网站上全文公开",
        citation=c(PROACTIVE, "九"),
        unit="working_days",
        amount=20,
    ),
    DeadlineRule(
        id="request.nondisclosure_report",
        summary="决定不予公开政府信息的，应当于作出决定之日起5个工作日内书面报告上一级政务公开工作主管部门",
        citation=c(PROACTIVE, "七"),
        unit="working_days",
        amount=5,
    ),
    DeadlineRule(
        # 党务公开 only: item 四 says "及时" and 五 speaks of "限期" without setting one, and the 条例
        # does not govern Party affairs: the period is the unit's own (gongkai.toml
        # [unit_practice.periods]); 20 working days by default, as units answer requests.
        id="party.request.reply",
        summary="有关单位应当及时进行审查，根据不同情况作出处理，并以书面形式向申请人反馈处理意见和情况"
        "（制度未规定具体期限，答复期限由本单位规定）",
        citation=c(REQUEST, "四"),
        unit="working_days",
        amount=20,
        unit_practice=True,
    ),
    DeadlineRule(
        # 党务公开 only: the 依申请公开制度 rests on 党章 and Party regulations, so government-information
        # requests keep the 条例's 20 working days (第三十三条).
        id="party.request.extension",
        summary="因限期内确实不能办理答复的，可以适当延长反馈意见时间，但延长期限不得超过3个月；因不可抗力或者其他法定事由"
        "不能在规定时限内提供的，时限中止，待障碍消除后恢复计算期限，并及时告知申请人",
        citation=c(REQUEST, "五"),
        unit="months",
        amount=3,  # the total (五: 延长期限不得超过3个月); the text sets no number of extensions
        pausable=True,  # 不可抗力: 时限中止，障碍消除后恢复计算
    ),
    DeadlineRule(
        # 党务公开 only; for government information 条例 第三十二条 stands (silence = the agency decides).
        # "在要求的时限内": the unit sets the time (gongkai.toml [unit_practice.periods]; 15 WD by default).
        id="party.request.third_party_opinion",
        summary="可能影响第三方权益的，书面征询第三方的意见；第三方在要求的时限内未做答复的，视作不同意公开"
        "（征询时限由本单位规定）",
        citation=c(REQUEST, "六"),
        unit="working_days",
        amount=15,
        on_silence="refusal",
        unit_practice=True,
        runs_alongside=True,  # 六 provides no pause (五 pauses only for 不可抗力): the reply clock runs on
    ),
    DeadlineRule(
        id="review.confidentiality.opinion",
        summary="负责保密审查的机构接到信息审查申请后，应在15个工作日内提出审查确认的意见",
        citation=c(SECRECY, "第十条"),
        unit="working_days",
        amount=15,
    ),
    DeadlineRule(
        id="report.annual.agency",
        summary="本县行政机关每年1月底前编制、公布上一年本机关政务公开工作年度报告，报送上一级政务公开主管部门，"
        "并通过“五原县人民政府”门户网站公布",
        citation=c(PROACTIVE, "九"),
        unit="annual_date",
        month=1,
        day=31,
        year_offset=1,
        # 本机关 report of each 行政机关; the county government's own is 条例 第四十九条第二款's
        borne_by=("department", "street"),
    ),
    DeadlineRule(
        id="newmedia.first_release",
        summary="突发事件由涉事主体通过政务新媒体在事发后120分钟内进行权威首发，待信息完善和补充后，经审核可后续发布",
        citation=c(NEWMEDIA, "第十二条"),
        unit="minutes",
        amount=120,
    ),
    DeadlineRule(
        id="newmedia.inactive",
        summary="超过一个月不发布信息的微博和微信公众号，应向县委宣传部、网信办和县政务公开领导小组办公室说明原因；"
        "确有原因无法继续发布的，需及时清理关停",
        citation=c(NEWMEDIA, "第十三条"),
        unit="months",
        amount=1,
    ),
    DeadlineRule(
        id="newmedia.public_interest_reply",
        summary="网民在政务新媒体上留言反映的涉及公共政策、公共利益的社会热点问题，管理员应第一时间逐级报告，"
        "并在五个工作日内向网友反馈情况，说明有关政策措施或者处理结果",
        citation=c(NEWMEDIA, "第十六条"),
        unit="working_days",
        amount=5,
    ),
    DeadlineRule(
        id="opinion.response",
        summary="涉及特别重大、重大突发事件的舆情，最迟在5小时内发布权威信息",
        citation=c(INTERPRETATION, "第十条（积极回应社会关切）"),
        unit="hours",
        amount=5,
    ),
    DeadlineRule(
        id="opinion.response.press_conference",
        summary="涉及特别重大、重大突发事件的舆情，在24小时内举行新闻发布会",
        citation=c(INTERPRETATION, "第十条（积极回应社会关切）"),
        unit="hours",
        amount=24,
    ),
    DeadlineRule(
        id="opinion.response.other",
        summary="政策文件及解读发布后引起社会关切的，其他舆情应在48小时内予以回应",
        citation=c(INTERPRETATION, "第十条（积极回应社会关切）"),
        unit="hours",
        amount=48,
    ),
]

# --------------------------------------------------------------------------- review chains

SECRECY_OPINIONS = ("公开", "免予公开", "需报审")

REVIEW_CHAINS = [
    ReviewChain(
        id="review.confidentiality",
        summary="政府信息形成时和公开前进行保密审查（公文形成时、主动公开前、依申请提供前）；审查机构和人员提出“公开”、"
        "“免予公开”、“需报审”等审查意见并注明依据和理由，接到审查申请后15个工作日内提出；不能确定是否可以公开的，"
        "报有关主管部门或者保密行政管理部门确定，仍不能确定的逐级上报至有确定权限的上级部门",
        citation=cite(COMPENDIUM, f"{PROACTIVE}六；{SECRECY}第八条至第十条"),  # 六: the three points
        workflow="document",
        steps=[
            ReviewStep(
                id="on_formation",
                name="公文类政府信息形成时保密审查（明确公开属性）",
                role="文书室",
                deadline="review.confidentiality.opinion",
                opinions=SECRECY_OPINIONS,
                escalate_on="需报审",
                citation=c(SECRECY, "第六条"),
            ),
            ReviewStep(
                id="before_publication",
                name="主动公开政府信息前的保密审查",
                role="政务公开工作机构",
                deadline="review.confidentiality.opinion",
                opinions=SECRECY_OPINIONS,
                escalate_on="需报审",
                citation=c(PROACTIVE, "六（二）"),
            ),
            ReviewStep(
                id="before_provision",
                name="依申请提供政府信息的保密审查",
                role="政务公开工作机构",
                deadline="review.confidentiality.opinion",
                opinions=SECRECY_OPINIONS,
                escalate_on="需报审",
                citation=c(PROACTIVE, "六（三）"),
            ),
        ],
    ),
    ReviewChain(
        id="request.review_chain",
        summary="依申请公开答复：承办人拟稿，依申请提供前进行保密审查后答复；"
        "决定不予公开的，自作出决定之日起5个工作日内书面报告上一级政务公开工作主管部门",
        citation=c(PROACTIVE, "六、七"),
        workflow="request",
        steps=[
            ReviewStep(id="draft", name="承办人拟稿", role="承办人"),
            ReviewStep(
                id="confidentiality",
                name="依申请提供政府信息的保密审查",
                role="政务公开工作机构",
                deadline="review.confidentiality.opinion",
                opinions=SECRECY_OPINIONS,
                escalate_on="需报审",
                citation=c(PROACTIVE, "六（三）"),
                # 保密审查制度 reviews 政府信息; the 党务公开 track (依申请公开制度, under 党章 and
                # Party regulations) names no such review
                not_on_tracks=("party",),
            ),
            ReviewStep(
                id="nondisclosure_report",
                name="不予公开决定书面报告上一级政务公开工作主管部门",
                role="政务公开工作机构",
                stage="after",
                outcomes=("withheld", "partial"),
                deadline="request.nondisclosure_report",
                citation=c(PROACTIVE, "七"),
            ),
        ],
    ),
]

# --------------------------------------------------------------------------- exemptions

_SEVENTH = c(SECRECY, "第七条（四）")

EXEMPTIONS = ExemptionList(
    id="exemptions",
    summary="“不予公开”的信息包括国家秘密、商业秘密、个人隐私、内部信息；涉及行政执法、公开后可能影响检查调查取证等执法活动"
    "或者危及他人合法权益的信息；法律、法规、规章禁止公开的其他政府信息。另有六类不宜公开的政府信息：党委文件（领导分工除外）、"
    "涉及商业秘密的指导个案处理文件、向上级汇报工作的文件、请示或涉及未决事项的文件、单纯转发上级文件的文件、"
    "本单位认定为不宜公开的内部办公事项",
    citation=c(SECRECY, "第七条"),
    items=[
        Exemption(code="state_secret", name="国家秘密", outcome="withheld.state_secret", citation=_SEVENTH),
        Exemption(code="law_prohibited", name="法律、法规、规章禁止公开的其他政府信息",
                  outcome="withheld.law_prohibited", citation=_SEVENTH),
        Exemption(code="security_stability", name="公开后危及国家安全、公共安全、经济安全和社会稳定的政府信息",
                  outcome="withheld.security_stability", citation=c(SECRECY, "第四条")),
        Exemption(code="third_party", name="商业秘密、个人隐私", outcome="withheld.third_party",
                  overrides="第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开（条例第十五条）",
                  citation=_SEVENTH),
        Exemption(code="internal_affairs", name="内部信息", outcome="withheld.internal_affairs", citation=_SEVENTH),
        Exemption(code="enforcement_file",
                  name="涉及行政执法的，公开后可能会影响检查、调查、取证等执法活动或者会危及他人合法权益的信息",
                  outcome="withheld.enforcement_file", citation=_SEVENTH),
        # 不宜公开的六类 (第七条（四）第三款 1-6), each mapped to the nearest national row.
        # 党委文件 are not government information (条例 第二条: made or obtained by an
        # administrative organ in performing administrative functions), so not a 不予公开 at all
        Exemption(code="unsuitable.party_documents",
                  name="不宜公开：原则上除领导分工以外的党委文件（不属于政府信息，按其他处理统计）",
                  outcome="other.not_government_information", mandatory=False, citation=_SEVENTH),
        Exemption(code="unsuitable.case_guidance",
                  name="不宜公开：涉及商业秘密的指导个案处理文件，具有规范性文件性质的除外（按保护第三方合法权益统计）",
                  outcome="withheld.third_party", mandatory=False, citation=_SEVENTH),
        Exemption(code="unsuitable.reports_to_superiors",
                  name="不宜公开：向上级汇报工作的文件（按过程性信息统计）",
                  outcome="withheld.process_info", mandatory=False, citation=_SEVENTH),
        Exemption(code="unsuitable.pending_requests",
                  name="不宜公开：请示或涉及未决事项的文件（按过程性信息统计）",
                  outcome="withheld.process_info", mandatory=False, citation=_SEVENTH),
        Exemption(code="unsuitable.forwarding",
                  name="不宜公开：单纯转发上级文件的文件（按内部事务信息统计）",
                  outcome="withheld.internal_affairs", mandatory=False, citation=_SEVENTH),
        Exemption(code="unsuitable.internal_office",
                  name="不宜公开：本单位认定为不宜公开的内部办公事项（按内部事务信息统计）",
                  outcome="withheld.internal_affairs", mandatory=False, citation=_SEVENTH),
    ],
)

# --------------------------------------------------------------------------- scoring

RUBRICS = [
    GradeScale(
        id="assessment.grade",
        summary="政务公开和政务服务考核满分为100分，分为优秀（95分以上，含95分）、良好（85分至95分，含85分）、"
        "合格（75分至85分，含75分）、不合格（75分以下）4个等次",
        citation=c(ASSESSMENT, "第七条"),
        bands=[
            GradeBand(name="优秀", minimum=95),
            GradeBand(name="良好", minimum=85, below=95),
            GradeBand(name="合格", minimum=75, below=85),
            GradeBand(name="不合格", below=75),
        ],
    ),
]

# --------------------------------------------------------------------------- other provisions

# 党务公开 applications (《依申请公开制度》 rests on 党章 and Party regulations, not the 条例): a
# second request track with its own clocks, outcomes (item 四) and remedy (item 七).
PARTY_TRACK = RequestTrack(
    id="party.request.track",
    summary="党务公开申请：申请人以信函、传真、电子邮件等方式向有关党组织提出，依党内法规办理，"
    "不适用《条例》的答复、复议和诉讼，不计入政府信息公开工作年度报告",
    citation=c(REQUEST, "序言、三、四、七"),
    track="party",
    name="党务公开申请",
    rules={
        "request.reply": "party.request.reply",
        "request.extension": "party.request.extension",
        "request.third_party_opinion": "party.request.third_party_opinion",
    },
    remedy="申请人认为有关单位不按规定履行党务公开义务的，可以向该单位的上级主管部门或者纪检机关反映"
    "（《五原县政务公开依申请公开制度》七）。",
    letter_title="党务公开申请处理意见告知书",
)


def _party(code: str, name: str, item: str) -> Outcome:
    return Outcome(code=f"party.{code}", name=name, basis=c(REQUEST, f"四（{item}）"), track="party",
                   template="letters/party.md.j2")


# 《依申请公开制度》 四 (一)–(七)
OUTCOMES = [
    _party("disclosed", "可以公开", "一"),
    _party("not_suitable", "暂不宜公开或不能公开，说明情况", "二"),
    _party("already_public", "已主动公开，告知获取途径", "三"),
    _party("published_now", "应主动公开未公开，及时公开并告知", "四"),
    _party("transferred", "不属本单位职责，转递受理部门", "五"),
    _party("not_exist", "申请公开的内容不存在", "六"),
    _party("unclear", "申请公开的内容不明确，告知更改补充", "七"),
]


PROVISIONS = [
    # 立法法 第九十三条: 地方政府规章 are made by 省、自治区、直辖市和设区的市、自治州的人民政府;
    # 五原县 and its departments make none (its texts' interpretation scope names none either).
    Provision(
        id="document.kinds_not_made",
        summary="五原县及其所属部门不制定规章（规章由设区的市、自治州以上人民政府和国务院部门制定）",
        citation=cite("立法法", "第九十三条"),
        options=("规章",),
    ),
    PARTY_TRACK,
    DocumentAttributes(
        id="document.attribute",
        summary="信息制作产生过程中同步确定公开属性：主动公开、脱密后公开、依申请公开、不予公开；依申请公开和不予公开的公文"
        "应随文标注理由；“脱密后公开”的公文对内以密件行文，对外经脱密处理（删除不宜公开的内容、摘录摘编可公开的信息或其他方式）"
        "后公开，处理结果经本机关保密办审核确认；文书室复核不符合要求的文稿退回拟稿科室或单位重新审核确认",
        citation=c(SECRECY, "第五条至第七条"),
        attributes=[
            Attribute(code="proactive", name="主动公开"),
            Attribute(code="declassified", name="脱密后公开", needs_public_version=True, needs_approval_by="本机关保密办"),
            Attribute(code="on_request", name="依申请公开", needs_reason=True),
            Attribute(code="withheld", name="不予公开", needs_reason=True),
        ],
        on_missing="退回拟稿科室或单位重新审核确认",
    ),
    # 七 says "定期" and sets no interval: the unit chooses the cycle.
    Provision(
        id="document.reevaluation",
        summary="制定专人定期对不予公开的信息以及依申请公开较为集中的信息全面自查（未规定具体周期）",
        citation=c(PROACTIVE, "七"),
        options=("不予公开", "依申请公开"),  # the attributes that are reviewed again
    ),
    InterpretationRule(
        id="policy.interpretation",
        summary="行政规范性文件及涉及面广、与民生关系密切、社会关注度高、专业性强的重要政策文件应当进行解读；政策文件与解读方案、"
        "解读材料同步起草、同步审签、同步发布；报审时未附解读方案和解读材料的，县政府办不予收文办理",
        citation=c(INTERPRETATION, "第三条、第四条"),
        options=("同步起草", "同步审签", "同步发布"),
        document_kinds=("行政规范性文件",),  # 第三条（一）（二）; a county makes no 规章 (立法法 第九十三条)
        major_policy=True,  # 第三条（三）
        # 第四条（二）: a draft in the name of 县政府/县政府办, or needing 县政府's consent
        # (--government-issued), is refused when it reaches 县政府办收文; a department's own policy
        # document goes with its material to the department's principal head (负责人审批)
        on_missing="不予收文",
        refused_at="approval",
        government_refused_at="registration",
    ),
    LeadTime(
        id="participation.comment_period",
        summary="通过向社会发布草案或征求意见稿方式征求意见的，公开征求意见的期限不少于10日",
        citation=c(PARTICIPATION, "第七条"),
        unit="calendar_days",
        amount=10,
        relation="open",
    ),
    LeadTime(
        id="participation.hearing_notice",
        summary="重大行政决策听证应当公开举行，决策承办单位应当在听证会举行10日前公告听证时间地点、拟决策事项、报名方式、"
        "代表名额及产生方式；法律、法规、规章对听证期限另有规定的，从其规定",
        citation=c(PARTICIPATION, "第九条"),
        unit="calendar_days",
        amount=10,
        relation="before",
    ),
    MinimumCount(
        id="participation.hearing_notice.representatives",
        summary="听证会代表的人数原则上不少于10人，其人数和人员构成比例由决策承办单位根据实际情况确定",
        citation=c(PARTICIPATION, "第十条"),
        minimum=10,
        of="听证会代表人数",
    ),
    LeadTime(
        id="participation.forum_materials",
        summary="通过座谈讨论、咨询协商方式征求意见的，于座谈论证会召开的5个工作日前将决策方案及起草说明送达与会代表",
        citation=c(PARTICIPATION, "第五条"),
        unit="working_days",
        amount=5,
        relation="before",
    ),
    RecurringDuty(
        id="assessment.schedule",
        summary="年度考核：被考核单位每年11月中旬进行自查自评并上报书面材料，12月初考核小组进行实地考核",
        citation=c(ASSESSMENT, "第九条"),
        period="year",
        times=2,
        dates=((11, 15), (12, 5)),  # 11月中旬 / 12月初
        what="政务公开年度考核（11月中旬自查自评、12月初实地考核）",
    ),
    Provision(
        id="evaluation.social",
        summary="政务公开评议活动由县政务公开办公室组织，每年组织1次；评议等次分为满意、基本满意和不满意，"
        "结果书面反馈被评议部门并作为政务公开考核的重要依据",
        citation=c(EVALUATION, "第六条、第七条"),
        options=("满意", "基本满意", "不满意"),
    ),
    RecurringDuty(
        # 第十三条 counts a gap, not calendar months: posts on 1 January and 28 February leave January and
        # February each with a post, yet more than a month passed without one
        id="newmedia.inactive.monthly",
        summary="政务新媒体开通后要规范发布时间与发布量；超过一个月不发布信息的微博和微信公众号，应向县委宣传部、网信办和"
        "县政务公开领导小组办公室说明原因，确有原因无法继续发布的需及时清理关停",
        citation=c(NEWMEDIA, "第十三条"),
        period="month",
        times=1,
        rolling=True,
        what="政务新媒体发布信息（距上次发布不超过一个月）",
    ),
    RecurringDuty(
        id="evaluation.social.annual",
        summary="政务公开社会评议活动每年组织1次",
        citation=c(EVALUATION, "第六条"),
        period="year",
        times=1,
        what="政务公开社会评议",
        borne_by=("government",),  # 由县政务公开办公室组织
    ),
    RecurringDuty(
        id="duty.training_hours",
        summary="政府信息公开工作主管部门、工作机构工作人员坚持先培训后上岗，每人每年累计参加培训的时间应不少于16学时",
        citation=c(TRAINING, "五"),
        period="year",
        hours=16,
        what="政府信息公开工作人员培训",
    ),
    GradeRestriction(
        id="assessment.training_required",
        summary="在职培训应结合实际进行考试考核；对于未参加学习培训和考试不合格的公务员，当年考核不能评为优秀等次",
        citation=c(TRAINING, "四"),
        grade="优秀",
        training="duty.training_hours",
    ),
    RecurringDuty(
        id="archive.self_check",
        summary="工作人员应每季度对归档材料进行自查整理，及时查遗补漏，确保归档材料齐全完整",
        citation=c(ARCHIVE, "三（四）"),
        period="quarter",
        times=1,
        what="政务公开归档材料自查整理",
    ),
    TriggeredDuty(
        id="newmedia.filing_update",
        summary="开通政务新媒体账号须提前报备；出现平台注销、人员变动等情况，须及时更新报备",
        citation=c(NEWMEDIA, "第八条"),
        trigger="政务新媒体平台注销、管理人员变动等情况",
        action="向县委宣传部、网信办和县政务公开领导小组办公室更新报备",
        when="及时",
    ),
    TriggeredDuty(
        id="newmedia.third_party_filing",
        summary="不得将新媒体运营管理整体交由第三方负责；确有需要的，应选择政治可靠、具备网络产品和服务资质的正规法人单位"
        "作为内容提供方，并向县委宣传部报备，最终发布权须掌握在各单位",
        citation=c(NEWMEDIA, "第十九条"),
        trigger="选择第三方作为政务新媒体内容提供方",
        action="向县委宣传部报备（最终发布权掌握在本单位）",
    ),
    TriggeredDuty(
        id="participation.feedback",
        summary="意见采纳情况及相对集中的意见未予采纳的原因，在重大行政决策公布前告知公众参与人或向社会公布",
        citation=c(PARTICIPATION, "第四条"),
        trigger="重大行政决策草案征求公众意见",
        action="告知公众参与人（或向社会公布）意见采纳情况及相对集中的意见未予采纳的原因",
        when="重大行政决策公布前",
    ),
    TriggeredDuty(
        id="participation.survey_report",
        summary="民意调查应当形成书面报告；民意调查报告以及报告的采纳情况，应当在重大决策公布前通过民意调查的网站等载体予以公开",
        citation=c(PARTICIPATION, "第六条"),
        trigger="以民意调查方式征求公众意见",
        action="公开民意调查报告及其采纳情况",
        when="重大决策公布前",
    ),
    TriggeredDuty(
        id="training.before_post",
        summary="政府信息公开工作主管部门、工作机构工作人员应坚持先培训后上岗的原则",
        citation=c(TRAINING, "五"),
        trigger="政府信息公开工作人员新上岗",
        action="上岗前参加政府信息公开培训",
        when="上岗前",
    ),
    RecurringDuty(
        id="plan.annual",
        summary="政务公开工作机构组织编制本机关的政府信息公开指南、政府信息公开目录、政务公开工作年度计划和年度报告",
        citation=c(PROACTIVE, "三（四）"),
        period="year",
        times=1,
        what="政务公开工作年度计划",
    ),
    AccountLimit(
        id="newmedia.accounts",
        summary="各单位原则上只能开通政务微博、政务微信公众号各1个；开通政务新媒体账号须提前向县委宣传部、网信办和"
        "县政务公开领导小组办公室报备，出现平台注销、人员变动等情况，须及时更新报备",
        citation=c(NEWMEDIA, "第八条"),
        limits={"微博": 1, "微信公众号": 1},
        file_with="县委宣传部、网信办和县政务公开领导小组办公室",
        # "原则上只能开通政务微博、政务微信公众号各1个": the two are counted; other platforms
        # (抖音…) are not barred, and are filed before opening as every account is
        other_platforms=True,
    ),
]
