"""What a file is, from its bytes: offices rename files freely (a .doc that is a .docx, an .xls that is a web page,
a .txt saved by a browser), so the extension only breaks ties the content leaves open."""

from __future__ import annotations

import io
import re
import zipfile
from enum import Enum
from pathlib import Path


class Kind(Enum):
    TEXT = "text"
    HTML = "html"
    MHT = "mht"  # a web page saved as one file (.mht / .mhtml), or Word's "单个文件网页"
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"
    WORD_BINARY = "doc"  # Word 97–2003 and WPS Writer (.doc, .wps): an OLE2 compound file
    EXCEL_BINARY = "xls"  # Excel 97–2003 and WPS Spreadsheets (.xls, .et)
    RTF = "rtf"
    OPEN_DOCUMENT = "odf"  # LibreOffice / OpenOffice text or spreadsheet (.odt, .ods)
    OFFICE_XML = "office-xml"  # Word 2003 XML or Excel 2003 XML (SpreadsheetML), which office systems export
    ENCRYPTED_OFFICE = "encrypted-office"  # a .docx or .xlsx with an opening password
    PRESENTATION = "presentation"
    OFD = "ofd"
    IMAGE = "image"
    ARCHIVE = "archive"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_ARCHIVES = (b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
# Word 97 HTML, web pages: the start of the markup, in any ASCII-compatible encoding
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)  # fmt: skip
_HTML_TAGS = re.compile(rb"<(?:p|div|br|span|table|td|font|b)\b[^>]*>", re.IGNORECASE)


def sniff(data: bytes, filename: str) -> Kind:
    head = data[:4096]
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return _ole_kind(data, suffix)
    stripped = head.lstrip(b"\xef\xbb\xbf\r\n\t ")
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    if stripped.startswith(b"{\\rtf"):
        return Kind.RTF
    if stripped.startswith(_IMAGES):
        return Kind.IMAGE
    if stripped.startswith(_ARCHIVES):
        return Kind.ARCHIVE
    if re.match(rb"(?:(?:MIME-Version|From|Subject|Date|Content-Location|X-[\w-]+):[^\n]*\r?\n)+", stripped) and (
        re.search(rb"Content-Type:\s*multipart/related", head, re.IGNORECASE)
    ):
        return Kind.MHT
    if re.search(rb"<\?mso-application\s+progid=\"(?:Word\.Document|Excel\.Sheet)\"", head) or (
        b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<Workbook" in head
    ):
        return Kind.OFFICE_XML
    if _HTML_START.match(head) or (len(_HTML_TAGS.findall(head)) >= 8 and b"</" in head):
        return Kind.HTML
    return Kind.TEXT


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError):
        return Kind.DOCX  # a damaged Word file is the likeliest; the Word reader says it is damaged
    if "word/document.xml" in names:
        return Kind.DOCX
    if "xl/workbook.xml" in names:
        return Kind.XLSX
    if "ppt/presentation.xml" in names:
        return Kind.PRESENTATION
    if mimetype.startswith("application/vnd.oasis.opendocument.presentation"):
        return Kind.PRESENTATION
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return Kind.OPEN_DOCUMENT
    if "OFD.xml" in names:
        return Kind.OFD
    if "[Content_Types].xml" in names:
        return Kind.DOCX
    return Kind.ARCHIVE


def _ole_kind(data: bytes, suffix: str) -> Kind:
    """An OLE2 compound file holds Word, Excel, PowerPoint or an encrypted .docx/.xlsx: tell them apart by the
    names of its streams. Each directory entry is 128 bytes, its name in UTF-16 at the start, so a stream name
    stands at a multiple of 128 from the start of the file."""

    def has_stream(name: str) -> bool:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        start = data.find(raw)
        while start != -1:
            if start % 128 == 0:
                return True
            start = data.find(raw, start + 1)
        return False

    if has_stream("EncryptedPackage"):
        return Kind.ENCRYPTED_OFFICE
    if has_stream("WordDocument"):
        return Kind.WORD_BINARY
    if has_stream("Workbook") or has_stream("Book"):
        return Kind.EXCEL_BINARY
    if has_stream("PowerPoint Document"):
        return Kind.PRESENTATION
    if suffix in (".xls", ".et", ".xlt", ".ett"):
        return Kind.EXCEL_BINARY
    return Kind.WORD_BINARY  # MS Works and older WPS files: LibreOffice tells them apart
