"""Concurrent edits: the version check refuses a stale save with what changed, the retry succeeds, and
8 processes recording at once lose nothing (on whichever backend this run uses)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

import pytest

from tests.conftest import ROOT
from tests.multiuser.conftest import ADMIN, LEAD_STAFF, SUPPORT_STAFF, TODAY, Office
from tracker.errors import ConflictError
from tracker.models import AuditEntry, ProgressUpdate, Task
from tracker.services import tasks, users

WORKERS, UPDATES = 8, 200


def test_second_save_is_refused_with_the_changes_and_the_retry_succeeds(office: Office) -> None:
    mine, theirs = office.ws(LEAD_STAFF), office.ws(SUPPORT_STAFF)
    loaded = mine.run(lambda s, _a: tasks.get_task_detail(s, task_id=office.lead_task, today=TODAY))
    theirs.run(
        lambda s, a: tasks.record_progress(s, actor=a, task_id=office.lead_task, today=TODAY, percent=45,
                                           note="配合单位报送了材料", expected_version=loaded.row.version)
    )
    typed = {"percent": 60, "note": "已形成制度初稿"}

    def save(version: int) -> object:
        return mine.run(
            lambda s, a: tasks.record_progress(s, actor=a, task_id=office.lead_task, today=TODAY,
                                               expected_version=version, **typed)
        )

    with pytest.raises(ConflictError) as err:
        save(loaded.row.version)
    assert "其他人已更新" in err.value.message and "已保留" in err.value.message
    assert any(SUPPORT_STAFF in line and "45%" in line and "配合单位报送了材料" in line for line in err.value.changes)
    after_refusal = mine.run(lambda s, _a: tasks.get_task_detail(s, task_id=office.lead_task, today=TODAY))
    assert [u.update.note for u in after_refusal.updates] == ["配合单位报送了材料"]  # nothing of ours written
    save(err.value.current_version)  # the kept text, saved again
    final = mine.run(lambda s, _a: tasks.get_task_detail(s, task_id=office.lead_task, today=TODAY))
    assert final.row.percent == 60 and final.updates[0].update.note == "已形成制度初稿"


def test_cli_conflict_is_one_line_and_retry_with_new_version_works(office: Office) -> None:
    cli = office.cli(LEAD_STAFF)
    version = cli("show", str(office.lead_task), "--json").json()["version"]
    assert office.cli(SUPPORT_STAFF)("update", str(office.lead_task), "--percent", "20", "--note", "配合").exit_code == 0
    stale = cli("update", str(office.lead_task), "--percent", "50", "--note", "牵头", "--version", str(version))
    assert stale.exit_code == 1 and "其他人已更新" in stale.stderr
    fresh = cli("show", str(office.lead_task), "--json").json()["version"]
    retry = cli("update", str(office.lead_task), "--percent", "50", "--note", "牵头", "--version", str(fresh))
    assert retry.exit_code == 0, retry.stderr


@pytest.mark.slow
def test_eight_processes_record_1600_updates_and_lose_none(office: Office) -> None:
    admin = office.ws(ADMIN)
    logins = [f"load{i}" for i in range(WORKERS)]
    for i, login in enumerate(logins):
        dept = "区司法局" if i % 2 == 0 else "区市场监管局"  # lead and supporting department staff
        admin.run(lambda s, a, who=login, d=dept: users.add_user(s, actor=a, login=who, role="staff", departments=[d]))
    # Everyone writes the shared task every other save; the lead half also a task of their own
    # department, the supporting half one their department leads.
    shared = [office.lead_task]
    versions_before = _versions(office)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    for i, login in enumerate(logins):
        task_ids = shared + ([office.extra_task] if i % 2 == 0 else [office.other_task])
        mode = "versioned" if i % 4 < 2 else "plain"
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.multiuser.load_worker", office.url, login, str(UPDATES),
                 ",".join(map(str, task_ids)), mode],
                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
        )
    for proc in procs:  # all imported and connected: start them at the same moment
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.stderr
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, f"a user saw an error: {out} {err}"
        assert err.strip() == "", err  # not even a warning reaches the terminal
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.perf_counter() - started
    assert sum(r["saved"] for r in reports) == WORKERS * UPDATES
    print(f"\n{WORKERS}×{UPDATES} updates in {elapsed:.1f}s, conflicts retried: {sum(r['conflicts'] for r in reports)}")

    def check(s: object, _a: object) -> None:
        from sqlmodel import col, select

        session = s  # type: ignore[assignment]
        updates = session.exec(select(ProgressUpdate).where(col(ProgressUpdate.author).in_(logins))).all()
        notes = sorted(u.note for u in updates)
        assert len(updates) == WORKERS * UPDATES
        assert notes == sorted(f"{login}#{n}" for login in logins for n in range(UPDATES))
        per_task: dict[int, list[ProgressUpdate]] = defaultdict(list)
        for u in updates:
            per_task[u.task_id].append(u)
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "progress", col(AuditEntry.actor).in_(logins))
        ).all()
        assert len(entries) == WORKERS * UPDATES
        by_task: dict[int, list[AuditEntry]] = defaultdict(list)
        for e in entries:
            by_task[e.task_id or 0].append(e)
        for task_id, chain in by_task.items():
            chain.sort(key=lambda e: e.new["version"])
            start = versions_before[task_id]
            # every save was computed from the state the previous save left: versions consecutive,
            # each 'old' equal to the previous 'new' — no save overwrote another one it had not seen
            assert [e.new["version"] for e in chain] == list(range(start + 1, start + 1 + len(chain)))
            for prev, cur in itertools.pairwise(chain):
                assert cur.old == {k: prev.new[k] for k in ("status", "percent", "version")}
            task = session.get(Task, task_id)
            assert task.version == start + len(per_task[task_id])
            assert task.percent == chain[-1].new["percent"]

    admin.run(check)
    budget = 60 if os.environ.get("CI") else 180  # a shared developer machine is slower than CI
    assert elapsed < budget, f"load test took {elapsed:.0f}s"


def _versions(office: Office) -> dict[int, int]:
    rows = office.ws(ADMIN).run(lambda s, _a: tasks.list_tasks(s, today=TODAY))
    return {r.id: r.version for r in rows}
