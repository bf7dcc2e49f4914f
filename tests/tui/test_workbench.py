"""The staff workbench driven with Pilot on a database imported from the real sample report."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static, TextArea

from tests.tui.conftest import DEPT, TODAY, async_test, settle, visible_text
from tracker.domain.schedule import RULE_TEXT
from tracker.services.tasks import get_task_detail, list_tasks, record_progress, set_deadline
from tracker.services.workspace import Workspace
from tracker.tui.app import TrackerApp, make_app
from tracker.tui.screens.assign import AssignScreen
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.department import DepartmentScreen
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.screens.help import HelpScreen, help_sections
from tracker.tui.screens.main import MainScreen
from tracker.tui.screens.progress import ProgressScreen
from tracker.tui.widgets.task_tree import TaskNode, TaskTree


def app_for(db_url: str, *, dept: str | None = DEPT, today: date = TODAY) -> TrackerApp:
    return make_app(db_url, dept=dept, today=today, poll=False)


def other_process(db_url: str, today: date = TODAY) -> Workspace:
    """Another tracker on the same database (its own engine and transactions)."""
    return Workspace(db_url, today=today, login="colleague")


def tree_rows(app: TrackerApp) -> list:
    """The tasks the tree shows, top to bottom, as the user sees them."""
    tree = app.screen.query_one(TaskTree)
    out = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            if isinstance(child.data, TaskNode):
                out.append(child.data.row)
            walk(child)

    walk(tree.root)
    return out


def screen_text(app: TrackerApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_task(pilot: Pilot[None], title_part: str) -> None:
    """Move the tree cursor down to the task whose title contains ``title_part`` and press Enter."""
    app = pilot.app
    tree = app.screen.query_one(TaskTree)
    for _ in range(40):
        node = tree.cursor_node
        if node is not None and isinstance(node.data, TaskNode) and title_part in node.data.row.title:
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"没有找到任务：{title_part}")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)


@async_test
async def test_opens_on_my_department_tasks_grouped_by_item(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.title == "我的任务"
        ws = other_process(sample_db)
        everything = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
        mine = [r for r in everything if "司法局" in r.leads + r.supports]
        shown = tree_rows(app)
        assert {r.id for r in shown} == {r.id for r in mine}
        assert len(shown) < len(everything)  # 市场监管局's task is not in 司法局's list
        # Grouped by item: tasks of one item are next to each other.
        items = [r.item_id for r in shown]
        assert items == sorted(items, key=items.index)

        await pilot.press("m")  # 范围: all departments
        assert {r.id for r in tree_rows(app)} == {r.id for r in everything}
        assert app.screen.title == "全部任务"


@async_test
async def test_record_progress_updates_history_and_light(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.detail is not None
        assert detail.detail.row.light.value == "red"  # 0% with half the year gone
        assert "暂无进展记录" in screen_text(app, "#detail-history")

        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        form.query_one("#note", TextArea).insert("召开专题会议，负责人出庭应诉 12 次")
        form.query_one("#percent", Input).value = "60"
        form.query_one("#figure-0", Input).value = "100"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, DetailScreen)
        history = screen_text(app, "#detail-history")
        assert "召开专题会议，负责人出庭应诉 12 次" in history
        assert "出庭应诉率 100" in history
        assert app.screen.detail is not None
        assert app.screen.detail.row.light.value == "green"
        assert "●绿" in screen_text(app, "#detail-state")
        assert "最新 100%（已达到）" in screen_text(app, "#detail-facts")
        audit_lines = screen_text(app, "#detail-audit")
        assert "记录进展" in audit_lines and "0% → 60%" in audit_lines  # the audit trail, newest first

        await pilot.press("escape")
        await settle(pilot)
        row = next(r for r in tree_rows(app) if "行政复议" in r.title)
        assert (row.percent, row.light.value) == (60, "green")


@async_test
async def test_percent_120_is_refused_in_place_and_typed_text_kept(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        note = "完成年度应诉案件梳理"
        form.query_one("#note", TextArea).insert(note)
        form.query_one("#percent", Input).value = "120"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is form  # still on the form
        error = form.query_one("#err-percent", Static)
        assert error.display and "0–100" in str(error.render())
        assert form.query_one("#note", TextArea).text == note
        assert form.query_one("#percent", Input).value == "120"
        assert form.focused is form.query_one("#percent", Input)
        task_id = form.detail.row.id
        ws = other_process(sample_db)
        assert ws.run(lambda s, _a: get_task_detail(s, task_id=task_id, today=TODAY)).updates == []


@async_test
async def test_service_validation_is_shown_beside_its_field(sample_db: str) -> None:
    """已完成 without a note and 暂缓 without a reason are refused by the service; the form shows where."""
    app = app_for(sample_db)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        form.query_one("#problems", TextArea).insert("人手不足")
        form.query_one("#status").value = "done"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        note_error = form.query_one("#err-note", Static)
        assert note_error.display and "已完成" in str(note_error.render())
        assert form.query_one("#problems", TextArea).text == "人手不足"

        form.query_one("#status").value = "suspended"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        reason_error = form.query_one("#err-reason", Static)
        assert reason_error.display and "原因" in str(reason_error.render())

        form.query_one("#reason", Input).value = "上级政策调整"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail is not None and app.screen.detail.row.status == "suspended"


@async_test
async def test_unsaved_form_asks_before_closing(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        await pilot.press(*"abc")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#note", TextArea).text == "abc"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)


@async_test
async def test_conflict_shows_what_changed_and_keeps_text(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        form.query_one("#note", TextArea).insert("我的进展")
        task_id = form.detail.row.id

        colleague = other_process(sample_db)
        colleague.run(
            lambda s, a: record_progress(s, actor=a, task_id=task_id, today=TODAY, percent=30, note="同事先保存的进展")
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        box = form.query_one("#conflict", Static)
        assert box.display
        assert "同事先保存的进展" in str(box.render())
        assert form.query_one("#note", TextArea).text == "我的进展"

        await pilot.press("ctrl+s")  # seen the change: save over it
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        history = screen_text(app, "#detail-history")
        assert history.index("我的进展") < history.index("同事先保存的进展")  # newest first


@async_test
async def test_search_finds_fuyi_and_pinyin(sample_db: str) -> None:
    app = app_for(sample_db, dept=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the department picker: all tasks
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"复议")
        await pilot.pause()
        shown = tree_rows(app)
        ws = other_process(sample_db)
        texts = {r.id: get_task_detail_text(ws, r.id) for r in ws.run(lambda s, _a: list_tasks(s, today=TODAY))}
        expected = {i for i, text in texts.items() if "复议" in text}
        assert expected and {r.id for r in shown} == expected
        assert any("行政复议" in r.title for r in shown)

        app.screen.query_one("#search", Input).value = "xzfy"
        await pilot.pause()
        assert any("行政复议" in r.title for r in tree_rows(app))

        app.screen.query_one("#search", Input).value = "复议 应诉"  # every word must match
        await pilot.pause()
        both = {i for i, text in texts.items() if "复议" in text and "应诉" in text}
        assert {r.id for r in tree_rows(app)} == both

        await pilot.press("escape")  # clears the search
        await pilot.pause()
        assert len(tree_rows(app)) == len(texts)


def get_task_detail_text(ws: Workspace, task_id: int) -> str:
    detail = ws.run(lambda s, _a: get_task_detail(s, task_id=task_id, today=TODAY))
    return detail.row.item_title + detail.row.title + detail.text


@async_test
async def test_filter_to_overdue_and_status(sample_db: str) -> None:
    ws = other_process(sample_db)
    rows = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
    late = next(r for r in rows if "规范性文件" in r.title)
    ws.run(lambda s, a: set_deadline(s, actor=a, task_id=late.id, deadline=date(2022, 6, 30)))
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(tree_rows(app)) > 1
        await pilot.press("o")
        assert [r.id for r in tree_rows(app)] == [late.id]
        assert "逾期是" in screen_text(app, "#filter-bar")
        await pilot.press("o", "s", "s")  # overdue off; status 未开始 → 推进中
        assert tree_rows(app) == []
        assert "没有符合条件的任务" in screen_text(app, "#list-note")
        await pilot.press("x")
        assert len(tree_rows(app)) == len(rows) - 1  # back to 我的任务 without the other department's task


@async_test
async def test_my_tasks_put_overdue_first(sample_db: str) -> None:
    ws = other_process(sample_db)
    rows = ws.run(lambda s, _a: list_tasks(s, today=TODAY))
    last_mine = [r for r in rows if "司法局" in r.leads][-1]
    ws.run(lambda s, a: set_deadline(s, actor=a, task_id=last_mine.id, deadline=date(2022, 6, 1)))
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert tree_rows(app)[0].id == last_mine.id


@async_test
async def test_help_lists_every_binding_and_the_rule(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = visible_text(app.screen.query_one("#help-keys", Static))
        for _title, bindings in help_sections():
            for binding in bindings:
                assert binding.description in keys  # type: ignore[union-attr]
        shown_rule = visible_text(app.screen.query_one("#help-rule", Static))
        assert "".join(RULE_TEXT.split()) in "".join(shown_rule.split())  # wrapped across lines
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@async_test
async def test_changes_by_another_process_appear(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = tree_rows(app)[0]
        assert row.percent == 0
        other_process(sample_db).run(
            lambda s, a: record_progress(s, actor=a, task_id=row.id, today=TODAY, percent=45, note="别处录入")
        )
        app.request_poll()  # what the periodic poll does every few seconds
        await settle(pilot)
        assert next(r for r in tree_rows(app) if r.id == row.id).percent == 45


@async_test
async def test_department_picker_chooses_my_tasks(sample_db: str) -> None:
    app = app_for(sample_db, dept=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DepartmentScreen)
        options = app.screen.query_one("#dept-list")
        names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]  # type: ignore[attr-defined]
        index = next(i for i, n in enumerate(names) if n.startswith("市场监管局"))
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        shown = tree_rows(app)
        assert shown and all("市场监管局" in r.leads + r.supports for r in shown)
        assert "市场监管局" in app.screen.sub_title


@async_test
async def test_assign_changes_owner_and_recurrence(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssignScreen)
        screen.query_one("#support", Input).value = "市场监管局"
        screen.query_one("#recurrence").value = "每季度"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        facts = screen_text(app, "#detail-facts")
        assert "市场监管局（配合，人工指定）" in facts
        assert "每季度" in facts

        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#lead", Input).value = "没有这个部门"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = app.screen.query_one("#err-lead", Static)
        assert error.display and "没有这个部门" in str(error.render())


@async_test
async def test_staff_user_lands_on_their_department_and_cannot_touch_others(sample_db: str) -> None:
    from tracker.services.users import add_user

    ws = other_process(sample_db)
    ws.run(lambda s, a: add_user(s, actor=a, login="colleague", role="admin"))
    ws.forget_actor()
    ws.run(lambda s, a: add_user(s, actor=a, login="market", role="staff", departments=["市场监管局"]))
    app = make_app(sample_db, today=TODAY, login="market", poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # no department picker: the user's own department
        assert app.screen.title == "我的任务" and "市场监管局" in app.screen.sub_title
        shown = tree_rows(app)
        assert shown and all("市场监管局" in r.leads + r.supports for r in shown)
        await pilot.press("a")  # staff may not assign
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

        await pilot.press("m")  # all tasks: open one of 司法局's and try to record progress
        await pilot.pause()
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProgressScreen)
        form.query_one("#note", TextArea).insert("越权填报")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = form.query_one("#err-form", Static)
        assert error.display and "不由您所在的部门" in str(error.render())


@async_test
async def test_leader_lands_on_the_dashboard(sample_db: str) -> None:
    from tracker.services.users import add_user
    from tracker.tui.screens.dashboard import DashboardScreen

    ws = other_process(sample_db)
    ws.run(lambda s, a: add_user(s, actor=a, login="colleague", role="admin"))
    ws.forget_actor()
    ws.run(lambda s, a: add_user(s, actor=a, login="boss", role="leader"))
    app = make_app(sample_db, today=TODAY, login="boss", poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # the task list is one key away


@async_test
async def test_dashboard_key_opens_the_leaders_view(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@async_test
async def test_quit_with_unsaved_form_asks_first(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_task(pilot, "行政复议")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press(*"abc")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen) and app.is_running


@async_test
async def test_mouse_click_opens_a_task(sample_db: str) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(TaskTree)
        line = next(
            n for n in range(tree.last_line + 1)
            if isinstance((node := tree.get_node_at_line(n)) and node.data, TaskNode)
            and "行政复议" in node.data.row.title  # type: ignore[union-attr]
        )
        await pilot.click(TaskTree, offset=(20, line))  # one click opens, as a link would
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail is not None and "行政复议" in app.screen.detail.row.title
        await pilot.click("#back")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@async_test
async def test_detail_shows_an_upper_limit_with_its_bound(db_url: str) -> None:
    from tests.report.test_upper_limit import REPORT
    from tracker.importer.parse import parse_report
    from tracker.services import plans

    ws = Workspace(db_url, login="tester", today=date(2023, 1, 25))
    ws.run(lambda s, a: plans.import_plan(s, actor=a, parsed=parse_report(REPORT, source_name="示范区报告.txt")))
    task = next(r.id for r in ws.run(lambda s, _a: list_tasks(s, today=TODAY)) if r.title.startswith("提升行政应诉"))
    ws.run(lambda s, a: record_progress(s, actor=a, task_id=task, today=date(2023, 6, 30), percent=50,
                                        note="上半年败诉2件", figures={"行政诉讼败诉率": 12}))
    ws.dispose()
    app = app_for(db_url, today=date(2023, 7, 1))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_task(pilot, "提升行政应诉质效")
        facts = screen_text(app, "#detail-facts")
        assert "指标：行政诉讼败诉率 目标 不超过10%，最新 12%（已超过）" in facts
        assert "指标：出庭应诉率 目标 100%，暂无数据" in facts
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        labels = [str(label.render()) for label in app.screen.query(Label)]
        assert "指标：行政诉讼败诉率（目标 不超过10%，最新 12）" in labels
