"""``tracker summary --chart``: a bar per department (or item) drawn with block characters, for a quick look in
an 80-column terminal. Each light has its own block as well as its colour, and its name is written beside the
bar, so the chart reads on a terminal without colour and when pasted into a message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from tracker.domain.schedule import Light

WIDTH = 80
NAME_CELLS = 14
BAR_CELLS = 24
BLOCKS = {Light.GREEN: "█", Light.YELLOW: "▓", Light.RED: "▒", Light.GREY: "░"}
STYLES = {Light.GREEN: "green", Light.YELLOW: "yellow", Light.RED: "red", Light.GREY: "bright_black"}
ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.GREY)
LEGEND_NAMES = {Light.GREEN: "正常", Light.YELLOW: "滞后", Light.RED: "严重滞后", Light.GREY: "未启动、暂缓"}


def fit(text: str, cells: int) -> str:
    """``text`` cut (with …) or padded to exactly ``cells`` terminal cells."""
    if cell_len(text) > cells:
        while cell_len(text) > cells - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (cells - cell_len(text))


def bar_cells(counts: Sequence[int], cells: int = BAR_CELLS) -> list[int]:
    """Cells for each part of a bar: proportional (largest remainder), every non-empty part at least one."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    shown = [c for c in counts if c]
    out = [1 if c else 0 for c in counts]
    rest = cells - len(shown)
    raw = [rest * c / total for c in counts]
    extra = [int(x) for x in raw]
    left = rest - sum(extra)
    order = sorted(range(len(counts)), key=lambda i: raw[i] - extra[i], reverse=True)
    for i in order[:left]:
        extra[i] += 1
    return [o + e for o, e in zip(out, extra, strict=True)]


def chart_line(group: Any) -> Text:
    """One group's line: name, bar, tasks, done rate, and each light named with its count."""
    counts = [group.lights[light.value] for light in ORDER]
    line = Text(fit(group.key, NAME_CELLS) + " ")
    for light, n in zip(ORDER, bar_cells(counts), strict=True):
        line.append(BLOCKS[light] * n, style=STYLES[light])
    line.append(f" {group.total:>3}项 完成{group.done_rate:>5.1f}%")
    for light, count in zip(ORDER, counts, strict=True):
        line.append(" ")
        line.append(f"{light.colour_name}{count}", style=STYLES[light])
    return line


def legend() -> Text:
    line = Text("图例：")
    for n, light in enumerate(ORDER):
        if n:
            line.append("  ")
        line.append(f"{BLOCKS[light]} {light.colour_name}", style=STYLES[light])
        line.append(f"（{LEGEND_NAMES[light]}）")
    return line


def chart(title: str, groups: Sequence[Any]) -> list[Text]:
    return [Text(title), *(chart_line(g) for g in groups if g.total), legend()]
