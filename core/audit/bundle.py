"""``audit bundle``: an evidence bundle (or its manifest) checked against the database and the log.

Each item is made again from the records as they stood at the chain head the manifest names and
compared by SHA-256; the bundle's pages are compared by what they read; the chain must still pass
through that head; the request's records must match the log (:func:`replay.verify_all`). Every
difference names the item (序号 and 名称) or the record.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError


def read_manifest(path: Path) -> tuple[dict[str, Any], Path | None]:
    """The manifest and the bundle PDF it describes (None when only the manifest is at hand)."""
    from gongkai.core.paperwork.bundle import embedded_manifest

    if not path.is_file():
        raise GongkaiError(f"找不到文件“{path}”。")
    if path.suffix.lower() == ".pdf":
        data = embedded_manifest(path)
        if data is None:
            raise GongkaiError(f"“{path}”中没有证据清单：不是本系统生成的证据材料。")
        pdf: Path | None = path
    else:
        data = path.read_bytes()
        pdf = None
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise GongkaiError(f"“{path}”不是有效的证据清单（JSON）。") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "gongkai.evidence":
        raise GongkaiError(f"“{path}”不是本系统生成的证据清单。")
    if pdf is None and manifest.get("bundle"):
        beside = path.parent / manifest["bundle"]["file"]
        pdf = beside if beside.is_file() else None
    return manifest, pdf


def check(session: Session, office: Any, path: Path) -> dict[str, Any]:
    """``{"ok", "problems": [{"item", "name", "message"}], ...}`` for the bundle or manifest at ``path``."""
    from gongkai.core.audit.replay import verify_all
    from gongkai.core.paperwork import bundle
    from gongkai.core.records.chain import parse_head
    from gongkai.core.requests import appeals, evidence, workflow

    manifest, pdf = read_manifest(Path(path))
    problems: list[dict[str, Any]] = []

    def problem(message: str, item: dict[str, Any] | None = None) -> None:
        problems.append({"item": item["number"] if item else None, "name": item["name"] if item else None,
                         "message": message})

    length, _ = parse_head(manifest["chain_head"])
    report = verify_all(session, parse_head(manifest["chain_head"]), office.registry, office.calendar)
    if not report["chain_ok"]:
        problem(f"事件日志的哈希链不经过证据清单记下的链头（{manifest['chain_head']}）：{report['broken']['problem']}")
    for found in report["records"]["problems"]:
        if found["kind"] == "request" and found["id"] == manifest["request"]:
            problem(f"申请记录与事件日志不符：{found['message']}")
    request = workflow.load(session, str(manifest["request"]))
    appeal = appeals.appeal_of(session, request, manifest["appeal"])
    made = {item.key: item for item in evidence.items(session, office, request, appeal, length)}
    listed = {entry["key"] for entry in manifest["items"]}
    for entry in manifest["items"]:
        item = made.get(entry["key"])
        if item is None:
            problem(f"第 {entry['number']} 项“{entry['name']}”在现有记录中已不存在。", entry)
        elif item.sha256 != entry["sha256"]:
            problem(f"第 {entry['number']} 项“{entry['name']}”与数据库中的记录不符：记录在生成证据材料后被改动。", entry)
    for key, item in made.items():
        if key not in listed:
            problem(f"记录中有证据清单未列的材料“{item.name}”。")
    if pdf is not None:
        pages = bundle.page_count(pdf)
        if pages != manifest["pages"]:
            problem(f"证据材料共 {pages} 页，证据清单记为 {manifest['pages']} 页。")
        else:
            for entry in manifest["items"]:
                text = bundle.pages_text(pdf, entry["start"], entry["pages"])
                if evidence.text_digest(text) != entry.get("pages_text_sha256"):
                    problem(f"证据材料第 {entry['start']} 页起的第 {entry['number']} 项“{entry['name']}”内容与清单不符：文件被改动。",
                            entry)
        whole = manifest.get("bundle", {}).get("sha256")
        if whole and pdf.suffix.lower() == ".pdf" and Path(path).suffix.lower() != ".pdf":
            if hashlib.sha256(pdf.read_bytes()).hexdigest() != whole:
                problem(f"证据材料文件“{pdf.name}”的 SHA-256 与清单不符：文件被改动。")
    signature = None
    if pdf is not None:
        from gongkai.core.paperwork.signing import check as check_signature
        from gongkai.core.paperwork.signing import settings

        signature = check_signature(pdf, settings(office.config))
        if not signature["ok"]:
            problem(signature["message"])
    return {"ok": not problems, "signature": signature, "request": manifest["request"], "appeal": manifest["appeal"],
            "chain_head": manifest["chain_head"], "items": len(manifest["items"]), "pages": manifest["pages"],
            "pdf": str(pdf) if pdf else None, "problems": problems}
