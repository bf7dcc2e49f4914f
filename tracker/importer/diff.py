"""Re-import: what changed between the plan already imported and an edited version of its source.

Items are matched to items and points to points by label and by how alike their titles and texts are (difflib),
so a renumbered or lightly reworded task keeps its identity — and the progress recorded against it. Pure: the
services decide what to write; this only says which old task is which new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from tracker.importer.model import ParsedPlan, ParsedTask

ChangeKind = Literal["added", "removed", "reworded", "renumbered", "unchanged"]

MATCH_THRESHOLD = 0.55  # below this two tasks are different tasks, whatever their labels


@dataclass
class TaskChange:
    kind: ChangeKind
    level: Literal["item", "point"]
    old: ParsedTask | None
    new: ParsedTask | None
    old_key: str | None  # （三）二是
    new_key: str | None
    similarity: float = 0.0

    def describe(self) -> str:
        if self.kind == "added" and self.new is not None:
            return f"新增：{self.new_key} {self.new.title}"
        if self.kind == "removed" and self.old is not None:
            return f"删除：{self.old_key} {self.old.title}"
        if self.old is None or self.new is None:
            return ""
        key = self.new_key if self.old_key == self.new_key else f"{self.old_key} → {self.new_key}"
        if self.kind == "unchanged":
            return f"未变：{key} {self.new.title}"
        if self.kind == "renumbered":
            return f"编号变化：{key} {self.new.title}"
        if self.old.title != self.new.title:
            return f"改写：{key} “{self.old.title}” → “{self.new.title}”（相似度 {self.similarity:.0%}）"
        return f"改写：{key} {self.new.title}（正文有改动，相似度 {self.similarity:.0%}）"


@dataclass
class PlanDiff:
    changes: list[TaskChange] = field(default_factory=list)
    plan_changes: list[str] = field(default_factory=list)  # year, title, heading…

    def of(self, kind: ChangeKind) -> list[TaskChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def added(self) -> list[TaskChange]:
        return self.of("added")

    @property
    def removed(self) -> list[TaskChange]:
        return self.of("removed")

    @property
    def reworded(self) -> list[TaskChange]:
        return self.of("reworded")

    @property
    def renumbered(self) -> list[TaskChange]:
        return self.of("renumbered")

    @property
    def unchanged(self) -> list[TaskChange]:
        return self.of("unchanged")

    @property
    def changed(self) -> bool:
        return bool(self.plan_changes) or any(c.kind != "unchanged" for c in self.changes)

    def matches(self) -> list[tuple[ParsedTask, ParsedTask]]:
        """(old, new) pairs that are the same task: their recorded progress carries over."""
        return [(c.old, c.new) for c in self.changes if c.old is not None and c.new is not None]

    def describe(self) -> str:
        """A Chinese summary, one line per change (unchanged tasks counted, not listed)."""
        if not self.changed:
            return "与已导入的计划相比没有变化。"
        counts = (
            f"与已导入的计划相比：新增 {len(self.added)} 项，删除 {len(self.removed)} 项，"
            f"改写 {len(self.reworded)} 项，编号变化 {len(self.renumbered)} 项，未变 {len(self.unchanged)} 项。"
        )
        lines = [counts, *self.plan_changes]
        for kind in ("added", "removed", "reworded", "renumbered"):
            lines += [c.describe() for c in self.of(kind)]  # type: ignore[arg-type]
        if self.removed:
            lines.append("删除的任务及其进展记录不会被删除，只标记为已从计划中移除。")
        return "\n".join(lines)


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.3 or m.quick_ratio() < 0.3:
        return m.quick_ratio() * 0.5  # cheap bound: clearly different
    return m.ratio()


def _score(old: ParsedTask, new: ParsedTask) -> float:
    title = _ratio(old.title, new.title)
    text = 1.0 if old.text == new.text else _ratio(old.text[:2000], new.text[:2000])
    score = max(title, 0.4 * title + 0.6 * text)
    if old.label == new.label:
        score = min(1.0, score + 0.05)  # same number: a tie-breaker, never enough on its own
    return score


def _match(olds: list[ParsedTask], news: list[ParsedTask]) -> list[tuple[int | None, int | None, float]]:
    """Greedy best-first pairing by score; unpaired entries are removed (old) or added (new)."""
    pairs = sorted(
        ((_score(o, n), i, j) for i, o in enumerate(olds) for j, n in enumerate(news)),
        key=lambda x: (-x[0], abs(x[1] - x[2])),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    out: list[tuple[int | None, int | None, float]] = []
    for score, i, j in pairs:
        if score < MATCH_THRESHOLD:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        out.append((i, j, score))
    out += [(i, None, 0.0) for i in range(len(olds)) if i not in used_old]
    out += [(None, j, 0.0) for j in range(len(news)) if j not in used_new]
    return out


def _change(
    level: Literal["item", "point"],
    old: ParsedTask | None,
    new: ParsedTask | None,
    old_key: str | None,
    new_key: str | None,
    score: float,
) -> TaskChange:
    if old is None:
        return TaskChange("added", level, None, new, None, new_key)
    if new is None:
        return TaskChange("removed", level, old, None, old_key, None)
    same = old.title == new.title and old.text == new.text
    kind: ChangeKind = "reworded" if not same else "unchanged" if old_key == new_key else "renumbered"
    return TaskChange(kind, level, old, new, old_key, new_key, score)


def diff_plans(old: ParsedPlan, new: ParsedPlan) -> PlanDiff:
    """Items and points added, removed and reworded between two parses of (versions of) the same report."""
    result = PlanDiff()
    if old.year != new.year:
        result.plan_changes.append(f"计划年度：{old.year} → {new.year}")
    if old.title != new.title:
        result.plan_changes.append(f"标题：{old.title} → {new.title}")
    if old.section_heading != new.section_heading:
        result.plan_changes.append(f"安排部分标题：{old.section_heading} → {new.section_heading}")

    item_pairs = _match(old.items, new.items)
    item_pairs.sort(key=lambda p: p[1] if p[1] is not None else len(new.items) + (p[0] or 0))
    orphan_old: list[tuple[ParsedTask, str]] = []
    orphan_new: list[tuple[ParsedTask, str]] = []
    point_changes: list[TaskChange] = []
    for i, j, score in item_pairs:
        o = old.items[i] if i is not None else None
        n = new.items[j] if j is not None else None
        result.changes.append(_change("item", o, n, o.label if o else None, n.label if n else None, score))
        o_children = o.children if o else []
        n_children = n.children if n else []
        for ci, cj, cscore in _match(o_children, n_children):
            co = o_children[ci] if ci is not None else None
            cn = n_children[cj] if cj is not None else None
            if co is not None and cn is not None:
                assert o is not None and n is not None
                point_changes.append(_change("point", co, cn, o.label + co.label, n.label + cn.label, cscore))
            elif co is not None and o is not None:
                orphan_old.append((co, o.label + co.label))
            elif cn is not None and n is not None:
                orphan_new.append((cn, n.label + cn.label))
    # a point moved to another item is the same task, not one removed and one added
    for ci, cj, cscore in _match([t for t, _ in orphan_old], [t for t, _ in orphan_new]):
        co, ko = orphan_old[ci] if ci is not None else (None, None)
        cn, kn = orphan_new[cj] if cj is not None else (None, None)
        point_changes.append(_change("point", co, cn, ko, kn, cscore))
    result.changes += point_changes
    return result
