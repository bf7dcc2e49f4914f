"""Every kind of file an office receives → the text the parser reads (one paragraph a line, tables as task lines).

The kind is told from the bytes (``detect.sniff``), never from the name alone; each kind has its reader here:
plain text and Markdown (``text``), Word .docx (``word``), PDF (``pdf``), spreadsheets (``sheets``), web pages
(``html``), and what LibreOffice converts (``office``: .doc, .wps, .rtf, .odt, .et, Office 2003 XML).
"""

from __future__ import annotations

from pathlib import Path

from tracker.errors import ImportFailed
from tracker.importer.formats.detect import Kind, sniff

# How to make a file we cannot read into one we can, said to a user who has WPS or Word
_SAVE_AS_DOCX = "请用 WPS 或 Word 打开后另存为 .docx"
_SAVE_AS_XLSX = "请用 WPS 或 Excel 打开后另存为 .xlsx"


def document_text(data: bytes, filename: str) -> str:
    """The raw text of a file (not yet normalised). ``filename`` names it in messages and breaks ties."""
    name = Path(filename).name or "（未命名）"
    suffix = Path(filename).suffix.lower()
    kind = sniff(data, filename)
    if kind is Kind.TEXT:
        from tracker.importer.formats.html import html_text, looks_like_html
        from tracker.importer.formats.text import decode_text, looks_like_markdown, strip_markdown

        if suffix == ".docx":
            raise ImportFailed(f"不是有效的 Word 文档（.docx）：{name}")
        if suffix in (".xlsx", ".xls"):
            raise ImportFailed(f"不是有效的 Excel 文件（{suffix}）：{name}")
        text = decode_text(data, name)
        if looks_like_html(text):  # a page a browser saved, whatever it was named
            return html_text(text)
        if suffix in (".md", ".markdown") or looks_like_markdown(text):
            return strip_markdown(text)
        return text
    if kind is Kind.HTML:
        return _html(data, name)
    if kind is Kind.MHT:
        from tracker.importer.formats.html import html_text, mht_html

        return html_text(mht_html(data, name))
    if kind is Kind.DOCX:
        from tracker.importer.formats.word import docx_text

        return docx_text(data, name)
    if kind is Kind.XLSX:
        from tracker.importer.formats.sheets import xlsx_text

        return xlsx_text(data, name)
    if kind is Kind.PDF:
        from tracker.importer.formats.pdf import pdf_text

        return pdf_text(data, name)
    if kind is Kind.EXCEL_BINARY:
        return _old_excel(data, name, suffix)
    if kind in (Kind.WORD_BINARY, Kind.RTF, Kind.OPEN_DOCUMENT, Kind.OFFICE_XML):
        return _converted(data, name, kind, suffix)
    if kind is Kind.ARCHIVE and suffix in (".docx", ".xlsx", ".wps", ".doc"):
        raise ImportFailed(f"不是有效的 Office 文档（{suffix}），或文件已损坏：{name}")
    raise ImportFailed(_refusal(kind, name))


def _html(data: bytes, name: str) -> str:
    from tracker.importer.formats.html import declared_charset, html_text
    from tracker.importer.formats.text import decode_text

    charset = declared_charset(data)
    if charset:
        try:
            return html_text(data.decode(charset))
        except (LookupError, UnicodeDecodeError):
            pass  # the page lies about its encoding: detect it from the bytes
    return html_text(decode_text(data, name))


def _old_excel(data: bytes, name: str, suffix: str) -> str:
    from tracker.importer.formats.office import convert, find_soffice
    from tracker.importer.formats.sheets import xls_text, xlsx_text

    try:
        return xls_text(data, name)
    except ImportFailed as err:
        if err.message.startswith("这是 tracker export") or find_soffice() is None:
            raise
    # xlrd reads Excel 97–2003; what it cannot (a WPS .et quirk, an old BIFF) LibreOffice may
    return xlsx_text(convert(data, name, suffix=suffix if suffix in (".et", ".xlt") else ".xls", target="xlsx",
                             how_to=_SAVE_AS_XLSX), name)  # fmt: skip


def _converted(data: bytes, name: str, kind: Kind, suffix: str) -> str:
    from tracker.importer.formats.office import convert
    from tracker.importer.formats.sheets import xlsx_text
    from tracker.importer.formats.word import docx_text

    what = {
        Kind.WORD_BINARY: "旧版 Word 或 WPS 文档",
        Kind.RTF: "RTF 文档",
        Kind.OPEN_DOCUMENT: "OpenDocument 文档",
        Kind.OFFICE_XML: "Office 2003 XML 文档",
    }[kind]
    spreadsheet = (kind is Kind.OFFICE_XML and b"<Workbook" in data[:8192]) or (
        kind is Kind.OPEN_DOCUMENT and b"opendocument.spreadsheet" in data[:200]
    )
    if kind is Kind.WORD_BINARY:
        source = suffix if suffix in (".doc", ".wps", ".dot", ".wpt") else ".doc"
    else:
        source = {Kind.RTF: ".rtf", Kind.OPEN_DOCUMENT: ".ods" if spreadsheet else ".odt"}.get(kind, ".xml")
    how_to = _SAVE_AS_XLSX if spreadsheet else _SAVE_AS_DOCX
    try:
        converted = convert(data, name, suffix=source, target="xlsx" if spreadsheet else "docx", how_to=how_to)
    except ImportFailed as err:
        raise ImportFailed(err.message.replace("此类文件", what).replace("此文件", f"此{what}")) from err
    return xlsx_text(converted, name) if spreadsheet else docx_text(converted, name)


def _refusal(kind: Kind, name: str) -> str:
    return {
        Kind.ENCRYPTED_OFFICE: f"文件设有打开密码，无法读取：{name}（请去除密码后另存一份再导入）",
        Kind.PRESENTATION: f"这是演示文稿（幻灯片），不是报告或计划：{name}",
        Kind.OFD: f"暂不支持 OFD 版式文件：{name}（请用数科或福昕 OFD 阅读器另存为 PDF 后再导入）",
        Kind.IMAGE: f"这是图片，不是文字文件：{name}（本程序不做文字识别，请导入含文字的 Word、PDF 或文本文件）",
        Kind.ARCHIVE: f"这是压缩包：{name}（请先解压，再导入其中的报告或计划文件）",
    }[kind]
