"""The sample plan with progress recorded at chosen dates, for the overview, reminder, ledger and dashboard tests.

Today is 2022-06-15: a task running the whole year (1 January to 31 December, 364 days) is expected at
165/364 = 45.3%. The nine tasks of the sample are given, in plan order:

    t1 （一）一是 司法局      done 2022-03-10                                     → green
    t2 （一）二是 司法局      40% on 2022-06-01 (5.3 points behind)                → green
    t3 （二）     司法局      deadline 2022-05-31, 50% on 2022-04-20 → overdue     → red
    t4 （三）     司法局      deadline 2022-06-25 (due in 10 days), 80% on 06-10;
                              expected 165/175 = 94.3%, 14.3 behind                → yellow
    t5 （四）     司法局      nothing recorded: 45.3 behind                        → red
    t6 （五）一是 司法局      30% on 2022-05-20 (15.3 behind)                      → yellow
    t7 （五）二是 市场监管局 (司法局 supports) 20% on 2022-05-05 (25.3 behind)    → yellow
    t8 （五）三是 司法局      suspended 2022-04-01                                 → grey
    t9 （六）     党政办公室  36% on 2022-06-12 (9.3 behind)                       → green

市场监管局's only led task was last updated in May: it has not reported this month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.conftest import Cli

TODAY = date(2022, 6, 15)


def at(day: date) -> datetime:
    # 09:00 UTC is the same calendar day in every zone from UTC-9 to UTC+14.
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    cli: Cli
    db_url: str
    ids: list[int]  # the nine tasks in plan order (t1 is ids[0])
    today: date

    def run(self, work: Callable[[Any, Any], Any]) -> Any:
        from tracker.services.workspace import Workspace

        ws = Workspace(self.db_url, today=self.today)
        try:
            return ws.run(work)
        finally:
            ws.dispose()


def build_scenario(cli: Cli) -> Scenario:
    from tracker.services.tasks import assign_owners, record_progress, set_deadline

    tasks = cli("tasks", "--json")
    assert tasks.exit_code == 0, tasks.stderr
    ids = [t["id"] for t in tasks.json()]
    assert len(ids) == 9, "the sample plan has nine tasks"
    t1, t2, t3, t4, _t5, t6, t7, t8, t9 = ids
    scenario = Scenario(cli=cli, db_url=cli.db_url, ids=ids, today=TODAY)

    def setup(session: Any, actor: Any) -> None:
        assign_owners(session, actor=actor, task_id=t7, lead=["市场监管局"], support=["司法局"])
        assign_owners(session, actor=actor, task_id=t9, lead=["党政办公室"])
        set_deadline(session, actor=actor, task_id=t3, deadline=date(2022, 5, 31), reason="提前完成")
        set_deadline(session, actor=actor, task_id=t4, deadline=date(2022, 6, 25), reason="按督办要求")

        def progress(task_id: int, day: date, **values: Any) -> None:
            record_progress(
                session, actor=actor, task_id=task_id, today=day, at=at(day), source="cli", **values
            )

        progress(t1, date(2022, 3, 10), status="已完成", note="已组织专题学习并印发实施方案")
        progress(t8, date(2022, 4, 1), status="暂缓", reason="等待上级统一部署")
        progress(t3, date(2022, 4, 20), percent=50, note="完成评估清理初稿")
        progress(t7, date(2022, 5, 5), percent=20, note="制定免检免扰清单")
        progress(t6, date(2022, 5, 20), percent=30, note="开展执法案卷评查")
        progress(t2, date(2022, 6, 1), percent=40, note="举办专题讲座两场", problems="基层参与不够")
        progress(t4, date(2022, 6, 10), percent=80, note="修订复议应诉工作规则", next_steps="6月底前印发")
        progress(t9, date(2022, 6, 12), percent=36, note="完成法律顾问考核")

    scenario.run(setup)
    return scenario


@pytest.fixture
def scenario(sample_cli: Cli) -> Scenario:
    return build_scenario(Cli(sample_cli.db_url, today=TODAY))
