"""The draft as Markdown: the same paragraphs as the .docx, one per block.

Sources go in footnotes ([^n] at the end of each paragraph), or, with ``trace``, in an appendix after the date so
that the body stays clean text (what ``tracker import`` reads back as next year's plan).
"""

from __future__ import annotations

from pathlib import Path

from tracker.report.model import Draft, Kind, Paragraph, Style

_PREFIX = {Kind.TITLE: "# ", Kind.HEADING1: "## ", Kind.HEADING2: "### "}


def _text(para: Paragraph) -> str:
    out = []
    for span in para.spans:
        # Bold marks what the office must write; a run-in （一）title。 is bold as in many printed reports.
        out.append(f"**{span.text}**" if span.style in (Style.TODO, Style.LEAD) else span.text)
    return "".join(out)


def render_markdown(draft: Draft, *, trace: bool = False) -> str:
    blocks: list[str] = []
    notes: list[str] = []
    for para in draft.paragraphs():
        text = _PREFIX.get(para.kind, "") + _text(para)
        if not trace:
            notes.append(para.source_line())
            text += f"[^{len(notes)}]"
        blocks.append(text)
    if trace:
        blocks.append("---")
        blocks.append("## 附：来源追溯")
        blocks.extend(note + "。" for note in draft.trace_notes)
        rows = ["| 段落 | 内容 | 来源 |", "| --- | --- | --- |"]
        for number, para in enumerate(draft.paragraphs(), start=1):
            head = para.text[:24] + ("…" if len(para.text) > 24 else "")
            rows.append(f"| {number} | {head.replace('|', '｜')} | {para.source_line().replace('|', '｜')} |")
        blocks.append("\n".join(rows))
    else:
        blocks.append("\n".join(f"[^{n}]: {note}" for n, note in enumerate(notes, start=1)))
    return "\n\n".join(blocks) + "\n"


def write_markdown(draft: Draft, path: Path, *, trace: bool = False) -> None:
    path.write_text(render_markdown(draft, trace=trace), encoding="utf-8")
