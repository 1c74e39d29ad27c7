"""The reply letter (政府信息公开申请答复告知书), from the jurisdiction's templates.

Remedies follow outcomes.md: withholding under 条例 第十四至十六条, and any other refusal to
disclose the report counts as 不予公开 (``Outcome.withholds``), must go to reconsideration first (行政复议法 第二十三条第一款第（四）项), so the letter offers
no direct lawsuit; every other reply offers reconsideration within 60 days (行政复议法
第二十条) or a lawsuit within 6 months (行政诉讼法 第四十六条).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError
from gongkai.core.requests import clock, fees, intake
from gongkai.core.requests.models import Request
from gongkai.core.requests.reply import withheld_parts
from gongkai.hookspecs.records import Unit

FORMATS = ("docx", "pdf", "md", "html")
TIAOLI_TITLE = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_DAYS = 60  # 行政复议法 第二十条
LAWSUIT_MONTHS = 6  # 行政诉讼法 第四十六条
DEFAULT_PROVISION = "随本告知书一并提供"


def reconsideration_body(office: Any) -> str:
    body = office.config.reconsideration_body or office.registry.jurisdiction.reconsideration_body
    if not body:
        raise GongkaiError("未设置行政复议机关：请在 gongkai.toml 中填写 reconsideration_body（如“某某区人民政府”）。")
    return body


def remedies(withholds: bool, body: str) -> list[str]:
    """The remedies a letter states (outcomes.md, "Remedies stated in reply letters")."""
    reconsider = (
        f"如对本答复不服，可以自收到本告知书之日起{RECONSIDERATION_DAYS}日内向{body}申请行政复议"
        "（《中华人民共和国行政复议法》第二十条）"
    )
    if withholds:
        return [
            reconsider + "。",
            "依照《中华人民共和国行政复议法》第二十三条第一款第（四）项，对行政机关不予公开政府信息不服的，"
            "应当先向行政复议机关申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。",
        ]
    return [
        reconsider + "；",
        f"也可以自收到本告知书之日起{LAWSUIT_MONTHS}个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。",
    ]


def full_basis(text: str) -> str:
    """"条例 第三十六条" -> "《中华人民共和国政府信息公开条例》第三十六条"."""
    if text.startswith("条例"):
        return TIAOLI_TITLE + text[len("条例"):].strip()
    return text


def document_number(office: Any, year: int, serial: int, kind: str = "") -> str:
    """The 文号 "机关代字〔年份〕序号号" (GB/T 9704-2012 7.2.4): the unit's ``letter_prefix``, then
    ``kind`` (one character per kind of notice, so no two documents share a number)."""
    return f"{office.config.letter_prefix}{kind}〔{year}〕{serial}号"


def letter_layout(office: Any) -> Any:
    """The 公文 layout with the unit's fonts (``[fonts]`` in gongkai.toml)."""
    import attrs

    from gongkai.core import word

    return attrs.evolve(word.LETTER, fonts=word.fonts(office.config))


def template_name(outcome: Any) -> str:
    return outcome.template or f"letters/{outcome.code}.md.j2"


def context(session: Session, office: Any, request: Request) -> dict[str, Any]:
    if not request.outcome or not request.replied_on:
        raise GongkaiError(f"申请 {request.id} 尚未答复，不能生成答复告知书。请先用 `gongkai request reply` 答复。")
    outcome = office.registry.outcome(request.outcome)
    if not office.config.unit:
        raise GongkaiError("未设置单位名称：请在 gongkai.toml 中填写 unit（落款单位）。")
    correction = clock.correction_of(session, request.id)
    extensions = clock.extensions_of(session, request.id)
    extension = ""
    if extensions:
        extension = f"{sum(e.amount for e in extensions)}{Unit(extensions[0].unit).label}"
    fee = ""
    if request.fee_amount:
        fee = f"{fees.METHODS[request.fee_method]} {request.fee_amount} 元"
    return {
        "unit": office.config.unit,
        "jurisdiction": office.registry.jurisdiction.display_name,
        "number": document_number(office, request.replied_on.year, request.id),
        "applicant": {"name": request.applicant_name, "contact": request.applicant_contact},
        "channel": intake.channel_code(office.registry, request.channel).name,
        "received": request.received,
        "corrected_on": correction.corrected_on if correction else None,
        "extension": extension,
        "subject": request.subject,
        "form_wanted": request.form_wanted,
        "outcome": outcome.code,
        "outcome_name": outcome.name,
        "reasons": request.reasons,
        "legal_basis": full_basis(request.legal_basis or (str(outcome.basis) if outcome.basis else "")),
        "provision": request.provision or DEFAULT_PROVISION,
        "withheld": withheld_parts(request),
        "other_agency": {"name": request.other_agency, "contact": request.other_agency_contact},
        "fee": fee,
        "remedies": remedies(outcome.withholds, reconsideration_body(office)),
        "reconsideration_body": reconsideration_body(office),
        "replied_on": request.replied_on,
    }


def render_letter(session: Session, office: Any, request: Request) -> str:
    from gongkai.core.render import render

    outcome = office.registry.outcome(request.outcome or "")
    return render(office.registry.template_dirs, template_name(outcome), context(session, office, request))


def write_letter(session: Session, office: Any, request: Request, fmt: str, out: Path) -> Path:
    from gongkai.core.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"格式“{fmt}”无效（--format），可选：{'、'.join(FORMATS)}。")
    text = render_letter(session, office, request)
    return write_output(text, fmt, out, title=f"政府信息公开申请答复告知书 {request.applicant_name}",
                        layout=letter_layout(office))
