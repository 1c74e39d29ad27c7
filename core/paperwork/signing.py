"""PAdES signatures on the PDFs a unit hands over (the evidence bundle), with pyHanko.

A unit that has a signing certificate names it in ``gongkai.toml``::

    [signing]
    key = "signing/key.pem"            # the private key (PEM), relative to gongkai.toml
    certificate = "signing/cert.pem"   # its certificate (PEM)
    passphrase_env = "GONGKAI_SIGNING_PASSPHRASE"  # optional: the environment variable holding the key's passphrase

The certificate is also what a check trusts: a bundle signed by another key does not pass.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import attrs

from gongkai.core.errors import GongkaiError

FIELD = "gongkai"
MISSING = "签名需要 pyHanko：请安装 pyhanko（pip install pyhanko）。"


@attrs.frozen
class Signing:
    key: Path
    certificate: Path
    passphrase: bytes | None = None


def settings(config: Any) -> Signing | None:
    """The unit's ``[signing]`` table, or None when it signs nothing."""
    table = (getattr(config, "raw", None) or {}).get("signing")
    if table is None:
        return None
    if not isinstance(table, dict) or not table.get("key") or not table.get("certificate"):
        raise GongkaiError("gongkai.toml 的 [signing] 须写明 key（私钥文件）和 certificate（证书文件）。")
    unknown = sorted(set(table) - {"key", "certificate", "passphrase_env"})
    if unknown:
        raise GongkaiError(f"gongkai.toml 的 [signing] 中有未知的项：{'、'.join(unknown)}；可用：key、certificate、passphrase_env。")
    base = config.base_dir
    key, certificate = (base / str(table[name]) for name in ("key", "certificate"))
    for path in (key, certificate):
        if not path.is_file():
            raise GongkaiError(f"找不到签名用的文件“{path}”（gongkai.toml 的 [signing]）。")
    passphrase = None
    if table.get("passphrase_env"):
        value = os.environ.get(str(table["passphrase_env"]))
        if value is None:
            raise GongkaiError(f"环境变量 {table['passphrase_env']} 未设置：签名私钥的口令（gongkai.toml 的 [signing]）。")
        passphrase = value.encode("utf-8")
    return Signing(key, certificate, passphrase)


def sign(data: bytes, signing: Signing, reason: str) -> bytes:
    """``data`` signed (PAdES baseline, an incremental update covering the whole file)."""
    try:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
    except ImportError:
        raise GongkaiError(MISSING) from None
    signer = signers.SimpleSigner.load(str(signing.key), str(signing.certificate), key_passphrase=signing.passphrase)
    if signer is None:
        raise GongkaiError("无法读取签名私钥或证书（gongkai.toml 的 [signing]）：请检查文件和口令。")
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, reason=reason)
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer)
    return out.getvalue()


def check(path: Path, signing: Signing | None) -> dict[str, Any]:
    """``{"signed", "ok", "signer", "message"}``: the file's signature, trusted if made with the
    unit's certificate (with none configured, only whether the file is intact since signing)."""
    data = Path(path).read_bytes()
    if b"/ByteRange" not in data:  # no signature dictionary at all: pyHanko is not needed to say so
        if signing is not None:
            return {"signed": False, "ok": False, "signer": None, "message": "证据材料未签名，而本单位配置了签名证书。"}
        return {"signed": False, "ok": True, "signer": None, "message": "未签名。"}
    try:
        from pyhanko.keys import load_cert_from_pemder
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    except ImportError:
        raise GongkaiError(MISSING) from None
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    if not signatures:
        if signing is not None:
            return {"signed": False, "ok": False, "signer": None, "message": "证据材料未签名，而本单位配置了签名证书。"}
        return {"signed": False, "ok": True, "signer": None, "message": "未签名。"}
    sig = signatures[-1]
    roots = [load_cert_from_pemder(str(signing.certificate))] if signing is not None else [sig.signer_cert]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
    signer = sig.signer_cert.subject.human_friendly
    if not status.intact or not status.valid:
        return {"signed": True, "ok": False, "signer": signer, "message": "签名无效：文件在签名后被改动，或签名不是所配置的证书作出的。"}
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return {"signed": True, "ok": False, "signer": signer, "message": "签名之后文件又被追加了内容。"}
    if signing is not None and not status.trusted:
        return {"signed": True, "ok": False, "signer": signer, "message": "签名证书不是本单位配置的证书。"}
    return {"signed": True, "ok": True, "signer": signer, "message": "签名有效，文件自签名后未被改动。"}
