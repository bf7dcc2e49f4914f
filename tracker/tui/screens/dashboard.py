"""领导看板: the summary with progress bars, a burn-up of completed tasks, and the red list to drill into.

Everything is read in a thread worker through the app's Workspace and handed back as a Message, so the
screen never blocks on the database.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, ProgressBar, Sparkline, Static
from textual.widgets.data_table import CellDoesNotExist

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
from tracker.services.tasks import TaskDetail, TaskRow, get_task_detail, may_instruct
from tracker.tui.screens.instruct import DENIED, InstructScreen
from tracker.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from tracker.services.workspace import Workspace

BAR_CELLS = 10
# The rule in one line (the full text is tracker.domain.schedule.RULE_TEXT, shown by tracker summary).
LEGEND = f"完成率按任务个数计。序时进度：落后 {YELLOW_FROM}–{RED_ABOVE} 个百分点为黄，超过 {RED_ABOVE} 个百分点或逾期为红。"
RED_RULE = f"逾期或落后序时进度超过 {RED_ABOVE} 个百分点"
LIGHT_MARK = {Light.RED: "●红", Light.YELLOW: "●黄", Light.GREEN: "●绿", Light.GREY: "○灰"}
WIDE_FROM = 100  # terminal columns from which the tables show bars, full dates and long names
TALL_FROM = 32  # terminal lines from which the plan title, the burn-up and the legend are shown

# Fixed column widths (in terminal cells; a Chinese character takes two): the tables do not jump about as
# figures change. The name (事项/部门, 任务) takes what the screen width leaves, so the figures are never cut.
CELL_GAP = 1  # the tables have no cell padding: each column is one cell wider than its content
SCROLLBAR = 1
MIN_NAME = 12


@dataclass(frozen=True)
class Column:
    label: str
    narrow: int
    wide: int


GROUP_FIGURES = [
    Column("任务", 4, 4),
    Column("完成率", 6, BAR_CELLS + 5),  # 11%, or 11% ██████████ when wide: the number before the bar
    Column("平均", 4, 8),  # 平均进度 when wide
    Column("逾期", 4, 4),
    Column("15天内", 6, 6),
    Column("黄", 2, 3),
    Column("红", 2, 3),
    Column("最近更新", 8, 10),  # 06-12, or 2022-06-12 when wide
]
KEY_MAX = 38
RED_FIGURES = [
    Column("牵头单位", 10, 12),
    Column("状态", 10, 10),
    Column("时限", 10, 10),
    Column("情况", 14, 14),
]
ID_CELLS = 4
RED_TASK_MAX = 60


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


def name_cells(width: int, figures: list[int], *, most: int) -> int:
    """Cells left for the name column of a table ``width`` cells wide holding ``figures`` columns."""
    used = sum(w + CELL_GAP for w in figures) + CELL_GAP + SCROLLBAR
    return max(MIN_NAME, min(most, width - used))


def bar(percent: float, cells: int = BAR_CELLS) -> Text:
    """The figure, then a text progress bar for a table cell: 60% ██████░░░░."""
    filled = max(0, min(cells, round(percent * cells / 100)))
    out = Text(f"{percent:3.0f}% ")
    out.append("█" * filled, style="green")
    out.append("░" * (cells - filled), style="dim")
    return out


def short_day(day: date | None, *, wide: bool) -> str:
    if day is None:
        return "无"
    return day.isoformat() if wide else f"{day.month:02d}-{day.day:02d}"


def silent_text(s: Summary, cells: int) -> str:
    """The not-reported line, cut to ``cells`` (ending 等 when names are left out) so it always fits."""
    since = f"本月（{s.month_start.month}月{s.month_start.day}日起）"
    if not s.silent:
        return f"{since}各牵头部门均已报送进展"
    # No spaces: a line of Chinese folds anywhere, where a space would carry the rest to a new line.
    head = f"{since}未报送进展（{len(s.silent)}个部门）："
    names = [f"{d.name}（{d.last_update.isoformat() if d.last_update else '从未报送'}）" for d in s.silent]
    shown: list[str] = []
    for name in names:
        more = "等" if len(shown) + 1 < len(names) else ""
        if shown and cell_len(head + "、".join([*shown, name]) + more) > cells:
            break
        shown.append(name)
    return head + "、".join(shown) + ("等" if len(shown) < len(names) else "")


@dataclass(frozen=True)
class DashboardData:
    summary: Summary
    burn: list[BurnPoint]
    red: list[TaskRow]
    can_instruct: bool = False  # the user may write 批示 (leaders, admins)


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
            f"[b][{row.id}] {escape(row.code)} {escape(row.title)}[/b]",
            "",
            escape(d.text),
            "",
            f"牵头单位：{escape('、'.join(row.leads) or row.collective_owner or '未指定')}",
        ]
        if row.supports:
            lines.append(f"配合单位：{escape('、'.join(row.supports))}")
        late = "，已逾期" if row.overdue else ""
        lines.append(f"完成时限：{row.deadline.isoformat() if row.deadline else '未设定'}{late}")
        lines.append(
            f"状态：{row.status_label} {row.percent}%，序时进度应达 {d.expected_percent:.0f}%，"
            f"{LIGHT_MARK[row.light]}（{row.light.label}）"
        )
        for ins in d.instructions[:3]:
            lines.append(f"领导批示：{escape(ins.text)}（{escape(d.name_of(ins.author))}）")
        lines.append("")
        if d.updates:
            u = d.updates[0].update
            lines.append(
                f"最近进展（{u.recorded_at.astimezone().date().isoformat()}，{escape(d.name_of(u.author))}）："
                f"{escape(u.note or '—')}"
            )
            if u.problems:
                lines.append(f"存在问题：{escape(u.problems)}")
            if u.next_steps:
                lines.append(f"下一步措施：{escape(u.next_steps)}")
        else:
            lines.append("进展记录：暂无")
        with VerticalScroll(id="dash-brief"):
            yield Static("\n".join(lines), markup=True, id="dash-brief-text")
            yield Label("Esc 关闭", id="dash-brief-hint")


class DashboardScreen(Screen[None]):
    """The leader's dashboard. Constructed with the app's Workspace, or finds ``app.workspace`` on mount.

    Laid out for 80×24 first: the figures as numbers, the table per item (or department) with every
    column, the red list scrolling with its cursor, and the not-reported line, all on one screen. From
    ``WIDE_FROM`` columns the tables add bars and full dates; from ``TALL_FROM`` lines the plan title, the
    completion bar, the burn-up and the legend are shown too.
    """

    # Styles live with the screen so it looks the same pushed from any app (and in its own tests).
    DEFAULT_CSS = """
    DashboardScreen #dash { padding: 0 1; height: 1fr; }
    DashboardScreen #dash-plan { height: auto; }
    DashboardScreen #dash-figures { height: auto; }
    DashboardScreen #dash-top { height: 5; margin-top: 1; }
    DashboardScreen #dash-totals { width: 1fr; padding-right: 2; }
    DashboardScreen #dash-burn { width: 1fr; }
    DashboardScreen .dash-caption { color: $text-muted; text-style: bold; }
    DashboardScreen #dash-done { width: 100%; }
    DashboardScreen #dash-done Bar { width: 1fr; }
    DashboardScreen #dash-sparkline { height: 3; }
    DashboardScreen DataTable { scrollbar-size-vertical: 1; }
    DashboardScreen #dash-groups { height: auto; max-height: 45%; }
    DashboardScreen #dash-red-caption { width: 100%; }
    DashboardScreen #dash-red { height: 1fr; min-height: 2; }
    DashboardScreen #dash-silent { height: auto; max-height: 2; }
    DashboardScreen #dash-legend { height: auto; color: $text-muted; }
    DashboardScreen.-tall #dash-groups { margin-top: 1; }
    DashboardScreen.-tall #dash-red-caption { margin-top: 1; }
    DashboardScreen.-short #dash-plan, DashboardScreen.-short #dash-top, DashboardScreen.-short #dash-legend {
        display: none;
    }
    TaskBrief { align: center middle; }
    TaskBrief #dash-brief { width: 90; max-width: 100%; max-height: 80%; height: auto; border: round $accent;
        padding: 1 2; background: $surface; }
    TaskBrief #dash-brief-hint { color: $text-muted; margin-top: 1; }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]  # noqa: RUF012 (Screen declares it unannotated)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL_FROM, "-tall")]  # noqa: RUF012

    AUTO_FOCUS = "#dash-red"  # the red list is what a leader acts on

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", tooltip="回到任务列表"),
        Binding("d", "back", "返回", show=False),  # d opened the dashboard; d again goes back
        Binding("i", "instruct", "批示", tooltip="对红色清单中选中的任务作出批示（仅领导和管理员可用）"),
        # Staff: the key above shows disabled; pressing it says why instead of doing nothing.
        Binding("i", "instruct_denied", "批示", show=False),
        Binding("g", "toggle_group", "切换分组", tooltip="按事项或按牵头部门汇总"),
        Binding("r", "reload", "刷新", tooltip="重新汇总"),
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
        self._shown_width = 0

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = self.app.workspace  # type: ignore[attr-defined]
        assert self._workspace is not None
        return self._workspace

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Vertical(id="dash"):
            yield Static("", id="dash-plan")
            yield Static("正在汇总…", id="dash-figures")
            with Horizontal(id="dash-top"):
                with Vertical(id="dash-totals"):
                    yield Label("完成率（按任务个数计）", classes="dash-caption")
                    yield ProgressBar(total=100, show_eta=False, id="dash-done")
                    yield Static("", id="dash-counts")
                with Vertical(id="dash-burn"):
                    yield Label("已完成任务累计（按周，1 月 1 日起）", classes="dash-caption")
                    yield Sparkline([0], id="dash-sparkline")
                    yield Static("", id="dash-burn-axis")
            yield DataTable(id="dash-groups", cursor_type="row", zebra_stripes=True, cell_padding=0)
            yield Label("红色清单", classes="dash-caption", id="dash-red-caption")
            yield DataTable(id="dash-red", cursor_type="row", cell_padding=0)
            yield Static("", id="dash-silent")
            yield Static(LEGEND, id="dash-legend")
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

        def gather(session: Any, actor: Any) -> DashboardData:
            today = ws.today()
            return DashboardData(
                summary=summarize(session, today=today, plan=plan, by=by),
                burn=burn_up(session, today=today, plan=plan),
                red=red_list(session, today=today, plan=plan),
                can_instruct=may_instruct(actor),
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
        self.refresh_bindings()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.failed = message.message
        self.query_one("#dash-figures", Static).update(escape(message.message))
        self.notify(message.message, title="错误", severity="error")

    @on(DetailReady)
    def _detail_ready(self, message: DetailReady) -> None:
        self.app.push_screen(TaskBrief(message.detail))

    def on_resize(self) -> None:
        # The tables are cut to the width: lay them out again when it changes.
        if self.data is not None and self.size.width != self._shown_width:
            self._show(self.data)

    # -- showing ------------------------------------------------------------------------------------------------
    @property
    def wide(self) -> bool:
        return self.width_cells >= WIDE_FROM

    @property
    def width_cells(self) -> int:
        return self.size.width or self.app.size.width

    def _show(self, data: DashboardData) -> None:
        self._shown_width = self.width_cells
        s = data.summary
        total = s.total
        self.sub_title = f"{s.plan_year}年　截至 {s.today.isoformat()}"
        self.query_one("#dash-plan", Static).update(f"[b]{s.plan_year}年《{escape(s.plan_title)}》[/b]")
        statuses = "　".join(
            f"{STATUS_LABELS[st]} {total.by_status[st.value]}" for st in Status if st is not Status.DONE
        )
        self.query_one("#dash-figures", Static).update(
            f"[b]共 {total.total} 项任务[/b]　已完成 {total.done} 项（{total.done_rate:.1f}%）　"
            f"平均进度 {total.average_percent:.1f}%　{statuses}\n"
            f"[b $error]逾期 {total.overdue}[/]　15天内到期 {total.due_soon}　"
            f"[b $warning]黄灯 {total.lights['yellow']}[/]　[b $error]红灯 {total.lights['red']}[/]"
        )
        self.query_one("#dash-done", ProgressBar).update(total=100, progress=round(total.done_rate, 1))
        self.query_one("#dash-counts", Static).update(f"已完成 {total.done} 项，共 {total.total} 项")
        self._show_burn(data.burn)
        self._show_groups(s)
        self._show_red(data.red, s.today, can_instruct=data.can_instruct)
        self.query_one("#dash-silent", Static).update(escape(silent_text(s, 2 * (self.width_cells - 2))))

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
        wide = self.wide
        table = self.query_one("#dash-groups", DataTable)
        widths = [c.wide if wide else c.narrow for c in GROUP_FIGURES]
        key_cells = name_cells(self.width_cells - 2, widths, most=KEY_MAX)
        table.clear(columns=True)
        table.add_column("事项" if s.by == "item" else "牵头部门", width=key_cells + CELL_GAP)
        for column, width in zip(GROUP_FIGURES, widths, strict=True):
            label = "平均进度" if column.label == "平均" and wide else column.label
            table.add_column(label, width=max(width, cell_len(label)) + CELL_GAP)
        rows: list[GroupSummary] = [*s.groups, s.total]
        for g in rows:
            name = Text(clip(g.key, key_cells), style="bold" if g is s.total else "")
            table.add_row(
                name,
                str(g.total),
                bar(g.done_rate) if wide else f"{g.done_rate:3.0f}%",
                f"{g.average_percent:3.0f}%",
                Text(str(g.overdue), style="bold red" if g.overdue else ""),
                str(g.due_soon),
                Text(str(g.lights["yellow"]), style="bold yellow" if g.lights["yellow"] else ""),
                Text(str(g.lights["red"]), style="bold red" if g.lights["red"] else ""),
                short_day(g.last_update, wide=wide),
            )

    def _show_red(self, red: list[TaskRow], today: date, *, can_instruct: bool) -> None:
        wide = self.wide
        table = self.query_one("#dash-red", DataTable)
        kept = self.red_task_id  # the cursor stays on its task when the figures are read again
        widths = [c.wide if wide else c.narrow for c in RED_FIGURES]
        task_cells = name_cells(self.width_cells - 2, [ID_CELLS, *widths], most=RED_TASK_MAX)
        table.clear(columns=True)
        table.add_column("编号", width=ID_CELLS + CELL_GAP)
        table.add_column("任务", width=task_cells + CELL_GAP)
        for column, width in zip(RED_FIGURES, widths, strict=True):
            table.add_column(column.label, width=width + CELL_GAP)
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
                clip(f"{r.code} {r.title}", task_cells),
                clip("、".join(r.leads) or (r.collective_owner or "未指定"), widths[0]),
                f"{r.status_label} {r.percent}%",
                r.deadline.isoformat() if r.deadline else "",
                Text(why, style="bold red"),
                key=str(r.id),
            )
        if kept is not None:
            with suppress(KeyError):  # the task left the list
                table.move_cursor(row=table.get_row_index(str(kept)), animate=False)
        keys = "回车查看" + ("　i 批示" if can_instruct else "")
        caption = self.query_one("#dash-red-caption", Label)
        caption.update(
            f"红色清单（{RED_RULE}）{len(red)} 项　{keys}" if red else f"红色清单：没有{RED_RULE}的任务"
        )

    @property
    def red_task_id(self) -> int | None:
        """The task under the red list's cursor."""
        table = self.query_one("#dash-red", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return int(key.value) if key.value else None

    # -- actions ------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = self.data is not None and self.data.can_instruct
        if action == "instruct":
            return True if allowed else None  # None: shown, but disabled
        if action == "instruct_denied":
            return not allowed
        return True

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

    def action_instruct(self) -> None:
        task_id = self.red_task_id
        if task_id is None or self.data is None:
            self.notify("红色清单中没有任务可批示", severity="warning")
            return
        row = next(r for r in self.data.red if r.id == task_id)

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify(f"已保存对 #{row.id} 的批示", title="领导批示")
                self.load()

        heading = f"#{row.id} {row.code} {row.title}"
        self.app.push_screen(InstructScreen(self.workspace, task_id=row.id, heading=heading), closed)

    def action_instruct_denied(self) -> None:
        self.notify(DENIED, severity="warning")

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
