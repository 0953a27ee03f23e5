"""Numerical gradient checking (placeholder: being written)."""
