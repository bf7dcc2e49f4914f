"""The only place that reads and writes the database.

Plain keyword-only functions taking a session and the acting user (``Actor``); they check permissions,
validate input, and append to the audit log. Callers (CLI, TUI, report) never build queries themselves.
"""
