"""The Textual terminal UI (staff workbench, leader dashboard)."""
