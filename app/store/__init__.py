"""SQLite project files (sqlite-utils). No Qt here (import-linter checks)."""
