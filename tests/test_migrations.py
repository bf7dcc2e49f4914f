"""Alembic: the schema comes only from migrations, they go up and down, and match the models."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tracker.db import current_revision, downgrade, head_revision, make_engine, migrations_dir, open_database

TABLES = {
    "plan", "planitem", "task", "taskowner", "department", "target", "baseline",
    "progressupdate", "targetfigure", "user", "userdepartment", "instruction", "audit_log",
}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = open_database(db_url)
    assert current_revision(engine) == head_revision()
    assert _tables(engine) >= TABLES


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    engine = open_database(db_url)
    downgrade(engine, "base")
    assert _tables(engine) == set()
    open_database(db_url)
    assert _tables(engine) >= TABLES
    assert current_revision(engine) == head_revision()


def test_models_and_migrated_schema_do_not_drift(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_revisions_form_one_linear_chain() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    for rev in revisions:
        down = rev.down_revision
        assert down is None or isinstance(down, str), f"{rev.revision} merges branches"
    # walking from head reaches every file exactly once
    files = [p for p in (migrations_dir() / "versions").glob("*.py")]
    assert len(files) == len(revisions)


def test_every_open_brings_an_old_database_to_head(db_url: str) -> None:
    engine = make_engine(db_url)
    from tracker.db import upgrade_to_head

    upgrade_to_head(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None or current_revision(engine) != head_revision()
    open_database(db_url)
    assert current_revision(engine) == head_revision()


def test_fast_head_lookup_agrees_with_alembic() -> None:
    """Start-up skips importing Alembic when the database is at head; both must name the same head."""
    from tracker.db import head_revision_fast

    assert head_revision_fast() == head_revision()


DATED_PARENT = "b7b45054bbde"  # the revision before dated records and source spans


def test_table_rebuilds_keep_every_row_and_dates_old_records(sample_cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    """SQLite rebuilds a table to change a column; the rows pointing at it (targets, records) must survive."""
    shown = (sample_cli("show", str(t["id"]), "--json").json() for t in sample_cli("tasks", "--json").json())
    with_target = next(t for t in shown if t["targets"])
    figure = f"{with_target['targets'][0]['name']}={with_target['targets'][0]['value']}"
    assert sample_cli("update", str(with_target["id"]), "--percent", "40", "--figure", figure).exit_code == 0
    engine = open_database(db_url)
    counted = ("task", "target", "taskowner", "progressupdate", "targetfigure", "audit_log")

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in counted}

    before = counts()
    assert before["progressupdate"] == 1 and before["targetfigure"] == 1
    downgrade(engine, DATED_PARENT)
    assert counts() == before
    open_database(db_url)
    assert counts() == before
    with engine.connect() as conn:
        as_of, recorded_at = conn.execute(sa.text("SELECT as_of, recorded_at FROM progressupdate")).one()
        labels = conn.execute(sa.text("SELECT COUNT(*) FROM task WHERE source_label = label")).scalar_one()
    typed = datetime.fromisoformat(str(recorded_at)).replace(tzinfo=UTC)
    assert date.fromisoformat(str(as_of)[:10]) == typed.astimezone().date()  # the local day it was typed on
    assert labels == before["task"]
    engine.dispose()
