"""我的任务 / 计划树: the list every session starts on, with search and filters."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static, Tree
from textual.widgets.tree import TreeNode

from tracker.domain.status import STATUS_LABELS, Status
from tracker.errors import TrackerError
from tracker.services import search, views
from tracker.services.task_list import TaskRow
from tracker.services.views import Filters, Workbench
from tracker.tui.widgets.footer import KeyFooter
from tracker.tui.widgets.task_tree import ItemNode, MoreNode, NodeData, PlanNode, TaskNode, TaskTree, fit

if TYPE_CHECKING:
    from tracker.services.tasks import TaskDetail
    from tracker.tui.app import TrackerApp

STATUS_CYCLE: list[str | None] = [None, *(s.value for s in Status)]
DUE_CYCLE: list[int | None] = [None, 7, 15, 30]
# Beyond this many tasks, items start collapsed and get their tasks when opened (a province has thousands).
EXPAND_LIMIT = 300
# A list longer than this is cut with a note; nobody reads 10,000 lines, they search.
SHOW_LIMIT = 500


@dataclass
class ListState:
    """What the user chose on this screen; kept across refreshes."""

    mine: bool = True
    status_index: int = 0
    overdue: bool = False
    due_index: int = 0
    plan_index: int = 0  # 0: every plan; n: the (n-1)th plan in the workbench


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "搜索", key_display="/", tooltip="按词语或拼音首字母查找任务，回车回到列表"),
        Binding("u", "record", "填报", tooltip="为光标所在任务记录进展"),
        Binding("o", "toggle_overdue", "逾期", tooltip="只看已逾期未完成的任务（再按取消）"),
        Binding("s", "cycle_status", "状态", tooltip="按状态筛选：全部→未开始→推进中→已完成→暂缓"),
        Binding("n", "cycle_due", "到期", tooltip="只看 7、15、30 天内到期的任务（依次切换）"),
        Binding("m", "toggle_scope", "范围", tooltip="在本部门任务与全部任务之间切换"),
        Binding("p", "cycle_plan", "计划", tooltip="按计划年度筛选（依次切换）"),
        Binding("x", "clear_filters", "清除", tooltip="清除搜索和全部筛选"),
        Binding("b", "pick_department", "选部门", tooltip="选择以哪个部门查看“我的任务”"),
        Binding("a", "assign", "分配", tooltip="确认或调整责任单位、时限和周期（管理员）"),
        Binding("r", "refresh", "刷新", tooltip="重新读取数据库（他人的修改也会每隔几秒自动出现）"),
        Binding("escape", "back", "返回", tooltip="清空搜索，回到列表"),
    ]

    class Loaded(Message):
        def __init__(self, workbench: Workbench) -> None:
            super().__init__()
            self.workbench = workbench

    class IndexLoaded(Message):
        def __init__(self, index: search.SearchIndex) -> None:
            super().__init__()
            self.index = index

    class SearchReady(Message):
        """jieba and pinyin are loaded: a query typed meanwhile is searched again in full."""

    class DetailReady(Message):
        """A task's detail, loaded for a screen to open (record / assign)."""

        def __init__(self, detail: TaskDetail, purpose: str) -> None:
            super().__init__()
            self.detail = detail
            self.purpose = purpose

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.workbench: Workbench | None = None
        self.index: search.SearchIndex | None = None
        self.state = ListState()
        self.shown: list[TaskRow] = []
        self._query = ""
        self.painted_at = 0.0

    @property
    def tracker_app(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="search-bar"):
            yield Input(
                placeholder="搜索：任务文字、责任单位、进展，或拼音首字母（如 xzfy）",
                id="search",
                compact=True,
                select_on_focus=False,
            )
        yield Static("", id="filter-bar")
        yield TaskTree(id="tasks")
        yield Static("正在读取任务…", id="list-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(TaskTree).focus()
        self._update_titles()
        # A department's own tasks (or the newest plan) first: on a city's 10,000 tasks that is the
        # difference between a screen at once and a wait; everything else follows in the background.
        self.load(first=True)

    # -- loading -----------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="main-load")
    def load(self, *, first: bool = False) -> None:
        ws = self.tracker_app.workspace
        ids = self.tracker_app.department_ids if first else None
        try:
            # The search index (all texts and notes) comes separately, so the list shows sooner.
            bench = ws.read(
                lambda r, _a: views.load_workbench(
                    r, today=ws.today(), with_index=False, department_ids=ids, newest_plan_only=first
                )
            )
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.Loaded(bench))

    @work(thread=True, exclusive=True, group="search-index")
    def load_index(self) -> None:
        ws = self.tracker_app.workspace
        try:
            index = ws.read(lambda r, _a: search.load_search_index(r))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.IndexLoaded(index))
        # jieba's dictionary and the titles' pinyin, ready before the first keystroke needs them.
        search.warm_up()
        index.build_initials()
        self.post_message(self.SearchReady())
        # The services that write (SQLAlchemy, ~0.35 s to import) ready before the first Enter or save.
        import tracker.services.tasks  # noqa: F401

    def refresh_data(self) -> None:
        """Another process (or another screen) changed tasks: load again, keeping the cursor."""
        self.load()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        first = self.workbench is None
        self.workbench = message.workbench
        self.tracker_app.marker = message.workbench.marker
        self.apply()
        if first:
            self.tracker_app.first_screen_shown()
        if not message.workbench.complete:
            self.call_after_refresh(self.load)
        elif self.index is None:
            # Loading texts, jieba and pinyin is CPU work that competes with painting for the GIL:
            # start it once the first screen is up.
            self.set_timer(0.3, self.load_index)
        else:
            self.load_index()

    @on(IndexLoaded)
    def _index_loaded(self, message: IndexLoaded) -> None:
        self.index = message.index
        if self._query.strip():
            self.apply()

    @on(SearchReady)
    def _search_ready(self) -> None:
        if self._query.strip():
            self.apply()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#list-note", Static).update(message.message)
        self.notify(message.message, title="错误", severity="error")

    # -- filters ---------------------------------------------------------------------------------------------------
    def filters(self) -> Filters:
        app = self.tracker_app
        bench = self.workbench
        plan_id = None
        if bench and self.state.plan_index and self.state.plan_index <= len(bench.plans):
            plan_id = bench.plans[self.state.plan_index - 1].id
        ids = self._search_ids(bench) if bench and self._query.strip() else None
        return Filters(
            department_ids=app.department_ids if self.state.mine else frozenset(),
            status=STATUS_CYCLE[self.state.status_index],
            overdue=self.state.overdue,
            due_within=DUE_CYCLE[self.state.due_index],
            plan_id=plan_id,
            task_ids=ids,
        )

    def _search_ids(self, bench: Workbench) -> set[int]:
        if self.index is not None:
            return self.index.search(self._query, wait=False) or set()
        # The index is still loading (a second or so after start): titles only, meanwhile.
        words = self._query.lower().split()
        return {r.id for r in bench.rows if all(w in f"{r.item_title}{r.title}".lower() for w in words)}

    def apply(self) -> None:
        """Filter the loaded rows and show them; runs on every keystroke, so it stays in memory."""
        bench = self.workbench
        if bench is None:
            return
        filters = self.filters()
        self.shown = views.filter_rows(bench.rows, filters, today=bench.today)
        self._rebuild_tree(filters)
        self._update_bar(filters)
        self._update_titles()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        # When the result of the last keystroke reached the screen (read by bench/tui_timing.py).
        self.painted_at = time.perf_counter()

    def _update_titles(self) -> None:
        app = self.tracker_app
        mine = self.state.mine and app.department_ids
        self.title = "我的任务" if mine else "全部任务"
        who = app.department_label or ""
        self.sub_title = "　".join(p for p in (who if mine else "", f"今天 {app.workspace.today().isoformat()}") if p)

    def _update_bar(self, filters: Filters) -> None:
        app = self.tracker_app
        bench = self.workbench
        plan = "全部"
        if bench and filters.plan_id is not None:
            plan = next((f"{p.year}年" for p in bench.plans if p.id == filters.plan_id), plan)
        status = STATUS_LABELS[Status(filters.status)] if filters.status else "全部"
        parts = [
            f"范围[b]{'本部门' if filters.department_ids else '全部'}[/b]" if app.department_ids else "范围[b]全部[/b]",
            f"状态[b]{status}[/b]",
            f"逾期[b]{'是' if filters.overdue else '—'}[/b]",
            f"到期[b]{f'{filters.due_within}天内' if filters.due_within is not None else '—'}[/b]",
            f"计划[b]{plan}[/b]",
            f"共[b]{len(self.shown)}[/b]项",
        ]
        if bench and not bench.complete and not filters.department_ids:
            parts.append("（正在读取其余任务…）")
        self.query_one("#filter-bar", Static).update("  ".join(parts))
        note = self.query_one("#list-note", Static)
        if not self.shown:
            if bench and not bench.rows:
                note.update("数据库中还没有任务：先用 tracker import 导入报告，或 tracker demo 生成演示数据")
            else:
                note.update("没有符合条件的任务（按 x 清除筛选）")
            note.display = True
        else:
            note.display = False

    def _rebuild_tree(self, filters: Filters) -> None:
        tree = self.query_one(TaskTree)
        bench = self.workbench
        assert bench is not None
        keep = self.highlighted_task()
        keep_id = keep.id if keep else None
        tree.clear()
        mine = bool(filters.department_ids)
        groups = views.group_by_item(self.shown, by_urgency=mine)
        expand = len(self.shown) <= EXPAND_LIMIT or filters.active
        plan_ids = {row.plan_id for row in self.shown}
        plan_nodes: dict[int, TreeNode[NodeData]] = {}
        shown = 0
        target: TreeNode[NodeData] | None = None
        for _item_id, rows in groups:
            if shown >= SHOW_LIMIT:
                break
            first = rows[0]
            parent = tree.root
            if len(plan_ids) > 1:
                if first.plan_id not in plan_nodes:
                    plan_nodes[first.plan_id] = tree.root.add(
                        f"{first.plan_year}年计划（#{first.plan_id}）", PlanNode(first.plan_id, first.plan_year), expand=True
                    )
                parent = plan_nodes[first.plan_id]
            if len(rows) == 1 and first.label == first.item_label:
                node = parent.add_leaf("", TaskNode(first))  # the item is itself the task
                shown += 1
                if first.id == keep_id:
                    target = node
                continue
            item = parent.add(self._item_label(first, rows), ItemNode(first.item_id, tuple(rows)), expand=expand)
            if expand or any(r.id == keep_id for r in rows):
                item.expand()
                for row in rows:
                    node = item.add_leaf("", TaskNode(row))
                    if row.id == keep_id:
                        target = node
            shown += len(rows)
        if shown < len(self.shown):
            tree.root.add_leaf(f"……另有 {len(self.shown) - shown} 项符合条件未列出，请用搜索或筛选缩小范围", MoreNode(len(self.shown) - shown))
        if target is not None:
            self.call_after_refresh(tree.move_cursor, target)
        elif tree.root.children:
            self.call_after_refresh(tree.move_cursor, tree.root.children[0])

    @staticmethod
    def _item_label(first: TaskRow, rows: list[TaskRow]) -> str:
        overdue = sum(r.overdue for r in rows)
        extra = f"，逾期 {overdue} 项" if overdue else ""
        return f"{first.item_label}{fit(first.item_title, 40).rstrip()}（{len(rows)} 项{extra}）"

    @on(Tree.NodeExpanded, "#tasks")
    def _expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        data = event.node.data
        if isinstance(data, ItemNode) and not event.node.children:
            for row in data.rows:
                event.node.add_leaf("", TaskNode(row))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        self.apply()

    def on_key(self, event: events.Key) -> None:
        """Chinese typed while the list has focus goes to the search box: typing is searching. (ASCII
        letters stay command keys.) Also keeps characters typed right after "/" before focus moves."""
        search_box = self.query_one("#search", Input)
        char = event.character
        if self.focused is search_box or not event.is_printable or not char or char.isascii():
            return
        search_box.focus()
        search_box.insert_text_at_cursor(char)
        event.stop()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(TaskTree).focus()

    @on(Tree.NodeSelected, "#tasks")
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        if isinstance(event.node.data, TaskNode):
            self.tracker_app.open_task(event.node.data.row.id)

    def highlighted_task(self) -> TaskRow | None:
        node = self.query_one(TaskTree).cursor_node
        if node is not None and isinstance(node.data, TaskNode):
            return node.data.row
        return None

    # -- actions ---------------------------------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        search_box = self.query_one("#search", Input)
        if search_box.value:
            search_box.value = ""
        self.query_one(TaskTree).focus()

    def action_toggle_overdue(self) -> None:
        self.state.overdue = not self.state.overdue
        self.apply()

    def action_cycle_status(self) -> None:
        self.state.status_index = (self.state.status_index + 1) % len(STATUS_CYCLE)
        self.apply()

    def action_cycle_due(self) -> None:
        self.state.due_index = (self.state.due_index + 1) % len(DUE_CYCLE)
        self.apply()

    def action_toggle_scope(self) -> None:
        if not self.tracker_app.department_ids:
            self.notify("尚未选择部门：按 b 选择部门", severity="warning")
            return
        self.state.mine = not self.state.mine
        self.apply()

    def action_cycle_plan(self) -> None:
        plans = len(self.workbench.plans) if self.workbench else 0
        self.state.plan_index = (self.state.plan_index + 1) % (plans + 1)
        self.apply()

    def action_clear_filters(self) -> None:
        self.state = ListState(mine=self.state.mine)
        self._query = ""
        self.query_one("#search", Input).value = ""
        self.apply()

    def action_refresh(self) -> None:
        self.load()
        self.notify("已刷新", timeout=1.5)

    def action_pick_department(self) -> None:
        self.tracker_app.pick_department()

    def department_changed(self) -> None:
        self.state.mine = True
        self.apply()

    def action_record(self) -> None:
        row = self.highlighted_task()
        if row is None:
            self.notify("请先把光标移到一项任务上", severity="warning")
            return
        self.load_detail(row.id, "record")

    def action_assign(self) -> None:
        if not self.tracker_app.actor_is_admin:
            self.notify("只有管理员可以分配责任单位和时限", severity="warning")
            return
        row = self.highlighted_task()
        if row is None:
            self.notify("请先把光标移到一项任务上", severity="warning")
            return
        self.load_detail(row.id, "assign")

    @work(thread=True, group="main-detail")
    def load_detail(self, task_id: int, purpose: str) -> None:
        ws = self.tracker_app.workspace
        try:
            from tracker.services.tasks import get_task_detail

            detail = ws.run(lambda s, _a: get_task_detail(s, task_id=task_id, today=ws.today()))
        except TrackerError as err:
            self.post_message(self.Failed(err.message))
            return
        self.post_message(self.DetailReady(detail, purpose))

    @on(DetailReady)
    def _detail_ready(self, message: DetailReady) -> None:
        if message.purpose == "record":
            self.tracker_app.open_progress_form(message.detail)
        else:
            self.tracker_app.open_assign(message.detail)
