"""Annotations and project files in the reader window (issue 5): `install_project_support`."""

from app.ui.annotations.controller import ProjectController, install_project_support

__all__ = ["ProjectController", "install_project_support"]
