"""The draft as a document: paragraphs of spans, each paragraph with the sources it was built from.

Both writers (.docx and Markdown) render this same model, so the two drafts say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

TODO_OPEN = "【待补充"


class Kind(StrEnum):
    ISSUER = "issuer"  # 发文单位 lines above the title
    TITLE = "title"
    ADDRESSEE = "addressee"  # 主送机关
    BODY = "body"
    HEADING1 = "heading1"  # 一、
    HEADING2 = "heading2"  # （一） on its own line
    CLOSING = "closing"  # 特此报告。
    SIGNATURE = "signature"
    DATE = "date"
    TRACE = "trace"  # the --trace appendix


class Style(StrEnum):
    PLAIN = "plain"
    LEAD = "lead"  # a run-in （一）title。 inside a body paragraph: set in the level-2 heading font
    TODO = "todo"  # 【待补充：…】: what the office must write


class SourceKind(StrEnum):
    TASK = "task"
    UPDATE = "update"
    TARGET = "target"
    BASELINE = "baseline"
    ITEM = "item"
    REPORT = "report"  # the report the plan was imported from


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    id: int | None
    label: str  # what a reader is shown: 任务#12（（三）一是）

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.id}" if self.id is not None else f"{self.kind.value}:{self.label}"


@dataclass(frozen=True)
class Span:
    text: str
    style: Style = Style.PLAIN


@dataclass
class Paragraph:
    kind: Kind
    spans: list[Span]
    sources: list[Source] = field(default_factory=list)
    note: str = ""  # kept in the trace: e.g. the plan's original title for a rewritten heading

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def has_todo(self) -> bool:
        return any(s.style == Style.TODO for s in self.spans) or TODO_OPEN in self.text

    def source_line(self) -> str:
        """One line naming the sources, for a Word comment or a footnote."""
        parts = [s.label for s in self.sources]
        text = "来源：" + "；".join(parts) if parts else "来源：无（需人工补充）"
        if self.note:
            text += f"。{self.note}"
        return text


@dataclass
class Section:
    key: str  # measures | leadership | problems | next | other
    heading: Paragraph
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Draft:
    year: int  # the year reported on
    next_year: int
    title: str
    front: list[Paragraph]  # issuers, title, addressee, opening
    sections: list[Section]
    back: list[Paragraph]  # 特此报告。, issuers, date
    trace_notes: list[str] = field(default_factory=list)  # what the trace says about the draft as a whole

    def paragraphs(self) -> list[Paragraph]:
        out = list(self.front)
        for section in self.sections:
            out.append(section.heading)
            out.extend(section.paragraphs)
        out.extend(self.back)
        return out


def plain(text: str) -> Span:
    return Span(text)


def todo(what: str) -> Span:
    """A marked slot: 【待补充：what】."""
    return Span(f"【待补充：{what}】", Style.TODO)
