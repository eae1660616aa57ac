"""Kernel placeholder (being written)."""
