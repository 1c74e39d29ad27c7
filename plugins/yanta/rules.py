"""雁塔区的规则，每条注明出处。

"实施方案" below is 《雁塔区全面推进政务公开工作实施方案》 (yanta-plan.txt). Its tasks are
numbered 1、 to 41、 straight through the sections; citations give them as "第N项".
"条例" is 《中华人民共和国政府信息公开条例》, for the reply period the plan leaves as it is.
"""

from gongkai.hookspecs.records import (
    Attribute,
    DeadlineRule,
    DocumentAttributes,
    InterpretationRule,
    Provision,
    RecurringDuty,
    cite,
)

PLAN = "实施方案"
PLAN_TITLE = "雁塔区全面推进政务公开工作实施方案"
TIAOLI = "条例"

DEADLINES = [
    DeadlineRule(
        id="proactive.publish",
        summary="公文确定属于主动公开的，应在成文后3个工作日内向社会公开",
        citation=cite(PLAN, "第6项"),
        unit="working_days",
        amount=3,
    ),
    DeadlineRule(
        id="request.reply",
        summary="依申请公开按《条例》答复：能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复"
        "（实施方案未另定期限）",
        citation=cite(TIAOLI, "第三十三条第二款"),
        unit="working_days",
        amount=20,
        pausable=True,
        restarts=True,
    ),
    DeadlineRule(
        id="opinion.major_incident",
        summary="涉及本部门的特别重大、重大突发事件的政务舆情，要快速反应，最迟在5小时内发布权威信息",
        citation=cite(PLAN, "第24项"),
        unit="hours",
        amount=5,
    ),
    DeadlineRule(
        id="opinion.major_incident.press_conference",
        summary="涉及本部门的特别重大、重大突发事件的政务舆情，在24小时内举行新闻发布会",
        citation=cite(PLAN, "第24项"),
        unit="hours",
        amount=24,
    ),
]

PROVISIONS = [
    # 立法法 第九十三条: 地方政府规章 are made by 省、自治区、直辖市和设区的市、自治州的人民政府;
    # 雁塔区 and its departments make none (its texts' interpretation scope names none either).
    Provision(
        id="document.kinds_not_made",
        summary="雁塔区及其所属部门不制定规章（规章由设区的市、自治州以上人民政府和国务院部门制定）",
        citation=cite("立法法", "第九十三条"),
        options=("规章",),
    ),
    DocumentAttributes(
        id="document.attribute",
        summary="拟制公文时明确主动公开、依申请公开、不予公开等属性，随文一并报批；拟不予公开的，要依法依规说明理由，"
        "报批前送本单位政务公开机构审查；代拟稿或上报发文请示未说明公开属性或未依法说明不公开理由的，区政府办公室可按规定退文",
        citation=cite(PLAN, "第6项"),
        attributes=[
            Attribute(code="proactive", name="主动公开"),
            Attribute(code="on_request", name="依申请公开"),
            Attribute(code="withheld", name="不予公开", needs_reason=True, needs_approval_by="本单位政务公开机构"),
        ],
        on_missing="退文",
    ),
    InterpretationRule(
        id="policy.interpretation",
        summary="制定出台重大政策措施时，起草部门要同步制定解读方案一并报审，做到发布、解读、回应三联动",
        citation=cite(PLAN, "第25项"),
        options=("发布", "解读", "回应"),
        major_policy=True,
        material="解读方案",
    ),
    RecurringDuty(
        id="report.work_report_progress",
        summary="对政府工作报告每半年公布1次落实情况",
        citation=cite(PLAN, "第19项"),
        period="half_year",
        times=1,
        what="政府工作报告落实情况公布",
        borne_by=("government",),  # 区政府办牵头
    ),
    RecurringDuty(
        id="duty.training",
        summary="制定专门培训计划，每年对全区政务公开工作人员进行1次业务培训",
        citation=cite(PLAN, "第37项"),
        period="year",
        times=1,
        what="政务公开工作人员业务培训",
    ),
    RecurringDuty(
        id="duty.inspection",
        summary="区政府政务公开部门每年至少开展1次专项督查",
        citation=cite(PLAN, "第38项"),
        period="year",
        times=1,
        what="政务公开专项督查",
        borne_by=("government",),  # 区政府政务公开部门
    ),
    RecurringDuty(
        id="duty.progress_report",
        summary="各牵头单位每三个月向市政务公开办报告1次工作进展情况",
        citation=cite(PLAN, "第38项"),
        period="quarter",
        times=1,
        what="向市政务公开办报告工作进展",
    ),
    RecurringDuty(
        id="duty.website_check",
        summary="加强对政府网站和其他信息公开平台发布政务信息的监管，每年开展2次专项检查",
        citation=cite(PLAN, "第41项"),
        period="year",
        times=2,
        what="政府网站及信息公开平台专项检查",
        unit_flag="保密行政管理部门",  # 区保密局牵头落实
    ),
    RecurringDuty(
        id="duty.press_conference",
        summary="与宏观经济和社会民生关系密切以及社会关注事项较多的政府部门，主要负责同志每年应参加一次新闻发布会",
        citation=cite(PLAN, "第26项"),
        period="year",
        times=1,
        what="主要负责同志参加新闻发布会",
        borne_by=("department",),
        unit_flag="与宏观经济和社会民生关系密切以及社会关注事项较多",
    ),
    RecurringDuty(
        id="duty.work_report_hearing",
        summary="主要负责人每年至少听取1次政务公开工作汇报，研究推动工作",
        citation=cite(PLAN, "第33项"),
        period="year",
        times=1,
        what="主要负责人听取政务公开工作汇报",
    ),
]
