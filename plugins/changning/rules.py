"""长宁区的规则，每条注明出处。

"实施办法" below is 《长宁区政务公开和政府信息公开实施办法》 (changning-measures.txt,
区政府第17次常务会议 2022年8月23日审议通过).
"""

from gongkai.hookspecs.records import (
    Attribute,
    DeadlineRule,
    DocumentAttributes,
    InterpretationRule,
    MinimumCount,
    Provision,
    RecurringDuty,
    ReviewChain,
    ReviewStep,
    TriggeredDuty,
    cite,
)

MEASURES = "实施办法"
MEASURES_TITLE = "长宁区政务公开和政府信息公开实施办法"

DEADLINES = [
    DeadlineRule(
        id="proactive.publish",
        summary="属于主动公开的政府信息，一般应当自形成或变更之日起10个工作日内在“上海长宁”政府门户网站发布，"
        "最迟不得超过20个工作日",
        citation=cite(MEASURES, "第四十条第二款"),
        unit="working_days",
        amount=10,
        limit=20,
    ),
    DeadlineRule(
        id="proactive.archive_delivery",
        summary="各行政机关应当将主动公开的政府信息，自形成或者变更之日起20个工作日内，送交区档案馆、区图书馆",
        citation=cite(MEASURES, "第四十四条第一款"),
        unit="working_days",
        amount=20,
    ),
    DeadlineRule(
        id="double_publicity",
        summary="行政许可、行政处罚“双公示”：除涉及国家秘密、商业秘密或个人隐私以及其他依法不予公开的信息外，"
        "在作出决定之日起7个工作日内将行政许可和行政处罚决定信息向社会公开",
        citation=cite(MEASURES, "第十八条"),
        unit="working_days",
        amount=7,
    ),
    DeadlineRule(
        id="decision.feedback",
        summary="重大行政决策预公开：在完成对意见吸收采纳后的10个工作日内，向社会公布意见收集、采纳情况和较为集中意见未予采纳的原因",
        citation=cite(MEASURES, "第五条"),
        unit="working_days",
        amount=10,
    ),
    DeadlineRule(
        id="decision.catalogue",
        summary="各行政机关重大行政决策事项目录应于每年3月31日前向社会主动公开",
        citation=cite(MEASURES, "第四条"),
        unit="annual_date",
        month=3,
        day=31,
        year_offset=0,
    ),
    DeadlineRule(
        id="power_list.update",
        summary="因职能变更、机构撤并等原因造成权责变动的，在职能变更、机构撤并等完成之日起10个工作日内更新网上发布的权力清单、责任清单",
        citation=cite(MEASURES, "第十六条"),
        unit="working_days",
        amount=10,
    ),
    DeadlineRule(
        id="consult.reply",
        summary="政民互动版块在线咨询栏目，对接收到的意见建议和问题咨询，答复期限不得超过5个工作日",
        citation=cite(MEASURES, "第三十三条"),
        unit="working_days",
        amount=5,
    ),
    DeadlineRule(
        id="consult.reply.simple",
        summary="政民互动版块在线咨询栏目，简单问题在1个工作日内完成答复",
        citation=cite(MEASURES, "第三十三条"),
        unit="working_days",
        amount=1,
    ),
    DeadlineRule(
        id="consult.reply.policy_comment",
        summary="区政府网站政策发布页面的网民留言，由文件起草部门答复，答复期限不超过5个工作日",
        citation=cite(MEASURES, "第三十六条"),
        unit="working_days",
        amount=5,
    ),
    DeadlineRule(
        id="opinion.major_incident",
        summary="重特大事件发生后，原则上责任单位首次信息发布时限最迟不超过5小时",
        citation=cite(MEASURES, "第三十三条"),
        unit="hours",
        amount=5,
    ),
    DeadlineRule(
        id="opinion.major_incident.press_conference",
        summary="重特大事件造成重大人员伤亡或者社会影响较大的，应当在24小时内举行新闻发布会",
        citation=cite(MEASURES, "第三十三条"),
        unit="hours",
        amount=24,
        condition="造成重大人员伤亡或者社会影响较大的重特大事件",
    ),
    DeadlineRule(
        id="request.intake",
        summary="非网络申请案件在收到申请后的2个工作日内录入到依申请公开工作平台",
        citation=cite(MEASURES, "第四十九条"),
        unit="working_days",
        amount=2,
    ),
    DeadlineRule(
        id="request.overturned_registration",
        summary="依申请公开答复案件被上级复议机关或人民法院撤销、变更、确认违法的，应在收到复议决定书或者判决书之日起一周内"
        "将有关情况在依申请公开工作平台进行登记",
        citation=cite(MEASURES, "第四十九条"),
        unit="calendar_days",
        amount=7,  # 一周
    ),
    DeadlineRule(
        id="report.annual.agency",
        summary="区政府各工作部门、各街镇应当于每年1月底前编制上一年度政府信息公开工作年度报告，报送区政府办公室，"
        "并通过“上海长宁”门户网站公布",
        citation=cite(MEASURES, "第五十二条"),
        unit="annual_date",
        month=1,
        day=31,
        year_offset=1,
        borne_by=("department", "street"),  # 区政府各工作部门、各街镇
    ),
    DeadlineRule(
        id="report.annual.government",
        summary="区政府办公室应当于每年2月28日前，编制、公布长宁区、区政府上一年度政府信息公开工作年度报告，"
        "并报送市政府政务公开工作主管部门",
        citation=cite(MEASURES, "第五十二条"),
        unit="annual_date",
        month=2,
        day=28,
        year_offset=1,
        borne_by=("government",),  # 区政府办公室
    ),
]

REVIEW_CHAINS = [
    ReviewChain(
        id="request.review_chain",
        summary="依申请公开答复：承办人拟稿，依申请公开提供政府信息时进行保密审查（先审查、后发布），"
        "依据《条例》《规定》及时作出答复",
        citation=cite(MEASURES, "第四十九条、第五十一条（三）"),
        workflow="request",
        steps=[
            ReviewStep(id="draft", name="承办人拟稿", role="承办人"),
            ReviewStep(id="confidentiality", name="依申请公开提供政府信息时保密审查", role="保密审查人员",
                       citation=cite(MEASURES, "第五十一条（三）")),
        ],
    ),
    ReviewChain(
        id="review.confidentiality",
        summary="建立健全政府信息发布保密审查机制，在政府信息形成时和公开前，遵循“先审查、后发布，谁公开、谁负责”的原则，"
        "公文类政府信息形成时、主动公开前、依申请公开提供时进行保密审查",
        citation=cite(MEASURES, "第五十一条"),
        workflow="document",
        steps=[
            ReviewStep(id="on_formation", name="公文类政府信息形成时同步保密审查", role="保密审查人员",
                       citation=cite(MEASURES, "第五十一条（一）")),
            ReviewStep(id="before_publication", name="主动公开政府信息前保密审查", role="保密审查人员",
                       citation=cite(MEASURES, "第五十一条（二）")),
            ReviewStep(id="before_provision", name="依申请公开提供政府信息时保密审查", role="保密审查人员",
                       citation=cite(MEASURES, "第五十一条（三）")),
        ],
    ),
]

PROVISIONS = [
    # 立法法 第九十三条: 地方政府规章 are made by 省、自治区、直辖市和设区的市、自治州的人民政府;
    # 长宁区 and its departments make none (its texts' interpretation scope names none either).
    Provision(
        id="document.kinds_not_made",
        summary="长宁区及其所属部门不制定规章（规章由设区的市、自治州以上人民政府和国务院部门制定）",
        citation=cite("立法法", "第九十三条"),
        options=("规章",),
    ),
    DocumentAttributes(
        id="document.attribute",
        summary="公文起草时明确公开属性、公开方式、解读方案、发布要求等内容；与公民、法人或者其他组织利益紧密相关的公文信息"
        "除涉密外一律全文主动公开；拟确定为依申请公开、不予公开的，要报政务公开工作机构审查同意后执行",
        citation=cite(MEASURES, "第四十六条"),
        attributes=[
            Attribute(code="proactive", name="主动公开"),
            Attribute(code="on_request", name="依申请公开", needs_approval_by="政务公开工作机构"),
            Attribute(code="withheld", name="不予公开", needs_approval_by="政务公开工作机构"),
        ],
        requires_interpretation=True,
    ),
    InterpretationRule(
        id="policy.interpretation",
        summary="按照“谁起草、谁解读”的原则，政策文件与解读材料同步起草、同步审签、同步发布；以区政府名义印发的政策性文件，"
        "起草部门上报代拟稿时应将经本部门主要负责人审定的解读方案和解读材料一并报送，材料不齐全的，区政府办公室按规定予以退文",
        citation=cite(MEASURES, "第二十六条"),
        options=("同步起草", "同步审签", "同步发布"),
        # 第二十五条: 行政规范性文件 and 政策文件 (the latter flagged --major-policy); a district makes no 规章
        document_kinds=("行政规范性文件",),
        major_policy=True,
        # 第二十六条第一款 (同步审签) binds every 行政机关's own policy documents: without the
        # material the approval (负责人审批) is refused; 第二款's 退文 by 区政府办公室 is for a draft in
        # the district government's name (--government-issued), at the same signature
        refused_at="approval",
        government_refused_at="approval",
        material="经本部门主要负责人审定的解读方案和解读材料",
        on_missing="退文",
    ),
    # 第五十五条 says "定期" and sets no interval: the unit chooses the cycle of the self-check;
    # what it finds to change is the triggered duty catalog.update
    Provision(
        id="catalog.self_check",
        summary="定期开展政务公开全领域标准目录的自查自纠（未规定具体周期），进一步优化目录内容和展示效果",
        citation=cite(MEASURES, "第五十五条"),
    ),
    # 第四十七条 says "定期" and sets no interval: the unit chooses the cycle.
    Provision(
        id="document.reevaluation",
        summary="定期对未开展过公文公开属性源头认定的政府公文开展全面梳理和属性认定，定期对不予公开和应该调整的信息进行梳理研判，"
        "符合主动公开条件的及时转化公开，内容调整变化的应及时更新发布（未规定具体周期）",
        citation=cite(MEASURES, "第四十七条"),
        options=("不予公开", "依申请公开"),  # the attributes that are reviewed again
    ),
    Provision(
        id="request.convert_to_proactive",
        summary="建立依申请公开向主动公开转化机制，对申请量大、重复性高、涉及范围广或者需要社会广泛知晓的依申请公开信息，"
        "在作出答复的同时，通过主动公开渠道予以公开",
        citation=cite(MEASURES, "第四十九条"),
    ),
    Provision(
        id="request.difficult_case",
        summary="处理信息公开申请答复遇到把握不准确、涉及部门多等复杂情况时，应当召开相关涉及部门参加的协商会",
        citation=cite(MEASURES, "第五十条"),
    ),
    MinimumCount(
        id="assessment.weight",
        summary="按年度开展政务公开考核，考核结果纳入全区绩效考核体系，分值权重不低于4%",
        citation=cite(MEASURES, "第五十四条"),
        minimum=0.04,
        of="政务公开在绩效考核中的权重",
    ),
    RecurringDuty(
        id="duty.inspection",
        summary="区政府办公室每年对本区各行政机关政务公开开展监督检查和专项督查不少于3次",
        citation=cite(MEASURES, "第五十四条"),
        period="year",
        times=3,
        what="政务公开监督检查和专项督查",
        borne_by=("government",),  # 区政府办公室
    ),
    RecurringDuty(
        id="duty.training",
        summary="区政府办公室每年定期举办政务公开培训会，各行政机关分管领导和工作人员应积极参加，出席情况列入考核内容",
        citation=cite(MEASURES, "第五十三条"),
        period="year",
        times=1,
        what="参加区政府办公室政务公开培训会",
    ),
    RecurringDuty(
        id="duty.work_report_hearing",
        summary="各行政机关主要领导要亲自抓政务公开工作，每年至少听取1次工作汇报，研究推动相关工作",
        citation=cite(MEASURES, "第五十七条"),
        period="year",
        times=1,
        what="主要领导听取政务公开工作汇报",
    ),
    TriggeredDuty(
        id="staff.change_filing",
        summary="明确承担政务公开工作的具体科室，配备专职工作人员；人员发生变动的，要逐项做好工作交接，"
        "并第一时间向区政府办公室备案",
        citation=cite(MEASURES, "第五十八条"),
        trigger="政务公开工作人员变动",
        action="逐项做好工作交接，并向区政府办公室备案",
        when="第一时间",
    ),
    TriggeredDuty(
        # 区政府、区政府办公室's proactive 公文 and every unit's 规范性文件 and 政策解读材料
        id="document.gazette",
        summary="区政府、区政府办公室制定的主动公开的公文、区政府及各部门制定的规范性文件及政策解读材料均应在"
        "《上海市长宁区人民政府公报》上刊登",
        citation=cite(MEASURES, "第四十三条"),
        trigger="主动公开的公文、规范性文件或政策解读材料印发",
        action="在《上海市长宁区人民政府公报》上刊登",
    ),
    TriggeredDuty(
        id="catalog.update",
        summary="定期开展政务公开全领域标准目录的自查自纠，需要调整和新增的事项要及时更新（自查未规定具体周期）",
        citation=cite(MEASURES, "第五十五条"),
        trigger="标准目录的自查自纠发现需要调整或新增的事项",
        action="更新政务公开标准目录",
        when="及时",
    ),
]
