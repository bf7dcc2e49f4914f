"""选择部门: single-user mode and admins choose whose 我的任务 to see."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.services.catalog import DepartmentRow

ALL = "all"


class DepartmentScreen(ModalScreen[int | None]):
    """Returns the department id chosen, or None for every department."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "all", "全部任务"),
    ]

    def __init__(self, departments: list[DepartmentRow]) -> None:
        super().__init__()
        self.departments = departments

    def compose(self) -> ComposeResult:
        options = [Option("全部任务（不按部门）", id=ALL)]
        # Departments that own tasks first: a directory lists many units that own none yet.
        ordered = sorted(self.departments, key=lambda d: (d.lead_tasks + d.support_tasks == 0, d.id))
        options += [
            Option(f"{escape(d.name)}　牵头 {d.lead_tasks} 项，配合 {d.support_tasks} 项", id=str(d.id))
            for d in ordered
        ]
        with Vertical(id="dept-box"):
            yield Static("[b]选择部门[/b]　看该部门牵头或配合的任务（↑↓ 选择，回车确定）")
            yield OptionList(*options, id="dept-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.dismiss(None if option_id in (None, ALL) else int(option_id))

    def action_all(self) -> None:
        self.dismiss(None)
