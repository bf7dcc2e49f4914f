"""The real ``tracker`` command in a real terminal (tmux, 80×24): Chinese titles line up, and the daily flow
(search, open, record progress, quit) works with keys sent as a user would type them."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from rich.cells import cell_len

from tests.tui.conftest import DEPT, TODAY

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux 未安装")

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Tmux:
    def __init__(self, width: int, height: int) -> None:
        self.socket = f"tracker-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height

    def tmux(self, *args: str) -> str:
        # Without a UTF-8 locale the tmux client silently drops Chinese characters from send-keys.
        env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        done = subprocess.run(
            ["tmux", "-u", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
            env=env,
        )
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), command)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"终端内容未如期出现：\n{text}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session"], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal() -> Iterator[Tmux]:
    term = Tmux(80, 24)
    yield term
    term.close()


def task_lines(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if "●" in line and DATE.search(line)]


def column_of(line: str, pattern: re.Pattern[str]) -> int:
    """Display column (terminal cells, Chinese = 2) where ``pattern`` first matches."""
    match = pattern.search(line)
    assert match, line
    return cell_len(line[: match.start()])


def test_tracker_in_tmux_shows_aligned_chinese_and_records_progress(sample_db: str, terminal: Tmux) -> None:
    env = {"TRACKER_USER": "tester", "TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "Asia/Shanghai"}
    command = " ".join(
        [
            "env",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            f"PATH={shlex.quote(os.environ.get('PATH', ''))}",
            shlex.quote(sys.executable),
            "-m",
            "tracker",
            "--db",
            shlex.quote(sample_db),
            "--today",
            TODAY.isoformat(),
            "tui",
            "--dept",
            DEPT,
        ]
    )
    terminal.start(command)
    screen = terminal.wait_for(lambda s: len(task_lines(s)) >= 3)

    lines = task_lines(screen)
    assert any("健全行政复议应诉制度体系" in line for line in lines)
    assert all(cell_len(line) <= 80 for line in screen.splitlines())
    # Titles differ in length and depth in the tree, yet status, percent and deadline share columns.
    assert len({column_of(line, DATE) for line in lines}) == 1
    assert (
        len({column_of(line, re.compile(r"\d+%")) + len(re.search(r"\d+%", line).group()) for line in lines})
        == 1
    )  # type: ignore[union-attr]
    assert len({column_of(line, re.compile("未开始|推进中|已完成|暂缓")) for line in lines}) == 1

    terminal.keys("/")
    # The search box has focus once the footer shows only the keys that work while typing.
    terminal.wait_for(lambda s: "填报" not in s.splitlines()[-1] and "填报" not in s.splitlines()[-2])
    time.sleep(0.3)  # a person's pause between keys; characters in the same read as "/" can be lost
    terminal.keys("复议", literal=True)
    screen = terminal.wait_for(lambda s: "共1项" in s.replace(" ", ""))
    assert all("复议" in line for line in task_lines(screen))

    terminal.keys("Enter")  # back to the list, cursor on the match
    terminal.wait_for(lambda s: "填报" in s.splitlines()[-1] + s.splitlines()[-2])
    terminal.keys("Enter")  # open it
    screen = terminal.wait_for(lambda s: "任务详情" in s and "进展记录" in s)
    time.sleep(0.3)
    terminal.keys("u")
    terminal.wait_for(lambda s: "进展情况" in s)
    time.sleep(0.3)
    terminal.keys("在终端中录入的进展", literal=True)
    terminal.keys("C-s")
    screen = terminal.wait_for(lambda s: "任务详情" in s and "在终端中录入的进展" in s)

    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "按 q 后程序没有退出"


def test_dashboard_in_tmux_at_80x24_shows_every_column_and_the_not_reported_line(
    sample_db: str, terminal: Tmux
) -> None:
    env = {"TRACKER_USER": "tester", "TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "Asia/Shanghai"}
    command = " ".join(
        [
            "env",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            f"PATH={shlex.quote(os.environ.get('PATH', ''))}",
            shlex.quote(sys.executable),
            "-m",
            "tracker",
            "--db",
            shlex.quote(sample_db),
            "--today",
            TODAY.isoformat(),
            "tui",
            "--dept",
            DEPT,
        ]
    )
    terminal.start(command)
    terminal.wait_for(lambda s: len(task_lines(s)) >= 3)
    time.sleep(0.3)
    terminal.keys("d")
    screen = terminal.wait_for(
        lambda s: "领导看板" in s and "未报送" in s and "合计" in s and "切换分组" in s
    )
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(cell_len(line) <= 80 for line in lines)
    # The figures, every column of the table per item, and the red list with its state, deadline and why.
    assert any("逾期 0" in line and "红灯 9" in line for line in lines), screen
    header = next(line for line in lines if "事项" in line and "完成率" in line)
    assert all(word in header for word in ("逾期", "15天内", "黄", "红", "最近更新")), header
    total = next(line for line in lines if line.split()[:1] == ["合计"]).split()
    assert total == ["合计", "9", "0%", "0%", "0", "0", "0", "9", "无"], total
    red_header = next(line for line in lines if "编号" in line)
    assert all(word in red_header for word in ("任务", "牵头单位", "状态", "时限", "情况")), red_header
    assert sum("未开始 0%" in line and "落后" in line for line in lines) >= 5
    # The not-reported line on screen, above a footer that shows its keys in full.
    assert any("本月（7月1日起）未报送进展" in line for line in lines), screen
    assert "批示" in lines[-1] and "返回" in lines[-1]

    terminal.keys("Escape")  # back to the task list
    terminal.wait_for(lambda s: "领导看板" not in s and len(task_lines(s)) >= 3)
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "按 q 后程序没有退出"
