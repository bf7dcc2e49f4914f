"""A footer that wraps onto a second line when the keys do not fit, so an 80-column terminal still shows
every key (Textual's own footer cuts them off)."""

from __future__ import annotations

import math

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter {
        layout: grid;
        grid-gutter: 0;
        grid-rows: 1;
    }
    KeyFooter FooterKey {
        width: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False, compact=True)
        self._laid_out_width = 0

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        width = self.app.size.width
        self._laid_out_width = width
        # A key takes its key, a space and its description, with a cell of padding either side.
        widths = [
            cell_len(item.key_display) + cell_len(item.description) + 3
            for item in items
            if isinstance(item, FooterKey)
        ]
        # The columns are equal (1fr): one row only when the widest key fits in its share of the width.
        if not widths or max(widths) * len(items) <= width:
            columns = max(1, len(items))
        else:
            # Equal columns as wide as the widest key, as many rows as that takes, then balanced.
            columns = max(1, min(len(items), width // max(widths)))
            columns = math.ceil(len(items) / math.ceil(len(items) / columns))
        self.styles.grid_size_columns = columns
        self.styles.height = math.ceil(len(items) / columns) if items else 1
        yield from items

    def on_resize(self, event: events.Resize) -> None:
        if self.app.size.width != self._laid_out_width and self.is_attached:
            self.call_after_refresh(self.recompose)
