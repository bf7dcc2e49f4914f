"""An office on a real database: one plan, an admin, a leader, staff of three departments.

    task LEAD   — led by 区司法局, supported by 区市场监管局 (with a target: 出庭应诉率 100%)
    task OTHER  — led by 区市场监管局 only
    task EXTRA  — led by 区司法局 (spare, for the load test)

Users: tester (admin: the default user of the ``cli`` fixture), lingdao (leader), sfj (staff, 区司法局),
scj (staff, 区市场监管局), jyj (staff, 区教育局: owns nothing), gone (staff, 区司法局, disabled).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.conftest import Cli
from tracker.importer.model import ParsedDeadline, ParsedOwner, ParsedPlan, ParsedTarget, ParsedTask
from tracker.services import plans, tasks, users
from tracker.services.workspace import Workspace

TODAY = date(2022, 6, 30)
ADMIN, LEADER, LEAD_STAFF, SUPPORT_STAFF, OUTSIDER, DISABLED = "tester", "lingdao", "sfj", "scj", "jyj", "gone"


def office_plan() -> ParsedPlan:
    return ParsedPlan(
        year=2022,
        title="关于2021年度法治政府建设工作的报告",
        issuers=["示范区管委会"],
        addressee="市委、市政府",
        report_date=date(2022, 1, 20),
        section_heading="四、2022年推进法治政府建设的主要安排",
        section_start_line=10,
        section_end_line=20,
        source_name="office.txt",
        source_hash="h-office",
        items=[
            ParsedTask(
                label="（一）",
                title="健全行政复议应诉制度体系",
                text="健全行政复议应诉制度体系。继续保持行政机关负责人出庭应诉率100%。",
                owners=[ParsedOwner("区司法局", "lead", "text"), ParsedOwner("区市场监管局", "support", "text")],
                deadline=ParsedDeadline(date(2022, 12, 31), "text", "年底前"),
                targets=[ParsedTarget("出庭应诉率", 100, "%")],
            ),
            ParsedTask(
                label="（二）",
                title="严格执行涉企执法检查制度",
                text="严格执行企业免检免扰制度和涉企执法检查制度。",
                owners=[ParsedOwner("区市场监管局", "lead", "text")],
            ),
            ParsedTask(
                label="（三）",
                title="加强依法行政宣传培训",
                text="加强依法行政宣传培训力度。",
                owners=[ParsedOwner("区司法局", "lead", "text")],
            ),
            ParsedTask(
                label="（四）",
                title="加强法律顾问团管理",
                text="加强对法律顾问团的管理。",
                owners=[ParsedOwner("区教育局", "lead", "text")],
            ),
        ],
    )


@dataclass
class Office:
    url: str
    lead_task: int
    other_task: int
    extra_task: int
    _spaces: list[Workspace] = field(default_factory=list)

    def ws(self, login: str, *, as_user: str | None = None) -> Workspace:
        """A fresh Workspace acting as ``login`` (each resolves its actor anew)."""
        space = Workspace(self.url, login=login, as_user=as_user, today=TODAY)
        self._spaces.append(space)
        return space

    def cli(self, user: str = ADMIN) -> Cli:
        return Cli(self.url, today=TODAY, user=user)

    def close(self) -> None:
        for space in self._spaces:
            space.dispose()


def build_office(url: str) -> Office:
    admin = Workspace(url, login=ADMIN, today=TODAY)
    result = admin.run(lambda s, a: plans.import_plan(s, actor=a, parsed=office_plan()))
    rows = admin.run(lambda s, _a: tasks.list_tasks(s, today=TODAY, plan=result.plan_id))
    lead, other, extra = rows[0].id, rows[1].id, rows[2].id
    for login, role, depts in (
        (ADMIN, "admin", []),
        (LEADER, "leader", []),
        (LEAD_STAFF, "staff", ["区司法局"]),
        (SUPPORT_STAFF, "staff", ["区市场监管局"]),
        (OUTSIDER, "staff", ["区教育局"]),
        (DISABLED, "staff", ["区司法局"]),
    ):
        admin.run(lambda s, a, who=login, r=role, d=depts: users.add_user(s, actor=a, login=who, role=r, departments=d))
        admin.forget_actor()
    admin.run(lambda s, a: users.disable_user(s, actor=a, login=DISABLED))
    admin.dispose()
    return Office(url=url, lead_task=lead, other_task=other, extra_task=extra)


@pytest.fixture
def office(db_url: str) -> Iterator[Office]:
    built = build_office(db_url)
    yield built
    built.close()
