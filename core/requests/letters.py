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
from gongkai.core.requests import clock, fees, intake, tracks
from gongkai.core.requests.models import Request
from gongkai.core.requests.reply import REPLY_FIELDS, series_of, withheld_parts
from gongkai.hookspecs.records import Unit

FORMATS = ("docx", "pdf", "md", "html")
TIAOLI_TITLE = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_DAYS = 60  # 行政复议法 第二十条
LAWSUIT_MONTHS = 6  # 行政诉讼法 第四十六条
TITLE = "政府信息公开申请答复告知书"
DEFAULT_PROVISION = "随本告知书一并提供"


def reconsideration_body(office: Any) -> str:
    body = office.unit.reconsideration_body or office.registry.jurisdiction.reconsideration_body
    if not body:
        raise GongkaiError("未设置行政复议机关：请在 gongkai.toml 中填写 reconsideration_body（如“某某区人民政府”），区级服务器用 `gongkai unit edit 代码 --reconsideration-body 机关`。")
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
    return f"{office.unit.letter_prefix}{kind}〔{year}〕{serial}号"


def letter_layout(office: Any) -> Any:
    """The 公文 layout with the unit's fonts (``[fonts]`` in gongkai.toml)."""
    import attrs

    from gongkai.core.paperwork import word
    return attrs.evolve(word.LETTER, fonts=word.fonts(office.config))


def template_name(outcome: Any) -> str:
    return outcome.template or f"letters/{outcome.code}.md.j2"


def supersedes(office: Any, prior: Any) -> dict[str, Any]:
    """What a letter replaces: the earlier reply's date and outcome, and why (a correction's reason)."""
    return {"kind": prior.superseded_by, "replied_on": prior.amended_on or prior.replied_on,
            "outcome_name": office.registry.outcome(prior.outcome).name, "reason": prior.reason}


def context(session: Session, office: Any, request: Request, prior: int | None = None) -> dict[str, Any]:
    """The letter's variables: of the reply in force, or of the ``prior``-th earlier reply (1 = the first)."""
    from gongkai.core.requests.amend import prior_replies

    priors = prior_replies(session, request.id)
    if prior is not None:
        if not 1 <= prior <= len(priors):
            have = f"共有 {len(priors)} 份" if priors else "没有"
            raise GongkaiError(f"申请 {request.id} {have}已被更正或重新答复的答复（--prior 应为 1 至 {max(len(priors), 1)}）。")
        replaced = priors[prior - 2] if prior > 1 else None
        request = as_issued(request, priors[prior - 1])
    else:
        replaced = priors[-1] if priors else None
    if not request.outcome or not request.replied_on:
        raise GongkaiError(f"申请 {request.id} 尚未答复，不能生成答复告知书。请先用 `gongkai request reply` 答复。")
    outcome = office.registry.outcome(request.outcome)
    if not outcome.letter:
        raise GongkaiError(f"申请 {request.id} 的办理结果为“{outcome.name}”，不出具答复告知书。")
    track = tracks.track_of(office.registry, request.track)
    if not office.unit.name:
        raise GongkaiError("未设置单位名称：请在 gongkai.toml 中填写 unit（落款单位），区级服务器用 `gongkai unit edit 代码 --name 全称`。")
    correction = clock.correction_of(session, request.id)
    extensions = clock.extensions_of(session, request.id)
    extension = ""
    if extensions:
        extension = f"{sum(e.amount for e in extensions)}{Unit(extensions[0].unit).label}"
    fee = ""
    if request.fee_amount:
        fee = f"{fees.METHODS[request.fee_method]} {request.fee_amount} 元"
    from gongkai.core.paperwork.render import literal

    # what people typed is text in the letter, never markup (paperwork.render.literal)
    return {
        "unit": office.unit.name,
        "jurisdiction": office.registry.jurisdiction.display_name,
        "number": document_number(office, (request.amended_on or request.replied_on).year, letter_serial(request),
                                  series_of(replaced)),
        "ref": literal(request.ref),  # the unit's own reference of the request
        "applicant": literal({"name": request.applicant_name, "contact": request.applicant_contact}),
        "channel": intake.channel_code(office.registry, request.channel).name,
        "received": request.received,
        "corrected_on": correction.corrected_on if correction else None,
        "extension": extension,
        "subject": literal(request.subject),
        "form_wanted": literal(request.form_wanted),
        "outcome": outcome.code,
        "outcome_name": outcome.name,
        "reasons": literal(request.reasons),
        "legal_basis": literal(full_basis(request.legal_basis or (str(outcome.basis) if outcome.basis else ""))),
        "provision": literal(request.provision) or DEFAULT_PROVISION,
        "withheld": literal(withheld_parts(request)),
        "other_agency": literal({"name": request.other_agency, "contact": request.other_agency_contact}),
        "fee": fee,
        "title": track.letter_title if track else TITLE,
        # another track's route (五原县 党务公开: 上级主管部门 or 纪检机关), never 行政复议/行政诉讼
        "remedies": [track.remedy] if track else remedies(outcome.withholds, reconsideration_body(office)),
        "reconsideration_body": "" if track else reconsideration_body(office),
        "replied_on": request.amended_on or request.replied_on,
        # the reply this letter replaces (更正答复, 重新答复), or None
        "supersedes": literal(supersedes(office, replaced)) if replaced else None,
    }


def as_issued(request: Request, prior: Any) -> Request:
    """A detached copy of the request holding an earlier reply, for printing that letter again."""
    copy = Request(**request.model_dump())
    for f in (*REPLY_FIELDS, "letter_serial"):
        setattr(copy, f, getattr(prior, f))
    return copy


def letter_serial(request: Request) -> int:
    """The N of the reply letter's 文号: the unit's serial for the year (core.units.numbering); a
    reply imported from another system's ledger has none, and is known by its id as before."""
    return request.letter_serial if request.letter_serial is not None else request.id


def render_letter(session: Session, office: Any, request: Request, prior: int | None = None) -> str:
    from gongkai.core.paperwork.render import render

    data = context(session, office, request, prior)
    return render(office.registry.template_dirs, template_name(office.registry.outcome(data["outcome"])), data)


def draft_html(session: Session, office: Any, request: Request, proposal: dict[str, Any], on: Any) -> str:
    """The letter the ``proposal`` would make if replied ``on``, as HTML, for the reviewers to
    read when they sign (its 文号 is given at the reply: shown as 〔年份〕×号)."""
    import json

    from gongkai.core.paperwork.render import markdown_to_html, plain_text, render

    draft = Request(**request.model_dump())
    outcome = office.registry.outcome(proposal["outcome"])
    draft.outcome, draft.replied_on, draft.amended_on = proposal["outcome"], on, None
    correcting = request.replied_on is not None and request.outcome
    if correcting:  # a corrected reply: a new letter dated ``on``
        draft.replied_on, draft.amended_on = request.replied_on, on
    draft.reasons = proposal["reasons"] or outcome.name
    draft.withheld_parts = json.dumps(proposal["withheld"], ensure_ascii=False)
    draft.other_agency, draft.other_agency_contact = proposal["agency"], proposal["agency_contact"]
    draft.letter_serial = 0
    data = context(session, office, draft)
    if correcting:
        data["supersedes"] = {"kind": "amend", "replied_on": request.amended_on or request.replied_on,
                              "outcome_name": office.registry.outcome(request.outcome).name,
                              "reason": "（更正理由在作出更正答复时写明）"}
        data["number"] = document_number(office, on.year, 0, "更")
    data["number"] = data["number"].replace("〕0号", "〕×号")
    text = render(office.registry.template_dirs, template_name(outcome), data)
    return markdown_to_html(plain_text(text, html=True), f"{TITLE}（草稿）")


def write_letter(session: Session, office: Any, request: Request, fmt: str, out: Path, prior: int | None = None) -> Path:
    from gongkai.core.paperwork.render import write_output

    if fmt not in FORMATS:
        raise GongkaiError(f"格式“{fmt}”无效（--format），可选：{'、'.join(FORMATS)}。")
    text = render_letter(session, office, request, prior)
    track = tracks.track_of(office.registry, request.track)
    title = track.letter_title if track else TITLE
    return write_output(text, fmt, out, title=f"{title} {request.applicant_name}",
                        layout=letter_layout(office))
