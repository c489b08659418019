"""PySide6 widgets: a thin layer over app.core and app.store."""
