"""The evidence bundle of an appeal (证据材料): the 证据目录 and one PDF of every item in order,
numbered through, with a manifest of each item's SHA-256 and the unit's chain head.

Every item is made from the records (its Markdown, printed in the letters' layout) or, for an
item a unit stores as a file, from that file's bytes; the manifest's hash is of that source, so
:func:`check` makes each item again from the records and names the one that no longer matches.
Items come from :data:`PROVIDERS`, one list per section in the bundle's order: another module
(a unit's stored scans of the application, proofs of delivery) adds its own with :func:`provide`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
from sqlmodel import Session, select

from gongkai.core.errors import GongkaiError
from gongkai.core.records.chain import head
from gongkai.core.records.storage import Event
from gongkai.core.requests import appeals, clock, intake, letters, notices, workflow
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.today import BEIJING

MANIFEST_VERSION = 1
SELF = "本机关"


@attrs.frozen
class Item:
    """One piece of evidence: what the catalogue says of it, and its source (Markdown from the
    records, a PDF's bytes, or a stored file: a PDF as it is, an image made a page)."""

    key: str  # stable within the request: what the manifest names it by
    name: str
    source: str
    date: dt.date | None
    purpose: str
    text: str = ""
    pdf: bytes | None = None
    # a stored file's bytes as attached (its PDF is ``pdf``, an image made a page): what is hashed
    stored: bytes | None = None

    @property
    def sha256(self) -> str:
        if self.stored is not None:
            return hashlib.sha256(self.stored).hexdigest()
        return hashlib.sha256(self.pdf if self.pdf is not None else self.text.encode("utf-8")).hexdigest()


Provider = Callable[[Session, Any, Request, Any, int], list[Item]]  # (session, office, request, appeal, up to seq)

SECTIONS = ("application", "receipt", "notices", "approval", "letters", "delivery", "outcomes", "timeline")
PROVIDERS: dict[str, list[Provider]] = {section: [] for section in SECTIONS}


def provide(section: str, provider: Provider) -> Provider:
    """Add ``provider``'s items to ``section`` (after those already there)."""
    PROVIDERS[section].append(provider)
    return provider


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _application(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    channel = intake.channel_code(office.registry, req.channel).name
    lines = ["# 政府信息公开申请登记表", "", f"申请人：{req.applicant_name}", "",
             f"提交方式：{channel}", "", f"提交日期：{_cn(req.submitted)}", ""]
    if req.confirmed:
        lines += [f"双方确认日期：{_cn(req.confirmed)}", ""]
    lines += [f"收到申请日期：{_cn(req.received)}", "", f"申请内容：{req.subject}", ""]
    if req.form_wanted:
        lines += [f"获取信息的方式：{req.form_wanted}", ""]
    if req.ref:
        lines += [f"本单位编号：{req.ref}", ""]
    return [Item("application", "政府信息公开申请登记表", f"申请人提出，{SELF}登记", req.received,
                 f"证明申请人于{_cn(req.received)}提出政府信息公开申请及其申请内容", "\n".join(lines))]


def _notice(session: Session, office: Any, req: Request, kind: str, options: dict[str, Any]) -> str:
    return notices.render_notice(session, office, req, kind, options)


def _receipt(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    if req.track != "government":
        return []
    text = _notice(session, office, req, "receipt", {})
    return [Item("receipt", notices.KINDS["receipt"].title, SELF, req.received,
                 f"证明本机关收到申请的日期为{_cn(req.received)}及答复期限", text)]


NOT_RECORDED = "（告知书所载事项未在本系统登记，以原件为准）"


def _notices(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    out = []
    correction = clock.correction_of(session, req.id)
    if correction is not None:
        text = _notice(session, office, req, "correction", {"what": NOT_RECORDED})
        out.append(Item("notice.correction", notices.KINDS["correction"].title, SELF, correction.notice_on,
                        f"证明本机关于{_cn(correction.notice_on)}一次性告知申请人补正", text))
    extensions = clock.extensions_of(session, req.id)
    if extensions:
        last = extensions[-1]
        text = _notice(session, office, req, "extension", {})
        out.append(Item("notice.extension", notices.KINDS["extension"].title, SELF, last.applicant_told_on or last.approved_on,
                        "证明延长答复期限经批准并告知申请人", text))
    for n, pause in enumerate(p for p in clock.pauses_of(session, req.id) if p.reason == "third_party"):
        text = _notice(session, office, req, "third_party_opinion", {"on": pause.start, "to": NOT_RECORDED})
        out.append(Item(f"notice.third_party.{n + 1}", notices.KINDS["third_party_opinion"].title, SELF, pause.start,
                        "证明本机关书面征求第三方意见，所需时间不计算在答复期限内", text))
    return sorted(out, key=lambda item: item.date or dt.date.max)  # in the order they went out


def _approval(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    from gongkai.core.requests import ledger

    steps = [s for s in ledger.show(session, office, req)["review_steps"] if s["done"]]
    if not steps:
        return []
    lines = ["# 政府信息公开申请答复审批表", "", f"申请人：{req.applicant_name}", "",
             f"收到申请日期：{_cn(req.received)}", "", f"申请内容：{req.subject}", "",
             "| 审核步骤 | 审核人 | 意见 | 日期 |", "| --- | --- | --- | --- |"]
    for s in steps:
        lines.append(f"| {s['name']} | {s['by']} | 同意 | {_cn(dt.date.fromisoformat(s['on'])) if s['on'] else ''} |")
    if req.proposed_outcome or req.outcome:
        outcome = office.registry.outcome(req.outcome or req.proposed_outcome)
        lines += ["", f"拟答复：{outcome.name}", "", f"理由：{req.reasons}" if req.reasons else ""]
    last = max((dt.date.fromisoformat(s["on"]) for s in steps if s["on"]), default=None)
    return [Item("approval", "政府信息公开申请答复审批表", SELF, last,
                 "证明答复经" + "、".join(s["name"] for s in steps) + "审核签批", "\n".join(lines))]


def _letters(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    from gongkai.core.requests.amend import prior_replies

    out = []
    priors = prior_replies(session, req.id)
    for k, prior in enumerate(priors, start=1):
        day = prior.amended_on or prior.replied_on
        out.append(Item(f"letter.prior.{k}", f"政府信息公开申请答复告知书（原答复第{k}份）", SELF, day,
                        "证明本机关原答复的内容", letters.render_letter(session, office, req, k)))
    if req.replied_on and req.outcome and office.registry.outcome(req.outcome).letter:
        day = req.amended_on or req.replied_on
        out.append(Item("letter", "政府信息公开申请答复告知书", SELF, day,
                        f"证明本机关于{_cn(day)}作出答复及其理由、依据和救济途径告知",
                        letters.render_letter(session, office, req)))
    return out


def _timeline(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    events = _events(session, req, upto)
    lines = ["# 办理过程记录（事件日志）", "", f"申请人：{req.applicant_name}；申请内容：{req.subject}", "",
             "时间为北京时间；每条记录在本机关事件日志的哈希链上（序号即链上位置）。", "",
             "| 序号 | 时间 | 事项 | 经办人 |", "| --- | --- | --- | --- |"]
    names = {"receive": "登记申请", "import": "导入申请", "reveal": "查看完整证件号码和联系方式",
             "sealed": "加封", **workflow.EVENT_NAMES}
    for e in events:
        at = e.at.replace(tzinfo=dt.timezone.utc) if e.at.tzinfo is None else e.at
        lines.append(f"| {e.seq} | {at.astimezone(BEIJING):%Y-%m-%d %H:%M:%S} | {names.get(e.action, e.action)} | {e.actor} |")
    last = events[-1].at.astimezone(BEIJING).date() if events else None
    return [Item("timeline", "办理过程记录（事件日志，北京时间）", "本机关政府信息公开系统", last,
                 "证明申请办理各环节的时间和经办人", "\n".join(lines))]


def _events(session: Session, req: Request, upto: int) -> list[Any]:
    return list(session.exec(select(Event).where(Event.subject_kind == OWNER, Event.subject_id == req.id,
                                                 Event.seq != None, Event.seq <= upto)  # noqa: E711
                             .order_by(Event.seq)).all())


APPEAL_ROWS = (("kind", "类别"), ("filed_on", "提起日期"), ("copy_received", "收到副本日期"), ("answer_due", "答复（答辩）期限"),
               ("answered_on", "提交答复（答辩）日期"), ("hearing_on", "开庭日期"), ("head_appeared", "负责人出庭应诉"),
               ("result", "结果"), ("decided_on", "收到决定书或判决书日期"), ("registered_on", "登记被纠正答复日期"))


def _outcomes(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    """The request's appeals and their results as the log tells them up to the bundle's chain head,
    and a new answer a 纠正 ordered (its period and due day): shown once an appeal is decided."""
    found: dict[Any, dict[str, Any]] = {}
    reanswers = []
    for e in _events(session, req, upto):
        after = json.loads(e.after or "{}")
        if e.action in ("appeal", "appeal_copy", "appeal_answered", "appeal_hearing") and "appeal" in after:
            found.setdefault(after["appeal"], {}).update({k: v for k, v in after.items() if k not in ("state", "version")})
        elif e.action == "register_overturned":
            for one in found.values():
                if one.get("result") in appeals.OVERTURNING and not one.get("registered_on"):
                    one["registered_on"] = after.get("on")
        elif e.action == "reanswer":
            reanswers.append(after)
    decided = [a for a in found.values() if a.get("result") not in (None, "尚未审结")]
    if not decided:
        return []
    lines = ["# 行政复议、行政诉讼及其结果记录", "", f"申请人：{req.applicant_name}；申请内容：{req.subject}", ""]
    for n, one in enumerate(found.values(), start=1):
        lines += [f"## {n}. {appeals.KINDS.get(one.get('kind'), '')}", "", "| 项目 | 内容 |", "| --- | --- |"]
        for key, name in APPEAL_ROWS:
            value = one.get(key)
            if key == "kind" or value is None or value == "":
                continue
            if key == "head_appeared":
                value = "是" if value else "否"
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
                value = _cn(dt.date.fromisoformat(value))
            lines.append(f"| {name} | {value} |")
        lines.append("")
    for r in reanswers:
        start = dt.date.fromisoformat(r["period_start"]) if r.get("period_start") else None
        due = office.calendar.add_working_days(start, r["reanswer_days"]) if start and r.get("reanswer_days") else None
        lines += [f"重新答复：自{_cn(start)}起{r.get('reanswer_days')}个工作日内重新答复（条例 第三十三条），期限至{_cn(due)}。", ""]
    last = max((dt.date.fromisoformat(a["decided_on"]) for a in decided if a.get("decided_on")), default=None)
    return [Item("outcomes", "行政复议、行政诉讼及其结果记录", SELF, last,
                 "证明复议、诉讼的经过和结果" + ("及纠正后重新答复的期限" if reanswers else ""), "\n".join(lines))]


def image_pdf(data: bytes) -> bytes:
    """A scanned image (JPEG, PNG) as one A4 page, fitted within the margins."""
    import io

    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_margin(0)
    pdf.add_page()
    pdf.image(io.BytesIO(data), x=15, y=15, w=180, h=267, keep_aspect_ratio=True)
    return bytes(pdf.output())


def _attached(session: Session, req: Request, upto: int, kind: str) -> list[Any]:
    """The request's stored files of ``kind`` attached by event ``upto`` (those of its online
    application were filed before the request was)."""
    from gongkai.core.attachments import store
    from gongkai.core.requests import online

    logged = set()
    for e in _events(session, req, upto):
        if e.action == "attach":
            logged.add(json.loads(e.after or "{}").get("attachment", {}).get("id"))
    rows = [r for r in store.of(session, OWNER, req.id) if r.id in logged]
    application = online.of_request(session, req.id)
    if application is not None:
        rows = store.of(session, online.KIND, application.id) + rows
    return [r for r in rows if r.kind == kind]


def _file_items(session: Session, req: Request, upto: int, kind: str, name: str, source: str,
                purpose: str) -> list[Item]:
    from gongkai.core.attachments import store

    out = []
    for row in _attached(session, req, upto, kind):
        data = b"".join(store.read(session, row))
        if row.media_type == "application/pdf":
            pdf: bytes | None = data
        elif row.media_type.startswith("image/"):
            pdf = None  # made a page when the bundle is written (a check needs only the hash)
        else:  # a Word file is no evidence as it is: the unit attaches its signed scan
            continue
        out.append(Item(f"file.{row.id}", f"{name}（{row.file_name}）", source, row.added_on, purpose,
                        pdf=pdf, stored=data))
    return out


def _application_files(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    return _file_items(session, req, upto, "application", "申请材料", "申请人提交",
                       "证明申请人提交的申请材料")


def _letter_originals(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    return _file_items(session, req, upto, "notice", "告知书原件", SELF, "证明本机关作出并签发的告知书原件")


def deliveries(session: Session, req: Request, upto: int) -> list[Any]:
    """The request's deliveries logged by event ``upto`` (rows and events both in order)."""
    from gongkai.core.requests import delivery

    logged = sum(1 for e in _events(session, req, upto) if e.action == "deliver")
    return delivery.of(session, req.id)[:logged]


def _delivery(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    """送达记录: each letter's delivery, and the remedies' last days a reply's delivery starts."""
    from gongkai.core.requests import delivery

    rows = deliveries(session, req, upto)
    out = []
    if rows:
        lines = ["# 送达记录", "", f"申请人：{req.applicant_name}；申请内容：{req.subject}", "",
                 "| 文书 | 送达方式 | 送达日期 | 邮件号码 |", "| --- | --- | --- | --- |"]
        for d in rows:
            lines.append(f"| {delivery.letter_name(d.letter)} | {delivery.HOWS.get(d.how, d.how)} | {_cn(d.on)} | {d.tracking} |")
        for d in rows:
            if d.letter == "reply":
                r = delivery.remedies(office, d.on)
                lines += ["", f"答复书于{_cn(d.on)}送达：申请行政复议的期限至{_cn(dt.date.fromisoformat(r['reconsideration_until']))}"
                              f"（{r['reconsideration_citation']}），提起行政诉讼的期限至"
                              f"{_cn(dt.date.fromisoformat(r['lawsuit_until']))}（{r['lawsuit_citation']}）。"]
        out.append(Item("delivery", "送达记录", SELF, rows[-1].on,
                        "证明各项文书送达申请人的日期和方式及救济期限的起算", "\n".join(lines)))
    out += _file_items(session, req, upto, "delivery_proof", "送达证明", SELF, "证明文书已送达申请人")
    return out


for _section, _provider in (("application", _application), ("application", _application_files),
                            ("receipt", _receipt), ("notices", _notices),
                            ("approval", _approval), ("letters", _letters), ("letters", _letter_originals),
                            ("delivery", _delivery), ("outcomes", _outcomes), ("timeline", _timeline)):
    provide(_section, _provider)


def items(session: Session, office: Any, req: Request, appeal: Any, upto: int) -> list[Item]:
    """Every item of the bundle, in order, as the records hold them up to event ``upto``."""
    return [item for section in SECTIONS for provider in PROVIDERS[section]
            for item in provider(session, office, req, appeal, upto)]


HEADING = ("序号", "证据名称", "来源", "日期", "页码", "证明目的")
# mm across the 156 mm type area; 日期 holds "2025年12月28日" (27.3 mm in 五号) and the cell's
# margins on one line, "日" not wrapped
WIDTHS = (10, 36, 22, 32, 14, 42)


def _rows(chosen: list[Item], starts: list[int], counts: list[int]) -> list[tuple[str, ...]]:
    return [(str(n), item.name, item.source, _cn(item.date), f"{start}-{start + count - 1}" if count > 1 else str(start),
             item.purpose) for n, (item, start, count) in enumerate(zip(chosen, starts, counts), start=1)]


def build(session: Session, office: Any, req: Request, appeal_id: int | None, out: Any) -> dict[str, Any]:
    """Write the bundle to ``out`` (a folder, or a file ending .pdf; a path or a safe_write Target);
    returns the manifest."""
    from gongkai.core.paperwork import bundle, word
    from gongkai.core.paperwork.pdf import convert
    from gongkai.core.paperwork.safe_write import as_target, check_target, write_file
    from gongkai.core.paperwork.signing import settings, sign

    appeal = appeals.pick(session, req, appeal_id)
    target = as_target(out)
    folder = None if Path(target.path).suffix.lower() == ".pdf" else Path(target.path)
    pdf_path = target if folder is None else target.child("证据材料.pdf")
    if target.to_stdout:
        raise GongkaiError("证据材料请写入文件夹或 .pdf 文件（--out），不能写到标准输出。")
    check_target(pdf_path)
    chain = head(session)
    chosen = items(session, office, req, appeal, chain["length"])
    layout = attrs.evolve(letters.letter_layout(office), page_numbers=False)
    with tempfile.TemporaryDirectory(prefix="gongkai-evidence-") as tmp:
        sources = []
        for n, item in enumerate(chosen):
            if item.pdf is None and item.stored is None:
                sources.append(word.write_docx(item.text, Path(tmp) / f"{n:03d}.docx", item.name, layout))
        printed = iter(p.read_bytes() for p in (convert(sources, Path(tmp) / "pdf", layout.fonts) if sources else []))
        parts = [item.pdf if item.pdf is not None else image_pdf(item.stored) if item.stored is not None
                 else next(printed) for item in chosen]
    counts = bundle.page_counts(parts)
    title = f"{TITLES[appeal.kind]}证据目录"

    def starts_at(length: int) -> list[int]:
        return [length + 1 + sum(counts[:i]) for i in range(len(counts))]

    numbered, length = bundle.front(title, HEADING, lambda length: _rows(chosen, starts_at(length), counts), WIDTHS,
                                    _note(office, req, appeal), sum(counts))
    starts = starts_at(length)
    manifest = {
        "version": MANIFEST_VERSION, "kind": "gongkai.evidence", "request": req.id, "ref": req.ref,
        "appeal": appeal.id, "appeal_kind": appeal.kind, "unit": office.unit.name,
        "chain_head": chain["head"], "catalogue_pages": length,
        "items": [{"number": n, "key": item.key, "name": item.name, "source": item.source,
                   "date": item.date.isoformat() if item.date else None, "purpose": item.purpose,
                   "start": start, "pages": count, "sha256": item.sha256}
                  for n, (item, start, count) in enumerate(zip(chosen, starts, counts), start=1)],
    }
    data = bundle.assemble(numbered, length, parts)
    manifest["pages"] = length + sum(counts)
    for entry in manifest["items"]:  # what each item's pages read: a page changed in the file differs
        entry["pages_text_sha256"] = text_digest(bundle.pages_text(data, entry["start"], entry["pages"]))
    data = bundle.attach(data, _dumps(manifest))
    signing = settings(office.config)
    if signing is not None:  # PAdES, over the whole file with its manifest
        data = sign(data, signing, f"{office.unit.name}{TITLES[appeal.kind]}证据材料")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    written = write_file(pdf_path, data)
    manifest["bundle"] = {"file": written.name, "sha256": hashlib.sha256(data).hexdigest(), "signed": signing is not None}
    if folder is not None:
        write_file(target.child("manifest.json"), _dumps(manifest))
    return manifest


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


TITLES = {"reconsideration": "行政复议", "lawsuit": "行政诉讼", "lawsuit_after_reconsideration": "行政诉讼"}


def _note(office: Any, req: Request, appeal: Any) -> str:
    return (f"提交人：{office.unit.name}；申请人（原告）：{req.applicant_name}；{appeals.KINDS[appeal.kind]}，"
            f"提起日期{_cn(appeal.filed_on)}。")


def _dumps(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
