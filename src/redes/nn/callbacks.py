"""Callbacks (placeholder: being written)."""
