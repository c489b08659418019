"""SQLite project files (sqlite-utils). No Qt here (import-linter checks).

- project.py: `Project` - open/create a `.parallax` file safely; articles, annotations, tags,
  conflict decisions and window layout, every change committed at once, undo-friendly returns.
- schema.py: the schema, `APPLICATION_ID` and numbered migrations (`user_version`).
- anchoring.py: re-anchoring passages in changed text (W3C Web Annotation style; digits
  significant).
- records.py: `Annotation`, `Anchored`, `Tag`, `ConflictStatus`, `finding_key()`.
- exchange.py: W3C JSON-LD / CSV / Markdown export, merging a colleague's export or project.
- errors.py: `ProjectError` and its subclasses; messages are meant for the user.
- bench.py: `python -m app.store.bench` prints median timings.
"""
