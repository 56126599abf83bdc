"""Burn-ward quotes: the text rules, each channel's rotation, and export and import."""
