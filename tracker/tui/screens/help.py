"""帮助 (?): every key of every screen, and the 序时进度 rule behind the lights."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.domain.schedule import RULE_TEXT


def binding_table(app: object, sections: list[tuple[str, list[BindingType]]]) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 0, 0), expand=False)
    table.add_column("界面")
    table.add_column("按键")
    table.add_column("作用")
    for title, bindings in sections:
        first = True
        seen: set[str] = set()
        for binding in bindings:
            # A key bound twice (one shown, one standing in when the first is disabled) is listed once.
            if not isinstance(binding, Binding) or not binding.description or binding.key in seen:
                continue
            seen.add(binding.key)
            key = binding.key_display or app.get_key_display(binding)  # type: ignore[attr-defined]
            what = f"{binding.description}：{binding.tooltip}" if binding.tooltip else binding.description
            table.add_row(title if first else "", escape(key), escape(what))
            first = False
    return table


def help_sections() -> list[tuple[str, list[BindingType]]]:
    # Imported here: the screens import the app's helpers, and help must list them all.
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.assign import AssignScreen
    from tracker.tui.screens.dashboard import DashboardScreen
    from tracker.tui.screens.detail import DetailScreen
    from tracker.tui.screens.main import MainScreen
    from tracker.tui.screens.progress import ProgressScreen
    from tracker.tui.widgets.task_tree import TaskTree

    return [
        ("全局", list(TrackerApp.BINDINGS)),
        ("任务列表", [*TaskTree.BINDINGS, *MainScreen.BINDINGS]),
        ("任务详情", list(DetailScreen.BINDINGS)),
        ("记录进展", list(ProgressScreen.BINDINGS)),
        ("分配（管理员）", list(AssignScreen.BINDINGS)),
        ("领导看板", list(DashboardScreen.BINDINGS)),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "返回"),
        Binding("question_mark", "close", "关闭帮助", key_display="?"),
        Binding("q", "close", "关闭帮助", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("[b]帮助[/b]　（Esc 返回；鼠标也可点击、滚动）", id="help-title")
            yield Static(binding_table(self.app, help_sections()), id="help-keys")
            yield Static("[b]序时进度灯[/b]", classes="section-title")
            yield Static(escape(RULE_TEXT), id="help-rule")
            yield Static(
                "●绿 正常　●黄 滞后　●红 严重滞后或逾期　●灰 未启动或暂缓\n"
                "搜索：输入任务文字、责任单位或进展中的词语，多个词同时满足；也可输入拼音首字母（如 xzfy）。\n"
                "其他人在别处保存的修改每隔几秒自动出现，也可按 r 刷新。Ctrl+P 打开命令面板（可切换明暗主题）。",
                id="help-notes",
            )

    def action_close(self) -> None:
        self.dismiss()
