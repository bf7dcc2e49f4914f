"""Old and foreign office files (.doc, .wps, .rtf, .odt, .et, Word/Excel 2003 XML) read through LibreOffice.

LibreOffice converts them, headless, to .docx or .xlsx, which the readers here understand. Each conversion runs
in its own temporary folder with its own LibreOffice profile (two conversions sharing a profile would hand the
second to the first and collide), under a time limit. Without LibreOffice the user gets one line saying how to
convert the file themselves.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tracker.errors import ImportFailed

ENV_SOFFICE = "TRACKER_SOFFICE"  # the LibreOffice program to use; set to "" to act as if none were installed
TIMEOUT_SECONDS = 120.0
_KNOWN_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
}


def find_soffice() -> str | None:
    """The LibreOffice program: TRACKER_SOFFICE if set, else soffice/libreoffice on PATH or where installers put it."""
    chosen = os.environ.get(ENV_SOFFICE)
    if chosen is not None:
        return chosen if chosen and (Path(chosen).is_file() or shutil.which(chosen)) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _KNOWN_PLACES if Path(p).is_file()), None)


def convert(data: bytes, name: str, *, suffix: str, target: str, how_to: str) -> bytes:
    """``data`` (a file that LibreOffice opens, saved as ``suffix``) converted to ``target`` ("docx", "xlsx").

    ``how_to`` is the advice given when LibreOffice is missing or fails ("请用 WPS 或 Word 打开后另存为 .docx")."""
    program = find_soffice()
    if program is None:
        raise ImportFailed(f"读取此类文件需要 LibreOffice，本机未安装：{name}（{how_to}后再导入）")
    with tempfile.TemporaryDirectory(prefix="tracker-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"  # an ASCII name: LibreOffice's command line and any locale agree
        source.write_bytes(data)
        out_dir = folder / "out"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            _FILTERS[target],
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            _run(command, TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as err:
            raise ImportFailed(
                f"LibreOffice 转换超时（{TIMEOUT_SECONDS:.0f} 秒），文件可能已损坏：{name}（{how_to}后再导入）"
            ) from err
        except OSError as err:
            raise ImportFailed(f"无法启动 LibreOffice（{program}）：{err.strerror or err}；{how_to}后再导入") from err
        result = out_dir / f"document.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ImportFailed(f"LibreOffice 无法打开此文件，可能已损坏或设有密码：{name}（{how_to}后再导入）")
        return result.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    # its own process group: on a time-out the helper processes LibreOffice starts are ended with it
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=os.name == "posix",
    ) as process:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                process.kill()
            process.wait()
            raise
