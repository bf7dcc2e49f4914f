"""tracker tui: the staff workbench in the terminal."""

from __future__ import annotations

from typing import Any

import click


@click.command(
    "tui",
    help=(
        "打开终端界面：查看我的任务和计划树，记录进展，搜索与筛选。不带命令运行 tracker 也会打开它。\n\n"
        "示例：tracker tui --dept 区司法局"
    ),
)
@click.option("--dept", metavar="部门", help="以该部门查看“我的任务”（单用户模式或管理员；不给则启动时选择）")
@click.pass_obj
def tui_cmd(state: Any, dept: str | None) -> None:
    # Textual costs ~0.3 s to import: only this command pays it.
    from tracker.services.departments import find_department
    from tracker.tui.app import make_app

    ws = state.workspace
    ws.actor()  # not a user, a locked or newer database: one line on stderr before the screen opens
    if dept:
        ws.run(lambda s, _a: find_department(s, name=dept))
    app = make_app(ws.url, dept=dept, today=state.today, workspace=ws)
    app.run()
