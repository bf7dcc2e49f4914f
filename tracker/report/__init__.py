"""Drafting next year's report from what was recorded (document model, .docx and Markdown writers)."""
