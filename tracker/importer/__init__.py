"""Reading reports into a ParsedPlan: pure functions, no database.

Entry points: ``read_document`` (file bytes → text) and ``parse_report`` (text → ParsedPlan).
"""
