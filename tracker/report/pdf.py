"""A .docx to PDF through LibreOffice headless, where it is installed.

Each conversion runs with its own LibreOffice profile in a temporary directory (no clash with an office the user
has open, no first-start dialogs) and a time limit. The official faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312,
黑体) are seldom installed on Linux; a private fontconfig file lets the nearest CJK face stand in for each only
where the real one is missing (``<accept>`` puts it right after the named family), so the PDF keeps the
contrast between title, headings and body. The .docx itself is not changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tracker.errors import TrackerError

TIMEOUT_S = 180
OFFICE_PACKAGE = "libreoffice-writer-nogui"

_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "AR PL UMing CN")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "WenQuanYi Zen Hei")
_STAND_INS = {
    "方正小标宋简体": _SERIF,
    "仿宋_GB2312": _SERIF,
    "楷体_GB2312": _SERIF,
    "宋体": _SERIF,
    "黑体": _SANS,
}


class PdfFailed(TrackerError):
    """LibreOffice was there but did not make the PDF."""


def find_office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fonts_conf() -> str:
    aliases = "\n".join(
        f"  <alias><family>{name}</family><accept>"
        + "".join(f"<family>{face}</family>" for face in faces)
        + "</accept></alias>"
        for name, faces in _STAND_INS.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{aliases}\n</fontconfig>\n"
    )


def docx_to_pdf(source: Path, target: Path, *, office: str, timeout: float = TIMEOUT_S) -> None:
    """Convert ``source`` (.docx) to ``target`` (.pdf); one clear Chinese line on failure."""
    with tempfile.TemporaryDirectory(prefix="tracker-pdf-") as tmp:
        work = Path(tmp)
        conf = work / "fonts.conf"
        conf.write_text(_fonts_conf(), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf))
        command = [
            office,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"LibreOffice 转换 PDF 超过 {timeout:.0f} 秒仍未完成，已放弃") from None
        except OSError as exc:
            raise PdfFailed(f"无法启动 LibreOffice（{office}）：{exc.strerror or exc}") from None
        produced = work / (source.stem + ".pdf")
        if done.returncode != 0 or not produced.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise PdfFailed("LibreOffice 未能生成 PDF" + (f"：{detail[-1]}" if detail else ""))
        shutil.move(str(produced), str(target))
