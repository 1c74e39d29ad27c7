"""PDF copies of letters, notices, forms and reports, converted by LibreOffice in headless mode.

gongkai writes the .docx (or .xlsx) itself and asks ``soffice --headless --convert-to pdf`` to
print it, so the PDF is what a clerk would get opening the file and printing it. Each call uses
its own throwaway LibreOffice profile (``-env:UserInstallation``), so conversions running at the
same time do not block each other on a shared profile lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError

ENV_SOFFICE = "GONGKAI_SOFFICE"  # the soffice program, when it is not on PATH
TIMEOUT_SECONDS = 300
# Where the 公文 fonts are not installed, the closest free faces, in order. Added *after* the
# named font (fontconfig "accept"), so an installed 仿宋_GB2312 is still the one used.
SUBSTITUTES = {
    "serif": ("FangSong", "仿宋", "STFangsong", "AR PL UMing CN", "Noto Serif CJK SC", "Source Han Serif SC",
              "WenQuanYi Zen Hei"),
    "sans": ("SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
    "kai": ("KaiTi", "楷体", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", "WenQuanYi Zen Hei"),
}
FAMILIES = {  # font name as a document names it -> kind of face
    "仿宋_GB2312": "serif", "仿宋": "serif", "FangSong": "serif", "FangSong_GB2312": "serif",
    "方正小标宋简体": "serif", "方正小标宋_GBK": "serif", "小标宋": "serif", "宋体": "serif", "SimSun": "serif",
    "黑体": "sans", "SimHei": "sans", "楷体_GB2312": "kai", "楷体": "kai", "KaiTi": "kai", "KaiTi_GB2312": "kai",
}
MISSING = ("生成 PDF 需要 LibreOffice（找不到 soffice 命令）。请安装 LibreOffice 和中文字体，"
           "如 Debian/Ubuntu：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk；"
           "或用环境变量 GONGKAI_SOFFICE 指定 soffice 的路径。")


def soffice() -> str:
    """The LibreOffice program, or a clear error naming the package to install."""
    named = os.environ.get(ENV_SOFFICE)
    found = shutil.which(named) if named else (shutil.which("soffice") or shutil.which("libreoffice"))
    if not found:
        raise GongkaiError(MISSING)
    return found


def _fontconfig(folder: Path, extra: dict[str, str]) -> Path:
    """A fontconfig file: the system's configuration plus the substitutes above."""
    from xml.sax.saxutils import escape

    aliases = []
    for name, kind in {**FAMILIES, **extra}.items():
        faces = "".join(f"<family>{escape(f)}</family>" for f in SUBSTITUTES[kind])
        aliases.append(f"<alias binding=\"same\"><family>{escape(name)}</family><accept>{faces}</accept></alias>")
    path = folder / "fonts.conf"
    path.write_text(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n"
        "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n" + "\n".join(aliases) + "\n</fontconfig>\n",
        encoding="utf-8")
    return path


def convert(sources: Sequence[Path], out_dir: Path, fonts: Any = None) -> list[Path]:
    """Convert .docx/.xlsx ``sources`` to PDF files in ``out_dir`` in one LibreOffice run.

    ``fonts`` (a ``core.paperwork.word.Fonts``) adds the unit's own font names to the substitutions."""
    program = soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as profile:
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  env={**os.environ, "HOME": profile,
                                       "FONTCONFIG_FILE": str(_fontconfig(Path(profile), _kinds(fonts)))})
        except subprocess.TimeoutExpired:
            raise GongkaiError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒未完成，请稍后重试。") from None
    results = [out_dir / (Path(s).stem + ".pdf") for s in sources]
    missing = [p for p in results if not p.is_file()]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise GongkaiError("LibreOffice 未能生成 PDF：" + (detail[-1] if detail else "无输出")
                           + "。请确认已安装 libreoffice-writer-nogui（表格需 libreoffice-calc-nogui）。")
    return results


def _kinds(fonts: Any) -> dict[str, str]:
    if fonts is None:
        return {}
    return {fonts.title: "serif", fonts.body: "serif", fonts.heading1: "sans", fonts.heading2: "kai",
            fonts.page_number: "serif"}


def to_pdf(source: Path, target: Path, fonts: Any = None) -> Path:
    """Convert one file to the PDF ``target`` (its name may differ from the source's), written
    through ``core.paperwork.safe_write``."""
    from gongkai.core.paperwork.safe_write import write_file

    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        made = convert([Path(source)], Path(tmp), fonts)[0]
        return write_file(target, made.read_bytes())


def write_via(write: Any, target: Path, suffix: str = ".docx", fonts: Any = None) -> Path:
    """Write a document with ``write(path)`` to a temporary ``suffix`` file and print it to ``target``."""
    from gongkai.core.paperwork.safe_write import as_target, check_target

    check_target(target)  # refuse the unit's database or an existing file before LibreOffice runs
    soffice()  # fail before any work when LibreOffice is missing
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-src-") as tmp:
        source = Path(tmp) / (Path(as_target(target).path).stem + suffix)
        write(source)
        return to_pdf(source, target, fonts)
