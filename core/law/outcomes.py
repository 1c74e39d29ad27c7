"""Request outcomes, applicant types and the annual-report rows they count in.

The rows and columns are those of 《中华人民共和国政府信息公开工作年度报告格式》
(国办公开办函〔2021〕30号), section 三. Outcome *records* come from plugins through
``gongkai_outcomes`` (the national ones from ``gongkai.core.law.national``); the rows and
columns here are fixed by the national format and no plugin changes them.
"""

from __future__ import annotations

from typing import NamedTuple


class ReportRow(NamedTuple):
    code: str
    label: str  # the exact label of the format
    group: str  # the format's group heading, e.g. "（三）不予公开"


# Section 三, 三、本年度办理结果, in the format's order.
RESULT_ROWS: tuple[ReportRow, ...] = (
    ReportRow("disclosed", "（一）予以公开", ""),
    ReportRow("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ReportRow("withheld.state_secret", "1.属于国家秘密", "（三）不予公开"),
    ReportRow("withheld.law_prohibited", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ReportRow("withheld.security_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    ReportRow("withheld.third_party", "4.保护第三方合法权益", "（三）不予公开"),
    ReportRow("withheld.internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ReportRow("withheld.process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ReportRow("withheld.enforcement_file", "7.属于行政执法案卷", "（三）不予公开"),
    ReportRow("withheld.administrative_query", "8.属于行政查询事项", "（三）不予公开"),
    ReportRow("unavailable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ReportRow("unavailable.needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ReportRow("unavailable.still_unclear", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ReportRow("not_processed.petition", "1.信访举报投诉类申请", "（五）不予处理"),
    ReportRow("not_processed.duplicate", "2.重复申请", "（五）不予处理"),
    ReportRow("not_processed.publication", "3.要求提供公开出版物", "（五）不予处理"),
    ReportRow("not_processed.excessive", "4.无正当理由大量反复申请", "（五）不予处理"),
    ReportRow(
        "not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"
    ),
    ReportRow(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    ReportRow(
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    ReportRow("other.other", "3.其他", "（六）其他处理"),
)

REPORT_ROWS: dict[str, ReportRow] = {row.code: row for row in RESULT_ROWS}


class ApplicantType(NamedTuple):
    code: str
    label: str
    group: str


# The report's columns (section 三), in order; the format adds 总计.
APPLICANT_TYPES: tuple[ApplicantType, ...] = (
    ApplicantType("natural_person", "自然人", ""),
    ApplicantType("commercial", "商业企业", "法人或其他组织"),
    ApplicantType("research", "科研机构", "法人或其他组织"),
    ApplicantType("public_interest", "社会公益组织", "法人或其他组织"),
    ApplicantType("legal_services", "法律服务机构", "法人或其他组织"),
    ApplicantType("other", "其他", "法人或其他组织"),
)

APPLICANT_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in APPLICANT_TYPES)
