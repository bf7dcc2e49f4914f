"""The plan tree: plan → item （一） → task, each task line with its 序时进度 light, status, percent and deadline
in columns that stay aligned with Chinese text (widths counted in terminal cells, not characters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tracker.services.task_list import TaskRow

LIGHT_WORDS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
# Theme variables, so the lights follow light and dark themes.
LIGHT_THEME_COLORS = {"green": "success", "yellow": "warning", "red": "error", "grey": "foreground-muted"}
FIXED_COLUMNS = 3 + 1 + 6 + 1 + 4 + 1 + 10  # light, status, percent, deadline (with the gaps)
MIN_TITLE = 12


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells; a cut ends with … so it is seen to be cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


@dataclass(frozen=True)
class PlanNode:
    plan_id: int
    year: int


@dataclass(frozen=True)
class ItemNode:
    item_id: int
    rows: tuple[TaskRow, ...]


@dataclass(frozen=True)
class TaskNode:
    row: TaskRow


@dataclass(frozen=True)
class MoreNode:
    hidden: int


NodeData = PlanNode | ItemNode | TaskNode | MoreNode


class TaskTree(Tree[NodeData]):
    """Tree whose task labels are laid out in columns at render time, so they fit any terminal width."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "打开"),
        Binding("space", "toggle_node", "展开/收起", key_display="空格", show=False),
    ]

    DEFAULT_CSS = """
    TaskTree {
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("计划", id=id)
        self.show_root = False
        self.guide_depth = 2

    def _depth(self, node: TreeNode[NodeData]) -> int:
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        return depth

    def _light_style(self, light: str) -> Style:
        color = self.app.theme_variables.get(LIGHT_THEME_COLORS[light], "")
        try:
            return Style.parse(f"bold {color}") if color else Style(bold=True)
        except Exception:  # a theme variable that is not a plain colour
            return Style(bold=True)

    def task_label(self, row: TaskRow, width: int, *, code: str) -> Text:
        title_width = max(MIN_TITLE, width - FIXED_COLUMNS - cell_len(code) - 1)
        light = row.light.value
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"●{LIGHT_WORDS[light]}", style=self._light_style(light))
        text.append(" ")
        text.append(code + " ", style="bold")
        text.append(fit(row.title, title_width))
        text.append(" ")
        text.append(fit(row.status_label, 6))
        text.append(" ")
        text.append(f"{row.percent:>3}%")
        text.append(" ")
        deadline = row.deadline.isoformat() if row.deadline else "无时限"
        text.append(fit(deadline, 10), style=self._light_style("red") if row.overdue else Style())
        return text

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        data = node.data
        if not isinstance(data, TaskNode):
            return super().render_label(node, base_style, style)
        # Guides take guide_depth cells per level below the (hidden) root; the vertical scrollbar one more.
        width = self.size.width - self._depth(node) * self.guide_depth - 1
        label = self.task_label(data.row, width, code=fit(data.row.label, 6))
        label.stylize(style)
        return label

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        # Task labels are cut to the visible width, so never ask for a horizontal scrollbar.
        if isinstance(node.data, TaskNode):
            return max(0, self.size.width - self._depth(node) * self.guide_depth - 1)
        return super().get_label_width(node)
