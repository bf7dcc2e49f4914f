"""Time the staff workbench on a big database with Pilot: the first screen, a search keystroke, a filter key.

    python bench/tui_timing.py                      # the city database (10,000 tasks, 200,000 updates)
    python bench/tui_timing.py --db /tmp/x.db --dept 司法局 --runs 5

The database comes from bench/generate.py (built and cached in bench/data when missing). Figures are
medians of several runs; ``measure`` is what bench/run.py calls. Not a test: pytest does not collect bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEARCH_WORDS = "复议"  # typed one character at a time, as a person would
SIZE = (80, 24)


async def _one_run(url: str, *, today: date, login: str | None, dept: str | None) -> dict[str, float]:
    from textual.widgets import Input

    from tracker.tui.app import make_app
    from tracker.tui.screens.main import MainScreen

    started = time.perf_counter()
    app = make_app(url, dept=dept, today=today, login=login, poll=False)
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        while app.first_screen_at is None:  # set after the paint that shows the first list
            await asyncio.sleep(0.002)
        out["first_screen_s"] = app.first_screen_at - started
        if not isinstance(app.screen, MainScreen):  # the department picker (admin): take all tasks
            await pilot.press("escape")
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        out["tasks_loaded"] = float(len(screen.workbench.rows if screen.workbench else []))  # at first paint
        # As after a moment of use: every task loaded, the search index built, jieba and pinyin warm.
        while not (screen.workbench and screen.workbench.complete and screen.index and screen.index.ready):
            await asyncio.sleep(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()

        search = screen.query_one("#search", Input)
        search.focus()
        await pilot.pause()
        keystrokes = []
        pilot_keystrokes = []
        for char in SEARCH_WORDS:
            begin = time.perf_counter()
            await pilot.press(char)
            await pilot.pause()
            # Key sent → filtered list painted; Pilot's own waiting for idle comes on top of that.
            keystrokes.append(screen.painted_at - begin)
            pilot_keystrokes.append(time.perf_counter() - begin)
        out["keystroke_s"] = max(keystrokes)
        out["pilot_keystroke_s"] = max(pilot_keystrokes)
        out["search_matches"] = float(len(screen.shown))
        begin = time.perf_counter()
        screen.apply()  # the filtering and tree rebuild alone, without Pilot's own overhead
        out["apply_s"] = time.perf_counter() - begin

        await pilot.press("escape")  # clear the search, back to the list
        await pilot.pause()
        begin = time.perf_counter()
        await pilot.press("o")  # overdue filter
        await pilot.pause()
        out["filter_s"] = screen.painted_at - begin
        out["overdue_matches"] = float(len(screen.shown))
    return out


def measure(
    url: str, *, today: date, login: str | None = None, runs: int = 3, dept: str | None = None
) -> dict[str, Any]:
    """Median figures over ``runs`` fresh app starts (each opens the database anew)."""
    results = [asyncio.run(_one_run(url, today=today, login=login, dept=dept)) for _ in range(runs)]

    def series(key: str) -> list[float]:
        return [r[key] for r in results]

    return {
        "first_screen_s": statistics.median(series("first_screen_s")),
        "first_screen_runs": series("first_screen_s"),
        "keystroke_s": statistics.median(series("keystroke_s")),
        "keystroke_runs": series("keystroke_s"),
        "pilot_keystroke_s": statistics.median(series("pilot_keystroke_s")),
        "filter_s": statistics.median(series("filter_s")),
        "apply_s": statistics.median(series("apply_s")),
        "tasks_loaded": results[0]["tasks_loaded"],
        "search_matches": results[0]["search_matches"],
        "overdue_matches": results[0]["overdue_matches"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    import generate as gen  # type: ignore[import-not-found]  # bench/generate.py, beside this file

    parser = argparse.ArgumentParser(description="终端界面计时：首屏、搜索按键、筛选按键")
    parser.add_argument("--db", help="数据库（默认：bench/data 中的 city 规模库，缺少时生成）")
    parser.add_argument("--login", default=gen.ADMIN_LOGIN, help="以该用户登录（默认基准管理员）")
    parser.add_argument("--dept", help="以该部门打开“我的任务”（不给则看全部任务）")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    if args.db:
        url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    else:
        size = gen.SIZES["city"]
        path = ROOT / "bench" / "data" / f"city-s{gen.DEFAULT_SEED}-v{gen.GENERATOR_VERSION}.db"
        if not path.exists():
            print(f"生成 city 规模数据库 → {path}")
            gen.generate(gen.prepare_target(str(path), force=True), size, seed=gen.DEFAULT_SEED)
        url = f"sqlite:///{path}"
    figures = measure(url, today=gen.BENCH_TODAY, login=args.login, runs=args.runs, dept=args.dept)
    print(f"数据库：{url}（首屏时已载入 {int(figures['tasks_loaded'])} 个任务，其余在后台读取）")
    print(f"首屏：{figures['first_screen_s']:.3f} 秒（各次 {', '.join(f'{x:.3f}' for x in figures['first_screen_runs'])}）")
    print(
        f"搜索按键：{figures['keystroke_s'] * 1000:.0f} 毫秒（最慢一键，各次 "
        f"{', '.join(f'{x * 1000:.0f}' for x in figures['keystroke_runs'])}；“{SEARCH_WORDS}”命中 "
        f"{int(figures['search_matches'])} 项；其中筛选与重建列表 {figures['apply_s'] * 1000:.0f} 毫秒；"
        f"连同 Pilot 等待空闲 {figures['pilot_keystroke_s'] * 1000:.0f} 毫秒）"
    )
    print(f"逾期筛选按键：{figures['filter_s'] * 1000:.0f} 毫秒（{int(figures['overdue_matches'])} 项）")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
