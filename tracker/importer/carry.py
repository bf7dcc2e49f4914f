"""Next year's plan continues this year's: a task whose words carry on from one of last year's keeps that task's
owners (and its targets, where the new text names none), instead of a guess from the department directory.

A report's arrangements rarely name owners; the office assigned them last year in the tool. Pure functions: the
service reads last year's tasks, these match them by their words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from tracker.importer.model import ParsedOwner, ParsedPlan, ParsedTarget, ParsedTask

# How alike two texts must be (difflib ratio on the words, punctuation and spacing left out) for one task to
# continue the other: the next-year section copies or trims the plan's wording, so continuing tasks are far above
# this, and two different tasks of one plan far below (they share the domain's words, not their sentences).
_SAME_TASK = 0.6
_NOISE = re.compile(r"[\s，。；：、,.;:！？!?“”‘’《》（）()【】\-—]+|^(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）)")


@dataclass(frozen=True)
class PreviousTask:
    """One of last year's tasks as the office left it: its words, owners (department, role) and targets."""

    task_id: int
    title: str
    text: str
    owners: tuple[tuple[str, str], ...]
    targets: tuple[ParsedTarget, ...] = field(default=())


@dataclass(frozen=True)
class Carried:
    label: str
    previous_id: int
    owners: bool
    targets: int


def _words(text: str) -> str:
    return _NOISE.sub("", text)


def _likeness(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < _SAME_TASK or matcher.quick_ratio() < _SAME_TASK:
        return 0.0
    return matcher.ratio()


def continued_from(task: ParsedTask, previous: Sequence[PreviousTask]) -> PreviousTask | None:
    """The previous task this one carries on, if one is alike enough (the most alike)."""
    words = _words(task.text)
    title = _words(task.title)
    best: tuple[float, PreviousTask] | None = None
    for old in previous:
        score = 1.0 if title and title == _words(old.title) else _likeness(words, _words(old.text))
        if score >= _SAME_TASK and (best is None or score > best[0]):
            best = (score, old)
    return best[1] if best else None


def carry_over(plan: ParsedPlan, previous: Sequence[PreviousTask]) -> list[Carried]:
    """Give each task that continues one of ``previous`` that task's owners, unless its own text names owners,
    and its targets where its text gives none. Changes ``plan`` in place; returns what was carried."""
    out: list[Carried] = []
    if not previous:
        return out
    for task in plan.tasks():
        old = continued_from(task, previous)
        if old is None:
            continue
        written = any(o.source == "text" for o in task.owners)
        take_owners = not written and bool(old.owners)
        if take_owners:
            task.owners = [ParsedOwner(dept, "support" if role == "support" else "lead", "carried") for dept, role in old.owners]
            task.missing = [m for m in task.missing if "责任单位" not in m]
        targets = 0
        if not task.targets and old.targets:
            task.targets = list(old.targets)
            targets = len(old.targets)
        if take_owners or targets:
            out.append(Carried(task.label, old.task_id, take_owners, targets))
    if any(c.owners for c in out):  # the parse's count of tasks without owners is out of date
        plan.warnings = [w for w in plan.warnings if "项任务未找到责任单位" not in w]
        unassigned = plan.unassigned_labels()
        if unassigned:
            plan.warnings.append(f"{len(unassigned)} 项任务未找到责任单位：{'、'.join(unassigned[:20])}")
    return out
