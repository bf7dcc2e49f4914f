"""File → clean text for the parser: the file's kind told from its bytes (``formats``), then one clean-up.

Readers for each kind live in ``tracker.importer.formats``; this module opens the file and normalises.
"""

from __future__ import annotations

from pathlib import Path

from tracker.errors import ImportFailed
from tracker.importer.formats import document_text
from tracker.importer.normalize import normalise_text

_MAX_BYTES = 50 * 1024 * 1024


def read_document(path: Path) -> str:
    """Read a report or plan (.txt, .md, .docx, .pdf, .doc, .wps, .xlsx, .xls, web pages…) → normalised text."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFailed(f"这是一个文件夹，不是文件：{path}")
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise ImportFailed(f"文件太大（{size // 1024 // 1024} MB），不像是一份报告：{path.name}")
        data = path.read_bytes()
    except OSError as err:
        raise ImportFailed(f"无法读取文件：{path.name}（{err.strerror or err}）") from err
    return decode_document(data, path.name)


def decode_document(data: bytes, filename: str) -> str:
    """Bytes of a report → normalised text. ``filename`` names the file in messages and breaks ties between
    kinds the bytes leave open (Markdown, a spreadsheet's old format)."""
    name = Path(filename).name or "（未命名）"
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFailed(f"文件为空：{name}")
    result = normalise_text(document_text(data, filename))
    if not result.strip():
        raise ImportFailed(f"文件中没有文字：{name}")
    return result
