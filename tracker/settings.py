"""Where the database is: --db, else TRACKER_DB, else a SQLite file in the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "TRACKER_DB"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("tracker", appauthor=False)) / "tracker.db"


def resolve_db_url(value: str | None = None) -> str:
    """Turn what the user gave (URL, plain file path, or nothing) into an SQLAlchemy URL."""
    raw = value or os.environ.get(ENV_DB) or ""
    if not raw:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in raw:
        if raw.startswith("postgresql://") or raw.startswith("postgres://"):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"
