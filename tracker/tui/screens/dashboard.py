"""领导看板: the summary with progress bars, a burn-up of completed tasks, and the red list to drill into.

Everything is read in a thread worker through the app's Workspace and handed back as a Message, so the
screen never blocks on the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, ProgressBar, Sparkline, Static

from tracker.domain.schedule import RED_ABOVE, YELLOW_FROM, Light, points_behind
from tracker.domain.status import STATUS_LABELS, Status
from tracker.errors import TrackerError
from tracker.services.overview import (
    BurnPoint,
    GroupBy,
    GroupSummary,
    Summary,
    burn_up,
    red_list,
    summarize,
)
from tracker.services.tasks import TaskDetail, TaskRow, get_task_detail
from tracker.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from tracker.services.workspace import Workspace

BAR_CELLS = 10
# The rule in one line (the full text is tracker.domain.schedule.RULE_TEXT, shown by tracker summary).
LEGEND = f"完成率按任务个数计。序时进度：落后 {YELLOW_FROM}–{RED_ABOVE} 个百分点为黄，超过 {RED_ABOVE} 个百分点或逾期为红。"
LIGHT_STYLE = {Light.RED: "bold red", Light.YELLOW: "bold yellow", Light.GREEN: "green", Light.GREY: "dim"}
LIGHT_MARK = {Light.RED: "●红", Light.YELLOW: "●黄", Light.GREEN: "●绿", Light.GREY: "○灰"}


# Fixed column widths (in terminal cells; a Chinese character takes two): the tables do not jump
# about as figures change, and every screen draws the same whatever the timing of the layout pass.
KEY_CELLS = 38
GROUP_COLUMNS = [
    ("任务", 4),
    ("完成率", BAR_CELLS + 6),
    ("平均进度", 8),
    ("逾期", 4),
    ("15天内", 6),
    ("黄", 3),
    ("红", 3),
    ("最近更新", 10),
]
RED_TASK_CELLS = 46
RED_COLUMNS = [
    ("编号", 5),
    ("序时", 4),
    ("任务", RED_TASK_CELLS),
    ("牵头单位", 12),
    ("状态", 10),
    ("时限", 10),
    ("情况", 14),
]


def clip(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells, with … when cut."""
    if cell_len(text) <= cells:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out + "…"


def _fixed_columns(table: DataTable[Any], columns: list[tuple[str, int]]) -> None:
    table.clear(columns=True)
    for label, width in columns:
        table.add_column(label, width=width)


def bar(percent: float, cells: int = BAR_CELLS) -> Text:
    """A text progress bar for a table cell: ██████░░░░ 60%."""
    filled = max(0, min(cells, round(percent * cells / 100)))
    out = Text("█" * filled, style="green")
    out.append("░" * (cells - filled), style="dim")
    out.append(f" {percent:4.0f}%")
    return out


@dataclass(frozen=True)
class DashboardData:
    summary: Summary
    burn: list[BurnPoint]
    red: list[TaskRow]


class TaskBrief(ModalScreen[None]):
    """One task from the red list: what it is, who owns it, how late, what was last reported."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "关闭"),
        Binding("q", "dismiss", "关闭", show=False),
    ]

    def __init__(self, detail: TaskDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        d = self.detail
        row = d.row
        lines = [
            f"[b][{row.id}] {row.code} {row.title}[/b]",
            "",
            d.text,
            "",
            f"牵头单位：{'、'.join(row.leads) or row.collective_owner or '未指定'}",
        ]
        if row.supports:
            lines.append(f"配合单位：{'、'.join(row.supports)}")
        late = "，已逾期" if row.overdue else ""
        lines.append(f"完成时限：{row.deadline.isoformat() if row.deadline else '未设定'}{late}")
        lines.append(
            f"状态：{row.status_label} {row.percent}%，序时进度应达 {d.expected_percent:.0f}%，"
            f"{LIGHT_MARK[row.light]}（{row.light.label}）"
        )
        for ins in d.instructions[:3]:
            lines.append(f"领导批示：{ins.text}（{ins.author}）")
        lines.append("")
        if d.updates:
            u = d.updates[0].update
            lines.append(
                f"最近进展（{u.recorded_at.astimezone().date().isoformat()}，{u.author}）：{u.note or '—'}"
            )
            if u.problems:
                lines.append(f"存在问题：{u.problems}")
            if u.next_steps:
                lines.append(f"下一步措施：{u.next_steps}")
        else:
            lines.append("进展记录：暂无")
        with VerticalScroll(id="dash-brief"):
            yield Static("\n".join(lines), markup=True, id="dash-brief-text")
            yield Label("Esc 关闭", id="dash-brief-hint")


class DashboardScreen(Screen[None]):
    """The leader's dashboard. Constructed with the app's Workspace, or finds ``app.workspace`` on mount."""

    # Styles live with the screen so it looks the same pushed from any app (and in its own tests).
    DEFAULT_CSS = """
    DashboardScreen #dash { padding: 0 1; }
    DashboardScreen #dash-title { height: auto; padding: 0 0 1 0; }
    DashboardScreen #dash-top { height: 6; }
    DashboardScreen #dash-totals { width: 1fr; padding-right: 2; }
    DashboardScreen #dash-burn { width: 1fr; }
    DashboardScreen .dash-caption { color: $text-muted; text-style: bold; }
    DashboardScreen #dash-done { width: 100%; }
    DashboardScreen #dash-done Bar { width: 1fr; }
    DashboardScreen #dash-counts { height: 2; }
    DashboardScreen #dash-sparkline { height: 3; }
    DashboardScreen #dash-groups { height: 1fr; min-height: 5; margin-bottom: 1; }
    DashboardScreen #dash-red { height: 1fr; min-height: 5; }
    DashboardScreen #dash-silent { height: auto; max-height: 4; color: $text-muted; }
    TaskBrief { align: center middle; }
    TaskBrief #dash-brief { width: 90; max-height: 80%; height: auto; border: round $accent; padding: 1 2;
        background: $surface; }
    TaskBrief #dash-brief-hint { color: $text-muted; margin-top: 1; }
    """

    AUTO_FOCUS = "#dash-red"  # the red list is what a leader acts on

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回"),
        Binding("g", "toggle_group", "按事项/部门"),
        Binding("r", "reload", "刷新"),
    ]

    class Loaded(Message):
        def __init__(self, data: DashboardData) -> None:
            super().__init__()
            self.data = data

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class DetailReady(Message):
        def __init__(self, detail: TaskDetail) -> None:
            super().__init__()
            self.detail = detail

    class TaskChosen(Message):
        """A task picked from the red list. An app with ``on_dashboard_screen_task_chosen`` opens it in its
        own task screen; without one, the dashboard shows a TaskBrief."""

        def __init__(self, task_id: int) -> None:
            super().__init__()
            self.task_id = task_id

    def __init__(self, workspace: Workspace | None = None, *, plan: str | int | None = None) -> None:
        super().__init__()
        self._workspace = workspace
        self.plan = plan
        self.by: str = "item"
        self.data: DashboardData | None = None
        self.failed: str | None = None  # the last error shown, if the figures could not be read

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = self.app.workspace  # type: ignore[attr-defined]
        assert self._workspace is not None
        return self._workspace

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="dash"):
            yield Static("正在汇总…", id="dash-title")
            with Horizontal(id="dash-top"):
                with Vertical(id="dash-totals"):
                    yield Label("完成率（按任务个数计）", classes="dash-caption")
                    yield ProgressBar(total=100, show_eta=False, id="dash-done")
                    yield Static("", id="dash-counts")
                with Vertical(id="dash-burn"):
                    yield Label("已完成任务累计（按周，1 月 1 日起）", classes="dash-caption")
                    yield Sparkline([0], id="dash-sparkline")
                    yield Static("", id="dash-burn-axis")
            yield DataTable(id="dash-groups", cursor_type="row", zebra_stripes=True)
            yield Label(
                "红色清单：逾期与落后序时进度的任务（回车查看）",
                classes="dash-caption",
                id="dash-red-caption",
            )
            yield DataTable(id="dash-red", cursor_type="row")
            yield Static("", id="dash-silent")
        yield KeyFooter()

    def on_mount(self) -> None:
        _ = self.workspace  # resolved here, on the UI thread, before any worker asks for it
        self.title = "领导看板"
        self.load()

    # -- loading ------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="dashboard-load")
    def load(self) -> None:
        ws = self.workspace
        by: GroupBy = "department" if self.by == "department" else "item"
        plan = self.plan

        def gather(session: Any, _actor: Any) -> DashboardData:
            today = ws.today()
            return DashboardData(
                summary=summarize(session, today=today, plan=plan, by=by),
                burn=burn_up(session, today=today, plan=plan),
                red=red_list(session, today=today, plan=plan),
            )

        try:
            data = ws.run(gather)
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.Loaded(data))

    @work(thread=True, exclusive=True, group="dashboard-detail")
    def load_detail(self, task_id: int) -> None:
        ws = self.workspace
        try:
            detail = ws.run(lambda s, _a: get_task_detail(s, task_id=task_id, today=ws.today()))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.DetailReady(detail))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.data = message.data
        self.failed = None
        self._show(message.data)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.failed = message.message
        self.query_one("#dash-title", Static).update(message.message)
        self.notify(message.message, title="错误", severity="error")

    @on(DetailReady)
    def _detail_ready(self, message: DetailReady) -> None:
        self.app.push_screen(TaskBrief(message.detail))

    # -- showing ------------------------------------------------------------------------------------------------
    def _show(self, data: DashboardData) -> None:
        s = data.summary
        total = s.total
        self.sub_title = f"{s.plan_year}年　截至 {s.today.isoformat()}"
        self.query_one("#dash-title", Static).update(
            f"[b]{s.plan_year}年《{s.plan_title}》[/b]　共 {total.total} 项任务，"
            f"已完成 {total.done} 项（完成率 {total.done_rate:.1f}%），平均进度 {total.average_percent:.1f}%"
        )
        self.query_one("#dash-done", ProgressBar).update(total=100, progress=round(total.done_rate, 1))
        statuses = "　".join(f"{STATUS_LABELS[st]} {total.by_status[st.value]}" for st in Status)
        self.query_one("#dash-counts", Static).update(
            f"{statuses}\n"
            f"[red]逾期 {total.overdue}[/red]　15天内到期 {total.due_soon}　"
            f"[yellow]黄灯 {total.lights['yellow']}[/yellow]　[red]红灯 {total.lights['red']}[/red]"
        )
        self._show_burn(data.burn)
        self._show_groups(s)
        self._show_red(data.red, s.today)
        self._show_silent(s)

    def _show_burn(self, burn: list[BurnPoint]) -> None:
        values = [float(p.done) for p in burn] or [0.0]
        self.query_one("#dash-sparkline", Sparkline).data = values
        if burn:
            first, last = burn[0], burn[-1]
            axis = f"{first.day.month}月{first.day.day}日：{first.done} 项　→　{last.day.month}月{last.day.day}日：{last.done} 项"
        else:
            axis = ""
        self.query_one("#dash-burn-axis", Static).update(axis)

    def _show_groups(self, s: Summary) -> None:
        table = self.query_one("#dash-groups", DataTable)
        first = "事项" if s.by == "item" else "牵头部门"
        _fixed_columns(table, [(first, KEY_CELLS), *GROUP_COLUMNS])
        rows: list[GroupSummary] = [*s.groups, s.total]
        for g in rows:
            name = Text(clip(g.key, KEY_CELLS), style="bold" if g is s.total else "")
            table.add_row(
                name,
                str(g.total),
                bar(g.done_rate),
                f"{g.average_percent:.0f}%",
                Text(str(g.overdue), style="red" if g.overdue else ""),
                str(g.due_soon),
                Text(str(g.lights["yellow"]), style="yellow" if g.lights["yellow"] else ""),
                Text(str(g.lights["red"]), style="red" if g.lights["red"] else ""),
                g.last_update.isoformat() if g.last_update else "无",
            )

    def _show_red(self, red: list[TaskRow], today: date) -> None:
        table = self.query_one("#dash-red", DataTable)
        _fixed_columns(table, RED_COLUMNS)
        for r in red:
            if r.overdue and r.deadline:
                why = f"逾期 {(today - r.deadline).days} 天"
            elif r.deadline:
                start = r.start_date or date(r.deadline.year, 1, 1)
                why = f"落后{points_behind(r.percent, start, r.deadline, today):.0f}个百分点"
            else:
                why = "落后序时进度"
            table.add_row(
                str(r.id),
                Text(LIGHT_MARK[r.light], style=LIGHT_STYLE[r.light]),
                clip(f"{r.code} {r.title}", RED_TASK_CELLS),
                clip("、".join(r.leads) or (r.collective_owner or "未指定"), 12),
                f"{r.status_label} {r.percent}%",
                r.deadline.isoformat() if r.deadline else "",
                why,
                key=str(r.id),
            )
        caption = self.query_one("#dash-red-caption", Label)
        caption.update(
            f"红色清单：逾期与落后序时进度的任务 {len(red)} 项（回车查看）"
            if red
            else "红色清单：没有逾期或落后序时进度的任务"
        )

    def _show_silent(self, s: Summary) -> None:
        since = s.month_start
        if s.silent:
            names = "、".join(
                f"{d.name}（{d.last_update.isoformat() if d.last_update else '从未报送'}）" for d in s.silent
            )
            text = f"本月（{since.month}月{since.day}日起）未报送进展：{names}"
        else:
            text = f"本月（{since.month}月{since.day}日起）各牵头部门均已报送进展"
        self.query_one("#dash-silent", Static).update(f"{text}\n[dim]{LEGEND}[/dim]")

    # -- actions ------------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_toggle_group(self) -> None:
        self.by = "department" if self.by == "item" else "item"
        self.load()

    def action_reload(self) -> None:
        self.load()

    def refresh_data(self) -> None:
        """Tasks changed elsewhere (another screen, another process): gather the figures again."""
        self.load()

    @on(DataTable.RowSelected, "#dash-red")
    def _red_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self._open(int(event.row_key.value))

    def _open(self, task_id: int) -> None:
        self.post_message(self.TaskChosen(task_id))
        # An app that handles TaskChosen opens its own task screen; otherwise show a brief here.
        if not hasattr(self.app, "on_dashboard_screen_task_chosen"):
            self.load_detail(task_id)
