"""Dialogs of the reader window."""
