"""The national rules, each with its article of the 条例 (2019 revision).

"条例" below is 《中华人民共和国政府信息公开条例》（国务院令第711号）.
"""

from gongkai.hookspecs.records import (
    ChannelReceipt,
    DeadlineRule,
    Exemption,
    ExemptionList,
    FeeBand,
    FeeSchedule,
    Outcome,
    Provision,
    ReceiptRule,
    ReviewChain,
    ReviewStep,
    cite,
)

TIAOLI = "条例"
FEE_MEASURES = "政府信息公开信息处理费管理办法（国办函〔2020〕109号）"
LEGISLATION_LAW = "立法法"  # 《中华人民共和国立法法》（2023年修正）

DEADLINES = [
    DeadlineRule(
        id="proactive.publish",
        summary="主动公开的政府信息，自形成或者变更之日起20个工作日内及时公开",
        citation=cite(TIAOLI, "第二十六条"),
        unit="working_days",
        amount=20,
    ),
    DeadlineRule(
        id="request.reply",
        summary="收到政府信息公开申请，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复",
        citation=cite(TIAOLI, "第三十三条第二款"),
        unit="working_days",
        amount=20,
        pausable=True,  # 第三十二、三十四条: 征求意见所需时间不计算在前款规定的期限内
        restarts=True,  # 第三十条: 答复期限自行政机关收到补正的申请之日起计算
    ),
    DeadlineRule(
        id="request.extension",
        summary="需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日",
        citation=cite(TIAOLI, "第三十三条第二款"),
        unit="working_days",
        amount=20,
        max_count=1,
    ),
    DeadlineRule(
        id="request.correction_notice",
        summary="申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限；"
        "答复期限自收到补正的申请之日起计算；无正当理由逾期不补正的，视为放弃申请",
        citation=cite(TIAOLI, "第三十条"),
        unit="working_days",
        amount=7,
    ),
    # the remedies a letter opens, counted from its delivery (送达) to the applicant
    DeadlineRule(
        id="remedy.reconsideration",
        summary="公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请",
        citation=cite("行政复议法", "第二十条"),
        unit="calendar_days",
        amount=60,
    ),
    DeadlineRule(
        id="remedy.lawsuit",
        summary="公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出",
        citation=cite("行政诉讼法", "第四十六条"),
        unit="months",
        amount=6,
    ),
    DeadlineRule(
        id="request.third_party_opinion",
        summary="可能损害第三方合法权益的，书面征求第三方意见；第三方自收到征求意见书之日起15个工作日内提出意见，"
        "逾期未提出意见的由行政机关决定；征求意见所需时间不计算在答复期限内",
        citation=cite(TIAOLI, "第三十二条、第三十三条第三款"),
        unit="working_days",
        amount=15,
        on_silence="agency_decides",
    ),
    DeadlineRule(
        id="request.agency_opinion",
        summary="申请公开的政府信息由两个以上行政机关共同制作的，牵头制作的行政机关可以征求相关行政机关的意见，"
        "被征求意见机关自收到征求意见书之日起15个工作日内提出意见，逾期未提出意见的视为同意公开；"
        "征求意见所需时间不计算在答复期限内",
        citation=cite(TIAOLI, "第三十四条、第三十三条第三款"),
        unit="working_days",
        amount=15,
        on_silence="consent",
    ),
    DeadlineRule(
        id="report.annual.agency",
        summary="各级人民政府部门于每年1月31日前向本级政府信息公开工作主管部门提交上一年度政府信息公开工作年度报告并向社会公布",
        citation=cite(TIAOLI, "第四十九条"),
        unit="annual_date",
        month=1,
        day=31,
        year_offset=1,
        # 各级人民政府部门 (and the streets and towns a district counts with them); the
        # government's own report is the next rule's, made by its 主管部门
        borne_by=("department", "street"),
    ),
    DeadlineRule(
        id="report.annual.government",
        summary="县级以上地方人民政府的政府信息公开工作主管部门于每年3月31日前向社会公布本级政府上一年度政府信息公开工作年度报告",
        citation=cite(TIAOLI, "第四十九条第二款"),  # 第五十条 is the report's content and format
        unit="annual_date",
        month=3,
        day=31,
        year_offset=1,
        borne_by=("government",),  # 政府信息公开工作主管部门: the government's office
    ),
]

# The unit as respondent (被申请人、被告) when an applicant appeals a reply or its absence.
RECONSIDERATION_LAW = "行政复议法"  # 《中华人民共和国行政复议法》（2023年修订）
LITIGATION_LAW = "行政诉讼法"  # 《中华人民共和国行政诉讼法》（2017年修正）
APPEAL_DEADLINES = [
    DeadlineRule(
        id="appeal.reconsideration_answer",
        summary="被申请人自收到行政复议申请书副本或者行政复议申请笔录复印件之日起10日内，提出书面答复，"
        "并提交作出行政行为的证据、依据和其他有关材料；本法规定的行政复议期间有关“十日”的规定是指工作日",
        citation=cite(RECONSIDERATION_LAW, "第四十八条、第八十八条第二款"),
        unit="working_days",
        amount=10,
    ),
    DeadlineRule(
        id="appeal.lawsuit_defence",
        summary="被告应当在收到起诉状副本之日起15日内向人民法院提交作出行政行为的证据和所依据的规范性文件，"
        "并提出答辩状；期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期",
        citation=cite(LITIGATION_LAW, "第六十七条第一款、第一百零一条（民事诉讼法 第八十五条）"),
        unit="calendar_days_roll",
        amount=15,
    ),
]
DEADLINES += APPEAL_DEADLINES

REVIEW_CHAINS = [
    # No article requires the office head to approve every reply (第三十三条: only an extension):
    # that approval is the unit's own practice, added from gongkai.toml (core/law/unit_practice.py).
    ReviewChain(
        id="request.review_chain",
        summary="依申请公开答复：由政府信息公开工作机构办理，承办人拟稿，按第三十六条的情形作出答复",
        citation=cite(TIAOLI, "第四条、第三十六条"),
        workflow="request",
        steps=[
            ReviewStep(id="draft", name="承办人拟稿", role="承办人"),
        ],
    ),
    ReviewChain(
        id="proactive.review_chain",
        summary="主动公开：拟公开的政府信息经审查（第十七条）后，自形成或者变更之日起20个工作日内发布（第二十六条）；"
        "负责人审批为本单位规定（条例未要求）",
        citation=cite(TIAOLI, "第十七条、第二十六条"),
        workflow="proactive",
        steps=[
            ReviewStep(id="confidentiality", name="保密审查", role="保密审查人员", citation=cite(TIAOLI, "第十七条")),
            # no article requires the head's approval of each proactive publication (第十七条 asks
            # for a review mechanism, 第二十六条 sets the period): the unit's own practice, as the
            # office head's approval of a reply is (issue 32 item 10)
            ReviewStep(id="approval", name="负责人审批", role="本机关负责人", unit_practice=True),
            ReviewStep(id="publish", name="信息发布", role="信息发布员", citation=cite(TIAOLI, "第二十六条")),
        ],
    ),
    # 第十七条 reviews information "拟公开" (before it is published or provided); the three points
    # (形成时、主动公开前、依申请提供前) are local texts' (五原县 主动公开工作制度 六, 长宁区 第五十一条).
    ReviewChain(
        id="review.confidentiality",
        summary="行政机关应当建立健全政府信息公开审查机制，明确审查的程序和责任，依照法律、行政法规和国家有关规定"
        "对拟公开的政府信息进行审查；不能确定政府信息是否可以公开的，报有关主管部门或者保密行政管理部门确定"
        "（文件形成时的审查条例未作规定，可作记录）",
        citation=cite(TIAOLI, "第十七条"),
        workflow="document",
        steps=[
            ReviewStep(id="on_formation", name="文件形成时保密审查", role="保密审查人员"),
            ReviewStep(id="before_publication", name="主动公开前保密审查", role="保密审查人员",
                       citation=cite(TIAOLI, "第十七条")),
            ReviewStep(id="before_provision", name="依申请提供前保密审查", role="保密审查人员",
                       citation=cite(TIAOLI, "第十七条")),
        ],
    ),
]

EXEMPTIONS = ExemptionList(
    id="exemptions",
    summary="不予公开：国家秘密、法律行政法规禁止公开、危及“三安全一稳定”（第十四条）；涉及商业秘密、个人隐私等公开会对第三方合法权益"
    "造成损害的（第十五条，第三方同意或公共利益重大的除外）；内部事务信息、过程性信息、行政执法案卷可以不予公开（第十六条）",
    citation=cite(TIAOLI, "第十四条至第十六条"),
    items=[
        Exemption(code="state_secret", name="依法确定为国家秘密的政府信息", outcome="withheld.state_secret",
                  citation=cite(TIAOLI, "第十四条")),
        Exemption(code="law_prohibited", name="法律、行政法规禁止公开的政府信息", outcome="withheld.law_prohibited",
                  citation=cite(TIAOLI, "第十四条")),
        Exemption(code="security_stability", name="公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
                  outcome="withheld.security_stability", citation=cite(TIAOLI, "第十四条")),
        Exemption(code="third_party", name="涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
                  outcome="withheld.third_party",
                  overrides="第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开",
                  citation=cite(TIAOLI, "第十五条")),
        Exemption(code="internal_affairs", name="人事管理、后勤管理、内部工作流程等方面的内部事务信息",
                  outcome="withheld.internal_affairs", mandatory=False, citation=cite(TIAOLI, "第十六条第一款")),
        Exemption(code="process_info", name="讨论记录、过程稿、磋商信函、请示报告等过程性信息",
                  outcome="withheld.process_info", mandatory=False,
                  overrides="法律、法规、规章规定上述信息应当公开的，从其规定",
                  citation=cite(TIAOLI, "第十六条第二款")),
        Exemption(code="enforcement_file", name="行政执法案卷信息", outcome="withheld.enforcement_file",
                  mandatory=False, overrides="法律、法规、规章规定上述信息应当公开的，从其规定",
                  citation=cite(TIAOLI, "第十六条第二款")),
    ],
)

PROVISIONS = [
    ReceiptRule(
        id="request.receipt_date",
        summary="收到申请的时间：当面提交的以提交之日；邮寄的以签收之日（平常信函以双方确认之日）；"
        "通过互联网渠道或者传真提交的以双方确认之日为收到申请之日",
        citation=cite(TIAOLI, "第三十一条"),
        channels=[
            ChannelReceipt(channel="in_person", name="当面提交", received_on="submitted"),
            ChannelReceipt(channel="post_signed", name="邮寄（签收）", received_on="submitted"),
            ChannelReceipt(channel="post_ordinary", name="平常信函", received_on="confirmed"),
            ChannelReceipt(channel="online", name="互联网渠道", received_on="confirmed"),
            ChannelReceipt(channel="fax", name="传真", received_on="confirmed"),
        ],
    ),
    Provision(
        id="request.volume",
        summary="申请数量、频次明显超过合理范围的，可以要求申请人说明理由；理由不合理的告知不予处理；"
        "理由合理但无法在规定期限内答复的，可以确定延迟答复的合理期限并告知申请人",
        citation=cite(TIAOLI, "第三十五条"),
    ),
    Provision(
        id="request.remedies",
        summary="公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
        "政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼",
        citation=cite(TIAOLI, "第五十一条"),
    ),
    FeeSchedule(
        id="request.fee",
        summary="行政机关依申请提供政府信息，不收取费用；申请人申请公开数量、频次明显超过合理范围的，可以收取信息处理费"
        "（按件或按量计收，二者择一）",
        citation=cite(TIAOLI, "第四十二条；" + FEE_MEASURES + "第三条至第五条"),
        # 按件: 同一申请人一个自然月内累计10件以下不收费；11-30件每件100元；31件以上每增加10件，每件加收100元
        per_request=[
            FeeBand(first=1, last=10, price=0),
            FeeBand(first=11, last=30, price=100),
            FeeBand(first=31, last=None, price=200, step_every=10, step_price=100),
        ],
        # 按量: 30页以下不收费；31-100页每页10元；101-200页每页20元；201页以上每页40元
        per_page=[
            FeeBand(first=1, last=30, price=0),
            FeeBand(first=31, last=100, price=10),
            FeeBand(first=101, last=200, price=20),
            FeeBand(first=201, last=None, price=40),
        ],
    ),
    # Which kinds of document a jurisdiction's units do not make: none at the national level. A
    # county or district (and its departments) makes no 规章, so its plugin lists 规章 here and
    # `document new --kind 规章` is refused there.
    Provision(
        id="document.kinds_not_made",
        summary="规章由国务院各部、委员会等（部门规章）和省、自治区、直辖市和设区的市、自治州的人民政府（地方政府规章）制定；"
        "不能制定规章的机关不登记规章",
        citation=cite(LEGISLATION_LAW, "第九十一条、第九十三条"),
        options=(),
    ),
    Provision(
        id="request.outcomes",
        summary="答复按第三十六条至第三十九条的情形作出，并按年度报告格式的办理结果分类统计",
        citation=cite(TIAOLI, "第三十六条至第三十九条"),
        options=[
            "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理",
        ],
    ),
]


def _outcome(code, name, row, basis=None, withholds=False, letter=True):
    return Outcome(code=code, name=name, report_row=row, basis=basis, withholds=withholds, letter=letter)


OUTCOMES = [
    _outcome("disclosed", "予以公开", "disclosed", cite(TIAOLI, "第三十六条第（二）项")),
    _outcome("disclosed.already_public", "已主动公开，告知获取方式和途径", "disclosed", cite(TIAOLI, "第三十六条第（一）项")),
    # The withheld part falls under 第十四至十六条: reconsideration comes first
    # (行政复议法 2023 第二十三条第一款第（四）项).
    # 第三十七条: the parts that can be disclosed are provided (第三十六条（二）), the rest refused with
    # reasons (第三十六条（三）)
    _outcome("partial", "部分公开", "partial", cite(TIAOLI, "第三十七条、第三十六条第（二）项、第（三）项"), True),
    _outcome("withheld.state_secret", "不予公开（属于国家秘密）", "withheld.state_secret", cite(TIAOLI, "第十四条、第三十六条第（三）项"), True),
    _outcome("withheld.law_prohibited", "不予公开（其他法律行政法规禁止公开）", "withheld.law_prohibited", cite(TIAOLI, "第十四条、第三十六条第（三）项"), True),
    _outcome("withheld.security_stability", "不予公开（危及“三安全一稳定”）", "withheld.security_stability", cite(TIAOLI, "第十四条、第三十六条第（三）项"), True),
    _outcome("withheld.third_party", "不予公开（保护第三方合法权益）", "withheld.third_party", cite(TIAOLI, "第十五条、第三十二条、第三十六条第（三）项"), True),
    _outcome("withheld.internal_affairs", "不予公开（属于三类内部事务信息）", "withheld.internal_affairs", cite(TIAOLI, "第十六条第一款、第三十六条第（三）项"), True),
    _outcome("withheld.process_info", "不予公开（属于四类过程性信息）", "withheld.process_info", cite(TIAOLI, "第十六条第二款、第三十六条第（三）项"), True),
    _outcome("withheld.enforcement_file", "不予公开（属于行政执法案卷）", "withheld.enforcement_file", cite(TIAOLI, "第十六条第二款、第三十六条第（三）项"), True),
    # Counted as 不予公开 (report row （三）8), so reconsideration comes first as for any refusal to
    # disclose (行政复议法 第二十三条第一款第（四）项). No article of the 条例 makes it a ground; the
    # letter cites 第三十六条第（三）项, which every refusal follows (告知不予公开并说明理由).
    _outcome("withheld.administrative_query", "不予公开（属于行政查询事项）", "withheld.administrative_query",
             cite(TIAOLI, "第三十六条第（三）项"), withholds=True),
    _outcome("unavailable.not_held", "无法提供（本机关不掌握相关政府信息）", "unavailable.not_held", cite(TIAOLI, "第三十六条第（四）项")),
    # 第十条 says whose it is to disclose: the reason the letter gives (第三十六条（五）)
    _outcome("unavailable.other_agency", "无法提供（不属于本机关负责公开，告知负责公开的机关）", "unavailable.not_held", cite(TIAOLI, "第三十六条第（五）项、第十条")),
    _outcome("unavailable.needs_creation", "无法提供（没有现成信息需要另行制作）", "unavailable.needs_creation", cite(TIAOLI, "第三十八条")),
    _outcome("unavailable.still_unclear", "无法提供（补正后申请内容仍不明确）", "unavailable.still_unclear", cite(TIAOLI, "第三十条")),
    _outcome("not_processed.petition", "不予处理（信访举报投诉类申请）", "not_processed.petition", cite(TIAOLI, "第三十九条第一款")),
    _outcome("not_processed.duplicate", "不予处理（重复申请）", "not_processed.duplicate", cite(TIAOLI, "第三十六条第（六）项")),
    _outcome("not_processed.publication", "不予处理（要求提供公开出版物）", "not_processed.publication", cite(TIAOLI, "第三十九条第二款")),
    _outcome("not_processed.excessive", "不予处理（无正当理由大量反复申请）", "not_processed.excessive", cite(TIAOLI, "第三十五条")),
    # No article names it; a disclosure request is one to obtain information (第二十七条: 申请获取相关政府信息),
    # and confirming or re-issuing what the applicant already holds is not obtaining it
    _outcome("not_processed.confirmation", "不予处理（要求行政机关确认或重新出具已获取信息）", "not_processed.confirmation",
             cite(TIAOLI, "第二十七条")),
    _outcome("other.no_correction", "其他处理（逾期不补正，不再处理）", "other.no_correction", cite(TIAOLI, "第三十条")),
    _outcome("other.unpaid_fee", "其他处理（逾期未缴纳信息处理费，不再处理）", "other.unpaid_fee", cite(TIAOLI, "第四十二条")),
    _outcome("other.special_procedure", "其他处理（工商、不动产登记资料等依其规定办理）", "other.other", cite(TIAOLI, "第三十六条第（七）项")),
    # What is asked for is not government information at all (a party committee's document, a
    # people's congress's): 第二条 defines government information, so the 条例 does not apply.
    # The 2021 format has no row of its own for it; its 其他处理 3.其他 takes every handling not
    # listed above, and is where it is counted (not 不予公开, which is a refusal under 第十四至十六条).
    _outcome("other.not_government_information", "其他处理（申请公开的信息不属于政府信息）", "other.other",
             cite(TIAOLI, "第二条")),
    _outcome("other.other", "其他处理", "other.other"),
    # 申请人撤回: recorded by `request withdraw`, no reply letter; the 2021 format counts it
    # under （六）其他处理 3.其他
    _outcome("other.withdrawn", "其他处理（申请人撤回申请）", "other.other", letter=False),
]
