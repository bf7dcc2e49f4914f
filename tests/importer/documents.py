"""Documents written in the tests: .docx files in the official layout (python-docx), and conversions of them to
PDF and .doc through LibreOffice, many files in one LibreOffice run (each run costs a second or two)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

INDENT = "\u3000\u3000"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_all(paths: Sequence[Path], target: str, out_dir: Path, profile: Path) -> list[Path]:
    """Convert ``paths`` to ``target`` ("pdf", "doc", "docx") in one LibreOffice run; returns the new files."""
    program = soffice()
    assert program is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",  # its own profile: parallel runs do not collide
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out = [out_dir / f"{p.stem}.{target.split(':')[0]}" for p in paths]
    missing = [p.name for p in out if not p.is_file()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


def _field(paragraph: object, instruction: str) -> None:
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def official_docx(
    lines: Sequence[str],
    path: Path,
    *,
    title_lines: int = 0,
    header: str | None = None,
    page_numbers: str | None = "— {} —",
    footer_text: str | None = None,
) -> Path:
    """A Word file in the GB/T 9704 layout: A4, margins 37/35/28/26 mm, 16 pt text, paragraphs that start with
    two full-width spaces indented two characters instead, the first ``title_lines`` lines centred at 22 pt, an
    optional running header, and page numbers in the footer written as ``page_numbers`` ("— {} —", "第{}页")."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    style = document.styles["Normal"]
    style.font.size = Pt(16)
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = Pt(28.9)
    if header:
        section.header.paragraphs[0].text = header
    if page_numbers or footer_text:
        footer = section.footer.paragraphs[0]
        if footer_text:
            footer.add_run(footer_text + "    ")
        if page_numbers:
            before, after = page_numbers.split("{}")
            footer.add_run(before)
            _field(footer, "PAGE")
            footer.add_run(after)
    for n, line in enumerate(lines):
        text = line.rstrip()
        p = document.add_paragraph()
        if n < title_lines:
            p.alignment = 1  # centred
            p.add_run(text.strip()).font.size = Pt(22)
            continue
        if text.startswith(INDENT):
            text = text.lstrip("\u3000 ")
            p.paragraph_format.first_line_indent = Pt(32)
        p.alignment = 3  # justified, as official documents are set
        p.add_run(text)
    document.save(str(path))
    return path
