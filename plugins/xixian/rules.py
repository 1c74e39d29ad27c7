"""西咸新区的规则，每条注明出处。

"管理办法" below is 《西咸新区政务公开管理办法》 (xixian-measures.txt, with 附件1
《西咸新区政务公开工作考核评估细则》 and 附件2 《西咸新区政务信息公开审批表》);
"实施方案" is the 西咸新区 基层政务公开标准化规范化工作实施方案
(xixian-standardization-plan.txt).

Notes on the texts:
- 管理办法 第二十条 refers to the approval form as "附件3" and 第二十二条 to the
  assessment rules as "附件2", but the attachment list at the end of the text (and the
  attachments themselves) number them 附件1 (考核评估细则) and 附件2 (审批表). Citations
  here follow the attachments' own numbering.
"""

from gongkai.hookspecs.records import (
    Attribute,
    CompositeScheme,
    DeadlineRule,
    DocumentAttributes,
    Exemption,
    ExemptionList,
    FindingUnit,
    InterpretationRule,
    FormField,
    FormSpec,
    Provision,
    RecurringDuty,
    ReviewChain,
    ReviewStep,
    Rubric,
    RubricCategory,
    TriggeredDuty,
    cite,
)

MEASURES = "管理办法"
PLAN = "实施方案"

MEASURES_TITLE = "西咸新区政务公开管理办法"
PLAN_TITLE = "西咸新区基层政务公开标准化规范化工作实施方案"

# --------------------------------------------------------------------------- deadlines

DEADLINES = [
    DeadlineRule(
        id="request.reply",
        summary="公民、法人或者其他组织申请获取政务信息的，严格按照《条例》规定，在20个工作日内参照"
        "《陕西省政府信息依申请公开答复示范文本》编制《政府信息公开告知书》及时答复",
        citation=cite(MEASURES, "第十八条"),
        unit="working_days",
        amount=20,
        pausable=True,  # 按照《条例》: 征求意见所需时间不计算在答复期限内
        restarts=True,  # 按照《条例》第三十条: 自收到补正的申请之日起计算
    ),
    DeadlineRule(
        id="mailbox.reply",
        summary="门户网站领导信箱群众来信五个工作日内按时办结，未产生负面舆情",
        citation=cite(MEASURES, "附件1 回应关切"),
        unit="working_days",
        amount=5,
    ),
]

# --------------------------------------------------------------------------- review chains

CONTENT_CHECKLIST = (
    "无违反党的政治纪律",
    "无违反国家法律法规",
    "无违反上级政策、规定、办法",
    "无领导人姓名、关键字、错别字问题",
    "可能引发舆情，向宣传部备案",
    "其他问题",
)

CONFIDENTIALITY_STATEMENT = "经审，以上信息不涉及国家秘密、商业秘密、个人隐私或其他不予公开的情形"

REVIEW_CHAINS = [
    ReviewChain(
        id="request.review_chain",
        summary="依申请公开答复：编制《政府信息公开告知书》，告知书须经律师审核，单位主要负责同志审批，"
        "报新区政务公开工作机构备案，并承担后续行政复议及行政诉讼相关责任",
        citation=cite(MEASURES, "第十八条"),
        workflow="request",
        steps=[
            ReviewStep(
                id="draft",
                name="编制《政府信息公开告知书》",
                role="承办人",
                citation=cite(MEASURES, "第十八条"),
            ),
            ReviewStep(
                id="lawyer",
                name="律师审核",
                role="律师",
                citation=cite(PLAN, "二（三）"),  # 落实律师审核制度; 管理办法 第十八条: 告知书须经律师审核
            ),
            ReviewStep(
                id="principal_head",
                name="单位主要负责同志审批",
                role="单位主要负责同志",
                citation=cite(MEASURES, "第十八条"),
                approval=True,  # the text names who approves the reply
            ),
            ReviewStep(
                id="filing",
                name="报新区政务公开工作机构备案",
                role="新区政务公开工作机构",
                stage="after",
                citation=cite(MEASURES, "第十八条"),
            ),
        ],
    ),
    ReviewChain(
        id="proactive.review_chain",
        summary="通过门户网站、政务新媒体等平台主动公开政务信息，按照“谁产生、谁公开、谁审核、谁负责”的原则，"
        "填写《西咸新区政务信息公开审批表》，依次经保密审查、内容审核审批、信息发布、登记存档、后续关注；"
        "严禁未经审批擅自公开；审批情况抄送同级党政办公室；列入本单位《政务公开事项目录》的由分管政务公开领导审批",
        citation=cite(MEASURES, "第二十条"),
        workflow="proactive",
        steps=[
            ReviewStep(
                id="confidentiality",
                name="保密审查",
                role="保密审查员、分管保密工作负责人",
                checklist=(CONFIDENTIALITY_STATEMENT,),
                attested=(CONFIDENTIALITY_STATEMENT,),  # 确定…不存在…后方可进行公开
                citation=cite(MEASURES, "第二十条（一）"),
            ),
            ReviewStep(
                id="content",
                name="内容审核",
                role="审查人、分管政务公开负责人",
                checklist=CONTENT_CHECKLIST,
                # 第二十条（二）: 对存在问题…的信息坚决不予公开 — an approval attests the four 无…;
                # 舆情备案 and 其他问题 are ticked only when the reviewer says so
                attested=CONTENT_CHECKLIST[:4],
                citation=cite(MEASURES, "第二十条（二）"),
            ),
            ReviewStep(
                id="approval",
                name="单位主要负责人审批",
                role="单位主要负责人",
                # 附件2 备注: 列入本单位《政务公开事项目录》由分管政务公开领导审批
                alternate="分管政务公开领导",
                alternate_when="列入本单位《政务公开事项目录》的",
                citation=cite(MEASURES, "附件2"),
            ),
            ReviewStep(
                id="publish",
                name="信息发布",
                role="信息发布员",
                citation=cite(MEASURES, "第二十条（三）"),
            ),
            ReviewStep(
                id="register",
                name="登记存档",
                role="政务公开工作人员",
                stage="after",
                checklist=(
                    "在专门的登记簿上详细登记",
                    "公开的信息及审核负责人审核签字的原始文件、信息公开审批表存档保存",
                ),
                citation=cite(MEASURES, "第二十条"),
            ),
            ReviewStep(
                id="follow_up",
                name="后续关注",
                role="政务公开工作人员",
                stage="after",
                checklist=("持续关注社会各界的反应", "出现负面舆情第一时间处置"),
                citation=cite(MEASURES, "第二十条"),
            ),
        ],
    ),
]

# --------------------------------------------------------------------------- exemptions

_LAW_REQUIRES = "法律、法规、规章规定上述信息应当公开的，从其规定"

EXEMPTIONS = ExemptionList(
    id="exemptions",
    summary="依法确定为国家秘密的，法律、行政法规禁止公开的，公开后可能危及国家安全、经济安全、社会稳定的，"
    "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政务信息，不得公开（第三方同意或者不公开会对公共利益"
    "造成重大影响的，予以公开）；内部事务信息、过程性信息、行政执法案卷等信息可不予公开，法律、法规、规章规定应当公开的从其规定",
    citation=cite(MEASURES, "第十五条"),
    items=[
        Exemption(code="state_secret", name="依法确定为国家秘密的政务信息", outcome="withheld.state_secret",
                  citation=cite(MEASURES, "第十五条")),
        Exemption(code="law_prohibited", name="法律、行政法规禁止公开的政务信息", outcome="withheld.law_prohibited",
                  citation=cite(MEASURES, "第十五条")),
        Exemption(code="security_stability", name="公开后可能危及国家安全、经济安全、社会稳定的政务信息",
                  outcome="withheld.security_stability", citation=cite(MEASURES, "第十五条")),
        Exemption(code="third_party", name="涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政务信息",
                  outcome="withheld.third_party",
                  overrides="第三方同意或者行政机关认为不公开会对公共利益造成重大影响的，予以公开",
                  citation=cite(MEASURES, "第十五条")),
        Exemption(code="internal_affairs", name="各单位的内部事务信息（人事管理、后勤管理等）",
                  outcome="withheld.internal_affairs", mandatory=False, overrides=_LAW_REQUIRES,
                  citation=cite(MEASURES, "第十五条")),
        Exemption(code="process_info", name="在履行行政管理职能过程中形成的讨论记录、磋商信函、请示报告等过程性信息",
                  outcome="withheld.process_info", mandatory=False, overrides=_LAW_REQUIRES,
                  citation=cite(MEASURES, "第十五条")),
        Exemption(code="enforcement_file", name="行政执法案卷信息", outcome="withheld.enforcement_file",
                  mandatory=False, overrides=_LAW_REQUIRES, citation=cite(MEASURES, "第十五条")),
    ],
)

# --------------------------------------------------------------------------- scoring

_RUBRIC = cite(MEASURES, "附件1")

RUBRICS = [
    Rubric(
        id="assessment.rubric",
        summary="《西咸新区政务公开工作考核评估细则》：按分类逐项扣分、加分，各项累计不超过规定分值",
        citation=_RUBRIC,
        categories=[
            RubricCategory(
                id="platform",
                name="平台建设",
                kind="deduction",
                cap=5,
                units=[FindingUnit(id="column_not_updated", name="每发现一起栏目未更新", points=0.5)],
                note="政务公开栏目保障：综合栏目每两周至少更新一次，专项政策文件类栏目每半年至少更新一次",
            ),
            RubricCategory(
                id="five_public",
                name="“五公开”情况",
                kind="deduction",
                cap=20,
                units=[FindingUnit(id="item_not_done", name="每发现一项未落实", points=0.5)],
                note="决策公开、执行公开、管理公开、服务公开、结果公开",
            ),
            RubricCategory(
                id="proactive",
                name="主动公开",
                kind="deduction",
                cap=20,
                units=[FindingUnit(id="item_not_done", name="每发现一项未落实", points=0.5)],
                note="公开标准、评估指标",
            ),
            RubricCategory(
                id="document_disclosure",
                name="公文公开",
                kind="deduction",
                cap=10,
                units=[FindingUnit(id="item_not_done", name="每发现一项未落实", points=0.5)],
                note="公文解读：公文属性标注、本单位文件公开、公文公开保密审查备案制度",
            ),
            RubricCategory(
                id="response",
                name="回应关切",
                kind="deduction",
                cap=5,
                units=[
                    FindingUnit(
                        id="late_reply",
                        name="领导信箱来信每发现一起未按时回复",
                        points=0.5,
                        records=["mailbox.late_reply"],  # counted from the mailbox.reply clocks
                    )
                ],
                bonus_units=[FindingUnit(id="public_praise", name="积极互动被群众或媒体表扬，每次", points=0.5)],
                note="领导信箱：群众来信五个工作日内按时办结；扣分累计不超过5分，表扬每次加0.5分",
            ),
            RubricCategory(
                id="participation",
                name="公众参与",
                kind="activity",
                cap=10,
                units=[FindingUnit(id="activity", name="每开展一项公众参与活动", points=1)],
                note="邀请群众代表列席会议、主要负责人解读及在线访谈、座谈会及听证会、政务公开活动及聘请监督员、调查征集活动",
            ),
            RubricCategory(
                id="request",
                name="依申请公开",
                kind="deduction",
                cap=10,
                units=[
                    FindingUnit(id="no_ledger", name="未建立依申请公开办理工作台账", points=0.5),
                    FindingUnit(
                        id="late_or_overturned",
                        name="未按时办结或因办理不当导致败诉或被撤销等情形",
                        points=2,
                        records=["request.late_reply", "request.overturned"],  # counted from the records
                    ),
                ],
            ),
            RubricCategory(
                id="organisation",
                name="组织保障",
                kind="deduction",
                cap=3,
                units=[
                    FindingUnit(id="handover_unclear", name="专兼职人员移交衔接不清", points=1),
                    FindingUnit(id="training_missed", name="未参加培训（每次）", points=1),
                    FindingUnit(id="rules_not_followed", name="工作制度落实不规范", points=1),
                ],
            ),
            RubricCategory(
                id="innovation",
                name="特色创新",
                kind="bonus",
                cap=10,
                note="政务公开创新创优事项受到领导批示或新区以上推广、表彰奖励；编制政务公开标准目录被上级采纳、"
                "新区政务公开信息受到上级转发：视情确定加分，总计不超过10分",
            ),
            RubricCategory(
                id="negative_list",
                name="负面清单",
                kind="deduction",
                cap=10,
                note="违反保密审查规定公开相关信息；本单位政务公开工作被上级通报批评；回应群众关切应对不及时或不恰当引发负面舆情："
                "按照市考指标标准扣分，总计不超过10分",
            ),
        ],
        total=100.0,
    ),
    CompositeScheme(
        id="assessment.composite",
        summary="总评100分：自评20%，平时考核20%，部门互评20%，年终新区统一评估40%；不承担相关任务单位，考核项取平均值",
        citation=cite(MEASURES, "附件1 说明"),
        weights={"self": 0.2, "routine": 0.2, "peer": 0.2, "year_end": 0.4},
        not_carried="average",
    ),
]

# --------------------------------------------------------------------------- other provisions

APPROVAL_FORM = FormSpec(
    id="proactive.approval_form",
    summary="通过门户网站、政务新媒体等平台主动公开政务信息，填写《西咸新区政务信息公开审批表》，"
    "逐项完成保密审查、内容审核和单位主要负责人审批；备注：列入本单位《政务公开事项目录》由分管政务公开领导审批",
    citation=cite(MEASURES, "附件2"),
    title="西咸新区政务信息公开审批表",
    template="xixian_approval_form",
    fields=[
        FormField(name="信息产生机构"),
        FormField(name="经办人"),
        FormField(name="拟公开信息名称（文号）"),
        FormField(name="内容摘要"),
        FormField(name="信息拟公开方式", options=("政府网站", "政务新媒体", "新闻媒体", "政务公开栏", "其他")),
        FormField(name="保密审查", options=(CONFIDENTIALITY_STATEMENT,),
                  signatures=("保密审查员", "分管保密工作负责人")),
        FormField(name="内容审核", options=CONTENT_CHECKLIST, signatures=("审查人", "分管政务公开负责人")),
        FormField(name="单位主要负责人审批意见"),
        FormField(name="信息发布员"),
        FormField(name="备注"),
    ],
)

PROVISIONS = [
    # 立法法 第九十三条: 地方政府规章 are made by 省、自治区、直辖市和设区的市、自治州的人民政府;
    # 西咸新区 and its departments make none (its texts' interpretation scope names none either).
    Provision(
        id="document.kinds_not_made",
        summary="西咸新区及其所属部门不制定规章（规章由设区的市、自治州以上人民政府和国务院部门制定）",
        citation=cite("立法法", "第九十三条"),
        options=("规章",),
    ),
    APPROVAL_FORM,
    Provision(
        id="request.same_info_many_applicants",
        summary="多人申请相同可公开政府信息应纳入主动公开范围",
        citation=cite(PLAN, "二（三）"),
    ),
    DocumentAttributes(
        id="document.attribute",
        summary="起草公文时同步明确主动公开、依申请公开、不予公开等属性，随文一并报批；拟不公开的要依法依规说明理由；"
        "拟主动公开的要一并报送文件解读材料与文件同步进行审批",
        citation=cite(MEASURES, "第十条"),
        attributes=[
            Attribute(code="proactive", name="主动公开"),
            # "拟不公开的要依法依规说明理由": 依申请公开 is also "不（主动）公开", so both carry a reason.
            Attribute(code="on_request", name="依申请公开", needs_reason=True),
            Attribute(code="withheld", name="不予公开", needs_reason=True),
        ],
        requires_interpretation=True,
    ),
    InterpretationRule(
        id="policy.interpretation",
        summary="拟主动公开的公文要一并报送文件解读材料，与文件同步进行审批；解读材料包括文件的背景依据、目标任务、主要内容、"
        "涉及范围、执行口径、操作方法、注意事项、关键词诠释、惠民利民举措、新旧政策差异等",
        citation=cite(MEASURES, "第十条"),
        published=True,
        material="文件解读材料",
    ),
    RecurringDuty(
        id="platform.column_update",
        summary="政务公开栏目保障：综合栏目每两周至少更新一次",
        citation=cite(MEASURES, "附件1 平台建设"),
        period="two_weeks",
        times=1,
        what="综合栏目更新",
    ),
    RecurringDuty(
        id="platform.column_update.policy",
        summary="政务公开栏目保障：专项政策文件类栏目每半年至少更新一次",
        citation=cite(MEASURES, "附件1 平台建设"),
        period="half_year",
        times=1,
        what="专项政策文件类栏目更新",
    ),
    RecurringDuty(
        id="duty.training",
        summary="加大教育培训力度，每年至少组织1次政务公开工作人员集中学习培训",
        citation=cite(PLAN, "三（二）"),
        period="year",
        times=1,
        what="政务公开工作人员集中学习培训",
    ),
    # 附件1 “五公开”情况 1、2: each missing item costs 0.5 points in the year's assessment.
    RecurringDuty(
        id="duty.decision_consultation",
        summary="“五公开”：对涉及全域全行业的决策进行预公开，公开征求意见每年至少发布一项",
        citation=cite(MEASURES, "附件1 “五公开”情况 1"),
        period="year",
        times=1,
        what="决策预公开并公开征求意见",
    ),
    RecurringDuty(
        id="duty.decision_execution",
        summary="“五公开”：公开决策执行及相关督查整改每年至少一项",
        citation=cite(MEASURES, "附件1 “五公开”情况 2"),
        period="year",
        times=1,
        what="公开决策执行及督查整改情况",
    ),
    RecurringDuty(
        id="catalogue.update",
        summary="对照上级政务公开标准指引，结合权责清单和公共服务事项清单编制主动公开事项标准目录，通过门户网站向社会公开，"
        "并结合实际每年度更新",
        citation=cite(MEASURES, "第十四条"),
        period="year",
        times=1,
        what="主动公开事项标准目录年度更新",
    ),
    RecurringDuty(
        id="opinion.monthly_collection",
        summary="各新城、各街镇对群众通过12345、领导信箱、网络留言及来电等咨询、投诉涉及物业管理、教育卫生、征地拆迁等事项，"
        "建立月度政务舆情收集和回应机制，及时回应解读相关政策文件",
        citation=cite(PLAN, "二（四）"),
        period="month",
        times=1,
        what="政务舆情收集和回应",
    ),
    TriggeredDuty(
        id="disclosure.meeting_filing",
        summary="各级各单位通过会议、活动的方式主动公开政务信息，应按照相关制度规范执行，并向同级党政办公室报备",
        citation=cite(MEASURES, "第十九条"),
        trigger="通过会议、活动的方式主动公开政务信息",
        action="向同级党政办公室报备",
    ),
    TriggeredDuty(
        id="proactive.approval_copy",
        summary="新区管委会各部门、各新城管委会和各镇街主动公开政务信息审批后，由本单位信息员在各自的政务公开平台公开，"
        "审批情况抄送同级党政办公室",
        citation=cite(MEASURES, "第二十条（三）"),
        trigger="主动公开政务信息经审批后在本单位政务公开平台公开",
        action="将审批情况抄送同级党政办公室",
        # 以新区管委会及办公室名义制作的信息 is published by 新区党政办公室 itself
        borne_by=("department", "street"),
    ),
]
