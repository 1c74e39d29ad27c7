"""Storing, reading and checking attached files, in the database, a chunk at a time.

A file's content is checked by what it is (its first bytes), not by its name: a renamed
executable is no PDF. It is read once before anything is written (:func:`examine`: its type,
its size, refused as soon as it passes the limit, and its SHA-256), then written in chunks of
:data:`CHUNK` bytes under that SHA-256; if anything fails nothing of it stays (the caller's
transaction rolls back). The same content attached twice is stored once. Reading first keeps
the writing short: a web upload is examined before its transaction takes the write lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from attrs import frozen
from sqlalchemy import select
from sqlmodel import Session

from gongkai.core.attachments.models import Attachment, AttachmentChunk
from gongkai.core.errors import GongkaiError

CHUNK = 256 * 1024
BATCH = 4  # chunks a statement: one statement for a 1 MB scan, at most 1 MB of it in memory
MAX_MB = 20  # the default size limit ([attachments] max_mb in gongkai.toml)
NAME_CHARS = 200


@frozen
class Kind:
    code: str
    label: str
    docx: bool  # a Word file is accepted (an office's own papers), not only PDF and images


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("application", "申请材料", False),  # the applicant's ID or licence scan, a power of attorney
    Kind("information", "提供的信息", True),
    Kind("notice", "告知书原件", True),
    Kind("delivery_proof", "送达证明", False),
    Kind("other", "其他", True),
    # a document's own files, published with it on the public pages (条例 第二十条)
    Kind("text", "正文", True),
    Kind("interpretation", "解读材料", True),
)}
DOCUMENT_KINDS = ("text", "interpretation")

# (first bytes, MIME type, Chinese name)
MAGIC = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
)
DOCX = (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word（docx）")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", DOCX[1]: "docx"}


def kind_of(value: str, owner_kind: str = "") -> str:
    """The code of the kind ``value`` names (code or Chinese label); a document's files have their own kinds."""
    text = (value or "").strip()
    allowed = [k for k in KINDS.values() if (k.code in DOCUMENT_KINDS) == (owner_kind == "document")]
    for kind in allowed:
        if text in (kind.code, kind.label):
            return kind.code
    raise GongkaiError(f"附件类别“{value}”无效（--kind），可选：{'、'.join(k.label for k in allowed)}。")


def max_bytes(config: Any) -> int:
    """``[attachments] max_mb`` of gongkai.toml (default :data:`MAX_MB`), in bytes."""
    raw = (config.raw.get("attachments", {}) if config is not None else {}) or {}
    if not isinstance(raw, dict):
        raise GongkaiError("gongkai.toml 的 [attachments] 应为一个表，如 [attachments] max_mb = 20。")
    value = raw.get("max_mb", MAX_MB)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1024:
        raise GongkaiError(f"gongkai.toml 的 [attachments] max_mb（附件大小上限，兆字节）应为 1 到 1024 之间的整数，现为“{value}”。")
    return value * 1024 * 1024


def media_type(head: bytes, kind: str, file_name: str) -> str:
    """The file's type by its first bytes; refused unless PDF, JPEG, PNG (or docx where ``kind`` takes it)."""
    for magic, mime, _ in MAGIC:
        if head.startswith(magic):
            return mime
    allowed = [name for _, _, name in MAGIC]
    if KINDS[kind].docx:
        allowed.append(DOCX[2])
        if head.startswith(DOCX[0]) and b"word/" in head[:CHUNK]:
            return DOCX[1]
    raise GongkaiError(f"文件“{file_name}”的内容不是 {'、'.join(allowed)} 文件（按文件内容判断，不看扩展名），未予接收。")


def clean_file_name(name: str) -> str:
    """The name as shown to people: its last path part, no control characters, at most :data:`NAME_CHARS`."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "附件"
    return base[-NAME_CHARS:]


def too_large(limit: int) -> GongkaiError:
    return GongkaiError(f"附件超过大小上限 {limit // (1024 * 1024)} MB，未予接收。")


@frozen
class Checked:
    """A file as read before anything is written: its name as shown, type, size and SHA-256."""

    name: str
    media_type: str
    size: int
    sha256: str


def examine(stream: BinaryIO, *, kind: str, file_name: str, limit: int) -> Checked:
    """Read ``stream`` (seekable) once from where it stands, a chunk at a time: its type by its
    first bytes, its size against ``limit``, its SHA-256; then back to where it stood. Nothing
    is written, so a caller can do this before its transaction takes the database's write lock."""
    name = clean_file_name(file_name)
    start = stream.tell()
    digest, size, mime = hashlib.sha256(), 0, ""
    while True:
        data = stream.read(CHUNK)
        if not data:
            break
        if not size:
            mime = media_type(data, kind, name)
        size += len(data)
        if size > limit:
            raise too_large(limit)
        digest.update(data)
    if size == 0:
        raise GongkaiError(f"文件“{name}”是空的，未予接收。")
    stream.seek(start)
    return Checked(name, mime, size, digest.hexdigest())


def store(session: Session, stream: BinaryIO, *, owner_kind: str, owner_id: int, kind: str, file_name: str,
          limit: int, on: dt.date, actor: str = "", note: str = "", checked: Checked | None = None) -> Attachment:
    """Store ``stream`` and attach it to the record; the caller logs :func:`logged` of the
    result in the same transaction. The file is read and checked first (:func:`examine`; or
    ``checked``, what :func:`examine` said of this same unchanged stream), then its chunks are
    written under their SHA-256, unless that content is stored already (one copy is kept)."""
    kind = kind_of(kind, owner_kind)
    if not stream.seekable():  # read twice: once to check, once to store
        spooled = tempfile.SpooledTemporaryFile(max_size=CHUNK * 4)
        shutil.copyfileobj(stream, spooled, CHUNK)
        spooled.seek(0)
        stream = spooled  # type: ignore[assignment]
    start = stream.tell()
    checked = checked or examine(stream, kind=kind, file_name=file_name, limit=limit)
    table = AttachmentChunk.__table__
    have = session.execute(select(table.c.id).where(table.c.sha256 == checked.sha256).limit(1)).first()
    if have is None:
        stream.seek(start)
        seq = written = 0
        batch: list[dict[str, Any]] = []
        while data := stream.read(CHUNK):
            written += len(data)
            if written > checked.size:
                break
            batch.append({"sha256": checked.sha256, "seq": seq, "data": data})
            seq += 1
            if len(batch) == BATCH:
                session.execute(table.insert(), batch)
                batch = []
        if batch and written <= checked.size:
            session.execute(table.insert(), batch)
        if written != checked.size:  # the stream changed since it was checked: nothing of it is kept
            raise GongkaiError(f"文件“{checked.name}”在读取过程中发生变化，未予接收，请重新上传。")
    row = Attachment(owner_kind=owner_kind, owner_id=owner_id, kind=kind, file_name=checked.name,
                     media_type=checked.media_type, size=checked.size, sha256=checked.sha256, added_on=on,
                     added_by=actor, note=note)
    session.add(row)
    session.flush()
    return row


def logged(row: Attachment) -> dict[str, Any]:
    """What the event attaching ``row`` states of it."""
    return {"attachment": {"id": row.id, "kind": row.kind, "file_name": row.file_name, "size": row.size,
                           "sha256": row.sha256}}


def read(session: Session, row: Attachment) -> Iterator[bytes]:
    """The content of ``row``, chunk by chunk (one chunk in memory at a time)."""
    table = AttachmentChunk.__table__
    seq = 0
    while True:
        data = session.execute(select(table.c.data).where(table.c.sha256 == row.sha256, table.c.seq == seq)).scalar()
        if data is None:
            return
        yield bytes(data)
        seq += 1


def of(session: Session, owner_kind: str, owner_ids: int | list[int]) -> list[Attachment]:
    """The files attached to the records ``owner_ids`` (one or several) of ``owner_kind``, in order."""
    ids = [owner_ids] if isinstance(owner_ids, int) else list(owner_ids)
    return list(session.scalars(select(Attachment).where(
        Attachment.owner_kind == owner_kind, Attachment.owner_id.in_(ids)).order_by(Attachment.id)))


def get(session: Session, attachment_id: int, owner_kind: str, owner_ids: list[int]) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None or row.owner_kind != owner_kind or row.owner_id not in owner_ids:
        from gongkai.core.errors import NotFound

        raise NotFound(f"没有编号为 {attachment_id} 的附件。")
    return row


def as_json(row: Attachment) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "kind_name": KINDS[row.kind].label if row.kind in KINDS else row.kind,
            "file_name": row.file_name, "media_type": row.media_type, "size": row.size, "sha256": row.sha256,
            "added_on": row.added_on.isoformat(), "added_by": row.added_by}


def check(fetch: Any) -> Iterator[tuple[Attachment | Any, str]]:
    """Each attachment whose stored content differs from its SHA-256 and size (changed, cut or
    missing), with what is wrong: ``audit verify`` names them."""
    chunks = iter(fetch("attachment_chunk", ("sha256", "seq", "data"), {}, ("sha256", "seq")))
    rows = sorted(fetch("attachment", ("sha256", "id", "owner_kind", "owner_id", "file_name", "size"), {}, ("id",)),
                  key=lambda r: r[0])
    pending = next(chunks, None)
    for sha, group in _grouped(rows):
        while pending is not None and pending[0] < sha:
            pending = next(chunks, None)
        digest, size, seq, broken = hashlib.sha256(), 0, 0, False
        while pending is not None and pending[0] == sha:
            broken = broken or pending[1] != seq
            digest.update(bytes(pending[2]))
            size += len(pending[2])
            seq += 1
            pending = next(chunks, None)
        for row in group:
            if seq == 0:
                yield row, "缺失"
            elif broken or digest.hexdigest() != sha or size != row[5]:
                yield row, "与事件日志记载的 SHA-256 不符"


def _grouped(rows: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    from itertools import groupby

    for sha, group in groupby(rows, key=lambda r: r[0]):
        yield sha, list(group)
