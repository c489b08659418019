"""Pure-Python comparison engine. Nothing in this package may import Qt (import-linter checks)."""
