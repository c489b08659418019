"""Widgets of the reader window."""
