"""letter."""
