"""A document's own files (its published text, its 解读材料), kept in the attachment store and
published with it on the public pages; only a publicly published document's files are ever shown."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from sqlmodel import Session

from gongkai.core.attachments import store
from gongkai.core.documents.models import OWNER, Document
from gongkai.core.errors import StepRefused
from gongkai.core.records.storage import record_event
from gongkai.core.today import not_future


def public_name(row: Any, document_id: int) -> str:
    """The file's name beside the document's page (``documents/12-3.pdf``): numbers only, never the uploaded name."""
    return f"{document_id}-{row.id}.{store.EXTENSIONS.get(row.media_type, 'bin')}"


def shown(row: Any, document_id: int) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "kind_name": store.KINDS[row.kind].label, "file_name": row.file_name,
            "size": row.size, "media_type": row.media_type, "sha256": row.sha256, "href": public_name(row, document_id)}


def of_documents(session: Session, document_ids: list[int]) -> dict[int, list[Any]]:
    """The files of each of ``document_ids`` (rows), in the order they were attached."""
    found: dict[int, list[Any]] = {}
    for start in range(0, len(document_ids), 500):
        for row in store.of(session, OWNER, document_ids[start:start + 500]):
            found.setdefault(row.owner_id, []).append(row)
    return found


def attach(session: Session, registry: Any, config: Any, doc: Document, stream: BinaryIO, *, kind: str, file_name: str,
           on: dt.date, by: str) -> Any:
    """Store the file and attach it to ``doc`` (an event stating its SHA-256, under the document's digest).
    A 解读材料 file on a document with no interpretation recorded yet records that it is attached, so
    the document meets the interpretation rule and is listed under 政策解读."""
    from gongkai.core.documents.workflow import attach_interpretation

    if doc.repealed is not None:
        raise StepRefused(f"文件 {doc.id} 已于 {doc.repealed} 废止，不能再附加文件。")
    not_future(on, "附加文件")
    row = store.store(session, stream, owner_kind=OWNER, owner_id=doc.id, kind=kind, file_name=file_name,
                      limit=store.max_bytes(config), on=on, actor=by)
    record_event(session, subject_kind=OWNER, subject_id=doc.id, action="attach", actor=by, after=store.logged(row))
    if row.kind == "interpretation" and not doc.interpretation.strip():
        attach_interpretation(session, registry, doc, material=f"解读材料见所附文件“{row.file_name}”。", on=on, by=by)
    return row
