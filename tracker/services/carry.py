"""Last year's tasks, as the importer needs them to carry owners and targets into a plan that continues them
(``tracker.importer.carry``). Read through ``tracker.rawdb.Rows``: works on the lean path (a dry run) and in the
import's own transaction."""

from __future__ import annotations

from typing import Any

from tracker.importer.carry import PreviousTask
from tracker.importer.model import ParsedTarget
from tracker.rawdb import as_json, as_rows, in_list


def previous_tasks(db: Any, *, year: int, issuers: list[str]) -> list[PreviousTask]:
    """The tasks of the plan for ``year - 1`` that this one continues: the plan of the same issuer (any shared
    issuer name), or the only non-demo plan of that year; [] when there is none or it is ambiguous."""
    rows = as_rows(db)
    plans = rows.all(
        "SELECT id, issuers, is_demo FROM plan WHERE year = :y ORDER BY id DESC", {"y": year - 1}
    )
    real = [(pid, as_json(found) or []) for pid, found, demo in plans if not demo]
    same = [pid for pid, names in real if set(names) & set(issuers)]
    if same:
        plan_id = same[0]
    elif len(real) == 1 and not issuers:
        plan_id = real[0][0]
    else:
        return []
    tasks = rows.all("SELECT id, title, text FROM task WHERE plan_id = :p ORDER BY id", {"p": plan_id})
    if not tasks:
        return []
    ids, params = in_list("t", [t[0] for t in tasks])
    owners: dict[int, list[tuple[str, str]]] = {}
    # only what a person decided or the text said: last year's unconfirmed suggestions are no better than new ones
    for task_id, name, role in rows.all(
        "SELECT o.task_id, d.name, o.role FROM taskowner o JOIN department d ON d.id = o.department_id "
        f"WHERE o.task_id IN {ids} AND o.source <> 'suggested' ORDER BY o.task_id, CASE WHEN o.role = 'lead' THEN 0 ELSE 1 END, d.name",
        params,
    ):
        owners.setdefault(task_id, []).append((name, role))
    targets: dict[int, list[ParsedTarget]] = {}
    for task_id, name, value, unit, text, at_most in rows.all(
        f"SELECT task_id, name, value, unit, text, at_most FROM target WHERE task_id IN {ids} "
        "ORDER BY task_id, position",
        params,
    ):
        targets.setdefault(task_id, []).append(ParsedTarget(name, float(value), unit or "", text or "", bool(at_most)))
    return [
        PreviousTask(tid, title, text or "", tuple(owners.get(tid, [])), tuple(targets.get(tid, [])))
        for tid, title, text in tasks
    ]
