"""Metrics (placeholder: being written)."""
