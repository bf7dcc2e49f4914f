"""The parsed plan: what the importer read from a report, before anything is written.

Pure data. ``tracker.importer.parse`` builds it from text; ``tracker.services.plans.import_plan`` writes it.
``to_json`` gives the documented shape of ``tracker import --dry-run --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Role = Literal["lead", "support"]
OwnerSource = Literal["text", "suggested", "assigned", "carried"]  # carried: last year's owners


@dataclass
class ParsedOwner:
    department: str
    role: Role = "lead"
    source: OwnerSource = "suggested"
    collective: bool = False  # 各有关单位, 各处室按职责分工负责: kept as written, not a department
    # the name as the text wrote it, when the directory knows the unit by another name (区司法局 → 司法局)
    written: str | None = None
    # for a suggestion: the directory keywords found in the text (the evidence, never invented)
    keywords: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"department": self.department, "role": self.role, "source": self.source}
        if self.collective:
            out["collective"] = True
        if self.written:
            out["written"] = self.written
        if self.keywords:
            out["keywords"] = list(self.keywords)
        return out


@dataclass
class ParsedDeadline:
    date: date
    source: Literal["text", "default"] = "default"
    text: str | None = None  # the words it came from: 6月底前
    vague: bool = False  # 按期, 长期坚持: a person should set a date

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source, "text": self.text, "vague": self.vague}


@dataclass
class ParsedRecurrence:
    rrule: str | None  # RFC 5545, e.g. FREQ=YEARLY; None when flagged
    text: str  # 每年, 每季度, 定期
    flagged: bool = False  # recurring but cadence unspecified: a person sets it

    def to_json(self) -> dict[str, Any]:
        return {"rrule": self.rrule, "text": self.text, "flagged": self.flagged}


@dataclass
class ParsedTarget:
    name: str
    value: float
    unit: str
    text: str = ""
    at_most: bool = False  # an upper limit (控制在10%以内, 不超过2次), not a goal to reach

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"name": self.name, "value": value, "unit": self.unit, "text": self.text}
        if self.at_most:
            out["at_most"] = True
        return out


@dataclass
class ParsedTask:
    """An item （三） (level 1) or one of its points 二是 (level 2)."""

    label: str
    title: str
    text: str
    owners: list[ParsedOwner] = field(default_factory=list)
    deadline: ParsedDeadline | None = None
    recurrence: ParsedRecurrence | None = None
    targets: list[ParsedTarget] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # 《…》 named as deliverables
    children: list[ParsedTask] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what the importer could not decide, in Chinese
    line: int | None = None  # 1-based line in the source where it starts
    recurrences: list[ParsedRecurrence] = field(default_factory=list)  # every cadence found: 每年, 定期…
    deadlines: list[ParsedDeadline] = field(default_factory=list)  # every date found: 3月底前, 6月底前…
    appendix: bool = False  # an appendix list (附件2 民生实事) rather than an item of the section

    @property
    def unassigned(self) -> bool:
        return not any(o.role == "lead" for o in self.owners)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "owners": [o.to_json() for o in self.owners],
            "deadline": self.deadline.to_json() if self.deadline else None,
            "recurrence": self.recurrence.to_json() if self.recurrence else None,
            # every date and cadence the text gives ("3月底前…6月底前", "周调度、月通报、季观摩"), when there are several
            **({"deadlines": [d.to_json() for d in self.deadlines]} if len(self.deadlines) > 1 else {}),
            **({"recurrences": [r.to_json() for r in self.recurrences]} if len(self.recurrences) > 1 else {}),
            "targets": [t.to_json() for t in self.targets],
            "documents": list(self.documents),
            "missing": list(self.missing),
            "line": self.line,
            **({"appendix": True} if self.appendix else {}),
            "children": [c.to_json() for c in self.children],
        }


@dataclass
class ParsedBaseline:
    value: float
    unit: str
    sentence: str
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit, "sentence": self.sentence, "name": self.name}


@dataclass
class ParsedPlan:
    year: int
    title: str
    issuers: list[str]
    addressee: str | None
    report_date: date | None
    section_heading: str | None
    section_start_line: int | None  # 1-based, inclusive
    section_end_line: int | None
    items: list[ParsedTask]
    baseline: list[ParsedBaseline] = field(default_factory=list)
    kind: Literal["report", "plan"] = "report"
    opening: str | None = None  # the report's opening paragraph (2021年，高新区坚持…)
    source_name: str = ""
    source_hash: str = ""
    source_text: str = ""
    warnings: list[str] = field(default_factory=list)
    report_year: int | None = None  # the year the report looks back on (plan year − 1 for a report)
    headings: list[str] = field(default_factory=list)  # top-level headings seen, for messages and --dry-run
    # (section or item, numbered entries seen in the text, tasks made): the --dry-run summary
    entry_counts: list[tuple[str, int, int]] = field(default_factory=list)

    def tasks(self) -> list[ParsedTask]:
        """The tracked tasks: an item's points, or the item itself when it has none."""
        return [c for item in self.items for c in (item.children or [item])]

    def unassigned_labels(self) -> list[str]:
        out: list[str] = []
        for item in self.items:
            if item.children:
                out += [f"{item.label}{c.label}" for c in item.children if c.unassigned]
            elif item.unassigned:
                out.append(item.label)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": {
                "year": self.year,
                "title": self.title,
                "issuers": list(self.issuers),
                "addressee": self.addressee,
                "report_date": self.report_date.isoformat() if self.report_date else None,
                "section_heading": self.section_heading,
                "section_lines": [self.section_start_line, self.section_end_line],
                "kind": self.kind,
                "source_name": self.source_name,
                "source_hash": self.source_hash,
            },
            "items": [i.to_json() for i in self.items],
            "baseline": [b.to_json() for b in self.baseline],
            "unassigned": self.unassigned_labels(),
            "warnings": list(self.warnings),
        }
