"""Thin Qt item models over the engine's results (one per view)."""
