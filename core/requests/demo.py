"""A realistic request run end to end through the active jurisdiction's chain, on a
throwaway SQLite database, leaving the rendered letter on disk (``gongkai demo``)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gongkai.core.law.config import CONFIG_NAME
from gongkai.core.errors import GongkaiError

SURNAMES = "李王赵钱孙周吴郑冯陈"
OUTCOME = "partial"
DATABASE = "demo.db"


def run_demo(jurisdiction: str | None, out_dir: str | Path | None = None, pdf: bool = True) -> dict[str, Any]:
    """The demo made in a staging folder inside ``out_dir`` and moved into it only once all of
    it is made: a demo that cannot finish leaves nothing of itself behind (not even the folder,
    if it made it)."""
    if not jurisdiction:
        raise GongkaiError("请用 --jurisdiction 指定演示的辖区，如 gongkai demo --jurisdiction changning。")
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="gongkai-demo-"))
    for name in (CONFIG_NAME, DATABASE):  # a unit's folder, or an earlier demo: never overwritten
        if (folder / name).exists():
            raise GongkaiError(f"{folder} 中已有 {name}，演示不能写在这里（会覆盖该文件夹中的配置或数据）。"
                               "请用 --out 换一个新的空文件夹，或不给 --out，使用临时文件夹。")
    # the folders this makes, innermost first (the temporary folder too)
    made = [p for p in (folder, *folder.parents) if not p.exists()] if out_dir else [folder]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".gongkai-demo-", dir=folder))
    except OSError as exc:
        from gongkai.core.paperwork.safe_write import os_error

        _remove(made)
        raise os_error(exc, folder) from None
    moved: list[Path] = []
    try:
        result = _run(jurisdiction, staging, pdf)
        for entry in sorted(staging.iterdir()):
            target = folder / entry.name
            if target.exists() or target.is_symlink():
                raise GongkaiError(f"{folder} 中已有 {entry.name}，演示不能写在这里。请用 --out 换一个新的空文件夹。")
            entry.rename(target)
            moved.append(target)
    except BaseException as exc:
        for target in moved:
            target.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        _remove(made)
        if isinstance(exc, OSError):
            from gongkai.core.paperwork.safe_write import os_error

            raise os_error(exc, folder) from None
        raise
    staging.rmdir()
    return {k: v.replace(str(staging), str(folder)) if isinstance(v, str) else v for k, v in result.items()}


def _remove(folders: list[Path]) -> None:
    """The folders the demo made, innermost first, where empty."""
    for made in folders:
        try:
            made.rmdir()
        except OSError:
            return


def _run(jurisdiction: str, folder: Path, pdf: bool) -> dict[str, Any]:
    from gongkai.core.app import App
    from gongkai.core.law.plugins import load_registry
    from gongkai.core.paperwork.pdf import ENV_SOFFICE, to_pdf
    from gongkai.core.requests import clock, intake, letters, notices, reply, review, workflow
    from gongkai.core.requests.letters import letter_layout
    from gongkai.core.units.setup import init_unit

    display = load_registry(jurisdiction).jurisdiction.display_name
    config = init_unit(folder, jurisdiction, f"{display}住房和城乡建设局", database_url=f"sqlite:///{DATABASE}",
                       letter_prefix=f"{display[:2]}住建信")
    app = App(str(config))
    cal = app.calendar
    steps: list[str] = []
    with app.session() as session:
        req = intake.receive(
            session, app, applicant="张明", applicant_type="natural_person", channel="post_signed",
            submitted=dt.date(2026, 9, 24), subject="2026年本区老旧小区改造项目资金安排及施工单位情况",
            contact="13800000000", form_wanted="纸质", actor="收件人",
        )
        steps.append(f"1. 登记申请 {req.id}：邮寄签收 {req.received}，答复期限 {clock.reply_deadline(session, app, req).due}")
        sent = cal.add_working_days(req.received, 2)
        clock.pause(session, app, req, "third_party", sent, "征求施工单位意见", actor="承办人")
        back = cal.add_working_days(sent, 6)
        clock.resume(session, app, req, back, actor="承办人")
        steps.append(f"2. 征求第三方意见 {sent} 至 {back}，期间不计入答复期限；答复期限顺延至 "
                     f"{clock.reply_deadline(session, app, req).due}")
        reply.propose(session, app, req, OUTCOME)
        day = back
        # the first signature states the proposed reply; the later ones approve it as it stands
        proposed = {"outcome": OUTCOME,
                    "reasons": "所申请信息中施工单位负责人的身份证号码和联系电话属于个人隐私，公开会对第三方合法权益造成损害。",
                    "withheld": [{"part": "施工单位负责人身份证号码、联系电话", "reason": "个人隐私（条例 第十五条）"}]}
        for i, step in enumerate(review.required_steps(app.registry, OUTCOME, "before")):
            day = cal.add_working_days(day, 1)
            person = f"{SURNAMES[i]}某（{step.role}）"
            review.review(session, app, req, step.id, person, "approve", "同意", day, proposal=proposed if i == 0 else None)
            steps.append(f"3.{i + 1} {step.name}：{person} 同意（{day}）")
        day = cal.add_working_days(day, 1)
        reply.reply(session, app, req, on=day, provision="可以公开部分随本告知书以纸质形式邮寄提供。", actor="承办人")
        steps.append(f"4. 答复（部分公开）{day}")
        offset = len(review.required_steps(app.registry, OUTCOME, "before"))
        for i, step in enumerate(review.required_steps(app.registry, OUTCOME, "after"), start=offset):
            day = cal.add_working_days(day, 1)
            person = f"{SURNAMES[i % len(SURNAMES)]}某（{step.role}）"
            review.review(session, app, req, step.id, person, "approve", "已办理", day)
            steps.append(f"5. {step.name}：{person}（{day}）")
        reply.close(session, app, req, day, actor="承办人")
        steps.append(f"6. 办结归档 {day}")
        request_id = req.id
    with app.session() as session:
        req = workflow.load(session, request_id)
        receipt = notices.write_notice(session, app, req, "receipt", "docx", folder / f"收到申请确认书-{request_id}.docx")
        docx = letters.write_letter(session, app, req, "docx", folder / f"答复告知书-{request_id}.docx")
        md = letters.write_letter(session, app, req, "md", folder / f"答复告知书-{request_id}.md")
    letter_pdf = None
    if pdf and (shutil.which("soffice") or os.environ.get(ENV_SOFFICE)):  # where LibreOffice is installed
        letter_pdf = str(to_pdf(docx, folder / f"答复告知书-{request_id}.pdf", letter_layout(app).fonts))
    for engine in (app.__dict__.get("district_engine"), app.__dict__.get("raw_engine")):
        if engine is not None:
            engine.dispose()  # the WAL written back: demo.db alone holds the demo once moved
    return {"jurisdiction": jurisdiction, "directory": str(folder), "database": str(folder / DATABASE),
            "request_id": request_id, "steps": steps, "receipt_docx": str(receipt), "letter_docx": str(docx),
            "letter_md": str(md), "letter_pdf": letter_pdf}
