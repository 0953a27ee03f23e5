"""Models (placeholder: being written)."""
Sequential = load_model = None
