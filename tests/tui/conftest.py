"""Fixtures for the workbench: the sample report imported into this test's database, and helpers to let
the app's thread workers finish before looking at the screen."""

from __future__ import annotations

import asyncio
import functools
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from datetime import date

import pytest
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tests.conftest import Cli

# Mid-year: every sample task (deadline 2022-12-31, 0%) is half its time in and so behind 序时进度.
TODAY = date(2022, 7, 1)
DEPT = "区司法局"  # an alias of 司法局 in the department directory, as a user would type it


@pytest.fixture(autouse=True)
def _fixed_timezone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History shows local times: pin the zone so screens look the same on every machine."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def sample_db(sample_cli: Cli) -> str:
    """URL of a database holding the plan imported from the real sample report."""
    return sample_cli.db_url


async def settle(pilot: Pilot[None], rounds: int = 4) -> None:
    """Let posted messages and thread workers (database reads, saves) run to the end."""
    app: App[None] = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def async_test(fn: Callable[..., Coroutine[object, object, None]]) -> Callable[..., None]:
    """Run an async Pilot scenario as a plain test (no asyncio plugin is installed)."""

    @functools.wraps(fn)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(fn(*args, **kwargs))

    return run


def visible_text(widget: Widget) -> str:
    """What the widget shows on screen, line by line, as plain text."""
    size = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, size.width, size.height)))


def no_blink(app: App[None]) -> None:
    """A blinking cursor would make snapshots flaky."""
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]


__all__ = ["DEPT", "TODAY", "async_test", "no_blink", "settle", "visible_text"]
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
