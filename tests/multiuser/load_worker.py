"""One simulated office worker for the load test: records N progress updates through the services.

    python -m tests.multiuser.load_worker URL LOGIN COUNT TASK_IDS MODE

MODE ``plain`` saves like ``tracker update`` (no version); ``versioned`` saves like the TUI form (with the
version it loaded) and, when refused as a conflict, reloads and saves the same typed text again.
Prints one JSON line with what happened; any error a user would see makes it exit 1.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date

from tracker.errors import ConflictError, TrackerError
from tracker.services import tasks
from tracker.services.workspace import Workspace


def main(argv: list[str]) -> int:
    url, login, count, task_list, mode = argv
    task_ids = [int(t) for t in task_list.split(",")]
    rng = random.Random(login)
    ws = Workspace(url, login=login, today=date(2022, 6, 30))
    ws.actor()
    print("ready", flush=True)
    sys.stdin.readline()  # start together with the others
    conflicts = 0
    started = time.perf_counter()
    for n in range(int(count)):
        task_id = task_ids[n % len(task_ids)]
        note = f"{login}#{n}"
        percent = rng.randint(1, 99)
        version = None
        if mode == "versioned":
            version = ws.run(lambda s, _a, t=task_id: tasks.get_task(s, task_id=t).version)
        while True:
            try:
                ws.run(
                    lambda s, a, t=task_id, v=version, p=percent, note=note: tasks.record_progress(
                        s, actor=a, task_id=t, today=ws.today(), percent=p, note=note, expected_version=v
                    )
                )
                break
            except ConflictError as err:
                # What the user sees: the message and the changes; their text is kept, they save again.
                assert err.changes, "a conflict must show what changed meanwhile"
                conflicts += 1
                version = err.current_version
            except TrackerError as err:
                print(json.dumps({"login": login, "error": err.message}, ensure_ascii=False), flush=True)
                return 1
    elapsed = time.perf_counter() - started
    print(json.dumps({"login": login, "saved": int(count), "conflicts": conflicts, "seconds": elapsed}), flush=True)
    ws.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
