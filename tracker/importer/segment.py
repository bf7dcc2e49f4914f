"""Importing jieba, the one Chinese word segmenter used everywhere (owner suggestions, search, drafting)."""

from __future__ import annotations

import logging
import sys
from types import ModuleType


def import_jieba() -> ModuleType:
    """jieba, quiet, and without its pkg_resources detour.

    jieba 0.42 asks pkg_resources (deprecated, ~60 ms to import) only to open its own data files and falls
    back to opening them directly when it is missing, so it is hidden for the duration of the import.
    """
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes "import pkg_resources" fail
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(60)
    logging.getLogger("jieba").setLevel(60)
    return jieba
