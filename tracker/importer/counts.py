"""How many numbered entries the importer saw in a section, and how many tasks it made of them.

Counted from the text itself, apart from the splitter, so that an entry the tree lost shows as a difference
(the dry run prints both figures; the parser warns where they differ)."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.importer import numbering as nb
from tracker.importer.model import ParsedTask


@dataclass(frozen=True)
class EntryCount:
    label: str  # the section heading, or an item's label and title
    seen: int  # numbered entries written in the text
    made: int  # tasks (or items) made of them


def _entries_in(text: str, rank: int) -> int:
    """Numbered entries inside an item's text below its own level: lines that start with a marker, else the
    一是…二是 points run on inside the paragraph."""
    lines = text.split("\n")[1:]
    kinds = [m.kind for ln in lines if (m := nb.start_marker(ln.strip())) is not None and nb.RANK[m.kind] > rank]
    if kinds:
        top = min(kinds, key=lambda k: nb.RANK[k])
        return kinds.count(top)
    return len(nb.inline_points(text))


def count_entries(heading: str | None, body: list[str], items: list[ParsedTask]) -> list[EntryCount]:
    """The section's own entries (lines starting with its items' numbering), then each item's entries."""
    own = [i for i in items if not i.appendix]
    first = nb.start_marker(own[0].label) if own else None
    seen = sum(1 for ln in body if first and (m := nb.start_marker(ln.strip())) and m.kind == first.kind)
    out = [EntryCount(heading or "整篇计划", seen if first else len(own), len(own))]
    for item in own:
        m = nb.start_marker(item.label)
        inner = _entries_in(item.text, nb.RANK[m.kind] if m else 0)
        if inner or item.children:
            out.append(EntryCount(f"{item.label}{item.title[:16]}", inner, len(item.children)))
    return out
