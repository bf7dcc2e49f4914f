"""Domain rules with no database: statuses, the 序时进度 light, dates."""
